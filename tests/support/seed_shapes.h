/*
 * seed_shapes.h -- valid Parquet footers (FileMetaData) of several shapes, written
 * field by field with compact_writer.h. Used by fuzz/make_seeds.c (the fuzz
 * corpus and tests/data/y_*.bin) and by tests/test_hardening.c (small valid footers
 * to truncate, flip and decode repeatedly).
 *
 * A shape is a schema (a pre-order list of sh_node, as Parquet stores it) plus
 * sh_opts saying which optional parts each row group and chunk carries. Chunk byte
 * ranges are laid out contiguously from offset 4 (after the leading "PAR1"), so a
 * footer describes a file whose data region ends at sh_footer()'s return value.
 */
#ifndef PQF_SEED_SHAPES_H
#define PQF_SEED_SHAPES_H

#include <stdio.h>

#include "compact_writer.h"

/* Parquet enum values used below (physical types, repetition, converted types). */
enum { SH_BOOLEAN = 0, SH_INT32 = 1, SH_INT64 = 2, SH_INT96 = 3, SH_FLOAT = 4, SH_DOUBLE = 5,
       SH_BYTE_ARRAY = 6, SH_FLBA = 7 };
enum { SH_REQUIRED = 0, SH_OPTIONAL = 1, SH_REPEATED = 2 };

/* One SchemaElement. -1 (or NULL) leaves an optional field out. */
typedef struct sh_node {
    const char *name;
    int type, type_length, rep, nchildren, conv;
    int lt;        /* LogicalType member id (1..19), 0 = none, 99 = two members (STRING+JSON) */
    int lt_a, lt_b; /* DECIMAL scale/precision, INTEGER width/signed, TIME* utc/unit (1..3),
                      GEOGRAPHY algorithm, VARIANT version (-1 = absent) */
    const char *lt_s; /* GEOMETRY/GEOGRAPHY crs */
    int scale, precision, field_id;
} sh_node;

#define SH_LEAF(name, type, rep) {name, type, -1, rep, -1, -1, 0, 0, 0, NULL, -1, -1, -1}
#define SH_GROUP(name, rep, n) {name, -1, -1, rep, n, -1, 0, 0, 0, NULL, -1, -1, -1}

typedef struct sh_opts {
    int nrg;            /* row groups */
    int64_t rows;       /* rows per row group */
    int dict;           /* dictionary pages (not for BOOLEAN leaves) */
    int stats;          /* 0 none, 1 fixed-size min/max, 2 string min/max of varying length */
    int encoding_stats;
    int page_index;     /* ColumnChunk offset/column index fields */
    int bloom;          /* ColumnMetaData bloom filter fields */
    int kv;             /* file key_value_metadata entries */
    int col_kv;         /* ColumnMetaData key_value_metadata */
    int created_by;
    int rg_extra;       /* RowGroup file_offset, total_compressed_size, ordinal */
    int sorting;        /* RowGroup sorting_columns */
    int column_orders;
    int file_path;      /* chunks live in another file */
    int encrypt_every;  /* every n-th column has crypto_metadata and no meta_data (0 = none) */
    int rg_first;       /* write row_groups before schema */
    int extension;      /* unknown fields, long-form ids, FileMetaData 32767 */
    int size_stats;     /* ColumnMetaData size_statistics */
    int geo_stats;      /* ColumnMetaData geospatial_statistics */
    int encryption;     /* FileMetaData encryption_algorithm + footer_signing_key_metadata */
    int vary;           /* vary sizes from row group to row group */
    int fo_after;       /* ColumnChunk.file_offset = end of chunk (parquet-mr) instead of start */
    int index_page;     /* ColumnMetaData index_page_offset */
    int64_t base;       /* offset of the first chunk (0 = 4, right after "PAR1") */
    uint32_t seed;
} sh_opts;

typedef struct sh_leaf {
    const char *parts[16];
    int nparts;
    int type;
} sh_leaf;

