/* Saving the compact model and loading it back. Loading treats the bytes as
 * untrusted: every count is checked against the bytes present before it
 * sizes anything, and the packed tables are checked for consistency. */
#include <stdlib.h>

#include "model.h"
#include "stats.h"
#include "model_encodings.h"

#define SER_MAGIC "PQFM"
#define SER_VERSION 2u /* 2 (this release; 1 was the first): the encodings table follows the packed
                           * bits, columns may share entries, kept statistics may follow */
#define STR_ABSENT 0xFFFFFFFFu

/* ----------------------------------------------------------------- writing --- */

void pqf_sink_put(pqf_sink *s, const void *p, size_t n) {
    const uint8_t *b = p;
    while (n) {
        if (s->n == sizeof s->buf) s->flush(s);
        size_t k = sizeof s->buf - s->n;
        if (k > n) k = n;
        memcpy(s->buf + s->n, b, k);
        s->n += k;
        b += k;
        n -= k;
    }
}

typedef struct ser_writer {
    pqf_sink sink; /* first: the flush callback gets it */
    pqf_write_fn fn;
    void *ctx;
    int failed;
} ser_writer;

static void w_flush_sink(pqf_sink *s) {
    ser_writer *w = (ser_writer *)s;
    if (s->n && !w->failed && w->fn(w->ctx, s->buf, s->n) != 0) w->failed = 1;
    s->n = 0;
}

static void w_bytes(ser_writer *w, const void *p, size_t n) { pqf_sink_put(&w->sink, p, n); }

static void w_u64(ser_writer *w, uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
    w_bytes(w, b, 8);
}
static void w_u32(ser_writer *w, uint32_t v) {
    uint8_t b[4];
    for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
    w_bytes(w, b, 4);
}
static void w_u16(ser_writer *w, uint16_t v) {
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    w_bytes(w, b, 2);
}
static void w_u8(ser_writer *w, uint8_t v) { w_bytes(w, &v, 1); }
static void w_str(ser_writer *w, const pqf_str *s) {
    if (!s->ptr) {
        w_u32(w, STR_ABSENT);
        return;
    }
    w_u32(w, (uint32_t)s->len);
    w_bytes(w, s->ptr, s->len);
}
static void w_packed(ser_writer *w, const pqf_packed_col *pc) {
    w_u64(w, pc->bitpos);
    w_u32(w, pc->mask);
    w_u32(w, pc->entry);
}

static void w_put(void *w, const void *p, size_t n) { w_bytes(w, p, n); }

