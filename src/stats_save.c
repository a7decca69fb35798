/*
 * Kept statistics in a saved model (pqf_footer_serialize, and so in .pqfi
 * indexes): after the model, "PQFS", the counts, the leaves, orders and field
 * tables, then the packed bits and the string pool, all little-endian.
 * Loading treats the bytes as untrusted: counts are checked against the bytes
 * present, every field's bits against the packed area, and every cell's
 * strings against the pool before the block is attached.
 */
#include "model.h"
#include "stats.h"

#define STATS_MARK "PQFS"

static void put_le(void (*put)(void *, const void *, size_t), void *ctx, uint64_t v, unsigned n) {
    uint8_t b[8];
    for (unsigned i = 0; i < n; i++) b[i] = (uint8_t)(v >> (8 * i));
    put(ctx, b, n);
}

void pqf_stats_save(const pqf_footer *F, void (*put)(void *ctx, const void *p, size_t n), void *ctx) {
    const struct pqf_stats_block *B = F->stats;
    if (!B) return;
    put(ctx, STATS_MARK, 4);
    put_le(put, ctx, B->nsc, 4);
    put_le(put, ctx, B->nbits_bytes, 8);
    put_le(put, ctx, B->pool_bytes, 8);
    for (uint32_t k = 0; k < B->nsc; k++) put_le(put, ctx, B->leaves[k], 4);
    put(ctx, B->orders, B->nsc);
    for (size_t i = 0; i < (size_t)B->nsc * SF_COUNT; i++) {
        put_le(put, ctx, B->fields[i].base, 8);
        put_le(put, ctx, B->fields[i].bitpos, 8);
        put_le(put, ctx, B->fields[i].width, 1);
    }
    put(ctx, B->bits, B->nbits_bytes);
    put(ctx, B->pool, B->pool_bytes);
}

/* n little-endian bytes at the cursor; sets *bad when they are not there. */
static uint64_t get_le(pqf_cur *c, unsigned n, int *bad) {
    if (*bad || (size_t)(c->end - c->p) < n) {
        if (!*bad) *bad = pqf_fail(c, PQF_ERR_TRUNCATED, "saved statistics end early");
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;) v = v << 8 | c->p[i];
    c->p += n;
    return v;
}

/* Every cell's strings lie in the pool, each followed by its zero byte, and
 * shared strings have the string they share. */
static int cells_in_pool(const struct pqf_stats_block *B) {
    static const uint32_t bit[4] = {PQF_ST_MIN_VALUE, PQF_ST_MAX_VALUE, PQF_ST_MIN, PQF_ST_MAX};
    for (uint32_t k = 0; k < B->nsc; k++) {
        for (uint64_t rg = 0; rg < B->nrg; rg++) {
            uint64_t has = pqf_stats_cell(B, k, rg, SF_HAS), at = pqf_stats_cell(B, k, rg, SF_POOL);
            if (has > 0x3FFFFu) return -1;
            if ((has & PQF_ST_MIN_SHARED) && !((has & PQF_ST_MIN) && (has & PQF_ST_MIN_VALUE))) return -1;
            if ((has & PQF_ST_MAX_SHARED) && !((has & PQF_ST_MAX) && (has & PQF_ST_MAX_VALUE))) return -1;
            for (unsigned j = 0; j < 4; j++) {
                int shared = (j == 2 && (has & PQF_ST_MIN_SHARED)) || (j == 3 && (has & PQF_ST_MAX_SHARED));
                if (!(has & bit[j]) || shared) continue;
                uint64_t len = pqf_stats_cell(B, k, rg, SF_LEN_MINV + j);
                if (at > B->pool_bytes || len >= B->pool_bytes - at || B->pool[at + len] != 0) return -1;
                at += len + 1;
            }
        }
    }
    return 0;
}

int pqf_stats_load(pqf_cur *c, pqf_mem *mem, pqf_footer *F) {
    if ((size_t)(c->end - c->p) < 4 || memcmp(c->p, STATS_MARK, 4) != 0)
        return pqf_fail(c, PQF_ERR_MALFORMED, "bytes after the saved model");
    c->p += 4;
    int bad = 0;
    uint64_t nsc = get_le(c, 4, &bad), nbits = get_le(c, 8, &bad), pool = get_le(c, 8, &bad);
    if (bad) return bad;
    size_t left = (size_t)(c->end - c->p);
    if (nsc == 0 || nsc > F->ncols || nbits < 16 || nbits > left || pool > left ||
        nsc * (4 + 1 + SF_COUNT * 17) > left - nbits || nbits + pool > left)
        return pqf_fail(c, PQF_ERR_MALFORMED, "saved statistics counts exceed their size");
    struct pqf_stats_block *B = pqf_stats_block_alloc(mem, (uint32_t)nsc, F->nrg, (size_t)nbits, (size_t)pool, NULL);
    if (!B) return pqf_fail_mem_at(c, mem);
    uint32_t *leaves = (uint32_t *)B->leaves;
    uint8_t *orders = (uint8_t *)B->orders;
    pqf_stats_field *fields = (pqf_stats_field *)B->fields;
    for (uint32_t k = 0; k < nsc && !bad; k++) {
        leaves[k] = (uint32_t)get_le(c, 4, &bad);
        if (!bad && (leaves[k] >= F->ncols || (k && leaves[k] <= leaves[k - 1])))
            bad = pqf_fail(c, PQF_ERR_MALFORMED, "saved statistics columns out of order or range");
    }
    for (uint32_t k = 0; k < nsc && !bad; k++) {
        orders[k] = (uint8_t)get_le(c, 1, &bad);
        if (!bad && orders[k] > PQF_ORDER_UNKNOWN) bad = pqf_fail(c, PQF_ERR_MALFORMED, "saved column order unknown");
    }
    const uint64_t room = (nbits - 16) * 8; /* bits before the padding */
    for (size_t i = 0; i < nsc * SF_COUNT && !bad; i++) {
        fields[i].base = get_le(c, 8, &bad);
        fields[i].bitpos = get_le(c, 8, &bad);
        fields[i].width = (uint32_t)get_le(c, 1, &bad);
        uint64_t w = fields[i].width, at = fields[i].bitpos;
        if (!bad && (w > 64 || at > room || (w && F->nrg > (room - at) / w)))
            bad = pqf_fail(c, PQF_ERR_MALFORMED, "saved statistics fields outside their bits");
    }
    if (!bad && (size_t)(c->end - c->p) < nbits + pool) bad = pqf_fail(c, PQF_ERR_TRUNCATED, "saved statistics end early");
    if (!bad) {
        memcpy((void *)B->bits, c->p, (size_t)nbits);
        memcpy((void *)B->pool, c->p + nbits, (size_t)pool);
        c->p += nbits + pool;
        if (cells_in_pool(B) != 0) bad = pqf_fail(c, PQF_ERR_MALFORMED, "saved statistics strings outside their pool");
    }
    if (bad) {
        pqf_mem_free(mem, B, B->bytes);
        return bad;
    }
    F->stats = B;
    pqf_stats_summarize(mem, F);
    return 0;
}
