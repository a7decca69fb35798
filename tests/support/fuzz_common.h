/*
 * fuzz_common.h -- helpers shared by the fuzz harnesses and tests/test_hardening.c (C11 and C++17).
 *
 *   FZ_ASSERT          abort with file:line and the condition (a "crash" for libFuzzer)
 *   fz_buf             growable byte buffer
 *   fz_alloc           pqf_allocator that counts bytes, remembers every live block,
 *                      checks the size handed to free(), and can fail after N allocations
 *   fz_dump            every accessor's output for a footer, as bytes (to compare decodes)
 *   fz_json / fz_json_valid   pqf_footer_write_json into a buffer, and a strict validator
 *   fz_check_footer    the properties every successful decode must have
 *   fz_check_error     the properties every failed decode must have
 *
 * Everything is static inline: each harness is one translation unit plus
 * fuzz/standalone_main.c (or libFuzzer). No global state.
 */
#ifndef PQF_FUZZ_COMMON_H
#define PQF_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pqfoot.h"

#ifdef __cplusplus
#define FZ_CAST(T, x) static_cast<T>(x)
#else
#define FZ_CAST(T, x) ((T)(x))
#endif

#define FZ_ASSERT(cond)                                                                  \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                     \
        }                                                                                \
    } while (0)

#define FZ_ASSERT_MSG(cond, ...)                                                         \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: property violated: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* The documented bound on what one decode may hold with default options
 * (include/pqfoot.h: PQF_DEFAULT_MEM_PER_FOOTER_BYTE * len + PQF_DEFAULT_MEM_BASE). The
 * cap covers transient memory and the retained model, so pqf_footer_bytes() is below it. */
static inline uint64_t fz_default_cap(size_t len) {
    return (uint64_t)len * PQF_DEFAULT_MEM_PER_FOOTER_BYTE + PQF_DEFAULT_MEM_BASE;
}

/* ------------------------------------------------------------------ buffer --- */

typedef struct fz_buf {
    uint8_t *p;
    size_t n, cap;
} fz_buf;

