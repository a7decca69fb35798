/*
 * Pruning real files: tests/data/prune/ (written by pyarrow and DuckDB, see
 * gen.py) and parquet-testing's files with statistics and bloom filters. For
 * every (file, predicate) of expect.tsv -- the row groups where DuckDB's own
 * reader finds a matching row -- pqfoot must keep each of those row groups,
 * with and without bloom filters; and it must prune where it can. Then bloom
 * filter headers, good and hostile, through pqf_bloom_probe().
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_support.h"
#include "getters.h"
#include "pqfoot_dataset.h"
#include "footer_builder.h"

#define PRUNE_DIR PQF_TEST_DATA "/prune"

/* parquet-testing's data/ directory (check_support.h), or "" when it is absent:
 * the SKIP line is printed once and every PT: case is skipped. */
static const char *testing_dir(char *buf, size_t cap) {
    const char *d = pqf_test_parquet_testing(buf, cap, "test_prune");
    return d ? d : "";
}

static int file_exists(const char *p) {
    FILE *fp = fopen(p, "rb");
    if (fp) fclose(fp);
    return fp != NULL;
}

static pqf_footer *open_for(const char *path, const pqf_pred *p) {
    const char *cols[16];
    size_t n = pqf_pred_columns(p, cols, 16);
    ck_assert_uint_le(n, 16);
    pqf_options opt;
    memset(&opt, 0, sizeof opt);
    opt.stats_columns = cols;
    opt.num_stats_columns = n;
    pqf_error err;
    pqf_footer *f = pqf_footer_decode_file(path, &opt, &err);
    ck_assert_msg(f != NULL, "%s: %s %s", path, err.msg, err.path);
    return f;
}

/* Keep flags for one (file, predicate): bloom 0/1. */
static void run(const char *path, const char *expr, int bloom, uint8_t *keep, size_t *n) {
    pqf_error err;
    pqf_pred *p = pqf_pred_parse(expr, strlen(expr), NULL, &err);
    ck_assert_msg(p != NULL, "%s: %s", expr, err.msg);
    pqf_footer *f = open_for(path, p);
    *n = pqf_row_group_count(f);
    ck_assert_uint_le(*n, 64);
    pqf_code rc = bloom ? pqf_pred_eval_bloom_file(p, f, path, keep, &err) : pqf_pred_eval(p, f, keep, &err);
    ck_assert_msg(rc == PQF_OK, "%s %s: %s", path, expr, err.msg);
    pqf_footer_free(f);
    pqf_pred_free(p);
}

START_TEST(never_prunes_what_duckdb_reads) {
    FILE *fp = fopen(PRUNE_DIR "/expect.tsv", "r");
    ck_assert_msg(fp != NULL, "missing " PRUNE_DIR "/expect.tsv");
    char line[4096];
    int checked = 0, skipped = 0;
    long answers = 0, pruned = 0, bloom_only = 0;
    char pt[512];
    const char *pt_dir = testing_dir(pt, sizeof pt);
    while (fgets(line, sizeof line, fp)) {
        char *file = strtok(line, "\t"), *expr = strtok(NULL, "\t"), *hits = strtok(NULL, "\t"),
             *nrg = strtok(NULL, "\t\n");
        if (!nrg) { /* no matching row group: the third field is empty */
            nrg = hits;
            hits = (char *)"";
        }
        ck_assert_ptr_nonnull(nrg);
        char path[1024];
        if (strncmp(file, "PT:", 3) == 0) {
            snprintf(path, sizeof path, "%s/%s", pt_dir, file + 3);
            if (!file_exists(path)) {
                skipped++;
                continue;
            }
        } else {
            snprintf(path, sizeof path, "%s/%s", PRUNE_DIR, file);
        }
        uint8_t keep[64], keep_stats[64];
        size_t n, n2;
        run(path, expr, 1, keep, &n);
        run(path, expr, 0, keep_stats, &n2);
        ck_assert_uint_eq(n, (size_t)atoi(nrg));
        for (char *h = strtok(hits, ","); h; h = strtok(NULL, ",")) {
            int rg = atoi(h);
            ck_assert_msg(keep[rg] && keep_stats[rg], "%s: '%s' pruned row group %d, which has a matching row", path,
                          expr, rg);
        }
        for (size_t i = 0; i < n; i++) {
            ck_assert_msg(keep[i] <= keep_stats[i], "bloom filters kept what statistics pruned");
            answers++;
            pruned += !keep[i];
            bloom_only += !keep[i] && keep_stats[i];
        }
        checked++;
    }
    fclose(fp);
    if (skipped) printf("test_prune: %d parquet-testing cases skipped (set PQF_TESTING)\n", skipped);
    ck_assert_int_gt(checked, 60);
    ck_assert_msg(pruned * 4 > answers, "pruned only %ld of %ld", pruned, answers);
    ck_assert_msg(bloom_only >= 10, "bloom filters pruned only %ld row groups", bloom_only);
}
END_TEST

