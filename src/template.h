/*
 * Column-chunk layout templates: the fast path for the bulk of a footer.
 *
 * Chunk j of row group r+1 almost always has the byte layout of chunk j of
 * row group r: the same field headers, list headers, binary lengths and
 * varint lengths; only values differ. After the normal decoder has read a
 * chunk, we record its bytes with a mask per byte:
 *
 *   0xFF  structure (headers, lengths, kept strings): must be equal
 *   0x80  inner byte of a varint: only the continuation bit must be equal
 *   0x80 | forbidden bits   last byte of a varint at its type's maximum
 *         length: the bits the normal decoder would reject must stay zero
 *   0x00  free (bytes of a skipped binary or double)
 *
 * A later chunk whose bytes agree with the template under the mask is exactly
 * what the normal decoder would parse the same way, so its kept values can be
 * read at the recorded offsets. Any disagreement falls back to the normal
 * decoder, which refreshes the template.
 */
#ifndef PQF_TEMPLATE_H
#define PQF_TEMPLATE_H

#include <stddef.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "internal.h"
#include "model.h"
#include "wire.h"

#define PQF_TMPL_MAX 384 /* longest chunk that gets a template */
#define PQF_TMPL_VALS 16

/* What a recorded varint holds. */
enum {
    TV_FO, TV_OI_OFF, TV_OI_LEN, TV_CI_OFF, TV_CI_LEN, TV_TYPE, TV_CODEC, TV_NV, TV_TUS, TV_TCS,
    TV_DPO, TV_DICT, TV_BF_OFF, TV_BF_LEN
};

typedef struct pqf_tmpl_val {
    uint16_t off;  /* in the chunk */
    uint8_t len;   /* varint bytes */
    uint8_t what;  /* TV_* */
    uint8_t wide;  /* 8-byte destination (else 4) */
    uint8_t ext;   /* destination in the ext record (else the chunk record) */
    uint16_t dst;  /* byte offset of the destination field */
} pqf_tmpl_val;

typedef struct pqf_tmpl {
    uint32_t len;    /* bytes of the chunk; 0 = no template */
    uint32_t has;    /* PQF_CH_* presence bits, fixed by the structure */
    uint32_t fpath;  /* file path id, fixed by the structure */
    int32_t type, codec; /* ColumnMetaData type and codec: recorded as structure */
    uint8_t nvals;
    pqf_tmpl_val vals[PQF_TMPL_VALS];
    uint8_t bytes[PQF_TMPL_MAX + 8];
    uint8_t mask[PQF_TMPL_MAX + 8];
} pqf_tmpl;

/* Record the chunk at [start, end) (already decoded by the normal path, with
 * has/fpath as it found them) as column col's template. */
void pqf_tmpl_build(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end, uint32_t has,
                    uint32_t fpath);

/* The same for a column outside the projection: only file_offset is read. */
void pqf_tmpl_build_skipped(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end);

/* Try the template at the cursor. Returns 1 on a hit (values in rec/ext,
 * cursor advanced) or 0 on a miss (nothing changed). Bytes that match but
 * hold a value the normal decoder would refuse also give 0, so the normal
 * decoder reports the error. rec is NULL for a column outside the projection. */

/* Inline: it runs once per column chunk, in decode_row_groups.c's loop. */
PQF_INLINE int pqf_tmpl_apply(pqf_dec *d, const pqf_tmpl *t, pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext) {
    size_t n = t->len;
    size_t left = (size_t)(d->end - d->p);
    if (n == 0 || left < n) return 0;
    const uint8_t *p = d->p;
    size_t words = (n + 7) / 8;
    /* The template's mask is zero past its length, so whole words can be
     * compared whenever the input has them. */
    if (PQF_UNLIKELY(left < words * 8)) words = n / 8;
    uint64_t diff = 0;
    size_t i = 0;
#ifdef __SSE2__
    {
        __m128i acc = _mm_setzero_si128();
        for (; i + 2 <= words; i += 2) {
            __m128i x = _mm_loadu_si128((const __m128i *)(p + 8 * i));
            __m128i b = _mm_loadu_si128((const __m128i *)(t->bytes + 8 * i));
            __m128i m = _mm_loadu_si128((const __m128i *)(t->mask + 8 * i));
            acc = _mm_or_si128(acc, _mm_and_si128(_mm_xor_si128(x, b), m));
        }
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(acc, _mm_setzero_si128())) != 0xFFFF) return 0;
    }
