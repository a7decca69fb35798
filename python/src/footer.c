/* pqfoot.Footer: one decoded Parquet footer (an immutable pqf_footer). */
#include "pqfpy.h"

#include <structmember.h>

typedef struct {
    PyObject_HEAD
    pqf_footer *f;
    PyObject *path; /* str */
} FooterObject;

static const char *const physical_names[] = {"BOOLEAN", "INT32", "INT64", "INT96",
                                             "FLOAT",   "DOUBLE", "BYTE_ARRAY",
                                             "FIXED_LEN_BYTE_ARRAY"};
static const char *const codec_names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                          "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};

static PyObject *name_or_int(const char *const *names, size_t n, int32_t v) {
    if (v >= 0 && (size_t)v < n) return PyUnicode_FromString(names[v]);
    return PyLong_FromLong(v);
}

static const pqf_footer *get(FooterObject *self) {
    if (!self->f) PyErr_SetString(PyExc_ValueError, "pqfoot.Footer is not initialized");
    return self->f;
}

static int Footer_init(FooterObject *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"path", "columns", "stats", "keep_kv", NULL};
    PyObject *path, *columns = Py_None, *stats = Py_None;
    int keep_kv = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OO$p:Footer", kwlist, &path, &columns, &stats,
                                     &keep_kv))
        return -1;
    if (self->f) {
        PyErr_SetString(PyExc_TypeError, "pqfoot.Footer is immutable; cannot initialize twice");
        return -1;
    }
    PyObject *fs = pqfpy_fspath(path);
    if (!fs) return -1;
    pqfpy_projection proj, sproj;
    if (pqfpy_projection_parse(columns, &proj) < 0) {
        Py_DECREF(fs);
        return -1;
    }
    if (pqfpy_projection_parse(stats, &sproj) < 0) {
        pqfpy_projection_free(&proj);
        Py_DECREF(fs);
        return -1;
    }
    pqf_options opt = {0};
    opt.flags = keep_kv ? PQF_KEEP_KV : 0;
    pqfpy_projection_apply(&proj, &opt);
    pqfpy_stats_apply(&sproj, &opt);
    pqf_error err;
    pqf_footer *f;
    const char *cpath = PyBytes_AS_STRING(fs);
    Py_BEGIN_ALLOW_THREADS
    f = pqf_footer_decode_file(cpath, &opt, &err);
    Py_END_ALLOW_THREADS
    pqfpy_projection_free(&proj);
    pqfpy_projection_free(&sproj);
    if (!f) {
        pqfpy_raise(&err, cpath);
        Py_DECREF(fs);
        return -1;
    }
    PyObject *p = PyUnicode_DecodeFSDefaultAndSize(PyBytes_AS_STRING(fs), PyBytes_GET_SIZE(fs));
    Py_DECREF(fs);
    /* Another thread may have initialized self while this one decoded. */
    if (!p || self->f) {
        if (p) PyErr_SetString(PyExc_TypeError, "pqfoot.Footer is immutable; cannot initialize twice");
        Py_XDECREF(p);
        pqf_footer_free(f);
        return -1;
    }
    self->path = p;
    self->f = f;
    return 0;
}

