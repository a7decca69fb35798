/* Datasets: reading and decoding source files, in parallel when asked, and
 * listing a directory's *.parquet files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_STATIC_LINKING_ONLY /* XXH64_state_t on the stack: no hidden malloc */
#include <xxhash.h>

#include "dataset.h"

/* Most decoding threads one open starts. */
#define DS_MAX_THREADS 256

/* --------------------------------------------------------- file access --- */

static int64_t mtime_of(const struct stat *st) {
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + (int64_t)st->st_mtim.tv_nsec;
}

int pqf_ds_stat(const char *path, uint64_t *size, int64_t *mtime_ns) {
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        return -1;
    }
    *size = (uint64_t)st.st_size;
    *mtime_ns = mtime_of(&st);
    return 0;
}

/* Read exactly len bytes at off. 0, or -1 with errno (EIO for a short file). */
static int read_at(int fd, void *buf, size_t len, uint64_t off) {
    uint8_t *p = buf;
    while (len) {
        ssize_t r = pread(fd, p, len, (off_t)off);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) {
            errno = EIO;
            return -1;
        }
        p += r;
        len -= (size_t)r;
        off += (uint64_t)r;
    }
    return 0;
}

int pqf_ds_hash_tail(const char *path, uint64_t size, uint64_t len, uint64_t *hash) {
    if (len > size || len > SIZE_MAX) {
        errno = EINVAL;
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    XXH64_state_t state, *st = &state;
    XXH64_reset(st, 0);
    uint8_t chunk[4096];
    uint64_t off = size - len;
    int rc = 0;
    while (len) {
        size_t n = len < sizeof chunk ? (size_t)len : sizeof chunk;
        if (read_at(fd, chunk, n, off) != 0) {
            rc = -1;
            break;
        }
        XXH64_update(st, chunk, n);
        off += n;
        len -= n;
    }
    if (rc == 0) *hash = XXH64_digest(st);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An OS error as a static message (errno picks it). */
static void io_error(pqf_error *err, const char *fallback) {
    const char *msg = fallback;
    if (errno == ENOENT) msg = "file not found";
    else if (errno == EACCES || errno == EPERM) msg = "permission denied";
    else if (errno == EIO) msg = "input/output error or file shorter than its size";
    pqf_ds_error(err, PQF_ERR_IO, msg, 0, NULL);
}

/* The index i of a "columns[i]" error path (where the decoder names the
 * projected path it could not find), or SIZE_MAX. */
static size_t missing_column_index(const pqf_error *err) {
    static const char prefix[] = "columns[";
    if (err->code != PQF_ERR_NO_COLUMN || strncmp(err->path, prefix, sizeof prefix - 1) != 0)
        return SIZE_MAX;
    size_t i = 0;
    const char *p = err->path + sizeof prefix - 1;
    if (*p < '0' || *p > '9') return SIZE_MAX;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (i > SIZE_MAX / 10 - 1) return SIZE_MAX;
        i = i * 10 + (size_t)(*p - '0');
    }
    return *p == ']' ? i : SIZE_MAX;
}

/*
 * PQF_DS_PROJECT_EXISTING: decode the tail again without each projected path
 * the decoder reports missing, one at a time (at most once per path). The
 * file fails when none of the paths is left.
 */
static pqf_footer *decode_existing(pqf_dctx *dctx, const pqf_ds_buf *buf, uint64_t size,
                                   const pqf_options *fopt, const pqf_allocator *alc, pqf_error *err) {
    size_t n = fopt->num_columns;
    if (!n || !fopt->columns || n > SIZE_MAX / sizeof(char *)) return NULL;
    const char **cols = pqf_ds_tmp_alloc(alc, n * sizeof *cols);
    if (!cols) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return NULL;
    }
    memcpy(cols, fopt->columns, n * sizeof *cols);
    pqf_options o = *fopt;
    o.columns = cols;
    pqf_footer *f = NULL;
    size_t left = n;
    for (;;) {
        size_t i = missing_column_index(err);
        if (i >= left) break; /* some other failure: report it as it is */
        memmove(cols + i, cols + i + 1, (left - i - 1) * sizeof *cols);
        if (--left == 0) {
            pqf_ds_error(err, PQF_ERR_NO_COLUMN, "none of the projected columns is in the schema",
                         0, NULL);
            break;
        }
        o.num_columns = left;
        f = pqf_dctx_decode_tail(dctx, buf->p, buf->len, size, &o, err);
        if (f) break;
    }
    pqf_ds_tmp_free(alc, cols, n * sizeof *cols);
    return f;
}

