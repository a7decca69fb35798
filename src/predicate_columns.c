/*
 * Column-at-a-time evaluation: each leaf is answered for every row group of a
 * footer in one loop over its column's statistics summary (flags and 64-bit
 * order keys, predicate_summary.c), with its literals converted to those keys
 * once; connectives then combine whole arrays of truth-value sets. The rules
 * are those of predicate_eval.c, restated on integers; whatever the summary
 * cannot express (byte strings, wide decimals, columns without kept
 * statistics) goes through the general path for that row group.
 */
#include "model.h"
#include "predicate_bound.h"
#include "stats.h"

/* A threshold as a 64-bit key: s = -1 (+1) when it lies below (above) every key. */
typedef struct thr {
    int s;
    uint64_t v;
} thr;

typedef struct fast_lit {
    thr k[4];
    int exact, approx;
} fast_lit;

static inline int cmp_thr(uint64_t x, thr t) { return t.s ? -t.s : (x > t.v) - (x < t.v); }

/* Truth values of v OP L for keys in [lo, hi]: compare_tv of predicate_eval.c. */
static inline unsigned compare_u64(uint64_t lo, uint64_t hi, int op, const fast_lit *L, int nan_rows) {
    int t = 1, fl = 1;
    switch (op) {
    case PQF_OP_LT: t = cmp_thr(lo, L->k[K_CEIL_HI]) < 0; fl = cmp_thr(hi, L->k[K_CEIL_LO]) >= 0; break;
    case PQF_OP_LE: t = cmp_thr(lo, L->k[K_FLOOR_HI]) <= 0; fl = cmp_thr(hi, L->k[K_FLOOR_LO]) > 0; break;
    case PQF_OP_GT: t = cmp_thr(hi, L->k[K_FLOOR_LO]) > 0; fl = cmp_thr(lo, L->k[K_FLOOR_HI]) <= 0; break;
    case PQF_OP_GE: t = cmp_thr(hi, L->k[K_CEIL_LO]) >= 0; fl = cmp_thr(lo, L->k[K_CEIL_HI]) < 0; break;
    case PQF_OP_EQ:
    case PQF_OP_NE: {
        int within = L->exact && cmp_thr(lo, L->k[K_FLOOR_HI]) <= 0 && cmp_thr(hi, L->k[K_CEIL_LO]) >= 0;
        int all_equal =
            L->exact && !L->approx && cmp_thr(lo, L->k[K_FLOOR_HI]) == 0 && cmp_thr(hi, L->k[K_FLOOR_HI]) == 0;
        t = op == PQF_OP_EQ ? within : !all_equal;
        fl = op == PQF_OP_EQ ? !all_equal : within;
        break;
    }
    default: break;
    }
    if (L->approx || nan_rows) {
        fl = 1;
        if (op == PQF_OP_NE) t = 1;
    }
    return (t ? PQF_TV_TRUE : 0) | (fl ? PQF_TV_FALSE : 0);
}

/* The leaf's literals as 64-bit thresholds; 0 when one cannot be (the
 * general path then answers). */
static int convert_lits(const pqf_bound_leaf *b, const pqf_stats_summary *S, fast_lit *out, uint32_t n) {
    const size_t want = b->dom == DOM_FLOAT ? 8 : PQF_KEY_BYTES;
    for (uint32_t i = 0; i < n; i++) {
        const pqf_bound_lit *L = &b->lits[i];
        if (L->klen != want) return 0;
        for (int j = 0; j < 4; j++) {
            out[i].k[j].v = 0;
            out[i].k[j].s = pqf_key_to_u64(L->k[j], L->klen, S->is_signed, &out[i].k[j].v);
        }
        out[i].exact = L->exact;
        out[i].approx = L->approx;
    }
    return 1;
}

enum { FAST_LITS = 64 };

