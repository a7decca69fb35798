/*
 * The predicate text grammar (docs/prune.md), by recursive descent:
 *   expr    := conj (OR conj)*
 *   conj    := neg (AND neg)*
 *   neg     := NOT neg | '(' expr ')' | COL test
 *   test    := OP lit | IN '(' lit (',' lit)* ')' | IS [NOT] NULL
 *   lit     := number | 'string' | DATE 'string' | TIMESTAMP 'string' | TRUE | FALSE
 * Nesting (parentheses and NOT) is bounded by PQF_PRED_MAX_DEPTH.
 */
#include <stdio.h>

#include "predicate.h"

typedef struct parser {
    const char *s;
    size_t n, i;
    uint32_t depth;
    const pqf_allocator *alc;
    pqf_error *err;
    int failed;
    char *scratch; /* unquoted strings and names, one allocation as long as the text */
    size_t scratch_used;
} parser;

static void *fail_at(parser *ps, size_t pos, int code, const char *msg) {
    if (ps->failed) return NULL;
    ps->failed = 1;
    pqf_error_set(ps->err, code, msg, pos);
    size_t len = ps->n - pos < 40 ? ps->n - pos : 40;
    snprintf(ps->err->path, sizeof ps->err->path, "%s'%.*s'", pos < ps->n ? "near " : "at the end ", (int)len,
             ps->s + pos);
    return NULL;
}
#define SYNTAX(ps, pos, msg) fail_at((ps), (pos), PQF_ERR_INVALID_ARG, (msg))

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '$';
}

static void skip_space(parser *ps) {
    while (ps->i < ps->n && is_space(ps->s[ps->i])) ps->i++;
}

/* Case-insensitive keyword at the cursor (a whole word); consumed when it matches. */
static int keyword(parser *ps, const char *kw) {
    skip_space(ps);
    size_t k = strlen(kw);
    if (ps->n - ps->i < k) return 0;
    for (size_t j = 0; j < k; j++) {
        char c = ps->s[ps->i + j];
        if (c >= 'a' && c <= 'z') c = (char)(c - 32);
        if (c != kw[j]) return 0;
    }
    if (ps->i + k < ps->n && is_word(ps->s[ps->i + k])) return 0;
    ps->i += k;
    return 1;
}

static int punct(parser *ps, char c) {
    skip_space(ps);
    if (ps->i < ps->n && ps->s[ps->i] == c) {
        ps->i++;
        return 1;
    }
    return 0;
}

/* A quoted run (q is ' or ", doubled inside to escape) appended at dst[*w]. */
static int quoted_into(parser *ps, char q, char *dst, size_t *w) {
    size_t start = ps->i++;
    for (;;) {
        if (ps->i >= ps->n) {
            SYNTAX(ps, start, q == '\'' ? "unterminated string" : "unterminated quoted column name");
            return -1;
        }
        char c = ps->s[ps->i++];
        if (c == q) {
            if (ps->i < ps->n && ps->s[ps->i] == q) {
                ps->i++;
            } else {
                return 0;
            }
        }
        dst[(*w)++] = c;
    }
}

/* A string literal into the scratch buffer. */
static int quoted(parser *ps, char q, const char **out, size_t *len) {
    char *dst = ps->scratch + ps->scratch_used;
    size_t w = 0;
    if (quoted_into(ps, q, dst, &w)) return -1;
    dst[w] = 0;
    ps->scratch_used += w + 1;
    *out = dst;
    *len = w;
    return 0;
}

/* A column path: bare words (letters, digits, _, $, dots) and "quoted"
 * parts, joined by dots: a.b, "a b".c, "x"."y.z". */
static int column(parser *ps, const char **name, size_t *len, uint32_t *pos) {
    skip_space(ps);
    *pos = (uint32_t)ps->i;
    static const char *const reserved[] = {"AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "DATE",
                                           "TIMESTAMP"};
    size_t save = ps->i;
    for (size_t r = 0; r < sizeof reserved / sizeof *reserved; r++) {
        if (keyword(ps, reserved[r])) {
            ps->i = save;
            SYNTAX(ps, save, "expected a column name (quote names that are keywords)");
            return -1;
        }
    }
    if (ps->i < ps->n && ps->s[ps->i] >= '0' && ps->s[ps->i] <= '9') {
        SYNTAX(ps, ps->i, "expected a column name");
        return -1;
    }
    char *dst = ps->scratch + ps->scratch_used;
    size_t w = 0;
    for (;;) {
        size_t part = ps->i;
        if (ps->i < ps->n && ps->s[ps->i] == '"') {
            size_t before = w;
            if (quoted_into(ps, '"', dst, &w)) return -1;
            if (w == before) {
                SYNTAX(ps, part, "empty column name");
                return -1;
            }
        } else {
            while (ps->i < ps->n && is_word(ps->s[ps->i])) dst[w++] = ps->s[ps->i++];
            if (ps->i == part) {
                SYNTAX(ps, part, "expected a column name");
                return -1;
            }
        }
        /* a bare word ending in '.' may go on with a quoted part */
        if (ps->i < ps->n && ps->s[ps->i] == '"' && w && dst[w - 1] == '.') continue;
        /* a quoted part goes on with ".next" */
        if (ps->i + 1 < ps->n && ps->s[ps->i] == '.' && (ps->s[ps->i + 1] == '"' || is_word(ps->s[ps->i + 1]))) {
            dst[w++] = '.';
            ps->i++;
            continue;
        }
        break;
    }
    dst[w] = 0;
    ps->scratch_used += w + 1;
    *name = dst;
    *len = w;
    return 0;
}

