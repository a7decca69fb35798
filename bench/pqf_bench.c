/*
 * pqf_bench: pqfoot against Apache Thrift C++ on the same footers, in one run.
 *
 *   pqf_bench [--reps N] [--oracle PATH] FILE...     one table row per file
 *   pqf_bench --rss CLI DIR                          peak RSS of `CLI stat DIR`
 *
 * pqfoot is timed in-process (footer in memory, warm, median of N decodes);
 * the oracle (build/pqf-oracle bench) times Thrift's full FileMetaData decode
 * and a naive skip-walk the same way, and counts Thrift's live heap bytes.
 * Output: a Markdown table on stdout, one JSON line per file on stderr.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <pqfoot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct timing {
    uint64_t median_ns;
    size_t retained;
} timing;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint8_t *read_all(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    struct stat st;
    if (fstat(fileno(fp), &st) != 0) {
        fclose(fp);
        return NULL;
    }
    uint8_t *buf = malloc((size_t)st.st_size + 1);
    if (buf && fread(buf, 1, (size_t)st.st_size, fp) != (size_t)st.st_size) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    *len = (size_t)st.st_size;
    return buf;
}

/* Median of reps decodes of the footer (after two warm-up decodes). */
static int time_pqfoot(const uint8_t *footer, size_t len, const pqf_options *opt, int reps, timing *out) {
    uint64_t *t = malloc((size_t)reps * sizeof *t);
    if (!t) return -1;
    for (int r = -2; r < reps; r++) {
        pqf_error err;
        uint64_t t0 = now_ns();
        pqf_footer *f = pqf_footer_decode(footer, len, opt, &err);
        uint64_t t1 = now_ns();
        if (!f) {
            fprintf(stderr, "pqf_bench: decode failed: %s (byte %llu) %s\n", err.msg,
                    (unsigned long long)err.offset, err.path);
            free(t);
            return -1;
        }
        if (r >= 0) t[r] = t1 - t0;
        out->retained = pqf_footer_bytes(f);
        pqf_footer_free(f);
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_u64);
    out->median_ns = t[reps / 2];
    free(t);
    return 0;
}

/* Pull an integer value out of the oracle's one-line JSON. */
static long long json_int(const char *line, const char *key) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    return p ? atoll(p + strlen(pat)) : -1;
}

typedef struct oracle_result {
    long long thrift_ns, thrift_retained, skipwalk_ns;
} oracle_result;

static int run_oracle(const char *oracle, const char *file, int reps, oracle_result *out) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' bench --reps %d --skip-walk '%s'", oracle, reps, file);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char line[4096] = {0};
    char *got = fgets(line, sizeof line, p);
    int st = pclose(p);
    if (!got || st != 0) return -1;
    out->thrift_ns = json_int(line, "decode_ns_median");
    out->thrift_retained = json_int(line, "retained_bytes");
    out->skipwalk_ns = json_int(line, "skipwalk_ns_median");
    return 0;
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int bench_file(const char *file, const char *oracle, int reps) {
    size_t n;
    uint8_t *buf = read_all(file, &n);
    if (!buf || n < 12) {
        fprintf(stderr, "pqf_bench: cannot read %s\n", file);
        free(buf);
        return -1;
    }
    uint32_t flen = (uint32_t)buf[n - 8] | (uint32_t)buf[n - 7] << 8 | (uint32_t)buf[n - 6] << 16 |
                    (uint32_t)buf[n - 5] << 24;
    if ((uint64_t)flen + 8 > n) {
        fprintf(stderr, "pqf_bench: %s: bad footer length\n", file);
        free(buf);
        return -1;
    }
    const uint8_t *footer = buf + n - 8 - flen;

    pqf_error err;
    pqf_footer *f = pqf_footer_decode(footer, flen, NULL, &err);
    if (!f) {
        fprintf(stderr, "pqf_bench: %s: %s\n", file, err.msg);
        free(buf);
        return -1;
    }
    size_t ncols = pqf_column_count(f);
    unsigned long long chunks = (unsigned long long)(pqf_row_group_count(f) * ncols);
    pqf_footer_free(f);

    timing full, proj, minimal;
    pqf_options o_full = {0};
    uint32_t idx[15];
    size_t nproj = ncols < 15 ? ncols : 15;
    for (size_t i = 0; i < nproj; i++) idx[i] = (uint32_t)i;
    pqf_options o_proj = {0};
    o_proj.column_indexes = idx;
    o_proj.num_column_indexes = nproj;
    pqf_options o_min = {0};
    o_min.flags = PQF_NO_PATH_CHECK;
    o_min.column_indexes = idx;
    o_min.num_column_indexes = ncols ? 1 : 0;
    if (time_pqfoot(footer, flen, &o_full, reps, &full) || time_pqfoot(footer, flen, &o_proj, reps, &proj) ||
        time_pqfoot(footer, flen, &o_min, reps, &minimal)) {
        free(buf);
        return -1;
    }
    oracle_result th = {-1, -1, -1};
    if (oracle && run_oracle(oracle, file, reps, &th) != 0) fprintf(stderr, "pqf_bench: oracle failed on %s\n", file);

    double mb = (double)flen / 1e6;
    double speed = th.thrift_ns > 0 ? (double)th.thrift_ns / (double)full.median_ns : 0;
    double vs_walk = th.skipwalk_ns > 0 ? (double)full.median_ns / (double)th.skipwalk_ns : 0;
    printf("| %s | %.2f | %llu | %.2f | %.2f | **%.1fx** | %.2f | %.1f | %.1f | %zu (%.2f%%) | %lld (%.0f%%) | %zu (%.2f%%) "
           "| %.2f | %zu (%.2f%%) | %.2f |\n",
           base_name(file), mb, chunks, full.median_ns / 1e6, th.thrift_ns / 1e6, speed,
           th.skipwalk_ns / 1e6, vs_walk, chunks ? (double)full.median_ns / (double)chunks : 0,
           full.retained, 100.0 * (double)full.retained / flen, th.thrift_retained,
           100.0 * (double)th.thrift_retained / flen, proj.retained, 100.0 * (double)proj.retained / flen,
           proj.median_ns / 1e6, minimal.retained, 100.0 * (double)minimal.retained / flen,
           mb / (full.median_ns / 1e9) / 1e3);
    fprintf(stderr,
            "{\"file\":\"%s\",\"footer_bytes\":%u,\"column_chunks\":%llu,\"pqfoot_ns\":%llu,\"thrift_ns\":%lld,"
            "\"skipwalk_ns\":%lld,\"speedup\":%.2f,\"pqfoot_retained\":%zu,\"thrift_retained\":%lld,"
            "\"proj15_retained\":%zu,\"proj15_ns\":%llu,\"minimal_retained\":%zu,\"minimal_ns\":%llu}\n",
            file, flen, chunks, (unsigned long long)full.median_ns, th.thrift_ns, th.skipwalk_ns, speed,
            full.retained, th.thrift_retained, proj.retained, (unsigned long long)proj.median_ns,
            minimal.retained, (unsigned long long)minimal.median_ns);
    free(buf);
    return 0;
}

