/* Staging residuals row group by row group (see model_stage.h). */
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "model_stage.h"

int pqf_model_begin(pqf_dec *d) {
    uint32_t n = d->nslots ? d->nslots : 1;
    pqf_model_stats *ms = pqf_arena_alloc(&d->work, sizeof *ms);
    if (!ms) return pqf_fail_mem(d);
    memset(ms, 0, sizeof *ms);
    /* 16 extra bytes to align the hot records to 32 (the arena gives 16) */
    uint8_t *hot = pqf_arena_alloc(&d->work, (size_t)n * sizeof *ms->hot + 16);
    ms->range = pqf_arena_alloc(&d->work, (size_t)n * sizeof *ms->range);
    if (!hot || !ms->range) return pqf_fail_mem(d);
    memset(ms->range, 0, (size_t)n * sizeof *ms->range);
    ms->cols = d->cols;
    ms->slot_col = d->slot_col;
    ms->hot = (hot_stats *)(hot + (32 - ((uintptr_t)hot & 31)) % 32);
    for (uint32_t s = 0; s < d->nslots; s++) {
        hot_stats *h = &ms->hot[s];
        memset(h, 0, sizeof *h);
        /* meta_raw: set by the first row group */
        h->fo_zero = (minmax){INT64_MAX, INT64_MIN};
        for (unsigned l = 0; l < LN_COUNT; l++) {
            h->lanes.mn[l] = INT32_MAX;
            h->lanes.mx[l] = INT32_MIN;
        }
    }
    d->stats = ms;
    return 0;
}

/* The column's exact ranges, created empty when it first needs them; NULL on no memory. */
static exact_range *slot_range(pqf_dec *d, uint32_t s) {
    exact_range **slot = &d->stats->range[s];
    if (PQF_LIKELY(*slot != NULL)) return *slot;
    exact_range *r = pqf_arena_alloc(&d->work, sizeof *r);
    if (!r) {
        pqf_fail_mem(d);
        return NULL;
    }
    for (unsigned f = 0; f < CF_COUNT; f++) r->f[f] = (minmax){INT64_MAX, INT64_MIN};
    for (unsigned k = 0; k < FO_CANDIDATES; k++) r->fo[k] = (minmax){INT64_MAX, INT64_MIN};
    *slot = r;
    return r;
}

/* Give absent values the value their default reference predicts, so a field
 * that is missing costs no bits. The accessor masks them out by `has`. Slots
 * before s are already final. */
static void normalize_chunk(pqf_dec *d, uint64_t rg, uint32_t s) {
    pqf_chunk_rec *row = d->row, *r = &row[s];
    if (!(r->has & PQF_CH_META)) {
        const pqf_column *c = &d->cols[d->slot_col[s]];
        r->type = c->type;
        r->codec = 0;
        r->tcs = r->tus = 0;
        r->nv = d->rgs[rg].num_rows;
        /* unsigned: a huge previous chunk must wrap, not overflow */
        uint64_t pred = (s && (s % PQF_CHAIN)) ? (uint64_t)row[s - 1].start + (uint64_t)row[s - 1].tcs
                                              : (s ? (uint64_t)row[0].start : 0);
        memcpy(&r->start, &pred, sizeof pred);
        r->dpo = r->start;
    }
    if (!(r->has & PQF_CH_DICT)) r->dict = r->start;
}

/* Start staging row group rg: its base is its first stored chunk's start,
 * once normalized. */
PQF_INLINE uint64_t row_begin(pqf_dec *d, uint64_t rg) {
    if (d->nslots) normalize_chunk(d, rg, 0); /* before its start becomes the row's base */
    uint64_t row_start = d->nslots ? (uint64_t)d->row[0].start : 0;
    d->rgs[rg].base = row_start;
    return row_start;
}

/* Normalize chunk s and return what its start is predicted from: the previous
 * chunk's end (*prev_end, then moved on to this chunk's) or the row's base. */
PQF_INLINE uint64_t slot_pred(pqf_dec *d, uint64_t rg, uint32_t s, uint64_t row_start, uint64_t *prev_end) {
    const pqf_chunk_rec *r = &d->row[s];
    if (PQF_UNLIKELY((r->has & (PQF_CH_META | PQF_CH_DICT)) != (PQF_CH_META | PQF_CH_DICT)))
        normalize_chunk(d, rg, s);
    uint64_t pred = (s % PQF_CHAIN) ? *prev_end : row_start;
    *prev_end = (uint64_t)r->start + (uint64_t)r->tcs;
    return pred;
}

