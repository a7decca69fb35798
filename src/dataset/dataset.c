/* Datasets: the in-memory tables, schema interning, global addressing and
 * byte accounting. Decoding files lives in dataset_open.c, the sidecar index
 * in dataset_index.c, staleness checks in dataset_verify.c. */
#include <stdlib.h>
#include <string.h>

#include "dataset.h"

/* ------------------------------------------------------------- memory --- */


void *pqf_ds_tmp_alloc(const pqf_allocator *a, size_t size) { return a->alloc(a->ctx, size); }

void pqf_ds_tmp_free(const pqf_allocator *a, void *p, size_t size) {
    if (p) a->free(a->ctx, p, size);
}

void *pqf_ds_alloc(pqf_dataset *ds, size_t size) {
    void *p = ds->alc.alloc(ds->alc.ctx, size);
    if (p) ds->own_bytes += size;
    return p;
}

void pqf_ds_free(pqf_dataset *ds, void *p, size_t size) {
    if (!p) return;
    ds->alc.free(ds->alc.ctx, p, size);
    ds->own_bytes -= size;
}

int pqf_ds_grow(pqf_dataset *ds, void **arr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return -1;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem) return -1;
    void *n = pqf_ds_alloc(ds, ncap * elem);
    if (!n) return -1;
    if (*cap) memcpy(n, *arr, *cap * elem);
    pqf_ds_free(ds, *arr, *cap * elem);
    *arr = n;
    *cap = ncap;
    return 0;
}

