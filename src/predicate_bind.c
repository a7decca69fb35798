/* Binding a predicate to one footer: its columns, their order, and each
 * literal converted into that order (with clear errors for wrong kinds). */
#include <stdio.h>
#include <stdlib.h>

#include "predicate_bound.h"
#include "stats.h"
#include "stats_writer.h"

size_t pqf_pred_count_leaves(const pqf_pred *p) {
    if (p->kind <= PN_ISNULL) return 1;
    size_t n = 0;
    for (uint32_t i = 0; i < p->nkids; i++) n += pqf_pred_count_leaves(p->kids[i]);
    return n;
}

size_t pqf_pred_count_lits(const pqf_pred *p) {
    if (p->kind <= PN_ISNULL) return p->nlits;
    size_t n = 0;
    for (uint32_t i = 0; i < p->nkids; i++) n += pqf_pred_count_lits(p->kids[i]);
    return n;
}

static pqf_code bind_fail(pqf_error *err, pqf_code code, const char *msg, uint32_t pos, const char *what) {
    pqf_error_set(err, code, msg, pos);
    snprintf(err->path, sizeof err->path, "%s", what);
    return code;
}

typedef struct col_kind {
    int is_decimal, is_date, is_ts, is_f16;
    int32_t scale;
    int ts_digits; /* 3, 6 or 9 */
} col_kind;

static col_kind classify(const pqf_schema_element *e) {
    col_kind k = {0, 0, 0, 0, 0, 0};
    const pqf_logical_type *lt = &e->logical;
    int has_lt = (e->has & PQF_SE_LOGICAL_TYPE) && lt->kind != PQF_LT_NONE;
    int ct = (e->has & PQF_SE_CONVERTED_TYPE) ? e->converted_type : -1;
    if (has_lt ? lt->kind == PQF_LT_DECIMAL : ct == PQF_CT_DECIMAL) {
        k.is_decimal = 1;
        k.scale = has_lt ? lt->scale : ((e->has & PQF_SE_SCALE) ? e->scale : 0);
    }
    k.is_date = has_lt ? lt->kind == PQF_LT_DATE : ct == PQF_CT_DATE;
    if (has_lt ? lt->kind == PQF_LT_TIMESTAMP : (ct == PQF_CT_TIMESTAMP_MILLIS || ct == PQF_CT_TIMESTAMP_MICROS)) {
        int unit = has_lt ? lt->unit : (ct == PQF_CT_TIMESTAMP_MILLIS ? PQF_UNIT_MILLIS : PQF_UNIT_MICROS);
        k.ts_digits = unit == PQF_UNIT_MILLIS ? 3 : unit == PQF_UNIT_MICROS ? 6 : unit == PQF_UNIT_NANOS ? 9 : 0;
        k.is_ts = k.ts_digits != 0;
    }
    k.is_f16 = has_lt && lt->kind == PQF_LT_FLOAT16;
    return k;
}

/* Domain and statistics encoding of leaf b's column. */
static void pick_domain(pqf_bound_leaf *b, const pqf_schema_element *e, const col_kind *k) {
    b->dom = DOM_NONE;
    b->enc = ENC_NONE;
    switch (b->physical) {
    case PQF_TYPE_BOOLEAN: b->dom = DOM_INT; b->enc = ENC_BOOL; b->width = 1; break;
    case PQF_TYPE_INT32:
    case PQF_TYPE_INT64:
        b->dom = DOM_INT;
        b->enc = b->sort == PQF_SORT_UNSIGNED ? ENC_LE_UNSIGNED : ENC_LE_SIGNED;
        b->width = b->physical == PQF_TYPE_INT32 ? 4 : 8;
        break;
    case PQF_TYPE_FLOAT: b->dom = DOM_FLOAT; b->enc = ENC_F32; b->width = 4; break;
    case PQF_TYPE_DOUBLE: b->dom = DOM_FLOAT; b->enc = ENC_F64; b->width = 8; break;
    case PQF_TYPE_BYTE_ARRAY:
    case PQF_TYPE_FIXED_LEN_BYTE_ARRAY: {
        int fixed = b->physical == PQF_TYPE_FIXED_LEN_BYTE_ARRAY;
        int32_t tl = (e->has & PQF_SE_TYPE_LENGTH) ? e->type_length : -1;
        if (k->is_decimal) {
            if (!fixed || (tl > 0 && tl < PQF_KEY_BYTES)) {
                b->dom = DOM_INT;
                b->enc = ENC_BE_TWOS;
                b->width = fixed ? (size_t)tl : 0;
            }
        } else if (k->is_f16) {
            if (fixed && tl == 2) {
                b->dom = DOM_FLOAT;
                b->enc = ENC_F16;
                b->width = 2;
            }
        } else {
            b->dom = DOM_BYTES;
            b->enc = ENC_RAW;
            b->width = fixed && tl > 0 ? (size_t)tl : 0;
        }
        break;
    }
    default: break; /* INT96 and typeless leaves: never pruned */
    }
    if (b->sort == PQF_SORT_UNKNOWN) b->dom = DOM_NONE;
}

