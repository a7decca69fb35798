/* The .pqfi sidecar index: writing it atomically and loading it back with
 * every checksum, count and bound checked. The format is described in
 * docs/index-format.md; the constants below are the ones it names. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_customMem: zstd allocates through the caller's hooks */
#include <zstd.h>

#include "dataset.h"

static const uint8_t IDX_MAGIC[8] = {'P', 'Q', 'F', 'I', 0x0D, 0x0A, 0x1A, 0x0A};
#define IDX_VERSION 2u
#define IDX_HEADER 32u
#define IDX_ENTRY 40u
#define IDX_TRAILER 8u
#define IDX_FILE_REC 72u
#define IDX_SCHEMA_REC 24u

enum {
    SEC_META = 1, SEC_FILES = 2, SEC_PATHS = 3, SEC_SCHEMAS = 4, SEC_MODELS = 5, SEC_ROWS = 6,
    SEC_SKIPPED = 7, SEC_COUNT = 7
};
enum { CODEC_STORED = 0, CODEC_ZSTD = 1 };
enum { PATH_AS_WRITTEN = 1, PATH_RELATIVE = 2 };

/* Longest path or column name the loader accepts. */
#define IDX_MAX_STRING (1u << 20)

static const char *const section_names[SEC_COUNT + 1] = {
    "", "meta", "files", "paths", "schemas", "models", "rows", "skipped"};

/* Fixed part of a skipped-file record: size, mtime, offset, code, path kind. */
#define IDX_SKIP_FIXED 32u
/* Smallest whole record: the fixed part and three string lengths. */
#define IDX_SKIP_MIN (IDX_SKIP_FIXED + 12u)

/* --------------------------------------------------------- little endian --- */

static void put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get_u64(const uint8_t *p) {
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static int buf_u32(pqf_ds_buf *b, uint32_t v) {
    uint8_t t[4];
    put_u32(t, v);
    return pqf_ds_buf_put(b, t, 4);
}
static int buf_u64(pqf_ds_buf *b, uint64_t v) {
    uint8_t t[8];
    put_u64(t, v);
    return pqf_ds_buf_put(b, t, 8);
}
static int buf_str(pqf_ds_buf *b, const char *s, size_t n) {
    if (buf_u32(b, (uint32_t)n) != 0) return -1;
    return pqf_ds_buf_put(b, s, n);
}

/* ------------------------------------------------------------ zstd memory --- */

/* zstd's free hook gets no size, so each block carries it in a 16-byte
 * header (which keeps the payload as aligned as the allocator's blocks). */
#define ZHDR 16u

static void *zstd_alloc(void *opaque, size_t size) {
    const pqf_allocator *a = opaque;
    if (size > SIZE_MAX - ZHDR) return NULL;
    uint8_t *p = pqf_ds_tmp_alloc(a, size + ZHDR);
    if (!p) return NULL;
    memcpy(p, &size, sizeof size);
    return p + ZHDR;
}

static void zstd_free(void *opaque, void *addr) {
    if (!addr) return;
    uint8_t *p = (uint8_t *)addr - ZHDR;
    size_t size;
    memcpy(&size, p, sizeof size);
    pqf_ds_tmp_free(opaque, p, size + ZHDR);
}

static ZSTD_customMem zstd_mem(const pqf_allocator *a) {
    ZSTD_customMem m = {zstd_alloc, zstd_free, (void *)a};
    return m;
}

/* ---------------------------------------------------------------- paths --- */

/* realpath() into a buffer from a, as a pqf_ds_str_free() string; NULL when
 * path cannot be resolved or memory runs out. */
static char *resolve(const pqf_allocator *a, const char *path) {
    char *buf = pqf_ds_tmp_alloc(a, PATH_MAX);
    if (!buf) return NULL;
    char *out = realpath(path, buf) ? pqf_ds_str_dup(a, buf, strlen(buf)) : NULL;
    pqf_ds_tmp_free(a, buf, PATH_MAX);
    return out;
}

/* The directory part of path ("." when it has none), as a pqf_ds_str_free()
 * string. */
static char *dir_of(const pqf_allocator *a, const char *path, size_t dl) {
    return dl ? pqf_ds_str_dup(a, path, dl) : pqf_ds_str_dup(a, ".", 1);
}

/* The directory part of path as written ("" when there is none). */
static size_t dir_len(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return 0;
    return slash == path ? 1 : (size_t)(slash - path);
}

/* Absolute form of a file path (a pqf_ds_str_free() string): its directory
 * resolved, its own name kept (a link stays a link). NULL when the directory
 * cannot be resolved. */
static char *absolute_file(const pqf_allocator *a, const char *path) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *dir = dir_of(a, path, dir_len(path));
    char *res = dir ? resolve(a, dir) : NULL;
    pqf_ds_str_free(a, dir);
    if (!res || !*base) {
        pqf_ds_str_free(a, res);
        return NULL;
    }
    size_t rl = strlen(res), bl = strlen(base);
    int slash_needed = rl == 0 || res[rl - 1] != '/';
    char *out = pqf_ds_tmp_alloc(a, rl + (size_t)slash_needed + bl + 1);
    if (out) {
        memcpy(out, res, rl);
        size_t k = rl;
        if (slash_needed) out[k++] = '/';
        memcpy(out + k, base, bl + 1);
    }
    pqf_ds_str_free(a, res);
    return out;
}

/* The part of abs below dir (both absolute and resolved), or NULL. "" when
 * they are the same. */
static const char *below(const char *abs, const char *dir) {
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/') return abs[0] == '/' ? abs + 1 : NULL;
    if (strncmp(abs, dir, n) != 0) return NULL;
    if (abs[n] == '\0') return abs + n;
    if (abs[n] != '/') return NULL;
    return abs + n + 1;
}

/* dir + "/" + rel as a pqf_ds_str_free() string, with "" standing for no
 * directory. */
static char *join(const pqf_allocator *a, const char *dir, size_t dl, const char *rel, size_t rl) {
    size_t total = dl ? dl + (rl && dir[dl - 1] != '/') + rl : rl ? rl : 1;
    char *out = pqf_ds_tmp_alloc(a, total + 1);
    if (!out) return NULL;
    size_t k = 0;
    if (dl) {
        memcpy(out, dir, dl);
        k = dl;
        if (rl && out[k - 1] != '/') out[k++] = '/';
    } else if (!rl) {
        out[k++] = '.';
    }
    memcpy(out + k, rel, rl);
    out[k + rl] = '\0';
    return out;
}

