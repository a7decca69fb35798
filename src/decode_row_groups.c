/* RowGroup, ColumnChunk and ColumnMetaData: the bulk of every footer. Kept
 * values go into one work record per stored chunk; everything else is skipped. */
#include "model_encodings.h"
#include "template.h"
#include "wire.h"

static const char *const cmd_names[] = {
    NULL, "type", "encodings", "path_in_schema", "codec", "num_values",
    "total_uncompressed_size", "total_compressed_size", "key_value_metadata",
    "data_page_offset", "index_page_offset", "dictionary_page_offset", "statistics",
    "encoding_stats", "bloom_filter_offset", "bloom_filter_length", "size_statistics",
    "geospatial_statistics",
};
static const char *const cc_names[] = {
    NULL, "file_path", "file_offset", "meta_data", "offset_index_offset", "offset_index_length",
    "column_index_offset", "column_index_length", "crypto_metadata", "encrypted_column_metadata",
};
static const char *const rg_names[] = {
    NULL, "columns", "total_byte_size", "num_rows", "sorting_columns", "file_offset",
    "total_compressed_size", "ordinal",
};

#define NAME(tab, fid) (((fid) > 0 && (size_t)(fid) < sizeof(tab) / sizeof(tab[0])) ? tab[fid] : NULL)

static int bad_value(pqf_dec *d, const uint8_t *at, const char *msg, const char *const *names,
                     size_t nnames, int16_t fid) {
    int rc = pqf_fail_at(d, at, PQF_ERR_MALFORMED, msg);
    return pqf_path_push(d, rc, (fid > 0 && (size_t)fid < nnames) ? names[fid] : NULL, -1, fid);
}

static int missing(pqf_dec *d, const uint8_t *at, const char *msg, const char *name, int16_t fid) {
    return pqf_path_push(d, pqf_fail_at(d, at, PQF_ERR_MISSING_REQUIRED, msg), name, -1, fid);
}

/* path_in_schema must name the leaf's path. */
static int check_path(pqf_dec *d, uint32_t col) {
    const uint8_t *at = d->p;
    uint32_t n;
    unsigned et;
    int rc;
    if ((rc = wire_list(d, &n, &et, 1))) return rc;
    const pqf_leaf_work *lw = &d->leaves[col];
    if (d->flags & PQF_NO_PATH_CHECK) {
        for (uint32_t i = 0; i < n; i++) {
            const uint8_t *s;
            size_t len;
            if ((rc = wire_binary(d, &s, &len))) return rc;
        }
        return 0;
    }
    if (n != lw->nparts) return pqf_fail_at(d, at, PQF_ERR_MALFORMED, "path_in_schema does not match the schema");
    /* The list runs root to leaf; the schema links leaf to root. Compare each
     * name against the ancestor at its depth. Depth is bounded by max_depth. */
    const pqf_schema_element *s = d->schema;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *str;
        size_t len;
        if ((rc = wire_binary(d, &str, &len))) return rc;
        int32_t e = (int32_t)lw->first_part;
        for (uint32_t up = n - 1 - i; up > 0; up--) e = s[e].parent;
        if (len != s[e].name.len || (len && memcmp(str, s[e].name.ptr, len) != 0))
            return pqf_fail_at(d, at, PQF_ERR_MALFORMED, "path_in_schema does not match the schema");
    }
    return 0;
}

static int nonneg(pqf_dec *d, int64_t v, const uint8_t *at, int16_t fid) {
    if (PQF_UNLIKELY(v < 0))
        return bad_value(d, at, "negative size or offset", cmd_names, sizeof cmd_names / sizeof *cmd_names, fid);
    return 0;
}