/* Whether a literal's kind suits the column; the message when it does not. */
static const char *kind_error(const pqf_bound_leaf *b, const col_kind *k, int kind) {
    if (b->physical == PQF_TYPE_INT96 || b->physical < 0) return NULL; /* never pruned, any literal */
    int bytes = (b->physical == PQF_TYPE_BYTE_ARRAY || b->physical == PQF_TYPE_FIXED_LEN_BYTE_ARRAY) && !k->is_decimal &&
                !k->is_f16;
    if (bytes) return kind == PQF_VAL_STRING ? NULL : "a string column needs a quoted string literal";
    if (k->is_date) {
        return (kind == PQF_VAL_STRING || kind == PQF_VAL_DATE) ? NULL : "a DATE column needs 'YYYY-MM-DD'";
    }
    if (k->is_ts) {
        return kind == PQF_VAL_NUMBER ? "a TIMESTAMP column needs 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]'" : NULL;
    }
    return kind == PQF_VAL_NUMBER ? NULL : "a numeric column needs a number literal";
}

/* key +/- 1 over n bytes (saturating): the neighbours of a double's key. */
static void key_step(uint8_t *key, size_t n, int up) {
    for (size_t i = n; i-- > 0;) {
        if (up ? key[i] != 0xFF : key[i] != 0x00) {
            key[i] = (uint8_t)(key[i] + (up ? 1 : -1));
            for (size_t j = i + 1; j < n; j++) key[j] = up ? 0x00 : 0xFF;
            return;
        }
    }
}

/* Does the key (an integer) fit n bytes, signed or not? Then write its PLAIN form. */
static int key_to_int(const uint8_t *key, size_t n, int is_signed, int le, uint8_t *out) {
    uint8_t v[PQF_KEY_BYTES];
    memcpy(v, key, PQF_KEY_BYTES);
    v[0] ^= 0x80;
    int neg = v[0] >> 7;
    if (neg && !is_signed) return 0;
    uint8_t fill = neg ? 0xFF : 0x00;
    for (size_t i = 0; i + n < PQF_KEY_BYTES; i++) {
        if (v[i] != fill) return 0;
    }
    if (is_signed && ((v[PQF_KEY_BYTES - n] >> 7) != neg)) return 0;
    for (size_t i = 0; i < n; i++) out[i] = le ? v[PQF_KEY_BYTES - 1 - i] : v[PQF_KEY_BYTES - n + i];
    return 1;
}

