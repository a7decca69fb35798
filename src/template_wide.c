/*
 * The AVX-512 path for the row-group loop, chosen at run time.
 *
 * A chunk whose template is "wide" (the common layout, at most 256 bytes,
 * values in the first 128) is checked and read with 64-byte vectors: masked
 * loads hold the whole chunk, one masked compare per vector checks its
 * structure, and one byte permute picks the six values out of the first two. Everything else (misses, other layouts, page
 * index, columns outside the projection) is left to the portable path,
 * so both paths accept and refuse the same bytes with the same errors; tests
 * and fuzzers compare them (PQF_PORTABLE turns this path off).
 *
 * Functions here carry a target attribute instead of the file taking -m
 * flags, so nothing in it runs unless pqf_wide_choose() said so.
 */
#include "template.h"
#include "model_encodings.h"

#ifdef PQF_HAVE_WIDE
#include <immintrin.h>

/* Byte k of each 64-bit lane repeated 8 times: lane i takes byte i (offsets)
 * or byte 6 + i (lengths) of the template's woff/wlen pair. */
#define SPREAD(b) ((long long)(0x0101010101010101ull * (unsigned long long)(b)))

_Static_assert(offsetof(pqf_chunk_rec, codec) == offsetof(pqf_chunk_rec, type) + 4 &&
                   offsetof(pqf_chunk_rec, fpath) == offsetof(pqf_chunk_rec, type) + 8 &&
                   offsetof(pqf_chunk_rec, has) == offsetof(pqf_chunk_rec, type) + 12 &&
                   offsetof(pqf_tmpl, type) == 0 && offsetof(pqf_tmpl, has) == 12,
               "a template's type..has are copied as one 16-byte vector");
_Static_assert(offsetof(pqf_tmpl, wlen) == offsetof(pqf_tmpl, woff) + PQF_TMPL_STD,
               "woff and wlen are read as one 16-byte vector");

_Static_assert(offsetof(pqf_tmpl, load_mask) + sizeof(((pqf_tmpl *)0)->load_mask) <= 64,
               "the wide path's template fields share the first cache line");
_Static_assert(offsetof(pqf_chunk_rec, start) == 6 * 8, "a hit stores fo..dict and start as seven int64 lanes");

/* What apply_wide() needs that does not change from chunk to chunk. */
typedef struct wide_consts {
    __m512i iota;       /* 0..7 in each lane's bytes */
    __m512i spread_off; /* byte permutes that repeat woff[i] (wlen[i]) over lane i's bytes */
    __m512i spread_len;
    __m512i payload;    /* 0x7F in every byte */
    __m512i m8, m16, m32; /* the upper halves of 16-, 32- and 64-bit groups */
    __m512i one;
    __m512i dict_to_6, dpo_to_6, tcs_to_6; /* lane permutes: that value to lane 6, the rest in place */
    __m512i lane_max;   /* placement limits per lane (pqf_chunk_place_error()) */
} wide_consts;

PQF_WIDE_TARGET static void wide_consts_init(wide_consts *k, const pqf_dec *d) {
    k->iota = _mm512_set1_epi64(0x0706050403020100ll);
    k->spread_off = _mm512_set_epi64(0, 0, SPREAD(5), SPREAD(4), SPREAD(3), SPREAD(2), SPREAD(1), 0);
    k->spread_len = _mm512_set_epi64(0, 0, SPREAD(11), SPREAD(10), SPREAD(9), SPREAD(8), SPREAD(7), SPREAD(6));
    k->payload = _mm512_set1_epi8(0x7F);
    k->m8 = _mm512_set1_epi16((short)0xFF00);
    k->m16 = _mm512_set1_epi32((int)0xFFFF0000);
    k->m32 = _mm512_set1_epi64((long long)0xFFFFFFFF00000000ull);
    k->one = _mm512_set1_epi64(1);
    k->dict_to_6 = _mm512_set_epi64(7, 5, 5, 4, 3, 2, 1, 0);
    k->dpo_to_6 = _mm512_set_epi64(7, 4, 5, 4, 3, 2, 1, 0);
    k->tcs_to_6 = _mm512_set_epi64(7, 3, 5, 4, 3, 2, 1, 0);
    /* Lanes: fo, nv, tus, tcs, dpo, dict, the chunk's end, 0. With the file
     * size unknown (data_end 0) nothing is checked. The start is DPO or DICT,
     * so it is within the limit when they are. */
    k->lane_max = _mm512_set1_epi64(-1);
    if (d->data_end) {
        const long long e = (long long)d->data_end;
        k->lane_max = _mm512_set_epi64(-1, e, e, e, -1, -1, -1, (long long)d->file_size);
    }
}

