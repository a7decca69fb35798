/*
 * make_seeds -- write the fuzz corpus seeds and the y_/n_ test footers.
 *
 *     build-fuzz/make_seeds corpus                 corpus/fuzz_{footer,tail,diff}/seed_*
 *     build-fuzz/make_seeds --data tests/data      tests/data/y_*.bin, n_*.bin
 *     build-fuzz/make_seeds --cut corpus F.parquet...   seeds cut from real files' footers
 *
 * Every footer is built field by field (tests/support/seed_shapes.h): no file from elsewhere is
 * copied. Each harness's seed carries that harness's option prefix (fuzz/README.md):
 * fuzz_footer two bytes, fuzz_diff one, fuzz_tail five followed by a file tail.
 * Deterministic: running it twice writes the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "seed_shapes.h"

static const char *g_root;
static int g_written;

static void die(const char *what, const char *path) {
    fprintf(stderr, "make_seeds: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void mkdir_p(const char *dir) {
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) die("cannot create", dir);
}

static void write_file(const char *dir, const char *name, const uint8_t *pre, size_t npre,
                       const uint8_t *data, size_t n, const uint8_t *post, size_t npost) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp) die("cannot write", path);
    if ((npre && fwrite(pre, 1, npre, fp) != npre) || (n && fwrite(data, 1, n, fp) != n) ||
        (npost && fwrite(post, 1, npost, fp) != npost))
        die("cannot write", path);
    if (fclose(fp) != 0) die("cannot close", path);
    g_written++;
}

/* fuzz_footer: options (2 bytes) + footer. */
static void seed_footer(const char *name, const fb *w, uint8_t o0, uint8_t p) {
    char dir[400], file[256];
    uint8_t pre[2] = {o0, p};
    snprintf(dir, sizeof dir, "%s/fuzz_footer", g_root);
    snprintf(file, sizeof file, "seed_%s_%02x%02x", name, o0, p);
    write_file(dir, file, pre, 2, w->buf, w->len, NULL, 0);
}

/* fuzz_diff: options (1 byte) + footer. */
static void seed_diff(const char *name, const fb *w, uint8_t o0) {
    char dir[400], file[256];
    snprintf(dir, sizeof dir, "%s/fuzz_diff", g_root);
    snprintf(file, sizeof file, "seed_%s_%02x", name, o0);
    write_file(dir, file, &o0, 1, w->buf, w->len, NULL, 0);
}

/* fuzz_tail: options (5 bytes) + the last bytes of a file. The image is the footer
 * and its trailer; `missing` bytes of the file come before it (mode 2). */
static void seed_tail(const char *name, const uint8_t *image, size_t n, uint8_t o0, uint8_t p,
                      uint32_t missing) {
    char dir[400], file[256];
    uint8_t pre[5] = {o0, p, (uint8_t)missing, (uint8_t)(missing >> 8), (uint8_t)(missing >> 16)};
    snprintf(dir, sizeof dir, "%s/fuzz_tail", g_root);
    snprintf(file, sizeof file, "seed_%s_%02x%02x", name, o0, p);
    write_file(dir, file, pre, 5, image, n, NULL, 0);
}

/* Seeds of one valid footer for all three harnesses. data_end is where the footer
 * starts in the file it describes. variant picks the extra option sets. */
static void seeds_for(const char *name, const fb *w, int64_t data_end, unsigned variant) {
    static const uint8_t variants[][2] = {
        {0x07, 0x00}, /* keep page index, bloom, kv */
        {0x17, 0x03}, /* + projection by path (group of column 3) */
        {0x20, 0x05}, /* projection by index */
        {0x30, 0x02}, /* both */
        {0x40, 0x20}, /* tiny memory cap */
        {0x80, 0x03}, /* allocator fails after 3 allocations */
        {0xC0, 0x05}, /* malloc, max_depth 6 */
        {0xCF, 0x7F}, /* malloc, max_depth 128, keep all, no path check */
        {0x88, 0x0C}, /* no path check, allocator fails after 12 */
    };
    const size_t nv = sizeof variants / sizeof variants[0];
    seed_footer(name, w, 0x00, 0x00);
    const uint8_t *v = variants[variant % nv];
    seed_footer(name, w, v[0], v[1]);
    seed_diff(name, w, 0x00);
    if (variant % 3 == 0) seed_diff(name, w, 0x07);

    /* The file's tail: footer, length, magic; the data region is not in the image. */
    fb t;
    fb_init(&t);
    fb_raw(&t, w->buf, w->len);
    fb_trailer(&t, (uint32_t)w->len, "PAR1");
    uint32_t missing = (uint32_t)data_end;
    seed_tail(name, t.buf, t.len, 0x02 | 0x04 | 0x08, (uint8_t)(variant * 37), missing);
    if (variant % 2 == 0) seed_tail(name, t.buf, t.len, 0x00 | 0x30, 0x41, 0); /* size unknown, short tail */
    fb_free(&t);
}