static inline void fz_buf_free(fz_buf *b) {
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

static inline void fz_buf_put(fz_buf *b, const void *data, size_t len) {
    if (len == 0) return;
    if (b->cap - b->n < len) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap - b->n < len) cap *= 2;
        uint8_t *np = FZ_CAST(uint8_t *, realloc(b->p, cap));
        FZ_ASSERT(np != NULL);
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void fz_buf_printf(fz_buf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    FZ_ASSERT(n >= 0 && (size_t)n < sizeof tmp);
    fz_buf_put(b, tmp, (size_t)n);
}

static inline void fz_buf_str(fz_buf *b, pqf_str s) {
    if (!s.ptr) {
        fz_buf_printf(b, "<null>");
        return;
    }
    fz_buf_printf(b, "%zu:", s.len);
    fz_buf_put(b, s.ptr, s.len);
}

static inline int fz_buf_eq(const fz_buf *a, const fz_buf *b) {
    return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

/* --------------------------------------------------------------- allocator --- */

typedef struct fz_blk {
    void *p;
    size_t n;
} fz_blk;

typedef struct fz_alloc {
    fz_blk *blk;
    size_t nblk, capblk;
    size_t live, peak;       /* bytes */
    size_t attempts, frees;  /* calls */
    size_t fail_after;       /* allocations that succeed before every later one fails */
    size_t failed;           /* allocations refused */
} fz_alloc;

static inline void fz_alloc_init(fz_alloc *a, size_t fail_after) {
    memset(a, 0, sizeof *a);
    a->fail_after = fail_after;
}

static inline void fz_alloc_fini(fz_alloc *a) {
    FZ_ASSERT_MSG(a->nblk == 0 && a->live == 0, "leak: %zu blocks, %zu bytes still live", a->nblk,
                  a->live);
    free(a->blk);
    a->blk = NULL;
    a->capblk = 0;
}

static inline void *fz_alloc_fn(void *ctx, size_t size) {
    fz_alloc *a = FZ_CAST(fz_alloc *, ctx);
    a->attempts++;
    if (a->attempts > a->fail_after) {
        a->failed++;
        return NULL;
    }
    /* size < 2^40, written so that a 32-bit size_t neither overflows the shift nor warns */
    FZ_ASSERT_MSG(size / 1024 / 1024 < ((size_t)1 << 20), "allocation of %zu bytes", size);
    void *p = malloc(size ? size : 1);
    if (!p) return NULL;
    if (a->nblk == a->capblk) {
        size_t cap = a->capblk ? a->capblk * 2 : 64;
        fz_blk *nb = FZ_CAST(fz_blk *, realloc(a->blk, cap * sizeof *nb));
        FZ_ASSERT(nb != NULL);
        a->blk = nb;
        a->capblk = cap;
    }
    a->blk[a->nblk].p = p;
    a->blk[a->nblk].n = size;
    a->nblk++;
    a->live += size;
    if (a->live > a->peak) a->peak = a->live;
    return p;
}

static inline void fz_free_fn(void *ctx, void *ptr, size_t size) {
    fz_alloc *a = FZ_CAST(fz_alloc *, ctx);
    FZ_ASSERT_MSG(ptr != NULL, "free(NULL, %zu) reached the allocator", size);
    size_t i = a->nblk;
    while (i > 0 && a->blk[i - 1].p != ptr) i--;
    FZ_ASSERT_MSG(i > 0, "free of a pointer the allocator never returned (size %zu)", size);
    fz_blk *b = &a->blk[i - 1];
    FZ_ASSERT_MSG(b->n == size, "free size %zu differs from the allocated size %zu", size, b->n);
    a->live -= size;
    a->frees++;
    *b = a->blk[--a->nblk];
    free(ptr);
}

static inline pqf_allocator fz_allocator(fz_alloc *a) {
    pqf_allocator alc;
    alc.alloc = fz_alloc_fn;
    alc.free = fz_free_fn;
    alc.ctx = a;
    return alc;
}

/* 1 when [p, p+n) lies inside one live block. */
static inline int fz_alloc_owns(const fz_alloc *a, const void *p, size_t n) {
    uintptr_t x = (uintptr_t)p;
    for (size_t i = 0; i < a->nblk; i++) {
        uintptr_t b = (uintptr_t)a->blk[i].p;
        if (x >= b && x - b <= a->blk[i].n && n <= a->blk[i].n - (x - b)) return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------- JSON --- */

static inline int fz_sink(void *ctx, const void *data, size_t len) {
    fz_buf_put(FZ_CAST(fz_buf *, ctx), data, len);
    return 0;
}

static inline int fz_sink_fail(void *ctx, const void *data, size_t len) {
    (void)data;
    (void)len;
    size_t *calls = FZ_CAST(size_t *, ctx);
    (*calls)++;
    return -1;
}

static inline pqf_code fz_json(const pqf_footer *f, const char *label, fz_buf *out) {
    out->n = 0;
    return pqf_footer_write_json(f, label, fz_sink, out);
}

/* Length of the RFC 3629 sequence at s[i] (0 if none), as docs/dump-json.md defines it. */
static inline size_t fz_utf8_seq(const uint8_t *s, size_t n, size_t i) {
    unsigned c = s[i];
#define FZ_CONT(k, lo, hi) (i + (k) < n && s[i + (k)] >= (lo) && s[i + (k)] <= (hi))
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return FZ_CONT(1, 0x80, 0xBF) ? 2 : 0;
    if (c == 0xE0) return FZ_CONT(1, 0xA0, 0xBF) && FZ_CONT(2, 0x80, 0xBF) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return FZ_CONT(1, 0x80, 0xBF) && FZ_CONT(2, 0x80, 0xBF) ? 3 : 0;
    if (c == 0xED) return FZ_CONT(1, 0x80, 0x9F) && FZ_CONT(2, 0x80, 0xBF) ? 3 : 0;
    if (c == 0xF0)
        return FZ_CONT(1, 0x90, 0xBF) && FZ_CONT(2, 0x80, 0xBF) && FZ_CONT(3, 0x80, 0xBF) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return FZ_CONT(1, 0x80, 0xBF) && FZ_CONT(2, 0x80, 0xBF) && FZ_CONT(3, 0x80, 0xBF) ? 4 : 0;
    if (c == 0xF4)
        return FZ_CONT(1, 0x80, 0x8F) && FZ_CONT(2, 0x80, 0xBF) && FZ_CONT(3, 0x80, 0xBF) ? 4 : 0;
#undef FZ_CONT
    return 0;
}

typedef struct fz_jcur {
    const uint8_t *p, *end;
} fz_jcur;

static inline int fz_j_value(fz_jcur *c, int depth);

static inline int fz_j_lit(fz_jcur *c, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0) return 0;
    c->p += n;
    return 1;
}

static inline int fz_j_string(fz_jcur *c) {
    if (c->p == c->end || *c->p != '"') return 0;
    c->p++;
    while (c->p < c->end) {
        uint8_t ch = *c->p;
        if (ch == '"') {
            c->p++;
            return 1;
        }
        if (ch < 0x20) return 0; /* control bytes must be escaped */
        if (ch == '\\') {
            if (c->end - c->p < 2) return 0;
            uint8_t e = c->p[1];
            if (e == 'u') {
                if (c->end - c->p < 6) return 0;
                for (int k = 2; k < 6; k++) {
                    uint8_t h = c->p[k];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        return 0;
                }
                c->p += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == 0) return 0;
            c->p += 2;
            continue;
        }
        size_t k = fz_utf8_seq(c->p, (size_t)(c->end - c->p), 0);
        if (k == 0) return 0; /* invalid UTF-8 must have been replaced by U+FFFD */
        c->p += k;
    }
    return 0;
}

static inline int fz_j_number(fz_jcur *c) {
    const uint8_t *s = c->p;
    if (c->p < c->end && *c->p == '-') c->p++;
    if (c->p == c->end || *c->p < '0' || *c->p > '9') return 0;
    if (*c->p == '0') {
        c->p++;
    } else {
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9') c->p++;
    }
    if (c->p - s > 20) return 0; /* a 64-bit integer has at most 20 characters */
    return 1;
}

static inline int fz_j_value(fz_jcur *c, int depth) {
    if (depth > 32 || c->p == c->end) return 0;
    switch (*c->p) {
    case '{':
        c->p++;
        if (c->p < c->end && *c->p == '}') {
            c->p++;
            return 1;
        }
        for (;;) {
            if (!fz_j_string(c)) return 0;
            if (c->p == c->end || *c->p++ != ':') return 0;
            if (!fz_j_value(c, depth + 1)) return 0;
            if (c->p == c->end) return 0;
            if (*c->p == '}') {
                c->p++;
                return 1;
            }
            if (*c->p++ != ',') return 0;
        }
    case '[':
        c->p++;
        if (c->p < c->end && *c->p == ']') {
            c->p++;
            return 1;
        }
        for (;;) {
            if (!fz_j_value(c, depth + 1)) return 0;
            if (c->p == c->end) return 0;
            if (*c->p == ']') {
                c->p++;
                return 1;
            }
            if (*c->p++ != ',') return 0;
        }
    case '"': return fz_j_string(c);
    case 't': return fz_j_lit(c, "true");
    case 'f': return fz_j_lit(c, "false");
    case 'n': return fz_j_lit(c, "null");
    default: return fz_j_number(c);
    }
}

/* One JSON object, no whitespace outside strings, valid UTF-8, nothing after it. */
static inline int fz_json_valid(const uint8_t *p, size_t n) {
    fz_jcur c;
    c.p = p;
    c.end = p + n;
    if (n == 0 || p[0] != '{') return 0;
    return fz_j_value(&c, 0) && c.p == c.end;
}

/* ------------------------------------------------------------------- dump --- */

static inline void fz_dump_chunk(fz_buf *b, const pqf_chunk *c) {
    fz_buf_printf(b, "start=%lld len=%lld dpo=%lld dict=%lld nv=%lld tus=%lld tcs=%lld fo=%lld ",
                  (long long)c->start, (long long)c->length, (long long)c->data_page_offset,
                  (long long)c->dictionary_page_offset, (long long)c->num_values,
                  (long long)c->total_uncompressed_size, (long long)c->total_compressed_size,
                  (long long)c->file_offset);
    fz_buf_printf(b, "oi=%lld/%d ci=%lld/%d bf=%lld/%d type=%d codec=%d has=%u fp=",
                  (long long)c->offset_index_offset, (int)c->offset_index_length,
                  (long long)c->column_index_offset, (int)c->column_index_length,
                  (long long)c->bloom_filter_offset, (int)c->bloom_filter_length, (int)c->type,
                  (int)c->codec, (unsigned)c->has);
    fz_buf_str(b, c->file_path);
    fz_buf_printf(b, "\n");
}

static inline int fz_chunk_eq(const pqf_chunk *a, const pqf_chunk *b) {
    fz_buf x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    fz_dump_chunk(&x, a);
    fz_dump_chunk(&y, b);
    int eq = fz_buf_eq(&x, &y);
    fz_buf_free(&x);
    fz_buf_free(&y);
    return eq;
}

/* Everything the public accessors say about f (pointers excluded), with the
 * accessor contracts checked on the way. pqf_footer_bytes() is left out, so that
 * footers decoded with and without projection can share most of a dump. */
static inline void fz_dump(const pqf_footer *f, fz_buf *b) {
    b->n = 0;
    pqf_str cb = pqf_footer_created_by(f);
    fz_buf_printf(b, "F v=%d rows=%lld ser=%llu fsize=%llu flags=%u opts=%u cb=",
                  (int)pqf_footer_version(f), (long long)pqf_footer_num_rows(f),
                  (unsigned long long)pqf_footer_serialized_size(f),
                  (unsigned long long)pqf_footer_file_size(f), (unsigned)pqf_footer_flags(f),
                  (unsigned)pqf_footer_options(f));
    fz_buf_str(b, cb);
    fz_buf_printf(b, "\n");
    FZ_ASSERT(((pqf_footer_flags(f) & PQF_FOOTER_HAS_CREATED_BY) != 0) == (cb.ptr != NULL));

    size_t nkv = pqf_kv_count(f);
    if (!(pqf_footer_options(f) & PQF_KEEP_KV)) FZ_ASSERT(nkv == 0);
    if (nkv) FZ_ASSERT(pqf_footer_flags(f) & PQF_FOOTER_HAS_KV);
    for (size_t i = 0; i < nkv; i++) {
        pqf_str k, v;
        FZ_ASSERT(pqf_kv_get(f, i, &k, &v) == PQF_OK);
        FZ_ASSERT(k.ptr != NULL);
        fz_buf_printf(b, "K%zu ", i);
        fz_buf_str(b, k);
        fz_buf_printf(b, " ");
        fz_buf_str(b, v);
        fz_buf_printf(b, "\n");
    }
    {
        pqf_str k, v;
        FZ_ASSERT(pqf_kv_get(f, nkv, &k, &v) == PQF_ERR_INVALID_ARG);
    }

    size_t ns = pqf_schema_count(f);
    FZ_ASSERT(ns >= 1); /* a decoded footer always has a root */
    {
        pqf_schema_element none;
        FZ_ASSERT(pqf_schema_get(f, ns, &none) == PQF_ERR_INVALID_ARG);
        FZ_ASSERT(pqf_schema_get(f, 0, NULL) == PQF_ERR_INVALID_ARG);
    }
    size_t leaves = 0;
    for (size_t i = 0; i < ns; i++) {
        pqf_schema_element e_v;
        const pqf_schema_element *e = pqf_schema_get(f, i, &e_v) == PQF_OK ? &e_v : NULL;
        FZ_ASSERT(e != NULL);
        FZ_ASSERT(e->name.ptr != NULL);
        const pqf_logical_type *lt = &e->logical;
        fz_buf_printf(b, "S%zu has=%u type=%d tl=%d rep=%d nc=%d conv=%d sc=%d pr=%d fid=%d ", i,
                      (unsigned)e->has, (int)e->type, (int)e->type_length, (int)e->repetition,
                      (int)e->num_children, (int)e->converted_type, (int)e->scale,
                      (int)e->precision, (int)e->field_id);
        fz_buf_printf(b, "lt=%u/%u/%u/%u/%d/%u/%d/%u/%d/%d/%d ", lt->kind, lt->unit,
                      lt->is_adjusted_to_utc, lt->is_signed, lt->bit_width,
                      lt->has_variant_version, lt->variant_version, lt->has_algorithm,
                      (int)lt->scale, (int)lt->precision, (int)lt->algorithm);
        fz_buf_printf(b, "parent=%d col=%d depth=%u def=%d rep=%d name=", (int)e->parent,
                      (int)e->column, (unsigned)e->depth, (int)e->max_def, (int)e->max_rep);
        fz_buf_str(b, e->name);
        fz_buf_printf(b, " crs=");
        fz_buf_str(b, lt->crs);
        fz_buf_printf(b, "\n");
        /* The tree the element list describes (pre-order). */
        if (i == 0) {
            FZ_ASSERT(e->parent == -1 && e->depth == 0 && e->max_def == 0 && e->max_rep == 0);
        } else {
            FZ_ASSERT(e->parent >= 0 && (size_t)e->parent < i);
            pqf_schema_element p_v;
            const pqf_schema_element *p = pqf_schema_get(f, (size_t)e->parent, &p_v) == PQF_OK ? &p_v : NULL;
            FZ_ASSERT(p != NULL && p->column == -1);
            FZ_ASSERT(e->depth == p->depth + 1);
            int rep = (e->has & PQF_SE_REPETITION) ? e->repetition : PQF_REP_REQUIRED;
            FZ_ASSERT(e->max_def == p->max_def + (rep != PQF_REP_REQUIRED));
            FZ_ASSERT(e->max_rep == p->max_rep + (rep == PQF_REP_REPEATED));
        }
        if (e->column >= 0) {
            FZ_ASSERT((size_t)e->column == leaves);
            leaves++;
        }
        if (!(e->has & PQF_SE_LOGICAL_TYPE)) FZ_ASSERT(lt->kind == PQF_LT_NONE);
    }
    size_t nc = pqf_column_count(f);
    FZ_ASSERT(nc == leaves);
    {
        pqf_column none;
        FZ_ASSERT(pqf_column_get(f, nc, &none) == PQF_ERR_INVALID_ARG);
    }
    {
        size_t d = 0;
        FZ_ASSERT(pqf_column_path_parts(f, nc, NULL, 0, &d) == PQF_ERR_INVALID_ARG);
    }
    size_t nproj = 0;
    for (size_t c = 0; c < nc; c++) {
        pqf_column col_v;
        const pqf_column *col = pqf_column_get(f, c, &col_v) == PQF_OK ? &col_v : NULL;
        FZ_ASSERT(col != NULL && col->path.ptr != NULL);
        pqf_schema_element e_v;
        const pqf_schema_element *e = pqf_schema_get(f, col->schema_index, &e_v) == PQF_OK ? &e_v : NULL;
        FZ_ASSERT(e != NULL && e->column == (int32_t)c);
        FZ_ASSERT(col->max_def == e->max_def && col->max_rep == e->max_rep);
        FZ_ASSERT(col->type == ((e->has & PQF_SE_TYPE) ? e->type : -1));
        nproj += col->projected != 0;
        /* Paths may repeat ("a.b" the leaf vs a > b): the first one is found. The
         * lookup takes a C string, so a path holding a NUL cannot be found by it. */
        if (memchr(col->path.ptr, 0, col->path.len) == NULL) {
            size_t found = SIZE_MAX;
            FZ_ASSERT(pqf_column_find(f, col->path.ptr, &found) == PQF_OK && found <= c);
            pqf_column fc;
            FZ_ASSERT(pqf_column_get(f, found, &fc) == PQF_OK && fc.path.len == col->path.len);
        }
        pqf_str parts[16];
        size_t depth = 0, depth2 = 0;
        FZ_ASSERT(pqf_column_path_parts(f, c, parts, 16, &depth) == PQF_OK);
        FZ_ASSERT(depth == e->depth && depth >= 1);
        FZ_ASSERT(pqf_column_path_parts(f, c, NULL, 0, &depth2) == PQF_OK && depth2 == depth);
        fz_buf_printf(b, "C%zu si=%u def=%d rep=%d type=%d proj=%u path=", c,
                      (unsigned)col->schema_index, (int)col->max_def, (int)col->max_rep,
                      (int)col->type, (unsigned)col->projected);
        fz_buf_str(b, col->path);
        if (depth <= 16) {
            /* The dotted path is the parts joined by '.'. */
            size_t pos = 0;
            for (size_t k = 0; k < depth; k++) {
                FZ_ASSERT(parts[k].ptr != NULL);
                if (k) {
                    FZ_ASSERT(pos < col->path.len && col->path.ptr[pos] == '.');
                    pos++;
                }
                FZ_ASSERT(col->path.len - pos >= parts[k].len);
                FZ_ASSERT(parts[k].len == 0 || memcmp(col->path.ptr + pos, parts[k].ptr, parts[k].len) == 0);
                pos += parts[k].len;
            }
            FZ_ASSERT(pos == col->path.len);
        }
        fz_buf_printf(b, "\n");
    }
    FZ_ASSERT(pqf_projected_count(f) == nproj);
    {
        pqf_column any;
        size_t nf = 0;
        pqf_code fc = pqf_column_find(f, "\x01no such column\x02", &nf);
        FZ_ASSERT(fc == PQF_ERR_NO_COLUMN || (fc == PQF_OK && pqf_column_get(f, nf, &any) == PQF_OK));
    }

    size_t nrg = pqf_row_group_count(f);
    pqf_row_group rgv;
    pqf_chunk ch;
    FZ_ASSERT(pqf_row_group_get(f, nrg, &rgv) == PQF_ERR_INVALID_ARG);
    FZ_ASSERT(pqf_chunk_get(f, nrg, 0, &ch) == PQF_ERR_INVALID_ARG);
    FZ_ASSERT(pqf_chunk_get(f, 0, nc, &ch) == PQF_ERR_INVALID_ARG);
    for (size_t r = 0; r < nrg; r++) {
        FZ_ASSERT(pqf_row_group_get(f, r, &rgv) == PQF_OK);
        fz_buf_printf(b, "R%zu rows=%lld tbs=%lld fo=%lld tcs=%lld ord=%d has=%u\n", r,
                      (long long)rgv.num_rows, (long long)rgv.total_byte_size,
                      (long long)rgv.file_offset, (long long)rgv.total_compressed_size,
                      (int)rgv.ordinal, (unsigned)rgv.has);
        /* Negative sizes and offsets are refused, so none can come out. */
        FZ_ASSERT(rgv.num_rows >= 0 && rgv.total_byte_size >= 0 && rgv.file_offset >= 0 &&
                  rgv.total_compressed_size >= 0);
        for (size_t c = 0; c < nc; c++) {
            pqf_code rc = pqf_chunk_get(f, r, c, &ch);
            pqf_column col_v;
            const pqf_column *col = pqf_column_get(f, c, &col_v) == PQF_OK ? &col_v : NULL;
            if (!col->projected) {
                FZ_ASSERT(rc == PQF_ERR_NO_COLUMN);
                continue;
            }
            FZ_ASSERT(rc == PQF_OK);
            fz_buf_printf(b, "H%zu.%zu ", r, c);
            fz_dump_chunk(b, &ch);
            FZ_ASSERT(ch.file_offset >= 0);
            if (ch.has & PQF_CH_META) {
                FZ_ASSERT(ch.data_page_offset >= 0 && ch.num_values >= 0 &&
                          ch.total_compressed_size >= 0 && ch.total_uncompressed_size >= 0);
                int64_t start = ch.data_page_offset;
                if ((ch.has & PQF_CH_DICT) && ch.dictionary_page_offset > 0 &&
                    ch.dictionary_page_offset < ch.data_page_offset)
                    start = ch.dictionary_page_offset;
                FZ_ASSERT(ch.start == start);
                FZ_ASSERT(ch.length == ch.total_compressed_size);
                if (ch.has & PQF_CH_DICT) FZ_ASSERT(ch.dictionary_page_offset >= 0);
            } else {
                FZ_ASSERT(ch.start == 0 && ch.length == 0 && !(ch.has & PQF_CH_DICT));
            }
            if (ch.has & PQF_CH_FILE_PATH) FZ_ASSERT(ch.file_path.ptr != NULL);
            else FZ_ASSERT(ch.file_path.ptr == NULL);
            if (ch.has & PQF_CH_CRYPTO) FZ_ASSERT(pqf_footer_flags(f) & PQF_FOOTER_HAS_COLUMN_CRYPTO);
            if (!(pqf_footer_options(f) & PQF_KEEP_PAGE_INDEX))
                FZ_ASSERT(!(ch.has & (PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH | PQF_CH_CI_OFFSET |
                                      PQF_CH_CI_LENGTH)));
            if (!(pqf_footer_options(f) & PQF_KEEP_BLOOM))
                FZ_ASSERT(!(ch.has & (PQF_CH_BLOOM_OFFSET | PQF_CH_BLOOM_LENGTH)));
            FZ_ASSERT(ch.offset_index_offset >= 0 && ch.offset_index_length >= 0 &&
                      ch.column_index_offset >= 0 && ch.column_index_length >= 0 &&
                      ch.bloom_filter_offset >= 0 && ch.bloom_filter_length >= 0);
        }
    }
}

/* --------------------------------------------------------------- checking --- */

static inline int fz_overlaps(const void *a, size_t an, const void *b, size_t bn) {
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y + bn && y < x + an;
}

/* A string the footer hands out: NUL-terminated, never inside the caller's
 * input, and (when the allocator is ours) inside one block the footer holds. */
static inline void fz_check_str(pqf_str s, const void *input, size_t len, const fz_alloc *a) {
    if (!s.ptr) {
        FZ_ASSERT(s.len == 0);
        return;
    }
    FZ_ASSERT(s.ptr[s.len] == '\0');
    if (len) FZ_ASSERT_MSG(!fz_overlaps(s.ptr, s.len + 1, input, len), "string points into the input");
    if (a) FZ_ASSERT_MSG(fz_alloc_owns(a, s.ptr, s.len + 1), "string outside the footer's memory");
}

static inline void fz_check_strings(const pqf_footer *f, const void *input, size_t len,
                                    const fz_alloc *a) {
    fz_check_str(pqf_footer_created_by(f), input, len, a);
    for (size_t i = 0; i < pqf_kv_count(f); i++) {
        pqf_str k, v;
        FZ_ASSERT(pqf_kv_get(f, i, &k, &v) == PQF_OK);
        fz_check_str(k, input, len, a);
        fz_check_str(v, input, len, a);
    }
    for (size_t i = 0; i < pqf_schema_count(f); i++) {
        pqf_schema_element e_v;
        const pqf_schema_element *e = pqf_schema_get(f, i, &e_v) == PQF_OK ? &e_v : NULL;
        fz_check_str(e->name, input, len, a);
        fz_check_str(e->logical.crs, input, len, a);
    }
    for (size_t c = 0; c < pqf_column_count(f); c++) {
        pqf_column col_v;
        const pqf_column *col = pqf_column_get(f, c, &col_v) == PQF_OK ? &col_v : NULL;
        fz_check_str(col->path, input, len, a);
        pqf_str parts[8];
        size_t d = 0;
        FZ_ASSERT(pqf_column_path_parts(f, c, parts, 8, &d) == PQF_OK);
        for (size_t k = 0; k < d && k < 8; k++) fz_check_str(parts[k], input, len, a);
    }
    for (size_t r = 0; r < pqf_row_group_count(f); r++) {
        for (size_t c = 0; c < pqf_column_count(f); c++) {
            pqf_chunk ch;
            if (pqf_chunk_get(f, r, c, &ch) == PQF_OK) fz_check_str(ch.file_path, input, len, a);
        }
    }
}

/* Properties of every failed decode. */
static inline void fz_check_error(const pqf_error *err, size_t len) {
    FZ_ASSERT(err->code > PQF_OK && err->code < PQF_ERR__COUNT);
    FZ_ASSERT(err->msg != NULL && err->msg[0] != '\0');
    FZ_ASSERT_MSG(err->offset <= len, "error offset %llu past the %zu input bytes",
                  (unsigned long long)err->offset, len);
    FZ_ASSERT(memchr(err->path, 0, sizeof err->path) != NULL);
    FZ_ASSERT(strcmp(pqf_code_name(err->code), "PQF_ERR_UNKNOWN") != 0);
    FZ_ASSERT(pqf_strerror(err->code) != NULL);
    if (err->code != PQF_ERR_TRUNCATED) FZ_ASSERT(err->needed == 0);
}

static const char fz_label[] = "f\"u\\z\x01\x7f\xc3\xa9\xff\xed\xa0\x80\xf4\x90\x80\x80z";

/* Properties of every successful decode of len input bytes. a is the allocator
 * the decode used (NULL for malloc); cap the memory cap it ran under. */
static inline void fz_check_footer(const pqf_footer *f, const void *input, size_t len,
                                   const fz_alloc *a, uint64_t cap, fz_buf *json) {
    size_t bytes = pqf_footer_bytes(f);
    FZ_ASSERT(bytes > 0);
    FZ_ASSERT_MSG((uint64_t)bytes <= cap, "retained %zu bytes above the cap %llu", bytes,
                  (unsigned long long)cap);
    if (a) {
        /* "Exact bytes this footer holds": everything still allocated is the footer. */
        FZ_ASSERT_MSG(a->live == bytes, "pqf_footer_bytes %zu but %zu bytes live", bytes, a->live);
        FZ_ASSERT_MSG((uint64_t)a->peak <= cap, "decode held %zu bytes at once, cap %llu",
                      a->peak, (unsigned long long)cap);
    }
    FZ_ASSERT(pqf_footer_serialized_size(f) <= len);
    fz_check_strings(f, input, len, a);

    fz_buf dump;
    memset(&dump, 0, sizeof dump);
    fz_dump(f, &dump);
    fz_buf_free(&dump);

    FZ_ASSERT(fz_json(f, NULL, json) == PQF_OK);
    FZ_ASSERT_MSG(fz_json_valid(json->p, json->n), "invalid JSON: %.*s", (int)(json->n > 2000 ? 2000 : json->n),
                  (const char *)json->p);
    fz_buf labelled;
    memset(&labelled, 0, sizeof labelled);
    FZ_ASSERT(fz_json(f, fz_label, &labelled) == PQF_OK);
    FZ_ASSERT(fz_json_valid(labelled.p, labelled.n));
    FZ_ASSERT(labelled.n > json->n);
    fz_buf_free(&labelled);
    size_t calls = 0;
    FZ_ASSERT(pqf_footer_write_json(f, NULL, fz_sink_fail, &calls) == PQF_ERR_IO);
    FZ_ASSERT(calls >= 1);
}

/* Two decodes of the same bytes with the same options must agree exactly. */
static inline void fz_check_same(const pqf_footer *x, const pqf_footer *y) {
    fz_buf a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    FZ_ASSERT(pqf_footer_bytes(x) == pqf_footer_bytes(y));
    fz_dump(x, &a);
    fz_dump(y, &b);
    FZ_ASSERT(fz_buf_eq(&a, &b));
    FZ_ASSERT(fz_json(x, NULL, &a) == PQF_OK);
    FZ_ASSERT(fz_json(y, NULL, &b) == PQF_OK);
    FZ_ASSERT(fz_buf_eq(&a, &b));
    fz_buf_free(&a);
    fz_buf_free(&b);
}

static inline void fz_check_same_error(const pqf_error *x, const pqf_error *y) {
    FZ_ASSERT_MSG(x->code == y->code && x->offset == y->offset && strcmp(x->msg, y->msg) == 0 &&
                      strcmp(x->path, y->path) == 0,
                  "errors differ: %d@%llu %s [%s] vs %d@%llu %s [%s]", (int)x->code,
                  (unsigned long long)x->offset, x->msg, x->path, (int)y->code,
                  (unsigned long long)y->offset, y->msg, y->path);
}

/* The model survives pqf_footer_serialize() / pqf_footer_deserialize(): the loaded footer
 * says everything the decoded one says, keeps its strings in its own memory, frees all it
 * took, and serializes to the same bytes again. */
static inline void fz_check_roundtrip(const pqf_footer *f) {
    fz_buf ser, again, a, b;
    memset(&ser, 0, sizeof ser);
    memset(&again, 0, sizeof again);
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    FZ_ASSERT(pqf_footer_serialize(f, fz_sink, &ser) == PQF_OK);
    size_t calls = 0;
    FZ_ASSERT(pqf_footer_serialize(f, fz_sink_fail, &calls) == PQF_ERR_IO);
    fz_alloc al;
    fz_alloc_init(&al, SIZE_MAX);
    pqf_allocator alc = fz_allocator(&al);
    pqf_error err;
    pqf_footer *g = pqf_footer_deserialize(ser.p, ser.n, &alc, &err);
    FZ_ASSERT_MSG(g != NULL, "deserializing what serialize wrote: %s", err.msg);
    FZ_ASSERT(al.live == pqf_footer_bytes(g));
    fz_check_strings(g, ser.p, ser.n, &al);
    fz_dump(f, &a);
    fz_dump(g, &b);
    FZ_ASSERT_MSG(fz_buf_eq(&a, &b), "the deserialized footer differs");
    FZ_ASSERT(fz_json(f, NULL, &a) == PQF_OK && fz_json(g, NULL, &b) == PQF_OK);
    FZ_ASSERT(fz_buf_eq(&a, &b));
    FZ_ASSERT(pqf_footer_schema_hash(f) == pqf_footer_schema_hash(g));
    FZ_ASSERT(pqf_footer_schema_equal(f, g) == 1);
    FZ_ASSERT(pqf_footer_serialize(g, fz_sink, &again) == PQF_OK);
    FZ_ASSERT_MSG(fz_buf_eq(&ser, &again), "serialize(deserialize(x)) != x");
    pqf_footer_free(g);
    fz_alloc_fini(&al);
    fz_buf_free(&ser);
    fz_buf_free(&again);
    fz_buf_free(&a);
    fz_buf_free(&b);
}

/* Two footers decoded from the same bytes with the same options: equal schemas, and f can
 * take donor's schema block without changing what it says. Free f before donor. */
static inline void fz_check_share(pqf_footer *f, const pqf_footer *donor) {
    FZ_ASSERT(pqf_footer_schema_hash(f) == pqf_footer_schema_hash(donor));
    FZ_ASSERT(pqf_footer_schema_equal(f, donor) == 1);
    FZ_ASSERT(pqf_footer_schema_bytes(f) > 0 && pqf_footer_schema_bytes(f) <= pqf_footer_bytes(f));
    fz_buf a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    fz_dump(f, &a);
    FZ_ASSERT(pqf_footer_share_schema(f, donor) == PQF_OK);
    FZ_ASSERT(pqf_footer_share_schema(f, donor) == PQF_OK); /* already shared */
    fz_dump(f, &b);
    FZ_ASSERT_MSG(fz_buf_eq(&a, &b), "sharing the schema changed the footer");
    {
        pqf_schema_element x, y; /* one schema block: the same names in memory */
        FZ_ASSERT(pqf_schema_get(f, 0, &x) == PQF_OK && pqf_schema_get(donor, 0, &y) == PQF_OK);
        FZ_ASSERT(x.name.ptr == y.name.ptr);
    }
    fz_buf_free(&a);
    fz_buf_free(&b);
}

#endif /* PQF_FUZZ_COMMON_H */
