/*
 * compact_writer.h -- the Thrift compact-protocol byte writer behind every hand-built
 * footer of the tests (tests/support/footer_builder.h, tests/support/seed_shapes.h,
 * the Check suites) and of the fuzz seeds (fuzz/make_seeds.c). Not part of libpqfoot.
 *
 * Header-only, C11, libc only, no global state. It writes exactly the bytes it is
 * told to -- including deliberately bad ones (fb_raw, fb_u8, fb_uvarint_n,
 * fb_field_delta, fb_list_long) -- so a test can place a malformed value at a known
 * offset. The pieces: raw bytes, varints (minimal or padded to n bytes), zigzag
 * i16/i32/i64, field headers (short delta form or long zigzag-id form, chosen
 * automatically or forced), bool fields in the type nibble, binary, double (little
 * endian on every host), list/set headers (short and long sizes), map headers,
 * nested structs, the Parquet trailer.
 *
 *     fb w; fb_init(&w);
 *     fb_i32f(&w, 1, 2);                 // FileMetaData.version = 2
 *     fb_listf(&w, 2, FB_STRUCT, 1);     // schema: 1 element
 *     fb_begin(&w);
 *     fb_strf(&w, 4, "root");
 *     fb_end(&w);
 *     ...
 *     fb_end(&w);                        // stop byte of FileMetaData
 *     // w.buf / w.len hold the bytes; fb_free(&w) or fb_take(&w, &len).
 *
 * Names: fb_x writes a bare value, fb_xf a field header and then the value.
 * Memory: buffers are malloc'd; allocation failure aborts (this is test code).
 */
#ifndef PQF_COMPACT_WRITER_H
#define PQF_COMPACT_WRITER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Compact protocol type codes. */
enum {
    FB_STOP = 0, FB_TRUE = 1, FB_FALSE = 2, FB_BYTE = 3, FB_I16 = 4, FB_I32 = 5, FB_I64 = 6,
    FB_DOUBLE = 7, FB_BINARY = 8, FB_LIST = 9, FB_SET = 10, FB_MAP = 11, FB_STRUCT = 12
};

#define FB_MAX_NEST 2048

typedef struct fb {
    uint8_t *buf;
    size_t len, cap;
    unsigned sp;                 /* struct nesting; last[sp] is the current struct's last id */
    int16_t last[FB_MAX_NEST + 1];
} fb;

static inline void fb_init(fb *w) { memset(w, 0, sizeof *w); }
static inline void fb_free(fb *w) {
    free(w->buf);
    fb_init(w);
}
/* Hand the bytes to the caller (free() them); the writer is reset. */
static inline uint8_t *fb_take(fb *w, size_t *len) {
    uint8_t *b = w->buf;
    *len = w->len;
    if (!b) b = calloc(1, 1);
    if (!b) abort();
    fb_init(w);
    return b;
}

/* Forget the bytes written so far but keep the buffer. */
static inline void fb_reset(fb *w) {
    w->len = 0;
    w->sp = 0;
    w->last[0] = 0;
}

