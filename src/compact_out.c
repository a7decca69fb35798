/* The compact-protocol writer (see compact_out.h). */
#include "compact_out.h"
#include "wire.h" /* CT_* */

void pqf_cw_init(pqf_cw *w, const pqf_allocator *alc, size_t max) {
    memset(w, 0, sizeof *w);
    /* Growth doubles, so at most about twice max is ever held at once. */
    uint64_t cap = (uint64_t)max * 3 + 256;
    pqf_mem_init(&w->mem, alc, cap);
    w->max = max;
}

void pqf_cw_free(pqf_cw *w) {
    if (w->buf) pqf_mem_free(&w->mem, w->buf, w->cap);
    w->buf = NULL;
    w->len = w->cap = 0;
}

static int fail(pqf_cw *w, int code) {
    if (!w->code) w->code = code;
    return 0;
}

/* Room for n more bytes; 0 (and a sticky error) when there is none. */
static int reserve(pqf_cw *w, size_t n) {
    if (w->code) return 0;
    if (n > w->max - w->len) return fail(w, PQF_ERR_LIMIT);
    if (w->len + n <= w->cap) return 1;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->len + n) cap = cap > w->max / 2 ? w->max : cap * 2;
    uint8_t *nb = pqf_mem_alloc(&w->mem, cap);
    if (!nb) return fail(w, w->mem.failed_code ? w->mem.failed_code : PQF_ERR_NOMEM);
    if (w->len) memcpy(nb, w->buf, w->len);
    if (w->buf) pqf_mem_free(&w->mem, w->buf, w->cap);
    w->buf = nb;
    w->cap = cap;
    return 1;
}

void pqf_cw_raw(pqf_cw *w, const void *p, size_t n) {
    if (!n || !reserve(w, n)) return;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void pqf_cw_varint(pqf_cw *w, uint64_t v) {
    uint8_t b[10];
    size_t n = 0;
    while (v >= 0x80) {
        b[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b[n++] = (uint8_t)v;
    pqf_cw_raw(w, b, n);
}

void pqf_cw_field(pqf_cw *w, int16_t fid, unsigned t) {
    int16_t *last = &w->last[w->depth];
    int32_t delta = (int32_t)fid - (int32_t)*last;
    if (delta > 0 && delta <= 15) {
        uint8_t h = (uint8_t)((unsigned)delta << 4 | t);
        pqf_cw_raw(w, &h, 1);
    } else {
        uint8_t h = (uint8_t)t;
        pqf_cw_raw(w, &h, 1);
        pqf_cw_varint(w, pqf_zigzag_enc(fid));
    }
    *last = fid;
}

void pqf_cw_bool(pqf_cw *w, int16_t fid, int v) { pqf_cw_field(w, fid, v ? CT_TRUE : CT_FALSE); }

void pqf_cw_byte(pqf_cw *w, int16_t fid, int8_t v) {
    uint8_t b = (uint8_t)v;
    pqf_cw_field(w, fid, CT_BYTE);
    pqf_cw_raw(w, &b, 1);
}

void pqf_cw_i16(pqf_cw *w, int16_t fid, int16_t v) {
    pqf_cw_field(w, fid, CT_I16);
    pqf_cw_varint(w, pqf_zigzag_enc(v));
}

void pqf_cw_i32(pqf_cw *w, int16_t fid, int32_t v) {
    pqf_cw_field(w, fid, CT_I32);
    pqf_cw_varint(w, pqf_zigzag_enc(v));
}

void pqf_cw_i64(pqf_cw *w, int16_t fid, int64_t v) {
    pqf_cw_field(w, fid, CT_I64);
    pqf_cw_varint(w, pqf_zigzag_enc(v));
}

void pqf_cw_elem_binary(pqf_cw *w, const void *p, size_t n) {
    if (n > UINT32_MAX) {
        fail(w, PQF_ERR_LIMIT);
        return;
    }
    pqf_cw_varint(w, n);
    pqf_cw_raw(w, p, n);
}

void pqf_cw_binary(pqf_cw *w, int16_t fid, const void *p, size_t n) {
    pqf_cw_field(w, fid, CT_BINARY);
    pqf_cw_elem_binary(w, p, n);
}

void pqf_cw_list_header(pqf_cw *w, unsigned et, uint32_t n) {
    if (n < 15) {
        uint8_t h = (uint8_t)(n << 4 | et);
        pqf_cw_raw(w, &h, 1);
        return;
    }
    uint8_t h = (uint8_t)(0xF0 | et);
    pqf_cw_raw(w, &h, 1);
    pqf_cw_varint(w, n);
}

void pqf_cw_list(pqf_cw *w, int16_t fid, unsigned et, uint32_t n) {
    pqf_cw_field(w, fid, CT_LIST);
    pqf_cw_list_header(w, et, n);
}

void pqf_cw_elem_i32(pqf_cw *w, int32_t v) { pqf_cw_varint(w, pqf_zigzag_enc(v)); }

void pqf_cw_elem_struct_begin(pqf_cw *w) {
    if (w->depth >= PQF_CW_MAX_DEPTH) {
        fail(w, PQF_ERR_DEPTH);
        return;
    }
    w->last[++w->depth] = 0;
}

void pqf_cw_struct_begin(pqf_cw *w, int16_t fid) {
    pqf_cw_field(w, fid, CT_STRUCT);
    pqf_cw_elem_struct_begin(w);
}

void pqf_cw_struct_end(pqf_cw *w) {
    uint8_t stop = CT_STOP;
    pqf_cw_raw(w, &stop, 1);
    if (w->depth) w->depth--; /* depth 0: the outermost struct, which has no begin */
}
