/*
 * fuzz_index -- the dataset index loader (pqf_dataset_load) and the footer
 * model loader under it (pqf_footer_deserialize), on arbitrary bytes.
 *
 * Input: one mode byte, then the payload.
 *   mode & 3 == 0   the payload is an index file as it is; most mutations die
 *                   at the trailer checksum, which is the point: that check
 *                   and everything before it must hold up.
 *   mode & 3 == 1   the payload is seven sections, each a 3-byte little-endian
 *                   length then its bytes (missing ones are empty); the
 *                   harness compresses them and wraps them in a container
 *                   with correct checksums (docs/index-format.md), so the
 *                   section parsers and the footer models see the mutations.
 *   mode & 3 == 2   the payload goes straight to pqf_footer_deserialize().
 *   mode & 3 == 3   as 1, with the header fields (version, flags, section
 *                   count) taken from the first 12 payload bytes.
 *   mode & 4        allocations fail after (mode >> 3) * 3 successful ones.
 *
 * The bytes reach pqf_dataset_load() through an anonymous memory file
 * (memfd) where there is one, else a temporary file; nothing is left behind.
 *
 * Properties: a load either fails with a static message, a terminated error
 * path and every allocation returned, or gives a dataset whose counts add up
 * and whose global addressing stays inside its files and row groups; loading
 * the same bytes twice gives the same dataset. A deserialized model saved
 * again loads to the same bytes.
 */
#define _GNU_SOURCE 1 /* memfd_create */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include "fuzz_common.h"
#include "pqfoot_dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSEC 7 /* index format version 2 */

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* A well-formed container around the given sections. malloc'd. */
static uint8_t *wrap(const uint8_t *const *sec, const size_t *len, uint32_t version, uint32_t flags,
                     uint32_t nsec_field, size_t *out_len) {
    size_t total = 32 + NSEC * 40 + 8;
    uint8_t *z[NSEC];
    size_t zl[NSEC];
    for (int s = 0; s < NSEC; s++) {
        size_t b = ZSTD_compressBound(len[s]);
        z[s] = (uint8_t *)malloc(b ? b : 1);
        FZ_ASSERT(z[s] != NULL);
        zl[s] = ZSTD_compress(z[s], b, len[s] ? sec[s] : (const uint8_t *)"", len[s], 1);
        FZ_ASSERT(!ZSTD_isError(zl[s]));
        total += zl[s];
    }
    uint8_t *d = (uint8_t *)calloc(1, total);
    FZ_ASSERT(d != NULL);
    static const uint8_t magic[8] = {'P', 'Q', 'F', 'I', 0x0D, 0x0A, 0x1A, 0x0A};
    memcpy(d, magic, 8);
    put32(d + 8, version);
    put32(d + 12, flags);
    put64(d + 16, total);
    put32(d + 24, nsec_field);
    put32(d + 28, 32 + NSEC * 40);
    size_t off = 32 + NSEC * 40;
    for (int s = 0; s < NSEC; s++) {
        uint8_t *e = d + 32 + s * 40;
        put32(e, (uint32_t)s + 1);
        put32(e + 4, 1);
        put64(e + 8, off);
        put64(e + 16, zl[s]);
        put64(e + 24, len[s]);
        put64(e + 32, XXH64(len[s] ? sec[s] : (const uint8_t *)"", len[s], 0));
        memcpy(d + off, z[s], zl[s]);
        off += zl[s];
        free(z[s]);
    }
    put64(d + off, XXH64(d, off, 0));
    *out_len = total;
    return d;
}

/* Split "len24 bytes" records into sections. */
static void split(const uint8_t *p, size_t n, const uint8_t **sec, size_t *len) {
    for (int s = 0; s < NSEC; s++) {
        sec[s] = p;
        len[s] = 0;
        if (n < 3) continue;
        size_t l = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16;
        p += 3;
        n -= 3;
        if (l > n) l = n;
        sec[s] = p;
        len[s] = l;
        p += l;
        n -= l;
    }
}

/* Where the loader reads from: an anonymous file, or a temporary one. */
typedef struct input_file {
    int fd;
    char path[64];
    char tmp[64]; /* non-empty: unlink it */
} input_file;

