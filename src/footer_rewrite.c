/*
 * pqf_footer_slim(): a byte-level rewrite of a FileMetaData compact stream
 * that drops statistics (and optionally key-value metadata) and carries every
 * other field -- unknown ones included -- byte for byte: everything up to a
 * dropped field is copied in one run, and only the header of the field kept
 * after a drop is written anew. Fields are skipped
 * by their declared shapes, as Thrift reads them, so the copied ranges are
 * exactly what a Thrift reader would consume.
 */
#include <stdint.h>
#include <string.h>

#include "compact_out.h"
#include "wire.h"

/* The structs the rewrite walks into; every other value is copied whole. */
enum { RW_FILE, RW_ROW_GROUP, RW_CHUNK, RW_COLUMN_META };

typedef struct rewriter {
    pqf_cur *c;
    pqf_cw *w;
    const uint8_t *run;        /* input from here to the cursor is still to be copied */
    const uint8_t *keep_stats; /* per leaf index, may be shorter than the row's columns */
    size_t nkeep;
    int drop_kv;
} rewriter;

static const unsigned rw_shape[] = {
    [RW_FILE] = PQF_SHAPE_ANY, [RW_ROW_GROUP] = PQF_SHAPE_ROW_GROUP, [RW_CHUNK] = PQF_SHAPE_CHUNK,
    [RW_COLUMN_META] = PQF_SHAPE_COLUMN_META,
};

/* FileMetaData's fields with shapes (row_groups is walked, not skipped). */
static unsigned file_shape(int16_t fid) {
    switch (fid) {
    case 2: case 5: case 7: return PQF_SHAPE_LIST_STRUCT; /* schema, key_value_metadata, column_orders */
    default: return PQF_SHAPE_ANY;
    }
}

/* Copy the pending input up to at; what follows at is copied from there on. */
static void copy_to(rewriter *r, const uint8_t *at) {
    pqf_cw_raw(r->w, r->run, (size_t)(at - r->run));
    r->run = at;
}

static int rewrite_struct(rewriter *r, int kind, uint32_t col);

/* A list of structs walked element by element (its header is copied as it is). */
static int rewrite_list(rewriter *r, int elem_kind) {
    uint32_t n;
    unsigned et;
    int rc = wire_list(r->c, &n, &et, 1);
    for (uint32_t i = 0; i < n && !rc; i++) rc = rewrite_struct(r, elem_kind, i);
    return rc;
}

/* Is field fid dropped? */
static int dropped(const rewriter *r, int kind, int16_t fid, uint32_t col) {
    if (kind == RW_FILE) return fid == 5 && r->drop_kv;
    if (kind != RW_COLUMN_META || (fid != 12 && fid != 13 && fid != 16)) return 0;
    return !(col < r->nkeep && r->keep_stats[col]);
}

/* The struct's fields after its header (or from the start, for FileMetaData).
 * Everything is copied as it is, except dropped fields and the header of the
 * first field kept after a drop (its id delta is taken from the last field
 * written). */
static int rewrite_struct(rewriter *r, int kind, uint32_t col) {
    pqf_cur *c = r->c;
    int rc;
    if (kind != RW_FILE && (rc = wire_enter(c))) return rc;
    int16_t last = 0, fid = 0, written = 0;
    for (;;) {
        unsigned t;
        const uint8_t *hdr = c->p;
        int16_t before = last;
        if ((rc = wire_field(c, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        /* A plaintext-footer encrypted file: its footer is signed, a rewrite would break it. */
        if (kind == RW_FILE && fid == 8)
            return pqf_fail(c, PQF_ERR_ENCRYPTED, "encrypted file (encryption_algorithm): refused");
        unsigned shape = kind == RW_FILE ? file_shape(fid) : pqf_shape_field(rw_shape[kind], fid);
        if (dropped(r, kind, fid, col)) {
            copy_to(r, hdr);
            if ((rc = pqf_skip_shaped(c, t, shape))) return rc;
            r->run = c->p;
            continue;
        }
        if (written != before) { /* a field was dropped before this one */
            copy_to(r, hdr);
            r->w->last[r->w->depth] = written;
            pqf_cw_field(r->w, fid, t);
            r->run = c->p;
        }
        written = fid;
        if (kind == RW_FILE && fid == 4 && t == CT_LIST) rc = rewrite_list(r, RW_ROW_GROUP);
        else if (kind == RW_ROW_GROUP && fid == 1 && t == CT_LIST) rc = rewrite_list(r, RW_CHUNK);
        else if (kind == RW_CHUNK && fid == 3 && t == CT_STRUCT) rc = rewrite_struct(r, RW_COLUMN_META, col);
        else rc = pqf_skip_shaped(c, t, shape);
        if (rc) return rc;
    }
    if (kind != RW_FILE) wire_leave(c);
    return 0;
}

pqf_code pqf_footer_slim(const void *footer, size_t len, const pqf_slim_options *opt, pqf_write_fn write, void *ctx,
                         pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    pqf_error_set(err, PQF_OK, "ok", 0);
    if ((!footer && len) || !write || (opt && opt->num_keep_stats && !opt->keep_stats) ||
        (opt && opt->max_depth > PQF_MAX_DEPTH_LIMIT)) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "NULL footer, sink or list, or max_depth too large", 0);
        return PQF_ERR_INVALID_ARG;
    }
    if (len > PQF_MAX_FOOTER_SIZE - 64) {
        pqf_error_set(err, PQF_ERR_LIMIT, "footer too large", 0);
        return PQF_ERR_LIMIT;
    }
    /* Columns whose statistics stay, as flags by leaf index. */
    size_t nkeep = 0;
    for (size_t i = 0; opt && i < opt->num_keep_stats; i++)
        if ((size_t)opt->keep_stats[i] + 1 > nkeep) nkeep = (size_t)opt->keep_stats[i] + 1;
    const pqf_allocator resolved = pqf_allocator_resolve(opt ? opt->allocator : NULL);
    const pqf_allocator *alc = &resolved;
    size_t keep_size = nkeep ? nkeep : 1;
    uint8_t *keep = alc->alloc(alc->ctx, keep_size);
    if (!keep) {
        pqf_error_set(err, PQF_ERR_NOMEM, "out of memory", 0);
        return PQF_ERR_NOMEM;
    }
    memset(keep, 0, keep_size);
    for (size_t i = 0; opt && i < opt->num_keep_stats; i++) keep[opt->keep_stats[i]] = 1;

    pqf_cur cur;
    pqf_cur_init(&cur, footer, len, (opt && opt->max_depth) ? opt->max_depth : PQF_DEFAULT_MAX_DEPTH, err);
    pqf_cw w;
    /* Dropping a field may turn the next header into the long form (2 more
     * bytes) but removes at least 2: the output is never much longer. */
    pqf_cw_init(&w, alc, len + 64);
    rewriter r = {&cur, &w, cur.p, keep, nkeep, opt && (opt->flags & PQF_SLIM_DROP_KV)};
    int rc = rewrite_struct(&r, RW_FILE, 0);
    if (!rc) copy_to(&r, cur.p); /* through FileMetaData's stop byte */
    if (rc) {
        /* err is set already */
    } else if (pqf_cw_code(&w)) {
        rc = pqf_cw_code(&w);
        pqf_error_set(err, rc, pqf_strerror((pqf_code)rc), 0);
    } else if (write(ctx, w.buf, w.len) != 0) {
        rc = PQF_ERR_IO;
        pqf_error_set(err, rc, "the sink failed", 0);
    }
    pqf_cw_free(&w);
    alc->free(alc->ctx, keep, keep_size);
    return (pqf_code)rc;
}
