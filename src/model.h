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

/* Bytes per value of a narrow array: 0 (every value is 0, nothing stored), 1, 2, 4 or 8. */
PQF_INLINE unsigned pqf_narrow_width(uint64_t max) {
    return max == 0 ? 0 : max <= UINT8_MAX ? 1 : max <= UINT16_MAX ? 2 : max <= UINT32_MAX ? 4 : 8;
}

/* Value i of a narrow array of w-byte little-endian values: one 8-byte load,
 * masked (no branch on w), so every array is followed by at least 8 bytes of
 * its block. */
PQF_INLINE uint64_t pqf_narrow_get(const uint8_t *p, unsigned w, size_t i) {
    uint64_t v;
    memcpy(&v, p + (size_t)w * i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v & (w >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * w)) - 1);
}

/* Set value i (v fits in w bytes). */
PQF_INLINE void pqf_narrow_put(uint8_t *p, unsigned w, size_t i, uint64_t v) {
    p += (size_t)w * i;
    switch (w) { /* little-endian byte stores, which compilers merge on little-endian hosts */
    case 8: p[7] = (uint8_t)(v >> 56), p[6] = (uint8_t)(v >> 48), p[5] = (uint8_t)(v >> 40), p[4] = (uint8_t)(v >> 32);
        /* fall through */
    case 4: p[3] = (uint8_t)(v >> 24), p[2] = (uint8_t)(v >> 16);
        /* fall through */
    case 2: p[1] = (uint8_t)(v >> 8);
        /* fall through */
    case 1: p[0] = (uint8_t)v;
        /* fall through */
    default: break;
    }
}

/* ------------------------------------------------------- default references --- */

/* A field without an entry is its default reference's value (residual 0);
 * a field with one names its reference in the entry, which must be the
 * default one, or for a chunk's file_offset one of REF_START, REF_END and
 * REF_ZERO (whichever packs narrowest). These rules are the model format:
 * the builder follows them, the accessors and the loader rely on them. */
PQF_INLINE unsigned pqf_chunk_default_ref(unsigned field, uint32_t slot) {
    switch (field) {
    case CF_HAS: return REF_META;
    case CF_TYPE: return REF_LEAF_TYPE;
    case CF_START: return (slot % PQF_CHAIN) ? REF_PREV_END : REF_RGBASE;
    case CF_TUS: return REF_TCS;
    case CF_DPO: case CF_DICT: case CF_FO: return REF_START;
    case CF_NV: return REF_RGROWS;
    default: return REF_ZERO;
    }
}

PQF_INLINE unsigned pqf_rg_default_ref(unsigned field) {
    switch (field) {
    case RF_FO: return REF_RGBASE;
    case RF_ORD: return REF_INDEX;
    default: return REF_ZERO;
    }
}

/* Whether an entry of field (of slot, or of the row-group column) may name ref. */
PQF_INLINE int pqf_ref_allowed(unsigned field, unsigned ref, uint32_t slot, int is_rg) {
    if (is_rg) return ref == pqf_rg_default_ref(field);
    if (ref == pqf_chunk_default_ref(field, slot)) return 1;
    return field == CF_FO && (ref == REF_START || ref == REF_END || ref == REF_ZERO);
}

/* ------------------------------------------------------------ packed columns --- */

/* One packed column as the accessor reads it: the first bit of its
 * residuals, the fields that have an entry, the index of its first entry. */
typedef struct pqf_packed_col {
    uint64_t bitpos;
    uint32_t mask;
    uint32_t entry;
} pqf_packed_col;

/* A projected column's (mask, entry), shared by every column with the same
 * ones: columns with equal entries share them, so a wide footer has a few
 * hundred of these for thousands of columns. A column with no entry has
 * entry 0 here. */
typedef struct pqf_slot_shape {
    uint32_t mask, entry;
} pqf_slot_shape;

/* Entry meta: width in bits 0..6, reference in bits 8..11. */
#define EMETA(width, ref) ((uint16_t)((width) | ((ref) << 8)))
#define EMETA_WIDTH(m) ((unsigned)((m) & 0x7f))
#define EMETA_REF(m) ((unsigned)((m) >> 8))

/* ------------------------------------------------------------------ schema --- */

/* An element's narrow fields, shared by the elements that have the same
 * ones (a flat schema has a handful). An element with a value these cannot
 * hold, or with a rarer field (lengths, children, decimals, field ids,
 * logical-type parameters), has an extra record holding all of its fields;
 * its attr then holds only has. The public struct is filled on request. */
