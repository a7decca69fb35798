/* RowGroup, ColumnChunk and ColumnMetaData: the bulk of every footer. Kept
 * values go into one work record per stored chunk; everything else is skipped. */
#include "chunk_fields.h"
#include "model_encodings.h"
#include "template.h"
#include "wire.h"

static const char *const rg_names[] = {
    NULL, "columns", "total_byte_size", "num_rows", "sorting_columns", "file_offset",
    "total_compressed_size", "ordinal",
};

#define NAME(tab, fid) (((fid) > 0 && (size_t)(fid) < sizeof(tab) / sizeof(tab[0])) ? tab[fid] : NULL)

static int missing(pqf_dec *d, const uint8_t *at, const char *msg, const char *name, int16_t fid) {
    return pqf_path_push(d, pqf_fail_at(&d->cur, at, PQF_ERR_MISSING_REQUIRED, msg), name, -1, fid);
}

/* path_in_schema must name the leaf's path. */
static int check_path(pqf_dec *d, uint32_t col) {
    const uint8_t *at = d->cur.p;
    uint32_t n;
    unsigned et;
    int rc;
    if ((rc = wire_list(&d->cur, &n, &et, 1))) return rc;
    const pqf_leaf_work *lw = &d->leaves[col];
    if (d->flags & PQF_NO_PATH_CHECK) {
        for (uint32_t i = 0; i < n; i++) {
            const uint8_t *s;
            size_t len;
            if ((rc = wire_binary(&d->cur, &s, &len))) return rc;
        }
        return 0;
    }
    if (n != lw->nparts) return pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, "path_in_schema does not match the schema");
    /* The list runs root to leaf; the schema links leaf to root. Compare each
     * name against the ancestor at its depth. Depth is bounded by max_depth. */
    const pqf_schema_element *s = d->schema;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *str;
        size_t len;
        if ((rc = wire_binary(&d->cur, &str, &len))) return rc;
        int32_t e = (int32_t)lw->first_part;
        for (uint32_t up = n - 1 - i; up > 0; up--) e = s[e].parent;
        if (len != s[e].name.len || (len && memcmp(str, s[e].name.ptr, len) != 0))
            return pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, "path_in_schema does not match the schema");
    }
    return 0;
}

/* The byte range of a chunk and its place in the file. */
static int check_range(pqf_dec *d, pqf_chunk_rec *rec, const pqf_chunk_ext_rec *ext, const uint8_t *at) {
    int64_t start = rec->dpo;
    if ((rec->has & PQF_CH_DICT) && rec->dict > 0 && rec->dict < rec->dpo) start = rec->dict;
    if (!(rec->has & PQF_CH_META)) start = 0;
    rec->start = start;
    const char *field = NULL;
    const char *msg = pqf_chunk_place_error(d, rec, ext, &field);
    if (msg) return pqf_path_push(d, pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, msg), field, -1, 0);
    return 0;
}

/* Remember a file path once; chunks refer to it by number. */
static int intern_file_path(pqf_dec *d, const uint8_t *s, size_t n, uint32_t *id) {
    uint32_t lim = d->nfpaths;
    for (uint32_t k = lim; k > 0 && lim - k < 64; k--) {
        const pqf_str *p = &d->fpaths[k - 1];
        if (p->len == n && memcmp(p->ptr, s, n) == 0) {
            *id = k;
            return 0;
        }
    }
    if (d->nfpaths == d->fpaths_cap) {
        uint32_t cap = d->fpaths_cap ? d->fpaths_cap * 2 : 8;
        pqf_str *np = pqf_arena_alloc(&d->work, (size_t)cap * sizeof *np);
        if (!np) return pqf_fail_mem(d);
        if (d->nfpaths) memcpy(np, d->fpaths, (size_t)d->nfpaths * sizeof *np);
        d->fpaths = np;
        d->fpaths_cap = cap;
    }
    int rc = pqf_copy_str(&d->work, &d->cur, s, n, &d->fpaths[d->nfpaths]);
    if (rc) return rc;
    *id = ++d->nfpaths;
    return 0;
}

static int decode_fields(pqf_dec *d, const pqf_field_table *tab, unsigned keep, uint32_t col,
                         pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext);

