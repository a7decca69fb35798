/*
 * Slices: a metadata-only Parquet file for chosen row groups and columns,
 * re-encoded from the compact model through the public API alone (the
 * compact writer is the only internal piece). See docs/slice.md.
 */
#include <stdint.h>
#include <string.h>

#include "compact_out.h"
#include "wire.h" /* CT_* */

/* Bounds: a slice holds at most this many row groups, and its footer at
 * most PQF_SLICE_MAX_BYTES bytes. */
#define PQF_SLICE_MAX_ROW_GROUPS (1u << 24)
#define PQF_SLICE_MAX_BYTES ((size_t)0x7FFFFFFF)

typedef struct slice_ctx {
    const pqf_footer *f;
    const pqf_allocator *alc; /* the footer's: every allocation of the slice */
    pqf_cw w;
    uint32_t *leaves;   /* chosen leaf columns, file order; nc entries (at least 1) */
    size_t nleaves, nc;
    uint8_t *keep;      /* per schema element: kept in the slice; ns entries (at least 1) */
    int32_t *nkids;     /* per schema element: kept children */
    size_t ns;
} slice_ctx;

/* n items of size each (n 0 counts as 1, so that a block always exists). */
static void *slice_alloc(const slice_ctx *c, size_t n, size_t size) {
    if (n > SIZE_MAX / size) return NULL;
    return c->alc->alloc(c->alc->ctx, (n ? n : 1) * size);
}
static void slice_free(const slice_ctx *c, void *p, size_t n, size_t size) {
    if (p) c->alc->free(c->alc->ctx, p, (n ? n : 1) * size);
}

static void put_str(pqf_cw *w, int16_t fid, pqf_str s) { pqf_cw_binary(w, fid, s.ptr, s.len); }

/* LogicalType union: the member the model knows, with its parameters. */
static void put_logical(pqf_cw *w, const pqf_logical_type *lt) {
    pqf_cw_struct_begin(w, 10);
    pqf_cw_struct_begin(w, lt->kind);
    switch (lt->kind) {
    case PQF_LT_DECIMAL:
        pqf_cw_i32(w, 1, lt->scale);
        pqf_cw_i32(w, 2, lt->precision);
        break;
    case PQF_LT_TIME:
    case PQF_LT_TIMESTAMP:
        pqf_cw_bool(w, 1, lt->is_adjusted_to_utc);
        pqf_cw_struct_begin(w, 2); /* TimeUnit: an empty member struct */
        if (lt->unit) {
            pqf_cw_struct_begin(w, lt->unit);
            pqf_cw_struct_end(w);
        }
        pqf_cw_struct_end(w);
        break;
    case PQF_LT_INTEGER:
        pqf_cw_byte(w, 1, lt->bit_width);
        pqf_cw_bool(w, 2, lt->is_signed);
        break;
    case PQF_LT_VARIANT:
        if (lt->has_variant_version) pqf_cw_byte(w, 1, lt->variant_version);
        break;
    case PQF_LT_GEOMETRY:
    case PQF_LT_GEOGRAPHY:
        if (lt->crs.ptr) put_str(w, 1, lt->crs);
        if (lt->kind == PQF_LT_GEOGRAPHY && lt->has_algorithm) pqf_cw_i32(w, 2, lt->algorithm);
        break;
    default: /* members without parameters */
        break;
    }
    pqf_cw_struct_end(w);
    pqf_cw_struct_end(w);
}

