/* Datasets: comparing an index with the files on disk, and updating it by
 * decoding only what changed. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"

/* A file's status against the disk: PQF_FILE_OK, _STALE or _MISSING. */
static int file_status(const pqf_dataset *ds, size_t i, int thorough) {
    const pqf_ds_file *fi = &ds->files[i];
    const char *path = pqf_ds_path(ds, i);
    uint64_t size;
    int64_t mtime;
    if (pqf_ds_stat(path, &size, &mtime) != 0)
        return errno == ENOENT || errno == ENOTDIR || errno == EINVAL ? PQF_FILE_MISSING
                                                                       : PQF_FILE_STALE;
    if (size != fi->size || mtime != fi->mtime_ns) return PQF_FILE_STALE;
    if (thorough) {
        uint64_t h;
        if (pqf_ds_hash_tail(path, size, (uint64_t)fi->footer_len + 8, &h) != 0 || h != fi->footer_hash)
            return PQF_FILE_STALE;
    }
    return PQF_FILE_OK;
}

static int cmp_path_ptr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The dataset's paths, sorted, for membership tests (through the dataset's
 * allocator; free with free_sorted()). */
static const char **sorted_paths(const pqf_dataset *ds) {
    const char **v = pqf_ds_tmp_alloc(&ds->alc, (ds->nfiles ? ds->nfiles : 1) * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < ds->nfiles; i++) v[i] = pqf_ds_path(ds, i);
    if (ds->nfiles) qsort(v, ds->nfiles, sizeof *v, cmp_path_ptr);
    return v;
}

static void free_sorted(const pqf_dataset *ds, const char **v) {
    pqf_ds_tmp_free(&ds->alc, (void *)v, (ds->nfiles ? ds->nfiles : 1) * sizeof *v);
}

/* A known-bad file's status: PQF_FILE_OK while unchanged, else _MISSING or
 * _STALE. */
static int failure_status(const pqf_ds_failure *f) {
    if (pqf_ds_failure_unchanged(f)) return PQF_FILE_OK;
    uint64_t size;
    int64_t mtime;
    return pqf_ds_stat(f->path, &size, &mtime) != 0 ? PQF_FILE_MISSING : PQF_FILE_STALE;
}

static int has_path(const char **sorted, size_t n, const char *p) {
    return n && bsearch(&p, sorted, n, sizeof *sorted, cmp_path_ptr) != NULL;
}

/* The files under the dataset's root (empty when it has none, or when the
 * root itself is gone). */
static pqf_code list_root(const pqf_dataset *ds, char ***list, size_t *n, pqf_error *err) {
    *list = NULL;
    *n = 0;
    if (!ds->root) return PQF_OK;
    if (pqf_ds_list_dir(&ds->alc, ds->root, list, n) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *list = NULL;
            *n = 0;
            return PQF_OK;
        }
        if (errno == ENOMEM) {
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return PQF_ERR_NOMEM;
        }
        pqf_ds_error(err, PQF_ERR_IO, "cannot list the dataset's directory", 0, NULL);
        return PQF_ERR_IO;
    }
    return PQF_OK;
}

pqf_code pqf_dataset_verify(const pqf_dataset *ds, int thorough,
                            void (*fn)(void *ctx, const char *path, int status), void *ctx,
                            pqf_error *err) {
    if (!ds || !ds->rg_start) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "dataset is NULL", 0, NULL);
        return PQF_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < ds->nfiles; i++) {
        int st = file_status(ds, i, thorough);
        if (st != PQF_FILE_OK && fn) fn(ctx, pqf_ds_path(ds, i), st);
    }
    for (size_t i = 0; i < ds->nfailures; i++) {
        int st = failure_status(&ds->failures[i]);
        if (st != PQF_FILE_OK && fn) fn(ctx, ds->failures[i].path, st);
    }
    char **list;
    size_t n;
    pqf_code rc = list_root(ds, &list, &n, err);
    if (rc != PQF_OK) return rc;
    if (n) {
        const char **sorted = sorted_paths(ds);
        if (!sorted) {
            pqf_ds_list_free(&ds->alc, list, n);
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return PQF_ERR_NOMEM;
        }
        for (size_t k = 0; k < n; k++)
            if (!has_path(sorted, ds->nfiles, list[k]) && pqf_ds_find_failure(ds, list[k]) == SIZE_MAX &&
                fn)
                fn(ctx, list[k], PQF_FILE_NEW);
        free_sorted(ds, sorted);
    }
    pqf_ds_list_free(&ds->alc, list, n);
    pqf_ds_error(err, PQF_OK, "ok", 0, NULL);
    return PQF_OK;
}

