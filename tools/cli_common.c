/* cli_common.c -- error lines, option helpers, stdout health and file reading
 * shared by the pqfoot commands. */
#include "cli_common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli_json.h"

void pqf_cli_errorf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("pqfoot: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int pqf_cli_usage(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs(cmd ? "pqfoot " : "pqfoot", stderr);
    if (cmd) fputs(cmd, stderr);
    fputs(": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fprintf(stderr, "Try 'pqfoot %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return PQF_CLI_USAGE;
}

/* For an I/O failure, the operating system's reason, found by opening the
 * file again; NULL when that works (the failure was something else). */
static const char *io_reason(const char *file) {
    struct stat st;
    if (stat(file, &st) != 0) return strerror(errno);
    if (S_ISDIR(st.st_mode)) return strerror(EISDIR);
    FILE *fp = fopen(file, "rb");
    if (!fp) return strerror(errno);
    fclose(fp);
    return NULL;
}

/* The projected path a PQF_ERR_NO_COLUMN error is about ("columns[i]" in
 * err->path), or NULL. */
static const char *missing_column(const pqf_error *err, const pqf_options *opt) {
    static const char prefix[] = "columns[";
    if (!opt || err->code != PQF_ERR_NO_COLUMN || strncmp(err->path, prefix, sizeof prefix - 1))
        return NULL;
    uint64_t i = 0;
    const char *p = err->path + sizeof prefix - 1;
    const char *close = strchr(p, ']');
    if (!close || close == p || close - p > 18) return NULL;
    for (; p < close; p++) {
        if (*p < '0' || *p > '9') return NULL;
        i = i * 10u + (uint64_t)(*p - '0');
    }
    return opt->columns && i < opt->num_columns ? opt->columns[i] : NULL;
}

/* Whether an error's offset is a place in the footer worth printing: not for
 * open/read failures, the file's framing (magic, length, encryption), memory,
 * arguments or a projection, where it is 0 or says nothing. */
static int footer_position(pqf_code code) {
    switch (code) {
    case PQF_ERR_TRUNCATED:
    case PQF_ERR_MALFORMED:
    case PQF_ERR_DEPTH:
    case PQF_ERR_LIMIT:
    case PQF_ERR_MISSING_REQUIRED:
        return 1;
    default:
        return 0;
    }
}

void pqf_cli_decode_error_in(const char *file, const pqf_error *err, const pqf_options *opt) {
    const char *msg = err->msg ? err->msg : pqf_strerror(err->code);
    const char *why = err->code == PQF_ERR_IO && strcmp(file, "-") != 0 ? io_reason(file) : NULL;
    const char *column = missing_column(err, opt);
    fputs("pqfoot: ", stderr);
    pqf_cli_put_text(stderr, file, strlen(file));
    fprintf(stderr, ": %s%s%s", msg, why ? ": " : "", why ? why : "");
    if (column) {
        fputs(" '", stderr);
        pqf_cli_put_text(stderr, column, strlen(column));
        fputc('\'', stderr);
    }
    if (footer_position(err->code))
        fprintf(stderr, " (byte %llu of footer)", (unsigned long long)err->offset);
    if (err->path[0]) fprintf(stderr, " at %s", err->path);
    fputc('\n', stderr);
}

void pqf_cli_decode_error(const char *file, const pqf_error *err) {
    pqf_cli_decode_error_in(file, err, NULL);
}

void pqf_cli_json_error(const char *file, const pqf_error *err) {
    const char *msg = err->msg ? err->msg : pqf_strerror(err->code);
    fputs("{\"file\":", stdout);
    pqf_cli_json_string(stdout, file, strlen(file));
    fputs(",\"error\":", stdout);
    pqf_cli_json_string(stdout, msg, strlen(msg));
    fprintf(stdout, ",\"code\":%d,\"offset\":%llu,\"path\":", (int)err->code,
            (unsigned long long)err->offset);
    pqf_cli_json_string(stdout, err->path, strnlen(err->path, sizeof err->path));
    fputc('}', stdout);
}

int pqf_cli_write_stdout(void *ctx, const void *data, size_t len) {
    (void)ctx;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

void pqf_cli_init_output(void) {
    /* Ignore SIGPIPE so a closed pipe shows up as EPIPE, which
     * pqf_cli_check_output() turns into a quiet exit. */
    signal(SIGPIPE, SIG_IGN);
}

void pqf_cli_check_output(void) {
    if (!ferror(stdout)) return;
    int saved = errno;
    /* Retry what is still buffered to learn the reason for certain. */
    clearerr(stdout);
    errno = 0;
    if (fflush(stdout) != 0 && errno != 0) saved = errno;
    if (saved == EPIPE) exit(PQF_CLI_OK);
    pqf_cli_errorf("writing output: %s", strerror(saved ? saved : EIO));
    exit(PQF_CLI_FAIL);
}

void pqf_cli_decode_opts_init(pqf_cli_decode_opts *d) {
    memset(d, 0, sizeof *d);
}

void pqf_cli_decode_opts_free(pqf_cli_decode_opts *d) {
    free(d->columns_buf);
    free(d->columns);
    memset(d, 0, sizeof *d);
}

/* Splits a comma-separated list into d->columns (empty items dropped). */
static int set_columns(const char *cmd, const char *list, pqf_cli_decode_opts *d) {
    size_t n = 1;
    for (const char *p = list; *p; p++) n += *p == ',';
    char *buf = malloc(strlen(list) + 1);
    const char **cols = malloc(n * sizeof *cols);
    if (!buf || !cols) {
        free(buf);
        free(cols);
        pqf_cli_errorf("out of memory");
        return -1;
    }
    strcpy(buf, list);
    size_t k = 0;
    for (char *item = buf;;) {
        char *comma = strchr(item, ',');
        if (comma) *comma = '\0';
        if (*item) cols[k++] = item;
        if (!comma) break;
        item = comma + 1;
    }
    if (k == 0) {
        free(buf);
        free(cols);
        pqf_cli_usage(cmd, "--columns needs at least one column path");
        return -1;
    }
    free(d->columns_buf);
    free(d->columns);
    d->columns_buf = buf;
    d->columns = cols;
    d->opt.columns = cols;
    d->opt.num_columns = k;
    return 0;
}

int pqf_cli_opt_value(const char *cmd, int argc, char **argv, int *i, const char *name,
                      const char **value) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0') return 0;
    if (*i + 1 >= argc) {
        pqf_cli_usage(cmd, "%s needs a value", name);
        return -1;
    }
    *i += 1;
    *value = argv[*i];
    return 1;
}

int pqf_cli_decode_opt(const char *cmd, int argc, char **argv, int *i,
                       pqf_cli_decode_opts *d) {
    const char *a = argv[*i];
    if (strcmp(a, "--page-index") == 0) {
        d->opt.flags |= PQF_KEEP_PAGE_INDEX;
        return 1;
    }
    if (strcmp(a, "--bloom") == 0) {
        d->opt.flags |= PQF_KEEP_BLOOM;
        return 1;
    }
    if (strcmp(a, "--kv") == 0) {
        d->opt.flags |= PQF_KEEP_KV;
        return 1;
    }
    if (strcmp(a, "--portable") == 0) {
        d->opt.flags |= PQF_PORTABLE;
        return 1;
    }
    if (strcmp(a, "--no-path-check") == 0) {
        d->opt.flags |= PQF_NO_PATH_CHECK;
        return 1;
    }
    const char *list;
    int r = pqf_cli_opt_value(cmd, argc, argv, i, "--columns", &list);
    if (r <= 0) return r;
    return set_columns(cmd, list, d) == 0 ? 1 : -1;
}

int pqf_cli_parse_u64(const char *s, uint64_t *out) {
    uint64_t v = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        unsigned digit = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - digit) / 10u) return -1;
        v = v * 10u + digit;
    }
    *out = v;
    return 0;
}

