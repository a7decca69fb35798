/*
 * test_dataset.c -- the dataset layer: opening many files, schema interning,
 * global addressing, the .pqfi sidecar index (round trips, corruption,
 * truncation), staleness checks and updates, thread-count independence and
 * bad-file handling.
 *
 * Input files are written at run time into a temporary directory by
 * write_parquet() below (a FileMetaData from compact_writer.h after zero-filled
 * "pages"), so every case controls its schemas, row groups and row counts.
 * The Parquet files in tests/data and $PQF_TESTING/data (check_support.h) are used when
 * present and skipped otherwise.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include "check_support.h"
#include "compact_writer.h"
#include "getters.h"
#include "pqfoot_dataset.h"

#ifndef PQF_TEST_DATA
#define PQF_TEST_DATA "tests/data"
#endif

/* ------------------------------------------------------ a byte buffer --- */

/* Index sections and sink output; footers come from compact_writer.h. */
typedef struct wbuf {
    uint8_t *p;
    size_t len, cap;
} wbuf;

static void wb_put(wbuf *b, const void *d, size_t n) {
    if (b->cap - b->len < n) {
        size_t c = b->cap ? b->cap : 256;
        while (c - b->len < n) c *= 2;
        b->p = realloc(b->p, c);
        ck_assert_ptr_nonnull(b->p);
        b->cap = c;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

#define CHUNK_BYTES 16

/*
 * A flat file: ncols columns named "<prefix><i>" (INT64 when i is even,
 * DOUBLE otherwise), nrg row groups with rows[g] rows each. Chunks are
 * CHUNK_BYTES long, back to back after the leading magic.
 */
static void write_parquet(const char *path, const char *prefix, int ncols, int nrg,
                          const int64_t *rows) {
    fb f;
    fb_init(&f);
    int64_t total = 0;
    for (int g = 0; g < nrg; g++) total += rows[g];
    fb_i32f(&f, 1, 1); /* version */
    fb_listf(&f, 2, FB_STRUCT, (uint32_t)ncols + 1);
    fb_begin(&f);
    fb_strf(&f, 4, "schema");
    fb_i32f(&f, 5, ncols);
    fb_end(&f);
    char name[64];
    for (int c = 0; c < ncols; c++) {
        fb_begin(&f);
        fb_i32f(&f, 1, c % 2 ? 5 : 2); /* DOUBLE / INT64 */
        fb_i32f(&f, 3, 0);             /* REQUIRED */
        snprintf(name, sizeof name, "%s%d", prefix, c);
        fb_strf(&f, 4, name);
        fb_end(&f);
    }
    fb_i64f(&f, 3, total);
    fb_listf(&f, 4, FB_STRUCT, (uint32_t)nrg);
    for (int g = 0; g < nrg; g++) {
        fb_begin(&f);
        fb_listf(&f, 1, FB_STRUCT, (uint32_t)ncols);
        for (int c = 0; c < ncols; c++) {
            int64_t off = 4 + ((int64_t)g * ncols + c) * CHUNK_BYTES;
            fb_begin(&f);
            fb_i64f(&f, 2, off);
            fb_structf(&f, 3);
            fb_i32f(&f, 1, c % 2 ? 5 : 2);
            fb_listf(&f, 2, FB_I32, 1);
            fb_i32(&f, 0);
            fb_listf(&f, 3, FB_BINARY, 1);
            snprintf(name, sizeof name, "%s%d", prefix, c);
            fb_str(&f, name);
            fb_i32f(&f, 4, 0);
            fb_i64f(&f, 5, rows[g]);
            fb_i64f(&f, 6, CHUNK_BYTES);
            fb_i64f(&f, 7, CHUNK_BYTES);
            fb_i64f(&f, 9, off);
            fb_end(&f);
            fb_end(&f);
        }
        fb_i64f(&f, 2, (int64_t)ncols * CHUNK_BYTES);
        fb_i64f(&f, 3, rows[g]);
        fb_end(&f);
    }
    fb_end(&f);
    fb_trailer(&f, (uint32_t)f.len, "PAR1");

    FILE *fp = fopen(path, "wb");
    ck_assert_msg(fp != NULL, "cannot create %s", path);
    ck_assert_int_eq(fwrite("PAR1", 1, 4, fp), 4);
    static const uint8_t zero[CHUNK_BYTES];
    for (int k = 0; k < nrg * ncols; k++) ck_assert_int_eq(fwrite(zero, 1, CHUNK_BYTES, fp), CHUNK_BYTES);
    ck_assert_int_eq(fwrite(f.buf, 1, f.len, fp), f.len);
    ck_assert_int_eq(fclose(fp), 0);
    fb_free(&f);
}

/* Rows per group all equal to r. */
static void write_uniform(const char *path, const char *prefix, int ncols, int nrg, int64_t r) {
    int64_t rows[64];
    ck_assert_int_le(nrg, 64);
    for (int g = 0; g < nrg; g++) rows[g] = r;
    write_parquet(path, prefix, ncols, nrg, rows);
}

/* ------------------------------------------------------ temp directories --- */

static char tmp_root[256];

static void make_tmp(void) {
    const char *base = getenv("TMPDIR");
    snprintf(tmp_root, sizeof tmp_root, "%s/pqf-dataset-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmp_root));
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void remove_tmp(void) {
    if (tmp_root[0]) nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    tmp_root[0] = '\0';
}

/* tmp_root + "/" + rel, in one of a few rotating static buffers. */
static const char *tp(const char *rel) {
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", tmp_root, rel);
    return b;
}

static void mkdir_t(const char *rel) { ck_assert_int_eq(mkdir(tp(rel), 0777), 0); }

static uint8_t *slurp(const char *path, size_t *len) {
    uint8_t *b = pqf_test_read_file(path, len);
    ck_assert_msg(b != NULL, "cannot read %s", path);
    return b;
}

static void spit(const char *path, const uint8_t *b, size_t len) {
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    if (len) ck_assert_int_eq(fwrite(b, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
}

/* Shift a file's mtime by secs seconds. */
static void shift_mtime(const char *path, int secs) {
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    struct timespec t[2] = {st.st_atim, st.st_mtim};
    t[1].tv_sec += secs;
    ck_assert_int_eq(utimensat(AT_FDCWD, path, t, 0), 0);
}

/* --------------------------------------------------------- comparisons --- */

typedef struct mem_sink {
    uint8_t *p;
    size_t len, cap;
} mem_sink;

static int sink_write(void *ctx, const void *data, size_t len) {
    mem_sink *s = ctx;
    wbuf b = {s->p, s->len, s->cap};
    wb_put(&b, data, len);
    s->p = b.p;
    s->len = b.len;
    s->cap = b.cap;
    return 0;
}

/* Two footers hold the same model (byte-identical serializations). */
static int same_footer(const pqf_footer *a, const pqf_footer *b) {
    mem_sink x = {0}, y = {0};
    ck_assert_int_eq(pqf_footer_serialize(a, sink_write, &x), PQF_OK);
    ck_assert_int_eq(pqf_footer_serialize(b, sink_write, &y), PQF_OK);
    int same = x.len == y.len && memcmp(x.p, y.p, x.len) == 0;
    free(x.p);
    free(y.p);
    return same;
}

/* Both paths name the same file. */
static int same_file(const char *a, const char *b) {
    struct stat x, y;
    if (strcmp(a, b) == 0) return 1;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Everything a reader can see is equal between two datasets. Paths may be
 * spelled differently (an index stores absolute paths for files outside its
 * directory), and only a freshly opened dataset lists skipped files. */
static void assert_same_dataset(const pqf_dataset *a, const pqf_dataset *b) {
    ck_assert_uint_eq(pqf_dataset_file_count(a), pqf_dataset_file_count(b));
    ck_assert_uint_eq(pqf_dataset_schema_count(a), pqf_dataset_schema_count(b));
    ck_assert_uint_eq(pqf_dataset_row_group_count(a), pqf_dataset_row_group_count(b));
    ck_assert_uint_eq(pqf_dataset_row_count(a), pqf_dataset_row_count(b));
    for (size_t i = 0; i < pqf_dataset_file_count(a); i++) {
        ck_assert_msg(same_file(pqf_test_path(a, i), pqf_test_path(b, i)),
                      "%s vs %s", pqf_test_path(a, i), pqf_test_path(b, i));
        const pqf_footer *fa = pqf_test_footer(a, i), *f_b = pqf_test_footer(b, i);
        ck_assert_msg(same_footer(fa, f_b), "footer %zu differs", i);
        ck_assert_uint_eq(pqf_row_group_count(fa), pqf_row_group_count(f_b));
        for (size_t g = 0; g < pqf_row_group_count(fa); g++) {
            for (size_t c = 0; c < pqf_column_count(fa); c++) {
                pqf_chunk x, y;
                pqf_code ca = pqf_chunk_get(fa, g, c, &x), cb = pqf_chunk_get(f_b, g, c, &y);
                ck_assert_int_eq(ca, cb);
                if (ca == PQF_OK) {
                    ck_assert_int_eq(x.start, y.start);
                    ck_assert_int_eq(x.length, y.length);
                    ck_assert_int_eq(x.num_values, y.num_values);
                }
            }
        }
    }
    for (uint64_t g = 0; g < pqf_dataset_row_group_count(a); g++) {
        size_t f1, f2, r1, r2;
        ck_assert_int_eq(pqf_dataset_locate_row_group(a, g, &f1, &r1), PQF_OK);
        ck_assert_int_eq(pqf_dataset_locate_row_group(b, g, &f2, &r2), PQF_OK);
        ck_assert_uint_eq(f1, f2);
        ck_assert_uint_eq(r1, r2);
    }
    if (!pqf_dataset_failure_count(a) && !pqf_dataset_failure_count(b)) {
        int same_paths = 1;
        for (size_t i = 0; i < pqf_dataset_file_count(a); i++)
            same_paths &= strcmp(pqf_test_path(a, i), pqf_test_path(b, i)) == 0;
        if (same_paths) ck_assert_uint_eq(pqf_dataset_bytes(a), pqf_dataset_bytes(b));
    }
}

/* Brute-force check of both locate functions against the footers. */
static void assert_addressing(const pqf_dataset *ds) {
    uint64_t g = 0, row = 0;
    for (size_t i = 0; i < pqf_dataset_file_count(ds); i++) {
        const pqf_footer *f = pqf_test_footer(ds, i);
        for (size_t r = 0; r < pqf_row_group_count(f); r++, g++) {
            size_t fi = 99, ri = 99;
            ck_assert_int_eq(pqf_dataset_locate_row_group(ds, g, &fi, &ri), PQF_OK);
            ck_assert_uint_eq(fi, i);
            ck_assert_uint_eq(ri, r);
            pqf_row_group rg;
            ck_assert_int_eq(pqf_row_group_get(f, r, &rg), PQF_OK);
            for (int64_t k = 0; k < rg.num_rows; k++, row++) {
                size_t ff = 99, rr = 99;
                uint64_t in = 99;
                ck_assert_int_eq(pqf_dataset_locate_row(ds, row, &ff, &rr, &in), PQF_OK);
                ck_assert_uint_eq(ff, i);
                ck_assert_uint_eq(rr, r);
                ck_assert_uint_eq(in, (uint64_t)k);
            }
        }
    }
    ck_assert_uint_eq(g, pqf_dataset_row_group_count(ds));
    ck_assert_uint_eq(row, pqf_dataset_row_count(ds));
    size_t f, r;
    uint64_t in;
    ck_assert_int_eq(pqf_dataset_locate_row_group(ds, g, &f, &r), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_locate_row_group(ds, UINT64_MAX, &f, &r), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_locate_row(ds, row, &f, &r, &in), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_locate_row(ds, UINT64_MAX, &f, &r, &in), PQF_ERR_INVALID_ARG);
}

static void save_ok(const pqf_dataset *ds, const char *path) {
    pqf_error err;
    pqf_code rc = pqf_dataset_save(ds, path, &err);
    ck_assert_msg(rc == PQF_OK, "save %s: %s", path, err.msg);
}

static pqf_dataset *load_ok(const char *path) {
    pqf_error err;
    pqf_dataset *ds = pqf_dataset_load(path, NULL, &err);
    ck_assert_msg(ds != NULL, "load %s: %s at %s", path, err.msg, err.path);
    ck_assert_int_eq(err.code, PQF_OK);
    return ds;
}

static pqf_dataset *open_dir_ok(const char *dir, const pqf_dataset_options *o) {
    pqf_error err;
    pqf_dataset *ds = pqf_dataset_open_dir(dir, o, &err);
    ck_assert_msg(ds != NULL, "open %s: %s", dir, err.msg);
    return ds;
}

/* ------------------------------------------------- a generated dataset --- */

/*
 * Three schemas ("a" x4 columns, "b" x2, "a" x3), a file with no row group,
 * uneven row groups, a zero-row row group in the middle, and files of the
 * first schema repeated so they share it.
 */
static void make_mixed_dataset(const char *dir) {
    char p[512];
    int64_t uneven[] = {5, 7, 0, 3};
    int64_t last_small[] = {4, 4, 4, 1};
    snprintf(p, sizeof p, "%s/a1.parquet", dir);
    write_uniform(p, "a", 4, 3, 10);
    snprintf(p, sizeof p, "%s/a2.parquet", dir);
    write_parquet(p, "a", 4, 4, uneven);
    snprintf(p, sizeof p, "%s/b1.parquet", dir);
    write_uniform(p, "b", 2, 2, 1);
    snprintf(p, sizeof p, "%s/empty.parquet", dir);
    write_parquet(p, "a", 4, 0, NULL);
    snprintf(p, sizeof p, "%s/a3.parquet", dir);
    write_parquet(p, "a", 4, 4, last_small);
    snprintf(p, sizeof p, "%s/c1.parquet", dir);
    write_uniform(p, "a", 3, 1, 2);
    snprintf(p, sizeof p, "%s/zero.parquet", dir);
    write_uniform(p, "a", 4, 2, 0);
}

START_TEST(test_open_and_intern) {
    make_tmp();
    mkdir_t("d");
    make_mixed_dataset(tp("d"));
    pqf_dataset *ds = open_dir_ok(tp("d"), NULL);
    ck_assert_uint_eq(pqf_dataset_file_count(ds), 7);
    /* sorted by path */
    ck_assert_str_eq(pqf_test_path(ds, 0), tp("d/a1.parquet"));
    ck_assert_str_eq(pqf_test_path(ds, 6), tp("d/zero.parquet"));
    pqf_dataset_file df;
    ck_assert_int_eq(pqf_dataset_file_get(ds, 7, &df), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_file_get(ds, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_file_get(NULL, 0, &df), PQF_ERR_INVALID_ARG);
    /* first_row_group / first_row: the running sums of the files before */
    uint64_t rgs = 0, rows = 0;
    for (size_t i = 0; i < pqf_dataset_file_count(ds); i++) {
        df = pqf_test_file(ds, i);
        ck_assert_uint_eq(df.first_row_group, rgs);
        ck_assert_uint_eq(df.first_row, rows);
        rgs += pqf_row_group_count(df.footer);
        for (size_t g = 0; g < pqf_row_group_count(df.footer); g++) {
            pqf_row_group rg;
            ck_assert_int_eq(pqf_row_group_get(df.footer, g, &rg), PQF_OK);
            rows += (uint64_t)rg.num_rows;
        }
    }
    ck_assert_uint_eq(rgs, pqf_dataset_row_group_count(ds));
    ck_assert_uint_eq(rows, pqf_dataset_row_count(ds));
    /* a (4 cols), b, a (3 cols) */
    ck_assert_uint_eq(pqf_dataset_schema_count(ds), 3);
    ck_assert_uint_eq(pqf_dataset_row_group_count(ds), 3 + 4 + 4 + 2 + 0 + 1 + 2);
    ck_assert_uint_eq(pqf_dataset_row_count(ds), 30 + 15 + 13 + 2 + 0 + 2 + 0);
    ck_assert_uint_eq(pqf_dataset_failure_count(ds), 0);
    assert_addressing(ds);

    /* Files of one schema share one schema block (the same names in
     * memory); other schemas have their own. */
    const pqf_footer *fa1 = pqf_test_footer(ds, 0), *fa2 = pqf_test_footer(ds, 1);
    const pqf_footer *fb1 = pqf_test_footer(ds, 3), *fzero = pqf_test_footer(ds, 6);
    ck_assert_ptr_eq(pqf_test_se(fa1, 0).name.ptr, pqf_test_se(fa2, 0).name.ptr);
    ck_assert_ptr_eq(pqf_test_se(fa1, 0).name.ptr, pqf_test_se(fzero, 0).name.ptr);
    ck_assert_ptr_ne(pqf_test_se(fa1, 0).name.ptr, pqf_test_se(fb1, 0).name.ptr);
    save_ok(ds, tp("d/i.pqfi"));
    pqf_dataset *back = load_ok(tp("d/i.pqfi"));
    ck_assert_uint_eq(pqf_dataset_schema_count(back), 3);
    ck_assert_ptr_eq(pqf_test_se(pqf_test_footer(back, 0), 0).name.ptr,
                     pqf_test_se(pqf_test_footer(back, 6), 0).name.ptr);
    ck_assert_ptr_ne(pqf_test_se(pqf_test_footer(back, 0), 0).name.ptr,
                     pqf_test_se(pqf_test_footer(back, 4), 0).name.ptr);
    pqf_dataset_free(back);

    /* Files of one schema share its memory: the dataset holds less than the
     * footers would on their own. */
    size_t alone = 0;
    for (size_t i = 0; i < pqf_dataset_file_count(ds); i++)
        alone += pqf_footer_bytes(pqf_test_footer(ds, i));
    size_t sb = pqf_footer_schema_bytes(pqf_test_footer(ds, 0));
    ck_assert_uint_lt(pqf_dataset_bytes(ds) + 3 * sb, alone + 4096);
    pqf_dataset_free(ds);
    remove_tmp();
}
END_TEST

START_TEST(test_round_trip) {
    make_tmp();
    mkdir_t("d");
    make_mixed_dataset(tp("d"));
    /* No projection, a projection by name (a file lacking it is skipped), and
     * one by index. */
    const char *cols[] = {"a1"};
    const uint32_t idx[] = {0};
    for (int variant = 0; variant < 3; variant++) {
        pqf_dataset_options o;
        memset(&o, 0, sizeof o);
        if (variant == 1) {
            o.footer.columns = cols;
            o.footer.num_columns = 1;
        } else if (variant == 2) {
            o.footer.column_indexes = idx;
            o.footer.num_column_indexes = 1;
        }
        o.on_error = NULL;
        pqf_error err;
        pqf_dataset *ds = pqf_dataset_open_dir(tp("d"), &o, &err);
        if (variant == 1) {
            /* "a1" does not exist in b1.parquet: the open aborts there. */
            ck_assert_ptr_null(ds);
            ck_assert_int_eq(err.code, PQF_ERR_NO_COLUMN);
            continue;
        }
        ck_assert_ptr_nonnull(ds);
        save_ok(ds, tp("d/data.pqfi"));
        pqf_dataset *back = load_ok(tp("d/data.pqfi"));
        assert_same_dataset(ds, back);
        assert_addressing(back);
        if (variant == 2) {
            const pqf_footer *f = pqf_test_footer(back, 0);
            ck_assert_uint_eq(pqf_projected_count(f), 1);
        }
        /* Saving what was loaded gives the same bytes. */
        save_ok(back, tp("d/again.pqfi"));
        size_t n1, n2;
        uint8_t *b1 = slurp(tp("d/data.pqfi"), &n1), *b2 = slurp(tp("d/again.pqfi"), &n2);
        ck_assert_uint_eq(n1, n2);
        ck_assert_mem_eq(b1, b2, n1);
        free(b1);
        free(b2);
        unlink(tp("d/again.pqfi"));
        pqf_dataset_free(back);
        pqf_dataset_free(ds);
    }
    remove_tmp();
}
END_TEST

static int skip_all(void *ctx, const char *path, const pqf_error *err) {
    (void)path;
    (void)err;
    if (ctx) ++*(int *)ctx;
    return 0;
}

START_TEST(test_projection_skip) {
    make_tmp();
    mkdir_t("d");
    make_mixed_dataset(tp("d"));
    const char *cols[] = {"a1", "a3"};
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer.columns = cols;
    o.footer.num_columns = 2;
    int calls = 0;
    o.on_error = skip_all;
    o.on_error_ctx = &calls;
    pqf_dataset *ds = open_dir_ok(tp("d"), &o);
    /* b1 has no a1, c1 has no a3 */
    ck_assert_int_eq(calls, 2);
    ck_assert_uint_eq(pqf_dataset_failure_count(ds), 2);
    pqf_error e;
    ck_assert_str_eq(pqf_test_failure(ds, 0, &e), tp("d/b1.parquet"));
    ck_assert_int_eq(e.code, PQF_ERR_NO_COLUMN);
    ck_assert_str_eq(pqf_test_failure(ds, 1, &e), tp("d/c1.parquet"));
    pqf_dataset_failure fl;
    ck_assert_int_eq(pqf_dataset_failure_get(ds, 2, &fl), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_failure_get(ds, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(pqf_dataset_file_count(ds), 5);
    ck_assert_uint_eq(pqf_dataset_schema_count(ds), 1);
    ck_assert_uint_eq(pqf_projected_count(pqf_test_footer(ds, 0)), 2);
    save_ok(ds, tp("p.pqfi"));
    pqf_dataset *back = load_ok(tp("p.pqfi"));
    assert_same_dataset(ds, back);
    /* The recorded projection survives: an update decodes with it. */
    shift_mtime(tp("d/a2.parquet"), 5);
    pqf_dataset *up = pqf_dataset_update(back, &o, &e);
    ck_assert_ptr_nonnull(up);
    ck_assert_uint_eq(pqf_projected_count(pqf_test_footer(up, 1)), 2);
    ck_assert_uint_eq(pqf_dataset_schema_count(up), 1);
    pqf_dataset_free(up);
    pqf_dataset_free(back);
    pqf_dataset_free(ds);
    remove_tmp();
}
END_TEST

START_TEST(test_empty_dataset) {
    make_tmp();
    mkdir_t("d");
    pqf_error err;
    pqf_dataset *ds = pqf_dataset_open(NULL, 0, NULL, &err);
    ck_assert_ptr_nonnull(ds);
    ck_assert_int_eq(err.code, PQF_OK);
    ck_assert_uint_eq(pqf_dataset_file_count(ds), 0);
    ck_assert_uint_eq(pqf_dataset_row_group_count(ds), 0);
    size_t f, r;
    uint64_t in;
    ck_assert_int_eq(pqf_dataset_locate_row_group(ds, 0, &f, &r), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_locate_row(ds, 0, &f, &r, &in), PQF_ERR_INVALID_ARG);
    save_ok(ds, tp("e.pqfi"));
    pqf_dataset *back = load_ok(tp("e.pqfi"));
    assert_same_dataset(ds, back);
    pqf_dataset_free(back);
    pqf_dataset_free(ds);
    ds = open_dir_ok(tp("d"), NULL);
    ck_assert_uint_eq(pqf_dataset_file_count(ds), 0);
    pqf_dataset_free(ds);
    /* NULL arguments */
    const char *none[] = {NULL};
    ck_assert_ptr_null(pqf_dataset_open(none, 1, NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_INVALID_ARG);
    ck_assert_ptr_null(pqf_dataset_open(NULL, 1, NULL, &err));
    ck_assert_ptr_null(pqf_dataset_open_dir(NULL, NULL, &err));
    ck_assert_ptr_null(pqf_dataset_load(NULL, NULL, &err));
    ck_assert_int_eq(pqf_dataset_save(NULL, "x", &err), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(pqf_dataset_file_count(NULL), 0);
    ck_assert_uint_eq(pqf_dataset_bytes(NULL), 0);
    pqf_dataset_free(NULL);
    ck_assert_ptr_null(pqf_dataset_open_dir(tp("nope"), NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_IO);
    remove_tmp();
}
END_TEST

START_TEST(test_addressing_edges) {
    make_tmp();
    mkdir_t("d");
    /* Empty files first, between and last; zero-row groups at both ends. */
    int64_t r1[] = {0, 3, 0, 0, 2, 0};
    int64_t r2[] = {1};
    int64_t r3[] = {2, 2, 2, 2, 2};
    int64_t r4[] = {6, 1, 6};
    write_parquet(tp("d/0.parquet"), "x", 1, 0, NULL);
    write_parquet(tp("d/1.parquet"), "x", 1, 6, r1);
    write_parquet(tp("d/2.parquet"), "x", 1, 0, NULL);
    write_parquet(tp("d/3.parquet"), "x", 1, 1, r2);
    write_parquet(tp("d/4.parquet"), "x", 1, 5, r3);
    write_parquet(tp("d/5.parquet"), "x", 1, 3, r4);
    write_uniform(tp("d/6.parquet"), "x", 1, 2, 0);
    write_parquet(tp("d/7.parquet"), "x", 1, 0, NULL);
    pqf_dataset *ds = open_dir_ok(tp("d"), NULL);
    ck_assert_uint_eq(pqf_dataset_schema_count(ds), 1);
    ck_assert_uint_eq(pqf_dataset_row_group_count(ds), 6 + 1 + 5 + 3 + 2);
    ck_assert_uint_eq(pqf_dataset_row_count(ds), 5 + 1 + 10 + 13);
    assert_addressing(ds);
    size_t f, r;
    uint64_t in;
    ck_assert_int_eq(pqf_dataset_locate_row(ds, 0, &f, &r, &in), PQF_OK);
    ck_assert_uint_eq(f, 1);
    ck_assert_uint_eq(r, 1);
    ck_assert_int_eq(pqf_dataset_locate_row_group(ds, 0, &f, &r), PQF_OK);
    ck_assert_uint_eq(f, 1);
    ck_assert_uint_eq(r, 0);
    ck_assert_int_eq(pqf_dataset_locate_row_group(ds, 16, &f, &r), PQF_OK);
    ck_assert_uint_eq(f, 6);
    ck_assert_uint_eq(r, 1);
    /* NULL outputs are allowed */
    ck_assert_int_eq(pqf_dataset_locate_row(ds, 28, NULL, NULL, NULL), PQF_OK);
    ck_assert_int_eq(pqf_dataset_locate_row_group(ds, 3, NULL, NULL), PQF_OK);
    save_ok(ds, tp("a.pqfi"));
    pqf_dataset *back = load_ok(tp("a.pqfi"));
    assert_addressing(back);
    pqf_dataset_free(back);
    pqf_dataset_free(ds);
    remove_tmp();
}
END_TEST

/* ------------------------------------------------------- bad files --- */

static int abort_all(void *ctx, const char *path, const pqf_error *err) {
    (void)err;
    if (ctx) snprintf(ctx, 512, "%s", path);
    return 1;
}

START_TEST(test_bad_files) {
    make_tmp();
    mkdir_t("d");
    write_uniform(tp("d/1.parquet"), "a", 2, 2, 3);
    spit(tp("d/2.parquet"), (const uint8_t *)"not parquet at all", 18);
    write_uniform(tp("d/3.parquet"), "a", 2, 2, 3);
    spit(tp("d/4.parquet"), (const uint8_t *)"PAR1", 4);
    write_uniform(tp("d/5.parquet"), "a", 2, 1, 3);
    for (uint32_t threads = 1; threads <= 4; threads += 3) {
        pqf_dataset_options o;
        memset(&o, 0, sizeof o);
        o.threads = threads;
        pqf_error err;
        /* No callback: abort at the first bad file. */
        pqf_test_poison(&err);
        ck_assert_ptr_null(pqf_dataset_open_dir(tp("d"), &o, &err));
        ck_assert_int_eq(err.code, PQF_ERR_NOT_PARQUET);
        /* A callback that aborts sees that path. */
        char seen[512] = "";
        o.on_error = abort_all;
        o.on_error_ctx = seen;
        ck_assert_ptr_null(pqf_dataset_open_dir(tp("d"), &o, &err));
        ck_assert_str_eq(seen, tp("d/2.parquet"));
        /* Skipping keeps the good ones. */
        int calls = 0;
        o.on_error = skip_all;
        o.on_error_ctx = &calls;
        pqf_dataset *ds = pqf_dataset_open_dir(tp("d"), &o, &err);
        ck_assert_ptr_nonnull(ds);
        ck_assert_int_eq(calls, 2);
        ck_assert_uint_eq(pqf_dataset_file_count(ds), 3);
        ck_assert_uint_eq(pqf_dataset_failure_count(ds), 2);
        ck_assert_str_eq(pqf_test_failure(ds, 1, &err), tp("d/4.parquet"));
        ck_assert_int_ne(err.code, PQF_OK);
        ck_assert_str_eq(pqf_test_path(ds, 2), tp("d/5.parquet"));
        pqf_dataset_free(ds);
        /* Missing files and directories given as files. */
        const char *paths[] = {tp("d/1.parquet"), tp("d/missing.parquet"), tp("d")};
        calls = 0;
        ds = pqf_dataset_open(paths, 3, &o, &err);
        ck_assert_ptr_nonnull(ds);
        ck_assert_int_eq(calls, 2);
        ck_assert_uint_eq(pqf_dataset_file_count(ds), 1);
        pqf_test_failure(ds, 0, &err);
        ck_assert_int_eq(err.code, PQF_ERR_IO);
        pqf_dataset_free(ds);
    }
    remove_tmp();
}
END_TEST

/* ------------------------------------------------ thread independence --- */

typedef struct progress_log {
    size_t calls, last_done, total;
    int ordered;
} progress_log;

static void on_progress(void *ctx, size_t done, size_t total) {
    progress_log *p = ctx;
    if (done != p->last_done + 1) p->ordered = 0;
    p->calls++;
    p->last_done = done;
    p->total = total;
}

START_TEST(test_threads_same_bytes) {
    make_tmp();
    mkdir_t("d");
    mkdir_t("d/sub");
    char p[64];
    for (int i = 0; i < 24; i++) {
        snprintf(p, sizeof p, "d/%s%02d.parquet", i % 3 ? "" : "sub/", i);
        int64_t rows[5] = {i + 1, 2, 3, (i % 4), 1};
        write_parquet(tp(p), i % 5 ? "a" : "b", 3 + i % 2, 1 + i % 5, rows);
    }
    spit(tp("d/bad.parquet"), (const uint8_t *)"xx", 2);
    uint8_t *first = NULL;
    size_t first_len = 0;
    for (uint32_t threads = 1; threads <= 8; threads *= 2) {
        pqf_dataset_options o;
        memset(&o, 0, sizeof o);
        o.threads = threads;
        o.on_error = skip_all;
        progress_log pl = {0, 0, 0, 1};
        o.progress = on_progress;
        o.progress_ctx = &pl;
        pqf_dataset *ds = open_dir_ok(tp("d"), &o);
        ck_assert_uint_eq(pl.calls, 25);
        ck_assert_uint_eq(pl.total, 25);
        ck_assert_int_eq(pl.ordered, 1);
        ck_assert_uint_eq(pqf_dataset_file_count(ds), 24);
        save_ok(ds, tp("t.pqfi"));
        size_t n;
        uint8_t *b = slurp(tp("t.pqfi"), &n);
        if (!first) {
            first = b;
            first_len = n;
        } else {
            ck_assert_uint_eq(n, first_len);
            ck_assert_msg(memcmp(b, first, n) == 0, "index bytes differ with %u threads", threads);
            free(b);
        }
        pqf_dataset_free(ds);
    }
    free(first);
    remove_tmp();
}
END_TEST

/* ------------------------------------------------------ index surgery --- */

/* The container as docs/index-format.md lays it out. */
#define H_SIZE 32
#define E_SIZE 40
#define NSEC 7

typedef struct idx_parts {
    uint8_t *raw[NSEC + 1];
    size_t len[NSEC + 1];
    uint32_t version, flags;
} idx_parts;

static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static void wr32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void wr64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void parts_split(const uint8_t *d, size_t n, idx_parts *ip) {
    memset(ip, 0, sizeof *ip);
    ck_assert_uint_ge(n, H_SIZE + NSEC * E_SIZE + 8);
    ck_assert_uint_eq(rd32(d + 24), NSEC);
    ip->version = rd32(d + 8);
    ip->flags = rd32(d + 12);
    for (int s = 0; s < NSEC; s++) {
        const uint8_t *e = d + H_SIZE + s * E_SIZE;
        ck_assert_uint_eq(rd32(e), (uint32_t)s + 1);
        uint64_t off = rd64(e + 8), zl = rd64(e + 16), rl = rd64(e + 24);
        ip->raw[s + 1] = malloc(rl ? rl : 1);
        ip->len[s + 1] = rl;
        size_t got = ZSTD_decompress(ip->raw[s + 1], rl ? rl : 1, d + off, zl);
        ck_assert(!ZSTD_isError(got));
        ck_assert_uint_eq(got, rl);
    }
}

static void parts_free(idx_parts *ip) {
    for (int s = 1; s <= NSEC; s++) free(ip->raw[s]);
}

/* A well-formed container around whatever the sections hold. */
static uint8_t *parts_join(const idx_parts *ip, size_t *out_len) {
    size_t total = H_SIZE + NSEC * E_SIZE + 8;
    uint8_t *z[NSEC + 1];
    size_t zl[NSEC + 1];
    for (int s = 1; s <= NSEC; s++) {
        size_t b = ZSTD_compressBound(ip->len[s]);
        z[s] = malloc(b);
        zl[s] = ZSTD_compress(z[s], b, ip->raw[s], ip->len[s], 1);
        ck_assert(!ZSTD_isError(zl[s]));
        total += zl[s];
    }
    uint8_t *d = calloc(1, total);
    static const uint8_t magic[8] = {'P', 'Q', 'F', 'I', 0x0D, 0x0A, 0x1A, 0x0A};
    memcpy(d, magic, 8);
    wr32(d + 8, ip->version);
    wr32(d + 12, ip->flags);
    wr64(d + 16, total);
    wr32(d + 24, NSEC);
    wr32(d + 28, H_SIZE + NSEC * E_SIZE);
    size_t off = H_SIZE + NSEC * E_SIZE;
    for (int s = 1; s <= NSEC; s++) {
        uint8_t *e = d + H_SIZE + (s - 1) * E_SIZE;
        wr32(e, (uint32_t)s);
        wr32(e + 4, 1);
        wr64(e + 8, off);
        wr64(e + 16, zl[s]);
        wr64(e + 24, ip->len[s]);
        wr64(e + 32, XXH64(ip->raw[s], ip->len[s], 0));
        memcpy(d + off, z[s], zl[s]);
        off += zl[s];
        free(z[s]);
    }
    wr64(d + off, XXH64(d, off, 0));
    *out_len = total;
    return d;
}

/* Fix the whole-file checksum after an edit. */
static void reseal(uint8_t *d, size_t n) { wr64(d + n - 8, XXH64(d, n - 8, 0)); }

/*
 * Addressing stays inside the dataset: every global row group and a sample of
 * global rows map to existing files, row groups and rows. (A tampered index
 * with valid checksums may still load: its row layout is checked against its
 * totals, not against the footers, so only bounds are asserted.)
 */
static void assert_addressing_bounds(const pqf_dataset *ds) {
    uint64_t nrg = pqf_dataset_row_group_count(ds), nrows = pqf_dataset_row_count(ds);
    for (uint64_t g = 0; g < nrg; g++) {
        size_t f, r;
        ck_assert_int_eq(pqf_dataset_locate_row_group(ds, g, &f, &r), PQF_OK);
        ck_assert_uint_lt(f, pqf_dataset_file_count(ds));
        ck_assert_uint_lt(r, pqf_row_group_count(pqf_test_footer(ds, f)));
    }
    uint64_t step = nrows / 1000 + 1;
    for (uint64_t row = 0; row < nrows; row += step) {
        size_t f, r;
        uint64_t in;
        ck_assert_int_eq(pqf_dataset_locate_row(ds, row, &f, &r, &in), PQF_OK);
        ck_assert_uint_lt(f, pqf_dataset_file_count(ds));
        ck_assert_uint_lt(r, pqf_row_group_count(pqf_test_footer(ds, f)));
    }
}

/* Load bytes written to a file; returns the error code (PQF_OK on success). */
static pqf_code try_load(const uint8_t *d, size_t n, pqf_error *err) {
    spit(tp("idx/probe.pqfi"), d, n);
    pqf_test_poison(err);
    pqf_dataset *ds = pqf_dataset_load(tp("idx/probe.pqfi"), NULL, err);
    if (ds) {
        ck_assert_int_eq(err->code, PQF_OK);
        assert_addressing_bounds(ds);
        pqf_dataset_free(ds);
        return PQF_OK;
    }
    ck_assert_int_ne(err->code, PQF_OK);
    ck_assert_ptr_nonnull(err->msg);
    ck_assert(memchr(err->path, 0, sizeof err->path) != NULL);
    return err->code;
}

/* A small index of two files (two schemas) under tmp/idx. */
static uint8_t *small_index(size_t *n) {
    mkdir_t("idx");
    int64_t rows[] = {2, 3};
    write_parquet(tp("idx/a.parquet"), "a", 2, 2, rows);
    write_uniform(tp("idx/b.parquet"), "b", 1, 1, 4);
    pqf_dataset *ds = open_dir_ok(tp("idx"), NULL);
    save_ok(ds, tp("idx/s.pqfi"));
    pqf_dataset_free(ds);
    return slurp(tp("idx/s.pqfi"), n);
}

START_TEST(test_truncations) {
    make_tmp();
    size_t n;
    uint8_t *d = small_index(&n);
    pqf_error err;
    ck_assert_int_eq(try_load(d, n, &err), PQF_OK);
    for (size_t k = 0; k < n; k++) {
        pqf_code c = try_load(d, k, &err);
        ck_assert_msg(c == PQF_ERR_TRUNCATED || c == PQF_ERR_MALFORMED, "prefix %zu: %s", k, err.msg);
        if (k >= 8) ck_assert_int_eq(c, PQF_ERR_TRUNCATED);
    }
    /* one byte too many */
    uint8_t *e = malloc(n + 1);
    memcpy(e, d, n);
    e[n] = 0;
    ck_assert_int_eq(try_load(e, n + 1, &err), PQF_ERR_MALFORMED);
    free(e);
    free(d);
    remove_tmp();
}
END_TEST

START_TEST(test_flipped_bytes) {
    make_tmp();
    size_t n;
    uint8_t *d = small_index(&n);
    pqf_error err;
    /* Any flipped bit anywhere: the whole-file checksum (or the header checks
     * before it) refuses the file. */
    for (size_t k = 0; k < n; k++) {
        d[k] ^= 0x10;
        ck_assert_msg(try_load(d, n, &err) != PQF_OK, "flip at %zu loaded", k);
        d[k] ^= 0x10;
    }
    /* Flips inside each section with the file checksum fixed up: the section's
     * own checksum or zstd refuses them. */
    for (int s = 0; s < NSEC; s++) {
        const uint8_t *e = d + H_SIZE + s * E_SIZE;
        uint64_t off = rd64(e + 8), zl = rd64(e + 16);
        for (uint64_t k = off; k < off + zl; k++) {
            d[k] ^= 0x01;
            reseal(d, n);
            /* A flip zstd ignores (a reserved bit) leaves the contents, and
             * so their checksum, unchanged: that file may load. */
            pqf_code c = try_load(d, n, &err);
            ck_assert_msg(c == PQF_ERR_MALFORMED || c == PQF_OK, "section %d byte %llu: %s", s + 1,
                          (unsigned long long)k, err.msg);
            d[k] ^= 0x01;
        }
        /* wrong stored checksum */
        uint8_t *sum = d + H_SIZE + s * E_SIZE + 32;
        sum[3] ^= 0xFF;
        reseal(d, n);
        ck_assert_int_eq(try_load(d, n, &err), PQF_ERR_MALFORMED);
        ck_assert_str_eq(err.msg, "index section checksum mismatch");
        sum[3] ^= 0xFF;
        reseal(d, n);
    }
    ck_assert_int_eq(try_load(d, n, &err), PQF_OK);
    /* header fields */
    wr32(d + 8, 1); /* version 1 had no skipped-file section */
    reseal(d, n);
    ck_assert_int_eq(try_load(d, n, &err), PQF_ERR_MALFORMED);
    ck_assert_str_eq(err.msg, "unsupported index version");
    wr32(d + 8, 3);
    reseal(d, n);
    ck_assert_int_eq(try_load(d, n, &err), PQF_ERR_MALFORMED);
    wr32(d + 8, 2);
    wr32(d + 12, 1);
    reseal(d, n);
    ck_assert_int_eq(try_load(d, n, &err), PQF_ERR_MALFORMED);
    wr32(d + 12, 0);
    reseal(d, n);
    d[0] = 'X';
    ck_assert_int_eq(try_load(d, n, &err), PQF_ERR_MALFORMED);
    ck_assert_str_eq(err.msg, "not a pqfoot index (bad magic)");
    free(d);
    remove_tmp();
}
END_TEST

/* Rewrite one section's raw bytes and check the loader's verdict. */
static pqf_code with_section(const idx_parts *orig, int sec, const uint8_t *raw, size_t len,
                             pqf_error *err) {
    idx_parts ip = *orig;
    ip.raw[sec] = (uint8_t *)raw;
    ip.len[sec] = len;
    size_t n;
    uint8_t *d = parts_join(&ip, &n);
    pqf_code c = try_load(d, n, err);
    free(d);
    return c;
}

/* In a new temporary directory, small_index() split into its sections. */
static uint8_t *small_index_parts(idx_parts *ip) {
    make_tmp();
    size_t n;
    uint8_t *d = small_index(&n);
    parts_split(d, n, ip);
    return d;
}

static void small_index_parts_free(idx_parts *ip, uint8_t *d) {
    parts_free(ip);
    free(d);
    remove_tmp();
}

START_TEST(test_section_contents) {
    idx_parts ip;
    uint8_t *d = small_index_parts(&ip);
    pqf_error err;
    /* Re-assembled untouched: still loads. */
    for (int s = 1; s <= NSEC; s++) ck_assert_int_eq(with_section(&ip, s, ip.raw[s], ip.len[s], &err), PQF_OK);

    /* Every truncation and every flipped byte of every section's contents,
     * with valid checksums around them: an error or a dataset, never a crash. */
    for (int s = 1; s <= NSEC; s++) {
        uint8_t *copy = malloc(ip.len[s] + 1);
        memcpy(copy, ip.raw[s], ip.len[s]);
        for (size_t k = 0; k < ip.len[s]; k++) {
            pqf_code c = with_section(&ip, s, copy, k, &err);
            ck_assert_msg(c != PQF_OK, "section %d cut at %zu loaded", s, k);
        }
        copy[ip.len[s]] = 0;
        ck_assert_int_ne(with_section(&ip, s, copy, ip.len[s] + 1, &err), PQF_OK);
        size_t step = s == 5 ? 7 : 1; /* the models are long; sample them */
        for (size_t k = 0; k < ip.len[s]; k += step) {
            copy[k] ^= 0x80;
            (void)with_section(&ip, s, copy, ip.len[s], &err);
            copy[k] ^= 0xFF;
            (void)with_section(&ip, s, copy, ip.len[s], &err);
            copy[k] ^= 0x7F;
        }
        free(copy);
    }

    /* Huge counts in the metadata and the file table. */
    uint8_t *m = malloc(ip.len[1]);
    memcpy(m, ip.raw[1], ip.len[1]);
    uint64_t huge[] = {UINT64_MAX, (uint64_t)1 << 40, 0xFFFFFFFFu, 7};
    uint32_t huge32[] = {0xFFFFFFFFu, 0x80000000u, 0x10000u, 7};
    for (size_t h = 0; h < sizeof huge / sizeof *huge; h++) {
        for (int field = 0; field < 4; field++) {
            memcpy(m, ip.raw[1], ip.len[1]);
            wr64(m + field * 8, huge[h]);
            ck_assert_int_eq(with_section(&ip, 1, m, ip.len[1], &err), PQF_ERR_MALFORMED);
        }
        /* number of projected column names (at byte 52) */
        memcpy(m, ip.raw[1], ip.len[1]);
        wr32(m + 52, huge32[h]);
        ck_assert_int_eq(with_section(&ip, 1, m, ip.len[1], &err), PQF_ERR_MALFORMED);
    }
    free(m);
    uint8_t *f = malloc(ip.len[2]);
    int fields32[] = {40, 44, 48, 52, 56, 60};
    for (size_t h = 0; h < sizeof huge / sizeof *huge; h++) {
        for (size_t k = 0; k < sizeof fields32 / sizeof *fields32; k++) {
            memcpy(f, ip.raw[2], ip.len[2]);
            wr32(f + fields32[k], huge32[h]);
            ck_assert_int_ne(with_section(&ip, 2, f, ip.len[2], &err), PQF_OK);
        }
        /* row groups, rows, rows per group */
        static const int fields64[] = {24, 32, 64};
        for (size_t k = 0; k < 3; k++) {
            memcpy(f, ip.raw[2], ip.len[2]);
            wr64(f + fields64[k], huge[h]);
            ck_assert_int_eq(with_section(&ip, 2, f, ip.len[2], &err), PQF_ERR_MALFORMED);
        }
    }
    /* Schema ids swapped: out of order. */
    memcpy(f, ip.raw[2], ip.len[2]);
    wr32(f + 44, 1);
    wr32(f + 72 + 44, 0);
    ck_assert_int_eq(with_section(&ip, 2, f, ip.len[2], &err), PQF_ERR_MALFORMED);
    free(f);
    /* An empty schema table for files that exist. */
    ck_assert_int_eq(with_section(&ip, 4, ip.raw[4], 0, &err), PQF_ERR_MALFORMED);
    small_index_parts_free(&ip, d);
}
END_TEST

/* One skipped-file record in the layout of docs/index-format.md. */
static void skip_rec(wbuf *b, uint32_t code, uint32_t kind, const char *path, size_t plen,
                     const char *msg, const char *where, size_t wlen) {
    uint8_t t[8];
    wr64(t, 123); /* size */
    wb_put(b, t, 8);
    wr64(t, 456); /* mtime */
    wb_put(b, t, 8);
    wr64(t, 7); /* offset */
    wb_put(b, t, 8);
    wr32(t, code);
    wb_put(b, t, 4);
    wr32(t, kind);
    wb_put(b, t, 4);
    const char *s[3] = {path, msg, where};
    size_t l[3] = {plen, strlen(msg), wlen};
    for (int i = 0; i < 3; i++) {
        wr32(t, (uint32_t)l[i]);
        wb_put(b, t, 4);
        if (l[i]) wb_put(b, s[i], l[i]);
    }
}

/* A skipped section of count (as stated) and the records rec() appends. */
static pqf_code with_skipped(const idx_parts *ip, uint64_t count, const wbuf *recs, pqf_error *err) {
    wbuf b = {0};
    uint8_t t[8];
    wr64(t, count);
    wb_put(&b, t, 8);
    if (recs->len) wb_put(&b, recs->p, recs->len);
    pqf_code c = with_section(ip, 7, b.p, b.len, err);
    free(b.p);
    return c;
}

static pqf_code one_skipped(const idx_parts *ip, uint32_t code, uint32_t kind, const char *path,
                            size_t plen, const char *msg, size_t wlen, pqf_error *err) {
    char where[256];
    memset(where, 'w', sizeof where); /* no NUL: any prefix is a valid string */
    wbuf r = {0};
    skip_rec(&r, code, kind, path, plen, msg, where, wlen);
    pqf_code c = with_skipped(ip, 1, &r, err);
    free(r.p);
    return c;
}

START_TEST(test_skipped_section) {
    idx_parts ip;
    uint8_t *d = small_index_parts(&ip);
    pqf_error err;
    /* Well-formed records load, as absolute and as relative paths. */
    ck_assert_int_eq(one_skipped(&ip, PQF_ERR_MALFORMED, 1, "/x/y.parquet", 12, "m", 13, &err), PQF_OK);
    ck_assert_int_eq(one_skipped(&ip, PQF_ERR_IO, 2, "sub/z.parquet", 13, "gone", 0, &err), PQF_OK);
    wbuf two = {0};
    skip_rec(&two, PQF_ERR_TRUNCATED, 2, "a.parquet", 9, "short", "", 0);
    skip_rec(&two, PQF_ERR_NO_COLUMN, 1, "/b.parquet", 10, "no column", "columns[1]", 10);
    ck_assert_int_eq(with_skipped(&ip, 2, &two, &err), PQF_OK);
    {
        idx_parts cp = ip;
        wbuf b = {0};
        uint8_t t[8];
        wr64(t, 2);
        wb_put(&b, t, 8);
        wb_put(&b, two.p, two.len);
        cp.raw[7] = b.p;
        cp.len[7] = b.len;
        size_t len;
        uint8_t *idx = parts_join(&cp, &len);
        spit(tp("idx/probe.pqfi"), idx, len);
        pqf_dataset *ds = load_ok(tp("idx/probe.pqfi"));
        ck_assert_uint_eq(pqf_dataset_failure_count(ds), 2);
        pqf_error e;
        ck_assert_str_eq(pqf_test_failure(ds, 0, &e), tp("idx/a.parquet"));
        ck_assert_int_eq(e.code, PQF_ERR_TRUNCATED);
        ck_assert_str_eq(e.msg, "short");
        ck_assert_str_eq(pqf_test_failure(ds, 1, &e), "/b.parquet");
        ck_assert_str_eq(e.path, "columns[1]");
        ck_assert_uint_eq(e.offset, 7);
        pqf_dataset_free(ds);
        free(idx);
        free(b.p);
    }
    /* Bad records. */
    ck_assert_int_eq(one_skipped(&ip, PQF_OK, 1, "/x", 2, "m", 0, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, PQF_ERR__COUNT, 1, "/x", 2, "m", 0, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, 1, 0, "/x", 2, "m", 0, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, 1, 3, "/x", 2, "m", 0, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, 1, 2, "/x", 2, "m", 0, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, 1, 1, "", 0, "m", 0, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, 1, 1, "/x", 2, "", 0, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, 1, 1, "/x\0y", 4, "m", 0, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, 1, 1, "/x", 2, "m", sizeof err.path, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(one_skipped(&ip, 1, 1, "/x", 2, "m", sizeof err.path - 1, &err), PQF_OK);
    /* Counts that disagree with the records. */
    wbuf one = {0};
    skip_rec(&one, 1, 1, "/x", 2, "m", "", 0);
    ck_assert_int_eq(with_skipped(&ip, 2, &one, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(with_skipped(&ip, 0, &one, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(with_skipped(&ip, UINT64_MAX, &one, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(with_skipped(&ip, (uint64_t)1 << 40, &one, &err), PQF_ERR_MALFORMED);
    for (size_t cut = 0; cut < one.len; cut++) {
        wbuf part = {one.p, cut, one.cap};
        ck_assert_int_eq(with_skipped(&ip, 1, &part, &err), PQF_ERR_MALFORMED);
    }
    free(one.p);
    free(two.p);
    /* The dataset flags at the end of meta: only PQF_DS_PROJECT_EXISTING. */
    uint8_t *m = malloc(ip.len[1]);
    memcpy(m, ip.raw[1], ip.len[1]);
    wr32(m + ip.len[1] - 4, PQF_DS_PROJECT_EXISTING);
    ck_assert_int_eq(with_section(&ip, 1, m, ip.len[1], &err), PQF_OK);
    wr32(m + ip.len[1] - 4, 2);
    ck_assert_int_eq(with_section(&ip, 1, m, ip.len[1], &err), PQF_ERR_MALFORMED);
    ck_assert_str_eq(err.path, "meta.ds_flags");
    free(m);
    small_index_parts_free(&ip, d);
}
END_TEST

/* -------------------------------------------------------- staleness --- */

typedef struct seen {
    char path[8][512];
    int status[8];
    int n;
} seen;

static void on_verify(void *ctx, const char *path, int status) {
    seen *s = ctx;
    ck_assert_int_lt(s->n, 8);
    snprintf(s->path[s->n], sizeof s->path[0], "%s", path);
    s->status[s->n++] = status;
}

static seen verify(const pqf_dataset *ds, int thorough) {
    seen s;
    memset(&s, 0, sizeof s);
    pqf_error err;
    ck_assert_int_eq(pqf_dataset_verify(ds, thorough, on_verify, &s, &err), PQF_OK);
    return s;
}

/* The index an update writes equals the one a fresh build writes. */
static void assert_update_is_fresh(const pqf_dataset *ds, const char *dir) {
    pqf_error err;
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.threads = 3;
    pqf_dataset *up = pqf_dataset_update(ds, &o, &err);
    ck_assert_msg(up != NULL, "update: %s", err.msg);
    pqf_dataset *fresh = open_dir_ok(dir, NULL);
    save_ok(up, tp("up.pqfi"));
    save_ok(fresh, tp("fresh.pqfi"));
    size_t n1, n2;
    uint8_t *a = slurp(tp("up.pqfi"), &n1), *b = slurp(tp("fresh.pqfi"), &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_mem_eq(a, b, n1);
    free(a);
    free(b);
    seen s = verify(up, 1);
    ck_assert_int_eq(s.n, 0);
    pqf_dataset_free(fresh);
    pqf_dataset_free(up);
}

START_TEST(test_staleness) {
    make_tmp();
    mkdir_t("d");
    make_mixed_dataset(tp("d"));
    pqf_dataset *built = open_dir_ok(tp("d"), NULL);
    save_ok(built, tp("d/data.pqfi"));
    pqf_dataset_free(built);
    pqf_dataset *ds = load_ok(tp("d/data.pqfi"));
    seen s = verify(ds, 0);
    ck_assert_int_eq(s.n, 0);
    s = verify(ds, 1);
    ck_assert_int_eq(s.n, 0);

    /* touched */
    shift_mtime(tp("d/a1.parquet"), 10);
    s = verify(ds, 0);
    ck_assert_int_eq(s.n, 1);
    ck_assert_str_eq(s.path[0], tp("d/a1.parquet"));
    ck_assert_int_eq(s.status[0], PQF_FILE_STALE);
    assert_update_is_fresh(ds, tp("d"));
    shift_mtime(tp("d/a1.parquet"), -10);
    ck_assert_int_eq(verify(ds, 1).n, 0);

    /* truncated */
    struct stat st;
    ck_assert_int_eq(stat(tp("d/b1.parquet"), &st), 0);
    ck_assert_int_eq(truncate(tp("d/b1.parquet"), st.st_size - 1), 0);
    s = verify(ds, 0);
    ck_assert_int_eq(s.n, 1);
    ck_assert_int_eq(s.status[0], PQF_FILE_STALE);
    /* an update re-decodes it, and it is now bad: skipped on request */
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.on_error = skip_all;
    pqf_error err;
    pqf_dataset *up = pqf_dataset_update(ds, &o, &err);
    ck_assert_ptr_nonnull(up);
    ck_assert_uint_eq(pqf_dataset_failure_count(up), 1);
    ck_assert_uint_eq(pqf_dataset_file_count(up), pqf_dataset_file_count(ds) - 1);
    pqf_dataset_free(up);
    ck_assert_ptr_null(pqf_dataset_update(ds, NULL, &err));
    ck_assert_int_ne(err.code, PQF_OK);

    /* replaced: same size and mtime but a different footer -> only thorough */
    ck_assert_int_eq(stat(tp("d/a2.parquet"), &st), 0);
    size_t n;
    uint8_t *old = slurp(tp("d/a2.parquet"), &n);
    uint8_t *mod = malloc(n);
    memcpy(mod, old, n);
    mod[n - 9] ^= 1; /* last footer byte (the stop of FileMetaData)... */
    mod[n - 30] ^= 1;
    spit(tp("d/a2.parquet"), mod, n);
    struct timespec t[2] = {st.st_atim, st.st_mtim};
    ck_assert_int_eq(utimensat(AT_FDCWD, tp("d/a2.parquet"), t, 0), 0);
    s = verify(ds, 0);
    ck_assert_int_eq(s.n, 1); /* b1 still truncated */
    s = verify(ds, 1);
    ck_assert_int_eq(s.n, 2);
    ck_assert_str_eq(s.path[0], tp("d/a2.parquet"));
    ck_assert_int_eq(s.status[0], PQF_FILE_STALE);
    spit(tp("d/a2.parquet"), old, n);
    ck_assert_int_eq(utimensat(AT_FDCWD, tp("d/a2.parquet"), t, 0), 0);
    free(old);
    free(mod);

    /* missing and new */
    ck_assert_int_eq(unlink(tp("d/b1.parquet")), 0);
    mkdir_t("d/deeper");
    write_uniform(tp("d/deeper/n.parquet"), "a", 4, 1, 1);
    spit(tp("d/deeper/ignored.txt"), (const uint8_t *)"x", 1);
    s = verify(ds, 0);
    ck_assert_int_eq(s.n, 2);
    ck_assert_str_eq(s.path[0], tp("d/b1.parquet"));
    ck_assert_int_eq(s.status[0], PQF_FILE_MISSING);
    ck_assert_str_eq(s.path[1], tp("d/deeper/n.parquet"));
    ck_assert_int_eq(s.status[1], PQF_FILE_NEW);
    assert_update_is_fresh(ds, tp("d"));
    pqf_dataset_free(ds);
    remove_tmp();
}
END_TEST

START_TEST(test_file_list_staleness) {
    /* Built from a list of files: no directory, so no new files; missing
     * files are dropped by an update, the rest kept in order. */
    make_tmp();
    mkdir_t("d");
    write_uniform(tp("d/1.parquet"), "a", 1, 1, 1);
    write_uniform(tp("d/2.parquet"), "a", 1, 2, 1);
    write_uniform(tp("d/3.parquet"), "a", 1, 3, 1);
    const char *paths[] = {tp("d/3.parquet"), tp("d/1.parquet"), tp("d/2.parquet")};
    pqf_dataset *ds = pqf_dataset_open(paths, 3, NULL, NULL);
    ck_assert_ptr_nonnull(ds);
    ck_assert_str_eq(pqf_test_path(ds, 0), tp("d/3.parquet"));
    save_ok(ds, tp("list.pqfi"));
    pqf_dataset_free(ds);
    ds = load_ok(tp("list.pqfi"));
    write_uniform(tp("d/4.parquet"), "a", 1, 1, 1);
    unlink(tp("d/1.parquet"));
    write_uniform(tp("d/2.parquet"), "a", 1, 5, 1);
    shift_mtime(tp("d/2.parquet"), 3);
    seen s = verify(ds, 0);
    ck_assert_int_eq(s.n, 2);
    ck_assert_int_eq(s.status[0], PQF_FILE_MISSING);
    ck_assert_int_eq(s.status[1], PQF_FILE_STALE);
    pqf_error err;
    pqf_dataset *up = pqf_dataset_update(ds, NULL, &err);
    ck_assert_ptr_nonnull(up);
    ck_assert_uint_eq(pqf_dataset_file_count(up), 2);
    ck_assert_str_eq(pqf_test_path(up, 0), tp("d/3.parquet"));
    ck_assert_str_eq(pqf_test_path(up, 1), tp("d/2.parquet"));
    ck_assert_uint_eq(pqf_dataset_row_group_count(up), 3 + 5);
    ck_assert_int_eq(verify(up, 1).n, 0);
    pqf_dataset_free(up);
    pqf_dataset_free(ds);
    remove_tmp();
}
END_TEST

START_TEST(test_relocation) {
    /* Paths below the index's directory are stored relative to it: moving the
     * directory keeps the index valid. Paths elsewhere stay absolute. */
    make_tmp();
    mkdir_t("d");
    mkdir_t("outside");
    write_uniform(tp("d/in.parquet"), "a", 1, 1, 1);
    write_uniform(tp("outside/out.parquet"), "a", 1, 1, 1);
    const char *paths[] = {tp("d/in.parquet"), tp("outside/out.parquet")};
    pqf_dataset *ds = pqf_dataset_open(paths, 2, NULL, NULL);
    ck_assert_ptr_nonnull(ds);
    save_ok(ds, tp("d/x.pqfi"));
    pqf_dataset_free(ds);
    ck_assert_int_eq(rename(tp("d"), tp("moved")), 0);
    ds = load_ok(tp("moved/x.pqfi"));
    ck_assert_str_eq(pqf_test_path(ds, 0), tp("moved/in.parquet"));
    ck_assert_str_eq(pqf_test_path(ds, 1), tp("outside/out.parquet"));
    ck_assert_int_eq(verify(ds, 1).n, 0);
    pqf_dataset_free(ds);
    /* A relative index path gives relative file paths. */
    char cwd[1024];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(tmp_root), 0);
    ds = load_ok("moved/x.pqfi");
    ck_assert_str_eq(pqf_test_path(ds, 0), "moved/in.parquet");
    ck_assert_int_eq(verify(ds, 0).n, 0);
    pqf_dataset_free(ds);
    ck_assert_int_eq(chdir("moved"), 0);
    ds = load_ok("x.pqfi");
    ck_assert_str_eq(pqf_test_path(ds, 0), "in.parquet");
    pqf_dataset_free(ds);
    ck_assert_int_eq(chdir(cwd), 0);
    remove_tmp();
}
END_TEST

/* ------------------------------------------------ allocation failures --- */

/* Allocator that fails once its budget is spent; decoding threads share it. */
typedef struct fail_alloc {
    long budget; /* allocations left; -1 = unlimited */
    long count;
    size_t live;
    pthread_mutex_t mu;
} fail_alloc;

static void *fa_alloc(void *ctx, size_t size) {
    fail_alloc *f = ctx;
    void *p = NULL;
    pthread_mutex_lock(&f->mu);
    if (f->budget != 0) {
        if (f->budget > 0) f->budget--;
        f->count++;
        p = malloc(size);
        if (p) f->live += size;
    }
    pthread_mutex_unlock(&f->mu);
    return p;
}
static void fa_free(void *ctx, void *p, size_t size) {
    fail_alloc *f = ctx;
    if (!p) return;
    pthread_mutex_lock(&f->mu);
    f->live -= size;
    pthread_mutex_unlock(&f->mu);
    free(p);
}

START_TEST(test_alloc_failures) {
    make_tmp();
    size_t n;
    uint8_t *d = small_index(&n);
    free(d);
    /* load: fail the k-th allocation for every k until it succeeds */
    int succeeded = 0;
    for (long k = 0; k < 10000 && !succeeded; k++) {
        fail_alloc fa = {k, 0, 0, PTHREAD_MUTEX_INITIALIZER};
        pqf_allocator a = {fa_alloc, fa_free, &fa};
        pqf_error err;
        pqf_dataset *ds = pqf_dataset_load(tp("idx/s.pqfi"), &a, &err);
        if (ds) {
            ck_assert_int_gt(k, 0);
            succeeded = 1;
            pqf_dataset_free(ds);
        } else {
            ck_assert_int_eq(err.code, PQF_ERR_NOMEM);
        }
        ck_assert_uint_eq(fa.live, 0);
    }
    ck_assert(succeeded);
    /* open, 1 and 3 threads */
    for (uint32_t threads = 1; threads <= 3; threads += 2) {
        succeeded = 0;
        for (long k = 0; k < 10000 && !succeeded; k++) {
            fail_alloc fa = {k, 0, 0, PTHREAD_MUTEX_INITIALIZER};
            pqf_allocator a = {fa_alloc, fa_free, &fa};
            pqf_dataset_options o;
            memset(&o, 0, sizeof o);
            o.footer.allocator = &a;
            o.threads = threads;
            pqf_error err;
            pqf_dataset *ds = pqf_dataset_open_dir(tp("idx"), &o, &err);
            if (ds) {
                succeeded = 1;
                ck_assert_uint_eq(pqf_dataset_file_count(ds), 2);
                pqf_dataset_free(ds);
            } else {
                ck_assert_int_eq(err.code, PQF_ERR_NOMEM);
            }
            ck_assert_uint_eq(fa.live, 0);
        }
        ck_assert(succeeded);
    }
    remove_tmp();
}
END_TEST

/* ------------------------------------------------ directory walk rules --- */

static void list_dataset(const pqf_dataset *ds, char *out, size_t size) {
    out[0] = '\0';
    size_t root = strlen(tp("d/"));
    for (size_t i = 0; i < pqf_dataset_file_count(ds); i++) {
        const char *p = pqf_test_path(ds, i);
        ck_assert_uint_gt(strlen(p), root);
        size_t k = strlen(out);
        snprintf(out + k, size - k, "%s%s", k ? " " : "", p + root);
    }
}

START_TEST(test_walk_rules) {
    make_tmp();
    mkdir_t("d");
    mkdir_t("d/_temporary");
    mkdir_t("d/_temporary/0");
    mkdir_t("d/.spark-staging");
    mkdir_t("d/year=2020");
    mkdir_t("d/dir.parquet");
    mkdir_t("other");
    write_uniform(tp("d/a.parquet"), "a", 2, 1, 3);
    write_uniform(tp("d/B.PARQUET"), "a", 2, 1, 3);
    write_uniform(tp("d/c.Parquet"), "a", 2, 1, 3);
    write_uniform(tp("d/.hidden.parquet"), "a", 2, 1, 3);
    write_uniform(tp("d/_metadata.parquet"), "a", 2, 1, 3);
    write_uniform(tp("d/_temporary/0/part.parquet"), "a", 2, 1, 3);
    write_uniform(tp("d/.spark-staging/part.parquet"), "a", 2, 1, 3);
    write_uniform(tp("d/year=2020/e.parquet"), "a", 2, 1, 3);
    write_uniform(tp("d/dir.parquet/f.parquet"), "a", 2, 1, 3);
    write_uniform(tp("other/o.parquet"), "a", 2, 1, 3);
    spit(tp("d/_SUCCESS"), (const uint8_t *)"", 0);
    spit(tp("d/_metadata"), (const uint8_t *)"x", 1);
    spit(tp("d/notes.txt"), (const uint8_t *)"x", 1);
    spit(tp("d/a.parquet.crc"), (const uint8_t *)"x", 1);
    spit(tp("d/.a.parquet.crc"), (const uint8_t *)"x", 1);
    ck_assert_int_eq(symlink(tp("d/a.parquet"), tp("d/link.parquet")), 0);
    ck_assert_int_eq(symlink(tp("other"), tp("d/linkdir")), 0);
    ck_assert_int_eq(symlink(tp("d/gone.parquet"), tp("d/dangling.parquet")), 0);
    pqf_dataset *ds = open_dir_ok(tp("d"), NULL);
    char got[1024];
    list_dataset(ds, got, sizeof got);
    ck_assert_str_eq(got, "B.PARQUET a.parquet c.Parquet dir.parquet/f.parquet link.parquet "
                          "year=2020/e.parquet");
    /* Verify applies the same rules: nothing ignored shows up as new. */
    seen s = verify(ds, 0);
    ck_assert_int_eq(s.n, 0);
    write_uniform(tp("d/_temporary/0/late.parquet"), "a", 2, 1, 3);
    write_uniform(tp("d/year=2020/new.PARQUET"), "a", 2, 1, 3);
    s = verify(ds, 0);
    ck_assert_int_eq(s.n, 1);
    ck_assert_str_eq(s.path[0], tp("d/year=2020/new.PARQUET"));
    ck_assert_int_eq(s.status[0], PQF_FILE_NEW);
    pqf_dataset_free(ds);
    remove_tmp();
}
END_TEST

/* --------------------------------------- duplicates and the failing path --- */

START_TEST(test_duplicates_and_error_path) {
    make_tmp();
    mkdir_t("d");
    write_uniform(tp("d/1.parquet"), "a", 2, 2, 3);
    write_uniform(tp("d/2.parquet"), "a", 2, 1, 3);
    spit(tp("d/bad.parquet"), (const uint8_t *)"not parquet at all", 18);
    pqf_error err;
    /* The same string twice counts once, at its first position. */
    const char *paths[] = {tp("d/2.parquet"), tp("d/1.parquet"), tp("d/2.parquet"),
                           tp("d/1.parquet")};
    pqf_dataset *ds = pqf_dataset_open(paths, 4, NULL, &err);
    ck_assert_ptr_nonnull(ds);
    ck_assert_uint_eq(pqf_dataset_file_count(ds), 2);
    ck_assert_str_eq(pqf_test_path(ds, 0), tp("d/2.parquet"));
    ck_assert_str_eq(pqf_test_path(ds, 1), tp("d/1.parquet"));
    ck_assert_uint_eq(pqf_dataset_row_group_count(ds), 3);
    pqf_dataset_free(ds);
    /* A differently spelled path to the same file is another string. */
    char dotted[600];
    snprintf(dotted, sizeof dotted, "%s/./1.parquet", tp("d"));
    const char *two[] = {tp("d/1.parquet"), dotted};
    ds = pqf_dataset_open(two, 2, NULL, &err);
    ck_assert_ptr_nonnull(ds);
    ck_assert_uint_eq(pqf_dataset_file_count(ds), 2);
    pqf_dataset_free(ds);

    /* Without a callback the failing file's path comes back in error_path. */
    char where[512];
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.error_path = where;
    o.error_path_size = sizeof where;
    const char *withbad[] = {tp("d/1.parquet"), tp("d/bad.parquet"), tp("d/2.parquet")};
    for (uint32_t threads = 1; threads <= 3; threads += 2) {
        o.threads = threads;
        memset(where, 'x', sizeof where);
        ck_assert_ptr_null(pqf_dataset_open(withbad, 3, &o, &err));
        ck_assert_int_eq(err.code, PQF_ERR_NOT_PARQUET);
        ck_assert_str_eq(where, tp("d/bad.parquet"));
        memset(where, 'x', sizeof where);
        ck_assert_ptr_null(pqf_dataset_open_dir(tp("d"), &o, &err));
        ck_assert_str_eq(where, tp("d/bad.parquet"));
    }
    /* Cut to the buffer. */
    char small[5];
    o.error_path = small;
    o.error_path_size = sizeof small;
    ck_assert_ptr_null(pqf_dataset_open(withbad, 3, &o, &err));
    ck_assert_uint_eq(strlen(small), 4);
    ck_assert_mem_eq(small, tp("d/bad.parquet"), 4);
    /* A directory that cannot be listed names itself; success clears it. */
    o.error_path = where;
    o.error_path_size = sizeof where;
    ck_assert_ptr_null(pqf_dataset_open_dir(tp("nope"), &o, &err));
    ck_assert_int_eq(err.code, PQF_ERR_IO);
    ck_assert_str_eq(where, tp("nope"));
    const char *good[] = {tp("d/1.parquet"), tp("d/2.parquet")};
    ds = pqf_dataset_open(good, 2, &o, &err);
    ck_assert_ptr_nonnull(ds);
    ck_assert_str_eq(where, "");
    pqf_dataset_free(ds);
    remove_tmp();
}
END_TEST

/* ---------------------------------------------- known-bad files in an index --- */

static pqf_dataset *open_skipping(const char *dir, int *calls) {
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.on_error = skip_all;
    o.on_error_ctx = calls;
    return open_dir_ok(dir, &o);
}

static pqf_dataset *update_skipping(const pqf_dataset *ds, int *calls) {
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.on_error = skip_all;
    o.on_error_ctx = calls;
    o.threads = 2;
    pqf_error err;
    pqf_dataset *up = pqf_dataset_update(ds, &o, &err);
    ck_assert_msg(up != NULL, "update: %s", err.msg);
    return up;
}

START_TEST(test_known_bad_files) {
    make_tmp();
    mkdir_t("d");
    write_uniform(tp("d/1.parquet"), "a", 2, 2, 3);
    spit(tp("d/2.parquet"), (const uint8_t *)"not parquet at all", 18);
    spit(tp("d/3.parquet"), (const uint8_t *)"PAR1", 4);
    int calls = 0;
    pqf_dataset *built = open_skipping(tp("d"), &calls);
    ck_assert_int_eq(calls, 2);
    pqf_error e0, e1;
    pqf_test_failure(built, 0, &e0);
    save_ok(built, tp("i.pqfi"));
    pqf_dataset *ds = load_ok(tp("i.pqfi"));
    /* The failures come back with their errors. */
    ck_assert_uint_eq(pqf_dataset_failure_count(ds), 2);
    ck_assert_str_eq(pqf_test_failure(ds, 0, &e1), tp("d/2.parquet"));
    ck_assert_int_eq(e1.code, e0.code);
    ck_assert_str_eq(e1.msg, e0.msg);
    ck_assert_uint_eq(e1.offset, e0.offset);
    ck_assert_str_eq(e1.path, e0.path);
    ck_assert_str_eq(pqf_test_failure(ds, 1, &e1), tp("d/3.parquet"));
    /* Unchanged known-bad files are neither new nor retried. */
    seen s = verify(ds, 1);
    ck_assert_int_eq(s.n, 0);
    calls = 0;
    pqf_dataset *up = update_skipping(ds, &calls);
    ck_assert_int_eq(calls, 0);
    ck_assert_uint_eq(pqf_dataset_failure_count(up), 2);
    save_ok(up, tp("up.pqfi"));
    size_t n1, n2;
    uint8_t *a = slurp(tp("i.pqfi"), &n1), *b = slurp(tp("up.pqfi"), &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_mem_eq(a, b, n1); /* the same index as the build wrote */
    free(a);
    free(b);
    pqf_dataset_free(up);
    /* Changed: stale, and tried again (still bad here); gone: missing. */
    spit(tp("d/2.parquet"), (const uint8_t *)"still not parquet", 17);
    ck_assert_int_eq(unlink(tp("d/3.parquet")), 0);
    s = verify(ds, 0);
    ck_assert_int_eq(s.n, 2);
    ck_assert_str_eq(s.path[0], tp("d/2.parquet"));
    ck_assert_int_eq(s.status[0], PQF_FILE_STALE);
    ck_assert_str_eq(s.path[1], tp("d/3.parquet"));
    ck_assert_int_eq(s.status[1], PQF_FILE_MISSING);
    calls = 0;
    up = update_skipping(ds, &calls);
    ck_assert_int_eq(calls, 1);
    ck_assert_uint_eq(pqf_dataset_failure_count(up), 1);
    seen s2 = verify(up, 0);
    ck_assert_int_eq(s2.n, 0);
    pqf_dataset_free(up);
    /* Fixed: decoded and in. */
    write_uniform(tp("d/2.parquet"), "a", 2, 1, 3);
    calls = 0;
    up = update_skipping(ds, &calls);
    ck_assert_int_eq(calls, 0);
    ck_assert_uint_eq(pqf_dataset_failure_count(up), 0);
    ck_assert_uint_eq(pqf_dataset_file_count(up), 2);
    pqf_dataset_free(up);
    pqf_dataset_free(ds);
    pqf_dataset_free(built);

    /* A dataset from a list of paths keeps its known-bad files the same way. */
    spit(tp("d/4.parquet"), (const uint8_t *)"nope", 4);
    const char *paths[] = {tp("d/1.parquet"), tp("d/4.parquet"), tp("d/missing.parquet")};
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.on_error = skip_all;
    pqf_error err;
    built = pqf_dataset_open(paths, 3, &o, &err);
    ck_assert_ptr_nonnull(built);
    ck_assert_uint_eq(pqf_dataset_failure_count(built), 2);
    save_ok(built, tp("l.pqfi"));
    ds = load_ok(tp("l.pqfi"));
    s = verify(ds, 0);
    ck_assert_int_eq(s.n, 0); /* the missing one was missing when it failed */
    calls = 0;
    up = update_skipping(ds, &calls);
    ck_assert_int_eq(calls, 0);
    ck_assert_uint_eq(pqf_dataset_failure_count(up), 2);
    pqf_dataset_free(up);
    pqf_dataset_free(ds);
    pqf_dataset_free(built);
    remove_tmp();
}
END_TEST

/* ----------------------------------------------- project what exists --- */

START_TEST(test_project_existing) {
    make_tmp();
    mkdir_t("d");
    make_mixed_dataset(tp("d"));
    const char *cols[] = {"a1", "a3"};
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer.columns = cols;
    o.footer.num_columns = 2;
    o.flags = PQF_DS_PROJECT_EXISTING;
    o.on_error = skip_all;
    int calls = 0;
    o.on_error_ctx = &calls;
    pqf_dataset *ds = open_dir_ok(tp("d"), &o);
    /* b1 has neither column: it still fails; c1 lacks a3 only. */
    ck_assert_int_eq(calls, 1);
    ck_assert_uint_eq(pqf_dataset_failure_count(ds), 1);
    pqf_error e;
    ck_assert_str_eq(pqf_test_failure(ds, 0, &e), tp("d/b1.parquet"));
    ck_assert_int_eq(e.code, PQF_ERR_NO_COLUMN);
    ck_assert_uint_eq(pqf_dataset_file_count(ds), 6);
    size_t c1 = SIZE_MAX;
    for (size_t i = 0; i < pqf_dataset_file_count(ds); i++) {
        const char *missing[2] = {NULL, NULL};
        size_t n = pqf_test_missing(ds, i, missing, 2);
        if (strcmp(pqf_test_path(ds, i), tp("d/c1.parquet")) == 0) {
            c1 = i;
            ck_assert_uint_eq(n, 1);
            ck_assert_str_eq(missing[0], "a3");
            ck_assert_uint_eq(pqf_projected_count(pqf_test_footer(ds, i)), 1);
        } else {
            ck_assert_uint_eq(n, 0);
            ck_assert_uint_eq(pqf_projected_count(pqf_test_footer(ds, i)), 2);
        }
    }
    ck_assert_uint_ne(c1, SIZE_MAX);
    ck_assert_uint_eq(pqf_dataset_schema_count(ds), 2);
    size_t nmiss = 7;
    ck_assert_int_eq(pqf_dataset_file_missing(ds, 99, NULL, 0, &nmiss), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_file_missing(NULL, 0, NULL, 0, &nmiss), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_file_missing(ds, 0, NULL, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_file_missing(ds, 0, NULL, 1, &nmiss), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(nmiss, 7);
    /* Saved and loaded: the flag and the per-file report survive, and an
     * update decodes changed files the same way. */
    save_ok(ds, tp("p.pqfi"));
    pqf_dataset *back = load_ok(tp("p.pqfi"));
    assert_same_dataset(ds, back);
    ck_assert_uint_eq(pqf_test_missing(back, c1, NULL, 0), 1);
    shift_mtime(tp("d/c1.parquet"), 5);
    pqf_dataset_options uo;
    memset(&uo, 0, sizeof uo);
    pqf_dataset *up = pqf_dataset_update(back, &uo, &e);
    ck_assert_msg(up != NULL, "update: %s", e.msg);
    ck_assert_uint_eq(pqf_dataset_file_count(up), 6);
    ck_assert_uint_eq(pqf_test_missing(up, c1, NULL, 0), 1);
    pqf_dataset_free(up);
    pqf_dataset_free(back);
    pqf_dataset_free(ds);
    /* Without the flag the same open fails at c1 (b1 skipped). */
    o.flags = 0;
    o.on_error = NULL;
    const char *two[] = {tp("d/a1.parquet"), tp("d/c1.parquet")};
    ck_assert_ptr_null(pqf_dataset_open(two, 2, &o, &e));
    ck_assert_int_eq(e.code, PQF_ERR_NO_COLUMN);
    /* With it, a path that no file has still names which one failed. */
    const char *none[] = {"zz"};
    o.flags = PQF_DS_PROJECT_EXISTING;
    o.footer.columns = none;
    o.footer.num_columns = 1;
    ck_assert_ptr_null(pqf_dataset_open(two, 2, &o, &e));
    ck_assert_int_eq(e.code, PQF_ERR_NO_COLUMN);
    remove_tmp();
}
END_TEST

/* ------------------------------------------------- real files if present --- */

static void round_trip_dir(const char *dir) {
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.on_error = skip_all; /* encrypted and deliberately broken files */
    o.threads = 2;
    pqf_dataset *ds = open_dir_ok(dir, &o);
    save_ok(ds, tp("real.pqfi"));
    pqf_dataset *back = load_ok(tp("real.pqfi"));
    assert_same_dataset(ds, back);
    assert_addressing(back);
    pqf_dataset_free(back);
    pqf_dataset_free(ds);
}

START_TEST(test_tests_data) {
    DIR *dir = opendir(PQF_TEST_DATA);
    if (!dir) return; /* generated by the oracle; not there yet */
    closedir(dir);
    make_tmp();
    round_trip_dir(PQF_TEST_DATA);
    remove_tmp();
}
END_TEST

START_TEST(test_parquet_testing) {
    char where[1024];
    const char *dir = pqf_test_parquet_testing(where, sizeof where, "test_parquet_testing");
    if (!dir) return;
    make_tmp();
    round_trip_dir(dir);
    remove_tmp();
}
END_TEST

static Suite *make_suite(void) {
    Suite *s = suite_create("dataset");
    TCase *tc = tcase_create("dataset");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_open_and_intern);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_projection_skip);
    tcase_add_test(tc, test_empty_dataset);
    tcase_add_test(tc, test_addressing_edges);
    tcase_add_test(tc, test_bad_files);
    tcase_add_test(tc, test_threads_same_bytes);
    tcase_add_test(tc, test_truncations);
    tcase_add_test(tc, test_flipped_bytes);
    tcase_add_test(tc, test_section_contents);
    tcase_add_test(tc, test_skipped_section);
    tcase_add_test(tc, test_staleness);
    tcase_add_test(tc, test_file_list_staleness);
    tcase_add_test(tc, test_relocation);
    tcase_add_test(tc, test_alloc_failures);
    tcase_add_test(tc, test_walk_rules);
    tcase_add_test(tc, test_duplicates_and_error_path);
    tcase_add_test(tc, test_known_bad_files);
    tcase_add_test(tc, test_project_existing);
    tcase_add_test(tc, test_tests_data);
    tcase_add_test(tc, test_parquet_testing);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
