/*
 * test_errors.c -- every error code with its offset and field path: missing
 * required fields of every kept struct, negative sizes and offsets, count and
 * path_in_schema mismatches, schema tree errors, projection errors, invalid
 * arguments, and the code names/messages.
 *
 * Every call poisons the error struct with 0xFF first (EXPECT_ERR does), then
 * checks code, msg, offset, needed and path. Small inputs are hex with a caret
 * comment under the expected offset; larger ones come from footer_builder.h,
 * whose hook records the offsets the decoder should report.
 */
#include <unistd.h>

#include "check_support.h"
#include "footer_builder.h"

#define PRE 0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C

/* ---------------------------------------------------- the standard footer --- */

/* What the probe hook does to its target field. */
enum { ACT_NONE, ACT_OMIT, ACT_NEG, ACT_WRITE };

typedef struct probe {
    int level;         /* target struct: FB_L_* */
    size_t i, j;       /* its indexes */
    int fid;           /* target field */
    int action;
    int64_t neg;       /* ACT_NEG: the value written */
    const uint8_t *raw; /* ACT_WRITE: field header written by the hook, then these bytes */
    size_t raw_len;
    unsigned raw_type;
    int wfid;          /* ACT_NEG / ACT_WRITE: id to write (0 = fid) */
    /* recorded */
    int64_t begin;        /* body offset of the target struct */
    int64_t header;       /* offset of the target field's header */
    int64_t value;        /* offset of the value the hook wrote */
    int64_t fmd_end;      /* offset of FileMetaData's stop byte */
    int64_t after_schema; /* offset just after the schema list */
} probe;

static unsigned field_type(int level, int fid) {
    switch (level) {
    case FB_L_RG: return FB_I64;
    case FB_L_CC: return (fid == 5 || fid == 7) ? FB_I32 : FB_I64;
    case FB_L_CMD: return (fid == 15 || fid == 1 || fid == 4) ? FB_I32 : FB_I64;
    case FB_L_FMD: return fid == 1 ? FB_I32 : FB_I64;
    default: return FB_I32;
    }
}

static int probe_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    probe *p = ctx;
    if (level == FB_L_FMD && fid == FB_AT_END) p->fmd_end = (int64_t)w->len;
    if (level == FB_L_FMD && fid == 3) p->after_schema = (int64_t)w->len;
    if (level != p->level || i != p->i || j != p->j) return 1;
    if (fid == FB_AT_BEGIN) p->begin = (int64_t)w->len;
    if (fid != p->fid) return 1;
    p->header = (int64_t)w->len;
    switch (p->action) {
    case ACT_OMIT: return 0;
    case ACT_NEG: {
        unsigned t = field_type(level, fid);
        fb_field(w, t, (int16_t)(p->wfid ? p->wfid : fid));
        p->value = (int64_t)w->len;
        if (t == FB_I32) fb_i32(w, (int32_t)p->neg);
        else fb_i64(w, p->neg);
        return 0;
    }
    case ACT_WRITE:
        fb_field(w, p->raw_type, (int16_t)(p->wfid ? p->wfid : fid));
        p->value = (int64_t)w->len;
        fb_raw(w, p->raw, p->raw_len);
        return 0;
    default: return 1;
    }
}

/* root { a: optional int64; g: optional group { t: repeated int32 }; z: required binary }
 * -> leaves a, g.t, z; two row groups; two key-value entries. */
static const fb_se std_schema[5] = {
    {.name = "root", .has = PQF_SE_NUM_CHILDREN, .num_children = 3},
    {.name = "a", .has = PQF_SE_TYPE | PQF_SE_REPETITION, .type = PQF_TYPE_INT64, .repetition = PQF_REP_OPTIONAL},
    {.name = "g", .has = PQF_SE_NUM_CHILDREN | PQF_SE_REPETITION, .num_children = 1, .repetition = PQF_REP_OPTIONAL},
    {.name = "t", .has = PQF_SE_TYPE | PQF_SE_REPETITION, .type = PQF_TYPE_INT32, .repetition = PQF_REP_REPEATED},
    {.name = "z", .has = PQF_SE_TYPE | PQF_SE_REPETITION, .type = PQF_TYPE_BYTE_ARRAY, .repetition = PQF_REP_REQUIRED},
};
static const char *const std_kv[] = {"key0", "value0", "key1", NULL};

/* Encode the standard footer (optionally with every optional chunk field) under probe p. */
static uint8_t *std_footer_ex(probe *p, const fb_se *schema, size_t nschema, size_t nrg, int all_fields,
                              size_t *len) {
    fb_rg rgs[4];
    fb_chunk ch[4 * 8];
    for (size_t r = 0; r < nrg; r++)
        rgs[r] = (fb_rg){.has = PQF_RG_FILE_OFFSET | PQF_RG_TOTAL_COMPRESSED_SIZE | PQF_RG_ORDINAL,
                         .num_rows = 10, .total_byte_size = 999, .file_offset = 4, .total_compressed_size = 500,
                         .ordinal = (int16_t)r};
    fb_tree t;
    fb_tree_build(&t, schema, nschema);
    size_t nl = t.nleaves;
    fb_tree_free(&t);
    ck_assert_uint_le(nrg * nl, sizeof ch / sizeof *ch);
    fb_chunks_contiguous(ch, nrg, nl, NULL, rgs);
    if (all_fields) {
        for (size_t k = 0; k < nrg * nl; k++) {
            ch[k].has |= PQF_CH_DICT | PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH | PQF_CH_CI_OFFSET | PQF_CH_CI_LENGTH |
                         PQF_CH_BLOOM_OFFSET | PQF_CH_BLOOM_LENGTH;
            ch[k].dict = ch[k].dpo;
            ch[k].dpo += 1;
            ch[k].oi_off = 7, ch[k].oi_len = 8, ch[k].ci_off = 9, ch[k].ci_len = 10;
            ch[k].bloom_off = 11, ch[k].bloom_len = 12;
        }
    }
    fb_footer F = {.version = 1, .num_rows = 10 * (int64_t)nrg, .created_by = "test", .schema = schema,
                   .nschema = nschema, .rgs = rgs, .nrg = nrg, .chunks = ch, .kv = std_kv, .nkv = 2,
                   .hook = probe_hook, .hook_ctx = p};
    p->begin = p->header = p->value = p->fmd_end = p->after_schema = -1;
    return fb_footer_encode(&F, len);
}
static uint8_t *std_footer(probe *p, size_t *len) { return std_footer_ex(p, std_schema, 5, 2, 1, len); }

