/* cmd_index.c -- `pqfoot index`: build, inspect, verify and update the
 * sidecar dataset index (.pqfi, docs/index-format.md). Public API only. */
#include "cmd_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_common.h"
#include "cli_json.h"
#include "cli_stats.h"
#include "pqfoot.h"
#include "pqfoot_dataset.h"

static const char index_help[] =
    "usage: pqfoot index COMMAND [OPTIONS] ...\n"
    "\n"
    "A dataset index holds the compact footers of many Parquet files in one\n"
    "small file that a reader loads in milliseconds (docs/index-format.md).\n"
    "\n"
    "commands:\n"
    "  build DIR|FILE... -o OUT.pqfi   decode every footer and write the index\n"
    "  info FILE.pqfi [--json]         counts, sizes, load time, retained memory\n"
    "  verify FILE.pqfi [--thorough]   list stale, missing and new files\n"
    "  update FILE.pqfi                re-decode what changed and rewrite the index\n"
    "\n"
    "exit status: 0 success; 1 failure (nothing written), or verify found\n"
    "changes; 2 usage; 3 build/update wrote the index but skipped files that\n"
    "failed to decode (--keep-going; the index lists them as known-bad).\n"
    "\n"
    "'pqfoot index COMMAND --help' describes a command's options.\n";

static const char build_help[] =
    "usage: pqfoot index build DIR|FILE... -o OUT.pqfi [OPTIONS]\n"
    "\n"
    "Decodes the footer of every file (every *.parquet under DIR, recursively,\n"
    "sorted) and writes the index atomically. Paths under the index's directory\n"
    "are stored relative to it, so the directory can move as a whole. With a\n"
    "directory the index also remembers it, and verify/update notice new files.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.pqfi  the index to write (required)\n"
    "  -j, --jobs N           decoding threads (default 1)\n"
    "  --columns A,B.C        keep only these columns' chunks\n"
    "  --page-index           keep offset/column index locations\n"
    "  --bloom                keep bloom filter locations\n"
    "  --kv                   keep the key-value metadata\n"
    "  --stats A,B.C          keep these columns' statistics, for pqfoot prune\n"
    "  --portable             decode without the AVX-512 path (same results)\n"
    "  --no-path-check        do not check path_in_schema against the schema\n"
    "  --project-existing     a file lacking a --columns path keeps the others\n"
    "                         (listed on stderr) instead of failing\n"
    "  --keep-going           skip files that fail to decode (listed on stderr);\n"
    "                         the index records them as known-bad until they change\n"
    "  -q, --quiet            no summary line\n"
    "  -h, --help             show this help\n"
    "\n"
    "A directory is searched for files named *.parquet (any case), skipping\n"
    "names that start with '.' or '_' (_SUCCESS, _metadata, _temporary/, ...)\n"
    "and symbolic links to directories. The same path given twice counts once.\n"
    "\n"
    "Progress (files done / total, files per second) goes to stderr when it is\n"
    "a terminal.\n"
    "\n"
    "Exit status: 0 the index was written with every file; 3 it was written,\n"
    "but --keep-going skipped files; 1 nothing was written (a file failed\n"
    "without --keep-going, or the index could not be written); 2 usage.\n";

static const char info_help[] =
    "usage: pqfoot index info FILE.pqfi [OPTIONS]\n"
    "\n"
    "Loads the index and reports what it holds and what it costs: files, schemas,\n"
    "row groups, rows, column chunks, the index's size, the time to load it, the\n"
    "memory the loaded dataset keeps and the total size of the footers it stands\n"
    "for.\n"
    "\n"
    "options:\n"
    "  --json        one JSON line: files, skipped, schemas, row_groups, rows,\n"
    "                column_chunks, index_bytes, load_ns, retained_bytes,\n"
    "                footer_bytes_total\n"
    "  --files       also list every file (path, row groups, rows) and every\n"
    "                skipped file with its error\n"
    "  -h, --help    show this help\n";

static const char verify_help[] =
    "usage: pqfoot index verify FILE.pqfi [--thorough]\n"
    "\n"
    "Compares every file's size and modification time with the index and lists\n"
    "the files that are stale, missing, or new (not in the index but under the\n"
    "directory it was built from). --thorough also re-reads each footer and\n"
    "compares its XXH64.\n"
    "\n"
    "Files the index records as skipped (known-bad) are not listed while their\n"
    "size and modification time stay the same; changed, they are stale.\n"
    "\n"
    "Exit status: 0 up to date, 1 something changed or the index is bad, 2 usage.\n";

