/* Packing the statistics pass's cells into the footer's statistics block. */
#include "model.h"
#include "stats.h"

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

static unsigned bits_for(uint64_t range) {
    unsigned w = 0;
    while (w < 64 && (range >> w)) w++;
    return w;
}

/* OR the low w bits of v into a zeroed buffer at bit pos. */
static void put_bits(uint8_t *buf, uint64_t pos, uint64_t v, unsigned w) {
    while (w) {
        unsigned sh = (unsigned)(pos & 7), take = 8 - sh < w ? 8 - sh : w;
        buf[pos >> 3] |= (uint8_t)((v & ((1u << take) - 1)) << sh);
        v >>= take;
        pos += take;
        w -= take;
    }
}

static int same_bytes(const pqf_stats_rec *r, unsigned a, unsigned b) {
    return r->n[a] == r->n[b] && (r->n[a] == 0 || memcmp(r->s[a], r->s[b], r->n[a]) == 0);
}

/* Settle sharing and the pool offsets; returns the pool size. */
static uint64_t plan_strings(pqf_stats_rec *recs, uint64_t cells) {
    static const uint32_t bit[4] = {PQF_ST_MIN_VALUE, PQF_ST_MAX_VALUE, PQF_ST_MIN, PQF_ST_MAX};
    uint64_t pool = 0;
    for (uint64_t c = 0; c < cells; c++) {
        pqf_stats_rec *r = &recs[c];
        for (unsigned j = 0; j < 4; j++) {
            if (!(r->has & bit[j])) r->n[j] = 0;
        }
        if ((r->has & PQF_ST_MIN) && (r->has & PQF_ST_MIN_VALUE) && same_bytes(r, 2, 0)) r->has |= PQF_ST_MIN_SHARED;
        if ((r->has & PQF_ST_MAX) && (r->has & PQF_ST_MAX_VALUE) && same_bytes(r, 3, 1)) r->has |= PQF_ST_MAX_SHARED;
        r->num[SF_POOL] = (int64_t)pool;
        for (unsigned j = 0; j < 4; j++) {
            int shared = (j == 2 && (r->has & PQF_ST_MIN_SHARED)) || (j == 3 && (r->has & PQF_ST_MAX_SHARED));
            if ((r->has & bit[j]) && !shared) pool += (uint64_t)r->n[j] + 1;
        }
    }
    return pool;
}

static uint64_t field_value(const pqf_stats_rec *r, unsigned f) {
    if (f == SF_HAS) return r->has;
    if (f >= SF_LEN_MINV) return r->n[f - SF_LEN_MINV];
    return (uint64_t)r->num[f];
}

struct pqf_stats_block *pqf_stats_block_alloc(pqf_mem *mem, uint32_t nsc, uint64_t nrg, size_t nbits_bytes,
                                              size_t pool_bytes, const uint8_t *one_key) {
    size_t off_leaves = align16(sizeof(struct pqf_stats_block));
    size_t off_orders = off_leaves + (size_t)nsc * sizeof(uint32_t);
    size_t off_fields = align16(off_orders + nsc);
    size_t off_sum = off_fields + (size_t)nsc * SF_COUNT * sizeof(pqf_stats_field);
    size_t off_keys = align16(off_sum + (size_t)nsc * sizeof(pqf_stats_summary));
    /* summaries: two 8-byte keys and a flags byte per cell */
    if (nsc && nrg > (SIZE_MAX / 64) / nsc) return NULL;
    size_t cells = (size_t)nrg * nsc, nkeys = 0;
    for (uint32_t k = 0; k < nsc; k++) nkeys += one_key && one_key[k] ? 1 : 2;
    size_t off_flags = off_keys + (size_t)nrg * nkeys * 8;
    size_t off_bits = align16(off_flags + cells);
    if (nbits_bytes > SIZE_MAX / 4 || pool_bytes > SIZE_MAX / 4 || off_bits > SIZE_MAX / 4) return NULL;
    size_t total = off_bits + nbits_bytes + pool_bytes;
    uint8_t *blk = pqf_mem_alloc(mem, total);
    if (!blk) return NULL;
    memset(blk, 0, total);
    struct pqf_stats_block *B = (struct pqf_stats_block *)blk;
    B->bytes = total;
    B->nsc = nsc;
    B->nrg = nrg;
    B->leaves = (const uint32_t *)(blk + off_leaves);
    B->orders = blk + off_orders;
    B->fields = (const pqf_stats_field *)(blk + off_fields);
    B->sum = (pqf_stats_summary *)(blk + off_sum);
    const uint64_t *keys = (const uint64_t *)(blk + off_keys);
    for (uint32_t k = 0; k < nsc; k++) {
        int one = one_key && one_key[k];
        B->sum[k].lo = keys;
        B->sum[k].hi = one ? keys : keys + nrg; /* one array when every row group's bounds are equal */
        keys += (one ? 1 : 2) * nrg;
        B->sum[k].flags = blk + off_flags + (size_t)k * nrg;
    }
    B->bits = blk + off_bits;
    B->pool = (const char *)blk + off_bits + nbits_bytes;
    B->nbits_bytes = nbits_bytes;
    B->pool_bytes = pool_bytes;
    return B;
}