/* One kept field of a chunk's tables (chunk_fields.h) at the cursor. */
static int read_field(pqf_dec *d, const pqf_field *f, unsigned keep, uint32_t col, pqf_chunk_rec *rec,
                      pqf_chunk_ext_rec *ext) {
    const uint8_t *at = d->cur.p;
    int rc;
    switch (f->kind) {
    case PQF_FK_VALUE: {
        int64_t v;
        if (f->ct == CT_I64) {
            rc = wire_i64(&d->cur, &v);
        } else {
            int32_t w;
            rc = wire_i32(&d->cur, &w);
            v = w;
        }
        if (rc) return rc;
        if (PQF_UNLIKELY(v < 0)) return pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, "negative size or offset");
        *pqf_slot_ptr(rec, ext, f->slot) = v;
        break;
    }
    case PQF_FK_LAYOUT: {
        int32_t v;
        if ((rc = wire_i32(&d->cur, &v))) return rc;
        memcpy((char *)rec + f->slot, &v, sizeof v);
        break;
    }
    case PQF_FK_FILE_PATH: {
        const uint8_t *s;
        size_t n;
        if ((rc = wire_binary(&d->cur, &s, &n)) || (rc = intern_file_path(d, s, n, &rec->fpath))) return rc;
        break;
    }
    case PQF_FK_META:
        if ((rc = decode_fields(d, &pqf_meta_table, keep, col, rec, ext))) return rc;
        break;
    case PQF_FK_CRYPTO:
        if ((rc = pqf_skip_shaped(&d->cur, f->ct, f->shape))) return rc;
        d->fflags |= PQF_FOOTER_HAS_COLUMN_CRYPTO;
        break;
    case PQF_FK_ENCODINGS:
        if ((rc = pqf_enc_decode(d, col, &rec->enc))) return rc;
        break;
    default: /* PQF_FK_PATH */
        if ((rc = check_path(d, col))) return rc;
        break;
    }
    rec->has |= f->has;
    return 0;
}

/* A ColumnChunk or ColumnMetaData by its field table: kept fields into rec
 * and ext (keep: PQF_FN_*), the rest skipped by their shapes. */
static int decode_fields(pqf_dec *d, const pqf_field_table *tab, unsigned keep, uint32_t col,
                         pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    const uint8_t *start = d->cur.p;
    uint32_t seen = 0;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        const pqf_field *f = pqf_field_kept(tab, fid, t, keep);
        if (f) {
            rc = read_field(d, f, keep, col, rec, ext);
            seen |= 1u << fid;
        } else {
            rc = pqf_skip_shaped(&d->cur, t, pqf_field_shape(tab, fid));
        }
        if (rc) { /* name the field, on top of what a nested struct named */
            if ((f && f->kind == PQF_FK_META) || d->npath == 0)
                pqf_path_push(d, rc, pqf_field_name(tab, fid), -1, fid);
            return rc;
        }
    }
    for (int16_t id = 1; id < tab->n; id++) /* the first required field that was not read */
        if (tab->field[id].required && !(seen & (1u << id)))
            return missing(d, start, tab->missing, tab->field[id].name, id);
    wire_leave(&d->cur);
    return 0;
}

/* ColumnChunk. rec is NULL for a chunk outside the projection: its metadata is skipped. */
static int decode_column_chunk(pqf_dec *d, uint32_t col, pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext) {
    const uint8_t *start = d->cur.p;
    unsigned keep = pqf_chunk_keep(d, rec != NULL);
    pqf_chunk_rec dummy;
    if (!rec) rec = &dummy;
    memset(rec, 0, sizeof *rec);
    if (ext) memset(ext, 0, sizeof *ext);
    int rc = decode_fields(d, &pqf_chunk_table, keep, col, rec, ext);
    if (!rc && rec != &dummy) rc = check_range(d, rec, ext, start);
    return rc;
}

/* A template of cap blocks (pqf_tmpl_blocks_for()), on a cache-line boundary
 * for the wide path's aligned loads. Sized by the chunk it first records, so
 * a column of 100-byte chunks takes 448 bytes, not the longest chunk's 960. */
static pqf_tmpl *tmpl_alloc(pqf_dec *d, unsigned cap) {
    pqf_tmpl *t = pqf_arena_alloc_aligned(&d->loop_work, pqf_tmpl_size(cap), PQF_TMPL_ALIGN);
    if (!t) return NULL;
    t->cap = (uint8_t)cap;
    return t;
}

/* Layouts recorded lately, most recent first (d->recent). Columns of a wide
 * table usually share their chunks' layout, the column's name aside (which a
 * hit checks: pqf_tmpl_name_ok()), so a column whose own layouts miss, or
 * that has none yet, tries these; with one row group they serve every column. */
