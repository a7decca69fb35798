/* The schema block: built once per decode in a compact form (names in one
 * pool, narrow per-element fields, paths and levels derived on request),
 * hashed, compared, and shared between footers through a reference count. */
#include <stdlib.h>
#include <xxhash.h>

#include "model.h"

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

void pqf_pool_put(char **pool, pqf_str *s) {
    if (!s->ptr) return;
    char *dst = *pool;
    if (s->len) memcpy(dst, s->ptr, s->len);
    dst[s->len] = '\0';
    *pool += s->len + 1;
    s->ptr = dst;
}

/* ------------------------------------------------------------ filling in --- */

/* Element i's own fields (name, has, values, logical type), not its place in the tree. */
static void own_fields(const pqf_schema_block *sb, uint32_t i, pqf_schema_element *out) {
    const pqf_se_attr *e = pqf_se_attr_of(sb, i);
    const pqf_se_extra *x = pqf_se_extra_of(sb, i);
    memset(out, 0, sizeof *out);
    out->name = pqf_se_name(sb, i);
    out->has = e->has;
    if (x) {
        out->type = x->type, out->type_length = x->type_length, out->repetition = x->repetition;
        out->num_children = x->num_children, out->converted_type = x->converted_type;
        out->scale = x->scale, out->precision = x->precision, out->field_id = x->field_id;
        out->logical = x->lt;
        if (x->crs_at) {
            out->logical.crs.ptr = sb->pool + (x->crs_at - 1);
            out->logical.crs.len = x->crs_len;
        }
    } else {
        out->type = e->type, out->repetition = e->rep, out->converted_type = e->conv;
        out->logical.kind = e->lkind;
    }
}

void pqf_schema_fill(const pqf_schema_block *sb, uint32_t i, pqf_schema_element *out) {
    own_fields(sb, i, out);
    /* the tree: walk up once for the depth and levels */
    out->parent = i ? (int32_t)pqf_se_parent(sb, i) : -1;
    int16_t def = 0, rep = 0;
    uint16_t depth = 0;
    for (uint32_t k = i; k > 0; k = pqf_se_parent(sb, k)) {
        const pqf_se_attr *a = pqf_se_attr_of(sb, k);
        int32_t r = PQF_REP_REQUIRED;
        if (a->has & PQF_SE_REPETITION) {
            const pqf_se_extra *x = pqf_se_extra_of(sb, k);
            r = x ? x->repetition : a->rep;
        }
        def = (int16_t)(def + (r != PQF_REP_REQUIRED));
        rep = (int16_t)(rep + (r == PQF_REP_REPEATED));
        depth++;
    }
    out->depth = depth, out->max_def = def, out->max_rep = rep;
    /* leaves are the elements in col_elem (increasing): binary search */
    out->column = -1;
    if (!sb->col_elem) {
        if (i >= 1 && i <= sb->ncols) out->column = (int32_t)(i - 1);
        return;
    }
    uint32_t lo = 0, hi = sb->ncols;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (sb->col_elem[mid] < i) lo = mid + 1;
        else hi = mid;
    }
    if (lo < sb->ncols && sb->col_elem[lo] == i) out->column = (int32_t)lo;
}

int32_t pqf_leaf_type(const pqf_schema_block *sb, uint32_t col) {
    uint32_t i = pqf_col_elem(sb, col);
    const pqf_se_attr *e = pqf_se_attr_of(sb, i);
    if (!(e->has & PQF_SE_TYPE)) return -1;
    const pqf_se_extra *x = pqf_se_extra_of(sb, i);
    return x ? x->type : e->type;
}

