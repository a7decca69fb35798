/*
 * footer_builder.h -- whole FileMetaData footers for pqfoot's Check suites, on top of
 * the byte writer in compact_writer.h (header-only, static functions, no global state).
 *
 * Describe a footer with an `fb_footer` (schema, row groups, column chunks, key-value
 * metadata, ...) and encode it with fb_footer_encode(). Anything left zero gets a
 * sensible default (a flat schema of `ncols` leaves, contiguous chunks). A hook sees
 * every struct the builder writes: it can record offsets, add extra fields before the
 * stop byte, or drop a field (to make required fields missing). When check_support.h
 * is included first, the Check assertions at the end (EXPECT_ERR, EXPECT_OK,
 * ASSERT_SAME_FOOTER) come along.
 *
 * Memory: buffers are malloc'd; allocation failure aborts (this is test code).
 */
#ifndef PQF_FOOTER_BUILDER_H
#define PQF_FOOTER_BUILDER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compact_writer.h"
#include "pqfoot.h"

/* ------------------------------------------------------------- footer spec --- */

/* One SchemaElement. Optional int fields are written when their PQF_SE_* bit
 * is set in `has`; the logical type is raw bytes of the LogicalType struct's
 * body (its fields and stop byte), written when PQF_SE_LOGICAL_TYPE is set. */
typedef struct fb_se {
    const char *name; /* NULL: no name field */
    uint32_t has;     /* PQF_SE_* */
    int32_t type, type_length, repetition, num_children, converted_type, scale, precision, field_id;
    const uint8_t *logical;
    size_t logical_len;
} fb_se;

/* One ColumnChunk. `has` uses the PQF_CH_* bits to say what is written:
 * META (ColumnMetaData), DICT, FILE_PATH, CRYPTO, OI_/CI_ OFFSET/LENGTH,
 * BLOOM_OFFSET/LENGTH (inside the metadata). */
typedef struct fb_chunk {
    uint32_t has;
    const char *file_path;
    int64_t file_offset;
    int32_t type, codec;
    int64_t num_values, tus, tcs, dpo, dict;
    int64_t oi_off, ci_off, bloom_off;
    int32_t oi_len, ci_len, bloom_len;
    const char *const *path; /* path_in_schema override (NULL: the leaf's real path) */
    size_t npath;
} fb_chunk;

typedef struct fb_rg {
    uint32_t has; /* PQF_RG_* */
    int64_t num_rows, total_byte_size, file_offset, total_compressed_size;
    int16_t ordinal;
} fb_rg;

/* Where the hook is called. */
enum { FB_L_FMD, FB_L_SE, FB_L_RG, FB_L_CC, FB_L_CMD, FB_L_KV, FB_L_STATS };
#define FB_AT_BEGIN (-1) /* fid passed at the start of a struct's body */
#define FB_AT_END 0      /* fid passed just before the stop byte */

/* Hook: called with fid = FB_AT_BEGIN when a struct body starts (w->len is its
 * offset), with each field id before that field is written (return 0 to leave
 * the field out; the hook may write something else instead), and with
 * FB_AT_END before the stop byte (add extra fields here). i and j are the
 * struct's indexes: schema element, key-value entry, row group (and column for
 * FB_L_CC / FB_L_CMD / FB_L_STATS). The return value is ignored except for
 * field ids. */
typedef int (*fb_hook_fn)(void *ctx, fb *w, int level, size_t i, size_t j, int fid);

typedef struct fb_footer {
    int32_t version;
    int64_t num_rows;
    const char *created_by; /* NULL: absent */
    size_t created_by_len;  /* 0: strlen(created_by) */
    /* Schema: NULL means a root named "schema" with `ncols` OPTIONAL leaves
     * "c0", "c1", ... of physical type `leaf_type` (0 = INT64 when 0 and
     * leaf_type_set is 0). */
    const fb_se *schema;
    size_t nschema;
    size_t ncols;
    int32_t leaf_type;
    int leaf_type_set;
    /* Row groups: rgs NULL means num_rows 1000, total_byte_size 1000 each. */
    const fb_rg *rgs;
    size_t nrg;
    /* Chunks, nrg x leaves row-major; NULL means contiguous defaults (see
     * fb_chunks_contiguous()). */
    const fb_chunk *chunks;
    size_t rg_ncols;        /* chunks written per row group; 0 = the leaf count */
    /* key_value_metadata: nkv pairs (key, value), value NULL = absent. */
    const char *const *kv;
    size_t nkv;
    int rg_first;           /* write row_groups (4) before schema (2) */
    int stats;              /* statistics, encodings, encoding_stats, kv, sorting columns... */
    int column_orders;      /* field 7 */
    int encryption_fields;  /* fields 8 and 9 */
    int extension;          /* field 32767 */
    fb_hook_fn hook;
    void *hook_ctx;
} fb_footer;

