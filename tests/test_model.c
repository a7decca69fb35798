/*
 * test_model.c -- the compact footer model: every value pqf_chunk_get() and
 * pqf_row_group_get() return equals what was encoded, over many footer shapes
 * (randomized with fixed seeds, plus targeted edge cases); projections; the
 * chunk start rule; retained size; schema accessors, logical types and
 * key-value metadata.
 */
#include "check_support.h"
#include "getters.h"
#include "footer_builder.h"

/* version 1, schema [{name "r"}], num_rows 0, row_groups [], key_value_metadata [] */
#define PRE_KV_EMPTY 0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 0x72, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x19, 0x0C, 0x00

/* ------------------------------------------------------------------ rng --- */

typedef struct rng {
    uint64_t s;
} rng;
static uint64_t rnext(rng *r) {
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}
static uint64_t rbelow(rng *r, uint64_t n) { return n ? rnext(r) % n : 0; }
static int rchance(rng *r, unsigned pct) { return rbelow(r, 100) < pct; }

/* -------------------------------------------------------- a footer to build --- */

typedef struct model {
    fb_se *schema;
    size_t nschema;
    char *names;          /* storage for element names */
    fb_tree tree;         /* leaves, parents */
    size_t ncols;
    fb_rg *rgs;
    size_t nrg;
    fb_chunk *ch;         /* nrg * ncols */
    char **paths;         /* file paths referenced by chunks */
    size_t npaths;
    fb_footer F;
} model;

static void model_free(model *m) {
    free(m->schema);
    free(m->names);
    fb_tree_free(&m->tree);
    free(m->rgs);
    free(m->ch);
    for (size_t i = 0; i < m->npaths; i++) free(m->paths[i]);
    free(m->paths);
    memset(m, 0, sizeof *m);
}

static char *elem_name(model *m, size_t i) { return m->names + 24 * i; }

/* One node of a random schema holding exactly `budget` leaves. */
static void gen_node(rng *r, model *m, size_t cap, unsigned depth, size_t budget) {
    size_t i = m->nschema++;
    ck_assert_uint_lt(i, cap);
    fb_se *e = &m->schema[i];
    memset(e, 0, sizeof *e);
    snprintf(elem_name(m, i), 24, "n%zu", i);
    e->name = elem_name(m, i);
    if (!rchance(r, 15)) {
        e->has |= PQF_SE_REPETITION;
        e->repetition = (int32_t)rbelow(r, 3);
    }
    int group = budget > 1 || (depth < 6 && rchance(r, 10));
    if (!group) {
        e->has |= PQF_SE_TYPE;
        e->type = (int32_t)rbelow(r, 8);
        if (e->type == PQF_TYPE_FIXED_LEN_BYTE_ARRAY) e->has |= PQF_SE_TYPE_LENGTH, e->type_length = 1 + (int32_t)rbelow(r, 32);
        if (rchance(r, 20)) e->has |= PQF_SE_FIELD_ID, e->field_id = (int32_t)rbelow(r, 100000);
        return;
    }
    size_t k = budget == 1 ? 1 : 1 + rbelow(r, budget < 4 ? budget : 4);
    if (depth >= 6) k = budget; /* stay shallow: all leaves here */
    e->has |= PQF_SE_NUM_CHILDREN;
    e->num_children = (int32_t)k;
    size_t left = budget;
    for (size_t c = 0; c < k; c++) {
        size_t part = c + 1 == k ? left : 1 + rbelow(r, left - (k - c - 1));
        left -= part;
        if (depth >= 6) gen_node(r, m, cap, 7, 1);
        else gen_node(r, m, cap, depth + 1, part);
    }
}

/* Random schema of ncols leaves (flat when nested == 0; nested == 2: flat
 * with 23-byte names, so a few thousand columns take over 64 KiB of names). */
static void gen_schema(rng *r, model *m, size_t ncols, int nested) {
    size_t cap = 4 * ncols + 8;
    m->schema = calloc(cap, sizeof *m->schema);
    m->names = calloc(cap, 24);
    ck_assert(m->schema && m->names);
    m->nschema = 1;
    snprintf(elem_name(m, 0), 24, "schema");
    m->schema[0].name = elem_name(m, 0);
    if (ncols) m->schema[0].has = PQF_SE_NUM_CHILDREN;
    if (nested != 1) {
        m->schema[0].num_children = (int32_t)ncols;
        for (size_t c = 0; c < ncols; c++) {
            size_t i = m->nschema++;
            snprintf(elem_name(m, i), 24, nested ? "column_%015zu" : "c%zu", c);
            m->schema[i] = (fb_se){.name = elem_name(m, i), .has = PQF_SE_TYPE | PQF_SE_REPETITION,
                                   .type = (int32_t)rbelow(r, 8), .repetition = (int32_t)rbelow(r, 3)};
        }
    } else if (ncols) {
        size_t k = 1 + rbelow(r, ncols < 8 ? ncols : 8), left = ncols;
        m->schema[0].num_children = (int32_t)k;
        for (size_t c = 0; c < k; c++) {
            size_t part = c + 1 == k ? left : 1 + rbelow(r, left - (k - c - 1));
            left -= part;
            gen_node(r, m, cap, 1, part);
        }
    }
    fb_tree_build(&m->tree, m->schema, m->nschema);
    ck_assert_uint_eq(m->tree.nleaves, ncols);
    m->ncols = ncols;
}

/* Value classes for offsets and sizes. */
static int64_t rval(rng *r, unsigned cls) {
    switch (cls) {
    case 0: return (int64_t)rbelow(r, 1000);
    case 1: return (int64_t)rbelow(r, (uint64_t)1 << 40);
    case 2: return INT64_MAX - (int64_t)rbelow(r, 1000000);
    case 3: return (int64_t)(rnext(r) >> 1);                  /* any 63-bit value */
    default: return rchance(r, 50) ? 0 : INT64_MAX;            /* needs all 64 bits of residual */
    }
}

typedef struct shape {
    size_t ncols, nrg;
    int nested;          /* 2: flat, long names (see gen_schema) */
    int contiguous;      /* chunks follow each other in file order */
    unsigned dict_pct;   /* chunks with a dictionary page */
    int dict_zero;       /* some dictionary_page_offset == 0 */
    unsigned path_pct, nometa_pct, crypto_pct, pi_pct, bloom_pct;
    unsigned cls;        /* value class for non-contiguous values */
    int rg_optional;     /* row-group file_offset / total_compressed_size / ordinal */
} shape;

static void gen_model(rng *r, model *m, const shape *sh) {
    memset(m, 0, sizeof *m);
    gen_schema(r, m, sh->ncols, sh->nested);
    m->nrg = sh->nrg;
    m->rgs = calloc(m->nrg ? m->nrg : 1, sizeof *m->rgs);
    m->ch = calloc(m->nrg * m->ncols + 1, sizeof *m->ch);
    m->paths = calloc(8, sizeof *m->paths);
    ck_assert(m->rgs && m->ch && m->paths);
    for (size_t p = 0; p < 8; p++) {
        m->paths[p] = malloc(32);
        snprintf(m->paths[p], 32, "part-%05zu.parquet", p * 7919);
    }
    m->npaths = 8;
    int64_t pos = 4;
    int64_t rows_total = 0;
    for (size_t g = 0; g < m->nrg; g++) {
        fb_rg *rg = &m->rgs[g];
        rg->num_rows = sh->contiguous ? 1 + (int64_t)rbelow(r, 100000) : rval(r, sh->cls);
        rg->total_byte_size = sh->contiguous ? (int64_t)rbelow(r, 1u << 30) : rval(r, sh->cls);
        if (sh->rg_optional) {
            if (rchance(r, 70)) rg->has |= PQF_RG_FILE_OFFSET, rg->file_offset = sh->contiguous ? pos : rval(r, sh->cls);
            if (rchance(r, 70))
                rg->has |= PQF_RG_TOTAL_COMPRESSED_SIZE, rg->total_compressed_size = (int64_t)rbelow(r, 1u << 31);
            if (rchance(r, 70)) rg->has |= PQF_RG_ORDINAL, rg->ordinal = (int16_t)(rchance(r, 80) ? (int64_t)g : (int64_t)rnext(r));
        }
        if (rows_total < INT64_MAX / 2) rows_total += rg->num_rows > 0 ? rg->num_rows % 1000 : 0;
        for (size_t c = 0; c < m->ncols; c++) {
            fb_chunk *k = &m->ch[g * m->ncols + c];
            memset(k, 0, sizeof *k);
            const fb_se *leaf = &m->schema[m->tree.leaf[c]];
            int meta = !rchance(r, sh->nometa_pct);
            if (meta) k->has |= PQF_CH_META;
            k->type = rchance(r, 95) && (leaf->has & PQF_SE_TYPE) ? leaf->type : (int32_t)rbelow(r, 8);
            k->codec = rchance(r, 80) ? 1 : (int32_t)rbelow(r, 8);
            int dict = rchance(r, sh->dict_pct);
            if (sh->contiguous) {
                int64_t dlen = dict ? 1 + (int64_t)rbelow(r, 5000) : 0;
                int64_t dlen_data = 1 + (int64_t)rbelow(r, rchance(r, 5) ? (uint64_t)1 << 34 : 100000);
                if (rchance(r, 10)) pos += (int64_t)rbelow(r, 1000); /* a gap */
                if (dict) k->has |= PQF_CH_DICT, k->dict = pos;
                k->dpo = pos + dlen;
                k->tcs = dlen + dlen_data;
                k->tus = rchance(r, 70) ? k->tcs : k->tcs + (int64_t)rbelow(r, 1u << 20);
                k->num_values = rchance(r, 80) ? rg->num_rows : (int64_t)rbelow(r, 1u << 20);
                k->file_offset = rchance(r, 70) ? pos : k->dpo + rchance(r, 50) * k->tcs;
                if (meta) pos += k->tcs;
            } else {
                if (dict) k->has |= PQF_CH_DICT, k->dict = rval(r, sh->cls);
                k->dpo = rval(r, sh->cls);
                k->tcs = rval(r, sh->cls);
                k->tus = rval(r, sh->cls);
                k->num_values = rval(r, sh->cls);
                k->file_offset = rval(r, sh->cls);
            }
            if (dict && sh->dict_zero && rchance(r, 30)) k->dict = 0;
            if (rchance(r, sh->path_pct)) k->has |= PQF_CH_FILE_PATH, k->file_path = m->paths[rbelow(r, m->npaths)];
            if (rchance(r, sh->crypto_pct)) k->has |= PQF_CH_CRYPTO;
            if (rchance(r, sh->pi_pct)) {
                k->has |= PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH | PQF_CH_CI_OFFSET | PQF_CH_CI_LENGTH;
                if (rchance(r, 10)) k->has &= ~(uint32_t)PQF_CH_CI_LENGTH;
                if (rchance(r, 10)) k->has &= ~(uint32_t)PQF_CH_OI_OFFSET;
                k->oi_off = sh->contiguous ? pos + (int64_t)rbelow(r, 1u << 20) : rval(r, sh->cls);
                k->ci_off = sh->contiguous ? k->oi_off + 100 : rval(r, sh->cls);
                k->oi_len = (int32_t)rbelow(r, (uint64_t)INT32_MAX + 1);
                k->ci_len = rchance(r, 50) ? k->oi_len : (int32_t)rbelow(r, 1u << 16);
            }
            if (meta && rchance(r, sh->bloom_pct)) {
                k->has |= PQF_CH_BLOOM_OFFSET;
                if (rchance(r, 80)) k->has |= PQF_CH_BLOOM_LENGTH;
                k->bloom_off = sh->contiguous ? pos + 7 : rval(r, sh->cls);
                k->bloom_len = (int32_t)rbelow(r, (uint64_t)INT32_MAX + 1);
            }
        }
    }
    m->F = (fb_footer){.version = (int32_t)rbelow(r, 3), .num_rows = rows_total, .created_by = "model test",
                       .schema = m->schema, .nschema = m->nschema, .rgs = m->rgs, .nrg = m->nrg, .chunks = m->ch};
}

