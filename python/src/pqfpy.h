/*
 * Shared declarations of the pqfoot CPython extension (module pqfoot._pqfoot).
 * The extension uses only the public C API (pqfoot.h). Footer and Dataset
 * objects wrap immutable library objects, so any thread may use them; every
 * decode, open, save and slice runs with the GIL released.
 */
#ifndef PQFPY_H
#define PQFPY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#include "pqfoot.h"
#include "pqfoot_dataset.h"

/* ------------------------------------------------------------ errors --- */

/* Create the exception hierarchy and add it to module m. 0 on success. */
int pqfpy_errors_init(PyObject *m);
/* Raise the pqfoot.Error subclass for err->code, carrying code, offset, the
 * field path and file (NULL when no file is involved). Returns NULL. */
PyObject *pqfpy_raise(const pqf_error *err, const char *file);
/* The same for a bare code from an accessor (message from pqf_strerror). */
PyObject *pqfpy_raise_code(pqf_code code, const char *file);
/* The same for an error about a predicate's text: offset and path are its
 * position and the text near it (pqf_pred_parse/eval). Returns NULL. */
PyObject *pqfpy_raise_predicate(const pqf_error *err);
/* Raise pqfoot.NoColumnError: which's statistics were not kept. Returns NULL. */
PyObject *pqfpy_no_stats(PyObject *which);
/* Raise pqfoot.NotSupportedError with msg. Returns NULL. */
PyObject *pqfpy_not_supported(const char *msg);
/* Raise pqfoot.NoColumnError for a column name or index. Returns NULL. */
PyObject *pqfpy_no_column(PyObject *which, const char *file);

/* -------------------------------------------------------- byte sink --- */

/* A growable byte buffer that is a pqf_write_fn sink (plain malloc, usable
 * without the GIL). */
typedef struct pqfpy_buf {
    char *p;
    size_t len, cap;
    int failed;
} pqfpy_buf;

int pqfpy_buf_write(void *ctx, const void *data, size_t len);
/* The buffer as a bytes object (NULL with MemoryError if it failed); frees it. */
PyObject *pqfpy_buf_take(pqfpy_buf *b);

/* The bytes a slice call wrote (rc PQF_OK), or its error raised for file;
 * frees b either way. */
PyObject *pqfpy_buf_result(pqf_code rc, pqfpy_buf *b, const pqf_error *err, const char *file);
/* PQF_SLICE_KV when a slice of f should carry the key-value metadata: kv None
 * means "when f kept it". -1 with an exception set. */
int pqfpy_slice_flags(const pqf_footer *f, PyObject *kv, uint32_t *flags);

/* ----------------------------------------------------------- columns --- */

/* A projection given from Python (names and/or leaf indexes), copied so it
 * stays valid while the GIL is released. */
typedef struct pqfpy_projection {
    PyObject *keep;             /* tuple holding the name strings alive */
    const char **names;
    size_t num_names;
    uint32_t *indexes;
    size_t num_indexes;
} pqfpy_projection;

/* Parse columns (None, a str or a sequence of str/int) into p. 0 on success,
 * -1 with an exception set. */
int pqfpy_projection_parse(PyObject *columns, pqfpy_projection *p);
void pqfpy_projection_free(pqfpy_projection *p);
/* Put p into the decode options. */
void pqfpy_projection_apply(const pqfpy_projection *p, pqf_options *opt);

/* Leaf indexes of f named by columns (None = none, meaning every projected
 * column): a name is a leaf or group path, an int a leaf index. Sorted,
 * without duplicates; every leaf must be projected in f. *out is PyMem
 * memory. 0 on success, -1 with an exception set. */
int pqfpy_leaf_indexes(const pqf_footer *f, PyObject *columns, const char *file, uint32_t **out,
                       size_t *n);

/* Put p into the decode options as the statistics columns. */
void pqfpy_stats_apply(const pqfpy_projection *p, pqf_options *opt);

/* ------------------------------------------------ pruning, statistics --- */

/* Row groups of f that may match the predicate text where (a str; grammar of
 * docs/prune.md), as a list; bloom: also probe the bloom filters of the file
 * at path. Errors raise pqfoot.Error subclasses. GIL released while working. */
PyObject *pqfpy_footer_prune(const pqf_footer *f, const char *path, PyObject *where, int bloom);
/* The same over a dataset (global row group indexes). */
PyObject *pqfpy_dataset_prune(const pqf_dataset *ds, PyObject *where, int bloom);
/* Kept statistics of (rg, col) as a dict, None when the chunk has none;
 * NoColumnError (naming colo) when col's statistics were not kept. */
PyObject *pqfpy_stats_dict(const pqf_footer *f, size_t rg, size_t col, PyObject *colo);
/* Dotted paths of the columns whose statistics f kept. */
PyObject *pqfpy_stats_columns(const pqf_footer *f);

/* Python index (negative counts from the end) into [0, n); -1 with IndexError. */
int pqfpy_index(PyObject *obj, uint64_t n, const char *what, uint64_t *out);

/* Path argument (str or os.PathLike) as a new bytes object (filesystem
 * encoding), or NULL with an exception set. */
PyObject *pqfpy_fspath(PyObject *obj);
/* A C path as a str (filesystem decoding). */
PyObject *pqfpy_path_str(const char *path);
/* A footer string as a str (None when absent). */
PyObject *pqfpy_str(pqf_str s);
/* Dotted paths of f's leaves; projected_only keeps those whose chunks are kept. */
PyObject *pqfpy_column_paths(const pqf_footer *f, int projected_only);

/* A getset getter: fetch(self) yields the wrapped C object as var (NULL with
 * an exception set when the object is not initialized), expr the value. */
#define PQFPY_GETTER(fn, obj_type, var_type, var, fetch, expr) \
    static PyObject *fn(obj_type *self, void *closure) {       \
        (void)closure;                                          \
        var_type var = fetch(self);                             \
        if (!var) return NULL;                                  \
        return expr;                                            \
    }

/* -------------------------------------------------------------- types --- */

extern PyTypeObject PqfpyFooter_Type;
extern PyTypeObject PqfpyDataset_Type;

#endif