char *pqf_ds_str_dup(const pqf_allocator *a, const char *s, size_t n) {
    char *p = pqf_ds_tmp_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void pqf_ds_str_free(const pqf_allocator *a, char *s) {
    if (s) pqf_ds_tmp_free(a, s, strlen(s) + 1);
}

void pqf_ds_buf_init(pqf_ds_buf *b, const pqf_allocator *alc) {
    memset(b, 0, sizeof *b);
    b->alc = alc;
}

void pqf_ds_buf_free(pqf_ds_buf *b) {
    pqf_ds_tmp_free(b->alc, b->p, b->cap);
    b->p = NULL;
    b->len = b->cap = 0;
}

int pqf_ds_buf_reserve(pqf_ds_buf *b, size_t n) {
    if (b->failed) return -1;
    if (n <= b->cap - b->len) return 0;
    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t ncap = b->cap ? b->cap : 4096;
    while (ncap - b->len < n) ncap *= 2;
    uint8_t *np = pqf_ds_tmp_alloc(b->alc, ncap);
    if (!np) {
        b->failed = 1;
        return -1;
    }
    if (b->len) memcpy(np, b->p, b->len);
    pqf_ds_tmp_free(b->alc, b->p, b->cap);
    b->p = np;
    b->cap = ncap;
    return 0;
}

int pqf_ds_buf_put(pqf_ds_buf *b, const void *data, size_t n) {
    if (pqf_ds_buf_reserve(b, n) != 0) return -1;
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

int pqf_ds_buf_write(void *ctx, const void *data, size_t len) {
    return pqf_ds_buf_put(ctx, data, len) == 0 ? 0 : -1;
}

/* -------------------------------------------------------------- errors --- */

void pqf_ds_error(pqf_error *err, pqf_code code, const char *msg, uint64_t offset,
                  const char *where) {
    if (!err) return;
    err->code = code;
    err->msg = msg;
    err->offset = offset;
    err->needed = 0;
    err->path[0] = '\0';
    if (where) {
        size_t n = strlen(where);
        if (n >= sizeof err->path) n = sizeof err->path - 1;
        memcpy(err->path, where, n);
        err->path[n] = '\0';
    }
}

/* ------------------------------------------------------------ building --- */

pqf_dataset *pqf_ds_new(const pqf_allocator *alc) {
    pqf_allocator a;
    a = pqf_allocator_resolve(alc);
    pqf_dataset *ds = a.alloc(a.ctx, sizeof *ds);
    if (!ds) return NULL;
    memset(ds, 0, sizeof *ds);
    ds->alc = a;
    ds->own_bytes = sizeof *ds;
    return ds;
}

/* Deep copy of a list of names and a list of indexes into one block:
 * the pointer array, the indexes, then the names. -1 on a bad list or no memory. */
static int copy_lists(pqf_dataset *ds, const char *const *names, size_t nnames, const uint32_t *idx, size_t nidx,
                      void **block, size_t *block_size, char ***out_names, uint32_t **out_idx) {
    size_t size = 0;
    if (nnames > SIZE_MAX / 16 || nidx > SIZE_MAX / 16) return -1;
    size += nnames * sizeof(char *);
    size += nidx * sizeof(uint32_t);
    for (size_t i = 0; i < nnames; i++) {
        if (!names[i]) return -1;
        size += strlen(names[i]) + 1;
    }
    uint8_t *p = NULL;
    if (size && !(p = pqf_ds_alloc(ds, size))) return -1;
    *block = p;
    *block_size = size;
    *out_names = nnames ? (char **)p : NULL;
    *out_idx = NULL;
    if (!size) return 0;
    p += nnames * sizeof(char *);
    *out_idx = nidx ? (uint32_t *)p : NULL;
    if (nidx) memcpy(p, idx, nidx * sizeof(uint32_t));
    p += nidx * sizeof(uint32_t);
    for (size_t i = 0; i < nnames; i++) {
        size_t n = strlen(names[i]) + 1;
        memcpy(p, names[i], n);
        (*out_names)[i] = (char *)p;
        p += n;
    }
    return 0;
}

int pqf_ds_set_opts(pqf_dataset *ds, const pqf_options *o) {
    pqf_options zero;
    if (!o) {
        memset(&zero, 0, sizeof zero);
        o = &zero;
    }
    pqf_ds_opts *r = &ds->opts;
    size_t ncol = o->columns ? o->num_columns : 0;
    size_t nidx = o->column_indexes ? o->num_column_indexes : 0;
    size_t nsc = o->stats_columns ? o->num_stats_columns : 0;
    size_t nsi = o->stats_column_indexes ? o->num_stats_column_indexes : 0;
    pqf_ds_opts n = *r;
    if (copy_lists(ds, o->columns, ncol, o->column_indexes, nidx, &n.block, &n.block_size, &n.columns,
                   &n.column_indexes) != 0)
        return -1;
    if (copy_lists(ds, o->stats_columns, nsc, o->stats_column_indexes, nsi, &n.stats_block, &n.stats_block_size,
                   &n.stats_columns, &n.stats_column_indexes) != 0) {
        if (n.block) pqf_ds_free(ds, n.block, n.block_size);
        return -1;
    }
    /* Drop a previous copy only once the new one is in place. */
    if (r->block) pqf_ds_free(ds, r->block, r->block_size);
    if (r->stats_block) pqf_ds_free(ds, r->stats_block, r->stats_block_size);
    n.flags = o->flags;
    n.max_depth = o->max_depth;
    n.tail_size = o->tail_size;
    n.max_memory = o->max_memory;
    n.ncolumns = ncol;
    n.ncolumn_indexes = nidx;
    n.nstats_columns = nsc;
    n.nstats_column_indexes = nsi;
    *r = n;
    return 0;
}

void pqf_ds_get_opts(const pqf_dataset *ds, pqf_options *o) {
    memset(o, 0, sizeof *o);
    o->flags = ds->opts.flags;
    o->max_depth = ds->opts.max_depth;
    o->max_memory = ds->opts.max_memory;
    o->tail_size = ds->opts.tail_size;
    o->columns = (const char *const *)ds->opts.columns;
    o->num_columns = ds->opts.ncolumns;
    o->column_indexes = ds->opts.column_indexes;
    o->num_column_indexes = ds->opts.ncolumn_indexes;
    o->stats_columns = (const char *const *)ds->opts.stats_columns;
    o->num_stats_columns = ds->opts.nstats_columns;
    o->stats_column_indexes = ds->opts.stats_column_indexes;
    o->num_stats_column_indexes = ds->opts.nstats_column_indexes;
}

int pqf_ds_set_root(pqf_dataset *ds, const char *dir) {
    size_t n = strlen(dir);
    /* "a/b///" and "a/b" name the same directory; keep "/" as it is. */
    while (n > 1 && dir[n - 1] == '/') n--;
    char *r = pqf_ds_alloc(ds, n + 1);
    if (!r) return -1;
    memcpy(r, dir, n);
    r[n] = '\0';
    if (ds->root) pqf_ds_free(ds, ds->root, ds->root_size);
    ds->root = r;
    ds->root_size = n + 1;
    return 0;
}

int pqf_ds_reserve(pqf_dataset *ds, size_t n, size_t path_bytes) {
    if (n > SIZE_MAX - ds->nfiles || path_bytes > SIZE_MAX - ds->paths_len) return -1;
    if (pqf_ds_grow(ds, (void **)&ds->files, &ds->files_cap, ds->nfiles + n, sizeof *ds->files))
        return -1;
    if (pqf_ds_grow(ds, (void **)&ds->paths, &ds->paths_cap, ds->paths_len + path_bytes, 1))
        return -1;
    return 0;
}

void pqf_ds_entry_clear(const pqf_allocator *a, pqf_ds_entry *e) {
    pqf_footer_free(e->footer);
    e->footer = NULL;
    if (e->row_prefix) {
        /* The table records its own row-group count in its first slot. */
        pqf_ds_tmp_free(a, e->row_prefix, pqf_ds_prefix_size(e->row_prefix[0]));
        e->row_prefix = NULL;
    }
}

pqf_code pqf_ds_row_layout(const pqf_footer *f, const pqf_allocator *a, pqf_ds_entry *e,
                           pqf_error *err) {
    size_t nrg = pqf_row_group_count(f);
    uint64_t total = 0, first = 0;
    int uniform = 1;
    e->row_prefix = NULL;
    e->rows_per_rg = 0;
    e->rows = 0;
    for (size_t i = 0; i < nrg; i++) {
        pqf_row_group rg;
        if (pqf_row_group_get(f, i, &rg) != PQF_OK) {
            pqf_ds_error(err, PQF_ERR_MALFORMED, "row group cannot be read", 0, NULL);
            return PQF_ERR_MALFORMED;
        }
        if (rg.num_rows < 0) {
            pqf_ds_error(err, PQF_ERR_MALFORMED, "row group has a negative row count", 0, NULL);
            return PQF_ERR_MALFORMED;
        }
        uint64_t r = (uint64_t)rg.num_rows;
        if (total > (uint64_t)INT64_MAX - r) {
            pqf_ds_error(err, PQF_ERR_LIMIT, "file has more than 2^63 rows", 0, NULL);
            return PQF_ERR_LIMIT;
        }
        total += r;
        if (i == 0) first = r;
        /* Every group but the last holds `first` rows (> 0); the last at most that. */
        else if ((i + 1 < nrg && r != first) || r > first) uniform = 0;
    }
    if (nrg > 0 && first == 0 && total > 0) uniform = 0;
    e->rows = total;
    if (uniform) {
        e->rows_per_rg = first;
        return PQF_OK;
    }
    if ((uint64_t)nrg > SIZE_MAX / sizeof(uint64_t) - 2) {
        pqf_ds_error(err, PQF_ERR_LIMIT, "too many row groups", 0, NULL);
        return PQF_ERR_LIMIT;
    }
    uint64_t *blk = pqf_ds_tmp_alloc(a, pqf_ds_prefix_size(nrg));
    if (!blk) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return PQF_ERR_NOMEM;
    }
    blk[0] = nrg;
    uint64_t acc = 0;
    for (size_t i = 0; i < nrg; i++) {
        pqf_row_group rg;
        (void)pqf_row_group_get(f, i, &rg);
        blk[1 + i] = acc;
        acc += (uint64_t)rg.num_rows;
    }
    blk[1 + nrg] = acc;
    e->row_prefix = blk;
    return PQF_OK;
}

/* Schema ids are kept in an open-addressing table keyed by the schema hash;
 * equal hashes are confirmed with pqf_footer_schema_equal() and unequal
 * schemas with the same hash simply take further slots. */
static int intern_grow(pqf_dataset *ds, pqf_ds_intern *t) {
    size_t ncap = t->cap ? t->cap * 2 : 16;
    if (ncap > SIZE_MAX / sizeof(uint32_t)) return -1;
    uint32_t *s = pqf_ds_tmp_alloc(&ds->alc, ncap * sizeof(uint32_t));
    if (!s) return -1;
    for (size_t i = 0; i < ncap; i++) s[i] = UINT32_MAX;
    for (size_t i = 0; i < t->cap; i++) {
        uint32_t id = t->slots[i];
        if (id == UINT32_MAX) continue;
        size_t h = (size_t)ds->schemas[id].hash & (ncap - 1);
        while (s[h] != UINT32_MAX) h = (h + 1) & (ncap - 1);
        s[h] = id;
    }
    pqf_ds_tmp_free(&ds->alc, t->slots, t->cap * sizeof(uint32_t));
    t->slots = s;
    t->cap = ncap;
    return 0;
}

void pqf_ds_intern_free(pqf_dataset *ds, pqf_ds_intern *tab) {
    pqf_ds_tmp_free(&ds->alc, tab->slots, tab->cap * sizeof(uint32_t));
    tab->slots = NULL;
    tab->cap = 0;
}

pqf_code pqf_ds_append(pqf_dataset *ds, const char *path, pqf_ds_entry *e, pqf_ds_intern *tab,
                       uint32_t schema_id, pqf_error *err) {
    size_t plen = strlen(path) + 1;
    if (ds->nfiles >= UINT32_MAX - 1 ||
        pqf_ds_reserve(ds, 1, plen) != 0) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return PQF_ERR_NOMEM;
    }
    uint64_t h = pqf_footer_schema_hash(e->footer);
    uint32_t sid = UINT32_MAX;
    size_t slot = 0;
    if (schema_id != UINT32_MAX) {
        /* Loading: the id comes from the index, the caller checked its range. */
        sid = schema_id;
        if (sid < ds->nschemas) {
            const pqf_ds_schema *s = &ds->schemas[sid];
            if (s->hash != h || pqf_footer_share_schema(e->footer, ds->files[s->rep].footer) != PQF_OK) {
                pqf_ds_error(err, PQF_ERR_MALFORMED, "file's schema differs from its interned schema",
                             0, NULL);
                return PQF_ERR_MALFORMED;
            }
        } else if (sid != ds->nschemas) {
            pqf_ds_error(err, PQF_ERR_MALFORMED, "schema ids out of order", 0, NULL);
            return PQF_ERR_MALFORMED;
        }
    } else {
        if (tab->cap == 0 || (ds->nschemas + 1) * 2 > tab->cap) {
            if (intern_grow(ds, tab) != 0) {
                pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
                return PQF_ERR_NOMEM;
            }
        }
        slot = (size_t)h & (tab->cap - 1);
        for (;;) {
            uint32_t id = tab->slots[slot];
            if (id == UINT32_MAX) break;
            const pqf_ds_schema *s = &ds->schemas[id];
            if (s->hash == h && pqf_footer_share_schema(e->footer, ds->files[s->rep].footer) == PQF_OK) {
                sid = id;
                break;
            }
            slot = (slot + 1) & (tab->cap - 1);
        }
        if (sid == UINT32_MAX) sid = (uint32_t)ds->nschemas;
    }
    if (sid == ds->nschemas) {
        if (pqf_ds_grow(ds, (void **)&ds->schemas, &ds->schemas_cap, ds->nschemas + 1,
                        sizeof *ds->schemas) != 0) {
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return PQF_ERR_NOMEM;
        }
        ds->schemas[sid].hash = h;
        ds->schemas[sid].rep = (uint32_t)ds->nfiles;
        ds->schemas[sid].nfiles = 0;
        ds->nschemas++;
        if (schema_id == UINT32_MAX) tab->slots[slot] = sid;
    }
    ds->schemas[sid].nfiles++;

    pqf_ds_file *fi = &ds->files[ds->nfiles];
    fi->footer = e->footer;
    fi->row_prefix = e->row_prefix;
    fi->rows_per_rg = e->rows_per_rg;
    fi->rows = e->rows;
    fi->size = e->size;
    fi->mtime_ns = e->mtime_ns;
    fi->footer_hash = e->footer_hash;
    fi->footer_len = e->footer_len;
    fi->schema = sid;
    fi->path_off = ds->paths_len;
    if (e->row_prefix) ds->own_bytes += pqf_ds_prefix_size(e->row_prefix[0]);
    memcpy(ds->paths + ds->paths_len, path, plen);
    ds->paths_len += plen;
    ds->nfiles++;
    e->footer = NULL;
    e->row_prefix = NULL;
    return PQF_OK;
}

