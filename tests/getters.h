/* Shorthands for the Check suites: the getters that return a pqf_code and
 * fill an out parameter, called with arguments a test knows to be valid.
 * Each asserts the call succeeded and returns the value, so an assertion can
 * compare it in one expression. Tests of the codes themselves (out of range,
 * NULL arguments) call the API directly. */
#ifndef PQF_TEST_GETTERS_H
#define PQF_TEST_GETTERS_H

#include <check.h>

#include "pqfoot_dataset.h"

/* Leaf index of a dotted path, or -1 when no leaf has it (PQF_ERR_NO_COLUMN). */
static inline long pqf_test_find(const pqf_footer *f, const char *path) {
    size_t col = 0;
    pqf_code rc = pqf_column_find(f, path, &col);
    ck_assert_msg(rc == PQF_OK || rc == PQF_ERR_NO_COLUMN, "pqf_column_find: %s", pqf_code_name(rc));
    return rc == PQF_OK ? (long)col : -1;
}

/* Depth of leaf col's path; up to max parts written. */
static inline size_t pqf_test_parts(const pqf_footer *f, size_t col, pqf_str *parts, size_t max) {
    size_t depth = 0;
    ck_assert_int_eq(pqf_column_path_parts(f, col, parts, max, &depth), PQF_OK);
    return depth;
}

/* An int answer about leaf col: pqf_column_has_stats(), pqf_column_order()
 * or pqf_column_sort_order(), which share one signature. */
typedef pqf_code (*pqf_test_column_int_fn)(const pqf_footer *f, size_t col, int *out);
static inline int pqf_test_column_int(pqf_test_column_int_fn get, const pqf_footer *f, size_t col) {
    int v = -1;
    ck_assert_int_eq(get(f, col, &v), PQF_OK);
    return v;
}
#define pqf_test_has_stats(f, col) pqf_test_column_int(pqf_column_has_stats, (f), (col))
#define pqf_test_order(f, col) pqf_test_column_int(pqf_column_order, (f), (col))
#define pqf_test_sort(f, col) pqf_test_column_int(pqf_column_sort_order, (f), (col))

/* File `file` of a dataset (in range: a held file always has a path and a
 * footer), its path and its footer. */
static inline pqf_dataset_file pqf_test_file(const pqf_dataset *ds, size_t file) {
    pqf_dataset_file df = {0};
    ck_assert_int_eq(pqf_dataset_file_get(ds, file, &df), PQF_OK);
    ck_assert(df.path != NULL && df.footer != NULL);
    return df;
}
static inline const char *pqf_test_path(const pqf_dataset *ds, size_t file) {
    return pqf_test_file(ds, file).path;
}
static inline const pqf_footer *pqf_test_footer(const pqf_dataset *ds, size_t file) {
    return pqf_test_file(ds, file).footer;
}

/* Path of skipped file i; its error into *err (NULL allowed). */
static inline const char *pqf_test_failure(const pqf_dataset *ds, size_t i, pqf_error *err) {
    pqf_dataset_failure fl;
    ck_assert_int_eq(pqf_dataset_failure_get(ds, i, &fl), PQF_OK);
    if (err) *err = fl.error;
    return fl.path;
}

/* How many projected columns file lacks; up to max names written. */
static inline size_t pqf_test_missing(const pqf_dataset *ds, size_t file, const char **names, size_t max) {
    size_t n = 0;
    ck_assert_int_eq(pqf_dataset_file_missing(ds, file, names, max, &n), PQF_OK);
    return n;
}

#endif
