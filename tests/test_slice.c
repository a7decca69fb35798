/*
 * test_slice.c -- slices and slim: the compact writer against hand-checked
 * bytes; encodings kept per chunk (changing between row groups and between
 * columns, on both decoding paths, through a saved model); pqf_footer_slice()
 * re-read by pqfoot equals the original's chosen parts (tests/data, flat
 * wide shapes, nested schemas, random projections, datasets); and
 * pqf_footer_slim(): statistics gone, everything else the same, identity on
 * footers without statistics, encrypted footers refused.
 */
#include <dirent.h>
#include <unistd.h>

#include "check_support.h"
#include "getters.h"
#include "pqfoot_dataset.h"
#include "compact_out.h"
#include "footer_builder.h"
#include "model.h"
#include "model_encodings.h"

/* ----------------------------------------------------------- helpers --- */

typedef struct membuf {
    uint8_t *p;
    size_t n, cap;
    int fail_after; /* fail the write after this many calls (0 = never) */
    int calls;
} membuf;

static int mem_write(void *ctx, const void *data, size_t len) {
    membuf *m = ctx;
    if (m->fail_after && ++m->calls >= m->fail_after) return -1;
    if (m->n + len > m->cap) {
        size_t cap = (m->n + len) * 2 + 64;
        uint8_t *np = realloc(m->p, cap);
        ck_assert_ptr_nonnull(np);
        m->p = np;
        m->cap = cap;
    }
    if (len) memcpy(m->p + m->n, data, len);
    m->n += len;
    return 0;
}

static void expect_bytes(const pqf_cw *w, const uint8_t *exp, size_t n) {
    ck_assert_int_eq(pqf_cw_code(w), 0);
    ck_assert_uint_eq(w->len, n);
    ck_assert_mem_eq(w->buf, exp, n);
}

/* The footer of a slice file: checks the framing, decodes it. */
static pqf_footer *decode_slice(const membuf *m, uint32_t flags) {
    ck_assert_uint_ge(m->n, 12);
    ck_assert_mem_eq(m->p, "PAR1", 4);
    ck_assert_mem_eq(m->p + m->n - 4, "PAR1", 4);
    const uint8_t *t = m->p + m->n - 8;
    uint32_t len = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
    ck_assert_uint_eq(len + 12, m->n);
    pqf_options o = {.flags = flags};
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(m->p + 4, len, &o, &err);
    if (!f) ck_abort_msg("slice does not decode: %s at %llu %s", err.msg, (unsigned long long)err.offset, err.path);
    return f;
}

static void same_str(pqf_str a, pqf_str b) {
    ck_assert((a.ptr == NULL) == (b.ptr == NULL));
    ck_assert_uint_eq(a.len, b.len);
    if (a.len) ck_assert_mem_eq(a.ptr, b.ptr, a.len);
}

static void same_element(const pqf_schema_element *a, const pqf_schema_element *b, int same_kids) {
    same_str(a->name, b->name);
    ck_assert_uint_eq(a->has, b->has);
    ck_assert_int_eq(a->type, b->type);
    ck_assert_int_eq(a->type_length, b->type_length);
    ck_assert_int_eq(a->repetition, b->repetition);
    if (same_kids) ck_assert_int_eq(a->num_children, b->num_children);
    ck_assert_int_eq(a->converted_type, b->converted_type);
    ck_assert_int_eq(a->scale, b->scale);
    ck_assert_int_eq(a->precision, b->precision);
    ck_assert_int_eq(a->field_id, b->field_id);
    const pqf_logical_type *x = &a->logical, *y = &b->logical;
    ck_assert_int_eq(x->kind, y->kind); /* UNRECOGNIZED stays so: an empty union is written */
    if (x->kind == PQF_LT_UNRECOGNIZED) return;
    ck_assert_int_eq(x->unit, y->unit);
    ck_assert_int_eq(x->is_adjusted_to_utc, y->is_adjusted_to_utc);
    ck_assert_int_eq(x->is_signed, y->is_signed);
    ck_assert_int_eq(x->bit_width, y->bit_width);
    ck_assert_int_eq(x->scale, y->scale);
    ck_assert_int_eq(x->precision, y->precision);
    ck_assert_int_eq(x->has_variant_version, y->has_variant_version);
    ck_assert_int_eq(x->variant_version, y->variant_version);
    ck_assert_int_eq(x->has_algorithm, y->has_algorithm);
    ck_assert_int_eq(x->algorithm, y->algorithm);
    same_str(x->crs, y->crs);
}

static void same_chunk(const pqf_chunk *a, const pqf_chunk *b) {
    ck_assert_uint_eq(a->has, b->has);
    ck_assert_int_eq(a->start, b->start);
    ck_assert_int_eq(a->length, b->length);
    ck_assert_int_eq(a->data_page_offset, b->data_page_offset);
    ck_assert_int_eq(a->dictionary_page_offset, b->dictionary_page_offset);
    ck_assert_int_eq(a->num_values, b->num_values);
    ck_assert_int_eq(a->total_uncompressed_size, b->total_uncompressed_size);
    ck_assert_int_eq(a->total_compressed_size, b->total_compressed_size);
    ck_assert_int_eq(a->file_offset, b->file_offset);
    ck_assert_int_eq(a->offset_index_offset, b->offset_index_offset);
    ck_assert_int_eq(a->offset_index_length, b->offset_index_length);
    ck_assert_int_eq(a->column_index_offset, b->column_index_offset);
    ck_assert_int_eq(a->column_index_length, b->column_index_length);
    ck_assert_int_eq(a->bloom_filter_offset, b->bloom_filter_offset);
    ck_assert_int_eq(a->bloom_filter_length, b->bloom_filter_length);
    ck_assert_int_eq(a->type, b->type);
    ck_assert_int_eq(a->codec, b->codec);
    same_str(a->file_path, b->file_path);
    ck_assert_uint_eq(a->num_encodings, b->num_encodings);
    if (a->num_encodings) ck_assert_mem_eq(a->encodings, b->encodings, a->num_encodings * sizeof(int32_t));
}

