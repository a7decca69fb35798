/* Turn the decoder's work records into the compact model: choose a reference,
 * base and width per (column, field), then pack residuals into one block
 * whose size is exactly what pqf_footer_bytes() reports. */
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

/* Fields that offer a choice of reference; the rest use their default. */
#define FO_CANDIDATES 3
static const unsigned fo_refs[FO_CANDIDATES] = {REF_START, REF_END, REF_ZERO};

unsigned pqf_chunk_default_ref(unsigned field, uint32_t slot) {
    switch (field) {
    case CF_HAS: return REF_META;
    case CF_TYPE: return REF_LEAF_TYPE;
    case CF_START: return (slot % PQF_CHAIN) ? REF_PREV_END : REF_RGBASE;
    case CF_TUS: return REF_TCS;
    case CF_DPO: case CF_DICT: case CF_FO: return REF_START;
    case CF_NV: return REF_RGROWS;
    default: return REF_ZERO;
    }
}

unsigned pqf_rg_default_ref(unsigned field) {
    switch (field) {
    case RF_FO: return REF_RGBASE;
    case RF_ORD: return REF_INDEX;
    default: return REF_ZERO;
    }
}

/* Give absent values the value their default reference predicts, so a field
 * that is missing costs no bits. The accessor masks them out by `has`. */
