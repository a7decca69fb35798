/*
 * The statistics pass: a second, read-only walk over the footer bytes after
 * the main decode, which does not look inside ColumnMetaData.statistics. Only
 * the chunks of the columns pqf_options.stats_columns names are read; every
 * other value is skipped with the generic skip. It costs one more walk over
 * the row groups, which is why it only runs when asked (docs/prune.md).
 */
#include "model.h"
#include "stats.h"
#include "wire.h"

typedef struct stats_walk {
    pqf_dec *d;
    const pqf_footer *F;
    uint32_t nsc;
    uint32_t *leaves;   /* nsc */
    uint32_t *k_of;     /* leaf -> kept index or UINT32_MAX */
    uint8_t *orders;    /* nsc */
    pqf_stats_rec *recs;    /* nrg * nsc */
    uint64_t nrg_seen;
} stats_walk;

int pqf_stats_wanted(const pqf_options *opt) {
    return opt && (opt->num_stats_columns || opt->num_stats_column_indexes);
}

/* A path names leaf path itself or a group above it ("a" selects "a.b"). */
static int names_leaf(const pqf_str *leaf, const char *want) {
    size_t n = strlen(want);
    if (n > leaf->len || strncmp(leaf->ptr, want, n) != 0) return 0;
    return leaf->len == n || leaf->ptr[n] == '.';
}

static int pick_columns(stats_walk *w) {
    pqf_dec *d = w->d;
    const pqf_options *o = d->opt;
    const uint32_t ncols = w->F->ncols;
    w->k_of = pqf_arena_alloc(&d->work, (size_t)(ncols ? ncols : 1) * sizeof(uint32_t));
    if (!w->k_of) return pqf_fail_mem(d);
    for (uint32_t c = 0; c < ncols; c++) w->k_of[c] = 0;
    if (o->num_stats_columns && !o->stats_columns) return pqf_fail(&d->cur, PQF_ERR_INVALID_ARG, "stats_columns is NULL");
    if (o->num_stats_column_indexes && !o->stats_column_indexes)
        return pqf_fail(&d->cur, PQF_ERR_INVALID_ARG, "stats_column_indexes is NULL");
    for (size_t i = 0; i < o->num_stats_columns; i++) {
        const char *want = o->stats_columns[i];
        if (!want) return pqf_fail(&d->cur, PQF_ERR_INVALID_ARG, "NULL statistics column path");
        int hit = 0;
        for (uint32_t c = 0; c < ncols; c++) {
            pqf_column lc;
            if (pqf_column_get(w->F, c, &lc) == PQF_OK && names_leaf(&lc.path, want)) w->k_of[c] = hit = 1;
        }
        if (!hit)
            return pqf_path_push(d, pqf_fail(&d->cur, PQF_ERR_NO_COLUMN, "statistics column not in schema"),
                                 "stats_columns", (int32_t)i, 0);
    }
    for (size_t i = 0; i < o->num_stats_column_indexes; i++) {
        if (o->stats_column_indexes[i] >= ncols)
            return pqf_path_push(d, pqf_fail(&d->cur, PQF_ERR_NO_COLUMN, "statistics column index out of range"),
                                 "stats_column_indexes", (int32_t)i, 0);
        w->k_of[o->stats_column_indexes[i]] = 1;
    }
    uint32_t nsc = 0;
    for (uint32_t c = 0; c < ncols; c++) nsc += w->k_of[c];
    w->nsc = nsc;
    w->leaves = pqf_arena_alloc(&d->work, (size_t)(nsc ? nsc : 1) * sizeof(uint32_t));
    w->orders = pqf_arena_alloc(&d->work, nsc ? nsc : 1);
    if (!w->leaves || !w->orders) return pqf_fail_mem(d);
    nsc = 0;
    for (uint32_t c = 0; c < ncols; c++) {
        if (w->k_of[c]) {
            w->orders[nsc] = PQF_ORDER_ABSENT;
            w->leaves[nsc] = c;
            w->k_of[c] = nsc++;
        } else {
            w->k_of[c] = UINT32_MAX;
        }
    }
    uint64_t cells = w->F->nrg * nsc;
    if (nsc && cells / nsc != w->F->nrg) return pqf_fail(&d->cur, PQF_ERR_LIMIT, "too many statistics cells");
    if (cells > (uint64_t)SIZE_MAX / sizeof(pqf_stats_rec)) return pqf_fail(&d->cur, PQF_ERR_LIMIT, "too many statistics cells");
    w->recs = pqf_arena_alloc(&d->work, (size_t)(cells ? cells : 1) * sizeof(pqf_stats_rec));
    if (!w->recs) return pqf_fail_mem(d);
    memset(w->recs, 0, (size_t)(cells ? cells : 1) * sizeof(pqf_stats_rec));
    return 0;
}