int pqf_ds_add_failure(pqf_dataset *ds, const char *path, const pqf_error *e, uint64_t size,
                       int64_t mtime_ns, const char *msg, size_t msg_len) {
    if (pqf_ds_grow(ds, (void **)&ds->failures, &ds->failures_cap, ds->nfailures + 1,
                    sizeof *ds->failures) != 0)
        return -1;
    size_t n = strlen(path) + 1;
    char *p = pqf_ds_alloc(ds, n);
    if (!p) return -1;
    memcpy(p, path, n);
    char *m = NULL;
    if (msg) {
        m = pqf_ds_alloc(ds, msg_len + 1);
        if (!m) {
            pqf_ds_free(ds, p, n);
            return -1;
        }
        memcpy(m, msg, msg_len);
        m[msg_len] = '\0';
    }
    pqf_ds_failure *f = &ds->failures[ds->nfailures++];
    f->path = p;
    f->path_size = n;
    f->msg = m;
    f->msg_size = m ? msg_len + 1 : 0;
    f->size = size;
    f->mtime_ns = mtime_ns;
    f->err = *e;
    if (m) f->err.msg = m;
    return 0;
}

size_t pqf_ds_find_failure(const pqf_dataset *ds, const char *path) {
    /* Few files fail; a linear search keeps the dataset free of another table. */
    for (size_t i = 0; i < ds->nfailures; i++)
        if (strcmp(ds->failures[i].path, path) == 0) return i;
    return SIZE_MAX;
}

