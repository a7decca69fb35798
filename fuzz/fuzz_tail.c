/*
 * fuzz_tail -- the end of a Parquet file through pqf_footer_decode_tail() and
 * pqf_footer_decode_reader(): trailer magic (PAR1 / PARE), the length field,
 * short tails and err.needed, chunk ranges against the file size, and reads
 * through a callback.
 *
 * With a known file size every kept offset and range must lie in the file (ranges end
 * before the footer): checked on every success, and a refusal the footer bytes alone
 * would not give must point at such an offset.
 *
 * Input: five option bytes, then the image: the last bytes of a file.
 *   byte 0    bits 0-1 file size: 0 unknown, 1 the image is the whole file,
 *             2 the image is the tail of a file with M more bytes before it,
 *             3 the caller claims file size M (possibly wrong);
 *             bit 2 PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM, bit 3 PQF_KEEP_KV;
 *             bits 4-7 S: first try a tail of S/16 of the image (0 = skip that step)
 *   byte 1    P: reader tail_size (P & 63) * 11 (0 = default); the read call that
 *             fails: P >> 6 (0 or 3 = none)
 * When the image is the whole file (mode 1) it also goes through
 * pqf_footer_decode_file() from an anonymous memory file.
 *   bytes 2-4 M, little-endian
 */
#define _GNU_SOURCE 1 /* memfd_create */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct outcome {
    pqf_footer *f;
    pqf_error err;
    fz_alloc a;
} outcome;

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void tail_decode(outcome *r, const uint8_t *tail, size_t n, uint64_t fsize, pqf_options *o) {
    fz_alloc_init(&r->a, SIZE_MAX);
    pqf_allocator alc = fz_allocator(&r->a);
    o->allocator = &alc;
    memset(&r->err, 0xFF, sizeof r->err);
    r->f = pqf_footer_decode_tail(tail, n, fsize, o, &r->err);
    o->allocator = NULL;
    if (r->f) {
        FZ_ASSERT(r->err.code == PQF_OK && r->err.needed == 0 && r->err.offset == 0);
        FZ_ASSERT(pqf_footer_file_size(r->f) == fsize);
    } else {
        fz_check_error(&r->err, n);
        FZ_ASSERT(r->a.live == 0);
    }
}

static void finish(outcome *r) {
    pqf_footer_free(r->f);
    r->f = NULL;
    fz_alloc_fini(&r->a);
}

/* pqf_footer_decode_tail() with a known file size checks every kept offset and byte range
 * against the file: offsets inside it, ranges ending before the footer (data_end); chunks
 * in another file (file_path) are not checked. 1 when f, decoded from the footer bytes
 * alone, breaks that rule somewhere. */
static int range_outside(uint64_t o, uint64_t l, uint64_t end) { return o > end || l > end - o; }

static int misplaced(const pqf_footer *f, uint64_t fsize, uint64_t data_end) {
    for (size_t r = 0; r < pqf_row_group_count(f); r++) {
        pqf_row_group rg;
        FZ_ASSERT(pqf_row_group_get(f, r, &rg) == PQF_OK);
        if ((rg.has & PQF_RG_FILE_OFFSET) && (uint64_t)rg.file_offset > fsize) return 1;
        for (size_t c = 0; c < pqf_column_count(f); c++) {
            pqf_chunk ch;
            if (pqf_chunk_get(f, r, c, &ch) != PQF_OK || (ch.has & PQF_CH_FILE_PATH)) continue;
            if ((uint64_t)ch.file_offset > fsize) return 1;
            if (ch.has & PQF_CH_META) {
                if (range_outside((uint64_t)ch.start, (uint64_t)ch.length, data_end)) return 1;
                if ((uint64_t)ch.data_page_offset > data_end) return 1;
                if ((ch.has & PQF_CH_DICT) && (uint64_t)ch.dictionary_page_offset > data_end) return 1;
                if ((ch.has & PQF_CH_BLOOM_OFFSET) &&
                    range_outside((uint64_t)ch.bloom_filter_offset, (uint64_t)ch.bloom_filter_length, data_end))
                    return 1;
            }
            if ((ch.has & PQF_CH_OI_OFFSET) &&
                range_outside((uint64_t)ch.offset_index_offset, (uint64_t)ch.offset_index_length, data_end))
                return 1;
            if ((ch.has & PQF_CH_CI_OFFSET) &&
                range_outside((uint64_t)ch.column_index_offset, (uint64_t)ch.column_index_length, data_end))
                return 1;
        }
    }
    return 0;
}

