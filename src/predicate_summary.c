/*
 * Statistics summaries: once per footer, when its statistics block is built
 * or loaded, each kept column's chunks are viewed the way the evaluator views
 * them (pqf_pred_view_chunk: writer rules, column orders, NaN, null counts)
 * and the result is stored as flags plus 64-bit order keys. Pruning then
 * compares integers in a tight loop instead of re-reading packed cells and
 * rebuilding 48-byte keys for every row group and predicate.
 */
#include "model.h"
#include "predicate_bound.h"
#include "stats.h"

static uint64_t be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

int pqf_key_to_u64(const uint8_t *key, size_t klen, int is_signed, uint64_t *out) {
    if (klen == 8) { /* floating point: the key is already an unsigned order */
        *out = be64(key);
        return 0;
    }
    const int neg = !(key[0] & 0x80); /* the sign bit is flipped in keys */
    const uint8_t fill = neg ? 0xFF : 0x00;
    if ((uint8_t)(key[0] ^ 0x80) != fill) return neg ? -1 : 1;
    for (size_t i = 1; i < PQF_KEY_BYTES - 8; i++) {
        if (key[i] != fill) return neg ? -1 : 1;
    }
    const uint64_t low = be64(key + PQF_KEY_BYTES - 8), top = UINT64_C(1) << 63;
    if (!neg) {
        if (!is_signed) {
            *out = low;
            return 0;
        }
        if (low & top) return 1;
        *out = low ^ top;
        return 0;
    }
    /* the value is low - 2^64 */
    if (!is_signed || !(low & top)) return -1;
    *out = low ^ top;
    return 0;
}

/* The block again, with one key array for the columns one_key marks. */
static void compact(pqf_mem *mem, pqf_footer *F, const uint8_t *one_key) {
    const struct pqf_stats_block *B = F->stats;
    struct pqf_stats_block *C = pqf_stats_block_alloc(mem, B->nsc, B->nrg, B->nbits_bytes, B->pool_bytes, one_key);
    if (!C) return; /* keep the larger block: this only saves memory */
    const size_t nrg = (size_t)B->nrg;
    memcpy((void *)C->leaves, B->leaves, B->nsc * sizeof *B->leaves);
    memcpy((void *)C->orders, B->orders, B->nsc);
    memcpy((void *)C->fields, B->fields, (size_t)B->nsc * SF_COUNT * sizeof *B->fields);
    memcpy((void *)C->bits, B->bits, B->nbits_bytes);
    memcpy((void *)C->pool, B->pool, B->pool_bytes);
    for (uint32_t k = 0; k < B->nsc; k++) {
        C->sum[k].keyed = B->sum[k].keyed;
        C->sum[k].is_signed = B->sum[k].is_signed;
        memcpy((void *)C->sum[k].flags, B->sum[k].flags, nrg);
        memcpy((void *)C->sum[k].lo, B->sum[k].lo, nrg * 8);
        if (!one_key[k]) memcpy((void *)C->sum[k].hi, B->sum[k].hi, nrg * 8);
    }
    pqf_mem_free(mem, F->stats, F->stats->bytes);
    F->stats = C;
}

void pqf_stats_summarize(pqf_mem *mem, pqf_footer *F) {
    struct pqf_stats_block *B = F->stats;
    const uint64_t nrg = B->nrg;
    uint8_t one_key[64];
    int any = 0;
    for (uint32_t k = 0; k < B->nsc; k++) {
        pqf_stats_summary *S = &B->sum[k];
        uint64_t *lo = (uint64_t *)S->lo, *hi = (uint64_t *)S->hi;
        uint8_t *flags = (uint8_t *)S->flags;
        pqf_bound_leaf b;
        memset(&b, 0, sizeof b);
        pqf_pred_bind_column(F, B->leaves[k], &b);
        S->is_signed = b.dom == DOM_INT && b.enc != ENC_LE_UNSIGNED && b.enc != ENC_BOOL;
        S->keyed = b.dom == DOM_INT || b.dom == DOM_FLOAT;
        int equal = 1;
        for (uint64_t rg = 0; rg < nrg; rg++) {
            pqf_chunk_view v;
            pqf_pred_view_chunk(F, (size_t)rg, &b, &v);
            pqf_row_group g;
            uint8_t fl = (uint8_t)((v.nulls ? PQF_SUM_NULLS : 0) | (v.all_null ? PQF_SUM_ALL_NULL : 0) |
                                   (v.bounds ? PQF_SUM_BOUNDS : 0));
            if (pqf_row_group_get(F, (size_t)rg, &g) == PQF_OK && g.num_rows == 0) fl |= PQF_SUM_EMPTY;
            flags[rg] = fl;
            if (v.bounds && S->keyed &&
                (pqf_key_to_u64(v.lo, v.lolen, S->is_signed, &lo[rg]) != 0 ||
                 pqf_key_to_u64(v.hi, v.hilen, S->is_signed, &hi[rg]) != 0))
                S->keyed = 0; /* wide decimals: the general comparison handles them */
            equal &= lo[rg] == hi[rg];
        }
        if (k < sizeof one_key) {
            one_key[k] = (uint8_t)(equal || !S->keyed); /* unkeyed: the keys are never read */
            any |= one_key[k];
        }
    }
    if (any && B->nsc <= sizeof one_key) compact(mem, F, one_key);
}
