/*
 * test_api.c -- the entry points and the API around them: file tails
 * (PAR1/PARE, short tails and err.needed), files (speculative tail and second
 * read, small files, missing files, directories), reader callbacks (number of
 * reads, failures), chunk offsets against the file size, allocator hooks,
 * the memory cap, NULL-safety of the accessors, pqf_version(), and every
 * non-encrypted file of parquet-testing when it is present.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_support.h"
#include "getters.h"
#include "footer_builder.h"

#define PRE 0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C

/* ------------------------------------------------------------- helpers --- */

/* A footer of ncols flat columns and nrg contiguous row groups (chunks from
 * offset 4). *data_end is where the last chunk ends. */
static uint8_t *make_footer(size_t ncols, size_t nrg, size_t *len, int64_t *data_end) {
    fb_rg *rgs = calloc(nrg + 1, sizeof *rgs);
    fb_chunk *ch = calloc(nrg * ncols + 1, sizeof *ch);
    ck_assert(rgs && ch);
    for (size_t g = 0; g < nrg; g++) rgs[g] = (fb_rg){.num_rows = 10, .total_byte_size = 100};
    fb_chunks_contiguous(ch, nrg, ncols, NULL, rgs);
    if (data_end) *data_end = (nrg && ncols) ? ch[nrg * ncols - 1].dpo + ch[nrg * ncols - 1].tcs : 4;
    static const char *const kv[] = {"k", "v"};
    fb_footer F = {.version = 1, .num_rows = 10 * (int64_t)nrg, .created_by = "api test", .ncols = ncols,
                   .rgs = rgs, .nrg = nrg, .chunks = ch, .kv = kv, .nkv = 1, .stats = 1};
    uint8_t *b = fb_footer_encode(&F, len);
    free(rgs);
    free(ch);
    return b;
}

/* Write bytes to a fresh temporary file; returns its path (free() it, unlink it). */
static char *temp_file(const void *data, size_t n) {
    char *path = strdup("/tmp/pqf_test_api_XXXXXX");
    ck_assert_ptr_nonnull(path);
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const uint8_t *p = data;
    while (n) {
        ssize_t w = write(fd, p, n);
        ck_assert_int_gt(w, 0);
        p += w;
        n -= (size_t)w;
    }
    ck_assert_int_eq(close(fd), 0);
    return path;
}

static void expect_code(int line, pqf_footer *f, const pqf_error *e, pqf_code code) {
    if (f) pqf_footer_free(f);
    ck_assert_msg(f == NULL, "line %d: succeeded, wanted %s", line, pqf_code_name(code));
    ck_assert_msg((unsigned)e->code < PQF_ERR__COUNT, "line %d: code not written", line);
    ck_assert_msg(e->code == code, "line %d: got %s (%s), wanted %s", line, pqf_code_name(e->code), e->msg,
                  pqf_code_name(code));
    ck_assert_msg(e->msg != NULL && e->msg[0], "line %d: msg", line);
    ck_assert_msg(memchr(e->path, 0, sizeof e->path) != NULL, "line %d: path", line);
}
#define EXPECT_CODE(f, e, code) expect_code(__LINE__, (f), (e), (code))

static void expect_success(int line, pqf_footer *f, const pqf_error *e) {
    ck_assert_msg(f != NULL, "line %d: failed: %s (%s) at %llu [%s]", line, pqf_code_name(e->code), e->msg,
                  (unsigned long long)e->offset, e->path);
    ck_assert_msg(e->code == PQF_OK && e->offset == 0 && e->needed == 0 && e->path[0] == 0 && e->msg,
                  "line %d: error struct not cleared", line);
}
#define EXPECT_SUCCESS(f, e) expect_success(__LINE__, (f), (e))

/* --------------------------------------------------------------- version --- */

START_TEST(t_version) {
    const char *v = pqf_version();
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(v, PQF_VERSION_STRING);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", PQF_VERSION_MAJOR, PQF_VERSION_MINOR, PQF_VERSION_PATCH);
    ck_assert_str_eq(v, want);
}
END_TEST

/* The path matches what the CPU says (the AVX-512 one needs F, BW, VL, VBMI, BMI1 and BMI2). */
START_TEST(t_decode_path) {
    const char *p = pqf_decode_path();
    ck_assert_ptr_nonnull(p);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(PQF_NO_WIDE)
    int wide = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
               __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
    ck_assert_str_eq(p, wide ? "avx512" : "portable");
#else
    ck_assert_str_eq(p, "portable");
#endif
}
END_TEST

/* ---------------------------------------------------------------- tails --- */

