/* cmd_prune.c -- `pqfoot prune`: which row groups of each file may hold rows
 * matching a predicate, from statistics and bloom filters (docs/prune.md). */
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "cli_json.h"
#include "cli_walk.h"
#include "pqfoot_dataset.h"

static const char prune_help[] =
    "usage: pqfoot prune --where 'EXPR' [--json] [--no-bloom] FILE|DIR|INDEX.pqfi...\n"
    "\n"
    "For each file, the row groups that may hold a row matching EXPR, decided from\n"
    "the row groups' statistics and (for = and IN) bloom filters. A row group left\n"
    "out holds no matching row. A directory stands for its dataset files, as\n"
    "'pqfoot index build' finds them; an index (.pqfi) for the files it lists,\n"
    "answering from its own footers when it was built with the predicate's\n"
    "columns (pqfoot index build --stats).\n"
    "\n"
    "EXPR: COL OP LIT (OP one of = != < <= > >=), COL IN (LIT, ...), COL IS NULL,\n"
    "COL IS NOT NULL, AND, OR, NOT, parentheses. COL is a dotted path (double-quote\n"
    "it if needed); literals are numbers, 'strings' (SQL quoting), DATE 'YYYY-MM-DD'\n"
    "and TIMESTAMP 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' (UTC).\n"
    "\n"
    "options:\n"
    "  --where EXPR         the predicate (required)\n"
    "  --json               one JSON line per file:\n"
    "                       {\"file\": PATH, \"row_groups\": [i, ...], \"num_row_groups\": N}\n"
    "  --no-bloom           statistics only: do not read bloom filters\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 success, 1 a file failed, 2 usage error or a bad predicate\n";

typedef struct prune_run {
    const char *where;
    int json, no_bloom;
    pqf_pred *pred;
    const char **cols;
    size_t ncols;
    int failed;
    int fatal; /* a predicate error: stop with status 2 */
} prune_run;

static int prune_option(void *ctx, const char *cmd, int argc, char **argv, int *i) {
    prune_run *run = ctx;
    int r = pqf_cli_opt_value(cmd, argc, argv, i, "--where", &run->where);
    if (r) return r;
    if (strcmp(argv[*i], "--json") == 0) return run->json = 1;
    if (strcmp(argv[*i], "--no-bloom") == 0) return run->no_bloom = 1;
    return 0;
}

/* The predicate's own error: "pqfoot: [FILE: ]--where position N: message (detail)". */
static void predicate_error(const char *file, const pqf_error *err) {
    pqf_cli_errorf("%s%s--where position %llu: %s (%s)", file ? file : "", file ? ": " : "",
                   (unsigned long long)err->offset, err->msg, err->path);
}

static void print_result(const prune_run *run, const char *file, const uint8_t *keep, size_t n) {
    if (run->json) {
        fputs("{\"file\": ", stdout);
        pqf_cli_json_string(stdout, file, strlen(file));
        fputs(", \"row_groups\": [", stdout);
        const char *sep = "";
        for (size_t i = 0; i < n; i++) {
            if (!keep[i]) continue;
            printf("%s%zu", sep, i);
            sep = ", ";
        }
        printf("], \"num_row_groups\": %zu}\n", n);
        return;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) kept += keep[i];
    pqf_cli_put_text(stdout, file, strlen(file));
    printf(": %zu of %zu row groups may match", kept, n);
    const char *sep = ": ";
    for (size_t i = 0; i < n; i++) {
        if (!keep[i]) continue;
        printf("%s%zu", sep, i);
        sep = " ";
    }
    putchar('\n');
}

/* Answer for one decoded footer; the bloom filters are read from file. */
static void prune_footer(prune_run *run, const char *file, const pqf_footer *f) {
    pqf_error err;
    size_t n = pqf_row_group_count(f);
    uint8_t *keep = malloc(n ? n : 1);
    if (!keep) {
        pqf_cli_errorf("out of memory");
        run->failed = 1;
        return;
    }
    pqf_code rc = run->no_bloom ? pqf_pred_eval(run->pred, f, keep, &err)
                                : pqf_pred_eval_bloom_file(run->pred, f, file, keep, &err);
    if (rc == PQF_ERR_NO_COLUMN || (rc == PQF_ERR_INVALID_ARG && err.offset < strlen(run->where))) {
        predicate_error(file, &err);
        run->fatal = 1;
    } else if (rc) {
        pqf_cli_decode_error(file, &err);
        run->failed = 1;
    } else {
        print_result(run, file, keep, n);
    }
    free(keep);
    pqf_cli_check_output();
}

