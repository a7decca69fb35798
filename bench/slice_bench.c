/*
 * slice_bench -- time pqf_footer_slice() and pqf_footer_slim() on a file:
 *
 *   slice_bench FILE [ROW_GROUP [COL...]]   default: the middle row group, the first,
 *                                           middle and last leaf columns
 *
 * Prints the slice's size and the median and minimum time of 2001 slices of
 * the footer held in memory, then the slim footer's size and one slim's time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pqfoot.h"

typedef struct sink {
    unsigned char *p;
    size_t n, cap;
} sink;

static int put(void *ctx, const void *data, size_t len) {
    sink *s = ctx;
    if (s->n + len > s->cap) {
        size_t cap = (s->n + len) * 2;
        unsigned char *np = realloc(s->p, cap);
        if (!np) return -1;
        s->p = np;
        s->cap = cap;
    }
    memcpy(s->p + s->n, data, len);
    s->n += len;
    return 0;
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: slice_bench FILE [ROW_GROUP [COL...]]\n");
        return 2;
    }
    pqf_error err;
    pqf_footer *f = pqf_footer_decode_file(argv[1], NULL, &err);
    if (!f) {
        fprintf(stderr, "%s: %s\n", argv[1], err.msg);
        return 1;
    }
    size_t nc = pqf_column_count(f);
    uint32_t rg = (uint32_t)(pqf_row_group_count(f) / 2), cols[64];
    size_t ncols = 0;
    if (argc > 2) rg = (uint32_t)strtoul(argv[2], NULL, 10);
    for (int i = 3; i < argc && ncols < 64; i++) cols[ncols++] = (uint32_t)strtoul(argv[i], NULL, 10);
    if (!ncols && nc) {
        cols[ncols++] = 0;
        if (nc > 2) cols[ncols++] = (uint32_t)(nc / 2);
        if (nc > 1) cols[ncols++] = (uint32_t)(nc - 1);
    }
    pqf_slice_options o = {&rg, 1, cols, ncols, 0};
    enum { N = 2001 };
    static double t[N];
    sink s = {0};
    for (int i = 0; i < N; i++) {
        s.n = 0;
        double t0 = now_ns();
        if (pqf_footer_slice(f, &o, put, &s, &err) != PQF_OK) {
            fprintf(stderr, "slice: %s\n", err.msg);
            return 1;
        }
        t[i] = now_ns() - t0;
    }
    qsort(t, N, sizeof t[0], by_value);
    printf("slice of row group %u x %zu columns: %zu bytes, median %.2f us, min %.2f us\n", rg, ncols, s.n,
           t[N / 2] / 1e3, t[0] / 1e3);
    pqf_footer_free(f);

    /* slim: the raw footer bytes */
    FILE *fp = fopen(argv[1], "rb");
    if (!fp || fseek(fp, -8, SEEK_END) != 0) return 1;
    unsigned char tail[8];
    if (fread(tail, 1, 8, fp) != 8) return 1;
    size_t len = (size_t)tail[0] | (size_t)tail[1] << 8 | (size_t)tail[2] << 16 | (size_t)tail[3] << 24;
    unsigned char *footer = malloc(len ? len : 1);
    if (!footer || fseek(fp, -(long)(len + 8), SEEK_END) != 0 || fread(footer, 1, len, fp) != len) return 1;
    fclose(fp);
    s.n = 0;
    double t0 = now_ns();
    if (pqf_footer_slim(footer, len, NULL, put, &s, &err) != PQF_OK) {
        fprintf(stderr, "slim: %s\n", err.msg);
        return 1;
    }
    double ts = now_ns() - t0;
    printf("slim: footer %zu -> %zu bytes (%.1f%% smaller) in %.2f ms\n", len, s.n,
           len ? 100.0 * (double)(len - s.n) / (double)len : 0.0, ts / 1e6);
    free(footer);
    free(s.p);
    return 0;
}
