/* cli_table.c -- padded text tables for the human-readable output. */
#include "cli_table.h"

#include <stdlib.h>
#include <string.h>

#include "cli_common.h"

/* Display width: code points, counting each byte that does not continue a
 * UTF-8 sequence (good enough for names; wide glyphs are rare here). */
static size_t text_width(const char *s) {
    size_t w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* A copy of a cell escaped as pqf_cli_put_text() would print it, so names
 * taken from a file cannot drive the terminal. */
static char *copy_cell(const char *src) {
    const unsigned char *p = (const unsigned char *)src;
    size_t len = strlen(src), n = 0;
    for (size_t i = 0; i < len;) {
        size_t run = pqf_cli_text_run(p + i, len - i);
        n += run ? run : 4;
        i += run ? run : 1;
    }
    char *out = malloc(n + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < len;) {
        size_t run = pqf_cli_text_run(p + i, len - i);
        if (run) {
            memcpy(o, p + i, run);
            o += run;
            i += run;
        } else {
            snprintf(o, 5, "\\x%02x", p[i]);
            o += 4;
            i++;
        }
    }
    *o = '\0';
    return out;
}

static int add_row(pqf_cli_table *t, const char *const *cells) {
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **grown = realloc(t->cells, cap * t->ncols * sizeof *grown);
        if (!grown) return -1;
        t->cells = grown;
        t->cap = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < t->ncols; c++) {
        row[c] = copy_cell(cells[c] ? cells[c] : "-");
        if (!row[c]) {
            while (c-- > 0) free(row[c]);
            return -1;
        }
        size_t w = text_width(row[c]);
        if (w > t->widths[c]) t->widths[c] = w;
    }
    t->nrows++;
    return 0;
}

int pqf_cli_table_init(pqf_cli_table *t, size_t ncols, const char *const *headers,
                       const char *align) {
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->align = align;
    t->widths = calloc(ncols, sizeof *t->widths);
    if (!t->widths) return -1;
    return add_row(t, headers);
}

int pqf_cli_table_add(pqf_cli_table *t, const char *const *cells) {
    return add_row(t, cells);
}

static void pad(FILE *fp, size_t n) {
    while (n-- > 0) fputc(' ', fp);
}

void pqf_cli_table_print(const pqf_cli_table *t, FILE *fp, int indent, const char *head_on,
                         const char *head_off) {
    for (size_t r = 0; r < t->nrows; r++) {
        char *const *row = t->cells + r * t->ncols;
        size_t used = t->ncols; /* cells up to the last non-empty one */
        while (used > 1 && row[used - 1][0] == '\0') used--;
        pad(fp, (size_t)indent);
        if (r == 0) fputs(head_on, fp);
        for (size_t c = 0; c < used; c++) {
            size_t gap = t->widths[c] - text_width(row[c]);
            int last = c + 1 == used;
            if (c > 0) fputs("  ", fp);
            if (t->align[c] == 'r') pad(fp, gap);
            fputs(row[c], fp);
            if (t->align[c] != 'r' && !last) pad(fp, gap);
        }
        if (r == 0) fputs(head_off, fp);
        fputc('\n', fp);
    }
}

void pqf_cli_table_free(pqf_cli_table *t) {
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->cells);
    free(t->widths);
    memset(t, 0, sizeof *t);
}