static const pqf_options opt_all = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | PQF_KEEP_KV};

/* Encode the standard footer under p and expect code at offset with path. */
static void probe_expect(int line, probe *p, const pqf_options *o, pqf_code code, int64_t off, const char *path) {
    size_t n;
    uint8_t *b = std_footer(p, &n);
    fb_expect_err_opt(line, o, code, (uint64_t)off, path, b, n);
    free(b);
}

START_TEST(t_std_footer_ok) {
    probe p = {.level = -1};
    size_t n;
    uint8_t *b = std_footer(&p, &n);
    pqf_footer *f = EXPECT_OK_OPT(&opt_all, b, n);
    ck_assert_uint_eq(pqf_column_count(f), 3);
    ck_assert_uint_eq(pqf_row_group_count(f), 2);
    ck_assert_uint_eq(pqf_kv_count(f), 2);
    pqf_footer_free(f);
    f = EXPECT_OK(b, n);
    pqf_footer_free(f);
    free(b);
}
END_TEST

/* ------------------------------------------------------------ one per code --- */

static void *null_alloc(void *ctx, size_t size) {
    (void)ctx, (void)size;
    return NULL;
}
static void never_free(void *ctx, void *ptr, size_t size) {
    (void)ctx, (void)ptr, (void)size;
    ck_abort_msg("free without alloc");
}

START_TEST(t_each_code) {
    pqf_options o;
    /* TRUNCATED */
    EXPECT_ERR_PATH(PQF_ERR_TRUNCATED, 12, "", HEX(PRE));
    /*                                             ^ 12 */
    /* MALFORMED */
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 12, "", HEX(PRE, 0x6F, 0x00));
    /*                                                  ^ 12 */
    /* DEPTH: max_depth 2 = FileMetaData + one struct; the second nested struct fails */
    memset(&o, 0, sizeof o);
    o.max_depth = 2;
    fb_expect_err_opt(__LINE__, &o, PQF_ERR_DEPTH, 14, "field_10", HEX(PRE, 0x6C, 0x1C, 0x00, 0x00, 0x00));
    /*                                                                           ^ 14: inner body */
    /* lists count as a level too */
    fb_expect_err_opt(__LINE__, &o, PQF_ERR_DEPTH, 15, NULL, HEX(PRE, 0x69, 0x19, 0x15, 0x02, 0x00));
    /*                                                                                ^ 15 */
    o.max_depth = 3;
    pqf_footer *f = EXPECT_OK_OPT(&o, HEX(PRE, 0x6C, 0x1C, 0x00, 0x00, 0x00));
    pqf_footer_free(f);
    /* LIMIT: the memory cap refuses the first allocation (the schema array) */
    memset(&o, 0, sizeof o);
    o.max_memory = 64;
    fb_expect_err_opt(__LINE__, &o, PQF_ERR_LIMIT, 4, "schema", HEX(PRE, 0x00));
    /*                                                                   ^ 4: after the list header */
    /* NOMEM: an allocator that always fails */
    pqf_allocator na = {null_alloc, never_free, NULL};
    memset(&o, 0, sizeof o);
    o.allocator = &na;
    fb_expect_err_opt(__LINE__, &o, PQF_ERR_NOMEM, 4, "schema", HEX(PRE, 0x00));
    /* MISSING_REQUIRED */
    EXPECT_ERR_PATH(PQF_ERR_MISSING_REQUIRED, 10, "row_groups", HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72,
                                                                    0x00, 0x16, 0x00, 0x00));
    /*                                                                                    ^ 10: the stop */
    /* INVALID_ARG */
    pqf_error e;
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode(NULL, 5, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(e.msg);
    ck_assert_uint_eq(e.offset, 0);
    ck_assert_uint_eq(e.needed, 0);
    ck_assert_str_eq(e.path, "");
    /* NULL with length 0 is an empty footer: TRUNCATED at 0 */
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode(NULL, 0, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_TRUNCATED);
    ck_assert_uint_eq(e.offset, 0);
    /* ENCRYPTED and NOT_PARQUET (from the tail entry point) */
    static const uint8_t m[] = {PRE, 0x00};
    size_t n;
    uint8_t *img = fb_file_image(m, sizeof m, 0, "PARE", &n);
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode_tail(img, n, n, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_ENCRYPTED);
    ck_assert_ptr_nonnull(e.msg);
    ck_assert_uint_eq(e.offset, 0);
    ck_assert_uint_eq(e.needed, 0);
    ck_assert_str_eq(e.path, "");
    free(img);
    img = fb_file_image(m, sizeof m, 0, "PAR2", &n);
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode_tail(img, n, n, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_NOT_PARQUET);
    ck_assert_ptr_nonnull(e.msg);
    ck_assert_uint_eq(e.offset, 0);
    ck_assert_uint_eq(e.needed, 0);
    ck_assert_str_eq(e.path, "");
    free(img);
    /* IO */
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode_file("/nonexistent/dir/x.parquet", NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_IO);
    ck_assert_ptr_nonnull(e.msg);
    ck_assert_uint_eq(e.offset, 0);
    ck_assert_uint_eq(e.needed, 0);
    ck_assert_str_eq(e.path, "");
    /* NO_COLUMN */
    const char *cols[] = {"nope"};
    memset(&o, 0, sizeof o);
    o.columns = cols;
    o.num_columns = 1;
    fb_expect_err_opt(__LINE__, &o, PQF_ERR_NO_COLUMN, 8, NULL, HEX(PRE, 0x00));
    /*                                                                    ^ 8: after the schema list */
}
END_TEST

/* ------------------------------------------------------------ field paths --- */