static void input_open(input_file *f, const uint8_t *d, size_t n) {
    f->tmp[0] = '\0';
    f->fd = -1;
#if defined(__linux__)
    f->fd = memfd_create("pqfi", MFD_CLOEXEC);
#endif
    if (f->fd >= 0) {
        snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
    } else {
        const char *t = getenv("TMPDIR");
        snprintf(f->tmp, sizeof f->tmp, "%s/fuzz_index_XXXXXX", t && strlen(t) < 40 ? t : "/tmp");
        f->fd = mkstemp(f->tmp);
        FZ_ASSERT(f->fd >= 0);
        snprintf(f->path, sizeof f->path, "%s", f->tmp);
    }
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(f->fd, d + done, n - done);
        FZ_ASSERT(w > 0);
        done += (size_t)w;
    }
}

static void input_close(input_file *f) {
    close(f->fd);
    if (f->tmp[0]) unlink(f->tmp);
}

static void check_error(const pqf_error *err) {
    FZ_ASSERT(err->code != PQF_OK && err->code < PQF_ERR__COUNT);
    FZ_ASSERT(err->msg != NULL && err->msg[0] != '\0');
    FZ_ASSERT(memchr(err->path, 0, sizeof err->path) != NULL);
}

/* The properties of a loaded dataset. */
static void check_dataset(const pqf_dataset *ds) {
    size_t nf = pqf_dataset_file_count(ds);
    uint64_t rgs = 0;
    FZ_ASSERT(pqf_dataset_schema_count(ds) <= nf);
    FZ_ASSERT(nf == 0 || pqf_dataset_schema_count(ds) > 0);
    FZ_ASSERT(pqf_dataset_bytes(ds) > 0);
    for (size_t i = 0; i < nf; i++) {
        pqf_dataset_file df;
        FZ_ASSERT(pqf_dataset_file_get(ds, i, &df) == PQF_OK);
        FZ_ASSERT(df.path != NULL && df.footer != NULL);
        FZ_ASSERT(df.first_row_group == rgs);
        rgs += pqf_row_group_count(df.footer);
        const char *missing[2];
        size_t nm = 0;
        FZ_ASSERT(pqf_dataset_file_missing(ds, i, missing, 2, &nm) == PQF_OK);
        for (size_t k = 0; k < nm && k < 2; k++) FZ_ASSERT(missing[k] != NULL);
    }
    pqf_dataset_file past;
    FZ_ASSERT(pqf_dataset_file_get(ds, nf, &past) == PQF_ERR_INVALID_ARG);
    /* known-bad files: each with a real error code, a message and a path */
    pqf_dataset_failure fl;
    for (size_t i = 0; i < pqf_dataset_failure_count(ds); i++) {
        FZ_ASSERT(pqf_dataset_failure_get(ds, i, &fl) == PQF_OK);
        FZ_ASSERT(fl.path != NULL && fl.path[0] != '\0');
        check_error(&fl.error);
    }
    FZ_ASSERT(pqf_dataset_failure_get(ds, pqf_dataset_failure_count(ds), &fl) == PQF_ERR_INVALID_ARG);
    FZ_ASSERT(rgs == pqf_dataset_row_group_count(ds));
    uint64_t nrg = pqf_dataset_row_group_count(ds), nrows = pqf_dataset_row_count(ds);
    uint64_t probes[4] = {0, nrg / 2, nrg ? nrg - 1 : 0, nrg};
    for (int k = 0; k < 4; k++) {
        size_t f = 0, r = 0;
        pqf_code c = pqf_dataset_locate_row_group(ds, probes[k], &f, &r);
        FZ_ASSERT((c == PQF_OK) == (probes[k] < nrg));
        if (c == PQF_OK) {
            pqf_dataset_file df;
            FZ_ASSERT(f < nf && pqf_dataset_file_get(ds, f, &df) == PQF_OK);
            FZ_ASSERT(r < pqf_row_group_count(df.footer));
        }
    }
    uint64_t rows[4] = {0, nrows / 3, nrows ? nrows - 1 : 0, nrows};
    for (int k = 0; k < 4; k++) {
        size_t f = 0, r = 0;
        uint64_t in = 0;
        pqf_code c = pqf_dataset_locate_row(ds, rows[k], &f, &r, &in);
        FZ_ASSERT((c == PQF_OK) == (rows[k] < nrows));
        if (c == PQF_OK) {
            pqf_dataset_file df;
            FZ_ASSERT(f < nf && pqf_dataset_file_get(ds, f, &df) == PQF_OK);
            FZ_ASSERT(r < pqf_row_group_count(df.footer));
        }
    }
}