/* ------------------------------------------------------------ the checks --- */

/* Which leaves a projection selects (paths and indexes as pqfoot documents). */
static void expected_projection(const pqf_footer *f, const pqf_options *o, uint8_t *sel) {
    size_t nc = pqf_column_count(f);
    int all = !o || (o->num_columns == 0 && o->num_column_indexes == 0);
    for (size_t c = 0; c < nc; c++) {
        sel[c] = (uint8_t)all;
        if (all) continue;
        const char *p = pqf_test_col(f, c).path.ptr;
        for (size_t i = 0; i < o->num_columns; i++) {
            size_t n = strlen(o->columns[i]);
            if (strncmp(p, o->columns[i], n) == 0 && (p[n] == '\0' || p[n] == '.')) sel[c] = 1;
        }
        for (size_t i = 0; i < o->num_column_indexes; i++)
            if (o->column_indexes[i] == c) sel[c] = 1;
    }
}

static void check_chunk(int line, const pqf_footer *f, size_t g, size_t c, const fb_chunk *k, uint32_t flags) {
    pqf_chunk x;
    memset(&x, 0xAB, sizeof x);
    FB_CHECK(pqf_chunk_get(f, g, c, &x) == PQF_OK, "line %d: chunk %zu/%zu", line, g, c);
    uint32_t want = k->has & (PQF_CH_META | PQF_CH_FILE_PATH | PQF_CH_CRYPTO);
    if (k->has & PQF_CH_META) want |= k->has & PQF_CH_DICT;
    if (flags & PQF_KEEP_PAGE_INDEX)
        want |= k->has & (PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH | PQF_CH_CI_OFFSET | PQF_CH_CI_LENGTH);
    if ((flags & PQF_KEEP_BLOOM) && (k->has & PQF_CH_META))
        want |= k->has & (PQF_CH_BLOOM_OFFSET | PQF_CH_BLOOM_LENGTH);
#define CK(cond, what)                                                                                      \
    FB_CHECK(cond, "line %d: chunk rg %zu col %zu: %s (has %#x want %#x)", line, g, c, what, x.has, want)
    CK(x.has == want, "has");
    CK(x.file_offset == k->file_offset, "file_offset");
    if (k->has & PQF_CH_META) {
        int64_t start = ((k->has & PQF_CH_DICT) && k->dict > 0 && k->dict < k->dpo) ? k->dict : k->dpo;
        CK(x.start == start, "start");
        CK(x.length == k->tcs, "length");
        CK(x.total_compressed_size == k->tcs, "total_compressed_size");
        CK(x.total_uncompressed_size == k->tus, "total_uncompressed_size");
        CK(x.data_page_offset == k->dpo, "data_page_offset");
        CK(x.num_values == k->num_values, "num_values");
        CK(x.type == k->type, "type");
        CK(x.codec == k->codec, "codec");
        CK(x.dictionary_page_offset == ((k->has & PQF_CH_DICT) ? k->dict : 0), "dictionary_page_offset");
    } else {
        CK(x.start == 0 && x.length == 0 && x.total_compressed_size == 0 && x.total_uncompressed_size == 0 &&
               x.data_page_offset == 0 && x.num_values == 0 && x.dictionary_page_offset == 0,
           "no-metadata fields are zero");
    }
    CK(x.offset_index_offset == ((want & PQF_CH_OI_OFFSET) ? k->oi_off : 0), "offset_index_offset");
    CK(x.offset_index_length == ((want & PQF_CH_OI_LENGTH) ? k->oi_len : 0), "offset_index_length");
    CK(x.column_index_offset == ((want & PQF_CH_CI_OFFSET) ? k->ci_off : 0), "column_index_offset");
    CK(x.column_index_length == ((want & PQF_CH_CI_LENGTH) ? k->ci_len : 0), "column_index_length");
    CK(x.bloom_filter_offset == ((want & PQF_CH_BLOOM_OFFSET) ? k->bloom_off : 0), "bloom_filter_offset");
    CK(x.bloom_filter_length == ((want & PQF_CH_BLOOM_LENGTH) ? k->bloom_len : 0), "bloom_filter_length");
    if (k->has & PQF_CH_FILE_PATH) {
        CK(x.file_path.ptr != NULL, "file_path present");
        CK(x.file_path.len == strlen(k->file_path) && strcmp(x.file_path.ptr, k->file_path) == 0, "file_path");
    } else {
        CK(x.file_path.ptr == NULL && x.file_path.len == 0, "file_path absent");
    }
#undef CK
}

static void check_rg(int line, const pqf_footer *f, size_t g, const fb_rg *e) {
    pqf_row_group x;
    memset(&x, 0xAB, sizeof x);
    FB_CHECK(pqf_row_group_get(f, g, &x) == PQF_OK, "line %d: row group %zu", line, g);
    FB_CHECK(x.has == e->has, "line %d: rg %zu has %#x want %#x", line, g, x.has, e->has);
    FB_CHECK(x.num_rows == e->num_rows, "line %d: rg %zu num_rows", line, g);
    FB_CHECK(x.total_byte_size == e->total_byte_size, "line %d: rg %zu total_byte_size", line, g);
    FB_CHECK(x.file_offset == ((e->has & PQF_RG_FILE_OFFSET) ? e->file_offset : 0), "line %d: rg %zu fo", line, g);
    FB_CHECK(x.total_compressed_size == ((e->has & PQF_RG_TOTAL_COMPRESSED_SIZE) ? e->total_compressed_size : 0),
                  "line %d: rg %zu tcs", line, g);
    FB_CHECK(x.ordinal == ((e->has & PQF_RG_ORDINAL) ? e->ordinal : 0), "line %d: rg %zu ordinal %d want %d",
                  line, g, x.ordinal, e->ordinal);
}

/* The schema accessors against the model's tree. */
static void check_schema(int line, const pqf_footer *f, const model *m) {
    FB_CHECK(pqf_schema_count(f) == m->nschema, "line %d: schema count", line);
    FB_CHECK(pqf_column_count(f) == m->ncols, "line %d: column count", line);
    int16_t *def = calloc(m->nschema, sizeof *def), *rep = calloc(m->nschema, sizeof *rep);
    FB_CHECK(def && rep, "oom");
    for (size_t i = 0; i < m->nschema; i++) {
        const pqf_schema_element e_v = pqf_test_se(f, i), *e = &e_v;
        const fb_se *s = &m->schema[i];
        FB_CHECK(e && strcmp(e->name.ptr, s->name) == 0, "line %d: schema[%zu].name", line, i);
        FB_CHECK(e->has == s->has, "line %d: schema[%zu].has %#x want %#x", line, i, e->has, s->has);
        if (s->has & PQF_SE_TYPE) FB_EQ(e->type, s->type);
        if (s->has & PQF_SE_TYPE_LENGTH) FB_EQ(e->type_length, s->type_length);
        if (s->has & PQF_SE_REPETITION) FB_EQ(e->repetition, s->repetition);
        if (s->has & PQF_SE_NUM_CHILDREN) FB_EQ(e->num_children, s->num_children);
        if (s->has & PQF_SE_FIELD_ID) FB_EQ(e->field_id, s->field_id);
        FB_CHECK(e->parent == m->tree.parent[i], "line %d: schema[%zu].parent", line, i);
        FB_CHECK(e->depth == m->tree.depth[i], "line %d: schema[%zu].depth", line, i);
        if (i > 0) {
            int32_t p = m->tree.parent[i];
            int r = (s->has & PQF_SE_REPETITION) ? s->repetition : PQF_REP_REQUIRED;
            def[i] = (int16_t)(def[p] + (r != PQF_REP_REQUIRED));
            rep[i] = (int16_t)(rep[p] + (r == PQF_REP_REPEATED));
        }
        FB_CHECK(e->max_def == def[i] && e->max_rep == rep[i], "line %d: schema[%zu] levels %d/%d want %d/%d",
                      line, i, e->max_def, e->max_rep, def[i], rep[i]);
    }
    for (size_t c = 0; c < m->ncols; c++) {
        const pqf_column col_v = pqf_test_col(f, c), *col = &col_v;
        size_t le = m->tree.leaf[c];
        FB_CHECK(col && col->schema_index == le, "line %d: column %zu schema_index", line, c);
        FB_EQ(pqf_test_se(f, le).column, (int)c);
        char path[1024];
        fb_tree_path(&m->tree, m->schema, le, path, sizeof path);
        FB_CHECK(strcmp(col->path.ptr, path) == 0 && col->path.len == strlen(path),
                      "line %d: column %zu path %s want %s", line, c, col->path.ptr, path);
        FB_EQ(col->max_def, def[le]);
        FB_EQ(col->max_rep, rep[le]);
        FB_EQ(col->type, (m->schema[le].has & PQF_SE_TYPE) ? m->schema[le].type : -1);
        FB_EQ(pqf_test_find(f, path), (long)c);
        pqf_str parts[16];
        size_t d = pqf_test_parts(f, c, parts, 16);
        FB_EQ(d, m->tree.depth[le]);
        size_t e = le;
        for (size_t k = d; k-- > 0; e = (size_t)m->tree.parent[e])
            FB_CHECK(k >= 16 || strcmp(parts[k].ptr, m->schema[e].name) == 0, "line %d: part", line);
    }
    for (size_t i = 0; i < m->nschema; i++)
        if (m->schema[i].has & PQF_SE_NUM_CHILDREN && m->schema[i].num_children > 0)
            FB_EQ(pqf_test_se(f, i).column, -1);
    free(def);
    free(rep);
}