/* ----------------------------------------------------------- schema helpers --- */

typedef struct fb_tree {
    size_t n, nleaves;
    int32_t *parent;  /* -1 for the root and for elements outside the tree */
    uint32_t *depth;
    size_t *leaf;     /* leaf k -> element index */
} fb_tree;

static inline int fb_se_is_group(const fb_se *e) {
    return (e->has & PQF_SE_NUM_CHILDREN) && e->num_children > 0;
}

/* Best-effort tree (tolerates malformed num_children). */
static inline void fb_tree_build(fb_tree *t, const fb_se *s, size_t n) {
    t->n = n;
    t->nleaves = 0;
    t->parent = calloc(n ? n : 1, sizeof *t->parent);
    t->depth = calloc(n ? n : 1, sizeof *t->depth);
    t->leaf = calloc(n ? n : 1, sizeof *t->leaf);
    size_t *stk = calloc(n ? n : 1, sizeof *stk);
    int64_t *rem = calloc(n ? n : 1, sizeof *rem);
    if (!t->parent || !t->depth || !t->leaf || !stk || !rem) abort();
    for (size_t i = 0; i < n; i++) t->parent[i] = -1;
    size_t sp = 0, next = 1;
    if (n) {
        stk[0] = 0;
        rem[0] = fb_se_is_group(&s[0]) ? s[0].num_children : 0;
        sp = 1;
    }
    while (sp && next < n) {
        if (rem[sp - 1] <= 0) {
            sp--;
            continue;
        }
        rem[sp - 1]--;
        size_t e = next++;
        t->parent[e] = (int32_t)stk[sp - 1];
        t->depth[e] = (uint32_t)sp;
        if (fb_se_is_group(&s[e])) {
            stk[sp] = e;
            rem[sp] = s[e].num_children;
            sp++;
        } else {
            t->leaf[t->nleaves++] = e;
        }
    }
    for (size_t e = next; e < n; e++)
        if (!fb_se_is_group(&s[e])) t->leaf[t->nleaves++] = e;
    free(stk);
    free(rem);
}
static inline void fb_tree_free(fb_tree *t) {
    free(t->parent);
    free(t->depth);
    free(t->leaf);
    memset(t, 0, sizeof *t);
}
/* Dotted path of element e into buf ("a.b.c"). */
static inline void fb_tree_path(const fb_tree *t, const fb_se *s, size_t e, char *buf, size_t cap) {
    size_t idx[FB_MAX_NEST], k = 0;
    for (int32_t i = (int32_t)e; i > 0 && k < FB_MAX_NEST; i = t->parent[i]) idx[k++] = (size_t)i;
    size_t n = 0;
    buf[0] = '\0';
    while (k-- > 0) {
        int r = snprintf(buf + n, cap - n, "%s%s", n ? "." : "", s[idx[k]].name ? s[idx[k]].name : "");
        if (r < 0 || (size_t)r >= cap - n) break;
        n += (size_t)r;
    }
}

/* The flat default schema: root + ncols OPTIONAL leaves of type leaf_type.
 * Names live in *names (free both with free()). */
static inline fb_se *fb_schema_flat(size_t ncols, int32_t leaf_type, char **names) {
    fb_se *s = calloc(ncols + 1, sizeof *s);
    char *nb = calloc(ncols ? ncols : 1, 24);
    if (!s || !nb) abort();
    s[0].name = "schema";
    s[0].has = PQF_SE_NUM_CHILDREN;
    s[0].num_children = (int32_t)ncols;
    for (size_t c = 0; c < ncols; c++) {
        char *nm = nb + 24 * c;
        snprintf(nm, 24, "c%zu", c);
        s[c + 1].name = nm;
        s[c + 1].has = PQF_SE_TYPE | PQF_SE_REPETITION;
        s[c + 1].type = leaf_type;
        s[c + 1].repetition = PQF_REP_OPTIONAL;
    }
    *names = nb;
    return s;
}

/* Contiguous chunks: row group by row group, column by column from offset 4;
 * total_compressed_size 100 + (rg * 7 + col * 13) % 50, uncompressed twice
 * that, num_values = rows (or 1000), file_offset = data_page_offset, codec 1,
 * type = types[col] (INT64 if types is NULL). Fills nrg * ncols entries. */
