/*
 * fuzz_predicate -- the predicate parser, the statistics pass and the
 * evaluator on arbitrary bytes.
 *
 * Input: one byte n, then n bytes of predicate text (fewer if the input ends),
 * then footer bytes. The footer is decoded with the predicate's columns (or,
 * when the text does not parse, leaf columns 0 and 1) as statistics columns,
 * through a counting allocator; the predicate is evaluated on it.
 *
 * Properties: parse and decode either succeed or fail with a static message
 * and every allocation returned; kept statistics read back within the footer's
 * memory; every may-match answer is 0 or 1; nothing leaks.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    size_t n = data[0];
    if (n > size - 1) n = size - 1;
    const char *text = (const char *)data + 1;
    const uint8_t *footer = data + 1 + n;
    size_t flen = size - 1 - n;
    fz_alloc a;
    fz_alloc_init(&a, 0);
    pqf_allocator alc = fz_allocator(&a);
    pqf_error err;
    pqf_pred *p = pqf_pred_parse(text, n, &alc, &err);
    if (!p) FZ_ASSERT(err.code != PQF_OK && err.msg && err.offset <= n);
    const char *cols[8];
    size_t ncols = p ? pqf_pred_columns(p, cols, 8) : 0;
    if (ncols > 8) ncols = 8;
    static const uint32_t idx[2] = {0, 1};
    pqf_options opt;
    memset(&opt, 0, sizeof opt);
    opt.allocator = &alc;
    opt.stats_columns = cols;
    opt.num_stats_columns = ncols;
    if (!ncols) {
        opt.stats_column_indexes = idx;
        opt.num_stats_column_indexes = 2;
    }
    pqf_footer *f = pqf_footer_decode(footer, flen, &opt, &err);
    if (f) {
        for (size_t col = 0; col < pqf_column_count(f); col++) {
            int has = 0;
            FZ_ASSERT(pqf_column_has_stats(f, col, &has) == PQF_OK);
            if (!has) continue;
            for (size_t rg = 0; rg < pqf_row_group_count(f); rg++) {
                pqf_stats st;
                FZ_ASSERT(pqf_stats_get(f, rg, col, &st) == PQF_OK);
                const pqf_str *s[4] = {&st.min_value, &st.max_value, &st.min, &st.max};
                for (int k = 0; k < 4; k++) {
                    if (s[k]->ptr) FZ_ASSERT(s[k]->ptr[s[k]->len] == 0 && fz_alloc_owns(&a, s[k]->ptr, s[k]->len));
                }
            }
        }
        if (p) {
            size_t nrg = pqf_row_group_count(f);
            uint8_t *keep = malloc(nrg ? nrg : 1);
            FZ_ASSERT(keep != NULL);
            if (pqf_pred_eval(p, f, keep, &err) == PQF_OK) {
                for (size_t i = 0; i < nrg; i++) FZ_ASSERT(keep[i] <= 1);
            } else {
                FZ_ASSERT(err.msg && err.offset <= n);
            }
            free(keep);
        }
        pqf_footer_free(f);
    } else {
        FZ_ASSERT(err.code != PQF_OK && err.msg);
    }
    pqf_pred_free(p);
    fz_alloc_fini(&a);
    return 0;
}