/* Read a struct's fields, handing each to fn; the fields fn does not take
 * (*took == 0) are skipped. Shared by every struct this pass looks into. */
typedef int (*field_fn)(pqf_dec *d, void *ctx, int16_t fid, unsigned t, int *took);

static int walk_struct(pqf_dec *d, void *ctx, field_fn fn) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        int took = 0;
        rc = fn(d, ctx, fid, t, &took);
        if (!rc && !took) rc = pqf_stats_skip(&d->cur, t);
        if (rc) return pqf_path_push(d, rc, NULL, -1, fid);
    }
    wire_leave(&d->cur);
    return 0;
}

static int take_binary(pqf_dec *d, pqf_stats_rec *r, unsigned which, uint32_t bit) {
    const uint8_t *s;
    size_t n;
    int rc = wire_binary(&d->cur, &s, &n);
    if (rc) return rc;
    r->s[which] = s;
    r->n[which] = (uint32_t)n;
    r->has |= bit;
    return 0;
}

static int statistics_field(pqf_dec *d, void *ctx, int16_t fid, unsigned t, int *took) {
    pqf_stats_rec *r = ctx;
    *took = 1;
    if (t == CT_BINARY && (fid == 1 || fid == 2 || fid == 5 || fid == 6)) {
        static const unsigned which[7] = {0, 3, 2, 0, 0, 1, 0};
        static const uint32_t bit[7] = {0, PQF_ST_MAX, PQF_ST_MIN, 0, 0, PQF_ST_MAX_VALUE, PQF_ST_MIN_VALUE};
        return take_binary(d, r, which[fid], bit[fid]);
    }
    if (t == CT_I64 && (fid == 3 || fid == 4)) {
        r->has |= fid == 3 ? PQF_ST_NULL_COUNT : PQF_ST_DISTINCT_COUNT;
        return wire_i64(&d->cur, &r->num[fid == 3 ? SF_NULLS : SF_DISTINCT]);
    }
    if ((t == CT_TRUE || t == CT_FALSE) && (fid == 7 || fid == 8)) {
        uint32_t set = fid == 7 ? PQF_ST_MAX_EXACT_SET : PQF_ST_MIN_EXACT_SET;
        uint32_t val = fid == 7 ? PQF_ST_MAX_EXACT : PQF_ST_MIN_EXACT;
        r->has = (r->has | set) & ~val;
        if (t == CT_TRUE) r->has |= val;
        return 0;
    }
    *took = 0;
    return 0;
}

static int meta_field(pqf_dec *d, void *ctx, int16_t fid, unsigned t, int *took) {
    pqf_stats_rec *r = ctx;
    *took = 1;
    if (fid == 5 && t == CT_I64) return wire_i64(&d->cur, &r->num[SF_NV]);
    if (fid == 12 && t == CT_STRUCT) {
        /* a repeated statistics field replaces the first, as in Thrift's readers */
        r->has &= ~(uint32_t)(PQF_ST_STATISTICS | 0xFFCu);
        memset(r->s, 0, sizeof r->s);
        memset(r->n, 0, sizeof r->n);
        r->has |= PQF_ST_STATISTICS;
        return walk_struct(d, r, statistics_field);
    }
    if (fid == 14 && t == CT_I64) {
        r->has |= PQF_ST_BLOOM_OFFSET;
        return wire_i64(&d->cur, &r->num[SF_BF_OFF]);
    }
    if (fid == 15 && t == CT_I32) {
        int32_t v;
        int rc = wire_i32(&d->cur, &v);
        r->num[SF_BF_LEN] = v;
        r->has |= PQF_ST_BLOOM_LENGTH;
        return rc;
    }
    *took = 0;
    return 0;
}

static int chunk_field(pqf_dec *d, void *ctx, int16_t fid, unsigned t, int *took) {
    pqf_stats_rec *r = ctx;
    *took = fid == 3 && t == CT_STRUCT;
    if (!*took) return 0;
    r->has |= PQF_ST_META;
    return walk_struct(d, r, meta_field);
}

