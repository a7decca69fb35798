/*
 * Predicates: the parser (syntax, positions, nesting bound), the kept
 * statistics (round trip, memory cap), and the evaluator -- hand-built footers
 * whose statistics come from generated values, checked against a brute-force
 * three-valued evaluation of the same predicate over those values: a row group
 * with a matching row must never be pruned, and row groups must get pruned.
 */
#include <math.h>

#include "check_support.h"
#include "getters.h"
#include "footer_builder.h"

/* ------------------------------------------------------------- parser --- */

static void expect_syntax(const char *text, pqf_code code, uint64_t pos) {
    pqf_error err;
    pqf_pred *p = pqf_pred_parse(text, strlen(text), NULL, &err);
    ck_assert_msg(p == NULL, "parsed: %s", text);
    ck_assert_msg(err.code == code, "%s: code %d (%s)", text, err.code, err.msg);
    ck_assert_msg(err.offset == pos, "%s: offset %llu, want %llu (%s)", text, (unsigned long long)err.offset,
                  (unsigned long long)pos, err.msg);
}

static pqf_pred *parse_ok(const char *text) {
    pqf_error err;
    pqf_pred *p = pqf_pred_parse(text, strlen(text), NULL, &err);
    ck_assert_msg(p != NULL, "%s: %s at %llu %s", text, err.msg, (unsigned long long)err.offset, err.path);
    return p;
}

START_TEST(parse_accepts_the_grammar) {
    const char *ok[] = {
        "a = 1", "a.b.c != -2.5e3", "x IN (1, 2, 3)", "x is null", "x IS NOT NULL", "NOT (a < 1 OR b >= 2)",
        "a <= 1 AND b > 2 AND c <> 3", "\"and\" = 'it''s'", "\"a b\".\"c\" = 'x'", "d = DATE '2024-02-29'",
        "t >= TIMESTAMP '2024-01-01 10:00:00.123456'", "b = TRUE", "((((a = 1))))", "a=.5", "a IN ('x')",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) pqf_pred_free(parse_ok(ok[i]));
    const char *cols[4];
    pqf_pred *p = parse_ok("b = 1 OR a = 2 AND NOT b IS NULL");
    ck_assert_uint_eq(pqf_pred_columns(p, cols, 4), 2);
    ck_assert_str_eq(cols[0], "b");
    ck_assert_str_eq(cols[1], "a");
    pqf_pred_free(p);
}
END_TEST

START_TEST(parse_errors_have_positions) {
    expect_syntax("a = ", PQF_ERR_INVALID_ARG, 4);
    expect_syntax("a = 'x", PQF_ERR_INVALID_ARG, 4);
    expect_syntax("(a = 1", PQF_ERR_INVALID_ARG, 6);
    expect_syntax("a = 1 b", PQF_ERR_INVALID_ARG, 6);
    expect_syntax("and = 1", PQF_ERR_INVALID_ARG, 0);
    expect_syntax("a == 1", PQF_ERR_INVALID_ARG, 3);
    expect_syntax("a = 1.2.3", PQF_ERR_INVALID_ARG, 4);
    expect_syntax("a IN (1 2)", PQF_ERR_INVALID_ARG, 8);
    expect_syntax("a IS 1", PQF_ERR_INVALID_ARG, 5);
    expect_syntax("a = DATE 5", PQF_ERR_INVALID_ARG, 9);
    expect_syntax("\"\" = 1", PQF_ERR_INVALID_ARG, 0);
    expect_syntax("", PQF_ERR_INVALID_ARG, 0);
    char deep[300];
    memset(deep, '(', 100);
    strcpy(deep + 100, "a = 1");
    expect_syntax(deep, PQF_ERR_DEPTH, PQF_PRED_MAX_DEPTH);
    char nots[400] = "";
    for (int i = 0; i < 70; i++) strcat(nots, "NOT ");
    strcat(nots, "a = 1");
    expect_syntax(nots, PQF_ERR_DEPTH, 4 * PQF_PRED_MAX_DEPTH);
    /* nesting through NOT and AND together is bounded the same way */
    char mixed[2000] = "";
    for (int i = 0; i < 40; i++) strcat(mixed, "NOT (a = 1 AND ");
    strcat(mixed, "a = 1");
    for (int i = 0; i < 40; i++) strcat(mixed, ")");
    pqf_error err;
    ck_assert_ptr_null(pqf_pred_parse(mixed, strlen(mixed), NULL, &err));
    ck_assert_int_eq(err.code, PQF_ERR_DEPTH);
    /* long flat chains stay shallow */
    char chain[8000] = "a = 1";
    for (int i = 0; i < 500; i++) strcat(chain, " AND a = 1");
    pqf_pred_free(parse_ok(chain));
}
END_TEST

START_TEST(builders_reject_bad_input) {
    pqf_value bad = {PQF_VAL_NUMBER, "1x", 2}, good = {PQF_VAL_NUMBER, "1", 1};
    ck_assert_ptr_null(pqf_pred_compare("a", PQF_OP_EQ, &bad, NULL));
    ck_assert_ptr_null(pqf_pred_compare("a", 9, &good, NULL));
    ck_assert_ptr_null(pqf_pred_compare(NULL, PQF_OP_EQ, &good, NULL));
    ck_assert_ptr_null(pqf_pred_in("a", &good, 0, NULL));
    ck_assert_ptr_null(pqf_pred_and(pqf_pred_is_null("a", 0, NULL), NULL));
    pqf_pred *p = pqf_pred_is_null("a", 1, NULL);
    for (int i = 0; i < PQF_PRED_MAX_DEPTH - 1; i++) p = pqf_pred_not(p);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_null(pqf_pred_not(p)); /* one too deep: freed, NULL */
}
END_TEST

/* ------------------------------------------------ footers with statistics --- */

enum { TK_I64, TK_U64, TK_F64, TK_STR, TK_DEC, TK_FDEC, TK__N };

#define MAXRG 6
#define MAXROWS 5

typedef struct tval {
    int null;
    int64_t i;   /* I64, DEC (unscaled), FDEC (unscaled) */
    uint64_t u;  /* U64 */
    double d;    /* F64 */
    char s[8];   /* STR */
} tval;

typedef struct tdata {
    int kind;
    size_t nrg, nrows;
    tval v[MAXRG][MAXROWS];
    int drop_null_count;
    int column_orders;
    const char *created_by;
} tdata;