/* Exact answers that pin the semantics on real files. */
static void expect_keep(const char *file, const char *expr, int bloom, const char *want) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PRUNE_DIR, file);
    uint8_t keep[64];
    size_t n;
    run(path, expr, bloom, keep, &n);
    char got[130] = "";
    for (size_t i = 0; i < n; i++) strcat(got, keep[i] ? "1" : "0");
    ck_assert_msg(strcmp(got, want) == 0, "%s '%s': kept %s, want %s", file, expr, got, want);
}

START_TEST(pins_semantics_on_known_data) {
    /* types.parquet: 5 row groups of 8 rows; ff = 3i (nulls at i % 7 == 3) */
    expect_keep("types.parquet", "ff > 51.5", 0, "00111");
    expect_keep("types.parquet", "ff = 31", 0, "01000"); /* inside [24, 45]: statistics cannot tell */
    expect_keep("types.parquet", "ff = 1e308", 0, "00000");
    expect_keep("types.parquet", "ff = 30", 0, "01000");
    expect_keep("types.parquet", "dec = 8.751", 0, "00000");
    expect_keep("types.parquet", "u > 9223372036854775807", 0, "00111");
    expect_keep("types.parquet", "u32 > 4294967290", 0, "00000");
    expect_keep("types.parquet", "u32 > 4294967000", 0, "00011");
    expect_keep("types.parquet", "allnull IS NOT NULL", 0, "00000");
    expect_keep("types.parquet", "allnull = 1", 0, "00000");
    expect_keep("types.parquet", "dt < '2024-01-01'", 0, "00000");
    expect_keep("types.parquet", "s IS NULL", 0, "00001");
    /* bloom.parquet (DuckDB): small = 2 * (i % 40) in every row group */
    expect_keep("bloom.parquet", "small = 41", 0, "11111");
    expect_keep("bloom.parquet", "small = 41", 1, "00000");
    expect_keep("bloom.parquet", "small IN (41, 43)", 1, "00000");
    expect_keep("bloom.parquet", "small IN (41, 40)", 1, "11111");
    expect_keep("bloom.parquet", "name = 'name-25x'", 1, "00000");
    expect_keep("bloom.parquet", "NOT small = 41", 1, "11111");
}
END_TEST

START_TEST(parquet_testing_bloom_files) {
    const char *names[] = {"data_index_bloom_encoding_stats.parquet", "data_index_bloom_encoding_with_length.parquet"};
    char pt[512];
    const char *pt_dir = testing_dir(pt, sizeof pt);
    for (int i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", pt_dir, names[i]);
        if (!file_exists(path)) {
            printf("test_prune: skip %s (absent; set PQF_TESTING)\n", path);
            continue;
        }
        uint8_t keep[64];
        size_t n;
        run(path, "String = 'Hello'", 1, keep, &n);
        ck_assert_int_eq(keep[0], 1);
        run(path, "String = 'nope'", 1, keep, &n); /* inside [min, max]: only the filter says no */
        ck_assert_int_eq(keep[0], 0);
        run(path, "String = 'nope'", 0, keep, &n);
        ck_assert_int_eq(keep[0], 1);
    }
}
END_TEST