START_TEST(t_paths_from_issue) {
    probe p = {.level = FB_L_CMD, .i = 1, .j = 0, .fid = 7, .action = ACT_NEG, .neg = -5};
    size_t n;
    free(std_footer(&p, &n)); /* records the offsets */
    probe_expect(__LINE__, &p, NULL, PQF_ERR_MALFORMED, p.value,
                 "row_groups[1].columns[0].meta_data.total_compressed_size");

    p = (probe){.level = FB_L_SE, .i = 2, .fid = 4, .action = ACT_OMIT};
    free(std_footer(&p, &n));
    probe_expect(__LINE__, &p, NULL, PQF_ERR_MISSING_REQUIRED, p.begin, "schema[2].name");

    p = (probe){.level = FB_L_CC, .i = 0, .j = 1, .fid = 2, .action = ACT_OMIT};
    free(std_footer(&p, &n));
    probe_expect(__LINE__, &p, NULL, PQF_ERR_MISSING_REQUIRED, p.begin, "row_groups[0].columns[1].file_offset");
}
END_TEST

/* --------------------------------------------------- missing required fields --- */

static const char *const fmd_names[] = {NULL, "version", "schema", "num_rows", "row_groups"};
static const char *const rg_names[] = {NULL, "columns", "total_byte_size", "num_rows"};
static const char *const cmd_names[] = {NULL, "type", "encodings", "path_in_schema", "codec", "num_values",
                                        "total_uncompressed_size", "total_compressed_size", NULL,
                                        "data_page_offset"};

/* Omit field fid of the struct at (level, i, j); expect MISSING_REQUIRED at
 * the struct's start (FileMetaData: at its stop byte) with path. */
static void omit_expect(int line, int level, size_t i, size_t j, int fid, const pqf_options *o, const char *path) {
    probe p = {.level = level, .i = i, .j = j, .fid = fid, .action = ACT_OMIT};
    size_t n;
    free(std_footer(&p, &n));
    ck_assert_msg(p.header >= 0, "line %d: the builder never wrote the field", line);
    int64_t off = level == FB_L_FMD ? p.fmd_end : p.begin;
    probe_expect(line, &p, o, PQF_ERR_MISSING_REQUIRED, off, path);
}

START_TEST(t_missing_required_every_struct) {
    char path[192];
    /* FileMetaData 1..4 */
    for (int fid = 1; fid <= 4; fid++) omit_expect(__LINE__, FB_L_FMD, 0, 0, fid, NULL, fmd_names[fid]);
    /* SchemaElement.name, for the root, a group and a leaf */
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "schema[%zu].name", i);
        omit_expect(__LINE__, FB_L_SE, i, 0, 4, NULL, path);
    }
    /* RowGroup 1..3 */
    for (size_t r = 0; r < 2; r++) {
        for (int fid = 1; fid <= 3; fid++) {
            snprintf(path, sizeof path, "row_groups[%zu].%s", r, rg_names[fid]);
            omit_expect(__LINE__, FB_L_RG, r, 0, fid, NULL, path);
        }
    }
    /* ColumnChunk.file_offset, every chunk */
    for (size_t r = 0; r < 2; r++) {
        for (size_t c = 0; c < 3; c++) {
            snprintf(path, sizeof path, "row_groups[%zu].columns[%zu].file_offset", r, c);
            omit_expect(__LINE__, FB_L_CC, r, c, 2, NULL, path);
            omit_expect(__LINE__, FB_L_CC, r, c, 2, &opt_all, path);
        }
    }
    /* ColumnMetaData 1..7 and 9 */
    for (size_t r = 0; r < 2; r++) {
        for (size_t c = 0; c < 3; c++) {
            for (int fid = 1; fid <= 9; fid++) {
                if (fid == 8) continue;
                snprintf(path, sizeof path, "row_groups[%zu].columns[%zu].meta_data.%s", r, c, cmd_names[fid]);
                omit_expect(__LINE__, FB_L_CMD, r, c, fid, NULL, path);
            }
        }
    }
    /* KeyValue.key: an error only when the metadata is kept */
    pqf_options kv = {.flags = PQF_KEEP_KV};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "key_value_metadata[%zu].key", i);
        omit_expect(__LINE__, FB_L_KV, i, 0, 1, &kv, path);
        probe p = {.level = FB_L_KV, .i = i, .fid = 1, .action = ACT_OMIT};
        size_t n;
        uint8_t *b = std_footer(&p, &n);
        pqf_footer *f = EXPECT_OK(b, n);
        ck_assert(pqf_footer_flags(f) & PQF_FOOTER_HAS_KV);
        ck_assert_uint_eq(pqf_kv_count(f), 0);
        pqf_footer_free(f);
        free(b);
    }
    /* ColumnMetaData.key_value_metadata entries lacking a key are skipped, not checked */
    /* optional fields may all be absent: the KeyValue value, chunk metadata */
    probe p = {.level = FB_L_CC, .i = 1, .j = 2, .fid = 3, .action = ACT_OMIT};
    size_t n;
    uint8_t *b = std_footer(&p, &n);
    pqf_footer *f = EXPECT_OK_OPT(&opt_all, b, n);
    pqf_chunk c;
    ck_assert_int_eq(pqf_chunk_get(f, 1, 2, &c), PQF_OK);
    ck_assert_uint_eq(c.has & PQF_CH_META, 0);
    pqf_footer_free(f);
    free(b);
}
END_TEST

/* Logical type members. The SchemaElement hook writes field 10 itself; the
 * member's body offset is where the decoder reports a missing field. */
typedef struct lt_case {
    int member;        /* LogicalType field id */
    int omit;          /* member field to leave out (0 = none, -1 = all) */
    const char *path;  /* expected path, NULL = decodes */
} lt_case;

static size_t lt_body(fb *w, int member, int omit) {
    fb_begin(w);
    fb_structf(w, (int16_t)member);
    size_t at = w->len;
    switch (member) {
    case 5:
        if (omit != 1 && omit != -1) fb_i32f(w, 1, 2);
        if (omit != 2 && omit != -1) fb_i32f(w, 2, 9);
        break;
    case 7:
    case 8:
        if (omit != 1 && omit != -1) fb_boolf(w, 1, 1);
        if (omit != 2 && omit != -1) {
            fb_structf(w, 2);
            fb_structf(w, 1);
            fb_end(w);
            fb_end(w);
        }
        break;
    case 10:
        if (omit != 1 && omit != -1) fb_bytef(w, 1, 32);
        if (omit != 2 && omit != -1) fb_boolf(w, 2, 0);
        break;
    }
    fb_end(w);
    fb_end(w);
    return at;
}

