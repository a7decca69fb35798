/*
 * fuzz_slice -- decode -> slice -> decode, and slim, on arbitrary footers.
 *
 * Input: two option bytes, then the FileMetaData bytes.
 *   byte 0  bit 0 PQF_KEEP_PAGE_INDEX, bit 1 PQF_KEEP_BLOOM, bit 2 PQF_KEEP_KV (and
 *           PQF_SLICE_KV), bit 3 PQF_PORTABLE, bit 4 slim with PQF_SLIM_DROP_KV
 *   byte 1  seed of the row-group and column choice
 *
 * Properties: when the footer decodes, its whole slice decodes to the same
 * canonical JSON, and a chosen slice decodes with the chosen row groups and
 * chunks equal to the original's (encrypted footers give PQF_ERR_ENCRYPTED and
 * write nothing). pqf_footer_slim() either fails with a decoder error or
 * gives a footer that slims to itself and, when the original decodes, decodes
 * to the same JSON.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The FileMetaData inside a slice file. */
static int is_projected(const pqf_footer *f, size_t col) {
    pqf_column c;
    return pqf_column_get(f, col, &c) == PQF_OK && c.projected;
}

static pqf_footer *decode_slice(const fz_buf *b, uint32_t flags) {
    FZ_ASSERT(b->n >= 12 && memcmp(b->p, "PAR1", 4) == 0 && memcmp(b->p + b->n - 4, "PAR1", 4) == 0);
    const uint8_t *t = b->p + b->n - 8;
    size_t len = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
    FZ_ASSERT(len + 12 == b->n);
    pqf_options o = {0};
    o.flags = flags;
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(b->p + 4, len, &o, &err);
    FZ_ASSERT_MSG(f != NULL, "a slice does not decode: %s at %llu %s", err.msg, (unsigned long long)err.offset,
                  err.path);
    return f;
}

static void same_chunk(const pqf_footer *a, size_t ra, size_t ca, const pqf_footer *b, size_t rb, size_t cb) {
    pqf_chunk x, y;
    FZ_ASSERT(pqf_chunk_get(a, ra, ca, &x) == PQF_OK && pqf_chunk_get(b, rb, cb, &y) == PQF_OK);
    FZ_ASSERT(x.has == y.has && x.start == y.start && x.length == y.length && x.num_values == y.num_values);
    FZ_ASSERT(x.data_page_offset == y.data_page_offset && x.dictionary_page_offset == y.dictionary_page_offset);
    FZ_ASSERT(x.total_uncompressed_size == y.total_uncompressed_size && x.file_offset == y.file_offset);
    FZ_ASSERT(x.offset_index_offset == y.offset_index_offset && x.column_index_offset == y.column_index_offset);
    FZ_ASSERT(x.offset_index_length == y.offset_index_length && x.column_index_length == y.column_index_length);
    FZ_ASSERT(x.bloom_filter_offset == y.bloom_filter_offset && x.bloom_filter_length == y.bloom_filter_length);
    FZ_ASSERT(x.type == y.type && x.codec == y.codec && x.num_encodings == y.num_encodings);
    FZ_ASSERT(x.num_encodings == 0 || memcmp(x.encodings, y.encodings, x.num_encodings * sizeof(int32_t)) == 0);
    FZ_ASSERT(x.file_path.len == y.file_path.len &&
              (x.file_path.len == 0 || memcmp(x.file_path.ptr, y.file_path.ptr, x.file_path.len) == 0));
}