void pqf_column_fill(const pqf_schema_block *sb, uint32_t col, pqf_column *out) {
    uint32_t i = pqf_col_elem(sb, col);
    pqf_schema_element e;
    pqf_schema_fill(sb, i, &e);
    memset(out, 0, sizeof *out);
    size_t len = 0;
    for (uint32_t k = i; k > 0; k = pqf_se_parent(sb, k)) len += pqf_se_name(sb, k).len + 1;
    out->path.ptr = sb->pool + (sb->col_path ? (size_t)sb->col_path[col] : (size_t)(pqf_se_name(sb, i).ptr - sb->pool));
    out->path.len = len ? len - 1 : 0;
    out->schema_index = i;
    out->max_def = e.max_def;
    out->max_rep = e.max_rep;
    out->type = (e.has & PQF_SE_TYPE) ? e.type : -1;
    out->projected = pqf_col_slot(sb->col_slot, sb->slot_w, col) != UINT32_MAX;
}

/* ------------------------------------------------------ hash and equality --- */

/* One element's own fields as explicit little-endian bytes, so the hash is
 * the same on every byte order. */
static size_t element_image(const pqf_schema_element *e, uint8_t out[64]) {
    const pqf_logical_type *lt = &e->logical;
    uint32_t v[16] = {
        e->has, (uint32_t)e->type, (uint32_t)e->type_length, (uint32_t)e->repetition,
        (uint32_t)e->num_children, (uint32_t)e->converted_type, (uint32_t)e->scale,
        (uint32_t)e->precision, (uint32_t)e->field_id,
        (uint32_t)lt->kind | (uint32_t)lt->unit << 8 | (uint32_t)lt->is_adjusted_to_utc << 16 |
            (uint32_t)lt->is_signed << 24,
        (uint32_t)(uint8_t)lt->bit_width | (uint32_t)lt->has_variant_version << 8 |
            (uint32_t)(uint8_t)lt->variant_version << 16 | (uint32_t)lt->has_algorithm << 24,
        (uint32_t)lt->scale, (uint32_t)lt->precision, (uint32_t)lt->algorithm, (uint32_t)e->name.len,
        lt->crs.ptr ? (uint32_t)lt->crs.len : UINT32_MAX,
    };
#if !PQF_BIG_ENDIAN
    memcpy(out, v, 64); /* already little-endian */
#else
    for (size_t k = 0; k < 16; k++)
        for (size_t b = 0; b < 4; b++) out[4 * k + b] = (uint8_t)(v[k] >> (8 * b));
#endif
    return 64;
}

/* Bytes fed to the hash in batches: one XXH3 call per few kilobytes instead
 * of two per element (10,000 columns: 5 M instructions less per decode). */
typedef struct hash_buf {
    pqf_sink sink; /* first: the flush callback gets it */
    uint64_t h;
} hash_buf;

static void hb_flush(pqf_sink *s) {
    hash_buf *hb = (hash_buf *)s;
    if (s->n) hb->h = XXH3_64bits_withSeed(s->buf, s->n, hb->h);
    s->n = 0;
}

static void hb_put(hash_buf *hb, const void *p, size_t n) { pqf_sink_put(&hb->sink, p, n); }

/* Each element's image (explicit little-endian integers, so every byte order
 * hashes alike), name and crs, then the projection. */
static uint64_t schema_hash(const pqf_schema_block *sb) {
    hash_buf hb;
    hb.sink.flush = hb_flush;
    hb.sink.n = 0;
    hb.h = 0x70716674u;
    uint8_t n[4];
    for (size_t b = 0; b < 4; b++) n[b] = (uint8_t)(sb->nschema >> (8 * b));
    hb_put(&hb, n, sizeof n);
    for (uint32_t i = 0; i < sb->nschema; i++) {
        pqf_schema_element e;
        own_fields(sb, i, &e);
        uint8_t img[64];
        size_t len = element_image(&e, img);
        hb_put(&hb, img, len);
        hb_put(&hb, e.name.ptr, e.name.len);
        if (e.logical.crs.ptr) hb_put(&hb, e.logical.crs.ptr, e.logical.crs.len);
    }
    for (uint32_t c = 0; c < sb->ncols; c++) {
        uint8_t p = pqf_col_slot(sb->col_slot, sb->slot_w, c) != UINT32_MAX;
        hb_put(&hb, &p, 1);
    }
    hb_flush(&hb.sink);
    return hb.h;
}