/* Index of path in ds, through the sorted view; SIZE_MAX when absent. */
static size_t find_file(const pqf_dataset *ds, const char **sorted, const char *p) {
    if (!ds->nfiles) return SIZE_MAX;
    const char **hit = bsearch(&p, sorted, ds->nfiles, sizeof *sorted, cmp_path_ptr);
    if (!hit) return SIZE_MAX;
    /* Paths live in one block in file order; the offset gives the index. */
    size_t off = (size_t)(*hit - ds->paths);
    size_t lo = 0, hi = ds->nfiles;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->files[mid].path_off <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

pqf_dataset *pqf_dataset_update(const pqf_dataset *ds, const pqf_dataset_options *opt,
                                pqf_error *err) {
    pqf_ds_set_error_path(opt, "");
    if (!ds || !ds->rg_start) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "dataset is NULL", 0, NULL);
        return NULL;
    }
    /* Decode with the options the dataset was built with; the caller's
     * options bring threads, callbacks and the allocator. */
    pqf_dataset_options run;
    memset(&run, 0, sizeof run);
    if (opt) run = *opt;
    pqf_dataset *nd = pqf_ds_new(opt ? opt->footer.allocator : &ds->alc);
    if (!nd) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return NULL;
    }
    pqf_options fo;
    pqf_ds_get_opts(ds, &fo);
    if (pqf_ds_set_opts(nd, &fo) != 0 || (ds->root && pqf_ds_set_root(nd, ds->root) != 0)) {
        pqf_dataset_free(nd);
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return NULL;
    }
    nd->opts.ds_flags = ds->opts.ds_flags;

    char **list = NULL;
    size_t nlist = 0;
    pqf_code rc = list_root(ds, &list, &nlist, err);
    if (rc != PQF_OK) pqf_ds_set_error_path(opt, ds->root);
    const char **sorted = NULL;
    pqf_ds_job *jobs = NULL;
    size_t njobs = 0, jobs_cap = 0;
    if (rc == PQF_OK) {
        sorted = sorted_paths(ds);
        jobs_cap = (ds->root ? nlist : ds->nfiles + ds->nfailures) + 1;
        jobs = pqf_ds_tmp_alloc(&nd->alc, jobs_cap * sizeof *jobs);
        if (!sorted || !jobs) {
            rc = PQF_ERR_NOMEM;
            pqf_ds_error(err, rc, "out of memory", 0, NULL);
        }
    }
    if (rc == PQF_OK) {
        if (ds->root) {
            /* The directory's current listing, in order: what a fresh build
             * would see. Unchanged files are copied, the rest decoded. */
            for (size_t k = 0; k < nlist; k++) {
                pqf_ds_job *j = &jobs[njobs++];
                memset(j, 0, sizeof *j);
                j->path = list[k];
                size_t at = find_file(ds, sorted, list[k]);
                size_t bad = at == SIZE_MAX ? pqf_ds_find_failure(ds, list[k]) : SIZE_MAX;
                if (at != SIZE_MAX && file_status(ds, at, 0) == PQF_FILE_OK) {
                    j->reuse = PQF_DS_JOB_COPY;
                    j->from = ds;
                    j->from_index = at;
                } else if (bad != SIZE_MAX && failure_status(&ds->failures[bad]) == PQF_FILE_OK) {
                    j->reuse = PQF_DS_JOB_KNOWN_BAD;
                    j->from = ds;
                    j->from_index = bad;
                }
            }
        } else {
            for (size_t i = 0; i < ds->nfiles; i++) {
                int st = file_status(ds, i, 0);
                if (st == PQF_FILE_MISSING) continue;
                pqf_ds_job *j = &jobs[njobs++];
                memset(j, 0, sizeof *j);
                j->path = pqf_ds_path(ds, i);
                if (st == PQF_FILE_OK) {
                    j->reuse = PQF_DS_JOB_COPY;
                    j->from = ds;
                    j->from_index = i;
                }
            }
            for (size_t i = 0; i < ds->nfailures; i++) {
                int st = failure_status(&ds->failures[i]);
                if (st == PQF_FILE_MISSING) continue;
                pqf_ds_job *j = &jobs[njobs++];
                memset(j, 0, sizeof *j);
                j->path = ds->failures[i].path;
                if (st == PQF_FILE_OK) {
                    j->reuse = PQF_DS_JOB_KNOWN_BAD;
                    j->from = ds;
                    j->from_index = i;
                }
            }
        }
        rc = pqf_ds_run(nd, jobs, njobs, &run, err);
    }
    if (rc == PQF_OK) rc = pqf_ds_finish(nd, err);
    pqf_ds_tmp_free(&nd->alc, jobs, jobs_cap * sizeof *jobs);
    if (sorted) free_sorted(ds, sorted);
    pqf_ds_list_free(&ds->alc, list, nlist);
    if (rc != PQF_OK) {
        pqf_dataset_free(nd);
        return NULL;
    }
    pqf_ds_error(err, PQF_OK, "ok", 0, NULL);
    return nd;
}