/* pqf_tmpl_apply() for a wide template at p (left bytes readable) and a
 * stored chunk without page index or bloom: the bytes after the chunk on a
 * hit, NULL to let the portable path decide. */
PQF_WIDE_TARGET static inline __attribute__((always_inline)) const uint8_t *
apply_wide(const pqf_dec *d, const pqf_tmpl *t, uint32_t col, const uint8_t *p, size_t left, const wide_consts *k,
           pqf_chunk_rec *r) {
    if (!t || !t->wide) return NULL;
    const unsigned n = t->len; /* 1..PQF_TMPL_WIDE_MAX */
    if (left < n) return NULL;
    /* Masked loads read only the chunk's n bytes (the rest are zero), so
     * nothing past them needs to be readable. */
    __m512i x0 = _mm512_maskz_loadu_epi8(t->load_mask[0], p);
    __m512i x1 = _mm512_maskz_loadu_epi8(t->load_mask[1], p + 64);
    __m512i d0 = _mm512_and_si512(_mm512_xor_si512(x0, _mm512_load_si512(PQF_TMPL_BYTES(t, 0))),
                                  _mm512_load_si512(PQF_TMPL_MASK(t, 0)));
    __m512i d1 = _mm512_and_si512(_mm512_xor_si512(x1, _mm512_load_si512(PQF_TMPL_BYTES(t, 1))),
                                  _mm512_load_si512(PQF_TMPL_MASK(t, 1)));
    __m512i diff = _mm512_or_si512(d0, d1);
    if (n > 128) { /* the same for bytes 128..255 (long column names, say); values lie before */
        __m512i x2 = _mm512_maskz_loadu_epi8(t->load_mask[2], p + 128);
        __m512i x3 = _mm512_maskz_loadu_epi8(t->load_mask[3], p + 192);
        __m512i d2 = _mm512_and_si512(_mm512_xor_si512(x2, _mm512_load_si512(PQF_TMPL_BYTES(t, 2))),
                                      _mm512_load_si512(PQF_TMPL_MASK(t, 2)));
        __m512i d3 = _mm512_and_si512(_mm512_xor_si512(x3, _mm512_load_si512(PQF_TMPL_BYTES(t, 3))),
                                      _mm512_load_si512(PQF_TMPL_MASK(t, 3)));
        diff = _mm512_or_si512(diff, _mm512_or_si512(d2, d3));
    }
    if (_mm512_test_epi64_mask(diff, diff)) return NULL;
    /* The name check loads 8 bytes at path_off: readable only if left says so
     * (the masked loads above read nothing past the chunk). */
    if (t->lend == PQF_LEND_NAME && (left < (size_t)t->path_off + 8 || !pqf_tmpl_name_ok(d, t, p, col))) return NULL;

    /* Lane i (< 6) gets the 8 bytes at woff[i], masked to its wlen[i] bytes
     * of 7 payload bits; lanes 6 and 7 stay zero, and so does DICT's when the
     * chunk has none (wlen 0). Indexes past 127 wrap (the permute reads 7
     * bits), but only onto bytes the length mask drops: a value's own bytes
     * lie in the first 128 (see record()). */
    __m512i ol = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)t->woff));
    __m512i offs = _mm512_permutexvar_epi8(k->spread_off, ol);
    __m512i lens = _mm512_permutexvar_epi8(k->spread_len, ol);
    __mmask64 in = _mm512_cmplt_epu8_mask(k->iota, lens); /* lanes 6, 7: length 0 */
    __m512i v = _mm512_maskz_permutex2var_epi8(in, x0, _mm512_add_epi8(offs, k->iota), x1);
    v = _mm512_and_si512(v, k->payload);
    /* Gather the 7-bit groups of each lane, as pqf_varint_gather() does. */
    v = _mm512_or_si512(_mm512_andnot_si512(k->m8, v), _mm512_srli_epi16(_mm512_and_si512(v, k->m8), 1));
    v = _mm512_or_si512(_mm512_andnot_si512(k->m16, v), _mm512_srli_epi32(_mm512_and_si512(v, k->m16), 2));
    v = _mm512_or_si512(_mm512_andnot_si512(k->m32, v), _mm512_srli_epi64(_mm512_and_si512(v, k->m32), 4));
    /* A zigzag sign bit means a negative value: the portable path refuses it. */
    if (_mm512_test_epi64_mask(v, k->one)) return NULL;
    v = _mm512_srli_epi64(v, 1);

    /* The start goes to lane 6: the dictionary page when it comes first (a
     * chunk without one has 0 in DICT's lane; the common layout always has
     * META). Computed in registers: reading back the record just stored
     * would wait for the store. */
    __m512i dict6 = _mm512_permutexvar_epi64(k->dict_to_6, v), dpo6 = _mm512_permutexvar_epi64(k->dpo_to_6, v);
    /* DICT - 1 < DPO, unsigned: a DICT of 0 (none) wraps to the largest, and
     * a DICT equal to DPO is the same start either way. One compare: a test
     * of DICT's lane moved to a mask through a general register is the
     * longest wait of the loop. */
    __mmask8 use_dict = _mm512_mask_cmplt_epu64_mask(0x40, _mm512_sub_epi64(dict6, k->one), dpo6);
    __m512i rec = _mm512_mask_mov_epi64(dpo6, use_dict, dict6);
    /* Placement (pqf_chunk_place_error()), with the chunk's end in lane 6
     * (values are below 2^56: no overflow); a chunk in another file is not checked. */
    __m512i ends = _mm512_mask_add_epi64(rec, 0x40, rec, _mm512_permutexvar_epi64(k->tcs_to_6, v));
    if (PQF_UNLIKELY(_mm512_cmpgt_epu64_mask(ends, k->lane_max)) && !(t->has & PQF_CH_FILE_PATH)) return NULL;
    _mm512_mask_storeu_epi64(&r->fo, 0x7F, rec); /* fo, nv, tus, tcs, dpo, dict, start */
    _mm_storeu_si128((__m128i *)&r->type, _mm_load_si128((const __m128i *)&t->type));
    r->enc = t->enc;
    return p + n;
}