static void recent_push(pqf_dec *d, pqf_tmpl *t) {
    uint32_t k = 0;
    while (k < d->nrecent && d->recent[k] != t) k++;
    if (k == d->nrecent) { /* new: it takes the least recent one's place when full */
        if (d->nrecent < PQF_RECENT) d->nrecent++;
        else k--;
    }
    for (; k > 0; k--) d->recent[k] = d->recent[k - 1];
    d->recent[0] = t;
}

/* Column c (templates tp, NULL with one row group) reads the chunk at the
 * cursor with a recent layout: 1 on a hit, the layout then c's first. */
static int try_recent(pqf_dec *d, uint32_t c, pqf_tmpl **tp, pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext) {
    for (uint32_t k = 0; k < d->nrecent; k++) {
        pqf_tmpl *t = d->recent[k];
        if ((tp && (t == tp[0] || t == tp[1])) || !pqf_tmpl_lendable(t, rec != NULL)) continue;
        if (!pqf_tmpl_apply(d, t, c, rec, ext)) continue;
        if (tp) {
            tp[1] = tp[0];
            tp[0] = t;
        }
        if (k) recent_push(d, t);
        if (rec) pqf_enc_note(d, d->leaves[c].slot, rec->enc); /* the list another column read */
        return 1;
    }
    return 0;
}

/* Somewhere to record the chunk that just missed for column c (tp NULL: one
 * row group), at most PQF_RECENT templates with one row group and two per
 * column otherwise, as many as the decode may keep. Within the budget a new
 * one; past it one already in use: templates are caches whose hits are
 * checked, so writing over one another column shares costs that column a
 * miss, never a wrong value (the encodings lists are then compared row by
 * row). *t NULL: nothing to record over (the chunk stays unrecorded). */
static int record_target(pqf_dec *d, pqf_tmpl **tp, unsigned cap, pqf_tmpl **t) {
    *t = NULL;
    if (!tp) { /* the ring's templates hold the longest chunk, so each is reused */
        if (d->nrecent == PQF_RECENT) *t = d->recent[PQF_RECENT - 1]; /* the one the ring drops */
        else cap = PQF_TMPL_MAX / 64;
    } else if (d->ntmpls >= 2 * (uint64_t)d->ncols + PQF_RECENT) {
        pqf_tmpl *u = tp[1] ? tp[1] : tp[0];
        if (u && u->cap >= cap) *t = u, pqf_enc_dirty(d);
        return 0;
    }
    if (*t) return 0;
    if (!(*t = tmpl_alloc(d, cap))) return pqf_fail_mem(d);
    d->ntmpls++;
    return 0;
}

/* Chunk c: its templates, the recent layouts, else the normal decoder (which records one). */
PQF_INLINE int decode_column(pqf_dec *d, uint64_t rg, uint32_t c) {
    uint32_t slot = d->leaves[c].slot;
    pqf_chunk_rec *rec = slot != UINT32_MAX ? &d->row[slot] : NULL;
    pqf_chunk_ext_rec *ext = (rec && d->ext) ? &d->ext[rg * d->nslots + slot] : NULL;
    pqf_tmpl **tp = d->tmpls ? &d->tmpls[2 * (size_t)c] : NULL; /* see pqf_tmpl_swap() */
    uint32_t *misses = tp ? NULL : &d->shared_misses;
    int rc;
    if (tp) {
        if (tp[0] && pqf_tmpl_apply(d, tp[0], c, rec, ext)) {
            d->tmpl_misses[c] = 0;
            return 0;
        }
        if (tp[1] && pqf_tmpl_apply(d, tp[1], c, rec, ext)) {
            pqf_tmpl_swap(tp);
            d->tmpl_misses[c] = 0;
            return 0;
        }
    }
    if ((tp || d->shared) && try_recent(d, c, tp, rec, ext)) {
        if (tp) d->tmpl_misses[c] = 0;
        else d->shared_misses = 0;
        return 0;
    }
    const uint8_t *chunk_start = d->cur.p;
    if ((rc = decode_column_chunk(d, c, rec, ext))) return pqf_path_push(d, rc, NULL, (int32_t)c, 0);
    if (!tp && !d->shared) return 0;
    /* Layouts that keep changing are recorded again only now and then. */
    uint32_t m = tp ? d->tmpl_misses[c] : *misses;
    if (m < 255) m++;
    if (tp) d->tmpl_misses[c] = (uint8_t)m;
    else *misses = m;
    if (m > (tp ? 4u : PQF_RECENT) && m % 16) return 0;
    size_t n = (size_t)(d->cur.p - chunk_start);
    pqf_tmpl *t;
    if ((rc = record_target(d, tp, pqf_tmpl_blocks_for(n > PQF_TMPL_MAX ? 0 : n), &t)) || !t) return rc;
    if (rec) pqf_tmpl_build(d, t, chunk_start, d->cur.p, rec->has, rec->fpath);
    else pqf_tmpl_build_skipped(d, t, chunk_start, d->cur.p);
    t->enc = rec ? rec->enc : 0; /* its list's bytes are structure: a hit has this list */
    if (tp && t != tp[0]) {
        tp[1] = tp[0];
        tp[0] = t;
    }
    if (t->len && t->lend != PQF_LEND_NONE) recent_push(d, t);
    return 0;
}

