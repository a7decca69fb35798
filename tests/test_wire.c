/*
 * test_wire.c -- every compact-protocol wire type and edge, through
 * pqf_footer_decode() on hand-built bytes.
 *
 * Error tests poison the error struct (EXPECT_ERR does) and check the code and
 * the byte offset; a caret comment under the hex marks the expected offset.
 *
 * Most snippets extend PRE, the first 12 bytes of a minimal valid footer:
 *
 *   off  0  1 | 2  3  4  5  6  7 | 8  9 | 10 11 | 12
 *       15 02 | 19 1C 48 01 72 00 | 16 00 | 19 0C | 00
 *   version=1 | schema=[{name "r"}] | num_rows=0 | row_groups=[] | stop
 *
 * so an extra field appended after PRE has its header at offset 12 (a delta
 * header 0x6T gives field id 10, unknown to FileMetaData) and its value at 13.
 */
#include "check_support.h"
#include "footer_builder.h"

#define PRE 0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C

/* ------------------------------------------------------------- helpers --- */

/* schema=[{name "r"}], num_rows=0, row_groups=[] with long-form headers, so it
 * can follow any field id. */
static void mini_rest(fb *w) {
    fb_field_long(w, FB_LIST, 2);
    fb_list(w, FB_STRUCT, 1);
    fb_begin(w);
    fb_strf(w, 4, "r");
    fb_end(w);
    fb_field_long(w, FB_I64, 3);
    fb_i64(w, 0);
    fb_field_long(w, FB_LIST, 4);
    fb_list(w, FB_STRUCT, 0);
}

/* Decode what w holds (must succeed); w is freed. */
static pqf_footer *decode_fb_line(int line, fb *w, const pqf_options *opt) {
    size_t n;
    uint8_t *b = fb_take(w, &n);
    pqf_footer *f = fb_expect_ok_opt(line, opt, b, n);
    free(b);
    return f;
}
#define DECODE_FB(w) decode_fb_line(__LINE__, (w), NULL)

static void expect_err_fb_line(int line, fb *w, pqf_code code, uint64_t off) {
    size_t n;
    uint8_t *b = fb_take(w, &n);
    fb_expect_err_opt(line, NULL, code, off, NULL, b, n);
    free(b);
}
#define EXPECT_ERR_FB(w, code, off) expect_err_fb_line(__LINE__, (w), (code), (off))

/* A footer whose version is written as the given raw varint bytes. */
static pqf_footer *version_varint(int line, const uint8_t *v, size_t n) {
    fb w;
    fb_init(&w);
    fb_begin(&w);
    fb_field(&w, FB_I32, 1);
    fb_raw(&w, v, n);
    mini_rest(&w);
    fb_end(&w);
    return decode_fb_line(line, &w, NULL);
}

/* ---------------------------------------------------------- the minimum --- */

START_TEST(t_minimal_footer) {
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x00));
    ck_assert_int_eq(pqf_footer_version(f), 1);
    ck_assert_int_eq(pqf_footer_num_rows(f), 0);
    ck_assert_uint_eq(pqf_schema_count(f), 1);
    ck_assert_str_eq(pqf_test_se(f, 0).name.ptr, "r");
    ck_assert_uint_eq(pqf_column_count(f), 0);
    ck_assert_uint_eq(pqf_row_group_count(f), 0);
    ck_assert_uint_eq(pqf_footer_serialized_size(f), 13);
    ck_assert_uint_eq(pqf_footer_flags(f), 0);
    ck_assert_ptr_null(pqf_footer_created_by(f).ptr);
    pqf_footer_free(f);

    /* A NULL error pointer is allowed. */
    static const uint8_t m[] = {PRE, 0x00};
    f = pqf_footer_decode(m, sizeof m, NULL, NULL);
    ck_assert_ptr_nonnull(f);
    pqf_footer_free(f);
    ck_assert_ptr_null(pqf_footer_decode(m, sizeof m - 1, NULL, NULL));
}
END_TEST

/* ---------------------------------------------------------------- varints --- */

/* i32 (version) in 1..5 bytes: the largest and smallest values of each
 * minimal width, and small values padded to every width. */
START_TEST(t_varint_i32_widths) {
    for (unsigned n = 1; n <= 5; n++) {
        int64_t hi = n < 5 ? ((int64_t)1 << (7 * n - 1)) - 1 : INT32_MAX;
        int64_t lo = n < 5 ? -((int64_t)1 << (7 * n - 1)) : INT32_MIN;
        int64_t vals[2] = {hi, lo};
        for (int k = 0; k < 2; k++) {
            fb v;
            fb_init(&v);
            fb_i32(&v, (int32_t)vals[k]);
            ck_assert_uint_eq(v.len, n); /* the value really takes n bytes */
            pqf_footer *f = version_varint(__LINE__, v.buf, v.len);
            ck_assert_int_eq(pqf_footer_version(f), vals[k]);
            pqf_footer_free(f);
            fb_free(&v);
        }
        /* 1, -1 and 0 padded to n bytes (non-minimal encodings are accepted) */
        int32_t small[3] = {1, -1, 0};
        for (int k = 0; k < 3; k++) {
            fb v;
            fb_init(&v);
            fb_uvarint_n(&v, fb_zz32(small[k]), n);
            ck_assert_uint_eq(v.len, n);
            pqf_footer *f = version_varint(__LINE__, v.buf, v.len);
            ck_assert_int_eq(pqf_footer_version(f), small[k]);
            pqf_footer_free(f);
            fb_free(&v);
        }
    }
}
END_TEST

/* i64 (num_rows) in 1..10 bytes: the largest non-negative value of each
 * minimal width (num_rows may not be negative), and padded small values. */
START_TEST(t_varint_i64_widths) {
    for (unsigned n = 1; n <= 10; n++) {
        int64_t hi = n < 10 ? (int64_t)(((uint64_t)1 << (7 * n - 1)) - 1) : INT64_MAX;
        int64_t vals[3] = {hi, 0, 1};
        for (int k = 0; k < 3; k++) {
            fb w;
            fb_init(&w);
            fb_begin(&w);
            fb_i32f(&w, 1, 1);
            fb_field(&w, FB_LIST, 2);
            fb_list(&w, FB_STRUCT, 1);
            fb_begin(&w);
            fb_strf(&w, 4, "r");
            fb_end(&w);
            fb_field(&w, FB_I64, 3);
            size_t at = w.len;
            if (k == 0) fb_i64(&w, vals[k]);
            else fb_uvarint_n(&w, fb_zz64(vals[k]), n);
            ck_assert_uint_eq(w.len - at, n);
            fb_listf(&w, 4, FB_STRUCT, 0);
            fb_end(&w);
            pqf_footer *f = DECODE_FB(&w);
            ck_assert_int_eq(pqf_footer_num_rows(f), vals[k]);
            pqf_footer_free(f);
        }
    }
}
END_TEST

START_TEST(t_version_extremes) {
    const int32_t vals[] = {INT32_MIN, INT32_MIN + 1, -65, -64, -1, 0, 1, 63, 64, INT32_MAX - 1, INT32_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        fb v;
        fb_init(&v);
        fb_i32(&v, vals[i]);
        pqf_footer *f = version_varint(__LINE__, v.buf, v.len);
        ck_assert_int_eq(pqf_footer_version(f), vals[i]);
        pqf_footer_free(f);
        fb_free(&v);
    }
    /* INT32_MIN is zigzag 0xFFFFFFFF: exactly FF FF FF FF 0F */
    pqf_footer *f = version_varint(__LINE__, HEX(0xFF, 0xFF, 0xFF, 0xFF, 0x0F));
    ck_assert_int_eq(pqf_footer_version(f), INT32_MIN);
    pqf_footer_free(f);
    f = version_varint(__LINE__, HEX(0xFE, 0xFF, 0xFF, 0xFF, 0x0F));
    ck_assert_int_eq(pqf_footer_version(f), INT32_MAX);
    pqf_footer_free(f);
}
END_TEST

