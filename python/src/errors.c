/* pqfoot.Error and its subclasses: one family per group of pqf_code values,
 * each instance carrying the code, the footer offset, the field path and the
 * file. */
#include "pqfpy.h"

#include <stdio.h>

/* The classes are created once at import and never change afterwards. */
static PyObject *error_base;
static PyObject *by_code[PQF_ERR__COUNT];
static PyObject *not_supported;

typedef struct family {
    const char *name;    /* attribute of the module */
    int parent;          /* index into families, -1 = pqfoot.Error */
    PyObject *(*builtin)(void); /* second base (OSError, ValueError, ...) or NULL */
    const char *doc;
} family;

static PyObject *os_error(void) { return PyExc_OSError; }
static PyObject *value_error(void) { return PyExc_ValueError; }
static PyObject *memory_error(void) { return PyExc_MemoryError; }
static PyObject *lookup_error(void) { return PyExc_LookupError; }
static PyObject *not_implemented(void) { return PyExc_NotImplementedError; }

enum { F_READ, F_NOT_PARQUET, F_CORRUPT, F_TRUNCATED, F_MALFORMED, F_DEPTH, F_MISSING, F_LIMIT,
       F_ENCRYPTED, F_NOMEM, F_INVALID, F_NO_COLUMN, F_NOT_SUPPORTED, F_COUNT };

static const family families[F_COUNT] = {
    [F_READ] = {"ReadError", -1, os_error, "Reading the file (or a callback) failed."},
    [F_NOT_PARQUET] = {"NotParquetError", -1, value_error,
                       "No PAR1 magic, or a footer length that cannot be."},
    [F_CORRUPT] = {"CorruptFooterError", -1, value_error,
                   "The footer bytes are damaged: base of Truncated, Malformed, Depth and "
                   "MissingField errors."},
    [F_TRUNCATED] = {"TruncatedError", F_CORRUPT, NULL, "The bytes end before the footer does."},
    [F_MALFORMED] = {"MalformedError", F_CORRUPT, NULL, "Bytes that are not a valid footer."},
    [F_DEPTH] = {"DepthError", F_CORRUPT, NULL, "Nesting deeper than the allowed depth."},
    [F_MISSING] = {"MissingFieldError", F_CORRUPT, NULL, "A required Thrift field is absent."},
    [F_LIMIT] = {"LimitError", -1, NULL, "A count, a length or the memory cap is exceeded."},
    [F_ENCRYPTED] = {"EncryptedError", -1, NULL, "The footer is encrypted (PARE magic)."},
    [F_NOMEM] = {"OutOfMemoryError", -1, memory_error, "An allocation failed."},
    [F_INVALID] = {"InvalidArgumentError", -1, value_error, "A bad argument."},
    [F_NO_COLUMN] = {"NoColumnError", -1, lookup_error,
                     "A column is not in the schema, or not projected."},
    [F_NOT_SUPPORTED] = {"NotSupportedError", -1, not_implemented,
                         "A feature this build of the library does not have yet."},
};

static const int family_of_code[PQF_ERR__COUNT] = {
    [PQF_OK] = F_INVALID, /* never raised */
    [PQF_ERR_IO] = F_READ,
    [PQF_ERR_NOT_PARQUET] = F_NOT_PARQUET,
    [PQF_ERR_TRUNCATED] = F_TRUNCATED,
    [PQF_ERR_MALFORMED] = F_MALFORMED,
    [PQF_ERR_DEPTH] = F_DEPTH,
    [PQF_ERR_LIMIT] = F_LIMIT,
    [PQF_ERR_MISSING_REQUIRED] = F_MISSING,
    [PQF_ERR_ENCRYPTED] = F_ENCRYPTED,
    [PQF_ERR_NOMEM] = F_NOMEM,
    [PQF_ERR_INVALID_ARG] = F_INVALID,
    [PQF_ERR_NO_COLUMN] = F_NO_COLUMN,
};

int pqfpy_errors_init(PyObject *m) {
    error_base = PyErr_NewExceptionWithDoc(
        "pqfoot.Error",
        "Base of every pqfoot error. Attributes: code (int, a pqf_code), code_name "
        "(e.g. 'PQF_ERR_TRUNCATED'), offset (byte offset in the footer where decoding "
        "stopped), path (Thrift field path or None), file (the file involved or None), "
        "needed (tail bytes needed, for truncated tails; else 0).",
        PyExc_Exception, NULL);
    if (!error_base || PyModule_AddObjectRef(m, "Error", error_base) < 0) return -1;
    PyObject *made[F_COUNT] = {0};
    for (int i = 0; i < F_COUNT; i++) {
        const family *fa = &families[i];
        PyObject *parent = fa->parent < 0 ? error_base : made[fa->parent];
        PyObject *bases = fa->builtin ? PyTuple_Pack(2, parent, fa->builtin()) : PyTuple_Pack(1, parent);
        if (!bases) return -1;
        char qual[64];
        snprintf(qual, sizeof qual, "pqfoot.%s", fa->name);
        made[i] = PyErr_NewExceptionWithDoc(qual, fa->doc, bases, NULL);
        Py_DECREF(bases);
        if (!made[i] || PyModule_AddObjectRef(m, fa->name, made[i]) < 0) return -1;
    }
    for (int c = 0; c < PQF_ERR__COUNT; c++) by_code[c] = made[family_of_code[c]];
    not_supported = made[F_NOT_SUPPORTED];
    return 0;
}