/* --------------------------------------------------------------- saving --- */

typedef struct sec_raw {
    pqf_ds_buf raw;
    uint8_t *z;   /* compressed bytes */
    size_t zlen, zcap;
} sec_raw;

static int write_all(int fd, const uint8_t *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Write bytes to path through a temporary file in the same directory and a
 * rename, so readers see the old index or the new one, never a mix. */
static pqf_code write_atomic(const pqf_allocator *a, const char *path, const uint8_t *data,
                             size_t len, pqf_error *err) {
    size_t pl = strlen(path);
    char *tmp = pqf_ds_tmp_alloc(a, pl + 64);
    if (!tmp) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return PQF_ERR_NOMEM;
    }
    int fd = -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, pl + 64, "%s.tmp-%ld-%lx", path, (long)getpid(),
                 (unsigned long)((uint64_t)ts.tv_nsec * 2654435761u + (uint64_t)attempt));
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) {
        pqf_ds_tmp_free(a, tmp, pl + 64);
        pqf_ds_error(err, PQF_ERR_IO, "cannot create the index's temporary file", 0, NULL);
        return PQF_ERR_IO;
    }
    int ok = write_all(fd, data, len) == 0 && fsync(fd) == 0;
    if (close(fd) != 0) ok = 0;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        unlink(tmp);
        pqf_ds_tmp_free(a, tmp, pl + 64);
        pqf_ds_error(err, PQF_ERR_IO, "cannot write the index", 0, NULL);
        return PQF_ERR_IO;
    }
    pqf_ds_tmp_free(a, tmp, pl + 64);
    return PQF_OK;
}

/* Store path for the index: below the index directory as a relative path,
 * else absolute when it can be resolved, else as written. */
static int put_path(pqf_ds_buf *paths, const char *path, const char *index_dir, uint32_t *kind,
                    uint32_t *len, int is_dir) {
    const pqf_allocator *a = paths->alc;
    char *abs = is_dir ? resolve(a, path) : absolute_file(a, path);
    const char *s = path;
    *kind = PATH_AS_WRITTEN;
    if (abs) {
        const char *rel = index_dir ? below(abs, index_dir) : NULL;
        if (rel) {
            s = rel;
            *kind = PATH_RELATIVE;
        } else {
            s = abs;
        }
    }
    size_t n = strlen(s);
    int rc = n > IDX_MAX_STRING || pqf_ds_buf_put(paths, s, n) != 0 ? -1 : 0;
    *len = (uint32_t)n;
    pqf_ds_str_free(a, abs);
    return rc;
}