static inline void fb_reserve(fb *w, size_t n) {
    if (w->cap - w->len >= n) return;
    size_t cap = w->cap ? w->cap : 256;
    while (cap - w->len < n) cap *= 2;
    uint8_t *b = realloc(w->buf, cap);
    if (!b) abort();
    w->buf = b;
    w->cap = cap;
}
static inline void fb_u8(fb *w, unsigned b) {
    fb_reserve(w, 1);
    w->buf[w->len++] = (uint8_t)b;
}
static inline void fb_raw(fb *w, const void *p, size_t n) {
    if (!n) return;
    fb_reserve(w, n);
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

/* ---------------------------------------------------------------- varints --- */

static inline void fb_uvarint(fb *w, uint64_t u) {
    while (u >= 0x80) {
        fb_u8(w, (unsigned)(u & 0x7f) | 0x80);
        u >>= 7;
    }
    fb_u8(w, (unsigned)u);
}
/* u padded to exactly n bytes (continuation bits on all but the last); n must
 * be large enough to hold u. Non-minimal encodings, as some writers emit. */
static inline void fb_uvarint_n(fb *w, uint64_t u, unsigned n) {
    for (unsigned i = 0; i + 1 < n; i++) {
        fb_u8(w, (unsigned)(u & 0x7f) | 0x80);
        u >>= 7;
    }
    fb_u8(w, (unsigned)(u & 0x7f));
}
static inline uint64_t fb_zz64(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static inline uint64_t fb_zz32(int32_t v) { return (uint32_t)(((uint32_t)v << 1) ^ (uint32_t)(v >> 31)); }

static inline void fb_i16(fb *w, int16_t v) { fb_uvarint(w, fb_zz32(v)); }
static inline void fb_i32(fb *w, int32_t v) { fb_uvarint(w, fb_zz32(v)); }
static inline void fb_i64(fb *w, int64_t v) { fb_uvarint(w, fb_zz64(v)); }
static inline void fb_bin(fb *w, const void *p, size_t n) {
    fb_uvarint(w, n);
    fb_raw(w, p, n);
}
static inline void fb_str(fb *w, const char *s) { fb_bin(w, s, strlen(s)); }
static inline void fb_double(fb *w, double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    for (int i = 0; i < 8; i++) fb_u8(w, (unsigned)(u >> (8 * i)) & 0xff);
}

/* ---------------------------------------------------------- field headers --- */

/* Field header: the short delta form when the id is 1..15 above the previous
 * one in this struct, else the long form (type byte + zigzag i16 id). */
static inline void fb_field(fb *w, unsigned type, int16_t id) {
    int32_t delta = (int32_t)id - (int32_t)w->last[w->sp];
    if (delta > 0 && delta <= 15) {
        fb_u8(w, ((unsigned)delta << 4) | type);
    } else {
        fb_u8(w, type);
        fb_i16(w, id);
    }
    w->last[w->sp] = id;
}
/* Long form even when a delta would do. */
static inline void fb_field_long(fb *w, unsigned type, int16_t id) {
    fb_u8(w, type);
    fb_i16(w, id);
    w->last[w->sp] = id;
}
/* Raw short header with the given delta (1..15); the id wraps like Thrift's. */
static inline void fb_field_delta(fb *w, unsigned type, unsigned delta) {
    fb_u8(w, (delta << 4) | type);
    w->last[w->sp] = (int16_t)(uint16_t)((uint16_t)w->last[w->sp] + delta);
}

static inline void fb_i16f(fb *w, int16_t id, int16_t v) { fb_field(w, FB_I16, id); fb_i16(w, v); }
static inline void fb_i32f(fb *w, int16_t id, int32_t v) { fb_field(w, FB_I32, id); fb_i32(w, v); }
static inline void fb_i64f(fb *w, int16_t id, int64_t v) { fb_field(w, FB_I64, id); fb_i64(w, v); }
static inline void fb_bytef(fb *w, int16_t id, uint8_t v) { fb_field(w, FB_BYTE, id); fb_u8(w, v); }
static inline void fb_boolf(fb *w, int16_t id, int v) { fb_field(w, v ? FB_TRUE : FB_FALSE, id); }
static inline void fb_doublef(fb *w, int16_t id, double v) { fb_field(w, FB_DOUBLE, id); fb_double(w, v); }
static inline void fb_binf(fb *w, int16_t id, const void *p, size_t n) { fb_field(w, FB_BINARY, id); fb_bin(w, p, n); }
static inline void fb_strf(fb *w, int16_t id, const char *s) { fb_field(w, FB_BINARY, id); fb_str(w, s); }

/* ------------------------------------------------------ structs, containers --- */

/* Start a struct's body (after its field header, or as a list element, or at
 * top level); fb_end() writes the stop byte. The outermost struct needs no
 * fb_begin(): fields written right after fb_init() belong to it, and fb_end()
 * at that level writes its stop byte. */
static inline void fb_begin(fb *w) {
    if (w->sp >= FB_MAX_NEST) abort();
    w->last[++w->sp] = 0;
}
static inline void fb_end(fb *w) {
    fb_u8(w, FB_STOP);
    if (w->sp > 0) w->sp--;
}
/* Field header of type struct plus fb_begin(). */
static inline void fb_structf(fb *w, int16_t id) {
    fb_field(w, FB_STRUCT, id);
    fb_begin(w);
}

/* List/set header: short size (0..14) in the high nibble, else 0xF and a varint. */
static inline void fb_list(fb *w, unsigned etype, uint32_t n) {
    if (n < 15) {
        fb_u8(w, (n << 4) | etype);
    } else {
        fb_u8(w, 0xF0u | etype);
        fb_uvarint(w, n);
    }
}
/* Long size form even for n < 15. */
static inline void fb_list_long(fb *w, unsigned etype, uint32_t n) {
    fb_u8(w, 0xF0u | etype);
    fb_uvarint(w, n);
}
static inline void fb_listf(fb *w, int16_t id, unsigned etype, uint32_t n) {
    fb_field(w, FB_LIST, id);
    fb_list(w, etype, n);
}
/* Map header: varint size, then (if non-empty) key and value types in one byte. */
static inline void fb_map(fb *w, unsigned ktype, unsigned vtype, uint32_t n) {
    fb_uvarint(w, n);
    if (n) fb_u8(w, (ktype << 4) | vtype);
}

/* --------------------------------------------------------------- trailer --- */

/* The 8 bytes that end a Parquet file: the footer's length (u32 LE), then the
 * magic ("PAR1", or a wrong one on purpose). */
static inline void fb_trailer(fb *w, uint32_t footer_len, const char magic[4]) {
    uint8_t t[8] = {(uint8_t)footer_len, (uint8_t)(footer_len >> 8), (uint8_t)(footer_len >> 16),
                    (uint8_t)(footer_len >> 24), (uint8_t)magic[0], (uint8_t)magic[1],
                    (uint8_t)magic[2], (uint8_t)magic[3]};
    fb_raw(w, t, 8);
}

#endif /* PQF_COMPACT_WRITER_H */