/* Slice f and check every kept field of the result against the chosen parts of f. */
/* Leaf indexes 0..n-1 (malloc'd): "keep every column's statistics". */
static uint32_t *all_indexes(size_t n) {
    uint32_t *v = malloc((n ? n : 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < n; i++) v[i] = (uint32_t)i;
    return v;
}

static const uint32_t PQF_ST_FIELDS = PQF_ST_STATISTICS | PQF_ST_MAX | PQF_ST_MIN | PQF_ST_NULL_COUNT |
                                      PQF_ST_DISTINCT_COUNT | PQF_ST_MAX_VALUE | PQF_ST_MIN_VALUE |
                                      PQF_ST_MAX_EXACT_SET | PQF_ST_MIN_EXACT_SET | PQF_ST_MAX_EXACT |
                                      PQF_ST_MIN_EXACT;

/* Chunk (rg, c) of f against chunk (r, k) of slice s (decoded keeping every
 * column's statistics): with_stats and c's statistics kept -> the same
 * fields and values, bloom location included; otherwise no statistics. */
static void same_stats(const pqf_footer *f, size_t rg, size_t c, const pqf_footer *s, size_t r, size_t k,
                       int with_stats) {
    pqf_stats a, b;
    ck_assert_int_eq(pqf_stats_get(s, r, k, &b), PQF_OK);
    if (!with_stats || !pqf_test_has_stats(f, c)) {
        ck_assert_uint_eq(b.has & PQF_ST_FIELDS, 0);
        if (!(pqf_footer_options(f) & PQF_KEEP_BLOOM))
            ck_assert_uint_eq(b.has & (PQF_ST_BLOOM_OFFSET | PQF_ST_BLOOM_LENGTH), 0);
        return;
    }
    ck_assert_int_eq(pqf_stats_get(f, rg, c, &a), PQF_OK);
    ck_assert_uint_eq(a.has, b.has);
    ck_assert_int_eq(a.num_values, b.num_values);
    if (a.has & PQF_ST_NULL_COUNT) ck_assert_int_eq(a.null_count, b.null_count);
    if (a.has & PQF_ST_DISTINCT_COUNT) ck_assert_int_eq(a.distinct_count, b.distinct_count);
    if (a.has & PQF_ST_MAX) same_str(a.max, b.max);
    if (a.has & PQF_ST_MIN) same_str(a.min, b.min);
    if (a.has & PQF_ST_MAX_VALUE) same_str(a.max_value, b.max_value);
    if (a.has & PQF_ST_MIN_VALUE) same_str(a.min_value, b.min_value);
    if (a.has & PQF_ST_BLOOM_OFFSET) ck_assert_int_eq(a.bloom_offset, b.bloom_offset);
    if (a.has & PQF_ST_BLOOM_LENGTH) ck_assert_int_eq(a.bloom_length, b.bloom_length);
}

static void check_slice(const pqf_footer *f, const uint32_t *rgs, size_t nrgs, const uint32_t *cols, size_t ncols,
                        uint32_t flags) {
    membuf m = {0};
    pqf_slice_options o = {rgs, nrgs, cols, ncols, flags};
    pqf_error err;
    pqf_code rc = pqf_footer_slice(f, &o, mem_write, &m, &err);
    ck_assert_msg(rc == PQF_OK, "slice failed: %s", err.msg);
    pqf_footer *s = decode_slice(&m, pqf_footer_options(f));
    /* the same slice once more, keeping every column's statistics */
    uint32_t *every = all_indexes(pqf_column_count(s));
    pqf_options so = {.flags = pqf_footer_options(f), .stats_column_indexes = every,
                      .num_stats_column_indexes = pqf_column_count(s)};
    pqf_footer *ss = pqf_footer_decode(m.p + 4, m.n - 12, &so, &err);
    ck_assert_msg(ss != NULL, "slice does not decode with statistics: %s", err.msg);
    free(every);
    ck_assert_int_eq(pqf_footer_version(s), pqf_footer_version(f));
    same_str(pqf_footer_created_by(s), pqf_footer_created_by(f));
    /* chosen leaves, file order */
    size_t nc = pqf_column_count(f), nchosen = 0;
    uint8_t *chosen = calloc(nc + 1, 1);
    for (size_t i = 0; i < ncols; i++) chosen[cols[i]] = 1;
    for (size_t c = 0; c < nc; c++) {
        if (!ncols) chosen[c] = pqf_test_col(f, c).projected;
        nchosen += chosen[c];
    }
    ck_assert_uint_eq(pqf_column_count(s), nchosen);
    /* the chosen leaves' elements and their ancestors, in order, with their fields */
    size_t ns = pqf_schema_count(f), ke = 0;
    uint8_t *kept = calloc(ns + 1, 1);
    kept[0] = 1;
    for (size_t c = 0; c < nc; c++)
        for (int32_t e = chosen[c] ? (int32_t)pqf_test_col(f, c).schema_index : -1; e > 0;
             e = pqf_test_se(f, (size_t)e).parent)
            kept[e] = 1;
    for (size_t e = 0; e < ns; e++) {
        if (!kept[e]) continue;
        ck_assert_uint_lt(ke, pqf_schema_count(s));
        {
            const pqf_schema_element ea = pqf_test_se(f, (size_t)e), eb = pqf_test_se(s, (size_t)ke);
            same_element(&ea, &eb, nchosen == nc);
        }
        ke++;
    }
    ck_assert_uint_eq(ke, pqf_schema_count(s));
    free(kept);
    int64_t rows = 0;
    ck_assert_uint_eq(pqf_row_group_count(s), nrgs);
    for (size_t r = 0; r < nrgs; r++) {
        pqf_row_group a, b;
        ck_assert_int_eq(pqf_row_group_get(f, rgs[r], &a), PQF_OK);
        ck_assert_int_eq(pqf_row_group_get(s, r, &b), PQF_OK);
        ck_assert_mem_eq(&a, &b, sizeof a);
        rows += a.num_rows;
        size_t k = 0;
        for (size_t c = 0; c < nc; c++) {
            if (!chosen[c]) continue;
            pqf_chunk x, y;
            ck_assert_int_eq(pqf_chunk_get(f, rgs[r], c, &x), PQF_OK);
            ck_assert_int_eq(pqf_chunk_get(s, r, k, &y), PQF_OK);
            same_chunk(&x, &y);
            same_stats(f, rgs[r], c, ss, r, k, (flags & PQF_SLICE_STATS) != 0);
            same_str(pqf_test_col(f, c).path, pqf_test_col(s, k).path);
            k++;
        }
    }
    ck_assert_int_eq(pqf_footer_num_rows(s), rows);
    /* column_orders trimmed to the chosen leaves */
    if (pqf_column_order_count(f) == nc && nchosen) {
        ck_assert_uint_eq(pqf_column_order_count(s), nchosen);
        for (size_t c = 0, k2 = 0; c < nc; c++)
            if (chosen[c]) ck_assert_int_eq(pqf_test_order(s, k2++), pqf_test_order(f, c));
    } else {
        ck_assert_uint_eq(pqf_column_order_count(s), 0);
    }
    if (flags & PQF_SLICE_KV) {
        ck_assert_uint_eq(pqf_kv_count(s), pqf_kv_count(f));
        for (size_t i = 0; i < pqf_kv_count(f); i++) {
            pqf_str k1, v1, k2, v2;
            pqf_kv_get(f, i, &k1, &v1);
            pqf_kv_get(s, i, &k2, &v2);
            same_str(k1, k2);
            same_str(v1, v2);
        }
    } else {
        ck_assert(!(pqf_footer_flags(s) & PQF_FOOTER_HAS_KV));
    }
    pqf_footer_free(s);
    pqf_footer_free(ss);
    free(chosen);
    free(m.p);
}

/* Deterministic pseudo-random numbers for projections. */
static uint32_t next_rand(uint64_t *s) {
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

/* The whole slice, a reversed subset with every column, and random projections. */
static void slice_variants(const pqf_footer *f, uint64_t seed, uint32_t extra) {
    size_t nrg = pqf_row_group_count(f), nc = pqf_column_count(f);
    if (!nrg) return;
    uint32_t *rgs = malloc(nrg * sizeof *rgs), *cols = malloc((nc + 1) * sizeof *cols);
    for (size_t i = 0; i < nrg; i++) rgs[i] = (uint32_t)i;
    uint32_t kv = ((pqf_footer_options(f) & PQF_KEEP_KV) ? PQF_SLICE_KV : 0) | extra;
    check_slice(f, rgs, nrg, NULL, 0, kv);
    for (size_t i = 0; i < nrg; i++) rgs[i] = (uint32_t)(nrg - 1 - i);
    check_slice(f, rgs, nrg < 3 ? nrg : 3, NULL, 0, extra);
    for (int round = 0; round < 6 && nc; round++) {
        size_t n = 0;
        for (size_t c = 0; c < nc; c++)
            if (next_rand(&seed) % 3 == 0) cols[n++] = (uint32_t)(nc - 1 - c); /* unsorted on purpose */
        if (!n) cols[n++] = next_rand(&seed) % (uint32_t)nc;
        uint32_t one = next_rand(&seed) % (uint32_t)nrg;
        check_slice(f, &one, 1, cols, n, kv);
    }
    free(rgs);
    free(cols);
}

/* ------------------------------------------------------------ writer --- */

START_TEST(t_writer_snippets) {
    pqf_cw w;
    pqf_cw_init(&w, NULL, 1024);
    pqf_cw_i32(&w, 1, 1);        /* 0x15 0x02 */
    pqf_cw_i64(&w, 3, -1);       /* delta 2: 0x26 0x01 */
    pqf_cw_i16(&w, 20, 300);     /* delta 17: long form 0x04, zigzag(20)=40, zigzag(300)=600 = d8 04 */
    pqf_cw_bool(&w, 21, 1);      /* 0x11 */
    pqf_cw_bool(&w, 5, 0);       /* negative delta: long form 0x02 0x0a */
    pqf_cw_binary(&w, 6, "ab", 2);
    pqf_cw_byte(&w, 7, -2);      /* 0x13 0xfe */
    pqf_cw_struct_end(&w);
    static const uint8_t exp[] = {0x15, 0x02, 0x26, 0x01, 0x04, 0x28, 0xd8, 0x04, 0x11, 0x02, 0x0a,
                                  0x18, 0x02, 'a', 'b', 0x13, 0xfe, 0x00};
    expect_bytes(&w, exp, sizeof exp);
    pqf_cw_free(&w);

    pqf_cw_init(&w, NULL, 1024);
    pqf_cw_list(&w, 2, 5, 3);            /* 0x29 0x35 */
    for (int i = 0; i < 3; i++) pqf_cw_elem_i32(&w, i - 1); /* 01 00 02 */
    pqf_cw_list(&w, 3, 12, 20);           /* long count: 0x19 0xfc 0x14 */
    pqf_cw_struct_begin(&w, 4);           /* 0x1c */
    pqf_cw_i64(&w, 1, INT64_MIN);         /* 0x16 + ten bytes */
    pqf_cw_struct_begin(&w, 40);          /* long form inside: 0x0c 0x50 */
    pqf_cw_struct_end(&w);
    pqf_cw_struct_end(&w);
    pqf_cw_i32(&w, 5, 0);                 /* back in the outer struct: delta 1 from 4 */
    static const uint8_t exp2[] = {0x29, 0x35, 0x01, 0x00, 0x02, 0x19, 0xfc, 0x14, 0x1c, 0x16, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x0c, 0x50, 0x00, 0x00, 0x15, 0x00};
    expect_bytes(&w, exp2, sizeof exp2);
    pqf_cw_free(&w);
}
END_TEST

START_TEST(t_writer_bounds) {
    pqf_cw w;
    pqf_cw_init(&w, NULL, 10);
    pqf_cw_binary(&w, 1, "0123456789", 10);
    ck_assert_int_eq(pqf_cw_code(&w), PQF_ERR_LIMIT);
    pqf_cw_i32(&w, 2, 1); /* sticky: nothing more */
    ck_assert_int_eq(pqf_cw_code(&w), PQF_ERR_LIMIT);
    pqf_cw_free(&w);
    pqf_cw_init(&w, NULL, 1 << 16);
    for (int i = 0; i < PQF_CW_MAX_DEPTH + 1; i++) pqf_cw_struct_begin(&w, 1);
    ck_assert_int_eq(pqf_cw_code(&w), PQF_ERR_DEPTH);
    pqf_cw_free(&w);
    /* growth past the first buffer keeps the bytes */
    pqf_cw_init(&w, NULL, 1 << 20);
    for (int i = 0; i < 5000; i++) pqf_cw_elem_i32(&w, 64); /* zigzag 128: 0x80 0x01 */
    ck_assert_int_eq(pqf_cw_code(&w), 0);
    ck_assert_uint_eq(w.len, 10000);
    ck_assert_int_eq(w.buf[9998], 0x80);
    ck_assert_int_eq(w.buf[9999], 0x01);
    pqf_cw_free(&w);
}
END_TEST

/* ------------------------------------------------------------- encodings --- */

/* Encodings list of chunk (rg, col) in the hook footer: column 0 changes at
 * row group 20 and alternates after 30; column 1 is constant; column 2 has
 * a list per row group (mod 5) of varying length; column 3 has an empty list. */
static size_t enc_of(size_t rg, size_t col, int32_t *out) {
    switch (col) {
    case 0:
        if (rg < 20) { out[0] = 0; out[1] = 3; return 2; }
        if (rg < 30 || rg % 2) { out[0] = 8; out[1] = 3; out[2] = 0; return 3; }
        out[0] = 2; return 1;
    case 1: out[0] = 4; out[1] = 5; out[2] = 6; out[3] = 7; return 4;
    case 2: for (size_t i = 0; i < rg % 5 + 1; i++) out[i] = (int32_t)(i * 3 + rg % 5); return rg % 5 + 1;
    default: return 0;
    }
}

/* ColumnMetaData.encodings = v[0..n), with the long-form list header if asked. */
static void write_enc_list(fb *w, const int32_t *v, size_t n, int long_form) {
    if (long_form) {
        fb_field(w, FB_LIST, 2);
        fb_list_long(w, FB_I32, (uint32_t)n);
    } else {
        fb_listf(w, 2, FB_I32, (uint32_t)n);
    }
    for (size_t k = 0; k < n; k++) fb_i32(w, v[k]);
}

static int enc_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    (void)ctx;
    if (level != FB_L_CMD || fid != 2) return 1;
    int32_t v[16];
    size_t n = enc_of(i, j, v);
    write_enc_list(w, v, n, j == 2 && i % 7 == 3); /* long-form list header now and then */
    return 0;
}

/* Every chunk's list against want(rg, col) (enc_of() unless given). */
typedef size_t (*enc_want_fn)(size_t rg, size_t col, int32_t *out);

static void check_encodings_by(const pqf_footer *f, size_t nrg, size_t first_col, enc_want_fn want) {
    for (size_t rg = 0; rg < nrg; rg++)
        for (size_t c = 0; c < pqf_projected_count(f); c++) {
            size_t col = first_col + c;
            pqf_chunk ch;
            ck_assert_int_eq(pqf_chunk_get(f, rg, col, &ch), PQF_OK);
            int32_t v[16];
            size_t n = want(rg, col, v);
            ck_assert_msg(ch.num_encodings == n, "rg %zu col %zu: %u encodings, expected %zu", rg, col,
                          ch.num_encodings, n);
            if (n) ck_assert_mem_eq(ch.encodings, v, n * sizeof *v);
        }
}

static void check_encodings(const pqf_footer *f, size_t nrg, size_t first_col) {
    check_encodings_by(f, nrg, first_col, enc_of);
}

START_TEST(t_encodings_kept) {
    const size_t nrg = 60, ncols = 4;
    fb_footer F = {.version = 1, .num_rows = 60000, .created_by = "enc test", .ncols = ncols, .nrg = nrg,
                   .hook = enc_hook};
    size_t len;
    uint8_t *b = fb_footer_encode(&F, &len);
    for (int portable = 0; portable < 2; portable++) {
        pqf_options o = {.flags = portable ? PQF_PORTABLE : 0};
        pqf_error err;
        pqf_footer *f = pqf_footer_decode(b, len, &o, &err);
        ck_assert_msg(f != NULL, "%s", err.msg);
        check_encodings(f, nrg, 0);
        /* through a saved model */
        membuf m = {0};
        ck_assert_int_eq(pqf_footer_serialize(f, mem_write, &m), PQF_OK);
        pqf_footer *g = pqf_footer_deserialize(m.p, m.n, NULL, &err);
        ck_assert_msg(g != NULL, "%s", err.msg);
        check_encodings(g, nrg, 0);
        ck_assert_uint_eq(pqf_footer_bytes(g), pqf_footer_bytes(f));
        /* every truncation of the saved model is refused */
        for (size_t cut = m.n > 300 ? m.n - 300 : 0; cut < m.n; cut++) {
            pqf_footer *h = pqf_footer_deserialize(m.p, cut, NULL, &err);
            ck_assert_ptr_null(h);
        }
        free(m.p);
        pqf_footer_free(g);
        /* slices carry them */
        slice_variants(f, 7, 0);
        pqf_footer_free(f);
        /* a projection keeps the projected columns' lists */
        uint32_t idx[] = {2, 3};
        pqf_options p = {.flags = o.flags, .column_indexes = idx, .num_column_indexes = 2};
        f = pqf_footer_decode(b, len, &p, &err);
        ck_assert_ptr_nonnull(f);
        check_encodings(f, nrg, 2);
        pqf_footer_free(f);
    }
    free(b);
}
END_TEST

/* Lists of the same length that trade places: in row group 0 even columns
 * have [0, 3] and odd ones [8, 3]; from row group 1 on every column has the
 * list of the row group's parity. An odd column's chunk in row group 1 then
 * fits an even column's layout, whose list is not the one it started with. */
static size_t swap_enc_of(size_t rg, size_t col, int32_t *out) {
    size_t parity = rg == 0 ? col % 2 : (rg + 1) % 2;
    out[0] = parity ? 8 : 0;
    out[1] = 3;
    return 2;
}

/* Column 0's chunks list [0, 3] in every row group; the others [0] in row
 * group 0 and [0, 3] after it, back to [0] every fourth. From row group 1 on
 * their own templates miss and column 0's layout reads them (the name is
 * checked apart), so the list a chunk gets is another column's, and nothing
 * else has noted a list unlike the column's first by then. */
static size_t late_enc_of(size_t rg, size_t col, int32_t *out) {
    out[0] = 0;
    out[1] = 3;
    return col == 0 || (rg > 0 && rg % 4 != 3) ? 2 : 1;
}

/* Lists by the enc_want_fn ctx points to. */
static int want_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    if (level != FB_L_CMD || fid != 2) return 1;
    int32_t v[16];
    size_t n = (*(const enc_want_fn *)ctx)(i, j, v);
    write_enc_list(w, v, n, 0);
    return 0;
}