/* ColumnMetaData into rec. */
static int decode_cmd(pqf_dec *d, uint32_t col, pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext) {
    int rc;
    if ((rc = wire_enter(d))) return rc;
    const uint8_t *start = d->p;
    unsigned seen = 0;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(d, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        const uint8_t *at = d->p;
        switch (fid) {
        case 1:
            if (t != CT_I32) break;
            if ((rc = wire_i32(d, &rec->type))) goto fail;
            seen |= 1u << 1;
            continue;
        case 2:
            if (t != CT_LIST) break;
            if ((rc = pqf_enc_decode(d, col, &rec->enc))) goto fail;
            seen |= 1u << 2;
            continue;
        case 3:
            if (t != CT_LIST) break;
            if ((rc = check_path(d, col))) goto fail;
            seen |= 1u << 3;
            continue;
        case 4:
            if (t != CT_I32) break;
            if ((rc = wire_i32(d, &rec->codec))) goto fail;
            seen |= 1u << 4;
            continue;
        case 5: /* num_values, total_uncompressed_size, total_compressed_size, */
        case 6: /* data_page_offset, dictionary_page_offset: i64, never negative */
        case 7:
        case 9:
        case 11: {
            if (t != CT_I64) break;
            int64_t *dst = fid == 5 ? &rec->nv : fid == 6 ? &rec->tus : fid == 7 ? &rec->tcs
                         : fid == 9 ? &rec->dpo : &rec->dict;
            if ((rc = wire_i64(d, dst)) || (rc = nonneg(d, *dst, at, fid))) goto fail;
            if (fid == 11) rec->has |= PQF_CH_DICT;
            else seen |= 1u << fid;
            continue;
        }
        case 14:
            if (t != CT_I64 || !ext || !(d->flags & PQF_KEEP_BLOOM)) break;
            if ((rc = wire_i64(d, &ext->bf_off)) || (rc = nonneg(d, ext->bf_off, at, fid))) goto fail;
            rec->has |= PQF_CH_BLOOM_OFFSET;
            continue;
        case 15:
            if (t != CT_I32 || !ext || !(d->flags & PQF_KEEP_BLOOM)) break;
            {
                int32_t v;
                if ((rc = wire_i32(d, &v)) || (rc = nonneg(d, v, at, fid))) goto fail;
                ext->bf_len = v;
            }
            rec->has |= PQF_CH_BLOOM_LENGTH;
            continue;
        default:
            break;
        }
        if ((rc = pqf_skip_shaped(d, t, pqf_shape_field(PQF_SHAPE_COLUMN_META, fid)))) goto fail;
        continue;
    fail:
        if (d->npath == 0) pqf_path_push(d, rc, NAME(cmd_names, fid), -1, fid);
        return rc;
    }
    /* Required: type, encodings, path_in_schema, codec, num_values, sizes, data_page_offset. */
    const unsigned req = (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) |
                         (1u << 7) | (1u << 9);
    if ((seen & req) != req) {
        unsigned miss = req & ~seen;
        int16_t m = (int16_t)__builtin_ctz(miss);
        return missing(d, start, "ColumnMetaData lacks a required field", cmd_names[m], m);
    }
    wire_leave(d);
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
    if (msg) return pqf_path_push(d, pqf_fail_at(d, at, PQF_ERR_MALFORMED, msg), field, -1, 0);
    return 0;
}

/* A size or offset: i64 or i32 as the field is declared, never negative. */
static int read_size(pqf_dec *d, unsigned t, const uint8_t *at, int64_t *v) {
    int rc;
    if (t == CT_I64) {
        rc = wire_i64(d, v);
    } else {
        int32_t w;
        rc = wire_i32(d, &w);
        *v = w;
    }
    if (!rc && *v < 0) rc = pqf_fail_at(d, at, PQF_ERR_MALFORMED, "negative size or offset");
    return rc;
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
    int rc = pqf_copy_str(d, s, n, &d->fpaths[d->nfpaths]);
    if (rc) return rc;
    *id = ++d->nfpaths;
    return 0;
}

