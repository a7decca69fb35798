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
 *
 * Columns of a wide table share layouts too, their names aside: a template
 * whose path is one short name leaves the name out of the compare and checks
 * it against the column's own (pqf_tmpl_name_ok()), so one template serves
 * every column like it (decode_row_groups.c keeps the recent ones).
 */
#ifndef PQF_TEMPLATE_H
#define PQF_TEMPLATE_H

#include <stddef.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "chunk_fields.h"
#include "internal.h"
#include "model.h"
#include "wire.h"

#define PQF_TMPL_MAX 384 /* longest chunk that gets a template */
#define PQF_TMPL_VALS 15 /* at most 12 kept values exist */
#define PQF_TMPL_STD 6 /* values of the common layout */
#define PQF_TMPL_WIDE_MAX 256 /* longest chunk the AVX-512 path takes: four 64-byte vectors */

/* A kept value: a varint of 1..8 bytes stored as an int64. */
typedef struct pqf_tmpl_val {
    uint16_t off; /* in the chunk */
    uint8_t len;  /* varint bytes */
    uint8_t dst;  /* int64 slot of the records (pqf_slot_ptr() in chunk_fields.h) */
} pqf_tmpl_val;

/* Whether a recorded layout can serve other columns. Columns of a wide table
 * usually share their chunks' layout byte for byte except for the column's
 * name in path_in_schema: such a template leaves the name's bytes out of the
 * compare and checks them against the column's own name on a hit, so one
 * template serves them all. */
enum {
    PQF_LEND_NONE,    /* the path has several names, checked as structure: this column only */
    PQF_LEND_AS_IS,   /* nothing column-specific is structure (no path check, or no metadata) */
    PQF_LEND_NAME,    /* the path's one name is checked on a hit (pqf_tmpl_name_ok()) */
    PQF_LEND_SKIPPED, /* a column outside the projection: only its file_offset is read */
};

/* Small and dense on purpose: every column's template is touched once per row
 * group, and all of them together should stay in the first-level cache. A
 * template is as long as its chunk needs (pqf_tmpl_size()): its bytes and
 * masks follow the header in 64-byte blocks, block v's bytes then its masks. */
typedef struct pqf_tmpl {
    /* What the AVX-512 path reads besides bytes and masks: one cache line. */
    int32_t type, codec; /* ColumnMetaData type and codec: recorded as structure */
    uint32_t fpath;      /* file path id, fixed by the structure */
    uint32_t has;        /* PQF_CH_* presence bits; type..has in pqf_chunk_rec's order */
    uint8_t woff[PQF_TMPL_STD]; /* std values' offsets and varint lengths, for the wide path */
    uint8_t wlen[PQF_TMPL_STD];
    uint16_t len;    /* bytes of the chunk; 0 = no template */
    uint8_t wide;    /* std, at most PQF_TMPL_WIDE_MAX bytes, values in the first 128: the AVX-512 path applies */
    uint8_t std;     /* values are exactly FO, NV, TUS, TCS, DPO and, if 6, DICT, in that order */
    uint64_t load_mask[PQF_TMPL_WIDE_MAX / 64]; /* wide: the chunk's bytes in each 64-byte vector */
    /* The portable path's. */
    uint16_t need;   /* bytes that must be readable: whole blocks and 8-byte value loads */
    uint8_t nvals, nblocks; /* nblocks: 64-byte blocks the chunk spans */
    uint32_t enc;    /* the chunk's encodings list id (pqf_chunk_rec.enc), fixed by the structure */
    uint16_t soff[PQF_TMPL_STD]; /* offsets of the std layout's values */
    /* payload mask of each std value (zero for an absent DICT) */
    uint64_t keep[PQF_TMPL_STD] __attribute__((aligned(16)));
    pqf_tmpl_val vals[PQF_TMPL_VALS]; /* every kept value, for the general path */
    uint8_t cap;     /* 64-byte blocks of bytes the template holds (at least 2) */
    uint8_t lend;    /* PQF_LEND_*: whether another column may use this layout */
    uint8_t path_len; /* PQF_LEND_NAME: the path's one name, at path_off */
    uint8_t pad;
    uint16_t path_off;
    uint8_t pad2[6];
    /* The chunk's bytes and their masks, zero past len, interleaved by block. */
    uint8_t blocks[] __attribute__((aligned(64)));
} pqf_tmpl;