/* A whole file image (leading magic, zero data, footer, trailer) for the exact-size
 * tail mode; only for footers that describe little data. */
static void seed_tail_whole(const char *name, const fb *w, int64_t data_end, uint8_t p) {
    fb t;
    fb_init(&t);
    fb_raw(&t, "PAR1", 4);
    for (int64_t i = 4; i < data_end; i++) fb_u8(&t, (uint8_t)(i * 7));
    fb_raw(&t, w->buf, w->len);
    fb_trailer(&t, (uint32_t)w->len, "PAR1");
    seed_tail(name, t.buf, t.len, 0x01 | 0x50, p, 0);
    fb_free(&t);
}

typedef struct shape {
    const char *name;
    int schema;   /* 0 flat, 1 nested, 2 deep chain, 3 root only */
    int ncols;    /* flat */
    sh_opts o;
} shape;

static int build_schema(const shape *s, sh_node *nodes, char *names) {
    switch (s->schema) {
    case 1: return sh_nested_schema(nodes);
    case 2: {
        /* A chain of groups, each with one child, ending in a leaf: depth 14. */
        int depth = 14;
        for (int i = 0; i < depth; i++) {
            char *nm = names + (size_t)i * 12;
            snprintf(nm, 12, "g%d", i);
            sh_node g = SH_GROUP(nm, i ? SH_OPTIONAL : -1, 1);
            if (i == 0) g.name = "schema";
            if (i % 4 == 3) g.rep = SH_REPEATED;
            nodes[i] = g;
        }
        sh_node leaf = SH_LEAF("leaf", SH_INT32, SH_OPTIONAL);
        nodes[depth] = leaf;
        return depth + 1;
    }
    case 3: {
        sh_node root = SH_GROUP("root only", -1, 0);
        nodes[0] = root;
        return 1;
    }
    default: return sh_flat_schema(nodes, names, s->ncols);
    }
}