/*
 * Decode one file: one read of the speculative tail, a second when the footer
 * is longer, then the footer's hash and the row layout. buf is the calling
 * thread's scratch buffer. e->size and e->mtime_ns are set as soon as the
 * file is stat'ed, also when decoding then fails (for the failure record).
 */
static int decode_file(const char *path, const pqf_options *fopt, uint32_t ds_flags,
                       const pqf_allocator *alc, pqf_ds_buf *buf, pqf_dctx *dctx, pqf_ds_entry *e,
                       pqf_error *err) {
    memset(e, 0, sizeof *e);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        io_error(err, "cannot open file");
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        io_error(err, "cannot stat file");
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        pqf_ds_error(err, PQF_ERR_IO, "not a regular file", 0, NULL);
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    uint64_t size = (uint64_t)st.st_size;
    e->size = size;
    e->mtime_ns = mtime_of(&st);
    uint64_t tail = fopt->tail_size ? fopt->tail_size : PQF_DEFAULT_TAIL_SIZE;
    if (tail > size) tail = size;
    pqf_footer *f = NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        buf->len = 0;
        if (tail > SIZE_MAX || pqf_ds_buf_reserve(buf, (size_t)tail) != 0) {
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            close(fd);
            return -1;
        }
        if (read_at(fd, buf->p, (size_t)tail, size - tail) != 0) {
            io_error(err, "cannot read file");
            close(fd);
            return -1;
        }
        buf->len = (size_t)tail;
        f = pqf_dctx_decode_tail(dctx, buf->p, buf->len, size, fopt, err);
        if (f || err->code != PQF_ERR_TRUNCATED || err->needed <= tail || err->needed > size)
            break;
        tail = err->needed;
    }
    close(fd);
    if (!f && (ds_flags & PQF_DS_PROJECT_EXISTING) && err->code == PQF_ERR_NO_COLUMN)
        f = decode_existing(dctx, buf, size, fopt, alc, err);
    if (!f) return -1;
    /* A decoded tail ends with the footer, its length and the magic. */
    uint32_t flen = le32(buf->p + buf->len - 8);
    e->footer = f;
    e->footer_len = flen;
    e->footer_hash = XXH64(buf->p + buf->len - 8 - flen, (size_t)flen + 8, 0);
    if (pqf_ds_row_layout(f, alc, e, err) != PQF_OK) {
        pqf_ds_entry_clear(alc, e);
        return -1;
    }
    return 0;
}

/* Copy file k of another dataset through the model serializer. */
static int copy_file(const pqf_dataset *from, size_t k, const pqf_allocator *alc,
                     pqf_ds_buf *buf, pqf_ds_entry *e, pqf_error *err) {
    memset(e, 0, sizeof *e);
    const pqf_ds_file *src = &from->files[k];
    buf->len = 0;
    buf->failed = 0;
    if (pqf_footer_serialize(src->footer, pqf_ds_buf_write, buf) != PQF_OK || buf->failed) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return -1;
    }
    e->footer = pqf_footer_deserialize(buf->p, buf->len, alc, err);
    if (!e->footer) return -1;
    e->size = src->size;
    e->mtime_ns = src->mtime_ns;
    e->footer_len = src->footer_len;
    e->footer_hash = src->footer_hash;
    e->rows = src->rows;
    e->rows_per_rg = src->rows_per_rg;
    if (src->row_prefix) {
        size_t sz = pqf_ds_prefix_size(src->row_prefix[0]);
        e->row_prefix = pqf_ds_tmp_alloc(alc, sz);
        if (!e->row_prefix) {
            pqf_ds_entry_clear(alc, e);
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return -1;
        }
        memcpy(e->row_prefix, src->row_prefix, sz);
    }
    return 0;
}

/* ---------------------------------------------------------- the runner --- */

/* A finished job, waiting for the opening thread. */
typedef struct job_out {
    pqf_ds_entry e;
    const pqf_error *err; /* failures only */
    int sys_errno;        /* errno of a failure, from the thread that ran it */
    int ok;
    int done;       /* under pool.mu */
} job_out;

typedef struct ds_pool {
    const pqf_ds_job *jobs;
    size_t n;
    job_out *out;
    const pqf_options *fopt;
    uint32_t ds_flags;
    const pqf_allocator *alc;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} ds_pool;

/* Stands in for a failure whose error could not be copied. */
static const pqf_error nomem_error = {PQF_ERR_NOMEM, "out of memory", 0, 0, ""};

