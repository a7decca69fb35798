/* The pqfoot._pqfoot module: Footer, Dataset, the error classes and a few
 * library facts. The public package (pqfoot/__init__.py) builds on it. */
#include "pqfpy.h"

static PyObject *mod_decode_path(PyObject *m, PyObject *unused) {
    (void)m;
    (void)unused;
    return PyUnicode_FromString(pqf_decode_path());
}

static PyMethodDef module_methods[] = {
    {"decode_path", mod_decode_path, METH_NOARGS,
     "decode_path() -> str\n\nThe decoding path libpqfoot takes here: 'avx512' or 'portable'."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "pqfoot._pqfoot",
    "C extension over libpqfoot: compact Parquet footers and datasets.", -1, module_methods,
    NULL, NULL, NULL, NULL,
};

/* The import hook CPython looks up by name. */
PyMODINIT_FUNC PyInit__pqfoot(void);
PyMODINIT_FUNC PyInit__pqfoot(void) {
    if (PyType_Ready(&PqfpyFooter_Type) < 0 || PyType_Ready(&PqfpyDataset_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (!m) return NULL;
    if (pqfpy_errors_init(m) < 0 ||
        PyModule_AddObjectRef(m, "Footer", (PyObject *)&PqfpyFooter_Type) < 0 ||
        PyModule_AddObjectRef(m, "Dataset", (PyObject *)&PqfpyDataset_Type) < 0 ||
        PyModule_AddStringConstant(m, "library_version", pqf_version()) < 0 ||
#ifdef PQFPY_HAVE_SLICE
        PyModule_AddIntConstant(m, "HAVE_SLICE", 1) < 0
#else
        PyModule_AddIntConstant(m, "HAVE_SLICE", 0) < 0
#endif
    ) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
