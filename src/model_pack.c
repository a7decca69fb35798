/* Packing the chunks' residuals into the model's bits (see model_stage.h).
 *
 * Slot s's bits are its fields' runs one after the other, each a residual
 * per row group, and the slots' runs follow each other: the whole is one
 * stream in (slot, field, row group) order. The staged records are in (row
 * group, slot) order. With few row groups the stream is written in its own
 * order, a word at a time, reading a column's few records across the rows;
 * with many, row by row, each residual or-ed in at its run's position (a
 * column's records across a thousand rows would be a thousand cache lines). */
#include "model_stage.h"

/* Up to this many row groups the stream is written in order. Scattered or-ed
 * stores stall when neighbouring runs are closer than a word (short runs:
 * few row groups); strided reads cost more than that beyond. */
#define PACK_IN_ORDER_MAX_RG 64

/* Where an active field's residual comes from, for a staged chunk: a lane
 * (with compact records, a position in them: C8_*), or: */
enum { SRC_FO_ZERO = LN_COUNT, SRC_CONST, SRC_NEG_TCS /* compact records' FO_END */ };

/* A field that takes bits (width > 0) of one slot. */
typedef struct active {
    uint64_t pos;  /* row by row: where the next row group's bits go */
    uint64_t base;
    uint64_t cval; /* SRC_CONST: the residual every staged (non-escape) chunk has */
    uint8_t field, width;
    uint8_t src;   /* for staged chunks: a lane, or SRC_* */
} active;

typedef struct slot_pack {
    uint32_t a0, a1; /* its actives: act[a0, a1) */
    uint8_t fo_ref;
    uint8_t plain;   /* every active reads a lane and fits 57 bits */
} slot_pack;

/* OR v (at most 57 bits) into a zeroed buffer at bit pos: one 8-byte word
 * holds it at any bit offset. The buffer has 16 bytes of padding. */
PQF_INLINE void put_bits57(uint8_t *buf, uint64_t pos, uint64_t v) {
    uint8_t *p = buf + (pos >> 3);
    pqf_store64le(p, pqf_load64le(p) | (v << (pos & 7)));
}

void pqf_put_bits(uint8_t *buf, uint64_t pos, unsigned width, uint64_t v) {
    put_bits57(buf, pos, v);
    unsigned sh = (unsigned)(pos & 7);
    if (sh && width + sh > 64) buf[(pos >> 3) + 8] |= (uint8_t)(v >> (64 - sh));
}

/* A bit stream written forward from a word boundary, word by word. */
typedef struct bit_stream {
    uint8_t *p;
    uint64_t acc; /* the n bits not yet stored */
    unsigned n;   /* below 64 */
} bit_stream;

/* Append v (below 2^width, width 1..64). */
PQF_INLINE void stream_put(bit_stream *w, uint64_t v, unsigned width) {
    w->acc |= v << w->n;
    unsigned n = w->n + width;
    if (n >= 64) {
        pqf_store64le(w->p, w->acc);
        w->p += 8;
        n -= 64;
        w->acc = n ? v >> (width - n) : 0;
    }
    w->n = n;
}

/* The residuals of chunk (rg, s) that is not staged as lanes (an escape, or
 * a row with page-index and bloom fields), FO against sl's reference. Returns
 * the chunk's start. */
static uint64_t full_residuals(const pqf_dec *d, uint64_t rg, uint32_t s, uint64_t pred, const slot_pack *sl,
                               uint64_t res[CF_COUNT]) {
    uint64_t start = pqf_stage_residuals(d, rg, s, pred, res);
    uint64_t tcs = res[CF_TCS];
    /* FO waits against the start; move it to the chosen reference. */
    if (sl->fo_ref == REF_END) res[CF_FO] -= tcs;
    else if (sl->fo_ref == REF_ZERO) res[CF_FO] += start;
    if (d->ext) {
        const pqf_chunk_ext_rec *x = &d->ext[rg * d->nslots + s];
        res[CF_OI_OFF] = (uint64_t)x->oi_off;
        res[CF_OI_LEN] = (uint64_t)x->oi_len;
        res[CF_CI_OFF] = (uint64_t)x->ci_off;
        res[CF_CI_LEN] = (uint64_t)x->ci_len;
        res[CF_BF_OFF] = (uint64_t)x->bf_off;
        res[CF_BF_LEN] = (uint64_t)x->bf_len;
    } else {
        for (unsigned f = CF_OI_OFF; f < CF_COUNT; f++) res[f] = 0;
    }
    return start;
}

