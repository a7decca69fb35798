/*
 * test_hardening.c -- hostile footers: truncation at every byte, every single-bit and
 * whole-byte flip, lists of 2^31 elements, 2^62-byte binaries, 10,000-deep nesting,
 * overlong varints, long-form field ids, type nibbles 13-15, maps with unknown types,
 * negative sizes, allocation failure at every n, 100,000 decodes with flat memory, the
 * y_/n_ files of tests/data, and a named regression test for every bug the fuzzers found.
 *
 * Every decode runs with a counting allocator (tests/support/fuzz_common.h: it also checks the
 * size handed to free() and that nothing is left allocated) and must stay within the
 * documented memory cap. Error tests poison the error struct first and check code and
 * byte offset; a caret comment under the hex marks the expected offset.
 */
#include <dirent.h>
#include <unistd.h>

#include "check_support.h"

#include "fuzz_common.h"
#include "seed_shapes.h"

/* --------------------------------------------------------------- helpers --- */

typedef struct outcome {
    pqf_code code;
    uint64_t offset;
    char msg[128];
    char path[192];
    size_t peak; /* most bytes held at once */
} outcome;

/* Decode with a counting allocator; check the error contract, the cap and that
 * nothing leaks; run the success properties of the fuzzers on a footer. */
static outcome decode_opts(const void *buf, size_t len, pqf_options *o) {
    outcome r;
    memset(&r, 0, sizeof r);
    fz_alloc a;
    fz_alloc_init(&a, SIZE_MAX);
    pqf_allocator alc = fz_allocator(&a);
    pqf_options local;
    memset(&local, 0, sizeof local);
    if (!o) o = &local;
    o->allocator = &alc;
    pqf_error err;
    pqf_test_poison(&err);
    pqf_footer *f = pqf_footer_decode(buf, len, o, &err);
    o->allocator = NULL;
    if (!(o->flags & PQF_PORTABLE)) {
        /* The portable path (the default one is AVX-512 where the CPU has it) agrees. */
        pqf_options po = *o;
        po.flags |= PQF_PORTABLE;
        pqf_error perr;
        pqf_footer *pf = pqf_footer_decode(buf, len, &po, &perr);
        ck_assert_msg((pf != NULL) == (f != NULL), "portable path: %s, default path: %s", perr.msg, err.msg);
        if (f) fz_check_same(f, pf);
        else fz_check_same_error(&err, &perr);
        pqf_footer_free(pf);
    }
    uint64_t cap = o->max_memory ? o->max_memory : fz_default_cap(len);
    ck_assert_uint_le(a.peak, cap);
    if (f) {
        ck_assert_int_eq(err.code, PQF_OK);
        fz_buf json;
        memset(&json, 0, sizeof json);
        fz_check_footer(f, buf, len, &a, cap, &json);
        fz_buf_free(&json);
        pqf_footer_free(f);
    } else {
        fz_check_error(&err, len);
        ck_assert_uint_eq(a.live, 0);
    }
    fz_alloc_fini(&a); /* aborts on a leak */
    r.code = err.code;
    r.offset = err.offset;
    snprintf(r.msg, sizeof r.msg, "%s", err.msg);
    snprintf(r.path, sizeof r.path, "%s", err.path);
    r.peak = a.peak;
    return r;
}

static outcome decode(const void *buf, size_t len) { return decode_opts(buf, len, NULL); }

#define EXPECT(bytes, len, want_code, want_offset)                                              \
    do {                                                                                       \
        outcome o_ = decode((bytes), (len));                                                   \
        ck_assert_msg(o_.code == (want_code) && o_.offset == (uint64_t)(want_offset),          \
                      "got %s at %llu (%s), want %s at %llu", pqf_code_name(o_.code),          \
                      (unsigned long long)o_.offset, o_.msg, pqf_code_name(want_code),         \
                      (unsigned long long)(want_offset));                                      \
    } while (0)

#define EXPECT_HEX(want_code, want_offset, ...)                                                \
    do {                                                                                       \
        static const uint8_t in_[] = {__VA_ARGS__};                                            \
        EXPECT(in_, sizeof in_, want_code, want_offset);                                       \
    } while (0)

/* FileMetaData fields 1-3: version 1, schema [root "r"], num_rows 0. The next header
 * is at offset 10 and its id is a delta from 3. */
#define PRE 0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00
/* FileMetaData.row_groups = [] after an id above 4 (long form), and the stop. */
#define RG_EMPTY_END 0x09, 0x08, 0x0C, 0x00

static void small_footer(fb *w) {
    fb_init(w);
    sh_small(w);
}

static void nested_footer(fb *w) {
    static sh_node nodes[64];
    sh_opts o;
    memset(&o, 0, sizeof o);
    o.nrg = 3;
    o.rows = 7;
    o.dict = 1;
    o.stats = 2;
    o.kv = 2;
    o.page_index = 1;
    o.bloom = 1;
    o.created_by = 1;
    o.encrypt_every = 7;
    o.file_path = 1;
    fb_init(w);
    sh_footer(w, nodes, sh_nested_schema(nodes), &o);
}

/* ---------------------------------------------------------- truncation --- */

static void truncation_sweep(const fb *w) {
    outcome full = decode(w->buf, w->len);
    ck_assert_int_eq(full.code, PQF_OK);
    for (size_t k = 0; k < w->len; k++) {
        outcome o = decode(w->buf, k);
        ck_assert_msg(o.code == PQF_ERR_TRUNCATED, "prefix of %zu of %zu bytes: %s (%s)", k, w->len,
                      pqf_code_name(o.code), o.msg);
        ck_assert_uint_le(o.offset, k);
    }
}

