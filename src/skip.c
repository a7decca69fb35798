/*
 * Skipping values pqfoot does not keep: the one skip module.
 *
 * pqf_skip() is the generic skip, following the types on the wire. A field
 * the IDL knows is read by Apache Thrift's generated code by its declared
 * type instead: a list<i32> whose header claims binary elements is still read
 * as varints, a list<struct> as structs. To accept exactly what Thrift
 * accepts, known fields are skipped by their declared shapes
 * (pqf_skip_shaped(), with the shape tables below). Only fields that are
 * lists, or structs that lead to lists, need a shape; the rest skip by the
 * wire types.
 */
#include "chunk_fields.h"
#include "wire.h"

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

/* ------------------------------------------------- skipping by declared shape --- */

typedef struct shape_field {
    int16_t id;
    uint8_t shape;
} shape_field;

typedef struct shape_def {
    uint8_t wire;              /* wire type the field is declared with */
    uint8_t elem;              /* lists: element shape */
    uint8_t nfields;           /* structs: fields with a shape of their own */
    const shape_field *fields;
    const pqf_field_table *table; /* structs the decoder keeps fields of: their field table's shapes */
} shape_def;

static const shape_field size_stats_fields[] = {{2, PQF_SHAPE_LIST_I64}, {3, PQF_SHAPE_LIST_I64}};
static const shape_field geo_fields[] = {{2, PQF_SHAPE_LIST_I32}};
static const shape_field crypto_fields[] = {{2, PQF_SHAPE_ENC_COLUMN_KEY}};
static const shape_field enc_key_fields[] = {{1, PQF_SHAPE_LIST_BINARY}};
static const shape_field row_group_fields[] = {{1, PQF_SHAPE_LIST_CHUNK}, {4, PQF_SHAPE_LIST_STRUCT}};

#define FIELDS(a) (uint8_t)(sizeof(a) / sizeof(a[0])), a, NULL

static const shape_def shapes[PQF_SHAPE__COUNT] = {
    [PQF_SHAPE_ANY] = {CT_STOP, 0, 0, NULL, NULL},
    [PQF_SHAPE_I32] = {CT_I32, 0, 0, NULL, NULL},
    [PQF_SHAPE_I64] = {CT_I64, 0, 0, NULL, NULL},
    [PQF_SHAPE_BINARY] = {CT_BINARY, 0, 0, NULL, NULL},
    [PQF_SHAPE_STRUCT] = {CT_STRUCT, 0, 0, NULL, NULL},
    [PQF_SHAPE_LIST_I32] = {CT_LIST, PQF_SHAPE_I32, 0, NULL, NULL},
    [PQF_SHAPE_LIST_I64] = {CT_LIST, PQF_SHAPE_I64, 0, NULL, NULL},
    [PQF_SHAPE_LIST_BINARY] = {CT_LIST, PQF_SHAPE_BINARY, 0, NULL, NULL},
    [PQF_SHAPE_LIST_STRUCT] = {CT_LIST, PQF_SHAPE_STRUCT, 0, NULL, NULL},
    [PQF_SHAPE_COLUMN_META] = {CT_STRUCT, 0, 0, NULL, &pqf_meta_table},
    [PQF_SHAPE_SIZE_STATS] = {CT_STRUCT, 0, FIELDS(size_stats_fields)},
    [PQF_SHAPE_GEO_STATS] = {CT_STRUCT, 0, FIELDS(geo_fields)},
    [PQF_SHAPE_CRYPTO] = {CT_STRUCT, 0, FIELDS(crypto_fields)},
    [PQF_SHAPE_ENC_COLUMN_KEY] = {CT_STRUCT, 0, FIELDS(enc_key_fields)},
    [PQF_SHAPE_CHUNK] = {CT_STRUCT, 0, 0, NULL, &pqf_chunk_table},
    [PQF_SHAPE_LIST_CHUNK] = {CT_LIST, PQF_SHAPE_CHUNK, 0, NULL, NULL},
    [PQF_SHAPE_ROW_GROUP] = {CT_STRUCT, 0, FIELDS(row_group_fields)},
    [PQF_SHAPE_LIST_ROW_GROUP] = {CT_LIST, PQF_SHAPE_ROW_GROUP, 0, NULL, NULL},
};

unsigned pqf_shape_field(unsigned shape, int16_t fid) {
    const shape_def *s = &shapes[shape];
    if (s->table) return pqf_field_shape(s->table, fid);
    for (unsigned i = 0; i < s->nfields; i++)
        if (s->fields[i].id == fid) return s->fields[i].shape;
    return PQF_SHAPE_ANY;
}

unsigned pqf_shape_wire_type(unsigned shape) { return shapes[shape].wire; }
unsigned pqf_shape_elem(unsigned shape) { return shapes[shape].elem; }

/* The one struct-skipping loop: fields the shape knows are skipped by their
 * shapes, the rest by their wire types. PQF_SHAPE_STRUCT knows no field. */
int pqf_skip_struct(pqf_cur *c, unsigned shape) {
    int rc;
    if ((rc = wire_enter(c))) return rc;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned ft;
        if ((rc = wire_field(c, &last, &fid, &ft))) return rc;
        if (ft == CT_STOP) break;
        if ((rc = pqf_skip_shaped(c, ft, pqf_shape_field(shape, fid)))) return rc;
    }
    wire_leave(c);
    return 0;
}

int pqf_skip_shaped(pqf_cur *c, unsigned t, unsigned shape) {
    const shape_def *s = &shapes[shape];
    if (shape == PQF_SHAPE_ANY || t != s->wire) return pqf_skip(c, t); /* unknown, or not as declared */
    int rc;
    if (t == CT_STRUCT) return pqf_skip_struct(c, shape);
    if (t != CT_LIST) return pqf_skip(c, t);
    /* A known list: the header's element type is validated (as Thrift does)
     * but the elements are read as declared. */
    uint32_t n;
    unsigned et;
    if ((rc = wire_list(c, &n, &et, 1))) return rc; /* every element takes a byte or more */
    unsigned elem = s->elem;
    for (uint32_t i = 0; i < n; i++)
        if ((rc = pqf_skip_shaped(c, shapes[elem].wire, elem))) return rc;
    return 0;
}
