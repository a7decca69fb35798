/* Turn the decoder's work records into the compact model: choose a reference,
 * base and width per (column, field), then pack residuals into one block
 * whose size is exactly what pqf_footer_bytes() reports. */
#include "model_stage.h"

static const unsigned fo_refs[FO_CANDIDATES] = {[FO_VS_START] = REF_START, [FO_VS_END] = REF_END, [FO_VS_ZERO] = REF_ZERO};

PQF_INLINE uint64_t rg_base(const pqf_dec *d, uint64_t rg) { return d->rgs[rg].base; }

static uint64_t rg_field(const pqf_dec *d, uint64_t rg, unsigned f) {
    const pqf_rg_rec *r = &d->rgs[rg];
    switch (f) {
    case RF_BASE: return rg_base(d, rg);
    case RF_NROWS: return (uint64_t)r->num_rows;
    case RF_TBS: return (uint64_t)r->total_byte_size;
    case RF_FO: return (uint64_t)r->file_offset;
    case RF_TCS: return (uint64_t)r->total_compressed_size;
    case RF_ORD: return (uint64_t)r->ordinal;
    case RF_HAS: return r->has;
    default: return 0;
    }
}

static uint64_t rg_ref(const pqf_dec *d, uint64_t rg, unsigned ref) {
    switch (ref) {
    case REF_RGBASE: return rg_base(d, rg);
    case REF_INDEX: return rg;
    default: return 0;
    }
}