/* PLAIN bytes of a value, as statistics hold them. */
static size_t plain(const tdata *t, const tval *v, uint8_t *out) {
    switch (t->kind) {
    case TK_I64: case TK_DEC: case TK_U64: {
        uint64_t x = t->kind == TK_U64 ? v->u : (uint64_t)v->i;
        for (int b = 0; b < 8; b++) out[b] = (uint8_t)(x >> (8 * b));
        return 8;
    }
    case TK_F64: {
        uint64_t x;
        memcpy(&x, &v->d, 8);
        for (int b = 0; b < 8; b++) out[b] = (uint8_t)(x >> (8 * b));
        return 8;
    }
    case TK_FDEC:
        for (int b = 0; b < 5; b++) out[b] = (uint8_t)((uint64_t)v->i >> (8 * (4 - b)));
        return 5;
    default:
        memcpy(out, v->s, strlen(v->s));
        return strlen(v->s);
    }
}

/* Order of two non-null values in the column's order. */
static int value_cmp(const tdata *t, const tval *a, const tval *b) {
    switch (t->kind) {
    case TK_U64: return a->u < b->u ? -1 : a->u > b->u;
    case TK_F64: return a->d < b->d ? -1 : a->d > b->d;
    case TK_STR: return strcmp(a->s, b->s) < 0 ? -1 : strcmp(a->s, b->s) > 0;
    default: return a->i < b->i ? -1 : a->i > b->i;
    }
}

static int stats_hook(void *ctx, fb *w, int level, size_t r, size_t c, int fid) {
    const tdata *t = ctx;
    (void)c;
    if (level != FB_L_CMD || fid != FB_AT_END) return 1;
    const tval *lo = NULL, *hi = NULL;
    int64_t nulls = 0;
    for (size_t k = 0; k < t->nrows; k++) {
        const tval *v = &t->v[r][k];
        if (v->null) {
            nulls++;
            continue;
        }
        if (t->kind == TK_F64 && isnan(v->d)) continue; /* writers leave NaN out */
        if (!lo || value_cmp(t, v, lo) < 0) lo = v;
        if (!hi || value_cmp(t, v, hi) > 0) hi = v;
    }
    uint8_t b[16];
    fb_structf(w, 12);
    if (!t->drop_null_count) fb_i64f(w, 3, nulls);
    if (hi) fb_binf(w, 5, b, plain(t, hi, b));
    if (lo) fb_binf(w, 6, b, plain(t, lo, b));
    fb_end(w);
    return 1;
}

/* A root and one leaf "x" shaped like leaf (NULL: the caller fills it in). */
static void one_leaf_schema(fb_se s[2], const fb_se *leaf) {
    memset(s, 0, 2 * sizeof *s);
    s[0].name = "schema";
    s[0].has = PQF_SE_NUM_CHILDREN;
    s[0].num_children = 1;
    if (leaf) s[1] = *leaf;
    s[1].name = "x";
}

static uint8_t *encode(const tdata *t, size_t *len_out) {
    fb_se s[2];
    one_leaf_schema(s, NULL);
    s[1].has = PQF_SE_TYPE | PQF_SE_REPETITION;
    s[1].repetition = PQF_REP_OPTIONAL;
    static const int32_t phys[TK__N] = {PQF_TYPE_INT64, PQF_TYPE_INT64, PQF_TYPE_DOUBLE, PQF_TYPE_BYTE_ARRAY, PQF_TYPE_INT64,
                                        PQF_TYPE_FIXED_LEN_BYTE_ARRAY};
    s[1].type = phys[t->kind];
    if (t->kind == TK_U64) {
        s[1].has |= PQF_SE_CONVERTED_TYPE;
        s[1].converted_type = 14; /* UINT_64 */
    } else if (t->kind == TK_STR) {
        s[1].has |= PQF_SE_CONVERTED_TYPE;
        s[1].converted_type = 0; /* UTF8 */
    } else if (t->kind == TK_DEC || t->kind == TK_FDEC) {
        s[1].has |= PQF_SE_CONVERTED_TYPE | PQF_SE_SCALE | PQF_SE_PRECISION;
        s[1].converted_type = 5;
        s[1].scale = 2;
        s[1].precision = 10;
        if (t->kind == TK_FDEC) {
            s[1].has |= PQF_SE_TYPE_LENGTH;
            s[1].type_length = 5;
        }
    }
    fb_rg rgs[MAXRG];
    memset(rgs, 0, sizeof rgs);
    for (size_t r = 0; r < t->nrg; r++) rgs[r].num_rows = rgs[r].total_byte_size = (int64_t)t->nrows;
    fb_footer F;
    memset(&F, 0, sizeof F);
    F.version = 1;
    F.num_rows = (int64_t)(t->nrg * t->nrows);
    F.created_by = t->created_by ? t->created_by : "pqfoot-tests version 1.0.0";
    F.schema = s;
    F.nschema = 2;
    F.rgs = rgs;
    F.nrg = t->nrg;
    F.column_orders = t->column_orders;
    F.hook = stats_hook;
    F.hook_ctx = (void *)t;
    return fb_footer_encode(&F, len_out);
}

static const char *const x_col[] = {"x"};

static pqf_footer *decode_with_stats(const uint8_t *buf, size_t len, int with) {
    pqf_options opt;
    memset(&opt, 0, sizeof opt);
    opt.stats_columns = x_col;
    opt.num_stats_columns = with ? 1 : 0;
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(buf, len, &opt, &err);
    ck_assert_msg(f != NULL, "%s %s", err.msg, err.path);
    return f;
}

static pqf_footer *build(const tdata *t, size_t *flen_out) {
    size_t len;
    uint8_t *buf = encode(t, &len);
    pqf_footer *f = decode_with_stats(buf, len, 1);
    if (flen_out) *flen_out = len;
    free(buf);
    return f;
}

