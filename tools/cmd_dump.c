/* cmd_dump.c -- `pqfoot dump`: options and the per-file loop; the JSON comes
 * from pqf_footer_write_json(), the human form from cli_dump_text.c. */
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "cli_stats.h"
#include "cli_dump_text.h"

static const char dump_help[] =
    "usage: pqfoot dump [OPTIONS] FILE...\n"
    "\n"
    "Print each file's footer: a summary, the schema tree, the row groups and a\n"
    "table of column chunks per row group. Footers with more than 6 row groups\n"
    "show the first 3 and the last 3 unless --all or --row-group is given.\n"
    "FILE '-' reads a whole file from standard input (at most 1 GiB).\n"
    "\n"
    "options:\n"
    "  --json               one line of canonical JSON per file instead\n"
    "  --all                every row group\n"
    "  --row-group N[-M]    only row group N (or N through M)\n"
    "  --column PATH        only chunks of this column or group (repeatable)\n"
    "  --columns A,B.C      decode only these columns' chunks (library projection)\n"
    "  --page-index         keep and show offset/column index locations\n"
    "  --bloom              keep and show bloom filter locations\n"
    "  --kv                 keep and show the key-value metadata\n"
    "  --stats A,B.C        keep and show these columns' statistics (pruning; text only)\n"
    "  --portable           decode without the AVX-512 path (same results)\n"
    "  --no-path-check      do not check path_in_schema against the schema\n"
    "  --unknown-size       do not tell the library the file's size: byte ranges\n"
    "                       are not checked against it (shows what it can decode)\n"
    "  -h, --help           show this help\n";

typedef struct dump_args {
    pqf_cli_decode_opts dec;
    int json, unknown_size;
    pqf_cli_dump_view view; /* what the human output shows */
    pqf_cli_stats_opt stats;
} dump_args;

/* Parses "N" or "N-M" into an inclusive range. */
static int parse_range(const char *s, uint64_t *lo, uint64_t *hi) {
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n + 1);
    char *dash = strchr(buf, '-');
    if (dash) *dash = '\0';
    if (pqf_cli_parse_u64(buf, lo) != 0) return -1;
    if (!dash) {
        *hi = *lo;
        return 0;
    }
    if (pqf_cli_parse_u64(dash + 1, hi) != 0 || *hi < *lo) return -1;
    return 0;
}

static int dump_json(const char *file, const pqf_footer *f) {
    pqf_code rc = pqf_footer_write_json(f, file, pqf_cli_write_stdout, NULL);
    if (rc != PQF_OK) pqf_cli_check_output();
    fputc('\n', stdout);
    return rc == PQF_OK ? 0 : -1;
}

static int dump_option(void *ctx, const char *cmd, int argc, char **argv, int *i) {
    dump_args *a = ctx;
    const char *arg = argv[*i], *val;
    int r;
    if (strcmp(arg, "--json") == 0) {
        a->json = 1;
        return 1;
    }
    if (strcmp(arg, "--all") == 0) {
        a->view.all = 1;
        return 1;
    }
    if (strcmp(arg, "--unknown-size") == 0) {
        a->unknown_size = 1;
        return 1;
    }
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--row-group", &val)) != 0) {
        if (r < 0) return -1;
        if (parse_range(val, &a->view.rg_lo, &a->view.rg_hi) != 0) {
            pqf_cli_usage(cmd, "--row-group wants N or N-M, not '%s'", val);
            return -1;
        }
        a->view.have_range = 1;
        return 1;
    }
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--column", &val)) != 0) {
        if (r < 0) return -1;
        a->view.filters[a->view.nfilters++] = val;
        return 1;
    }
    if ((r = pqf_cli_stats_option(cmd, argc, argv, i, &a->stats, &a->dec.opt)) != 0) return r;
    return pqf_cli_decode_opt(cmd, argc, argv, i, &a->dec);
}

int pqf_cli_cmd_dump(int argc, char **argv) {
    dump_args a;
    memset(&a, 0, sizeof a);
    pqf_cli_decode_opts_init(&a.dec);
    pqf_cli_style_init(&a.view.style);
    /* --column can repeat at most once per argument. */
    a.view.filters = malloc((size_t)argc * sizeof *a.view.filters);
    if (!a.view.filters) {
        pqf_cli_errorf("out of memory");
        return PQF_CLI_FAIL;
    }
    char **files = NULL;
    int nfiles = 0, status = PQF_CLI_OK;
    int r = pqf_cli_parse_args("dump", argc, argv, dump_help, dump_option, &a, "FILE", &files,
                               &nfiles);
    if (r == PQF_CLI_ARGS_RUN && a.json && (a.view.have_range || a.view.nfilters)) {
        pqf_cli_usage("dump", "--row-group and --column shape the human output only; "
                              "use --columns with --json");
        r = PQF_CLI_ARGS_USAGE;
    }
    if (r == PQF_CLI_ARGS_USAGE) status = PQF_CLI_USAGE;
    pqf_dctx *dctx = r == PQF_CLI_ARGS_RUN ? pqf_dctx_new(NULL) : NULL; /* NULL: decode without one */
    for (int i = 0; r == PQF_CLI_ARGS_RUN && i < nfiles; i++) {
        const char *file = files[i];
        pqf_error err;
        pqf_footer *f = pqf_cli_decode(dctx, file, &a.dec.opt, a.unknown_size, &err);
        if (!f) {
            if (a.json) {
                pqf_cli_json_error(file, &err);
                fputc('\n', stdout);
            }
            pqf_cli_decode_error_in(file, &err, &a.dec.opt);
            status = PQF_CLI_FAIL;
        } else {
            if (!a.json && i > 0) fputc('\n', stdout);
            int rc = a.json ? dump_json(file, f) : pqf_cli_dump_text(file, f, &a.view);
            if (rc != 0) status = PQF_CLI_FAIL;
            if (!a.json) pqf_cli_print_stats(f);
            pqf_footer_free(f);
        }
        pqf_cli_check_output();
    }
    pqf_dctx_free(dctx);
    free(files);
    free(a.view.filters);
    pqf_cli_stats_free(&a.stats);
    pqf_cli_decode_opts_free(&a.dec);
    return status;
}
