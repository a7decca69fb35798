/*
 * dataset_bench.c -- what the dataset index costs and saves, on a directory
 * of Parquet files (bench/dataset_bench.sh generates 100 S2-shaped files):
 * build time, index size against the footers it stands for, load time, and
 * the memory a loaded dataset keeps.
 *
 * usage: dataset_bench DIR INDEX.pqfi [--columns N] [-j THREADS] [--reps N]
 *
 * Projects the first N leaf columns (default 15). Prints one JSON line of
 * results first (so `head -1` picks it), then a table.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench_clock.h"
#include "pqfoot.h"
#include "pqfoot_dataset.h"

/* Resident set size in bytes from /proc/self/status (0 if unknown). */
static uint64_t rss_bytes(void) {
    FILE *fp = fopen("/proc/self/status", "r");
    if (!fp) return 0;
    char line[256];
    uint64_t kb = 0;
    while (fgets(line, sizeof line, fp))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = strtoull(line + 6, NULL, 10);
    fclose(fp);
    return kb * 1024;
}

static void die(const char *what, const pqf_error *err) {
    fprintf(stderr, "dataset_bench: %s: %s%s%s\n", what, err->msg, err->path[0] ? " at " : "",
            err->path);
    exit(1);
}

int main(int argc, char **argv) {
    const char *dir = NULL, *index = NULL;
    unsigned ncols = 15, threads = 2, reps = 21;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--columns") == 0 && i + 1 < argc) ncols = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) threads = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = (unsigned)atoi(argv[++i]);
        else if (!dir) dir = argv[i];
        else if (!index) index = argv[i];
        else {
            fprintf(stderr, "usage: dataset_bench DIR INDEX.pqfi [--columns N] [-j N] [--reps N]\n");
            return 2;
        }
    }
    if (!dir || !index || reps == 0) {
        fprintf(stderr, "usage: dataset_bench DIR INDEX.pqfi [--columns N] [-j N] [--reps N]\n");
        return 2;
    }
    pqf_error err;

    /* The projection: the first ncols leaves, by index. */
    uint32_t *idx = malloc((ncols ? ncols : 1) * sizeof *idx);
    for (unsigned c = 0; c < ncols; c++) idx[c] = c;
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer.column_indexes = idx;
    o.footer.num_column_indexes = ncols;
    o.threads = threads;

    uint64_t t0 = now_ns();
    pqf_dataset *ds = pqf_dataset_open_dir(dir, &o, &err);
    if (!ds) die("open", &err);
    uint64_t t1 = now_ns();
    if (pqf_dataset_save(ds, index, &err) != PQF_OK) die("save", &err);
    uint64_t t2 = now_ns();

    size_t nfiles = pqf_dataset_file_count(ds);
    uint64_t footers = 0, chunks = 0;
    for (size_t i = 0; i < nfiles; i++) {
        pqf_dataset_file df;
        if (pqf_dataset_file_get(ds, i, &df) != PQF_OK) continue;
        const pqf_footer *f = df.footer;
        footers += pqf_footer_serialized_size(f);
        chunks += (uint64_t)pqf_row_group_count(f) * pqf_projected_count(f);
    }
    uint64_t rgs = pqf_dataset_row_group_count(ds);
    size_t built_bytes = pqf_dataset_bytes(ds);
    pqf_dataset_free(ds);

    struct stat st;
    uint64_t index_bytes = stat(index, &st) == 0 ? (uint64_t)st.st_size : 0;

    uint64_t *times = malloc(reps * sizeof *times);
    size_t retained = 0;
    uint64_t rss_delta = 0;
    for (unsigned r = 0; r < reps; r++) {
        uint64_t rss0 = rss_bytes();
        uint64_t a = now_ns();
        pqf_dataset *l = pqf_dataset_load(index, NULL, &err);
        times[r] = now_ns() - a;
        if (!l) die("load", &err);
        if (r == 0) {
            retained = pqf_dataset_bytes(l);
            uint64_t rss1 = rss_bytes();
            rss_delta = rss1 > rss0 ? rss1 - rss0 : 0;
        }
        pqf_dataset_free(l);
    }
    qsort(times, reps, sizeof *times, cmp_u64);
    double load_med = (double)times[reps / 2] / 1e6, load_min = (double)times[0] / 1e6;
    double fb = footers ? (double)footers : 1.0;
    double index_pct = 100.0 * (double)index_bytes / fb, retained_pct = 100.0 * (double)retained / fb;
    int ok_size = index_pct <= 1.0, ok_load = load_med <= 20.0, ok_mem = retained_pct <= 0.5;

    printf("{\"bench\":\"dataset\",\"files\":%zu,\"row_groups\":%llu,\"projected_columns\":%u,"
           "\"column_chunks\":%llu,\"footer_bytes_total\":%llu,\"threads\":%u,\"build_ms\":%.1f,"
           "\"save_ms\":%.1f,\"index_bytes\":%llu,\"index_pct_of_footers\":%.4f,"
           "\"load_ms_median\":%.3f,\"load_ms_min\":%.3f,\"load_reps\":%u,\"retained_bytes\":%zu,"
           "\"retained_pct_of_footers\":%.4f,\"built_bytes\":%zu,\"load_rss_delta_bytes\":%llu,"
           "\"target_index_le_1pct\":%s,\"target_load_le_20ms\":%s,\"target_retained_le_0_5pct\":%s}\n",
           nfiles, (unsigned long long)rgs, ncols, (unsigned long long)chunks,
           (unsigned long long)footers, threads, (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6,
           (unsigned long long)index_bytes, index_pct, load_med, load_min, reps, retained,
           retained_pct, built_bytes, (unsigned long long)rss_delta, ok_size ? "true" : "false",
           ok_load ? "true" : "false", ok_mem ? "true" : "false");
    printf("\n");
    printf("dataset index: %zu files, %llu row groups, %u projected columns, %llu column chunks\n",
           nfiles, (unsigned long long)rgs, ncols, (unsigned long long)chunks);
    printf("  %-26s %16s   %s\n", "measure", "value", "target");
    printf("  %-26s %16llu\n", "footers (serialized bytes)", (unsigned long long)footers);
    printf("  %-26s %13.1f ms   (%u threads)\n", "build (decode all)", (double)(t1 - t0) / 1e6, threads);
    printf("  %-26s %13.1f ms\n", "save (compress + write)", (double)(t2 - t1) / 1e6);
    printf("  %-26s %16llu   %.4f%% of footers, target <= 1%%: %s\n", "index file bytes",
           (unsigned long long)index_bytes, index_pct, ok_size ? "ok" : "MISSED");
    printf("  %-26s %13.3f ms   median of %u (min %.3f), target <= 20 ms: %s\n", "load", load_med,
           reps, load_min, ok_load ? "ok" : "MISSED");
    printf("  %-26s %16zu   %.4f%% of footers, target <= 0.5%%: %s\n", "retained bytes", retained,
           retained_pct, ok_mem ? "ok" : "MISSED");
    free(times);
    free(idx);
    return 0;
}
