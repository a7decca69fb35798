/*
 * The AVX-512 path for the row-group loop, chosen at run time.
 *
 * A chunk whose template is "wide" (the common layout, at most 256 bytes,
 * values in the first 128) is checked and read with 64-byte vectors: masked
 * loads hold the whole chunk, one masked compare per vector checks its
 * structure, and one byte permute picks the six values out of the first two. Everything else (misses, other layouts, page
 * index, columns outside the projection) goes through pqf_decode_column(),
 * so both paths accept and refuse the same bytes with the same errors; tests
 * and fuzzers compare them (PQF_PORTABLE turns this path off).
 *
 * Functions here carry a target attribute instead of the file taking -m
 * flags, so nothing in it runs unless pqf_cpu_wide() said yes.
 */
#include "template.h"

#ifdef PQF_HAVE_WIDE
#include <immintrin.h>

/* libgcc and compiler-rt fill in the CPU model (xgetbv included) before main. */
int pqf_cpu_wide(void) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
           __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
}

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

/* A mask of the first k bytes of a 64-byte vector (BZHI reads only the low
 * 8 bits of its index, so larger k must not reach it). */
PQF_WIDE_TARGET static inline __mmask64 first_bytes(unsigned k) { return k >= 64 ? ~0ull : _bzhi_u64(~0ull, k); }

/* pqf_tmpl_apply() for a wide template and a stored chunk without page index
 * or bloom: 1 on a hit, 0 to let the portable path decide. */
