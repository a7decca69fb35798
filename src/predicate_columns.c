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

/* An inclusive range of keys; empty when lo > hi. */
typedef struct krange {
    uint64_t lo, hi;
} krange;

static const krange ALL = {0, UINT64_MAX}, NONE = {1, 0};

static krange below(thr t, int or_equal) { /* x < t, or x <= t */
    if (t.s) return t.s > 0 ? ALL : NONE;
    if (or_equal) return (krange){0, t.v};
    return t.v ? (krange){0, t.v - 1} : NONE;
}

static krange above(thr t, int or_equal) { /* x > t, or x >= t */
    if (t.s) return t.s < 0 ? ALL : NONE;
    if (or_equal) return (krange){t.v, UINT64_MAX};
    return t.v != UINT64_MAX ? (krange){t.v + 1, UINT64_MAX} : NONE;
}

static krange equal(thr t) { return t.s ? NONE : (krange){t.v, t.v}; }

/* One literal under one operator, as two tests on the bounds [lo, hi]:
 * "may be true"  = inv_t xor (lo in r[0] and hi in r[1]),
 * "may be false" = inv_f xor (lo in r[2] and hi in r[3]). */
typedef struct lit_test {
    krange r[4];
    unsigned inv_t, inv_f;
} lit_test;

/* The rules of compare_tv (predicate_eval.c), restated as ranges. */
static lit_test make_test(const pqf_bound_lit *L, int op, int nan_rows, int is_signed) {
    thr k[4];
    for (int j = 0; j < 4; j++) {
        k[j].v = 0;
        k[j].s = pqf_key_to_u64(L->k[j], L->klen, is_signed, &k[j].v);
    }
    lit_test x = {{ALL, ALL, ALL, ALL}, 0, 0};
    switch (op) {
    case PQF_OP_LT: x.r[0] = below(k[K_CEIL_HI], 0); x.r[3] = above(k[K_CEIL_LO], 1); break;
    case PQF_OP_LE: x.r[0] = below(k[K_FLOOR_HI], 1); x.r[3] = above(k[K_FLOOR_LO], 0); break;
    case PQF_OP_GT: x.r[1] = above(k[K_FLOOR_LO], 0); x.r[2] = below(k[K_FLOOR_HI], 1); break;
    case PQF_OP_GE: x.r[1] = above(k[K_CEIL_LO], 1); x.r[2] = below(k[K_CEIL_HI], 0); break;
    default: { /* = and != : "within" and "all equal" */
        krange w[2] = {below(k[K_FLOOR_HI], 1), above(k[K_CEIL_LO], 1)};
        krange e[2] = {equal(k[K_FLOOR_HI]), equal(k[K_FLOOR_HI])};
        if (!L->exact) w[0] = w[1] = NONE;
        if (!L->exact || L->approx) e[0] = e[1] = NONE;
        const int eq = op == PQF_OP_EQ;
        x.r[0] = eq ? w[0] : e[0];
        x.r[1] = eq ? w[1] : e[1];
        x.r[2] = eq ? e[0] : w[0];
        x.r[3] = eq ? e[1] : w[1];
        x.inv_t = !eq;
        x.inv_f = eq;
        break;
    }
    }
    if (L->approx || nan_rows) { /* NaN rows: only != holds for them, and they are in no statistics */
        x.r[2] = x.r[3] = ALL;
        x.inv_f = 0;
        if (op == PQF_OP_NE) {
            x.r[0] = x.r[1] = ALL;
            x.inv_t = 0;
        }
    }
    return x;
}

/* The keys of a literal must be those of the column's domain. */
static int keys_fit(const pqf_bound_leaf *b) {
    const size_t want = b->dom == DOM_FLOAT ? 8 : PQF_KEY_BYTES;
    for (uint32_t i = 0; i < b->node->nlits; i++) {
        if (b->lits[i].klen != want) return 0;
    }
    return 1;
}

enum { FAST_LITS = 64 };

/* A leaf's truth values by (flags & 7) | t << 3 | f1 << 4, t and f1 being its
 * bound tests: what the flags leave open, the bounds decide. */