#define PIN_CONSTS(k)                                                                                   \
    do {                                                                                                \
        PQF_PIN((k).iota);                                                                              \
        PQF_PIN((k).spread_off);                                                                        \
        PQF_PIN((k).spread_len);                                                                        \
        PQF_PIN((k).payload);                                                                           \
        PQF_PIN((k).m8);                                                                                \
        PQF_PIN((k).m16);                                                                               \
        PQF_PIN((k).m32);                                                                               \
        PQF_PIN((k).one);                                                                               \
        PQF_PIN((k).dict_to_6);                                                                         \
        PQF_PIN((k).dpo_to_6);                                                                          \
        PQF_PIN((k).tcs_to_6);                                                                          \
        PQF_PIN((k).lane_max);                                                                          \
    } while (0)

/* try_recent() on this path: the recent layouts in ring order (tp: the
 * column's own two, which are not tried again, NULL with one row group); a
 * hit moves its layout first in the ring and, with tp, makes it the
 * column's first. A borrowed list that differs from the slot's first (first:
 * the slots' first lists, NULL in row group 0, where there is nothing to
 * note) sets *dirty, as pqf_enc_note() would. */
PQF_WIDE_TARGET static inline __attribute__((always_inline)) const uint8_t *
ring_wide(pqf_dec *d, pqf_tmpl **tp, uint32_t col, const uint8_t *p, size_t left, const wide_consts *k,
          pqf_chunk_rec *r, const uint32_t *first, uint32_t slot, int *dirty) {
    pqf_tmpl **ring = d->recent;
    for (uint32_t i = 0; i < d->nrecent; i++) {
        pqf_tmpl *t = ring[i];
        if ((tp && (t == tp[0] || t == tp[1])) || !t->wide || !pqf_tmpl_lendable(t, 1)) continue;
        const uint8_t *next = apply_wide(d, t, col, p, left, k, r);
        if (!next) continue;
        for (; i > 0; i--) ring[i] = ring[i - 1];
        ring[0] = t;
        if (tp) {
            tp[1] = tp[0];
            tp[0] = t;
        }
        if (first && t->enc != first[slot]) *dirty = 1;
        return next;
    }
    return NULL;
}

