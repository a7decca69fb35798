/* cli_table.h -- a small text table: rows of string cells printed with
 * columns padded to their widest cell. */
#ifndef PQF_CLI_TABLE_H
#define PQF_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct pqf_cli_table {
    size_t ncols;
    const char *align;   /* one 'l' or 'r' per column */
    size_t *widths;      /* display width of each column so far */
    char **cells;        /* nrows * ncols copies, row-major; row 0 = headers */
    size_t nrows, cap;
} pqf_cli_table;

/* Starts a table with the given header cells (copied) and alignments. */
int pqf_cli_table_init(pqf_cli_table *t, size_t ncols, const char *const *headers,
                       const char *align);
/* Appends a row of ncols cells (copied; NULL prints as "-"). 0 on success. */
int pqf_cli_table_add(pqf_cli_table *t, const char *const *cells);
/* Prints every row, each prefixed by `indent` spaces, the header row between
 * the style strings. */
void pqf_cli_table_print(const pqf_cli_table *t, FILE *fp, int indent, const char *head_on,
                         const char *head_off);
void pqf_cli_table_free(pqf_cli_table *t);

#endif