static int add_escape(pqf_dec *d, const uint64_t w[ESC_WORDS], uint32_t *index) {
    pqf_model_stats *ms = d->stats;
    if (ms->nesc == ms->esc_cap) {
        if (ms->esc_cap > UINT32_MAX / 2) return pqf_fail_mem(d);
        uint32_t cap = ms->esc_cap ? 2 * ms->esc_cap : 64;
        uint64_t *n = pqf_arena_alloc(&d->work, (size_t)cap * ESC_WORDS * sizeof *n);
        if (!n) return pqf_fail_mem(d);
        if (ms->nesc) memcpy(n, ms->esc, (size_t)ms->nesc * ESC_WORDS * sizeof *n);
        ms->esc = n;
        ms->esc_cap = cap;
    }
    memcpy(ms->esc + (size_t)ms->nesc * ESC_WORDS, w, ESC_WORDS * sizeof *w);
    *index = ms->nesc++;
    return 0;
}

/* Nonzero unless x, read as int64, fits an int32. */
PQF_INLINE uint64_t wide32(uint64_t x) { return (x + UINT64_C(0x80000000)) >> 32; }

/* Nonzero unless x, read as int64, fits a narrow lane (INT16_MIN left out). */
PQF_INLINE uint64_t wide16(uint64_t x) { return (x + UINT64_C(0x7FFF)) > UINT64_C(0xFFFE); }

/* The first residual that does not fit 16 bits: the n records staged so far
 * (row-major, so every record before it) become full width in place, from
 * the last (record i's 32 bytes start at or past the end of narrow records
 * 0..i-1), and every later record is full width. Through memcpy: the block
 * changes the type it holds. */
static void widen(pqf_dec *d, size_t n) {
    uint8_t *b = (uint8_t *)d->res;
    for (size_t i = n; i-- > 0;) {
        int16_t v16[LN_COUNT];
        int32_t v32[LN_COUNT];
        memcpy(v16, b + i * sizeof(pqf_res16_rec), sizeof v16);
        for (unsigned l = 0; l < LN_COUNT; l++) v32[l] = v16[l];
        memcpy(b + i * sizeof(pqf_res_rec), v32, sizeof v32);
    }
    d->res16 = NULL;
}

/* The first chunk that is not plain (see pqf_res8_rec): the n compact
 * records staged so far become narrow in place, from the last (record i's
 * 16 bytes start at or past the end of compact records 0..i-1). Their lanes
 * fit: each was checked narrow before it was kept compact. */
static void widen8(pqf_dec *d, size_t n) {
    uint8_t *b = (uint8_t *)d->res;
    for (size_t i = n; i-- > 0;) {
        pqf_res8_rec c;
        int32_t v32[LN_COUNT];
        int16_t v16[LN_COUNT];
        memcpy(&c, b + i * sizeof(pqf_res8_rec), sizeof c);
        pqf_res8_lanes(&c, v32);
        for (unsigned l = 0; l < LN_COUNT; l++) v16[l] = (int16_t)v32[l];
        memcpy(b + i * sizeof(pqf_res16_rec), v16, sizeof v16);
    }
    d->res8 = NULL;
}

#ifdef __SSE2__
/* Lanes a (0-3) and b (4-7) packed to 16 bits, when each fits (INT16_MIN left out). */
PQF_INLINE int pack16(__m128i a, __m128i b, __m128i *out) {
    __m128i p = _mm_packs_epi32(a, b); /* saturates: a lane that did not fit comes back different */
    __m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(p, p), 16), hi = _mm_srai_epi32(_mm_unpackhi_epi16(p, p), 16);
    __m128i same = _mm_and_si128(_mm_cmpeq_epi32(lo, a), _mm_cmpeq_epi32(hi, b));
    __m128i floor = _mm_set1_epi16(INT16_MIN);
    *out = p;
    return _mm_movemask_epi8(same) == 0xFFFF && !_mm_movemask_epi8(_mm_cmpeq_epi16(p, floor));
}

