/* cli_args.c -- option/file separation for the pqfoot commands. */
#include "cli_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"

int pqf_cli_parse_args(const char *cmd, int argc, char **argv, const char *help,
                       pqf_cli_option_fn option, void *ctx, const char *what, char ***files,
                       int *nfiles) {
    char **list = malloc((size_t)(argc > 0 ? argc : 1) * sizeof *list);
    int n = 0, options_done = 0;
    *files = NULL;
    *nfiles = 0;
    if (!list) {
        pqf_cli_errorf("out of memory");
        return PQF_CLI_ARGS_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            list[n++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            free(list);
            fputs(help, stdout);
            return PQF_CLI_ARGS_HELP;
        }
        int r = option ? option(ctx, cmd, argc, argv, &i) : 0;
        if (r == 0) pqf_cli_usage(cmd, "unknown option '%s'", arg);
        if (r <= 0) {
            free(list);
            return PQF_CLI_ARGS_USAGE;
        }
    }
    if (n == 0) {
        free(list);
        pqf_cli_usage(cmd, "no %s given", what);
        return PQF_CLI_ARGS_USAGE;
    }
    *files = list;
    *nfiles = n;
    return PQF_CLI_ARGS_RUN;
}