START_TEST(t_missing_required_logical) {
    static const struct { int member; const char *name; const char *f1; const char *f2; } m[] = {
        {5, "DECIMAL", "scale", "precision"},
        {7, "TIME", "isAdjustedToUTC", "unit"},
        {8, "TIMESTAMP", "isAdjustedToUTC", "unit"},
        {10, "INTEGER", "bitWidth", "isSigned"},
    };
    for (size_t k = 0; k < sizeof m / sizeof *m; k++) {
        for (int omit = -1; omit <= 2; omit++) {
            fb body;
            fb_init(&body);
            size_t rel = lt_body(&body, m[k].member, omit);
            probe p = {.level = FB_L_SE, .i = 1, .fid = FB_AT_END, .wfid = 10, .action = ACT_WRITE, .raw = body.buf,
                       .raw_len = body.len, .raw_type = FB_STRUCT};
            size_t n;
            uint8_t *b = std_footer(&p, &n);
            if (omit == 0) {
                pqf_footer *f = EXPECT_OK(b, n);
                const pqf_schema_element e_v = pqf_test_se(f, 1), *e = &e_v;
                ck_assert_int_eq(e->logical.kind, m[k].member);
                pqf_footer_free(f);
            } else {
                char path[192];
                snprintf(path, sizeof path, "schema[1].logicalType.%s.%s", m[k].name,
                         omit == 2 ? m[k].f2 : m[k].f1);
                fb_expect_err_opt(__LINE__, NULL, PQF_ERR_MISSING_REQUIRED, (uint64_t)p.value + rel, path, b, n);
            }
            free(b);
            fb_free(&body);
        }
    }
}
END_TEST

/* hyparquet-writer writes IntType.bitWidth as a compact i32, not a byte: as
 * in Thrift the field does not count, and the message says it was there with
 * the wrong wire type rather than absent. The same for each two-field member. */
START_TEST(t_logical_wrong_wire_type) {
    static const struct { int member; const char *path; int wire_i32; } m[] = {
        {10, "schema[1].logicalType.INTEGER.bitWidth", 1},  /* bitWidth as i32 (hyparquet-writer) */
        {5, "schema[1].logicalType.DECIMAL.scale", 0},      /* scale as a byte */
    };
    for (size_t k = 0; k < sizeof m / sizeof *m; k++) {
        fb body;
        fb_init(&body);
        fb_begin(&body);
        fb_structf(&body, (int16_t)m[k].member);
        size_t rel = body.len;
        if (m[k].wire_i32) {
            fb_i32f(&body, 1, 32);
            fb_boolf(&body, 2, 1);
        } else {
            fb_bytef(&body, 1, 2);
            fb_i32f(&body, 2, 9);
        }
        fb_end(&body);
        fb_end(&body);
        probe p = {.level = FB_L_SE, .i = 1, .fid = FB_AT_END, .wfid = 10, .action = ACT_WRITE, .raw = body.buf,
                   .raw_len = body.len, .raw_type = FB_STRUCT};
        size_t n;
        uint8_t *b = std_footer(&p, &n);
        fb_expect_err_opt(__LINE__, NULL, PQF_ERR_MISSING_REQUIRED, (uint64_t)p.value + rel, m[k].path, b, n);
        pqf_error e;
        pqf_footer *f = pqf_footer_decode(b, n, NULL, &e);
        ck_assert_ptr_null(f);
        ck_assert_msg(strstr(e.msg, "wrong wire type") != NULL, "case %zu: message \"%s\"", k, e.msg);
        free(b);
        fb_free(&body);
    }
}
END_TEST

/* ---------------------------------------------------- negative sizes/offsets --- */

START_TEST(t_negative_values) {
    static const struct { int level; int fid; const char *name; int needs; } cases[] = {
        {FB_L_RG, 2, "total_byte_size", 0},
        {FB_L_RG, 3, "num_rows", 0},
        {FB_L_RG, 5, "file_offset", 0},
        {FB_L_RG, 6, "total_compressed_size", 0},
        {FB_L_CC, 2, "file_offset", 0},
        {FB_L_CC, 4, "offset_index_offset", PQF_KEEP_PAGE_INDEX},
        {FB_L_CC, 5, "offset_index_length", PQF_KEEP_PAGE_INDEX},
        {FB_L_CC, 6, "column_index_offset", PQF_KEEP_PAGE_INDEX},
        {FB_L_CC, 7, "column_index_length", PQF_KEEP_PAGE_INDEX},
        {FB_L_CMD, 5, "meta_data.num_values", 0},
        {FB_L_CMD, 6, "meta_data.total_uncompressed_size", 0},
        {FB_L_CMD, 7, "meta_data.total_compressed_size", 0},
        {FB_L_CMD, 9, "meta_data.data_page_offset", 0},
        {FB_L_CMD, 11, "meta_data.dictionary_page_offset", 0},
        {FB_L_CMD, 14, "meta_data.bloom_filter_offset", PQF_KEEP_BLOOM},
        {FB_L_CMD, 15, "meta_data.bloom_filter_length", PQF_KEEP_BLOOM},
    };
    static const int64_t negs[] = {-1, INT32_MIN, INT64_MIN};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        for (size_t v = 0; v < 3; v++) {
            size_t r = v % 2, c = (k + v) % 3;
            int is_rg = cases[k].level == FB_L_RG;
            probe p = {.level = cases[k].level, .i = r, .j = is_rg ? 0 : c, .fid = cases[k].fid,
                       .action = ACT_NEG, .neg = negs[v]};
            if (field_type(p.level, p.fid) == FB_I32 && negs[v] < INT32_MIN) p.neg = INT32_MIN;
            size_t n;
            uint8_t *b = std_footer(&p, &n);
            char path[192];
            if (is_rg) snprintf(path, sizeof path, "row_groups[%zu].%s", r, cases[k].name);
            else snprintf(path, sizeof path, "row_groups[%zu].columns[%zu].%s", r, c, cases[k].name);
            fb_expect_err_opt(__LINE__, &opt_all, PQF_ERR_MALFORMED, (uint64_t)p.value, path, b, n);
            if (cases[k].needs) {
                /* not kept: skipped, so not checked */
                pqf_footer *f = EXPECT_OK(b, n);
                pqf_footer_free(f);
            } else {
                fb_expect_err_opt(__LINE__, NULL, PQF_ERR_MALFORMED, (uint64_t)p.value, path, b, n);
            }
            free(b);
        }
    }
    /* FileMetaData.num_rows */
    probe p = {.level = FB_L_FMD, .fid = 3, .action = ACT_NEG, .neg = -7};
    size_t n;
    free(std_footer(&p, &n));
    probe_expect(__LINE__, &p, NULL, PQF_ERR_MALFORMED, p.value, "num_rows");
}
END_TEST

