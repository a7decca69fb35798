/* pqfoot.Dataset: many Parquet files behind one compact index (an immutable
 * pqf_dataset), addressed by global row group. */
#include "pqfpy.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    PyObject_HEAD
    pqf_dataset *ds;
} DatasetObject;

static const pqf_dataset *get(DatasetObject *self) {
    if (!self->ds)
        PyErr_SetString(PyExc_ValueError,
                        "pqfoot.Dataset is not open (use Dataset.open() or Dataset.load())");
    return self->ds;
}

static void Dataset_dealloc(DatasetObject *self) {
    pqf_dataset_free(self->ds);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* A new instance of type (Dataset or a subclass) owning ds. */
static PyObject *wrap(PyTypeObject *type, pqf_dataset *ds) {
    DatasetObject *self = (DatasetObject *)type->tp_alloc(type, 0);
    if (!self) {
        pqf_dataset_free(ds);
        return NULL;
    }
    self->ds = ds;
    return (PyObject *)self;
}

/* on_error: remember the failing file; skip it or abort the open. Runs
 * without the GIL, so plain C only. */
typedef struct open_errors {
    char *first_path;
    int skip;
} open_errors;

static int on_file_error(void *ctx, const char *path, const pqf_error *err) {
    (void)err;
    open_errors *oe = ctx;
    if (!oe->first_path && path) oe->first_path = strdup(path);
    return oe->skip ? 0 : 1;
}

/* paths_or_dir as an array of filesystem paths (bytes objects kept in *keep). */
static int gather_paths(PyObject *arg, PyObject **keep, const char ***paths, size_t *n, int *is_dir) {
    *is_dir = 0;
    if (PyUnicode_Check(arg) || PyBytes_Check(arg) || PyObject_HasAttrString(arg, "__fspath__")) {
        PyObject *b = pqfpy_fspath(arg);
        if (!b) return -1;
        PyObject *os = PyImport_ImportModule("os.path");
        PyObject *isdir = os ? PyObject_CallMethod(os, "isdir", "O", b) : NULL;
        Py_XDECREF(os);
        if (!isdir) {
            Py_DECREF(b);
            return -1;
        }
        *is_dir = PyObject_IsTrue(isdir);
        Py_DECREF(isdir);
        *keep = PyTuple_Pack(1, b);
        Py_DECREF(b);
    } else {
        PyObject *seq = PySequence_Tuple(arg);
        if (!seq) return -1;
        Py_ssize_t k = PyTuple_GET_SIZE(seq);
        *keep = PyTuple_New(k);
        for (Py_ssize_t i = 0; *keep && i < k; i++) {
            PyObject *b = pqfpy_fspath(PyTuple_GET_ITEM(seq, i));
            if (!b) Py_CLEAR(*keep);
            else PyTuple_SET_ITEM(*keep, i, b);
        }
        Py_DECREF(seq);
    }
    if (!*keep) return -1;
    Py_ssize_t k = PyTuple_GET_SIZE(*keep);
    *paths = PyMem_Calloc((size_t)k + 1, sizeof **paths);
    if (!*paths) {
        Py_CLEAR(*keep);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < k; i++) (*paths)[i] = PyBytes_AS_STRING(PyTuple_GET_ITEM(*keep, i));
    *n = (size_t)k;
    return 0;
}

static uint32_t default_threads(size_t nfiles) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1) cpus = 1;
    if (cpus > 64) cpus = 64;
    if (nfiles && (size_t)cpus > nfiles) cpus = (long)nfiles;
    return (uint32_t)(cpus < 1 ? 1 : cpus);
}