/* Nonzero when p, a record's lanes packed to 16 bits, is plain: its DICT, NV
 * and FO_START are 0 (the lanes a compact record leaves out). */
PQF_INLINE int plain16(__m128i p) {
    _Static_assert(C8_ZERO_LANES == 0x58, "the zero lanes' bytes below: 6-9 and 12-13");
    return (_mm_movemask_epi8(_mm_cmpeq_epi16(p, _mm_setzero_si128())) & 0x33C0) == 0x33C0;
}

/* Store lanes a (0-3) and b (4-7) in record idx (narrow: as p, their 16-bit
 * packing; compact: p's TUS, TCS, DPO and START, the other lanes being 0 but
 * FO_END) and fold them into the column's minimum and maximum. */
PQF_INLINE void stage_vectors(pqf_dec *d, size_t idx, lane_stats *ls, __m128i a, __m128i b, __m128i p) {
    if (d->res8) {
        /* 32-bit halves (TUS, TCS) (DPO, 0) (0, START): the second or-ed with the third */
        __m128i start_up = _mm_and_si128(_mm_srli_si128(p, 4), _mm_set_epi32(0, 0, -1, 0));
        _mm_storel_epi64((__m128i *)d->res8[idx].v, _mm_or_si128(p, start_up));
    } else if (d->res16) {
        _mm_storeu_si128((__m128i *)d->res16[idx].v, p);
    } else {
        _mm_storeu_si128((__m128i *)d->res[idx].v, a);
        _mm_storeu_si128((__m128i *)(d->res[idx].v + 4), b);
    }
    __m128i mn0 = _mm_loadu_si128((const __m128i *)ls->mn), mn1 = _mm_loadu_si128((const __m128i *)(ls->mn + 4));
    __m128i mx0 = _mm_loadu_si128((const __m128i *)ls->mx), mx1 = _mm_loadu_si128((const __m128i *)(ls->mx + 4));
    __m128i g0 = _mm_cmpgt_epi32(mn0, a), g1 = _mm_cmpgt_epi32(mn1, b);
    mn0 = _mm_or_si128(_mm_and_si128(g0, a), _mm_andnot_si128(g0, mn0));
    mn1 = _mm_or_si128(_mm_and_si128(g1, b), _mm_andnot_si128(g1, mn1));
    g0 = _mm_cmpgt_epi32(a, mx0);
    g1 = _mm_cmpgt_epi32(b, mx1);
    mx0 = _mm_or_si128(_mm_and_si128(g0, a), _mm_andnot_si128(g0, mx0));
    mx1 = _mm_or_si128(_mm_and_si128(g1, b), _mm_andnot_si128(g1, mx1));
    _mm_storeu_si128((__m128i *)ls->mn, mn0);
    _mm_storeu_si128((__m128i *)(ls->mn + 4), mn1);
    _mm_storeu_si128((__m128i *)ls->mx, mx0);
    _mm_storeu_si128((__m128i *)(ls->mx + 4), mx1);
}

/* The common case with vectors: the chunk's fixed fields are its column's
 * first chunk's and every lane fits an int32. Returns 0 otherwise (nothing
 * stored), for the scalar path to decide. */