START_TEST(stats_round_trip_and_memory) {
    tdata t;
    memset(&t, 0, sizeof t);
    t.kind = TK_STR;
    t.nrg = 3;
    t.nrows = 2;
    t.column_orders = 1;
    const char *vals[3][2] = {{"apple", "pear"}, {"fig", "fig"}, {"kiwi", ""}};
    for (size_t r = 0; r < 3; r++)
        for (size_t k = 0; k < 2; k++) strcpy(t.v[r][k].s, vals[r][k]);
    t.v[2][1].null = 1;
    size_t flen;
    pqf_footer *f = build(&t, &flen);
    ck_assert_uint_eq(pqf_stats_column_count(f), 1);
    ck_assert_int_eq(pqf_test_has_stats(f, 0), 1);
    ck_assert_int_eq(pqf_test_order(f, 0), PQF_ORDER_TYPE_DEFINED);
    ck_assert_int_eq(pqf_test_sort(f, 0), PQF_SORT_UNSIGNED);
    pqf_stats st;
    ck_assert_int_eq(pqf_stats_get(f, 0, 0, &st), PQF_OK);
    ck_assert_str_eq(st.min_value.ptr, "apple");
    ck_assert_str_eq(st.max_value.ptr, "pear");
    ck_assert_ptr_null(st.min.ptr);
    ck_assert_int_eq(st.null_count, 0);
    ck_assert_int_eq(st.num_values, 2);
    ck_assert_uint_eq(st.has & (PQF_ST_META | PQF_ST_STATISTICS | PQF_ST_NULL_COUNT | PQF_ST_MIN_VALUE),
                      PQF_ST_META | PQF_ST_STATISTICS | PQF_ST_NULL_COUNT | PQF_ST_MIN_VALUE);
    ck_assert_int_eq(pqf_stats_get(f, 2, 0, &st), PQF_OK);
    ck_assert_str_eq(st.max_value.ptr, "kiwi");
    ck_assert_int_eq(st.null_count, 1);
    ck_assert_int_eq(pqf_stats_get(f, 3, 0, &st), PQF_ERR_INVALID_ARG);
    ck_assert_uint_gt(pqf_stats_bytes(f), 0);
    pqf_footer_free(f);
    /* the statistics are all the difference in retained bytes */
    uint8_t *buf = encode(&t, &flen);
    pqf_footer *with = decode_with_stats(buf, flen, 1), *without = decode_with_stats(buf, flen, 0);
    ck_assert_uint_eq(pqf_footer_bytes(with), pqf_footer_bytes(without) + pqf_stats_bytes(with));
    ck_assert_uint_eq(pqf_stats_bytes(without), 0);
    ck_assert_int_eq(pqf_stats_get(without, 0, 0, &st), PQF_ERR_NO_COLUMN);
    pqf_footer_free(with);
    pqf_footer_free(without);
    free(buf);
}
END_TEST

START_TEST(stats_unknown_column_and_cap) {
    tdata t;
    memset(&t, 0, sizeof t);
    t.kind = TK_I64;
    t.nrg = 2;
    t.nrows = 1;
    pqf_footer *f = build(&t, NULL);
    ck_assert_int_eq(pqf_test_has_stats(f, 0), 1);
    pqf_footer_free(f);
    /* a column that is not there is an error, as for the projection */
    fb_footer F;
    memset(&F, 0, sizeof F);
    F.version = 1;
    F.ncols = 2;
    F.nrg = 2;
    F.stats = 1;
    size_t len;
    uint8_t *buf = fb_footer_encode(&F, &len);
    const char *cols[] = {"nope"};
    pqf_options opt;
    memset(&opt, 0, sizeof opt);
    opt.stats_columns = cols;
    opt.num_stats_columns = 1;
    pqf_error err;
    ck_assert_ptr_null(pqf_footer_decode(buf, len, &opt, &err));
    ck_assert_int_eq(err.code, PQF_ERR_NO_COLUMN);
    uint32_t idx = 7;
    opt.num_stats_columns = 0;
    opt.stats_column_indexes = &idx;
    opt.num_stats_column_indexes = 1;
    ck_assert_ptr_null(pqf_footer_decode(buf, len, &opt, &err));
    ck_assert_int_eq(err.code, PQF_ERR_NO_COLUMN);
    idx = 1;
    pqf_footer *ok = pqf_footer_decode(buf, len, &opt, &err);
    ck_assert_ptr_nonnull(ok);
    ck_assert_int_eq(pqf_test_has_stats(ok, 1), 1);
    ck_assert_int_eq(pqf_test_has_stats(ok, 0), 0);
    pqf_stats st;
    ck_assert_int_eq(pqf_stats_get(ok, 0, 0, &st), PQF_ERR_NO_COLUMN);
    /* the statistics count against max_memory: the smallest cap that works
     * with them is no smaller than without, and below it the decode says LIMIT */
    pqf_footer_free(ok);
    uint64_t min_with = 0, min_without = 0;
    for (uint64_t cap = 1024; cap < (1u << 24) && (!min_with || !min_without); cap += 64) {
        opt.max_memory = cap;
        pqf_footer *g = pqf_footer_decode(buf, len, &opt, &err);
        if (!g) ck_assert_int_eq(err.code, PQF_ERR_LIMIT);
        if (g && !min_with) {
            min_with = cap;
            ck_assert_uint_le(pqf_footer_bytes(g), cap);
        }
        opt.num_stats_column_indexes = 0;
        pqf_footer *h = pqf_footer_decode(buf, len, &opt, &err);
        opt.num_stats_column_indexes = 1;
        if (h && !min_without) min_without = cap;
        pqf_footer_free(g);
        pqf_footer_free(h);
    }
    ck_assert_uint_gt(min_with, 0);
    ck_assert_uint_ge(min_with, min_without);
    free(buf);
}
END_TEST

/* ----------------------------------------- brute force versus the evaluator --- */

/* The general evaluation path alone (src/predicate_eval.c), row group by row
 * group: pqf_pred_eval answers from per-column summaries instead, and both
 * must agree everywhere. */
pqf_code pqf_pred_eval_rowwise(const pqf_pred *p, const pqf_footer *f, uint8_t *may_match, pqf_error *err);

/* pqf_pred_eval on f (n row groups), checked against the general path. */
static void eval_both_paths(const pqf_pred *p, const pqf_footer *f, size_t n, uint8_t *keep) {
    uint8_t slow[MAXRG];
    pqf_error err;
    ck_assert_int_le(n, MAXRG);
    ck_assert_msg(pqf_pred_eval(p, f, keep, &err) == PQF_OK, "%s", err.msg);
    ck_assert_msg(pqf_pred_eval_rowwise(p, f, slow, &err) == PQF_OK, "%s", err.msg);
    for (size_t r = 0; r < n; r++)
        ck_assert_msg(keep[r] == slow[r], "rg %zu: fast path %d, general path %d", r, keep[r], slow[r]);
}

