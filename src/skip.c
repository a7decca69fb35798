/* The one skip routine for every compact type, plus the careful varint path. */
#include "wire.h"

/* Varint near the end of the buffer, or longer than two bytes. */
int pqf_varint_slow(pqf_cur *c, uint64_t *out, unsigned maxlen) {
    const uint8_t *p = c->p;
    size_t left = wire_left(c);
    uint64_t v = 0;
    for (unsigned i = 0; i < maxlen; i++) {
        if (i >= left) return pqf_fail_at(c, p, PQF_ERR_TRUNCATED, "footer ends inside a varint");
        uint64_t b = p[i];
        if (i == 9 && b > 1) return pqf_fail_at(c, p, PQF_ERR_MALFORMED, "varint exceeds 64 bits");
        v |= (b & 0x7f) << (7 * i);
        if (b < 0x80) {
            c->p = p + i + 1;
            *out = v;
            return 0;
        }
    }
    return pqf_fail_at(c, p, PQF_ERR_MALFORMED, "varint longer than its type allows");
}

/* Skip a run of n varints (list elements) without decoding them. */
static int skip_varints(pqf_cur *c, uint32_t n, unsigned maxlen) {
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *at = c->p;
        uint64_t u;
        int rc = wire_varint(c, &u, maxlen);
        if (rc) return rc;
        if (maxlen == 5 && u > 0xFFFFFFFFu) return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "i32 varint out of range");
        if (maxlen == 3 && u > 0xFFFFu) return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "i16 varint out of range");
    }
    return 0;
}

static int skip_bytes(pqf_cur *c, uint64_t n) {
    if (n > wire_left(c)) return pqf_fail(c, PQF_ERR_TRUNCATED, PQF_MSG_TRUNC);
    c->p += n;
    return 0;
}

/* Elements of a list, set or map side. Bool elements are one byte each. */
static int skip_elems(pqf_cur *c, unsigned t, uint32_t n) {
    switch (t) {
    case CT_TRUE: case CT_FALSE: case CT_BYTE: return skip_bytes(c, n);
    case CT_DOUBLE: return skip_bytes(c, (uint64_t)n * 8);
    case CT_I16: return skip_varints(c, n, 3);
    case CT_I32: return skip_varints(c, n, 5);
    case CT_I64: return skip_varints(c, n, 10);
    default:
        for (uint32_t i = 0; i < n; i++) {
            int rc = pqf_skip(c, t);
            if (rc) return rc;
        }
        return 0;
    }
}

int pqf_skip(pqf_cur *c, unsigned t) {
    int rc;
    switch (t) {
    case CT_TRUE:
    case CT_FALSE:
        return 0; /* a bool field's value lives in its header */
    case CT_BYTE:
        return skip_bytes(c, 1);
    case CT_I16: {
        int16_t v;
        return wire_i16(c, &v);
    }
    case CT_I32: {
        int32_t v;
        return wire_i32(c, &v);
    }
    case CT_I64: {
        int64_t v;
        return wire_i64(c, &v);
    }
    case CT_DOUBLE:
        return skip_bytes(c, 8);
    case CT_BINARY: {
        const uint8_t *s;
        size_t n;
        return wire_binary(c, &s, &n);
    }
    case CT_STRUCT:
        return pqf_skip_struct(c, PQF_SHAPE_STRUCT);
    case CT_LIST:
    case CT_SET: {
        const uint8_t *at = c->p;
        uint32_t n;
        unsigned et;
        if ((rc = wire_list(c, &n, &et, 1))) return rc;
        if (n == 0) return 0;
        if (et == CT_STOP) return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "list of elements with no type");
        if ((rc = wire_enter(c))) return rc;
        if ((rc = skip_elems(c, et, n))) return rc;
        wire_leave(c);
        return 0;
    }
    case CT_MAP: {
        const uint8_t *at = c->p;
        uint64_t n;
        if ((rc = wire_varint(c, &n, 5))) return rc;
        if (n > 0x7FFFFFFFu) return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "negative map size");
        if (n == 0) return 0;
        uint8_t kv;
        if ((rc = wire_byte(c, &kv))) return rc;
        unsigned kt = kv >> 4, vt = kv & 0x0f;
        if (kt > CT_STRUCT || vt > CT_STRUCT)
            return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "unknown compact type in map header");
        if (kt == CT_STOP || vt == CT_STOP)
            return pqf_fail_at(c, at, PQF_ERR_MALFORMED, "map of elements with no type");
        if (n > wire_left(c) / 2) return pqf_fail_at(c, at, PQF_ERR_TRUNCATED, "map longer than the bytes left");
        if ((rc = wire_enter(c))) return rc;
        for (uint64_t i = 0; i < n; i++) {
            if ((rc = skip_elems(c, kt, 1))) return rc;
            if ((rc = skip_elems(c, vt, 1))) return rc;
        }
        wire_leave(c);
        return 0;
    }
    default:
        return pqf_fail(c, PQF_ERR_MALFORMED, "unknown compact type");
    }
}
