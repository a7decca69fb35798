/*
 * Skipping a known field the way Apache Thrift's generated code reads it.
 *
 * Thrift's generic skip follows the types on the wire, but a field the IDL
 * knows is read by its declared type: a list<i32> whose header claims binary
 * elements is still read as varints, a list<struct> as structs. pqfoot skips
 * what it does not keep, so to accept exactly what Thrift accepts it skips
 * known fields by their declared shapes. Only fields that are lists, or
 * structs that lead to lists, need a shape; the rest skip by the wire types.
 */
#include "wire.h"

typedef struct shape_field {
    int16_t id;
    uint8_t shape;
} shape_field;

typedef struct shape_def {
    uint8_t wire;              /* wire type the field is declared with */
    uint8_t elem;              /* lists: element shape */
    uint8_t nfields;           /* structs: fields with a shape of their own */
    const shape_field *fields;
} shape_def;

static const shape_field cmd_fields[] = {
    {2, PQF_SHAPE_LIST_I32},     /* encodings */
    {3, PQF_SHAPE_LIST_BINARY},  /* path_in_schema */
    {8, PQF_SHAPE_LIST_STRUCT},  /* key_value_metadata */
    {13, PQF_SHAPE_LIST_STRUCT}, /* encoding_stats */
    {16, PQF_SHAPE_SIZE_STATS},  /* size_statistics */
    {17, PQF_SHAPE_GEO_STATS},   /* geospatial_statistics */
};
static const shape_field size_stats_fields[] = {{2, PQF_SHAPE_LIST_I64}, {3, PQF_SHAPE_LIST_I64}};
static const shape_field geo_fields[] = {{2, PQF_SHAPE_LIST_I32}};
static const shape_field crypto_fields[] = {{2, PQF_SHAPE_ENC_COLUMN_KEY}};
static const shape_field enc_key_fields[] = {{1, PQF_SHAPE_LIST_BINARY}};
static const shape_field chunk_fields[] = {{3, PQF_SHAPE_COLUMN_META}, {8, PQF_SHAPE_CRYPTO}};
static const shape_field row_group_fields[] = {{1, PQF_SHAPE_LIST_CHUNK}, {4, PQF_SHAPE_LIST_STRUCT}};

#define FIELDS(a) (uint8_t)(sizeof(a) / sizeof(a[0])), a

static const shape_def shapes[PQF_SHAPE__COUNT] = {
    [PQF_SHAPE_ANY] = {CT_STOP, 0, 0, NULL},
    [PQF_SHAPE_I32] = {CT_I32, 0, 0, NULL},
    [PQF_SHAPE_I64] = {CT_I64, 0, 0, NULL},
    [PQF_SHAPE_BINARY] = {CT_BINARY, 0, 0, NULL},
    [PQF_SHAPE_STRUCT] = {CT_STRUCT, 0, 0, NULL},
    [PQF_SHAPE_LIST_I32] = {CT_LIST, PQF_SHAPE_I32, 0, NULL},
    [PQF_SHAPE_LIST_I64] = {CT_LIST, PQF_SHAPE_I64, 0, NULL},
    [PQF_SHAPE_LIST_BINARY] = {CT_LIST, PQF_SHAPE_BINARY, 0, NULL},
    [PQF_SHAPE_LIST_STRUCT] = {CT_LIST, PQF_SHAPE_STRUCT, 0, NULL},
    [PQF_SHAPE_COLUMN_META] = {CT_STRUCT, 0, FIELDS(cmd_fields)},
    [PQF_SHAPE_SIZE_STATS] = {CT_STRUCT, 0, FIELDS(size_stats_fields)},
    [PQF_SHAPE_GEO_STATS] = {CT_STRUCT, 0, FIELDS(geo_fields)},
    [PQF_SHAPE_CRYPTO] = {CT_STRUCT, 0, FIELDS(crypto_fields)},
    [PQF_SHAPE_ENC_COLUMN_KEY] = {CT_STRUCT, 0, FIELDS(enc_key_fields)},
    [PQF_SHAPE_CHUNK] = {CT_STRUCT, 0, FIELDS(chunk_fields)},
    [PQF_SHAPE_LIST_CHUNK] = {CT_LIST, PQF_SHAPE_CHUNK, 0, NULL},
    [PQF_SHAPE_ROW_GROUP] = {CT_STRUCT, 0, FIELDS(row_group_fields)},
    [PQF_SHAPE_LIST_ROW_GROUP] = {CT_LIST, PQF_SHAPE_ROW_GROUP, 0, NULL},
};

unsigned pqf_shape_field(unsigned shape, int16_t fid) {
    const shape_def *s = &shapes[shape];
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