pqf_code pqf_dataset_save(const pqf_dataset *ds, const char *index_path, pqf_error *err) {
    if (!ds || !index_path || !ds->rg_start) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "dataset or index path is NULL", 0, NULL);
        return PQF_ERR_INVALID_ARG;
    }
    const pqf_allocator *alc = &ds->alc;
    pqf_code rc = PQF_OK;
    sec_raw sec[SEC_COUNT + 1];
    memset(sec, 0, sizeof sec);
    for (int s = 1; s <= SEC_COUNT; s++) pqf_ds_buf_init(&sec[s].raw, alc);
    pqf_ds_buf out;
    pqf_ds_buf_init(&out, alc);
    ZSTD_CCtx *cctx = NULL;

    char *dir = dir_of(alc, index_path, dir_len(index_path));
    char *index_dir = dir ? resolve(alc, dir) : NULL;
    pqf_ds_str_free(alc, dir);
    if (!index_dir) {
        pqf_ds_error(err, PQF_ERR_IO, "the index's directory cannot be resolved", 0, NULL);
        return PQF_ERR_IO;
    }

    int bad = 0;
    /* meta */
    pqf_ds_buf *m = &sec[SEC_META].raw;
    const pqf_ds_opts *o = &ds->opts;
    bad |= buf_u64(m, ds->nfiles);
    bad |= buf_u64(m, ds->nschemas);
    bad |= buf_u64(m, pqf_dataset_row_group_count(ds));
    bad |= buf_u64(m, pqf_dataset_row_count(ds));
    bad |= buf_u32(m, o->flags);
    bad |= buf_u32(m, o->max_depth);
    bad |= buf_u64(m, o->max_memory);
    bad |= buf_u32(m, o->tail_size);
    bad |= buf_u32(m, (uint32_t)o->ncolumns);
    for (size_t i = 0; i < o->ncolumns; i++) bad |= buf_str(m, o->columns[i], strlen(o->columns[i]));
    bad |= buf_u32(m, (uint32_t)o->ncolumn_indexes);
    for (size_t i = 0; i < o->ncolumn_indexes; i++) bad |= buf_u32(m, o->column_indexes[i]);
    if (ds->root) {
        pqf_ds_buf rb;
        pqf_ds_buf_init(&rb, alc);
        uint32_t kind = 0, len = 0;
        bad |= put_path(&rb, ds->root, index_dir, &kind, &len, 1);
        bad |= buf_u32(m, kind);
        bad |= buf_str(m, (const char *)rb.p, rb.len);
        pqf_ds_buf_free(&rb);
    } else {
        bad |= buf_u32(m, 0);
        bad |= buf_u32(m, 0);
    }
    const char *ver = pqf_version();
    bad |= buf_str(m, ver, strlen(ver));
    bad |= buf_u32(m, o->ds_flags);
    if (o->nstats_columns || o->nstats_column_indexes) { /* statistics columns: an optional tail of meta */
        bad |= buf_u32(m, (uint32_t)o->nstats_columns);
        for (size_t i = 0; i < o->nstats_columns; i++)
            bad |= buf_str(m, o->stats_columns[i], strlen(o->stats_columns[i]));
        bad |= buf_u32(m, (uint32_t)o->nstats_column_indexes);
        for (size_t i = 0; i < o->nstats_column_indexes; i++) bad |= buf_u32(m, o->stats_column_indexes[i]);
    }

    /* skipped files, known-bad until they change */
    pqf_ds_buf *sk = &sec[SEC_SKIPPED].raw;
    bad |= buf_u64(sk, ds->nfailures);
    for (size_t i = 0; i < ds->nfailures && !bad; i++) {
        const pqf_ds_failure *f = &ds->failures[i];
        pqf_ds_buf pb;
        pqf_ds_buf_init(&pb, alc);
        uint32_t kind = 0, plen = 0;
        bad |= put_path(&pb, f->path, index_dir, &kind, &plen, 0);
        const char *msg = f->err.msg ? f->err.msg : pqf_strerror(f->err.code);
        size_t mlen = strlen(msg);
        if (mlen == 0) msg = pqf_strerror(f->err.code), mlen = strlen(msg);
        bad |= buf_u64(sk, f->size);
        bad |= buf_u64(sk, (uint64_t)f->mtime_ns);
        bad |= buf_u64(sk, f->err.offset);
        bad |= buf_u32(sk, (uint32_t)f->err.code);
        bad |= buf_u32(sk, kind);
        bad |= buf_str(sk, (const char *)pb.p, pb.len);
        bad |= buf_str(sk, msg, mlen > IDX_MAX_STRING ? IDX_MAX_STRING : mlen);
        bad |= buf_str(sk, f->err.path, strnlen(f->err.path, sizeof f->err.path - 1));
        pqf_ds_buf_free(&pb);
    }

    /* files, paths, models */
    for (size_t i = 0; i < ds->nfiles && !bad; i++) {
        const pqf_ds_file *fi = &ds->files[i];
        uint32_t kind = 0, plen = 0;
        bad |= put_path(&sec[SEC_PATHS].raw, pqf_ds_path(ds, i), index_dir, &kind, &plen, 0);
        size_t before = sec[SEC_MODELS].raw.len;
        if (pqf_footer_serialize(fi->footer, pqf_ds_buf_write, &sec[SEC_MODELS].raw) != PQF_OK)
            bad = 1;
        size_t mlen = sec[SEC_MODELS].raw.len - before;
        if (mlen > UINT32_MAX) bad = 1;
        uint8_t rec[IDX_FILE_REC];
        memset(rec, 0, sizeof rec);
        uint64_t nrg = ds->rg_start[i + 1] - ds->rg_start[i];
        uint64_t rows = ds->row_start[i + 1] - ds->row_start[i];
        put_u64(rec + 0, fi->size);
        put_u64(rec + 8, (uint64_t)fi->mtime_ns);
        put_u64(rec + 16, fi->footer_hash);
        put_u64(rec + 24, nrg);
        put_u64(rec + 32, rows);
        put_u32(rec + 40, fi->footer_len);
        put_u32(rec + 44, fi->schema);
        put_u32(rec + 48, (uint32_t)mlen);
        put_u32(rec + 52, plen);
        put_u32(rec + 56, kind);
        put_u64(rec + 64, fi->row_prefix ? 0 : fi->rows_per_rg);
        bad |= pqf_ds_buf_put(&sec[SEC_FILES].raw, rec, sizeof rec);
        /* Row counts of each group, only for files whose groups differ. */
        for (uint64_t g = 0; fi->row_prefix && g < nrg && !bad; g++)
            bad |= buf_u64(&sec[SEC_ROWS].raw, fi->row_prefix[2 + g] - fi->row_prefix[1 + g]);
    }
    /* schemas */
    for (size_t s = 0; s < ds->nschemas && !bad; s++) {
        const pqf_ds_schema *sc = &ds->schemas[s];
        const pqf_footer *rep = ds->files[sc->rep].footer;
        uint8_t rec[IDX_SCHEMA_REC];
        put_u64(rec, sc->hash);
        put_u32(rec + 8, sc->rep);
        put_u32(rec + 12, sc->nfiles);
        put_u32(rec + 16, (uint32_t)pqf_column_count(rep));
        put_u32(rec + 20, (uint32_t)pqf_projected_count(rep));
        bad |= pqf_ds_buf_put(&sec[SEC_SCHEMAS].raw, rec, sizeof rec);
    }
    pqf_ds_str_free(alc, index_dir);
    if (bad) {
        rc = PQF_ERR_NOMEM;
        pqf_ds_error(err, rc, "out of memory while writing the index", 0, NULL);
        goto done;
    }

    /* compress */
    cctx = ZSTD_createCCtx_advanced(zstd_mem(alc));
    if (!cctx) {
        rc = PQF_ERR_NOMEM;
        pqf_ds_error(err, rc, "out of memory", 0, NULL);
        goto done;
    }
    size_t total = IDX_HEADER + SEC_COUNT * IDX_ENTRY + IDX_TRAILER;
    for (int s = 1; s <= SEC_COUNT; s++) {
        const pqf_ds_buf *r = &sec[s].raw;
        size_t bound = ZSTD_compressBound(r->len);
        sec[s].zcap = bound;
        sec[s].z = pqf_ds_tmp_alloc(alc, bound ? bound : 1);
        if (!sec[s].z) {
            rc = PQF_ERR_NOMEM;
            pqf_ds_error(err, rc, "out of memory", 0, NULL);
            goto done;
        }
        ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, s == SEC_MODELS ? 9 : 6);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1);
        size_t z = ZSTD_compress2(cctx, sec[s].z, bound, r->p ? r->p : (const uint8_t *)"", r->len);
        if (ZSTD_isError(z)) {
            rc = PQF_ERR_NOMEM;
            pqf_ds_error(err, rc, "compressing an index section failed", 0, NULL);
            goto done;
        }
        sec[s].zlen = z;
        total += z;
    }

    /* assemble */
    if (pqf_ds_buf_reserve(&out, total) != 0) {
        rc = PQF_ERR_NOMEM;
        pqf_ds_error(err, rc, "out of memory", 0, NULL);
        goto done;
    }
    uint8_t *h = out.p;
    memset(h, 0, IDX_HEADER + SEC_COUNT * IDX_ENTRY);
    memcpy(h, IDX_MAGIC, 8);
    put_u32(h + 8, IDX_VERSION);
    put_u32(h + 12, 0);
    put_u64(h + 16, total);
    put_u32(h + 24, SEC_COUNT);
    put_u32(h + 28, IDX_HEADER + SEC_COUNT * IDX_ENTRY);
    size_t off = IDX_HEADER + SEC_COUNT * IDX_ENTRY;
    for (int s = 1; s <= SEC_COUNT; s++) {
        uint8_t *e = h + IDX_HEADER + (size_t)(s - 1) * IDX_ENTRY;
        put_u32(e, (uint32_t)s);
        put_u32(e + 4, CODEC_ZSTD);
        put_u64(e + 8, off);
        put_u64(e + 16, sec[s].zlen);
        put_u64(e + 24, sec[s].raw.len);
        put_u64(e + 32, XXH64(sec[s].raw.p ? sec[s].raw.p : (const uint8_t *)"", sec[s].raw.len, 0));
        memcpy(h + off, sec[s].z, sec[s].zlen);
        off += sec[s].zlen;
    }
    put_u64(h + off, XXH64(h, off, 0));
    out.len = total;
    rc = write_atomic(alc, index_path, out.p, out.len, err);
    if (rc == PQF_OK) pqf_ds_error(err, PQF_OK, "ok", 0, NULL);

