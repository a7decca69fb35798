/*
 * Evaluating a bound predicate per row group with three-valued logic. Each
 * leaf yields the set of truth values it may take over the row group's rows
 * (true / false / null), from the chunk's bounds and null count; connectives
 * combine the sets; a row group may match when "true" is in the root's set.
 *
 * With a literal L brought into the column's order as floor(L) and ceil(L)
 * (the nearest column values at or below / at or above it), and [lo, hi] the
 * chunk's bounds:
 *   v <  L  holds for some v iff lo < ceil     fails for some v iff hi >= ceil
 *   v <= L                  iff lo <= floor                      iff hi > floor
 *   v >  L                  iff hi > floor                       iff lo <= floor
 *   v >= L                  iff hi >= ceil                       iff lo < ceil
 *   v =  L   L exact and lo <= L <= hi        not(L exact and lo = hi = L)
 *   v != L   not(L exact and lo = hi = L)     L exact and lo <= L <= hi
 * A floating-point literal that no double equals is only bracketed (the
 * nearest double and its neighbours), so the "holds" tests use the widest
 * thresholds. On floating-point columns "fails" is always possible and !=
 * always may hold: NaN rows are in no statistics, and NaN != L is true.
 */
#include "model.h"
#include "pqfoot_dataset.h" /* pqf_dataset_prune() */
#include "predicate_bound.h"
#include "stats.h"

