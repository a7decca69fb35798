/* Building and freeing predicate trees; the three-valued connectives. */
#include "predicate_bound.h"

static pqf_pred *new_node(pqf_allocator alc, size_t extra) {
    if (extra > SIZE_MAX - sizeof(pqf_pred) - 16) return NULL;
    size_t bytes = sizeof(pqf_pred) + extra;
    pqf_pred *p = alc.alloc(alc.ctx, bytes);
    if (!p) return NULL;
    memset(p, 0, bytes);
    p->alc = alc;
    p->bytes = bytes;
    p->depth = 1;
    return p;
}

pqf_pred *pqf_pred_leaf(const pqf_allocator *alc, int kind, const char *column, size_t column_len,
                        const pqf_pred_lit *lits, size_t nlits) {
    if (!column || (nlits && !lits) || nlits > UINT32_MAX / 2) return NULL;
    size_t extra = nlits * sizeof(pqf_pred_lit) + column_len + 1;
    for (size_t i = 0; i < nlits; i++) {
        if (!lits[i].ptr && lits[i].len) return NULL;
        if (lits[i].len > SIZE_MAX / 4 - extra) return NULL;
        extra += lits[i].len + 1;
    }
    pqf_pred *p = new_node(pqf_allocator_resolve(alc), extra);
    if (!p) return NULL;
    p->kind = (uint8_t)kind;
    char *at = (char *)(p + 1);
    p->lits = (pqf_pred_lit *)at;
    p->nlits = (uint32_t)nlits;
    at += nlits * sizeof(pqf_pred_lit);
    memcpy(at, column, column_len);
    p->column = at;
    at += column_len + 1;
    for (size_t i = 0; i < nlits; i++) {
        p->lits[i] = lits[i];
        if (lits[i].len) memcpy(at, lits[i].ptr, lits[i].len);
        p->lits[i].ptr = at;
        at += lits[i].len + 1;
    }
    return p;
}

static int value_ok(const pqf_value *v) {
    if (!v || (!v->ptr && v->len)) return 0;
    if (v->kind == PQF_VAL_NUMBER) return pqf_num_valid(v->ptr, v->len);
    return v->kind == PQF_VAL_STRING || v->kind == PQF_VAL_DATE || v->kind == PQF_VAL_TIMESTAMP;
}

pqf_pred *pqf_pred_in(const char *column, const pqf_value *vs, size_t n, const pqf_allocator *alc) {
    if (!column || !vs || n == 0 || n > 1u << 20) return NULL;
    pqf_allocator a = pqf_allocator_resolve(alc);
    pqf_pred_lit *lits = a.alloc(a.ctx, n * sizeof *lits);
    if (!lits) return NULL;
    pqf_pred *p = NULL;
    size_t i = 0;
    for (; i < n && value_ok(&vs[i]); i++) {
        lits[i].kind = vs[i].kind;
        lits[i].ptr = vs[i].ptr;
        lits[i].len = vs[i].len;
        lits[i].pos = 0;
    }
    if (i == n) p = pqf_pred_leaf(&a, PN_IN, column, strlen(column), lits, n);
    a.free(a.ctx, lits, n * sizeof *lits);
    return p;
}

pqf_pred *pqf_pred_compare(const char *column, int op, const pqf_value *v, const pqf_allocator *alc) {
    if (op < PQF_OP_EQ || op > PQF_OP_GE) return NULL;
    pqf_pred *p = pqf_pred_in(column, v, 1, alc);
    if (p) {
        p->kind = PN_CMP;
        p->op = (uint8_t)op;
    }
    return p;
}

pqf_pred *pqf_pred_is_null(const char *column, int negated, const pqf_allocator *alc) {
    if (!column) return NULL;
    pqf_pred *p = pqf_pred_leaf(alc, PN_ISNULL, column, strlen(column), NULL, 0);
    if (p) p->negated = negated != 0;
    return p;
}

void pqf_pred_free(pqf_pred *p) {
    if (!p) return;
    for (uint32_t i = 0; i < p->nkids; i++) pqf_pred_free(p->kids[i]);
    if (p->kids) p->alc.free(p->alc.ctx, p->kids, (size_t)p->kids_cap * sizeof(pqf_pred *));
    p->alc.free(p->alc.ctx, p, p->bytes);
}

