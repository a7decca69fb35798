/*
 * Residual staging, between decoding and packing.
 *
 * After each row group, every stored chunk's residuals (its values minus what
 * their default references predict) go into a 32-byte pqf_res_rec: eight
 * int32 lanes, whose per-column minimum and maximum are kept with SIMD
 * compares. Until a lane does not fit 16 bits the records are 16-byte
 * pqf_res16_recs (footers of small chunks then touch half the memory, and a
 * first decode takes half the page faults); the first that does not fit
 * widens them all (model_stage.c). Before that they are compact: 8-byte
 * pqf_res8_recs of four lanes while every chunk is plain (the other lanes 0,
 * FO_END -TCS), made narrow by the first that is not. HAS, TYPE,
 * CODEC and FPATH are the same for nearly every chunk of a column: a chunk
 * that differs from its column's first, or whose lanes do not fit an int32,
 * is staged as an escape (full 64-bit residuals, exact statistics).
 * pqf_model_build() reads the merged statistics to choose widths, then the
 * staged residuals to pack them.
 */
#ifndef PQF_MODEL_STAGE_H
#define PQF_MODEL_STAGE_H

#include "model.h"

typedef struct minmax {
    int64_t mn, mx;
} minmax;

PQF_INLINE int64_t as_signed(uint64_t u) {
    int64_t s;
    memcpy(&s, &u, sizeof s);
    return s;
}
/* New extremes are rare after the first row groups: branches beat stores. */
PQF_INLINE void mm_add(minmax *m, uint64_t residual) {
    int64_t v = as_signed(residual);
    if (PQF_UNLIKELY(v < m->mn)) m->mn = v;
    if (PQF_UNLIKELY(v > m->mx)) m->mx = v;
}
PQF_INLINE unsigned mm_width(const minmax *m) {
    uint64_t range = (uint64_t)m->mx - (uint64_t)m->mn;
    return range ? 64u - (unsigned)__builtin_clzll(range) : 0u;
}

/* FO may be stored against the chunk start, its end, or zero. */
#define FO_CANDIDATES 3
enum { FO_VS_START, FO_VS_END, FO_VS_ZERO };

/* Statistics of one column, field by field into out[CF_COUNT] (CF_FO's is
 * not meaningful: see pqf_stage_fo). An empty range (mn > mx) means no
 * chunk had the field. */
void pqf_stage_fields(const pqf_model_stats *ms, uint32_t slot, minmax *out);
minmax pqf_stage_fo(const pqf_model_stats *ms, uint32_t slot, unsigned candidate);

/* Lanes of a staged record, in the order the SSE2 path forms them: (TUS, TCS),
 * (DPO, DICT), (NV, START), (FO_START, FO_END). An escape has ESC_MARK in its
 * TCS lane (never a real one: sizes are not negative) and its escape index in
 * LN_ESC_INDEX. */
enum { LN_TUS, LN_TCS, LN_DPO, LN_DICT, LN_NV, LN_START, LN_FO_START, LN_FO_END, LN_COUNT };
#define ESC_MARK INT32_MIN
#define LN_ESC_INDEX LN_TUS /* an escape's index, beside its ESC_MARK */
/* A compact record's (pqf_res8_rec) positions of the four lanes it keeps;
 * DICT, NV and FO_START are 0 and FO_END is -TCS. */
enum { C8_TUS, C8_TCS, C8_DPO, C8_START, C8_COUNT };
#define C8_ZERO_LANES ((1u << LN_DICT) | (1u << LN_NV) | (1u << LN_FO_START))
/* Widths of staged records: pqf_res_rec, pqf_res16_rec, pqf_res8_rec. */
enum { REC32, REC16, REC8 };
/* An escape record: CF_HAS..CF_FPATH residuals (FO against the start), then the absolute start. */
enum { ESC_ABS_START = CF_FPATH + 1, ESC_WORDS };

typedef struct lane_stats {
    int32_t mn[LN_COUNT], mx[LN_COUNT];
} lane_stats;

typedef struct slot_meta { /* a column's first chunk, as residuals */
    uint64_t has, type, codec, fpath;
} slot_meta;

typedef struct exact_range { /* 64-bit, from escapes and unstaged (page index, bloom) fields */
    minmax f[CF_COUNT];      /* CF_FO unused: see fo[] */
    minmax fo[FO_CANDIDATES];
} exact_range;


/* What every staged chunk touches: 96 bytes on a 32-byte boundary (the AVX-512
 * path's 256-bit loads) always lie in two cache lines, and a column costs
 * 96 bytes of work memory, not 128. */
typedef struct hot_stats {
    lane_stats lanes;
    uint32_t meta_raw[4];    /* the first chunk's type, codec, fpath, has, as in pqf_chunk_rec */
    minmax fo_zero;          /* FO against zero, of staged chunks */
} __attribute__((aligned(32))) hot_stats;
_Static_assert(sizeof(hot_stats) == 96, "hot_stats: lanes, meta_raw and fo_zero, no padding");

struct pqf_model_stats {
    hot_stats *hot;          /* per slot */
    /* Per slot, its exact ranges once it has an escape or unstaged fields,
     * else NULL: most columns never need them, and 320 bytes per column
     * touched on every decode are page faults in a fresh process. */
    exact_range **range;
    const pqf_column *cols;  /* leaf types, from which the metas' TYPE is a residual */
    const uint32_t *slot_col;
    uint64_t *esc;           /* ESC_WORDS per escape */
    uint32_t nesc, esc_cap;
    uint64_t nobserved;      /* row groups observed: the metas are set once it is nonzero */
};

