/*
 * The compact footer model. Per-row-group and per-chunk values are stored as
 * bit-packed columns: for each (projected column, field) a reference (another
 * value it is predicted from), a base and a bit width, then one residual of
 * that width per row group. Fields that are constant and equal to their
 * default prediction take no bits and no entry at all.
 */
#ifndef PQF_MODEL_H
#define PQF_MODEL_H

#include <stdatomic.h>

#include "internal.h"

/* Chunk fields, in the order the accessor resolves them. */
enum {
    CF_HAS, CF_TYPE, CF_CODEC, CF_TCS, CF_START, CF_TUS, CF_DPO, CF_DICT, CF_NV, CF_FO,
    CF_FPATH, CF_OI_OFF, CF_OI_LEN, CF_CI_OFF, CF_CI_LEN, CF_BF_OFF, CF_BF_LEN, CF_COUNT
};
/* Row-group fields. */
enum { RF_BASE, RF_NROWS, RF_TBS, RF_FO, RF_TCS, RF_ORD, RF_HAS, RF_COUNT };

/* What a residual is added to. */
enum {
    REF_ZERO, REF_RGBASE, REF_PREV_END, REF_START, REF_END, REF_DPO, REF_TCS, REF_RGROWS,
    REF_LEAF_TYPE, REF_INDEX, REF_META, REF_COUNT
};

/* A chunk's START may be predicted from the previous column's end, except at
 * every PQF_CHAIN-th column, so reading one chunk walks at most this many. */
#define PQF_CHAIN 16

typedef struct pqf_packed_col {
    uint64_t bitpos; /* first bit of this column's residuals */
    uint32_t mask;   /* fields that have an entry */
    uint32_t entry;  /* index of its first entry */
} pqf_packed_col;

/* Entry meta: width in bits 0..6, reference in bits 8..11. */
#define EMETA(width, ref) ((uint16_t)((width) | ((ref) << 8)))
#define EMETA_WIDTH(m) ((unsigned)((m) & 0x7f))
#define EMETA_REF(m) ((unsigned)((m) >> 8))

/* One SchemaElement as the schema block keeps it: 20 bytes. An element with
 * a value these narrow fields cannot hold, or with a rarer field (lengths,
 * children, decimals, field ids, logical-type parameters), has an extra
 * record holding all of its fields; the public struct is filled on request. */
typedef struct pqf_se_slim {
    uint32_t name;   /* offset of its name in the pool; names follow each other in element order */
    uint32_t parent; /* element index (the root's: 0) */
    uint32_t extra;  /* 0, or 1 + index of its pqf_se_extra */
    uint16_t has;    /* PQF_SE_* */
    uint8_t type, rep, conv; /* type, repetition, converted_type when there is no extra */
    uint8_t lkind;   /* logical type kind when there is no extra (parameters: extra) */
    uint8_t pad[2];
} pqf_se_slim;

/* All the fields of an element with an extra record. */
typedef struct pqf_se_extra {
    int32_t type, type_length, repetition, num_children, converted_type, scale, precision, field_id;
    pqf_logical_type lt; /* its crs is {NULL, 0} here: see crs_at */
    uint32_t crs_at;     /* 0: no crs; else 1 + its offset in the pool */
    uint32_t crs_len;
} pqf_se_extra;

/* The schema and its derived columns: immutable, reference-counted, shared
 * by footers whose schemas are equal (pqf_footer_share_schema). Leaf paths,
 * depths and levels are derived when asked for, not stored. */
typedef struct pqf_schema_block {
    _Atomic uint32_t refs;
    uint32_t nschema, ncols, nslots, nextra;
    uint32_t names_end;      /* pool offset just past the last name */
    size_t bytes;            /* the whole block */
    uint64_t hash;
    pqf_allocator alc;
    pqf_se_slim *se;
    pqf_se_extra *extra;
    uint32_t *col_elem;      /* leaf column -> its element (increasing); NULL when leaf c is
                              * element c + 1 (a flat schema): see pqf_col_elem */
    uint32_t *col_path;      /* pool offset of each leaf's dotted path; NULL when every leaf is
                              * top-level (its path is its name) */
    uint32_t *col_slot;      /* leaf column -> slot, UINT32_MAX if not projected; NULL when
                              * every column is projected (slot = column) */
    const char *pool;
} pqf_schema_block;

/* Slot of leaf col (UINT32_MAX when not projected). */
PQF_INLINE uint32_t pqf_col_slot(const uint32_t *col_slot, uint32_t col) { return col_slot ? col_slot[col] : col; }