START_TEST(t_truncation_every_prefix) {
    fb w;
    fb_init(&w);
    sh_minimal(&w);
    truncation_sweep(&w);
    fb_free(&w);
    small_footer(&w);
    truncation_sweep(&w);
    fb_free(&w);
    nested_footer(&w);
    truncation_sweep(&w);
    fb_free(&w);
}
END_TEST

/* Every strict prefix of a file tail asks for exactly the bytes it lacks. */
START_TEST(t_tail_needed_every_length) {
    fb w;
    small_footer(&w);
    size_t flen = w.len;
    fb_trailer(&w, (uint32_t)flen, "PAR1");
    for (size_t k = 0; k <= w.len; k++) {
        pqf_error err;
        pqf_test_poison(&err);
        pqf_footer *f = pqf_footer_decode_tail(w.buf + w.len - k, k, 0, NULL, &err);
        if (k < 8) {
            ck_assert_ptr_null(f);
            ck_assert_int_eq(err.code, PQF_ERR_TRUNCATED);
            ck_assert_uint_eq(err.needed, 8);
        } else if (k < flen + 8) {
            ck_assert_ptr_null(f);
            ck_assert_int_eq(err.code, PQF_ERR_TRUNCATED);
            ck_assert_uint_eq(err.needed, flen + 8);
        } else {
            ck_assert_ptr_nonnull(f);
            ck_assert_int_eq(err.code, PQF_OK);
            ck_assert_uint_eq(err.needed, 0);
            pqf_footer_free(f);
        }
    }
    fb_free(&w);
}
END_TEST

/* ------------------------------------------------------------- flips --- */

static void flip_sweep(const fb *w) {
    uint8_t *b = malloc(w->len);
    ck_assert_ptr_nonnull(b);
    size_t ok = 0, bad = 0;
    for (size_t i = 0; i < w->len; i++) {
        for (int k = 0; k <= 8; k++) {
            memcpy(b, w->buf, w->len);
            b[i] ^= k == 8 ? 0xFF : (uint8_t)(1u << k);
            outcome o = decode(b, w->len); /* checks code range, message, offset, leaks, cap */
            if (o.code == PQF_OK) ok++;
            else bad++;
        }
    }
    ck_assert_uint_gt(bad, 0);
    free(b);
}

START_TEST(t_byte_flips) {
    fb w;
    small_footer(&w);
    flip_sweep(&w);
    fb_free(&w);
    fb_init(&w);
    sh_minimal(&w);
    flip_sweep(&w);
    fb_free(&w);
}
END_TEST

/* ------------------------------------------------------- huge counts --- */

START_TEST(t_list_2pow31) {
    /* row_groups with 2^31 elements: negative as an i32. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x19, 0xFC, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00);
    /*                                      ^ 11 */
    /* 2^31 - 1: more than the bytes left can hold, refused before any allocation. */
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00);
    /* The schema list itself. */
    EXPECT_HEX(PQF_ERR_TRUNCATED, 3, 0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00);
    /*                                                 ^ 3 */
    EXPECT_HEX(PQF_ERR_MALFORMED, 3, 0x15, 0x02, 0x19, 0xFC, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00);
    /* A list in an unknown field (skipped): i32 elements, doubles, structs. */
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x99, 0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00);
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x99, 0xF7, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00);
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x99, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00);
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x99, 0xFC, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00);
    /* A set, and a map of 2^31 - 1 entries. */
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x9A, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00);
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x88, 0x00);
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x9B, 0x80, 0x80, 0x80, 0x80, 0x08, 0x88, 0x00);
    /* key_value_metadata kept: 2^31 - 1 entries. */
    {
        static const uint8_t in[] = {PRE, 0x09, 0x08, 0x0C, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00};
        /*                                                    ^ 14 */
        pqf_options o;
        memset(&o, 0, sizeof o);
        o.flags = PQF_KEEP_KV;
        outcome r = decode_opts(in, sizeof in, &o);
        ck_assert_int_eq(r.code, PQF_ERR_TRUNCATED);
        ck_assert_uint_eq(r.offset, 14);
        ck_assert_uint_le(r.peak, 64 * 1024);
    }
}
END_TEST

START_TEST(t_binary_2pow62) {
    /* created_by with a length of 2^62: longer than a binary length may be. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x38, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00);
    /*                                      ^ 11 */
    /* 2^32 - 1: negative as an i32. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x38, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00);
    /* 2^31 - 1: more than the bytes left. */
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x38, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00);
    /* A schema element's name. */
    EXPECT_HEX(PQF_ERR_TRUNCATED, 5, 0x15, 0x02, 0x19, 0x1C, 0x48, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00);
    /*                                                             ^ 5 */
    /* In a skipped struct. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 12, PRE, 0x9C, 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00, 0x00);
}
END_TEST

/* ------------------------------------------------------------ nesting --- */