/* ColumnChunk. rec is NULL for a chunk outside the projection: its metadata is skipped. */
static int decode_column_chunk(pqf_dec *d, uint32_t col, pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext) {
    int rc;
    if ((rc = wire_enter(d))) return rc;
    const uint8_t *start = d->p;
    pqf_chunk_rec dummy;
    if (!rec) rec = &dummy;
    memset(rec, 0, sizeof *rec);
    if (ext) memset(ext, 0, sizeof *ext);
    int have_fo = 0, keep_pi = (d->flags & PQF_KEEP_PAGE_INDEX) && ext;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(d, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        const uint8_t *at = d->p;
        switch (fid) {
        case 1:
            if (t != CT_BINARY) break;
            {
                const uint8_t *s;
                size_t n;
                if ((rc = wire_binary(d, &s, &n))) goto fail;
                if (rec != &dummy && (rc = intern_file_path(d, s, n, &rec->fpath))) goto fail;
                rec->has |= PQF_CH_FILE_PATH;
            }
            continue;
        case 2:
            if (t != CT_I64) break;
            if ((rc = read_size(d, t, at, &rec->fo))) goto fail;
            have_fo = 1;
            continue;
        case 3:
            if (t != CT_STRUCT) break;
            if (rec == &dummy) {
                if ((rc = pqf_skip_shaped(d, CT_STRUCT, PQF_SHAPE_COLUMN_META))) goto fail;
            } else if ((rc = decode_cmd(d, col, rec, ext))) {
                goto fail;
            }
            rec->has |= PQF_CH_META;
            continue;
        case 4: /* offset_index_offset (i64), offset_index_length (i32), */
        case 5: /* column_index_offset (i64), column_index_length (i32) */
        case 6:
        case 7: {
            if (t != ((fid & 1) ? CT_I32 : CT_I64) || !keep_pi) break;
            int64_t v;
            if ((rc = read_size(d, t, at, &v))) goto fail;
            switch (fid) {
            case 4: ext->oi_off = v, rec->has |= PQF_CH_OI_OFFSET; break;
            case 5: ext->oi_len = v, rec->has |= PQF_CH_OI_LENGTH; break;
            case 6: ext->ci_off = v, rec->has |= PQF_CH_CI_OFFSET; break;
            default: ext->ci_len = v, rec->has |= PQF_CH_CI_LENGTH; break;
            }
            continue;
        }
        case 8:
            if (t != CT_STRUCT) break;
            if ((rc = pqf_skip_shaped(d, CT_STRUCT, PQF_SHAPE_CRYPTO))) goto fail;
            rec->has |= PQF_CH_CRYPTO;
            d->fflags |= PQF_FOOTER_HAS_COLUMN_CRYPTO;
            continue;
        default:
            break;
        }
        if ((rc = pqf_skip(d, t))) goto fail;
        continue;
    fail:
        if (fid == 3 || d->npath == 0) pqf_path_push(d, rc, NAME(cc_names, fid), -1, fid);
        return rc;
    }
    if (!have_fo) return missing(d, start, "ColumnChunk lacks file_offset", "file_offset", 2);
    if (rec != &dummy && (rc = check_range(d, rec, ext, start))) return rc;
    wire_leave(d);
    return 0;
}

/* A template of cap blocks (pqf_tmpl_blocks_for()), on a cache-line boundary
 * for the wide path's aligned loads. Sized by the chunk it first records, so
 * a column of 100-byte chunks takes 448 bytes, not the longest chunk's 960. */
static pqf_tmpl *tmpl_alloc(pqf_dec *d, unsigned cap) {
    pqf_tmpl *t = pqf_arena_alloc_aligned(&d->work, pqf_tmpl_size(cap), PQF_TMPL_ALIGN);
    if (!t) return NULL;
    t->cap = (uint8_t)cap;
    return t;
}

