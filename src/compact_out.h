/*
 * A small Thrift compact-protocol writer for the footers pqfoot writes
 * (slices, slimmed footers). Output grows in memory taken from a pqf_mem, so
 * the caller's allocator and a hard size bound apply; nesting is bounded.
 * Errors are sticky: after the first failure every call does nothing and
 * pqf_cw_code() says what went wrong, so callers check once at the end.
 */
#ifndef PQF_COMPACT_OUT_H
#define PQF_COMPACT_OUT_H

#include "internal.h"

#define PQF_CW_MAX_DEPTH 32 /* structs open at once */

typedef struct pqf_cw {
    pqf_mem mem;            /* its cap is the bound on the output (plus slack for growth) */
    uint8_t *buf;
    size_t len, cap, max;   /* max: most bytes the output may hold */
    int16_t last[PQF_CW_MAX_DEPTH + 1]; /* last field id per open struct */
    uint32_t depth;
    int code;               /* first failure (pqf_code), 0 while all is well */
} pqf_cw;

/* Start an empty output of at most max bytes; alc NULL = malloc/free. */
void pqf_cw_init(pqf_cw *w, const pqf_allocator *alc, size_t max);
/* Release the buffer. */
void pqf_cw_free(pqf_cw *w);
static inline int pqf_cw_code(const pqf_cw *w) { return w->code; }

/* Raw bytes and varints (no field header). */
void pqf_cw_raw(pqf_cw *w, const void *p, size_t n);
void pqf_cw_varint(pqf_cw *w, uint64_t v);
static inline uint64_t pqf_zigzag_enc(int64_t v) {
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* A field header for fid of compact type t: the short form when the id
 * grows by 1..15 from the struct's last one, else the long form. */
void pqf_cw_field(pqf_cw *w, int16_t fid, unsigned t);
/* Fields with their values. */
void pqf_cw_bool(pqf_cw *w, int16_t fid, int v);
void pqf_cw_byte(pqf_cw *w, int16_t fid, int8_t v);
void pqf_cw_i16(pqf_cw *w, int16_t fid, int16_t v);
void pqf_cw_i32(pqf_cw *w, int16_t fid, int32_t v);
void pqf_cw_i64(pqf_cw *w, int16_t fid, int64_t v);
void pqf_cw_binary(pqf_cw *w, int16_t fid, const void *p, size_t n);
/* A list header (count n of compact element type et), alone or as field fid. */
void pqf_cw_list_header(pqf_cw *w, unsigned et, uint32_t n);
void pqf_cw_list(pqf_cw *w, int16_t fid, unsigned et, uint32_t n);
/* List elements. */
void pqf_cw_elem_i32(pqf_cw *w, int32_t v);
void pqf_cw_elem_binary(pqf_cw *w, const void *p, size_t n);
/* Open a struct as field fid, or as a list element (no header); close it
 * with pqf_cw_struct_end(), which writes the stop byte. The outermost struct
 * (FileMetaData) is open from the start: only its end is written. */
void pqf_cw_struct_begin(pqf_cw *w, int16_t fid);
void pqf_cw_elem_struct_begin(pqf_cw *w);
void pqf_cw_struct_end(pqf_cw *w);

#endif
