/* ColumnMetaData.encodings in the compact model (see model_encodings.h). */
#include "model_encodings.h"
#include "model.h"
#include "wire.h"

struct pqf_enc_work {
    int32_t *vals;      /* the distinct lists' values, back to back */
    uint32_t nvals, vals_cap;
    uint32_t *off;      /* list k is vals[off[k], off[k+1]) */
    uint32_t nlists, lists_cap;
    uint32_t *last;     /* per leaf column: the id it used last, 0 = none */
    uint32_t nlast;     /* entries in last: sized when a chunk needs it, since column_orders
                         * (which also opens the work state) may come before the schema */
    uint32_t *first;    /* per slot: row group 0's id (1 + list index, 0 = none); NULL until
                         * row group 0 is observed: nothing is compared before */
    uint32_t *first_room; /* where first goes, made before the row-group loop */
    uint32_t *mn, *mx;  /* per slot: the smallest and largest id, kept as rows arrive */
    uint32_t *ids;      /* per stored chunk (row-major); NULL while every chunk has its slot's first id */
    /* Set once a chunk after row group 0 decodes to another id than its
     * slot's first. Until then every chunk has its first id: it was decoded
     * with it, or hit a template recorded from such a chunk. */
    int dirty;
    uint8_t *orders;    /* column_orders entries */
    uint32_t norders;
};

static int work_init(pqf_dec *d) {
    pqf_enc_work *w = pqf_arena_alloc(&d->work, sizeof *w);
    if (!w) return pqf_fail_mem(d);
    memset(w, 0, sizeof *w);
    w->off = pqf_arena_alloc(&d->work, 16 * sizeof *w->off);
    w->vals = pqf_arena_alloc(&d->work, 16 * sizeof *w->vals);
    if (!w->off || !w->vals) return pqf_fail_mem(d);
    w->vals_cap = 16;
    w->lists_cap = 15;
    w->off[0] = 0;
    d->encw = w;
    return 0;
}

/* Grow an arena array of elem-byte items to hold at least need (doubling). */
static int grow(pqf_dec *d, void **arr, uint32_t *cap, uint64_t need, size_t elem, uint32_t used) {
    if (need <= *cap) return 0;
    uint64_t ncap = (uint64_t)*cap * 2;
    if (ncap < need) ncap = need;
    if (ncap < 64) ncap = 64;
    if (ncap > UINT32_MAX - 1) return pqf_fail(&d->cur, PQF_ERR_LIMIT, "too many encodings lists");
    void *n = pqf_arena_alloc(&d->work, (size_t)ncap * elem);
    if (!n) return pqf_fail_mem(d);
    if (used) memcpy(n, *arr, (size_t)used * elem);
    *arr = n;
    *cap = (uint32_t)ncap;
    return 0;
}

static int same_list(const pqf_enc_work *w, uint32_t k, const int32_t *v, uint32_t n) {
    uint32_t a = w->off[k], b = w->off[k + 1];
    return b - a == n && (n == 0 || memcmp(w->vals + a, v, (size_t)n * sizeof *v) == 0);
}

/* The work state, and the header of a kept list at the cursor: its element
 * type is checked (as Thrift does) but the elements are read as declared. */
static int open_list(pqf_dec *d, uint32_t *n) {
    int rc;
    unsigned et;
    if (!d->encw && (rc = work_init(d))) return rc;
    return wire_list(&d->cur, n, &et, 1);
}

int pqf_enc_decode(pqf_dec *d, uint32_t col, uint32_t *id) {
    uint32_t n;
    int rc = open_list(d, &n); /* list<Encoding>: i32 elements */
    if (rc) return rc;
    pqf_enc_work *w = d->encw;
    if (col >= w->nlast) { /* the schema's leaves, known by now (col is one of them) */
        uint32_t want = d->ncols > col ? d->ncols : col + 1, had = w->nlast;
        if ((rc = grow(d, (void **)&w->last, &w->nlast, want, sizeof *w->last, had))) return rc;
        memset(w->last + had, 0, (size_t)(w->nlast - had) * sizeof *w->last);
    }
    if ((rc = grow(d, (void **)&w->vals, &w->vals_cap, (uint64_t)w->nvals + n, sizeof *w->vals, w->nvals)))
        return rc;
    int32_t *v = w->vals + w->nvals; /* tentatively after the pool's values */
    for (uint32_t i = 0; i < n; i++)
        if ((rc = wire_i32(&d->cur, &v[i]))) return rc;
    /* The column's previous list, then the latest few: a bounded search. */
    uint32_t found = 0;
    if (w->last[col] && same_list(w, w->last[col] - 1, v, n)) found = w->last[col];
    for (uint32_t k = w->nlists; !found && k > 0 && w->nlists - k < 16; k--)
        if (same_list(w, k - 1, v, n)) found = k;
    if (!found) {
        if (w->nlists >= PQF_ENC_MAX_LISTS) return pqf_fail(&d->cur, PQF_ERR_LIMIT, "too many distinct encodings lists");
        if ((rc = grow(d, (void **)&w->off, &w->lists_cap, (uint64_t)w->nlists + 2, sizeof *w->off, w->nlists + 1)))
            return rc;
        w->nvals += n;
        w->off[++w->nlists] = w->nvals;
        found = w->nlists;
    }
    *id = w->last[col] = found;
    uint32_t slot = d->leaves[col].slot;
    if (w->first && slot != UINT32_MAX && found != w->first[slot]) w->dirty = 1;
    return 0;
}