static inline void fb_chunks_contiguous(fb_chunk *out, size_t nrg, size_t ncols, const int32_t *types,
                                        const fb_rg *rgs) {
    int64_t pos = 4;
    for (size_t r = 0; r < nrg; r++) {
        for (size_t c = 0; c < ncols; c++) {
            fb_chunk *k = &out[r * ncols + c];
            memset(k, 0, sizeof *k);
            k->has = PQF_CH_META;
            k->tcs = 100 + (int64_t)((r * 7 + c * 13) % 50);
            k->tus = 2 * k->tcs;
            k->dpo = pos;
            k->file_offset = pos;
            k->num_values = rgs ? rgs[r].num_rows : 1000;
            k->codec = 1;
            k->type = types ? types[c] : PQF_TYPE_INT64;
            pos += k->tcs;
        }
    }
}

/* ------------------------------------------------------------ the encoder --- */

static inline int fb_hook_call(const fb_footer *F, fb *w, int level, size_t i, size_t j, int fid) {
    return F->hook ? F->hook(F->hook_ctx, w, level, i, j, fid) : 1;
}
#define FB_WANT(F, w, lvl, i, j, fid) fb_hook_call((F), (w), (lvl), (i), (j), (fid))

static inline void fb_write_stats(const fb_footer *F, fb *w, size_t r, size_t c) {
    /* Statistics: max, min, null_count, distinct_count, max_value, min_value, exact flags */
    uint8_t mx[8], mn[8];
    for (int i = 0; i < 8; i++) {
        mx[i] = (uint8_t)(0xA0 + i + c);
        mn[i] = (uint8_t)(i + r);
    }
    fb_structf(w, 12);
    FB_WANT(F, w, FB_L_STATS, r, c, FB_AT_BEGIN);
    fb_binf(w, 1, mx, 8);
    fb_binf(w, 2, mn, 8);
    fb_i64f(w, 3, (int64_t)(r + c));
    fb_i64f(w, 4, 1000 + (int64_t)c);
    fb_binf(w, 5, mx, 8);
    fb_binf(w, 6, mn, 8);
    fb_boolf(w, 7, 1);
    fb_boolf(w, 8, 0);
    FB_WANT(F, w, FB_L_STATS, r, c, FB_AT_END);
    fb_end(w);
    /* encoding_stats: two PageEncodingStats */
    fb_listf(w, 13, FB_STRUCT, 2);
    for (int k = 0; k < 2; k++) {
        fb_begin(w);
        fb_i32f(w, 1, k ? 0 : 2);
        fb_i32f(w, 2, k ? 8 : 0);
        fb_i32f(w, 3, 1 + k);
        fb_end(w);
    }
    /* size_statistics with histograms */
    fb_structf(w, 16);
    fb_i64f(w, 1, 12345);
    fb_listf(w, 2, FB_I64, 2);
    fb_i64(w, 0);
    fb_i64(w, 7);
    fb_listf(w, 3, FB_I64, 2);
    fb_i64(w, 3);
    fb_i64(w, 4);
    fb_end(w);
}