START_TEST(t_encodings_borrowed_layouts) {
    /* swapped lists with layouts shared by all columns (one row group) and
     * with a footer too short for templates per column; lists that change
     * after row group 0 with templates per column, where the AVX-512 path
     * borrows the layouts itself */
    static const struct {
        enc_want_fn want;
        size_t ncols, nrg;
    } cases[] = {{swap_enc_of, 24, 1}, {swap_enc_of, 24, 6}, {late_enc_of, 4, 24}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const size_t nrg = cases[k].nrg;
        fb_footer F = {.version = 1, .num_rows = 1000 * (int64_t)nrg, .ncols = cases[k].ncols, .nrg = nrg, .hook = want_hook,
                       .hook_ctx = (void *)&cases[k].want};
        size_t len;
        uint8_t *b = fb_footer_encode(&F, &len);
        for (int portable = 0; portable < 2; portable++) {
            pqf_options o = {.flags = portable ? PQF_PORTABLE : 0};
            pqf_footer *f = pqf_footer_decode(b, len, &o, NULL);
            ck_assert_ptr_nonnull(f);
            check_encodings_by(f, nrg, 0, cases[k].want);
            pqf_footer_free(f);
        }
        free(b);
    }
}
END_TEST

/* F encoded (*b, freed by the caller) and decoded with the defaults. */
static pqf_footer *built_footer(fb_footer *F, uint8_t **b) {
    size_t len;
    *b = fb_footer_encode(F, &len);
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(*b, len, NULL, &err);
    ck_assert_msg(f != NULL, "%s", err.msg);
    return f;
}