static void Footer_dealloc(FooterObject *self) {
    pqf_footer_free(self->f);
    Py_XDECREF(self->path);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* ---------------------------------------------------------- getters --- */

#define FOOTER_GETTER(name, expr) \
    PQFPY_GETTER(Footer_get_##name, FooterObject, const pqf_footer *, f, get, expr)

FOOTER_GETTER(num_rows, PyLong_FromLongLong(pqf_footer_num_rows(f)))
FOOTER_GETTER(num_row_groups, PyLong_FromSize_t(pqf_row_group_count(f)))
FOOTER_GETTER(num_columns, PyLong_FromSize_t(pqf_column_count(f)))
FOOTER_GETTER(serialized_size, PyLong_FromUnsignedLongLong(pqf_footer_serialized_size(f)))
FOOTER_GETTER(retained_bytes, PyLong_FromSize_t(pqf_footer_bytes(f)))
FOOTER_GETTER(file_size, PyLong_FromUnsignedLongLong(pqf_footer_file_size(f)))
FOOTER_GETTER(version, PyLong_FromLong(pqf_footer_version(f)))
FOOTER_GETTER(created_by, pqfpy_str(pqf_footer_created_by(f)))
FOOTER_GETTER(schema_hash, PyLong_FromUnsignedLongLong(pqf_footer_schema_hash(f)))

static PyObject *Footer_get_path(FooterObject *self, void *c) {
    (void)c;
    if (!get(self)) return NULL;
    return Py_NewRef(self->path);
}

FOOTER_GETTER(columns, pqfpy_column_paths(f, 0))
FOOTER_GETTER(stats_columns, pqfpy_stats_columns(f))
FOOTER_GETTER(projected_columns, pqfpy_column_paths(f, 1))

static PyObject *Footer_get_key_value_metadata(FooterObject *self, void *c) {
    (void)c;
    const pqf_footer *f = get(self);
    if (!f) return NULL;
    if (!(pqf_footer_options(f) & PQF_KEEP_KV)) Py_RETURN_NONE;
    PyObject *d = PyDict_New();
    for (size_t i = 0; d && i < pqf_kv_count(f); i++) {
        pqf_str k, v;
        if (pqf_kv_get(f, i, &k, &v) != PQF_OK) continue;
        PyObject *ko = PyBytes_FromStringAndSize(k.ptr ? k.ptr : "", (Py_ssize_t)k.len);
        PyObject *vo = v.ptr ? PyBytes_FromStringAndSize(v.ptr, (Py_ssize_t)v.len) : Py_NewRef(Py_None);
        if (!ko || !vo || PyDict_SetItem(d, ko, vo) < 0) Py_CLEAR(d);
        Py_XDECREF(ko);
        Py_XDECREF(vo);
    }
    return d;
}

/* ---------------------------------------------------------- methods --- */

/* Set a dict item from a new reference; returns -1 (and drops d's use) on failure. */
static int put(PyObject *d, const char *key, PyObject *v) {
    if (!v) return -1;
    int rc = PyDict_SetItemString(d, key, v);
    Py_DECREF(v);
    return rc;
}

static PyObject *optional_ll(int present, long long v) {
    if (!present) Py_RETURN_NONE;
    return PyLong_FromLongLong(v);
}

static PyObject *Footer_row_group(FooterObject *self, PyObject *arg) {
    const pqf_footer *f = get(self);
    if (!f) return NULL;
    uint64_t i;
    if (pqfpy_index(arg, pqf_row_group_count(f), "row group", &i) < 0) return NULL;
    pqf_row_group rg;
    pqf_code rc = pqf_row_group_get(f, (size_t)i, &rg);
    if (rc != PQF_OK) return pqfpy_raise_code(rc, NULL);
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    if (put(d, "index", PyLong_FromUnsignedLongLong(i)) < 0 ||
        put(d, "num_rows", PyLong_FromLongLong(rg.num_rows)) < 0 ||
        put(d, "total_byte_size", PyLong_FromLongLong(rg.total_byte_size)) < 0 ||
        put(d, "file_offset", optional_ll(rg.has & PQF_RG_FILE_OFFSET, rg.file_offset)) < 0 ||
        put(d, "total_compressed_size",
            optional_ll(rg.has & PQF_RG_TOTAL_COMPRESSED_SIZE, rg.total_compressed_size)) < 0 ||
        put(d, "ordinal", optional_ll(rg.has & PQF_RG_ORDINAL, rg.ordinal)) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* Leaf index of col (an int or a dotted leaf path). */
static int leaf_of(FooterObject *self, PyObject *col, size_t *out) {
    const pqf_footer *f = self->f;
    if (PyUnicode_Check(col)) {
        const char *s = PyUnicode_AsUTF8(col);
        if (!s) return -1;
        if (pqf_column_find(f, s, out) != PQF_OK) {
            pqfpy_no_column(col, NULL);
            return -1;
        }
        return 0;
    }
    uint64_t c;
    if (pqfpy_index(col, pqf_column_count(f), "column", &c) < 0) return -1;
    *out = (size_t)c;
    return 0;
}

/* The (rg, col) arguments of chunk() and stats(); colo is col as given.
 * NULL with an exception set. */
static const pqf_footer *rg_col_args(FooterObject *self, PyObject *args, const char *fmt, uint64_t *rg,
                                     size_t *col, PyObject **colo) {
    PyObject *rgo;
    if (!PyArg_ParseTuple(args, fmt, &rgo, colo)) return NULL;
    const pqf_footer *f = get(self);
    if (!f) return NULL;
    if (pqfpy_index(rgo, pqf_row_group_count(f), "row group", rg) < 0) return NULL;
    if (leaf_of(self, *colo, col) < 0) return NULL;
    return f;
}

static PyObject *Footer_chunk(FooterObject *self, PyObject *args) {
    PyObject *colo;
    uint64_t rg;
    size_t col;
    const pqf_footer *f = rg_col_args(self, args, "OO:chunk", &rg, &col, &colo);
    if (!f) return NULL;
    pqf_chunk c;
    pqf_code rc = pqf_chunk_get(f, (size_t)rg, col, &c);
    if (rc == PQF_ERR_NO_COLUMN) return pqfpy_no_column(colo, NULL);
    if (rc != PQF_OK) return pqfpy_raise_code(rc, NULL);
    int meta = (c.has & PQF_CH_META) != 0;
    pqf_column lc;
    if (pqf_column_get(f, col, &lc) != PQF_OK) return PyErr_Format(PyExc_IndexError, "column %zu out of range", col);
    PyObject *d = PyDict_New();
    if (!d) return NULL;
    if (put(d, "row_group", PyLong_FromUnsignedLongLong(rg)) < 0 ||
        put(d, "column", PyLong_FromSize_t(col)) < 0 ||
        put(d, "path", pqfpy_str(lc.path)) < 0 ||
        put(d, "start", PyLong_FromLongLong(c.start)) < 0 ||
        put(d, "length", PyLong_FromLongLong(c.length)) < 0 ||
        put(d, "has_metadata", PyBool_FromLong(meta)) < 0 ||
        put(d, "type", meta ? name_or_int(physical_names, 8, c.type) : Py_NewRef(Py_None)) < 0 ||
        put(d, "codec", meta ? name_or_int(codec_names, 8, c.codec) : Py_NewRef(Py_None)) < 0 ||
        put(d, "data_page_offset", optional_ll(meta, c.data_page_offset)) < 0 ||
        put(d, "dictionary_page_offset",
            optional_ll(c.has & PQF_CH_DICT, c.dictionary_page_offset)) < 0 ||
        put(d, "num_values", optional_ll(meta, c.num_values)) < 0 ||
        put(d, "total_uncompressed_size", optional_ll(meta, c.total_uncompressed_size)) < 0 ||
        put(d, "total_compressed_size", optional_ll(meta, c.total_compressed_size)) < 0 ||
        put(d, "file_offset", PyLong_FromLongLong(c.file_offset)) < 0 ||
        put(d, "file_path", pqfpy_str(c.file_path)) < 0 ||
        put(d, "encrypted", PyBool_FromLong((c.has & PQF_CH_CRYPTO) != 0)) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

#ifdef PQFPY_HAVE_SLICE
/* Row group argument of slice(): an int or a sequence of ints. */
static int parse_row_groups(const pqf_footer *f, PyObject *obj, uint32_t **out, size_t *n) {
    PyObject *t = PyLong_Check(obj) ? PyTuple_Pack(1, obj) : PySequence_Tuple(obj);
    if (!t) return -1;
    Py_ssize_t k = PyTuple_GET_SIZE(t);
    uint32_t *rgs = PyMem_Malloc(((size_t)k + 1) * sizeof *rgs);
    if (!rgs) {
        Py_DECREF(t);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < k; i++) {
        uint64_t v;
        if (pqfpy_index(PyTuple_GET_ITEM(t, i), pqf_row_group_count(f), "row group", &v) < 0) {
            PyMem_Free(rgs);
            Py_DECREF(t);
            return -1;
        }
        rgs[i] = (uint32_t)v;
    }
    Py_DECREF(t);
    *out = rgs;
    *n = (size_t)k;
    return 0;
}
#endif

static PyObject *Footer_slice(FooterObject *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"row_groups", "columns", "kv", "stats", NULL};
    PyObject *rgo, *columns = Py_None, *kv = Py_None;
    int stats = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OOp:slice", kwlist, &rgo, &columns, &kv, &stats))
        return NULL;
    const pqf_footer *f = get(self);
    if (!f) return NULL;
#ifdef PQFPY_HAVE_SLICE
    pqf_slice_options so = {0};
    uint32_t *rgs = NULL, *cols = NULL;
    size_t nrg = 0, ncols = 0;
    if (parse_row_groups(f, rgo, &rgs, &nrg) < 0) return NULL;
    const char *file = PyUnicode_AsUTF8(self->path);
    if (pqfpy_leaf_indexes(f, columns, file, &cols, &ncols) < 0 ||
        pqfpy_slice_flags(f, kv, &so.flags) < 0) {
        PyMem_Free(rgs);
        PyMem_Free(cols);
        return NULL;
    }
    if (stats) so.flags |= PQF_SLICE_STATS;
    so.row_groups = rgs;
    so.num_row_groups = nrg;
    so.columns = cols;
    so.num_columns = ncols;
    pqfpy_buf buf = {0};
    pqf_error err;
    pqf_code rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pqf_footer_slice(f, &so, pqfpy_buf_write, &buf, &err);
    Py_END_ALLOW_THREADS
    PyMem_Free(rgs);
    PyMem_Free(cols);
    return pqfpy_buf_result(rc, &buf, &err, file);
#else
    (void)rgo;
    (void)columns;
    (void)kv;
    (void)stats;
    return pqfpy_not_supported("this libpqfoot has no pqf_footer_slice()");
#endif
}

static PyObject *Footer_stats(FooterObject *self, PyObject *args) {
    PyObject *colo;
    uint64_t rg;
    size_t col;
    const pqf_footer *f = rg_col_args(self, args, "OO:stats", &rg, &col, &colo);
    if (!f) return NULL;
    return pqfpy_stats_dict(f, (size_t)rg, col, colo);
}

static PyObject *Footer_prune(FooterObject *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"where", "bloom", NULL};
    PyObject *where;
    int bloom = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|$p:prune", kwlist, &where, &bloom)) return NULL;
    const pqf_footer *f = get(self);
    if (!f) return NULL;
    PyObject *fs = pqfpy_fspath(self->path);
    if (!fs) return NULL;
    PyObject *res = pqfpy_footer_prune(f, PyBytes_AS_STRING(fs), where, bloom);
    Py_DECREF(fs);
    return res;
}

static PyObject *Footer_repr(FooterObject *self) {
    if (!self->f) return PyUnicode_FromString("<pqfoot.Footer (uninitialized)>");
    return PyUnicode_FromFormat("<pqfoot.Footer %R: %lld rows, %zu row groups, %zu columns>",
                                self->path, (long long)pqf_footer_num_rows(self->f),
                                pqf_row_group_count(self->f), pqf_column_count(self->f));
}

static PyMethodDef Footer_methods[] = {
    {"row_group", (PyCFunction)Footer_row_group, METH_O,
     "row_group(i) -> dict\n\nRow group i (negative counts from the end): index, num_rows, "
     "total_byte_size, file_offset, total_compressed_size, ordinal (None when absent)."},
    {"chunk", (PyCFunction)Footer_chunk, METH_VARARGS,
     "chunk(rg, col) -> dict\n\nThe column chunk of leaf col (index or dotted path) in row "
     "group rg: its byte range [start, start + length) and its fields (type, codec, "
     "data_page_offset, dictionary_page_offset, num_values, sizes, file_path...)."},
    {"slice", (PyCFunction)(void (*)(void))Footer_slice, METH_VARARGS | METH_KEYWORDS,
     "slice(row_groups, columns=None, kv=None, stats=False) -> bytes\n\nA metadata-only Parquet file "
     "(PAR1 + FileMetaData + length + PAR1) holding only the given row groups (an int or a "
     "sequence, in that order) and columns (dotted leaf/group paths or leaf indexes; None = "
     "every projected column). kv: copy key_value_metadata (default: when the footer kept it). "
     "stats: also write the statistics (and bloom filter locations) of the chosen columns "
     "whose statistics this footer kept (stats= when opening). "
     "Chunk offsets still point into this footer's file, so "
     "pq.ParquetFile(path, metadata=pq.read_metadata(pa.BufferReader(s))) reads them."},
    {"stats", (PyCFunction)Footer_stats, METH_VARARGS,
     "stats(rg, col) -> dict or None\n\nThe statistics of leaf col (index or dotted path) in "
     "row group rg as the file wrote them: null_count, distinct_count, min_value, max_value "
     "(PLAIN-encoded bytes: little-endian numbers, raw byte arrays), is_min_value_exact, "
     "is_max_value_exact, the deprecated min and max, num_values, bloom_offset, bloom_length "
     "(None when absent). None when the chunk has no statistics; NoColumnError when col's "
     "statistics were not kept (name it in stats= when opening)."},
    {"prune", (PyCFunction)(void (*)(void))Footer_prune, METH_VARARGS | METH_KEYWORDS,
     "prune(where, *, bloom=False) -> list[int]\n\nThe row groups that may hold a row for "
     "which where is true (the `pqfoot prune` grammar, docs/prune.md: COL OP LIT, COL IN "
     "(...), COL IS [NOT] NULL, AND, OR, NOT, parentheses), decided from the kept statistics: "
     "columns without kept statistics never prune, so open with stats= naming the predicate's "
     "columns. bloom: also probe the split-block bloom filters of = and IN columns, read from "
     "the file. A syntax error, an unknown column or a literal of the wrong kind raises "
     "InvalidArgumentError / NoColumnError with offset (position in where). The GIL is "
     "released."},
    {NULL, NULL, 0, NULL},
};

#define GETSET(name, doc) {#name, (getter)Footer_get_##name, NULL, doc, NULL}
static PyGetSetDef Footer_getset[] = {
    GETSET(path, "The file this footer was read from."),
    GETSET(num_rows, "FileMetaData.num_rows."),
    GETSET(num_row_groups, "Number of row groups."),
    GETSET(num_columns, "Number of leaf columns."),
    GETSET(columns, "Dotted paths of every leaf column, in schema order."),
    GETSET(projected_columns, "Dotted paths of the leaf columns whose chunks were kept."),
    GETSET(stats_columns, "Dotted paths of the leaf columns whose statistics were kept (stats=)."),
    GETSET(serialized_size, "Bytes of the serialized FileMetaData."),
    GETSET(retained_bytes, "Bytes this footer holds in memory."),
    GETSET(file_size, "Size of the file when it was read."),
    GETSET(version, "FileMetaData.version."),
    GETSET(created_by, "FileMetaData.created_by, or None."),
    GETSET(schema_hash, "64-bit hash of the schema (equal schemas, equal hashes)."),
    GETSET(key_value_metadata, "dict of bytes -> bytes (None when not kept: keep_kv=False)."),
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject PqfpyFooter_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "pqfoot._pqfoot.Footer",
    .tp_basicsize = sizeof(FooterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Footer(path, columns=None, stats=None, *, keep_kv=True)\n\n"
              "The decoded footer of one Parquet file, held compactly by libpqfoot. columns "
              "projects (dotted leaf or group paths, or leaf indexes): only those chunks are "
              "kept, the schema always whole. stats names the columns (paths or leaf indexes, "
              "independent of columns) whose statistics and bloom filter locations are kept, "
              "for prune(), stats() and slices with statistics. keep_kv keeps "
              "the key-value metadata (pyarrow's ARROW:schema) so that slices carry it. "
              "Immutable and safe to share between threads; decoding releases the GIL.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Footer_init,
    .tp_dealloc = (destructor)Footer_dealloc,
    .tp_repr = (reprfunc)Footer_repr,
    .tp_methods = Footer_methods,
    .tp_getset = Footer_getset,
};