START_TEST(t_tail) {
    size_t flen, n;
    int64_t data_end;
    uint8_t *footer = make_footer(3, 4, &flen, &data_end);
    uint8_t *img = fb_file_image(footer, flen, (size_t)data_end, NULL, &n);
    pqf_error e;

    /* the whole file, size known and unknown */
    pqf_test_poison(&e);
    pqf_footer *f = pqf_footer_decode_tail(img, n, n, NULL, &e);
    EXPECT_SUCCESS(f, &e);
    ck_assert_uint_eq(pqf_footer_file_size(f), n);
    ck_assert_uint_eq(pqf_footer_serialized_size(f), flen);
    ck_assert_uint_eq(pqf_row_group_count(f), 4);
    pqf_footer *ref = pqf_footer_decode(footer, flen, NULL, NULL);
    ck_assert_ptr_nonnull(ref);
    ASSERT_SAME_FOOTER(f, ref);
    pqf_footer_free(f);
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(img, n, 0, NULL, &e);
    EXPECT_SUCCESS(f, &e);
    ck_assert_uint_eq(pqf_footer_file_size(f), 0);
    pqf_footer_free(f);

    /* exactly footer + 8 bytes, with the size known */
    const uint8_t *tail = img + n - flen - 8;
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(tail, flen + 8, n, NULL, &e);
    EXPECT_SUCCESS(f, &e);
    ASSERT_SAME_FOOTER(f, ref);
    pqf_footer_free(f);

    /* shorter tails: TRUNCATED, err.needed = footer + 8, then success with that many */
    const size_t shorter[] = {8, 9, 20, flen, flen + 7};
    for (size_t i = 0; i < sizeof shorter / sizeof *shorter; i++) {
        size_t k = shorter[i];
        pqf_test_poison(&e);
        f = pqf_footer_decode_tail(img + n - k, k, n, NULL, &e);
        EXPECT_CODE(f, &e, PQF_ERR_TRUNCATED);
        ck_assert_uint_eq(e.needed, flen + 8);
        ck_assert_uint_eq(e.offset, 0);
        ck_assert_str_eq(e.path, "");
        uint64_t needed = e.needed;
        pqf_test_poison(&e);
        f = pqf_footer_decode_tail(img + n - needed, (size_t)needed, n, NULL, &e);
        EXPECT_SUCCESS(f, &e);
        pqf_footer_free(f);
        /* unknown file size: the same */
        pqf_test_poison(&e);
        f = pqf_footer_decode_tail(img + n - k, k, 0, NULL, &e);
        EXPECT_CODE(f, &e, PQF_ERR_TRUNCATED);
        ck_assert_uint_eq(e.needed, flen + 8);
    }
    /* fewer than 8 bytes: the trailer itself is needed */
    for (size_t k = 0; k < 8; k++) {
        pqf_test_poison(&e);
        f = pqf_footer_decode_tail(img + n - k, k, 0, NULL, &e);
        EXPECT_CODE(f, &e, PQF_ERR_TRUNCATED);
        ck_assert_uint_eq(e.needed, 8);
        pqf_test_poison(&e);
        f = pqf_footer_decode_tail(img + n - k, k, n, NULL, &e);
        EXPECT_CODE(f, &e, PQF_ERR_TRUNCATED);
        ck_assert_uint_eq(e.needed, 8);
    }
    /* a tail longer than the file is a caller error */
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(img, n, n - 1, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_INVALID_ARG);
    pqf_footer_free(ref);
    free(img);

    /* PARE: encrypted footer; anything else: not Parquet */
    img = fb_file_image(footer, flen, 10, "PARE", &n);
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(img, n, n, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_ENCRYPTED);
    ck_assert_uint_eq(e.needed, 0);
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(img + n - 8, 8, 0, NULL, &e); /* the trailer alone says it */
    EXPECT_CODE(f, &e, PQF_ERR_ENCRYPTED);
    free(img);
    static const char *const bad[] = {"PAR0", "par1", "1RAP", "\0\0\0\0", "PAR"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        img = fb_file_image(footer, flen, 10, bad[i], &n);
        if (i == 4) img[n - 1] = ' ';
        pqf_test_poison(&e);
        f = pqf_footer_decode_tail(img, n, n, NULL, &e);
        EXPECT_CODE(f, &e, PQF_ERR_NOT_PARQUET);
        ck_assert_uint_eq(e.needed, 0);
        free(img);
    }
    /* a footer length larger than the file can hold (footer + 8 + leading magic) */
    static const uint8_t mini[] = {PRE, 0x00}; /* no row groups: no data needed */
    img = fb_file_image(mini, sizeof mini, 0, NULL, &n); /* n = footer + 12 exactly: fits */
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(img, n, n, NULL, &e);
    EXPECT_SUCCESS(f, &e);
    pqf_footer_free(f);
    img[n - 8] = (uint8_t)(sizeof mini + 1);
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(img, n, n, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_NOT_PARQUET);
    memset(img + n - 8, 0xFF, 4);
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(img, n, n, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_NOT_PARQUET);
    /* ... but with no size given, only the tail can say: it needs 4 GiB + 7 */
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(img, n, 0, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_TRUNCATED);
    ck_assert_uint_eq(e.needed, (uint64_t)0xFFFFFFFFu + 8);
    free(img);
    /* too small to be Parquet at all */
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail("PAR1", 4, 4, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_NOT_PARQUET);
    /* a zero-length footer in a 12-byte file: nothing to decode */
    static const uint8_t empty[12] = {'P', 'A', 'R', '1', 0, 0, 0, 0, 'P', 'A', 'R', '1'};
    pqf_test_poison(&e);
    f = pqf_footer_decode_tail(empty, 12, 12, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_TRUNCATED);
    ck_assert_uint_eq(e.offset, 0);
    free(footer);
}
END_TEST

/* Chunk ranges must lie between the leading magic and the footer when the file
 * size is known; chunks in other files (file_path) are not checked. */
static int cc_begin_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    int64_t *at = ctx;
    if (level == FB_L_CC && fid == FB_AT_BEGIN && i == 0 && j == 1) *at = (int64_t)w->len;
    return 1;
}

START_TEST(t_data_region) {
    fb_rg rg = {.num_rows = 1, .total_byte_size = 1};
    fb_chunk ch[2];
    fb_chunks_contiguous(ch, 1, 2, NULL, &rg);
    int64_t end = ch[1].dpo + ch[1].tcs; /* the data region needed */
    int64_t cc1 = -1;
    fb_footer F = {.version = 1, .num_rows = 1, .ncols = 2, .rgs = &rg, .nrg = 1, .chunks = ch,
                   .hook = cc_begin_hook, .hook_ctx = &cc1};
    for (int variant = 0; variant < 6; variant++) {
        fb_chunks_contiguous(ch, 1, 2, NULL, &rg);
        int64_t data = end - 4; /* data bytes after "PAR1": exactly enough */
        int ok = 1;
        switch (variant) {
        case 0: break;
        case 1: data -= 1; ok = 0; break;                       /* one byte short */
        case 2: ch[1].tcs = INT64_MAX; ok = 0; break;            /* length overflowing */
        case 3: ch[1].dpo = INT64_MAX - 1; ch[1].tcs = 1; ok = 0; break;
        case 4: ch[1].has |= PQF_CH_FILE_PATH; ch[1].file_path = "other.parquet"; ch[1].dpo = INT64_MAX - 10; break;
        case 5: /* the dictionary page starts the range */
            ch[1].has |= PQF_CH_DICT;
            ch[1].dict = ch[1].dpo - 1;
            ok = 1;
            break;
        }
        size_t flen, n;
        uint8_t *footer = fb_footer_encode(&F, &flen);
        uint8_t *img = fb_file_image(footer, flen, (size_t)data, NULL, &n);
        pqf_error e;
        pqf_test_poison(&e);
        pqf_footer *f = pqf_footer_decode_tail(img, n, n, NULL, &e);
        if (ok) {
            EXPECT_SUCCESS(f, &e);
            pqf_footer_free(f);
        } else {
            EXPECT_CODE(f, &e, PQF_ERR_MALFORMED);
            ck_assert_int_eq(e.offset, cc1); /* the ColumnChunk */
            ck_assert_str_eq(e.path, "row_groups[0].columns[1].meta_data");
            ck_assert_uint_eq(e.needed, 0);
        }
        /* without a size: not checked */
        f = pqf_footer_decode(footer, flen, NULL, &e);
        EXPECT_SUCCESS(f, &e);
        pqf_footer_free(f);
        f = pqf_footer_decode_tail(img + n - flen - 8, flen + 8, 0, NULL, &e);
        EXPECT_SUCCESS(f, &e);
        pqf_footer_free(f);
        /* through a file the size is known */
        char *path = temp_file(img, n);
        f = pqf_footer_decode_file(path, NULL, &e);
        if (ok) {
            EXPECT_SUCCESS(f, &e);
            ck_assert_uint_eq(pqf_footer_file_size(f), n);
            pqf_footer_free(f);
        } else {
            EXPECT_CODE(f, &e, PQF_ERR_MALFORMED);
        }
        unlink(path);
        free(path);
        free(img);
        free(footer);
    }
}
END_TEST

