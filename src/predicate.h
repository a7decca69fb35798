/*
 * Predicates for row-group pruning: the tree (built or parsed), literal
 * conversion into a column's order (predicate_num.c), and evaluation over
 * kept statistics with three-valued logic (predicate_eval.c).
 */
#ifndef PQF_PREDICATE_H
#define PQF_PREDICATE_H

#include "internal.h"

enum { PN_CMP, PN_IN, PN_ISNULL, PN_AND, PN_OR, PN_NOT };

typedef struct pqf_pred_lit {
    int kind;      /* PQF_VAL_* */
    const char *ptr;
    size_t len;
    uint32_t pos;  /* where it starts in the parsed text (0 when built) */
} pqf_pred_lit;

struct pqf_pred {
    pqf_allocator alc;
    size_t bytes;        /* this node's block */
    uint8_t kind;        /* PN_* */
    uint8_t op;          /* PN_CMP: PQF_OP_* */
    uint8_t negated;     /* PN_ISNULL: IS NOT NULL */
    uint16_t depth;      /* 1 for a leaf */
    uint32_t col_pos;    /* column position in the parsed text */
    const char *column;  /* leaves */
    pqf_pred_lit *lits;  /* PN_CMP: 1, PN_IN: nlits */
    uint32_t nlits;
    pqf_pred **kids;     /* PN_AND / PN_OR: nkids (>= 2); PN_NOT: 1 */
    uint32_t nkids, kids_cap;
};

/* A leaf node: column and literals copied into its own block. */
pqf_pred *pqf_pred_leaf(const pqf_allocator *alc, int kind, const char *column, size_t column_len,
                        const pqf_pred_lit *lits, size_t nlits);

/* Truth values a predicate may take over a row group's rows (bit set). */
enum { PQF_TV_TRUE = 1, PQF_TV_FALSE = 2, PQF_TV_NULL = 4, PQF_TV_ANY = 7 };
unsigned pqf_tv_and(unsigned a, unsigned b);
unsigned pqf_tv_or(unsigned a, unsigned b);
unsigned pqf_tv_not(unsigned a);

/* ---- literals in a column's order (predicate_num.c) ---- */

/* Keys: big-endian two's complement integers of PQF_KEY_BYTES bytes with the
 * sign bit flipped, so memcmp orders them; doubles map to 8-byte keys. */
#define PQF_KEY_BYTES 48

/* floor and ceil (as keys) of the decimal number text times 10^scale; *exact
 * when the product is an integer. Numbers beyond the key range saturate to the
 * smallest or largest key, which no column value reaches. */
void pqf_num_to_keys(const char *txt, size_t len, int32_t scale, uint8_t *floor_key, uint8_t *ceil_key,
                     int *exact);
/* 1 when txt is a number the grammar accepts ([-+]digits[.digits][e[-+]digits]). */
int pqf_num_valid(const char *txt, size_t len);
/* Days since 1970-01-01 of "YYYY-MM-DD"; 0 on success, -1 if malformed. */
int pqf_parse_date(const char *txt, size_t len, int64_t *days);
/* "YYYY-MM-DD[ HH:MM:SS[.fffffffff]]" as decimal seconds text in out (cap
 * bytes); returns its length, or 0 if malformed. */
size_t pqf_timestamp_seconds(const char *txt, size_t len, char *out, size_t cap);
/* Key of an integer held in n bytes: little-endian (le) or big-endian,
 * signed or not. n must be below PQF_KEY_BYTES. */
void pqf_int_key(const uint8_t *p, size_t n, int le, int is_signed, uint8_t *key);
/* 1 when the double d is exactly the value of the number text. */
int pqf_double_exact(const char *txt, size_t len, double d);
/* IEEE half (FLOAT16 bits) to double, exactly; whether d is a half value. */
double pqf_half_to_double(uint16_t h);
int pqf_half_exact(double d);
/* 8-byte order key of a double (-0.0 keyed as +0.0); the caller rejects NaN. */
void pqf_double_key(double v, uint8_t *key);

#endif
