/*
 * pqf_bench: pqfoot against Apache Thrift C++ on the same footers, in one run.
 *
 *   pqf_bench [--reps N] [--rounds R] [--oracle PATH] FILE...   one table row per file
 *   pqf_bench --rss CLI DIR                                      peak RSS of `CLI stat DIR`
 *   pqf_bench --first FILE                                       one decode in this fresh process:
 *                                                                nanoseconds and minor page faults
 *
 * pqfoot is timed in-process (footer in memory, warm decodes through one
 * pqf_dctx, as a program decoding many footers would); the first decode in a
 * fresh process is timed by running this program again with --first (exec,
 * not fork: a forked child would inherit the allocator's warmed-up state),
 * nine times, each against a warm median taken just before it. The oracle
 * (build/pqf-oracle bench) times Thrift's full FileMetaData decode and a naive
 * skip-walk the same way, and counts Thrift's live heap bytes.
 *
 * These machines are noisy, and their speed drifts over seconds. So the
 * comparison runs in R rounds: each round times pqfoot, its portable path,
 * then Thrift and the skip-walk, with N/R decodes each. A round's ratio
 * compares decoders that ran seconds apart, not minutes; the speed-up
 * reported is the median of the rounds' ratios, with their range beside it,
 * and so is the portable path's ratio to the default one. Everything runs
 * on the CPU the run started on (see pin_to_current_cpu()).
 * Output: a Markdown table on stdout, one JSON line per file on stderr.
 */
#define _GNU_SOURCE /* sched_getcpu(), sched_setaffinity() */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <sched.h>
#include <pqfoot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_clock.h"

typedef struct timing {
    uint64_t median_ns;
    size_t retained;
} timing;

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

/* The process's decoder context: warm decodes keep their work memory in it. */
static pqf_dctx *bench_dctx;

/* reps timed decodes of the footer (after two warm-up decodes), appended to t. */
static int time_pqfoot(const uint8_t *footer, size_t len, const pqf_options *opt, int reps, uint64_t *t,
                       size_t *retained) {
    for (int r = -2; r < reps; r++) {
        pqf_error err;
        uint64_t t0 = now_ns();
        pqf_footer *f = pqf_dctx_decode(bench_dctx, footer, len, opt, &err);
        uint64_t t1 = now_ns();
        if (!f) {
            fprintf(stderr, "pqf_bench: decode failed: %s (byte %llu) %s\n", err.msg,
                    (unsigned long long)err.offset, err.path);
            return -1;
        }
        if (r >= 0) t[r] = t1 - t0;
        *retained = pqf_footer_bytes(f);
        pqf_footer_free(f);
    }
    return 0;
}