static PyObject *Dataset_open(PyObject *cls, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"paths_or_dir", "columns", "stats", "threads", "keep_kv",
                             "skip_errors", NULL};
    PyObject *where, *columns = Py_None, *stats = Py_None;
    unsigned int threads = 0;
    int keep_kv = 1, skip = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OOI$pp:open", kwlist, &where, &columns, &stats,
                                     &threads, &keep_kv, &skip))
        return NULL;
    PyObject *keep = NULL;
    const char **paths = NULL;
    size_t npaths = 0;
    int is_dir = 0;
    if (gather_paths(where, &keep, &paths, &npaths, &is_dir) < 0) return NULL;
    pqfpy_projection proj, sproj;
    if (pqfpy_projection_parse(columns, &proj) < 0) {
        PyMem_Free(paths);
        Py_DECREF(keep);
        return NULL;
    }
    if (pqfpy_projection_parse(stats, &sproj) < 0) {
        pqfpy_projection_free(&proj);
        PyMem_Free(paths);
        Py_DECREF(keep);
        return NULL;
    }
    open_errors oe = {NULL, skip};
    pqf_dataset_options opt = {0};
    opt.footer.flags = keep_kv ? PQF_KEEP_KV : 0;
    pqfpy_projection_apply(&proj, &opt.footer);
    pqfpy_stats_apply(&sproj, &opt.footer);
    opt.threads = threads ? threads : default_threads(is_dir ? 0 : npaths);
    opt.on_error = on_file_error;
    opt.on_error_ctx = &oe;
    pqf_error err;
    pqf_dataset *ds;
    Py_BEGIN_ALLOW_THREADS
    ds = is_dir ? pqf_dataset_open_dir(paths[0], &opt, &err)
                : pqf_dataset_open(paths, npaths, &opt, &err);
    Py_END_ALLOW_THREADS
    pqfpy_projection_free(&proj);
    pqfpy_projection_free(&sproj);
    PyObject *res = NULL;
    if (!ds) pqfpy_raise(&err, oe.first_path ? oe.first_path : is_dir ? paths[0] : NULL);
    else res = wrap((PyTypeObject *)cls, ds);
    free(oe.first_path);
    PyMem_Free(paths);
    Py_DECREF(keep);
    return res;
}

static PyObject *Dataset_load(PyObject *cls, PyObject *arg) {
    PyObject *b = pqfpy_fspath(arg);
    if (!b) return NULL;
    const char *path = PyBytes_AS_STRING(b);
    pqf_error err;
    pqf_dataset *ds;
    Py_BEGIN_ALLOW_THREADS
    ds = pqf_dataset_load(path, NULL, &err);
    Py_END_ALLOW_THREADS
    PyObject *res = ds ? wrap((PyTypeObject *)cls, ds) : pqfpy_raise(&err, path);
    Py_DECREF(b);
    return res;
}

static PyObject *Dataset_save(DatasetObject *self, PyObject *arg) {
    const pqf_dataset *ds = get(self);
    if (!ds) return NULL;
    PyObject *b = pqfpy_fspath(arg);
    if (!b) return NULL;
    const char *path = PyBytes_AS_STRING(b);
    pqf_error err;
    pqf_code rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pqf_dataset_save(ds, path, &err);
    Py_END_ALLOW_THREADS
    if (rc != PQF_OK) pqfpy_raise(&err, path);
    Py_DECREF(b);
    if (rc != PQF_OK) return NULL;
    Py_RETURN_NONE;
}

static Py_ssize_t Dataset_len(DatasetObject *self) {
    const pqf_dataset *ds = get(self);
    if (!ds) return -1;
    return (Py_ssize_t)pqf_dataset_row_group_count(ds);
}

/* Py_BuildValue's O& converter for a C path. */
static PyObject *path_obj(void *path) { return pqfpy_path_str(path); }

/* Global row group i (a Python index) -> (global, file, row group in file);
 * -1 with an exception set. */
static int locate(const pqf_dataset *ds, PyObject *i, uint64_t *g, size_t *file, size_t *rg) {
    if (pqfpy_index(i, pqf_dataset_row_group_count(ds), "row group", g) < 0) return -1;
    pqf_code rc = pqf_dataset_locate_row_group(ds, *g, file, rg);
    if (rc != PQF_OK) {
        pqfpy_raise_code(rc, NULL);
        return -1;
    }
    return 0;
}

/* File `file` of ds into *out (a file that locate() found: always in range). */
static int file_get(const pqf_dataset *ds, size_t file, pqf_dataset_file *out) {
    pqf_code rc = pqf_dataset_file_get(ds, file, out);
    if (rc != PQF_OK) {
        pqfpy_raise_code(rc, NULL);
        return -1;
    }
    return 0;
}