int pqf_ds_failure_unchanged(const pqf_ds_failure *f) {
    uint64_t size = 0;
    int64_t mtime = 0;
    if (pqf_ds_stat(f->path, &size, &mtime) != 0) {
        /* As recorded for a file that could not be stat'ed when it failed. */
        size = 0;
        mtime = 0;
    }
    return size == f->size && mtime == f->mtime_ns;
}

pqf_code pqf_ds_finish(pqf_dataset *ds, pqf_error *err) {
    size_t n = ds->nfiles;
    /* Trim the growable arrays to their contents: the dataset keeps exactly
     * what it reports. */
    if (ds->files_cap > n) {
        pqf_ds_file *f = n ? pqf_ds_alloc(ds, n * sizeof *f) : NULL;
        if (n && !f) {
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return PQF_ERR_NOMEM;
        }
        if (n) memcpy(f, ds->files, n * sizeof *f);
        pqf_ds_free(ds, ds->files, ds->files_cap * sizeof *f);
        ds->files = f;
        ds->files_cap = n;
    }
    if (ds->paths_cap > ds->paths_len) {
        char *p = ds->paths_len ? pqf_ds_alloc(ds, ds->paths_len) : NULL;
        if (ds->paths_len && !p) {
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return PQF_ERR_NOMEM;
        }
        if (ds->paths_len) memcpy(p, ds->paths, ds->paths_len);
        pqf_ds_free(ds, ds->paths, ds->paths_cap);
        ds->paths = p;
        ds->paths_cap = ds->paths_len;
    }
    if (ds->schemas_cap > ds->nschemas) {
        size_t ns = ds->nschemas;
        pqf_ds_schema *s = ns ? pqf_ds_alloc(ds, ns * sizeof *s) : NULL;
        if (ns && !s) {
            pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
            return PQF_ERR_NOMEM;
        }
        if (ns) memcpy(s, ds->schemas, ns * sizeof *s);
        pqf_ds_free(ds, ds->schemas, ds->schemas_cap * sizeof *s);
        ds->schemas = s;
        ds->schemas_cap = ns;
    }
    uint64_t *tab = pqf_ds_alloc(ds, 2 * (n + 1) * sizeof(uint64_t));
    if (!tab) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, NULL);
        return PQF_ERR_NOMEM;
    }
    ds->rg_start = tab;
    ds->row_start = tab + n + 1;
    ds->tab_size = 2 * (n + 1) * sizeof(uint64_t);
    uint64_t rg = 0, rows = 0;
    size_t fb = 0;
    for (size_t i = 0; i < n; i++) {
        const pqf_ds_file *fi = &ds->files[i];
        ds->rg_start[i] = rg;
        ds->row_start[i] = rows;
        uint64_t nrg = pqf_row_group_count(fi->footer);
        uint64_t r = fi->rows;
        if (rg > UINT64_MAX - nrg || rows > (uint64_t)INT64_MAX - r) {
            pqf_ds_error(err, PQF_ERR_LIMIT, "dataset has more than 2^63 rows", 0, NULL);
            return PQF_ERR_LIMIT;
        }
        rg += nrg;
        rows += r;
        fb += pqf_footer_bytes(fi->footer) - pqf_footer_schema_bytes(fi->footer);
    }
    ds->rg_start[n] = rg;
    ds->row_start[n] = rows;
    for (size_t s = 0; s < ds->nschemas; s++)
        fb += pqf_footer_schema_bytes(ds->files[ds->schemas[s].rep].footer);
    ds->footer_bytes = fb;
    return PQF_OK;
}

