/*
 * ColumnMetaData.encodings, kept compactly. A footer repeats a handful of
 * distinct encodings lists over and over (almost always one per column), so
 * the model keeps one pool of distinct lists and, per stored chunk, the
 * index of its list, bit-packed per column with a base and a width like the
 * other packed fields: a column whose list never changes takes no bits.
 * Index 0 means "no list" (a chunk without ColumnMetaData).
 *
 * While decoding, the ColumnMetaData decoder interns each chunk's list into the work pool
 * and records its index in pqf_chunk_rec.enc; templates treat the list's
 * bytes as structure, so a chunk that hits a template has its template's
 * list and index (template.c, pqf_tmpl.enc).
 *
 * The same table keeps FileMetaData.column_orders (one byte per entry), the
 * other list a slice needs that pqfoot did not keep before.
 */
#ifndef PQF_MODEL_ENCODINGS_H
#define PQF_MODEL_ENCODINGS_H

#include "internal.h"

/* Most distinct lists and values a footer may hold (each takes footer bytes
 * anyway; this bounds the model against pathological inputs). */
#define PQF_ENC_MAX_LISTS (1u << 24)

typedef struct pqf_enc_col {
    uint64_t bitpos; /* first bit of this column's indexes */
    uint32_t base;   /* index = base + the packed bits */
    uint32_t width;
} pqf_enc_col;

/* The kept encodings: one allocation, owned by the footer. */
typedef struct pqf_enc_table {
    size_t bytes;
    uint32_t nlists, nvals, nslots;
    uint64_t nrg;
    const uint32_t *off;    /* nlists + 1: list i is vals[off[i], off[i+1]) */
    const int32_t *vals;
    const pqf_enc_col *cols; /* nslots; NULL when every column keeps one list in every row
                              * group (wide footers, one row group): then ids holds them */
    const uint8_t *ids;     /* with cols NULL: slot s's list id is idw bits at bit s * idw */
    unsigned idw;
    const uint8_t *bits;    /* nbits_bytes, 16 of them padding */
    size_t nbits_bytes;
    uint32_t norders;       /* column_orders entries (0 when absent) */
    const uint8_t *orders;  /* per entry: 1 TYPE_ORDER, 0 no member this version knows */
} pqf_enc_table;

/* Work state of one decode (in the work arena). */
typedef struct pqf_enc_work pqf_enc_work;

/* Read the encodings list at the cursor (the field header is read) for leaf
 * col, as Thrift reads a list<i32>, and intern it: *id is 1 + its pool index. */
PQF_CHECK_RESULT int pqf_enc_decode(pqf_dec *d, uint32_t col, uint32_t *id);
/* FileMetaData.column_orders at the cursor (field header read), read as
 * Thrift reads list<ColumnOrder>, kept per entry. */
PQF_CHECK_RESULT int pqf_orders_decode(pqf_dec *d);
/* A chunk of stored slot got list id without pqf_enc_decode() (a template
 * another column recorded): note a list that differs from the slot's first. */
void pqf_enc_note(pqf_dec *d, uint32_t slot, uint32_t id);
/* Some chunk may have a list other than its slot's first without either
 * call above having seen it: compare every row from now on. */
void pqf_enc_dirty(pqf_dec *d);
/* Per slot, its first list id, once row group 0 set them (else NULL): what
 * pqf_enc_note() compares with, for a loop that notes without calls. */
const uint32_t *pqf_enc_firsts(const pqf_dec *d);
/* Before the row groups: the work state and its per-column arrays. */
PQF_CHECK_RESULT int pqf_enc_begin(pqf_dec *d);
/* After row group rg is decoded (pqf_enc_begin() before the first): keep
 * each stored chunk's list index. */
PQF_CHECK_RESULT int pqf_enc_observe_row(pqf_dec *d, uint64_t rg);
/* Build the table from the work state and give it to F (F->enc). */
PQF_CHECK_RESULT int pqf_enc_attach(pqf_dec *d, pqf_footer *F);
/* Chunk (rg, slot)'s list; *n = 0 and NULL when it has none. */
const int32_t *pqf_enc_get(const pqf_enc_table *T, uint64_t rg, uint32_t slot, uint32_t *n);
void pqf_enc_free(const pqf_allocator *alc, pqf_enc_table *T);

/* Saving and loading the table (model_serialize.c's format). */
void pqf_enc_serialize(const pqf_enc_table *T, void (*put)(void *w, const void *p, size_t n), void *w);
/* Reads the table of a footer with nslots slots and nrg row groups from the
 * decoder's cursor; NULL with the decoder's error set on failure. */
pqf_enc_table *pqf_enc_load(pqf_cur *c, pqf_mem *mem, uint32_t nslots, uint64_t nrg);

#endif
