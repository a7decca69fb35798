/* Pruning and kept statistics from Python: Footer.prune, Dataset.prune and
 * Footer.stats (the predicate grammar is the library's, docs/prune.md). */
#include "pqfpy.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ prune --- */

/* Indexes of the row groups marked in m[0..n) as a list. */
static PyObject *kept_list(const uint8_t *m, size_t n) {
    PyObject *out = PyList_New(0);
    for (size_t i = 0; out && i < n; i++) {
        if (!m[i]) continue;
        PyObject *v = PyLong_FromSize_t(i);
        if (!v || PyList_Append(out, v) < 0) Py_CLEAR(out);
        Py_XDECREF(v);
    }
    return out;
}

/* The C text of a where argument (valid while where lives). */
static const char *where_text(PyObject *where, Py_ssize_t *len) {
    if (!PyUnicode_Check(where)) {
        PyErr_Format(PyExc_TypeError, "where must be a str, not %.80s", Py_TYPE(where)->tp_name);
        return NULL;
    }
    return PyUnicode_AsUTF8AndSize(where, len);
}

/* Everything one prune needs, filled before the GIL is released. */
typedef struct prune_job {
    const char *text;
    size_t len;
    int bloom;
    uint8_t *may_match;
    size_t n;
    pqf_error err;
    const char *err_file; /* the file a failure concerns, or NULL */
} prune_job;

/* Parse the predicate (no GIL needed). NULL with job->err set. */
static pqf_pred *parse(prune_job *job) {
    return pqf_pred_parse(job->text, job->len, NULL, &job->err);
}