START_TEST(t_nesting_10000) {
    const size_t n = 10000;
    uint8_t *b = malloc(n + 16);
    ck_assert_ptr_nonnull(b);
    /* Structs: field 1 of each is a struct. FileMetaData is depth 1; the struct entered
     * after reading the header at offset k is depth k + 2, so depth 65 fails at 64. */
    memset(b, 0x1C, n);
    EXPECT(b, n, PQF_ERR_DEPTH, 64);
    {
        pqf_options o;
        memset(&o, 0, sizeof o);
        o.max_depth = PQF_MAX_DEPTH_LIMIT;
        outcome r = decode_opts(b, n, &o);
        ck_assert_int_eq(r.code, PQF_ERR_DEPTH);
        ck_assert_uint_eq(r.offset, PQF_MAX_DEPTH_LIMIT);
        o.max_depth = PQF_MAX_DEPTH_LIMIT + 1;
        pqf_error err;
        ck_assert_ptr_null(pqf_footer_decode(b, n, &o, &err));
        ck_assert_int_eq(err.code, PQF_ERR_INVALID_ARG);
    }
    /* Lists of lists in an unknown field 12 after PRE: 0x99 at 10, then one-element
     * lists of lists. The list whose header is at offset 10 + k is depth k + 1. */
    static const uint8_t pre[] = {PRE};
    memcpy(b, pre, sizeof pre);
    b[10] = 0x99;
    memset(b + 11, 0x19, n - 11);
    EXPECT(b, n, PQF_ERR_DEPTH, 11 + 63 + 1);
    /* Maps of maps: count 1, key i32, value map. */
    b[10] = 0x9B;
    for (size_t i = 11; i + 3 <= n; i += 3) {
        b[i] = 0x01;
        b[i + 1] = 0x5B;
        b[i + 2] = 0x00; /* the key */
    }
    outcome r = decode(b, n - (n - 11) % 3);
    ck_assert_int_eq(r.code, PQF_ERR_DEPTH);
    /* Sets of structs of sets... */
    b[10] = 0x9A;
    for (size_t i = 11; i + 2 <= n; i += 2) {
        b[i] = 0x1C; /* a set of one struct */
        b[i + 1] = 0x1A; /* whose field 1 is a set */
    }
    r = decode(b, n);
    ck_assert_int_eq(r.code, PQF_ERR_DEPTH);
    free(b);

    /* A schema tree 10,000 deep (each element one child). */
    fb w;
    fb_init(&w);
    fb_begin(&w);
    fb_i32f(&w, 1, 1);
    fb_listf(&w, 2, FB_STRUCT, 10000);
    for (int i = 0; i < 10000; i++) {
        fb_begin(&w);
        fb_strf(&w, 4, "g");
        if (i < 9999) fb_i32f(&w, 5, 1);
        fb_end(&w);
    }
    fb_i64f(&w, 3, 0);
    fb_listf(&w, 4, FB_STRUCT, 0);
    fb_end(&w);
    r = decode(w.buf, w.len);
    ck_assert_int_eq(r.code, PQF_ERR_DEPTH);
    fb_free(&w);
}
END_TEST

/* ------------------------------------------------------------ varints --- */

START_TEST(t_overlong_varints) {
    /* i32 of 6 bytes (version). */
    EXPECT_HEX(PQF_ERR_MALFORMED, 1, 0x15, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00);
    /*                                     ^ 1 */
    /* i32 of 5 bytes with 35 bits. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 1, 0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
    /* i32 of 5 bytes with 32 bits is fine: zigzag 0xFFFFFFFF = INT32_MIN. */
    {
        static const uint8_t in[] = {0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x19, 0x1C, 0x48, 0x01, 0x72,
                                     0x00, 0x16, 0x00, 0x19, 0x0C, 0x00};
        pqf_footer *f = pqf_footer_decode(in, sizeof in, NULL, NULL);
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(pqf_footer_version(f), INT32_MIN);
        pqf_footer_free(f);
    }
    /* i64 of 11 bytes, and of 10 bytes with more than bit 63 in the last. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x96, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
    /*                                      ^ 11 */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x96, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02);
    /* 10 bytes with bit 63 alone is a valid i64 (in a skipped field). */
    EXPECT_HEX(PQF_OK, 0, PRE, 0x96, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, RG_EMPTY_END);
    /* i16 of 4 bytes: RowGroup.ordinal. */
    {
        fb w;
        fb_init(&w);
        fb_begin(&w);
        fb_i32f(&w, 1, 1);
        fb_listf(&w, 2, FB_STRUCT, 1);
        fb_begin(&w);
        fb_strf(&w, 4, "r");
        fb_end(&w);
        fb_i64f(&w, 3, 0);
        fb_listf(&w, 4, FB_STRUCT, 1);
        fb_begin(&w);
        fb_listf(&w, 1, FB_STRUCT, 0);
        fb_i64f(&w, 2, 0);
        fb_i64f(&w, 3, 0);
        fb_field(&w, FB_I16, 7);
        size_t at = w.len;
        fb_raw(&w, "\x80\x80\x80\x00", 4);
        fb_end(&w);
        fb_end(&w);
        EXPECT(w.buf, w.len, PQF_ERR_MALFORMED, at);
        w.buf[at] = 0xFF, w.buf[at + 1] = 0xFF, w.buf[at + 2] = 0x07, w.buf[at + 3] = 0x00; /* 17 bits */
        EXPECT(w.buf, w.len, PQF_ERR_MALFORMED, at);
        fb_free(&w);
    }
    /* A list count of 6 bytes. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 12, PRE, 0x99, 0xF5, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00);
    /*                                            ^ 12 */
}
END_TEST

