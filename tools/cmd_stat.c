/* cmd_stat.c -- `pqfoot stat`: how big each footer is, how much pqfoot keeps
 * of it and how long decoding takes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "cli_json.h"
#include "cli_walk.h"

static const char stat_help[] =
    "usage: pqfoot stat [OPTIONS] FILE|DIR...\n"
    "\n"
    "For each file: serialized footer bytes, bytes pqfoot retains and their ratio,\n"
    "decode time, row groups, column chunks and bytes per chunk; then a totals\n"
    "line. A directory stands for its dataset files, as 'pqfoot index build' finds\n"
    "them (*.parquet in any case, names starting with '.' or '_' skipped, sorted).\n"
    "FILE '-' is standard input, read whole before the timed decode.\n"
    "\n"
    "Without --repeat the time is one pqf_footer_decode_file() call, reading\n"
    "included. With --repeat N the tail of the file is read into memory once and\n"
    "decoded N times from there; the median is reported.\n"
    "\n"
    "options:\n"
    "  --json               one JSON line per file (no totals line)\n"
    "  --repeat N           decode N times from memory, report the median\n"
    "  --columns A,B.C      decode only these columns' chunks\n"
    "  --page-index         keep offset/column index locations\n"
    "  --bloom              keep bloom filter locations\n"
    "  --kv                 keep the key-value metadata\n"
    "  --portable           decode without the AVX-512 path (same results, to compare times)\n"
    "  --no-path-check      do not check path_in_schema against the schema\n"
    "  -h, --help           show this help\n";

/* Most --repeat accepts (one array of timings per file). */
#define STAT_MAX_REPEAT 1000000u

/* One file's measurements. */
typedef struct stat_row {
    uint64_t file_size, footer, retained, decode_ns, row_groups, columns, chunks;
} stat_row;

typedef struct stat_run {
    pqf_cli_decode_opts dec;
    int json;
    uint64_t repeat; /* 0: time the single decode_file call */
    uint64_t *times; /* repeat entries */
    stat_row total;
    uint64_t files;
    int failed;
    int header_done;
    pqf_dctx *dctx; /* work memory shared by every decode of the run (NULL: none) */
} stat_run;

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median decode time of run->repeat decodes of the file's tail, read once
 * (or taken from in, standard input held whole, when not NULL).
 * 0 on success; else fills *err (or returns -2 after an OS error, errno set). */
static int time_repeats(stat_run *run, const char *file, const unsigned char *in, size_t in_len,
                        uint64_t tail_len, uint64_t *median, pqf_error *err) {
    uint64_t size = in_len;
    unsigned char *owned = in ? NULL : pqf_cli_read_tail(file, tail_len, &size);
    if (!in && !owned) return -2;
    /* tail_len <= in_len: the decode that measured the footer checked it */
    const unsigned char *tail = in ? in + (in_len - (size_t)tail_len) : owned;
    for (uint64_t k = 0; k < run->repeat; k++) {
        uint64_t t0 = pqf_cli_now_ns();
        pqf_footer *g = pqf_dctx_decode_tail(run->dctx, tail, (size_t)tail_len, size, &run->dec.opt, err);
        run->times[k] = pqf_cli_now_ns() - t0;
        if (!g) {
            free(owned);
            return -1;
        }
        pqf_footer_free(g);
    }
    free(owned);
    qsort(run->times, (size_t)run->repeat, sizeof *run->times, cmp_u64);
    size_t mid = (size_t)(run->repeat / 2);
    *median = run->repeat % 2 ? run->times[mid] : (run->times[mid - 1] + run->times[mid]) / 2;
    return 0;
}

static double ratio_of(uint64_t part, uint64_t whole) {
    return whole ? (double)part / (double)whole : 0.0;
}

static void print_json_row(const char *file, const stat_row *r, uint64_t repeat) {
    fputs("{\"file\":", stdout);
    pqf_cli_json_string(stdout, file, strlen(file));
    printf(",\"file_size\":%llu,\"footer_bytes\":%llu,\"retained_bytes\":%llu,"
           "\"ratio\":%.6f,\"row_groups\":%llu,\"columns\":%llu,\"column_chunks\":%llu,"
           "\"decode_ns\":%llu,\"repeat\":%llu}\n",
           (unsigned long long)r->file_size, (unsigned long long)r->footer,
           (unsigned long long)r->retained, ratio_of(r->retained, r->footer),
           (unsigned long long)r->row_groups, (unsigned long long)r->columns,
           (unsigned long long)r->chunks, (unsigned long long)r->decode_ns,
           (unsigned long long)(repeat ? repeat : 1));
}

static void print_header(void) {
    printf("%10s  %10s  %7s  %10s  %10s  %9s  %12s  %14s  %s\n", "footer", "retained", "ratio",
           "decode_ms", "row_groups", "chunks", "footer/chunk", "retained/chunk", "file");
}

static void print_text_row(const char *file, const stat_row *r) {
    printf("%10llu  %10llu  %6.1f%%  %10.3f  %10llu  %9llu  %12.1f  %14.1f  ",
           (unsigned long long)r->footer, (unsigned long long)r->retained,
           100.0 * ratio_of(r->retained, r->footer), (double)r->decode_ns / 1e6,
           (unsigned long long)r->row_groups, (unsigned long long)r->chunks,
           r->chunks ? (double)r->footer / (double)r->chunks : 0.0,
           r->chunks ? (double)r->retained / (double)r->chunks : 0.0);
    pqf_cli_put_text(stdout, file, strlen(file));
    fputc('\n', stdout);
}