void pqf_enc_note(pqf_dec *d, uint32_t slot, uint32_t id) {
    pqf_enc_work *w = d->encw;
    if (w && w->first && id != w->first[slot]) w->dirty = 1;
}

void pqf_enc_dirty(pqf_dec *d) {
    if (d->encw) d->encw->dirty = 1;
}

const uint32_t *pqf_enc_firsts(const pqf_dec *d) { return d->encw ? d->encw->first : NULL; }

int pqf_orders_decode(pqf_dec *d) {
    uint32_t n;
    /* list<ColumnOrder>: each element a struct, its fields skipped by their wire types */
    int rc = open_list(d, &n);
    if (rc) return rc;
    pqf_enc_work *w = d->encw;
    w->norders = 0;
    w->orders = pqf_arena_alloc(&d->work, n ? n : 1);
    if (!w->orders) return pqf_fail_mem(d);
    for (uint32_t i = 0; i < n; i++) {
        if ((rc = wire_enter(&d->cur))) return rc;
        uint8_t kind = 0;
        int16_t last = 0, fid = 0;
        for (;;) {
            unsigned t;
            if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
            if (t == CT_STOP) break;
            if (fid == 1 && t == CT_STRUCT) kind = 1;
            if ((rc = pqf_skip(&d->cur, t))) return rc;
        }
        wire_leave(&d->cur);
        w->orders[i] = kind;
        w->norders = i + 1;
    }
    return 0;
}

/* Chunk s's list id for the table: a chunk without metadata has no list to
 * show, and counts as its slot's first, so that the table does not depend on
 * whether anything else made the rows be compared (dirty). */
PQF_INLINE uint32_t row_id(const pqf_enc_work *w, const pqf_chunk_rec *r, uint32_t s) {
    return (r->has & PQF_CH_META) ? r->enc : w->first[s];
}

/* The per-column arrays, before the row-group loop (its memory goes back after it). */
int pqf_enc_begin(pqf_dec *d) {
    int rc;
    if (!d->encw && (rc = work_init(d))) return rc;
    pqf_enc_work *w = d->encw;
    if (d->ncols > w->nlast) {
        uint32_t had = w->nlast;
        if ((rc = grow(d, (void **)&w->last, &w->nlast, d->ncols, sizeof *w->last, had))) return rc;
        memset(w->last + had, 0, (size_t)(w->nlast - had) * sizeof *w->last);
    }
    if (d->nslots && !w->first_room) {
        const size_t n = d->nslots;
        w->first_room = pqf_arena_alloc(&d->work, n * sizeof *w->first_room);
        w->mn = pqf_arena_alloc(&d->work, n * sizeof *w->mn);
        w->mx = pqf_arena_alloc(&d->work, n * sizeof *w->mx);
        if (!w->first_room || !w->mn || !w->mx) return pqf_fail_mem(d);
    }
    return 0;
}

