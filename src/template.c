/* Building and applying column-chunk layout templates (see template.h). */
#include "chunk_fields.h"
#include "template.h"

/* ---------------------------------------------------------------- building --- */

typedef struct walker {
    const uint8_t *start, *p, *end;
    pqf_tmpl *t;
    uint32_t depth, max_depth;
    unsigned keep; /* PQF_FN_*: what the decoder kept (pqf_chunk_keep()) */
    int path_check;
    int ok;
    /* The masks, contiguous while the walk marks them; then copied beside the
     * bytes, block by block. */
    uint8_t mask[PQF_TMPL_MAX] __attribute__((aligned(64)));
} walker;

static void mark(walker *w, const uint8_t *from, size_t n, uint8_t m) {
    memset(w->mask + (from - w->start), m, n);
}

/* Bits the normal decoder refuses in the last byte of a varint of maximum length. */
static uint8_t forbidden_last(unsigned maxlen) {
    switch (maxlen) {
    case 3: return 0xFC;  /* i16: beyond 16 bits */
    case 5: return 0xF0;  /* i32: beyond 32 bits */
    default: return 0xFE; /* i64: beyond 64 bits */
    }
}

enum { V_STRUCTURE, V_VALUE };

/* A varint of at most maxlen bytes; structural, or a value (kept in int64
 * slot `slot` of the records when slot >= 0, pqf_slot_ptr()). */
static uint64_t walk_varint(walker *w, unsigned maxlen, int kind, int slot) {
    const uint8_t *at = w->p;
    uint64_t v = 0;
    unsigned n = 0;
    for (;;) {
        if (w->p >= w->end || n >= maxlen) {
            w->ok = 0;
            return 0;
        }
        uint8_t b = *w->p++;
        v |= (uint64_t)(b & 0x7f) << (7 * n);
        n++;
        if (b < 0x80) break;
    }
    if (kind == V_STRUCTURE) {
        mark(w, at, n, 0xFF);
    } else {
        mark(w, at, n, 0x80);
        if (n == maxlen) w->mask[at - w->start + n - 1] = forbidden_last(maxlen);
        if (slot >= 0) {
            /* Kept values are read with one 8-byte load: longer varints
             * (values of 2^55 and more) leave the chunk without a template. */
            if (w->t->nvals >= PQF_TMPL_VALS || n > 8) {
                w->ok = 0;
                return v;
            }
            pqf_tmpl_val *tv = &w->t->vals[w->t->nvals++];
            tv->off = (uint16_t)(at - w->start);
            tv->len = (uint8_t)n;
            tv->dst = (uint8_t)slot;
            uint32_t need = (uint32_t)(at - w->start) + 8;
            if (need > w->t->need) w->t->need = (uint16_t)need;
        }
    }
    return v;
}

static void walk_bytes(walker *w, size_t n, uint8_t m) {
    if ((size_t)(w->end - w->p) < n) {
        w->ok = 0;
        return;
    }
    mark(w, w->p, n, m);
    w->p += n;
}

static void walk_value(walker *w, unsigned t);

/* Field header; returns the type (CT_STOP at the end), *fid updated. */
static unsigned walk_field(walker *w, int16_t *last, int16_t *fid) {
    if (w->p >= w->end) {
        w->ok = 0;
        return CT_STOP;
    }
    uint8_t h = *w->p;
    mark(w, w->p, 1, 0xFF);
    w->p++;
    unsigned t = h & 0x0f;
    if (t == CT_STOP) return CT_STOP;
    if (h >> 4) {
        *fid = (int16_t)(uint16_t)((uint16_t)*last + (h >> 4));
    } else {
        uint64_t u = walk_varint(w, 3, V_STRUCTURE, -1);
        *fid = (int16_t)((u >> 1) ^ (~(u & 1) + 1));
    }
    *last = *fid;
    return t;
}

static void walk_struct_generic(walker *w) {
    if (++w->depth > w->max_depth) {
        w->ok = 0;
        return;
    }
    int16_t last = 0, fid = 0;
    while (w->ok) {
        unsigned t = walk_field(w, &last, &fid);
        if (t == CT_STOP) break;
        walk_value(w, t);
    }
    w->depth--;
}

static void walk_elems(walker *w, unsigned et, uint64_t n) {
    for (uint64_t i = 0; i < n && w->ok; i++) {
        if (et == CT_TRUE || et == CT_FALSE) walk_bytes(w, 1, 0x00);
        else walk_value(w, et);
    }
}