/* Block v (64 bytes) of a template's bytes, and of its masks. */
#define PQF_TMPL_BYTES(t, v) ((t)->blocks + 128 * (size_t)(v))
#define PQF_TMPL_MASK(t, v) ((t)->blocks + 128 * (size_t)(v) + 64)
/* Blocks a template for a chunk of n bytes holds: the compares always read
 * two, and the wide one four past 128 bytes (apply_wide in template_wide.c). */
PQF_INLINE unsigned pqf_tmpl_blocks_for(size_t n) {
    size_t b = (n + 63) / 64;
    return b <= 2 ? 2u : b <= 4 ? 4u : (unsigned)b;
}
/* Bytes of a template of cap blocks. */
PQF_INLINE size_t pqf_tmpl_size(unsigned cap) { return sizeof(pqf_tmpl) + 128 * (size_t)cap; }

/* A column's two templates, most recent first: a size that keeps crossing a
 * varint length boundary alternates between them. Called when the second hit. */
PQF_INLINE void pqf_tmpl_swap(pqf_tmpl **tp) {
    pqf_tmpl *t = tp[0];
    tp[0] = tp[1];
    tp[1] = t;
}

/* Templates are allocated on cache-line boundaries (see tmpl_alloc in decode_row_groups.c). */
#define PQF_TMPL_ALIGN 64

#ifdef PQF_HAVE_WIDE /* port.h */
/* When pqf_wide_choose() set PQF_WIDE_TEMPLATES (templates in use, no page
 * index or bloom kept): read chunks c, c+1, ... of row group rg while their
 * templates hit, or a recent layout (made the column's first, its encodings
 * list noted as another column's, as try_recent() does); returns the first
 * column it left to the portable path (n: none). */
uint32_t pqf_hit_columns_wide(pqf_dec *d, uint32_t c, uint32_t n, uint64_t rg);
/* When it set PQF_WIDE_SHARED (no templates per column: one row group), in
 * row group 0: read chunks c, c+1, ... while one of the recent layouts hits
 * (moved first, as try_recent() does); returns the first column it left to
 * the portable path (n: none).
 * Row group 0 only: no chunk's encodings list needs noting there (its lists
 * are the columns' first). */
uint32_t pqf_hit_shared_wide(pqf_dec *d, uint32_t c, uint32_t n);
#endif

/* Fetch the footer bytes a few chunks ahead: the hardware prefetchers stop at
 * 4 KiB page boundaries and fall behind the AVX-512 loop (measured on S2: 0.88x
 * the time with two lines 4 KiB ahead; the portable loop is slow enough not to
 * gain). */
#define PQF_PREFETCH_AHEAD 4096
PQF_INLINE void pqf_prefetch_input(const uint8_t *p, const uint8_t *end) {
    if ((size_t)(end - p) > PQF_PREFETCH_AHEAD + 128) {
        __builtin_prefetch(p + PQF_PREFETCH_AHEAD, 0, 3);
        __builtin_prefetch(p + PQF_PREFETCH_AHEAD + 64, 0, 3);
    }
}


/* The payload of a varint of at most 8 bytes, given x (its bytes, little-endian)
 * masked to 7 bits per byte: gather the 7-bit groups in three steps. */
PQF_INLINE uint64_t pqf_varint_gather(uint64_t x) {
    x = (x & UINT64_C(0x00FF00FF00FF00FF)) | ((x & UINT64_C(0xFF00FF00FF00FF00)) >> 1);
    x = (x & UINT64_C(0x0000FFFF0000FFFF)) | ((x & UINT64_C(0xFFFF0000FFFF0000)) >> 2);
    return (x & UINT64_C(0x00000000FFFFFFFF)) | ((x & UINT64_C(0xFFFFFFFF00000000)) >> 4);
}

#ifdef __SSE2__
/* The same for the two 64-bit lanes of x. */
PQF_INLINE __m128i pqf_varint_gather2(__m128i x) {
    const __m128i m8 = _mm_set1_epi16((short)0xFF00), m16 = _mm_set1_epi32((int)0xFFFF0000);
    const __m128i m32 = _mm_set_epi32(-1, 0, -1, 0);
    x = _mm_or_si128(_mm_andnot_si128(m8, x), _mm_srli_epi16(_mm_and_si128(x, m8), 1));
    x = _mm_or_si128(_mm_andnot_si128(m16, x), _mm_srli_epi32(_mm_and_si128(x, m16), 2));
    return _mm_or_si128(_mm_andnot_si128(m32, x), _mm_srli_epi64(_mm_and_si128(x, m32), 4));
}
#endif

