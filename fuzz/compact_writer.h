/*
 * compact_writer.h -- a tiny Thrift compact-protocol writer for building test
 * footers by hand: fuzz/make_seeds.c (corpus seeds) and tests/test_hardening.c.
 *
 * Header-only, C11, no dependencies beyond libc. It writes exactly the bytes it
 * is told to -- including deliberately bad ones (cw_raw) -- so tests can place
 * a malformed value at a known offset. Not part of libpqfoot.
 *
 *     cw w; cw_init(&w);
 *     cw_i32(&w, 1, 2);                      // FileMetaData.version = 2
 *     cw_list_begin(&w, 2, CW_STRUCT, 1);    // schema: 1 element
 *     cw_struct_begin(&w);
 *     cw_string(&w, 4, "root");
 *     cw_struct_end(&w);
 *     ...
 *     cw_stop(&w);                           // end of FileMetaData
 *     // w.p / w.n hold the bytes; cw_free(&w) releases them.
 */
#ifndef PQF_COMPACT_WRITER_H
#define PQF_COMPACT_WRITER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Compact type codes. */
enum {
    CW_STOP = 0, CW_TRUE = 1, CW_FALSE = 2, CW_BYTE = 3, CW_I16 = 4, CW_I32 = 5, CW_I64 = 6,
    CW_DOUBLE = 7, CW_BINARY = 8, CW_LIST = 9, CW_SET = 10, CW_MAP = 11, CW_STRUCT = 12
};

#define CW_MAX_NEST 256

typedef struct cw {
    uint8_t *p;
    size_t n, cap;
    int oom;                     /* set when realloc failed; the bytes are then incomplete */
    int16_t last[CW_MAX_NEST];   /* last field id per open struct */
    int sp;                      /* open structs (0 = the outermost, implicit) */
} cw;

static inline void cw_init(cw *w) {
    memset(w, 0, sizeof *w);
}

static inline void cw_free(cw *w) {
    free(w->p);
    memset(w, 0, sizeof *w);
}

/* Forget the bytes written so far but keep the buffer. */
static inline void cw_reset(cw *w) {
    w->n = 0;
    w->sp = 0;
    w->last[0] = 0;
    w->oom = 0;
}

static inline void cw_raw(cw *w, const void *data, size_t len) {
    if (w->oom || len == 0) return;
    if (w->cap - w->n < len) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap - w->n < len) cap *= 2;
        uint8_t *np = (uint8_t *)realloc(w->p, cap);
        if (!np) {
            w->oom = 1;
            return;
        }
        w->p = np;
        w->cap = cap;
    }
    memcpy(w->p + w->n, data, len);
    w->n += len;
}

static inline void cw_byte(cw *w, uint8_t b) { cw_raw(w, &b, 1); }

static inline void cw_uvarint(cw *w, uint64_t v) {
    while (v >= 0x80) {
        cw_byte(w, (uint8_t)(v | 0x80));
        v >>= 7;
    }
    cw_byte(w, (uint8_t)v);
}