static uint64_t median_u64(uint64_t *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_u64);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median decode time of reps decodes with opt. */
static int time_median(const uint8_t *footer, size_t len, const pqf_options *opt, int reps, timing *out) {
    uint64_t *t = malloc((size_t)reps * sizeof *t);
    if (!t || time_pqfoot(footer, len, opt, reps, t, &out->retained)) {
        free(t);
        return -1;
    }
    out->median_ns = median_u64(t, (size_t)reps);
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

/* The whole file in memory and its footer's place in it; NULL on failure. */
static uint8_t *load_footer(const char *file, const uint8_t **footer, uint32_t *flen) {
    size_t n;
    uint8_t *buf = read_all(file, &n);
    if (!buf || n < 12) {
        fprintf(stderr, "pqf_bench: cannot read %s\n", file);
        free(buf);
        return NULL;
    }
    *flen = (uint32_t)buf[n - 8] | (uint32_t)buf[n - 7] << 8 | (uint32_t)buf[n - 6] << 16 |
            (uint32_t)buf[n - 5] << 24;
    if ((uint64_t)*flen + 8 > n) {
        fprintf(stderr, "pqf_bench: %s: bad footer length\n", file);
        free(buf);
        return NULL;
    }
    *footer = buf + n - 8 - *flen;
    return buf;
}

/* Minor page faults of this process so far: the first decode's cost is
 * mostly the kernel handing out (and zeroing) fresh pages of work memory. */
static long minor_faults(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : 0;
}

/* --first: time this fresh process's one decode of the file's footer and
 * print "nanoseconds page-faults". What is timed is exactly one
 * pqf_footer_decode() without a context, as a program (or `pqfoot stat`) that
 * decodes one footer does it; the footer is read into memory (and its pages
 * faulted in) beforehand, as the warm decodes' is, so neither disk nor page
 * cache is in the figure. What is in it: faults on the decode's fresh work
 * memory and result, the first use of the code (instruction cache, TLB, lazy
 * symbol binding of libc's functions) and the CPU check of the decode path. */
static int first_decode(const char *file) {
    const uint8_t *footer;
    uint32_t flen;
    uint8_t *buf = load_footer(file, &footer, &flen);
    if (!buf) return 1;
    pqf_error err;
    /* The clock's and getrusage()'s own first calls fault in a libc page and
     * the vDSO's: that is the timer's cost, not the decode's. */
    (void)now_ns();
    (void)minor_faults();
    long f0 = minor_faults();
    uint64_t t0 = now_ns();
    pqf_footer *f = pqf_footer_decode(footer, flen, NULL, &err);
    uint64_t t1 = now_ns();
    long f1 = minor_faults();
    free(buf);
    if (!f) {
        fprintf(stderr, "pqf_bench: %s: %s\n", file, err.msg);
        return 1;
    }
    pqf_footer_free(f);
    printf("%llu %ld\n", (unsigned long long)(t1 - t0), f1 - f0);
    return 0;
}

typedef struct first_result {
    uint64_t median_ns, min_ns, max_ns;
    uint64_t faults; /* median minor page faults during the decode */
    double ratio;    /* median of each process's first decode over the warm median just before it */
} first_result;

/* runs fresh processes' first decodes (pqf_bench --first, each its own exec
 * of this program: a forked child would inherit this process's warmed-up
 * allocator and page tables), each paired with a warm median of this process
 * (with its context) taken just before it, as the rounds pair pqfoot with
 * Thrift: the machine's speed drifts between a run's warm decodes and its
 * first ones. All zero on failure. */
static first_result time_first(const char *file, int runs, const uint8_t *footer, size_t len) {
    first_result r = {0, 0, 0, 0, 0};
    uint64_t t[16], flt[16], warm[15];
    double ratio[16];
    size_t retained;
    int got = 0;
    if (runs > 16) runs = 16;
    char self[2048]; /* resolved here: in the shell popen starts, /proc/self is the shell */
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) return r;
    self[sl] = '\0';
    for (int k = 0; k < runs; k++) {
        if (time_pqfoot(footer, len, NULL, 15, warm, &retained)) return r;
        uint64_t warm_med = median_u64(warm, 15);
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "'%s' --first '%s'", self, file);
        FILE *p = popen(cmd, "r");
        if (!p) continue;
        unsigned long long ns = 0;
        long faults = 0;
        int ok = fscanf(p, "%llu %ld", &ns, &faults) == 2;
        if (pclose(p) == 0 && ok && ns && warm_med) {
            t[got] = ns;
            flt[got] = faults > 0 ? (uint64_t)faults : 0;
            ratio[got] = (double)ns / (double)warm_med;
            got++;
        }
    }
    if (!got) return r;
    qsort(ratio, (size_t)got, sizeof *ratio, cmp_double);
    r.ratio = got % 2 ? ratio[got / 2] : (ratio[got / 2 - 1] + ratio[got / 2]) / 2;
    r.median_ns = median_u64(t, (size_t)got); /* sorts t */
    r.min_ns = t[0];
    r.max_ns = t[got - 1];
    r.faults = median_u64(flt, (size_t)got);
    return r;
}

