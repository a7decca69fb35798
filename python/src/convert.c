/* Conversions between Python arguments and the C API: byte sinks, column
 * projections, indexes and paths. */
#include "pqfpy.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------- byte sink --- */

int pqfpy_buf_write(void *ctx, const void *data, size_t len) {
    pqfpy_buf *b = ctx;
    if (b->failed) return -1;
    if (len > b->cap - b->len) {
        size_t want = b->cap ? b->cap : 4096;
        while (want - b->len < len) {
            if (want > SIZE_MAX / 2) {
                b->failed = 1;
                return -1;
            }
            want *= 2;
        }
        char *p = realloc(b->p, want);
        if (!p) {
            b->failed = 1;
            return -1;
        }
        b->p = p;
        b->cap = want;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return 0;
}

PyObject *pqfpy_buf_take(pqfpy_buf *b) {
    PyObject *r = b->failed ? PyErr_NoMemory()
                            : PyBytes_FromStringAndSize(b->p ? b->p : "", (Py_ssize_t)b->len);
    free(b->p);
    memset(b, 0, sizeof *b);
    return r;
}

PyObject *pqfpy_buf_result(pqf_code rc, pqfpy_buf *b, const pqf_error *err, const char *file) {
    if (rc == PQF_OK) return pqfpy_buf_take(b);
    free(b->p);
    memset(b, 0, sizeof *b);
    return pqfpy_raise(err, file);
}

int pqfpy_slice_flags(const pqf_footer *f, PyObject *kv, uint32_t *flags) {
    int want = kv == Py_None ? (pqf_footer_options(f) & PQF_KEEP_KV) != 0 : PyObject_IsTrue(kv);
    if (want < 0) return -1;
    *flags = want ? PQF_SLICE_KV : 0;
    return 0;
}

/* ------------------------------------------------------------ columns --- */

/* columns as a tuple: None -> NULL (no error), a str -> 1-tuple. */
static PyObject *as_tuple(PyObject *columns) {
    if (columns == Py_None) return NULL;
    if (PyUnicode_Check(columns)) return PyTuple_Pack(1, columns);
    return PySequence_Tuple(columns);
}

int pqfpy_projection_parse(PyObject *columns, pqfpy_projection *p) {
    memset(p, 0, sizeof *p);
    if (!columns || columns == Py_None) return 0;
    PyObject *t = as_tuple(columns);
    if (!t) return -1;
    p->keep = t;
    Py_ssize_t n = PyTuple_GET_SIZE(t);
    p->names = PyMem_Calloc((size_t)n + 1, sizeof *p->names);
    p->indexes = PyMem_Calloc((size_t)n + 1, sizeof *p->indexes);
    if (!p->names || !p->indexes) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyTuple_GET_ITEM(t, i);
        if (PyUnicode_Check(c)) {
            const char *s = PyUnicode_AsUTF8(c);
            if (!s) goto fail;
            p->names[p->num_names++] = s;
        } else if (PyLong_Check(c)) {
            unsigned long v = PyLong_AsUnsignedLong(c);
            if (PyErr_Occurred() || v > UINT32_MAX) {
                PyErr_Clear();
                PyErr_Format(PyExc_ValueError, "column index out of range: %R", c);
                goto fail;
            }
            p->indexes[p->num_indexes++] = (uint32_t)v;
        } else {
            PyErr_Format(PyExc_TypeError, "columns must be str paths or int leaf indexes, not %.80s",
                         Py_TYPE(c)->tp_name);
            goto fail;
        }
    }
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError, "columns is empty (use None for every column)");
        goto fail;
    }
    return 0;
fail:
    pqfpy_projection_free(p);
    return -1;
}

void pqfpy_projection_free(pqfpy_projection *p) {
    PyMem_Free(p->names);
    PyMem_Free(p->indexes);
    Py_XDECREF(p->keep);
    memset(p, 0, sizeof *p);
}

void pqfpy_projection_apply(const pqfpy_projection *p, pqf_options *opt) {
    opt->columns = p->num_names ? p->names : NULL;
    opt->num_columns = p->num_names;
    opt->column_indexes = p->num_indexes ? p->indexes : NULL;
    opt->num_column_indexes = p->num_indexes;
}