/* One row group: each column's list is its own, kept compact (an id per
 * column, no descriptors), and so through a saved model. */
START_TEST(t_encodings_one_rg) {
    fb_footer F = {.version = 1, .num_rows = 1000, .ncols = 12, .nrg = 1, .hook = enc_hook};
    size_t len;
    uint8_t *b = fb_footer_encode(&F, &len);
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(b, len, NULL, &err);
    ck_assert_msg(f != NULL, "%s", err.msg);
    ck_assert_ptr_null(f->enc->cols);
    ck_assert_uint_gt(f->enc->nlists, 1);
    check_encodings(f, 1, 0);
    membuf m = {0};
    ck_assert_int_eq(pqf_footer_serialize(f, mem_write, &m), PQF_OK);
    pqf_footer *g = pqf_footer_deserialize(m.p, m.n, NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.msg);
    ck_assert_ptr_null(g->enc->cols);
    check_encodings(g, 1, 0);
    for (size_t cut = m.n > 200 ? m.n - 200 : 0; cut < m.n; cut++)
        ck_assert_ptr_null(pqf_footer_deserialize(m.p, cut, NULL, &err));
    free(m.p);
    pqf_footer_free(g);
    pqf_footer_free(f);
    free(b);
}
END_TEST

/* Columns with the same entries share them (wide footer, one row group);
 * the loader's table check takes a shared range and refuses a bad one. */
START_TEST(t_shared_entries) {
    fb_rg rg = {.has = PQF_RG_FILE_OFFSET | PQF_RG_TOTAL_COMPRESSED_SIZE, .num_rows = 10, .total_byte_size = 5000,
                .file_offset = 4, .total_compressed_size = 4000};
    fb_footer F = {.version = 2, .num_rows = 10, .ncols = 300, .leaf_type = PQF_TYPE_DOUBLE, .leaf_type_set = 1,
                   .rgs = &rg, .nrg = 1, .stats = 1};
    size_t len;
    uint8_t *b = fb_footer_encode(&F, &len);
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(b, len, NULL, &err);
    ck_assert_msg(f != NULL, "%s", err.msg);
    /* per-slot descriptors as saved: a slot without entries points where the next new ones go */
    pqf_packed_col *cols = calloc(f->nslots, sizeof *cols);
    ck_assert_ptr_nonnull(cols);
    uint32_t used = 0, shared = 0, next = 0;
    for (uint32_t s = 0; s < f->nslots; s++) {
        cols[s] = pqf_slot_col(f, s);
        if (!cols[s].mask) cols[s].entry = next;
        else if (cols[s].entry == next) next += (uint32_t)__builtin_popcount(cols[s].mask);
        used += (uint32_t)__builtin_popcount(cols[s].mask);
        shared += s && cols[s].mask && cols[s].entry < cols[s - 1].entry + 1;
    }
    ck_assert_uint_gt(shared, 0);
    ck_assert_uint_lt(f->nentries, used);
    ck_assert_uint_lt(f->nshapes, f->nslots);
#define CHECK_TABLES() pqf_model_check_tables(cols, f->nslots, &f->rg, f->emeta, f->nentries, f->nrg, f->nbits_bytes)
    ck_assert_int_eq(CHECK_TABLES(), 0);
    /* a saved model loads back to the same chunks */
    membuf m = {0};
    ck_assert_int_eq(pqf_footer_serialize(f, mem_write, &m), PQF_OK);
    pqf_footer *g = pqf_footer_deserialize(m.p, m.n, NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.msg);
    for (uint32_t c = 0; c < 300; c++) {
        pqf_chunk x, y;
        ck_assert_int_eq(pqf_chunk_get(f, 0, c, &x), PQF_OK);
        ck_assert_int_eq(pqf_chunk_get(g, 0, c, &y), PQF_OK);
        ck_assert_int_eq(x.data_page_offset, y.data_page_offset);
        ck_assert_int_eq(x.total_compressed_size, y.total_compressed_size);
        ck_assert_int_eq(x.num_values, y.num_values);
    }
    free(m.p);
    pqf_footer_free(g);
    /* the last slot with entries pointing past the entries, or into a range
     * that is not whole, is refused */
    uint32_t s = f->nslots;
    while (s > 0 && !cols[s - 1].mask) s--;
    ck_assert_uint_gt(s, 0);
    pqf_packed_col *pc = &cols[s - 1];
    uint32_t keep = pc->entry;
    pc->entry = f->nentries;
    ck_assert_int_ne(CHECK_TABLES(), 0);
    pc->entry = f->nentries - 1;
    if (pc->mask & (pc->mask - 1)) ck_assert_int_ne(CHECK_TABLES(), 0);
    pc->entry = keep;
    ck_assert_int_eq(CHECK_TABLES(), 0);
#undef CHECK_TABLES
    free(cols);
    pqf_footer_free(f);
    free(b);
}
END_TEST