/* Record the chunk at [start, end) (already decoded by the normal path, with
 * has/fpath as it found them) into t. */
void pqf_tmpl_build(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end, uint32_t has,
                    uint32_t fpath);

/* The same for a column outside the projection: only file_offset is read. */
void pqf_tmpl_build_skipped(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end);

/* Whether t may serve a column that is (projected) or is not in the projection. */
PQF_INLINE int pqf_tmpl_lendable(const pqf_tmpl *t, int projected) {
    return t->len && t->lend != PQF_LEND_NONE && (t->lend == PQF_LEND_SKIPPED) != (projected != 0);
}

/* A PQF_LEND_NAME template's hit at p: is the path's one name column col's?
 * One 8-byte compare (record() made those bytes readable) for names of up to
 * 8 bytes, which also fails for another length or a leaf below the root. */
PQF_INLINE int pqf_tmpl_name_ok(const pqf_dec *d, const pqf_tmpl *t, const uint8_t *p, uint32_t col) {
    const pqf_leaf_work *lw = &d->leaves[col];
    const uint8_t *at = p + t->path_off;
    uint64_t x = ((pqf_load64le(at) ^ lw->name8) & lw->name_mask) | (lw->name_len ^ t->path_len);
    if (PQF_LIKELY(lw->name_len <= 8)) return x == 0;
    return x == 0 && memcmp(at + 8, d->schema[lw->first_part].name.ptr + 8, t->path_len - 8u) == 0;
}


/* Try the template at the cursor for column col. Returns 1 on a hit (values
 * in rec/ext, cursor advanced) or 0 on a miss (nothing changed). Bytes that
 * match but hold a value the normal decoder would refuse also give 0, so the
 * normal decoder reports the error. rec is NULL for a column outside the
 * projection; t is one pqf_tmpl_lendable() allows for it, or col's own. */

/* Inline: it runs once per column chunk, in decode_row_groups.c's loop. */
PQF_INLINE int pqf_tmpl_apply(pqf_dec *d, const pqf_tmpl *t, uint32_t col, pqf_chunk_rec *rec,
                              pqf_chunk_ext_rec *ext) {
    size_t n = t->len;
    if (n == 0 || (size_t)(d->cur.end - d->cur.p) < t->need) return 0;
    const uint8_t *p = d->cur.p;
    const unsigned nb = t->nblocks;
#ifdef __SSE2__
    __m128i acc = _mm_setzero_si128();
    for (unsigned v = 0; v < nb; v++) { /* a 64-byte block's bytes, then its masks */
        const uint8_t *tb = PQF_TMPL_BYTES(t, v), *in = p + 64 * v;
#define PQF_CMP16(j)                                                                               \
    acc = _mm_or_si128(acc, _mm_and_si128(_mm_xor_si128(_mm_loadu_si128((const __m128i *)(in + (j))), \
                                                        _mm_load_si128((const __m128i *)(tb + (j)))),  \
                                          _mm_load_si128((const __m128i *)(tb + 64 + (j)))))
        PQF_CMP16(0);
        PQF_CMP16(16);
        PQF_CMP16(32);
        PQF_CMP16(48);
#undef PQF_CMP16
    }
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(acc, _mm_setzero_si128())) != 0xFFFF) return 0;
#else
    uint64_t diff = 0;
    for (unsigned v = 0; v < nb; v++)
        for (unsigned h = 0; h < 64; h += 8)
            diff |= (pqf_load64le(p + 64 * v + h) ^ pqf_load64le(PQF_TMPL_BYTES(t, v) + h)) &
                    pqf_load64le(PQF_TMPL_MASK(t, v) + h);
    if (diff) return 0;