typedef struct pqf_se_attr {
    uint16_t has;            /* PQF_SE_* */
    uint8_t type, rep, conv; /* type, repetition, converted_type when there is no extra */
    uint8_t lkind;           /* logical type kind when there is no extra (parameters: extra) */
} pqf_se_attr;

/* All the fields of an element with an extra record. */
typedef struct pqf_se_extra {
    int32_t type, type_length, repetition, num_children, converted_type, scale, precision, field_id;
    pqf_logical_type lt; /* its crs is {NULL, 0} here: see crs_at */
    uint32_t crs_at;     /* 0: no crs; else 1 + its offset in the pool */
    uint32_t crs_len;
} pqf_se_extra;

/* The schema and its derived columns: immutable, reference-counted, shared
 * by footers whose schemas are equal (pqf_footer_share_schema). Elements are
 * kept as columns of narrow arrays (pqf_narrow_get), one per field; a field
 * that is 0 for every element (parent in a flat schema, extra) takes no
 * bytes. Leaf paths, depths and levels are derived when asked for. */
typedef struct pqf_schema_block {
    _Atomic uint32_t refs;
    uint32_t nschema, ncols, nslots, nextra, nattrs;
    uint32_t extra_n;        /* elements extra_of covers: no later one has an extra record (a
                              * flat schema's root, with its num_children, is often the only one) */
    uint32_t names_end;      /* pool offset just past the last name */
    uint8_t name_w, attr_w, parent_w, extra_w, slot_w; /* bytes per value of the arrays below */
    size_t bytes;            /* the whole block */
    _Atomic uint64_t hash;   /* 0 until first asked for (pqf_footer_schema_hash()): only
                              * datasets compare schemas, and hashing a wide one costs as much
                              * as decoding its chunks */
    pqf_allocator alc;
    const uint8_t *name_at;  /* element -> offset of its name in the pool; names follow each
                              * other in element order */
    const uint8_t *attr_of;  /* element -> its pqf_se_attr */
    const uint8_t *parent_of; /* element -> parent element (the root's: 0) */
    const uint8_t *extra_of; /* element (below extra_n) -> 0, or 1 + index of its pqf_se_extra */
    pqf_se_attr *attrs;
    pqf_se_extra *extra;
    uint32_t *col_elem;      /* leaf column -> its element (increasing); NULL when leaf c is
                              * element c + 1 (a flat schema): see pqf_col_elem */
    uint32_t *col_path;      /* pool offset of each leaf's dotted path; NULL when every leaf is
                              * top-level (its path is its name) */
    uint8_t *col_slot;       /* leaf column -> 1 + its slot, 0 if not projected, a narrow array
                              * of slot_w bytes each; NULL when every column is projected
                              * (slot = column) */
    const char *pool;
} pqf_schema_block;

/* Slot of leaf col (UINT32_MAX when not projected). */
PQF_INLINE uint32_t pqf_col_slot(const uint8_t *col_slot, unsigned slot_w, uint32_t col) {
    return col_slot ? (uint32_t)pqf_narrow_get(col_slot, slot_w, col) - 1u : col;
}

/* The element of leaf col (in range). */
PQF_INLINE uint32_t pqf_col_elem(const pqf_schema_block *sb, uint32_t col) {
    return sb->col_elem ? sb->col_elem[col] : col + 1;
}

/* Element i's parent (the root's: 0), attr and extra record (NULL if none). */
PQF_INLINE uint32_t pqf_se_parent(const pqf_schema_block *sb, uint32_t i) {
    return (uint32_t)pqf_narrow_get(sb->parent_of, sb->parent_w, i);
}
PQF_INLINE const pqf_se_attr *pqf_se_attr_of(const pqf_schema_block *sb, uint32_t i) {
    return &sb->attrs[pqf_narrow_get(sb->attr_of, sb->attr_w, i)];
}
PQF_INLINE const pqf_se_extra *pqf_se_extra_of(const pqf_schema_block *sb, uint32_t i) {
    uint32_t x = i < sb->extra_n ? (uint32_t)pqf_narrow_get(sb->extra_of, sb->extra_w, i) : 0;
    return x ? &sb->extra[x - 1] : NULL;
}