PQF_INLINE int stage_common(pqf_dec *d, size_t idx, const pqf_chunk_rec *r, hot_stats *h, uint64_t pred,
                            uint64_t rows) {
    const __m128i zero = _mm_setzero_si128();
    __m128i fo_nv = _mm_loadu_si128((const __m128i *)&r->fo);
    __m128i tus_tcs = _mm_loadu_si128((const __m128i *)&r->tus);
    __m128i dpo_dict = _mm_loadu_si128((const __m128i *)&r->dpo);
    __m128i start = _mm_loadl_epi64((const __m128i *)&r->start);
    __m128i meta = _mm_loadu_si128((const __m128i *)&r->type);
    __m128i starts = _mm_unpacklo_epi64(start, start);
    __m128i tcs_hi = _mm_unpackhi_epi64(zero, tus_tcs); /* (0, tcs) */
    __m128i nv_start = _mm_castpd_si128(_mm_shuffle_pd(_mm_castsi128_pd(fo_nv), _mm_castsi128_pd(starts), 1));
    __m128i l01 = _mm_sub_epi64(tus_tcs, _mm_unpackhi_epi64(tus_tcs, zero)); /* tus - tcs, tcs */
    __m128i l23 = _mm_sub_epi64(dpo_dict, starts);                            /* dpo - start, dict - start */
    __m128i l45 = _mm_sub_epi64(nv_start, _mm_set_epi64x((long long)pred, (long long)rows));
    __m128i l67 = _mm_sub_epi64(_mm_sub_epi64(_mm_unpacklo_epi64(fo_nv, fo_nv), starts), tcs_hi);
    /* Every lane fits an int32 when adding 2^31 leaves its high half zero. */
    const __m128i bias = _mm_set1_epi64x(INT64_C(0x80000000));
    __m128i hi = _mm_or_si128(_mm_or_si128(_mm_add_epi64(l01, bias), _mm_add_epi64(l23, bias)),
                              _mm_or_si128(_mm_add_epi64(l45, bias), _mm_add_epi64(l67, bias)));
    __m128i ok = _mm_cmpeq_epi32(_mm_srli_epi64(hi, 32), zero);
    ok = _mm_and_si128(ok, _mm_cmpeq_epi32(meta, _mm_load_si128((const __m128i *)h->meta_raw)));
    if (_mm_movemask_epi8(ok) != 0xFFFF) return 0;
    /* Low halves, in lane order. */
    __m128i a = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(l01), _mm_castsi128_ps(l23), _MM_SHUFFLE(2, 0, 2, 0)));
    __m128i b = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(l45), _mm_castsi128_ps(l67), _MM_SHUFFLE(2, 0, 2, 0)));
    __m128i p = a;
    if (d->res16 && !pack16(a, b, &p)) return 0;   /* the scalar path widens */
    if (d->res8 && !plain16(p)) return 0;           /* the scalar path makes them narrow */
    mm_add(&h->fo_zero, (uint64_t)r->fo);
    stage_vectors(d, idx, &h->lanes, a, b, p);
    return 1;
}
#endif

#ifndef __SSE2__
/* Store eight lanes in record idx and fold them into the column's minimum and maximum. */
PQF_INLINE void stage_lanes(pqf_dec *d, size_t idx, lane_stats *ls, const int32_t l[LN_COUNT]) {
    if (d->res8) {
        pqf_res8_rec *c = &d->res8[idx];
        c->v[C8_TUS] = (int16_t)l[LN_TUS];
        c->v[C8_TCS] = (int16_t)l[LN_TCS];
        c->v[C8_DPO] = (int16_t)l[LN_DPO];
        c->v[C8_START] = (int16_t)l[LN_START];
    } else {
        for (unsigned i = 0; i < LN_COUNT; i++) {
            if (d->res16) d->res16[idx].v[i] = (int16_t)l[i];
            else d->res[idx].v[i] = l[i];
        }
    }
    for (unsigned i = 0; i < LN_COUNT; i++) {
        if (l[i] < ls->mn[i]) ls->mn[i] = l[i];
        if (l[i] > ls->mx[i]) ls->mx[i] = l[i];
    }
}
#endif

/* Stage chunk s of row group rg lane by lane, or as an escape when its fixed
 * fields differ from its column's first chunk's or a lane does not fit. */
