/* Reading one chunk's kept statistics back, and the sort order of a column. */
#include "model.h"
#include "stats.h"

/* Kept index of leaf col, or -1 (binary search over the ascending leaves). */
static long kept_index(const struct pqf_stats_block *B, size_t col) {
    size_t lo = 0, hi = B ? B->nsc : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (B->leaves[mid] == col) return (long)mid;
        if (B->leaves[mid] < col) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

pqf_code pqf_column_has_stats(const pqf_footer *F, size_t col, int *has) {
    if (!F || !has || col >= pqf_column_count(F)) return PQF_ERR_INVALID_ARG;
    *has = kept_index(F->stats, col) >= 0;
    return PQF_OK;
}
size_t pqf_stats_column_count(const pqf_footer *F) { return F && F->stats ? F->stats->nsc : 0; }
size_t pqf_stats_bytes(const pqf_footer *F) { return F && F->stats ? F->stats->bytes : 0; }

uint64_t pqf_stats_cell(const struct pqf_stats_block *B, size_t k, uint64_t rg, unsigned f) {
    const pqf_stats_field *x = &B->fields[k * SF_COUNT + f];
    return x->base + pqf_get_bits(B->bits, x->bitpos + rg * x->width, x->width);
}
#define cell(B, k, rg, f) pqf_stats_cell((B), (size_t)(k), (rg), (f))

long pqf_stats_kept_index(const pqf_footer *F, size_t col) { return F ? kept_index(F->stats, col) : -1; }

void pqf_stats_read(const pqf_footer *F, uint64_t rg, size_t k, int with_bloom, pqf_stats *out) {
    const struct pqf_stats_block *B = F->stats;
    memset(out, 0, sizeof *out);
    uint32_t has = (uint32_t)cell(B, k, rg, SF_HAS);
    out->has = has & PQF_ST_PUBLIC_MASK;
    out->num_values = (int64_t)cell(B, k, rg, SF_NV);
    out->null_count = (int64_t)cell(B, k, rg, SF_NULLS);
    if (with_bloom) {
        out->distinct_count = (int64_t)cell(B, k, rg, SF_DISTINCT);
        out->bloom_offset = (int64_t)cell(B, k, rg, SF_BF_OFF);
        out->bloom_length = (int32_t)cell(B, k, rg, SF_BF_LEN);
    }
    const char *at = B->pool + cell(B, k, rg, SF_POOL);
    pqf_str *dst[4] = {&out->min_value, &out->max_value, &out->min, &out->max};
    static const uint32_t bit[4] = {PQF_ST_MIN_VALUE, PQF_ST_MAX_VALUE, PQF_ST_MIN, PQF_ST_MAX};
    for (unsigned j = 0; j < 4; j++) {
        if (!(has & bit[j])) continue;
        if (j == 2 && (has & PQF_ST_MIN_SHARED)) {
            *dst[j] = out->min_value;
            continue;
        }
        if (j == 3 && (has & PQF_ST_MAX_SHARED)) {
            *dst[j] = out->max_value;
            continue;
        }
        dst[j]->ptr = at;
        dst[j]->len = (size_t)cell(B, k, rg, SF_LEN_MINV + j);
        at += dst[j]->len + 1;
    }
}

pqf_code pqf_stats_get(const pqf_footer *F, size_t rg, size_t col, pqf_stats *out) {
    if (!F || !out || rg >= F->nrg || col >= F->ncols) return PQF_ERR_INVALID_ARG;
    long k = kept_index(F->stats, col);
    if (k < 0) {
        memset(out, 0, sizeof *out);
        return PQF_ERR_NO_COLUMN;
    }
    pqf_stats_read(F, rg, (size_t)k, 1, out);
    return PQF_OK;
}

/* The order a logical type defines; -1 when it says nothing. */
static int logical_order(const pqf_logical_type *lt) {
    switch (lt->kind) {
    case PQF_LT_STRING: case PQF_LT_ENUM: case PQF_LT_JSON: case PQF_LT_BSON: case PQF_LT_UUID:
        return PQF_SORT_UNSIGNED;
    case PQF_LT_DECIMAL: case PQF_LT_DATE: case PQF_LT_TIME: case PQF_LT_TIMESTAMP: case PQF_LT_FLOAT16:
        return PQF_SORT_SIGNED;
    case PQF_LT_INTEGER:
        return lt->is_signed ? PQF_SORT_SIGNED : PQF_SORT_UNSIGNED;
    case PQF_LT_NONE:
        return -1;
    default: /* maps, lists, variants, geometry, unknown members: no order */
        return PQF_SORT_UNKNOWN;
    }
}

static int converted_order(int32_t ct) {
    if (ct == PQF_CT_UTF8 || ct == PQF_CT_ENUM || ct == PQF_CT_JSON || ct == PQF_CT_BSON) return PQF_SORT_UNSIGNED;
    if (ct >= PQF_CT_UINT_8 && ct <= PQF_CT_UINT_64) return PQF_SORT_UNSIGNED;
    if ((ct >= PQF_CT_INT_8 && ct <= PQF_CT_INT_64) || (ct >= PQF_CT_DECIMAL && ct <= PQF_CT_TIMESTAMP_MICROS)) return PQF_SORT_SIGNED;
    return PQF_SORT_UNKNOWN; /* MAP, LIST, INTERVAL, values this version does not know */
}

/* The sort order of a leaf from its column and schema element. */
static int leaf_sort_order(const pqf_column *c, const pqf_schema_element *e) {
    if (e->has & PQF_SE_LOGICAL_TYPE) {
        int o = logical_order(&e->logical);
        if (o >= 0) return o;
    }
    if (e->has & PQF_SE_CONVERTED_TYPE) return converted_order(e->converted_type);
    switch (c->type) {
    case PQF_TYPE_BOOLEAN: case PQF_TYPE_INT32: case PQF_TYPE_INT64: case PQF_TYPE_FLOAT: case PQF_TYPE_DOUBLE:
        return PQF_SORT_SIGNED;
    case PQF_TYPE_BYTE_ARRAY: case PQF_TYPE_FIXED_LEN_BYTE_ARRAY:
        return PQF_SORT_UNSIGNED;
    default: /* INT96 and leaves without a type */
        return PQF_SORT_UNKNOWN;
    }
}

pqf_code pqf_column_sort_order(const pqf_footer *F, size_t col, int *order) {
    pqf_column c;
    pqf_schema_element e;
    if (!order || pqf_column_get(F, col, &c) != PQF_OK || pqf_schema_get(F, c.schema_index, &e) != PQF_OK)
        return PQF_ERR_INVALID_ARG;
    *order = leaf_sort_order(&c, &e);
    return PQF_OK;
}