static void run_job(const pqf_ds_job *j, const pqf_options *fopt, uint32_t ds_flags,
                    const pqf_allocator *alc, pqf_ds_buf *buf, pqf_dctx *dctx, job_out *o) {
    pqf_error err;
    if (j->reuse == PQF_DS_JOB_KNOWN_BAD) { /* the opening thread copies the record */
        memset(&o->e, 0, sizeof o->e);
        o->ok = 0;
        o->err = NULL;
        return;
    }
    int rc = j->reuse == PQF_DS_JOB_COPY ? copy_file(j->from, j->from_index, alc, buf, &o->e, &err)
                                         : decode_file(j->path, fopt, ds_flags, alc, buf, dctx, &o->e, &err);
    o->ok = rc == 0;
    o->err = NULL;
    o->sys_errno = errno;
    if (!o->ok) {
        pqf_error *copy = pqf_ds_tmp_alloc(alc, sizeof *copy);
        if (copy) *copy = err;
        o->err = copy ? copy : &nomem_error;
    }
}

static void free_out(const pqf_allocator *alc, job_out *o) {
    pqf_ds_entry_clear(alc, &o->e);
    if (o->err && o->err != &nomem_error) pqf_ds_tmp_free(alc, (void *)o->err, sizeof *o->err);
    o->err = NULL;
}

static void *worker(void *arg) {
    ds_pool *p = arg;
    pqf_ds_buf buf;
    pqf_ds_buf_init(&buf, p->alc);
    pqf_dctx *dctx = pqf_dctx_new(p->alc); /* the thread's decode work memory; NULL: none */
    for (;;) {
        if (atomic_load(&p->stop)) break;
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) break;
        job_out o;
        run_job(&p->jobs[i], p->fopt, p->ds_flags, p->alc, &buf, dctx, &o);
        pthread_mutex_lock(&p->mu);
        p->out[i].e = o.e;
        p->out[i].err = o.err;
        p->out[i].sys_errno = o.sys_errno;
        p->out[i].ok = o.ok;
        p->out[i].done = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    pqf_dctx_free(dctx);
    pqf_ds_buf_free(&buf);
    return NULL;
}

/* The path a job is about. */
static const char *job_path(const pqf_ds_job *j) {
    if (j->reuse == PQF_DS_JOB_COPY) return pqf_ds_path(j->from, j->from_index);
    if (j->reuse == PQF_DS_JOB_KNOWN_BAD) return j->from->failures[j->from_index].path;
    return j->path;
}

/* Carry a known-bad file's record over from another dataset. */
static int carry_failure(pqf_dataset *ds, const pqf_ds_job *j) {
    const pqf_ds_failure *f = &j->from->failures[j->from_index];
    return pqf_ds_add_failure(ds, f->path, &f->err, f->size, f->mtime_ns, f->msg,
                              f->msg ? f->msg_size - 1 : 0);
}