/* A flat schema keeps no leaf -> element table; the views are the same. */
START_TEST(t_flat_schema_no_col_elem) {
    fb_footer F = {.version = 1, .num_rows = 10, .ncols = 40, .nrg = 2};
    uint8_t *b;
    pqf_footer *f = built_footer(&F, &b);
    ck_assert_ptr_null(f->sb->col_elem);
    ck_assert_uint_eq(pqf_schema_count(f), 41);
    for (size_t i = 0; i < 41; i++) {
        pqf_schema_element e;
        ck_assert_int_eq(pqf_schema_get(f, i, &e), PQF_OK);
        ck_assert_int_eq(e.column, i ? (int32_t)i - 1 : -1);
    }
    for (size_t c = 0; c < 40; c++) {
        pqf_column col;
        pqf_schema_element e;
        ck_assert_int_eq(pqf_column_get(f, c, &col), PQF_OK);
        ck_assert_int_eq(pqf_schema_get(f, c + 1, &e), PQF_OK);
        ck_assert_uint_eq(col.path.len, e.name.len);
        ck_assert(memcmp(col.path.ptr, e.name.ptr, e.name.len) == 0);
    }
    pqf_footer_free(f);
    free(b);
    /* a nested schema keeps it */
    pqf_footer *n = pqf_footer_decode_file(PQF_TEST_DATA "/nested.parquet", NULL, NULL);
    ck_assert_ptr_nonnull(n);
    ck_assert_ptr_nonnull(n->sb->col_elem);
    pqf_footer_free(n);
}
END_TEST

/* A constant list per column costs no bits per row group. */
START_TEST(t_encodings_compact) {
    fb_footer F = {.version = 1, .num_rows = 1000, .ncols = 50, .nrg = 200};
    uint8_t *b;
    pqf_footer *f = built_footer(&F, &b);
    pqf_chunk ch;
    ck_assert_int_eq(pqf_chunk_get(f, 199, 49, &ch), PQF_OK);
    ck_assert_uint_eq(ch.num_encodings, 2);
    ck_assert_int_eq(ch.encodings[0], 0);
    ck_assert_int_eq(ch.encodings[1], 3);
    /* one distinct list, no index bits for any column: the compact form, one
     * 1-bit id per column and no per-column descriptors */
    const pqf_enc_table *T = f->enc;
    ck_assert_uint_eq(T->nlists, 1);
    ck_assert_ptr_null(T->cols);
    ck_assert_uint_eq(T->idw, 1);
    ck_assert_uint_eq(T->nbits_bytes, 16);
    ck_assert_uint_lt(T->bytes, 256); /* was 16 bytes per column */
    ck_assert_int_eq(pqf_chunk_get(f, 0, 0, &ch), PQF_OK);
    ck_assert_uint_eq(ch.num_encodings, 2);
    /* saved as the full form, loaded back compact, saved again to the same bytes */
    membuf m = {0}, m2 = {0};
    pqf_error err;
    ck_assert_int_eq(pqf_footer_serialize(f, mem_write, &m), PQF_OK);
    pqf_footer *g = pqf_footer_deserialize(m.p, m.n, NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.msg);
    ck_assert_ptr_null(g->enc->cols);
    ck_assert_uint_eq(pqf_footer_bytes(g), pqf_footer_bytes(f));
    ck_assert_int_eq(pqf_chunk_get(g, 137, 31, &ch), PQF_OK);
    ck_assert_uint_eq(ch.num_encodings, 2);
    ck_assert_int_eq(ch.encodings[1], 3);
    ck_assert_int_eq(pqf_footer_serialize(g, mem_write, &m2), PQF_OK);
    ck_assert_uint_eq(m2.n, m.n);
    ck_assert(memcmp(m.p, m2.p, m.n) == 0);
    free(m.p);
    free(m2.p);
    pqf_footer_free(g);
    pqf_footer_free(f);
    free(b);
}
END_TEST

/* ---------------------------------------------------------------- slices --- */

static pqf_footer *decode_file_all(const char *path, uint32_t extra) {
    pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | PQF_KEEP_KV | extra};
    pqf_error err;
    pqf_footer *f = pqf_footer_decode_file(path, &o, &err);
    ck_assert_msg(f != NULL, "%s: %s", path, err.msg);
    return f;
}

/* path decoded keeping the statistics of every column (stride 1) or of every
 * other one (stride 2), with page-index, key-value and extra flags. */
static pqf_footer *decode_file_stats(const char *path, uint32_t extra, size_t stride) {
    pqf_footer *plain = decode_file_all(path, 0);
    size_t nc = pqf_column_count(plain), n = 0;
    pqf_footer_free(plain);
    uint32_t *cols = all_indexes(nc);
    for (size_t i = 0; i < nc; i += stride) cols[n++] = (uint32_t)i;
    pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_KV | extra, .stats_column_indexes = cols,
                     .num_stats_column_indexes = n};
    pqf_error err;
    pqf_footer *f = pqf_footer_decode_file(path, &o, &err);
    ck_assert_msg(f != NULL, "%s: %s", path, err.msg);
    free(cols);
    return f;
}

/* Slices with PQF_SLICE_STATS of path: statistics of every column or of
 * every other one, bloom locations kept by the footer or carried by the
 * statistics, and a footer that kept none (same bytes as without the flag). */
static void stats_variants(const char *path, uint64_t seed) {
    for (int v = 0; v < 4; v++) {
        pqf_footer *f = decode_file_stats(path, (v & 1) ? PQF_KEEP_BLOOM : 0, (v & 2) ? 2 : 1);
        slice_variants(f, seed + (uint64_t)v, PQF_SLICE_STATS);
        pqf_footer_free(f);
    }
    pqf_footer *f = decode_file_all(path, 0);
    if (pqf_row_group_count(f)) {
        uint32_t rg = 0;
        membuf a = {0}, b = {0};
        pqf_slice_options so = {&rg, 1, NULL, 0, PQF_SLICE_STATS};
        ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &a, NULL), PQF_OK);
        so.flags = 0;
        ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &b, NULL), PQF_OK);
        ck_assert_uint_eq(a.n, b.n);
        ck_assert_mem_eq(a.p, b.p, a.n);
        free(a.p);
        free(b.p);
    }
    pqf_footer_free(f);
}

/* Statistics of the pruning suite's files (every type, nulls, NaN, truncated
 * strings, bloom filters) come back through slices as the file wrote them. */
START_TEST(t_slice_stats_prune_data) {
    static const char *const names[] = {"types.parquet", "bloom.parquet"};
    for (size_t i = 0; i < 2; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/prune/%s", PQF_TEST_DATA, names[i]);
        stats_variants(path, 5 + i);
        /* a statistic of every kind this file has is written */
        pqf_footer *f = decode_file_stats(path, 0, 1);
        uint32_t seen = 0;
        for (size_t r = 0; r < pqf_row_group_count(f); r++)
            for (size_t c = 0; c < pqf_column_count(f); c++) {
                pqf_stats st;
                ck_assert_int_eq(pqf_stats_get(f, r, c, &st), PQF_OK);
                seen |= st.has;
            }
        ck_assert(seen & PQF_ST_NULL_COUNT);
        ck_assert(seen & PQF_ST_MIN_VALUE);
        if (i == 1) ck_assert(seen & PQF_ST_BLOOM_OFFSET);
        pqf_footer_free(f);
    }
}
END_TEST

START_TEST(t_slice_test_data) {
    DIR *dir = opendir(PQF_TEST_DATA);
    ck_assert_ptr_nonnull(dir);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l < 8 || strcmp(de->d_name + l - 8, ".parquet") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", PQF_TEST_DATA, de->d_name);
        for (int portable = 0; portable < 2; portable++) {
            pqf_footer *f = decode_file_all(path, portable ? PQF_PORTABLE : 0);
            slice_variants(f, (uint64_t)l, 0);
            pqf_footer_free(f);
        }
        stats_variants(path, (uint64_t)l);
        n++;
    }
    closedir(dir);
    ck_assert_int_ge(n, 5);
}
END_TEST