/* Build an instance of cls with msg and set the common attributes. */
static PyObject *raise_with(PyObject *cls, const char *msg, long code, const char *code_name,
                            uint64_t offset, const char *path, uint64_t needed, PyObject *file) {
    PyObject *exc = PyObject_CallFunction(cls, "s", msg);
    if (!exc) return NULL;
    PyObject *vals[6] = {
        PyLong_FromLong(code),
        code_name ? PyUnicode_FromString(code_name) : Py_NewRef(Py_None),
        PyLong_FromUnsignedLongLong(offset),
        path && *path ? PyUnicode_DecodeUTF8(path, (Py_ssize_t)strlen(path), "replace")
                      : Py_NewRef(Py_None),
        PyLong_FromUnsignedLongLong(needed),
        Py_NewRef(file ? file : Py_None),
    };
    static const char *const names[6] = {"code", "code_name", "offset", "path", "needed", "file"};
    int bad = 0;
    for (int i = 0; i < 6; i++) {
        if (!vals[i] || PyObject_SetAttrString(exc, names[i], vals[i]) < 0) bad = 1;
        Py_XDECREF(vals[i]);
    }
    if (!bad) PyErr_SetObject(cls, exc);
    Py_DECREF(exc);
    return NULL;
}

/* err raised for file; where names what err->offset and err->path are in. */
static PyObject *raise_in(const pqf_error *err, const char *file, const char *where, const char *at) {
    pqf_code code = err->code > PQF_OK && err->code < PQF_ERR__COUNT ? err->code : PQF_ERR_MALFORMED;
    PyObject *f = file ? pqfpy_path_str(file) : NULL;
    if (file && !f) return NULL;
    char msg[512];
    const char *what = err->msg ? err->msg : pqf_strerror(code);
    int n = snprintf(msg, sizeof msg, "%s%s%s", file ? file : "", file ? ": " : "", what);
    if (n >= 0 && (size_t)n < sizeof msg && (err->offset || err->path[0]))
        snprintf(msg + n, sizeof msg - (size_t)n, " (byte %llu of the %s%s%s)",
                 (unsigned long long)err->offset, where, err->path[0] ? at : "", err->path);
    raise_with(by_code[code], msg, (long)code, pqf_code_name(code), err->offset, err->path,
               err->needed, f);
    Py_XDECREF(f);
    return NULL;
}

PyObject *pqfpy_raise(const pqf_error *err, const char *file) {
    return raise_in(err, file, "footer", ", at ");
}

PyObject *pqfpy_raise_predicate(const pqf_error *err) {
    return raise_in(err, NULL, "predicate", ": ");
}

PyObject *pqfpy_raise_code(pqf_code code, const char *file) {
    pqf_error err = {.code = code, .msg = pqf_strerror(code)};
    return pqfpy_raise(&err, file);
}

PyObject *pqfpy_not_supported(const char *msg) {
    return raise_with(not_supported, msg, -1, NULL, 0, NULL, 0, NULL);
}

PyObject *pqfpy_no_column(PyObject *which, const char *file) {
    PyObject *r = PyObject_Repr(which);
    if (!r) return NULL;
    PyObject *f = file ? pqfpy_path_str(file) : NULL;
    char msg[512];
    snprintf(msg, sizeof msg, "%s%sno projected column %s", file ? file : "", file ? ": " : "",
             PyUnicode_AsUTF8(r) ? PyUnicode_AsUTF8(r) : "?");
    Py_DECREF(r);
    raise_with(by_code[PQF_ERR_NO_COLUMN], msg, PQF_ERR_NO_COLUMN,
               pqf_code_name(PQF_ERR_NO_COLUMN), 0, NULL, 0, f);
    Py_XDECREF(f);
    return NULL;
}

PyObject *pqfpy_no_stats(PyObject *which) {
    PyObject *r = PyObject_Repr(which);
    if (!r) return NULL;
    char msg[512];
    snprintf(msg, sizeof msg, "statistics of column %s were not kept (name it in stats= when opening)",
             PyUnicode_AsUTF8(r) ? PyUnicode_AsUTF8(r) : "?");
    Py_DECREF(r);
    return raise_with(by_code[PQF_ERR_NO_COLUMN], msg, PQF_ERR_NO_COLUMN, pqf_code_name(PQF_ERR_NO_COLUMN), 0,
                      NULL, 0, NULL);
}