pqf_code pqf_ds_run(pqf_dataset *ds, const pqf_ds_job *jobs, size_t njobs,
                    const pqf_dataset_options *opt, pqf_error *err) {
    pqf_options fopt;
    pqf_ds_get_opts(ds, &fopt);
    fopt.allocator = &ds->alc;
    const pqf_allocator *alc = &ds->alc;
    size_t nthreads = opt && opt->threads > 1 ? opt->threads : 1;
    if (nthreads > DS_MAX_THREADS) nthreads = DS_MAX_THREADS;
    if (nthreads > njobs) nthreads = njobs;

    size_t path_bytes = 0;
    for (size_t i = 0; i < njobs; i++) path_bytes += strlen(job_path(&jobs[i])) + 1;
    if (pqf_ds_reserve(ds, njobs, path_bytes) != 0) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return PQF_ERR_NOMEM;
    }

    ds_pool pool;
    memset(&pool, 0, sizeof pool);
    pthread_t *tids = NULL;
    size_t started = 0;
    pqf_ds_buf buf; /* the opening thread's scratch buffer when it decodes itself */
    pqf_ds_buf_init(&buf, alc);
    if (nthreads > 1) {
        pool.jobs = jobs;
        pool.n = njobs;
        pool.fopt = &fopt;
        pool.ds_flags = ds->opts.ds_flags;
        pool.alc = alc;
        atomic_init(&pool.next, 0);
        atomic_init(&pool.stop, 0);
        pool.out = pqf_ds_tmp_alloc(alc, njobs * sizeof *pool.out);
        tids = pqf_ds_tmp_alloc(alc, nthreads * sizeof *tids);
        if (!pool.out || !tids || pthread_mutex_init(&pool.mu, NULL) != 0) {
            pqf_ds_tmp_free(alc, pool.out, njobs * sizeof *pool.out);
            pqf_ds_tmp_free(alc, tids, nthreads * sizeof *tids);
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return PQF_ERR_NOMEM;
        }
        if (pthread_cond_init(&pool.cv, NULL) != 0) {
            pthread_mutex_destroy(&pool.mu);
            pqf_ds_tmp_free(alc, pool.out, njobs * sizeof *pool.out);
            pqf_ds_tmp_free(alc, tids, nthreads * sizeof *tids);
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return PQF_ERR_NOMEM;
        }
        memset(pool.out, 0, njobs * sizeof *pool.out);
        for (size_t t = 0; t < nthreads; t++) {
            if (pthread_create(&tids[t], NULL, worker, &pool) != 0) break;
            started++;
        }
        /* With no thread at all, the opening thread does the work. */
    }

    pqf_ds_intern tab = {NULL, 0};
    pqf_code rc = PQF_OK;
    int fail_errno = 0; /* the failing file's errno, restored for the caller */
    pqf_dctx *dctx = NULL; /* the opening thread's, made when it decodes itself */
    size_t i = 0;
    for (; i < njobs; i++) {
        job_out local, *o;
        if (started) {
            o = &pool.out[i];
            pthread_mutex_lock(&pool.mu);
            while (!o->done) pthread_cond_wait(&pool.cv, &pool.mu);
            pthread_mutex_unlock(&pool.mu);
        } else {
            o = &local;
            if (!dctx) dctx = pqf_dctx_new(alc);
            run_job(&jobs[i], &fopt, ds->opts.ds_flags, alc, &buf, dctx, o);
        }
        const char *path = job_path(&jobs[i]);
        if (jobs[i].reuse == PQF_DS_JOB_KNOWN_BAD) {
            if (carry_failure(ds, &jobs[i]) != 0) {
                pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
                rc = PQF_ERR_NOMEM;
                break;
            }
        } else if (o->ok) {
            rc = pqf_ds_append(ds, path, &o->e, &tab, UINT32_MAX, err);
            if (rc != PQF_OK) {
                free_out(alc, o);
                break;
            }
        } else {
            int abort_open = !opt || !opt->on_error || opt->on_error(opt->on_error_ctx, path, o->err);
            if (abort_open || pqf_ds_add_failure(ds, path, o->err, o->e.size, o->e.mtime_ns, NULL,
                                                 0) != 0) {
                if (abort_open) {
                    if (err) *err = *o->err;
                    pqf_ds_set_error_path(opt, path);
                    fail_errno = o->sys_errno;
                    rc = o->err->code;
                } else {
                    pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
                    rc = PQF_ERR_NOMEM;
                }
                free_out(alc, o);
                break;
            }
            free_out(alc, o);
        }
        if (opt && opt->progress) opt->progress(opt->progress_ctx, i + 1, njobs);
    }

    if (started) {
        atomic_store(&pool.stop, 1);
        for (size_t t = 0; t < started; t++) pthread_join(tids[t], NULL);
        /* Jobs that finished after an abort still hold their results. */
        for (size_t k = i + 1; k < njobs; k++)
            if (pool.out[k].done) free_out(alc, &pool.out[k]);
    }
    if (nthreads > 1) {
        pthread_cond_destroy(&pool.cv);
        pthread_mutex_destroy(&pool.mu);
        pqf_ds_tmp_free(alc, pool.out, njobs * sizeof *pool.out);
        pqf_ds_tmp_free(alc, tids, nthreads * sizeof *tids);
    }
    pqf_dctx_free(dctx);
    pqf_ds_buf_free(&buf);
    pqf_ds_intern_free(ds, &tab);
    if (fail_errno) errno = fail_errno;
    return rc;
}

/* ------------------------------------------------------ directory walk --- */

typedef struct path_list {
    const pqf_allocator *a;
    char **v;
    size_t n, cap;
} path_list;

static int list_push(path_list *l, char *s) {
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        if (ncap > SIZE_MAX / sizeof *l->v) return -1;
        char **nv = pqf_ds_tmp_alloc(l->a, ncap * sizeof *nv);
        if (!nv) return -1;
        if (l->n) memcpy(nv, l->v, l->n * sizeof *nv);
        pqf_ds_tmp_free(l->a, l->v, l->cap * sizeof *nv);
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = s;
    return 0;
}