/* Every non-encrypted parquet-testing file pqfoot decodes slices and re-reads. */
START_TEST(t_slice_parquet_testing) {
    const char *root = getenv("PQF_TESTING");
    char dirpath[512];
    snprintf(dirpath, sizeof dirpath, "%s/data", root ? root : "../shared/parquet-testing");
    DIR *dir = opendir(dirpath);
    if (!dir) {
        printf("test_slice: %s absent: parquet-testing files skipped\n", dirpath);
        return;
    }
    struct dirent *de;
    int n = 0;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l < 8 || strcmp(de->d_name + l - 8, ".parquet") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dirpath, de->d_name);
        pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | PQF_KEEP_KV};
        pqf_footer *f = pqf_footer_decode_file(path, &o, NULL);
        if (!f) continue; /* encrypted or rejected: other suites cover those */
        if (pqf_footer_flags(f) & (PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM | PQF_FOOTER_HAS_COLUMN_CRYPTO)) {
            membuf m = {0};
            uint32_t rg = 0;
            pqf_slice_options so = {&rg, pqf_row_group_count(f) ? 1 : 0, NULL, 0, 0};
            ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, NULL), PQF_ERR_ENCRYPTED);
            ck_assert_uint_eq(m.n, 0);
        } else {
            slice_variants(f, (uint64_t)l * 31, 0);
            stats_variants(path, (uint64_t)l * 37);
            n++;
        }
        pqf_footer_free(f);
    }
    closedir(dir);
    ck_assert_int_ge(n, 50);
}
END_TEST

/* Nested schemas: lists, maps and structs, with logical types. */
START_TEST(t_slice_nested_shapes) {
    static const uint8_t lt_ts[] = {0x11, 0x1c, 0x2c, 0x00, 0x00, 0x00};  /* TIMESTAMP utc, MICROS */
    static const uint8_t lt_int[] = {0xac, 0x13, 0x10, 0x11, 0x00, 0x00}; /* INTEGER(16, signed) */
    static const uint8_t lt_dec[] = {0x5c, 0x15, 0x04, 0x15, 0x14, 0x00, 0x00}; /* DECIMAL(2, 10) */
    static const uint8_t lt_list[] = {0x3c, 0x00, 0x00};
    static const uint8_t lt_map[] = {0x2c, 0x00, 0x00};
    static const uint8_t lt_geo[] = {0xcc, 0x18, 0x03, 'a', 'b', 'c', 0x15, 0x02, 0x00, 0x00}; /* GEOGRAPHY */
    const uint32_t T = PQF_SE_TYPE | PQF_SE_REPETITION, G = PQF_SE_NUM_CHILDREN | PQF_SE_REPETITION;
    fb_se s[] = {
        {"root", PQF_SE_NUM_CHILDREN, .num_children = 5},
        {"id", T | PQF_SE_FIELD_ID, PQF_TYPE_INT64, .field_id = 7},
        {"ts", T | PQF_SE_LOGICAL_TYPE, PQF_TYPE_INT64, .repetition = 1, .logical = lt_ts, .logical_len = sizeof lt_ts},
        {"l", G | PQF_SE_LOGICAL_TYPE | PQF_SE_CONVERTED_TYPE, .repetition = 1, .num_children = 1, .converted_type = 3,
         .logical = lt_list, .logical_len = sizeof lt_list},
        {"list", G, .repetition = 2, .num_children = 1},
        {"element", T | PQF_SE_LOGICAL_TYPE, PQF_TYPE_INT32, .repetition = 1, .logical = lt_int, .logical_len = sizeof lt_int},
        {"m", G | PQF_SE_LOGICAL_TYPE, .repetition = 1, .num_children = 1, .logical = lt_map, .logical_len = sizeof lt_map},
        {"key_value", G, .repetition = 2, .num_children = 2},
        {"key", T, PQF_TYPE_BYTE_ARRAY, .repetition = 0},
        {"value", T | PQF_SE_TYPE_LENGTH | PQF_SE_LOGICAL_TYPE | PQF_SE_SCALE | PQF_SE_PRECISION,
         PQF_TYPE_FIXED_LEN_BYTE_ARRAY, .type_length = 5, .repetition = 1, .scale = 2, .precision = 10, .logical = lt_dec,
         .logical_len = sizeof lt_dec},
        {"s", G, .repetition = 1, .num_children = 2},
        {"a", T | PQF_SE_LOGICAL_TYPE, PQF_TYPE_BYTE_ARRAY, .repetition = 1, .logical = lt_geo, .logical_len = sizeof lt_geo},
        {"b", G, .repetition = 1, .num_children = 1},
        {"c", T, PQF_TYPE_DOUBLE, .repetition = 1},
    };
    static const char *const kv[] = {"ARROW:schema", "xyz", "other", NULL};
    fb_footer F = {.version = 2, .num_rows = 3000, .created_by = "nested", .schema = s,
                   .nschema = sizeof s / sizeof s[0], .nrg = 30, .kv = kv, .nkv = 2, .column_orders = 1};
    size_t len;
    uint8_t *b = fb_footer_encode(&F, &len);
    pqf_options o = {.flags = PQF_KEEP_KV};
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(b, len, &o, &err);
    ck_assert_msg(f != NULL, "%s", err.msg);
    ck_assert_uint_eq(pqf_column_count(f), 7);
    ck_assert_uint_eq(pqf_column_order_count(f), 7);
    ck_assert_int_eq(pqf_test_order(f, 6), PQF_ORDER_TYPE_DEFINED);
    int order = -1;
    ck_assert_int_eq(pqf_column_order(f, 7, &order), PQF_ERR_INVALID_ARG); /* not a leaf */
    ck_assert_int_eq(order, -1);
    slice_variants(f, 3, 0);
    /* map value alone: root, m, key_value, value */
    uint32_t rg = 4, col = 4;
    membuf m = {0};
    pqf_slice_options so = {&rg, 1, &col, 1, 0};
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, NULL), PQF_OK);
    pqf_footer *sl = decode_slice(&m, 0);
    ck_assert_uint_eq(pqf_schema_count(sl), 4);
    ck_assert_int_eq(pqf_test_se(sl, 0).num_children, 1);
    ck_assert_int_eq(pqf_test_se(sl, 2).num_children, 1);
    ck_assert_str_eq(pqf_test_col(sl, 0).path.ptr, "m.key_value.value");
    pqf_footer_free(sl);
    free(m.p);
    pqf_footer_free(f);
    free(b);
}
END_TEST

/* A wide flat shape like the benchmark's S2, with page index and bloom locations. */
START_TEST(t_slice_wide) {
    const size_t nrg = 40, nc = 150;
    fb_chunk *ch = calloc(nrg * nc, sizeof *ch);
    fb_rg *rgs = calloc(nrg, sizeof *rgs);
    for (size_t r = 0; r < nrg; r++)
        rgs[r] = (fb_rg){PQF_RG_FILE_OFFSET | PQF_RG_ORDINAL | PQF_RG_TOTAL_COMPRESSED_SIZE, 1, 500, 0, 0, (int16_t)r};
    fb_chunks_contiguous(ch, nrg, nc, NULL, rgs);
    for (size_t i = 0; i < nrg * nc; i++) {
        ch[i].has |= PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH | PQF_CH_BLOOM_OFFSET | PQF_CH_BLOOM_LENGTH |
                     (i % 3 ? PQF_CH_DICT : 0);
        ch[i].oi_off = 1000000 + (int64_t)i * 10;
        ch[i].oi_len = 10;
        ch[i].bloom_off = 2000000 + (int64_t)i * 20;
        ch[i].bloom_len = 20;
        ch[i].dict = ch[i].dpo;
    }
    for (size_t r = 0; r < nrg; r++) rgs[r].file_offset = ch[r * nc].dpo, rgs[r].total_compressed_size = 777;
    fb_footer F = {.version = 1, .num_rows = (int64_t)nrg, .created_by = "wide", .ncols = nc, .nrg = nrg,
                   .rgs = rgs, .chunks = ch, .stats = 1};
    size_t len;
    uint8_t *b = fb_footer_encode(&F, &len);
    for (int portable = 0; portable < 2; portable++) {
        pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | (portable ? PQF_PORTABLE : 0)};
        pqf_footer *f = pqf_footer_decode(b, len, &o, NULL);
        ck_assert_ptr_nonnull(f);
        slice_variants(f, 11, 0);
        pqf_footer_free(f);
    }
    free(b);
    free(ch);
    free(rgs);
}
END_TEST