START_TEST(t_num_rows_extremes) {
    /* INT64_MAX: zigzag 0xFFFFFFFFFFFFFFFE, ten bytes, the last one 01 */
    pqf_footer *f = EXPECT_OK(HEX(0x15, 0x02, 0x26, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                                  0x09, 0x04, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x29, 0x0C, 0x00));
    ck_assert_int_eq(pqf_footer_num_rows(f), INT64_MAX);
    pqf_footer_free(f);
    /* INT64_MIN decodes (zigzag 0xFF..FF) but num_rows may not be negative */
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 3, "num_rows",
                    HEX(0x15, 0x02, 0x26, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
    /*                                    ^ 3: the value */
                        0x09, 0x04, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x29, 0x0C, 0x00));
    /* -1 */
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 3, "num_rows",
                    HEX(0x15, 0x02, 0x26, 0x01, 0x09, 0x04, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x29, 0x0C, 0x00));
    /*                                    ^ 3 */
}
END_TEST

/* Varints longer than their type allows, or carrying more bits than it has:
 * MALFORMED at the varint's first byte. */
START_TEST(t_varint_overlong) {
    /* i16 field id (long form) of 4 bytes */
    EXPECT_ERR(PQF_ERR_MALFORMED, 1, HEX(0x05, 0x80, 0x80, 0x80, 0x00, 0x02, PRE, 0x00));
    /*                                      ^ 1 */
    /* i16 field id of 3 bytes above 0xFFFF */
    EXPECT_ERR(PQF_ERR_MALFORMED, 1, HEX(0x05, 0xFF, 0xFF, 0x07, 0x02, PRE, 0x00));
    /*                                      ^ 1 */
    /* i16 value of an unknown field (skipped), 4 bytes */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x64, 0x80, 0x80, 0x80, 0x00, 0x00));
    /*                                         ^ 13 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x64, 0x80, 0x80, 0x04, 0x00));
    /*                                         ^ 13: 0x10000 > i16 */
    /* i32 version of 6 bytes */
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 1, "version", HEX(0x15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x19, 0x1C));
    /*                                                     ^ 1 */
    /* i32 version of 5 bytes above 0xFFFFFFFF */
    EXPECT_ERR(PQF_ERR_MALFORMED, 1, HEX(0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x19, 0x1C));
    /*                                      ^ 1 */
    /* i32 value of an unknown field, 6 bytes and 5 bytes too large */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x65, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00));
    /*                                         ^ 13 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x65, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00));
    /*                                         ^ 13 */
    /* i64 num_rows whose 10th byte is 02 (bit 64), or has a continuation */
    EXPECT_ERR(PQF_ERR_MALFORMED, 3,
               HEX(0x15, 0x02, 0x26, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, PRE));
    /*                         ^ 3 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 3,
               HEX(0x15, 0x02, 0x26, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, PRE));
    /*                         ^ 3: 11 bytes */
    EXPECT_ERR(PQF_ERR_MALFORMED, 3,
               HEX(0x15, 0x02, 0x26, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, PRE));
    /*                         ^ 3 */
    /* i64 value of an unknown field, 10th byte 02 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13,
               HEX(PRE, 0x66, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0x00));
    /*                    ^ 13 */
    /* binary length: 6 bytes, and above 0x7FFFFFFF */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x68, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00));
    /*                                         ^ 13 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x68, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00));
    /*                                         ^ 13: 0x80000000 */
    /* long list size: 6 bytes (the varint starts after the F? header byte) */
    EXPECT_ERR(PQF_ERR_MALFORMED, 14, HEX(PRE, 0x69, 0xF5, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00));
    /*                                               ^ 14 */
    /* long list size above 0x7FFFFFFF: reported at the list header */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x69, 0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00));
    /*                                         ^ 13 */
    /* map size: 6 bytes, and above 0x7FFFFFFF */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x6B, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00));
    /*                                         ^ 13 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x6B, 0x80, 0x80, 0x80, 0x80, 0x08, 0x55, 0x00));
    /*                                         ^ 13 */
    /* list<i16> / list<i32> / list<i64> elements, second element overlong */
    EXPECT_ERR(PQF_ERR_MALFORMED, 15, HEX(PRE, 0x69, 0x24, 0x02, 0x80, 0x80, 0x80, 0x00, 0x00));
    /*                                                     ^ 15 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 15, HEX(PRE, 0x69, 0x24, 0x02, 0xFF, 0xFF, 0x04, 0x00));
    /*                                                     ^ 15: 0x13FFF... > i16 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 15, HEX(PRE, 0x69, 0x25, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00));
    /*                                                     ^ 15 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 15, HEX(PRE, 0x69, 0x25, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x10, 0x00));
    /*                                                     ^ 15 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 15,
               HEX(PRE, 0x69, 0x26, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0x00));
    /*                              ^ 15 */
}
END_TEST

/* Zigzag negatives and extremes in skipped values: each must consume exactly
 * its bytes, so the version written after them still decodes. */
START_TEST(t_zigzag_skipped) {
    const int64_t vals[] = {INT64_MIN, INT64_MIN + 1, -4294967296LL, INT32_MIN, -129, -128, -1, 0,
                            1, 127, INT32_MAX, 4294967296LL, INT64_MAX - 1, INT64_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        fb w;
        fb_init(&w);
        fb_begin(&w);
        fb_i64f(&w, 20, vals[i]);                    /* unknown i64 */
        fb_i32f(&w, 21, (int32_t)vals[i]);           /* unknown i32 (truncated value) */
        fb_i16f(&w, 22, (int16_t)vals[i]);           /* unknown i16 */
        fb_listf(&w, 23, FB_I64, 3);                 /* list<i64> */
        fb_i64(&w, vals[i]);
        fb_i64(&w, ~vals[i]);
        fb_i64(&w, vals[i] / 3);
        fb_listf(&w, 24, FB_I32, 2);
        fb_i32(&w, (int32_t)vals[i]);
        fb_i32(&w, INT32_MIN);
        fb_listf(&w, 25, FB_I16, 2);
        fb_i16(&w, (int16_t)vals[i]);
        fb_i16(&w, INT16_MIN);
        fb_field_long(&w, FB_I32, 1);
        fb_i32(&w, 77);
        mini_rest(&w);
        fb_end(&w);
        pqf_footer *f = DECODE_FB(&w);
        ck_assert_int_eq(pqf_footer_version(f), 77);
        pqf_footer_free(f);
    }
}
END_TEST

/* ---------------------------------------------------------- field headers --- */