static void put_schema_element(slice_ctx *c, size_t i) {
    pqf_cw *w = &c->w;
    pqf_schema_element ev;
    const pqf_schema_element *e = &ev;
    if (pqf_schema_get(c->f, i, &ev) != PQF_OK) return; /* i < pqf_schema_count(): cannot fail */
    uint32_t h = e->has;
    pqf_cw_elem_struct_begin(w);
    if (h & PQF_SE_TYPE) pqf_cw_i32(w, 1, e->type);
    if (h & PQF_SE_TYPE_LENGTH) pqf_cw_i32(w, 2, e->type_length);
    if (h & PQF_SE_REPETITION) pqf_cw_i32(w, 3, e->repetition);
    put_str(w, 4, e->name);
    if (h & PQF_SE_NUM_CHILDREN) pqf_cw_i32(w, 5, c->nkids[i]);
    if (h & PQF_SE_CONVERTED_TYPE) pqf_cw_i32(w, 6, e->converted_type);
    if (h & PQF_SE_SCALE) pqf_cw_i32(w, 7, e->scale);
    if (h & PQF_SE_PRECISION) pqf_cw_i32(w, 8, e->precision);
    if (h & PQF_SE_FIELD_ID) pqf_cw_i32(w, 9, e->field_id);
    /* A member this version does not know cannot be written back (its fields
     * were not kept): an empty LogicalType union says "a type newer than this
     * reader" just the same, to pqfoot and Arrow alike, and the converted type
     * (if any) still describes the column. */
    if ((h & PQF_SE_LOGICAL_TYPE) && e->logical.kind == PQF_LT_UNRECOGNIZED) {
        pqf_cw_struct_begin(w, 10);
        pqf_cw_struct_end(w);
    } else if ((h & PQF_SE_LOGICAL_TYPE) && e->logical.kind != PQF_LT_NONE) {
        put_logical(w, &e->logical);
    }
    pqf_cw_struct_end(w);
}

/* Mark the chosen leaves and their ancestors; count kept children. */
static void cut_schema(slice_ctx *c) {
    size_t n = pqf_schema_count(c->f);
    memset(c->keep, 0, n);
    memset(c->nkids, 0, n * sizeof *c->nkids);
    if (n) c->keep[0] = 1;
    for (size_t k = 0; k < c->nleaves; k++) {
        pqf_column lc;
        if (pqf_column_get(c->f, c->leaves[k], &lc) != PQF_OK) continue; /* leaves are in range */
        int32_t e = (int32_t)lc.schema_index;
        /* Walk up until an element already kept: each is visited once. */
        while (e > 0 && !c->keep[e]) {
            c->keep[e] = 1;
            pqf_schema_element se;
            int32_t up = pqf_schema_get(c->f, (size_t)e, &se) == PQF_OK ? se.parent : -1;
            if (up >= 0) c->nkids[up]++;
            e = up;
        }
    }
}

/* ColumnMetaData.statistics (12): exactly the fields the file had, byte
 * strings as kept. */
static void put_statistics(pqf_cw *w, const pqf_stats *st) {
    uint32_t h = st->has;
    pqf_cw_struct_begin(w, 12);
    if (h & PQF_ST_MAX) put_str(w, 1, st->max);
    if (h & PQF_ST_MIN) put_str(w, 2, st->min);
    if (h & PQF_ST_NULL_COUNT) pqf_cw_i64(w, 3, st->null_count);
    if (h & PQF_ST_DISTINCT_COUNT) pqf_cw_i64(w, 4, st->distinct_count);
    if (h & PQF_ST_MAX_VALUE) put_str(w, 5, st->max_value);
    if (h & PQF_ST_MIN_VALUE) put_str(w, 6, st->min_value);
    if (h & PQF_ST_MAX_EXACT_SET) pqf_cw_bool(w, 7, (h & PQF_ST_MAX_EXACT) != 0);
    if (h & PQF_ST_MIN_EXACT_SET) pqf_cw_bool(w, 8, (h & PQF_ST_MIN_EXACT) != 0);
    pqf_cw_struct_end(w);
}

/* st: the chunk's kept statistics to write, or NULL. The bloom location
 * comes from the chunk when the footer kept it, else from st. */