/* "dir/name" allocated through a (a pqf_ds_str_free() string). */
static char *join_path(const pqf_allocator *a, const char *dir, const char *name) {
    size_t d = strlen(dir), b = strlen(name);
    int slash = d > 0 && dir[d - 1] != '/';
    char *s = pqf_ds_tmp_alloc(a, d + (size_t)slash + b + 1);
    if (!s) return NULL;
    memcpy(s, dir, d);
    if (slash) s[d] = '/';
    memcpy(s + d + (size_t)slash, name, b + 1);
    return s;
}


/* ".parquet" at the end, in any letter case. */
static int is_parquet_name(const char *name) {
    static const char suffix[] = ".parquet";
    size_t n = strlen(name), k = sizeof suffix - 1;
    if (n <= k) return 0;
    for (size_t i = 0; i < k; i++) {
        char c = name[n - k + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != suffix[i]) return 0;
    }
    return 1;
}

/* Names that are never part of a dataset: hidden ('.') and writer
 * bookkeeping ('_'): _SUCCESS, _metadata, _temporary/, .crc files, ... */
static int is_ignored_name(const char *name) { return name[0] == '.' || name[0] == '_'; }

/* The rules are documented at pqf_dataset_open_dir() in pqfoot.h. */
static int walk(const char *dir, path_list *out, int depth) {
    if (depth > 256) {
        errno = ELOOP;
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) return -1;
    int rc = 0;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            if (errno) rc = -1;
            break;
        }
        const char *name = de->d_name;
        if (is_ignored_name(name)) continue; /* also "." and ".." */
        char *full = join_path(out->a, dir, name);
        if (!full) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        struct stat st;
        if (lstat(full, &st) != 0) {
            /* Vanished between readdir and lstat: not part of the listing. */
            pqf_ds_str_free(out->a, full);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk(full, out, depth + 1);
            pqf_ds_str_free(out->a, full);
            if (rc != 0) break;
            continue;
        }
        if (S_ISLNK(st.st_mode) && stat(full, &st) != 0) {
            pqf_ds_str_free(out->a, full);
            continue;
        }
        if (S_ISREG(st.st_mode) && is_parquet_name(name)) {
            if (list_push(out, full) != 0) {
                pqf_ds_str_free(out->a, full);
                errno = ENOMEM;
                rc = -1;
                break;
            }
        } else {
            pqf_ds_str_free(out->a, full);
        }
    }
    int e = errno;
    closedir(d);
    errno = e;
    return rc;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void pqf_ds_list_free(const pqf_allocator *a, char **list, size_t n) {
    for (size_t i = 0; i < n; i++) pqf_ds_str_free(a, list[i]);
    /* The array's capacity is not kept; it was trimmed to n (or is NULL). */
    if (list) pqf_ds_tmp_free(a, list, (n ? n : 1) * sizeof *list);
}

int pqf_ds_list_dir(const pqf_allocator *a, const char *dir, char ***out, size_t *n) {
    path_list l = {a, NULL, 0, 0};
    int rc = walk(dir, &l, 0);
    /* Trim to exactly n entries so pqf_ds_list_free() knows the size. */
    char **v = NULL;
    if (rc == 0) {
        v = pqf_ds_tmp_alloc(a, (l.n ? l.n : 1) * sizeof *v);
        if (!v) {
            errno = ENOMEM;
            rc = -1;
        } else if (l.n) {
            memcpy(v, l.v, l.n * sizeof *v);
        }
    }
    int e = errno;
    if (rc != 0)
        for (size_t i = 0; i < l.n; i++) pqf_ds_str_free(a, l.v[i]);
    pqf_ds_tmp_free(a, l.v, l.cap * sizeof *l.v);
    if (rc != 0) {
        errno = e ? e : EIO;
        return -1;
    }
    if (l.n) qsort(v, l.n, sizeof *v, cmp_str);
    *out = v;
    *n = l.n;
    return 0;
}

/* ---------------------------------------------------------- public API --- */

void pqf_ds_set_error_path(const pqf_dataset_options *opt, const char *path) {
    if (!opt || !opt->error_path || !opt->error_path_size) return;
    size_t n = path ? strlen(path) : 0;
    if (n >= opt->error_path_size) n = opt->error_path_size - 1;
    if (n) memcpy(opt->error_path, path, n);
    opt->error_path[n] = '\0';
}