START_TEST(t_field_headers) {
    /* version in the long form: 05 (type i32, delta 0), id zigzag(1) = 02, value 0E = 7 */
    pqf_footer *f = EXPECT_OK(HEX(0x05, 0x02, 0x0E, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19,
                                  0x0C, 0x00));
    ck_assert_int_eq(pqf_footer_version(f), 7);
    pqf_footer_free(f);

    /* every field in the long form, in reverse order of ids */
    f = EXPECT_OK(HEX(0x09, 0x08, 0x0C,             /* 4 row_groups: [] */
                      0x06, 0x06, 0x00,             /* 3 num_rows: 0 */
                      0x09, 0x04, 0x1C, 0x08, 0x08, 0x01, 0x72, 0x00, /* 2 schema, name long form */
                      0x05, 0x02, 0x0A,             /* 1 version: 5 */
                      0x00));
    ck_assert_int_eq(pqf_footer_version(f), 5);
    ck_assert_str_eq(pqf_test_se(f, 0).name.ptr, "r");
    pqf_footer_free(f);

    /* negative ids are unknown fields: skipped */
    f = EXPECT_OK(HEX(0x05, 0x01, 0x7F,             /* id -1 i32 -64 */
                      0x08, 0x03, 0x01, 0x78,       /* id -2 binary "x" */
                      0x0C, 0xFF, 0xFF, 0x03, 0x15, 0x02, 0x00, /* id -32768 struct {1: i32} */
                      0x05, 0x02, 0x04,             /* id 1 version: 2 */
                      0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x00));
    ck_assert_int_eq(pqf_footer_version(f), 2);
    pqf_footer_free(f);

    /* a delta counts from the previous id even when it was negative: -1 + 2 = 1 */
    f = EXPECT_OK(HEX(0x05, 0x01, 0x7F,             /* id -1 */
                      0x25, 0x06,                   /* delta 2 -> id 1 version: 3 */
                      0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x00));
    ck_assert_int_eq(pqf_footer_version(f), 3);
    pqf_footer_free(f);

    /* id 0 (long form) is unknown; a delta of 15 reaches id 15 (unknown) */
    f = EXPECT_OK(HEX(0x05, 0x00, 0x04,             /* id 0 i32 */
                      0x15, 0x02,                   /* id 1 version 1 */
                      0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C,
                      0xB8, 0x00,                   /* delta 11 -> id 15, binary "" */
                      0x00));
    ck_assert_int_eq(pqf_footer_version(f), 1);
    pqf_footer_free(f);

    /* delta 15 from 0 reaches 15 at the start of a struct */
    f = EXPECT_OK(HEX(0xF5, 0x02, 0x05, 0x02, 0x06, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19,
                      0x0C, 0x00));
    ck_assert_int_eq(pqf_footer_version(f), 3);
    pqf_footer_free(f);
}
END_TEST

/* Field 32767 is reserved for footer extensions: skipped, whatever its type;
 * a delta after it wraps to negative ids (skipped too). */
START_TEST(t_field_32767) {
    /* binary extension: 08 FE FF 03 = binary, id zigzag(32767) = 65534 */
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x08, 0xFE, 0xFF, 0x03, 0x05, 'h', 'e', 'l', 'l', 'o', 0x00));
    ck_assert_int_eq(pqf_footer_version(f), 1);
    pqf_footer_free(f);
    /* struct extension, then a short header: 32767 + 1 wraps to -32768 (unknown) */
    f = EXPECT_OK(HEX(PRE, 0x0C, 0xFE, 0xFF, 0x03, 0x15, 0x02, 0x28, 0x00, 0x00, /* {1: i32, 3: ""} */
                      0x15, 0x04,                                       /* id -32768 i32 */
                      0x00));
    ck_assert_int_eq(pqf_footer_version(f), 1);
    pqf_footer_free(f);
    /* a large extension blob */
    fb w;
    fb_init(&w);
    fb_begin(&w);
    fb_i32f(&w, 1, 9);
    mini_rest(&w);
    fb_field(&w, FB_BINARY, 32767);
    uint8_t *blob = calloc(70000, 1);
    ck_assert_ptr_nonnull(blob);
    fb_bin(&w, blob, 70000);
    free(blob);
    fb_end(&w);
    f = DECODE_FB(&w);
    ck_assert_int_eq(pqf_footer_version(f), 9);
    pqf_footer_free(f);
}
END_TEST

/* Unknown compact types (13..15) in a field header: MALFORMED at the header. */
START_TEST(t_field_type_unknown) {
    for (unsigned t = 13; t <= 15; t++) {
        EXPECT_ERR(PQF_ERR_MALFORMED, 12, HEX(PRE, (uint8_t)(0x60 | t), 0x00, 0x00));
        /*                                    ^ 12 */
        EXPECT_ERR(PQF_ERR_MALFORMED, 0, HEX((uint8_t)(0x10 | t), 0x02, 0x00));
        /*                                    ^ 0 */
    }
    /* inside a schema element */
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 7, "schema[0]",
                    HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x1D, 0x00, 0x00));
    /*                                                    ^ 7 */
}
END_TEST

/* Type nibble 0 means stop whatever the delta nibble says (as Thrift reads it). */
START_TEST(t_stop_with_delta) {
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0xF0));
    ck_assert_int_eq(pqf_footer_version(f), 1);
    pqf_footer_free(f);
    /* 0x30 ends the schema element; the bytes after FileMetaData's stop are not read */
    f = EXPECT_OK(HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x30, 0x16, 0x00, 0x19, 0x0C, 0x10, 0xEE, 0xEE));
    ck_assert_str_eq(pqf_test_se(f, 0).name.ptr, "r");
    ck_assert_uint_eq(pqf_footer_serialized_size(f), 15);
    pqf_footer_free(f);
    /* in a skipped struct */
    f = EXPECT_OK(HEX(PRE, 0x6C, 0x15, 0x02, 0x70, 0x00));
    pqf_footer_free(f);
}
END_TEST

/* --------------------------------------------------------------- booleans --- */

START_TEST(t_booleans) {
    /* bool fields carry their value in the type nibble: no value bytes */
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x61, 0x12, 0x11, 0x12, 0x00));
    ck_assert_int_eq(pqf_footer_version(f), 1);
    pqf_footer_free(f);
    /* bools as list/set elements take one byte each */
    f = EXPECT_OK(HEX(PRE, 0x69, 0x31, 0x01, 0x00, 0x01,  /* list<bool> [t, f, t] (type 1) */
                      0x19, 0x22, 0x02, 0x02,             /* list of type 2, 2 elements */
                      0x1A, 0x11, 0x01,                   /* set<bool> */
                      0x19, 0xF1, 0x0F, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 15 bools, long form */
                      0x00));
    pqf_footer_free(f);
    /* a bool list that ends early: its size is checked against the bytes left */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x69, 0x31, 0x01, 0x00));
    /*                                         ^ 13 */
    /* the known bools: IntType.isSigned and TimestampType.isAdjustedToUTC, both values */
    for (int v = 0; v < 2; v++) {
        fb w;
        fb_init(&w);
        fb_begin(&w);
        fb_i32f(&w, 1, 1);
        fb_listf(&w, 2, FB_STRUCT, 3);
        fb_begin(&w);
        fb_strf(&w, 4, "r");
        fb_i32f(&w, 5, 2);
        fb_end(&w);
        fb_begin(&w);
        fb_i32f(&w, 1, PQF_TYPE_INT32);
        fb_strf(&w, 4, "i");
        fb_structf(&w, 10);
        fb_structf(&w, 10);      /* INTEGER */
        fb_bytef(&w, 1, 16);
        fb_boolf(&w, 2, v);      /* isSigned in the type nibble */
        fb_end(&w);
        fb_end(&w);
        fb_end(&w);
        fb_begin(&w);
        fb_i32f(&w, 1, PQF_TYPE_INT64);
        fb_strf(&w, 4, "t");
        fb_structf(&w, 10);
        fb_structf(&w, 8);       /* TIMESTAMP */
        fb_boolf(&w, 1, !v);     /* isAdjustedToUTC */
        fb_structf(&w, 2);
        fb_structf(&w, 3);       /* NANOS */
        fb_end(&w);
        fb_end(&w);
        fb_end(&w);
        fb_end(&w);
        fb_end(&w);
        fb_i64f(&w, 3, 0);
        fb_listf(&w, 4, FB_STRUCT, 0);
        fb_end(&w);
        f = DECODE_FB(&w);
        pqf_schema_element e_v = pqf_test_se(f, 1);
        const pqf_schema_element *e = &e_v;
        ck_assert_int_eq(e->logical.kind, PQF_LT_INTEGER);
        ck_assert_int_eq(e->logical.bit_width, 16);
        ck_assert_int_eq(e->logical.is_signed, v);
        e_v = pqf_test_se(f, 2);
        ck_assert_int_eq(e->logical.kind, PQF_LT_TIMESTAMP);
        ck_assert_int_eq(e->logical.is_adjusted_to_utc, !v);
        ck_assert_int_eq(e->logical.unit, PQF_UNIT_NANOS);
        pqf_footer_free(f);
    }
}
END_TEST