static pqf_code leaf_vec(const pqf_footer *f, const pqf_bound_leaf *b, const pqf_bloom_src *src,
                         const uint8_t *empty, uint8_t *out, size_t nrg, pqf_error *err) {
    const pqf_pred *p = b->node;
    const pqf_stats_summary *S = b->kept_index >= 0 ? &f->stats->sum[b->kept_index] : NULL;
    fast_lit lits[FAST_LITS];
    const int keyed = S && S->keyed && p->kind != PN_ISNULL && p->nlits <= FAST_LITS &&
                      convert_lits(b, S, lits, p->nlits);
    const int nan_rows = b->dom == DOM_FLOAT;
    const int bloom = src && (p->kind == PN_IN || (p->kind == PN_CMP && p->op == PQF_OP_EQ));
    for (size_t rg = 0; rg < nrg; rg++) {
        if (empty && (empty[rg] & PQF_SUM_EMPTY)) {
            out[rg] = 0; /* never asked: a row group without rows holds no matching row */
            continue;
        }
        unsigned r;
        const unsigned fl = S ? S->flags[rg] : 0;
        if (!S) {
            pqf_code rc = pqf_pred_leaf_tv(f, rg, b, src, &r, err);
            if (rc) return rc;
            out[rg] = (uint8_t)r;
            continue;
        }
        if (p->kind == PN_ISNULL) {
            r = ((fl & (PQF_SUM_NULLS | PQF_SUM_ALL_NULL)) ? PQF_TV_TRUE : 0) |
                ((fl & PQF_SUM_ALL_NULL) ? 0 : PQF_TV_FALSE);
            out[rg] = (uint8_t)(p->negated ? pqf_tv_not(r) : r);
            continue;
        }
        if (fl & PQF_SUM_ALL_NULL) {
            out[rg] = PQF_TV_NULL;
            continue;
        }
        if (!(fl & PQF_SUM_BOUNDS)) {
            r = ((fl & PQF_SUM_NULLS) ? PQF_TV_NULL : 0) | PQF_TV_TRUE | PQF_TV_FALSE;
        } else if (!keyed) {
            pqf_code rc = pqf_pred_leaf_tv(f, rg, b, NULL, &r, err);
            if (rc) return rc;
        } else if (p->kind == PN_CMP) {
            r = ((fl & PQF_SUM_NULLS) ? PQF_TV_NULL : 0) |
                compare_u64(S->lo[rg], S->hi[rg], p->op, &lits[0], nan_rows);
        } else { /* IN: true if any member may equal; false only if every member may differ */
            unsigned t = 0, f1 = PQF_TV_FALSE;
            for (uint32_t i = 0; i < p->nlits; i++) {
                unsigned e = compare_u64(S->lo[rg], S->hi[rg], PQF_OP_EQ, &lits[i], nan_rows);
                t |= e & PQF_TV_TRUE;
                f1 &= e;
            }
            r = ((fl & PQF_SUM_NULLS) ? PQF_TV_NULL : 0) | t | f1;
        }
        if (bloom && (r & PQF_TV_TRUE)) {
            int excluded;
            pqf_code rc = pqf_pred_bloom_excludes(src, f, rg, b, &excluded, err);
            if (rc) return rc;
            if (excluded) r &= ~(unsigned)PQF_TV_TRUE;
        }
        out[rg] = (uint8_t)r;
    }
    return PQF_OK;
}

typedef struct vec_ctx {
    const pqf_footer *f;
    const pqf_bound_leaf *leaves;
    size_t next_leaf;
    const pqf_bloom_src *src;
    const uint8_t *empty;
    size_t nrg;
    uint8_t and_t[8][8], or_t[8][8], not_t[8];
    pqf_error *err;
} vec_ctx;

/* Depth-first, leaves in bind order (depth bounded by PQF_PRED_MAX_DEPTH). */
static pqf_code tree_vec(vec_ctx *c, const pqf_pred *p, uint8_t *out) {
    if (p->kind <= PN_ISNULL) return leaf_vec(c->f, &c->leaves[c->next_leaf++], c->src, c->empty, out, c->nrg, c->err);
    pqf_code rc = tree_vec(c, p->kids[0], out);
    if (rc || p->nkids < 2) {
        if (!rc && p->kind == PN_NOT) {
            for (size_t rg = 0; rg < c->nrg; rg++) out[rg] = c->not_t[out[rg] & 7];
        }
        return rc;
    }
    pqf_allocator a = p->alc;
    uint8_t *tmp = a.alloc(a.ctx, c->nrg);
    if (!tmp) {
        pqf_error_set(c->err, PQF_ERR_NOMEM, "out of memory", 0);
        return PQF_ERR_NOMEM;
    }
    uint8_t (*tab)[8] = p->kind == PN_AND ? c->and_t : c->or_t;
    for (uint32_t i = 1; i < p->nkids && !rc; i++) {
        rc = tree_vec(c, p->kids[i], tmp);
        for (size_t rg = 0; rg < c->nrg && !rc; rg++) out[rg] = tab[out[rg] & 7][tmp[rg] & 7];
    }
    a.free(a.ctx, tmp, c->nrg);
    return rc;
}

pqf_code pqf_pred_eval_columns(const pqf_pred *p, const pqf_footer *f, const pqf_bound_leaf *leaves,
                               const pqf_bloom_src *src, uint8_t *may_match, pqf_error *err) {
    const size_t nrg = (size_t)f->stats->nrg;
    if (nrg == 0) return PQF_OK;
    vec_ctx c;
    c.f = f;
    c.leaves = leaves;
    c.next_leaf = 0;
    c.src = src;
    c.empty = f->stats->nsc ? f->stats->sum[0].flags : NULL;
    c.nrg = nrg;
    c.err = err;
    for (unsigned x = 0; x < 8; x++) {
        c.not_t[x] = (uint8_t)pqf_tv_not(x);
        for (unsigned y = 0; y < 8; y++) {
            c.and_t[x][y] = (uint8_t)pqf_tv_and(x, y);
            c.or_t[x][y] = (uint8_t)pqf_tv_or(x, y);
        }
    }
    pqf_code rc = tree_vec(&c, p, may_match);
    for (size_t rg = 0; rg < nrg && !rc; rg++)
        may_match[rg] = !(c.empty && (c.empty[rg] & PQF_SUM_EMPTY)) && (may_match[rg] & PQF_TV_TRUE);
    return rc;
}