static PyObject *Dataset_locate(DatasetObject *self, PyObject *arg) {
    const pqf_dataset *ds = get(self);
    uint64_t g;
    size_t file, rg;
    pqf_dataset_file df;
    if (!ds || locate(ds, arg, &g, &file, &rg) < 0 || file_get(ds, file, &df) < 0) return NULL;
    return Py_BuildValue("(O&n)", path_obj, (void *)df.path, (Py_ssize_t)rg);
}

static PyObject *Dataset_locate_row(DatasetObject *self, PyObject *arg) {
    const pqf_dataset *ds = get(self);
    if (!ds) return NULL;
    uint64_t row, in_group;
    if (pqfpy_index(arg, pqf_dataset_row_count(ds), "row", &row) < 0) return NULL;
    size_t file, rg;
    pqf_code rc = pqf_dataset_locate_row(ds, row, &file, &rg, &in_group);
    if (rc != PQF_OK) return pqfpy_raise_code(rc, NULL);
    pqf_dataset_file df;
    if (file_get(ds, file, &df) < 0) return NULL;
    return Py_BuildValue("(O&nK)", path_obj, (void *)df.path, (Py_ssize_t)rg, (unsigned long long)in_group);
}

static PyObject *Dataset_slice(DatasetObject *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"i", "columns", "kv", "stats", NULL};
    PyObject *io, *columns = Py_None, *kv = Py_None;
    int stats = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OOp:slice", kwlist, &io, &columns, &kv, &stats))
        return NULL;
    const pqf_dataset *ds = get(self);
    if (!ds) return NULL;
#ifdef PQFPY_HAVE_SLICE
    uint64_t g;
    size_t file, rg;
    pqf_dataset_file df;
    if (locate(ds, io, &g, &file, &rg) < 0 || file_get(ds, file, &df) < 0) return NULL;
    pqf_error err;
    const pqf_footer *f = df.footer;
    const char *path = df.path;
    uint32_t *cols = NULL;
    size_t ncols = 0;
    if (pqfpy_leaf_indexes(f, columns, path, &cols, &ncols) < 0) return NULL;
    uint32_t flags;
    if (pqfpy_slice_flags(f, kv, &flags) < 0) {
        PyMem_Free(cols);
        return NULL;
    }
    if (stats) flags |= PQF_SLICE_STATS;
    pqfpy_buf buf = {0};
    pqf_code rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pqf_dataset_slice(ds, g, cols, ncols, flags, pqfpy_buf_write, &buf, &err);
    Py_END_ALLOW_THREADS
    PyMem_Free(cols);
    return pqfpy_buf_result(rc, &buf, &err, path);
#else
    (void)io;
    (void)columns;
    (void)kv;
    (void)stats;
    return pqfpy_not_supported("this libpqfoot has no pqf_dataset_slice()");
#endif
}

static PyObject *Dataset_prune(DatasetObject *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"where", "bloom", NULL};
    PyObject *where;
    int bloom = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|$p:prune", kwlist, &where, &bloom)) return NULL;
    const pqf_dataset *ds = get(self);
    if (!ds) return NULL;
    return pqfpy_dataset_prune(ds, where, bloom);
}

static PyObject *Dataset_stats(DatasetObject *self, PyObject *args) {
    PyObject *io, *colo;
    if (!PyArg_ParseTuple(args, "OO:stats", &io, &colo)) return NULL;
    const pqf_dataset *ds = get(self);
    uint64_t g;
    size_t file, rg;
    pqf_dataset_file df;
    if (!ds || locate(ds, io, &g, &file, &rg) < 0 || file_get(ds, file, &df) < 0) return NULL;
    const pqf_footer *f = df.footer;
    size_t col = 0;
    int found;
    if (PyUnicode_Check(colo)) {
        const char *name = PyUnicode_AsUTF8(colo);
        if (!name) return NULL;
        found = pqf_column_find(f, name, &col) == PQF_OK;
    } else {
        long c = PyLong_AsLong(colo);
        if (c == -1 && PyErr_Occurred()) return NULL;
        found = c >= 0 && (size_t)c < pqf_column_count(f);
        col = found ? (size_t)c : 0;
    }
    if (!found) return pqfpy_no_column(colo, df.path);
    return pqfpy_stats_dict(f, rg, col, colo);
}