uint64_t pqf_cli_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void *pqf_cli_read_tail(const char *path, uint64_t len, uint64_t *file_size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    uint64_t size = (uint64_t)st.st_size;
    if (len > size) len = size;
    if (len > SIZE_MAX - 1) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    unsigned char *buf = malloc(len ? (size_t)len : 1);
    if (!buf) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(fd, buf + got, (size_t)len - got, (off_t)(size - len + got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            int e = r < 0 ? errno : EIO;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        got += (size_t)r;
    }
    close(fd);
    *file_size = size;
    return buf;
}

size_t pqf_cli_text_run(const unsigned char *p, size_t avail) {
    if (p[0] < 0x80) return p[0] >= 0x20 && p[0] != 0x7F;
    size_t n = pqf_cli_utf8_len(p, avail);
    if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0) return 0; /* C1 controls */
    return n;
}

void pqf_cli_put_text(FILE *fp, const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < len) {
        size_t n = pqf_cli_text_run(p + i, len - i);
        if (n) {
            i += n;
            continue;
        }
        fwrite(p + run, 1, i - run, fp);
        fprintf(fp, "\\x%02x", p[i]);
        run = ++i;
    }
    fwrite(p + run, 1, len - run, fp);
}

void pqf_cli_style_init(pqf_cli_style *st) {
    const char *no_color = getenv("NO_COLOR");
    int color = isatty(STDOUT_FILENO) && !(no_color && no_color[0]);
    st->bold = color ? "\033[1m" : "";
    st->plain = color ? "\033[0m" : "";
}

