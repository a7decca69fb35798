/*
 * Statistics kept for pruning: the block a footer holds when pqf_options names
 * statistics columns. Per (row group, kept column) cell, eleven numbers are
 * bit-packed, each as a residual from its column's smallest value (frame of
 * reference); the byte strings of a cell sit one after another in a pool.
 */
#ifndef PQF_STATS_H
#define PQF_STATS_H

#include "internal.h"

/* Packed fields of one cell. The four lengths follow the pool order:
 * min_value, max_value, min, max. */
enum { SF_HAS, SF_NV, SF_NULLS, SF_DISTINCT, SF_BF_OFF, SF_BF_LEN, SF_POOL,
       SF_LEN_MINV, SF_LEN_MAXV, SF_LEN_MIN, SF_LEN_MAX, SF_COUNT };

/* Internal has bits: the deprecated min (max) equals min_value (max_value)
 * and shares its pool bytes. Masked off before has reaches the caller. */
#define PQF_ST_MIN_SHARED (1u << 16)
#define PQF_ST_MAX_SHARED (1u << 17)
#define PQF_ST_PUBLIC_MASK 0xFFFFu

typedef struct pqf_stats_field {
    uint64_t base;   /* smallest value (as two's complement) */
    uint64_t bitpos; /* first bit of its residuals, one per row group */
    uint32_t width;  /* bits per residual */
} pqf_stats_field;

/* Per kept column, what pruning needs of each row group, worked out once when
 * the block is built or loaded (predicate_summary.c) so that evaluation is a
 * tight loop over arrays: flags, and the bounds as 64-bit order keys when the
 * column's order maps onto them (integers up to 64 bits, floating point). */
enum { PQF_SUM_NULLS = 1,    /* some nulls, or the count is unknown */
       PQF_SUM_ALL_NULL = 2, /* every value is null */
       PQF_SUM_BOUNDS = 4,   /* lo/hi usable */
       PQF_SUM_EMPTY = 8 };  /* the row group has no rows */
typedef struct pqf_stats_summary {
    const uint64_t *lo, *hi; /* nrg order keys (valid where PQF_SUM_BOUNDS) */
    const uint8_t *flags;    /* nrg PQF_SUM_* */
    int keyed;               /* lo/hi hold every bounded row group's keys */
    int is_signed;           /* integer keys are value + 2^63 (else the value) */
} pqf_stats_summary;

struct pqf_stats_block {
    size_t bytes;            /* the whole block */
    uint32_t nsc;            /* kept columns */
    uint64_t nrg;
    const uint32_t *leaves;  /* nsc leaf indexes, ascending */
    const uint8_t *orders;   /* nsc PQF_ORDER_* */
    const pqf_stats_field *fields; /* nsc * SF_COUNT */
    const uint8_t *bits;     /* residuals, 16 bytes of zero padding after them */
    const char *pool;
    size_t nbits_bytes;      /* bits, padding included */
    size_t pool_bytes;
    pqf_stats_summary *sum;  /* nsc summaries, filled by pqf_stats_summarize */
};

/* One cell while walking: numbers, and strings pointing into the footer. */
typedef struct pqf_stats_rec {
    uint32_t has;
    int64_t num[SF_POOL + 1]; /* SF_NV .. SF_POOL; num[SF_HAS] unused */
    const uint8_t *s[4];  /* min_value, max_value, min, max */
    uint32_t n[4];
} pqf_stats_rec;

/* 1 when opt names statistics columns. */
int pqf_stats_wanted(const pqf_options *opt);
/* The second walk over the footer (d is positioned anywhere; F is built):
 * collect the named columns' statistics into a block attached to F. */
PQF_CHECK_RESULT int pqf_stats_extract(pqf_dec *d, pqf_footer *F);

/* Skip one value of compact type t as pqf_skip() does, faster on plain
 * bytes (stats_skip.c). */
PQF_CHECK_RESULT int pqf_stats_skip(pqf_cur *c, unsigned t);

/* Kept index of leaf col, or -1; and one cell's statistics by kept index
 * (rg in range), the distinct count and bloom location only with_bloom. */
long pqf_stats_kept_index(const pqf_footer *F, size_t col);
void pqf_stats_read(const pqf_footer *F, uint64_t rg, size_t k, int with_bloom, pqf_stats *out);
/* Field f of kept column k in row group rg. */
uint64_t pqf_stats_cell(const struct pqf_stats_block *B, size_t k, uint64_t rg, unsigned f);
/* A zeroed block laid out for these counts, from mem; NULL on failure.
 * one_key[k] (NULL: none) gives kept column k one key array, shared by its
 * summary's lo and hi. */
struct pqf_stats_block *pqf_stats_block_alloc(pqf_mem *mem, uint32_t nsc, uint64_t nrg, size_t nbits_bytes,
                                              size_t pool_bytes, const uint8_t *one_key);
/* Fill the summaries of F->stats (F complete). Columns whose row groups all
 * have equal bounds (one-row row groups) then move, with the rest of the
 * block, to a copy from mem that keeps one key array for them. */
void pqf_stats_summarize(pqf_mem *mem, pqf_footer *F);
/* Pack the walked cells (nrg * nsc, row-major) into a block attached to F. */
PQF_CHECK_RESULT int pqf_stats_pack(pqf_dec *d, pqf_footer *F, const uint32_t *leaves, const uint8_t *orders,
                                    uint32_t nsc, pqf_stats_rec *recs);

/* Saving with the compact model (model_serialize.c): the block after a
 * "PQFS" mark, written through put; and loading it back from untrusted bytes
 * at the cursor, every offset and width checked, attached to F. */
void pqf_stats_save(const pqf_footer *F, void (*put)(void *ctx, const void *p, size_t n), void *ctx);
PQF_CHECK_RESULT int pqf_stats_load(pqf_cur *c, pqf_mem *mem, pqf_footer *F);

#endif