typedef struct mem_out {
    uint8_t *buf;
    size_t len, cap;
} mem_out;

static int write_mem(void *ctx, const void *p, size_t n) {
    mem_out *o = ctx;
    if (o->len + n > o->cap) {
        size_t cap = (o->len + n) * 2;
        uint8_t *nb = realloc(o->buf, cap);
        if (!nb) return -1;
        o->buf = nb;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    return 0;
}

/* f through pqf_footer_serialize / deserialize: the summaries are rebuilt on load. */
static pqf_footer *reload(const pqf_footer *f) {
    mem_out o = {NULL, 0, 0};
    ck_assert_int_eq(pqf_footer_serialize(f, write_mem, &o), PQF_OK);
    pqf_error err;
    pqf_footer *g = pqf_footer_deserialize(o.buf, o.len, NULL, &err);
    ck_assert_msg(g != NULL, "%s", err.msg);
    free(o.buf);
    return g;
}

/* Exact comparison of two plain decimal strings ("-12.50", "3"). */
static int dec_cmp(const char *a, const char *b) {
    int na = *a == '-', nb = *b == '-';
    if (na) a++;
    if (nb) b++;
    while (*a == '0' && a[1] && a[1] != '.') a++;
    while (*b == '0' && b[1] && b[1] != '.') b++;
    size_t ia = strcspn(a, "."), ib = strcspn(b, ".");
    int mag;
    if (ia != ib) {
        mag = ia < ib ? -1 : 1;
    } else {
        mag = strncmp(a, b, ia);
        mag = mag < 0 ? -1 : mag > 0;
        const char *fa = a[ia] ? a + ia + 1 : "", *fb2 = b[ib] ? b + ib + 1 : "";
        while (!mag && (*fa || *fb2)) {
            char ca = *fa ? *fa++ : '0', cb = *fb2 ? *fb2++ : '0';
            mag = ca < cb ? -1 : ca > cb;
        }
    }
    int zero_a = strspn(a, "0.") == strlen(a), zero_b = strspn(b, "0.") == strlen(b);
    if (zero_a) na = 0;
    if (zero_b) nb = 0;
    if (na != nb) return na ? -1 : 1;
    return na ? -mag : mag;
}

static void value_text(const tdata *t, const tval *v, char *out) {
    switch (t->kind) {
    case TK_U64: sprintf(out, "%llu", (unsigned long long)v->u); break;
    case TK_DEC: case TK_FDEC: {
        uint64_t m = v->i < 0 ? -(uint64_t)v->i : (uint64_t)v->i;
        sprintf(out, "%s%llu.%02llu", v->i < 0 ? "-" : "", (unsigned long long)(m / 100), (unsigned long long)(m % 100));
        break;
    }
    default: sprintf(out, "%lld", (long long)v->i); break;
    }
}

/* 3VL: 1 true, 0 false, 2 null. */
static int row_cmp(const tdata *t, const tval *v, int op, const char *lit) {
    if (v->null) return 2;
    int c;
    if (t->kind == TK_F64) {
        double d = strtod(lit, NULL);
        if (isnan(v->d)) return op == PQF_OP_NE;
        c = v->d < d ? -1 : v->d > d;
    } else if (t->kind == TK_STR) {
        c = strcmp(v->s, lit);
        c = c < 0 ? -1 : c > 0;
    } else {
        char buf[64];
        value_text(t, v, buf);
        c = dec_cmp(buf, lit);
    }
    switch (op) {
    case PQF_OP_EQ: return c == 0;
    case PQF_OP_NE: return c != 0;
    case PQF_OP_LT: return c < 0;
    case PQF_OP_LE: return c <= 0;
    case PQF_OP_GT: return c > 0;
    default: return c >= 0;
    }
}

static int tv_not(int a) { return a == 2 ? 2 : !a; }
static int tv_and(int a, int b) { return (a == 0 || b == 0) ? 0 : (a == 2 || b == 2) ? 2 : 1; }
static int tv_or(int a, int b) { return (a == 1 || b == 1) ? 1 : (a == 2 || b == 2) ? 2 : 0; }

typedef struct tnode {
    int kind; /* 0 cmp, 1 in, 2 is null, 3 and, 4 or, 5 not */
    int op, neg;
    const char *lits[3];
    int nlits;
    struct tnode *a, *b;
} tnode;

static int brute(const tdata *t, const tnode *n, const tval *v) {
    switch (n->kind) {
    case 0: return row_cmp(t, v, n->op, n->lits[0]);
    case 1: {
        int r = 0;
        for (int i = 0; i < n->nlits; i++) r = tv_or(r, row_cmp(t, v, PQF_OP_EQ, n->lits[i]));
        return r;
    }
    case 2: return n->neg ? !v->null : v->null;
    case 3: return tv_and(brute(t, n->a, v), brute(t, n->b, v));
    case 4: return tv_or(brute(t, n->a, v), brute(t, n->b, v));
    default: return tv_not(brute(t, n->a, v));
    }
}

static int g_kind;
static pqf_pred *to_pred(const tnode *n) {
    pqf_value vs[3];
    for (int i = 0; i < n->nlits; i++) {
        vs[i].kind = g_kind == TK_STR ? PQF_VAL_STRING : PQF_VAL_NUMBER;
        vs[i].ptr = n->lits[i];
        vs[i].len = strlen(n->lits[i]);
    }
    switch (n->kind) {
    case 0: return pqf_pred_compare("x", n->op, &vs[0], NULL);
    case 1: return pqf_pred_in("x", vs, (size_t)n->nlits, NULL);
    case 2: return pqf_pred_is_null("x", n->neg, NULL);
    case 3: return pqf_pred_and(to_pred(n->a), to_pred(n->b));
    case 4: return pqf_pred_or(to_pred(n->a), to_pred(n->b));
    default: return pqf_pred_not(to_pred(n->a));
    }
}

static uint64_t rng_state;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static const char *const lits_int[] = {"0", "1", "-1", "3", "7", "7.5", "-2.5", "12", "20", "-20",
                                       "1000000000000000000000000000000", "-9223372036854775808",
                                       "9223372036854775807", "2.25", "0.001"};
static const char *const lits_u64[] = {"0", "1", "9223372036854775807", "9223372036854775808",
                                       "9223372036854775813", "18446744073709551615", "18446744073709551614",
                                       "-1", "1.5", "18446744073709551616", "5"};
static const char *const lits_dec[] = {"8.75", "8.751", "-3", "0.5", "12.34", "-0.01", "0", "20", "7.1", "10.00"};
static const char *const lits_f64[] = {"0", "-0", "1", "3.25", "-2.5", "0.1", "1e400", "-1e400", "100", "7"};
static const char *const lits_str[] = {"", "a", "ab", "b", "ba", "zz", "\xff", "abc"};

static const char *pick_lit(int kind) {
    switch (kind) {
    case TK_U64: return lits_u64[rnd() % (sizeof lits_u64 / sizeof *lits_u64)];
    case TK_DEC: case TK_FDEC: return lits_dec[rnd() % (sizeof lits_dec / sizeof *lits_dec)];
    case TK_F64: return lits_f64[rnd() % (sizeof lits_f64 / sizeof *lits_f64)];
    case TK_STR: return lits_str[rnd() % (sizeof lits_str / sizeof *lits_str)];
    default: return lits_int[rnd() % (sizeof lits_int / sizeof *lits_int)];
    }
}

static tnode *gen_node(tnode *pool, int *used, int kind, int depth) {
    tnode *n = &pool[(*used)++];
    memset(n, 0, sizeof *n);
    int k = depth >= 3 ? (int)(rnd() % 3) : (int)(rnd() % 6);
    n->kind = k;
    if (k == 0) {
        n->op = (int)(rnd() % 6);
        n->lits[0] = pick_lit(kind);
        n->nlits = 1;
    } else if (k == 1) {
        n->nlits = 1 + (int)(rnd() % 3);
        for (int i = 0; i < n->nlits; i++) n->lits[i] = pick_lit(kind);
    } else if (k == 2) {
        n->neg = (int)(rnd() & 1);
    } else {
        n->a = gen_node(pool, used, kind, depth + 1);
        if (k != 5) n->b = gen_node(pool, used, kind, depth + 1);
    }
    return n;
}

static void gen_value(int kind, tval *v) {
    memset(v, 0, sizeof *v);
    if (rnd() % 7 == 0) {
        v->null = 1;
        return;
    }
    switch (kind) {
    case TK_U64: {
        static const uint64_t u[] = {0, 1, 5, UINT64_C(9223372036854775807), UINT64_C(9223372036854775808),
                                     UINT64_C(9223372036854775813), UINT64_C(18446744073709551615)};
        v->u = u[rnd() % 7];
        break;
    }
    case TK_F64: {
        static const double d[] = {-2.5, -0.0, 0.0, 1.0, 3.25, 100, 7, 0.1};
        v->d = rnd() % 13 == 0 ? NAN : d[rnd() % 8];
        break;
    }
    case TK_STR: strcpy(v->s, lits_str[rnd() % (sizeof lits_str / sizeof *lits_str)]); break;
    case TK_DEC: case TK_FDEC: v->i = (int64_t)(rnd() % 4001) - 2000; break;
    default: v->i = rnd() % 17 == 0 ? INT64_MIN : (int64_t)(rnd() % 41) - 20; break;
    }
}

START_TEST(evaluator_never_prunes_a_matching_row_group) {
    rng_state = 0x9E3779B97F4A7C15u ^ (uint64_t)_i;
    long checked = 0, prunable = 0, pruned = 0;
    for (int round = 0; round < 300; round++) {
        tdata t;
        memset(&t, 0, sizeof t);
        t.kind = (int)(rnd() % TK__N);
        t.nrg = 1 + rnd() % MAXRG;
        t.nrows = 1 + rnd() % MAXROWS;
        t.column_orders = rnd() % 4 != 0;
        t.drop_null_count = rnd() % 5 == 0;
        /* narrow row groups prune more: draw each row group around one value */
        for (size_t r = 0; r < t.nrg; r++) {
            tval base;
            gen_value(t.kind, &base);
            for (size_t k = 0; k < t.nrows; k++) {
                if (rnd() % 2) t.v[r][k] = base;
                else gen_value(t.kind, &t.v[r][k]);
            }
        }
        pqf_footer *f = build(&t, NULL);
        if (round % 3 == 0) { /* the summaries of a loaded model */
            pqf_footer *g = reload(f);
            pqf_footer_free(f);
            f = g;
        }
        for (int q = 0; q < 20; q++) {
            tnode pool[64];
            int used = 0;
            tnode *root = gen_node(pool, &used, t.kind, 0);
            g_kind = t.kind;
            pqf_pred *p = to_pred(root);
            ck_assert_ptr_nonnull(p);
            uint8_t keep[MAXRG];
            eval_both_paths(p, f, t.nrg, keep);
            for (size_t r = 0; r < t.nrg; r++) {
                int any = 0;
                for (size_t k = 0; k < t.nrows; k++) any |= brute(&t, root, &t.v[r][k]) == 1;
                checked++;
                ck_assert_msg(!any || keep[r], "kind %d round %d query %d rg %zu pruned but a row matches", t.kind,
                              round, q, r);
                prunable += !any;
                pruned += !keep[r];
            }
            pqf_pred_free(p);
        }
        pqf_footer_free(f);
    }
    ck_assert_int_gt(checked, 1000);
    /* pruning must actually happen: a good share of the row groups with no match */
    ck_assert_msg(pruned * 3 > prunable, "pruned %ld of %ld prunable", pruned, prunable);
}
END_TEST

/* One row group of one column, statistics written by hand. */
typedef struct hand {
    const uint8_t *min, *max, *dmin, *dmax;
    size_t nmin, nmax, ndmin, ndmax;
    int64_t nulls; /* -1: absent */
    int64_t rows;
} hand;

static int hand_hook(void *ctx, fb *w, int level, size_t r, size_t c, int fid) {
    const hand *h = ctx;
    (void)r;
    (void)c;
    if (level != FB_L_CMD || fid != FB_AT_END) return 1;
    fb_structf(w, 12);
    if (h->dmax) fb_binf(w, 1, h->dmax, h->ndmax);
    if (h->dmin) fb_binf(w, 2, h->dmin, h->ndmin);
    if (h->nulls >= 0) fb_i64f(w, 3, h->nulls);
    if (h->max) fb_binf(w, 5, h->max, h->nmax);
    if (h->min) fb_binf(w, 6, h->min, h->nmin);
    fb_end(w);
    return 1;
}

/* May row group 0 match `where` on a one-column footer of leaf se? */
static int may(const fb_se *leaf, const hand *h, int orders, const char *created_by, const char *where) {
    fb_se s[2];
    one_leaf_schema(s, leaf);
    fb_rg rg;
    memset(&rg, 0, sizeof rg);
    rg.num_rows = rg.total_byte_size = h->rows ? h->rows : 10;
    fb_footer F;
    memset(&F, 0, sizeof F);
    F.version = 1;
    F.num_rows = rg.num_rows;
    F.created_by = created_by;
    F.schema = s;
    F.nschema = 2;
    F.rgs = &rg;
    F.nrg = 1;
    F.column_orders = orders;
    F.hook = hand_hook;
    F.hook_ctx = (void *)h;
    size_t len;
    uint8_t *buf = fb_footer_encode(&F, &len);
    pqf_footer *f = decode_with_stats(buf, len, 1);
    pqf_error err;
    pqf_pred *p = parse_ok(where);
    uint8_t keep = 9, slow = 9;
    pqf_code rc = pqf_pred_eval(p, f, &keep, &err);
    ck_assert_msg(rc == PQF_OK, "%s: %s", where, err.msg);
    ck_assert_int_eq(pqf_pred_eval_rowwise(p, f, &slow, &err), PQF_OK);
    ck_assert_msg(keep == slow, "%s: fast path %d, general path %d", where, keep, slow);
    pqf_pred_free(p);
    pqf_footer_free(f);
    free(buf);
    return keep;
}

typedef struct want {
    const char *where;
    int keep;
} want;

/* Every case on the same one-row-group footer. */
static void check_all(const fb_se *leaf, const hand *h, int orders, const char *writer, const want *w, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int got = may(leaf, h, orders, writer, w[i].where);
        ck_assert_msg(got == w[i].keep, "'%s': may match %d, want %d", w[i].where, got, w[i].keep);
    }
}
#define CHECK_ALL(leaf, h, orders, writer, ...)                                  \
    do {                                                                       \
        static const want cases_[] = {__VA_ARGS__};                            \
        check_all(leaf, h, orders, writer, cases_, sizeof cases_ / sizeof *cases_); \
    } while (0)