/* Inline in the portable loop; pqf_decode_column() for the wide one. */
PQF_INLINE int decode_column(pqf_dec *d, uint64_t rg, uint32_t c) {
    uint32_t slot = d->leaves[c].slot;
    pqf_chunk_rec *rec = slot != UINT32_MAX ? &d->row[slot] : NULL;
    pqf_chunk_ext_rec *ext = (rec && d->ext) ? &d->ext[rg * d->nslots + slot] : NULL;
    pqf_tmpl **tp = d->tmpls ? &d->tmpls[2 * (size_t)c] : NULL; /* see pqf_tmpl_swap() */
    if (tp) {
        if (tp[0] && pqf_tmpl_apply(d, tp[0], rec, ext)) {
            d->tmpl_misses[c] = 0;
            return 0;
        }
        if (tp[1] && pqf_tmpl_apply(d, tp[1], rec, ext)) {
            pqf_tmpl_swap(tp);
            d->tmpl_misses[c] = 0;
            return 0;
        }
    }
    const uint8_t *chunk_start = d->p;
    int rc;
    if ((rc = decode_column_chunk(d, c, rec, ext))) return pqf_path_push(d, rc, NULL, (int32_t)c, 0);
    if (!tp) return 0;
    uint8_t misses = d->tmpl_misses[c];
    if (misses < 255) d->tmpl_misses[c] = ++misses;
    /* A column whose layout keeps changing is re-recorded only now and then. */
    if (misses > 4 && misses % 16) return 0;
    pqf_tmpl *t = tp[1];
    size_t n = (size_t)(d->p - chunk_start);
    unsigned cap = pqf_tmpl_blocks_for(n > PQF_TMPL_MAX ? 0 : n); /* too long: an empty template */
    /* The column's only template missed right after it was recorded (misses
     * 2: it never hit, typically row group 0's before the offsets grew a
     * varint byte), or missed after hits (misses 1: the offsets grew) for the
     * first time. Record over it: one template, not two, in work memory a
     * fresh process has to page-fault in. Each happens at most once per
     * column (misses 2 with tp[1] still unset only right after a record; the
     * second by its flag), so a layout that comes back gets its second
     * template at its next miss; recording over after hits without the flag
     * cost S2 22% more instructions (a layout seen now and then was recorded
     * again each time). */
    uint8_t *over = &d->tmpl_misses[d->ncols + c]; /* recorded over after hits once */
    int replace = !t && tp[0] && tp[0]->cap >= cap && (misses == 2 || (misses == 1 && !*over));
    if (replace && misses == 1) *over = 1;
    if (replace) t = tp[0];
    if (!t || t->cap < cap) {
        /* A template that grows takes the most there is, so it grows once. */
        if (t) cap = PQF_TMPL_MAX / 64;
        if (!(t = tmpl_alloc(d, cap))) return pqf_fail_mem(d);
    }
    if (rec) pqf_tmpl_build(d, t, chunk_start, d->p, rec->has, rec->fpath);
    else pqf_tmpl_build_skipped(d, t, chunk_start, d->p);
    t->enc = rec ? rec->enc : 0; /* its list's bytes are structure: a hit has this list */
    if (replace) return 0;
    tp[1] = tp[0];
    tp[0] = t;
    return 0;
}

int pqf_decode_column(pqf_dec *d, uint64_t rg, uint32_t c) { return decode_column(d, rg, c); }

static int decode_columns(pqf_dec *d, uint64_t rg) {
    const uint8_t *at = d->p;
    uint32_t n;
    unsigned et;
    int rc;
    if ((rc = wire_list(d, &n, &et, 3))) return rc;
    if (n != d->ncols)
        return pqf_fail_at(d, at, PQF_ERR_MALFORMED, "row group column count differs from the schema's leaves");
#ifdef PQF_HAVE_WIDE
    if (d->wide && d->tmpls && !d->ext) return pqf_decode_columns_wide(d, rg, n);
#endif
    for (uint32_t c = 0; c < n; c++)
        if ((rc = decode_column(d, rg, c))) return rc;
    return 0;
}