START_TEST(t_long_form_field_ids) {
    /* Every header in the long form decodes like the short form. */
    static const uint8_t lf[] = {0x05, 0x02, 0x02, 0x09, 0x04, 0x1C, 0x08, 0x08, 0x01, 0x72, 0x00,
                                 0x06, 0x06, 0x00, 0x09, 0x08, 0x0C, 0x00};
    EXPECT(lf, sizeof lf, PQF_OK, 0);
    pqf_footer *f = pqf_footer_decode(lf, sizeof lf, NULL, NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(pqf_footer_version(f), 1);
    ck_assert_str_eq(pqf_test_se(f, 0).name.ptr, "r");
    pqf_footer_free(f);
    /* Ids 32767 and -32768 (unknown, skipped); then deltas continue from them. */
    EXPECT_HEX(PQF_OK, 0, PRE, 0x08, 0xFE, 0xFF, 0x03, 0x00, 0x05, 0xFF, 0xFF, 0x03, 0x00, RG_EMPTY_END);
    /* A 4-byte id, and a 3-byte id above 16 bits. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x06, 0x80, 0x80, 0x80, 0x01, 0x00);
    /*                                            ^ 11 */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x06, 0xFF, 0xFF, 0x07, 0x00);
    /* The id ends with the bytes. */
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x06, 0x80);
}
END_TEST

/* ------------------------------------------------------- type nibbles --- */

START_TEST(t_type_nibbles_13_15) {
    for (uint8_t t = 13; t <= 15; t++) {
        uint8_t in[] = {PRE, 0x10, 0x00};
        in[10] = (uint8_t)(0x90 | t); /* field header */
        EXPECT(in, sizeof in, PQF_ERR_MALFORMED, 10);
        uint8_t lst[] = {PRE, 0x99, 0x10, 0x00, 0x00};
        lst[11] = (uint8_t)(0x10 | t); /* list header, one element */
        EXPECT(lst, sizeof lst, PQF_ERR_MALFORMED, 11);
        lst[11] = t; /* empty list: the type is still checked */
        EXPECT(lst, sizeof lst, PQF_ERR_MALFORMED, 11);
        uint8_t set[] = {PRE, 0x9A, 0x20, 0x00, 0x00, 0x00};
        set[11] = (uint8_t)(0x20 | t);
        EXPECT(set, sizeof set, PQF_ERR_MALFORMED, 11);
        /* Inside a skipped struct: the header at 12. */
        uint8_t st[] = {PRE, 0x9C, 0x10, 0x00, 0x00};
        st[12] = (uint8_t)(0x10 | t);
        EXPECT(st, sizeof st, PQF_ERR_MALFORMED, 12);
        /* In a kept struct: a SchemaElement's header at 4. */
        uint8_t se[] = {0x15, 0x02, 0x19, 0x1C, 0x10, 0x00, 0x00};
        se[4] = (uint8_t)(0x10 | t);
        EXPECT(se, sizeof se, PQF_ERR_MALFORMED, 4);
    }
}
END_TEST

START_TEST(t_maps_unknown_types) {
    /* key type 13, value type 14 / 15, key type 0, value type 0. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x9B, 0x01, 0xD5, 0x00, 0x00, 0x00);
    /*                                      ^ 11 */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x9B, 0x01, 0x5E, 0x00, 0x00, 0x00);
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x9B, 0x01, 0x5F, 0x00, 0x00, 0x00);
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x9B, 0x01, 0x05, 0x00, 0x00, 0x00);
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x9B, 0x01, 0x50, 0x00, 0x00, 0x00);
    /* An empty map has no type byte; a map of binary to struct is skipped whole. */
    EXPECT_HEX(PQF_OK, 0, PRE, 0x9B, 0x00, RG_EMPTY_END);
    EXPECT_HEX(PQF_OK, 0, PRE, 0x9B, 0x02, 0x8C, 0x01, 0x6B, 0x15, 0x04, 0x00, 0x00, 0x00, RG_EMPTY_END);
    /* A map of bools: one byte each. */
    EXPECT_HEX(PQF_OK, 0, PRE, 0x9B, 0x02, 0x12, 0x01, 0x02, 0x01, 0x01, RG_EMPTY_END);
    /* More entries than the bytes left (2 bytes at least each). */
    EXPECT_HEX(PQF_ERR_TRUNCATED, 11, PRE, 0x9B, 0x10, 0x11, 0x01, 0x01, 0x00);
    /* A list of elements with no type. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x99, 0x20, 0x00, 0x00, 0x00);
}
END_TEST

/* ---------------------------------------------------- negative sizes --- */

/* One leaf "a" and nrg row groups of one chunk each, all alike except that
 * (level, fid) of row group bad holds v; *at receives that value's offset.
 * Levels: 0 FileMetaData, 1 RowGroup, 2 ColumnChunk, 3 ColumnMetaData. With
 * mirror, v is ignored and the value is -default - 1: a varint as long as the
 * default's, so the chunk keeps the layout of its neighbours. */