static int bench_file(const char *file, const char *oracle, int reps, int rounds) {
    const uint8_t *footer;
    uint32_t flen;
    uint8_t *buf = load_footer(file, &footer, &flen);
    if (!buf) return -1;

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

    timing full = {0}, proj, minimal, portable;
    pqf_options o_full = {0};
    uint32_t idx[15];
    size_t nproj = ncols < 15 ? ncols : 15;
    for (size_t i = 0; i < nproj; i++) idx[i] = (uint32_t)i;
    pqf_options o_proj = {0};
    o_proj.column_indexes = idx;
    o_proj.num_column_indexes = nproj;
    pqf_options o_port = {0};
    o_port.flags = PQF_PORTABLE;
    pqf_options o_min = {0};
    o_min.flags = PQF_NO_PATH_CHECK;
    o_min.column_indexes = idx;
    o_min.num_column_indexes = ncols ? 1 : 0;

    /* The comparison, in rounds (see the top of this file). */
    int per = (reps + rounds - 1) / rounds;
    if (per < 3) per = 3;
    uint64_t *all = malloc((size_t)per * (size_t)rounds * sizeof *all);
    uint64_t *th_ns = malloc((size_t)rounds * sizeof *th_ns), *walk_ns = malloc((size_t)rounds * sizeof *walk_ns);
    double *ratio = malloc((size_t)rounds * sizeof *ratio);
    uint64_t *port_all = malloc((size_t)per * (size_t)rounds * sizeof *port_all);
    double *port_ratio = malloc((size_t)rounds * sizeof *port_ratio);
    size_t port_retained = 0;
    uint64_t *sorted = malloc((size_t)per * sizeof *sorted); /* a round's times, sorted for its median */
    oracle_result th = {-1, -1, -1};
    int nth = 0;
    int ok = all && th_ns && walk_ns && ratio && sorted && port_all && port_ratio;
    for (int k = 0; ok && k < rounds; k++) {
        uint64_t *mine = all + (size_t)k * (size_t)per;
        if (time_pqfoot(footer, flen, &o_full, per, mine, &full.retained)) {
            ok = 0;
            break;
        }
        memcpy(sorted, mine, (size_t)per * sizeof *sorted);
        uint64_t my_med = median_u64(sorted, (size_t)per);
        /* the portable path in the same round: its ratio to the default path ran seconds apart too */
        uint64_t *port = port_all + (size_t)k * (size_t)per;
        if (time_pqfoot(footer, flen, &o_port, per, port, &port_retained)) {
            ok = 0;
            break;
        }
        memcpy(sorted, port, (size_t)per * sizeof *sorted);
        port_ratio[k] = my_med ? (double)median_u64(sorted, (size_t)per) / (double)my_med : 0;
        oracle_result r = {-1, -1, -1};
        if (!oracle) continue;
        if (run_oracle(oracle, file, per, &r) != 0 || r.thrift_ns <= 0) {
            fprintf(stderr, "pqf_bench: oracle failed on %s\n", file);
            continue;
        }
        th.thrift_retained = r.thrift_retained;
        th_ns[nth] = (uint64_t)r.thrift_ns;
        walk_ns[nth] = r.skipwalk_ns > 0 ? (uint64_t)r.skipwalk_ns : 0;
        ratio[nth] = (double)r.thrift_ns / (double)my_med;
        nth++;
    }
    double port_x = 0;
    if (ok) {
        full.median_ns = median_u64(all, (size_t)per * (size_t)rounds);
        portable.median_ns = median_u64(port_all, (size_t)per * (size_t)rounds);
        qsort(port_ratio, (size_t)rounds, sizeof *port_ratio, cmp_double);
        port_x = rounds % 2 ? port_ratio[rounds / 2] : (port_ratio[rounds / 2 - 1] + port_ratio[rounds / 2]) / 2;
    }
    double speed = 0, speed_lo = 0, speed_hi = 0;
    if (ok && nth) {
        th.thrift_ns = (long long)median_u64(th_ns, (size_t)nth);
        th.skipwalk_ns = (long long)median_u64(walk_ns, (size_t)nth);
        qsort(ratio, (size_t)nth, sizeof *ratio, cmp_double);
        speed = nth % 2 ? ratio[nth / 2] : (ratio[nth / 2 - 1] + ratio[nth / 2]) / 2;
        speed_lo = ratio[0];
        speed_hi = ratio[nth - 1];
    }
    free(all);
    free(th_ns);
    free(walk_ns);
    free(ratio);
    free(sorted);
    free(port_all);
    free(port_ratio);
    if (!ok || time_median(footer, flen, &o_proj, reps, &proj) || time_median(footer, flen, &o_min, reps, &minimal)) {
        free(buf);
        return -1;
    }

    first_result first = time_first(file, 9, footer, flen);
    uint64_t first_ns = first.median_ns;
    double mb = (double)flen / 1e6;
    double vs_walk = th.skipwalk_ns > 0 ? (double)full.median_ns / (double)th.skipwalk_ns : 0;
    printf("| %s | %s | %.2f | %llu | %.2f | %.2f (%.1fx, %llu pf) | %.2f (%.2fx) | %.2f | **%.1fx** | %.1f-%.1f | %.2f | %.1f | %.1f "
           "| %zu (%.2f%%) | %lld (%.0f%%) | %zu (%.2f%%) | %.2f | %zu (%.2f%%) | %.2f |\n",
           base_name(file), pqf_decode_path(), mb, chunks, full.median_ns / 1e6, first_ns / 1e6,
           first.ratio, (unsigned long long)first.faults,
           portable.median_ns / 1e6, port_x, th.thrift_ns / 1e6, speed,
           speed_lo, speed_hi,
           th.skipwalk_ns / 1e6, vs_walk, chunks ? (double)full.median_ns / (double)chunks : 0,
           full.retained, 100.0 * (double)full.retained / flen, th.thrift_retained,
           100.0 * (double)th.thrift_retained / flen, proj.retained, 100.0 * (double)proj.retained / flen,
           proj.median_ns / 1e6, minimal.retained, 100.0 * (double)minimal.retained / flen,
           mb / (full.median_ns / 1e9) / 1e3);
    fprintf(stderr,
            "{\"file\":\"%s\",\"path\":\"%s\",\"footer_bytes\":%u,\"column_chunks\":%llu,\"pqfoot_ns\":%llu,"
            "\"first_ns\":%llu,\"first_min_ns\":%llu,\"first_max_ns\":%llu,\"first_faults\":%llu,\"first_ratio\":%.2f,\"portable_ns\":%llu,\"thrift_ns\":%lld,"
            "\"skipwalk_ns\":%lld,\"speedup\":%.2f,\"speedup_min\":%.2f,\"speedup_max\":%.2f,\"rounds\":%d,"
            "\"pqfoot_retained\":%zu,\"thrift_retained\":%lld,"
            "\"proj15_retained\":%zu,\"proj15_ns\":%llu,\"minimal_retained\":%zu,\"minimal_ns\":%llu}\n",
            file, pqf_decode_path(), flen, chunks, (unsigned long long)full.median_ns,
            (unsigned long long)first_ns, (unsigned long long)first.min_ns, (unsigned long long)first.max_ns,
            (unsigned long long)first.faults, first.ratio, (unsigned long long)portable.median_ns, th.thrift_ns, th.skipwalk_ns, speed, speed_lo,
            speed_hi, nth,
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

/* Pin this process, and the ones it starts (the oracle, the --first runs),
 * to the CPU it runs on. On these VMs one vCPU can run 1.5x slower than the
 * other for minutes (S1 warm: 42 us on one, 63 us on the other, measured
 * with taskset), and a ratio whose two sides ran on different vCPUs
 * measures that, not the decoders. */
static void pin_to_current_cpu(void) {
#ifdef __linux__
    int cpu = sched_getcpu();
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    (void)sched_setaffinity(0, sizeof set, &set);
#endif
}

int main(int argc, char **argv) {
    int reps = 21, rounds = 7;
    const char *oracle = NULL;
    int i = 1;
    if (argc == 4 && strcmp(argv[1], "--rss") == 0) return bench_rss(argv[2], argv[3]) ? 1 : 0;
    if (argc == 2 && strcmp(argv[1], "--path") == 0) return puts(pqf_decode_path()) < 0;
    if (argc == 3 && strcmp(argv[1], "--first") == 0) return first_decode(argv[2]);
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--oracle") == 0 && i + 1 < argc) oracle = argv[++i];
        else {
            fprintf(stderr, "usage: pqf_bench [--reps N] [--rounds R] [--oracle PATH] FILE... | --rss CLI DIR | --first FILE | --path\n");
            return 2;
        }
    }
    if (reps < 1 || rounds < 1 || i >= argc) {
        fprintf(stderr, "usage: pqf_bench [--reps N] [--rounds R] [--oracle PATH] FILE... | --rss CLI DIR | --first FILE | --path\n");
        return 2;
    }
    printf("| file | path | footer MB | chunks | pqfoot ms | first decode ms (x warm, page faults) | PQF_PORTABLE ms (x) | Thrift C++ ms | speed-up | rounds' range | skip-walk ms "
           "| pqfoot / skip-walk | ns/chunk | pqfoot retained | Thrift retained | 15-col retained | 15-col ms "
           "| minimal retained | GB/s |\n");
    printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    pin_to_current_cpu();
    bench_dctx = pqf_dctx_new(NULL);
    int rc = 0;
    for (; i < argc; i++) rc |= bench_file(argv[i], oracle, reps, rounds) != 0;
    pqf_dctx_free(bench_dctx);
    return rc;
}