static fb_se leaf_of(int32_t type, int32_t converted, int32_t type_length) {
    fb_se e;
    memset(&e, 0, sizeof e);
    e.has = PQF_SE_TYPE | PQF_SE_REPETITION;
    e.type = type;
    e.repetition = PQF_REP_OPTIONAL;
    if (converted >= 0) {
        e.has |= PQF_SE_CONVERTED_TYPE;
        e.converted_type = converted;
    }
    if (type_length) {
        e.has |= PQF_SE_TYPE_LENGTH;
        e.type_length = type_length;
    }
    return e;
}

static const char *const NEW_WRITER = "parquet-cpp-arrow version 14.0.0";

START_TEST(unsigned_above_2_63) {
    fb_se e = leaf_of(PQF_TYPE_INT64, 14, 0); /* UINT_64 */
    uint8_t lo[8], hi[8];
    memset(lo, 0xFF, 8);
    lo[0] = 0xF0;   /* 2^64 - 16 */
    memset(hi, 0xFF, 8); /* 2^64 - 1 */
    hand h = {lo, hi, NULL, NULL, 8, 8, 0, 0, 0, 0};
    CHECK_ALL(&e, &h, 1, NEW_WRITER,
              {"x = 18446744073709551615", 1},
              {"x < 18446744073709551600", 0},
              {"x <= 18446744073709551600", 1},
              {"x > 18446744073709551615", 0},
              {"x < 0", 0},
              {"x > 1e19", 1},
              {"x > 1e20", 0});
    /* the same bytes as signed: -16 .. -1 */
    fb_se s = leaf_of(PQF_TYPE_INT64, -1, 0);
    CHECK_ALL(&s, &h, 1, NEW_WRITER,
              {"x < 0", 1},
              {"x > -1", 0});
    /* deprecated min/max of an unsigned column are signed-ordered: unusable */
    hand d = {NULL, NULL, lo, hi, 0, 0, 8, 8, 0, 0};
    ck_assert_int_eq(may(&e, &d, 0, NEW_WRITER, "x < 5"), 1);
    ck_assert_int_eq(may(&s, &d, 0, NEW_WRITER, "x > 5"), 0);
}
END_TEST