/* Fill the public views of element i / leaf col (both in range). */
void pqf_schema_fill(const pqf_schema_block *sb, uint32_t i, pqf_schema_element *out);
void pqf_column_fill(const pqf_schema_block *sb, uint32_t col, pqf_column *out);
/* Physical type of leaf col, -1 when its element has none. */
int32_t pqf_leaf_type(const pqf_schema_block *sb, uint32_t col);
/* The name of element i, pointing into the pool. */
PQF_INLINE pqf_str pqf_se_name(const pqf_schema_block *sb, uint32_t i) {
    uint32_t off = (uint32_t)pqf_narrow_get(sb->name_at, sb->name_w, i);
    uint32_t next = i + 1 < sb->nschema ? (uint32_t)pqf_narrow_get(sb->name_at, sb->name_w, i + 1) : sb->names_end;
    pqf_str s = {sb->pool + off, next - off - 1};
    return s;
}

struct pqf_footer {
    size_t bytes;            /* this block, header included (schema block apart) */
    pqf_allocator alc;
    pqf_schema_block *sb;
    /* copies of sb's pointer and counts, so the chunk accessor reads one struct */
    const uint8_t *col_slot; /* NULL: every column projected (see pqf_col_slot()) */
    uint32_t nschema, ncols, nslots;
    uint8_t slot_w;

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
    /* The projected columns' packed-column descriptors (pqf_slot_col): a
     * shape id per column, and where its bits start unless every column
     * takes the same bits per row group (one row group: all take 0). */
    uint32_t nshapes;
    uint8_t shape_w, wpos_w; /* bytes per value of shape_of and wpos */
    uint32_t slot_width;     /* wpos_w 0: the bits per row group of every column */
    pqf_slot_shape *shapes;
    const uint8_t *shape_of; /* slot -> its shape */
    const uint8_t *wpos;     /* slot -> bits per row group of the slots before it */
    uint64_t *ebase;
    uint16_t *emeta;
    const uint8_t *bits;
    struct pqf_stats_block *stats; /* kept statistics (stats.h), or NULL; freed with the footer */
    struct pqf_enc_table *enc; /* encodings lists (model_encodings.h), a block of its own */
};

/* Slot s's packed-column descriptor. Slots' bits come first, in slot order,
 * then the row-group column's. */
PQF_INLINE pqf_packed_col pqf_slot_col(const pqf_footer *F, uint32_t s) {
    const pqf_slot_shape *sh = &F->shapes[pqf_narrow_get(F->shape_of, F->shape_w, s)];
    uint64_t w = F->wpos_w ? pqf_narrow_get(F->wpos, F->wpos_w, s) : (uint64_t)s * F->slot_width;
    pqf_packed_col pc = {w * F->nrg, sh->mask, sh->entry};
    return pc;
}

/* Sizes of the compact slot tables for a footer's per-slot descriptors. */
typedef struct pqf_slot_layout {
    uint32_t nshapes, slot_width;
    uint8_t shape_w, wpos_w;
} pqf_slot_layout;

/* Shape ids for the per-slot descriptors cols (bit positions consistent with
 * nrg: each a multiple of it, growing), into ids (nslots of them, work
 * memory), and the layout they need; share: NULL, or for each slot the
 * earlier slot whose entries it shares (or itself). 0, or -1 on no memory. */
int pqf_slot_layout_plan(pqf_mem *mem, const pqf_packed_col *cols, const uint32_t *share, uint32_t nslots,
                         uint64_t nrg, uint32_t *ids, pqf_slot_layout *out);
/* Fill F's slot tables (laid out by pqf_data_block_alloc from the same layout). */
void pqf_slot_layout_fill(pqf_footer *F, const pqf_packed_col *cols, const uint32_t *ids);

/* Schema block from the decoder's schema, columns and projection. */
pqf_schema_block *pqf_schema_block_build(pqf_dec *d);
void pqf_schema_block_release(pqf_schema_block *sb);
void pqf_footer_attach_schema(pqf_footer *F, pqf_schema_block *sb);

/* Data block with room for the given counts; strings_size bytes of string pool
 * follow. Fields other than the pointers and counts are zero. */
pqf_footer *pqf_data_block_alloc(pqf_mem *mem, uint32_t nkv, uint32_t nfpaths, uint32_t nslots,
                                 const pqf_slot_layout *lay, uint32_t nentries, size_t nbits_bytes,
                                 size_t strings_size, char **pool);

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

/* Bit-position and reference consistency of per-slot descriptors cols, the
 * row-group column rg and the entries' meta; 0 if sound. */
int pqf_model_check_tables(const pqf_packed_col *cols, uint32_t nslots, const pqf_packed_col *rg,
                           const uint16_t *emeta, uint32_t nentries, uint64_t nrg, size_t nbits_bytes);

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