/* Lane l of staged record i (with compact records, l is a position: C8_*).
 * rec is a constant in each copy of the loops. Narrow and compact records
 * are never escapes (the first escape widens them). */
#define WIDE_LANE(i, l) ((rec) == REC16 ? (int64_t)d->res16[i].v[l] : (int64_t)d->res[i].v[l])
#define LANE(i, l) ((rec) == REC8 ? (int64_t)d->res8[i].v[l] : WIDE_LANE(i, l))
#define IS_ESCAPE(i) ((rec) == REC32 && d->res[i].v[LN_TCS] == ESC_MARK)
#define START_LANE(i) ((rec) == REC8 ? (int64_t)d->res8[i].v[C8_START] : WIDE_LANE(i, LN_START))
#define TCS_LANE(i) ((rec) == REC8 ? (int64_t)d->res8[i].v[C8_TCS] : WIDE_LANE(i, LN_TCS))

/* A staged chunk's value of active a (record i; start: the chunk's). A
 * compact record's FO_START is 0. */
#define STAGED_VALUE(a, i, start)                                                                \
    ((a)->src < LN_COUNT ? (uint64_t)LANE(i, (a)->src)                                           \
     : (a)->src == SRC_FO_ZERO ? ((rec) == REC8 ? 0 : (uint64_t)WIDE_LANE(i, LN_FO_START)) + (start) \
     : (a)->src == SRC_NEG_TCS ? -(uint64_t)TCS_LANE(i)                                     \
     : (a)->cval)

/* The stream in its own order (nrg <= PACK_IN_ORDER_MAX_RG): column by
 * column, its residuals gathered across the rows, then written field by
 * field. prev_end[rg] follows each row's chain of starts. */
static inline __attribute__((always_inline)) void pack_in_order(const pqf_dec *d, const active *act,
                                                                const slot_pack *sp, uint8_t *bits, const int rec) {
    const uint32_t nslots = d->nslots;
    const uint32_t nrg = (uint32_t)d->nrg;
    uint64_t prev_end[PACK_IN_ORDER_MAX_RG];
    uint64_t val[CF_COUNT * PACK_IN_ORDER_MAX_RG]; /* active k, row group rg: val[k * nrg + rg] */
    bit_stream w = {bits, 0, 0};
    for (uint32_t s = 0; s < nslots; s++) {
        const slot_pack *sl = &sp[s];
        const active *a = act + sl->a0;
        const uint32_t na = sl->a1 - sl->a0;
        size_t i = s; /* record (rg, s) */
        for (uint32_t rg = 0; rg < nrg; rg++, i += nslots) {
            uint64_t pred = (s % PQF_CHAIN) ? prev_end[rg] : d->rgs[rg].base;
            if (PQF_LIKELY(!IS_ESCAPE(i) && !d->ext)) {
                uint64_t start = pred + (uint64_t)START_LANE(i);
                prev_end[rg] = start + (uint64_t)TCS_LANE(i);
                if (PQF_LIKELY(sl->plain)) {
                    for (uint32_t k = 0; k < na; k++) val[k * nrg + rg] = (uint64_t)LANE(i, a[k].src) - a[k].base;
                } else {
                    for (uint32_t k = 0; k < na; k++) val[k * nrg + rg] = STAGED_VALUE(&a[k], i, start) - a[k].base;
                }
                continue;
            }
            uint64_t res[CF_COUNT];
            uint64_t start = full_residuals(d, rg, s, pred, sl, res);
            prev_end[rg] = start + res[CF_TCS];
            for (uint32_t k = 0; k < na; k++) val[k * nrg + rg] = res[a[k].field] - a[k].base;
        }
        for (uint32_t k = 0; k < na; k++) {
            const unsigned width = a[k].width;
            const uint64_t *v = val + (size_t)k * nrg;
            if (width * nrg <= 64) { /* the field's run in one word: shifts that do not wait on each other */
                uint64_t word = 0;
                for (uint32_t rg = 0; rg < nrg; rg++) word |= v[rg] << (rg * width);
                stream_put(&w, word, width * nrg);
            } else {
                for (uint32_t rg = 0; rg < nrg; rg++) stream_put(&w, v[rg], width);
            }
        }
    }
    /* the last word's rest: the row-group column's bits may follow in it */
    if (w.n) pqf_store64le(w.p, pqf_load64le(w.p) | w.acc);
}

