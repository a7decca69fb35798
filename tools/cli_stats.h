/* cli_stats.h -- `dump --stats COLS`: keep and show the statistics the
 * library keeps for pruning (pqf_options.stats_columns). */
#ifndef PQF_CLI_STATS_H
#define PQF_CLI_STATS_H

#include "pqfoot.h"

typedef struct pqf_cli_stats_opt {
    char *buf;          /* the --stats argument, split in place */
    const char **cols;  /* pointers into buf */
} pqf_cli_stats_opt;

/* Consumes `--stats A,B.C` at argv[*i] into s and opt->stats_columns:
 * 1 when consumed, 0 when argv[*i] is another option, -1 after a usage error. */
int pqf_cli_stats_option(const char *cmd, int argc, char **argv, int *i, pqf_cli_stats_opt *s,
                         pqf_options *opt);
/* Prints every kept column's statistics, row group by row group. */
void pqf_cli_print_stats(const pqf_footer *f);
void pqf_cli_stats_free(pqf_cli_stats_opt *s);

#endif