static void bind_int_lit(pqf_bound_leaf *b, pqf_bound_lit *L, const char *txt, size_t len, int32_t scale) {
    pqf_num_to_keys(txt, len, scale, L->buf[K_FLOOR_HI], L->buf[K_CEIL_HI], &L->exact);
    L->k[K_FLOOR_HI] = L->k[K_FLOOR_LO] = L->buf[K_FLOOR_HI];
    L->k[K_CEIL_HI] = L->k[K_CEIL_LO] = L->buf[K_CEIL_HI];
    L->klen = PQF_KEY_BYTES;
    if (!L->exact) {
        L->never = 1;
        return;
    }
    if (b->enc == ENC_LE_SIGNED || b->enc == ENC_LE_UNSIGNED) {
        L->plain_len = b->width;
        L->never = !key_to_int(L->k[K_FLOOR_HI], b->width, b->enc == ENC_LE_SIGNED, 1, L->plain);
        L->has_plain = !L->never;
    } else if (b->enc == ENC_BE_TWOS && b->width) {
        L->plain_len = b->width;
        L->never = !key_to_int(L->k[K_FLOOR_HI], b->width, 1, 0, L->plain);
        L->has_plain = !L->never;
    }
    L->plain_ptr = L->plain;
}

static void bind_float_lit(pqf_bound_leaf *b, pqf_bound_lit *L, const char *txt, size_t len) {
    double d = strtod(txt, NULL);
    pqf_double_key(d, L->buf[K_FLOOR_HI]);
    for (int j = 1; j < 4; j++) memcpy(L->buf[j], L->buf[K_FLOOR_HI], 8);
    /* A literal the nearest double is not exactly equal to is only bracketed
     * by it and its neighbours. */
    int exact = pqf_double_exact(txt, len, d);
    if (b->enc == ENC_F32) exact &= (double)(float)d == d;
    if (b->enc == ENC_F16) exact &= pqf_half_exact(d);
    if (!exact) {
        key_step(L->buf[K_FLOOR_LO], 8, 0);
        key_step(L->buf[K_CEIL_HI], 8, 1);
    }
    for (int j = 0; j < 4; j++) L->k[j] = L->buf[j];
    L->klen = 8;
    L->exact = 1;
    L->approx = !exact;
    L->plain_ptr = L->plain;
    if (b->enc == ENC_F64) {
        memcpy(L->plain, &d, 8);
        L->plain_len = 8;
        L->has_plain = 1;
    } else if (b->enc == ENC_F32) {
        float f = (float)d;
        if ((double)f != d) {
            L->never = 1;
            return;
        }
        memcpy(L->plain, &f, 4);
        L->plain_len = 4;
        L->has_plain = 1;
    }
#if PQF_BIG_ENDIAN
    for (size_t i = 0; i < L->plain_len / 2; i++) {
        uint8_t t = L->plain[i];
        L->plain[i] = L->plain[L->plain_len - 1 - i];
        L->plain[L->plain_len - 1 - i] = t;
    }
#endif
    L->also_neg_zero = d == 0;
}

void pqf_pred_bind_column(const pqf_footer *f, size_t col, pqf_bound_leaf *b) {
    pqf_column cv;
    pqf_schema_element ev;
    b->col = (long)col;
    b->dom = DOM_NONE;
    b->enc = ENC_NONE;
    b->physical = -1;
    b->sort = PQF_SORT_UNKNOWN;
    if (pqf_column_get(f, col, &cv) != PQF_OK || pqf_schema_get(f, cv.schema_index, &ev) != PQF_OK)
        return; /* no such leaf: an unusable binding that never prunes */
    const pqf_column *c = &cv;
    const pqf_schema_element *e = &ev;
    b->physical = c->type;
    /* col is in range (pqf_column_get() succeeded), so these cannot fail. */
    (void)pqf_column_sort_order(f, col, &b->sort);
    b->nullable = c->max_def > 0;
    b->repeated = c->max_rep > 0;
    (void)pqf_column_has_stats(f, col, &b->kept);
    b->kept_index = pqf_stats_kept_index(f, col);
    (void)pqf_column_order(f, col, &b->order);
    for (int eq = 0; eq < 2; eq++)
        b->writer_ok[eq] = pqf_writer_stats_ok(pqf_footer_created_by(f), b->physical, b->sort, eq);
    col_kind k = classify(e);
    pick_domain(b, e, &k);
}

