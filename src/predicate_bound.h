/* A predicate's leaves bound to one footer's columns (predicate_bind.c),
 * as the evaluator (predicate_eval.c) uses them. */
#ifndef PQF_PREDICATE_BOUND_H
#define PQF_PREDICATE_BOUND_H

#include "predicate.h"

/* How a column's values are ordered for pruning. */
enum { DOM_NONE, DOM_INT, DOM_FLOAT, DOM_BYTES };
/* How its statistics bytes read. */
enum { ENC_NONE, ENC_LE_SIGNED, ENC_LE_UNSIGNED, ENC_BE_TWOS, ENC_BOOL, ENC_F32, ENC_F64, ENC_F16, ENC_RAW };
/* The four thresholds of a literal (see predicate_eval.c). */
enum { K_FLOOR_HI, K_FLOOR_LO, K_CEIL_HI, K_CEIL_LO };

typedef struct pqf_bound_lit {
    const uint8_t *k[4];
    size_t klen;
    uint8_t buf[4][PQF_KEY_BYTES];
    int exact;   /* the literal is a value of the column's domain */
    int approx;  /* thresholds only bracket it (floating point) */
    /* bloom: the PLAIN encoding of the value, when one exists */
    uint8_t plain[PQF_KEY_BYTES];
    const uint8_t *plain_ptr;
    size_t plain_len;
    int has_plain;  /* 0: no encoding known (probe nothing, keep the row group) */
    int never;      /* no column value can equal it */
    int also_neg_zero; /* probe -0.0 too */
} pqf_bound_lit;

typedef struct pqf_bound_leaf {
    const pqf_pred *node;
    long col;
    int dom, enc;
    int physical, sort;
    size_t width;   /* required statistics length, 0 = any from 1 to PQF_KEY_BYTES - 1 */
    int nullable, repeated, kept;
    long kept_index;    /* pqf_stats_kept_index(), -1 when not kept */
    int order;          /* pqf_column_order() */
    int writer_ok[2];   /* pqf_writer_stats_ok() when min != max, when min == max */
    pqf_bound_lit *lits;
} pqf_bound_leaf;

/* Fill b's column fields (everything but node and lits) from column col of f:
 * they depend on the footer only, so statistics summaries use them too. */
void pqf_pred_bind_column(const pqf_footer *f, size_t col, pqf_bound_leaf *b);

/* What one chunk's statistics say, in the leaf column's order. */
typedef struct pqf_chunk_view {
    int all_null;
    int nulls;          /* 0: none, 1: some or unknown */
    int bounds;         /* lo/hi valid */
    const uint8_t *lo, *hi;
    size_t lolen, hilen;
    uint8_t lobuf[PQF_KEY_BYTES], hibuf[PQF_KEY_BYTES];
    pqf_stats st;
} pqf_chunk_view;

/* The view of row group rg's chunk of b's column (predicate_eval.c). */
void pqf_pred_view_chunk(const pqf_footer *f, size_t rg, const pqf_bound_leaf *b, pqf_chunk_view *v);

/* Where bloom filters are read from (NULL: statistics only). */
typedef struct pqf_bloom_src {
    pqf_read_fn fn;
    void *ctx;
    uint64_t file_size;
} pqf_bloom_src;

/* Truth values of leaf b over row group rg, read cell by cell (the general
 * path), and whether rg's bloom filter rules out b's = / IN values. */
PQF_CHECK_RESULT pqf_code pqf_pred_leaf_tv(const pqf_footer *f, size_t rg, const pqf_bound_leaf *b,
                                           const pqf_bloom_src *src, unsigned *out, pqf_error *err);
PQF_CHECK_RESULT pqf_code pqf_pred_bloom_excludes(const pqf_bloom_src *src, const pqf_footer *f, size_t rg,
                                                  const pqf_bound_leaf *b, int *excluded, pqf_error *err);

/* An order key (48-byte integer key, or 8-byte floating-point key) as a
 * 64-bit key of the summaries: returns 0 and sets *out when it is one, -1 or
 * +1 when the integer lies below or above the 64-bit range (signed: value +
 * 2^63 over [-2^63, 2^63); unsigned: value over [0, 2^64)). */
int pqf_key_to_u64(const uint8_t *key, size_t klen, int is_signed, uint64_t *out);

/* Column-at-a-time evaluation over every row group of f from its statistics
 * summaries (predicate_columns.c); leaves bound to f. */
PQF_CHECK_RESULT pqf_code pqf_pred_eval_columns(const pqf_pred *p, const pqf_footer *f,
                                                const pqf_bound_leaf *leaves, const pqf_bloom_src *src,
                                                uint8_t *may_match, pqf_error *err);
/* The general path only, row group by row group (tests compare both paths). */
pqf_code pqf_pred_eval_rowwise(const pqf_pred *p, const pqf_footer *f, uint8_t *may_match, pqf_error *err);

/* Bind every leaf of p (in depth-first order) to f's columns; leaves has
 * room for pqf_pred_count_leaves(p) entries, lits for pqf_pred_count_lits(p). */
PQF_CHECK_RESULT pqf_code pqf_pred_bind(const pqf_pred *p, const pqf_footer *f, pqf_bound_leaf *leaves,
                                        pqf_bound_lit *lits, pqf_error *err);
size_t pqf_pred_count_leaves(const pqf_pred *p);
size_t pqf_pred_count_lits(const pqf_pred *p);

#endif