#endif
    for (; i < words; i++) {
        uint64_t x = pqf_load64le(p + 8 * i), b = pqf_load64le(t->bytes + 8 * i), m = pqf_load64le(t->mask + 8 * i);
        diff |= (x ^ b) & m;
    }
    if (PQF_UNLIKELY(words * 8 < n)) {
        uint8_t tail[8] = {0};
        memcpy(tail, p + 8 * words, n - 8 * words);
        uint64_t x = pqf_load64le(tail), b = pqf_load64le(t->bytes + 8 * words), m = pqf_load64le(t->mask + 8 * words);
        diff |= (x ^ b) & m;
    }
    if (diff) return 0;

    /* Values are written in place: on a refusal the normal decoder resets them. */
    pqf_chunk_rec dummy;
    pqf_chunk_ext_rec xdummy;
    pqf_chunk_rec *r = rec ? rec : &dummy;
    pqf_chunk_ext_rec *x = ext ? ext : &xdummy;
    memset(r, 0, sizeof *r);
    if (ext) memset(x, 0, sizeof *x);
    r->has = t->has;
    r->fpath = t->fpath;
    r->type = t->type;
    r->codec = t->codec;
    uint8_t *bases[2] = {(uint8_t *)r, (uint8_t *)x};
    int64_t neg = 0; /* sign bits of every value: the normal decoder refuses negatives */
    for (unsigned k = 0; k < t->nvals; k++) {
        const pqf_tmpl_val *v = &t->vals[k];
        const uint8_t *q = p + v->off;
        uint64_t u = 0;
        switch (v->len) { /* unrolled: each length falls through to the shorter ones */
        case 10: u |= (uint64_t)(q[9] & 0x7f) << 63; /* fall through */
        case 9: u |= (uint64_t)(q[8] & 0x7f) << 56; /* fall through */
        case 8: u |= (uint64_t)(q[7] & 0x7f) << 49; /* fall through */
        case 7: u |= (uint64_t)(q[6] & 0x7f) << 42; /* fall through */
        case 6: u |= (uint64_t)(q[5] & 0x7f) << 35; /* fall through */
        case 5: u |= (uint64_t)(q[4] & 0x7f) << 28; /* fall through */
        case 4: u |= (uint64_t)(q[3] & 0x7f) << 21; /* fall through */
        case 3: u |= (uint64_t)(q[2] & 0x7f) << 14; /* fall through */
        case 2: u |= (uint64_t)(q[1] & 0x7f) << 7; /* fall through */
        default: u |= (uint64_t)(q[0] & 0x7f); break;
        }
        int64_t sv = zigzag64(u);
        uint8_t *dst = bases[v->ext] + v->dst;
        if (v->wide) {
            memcpy(dst, &sv, 8);
        } else {
            int32_t s32 = (int32_t)sv;
            memcpy(dst, &s32, 4);
            sv = s32;
        }
        neg |= sv;
    }
    if (neg < 0) return 0; /* let the normal decoder refuse it, with its message */
    if (r->has & PQF_CH_META) {
        int64_t start = r->dpo;
        if ((r->has & PQF_CH_DICT) && r->dict > 0 && r->dict < r->dpo) start = r->dict;
        r->start = start;
    }
    if (rec && d->data_end) {
        const char *field;
        if (pqf_chunk_place_error(d, r, ext, &field)) return 0; /* the normal decoder reports it */
    }
    d->p = p + n;
    return 1;
}

#endif