static pqf_code bind_leaf(const pqf_pred *p, const pqf_footer *f, pqf_bound_leaf *b, pqf_bound_lit *lits,
                          pqf_error *err) {
    memset(b, 0, sizeof *b);
    b->node = p;
    b->lits = lits;
    size_t found;
    if (pqf_column_find(f, p->column, &found) != PQF_OK)
        return bind_fail(err, PQF_ERR_NO_COLUMN, "unknown column", p->col_pos, p->column);
    b->col = (long)found;
    pqf_column cv;
    pqf_schema_element ev;
    if (pqf_column_get(f, (size_t)b->col, &cv) != PQF_OK || pqf_schema_get(f, cv.schema_index, &ev) != PQF_OK)
        return bind_fail(err, PQF_ERR_NO_COLUMN, "unknown column", p->col_pos, p->column);
    pqf_pred_bind_column(f, (size_t)b->col, b);
    col_kind k = classify(&ev);
    for (uint32_t i = 0; i < p->nlits; i++) {
        const pqf_pred_lit *lit = &p->lits[i];
        pqf_bound_lit *L = &lits[i];
        memset(L, 0, sizeof *L);
        const char *why = kind_error(b, &k, lit->kind);
        if (why) return bind_fail(err, PQF_ERR_INVALID_ARG, why, lit->pos, p->column);
        if (lit->kind == PQF_VAL_TIMESTAMP && !k.is_ts)
            return bind_fail(err, PQF_ERR_INVALID_ARG, "a TIMESTAMP literal needs a TIMESTAMP column", lit->pos,
                             p->column);
        if (b->physical == PQF_TYPE_INT96 || b->physical < 0) continue;
        if (k.is_date) {
            int64_t days;
            char buf[32];
            if (pqf_parse_date(lit->ptr, lit->len, &days))
                return bind_fail(err, PQF_ERR_INVALID_ARG, "malformed date (YYYY-MM-DD)", lit->pos, p->column);
            int w = snprintf(buf, sizeof buf, "%lld", (long long)days);
            if (b->dom == DOM_INT) bind_int_lit(b, L, buf, (size_t)w, 0);
        } else if (k.is_ts) {
            char buf[64];
            size_t w = pqf_timestamp_seconds(lit->ptr, lit->len, buf, sizeof buf);
            if (!w || (lit->kind == PQF_VAL_DATE && lit->len != 10))
                return bind_fail(err, PQF_ERR_INVALID_ARG, "malformed timestamp (YYYY-MM-DD[ HH:MM:SS[.ffffff]])",
                                 lit->pos, p->column);
            if (b->dom == DOM_INT) bind_int_lit(b, L, buf, w, k.ts_digits);
        } else if (b->dom == DOM_INT) {
            bind_int_lit(b, L, lit->ptr, lit->len, k.is_decimal ? k.scale : 0);
        } else if (b->dom == DOM_FLOAT) {
            bind_float_lit(b, L, lit->ptr, lit->len);
        } else if (b->dom == DOM_BYTES) {
            for (int j = 0; j < 4; j++) L->k[j] = (const uint8_t *)lit->ptr;
            L->klen = lit->len;
            L->exact = 1;
            L->plain_ptr = (const uint8_t *)lit->ptr;
            L->plain_len = lit->len;
            L->never = b->width && lit->len != b->width;
            L->has_plain = !L->never;
        }
    }
    return PQF_OK;
}

static pqf_code bind_walk(const pqf_pred *p, const pqf_footer *f, pqf_bound_leaf **leaf, pqf_bound_lit **lit,
                          pqf_error *err) {
    if (p->kind <= PN_ISNULL) {
        pqf_code rc = bind_leaf(p, f, *leaf, *lit, err);
        (*leaf)++;
        *lit += p->nlits;
        return rc;
    }
    for (uint32_t i = 0; i < p->nkids; i++) {
        pqf_code rc = bind_walk(p->kids[i], f, leaf, lit, err);
        if (rc) return rc;
    }
    return PQF_OK;
}

pqf_code pqf_pred_bind(const pqf_pred *p, const pqf_footer *f, pqf_bound_leaf *leaves, pqf_bound_lit *lits,
                       pqf_error *err) {
    return bind_walk(p, f, &leaves, &lits, err);
}