/* off: where every chunk's pages start (file_offset, data and dictionary page offsets). */
static void chunks_footer(fb *w, int nrg, int bad, int level, int fid, int64_t v, int mirror, size_t *at,
                          int64_t off) {
    fb_init(w);
    fb_begin(w);
    fb_i32f(w, 1, 1);
    fb_listf(w, 2, FB_STRUCT, 2);
    fb_begin(w);
    fb_strf(w, 4, "r");
    fb_i32f(w, 5, 1);
    fb_end(w);
    fb_begin(w);
    fb_i32f(w, 1, SH_INT64);
    fb_strf(w, 4, "a");
    fb_end(w);
#define VAL(lv, id, dflt)                                      \
    do {                                                       \
        int64_t x_ = (dflt);                                   \
        if (g == bad && level == (lv) && fid == (id)) {        \
            fb_field(w, FB_I64, (id));                         \
            *at = w->len;                                      \
            fb_i64(w, mirror ? -x_ - 1 : v);                   \
        } else {                                               \
            fb_i64f(w, (id), x_);                              \
        }                                                      \
    } while (0)
    int g = bad;
    VAL(0, 3, 10);
    fb_listf(w, 4, FB_STRUCT, nrg);
    for (g = 0; g < nrg; g++) {
        fb_begin(w);
        fb_listf(w, 1, FB_STRUCT, 1);
        fb_begin(w);
        VAL(2, 2, off);
        fb_structf(w, 3);
        fb_i32f(w, 1, SH_INT64);
        fb_listf(w, 2, FB_I32, 1);
        fb_i32(w, 0);
        fb_listf(w, 3, FB_BINARY, 1);
        fb_str(w, "a");
        fb_i32f(w, 4, 0);
        VAL(3, 5, 10);
        VAL(3, 6, 100);
        VAL(3, 7, 100);
        VAL(3, 9, off);
        VAL(3, 11, off);
        fb_end(w);
        fb_end(w);
        VAL(1, 2, 100);
        VAL(1, 3, 10);
        VAL(1, 5, 4);
        VAL(1, 6, 100);
        fb_end(w);
    }
    fb_end(w);
#undef VAL
}

START_TEST(t_negative_sizes) {
    static const int cases[][2] = {{0, 3}, {1, 2}, {1, 3}, {1, 5}, {1, 6}, {2, 2},
                                   {3, 5}, {3, 6}, {3, 7}, {3, 9}, {3, 11}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb w;
        size_t at = 0;
        chunks_footer(&w, 1, 0, cases[i][0], cases[i][1], 5, 0, &at, 4);
        EXPECT(w.buf, w.len, PQF_OK, 0);
        fb_free(&w);
        chunks_footer(&w, 1, 0, cases[i][0], cases[i][1], -1, 0, &at, 4);
        outcome r = decode(w.buf, w.len);
        ck_assert_msg(r.code == PQF_ERR_MALFORMED && r.offset == at,
                      "level %d field %d: %s at %llu (%s), want MALFORMED at %zu", cases[i][0],
                      cases[i][1], pqf_code_name(r.code), (unsigned long long)r.offset, r.msg, at);
        fb_free(&w);
        chunks_footer(&w, 1, 0, cases[i][0], cases[i][1], INT64_MIN, 0, &at, 4);
        r = decode(w.buf, w.len);
        ck_assert_int_eq(r.code, PQF_ERR_MALFORMED);
        ck_assert_uint_eq(r.offset, at);
        fb_free(&w);
    }
    /* num_children -1: a schema tree error, reported at the end of the schema list. */
    EXPECT_HEX(PQF_ERR_MALFORMED, 10, 0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x15, 0x01, 0x00,
               0x16, 0x00, 0x19, 0x0C, 0x00);
    /*                                                                          ^ 10 */
    /* A binary length of -1 (0xFFFFFFFF). */
    EXPECT_HEX(PQF_ERR_MALFORMED, 11, PRE, 0x38, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00);
}
END_TEST

/* The same rule on the template fast path: 64 row groups alike (enough bytes
 * for templates to be used), one kept value of row group 40 negative with an
 * equally long varint, so its bytes still match the recorded layout. */
START_TEST(t_negative_sizes_fast_path) {
    static const int cases[][2] = {{2, 2}, {3, 5}, {3, 6}, {3, 7}, {3, 9}, {3, 11}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb w;
        size_t at = 0;
        chunks_footer(&w, 64, -1, cases[i][0], cases[i][1], 0, 1, &at, 4);
        EXPECT(w.buf, w.len, PQF_OK, 0);
        fb_free(&w);
        chunks_footer(&w, 64, 40, cases[i][0], cases[i][1], 0, 1, &at, 4);
        outcome r = decode(w.buf, w.len);
        ck_assert_msg(r.code == PQF_ERR_MALFORMED && r.offset == at,
                      "level %d field %d: %s at %llu (%s), want MALFORMED at %zu", cases[i][0],
                      cases[i][1], pqf_code_name(r.code), (unsigned long long)r.offset, r.msg, at);
        fb_free(&w);
    }
}
END_TEST

/* A chunk placed past the data (the file size known) in the 41st of 64 row
 * groups, where templates are in use: both decode paths refuse it the same way.
 * Pages start at 20,000 and the data ends at 25,000; each bad value is a varint
 * as long as the one it replaces, so the chunk still matches its template. */