/* A value of a field nobody keeps. */
static void walk_value(walker *w, unsigned t) {
    switch (t) {
    case CT_TRUE: case CT_FALSE: return;
    case CT_BYTE: walk_bytes(w, 1, 0x00); return;
    case CT_I16: walk_varint(w, 3, V_VALUE, -1); return;
    case CT_I32: walk_varint(w, 5, V_VALUE, -1); return;
    case CT_I64: walk_varint(w, 10, V_VALUE, -1); return;
    case CT_DOUBLE: walk_bytes(w, 8, 0x00); return;
    case CT_BINARY: {
        uint64_t n = walk_varint(w, 5, V_STRUCTURE, -1);
        walk_bytes(w, (size_t)n, 0x00);
        return;
    }
    case CT_LIST:
    case CT_SET: {
        if (w->p >= w->end) {
            w->ok = 0;
            return;
        }
        uint8_t h = *w->p;
        walk_bytes(w, 1, 0xFF);
        uint64_t n = h >> 4;
        if (n == 15) n = walk_varint(w, 5, V_STRUCTURE, -1);
        if (n && ++w->depth > w->max_depth) w->ok = 0;
        walk_elems(w, h & 0x0f, n);
        if (n) w->depth--;
        return;
    }
    case CT_MAP: {
        uint64_t n = walk_varint(w, 5, V_STRUCTURE, -1);
        if (!n) return;
        if (w->p >= w->end) {
            w->ok = 0;
            return;
        }
        uint8_t kv = *w->p;
        walk_bytes(w, 1, 0xFF);
        if (++w->depth > w->max_depth) w->ok = 0;
        for (uint64_t i = 0; i < n && w->ok; i++) {
            walk_elems(w, kv >> 4, 1);
            walk_elems(w, kv & 0x0f, 1);
        }
        w->depth--;
        return;
    }
    case CT_STRUCT: walk_struct_generic(w); return;
    default: w->ok = 0; return;
    }
}

/* A known field, walked as pqf_skip_shaped() reads it. */
static void walk_shaped(walker *w, unsigned t, unsigned shape) {
    if (shape == PQF_SHAPE_ANY || t != pqf_shape_wire_type(shape)) {
        walk_value(w, t);
        return;
    }
    if (t == CT_STRUCT) {
        if (++w->depth > w->max_depth) {
            w->ok = 0;
            return;
        }
        int16_t last = 0, fid = 0;
        while (w->ok) {
            unsigned ft = walk_field(w, &last, &fid);
            if (ft == CT_STOP) break;
            walk_shaped(w, ft, pqf_shape_field(shape, fid));
        }
        w->depth--;
        return;
    }
    if (t != CT_LIST) { /* a declared scalar element */
        walk_value(w, t);
        return;
    }
    if (w->p >= w->end) {
        w->ok = 0;
        return;
    }
    uint8_t h = *w->p;
    walk_bytes(w, 1, 0xFF);
    uint64_t n = h >> 4;
    if (n == 15) n = walk_varint(w, 5, V_STRUCTURE, -1);
    unsigned elem = pqf_shape_elem(shape);
    for (uint64_t i = 0; i < n && w->ok; i++) walk_shaped(w, pqf_shape_wire_type(elem), elem);
}

/* path_in_schema, read as names like the decoder's check: checked names are
 * structure, except one name of under 128 bytes (header 0x18, length, name),
 * whose bytes a hit checks against the column's own name instead
 * (pqf_tmpl_name_ok()): then the layout serves every column like it. */
static void walk_path(walker *w) {
    const uint8_t *at = w->p;
    walk_shaped(w, CT_LIST, PQF_SHAPE_LIST_BINARY);
    if (!w->ok || !w->path_check) return;
    size_t nb = (size_t)(w->p - at);
    mark(w, at, nb, 0xFF);
    if (nb >= 2 && at[0] == ((1u << 4) | CT_BINARY) && at[1] < 0x80 && nb == 2u + at[1]) {
        w->t->lend = PQF_LEND_NAME;
        w->t->path_off = (uint16_t)(at + 2 - w->start);
        w->t->path_len = at[1];
        mark(w, at + 2, at[1], 0x00);
        uint32_t need = (uint32_t)w->t->path_off + 8; /* the check's one 8-byte load */
        if (need > w->t->need) w->t->need = (uint16_t)need;
    } else {
        w->t->lend = PQF_LEND_NONE;
    }
}

/* A ColumnChunk or ColumnMetaData, field by field as the decoder reads it:
 * both ask pqf_field_kept() which fields are kept. */
static void walk_fields(walker *w, const pqf_field_table *tab) {
    if (++w->depth > w->max_depth) {
        w->ok = 0;
        return;
    }
    int16_t last = 0, fid = 0;
    while (w->ok) {
        unsigned t = walk_field(w, &last, &fid);
        if (t == CT_STOP) break;
        const pqf_field *f = pqf_field_kept(tab, fid, t, w->keep);
        if (!f) {
            walk_shaped(w, t, pqf_field_shape(tab, fid));
            continue;
        }
        switch (f->kind) {
        case PQF_FK_VALUE: walk_varint(w, f->maxlen, V_VALUE, f->slot); break;
        case PQF_FK_LAYOUT: {
            /* Constant per column in practice: structure, so a change is a miss.
             * The template keeps type..has in the chunk record's order. */
            int32_t v = (int32_t)zigzag64(walk_varint(w, f->maxlen, V_STRUCTURE, -1));
            memcpy((char *)w->t + (f->slot - offsetof(pqf_chunk_rec, type)), &v, sizeof v);
            break;
        }
        case PQF_FK_FILE_PATH: { /* the path decides the chunk's path id */
            uint64_t n = walk_varint(w, 5, V_STRUCTURE, -1);
            walk_bytes(w, (size_t)n, 0xFF);
            break;
        }
        case PQF_FK_META: walk_fields(w, &pqf_meta_table); break;
        case PQF_FK_ENCODINGS: { /* read as pqf_enc_decode() does, all structure (t->enc) */
            const uint8_t *at = w->p;
            walk_shaped(w, CT_LIST, f->shape);
            if (w->ok) mark(w, at, (size_t)(w->p - at), 0xFF);
            break;
        }
        case PQF_FK_PATH: walk_path(w); break;
        default: walk_shaped(w, t, f->shape); break; /* PQF_FK_CRYPTO: its presence is in t->has */
        }
    }
    w->depth--;
}