/* Row by row: each residual or-ed in at its field's run. */
static inline __attribute__((always_inline)) void pack_by_row(const pqf_dec *d, active *act, const slot_pack *sp,
                                                              uint8_t *bits, const int rec) {
    const uint32_t nslots = d->nslots;
    for (uint64_t rg = 0; rg < d->nrg; rg++) {
        uint64_t base = d->rgs[rg].base, prev_end = 0;
        size_t i = (size_t)(rg * nslots); /* record (rg, s) */
        for (uint32_t s = 0; s < nslots; s++, i++) {
            const slot_pack *sl = &sp[s];
            uint64_t pred = (s % PQF_CHAIN) ? prev_end : base;
            if (PQF_LIKELY(!IS_ESCAPE(i) && !d->ext)) {
                /* A staged chunk: each value is a lane, or follows from one. */
                uint64_t start = pred + (uint64_t)START_LANE(i);
                prev_end = start + (uint64_t)TCS_LANE(i);
                if (PQF_LIKELY(sl->plain)) {
                    for (uint32_t k = sl->a0; k < sl->a1; k++) {
                        active *a = &act[k];
                        put_bits57(bits, a->pos, (uint64_t)LANE(i, a->src) - a->base);
                        a->pos += a->width;
                    }
                    continue;
                }
                for (uint32_t k = sl->a0; k < sl->a1; k++) {
                    active *a = &act[k];
                    pqf_put_bits(bits, a->pos, a->width, STAGED_VALUE(a, i, start) - a->base);
                    a->pos += a->width;
                }
                continue;
            }
            uint64_t res[CF_COUNT];
            uint64_t start = full_residuals(d, rg, s, pred, sl, res);
            prev_end = start + res[CF_TCS];
            for (uint32_t k = sl->a0; k < sl->a1; k++) {
                active *a = &act[k];
                pqf_put_bits(bits, a->pos, a->width, res[a->field] - a->base);
                a->pos += a->width;
            }
        }
    }
}

#undef WIDE_LANE
#undef LANE
#undef IS_ESCAPE
#undef START_LANE
#undef TCS_LANE
#undef STAGED_VALUE

/* One copy of each loop per record width. */
static void pack_in_order8(const pqf_dec *d, const active *act, const slot_pack *sp, uint8_t *bits) {
    pack_in_order(d, act, sp, bits, REC8);
}
static void pack_in_order16(const pqf_dec *d, const active *act, const slot_pack *sp, uint8_t *bits) {
    pack_in_order(d, act, sp, bits, REC16);
}
static void pack_in_order32(const pqf_dec *d, const active *act, const slot_pack *sp, uint8_t *bits) {
    pack_in_order(d, act, sp, bits, REC32);
}
static void pack_by_row8(const pqf_dec *d, active *act, const slot_pack *sp, uint8_t *bits) {
    pack_by_row(d, act, sp, bits, REC8);
}
static void pack_by_row16(const pqf_dec *d, active *act, const slot_pack *sp, uint8_t *bits) {
    pack_by_row(d, act, sp, bits, REC16);
}
static void pack_by_row32(const pqf_dec *d, active *act, const slot_pack *sp, uint8_t *bits) {
    pack_by_row(d, act, sp, bits, REC32);
}