PQF_WIDE_TARGET uint32_t pqf_hit_columns_wide(pqf_dec *d, uint32_t c, uint32_t n, uint64_t rg) {
    wide_consts k;
    wide_consts_init(&k, d);
    PIN_CONSTS(k);
    const pqf_leaf_work *leaves = d->leaves;
    pqf_tmpl **tmpls = d->tmpls;
    uint8_t *misses = d->tmpl_misses;
    pqf_chunk_rec *row = d->row;
    const uint8_t *end = d->cur.end;
    const uint32_t *first = rg ? pqf_enc_firsts(d) : NULL;
    int dirty = 0;
    /* Hits in a loop without calls, so its constants stay in registers. */
    const uint8_t *p = d->cur.p;
    for (; c < n; c++) {
        pqf_prefetch_input(p, end);
        uint32_t slot = leaves[c].slot;
        if (slot == UINT32_MAX) break;
        /* The column's two layouts, most recent first, as the portable path tries them. */
        pqf_tmpl **tp = &tmpls[2 * (size_t)c];
        const uint8_t *next = apply_wide(d, tp[0], c, p, (size_t)(end - p), &k, &row[slot]);
        if (!next) {
            if ((next = apply_wide(d, tp[1], c, p, (size_t)(end - p), &k, &row[slot]))) pqf_tmpl_swap(tp);
            else if (!(next = ring_wide(d, tp, c, p, (size_t)(end - p), &k, &row[slot], first, slot, &dirty))) break;
        }
        misses[c] = 0;
        p = next;
    }
    if (dirty) pqf_enc_dirty(d);
    d->cur.p = p;
    return c;
}

PQF_WIDE_TARGET uint32_t pqf_hit_shared_wide(pqf_dec *d, uint32_t c, uint32_t n) {
    if (!d->nrecent) return c;
    wide_consts k;
    wide_consts_init(&k, d);
    PIN_CONSTS(k);
    const pqf_leaf_work *leaves = d->leaves;
    pqf_chunk_rec *row = d->row;
    const uint8_t *end = d->cur.end;
    const uint8_t *p = d->cur.p;
    const uint32_t c0 = c;
    for (; c < n; c++) {
        pqf_prefetch_input(p, end);
        uint32_t slot = leaves[c].slot;
        if (slot == UINT32_MAX) break;
        const uint8_t *next = ring_wide(d, NULL, c, p, (size_t)(end - p), &k, &row[slot], NULL, slot, NULL);
        if (!next) break;
        p = next;
    }
    if (c > c0) d->shared_misses = 0;
    d->cur.p = p;
    return c;
}
#else
typedef int pqf_no_wide_path; /* no AVX-512 path in this build (see template.h) */
#endif
