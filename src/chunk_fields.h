/*
 * The field tables of ColumnChunk and ColumnMetaData: one declaration per
 * IDL field says how the field is read and kept. The decoder
 * (decode_row_groups.c), the template recorder (template.c), the shaped
 * skipper (skip.c) and the tests read these tables, so keeping one more
 * field starts with one more line here (see src/README.md's checklist).
 */
#ifndef PQF_CHUNK_FIELDS_H
#define PQF_CHUNK_FIELDS_H

#include "internal.h"

/* How a field is read and kept. */
enum {
    PQF_FK_SKIP,      /* not kept: skipped by its declared shape */
    PQF_FK_VALUE,     /* a non-negative integer kept in a record's int64 slot; a value in templates */
    PQF_FK_LAYOUT,    /* an i32 kept in the chunk record, constant for a layout (structure in templates) */
    PQF_FK_FILE_PATH, /* ColumnChunk.file_path: interned, structure */
    PQF_FK_META,      /* ColumnChunk.meta_data: the ColumnMetaData table */
    PQF_FK_CRYPTO,    /* ColumnChunk.crypto_metadata: skipped, its presence kept */
    PQF_FK_ENCODINGS, /* ColumnMetaData.encodings: interned list, structure */
    PQF_FK_PATH,      /* ColumnMetaData.path_in_schema: checked against the schema */
};

/* What a decode must keep for a field to be read (pqf_field.needs). */
enum {
    PQF_FN_PROJECTED = 1u << 0,  /* the chunk's column is projected */
    PQF_FN_PAGE_INDEX = 1u << 1, /* PQF_KEEP_PAGE_INDEX, and a record for it */
    PQF_FN_BLOOM = 1u << 2,      /* PQF_KEEP_BLOOM, and a record for it */
};

/* An int64 slot of the chunk record, or of the ext record (PQF_SLOT_EXT_BIT):
 * the same numbering templates use for their values (pqf_tmpl_val.dst). */
#define PQF_SLOT_EXT_BIT 16
#define PQF_SLOT_REC(m) (uint8_t)(offsetof(pqf_chunk_rec, m) / 8)
#define PQF_SLOT_EXT(m) (uint8_t)(PQF_SLOT_EXT_BIT + offsetof(pqf_chunk_ext_rec, m) / 8)

PQF_INLINE int64_t *pqf_slot_ptr(pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext, unsigned slot) {
    return slot & PQF_SLOT_EXT_BIT ? (int64_t *)(void *)ext + (slot & (PQF_SLOT_EXT_BIT - 1))
                                   : (int64_t *)(void *)rec + slot;
}

typedef struct pqf_field {
    const char *name; /* IDL name (error paths); NULL for an id the IDL does not use */
    uint8_t kind;     /* PQF_FK_* */
    uint8_t ct;       /* wire type it is kept with (CT_*); another type is skipped */
    uint8_t needs;    /* PQF_FN_*: when it is kept */
    uint8_t required; /* a struct without it is refused */
    uint8_t slot;     /* VALUE: int64 slot; LAYOUT: byte offset in pqf_chunk_rec */
    uint8_t maxlen;   /* VALUE, LAYOUT: varint bytes at most (5 for i32, 10 for i64) */
    uint8_t shape;    /* PQF_SHAPE_* it is skipped by when not kept */
    uint8_t model;    /* CF_* slot of the model that keeps it; CF_COUNT: none */
    uint32_t has;     /* PQF_CH_* bit a chunk gets when the field is read; 0: none */
    const char *json; /* its key in the JSON dump (docs/dump-json.md); NULL: none */
    uint16_t pub;     /* VALUE, LAYOUT: offset of its pqf_chunk member */
    uint8_t pub_size; /* and that member's size (4 or 8) */
} pqf_field;

typedef struct pqf_field_table {
    const char *name;       /* the struct */
    const char *missing;    /* the message when a required field is absent */
    const pqf_field *field; /* indexed by field id: field[0] unused */
    uint8_t n;              /* ids 1..n-1 are declared */
} pqf_field_table;

extern const pqf_field_table pqf_chunk_table; /* ColumnChunk */
extern const pqf_field_table pqf_meta_table;  /* ColumnMetaData */

/* Field fid of the table read with wire type t, when keep (PQF_FN_*) says it
 * is kept; NULL when it is skipped. Decoder and recorder decide alike here. */
PQF_INLINE const pqf_field *pqf_field_kept(const pqf_field_table *tab, int16_t fid, unsigned t, unsigned keep) {
    if (fid <= 0 || fid >= tab->n) return NULL;
    const pqf_field *f = &tab->field[fid];
    if (f->kind == PQF_FK_SKIP || f->ct != t || (f->needs & ~keep)) return NULL;
    return f;
}

/* What a chunk's fields keep (PQF_FN_*): projected, the decode's options
 * and a record for them (d->ext) permitting. */
PQF_INLINE unsigned pqf_chunk_keep(const pqf_dec *d, int projected) {
    if (!projected) return 0;
    unsigned keep = PQF_FN_PROJECTED;
    if (d->ext && (d->flags & PQF_KEEP_PAGE_INDEX)) keep |= PQF_FN_PAGE_INDEX;
    if (d->ext && (d->flags & PQF_KEEP_BLOOM)) keep |= PQF_FN_BLOOM;
    return keep;
}

/* The shape a skipped field fid is read by (PQF_SHAPE_ANY past the table). */
PQF_INLINE unsigned pqf_field_shape(const pqf_field_table *tab, int16_t fid) {
    return fid > 0 && fid < tab->n ? tab->field[fid].shape : PQF_SHAPE_ANY;
}

/* Its IDL name, NULL if it has none. */
PQF_INLINE const char *pqf_field_name(const pqf_field_table *tab, int16_t fid) {
    return fid > 0 && fid < tab->n ? tab->field[fid].name : NULL;
}

#endif
