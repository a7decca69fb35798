/* cmd_slice.c -- `pqfoot slice`: a metadata-only Parquet file for chosen row
 * groups and columns (pqf_footer_slice(), docs/slice.md). Public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "cli_outfile.h"
#include "cli_select.h"
#include "pqfoot.h"

static const char slice_help[] =
    "usage: pqfoot slice FILE --row-groups LIST [--columns LIST] [--stats] [--kv] -o OUT\n"
    "\n"
    "Writes OUT, a metadata-only Parquet file (\"PAR1\", a FileMetaData, its length,\n"
    "\"PAR1\") that describes only the chosen row groups and columns of FILE. A\n"
    "reader given OUT's footer reads those row groups and columns from FILE\n"
    "(docs/slice.md). LIST is comma-separated indexes and ranges A-B; columns also\n"
    "by dotted path (a group names every leaf below it).\n"
    "\n"
    "options:\n"
    "  --row-groups LIST  row groups, in the order the slice lists them (required)\n"
    "  --columns LIST     leaf columns (default: all); kept in file order\n"
    "  --stats            the chosen columns' statistics (and bloom filter locations)\n"
    "  --kv               copy the file's key-value metadata (e.g. ARROW:schema)\n"
    "  -o, --output OUT   the file to write (required; written atomically)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 written, 1 the file or the slice failed, 2 usage.\n";

typedef struct slice_args {
    const char *row_groups, *columns, *out;
    uint32_t flags;
} slice_args;

static int slice_option(void *ctx, const char *cmd, int argc, char **argv, int *i) {
    slice_args *a = ctx;
    int r;
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--row-groups", &a->row_groups))) return r;
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--columns", &a->columns))) return r;
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--output", &a->out))) return r;
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "-o", &a->out))) return r;
    if (strcmp(argv[*i], "--stats") == 0) {
        a->flags |= PQF_SLICE_STATS;
        return 1;
    }
    if (strcmp(argv[*i], "--kv") == 0) {
        a->flags |= PQF_SLICE_KV;
        return 1;
    }
    return 0;
}

/* --stats: the column LIST is resolved against a first decode, then the file
 * is decoded again keeping the statistics of exactly those columns (every
 * column when no LIST was given; *cols is then filled in). Frees f; returns
 * the new footer, or NULL after printing the error. */
static pqf_footer *redecode_with_stats(const char *path, pqf_options *opt, pqf_footer *f, uint32_t **cols,
                                       size_t *ncols, pqf_error *err) {
    if (!*ncols) {
        size_t n = pqf_column_count(f);
        free(*cols);
        *cols = malloc((n ? n : 1) * sizeof **cols);
        if (!*cols) {
            pqf_footer_free(f);
            pqf_cli_errorf("%s: out of memory", path);
            return NULL;
        }
        for (size_t i = 0; i < n; i++) (*cols)[i] = (uint32_t)i;
        *ncols = n;
    }
    pqf_footer_free(f);
    opt->stats_column_indexes = *cols;
    opt->num_stats_column_indexes = *ncols;
    f = pqf_footer_decode_file(path, opt, err);
    if (!f) pqf_cli_decode_error(path, err);
    return f;
}

int pqf_cli_cmd_slice(int argc, char **argv) {
    slice_args a = {0};
    char **files = NULL;
    int nfiles = 0;
    int r = pqf_cli_parse_args("slice", argc, argv, slice_help, slice_option, &a, "FILE", &files, &nfiles);
    if (r == PQF_CLI_ARGS_HELP) return PQF_CLI_OK;
    if (r != PQF_CLI_ARGS_RUN) return PQF_CLI_USAGE;
    if (nfiles != 1 || !a.row_groups || !a.out) {
        free(files);
        return pqf_cli_usage("slice", nfiles != 1 ? "one FILE expected" : "--row-groups and -o are required");
    }
    const char *path = files[0];
    free(files);
    pqf_options opt = {0};
    opt.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | ((a.flags & PQF_SLICE_KV) ? PQF_KEEP_KV : 0);
    pqf_error err;
    pqf_footer *f = pqf_footer_decode_file(path, &opt, &err);
    if (!f) {
        pqf_cli_decode_error(path, &err);
        return PQF_CLI_FAIL;
    }
    uint32_t *rgs = NULL, *cols = NULL;
    size_t nrgs = 0, ncols = 0;
    int status = PQF_CLI_USAGE;
    if (pqf_cli_parse_index_list("slice", "--row-groups", a.row_groups, pqf_row_group_count(f), &rgs, &nrgs) == 0 &&
        (!a.columns || pqf_cli_parse_column_list("slice", "--columns", a.columns, f, &cols, &ncols) == 0)) {
        status = PQF_CLI_FAIL;
        if ((a.flags & PQF_SLICE_STATS) && !(f = redecode_with_stats(path, &opt, f, &cols, &ncols, &err)))
            goto done;
        pqf_slice_options so = {rgs, nrgs, cols, ncols, a.flags};
        pqf_cli_outfile o;
        if (pqf_cli_outfile_open(&o, a.out) == 0) {
            pqf_code rc = pqf_footer_slice(f, &so, pqf_cli_outfile_write, &o, &err);
            if (rc) pqf_cli_errorf("%s: slice failed: %s (%s)", path, err.msg, pqf_code_name(rc));
            if (pqf_cli_outfile_close(&o, rc == PQF_OK) == 0) status = PQF_CLI_OK;
        }
    }
done:
    free(rgs);
    free(cols);
    pqf_footer_free(f);
    return status;
}