static int bcmp_keys(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

/* Statistic bytes -> key; 0 when they cannot be read (length, NaN). */
static int decode_key(const pqf_bound_leaf *b, const pqf_str *s, uint8_t *key, size_t *klen) {
    const uint8_t *p = (const uint8_t *)s->ptr;
    size_t n = s->len;
    if (b->width && n != b->width) return 0;
    switch (b->enc) {
    case ENC_BOOL:
        if (p[0] > 1) return 0;
        pqf_int_key(p, 1, 1, 0, key);
        break;
    case ENC_LE_SIGNED: case ENC_LE_UNSIGNED:
        pqf_int_key(p, n, 1, b->enc == ENC_LE_SIGNED, key);
        break;
    case ENC_BE_TWOS:
        if (n == 0 || n >= PQF_KEY_BYTES) return 0;
        pqf_int_key(p, n, 0, 1, key);
        break;
    case ENC_F32: case ENC_F64: case ENC_F16: {
        double v;
        if (b->enc == ENC_F16) {
            v = pqf_half_to_double((uint16_t)(p[0] | p[1] << 8));
        } else {
            uint8_t le[8];
            for (size_t i = 0; i < n; i++) le[i] = p[i];
            uint64_t bits = 0;
            for (size_t i = n; i-- > 0;) bits = bits << 8 | le[i];
            if (n == 4) {
                uint32_t b32 = (uint32_t)bits;
                float f;
                memcpy(&f, &b32, 4);
                v = f;
            } else {
                memcpy(&v, &bits, 8);
            }
        }
        if (v != v) return 0; /* NaN: these statistics say nothing */
        pqf_double_key(v, key);
        *klen = 8;
        return 1;
    }
    default:
        return 0;
    }
    *klen = PQF_KEY_BYTES;
    return 1;
}

void pqf_pred_view_chunk(const pqf_footer *f, size_t rg, const pqf_bound_leaf *b, pqf_chunk_view *v) {
    memset(v, 0, sizeof *v);
    v->nulls = b->nullable;
    if (!b->kept || b->kept_index < 0 || b->repeated) return;
    pqf_stats_read(f, rg, (size_t)b->kept_index, 0, &v->st);
    const pqf_stats *st = &v->st;
    if (!(st->has & PQF_ST_META) || !(st->has & PQF_ST_STATISTICS)) return;
    const int order = b->order;
    const pqf_str *lo = NULL, *hi = NULL;
    if (order == PQF_ORDER_TYPE_DEFINED && (st->has & PQF_ST_MIN_VALUE) && (st->has & PQF_ST_MAX_VALUE)) {
        lo = &st->min_value;
        hi = &st->max_value;
    } else if (order != PQF_ORDER_UNKNOWN && (st->has & PQF_ST_MIN) && (st->has & PQF_ST_MAX) &&
               b->sort == PQF_SORT_SIGNED && b->physical >= PQF_TYPE_BOOLEAN && b->physical <= PQF_TYPE_DOUBLE &&
               b->physical != PQF_TYPE_INT96) {
        /* deprecated fields, signed order: valid only where that is the column's order */
        lo = &st->min;
        hi = &st->max;
    }
    int min_eq_max = lo && lo->len == hi->len && memcmp(lo->ptr, hi->ptr, lo->len) == 0;
    if (!b->writer_ok[min_eq_max]) return;
    if (st->has & PQF_ST_NULL_COUNT) {
        int sane = st->null_count >= 0 && st->num_values >= 0 && st->null_count <= st->num_values &&
                   (b->nullable || st->null_count == 0);
        if (!sane) return;
        v->nulls = st->null_count > 0;
        v->all_null = st->num_values > 0 && st->null_count == st->num_values;
    }
    if (!lo || b->dom == DOM_NONE || v->all_null) return;
    if (b->dom == DOM_BYTES) {
        if (b->width && (lo->len > b->width || hi->len > b->width)) return;
        v->lo = (const uint8_t *)lo->ptr;
        v->lolen = lo->len;
        v->hi = (const uint8_t *)hi->ptr;
        v->hilen = hi->len;
    } else {
        if (!decode_key(b, lo, v->lobuf, &v->lolen) || !decode_key(b, hi, v->hibuf, &v->hilen)) return;
        v->lo = v->lobuf;
        v->hi = v->hibuf;
    }
    if (bcmp_keys(v->lo, v->lolen, v->hi, v->hilen) > 0) return; /* inconsistent: trust nothing */
    v->bounds = 1;
}

/* Truth values of v OP L over [lo, hi] (non-null values). */
static unsigned compare_tv(const pqf_chunk_view *v, int op, const pqf_bound_lit *L, int nan_rows) {
    const size_t n = L->klen;
#define LO_VS(w) bcmp_keys(v->lo, v->lolen, L->k[w], n)
#define HI_VS(w) bcmp_keys(v->hi, v->hilen, L->k[w], n)
    int t = 1, fl = 1;
    switch (op) {
    case PQF_OP_LT: t = LO_VS(K_CEIL_HI) < 0; fl = HI_VS(K_CEIL_LO) >= 0; break;
    case PQF_OP_LE: t = LO_VS(K_FLOOR_HI) <= 0; fl = HI_VS(K_FLOOR_LO) > 0; break;
    case PQF_OP_GT: t = HI_VS(K_FLOOR_LO) > 0; fl = LO_VS(K_FLOOR_HI) <= 0; break;
    case PQF_OP_GE: t = HI_VS(K_CEIL_LO) >= 0; fl = LO_VS(K_CEIL_HI) < 0; break;
    case PQF_OP_EQ:
    case PQF_OP_NE: {
        int within = L->exact && LO_VS(K_FLOOR_HI) <= 0 && HI_VS(K_CEIL_LO) >= 0;
        int all_equal = L->exact && !L->approx && LO_VS(K_FLOOR_HI) == 0 && HI_VS(K_FLOOR_HI) == 0;
        t = op == PQF_OP_EQ ? within : !all_equal;
        fl = op == PQF_OP_EQ ? !all_equal : within;
        break;
    }
    default: break;
    }
#undef LO_VS
#undef HI_VS
    if (L->approx || nan_rows) { /* NaN rows: no statistics count them, and only != holds for them */
        fl = 1;
        if (op == PQF_OP_NE) t = 1;
    }
    return (t ? PQF_TV_TRUE : 0) | (fl ? PQF_TV_FALSE : 0);
}

/* 1 when the bloom filter proves no value of the leaf's = / IN list is in the chunk. */
pqf_code pqf_pred_bloom_excludes(const pqf_bloom_src *src, const pqf_footer *f, size_t rg, const pqf_bound_leaf *b,
                               int *excluded, pqf_error *err) {
    *excluded = 0;
    if (!src || !b->kept || b->kept_index < 0) return PQF_OK;
    pqf_stats loc;
    pqf_stats_read(f, rg, (size_t)b->kept_index, 1, &loc);
    if (!(loc.has & PQF_ST_BLOOM_OFFSET)) return PQF_OK;
    const pqf_pred *p = b->node;
    size_t n = 0;
    const void *vals[2 * 64];
    size_t lens[2 * 64];
    static const double neg_zero = -0.0;
    uint8_t nz[8];
    float nzf = -0.0f;
    for (uint32_t i = 0; i < p->nlits; i++) {
        const pqf_bound_lit *L = &b->lits[i];
        if (L->never) continue;
        if (!L->has_plain) return PQF_OK; /* a value we cannot hash: keep the row group */
        if (n + 2 > sizeof vals / sizeof *vals) return PQF_OK; /* long lists: statistics only */
        vals[n] = L->plain_ptr;
        lens[n++] = L->plain_len;
        if (L->also_neg_zero) {
            if (L->plain_len == 8) memcpy(nz, &neg_zero, 8);
            else memcpy(nz, &nzf, 4);
#if PQF_BIG_ENDIAN
            for (size_t j = 0; j < L->plain_len / 2; j++) {
                uint8_t t = nz[j];
                nz[j] = nz[L->plain_len - 1 - j];
                nz[L->plain_len - 1 - j] = t;
            }
#endif
            vals[n] = nz;
            lens[n++] = L->plain_len;
        }
    }
    uint8_t found[2 * 64];
    int32_t len = (loc.has & PQF_ST_BLOOM_LENGTH) ? loc.bloom_length : 0;
    pqf_code rc = n ? pqf_bloom_probe(src->fn, src->ctx, src->file_size, loc.bloom_offset, len, vals, lens, n,
                                      found, &p->alc, err)
                    : PQF_OK;
    if (rc) return rc;
    int any = 0;
    for (size_t i = 0; i < n; i++) any |= found[i];
    *excluded = !any;
    return PQF_OK;
}

pqf_code pqf_pred_leaf_tv(const pqf_footer *f, size_t rg, const pqf_bound_leaf *b, const pqf_bloom_src *src,
                          unsigned *out, pqf_error *err) {
    pqf_chunk_view v;
    pqf_pred_view_chunk(f, rg, b, &v);
    const pqf_pred *p = b->node;
    if (p->kind == PN_ISNULL) {
        unsigned r = (v.nulls || v.all_null ? PQF_TV_TRUE : 0) | (v.all_null ? 0 : PQF_TV_FALSE);
        *out = p->negated ? pqf_tv_not(r) : r;
        return PQF_OK;
    }
    if (v.all_null) {
        *out = PQF_TV_NULL;
        return PQF_OK;
    }
    unsigned r = v.nulls ? PQF_TV_NULL : 0;
    if (!v.bounds) {
        r |= PQF_TV_TRUE | PQF_TV_FALSE;
    } else if (p->kind == PN_CMP) {
        r |= compare_tv(&v, p->op, &b->lits[0], b->dom == DOM_FLOAT);
    } else { /* IN: true if any member may equal; false only if every member may differ */
        unsigned t = 0, fl = PQF_TV_FALSE;
        for (uint32_t i = 0; i < p->nlits; i++) {
            unsigned e = compare_tv(&v, PQF_OP_EQ, &b->lits[i], b->dom == DOM_FLOAT);
            t |= e & PQF_TV_TRUE;
            fl &= e;
        }
        r |= t | fl;
    }
    if ((r & PQF_TV_TRUE) && (p->kind == PN_IN || (p->kind == PN_CMP && p->op == PQF_OP_EQ))) {
        int excluded;
        pqf_code rc = pqf_pred_bloom_excludes(src, f, rg, b, &excluded, err);
        if (rc) return rc;
        if (excluded) r &= ~(unsigned)PQF_TV_TRUE;
    }
    *out = r;
    return PQF_OK;
}

typedef struct eval_ctx {
    const pqf_footer *f;
    const pqf_bound_leaf *leaves;
    const pqf_bloom_src *src;
    pqf_error *err;
} eval_ctx;

/* Depth-first, leaves consumed in bind order. Recursion depth is bounded by
 * PQF_PRED_MAX_DEPTH, which every builder enforces. */
static pqf_code tree_tv(const eval_ctx *c, const pqf_pred *p, size_t rg, size_t *leaf, unsigned *out) {
    if (p->kind <= PN_ISNULL) return pqf_pred_leaf_tv(c->f, rg, &c->leaves[(*leaf)++], c->src, out, c->err);
    unsigned acc = 0;
    for (uint32_t i = 0; i < p->nkids; i++) {
        unsigned r;
        pqf_code rc = tree_tv(c, p->kids[i], rg, leaf, &r);
        if (rc) return rc;
        acc = i == 0 ? r : p->kind == PN_AND ? pqf_tv_and(acc, r) : pqf_tv_or(acc, r);
    }
    *out = p->kind == PN_NOT ? pqf_tv_not(acc) : acc;
    return PQF_OK;
}

/* A predicate's leaves and literals bound to one footer, kept while the next
 * footers bind the same way (a dataset's files usually share their schema). */
typedef struct binding {
    pqf_bound_leaf *leaves;
    pqf_bound_lit *lits;
    size_t lb, tb;
    const pqf_footer *to; /* NULL: not bound yet */
} binding;

static pqf_code binding_alloc(const pqf_pred *p, binding *bd, pqf_error *err) {
    pqf_allocator a = p->alc;
    size_t nleaves = pqf_pred_count_leaves(p), nlits = pqf_pred_count_lits(p);
    bd->lb = nleaves * sizeof(pqf_bound_leaf);
    bd->tb = (nlits ? nlits : 1) * sizeof(pqf_bound_lit);
    bd->leaves = a.alloc(a.ctx, bd->lb);
    bd->lits = a.alloc(a.ctx, bd->tb);
    bd->to = NULL;
    if (bd->leaves && bd->lits) return PQF_OK;
    pqf_error_set(err, PQF_ERR_NOMEM, "out of memory", 0);
    return PQF_ERR_NOMEM;
}

static void binding_free(const pqf_pred *p, binding *bd) {
    pqf_allocator a = p->alc;
    if (bd->leaves) a.free(a.ctx, bd->leaves, bd->lb);
    if (bd->lits) a.free(a.ctx, bd->lits, bd->tb);
}

/* Does everything binding reads agree between a and b: the schema (shared
 * block), the writer (its statistics rules), the kept columns and their orders? */
static int binds_alike(const pqf_footer *a, const pqf_footer *b) {
    if (a->sb != b->sb || a->created_by.len != b->created_by.len ||
        (a->created_by.len && memcmp(a->created_by.ptr, b->created_by.ptr, a->created_by.len) != 0))
        return 0;
    const struct pqf_stats_block *x = a->stats, *y = b->stats;
    if (!x || !y) return x == y;
    return x->nsc == y->nsc && memcmp(x->leaves, y->leaves, x->nsc * sizeof *x->leaves) == 0 &&
           memcmp(x->orders, y->orders, x->nsc) == 0;
}

static pqf_code eval_footer(const pqf_pred *p, const pqf_footer *f, binding *bd, const pqf_bloom_src *src,
                            int rowwise, uint8_t *may_match, pqf_error *err) {
    if (!bd->to || !binds_alike(bd->to, f)) {
        bd->to = NULL;
        pqf_code rc = pqf_pred_bind(p, f, bd->leaves, bd->lits, err);
        if (rc) return rc;
        bd->to = f;
    }
    if (!rowwise && pqf_stats_column_count(f)) /* summaries: column at a time */
        return pqf_pred_eval_columns(p, f, bd->leaves, src, may_match, err);
    eval_ctx c = {f, bd->leaves, src, err};
    pqf_code rc = PQF_OK;
    for (size_t rg = 0; rg < pqf_row_group_count(f) && !rc; rg++) {
        size_t leaf = 0;
        unsigned r = 0;
        pqf_row_group g;
        /* a row group without rows holds no matching row */
        if (pqf_row_group_get(f, rg, &g) != PQF_OK || g.num_rows != 0) rc = tree_tv(&c, p, rg, &leaf, &r);
        may_match[rg] = (r & PQF_TV_TRUE) != 0;
    }
    return rc;
}

static int bad_args(const pqf_pred *p, const pqf_footer *f, const uint8_t *may_match, pqf_error *err) {
    if (p && f && (may_match || !pqf_row_group_count(f))) return 0;
    pqf_error_set(err, PQF_ERR_INVALID_ARG, "NULL predicate, footer or output", 0);
    return 1;
}

static pqf_code eval_all(const pqf_pred *p, const pqf_footer *f, const pqf_bloom_src *src, int rowwise,
                         uint8_t *may_match, pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    pqf_error_set(err, PQF_OK, "ok", 0);
    if (bad_args(p, f, may_match, err)) return PQF_ERR_INVALID_ARG;
    binding bd;
    pqf_code rc = binding_alloc(p, &bd, err);
    if (!rc) rc = eval_footer(p, f, &bd, src, rowwise, may_match, err);
    binding_free(p, &bd);
    return rc;
}

pqf_code pqf_pred_eval(const pqf_pred *p, const pqf_footer *f, uint8_t *may_match, pqf_error *err) {
    return eval_all(p, f, NULL, 0, may_match, err);
}

pqf_code pqf_pred_eval_rowwise(const pqf_pred *p, const pqf_footer *f, uint8_t *may_match, pqf_error *err) {
    return eval_all(p, f, NULL, 1, may_match, err);
}

pqf_code pqf_pred_eval_bloom_reader(const pqf_pred *p, const pqf_footer *f, pqf_read_fn fn, void *ctx,
                                    uint64_t file_size, uint8_t *may_match, pqf_error *err) {
    if (!fn) {
        if (err) pqf_error_set(err, PQF_ERR_INVALID_ARG, "NULL read callback", 0);
        return PQF_ERR_INVALID_ARG;
    }
    pqf_bloom_src src = {fn, ctx, file_size ? file_size : pqf_footer_file_size(f)};
    return eval_all(p, f, &src, 0, may_match, err);
}

pqf_code pqf_dataset_prune(const pqf_dataset *ds, const pqf_pred *p, uint8_t *may_match, pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    if (!ds || !p || !may_match) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "NULL dataset, predicate or output", 0);
        return PQF_ERR_INVALID_ARG;
    }
    pqf_error_set(err, PQF_OK, "ok", 0);
    binding bd;
    pqf_code rc = binding_alloc(p, &bd, err);
    uint64_t at = 0;
    for (size_t i = 0; i < pqf_dataset_file_count(ds) && !rc; i++) {
        pqf_dataset_file df;
        const pqf_footer *f = pqf_dataset_file_get(ds, i, &df) == PQF_OK ? df.footer : NULL;
        if (bad_args(p, f, may_match, err)) {
            rc = PQF_ERR_INVALID_ARG;
            break;
        }
        rc = eval_footer(p, f, &bd, NULL, 0, may_match + at, err); /* binding shared while footers bind alike */
        at += pqf_row_group_count(f);
    }
    binding_free(p, &bd);
    return rc;
}