static const char update_help[] =
    "usage: pqfoot index update FILE.pqfi [OPTIONS]\n"
    "\n"
    "Re-decodes stale and new files, drops missing ones, keeps the rest as they\n"
    "are and rewrites the index atomically (with the options it was built with).\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.pqfi  write the result there instead\n"
    "  -j, --jobs N           decoding threads (default 1)\n"
    "  --keep-going           skip files that fail to decode\n"
    "  -q, --quiet            no summary line\n"
    "  -h, --help             show this help\n"
    "\n"
    "Known-bad files that did not change stay recorded as such without being\n"
    "decoded again; changed ones are tried again.\n"
    "\n"
    "Exit status: 0 written, no file skipped; 3 written, but files are skipped\n"
    "(known-bad ones included); 1 nothing was written; 2 usage.\n";

/* Most -j accepts. */
#define INDEX_MAX_JOBS 1024u

/* "pqfoot: FILE: message (byte N of index)[ at WHERE]" on stderr. */
static void index_error(const char *file, const pqf_error *err) {
    const char *msg = err->msg ? err->msg : pqf_strerror(err->code);
    fputs("pqfoot: ", stderr);
    pqf_cli_put_text(stderr, file, strlen(file));
    fprintf(stderr, ": %s", msg);
    if (err->offset) fprintf(stderr, " (byte %llu of index)", (unsigned long long)err->offset);
    if (err->path[0]) fprintf(stderr, " at %s", err->path);
    fputc('\n', stderr);
}

/* ----------------------------------------------------------- options --- */

typedef struct index_args {
    pqf_cli_decode_opts dec;
    pqf_cli_stats_opt stats; /* --stats (build) */
    const char *output;
    uint64_t jobs;
    int keep_going, quiet, json, files, thorough, project_existing;
    int allow_decode, allow_output, allow_jobs, allow_json, allow_thorough;
} index_args;