/* A path with its position, for finding repeated paths. */
typedef struct path_pos {
    const char *path;
    size_t pos;
} path_pos;

static int by_path_then_pos(const void *pa, const void *pb) {
    const path_pos *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    if (c) return c;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Fill jobs with the paths, each string once at its first position; returns
 * how many jobs, or SIZE_MAX when memory runs out. */
static size_t unique_jobs(const pqf_allocator *a, const char *const *paths, size_t n,
                          pqf_ds_job *jobs) {
    if (n == 0) return 0;
    path_pos *v = pqf_ds_tmp_alloc(a, n * sizeof *v);
    uint8_t *dup = pqf_ds_tmp_alloc(a, n);
    if (!v || !dup) {
        pqf_ds_tmp_free(a, v, n * sizeof *v);
        pqf_ds_tmp_free(a, dup, n);
        return SIZE_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        v[i].path = paths[i];
        v[i].pos = i;
        dup[i] = 0;
    }
    qsort(v, n, sizeof *v, by_path_then_pos);
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i].path, v[i - 1].path) == 0) dup[v[i].pos] = 1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (dup[i]) continue;
        memset(&jobs[k], 0, sizeof jobs[k]);
        jobs[k++].path = paths[i];
    }
    pqf_ds_tmp_free(a, v, n * sizeof *v);
    pqf_ds_tmp_free(a, dup, n);
    return k;
}

static pqf_dataset *open_paths(const char *const *paths, size_t npaths, const char *root,
                               const pqf_dataset_options *opt, pqf_error *err) {
    pqf_dataset *ds = pqf_ds_new(opt ? opt->footer.allocator : NULL);
    if (!ds) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return NULL;
    }
    if (pqf_ds_set_opts(ds, opt ? &opt->footer : NULL) != 0 ||
        (root && pqf_ds_set_root(ds, root) != 0)) {
        pqf_dataset_free(ds);
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return NULL;
    }
    ds->opts.ds_flags = opt ? opt->flags & PQF_DS_PROJECT_EXISTING : 0;
    pqf_ds_job *jobs = NULL;
    size_t njobs = 0;
    if (npaths) {
        if (npaths > SIZE_MAX / sizeof *jobs ||
            !(jobs = pqf_ds_tmp_alloc(&ds->alc, npaths * sizeof *jobs)) ||
            (njobs = unique_jobs(&ds->alc, paths, npaths, jobs)) == SIZE_MAX) {
            pqf_ds_tmp_free(&ds->alc, jobs, npaths * sizeof *jobs);
            pqf_dataset_free(ds);
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return NULL;
        }
    }
    pqf_code rc = pqf_ds_run(ds, jobs, njobs, opt, err);
    pqf_ds_tmp_free(&ds->alc, jobs, npaths * sizeof *jobs);
    if (rc == PQF_OK) rc = pqf_ds_finish(ds, err);
    if (rc != PQF_OK) {
        pqf_dataset_free(ds);
        return NULL;
    }
    pqf_ds_error(err, PQF_OK, "ok", 0, NULL);
    return ds;
}

pqf_dataset *pqf_dataset_open(const char *const *paths, size_t npaths,
                              const pqf_dataset_options *opt, pqf_error *err) {
    pqf_ds_set_error_path(opt, "");
    if (npaths && !paths) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "paths is NULL", 0, NULL);
        return NULL;
    }
    for (size_t i = 0; i < npaths; i++) {
        if (!paths[i]) {
            pqf_ds_error(err, PQF_ERR_INVALID_ARG, "a path is NULL", 0, NULL);
            return NULL;
        }
    }
    return open_paths(paths, npaths, NULL, opt, err);
}

pqf_dataset *pqf_dataset_open_dir(const char *dir, const pqf_dataset_options *opt, pqf_error *err) {
    pqf_ds_set_error_path(opt, "");
    if (!dir) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "dir is NULL", 0, NULL);
        return NULL;
    }
    pqf_allocator alc;
    alc = pqf_allocator_resolve(opt ? opt->footer.allocator : NULL);
    char **list = NULL;
    size_t n = 0;
    if (pqf_ds_list_dir(&alc, dir, &list, &n) != 0) {
        if (errno == ENOMEM)
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        else
            io_error(err, "cannot list directory");
        pqf_ds_set_error_path(opt, dir);
        return NULL;
    }
    pqf_dataset *ds = open_paths((const char *const *)list, n, dir, opt, err);
    pqf_ds_list_free(&alc, list, n);
    return ds;
}