static int decode_columns(pqf_dec *d, uint64_t rg) {
    const uint8_t *at = d->cur.p;
    uint32_t n;
    unsigned et;
    int rc;
    if ((rc = wire_list(&d->cur, &n, &et, 3))) return rc;
    if (n != d->ncols)
        return pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, "row group column count differs from the schema's leaves");
#ifdef PQF_HAVE_WIDE
    if (d->wide & PQF_WIDE_TEMPLATES) {
        /* Runs of hits on the AVX-512 path; the portable one decides the rest. */
        for (uint32_t c = 0; (c = pqf_hit_columns_wide(d, c, n, rg)) < n; c++)
            if ((rc = decode_column(d, rg, c))) return rc;
        return 0;
    }
    if ((d->wide & PQF_WIDE_SHARED) && rg == 0) {
        for (uint32_t c = 0; (c = pqf_hit_shared_wide(d, c, n)) < n; c++)
            if ((rc = decode_column(d, rg, c))) return rc;
        return 0;
    }
#endif
    for (uint32_t c = 0; c < n; c++)
        if ((rc = decode_column(d, rg, c))) return rc;
    return 0;
}

static int decode_row_group(pqf_dec *d, uint64_t rg) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    const uint8_t *start = d->cur.p;
    pqf_rg_rec *r = &d->rgs[rg];
    memset(r, 0, sizeof *r);
    unsigned seen = 0;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        const uint8_t *at = d->cur.p;
        int64_t *dst = NULL;
        switch (fid) {
        case 1:
            if (t != CT_LIST) break;
            if (seen & 2) {
                rc = pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, "row group lists its columns twice");
                goto fail;
            }
            if ((rc = decode_columns(d, rg))) goto fail;
            seen |= 2;
            continue;
        case 2: dst = &r->total_byte_size; break;
        case 3: dst = &r->num_rows; break;
        case 5: dst = &r->file_offset; break;
        case 6: dst = &r->total_compressed_size; break;
        case 7:
            if (t != CT_I16) break;
            {
                int16_t v;
                if ((rc = wire_i16(&d->cur, &v))) goto fail;
                r->ordinal = v;
                r->has |= PQF_RG_ORDINAL;
            }
            continue;
        default: break;
        }
        if (dst && t == CT_I64) {
            if ((rc = wire_i64(&d->cur, dst))) goto fail;
            if (*dst < 0) {
                rc = pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, "negative size or offset");
                goto fail;
            }
            seen |= 1u << fid;
            if (fid == 5) {
                r->has |= PQF_RG_FILE_OFFSET;
                if (d->file_size && (uint64_t)*dst > d->file_size) {
                    rc = pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, "file_offset past the end of the file");
                    goto fail;
                }
            }
            if (fid == 6) r->has |= PQF_RG_TOTAL_COMPRESSED_SIZE;
            continue;
        }
        if ((rc = pqf_skip_shaped(&d->cur, t, pqf_shape_field(PQF_SHAPE_ROW_GROUP, fid)))) goto fail;
        continue;
    fail:
        if (fid != 1 || d->npath == 0) return pqf_path_push(d, rc, NAME(rg_names, fid), -1, fid);
        return pqf_path_push(d, rc, "columns", -1, 1);
    }
    if (!(seen & 2)) return missing(d, start, "RowGroup lacks columns", "columns", 1);
    if (!(seen & 4)) return missing(d, start, "RowGroup lacks total_byte_size", "total_byte_size", 2);
    if (!(seen & 8)) return missing(d, start, "RowGroup lacks num_rows", "num_rows", 3);
    wire_leave(&d->cur);
    return 0;
}