/* A list of n items made by item(ds, i). */
static PyObject *build_list(const pqf_dataset *ds, size_t n,
                            PyObject *(*item)(const pqf_dataset *, size_t)) {
    PyObject *out = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; out && i < n; i++) {
        PyObject *v = item(ds, i);
        if (!v) Py_CLEAR(out);
        else PyList_SET_ITEM(out, (Py_ssize_t)i, v);
    }
    return out;
}

static PyObject *file_item(const pqf_dataset *ds, size_t i) {
    pqf_dataset_file df;
    return file_get(ds, i, &df) < 0 ? NULL : pqfpy_path_str(df.path);
}

static PyObject *failure_item(const pqf_dataset *ds, size_t i) {
    pqf_dataset_failure fl;
    pqf_code rc = pqf_dataset_failure_get(ds, i, &fl);
    if (rc != PQF_OK) return pqfpy_raise_code(rc, NULL);
    PyObject *p = pqfpy_path_str(fl.path ? fl.path : "");
    if (!p) return NULL;
    return Py_BuildValue("(Nss)", p, pqf_code_name(fl.error.code), fl.error.msg ? fl.error.msg : "");
}

static PyObject *Dataset_get_files(DatasetObject *self, void *c) {
    (void)c;
    const pqf_dataset *ds = get(self);
    return ds ? build_list(ds, pqf_dataset_file_count(ds), file_item) : NULL;
}

static PyObject *Dataset_get_failures(DatasetObject *self, void *c) {
    (void)c;
    const pqf_dataset *ds = get(self);
    return ds ? build_list(ds, pqf_dataset_failure_count(ds), failure_item) : NULL;
}

/* Projected leaf paths of the first file, the column names a read returns. */
static PyObject *Dataset_get_columns(DatasetObject *self, void *c) {
    (void)c;
    const pqf_dataset *ds = get(self);
    if (!ds) return NULL;
    pqf_dataset_file first;
    if (pqf_dataset_file_get(ds, 0, &first) != PQF_OK) return PyList_New(0); /* no file */
    return pqfpy_column_paths(first.footer, 1);
}

/* Columns whose statistics the first file kept (every file keeps the same). */
static PyObject *Dataset_get_stats_columns(DatasetObject *self, void *c) {
    (void)c;
    const pqf_dataset *ds = get(self);
    if (!ds) return NULL;
    pqf_dataset_file first;
    if (pqf_dataset_file_get(ds, 0, &first) != PQF_OK) return PyList_New(0); /* no file */
    return pqfpy_stats_columns(first.footer);
}