/* Column slot's first chunk (row group 0), as residuals: from the raw values
 * its hot record keeps and its leaf's type. */
PQF_INLINE slot_meta pqf_stage_meta(const pqf_model_stats *ms, uint32_t slot) {
    const uint32_t *raw = ms->hot[slot].meta_raw; /* type, codec, fpath, has */
    uint64_t leaf = (uint64_t)(int64_t)ms->cols[ms->slot_col[slot]].type;
    slot_meta m = {(uint64_t)raw[3] - PQF_CH_META, (uint64_t)(int64_t)(int32_t)raw[0] - leaf,
                   (uint64_t)(int64_t)(int32_t)raw[1], raw[2]};
    return m;
}

/* Where field's residual (against ref) comes from for a staged, non-escape
 * chunk: *src is a lane, LN_COUNT for FO against zero (FO_START lane plus the
 * start), or LN_COUNT + 1 for the constant *cval. */
PQF_INLINE void pqf_stage_source(const pqf_model_stats *ms, uint32_t slot, unsigned field, unsigned ref,
                                 uint8_t *src, uint64_t *cval) {
    const slot_meta m = pqf_stage_meta(ms, slot);
    *cval = 0;
    *src = LN_COUNT + 1;
    switch (field) {
    case CF_HAS: *cval = m.has; break;
    case CF_TYPE: *cval = m.type; break;
    case CF_CODEC: *cval = m.codec; break;
    case CF_FPATH: *cval = m.fpath; break;
    case CF_TCS: *src = LN_TCS; break;
    case CF_START: *src = LN_START; break;
    case CF_TUS: *src = LN_TUS; break;
    case CF_DPO: *src = LN_DPO; break;
    case CF_DICT: *src = LN_DICT; break;
    case CF_NV: *src = LN_NV; break;
    case CF_FO: *src = ref == REF_START ? LN_FO_START : ref == REF_END ? LN_FO_END : LN_COUNT; break;
    default: break; /* page index and bloom: staged chunks have none (ext chunks take the full path) */
    }
}

/* The lanes of compact record r. */
PQF_INLINE void pqf_res8_lanes(const pqf_res8_rec *r, int32_t v[LN_COUNT]) {
    v[LN_TUS] = r->v[C8_TUS];
    v[LN_TCS] = r->v[C8_TCS];
    v[LN_DPO] = r->v[C8_DPO];
    v[LN_START] = r->v[C8_START];
    v[LN_DICT] = v[LN_NV] = v[LN_FO_START] = 0;
    v[LN_FO_END] = -v[LN_TCS];
}

/* The lanes of staged record idx, whatever its width. */
PQF_INLINE void pqf_res_lanes(const pqf_dec *d, size_t idx, int32_t v[LN_COUNT]) {
    if (d->res8) {
        pqf_res8_lanes(&d->res8[idx], v);
        return;
    }
    for (unsigned l = 0; l < LN_COUNT; l++) v[l] = d->res16 ? d->res16[idx].v[l] : d->res[idx].v[l];
}

/* Residuals of staged chunk (rg, slot) against the default references, FO
 * against the chunk start; returns the chunk's absolute start. pred is what
 * its START residual is added to. Page-index and bloom fields are not staged. */
PQF_INLINE uint64_t pqf_stage_residuals(const pqf_dec *d, uint64_t rg, uint32_t slot, uint64_t pred,
                                        uint64_t out[CF_COUNT]) {
    const pqf_model_stats *ms = d->stats;
    int32_t v[LN_COUNT];
    pqf_res_lanes(d, (size_t)(rg * d->nslots + slot), v);
    if (PQF_UNLIKELY(v[LN_TCS] == ESC_MARK)) {
        const uint64_t *w = ms->esc + (size_t)(uint32_t)v[LN_ESC_INDEX] * ESC_WORDS;
        for (unsigned f = 0; f <= CF_FPATH; f++) out[f] = w[f];
        return w[ESC_ABS_START];
    }
    const slot_meta m = pqf_stage_meta(ms, slot);
    out[CF_HAS] = m.has;
    out[CF_TYPE] = m.type;
    out[CF_CODEC] = m.codec;
    out[CF_FPATH] = m.fpath;
    out[CF_TCS] = (uint64_t)(int64_t)v[LN_TCS];
    out[CF_START] = (uint64_t)(int64_t)v[LN_START];
    out[CF_TUS] = (uint64_t)(int64_t)v[LN_TUS];
    out[CF_DPO] = (uint64_t)(int64_t)v[LN_DPO];
    out[CF_DICT] = (uint64_t)(int64_t)v[LN_DICT];
    out[CF_NV] = (uint64_t)(int64_t)v[LN_NV];
    out[CF_FO] = (uint64_t)(int64_t)v[LN_FO_START];
    return pred + out[CF_START];
}

/* One chosen encoding per (column, field). */
typedef struct field_plan {
    uint64_t base;
    uint8_t width, ref, entry; /* entry: 1 if it needs an entry */
    uint8_t field;             /* CF_* (in the stored, entries-only list) */
} field_plan;

/* OR v (below 2^width) into a zeroed buffer (16 bytes of padding) at bit pos. */
void pqf_put_bits(uint8_t *buf, uint64_t pos, unsigned width, uint64_t v);

/* Pack every staged chunk's residuals into bits (zeroed): cols are the
 * slots' descriptors, plans their entries slot after slot (nplans in all).
 * 0, or -1 on no memory. */
int pqf_pack_slots(pqf_dec *d, const pqf_packed_col *cols, const field_plan *plans, uint32_t nplans, uint8_t *bits);

#endif