static void make_combine(uint8_t tab[32]) {
    for (unsigned x = 0; x < 32; x++) {
        unsigned fl = x & 7, t = (x >> 3) & 1, f1 = (x >> 4) & 1;
        unsigned bounded = (t ? PQF_TV_TRUE : 0) | (f1 ? PQF_TV_FALSE : 0);
        unsigned r = (fl & PQF_SUM_BOUNDS) ? bounded : PQF_TV_TRUE | PQF_TV_FALSE;
        r |= (fl & PQF_SUM_NULLS) ? PQF_TV_NULL : 0;
        tab[x] = (uint8_t)((fl & PQF_SUM_ALL_NULL) ? PQF_TV_NULL : r);
    }
}

/* A conjunction "lo in r[0] and hi in r[1]" as offsets and widths (x in
 * [a, a + w] iff x - a <= w, unsigned), with a mask that is 0 when a range is empty. */
typedef struct pair_test {
    uint64_t a0, w0, a1, w1;
    unsigned mask;
} pair_test;

static pair_test make_pair(const krange *r) {
    pair_test p = {0, UINT64_MAX, 0, UINT64_MAX, 0};
    if (r[0].lo > r[0].hi || r[1].lo > r[1].hi) return p;
    p.a0 = r[0].lo;
    p.w0 = r[0].hi - r[0].lo;
    p.a1 = r[1].lo;
    p.w1 = r[1].hi - r[1].lo;
    p.mask = 1;
    return p;
}

/* lo in [a0, a0 + w0] and hi in [a1, a1 + w1], unless a range is empty. */
static inline unsigned pair_in(pair_test p, uint64_t l, uint64_t h) {
    return p.mask & (unsigned)(l - p.a0 <= p.w0) & (unsigned)(h - p.a1 <= p.w1);
}

/* The common case, one literal. Its tests are copied into locals: stores to
 * out (bytes) could otherwise alias them and force reloads. */
/* 1 when the test holds for every lo and hi (floating-point columns: "may
 * be false" always holds), so the loops can skip it. */
static int always(pair_test p, unsigned inv) {
    return inv ? p.mask == 0 : p.mask && p.w0 == UINT64_MAX && p.w1 == UINT64_MAX;
}

static void one_lit_loop(const lit_test *x, const uint64_t *lo, const uint64_t *hi, const uint8_t *flags,
                         uint8_t *out, size_t nrg) {
    uint8_t tab[32];
    make_combine(tab);
    const pair_test pt = make_pair(&x->r[0]), pf = make_pair(&x->r[2]);
    const unsigned it = x->inv_t, ifl = x->inv_f;
    if (always(pf, ifl)) {
        for (size_t rg = 0; rg < nrg; rg++)
            out[rg] = tab[(flags[rg] & 7) | (it ^ pair_in(pt, lo[rg], hi[rg])) << 3 | 1u << 4];
        return;
    }
    for (size_t rg = 0; rg < nrg; rg++) {
        unsigned t = it ^ pair_in(pt, lo[rg], hi[rg]), f1 = ifl ^ pair_in(pf, lo[rg], hi[rg]);
        out[rg] = tab[(flags[rg] & 7) | t << 3 | f1 << 4];
    }
}

/* One member of an IN list over every row group: out holds the flags, the
 * "may be true" bit 3 (ORed over members) and "may be false" bit 4 (ANDed). */
static void member_pass(const lit_test *x, const uint64_t *lo, const uint64_t *hi, uint8_t *out, size_t nrg) {
    const pair_test pt = make_pair(&x->r[0]), pf = make_pair(&x->r[2]);
    const unsigned it = x->inv_t, ifl = x->inv_f;
    if (always(pf, ifl)) {
        for (size_t rg = 0; rg < nrg; rg++) out[rg] = (uint8_t)(out[rg] | (it ^ pair_in(pt, lo[rg], hi[rg])) << 3);
        return;
    }
    for (size_t rg = 0; rg < nrg; rg++) {
        unsigned t = it ^ pair_in(pt, lo[rg], hi[rg]), f1 = ifl ^ pair_in(pf, lo[rg], hi[rg]);
        out[rg] = (uint8_t)((out[rg] | t << 3) & ~((f1 ^ 1u) << 4));
    }
}

