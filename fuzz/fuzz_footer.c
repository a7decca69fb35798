/*
 * fuzz_footer -- raw FileMetaData bytes through pqf_footer_decode().
 *
 * Input: two option bytes, then the footer.
 *   byte 0  bit 0 PQF_KEEP_PAGE_INDEX, bit 1 PQF_KEEP_BLOOM, bit 2 PQF_KEEP_KV,
 *           bit 3 PQF_NO_PATH_CHECK,
 *           bits 4-5 projection: 0 none, 1 by path, 2 by index, 3 both,
 *           bits 6-7 resources: 0 defaults, 1 a tiny max_memory, 2 an allocator that
 *           fails after N allocations, 3 malloc (no allocator) and a small max_depth
 *   byte 1  parameter P: which column to project, the cap, N, or the depth
 *
 * Every input is decoded with the options' flags, a counting allocator and the
 * default cap (the reference decode), then again in the chosen mode; the two
 * must agree as the options say they should. A second decode with PQF_PORTABLE
 * must give the same footer or error (the reference takes the AVX-512 path where
 * the CPU has it). A successful reference decode is also serialized and loaded
 * back, and shares its schema with that second decode.
 * See fuzz/README.md.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct run {
    pqf_footer *f;
    pqf_error err;
    fz_alloc a;
} run;

static void decode(run *r, const uint8_t *in, size_t len, pqf_options *o, size_t fail_after,
                   int use_alloc) {
    fz_alloc_init(&r->a, fail_after);
    pqf_allocator alc = fz_allocator(&r->a);
    o->allocator = use_alloc ? &alc : NULL;
    memset(&r->err, 0xFF, sizeof r->err);
    r->f = pqf_footer_decode(in, len, o, &r->err);
    o->allocator = NULL;
    if (r->f) {
        FZ_ASSERT(r->err.code == PQF_OK && r->err.offset == 0 && r->err.needed == 0);
        FZ_ASSERT(strcmp(r->err.msg, "ok") == 0 && r->err.path[0] == '\0');
        FZ_ASSERT(pqf_footer_serialized_size(r->f) == len);
        FZ_ASSERT(pqf_footer_file_size(r->f) == 0);
        FZ_ASSERT(pqf_footer_options(r->f) == (o->flags & ~(uint32_t)PQF_PORTABLE));
    } else {
        fz_check_error(&r->err, len);
        FZ_ASSERT(r->err.needed == 0);
        if (use_alloc) FZ_ASSERT_MSG(r->a.live == 0, "failed decode leaked %zu bytes", r->a.live);
    }
}

static void finish(run *r) {
    pqf_footer_free(r->f);
    r->f = NULL;
    fz_alloc_fini(&r->a);
}

/* The leaves a projection by path selects: the path itself, or everything below it. */
static int selects(const pqf_str *leaf, const char *want) {
    size_t n = strlen(want);
    if (n > leaf->len || memcmp(leaf->ptr, want, n) != 0) return 0;
    return n == leaf->len || leaf->ptr[n] == '.';
}

/* Decoding with a projection keeps the schema and row groups whole and, for the
 * projected columns, exactly the chunks of the full decode. */