/* ------------------------------------------------------ count and path checks --- */

START_TEST(t_column_count_mismatch) {
    for (size_t cols = 0; cols <= 5; cols++) {
        if (cols == 3) continue;
        probe p = {.level = FB_L_RG, .i = 0, .fid = 1, .action = ACT_NONE};
        fb_footer F = {.version = 1, .num_rows = 1, .ncols = 3, .nrg = 2, .rg_ncols = cols,
                       .hook = probe_hook, .hook_ctx = &p};
        if (cols == 0) {
            /* rg_ncols 0 means "the leaf count": write an empty list by hand */
            p.action = ACT_WRITE;
            p.raw = (const uint8_t *)"\x0C";
            p.raw_len = 1;
            p.raw_type = FB_LIST;
        }
        size_t n;
        uint8_t *b = fb_footer_encode(&F, &n);
        int64_t list_at = p.action == ACT_WRITE ? p.value : p.header + 1; /* short header: 1 byte */
        fb_expect_err_opt(__LINE__, NULL, PQF_ERR_MALFORMED, (uint64_t)list_at, "row_groups[0].columns", b, n);
        free(b);
    }
}
END_TEST

/* path_in_schema of chunk (0, 1) -- the leaf g.t -- replaced by parts. */
static void path_case(int line, const char *const *parts, size_t nparts, int ok) {
    fb l;
    fb_init(&l);
    fb_list(&l, FB_BINARY, (uint32_t)nparts);
    for (size_t k = 0; k < nparts; k++) fb_str(&l, parts[k]);
    probe p = {.level = FB_L_CMD, .i = 0, .j = 1, .fid = 3, .action = ACT_WRITE, .raw = l.buf, .raw_len = l.len,
               .raw_type = FB_LIST};
    size_t n;
    uint8_t *b = std_footer(&p, &n);
    if (ok) {
        pqf_footer *f = fb_expect_ok_opt(line, NULL, b, n);
        pqf_footer_free(f);
    } else {
        fb_expect_err_opt(line, NULL, PQF_ERR_MALFORMED, (uint64_t)p.value,
                          "row_groups[0].columns[1].meta_data.path_in_schema", b, n);
    }
    /* with the check off, anything goes */
    pqf_options o = {.flags = PQF_NO_PATH_CHECK};
    pqf_footer *f = fb_expect_ok_opt(line, &o, b, n);
    ck_assert_uint_eq(pqf_column_count(f), 3);
    ck_assert_uint_eq(pqf_footer_options(f), PQF_NO_PATH_CHECK);
    pqf_footer_free(f);
    free(b);
    fb_free(&l);
}

START_TEST(t_path_in_schema) {
    path_case(__LINE__, (const char *[]){"g", "t"}, 2, 1);
    path_case(__LINE__, (const char *[]){"g", "x"}, 2, 0);
    path_case(__LINE__, (const char *[]){"x", "t"}, 2, 0);
    path_case(__LINE__, (const char *[]){"G", "t"}, 2, 0);
    path_case(__LINE__, (const char *[]){"t"}, 1, 0);
    path_case(__LINE__, (const char *[]){"g"}, 1, 0);
    path_case(__LINE__, (const char *[]){"g", "t", "t"}, 3, 0);
    path_case(__LINE__, (const char *[]){"root", "g", "t"}, 3, 0);
    path_case(__LINE__, (const char *[]){"g", "tt"}, 2, 0);
    path_case(__LINE__, (const char *[]){"g", ""}, 2, 0);
    path_case(__LINE__, NULL, 0, 0);
    /* a NUL inside a name is compared too */
    fb l;
    fb_init(&l);
    fb_list(&l, FB_BINARY, 2);
    fb_str(&l, "g");
    fb_bin(&l, "t\0", 2);
    probe p = {.level = FB_L_CMD, .i = 1, .j = 1, .fid = 3, .action = ACT_WRITE, .raw = l.buf, .raw_len = l.len,
               .raw_type = FB_LIST};
    size_t n;
    uint8_t *b = std_footer(&p, &n);
    fb_expect_err_opt(__LINE__, NULL, PQF_ERR_MALFORMED, (uint64_t)p.value,
                      "row_groups[1].columns[1].meta_data.path_in_schema", b, n);
    free(b);
    fb_free(&l);
}
END_TEST

/* A wrong name of the right length in one chunk of a wide flat table, whose
 * other chunks all share one layout: the layouts columns share leave the
 * name out of their compare and check it against each column's own, so the
 * wrong one is still found; in the first 8 bytes of a name and past them. */
typedef struct wrong_name {
    size_t rg, col;
    int long_names; /* "feature_00017_value" instead of "c17" */
    int64_t at;     /* offset of the list the hook wrote */
} wrong_name;

static void leaf_name(const wrong_name *x, size_t col, char *buf, size_t cap) {
    if (x->long_names) snprintf(buf, cap, "feature_%05zu_value", col);
    else snprintf(buf, cap, "c%zu", col);
}

static int wrong_name_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    wrong_name *x = ctx;
    if (level != FB_L_CMD || fid != 3) return 1;
    char name[32];
    leaf_name(x, j, name, sizeof name);
    if (i == x->rg && j == x->col) { /* same length: another column's name or none */
        size_t k = x->long_names ? strlen(name) - 1 : 1;
        name[k] = name[k] == 'e' || name[k] == '9' ? (char)(name[k] - 1) : (char)(name[k] + 1);
    }
    fb_listf(w, 3, FB_BINARY, 1);
    if (i == x->rg && j == x->col) x->at = (int64_t)w->len - 1;
    fb_str(w, name);
    return 0;
}

