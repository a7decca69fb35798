/*
 * test_resources.c -- what the public header promises about resources:
 * the caller's pqf_allocator is the only source of heap memory (serializing
 * a footer, writing its JSON, slices, slimmed footers and the dataset layer:
 * open, list, save, load, verify, update, slice take nothing from malloc
 * directly), PQF_MAX_FOOTER_SIZE is
 * enforced, and errno holds the reason after PQF_ERR_IO.
 *
 * The counting allocator below hands out blocks from a static arena, never
 * from malloc, so while a library call runs the C heap must not grow. The
 * library's callbacks (the write sink, progress, verify) run in the middle
 * of those calls, with the library's working memory live: each one compares
 * glibc's count of heap bytes in use (mallinfo2) with the count taken just
 * before the call. A hidden malloc shows up there; so would one that leaks.
 * Where mallinfo2 cannot see the heap (other C libraries, sanitizers with
 * their own allocator) the heap checks are skipped with a note and only the
 * allocator's own bookkeeping is checked.
 */
#define _GNU_SOURCE /* mallinfo2 */
#include <errno.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_support.h"
#include "pqfoot_dataset.h"

#ifndef PQF_TEST_DATA
#define PQF_TEST_DATA "tests/data"
#endif

/* --------------------------------------------- counting arena allocator --- */

#define ARENA_SIZE (32u << 20)
#define HDR 16u

typedef struct arena {
    size_t used;     /* bump pointer */
    size_t live;     /* bytes allocated and not yet freed */
    size_t allocs, frees;
    int bad_free;    /* a free whose size differs from the allocation's */
} arena;

static _Alignas(16) unsigned char arena_mem[ARENA_SIZE];

static void *arena_alloc(void *ctx, size_t size) {
    arena *a = ctx;
    size_t need = (size + HDR + 15u) & ~(size_t)15u;
    if (size > ARENA_SIZE || need > ARENA_SIZE - a->used) return NULL;
    unsigned char *p = arena_mem + a->used;
    a->used += need;
    memcpy(p, &size, sizeof size);
    a->live += size;
    a->allocs++;
    return p + HDR;
}

static void arena_free(void *ctx, void *ptr, size_t size) {
    arena *a = ctx;
    if (!ptr) return;
    size_t had;
    memcpy(&had, (unsigned char *)ptr - HDR, sizeof had);
    if (had != size) a->bad_free = 1;
    a->live -= had;
    a->frees++;
}

/* ----------------------------------------------------------- the heap --- */