pqf_code pqf_footer_serialize(const pqf_footer *F, pqf_write_fn fn, void *ctx) {
    if (!F || !fn) return PQF_ERR_INVALID_ARG;
    /* The staging buffer comes from the footer's own allocator, like
     * everything else the library takes. */
    const pqf_allocator *alc = &F->alc;
    ser_writer *w = alc->alloc(alc->ctx, sizeof *w);
    if (!w) return PQF_ERR_NOMEM;
    w->sink.flush = w_flush_sink;
    w->sink.n = 0;
    w->fn = fn;
    w->ctx = ctx;
    w->failed = 0;
    w_bytes(w, SER_MAGIC, 4);
    w_u32(w, SER_VERSION);
    w_u32(w, F->options);
    w_u32(w, F->fflags);
    w_u32(w, (uint32_t)F->version);
    w_u64(w, (uint64_t)F->num_rows);
    w_u64(w, F->serialized_size);
    w_u64(w, F->file_size);
    w_u64(w, F->nrg);
    w_u32(w, F->nschema);
    w_u32(w, F->ncols);
    w_u32(w, F->nslots);
    w_u32(w, F->nkv);
    w_u32(w, F->nfpaths);
    w_u32(w, F->nentries);
    w_u64(w, F->nbits_bytes);
    w_str(w, &F->created_by);
    for (uint32_t i = 0; i < F->nschema; i++) {
        pqf_schema_element el;
        pqf_schema_fill(F->sb, i, &el);
        const pqf_schema_element *e = &el;
        const pqf_logical_type *lt = &e->logical;
        w_str(w, &e->name);
        w_u32(w, e->has);
        int32_t v[8] = {e->type, e->type_length, e->repetition, e->num_children, e->converted_type,
                        e->scale, e->precision, e->field_id};
        for (int k = 0; k < 8; k++) w_u32(w, (uint32_t)v[k]);
        uint8_t b[8] = {lt->kind, lt->unit, lt->is_adjusted_to_utc, lt->is_signed, (uint8_t)lt->bit_width,
                        lt->has_variant_version, (uint8_t)lt->variant_version, lt->has_algorithm};
        w_bytes(w, b, 8);
        w_u32(w, (uint32_t)lt->scale);
        w_u32(w, (uint32_t)lt->precision);
        w_u32(w, (uint32_t)lt->algorithm);
        w_str(w, &lt->crs);
    }
    for (uint32_t c = 0; c < F->ncols; c++) w_u8(w, pqf_col_slot(F->col_slot, F->slot_w, c) != UINT32_MAX);
    for (uint32_t i = 0; i < 2 * F->nkv; i++) w_str(w, &F->kv[i]);
    for (uint32_t i = 0; i < F->nfpaths; i++) w_str(w, &F->fpaths[i]);
    w_packed(w, &F->rg);
    /* A column without entries is saved pointing where the next new entries
     * go, as the builder numbers them (the loader checks exactly that). */
    uint32_t next = 0;
    for (uint32_t s = 0; s < F->nslots; s++) {
        pqf_packed_col pc = pqf_slot_col(F, s);
        if (!pc.mask) pc.entry = next;
        else if (pc.entry == next) next += (uint32_t)pqf_popcount32(pc.mask);
        w_packed(w, &pc);
    }
    for (uint32_t e = 0; e < F->nentries; e++) {
        w_u64(w, F->ebase[e]);
        w_u16(w, F->emeta[e]);
    }
    w_bytes(w, F->bits, F->nbits_bytes);
    if (F->enc) pqf_enc_serialize(F->enc, w_put, w);
    pqf_stats_save(F, w_put, w); /* kept statistics, when there are */
    w_flush_sink(&w->sink);
    int failed = w->failed;
    alc->free(alc->ctx, w, sizeof *w);
    return failed ? PQF_ERR_IO : PQF_OK;
}

/* ----------------------------------------------------------------- reading --- */

static int r_need(pqf_cur *c, size_t n) {
    if (n > (size_t)(c->end - c->p)) return pqf_fail(c, PQF_ERR_TRUNCATED, "saved model ends early");
    return 0;
}
static int r_u64(pqf_cur *c, uint64_t *v) {
    int rc = r_need(c, 8);
    if (rc) return rc;
    *v = pqf_load64le(c->p);
    c->p += 8;
    return 0;
}
static int r_u32(pqf_cur *c, uint32_t *v) {
    int rc = r_need(c, 4);
    if (rc) return rc;
    const uint8_t *p = c->p;
    *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    c->p += 4;
    return 0;
}
static int r_i32(pqf_cur *c, int32_t *v) {
    uint32_t u;
    int rc = r_u32(c, &u);
    memcpy(v, &u, sizeof u);
    return rc;
}
static int r_bytes(pqf_cur *c, void *out, size_t n) {
    int rc = r_need(c, n);
    if (rc) return rc;
    if (n) memcpy(out, c->p, n);
    c->p += n;
    return 0;
}
/* A saved string, copied into the arena a. */
static int r_str(pqf_cur *c, pqf_arena *a, pqf_str *s) {
    uint32_t n;
    int rc = r_u32(c, &n);
    if (rc) return rc;
    s->ptr = NULL;
    s->len = 0;
    if (n == STR_ABSENT) return 0;
    if ((rc = r_need(c, n))) return rc;
    rc = pqf_copy_str(a, c, c->p, n, s);
    c->p += n;
    return rc;
}
static int r_packed(pqf_cur *c, pqf_packed_col *pc) {
    int rc = r_u64(c, &pc->bitpos);
    if (!rc) rc = r_u32(c, &pc->mask);
    if (!rc) rc = r_u32(c, &pc->entry);
    return rc;
}