static void report_failure(stat_run *run, const char *file, const pqf_error *err) {
    if (run->json) {
        pqf_cli_json_error(file, err);
        fputc('\n', stdout);
    }
    pqf_cli_decode_error(file, err);
    run->failed = 1;
}

static void stat_file(void *ctx, const char *file) {
    stat_run *run = ctx;
    pqf_error err;
    /* "-": standard input, read whole first so that only the decode is timed */
    size_t in_len = 0;
    unsigned char *in = NULL;
    if (strcmp(file, "-") == 0 && !(in = pqf_cli_read_stdin(&in_len, &err))) {
        report_failure(run, file, &err);
        pqf_cli_check_output();
        return;
    }
    uint64_t t0 = pqf_cli_now_ns();
    pqf_footer *f = in ? pqf_dctx_decode_tail(run->dctx, in, in_len, in_len, &run->dec.opt, &err)
                       : pqf_dctx_decode_file(run->dctx, file, &run->dec.opt, &err);
    uint64_t elapsed = pqf_cli_now_ns() - t0;
    if (!f) {
        free(in);
        report_failure(run, file, &err);
        pqf_cli_check_output();
        return;
    }
    stat_row r;
    r.file_size = pqf_footer_file_size(f);
    r.footer = pqf_footer_serialized_size(f);
    r.retained = pqf_footer_bytes(f);
    r.row_groups = pqf_row_group_count(f);
    r.columns = pqf_column_count(f);
    r.chunks = r.row_groups * pqf_projected_count(f);
    r.decode_ns = elapsed;
    pqf_footer_free(f);

    if (run->repeat) {
        int rc = time_repeats(run, file, in, in_len, r.footer + 8, &r.decode_ns, &err);
        free(in);
        in = NULL;
        if (rc == -2) {
            pqf_cli_errorf("%s: %s", file, strerror(errno));
            run->failed = 1;
            return;
        }
        if (rc != 0) {
            report_failure(run, file, &err);
            return;
        }
    }

    free(in);
    if (run->json) {
        print_json_row(file, &r, run->repeat);
    } else {
        if (!run->header_done) print_header();
        run->header_done = 1;
        print_text_row(file, &r);
    }
    run->files++;
    run->total.file_size += r.file_size;
    run->total.footer += r.footer;
    run->total.retained += r.retained;
    run->total.decode_ns += r.decode_ns;
    run->total.row_groups += r.row_groups;
    run->total.chunks += r.chunks;
    pqf_cli_check_output();
}

static void print_totals(const stat_run *run) {
    const stat_row *t = &run->total;
    printf("total: %llu file%s, footer %llu bytes, retained %llu bytes (%.1f%%), "
           "decode %.3f ms, %llu row groups, %llu column chunks",
           (unsigned long long)run->files, run->files == 1 ? "" : "s",
           (unsigned long long)t->footer, (unsigned long long)t->retained,
           100.0 * ratio_of(t->retained, t->footer), (double)t->decode_ns / 1e6,
           (unsigned long long)t->row_groups, (unsigned long long)t->chunks);
    if (t->chunks)
        printf(", %.1f footer bytes and %.1f retained bytes per chunk",
               (double)t->footer / (double)t->chunks, (double)t->retained / (double)t->chunks);
    fputc('\n', stdout);
}

static int stat_option(void *ctx, const char *cmd, int argc, char **argv, int *i) {
    stat_run *run = ctx;
    const char *val;
    int r;
    if (strcmp(argv[*i], "--json") == 0) {
        run->json = 1;
        return 1;
    }
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--repeat", &val)) != 0) {
        if (r < 0) return -1;
        if (pqf_cli_parse_u64(val, &run->repeat) != 0 || run->repeat == 0 ||
            run->repeat > STAT_MAX_REPEAT) {
            pqf_cli_usage(cmd, "--repeat wants a count from 1 to %u, not '%s'", STAT_MAX_REPEAT,
                          val);
            return -1;
        }
        return 1;
    }
    return pqf_cli_decode_opt(cmd, argc, argv, i, &run->dec);
}

int pqf_cli_cmd_stat(int argc, char **argv) {
    stat_run run;
    memset(&run, 0, sizeof run);
    pqf_cli_decode_opts_init(&run.dec);
    char **files = NULL;
    int nfiles = 0, status = PQF_CLI_OK;
    int r = pqf_cli_parse_args("stat", argc, argv, stat_help, stat_option, &run, "FILE or DIR",
                               &files, &nfiles);
    if (r == PQF_CLI_ARGS_USAGE) {
        status = PQF_CLI_USAGE;
    } else if (r == PQF_CLI_ARGS_RUN) {
        run.dctx = pqf_dctx_new(NULL);
        if (run.repeat && !(run.times = malloc((size_t)run.repeat * sizeof *run.times))) {
            pqf_cli_errorf("out of memory");
            run.failed = 1;
        } else {
            for (int i = 0; i < nfiles; i++)
                if (pqf_cli_walk(files[i], stat_file, &run) != 0) run.failed = 1;
            if (!run.json) print_totals(&run);
        }
        status = run.failed ? PQF_CLI_FAIL : PQF_CLI_OK;
    }
    free(files);
    free(run.times);
    pqf_dctx_free(run.dctx);
    pqf_cli_decode_opts_free(&run.dec);
    return status;
}