START_TEST(dataset_prune_across_files) {
    /* The same file under two spellings: the dataset dedupes paths by string only. */
    const char *paths[] = {PRUNE_DIR "/types.parquet", PRUNE_DIR "/./types.parquet"};
    const char *cols[] = {"ff"};
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer.stats_columns = cols;
    o.footer.num_stats_columns = 1;
    o.threads = 2;
    pqf_error err;
    pqf_dataset *ds = pqf_dataset_open(paths, 2, &o, &err);
    ck_assert_msg(ds != NULL, "%s", err.msg);
    ck_assert_uint_eq(pqf_dataset_row_group_count(ds), 10);
    pqf_pred *p = pqf_pred_parse("ff > 51.5", 9, NULL, &err);
    uint8_t keep[10];
    ck_assert_int_eq(pqf_dataset_prune(ds, p, keep, &err), PQF_OK);
    static const uint8_t want[10] = {0, 0, 1, 1, 1, 0, 0, 1, 1, 1};
    ck_assert_mem_eq(keep, want, 10);
    /* the statistics count in the dataset's bytes */
    ck_assert_uint_ge(pqf_dataset_bytes(ds), 2 * pqf_stats_bytes(pqf_test_footer(ds, 0)));
    ck_assert_uint_gt(pqf_stats_bytes(pqf_test_footer(ds, 1)), 0);
    /* an unknown column is the predicate's error, with its position */
    pqf_pred *q = pqf_pred_parse("ff > 1 OR zz = 2", 16, NULL, &err);
    ck_assert_int_eq(pqf_dataset_prune(ds, q, keep, &err), PQF_ERR_NO_COLUMN);
    ck_assert_uint_eq(err.offset, 10);
    pqf_pred_free(q);
    pqf_pred_free(p);
    pqf_dataset_free(ds);
}
END_TEST

typedef struct membuf {
    uint8_t *p;
    size_t n, cap;
} membuf;

static int mem_write(void *ctx, const void *data, size_t len) {
    membuf *b = ctx;
    if (b->n + len > b->cap) {
        b->cap = (b->n + len) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) return -1;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    return 0;
}

static int same_stats(const pqf_footer *a, const pqf_footer *b) {
    if (pqf_stats_column_count(a) != pqf_stats_column_count(b) || pqf_stats_bytes(a) != pqf_stats_bytes(b)) return 0;
    for (size_t col = 0; col < pqf_column_count(a); col++) {
        if (pqf_test_has_stats(a, col) != pqf_test_has_stats(b, col)) return 0;
        if (!pqf_test_has_stats(a, col)) continue;
        if (pqf_test_order(a, col) != pqf_test_order(b, col)) return 0;
        for (size_t rg = 0; rg < pqf_row_group_count(a); rg++) {
            pqf_stats x, y;
            if (pqf_stats_get(a, rg, col, &x) != PQF_OK || pqf_stats_get(b, rg, col, &y) != PQF_OK) return 0;
            if (x.has != y.has || x.num_values != y.num_values || x.null_count != y.null_count ||
                x.bloom_offset != y.bloom_offset || x.bloom_length != y.bloom_length)
                return 0;
            const pqf_str *sx[4] = {&x.min_value, &x.max_value, &x.min, &x.max};
            const pqf_str *sy[4] = {&y.min_value, &y.max_value, &y.min, &y.max};
            for (int k = 0; k < 4; k++) {
                if (!sx[k]->ptr != !sy[k]->ptr || sx[k]->len != sy[k]->len) return 0;
                if (sx[k]->ptr && memcmp(sx[k]->ptr, sy[k]->ptr, sx[k]->len) != 0) return 0;
            }
        }
    }
    return 1;
}