/* ---------------------------------------------------------- public API --- */

void pqf_dataset_free(pqf_dataset *ds) {
    if (!ds) return;
    for (size_t i = 0; i < ds->nfiles; i++) {
        pqf_footer_free(ds->files[i].footer);
        if (ds->files[i].row_prefix)
            pqf_ds_free(ds, ds->files[i].row_prefix, pqf_ds_prefix_size(ds->files[i].row_prefix[0]));
    }
    pqf_ds_free(ds, ds->files, ds->files_cap * sizeof *ds->files);
    pqf_ds_free(ds, ds->rg_start, ds->tab_size);
    pqf_ds_free(ds, ds->paths, ds->paths_cap);
    pqf_ds_free(ds, ds->schemas, ds->schemas_cap * sizeof *ds->schemas);
    for (size_t i = 0; i < ds->nfailures; i++) {
        pqf_ds_free(ds, ds->failures[i].path, ds->failures[i].path_size);
        pqf_ds_free(ds, ds->failures[i].msg, ds->failures[i].msg_size);
    }
    pqf_ds_free(ds, ds->failures, ds->failures_cap * sizeof *ds->failures);
    pqf_ds_free(ds, ds->opts.block, ds->opts.block_size);
    pqf_ds_free(ds, ds->opts.stats_block, ds->opts.stats_block_size);
    pqf_ds_free(ds, ds->root, ds->root_size);
    pqf_allocator a = ds->alc;
    a.free(a.ctx, ds, sizeof *ds);
}