done:
    ZSTD_freeCCtx(cctx);
    for (int s = 1; s <= SEC_COUNT; s++) {
        pqf_ds_buf_free(&sec[s].raw);
        pqf_ds_tmp_free(alc, sec[s].z, sec[s].zcap ? sec[s].zcap : 1);
    }
    pqf_ds_buf_free(&out);
    return rc;
}

/* -------------------------------------------------------------- loading --- */

/* A bounded reader over one decompressed section. */
typedef struct rd {
    const uint8_t *p, *end;
    int bad;
} rd;

static uint64_t rd_u64(rd *r) {
    if (r->bad || (size_t)(r->end - r->p) < 8) {
        r->bad = 1;
        return 0;
    }
    uint64_t v = get_u64(r->p);
    r->p += 8;
    return v;
}
static uint32_t rd_u32(rd *r) {
    if (r->bad || (size_t)(r->end - r->p) < 4) {
        r->bad = 1;
        return 0;
    }
    uint32_t v = get_u32(r->p);
    r->p += 4;
    return v;
}
/* A u32-length-prefixed string without NUL bytes; points into the section. */
static const char *rd_str(rd *r, uint32_t *len) {
    uint32_t n = rd_u32(r);
    if (r->bad || n > IDX_MAX_STRING || n > (size_t)(r->end - r->p) || memchr(r->p, 0, n)) {
        r->bad = 1;
        return NULL;
    }
    const char *s = (const char *)r->p;
    r->p += n;
    *len = n;
    return s;
}

typedef struct loaded_sec {
    const uint8_t *raw;   /* decompressed bytes (or into the file when stored) */
    uint8_t *owned;       /* what to free */
    size_t len, owned_size;
} loaded_sec;

static pqf_code fail(pqf_error *err, pqf_code code, const char *msg, uint64_t off,
                     const char *where) {
    pqf_ds_error(err, code, msg, off, where);
    return code;
}

/* Decompress one zstd section of exactly raw_len bytes. */
static pqf_code inflate_section(const pqf_allocator *alc, const uint8_t *src, size_t n,
                                uint64_t raw_len, loaded_sec *out, uint64_t off, const char *name,
                                pqf_error *err) {
    unsigned long long fcs = ZSTD_getFrameContentSize(src, n);
    if (fcs == ZSTD_CONTENTSIZE_ERROR || fcs == ZSTD_CONTENTSIZE_UNKNOWN || fcs != raw_len)
        return fail(err, PQF_ERR_MALFORMED, "index section is not a zstd frame of its stated size",
                    off, name);
    if (raw_len > SIZE_MAX - 1)
        return fail(err, PQF_ERR_LIMIT, "index section too large", off, name);
    /* Allocate what the frame could plausibly hold, and grow while the data
     * proves it is larger: a few stored bytes cannot demand gigabytes. */
    size_t cap = (size_t)raw_len;
    size_t plausible = n > (SIZE_MAX - (1u << 20)) / 64 ? SIZE_MAX : n * 64 + (1u << 20);
    if (cap > plausible) cap = plausible;
    uint8_t *dst = pqf_ds_tmp_alloc(alc, cap ? cap : 1);
    if (!dst) return fail(err, PQF_ERR_NOMEM, "out of memory", off, name);
    size_t got = 0;
    if (cap == raw_len) {
        ZSTD_DCtx *dc = ZSTD_createDCtx_advanced(zstd_mem(alc));
        if (!dc) {
            pqf_ds_tmp_free(alc, dst, cap ? cap : 1);
            return fail(err, PQF_ERR_NOMEM, "out of memory", off, name);
        }
        size_t r = ZSTD_decompressDCtx(dc, dst, cap, src, n);
        ZSTD_freeDCtx(dc);
        if (ZSTD_isError(r) || r != raw_len) {
            pqf_ds_tmp_free(alc, dst, cap ? cap : 1);
            return fail(err, PQF_ERR_MALFORMED, "index section does not decompress", off, name);
        }
        got = r;
    } else {
        ZSTD_DStream *zs = ZSTD_createDStream_advanced(zstd_mem(alc));
        if (!zs) {
            pqf_ds_tmp_free(alc, dst, cap);
            return fail(err, PQF_ERR_NOMEM, "out of memory", off, name);
        }
        ZSTD_inBuffer in = {src, n, 0};
        pqf_code rc = PQF_OK;
        for (;;) {
            ZSTD_outBuffer ob = {dst, cap, got};
            size_t r = ZSTD_decompressStream(zs, &ob, &in);
            got = ob.pos;
            if (ZSTD_isError(r)) {
                rc = PQF_ERR_MALFORMED;
                break;
            }
            if (r == 0) break; /* frame complete */
            if (got == cap) {
                if (cap == raw_len) { /* more output than stated */
                    rc = PQF_ERR_MALFORMED;
                    break;
                }
                size_t ncap = cap > (size_t)raw_len / 2 ? (size_t)raw_len : cap * 2;
                uint8_t *nd = pqf_ds_tmp_alloc(alc, ncap);
                if (!nd) {
                    rc = PQF_ERR_NOMEM;
                    break;
                }
                memcpy(nd, dst, got);
                pqf_ds_tmp_free(alc, dst, cap);
                dst = nd;
                cap = ncap;
            } else if (in.pos == in.size) {
                rc = PQF_ERR_MALFORMED; /* input ended inside the frame */
                break;
            }
        }
        ZSTD_freeDStream(zs);
        if (rc == PQF_OK && (got != raw_len || in.pos != in.size)) rc = PQF_ERR_MALFORMED;
        if (rc != PQF_OK) {
            pqf_ds_tmp_free(alc, dst, cap);
            return fail(err, rc, rc == PQF_ERR_NOMEM ? "out of memory" : "index section does not decompress",
                        off, name);
        }
    }
    out->raw = dst;
    out->owned = dst;
    out->owned_size = cap ? cap : 1;
    out->len = got;
    return PQF_OK;
}