static int stage_scalar(pqf_dec *d, uint64_t rg, uint32_t s, const pqf_chunk_rec *r, uint64_t pred,
                        uint64_t rows) {
    pqf_model_stats *ms = d->stats;
    hot_stats *h = &ms->hot[s];
    const size_t idx = (size_t)(rg * d->nslots + s);
    uint64_t start = (uint64_t)r->start, tcs = (uint64_t)r->tcs, fo = (uint64_t)r->fo;
    /* Lanes in named scalars: an array would be stored and reloaded as vectors. */
    uint64_t rstart = start - pred, tus = (uint64_t)r->tus - tcs, dpo = (uint64_t)r->dpo - start;
    uint64_t dict = (uint64_t)r->dict - start, nv = (uint64_t)r->nv - rows;
    uint64_t fo_start = fo - start, fo_end = fo_start - tcs;
    if (rg == 0) { /* the column's first chunk: its meta (pqf_stage_meta()) */
        h->meta_raw[0] = (uint32_t)r->type; /* pqf_chunk_rec's order: stage_common loads them as one vector */
        h->meta_raw[1] = (uint32_t)r->codec;
        h->meta_raw[2] = r->fpath;
        h->meta_raw[3] = r->has;
    }
    /* fixed fields unlike the first chunk's (their residuals differ exactly then) */
    uint64_t wide = (r->has ^ h->meta_raw[3]) | ((uint32_t)r->type ^ h->meta_raw[0]) |
                    ((uint32_t)r->codec ^ h->meta_raw[1]) | (r->fpath ^ h->meta_raw[2]);
    wide |= wide32(tcs) | wide32(rstart) | wide32(tus) | wide32(dpo) | wide32(dict) | wide32(nv) |
            wide32(fo_start) | wide32(fo_end);
    const uint64_t not16 = wide16(tcs) | wide16(rstart) | wide16(tus) | wide16(dpo) | wide16(dict) | wide16(nv) |
                           wide16(fo_start) | wide16(fo_end);
    if (d->res8 && (wide || not16 || (dict | nv | fo_start))) widen8(d, idx); /* not plain */
    if (d->res16 && (wide || not16)) widen(d, idx);
    if (PQF_LIKELY(!wide)) {
        mm_add(&h->fo_zero, fo);
#ifdef __SSE2__
        /* vectors from registers: an array written lane by lane and loaded
         * as vectors stalls on store forwarding */
        _Static_assert(LN_TUS == 0 && LN_TCS == 1 && LN_DPO == 2 && LN_DICT == 3 && LN_NV == 4 && LN_START == 5 &&
                           LN_FO_START == 6 && LN_FO_END == 7, "lane order");
        __m128i a = _mm_set_epi32((int32_t)dict, (int32_t)dpo, (int32_t)tcs, (int32_t)tus);
        __m128i b = _mm_set_epi32((int32_t)fo_end, (int32_t)fo_start, (int32_t)rstart, (int32_t)nv);
        stage_vectors(d, idx, &h->lanes, a, b, _mm_packs_epi32(a, b));
#else
        const int32_t l[LN_COUNT] = {
            [LN_TCS] = (int32_t)tcs, [LN_START] = (int32_t)rstart, [LN_TUS] = (int32_t)tus,
            [LN_DPO] = (int32_t)dpo, [LN_DICT] = (int32_t)dict, [LN_NV] = (int32_t)nv,
            [LN_FO_START] = (int32_t)fo_start, [LN_FO_END] = (int32_t)fo_end,
        };
        stage_lanes(d, idx, &h->lanes, l);
#endif
        return 0;
    }
    const uint64_t leaf = (uint64_t)(int64_t)d->cols[d->slot_col[s]].type;
    uint64_t w[ESC_WORDS] = {
        [CF_HAS] = (uint64_t)r->has - PQF_CH_META, [CF_TYPE] = (uint64_t)(int64_t)r->type - leaf,
        [CF_CODEC] = (uint64_t)(int64_t)r->codec, [CF_TCS] = tcs,
        [CF_START] = rstart, [CF_TUS] = tus, [CF_DPO] = dpo,
        [CF_DICT] = dict, [CF_NV] = nv, [CF_FO] = fo_start,
        [CF_FPATH] = r->fpath, [ESC_ABS_START] = start,
    };
    exact_range *xr = slot_range(d, s);
    if (!xr) return PQF_ERR_NOMEM;
    for (unsigned f = 0; f <= CF_FPATH; f++)
        if (f != CF_FO) mm_add(&xr->f[f], w[f]);
    mm_add(&xr->fo[FO_VS_START], fo_start);
    mm_add(&xr->fo[FO_VS_END], fo_end);
    mm_add(&xr->fo[FO_VS_ZERO], fo);
    uint32_t esc = 0;
    if (add_escape(d, w, &esc)) return PQF_ERR_NOMEM;
    d->res[idx].v[LN_TCS] = ESC_MARK; /* widened above: escapes are full width */
    d->res[idx].v[LN_ESC_INDEX] = (int32_t)esc;
    return 0;
}

#ifdef PQF_HAVE_WIDE
#include <immintrin.h>