int pqf_enc_observe_row(pqf_dec *d, uint64_t rg) {
    if (!d->nslots) return 0;
    pqf_enc_work *w = d->encw; /* with its arrays: pqf_enc_begin() */
    const uint32_t n = d->nslots;
    const pqf_chunk_rec *row = d->row;
    if (rg == 0) {
        w->first = w->first_room;
        for (uint32_t s = 0; s < n; s++) w->first[s] = w->mn[s] = w->mx[s] = row[s].enc;
        return 0;
    }
    if (!w->ids) { /* the common case: a list per column, nothing to store */
        if (PQF_LIKELY(!w->dirty)) return 0;
        uint32_t s = 0;
        while (s < n && row_id(w, &row[s], s) == w->first[s]) s++;
        if (PQF_LIKELY(s == n)) return 0;
        /* The first change: every earlier row group had the first ids. */
        w->ids = pqf_arena_alloc(&d->work, (size_t)(d->nrg_alloc * n) * sizeof *w->ids);
        if (!w->ids) return pqf_fail_mem(d);
        for (uint64_t r = 0; r < rg; r++) memcpy(w->ids + r * n, w->first, (size_t)n * sizeof *w->ids);
    }
    uint32_t *ids = w->ids + rg * n, *mn = w->mn, *mx = w->mx;
    for (uint32_t s = 0; s < n; s++) {
        uint32_t id = row_id(w, &row[s], s);
        ids[s] = id;
        if (PQF_UNLIKELY(id < mn[s])) mn[s] = id;
        if (PQF_UNLIKELY(id > mx[s])) mx[s] = id;
    }
    return 0;
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

/* The table's single allocation, pointers set, contents zero. */
static unsigned width_of(uint32_t range) { return range ? 32u - (unsigned)__builtin_clz(range) : 0u; }

/* Bytes of the compact ids (idw bits per slot, 16 bytes of padding). */
static size_t ids_size(uint32_t nslots, unsigned idw) { return ((size_t)nslots * idw + 7) / 8 + 16; }

/* The table's single allocation, pointers set, contents zero. idw > 0: the
 * compact form (no per-column descriptors, ids of idw bits; see ids). */
static pqf_enc_table *table_alloc(pqf_mem *mem, uint32_t nlists, uint32_t nvals, uint32_t nslots,
                                  size_t nbits_bytes, uint32_t norders, unsigned idw) {
    /* a descriptor (16 B) or an id (4 B at most) per column, the offsets below summed in
     * size_t: refuse counts whose sizes could wrap it (32-bit builds) */
    if ((uint64_t)nslots * sizeof(pqf_enc_col) > SIZE_MAX / 4 || nbits_bytes > SIZE_MAX / 4 ||
        (uint64_t)nlists + nvals + norders > SIZE_MAX / 16)
        return NULL;
    size_t ncols = idw ? 0 : nslots;
    size_t o_off = align16(sizeof(pqf_enc_table));
    size_t o_vals = align16(o_off + ((size_t)nlists + 1) * sizeof(uint32_t));
    size_t o_cols = align16(o_vals + (size_t)nvals * sizeof(int32_t));
    size_t o_bits = align16(o_cols + ncols * sizeof(pqf_enc_col));
    size_t o_ids = align16(o_bits + nbits_bytes);
    size_t o_orders = align16(o_ids + (idw ? ids_size(nslots, idw) : 0));
    size_t total = align16(o_orders + norders);
    uint8_t *b = pqf_mem_alloc(mem, total);
    if (!b) return NULL;
    memset(b, 0, total);
    pqf_enc_table *T = (pqf_enc_table *)b;
    T->bytes = total;
    T->nlists = nlists;
    T->nvals = nvals;
    T->nslots = nslots;
    T->nbits_bytes = nbits_bytes;
    T->off = (const uint32_t *)(b + o_off);
    T->vals = (const int32_t *)(b + o_vals);
    T->cols = idw ? NULL : (const pqf_enc_col *)(b + o_cols);
    T->bits = b + o_bits;
    T->ids = idw ? b + o_ids : NULL;
    T->idw = idw;
    T->norders = norders;
    T->orders = b + o_orders;
    return T;
}

/* OR width bits of v into the zeroed buffer at bit pos, byte by byte. */
static void put_bits_slow(uint8_t *buf, uint64_t pos, unsigned width, uint64_t v) {
    for (unsigned i = 0; i < width; i++, pos++)
        if ((v >> i) & 1) buf[pos >> 3] |= (uint8_t)(1u << (pos & 7));
}

/* The compact form's id width when every column keeps one list (all widths
 * zero) and there are columns; 0 otherwise. or_bases: the OR of the bases. */
static unsigned compact_width(int all_constant, uint32_t nslots, uint32_t or_bases) {
    if (!nslots || !all_constant) return 0;
    unsigned w = width_of(or_bases);
    return w ? w : 1;
}

int pqf_enc_attach(pqf_dec *d, pqf_footer *F) {
    const pqf_enc_work *w = d->encw;
    const uint32_t nslots = d->nslots, nlists = w ? w->nlists : 0, nvals = w ? w->nvals : 0;
    const uint64_t nrg = (w && w->first) ? d->nrg : 0;
    pqf_enc_col *cols = pqf_arena_alloc(&d->work, (size_t)(nslots ? nslots : 1) * sizeof *cols);
    if (!cols) return pqf_fail_mem(d);
    uint64_t nbits = 0;
    uint32_t or_bases = 0;
    for (uint32_t s = 0; s < nslots; s++) {
        uint32_t mn = nrg ? w->mn[s] : 0, mx = nrg ? w->mx[s] : 0;
        cols[s] = (pqf_enc_col){nbits, mn, width_of(mx - mn)};
        nbits += (uint64_t)cols[s].width * nrg;
        or_bases |= mn;
    }
    size_t nbits_bytes = (size_t)((nbits + 7) / 8) + 16;
    const uint32_t norders = w ? w->norders : 0;
    unsigned idw = compact_width(nbits == 0, nslots, or_bases);
    pqf_enc_table *T = table_alloc(&d->mem, nlists, nvals, nslots, nbits_bytes, norders, idw);
    if (!T) return pqf_fail_mem(d);
    T->nrg = d->nrg;
    if (norders) memcpy((uint8_t *)T->orders, w->orders, norders);
    if (nlists) {
        memcpy((uint32_t *)T->off, w->off, ((size_t)nlists + 1) * sizeof *T->off);
        memcpy((int32_t *)T->vals, w->vals, (size_t)nvals * sizeof *T->vals);
    }
    if (idw) {
        for (uint32_t s = 0; s < nslots; s++) put_bits_slow((uint8_t *)T->ids, (uint64_t)s * idw, idw, cols[s].base);
        F->enc = T;
        return 0;
    }
    if (nslots) memcpy((pqf_enc_col *)T->cols, cols, (size_t)nslots * sizeof *cols);
    uint8_t *bits = (uint8_t *)T->bits;
    for (uint32_t s = 0; s < nslots; s++) {
        const pqf_enc_col *c = &cols[s];
        for (uint64_t rg = 0; c->width && rg < nrg; rg++)
            put_bits_slow(bits, c->bitpos + rg * c->width, c->width, w->ids[rg * nslots + s] - c->base);
    }
    F->enc = T;
    return 0;
}

const int32_t *pqf_enc_get(const pqf_enc_table *T, uint64_t rg, uint32_t slot, uint32_t *n) {
    *n = 0;
    if (!T || slot >= T->nslots || rg >= T->nrg) return NULL;
    uint64_t id;
    if (!T->cols) {
        id = pqf_get_bits(T->ids, (uint64_t)slot * T->idw, T->idw);
    } else {
        const pqf_enc_col *c = &T->cols[slot];
        id = c->base + pqf_get_bits(T->bits, c->bitpos + rg * c->width, c->width);
    }
    if (id == 0 || id > T->nlists) return NULL;
    *n = T->off[id] - T->off[id - 1];
    return T->vals + T->off[id - 1];
}

void pqf_enc_free(const pqf_allocator *alc, pqf_enc_table *T) {
    if (T) alc->free(alc->ctx, T, T->bytes);
}

/* ------------------------------------------------------- saving, loading --- */

static void put_le(void (*put)(void *, const void *, size_t), void *w, uint64_t v, unsigned n) {
    uint8_t b[8];
    for (unsigned i = 0; i < n; i++) b[i] = (uint8_t)(v >> (8 * i));
    put(w, b, n);
}

void pqf_enc_serialize(const pqf_enc_table *T, void (*put)(void *w, const void *p, size_t n), void *w) {
    put_le(put, w, T->nlists, 4);
    put_le(put, w, T->nvals, 4);
    put_le(put, w, T->nbits_bytes, 8);
    for (uint32_t i = 0; i <= T->nlists; i++) put_le(put, w, T->off[i], 4);
    for (uint32_t i = 0; i < T->nvals; i++) put_le(put, w, (uint32_t)T->vals[i], 4);
    for (uint32_t s = 0; s < T->nslots; s++) { /* the compact form saves as the full one */
        put_le(put, w, T->cols ? T->cols[s].base : pqf_get_bits(T->ids, (uint64_t)s * T->idw, T->idw), 4);
        put_le(put, w, T->cols ? T->cols[s].width : 0, 1);
    }
    put(w, T->bits, T->nbits_bytes);
    put_le(put, w, T->norders, 4);
    put(w, T->orders, T->norders);
}

/* n little-endian bytes at the cursor; *ok cleared (and the error set) when short. */
static uint64_t take_le(pqf_cur *c, unsigned n, int *ok) {
    if (!*ok) return 0;
    if ((size_t)(c->end - c->p) < n) {
        *ok = 0;
        pqf_fail(c, PQF_ERR_TRUNCATED, "saved model ends early");
        return 0;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) v |= (uint64_t)c->p[i] << (8 * i);
    c->p += n;
    return v;
}

pqf_enc_table *pqf_enc_load(pqf_cur *c, pqf_mem *mem, uint32_t nslots, uint64_t nrg) {
    int ok = 1;
    uint32_t nlists = (uint32_t)take_le(c, 4, &ok), nvals = (uint32_t)take_le(c, 4, &ok);
    uint64_t nbits_bytes = take_le(c, 8, &ok);
    if (!ok) return NULL;
    size_t left = (size_t)(c->end - c->p);
    if (nlists >= left / 4 || nvals > left / 4 || nbits_bytes < 16 || nbits_bytes > left ||
        nslots > left / 5) {
        pqf_fail(c, PQF_ERR_MALFORMED, "saved encodings table counts exceed its size");
        return NULL;
    }
    /* column_orders follow the bits: their count is read ahead of them */
    uint64_t tail = (uint64_t)nlists * 4 + 4 + (uint64_t)nvals * 4 + (uint64_t)nslots * 5 + nbits_bytes;
    uint32_t norders = 0;
    if (tail + 4 <= left) {
        const uint8_t *q = c->p + (size_t)tail;
        norders = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
    }
    if (tail + 4 > left || norders > left - tail - 4) {
        pqf_fail(c, PQF_ERR_TRUNCATED, "saved model ends early");
        return NULL;
    }
    /* The per-column records (base: 4 bytes, width: 1), within tail: is the compact form enough? */
    uint32_t or_bases = 0;
    int all_constant = 1;
    {
        const uint8_t *r = c->p + ((size_t)nlists + 1) * 4 + (size_t)nvals * 4;
        for (uint32_t s = 0; s < nslots; s++, r += 5) {
            or_bases |= (uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 | (uint32_t)r[3] << 24;
            all_constant &= r[4] == 0;
        }
    }
    unsigned idw = compact_width(all_constant, nslots, or_bases);
    pqf_enc_table *T = table_alloc(mem, nlists, nvals, nslots, (size_t)nbits_bytes, norders, idw);
    if (!T) {
        pqf_fail_mem_at(c, mem);
        return NULL;
    }
    T->nrg = nrg;
    uint32_t *off = (uint32_t *)T->off;
    int32_t *vals = (int32_t *)T->vals;
    pqf_enc_col *cols = (pqf_enc_col *)T->cols;
    for (uint32_t i = 0; i <= nlists && ok; i++) off[i] = (uint32_t)take_le(c, 4, &ok);
    for (uint32_t i = 0; i < nvals && ok; i++) vals[i] = (int32_t)(uint32_t)take_le(c, 4, &ok);
    uint64_t pos = 0, avail = (nbits_bytes - 16) * 8;
    int sound = 1;
    for (uint32_t s = 0; s < nslots && ok && sound && idw; s++) {
        put_bits_slow((uint8_t *)T->ids, (uint64_t)s * idw, idw, take_le(c, 4, &ok));
        (void)take_le(c, 1, &ok); /* zero: checked above */
    }
    for (uint32_t s = 0; s < nslots && ok && sound && !idw; s++) {
        cols[s].base = (uint32_t)take_le(c, 4, &ok);
        cols[s].width = (uint32_t)take_le(c, 1, &ok);
        cols[s].bitpos = pos;
        sound = cols[s].width <= 32 && (!nrg || (avail - pos) / nrg >= cols[s].width);
        pos += (uint64_t)cols[s].width * nrg;
    }
    sound = sound && off[0] == 0 && off[nlists] == nvals;
    for (uint32_t i = 0; sound && i < nlists; i++) sound = off[i] <= off[i + 1];
    if (ok && !sound) pqf_fail(c, PQF_ERR_MALFORMED, "saved encodings table is inconsistent");
    if (ok && sound && (size_t)(c->end - c->p) < nbits_bytes) {
        pqf_fail(c, PQF_ERR_TRUNCATED, "saved model ends early");
        ok = 0;
    }
    if (ok && sound) {
        memcpy((uint8_t *)T->bits, c->p, (size_t)nbits_bytes);
        c->p += nbits_bytes + 4; /* the orders' count, read above */
        memcpy((uint8_t *)T->orders, c->p, norders);
        c->p += norders;
        for (uint32_t i = 0; i < norders; i++)
            if (T->orders[i] > 1) ok = 0;
        if (ok) return T;
        pqf_fail(c, PQF_ERR_MALFORMED, "saved column order is not known");
    }
    pqf_mem_free(mem, T, T->bytes);
    return NULL;
}