/* ---------------------------------------------------------------- files --- */

START_TEST(t_file) {
    size_t flen, n;
    int64_t data_end;
    uint8_t *footer = make_footer(20, 30, &flen, &data_end);
    ck_assert_uint_gt(flen, 4096);
    uint8_t *img = fb_file_image(footer, flen, (size_t)data_end, NULL, &n);
    char *path = temp_file(img, n);
    pqf_footer *ref = pqf_footer_decode(footer, flen, NULL, NULL);
    ck_assert_ptr_nonnull(ref);
    pqf_error e;
    /* default speculative tail (the footer fits), tiny tails (a second read), huge tails */
    const uint32_t tails[] = {0, 1, 8, 9, 100, (uint32_t)flen + 7, (uint32_t)flen + 8, (uint32_t)flen + 9,
                              (uint32_t)n, (uint32_t)n + 1, UINT32_MAX};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        pqf_options o = {.tail_size = tails[i]};
        pqf_test_poison(&e);
        pqf_footer *f = pqf_footer_decode_file(path, &o, &e);
        EXPECT_SUCCESS(f, &e);
        ck_assert_uint_eq(pqf_footer_file_size(f), n);
        ASSERT_SAME_FOOTER(f, ref);
        pqf_footer_free(f);
    }
    /* NULL options and NULL error are fine */
    pqf_footer *f = pqf_footer_decode_file(path, NULL, NULL);
    ck_assert_ptr_nonnull(f);
    pqf_footer_free(f);
    unlink(path);
    free(path);

    /* files too small to be Parquet */
    for (size_t k = 0; k < 12; k++) {
        path = temp_file(img + n - k, k);
        pqf_test_poison(&e);
        f = pqf_footer_decode_file(path, NULL, &e);
        EXPECT_CODE(f, &e, PQF_ERR_NOT_PARQUET);
        ck_assert_uint_eq(e.needed, 0);
        unlink(path);
        free(path);
    }
    /* a file whose trailer claims more than the file holds */
    path = temp_file(img + n - flen - 8, flen + 8);
    pqf_test_poison(&e);
    f = pqf_footer_decode_file(path, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_NOT_PARQUET);
    unlink(path);
    free(path);
    /* PARE */
    free(img);
    img = fb_file_image(footer, flen, (size_t)data_end, "PARE", &n);
    path = temp_file(img, n);
    pqf_test_poison(&e);
    f = pqf_footer_decode_file(path, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_ENCRYPTED);
    unlink(path);
    free(path);
    /* missing file, directory */
    pqf_test_poison(&e);
    f = pqf_footer_decode_file("/tmp/pqf_test_api_no_such_file.parquet", NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_IO);
    ck_assert_uint_eq(e.offset, 0);
    ck_assert_uint_eq(e.needed, 0);
    ck_assert_str_eq(e.path, "");
    pqf_test_poison(&e);
    f = pqf_footer_decode_file("/tmp", NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_IO);
    pqf_test_poison(&e);
    f = pqf_footer_decode_file("", NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_IO);
    pqf_footer_free(ref);
    free(img);
    free(footer);
}
END_TEST

/* -------------------------------------------------------------- readers --- */

typedef struct reader {
    const uint8_t *data;
    uint64_t size;
    int reads;
    int fail_on;            /* fail the n-th read (1-based); 0 never */
    uint64_t off[8];
    size_t len[8];
} reader;

static int read_cb(void *ctx, uint64_t offset, void *buf, size_t len) {
    reader *r = ctx;
    if (r->reads < 8) r->off[r->reads] = offset, r->len[r->reads] = len;
    r->reads++;
    ck_assert_msg(offset <= r->size && len <= r->size - offset, "read %llu+%zu past the file",
                  (unsigned long long)offset, len);
    if (r->fail_on == r->reads) return -1;
    memcpy(buf, r->data + offset, len);
    return 0;
}

START_TEST(t_reader) {
    size_t flen, n;
    int64_t data_end;
    uint8_t *footer = make_footer(10, 10, &flen, &data_end);
    uint8_t *img = fb_file_image(footer, flen, (size_t)data_end + 5000, NULL, &n);
    pqf_footer *ref = pqf_footer_decode(footer, flen, NULL, NULL);
    ck_assert_ptr_nonnull(ref);
    pqf_error e;
    /* the footer fits in the speculative tail: one read of the tail */
    const uint32_t fits[] = {0, (uint32_t)flen + 8, (uint32_t)flen + 100, (uint32_t)n, UINT32_MAX};
    for (size_t i = 0; i < sizeof fits / sizeof *fits; i++) {
        reader r = {.data = img, .size = n};
        pqf_options o = {.tail_size = fits[i]};
        pqf_test_poison(&e);
        pqf_footer *f = pqf_footer_decode_reader(read_cb, &r, n, &o, &e);
        EXPECT_SUCCESS(f, &e);
        ck_assert_int_eq(r.reads, 1);
        size_t want = fits[i] == 0 ? (PQF_DEFAULT_TAIL_SIZE < n ? PQF_DEFAULT_TAIL_SIZE : n)
                                   : (fits[i] < n ? fits[i] : n);
        ck_assert_uint_eq(r.len[0], want);
        ck_assert_uint_eq(r.off[0], n - want);
        ck_assert_uint_eq(pqf_footer_file_size(f), n);
        ASSERT_SAME_FOOTER(f, ref);
        pqf_footer_free(f);
    }
    /* it does not: exactly two reads, the second only of what is missing */
    const uint32_t small[] = {1, 8, 9, 64, (uint32_t)flen, (uint32_t)flen + 7};
    for (size_t i = 0; i < sizeof small / sizeof *small; i++) {
        reader r = {.data = img, .size = n};
        pqf_options o = {.tail_size = small[i]};
        pqf_test_poison(&e);
        pqf_footer *f = pqf_footer_decode_reader(read_cb, &r, n, &o, &e);
        EXPECT_SUCCESS(f, &e);
        ck_assert_int_eq(r.reads, 2);
        size_t first = small[i] < 8 ? 8 : small[i];
        ck_assert_uint_eq(r.len[0], first);
        ck_assert_uint_eq(r.off[0], n - first);
        ck_assert_uint_eq(r.off[1], n - flen - 8);
        ck_assert_uint_eq(r.len[1], flen + 8 - first);
        ASSERT_SAME_FOOTER(f, ref);
        pqf_footer_free(f);
    }
    /* failing callbacks: IO, on the first or on the second read */
    for (int fail = 1; fail <= 2; fail++) {
        reader r = {.data = img, .size = n, .fail_on = fail};
        pqf_options o = {.tail_size = 16};
        pqf_test_poison(&e);
        pqf_footer *f = pqf_footer_decode_reader(read_cb, &r, n, &o, &e);
        EXPECT_CODE(f, &e, PQF_ERR_IO);
        ck_assert_int_eq(r.reads, fail);
        ck_assert_uint_eq(e.needed, 0);
    }
    /* files under 12 bytes are not read at all */
    for (uint64_t sz = 0; sz < 12; sz++) {
        reader r = {.data = img + n - sz, .size = sz};
        pqf_test_poison(&e);
        pqf_footer *f = pqf_footer_decode_reader(read_cb, &r, sz, NULL, &e);
        EXPECT_CODE(f, &e, PQF_ERR_NOT_PARQUET);
        ck_assert_int_eq(r.reads, 0);
    }
    /* PARE through a reader */
    img[n - 1] = 'E';
    reader r = {.data = img, .size = n};
    pqf_test_poison(&e);
    pqf_footer *f = pqf_footer_decode_reader(read_cb, &r, n, NULL, &e);
    EXPECT_CODE(f, &e, PQF_ERR_ENCRYPTED);
    ck_assert_int_eq(r.reads, 1);
    pqf_footer_free(ref);
    free(img);
    free(footer);
}
END_TEST