_Static_assert(offsetof(pqf_chunk_rec, fo) == 0 && offsetof(pqf_chunk_rec, nv) == 8 &&
                   offsetof(pqf_chunk_rec, tus) == 16 && offsetof(pqf_chunk_rec, tcs) == 24 &&
                   offsetof(pqf_chunk_rec, dpo) == 32 && offsetof(pqf_chunk_rec, dict) == 40 &&
                   offsetof(pqf_chunk_rec, start) == 48 && offsetof(pqf_chunk_rec, fpath) + 4 <= 72,
               "stage_common_wide reads a chunk record's first 64 bytes as eight int64 lanes");

/* What stage_common_wide() needs that does not change from chunk to chunk. */
typedef struct stage_consts {
    __m512i val_idx, pre_idx, tcs_idx;
    __m128i c8_idx; /* a narrow record's words that a compact one keeps */
} stage_consts;

/* stage_common() with AVX-512: all eight lanes in one vector. In row group 0
 * (first) the chunk's fixed fields become its column's first chunk's, as
 * stage_scalar() sets them. */
PQF_WIDE_TARGET static inline __attribute__((always_inline)) int
stage_common_wide(const pqf_chunk_rec *r, hot_stats *h, void *out, uint64_t pred, uint64_t rows, __mmask8 keep,
                  const stage_consts *k, const int first, const int width) {
    /* fo, nv, tus, tcs, dpo, dict, start, (type, codec) */
    __m512i rec = _mm512_loadu_si512(r);
    __m512i ref = _mm512_zextsi128_si512(_mm_set_epi64x((long long)pred, (long long)rows));
    /* value - what predicts it, lane by lane (index 8 + k is ref's lane k, 10 is zero) */
    __m512i val = _mm512_permutexvar_epi64(k->val_idx, rec);
    __m512i pre = _mm512_permutex2var_epi64(rec, k->pre_idx, ref);
    __m512i res = _mm512_maskz_sub_epi64(keep, val, pre);
    /* FO_END: FO_START (lane 7 holds it so far) minus TCS (lane 1) */
    res = _mm512_mask_sub_epi64(res, 0x80, res, _mm512_permutexvar_epi64(k->tcs_idx, res));
    __m256i lanes = _mm512_cvtepi64_epi32(res);
    __mmask8 fits = _mm512_cmpeq_epi64_mask(_mm512_cvtepi32_epi64(lanes), res);
    __m128i meta = _mm_loadu_si128((const __m128i *)&r->type);
    if (first) {
        if (fits != 0xFF) return 0;
        _mm_store_si128((__m128i *)h->meta_raw, meta);
    } else if (fits != 0xFF || _mm_cmpeq_epi32_mask(meta, _mm_load_si128((const __m128i *)h->meta_raw)) != 0xF) {
        return 0;
    }
    if (width == REC32) {
        _mm256_storeu_si256((__m256i *)out, lanes);
    } else { /* every lane in 16 bits (INT16_MIN left out), and compact: plain; else the scalar path widens */
        __m128i n16 = _mm256_cvtepi32_epi16(lanes);
        __mmask8 bad = _mm_cmpeq_epi16_mask(n16, _mm_set1_epi16(INT16_MIN));
        if (width == REC8) bad |= _mm_mask_test_epi16_mask(C8_ZERO_LANES, n16, n16);
        if (_mm256_cmpeq_epi32_mask(_mm256_cvtepi16_epi32(n16), lanes) != 0xFF || bad) return 0;
        if (width == REC8) _mm_storel_epi64((__m128i *)out, _mm_permutexvar_epi16(k->c8_idx, n16));
        else _mm_storeu_si128((__m128i *)out, n16);
    }
    mm_add(&h->fo_zero, (uint64_t)r->fo);
    __m256i *mn = (__m256i *)h->lanes.mn, *mx = (__m256i *)h->lanes.mx;
    _mm256_store_si256(mn, _mm256_min_epi32(_mm256_load_si256(mn), lanes));
    _mm256_store_si256(mx, _mm256_max_epi32(_mm256_load_si256(mx), lanes));
    return 1;
}

/* Chunks s, s+1, ... of row group rg that have META and stage as vectors, in
 * a loop without calls, into records of one width (a constant in each copy);
 * returns the first chunk that did not. Without a dictionary page DICT's
 * residual is 0, as normalize_chunk() makes it (the chunk's start). */