static inline void fb_write_chunk(const fb_footer *F, fb *w, const fb_tree *t, const fb_se *s, size_t r,
                                  size_t c, size_t leaf, const fb_chunk *k) {
    fb_begin(w);
    FB_WANT(F, w, FB_L_CC, r, c, FB_AT_BEGIN);
    if ((k->has & PQF_CH_FILE_PATH) && FB_WANT(F, w, FB_L_CC, r, c, 1))
        fb_strf(w, 1, k->file_path ? k->file_path : "");
    if (FB_WANT(F, w, FB_L_CC, r, c, 2)) fb_i64f(w, 2, k->file_offset);
    if ((k->has & PQF_CH_META) && FB_WANT(F, w, FB_L_CC, r, c, 3)) {
        fb_structf(w, 3);
        FB_WANT(F, w, FB_L_CMD, r, c, FB_AT_BEGIN);
        if (FB_WANT(F, w, FB_L_CMD, r, c, 1)) fb_i32f(w, 1, k->type);
        if (FB_WANT(F, w, FB_L_CMD, r, c, 2)) {
            unsigned ne = F->stats ? 3 : 2;
            fb_listf(w, 2, FB_I32, ne);
            fb_i32(w, 0);
            fb_i32(w, 3);
            if (ne == 3) fb_i32(w, 8);
        }
        if (FB_WANT(F, w, FB_L_CMD, r, c, 3)) {
            if (k->path) {
                fb_listf(w, 3, FB_BINARY, (uint32_t)k->npath);
                for (size_t p = 0; p < k->npath; p++) fb_str(w, k->path[p]);
            } else {
                size_t idx[FB_MAX_NEST], d = 0;
                for (int32_t e = (int32_t)leaf; e > 0 && d < FB_MAX_NEST; e = t->parent[e]) idx[d++] = (size_t)e;
                fb_listf(w, 3, FB_BINARY, (uint32_t)d);
                while (d-- > 0) fb_str(w, s[idx[d]].name ? s[idx[d]].name : "");
            }
        }
        if (FB_WANT(F, w, FB_L_CMD, r, c, 4)) fb_i32f(w, 4, k->codec);
        if (FB_WANT(F, w, FB_L_CMD, r, c, 5)) fb_i64f(w, 5, k->num_values);
        if (FB_WANT(F, w, FB_L_CMD, r, c, 6)) fb_i64f(w, 6, k->tus);
        if (FB_WANT(F, w, FB_L_CMD, r, c, 7)) fb_i64f(w, 7, k->tcs);
        if (F->stats && FB_WANT(F, w, FB_L_CMD, r, c, 8)) {
            fb_listf(w, 8, FB_STRUCT, 1);
            fb_begin(w);
            fb_strf(w, 1, "chunk.key");
            fb_strf(w, 2, "chunk.value");
            fb_end(w);
        }
        if (FB_WANT(F, w, FB_L_CMD, r, c, 9)) fb_i64f(w, 9, k->dpo);
        if ((k->has & PQF_CH_DICT) && FB_WANT(F, w, FB_L_CMD, r, c, 11)) fb_i64f(w, 11, k->dict);
        if (F->stats) fb_write_stats(F, w, r, c);
        if ((k->has & PQF_CH_BLOOM_OFFSET) && FB_WANT(F, w, FB_L_CMD, r, c, 14)) fb_i64f(w, 14, k->bloom_off);
        if ((k->has & PQF_CH_BLOOM_LENGTH) && FB_WANT(F, w, FB_L_CMD, r, c, 15)) fb_i32f(w, 15, k->bloom_len);
        FB_WANT(F, w, FB_L_CMD, r, c, FB_AT_END);
        fb_end(w);
    }
    if ((k->has & PQF_CH_OI_OFFSET) && FB_WANT(F, w, FB_L_CC, r, c, 4)) fb_i64f(w, 4, k->oi_off);
    if ((k->has & PQF_CH_OI_LENGTH) && FB_WANT(F, w, FB_L_CC, r, c, 5)) fb_i32f(w, 5, k->oi_len);
    if ((k->has & PQF_CH_CI_OFFSET) && FB_WANT(F, w, FB_L_CC, r, c, 6)) fb_i64f(w, 6, k->ci_off);
    if ((k->has & PQF_CH_CI_LENGTH) && FB_WANT(F, w, FB_L_CC, r, c, 7)) fb_i32f(w, 7, k->ci_len);
    if ((k->has & PQF_CH_CRYPTO) && FB_WANT(F, w, FB_L_CC, r, c, 8)) {
        fb_structf(w, 8); /* ColumnCryptoMetaData union */
        fb_structf(w, 2); /* ENCRYPTION_WITH_COLUMN_KEY */
        fb_listf(w, 1, FB_BINARY, 1);
        fb_str(w, "secret");
        fb_strf(w, 2, "key-meta");
        fb_end(w);
        fb_end(w);
    }
    FB_WANT(F, w, FB_L_CC, r, c, FB_AT_END);
    fb_end(w);
}

static inline void fb_write_schema(const fb_footer *F, fb *w, const fb_se *s, size_t n) {
    if (!FB_WANT(F, w, FB_L_FMD, 0, 0, 2)) return;
    fb_listf(w, 2, FB_STRUCT, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        const fb_se *e = &s[i];
        fb_begin(w);
        FB_WANT(F, w, FB_L_SE, i, 0, FB_AT_BEGIN);
        if ((e->has & PQF_SE_TYPE) && FB_WANT(F, w, FB_L_SE, i, 0, 1)) fb_i32f(w, 1, e->type);
        if ((e->has & PQF_SE_TYPE_LENGTH) && FB_WANT(F, w, FB_L_SE, i, 0, 2)) fb_i32f(w, 2, e->type_length);
        if ((e->has & PQF_SE_REPETITION) && FB_WANT(F, w, FB_L_SE, i, 0, 3)) fb_i32f(w, 3, e->repetition);
        if (e->name && FB_WANT(F, w, FB_L_SE, i, 0, 4)) fb_strf(w, 4, e->name);
        if ((e->has & PQF_SE_NUM_CHILDREN) && FB_WANT(F, w, FB_L_SE, i, 0, 5)) fb_i32f(w, 5, e->num_children);
        if ((e->has & PQF_SE_CONVERTED_TYPE) && FB_WANT(F, w, FB_L_SE, i, 0, 6)) fb_i32f(w, 6, e->converted_type);
        if ((e->has & PQF_SE_SCALE) && FB_WANT(F, w, FB_L_SE, i, 0, 7)) fb_i32f(w, 7, e->scale);
        if ((e->has & PQF_SE_PRECISION) && FB_WANT(F, w, FB_L_SE, i, 0, 8)) fb_i32f(w, 8, e->precision);
        if ((e->has & PQF_SE_FIELD_ID) && FB_WANT(F, w, FB_L_SE, i, 0, 9)) fb_i32f(w, 9, e->field_id);
        if ((e->has & PQF_SE_LOGICAL_TYPE) && FB_WANT(F, w, FB_L_SE, i, 0, 10)) {
            fb_field(w, FB_STRUCT, 10);
            fb_raw(w, e->logical, e->logical_len);
        }
        FB_WANT(F, w, FB_L_SE, i, 0, FB_AT_END);
        fb_end(w);
    }
}