/* Every row group through the general path (no summary, or keys it cannot hold). */
static pqf_code leaf_general(const pqf_footer *f, const pqf_bound_leaf *b, const uint8_t *flags,
                             const pqf_bloom_src *src, uint8_t *out, size_t nrg, pqf_error *err) {
    for (size_t rg = 0; rg < nrg; rg++) {
        unsigned r = PQF_TV_ANY;
        if (!(flags[rg] & PQF_SUM_EMPTY)) { /* an empty row group is never asked (no bloom read) */
            pqf_code rc = pqf_pred_leaf_tv(f, rg, b, src, &r, err);
            if (rc) return rc;
        }
        out[rg] = (uint8_t)r;
    }
    return PQF_OK;
}

static pqf_code leaf_vec(const pqf_footer *f, const pqf_bound_leaf *b, const pqf_bloom_src *src, uint8_t *out,
                         size_t nrg, pqf_error *err) {
    const pqf_pred *p = b->node;
    const pqf_stats_summary *S = b->kept_index >= 0 ? &f->stats->sum[b->kept_index] : NULL;
    if (!S) return leaf_general(f, b, f->stats->sum[0].flags, src, out, nrg, err); /* any flags mark empties */
    const uint8_t *flags = S->flags;
    if (p->kind == PN_ISNULL) {
        uint8_t tab[4]; /* by the NULLS and ALL_NULL flags */
        for (unsigned x = 0; x < 4; x++) {
            unsigned r = ((x & (PQF_SUM_NULLS | PQF_SUM_ALL_NULL)) ? PQF_TV_TRUE : 0) |
                         ((x & PQF_SUM_ALL_NULL) ? 0 : PQF_TV_FALSE);
            tab[x] = (uint8_t)(p->negated ? pqf_tv_not(r) : r);
        }
        for (size_t rg = 0; rg < nrg; rg++) out[rg] = tab[flags[rg] & 3];
        return PQF_OK;
    }
    if (!S->keyed || p->nlits > FAST_LITS || !keys_fit(b)) return leaf_general(f, b, flags, src, out, nrg, err);
    lit_test tests[FAST_LITS];
    const int op = p->kind == PN_CMP ? p->op : PQF_OP_EQ;
    for (uint32_t i = 0; i < p->nlits; i++) tests[i] = make_test(&b->lits[i], op, b->dom == DOM_FLOAT, S->is_signed);
    if (p->nlits == 1) {
        one_lit_loop(&tests[0], S->lo, S->hi, flags, out, nrg);
    } else { /* IN: true if any member may equal, false only if every member may differ */
        uint8_t tab[32];
        make_combine(tab);
        for (size_t rg = 0; rg < nrg; rg++) out[rg] = (uint8_t)((flags[rg] & 7) | 1u << 4);
        for (uint32_t i = 0; i < p->nlits; i++) member_pass(&tests[i], S->lo, S->hi, out, nrg);
        for (size_t rg = 0; rg < nrg; rg++) out[rg] = tab[out[rg] & 31];
    }
    if (src && (p->kind == PN_IN || p->op == PQF_OP_EQ)) {
        for (size_t rg = 0; rg < nrg; rg++) {
            if ((flags[rg] & PQF_SUM_EMPTY) || !(out[rg] & PQF_TV_TRUE)) continue;
            int excluded;
            pqf_code rc = pqf_pred_bloom_excludes(src, f, rg, b, &excluded, err);
            if (rc) return rc;
            if (excluded) out[rg] &= (uint8_t)~PQF_TV_TRUE;
        }
    }
    return PQF_OK;
}

typedef struct vec_ctx {
    const pqf_footer *f;
    const pqf_bound_leaf *leaves;
    size_t next_leaf;
    const pqf_bloom_src *src;
    const uint8_t *empty; /* flags of the first kept column (PQF_SUM_EMPTY) */
    size_t nrg;
    uint8_t and_t[8][8], or_t[8][8], not_t[8];
    pqf_error *err;
} vec_ctx;

/* Depth-first, leaves in bind order (depth bounded by PQF_PRED_MAX_DEPTH). */
static pqf_code tree_vec(vec_ctx *c, const pqf_pred *p, uint8_t *out) {
    if (p->kind <= PN_ISNULL) return leaf_vec(c->f, &c->leaves[c->next_leaf++], c->src, out, c->nrg, c->err);
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
