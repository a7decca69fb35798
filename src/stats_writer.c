/*
 * Writers known to have written wrong statistics, judged from created_by.
 * The rules are those Arrow C++ applies (its ApplicationVersion checks) joined
 * with parquet-java's (CorruptStatistics), so pqfoot trusts no statistics
 * either of them would distrust:
 *  - parquet-mr before 1.10.0 and parquet-cpp before 1.3.0 compared values as
 *    signed: their min/max hold only for signed-order columns, or when
 *    min == max. Their byte-array statistics go on to the checks below.
 *  - parquet-mr before 1.8.0 could write byte-array statistics of the wrong
 *    row group (PARQUET-251): ignored.
 *  - without created_by, byte-array statistics are ignored (parquet-java; the
 *    files of PARQUET-251's time often lack it).
 *  - a column with no defined order has no usable statistics.
 */
#include "stats_writer.h"

/* "app version X.Y.Z ..." -> app and (X, Y, Z); missing numbers are zero. */
static void parse_created_by(pqf_str cb, const char **app, size_t *app_len, int v[3]) {
    static const char mark[] = " version ";
    const size_t ml = sizeof mark - 1;
    size_t i = 0;
    v[0] = v[1] = v[2] = 0;
    *app = cb.ptr;
    *app_len = cb.len;
    for (; i + ml <= cb.len; i++) {
        if (memcmp(cb.ptr + i, mark, ml) == 0) break;
    }
    if (i + ml > cb.len) return;
    *app_len = i;
    size_t p = i + ml;
    while (p < cb.len && cb.ptr[p] == ' ') p++;
    for (int part = 0; part < 3; part++) {
        int n = 0, any = 0;
        while (p < cb.len && cb.ptr[p] >= '0' && cb.ptr[p] <= '9') {
            if (n < 100000) n = n * 10 + (cb.ptr[p] - '0');
            p++;
            any = 1;
        }
        if (!any) return;
        v[part] = n;
        if (p >= cb.len || cb.ptr[p] != '.') return;
        p++;
    }
}

static int older(const int v[3], int a, int b, int c) {
    if (v[0] != a) return v[0] < a;
    if (v[1] != b) return v[1] < b;
    return v[2] < c;
}

static int is_app(const char *app, size_t n, const char *name) { return strlen(name) == n && memcmp(app, name, n) == 0; }

int pqf_writer_stats_ok(pqf_str created_by, int physical, int sort, int min_equals_max) {
    int binary = physical == PQF_TYPE_BYTE_ARRAY || physical == PQF_TYPE_FIXED_LEN_BYTE_ARRAY;
    if (!created_by.ptr) return !binary && sort != PQF_SORT_UNKNOWN;
    const char *app;
    size_t n;
    int v[3];
    parse_created_by(created_by, &app, &n, v);
    int mr = is_app(app, n, "parquet-mr");
    if ((mr && older(v, 1, 10, 0)) || (is_app(app, n, "parquet-cpp") && older(v, 1, 3, 0))) {
        if (sort != PQF_SORT_SIGNED && !min_equals_max) return 0;
        if (!binary) return 1;
    }
    if (sort == PQF_SORT_UNKNOWN) return 0;
    if (mr && older(v, 1, 8, 0)) return 0;
    return 1;
}