static inline void fb_write_row_groups(const fb_footer *F, fb *w, const fb_se *s, const fb_tree *t,
                                       const fb_chunk *chunks) {
    if (!FB_WANT(F, w, FB_L_FMD, 0, 0, 4)) return;
    size_t nl = t->nleaves, ncc = F->rg_ncols ? F->rg_ncols : nl;
    fb_listf(w, 4, FB_STRUCT, (uint32_t)F->nrg);
    for (size_t r = 0; r < F->nrg; r++) {
        fb_rg def = {0, 1000, 1000, 0, 0, 0};
        const fb_rg *g = F->rgs ? &F->rgs[r] : &def;
        fb_begin(w);
        FB_WANT(F, w, FB_L_RG, r, 0, FB_AT_BEGIN);
        if (FB_WANT(F, w, FB_L_RG, r, 0, 1)) {
            fb_listf(w, 1, FB_STRUCT, (uint32_t)ncc);
            for (size_t c = 0; c < ncc; c++) {
                size_t cc = nl ? c % nl : 0;
                fb_chunk dflt;
                memset(&dflt, 0, sizeof dflt);
                const fb_chunk *k = (chunks && nl) ? &chunks[r * nl + cc] : &dflt;
                fb_write_chunk(F, w, t, s, r, c, nl ? t->leaf[cc] : 0, k);
            }
        }
        if (FB_WANT(F, w, FB_L_RG, r, 0, 2)) fb_i64f(w, 2, g->total_byte_size);
        if (FB_WANT(F, w, FB_L_RG, r, 0, 3)) fb_i64f(w, 3, g->num_rows);
        if (F->stats && FB_WANT(F, w, FB_L_RG, r, 0, 4)) {
            fb_listf(w, 4, FB_STRUCT, 1);
            fb_begin(w);
            fb_i32f(w, 1, 0);
            fb_boolf(w, 2, 0);
            fb_boolf(w, 3, 1);
            fb_end(w);
        }
        if ((g->has & PQF_RG_FILE_OFFSET) && FB_WANT(F, w, FB_L_RG, r, 0, 5)) fb_i64f(w, 5, g->file_offset);
        if ((g->has & PQF_RG_TOTAL_COMPRESSED_SIZE) && FB_WANT(F, w, FB_L_RG, r, 0, 6))
            fb_i64f(w, 6, g->total_compressed_size);
        if ((g->has & PQF_RG_ORDINAL) && FB_WANT(F, w, FB_L_RG, r, 0, 7)) fb_i16f(w, 7, g->ordinal);
        FB_WANT(F, w, FB_L_RG, r, 0, FB_AT_END);
        fb_end(w);
    }
}