/* -------------------------------------------------------------- lists, sets --- */

START_TEST(t_list_sizes) {
    /* size 0 with any element type, size 14 short, 15 and more long, small long */
    static const uint32_t sizes[] = {0, 1, 2, 13, 14, 15, 16, 127, 128, 1000, 70000};
    static const unsigned types[] = {FB_TRUE, FB_FALSE, FB_BYTE, FB_I16, FB_I32, FB_I64, FB_DOUBLE, FB_BINARY,
                                     FB_LIST, FB_SET, FB_MAP, FB_STRUCT};
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        for (size_t ti = 0; ti < sizeof types / sizeof *types; ti++) {
            for (int longform = 0; longform < 2; longform++) {
                for (int set = 0; set < 2; set++) {
                    uint32_t n = sizes[si];
                    unsigned t = types[ti];
                    if (n > 1000 && t != FB_BYTE) continue;
                    fb w;
                    fb_init(&w);
                    fb_begin(&w);
                    fb_i32f(&w, 1, 4);
                    fb_field(&w, set ? FB_SET : FB_LIST, 20);
                    if (longform) fb_list_long(&w, t, n);
                    else fb_list(&w, t, n);
                    for (uint32_t i = 0; i < n; i++) {
                        switch (t) {
                        case FB_TRUE: case FB_FALSE: fb_u8(&w, i & 1); break;
                        case FB_BYTE: fb_u8(&w, i & 0xff); break;
                        case FB_I16: fb_i16(&w, (int16_t)(i * 7 - 3000)); break;
                        case FB_I32: fb_i32(&w, (int32_t)(i * 100003u)); break;
                        case FB_I64: fb_i64(&w, -(int64_t)i * 1000000007LL); break;
                        case FB_DOUBLE: fb_double(&w, i * 0.5); break;
                        case FB_BINARY: fb_str(&w, (i & 1) ? "odd" : ""); break;
                        case FB_LIST: fb_list(&w, FB_I32, 2); fb_i32(&w, 1); fb_i32(&w, 2); break;
                        case FB_SET: fb_list(&w, FB_BINARY, 0); break;
                        case FB_MAP: fb_map(&w, FB_I32, FB_STRUCT, 1); fb_i32(&w, 5); fb_begin(&w); fb_end(&w); break;
                        case FB_STRUCT: fb_begin(&w); fb_i64f(&w, 1, i); fb_end(&w); break;
                        }
                    }
                    fb_field_long(&w, FB_I32, 1); /* the second version wins */
                    fb_i32(&w, 11);
                    mini_rest(&w);
                    fb_end(&w);
                    pqf_footer *f = DECODE_FB(&w);
                    ck_assert_int_eq(pqf_footer_version(f), 11);
                    pqf_footer_free(f);
                }
            }
        }
    }
}
END_TEST

/* Element type 0 with elements, and element types 13..15: MALFORMED at the
 * list header. An empty list of type 0 is fine. */
START_TEST(t_list_element_types) {
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x69, 0x00, 0x1A, 0x00, 0x19, 0xF0, 0x00, 0x00));
    pqf_footer_free(f);
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x69, 0x10, 0x00, 0x00));
    /*                                         ^ 13 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x69, 0xF0, 0x02, 0x00, 0x00));
    /*                                         ^ 13: long form, 2 elements of type 0 */
    for (unsigned t = 13; t <= 15; t++) {
        EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x69, (uint8_t)(0x10 | t), 0x00, 0x00));
        /*                                         ^ 13 */
        EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x6A, (uint8_t)(0x00 | t), 0x00));
        /*                                         ^ 13: even when empty */
    }
    /* the schema list itself with element type 13 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 3, HEX(0x15, 0x02, 0x19, 0x1D, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C,
                                         0x00));
    /*                                              ^ 3 */
}
END_TEST

/* ------------------------------------------------------------------- maps --- */

START_TEST(t_maps) {
    /* empty map: a single 00, no type byte */
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x6B, 0x00, 0x00));
    pqf_footer_free(f);
    /* map<i32, binary> {1: "a", -1: ""}, map<bool, double>, map<binary, list<i64>>,
     * map<struct, map<byte, set<i16>>> */
    f = EXPECT_OK(HEX(PRE, 0x6B, 0x02, 0x58, 0x02, 0x01, 'a', 0x01, 0x00,
                      0x1B, 0x01, 0x17, 0x01, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,
                      0x1B, 0x01, 0x89, 0x01, 'k', 0x26, 0x01, 0x02,
                      0x1B, 0x01, 0xCB, 0x15, 0x02, 0x00, 0x01, 0x3A, 0x07, 0x24, 0x02, 0x04,
                      0x00));
    ck_assert_int_eq(pqf_footer_version(f), 1);
    pqf_footer_free(f);
    /* unknown key or value type 13..15, or type 0: MALFORMED at the map's start */
    for (unsigned t = 13; t <= 15; t++) {
        EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x6B, 0x01, (uint8_t)(t << 4 | 5), 0x02, 0x02, 0x00));
        /*                                         ^ 13 */
        EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x6B, 0x01, (uint8_t)(0x50 | t), 0x02, 0x02, 0x00));
        /*                                         ^ 13 */
    }
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x6B, 0x01, 0x05, 0x02, 0x02, 0x00));
    /*                                         ^ 13: key type 0 */
    EXPECT_ERR(PQF_ERR_MALFORMED, 13, HEX(PRE, 0x6B, 0x01, 0x50, 0x02, 0x02, 0x00));
    /*                                         ^ 13: value type 0 */
    /* more entries than bytes could hold */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x6B, 0x05, 0x55, 0x02, 0x02, 0x00));
    /*                                         ^ 13 */
}
END_TEST

/* ----------------------------------------------------------------- binary --- */

START_TEST(t_binary) {
    /* created_by (id 6, delta 2 after row_groups) empty */
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x28, 0x00, 0x00));
    pqf_str cb = pqf_footer_created_by(f);
    ck_assert_ptr_nonnull(cb.ptr);
    ck_assert_uint_eq(cb.len, 0);
    ck_assert_int_eq(cb.ptr[0], 0);
    ck_assert(pqf_footer_flags(f) & PQF_FOOTER_HAS_CREATED_BY);
    pqf_footer_free(f);
    /* embedded NULs are kept and counted; ptr[len] is a terminating 0 */
    f = EXPECT_OK(HEX(PRE, 0x28, 0x05, 'a', 0x00, 'b', 0x00, 'c', 0x00));
    cb = pqf_footer_created_by(f);
    ck_assert_uint_eq(cb.len, 5);
    ck_assert_int_eq(memcmp(cb.ptr, "a\0b\0c", 6), 0);
    pqf_footer_free(f);
    /* a NUL in a schema name is kept too */
    f = EXPECT_OK(HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x03, 'x', 0x00, 'y', 0x00, 0x16, 0x00, 0x19, 0x0C, 0x00));
    ck_assert_uint_eq(pqf_test_se(f, 0).name.len, 3);
    ck_assert_int_eq(memcmp(pqf_test_se(f, 0).name.ptr, "x\0y", 4), 0);
    pqf_footer_free(f);
    /* the string is a copy: it stays valid after the input is gone */
    uint8_t *buf = malloc(16);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, (const uint8_t[]){PRE, 0x28, 0x01, 'z', 0x00}, 16);
    f = EXPECT_OK(buf, 16);
    memset(buf, 0xAA, 16);
    free(buf);
    ck_assert_str_eq(pqf_footer_created_by(f).ptr, "z");
    pqf_footer_free(f);
    /* longer than the bytes left: TRUNCATED at the length */
    EXPECT_ERR_PATH(PQF_ERR_TRUNCATED, 13, "created_by", HEX(PRE, 0x28, 0x04, 'a', 'b', 0x00));
    /*                                                              ^ 13 */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x68, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00));
    /*                                         ^ 13: 2^31-1 */
}
END_TEST