static void make_corpus(void) {
    static shape shapes[] = {
        {"minimal", 0, 1, {.nrg = 1, .rows = 3}},
        {"small", -1, 0, {.nrg = 0}},
        {"flat8_dict_stats", 0, 8, {.nrg = 3, .rows = 1000, .dict = 1, .stats = 1, .encoding_stats = 1,
                                    .created_by = 1, .kv = 3, .rg_extra = 1}},
        {"nested_all_types", 1, 0, {.nrg = 2, .rows = 50, .dict = 1, .stats = 2, .page_index = 1,
                                    .bloom = 1, .size_stats = 1, .geo_stats = 1, .created_by = 1}},
        {"many_rg", 0, 2, {.nrg = 90, .rows = 1, .dict = 1, .stats = 1, .created_by = 1}},
        {"many_rg_plain", 0, 1, {.nrg = 250, .rows = 1}},
        {"many_rg_vary", 0, 2, {.nrg = 60, .rows = 100, .stats = 2, .vary = 1, .dict = 1, .seed = 7}},
        {"wide", 0, 40, {.nrg = 2, .rows = 10, .dict = 1}},
        {"encrypted_cols", 0, 6, {.nrg = 2, .rows = 5, .encrypt_every = 3, .encryption = 1}},
        {"file_path", 0, 4, {.nrg = 3, .rows = 5, .file_path = 1, .page_index = 1}},
        {"rg_first", 0, 3, {.nrg = 2, .rows = 5, .rg_first = 1, .kv = 1}},
        {"extension", 0, 3, {.nrg = 2, .rows = 5, .extension = 1, .column_orders = 1, .sorting = 1,
                             .col_kv = 1, .index_page = 1, .fo_after = 1, .rg_extra = 1}},
        {"root_only", 3, 0, {.nrg = 0}},
        {"zero_rg", 0, 5, {.nrg = 0, .created_by = 1}},
        {"deep_chain", 2, 0, {.nrg = 2, .rows = 4, .stats = 1}},
        {"many_kv", 0, 2, {.nrg = 1, .rows = 1, .kv = 40, .created_by = 1}},
        {"wide_many_rg", 0, 12, {.nrg = 20, .rows = 2, .vary = 1, .seed = 3, .rg_extra = 1}},
        /* Offsets above 2^62 and 2^40 row counts: 10- and 6-byte varints in every chunk. */
        {"many_rg_bigvals", 0, 2, {.nrg = 40, .rows = (int64_t)1 << 40, .dict = 1,
                                   .base = ((int64_t)1 << 62) + 1000, .rg_extra = 1}},
        {"many_rg_bigvals_mid", 0, 3, {.nrg = 30, .rows = 1000000, .base = (int64_t)1 << 35,
                                       .page_index = 1, .bloom = 1, .vary = 1, .seed = 5}},
        /* Page index and bloom fields in every chunk: i32 values in the template path. */
        {"many_rg_index", 0, 3, {.nrg = 40, .rows = 10, .page_index = 1, .bloom = 1, .stats = 1,
                                 .dict = 1}},
        {"everything", 1, 0, {.nrg = 2, .rows = 9, .dict = 1, .stats = 1, .encoding_stats = 1,
                              .page_index = 1, .bloom = 1, .kv = 2, .col_kv = 1, .created_by = 1,
                              .rg_extra = 1, .sorting = 1, .column_orders = 1, .encrypt_every = 5,
                              .extension = 1, .size_stats = 1, .geo_stats = 1, .encryption = 1,
                              .vary = 1, .index_page = 1, .seed = 11}},
    };
    const size_t nshapes = sizeof shapes / sizeof shapes[0];
    static sh_node nodes[300];
    static char names[300 * 12];
    for (size_t i = 0; i < nshapes; i++) {
        const shape *s = &shapes[i];
        fb w;
        fb_init(&w);
        int64_t data_end;
        if (s->schema < 0) {
            data_end = sh_small(&w);
        } else {
            int n = build_schema(s, nodes, names);
            data_end = sh_footer(&w, nodes, n, &s->o);
        }
        seeds_for(s->name, &w, data_end, (unsigned)i);
        if (data_end < 4096) seed_tail_whole(s->name, &w, data_end, (uint8_t)(i * 13));
        if (i < 2) {
            /* The two smallest with every option set, for quick coverage of each mode. */
            static const uint8_t all[][2] = {{0x10, 0}, {0x11, 1}, {0x22, 0}, {0x33, 1}, {0x41, 0},
                                             {0x44, 0x30}, {0x80, 0}, {0x84, 1}, {0x80, 9},
                                             {0xC0, 0}, {0xC4, 2}, {0xCB, 0x40}};
            for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
                seed_footer(s->name, &w, all[k][0], all[k][1]);
        }
        fb_free(&w);
    }

    /* Tails that are not valid files. */
    fb w;
    fb_init(&w);
    sh_minimal(&w);
    size_t flen = w.len;
    fb_trailer(&w, (uint32_t)flen, "PARE");
    seed_tail("encrypted_footer", w.buf, w.len, 0x01, 0, 0);
    w.len = flen;
    fb_trailer(&w, (uint32_t)flen, "PAR0");
    seed_tail("bad_magic", w.buf, w.len, 0x01, 0, 0);
    w.len = flen;
    fb_trailer(&w, 0x7FFFFFF0u, "PAR1");
    seed_tail("length_past_file", w.buf, w.len, 0x02, 0x05, 100);
    seed_tail("length_unknown_size", w.buf, w.len, 0x00, 0x05, 0);
    w.len = flen;
    fb_trailer(&w, (uint32_t)flen + 3, "PAR1");
    seed_tail("length_too_long", w.buf, w.len, 0x02, 0x00, 40);
    seed_tail("short_tail", w.buf + w.len - 6, 6, 0x00, 0x00, 0);
    seed_tail("reader_fails", w.buf, w.len, 0x12, 0x40, 200);
    fb_free(&w);
}

