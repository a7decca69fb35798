/*
 * prune_bench.c -- what pruning costs on a dataset of S2-shaped files
 * (bench/prune_bench.sh links one S2 file 100 times): an index built with
 * statistics kept for one column, loaded, then each predicate timed through
 * pqf_dataset_prune (median of many runs; target <= 1 ms over 100 files).
 * Also the decode of the first file with and without statistics kept, the
 * price of the statistics walk (medians).
 *
 * usage: prune_bench DIR INDEX.pqfi [--stats COL] [--reps N] [-j N] [WHERE...]
 *
 * Prints one JSON line per measurement first, then a table.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"
#include "pqfoot.h"
#include "pqfoot_dataset.h"

static double median_ms(uint64_t *t, unsigned n) {
    qsort(t, n, sizeof *t, cmp_u64);
    return (double)t[n / 2] / 1e6;
}

static void die(const char *what, const pqf_error *err) {
    fprintf(stderr, "prune_bench: %s: %s%s%s\n", what, err->msg, err->path[0] ? " at " : "", err->path);
    exit(1);
}

/* The first *.parquet file of dir (by name), or NULL. */
static char *first_file(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char *best = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 8 || strcmp(e->d_name + n - 8, ".parquet") != 0) continue;
        if (best && strcmp(e->d_name, best) >= 0) continue;
        free(best);
        best = strdup(e->d_name);
    }
    closedir(d);
    if (!best) return NULL;
    char *path = malloc(strlen(dir) + strlen(best) + 2);
    sprintf(path, "%s/%s", dir, best);
    free(best);
    return path;
}

/* Median decode time of path's footer, statistics kept for col or not. */
static double decode_ms(const char *path, const char *col, unsigned reps, size_t *bytes) {
    const char *cols[1] = {col};
    pqf_options o;
    memset(&o, 0, sizeof o);
    if (col) {
        o.stats_columns = cols;
        o.num_stats_columns = 1;
    }
    uint64_t *t = malloc(reps * sizeof *t);
    pqf_error err;
    for (unsigned r = 0; r < reps; r++) {
        uint64_t a = now_ns();
        pqf_footer *f = pqf_footer_decode_file(path, &o, &err);
        t[r] = now_ns() - a;
        if (!f) die("decode", &err);
        if (r == 0) *bytes = pqf_stats_bytes(f);
        pqf_footer_free(f);
    }
    double ms = median_ms(t, reps);
    free(t);
    return ms;
}

int main(int argc, char **argv) {
    const char *dir = NULL, *index = NULL, *col = "c0";
    const char *wheres[16];
    unsigned nwhere = 0, reps = 201, threads = 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stats") == 0 && i + 1 < argc) col = argv[++i];
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) threads = (unsigned)atoi(argv[++i]);
        else if (!dir) dir = argv[i];
        else if (!index) index = argv[i];
        else if (nwhere < 16) wheres[nwhere++] = argv[i];
    }
    if (!dir || !index || reps == 0) {
        fprintf(stderr, "usage: prune_bench DIR INDEX.pqfi [--stats COL] [--reps N] [-j N] [WHERE...]\n");
        return 2;
    }
    if (nwhere == 0) {
        static char eq[64], and2[128], or2[128];
        snprintf(eq, sizeof eq, "%s = 5", col);
        snprintf(and2, sizeof and2, "%s >= 0 AND %s < 500", col, col);
        snprintf(or2, sizeof or2, "%s IS NULL OR %s IN (-306.25, 1, 2.5)", col, col);
        wheres[nwhere++] = eq;
        wheres[nwhere++] = and2;
        wheres[nwhere++] = or2;
    }
    pqf_error err;
    const char *cols[1] = {col};
    pqf_dataset_options o;
    memset(&o, 0, sizeof o);
    o.footer.stats_columns = cols;
    o.footer.num_stats_columns = 1;
    o.threads = threads;
    pqf_dataset *built = pqf_dataset_open_dir(dir, &o, &err);
    if (!built) die("open", &err);
    if (pqf_dataset_save(built, index, &err) != PQF_OK) die("save", &err);
    pqf_dataset_free(built);

    unsigned lreps = reps < 11 ? reps : 11;
    uint64_t *t = malloc((reps > lreps ? reps : lreps) * sizeof *t);
    pqf_dataset *ds = NULL;
    for (unsigned r = 0; r < lreps; r++) {
        if (ds) pqf_dataset_free(ds);
        uint64_t a = now_ns();
        ds = pqf_dataset_load(index, NULL, &err);
        t[r] = now_ns() - a;
        if (!ds) die("load", &err);
    }
    double load_ms = median_ms(t, lreps);
    size_t nfiles = pqf_dataset_file_count(ds);
    uint64_t nrg = pqf_dataset_row_group_count(ds);
    uint8_t *keep = malloc(nrg ? nrg : 1);
    printf("{\"bench\": \"prune-load\", \"files\": %zu, \"row_groups\": %llu, \"load_ms\": %.3f}\n", nfiles,
           (unsigned long long)nrg, load_ms);
    double worst = 0;
    double *meds = malloc(nwhere * sizeof *meds);
    uint64_t *kept = malloc(nwhere * sizeof *kept);
    for (unsigned w = 0; w < nwhere; w++) {
        pqf_pred *p = pqf_pred_parse(wheres[w], strlen(wheres[w]), NULL, &err);
        if (!p) die(wheres[w], &err);
        for (unsigned r = 0; r < reps; r++) {
            uint64_t a = now_ns();
            if (pqf_dataset_prune(ds, p, keep, &err) != PQF_OK) die("prune", &err);
            t[r] = now_ns() - a;
        }
        meds[w] = median_ms(t, reps);
        worst = meds[w] > worst ? meds[w] : worst;
        kept[w] = 0;
        for (uint64_t g = 0; g < nrg; g++) kept[w] += keep[g] != 0;
        printf("{\"bench\": \"prune\", \"where\": \"%s\", \"median_ms\": %.4f, \"kept\": %llu, \"row_groups\": %llu}\n",
               wheres[w], meds[w], (unsigned long long)kept[w], (unsigned long long)nrg);
        pqf_pred_free(p);
    }
    pqf_dataset_free(ds);

    char *file = first_file(dir);
    double plain = 0, with = 0;
    size_t sbytes = 0, dummy = 0;
    unsigned dreps = reps < 21 ? reps : 21;
    if (file) {
        plain = decode_ms(file, NULL, dreps, &dummy);
        with = decode_ms(file, col, dreps, &sbytes);
        printf("{\"bench\": \"decode-stats\", \"file\": \"%s\", \"plain_ms\": %.3f, \"stats_ms\": %.3f, "
               "\"stats_bytes\": %zu}\n", file, plain, with, sbytes);
    }

    printf("\n| pruning, %zu files, %llu row groups, statistics of %s | median | kept |\n", nfiles,
           (unsigned long long)nrg, col);
    printf("|---|---:|---:|\n");
    for (unsigned w = 0; w < nwhere; w++)
        printf("| `%s` | %.3f ms | %llu |\n", wheres[w], meds[w], (unsigned long long)kept[w]);
    printf("\nindex load %.1f ms; slowest predicate %.3f ms (target <= 1 ms: %s)\n", load_ms, worst,
           worst <= 1.0 ? "met" : "NOT met");
    if (file)
        printf("decode of one file: %.2f ms without statistics, %.2f ms with %s's kept (%zu bytes)\n", plain, with,
               col, sbytes);
    free(file);
    free(meds);
    free(kept);
    free(keep);
    free(t);
    return 0;
}