/* Append kid to an AND/OR/NOT node's list, growing it. */
static int add_kid(pqf_pred *p, pqf_pred *kid) {
    if (p->nkids == p->kids_cap) {
        if (p->kids_cap >= (1u << 24)) return -1;
        uint32_t cap = p->kids_cap ? p->kids_cap * 2 : 2;
        pqf_pred **k = p->alc.alloc(p->alc.ctx, (size_t)cap * sizeof *k);
        if (!k) return -1;
        if (p->nkids) memcpy(k, p->kids, (size_t)p->nkids * sizeof *k);
        if (p->kids) p->alc.free(p->alc.ctx, p->kids, (size_t)p->kids_cap * sizeof *k);
        p->kids = k;
        p->kids_cap = cap;
    }
    p->kids[p->nkids++] = kid;
    if (kid->depth + 1 > p->depth) p->depth = (uint16_t)(kid->depth + 1);
    return 0;
}

/* AND/OR of a and b: a chain of the same connective grows one node, so long
 * conjunctions stay shallow. */
static pqf_pred *combine(int kind, pqf_pred *a, pqf_pred *b) {
    if (!a || !b) goto fail;
    if (a->depth >= PQF_PRED_MAX_DEPTH || b->depth >= PQF_PRED_MAX_DEPTH) goto fail;
    if (a->kind == kind) {
        if (add_kid(a, b)) goto fail;
        return a;
    }
    pqf_pred *p = new_node(a->alc, 0);
    if (!p) goto fail;
    p->kind = (uint8_t)kind;
    if (add_kid(p, a)) {
        pqf_pred_free(p);
        goto fail;
    }
    if (add_kid(p, b)) {
        p->nkids = 0; /* a is still the caller's to free below */
        pqf_pred_free(p);
        goto fail;
    }
    return p;
fail:
    pqf_pred_free(a);
    pqf_pred_free(b);
    return NULL;
}

pqf_pred *pqf_pred_and(pqf_pred *a, pqf_pred *b) { return combine(PN_AND, a, b); }
pqf_pred *pqf_pred_or(pqf_pred *a, pqf_pred *b) { return combine(PN_OR, a, b); }

pqf_pred *pqf_pred_not(pqf_pred *a) {
    if (!a) return NULL;
    pqf_pred *p = a->depth < PQF_PRED_MAX_DEPTH ? new_node(a->alc, 0) : NULL;
    if (!p || add_kid(p, a)) {
        if (p) pqf_pred_free(p);
        pqf_pred_free(a);
        return NULL;
    }
    p->kind = PN_NOT;
    return p;
}

/* Kleene logic over sets of possible values: every pairing of the operands. */
unsigned pqf_tv_and(unsigned a, unsigned b) {
    unsigned r = 0;
    if ((a & PQF_TV_FALSE) || (b & PQF_TV_FALSE)) r |= PQF_TV_FALSE;
    if ((a & PQF_TV_TRUE) && (b & PQF_TV_TRUE)) r |= PQF_TV_TRUE;
    if (((a & PQF_TV_NULL) && (b & (PQF_TV_NULL | PQF_TV_TRUE))) || ((a & PQF_TV_TRUE) && (b & PQF_TV_NULL)))
        r |= PQF_TV_NULL;
    return r;
}

unsigned pqf_tv_or(unsigned a, unsigned b) { return pqf_tv_not(pqf_tv_and(pqf_tv_not(a), pqf_tv_not(b))); }

unsigned pqf_tv_not(unsigned a) {
    return (a & PQF_TV_NULL) | ((a & PQF_TV_TRUE) ? PQF_TV_FALSE : 0) | ((a & PQF_TV_FALSE) ? PQF_TV_TRUE : 0);
}

static void list_leaves(const pqf_pred *p, const char **out, size_t *n) {
    if (p->kind <= PN_ISNULL) {
        out[(*n)++] = p->column;
        return;
    }
    for (uint32_t i = 0; i < p->nkids; i++) list_leaves(p->kids[i], out, n);
}

size_t pqf_pred_columns(const pqf_pred *p, const char **names, size_t max) {
    if (!p) return 0;
    size_t nl = pqf_pred_count_leaves(p), n = 0, k = 0;
    const char **all = p->alc.alloc(p->alc.ctx, nl * sizeof *all);
    if (!all) return 0;
    list_leaves(p, all, &k);
    for (size_t i = 0; i < nl; i++) {
        size_t j = 0;
        while (j < i && strcmp(all[j], all[i]) != 0) j++;
        if (j < i) continue;
        if (names && n < max) names[n] = all[i];
        n++;
    }
    p->alc.free(p->alc.ctx, all, nl * sizeof *all);
    return n;
}