START_TEST(t_path_checked_on_borrowed_layouts) {
    static const struct { size_t nrg, rg, col; } cases[] = {
        {1, 0, 1}, {1, 0, 17}, {1, 0, 39}, {4, 0, 1}, {4, 0, 23}, {4, 2, 1}, {4, 3, 39},
    };
    enum { NCOLS = 40 };
    for (int long_names = 0; long_names < 2; long_names++)
        for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
            wrong_name x = {.rg = cases[k].rg, .col = cases[k].col, .long_names = long_names, .at = -1};
            fb_se schema[NCOLS + 1];
            char names[NCOLS][32];
            schema[0] = (fb_se){.name = "schema", .has = PQF_SE_NUM_CHILDREN, .num_children = NCOLS};
            for (size_t c = 0; c < NCOLS; c++) {
                leaf_name(&x, c, names[c], sizeof names[c]);
                schema[c + 1] = (fb_se){.name = names[c], .has = PQF_SE_TYPE | PQF_SE_REPETITION,
                                        .type = PQF_TYPE_DOUBLE, .repetition = PQF_REP_OPTIONAL};
            }
            fb_footer F = {.version = 1, .num_rows = 1000, .schema = schema, .nschema = NCOLS + 1,
                           .nrg = cases[k].nrg, .stats = 1, .hook = wrong_name_hook, .hook_ctx = &x};
            size_t n;
            uint8_t *b = fb_footer_encode(&F, &n);
            ck_assert_int_ge(x.at, 0);
            char path[96];
            snprintf(path, sizeof path, "row_groups[%zu].columns[%zu].meta_data.path_in_schema", x.rg, x.col);
            int line = __LINE__ + 1000 * (int)k + 100000 * long_names;
            for (int portable = 0; portable < 2; portable++) {
                pqf_options o = {.flags = portable ? PQF_PORTABLE : 0};
                fb_expect_err_opt(line, &o, PQF_ERR_MALFORMED, (uint64_t)x.at, path, b, n);
                o.flags |= PQF_NO_PATH_CHECK;
                pqf_footer_free(fb_expect_ok_opt(line, &o, b, n));
            }
            /* and the right names decode (every chunk but the first by a shared layout) */
            x.rg = SIZE_MAX;
            free(b);
            b = fb_footer_encode(&F, &n);
            pqf_footer_free(fb_expect_ok_opt(line, NULL, b, n));
            free(b);
        }
}
END_TEST

/* -------------------------------------------------------------- schema tree --- */

static void tree_case(int line, const fb_se *s, size_t ns, const pqf_options *o, pqf_code code, const char *path) {
    probe p = {.level = -1};
    size_t n;
    uint8_t *b = std_footer_ex(&p, s, ns, 0, 0, &n);
    ck_assert_int_ge(p.after_schema, 0);
    fb_expect_err_opt(line, o, code, (uint64_t)p.after_schema, path, b, n);
    free(b);
}

#define LEAF(nm) {.name = nm, .has = PQF_SE_TYPE, .type = PQF_TYPE_INT32}
#define GROUP(nm, k) {.name = nm, .has = PQF_SE_NUM_CHILDREN, .num_children = k}

START_TEST(t_schema_tree_errors) {
    /* num_children running past the end: the root's, then a group's */
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 3), LEAF("a"), LEAF("b")}, 3, NULL, PQF_ERR_MALFORMED, NULL);
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 2), LEAF("a"), GROUP("g", 2), LEAF("t")}, 4, NULL,
              PQF_ERR_MALFORMED, NULL);
    /* elements outside the tree */
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 1), LEAF("a"), LEAF("b")}, 3, NULL, PQF_ERR_MALFORMED, NULL);
    tree_case(__LINE__, (const fb_se[]){LEAF("r"), LEAF("a")}, 2, NULL, PQF_ERR_MALFORMED, NULL);
    /* negative num_children, at the root and below */
    tree_case(__LINE__, (const fb_se[]){GROUP("r", -1), LEAF("a")}, 2, NULL, PQF_ERR_MALFORMED, NULL);
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 1), GROUP("g", -3), LEAF("a")}, 3, NULL, PQF_ERR_MALFORMED,
              NULL);
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 1), GROUP("g", INT32_MIN)}, 2, NULL, PQF_ERR_MALFORMED, NULL);
    /* nested deeper than max_depth */
    pqf_options o = {.max_depth = 3};
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 1), GROUP("a", 1), GROUP("b", 1), GROUP("c", 1), LEAF("d")}, 5,
              &o, PQF_ERR_DEPTH, NULL);
    o.max_depth = 4;
    size_t n;
    probe p = {.level = -1};
    uint8_t *b = std_footer_ex(&p, (const fb_se[]){GROUP("r", 1), GROUP("a", 1), GROUP("b", 1), GROUP("c", 1),
                                                   LEAF("d")}, 5, 0, 0, &n);
    pqf_footer *f = EXPECT_OK_OPT(&o, b, n);
    ck_assert_uint_eq(pqf_test_se(f, 4).depth, 4);
    pqf_footer_free(f);
    free(b);
    /* empty schema */
    EXPECT_ERR(PQF_ERR_MALFORMED, 4, HEX(0x15, 0x02, 0x19, 0x0C, 0x16, 0x00, 0x19, 0x0C, 0x00));
    /*                                                           ^ 4: after the empty list */
    /* a root alone (no num_children, or 0) is a valid schema of no columns */
    static const uint8_t m[] = {PRE, 0x00};
    f = EXPECT_OK(m, sizeof m);
    ck_assert_uint_eq(pqf_column_count(f), 0);
    pqf_footer_free(f);
}
END_TEST

/* Regression: schema tree errors used to carry the path "schema.schema[N]"
 * (link_tree() pushed "schema" and the FileMetaData decoder pushed it again).
 * Input: root with num_children 2 and one child:
 *   15 02 19 2C 48 01 72 15 04 00 48 01 61 00 16 00 19 0C 00
 * -> MALFORMED at 14, path "schema[0]". */
START_TEST(t_schema_tree_error_paths) {
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 14, "schema[0]",
                    HEX(0x15, 0x02, 0x19, 0x2C, 0x48, 0x01, 0x72, 0x15, 0x04, 0x00, 0x48, 0x01, 0x61, 0x00,
                        0x16, 0x00, 0x19, 0x0C, 0x00));
    /*                  ^ 14: after the schema list */
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 2), LEAF("a"), GROUP("g", 2), LEAF("t")}, 4, NULL,
              PQF_ERR_MALFORMED, "schema[2]");
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 1), LEAF("a"), LEAF("b")}, 3, NULL, PQF_ERR_MALFORMED,
              "schema[2]");
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 1), GROUP("g", -3), LEAF("a")}, 3, NULL, PQF_ERR_MALFORMED,
              "schema[1]");
    pqf_options o = {.max_depth = 3};
    tree_case(__LINE__, (const fb_se[]){GROUP("r", 1), GROUP("a", 1), GROUP("b", 1), GROUP("c", 1), LEAF("d")}, 5,
              &o, PQF_ERR_DEPTH, "schema[4]");
    /* an empty schema has no element to name */
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 4, "schema", HEX(0x15, 0x02, 0x19, 0x0C, 0x16, 0x00, 0x19, 0x0C, 0x00));
}
END_TEST