size_t pqf_dataset_failure_count(const pqf_dataset *ds) { return ds ? ds->nfailures : 0; }

pqf_code pqf_dataset_failure_get(const pqf_dataset *ds, size_t i, pqf_dataset_failure *out) {
    if (!ds || !out || i >= ds->nfailures) return PQF_ERR_INVALID_ARG;
    out->path = ds->failures[i].path;
    out->error = ds->failures[i].err;
    return PQF_OK;
}

size_t pqf_dataset_file_count(const pqf_dataset *ds) { return ds ? ds->nfiles : 0; }

/* 1 when the projection path want selects leaf path (itself or a group above it). */
static int selects(const pqf_str *leaf, const char *want) {
    size_t n = strlen(want);
    if (!leaf->ptr || n > leaf->len || memcmp(leaf->ptr, want, n) != 0) return 0;
    return n == leaf->len || leaf->ptr[n] == '.';
}

pqf_code pqf_dataset_file_missing(const pqf_dataset *ds, size_t file, const char **names,
                                  size_t max, size_t *count) {
    if (!ds || !count || file >= ds->nfiles || (!names && max)) return PQF_ERR_INVALID_ARG;
    const pqf_footer *f = ds->files[file].footer;
    size_t ncols = pqf_column_count(f), missing = 0;
    for (size_t i = 0; i < ds->opts.ncolumns; i++) {
        const char *want = ds->opts.columns[i];
        int hit = 0;
        for (size_t c = 0; c < ncols && !hit; c++) {
            pqf_column lc;
            hit = pqf_column_get(f, c, &lc) == PQF_OK && selects(&lc.path, want);
        }
        if (hit) continue;
        if (missing < max) names[missing] = want;
        missing++;
    }
    *count = missing;
    return PQF_OK;
}