static int decode_row_group(pqf_dec *d, uint64_t rg) {
    int rc;
    if ((rc = wire_enter(d))) return rc;
    const uint8_t *start = d->p;
    pqf_rg_rec *r = &d->rgs[rg];
    memset(r, 0, sizeof *r);
    unsigned seen = 0;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(d, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        const uint8_t *at = d->p;
        int64_t *dst = NULL;
        switch (fid) {
        case 1:
            if (t != CT_LIST) break;
            if (seen & 2) {
                rc = pqf_fail_at(d, at, PQF_ERR_MALFORMED, "row group lists its columns twice");
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
                if ((rc = wire_i16(d, &v))) goto fail;
                r->ordinal = v;
                r->has |= PQF_RG_ORDINAL;
            }
            continue;
        default: break;
        }
        if (dst && t == CT_I64) {
            if ((rc = wire_i64(d, dst))) goto fail;
            if (*dst < 0) {
                rc = pqf_fail_at(d, at, PQF_ERR_MALFORMED, "negative size or offset");
                goto fail;
            }
            seen |= 1u << fid;
            if (fid == 5) {
                r->has |= PQF_RG_FILE_OFFSET;
                if (d->file_size && (uint64_t)*dst > d->file_size) {
                    rc = pqf_fail_at(d, at, PQF_ERR_MALFORMED, "file_offset past the end of the file");
                    goto fail;
                }
            }
            if (fid == 6) r->has |= PQF_RG_TOTAL_COMPRESSED_SIZE;
            continue;
        }
        if ((rc = pqf_skip_shaped(d, t, pqf_shape_field(PQF_SHAPE_ROW_GROUP, fid)))) goto fail;
        continue;
    fail:
        if (fid != 1 || d->npath == 0) return pqf_path_push(d, rc, NAME(rg_names, fid), -1, fid);
        return pqf_path_push(d, rc, "columns", -1, 1);
    }
    if (!(seen & 2)) return missing(d, start, "RowGroup lacks columns", "columns", 1);
    if (!(seen & 4)) return missing(d, start, "RowGroup lacks total_byte_size", "total_byte_size", 2);
    if (!(seen & 8)) return missing(d, start, "RowGroup lacks num_rows", "num_rows", 3);
    wire_leave(d);
    return 0;
}

int pqf_decode_row_groups(pqf_dec *d) {
    const uint8_t *at = d->p;
    uint32_t n;
    unsigned et;
    int rc;
    /* A RowGroup takes at least 6 bytes plus 3 per column chunk: that bounds
     * the work arrays by the bytes actually present. */
    uint64_t min_rg = 6 + 3 * (uint64_t)d->ncols;
    if ((rc = wire_list(d, &n, &et, 1))) return rc;
    if (n && n > wire_left(d) / min_rg)
        return pqf_fail_at(d, at, PQF_ERR_TRUNCATED, "row_groups list longer than the bytes left");
    uint64_t cells = (uint64_t)n * d->nslots;
    d->nrg = 0;
    d->nrg_alloc = n; /* before allocating: free_work() sizes the frees from it */
    d->rgs = pqf_work_alloc(&d->mem, (size_t)(n ? n : 1) * sizeof(pqf_rg_rec));
    d->res = pqf_work_alloc(&d->mem, (size_t)(cells ? cells : 1) * sizeof(pqf_res_rec));
    d->row = pqf_arena_alloc(&d->work, (size_t)(d->nslots ? d->nslots : 1) * sizeof(pqf_chunk_rec));
    if (!d->rgs || !d->res || !d->row) return pqf_fail_mem(d);
    if (d->flags & (PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM)) {
        d->ext = pqf_work_alloc(&d->mem, (size_t)(cells ? cells : 1) * sizeof(pqf_chunk_ext_rec));
        if (!d->ext) return pqf_fail_mem(d);
    }
    /* Templates pay off from the second row group on, and are bounded by the footer's size. */
    d->tmpls = NULL;
    if (n >= 2 && d->ncols && (uint64_t)d->ncols * pqf_tmpl_size(2) <= wire_left(d)) {
        d->tmpls = pqf_arena_alloc(&d->work, (size_t)d->ncols * 2 * sizeof *d->tmpls);
        /* misses per column, then a flag per column (decode_column()) */
        d->tmpl_misses = pqf_arena_alloc(&d->work, 2 * (size_t)d->ncols);
        if (!d->tmpls || !d->tmpl_misses) return pqf_fail_mem(d);
        memset(d->tmpls, 0, (size_t)d->ncols * 2 * sizeof *d->tmpls);
        memset(d->tmpl_misses, 0, 2 * (size_t)d->ncols);
    }
    if ((rc = pqf_model_begin(d))) return rc;
    for (uint32_t i = 0; i < n; i++) {
        if ((rc = decode_row_group(d, i))) return pqf_path_push(d, rc, NULL, (int32_t)i, 0);
        if ((rc = pqf_model_observe_row(d, i)) || (rc = pqf_enc_observe_row(d, i))) return rc;
        d->nrg = i + 1;
    }
    return 0;
}