int pqf_stats_pack(pqf_dec *d, pqf_footer *F, const uint32_t *leaves, const uint8_t *orders, uint32_t nsc,
                   pqf_stats_rec *recs) {
    const uint64_t nrg = F->nrg, cells = nrg * nsc;
    uint64_t pool = plan_strings(recs, cells);
    pqf_stats_field *fl = pqf_arena_alloc(&d->work, (size_t)nsc * SF_COUNT * sizeof *fl + 1);
    if (!fl) return pqf_fail_mem(d);
    uint64_t nbits = 0;
    for (uint32_t k = 0; k < nsc; k++) {
        for (unsigned f = 0; f < SF_COUNT; f++) {
            int64_t lo = INT64_MAX, hi = INT64_MIN;
            for (uint64_t rg = 0; rg < nrg; rg++) {
                int64_t v = (int64_t)field_value(&recs[rg * nsc + k], f);
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            pqf_stats_field *x = &fl[k * SF_COUNT + f];
            x->base = nrg ? (uint64_t)lo : 0;
            x->width = nrg ? bits_for((uint64_t)hi - (uint64_t)lo) : 0;
            x->bitpos = nbits;
            if (x->width && nrg > (UINT64_MAX - nbits) / x->width)
                return pqf_fail(&d->cur, PQF_ERR_LIMIT, "statistics too large");
            nbits += nrg * x->width;
        }
    }
    uint64_t nbytes = (nbits + 7) / 8 + 16;
    if (nbytes > SIZE_MAX / 4 || pool > SIZE_MAX / 4) return pqf_fail(&d->cur, PQF_ERR_LIMIT, "statistics too large");
    struct pqf_stats_block *B = pqf_stats_block_alloc(&d->mem, nsc, nrg, (size_t)nbytes, (size_t)pool, NULL);
    if (!B) return d->mem.failed_code ? pqf_fail_mem(d) : pqf_fail(&d->cur, PQF_ERR_LIMIT, "statistics too large");
    memcpy((void *)B->leaves, leaves, (size_t)nsc * sizeof(uint32_t));
    memcpy((void *)B->orders, orders, nsc);
    memcpy((void *)B->fields, fl, (size_t)nsc * SF_COUNT * sizeof(pqf_stats_field));
    uint8_t *bits = (uint8_t *)B->bits;
    char *strings = (char *)B->pool;
    static const uint32_t bit[4] = {PQF_ST_MIN_VALUE, PQF_ST_MAX_VALUE, PQF_ST_MIN, PQF_ST_MAX};
    for (uint32_t k = 0; k < nsc; k++) {
        for (uint64_t rg = 0; rg < nrg; rg++) {
            const pqf_stats_rec *r = &recs[rg * nsc + k];
            for (unsigned f = 0; f < SF_COUNT; f++) {
                const pqf_stats_field *x = &fl[k * SF_COUNT + f];
                put_bits(bits, x->bitpos + rg * x->width, field_value(r, f) - x->base, x->width);
            }
            char *at = strings + r->num[SF_POOL];
            for (unsigned j = 0; j < 4; j++) {
                int shared = (j == 2 && (r->has & PQF_ST_MIN_SHARED)) || (j == 3 && (r->has & PQF_ST_MAX_SHARED));
                if (!(r->has & bit[j]) || shared) continue;
                if (r->n[j]) memcpy(at, r->s[j], r->n[j]);
                at += r->n[j] + 1; /* the zero after each string is the memset's */
            }
        }
    }
    F->stats = B;
    pqf_stats_summarize(&d->mem, F);
    return 0;
}