/* --------------------------------------------------------------- projection --- */

static void proj_err(int line, const char *const *cols, size_t ncols, const uint32_t *idx, size_t nidx,
                     pqf_code code, const char *path) {
    probe p = {.level = -1};
    size_t n;
    uint8_t *b = std_footer(&p, &n);
    pqf_options o = {.columns = cols, .num_columns = ncols, .column_indexes = idx, .num_column_indexes = nidx};
    pqf_error e;
    pqf_test_poison(&e);
    pqf_footer *f = pqf_footer_decode(b, n, &o, &e);
    ck_assert_msg(f == NULL, "line %d: decoded", line);
    ck_assert_msg(e.code == code, "line %d: %s (%s) [%s]", line, pqf_code_name(e.code), e.msg, e.path);
    ck_assert_msg(e.msg != NULL, "line %d: msg", line);
    ck_assert_msg(e.needed == 0, "line %d: needed", line);
    if (code == PQF_ERR_NO_COLUMN)
        ck_assert_msg(e.offset == (uint64_t)p.after_schema, "line %d: offset %llu want %lld", line,
                      (unsigned long long)e.offset, (long long)p.after_schema);
    else
        ck_assert_msg(e.offset <= n, "line %d: offset", line);
    if (path) ck_assert_msg(strcmp(e.path, path) == 0, "line %d: path \"%s\" want \"%s\"", line, e.path, path);
    free(b);
}

START_TEST(t_projection_errors) {
    proj_err(__LINE__, (const char *[]){"nope"}, 1, NULL, 0, PQF_ERR_NO_COLUMN, NULL);
    proj_err(__LINE__, (const char *[]){"a", "g.x"}, 2, NULL, 0, PQF_ERR_NO_COLUMN, NULL);
    proj_err(__LINE__, (const char *[]){"g.t.u"}, 1, NULL, 0, PQF_ERR_NO_COLUMN, NULL); /* below a leaf */
    proj_err(__LINE__, (const char *[]){"g."}, 1, NULL, 0, PQF_ERR_NO_COLUMN, NULL);
    proj_err(__LINE__, (const char *[]){""}, 1, NULL, 0, PQF_ERR_NO_COLUMN, NULL);
    proj_err(__LINE__, (const char *[]){"root"}, 1, NULL, 0, PQF_ERR_NO_COLUMN, NULL); /* the root is not in paths */
    proj_err(__LINE__, (const char *[]){"root.a"}, 1, NULL, 0, PQF_ERR_NO_COLUMN, NULL);
    proj_err(__LINE__, (const char *[]){"A"}, 1, NULL, 0, PQF_ERR_NO_COLUMN, NULL);
    proj_err(__LINE__, NULL, 0, (const uint32_t[]){3}, 1, PQF_ERR_NO_COLUMN, NULL);
    proj_err(__LINE__, NULL, 0, (const uint32_t[]){0, UINT32_MAX}, 2, PQF_ERR_NO_COLUMN, NULL);
    proj_err(__LINE__, (const char *[]){"a"}, 1, (const uint32_t[]){7}, 1, PQF_ERR_NO_COLUMN, NULL);
    /* bad option arrays */
    proj_err(__LINE__, NULL, 1, NULL, 0, PQF_ERR_INVALID_ARG, NULL);
    proj_err(__LINE__, NULL, 0, NULL, 1, PQF_ERR_INVALID_ARG, NULL);
    proj_err(__LINE__, (const char *[]){"a", NULL}, 2, NULL, 0, PQF_ERR_INVALID_ARG, NULL);
}
END_TEST

/* The path of a projection error names the option, not a footer field. */
START_TEST(t_projection_error_path) {
    /* Regression: this used to be "schema.columns[1]", a footer-looking path
     * for the caller's option pqf_options.columns[1]. */
    proj_err(__LINE__, (const char *[]){"a", "g.x"}, 2, NULL, 0, PQF_ERR_NO_COLUMN, "columns[1]");
    proj_err(__LINE__, NULL, 0, (const uint32_t[]){0, 9}, 2, PQF_ERR_NO_COLUMN, "column_indexes[1]");
}
END_TEST

/* ------------------------------------------------------------ invalid args --- */

START_TEST(t_invalid_args) {
    static const uint8_t m[] = {PRE, 0x00};
    pqf_error e;
    pqf_options o = {.max_depth = PQF_MAX_DEPTH_LIMIT + 1};
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode(m, sizeof m, &o, &e));
    ck_assert_int_eq(e.code, PQF_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(e.msg);
    ck_assert_uint_eq(e.offset, 0);
    ck_assert_uint_eq(e.needed, 0);
    ck_assert_str_eq(e.path, "");
    o.max_depth = UINT32_MAX;
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode(m, sizeof m, &o, &e));
    ck_assert_int_eq(e.code, PQF_ERR_INVALID_ARG);
    o.max_depth = PQF_MAX_DEPTH_LIMIT;
    pqf_footer *f = EXPECT_OK_OPT(&o, m, sizeof m);
    pqf_footer_free(f);
    /* the depth limit really is PQF_MAX_DEPTH_LIMIT then */
    fb w;
    fb_init(&w);
    fb_begin(&w);
    fb_i32f(&w, 1, 1);
    for (int d = 1; d < PQF_MAX_DEPTH_LIMIT; d++) fb_structf(&w, 20);
    for (int d = 1; d < PQF_MAX_DEPTH_LIMIT; d++) fb_end(&w);
    fb_field_long(&w, FB_LIST, 2);
    fb_list(&w, FB_STRUCT, 1);
    fb_begin(&w);
    fb_strf(&w, 4, "r");
    fb_end(&w);
    fb_i64f(&w, 3, 0);
    fb_listf(&w, 4, FB_STRUCT, 0);
    fb_end(&w);
    size_t n;
    uint8_t *b = fb_take(&w, &n);
    f = EXPECT_OK_OPT(&o, b, n);
    pqf_footer_free(f);
    o.max_depth = PQF_MAX_DEPTH_LIMIT - 1;
    /* version takes 2 bytes, each struct header 2: the last struct's body */
    fb_expect_err_opt(__LINE__, &o, PQF_ERR_DEPTH, 2 + 2 * (PQF_MAX_DEPTH_LIMIT - 1), NULL, b, n);
    free(b);

    /* NULL footer with a length, through every entry point that takes bytes */
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode(NULL, 1, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_INVALID_ARG);
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode_tail(NULL, 100, 0, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(e.msg);
    ck_assert_uint_eq(e.needed, 0);
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode_reader(NULL, NULL, 100, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(e.msg);
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode_file(NULL, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_INVALID_ARG);
    ck_assert_ptr_nonnull(e.msg);
    ck_assert_str_eq(e.path, "");
    /* the options' max_depth check applies to the other entry points too */
    size_t il;
    uint8_t *img = fb_file_image(m, sizeof m, 0, NULL, &il);
    o.max_depth = PQF_MAX_DEPTH_LIMIT + 1;
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode_tail(img, il, il, &o, &e));
    ck_assert_int_eq(e.code, PQF_ERR_INVALID_ARG);
    free(img);
}
END_TEST