PQF_WIDE_TARGET static inline __attribute__((always_inline)) uint32_t
stage_run(pqf_dec *d, uint64_t rg, uint32_t s, uint64_t rows, uint64_t row_start, uint64_t *prev_end_io,
          const stage_consts *k, const int first, const int width) {
    const uint32_t n = d->nslots;
    const pqf_chunk_rec *row = d->row;
    hot_stats *hot = d->stats->hot;
    const size_t rec_size = width == REC8 ? sizeof(pqf_res8_rec) : width == REC16 ? sizeof(pqf_res16_rec)
                                                                                 : sizeof(pqf_res_rec);
    uint8_t *out = (uint8_t *)d->res + (size_t)(rg * n) * rec_size;
    uint64_t prev_end = *prev_end_io;
    for (; s < n; s++) {
        const pqf_chunk_rec *r = &row[s];
        if (PQF_UNLIKELY(!(r->has & PQF_CH_META))) break;
        uint64_t pred = (s % PQF_CHAIN) ? prev_end : row_start;
        __mmask8 keep = (r->has & PQF_CH_DICT) ? 0xFF : (__mmask8)~(1u << LN_DICT);
        if (!stage_common_wide(r, &hot[s], out + s * rec_size, pred, rows, keep, k, first, width)) break;
        prev_end = (uint64_t)r->start + (uint64_t)r->tcs;
    }
    *prev_end_io = prev_end;
    return s;
}

/* pqf_model_observe_row() without page index or bloom (first: row group 0). */
PQF_WIDE_TARGET static inline __attribute__((always_inline)) int observe_row_wide(pqf_dec *d, uint64_t rg,
                                                                                  const int first) {
    const uint32_t n = d->nslots;
    const uint64_t rows = (uint64_t)d->rgs[rg].num_rows;
    uint64_t row_start = row_begin(d, rg), prev_end = 0;
    stage_consts k = {
        .val_idx = _mm512_set_epi64(0, 0, 6, 1, 5, 4, 3, 2),
        .pre_idx = _mm512_set_epi64(6, 6, 9, 8, 6, 6, 10, 3),
        .tcs_idx = _mm512_set1_epi64(1),
        .c8_idx = _mm_set_epi16(0, 0, 0, 0, LN_START, LN_DPO, LN_TCS, LN_TUS),
    };
    _Static_assert(C8_TUS == 0 && C8_TCS == 1 && C8_DPO == 2 && C8_START == 3, "c8_idx's order");
    PQF_PIN(k.val_idx);
    PQF_PIN(k.pre_idx);
    PQF_PIN(k.tcs_idx);
    PQF_PIN(k.c8_idx);
    uint32_t s = 0;
    while (s < n) {
        /* the records' width now (stage_scalar() may have widened them) */
        if (d->res8) s = stage_run(d, rg, s, rows, row_start, &prev_end, &k, first, REC8);
        else if (d->res16) s = stage_run(d, rg, s, rows, row_start, &prev_end, &k, first, REC16);
        else s = stage_run(d, rg, s, rows, row_start, &prev_end, &k, first, REC32);
        if (s == n) break;
        /* Chunk s has no META (normalized here) or did not stage as a vector:
         * it escapes, or stages lane by lane. */
        uint64_t pred = slot_pred(d, rg, s, row_start, &prev_end);
        if (stage_scalar(d, rg, s, &d->row[s], pred, rows)) return PQF_ERR_NOMEM;
        s++;
    }
    return 0;
}
PQF_WIDE_TARGET static int observe_first_row_wide(pqf_dec *d) { return observe_row_wide(d, 0, 1); }
PQF_WIDE_TARGET static int observe_later_row_wide(pqf_dec *d, uint64_t rg) { return observe_row_wide(d, rg, 0); }
#endif