static void plan_field(field_plan *p, const minmax *m, unsigned ref, unsigned default_ref) {
    p->width = (uint8_t)mm_width(m);
    p->base = (uint64_t)m->mn;
    p->ref = (uint8_t)ref;
    p->entry = !(p->width == 0 && p->base == 0 && ref == default_ref);
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

/* Do two slots' entries, both of entry mask m (so field by field in the same
 * order), give the same entries? */
static int same_entries(const field_plan *a, const field_plan *b, uint32_t m) {
    for (unsigned k = 0, n = (unsigned)pqf_popcount32(m); k < n; k++)
        if (a[k].base != b[k].base || a[k].width != b[k].width || a[k].ref != b[k].ref) return 0;
    return 1;
}

static uint64_t entries_hash(const field_plan *p, uint32_t m) {
    uint64_t h = m * 0x9e3779b97f4a7c15u;
    for (unsigned k = 0, n = (unsigned)pqf_popcount32(m); k < n; k++)
        h = (h ^ (p[k].base + ((uint64_t)p[k].width << 8 | p[k].ref) * 0x100000001b3u)) * 0xff51afd7ed558ccdu;
    return h ^ (h >> 29);
}

/* Slots whose entries equal an earlier slot's share that slot's entries
 * (their bits stay their own): with few row groups most entries are width 0
 * and many columns repeat a handful of them. share[s] is that earlier slot,
 * or s; on entry it holds slot s's entry mask. Slot s's entries (its plans
 * that need one, in field order) are plans + eoff[s]. Returns the entries
 * the slots need, or UINT32_MAX on no memory. */
PQF_NOINLINE static uint32_t share_entries(pqf_mem *mem, const field_plan *plans, const uint32_t *eoff,
                                           uint32_t nslots, uint32_t *share) {
    typedef struct seen { uint32_t slot, mask; } seen; /* slot UINT32_MAX: free */
    size_t cap = 16;
    while (cap < (size_t)nslots * 2) cap *= 2;
    seen *tab = pqf_work_alloc(mem, cap * sizeof *tab);
    if (!tab) return UINT32_MAX;
    memset(tab, 0xff, cap * sizeof *tab);
    uint32_t n = 0;
    for (uint32_t s = 0; s < nslots; s++) {
        const field_plan *p = plans + eoff[s];
        uint32_t m = share[s];
        share[s] = s;
        if (!m) continue;
        size_t i = (size_t)entries_hash(p, m) & (cap - 1);
        for (; tab[i].slot != UINT32_MAX; i = (i + 1) & (cap - 1))
            if (tab[i].mask == m && same_entries(p, plans + eoff[tab[i].slot], m)) break;
        if (tab[i].slot == UINT32_MAX) {
            tab[i] = (seen){s, m};
            n += (uint32_t)pqf_popcount32(m);
        } else {
            share[s] = tab[i].slot;
        }
    }
    pqf_work_free(mem, tab, cap * sizeof *tab);
    return n;
}

/* Number the distinct (mask, entry) pairs of cols (a slot without entries:
 * mask 0, whatever its entry) into ids. 0, or -1 on no memory. */
static int number_shapes(pqf_mem *mem, const pqf_packed_col *cols, uint32_t nslots, uint32_t *ids, uint32_t *nshapes) {
    size_t cap = 16;
    while (cap < (size_t)nslots * 2) cap *= 2;
    uint32_t *tab = pqf_work_alloc(mem, cap * sizeof *tab);
    if (!tab) return -1;
    memset(tab, 0xff, cap * sizeof *tab);
    uint32_t n = 0;
    for (uint32_t s = 0; s < nslots; s++) {
        uint32_t m = cols[s].mask, e = m ? cols[s].entry : 0;
        size_t i = (size_t)(((uint64_t)m << 32 | e) * 0x9e3779b97f4a7c15u >> 32) & (cap - 1);
        for (; tab[i] != UINT32_MAX; i = (i + 1) & (cap - 1))
            if (cols[tab[i]].mask == m && (!m || cols[tab[i]].entry == e)) break;
        if (tab[i] == UINT32_MAX) {
            tab[i] = s;
            ids[s] = n++;
        } else {
            ids[s] = ids[tab[i]];
        }
    }
    pqf_work_free(mem, tab, cap * sizeof *tab);
    *nshapes = n;
    return 0;
}

/* Bytes per shape id, and how bit positions are kept: in bits per row group
 * of the slots before, stored only when they are not s x one width. */
static void layout_widths(const pqf_packed_col *cols, uint32_t nslots, uint64_t nrg, pqf_slot_layout *out) {
    out->shape_w = (uint8_t)pqf_narrow_width(out->nshapes - 1);
    uint64_t w1 = nslots > 1 && nrg ? cols[1].bitpos / nrg : 0, step = w1 * nrg;
    int uniform = w1 <= UINT32_MAX;
    for (uint32_t s = 0; s < nslots && uniform; s++) uniform = !nrg || cols[s].bitpos == s * step;
    if (uniform) {
        out->slot_width = (uint32_t)w1;
    } else {
        out->wpos_w = (uint8_t)pqf_narrow_width(cols[nslots - 1].bitpos / nrg);
    }
}

/* Shape ids: the first slot with each (mask, entry) names the shape. With
 * share (the builder's: the earlier slot whose entries slot s shares, or s)
 * the shapes are known: a slot with entries of its own has a (mask, entry)
 * no other has. Without it (the loader) they are found again through an
 * open-addressing table of slots. */
int pqf_slot_layout_plan(pqf_mem *mem, const pqf_packed_col *cols, const uint32_t *share, uint32_t nslots,
                         uint64_t nrg, uint32_t *ids, pqf_slot_layout *out) {
    memset(out, 0, sizeof *out);
    if (!nslots) return 0;
    if (share) {
        uint32_t n = 0, none = UINT32_MAX; /* none: the shape of slots without entries */
        for (uint32_t s = 0; s < nslots; s++) {
            if (share[s] != s) ids[s] = ids[share[s]];
            else if (cols[s].mask) ids[s] = n++;
            else ids[s] = none == UINT32_MAX ? (none = n++) : none;
        }
        out->nshapes = n;
    } else if (number_shapes(mem, cols, nslots, ids, &out->nshapes)) {
        return -1;
    }
    layout_widths(cols, nslots, nrg, out);
    return 0;
}

void pqf_slot_layout_fill(pqf_footer *F, const pqf_packed_col *cols, const uint32_t *ids) {
    uint8_t *shape_of = (uint8_t *)F->shape_of, *wpos = (uint8_t *)F->wpos;
    for (uint32_t s = 0; s < F->nslots; s++) {
        uint32_t id = ids[s], m = cols[s].mask;
        F->shapes[id].mask = m;
        F->shapes[id].entry = m ? cols[s].entry : 0;
        pqf_narrow_put(shape_of, F->shape_w, s, id);
        if (F->wpos_w) pqf_narrow_put(wpos, F->wpos_w, s, cols[s].bitpos / F->nrg);
    }
}

pqf_footer *pqf_data_block_alloc(pqf_mem *mem, uint32_t nkv, uint32_t nfpaths, uint32_t nslots,
                                 const pqf_slot_layout *lay, uint32_t nentries, size_t nbits_bytes,
                                 size_t strings_size, char **pool) {
    size_t off = align16(sizeof(pqf_footer));
    size_t off_kv = off;
    off = align16(off + (size_t)nkv * 2 * sizeof(pqf_str));
    size_t off_fpaths = off;
    off = align16(off + (size_t)nfpaths * sizeof(pqf_str));
    size_t off_shapes = off;
    off = align16(off + (size_t)lay->nshapes * sizeof(pqf_slot_shape));
    size_t off_shape_of = off;
    off = align16(off + (size_t)nslots * lay->shape_w);
    size_t off_wpos = off;
    off = align16(off + (size_t)nslots * lay->wpos_w);
    size_t off_ebase = off; /* with the bits (16 bytes at least) behind: pqf_narrow_get() reads 8 bytes */
    off = align16(off + (size_t)nentries * sizeof(uint64_t));
    size_t off_emeta = off;
    off = align16(off + (size_t)nentries * sizeof(uint16_t));
    size_t off_bits = off;
    off += nbits_bytes;
    size_t off_strings = off;
    size_t total = align16(off + strings_size);

    uint8_t *blk = pqf_mem_alloc(mem, total);
    if (!blk) return NULL;
    memset(blk, 0, total);
    pqf_footer *F = (pqf_footer *)blk;
    F->bytes = total;
    F->alc = mem->alc;
    F->nkv = nkv;
    F->nfpaths = nfpaths;
    F->nentries = nentries;
    F->nbits_bytes = nbits_bytes;
    F->nshapes = lay->nshapes;
    F->shape_w = lay->shape_w;
    F->wpos_w = lay->wpos_w;
    F->slot_width = lay->slot_width;
    F->kv = (pqf_str *)(blk + off_kv);
    F->fpaths = (pqf_str *)(blk + off_fpaths);
    F->shapes = (pqf_slot_shape *)(blk + off_shapes);
    F->shape_of = blk + off_shape_of;
    F->wpos = blk + off_wpos;
    F->ebase = (uint64_t *)(blk + off_ebase);
    F->emeta = (uint16_t *)(blk + off_emeta);
    F->bits = blk + off_bits;
    *pool = (char *)blk + off_strings;
    return F;
}

/* A field's plan, into out[*n] when it needs an entry (its residuals are not
 * all 0 against its default reference). Returns the field's width. */
PQF_INLINE unsigned plan_range(field_plan *out, uint32_t *n, uint32_t *emask, unsigned f, int64_t mn, int64_t mx,
                               unsigned ref, unsigned dref) {
    const minmax m = {mn, mx};
    const unsigned width = mm_width(&m);
    if (width | (uint64_t)mn | (ref != dref)) {
        out[(*n)++] = (field_plan){(uint64_t)mn, (uint8_t)width, (uint8_t)ref, 1, (uint8_t)f};
        *emask |= 1u << f;
    }
    return width;
}

/* The plans of a column all of whose chunks were staged as lanes (it has no
 * exact ranges: no escape, page index or bloom filter), straight from its
 * lane statistics: what the general loop below computes for such a column,
 * without the 17-field walk. Returns its entries; *bits: its bits per row
 * group. */
static uint32_t plan_staged_slot(const pqf_model_stats *ms, uint32_t s, field_plan *out, uint32_t *emask,
                                 uint64_t *bits) {
    const hot_stats *h = &ms->hot[s];
    const int32_t *mn = h->lanes.mn, *mx = h->lanes.mx;
    const slot_meta m = pqf_stage_meta(ms, s);
    uint32_t n = 0;
    unsigned w = 0;
    w += plan_range(out, &n, emask, CF_HAS, (int64_t)m.has, (int64_t)m.has, REF_META, REF_META);
    w += plan_range(out, &n, emask, CF_TYPE, (int64_t)m.type, (int64_t)m.type, REF_LEAF_TYPE, REF_LEAF_TYPE);
    w += plan_range(out, &n, emask, CF_CODEC, (int64_t)m.codec, (int64_t)m.codec, REF_ZERO, REF_ZERO);
    w += plan_range(out, &n, emask, CF_TCS, mn[LN_TCS], mx[LN_TCS], REF_ZERO, REF_ZERO);
    const unsigned sref = pqf_chunk_default_ref(CF_START, s);
    w += plan_range(out, &n, emask, CF_START, mn[LN_START], mx[LN_START], sref, sref);
    w += plan_range(out, &n, emask, CF_TUS, mn[LN_TUS], mx[LN_TUS], REF_TCS, REF_TCS);
    w += plan_range(out, &n, emask, CF_DPO, mn[LN_DPO], mx[LN_DPO], REF_START, REF_START);
    w += plan_range(out, &n, emask, CF_DICT, mn[LN_DICT], mx[LN_DICT], REF_START, REF_START);
    w += plan_range(out, &n, emask, CF_NV, mn[LN_NV], mx[LN_NV], REF_RGROWS, REF_RGROWS);
    /* FO against the narrowest of start, end and zero (the first on a tie) */
    minmax fo = {mn[LN_FO_START], mx[LN_FO_START]}, c = {mn[LN_FO_END], mx[LN_FO_END]};
    unsigned ref = REF_START;
    if (mm_width(&c) < mm_width(&fo)) fo = c, ref = REF_END;
    if (mm_width(&h->fo_zero) < mm_width(&fo)) fo = h->fo_zero, ref = REF_ZERO;
    w += plan_range(out, &n, emask, CF_FO, fo.mn, fo.mx, ref, REF_START);
    w += plan_range(out, &n, emask, CF_FPATH, (int64_t)m.fpath, (int64_t)m.fpath, REF_ZERO, REF_ZERO);
    *bits = w; /* the page-index and bloom fields: none, 0 against zero */
    return n;
}

/* The plans of column s, from its merged statistics. Returns its entries. */
static uint32_t plan_slot(const pqf_model_stats *ms, uint32_t s, field_plan *out, uint32_t *emask, uint64_t *bits) {
    minmax fields[CF_COUNT];
    pqf_stage_fields(ms, s, fields);
    uint32_t n = 0;
    unsigned w = 0;
    for (unsigned f = 0; f < CF_COUNT; f++) {
        minmax m;
        const unsigned dref = pqf_chunk_default_ref(f, s);
        unsigned ref = dref;
        if (f == CF_FO) {
            minmax c[FO_CANDIDATES];
            unsigned best = 0;
            for (unsigned k = 0; k < FO_CANDIDATES; k++) {
                c[k] = pqf_stage_fo(ms, s, k);
                if (k && mm_width(&c[k]) < mm_width(&c[best])) best = k;
            }
            m = c[best];
            ref = fo_refs[best];
        } else {
            m = fields[f];
        }
        if (m.mn > m.mx) m.mn = m.mx = 0; /* no row groups, or field not kept */
        w += plan_range(out, &n, emask, f, m.mn, m.mx, ref, dref);
    }
    *bits = w;
    return n;
}

pqf_footer *pqf_model_build(pqf_dec *d) {
    const uint32_t nslots = d->nslots;
    const uint64_t nrg = d->nrg;
    if (!d->stats && pqf_model_begin(d)) return NULL; /* no row groups were decoded */
    const pqf_model_stats *ms = d->stats;

    /* Choose. Only the plans that need an entry are stored, slot after slot
     * (slot s's at plans + eoff[s], in field order): the others are width 0,
     * base 0 against the default reference. Columns have 3-7 entries of 17
     * fields: the array starts at 5 per column and grows when a slot could
     * overflow it (reserved room pushes later work into further huge pages). */
    const size_t plans_max = (size_t)(nslots + 1) * CF_COUNT;
    size_t nplans = (size_t)nslots * 5 + CF_COUNT;
    if (nplans > plans_max) nplans = plans_max;
    field_plan *plans = pqf_work_alloc(&d->mem, nplans * sizeof *plans);
    if (!plans) {
        pqf_fail_mem(d);
        return NULL;
    }
    size_t nshare = 4 * (size_t)(nslots ? nslots : 1); /* share[], eoff[], emask[], wsum[] */
    uint32_t *share = pqf_work_alloc(&d->mem, nshare * sizeof *share);
    if (!share) {
        pqf_work_free(&d->mem, plans, nplans * sizeof *plans);
        pqf_fail_mem(d);
        return NULL;
    }
    uint32_t *eoff = share + (nslots ? nslots : 1);
    uint32_t *emasks = eoff + (nslots ? nslots : 1); /* per slot, its fields with entries */
    uint32_t *wsum = emasks + (nslots ? nslots : 1); /* per slot, its bits per row group */
    field_plan rp[CF_COUNT]; /* the row-group "column" */
    memset(rp, 0, sizeof rp);
    uint64_t nbits = 0;
    {
        for (unsigned f = 0; f < RF_COUNT; f++) {
            minmax m = {INT64_MAX, INT64_MIN};
            unsigned ref = pqf_rg_default_ref(f);
            for (uint64_t rg = 0; rg < nrg; rg++) mm_add(&m, rg_field(d, rg, f) - rg_ref(d, rg, ref));
            if (!nrg) m.mn = m.mx = 0;
            plan_field(&rp[f], &m, ref, ref);
            nbits += (uint64_t)rp[f].width * nrg;
        }
    }
    uint32_t nstored = 0;
    for (uint32_t s = 0; s < nslots; s++) {
        if (PQF_UNLIKELY(nstored + (size_t)CF_COUNT > nplans)) {
            size_t grown = nplans * 2 < plans_max ? nplans * 2 : plans_max;
            field_plan *g = pqf_work_alloc(&d->mem, grown * sizeof *g);
            if (!g) {
                pqf_work_free(&d->mem, share, nshare * sizeof *share);
                pqf_work_free(&d->mem, plans, nplans * sizeof *plans);
                pqf_fail_mem(d);
                return NULL;
            }
            memcpy(g, plans, nstored * sizeof *plans);
            pqf_work_free(&d->mem, plans, nplans * sizeof *plans);
            plans = g;
            nplans = grown;
        }
        field_plan *out = plans + nstored;
        uint32_t emask = 0, n = 0;
        uint64_t w;
        if (PQF_LIKELY(ms->nobserved && !ms->range[s])) n = plan_staged_slot(ms, s, out, &emask, &w);
        else n = plan_slot(ms, s, out, &emask, &w);
        nbits += w * nrg;
        share[s] = emasks[s] = emask;
        wsum[s] = (uint32_t)w; /* at most 64 bits a field */
        eoff[s] = nstored;
        nstored += n;
    }

    /* Lay out the data block; the schema goes to its own, shareable block. */
    uint32_t nentries = share_entries(&d->mem, plans, eoff, nslots, share);
    /* Per-slot descriptors (the row-group column last) and their shape ids. */
    pqf_packed_col *cols = pqf_work_alloc(&d->mem, (size_t)(nslots + 1) * sizeof *cols);
    uint32_t *ids = pqf_work_alloc(&d->mem, (size_t)(nslots ? nslots : 1) * sizeof *ids);
    pqf_slot_layout lay;
    pqf_footer *F = NULL;
    if (nentries == UINT32_MAX || !cols || !ids) goto no_mem;
    for (unsigned f = 0; f < RF_COUNT; f++) nentries += rp[f].entry;
    {
        uint32_t e = 0;
        uint64_t pos = 0;
        for (uint32_t s = 0; s < nslots; s++) { /* a slot's fields without entries take no bits */
            const int shared = share[s] != s;
            pqf_packed_col *pc = &cols[s];
            pc->bitpos = pos;
            pc->entry = shared ? cols[share[s]].entry : e;
            pc->mask = emasks[s];
            pos += (uint64_t)wsum[s] * nrg;
            if (!shared) e += (uint32_t)pqf_popcount32(pc->mask);
        }
        pqf_packed_col *pc = &cols[nslots]; /* the row group's plans are all there */
        pc->bitpos = pos;
        pc->entry = e;
        pc->mask = 0;
        for (unsigned k = 0; k < RF_COUNT; k++) {
            if (!rp[k].entry) continue;
            pc->mask |= 1u << k;
            pos += (uint64_t)rp[k].width * nrg;
        }
    }
    if (pqf_slot_layout_plan(&d->mem, cols, share, nslots, nrg, ids, &lay)) goto no_mem;
    size_t strings = pqf_pool_size(&d->created_by);
    for (uint32_t i = 0; i < 2 * d->nkv; i++) strings += pqf_pool_size(&d->kv[i]);
    for (uint32_t i = 0; i < d->nfpaths; i++) strings += pqf_pool_size(&d->fpaths[i]);
    size_t nbits_bytes = (size_t)((nbits + 7) / 8) + 16;

    pqf_schema_block *sb = pqf_schema_block_build(d);
    if (!sb) goto fail;
    char *pool = NULL;
    F = pqf_data_block_alloc(&d->mem, d->nkv, d->nfpaths, nslots, &lay, nentries, nbits_bytes, strings, &pool);
    if (!F) {
        pqf_schema_block_release(sb);
        goto no_mem;
    }
    pqf_footer_attach_schema(F, sb);
    F->version = d->version;
    F->fflags = d->fflags;
    F->options = d->flags & ~(uint32_t)PQF_PORTABLE; /* how it was decoded is not part of the model */
    F->num_rows = d->num_rows;
    F->nrg = nrg;
    if (d->nkv) memcpy(F->kv, d->kv, (size_t)d->nkv * 2 * sizeof(pqf_str));
    for (uint32_t i = 0; i < 2 * d->nkv; i++) pqf_pool_put(&pool, &F->kv[i]);
    if (d->nfpaths) memcpy(F->fpaths, d->fpaths, (size_t)d->nfpaths * sizeof(pqf_str));
    for (uint32_t i = 0; i < d->nfpaths; i++) pqf_pool_put(&pool, &F->fpaths[i]);
    F->created_by = d->created_by;
    pqf_pool_put(&pool, &F->created_by);
    uint8_t *bits = (uint8_t *)F->bits;

    /* Entries (a slot sharing an earlier one's has none of its own) and descriptors. */
    for (uint32_t s = 0; s <= nslots; s++) {
        int is_rg = s == nslots;
        if (!is_rg && share[s] != s) continue;
        const field_plan *p = is_rg ? rp : plans + eoff[s];
        uint32_t np = is_rg ? RF_COUNT : (s + 1 < nslots ? eoff[s + 1] : nstored) - eoff[s];
        uint32_t e = cols[s].entry;
        for (uint32_t k = 0; k < np; k++) {
            if (!p[k].entry) continue;
            F->ebase[e] = p[k].base;
            F->emeta[e] = EMETA(p[k].width, p[k].ref);
            e++;
        }
    }
    F->rg = cols[nslots];
    pqf_slot_layout_fill(F, cols, ids);
    pqf_work_free(&d->mem, ids, (size_t)(nslots ? nslots : 1) * sizeof *ids);
    ids = NULL;
    pqf_work_free(&d->mem, share, nshare * sizeof *share);
    share = NULL;

    /* Pack residuals: the row-group column, then the chunks (model_pack.c). */
    {
        const field_plan *p = rp;
        uint64_t fpos = F->rg.bitpos;
        for (unsigned f = 0; f < RF_COUNT; f++) {
            if (!p[f].entry) continue;
            unsigned w = p[f].width;
            for (uint64_t rg = 0; w && rg < nrg; rg++)
                pqf_put_bits(bits, fpos + rg * w, w, rg_field(d, rg, f) - rg_ref(d, rg, p[f].ref) - p[f].base);
            fpos += (uint64_t)w * nrg;
        }
    }
    if (pqf_pack_slots(d, cols, plans, nstored, bits)) {
        pqf_footer_free(F);
        F = NULL;
        goto no_mem;
    }
    pqf_work_free(&d->mem, cols, (size_t)(nslots + 1) * sizeof *cols);
    pqf_work_free(&d->mem, plans, nplans * sizeof *plans);
    return F;

no_mem:
    pqf_fail_mem(d);
fail:
    pqf_work_free(&d->mem, ids, (size_t)(nslots ? nslots : 1) * sizeof *ids);
    pqf_work_free(&d->mem, cols, (size_t)(nslots + 1) * sizeof *cols);
    pqf_work_free(&d->mem, share, nshare * sizeof *share);
    pqf_work_free(&d->mem, plans, nplans * sizeof *plans);
    return NULL;
}