static void put_column_meta(slice_ctx *c, uint32_t col, const pqf_chunk *ch, int keep_bloom, const pqf_stats *st) {
    pqf_cw *w = &c->w;
    pqf_str parts[64];
    pqf_str *pp = parts;
    size_t depth = 0;
    if (pqf_column_path_parts(c->f, col, NULL, 0, &depth) != PQF_OK) {
        if (!w->code) w->code = PQF_ERR_INVALID_ARG;
        return;
    }
    if (depth > 64) {
        pp = slice_alloc(c, depth, sizeof *pp);
        if (!pp) {
            if (!w->code) w->code = PQF_ERR_NOMEM;
            return;
        }
    }
    (void)pqf_column_path_parts(c->f, col, pp, depth, &depth);
    pqf_cw_struct_begin(w, 3);
    pqf_cw_i32(w, 1, ch->type);
    pqf_cw_list(w, 2, CT_I32, ch->num_encodings);
    for (uint32_t i = 0; i < ch->num_encodings; i++) pqf_cw_elem_i32(w, ch->encodings[i]);
    pqf_cw_list(w, 3, CT_BINARY, (uint32_t)depth);
    for (size_t i = 0; i < depth; i++) pqf_cw_elem_binary(w, pp[i].ptr, pp[i].len);
    pqf_cw_i32(w, 4, ch->codec);
    pqf_cw_i64(w, 5, ch->num_values);
    pqf_cw_i64(w, 6, ch->total_uncompressed_size);
    pqf_cw_i64(w, 7, ch->total_compressed_size);
    pqf_cw_i64(w, 9, ch->data_page_offset);
    if (ch->has & PQF_CH_DICT) pqf_cw_i64(w, 11, ch->dictionary_page_offset);
    if (st && (st->has & PQF_ST_STATISTICS)) put_statistics(w, st);
    if (keep_bloom) {
        if (ch->has & PQF_CH_BLOOM_OFFSET) pqf_cw_i64(w, 14, ch->bloom_filter_offset);
        if (ch->has & PQF_CH_BLOOM_LENGTH) pqf_cw_i32(w, 15, ch->bloom_filter_length);
    } else if (st) {
        if (st->has & PQF_ST_BLOOM_OFFSET) pqf_cw_i64(w, 14, st->bloom_offset);
        if (st->has & PQF_ST_BLOOM_LENGTH) pqf_cw_i32(w, 15, st->bloom_length);
    }
    pqf_cw_struct_end(w);
    if (pp != parts) slice_free(c, pp, depth, sizeof *pp);
}

static pqf_code put_row_group(slice_ctx *c, uint32_t rg, int with_stats) {
    pqf_cw *w = &c->w;
    pqf_row_group r;
    pqf_code rc = pqf_row_group_get(c->f, rg, &r);
    if (rc) return rc;
    uint32_t opts = pqf_footer_options(c->f);
    pqf_cw_elem_struct_begin(w);
    pqf_cw_list(w, 1, CT_STRUCT, (uint32_t)c->nleaves);
    for (size_t k = 0; k < c->nleaves; k++) {
        pqf_chunk ch;
        if ((rc = pqf_chunk_get(c->f, rg, c->leaves[k], &ch))) return rc;
        pqf_cw_elem_struct_begin(w);
        if (ch.has & PQF_CH_FILE_PATH) put_str(w, 1, ch.file_path);
        pqf_cw_i64(w, 2, ch.file_offset);
        pqf_stats st;
        const pqf_stats *stp = NULL;
        int has_stats = 0;
        if (with_stats && pqf_column_has_stats(c->f, c->leaves[k], &has_stats) == PQF_OK && has_stats) {
            if ((rc = pqf_stats_get(c->f, rg, c->leaves[k], &st))) return rc;
            stp = &st;
        }
        if (ch.has & PQF_CH_META) put_column_meta(c, c->leaves[k], &ch, (opts & PQF_KEEP_BLOOM) != 0, stp);
        if (opts & PQF_KEEP_PAGE_INDEX) {
            if (ch.has & PQF_CH_OI_OFFSET) pqf_cw_i64(w, 4, ch.offset_index_offset);
            if (ch.has & PQF_CH_OI_LENGTH) pqf_cw_i32(w, 5, ch.offset_index_length);
            if (ch.has & PQF_CH_CI_OFFSET) pqf_cw_i64(w, 6, ch.column_index_offset);
            if (ch.has & PQF_CH_CI_LENGTH) pqf_cw_i32(w, 7, ch.column_index_length);
        }
        pqf_cw_struct_end(w);
    }
    pqf_cw_i64(w, 2, r.total_byte_size);
    pqf_cw_i64(w, 3, r.num_rows);
    if (r.has & PQF_RG_FILE_OFFSET) pqf_cw_i64(w, 5, r.file_offset);
    if (r.has & PQF_RG_TOTAL_COMPRESSED_SIZE) pqf_cw_i64(w, 6, r.total_compressed_size);
    if (r.has & PQF_RG_ORDINAL) pqf_cw_i16(w, 7, (int16_t)r.ordinal);
    pqf_cw_struct_end(w);
    return PQF_OK;
}

