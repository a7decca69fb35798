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

/* Bind every leaf of p (in depth-first order) to f's columns; leaves has
 * room for pqf_pred_count_leaves(p) entries, lits for pqf_pred_count_lits(p). */
PQF_CHECK_RESULT pqf_code pqf_pred_bind(const pqf_pred *p, const pqf_footer *f, pqf_bound_leaf *leaves,
                                        pqf_bound_lit *lits, pqf_error *err);
size_t pqf_pred_count_leaves(const pqf_pred *p);
size_t pqf_pred_count_lits(const pqf_pred *p);

#endif