static inline uint64_t cw_zigzag(int64_t v) {
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline void cw_svarint(cw *w, int64_t v) { cw_uvarint(w, cw_zigzag(v)); }

/* A field header: short form when the delta from the previous id is 1..15,
 * else the long form (type byte, then the id as a zigzag varint). */
static inline void cw_field(cw *w, int16_t fid, unsigned type) {
    int delta = (int)fid - (int)w->last[w->sp];
    if (delta > 0 && delta <= 15) {
        cw_byte(w, (uint8_t)((delta << 4) | (int)type));
    } else {
        cw_byte(w, (uint8_t)type);
        cw_svarint(w, fid);
    }
    w->last[w->sp] = fid;
}

/* The long form even when a delta would do (tests of long-form ids). */
static inline void cw_field_long(cw *w, int16_t fid, unsigned type) {
    cw_byte(w, (uint8_t)type);
    cw_svarint(w, fid);
    w->last[w->sp] = fid;
}

static inline void cw_stop(cw *w) { cw_byte(w, 0); }

/* Open a struct value (after its field header or as a list element). */
static inline void cw_struct_begin(cw *w) {
    if (w->sp + 1 < CW_MAX_NEST) w->sp++;
    w->last[w->sp] = 0;
}

static inline void cw_struct_end(cw *w) {
    cw_stop(w);
    if (w->sp > 0) w->sp--;
}

static inline void cw_i8(cw *w, int16_t fid, int8_t v) {
    cw_field(w, fid, CW_BYTE);
    cw_byte(w, (uint8_t)v);
}
static inline void cw_i16(cw *w, int16_t fid, int16_t v) {
    cw_field(w, fid, CW_I16);
    cw_svarint(w, v);
}
static inline void cw_i32(cw *w, int16_t fid, int32_t v) {
    cw_field(w, fid, CW_I32);
    cw_svarint(w, v);
}
static inline void cw_i64(cw *w, int16_t fid, int64_t v) {
    cw_field(w, fid, CW_I64);
    cw_svarint(w, v);
}
static inline void cw_bool(cw *w, int16_t fid, int v) { cw_field(w, fid, v ? CW_TRUE : CW_FALSE); }
static inline void cw_double(cw *w, int16_t fid, double v) {
    uint8_t b[8];
    memcpy(b, &v, 8); /* compact doubles are little-endian; so is every target we build on */
    cw_field(w, fid, CW_DOUBLE);
    cw_raw(w, b, 8);
}
static inline void cw_binary(cw *w, int16_t fid, const void *s, size_t n) {
    cw_field(w, fid, CW_BINARY);
    cw_uvarint(w, n);
    cw_raw(w, s, n);
}
static inline void cw_string(cw *w, int16_t fid, const char *s) { cw_binary(w, fid, s, strlen(s)); }

/* A list header alone (list elements, or a list nested in a list). */
static inline void cw_list_header(cw *w, unsigned etype, uint64_t n) {
    if (n < 15) {
        cw_byte(w, (uint8_t)((n << 4) | etype));
    } else {
        cw_byte(w, (uint8_t)(0xF0 | etype));
        cw_uvarint(w, n);
    }
}

static inline void cw_list_begin(cw *w, int16_t fid, unsigned etype, uint64_t n) {
    cw_field(w, fid, CW_LIST);
    cw_list_header(w, etype, n);
}

/* A string element of a list<binary>. */
static inline void cw_elem_string(cw *w, const char *s) {
    size_t n = strlen(s);
    cw_uvarint(w, n);
    cw_raw(w, s, n);
}

/* Map header: count, then (when non-empty) the key/value type byte. */
static inline void cw_map_begin(cw *w, int16_t fid, unsigned ktype, unsigned vtype, uint64_t n) {
    cw_field(w, fid, CW_MAP);
    cw_uvarint(w, n);
    if (n) cw_byte(w, (uint8_t)((ktype << 4) | vtype));
}

/* Field header for a struct-valued field, then open it. */
static inline void cw_struct_field(cw *w, int16_t fid) {
    cw_field(w, fid, CW_STRUCT);
    cw_struct_begin(w);
}

/* An empty struct-valued field (marker structs such as StringType). */
static inline void cw_empty_struct(cw *w, int16_t fid) {
    cw_struct_field(w, fid);
    cw_struct_end(w);
}

/* Append the 8-byte Parquet trailer: footer length (LE u32) and magic. */
static inline void cw_trailer(cw *w, uint32_t footer_len, const char magic[4]) {
    uint8_t t[8] = {(uint8_t)footer_len, (uint8_t)(footer_len >> 8), (uint8_t)(footer_len >> 16),
                    (uint8_t)(footer_len >> 24), (uint8_t)magic[0], (uint8_t)magic[1],
                    (uint8_t)magic[2], (uint8_t)magic[3]};
    cw_raw(w, t, 8);
}

#endif /* PQF_COMPACT_WRITER_H */