/* Peak RSS of `cli stat dir`, against the sum of the footers it decodes. */
static int bench_rss(const char *cli, const char *dir) {
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "pqf_bench: cannot open %s\n", dir);
        return -1;
    }
    unsigned long long footers = 0, files = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 8, ".parquet") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *fp = fopen(path, "rb");
        if (!fp) continue;
        uint8_t t[8];
        if (fseek(fp, -8, SEEK_END) == 0 && fread(t, 1, 8, fp) == 8)
            footers += (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
        fclose(fp);
        files++;
    }
    closedir(dp);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout)) _exit(127);
        execl(cli, cli, "stat", dir, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    /* The only child this process waits for: RUSAGE_CHILDREN is its peak. */
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) != 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "pqf_bench: %s stat %s failed\n", cli, dir);
        return -1;
    }
    double rss_mb = ru.ru_maxrss / 1024.0;
    printf("`pqfoot stat` over %llu files: peak RSS %.1f MB; sum of their footers %.1f MB (RSS = %.1f%% of the footers)\n",
           files, rss_mb, footers / 1e6, 100.0 * ru.ru_maxrss * 1024.0 / (double)(footers ? footers : 1));
    fprintf(stderr, "{\"rss_files\":%llu,\"peak_rss_bytes\":%lld,\"footer_bytes_total\":%llu}\n", files,
            (long long)ru.ru_maxrss * 1024, footers);
    return 0;
}

int main(int argc, char **argv) {
    int reps = 21;
    const char *oracle = NULL;
    int i = 1;
    if (argc == 4 && strcmp(argv[1], "--rss") == 0) return bench_rss(argv[2], argv[3]) ? 1 : 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--oracle") == 0 && i + 1 < argc) oracle = argv[++i];
        else {
            fprintf(stderr, "usage: pqf_bench [--reps N] [--oracle PATH] FILE... | --rss CLI DIR\n");
            return 2;
        }
    }
    if (reps < 1 || i >= argc) {
        fprintf(stderr, "usage: pqf_bench [--reps N] [--oracle PATH] FILE... | --rss CLI DIR\n");
        return 2;
    }
    printf("| file | footer MB | chunks | pqfoot ms | Thrift C++ ms | speed-up | skip-walk ms | pqfoot / skip-walk "
           "| ns/chunk | pqfoot retained | Thrift retained | 15-col retained | 15-col ms | minimal retained | GB/s |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    int rc = 0;
    for (; i < argc; i++) rc |= bench_file(argv[i], oracle, reps) != 0;
    return rc;
}