/* ----------------------------------------------------- double, byte, nests --- */

START_TEST(t_double_and_byte) {
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x67, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F, /* NaN */
                                  0x17, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                  0x13, 0xFF,                               /* byte */
                                  0x69, 0x27, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                  0x00));
    pqf_footer_free(f);
    /* the double's 8 bytes are not varint-decoded: 0x80 bytes are fine */
    f = EXPECT_OK(HEX(PRE, 0x67, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
    pqf_footer_free(f);
}
END_TEST

START_TEST(t_nested_structs) {
    fb w;
    fb_init(&w);
    fb_begin(&w);
    fb_i32f(&w, 1, 12);
    fb_structf(&w, 20);               /* struct */
    fb_structf(&w, 1);                /*   struct */
    fb_listf(&w, 1, FB_STRUCT, 2);    /*     list<struct> */
    for (int i = 0; i < 2; i++) {
        fb_begin(&w);
        fb_field(&w, FB_MAP, 3);      /*       map<binary, list<struct>> */
        fb_map(&w, FB_BINARY, FB_LIST, 1);
        fb_str(&w, "k");
        fb_list(&w, FB_STRUCT, 1);
        fb_begin(&w);
        fb_doublef(&w, 2, 1.5);
        fb_boolf(&w, 3, 1);
        fb_structf(&w, 4);
        fb_end(&w);
        fb_end(&w);
        fb_end(&w);
    }
    fb_end(&w);
    fb_listf(&w, 2, FB_LIST, 2);      /*   list<list<set<i32>>> */
    for (int i = 0; i < 2; i++) {
        fb_list(&w, FB_SET, 1);
        fb_list(&w, FB_I32, 2);
        fb_i32(&w, -5);
        fb_i32(&w, 5);
    }
    fb_end(&w);
    mini_rest(&w);
    fb_end(&w);
    pqf_footer *f = DECODE_FB(&w);
    ck_assert_int_eq(pqf_footer_version(f), 12);
    pqf_footer_free(f);

    /* nesting up to the depth limit is fine, one more is PQF_ERR_DEPTH */
    for (int extra = 0; extra < 2; extra++) {
        fb_init(&w);
        fb_begin(&w); /* FileMetaData: depth 1 */
        fb_i32f(&w, 1, 1);
        size_t inner = 0;
        for (int d = 1; d < PQF_DEFAULT_MAX_DEPTH + extra; d++) {
            fb_structf(&w, 20);
            inner = w.len;
        }
        for (int d = 1; d < PQF_DEFAULT_MAX_DEPTH + extra; d++) fb_end(&w);
        mini_rest(&w);
        fb_end(&w);
        if (!extra) {
            f = DECODE_FB(&w);
            pqf_footer_free(f);
        } else {
            EXPECT_ERR_FB(&w, PQF_ERR_DEPTH, inner); /* the innermost struct's body */
        }
    }
}
END_TEST

/* ----------------------------------------------- unknown fields everywhere --- */

/* Writes one unknown field of every compact type with ids base..base+11. */
static void all_types(fb *w, int16_t base) {
    fb_boolf(w, base, 1);
    fb_boolf(w, (int16_t)(base + 1), 0);
    fb_bytef(w, (int16_t)(base + 2), 0x80);
    fb_i16f(w, (int16_t)(base + 3), INT16_MIN);
    fb_i32f(w, (int16_t)(base + 4), INT32_MIN);
    fb_i64f(w, (int16_t)(base + 5), INT64_MIN);
    fb_doublef(w, (int16_t)(base + 6), -0.0);
    fb_strf(w, (int16_t)(base + 7), "unknown");
    fb_listf(w, (int16_t)(base + 8), FB_TRUE, 2);
    fb_u8(w, 1);
    fb_u8(w, 2);
    fb_field(w, FB_SET, (int16_t)(base + 9));
    fb_list(w, FB_BINARY, 1);
    fb_str(w, "s");
    fb_field(w, FB_MAP, (int16_t)(base + 10));
    fb_map(w, FB_I32, FB_I64, 1);
    fb_i32(w, 1);
    fb_i64(w, 2);
    fb_structf(w, (int16_t)(base + 11));
    fb_i32f(w, 1, 5);
    fb_end(w);
}

static int extras_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    (void)ctx, (void)level, (void)i, (void)j;
    if (fid == FB_AT_BEGIN) all_types(w, 100);
    else if (fid == FB_AT_END) all_types(w, 200);
    return 1;
}

/* LogicalType bodies, optionally with unknown fields at every level. */
static void lt_decimal(fb *w, int extras) {
    fb_begin(w);
    if (extras) all_types(w, 100);
    fb_structf(w, 5);
    if (extras) all_types(w, 100);
    fb_i32f(w, 1, 2);
    fb_i32f(w, 2, 10);
    if (extras) all_types(w, 200);
    fb_end(w);
    if (extras) all_types(w, 200);
    fb_end(w);
}
static void lt_timestamp(fb *w, int extras) {
    fb_begin(w);
    if (extras) all_types(w, 100);
    fb_structf(w, 8);
    if (extras) all_types(w, 100);
    fb_boolf(w, 1, 1);
    fb_structf(w, 2);
    if (extras) all_types(w, 100);
    fb_structf(w, 2); /* MICROS */
    if (extras) all_types(w, 100);
    fb_end(w);
    if (extras) all_types(w, 200);
    fb_end(w);
    if (extras) all_types(w, 200);
    fb_end(w);
    if (extras) all_types(w, 200);
    fb_end(w);
}
static void lt_integer(fb *w, int extras) {
    fb_begin(w);
    fb_structf(w, 10);
    if (extras) all_types(w, 100);
    fb_bytef(w, 1, 8);
    fb_boolf(w, 2, 1);
    if (extras) all_types(w, 200);
    fb_end(w);
    if (extras) all_types(w, 200);
    fb_end(w);
}

/* A footer using every kept struct: nested schema with logical types, three
 * row groups, chunks with dictionary, file path, crypto, page index, bloom. */
