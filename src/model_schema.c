/* The schema block: built once per decode, hashed, compared, and shared
 * between footers through a reference count. */
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

/* Fixed-size image of one element's own fields, for hashing. */
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
    /* Little-endian whatever the host: the hash is stored in .pqfi files. */
    for (size_t i = 0; i < 16; i++)
        for (unsigned b = 0; b < 4; b++) out[4 * i + b] = (uint8_t)(v[i] >> (8 * b));
    return sizeof v;
}

static uint64_t schema_hash(const pqf_schema_block *sb) {
    const uint8_t ns[4] = {(uint8_t)sb->nschema, (uint8_t)(sb->nschema >> 8), (uint8_t)(sb->nschema >> 16),
                           (uint8_t)(sb->nschema >> 24)}; /* little-endian, as element_image() */
    uint64_t h = XXH3_64bits_withSeed(ns, sizeof ns, 0x70716674u);
    for (uint32_t i = 0; i < sb->nschema; i++) {
        const pqf_schema_element *e = &sb->schema[i];
        uint8_t img[64];
        size_t n = element_image(e, img);
        h = XXH3_64bits_withSeed(img, n, h);
        h = XXH3_64bits_withSeed(e->name.ptr, e->name.len, h);
        if (e->logical.crs.ptr) h = XXH3_64bits_withSeed(e->logical.crs.ptr, e->logical.crs.len, h);
    }
    for (uint32_t c = 0; c < sb->ncols; c++) {
        uint8_t p = sb->cols[c].projected;
        h = XXH3_64bits_withSeed(&p, 1, h);
    }
    return h;
}

static int str_eq(const pqf_str *a, const pqf_str *b) {
    if (!a->ptr || !b->ptr) return !a->ptr && !b->ptr;
    return a->len == b->len && (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

static int blocks_equal(const pqf_schema_block *a, const pqf_schema_block *b) {
    if (a == b) return 1;
    if (a->nschema != b->nschema || a->ncols != b->ncols || a->nslots != b->nslots) return 0;
    for (uint32_t i = 0; i < a->nschema; i++) {
        uint8_t ia[64], ib[64];
        size_t n = element_image(&a->schema[i], ia);
        element_image(&b->schema[i], ib);
        if (memcmp(ia, ib, n) != 0) return 0;
        if (!str_eq(&a->schema[i].name, &b->schema[i].name)) return 0;
        if (!str_eq(&a->schema[i].logical.crs, &b->schema[i].logical.crs)) return 0;
    }
    for (uint32_t c = 0; c < a->ncols; c++)
        if (a->cols[c].projected != b->cols[c].projected) return 0;
    return 1;
}

pqf_schema_block *pqf_schema_block_build(pqf_dec *d) {
    uint32_t ns = d->nschema, nc = d->ncols, nslots = d->nslots;
    size_t strings = 0;
    for (uint32_t i = 0; i < ns; i++)
        strings += pqf_pool_size(&d->schema[i].name) + pqf_pool_size(&d->schema[i].logical.crs);
    for (uint32_t c = 0; c < nc; c++) strings += pqf_pool_size(&d->cols[c].path);
    size_t off = align16(sizeof(pqf_schema_block));
    size_t off_schema = off;
    off = align16(off + (size_t)ns * sizeof(pqf_schema_element));
    size_t off_cols = off;
    off = align16(off + (size_t)nc * sizeof(pqf_column));
    size_t off_colslot = off;
    off = align16(off + (size_t)nc * sizeof(uint32_t));
    size_t off_slotcol = off;
    off = align16(off + (size_t)nslots * sizeof(uint32_t));
    size_t off_strings = off;
    size_t total = align16(off + strings);

    uint8_t *blk = pqf_mem_alloc(&d->mem, total);
    if (!blk) {
        pqf_fail_mem(d);
        return NULL;
    }
    memset(blk, 0, total);
    pqf_schema_block *sb = (pqf_schema_block *)blk;
    atomic_init(&sb->refs, 1);
    sb->nschema = ns;
    sb->ncols = nc;
    sb->nslots = nslots;
    sb->bytes = total;
    sb->alc = d->mem.alc;
    sb->schema = (pqf_schema_element *)(blk + off_schema);
    sb->cols = (pqf_column *)(blk + off_cols);
    sb->col_slot = (uint32_t *)(blk + off_colslot);
    sb->slot_col = (uint32_t *)(blk + off_slotcol);
    char *pool = (char *)blk + off_strings;
    if (ns) memcpy(sb->schema, d->schema, (size_t)ns * sizeof(pqf_schema_element));
    for (uint32_t i = 0; i < ns; i++) {
        pqf_pool_put(&pool, &sb->schema[i].name);
        pqf_pool_put(&pool, &sb->schema[i].logical.crs);
    }
    if (nc) memcpy(sb->cols, d->cols, (size_t)nc * sizeof(pqf_column));
    for (uint32_t c = 0; c < nc; c++) {
        pqf_pool_put(&pool, &sb->cols[c].path);
        sb->col_slot[c] = d->leaves[c].slot;
    }
    if (nslots) memcpy(sb->slot_col, d->slot_col, (size_t)nslots * sizeof(uint32_t));
    sb->hash = schema_hash(sb);
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
    F->schema = sb->schema;
    F->cols = sb->cols;
    F->col_slot = sb->col_slot;
    F->nschema = sb->nschema;
    F->ncols = sb->ncols;
    F->nslots = sb->nslots;
}

uint64_t pqf_footer_schema_hash(const pqf_footer *F) { return F ? F->sb->hash : 0; }

int pqf_footer_schema_equal(const pqf_footer *a, const pqf_footer *b) {
    if (!a || !b) return 0;
    return a->sb->hash == b->sb->hash && blocks_equal(a->sb, b->sb);
}

int pqf_footer_share_schema(pqf_footer *f, const pqf_footer *donor) {
    if (!pqf_footer_schema_equal(f, donor)) return 0;
    if (f->sb == donor->sb) return 1;
    pqf_schema_block *sb = donor->sb;
    atomic_fetch_add_explicit(&sb->refs, 1, memory_order_relaxed);
    pqf_schema_block *old = f->sb;
    pqf_footer_attach_schema(f, sb);
    pqf_schema_block_release(old);
    return 1;
}

size_t pqf_footer_schema_bytes(const pqf_footer *F) { return F ? F->sb->bytes : 0; }