static inline uint32_t sh_rand(uint32_t *s) {
    uint32_t x = *s ? *s : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

/* Leaves of a pre-order schema with their path_in_schema. Returns the count (<= max). */
static inline int sh_leaves(const sh_node *s, int n, sh_leaf *out, int max) {
    int stack_rem[32], depth = 0, nl = 0;
    const char *path[32];
    stack_rem[0] = s[0].nchildren > 0 ? s[0].nchildren : 0;
    for (int i = 1; i < n; i++) {
        while (depth >= 0 && stack_rem[depth] == 0) depth--;
        if (depth < 0) break;
        stack_rem[depth]--;
        path[depth] = s[i].name;
        if (s[i].nchildren > 0 && depth + 1 < 31) {
            stack_rem[++depth] = s[i].nchildren;
        } else if (nl < max) {
            sh_leaf *l = &out[nl++];
            l->nparts = depth + 1 < 16 ? depth + 1 : 16;
            for (int k = 0; k < l->nparts; k++) l->parts[k] = path[k];
            l->type = s[i].type;
        }
    }
    return nl;
}

static inline void sh_time_unit(fb *w, int unit) {
    fb_structf(w, 2);
    fb_structf(w, (int16_t)(unit >= 1 && unit <= 3 ? unit : 1));
    fb_end(w);
    fb_end(w);
}

static inline void sh_logical(fb *w, const sh_node *e) {
    fb_structf(w, 10);
    switch (e->lt) {
    case 5:
        fb_structf(w, 5);
        fb_i32f(w, 1, e->lt_a);
        fb_i32f(w, 2, e->lt_b);
        fb_end(w);
        break;
    case 7:
    case 8:
        fb_structf(w, (int16_t)e->lt);
        fb_boolf(w, 1, e->lt_a);
        sh_time_unit(w, e->lt_b);
        fb_end(w);
        break;
    case 10:
        fb_structf(w, 10);
        fb_bytef(w, 1, (uint8_t)e->lt_a);
        fb_boolf(w, 2, e->lt_b);
        fb_end(w);
        break;
    case 16:
        fb_structf(w, 16);
        if (e->lt_a >= 0) fb_bytef(w, 1, (uint8_t)e->lt_a);
        fb_end(w);
        break;
    case 17:
    case 18:
        fb_structf(w, (int16_t)e->lt);
        if (e->lt_s) fb_strf(w, 1, e->lt_s);
        if (e->lt == 18 && e->lt_a >= 0) fb_i32f(w, 2, e->lt_a);
        fb_end(w);
        break;
    case 99: /* two members in one union: not written by conforming writers */
        fb_structf(w, 1);
        fb_end(w);
        fb_structf(w, 12);
        fb_end(w);
        break;
    default:
        fb_structf(w, (int16_t)e->lt);
        fb_end(w);
        break;
    }
    fb_end(w);
}

static inline void sh_schema_element(fb *w, const sh_node *e) {
    fb_begin(w);
    if (e->type >= 0) fb_i32f(w, 1, e->type);
    if (e->type_length >= 0) fb_i32f(w, 2, e->type_length);
    if (e->rep >= 0) fb_i32f(w, 3, e->rep);
    fb_strf(w, 4, e->name);
    if (e->nchildren >= 0) fb_i32f(w, 5, e->nchildren);
    if (e->conv >= 0) fb_i32f(w, 6, e->conv);
    if (e->scale >= 0) fb_i32f(w, 7, e->scale);
    if (e->precision >= 0) fb_i32f(w, 8, e->precision);
    if (e->field_id >= 0) fb_i32f(w, 9, e->field_id);
    if (e->lt) sh_logical(w, e);
    fb_end(w);
}

static inline void sh_schema(fb *w, const sh_node *s, int n) {
    fb_listf(w, 2, FB_STRUCT, (uint32_t)n);
    for (int i = 0; i < n; i++) sh_schema_element(w, &s[i]);
}

static inline void sh_kv(fb *w, int16_t fid, int n, const char *prefix) {
    fb_listf(w, fid, FB_STRUCT, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        char k[32], v[48];
        snprintf(k, sizeof k, "%s.key%d", prefix, i);
        snprintf(v, sizeof v, "value \"%d\"\t\xc3\xa9", i);
        fb_begin(w);
        fb_strf(w, 1, k);
        if (i % 3 != 2) fb_strf(w, 2, v); /* some values absent */
        fb_end(w);
    }
}

static inline void sh_stats(fb *w, const sh_opts *o, int type, uint32_t *rnd) {
    fb_structf(w, 12);
    if (o->stats == 2) {
        char mn[40], mx[48];
        int ln = 1 + (int)(sh_rand(rnd) % (o->vary ? 30u : 4u));
        for (int i = 0; i < ln; i++) mn[i] = (char)('a' + (int)(sh_rand(rnd) % 26u));
        mn[ln] = 0;
        snprintf(mx, sizeof mx, "z%s", mn);
        fb_binf(w, 5, mx, strlen(mx));
        fb_binf(w, 6, mn, strlen(mn));
    } else {
        uint8_t v[8];
        int width = type == SH_INT32 || type == SH_FLOAT ? 4 : 8;
        for (int i = 0; i < 8; i++) v[i] = (uint8_t)sh_rand(rnd);
        fb_binf(w, 1, v, (size_t)width); /* legacy max/min too */
        fb_binf(w, 2, v, (size_t)width);
        fb_i64f(w, 3, (int64_t)(sh_rand(rnd) % 5u));
        fb_binf(w, 5, v, (size_t)width);
        fb_binf(w, 6, v, (size_t)width);
        fb_boolf(w, 7, 1);
        fb_boolf(w, 8, 0);
    }
    fb_end(w);
}

/* ColumnMetaData of one chunk. */
static inline void sh_cmd(fb *w, const sh_opts *o, const sh_leaf *l, int64_t nv, int64_t tcs,
                          int64_t dpo, int64_t dict, int codec, uint32_t *rnd) {
    fb_structf(w, 3);
    fb_i32f(w, 1, l->type >= 0 ? l->type : SH_BYTE_ARRAY);
    fb_listf(w, 2, FB_I32, dict >= 0 ? 3 : 2);
    fb_i32(w, 0);  /* PLAIN */
    fb_i32(w, 3);  /* RLE */
    if (dict >= 0) fb_i32(w, 8); /* RLE_DICTIONARY */
    fb_listf(w, 3, FB_BINARY, (uint32_t)l->nparts);
    for (int k = 0; k < l->nparts; k++) fb_str(w, l->parts[k]);
    fb_i32f(w, 4, codec);
    fb_i64f(w, 5, nv);
    fb_i64f(w, 6, tcs + tcs / 3 + 7);
    fb_i64f(w, 7, tcs);
    if (o->col_kv) sh_kv(w, 8, 2, "col");
    fb_i64f(w, 9, dpo);
    if (o->index_page) fb_i64f(w, 10, dpo);
    if (dict >= 0) fb_i64f(w, 11, dict);
    if (o->stats) sh_stats(w, o, l->type, rnd);
    if (o->encoding_stats) {
        fb_listf(w, 13, FB_STRUCT, dict >= 0 ? 2 : 1);
        if (dict >= 0) {
            fb_begin(w);
            fb_i32f(w, 1, 2); /* DICTIONARY_PAGE */
            fb_i32f(w, 2, 0);
            fb_i32f(w, 3, 1);
            fb_end(w);
        }
        fb_begin(w);
        fb_i32f(w, 1, 0); /* DATA_PAGE */
        fb_i32f(w, 2, dict >= 0 ? 8 : 0);
        fb_i32f(w, 3, 1 + (int32_t)(sh_rand(rnd) % 3u));
        fb_end(w);
    }
    if (o->bloom) {
        fb_i64f(w, 14, 1000000 + dpo);
        fb_i32f(w, 15, 64 + (int32_t)(sh_rand(rnd) % 64u));
    }
    if (o->size_stats) {
        fb_structf(w, 16);
        if (l->type == SH_BYTE_ARRAY) fb_i64f(w, 1, nv * 5);
        fb_listf(w, 2, FB_I64, 2);
        fb_i64(w, nv);
        fb_i64(w, 0);
        fb_listf(w, 3, FB_I64, 2);
        fb_i64(w, 1);
        fb_i64(w, nv - 1);
        fb_end(w);
    }
    if (o->geo_stats) {
        fb_structf(w, 17);
        fb_structf(w, 1);
        fb_doublef(w, 1, -180.0);
        fb_doublef(w, 2, 180.0);
        fb_doublef(w, 3, -90.0);
        fb_doublef(w, 4, 90.0);
        fb_end(w);
        fb_listf(w, 2, FB_I32, 1);
        fb_i32(w, 1);
        fb_end(w);
    }
    if (o->extension) {
        fb_field_long(w, FB_STRUCT, 300); /* an unknown struct field */
        fb_begin(w);
        fb_i32f(w, 1, 7);
        fb_field(w, FB_MAP, 2);
        fb_map(w, FB_BINARY, FB_I64, 1);
        fb_str(w, "k");
        fb_i64(w, 5);
        fb_end(w);
    }
    fb_end(w);
}

/* The whole FileMetaData. Returns the end of the data region (first byte after
 * the last chunk), i.e. where the footer starts in the file it describes. */
static inline int64_t sh_footer(fb *w, const sh_node *s, int ns, const sh_opts *o) {
    sh_leaf leaves[256];
    int nl = sh_leaves(s, ns, leaves, 256);
    uint32_t rnd = o->seed ? o->seed : 12345u;
    int64_t pos = o->base ? o->base : 4;
    fb_begin(w);
    fb_i32f(w, 1, 2);
    if (o->extension) fb_binf(w, 2, "x", 1); /* schema id with the wrong type: skipped */
    if (!o->rg_first) sh_schema(w, s, ns);
    fb_i64f(w, 3, (int64_t)o->nrg * o->rows);
    fb_listf(w, 4, FB_STRUCT, (uint32_t)o->nrg);
    for (int r = 0; r < o->nrg; r++) {
        int64_t rg_start = pos, rg_bytes = 0;
        fb_begin(w);
        fb_listf(w, 1, FB_STRUCT, (uint32_t)nl);
        for (int c = 0; c < nl; c++) {
            const sh_leaf *l = &leaves[c];
            int64_t tcs = 40 + c * 3 + (o->vary ? (int64_t)(sh_rand(&rnd) % 200u) : 0);
            int has_dict = o->dict && l->type != SH_BOOLEAN;
            int64_t dict = has_dict ? pos : -1;
            int64_t dpo = has_dict ? pos + 12 + (o->vary ? (int64_t)(sh_rand(&rnd) % 8u) : 0) : pos;
            int codec = (c % 4 == 3) ? 0 : 1; /* UNCOMPRESSED / SNAPPY */
            int encrypted = o->encrypt_every && c % o->encrypt_every == o->encrypt_every - 1;
            fb_begin(w);
            if (o->file_path) fb_strf(w, 1, c % 2 ? "part-0001.parquet" : "part-0000.parquet");
            fb_i64f(w, 2, o->fo_after ? pos + tcs : pos);
            if (!encrypted) sh_cmd(w, o, l, o->rows, tcs, dpo, dict, codec, &rnd);
            if (o->page_index) {
                fb_i64f(w, 4, 5000000 + pos);
                fb_i32f(w, 5, 20 + c);
                fb_i64f(w, 6, 6000000 + pos);
                fb_i32f(w, 7, 30 + c);
            }
            if (encrypted) {
                fb_structf(w, 8);
                fb_structf(w, 2);
                fb_listf(w, 1, FB_BINARY, (uint32_t)l->nparts);
                for (int k = 0; k < l->nparts; k++) fb_str(w, l->parts[k]);
                fb_binf(w, 2, "key-1", 5);
                fb_end(w);
                fb_end(w);
                fb_binf(w, 9, "\x01\x02\x03\x04 encrypted", 14);
            }
            fb_end(w);
            pos += tcs;
            rg_bytes += tcs;
        }
        fb_i64f(w, 2, rg_bytes * 2);
        fb_i64f(w, 3, o->rows);
        if (o->sorting) {
            fb_listf(w, 4, FB_STRUCT, 1);
            fb_begin(w);
            fb_i32f(w, 1, 0);
            fb_boolf(w, 2, r % 2);
            fb_boolf(w, 3, 1);
            fb_end(w);
        }
        if (o->rg_extra) {
            fb_i64f(w, 5, rg_start);
            fb_i64f(w, 6, rg_bytes);
            fb_i16f(w, 7, (int16_t)r);
        }
        fb_end(w);
    }
    if (o->rg_first) sh_schema(w, s, ns);
    if (o->kv) sh_kv(w, 5, o->kv, "file");
    if (o->created_by) fb_strf(w, 6, "pqfoot make_seeds version 0.1.0 (build 1)");
    if (o->column_orders) {
        fb_listf(w, 7, FB_STRUCT, (uint32_t)nl);
        for (int c = 0; c < nl; c++) {
            fb_begin(w);
            fb_structf(w, 1);
            fb_end(w);
            fb_end(w);
        }
    }
    if (o->encryption) {
        fb_structf(w, 8);
        fb_structf(w, 1);
        fb_binf(w, 1, "prefix", 6);
        fb_boolf(w, 3, 0);
        fb_end(w);
        fb_end(w);
        fb_binf(w, 9, "signing-key", 11);
    }
    if (o->extension) {
        fb_field_long(w, FB_BINARY, 32767); /* footer extension blob */
        fb_uvarint(w, 5);
        fb_raw(w, "\x00\x01\x02\x03\x04", 5);
        fb_field_long(w, FB_SET, -5); /* negative id, a set */
        fb_list(w, FB_I16, 2);
        fb_i16(w, 1);
        fb_i16(w, -1);
        fb_field(w, FB_DOUBLE, 20);
        fb_raw(w, "\x00\x00\x00\x00\x00\x00\xf0\x3f", 8);
    }
    fb_end(w);
    return pos;
}

/* ------------------------------------------------------------- schemas --- */

/* A flat table of n leaves of mixed types under the root. Writes into nodes
 * (room for n + 1) and names (room for n * 12 bytes). */
static inline int sh_flat_schema(sh_node *nodes, char *names, int n) {
    static const int types[] = {SH_INT32, SH_INT64, SH_BYTE_ARRAY, SH_DOUBLE, SH_BOOLEAN,
                                SH_FLBA, SH_INT96, SH_FLOAT};
    sh_node root = SH_GROUP("schema", -1, n);
    nodes[0] = root;
    for (int i = 0; i < n; i++) {
        char *nm = names + (size_t)i * 12;
        snprintf(nm, 12, "c%d", i);
        int t = types[i % 8];
        sh_node e = SH_LEAF(nm, t, i % 3 == 0 ? SH_REQUIRED : SH_OPTIONAL);
        if (t == SH_BYTE_ARRAY) e.lt = 1, e.conv = 0;
        if (t == SH_FLBA) e.type_length = 16, e.lt = 14;
        if (i % 5 == 1) e.field_id = i + 1;
        nodes[i + 1] = e;
    }
    return n + 1;
}

/* Nested types and every logical type: lists, maps, structs, variants. */
static inline int sh_nested_schema(sh_node *out) {
    static const sh_node s[] = {
        {"schema", -1, -1, -1, 21, -1, 0, 0, 0, NULL, -1, -1, -1},
        {"id", SH_INT64, -1, SH_REQUIRED, -1, -1, 10, 64, 1, NULL, -1, -1, 1},
        {"tags", -1, -1, SH_OPTIONAL, 1, 3, 3, 0, 0, NULL, -1, -1, 2},
        {"list", -1, -1, SH_REPEATED, 1, -1, 0, 0, 0, NULL, -1, -1, -1},
        {"element", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, 0, 1, 0, 0, NULL, -1, -1, -1},
        {"props", -1, -1, SH_OPTIONAL, 1, 1, 2, 0, 0, NULL, -1, -1, -1},
        {"key_value", -1, -1, SH_REPEATED, 2, 2, 0, 0, 0, NULL, -1, -1, -1},
        {"key", SH_BYTE_ARRAY, -1, SH_REQUIRED, -1, 0, 1, 0, 0, NULL, -1, -1, -1},
        {"value", SH_INT32, -1, SH_OPTIONAL, -1, 17, 10, 32, 0, NULL, -1, -1, -1},
        {"point", -1, -1, SH_OPTIONAL, 2, -1, 0, 0, 0, NULL, -1, -1, -1},
        {"x", SH_DOUBLE, -1, SH_REQUIRED, -1, -1, 0, 0, 0, NULL, -1, -1, -1},
        {"y", SH_DOUBLE, -1, SH_REQUIRED, -1, -1, 0, 0, 0, NULL, -1, -1, -1},
        {"ts", SH_INT64, -1, SH_OPTIONAL, -1, 10, 8, 1, 2, NULL, -1, -1, -1},
        {"t", SH_INT32, -1, SH_OPTIONAL, -1, 7, 7, 0, 1, NULL, -1, -1, -1},
        {"ns", SH_INT64, -1, SH_OPTIONAL, -1, -1, 8, 0, 3, NULL, -1, -1, -1},
        {"d", SH_INT32, -1, SH_OPTIONAL, -1, 6, 6, 0, 0, NULL, -1, -1, -1},
        {"dec", SH_FLBA, 16, SH_OPTIONAL, -1, 5, 5, 9, 38, NULL, 9, 38, -1},
        {"geo", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, -1, 18, 1, 0, "OGC:CRS84", -1, -1, -1},
        {"geom", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, -1, 17, 0, 0, "srid:4326", -1, -1, -1},
        {"var", -1, -1, SH_OPTIONAL, 2, -1, 16, 1, 0, NULL, -1, -1, -1},
        {"metadata", SH_BYTE_ARRAY, -1, SH_REQUIRED, -1, -1, 0, 0, 0, NULL, -1, -1, -1},
        {"value", SH_BYTE_ARRAY, -1, SH_REQUIRED, -1, -1, 0, 0, 0, NULL, -1, -1, -1},
        {"f16", SH_FLBA, 2, SH_OPTIONAL, -1, -1, 15, 0, 0, NULL, -1, -1, -1},
        {"j", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, 19, 12, 0, 0, NULL, -1, -1, -1},
        {"e", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, 4, 4, 0, 0, NULL, -1, -1, -1},
        {"b", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, 20, 13, 0, 0, NULL, -1, -1, -1},
        {"u", SH_INT32, -1, SH_OPTIONAL, -1, -1, 11, 0, 0, NULL, -1, -1, -1},
        {"file", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, -1, 19, 0, 0, NULL, -1, -1, -1},
        {"two", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, -1, 99, 0, 0, NULL, -1, -1, -1},
        {"i8", SH_INT32, -1, SH_REQUIRED, -1, 15, 10, 8, 0, NULL, -1, -1, -1},
        {"uuid", SH_FLBA, 16, SH_OPTIONAL, -1, -1, 14, 0, 0, NULL, -1, -1, -1},
    };
    int n = (int)(sizeof s / sizeof s[0]);
    memcpy(out, s, sizeof s);
    return n;
}

/* The smallest useful footer: one INT32 leaf, one row group, one chunk. */
static inline void sh_minimal(fb *w) {
    static const sh_node s[] = {SH_GROUP("schema", -1, 1), SH_LEAF("a", SH_INT32, SH_REQUIRED)};
    sh_opts o;
    memset(&o, 0, sizeof o);
    o.nrg = 1;
    o.rows = 3;
    sh_footer(w, s, 2, &o);
}

/* A small footer with most optional parts: two leaves in a group, two row groups. */
static inline int64_t sh_small(fb *w) {
    static const sh_node s[] = {
        SH_GROUP("schema", -1, 2),
        SH_LEAF("id", SH_INT64, SH_REQUIRED),
        SH_GROUP("g", SH_OPTIONAL, 1),
        {"name", SH_BYTE_ARRAY, -1, SH_OPTIONAL, -1, 0, 1, 0, 0, NULL, -1, -1, 7},
    };
    sh_opts o;
    memset(&o, 0, sizeof o);
    o.nrg = 2;
    o.rows = 10;
    o.dict = 1;
    o.stats = 1;
    o.page_index = 1;
    o.bloom = 1;
    o.kv = 2;
    o.created_by = 1;
    o.rg_extra = 1;
    return sh_footer(w, s, 4, &o);
}

#endif /* PQF_SEED_SHAPES_H */