/* Reads all of fd into a malloc'd buffer, up to max bytes; NULL with errno
 * set (EFBIG past max). */
static unsigned char *read_all(int fd, uint64_t max, size_t *len) {
    size_t cap = 1u << 16, n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (n == cap && (uint64_t)cap >= max) {
            /* Full: fine if the input ends exactly here. */
            unsigned char extra;
            ssize_t r;
            do r = read(fd, &extra, 1);
            while (r < 0 && errno == EINTR);
            if (r == 0) break;
            free(buf);
            errno = r < 0 ? errno : EFBIG;
            return NULL;
        }
        if (n == cap) {
            size_t ncap = (uint64_t)cap * 2 > max ? (size_t)max : cap * 2;
            unsigned char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            errno = e;
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    *len = n;
    return buf;
}

/* A decode failure of the CLI's own reading, as a pqf_error. */
static void read_failure(pqf_error *err, const char *msg) {
    memset(err, 0, sizeof *err);
    err->code = PQF_ERR_IO;
    err->msg = msg;
}

unsigned char *pqf_cli_read_stdin(size_t *len, pqf_error *err) {
    unsigned char *buf = read_all(STDIN_FILENO, PQF_CLI_STDIN_MAX, len);
    if (!buf) {
        read_failure(err, errno == EFBIG ? "standard input is larger than the 1 GiB limit"
                                         : "cannot read standard input");
        return NULL;
    }
    if (*len == 0) { /* size 0 would mean "unknown" to the library */
        free(buf);
        memset(err, 0, sizeof *err);
        err->code = PQF_ERR_NOT_PARQUET;
        err->msg = "standard input is empty";
        return NULL;
    }
    return buf;
}

pqf_footer *pqf_cli_decode(pqf_dctx *dctx, const char *file, const pqf_options *opt, int unknown_size,
                           pqf_error *err) {
    if (strcmp(file, "-") == 0) {
        size_t len = 0;
        unsigned char *buf = pqf_cli_read_stdin(&len, err);
        if (!buf) return NULL;
        pqf_footer *f = pqf_dctx_decode_tail(dctx, buf, len, unknown_size ? 0 : len, opt, err);
        free(buf);
        return f;
    }
    if (!unknown_size) return pqf_dctx_decode_file(dctx, file, opt, err);
    /* As pqf_footer_decode_file(), but the library is not told the size. */
    uint64_t want = opt && opt->tail_size ? opt->tail_size : PQF_DEFAULT_TAIL_SIZE;
    for (int attempt = 0; attempt < 2; attempt++) {
        uint64_t size = 0;
        void *tail = pqf_cli_read_tail(file, want, &size);
        if (!tail) {
            read_failure(err, "cannot read file");
            return NULL;
        }
        size_t got = (size_t)(want < size ? want : size);
        pqf_footer *f = pqf_dctx_decode_tail(dctx, tail, got, 0, opt, err);
        free(tail);
        if (f || err->code != PQF_ERR_TRUNCATED || err->needed <= got || err->needed > size)
            return f;
        want = err->needed;
    }
    return NULL;
}