static int index_option(void *ctx, const char *cmd, int argc, char **argv, int *i) {
    index_args *a = ctx;
    const char *arg = argv[*i];
    const char *val = NULL;
    int r;
    if (a->allow_output) {
        if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--output", &val)) != 0 ||
            (r = pqf_cli_opt_value(cmd, argc, argv, i, "-o", &val)) != 0) {
            if (r > 0) a->output = val;
            return r;
        }
    }
    if (a->allow_jobs) {
        if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--jobs", &val)) != 0 ||
            (r = pqf_cli_opt_value(cmd, argc, argv, i, "-j", &val)) != 0) {
            if (r < 0) return r;
            if (pqf_cli_parse_u64(val, &a->jobs) != 0 || a->jobs == 0 || a->jobs > INDEX_MAX_JOBS) {
                pqf_cli_usage(cmd, "-j needs a number of threads from 1 to %u", INDEX_MAX_JOBS);
                return -1;
            }
            return 1;
        }
        if (strcmp(arg, "--keep-going") == 0) {
            a->keep_going = 1;
            return 1;
        }
        if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            a->quiet = 1;
            return 1;
        }
    }
    if (a->allow_decode) {
        if (strcmp(arg, "--project-existing") == 0) {
            a->project_existing = 1;
            return 1;
        }
        r = pqf_cli_decode_opt(cmd, argc, argv, i, &a->dec);
        if (r == 0) r = pqf_cli_stats_option(cmd, argc, argv, i, &a->stats, &a->dec.opt);
        if (r != 0) return r;
    }
    if (a->allow_json) {
        if (strcmp(arg, "--json") == 0) {
            a->json = 1;
            return 1;
        }
        if (strcmp(arg, "--files") == 0) {
            a->files = 1;
            return 1;
        }
    }
    if (a->allow_thorough && strcmp(arg, "--thorough") == 0) {
        a->thorough = 1;
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------- progress --- */

typedef struct progress_state {
    uint64_t start_ns, last_ns;
    int shown;
} progress_state;

static void show_progress(void *ctx, size_t done, size_t total) {
    progress_state *p = ctx;
    uint64_t now = pqf_cli_now_ns();
    if (done < total && now - p->last_ns < 100000000u) return;
    p->last_ns = now;
    double secs = (double)(now - p->start_ns) / 1e9;
    double rate = secs > 0 ? (double)done / secs : 0.0;
    fprintf(stderr, "\rindex: %zu/%zu files, %.0f files/s   ", done, total, rate);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
    p->shown = 1;
}

typedef struct error_state {
    int keep_going;
    size_t failed;
    progress_state *progress;
    const pqf_options *opt; /* decode options, to name a missing column */
} error_state;

static int on_file_error(void *ctx, const char *path, const pqf_error *err) {
    error_state *e = ctx;
    if (e->progress && e->progress->shown) fputc('\n', stderr);
    pqf_cli_decode_error_in(path, err, e->opt);
    e->failed++;
    return e->keep_going ? 0 : 1;
}

static void setup_run(pqf_dataset_options *o, const index_args *a, progress_state *ps,
                      error_state *es) {
    memset(ps, 0, sizeof *ps);
    ps->start_ns = pqf_cli_now_ns();
    es->keep_going = a->keep_going;
    es->failed = 0;
    es->progress = ps;
    es->opt = &o->footer;
    o->threads = (uint32_t)a->jobs;
    o->on_error = on_file_error;
    o->on_error_ctx = es;
    if (isatty(STDERR_FILENO)) {
        o->progress = show_progress;
        o->progress_ctx = ps;
    }
}

/* "pqfoot: FILE: lacks projected column(s) a, b" on stderr for each file
 * that PQF_DS_PROJECT_EXISTING let in without some columns. */
static void report_missing(const pqf_dataset *ds) {
    for (size_t i = 0; i < pqf_dataset_file_count(ds); i++) {
        size_t n = 0;
        pqf_dataset_file df;
        if (pqf_dataset_file_missing(ds, i, NULL, 0, &n) != PQF_OK || !n ||
            pqf_dataset_file_get(ds, i, &df) != PQF_OK)
            continue;
        const char **names = malloc(n * sizeof *names);
        if (!names) {
            pqf_cli_errorf("out of memory");
            return;
        }
        (void)pqf_dataset_file_missing(ds, i, names, n, &n);
        const char *p = df.path;
        fputs("pqfoot: ", stderr);
        pqf_cli_put_text(stderr, p, strlen(p));
        fprintf(stderr, ": lacks projected column%s ", n == 1 ? "" : "s");
        for (size_t k = 0; k < n; k++) {
            if (k) fputs(", ", stderr);
            pqf_cli_put_text(stderr, names[k], strlen(names[k]));
        }
        fputc('\n', stderr);
        free(names);
    }
}

static uint64_t file_size_of(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* ------------------------------------------------------------- build --- */

static int cmd_build(int argc, char **argv) {
    index_args a;
    memset(&a, 0, sizeof a);
    pqf_cli_decode_opts_init(&a.dec);
    a.jobs = 1;
    a.allow_decode = a.allow_output = a.allow_jobs = 1;
    char **files = NULL;
    int nfiles = 0;
    int pr = pqf_cli_parse_args("index build", argc, argv, build_help, index_option, &a, "DIR or FILE",
                                &files, &nfiles);
    if (pr != PQF_CLI_ARGS_RUN) {
        pqf_cli_stats_free(&a.stats);
        pqf_cli_decode_opts_free(&a.dec);
        return pr == PQF_CLI_ARGS_HELP ? PQF_CLI_OK : PQF_CLI_USAGE;
    }
    int status = PQF_CLI_OK;
    if (!a.output) {
        status = pqf_cli_usage("index build", "-o OUT.pqfi is required");
        goto out;
    }
    int ndirs = 0;
    for (int i = 0; i < nfiles; i++) {
        struct stat st;
        if (stat(files[i], &st) == 0 && S_ISDIR(st.st_mode)) ndirs++;
    }
    if (ndirs && nfiles > 1) {
        status = pqf_cli_usage("index build", "give one directory or a list of files, not both");
        goto out;
    }

    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer = a.dec.opt;
    if (a.project_existing) o.flags |= PQF_DS_PROJECT_EXISTING;
    char failed_path[4096];
    o.error_path = failed_path;
    o.error_path_size = sizeof failed_path;
    progress_state ps;
    error_state es;
    setup_run(&o, &a, &ps, &es);
    pqf_error err;
    uint64_t t0 = pqf_cli_now_ns();
    pqf_dataset *ds = ndirs ? pqf_dataset_open_dir(files[0], &o, &err)
                            : pqf_dataset_open((const char *const *)files, (size_t)nfiles, &o, &err);
    if (!ds) {
        /* A failing file was already reported by the callback. */
        if (es.failed == 0) index_error(failed_path[0] ? failed_path : a.output, &err);
        status = PQF_CLI_FAIL;
        goto out;
    }
    report_missing(ds);
    uint64_t t1 = pqf_cli_now_ns();
    if (pqf_dataset_save(ds, a.output, &err) != PQF_OK) {
        index_error(a.output, &err);
        pqf_dataset_free(ds);
        status = PQF_CLI_FAIL;
        goto out;
    }
    uint64_t t2 = pqf_cli_now_ns();
    if (!a.quiet) {
        printf("%zu files", pqf_dataset_file_count(ds));
        if (pqf_dataset_failure_count(ds)) printf(" (%zu skipped)", pqf_dataset_failure_count(ds));
        printf(", %zu schema%s, %llu row groups, %llu rows -> ", pqf_dataset_schema_count(ds),
               pqf_dataset_schema_count(ds) == 1 ? "" : "s",
               (unsigned long long)pqf_dataset_row_group_count(ds),
               (unsigned long long)pqf_dataset_row_count(ds));
        pqf_cli_put_text(stdout, a.output, strlen(a.output));
        printf(" (%llu bytes); decode %.1f ms, write %.1f ms\n",
               (unsigned long long)file_size_of(a.output), (double)(t1 - t0) / 1e6,
               (double)(t2 - t1) / 1e6);
    }
    if (pqf_dataset_failure_count(ds)) status = PQF_CLI_PARTIAL;
    pqf_dataset_free(ds);
out:
    free(files);
    pqf_cli_stats_free(&a.stats);
    pqf_cli_decode_opts_free(&a.dec);
    return status;
}

/* ---------------------------------------------------------- the rest --- */

/* Parse the arguments of a command taking exactly one index file. */
static int one_index(const char *cmd, int argc, char **argv, const char *help, index_args *a,
                     const char **index) {
    char **files = NULL;
    int nfiles = 0;
    int pr = pqf_cli_parse_args(cmd, argc, argv, help, index_option, a, "index file", &files, &nfiles);
    if (pr == PQF_CLI_ARGS_HELP) return PQF_CLI_OK;
    if (pr != PQF_CLI_ARGS_RUN) return PQF_CLI_USAGE;
    if (nfiles != 1) {
        free(files);
        return pqf_cli_usage(cmd, "expected one index file, got %d", nfiles);
    }
    *index = files[0];
    free(files);
    return -1;
}

static pqf_dataset *load_or_report(const char *index, uint64_t *ns) {
    pqf_error err;
    uint64_t t0 = pqf_cli_now_ns();
    pqf_dataset *ds = pqf_dataset_load(index, NULL, &err);
    if (ns) *ns = pqf_cli_now_ns() - t0;
    if (!ds) index_error(index, &err);
    return ds;
}

/* " (N% of the footers)\n", or " (no footers)\n" for an empty index. */
static void print_share(uint64_t bytes, uint64_t footers) {
    if (footers)
        printf(" (%.3f%% of the footers)\n", 100.0 * (double)bytes / (double)footers);
    else
        fputs(" (no footers)\n", stdout);
}

static int cmd_info(int argc, char **argv) {
    index_args a;
    memset(&a, 0, sizeof a);
    a.allow_json = 1;
    const char *index = NULL;
    int r = one_index("index info", argc, argv, info_help, &a, &index);
    if (r >= 0) return r;
    uint64_t load_ns = 0;
    pqf_dataset *ds = load_or_report(index, &load_ns);
    if (!ds) return PQF_CLI_FAIL;
    size_t nf = pqf_dataset_file_count(ds);
    uint64_t chunks = 0, footers = 0;
    for (size_t i = 0; i < nf; i++) {
        pqf_dataset_file df;
        if (pqf_dataset_file_get(ds, i, &df) != PQF_OK) continue;
        chunks += (uint64_t)pqf_row_group_count(df.footer) * pqf_projected_count(df.footer);
        footers += pqf_footer_serialized_size(df.footer);
    }
    uint64_t index_bytes = file_size_of(index);
    uint64_t retained = pqf_dataset_bytes(ds);
    size_t ncols = 0, nproj = 0;
    pqf_dataset_file first;
    if (pqf_dataset_file_get(ds, 0, &first) == PQF_OK) {
        ncols = pqf_column_count(first.footer);
        nproj = pqf_projected_count(first.footer);
    }
    if (a.json) {
        fputs("{\"index\":", stdout);
        pqf_cli_json_string(stdout, index, strlen(index));
        printf(",\"files\":%zu,\"skipped\":%zu", nf, pqf_dataset_failure_count(ds));
        printf(",\"schemas\":%zu,\"row_groups\":%llu,\"rows\":%llu,"
               "\"column_chunks\":%llu,\"index_bytes\":%llu,\"load_ns\":%llu,"
               "\"retained_bytes\":%llu,\"footer_bytes_total\":%llu}\n",
               pqf_dataset_schema_count(ds), (unsigned long long)pqf_dataset_row_group_count(ds),
               (unsigned long long)pqf_dataset_row_count(ds), (unsigned long long)chunks,
               (unsigned long long)index_bytes, (unsigned long long)load_ns,
               (unsigned long long)retained, (unsigned long long)footers);
    } else {
        pqf_cli_style st;
        pqf_cli_style_init(&st);
        printf("%sindex%s          ", st.bold, st.plain);
        pqf_cli_put_text(stdout, index, strlen(index));
        printf("\n%sfiles%s          %zu (%zu schema%s)\n", st.bold, st.plain, nf,
               pqf_dataset_schema_count(ds), pqf_dataset_schema_count(ds) == 1 ? "" : "s");
        if (pqf_dataset_failure_count(ds))
            printf("%sskipped%s        %zu (known-bad, see --files)\n", st.bold, st.plain,
                   pqf_dataset_failure_count(ds));
        printf("%srow groups%s     %llu\n", st.bold, st.plain,
               (unsigned long long)pqf_dataset_row_group_count(ds));
        printf("%srows%s           %llu\n", st.bold, st.plain,
               (unsigned long long)pqf_dataset_row_count(ds));
        printf("%scolumn chunks%s  %llu (%zu of %zu columns in the first file)\n", st.bold, st.plain,
               (unsigned long long)chunks, nproj, ncols);
        printf("%sfooters%s        %llu bytes serialized\n", st.bold, st.plain,
               (unsigned long long)footers);
        printf("%sindex size%s     %llu bytes", st.bold, st.plain, (unsigned long long)index_bytes);
        print_share(index_bytes, footers);
        printf("%sretained%s       %llu bytes", st.bold, st.plain, (unsigned long long)retained);
        print_share(retained, footers);
        printf("%sload time%s      %.3f ms\n", st.bold, st.plain, (double)load_ns / 1e6);
    }
    if (a.files && !a.json) {
        for (size_t i = 0; i < nf; i++) {
            pqf_dataset_file df;
            if (pqf_dataset_file_get(ds, i, &df) != PQF_OK) continue;
            const pqf_footer *f = df.footer;
            uint64_t rows = 0;
            for (size_t g = 0; g < pqf_row_group_count(f); g++) {
                pqf_row_group rg;
                if (pqf_row_group_get(f, g, &rg) == PQF_OK && rg.num_rows > 0) rows += (uint64_t)rg.num_rows;
            }
            printf("  %zu row groups, %llu rows  ", pqf_row_group_count(f), (unsigned long long)rows);
            pqf_cli_put_text(stdout, df.path, strlen(df.path));
            putchar('\n');
        }
        for (size_t i = 0; i < pqf_dataset_failure_count(ds); i++) {
            pqf_dataset_failure fl;
            if (pqf_dataset_failure_get(ds, i, &fl) != PQF_OK) continue;
            const char *p = fl.path;
            const pqf_error ferr = fl.error;
            fputs("  skipped  ", stdout);
            pqf_cli_put_text(stdout, p, strlen(p));
            fputs(": ", stdout);
            pqf_cli_put_text(stdout, ferr.msg, strlen(ferr.msg));
            if (ferr.path[0]) {
                fputs(" at ", stdout);
                pqf_cli_put_text(stdout, ferr.path, strlen(ferr.path));
            }
            putchar('\n');
        }
    }
    pqf_dataset_free(ds);
    return PQF_CLI_OK;
}

typedef struct verify_count {
    size_t stale, missing, added;
    int print;
} verify_count;

static void on_verify(void *ctx, const char *path, int status) {
    verify_count *c = ctx;
    const char *what = "?";
    switch (status) {
    case PQF_FILE_STALE: c->stale++; what = "stale  "; break;
    case PQF_FILE_MISSING: c->missing++; what = "missing"; break;
    case PQF_FILE_NEW: c->added++; what = "new    "; break;
    default: break;
    }
    if (c->print) {
        printf("%s ", what);
        pqf_cli_put_text(stdout, path, strlen(path));
        putchar('\n');
        pqf_cli_check_output();
    }
}

static int cmd_verify(int argc, char **argv) {
    index_args a;
    memset(&a, 0, sizeof a);
    a.allow_thorough = 1;
    const char *index = NULL;
    int r = one_index("index verify", argc, argv, verify_help, &a, &index);
    if (r >= 0) return r;
    pqf_dataset *ds = load_or_report(index, NULL);
    if (!ds) return PQF_CLI_FAIL;
    verify_count c = {0, 0, 0, 1};
    pqf_error err;
    int status = PQF_CLI_OK;
    if (pqf_dataset_verify(ds, a.thorough, on_verify, &c, &err) != PQF_OK) {
        index_error(index, &err);
        status = PQF_CLI_FAIL;
    } else if (c.stale + c.missing + c.added) {
        printf("%zu stale, %zu missing, %zu new of %zu files\n", c.stale, c.missing, c.added,
               pqf_dataset_file_count(ds));
        status = PQF_CLI_FAIL;
    } else {
        printf("up to date: %zu files", pqf_dataset_file_count(ds));
        if (pqf_dataset_failure_count(ds))
            printf(" (%zu known-bad, unchanged)", pqf_dataset_failure_count(ds));
        putchar('\n');
    }
    pqf_dataset_free(ds);
    return status;
}

static int cmd_update(int argc, char **argv) {
    index_args a;
    memset(&a, 0, sizeof a);
    a.jobs = 1;
    a.allow_output = a.allow_jobs = 1;
    const char *index = NULL;
    int r = one_index("index update", argc, argv, update_help, &a, &index);
    if (r >= 0) return r;
    const char *out = a.output ? a.output : index;
    pqf_dataset *ds = load_or_report(index, NULL);
    if (!ds) return PQF_CLI_FAIL;
    verify_count c = {0, 0, 0, 0};
    pqf_error err;
    if (pqf_dataset_verify(ds, 0, on_verify, &c, &err) != PQF_OK) {
        index_error(index, &err);
        pqf_dataset_free(ds);
        return PQF_CLI_FAIL;
    }
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    char failed_path[4096];
    o.error_path = failed_path;
    o.error_path_size = sizeof failed_path;
    progress_state ps;
    error_state es;
    setup_run(&o, &a, &ps, &es);
    pqf_dataset *nd = pqf_dataset_update(ds, &o, &err);
    pqf_dataset_free(ds);
    if (!nd) {
        if (es.failed == 0) index_error(failed_path[0] ? failed_path : index, &err);
        return PQF_CLI_FAIL;
    }
    int status = PQF_CLI_OK;
    if (pqf_dataset_save(nd, out, &err) != PQF_OK) {
        index_error(out, &err);
        status = PQF_CLI_FAIL;
    } else if (!a.quiet) {
        printf("%zu re-decoded, %zu dropped, %zu added: %zu files", c.stale, c.missing, c.added,
               pqf_dataset_file_count(nd));
        if (pqf_dataset_failure_count(nd))
            printf(" (%zu skipped)", pqf_dataset_failure_count(nd));
        fputs(" -> ", stdout);
        pqf_cli_put_text(stdout, out, strlen(out));
        printf(" (%llu bytes)\n", (unsigned long long)file_size_of(out));
    }
    if (status == PQF_CLI_OK && pqf_dataset_failure_count(nd)) status = PQF_CLI_PARTIAL;
    pqf_dataset_free(nd);
    return status;
}

int pqf_cli_index(int argc, char **argv) {
    if (argc < 2) {
        fputs(index_help, stderr);
        return PQF_CLI_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        fputs(index_help, stdout);
        return PQF_CLI_OK;
    }
    if (strcmp(sub, "build") == 0) return cmd_build(argc - 1, argv + 1);
    if (strcmp(sub, "info") == 0) return cmd_info(argc - 1, argv + 1);
    if (strcmp(sub, "verify") == 0) return cmd_verify(argc - 1, argv + 1);
    if (strcmp(sub, "update") == 0) return cmd_update(argc - 1, argv + 1);
    return pqf_cli_usage("index", "unknown index command '%s'", sub);
}
