/* cli_dump_text.h -- the human-readable output of `pqfoot dump`. */
#ifndef PQF_CLI_DUMP_TEXT_H
#define PQF_CLI_DUMP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "cli_common.h"
#include "pqfoot.h"

/* What to show of a footer. */
typedef struct pqf_cli_dump_view {
    int all;                /* every row group, no eliding */
    int have_range;         /* only row groups rg_lo..rg_hi */
    uint64_t rg_lo, rg_hi;
    const char **filters;   /* --column paths: leaves or groups */
    size_t nfilters;
    pqf_cli_style style;
} pqf_cli_dump_view;

/*
 * Prints one decoded footer: a summary, the schema tree, the row groups (the
 * first and last 3 of a long footer unless v->all or a range) and a chunk
 * table per shown row group. Returns 0, or -1 after printing an error (a
 * range or filter that matches nothing, or no memory).
 */
int pqf_cli_dump_text(const char *file, const pqf_footer *f, const pqf_cli_dump_view *v);

#endif