int pqf_decode_row_groups(pqf_dec *d) {
    const uint8_t *at = d->cur.p;
    uint32_t n;
    unsigned et;
    int rc;
    /* A RowGroup takes at least 6 bytes plus 3 per column chunk: that bounds
     * the work arrays by the bytes actually present. */
    uint64_t min_rg = 6 + 3 * (uint64_t)d->ncols;
    if ((rc = wire_list(&d->cur, &n, &et, 1))) return rc;
    if (n && n > wire_left(&d->cur) / min_rg)
        return pqf_fail_at(&d->cur, at, PQF_ERR_TRUNCATED, "row_groups list longer than the bytes left");
    uint64_t cells = (uint64_t)n * d->nslots;
    d->nrg = 0;
    d->nrg_alloc = n; /* before allocating: free_work() sizes the frees from it */
    d->rgs = pqf_work_alloc(&d->mem, (size_t)(n ? n : 1) * sizeof(pqf_rg_rec));
    d->res = pqf_work_alloc(&d->mem, (size_t)(cells ? cells : 1) * sizeof(pqf_res_rec));
    d->res16 = (pqf_res16_rec *)d->res; /* narrow first; the first lane that does not fit widens them in place */
    if (!d->rgs || !d->res) return pqf_fail_mem(d);
    if (d->flags & (PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM)) {
        d->ext = pqf_work_alloc(&d->mem, (size_t)(cells ? cells : 1) * sizeof(pqf_chunk_ext_rec));
        if (!d->ext) return pqf_fail_mem(d);
    }
    if ((rc = pqf_model_begin(d)) || (rc = pqf_enc_begin(d))) return rc;
    /* The loop's own memory after the work that outlives it (a context's
     * range takes the loop's back when it is on top), in one block when the
     * chunks' average size tells what their templates will take. */
    const int templates = n >= 2 && d->ncols && (uint64_t)d->ncols * pqf_tmpl_size(2) <= wire_left(&d->cur);
    uint64_t loop_need = (uint64_t)d->nslots * sizeof(pqf_chunk_rec);
    if (templates) {
        uint64_t avg = wire_left(&d->cur) / (cells ? cells : 1);
        if (avg > PQF_TMPL_MAX) avg = PQF_TMPL_MAX; /* longer chunks take no template */
        loop_need += (uint64_t)d->ncols * (2 * sizeof *d->tmpls + 1 + pqf_tmpl_size(pqf_tmpl_blocks_for((size_t)avg) + 1));
    }
    pqf_arena_plan(&d->loop_work, loop_need);
    d->row = pqf_arena_alloc(&d->loop_work, (size_t)(d->nslots ? d->nslots : 1) * sizeof(pqf_chunk_rec));
    if (!d->row) return pqf_fail_mem(d);
    /* Templates pay off from the second row group on, and are bounded by the footer's size. */
    d->tmpls = NULL;
    if (templates) {
        d->tmpls = pqf_arena_alloc(&d->loop_work, (size_t)d->ncols * 2 * sizeof *d->tmpls);
        /* misses per column, then a flag per column (decode_column()) */
        d->tmpl_misses = pqf_arena_alloc(&d->loop_work, d->ncols);
        if (!d->tmpls || !d->tmpl_misses) return pqf_fail_mem(d);
        memset(d->tmpls, 0, (size_t)d->ncols * 2 * sizeof *d->tmpls);
        memset(d->tmpl_misses, 0, d->ncols);
    }
    /* Without them, shared layouts still pay off across columns. */
    d->nrecent = 0;
    d->ntmpls = 0;
    d->shared_misses = 0;
    d->shared = !d->tmpls && d->ncols >= 2;
    pqf_wide_choose(d);
    d->res8 = (pqf_res8_rec *)d->res; /* compact first, while the chunks are plain (model_stage.c) */
    for (uint32_t i = 0; i < n; i++) {
        if ((rc = decode_row_group(d, i))) return pqf_path_push(d, rc, NULL, (int32_t)i, 0);
        if ((rc = pqf_model_observe_row(d, i)) || (rc = pqf_enc_observe_row(d, i))) return rc;
        d->nrg = i + 1;
    }
    /* The row's records and the layouts are done with: their memory serves
     * what comes next (in a fresh process, pages already faulted in). */
    d->row = NULL;
    d->tmpls = NULL;
    d->tmpl_misses = NULL;
    d->nrecent = 0;
    pqf_arena_release(&d->loop_work);
    return 0;
}