/* ------------------------------------------------------ allocator hooks --- */

typedef struct track {
    size_t live, peak, nalloc, nfree;
    long fail_at;          /* fail this allocation (0-based); -1 never */
    int bad_free;          /* frees of unknown pointers or with another size */
    size_t bad_size, bad_want;
    void **ptr;
    size_t *size, n, cap;
} track;

static void *t_alloc(void *ctx, size_t size) {
    track *t = ctx;
    if (t->fail_at >= 0 && (long)t->nalloc == t->fail_at) {
        t->nalloc++;
        return NULL;
    }
    t->nalloc++;
    void *p = malloc(size ? size : 1);
    if (!p) return NULL;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->ptr = realloc(t->ptr, t->cap * sizeof *t->ptr);
        t->size = realloc(t->size, t->cap * sizeof *t->size);
        if (!t->ptr || !t->size) abort();
    }
    t->ptr[t->n] = p;
    t->size[t->n++] = size;
    t->live += size;
    if (t->live > t->peak) t->peak = t->live;
    return p;
}

static void t_free(void *ctx, void *p, size_t size) {
    track *t = ctx;
    t->nfree++;
    for (size_t i = t->n; i-- > 0;) {
        if (t->ptr[i] == p) {
            if (t->size[i] != size && !t->bad_free) t->bad_free = 1, t->bad_size = size, t->bad_want = t->size[i];
            t->live -= t->size[i];
            t->ptr[i] = t->ptr[--t->n];
            t->size[i] = t->size[t->n];
            free(p);
            return;
        }
    }
    t->bad_free = 2;
}

static void track_init(track *t, long fail_at) {
    memset(t, 0, sizeof *t);
    t->fail_at = fail_at;
}
static void track_done(track *t) {
    free(t->ptr);
    free(t->size);
}

enum { VIA_BYTES, VIA_TAIL, VIA_READER, VIA_FILE, VIA_COUNT };

typedef struct source {
    uint8_t *footer, *img;
    size_t flen, n;
    char *path;
} source;

static pqf_footer *decode_via(int via, source *s, const pqf_options *o, pqf_error *e) {
    switch (via) {
    case VIA_BYTES: return pqf_footer_decode(s->footer, s->flen, o, e);
    case VIA_TAIL: return pqf_footer_decode_tail(s->img, s->n, s->n, o, e);
    case VIA_READER: {
        reader r = {.data = s->img, .size = s->n};
        return pqf_footer_decode_reader(read_cb, &r, s->n, o, e);
    }
    default: return pqf_footer_decode_file(s->path, o, e);
    }
}

static void source_init(source *s, size_t ncols, size_t nrg) {
    int64_t data_end;
    s->footer = make_footer(ncols, nrg, &s->flen, &data_end);
    s->img = fb_file_image(s->footer, s->flen, (size_t)data_end, NULL, &s->n);
    s->path = temp_file(s->img, s->n);
}
static void source_done(source *s) {
    unlink(s->path);
    free(s->path);
    free(s->img);
    free(s->footer);
}

START_TEST(t_allocator_hooks) {
    source s;
    source_init(&s, 7, 9);
    for (int via = 0; via < VIA_COUNT; via++) {
        for (int small_tail = 0; small_tail < 2; small_tail++) {
            track t;
            track_init(&t, -1);
            pqf_allocator a = {t_alloc, t_free, &t};
            pqf_options o = {.allocator = &a, .tail_size = small_tail ? 16 : 0,
                             .flags = PQF_KEEP_KV | PQF_KEEP_PAGE_INDEX};
            pqf_error e;
            pqf_test_poison(&e);
            pqf_footer *f = decode_via(via, &s, &o, &e);
            EXPECT_SUCCESS(f, &e);
            ck_assert_uint_gt(t.nalloc, 0);
            ck_assert_msg(t.bad_free == 0, "via %d: free of %zu bytes for an allocation of %zu", via, t.bad_size,
                          t.bad_want);
            /* what is still held is the footer, exactly */
            ck_assert_msg(t.live == pqf_footer_bytes(f), "via %d: %zu bytes held, pqf_footer_bytes says %zu", via,
                          t.live, pqf_footer_bytes(f));
            pqf_options plain = o;
            plain.allocator = NULL;
            pqf_footer *g = pqf_footer_decode(s.footer, s.flen, &plain, NULL);
            ck_assert_ptr_nonnull(g);
            ASSERT_SAME_FOOTER(f, g);
            pqf_footer_free(g);
            /* the caller's allocator struct need not outlive the call */
            memset(&a, 0, sizeof a);
            pqf_footer_free(f);
            ck_assert_uint_eq(t.live, 0);
            ck_assert_uint_eq(t.nalloc, t.nfree);
            ck_assert_int_eq(t.bad_free, 0);
            track_done(&t);
        }
    }
    source_done(&s);
}
END_TEST

/* Fail allocation k = 0, 1, 2, ... until the decode succeeds: every failure
 * is NOMEM, frees what it took with the sizes it asked for, and success must
 * not come before at least one allocation was refused. */