/* Write the whole FileMetaData struct into w. */
static inline void fb_footer_write(fb *w, const fb_footer *F) {
    char *names = NULL;
    const fb_se *s = F->schema;
    size_t ns = F->nschema;
    fb_se *flat = NULL;
    if (!s) {
        flat = fb_schema_flat(F->ncols, F->leaf_type_set ? F->leaf_type : PQF_TYPE_INT64, &names);
        s = flat;
        ns = F->ncols + 1;
    }
    fb_tree t;
    fb_tree_build(&t, s, ns);
    fb_chunk *gen = NULL;
    const fb_chunk *chunks = F->chunks;
    if (!chunks && t.nleaves && F->nrg) {
        int32_t *types = calloc(t.nleaves, sizeof *types);
        gen = calloc(F->nrg * t.nleaves, sizeof *gen);
        if (!types || !gen) abort();
        for (size_t c = 0; c < t.nleaves; c++) {
            const fb_se *e = &s[t.leaf[c]];
            types[c] = (e->has & PQF_SE_TYPE) ? e->type : PQF_TYPE_INT64;
        }
        fb_chunks_contiguous(gen, F->nrg, t.nleaves, types, F->rgs);
        free(types);
        chunks = gen;
    }

    fb_begin(w);
    FB_WANT(F, w, FB_L_FMD, 0, 0, FB_AT_BEGIN);
    if (FB_WANT(F, w, FB_L_FMD, 0, 0, 1)) fb_i32f(w, 1, F->version);
    if (F->rg_first) fb_write_row_groups(F, w, s, &t, chunks);
    fb_write_schema(F, w, s, ns);
    if (FB_WANT(F, w, FB_L_FMD, 0, 0, 3)) fb_i64f(w, 3, F->num_rows);
    if (!F->rg_first) fb_write_row_groups(F, w, s, &t, chunks);
    if (F->nkv && FB_WANT(F, w, FB_L_FMD, 0, 0, 5)) {
        fb_listf(w, 5, FB_STRUCT, (uint32_t)F->nkv);
        for (size_t i = 0; i < F->nkv; i++) {
            fb_begin(w);
            FB_WANT(F, w, FB_L_KV, i, 0, FB_AT_BEGIN);
            if (F->kv[2 * i] && FB_WANT(F, w, FB_L_KV, i, 0, 1)) fb_strf(w, 1, F->kv[2 * i]);
            if (F->kv[2 * i + 1] && FB_WANT(F, w, FB_L_KV, i, 0, 2)) fb_strf(w, 2, F->kv[2 * i + 1]);
            FB_WANT(F, w, FB_L_KV, i, 0, FB_AT_END);
            fb_end(w);
        }
    }
    if (F->created_by && FB_WANT(F, w, FB_L_FMD, 0, 0, 6))
        fb_binf(w, 6, F->created_by, F->created_by_len ? F->created_by_len : strlen(F->created_by));
    if (F->column_orders && FB_WANT(F, w, FB_L_FMD, 0, 0, 7)) {
        fb_listf(w, 7, FB_STRUCT, (uint32_t)t.nleaves);
        for (size_t c = 0; c < t.nleaves; c++) {
            fb_begin(w);
            fb_structf(w, 1);
            fb_end(w);
            fb_end(w);
        }
    }
    if (F->encryption_fields && FB_WANT(F, w, FB_L_FMD, 0, 0, 8)) {
        fb_structf(w, 8); /* EncryptionAlgorithm union: AES_GCM_V1 */
        fb_structf(w, 1);
        fb_strf(w, 1, "aad-prefix");
        fb_strf(w, 2, "aad-file-unique");
        fb_boolf(w, 3, 1);
        fb_end(w);
        fb_end(w);
    }
    if (F->encryption_fields && FB_WANT(F, w, FB_L_FMD, 0, 0, 9)) fb_strf(w, 9, "signing-key");
    if (F->extension && FB_WANT(F, w, FB_L_FMD, 0, 0, 32767)) fb_strf(w, 32767, "extension blob");
    FB_WANT(F, w, FB_L_FMD, 0, 0, FB_AT_END);
    fb_end(w);

    free(gen);
    fb_tree_free(&t);
    free(flat);
    free(names);
}

/* Encode a footer spec; free() the result. */
static inline uint8_t *fb_footer_encode(const fb_footer *F, size_t *len) {
    fb w;
    fb_init(&w);
    fb_footer_write(&w, F);
    return fb_take(&w, len);
}

/* A whole file image: "PAR1", data_size zero bytes, the footer, its length
 * (u32 LE) and "PAR1". magic overrides the trailing magic when non-NULL. */
static inline uint8_t *fb_file_image(const uint8_t *footer, size_t flen, size_t data_size, const char *magic,
                                     size_t *out_len) {
    size_t n = 4 + data_size + flen + 8;
    uint8_t *b = calloc(n, 1);
    if (!b) abort();
    memcpy(b, "PAR1", 4);
    if (flen) memcpy(b + 4 + data_size, footer, flen);
    uint8_t *t = b + 4 + data_size + flen;
    t[0] = (uint8_t)flen;
    t[1] = (uint8_t)(flen >> 8);
    t[2] = (uint8_t)(flen >> 16);
    t[3] = (uint8_t)(flen >> 24);
    memcpy(t + 4, magic ? magic : "PAR1", 4);
    *out_len = n;
    return b;
}

/* ------------------------------------------------- assertions for Check suites --- */
#ifdef PQF_CHECK_SUPPORT_H

/* An assertion without Check's per-call bookkeeping (ck_assert records its
 * location through a file on every call, which dominates tight loops). */
#define FB_CHECK(cond, ...)                        \
    do {                                           \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);    \
    } while (0)

#define FB_EQ(a, b) FB_CHECK((a) == (b), "%s:%d: %s != %s", __FILE__, __LINE__, #a, #b)