static uint8_t *rich_footer(int extras, int rg_first, size_t *len) {
    fb lt[3];
    for (int k = 0; k < 3; k++) fb_init(&lt[k]);
    lt_decimal(&lt[0], extras);
    lt_timestamp(&lt[1], extras);
    lt_integer(&lt[2], extras);
    fb_se s[5];
    memset(s, 0, sizeof s);
    s[0] = (fb_se){.name = "root", .has = PQF_SE_NUM_CHILDREN, .num_children = 3};
    s[1] = (fb_se){.name = "d", .has = PQF_SE_TYPE | PQF_SE_REPETITION | PQF_SE_LOGICAL_TYPE | PQF_SE_CONVERTED_TYPE |
                                       PQF_SE_SCALE | PQF_SE_PRECISION,
                   .type = PQF_TYPE_INT32, .repetition = PQF_REP_OPTIONAL, .converted_type = 5, .scale = 2, .precision = 10,
                   .logical = lt[0].buf, .logical_len = lt[0].len};
    s[2] = (fb_se){.name = "g", .has = PQF_SE_NUM_CHILDREN | PQF_SE_REPETITION | PQF_SE_FIELD_ID,
                   .num_children = 1, .repetition = PQF_REP_REPEATED, .field_id = 42};
    s[3] = (fb_se){.name = "t", .has = PQF_SE_TYPE | PQF_SE_LOGICAL_TYPE, .type = PQF_TYPE_INT64,
                   .logical = lt[1].buf, .logical_len = lt[1].len};
    s[4] = (fb_se){.name = "i", .has = PQF_SE_TYPE | PQF_SE_LOGICAL_TYPE | PQF_SE_TYPE_LENGTH, .type = PQF_TYPE_INT32,
                   .type_length = 4, .logical = lt[2].buf, .logical_len = lt[2].len};
    fb_rg rgs[3];
    fb_chunk ch[9];
    for (int r = 0; r < 3; r++) {
        rgs[r] = (fb_rg){.has = PQF_RG_FILE_OFFSET | PQF_RG_TOTAL_COMPRESSED_SIZE | PQF_RG_ORDINAL,
                         .num_rows = 100 + r, .total_byte_size = 5000 + r, .file_offset = 4 + 1000 * r,
                         .total_compressed_size = 900, .ordinal = (int16_t)r};
    }
    static const int32_t types[3] = {PQF_TYPE_INT32, PQF_TYPE_INT64, PQF_TYPE_INT32};
    fb_chunks_contiguous(ch, 3, 3, types, rgs);
    for (int k = 0; k < 9; k++) {
        ch[k].has |= PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH | PQF_CH_CI_OFFSET | PQF_CH_CI_LENGTH |
                     PQF_CH_BLOOM_OFFSET | PQF_CH_BLOOM_LENGTH;
        ch[k].oi_off = 100000 + k, ch[k].oi_len = 20 + k;
        ch[k].ci_off = 200000 + k, ch[k].ci_len = 30 + k;
        ch[k].bloom_off = 300000 + k, ch[k].bloom_len = 40 + k;
        if (k % 2) {
            ch[k].has |= PQF_CH_DICT;
            ch[k].dict = ch[k].dpo;
            ch[k].dpo += 10;
        }
        if (k == 4) ch[k].has |= PQF_CH_FILE_PATH, ch[k].file_path = "other.parquet";
        if (k == 5) ch[k].has |= PQF_CH_CRYPTO;
    }
    static const char *const kv[] = {"k1", "v1", "k2", NULL};
    fb_footer F = {.version = 2, .num_rows = 303, .created_by = "builder", .schema = s, .nschema = 5,
                   .rgs = rgs, .nrg = 3, .chunks = ch, .kv = kv, .nkv = 2, .rg_first = rg_first, .stats = 1,
                   .column_orders = 1, .encryption_fields = 1, .extension = 1,
                   .hook = extras ? extras_hook : NULL};
    uint8_t *b = fb_footer_encode(&F, len);
    for (int k = 0; k < 3; k++) fb_free(&lt[k]);
    return b;
}

START_TEST(t_unknown_fields_everywhere) {
    pqf_options o;
    memset(&o, 0, sizeof o);
    o.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | PQF_KEEP_KV;
    size_t n0, n1;
    uint8_t *b0 = rich_footer(0, 0, &n0), *b1 = rich_footer(1, 0, &n1);
    ck_assert_uint_gt(n1, n0 + 1000);
    for (int withopt = 0; withopt < 2; withopt++) {
        pqf_footer *f0 = EXPECT_OK_OPT(withopt ? &o : NULL, b0, n0);
        pqf_footer *f1 = EXPECT_OK_OPT(withopt ? &o : NULL, b1, n1);
        ASSERT_SAME_FOOTER(f0, f1);
        /* the baseline itself holds what was written */
        ck_assert_uint_eq(pqf_column_count(f0), 3);
        ck_assert_uint_eq(pqf_row_group_count(f0), 3);
        ck_assert_int_eq(pqf_test_se(f0, 1).logical.kind, PQF_LT_DECIMAL);
        ck_assert_int_eq(pqf_test_se(f0, 1).logical.precision, 10);
        ck_assert_int_eq(pqf_test_se(f0, 3).logical.unit, PQF_UNIT_MICROS);
        ck_assert_int_eq(pqf_test_se(f0, 4).logical.bit_width, 8);
        ck_assert_uint_eq(pqf_kv_count(f0), withopt ? 2 : 0);
        pqf_chunk c;
        ck_assert_int_eq(pqf_chunk_get(f0, 1, 1, &c), PQF_OK);
        ck_assert_str_eq(c.file_path.ptr, "other.parquet");
        ck_assert_uint_eq(c.has & PQF_CH_OI_OFFSET, withopt ? PQF_CH_OI_OFFSET : 0);
        ck_assert_uint_eq(c.has & PQF_CH_BLOOM_LENGTH, withopt ? PQF_CH_BLOOM_LENGTH : 0);
        pqf_footer_free(f0);
        pqf_footer_free(f1);
    }
    free(b0);
    free(b1);
}
END_TEST

/* Fields in any order: row_groups before schema decodes the same. */
START_TEST(t_field_order) {
    pqf_options o;
    memset(&o, 0, sizeof o);
    o.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | PQF_KEEP_KV;
    for (int extras = 0; extras < 2; extras++) {
        size_t n0, n1;
        uint8_t *b0 = rich_footer(extras, 0, &n0), *b1 = rich_footer(extras, 1, &n1);
        pqf_footer *f0 = EXPECT_OK_OPT(&o, b0, n0);
        pqf_footer *f1 = EXPECT_OK_OPT(&o, b1, n1);
        ASSERT_SAME_FOOTER(f0, f1);
        pqf_footer_free(f0);
        pqf_footer_free(f1);
        free(b0);
        free(b1);
    }

    /* every struct's fields in reverse id order (long headers going down) */
    fb w;
    fb_init(&w);
    fb_begin(&w);
    fb_field(&w, FB_I64, 3);
    fb_i64(&w, 5);
    fb_listf(&w, 4, FB_STRUCT, 1);
    fb_begin(&w);               /* RowGroup, reversed */
    fb_i16f(&w, 7, 3);
    fb_i64f(&w, 6, 10);
    fb_i64f(&w, 5, 4);
    fb_i64f(&w, 3, 5);
    fb_i64f(&w, 2, 20);
    fb_listf(&w, 1, FB_STRUCT, 1);
    fb_begin(&w);               /* ColumnChunk, reversed */
    fb_structf(&w, 3);          /* ColumnMetaData, reversed */
    fb_i64f(&w, 11, 4);
    fb_i64f(&w, 9, 7);
    fb_i64f(&w, 7, 10);
    fb_i64f(&w, 6, 20);
    fb_i64f(&w, 5, 5);
    fb_i32f(&w, 4, 1);
    fb_listf(&w, 3, FB_BINARY, 1);
    fb_str(&w, "a");
    fb_listf(&w, 2, FB_I32, 0);
    fb_i32f(&w, 1, PQF_TYPE_INT32);
    fb_end(&w);
    fb_i64f(&w, 2, 4);
    fb_strf(&w, 1, "f.parquet");
    fb_end(&w);
    fb_end(&w);
    fb_listf(&w, 2, FB_STRUCT, 2);
    fb_begin(&w);               /* root, reversed */
    fb_i32f(&w, 5, 1);
    fb_strf(&w, 4, "r");
    fb_end(&w);
    fb_begin(&w);
    fb_strf(&w, 4, "a");
    fb_i32f(&w, 3, PQF_REP_REQUIRED);
    fb_i32f(&w, 1, PQF_TYPE_INT32);
    fb_end(&w);
    fb_i32f(&w, 1, 1);
    fb_end(&w);
    pqf_footer *f = DECODE_FB(&w);
    ck_assert_uint_eq(pqf_column_count(f), 1);
    pqf_row_group g;
    ck_assert_int_eq(pqf_row_group_get(f, 0, &g), PQF_OK);
    ck_assert_int_eq(g.num_rows, 5);
    ck_assert_int_eq(g.total_byte_size, 20);
    ck_assert_int_eq(g.file_offset, 4);
    ck_assert_int_eq(g.total_compressed_size, 10);
    ck_assert_int_eq(g.ordinal, 3);
    pqf_chunk c;
    ck_assert_int_eq(pqf_chunk_get(f, 0, 0, &c), PQF_OK);
    ck_assert_int_eq(c.start, 4);
    ck_assert_int_eq(c.length, 10);
    ck_assert_int_eq(c.data_page_offset, 7);
    ck_assert_int_eq(c.dictionary_page_offset, 4);
    ck_assert_int_eq(c.num_values, 5);
    ck_assert_int_eq(c.total_uncompressed_size, 20);
    ck_assert_int_eq(c.codec, 1);
    ck_assert_int_eq(c.type, PQF_TYPE_INT32);
    ck_assert_str_eq(c.file_path.ptr, "f.parquet");
    pqf_footer_free(f);
}
END_TEST

