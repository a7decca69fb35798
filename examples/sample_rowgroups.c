/*
 * sample_rowgroups.c -- the loader pattern of a training job: each worker
 * loads one small dataset index at start-up instead of decoding thousands of
 * footers, then draws random row groups and reads the byte ranges of the
 * columns it needs.
 *
 *   pqfoot index build DATA_DIR --columns a,b -o data.pqfi    (once)
 *   sample_rowgroups data.pqfi [--draws N] [--seed S]         (per worker)
 *
 * Reports the load time, the memory the dataset keeps, row groups read per
 * second and the process's resident memory (VmRSS). `--build DIR` writes the
 * index first, for systems without the pqfoot tool.
 *
 * Build: cc sample_rowgroups.c $(pkg-config --cflags --libs --static pqfoot)
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pqfoot_dataset.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident memory in KiB, from /proc/self/status (0 where there is none). */
static unsigned long rss_kib(void) {
    FILE *fp = fopen("/proc/self/status", "r");
    if (!fp) return 0;
    char line[256];
    unsigned long kib = 0;
    while (fgets(line, sizeof line, fp))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtoul(line + 6, NULL, 10);
    fclose(fp);
    return kib;
}

/* xorshift64*: a small, seedable generator (rand() has too few bits). */
static uint64_t next_random(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static int usage(void) {
    fputs("usage: sample_rowgroups INDEX.pqfi [--draws N] [--seed S] [--build DIR]\n", stderr);
    return 2;
}

/* Read exactly len bytes at off. 0 on success. */
static int read_at(int fd, unsigned char *buf, size_t len, off_t off) {
    while (len) {
        ssize_t r = pread(fd, buf, len, off);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        buf += r;
        len -= (size_t)r;
        off += r;
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *index = NULL, *build_dir = NULL;
    unsigned long long draws = 10000, seed = 42;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--draws") == 0 && i + 1 < argc) draws = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--build") == 0 && i + 1 < argc) build_dir = argv[++i];
        else if (argv[i][0] != '-' && !index) index = argv[i];
        else return usage();
    }
    if (!index) return usage();
    pqf_error err;

    if (build_dir) {
        /* What `pqfoot index build DIR -o INDEX` does, minus the options. */
        pqf_dataset *b = pqf_dataset_open_dir(build_dir, NULL, &err);
        if (!b || pqf_dataset_save(b, index, &err) != PQF_OK) {
            fprintf(stderr, "sample_rowgroups: cannot index %s: %s\n", build_dir, err.msg);
            pqf_dataset_free(b);
            return 1;
        }
        pqf_dataset_free(b);
    }

    /* Start-up: one small read, no Thrift. */
    unsigned long rss0 = rss_kib();
    double t0 = now_s();
    pqf_dataset *ds = pqf_dataset_load(index, NULL, &err);
    double t1 = now_s();
    if (!ds) {
        fprintf(stderr, "sample_rowgroups: %s: %s%s%s\n", index, err.msg, err.path[0] ? " at " : "",
                err.path);
        return 1;
    }
    size_t nfiles = pqf_dataset_file_count(ds);
    uint64_t nrg = pqf_dataset_row_group_count(ds);
    uint64_t footers = 0;
    for (size_t i = 0; i < nfiles; i++) {
        pqf_dataset_file df;
        if (pqf_dataset_file_get(ds, i, &df) == PQF_OK) footers += pqf_footer_serialized_size(df.footer);
    }
    printf("loaded %s: %zu files, %zu schema(s), %llu row groups, %llu rows in %.2f ms\n", index,
           nfiles, pqf_dataset_schema_count(ds), (unsigned long long)nrg,
           (unsigned long long)pqf_dataset_row_count(ds), (t1 - t0) * 1e3);
    printf("dataset keeps %zu bytes for %llu bytes of footers (%.3f%%)\n", pqf_dataset_bytes(ds),
           (unsigned long long)footers, footers ? 100.0 * (double)pqf_dataset_bytes(ds) / (double)footers : 0.0);
    if (nrg == 0) {
        printf("no row groups to sample\n");
        pqf_dataset_free(ds);
        return 0;
    }

    /* One descriptor per file, opened on first use. */
    int *fds = malloc(nfiles * sizeof *fds);
    if (!fds) {
        pqf_dataset_free(ds);
        return 1;
    }
    for (size_t i = 0; i < nfiles; i++) fds[i] = -1;
    unsigned char *buf = NULL;
    size_t cap = 0;
    unsigned long long chunks = 0, bytes = 0, failed = 0;
    uint64_t state = seed ? seed : 1;
    double t2 = now_s();
    for (unsigned long long d = 0; d < draws; d++) {
        size_t file, rg;
        pqf_dataset_file df;
        if (pqf_dataset_locate_row_group(ds, next_random(&state) % nrg, &file, &rg) != PQF_OK ||
            pqf_dataset_file_get(ds, file, &df) != PQF_OK) {
            failed++;
            continue;
        }
        if (fds[file] < 0) fds[file] = open(df.path, O_RDONLY);
        if (fds[file] < 0 && errno == EMFILE) {
            /* More files than descriptors: start over with none open. */
            for (size_t i = 0; i < nfiles; i++)
                if (fds[i] >= 0) {
                    close(fds[i]);
                    fds[i] = -1;
                }
            fds[file] = open(df.path, O_RDONLY);
        }
        if (fds[file] < 0) {
            failed++;
            continue;
        }
        const pqf_footer *f = df.footer;
        for (size_t col = 0; col < pqf_column_count(f); col++) {
            pqf_chunk c;
            pqf_column lc;
            if (pqf_column_get(f, col, &lc) != PQF_OK || !lc.projected) continue; /* the index kept no chunks */
            if (pqf_chunk_get(f, rg, col, &c) != PQF_OK || c.length <= 0) continue;
            if ((size_t)c.length > cap) {
                unsigned char *nb = realloc(buf, (size_t)c.length);
                if (!nb) {
                    failed++;
                    continue;
                }
                buf = nb;
                cap = (size_t)c.length;
            }
            if (read_at(fds[file], buf, (size_t)c.length, (off_t)c.start) != 0) {
                failed++;
                continue;
            }
            chunks++;
            bytes += (unsigned long long)c.length;
        }
    }
    double t3 = now_s();
    double secs = t3 - t2 > 0 ? t3 - t2 : 1e-9;
    printf("sampled %llu row groups: %llu chunks, %llu bytes in %.3f s = %.0f row groups/s\n", draws,
           chunks, bytes, secs, (double)draws / secs);
    if (failed) printf("%llu reads failed\n", failed);
    printf("RSS %lu KiB (%lu KiB before loading the index)\n", rss_kib(), rss0);

    for (size_t i = 0; i < nfiles; i++)
        if (fds[i] >= 0) close(fds[i]);
    free(fds);
    free(buf);
    pqf_dataset_free(ds);
    return 0;
}