static int stream_write(void *ctx, const void *data, size_t len) {
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* f's saved model, in malloc'd memory (open_memstream). */
static char *saved_model(int line, const pqf_footer *f, size_t *len) {
    char *p = NULL;
    FILE *fp = open_memstream(&p, len);
    FB_CHECK(fp != NULL, "line %d: open_memstream", line);
    FB_EQ(pqf_footer_serialize(f, stream_write, fp), PQF_OK);
    FB_EQ(fclose(fp), 0);
    return p;
}

/* f saved and loaded back answers every accessor alike, and saves to the
 * same bytes again (the loader rebuilds the compact tables from the saved ones). */
static void check_saved(int line, const pqf_footer *f) {
    size_t na, nb;
    char *a = saved_model(line, f, &na);
    pqf_error err;
    pqf_footer *g = pqf_footer_deserialize(a, na, NULL, &err);
    FB_CHECK(g != NULL, "line %d: saved model does not load: %s at %s", line, err.msg, err.path);
    fb_assert_same_footer(line, f, g);
    char *b = saved_model(line, g, &nb);
    FB_CHECK(na == nb && memcmp(a, b, na) == 0, "line %d: saved again differently", line);
    pqf_footer_free(g);
    free(a);
    free(b);
}

/* Decode m with opt and check every accessor. */
static void check_model_path(int line, const model *m, const pqf_options *o) {
    size_t n;
    uint8_t *b = fb_footer_encode(&m->F, &n);
    pqf_footer *f = fb_expect_ok_opt(line, o, b, n);
    uint32_t flags = o ? o->flags & ~(uint32_t)PQF_PORTABLE : 0;
    FB_EQ(pqf_footer_version(f), m->F.version);
    FB_EQ(pqf_footer_num_rows(f), m->F.num_rows);
    FB_EQ(pqf_footer_serialized_size(f), n);
    FB_EQ(pqf_footer_options(f), flags);
    FB_CHECK(pqf_footer_bytes(f) > 0, "line %d: bytes", line);
    FB_EQ(pqf_row_group_count(f), m->nrg);
    check_schema(line, f, m);
    uint8_t *sel = calloc(m->ncols ? m->ncols : 1, 1);
    FB_CHECK(sel != NULL, "oom");
    expected_projection(f, o, sel);
    size_t nsel = 0;
    int crypto = 0;
    for (size_t c = 0; c < m->ncols; c++) {
        FB_CHECK(pqf_test_col(f, c).projected == sel[c], "line %d: column %zu projected", line, c);
        nsel += sel[c];
    }
    FB_CHECK(pqf_projected_count(f) == nsel, "line %d: projected count", line);
    for (size_t g = 0; g < m->nrg; g++) {
        check_rg(line, f, g, &m->rgs[g]);
        for (size_t c = 0; c < m->ncols; c++) {
            const fb_chunk *k = &m->ch[g * m->ncols + c];
            if (k->has & PQF_CH_CRYPTO) crypto = 1;
            if (sel[c]) {
                check_chunk(line, f, g, c, k, flags);
            } else {
                pqf_chunk x;
                FB_CHECK(pqf_chunk_get(f, g, c, &x) == PQF_ERR_NO_COLUMN, "line %d: unprojected chunk", line);
            }
        }
    }
    FB_CHECK(!!(pqf_footer_flags(f) & PQF_FOOTER_HAS_COLUMN_CRYPTO) == crypto, "line %d: crypto flag", line);
    pqf_chunk x;
    pqf_row_group rgx;
    FB_EQ(pqf_chunk_get(f, m->nrg, 0, &x), PQF_ERR_INVALID_ARG);
    FB_EQ(pqf_chunk_get(f, 0, m->ncols, &x), PQF_ERR_INVALID_ARG);
    FB_EQ(pqf_row_group_get(f, m->nrg, &rgx), PQF_ERR_INVALID_ARG);
    check_saved(line, f);
    free(sel);
    pqf_footer_free(f);
    free(b);
}
/* The default path (AVX-512 where the CPU has it), then the portable one. */
static void check_model(int line, const model *m, const pqf_options *o) {
    check_model_path(line, m, o);
    pqf_options po;
    memset(&po, 0, sizeof po);
    if (o) po = *o;
    po.flags |= PQF_PORTABLE;
    check_model_path(line, m, &po);
}
#define CHECK_MODEL(m, o) check_model(__LINE__, (m), (o))

/* ------------------------------------------------------------ randomized --- */

static void random_options(rng *r, const model *m, pqf_options *o, const char **colbuf, uint32_t *idxbuf) {
    memset(o, 0, sizeof *o);
    if (rchance(r, 50)) o->flags |= PQF_KEEP_PAGE_INDEX;
    if (rchance(r, 50)) o->flags |= PQF_KEEP_BLOOM;
    if (rchance(r, 30)) o->flags |= PQF_KEEP_KV;
    if (m->ncols && rchance(r, 35)) {
        size_t k = 1 + rbelow(r, 4);
        for (size_t i = 0; i < k; i++) idxbuf[i] = (uint32_t)rbelow(r, m->ncols);
        o->column_indexes = idxbuf;
        o->num_column_indexes = k;
    }
    if (m->ncols && rchance(r, 35)) {
        /* paths of elements: a leaf or any group below the root */
        static char bufs[4][1024];
        size_t k = 1 + rbelow(r, 4);
        for (size_t i = 0; i < k; i++) {
            size_t e = 1 + rbelow(r, m->nschema - 1);
            fb_tree_path(&m->tree, m->schema, e, bufs[i], sizeof bufs[i]);
            colbuf[i] = bufs[i];
        }
        o->columns = colbuf;
        o->num_columns = k;
    }
}

START_TEST(t_random_shapes) {
    static const size_t cols[] = {1, 2, 3, 5, 15, 16, 17, 31, 32, 33, 64, 100, 300};
    static const size_t rgs[] = {0, 1, 2, 3, 7, 50, 64, 65, 200, 2000}; /* 64 | 65: packing in order | by row */
    static const unsigned pcts[] = {0, 5, 50, 100};
    rng r = {0x9E3779B97F4A7C15ull ^ (uint64_t)_i};
    for (int iter = 0; iter < 40; iter++) {
        shape sh;
        memset(&sh, 0, sizeof sh);
        sh.ncols = cols[rbelow(&r, sizeof cols / sizeof *cols)];
        do sh.nrg = rgs[rbelow(&r, sizeof rgs / sizeof *rgs)];
        while (sh.ncols * sh.nrg > 40000);
        sh.nested = rchance(&r, 50);
        sh.contiguous = rchance(&r, 60);
        sh.dict_pct = pcts[rbelow(&r, 4)];
        sh.dict_zero = rchance(&r, 20);
        sh.path_pct = rchance(&r, 70) ? 0 : pcts[rbelow(&r, 4)];
        sh.nometa_pct = rchance(&r, 70) ? 0 : pcts[rbelow(&r, 4)];
        sh.crypto_pct = rchance(&r, 80) ? 0 : pcts[rbelow(&r, 4)];
        sh.pi_pct = pcts[rbelow(&r, 4)];
        sh.bloom_pct = pcts[rbelow(&r, 4)];
        sh.cls = (unsigned)rbelow(&r, 5);
        sh.rg_optional = rchance(&r, 70);
        model m;
        gen_model(&r, &m, &sh);
        pqf_options o;
        const char *colbuf[4];
        uint32_t idxbuf[4];
        random_options(&r, &m, &o, colbuf, idxbuf);
        check_model(__LINE__ + 1000 * _i, &m, &o);
        if (rchance(&r, 30)) CHECK_MODEL(&m, NULL);
        model_free(&m);
    }
}
END_TEST

/* ------------------------------------------------------------- fixed shapes --- */

static void shape_run(int line, size_t ncols, size_t nrg, int nested, int contiguous, uint64_t seed) {
    rng r = {seed};
    shape sh = {.ncols = ncols, .nrg = nrg, .nested = nested, .contiguous = contiguous, .dict_pct = 50,
                .path_pct = 0, .pi_pct = 50, .bloom_pct = 50, .cls = 1, .rg_optional = 1};
    model m;
    gen_model(&r, &m, &sh);
    pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM};
    check_model(line, &m, &o);
    check_model(line, &m, NULL);
    model_free(&m);
}

START_TEST(t_fixed_shapes) {
    shape_run(__LINE__, 1, 0, 0, 1, 1);
    shape_run(__LINE__, 1, 1, 0, 1, 2);
    shape_run(__LINE__, 300, 0, 1, 1, 3);
    shape_run(__LINE__, 300, 1, 0, 1, 4);
    shape_run(__LINE__, 300, 20, 1, 1, 5);
    shape_run(__LINE__, 300, 20, 0, 0, 6);
    shape_run(__LINE__, 1, 2000, 0, 1, 7);
    shape_run(__LINE__, 3, 2000, 1, 0, 8);
    shape_run(__LINE__, 17, 1000, 0, 1, 9);
    shape_run(__LINE__, 100, 100, 1, 1, 10);
    for (size_t c = 14; c <= 34; c++) shape_run(__LINE__, c, 5, 0, c % 2, 100 + c); /* chain boundaries */
    /* wide: names past 64 KiB (4-byte name offsets), over 256 column shapes,
     * bit positions all alike (one row group) or kept per column */
    shape_run(__LINE__, 3000, 1, 2, 1, 11);
    shape_run(__LINE__, 3000, 2, 2, 0, 12);
    shape_run(__LINE__, 700, 1, 1, 1, 13);

    /* a schema of no columns with row groups of no chunks */
    fb_rg rg[3] = {{.num_rows = 0, .total_byte_size = 0}, {.num_rows = 5, .total_byte_size = 1},
                   {.has = PQF_RG_ORDINAL, .num_rows = 7, .total_byte_size = 2, .ordinal = 2}};
    fb_footer F = {.version = 1, .num_rows = 12, .ncols = 0, .rgs = rg, .nrg = 3};
    size_t n;
    uint8_t *b = fb_footer_encode(&F, &n);
    pqf_footer *f = EXPECT_OK(b, n);
    ck_assert_uint_eq(pqf_column_count(f), 0);
    ck_assert_uint_eq(pqf_row_group_count(f), 3);
    for (size_t g = 0; g < 3; g++) check_rg(__LINE__, f, g, &rg[g]);
    pqf_chunk x;
    ck_assert_int_eq(pqf_chunk_get(f, 0, 0, &x), PQF_ERR_INVALID_ARG);
    pqf_footer_free(f);
    free(b);
}
END_TEST

/* ------------------------------------------------------------- edge cases --- */

/* A flat model whose chunks the test fills by hand. */
static void flat_model(model *m, size_t ncols, size_t nrg) {
    rng r = {42};
    shape sh = {.ncols = ncols, .nrg = nrg, .contiguous = 1};
    gen_model(&r, m, &sh);
}

START_TEST(t_chunk_start_rule) {
    model m;
    flat_model(&m, 1, 8);
    const struct { int dict; int64_t d, dpo; } cases[] = {
        {0, 0, 100},    /* no dictionary: data page */
        {1, 0, 100},    /* dictionary_page_offset 0: data page, the 0 is still reported */
        {1, 50, 100},   /* before the data page: dictionary */
        {1, 100, 100},  /* equal: data page */
        {1, 150, 100},  /* after: data page */
        {1, 4, 5},      /* 1 byte before */
        {1, INT64_MAX - 1, INT64_MAX},
        {1, 1, INT64_MAX},
    };
    for (size_t g = 0; g < 8; g++) {
        fb_chunk *k = &m.ch[g];
        k->has = PQF_CH_META | (cases[g].dict ? PQF_CH_DICT : 0);
        k->dict = cases[g].d;
        k->dpo = cases[g].dpo;
        k->tcs = 10;
    }
    CHECK_MODEL(&m, NULL);
    size_t n;
    uint8_t *b = fb_footer_encode(&m.F, &n);
    pqf_footer *f = EXPECT_OK(b, n);
    static const int64_t starts[] = {100, 100, 50, 100, 100, 4, INT64_MAX - 1, 1};
    for (size_t g = 0; g < 8; g++) {
        pqf_chunk x;
        ck_assert_int_eq(pqf_chunk_get(f, g, 0, &x), PQF_OK);
        ck_assert_int_eq(x.start, starts[g]);
        ck_assert_int_eq(x.length, 10);
        ck_assert_uint_eq(!!(x.has & PQF_CH_DICT), cases[g].dict);
    }
    pqf_footer_free(f);
    free(b);
    model_free(&m);
}
END_TEST