static int literal(parser *ps, pqf_pred_lit *lit) {
    skip_space(ps);
    lit->pos = (uint32_t)ps->i;
    if (keyword(ps, "TRUE") || keyword(ps, "FALSE")) {
        lit->kind = PQF_VAL_NUMBER;
        lit->ptr = (ps->s[lit->pos] == 't' || ps->s[lit->pos] == 'T') ? "1" : "0";
        lit->len = 1;
        return 0;
    }
    int kind = PQF_VAL_STRING;
    if (keyword(ps, "DATE")) kind = PQF_VAL_DATE;
    else if (keyword(ps, "TIMESTAMP")) kind = PQF_VAL_TIMESTAMP;
    skip_space(ps);
    if (ps->i < ps->n && ps->s[ps->i] == '\'') {
        lit->kind = kind;
        return quoted(ps, '\'', &lit->ptr, &lit->len);
    }
    if (kind != PQF_VAL_STRING) {
        SYNTAX(ps, ps->i, "expected a quoted date or timestamp");
        return -1;
    }
    size_t start = ps->i;
    while (ps->i < ps->n && (is_word(ps->s[ps->i]) || ps->s[ps->i] == '-' || ps->s[ps->i] == '+')) {
        char c = ps->s[ps->i];
        /* a sign only leads the number or its exponent */
        if ((c == '-' || c == '+') && ps->i > start && ps->s[ps->i - 1] != 'e' && ps->s[ps->i - 1] != 'E') break;
        ps->i++;
    }
    if (ps->i == start) {
        SYNTAX(ps, start, "expected a literal");
        return -1;
    }
    if (ps->i - start > 1100 || !pqf_num_valid(ps->s + start, ps->i - start)) {
        SYNTAX(ps, start, ps->i - start > 1100 ? "number literal too long" : "malformed number literal");
        return -1;
    }
    lit->kind = PQF_VAL_NUMBER;
    lit->ptr = ps->s + start;
    lit->len = ps->i - start;
    return 0;
}

static int comparison_op(parser *ps) {
    skip_space(ps);
    const char *p = ps->s + ps->i;
    size_t left = ps->n - ps->i;
    static const struct { const char *t; int op; } ops[] = {
        {"!=", PQF_OP_NE}, {"<>", PQF_OP_NE}, {"<=", PQF_OP_LE}, {">=", PQF_OP_GE},
        {"=", PQF_OP_EQ},  {"<", PQF_OP_LT},  {">", PQF_OP_GT},
    };
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        size_t l = strlen(ops[k].t);
        if (left >= l && memcmp(p, ops[k].t, l) == 0) {
            ps->i += l;
            return ops[k].op;
        }
    }
    return -1;
}

static pqf_pred *parse_expr(parser *ps);