/* Called once per decoded row group, while its records are in cache. */
int pqf_model_observe_row(pqf_dec *d, uint64_t rg) {
    d->stats->nobserved = rg + 1;
#ifdef PQF_HAVE_WIDE
    if (d->wide & PQF_WIDE_STAGE) return rg ? observe_later_row_wide(d, rg) : observe_first_row_wide(d);
#endif
    const pqf_chunk_ext_rec *xrow = d->ext ? d->ext + rg * d->nslots : NULL;
    uint64_t rows = (uint64_t)d->rgs[rg].num_rows;
    uint64_t row_start = row_begin(d, rg), prev_end = 0;
    for (uint32_t s = 0; s < d->nslots; s++) {
        uint64_t pred = slot_pred(d, rg, s, row_start, &prev_end);
        const pqf_chunk_rec *r = &d->row[s];
        int staged = 0;
#ifdef __SSE2__
        /* Row group 0 sets each column's first chunk: the scalar path. */
        staged = rg > 0 && stage_common(d, (size_t)(rg * d->nslots + s), r, &d->stats->hot[s], pred, rows);
#endif
        if (!staged && stage_scalar(d, rg, s, r, pred, rows)) return PQF_ERR_NOMEM;
        if (xrow) {
            exact_range *xr = slot_range(d, s);
            if (!xr) return PQF_ERR_NOMEM;
            const pqf_chunk_ext_rec *x = &xrow[s];
            mm_add(&xr->f[CF_OI_OFF], (uint64_t)x->oi_off);
            mm_add(&xr->f[CF_OI_LEN], (uint64_t)x->oi_len);
            mm_add(&xr->f[CF_CI_OFF], (uint64_t)x->ci_off);
            mm_add(&xr->f[CF_CI_LEN], (uint64_t)x->ci_len);
            mm_add(&xr->f[CF_BF_OFF], (uint64_t)x->bf_off);
            mm_add(&xr->f[CF_BF_LEN], (uint64_t)x->bf_len);
        }
    }
    return 0;
}

static minmax merge_lane(minmax m, const lane_stats *ls, unsigned lane) {
    if (ls->mn[lane] <= ls->mx[lane]) {
        if (ls->mn[lane] < m.mn) m.mn = ls->mn[lane];
        if (ls->mx[lane] > m.mx) m.mx = ls->mx[lane];
    }
    return m;
}

void pqf_stage_fields(const pqf_model_stats *ms, uint32_t slot, minmax *out) {
    const exact_range *xr = ms->range[slot];
    const lane_stats *ls = &ms->hot[slot].lanes;
    static const int8_t lane_of[CF_COUNT] = {
        [CF_HAS] = -1, [CF_TYPE] = -1, [CF_CODEC] = -1, [CF_TCS] = LN_TCS, [CF_START] = LN_START,
        [CF_TUS] = LN_TUS, [CF_DPO] = LN_DPO, [CF_DICT] = LN_DICT, [CF_NV] = LN_NV, [CF_FO] = -1,
        [CF_FPATH] = -1, [CF_OI_OFF] = -1, [CF_OI_LEN] = -1, [CF_CI_OFF] = -1, [CF_CI_LEN] = -1,
        [CF_BF_OFF] = -1, [CF_BF_LEN] = -1,
    };
    for (unsigned f = 0; f < CF_COUNT; f++) {
        minmax m = xr ? xr->f[f] : (minmax){INT64_MAX, INT64_MIN};
        if (lane_of[f] >= 0) m = merge_lane(m, ls, (unsigned)lane_of[f]);
        out[f] = m;
    }
    if (ms->nobserved) { /* the fixed fields: the first chunk's value, then the escapes' */
        const slot_meta meta = pqf_stage_meta(ms, slot);
        mm_add(&out[CF_HAS], meta.has);
        mm_add(&out[CF_TYPE], meta.type);
        mm_add(&out[CF_CODEC], meta.codec);
        mm_add(&out[CF_FPATH], meta.fpath);
    }
}

minmax pqf_stage_fo(const pqf_model_stats *ms, uint32_t slot, unsigned candidate) {
    const exact_range *xr = ms->range[slot];
    minmax m = xr ? xr->fo[candidate] : (minmax){INT64_MAX, INT64_MIN};
    const hot_stats *h = &ms->hot[slot];
    if (candidate == FO_VS_START) m = merge_lane(m, &h->lanes, LN_FO_START);
    if (candidate == FO_VS_END) m = merge_lane(m, &h->lanes, LN_FO_END);
    if (candidate == FO_VS_ZERO) {
        if (h->fo_zero.mn < m.mn) m.mn = h->fo_zero.mn;
        if (h->fo_zero.mx > m.mx) m.mx = h->fo_zero.mx;
    }
    return m;
}