static int job_init(prune_job *job, PyObject *where, int bloom, size_t n) {
    memset(job, 0, sizeof *job);
    Py_ssize_t len;
    job->text = where_text(where, &len);
    if (!job->text) return -1;
    job->len = (size_t)len;
    job->bloom = bloom;
    job->n = n;
    job->may_match = malloc(n ? n : 1);
    if (!job->may_match) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* The result list, or the error raised; frees the job either way. Errors
 * about the predicate (syntax, unknown column, literal of the wrong kind)
 * carry its position; others (bloom reads) the file. */
static PyObject *job_finish(prune_job *job, pqf_code rc) {
    PyObject *res;
    if (rc == PQF_OK) res = kept_list(job->may_match, job->n);
    else if (!job->err_file) res = pqfpy_raise_predicate(&job->err);
    else res = pqfpy_raise(&job->err, job->err_file);
    free(job->may_match);
    return res;
}

/* A failure of eval on the file at path: about the predicate or the file? */
static void blame(prune_job *job, const char *path) {
    int about_text = job->err.code == PQF_ERR_NO_COLUMN ||
                     (job->err.code == PQF_ERR_INVALID_ARG && job->err.offset < job->len);
    job->err_file = about_text ? NULL : path;
}

PyObject *pqfpy_footer_prune(const pqf_footer *f, const char *path, PyObject *where, int bloom) {
    prune_job job;
    if (job_init(&job, where, bloom, pqf_row_group_count(f)) < 0) return NULL;
    pqf_code rc;
    Py_BEGIN_ALLOW_THREADS
    pqf_pred *p = parse(&job);
    if (!p) rc = job.err.code;
    else if (bloom) rc = pqf_pred_eval_bloom_file(p, f, path, job.may_match, &job.err);
    else rc = pqf_pred_eval(p, f, job.may_match, &job.err);
    if (rc != PQF_OK && p) blame(&job, path);
    pqf_pred_free(p);
    Py_END_ALLOW_THREADS
    return job_finish(&job, rc);
}

/* The dataset's statistics, then each file's bloom filters (read from the
 * files) for the row groups still marked. No GIL. */
static pqf_code prune_dataset(const pqf_dataset *ds, const pqf_pred *p, prune_job *job) {
    pqf_code rc = pqf_dataset_prune(ds, p, job->may_match, &job->err);
    if (rc != PQF_OK || !job->bloom) return rc;
    size_t base = 0;
    for (size_t i = 0; i < pqf_dataset_file_count(ds); i++) {
        pqf_dataset_file df;
        if ((rc = pqf_dataset_file_get(ds, i, &df)) != PQF_OK) return rc;
        const pqf_footer *f = df.footer;
        size_t n = pqf_row_group_count(f), any = 0;
        for (size_t r = 0; r < n; r++) any |= job->may_match[base + r];
        if (any) {
            uint8_t *m = malloc(n);
            if (!m) {
                memset(&job->err, 0, sizeof job->err);
                job->err.code = PQF_ERR_NOMEM;
                job->err.msg = "out of memory";
                return PQF_ERR_NOMEM;
            }
            const char *path = df.path;
            rc = pqf_pred_eval_bloom_file(p, f, path, m, &job->err);
            for (size_t r = 0; rc == PQF_OK && r < n; r++) job->may_match[base + r] &= m[r];
            free(m);
            if (rc != PQF_OK) {
                blame(job, path);
                return rc;
            }
        }
        base += n;
    }
    return PQF_OK;
}

PyObject *pqfpy_dataset_prune(const pqf_dataset *ds, PyObject *where, int bloom) {
    uint64_t n = pqf_dataset_row_group_count(ds);
    if (n > SIZE_MAX) return PyErr_NoMemory();
    prune_job job;
    if (job_init(&job, where, bloom, (size_t)n) < 0) return NULL;
    pqf_code rc;
    Py_BEGIN_ALLOW_THREADS
    pqf_pred *p = parse(&job);
    rc = p ? prune_dataset(ds, p, &job) : job.err.code;
    pqf_pred_free(p);
    Py_END_ALLOW_THREADS
    return job_finish(&job, rc);
}

/* -------------------------------------------------------- statistics --- */

static int put(PyObject *d, const char *key, PyObject *v) {
    if (!v) return -1;
    int rc = PyDict_SetItemString(d, key, v);
    Py_DECREF(v);
    return rc;
}

static PyObject *opt_bytes(pqf_str s) {
    if (!s.ptr) Py_RETURN_NONE;
    return PyBytes_FromStringAndSize(s.ptr, (Py_ssize_t)s.len);
}

static PyObject *opt_ll(int present, long long v) {
    if (!present) Py_RETURN_NONE;
    return PyLong_FromLongLong(v);
}

static PyObject *opt_flag(uint32_t has, uint32_t set, uint32_t value) {
    if (!(has & set)) Py_RETURN_NONE;
    return PyBool_FromLong((has & value) != 0);
}

PyObject *pqfpy_stats_dict(const pqf_footer *f, size_t rg, size_t col, PyObject *colo) {
    int has = 0;
    if (pqf_column_has_stats(f, col, &has) != PQF_OK || !has) return pqfpy_no_stats(colo);
    pqf_stats st;
    pqf_code rc = pqf_stats_get(f, rg, col, &st);
    if (rc != PQF_OK) return pqfpy_raise_code(rc, NULL);
    if (!(st.has & PQF_ST_STATISTICS)) Py_RETURN_NONE;
    uint32_t h = st.has;
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    if (put(d, "null_count", opt_ll(h & PQF_ST_NULL_COUNT, st.null_count)) < 0 ||
        put(d, "distinct_count", opt_ll(h & PQF_ST_DISTINCT_COUNT, st.distinct_count)) < 0 ||
        put(d, "min_value", opt_bytes(st.min_value)) < 0 ||
        put(d, "max_value", opt_bytes(st.max_value)) < 0 ||
        put(d, "is_min_value_exact", opt_flag(h, PQF_ST_MIN_EXACT_SET, PQF_ST_MIN_EXACT)) < 0 ||
        put(d, "is_max_value_exact", opt_flag(h, PQF_ST_MAX_EXACT_SET, PQF_ST_MAX_EXACT)) < 0 ||
        put(d, "min", opt_bytes(st.min)) < 0 || put(d, "max", opt_bytes(st.max)) < 0 ||
        put(d, "num_values", PyLong_FromLongLong(st.num_values)) < 0 ||
        put(d, "bloom_offset", opt_ll(h & PQF_ST_BLOOM_OFFSET, st.bloom_offset)) < 0 ||
        put(d, "bloom_length", opt_ll(h & PQF_ST_BLOOM_LENGTH, st.bloom_length)) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

PyObject *pqfpy_stats_columns(const pqf_footer *f) {
    PyObject *out = PyList_New(0);
    for (size_t c = 0; out && c < pqf_column_count(f); c++) {
        pqf_column lc;
        int has = 0;
        if (pqf_column_has_stats(f, c, &has) != PQF_OK || !has || pqf_column_get(f, c, &lc) != PQF_OK) continue;
        PyObject *s = pqfpy_str(lc.path);
        if (!s || PyList_Append(out, s) < 0) Py_CLEAR(out);
        Py_XDECREF(s);
    }
    return out;
}