static void check_projection(const pqf_footer *full, const pqf_footer *p, const uint8_t *want) {
    size_t nc = pqf_column_count(full);
    FZ_ASSERT(pqf_column_count(p) == nc);
    FZ_ASSERT(pqf_schema_count(p) == pqf_schema_count(full));
    FZ_ASSERT(pqf_row_group_count(p) == pqf_row_group_count(full));
    FZ_ASSERT(pqf_footer_bytes(p) <= pqf_footer_bytes(full) + 64);
    for (size_t c = 0; c < nc; c++) {
        pqf_column pc;
        FZ_ASSERT(pqf_column_get(p, c, &pc) == PQF_OK && pc.projected == want[c]);
    }
    for (size_t r = 0; r < pqf_row_group_count(full); r++) {
        pqf_row_group a, b;
        FZ_ASSERT(pqf_row_group_get(full, r, &a) == PQF_OK && pqf_row_group_get(p, r, &b) == PQF_OK);
        FZ_ASSERT(memcmp(&a, &b, sizeof a) == 0);
        for (size_t c = 0; c < nc; c++) {
            pqf_chunk x, y;
            FZ_ASSERT(pqf_chunk_get(full, r, c, &x) == PQF_OK);
            pqf_code rc = pqf_chunk_get(p, r, c, &y);
            if (!want[c]) {
                FZ_ASSERT(rc == PQF_ERR_NO_COLUMN);
                continue;
            }
            FZ_ASSERT(rc == PQF_OK);
            FZ_ASSERT_MSG(fz_chunk_eq(&x, &y), "rg %zu col %zu differs under projection", r, c);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    const uint8_t o0 = data[0], P = data[1];
    const uint8_t *in = data + 2;
    const size_t len = size - 2;
    /* A private copy: the library must not keep pointers into it (freed below). */
    uint8_t *copy = (uint8_t *)malloc(len ? len : 1);
    if (!copy) return 0;
    if (len) memcpy(copy, in, len);

    pqf_options o;
    memset(&o, 0, sizeof o);
    o.flags = o0 & (PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | PQF_KEEP_KV | PQF_NO_PATH_CHECK);
    const unsigned proj = (o0 >> 4) & 3, mode = o0 >> 6;
    const uint64_t cap = fz_default_cap(len);
    fz_buf json;
    memset(&json, 0, sizeof json);

    /* The reference decode, and the same again on the portable path (the
     * reference takes the AVX-512 one where the CPU has it): identical results. */
    run ref, again;
    decode(&ref, copy, len, &o, SIZE_MAX, 1);
    if (ref.f) fz_check_footer(ref.f, copy, len, &ref.a, cap, &json);
    pqf_options portable = o;
    portable.flags |= PQF_PORTABLE;
    decode(&again, copy, len, &portable, SIZE_MAX, 1);
    FZ_ASSERT((ref.f != NULL) == (again.f != NULL));
    if (ref.f) {
        fz_check_same(ref.f, again.f);
        fz_check_roundtrip(ref.f);
        fz_check_share(again.f, ref.f);
    } else {
        fz_check_same_error(&ref.err, &again.err);
    }
    finish(&again);
    if (o.flags == 0) {
        /* NULL options and NULL err mean the defaults: the same verdict. */
        pqf_footer *z = pqf_footer_decode(copy, len, NULL, NULL);
        FZ_ASSERT((z != NULL) == (ref.f != NULL));
        if (z) fz_check_same(z, ref.f);
        pqf_footer_free(z);
    }

    /* Projection. */
    if (proj) {
        pqf_options po = o;
        char path[256] = "a";
        uint32_t idx[2] = {P, 0};
        const char *cols[1] = {path};
        int by_path = (proj & 1) != 0, by_index = (proj & 2) != 0;
        size_t nc = ref.f ? pqf_column_count(ref.f) : 0;
        uint8_t *want = (uint8_t *)calloc(nc ? nc : 1, 1);
        FZ_ASSERT(want != NULL);
        if (nc) {
            size_t c = P % nc;
            pqf_column col_v;
            const pqf_column *col = pqf_column_get(ref.f, c, &col_v) == PQF_OK ? &col_v : NULL;
            /* A path with a NUL byte cannot be passed as a C string. */
            if (memchr(col->path.ptr, 0, col->path.len) || col->path.len >= sizeof path) by_path = 0;
            if (by_path) {
                /* The leaf's path, or (P odd) the first dotted part: a group above it. */
                memcpy(path, col->path.ptr, col->path.len);
                path[col->path.len] = '\0';
                if ((P & 1) && strchr(path, '.')) *strchr(path, '.') = '\0';
                for (size_t k = 0; k < nc; k++) {
                    pqf_column ck;
                    want[k] |= (uint8_t)(pqf_column_get(ref.f, k, &ck) == PQF_OK && selects(&ck.path, path));
                }
                FZ_ASSERT(want[c]);
            }
            if (by_index) {
                idx[0] = (uint32_t)c;
                idx[1] = (uint32_t)((c + P / 2) % nc);
                want[idx[0]] = want[idx[1]] = 1;
            }
            if (!by_path && !by_index) memset(want, 1, nc);
        } else {
            /* No schema to pick from: project a name taken from the input. */
            size_t n = len < 8 ? len : 8;
            for (size_t k = 0; k < n; k++) path[k] = (char)(copy[k] ? copy[k] : 'x');
            path[n ? n : 1] = '\0';
        }
        if (by_path) po.columns = cols, po.num_columns = 1;
        if (by_index) po.column_indexes = idx, po.num_column_indexes = 2;
        run pr;
        decode(&pr, copy, len, &po, SIZE_MAX, 1);
        if (pr.f) {
            fz_check_footer(pr.f, copy, len, &pr.a, cap, &json);
            FZ_ASSERT(ref.f == NULL || nc > 0);
            if (ref.f) check_projection(ref.f, pr.f, want);
        } else if (ref.f && nc == 0) {
            /* No leaf to name: every path and index is unknown. */
            FZ_ASSERT(pr.err.code == PQF_ERR_NO_COLUMN);
        } else {
            FZ_ASSERT_MSG(ref.f == NULL, "the full decode worked, the projected one failed: %s",
                          pr.err.msg);
        }
        finish(&pr);
        free(want);
    }

    /* Resource limits. */
    run lim;
    pqf_options lo = o;
    uint64_t lcap = cap;
    switch (mode) {
    case 1: /* tiny cap: success within it, or PQF_ERR_LIMIT */
        lcap = 1 + (uint64_t)P * P * 24;
        lo.max_memory = lcap;
        decode(&lim, copy, len, &lo, SIZE_MAX, 1);
        FZ_ASSERT_MSG(lim.a.peak <= lcap, "held %zu bytes under a cap of %llu", lim.a.peak,
                      (unsigned long long)lcap);
        if (lim.f) {
            FZ_ASSERT(ref.f != NULL);
            fz_check_footer(lim.f, copy, len, &lim.a, lcap, &json);
            fz_check_same(ref.f, lim.f);
        } else if (lim.err.code != PQF_ERR_LIMIT) {
            FZ_ASSERT(ref.f == NULL);
            fz_check_same_error(&ref.err, &lim.err);
        }
        break;
    case 2: /* the allocator fails after P allocations */
        decode(&lim, copy, len, &lo, P, 1);
        if (lim.f) {
            FZ_ASSERT(lim.a.failed == 0 && ref.f != NULL);
            fz_check_footer(lim.f, copy, len, &lim.a, lcap, &json);
            fz_check_same(ref.f, lim.f);
        } else if (lim.err.code == PQF_ERR_NOMEM) {
            FZ_ASSERT(lim.a.failed > 0);
        } else {
            FZ_ASSERT(ref.f == NULL);
            fz_check_same_error(&ref.err, &lim.err);
        }
        break;
    case 3: { /* malloc, and a depth bound of 1..128 */
        lo.max_depth = 1 + (P & 127);
        decode(&lim, copy, len, &lo, SIZE_MAX, 0);
        if (lim.f) fz_check_footer(lim.f, copy, len, NULL, lcap, &json);
        if (lo.max_depth <= PQF_DEFAULT_MAX_DEPTH) {
            /* A lower bound can only add PQF_ERR_DEPTH. */
            if (lim.f) {
                FZ_ASSERT(ref.f != NULL);
                fz_check_same(ref.f, lim.f);
            } else if (lim.err.code != PQF_ERR_DEPTH) {
                FZ_ASSERT(ref.f == NULL);
                fz_check_same_error(&ref.err, &lim.err);
            }
        } else if (ref.f) {
            FZ_ASSERT(lim.f != NULL);
            fz_check_same(ref.f, lim.f);
        } else if (ref.err.code != PQF_ERR_DEPTH) {
            FZ_ASSERT(lim.f == NULL);
            fz_check_same_error(&ref.err, &lim.err);
        }
        break;
    }
    default:
        memset(&lim, 0, sizeof lim);
        fz_alloc_init(&lim.a, SIZE_MAX);
        break;
    }
    finish(&lim);
    finish(&ref);
    fz_buf_free(&json);
    free(copy);
    return 0;
}