void pqfpy_stats_apply(const pqfpy_projection *p, pqf_options *opt) {
    opt->stats_columns = p->num_names ? p->names : NULL;
    opt->num_stats_columns = p->num_names;
    opt->stats_column_indexes = p->num_indexes ? p->indexes : NULL;
    opt->num_stats_column_indexes = p->num_indexes;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Append every projected leaf at or below dotted path name; returns how many. */
static size_t add_named(const pqf_footer *f, const char *name, size_t name_len, uint32_t *out,
                        size_t n) {
    size_t found = 0, ncol = pqf_column_count(f);
    for (size_t c = 0; c < ncol; c++) {
        pqf_column cv;
        const pqf_column *col = &cv;
        if (pqf_column_get(f, c, &cv) != PQF_OK) continue;
        if (!col->projected || col->path.len < name_len) continue;
        if (memcmp(col->path.ptr, name, name_len) != 0) continue;
        if (col->path.len != name_len && col->path.ptr[name_len] != '.') continue;
        out[n + found++] = (uint32_t)c;
    }
    return found;
}

int pqfpy_leaf_indexes(const pqf_footer *f, PyObject *columns, const char *file, uint32_t **out,
                       size_t *n) {
    *out = NULL;
    *n = 0;
    if (!columns || columns == Py_None) return 0;
    PyObject *t = as_tuple(columns);
    if (!t) return -1;
    size_t ncol = pqf_column_count(f), k = 0;
    Py_ssize_t given = PyTuple_GET_SIZE(t);
    /* Each name adds at most every column; cap the buffer at that. */
    size_t cap = (size_t)given * (ncol ? ncol : 1);
    uint32_t *idx = PyMem_Malloc((cap ? cap : 1) * sizeof *idx);
    if (!idx) {
        Py_DECREF(t);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < given; i++) {
        PyObject *c = PyTuple_GET_ITEM(t, i);
        if (PyUnicode_Check(c)) {
            Py_ssize_t len;
            const char *s = PyUnicode_AsUTF8AndSize(c, &len);
            if (!s) goto fail;
            size_t got = add_named(f, s, (size_t)len, idx, k);
            if (!got) {
                pqfpy_no_column(c, file);
                goto fail;
            }
            k += got;
        } else if (PyLong_Check(c)) {
            long v = PyLong_AsLong(c);
            if (v == -1 && PyErr_Occurred()) goto fail;
            pqf_column cv;
            const pqf_column *col = v >= 0 && pqf_column_get(f, (size_t)v, &cv) == PQF_OK ? &cv : NULL;
            if (!col || !col->projected) {
                pqfpy_no_column(c, file);
                goto fail;
            }
            idx[k++] = (uint32_t)v;
        } else {
            PyErr_Format(PyExc_TypeError, "columns must be str paths or int leaf indexes, not %.80s",
                         Py_TYPE(c)->tp_name);
            goto fail;
        }
    }
    Py_DECREF(t);
    if (k == 0) {
        PyMem_Free(idx);
        PyErr_SetString(PyExc_ValueError, "columns is empty (use None for every column)");
        return -1;
    }
    qsort(idx, k, sizeof *idx, cmp_u32);
    size_t w = 0;
    for (size_t r = 0; r < k; r++)
        if (w == 0 || idx[w - 1] != idx[r]) idx[w++] = idx[r];
    *out = idx;
    *n = w;
    return 0;
fail:
    Py_DECREF(t);
    PyMem_Free(idx);
    return -1;
}

/* ------------------------------------------------------- index, paths --- */

int pqfpy_index(PyObject *obj, uint64_t n, const char *what, uint64_t *out) {
    long long v = PyLong_AsLongLong(obj);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (v < 0) v += (long long)n;
    if (v < 0 || (uint64_t)v >= n) {
        PyErr_Format(PyExc_IndexError, "%s index %R out of range (%llu)", what, obj,
                     (unsigned long long)n);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

PyObject *pqfpy_fspath(PyObject *obj) {
    PyObject *b = NULL;
    if (!PyUnicode_FSConverter(obj, &b)) return NULL;
    return b;
}

PyObject *pqfpy_path_str(const char *path) { return PyUnicode_DecodeFSDefault(path); }

PyObject *pqfpy_str(pqf_str s) {
    if (!s.ptr) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s.ptr, (Py_ssize_t)s.len, "surrogateescape");
}

PyObject *pqfpy_column_paths(const pqf_footer *f, int projected_only) {
    PyObject *out = PyList_New(0);
    for (size_t c = 0; out && c < pqf_column_count(f); c++) {
        pqf_column cv;
        const pqf_column *col = &cv;
        if (pqf_column_get(f, c, &cv) != PQF_OK) continue;
        if (projected_only && !col->projected) continue;
        PyObject *s = pqfpy_str(col->path);
        if (!s || PyList_Append(out, s) < 0) Py_CLEAR(out);
        Py_XDECREF(s);
    }
    return out;
}