/* ------------------------------------------------------------ test data --- */

static const char *g_data;

static void data_file(const char *name, const fb *w) {
    write_file(g_data, name, NULL, 0, w->buf, w->len, NULL, 0);
}

/* FileMetaData up to and including the schema of one INT32 leaf "a". */
static void head(fb *w) {
    fb_begin(w);
    fb_i32f(w, 1, 1);
    fb_listf(w, 2, FB_STRUCT, 2);
    fb_begin(w);
    fb_strf(w, 4, "schema");
    fb_i32f(w, 5, 1);
    fb_end(w);
    fb_begin(w);
    fb_i32f(w, 1, SH_INT32);
    fb_strf(w, 4, "a");
    fb_end(w);
    fb_i64f(w, 3, 0);
}

static void make_data(void) {
    fb w;
    fb_init(&w);
    sh_minimal(&w);
    data_file("y_minimal.bin", &w);
    fb_reset(&w);
    sh_small(&w);
    data_file("y_small.bin", &w);
    {
        size_t half = w.len / 2;
        w.len = half;
        data_file("n_truncated_half_of_small.bin", &w);
    }

    static sh_node nodes[64];
    static char names[64 * 12];
    sh_opts o;
    memset(&o, 0, sizeof o);
    o.nrg = 1;
    o.rows = 2;
    o.stats = 2;
    o.page_index = 1;
    fb_reset(&w);
    sh_footer(&w, nodes, sh_nested_schema(nodes), &o);
    data_file("y_nested_logical_types.bin", &w);

    memset(&o, 0, sizeof o);
    o.nrg = 2;
    o.rows = 2;
    o.extension = 1;
    o.rg_first = 1;
    fb_reset(&w);
    sh_footer(&w, nodes, sh_flat_schema(nodes, names, 3), &o);
    data_file("y_extension_fields_rg_first.bin", &w);

    /* Long-form field ids everywhere a delta would do. */
    fb_reset(&w);
    fb_begin(&w);
    fb_field_long(&w, FB_I32, 1);
    fb_i32(&w, 1);
    fb_field_long(&w, FB_LIST, 2);
    fb_list(&w, FB_STRUCT, 1);
    fb_begin(&w);
    fb_field_long(&w, FB_BINARY, 4);
    fb_str(&w, "root");
    fb_end(&w);
    fb_field_long(&w, FB_I64, 3);
    fb_i64(&w, 0);
    fb_field_long(&w, FB_LIST, 4);
    fb_list(&w, FB_STRUCT, 0);
    fb_end(&w);
    data_file("y_long_form_field_ids.bin", &w);

    /* No row groups, no columns: the root alone. */
    fb_reset(&w);
    head(&w);
    w.len = 0;
    fb_begin(&w);
    fb_i32f(&w, 1, 1);
    fb_listf(&w, 2, FB_STRUCT, 1);
    fb_begin(&w);
    fb_strf(&w, 4, "");
    fb_end(&w);
    fb_i64f(&w, 3, 0);
    fb_listf(&w, 4, FB_STRUCT, 0);
    fb_end(&w);
    data_file("y_root_only_empty_name.bin", &w);

    /* ---- rejected footers: n_<code>_<what>.bin ---- */
    fb_reset(&w);
    head(&w);
    fb_listf(&w, 4, FB_STRUCT, 0x7FFFFFFF); /* 2^31 - 1 row groups in a few bytes */
    fb_end(&w);
    data_file("n_truncated_row_groups_2pow31_minus_1.bin", &w);

    fb_reset(&w);
    head(&w);
    fb_listf(&w, 4, FB_STRUCT, 0x80000000u); /* 2^31: negative as an i32 */
    fb_end(&w);
    data_file("n_malformed_list_size_2pow31.bin", &w);

    fb_reset(&w);
    head(&w);
    fb_field(&w, FB_BINARY, 6);
    fb_uvarint(&w, (uint64_t)1 << 62); /* binary length 2^62 */
    fb_end(&w);
    data_file("n_malformed_binary_length_2pow62.bin", &w);

    fb_reset(&w);
    head(&w);
    fb_field(&w, FB_BINARY, 6);
    fb_uvarint(&w, 0x7FFFFFFF); /* fits an i32, not the bytes left */
    fb_end(&w);
    data_file("n_truncated_binary_length_2pow31_minus_1.bin", &w);

    fb_reset(&w);
    fb_begin(&w);
    for (int i = 0; i < 10000; i++) fb_u8(&w, 0x1C); /* field 1, struct, ... 10,000 deep */
    data_file("n_depth_struct_nesting_10000.bin", &w);

    fb_reset(&w);
    fb_begin(&w);
    fb_field(&w, FB_I32, 1);
    fb_raw(&w, "\x82\x80\x80\x80\x80\x00", 6); /* a 6-byte i32 */
    data_file("n_malformed_overlong_i32.bin", &w);

    fb_reset(&w);
    fb_begin(&w);
    fb_field(&w, FB_I32, 1);
    fb_raw(&w, "\xff\xff\xff\xff\x1f", 5); /* 35 bits in an i32 */
    data_file("n_malformed_i32_above_32_bits.bin", &w);

    fb_reset(&w);
    head(&w);
    fb_field(&w, FB_I64, 12);
    fb_raw(&w, "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 11); /* 11-byte i64 */
    data_file("n_malformed_overlong_i64.bin", &w);

    fb_reset(&w);
    head(&w);
    fb_raw(&w, "\x04\x80\x80\x80\x01", 5); /* long-form field id, a 4-byte i16 */
    data_file("n_malformed_overlong_field_id.bin", &w);

    for (int t = 13; t <= 15; t++) {
        char nm[64];
        fb_reset(&w);
        head(&w);
        fb_u8(&w, (uint8_t)(0x10 | t));
        snprintf(nm, sizeof nm, "n_malformed_type_nibble_%d.bin", t);
        data_file(nm, &w);
    }

    fb_reset(&w);
    head(&w);
    fb_field(&w, FB_MAP, 12);
    fb_uvarint(&w, 1);
    fb_u8(&w, 0xE5); /* key type 14 */
    fb_raw(&w, "\x00\x00\x00\x00", 4);
    data_file("n_malformed_map_key_type_14.bin", &w);

    fb_reset(&w);
    head(&w);
    fb_field(&w, FB_LIST, 12);
    fb_u8(&w, 0x2D); /* two elements of type 13 */
    fb_raw(&w, "\x00\x00\x00\x00", 4);
    data_file("n_malformed_list_elem_type_13.bin", &w);

    fb_reset(&w);
    fb_begin(&w);
    fb_i32f(&w, 1, 1);
    fb_listf(&w, 2, FB_STRUCT, 1);
    fb_begin(&w);
    fb_strf(&w, 4, "root");
    fb_end(&w);
    fb_i64f(&w, 3, -1);
    fb_listf(&w, 4, FB_STRUCT, 0);
    fb_end(&w);
    data_file("n_malformed_negative_num_rows.bin", &w);

    fb_reset(&w);
    fb_begin(&w);
    fb_i32f(&w, 1, 1);
    fb_listf(&w, 2, FB_STRUCT, 2);
    fb_begin(&w);
    fb_strf(&w, 4, "root");
    fb_i32f(&w, 5, 5); /* five children, one element follows */
    fb_end(&w);
    fb_begin(&w);
    fb_strf(&w, 4, "a");
    fb_end(&w);
    fb_i64f(&w, 3, 0);
    fb_listf(&w, 4, FB_STRUCT, 0);
    fb_end(&w);
    data_file("n_malformed_num_children_past_schema.bin", &w);

    fb_reset(&w);
    head(&w);
    fb_listf(&w, 4, FB_STRUCT, 0);
    fb_listf(&w, 18, FB_STRUCT, 0);  /* fine: unknown id 18 */
    fb_field_long(&w, FB_LIST, 2);      /* schema again */
    fb_list(&w, FB_STRUCT, 0);
    fb_end(&w);
    data_file("n_malformed_schema_twice.bin", &w);

    fb_reset(&w);
    fb_begin(&w);
    fb_listf(&w, 2, FB_STRUCT, 1);
    fb_begin(&w);
    fb_strf(&w, 4, "root");
    fb_end(&w);
    fb_i64f(&w, 3, 0);
    fb_listf(&w, 4, FB_STRUCT, 0);
    fb_end(&w);
    data_file("n_missing_version.bin", &w);

    /* A row group whose chunk names another column. */
    fb_reset(&w);
    head(&w);
    fb_listf(&w, 4, FB_STRUCT, 1);
    fb_begin(&w);
    fb_listf(&w, 1, FB_STRUCT, 1);
    fb_begin(&w);
    fb_i64f(&w, 2, 4);
    fb_structf(&w, 3);
    fb_i32f(&w, 1, SH_INT32);
    fb_listf(&w, 2, FB_I32, 1);
    fb_i32(&w, 0);
    fb_listf(&w, 3, FB_BINARY, 1);
    fb_str(&w, "b");
    fb_i32f(&w, 4, 0);
    fb_i64f(&w, 5, 1);
    fb_i64f(&w, 6, 10);
    fb_i64f(&w, 7, 10);
    fb_i64f(&w, 9, 4);
    fb_end(&w);
    fb_end(&w);
    fb_i64f(&w, 2, 10);
    fb_i64f(&w, 3, 1);
    fb_end(&w);
    fb_end(&w);
    data_file("n_malformed_path_in_schema_mismatch.bin", &w);

    /* A row group with two chunks for a one-leaf schema. */
    fb_reset(&w);
    head(&w);
    fb_listf(&w, 4, FB_STRUCT, 1);
    fb_begin(&w);
    fb_listf(&w, 1, FB_STRUCT, 2);
    for (int k = 0; k < 2; k++) {
        fb_begin(&w);
        fb_i64f(&w, 2, 4);
        fb_end(&w);
    }
    fb_i64f(&w, 2, 10);
    fb_i64f(&w, 3, 1);
    fb_end(&w);
    fb_end(&w);
    data_file("n_malformed_column_count.bin", &w);
    fb_free(&w);
}

/* -------------------------------------------------------------- cutting --- */

static void cut(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (!fp) die("cannot open", path);
    if (fseek(fp, 0, SEEK_END) != 0) die("cannot seek", path);
    long size = ftell(fp);
    if (size < 12) {
        fclose(fp);
        fprintf(stderr, "make_seeds: %s: too small, skipped\n", path);
        return;
    }
    uint8_t t[8];
    if (fseek(fp, size - 8, SEEK_SET) != 0 || fread(t, 1, 8, fp) != 8) die("cannot read", path);
    uint32_t n = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
    if (memcmp(t + 4, "PAR1", 4) != 0 || (long)n + 12 > size || n > (1u << 20)) {
        fclose(fp);
        fprintf(stderr, "make_seeds: %s: no plain footer (or over 1 MiB), skipped\n", path);
        return;
    }
    fb w;
    fb_init(&w);
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) die("out of memory for", path);
    if (fseek(fp, size - 8 - (long)n, SEEK_SET) != 0 || fread(buf, 1, n, fp) != n) die("cannot read", path);
    fclose(fp);
    fb_raw(&w, buf, n);
    free(buf);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char name[200];
    snprintf(name, sizeof name, "cut_%s", base);
    char *dot = strrchr(name, '.');
    if (dot) *dot = '\0';
    seeds_for(name, &w, size - 8 - (long)n, 0);
    fb_free(&w);
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "--data") == 0) {
        g_data = argv[2];
        mkdir_p(g_data);
        make_data();
    } else if (argc >= 4 && strcmp(argv[1], "--cut") == 0) {
        g_root = argv[2];
        for (int i = 3; i < argc; i++) cut(argv[i]);
    } else if (argc == 2 && argv[1][0] != '-') {
        g_root = argv[1];
        char dir[400];
        mkdir_p(g_root);
        snprintf(dir, sizeof dir, "%s/fuzz_footer", g_root);
        mkdir_p(dir);
        snprintf(dir, sizeof dir, "%s/fuzz_tail", g_root);
        mkdir_p(dir);
        snprintf(dir, sizeof dir, "%s/fuzz_diff", g_root);
        mkdir_p(dir);
        make_corpus();
    } else {
        fprintf(stderr, "usage: make_seeds CORPUS_DIR | --data DIR | --cut CORPUS_DIR FILE...\n");
        return 2;
    }
    fprintf(stderr, "make_seeds: wrote %d files\n", g_written);
    return 0;
}