static int str_eq(const pqf_str *a, const pqf_str *b) {
    if (!a->ptr || !b->ptr) return !a->ptr && !b->ptr;
    return a->len == b->len && (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

static int blocks_equal(const pqf_schema_block *a, const pqf_schema_block *b) {
    if (a == b) return 1;
    if (a->nschema != b->nschema || a->ncols != b->ncols || a->nslots != b->nslots) return 0;
    for (uint32_t i = 0; i < a->nschema; i++) {
        pqf_schema_element ea, eb;
        pqf_schema_fill(a, i, &ea);
        pqf_schema_fill(b, i, &eb);
        uint8_t ia[64], ib[64];
        size_t n = element_image(&ea, ia);
        element_image(&eb, ib);
        if (memcmp(ia, ib, n) != 0 || ea.parent != eb.parent) return 0;
        if (!str_eq(&ea.name, &eb.name) || !str_eq(&ea.logical.crs, &eb.logical.crs)) return 0;
    }
    for (uint32_t c = 0; c < a->ncols; c++)
        if ((pqf_col_slot(a->col_slot, a->slot_w, c) != UINT32_MAX) != (pqf_col_slot(b->col_slot, b->slot_w, c) != UINT32_MAX)) return 0;
    return 1;
}

/* ---------------------------------------------------------------- building --- */

/* Whether element e needs an extra record: a rarer field, a value the slim
 * fields cannot hold, or a logical type with parameters. Field by field: a
 * struct compare against one just built stalls on store forwarding. */
static int needs_extra(const pqf_schema_element *e) {
    const uint32_t rare = PQF_SE_TYPE_LENGTH | PQF_SE_NUM_CHILDREN | PQF_SE_SCALE | PQF_SE_PRECISION |
                          PQF_SE_FIELD_ID;
    if (e->has & rare) return 1;
    if ((uint32_t)e->type > 255 || (uint32_t)e->repetition > 255 || (uint32_t)e->converted_type > 255) return 1;
    const pqf_logical_type *lt = &e->logical;
    return (lt->unit | lt->is_adjusted_to_utc | lt->is_signed | (uint8_t)lt->bit_width | lt->has_variant_version |
            (uint8_t)lt->variant_version | lt->has_algorithm) != 0 ||
           (lt->scale | lt->precision | lt->algorithm) != 0 || lt->crs.ptr != NULL || lt->crs.len != 0;
}

/* Element e's shared narrow fields as one key (only has when it has an
 * extra record): has, type, repetition, converted type, logical kind. */
static uint64_t attr_key(const pqf_schema_element *e, int extra) {
    uint64_t k = (uint16_t)e->has;
    if (!extra)
        k |= (uint64_t)(uint8_t)e->type << 16 | (uint64_t)(uint8_t)e->repetition << 24 |
             (uint64_t)(uint8_t)e->converted_type << 32 | (uint64_t)e->logical.kind << 40;
    return k;
}

static pqf_se_attr attr_from_key(uint64_t k) {
    pqf_se_attr a = {(uint16_t)k, (uint8_t)(k >> 16), (uint8_t)(k >> 24), (uint8_t)(k >> 32), (uint8_t)(k >> 40)};
    return a;
}

static uint64_t key_hash(uint64_t k) {
    k *= 0x9e3779b97f4a7c15u;
    return k ^ (k >> 31);
}

/* Work tables of the build: each element's attr id (bit 31: it has an
 * extra record) and the distinct attrs, found through an open-addressing
 * table of attr ids. */
typedef struct attr_work {
    uint32_t *id;
    uint64_t *attr;  /* the distinct attrs, as attr_key()s */
    uint32_t *tab;
    size_t cap;
} attr_work;

static void attr_work_free(pqf_mem *mem, attr_work *w, uint32_t ns) {
    size_t n = ns ? ns : 1;
    pqf_work_free(mem, w->id, n * sizeof *w->id);
    pqf_work_free(mem, w->attr, n * sizeof *w->attr);
    pqf_work_free(mem, w->tab, w->cap * sizeof *w->tab);
}

/* Number the distinct attrs of d's elements; UINT32_MAX on no memory. */
static uint32_t number_attrs(pqf_dec *d, attr_work *w, uint32_t *nextra, uint32_t *extra_n) {
    uint32_t ns = d->nschema;
    size_t n = ns ? ns : 1;
    w->cap = 16;
    while (w->cap < n * 2) w->cap *= 2;
    w->id = pqf_work_alloc(&d->mem, n * sizeof *w->id);
    w->attr = pqf_work_alloc(&d->mem, n * sizeof *w->attr);
    w->tab = pqf_work_alloc(&d->mem, w->cap * sizeof *w->tab);
    if (!w->id || !w->attr || !w->tab) return UINT32_MAX;
    memset(w->tab, 0xff, w->cap * sizeof *w->tab);
    uint32_t nattrs = 0;
    *nextra = *extra_n = 0;
    for (uint32_t i = 0; i < ns; i++) {
        int extra = needs_extra(&d->schema[i]);
        *nextra += (uint32_t)extra;
        if (extra) *extra_n = i + 1;
        const uint64_t a = attr_key(&d->schema[i], extra);
        uint32_t prev = i ? w->id[i - 1] & 0x7fffffffu : 0;
        if (i && w->attr[prev] == a) { /* mostly a run of alike columns */
            w->id[i] = prev | (uint32_t)extra << 31;
            continue;
        }
        size_t k = (size_t)key_hash(a) & (w->cap - 1);
        for (; w->tab[k] != UINT32_MAX; k = (k + 1) & (w->cap - 1))
            if (w->attr[w->tab[k]] == a) break;
        if (w->tab[k] == UINT32_MAX) {
            w->tab[k] = nattrs;
            w->attr[nattrs++] = a;
        }
        w->id[i] = w->tab[k] | (uint32_t)extra << 31;
    }
    return nattrs;
}

pqf_schema_block *pqf_schema_block_build(pqf_dec *d) {
    uint32_t ns = d->nschema, nc = d->ncols, nslots = d->nslots;
    size_t names = 0, crs = 0, paths = 0;
    uint32_t nextra = 0, extra_n = 0, maxparent = 0;
    attr_work aw = {NULL, NULL, NULL, 0};
    uint32_t nattrs = number_attrs(d, &aw, &nextra, &extra_n);
    if (nattrs == UINT32_MAX) {
        attr_work_free(&d->mem, &aw, ns);
        pqf_fail_mem(d);
        return NULL;
    }
    for (uint32_t i = 0; i < ns; i++) {
        const pqf_schema_element *e = &d->schema[i];
        names += e->name.len + 1;
        crs += pqf_pool_size(&e->logical.crs);
        if (i && (uint32_t)e->parent > maxparent) maxparent = (uint32_t)e->parent;
    }
    int nested = 0, identity = 1;
    for (uint32_t c = 0; c < nc; c++) {
        if (d->schema[d->cols[c].schema_index].depth > 1) paths += d->cols[c].path.len + 1, nested = 1;
        identity &= d->cols[c].schema_index == c + 1;
    }
    /* Tables a flat, fully projected schema does without (12 bytes per column;
     * leaf c is element c + 1 when the root's children are all leaves). */
    size_t npath = nested ? nc : 0, nslotmap = nslots < nc ? nc : 0, nelem = identity ? 0 : nc;
    size_t strings = names + crs + paths;
    if (strings > UINT32_MAX - 1) {
        attr_work_free(&d->mem, &aw, ns);
        pqf_fail(&d->cur, PQF_ERR_LIMIT, "schema strings longer than 4 GiB");
        return NULL;
    }
    unsigned name_w = pqf_narrow_width(names), attr_w = pqf_narrow_width(nattrs ? nattrs - 1 : 0);
    unsigned parent_w = pqf_narrow_width(maxparent), extra_w = pqf_narrow_width(nextra);
    size_t off = align16(sizeof(pqf_schema_block));
    size_t off_attrs = off;
    off = align16(off + (size_t)nattrs * sizeof(pqf_se_attr));
    size_t off_extra = off;
    off = align16(off + (size_t)nextra * sizeof(pqf_se_extra));
    size_t off_name = off;
    off += (size_t)ns * name_w;
    size_t off_attr = off;
    off += (size_t)ns * attr_w;
    size_t off_parent = off;
    off += (size_t)ns * parent_w;
    size_t off_extra_of = off;
    off = align16(off + (size_t)extra_n * extra_w + 8); /* pqf_narrow_get() reads 8 bytes */
    size_t off_colelem = off;
    off = align16(off + nelem * sizeof(uint32_t));
    size_t off_colpath = off;
    off = align16(off + npath * sizeof(uint32_t));
    const unsigned slot_w = pqf_narrow_width(nslots); /* 1 + slot, 0 = not projected */
    size_t off_colslot = off;
    off = align16(off + (nslotmap ? nslotmap * slot_w + 8 : 0)); /* pqf_narrow_get() reads 8 bytes */
    size_t off_strings = off;
    size_t total = align16(off + strings);

    uint8_t *blk = pqf_mem_alloc(&d->mem, total);
    if (!blk) {
        attr_work_free(&d->mem, &aw, ns);
        pqf_fail_mem(d);
        return NULL;
    }
    memset(blk, 0, off_strings); /* the tables; the pool is written whole below */
    pqf_schema_block *sb = (pqf_schema_block *)blk;
    atomic_init(&sb->refs, 1);
    sb->nschema = ns;
    sb->ncols = nc;
    sb->nslots = nslots;
    sb->nextra = nextra;
    sb->nattrs = nattrs;
    sb->extra_n = extra_n;
    sb->name_w = (uint8_t)name_w, sb->attr_w = (uint8_t)attr_w;
    sb->parent_w = (uint8_t)parent_w, sb->extra_w = (uint8_t)extra_w;
    sb->bytes = total;
    sb->alc = d->mem.alc;
    sb->attrs = (pqf_se_attr *)(blk + off_attrs);
    sb->extra = (pqf_se_extra *)(blk + off_extra);
    uint8_t *name_at = blk + off_name, *attr_at = blk + off_attr, *parent_at = blk + off_parent;
    uint8_t *extra_at = blk + off_extra_of;
    sb->name_at = name_at, sb->attr_of = attr_at, sb->parent_of = parent_at, sb->extra_of = extra_at;
    sb->col_elem = nelem ? (uint32_t *)(blk + off_colelem) : NULL;
    sb->col_path = npath ? (uint32_t *)(blk + off_colpath) : NULL;
    sb->col_slot = nslotmap ? blk + off_colslot : NULL;
    sb->slot_w = (uint8_t)slot_w;
    char *pool = (char *)blk + off_strings;
    sb->pool = pool;
    memset(pool + strings, 0, total - off_strings - strings);
    for (uint32_t k = 0; k < nattrs; k++) sb->attrs[k] = attr_from_key(aw.attr[k]);

    /* names first, in element order (each length is the distance to the next) */
    size_t at = 0;
    for (uint32_t i = 0; i < ns; i++) {
        const pqf_schema_element *e = &d->schema[i];
        pqf_narrow_put(name_at, name_w, i, at);
        if (e->name.len) memcpy(pool + at, e->name.ptr, e->name.len);
        pool[at + e->name.len] = '\0';
        at += e->name.len + 1;
        pqf_narrow_put(attr_at, attr_w, i, aw.id[i] & 0x7fffffffu);
        pqf_narrow_put(parent_at, parent_w, i, i ? (uint32_t)e->parent : 0);
    }
    sb->names_end = (uint32_t)at;
    uint32_t x = 0;
    for (uint32_t i = 0; i < ns; i++) {
        const pqf_schema_element *e = &d->schema[i];
        if (!(aw.id[i] >> 31)) continue;
        pqf_se_extra *xe = &sb->extra[x];
        pqf_narrow_put(extra_at, extra_w, i, ++x);
        xe->type = e->type, xe->type_length = e->type_length, xe->repetition = e->repetition;
        xe->num_children = e->num_children, xe->converted_type = e->converted_type;
        xe->scale = e->scale, xe->precision = e->precision, xe->field_id = e->field_id;
        xe->lt = e->logical;
        xe->lt.crs.ptr = NULL;
        xe->lt.crs.len = 0;
        if (e->logical.crs.ptr) {
            xe->crs_at = (uint32_t)at + 1;
            xe->crs_len = (uint32_t)e->logical.crs.len;
            if (e->logical.crs.len) memcpy(pool + at, e->logical.crs.ptr, e->logical.crs.len);
            pool[at + e->logical.crs.len] = '\0';
            at += e->logical.crs.len + 1;
        }
    }
    attr_work_free(&d->mem, &aw, ns);
    for (uint32_t c = 0; c < nc; c++) {
        const pqf_column *col = &d->cols[c];
        if (sb->col_elem) sb->col_elem[c] = col->schema_index;
        if (sb->col_slot) pqf_narrow_put(sb->col_slot, slot_w, c, (uint32_t)(d->leaves[c].slot + 1u));
        if (!sb->col_path) continue;
        if (d->schema[col->schema_index].depth <= 1) {
            sb->col_path[c] = (uint32_t)pqf_narrow_get(name_at, name_w, col->schema_index);
            continue;
        }
        sb->col_path[c] = (uint32_t)at;
        if (col->path.len) memcpy(pool + at, col->path.ptr, col->path.len);
        pool[at + col->path.len] = '\0';
        at += col->path.len + 1;
    }
    atomic_init(&sb->hash, 0);
    return sb;
}

void pqf_schema_block_release(pqf_schema_block *sb) {
    if (!sb) return;
    if (atomic_fetch_sub_explicit(&sb->refs, 1, memory_order_acq_rel) == 1) {
        pqf_allocator alc = sb->alc;
        alc.free(alc.ctx, sb, sb->bytes);
    }
}

void pqf_footer_attach_schema(pqf_footer *F, pqf_schema_block *sb) {
    F->sb = sb;
    F->col_slot = sb->col_slot;
    F->slot_w = sb->slot_w;
    F->nschema = sb->nschema;
    F->ncols = sb->ncols;
    F->nslots = sb->nslots;
}

/* Computed on first use; threads that ask at once compute the same value. */
uint64_t pqf_footer_schema_hash(const pqf_footer *F) {
    if (!F) return 0;
    uint64_t h = atomic_load_explicit(&F->sb->hash, memory_order_relaxed);
    if (h) return h;
    h = schema_hash(F->sb);
    if (!h) h = 1; /* 0 means not yet computed */
    atomic_store_explicit(&F->sb->hash, h, memory_order_relaxed);
    return h;
}

int pqf_footer_schema_equal(const pqf_footer *a, const pqf_footer *b) {
    if (!a || !b) return 0;
    return a->sb == b->sb || (pqf_footer_schema_hash(a) == pqf_footer_schema_hash(b) && blocks_equal(a->sb, b->sb));
}

pqf_code pqf_footer_share_schema(pqf_footer *f, const pqf_footer *donor) {
    if (!pqf_footer_schema_equal(f, donor)) return PQF_ERR_INVALID_ARG;
    if (f->sb == donor->sb) return PQF_OK;
    pqf_schema_block *sb = donor->sb;
    atomic_fetch_add_explicit(&sb->refs, 1, memory_order_relaxed);
    pqf_schema_block *old = f->sb;
    pqf_footer_attach_schema(f, sb);
    pqf_schema_block_release(old);
    return PQF_OK;
}

size_t pqf_footer_schema_bytes(const pqf_footer *F) { return F ? F->sb->bytes : 0; }