START_TEST(decimals_compare_by_value) {
    /* DECIMAL(10,2) in INT64: 8.75 .. 8.75 */
    fb_se e = leaf_of(PQF_TYPE_INT64, 5, 0);
    e.has |= PQF_SE_SCALE | PQF_SE_PRECISION;
    e.scale = 2;
    e.precision = 10;
    uint8_t v[8] = {0x6B, 0x03, 0, 0, 0, 0, 0, 0}; /* 875 */
    hand h = {v, v, NULL, NULL, 8, 8, 0, 0, 0, 0};
    CHECK_ALL(&e, &h, 1, NEW_WRITER,
              {"x = 8.75", 1},
              {"x = 8.751", 0},
              {"x != 8.751", 1},
              {"x != 8.75", 0},
              {"x > 8.749", 1},
              {"x > 8.75", 0},
              {"x < 8.7501", 1});
    /* FIXED_LEN_BYTE_ARRAY(3) big-endian two's complement: -1.00 .. 2.56 */
    fb_se fx = leaf_of(PQF_TYPE_FIXED_LEN_BYTE_ARRAY, 5, 3);
    fx.has |= PQF_SE_SCALE | PQF_SE_PRECISION;
    fx.scale = 2;
    fx.precision = 6;
    uint8_t lo[3] = {0xFF, 0xFF, 0x9C}, hi[3] = {0x00, 0x01, 0x00};
    hand f = {lo, hi, NULL, NULL, 3, 3, 0, 0, 0, 0};
    CHECK_ALL(&fx, &f, 1, NEW_WRITER,
              {"x < -1", 0},
              {"x <= -1", 1},
              {"x > 2.56", 0},
              {"x >= 2.555", 1},
              {"x = 0.001", 0});
    /* byte strings, unsigned: 0xFF sorts last */
    fb_se s = leaf_of(PQF_TYPE_BYTE_ARRAY, 0, 0);
    const uint8_t a[] = "abc", z[] = "\xff";
    hand b = {a, z, NULL, NULL, 3, 1, 0, 0, 0, 0};
    CHECK_ALL(&s, &b, 1, NEW_WRITER,
              {"x > 'zzz'", 1},
              {"x < 'abc'", 0},
              {"x < 'abca'", 1});
}
END_TEST