int pqf_model_check_tables(const pqf_packed_col *cols, uint32_t nslots, const pqf_packed_col *rg,
                           const uint16_t *emeta, uint32_t nentries, uint64_t nrg, size_t nbits_bytes) {
    uint64_t pos = 0;
    uint32_t e = 0;
    uint64_t avail = ((uint64_t)nbits_bytes - 16) * 8;
    for (uint32_t s = 0; s <= nslots; s++) {
        int is_rg = s == nslots;
        const pqf_packed_col *pc = is_rg ? rg : &cols[s];
        unsigned nf = is_rg ? RF_COUNT : CF_COUNT;
        if (pc->mask >> nf) return -1;
        if (pc->bitpos != pos) return -1;
        /* A column's entries follow the previous ones, or are an earlier
         * range shared with columns that have the same ones (not the row
         * groups'); either way they must suit this column's fields. */
        uint32_t k = (uint32_t)pqf_popcount32(pc->mask);
        int shared = pc->entry != e;
        if (shared && (is_rg || !k || pc->entry > e || e - pc->entry < k)) return -1;
        uint32_t x = pc->entry;
        for (unsigned f = 0; f < nf; f++) {
            if (!(pc->mask & (1u << f))) continue;
            if (x >= nentries) return -1;
            uint16_t m = emeta[x];
            unsigned w = EMETA_WIDTH(m);
            if (w > 64 || (m & 0x80) || (m >> 12) || !pqf_ref_allowed(f, EMETA_REF(m), s, is_rg)) return -1;
            pos += (uint64_t)w * nrg;
            if (pos > avail) return -1;
            x++;
        }
        if (!shared) e = x;
    }
    return e == nentries ? 0 : -1;
}

/* Smallest serialized schema element: name length, has, 8 ints, 8 bytes, 3 ints, crs length. */
#define MIN_ELEMENT_BYTES (4 + 4 + 32 + 8 + 12 + 4)

