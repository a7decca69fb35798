/*
 * Thrift compact protocol readers over a cursor (pqf_cur). Every reader
 * checks the bytes left before it reads, and reports failures through
 * pqf_fail_at() with the offset where the bad item starts.
 */
#ifndef PQF_WIRE_H
#define PQF_WIRE_H

#include "internal.h"

/* Compact protocol type codes (the low nibble of a field header). */
enum {
    CT_STOP = 0, CT_TRUE = 1, CT_FALSE = 2, CT_BYTE = 3, CT_I16 = 4, CT_I32 = 5,
    CT_I64 = 6, CT_DOUBLE = 7, CT_BINARY = 8, CT_LIST = 9, CT_SET = 10, CT_MAP = 11,
    CT_STRUCT = 12
};

#define PQF_MSG_TRUNC "footer ends inside a value"

PQF_INLINE size_t wire_left(const pqf_cur *c) { return (size_t)(c->end - c->p); }

/* The careful path: near the end of the bytes, or longer than two bytes (wire.c). */
PQF_CHECK_RESULT int pqf_varint_slow(pqf_cur *c, uint64_t *out, unsigned maxlen);

/* Unsigned varint of at most maxlen bytes (3, 5 or 10). A 10-byte varint may
 * carry only bit 63 in its last byte. */
PQF_INLINE PQF_CHECK_RESULT int wire_varint(pqf_cur *c, uint64_t *out, unsigned maxlen) {
    const uint8_t *p = c->p;
    *out = 0;
    if (PQF_LIKELY(wire_left(c) >= 10)) {
        uint64_t b = p[0];
        if (PQF_LIKELY(b < 0x80)) {
            c->p = p + 1;
            *out = b;
            return 0;
        }
        uint64_t v = b & 0x7f;
        b = p[1];
        v |= (b & 0x7f) << 7;
        if (PQF_LIKELY(b < 0x80)) {
            c->p = p + 2;
            *out = v;
            return 0;
        }
    }
    return pqf_varint_slow(c, out, maxlen);
}

PQF_INLINE int64_t zigzag64(uint64_t u) { return (int64_t)((u >> 1) ^ (~(u & 1) + 1)); }

PQF_INLINE PQF_CHECK_RESULT int wire_i64(pqf_cur *c, int64_t *out) {
    uint64_t u;
    *out = 0;
    int rc = wire_varint(c, &u, 10);
    if (PQF_UNLIKELY(rc)) return rc;
    *out = zigzag64(u);
    return 0;
}

PQF_INLINE PQF_CHECK_RESULT int wire_i32(pqf_cur *c, int32_t *out) {
    const uint8_t *at = c->p;
    *out = 0;
    uint64_t u;
    int rc = wire_varint(c, &u, 5);
    if (PQF_UNLIKELY(rc)) return rc;
    if (PQF_UNLIKELY(u > 0xFFFFFFFFu)) return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "i32 varint out of range");
    *out = (int32_t)zigzag64(u);
    return 0;
}

PQF_INLINE PQF_CHECK_RESULT int wire_i16(pqf_cur *c, int16_t *out) {
    const uint8_t *at = c->p;
    *out = 0;
    uint64_t u;
    int rc = wire_varint(c, &u, 3);
    if (PQF_UNLIKELY(rc)) return rc;
    if (PQF_UNLIKELY(u > 0xFFFFu)) return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "i16 varint out of range");
    *out = (int16_t)zigzag64(u);
    return 0;
}

PQF_INLINE PQF_CHECK_RESULT int wire_byte(pqf_cur *c, uint8_t *out) {
    *out = 0;
    if (PQF_UNLIKELY(c->p >= c->end)) return pqf_fail(c, PQF_ERR_TRUNCATED, PQF_MSG_TRUNC);
    *out = *c->p++;
    return 0;
}

/* Length-prefixed binary/string: a non-zigzag varint32 length, then bytes. */
PQF_INLINE PQF_CHECK_RESULT int wire_binary(pqf_cur *c, const uint8_t **s, size_t *n) {
    const uint8_t *at = c->p;
    *s = at;
    *n = 0;
    uint64_t u;
    int rc = wire_varint(c, &u, 5);
    if (PQF_UNLIKELY(rc)) return rc;
    if (PQF_UNLIKELY(u > 0x7FFFFFFFu))
        return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "negative binary length");
    if (PQF_UNLIKELY(u > wire_left(c)))
        return pqf_fail_at(c, at, PQF_ERR_TRUNCATED, "binary longer than the bytes left");
    *s = c->p;
    *n = (size_t)u;
    c->p += u;
    return 0;
}

/* Field header. *type is CT_STOP at the end of the struct. Field ids follow
 * Thrift: a delta from the previous id (16-bit wrap-around) or a zigzag i16. */
PQF_INLINE PQF_CHECK_RESULT int wire_field(pqf_cur *c, int16_t *last, int16_t *fid,
                                           unsigned *type) {
    *type = CT_STOP;
    if (PQF_UNLIKELY(c->p >= c->end)) return pqf_fail(c, PQF_ERR_TRUNCATED, "footer ends inside a struct");
    unsigned h = *c->p;
    unsigned t = h & 0x0f;
    if (t == CT_STOP) {
        c->p++;
        *type = CT_STOP;
        return 0;
    }
    if (PQF_UNLIKELY(t > CT_STRUCT)) return pqf_fail(c, PQF_ERR_MALFORMED, "unknown compact type in field header");
    c->p++;
    unsigned delta = h >> 4;
    if (PQF_LIKELY(delta)) {
        *fid = (int16_t)(uint16_t)((uint16_t)*last + delta);
    } else {
        int rc = wire_i16(c, fid);
        if (PQF_UNLIKELY(rc)) return rc;
    }
    *last = *fid;
    *type = t;
    return 0;
}

/* List or set header. min_elem is the fewest bytes one element can take; a
 * count the remaining bytes cannot hold is rejected before anything is
 * allocated. *etype is the element type code (0..12). */
PQF_INLINE PQF_CHECK_RESULT int wire_list(pqf_cur *c, uint32_t *count, unsigned *etype,
                                          size_t min_elem) {
    const uint8_t *at = c->p;
    *count = 0;
    *etype = CT_STOP;
    uint8_t h;
    int rc = wire_byte(c, &h);
    if (PQF_UNLIKELY(rc)) return rc;
    uint64_t n = h >> 4;
    if (n == 15) {
        rc = wire_varint(c, &n, 5);
        if (PQF_UNLIKELY(rc)) return rc;
        if (PQF_UNLIKELY(n > 0x7FFFFFFFu)) return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "negative list size");
    }
    unsigned t = h & 0x0f;
    if (PQF_UNLIKELY(t > CT_STRUCT)) return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "unknown compact type in list header");
    if (PQF_UNLIKELY(min_elem && n > wire_left(c) / min_elem))
        return pqf_fail_at(c, at, PQF_ERR_TRUNCATED, "list longer than the bytes left");
    *count = (uint32_t)n;
    *etype = t;
    return 0;
}

/* Enter / leave a nested struct or container, bounded by max_depth. */
PQF_INLINE PQF_CHECK_RESULT int wire_enter(pqf_cur *c) {
    if (PQF_UNLIKELY(++c->depth > c->max_depth))
        return pqf_fail(c, PQF_ERR_DEPTH, "nesting deeper than the depth limit");
    return 0;
}
PQF_INLINE void wire_leave(pqf_cur *c) { c->depth--; }

#endif