/* schema and row_groups may appear once; a second one is MALFORMED at its header. */
START_TEST(t_duplicates) {
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 8, "schema",
                    HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x09, 0x04, 0x1C, 0x48, 0x01, 0x72, 0x00,
    /*                                                          ^ 8: second schema */
                        0x16, 0x00, 0x19, 0x0C, 0x00));
    EXPECT_ERR_PATH(PQF_ERR_MALFORMED, 12, "row_groups", HEX(PRE, 0x09, 0x08, 0x0C, 0x00));
    /*                                                             ^ 12 */
    /* both before the schema */
    EXPECT_ERR(PQF_ERR_MALFORMED, 4,
               HEX(0x15, 0x02, 0x39, 0x0C, 0x09, 0x08, 0x0C, 0x09, 0x04, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00,
    /*                                 ^ 4 */
                   0x00));
    /* other fields: the last one wins */
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x28, 0x01, 'a', 0x08, 0x0C, 0x01, 'b', 0x05, 0x02, 0x08, 0x00));
    ck_assert_str_eq(pqf_footer_created_by(f).ptr, "b");
    ck_assert_int_eq(pqf_footer_version(f), 4);
    pqf_footer_free(f);
}
END_TEST

/* A known field with an unexpected wire type is skipped like an unknown one;
 * a required one is then missing. */
START_TEST(t_known_field_wrong_type) {
    /* version as i64 */
    EXPECT_ERR_PATH(PQF_ERR_MISSING_REQUIRED, 12, "version",
                    HEX(0x16, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x00));
    /*                                                                                    ^ 12: the stop */
    /* schema as a set */
    EXPECT_ERR_PATH(PQF_ERR_MISSING_REQUIRED, 12, "schema",
                    HEX(0x15, 0x02, 0x1A, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x00));
    /*                                                                                    ^ 12 */
    /* num_rows as i32 */
    EXPECT_ERR_PATH(PQF_ERR_MISSING_REQUIRED, 12, "num_rows",
                    HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x15, 0x00, 0x19, 0x0C, 0x00));
    /*                                                                                    ^ 12 */
    /* row_groups as a map */
    EXPECT_ERR_PATH(PQF_ERR_MISSING_REQUIRED, 12, "row_groups",
                    HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x1B, 0x00, 0x00));
    /*                                                                                    ^ 12 */
    /* optional fields of the wrong type are just absent */
    pqf_footer *f = EXPECT_OK(HEX(PRE, 0x25, 0x02,   /* created_by as i32 */
                                  0x1A, 0x00,        /* id 7 column_orders as a set */
                                  0x1B, 0x00,        /* id 8 encryption_algorithm as map */
                                  0x15, 0x02,        /* id 9 footer_signing_key_metadata as i32 */
                                  0x00));
    ck_assert_ptr_null(pqf_footer_created_by(f).ptr);
    ck_assert_uint_eq(pqf_footer_flags(f), 0);
    pqf_footer_free(f);
    f = EXPECT_OK(HEX(PRE, 0x1A, 0x00, 0x00)); /* key_value_metadata as a set */
    ck_assert_uint_eq(pqf_footer_flags(f) & PQF_FOOTER_HAS_KV, 0);
    pqf_footer_free(f);
}
END_TEST

/* Hook that rewrites chosen fields with another wire type. */
static int wrong_type_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    (void)ctx, (void)i, (void)j;
    if (level == FB_L_CMD && fid == 11) return fb_i32f(w, 11, 5), 0;      /* dictionary_page_offset as i32 */
    if (level == FB_L_CMD && fid == 15) return fb_i64f(w, 15, 5), 0;      /* bloom_filter_length as i64 */
    if (level == FB_L_CMD && fid == 14) return fb_i32f(w, 14, 5), 0;      /* bloom_filter_offset as i32 */
    if (level == FB_L_CC && fid == 4) return fb_i32f(w, 4, 5), 0;         /* offset_index_offset as i32 */
    if (level == FB_L_CC && fid == 7) return fb_i64f(w, 7, 5), 0;         /* column_index_length as i64 */
    if (level == FB_L_CC && fid == 1) return fb_i32f(w, 1, 5), 0;         /* file_path as i32 */
    if (level == FB_L_CC && fid == 8) return fb_strf(w, 8, "x"), 0;       /* crypto_metadata as binary */
    if (level == FB_L_RG && fid == 7) return fb_i32f(w, 7, 5), 0;         /* ordinal as i32 */
    if (level == FB_L_RG && fid == 5) return fb_i32f(w, 5, 5), 0;         /* file_offset as i32 */
    if (level == FB_L_SE && i == 1 && fid == 1) return fb_i64f(w, 1, 1), 0; /* type as i64 */
    if (level == FB_L_SE && i == 1 && fid == 10) return fb_strf(w, 10, "x"), 0; /* logicalType as binary */
    if (level == FB_L_SE && i == 1 && fid == 3) return fb_boolf(w, 3, 1), 0; /* repetition as bool */
    return 1;
}

START_TEST(t_known_optional_wrong_type) {
    fb lt;
    fb_init(&lt);
    lt_integer(&lt, 0);
    fb_se s[2] = {{.name = "r", .has = PQF_SE_NUM_CHILDREN, .num_children = 1},
                  {.name = "a", .has = PQF_SE_TYPE | PQF_SE_REPETITION | PQF_SE_LOGICAL_TYPE, .type = PQF_TYPE_INT32,
                   .repetition = PQF_REP_OPTIONAL, .logical = lt.buf, .logical_len = lt.len}};
    fb_rg rg = {.has = PQF_RG_FILE_OFFSET | PQF_RG_ORDINAL, .num_rows = 3, .total_byte_size = 9, .file_offset = 4,
                .ordinal = 1};
    fb_chunk ch;
    fb_chunks_contiguous(&ch, 1, 1, NULL, &rg);
    ch.has |= PQF_CH_DICT | PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH | PQF_CH_CI_OFFSET | PQF_CH_CI_LENGTH |
              PQF_CH_BLOOM_OFFSET | PQF_CH_BLOOM_LENGTH | PQF_CH_FILE_PATH | PQF_CH_CRYPTO;
    ch.file_path = "p";
    ch.dict = 4;
    ch.dpo = 8;
    fb_footer F = {.version = 1, .num_rows = 3, .schema = s, .nschema = 2, .rgs = &rg, .nrg = 1, .chunks = &ch,
                   .hook = wrong_type_hook};
    size_t n;
    uint8_t *b = fb_footer_encode(&F, &n);
    pqf_options o;
    memset(&o, 0, sizeof o);
    o.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM;
    pqf_footer *f = EXPECT_OK_OPT(&o, b, n);
    const pqf_schema_element e_v = pqf_test_se(f, 1), *e = &e_v;
    ck_assert_uint_eq(e->has, 0);
    ck_assert_int_eq(e->logical.kind, PQF_LT_NONE);
    ck_assert_int_eq(pqf_test_col(f, 0).type, -1);
    pqf_row_group g;
    ck_assert_int_eq(pqf_row_group_get(f, 0, &g), PQF_OK);
    ck_assert_uint_eq(g.has, 0);
    pqf_chunk c;
    ck_assert_int_eq(pqf_chunk_get(f, 0, 0, &c), PQF_OK);
    ck_assert_uint_eq(c.has, PQF_CH_META | PQF_CH_OI_LENGTH | PQF_CH_CI_OFFSET);
    ck_assert_int_eq(c.start, 8); /* no dictionary page */
    ck_assert_ptr_null(c.file_path.ptr);
    ck_assert_uint_eq(pqf_footer_flags(f) & PQF_FOOTER_HAS_COLUMN_CRYPTO, 0);
    pqf_footer_free(f);
    free(b);
    fb_free(&lt);
}
END_TEST