START_TEST(t_placement_fast_path) {
    static const struct { int level, fid; int64_t v; const char *msg; } cases[] = {
        {2, 2, 1000000, "file_offset past the end of the file"},
        {3, 7, 8000, "column chunk extends past the data before the footer"},
        {3, 9, 26000, "data_page_offset past the data before the footer"}, /* the dictionary starts it */
        {3, 11, 26000, "dictionary_page_offset past the data before the footer"},
    };
    const int64_t off = 20000, data = 25000;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fb w;
        size_t at = 0;
        /* the defaults fit: the file decodes, on the AVX-512 path where there is one */
        chunks_footer(&w, 64, 40, cases[i].level, cases[i].fid, cases[i].level == 3 && cases[i].fid == 7 ? 100 : off,
                      0, &at, off);
        size_t ok_len = w.len;
        uint8_t trailer[8] = {(uint8_t)ok_len, (uint8_t)(ok_len >> 8), (uint8_t)(ok_len >> 16),
                              (uint8_t)(ok_len >> 24), 'P', 'A', 'R', '1'};
        fb_raw(&w, trailer, 8);
        pqf_error e1, e2;
        pqf_footer *f1 = pqf_footer_decode_tail(w.buf, w.len, (uint64_t)data + w.len, NULL, &e1);
        ck_assert_msg(f1 != NULL, "case %zu: %s", i, e1.msg);
        pqf_footer_free(f1);
        fb_free(&w);

        chunks_footer(&w, 64, 40, cases[i].level, cases[i].fid, cases[i].v, 0, &at, off);
        size_t flen = w.len;
        ck_assert_uint_eq(flen, ok_len); /* the same layout */
        uint8_t bad_trailer[8] = {(uint8_t)flen, (uint8_t)(flen >> 8), (uint8_t)(flen >> 16), (uint8_t)(flen >> 24),
                                  'P', 'A', 'R', '1'};
        fb_raw(&w, bad_trailer, 8);
        uint64_t file_size = (uint64_t)data + w.len;
        pqf_options po = {.flags = PQF_PORTABLE};
        f1 = pqf_footer_decode_tail(w.buf, w.len, file_size, NULL, &e1);
        pqf_footer *f2 = pqf_footer_decode_tail(w.buf, w.len, file_size, &po, &e2);
        ck_assert_msg(!f1 && !f2, "case %zu decoded", i);
        ck_assert_int_eq(e1.code, PQF_ERR_MALFORMED);
        ck_assert_str_eq(e1.msg, cases[i].msg);
        ck_assert_msg(strstr(e1.path, "row_groups[40]") != NULL, "case %zu: %s", i, e1.path);
        fz_check_same_error(&e1, &e2);
        fb_free(&w);
    }
}
END_TEST

/* ------------------------------------------------- allocation failure --- */

static void alloc_failure_loop(const fb *w, const pqf_options *base) {
    pqf_options o = *base;
    pqf_error err;
    pqf_footer *ref = pqf_footer_decode(w->buf, w->len, &o, &err);
    ck_assert_msg(ref != NULL, "reference decode: %s", err.msg);
    size_t n;
    for (n = 0; n < 100000; n++) {
        fz_alloc a;
        fz_alloc_init(&a, n);
        pqf_allocator alc = fz_allocator(&a);
        o.allocator = &alc;
        pqf_test_poison(&err);
        pqf_footer *f = pqf_footer_decode(w->buf, w->len, &o, &err);
        o.allocator = NULL;
        if (f) {
            ck_assert_msg(n > 0, "succeeded with no allocation allowed: allocator ignored");
            ck_assert_uint_eq(a.failed, 0);
            fz_check_same(ref, f);
            pqf_footer_free(f);
            fz_alloc_fini(&a);
            break;
        }
        ck_assert_msg(err.code == PQF_ERR_NOMEM, "after %zu allocations: %s (%s)", n,
                      pqf_code_name(err.code), err.msg);
        ck_assert_uint_eq(a.live, 0);
        fz_alloc_fini(&a); /* checks every free had the allocated size */
    }
    ck_assert_msg(n < 100000, "never succeeded");
    pqf_footer_free(ref);
}

START_TEST(t_alloc_failure_every_n) {
    pqf_options o;
    memset(&o, 0, sizeof o);
    fb w;
    small_footer(&w);
    alloc_failure_loop(&w, &o);
    o.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | PQF_KEEP_KV;
    alloc_failure_loop(&w, &o);
    fb_free(&w);
    nested_footer(&w);
    alloc_failure_loop(&w, &o);
    static const char *const cols[] = {"point"};
    o.columns = cols;
    o.num_columns = 1;
    alloc_failure_loop(&w, &o);
    fb_free(&w);
}
END_TEST

/* The tail reader's own buffers fail too. */
typedef struct mem_file {
    const uint8_t *p;
    size_t n;
    int fail;
} mem_file;

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len) {
    mem_file *m = ctx;
    if (m->fail || off > m->n || len > m->n - off) return -1;
    memcpy(buf, m->p + off, len);
    return 0;
}