START_TEST(t_allocation_failures) {
    source s;
    source_init(&s, 5, 6);
    for (int via = 0; via < VIA_COUNT; via++) {
        long k;
        int done = 0;
        for (k = 0; k < 100000 && !done; k++) {
            track t;
            track_init(&t, k);
            pqf_allocator a = {t_alloc, t_free, &t};
            pqf_options o = {.allocator = &a, .flags = PQF_KEEP_KV | PQF_KEEP_BLOOM};
            pqf_error e;
            pqf_test_poison(&e);
            pqf_footer *f = decode_via(via, &s, &o, &e);
            if (f) {
                done = 1;
                ck_assert_int_eq(e.code, PQF_OK);
                pqf_footer_free(f);
            } else {
                ck_assert_msg(e.code == PQF_ERR_NOMEM, "via %d, failing allocation %ld: %s (%s)", via, k,
                              pqf_code_name(e.code), e.msg);
                ck_assert_ptr_nonnull(e.msg);
            }
            /* free sizes: see t_allocation_failure_sizes */
            ck_assert_msg(t.bad_free != 2, "via %d, failing allocation %ld: free of an unknown pointer", via, k);
            ck_assert_msg(t.live == 0 && t.nalloc - (t.fail_at < (long)t.nalloc) == t.nfree,
                          "via %d, failing allocation %ld: %zu bytes leaked", via, k, t.live);
            track_done(&t);
        }
        ck_assert_msg(done, "via %d never succeeded", via);
        ck_assert_msg(k > 1, "via %d succeeded without its allocator", via);
    }
    source_done(&s);
}
END_TEST

/* BUG: when the row-group work array is allocated but the chunk array next to
 * it is refused (out of memory, or the memory cap), the cleanup frees the
 * row-group array with the size of ONE record: d->nrg_alloc is still 0 when
 * pqf_decode_row_groups() fails (src/decode_row_groups.c sets it after both
 * allocations; src/decode.c free_work() frees (nrg_alloc ? nrg_alloc : 1)
 * records). pqf_allocator.free then receives a size other than the one
 * requested, which the header promises, and the cap's accounting drifts.
 * Reproducer: any footer with 2+ row groups, e.g. the minimal
 *   15 02 19 1C 48 01 72 00 16 00 19 2C 19 0C 16 00 16 00 00 19 0C 16 00 16 00 00 00
 * (no columns, two empty row groups), with an allocator that refuses the
 * allocation made right after the row-group array (the third one, #2 counting
 * from 0: arena block, row-group array, chunk array). */
START_TEST(t_allocation_failure_sizes) {
    static const uint8_t two_rgs[] = {0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x2C, 0x19,
                                      0x0C, 0x16, 0x00, 0x16, 0x00, 0x00, 0x19, 0x0C, 0x16, 0x00, 0x16, 0x00, 0x00,
                                      0x00};
    pqf_footer *f0 = EXPECT_OK(two_rgs, sizeof two_rgs);
    ck_assert_uint_eq(pqf_row_group_count(f0), 2);
    pqf_footer_free(f0);
    source s;
    source_init(&s, 2, 40);
    for (int via = -1; via < VIA_COUNT; via++) {
        long k;
        int done = 0;
        for (k = 0; k < 100000 && !done; k++) {
            track t;
            track_init(&t, k);
            pqf_allocator a = {t_alloc, t_free, &t};
            pqf_options o = {.allocator = &a};
            pqf_footer *f = via < 0 ? pqf_footer_decode(two_rgs, sizeof two_rgs, &o, NULL)
                                    : decode_via(via, &s, &o, NULL);
            if (f) done = 1, pqf_footer_free(f);
            ck_assert_msg(t.bad_free == 0, "via %d, failing allocation %ld: free(%zu bytes) for an allocation of %zu bytes",
                          via, k, t.bad_size, t.bad_want);
            track_done(&t);
        }
        ck_assert(done);
    }
    source_done(&s);
}
END_TEST

/* The smallest max_memory with which the footer decodes (binary search). */
static uint64_t smallest_cap(const uint8_t *footer, size_t flen) {
    uint64_t lo = 1, hi = 64u << 20;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        pqf_options o = {.max_memory = mid};
        pqf_footer *f = pqf_footer_decode(footer, flen, &o, NULL);
        if (f) hi = mid, pqf_footer_free(f);
        else lo = mid + 1;
    }
    return lo;
}

/* Through ctx, the footer decodes with max_memory lo and fails with one byte less. */
static void expect_smallest_cap(pqf_dctx *ctx, const uint8_t *footer, size_t flen, uint64_t lo) {
    pqf_options o = {.max_memory = lo};
    pqf_footer *f = pqf_dctx_decode(ctx, footer, flen, &o, NULL);
    ck_assert_ptr_nonnull(f);
    pqf_footer_free(f);
    o.max_memory = lo - 1;
    pqf_error e;
    pqf_test_poison(&e);
    EXPECT_CODE(pqf_dctx_decode(ctx, footer, flen, &o, &e), &e, PQF_ERR_LIMIT);
}

/* ------------------------------------------------------- decoder contexts --- */

/* pqf_dctx_decode*(): the same footer as without a context, whatever the
 * context decoded before (wide then narrow then wide again, every entry
 * point); work memory from the context's allocator, kept until it is freed;
 * the footers from the options' allocator, outliving the context. */
START_TEST(t_dctx_reuse) {
    source wide, narrow;
    source_init(&wide, 300, 3);
    source_init(&narrow, 4, 40);
    track tc, tf;
    track_init(&tc, -1);
    track_init(&tf, -1);
    pqf_allocator ac = {t_alloc, t_free, &tc}, af = {t_alloc, t_free, &tf};
    pqf_dctx *ctx = pqf_dctx_new(&ac);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_uint_eq(pqf_dctx_bytes(ctx), 0);
    pqf_footer *kept[3 * VIA_COUNT];
    size_t nkept = 0;
    for (int round = 0; round < 3; round++) {
        source *s = round == 1 ? &narrow : &wide;
        pqf_footer *ref = pqf_footer_decode(s->footer, s->flen, NULL, NULL);
        ck_assert_ptr_nonnull(ref);
        for (int via = 0; via < VIA_COUNT; via++) {
            pqf_options o = {.allocator = &af, .tail_size = via == VIA_READER ? 16 : 0};
            pqf_error e;
            pqf_test_poison(&e);
            pqf_footer *f;
            switch (via) {
            case VIA_BYTES: f = pqf_dctx_decode(ctx, s->footer, s->flen, &o, &e); break;
            case VIA_TAIL: f = pqf_dctx_decode_tail(ctx, s->img, s->n, s->n, &o, &e); break;
            case VIA_READER: {
                reader r = {.data = s->img, .size = s->n};
                f = pqf_dctx_decode_reader(ctx, read_cb, &r, s->n, &o, &e);
                break;
            }
            default: f = pqf_dctx_decode_file(ctx, s->path, &o, &e); break;
            }
            EXPECT_SUCCESS(f, &e);
            ASSERT_SAME_FOOTER(f, ref);
            ck_assert_uint_eq(pqf_footer_bytes(f), pqf_footer_bytes(ref));
            kept[nkept++] = f;
            /* only footers come from the options' allocator; the context keeps the rest */
            size_t footers = 0;
            for (size_t k = 0; k < nkept; k++) footers += pqf_footer_bytes(kept[k]);
            ck_assert_uint_eq(tf.live, footers);
            ck_assert_uint_gt(pqf_dctx_bytes(ctx), 0);
            ck_assert_uint_le(pqf_dctx_bytes(ctx), tc.live);
        }
        pqf_footer_free(ref);
    }
    /* errors are the same too, and leave the context usable */
    uint8_t bad[64];
    memcpy(bad, wide.footer, sizeof bad);
    pqf_error e1, e2;
    ck_assert_ptr_null(pqf_footer_decode(bad, sizeof bad, NULL, &e1));
    ck_assert_ptr_null(pqf_dctx_decode(ctx, bad, sizeof bad, NULL, &e2));
    ck_assert_int_eq(e1.code, e2.code);
    ck_assert_uint_eq(e1.offset, e2.offset);
    ck_assert_str_eq(e1.path, e2.path);
    pqf_dctx_free(ctx);
    ck_assert_uint_eq(tc.live, 0);
    ck_assert_int_eq(tc.bad_free, 0);
    for (size_t k = 0; k < nkept; k++) pqf_footer_free(kept[k]);
    ck_assert_uint_eq(tf.live, 0);
    ck_assert_int_eq(tf.bad_free, 0);
    /* NULL context: the plain entry points */
    pqf_footer *f = pqf_dctx_decode(NULL, narrow.footer, narrow.flen, NULL, NULL);
    ck_assert_ptr_nonnull(f);
    pqf_footer_free(f);
    pqf_dctx_free(NULL);
    ck_assert_uint_eq(pqf_dctx_bytes(NULL), 0);
    track_done(&tc);
    track_done(&tf);
    source_done(&wide);
    source_done(&narrow);
}
END_TEST