/* The element of leaf col (in range). */
PQF_INLINE uint32_t pqf_col_elem(const pqf_schema_block *sb, uint32_t col) {
    return sb->col_elem ? sb->col_elem[col] : col + 1;
}

/* Fill the public views of element i / leaf col (both in range). */
void pqf_schema_fill(const pqf_schema_block *sb, uint32_t i, pqf_schema_element *out);
void pqf_column_fill(const pqf_schema_block *sb, uint32_t col, pqf_column *out);
/* Physical type of leaf col, -1 when its element has none. */
int32_t pqf_leaf_type(const pqf_schema_block *sb, uint32_t col);
/* The name of element i, pointing into the pool. */
PQF_INLINE pqf_str pqf_se_name(const pqf_schema_block *sb, uint32_t i) {
    uint32_t off = sb->se[i].name, next = i + 1 < sb->nschema ? sb->se[i + 1].name : sb->names_end;
    pqf_str s = {sb->pool + off, next - off - 1};
    return s;
}

struct pqf_footer {
    size_t bytes;            /* this block, header included (schema block apart) */
    pqf_allocator alc;
    pqf_schema_block *sb;
    /* copies of sb's pointer and counts, so the chunk accessor reads one struct */
    uint32_t *col_slot;      /* NULL: every column projected */
    uint32_t nschema, ncols, nslots;

    int32_t version;
    uint32_t fflags, options;
    int64_t num_rows;
    uint64_t serialized_size, file_size;
    pqf_str created_by;
    uint32_t nkv, nfpaths;
    pqf_str *kv;             /* 2 per entry */
    pqf_str *fpaths;

    uint64_t nrg;
    uint32_t nentries;
    size_t nbits_bytes;      /* packed residuals, 16 bytes of padding included */
    pqf_packed_col rg;       /* the row-group "column" */
    pqf_packed_col *slots;   /* one per projected column */
    uint64_t *ebase;
    uint16_t *emeta;
    const uint8_t *bits;
    struct pqf_stats_block *stats; /* kept statistics (stats.h), or NULL; freed with the footer */
    struct pqf_enc_table *enc; /* encodings lists (model_encodings.h), a block of its own */
};

/* Schema block from the decoder's schema, columns and projection. */
pqf_schema_block *pqf_schema_block_build(pqf_dec *d);
void pqf_schema_block_release(pqf_schema_block *sb);
void pqf_footer_attach_schema(pqf_footer *F, pqf_schema_block *sb);

/* Data block with room for the given counts; strings_size bytes of string pool
 * follow. Fields other than the pointers and counts are zero. */
pqf_footer *pqf_data_block_alloc(pqf_mem *mem, uint32_t nkv, uint32_t nfpaths, uint32_t nslots,
                                 uint32_t nentries, size_t nbits_bytes, size_t strings_size,
                                 char **pool);

/* A buffered byte sink: pqf_sink_put() appends, and calls flush (which must
 * empty the buffer, n = 0) when it is full; the owner flushes the rest. */
typedef struct pqf_sink pqf_sink;
struct pqf_sink {
    void (*flush)(pqf_sink *s);
    size_t n;
    uint8_t buf[4096];
};
void pqf_sink_put(pqf_sink *s, const void *p, size_t n);

/* Copy s into the pool (NUL-terminated) and point s at the copy. */
void pqf_pool_put(char **pool, pqf_str *s);
static inline size_t pqf_pool_size(const pqf_str *s) { return s->ptr ? s->len + 1 : 0; }

/* Bit-position and reference consistency of the packed tables; 0 if sound. */
int pqf_model_check_tables(const pqf_footer *F);

/* Default reference of each field, used when it has no entry. */
unsigned pqf_chunk_default_ref(unsigned field, uint32_t slot);
unsigned pqf_rg_default_ref(unsigned field);

/* width bits at bit position pos; the buffer has 16 bytes of zero padding. */
PQF_INLINE uint64_t pqf_get_bits(const uint8_t *buf, uint64_t pos, unsigned width) {
    if (width == 0) return 0;
    const uint8_t *p = buf + (pos >> 3);
    unsigned sh = (unsigned)(pos & 7);
    uint64_t v = pqf_load64le(p) >> sh;
    if (sh && width + sh > 64) v |= (uint64_t)p[8] << (64 - sh);
    return width == 64 ? v : v & ((UINT64_C(1) << width) - 1);
}

#endif