#endif
    if (t->lend == PQF_LEND_NAME && !pqf_tmpl_name_ok(d, t, p, col)) return 0;

    /* Values are written in place: on a refusal the normal decoder resets them. */
    pqf_chunk_rec dummy;
    pqf_chunk_ext_rec xdummy;
    pqf_chunk_rec *r = rec ? rec : &dummy;
    pqf_chunk_ext_rec *x = ext ? ext : &xdummy;
    if (ext) memset(x, 0, sizeof *x);
    uint64_t sign = 0; /* zigzag sign bits: the normal decoder refuses negatives */
    if (PQF_LIKELY(t->std && rec)) {
        /* The common layout, straight-line, two values at a time, stored in
         * pairs: fo+nv, tus+tcs, dpo+dict (the record's first six fields). */
#ifdef __SSE2__
#if defined(__x86_64__)
#define PQF_TV(i) _mm_cvtsi64_si128((long long)pqf_load64le(p + t->soff[i]))
#else /* 32-bit x86 has no 64-bit general register to move from: load the 8 bytes directly */
#define PQF_TV(i) _mm_loadl_epi64((const __m128i *)(const void *)(p + t->soff[i]))
#endif
        const __m128i *keep = (const __m128i *)t->keep;
        __m128i v0 = _mm_and_si128(_mm_unpacklo_epi64(PQF_TV(0), PQF_TV(1)), _mm_load_si128(keep));
        __m128i v1 = _mm_and_si128(_mm_unpacklo_epi64(PQF_TV(2), PQF_TV(3)), _mm_load_si128(keep + 1));
        __m128i v2 = _mm_and_si128(_mm_unpacklo_epi64(PQF_TV(4), PQF_TV(5)), _mm_load_si128(keep + 2));
#undef PQF_TV
        v0 = pqf_varint_gather2(v0);
        v1 = pqf_varint_gather2(v1);
        v2 = pqf_varint_gather2(v2);
        __m128i sg = _mm_slli_epi64(_mm_or_si128(_mm_or_si128(v0, v1), v2), 63);
        sign = _mm_movemask_pd(_mm_castsi128_pd(sg)) != 0; /* either lane */
        _mm_storeu_si128((__m128i *)&r->fo, _mm_srli_epi64(v0, 1));
        _mm_storeu_si128((__m128i *)&r->tus, _mm_srli_epi64(v1, 1));
        _mm_storeu_si128((__m128i *)&r->dpo, _mm_srli_epi64(v2, 1));
#else
#define PQF_TV(i) pqf_varint_gather(pqf_load64le(p + t->soff[i]) & t->keep[i])
        uint64_t fo = PQF_TV(0), nv = PQF_TV(1), tus = PQF_TV(2), tcs = PQF_TV(3), dpo = PQF_TV(4);
        uint64_t dict = PQF_TV(5);
#undef PQF_TV
        sign = fo | nv | tus | tcs | dpo | dict;
        r->fo = (int64_t)(fo >> 1);
        r->nv = (int64_t)(nv >> 1);
        r->tus = (int64_t)(tus >> 1);
        r->tcs = (int64_t)(tcs >> 1);
        r->dpo = (int64_t)(dpo >> 1);
        r->dict = (int64_t)(dict >> 1);
#endif
        r->type = t->type;
        r->codec = t->codec;
        r->fpath = t->fpath;
        r->has = t->has;
        r->enc = t->enc;
    } else {
        *r = (pqf_chunk_rec){.type = t->type, .codec = t->codec, .fpath = t->fpath, .has = t->has, .enc = t->enc};
        for (unsigned k = 0; k < t->nvals; k++) {
            const pqf_tmpl_val v = t->vals[k];
            uint64_t keep = UINT64_C(0x7F7F7F7F7F7F7F7F) >> (64 - 8 * v.len);
            uint64_t u = pqf_varint_gather(pqf_load64le(p + v.off) & keep);
            sign |= u;
            int64_t val = (int64_t)(u >> 1);
            *pqf_slot_ptr(r, x, v.dst) = val;
        }
    }
    if (sign & 1) return 0; /* let the normal decoder refuse it, with its message */
    if (r->has & PQF_CH_META) {
        int64_t start = r->dpo;
        if ((r->has & PQF_CH_DICT) && r->dict > 0 && r->dict < r->dpo) start = r->dict;
        r->start = start;
    }
    if (rec && d->data_end) {
        const char *field;
        if (pqf_chunk_place_error(d, r, ext, &field)) return 0; /* the normal decoder reports it */
    }
    d->cur.p = p + n;
    return 1;
}

#endif