START_TEST(t_alloc_failure_reader) {
    fb w;
    small_footer(&w);
    size_t flen = w.len;
    fb img;
    fb_init(&img);
    fb_raw(&img, "PAR1", 4);
    for (int i = 0; i < 2000; i++) fb_u8(&img, 0);
    fb_raw(&img, w.buf, flen);
    fb_trailer(&img, (uint32_t)flen, "PAR1");
    mem_file m = {img.buf, img.len, 0};
    pqf_options o;
    memset(&o, 0, sizeof o);
    o.tail_size = 16; /* force the second read */
    size_t n;
    for (n = 0; n < 10000; n++) {
        fz_alloc a;
        fz_alloc_init(&a, n);
        pqf_allocator alc = fz_allocator(&a);
        o.allocator = &alc;
        pqf_error err;
        pqf_footer *f = pqf_footer_decode_reader(mem_read, &m, img.len, &o, &err);
        if (f) {
            ck_assert_uint_gt(n, 0);
            pqf_footer_free(f);
            fz_alloc_fini(&a);
            break;
        }
        ck_assert_int_eq(err.code, PQF_ERR_NOMEM);
        fz_alloc_fini(&a);
    }
    ck_assert_uint_lt(n, 10000);
    /* A failing read. */
    m.fail = 1;
    pqf_error err;
    ck_assert_ptr_null(pqf_footer_decode_reader(mem_read, &m, img.len, NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_IO);
    fb_free(&img);
    fb_free(&w);
}
END_TEST

/* ---------------------------------------------------- flat memory --- */

static long rss_pages(void) {
    FILE *fp = fopen("/proc/self/statm", "r");
    if (!fp) return -1;
    long size = 0, rss = -1;
    if (fscanf(fp, "%ld %ld", &size, &rss) != 2) rss = -1;
    fclose(fp);
    return rss;
}

#if defined(__SANITIZE_ADDRESS__)
#define PQF_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PQF_UNDER_ASAN 1
#endif
#endif

START_TEST(t_repeat_100000_flat) {
    fb w;
    small_footer(&w);
    /* With the counting allocator: every decode gives back all it took. */
    fz_alloc a;
    fz_alloc_init(&a, SIZE_MAX);
    pqf_allocator alc = fz_allocator(&a);
    pqf_options o;
    memset(&o, 0, sizeof o);
    o.allocator = &alc;
    for (int i = 0; i < 100000; i++) {
        pqf_footer *f = pqf_footer_decode(w.buf, w.len, &o, NULL);
        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(a.live, pqf_footer_bytes(f));
        pqf_footer_free(f);
        ck_assert_uint_eq(a.live, 0);
    }
    ck_assert_uint_eq(a.attempts, a.frees);
    fz_alloc_fini(&a);
    /* With malloc: the resident set does not grow (ASan's quarantine would). */
    long before = 0;
    for (int i = 0; i < 100000; i++) {
        if (i == 2000) before = rss_pages();
        pqf_footer *f = pqf_footer_decode(w.buf, w.len, NULL, NULL);
        ck_assert_ptr_nonnull(f);
        pqf_footer_free(f);
    }
    long after = rss_pages();
#ifndef PQF_UNDER_ASAN
    /* Under qemu-user (tools/cross-check.sh) the resident set is the
     * emulator's too: its translations dirty pages a forked test shares. */
    const char *emulated = getenv("PQF_TEST_EMULATED");
    if (emulated && *emulated) {
        printf("t_repeat_100000_flat: emulated, RSS not checked (grew by %ld pages)\n", after - before);
    } else {
        long page = sysconf(_SC_PAGESIZE);
        ck_assert_msg(before > 0 && after > 0 && (after - before) * page < 1024 * 1024,
                      "RSS grew by %ld pages", after - before);
    }
#else
    (void)before;
    (void)after;
#endif
    fb_free(&w);
}
END_TEST

/* ---------------------------------------------- y_ / n_ test files --- */

static pqf_code code_of_name(const char *name) {
    /* n_<code>_<what>.bin */
    static const struct {
        const char *word;
        pqf_code code;
    } words[] = {{"truncated", PQF_ERR_TRUNCATED}, {"malformed", PQF_ERR_MALFORMED},
                 {"depth", PQF_ERR_DEPTH},         {"limit", PQF_ERR_LIMIT},
                 {"missing", PQF_ERR_MISSING_REQUIRED}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i].word);
        if (strncmp(name + 2, words[i].word, n) == 0 && name[2 + n] == '_') return words[i].code;
    }
    return PQF_OK;
}

START_TEST(t_data_files_by_name) {
    DIR *d = opendir(PQF_TEST_DATA);
    ck_assert_ptr_nonnull(d);
    int ny = 0, nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        size_t l = strlen(nm);
        if (l < 7 || strcmp(nm + l - 4, ".bin") != 0 || nm[1] != '_') continue;
        if (nm[0] != 'y' && nm[0] != 'n') continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", PQF_TEST_DATA, nm);
        size_t len = 0;
        uint8_t *buf = pqf_test_read_file(path, &len);
        ck_assert_ptr_nonnull(buf);
        outcome r = decode(buf, len);
        if (nm[0] == 'y') {
            ck_assert_msg(r.code == PQF_OK, "%s: %s (%s)", nm, pqf_code_name(r.code), r.msg);
            ny++;
        } else {
            pqf_code want = code_of_name(nm);
            ck_assert_msg(want != PQF_OK, "%s: name does not say the expected code", nm);
            ck_assert_msg(r.code == want, "%s: %s (%s), want %s", nm, pqf_code_name(r.code), r.msg,
                          pqf_code_name(want));
            nn++;
        }
        free(buf);
    }
    closedir(d);
    ck_assert_int_ge(ny, 5);
    ck_assert_int_ge(nn, 15);
}
END_TEST

/* ------------------------------------------------------ regressions --- */

/* Found by reading src/ while writing fuzz_footer's failing-allocator mode (confirmed by
 * t_alloc_failure_every_n): when the row-group records were allocated but the chunk
 * records were not, free_work() released the row-group records with the size of one
 * record instead of n, handing a wrong size to pqf_allocator.free (and leaving the cap's
 * accounting off). Needs at least two row groups. */