/* Bytes the C heap has handed out (arena chunks and mmapped ones). */
static size_t heap_in_use(void) {
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* 1 when mallinfo2 sees a malloc of ours (glibc's own allocator). */
static int heap_visible(void) {
    size_t before = heap_in_use();
    void *volatile p = malloc(4000);
    size_t during = heap_in_use();
    free(p);
    int ok = during >= before + 4000;
    if (!ok) fprintf(stderr, "test_resources: mallinfo2 does not see the heap here; heap checks skipped\n");
    return ok;
}

/* What a callback checks: the heap as it was before the library call. */
typedef struct probe {
    int on;          /* heap checks enabled */
    size_t baseline;
    size_t calls, grew;
} probe;

static void probe_start(probe *p) {
    p->baseline = heap_in_use();
    p->calls = p->grew = 0;
}

static void probe_check(probe *p) {
    p->calls++;
    if (p->on && heap_in_use() != p->baseline) p->grew++;
}

/* A write sink into a static buffer (no heap of its own). */
static unsigned char sink_mem[1u << 20];
typedef struct sink {
    probe *pr;
    size_t len;
} sink;

static int sink_write(void *ctx, const void *data, size_t len) {
    sink *s = ctx;
    probe_check(s->pr);
    if (len > sizeof sink_mem - s->len) return -1;
    memcpy(sink_mem + s->len, data, len);
    s->len += len;
    return 0;
}

/* ------------------------------------------------------------- footers --- */

/* The FileMetaData bytes of a whole file held in memory (NULL if it has none). */
static const uint8_t *footer_of(const uint8_t *file, size_t n, size_t *len) {
    if (n < 12) return NULL;
    const uint8_t *t = file + n - 8;
    size_t flen = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
    if (flen > n - 12) return NULL;
    *len = flen;
    return t - flen;
}

/* A slice of f (every row group up to 8, every column, key-value metadata)
 * and the slimmed footer of file: memory only from the arena a (f's
 * allocator, and alc given to slim), the heap unchanged during the calls. */
static void check_slice_and_slim(const char *file, const pqf_footer *f, const arena *a,
                                 const pqf_allocator *alc, probe *pr) {
    pqf_error err;
    const pqf_allocator *fa = pqf_footer_allocator(f);
    ck_assert_ptr_nonnull(fa);
    ck_assert(fa->alloc == arena_alloc && fa->ctx == a);
    uint32_t rgs[8];
    size_t nrg = pqf_row_group_count(f) < 8 ? (size_t)pqf_row_group_count(f) : 8;
    for (size_t k = 0; k < nrg; k++) rgs[k] = (uint32_t)k;
    pqf_slice_options so = {rgs, nrg, NULL, 0, PQF_SLICE_KV};
    size_t allocs = a->allocs, live = a->live;
    sink s = {pr, 0};
    probe_start(pr);
    ck_assert_int_eq(pqf_footer_slice(f, &so, sink_write, &s, &err), PQF_OK);
    ck_assert_uint_gt(pr->calls, 0);
    ck_assert_uint_eq(pr->grew, 0);
    if (pr->on) ck_assert_uint_eq(heap_in_use(), pr->baseline);
    ck_assert_uint_gt(a->allocs, allocs); /* it did allocate, from the arena */
    ck_assert_uint_eq(a->live, live);

    /* the file is read before the probe starts: that malloc is the test's */
    size_t n, flen = 0;
    uint8_t *b = pqf_test_read_file(file, &n);
    ck_assert_ptr_nonnull(b);
    const uint8_t *fm = footer_of(b, n, &flen);
    ck_assert_ptr_nonnull(fm);
    pqf_slim_options sl;
    memset(&sl, 0, sizeof sl);
    sl.allocator = alc;
    sl.flags = PQF_SLIM_DROP_KV;
    allocs = a->allocs;
    s.len = 0;
    probe_start(pr);
    ck_assert_int_eq(pqf_footer_slim(fm, flen, &sl, sink_write, &s, &err), PQF_OK);
    ck_assert_uint_eq(pr->calls, 1);
    ck_assert_uint_eq(pr->grew, 0);
    if (pr->on) ck_assert_uint_eq(heap_in_use(), pr->baseline);
    ck_assert_uint_gt(a->allocs, allocs);
    ck_assert_uint_eq(a->live, live);
    ck_assert_uint_gt(s.len, 0);
    ck_assert_uint_le(s.len, flen);
    free(b);
}

START_TEST(test_footer_paths_use_only_the_allocator) {
    static arena a;
    memset(&a, 0, sizeof a);
    pqf_allocator alc = {arena_alloc, arena_free, &a};
    pqf_options o;
    memset(&o, 0, sizeof o);
    o.allocator = &alc;
    o.flags = PQF_KEEP_KV | PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM;
    probe pr = {heap_visible(), 0, 0, 0};
    pqf_error err;
    static const char *const files[] = {PQF_TEST_DATA "/kv.parquet", PQF_TEST_DATA "/dict.parquet",
                                        PQF_TEST_DATA "/logical.parquet"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        pqf_footer *f = pqf_footer_decode_file(files[i], &o, &err);
        ck_assert_msg(f != NULL, "%s: %s", files[i], err.msg);
        /* serialize: its staging buffer comes from the allocator */
        size_t allocs = a.allocs, live = a.live;
        sink s = {&pr, 0};
        probe_start(&pr);
        ck_assert_int_eq(pqf_footer_serialize(f, sink_write, &s), PQF_OK);
        ck_assert_uint_gt(pr.calls, 0);
        ck_assert_uint_eq(pr.grew, 0);
        ck_assert_uint_eq(heap_in_use(), pr.on ? pr.baseline : heap_in_use());
        ck_assert_uint_eq(a.allocs, allocs + 1);
        ck_assert_uint_eq(a.live, live);
        /* and loading it back honours the allocator too */
        pqf_footer *back = pqf_footer_deserialize(sink_mem, s.len, &alc, &err);
        ck_assert_msg(back != NULL, "%s", err.msg);
        ck_assert_uint_eq(heap_in_use(), pr.on ? pr.baseline : heap_in_use());
        pqf_footer_free(back);
        /* JSON: no heap and no allocation at all */
        allocs = a.allocs;
        s.len = 0;
        probe_start(&pr);
        ck_assert_int_eq(pqf_footer_write_json(f, files[i], sink_write, &s), PQF_OK);
        ck_assert_uint_gt(pr.calls, 0);
        ck_assert_uint_eq(pr.grew, 0);
        ck_assert_uint_eq(a.allocs, allocs);
        /* slices and slim */
        check_slice_and_slim(files[i], f, &a, &alc, &pr);
        pqf_footer_free(f);
    }
    /* A failing allocator: serialize, slice and slim say so instead of
     * falling back to malloc, and write nothing. */
    pqf_footer *f = pqf_footer_decode_file(files[0], &o, &err);
    ck_assert_ptr_nonnull(f);
    size_t n, flen = 0;
    uint8_t *b = pqf_test_read_file(files[0], &n);
    ck_assert_ptr_nonnull(b);
    const uint8_t *fm = footer_of(b, n, &flen);
    ck_assert_ptr_nonnull(fm);
    uint32_t rg0 = 0;
    pqf_slice_options so = {&rg0, 1, NULL, 0, 0};
    pqf_slim_options sl;
    memset(&sl, 0, sizeof sl);
    sl.allocator = &alc;
    size_t keep = a.used;
    a.used = ARENA_SIZE; /* full */
    sink s = {&pr, 0};
    ck_assert_int_eq(pqf_footer_serialize(f, sink_write, &s), PQF_ERR_NOMEM);
    ck_assert_int_eq(pqf_footer_slice(f, &so, sink_write, &s, &err), PQF_ERR_NOMEM);
    ck_assert_int_eq(pqf_footer_slim(fm, flen, &sl, sink_write, &s, &err), PQF_ERR_NOMEM);
    ck_assert_uint_eq(s.len, 0);
    a.used = keep;
    /* slim without an allocator: malloc/free */
    sl.allocator = NULL;
    ck_assert_int_eq(pqf_footer_slim(fm, flen, &sl, sink_write, &s, &err), PQF_OK);
    free(b);
    pqf_footer_free(f);
    ck_assert_uint_eq(a.live, 0);
    ck_assert_int_eq(a.bad_free, 0);
}
END_TEST

/* ------------------------------------------------------------ datasets --- */

static void on_progress(void *ctx, size_t done, size_t total) {
    (void)done;
    (void)total;
    probe_check(ctx);
}

static void on_verify(void *ctx, const char *path, int status) {
    (void)path;
    (void)status;
    probe_check(ctx);
}

static void copy_file(const char *from, const char *to) {
    size_t n;
    uint8_t *b = pqf_test_read_file(from, &n);
    ck_assert_msg(b != NULL, "cannot read %s", from);
    FILE *fp = fopen(to, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(b, 1, n, fp), n);
    ck_assert_int_eq(fclose(fp), 0);
    free(b);
}

START_TEST(test_dataset_paths_use_only_the_allocator) {
    char dir[] = "/tmp/pqf-alloc-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char p1[64], p2[64], p3[64], idx[64], sub[64];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    snprintf(p1, sizeof p1, "%s/a.parquet", dir);
    snprintf(p2, sizeof p2, "%s/sub/b.parquet", dir);
    snprintf(p3, sizeof p3, "%s/sub/c.parquet", dir);
    snprintf(idx, sizeof idx, "%s/i.pqfi", dir);
    copy_file(PQF_TEST_DATA "/kv.parquet", p1);
    copy_file(PQF_TEST_DATA "/dict.parquet", p2);

    static arena a;
    memset(&a, 0, sizeof a);
    pqf_allocator alc = {arena_alloc, arena_free, &a};
    probe pr = {heap_visible(), 0, 0, 0};
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer.allocator = &alc;
    o.progress = on_progress;
    o.progress_ctx = &pr;
    pqf_error err;

    probe_start(&pr);
    pqf_dataset *ds = pqf_dataset_open_dir(dir, &o, &err);
    ck_assert_msg(ds != NULL, "%s", err.msg);
    ck_assert_uint_eq(pr.calls, 2);
    ck_assert_uint_eq(pr.grew, 0);
    size_t base = pr.baseline;
    /* listing the directory: the same two files, memory from the arena */
    char **list = NULL;
    size_t nlist = 0, allocs = a.allocs;
    ck_assert_int_eq(pqf_dataset_list_dir(dir, &alc, &list, &nlist, &err), PQF_OK);
    ck_assert_uint_eq(nlist, 2);
    ck_assert_str_eq(list[0], p1);
    ck_assert_str_eq(list[1], p2);
    ck_assert_uint_gt(a.allocs, allocs);
    if (pr.on) ck_assert_uint_eq(heap_in_use(), base);
    pqf_dataset_list_free(&alc, list, nlist);
    /* a slice of a dataset row group: from the dataset's allocator */
    sink s = {&pr, 0};
    allocs = a.allocs;
    probe_start(&pr);
    ck_assert_int_eq(pqf_dataset_slice(ds, 0, NULL, 0, 0, sink_write, &s, &err), PQF_OK);
    ck_assert_uint_gt(pr.calls, 0);
    ck_assert_uint_eq(pr.grew, 0);
    ck_assert_uint_gt(a.allocs, allocs);
    ck_assert_int_eq(pqf_dataset_save(ds, idx, &err), PQF_OK);
    pqf_dataset *back = pqf_dataset_load(idx, &alc, &err);
    ck_assert_msg(back != NULL, "%s", err.msg);
    /* Nothing was left on the heap by open, save (zstd included) or load. */
    if (pr.on) ck_assert_uint_eq(heap_in_use(), base);

    copy_file(PQF_TEST_DATA "/logical.parquet", p3);
    probe_start(&pr);
    ck_assert_int_eq(pqf_dataset_verify(back, 1, on_verify, &pr, &err), PQF_OK);
    ck_assert_uint_eq(pr.calls, 1); /* the new file */
    ck_assert_uint_eq(pr.grew, 0);
    probe_start(&pr);
    pqf_dataset *up = pqf_dataset_update(back, &o, &err);
    ck_assert_msg(up != NULL, "%s", err.msg);
    ck_assert_uint_eq(pr.calls, 3);
    ck_assert_uint_eq(pr.grew, 0);
    ck_assert_uint_eq(pqf_dataset_file_count(up), 3);
    if (pr.on) ck_assert_uint_eq(heap_in_use(), pr.baseline);
    pqf_dataset_free(up);
    pqf_dataset_free(back);
    pqf_dataset_free(ds);
    ck_assert_uint_eq(a.live, 0);
    ck_assert_int_eq(a.bad_free, 0);
    ck_assert_uint_eq(a.allocs, a.frees);
    unlink(p1);
    unlink(p2);
    unlink(p3);
    unlink(idx);
    rmdir(sub);
    rmdir(dir);
}
END_TEST

/* ------------------------------------------------------ limits, errno --- */

START_TEST(test_footer_size_limit) {
    if (sizeof(size_t) <= 4) return; /* no blob can be that long */
    static const uint8_t some[16];
    pqf_error err;
    uint64_t too_long = (uint64_t)PQF_MAX_FOOTER_SIZE + 1;
    /* Refused before a byte is read, so the short buffer is never overrun. */
    ck_assert_ptr_null(pqf_footer_decode(some, (size_t)too_long, NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_LIMIT);
    ck_assert_ptr_null(pqf_footer_decode(some, (size_t)too_long, NULL, NULL));
}
END_TEST

START_TEST(test_errno_after_io_errors) {
    pqf_error err;
    errno = 0;
    ck_assert_ptr_null(pqf_footer_decode_file("/nonexistent/pqf/x.parquet", NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_IO);
    ck_assert_int_eq(errno, ENOENT);
    errno = 0;
    ck_assert_ptr_null(pqf_footer_decode_file(PQF_TEST_DATA, NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_IO);
    ck_assert_int_eq(errno, EISDIR);
    const char *paths[] = {PQF_TEST_DATA "/kv.parquet", "/nonexistent/pqf/y.parquet"};
    for (uint32_t threads = 1; threads <= 2; threads++) {
        /* With threads the failure happens on another thread: still here. */
        pqf_dataset_options o;
        memset(&o, 0, sizeof o);
        o.threads = threads;
        errno = 0;
        ck_assert_ptr_null(pqf_dataset_open(paths, 2, &o, &err));
        ck_assert_int_eq(err.code, PQF_ERR_IO);
        ck_assert_int_eq(errno, ENOENT);
    }
    errno = 0;
    ck_assert_ptr_null(pqf_dataset_open_dir("/nonexistent/pqf", NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_IO);
    ck_assert_int_eq(errno, ENOENT);
    /* listing: errno and the directory in err.path; nothing handed back */
    char *junk[1] = {NULL};
    char **list = junk; /* must come back NULL */
    size_t n = 7;
    errno = 0;
    ck_assert_int_eq(pqf_dataset_list_dir("/nonexistent/pqf", NULL, &list, &n, &err), PQF_ERR_IO);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_str_eq(err.path, "/nonexistent/pqf");
    ck_assert_ptr_null(list);
    ck_assert_uint_eq(n, 0);
    errno = 0;
    ck_assert_int_eq(pqf_dataset_list_dir(PQF_TEST_DATA "/kv.parquet", NULL, &list, &n, &err), PQF_ERR_IO);
    ck_assert_int_eq(errno, ENOTDIR);
    ck_assert_int_eq(pqf_dataset_list_dir(NULL, NULL, &list, &n, &err), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_dataset_list_dir(PQF_TEST_DATA, NULL, NULL, &n, &err), PQF_ERR_INVALID_ARG);
    /* an empty directory: no paths, no array */
    char empty[] = "/tmp/pqf-empty-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(empty));
    n = 7;
    ck_assert_int_eq(pqf_dataset_list_dir(empty, NULL, &list, &n, &err), PQF_OK);
    ck_assert_ptr_null(list);
    ck_assert_uint_eq(n, 0);
    pqf_dataset_list_free(NULL, list, n);
    rmdir(empty);
    errno = 0;
    ck_assert_ptr_null(pqf_dataset_load("/nonexistent/pqf/i.pqfi", NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_IO);
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

static Suite *make_suite(void) {
    Suite *s = suite_create("resources");
    TCase *tc = tcase_create("resources");
    tcase_add_test(tc, test_footer_paths_use_only_the_allocator);
    tcase_add_test(tc, test_dataset_paths_use_only_the_allocator);
    tcase_add_test(tc, test_footer_size_limit);
    tcase_add_test(tc, test_errno_after_io_errors);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