PQF_WIDE_TARGET static inline __attribute__((always_inline)) int apply_wide(pqf_dec *d, const pqf_tmpl *t, pqf_chunk_rec *r) {
    const unsigned n = t->len; /* 1..PQF_TMPL_WIDE_MAX */
    const uint8_t *p = d->p;
    if ((size_t)(d->end - p) < n) return 0;
    /* Masked loads read only the chunk's n bytes (the rest are zero), so
     * nothing past them needs to be readable. */
    __m512i x0 = _mm512_maskz_loadu_epi8(first_bytes(n), p);
    __m512i x1 = _mm512_maskz_loadu_epi8(first_bytes(n > 64 ? n - 64 : 0), p + 64);
    __m512i d0 = _mm512_and_si512(_mm512_xor_si512(x0, _mm512_load_si512(t->bytes)), _mm512_load_si512(t->mask));
    __m512i d1 = _mm512_and_si512(_mm512_xor_si512(x1, _mm512_load_si512(t->bytes + 64)),
                                  _mm512_load_si512(t->mask + 64));
    __m512i diff = _mm512_or_si512(d0, d1);
    if (n > 128) { /* the same for bytes 128..255 (long column names, say); values lie before */
        __m512i x2 = _mm512_maskz_loadu_epi8(first_bytes(n - 128), p + 128);
        __m512i x3 = _mm512_maskz_loadu_epi8(first_bytes(n > 192 ? n - 192 : 0), p + 192);
        __m512i d2 = _mm512_and_si512(_mm512_xor_si512(x2, _mm512_load_si512(t->bytes + 128)),
                                      _mm512_load_si512(t->mask + 128));
        __m512i d3 = _mm512_and_si512(_mm512_xor_si512(x3, _mm512_load_si512(t->bytes + 192)),
                                      _mm512_load_si512(t->mask + 192));
        diff = _mm512_or_si512(diff, _mm512_or_si512(d2, d3));
    }
    if (_mm512_test_epi64_mask(diff, diff)) return 0;

    /* Lane i (< 6) gets the 8 bytes at woff[i], masked to its wlen[i] bytes
     * of 7 payload bits; lanes 6 and 7 stay zero. Indexes past 127 wrap
     * (the permute reads 7 bits), but only onto bytes the length mask drops:
     * a value's own bytes lie in the first 128 (see record()). */
    const __m512i iota = _mm512_set1_epi64(0x0706050403020100ll);
    __m512i ol = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)t->woff));
    __m512i offs = _mm512_permutexvar_epi8(_mm512_set_epi64(0, 0, SPREAD(5), SPREAD(4), SPREAD(3), SPREAD(2), SPREAD(1), 0), ol);
    __m512i lens = _mm512_permutexvar_epi8(_mm512_set_epi64(0, 0, SPREAD(11), SPREAD(10), SPREAD(9), SPREAD(8), SPREAD(7), SPREAD(6)), ol);
    __m512i v = _mm512_permutex2var_epi8(x0, _mm512_add_epi8(offs, iota), x1);
    __mmask64 in = _mm512_cmplt_epu8_mask(iota, lens) & 0x0000FFFFFFFFFFFFull;
    v = _mm512_maskz_mov_epi8(in, _mm512_and_si512(v, _mm512_set1_epi8(0x7F)));
    /* Gather the 7-bit groups of each lane, as pqf_varint_gather() does. */
    const __m512i m8 = _mm512_set1_epi16((short)0xFF00), m16 = _mm512_set1_epi32((int)0xFFFF0000);
    const __m512i m32 = _mm512_set1_epi64((long long)0xFFFFFFFF00000000ull);
    v = _mm512_or_si512(_mm512_andnot_si512(m8, v), _mm512_srli_epi16(_mm512_and_si512(v, m8), 1));
    v = _mm512_or_si512(_mm512_andnot_si512(m16, v), _mm512_srli_epi32(_mm512_and_si512(v, m16), 2));
    v = _mm512_or_si512(_mm512_andnot_si512(m32, v), _mm512_srli_epi64(_mm512_and_si512(v, m32), 4));
    /* A zigzag sign bit means a negative value: the portable path refuses it. */
    if (_mm512_test_epi64_mask(v, _mm512_set1_epi64(1))) return 0;
    v = _mm512_srli_epi64(v, 1);

    /* The chunk's start and placement from registers: reading back the
     * record just stored would wait for the store to complete. */
    __m128i fo_nv = _mm512_castsi512_si128(v), tus_tcs = _mm512_extracti32x4_epi32(v, 1);
    __m128i dpo_dict = _mm512_extracti32x4_epi32(v, 2);
    pqf_chunk_rec c = {.fo = _mm_cvtsi128_si64(fo_nv), .tcs = _mm_extract_epi64(tus_tcs, 1),
                       .dpo = _mm_cvtsi128_si64(dpo_dict), .dict = _mm_extract_epi64(dpo_dict, 1),
                       .has = t->has};
    if (c.has & PQF_CH_META) {
        c.start = c.dpo;
        if ((c.has & PQF_CH_DICT) && c.dict > 0 && c.dict < c.dpo) c.start = c.dict;
    }
    if (d->data_end) {
        const char *field;
        if (pqf_chunk_place_error(d, &c, NULL, &field)) return 0;
    }
    /* fo, nv, tus, tcs, dpo, dict are the record's first six fields */
    _mm512_mask_storeu_epi64(&r->fo, 0x3F, v);
    r->start = c.start;
    _mm_storeu_si128((__m128i *)&r->type, _mm_load_si128((const __m128i *)&t->type));
    d->p = p + n;
    return 1;
}

PQF_WIDE_TARGET int pqf_decode_columns_wide(pqf_dec *d, uint64_t rg, uint32_t n) {
    int rc;
    for (uint32_t c = 0; c < n; c++) {
        uint32_t slot = d->leaves[c].slot;
        pqf_prefetch_input(d);
        if (d->tmpls && slot != UINT32_MAX && !d->ext) {
            /* The column's two layouts, most recent first, as pqf_decode_column() tries them. */
            pqf_tmpl **tp = &d->tmpls[2 * (size_t)c];
            if (tp[0] && tp[0]->wide && apply_wide(d, tp[0], &d->row[slot])) {
                d->tmpl_misses[c] = 0;
                continue;
            }
            if (tp[1] && tp[1]->wide && apply_wide(d, tp[1], &d->row[slot])) {
                pqf_tmpl_swap(tp);
                d->tmpl_misses[c] = 0;
                continue;
            }
        }
        if ((rc = pqf_decode_column(d, rg, c))) return rc;
    }
    return 0;
}
#else
typedef int pqf_no_wide_path; /* no AVX-512 path in this build (see template.h) */
#endif
