/* cli_select.c -- LIST arguments of `slice` and `slim` (cli_select.h). */
#include "cli_select.h"

#include <stdlib.h>
#include <string.h>

#include "cli_common.h"

typedef struct list_out {
    uint32_t *v;
    size_t n, cap;
} list_out;

static int push(list_out *o, uint32_t x) {
    if (o->n == o->cap) {
        if (o->cap >= PQF_CLI_MAX_LIST) return -1;
        size_t cap = o->cap ? o->cap * 2 : 16;
        uint32_t *nv = realloc(o->v, cap * sizeof *nv);
        if (!nv) return -1;
        o->v = nv;
        o->cap = cap;
    }
    o->v[o->n++] = x;
    return 0;
}

/* A whole decimal number in [s, e). */
static int number(const char *s, const char *e, uint64_t *v) {
    if (s == e || e - s > 19) return -1;
    uint64_t x = 0;
    for (const char *p = s; p < e; p++) {
        if (*p < '0' || *p > '9') return -1;
        x = x * 10 + (uint64_t)(*p - '0');
    }
    *v = x;
    return 0;
}

/* An index or a range A-B in [s, e); 1 if it is one, 0 if not numeric, -1 on overflow. */
static int index_item(const char *s, const char *e, uint64_t limit, list_out *o) {
    const char *dash = memchr(s, '-', (size_t)(e - s));
    uint64_t a, b;
    if (dash ? (number(s, dash, &a) || number(dash + 1, e, &b)) : number(s, e, &a)) return 0;
    if (!dash) b = a;
    if (a > b || b >= limit) return -2;
    for (uint64_t x = a; x <= b; x++)
        if (push(o, (uint32_t)x)) return -1;
    return 1;
}

static int fail(const char *cmd, const char *opt, list_out *o, const char *why, const char *s, size_t n) {
    free(o->v);
    pqf_cli_usage(cmd, "%s: %s '%.*s'", opt, why, (int)n, s);
    return -1;
}

int pqf_cli_parse_index_list(const char *cmd, const char *opt, const char *s, uint64_t limit, uint32_t **out,
                             size_t *n) {
    list_out o = {0};
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, ',');
        if (!e) e = p + strlen(p);
        int r = index_item(p, e, limit, &o);
        if (r == 0) return fail(cmd, opt, &o, "not an index or range", p, (size_t)(e - p));
        if (r == -2) return fail(cmd, opt, &o, "out of range", p, (size_t)(e - p));
        if (r < 0) return fail(cmd, opt, &o, "list too long", p, (size_t)(e - p));
        if (!*e) break;
        p = e + 1;
    }
    *out = o.v;
    *n = o.n;
    return 0;
}

int pqf_cli_parse_column_list(const char *cmd, const char *opt, const char *s, const pqf_footer *f, uint32_t **out,
                              size_t *n) {
    list_out o = {0};
    size_t nc = pqf_column_count(f);
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, ',');
        if (!e) e = p + strlen(p);
        size_t len = (size_t)(e - p);
        int r = index_item(p, e, nc, &o);
        if (r == -2) return fail(cmd, opt, &o, "column index out of range", p, len);
        if (r == -1) return fail(cmd, opt, &o, "list too long", p, len);
        if (r == 0) { /* a path: the leaf itself or every leaf below a group */
            size_t before = o.n;
            for (size_t c = 0; c < nc; c++) {
                pqf_column lc;
                if (pqf_column_get(f, c, &lc) != PQF_OK) continue;
                const pqf_str *path = &lc.path;
                if (path->len >= len && memcmp(path->ptr, p, len) == 0 &&
                    (path->len == len || path->ptr[len] == '.') && push(&o, (uint32_t)c))
                    return fail(cmd, opt, &o, "list too long", p, len);
            }
            if (o.n == before) return fail(cmd, opt, &o, "no such column", p, len);
        }
        if (!*e) break;
        p = e + 1;
    }
    *out = o.v;
    *n = o.n;
    return 0;
}