/* The chosen leaves in file order, each once; every projected leaf when none are named. */
static pqf_code choose_leaves(slice_ctx *c, const uint32_t *cols, size_t ncols) {
    size_t nc = pqf_column_count(c->f);
    c->nc = nc;
    uint8_t *seen = slice_alloc(c, nc, 1);
    c->leaves = slice_alloc(c, nc, sizeof *c->leaves);
    if (!seen || !c->leaves) {
        slice_free(c, seen, nc, 1);
        return PQF_ERR_NOMEM;
    }
    memset(seen, 0, nc ? nc : 1);
    if (ncols) {
        for (size_t i = 0; i < ncols; i++) {
            if (cols[i] >= nc) {
                slice_free(c, seen, nc, 1);
                return PQF_ERR_INVALID_ARG;
            }
            pqf_column lc;
            if (pqf_column_get(c->f, cols[i], &lc) != PQF_OK || !lc.projected) {
                slice_free(c, seen, nc, 1);
                return PQF_ERR_NO_COLUMN;
            }
            seen[cols[i]] = 1;
        }
    } else {
        for (size_t i = 0; i < nc; i++) {
            pqf_column lc;
            seen[i] = pqf_column_get(c->f, i, &lc) == PQF_OK && lc.projected;
        }
    }
    c->nleaves = 0;
    for (size_t i = 0; i < nc; i++)
        if (seen[i]) c->leaves[c->nleaves++] = (uint32_t)i;
    slice_free(c, seen, nc, 1);
    return PQF_OK;
}

static pqf_code slice_err(pqf_error *err, pqf_code code, const char *msg) {
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = code;
        err->msg = msg;
    }
    return code;
}

static pqf_code build(slice_ctx *c, const pqf_slice_options *opt) {
    pqf_cw *w = &c->w;
    const pqf_footer *f = c->f;
    size_t ns = pqf_schema_count(f);
    c->ns = ns;
    c->keep = slice_alloc(c, ns, 1);
    c->nkids = slice_alloc(c, ns, sizeof *c->nkids);
    if (!c->keep || !c->nkids) return PQF_ERR_NOMEM;
    cut_schema(c);
    int64_t rows = 0;
    for (size_t i = 0; i < opt->num_row_groups; i++) {
        pqf_row_group r;
        pqf_code rc = pqf_row_group_get(f, opt->row_groups[i], &r);
        if (rc) return rc;
        if (r.num_rows > INT64_MAX - rows) return PQF_ERR_LIMIT; /* never negative: the decoder refuses it */
        rows += r.num_rows;
    }
    uint32_t nkept = 0;
    for (size_t i = 0; i < ns; i++) nkept += c->keep[i];

    pqf_cw_i32(w, 1, pqf_footer_version(f));
    pqf_cw_list(w, 2, CT_STRUCT, nkept);
    for (size_t i = 0; i < ns; i++)
        if (c->keep[i]) put_schema_element(c, i);
    pqf_cw_i64(w, 3, rows);
    pqf_cw_list(w, 4, CT_STRUCT, (uint32_t)opt->num_row_groups);
    for (size_t i = 0; i < opt->num_row_groups; i++) {
        pqf_code rc = put_row_group(c, opt->row_groups[i], (opt->flags & PQF_SLICE_STATS) != 0);
        if (rc) return rc;
    }
    if ((opt->flags & PQF_SLICE_KV) && (pqf_footer_flags(f) & PQF_FOOTER_HAS_KV)) {
        size_t nkv = pqf_kv_count(f);
        pqf_cw_list(w, 5, CT_STRUCT, (uint32_t)nkv);
        for (size_t i = 0; i < nkv; i++) {
            pqf_str k, v;
            pqf_kv_get(f, i, &k, &v);
            pqf_cw_elem_struct_begin(w);
            put_str(w, 1, k);
            if (v.ptr) put_str(w, 2, v);
            pqf_cw_struct_end(w);
        }
    }
    pqf_str cb = pqf_footer_created_by(f);
    if (cb.ptr) put_str(w, 6, cb);
    /* column_orders, one per chosen leaf, when the file has one per leaf */
    if (pqf_column_order_count(f) == pqf_column_count(f) && c->nleaves) {
        pqf_cw_list(w, 7, CT_STRUCT, (uint32_t)c->nleaves);
        for (size_t k = 0; k < c->nleaves; k++) {
            pqf_cw_elem_struct_begin(w);
            int order = PQF_ORDER_UNKNOWN;
            if (pqf_column_order(f, c->leaves[k], &order) == PQF_OK && order == PQF_ORDER_TYPE_DEFINED) {
                pqf_cw_struct_begin(w, 1); /* TYPE_ORDER: an empty TypeDefinedOrder */
                pqf_cw_struct_end(w);
            }
            pqf_cw_struct_end(w);
        }
    }
    pqf_cw_struct_end(w); /* FileMetaData's stop */
    return (pqf_code)pqf_cw_code(w);
}