/* Values at the extremes of their types, and columns whose residuals need all
 * 64 bits (0 and INT64_MAX alternating across row groups). */
START_TEST(t_extreme_values) {
    model m;
    flat_model(&m, 5, 6);
    for (size_t g = 0; g < 6; g++) {
        fb_rg *rg = &m.rgs[g];
        int hi = g % 2;
        rg->has = PQF_RG_FILE_OFFSET | PQF_RG_TOTAL_COMPRESSED_SIZE | PQF_RG_ORDINAL;
        rg->num_rows = hi ? INT64_MAX : 0;
        rg->total_byte_size = hi ? 0 : INT64_MAX;
        rg->file_offset = hi ? INT64_MAX : 0;
        rg->total_compressed_size = hi ? INT64_MAX - 1 : 1;
        rg->ordinal = hi ? INT16_MAX : INT16_MIN;
        for (size_t c = 0; c < 5; c++) {
            fb_chunk *k = &m.ch[g * 5 + c];
            int h = (int)((g + c) % 2);
            k->has = PQF_CH_META | PQF_CH_DICT | PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH | PQF_CH_CI_OFFSET |
                     PQF_CH_CI_LENGTH | PQF_CH_BLOOM_OFFSET | PQF_CH_BLOOM_LENGTH;
            k->file_offset = h ? INT64_MAX : 0;
            k->dpo = h ? 0 : INT64_MAX;
            k->dict = h ? INT64_MAX : 0;
            k->tcs = h ? INT64_MAX : 0;
            k->tus = h ? 0 : INT64_MAX;
            k->num_values = h ? INT64_MAX : 0;
            k->type = h ? INT32_MAX : INT32_MIN;
            k->codec = h ? INT32_MIN : INT32_MAX;
            k->oi_off = h ? INT64_MAX : 0;
            k->ci_off = h ? 0 : INT64_MAX;
            k->bloom_off = h ? INT64_MAX : 1;
            k->oi_len = h ? INT32_MAX : 0;
            k->ci_len = h ? 0 : INT32_MAX;
            k->bloom_len = h ? INT32_MAX : 0;
        }
    }
    pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM};
    CHECK_MODEL(&m, &o);
    CHECK_MODEL(&m, NULL);
    /* all the same huge value: constant columns */
    for (size_t k = 0; k < 30; k++) {
        m.ch[k].dpo = m.ch[k].file_offset = m.ch[k].tcs = m.ch[k].tus = m.ch[k].num_values = INT64_MAX;
        m.ch[k].dict = INT64_MAX - 1;
    }
    CHECK_MODEL(&m, &o);
    model_free(&m);
}
END_TEST

/* Residuals wait for packing in int32 lanes; a chunk that does not fit, or
 * whose has/type/codec/file path differ from its column's first chunk, is
 * kept whole. Mix both within columns over enough row groups that layout
 * templates are in use, and check every value comes back. */
START_TEST(t_staged_and_escaped_chunks) {
    model m;
    flat_model(&m, 3, 40);
    static char path[] = "elsewhere.parquet";
    for (size_t g = 0; g < 40; g++) {
        for (size_t c = 0; c < 3; c++) {
            fb_chunk *k = &m.ch[g * 3 + c];
            if (g == 7 && c == 1) k->tcs = INT64_C(3000000000);           /* TCS beyond int32 */
            if (g == 9 && c == 0) k->tus = k->tcs + INT64_C(5000000000);  /* TUS residual beyond int32 */
            if (g == 11 && c == 2) k->num_values = INT64_C(1) << 40;       /* NV residual */
            if (g == 13 && c == 1) k->dpo += INT64_C(1) << 33;             /* DPO residual */
            if (g == 15 && c == 0) k->codec = k->codec == 1 ? 2 : 1;       /* a different codec */
            if (g == 17 && c == 2) {                                       /* a file path */
                k->has |= PQF_CH_FILE_PATH;
                k->file_path = path;
            }
            if (g == 19 && c == 1) k->file_offset = INT64_C(1) << 45;      /* FO residual */
        }
    }
    pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM};
    CHECK_MODEL(&m, NULL);
    CHECK_MODEL(&m, &o);
    model_free(&m);
}
END_TEST

START_TEST(t_file_paths) {
    model m;
    flat_model(&m, 4, 100);
    char (*names)[32] = calloc(300, 32);
    ck_assert_ptr_nonnull(names);
    for (size_t k = 0; k < 300; k++) snprintf(names[k], 32, "dir/file-%03zu.parquet", k % 150);
    snprintf(names[7], 32, "%s", "");               /* an empty path */
    for (size_t k = 0; k < 400; k++) {
        fb_chunk *c = &m.ch[k];
        if (k % 3 == 0) continue;                     /* some chunks without */
        c->has |= PQF_CH_FILE_PATH;
        c->file_path = names[(k * 7) % 300];
    }
    CHECK_MODEL(&m, NULL);
    model_free(&m);
    free(names);
}
END_TEST

/* Two unknown fields at the end of every ColumnChunk: `junk` skipped bytes,
 * then one whose length alternates between 10 and 11 bytes. With junk from 190
 * to 240 the chunks (values early) run from about 240 to 290 bytes: across the
 * AVX-512 path's 256-byte limit, with the alternating field past byte 256 for
 * the longer ones, where a compare that stopped short would take the other
 * layout for a match. Both paths must agree with the model. */
static int long_tail_hook(void *ctx, fb *w, int level, size_t rg, size_t col, int fid) {
    (void)col;
    if (level == FB_L_CC && fid == FB_AT_END) {
        static const uint8_t zeros[256] = {0};
        fb_binf(w, 20, zeros, *(const size_t *)ctx);
        fb_binf(w, 21, zeros, 10 + rg % 2);
    }
    return 1;
}

START_TEST(t_long_chunk_tail) {
    for (size_t junk = 190; junk <= 240; junk++) {
        model m;
        flat_model(&m, 2, 12);
        for (size_t g = 0; g < 12; g++) m.rgs[g].num_rows = 500;
        for (size_t k = 0; k < 24; k++) {
            fb_chunk *c = &m.ch[k];
            c->has = PQF_CH_META;
            c->type = m.ch[k % 2].type;
            c->codec = 1;
            c->dpo = c->file_offset = 100000 + 1000 * (int64_t)k; /* 3-byte varints throughout */
            c->tcs = c->tus = 900;
            c->num_values = 500;
        }
        m.F.hook = long_tail_hook;
        m.F.hook_ctx = &junk;
        CHECK_MODEL(&m, NULL);
        model_free(&m);
    }
}
END_TEST

/* Each staging lane in turn is the only one that leaves int32 (so the chunk
 * must be kept whole), in both decode paths. Offsets start at 2^33 so that
 * FO can lie 2^31 below its chunk. */
START_TEST(t_each_lane_escapes) {
    const int64_t B = INT64_C(1) << 33, H = INT64_C(1) << 31;
    for (int lane = 0; lane < 8; lane++) {
        model m;
        flat_model(&m, 2, 12);
        int64_t pos = B;
        for (size_t g = 0; g < 12; g++) {
            m.rgs[g].num_rows = 500;
            for (size_t c = 0; c < 2; c++) {
                fb_chunk *k = &m.ch[g * 2 + c];
                k->has = PQF_CH_META;
                k->type = m.ch[c].type;
                k->codec = 1;
                k->dpo = pos;
                k->file_offset = lane == 7 ? pos + 1000 : pos; /* FO against the end is narrowest */
                k->tcs = k->tus = 1000;
                k->num_values = 500;
                if (g == 5 && c == 1) {
                    switch (lane) {
                    case 0: k->tus = k->tcs + H; break;                       /* TUS - TCS */
                    case 1: k->tcs = k->tus = H + 10; k->file_offset = pos + H / 2; break; /* TCS */
                    case 2: k->has |= PQF_CH_DICT; k->dict = pos; k->dpo = pos + H; break; /* DPO - start */
                    case 3: k->has |= PQF_CH_DICT; k->dict = pos + H; break;  /* DICT - start */
                    case 4: k->num_values = 500 + H; break;                    /* NV - rows */
                    case 5: k->dpo = k->file_offset = pos + H; break;         /* START - previous end */
                    case 6: k->file_offset = pos + H + 10; break;             /* FO - start only */
                    case 7: k->file_offset = pos - H + 10; break;             /* FO - start - TCS only */
                    }
                }
                pos = k->dpo + k->tcs;
            }
        }
        CHECK_MODEL(&m, NULL);
        model_free(&m);
    }
}
END_TEST

/* Watches the staged records' block (the one of cells * 32 bytes and a
 * header): each block is filled with a pattern when taken, and when the
 * records' is given back, how far into it the decode wrote. */
typedef struct records_watch {
    size_t cells;
    size_t written; /* bytes from the block's start to its last one written */
    int seen;
} records_watch;
static int is_records_block(const records_watch *w, size_t size) {
    return size >= w->cells * 32 && size <= w->cells * 32 + 256;
}
static void *watch_alloc(void *ctx, size_t size) {
    void *p = malloc(size);
    if (p) memset(p, 0xA5, size);
    (void)ctx;
    return p;
}
static void watch_free(void *ctx, void *ptr, size_t size) {
    records_watch *w = ctx;
    if (ptr && is_records_block(w, size)) {
        const uint8_t *b = ptr;
        size_t n = size;
        while (n && b[n - 1] == 0xA5) n--;
        w->written = n;
        w->seen++;
    }
    free(ptr);
}
/* Bytes per staged chunk a decode of m (flags) wrote: 8 compact, 16 narrow,
 * 32 full width (what a first decode faults in; a header lies below 64). */
static size_t record_bytes(const model *m, uint32_t flags) {
    records_watch w = {m->nrg * m->ncols, 0, 0};
    pqf_allocator a = {watch_alloc, watch_free, &w};
    pqf_options o;
    memset(&o, 0, sizeof o);
    o.flags = flags;
    o.allocator = &a;
    size_t n;
    uint8_t *b = fb_footer_encode(&m->F, &n);
    pqf_footer *f = fb_expect_ok_opt(__LINE__, &o, b, n);
    pqf_footer_free(f);
    free(b);
    FB_CHECK(w.seen == 1, "records block seen %d times", w.seen);
    size_t per = w.written <= 64 ? 0 : (w.written - 64 + w.cells - 1) / w.cells;
    return per <= 8 ? 8 : per <= 16 ? 16 : 32;
}

/* Staged records start with 16-bit lanes and widen in place at the first
 * lane that does not fit: each lane in turn leaves 16 bits (by one: 32768,
 * or -32768 for FO against the end) at a row group's first, a middle and the
 * last chunk, with few row groups (packed column by column) and many (row by
 * row), in both decode paths; and the largest that fit (32767, -32767).
 * Before that they are compact, four of the lanes, while the chunks are plain
 * (pqf_res8_rec: DICT, NV and FO_START 0): a DICT, NV or FO that is not makes
 * them narrow, at the same places; record_bytes() checks which width each
 * decode ended with. */