/* A double's statistics bytes: PLAIN, little-endian whatever the host. */
static void double_le(double v, uint8_t out[8]) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)(u >> (8 * i));
}

START_TEST(floats_nan_and_zeros) {
    fb_se e = leaf_of(PQF_TYPE_DOUBLE, -1, 0);
    uint8_t nz[8], pz[8], nan[8], one[8];
    double_le(-0.0, nz);
    double_le(0.0, pz);
    double_le(NAN, nan);
    double_le(1.0, one);
    hand zeros = {nz, nz, NULL, NULL, 8, 8, 0, 0, 0, 0};
    /* max written as -0.0 still holds +0.0 rows: x = 0 must not be pruned */
    CHECK_ALL(&e, &zeros, 1, NEW_WRITER,
              {"x = 0", 1},
              {"x >= 0", 1},
              {"x > 0", 0},
              {"x < 0", 0});
    hand pos = {pz, one, NULL, NULL, 8, 8, 0, 0, 0, 0};
    CHECK_ALL(&e, &pos, 1, NEW_WRITER,
              {"x = -0", 1},
              {"x > 1", 0},
              {"x > 0.99999999999999999999", 1},
              {"x != 0.5", 1}, /* NaN rows differ from everything */
              {"NOT x < 5", 1});
    hand withnan = {pz, nan, NULL, NULL, 8, 8, 0, 0, 0, 0};
    ck_assert_int_eq(may(&e, &withnan, 1, NEW_WRITER, "x > 100"), 1);
    /* FLOAT16 in FLBA(2): 1.0 (0x3C00) .. 2.0 (0x4000) */
    static const uint8_t flt16_logical[] = {0xFC, 0x00, 0x00}; /* field 15 (FLOAT16) empty struct, stop */
    fb_se h16 = leaf_of(PQF_TYPE_FIXED_LEN_BYTE_ARRAY, -1, 2);
    h16.has |= PQF_SE_LOGICAL_TYPE;
    h16.logical = flt16_logical;
    h16.logical_len = sizeof flt16_logical;
    uint8_t lo[2] = {0x00, 0x3C}, hi[2] = {0x00, 0x40};
    hand hh = {lo, hi, NULL, NULL, 2, 2, 0, 0, 0, 0};
    CHECK_ALL(&h16, &hh, 1, NEW_WRITER,
              {"x > 2", 0},
              {"x >= 2", 1},
              {"x < 1", 0},
              {"x = 1.5", 1});
}
END_TEST

START_TEST(nulls_and_missing_counts) {
    fb_se e = leaf_of(PQF_TYPE_INT64, -1, 0);
    uint8_t v[8] = {5, 0, 0, 0, 0, 0, 0, 0};
    hand allnull = {NULL, NULL, NULL, NULL, 0, 0, 0, 0, 10, 10};
    CHECK_ALL(&e, &allnull, 1, NEW_WRITER,
              {"x = 5", 0},
              {"x != 5", 0},
              {"NOT x = 5", 0},
              {"x IS NULL", 1},
              {"x IS NOT NULL", 0},
              {"x = 5 OR x IS NULL", 1});
    hand nocount = {v, v, NULL, NULL, 8, 8, 0, 0, -1, 10};
    CHECK_ALL(&e, &nocount, 1, NEW_WRITER,
              {"x IS NULL", 1},
              {"x = 6", 0});
    hand none = {v, v, NULL, NULL, 8, 8, 0, 0, 0, 10};
    CHECK_ALL(&e, &none, 1, NEW_WRITER,
              {"x IS NULL", 0},
              {"x IS NOT NULL AND x = 5", 1},
              {"NOT (x = 5)", 0},
              {"x IN (1, 2, 6)", 0},
              {"x IN (1, 5)", 1});
    /* a null count above num_values is nonsense: trust nothing */
    hand bad = {v, v, NULL, NULL, 8, 8, 0, 0, 11, 10};
    ck_assert_int_eq(may(&e, &bad, 1, NEW_WRITER, "x = 6"), 1);
}
END_TEST

START_TEST(truncated_strings_are_bounds) {
    fb_se e = leaf_of(PQF_TYPE_BYTE_ARRAY, 0, 0);
    /* real values "aaaa1" .. "zzzz9", written truncated: min "aaaa", max "zzz{" */
    const uint8_t lo[] = "aaaa", hi[] = "zzz{";
    hand h = {lo, hi, NULL, NULL, 4, 4, 0, 0, 0, 0};
    CHECK_ALL(&e, &h, 1, NEW_WRITER,
              {"x = 'aaaa1'", 1},
              {"x = 'zzzz9'", 1},
              {"x > 'zzz{'", 0},
              {"x < 'aaaa'", 0},
              {"x != 'aaaa'", 1});
}
END_TEST

