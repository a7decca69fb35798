/* cli_stats.c -- `dump --stats COLS`: the kept statistics, in words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_stats.h"

int pqf_cli_stats_option(const char *cmd, int argc, char **argv, int *i, pqf_cli_stats_opt *s,
                         pqf_options *opt) {
    const char *val;
    int r = pqf_cli_opt_value(cmd, argc, argv, i, "--stats", &val);
    if (r <= 0) return r;
    pqf_cli_stats_free(s);
    size_t n = 1;
    for (const char *p = val; *p; p++) n += *p == ',';
    s->buf = strdup(val);
    s->cols = malloc(n * sizeof *s->cols);
    if (!s->buf || !s->cols) {
        pqf_cli_errorf("out of memory");
        return -1;
    }
    size_t k = 0;
    for (char *tok = strtok(s->buf, ","); tok; tok = strtok(NULL, ",")) s->cols[k++] = tok;
    if (k == 0) {
        pqf_cli_usage(cmd, "--stats wants column paths, A,B.C");
        return -1;
    }
    opt->stats_columns = s->cols;
    opt->num_stats_columns = k;
    return 1;
}

void pqf_cli_stats_free(pqf_cli_stats_opt *s) {
    free(s->buf);
    free(s->cols);
    s->buf = NULL;
    s->cols = NULL;
}

/* A statistics value in the column's terms where that is plain, else hex. */
static void put_value(const pqf_column *c, int sort, pqf_str v) {
    const unsigned char *p = (const unsigned char *)v.ptr;
    uint64_t u = 0;
    if ((c->type == PQF_TYPE_INT32 && v.len == 4) || (c->type == PQF_TYPE_INT64 && v.len == 8)) {
        for (size_t i = v.len; i-- > 0;) u = u << 8 | p[i];
        if (sort == PQF_SORT_UNSIGNED) printf("%llu", (unsigned long long)u);
        else if (v.len == 4) printf("%d", (int)(int32_t)(uint32_t)u);
        else printf("%lld", (long long)(int64_t)u);
        return;
    }
    if ((c->type == PQF_TYPE_DOUBLE && v.len == 8) || (c->type == PQF_TYPE_FLOAT && v.len == 4)) {
        for (size_t i = v.len; i-- > 0;) u = u << 8 | p[i];
        if (v.len == 8) {
            double d;
            memcpy(&d, &u, 8);
            printf("%.17g", d);
        } else {
            uint32_t b = (uint32_t)u;
            float f;
            memcpy(&f, &b, 4);
            printf("%.9g", (double)f);
        }
        return;
    }
    if (c->type == PQF_TYPE_BYTE_ARRAY && sort == PQF_SORT_UNSIGNED) {
        putchar('\'');
        pqf_cli_put_text(stdout, v.ptr, v.len);
        putchar('\'');
        return;
    }
    fputs("0x", stdout);
    for (size_t i = 0; i < v.len; i++) printf("%02x", p[i]);
}

static void put_pair(const char *name, const pqf_column *c, int sort, const pqf_stats *st, uint32_t lo_bit,
                     pqf_str lo, uint32_t hi_bit, pqf_str hi) {
    if (!(st->has & (lo_bit | hi_bit))) return;
    printf(" %s [", name);
    if (st->has & lo_bit) put_value(c, sort, lo);
    fputs(", ", stdout);
    if (st->has & hi_bit) put_value(c, sort, hi);
    putchar(']');
}

void pqf_cli_print_stats(const pqf_footer *f) {
    static const char *const orders[] = {"no column_orders", "type-defined order", "unknown order"};
    static const char *const sorts[] = {"signed", "unsigned", "no order"};
    for (size_t col = 0; col < pqf_column_count(f); col++) {
        int has = 0, sort = PQF_SORT_UNKNOWN, order = PQF_ORDER_UNKNOWN;
        pqf_column cv;
        if (pqf_column_has_stats(f, col, &has) != PQF_OK || !has || pqf_column_get(f, col, &cv) != PQF_OK ||
            pqf_column_sort_order(f, col, &sort) != PQF_OK || pqf_column_order(f, col, &order) != PQF_OK)
            continue;
        const pqf_column *c = &cv;
        printf("\nstatistics of ");
        pqf_cli_put_text(stdout, c->path.ptr, c->path.len);
        printf(" (%s, %s)\n", orders[order % 3], sorts[sort % 3]);
        for (size_t rg = 0; rg < pqf_row_group_count(f); rg++) {
            pqf_stats st;
            if (pqf_stats_get(f, rg, col, &st) != PQF_OK) continue;
            printf("  row group %zu:", rg);
            if (!(st.has & PQF_ST_META)) {
                puts(" no metadata");
                continue;
            }
            printf(" values %lld", (long long)st.num_values);
            if (st.has & PQF_ST_NULL_COUNT) printf(" nulls %lld", (long long)st.null_count);
            if (st.has & PQF_ST_DISTINCT_COUNT) printf(" distinct %lld", (long long)st.distinct_count);
            put_pair("min_value/max_value", c, sort, &st, PQF_ST_MIN_VALUE, st.min_value, PQF_ST_MAX_VALUE,
                     st.max_value);
            if (st.has & PQF_ST_MIN_EXACT_SET) printf(" min %s", (st.has & PQF_ST_MIN_EXACT) ? "exact" : "inexact");
            if (st.has & PQF_ST_MAX_EXACT_SET) printf(" max %s", (st.has & PQF_ST_MAX_EXACT) ? "exact" : "inexact");
            put_pair("min/max (deprecated)", c, sort, &st, PQF_ST_MIN, st.min, PQF_ST_MAX, st.max);
            if (st.has & PQF_ST_BLOOM_OFFSET) {
                printf(" bloom @%lld", (long long)st.bloom_offset);
                if (st.has & PQF_ST_BLOOM_LENGTH) printf("+%d", (int)st.bloom_length);
            }
            if (!(st.has & PQF_ST_STATISTICS)) fputs(" (no statistics)", stdout);
            putchar('\n');
        }
    }
}