/* Byte array literal and its size, for the decode helpers: HEX(0x15, 0x02, ...). */
#define HEX(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

/* Decode must fail with code at offset (path checked when non-NULL); the error
 * struct is poisoned first, so every field must have been written. */
static inline void fb_expect_err_opt(int line, const pqf_options *opt, pqf_code code, uint64_t off,
                                     const char *path, const uint8_t *b, size_t n) {
    pqf_error e;
    pqf_test_poison(&e);
    pqf_footer *f = pqf_footer_decode(b, n, opt, &e);
    if (f) pqf_footer_free(f);
    ck_assert_msg(f == NULL, "line %d: decode succeeded, wanted %s", line, pqf_code_name(code));
    ck_assert_msg((unsigned)e.code < PQF_ERR__COUNT, "line %d: err.code not written", line);
    ck_assert_msg(e.code == code, "line %d: got %s (%s) at %llu [%s], wanted %s", line, pqf_code_name(e.code),
                  e.msg, (unsigned long long)e.offset, e.path, pqf_code_name(code));
    ck_assert_msg(e.msg != NULL && e.msg[0] != '\0', "line %d: empty msg", line);
    ck_assert_msg(e.offset == off, "line %d: %s (%s) at offset %llu, wanted %llu", line, pqf_code_name(e.code),
                  e.msg, (unsigned long long)e.offset, (unsigned long long)off);
    ck_assert_msg(e.needed == 0, "line %d: needed = %llu", line, (unsigned long long)e.needed);
    ck_assert_msg(memchr(e.path, '\0', sizeof e.path) != NULL, "line %d: path not terminated", line);
    if (path) ck_assert_msg(strcmp(e.path, path) == 0, "line %d: path \"%s\", wanted \"%s\"", line, e.path, path);
}
#define EXPECT_ERR(code, off, ...) fb_expect_err_opt(__LINE__, NULL, (code), (off), NULL, __VA_ARGS__)
#define EXPECT_ERR_PATH(code, off, path, ...) fb_expect_err_opt(__LINE__, NULL, (code), (off), (path), __VA_ARGS__)

/* Decode must succeed; the error struct must say ok. Returns the footer. */
static inline pqf_footer *fb_expect_ok_opt(int line, const pqf_options *opt, const uint8_t *b, size_t n) {
    pqf_error e;
    pqf_test_poison(&e);
    pqf_footer *f = pqf_footer_decode(b, n, opt, &e);
    ck_assert_msg((unsigned)e.code < PQF_ERR__COUNT, "line %d: err.code not written", line);
    ck_assert_msg(f != NULL, "line %d: decode failed: %s (%s) at %llu [%s]", line, pqf_code_name(e.code), e.msg,
                  (unsigned long long)e.offset, e.path);
    ck_assert_msg(e.code == PQF_OK && e.offset == 0 && e.needed == 0 && e.path[0] == '\0',
                  "line %d: error struct not cleared on success", line);
    ck_assert_msg(e.msg != NULL && strcmp(e.msg, "ok") == 0, "line %d: msg on success", line);
    return f;
}
#define EXPECT_OK(...) fb_expect_ok_opt(__LINE__, NULL, __VA_ARGS__)
#define EXPECT_OK_OPT(opt, ...) fb_expect_ok_opt(__LINE__, (opt), __VA_ARGS__)