/* RowGroup.ordinal is the one kept i16: overlong or out-of-range varints are
 * MALFORMED at the varint, path row_groups[0].ordinal. */
typedef struct ordinal_ctx {
    const uint8_t *raw;
    size_t n;
    int64_t at;
} ordinal_ctx;

static int ordinal_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    ordinal_ctx *o = ctx;
    (void)i, (void)j;
    if (level != FB_L_RG || fid != FB_AT_END) return 1;
    fb_field(w, FB_I16, 7);
    o->at = (int64_t)w->len;
    fb_raw(w, o->raw, o->n);
    return 1;
}

START_TEST(t_ordinal_i16) {
    static const struct { uint8_t b[4]; size_t n; int ok; int32_t v; } cases[] = {
        {{0xFE, 0xFF, 0x03}, 3, 1, 32767},
        {{0xFF, 0xFF, 0x03}, 3, 1, -32768},
        {{0x80, 0x80, 0x00}, 3, 1, 0},
        {{0x01}, 1, 1, -1},
        {{0x80, 0x80, 0x04}, 3, 0, 0},        /* 0x10000: above i16 */
        {{0xFF, 0xFF, 0x7F}, 3, 0, 0},
        {{0x80, 0x80, 0x80, 0x00}, 4, 0, 0},  /* 4 bytes */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        ordinal_ctx oc = {cases[k].b, cases[k].n, -1};
        fb_rg rg = {.num_rows = 1, .total_byte_size = 1};
        fb_footer F = {.version = 1, .num_rows = 1, .ncols = 2, .rgs = &rg, .nrg = 1, .hook = ordinal_hook,
                       .hook_ctx = &oc};
        size_t n;
        uint8_t *b = fb_footer_encode(&F, &n);
        if (cases[k].ok) {
            pqf_footer *f = EXPECT_OK(b, n);
            pqf_row_group g;
            ck_assert_int_eq(pqf_row_group_get(f, 0, &g), PQF_OK);
            ck_assert_uint_eq(g.has, PQF_RG_ORDINAL);
            ck_assert_int_eq(g.ordinal, cases[k].v);
            pqf_footer_free(f);
        } else {
            fb_expect_err_opt(__LINE__, NULL, PQF_ERR_MALFORMED, (uint64_t)oc.at, "row_groups[0].ordinal", b, n);
        }
        free(b);
    }
}
END_TEST

/* ------------------------------------------------------------ truncation --- */

START_TEST(t_truncated_each_kind) {
    /* nothing at all: the struct's first field header */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 0, (const uint8_t *)"", 0);
    /* before FileMetaData's stop */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 12, HEX(PRE));
    /*                                       ^ 12 (the end) */
    /* long-form field id */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x05));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x05, 0x80));
    /*                                         ^ 13 */
    /* i16, i32, i64 varints */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x64));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x64, 0x80));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x65, 0x80, 0x80, 0x80));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x66, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
    /*                                         ^ 13 */
    EXPECT_ERR_PATH(PQF_ERR_TRUNCATED, 1, "version", HEX(0x15, 0x80));
    /*                                                     ^ 1 */
    /* byte and double */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x63));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x67, 1, 2, 3, 4, 5, 6, 7));
    /*                                         ^ 13 */
    /* binary: length, then bytes */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x68));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x68, 0x03, 'a'));
    /*                                         ^ 13 */
    EXPECT_ERR_PATH(PQF_ERR_TRUNCATED, 5, "schema[0].name", HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x05, 0x72, 0x00, 0x16));
    /*                                                                                    ^ 5: 5 bytes, 3 left */
    /* list header, long size, elements */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x69));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 14, HEX(PRE, 0x69, 0xF5));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 14, HEX(PRE, 0x69, 0xF5, 0x81));
    /*                                               ^ 14 */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 14, HEX(PRE, 0x69, 0x27, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    /*                                               ^ 14: two doubles, 9 bytes */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 16, HEX(PRE, 0x69, 0x28, 0x01, 'a', 0x05, 'b'));
    /*                                                           ^ 16 */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 16, HEX(PRE, 0x69, 0x1C, 0x15, 0x02));
    /*                                                           ^ 16: struct without stop */
    /* map: size, types, entries */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x6B));
    EXPECT_ERR(PQF_ERR_TRUNCATED, 14, HEX(PRE, 0x6B, 0x01));
    /*                                               ^ 14: the type byte */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 13, HEX(PRE, 0x6B, 0x01, 0x55, 0x02));
    /*                                         ^ 13: 1 entry needs 2 bytes */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 16, HEX(PRE, 0x6B, 0x01, 0x58, 0x02, 0x05, 'a'));
    /*                                                           ^ 16 */
    /* nested struct in a skipped field */
    EXPECT_ERR(PQF_ERR_TRUNCATED, 15, HEX(PRE, 0x6C, 0x15, 0x02));
    /*                                                     ^ 15 */
    /* kept lists longer than the bytes could hold */
    EXPECT_ERR_PATH(PQF_ERR_TRUNCATED, 3, "schema", HEX(0x15, 0x02, 0x19, 0x3C, 0x48, 0x01, 0x72, 0x00));
    /*                                                                    ^ 3: 3 elements of >= 3 bytes */
    /* two row groups in 8 bytes: a RowGroup takes at least 6 */
    EXPECT_ERR_PATH(PQF_ERR_TRUNCATED, 11, "row_groups",
                    HEX(0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x2C, 0, 0, 0, 0, 0, 0, 0,
    /*                                                                             ^ 11 */
                        0));
}
END_TEST

/* ------------------------------------------------------------------ suite --- */

static Suite *make_suite(void) {
    Suite *s = suite_create("wire");
    TCase *tc = tcase_create("wire");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, t_minimal_footer);
    tcase_add_test(tc, t_varint_i32_widths);
    tcase_add_test(tc, t_varint_i64_widths);
    tcase_add_test(tc, t_version_extremes);
    tcase_add_test(tc, t_num_rows_extremes);
    tcase_add_test(tc, t_varint_overlong);
    tcase_add_test(tc, t_zigzag_skipped);
    tcase_add_test(tc, t_field_headers);
    tcase_add_test(tc, t_field_32767);
    tcase_add_test(tc, t_field_type_unknown);
    tcase_add_test(tc, t_stop_with_delta);
    tcase_add_test(tc, t_booleans);
    tcase_add_test(tc, t_list_sizes);
    tcase_add_test(tc, t_list_element_types);
    tcase_add_test(tc, t_maps);
    tcase_add_test(tc, t_binary);
    tcase_add_test(tc, t_double_and_byte);
    tcase_add_test(tc, t_nested_structs);
    tcase_add_test(tc, t_unknown_fields_everywhere);
    tcase_add_test(tc, t_field_order);
    tcase_add_test(tc, t_duplicates);
    tcase_add_test(tc, t_known_field_wrong_type);
    tcase_add_test(tc, t_known_optional_wrong_type);
    tcase_add_test(tc, t_ordinal_i16);
    tcase_add_test(tc, t_truncated_each_kind);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