#define DS_GETTER(name, expr) \
    PQFPY_GETTER(Dataset_get_##name, DatasetObject, const pqf_dataset *, ds, get, expr)
DS_GETTER(num_rows, PyLong_FromUnsignedLongLong(pqf_dataset_row_count(ds)))
DS_GETTER(num_row_groups, PyLong_FromUnsignedLongLong(pqf_dataset_row_group_count(ds)))
DS_GETTER(num_files, PyLong_FromSize_t(pqf_dataset_file_count(ds)))
DS_GETTER(num_schemas, PyLong_FromSize_t(pqf_dataset_schema_count(ds)))
DS_GETTER(retained_bytes, PyLong_FromSize_t(pqf_dataset_bytes(ds)))

static PyObject *Dataset_repr(DatasetObject *self) {
    if (!self->ds) return PyUnicode_FromString("<pqfoot.Dataset (not open)>");
    return PyUnicode_FromFormat("<pqfoot.Dataset: %zu files, %llu row groups, %llu rows>",
                                pqf_dataset_file_count(self->ds),
                                (unsigned long long)pqf_dataset_row_group_count(self->ds),
                                (unsigned long long)pqf_dataset_row_count(self->ds));
}

static PyMethodDef Dataset_methods[] = {
    {"open", (PyCFunction)(void (*)(void))Dataset_open, METH_CLASS | METH_VARARGS | METH_KEYWORDS,
     "open(paths_or_dir, columns=None, stats=None, threads=0, *, keep_kv=True, "
     "skip_errors=False) -> Dataset\n\nDecode the footer of every file: a directory (every "
     "*.parquet below it, sorted), one path or a sequence of paths (kept as given). columns "
     "projects as in Footer; stats names the columns whose statistics are kept, for prune() "
     "(every file must have them). threads: decoding threads, "
     "0 = one per CPU. skip_errors: skip undecodable files (listed in .failures) instead of "
     "raising. The GIL is released while decoding."},
    {"load", (PyCFunction)Dataset_load, METH_CLASS | METH_O,
     "load(path) -> Dataset\n\nLoad a .pqfi index written by save() (or `pqfoot index "
     "build`); every checksum and bound is checked."},
    {"save", (PyCFunction)Dataset_save, METH_O,
     "save(path)\n\nWrite the .pqfi index atomically. Paths below the index's directory are "
     "stored relative to it."},
    {"locate", (PyCFunction)Dataset_locate, METH_O,
     "locate(i) -> (path, row_group_in_file)\n\nThe file and local row group of global row "
     "group i."},
    {"locate_row", (PyCFunction)Dataset_locate_row, METH_O,
     "locate_row(row) -> (path, row_group_in_file, row_in_group)\n\nWhere global row `row` "
     "lives."},
    {"slice", (PyCFunction)(void (*)(void))Dataset_slice, METH_VARARGS | METH_KEYWORDS,
     "slice(i, columns=None, kv=None, stats=False) -> bytes\n\nA metadata-only Parquet file "
     "for global row group i alone (see Footer.slice; stats: with the kept statistics)."},
    {"prune", (PyCFunction)(void (*)(void))Dataset_prune, METH_VARARGS | METH_KEYWORDS,
     "prune(where, *, bloom=False) -> list[int]\n\nGlobal row groups that may hold a row for "
     "which where is true (see Footer.prune), from the statistics the dataset kept (stats= "
     "in open(); an index saved from such a dataset keeps them, so a loaded or unpickled "
     "Dataset prunes without touching the files). bloom: also probe the bloom filters, read "
     "from the files. Errors raise pqfoot.Error subclasses with code and offset (position in "
     "where). The GIL is released."},
    {"stats", (PyCFunction)Dataset_stats, METH_VARARGS,
     "stats(i, col) -> dict or None\n\nKept statistics of leaf col (index or dotted path) in "
     "global row group i (see Footer.stats)."},
    {NULL, NULL, 0, NULL},
};

#define GETSET(name, doc) {#name, (getter)Dataset_get_##name, NULL, doc, NULL}
static PyGetSetDef Dataset_getset[] = {
    GETSET(num_rows, "Rows in every file."),
    GETSET(num_row_groups, "Row groups in every file (= len(ds))."),
    GETSET(num_files, "Number of files."),
    GETSET(num_schemas, "Distinct schemas among the files."),
    GETSET(retained_bytes, "Bytes the index holds in memory."),
    GETSET(files, "Paths of the files, in dataset order."),
    GETSET(failures, "Skipped files as (path, code_name, message) (skip_errors=True)."),
    GETSET(columns, "Projected leaf column paths of the first file."),
    GETSET(stats_columns, "Leaf column paths whose statistics were kept (stats=), of the first file."),
    {NULL, NULL, NULL, NULL, NULL},
};

static PySequenceMethods Dataset_as_sequence = {
    .sq_length = (lenfunc)Dataset_len,
};

PyTypeObject PqfpyDataset_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "pqfoot._pqfoot.Dataset",
    .tp_basicsize = sizeof(DatasetObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A set of Parquet files behind one compact index, addressed by global row group "
              "(len(ds) row groups). Create with Dataset.open() or Dataset.load(). Immutable "
              "and safe to share between threads.",
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)Dataset_dealloc,
    .tp_repr = (reprfunc)Dataset_repr,
    .tp_as_sequence = &Dataset_as_sequence,
    .tp_methods = Dataset_methods,
    .tp_getset = Dataset_getset,
};