typedef struct rg_ctx {
    stats_walk *w;
    uint64_t rg;
} rg_ctx;

static int row_group_field(pqf_dec *d, void *ctx, int16_t fid, unsigned t, int *took) {
    const rg_ctx *c = ctx;
    stats_walk *w = c->w;
    *took = fid == 1 && t == CT_LIST;
    if (!*took) return 0;
    uint32_t n;
    unsigned et;
    int rc;
    if ((rc = wire_list(&d->cur, &n, &et, 1))) return rc;
    if (n && et != CT_STRUCT) return pqf_fail(&d->cur, PQF_ERR_MALFORMED, "columns is not a list of structs");
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = i < w->F->ncols ? w->k_of[i] : UINT32_MAX;
        rc = k == UINT32_MAX ? pqf_stats_skip(&d->cur, CT_STRUCT) : walk_struct(d, &w->recs[c->rg * w->nsc + k], chunk_field);
        if (rc) return pqf_path_push(d, rc, NULL, (int32_t)i, 0);
    }
    return 0;
}

static int walk_row_groups(stats_walk *w) {
    pqf_dec *d = w->d;
    uint32_t n;
    unsigned et;
    int rc;
    if ((rc = wire_list(&d->cur, &n, &et, 1))) return rc;
    if (n != w->F->nrg || (n && et != CT_STRUCT))
        return pqf_fail(&d->cur, PQF_ERR_MALFORMED, "row_groups differ between the two walks");
    for (uint32_t rg = 0; rg < n; rg++) {
        rg_ctx c = {w, rg};
        if ((rc = walk_struct(d, &c, row_group_field))) return pqf_path_push(d, rc, NULL, (int32_t)rg, 0);
    }
    w->nrg_seen = n;
    return 0;
}

/* ColumnOrder is a union: member 1 (TypeDefinedOrder) is the only one known. */
typedef struct order_ctx {
    int order, members;
} order_ctx;

static int order_field(pqf_dec *d, void *ctx, int16_t fid, unsigned t, int *took) {
    order_ctx *o = ctx;
    (void)d;
    o->members++;
    if (fid == 1 && t == CT_STRUCT) o->order = PQF_ORDER_TYPE_DEFINED;
    *took = 0;
    return 0;
}

static int walk_orders(stats_walk *w) {
    pqf_dec *d = w->d;
    uint32_t n;
    unsigned et;
    int rc;
    if ((rc = wire_list(&d->cur, &n, &et, 1))) return rc;
    for (uint32_t k = 0; k < w->nsc; k++) w->orders[k] = PQF_ORDER_UNKNOWN;
    for (uint32_t i = 0; i < n; i++) {
        order_ctx o = {PQF_ORDER_UNKNOWN, 0};
        if (et == CT_STRUCT) rc = walk_struct(d, &o, order_field);
        else if ((rc = wire_enter(&d->cur)) == 0) rc = pqf_skip(&d->cur, et), wire_leave(&d->cur);
        if (rc) return pqf_path_push(d, rc, NULL, (int32_t)i, 0);
        uint32_t k = i < w->F->ncols ? w->k_of[i] : UINT32_MAX;
        if (k != UINT32_MAX) w->orders[k] = (uint8_t)(o.members == 1 ? o.order : PQF_ORDER_UNKNOWN);
    }
    return 0;
}

static int file_field(pqf_dec *d, void *ctx, int16_t fid, unsigned t, int *took) {
    stats_walk *w = ctx;
    *took = t == CT_LIST && (fid == 4 || fid == 7);
    if (!*took) return 0;
    int rc = fid == 4 ? walk_row_groups(w) : walk_orders(w);
    return rc ? pqf_path_push(d, rc, fid == 4 ? "row_groups" : "column_orders", -1, fid) : 0;
}

int pqf_stats_extract(pqf_dec *d, pqf_footer *F) {
    stats_walk w;
    memset(&w, 0, sizeof w);
    w.d = d;
    w.F = F;
    d->cur.p = d->cur.base; /* option errors point at the footer's start, not where the first walk ended */
    int rc = pick_columns(&w);
    if (!rc) {
        d->cur.p = d->cur.base;
        d->cur.depth = 0;
        rc = walk_struct(d, &w, file_field);
    }
    if (!rc) rc = pqf_stats_pack(d, F, w.leaves, w.orders, w.nsc, w.recs);
    return rc;
}