/* Read the whole index file into memory. */
static pqf_code read_index(const char *path, const pqf_allocator *alc, uint8_t **data, size_t *len,
                           pqf_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return fail(err, PQF_ERR_IO, errno == ENOENT ? "index file not found" : "cannot open the index",
                    0, NULL);
    }
    struct stat st;
    int stat_ok = fstat(fd, &st) == 0;
    if (!stat_ok || !S_ISREG(st.st_mode)) {
        int e = !stat_ok ? errno : S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        close(fd);
        errno = e;
        return fail(err, PQF_ERR_IO, "the index is not a regular file", 0, NULL);
    }
    if ((uint64_t)st.st_size > SIZE_MAX - 1) {
        close(fd);
        return fail(err, PQF_ERR_LIMIT, "index file too large", 0, NULL);
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = pqf_ds_tmp_alloc(alc, n ? n : 1);
    if (!buf) {
        close(fd);
        return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (got != n) {
        pqf_ds_tmp_free(alc, buf, n ? n : 1);
        return fail(err, PQF_ERR_IO, "cannot read the index", 0, NULL);
    }
    *data = buf;
    *len = n;
    return PQF_OK;
}

/* Check the container (header, section table, checksums) and inflate the
 * sections. sec[1..SEC_COUNT] are filled on success. */
static pqf_code open_container(const pqf_allocator *alc, const uint8_t *d, size_t n,
                               loaded_sec *sec, pqf_error *err) {
    size_t m = n < 8 ? n : 8;
    if (memcmp(d, IDX_MAGIC, m) != 0)
        return fail(err, PQF_ERR_MALFORMED, "not a pqfoot index (bad magic)", 0, NULL);
    if (n < IDX_HEADER + IDX_TRAILER) {
        pqf_code c = fail(err, PQF_ERR_TRUNCATED, "index truncated", n, "header");
        if (err) err->needed = IDX_HEADER + IDX_TRAILER;
        return c;
    }
    uint32_t version = get_u32(d + 8), flags = get_u32(d + 12);
    uint64_t total = get_u64(d + 16);
    uint32_t nsec = get_u32(d + 24), hlen = get_u32(d + 28);
    if (version != IDX_VERSION)
        return fail(err, PQF_ERR_MALFORMED, "unsupported index version", 8, "header.version");
    if (flags != 0) return fail(err, PQF_ERR_MALFORMED, "unknown index flags", 12, "header.flags");
    if (total > n) {
        pqf_code c = fail(err, PQF_ERR_TRUNCATED, "index truncated", n, NULL);
        if (err) err->needed = total;
        return c;
    }
    if (total < n) return fail(err, PQF_ERR_MALFORMED, "bytes after the end of the index", total, NULL);
    if (XXH64(d, n - IDX_TRAILER, 0) != get_u64(d + n - IDX_TRAILER))
        return fail(err, PQF_ERR_MALFORMED, "index checksum mismatch", n - IDX_TRAILER, "trailer");
    if (nsec != SEC_COUNT)
        return fail(err, PQF_ERR_MALFORMED, "wrong number of index sections", 24, "header.sections");
    if (hlen != IDX_HEADER + (uint64_t)nsec * IDX_ENTRY || hlen > n - IDX_TRAILER)
        return fail(err, PQF_ERR_MALFORMED, "bad index header length", 28, "header.length");
    uint64_t expect = hlen;
    for (uint32_t i = 0; i < nsec; i++) {
        const uint8_t *e = d + IDX_HEADER + (size_t)i * IDX_ENTRY;
        uint64_t eoff = IDX_HEADER + (uint64_t)i * IDX_ENTRY;
        uint32_t id = get_u32(e), codec = get_u32(e + 4);
        uint64_t off = get_u64(e + 8), zlen = get_u64(e + 16), rlen = get_u64(e + 24);
        uint64_t sum = get_u64(e + 32);
        if (id != i + 1)
            return fail(err, PQF_ERR_MALFORMED, "unknown or misplaced index section", eoff, NULL);
        const char *name = section_names[id];
        if (off != expect || zlen > n - IDX_TRAILER - off)
            return fail(err, PQF_ERR_MALFORMED, "index section out of bounds", eoff + 8, name);
        expect = off + zlen;
        loaded_sec *s = &sec[id];
        if (codec == CODEC_STORED) {
            if (rlen != zlen)
                return fail(err, PQF_ERR_MALFORMED, "stored index section has the wrong size", eoff + 24,
                            name);
            s->raw = d + off;
            s->len = (size_t)zlen;
        } else if (codec == CODEC_ZSTD) {
            pqf_code rc = inflate_section(alc, d + off, (size_t)zlen, rlen, s, off, name, err);
            if (rc != PQF_OK) return rc;
        } else {
            return fail(err, PQF_ERR_MALFORMED, "unknown index section codec", eoff + 4, name);
        }
        if (XXH64(s->raw, s->len, 0) != sum)
            return fail(err, PQF_ERR_MALFORMED, "index section checksum mismatch", eoff + 32, name);
    }
    if (expect != n - IDX_TRAILER)
        return fail(err, PQF_ERR_MALFORMED, "unaccounted bytes between the sections and the trailer",
                    expect, NULL);
    return PQF_OK;
}

/* Append a and b to the NUL-terminated string in dst (size bytes), cutting
 * what does not fit. */
static void append(char *dst, size_t size, const char *a, const char *b) {
    size_t k = strlen(dst);
    for (const char *s = a; *s && k + 1 < size; s++) dst[k++] = *s;
    for (const char *s = b; *s && k + 1 < size; s++) dst[k++] = *s;
    dst[k] = '\0';
}

/*
 * A file's row layout from the index: rows_per_rg for groups of one size (the
 * last may be smaller), or 0 with rows > 0 when the sizes differ, their
 * counts then coming from the rows section. The layout is covered by the
 * checksums and checked for consistency with the totals, so addressing never
 * leaves the file's row groups; it is not re-derived from the footers (that
 * would cost more than the rest of the load).
 */
static pqf_code row_layout(const pqf_allocator *alc, uint64_t nrg, uint64_t rows, uint64_t per,
                           rd *rowsec, pqf_ds_entry *e, const char *where, pqf_error *err) {
    e->rows = rows;
    e->rows_per_rg = per;
    e->row_prefix = NULL;
    if (rows > (uint64_t)INT64_MAX)
        return fail(err, PQF_ERR_MALFORMED, "row count out of range", 0, where);
    if (per == 0 && rows == 0) return PQF_OK; /* nothing to address */
    if (nrg == 0)
        return fail(err, PQF_ERR_MALFORMED, "rows without row groups", 0, where);
    if (per) {
        /* rows = per * (nrg - 1) + last, 0 <= last <= per */
        uint64_t full = nrg - 1;
        if (full && per > rows / full)
            return fail(err, PQF_ERR_MALFORMED, "row layout disagrees with the row count", 0, where);
        uint64_t last = rows - per * full;
        if (last > per)
            return fail(err, PQF_ERR_MALFORMED, "row layout disagrees with the row count", 0, where);
        return PQF_OK;
    }
    if (nrg > (size_t)(rowsec->end - rowsec->p) / 8)
        return fail(err, PQF_ERR_MALFORMED, "row section too short", 0, where);
    uint64_t *blk = pqf_ds_tmp_alloc(alc, pqf_ds_prefix_size(nrg));
    if (!blk) return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
    blk[0] = nrg;
    uint64_t acc = 0;
    for (uint64_t g = 0; g < nrg; g++) {
        uint64_t v = rd_u64(rowsec);
        blk[1 + g] = acc;
        if (v > rows - acc) {
            pqf_ds_tmp_free(alc, blk, pqf_ds_prefix_size(nrg));
            return fail(err, PQF_ERR_MALFORMED, "row layout disagrees with the row count", 0, where);
        }
        acc += v;
    }
    blk[1 + nrg] = acc;
    e->row_prefix = blk;
    if (acc != rows) {
        pqf_ds_entry_clear(alc, e);
        return fail(err, PQF_ERR_MALFORMED, "row layout disagrees with the row count", 0, where);
    }
    return PQF_OK;
}

/* The skipped (known-bad) files: a u64 count, then per file size, mtime,
 * offset (u64 each), code, path kind (u32 each), path, message and error
 * place (strings). Every field is checked before it is used. */
static pqf_code load_skipped(pqf_dataset *ds, const loaded_sec *sec, const char *dir, size_t dl,
                             pqf_error *err) {
    rd r = {sec->raw, sec->raw + sec->len, 0};
    uint64_t n = rd_u64(&r);
    if (r.bad || n > (size_t)(r.end - r.p) / IDX_SKIP_MIN)
        return fail(err, PQF_ERR_MALFORMED, "skipped-file count does not match its section", 0,
                    "skipped");
    char where[64];
    for (uint64_t i = 0; i < n; i++) {
        snprintf(where, sizeof where, "skipped[%llu]", (unsigned long long)i);
        uint64_t size = rd_u64(&r), mtime = rd_u64(&r), off = rd_u64(&r);
        uint32_t code = rd_u32(&r), kind = rd_u32(&r);
        uint32_t plen = 0, mlen = 0, wlen = 0;
        const char *path = rd_str(&r, &plen);
        const char *msg = rd_str(&r, &mlen);
        const char *place = rd_str(&r, &wlen);
        if (r.bad) return fail(err, PQF_ERR_MALFORMED, "skipped-file record is cut short", 0, where);
        if (code == PQF_OK || code >= PQF_ERR__COUNT || plen == 0 || mlen == 0 ||
            wlen >= sizeof ((pqf_error *)0)->path || (kind != PATH_AS_WRITTEN && kind != PATH_RELATIVE) ||
            (kind == PATH_RELATIVE && path[0] == '/'))
            return fail(err, PQF_ERR_MALFORMED, "bad skipped-file record in the index", 0, where);
        pqf_error e;
        memset(&e, 0, sizeof e);
        e.code = (pqf_code)code;
        e.offset = off;
        memcpy(e.path, place, wlen);
        e.path[wlen] = '\0';
        char *full = kind == PATH_RELATIVE ? join(&ds->alc, dir, dl, path, plen)
                                           : join(&ds->alc, "", 0, path, plen);
        int bad = !full || pqf_ds_add_failure(ds, full, &e, size, (int64_t)mtime, msg, mlen) != 0;
        pqf_ds_str_free(&ds->alc, full);
        if (bad) return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
    }
    if (r.p != r.end) return fail(err, PQF_ERR_MALFORMED, "unused bytes in the skipped section", 0, "skipped");
    return PQF_OK;
}

/* A list of column names then a list of leaf indexes, as meta stores them
 * (u32 count, strings; u32 count, u32s), copied into NUL-terminated names. */
typedef struct name_list {
    const char **cols;
    char *names;
    uint32_t *idx;
    uint32_t ncols, nidx;
    size_t names_len;
} name_list;

static void free_lists(const pqf_allocator *alc, name_list *l) {
    if (l->cols) pqf_ds_tmp_free(alc, l->cols, l->ncols * sizeof *l->cols);
    if (l->names) pqf_ds_tmp_free(alc, l->names, l->names_len ? l->names_len : 1);
    if (l->idx) pqf_ds_tmp_free(alc, l->idx, (size_t)l->nidx * sizeof *l->idx);
    memset(l, 0, sizeof *l);
}

/* 0, -1 when the bytes are cut short or bad, -2 without memory (l freed on failure). */
static int read_lists(rd *meta, const pqf_allocator *alc, name_list *l) {
    memset(l, 0, sizeof *l);
    uint32_t ncol = rd_u32(meta);
    if (meta->bad || ncol > (size_t)(meta->end - meta->p) / 4) return -1;
    rd probe = *meta;
    for (uint32_t i = 0; i < ncol; i++) {
        uint32_t n = 0;
        rd_str(&probe, &n);
        l->names_len += (size_t)n + 1;
    }
    if (probe.bad) return -1;
    l->ncols = ncol;
    l->cols = ncol ? pqf_ds_tmp_alloc(alc, ncol * sizeof *l->cols) : NULL;
    l->names = pqf_ds_tmp_alloc(alc, l->names_len ? l->names_len : 1);
    if ((ncol && !l->cols) || !l->names) {
        free_lists(alc, l);
        return -2;
    }
    char *q = l->names;
    for (uint32_t i = 0; i < ncol; i++) {
        uint32_t n = 0;
        const char *str = rd_str(meta, &n);
        memcpy(q, str, n);
        q[n] = '\0';
        l->cols[i] = q;
        q += n + 1;
    }
    uint32_t nidx = rd_u32(meta);
    if (meta->bad || nidx > (size_t)(meta->end - meta->p) / 4) {
        free_lists(alc, l);
        return -1;
    }
    if (nidx) {
        l->idx = pqf_ds_tmp_alloc(alc, (size_t)nidx * sizeof *l->idx);
        if (!l->idx) {
            free_lists(alc, l);
            return -2;
        }
        l->nidx = nidx;
        for (uint32_t i = 0; i < nidx; i++) l->idx[i] = rd_u32(meta);
    }
    return 0;
}

/* Build the dataset from checked sections. dir/dl: the index's directory as
 * written, for relative paths. */
static pqf_code load_sections(pqf_dataset *ds, const loaded_sec *sec, const char *dir, size_t dl,
                              pqf_error *err) {
    char where[64];
    rd meta = {sec[SEC_META].raw, sec[SEC_META].raw + sec[SEC_META].len, 0};
    uint64_t nfiles = rd_u64(&meta), nschemas = rd_u64(&meta);
    uint64_t total_rg = rd_u64(&meta), total_rows = rd_u64(&meta);
    pqf_options o;
    memset(&o, 0, sizeof o);
    o.flags = rd_u32(&meta);
    o.max_depth = rd_u32(&meta);
    o.max_memory = rd_u64(&meta);
    o.tail_size = rd_u32(&meta);
    const pqf_allocator *alc = &ds->alc;
    name_list cl;
    int lrc = read_lists(&meta, alc, &cl);
    if (lrc == -2) return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
    if (lrc) return fail(err, PQF_ERR_MALFORMED, "index metadata is cut short", 0, "meta.columns");
    o.columns = cl.cols;
    o.num_columns = cl.ncols;
    o.column_indexes = cl.idx;
    o.num_column_indexes = cl.nidx;
    int setrc = pqf_ds_set_opts(ds, &o);
    free_lists(alc, &cl);
    if (setrc != 0) return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);

    uint32_t root_kind = rd_u32(&meta), root_len = 0;
    const char *root = rd_str(&meta, &root_len);
    uint32_t ver_len = 0;
    (void)rd_str(&meta, &ver_len);
    uint32_t ds_flags = rd_u32(&meta);
    if (!meta.bad && (ds_flags & ~(uint32_t)PQF_DS_PROJECT_EXISTING))
        return fail(err, PQF_ERR_MALFORMED, "unknown dataset flags in the index", 0, "meta.ds_flags");
    ds->opts.ds_flags = ds_flags;
    if (!meta.bad && meta.p != meta.end) { /* the statistics columns (absent: none were asked for) */
        name_list sl;
        lrc = read_lists(&meta, alc, &sl);
        if (lrc == -2) return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        if (lrc) return fail(err, PQF_ERR_MALFORMED, "index metadata is cut short", 0, "meta.stats_columns");
        if (sl.ncols == 0 && sl.nidx == 0) {
            free_lists(alc, &sl);
            return fail(err, PQF_ERR_MALFORMED, "empty statistics column lists in the index", 0, "meta.stats_columns");
        }
        pqf_options so;
        pqf_ds_get_opts(ds, &so);
        so.stats_columns = sl.cols;
        so.num_stats_columns = sl.ncols;
        so.stats_column_indexes = sl.idx;
        so.num_stats_column_indexes = sl.nidx;
        setrc = pqf_ds_set_opts(ds, &so);
        free_lists(alc, &sl);
        if (setrc != 0) return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
    }
    if (meta.bad || meta.p != meta.end)
        return fail(err, PQF_ERR_MALFORMED, "index metadata has the wrong length", 0, "meta");
    if (root_kind > PATH_RELATIVE || (root_kind == 0 && root_len != 0) ||
        (root_kind == PATH_AS_WRITTEN && root_len == 0) ||
        (root_kind == PATH_RELATIVE && root_len && root[0] == '/'))
        return fail(err, PQF_ERR_MALFORMED, "bad root directory in the index", 0, "meta.root");
    if (root_kind) {
        char *r = root_kind == PATH_RELATIVE ? join(alc, dir, dl, root, root_len)
                                             : join(alc, "", 0, root, root_len);
        if (!r || pqf_ds_set_root(ds, r) != 0) {
            pqf_ds_str_free(alc, r);
            return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        }
        pqf_ds_str_free(alc, r);
    }

    /* counts against the bytes present */
    if (nfiles > sec[SEC_FILES].len / IDX_FILE_REC || nfiles * IDX_FILE_REC != sec[SEC_FILES].len ||
        nfiles >= UINT32_MAX)
        return fail(err, PQF_ERR_MALFORMED, "file count does not match the file table", 0, "meta.files");
    if (nschemas > sec[SEC_SCHEMAS].len / IDX_SCHEMA_REC ||
        nschemas * IDX_SCHEMA_REC != sec[SEC_SCHEMAS].len || nschemas > nfiles ||
        (nfiles > 0 && nschemas == 0))
        return fail(err, PQF_ERR_MALFORMED, "schema count does not match the schema table", 0,
                    "meta.schemas");
    if (pqf_ds_reserve(ds, (size_t)nfiles, sec[SEC_PATHS].len + (size_t)nfiles * (dl + 2)) != 0)
        return fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);

    const uint8_t *srec = sec[SEC_SCHEMAS].raw;
    rd paths = {sec[SEC_PATHS].raw, sec[SEC_PATHS].raw + sec[SEC_PATHS].len, 0};
    rd models = {sec[SEC_MODELS].raw, sec[SEC_MODELS].raw + sec[SEC_MODELS].len, 0};
    rd rowsec = {sec[SEC_ROWS].raw, sec[SEC_ROWS].raw + sec[SEC_ROWS].len, 0};
    uint64_t sum_rg = 0, sum_rows = 0;
    for (size_t i = 0; i < (size_t)nfiles; i++) {
        const uint8_t *r = sec[SEC_FILES].raw + i * IDX_FILE_REC;
        pqf_ds_entry e;
        memset(&e, 0, sizeof e);
        e.size = get_u64(r);
        e.mtime_ns = (int64_t)get_u64(r + 8);
        e.footer_hash = get_u64(r + 16);
        uint64_t nrg = get_u64(r + 24), rows = get_u64(r + 32);
        e.footer_len = get_u32(r + 40);
        uint32_t sid = get_u32(r + 44), mlen = get_u32(r + 48), plen = get_u32(r + 52);
        uint32_t kind = get_u32(r + 56), reserved = get_u32(r + 60);
        snprintf(where, sizeof where, "files[%zu]", i);
        if (reserved != 0 || (kind != PATH_AS_WRITTEN && kind != PATH_RELATIVE))
            return fail(err, PQF_ERR_MALFORMED, "bad file record in the index", 0, where);
        if (plen == 0 || plen > IDX_MAX_STRING || plen > (size_t)(paths.end - paths.p) ||
            memchr(paths.p, 0, plen) || (kind == PATH_RELATIVE && paths.p[0] == '/'))
            return fail(err, PQF_ERR_MALFORMED, "bad path in the index", 0, where);
        if (mlen > (size_t)(models.end - models.p))
            return fail(err, PQF_ERR_MALFORMED, "file's model runs past the model section", 0, where);
        if (sid >= nschemas)
            return fail(err, PQF_ERR_MALFORMED, "file's schema id out of range", 0, where);
        const uint8_t *sr = srec + (size_t)sid * IDX_SCHEMA_REC;
        uint32_t first = get_u32(sr + 8);
        if (sid == ds->nschemas ? first != i : (sid > ds->nschemas || first >= i))
            return fail(err, PQF_ERR_MALFORMED, "schema ids out of order", 0, where);

        uint64_t per = get_u64(r + 64);
        pqf_code rc = row_layout(&ds->alc, nrg, rows, per, &rowsec, &e, where, err);
        if (rc != PQF_OK) return rc;
        pqf_error ferr;
        e.footer = pqf_footer_deserialize(models.p, mlen, &ds->alc, &ferr);
        if (!e.footer) {
            pqf_ds_entry_clear(&ds->alc, &e);
            pqf_ds_error(err, ferr.code, ferr.msg, ferr.offset, where);
            if (ferr.path[0] && err) append(err->path, sizeof err->path, ".model.", ferr.path);
            return ferr.code;
        }
        models.p += mlen;
        if (pqf_row_group_count(e.footer) != nrg || pqf_footer_serialized_size(e.footer) != e.footer_len ||
            pqf_footer_schema_hash(e.footer) != get_u64(sr))
            rc = fail(err, PQF_ERR_MALFORMED, "file record disagrees with its model", 0, where);
        if (rc == PQF_OK && (sum_rg > UINT64_MAX - nrg || sum_rows > (uint64_t)INT64_MAX - rows))
            rc = fail(err, PQF_ERR_MALFORMED, "row totals overflow", 0, where);
        char *path = NULL;
        if (rc == PQF_OK) {
            path = kind == PATH_RELATIVE ? join(alc, dir, dl, (const char *)paths.p, plen)
                                         : join(alc, "", 0, (const char *)paths.p, plen);
            if (!path) rc = fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        }
        if (rc == PQF_OK) {
            rc = pqf_ds_append(ds, path, &e, NULL, sid, err);
            if (rc != PQF_OK && err) snprintf(err->path, sizeof err->path, "%s", where);
        }
        pqf_ds_str_free(alc, path);
        if (rc != PQF_OK) {
            pqf_ds_entry_clear(&ds->alc, &e);
            return rc;
        }
        paths.p += plen;
        sum_rg += nrg;
        sum_rows += rows;
    }
    if (paths.p != paths.end) return fail(err, PQF_ERR_MALFORMED, "unused bytes in the path section", 0, "paths");
    if (models.p != models.end)
        return fail(err, PQF_ERR_MALFORMED, "unused bytes in the model section", 0, "models");
    if (rowsec.p != rowsec.end)
        return fail(err, PQF_ERR_MALFORMED, "unused bytes in the row section", 0, "rows");
    if (ds->nschemas != nschemas)
        return fail(err, PQF_ERR_MALFORMED, "schema table lists schemas no file uses", 0, "schemas");
    for (size_t s = 0; s < ds->nschemas; s++) {
        const uint8_t *sr = srec + s * IDX_SCHEMA_REC;
        const pqf_footer *rep = ds->files[ds->schemas[s].rep].footer;
        if (get_u32(sr + 12) != ds->schemas[s].nfiles || get_u32(sr + 16) != pqf_column_count(rep) ||
            get_u32(sr + 20) != pqf_projected_count(rep)) {
            snprintf(where, sizeof where, "schemas[%zu]", s);
            return fail(err, PQF_ERR_MALFORMED, "schema record disagrees with its files", 0, where);
        }
    }
    if (sum_rg != total_rg || sum_rows != total_rows)
        return fail(err, PQF_ERR_MALFORMED, "totals disagree with the files", 0, "meta");
    pqf_code rc = load_skipped(ds, &sec[SEC_SKIPPED], dir, dl, err);
    if (rc != PQF_OK) return rc;
    return pqf_ds_finish(ds, err);
}