static inline int fb_str_eq(pqf_str a, pqf_str b) {
    if (!a.ptr || !b.ptr) return a.ptr == b.ptr;
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* Two decoded footers hold the same kept values (everything reachable through
 * the public accessors, except the serialized size and retained bytes). */
static inline void fb_assert_same_footer(int line, const pqf_footer *a, const pqf_footer *b) {
    FB_CHECK(pqf_footer_version(a) == pqf_footer_version(b), "line %d: version", line);
    FB_CHECK(pqf_footer_num_rows(a) == pqf_footer_num_rows(b), "line %d: num_rows", line);
    FB_CHECK(pqf_footer_flags(a) == pqf_footer_flags(b), "line %d: flags %x vs %x", line,
                  pqf_footer_flags(a), pqf_footer_flags(b));
    FB_CHECK(fb_str_eq(pqf_footer_created_by(a), pqf_footer_created_by(b)), "line %d: created_by", line);
    FB_CHECK(pqf_schema_count(a) == pqf_schema_count(b), "line %d: schema count", line);
    for (size_t i = 0; i < pqf_schema_count(a); i++) {
        const pqf_schema_element x_v = pqf_test_se(a, i), y_v = pqf_test_se(b, i), *x = &x_v, *y = &y_v;
        FB_CHECK(fb_str_eq(x->name, y->name), "line %d: schema[%zu].name", line, i);
        FB_CHECK(x->has == y->has && x->type == y->type && x->type_length == y->type_length &&
                          x->repetition == y->repetition && x->num_children == y->num_children &&
                          x->converted_type == y->converted_type && x->scale == y->scale &&
                          x->precision == y->precision && x->field_id == y->field_id,
                      "line %d: schema[%zu] fields", line, i);
        const pqf_logical_type *p = &x->logical, *q = &y->logical;
        FB_CHECK(p->kind == q->kind && p->unit == q->unit && p->is_adjusted_to_utc == q->is_adjusted_to_utc &&
                          p->is_signed == q->is_signed && p->bit_width == q->bit_width &&
                          p->has_variant_version == q->has_variant_version &&
                          p->variant_version == q->variant_version && p->has_algorithm == q->has_algorithm &&
                          p->scale == q->scale && p->precision == q->precision && p->algorithm == q->algorithm &&
                          fb_str_eq(p->crs, q->crs),
                      "line %d: schema[%zu].logical", line, i);
        FB_CHECK(x->parent == y->parent && x->column == y->column && x->depth == y->depth &&
                          x->max_def == y->max_def && x->max_rep == y->max_rep,
                      "line %d: schema[%zu] tree", line, i);
    }
    FB_CHECK(pqf_column_count(a) == pqf_column_count(b), "line %d: column count", line);
    FB_CHECK(pqf_projected_count(a) == pqf_projected_count(b), "line %d: projected count", line);
    for (size_t c = 0; c < pqf_column_count(a); c++) {
        const pqf_column x_v = pqf_test_col(a, c), y_v = pqf_test_col(b, c), *x = &x_v, *y = &y_v;
        FB_CHECK(fb_str_eq(x->path, y->path) && x->schema_index == y->schema_index &&
                          x->max_def == y->max_def && x->max_rep == y->max_rep && x->type == y->type &&
                          x->projected == y->projected,
                      "line %d: column %zu", line, c);
    }
    FB_CHECK(pqf_kv_count(a) == pqf_kv_count(b), "line %d: kv count", line);
    for (size_t i = 0; i < pqf_kv_count(a); i++) {
        pqf_str k1, v1, k2, v2;
        FB_CHECK(pqf_kv_get(a, i, &k1, &v1) == PQF_OK && pqf_kv_get(b, i, &k2, &v2) == PQF_OK, "kv_get");
        FB_CHECK(fb_str_eq(k1, k2) && fb_str_eq(v1, v2), "line %d: kv %zu", line, i);
    }
    FB_CHECK(pqf_row_group_count(a) == pqf_row_group_count(b), "line %d: row group count", line);
    for (size_t r = 0; r < pqf_row_group_count(a); r++) {
        pqf_row_group x, y;
        FB_CHECK(pqf_row_group_get(a, r, &x) == PQF_OK && pqf_row_group_get(b, r, &y) == PQF_OK, "row_group_get");
        FB_CHECK(x.num_rows == y.num_rows && x.total_byte_size == y.total_byte_size &&
                          x.file_offset == y.file_offset && x.total_compressed_size == y.total_compressed_size &&
                          x.ordinal == y.ordinal && x.has == y.has,
                      "line %d: row group %zu", line, r);
        for (size_t c = 0; c < pqf_column_count(a); c++) {
            pqf_chunk p, q;
            pqf_code ca = pqf_chunk_get(a, r, c, &p), cb = pqf_chunk_get(b, r, c, &q);
            FB_CHECK(ca == cb, "line %d: chunk %zu/%zu code", line, r, c);
            if (ca != PQF_OK) continue;
            FB_CHECK(p.start == q.start && p.length == q.length && p.data_page_offset == q.data_page_offset &&
                              p.dictionary_page_offset == q.dictionary_page_offset &&
                              p.num_values == q.num_values && p.total_uncompressed_size == q.total_uncompressed_size &&
                              p.total_compressed_size == q.total_compressed_size && p.file_offset == q.file_offset &&
                              p.offset_index_offset == q.offset_index_offset &&
                              p.column_index_offset == q.column_index_offset &&
                              p.bloom_filter_offset == q.bloom_filter_offset &&
                              p.offset_index_length == q.offset_index_length &&
                              p.column_index_length == q.column_index_length &&
                              p.bloom_filter_length == q.bloom_filter_length && p.type == q.type &&
                              p.codec == q.codec && p.has == q.has && fb_str_eq(p.file_path, q.file_path),
                          "line %d: chunk %zu/%zu", line, r, c);
        }
    }
}
#define ASSERT_SAME_FOOTER(a, b) fb_assert_same_footer(__LINE__, (a), (b))

#endif /* PQF_CHECK_SUPPORT_H */

#endif