START_TEST(statistics_survive_save_and_index) {
    const char *cols[] = {"ff", "s", "st", "small"};
    pqf_options opt;
    memset(&opt, 0, sizeof opt);
    opt.stats_columns = cols;
    opt.num_stats_columns = 3;
    pqf_error err;
    pqf_footer *f = pqf_footer_decode_file(PRUNE_DIR "/types.parquet", &opt, &err);
    ck_assert_ptr_nonnull(f);
    membuf b = {NULL, 0, 0};
    ck_assert_int_eq(pqf_footer_serialize(f, mem_write, &b), PQF_OK);
    pqf_footer *g = pqf_footer_deserialize(b.p, b.n, NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.msg);
    ck_assert_int_eq(same_stats(f, g), 1);
    ck_assert_uint_eq(pqf_footer_bytes(f), pqf_footer_bytes(g));
    /* untrusted saved bytes: every cut and many flips in the statistics either
     * fail cleanly or give statistics that read back inside the footer */
    size_t model_end = b.n - (pqf_stats_bytes(f) ? 1 : 0);
    for (size_t cut = 0; cut < b.n; cut++) {
        pqf_footer *h = pqf_footer_deserialize(b.p, cut, NULL, &err);
        ck_assert_msg(h == NULL || cut < model_end, "cut %zu loaded", cut);
        pqf_footer_free(h);
    }
    uint8_t *copy = malloc(b.n);
    uint64_t x = 88172645463325252u;
    for (int round = 0; round < 3000; round++) {
        memcpy(copy, b.p, b.n);
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t at = b.n - 1 - (size_t)(x % 600); /* the statistics sit at the end */
        copy[at] ^= (uint8_t)(1u << (x >> 40) % 8);
        pqf_footer *h = pqf_footer_deserialize(copy, b.n, NULL, &err);
        if (h) {
            for (size_t col = 0; col < pqf_column_count(h); col++) {
                for (size_t rg = 0; rg < pqf_row_group_count(h); rg++) {
                    pqf_stats st;
                    if (pqf_stats_get(h, rg, col, &st) != PQF_OK) continue;
                    if (st.min_value.ptr) ck_assert_int_eq(st.min_value.ptr[st.min_value.len], 0);
                    if (st.max.ptr) ck_assert_int_eq(st.max.ptr[st.max.len], 0);
                }
            }
            pqf_footer_free(h);
        }
    }
    free(copy);
    pqf_footer_free(g);
    pqf_footer_free(f);
    free(b.p);
    /* a dataset saved with statistics prunes from its index, without the files' footers */
    const char *paths[] = {PRUNE_DIR "/types.parquet"};
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer = opt;
    pqf_dataset *ds = pqf_dataset_open(paths, 1, &o, &err);
    ck_assert_ptr_nonnull(ds);
    char index[] = "/tmp/pqf_prune_XXXXXX";
    int fd = mkstemp(index);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(pqf_dataset_save(ds, index, &err), PQF_OK);
    pqf_dataset *ld = pqf_dataset_load(index, NULL, &err);
    ck_assert_msg(ld != NULL, "%s", err.msg);
    remove(index);
    pqf_pred *p = pqf_pred_parse("ff > 51.5 AND s >= 'k0'", 23, NULL, &err);
    uint8_t k1[5], k2[5];
    ck_assert_int_eq(pqf_dataset_prune(ds, p, k1, &err), PQF_OK);
    ck_assert_int_eq(pqf_dataset_prune(ld, p, k2, &err), PQF_OK);
    static const uint8_t want[5] = {0, 0, 1, 1, 1};
    ck_assert_mem_eq(k1, want, 5);
    ck_assert_mem_eq(k2, want, 5);
    ck_assert_int_eq(same_stats(pqf_test_footer(ds, 0), pqf_test_footer(ld, 0)), 1);
    pqf_pred_free(p);
    pqf_dataset_free(ld);
    pqf_dataset_free(ds);
}
END_TEST

/* Copy src to dst, then set dst's mtime to mtime. */
static void copy_file(const char *src, const char *dst, time_t mtime) {
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
    struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
    ck_assert_int_eq(utimensat(AT_FDCWD, dst, ts, 0), 0);
}

/* The index records which statistics columns were asked for (names and
 * indexes), so an update re-decodes a changed file with the same statistics. */