static void prune_file(void *ctx, const char *file) {
    prune_run *run = ctx;
    if (run->fatal) return;
    pqf_options opt;
    memset(&opt, 0, sizeof opt);
    opt.stats_columns = run->cols;
    opt.num_stats_columns = run->ncols;
    pqf_error err;
    pqf_footer *f = pqf_footer_decode_file(file, &opt, &err);
    if (!f && err.code == PQF_ERR_NO_COLUMN) {
        /* a predicate column this file lacks: decode without statistics so the
         * predicate reports it with its position */
        f = pqf_footer_decode_file(file, NULL, &err);
    }
    if (!f) {
        pqf_cli_decode_error(file, &err);
        run->failed = 1;
        return;
    }
    prune_footer(run, file, f);
    pqf_footer_free(f);
}

static int has_suffix(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Does f hold statistics for every column the predicate names? */
static int has_pred_stats(const prune_run *run, const pqf_footer *f) {
    for (size_t i = 0; i < run->ncols; i++) {
        size_t col;
        int has = 0;
        if (pqf_column_find(f, run->cols[i], &col) != PQF_OK || pqf_column_has_stats(f, col, &has) != PQF_OK ||
            !has)
            return 0;
    }
    return 1;
}

/* The files an index lists: pruned from the index's own footers when it kept
 * the predicate's statistics (`index build --stats`), else from the files'. */
static void prune_index(prune_run *run, const char *index) {
    pqf_error err;
    pqf_dataset *ds = pqf_dataset_load(index, NULL, &err);
    if (!ds) {
        pqf_cli_decode_error(index, &err);
        run->failed = 1;
        return;
    }
    for (size_t i = 0; i < pqf_dataset_file_count(ds) && !run->fatal; i++) {
        pqf_dataset_file df;
        if (pqf_dataset_file_get(ds, i, &df) != PQF_OK) continue;
        if (has_pred_stats(run, df.footer)) prune_footer(run, df.path, df.footer);
        else prune_file(run, df.path);
    }
    pqf_dataset_free(ds);
}

int pqf_cli_cmd_prune(int argc, char **argv) {
    prune_run run;
    memset(&run, 0, sizeof run);
    char **files = NULL;
    int nfiles = 0, status = PQF_CLI_OK;
    int r = pqf_cli_parse_args("prune", argc, argv, prune_help, prune_option, &run, "FILE, DIR or INDEX", &files,
                               &nfiles);
    if (r == PQF_CLI_ARGS_USAGE) {
        status = PQF_CLI_USAGE;
    } else if (r == PQF_CLI_ARGS_RUN && !run.where) {
        status = pqf_cli_usage("prune", "--where EXPR is required");
    } else if (r == PQF_CLI_ARGS_RUN) {
        pqf_error err;
        run.pred = pqf_pred_parse(run.where, strlen(run.where), NULL, &err);
        if (!run.pred) {
            predicate_error(NULL, &err);
            status = PQF_CLI_USAGE;
        } else {
            run.ncols = pqf_pred_columns(run.pred, NULL, 0);
            run.cols = malloc(run.ncols * sizeof *run.cols + 1);
            if (!run.cols) {
                pqf_cli_errorf("out of memory");
                status = PQF_CLI_FAIL;
            } else {
                pqf_pred_columns(run.pred, run.cols, run.ncols);
                for (int i = 0; i < nfiles && !run.fatal; i++) {
                    if (has_suffix(files[i], ".pqfi")) prune_index(&run, files[i]);
                    else if (pqf_cli_walk(files[i], prune_file, &run) != 0) run.failed = 1;
                }
                status = run.fatal ? PQF_CLI_USAGE : run.failed ? PQF_CLI_FAIL : PQF_CLI_OK;
            }
        }
    }
    free(run.cols);
    pqf_pred_free(run.pred);
    free(files);
    return status;
}