/* Footers large enough for the work memory to come in huge pages (mem.c,
 * PQF_HUGE_MIN_FOOTER), or to move there midway (a wide footer under it,
 * whose work passes PQF_HUGE_AFTER), with the default allocator: with and
 * without a context, between smaller ones, the same footer; and the same
 * smallest cap as the plain path. */
START_TEST(t_dctx_huge_pages) {
    size_t blen, slen;
    uint8_t *big = _i ? make_footer(4000, 1, &blen, NULL) : make_footer(300, 120, &blen, NULL);
    uint8_t *small = make_footer(7, 9, &slen, NULL);
    if (_i) ck_assert_uint_lt(blen, 1u << 20);
    else ck_assert_uint_ge(blen, 1u << 20);
    track t; /* the reference from a caller's allocator: no huge pages */
    track_init(&t, -1);
    pqf_allocator a = {t_alloc, t_free, &t};
    pqf_footer *ref = pqf_footer_decode(big, blen, &(pqf_options){.allocator = &a}, NULL);
    pqf_footer *sref = pqf_footer_decode(small, slen, NULL, NULL);
    ck_assert_ptr_nonnull(ref);
    ck_assert_ptr_nonnull(sref);
    pqf_dctx *ctx = pqf_dctx_new(NULL);
    ck_assert_ptr_nonnull(ctx);
    for (int round = 0; round < 4; round++) {
        pqf_footer *f = pqf_dctx_decode(ctx, big, blen, NULL, NULL);
        ck_assert_ptr_nonnull(f);
        ASSERT_SAME_FOOTER(f, ref);
        pqf_footer_free(f);
        ck_assert_uint_gt(pqf_dctx_bytes(ctx), 0);
        f = pqf_dctx_decode(ctx, small, slen, NULL, NULL);
        ck_assert_ptr_nonnull(f);
        ASSERT_SAME_FOOTER(f, sref);
        pqf_footer_free(f);
        f = pqf_footer_decode(big, blen, NULL, NULL); /* a context of its own */
        ck_assert_ptr_nonnull(f);
        ASSERT_SAME_FOOTER(f, ref);
        pqf_footer_free(f);
    }
    expect_smallest_cap(ctx, big, blen, smallest_cap(big, blen));
    pqf_dctx_free(ctx);
    pqf_footer_free(ref);
    track_done(&t);
    pqf_footer_free(sref);
    free(big);
    free(small);
}
END_TEST

/* max_memory counts the work memory a decode uses, whether a context already
 * holds it or not: the smallest cap that works is the same with a context
 * that holds a bigger footer's blocks, and one byte less fails there too. */
START_TEST(t_dctx_max_memory) {
    size_t flen, blen;
    uint8_t *footer = make_footer(12, 20, &flen, NULL);
    uint8_t *big = make_footer(200, 30, &blen, NULL);
    uint64_t lo = smallest_cap(footer, flen);
    pqf_dctx *ctx = pqf_dctx_new(NULL);
    ck_assert_ptr_nonnull(ctx);
    pqf_footer *g = pqf_dctx_decode(ctx, big, blen, NULL, NULL);
    ck_assert_ptr_nonnull(g);
    pqf_footer_free(g);
    ck_assert_uint_gt(pqf_dctx_bytes(ctx), lo);
    expect_smallest_cap(ctx, footer, flen, lo);
    /* A wide footer: arrays of 64 KiB and more get arena blocks of their own,
     * and its work passes the point where work memory comes in huge pages. */
    size_t wlen;
    uint8_t *wide = make_footer(1200, 3, &wlen, NULL);
    uint64_t wlo = smallest_cap(wide, wlen);
    ck_assert_uint_gt(wlo, 512u << 10);
    expect_smallest_cap(ctx, wide, wlen, wlo);
    pqf_dctx_free(ctx);
    free(wide);
    free(footer);
    free(big);
}
END_TEST

/* ------------------------------------------------------------ memory cap --- */

START_TEST(t_max_memory) {
    size_t flen;
    uint8_t *footer = make_footer(12, 20, &flen, NULL);
    pqf_error e;
    /* tiny caps: LIMIT */
    const uint64_t tiny[] = {1, 16, 100, 1000};
    for (size_t i = 0; i < 4; i++) {
        pqf_options o = {.max_memory = tiny[i]};
        pqf_test_poison(&e);
        pqf_footer *f = pqf_footer_decode(footer, flen, &o, &e);
        EXPECT_CODE(f, &e, PQF_ERR_LIMIT);
        ck_assert_uint_le(e.offset, flen);
        ck_assert_uint_eq(e.needed, 0);
    }
    /* the smallest cap that works: one byte less fails with LIMIT; the peak of
     * memory held stays within the cap */
    uint64_t lo = smallest_cap(footer, flen);
    track t;
    track_init(&t, -1);
    pqf_allocator a = {t_alloc, t_free, &t};
    pqf_options o = {.max_memory = lo, .allocator = &a};
    pqf_test_poison(&e);
    pqf_footer *f = pqf_footer_decode(footer, flen, &o, &e);
    EXPECT_SUCCESS(f, &e);
    ck_assert_msg(t.peak <= lo, "peak %zu above the cap %llu", t.peak, (unsigned long long)lo);
    ck_assert_uint_ge(lo, pqf_footer_bytes(f));
    pqf_footer_free(f);
    track_done(&t);
    o.max_memory = lo - 1;
    o.allocator = NULL;
    pqf_test_poison(&e);
    f = pqf_footer_decode(footer, flen, &o, &e);
    EXPECT_CODE(f, &e, PQF_ERR_LIMIT);
    /* 0 means the default cap, which a footer like this fits */
    o.max_memory = 0;
    f = pqf_footer_decode(footer, flen, &o, &e);
    EXPECT_SUCCESS(f, &e);
    pqf_footer_free(f);
    free(footer);
}
END_TEST