START_TEST(t_regress_rg_records_freed_with_wrong_size) {
    /* Two row groups of one chunk without metadata (corpus/fuzz_footer/
     * crash-rg-records-freed-with-wrong-size: options 0x80 0x02, then these bytes). The
     * third allocation (the chunk records) is the one that must fail. */
    static const uint8_t in[] = {
        0x15, 0x02, 0x19, 0x2C, 0x48, 0x01, 0x72, 0x15, 0x02, 0x00, 0x48, 0x01, 0x61, 0x00,
        0x16, 0x00, 0x19, 0x2C,                                     /* row_groups: 2 */
        0x19, 0x1C, 0x26, 0x08, 0x00, 0x16, 0x00, 0x16, 0x00, 0x00, /* columns [fo 4], 0, 0 */
        0x19, 0x1C, 0x26, 0x08, 0x00, 0x16, 0x00, 0x16, 0x00, 0x00, 0x00};
    pqf_options o;
    memset(&o, 0, sizeof o);
    for (size_t n = 0; n < 64; n++) {
        fz_alloc a;
        fz_alloc_init(&a, n);
        pqf_allocator alc = fz_allocator(&a);
        o.allocator = &alc;
        pqf_error err;
        pqf_footer *f = pqf_footer_decode(in, sizeof in, &o, &err);
        if (!f) ck_assert_int_eq(err.code, PQF_ERR_NOMEM);
        pqf_footer_free(f);
        fz_alloc_fini(&a); /* aborted: "free size 56 differs from the allocated size 112" */
        if (f) break;
    }
}
END_TEST

/* Found by fuzz_footer (projection mode): a footer whose second chunk declares its
 * path_in_schema as list<i32> while holding binaries decodes in full (check_path reads the
 * names as binaries whatever the declared element type, as Thrift does), but projecting
 * column 0 skips that chunk's ColumnMetaData by its wire types and fails: projection
 * changed whether the footer decodes. corpus/fuzz_footer/
 * crash-projection-skips-path-by-declared-type holds it with options 0x20 0x00. */
START_TEST(t_regress_projection_changes_acceptance) {
    static const uint8_t in[] = {
        0x15, 0x02, 0x19, 0x3C, 0x48, 0x01, 0x72, 0x15, 0x04, 0x00, 0x15, 0x02, 0x38, 0x01,
        0x61, 0x00, 0x15, 0x02, 0x38, 0x01, 0x6D, 0x00, 0x16, 0x02, 0x19, 0x1C, 0x19, 0x2C,
        0x26, 0x08, 0x1C, 0x15, 0x02, 0x19, 0x15, 0x00, 0x19, 0x18, 0x01, 0x61, 0x15, 0x00,
        0x16, 0x02, 0x16, 0x14, 0x16, 0x14, 0x26, 0x08, 0x00, 0x00,
        0x26, 0x1C, 0x1C, 0x15, 0x02, 0x19, 0x15, 0x00,
        0x19, 0x15, 0x01, 0x6D, /* path_in_schema: declared list<i32> (0x15), holds "m" */
        0x15, 0x00, 0x16, 0x02, 0x16, 0x14, 0x16, 0x14, 0x26, 0x08, 0x00, 0x00,
        0x16, 0x28, 0x16, 0x02, 0x00, 0x00};
    outcome full = decode(in, sizeof in);
    pqf_options o;
    memset(&o, 0, sizeof o);
    static const uint32_t first = 0;
    o.column_indexes = &first;
    o.num_column_indexes = 1;
    outcome proj = decode_opts(in, sizeof in, &o);
    ck_assert_msg((full.code == PQF_OK) == (proj.code == PQF_OK),
                  "full decode: %s (%s); projected on column 0: %s (%s) at %llu",
                  pqf_code_name(full.code), full.msg, pqf_code_name(proj.code), proj.msg,
                  (unsigned long long)proj.offset);
}
END_TEST

static Suite *make_suite(void) {
    Suite *s = suite_create("hardening");
    TCase *tc = tcase_create("hostile");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, t_truncation_every_prefix);
    tcase_add_test(tc, t_tail_needed_every_length);
    tcase_add_test(tc, t_byte_flips);
    tcase_add_test(tc, t_list_2pow31);
    tcase_add_test(tc, t_binary_2pow62);
    tcase_add_test(tc, t_nesting_10000);
    tcase_add_test(tc, t_overlong_varints);
    tcase_add_test(tc, t_long_form_field_ids);
    tcase_add_test(tc, t_type_nibbles_13_15);
    tcase_add_test(tc, t_maps_unknown_types);
    tcase_add_test(tc, t_negative_sizes);
    tcase_add_test(tc, t_negative_sizes_fast_path);
    tcase_add_test(tc, t_placement_fast_path);
    tcase_add_test(tc, t_data_files_by_name);
    suite_add_tcase(s, tc);
    TCase *mem = tcase_create("memory");
    tcase_set_timeout(mem, 600);
    tcase_add_test(mem, t_alloc_failure_every_n);
    tcase_add_test(mem, t_alloc_failure_reader);
    tcase_add_test(mem, t_repeat_100000_flat);
    suite_add_tcase(s, mem);
    TCase *reg = tcase_create("regressions");
    tcase_set_timeout(reg, 120);
    tcase_add_test(reg, t_regress_rg_records_freed_with_wrong_size);
    tcase_add_test(reg, t_regress_projection_changes_acceptance);
    suite_add_tcase(s, reg);
    return s;
}

PQF_CHECK_MAIN()