START_TEST(t_narrow_records_widen) {
    static const size_t nrgs[] = {12, 70};
    enum { NCOLS = 3 };
    for (int fits = 0; fits < 2; fits++)
        for (size_t ri = 0; ri < 2; ri++)
            for (int lane = 0; lane < 8; lane++)
                for (int where = 0; where < 3; where++) {
                    const size_t nrg = nrgs[ri];
                    const size_t g0 = where == 0 ? 0 : where == 1 ? nrg / 2 : nrg - 1;
                    const size_t c0 = where == 0 ? 0 : where == 1 ? 1 : NCOLS - 1;
                    const int64_t X = fits ? 32767 : 32768; /* -X for lane 7 */
                    model m;
                    flat_model(&m, NCOLS, nrg);
                    int64_t pos = INT64_C(1) << 20;
                    for (size_t g = 0; g < nrg; g++) {
                        m.rgs[g].num_rows = 500;
                        for (size_t c = 0; c < NCOLS; c++) {
                            fb_chunk *k = &m.ch[g * NCOLS + c];
                            k->has = PQF_CH_META;
                            k->type = m.ch[c].type;
                            k->codec = 1;
                            k->dpo = k->file_offset = pos;
                            k->tcs = k->tus = 1000 + (int64_t)((g + c) % 7);
                            k->num_values = 500;
                            if (g == g0 && c == c0) {
                                switch (lane) {
                                case 0: k->tus = k->tcs + X; break;                      /* TUS - TCS */
                                case 1: k->tcs = k->tus = X; break;                      /* TCS */
                                case 2: k->has |= PQF_CH_DICT; k->dict = pos; k->dpo = pos + X; break; /* DPO - start */
                                case 3: k->has |= PQF_CH_DICT; k->dict = pos + X; break; /* DICT - start */
                                case 4: k->num_values = 500 + X; break;                  /* NV - rows */
                                case 5: k->dpo = k->file_offset = pos + X; break;        /* START - previous end */
                                case 6: k->file_offset = pos + X; break;                 /* FO - start */
                                case 7: k->file_offset = pos + k->tcs - X; break;        /* FO - start - TCS */
                                }
                            }
                            pos = k->dpo + k->tcs;
                        }
                    }
                    check_model(__LINE__ + 1000 * (lane + 8 * (where + 3 * ((int)ri + 2 * fits))), &m, NULL);
                    /* The width the records end with. A dictionary page makes the
                     * chunk's presence bits unlike its column's others: escapes,
                     * full width. A row group's first chunk is its own base: its
                     * START stays 0. TUS, TCS, DPO and START are what compact
                     * records keep. */
                    const int escapes = lane == 2 || lane == 3;
                    const int moved = !(lane == 5 && where == 0);
                    const int plain = lane == 0 || lane == 1 || lane == 5;
                    const size_t expect = escapes || (!fits && moved) ? 32 : plain ? 8 : 16;
                    const size_t got = record_bytes(&m, 0), got_portable = record_bytes(&m, PQF_PORTABLE);
                    FB_CHECK(got == expect && got_portable == expect,
                             "lane %d where %d rgs %zu fits %d: %zu and %zu bytes per record", lane, where, nrg, fits,
                             got, got_portable);
                    model_free(&m);
                }
}
END_TEST

/* A file path (ColumnChunk field 1, before every value) of every length from 0
 * to 150 bytes: chunk lengths cross 64 and 128 bytes and value offsets pass
 * 120, the limits of the AVX-512 path, in both decode paths (check_model).
 * Offsets take 6-byte varints, so values straddle byte 128. With statistics
 * (odd lengths), every other row group adds page-index fields at the chunk's
 * end, past byte 128, so a compare that stopped there would take them for a
 * match; the two layouts alternate, so both templates take turns. */
START_TEST(t_template_length_sweep) {
    char path[160];
    for (size_t len = 0; len <= 150; len++) {
        memset(path, 'p', len);
        path[len] = '\0';
        model m;
        flat_model(&m, 2, 12);
        for (size_t g = 0; g < 12; g++) m.rgs[g].num_rows = 500 + (int64_t)g; /* one varint length */
        m.F.stats = len % 2; /* skipped statistics and key-value pairs: ~100 bytes more */
        for (size_t k = 0; k < 24; k++) {
            fb_chunk *c = &m.ch[k];
            size_t g = k / 2;
            c->has = PQF_CH_META | PQF_CH_FILE_PATH | (k % 2 ? 0 : PQF_CH_DICT); /* column 0 only */
            c->file_path = path;
            c->type = m.ch[k % 2].type; /* type and codec are structure: keep them */
            c->codec = 1;
            c->dict = (INT64_C(1) << 40) + 3000 * (int64_t)k;
            c->dpo = c->dict + 100;
            c->file_offset = c->dict;
            c->tcs = 1000 + (int64_t)(k % 5);
            c->tus = c->tcs + (int64_t)(k % 3);
            c->num_values = m.rgs[g].num_rows;
            if (g % 2 && len % 2) {
                c->has |= PQF_CH_OI_OFFSET | PQF_CH_OI_LENGTH;
                c->oi_off = c->dpo + 10;
                c->oi_len = 20;
            }
        }
        CHECK_MODEL(&m, NULL);
        pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX};
        CHECK_MODEL(&m, &o);
        model_free(&m);
    }
}
END_TEST

/* Templates are as long as the chunk they first record; a column whose chunks
 * grow past that (a file path of 10, then 150, 300 or 330 bytes) records into
 * a bigger one, and shrinking back reuses what it has, in both decode paths. */
START_TEST(t_template_growth) {
    static const size_t lens[16] = {10, 10, 150, 150, 10, 300, 300, 70, 200, 10, 10, 330, 5, 5, 150, 150};
    char *paths[16];
    model m;
    flat_model(&m, 2, 16);
    for (size_t g = 0; g < 16; g++) {
        paths[g] = malloc(lens[g] + 1);
        ck_assert_ptr_nonnull(paths[g]);
        memset(paths[g], 'a' + (int)(g % 3), lens[g]);
        paths[g][lens[g]] = '\0';
        m.rgs[g].num_rows = 500;
    }
    for (size_t k = 0; k < 32; k++) {
        fb_chunk *c = &m.ch[k];
        size_t g = k / 2;
        c->has = PQF_CH_META | PQF_CH_FILE_PATH;
        c->file_path = paths[g];
        c->type = m.ch[k % 2].type;
        c->codec = 1;
        c->dpo = 4 + 1000 * (int64_t)k;
        c->file_offset = c->dpo;
        c->tcs = c->tus = 1000;
        c->num_values = 500;
    }
    CHECK_MODEL(&m, NULL);
    model_free(&m);
    for (size_t g = 0; g < 16; g++) free(paths[g]);
}
END_TEST

START_TEST(t_no_metadata_and_crypto) {
    model m;
    flat_model(&m, 6, 5);
    for (size_t k = 0; k < 30; k++) {
        fb_chunk *c = &m.ch[k];
        if (k % 6 == 2 || k % 6 == 5) {               /* encrypted columns: no metadata */
            c->has = PQF_CH_CRYPTO;
            c->file_offset = 1000 + (int64_t)k;
        } else if (k % 6 == 0) {
            c->has |= PQF_CH_CRYPTO;                  /* footer-key column: both */
        }
    }
    m.F.encryption_fields = 0;
    pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX};
    CHECK_MODEL(&m, &o);
    size_t n;
    uint8_t *b = fb_footer_encode(&m.F, &n);
    pqf_footer *f = EXPECT_OK(b, n);
    ck_assert_uint_eq(pqf_footer_flags(f) & (PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM | PQF_FOOTER_HAS_SIGNING_KEY), 0);
    ck_assert(pqf_footer_flags(f) & PQF_FOOTER_HAS_COLUMN_CRYPTO);
    pqf_footer_free(f);
    free(b);
    /* every chunk without metadata */
    for (size_t k = 0; k < 30; k++) m.ch[k].has = 0;
    CHECK_MODEL(&m, NULL);
    /* the file-level encryption fields */
    m.F.encryption_fields = 1;
    b = fb_footer_encode(&m.F, &n);
    f = EXPECT_OK(b, n);
    ck_assert_uint_eq(pqf_footer_flags(f) & (PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM | PQF_FOOTER_HAS_SIGNING_KEY),
                      PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM | PQF_FOOTER_HAS_SIGNING_KEY);
    ck_assert_uint_eq(pqf_footer_flags(f) & PQF_FOOTER_HAS_COLUMN_CRYPTO, 0);
    pqf_footer_free(f);
    free(b);
    model_free(&m);
}
END_TEST

START_TEST(t_page_index_and_bloom_options) {
    model m;
    rng r = {77};
    shape sh = {.ncols = 7, .nrg = 9, .contiguous = 1, .pi_pct = 60, .bloom_pct = 60, .dict_pct = 50};
    gen_model(&r, &m, &sh);
    static const uint32_t flags[] = {0, PQF_KEEP_PAGE_INDEX, PQF_KEEP_BLOOM, PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM,
                                     PQF_KEEP_KV | PQF_KEEP_BLOOM};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        pqf_options o = {.flags = flags[i]};
        CHECK_MODEL(&m, &o);
    }
    /* keeping more costs more (or the same), never less */
    size_t n;
    uint8_t *b = fb_footer_encode(&m.F, &n);
    pqf_options o0 = {0}, o1 = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM};
    pqf_footer *f0 = EXPECT_OK_OPT(&o0, b, n), *f1 = EXPECT_OK_OPT(&o1, b, n);
    ck_assert_uint_le(pqf_footer_bytes(f0), pqf_footer_bytes(f1));
    pqf_footer_free(f0);
    pqf_footer_free(f1);
    free(b);
    model_free(&m);
}
END_TEST

/* BUG: a chunk without ColumnMetaData that follows a chunk whose start +
 * total_compressed_size exceeds INT64_MAX makes the model builder compute
 * row[s - 1].start + row[s - 1].tcs in int64_t: signed overflow (undefined
 * behaviour; UBSan aborts) in src/model_build.c normalize_row(). Both values
 * are accepted by the decoder (non-negative, no file size to check against).
 * Minimal footer (2 leaves, 1 row group; chunk 0: data_page_offset and
 * total_compressed_size INT64_MAX; chunk 1: file_offset only), 72 bytes:
 *   15 02 19 3C 48 01 72 15 04 00 15 04 38 01 61 00 15 04 38 01 62 00 16 02
 *   19 1C 19 2C 26 00 1C 15 04 19 25 00 06 19 18 01 61 15 00 16 02 16 02 16
 *   FE FF FF FF FF FF FF FF FF 01 26 FE FF FF FF FF FF FF FF FF 01 00 00 26
 *   00 00 16 02 16 02 00 00 */
START_TEST(t_no_meta_after_huge_chunk) {
    model m;
    flat_model(&m, 2, 1);
    m.ch[0] = (fb_chunk){.has = PQF_CH_META, .type = PQF_TYPE_INT64, .num_values = 1, .tus = 1, .tcs = INT64_MAX,
                         .dpo = INT64_MAX};
    m.ch[1] = (fb_chunk){.has = 0, .file_offset = 0};
    CHECK_MODEL(&m, NULL);
    model_free(&m);
}
END_TEST

/* ------------------------------------------------------------- projection --- */