/* ------------------------------------------------------------ NULL-safety --- */

START_TEST(t_null_safety) {
    const pqf_footer *n0 = NULL;
    ck_assert_int_eq(pqf_footer_version(n0), 0);
    ck_assert_int_eq(pqf_footer_num_rows(n0), 0);
    pqf_str cb = pqf_footer_created_by(n0);
    ck_assert_ptr_null(cb.ptr);
    ck_assert_uint_eq(cb.len, 0);
    ck_assert_uint_eq(pqf_footer_serialized_size(n0), 0);
    ck_assert_uint_eq(pqf_footer_file_size(n0), 0);
    ck_assert_uint_eq(pqf_footer_flags(n0), 0);
    ck_assert_uint_eq(pqf_footer_bytes(n0), 0);
    ck_assert_uint_eq(pqf_footer_options(n0), 0);
    ck_assert_uint_eq(pqf_kv_count(n0), 0);
    pqf_str k, v;
    ck_assert_int_eq(pqf_kv_get(n0, 0, &k, &v), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(pqf_schema_count(n0), 0);
    pqf_schema_element se;
    ck_assert_int_eq(pqf_schema_get(n0, 0, &se), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(pqf_column_count(n0), 0);
    pqf_column lc;
    ck_assert_int_eq(pqf_column_get(n0, 0, &lc), PQF_ERR_INVALID_ARG);
    size_t found = 7, depth = 7;
    ck_assert_int_eq(pqf_column_find(n0, "a", &found), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_find(n0, NULL, &found), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(found, 7);
    pqf_str parts[2];
    ck_assert_int_eq(pqf_column_path_parts(n0, 0, parts, 2, &depth), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(depth, 7);
    int answer = 7;
    ck_assert_int_eq(pqf_column_order(n0, 0, &answer), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_sort_order(n0, 0, &answer), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_has_stats(n0, 0, &answer), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(answer, 7);
    ck_assert_uint_eq(pqf_projected_count(n0), 0);
    ck_assert_uint_eq(pqf_row_group_count(n0), 0);
    pqf_row_group rg;
    ck_assert_int_eq(pqf_row_group_get(n0, 0, &rg), PQF_ERR_INVALID_ARG);
    pqf_chunk c;
    ck_assert_int_eq(pqf_chunk_get(n0, 0, 0, &c), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(pqf_footer_schema_bytes(n0), 0);
    pqf_footer_free(NULL);

    /* NULL output pointers on a real footer */
    size_t flen;
    uint8_t *footer = make_footer(2, 2, &flen, NULL);
    pqf_footer *f = pqf_footer_decode(footer, flen, NULL, NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(pqf_row_group_get(f, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_chunk_get(f, 0, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_row_group_get(f, 0, &rg), PQF_OK);
    ck_assert_int_eq(pqf_chunk_get(f, 1, 1, &c), PQF_OK);
    ck_assert_int_eq(pqf_column_path_parts(f, 0, NULL, 5, &depth), PQF_ERR_INVALID_ARG); /* NULL parts, max 5 */
    ck_assert_int_eq(pqf_column_path_parts(f, 0, NULL, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_path_parts(f, 0, NULL, 0, &depth), PQF_OK);
    ck_assert_uint_eq(depth, 1);
    ck_assert_int_eq(pqf_column_find(f, NULL, &found), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_find(f, "a", NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_order(f, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_sort_order(f, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_has_stats(f, 0, NULL), PQF_ERR_INVALID_ARG);
    /* a leaf index one past the last */
    ck_assert_int_eq(pqf_column_order(f, pqf_column_count(f), &answer), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_sort_order(f, pqf_column_count(f), &answer), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_has_stats(f, pqf_column_count(f), &answer), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(answer, 7);
    ck_assert_int_eq(pqf_column_has_stats(f, 0, &answer), PQF_OK);
    ck_assert_int_eq(answer, 0); /* no statistics columns asked for */
    pqf_footer_free(f);
    free(footer);
}
END_TEST

/* ------------------------------------------------- parquet-testing files --- */

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* unknown-logical-type.parquet: a logicalType whose member this version does
 * not know must read as PQF_LT_UNRECOGNIZED (and "UNRECOGNIZED" in the JSON
 * dump), never as no logical type. */
static int collect_json(void *ctx, const void *data, size_t len) {
    char *buf = ctx;
    size_t have = strlen(buf);
    if (have + len >= 8192) return 1;
    memcpy(buf + have, data, len);
    buf[have + len] = '\0';
    return 0;
}

/* pqf_footer_share_schema(): PQF_OK for equal schemas (and when already
 * shared), PQF_ERR_INVALID_ARG for different ones or NULL, f unchanged. */
START_TEST(t_share_schema) {
    size_t la, lb;
    uint8_t *a = make_footer(2, 2, &la, NULL), *b = make_footer(3, 2, &lb, NULL);
    pqf_footer *f1 = pqf_footer_decode(a, la, NULL, NULL), *f2 = pqf_footer_decode(a, la, NULL, NULL);
    pqf_footer *g = pqf_footer_decode(b, lb, NULL, NULL);
    ck_assert(f1 && f2 && g);
    ck_assert_int_eq(pqf_footer_schema_equal(f1, f2), 1);
    ck_assert_int_eq(pqf_footer_schema_equal(f1, g), 0);
    size_t before = pqf_footer_schema_bytes(g);
    ck_assert_int_eq(pqf_footer_share_schema(g, f1), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(pqf_footer_schema_bytes(g), before);
    ck_assert_uint_eq(pqf_column_count(g), 3);
    ck_assert_int_eq(pqf_footer_share_schema(NULL, f1), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_footer_share_schema(f2, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_ptr_ne(pqf_test_se(f1, 1).name.ptr, pqf_test_se(f2, 1).name.ptr);
    ck_assert_int_eq(pqf_footer_share_schema(f2, f1), PQF_OK);
    ck_assert_ptr_eq(pqf_test_se(f1, 1).name.ptr, pqf_test_se(f2, 1).name.ptr); /* one block */
    ck_assert_int_eq(pqf_footer_share_schema(f2, f1), PQF_OK); /* already shared */
    pqf_footer_free(f1); /* f2 keeps the block alive */
    ck_assert_str_eq(pqf_test_col(f2, 1).path.ptr, pqf_test_col(g, 1).path.ptr);
    pqf_footer_free(f2);
    pqf_footer_free(g);
    free(a);
    free(b);
}
END_TEST

START_TEST(t_unknown_logical_type_file) {
    char where[2048];
    const char *dir = pqf_test_parquet_testing(where, sizeof where, "t_unknown_logical_type_file");
    if (!dir) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/unknown-logical-type.parquet", dir);
    if (access(path, R_OK) != 0) {
        printf("SKIP t_unknown_logical_type_file: %s absent\n", path);
        return;
    }
    pqf_error e;
    pqf_footer *f = pqf_footer_decode_file(path, NULL, &e);
    ck_assert_msg(f != NULL, "%s: %s", path, e.msg);
    ck_assert_uint_eq(pqf_column_count(f), 2);
    const pqf_schema_element known_v = pqf_test_se(f, pqf_test_col(f, 0).schema_index), *known = &known_v;
    const pqf_schema_element newer_v = pqf_test_se(f, pqf_test_col(f, 1).schema_index), *newer = &newer_v;
    ck_assert_int_eq(known->logical.kind, PQF_LT_STRING);
    ck_assert(newer->has & PQF_SE_LOGICAL_TYPE);
    ck_assert_int_eq(newer->logical.kind, PQF_LT_UNRECOGNIZED);
    ck_assert_int_eq(pqf_test_se(f, 0).logical.kind, PQF_LT_NONE);
    static char json[8192];
    json[0] = '\0';
    ck_assert_int_eq(pqf_footer_write_json(f, NULL, collect_json, json), PQF_OK);
    ck_assert_msg(strstr(json, "\"name\":\"column with unknown type\",\"type\":6,\"type_length\":null,"
                               "\"repetition_type\":1,\"num_children\":null,\"converted_type\":null,\"scale\":null,"
                               "\"precision\":null,\"field_id\":null,\"logical_type\":\"UNRECOGNIZED\"}") != NULL,
                  "%s", json);
    pqf_footer_free(f);
}
END_TEST

START_TEST(t_parquet_testing) {
    char where[1024];
    const char *dir = pqf_test_parquet_testing(where, sizeof where, "t_parquet_testing");
    if (!dir) return;
    DIR *dp = opendir(dir);
    ck_assert_msg(dp != NULL, "%s: cannot list", dir);
    int files = 0, encrypted = 0;
    struct dirent *de;
    pqf_options all = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | PQF_KEEP_KV};
    pqf_options tiny = {.tail_size = 8};
    while ((de = readdir(dp)) != NULL) {
        int plain = ends_with(de->d_name, ".parquet"), enc = ends_with(de->d_name, ".parquet.encrypted");
        if (!plain && !enc) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t n;
        uint8_t *img = pqf_test_read_file(path, &n);
        ck_assert_msg(img != NULL, "%s: cannot read", path);
        int pare = n >= 4 && memcmp(img + n - 4, "PARE", 4) == 0;
        pqf_error e;
        pqf_test_poison(&e);
        pqf_footer *f = pqf_footer_decode_file(path, NULL, &e);
        if (pare) {
            /* an encrypted footer is its own error */
            ck_assert_msg(f == NULL && e.code == PQF_ERR_ENCRYPTED, "%s: %s", path, pqf_code_name(e.code));
            encrypted++;
            free(img);
            continue;
        }
        ck_assert_msg(f != NULL, "%s: %s (%s) at %llu [%s]", path, pqf_code_name(e.code), e.msg,
                      (unsigned long long)e.offset, e.path);
        ck_assert_msg(e.code == PQF_OK, "%s: error struct", path);
        if (plain) files++;
        /* the same footer through the other entry points and options */
        ck_assert_uint_eq(pqf_footer_file_size(f), n);
        pqf_footer *g = pqf_footer_decode_tail(img, n, n, NULL, &e);
        ck_assert_msg(g != NULL, "%s: tail: %s", path, e.msg);
        ASSERT_SAME_FOOTER(f, g);
        pqf_footer_free(g);
        g = pqf_footer_decode_file(path, &tiny, &e);
        ck_assert_msg(g != NULL, "%s: tiny tail: %s", path, e.msg);
        ASSERT_SAME_FOOTER(f, g);
        pqf_footer_free(g);
        g = pqf_footer_decode_file(path, &all, &e);
        ck_assert_msg(g != NULL, "%s: all options: %s", path, e.msg);
        ck_assert_uint_ge(pqf_footer_bytes(g), pqf_footer_bytes(f) - pqf_footer_bytes(f) / 2);
        pqf_footer_free(g);
        /* every chunk with metadata lies in the file (checked at decode), and
         * every column of the schema has a path that finds it */
        for (size_t c = 0; c < pqf_column_count(f); c++) {
            const pqf_column col_v = pqf_test_col(f, c), *col = &col_v;
            ck_assert_msg(pqf_test_find(f, col->path.ptr) >= 0, "%s: column %zu", path, c);
        }
        for (size_t r = 0; r < pqf_row_group_count(f); r++) {
            for (size_t c = 0; c < pqf_column_count(f); c++) {
                pqf_chunk x;
                ck_assert_int_eq(pqf_chunk_get(f, r, c, &x), PQF_OK);
                if ((x.has & PQF_CH_META) && !(x.has & PQF_CH_FILE_PATH))
                    ck_assert_msg(x.start >= 0 && (uint64_t)x.start + (uint64_t)x.length <= n, "%s: chunk %zu/%zu",
                                  path, r, c);
            }
        }
        pqf_footer_free(f);
        free(img);
    }
    closedir(dp);
    ck_assert_msg(files > 0, "no .parquet files in %s", dir);
    fprintf(stderr, "t_parquet_testing: %d files decoded, %d encrypted footers\n", files, encrypted);
}
END_TEST

/* ------------------------------------------------------------------ suite --- */

static Suite *make_suite(void) {
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, t_version);
    tcase_add_test(tc, t_decode_path);
    tcase_add_test(tc, t_tail);
    tcase_add_test(tc, t_data_region);
    tcase_add_test(tc, t_file);
    tcase_add_test(tc, t_reader);
    tcase_add_test(tc, t_allocator_hooks);
    tcase_add_test(tc, t_allocation_failures);
    tcase_add_test(tc, t_allocation_failure_sizes);
    tcase_add_test(tc, t_max_memory);
    tcase_add_test(tc, t_dctx_reuse);
    tcase_add_test(tc, t_dctx_max_memory);
    tcase_add_loop_test(tc, t_dctx_huge_pages, 0, 2);
    tcase_add_test(tc, t_null_safety);
    tcase_add_test(tc, t_parquet_testing);
    tcase_add_test(tc, t_unknown_logical_type_file);
    tcase_add_test(tc, t_share_schema);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
