/*
 * Split-block bloom filters (the Parquet BloomFilter format): a Thrift
 * BloomFilterHeader, then numBytes of bitset in blocks of eight 32-bit words.
 * A value is hashed with XXH64 (seed 0) over its PLAIN encoding; the upper 32
 * bits pick the block, the lower 32 bits, times eight fixed odd constants,
 * pick one bit in each word. A clear bit proves the value absent.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "predicate.h"
#include "wire.h"

/* Most bytes a header may take before the bitset when its length is unknown. */
#define HEADER_READ 256

static const uint32_t salt[8] = {0x47b6137bu, 0x44974d91u, 0x8824ad5bu, 0xa2b7289du,
                                 0x705495c7u, 0x2df1424bu, 0x9efc4947u, 0x5c6bfb31u};

static int block_has(const uint8_t *bitset, uint64_t nblocks, uint64_t h) {
    const uint8_t *block = bitset + 32 * (((h >> 32) * nblocks) >> 32);
    uint32_t key = (uint32_t)h;
    for (int i = 0; i < 8; i++) {
        const uint8_t *w = block + 4 * i;
        uint32_t word = (uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24;
        if (!((word >> ((key * salt[i]) >> 27)) & 1)) return 0;
    }
    return 1;
}

/* A union member: exactly one empty-or-skippable struct field with id want. */
static int union_is(pqf_cur *c, int16_t want) {
    int rc;
    if ((rc = wire_enter(c))) return rc;
    int16_t last = 0, fid = 0;
    int ok = 0, members = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(c, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        members++;
        ok = fid == want && t == CT_STRUCT;
        if ((rc = pqf_skip(c, t))) return rc;
    }
    wire_leave(c);
    if (!ok || members != 1) return pqf_fail(c, PQF_ERR_MALFORMED, "bloom filter uses an unsupported algorithm, hash or compression");
    return 0;
}

/* Parse the header; *hdr_len and *nbytes describe the bitset that follows. */
static int parse_header(pqf_cur *c, size_t *hdr_len, uint32_t *nbytes) {
    int rc;
    if ((rc = wire_enter(c))) return rc;
    int16_t last = 0, fid = 0;
    unsigned seen = 0;
    int32_t n = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(c, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        if (fid == 1 && t == CT_I32) rc = wire_i32(c, &n);
        else if (fid >= 2 && fid <= 4 && t == CT_STRUCT) rc = union_is(c, 1);
        else rc = pqf_skip(c, t);
        if (rc) return rc;
        if (fid >= 1 && fid <= 4) seen |= 1u << fid;
    }
    wire_leave(c);
    if (seen != 0x1e) return pqf_fail(c, PQF_ERR_MISSING_REQUIRED, "bloom filter header lacks a required field");
    if (n <= 0 || n % 32 != 0 || (uint32_t)n > PQF_BLOOM_MAX_BYTES - HEADER_READ)
        return pqf_fail(c, PQF_ERR_MALFORMED, "bloom filter size is not a positive multiple of 32 within the limit");
    *hdr_len = (size_t)(c->p - c->base);
    *nbytes = (uint32_t)n;
    return 0;
}

static pqf_code fail(pqf_error *err, pqf_code code, const char *msg, uint64_t off) {
    pqf_error_set(err, code, msg, off);
    return code;
}

pqf_code pqf_bloom_probe(pqf_read_fn fn, void *ctx, uint64_t file_size, int64_t offset, int32_t length,
                         const void *const *values, const size_t *lens, size_t n, uint8_t *found,
                         const pqf_allocator *alc, pqf_error *err) {
    pqf_allocator a = pqf_allocator_resolve(alc);
    pqf_error local;
    if (!err) err = &local;
    pqf_error_set(err, PQF_OK, "ok", 0);
    if (!fn || (n && (!values || !lens || !found))) return fail(err, PQF_ERR_INVALID_ARG, "NULL argument", 0);
    if (offset < 0 || (file_size && (uint64_t)offset >= file_size))
        return fail(err, PQF_ERR_MALFORMED, "bloom filter offset outside the file", 0);
    uint64_t avail = file_size ? file_size - (uint64_t)offset : UINT64_MAX;
    if (length > 0 && (uint64_t)length > avail)
        return fail(err, PQF_ERR_MALFORMED, "bloom filter length runs past the end of the file", 0);
    if (length > 0 && (uint32_t)length > PQF_BLOOM_MAX_BYTES)
        return fail(err, PQF_ERR_LIMIT, "bloom filter larger than PQF_BLOOM_MAX_BYTES", 0);
    /* one read of the whole filter when its length is known, else the header first */
    size_t want = length > 0 ? (size_t)length : (size_t)(avail < HEADER_READ ? avail : HEADER_READ);
    uint8_t *buf = a.alloc(a.ctx, want ? want : 1);
    if (!buf) return fail(err, PQF_ERR_NOMEM, "out of memory", 0);
    pqf_code rc = PQF_OK;
    uint8_t *bitset = NULL;
    size_t hdr = 0;
    uint32_t nbytes = 0;
    if (fn(ctx, (uint64_t)offset, buf, want) != 0) {
        rc = fail(err, PQF_ERR_IO, "reading the bloom filter failed", 0);
        goto out;
    }
    pqf_cur cur;
    pqf_cur_init(&cur, buf, want, PQF_DEFAULT_MAX_DEPTH, err);
    if (parse_header(&cur, &hdr, &nbytes)) {
        rc = (pqf_code)err->code;
        goto out;
    }
    if (length > 0) {
        if (nbytes > want - hdr) {
            rc = fail(err, PQF_ERR_MALFORMED, "bloom filter bitset longer than bloom_filter_length", hdr);
            goto out;
        }
        bitset = buf + hdr;
    } else {
        if (nbytes > avail - hdr) {
            rc = fail(err, PQF_ERR_MALFORMED, "bloom filter bitset runs past the end of the file", hdr);
            goto out;
        }
        bitset = a.alloc(a.ctx, nbytes);
        if (!bitset) {
            rc = fail(err, PQF_ERR_NOMEM, "out of memory", 0);
            goto out;
        }
        if (fn(ctx, (uint64_t)offset + hdr, bitset, nbytes) != 0) {
            rc = fail(err, PQF_ERR_IO, "reading the bloom filter failed", hdr);
            goto out;
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t h = XXH64(values[i], lens[i], 0);
        found[i] = (uint8_t)block_has(bitset, nbytes / 32, h);
    }
out:
    if (bitset && bitset != buf + hdr) a.free(a.ctx, bitset, nbytes);
    a.free(a.ctx, buf, want ? want : 1);
    return rc;
}

pqf_code pqf_pred_eval_bloom_file(const pqf_pred *p, const pqf_footer *f, const char *path, uint8_t *may_match,
                                  pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    if (!path) return fail(err, PQF_ERR_INVALID_ARG, "path is NULL", 0);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(err, PQF_ERR_IO, "cannot open file", 0);
    struct stat st;
    pqf_code rc = fstat(fd, &st) != 0 ? fail(err, PQF_ERR_IO, "cannot stat file", 0)
                                      : pqf_pred_eval_bloom_reader(p, f, pqf_fd_read, &fd, (uint64_t)st.st_size,
                                                                   may_match, err);
    close(fd);
    return rc;
}