/* root { a: int64; g: optional group { t: repeated int32; h: group { u, v } }; z } */
static const fb_se proj_schema[] = {
    {.name = "root", .has = PQF_SE_NUM_CHILDREN, .num_children = 3},
    {.name = "a", .has = PQF_SE_TYPE, .type = PQF_TYPE_INT64},
    {.name = "g", .has = PQF_SE_NUM_CHILDREN | PQF_SE_REPETITION, .num_children = 2, .repetition = PQF_REP_OPTIONAL},
    {.name = "t", .has = PQF_SE_TYPE | PQF_SE_REPETITION, .type = PQF_TYPE_INT32, .repetition = PQF_REP_REPEATED},
    {.name = "h", .has = PQF_SE_NUM_CHILDREN, .num_children = 2},
    {.name = "u", .has = PQF_SE_TYPE | PQF_SE_REPETITION, .type = PQF_TYPE_DOUBLE, .repetition = PQF_REP_OPTIONAL},
    {.name = "v", .has = PQF_SE_TYPE, .type = PQF_TYPE_FLOAT},
    {.name = "z", .has = PQF_SE_TYPE | PQF_SE_REPETITION, .type = PQF_TYPE_BYTE_ARRAY, .repetition = PQF_REP_REQUIRED},
};

static void proj_model(model *m) {
    memset(m, 0, sizeof *m);
    m->nschema = 8;
    m->schema = calloc(8, sizeof *m->schema);
    m->names = calloc(1, 16);
    ck_assert(m->schema && m->names);
    memcpy(m->schema, proj_schema, sizeof proj_schema);
    fb_tree_build(&m->tree, m->schema, 8);
    m->ncols = m->tree.nleaves;
    ck_assert_uint_eq(m->ncols, 5);
    m->nrg = 40;
    m->rgs = calloc(m->nrg, sizeof *m->rgs);
    m->ch = calloc(m->nrg * m->ncols, sizeof *m->ch);
    ck_assert(m->rgs && m->ch);
    for (size_t g = 0; g < m->nrg; g++) m->rgs[g] = (fb_rg){.num_rows = 100 + (int64_t)g, .total_byte_size = 1 << 20};
    fb_chunks_contiguous(m->ch, m->nrg, m->ncols, (const int32_t[]){2, 1, 5, 4, 6}, m->rgs);
    for (size_t k = 0; k < m->nrg * m->ncols; k++)
        if (k % 3 == 0) m->ch[k].has |= PQF_CH_DICT, m->ch[k].dict = m->ch[k].dpo, m->ch[k].dpo += 17;
    m->F = (fb_footer){.version = 1, .num_rows = 5, .schema = m->schema, .nschema = 8, .rgs = m->rgs,
                       .nrg = m->nrg, .chunks = m->ch};
}

static void proj_case(int line, model *m, const char *const *cols, size_t ncols, const uint32_t *idx, size_t nidx,
                      const char *want) {
    pqf_options o = {.columns = cols, .num_columns = ncols, .column_indexes = idx, .num_column_indexes = nidx};
    check_model(line, m, &o);
    size_t n;
    uint8_t *b = fb_footer_encode(&m->F, &n);
    pqf_footer *f = fb_expect_ok_opt(line, &o, b, n);
    char got[8] = {0};
    for (size_t c = 0; c < 5; c++) got[c] = pqf_test_col(f, c).projected ? '1' : '0';
    ck_assert_msg(strcmp(got, want) == 0, "line %d: projected %s want %s", line, got, want);
    /* the schema is kept whole whatever the projection */
    ck_assert_uint_eq(pqf_schema_count(f), 8);
    ck_assert_uint_eq(pqf_column_count(f), 5);
    pqf_footer_free(f);
    free(b);
}

START_TEST(t_projection) {
    model m;
    proj_model(&m);
    proj_case(__LINE__, &m, NULL, 0, NULL, 0, "11111");
    proj_case(__LINE__, &m, (const char *[]){"a"}, 1, NULL, 0, "10000");
    proj_case(__LINE__, &m, (const char *[]){"g.h.v"}, 1, NULL, 0, "00010");
    proj_case(__LINE__, &m, (const char *[]){"g"}, 1, NULL, 0, "01110");       /* group prefix */
    proj_case(__LINE__, &m, (const char *[]){"g.h"}, 1, NULL, 0, "00110");
    proj_case(__LINE__, &m, (const char *[]){"z", "g.t"}, 2, NULL, 0, "01001");
    proj_case(__LINE__, &m, (const char *[]){"g", "g.h.u"}, 2, NULL, 0, "01110"); /* overlapping */
    proj_case(__LINE__, &m, (const char *[]){"a", "a"}, 2, NULL, 0, "10000");     /* repeated */
    proj_case(__LINE__, &m, NULL, 0, (const uint32_t[]){4}, 1, "00001");
    proj_case(__LINE__, &m, NULL, 0, (const uint32_t[]){3, 0, 3}, 3, "10010");
    proj_case(__LINE__, &m, (const char *[]){"g.t"}, 1, (const uint32_t[]){0}, 1, "11000"); /* both kinds */
    proj_case(__LINE__, &m, (const char *[]){"g", "a", "z"}, 3, (const uint32_t[]){0, 1, 2, 3, 4}, 5, "11111");
    /* projection shrinks the model */
    size_t n;
    uint8_t *b = fb_footer_encode(&m.F, &n);
    pqf_options one = {.column_indexes = (const uint32_t[]){2}, .num_column_indexes = 1};
    pqf_footer *fa = EXPECT_OK(b, n), *f1 = EXPECT_OK_OPT(&one, b, n);
    ck_assert_uint_lt(pqf_footer_bytes(f1), pqf_footer_bytes(fa));
    ck_assert_uint_eq(pqf_projected_count(f1), 1);
    ck_assert_uint_eq(pqf_projected_count(fa), 5);
    pqf_chunk x, y;
    for (size_t g = 0; g < m.nrg; g++) {
        ck_assert_int_eq(pqf_chunk_get(f1, g, 2, &x), PQF_OK);
        ck_assert_int_eq(pqf_chunk_get(fa, g, 2, &y), PQF_OK);
        ck_assert_int_eq(x.start, y.start);
        ck_assert_int_eq(x.length, y.length);
        ck_assert_int_eq(x.dictionary_page_offset, y.dictionary_page_offset);
        for (size_t c = 0; c < 5; c++) {
            if (c == 2) continue;
            ck_assert_int_eq(pqf_chunk_get(f1, g, c, &x), PQF_ERR_NO_COLUMN);
        }
    }
    pqf_footer_free(fa);
    pqf_footer_free(f1);
    free(b);
    model_free(&m);
}
END_TEST

/* -------------------------------------------------------------- the size --- */

static size_t encoded_and_bytes(size_t ncols, size_t nrg, int stats, size_t *serialized) {
    fb_rg *rgs = calloc(nrg, sizeof *rgs);
    ck_assert_ptr_nonnull(rgs);
    for (size_t g = 0; g < nrg; g++)
        rgs[g] = (fb_rg){.has = PQF_RG_FILE_OFFSET | PQF_RG_TOTAL_COMPRESSED_SIZE | PQF_RG_ORDINAL,
                         .num_rows = 1000, .total_byte_size = 123456, .file_offset = 4 + (int64_t)g * 100000,
                         .total_compressed_size = 99999, .ordinal = (int16_t)g};
    fb_footer F = {.version = 2, .num_rows = 1000 * (int64_t)nrg, .created_by = "parquet-cpp-arrow version 14.0.0",
                   .ncols = ncols, .leaf_type = PQF_TYPE_DOUBLE, .leaf_type_set = 1, .rgs = rgs, .nrg = nrg,
                   .stats = stats, .column_orders = 1};
    size_t n;
    uint8_t *b = fb_footer_encode(&F, &n);
    pqf_footer *f = EXPECT_OK(b, n);
    size_t bytes = pqf_footer_bytes(f);
    ck_assert_uint_eq(pqf_footer_serialized_size(f), n);
    pqf_footer_free(f);
    free(b);
    free(rgs);
    *serialized = n;
    return bytes;
}

START_TEST(t_footer_bytes) {
    size_t s1, s2, s3;
    size_t b1 = encoded_and_bytes(100, 100, 1, &s1);
    /* far below the serialized size for a 100 x 100 footer with statistics */
    ck_assert_msg(b1 < s1 / 4, "retained %zu of %zu serialized bytes", b1, s1);
    /* more row groups: the retained size grows by much less than the footer does */
    size_t b2 = encoded_and_bytes(100, 400, 1, &s2);
    ck_assert_msg(b2 - b1 < (s2 - s1) / 8, "retained %zu -> %zu while serialized %zu -> %zu", b1, b2, s1, s2);
    /* the schema alone: every element's name ("c0".."c99", 3-4 bytes with its
     * NUL) and a few bytes of narrow fields are held, less than the public
     * struct per element */
    size_t b3 = encoded_and_bytes(100, 0, 0, &s3);
    ck_assert_uint_ge(b3, 101 * 4);
    ck_assert_msg(b3 < 101 * sizeof(pqf_schema_element), "schema of 101 elements kept in %zu bytes", b3);
    ck_assert_uint_gt(b1, b3);
    /* statistics are skipped: their presence changes nothing kept */
    size_t s4;
    size_t b4 = encoded_and_bytes(100, 100, 0, &s4);
    ck_assert_uint_lt(s4, s1);
    ck_assert_uint_eq(b4, b1);
}
END_TEST

/* -------------------------------------------------------- schema accessors --- */