/* An active's source in compact records: the position of a lane they keep,
 * FO_END from TCS, or the 0 of the lanes they leave out. */
static void compact_source(active *a) {
    switch (a->src) {
    case LN_TUS: a->src = C8_TUS; break;
    case LN_TCS: a->src = C8_TCS; break;
    case LN_DPO: a->src = C8_DPO; break;
    case LN_START: a->src = C8_START; break;
    case LN_FO_END: a->src = SRC_NEG_TCS; break;
    case LN_DICT:
    case LN_NV:
    case LN_FO_START:
        a->src = SRC_CONST;
        a->cval = 0;
        break;
    default: break; /* SRC_FO_ZERO, SRC_CONST */
    }
}

int pqf_pack_slots(pqf_dec *d, const pqf_packed_col *cols, const field_plan *plans, uint32_t nplans, uint8_t *bits) {
    const uint32_t nslots = d->nslots;
    size_t nact_max = 1; /* the fields that take bits: few per slot, none with one row group */
    for (uint32_t k = 0; k < nplans; k++) nact_max += plans[k].width != 0;
    if (nact_max == 1) return 0; /* every residual is 0 */
    active *act = pqf_work_alloc(&d->mem, nact_max * sizeof *act);
    slot_pack *sp = pqf_work_alloc(&d->mem, (size_t)(nslots ? nslots : 1) * sizeof *sp);
    if (!act || !sp) {
        pqf_work_free(&d->mem, act, nact_max * sizeof *act);
        pqf_work_free(&d->mem, sp, (size_t)(nslots ? nslots : 1) * sizeof *sp);
        return -1;
    }
    size_t nact = 0;
    const field_plan *p = plans; /* slot by slot, each slot's entries (its mask's fields) */
    for (uint32_t s = 0; s < nslots; s++) {
        const unsigned np = (unsigned)pqf_popcount32(cols[s].mask);
        uint64_t fpos = cols[s].bitpos;
        sp[s].a0 = (uint32_t)nact;
        sp[s].fo_ref = (uint8_t)pqf_chunk_default_ref(CF_FO, s);
        sp[s].plain = 1;
        for (unsigned k = 0; k < np; k++) {
            unsigned f = p[k].field;
            if (f == CF_FO) sp[s].fo_ref = p[k].ref;
            if (p[k].width) { /* filled in place: a copy of a struct that was just
                                * written through pointers stalls on store forwarding */
                active *a = &act[nact++];
                a->pos = fpos;
                a->base = p[k].base;
                a->field = (uint8_t)f;
                a->width = p[k].width;
                pqf_stage_source(d->stats, s, f, p[k].ref, &a->src, &a->cval);
                if (d->res8) compact_source(a);
                if (a->src >= LN_COUNT || a->width > 57) sp[s].plain = 0;
            }
            fpos += (uint64_t)p[k].width * d->nrg;
        }
        p += np;
        sp[s].a1 = (uint32_t)nact;
    }
    if (d->nrg <= PACK_IN_ORDER_MAX_RG) {
        if (d->res8) pack_in_order8(d, act, sp, bits);
        else if (d->res16) pack_in_order16(d, act, sp, bits);
        else pack_in_order32(d, act, sp, bits);
    } else {
        if (d->res8) pack_by_row8(d, act, sp, bits);
        else if (d->res16) pack_by_row16(d, act, sp, bits);
        else pack_by_row32(d, act, sp, bits);
    }
    pqf_work_free(&d->mem, act, nact_max * sizeof *act);
    pqf_work_free(&d->mem, sp, (size_t)(nslots ? nslots : 1) * sizeof *sp);
    return 0;
}