START_TEST(update_keeps_statistics_columns) {
    char dir[] = "/tmp/pqf_prune_upd_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char file[128], index[128];
    snprintf(file, sizeof file, "%s/types.parquet", dir);
    snprintf(index, sizeof index, "%s/types.pqfi", dir);
    copy_file(PRUNE_DIR "/types.parquet", file, 1000000000);
    pqf_error err;
    pqf_footer *plain = pqf_footer_decode_file(file, NULL, &err);
    ck_assert_ptr_nonnull(plain);
    long st_col = pqf_test_find(plain, "st.x");
    ck_assert_int_ge(st_col, 0);
    pqf_footer_free(plain);
    const char *cols[] = {"ff", "s"};
    const uint32_t idx[] = {(uint32_t)st_col};
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer.stats_columns = cols;
    o.footer.num_stats_columns = 2;
    o.footer.stats_column_indexes = idx;
    o.footer.num_stats_column_indexes = 1;
    const char *paths[] = {file};
    pqf_dataset *ds = pqf_dataset_open(paths, 1, &o, &err);
    ck_assert_msg(ds != NULL, "%s", err.msg);
    ck_assert_int_eq(pqf_dataset_save(ds, index, &err), PQF_OK);
    pqf_dataset_free(ds);
    pqf_dataset *ld = pqf_dataset_load(index, NULL, &err);
    ck_assert_msg(ld != NULL, "%s", err.msg);
    ck_assert_uint_eq(pqf_stats_column_count(pqf_test_footer(ld, 0)), 3);
    copy_file(PRUNE_DIR "/types.parquet", file, 1000000100); /* the file changed */
    pqf_dataset *up = pqf_dataset_update(ld, NULL, &err);
    ck_assert_msg(up != NULL, "%s", err.msg);
    const pqf_footer *f = pqf_test_footer(up, 0);
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_ne(f, pqf_test_footer(ld, 0));
    ck_assert_uint_eq(pqf_stats_column_count(f), 3);
    ck_assert_int_eq(pqf_test_has_stats(f, (size_t)st_col), 1);
    pqf_pred *p = pqf_pred_parse("ff > 51.5 AND s >= 'k0'", 23, NULL, &err);
    uint8_t keep[5];
    ck_assert_int_eq(pqf_dataset_prune(up, p, keep, &err), PQF_OK);
    static const uint8_t want[5] = {0, 0, 1, 1, 1};
    ck_assert_mem_eq(keep, want, 5);
    /* saved again, the lists come back as they were */
    ck_assert_int_eq(pqf_dataset_save(up, index, &err), PQF_OK);
    pqf_dataset *again = pqf_dataset_load(index, NULL, &err);
    ck_assert_msg(again != NULL, "%s", err.msg);
    copy_file(PRUNE_DIR "/types.parquet", file, 1000000200);
    pqf_dataset *up2 = pqf_dataset_update(again, NULL, &err);
    ck_assert_msg(up2 != NULL, "%s", err.msg);
    ck_assert_uint_eq(pqf_stats_column_count(pqf_test_footer(up2, 0)), 3);
    pqf_dataset_free(up2);
    pqf_dataset_free(again);
    pqf_pred_free(p);
    pqf_dataset_free(up);
    pqf_dataset_free(ld);
    remove(index);
    remove(file);
    rmdir(dir);
}
END_TEST

/* ----------------------------------------------------- bloom filter bytes --- */

typedef struct mem_file {
    const uint8_t *p;
    size_t n;
    int reads;
} mem_file;

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len) {
    mem_file *m = ctx;
    m->reads++;
    if (off > m->n || len > m->n - off) return -1;
    memcpy(buf, m->p + off, len);
    return 0;
}

/* Header: numBytes, then the three unions; variant tweaks fields. */
static size_t header(uint8_t *out, int32_t nbytes, int alg_member, int drop_hash) {
    fb w;
    fb_init(&w);
    fb_begin(&w);
    fb_i32f(&w, 1, nbytes);
    fb_structf(&w, 2);
    fb_structf(&w, (int16_t)alg_member);
    fb_end(&w);
    fb_end(&w);
    if (!drop_hash) {
        fb_structf(&w, 3);
        fb_structf(&w, 1);
        fb_end(&w);
        fb_end(&w);
    }
    fb_structf(&w, 4);
    fb_structf(&w, 1);
    fb_end(&w);
    fb_end(&w);
    fb_end(&w);
    size_t len;
    uint8_t *b = fb_take(&w, &len);
    memcpy(out, b, len);
    free(b);
    return len;
}