START_TEST(t_schema_accessors) {
    model m;
    proj_model(&m);
    CHECK_MODEL(&m, NULL);
    size_t n;
    uint8_t *b = fb_footer_encode(&m.F, &n);
    pqf_footer *f = EXPECT_OK(b, n);
    static const struct { int32_t parent, column; uint16_t depth; int16_t def, rep; } want[8] = {
        {-1, -1, 0, 0, 0}, {0, 0, 1, 0, 0}, {0, -1, 1, 1, 0}, {2, 1, 2, 2, 1},
        {2, -1, 2, 1, 0},  {4, 2, 3, 2, 0}, {4, 3, 3, 1, 0},  {0, 4, 1, 0, 0},
    };
    for (size_t i = 0; i < 8; i++) {
        const pqf_schema_element e_v = pqf_test_se(f, i), *e = &e_v;
        ck_assert_ptr_nonnull(e);
        ck_assert_str_eq(e->name.ptr, proj_schema[i].name);
        ck_assert_int_eq(e->parent, want[i].parent);
        ck_assert_int_eq(e->column, want[i].column);
        ck_assert_uint_eq(e->depth, want[i].depth);
        ck_assert_int_eq(e->max_def, want[i].def);
        ck_assert_int_eq(e->max_rep, want[i].rep);
    }
    pqf_schema_element none;
    ck_assert_int_eq(pqf_schema_get(f, 8, &none), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_schema_get(f, SIZE_MAX, &none), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_schema_get(f, 0, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_schema_get(NULL, 0, &none), PQF_ERR_INVALID_ARG);
    static const char *const paths[5] = {"a", "g.t", "g.h.u", "g.h.v", "z"};
    static const int32_t types[5] = {PQF_TYPE_INT64, PQF_TYPE_INT32, PQF_TYPE_DOUBLE, PQF_TYPE_FLOAT, PQF_TYPE_BYTE_ARRAY};
    static const int16_t defs[5] = {0, 2, 2, 1, 0}, reps[5] = {0, 1, 0, 0, 0};
    for (size_t c = 0; c < 5; c++) {
        const pqf_column col_v = pqf_test_col(f, c), *col = &col_v;
        ck_assert_str_eq(col->path.ptr, paths[c]);
        ck_assert_uint_eq(col->path.len, strlen(paths[c]));
        ck_assert_int_eq(col->type, types[c]);
        ck_assert_int_eq(col->max_def, defs[c]);
        ck_assert_int_eq(col->max_rep, reps[c]);
        ck_assert_int_eq(col->projected, 1);
        ck_assert_int_eq(pqf_test_find(f, paths[c]), (long)c);
    }
    pqf_column no_col;
    ck_assert_int_eq(pqf_column_get(f, 5, &no_col), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_column_get(f, 0, NULL), PQF_ERR_INVALID_ARG);
    static const char *const misses[] = {"g", "g.h", "G.h.u", "", "g.h.u.", ".a", "a.", "root.a", "g.t.x", "gh.u"};
    size_t found = 99;
    for (size_t i = 0; i < sizeof misses / sizeof *misses; i++)
        ck_assert_int_eq(pqf_column_find(f, misses[i], &found), PQF_ERR_NO_COLUMN);
    ck_assert_int_eq(pqf_column_find(f, NULL, &found), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(found, 99);

    pqf_str parts[4];
    memset(parts, 0, sizeof parts);
    ck_assert_uint_eq(pqf_test_parts(f, 2, parts, 4), 3);
    ck_assert_str_eq(parts[0].ptr, "g");
    ck_assert_str_eq(parts[1].ptr, "h");
    ck_assert_str_eq(parts[2].ptr, "u");
    ck_assert_ptr_null(parts[3].ptr);
    memset(parts, 0, sizeof parts);
    ck_assert_uint_eq(pqf_test_parts(f, 3, parts, 1), 3); /* only the first part written */
    ck_assert_str_eq(parts[0].ptr, "g");
    ck_assert_ptr_null(parts[1].ptr);
    ck_assert_uint_eq(pqf_test_parts(f, 1, NULL, 0), 2);
    ck_assert_uint_eq(pqf_test_parts(f, 0, parts, 4), 1);
    ck_assert_str_eq(parts[0].ptr, "a");
    size_t depth = 99;
    ck_assert_int_eq(pqf_column_path_parts(f, 5, parts, 4, &depth), PQF_ERR_INVALID_ARG);
    ck_assert_uint_eq(depth, 99);
    pqf_footer_free(f);
    free(b);
    model_free(&m);
}
END_TEST

/* Deep nesting: levels add up along the path. */
START_TEST(t_schema_levels_deep) {
    enum { D = 40 };
    fb_se s[D + 2];
    char names[D + 2][24];
    memset(s, 0, sizeof s);
    s[0] = (fb_se){.name = "root", .has = PQF_SE_NUM_CHILDREN, .num_children = 1};
    int16_t def = 0, rep = 0;
    for (int i = 1; i <= D; i++) {
        snprintf(names[i], 24, "l%d", i);
        int r = i % 3;
        s[i] = (fb_se){.name = names[i], .has = PQF_SE_NUM_CHILDREN | PQF_SE_REPETITION, .num_children = 1,
                       .repetition = r};
        def = (int16_t)(def + (r != PQF_REP_REQUIRED));
        rep = (int16_t)(rep + (r == PQF_REP_REPEATED));
    }
    s[D + 1] = (fb_se){.name = "leaf", .has = PQF_SE_TYPE | PQF_SE_REPETITION, .type = PQF_TYPE_INT32,
                       .repetition = PQF_REP_OPTIONAL};
    fb_footer F = {.version = 1, .schema = s, .nschema = D + 2};
    size_t n;
    uint8_t *b = fb_footer_encode(&F, &n);
    pqf_footer *f = EXPECT_OK(b, n);
    const pqf_column c_v = pqf_test_col(f, 0), *c = &c_v;
    ck_assert_int_eq(c->max_def, def + 1);
    ck_assert_int_eq(c->max_rep, rep);
    ck_assert_uint_eq(pqf_test_se(f, D + 1).depth, D + 1);
    ck_assert_uint_eq(pqf_test_parts(f, 0, NULL, 0), D + 1);
    ck_assert_uint_eq(c->path.len, strlen(c->path.ptr));
    ck_assert(strncmp(c->path.ptr, "l1.l2.l3.", 9) == 0);
    ck_assert(strcmp(c->path.ptr + c->path.len - 9, "l40.leaf") == 0 || strcmp(c->path.ptr + c->path.len - 8, "l40.leaf") == 0);
    pqf_footer_free(f);
    free(b);
}
END_TEST

/* ----------------------------------------------------------- logical types --- */

typedef struct lt_spec {
    void (*body)(fb *w);
    uint8_t kind, unit, utc, is_signed;
    int8_t bit_width;
    uint8_t has_vv;
    int8_t vv;
    uint8_t has_alg;
    int32_t scale, precision, alg;
    const char *crs;
} lt_spec;

static void empty_member(fb *w, int16_t id) {
    fb_structf(w, id);
    fb_end(w);
}
#define SIMPLE(id) static void lt_##id(fb *w) { empty_member(w, id); }
SIMPLE(1) SIMPLE(2) SIMPLE(3) SIMPLE(4) SIMPLE(6) SIMPLE(11) SIMPLE(12) SIMPLE(13) SIMPLE(14) SIMPLE(15) SIMPLE(19)
static void lt_decimal(fb *w) { fb_structf(w, 5); fb_i32f(w, 1, 3); fb_i32f(w, 2, 18); fb_end(w); }
static void lt_decimal_rev(fb *w) { fb_structf(w, 5); fb_i32f(w, 2, 38); fb_i32f(w, 1, -2); fb_end(w); }
static void time_body(fb *w, int16_t id, int utc, int16_t unit) {
    fb_structf(w, id);
    fb_boolf(w, 1, utc);
    fb_structf(w, 2);
    if (unit) empty_member(w, unit);
    fb_end(w);
    fb_end(w);
}
static void lt_time_ms(fb *w) { time_body(w, 7, 0, 1); }
static void lt_time_us(fb *w) { time_body(w, 7, 1, 2); }
static void lt_ts_ns(fb *w) { time_body(w, 8, 1, 3); }
static void lt_ts_nounit(fb *w) { time_body(w, 8, 0, 0); }
static void lt_ts_two_units(fb *w) {
    fb_structf(w, 8);
    fb_structf(w, 2);
    empty_member(w, 3);
    empty_member(w, 2);
    fb_end(w);
    fb_boolf(w, 1, 1);
    fb_end(w);
}
static void lt_ts_unknown_unit(fb *w) {
    fb_structf(w, 8);
    fb_boolf(w, 1, 0);
    fb_structf(w, 2);
    empty_member(w, 9);
    fb_end(w);
    fb_end(w);
}
static void lt_int_u64(fb *w) { fb_structf(w, 10); fb_bytef(w, 1, 64); fb_boolf(w, 2, 0); fb_end(w); }
static void lt_int_s8(fb *w) { fb_structf(w, 10); fb_boolf(w, 2, 1); fb_bytef(w, 1, 8); fb_end(w); }
static void lt_int_neg(fb *w) { fb_structf(w, 10); fb_bytef(w, 1, 0xF8); fb_boolf(w, 2, 1); fb_end(w); }
static void lt_variant(fb *w) { empty_member(w, 16); }
static void lt_variant_v(fb *w) { fb_structf(w, 16); fb_bytef(w, 1, 1); fb_end(w); }
static void lt_geometry(fb *w) { empty_member(w, 17); }
static void lt_geometry_crs(fb *w) { fb_structf(w, 17); fb_strf(w, 1, "OGC:CRS84"); fb_end(w); }
static void lt_geography(fb *w) { empty_member(w, 18); }
static void lt_geography_full(fb *w) { fb_structf(w, 18); fb_strf(w, 1, "srid:4326"); fb_i32f(w, 2, 4); fb_end(w); }
static void lt_geography_alg(fb *w) { fb_structf(w, 18); fb_i32f(w, 2, 0); fb_end(w); }
/* several members: the lowest id wins, wherever it is */
static void lt_ts_and_string(fb *w) { time_body(w, 8, 1, 2); empty_member(w, 1); }
static void lt_int_and_decimal(fb *w) { lt_int_u64(w); lt_decimal(w); }
static void lt_json_and_unknown(fb *w) { empty_member(w, 30); empty_member(w, 12); empty_member(w, 100); }
/* nothing this version knows */
static void lt_unknown_member(fb *w) { empty_member(w, 30); }
static void lt_reserved_9(fb *w) { empty_member(w, 9); }
static void lt_wrong_type(fb *w) { fb_i32f(w, 1, 5); fb_strf(w, 5, "x"); }
static void lt_empty(fb *w) { (void)w; }
static void lt_negative_id(fb *w) { fb_field_long(w, FB_STRUCT, -5); fb_begin(w); fb_end(w); }

static const lt_spec lt_cases[] = {
    {lt_1, .kind = PQF_LT_STRING},
    {lt_2, .kind = PQF_LT_MAP},
    {lt_3, .kind = PQF_LT_LIST},
    {lt_4, .kind = PQF_LT_ENUM},
    {lt_decimal, .kind = PQF_LT_DECIMAL, .scale = 3, .precision = 18},
    {lt_decimal_rev, .kind = PQF_LT_DECIMAL, .scale = -2, .precision = 38},
    {lt_6, .kind = PQF_LT_DATE},
    {lt_time_ms, .kind = PQF_LT_TIME, .unit = PQF_UNIT_MILLIS, .utc = 0},
    {lt_time_us, .kind = PQF_LT_TIME, .unit = PQF_UNIT_MICROS, .utc = 1},
    {lt_ts_ns, .kind = PQF_LT_TIMESTAMP, .unit = PQF_UNIT_NANOS, .utc = 1},
    {lt_ts_nounit, .kind = PQF_LT_TIMESTAMP, .unit = 0},
    {lt_ts_two_units, .kind = PQF_LT_TIMESTAMP, .unit = PQF_UNIT_MICROS, .utc = 1},
    {lt_ts_unknown_unit, .kind = PQF_LT_TIMESTAMP, .unit = 0},
    {lt_int_u64, .kind = PQF_LT_INTEGER, .bit_width = 64, .is_signed = 0},
    {lt_int_s8, .kind = PQF_LT_INTEGER, .bit_width = 8, .is_signed = 1},
    {lt_int_neg, .kind = PQF_LT_INTEGER, .bit_width = -8, .is_signed = 1},
    {lt_11, .kind = PQF_LT_UNKNOWN},
    {lt_12, .kind = PQF_LT_JSON},
    {lt_13, .kind = PQF_LT_BSON},
    {lt_14, .kind = PQF_LT_UUID},
    {lt_15, .kind = PQF_LT_FLOAT16},
    {lt_variant, .kind = PQF_LT_VARIANT},
    {lt_variant_v, .kind = PQF_LT_VARIANT, .has_vv = 1, .vv = 1},
    {lt_geometry, .kind = PQF_LT_GEOMETRY},
    {lt_geometry_crs, .kind = PQF_LT_GEOMETRY, .crs = "OGC:CRS84"},
    {lt_geography, .kind = PQF_LT_GEOGRAPHY},
    {lt_geography_full, .kind = PQF_LT_GEOGRAPHY, .crs = "srid:4326", .has_alg = 1, .alg = 4},
    {lt_geography_alg, .kind = PQF_LT_GEOGRAPHY, .has_alg = 1, .alg = 0},
    {lt_19, .kind = PQF_LT_FILE},
    {lt_ts_and_string, .kind = PQF_LT_STRING},
    {lt_int_and_decimal, .kind = PQF_LT_DECIMAL, .scale = 3, .precision = 18},
    {lt_json_and_unknown, .kind = PQF_LT_JSON},
    {lt_unknown_member, .kind = PQF_LT_UNRECOGNIZED},
    {lt_reserved_9, .kind = PQF_LT_UNRECOGNIZED},
    {lt_wrong_type, .kind = PQF_LT_UNRECOGNIZED},
    {lt_empty, .kind = PQF_LT_UNRECOGNIZED},
    {lt_negative_id, .kind = PQF_LT_UNRECOGNIZED},
};

START_TEST(t_logical_types) {
    enum { N = sizeof lt_cases / sizeof *lt_cases };
    fb bodies[N];
    fb_se s[N + 2];
    char names[N + 2][24];
    memset(s, 0, sizeof s);
    s[0] = (fb_se){.name = "root", .has = PQF_SE_NUM_CHILDREN, .num_children = N + 1};
    for (size_t i = 0; i < N; i++) {
        fb_init(&bodies[i]);
        fb_begin(&bodies[i]);
        lt_cases[i].body(&bodies[i]);
        fb_end(&bodies[i]);
        snprintf(names[i + 1], 24, "c%zu", i);
        s[i + 1] = (fb_se){.name = names[i + 1], .has = PQF_SE_TYPE | PQF_SE_LOGICAL_TYPE, .type = PQF_TYPE_INT64,
                           .logical = bodies[i].buf, .logical_len = bodies[i].len};
    }
    /* plus one without a logical type but with the legacy fields */
    s[N + 1] = (fb_se){.name = "legacy", .has = PQF_SE_TYPE | PQF_SE_CONVERTED_TYPE | PQF_SE_SCALE | PQF_SE_PRECISION |
                                                PQF_SE_TYPE_LENGTH | PQF_SE_FIELD_ID,
                       .type = PQF_TYPE_FIXED_LEN_BYTE_ARRAY, .converted_type = 5, .scale = 4, .precision = 12,
                       .type_length = 16, .field_id = -7};
    fb_footer F = {.version = 1, .schema = s, .nschema = N + 2};
    size_t n;
    uint8_t *b = fb_footer_encode(&F, &n);
    pqf_footer *f = EXPECT_OK(b, n);
    for (size_t i = 0; i < N; i++) {
        const pqf_schema_element e_v = pqf_test_se(f, i + 1), *e = &e_v;
        const pqf_logical_type *l = &e->logical;
        const lt_spec *x = &lt_cases[i];
        ck_assert_msg(e->has & PQF_SE_LOGICAL_TYPE, "case %zu: has", i);
        ck_assert_msg(l->kind == x->kind, "case %zu: kind %d want %d", i, l->kind, x->kind);
        if (x->kind == PQF_LT_TIME || x->kind == PQF_LT_TIMESTAMP) {
            ck_assert_msg(l->unit == x->unit, "case %zu: unit %d want %d", i, l->unit, x->unit);
            ck_assert_msg(l->is_adjusted_to_utc == x->utc, "case %zu: utc", i);
        }
        if (x->kind == PQF_LT_INTEGER) {
            ck_assert_msg(l->bit_width == x->bit_width && l->is_signed == x->is_signed, "case %zu: int", i);
        }
        if (x->kind == PQF_LT_DECIMAL)
            ck_assert_msg(l->scale == x->scale && l->precision == x->precision, "case %zu: decimal %d/%d", i,
                          l->scale, l->precision);
        if (x->kind == PQF_LT_VARIANT)
            ck_assert_msg(l->has_variant_version == x->has_vv && l->variant_version == x->vv, "case %zu: variant", i);
        if (x->kind == PQF_LT_GEOGRAPHY)
            ck_assert_msg(l->has_algorithm == x->has_alg && l->algorithm == x->alg, "case %zu: algorithm", i);
        if (x->kind == PQF_LT_GEOMETRY || x->kind == PQF_LT_GEOGRAPHY) {
            if (x->crs) {
                ck_assert_msg(l->crs.ptr && strcmp(l->crs.ptr, x->crs) == 0 && l->crs.len == strlen(x->crs),
                              "case %zu: crs", i);
            } else {
                ck_assert_msg(l->crs.ptr == NULL, "case %zu: crs absent", i);
            }
        }
        if (x->kind == PQF_LT_DECIMAL && i == 30) ck_assert_int_eq(l->bit_width, 0); /* the loser left no trace */
    }
    const pqf_schema_element e_v = pqf_test_se(f, N + 1), *e = &e_v;
    ck_assert_int_eq(e->logical.kind, PQF_LT_NONE);
    ck_assert_uint_eq(e->has, PQF_SE_TYPE | PQF_SE_CONVERTED_TYPE | PQF_SE_SCALE | PQF_SE_PRECISION |
                                  PQF_SE_TYPE_LENGTH | PQF_SE_FIELD_ID);
    ck_assert_int_eq(e->converted_type, 5);
    ck_assert_int_eq(e->scale, 4);
    ck_assert_int_eq(e->precision, 12);
    ck_assert_int_eq(e->type_length, 16);
    ck_assert_int_eq(e->field_id, -7);
    ck_assert_int_eq(e->type, PQF_TYPE_FIXED_LEN_BYTE_ARRAY);
    ck_assert_int_eq(pqf_test_se(f, 0).logical.kind, PQF_LT_NONE);
    pqf_footer_free(f);
    free(b);
    for (size_t i = 0; i < N; i++) fb_free(&bodies[i]);
}
END_TEST

/* ------------------------------------------------------------- key-value --- */

START_TEST(t_key_value) {
    static const char *const kv[] = {"k", "v", "empty", "", "novalue", NULL, "", "empty key",
                                     "ARROW:schema", "/////w=="};
    fb_footer F = {.version = 1, .ncols = 1, .kv = kv, .nkv = 5};
    size_t n;
    uint8_t *b = fb_footer_encode(&F, &n);
    pqf_options o = {.flags = PQF_KEEP_KV};
    pqf_footer *f = EXPECT_OK_OPT(&o, b, n);
    ck_assert(pqf_footer_flags(f) & PQF_FOOTER_HAS_KV);
    ck_assert_uint_eq(pqf_kv_count(f), 5);
    for (size_t i = 0; i < 5; i++) {
        pqf_str k, v;
        memset(&k, 0xAB, sizeof k);
        memset(&v, 0xAB, sizeof v);
        ck_assert_int_eq(pqf_kv_get(f, i, &k, &v), PQF_OK);
        ck_assert_str_eq(k.ptr, kv[2 * i]);
        ck_assert_uint_eq(k.len, strlen(kv[2 * i]));
        if (kv[2 * i + 1]) {
            ck_assert_ptr_nonnull(v.ptr);
            ck_assert_str_eq(v.ptr, kv[2 * i + 1]);
            ck_assert_uint_eq(v.len, strlen(kv[2 * i + 1]));
        } else {
            ck_assert_ptr_null(v.ptr);
            ck_assert_uint_eq(v.len, 0);
        }
    }
    pqf_str k;
    ck_assert_int_eq(pqf_kv_get(f, 5, &k, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_kv_get(f, SIZE_MAX, NULL, NULL), PQF_ERR_INVALID_ARG);
    ck_assert_int_eq(pqf_kv_get(f, 0, NULL, NULL), PQF_OK);
    ck_assert_int_eq(pqf_kv_get(f, 1, &k, NULL), PQF_OK);
    ck_assert_str_eq(k.ptr, "empty");
    pqf_footer_free(f);
    /* not kept without the flag, but its presence is */
    f = EXPECT_OK(b, n);
    ck_assert(pqf_footer_flags(f) & PQF_FOOTER_HAS_KV);
    ck_assert_uint_eq(pqf_kv_count(f), 0);
    ck_assert_int_eq(pqf_kv_get(f, 0, &k, NULL), PQF_ERR_INVALID_ARG);
    pqf_footer_free(f);
    free(b);
    /* none at all */
    F.nkv = 0;
    b = fb_footer_encode(&F, &n);
    f = EXPECT_OK_OPT(&o, b, n);
    ck_assert_uint_eq(pqf_footer_flags(f) & PQF_FOOTER_HAS_KV, 0);
    ck_assert_uint_eq(pqf_kv_count(f), 0);
    pqf_footer_free(f);
    free(b);
    /* an empty list, and many entries */
    static const uint8_t empty_kv[] = {PRE_KV_EMPTY};
    f = EXPECT_OK_OPT(&o, empty_kv, sizeof empty_kv);
    ck_assert(pqf_footer_flags(f) & PQF_FOOTER_HAS_KV);
    ck_assert_uint_eq(pqf_kv_count(f), 0);
    pqf_footer_free(f);
    enum { MANY = 1500 };
    char (*buf)[24] = calloc(2 * MANY, 24);
    const char **many = calloc(2 * MANY, sizeof *many);
    ck_assert(buf && many);
    for (size_t i = 0; i < MANY; i++) {
        snprintf(buf[2 * i], 24, "key%zu", i);
        snprintf(buf[2 * i + 1], 24, "value%zu", i * 31);
        many[2 * i] = buf[2 * i];
        many[2 * i + 1] = (i % 5) ? buf[2 * i + 1] : NULL;
    }
    F.kv = many;
    F.nkv = MANY;
    b = fb_footer_encode(&F, &n);
    f = EXPECT_OK_OPT(&o, b, n);
    ck_assert_uint_eq(pqf_kv_count(f), MANY);
    for (size_t i = 0; i < MANY; i++) {
        pqf_str kk, vv;
        ck_assert_int_eq(pqf_kv_get(f, i, &kk, &vv), PQF_OK);
        ck_assert_str_eq(kk.ptr, many[2 * i]);
        if (many[2 * i + 1]) ck_assert_str_eq(vv.ptr, many[2 * i + 1]);
        else ck_assert_ptr_null(vv.ptr);
    }
    pqf_footer_free(f);
    free(b);
    free(buf);
    free(many);
}
END_TEST

/* ------------------------------------------------------------------ suite --- */

static Suite *make_suite(void) {
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, t_random_shapes, 0, 8);
    tcase_add_test(tc, t_fixed_shapes);
    tcase_add_test(tc, t_chunk_start_rule);
    tcase_add_test(tc, t_extreme_values);
    tcase_add_test(tc, t_file_paths);
    tcase_add_test(tc, t_template_length_sweep);
    tcase_add_test(tc, t_template_growth);
    tcase_add_test(tc, t_each_lane_escapes);
    tcase_add_test(tc, t_narrow_records_widen);
    tcase_add_test(tc, t_long_chunk_tail);
    tcase_add_test(tc, t_staged_and_escaped_chunks);
    tcase_add_test(tc, t_no_metadata_and_crypto);
    tcase_add_test(tc, t_no_meta_after_huge_chunk);
    tcase_add_test(tc, t_page_index_and_bloom_options);
    tcase_add_test(tc, t_projection);
    tcase_add_test(tc, t_footer_bytes);
    tcase_add_test(tc, t_schema_accessors);
    tcase_add_test(tc, t_schema_levels_deep);
    tcase_add_test(tc, t_logical_types);
    tcase_add_test(tc, t_key_value);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