START_TEST(t_slice_errors) {
    fb_footer F = {.version = 1, .num_rows = 10, .ncols = 3, .nrg = 2};
    size_t len;
    uint8_t *b = fb_footer_encode(&F, &len);
    uint32_t idx[] = {1};
    pqf_options o = {.column_indexes = idx, .num_column_indexes = 1};
    pqf_footer *f = pqf_footer_decode(b, len, &o, NULL);
    ck_assert_ptr_nonnull(f);
    membuf m = {0};
    pqf_error err;
    uint32_t rg = 2, col = 0, ok_rg = 1, ok_col = 1;
    pqf_slice_options so = {&rg, 1, NULL, 0, 0};
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_ERR_INVALID_ARG);
    so = (pqf_slice_options){&ok_rg, 1, &col, 1, 0};
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_ERR_NO_COLUMN);
    col = 9;
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_ERR_INVALID_ARG);
    so = (pqf_slice_options){&ok_rg, 1, &ok_col, 1, PQF_SLICE_STATS | (1u << 7)};
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_ERR_INVALID_ARG);
    so.flags = 1u << 7;
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_footer_slice(NULL, &so, mem_write, &m, &err), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(m.n, 0);
    so.flags = 0;
    m.fail_after = 2;
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_ERR_IO);
    m.fail_after = 0;
    m.n = 0;
    /* the projected column alone by default */
    so = (pqf_slice_options){&ok_rg, 1, NULL, 0, 0};
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_OK);
    pqf_footer *s = decode_slice(&m, 0);
    ck_assert_uint_eq(pqf_column_count(s), 1);
    pqf_footer_free(s);
    pqf_footer_free(f);
    free(b);
    free(m.p);
    /* key-value metadata asked of a footer decoded without it */
    static const char *const kv[] = {"k", "v"};
    F.kv = kv;
    F.nkv = 1;
    b = fb_footer_encode(&F, &len);
    f = pqf_footer_decode(b, len, NULL, NULL);
    so.flags = PQF_SLICE_KV;
    m = (membuf){0};
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_ERR_INVALID_ARG);
    pqf_footer_free(f);
    free(b);
    /* encryption metadata */
    F.encryption_fields = 1;
    b = fb_footer_encode(&F, &len);
    f = pqf_footer_decode(b, len, NULL, NULL);
    ck_assert_ptr_nonnull(f);
    so.flags = 0;
    ck_assert_int_eq(pqf_footer_slice(f, &so, mem_write, &m, &err), PQF_ERR_ENCRYPTED);
    pqf_footer_free(f);
    free(b);
    free(m.p);
}
END_TEST

/* ds saved to a temporary .pqfi and loaded back. */
static pqf_dataset *save_and_load(const pqf_dataset *ds) {
    char idx[] = "/tmp/pqf_test_slice_XXXXXX";
    int fd = mkstemp(idx);
    ck_assert_int_ge(fd, 0);
    close(fd);
    pqf_error err;
    ck_assert_int_eq(pqf_dataset_save(ds, idx, &err), PQF_OK);
    pqf_dataset *ld = pqf_dataset_load(idx, NULL, &err);
    ck_assert_msg(ld != NULL, "%s", err.msg);
    unlink(idx);
    return ld;
}

/* pqf_dataset_slice() from a saved and loaded index equals the file's own slice. */
START_TEST(t_dataset_slice) {
    const char *paths[] = {PQF_TEST_DATA "/dict.parquet", PQF_TEST_DATA "/nested.parquet"};
    pqf_dataset_options dopt = {0};
    pqf_error err;
    pqf_dataset *ds = pqf_dataset_open(paths, 2, &dopt, &err);
    ck_assert_msg(ds != NULL, "%s", err.msg);
    pqf_dataset *ld = save_and_load(ds);
    uint64_t n = pqf_dataset_row_group_count(ld);
    ck_assert_uint_gt(n, 1);
    for (uint64_t g = 0; g < n; g++) {
        size_t file, rg;
        ck_assert_int_eq(pqf_dataset_locate_row_group(ds, g, &file, &rg), PQF_OK);
        membuf a = {0}, c = {0};
        uint32_t cols[] = {0};
        ck_assert_int_eq(pqf_dataset_slice(ld, g, cols, 1, 0, mem_write, &a, &err), PQF_OK);
        uint32_t r32 = (uint32_t)rg;
        pqf_slice_options so = {&r32, 1, cols, 1, 0};
        ck_assert_int_eq(pqf_footer_slice(pqf_test_footer(ds, file), &so, mem_write, &c, &err), PQF_OK);
        ck_assert_uint_eq(a.n, c.n);
        ck_assert_mem_eq(a.p, c.p, a.n);
        free(a.p);
        free(c.p);
    }
    membuf m = {0};
    ck_assert_int_eq(pqf_dataset_slice(ld, n, NULL, 0, 0, mem_write, &m, &err), PQF_ERR_INVALID_ARG);
    pqf_dataset_free(ld);
    pqf_dataset_free(ds);
}
END_TEST

/* A dataset keeping statistics: the loaded .pqfi slices them as the file's
 * footer does, and the slice's statistics equal the file's. */
START_TEST(t_dataset_slice_stats) {
    const char *paths[] = {PQF_TEST_DATA "/prune/types.parquet", PQF_TEST_DATA "/prune/bloom.parquet"};
    static const uint32_t stats_cols[] = {0, 1};
    pqf_dataset_options dopt = {0};
    dopt.footer.stats_column_indexes = stats_cols;
    dopt.footer.num_stats_column_indexes = 2;
    pqf_error err;
    pqf_dataset *ds = pqf_dataset_open(paths, 2, &dopt, &err);
    ck_assert_msg(ds != NULL, "%s", err.msg);
    pqf_dataset *ld = save_and_load(ds);
    uint64_t n = pqf_dataset_row_group_count(ld);
    int with_stats = 0;
    for (uint64_t g = 0; g < n; g++) {
        size_t file, rg;
        ck_assert_int_eq(pqf_dataset_locate_row_group(ld, g, &file, &rg), PQF_OK);
        const pqf_footer *f = pqf_test_footer(ld, file);
        ck_assert_uint_eq(pqf_stats_column_count(f), 2);
        uint32_t cols[] = {0, 1, 2};
        membuf a = {0};
        ck_assert_int_eq(pqf_dataset_slice(ld, g, cols, 3, PQF_SLICE_STATS, mem_write, &a, &err), PQF_OK);
        uint32_t r32 = (uint32_t)rg;
        check_slice(pqf_test_footer(ds, file), &r32, 1, cols, 3, PQF_SLICE_STATS);
        membuf c = {0};
        pqf_slice_options so = {&r32, 1, cols, 3, PQF_SLICE_STATS};
        ck_assert_int_eq(pqf_footer_slice(pqf_test_footer(ds, file), &so, mem_write, &c, &err), PQF_OK);
        ck_assert_uint_eq(a.n, c.n);
        ck_assert_mem_eq(a.p, c.p, a.n);
        free(c.p);
        /* the statistics are in the bytes: the slice grew by them */
        membuf b = {0};
        ck_assert_int_eq(pqf_dataset_slice(ld, g, cols, 3, 0, mem_write, &b, &err), PQF_OK);
        pqf_stats st;
        ck_assert_int_eq(pqf_stats_get(f, rg, 0, &st), PQF_OK);
        if (st.has & PQF_ST_STATISTICS) {
            ck_assert_uint_gt(a.n, b.n);
            with_stats++;
        }
        free(a.p);
        free(b.p);
    }
    ck_assert_int_gt(with_stats, 4);
    pqf_dataset_free(ld);
    pqf_dataset_free(ds);
}
END_TEST

/* ------------------------------------------------------------------ slim --- */