START_TEST(bloom_headers) {
    uint8_t file[4096];
    memset(file, 0, sizeof file);
    size_t h = header(file, 64, 1, 0);
    memset(file + h, 0xFF, 64); /* every bit set: every value may be present */
    mem_file m = {file, h + 64, 0};
    const void *vals[1] = {"abc"};
    size_t lens[1] = {3};
    uint8_t found[1] = {9};
    pqf_error err;
    ck_assert_int_eq(pqf_bloom_probe(mem_read, &m, m.n, 0, (int32_t)(h + 64), vals, lens, 1, found, NULL, &err),
                     PQF_OK);
    ck_assert_int_eq(found[0], 1);
    ck_assert_int_eq(m.reads, 1); /* one bounded read when the length is known */
    memset(file + h, 0, 64);      /* no bit set: nothing is present */
    m.reads = 0;
    ck_assert_int_eq(pqf_bloom_probe(mem_read, &m, m.n, 0, 0, vals, lens, 1, found, NULL, &err), PQF_OK);
    ck_assert_int_eq(found[0], 0);
    ck_assert_int_eq(m.reads, 2); /* unknown length: header, then bitset */
    struct { int32_t nbytes; int alg; int drop; int32_t len; pqf_code code; } bad[] = {
        {-32, 1, 0, 0, PQF_ERR_MALFORMED},        /* negative size */
        {33, 1, 0, 0, PQF_ERR_MALFORMED},         /* not whole blocks */
        {1 << 30, 1, 0, 0, PQF_ERR_MALFORMED},    /* beyond the limit */
        {64, 2, 0, 0, PQF_ERR_MALFORMED},         /* an algorithm we do not know */
        {64, 1, 1, 0, PQF_ERR_MISSING_REQUIRED},  /* no hash */
        {64, 1, 0, 40, PQF_ERR_MALFORMED},        /* bitset longer than bloom_filter_length */
        {2048, 1, 0, 0, PQF_ERR_MALFORMED},       /* bitset past the end of the file */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(file, 0, sizeof file);
        size_t hl = header(file, bad[i].nbytes, bad[i].alg, bad[i].drop);
        mem_file b = {file, hl + 64, 0};
        pqf_code rc = pqf_bloom_probe(mem_read, &b, b.n, 0, bad[i].len, vals, lens, 1, found, NULL, &err);
        ck_assert_msg(rc == bad[i].code, "case %zu: %d (%s)", i, rc, err.msg);
    }
    /* truncated header, offsets outside the file, a length past the end */
    mem_file t = {file, 3, 0};
    ck_assert_int_ne(pqf_bloom_probe(mem_read, &t, 3, 0, 0, vals, lens, 1, found, NULL, &err), PQF_OK);
    ck_assert_int_eq(pqf_bloom_probe(mem_read, &m, m.n, -1, 0, vals, lens, 1, found, NULL, &err), PQF_ERR_MALFORMED);
    ck_assert_int_eq(pqf_bloom_probe(mem_read, &m, m.n, (int64_t)m.n, 0, vals, lens, 1, found, NULL, &err),
                     PQF_ERR_MALFORMED);
    ck_assert_int_eq(pqf_bloom_probe(mem_read, &m, m.n, 0, (int32_t)m.n + 1, vals, lens, 1, found, NULL, &err),
                     PQF_ERR_MALFORMED);
}
END_TEST

START_TEST(bloom_through_a_reader) {
    size_t len;
    uint8_t *file = pqf_test_read_file(PRUNE_DIR "/bloom.parquet", &len);
    ck_assert_ptr_nonnull(file);
    mem_file m = {file, len, 0};
    pqf_error err;
    pqf_pred *p = pqf_pred_parse("small IN (41, 43) OR name = 'name-25x'", 38, NULL, &err);
    ck_assert_ptr_nonnull(p);
    pqf_footer *f = open_for(PRUNE_DIR "/bloom.parquet", p);
    uint8_t keep[8];
    ck_assert_int_eq(pqf_pred_eval_bloom_reader(p, f, mem_read, &m, len, keep, &err), PQF_OK);
    for (int i = 0; i < 5; i++) ck_assert_int_eq(keep[i], 0);
    /* each leaf reads one filter per row group that statistics keep, in one read each */
    ck_assert_int_eq(m.reads, 10);
    /* a reader that fails is an I/O error, not a silent answer */
    mem_file broken = {file, 100, 0};
    ck_assert_int_eq(pqf_pred_eval_bloom_reader(p, f, mem_read, &broken, len, keep, &err), PQF_ERR_IO);
    pqf_footer_free(f);
    pqf_pred_free(p);
    free(file);
}
END_TEST

static Suite *make_suite(void) {
    Suite *s = suite_create("prune");
    TCase *tc = tcase_create("prune");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, never_prunes_what_duckdb_reads);
    tcase_add_test(tc, pins_semantics_on_known_data);
    tcase_add_test(tc, parquet_testing_bloom_files);
    tcase_add_test(tc, bloom_headers);
    tcase_add_test(tc, bloom_through_a_reader);
    tcase_add_test(tc, dataset_prune_across_files);
    tcase_add_test(tc, statistics_survive_save_and_index);
    tcase_add_test(tc, update_keeps_statistics_columns);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