pqf_code pqf_footer_slice(const pqf_footer *f, const pqf_slice_options *opt, pqf_write_fn write, void *ctx,
                          pqf_error *err) {
    if (!f || !opt || !write || (opt->num_row_groups && !opt->row_groups) || (opt->num_columns && !opt->columns))
        return slice_err(err, PQF_ERR_INVALID_ARG, "NULL footer, options, sink or list");
    if (opt->flags & ~(uint32_t)(PQF_SLICE_KV | PQF_SLICE_STATS))
        return slice_err(err, PQF_ERR_INVALID_ARG, "unknown slice flag");
    uint32_t ff = pqf_footer_flags(f);
    if (ff & (PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM | PQF_FOOTER_HAS_COLUMN_CRYPTO))
        return slice_err(err, PQF_ERR_ENCRYPTED, "encrypted footers and columns cannot be sliced");
    if ((opt->flags & PQF_SLICE_KV) && (ff & PQF_FOOTER_HAS_KV) && !(pqf_footer_options(f) & PQF_KEEP_KV))
        return slice_err(err, PQF_ERR_INVALID_ARG, "PQF_SLICE_KV needs a footer decoded with PQF_KEEP_KV");
    if (opt->num_row_groups > PQF_SLICE_MAX_ROW_GROUPS || opt->num_columns > pqf_column_count(f) * 16 + 16)
        return slice_err(err, PQF_ERR_LIMIT, "too many row groups or columns asked for");
    for (size_t i = 0; i < opt->num_row_groups; i++)
        if (opt->row_groups[i] >= pqf_row_group_count(f))
            return slice_err(err, PQF_ERR_INVALID_ARG, "row group out of range");

    slice_ctx c;
    memset(&c, 0, sizeof c);
    c.f = f;
    c.alc = pqf_footer_allocator(f);
    pqf_cw_init(&c.w, c.alc, PQF_SLICE_MAX_BYTES);
    pqf_code rc = choose_leaves(&c, opt->columns, opt->num_columns);
    if (!rc) rc = build(&c, opt);
    if (!rc) {
        uint8_t len[4];
        for (int i = 0; i < 4; i++) len[i] = (uint8_t)(c.w.len >> (8 * i));
        if (write(ctx, "PAR1", 4) || write(ctx, c.w.buf, c.w.len) || write(ctx, len, 4) || write(ctx, "PAR1", 4))
            rc = PQF_ERR_IO;
    }
    pqf_cw_free(&c.w);
    slice_free(&c, c.leaves, c.nc, sizeof *c.leaves);
    slice_free(&c, c.keep, c.ns, 1);
    slice_free(&c, c.nkids, c.ns, sizeof *c.nkids);
    if (!rc) return slice_err(err, PQF_OK, "ok");
    return slice_err(err, rc, rc == PQF_ERR_IO ? "the sink failed" : rc == PQF_ERR_NO_COLUMN ? "a column is not projected"
                              : rc == PQF_ERR_INVALID_ARG ? "column out of range" : pqf_strerror(rc));
}