static pqf_pred *parse_test(parser *ps) {
    const char *name;
    size_t nlen;
    uint32_t cpos;
    if (column(ps, &name, &nlen, &cpos)) return NULL;
    pqf_pred *p = NULL;
    size_t at = (skip_space(ps), ps->i);
    if (keyword(ps, "IS")) {
        int neg = keyword(ps, "NOT");
        if (!keyword(ps, "NULL")) return SYNTAX(ps, ps->i, "expected NULL after IS");
        p = pqf_pred_leaf(ps->alc, PN_ISNULL, name, nlen, NULL, 0);
        if (p) p->negated = (uint8_t)neg;
    } else if (keyword(ps, "IN")) {
        if (!punct(ps, '(')) return SYNTAX(ps, ps->i, "expected '(' after IN");
        size_t cap = 8, n = 0;
        pqf_allocator a = pqf_allocator_resolve(ps->alc);
        pqf_pred_lit *lits = a.alloc(a.ctx, cap * sizeof *lits);
        if (!lits) return fail_at(ps, at, PQF_ERR_NOMEM, "out of memory");
        for (;;) {
            if (n == cap) {
                pqf_pred_lit *more = a.alloc(a.ctx, 2 * cap * sizeof *lits);
                if (!more) break;
                memcpy(more, lits, n * sizeof *lits);
                a.free(a.ctx, lits, cap * sizeof *lits);
                lits = more;
                cap *= 2;
            }
            if (literal(ps, &lits[n])) break;
            n++;
            if (punct(ps, ',')) continue;
            if (punct(ps, ')')) {
                p = pqf_pred_leaf(ps->alc, PN_IN, name, nlen, lits, n);
                if (!p) fail_at(ps, at, PQF_ERR_NOMEM, "out of memory");
            } else {
                SYNTAX(ps, ps->i, "expected ',' or ')' in the IN list");
            }
            break;
        }
        if (!p && !ps->failed) fail_at(ps, at, PQF_ERR_NOMEM, "out of memory");
        a.free(a.ctx, lits, cap * sizeof *lits);
        if (!p) return NULL;
    } else {
        int op = comparison_op(ps);
        if (op < 0) return SYNTAX(ps, at, "expected = != < <= > >= IN or IS after the column");
        pqf_pred_lit lit;
        if (literal(ps, &lit)) return NULL;
        p = pqf_pred_leaf(ps->alc, PN_CMP, name, nlen, &lit, 1);
        if (p) p->op = (uint8_t)op;
    }
    if (!p) return fail_at(ps, at, PQF_ERR_NOMEM, "out of memory");
    p->col_pos = cpos;
    return p;
}

static pqf_pred *parse_neg(parser *ps) {
    skip_space(ps);
    size_t at = ps->i;
    if (++ps->depth > PQF_PRED_MAX_DEPTH) return fail_at(ps, at, PQF_ERR_DEPTH, "expression nested too deeply");
    pqf_pred *p;
    if (keyword(ps, "NOT")) {
        p = parse_neg(ps);
        if (p && p->depth >= PQF_PRED_MAX_DEPTH) {
            pqf_pred_free(p);
            p = fail_at(ps, at, PQF_ERR_DEPTH, "expression nested too deeply");
        } else if (p && !(p = pqf_pred_not(p))) {
            fail_at(ps, at, PQF_ERR_NOMEM, "out of memory");
        }
    } else if (punct(ps, '(')) {
        p = parse_expr(ps);
        if (p && !punct(ps, ')')) {
            pqf_pred_free(p);
            p = SYNTAX(ps, ps->i, "expected ')'");
        }
    } else {
        p = parse_test(ps);
    }
    ps->depth--;
    return p;
}

/* One level of AND or OR: operands joined by kw. */
static pqf_pred *parse_chain(parser *ps, const char *kw, pqf_pred *(*operand)(parser *),
                             pqf_pred *(*join)(pqf_pred *, pqf_pred *)) {
    pqf_pred *p = operand(ps);
    while (p && keyword(ps, kw)) {
        size_t at = ps->i;
        pqf_pred *q = operand(ps);
        if (!q) {
            pqf_pred_free(p);
            return NULL;
        }
        int deep = p->depth >= PQF_PRED_MAX_DEPTH || q->depth >= PQF_PRED_MAX_DEPTH;
        if (!(p = join(p, q)))
            return deep ? fail_at(ps, at, PQF_ERR_DEPTH, "expression nested too deeply")
                        : fail_at(ps, at, PQF_ERR_NOMEM, "out of memory");
    }
    return p;
}

static pqf_pred *parse_conj(parser *ps) { return parse_chain(ps, "AND", parse_neg, pqf_pred_and); }
static pqf_pred *parse_expr(parser *ps) { return parse_chain(ps, "OR", parse_conj, pqf_pred_or); }

pqf_pred *pqf_pred_parse(const char *text, size_t len, const pqf_allocator *alc, pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    pqf_error_set(err, PQF_OK, "ok", 0);
    if (!text || len > PQF_PRED_MAX_TEXT) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, text ? "predicate text too long" : "predicate text is NULL", 0);
        return NULL;
    }
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.s = text;
    ps.n = len;
    ps.alc = alc;
    ps.err = err;
    pqf_allocator a = pqf_allocator_resolve(alc);
    ps.scratch = a.alloc(a.ctx, 2 * len + 2); /* names and strings, each NUL-terminated */
    if (!ps.scratch) {
        pqf_error_set(err, PQF_ERR_NOMEM, "out of memory", 0);
        return NULL;
    }
    pqf_pred *p = parse_expr(&ps);
    skip_space(&ps);
    if (p && ps.i != ps.n) {
        pqf_pred_free(p);
        p = SYNTAX(&ps, ps.i, "unexpected text after the expression");
    }
    if (!p && !ps.failed) fail_at(&ps, ps.i, PQF_ERR_NOMEM, "out of memory");
    a.free(a.ctx, ps.scratch, 2 * len + 2);
    return p;
}