/* Outcomes that must be the same. */
static void same(const outcome *x, const outcome *y) {
    FZ_ASSERT_MSG((x->f != NULL) == (y->f != NULL), "one decode failed (%s), the other did not",
                  x->f ? y->err.msg : x->err.msg);
    if (x->f) fz_check_same(x->f, y->f);
    else fz_check_same_error(&x->err, &y->err);
}

/* The virtual file of the reader: the image at its end, zeros before it. */
typedef struct vfile {
    const uint8_t *image;
    size_t n;
    uint64_t size;
    unsigned calls, fail_call;
} vfile;

static int vread(void *ctx, uint64_t off, void *buf, size_t len) {
    vfile *v = (vfile *)ctx;
    v->calls++;
    FZ_ASSERT_MSG(len > 0 && off <= v->size && len <= v->size - off,
                  "read of %zu bytes at %llu outside a %llu-byte file", len,
                  (unsigned long long)off, (unsigned long long)v->size);
    if (v->calls == v->fail_call) return -1;
    uint8_t *out = (uint8_t *)buf;
    uint64_t img0 = v->size - v->n; /* where the image starts */
    for (size_t i = 0; i < len; i++) {
        uint64_t at = off + i;
        out[i] = at >= img0 ? v->image[at - img0] : 0;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 5) return 0;
    const uint8_t o0 = data[0], P = data[1];
    const uint32_t M = (uint32_t)data[2] | (uint32_t)data[3] << 8 | (uint32_t)data[4] << 16;
    const size_t n = size - 5;
    uint8_t *image = (uint8_t *)malloc(n ? n : 1);
    if (!image) return 0;
    if (n) memcpy(image, data + 5, n);

    pqf_options o;
    memset(&o, 0, sizeof o);
    if (o0 & 4) o.flags |= PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM;
    if (o0 & 8) o.flags |= PQF_KEEP_KV;
    uint64_t fsize = 0;
    switch (o0 & 3) {
    case 1: fsize = n; break;
    case 2: fsize = (uint64_t)n + M; break;
    case 3: fsize = M; break;
    default: break;
    }
    fz_buf json;
    memset(&json, 0, sizeof json);

    /* The whole image. */
    outcome full;
    tail_decode(&full, image, n, fsize, &o);
    {
        /* The portable path (the default may be AVX-512) agrees, range checks included. */
        pqf_options po = o;
        po.flags |= PQF_PORTABLE;
        outcome port;
        tail_decode(&port, image, n, fsize, &po);
        same(&full, &port);
        finish(&port);
    }
    uint32_t flen = n >= 8 ? le32(image + n - 8) : 0;
    if (fsize && n > fsize) {
        FZ_ASSERT(full.err.code == PQF_ERR_INVALID_ARG);
    } else if (n < 8) {
        if (fsize && fsize < 12) {
            FZ_ASSERT(full.err.code == PQF_ERR_NOT_PARQUET);
        } else {
            FZ_ASSERT(full.err.code == PQF_ERR_TRUNCATED && full.err.needed == 8);
        }
    } else if (memcmp(image + n - 4, "PARE", 4) == 0) {
        FZ_ASSERT(full.err.code == PQF_ERR_ENCRYPTED);
    } else if (memcmp(image + n - 4, "PAR1", 4) != 0) {
        FZ_ASSERT(full.err.code == PQF_ERR_NOT_PARQUET);
    } else if (fsize && (uint64_t)flen + 12 > fsize) {
        FZ_ASSERT(full.err.code == PQF_ERR_NOT_PARQUET);
    } else if ((uint64_t)flen + 8 > n) {
        FZ_ASSERT_MSG(full.err.code == PQF_ERR_TRUNCATED && full.err.needed == (uint64_t)flen + 8,
                      "code %d needed %llu for a %u-byte footer", (int)full.err.code,
                      (unsigned long long)full.err.needed, flen);
    } else {
        /* The footer is all there: the same as decoding its bytes, except that a
         * known file size also bounds every chunk's byte range. */
        const uint8_t *footer = image + n - 8 - flen;
        outcome raw;
        fz_alloc_init(&raw.a, SIZE_MAX);
        pqf_allocator alc = fz_allocator(&raw.a);
        o.allocator = &alc;
        raw.f = pqf_footer_decode(footer, flen, &o, &raw.err);
        o.allocator = NULL;
        uint64_t data_end = fsize ? fsize - flen - 8 : 0;
        if (full.f) {
            fz_check_footer(full.f, image, n, &full.a, fz_default_cap(flen), &json);
            FZ_ASSERT(raw.f != NULL);
            FZ_ASSERT(pqf_footer_serialized_size(full.f) == flen);
            fz_buf a, b;
            memset(&a, 0, sizeof a);
            memset(&b, 0, sizeof b);
            FZ_ASSERT(fz_json(full.f, NULL, &a) == PQF_OK && fz_json(raw.f, NULL, &b) == PQF_OK);
            FZ_ASSERT(fz_buf_eq(&a, &b));
            fz_buf_free(&a);
            fz_buf_free(&b);
            if (fsize) {
                /* Everything kept lies where the file can hold it. */
                FZ_ASSERT_MSG(!misplaced(full.f, fsize, data_end),
                              "an offset or range outside a %llu-byte file was accepted",
                              (unsigned long long)fsize);
            } else {
                fz_check_same(full.f, raw.f);
            }
        } else if (raw.f) {
            /* Only the file-size checks can refuse what the bytes alone allow, and only when
             * something kept really lies outside the file. */
            FZ_ASSERT_MSG(fsize && full.err.code == PQF_ERR_MALFORMED && misplaced(raw.f, fsize, data_end),
                          "tail refused a footer the raw decode accepts: %s", full.err.msg);
        } else if (!fsize || full.err.code != PQF_ERR_MALFORMED || strstr(full.err.msg, "past") == NULL) {
            /* With a file size a place check may stop the decode earlier. */
            fz_check_same_error(&raw.err, &full.err);
        }
        pqf_footer_free(raw.f);
        fz_alloc_fini(&raw.a);
    }

    /* A shorter tail first: either enough, or PQF_ERR_TRUNCATED saying how much is
     * needed -- and then, after at most two rounds (the trailer, then the footer),
     * exactly that much is enough. */
    unsigned S = o0 >> 4;
    if (S && !(fsize && (n > fsize || fsize < 12))) {
        size_t k = n * S / 16;
        outcome part;
        tail_decode(&part, image + n - k, k, fsize, &o);
        for (int round = 0; part.err.code == PQF_ERR_TRUNCATED && part.err.needed; round++) {
            FZ_ASSERT(round < 2);
            FZ_ASSERT_MSG(part.err.needed > k, "needed %llu with %zu bytes given",
                          (unsigned long long)part.err.needed, k);
            if (part.err.needed > n) {
                FZ_ASSERT(full.err.code == PQF_ERR_TRUNCATED && full.err.needed == part.err.needed);
                break;
            }
            k = (size_t)part.err.needed;
            finish(&part);
            tail_decode(&part, image + n - k, k, fsize, &o);
        }
        if (!(part.err.code == PQF_ERR_TRUNCATED && part.err.needed)) same(&part, &full);
        finish(&part);
    }

    /* Through a reader over the same file. */
    if (n <= (1u << 20)) {
        vfile v;
        v.image = image;
        v.n = n;
        v.size = fsize ? fsize : n;
        v.calls = 0;
        v.fail_call = P >> 6;
        if (v.fail_call == 3) v.fail_call = 0;
        int consistent = v.size >= n; /* claimed sizes below the image cannot hold it */
        pqf_options ro = o;
        ro.tail_size = (uint32_t)(P & 63) * 11;
        outcome rd;
        fz_alloc_init(&rd.a, SIZE_MAX);
        pqf_allocator alc = fz_allocator(&rd.a);
        ro.allocator = &alc;
        memset(&rd.err, 0xFF, sizeof rd.err);
        if (consistent) {
            rd.f = pqf_footer_decode_reader(vread, &v, v.size, &ro, &rd.err);
            if (rd.f) {
                FZ_ASSERT(pqf_footer_file_size(rd.f) == v.size);
                FZ_ASSERT(v.calls <= 2);
                /* The tail buffer is the reader's own, outside the decode's cap. */
                uint64_t allow = fz_default_cap(pqf_footer_serialized_size(rd.f)) +
                                 PQF_DEFAULT_TAIL_SIZE + pqf_footer_serialized_size(rd.f) + 8;
                fz_alloc tmp = rd.a;
                tmp.peak = 0;
                fz_check_footer(rd.f, image, n, &tmp, allow, &json);
                FZ_ASSERT(rd.a.peak <= allow);
            } else {
                fz_check_error(&rd.err, n);
                FZ_ASSERT(rd.err.needed == 0);
                FZ_ASSERT(rd.a.live == 0);
            }
            if (v.fail_call && v.calls >= v.fail_call) {
                FZ_ASSERT(rd.f == NULL && rd.err.code == PQF_ERR_IO);
            } else if (v.size < 12) {
                FZ_ASSERT(rd.err.code == PQF_ERR_NOT_PARQUET);
            } else if (n >= 8 && (uint64_t)flen + 8 <= n) {
                /* The footer is inside the image: the reader sees what the tail decode saw
                 * on a whole file of this size. */
                outcome whole;
                tail_decode(&whole, image, n, v.size, &o);
                same(&rd, &whole);
                finish(&whole);
            } else if (v.size <= (4u << 20)) {
                /* The footer reaches into the zeros before the image: build the file. */
                uint8_t *file = (uint8_t *)calloc((size_t)v.size ? (size_t)v.size : 1, 1);
                if (file) {
                    memcpy(file + v.size - n, image, n);
                    outcome whole;
                    tail_decode(&whole, file, (size_t)v.size, v.size, &o);
                    same(&rd, &whole);
                    finish(&whole);
                    free(file);
                }
            }
        } else {
            rd.f = NULL;
        }
        finish(&rd);
    }

#ifdef MFD_CLOEXEC
    /* The whole file on "disk": pqf_footer_decode_file() gives what the tail decode gave. */
    if ((o0 & 3) == 1 && n <= (1u << 20)) {
        int fd = memfd_create("fuzz_tail", MFD_CLOEXEC);
        if (fd >= 0) {
            size_t done = 0;
            while (done < n) {
                ssize_t w = write(fd, image + done, n - done);
                if (w <= 0) break;
                done += (size_t)w;
            }
            if (done == n) {
                char path[64];
                snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
                outcome file;
                fz_alloc_init(&file.a, SIZE_MAX);
                pqf_allocator alc = fz_allocator(&file.a);
                pqf_options fo = o;
                fo.tail_size = (uint32_t)(P & 63) * 11;
                fo.allocator = &alc;
                memset(&file.err, 0xFF, sizeof file.err);
                file.f = pqf_footer_decode_file(path, &fo, &file.err);
                if (n < 12) FZ_ASSERT(file.err.code == PQF_ERR_NOT_PARQUET || file.err.code == PQF_ERR_IO);
                else if (file.f || file.err.code != PQF_ERR_IO) same(&file, &full); /* IO: no /proc */
                finish(&file);
            }
            close(fd);
        }
    }
#endif

    finish(&full);
    fz_buf_free(&json);
    free(image);
    return 0;
}