START_TEST(writer_rules_and_column_orders) {
    fb_se s = leaf_of(PQF_TYPE_BYTE_ARRAY, 0, 0);
    const uint8_t lo[] = "m", hi[] = "n";
    hand nv = {lo, hi, NULL, NULL, 1, 1, 0, 0, 0, 0};
    hand old = {NULL, NULL, lo, hi, 0, 0, 1, 1, 0, 0};
    ck_assert_int_eq(may(&s, &nv, 1, "parquet-mr version 1.12.3 (build abc)", "x = 'a'"), 0);
    /* parquet-mr before 1.8.0: byte-array statistics may belong to another row group */
    ck_assert_int_eq(may(&s, &nv, 1, "parquet-mr version 1.6.0 (build abc)", "x = 'a'"), 1);
    /* before 1.10.0 strings were compared signed */
    ck_assert_int_eq(may(&s, &nv, 1, "parquet-mr version 1.9.0", "x = 'a'"), 1);
    ck_assert_int_eq(may(&s, &nv, 1, "parquet-cpp version 1.2.0", "x = 'a'"), 1);
    ck_assert_int_eq(may(&s, &nv, 1, "parquet-cpp version 1.3.0", "x = 'a'"), 0);
    /* no created_by: byte arrays distrusted */
    ck_assert_int_eq(may(&s, &nv, 1, NULL, "x = 'a'"), 1);
    /* deprecated min/max of strings: signed order, never used */
    ck_assert_int_eq(may(&s, &old, 0, NEW_WRITER, "x = 'a'"), 1);
    ck_assert_int_eq(may(&s, &old, 1, NEW_WRITER, "x = 'a'"), 1);
    /* min_value without column_orders: ignored, as Arrow C++ does */
    ck_assert_int_eq(may(&s, &nv, 0, NEW_WRITER, "x = 'a'"), 1);
    /* signed ints: deprecated fields are fine, old writers too */
    fb_se i = leaf_of(PQF_TYPE_INT32, -1, 0);
    uint8_t a[4] = {10, 0, 0, 0}, b[4] = {20, 0, 0, 0};
    hand io = {NULL, NULL, a, b, 0, 0, 4, 4, 0, 0};
    CHECK_ALL(&i, &io, 0, "parquet-mr version 1.6.0",
              {"x > 20", 0},
              {"x > 19.5", 1});
    /* INT96 is never pruned */
    fb_se t96 = leaf_of(PQF_TYPE_INT96, -1, 0);
    uint8_t z[12] = {0};
    hand h96 = {z, z, z, z, 12, 12, 12, 12, 0, 0};
    ck_assert_int_eq(may(&t96, &h96, 1, NEW_WRITER, "x = 5"), 1);
}
END_TEST

START_TEST(dates_timestamps_and_kind_errors) {
    static const uint8_t date_lt[] = {0x6C, 0x00, 0x00}; /* field 6 DATE: empty struct, stop */
    fb_se d = leaf_of(PQF_TYPE_INT32, -1, 0);
    d.has |= PQF_SE_LOGICAL_TYPE;
    d.logical = date_lt;
    d.logical_len = sizeof date_lt;
    int32_t day = 19782; /* 2024-02-29 */
    uint8_t v[4] = {(uint8_t)day, (uint8_t)(day >> 8), 0, 0};
    hand h = {v, v, NULL, NULL, 4, 4, 0, 0, 0, 0};
    CHECK_ALL(&d, &h, 1, NEW_WRITER,
              {"x = DATE '2024-02-29'", 1},
              {"x = '2024-02-28'", 0},
              {"x > '2024-02-29'", 0});
    /* TIMESTAMP(MICROS) via converted type: 2024-01-01 00:00:00.5 */
    fb_se t = leaf_of(PQF_TYPE_INT64, 10, 0);
    int64_t us = INT64_C(1704067200) * 1000000 + 500000;
    uint8_t tv[8];
    for (int k = 0; k < 8; k++) tv[k] = (uint8_t)((uint64_t)us >> (8 * k));
    hand th = {tv, tv, NULL, NULL, 8, 8, 0, 0, 0, 0};
    CHECK_ALL(&t, &th, 1, NEW_WRITER,
              {"x = TIMESTAMP '2024-01-01 00:00:00.5'", 1},
              {"x = '2024-01-01 00:00:00.5000001'", 0},
              {"x > '2024-01-01'", 1},
              {"x < '2024-01-01'", 0});
    /* wrong kinds and unknown columns are errors with positions */
    struct { const fb_se *leaf; const char *where; pqf_code code; uint64_t pos; } bad[] = {
        {&d, "x = 5", PQF_ERR_INVALID_ARG, 4},
        {&d, "x = '2024-02-30'", PQF_ERR_INVALID_ARG, 4},
        {&t, "x = 5", PQF_ERR_INVALID_ARG, 4},
        {&t, "x = '2024-01-01 25:00:00'", PQF_ERR_INVALID_ARG, 4},
        {&d, "y = 5", PQF_ERR_NO_COLUMN, 0},
        {&d, "x IS NULL OR \"x.y\" = 1", PQF_ERR_NO_COLUMN, 13},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        fb_se s[2];
        one_leaf_schema(s, bad[k].leaf);
        fb_footer F;
        memset(&F, 0, sizeof F);
        F.version = 1;
        F.schema = s;
        F.nschema = 2;
        F.nrg = 1;
        size_t len;
        uint8_t *buf = fb_footer_encode(&F, &len);
        pqf_error err;
        pqf_footer *f = pqf_footer_decode(buf, len, NULL, &err);
        ck_assert_ptr_nonnull(f);
        pqf_pred *p = parse_ok(bad[k].where);
        uint8_t keep;
        ck_assert_int_eq(pqf_pred_eval(p, f, &keep, &err), bad[k].code);
        ck_assert_msg(err.offset == bad[k].pos, "%s: offset %llu", bad[k].where, (unsigned long long)err.offset);
        pqf_pred_free(p);
        pqf_footer_free(f);
        free(buf);
    }
    fb_se s = leaf_of(PQF_TYPE_BYTE_ARRAY, 0, 0);
    const uint8_t a[] = "a";
    hand sh = {a, a, NULL, NULL, 1, 1, 0, 0, 0, 0};
    (void)sh;
    (void)s;
}
END_TEST

static Suite *make_suite(void) {
    Suite *s = suite_create("predicate");
    TCase *tc = tcase_create("predicate");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, parse_accepts_the_grammar);
    tcase_add_test(tc, parse_errors_have_positions);
    tcase_add_test(tc, builders_reject_bad_input);
    tcase_add_test(tc, stats_round_trip_and_memory);
    tcase_add_test(tc, stats_unknown_column_and_cap);
    tcase_add_loop_test(tc, evaluator_never_prunes_a_matching_row_group, 0, 4);
    tcase_add_test(tc, unsigned_above_2_63);
    tcase_add_test(tc, decimals_compare_by_value);
    tcase_add_test(tc, floats_nan_and_zeros);
    tcase_add_test(tc, nulls_and_missing_counts);
    tcase_add_test(tc, truncated_strings_are_bounds);
    tcase_add_test(tc, writer_rules_and_column_orders);
    tcase_add_test(tc, dates_timestamps_and_kind_errors);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