static pqf_footer *load(pqf_dec *d) {
    pqf_cur *c = &d->cur; /* the saved bytes; d holds the schema the tree is rebuilt from */
    char magic[4];
    uint32_t ver, options, fflags, nkv, nfpaths, nentries;
    int32_t version;
    uint64_t num_rows, ssize, fsize, nrg, nbits_bytes;
    pqf_str created_by;
    if (r_bytes(c, magic, 4)) return NULL;
    if (memcmp(magic, SER_MAGIC, 4) != 0) {
        pqf_fail(c, PQF_ERR_MALFORMED, "not a saved pqfoot model");
        return NULL;
    }
    if (r_u32(c, &ver) || r_u32(c, &options) || r_u32(c, &fflags) || r_i32(c, &version) ||
        r_u64(c, &num_rows) || r_u64(c, &ssize) || r_u64(c, &fsize) || r_u64(c, &nrg) ||
        r_u32(c, &d->nschema) || r_u32(c, &d->ncols) || r_u32(c, &d->nslots) || r_u32(c, &nkv) ||
        r_u32(c, &nfpaths) || r_u32(c, &nentries) || r_u64(c, &nbits_bytes) || r_str(c, &d->work, &created_by))
        return NULL;
    if (ver != SER_VERSION) {
        pqf_fail(c, PQF_ERR_MALFORMED, "saved model of another format version");
        return NULL;
    }
    size_t left = (size_t)(c->end - c->p);
    if (nrg > INT32_MAX || nbits_bytes < 16 || nbits_bytes > left || d->nschema > left / MIN_ELEMENT_BYTES ||
        d->ncols > left || d->nslots > d->ncols || nkv > left / 8 || nfpaths > left / 4 ||
        nentries > left / 10 || (int64_t)num_rows < 0) {
        pqf_fail(c, PQF_ERR_MALFORMED, "saved model counts exceed its size");
        return NULL;
    }
    d->schema = pqf_arena_alloc(&d->work, (size_t)(d->nschema ? d->nschema : 1) * sizeof(pqf_schema_element));
    if (!d->schema) {
        pqf_fail_mem(d);
        return NULL;
    }
    for (uint32_t i = 0; i < d->nschema; i++) {
        pqf_schema_element *e = &d->schema[i];
        pqf_logical_type *lt = &e->logical;
        memset(e, 0, sizeof *e);
        int32_t v[8];
        uint8_t b[8];
        if (r_str(c, &d->work, &e->name) || r_u32(c, &e->has)) return NULL;
        for (int k = 0; k < 8; k++)
            if (r_i32(c, &v[k])) return NULL;
        if (r_bytes(c, b, 8) || r_i32(c, &lt->scale) || r_i32(c, &lt->precision) || r_i32(c, &lt->algorithm) ||
            r_str(c, &d->work, &lt->crs))
            return NULL;
        if (!e->name.ptr) {
            pqf_fail(c, PQF_ERR_MALFORMED, "schema element without a name");
            return NULL;
        }
        e->type = v[0], e->type_length = v[1], e->repetition = v[2], e->num_children = v[3];
        e->converted_type = v[4], e->scale = v[5], e->precision = v[6], e->field_id = v[7];
        lt->kind = b[0], lt->unit = b[1], lt->is_adjusted_to_utc = b[2], lt->is_signed = b[3];
        lt->bit_width = (int8_t)b[4], lt->has_variant_version = b[5], lt->variant_version = (int8_t)b[6];
        lt->has_algorithm = b[7];
    }
    uint32_t ncols_saved = d->ncols, nslots_saved = d->nslots;
    uint8_t *proj = pqf_arena_alloc(&d->work, ncols_saved ? ncols_saved : 1);
    if (!proj) {
        pqf_fail_mem(d);
        return NULL;
    }
    if (r_bytes(c, proj, ncols_saved)) return NULL;
    d->proj_flags = proj;
    /* The tree is derived again, never read: it cannot disagree with the schema. */
    if (pqf_build_schema_tree(d) || pqf_resolve_projection(d)) return NULL;
    if (d->ncols != ncols_saved || d->nslots != nslots_saved) {
        pqf_fail(c, PQF_ERR_MALFORMED, "saved model columns disagree with its schema");
        return NULL;
    }
    d->nkv = nkv;
    d->kv = pqf_arena_alloc(&d->work, (size_t)(nkv ? nkv : 1) * 2 * sizeof(pqf_str));
    d->fpaths = pqf_arena_alloc(&d->work, (size_t)(nfpaths ? nfpaths : 1) * sizeof(pqf_str));
    if (!d->kv || !d->fpaths) {
        pqf_fail_mem(d);
        return NULL;
    }
    for (uint32_t i = 0; i < 2 * nkv; i++)
        if (r_str(c, &d->work, &d->kv[i])) return NULL;
    for (uint32_t i = 0; i < nkv; i++)
        if (!d->kv[2 * i].ptr) {
            pqf_fail(c, PQF_ERR_MALFORMED, "key-value entry without a key");
            return NULL;
        }
    d->nfpaths = nfpaths;
    for (uint32_t i = 0; i < nfpaths; i++)
        if (r_str(c, &d->work, &d->fpaths[i])) return NULL;
    d->created_by = created_by;

    size_t strings = pqf_pool_size(&created_by);
    for (uint32_t i = 0; i < 2 * nkv; i++) strings += pqf_pool_size(&d->kv[i]);
    for (uint32_t i = 0; i < nfpaths; i++) strings += pqf_pool_size(&d->fpaths[i]);
    if ((size_t)(c->end - c->p) < (size_t)(d->nslots + 1) * 16 + (size_t)nentries * 10 + nbits_bytes) {
        pqf_fail(c, PQF_ERR_TRUNCATED, "saved model ends early");
        return NULL;
    }
    /* The packed-column descriptors and entries go to work memory first: the
     * footer's slot tables are sized by the shapes they hold. */
    uint32_t ns = d->nslots;
    pqf_packed_col rg, *cols = pqf_arena_alloc(&d->work, (size_t)(ns ? ns : 1) * sizeof *cols);
    uint32_t *ids = pqf_arena_alloc(&d->work, (size_t)(ns ? ns : 1) * sizeof *ids);
    uint64_t *ebase = pqf_arena_alloc(&d->work, (size_t)(nentries ? nentries : 1) * sizeof *ebase);
    uint16_t *emeta = pqf_arena_alloc(&d->work, (size_t)(nentries ? nentries : 1) * sizeof *emeta);
    if (!cols || !ids || !ebase || !emeta) {
        pqf_fail_mem(d);
        return NULL;
    }
    int bad = r_packed(c, &rg);
    for (uint32_t s = 0; s < ns && !bad; s++) bad = r_packed(c, &cols[s]);
    for (uint32_t e = 0; e < nentries && !bad; e++) {
        uint8_t b[2];
        bad = r_u64(c, &ebase[e]) || r_bytes(c, b, 2);
        emeta[e] = (uint16_t)(b[0] | b[1] << 8);
    }
    if (bad) return NULL;
    pqf_slot_layout lay;
    if (pqf_slot_layout_plan(&d->mem, cols, NULL, ns, nrg, ids, &lay)) {
        pqf_fail_mem(d);
        return NULL;
    }
    pqf_schema_block *sb = pqf_schema_block_build(d);
    if (!sb) return NULL;
    char *pool = NULL;
    pqf_footer *F = pqf_data_block_alloc(&d->mem, nkv, nfpaths, ns, &lay, nentries, (size_t)nbits_bytes,
                                         strings, &pool);
    if (!F) {
        pqf_schema_block_release(sb);
        pqf_fail_mem(d);
        return NULL;
    }
    pqf_footer_attach_schema(F, sb);
    F->version = version;
    F->options = options;
    F->fflags = fflags;
    F->num_rows = (int64_t)num_rows;
    F->serialized_size = ssize;
    F->file_size = fsize;
    F->nrg = nrg;
    if (nkv) memcpy(F->kv, d->kv, (size_t)nkv * 2 * sizeof(pqf_str));
    for (uint32_t i = 0; i < 2 * nkv; i++) pqf_pool_put(&pool, &F->kv[i]);
    if (nfpaths) memcpy(F->fpaths, d->fpaths, (size_t)nfpaths * sizeof(pqf_str));
    for (uint32_t i = 0; i < nfpaths; i++) pqf_pool_put(&pool, &F->fpaths[i]);
    F->created_by = created_by;
    pqf_pool_put(&pool, &F->created_by);
    if (nentries) {
        memcpy(F->ebase, ebase, (size_t)nentries * sizeof *ebase);
        memcpy(F->emeta, emeta, (size_t)nentries * sizeof *emeta);
    }
    bad = r_bytes(c, (uint8_t *)F->bits, (size_t)nbits_bytes);
    if (!bad && pqf_model_check_tables(cols, ns, &rg, emeta, nentries, nrg, (size_t)nbits_bytes) != 0)
        bad = pqf_fail(c, PQF_ERR_MALFORMED, "saved model tables are inconsistent");
    if (!bad) {
        F->rg = rg;
        pqf_slot_layout_fill(F, cols, ids);
    }
    if (!bad && !(F->enc = pqf_enc_load(c, &d->mem, F->nslots, F->nrg))) bad = 1;
    if (!bad && c->p != c->end) bad = pqf_stats_load(c, &d->mem, F); /* kept statistics follow, or nothing may */
    if (!bad && c->p != c->end) bad = pqf_fail(c, PQF_ERR_MALFORMED, "bytes after the saved model");
    if (bad) {
        pqf_footer_free(F);
        return NULL;
    }
    return F;
}

pqf_footer *pqf_footer_deserialize(const void *buf, size_t len, const pqf_allocator *alloc, pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    pqf_error_set(err, PQF_OK, "ok", 0);
    if (!buf && len) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "buffer is NULL", 0);
        return NULL;
    }
    pqf_dec d;
    uint64_t cap = (uint64_t)len >> 56 ? UINT64_MAX : (uint64_t)len * 64 + (1u << 20);
    pqf_dec_init(&d, buf, len, err, alloc, cap);
    d.cur.max_depth = PQF_MAX_DEPTH_LIMIT;
    pqf_footer *F = load(&d);
    if (!F) pqf_path_format(&d);
    pqf_arena_release(&d.work);
    return F;
}