pqf_dataset *pqf_dataset_load(const char *index_path, const pqf_allocator *alloc, pqf_error *err) {
    if (!index_path) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "index path is NULL", 0, NULL);
        return NULL;
    }
    pqf_allocator alc;
    alc = pqf_allocator_resolve(alloc);
    uint8_t *data = NULL;
    size_t len = 0;
    if (read_index(index_path, &alc, &data, &len, err) != PQF_OK) return NULL;
    loaded_sec sec[SEC_COUNT + 1];
    memset(sec, 0, sizeof sec);
    pqf_dataset *ds = NULL;
    pqf_code rc = open_container(&alc, data, len, sec, err);
    if (rc == PQF_OK) {
        ds = pqf_ds_new(&alc);
        if (!ds) rc = fail(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
    }
    if (rc == PQF_OK) {
        size_t dl = dir_len(index_path);
        rc = load_sections(ds, sec, index_path, dl, err);
    }
    for (int s = 1; s <= SEC_COUNT; s++) pqf_ds_tmp_free(&alc, sec[s].owned, sec[s].owned_size);
    pqf_ds_tmp_free(&alc, data, len ? len : 1);
    if (rc != PQF_OK) {
        pqf_dataset_free(ds);
        return NULL;
    }
    pqf_ds_error(err, PQF_OK, "ok", 0, NULL);
    return ds;
}