static int contains(const uint8_t *p, size_t n, const char *s) {
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, s, k) == 0) return 1;
    return 0;
}

static uint8_t *slim(const uint8_t *b, size_t len, const pqf_slim_options *o, size_t *out_len, pqf_code expect) {
    membuf m = {0};
    pqf_error err;
    pqf_code rc = pqf_footer_slim(b, len, o, mem_write, &m, &err);
    ck_assert_msg(rc == expect, "slim gave %s (%s), expected %s", pqf_code_name(rc), err.msg, pqf_code_name(expect));
    *out_len = m.n;
    return m.p;
}

static char *json_of(const uint8_t *b, size_t len, uint32_t flags) {
    pqf_options o = {.flags = flags};
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(b, len, &o, &err);
    ck_assert_msg(f != NULL, "%s", err.msg);
    membuf m = {0};
    ck_assert_int_eq(pqf_footer_write_json(f, NULL, mem_write, &m), PQF_OK);
    mem_write(&m, "", 1);
    pqf_footer_free(f);
    return (char *)m.p;
}

START_TEST(t_slim) {
    static const char *const kv[] = {"ARROW:schema", "abc"};
    fb_footer F = {.version = 1, .num_rows = 5000, .created_by = "slim", .ncols = 12, .nrg = 50, .stats = 1,
                   .kv = kv, .nkv = 1, .column_orders = 1, .extension = 1};
    size_t len, n1, n2, n3;
    uint8_t *b = fb_footer_encode(&F, &len);
    uint8_t *s1 = slim(b, len, NULL, &n1, PQF_OK);
    ck_assert_uint_lt(n1, len * 2 / 3);
    uint32_t flags[] = {0, PQF_KEEP_KV | PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM};
    for (int k = 0; k < 2; k++) {
        char *j0 = json_of(b, len, flags[k]), *j1 = json_of(s1, n1, flags[k]);
        ck_assert_str_eq(j0, j1);
        free(j0);
        free(j1);
    }
    /* the unknown extension field (id 32767) is still there, as written */
    ck_assert(contains(s1, n1, "extension blob"));
    /* slimming again changes nothing */
    uint8_t *s2 = slim(s1, n1, NULL, &n2, PQF_OK);
    ck_assert_uint_eq(n1, n2);
    ck_assert_mem_eq(s1, s2, n1);
    free(s2);
    /* keeping column 3's statistics keeps more bytes; dropping kv fewer */
    uint32_t keep[] = {3};
    pqf_slim_options o = {0, keep, 1, 0, NULL};
    s2 = slim(b, len, &o, &n2, PQF_OK);
    ck_assert_uint_gt(n2, n1);
    ck_assert_uint_lt(n2, len);
    o = (pqf_slim_options){PQF_SLIM_DROP_KV, NULL, 0, 0, NULL};
    uint8_t *s3 = slim(b, len, &o, &n3, PQF_OK);
    ck_assert_uint_lt(n3, n1);
    pqf_options ko = {.flags = PQF_KEEP_KV};
    pqf_footer *f3 = pqf_footer_decode(s3, n3, &ko, NULL);
    ck_assert_ptr_nonnull(f3);
    ck_assert_uint_eq(pqf_kv_count(f3), 0);
    pqf_footer_free(f3);
    free(s1);
    free(s2);
    free(s3);
    /* every truncation fails cleanly, with the decoder's codes */
    for (size_t cut = 0; cut < len; cut += 97) {
        membuf m = {0};
        pqf_error err;
        ck_assert_int_ne(pqf_footer_slim(b, cut, NULL, mem_write, &m, &err), PQF_OK);
        ck_assert_uint_eq(m.n, 0);
        ck_assert_int_eq(err.code, PQF_ERR_TRUNCATED);
        free(m.p);
    }
    free(b);
    /* a footer without statistics comes back byte for byte */
    F.stats = 0;
    b = fb_footer_encode(&F, &len);
    s1 = slim(b, len, NULL, &n1, PQF_OK);
    ck_assert_uint_eq(n1, len);
    ck_assert_mem_eq(s1, b, len);
    free(s1);
    free(b);
    /* long-form field headers and fields rg-first come back as they were */
    static const char *const same[] = {"y_long_form_field_ids.bin", "y_extension_fields_rg_first.bin",
                                       "y_nested_logical_types.bin", "y_small.bin"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", PQF_TEST_DATA, same[i]);
        size_t n;
        uint8_t *in = pqf_test_read_file(path, &n);
        ck_assert_ptr_nonnull(in);
        s1 = slim(in, n, NULL, &n1, PQF_OK);
        ck_assert_uint_le(n1, n);
        char *j0 = json_of(in, n, PQF_KEEP_KV), *j1 = json_of(s1, n1, PQF_KEEP_KV);
        ck_assert_str_eq(j0, j1);
        if (i == 0) { /* no statistics in it: every byte as it was */
            ck_assert_uint_eq(n1, n);
            ck_assert_mem_eq(s1, in, n);
        }
        free(j0);
        free(j1);
        free(s1);
        free(in);
    }
    /* signed (plaintext-footer encrypted) footers are refused */
    F.encryption_fields = 1;
    b = fb_footer_encode(&F, &len);
    s1 = slim(b, len, NULL, &n1, PQF_ERR_ENCRYPTED);
    ck_assert_uint_eq(n1, 0);
    free(s1);
    free(b);
    /* depth */
    fb w;
    fb_init(&w);
    for (int i = 0; i < 100; i++) fb_structf(&w, 32);
    b = fb_take(&w, &len);
    s1 = slim(b, len, NULL, &n1, PQF_ERR_DEPTH);
    free(s1);
    free(b);
}
END_TEST

/* The test data files slim to footers with the same kept fields. */
START_TEST(t_slim_test_data) {
    DIR *dir = opendir(PQF_TEST_DATA);
    ck_assert_ptr_nonnull(dir);
    struct dirent *de;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l < 8 || strcmp(de->d_name + l - 8, ".parquet") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", PQF_TEST_DATA, de->d_name);
        size_t n;
        uint8_t *file = pqf_test_read_file(path, &n);
        ck_assert_ptr_nonnull(file);
        size_t flen = (size_t)file[n - 8] | (size_t)file[n - 7] << 8 | (size_t)file[n - 6] << 16 |
                      (size_t)file[n - 5] << 24;
        const uint8_t *footer = file + n - 8 - flen;
        size_t sl;
        uint8_t *s = slim(footer, flen, NULL, &sl, PQF_OK);
        ck_assert_uint_le(sl, flen);
        uint32_t fl = PQF_KEEP_KV | PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM;
        char *j0 = json_of(footer, flen, fl), *j1 = json_of(s, sl, fl);
        ck_assert_str_eq(j0, j1);
        free(j0);
        free(j1);
        free(s);
        free(file);
    }
    closedir(dir);
}
END_TEST

static Suite *make_suite(void) {
    Suite *s = suite_create("slice");
    TCase *tc = tcase_create("slice");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, t_writer_snippets);
    tcase_add_test(tc, t_writer_bounds);
    tcase_add_test(tc, t_encodings_kept);
    tcase_add_test(tc, t_encodings_compact);
    tcase_add_test(tc, t_encodings_one_rg);
    tcase_add_test(tc, t_encodings_borrowed_layouts);
    tcase_add_test(tc, t_shared_entries);
    tcase_add_test(tc, t_flat_schema_no_col_elem);
    tcase_add_test(tc, t_slice_test_data);
    tcase_add_test(tc, t_slice_stats_prune_data);
    tcase_add_test(tc, t_slice_parquet_testing);
    tcase_add_test(tc, t_slice_nested_shapes);
    tcase_add_test(tc, t_slice_wide);
    tcase_add_test(tc, t_slice_errors);
    tcase_add_test(tc, t_dataset_slice);
    tcase_add_test(tc, t_dataset_slice_stats);
    tcase_add_test(tc, t_slim);
    tcase_add_test(tc, t_slim_test_data);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