static void check_slices(const pqf_footer *f, uint32_t flags, uint8_t seed) {
    size_t nrg = pqf_row_group_count(f), nc = pqf_column_count(f);
    uint32_t sflags = (flags & PQF_KEEP_KV) ? PQF_SLICE_KV : 0;
    int encrypted = (pqf_footer_flags(f) & (PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM | PQF_FOOTER_HAS_COLUMN_CRYPTO)) != 0;
    if (nrg > 4096) return; /* the whole-slice list below stays small */
    uint32_t *all = FZ_CAST(uint32_t *, malloc((nrg ? nrg : 1) * sizeof *all));
    FZ_ASSERT(all != NULL);
    for (size_t i = 0; i < nrg; i++) all[i] = FZ_CAST(uint32_t, i);
    fz_buf out = {0}, j0 = {0}, j1 = {0};
    pqf_slice_options o = {all, nrg, NULL, 0, sflags};
    pqf_error err;
    int64_t rows = 0;
    int overflow = 0;
    for (size_t r = 0; r < nrg; r++) {
        pqf_row_group g;
        FZ_ASSERT(pqf_row_group_get(f, r, &g) == PQF_OK && g.num_rows >= 0);
        if (g.num_rows > INT64_MAX - rows) overflow = 1;
        else rows += g.num_rows;
    }
    pqf_code rc = pqf_footer_slice(f, &o, fz_sink, &out, &err);
    if (encrypted) {
        FZ_ASSERT(rc == PQF_ERR_ENCRYPTED && out.n == 0);
    } else if (overflow) {
        FZ_ASSERT(rc == PQF_ERR_LIMIT && out.n == 0);
    } else {
        FZ_ASSERT_MSG(rc == PQF_OK, "slice failed: %s", err.msg);
        pqf_footer *s = decode_slice(&out, flags);
        /* num_rows is the row groups' sum: the same JSON when the file agrees */
        FZ_ASSERT(pqf_footer_num_rows(s) == rows);
        if (rows == pqf_footer_num_rows(f)) {
            FZ_ASSERT(fz_json(f, NULL, &j0) == PQF_OK && fz_json(s, NULL, &j1) == PQF_OK);
            FZ_ASSERT_MSG(fz_buf_eq(&j0, &j1), "whole slice differs:\n%.*s\n%.*s", (int)j0.n, (const char *)j0.p,
                          (int)j1.n, (const char *)j1.p);
        } else {
            for (size_t r = 0; r < nrg; r++)
                for (size_t c = 0; c < nc; c++)
                    if (is_projected(f, c)) same_chunk(f, r, c, s, r, c);
        }
        pqf_footer_free(s);
        /* a chosen slice: one row group, some projected columns */
        if (nrg && pqf_projected_count(f)) {
            uint32_t rg = (uint32_t)(seed % nrg), cols[8];
            size_t n = 0;
            for (size_t c = 0; c < nc && n < 8; c++)
                if (is_projected(f, c) && ((seed >> (c % 8)) & 1)) cols[n++] = (uint32_t)(nc - 1 - c);
            for (size_t k = 0; k < n; k++)
                if (!is_projected(f, cols[k])) n = 0; /* reversed index: may be outside */
            o = (pqf_slice_options){&rg, 1, cols, n, 0};
            out.n = 0;
            rc = pqf_footer_slice(f, &o, fz_sink, &out, &err);
            FZ_ASSERT_MSG(rc == PQF_OK, "chosen slice failed: %s", err.msg);
            s = decode_slice(&out, flags);
            size_t k = 0;
            for (size_t c = 0; c < nc; c++) {
                int chosen = 0;
                for (size_t i = 0; i < n; i++) chosen |= cols[i] == c;
                if (!n) chosen = is_projected(f, c);
                if (chosen) same_chunk(f, rg, c, s, 0, k++);
            }
            FZ_ASSERT(pqf_column_count(s) == k);
            pqf_footer_free(s);
        }
    }
    fz_buf_free(&out);
    fz_buf_free(&j0);
    fz_buf_free(&j1);
    free(all);
}

static void check_slim(const uint8_t *in, size_t len, const pqf_footer *f, uint32_t flags, int drop_kv) {
    fz_buf a = {0}, b = {0};
    pqf_slim_options so = {drop_kv ? PQF_SLIM_DROP_KV : 0u, NULL, 0, 0, NULL};
    pqf_error err;
    if (pqf_footer_slim(in, len, &so, fz_sink, &a, &err) != PQF_OK) {
        fz_check_error(&err, len);
        FZ_ASSERT(a.n == 0);
        return;
    }
    FZ_ASSERT(pqf_footer_slim(a.p, a.n, &so, fz_sink, &b, &err) == PQF_OK);
    FZ_ASSERT_MSG(fz_buf_eq(&a, &b), "slim is not idempotent");
    if (f && !drop_kv) {
        pqf_options o = {0};
        o.flags = flags;
        pqf_footer *g = pqf_footer_decode(a.p, a.n, &o, &err);
        FZ_ASSERT_MSG(g != NULL, "slimmed footer does not decode: %s", err.msg);
        fz_buf j0 = {0}, j1 = {0};
        FZ_ASSERT(fz_json(f, NULL, &j0) == PQF_OK && fz_json(g, NULL, &j1) == PQF_OK);
        FZ_ASSERT_MSG(fz_buf_eq(&j0, &j1), "slimmed footer decodes differently");
        fz_buf_free(&j0);
        fz_buf_free(&j1);
        pqf_footer_free(g);
    }
    fz_buf_free(&a);
    fz_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint8_t opt = data[0], seed = data[1];
    const uint8_t *in = data + 2;
    size_t len = size - 2;
    uint32_t flags = (opt & 1 ? PQF_KEEP_PAGE_INDEX : 0u) | (opt & 2 ? PQF_KEEP_BLOOM : 0u) |
                     (opt & 4 ? PQF_KEEP_KV : 0u) | (opt & 8 ? PQF_PORTABLE : 0u);
    pqf_options o = {0};
    o.flags = flags;
    pqf_footer *f = pqf_footer_decode(in, len, &o, NULL);
    if (f) check_slices(f, flags & ~(uint32_t)PQF_PORTABLE, seed);
    check_slim(in, len, f, flags & ~(uint32_t)PQF_PORTABLE, (opt & 16) != 0);
    pqf_footer_free(f);
    return 0;
}