/* ----------------------------------------------------------- names, messages --- */

START_TEST(t_code_names) {
    static const char *const names[] = {
        "PQF_OK", "PQF_ERR_IO", "PQF_ERR_NOT_PARQUET", "PQF_ERR_TRUNCATED", "PQF_ERR_MALFORMED",
        "PQF_ERR_DEPTH", "PQF_ERR_LIMIT", "PQF_ERR_MISSING_REQUIRED", "PQF_ERR_ENCRYPTED", "PQF_ERR_NOMEM",
        "PQF_ERR_INVALID_ARG", "PQF_ERR_NO_COLUMN",
    };
    ck_assert_int_eq(PQF_ERR__COUNT, sizeof names / sizeof *names);
    /* the numbers are part of the ABI */
    ck_assert_int_eq(PQF_OK, 0);
    ck_assert_int_eq(PQF_ERR_IO, 1);
    ck_assert_int_eq(PQF_ERR_NOT_PARQUET, 2);
    ck_assert_int_eq(PQF_ERR_TRUNCATED, 3);
    ck_assert_int_eq(PQF_ERR_MALFORMED, 4);
    ck_assert_int_eq(PQF_ERR_DEPTH, 5);
    ck_assert_int_eq(PQF_ERR_LIMIT, 6);
    ck_assert_int_eq(PQF_ERR_MISSING_REQUIRED, 7);
    ck_assert_int_eq(PQF_ERR_ENCRYPTED, 8);
    ck_assert_int_eq(PQF_ERR_NOMEM, 9);
    ck_assert_int_eq(PQF_ERR_INVALID_ARG, 10);
    ck_assert_int_eq(PQF_ERR_NO_COLUMN, 11);
    for (int c = 0; c < PQF_ERR__COUNT; c++) {
        ck_assert_str_eq(pqf_code_name((pqf_code)c), names[c]);
        const char *s = pqf_strerror((pqf_code)c);
        ck_assert_ptr_nonnull(s);
        ck_assert_uint_gt(strlen(s), 0);
        for (int d = 0; d < c; d++) ck_assert_str_ne(s, pqf_strerror((pqf_code)d));
    }
    const int bad[] = {PQF_ERR__COUNT, 99, -1, INT32_MAX, INT32_MIN};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        const char *nm = pqf_code_name((pqf_code)bad[k]);
        const char *s = pqf_strerror((pqf_code)bad[k]);
        ck_assert_ptr_nonnull(nm);
        ck_assert_ptr_nonnull(s);
        ck_assert_uint_gt(strlen(nm), 0);
        ck_assert_uint_gt(strlen(s), 0);
        for (int c = 0; c < PQF_ERR__COUNT; c++) ck_assert_str_ne(nm, names[c]);
    }
}
END_TEST

/* Path strings longer than the buffer are cut, still terminated. */
START_TEST(t_path_truncated_safely) {
    /* 40 nested unknown structs inside a schema element, the innermost cut short */
    fb w;
    fb_init(&w);
    fb_begin(&w);
    fb_i32f(&w, 1, 1);
    fb_listf(&w, 2, FB_STRUCT, 1);
    fb_begin(&w);
    fb_strf(&w, 4, "r");
    for (int d = 0; d < 40; d++) fb_structf(&w, (int16_t)(1000 + d));
    fb_field(&w, FB_BINARY, 5);
    fb_uvarint(&w, 100);
    size_t n;
    uint8_t *b = fb_take(&w, &n);
    pqf_error e;
    pqf_test_poison(&e);
    ck_assert_ptr_null(pqf_footer_decode(b, n, NULL, &e));
    ck_assert_int_eq(e.code, PQF_ERR_TRUNCATED);
    ck_assert_uint_eq(e.offset, n - 1);
    ck_assert_ptr_nonnull(memchr(e.path, '\0', sizeof e.path));
    ck_assert_msg(strncmp(e.path, "schema[0]", 9) == 0, "path %s", e.path);
    free(b);
}
END_TEST

/* ------------------------------------------------------------------ suite --- */

static Suite *make_suite(void) {
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("errors");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, t_std_footer_ok);
    tcase_add_test(tc, t_each_code);
    tcase_add_test(tc, t_paths_from_issue);
    tcase_add_test(tc, t_missing_required_every_struct);
    tcase_add_test(tc, t_missing_required_logical);
    tcase_add_test(tc, t_logical_wrong_wire_type);
    tcase_add_test(tc, t_negative_values);
    tcase_add_test(tc, t_column_count_mismatch);
    tcase_add_test(tc, t_path_in_schema);
    tcase_add_test(tc, t_path_checked_on_borrowed_layouts);
    tcase_add_test(tc, t_schema_tree_errors);
    tcase_add_test(tc, t_schema_tree_error_paths);
    tcase_add_test(tc, t_projection_errors);
    tcase_add_test(tc, t_projection_error_path);
    tcase_add_test(tc, t_invalid_args);
    tcase_add_test(tc, t_code_names);
    tcase_add_test(tc, t_path_truncated_safely);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