static void load_bytes(const uint8_t *d, size_t n, size_t fail_after) {
    input_file in;
    input_open(&in, d, n);
    fz_alloc a;
    fz_alloc_init(&a, fail_after);
    pqf_allocator alc = fz_allocator(&a);
    pqf_error err;
    memset(&err, 0xFF, sizeof err);
    pqf_dataset *ds = pqf_dataset_load(in.path, &alc, &err);
    if (!ds) {
        check_error(&err);
        FZ_ASSERT(a.live == 0);
    } else {
        FZ_ASSERT(err.code == PQF_OK);
        check_dataset(ds);
        if (fail_after == SIZE_MAX) {
            /* the same bytes load to the same dataset */
            pqf_dataset *again = pqf_dataset_load(in.path, NULL, &err);
            FZ_ASSERT(again != NULL);
            FZ_ASSERT(pqf_dataset_bytes(again) == pqf_dataset_bytes(ds));
            FZ_ASSERT(pqf_dataset_file_count(again) == pqf_dataset_file_count(ds));
            FZ_ASSERT(pqf_dataset_row_count(again) == pqf_dataset_row_count(ds));
            pqf_dataset_free(again);
        }
        pqf_dataset_free(ds);
    }
    fz_alloc_fini(&a);
    input_close(&in);
}

static int buf_write(void *ctx, const void *p, size_t n) {
    fz_buf_put((fz_buf *)ctx, p, n);
    return 0;
}

static void deserialize_bytes(const uint8_t *d, size_t n, size_t fail_after) {
    fz_alloc a;
    fz_alloc_init(&a, fail_after);
    pqf_allocator alc = fz_allocator(&a);
    pqf_error err;
    memset(&err, 0xFF, sizeof err);
    pqf_footer *f = pqf_footer_deserialize(d, n, &alc, &err);
    if (!f) {
        check_error(&err);
        FZ_ASSERT(a.live == 0);
    } else {
        FZ_ASSERT(err.code == PQF_OK);
        fz_buf once = {NULL, 0, 0}, twice = {NULL, 0, 0};
        FZ_ASSERT(pqf_footer_serialize(f, buf_write, &once) == PQF_OK);
        pqf_footer *g = pqf_footer_deserialize(once.p, once.n, NULL, &err);
        FZ_ASSERT(g != NULL);
        FZ_ASSERT(pqf_footer_serialize(g, buf_write, &twice) == PQF_OK);
        FZ_ASSERT(once.n == twice.n && memcmp(once.p, twice.p, once.n) == 0);
        FZ_ASSERT(pqf_footer_schema_equal(f, g));
        pqf_footer_free(g);
        fz_buf_free(&once);
        fz_buf_free(&twice);
        pqf_footer_free(f);
    }
    fz_alloc_fini(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned mode = data[0];
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    size_t fail_after = mode & 4 ? (size_t)(mode >> 3) * 3 : SIZE_MAX;
    switch (mode & 3) {
    case 0:
        load_bytes(p, n, fail_after);
        break;
    case 2:
        deserialize_bytes(p, n, fail_after);
        break;
    default: {
        uint32_t version = 2, flags = 0, nsec = NSEC;
        if ((mode & 3) == 3) {
            if (n < 12) return 0;
            version = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
            flags = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
            nsec = (uint32_t)p[8] | (uint32_t)p[9] << 8 | (uint32_t)p[10] << 16 | (uint32_t)p[11] << 24;
            p += 12;
            n -= 12;
        }
        const uint8_t *sec[NSEC];
        size_t len[NSEC];
        split(p, n, sec, len);
        size_t total;
        uint8_t *d = wrap(sec, len, version, flags, nsec, &total);
        load_bytes(d, total, fail_after);
        free(d);
        break;
    }
    }
    return 0;
}