static void normalize_row(pqf_dec *d, uint64_t rg) {
    pqf_chunk_rec *row = d->chunks;
    for (uint32_t s = 0; s < d->nslots; s++) {
        pqf_chunk_rec *r = &row[s];
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
}

static uint64_t rg_field(const pqf_dec *d, uint64_t rg, unsigned f) {
    const pqf_rg_rec *r = &d->rgs[rg];
    switch (f) {
    case RF_BASE: return (uint64_t)r->base;
    case RF_NROWS: return (uint64_t)r->num_rows;
    case RF_TBS: return (uint64_t)r->total_byte_size;
    case RF_FO: return (uint64_t)r->file_offset;
    case RF_TCS: return (uint64_t)r->total_compressed_size;
    case RF_ORD: return (uint64_t)r->ordinal;
    case RF_HAS: return r->has;
    default: return 0;
    }
}

static uint64_t rg_ref(const pqf_dec *d, uint64_t rg, unsigned ref) {
    switch (ref) {
    case REF_RGBASE: return (uint64_t)d->rgs[rg].base;
    case REF_INDEX: return rg;
    default: return 0;
    }
}

/* One chosen encoding per (column, field). */
typedef struct field_plan {
    uint64_t base;
    uint8_t width, ref, entry; /* entry: 1 if it needs an entry */
} field_plan;

static void plan_field(field_plan *p, const minmax *m, unsigned ref, unsigned default_ref) {
    p->width = (uint8_t)mm_width(m);
    p->base = (uint64_t)m->mn;
    p->ref = (uint8_t)ref;
    p->entry = !(p->width == 0 && p->base == 0 && ref == default_ref);
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

pqf_footer *pqf_data_block_alloc(pqf_mem *mem, uint32_t nkv, uint32_t nfpaths, uint32_t nslots,
                                 uint32_t nentries, size_t nbits_bytes, size_t strings_size,
                                 char **pool) {
    size_t off = align16(sizeof(pqf_footer));
    size_t off_kv = off;
    off = align16(off + (size_t)nkv * 2 * sizeof(pqf_str));
    size_t off_fpaths = off;
    off = align16(off + (size_t)nfpaths * sizeof(pqf_str));
    size_t off_slots = off;
    off = align16(off + (size_t)nslots * sizeof(pqf_packed_col));
    size_t off_ebase = off;
    off = align16(off + (size_t)nentries * sizeof(uint64_t));
    size_t off_emeta = off;
    off = align16(off + (size_t)nentries * sizeof(uint16_t));
    size_t off_bits = off;
    off += nbits_bytes;
    size_t off_strings = off;
    size_t total = align16(off + strings_size);

    uint8_t *blk = pqf_mem_alloc(mem, total);
    if (!blk) return NULL;
    memset(blk, 0, total);
    pqf_footer *F = (pqf_footer *)blk;
    F->bytes = total;
    F->alc = mem->alc;
    F->nkv = nkv;
    F->nfpaths = nfpaths;
    F->nentries = nentries;
    F->nbits_bytes = nbits_bytes;
    F->kv = (pqf_str *)(blk + off_kv);
    F->fpaths = (pqf_str *)(blk + off_fpaths);
    F->slots = (pqf_packed_col *)(blk + off_slots);
    F->ebase = (uint64_t *)(blk + off_ebase);
    F->emeta = (uint16_t *)(blk + off_emeta);
    F->bits = blk + off_bits;
    *pool = (char *)blk + off_strings;
    return F;
}

/* OR v (width bits) into a zeroed buffer at bit pos; the buffer has 16 bytes of padding. */
PQF_INLINE void put_bits(uint8_t *buf, uint64_t pos, unsigned width, uint64_t v) {
    uint8_t *p = buf + (pos >> 3);
    unsigned sh = (unsigned)(pos & 7);
    uint64_t w = pqf_load64le(p) | (v << sh);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    memcpy(p, &w, 8);
    if (sh && width + sh > 64) p[8] |= (uint8_t)(v >> (64 - sh));
}

/* A field's residuals while row groups are decoded: constant until proven
 * otherwise; the first change creates its column of residuals. */
typedef struct field_track {
    int64_t first, mn, mx;
    int64_t *arr; /* one residual per row group, once the field has varied */
} field_track;

#define FO_UNDECIDED 0xFF

typedef struct slot_track {
    field_track f[CF_COUNT];
    int64_t fo0[FO_CANDIDATES]; /* row group 0's file_offset residual per candidate */
    uint8_t fo_ref;             /* decided at row group 1 */
} slot_track;

struct pqf_model_stats {
    slot_track *st;
    uint64_t *leaf_type;
    uint64_t cap; /* row groups a residual column holds */
    uint32_t nslots;
};

int pqf_model_begin(pqf_dec *d) {
    uint32_t n = d->nslots ? d->nslots : 1;
    pqf_model_stats *ms = pqf_arena_alloc(&d->work, sizeof *ms);
    if (!ms) return pqf_fail_mem(d);
    ms->st = pqf_arena_alloc(&d->work, (size_t)n * sizeof *ms->st);
    ms->leaf_type = pqf_arena_alloc(&d->work, (size_t)n * sizeof *ms->leaf_type);
    if (!ms->st || !ms->leaf_type) return pqf_fail_mem(d);
    memset(ms->st, 0, (size_t)n * sizeof *ms->st);
    ms->nslots = d->nslots;
    ms->cap = d->nrg_alloc;
    for (uint32_t s = 0; s < d->nslots; s++) {
        ms->leaf_type[s] = (uint64_t)(int64_t)d->cols[d->slot_col[s]].type;
        ms->st[s].fo_ref = FO_UNDECIDED;
    }
    d->stats = ms;
    return 0;
}

void pqf_model_end(pqf_dec *d) {
    pqf_model_stats *ms = d->stats;
    if (!ms) return;
    for (uint32_t s = 0; s < ms->nslots; s++)
        for (unsigned f = 0; f < CF_COUNT; f++) {
            field_track *t = &ms->st[s].f[f];
            if (t->arr) pqf_mem_free(&d->mem, t->arr, (size_t)ms->cap * sizeof *t->arr);
            t->arr = NULL;
        }
    d->stats = NULL;
}

PQF_INLINE void track_first(field_track *t, uint64_t res) {
    t->first = t->mn = t->mx = as_signed(res);
}

static PQF_NOINLINE int track_change(pqf_dec *d, field_track *t, uint64_t rg, int64_t v) {
    if (!t->arr) {
        uint64_t cap = d->stats->cap;
        t->arr = pqf_mem_alloc(&d->mem, (size_t)cap * sizeof *t->arr);
        if (!t->arr) return pqf_fail_mem(d);
        for (uint64_t k = 0; k < rg; k++) t->arr[k] = t->first;
    }
    t->arr[rg] = v;
    if (v < t->mn) t->mn = v;
    if (v > t->mx) t->mx = v;
    return 0;
}

/* The common case, a field equal to its first value, is one compare. */
#define TRACK(t, rg, res)                                                              \
    do {                                                                               \
        int64_t v_ = as_signed(res);                                                   \
        if (PQF_UNLIKELY(v_ != (t)->first || (t)->arr)) {                              \
            int rc_ = track_change(d, (t), (rg), v_);                                  \
            if (rc_) return rc_;                                                       \
        }                                                                              \
    } while (0)

PQF_INLINE uint64_t fo_candidate(unsigned ref, uint64_t fo, uint64_t start, uint64_t tcs) {
    return ref == REF_START ? fo - start : ref == REF_END ? fo - start - tcs : fo;
}

/* Called once per decoded row group, on the row of records it filled. Must
 * agree with the accessor's references (model_access.c). */
int pqf_model_observe_row(pqf_dec *d, uint64_t rg) {
    pqf_model_stats *ms = d->stats;
    normalize_row(d, rg);
    const pqf_chunk_rec *row = d->chunks;
    const pqf_chunk_ext_rec *xrow = d->ext;
    uint64_t rows = (uint64_t)d->rgs[rg].num_rows;
    uint64_t row_start = d->nslots ? (uint64_t)row[0].start : 0, prev_end = 0;
    d->rgs[rg].base = (int64_t)row_start;
    for (uint32_t s = 0; s < d->nslots; s++) {
        slot_track *t = &ms->st[s];
        const pqf_chunk_rec *r = &row[s];
        uint64_t start = (uint64_t)r->start, tcs = (uint64_t)r->tcs, fo = (uint64_t)r->fo;
        uint64_t pred = (s % PQF_CHAIN) ? prev_end : row_start;
        uint64_t res[CF_COUNT];
        res[CF_HAS] = (uint64_t)r->has - PQF_CH_META;
        res[CF_TYPE] = (uint64_t)(int64_t)r->type - ms->leaf_type[s];
        res[CF_CODEC] = (uint64_t)(int64_t)r->codec;
        res[CF_TCS] = tcs;
        res[CF_START] = start - pred;
        res[CF_TUS] = (uint64_t)r->tus - tcs;
        res[CF_DPO] = (uint64_t)r->dpo - start;
        res[CF_DICT] = (uint64_t)r->dict - start;
        res[CF_NV] = (uint64_t)r->nv - rows;
        res[CF_FPATH] = r->fpath;
        const pqf_chunk_ext_rec *x = xrow ? &xrow[s] : NULL;
        res[CF_OI_OFF] = x ? (uint64_t)x->oi_off : 0;
        res[CF_OI_LEN] = x ? (uint64_t)(int64_t)x->oi_len : 0;
        res[CF_CI_OFF] = x ? (uint64_t)x->ci_off : 0;
        res[CF_CI_LEN] = x ? (uint64_t)(int64_t)x->ci_len : 0;
        res[CF_BF_OFF] = x ? (uint64_t)x->bf_off : 0;
        res[CF_BF_LEN] = x ? (uint64_t)(int64_t)x->bf_len : 0;
        prev_end = start + tcs;
        if (rg == 0) {
            for (unsigned f = 0; f < CF_COUNT; f++)
                if (f != CF_FO) track_first(&t->f[f], res[f]);
            for (unsigned k = 0; k < FO_CANDIDATES; k++)
                t->fo0[k] = as_signed(fo_candidate(fo_refs[k], fo, start, tcs));
            continue;
        }
        if (t->fo_ref == FO_UNDECIDED) {
            /* The first reference that predicted row group 1 as well as row group 0. */
            unsigned k = 0;
            for (unsigned c = 0; c < FO_CANDIDATES; c++)
                if (as_signed(fo_candidate(fo_refs[c], fo, start, tcs)) == t->fo0[c]) {
                    k = c;
                    break;
                }
            t->fo_ref = (uint8_t)fo_refs[k];
            t->f[CF_FO].first = t->f[CF_FO].mn = t->f[CF_FO].mx = t->fo0[k];
        }
        res[CF_FO] = fo_candidate(t->fo_ref, fo, start, tcs);
        TRACK(&t->f[CF_HAS], rg, res[CF_HAS]);
        TRACK(&t->f[CF_TYPE], rg, res[CF_TYPE]);
        TRACK(&t->f[CF_CODEC], rg, res[CF_CODEC]);
        TRACK(&t->f[CF_TCS], rg, res[CF_TCS]);
        TRACK(&t->f[CF_START], rg, res[CF_START]);
        TRACK(&t->f[CF_TUS], rg, res[CF_TUS]);
        TRACK(&t->f[CF_DPO], rg, res[CF_DPO]);
        TRACK(&t->f[CF_DICT], rg, res[CF_DICT]);
        TRACK(&t->f[CF_NV], rg, res[CF_NV]);
        TRACK(&t->f[CF_FO], rg, res[CF_FO]);
        TRACK(&t->f[CF_FPATH], rg, res[CF_FPATH]);
        if (x) {
            for (unsigned f = CF_OI_OFF; f < CF_COUNT; f++) TRACK(&t->f[f], rg, res[f]);
        }
    }
    return 0;
}

pqf_footer *pqf_model_build(pqf_dec *d) {
    const uint32_t nslots = d->nslots;
    const uint64_t nrg = d->nrg;
    if (!d->stats && pqf_model_begin(d)) return NULL; /* no row groups were decoded */
    slot_track *st = d->stats->st;

    /* Choose. */
    size_t nplans = (size_t)(nslots + 1) * CF_COUNT;
    field_plan *plans = pqf_mem_alloc(&d->mem, nplans * sizeof *plans);
    if (!plans) {
        pqf_fail_mem(d);
        return NULL;
    }
    memset(plans, 0, nplans * sizeof *plans);
    uint64_t nbits = 0;
    {
        field_plan *rp = plans + (size_t)nslots * CF_COUNT; /* the row-group "column" */
        for (unsigned f = 0; f < RF_COUNT; f++) {
            minmax m = {INT64_MAX, INT64_MIN};
            unsigned ref = pqf_rg_default_ref(f);
            for (uint64_t rg = 0; rg < nrg; rg++) mm_add(&m, rg_field(d, rg, f) - rg_ref(d, rg, ref));
            if (!nrg) m.mn = m.mx = 0;
            plan_field(&rp[f], &m, ref, ref);
            nbits += (uint64_t)rp[f].width * nrg;
        }
    }
    for (uint32_t s = 0; s < nslots; s++) {
        field_plan *p = plans + (size_t)s * CF_COUNT;
        slot_track *t = &st[s];
        if (t->fo_ref == FO_UNDECIDED) { /* fewer than two row groups */
            t->fo_ref = REF_START;
            t->f[CF_FO].first = t->f[CF_FO].mn = t->f[CF_FO].mx = nrg ? t->fo0[0] : 0;
        }
        for (unsigned f = 0; f < CF_COUNT; f++) {
            minmax m = {t->f[f].mn, t->f[f].mx};
            unsigned ref = f == CF_FO ? t->fo_ref : pqf_chunk_default_ref(f, s);
            if (!nrg) m.mn = m.mx = 0;
            plan_field(&p[f], &m, ref, pqf_chunk_default_ref(f, s));
            nbits += (uint64_t)p[f].width * nrg;
        }
    }

    /* Lay out the data block; the schema goes to its own, shareable block. */
    uint32_t nentries = 0;
    for (size_t i = 0; i < nplans; i++) nentries += plans[i].entry;
    size_t strings = pqf_pool_size(&d->created_by);
    for (uint32_t i = 0; i < 2 * d->nkv; i++) strings += pqf_pool_size(&d->kv[i]);
    for (uint32_t i = 0; i < d->nfpaths; i++) strings += pqf_pool_size(&d->fpaths[i]);
    size_t nbits_bytes = (size_t)((nbits + 7) / 8) + 16;

    pqf_schema_block *sb = pqf_schema_block_build(d);
    char *pool = NULL;
    pqf_footer *F = sb ? pqf_data_block_alloc(&d->mem, d->nkv, d->nfpaths, nslots, nentries,
                                              nbits_bytes, strings, &pool)
                       : NULL;
    if (!F) {
        if (sb) pqf_fail_mem(d);
        pqf_schema_block_release(sb);
        pqf_mem_free(&d->mem, plans, nplans * sizeof *plans);
        return NULL;
    }
    pqf_footer_attach_schema(F, sb);
    F->version = d->version;
    F->fflags = d->fflags;
    F->options = d->flags;
    F->num_rows = d->num_rows;
    F->nrg = nrg;
    if (d->nkv) memcpy(F->kv, d->kv, (size_t)d->nkv * 2 * sizeof(pqf_str));
    for (uint32_t i = 0; i < 2 * d->nkv; i++) pqf_pool_put(&pool, &F->kv[i]);
    if (d->nfpaths) memcpy(F->fpaths, d->fpaths, (size_t)d->nfpaths * sizeof(pqf_str));
    for (uint32_t i = 0; i < d->nfpaths; i++) pqf_pool_put(&pool, &F->fpaths[i]);
    F->created_by = d->created_by;
    pqf_pool_put(&pool, &F->created_by);
    uint8_t *bits = (uint8_t *)F->bits;

    /* Entries and bit positions. */
    uint32_t e = 0;
    uint64_t pos = 0;
    for (uint32_t s = 0; s <= nslots; s++) {
        int is_rg = s == nslots;
        pqf_packed_col *pc = is_rg ? &F->rg : &F->slots[s];
        field_plan *p = plans + (size_t)s * CF_COUNT;
        unsigned nf = is_rg ? RF_COUNT : CF_COUNT;
        pc->bitpos = pos;
        pc->entry = e;
        pc->mask = 0;
        for (unsigned f = 0; f < nf; f++) {
            if (!p[f].entry) continue;
            pc->mask |= 1u << f;
            F->ebase[e] = p[f].base;
            F->emeta[e] = EMETA(p[f].width, p[f].ref);
            e++;
            pos += (uint64_t)p[f].width * nrg;
        }
    }

    /* Pack residuals: the row-group column, then the chunks row by row. */
    {
        const field_plan *p = plans + (size_t)nslots * CF_COUNT;
        uint64_t fpos = F->rg.bitpos;
        for (unsigned f = 0; f < RF_COUNT; f++) {
            if (!p[f].entry) continue;
            unsigned w = p[f].width;
            for (uint64_t rg = 0; w && rg < nrg; rg++)
                put_bits(bits, fpos + rg * w, w, rg_field(d, rg, f) - rg_ref(d, rg, p[f].ref) - p[f].base);
            fpos += (uint64_t)w * nrg;
        }
    }
    /* Chunks: each field that takes bits has its column of residuals. */
    for (uint32_t s = 0; s < nslots; s++) {
        const field_plan *p = plans + (size_t)s * CF_COUNT;
        uint64_t fpos = F->slots[s].bitpos;
        for (unsigned f = 0; f < CF_COUNT; f++) {
            if (!p[f].entry) continue;
            unsigned w = p[f].width;
            const int64_t *arr = st[s].f[f].arr;
            if (w && arr) {
                for (uint64_t rg = 0; rg < nrg; rg++) put_bits(bits, fpos + rg * w, w, (uint64_t)arr[rg] - p[f].base);
            }
            fpos += (uint64_t)w * nrg;
        }
    }
    pqf_mem_free(&d->mem, plans, nplans * sizeof *plans);
    return F;
}
