/* Shared helpers for the Check suites: a main() per suite file and small byte builders. */
#ifndef PQF_CHECK_SUPPORT_H
#define PQF_CHECK_SUPPORT_H

#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pqfoot.h"

/* Each suite file defines `static Suite *make_suite(void)` and ends with PQF_CHECK_MAIN(). */
#define PQF_CHECK_MAIN()                                                   \
    int main(void) {                                                       \
        SRunner *sr = srunner_create(make_suite());                        \
        srunner_run_all(sr, CK_NORMAL);                                    \
        int failed = srunner_ntests_failed(sr);                            \
        srunner_free(sr);                                                  \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;                       \
    }

/* Poison an error struct so a test can tell which fields the call wrote. */
static inline void pqf_test_poison(pqf_error *e) { memset(e, 0xFF, sizeof *e); }

/* Schema element i / leaf column col by value; the index must be in range. */
static inline pqf_schema_element pqf_test_se(const pqf_footer *f, size_t i) {
    pqf_schema_element e;
    ck_assert_int_eq(pqf_schema_get(f, i, &e), PQF_OK);
    return e;
}
static inline pqf_column pqf_test_col(const pqf_footer *f, size_t col) {
    pqf_column c;
    ck_assert_int_eq(pqf_column_get(f, col, &c), PQF_OK);
    return c;
}

/* Read a whole file into malloc'd memory; NULL if it cannot be read. */
static inline uint8_t *pqf_test_read_file(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    if (fseek(fp, 0, SEEK_END) != 0) { fclose(fp); return NULL; }
    long n = ftell(fp);
    if (n < 0 || fseek(fp, 0, SEEK_SET) != 0) { fclose(fp); return NULL; }
    uint8_t *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) { free(buf); buf = NULL; }
    fclose(fp);
    if (buf) *len = (size_t)n;
    return buf;
}

/*
 * The data/ directory of the Apache parquet-testing checkout: $PQF_TESTING/data, where
 * PQF_TESTING defaults to ../shared/parquet-testing (relative to the repository root, where
 * `make` runs the suites; the Makefile exports the same variable). Returns buf, or NULL after
 * printing a SKIP line naming `who` and the path looked at, so an absent corpus is visible.
 */
static inline const char *pqf_test_parquet_testing(char *buf, size_t cap, const char *who) {
    const char *root = getenv("PQF_TESTING");
    if (!root || !*root) root = "../shared/parquet-testing";
    int n = snprintf(buf, cap, "%s/data", root);
    DIR *probe = n > 0 && (size_t)n < cap ? opendir(buf) : NULL;
    if (!probe) {
        printf("SKIP %s: no parquet-testing at %s (set PQF_TESTING to its checkout)\n", who, buf);
        fflush(stdout);
        return NULL;
    }
    closedir(probe);
    return buf;
}

#endif