/* Walk the chunk at [start, end) and, when every byte is accounted for, lay
 * its bytes beside the masks it marked. */
static void record(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end, int projected) {
    size_t n = (size_t)(end - start);
    t->len = 0;
    t->nvals = 0;
    t->std = 0;
    t->wide = 0;
    if (n == 0 || n > PQF_TMPL_MAX || pqf_tmpl_blocks_for(n) > t->cap) return;
    walker w;
    w.start = w.p = start;
    w.end = end;
    w.t = t;
    w.depth = d->cur.depth;
    w.max_depth = d->cur.max_depth;
    w.keep = pqf_chunk_keep(d, projected);
    w.path_check = projected && !(d->flags & PQF_NO_PATH_CHECK);
    w.ok = 1;
    t->lend = projected ? PQF_LEND_AS_IS : PQF_LEND_SKIPPED; /* walk_path() refines it */
    unsigned nb = (unsigned)((n + 63) / 64); /* the portable compare takes whole 64-byte blocks */
    t->need = (uint16_t)(64 * nb); /* before the walk, which may ask for more */
    t->path_off = 0;
    t->path_len = 0;
    t->type = t->codec = 0;
    /* Zero past the chunk too: the portable compare reads whole 16-byte blocks,
     * the wide one whole 64-byte vectors, the first two always. The walk marks
     * the masks in place. */
    unsigned zb = pqf_tmpl_blocks_for(n);
    _Static_assert(PQF_TMPL_MAX % 64 == 0 && PQF_TMPL_MAX >= PQF_TMPL_WIDE_MAX, "templates hold whole 64-byte blocks");
    memset(w.mask, 0, 64 * (size_t)zb);
    walk_fields(&w, &pqf_chunk_table);
    if (!w.ok || w.p != end) return;
    for (unsigned v = 0; v < zb; v++) {
        memcpy(PQF_TMPL_MASK(t, v), w.mask + 64 * (size_t)v, 64);
        size_t in = n > 64 * (size_t)v ? n - 64 * (size_t)v : 0;
        if (in > 64) in = 64;
        if (in) memcpy(PQF_TMPL_BYTES(t, v), start + 64 * (size_t)v, in);
        memset(PQF_TMPL_BYTES(t, v) + in, 0, 64 - in);
    }
    t->nblocks = (uint8_t)nb;
    t->len = (uint16_t)n;
    /* The common layout gets the straight-line path. */
    static const uint8_t std_dst[PQF_TMPL_STD] = {
        PQF_SLOT_REC(fo), PQF_SLOT_REC(nv), PQF_SLOT_REC(tus), PQF_SLOT_REC(tcs), PQF_SLOT_REC(dpo), PQF_SLOT_REC(dict),
    };
    t->std = projected && (t->nvals == 5 || t->nvals == 6);
    for (unsigned k = 0; t->std && k < t->nvals; k++) {
        t->std = t->vals[k].dst == std_dst[k];
        t->soff[k] = t->vals[k].off;
        t->keep[k] = UINT64_C(0x7F7F7F7F7F7F7F7F) >> (64 - 8 * t->vals[k].len);
    }
    if (t->std && t->nvals == 5) { /* no DICT: read DPO's bytes again, keep nothing */
        t->soff[5] = t->soff[4];
        t->keep[5] = 0;
    }
    /* The wide path holds the chunk in up to four 64-byte vectors and picks
     * the values out of the first two: each must end within 128 bytes. */
    t->wide = t->std && n <= PQF_TMPL_WIDE_MAX;
    for (unsigned k = 0; t->wide && k < PQF_TMPL_STD; k++) {
        t->woff[k] = (uint8_t)t->soff[k];
        t->wlen[k] = (uint8_t)(k < t->nvals ? t->vals[k].len : 0);
        t->wide = t->soff[k] + t->wlen[k] <= 128;
    }
    for (unsigned v = 0; v < PQF_TMPL_WIDE_MAX / 64; v++) {
        size_t in = n > 64 * v ? n - 64 * v : 0; /* the chunk's bytes in vector v */
        t->load_mask[v] = in >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << in) - 1;
    }
}

void pqf_tmpl_build(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end, uint32_t has,
                    uint32_t fpath) {
    t->has = has;
    t->fpath = fpath;
    record(d, t, start, end, 1);
}

void pqf_tmpl_build_skipped(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end) {
    t->has = 0;
    t->fpath = 0;
    record(d, t, start, end, 0);
}