pqf_code pqf_dataset_file_get(const pqf_dataset *ds, size_t file, pqf_dataset_file *out) {
    if (!ds || !out || file >= ds->nfiles) return PQF_ERR_INVALID_ARG;
    out->path = pqf_ds_path(ds, file);
    out->footer = ds->files[file].footer;
    out->first_row_group = ds->rg_start ? ds->rg_start[file] : 0;
    out->first_row = ds->row_start ? ds->row_start[file] : 0;
    return PQF_OK;
}

size_t pqf_dataset_schema_count(const pqf_dataset *ds) { return ds ? ds->nschemas : 0; }

uint64_t pqf_dataset_row_group_count(const pqf_dataset *ds) {
    return ds && ds->rg_start ? ds->rg_start[ds->nfiles] : 0;
}

uint64_t pqf_dataset_row_count(const pqf_dataset *ds) {
    return ds && ds->row_start ? ds->row_start[ds->nfiles] : 0;
}

/* Last index i in [0, n) with tab[i] <= x, given tab[0] <= x < tab[n] and tab
 * non-decreasing: the group that holds x, skipping empty ones. */
static size_t find_slot(const uint64_t *tab, size_t n, uint64_t x) {
    size_t lo = 0, hi = n; /* tab[lo] <= x < tab[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (tab[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

pqf_code pqf_dataset_locate_row_group(const pqf_dataset *ds, uint64_t global_rg, size_t *file,
                                      size_t *rg) {
    if (!ds || !ds->rg_start || global_rg >= ds->rg_start[ds->nfiles]) return PQF_ERR_INVALID_ARG;
    size_t f = find_slot(ds->rg_start, ds->nfiles, global_rg);
    if (file) *file = f;
    if (rg) *rg = (size_t)(global_rg - ds->rg_start[f]);
    return PQF_OK;
}

pqf_code pqf_dataset_locate_row(const pqf_dataset *ds, uint64_t global_row, size_t *file,
                                size_t *rg, uint64_t *row_in_group) {
    if (!ds || !ds->row_start || global_row >= ds->row_start[ds->nfiles])
        return PQF_ERR_INVALID_ARG;
    size_t f = find_slot(ds->row_start, ds->nfiles, global_row);
    const pqf_ds_file *fi = &ds->files[f];
    uint64_t r = global_row - ds->row_start[f];
    size_t g;
    uint64_t within;
    if (fi->row_prefix) {
        size_t nrg = (size_t)fi->row_prefix[0];
        g = find_slot(fi->row_prefix + 1, nrg, r);
        within = r - fi->row_prefix[1 + g];
    } else {
        /* Uniform groups: a non-empty file has rows_per_rg > 0. */
        g = (size_t)(r / fi->rows_per_rg);
        within = r % fi->rows_per_rg;
    }
    if (file) *file = f;
    if (rg) *rg = g;
    if (row_in_group) *row_in_group = within;
    return PQF_OK;
}

size_t pqf_dataset_bytes(const pqf_dataset *ds) { return ds ? ds->own_bytes + ds->footer_bytes : 0; }
