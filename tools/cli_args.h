/* cli_args.h -- the command-line loop shared by every command: options may
 * come before, between or after the files; "--" ends the options. */
#ifndef PQF_CLI_ARGS_H
#define PQF_CLI_ARGS_H

/*
 * Handles the option at argv[*i] (advancing *i past a value it takes).
 * Returns 1 when handled, 0 when the option is unknown, -1 after printing a
 * usage error.
 */
typedef int (*pqf_cli_option_fn)(void *ctx, const char *cmd, int argc, char **argv, int *i);

/* Outcome of pqf_cli_parse_args(). */
enum { PQF_CLI_ARGS_RUN = 0, PQF_CLI_ARGS_HELP = 1, PQF_CLI_ARGS_USAGE = -1 };

/*
 * Walks argv[1..argc): -h/--help prints `help` to stdout and returns
 * PQF_CLI_ARGS_HELP; other arguments starting with '-' (except "-" itself)
 * go to `option` (NULL: no options besides --help); everything else is a
 * file, collected into *files (malloc'd, free it; argv order kept). Returns
 * PQF_CLI_ARGS_RUN with at least one file, else PQF_CLI_ARGS_USAGE after
 * printing why (`what` names the expected operands, e.g. "FILE").
 */
int pqf_cli_parse_args(const char *cmd, int argc, char **argv, const char *help,
                       pqf_cli_option_fn option, void *ctx, const char *what, char ***files,
                       int *nfiles);

#endif
