/* Derive the column tree from the flat SchemaElement list: parents, leaves,
 * definition/repetition levels, dotted paths, and the projection. */
#include <stdlib.h>

#include "wire.h"

typedef struct tree_frame {
    uint32_t elem;
    uint32_t remaining;
} tree_frame;

static int schema_fail(pqf_dec *d, int code, const char *msg, uint32_t elem) {
    /* No byte offset belongs to a tree error: report the end of the schema list.
     * The caller adds the "schema" segment. */
    int rc = pqf_fail(&d->cur, code, msg);
    return pqf_path_push(d, rc, NULL, (int32_t)elem, 0);
}

/* Walk the pre-order list with an explicit stack; no recursion. */
static int link_tree(pqf_dec *d) {
    pqf_schema_element *s = d->schema;
    uint32_t n = d->nschema;
    if (n == 0) return pqf_fail(&d->cur, PQF_ERR_MALFORMED, "schema is empty"); /* no element to name */
    if ((s[0].has & PQF_SE_NUM_CHILDREN) && s[0].num_children < 0)
        return schema_fail(d, PQF_ERR_MALFORMED, "negative num_children", 0);

    tree_frame *stack = pqf_arena_alloc(&d->work, (size_t)n * sizeof *stack);
    if (!stack) return pqf_fail_mem(d);
    uint32_t sp = 0;
    s[0].parent = -1;
    s[0].column = -1;
    s[0].depth = 0;
    s[0].max_def = s[0].max_rep = 0;
    stack[sp++] = (tree_frame){0, (s[0].has & PQF_SE_NUM_CHILDREN) ? (uint32_t)s[0].num_children : 0};

    uint32_t next = 1, ncols = 0;
    while (sp) {
        tree_frame *top = &stack[sp - 1];
        if (top->remaining == 0) {
            sp--;
            continue;
        }
        top->remaining--;
        if (next >= n) return schema_fail(d, PQF_ERR_MALFORMED, "num_children runs past the schema", top->elem);
        pqf_schema_element *e = &s[next];
        const pqf_schema_element *parent = &s[top->elem];
        if (sp > d->cur.max_depth) return schema_fail(d, PQF_ERR_DEPTH, "schema nested deeper than the depth limit", next);
        e->parent = (int32_t)top->elem;
        e->depth = (uint16_t)sp;
        int rep = (e->has & PQF_SE_REPETITION) ? e->repetition : PQF_REP_REQUIRED;
        e->max_def = (int16_t)(parent->max_def + (rep != PQF_REP_REQUIRED));
        e->max_rep = (int16_t)(parent->max_rep + (rep == PQF_REP_REPEATED));
        if ((e->has & PQF_SE_NUM_CHILDREN) && e->num_children < 0)
            return schema_fail(d, PQF_ERR_MALFORMED, "negative num_children", next);
        if ((e->has & PQF_SE_NUM_CHILDREN) && e->num_children > 0) {
            e->column = -1;
            stack[sp++] = (tree_frame){next, (uint32_t)e->num_children};
        } else {
            e->column = (int32_t)ncols++;
        }
        next++;
    }
    if (next != n) return schema_fail(d, PQF_ERR_MALFORMED, "schema elements outside the tree", next);
    d->ncols = ncols;
    return 0;
}

/* Dotted path of a leaf: names from below the root down to the leaf. */
static int make_path(pqf_dec *d, uint32_t elem, pqf_str *out) {
    const pqf_schema_element *s = d->schema;
    size_t len = 0;
    for (int32_t i = (int32_t)elem; i > 0; i = s[i].parent) len += s[i].name.len + 1;
    char *buf = pqf_arena_alloc(&d->work, len ? len : 1);
    if (!buf) return pqf_fail_mem(d);
    size_t pos = len ? len - 1 : 0;
    buf[pos] = '\0';
    for (int32_t i = (int32_t)elem; i > 0; i = s[i].parent) {
        pos -= s[i].name.len;
        memcpy(buf + pos, s[i].name.ptr, s[i].name.len);
        if (pos) buf[--pos] = '.';
    }
    out->ptr = buf;
    out->len = len ? len - 1 : 0;
    return 0;
}

/* A projection path selects a leaf exactly, or every leaf under a group. */
static int path_selects(const pqf_str *leaf, const char *want) {
    size_t n = strlen(want);
    if (n > leaf->len || memcmp(leaf->ptr, want, n) != 0) return 0;
    return n == leaf->len || leaf->ptr[n] == '.';
}

int pqf_resolve_projection(pqf_dec *d) {
    const pqf_options *o = d->opt;
    uint32_t ncols = d->ncols;
    int all = !o || (o->num_columns == 0 && o->num_column_indexes == 0);
    for (uint32_t c = 0; c < ncols; c++) d->cols[c].projected = (uint8_t)all;
    if (d->proj_flags) {
        for (uint32_t c = 0; c < ncols; c++) d->cols[c].projected = d->proj_flags[c] ? 1 : 0;
    } else if (!all) {
        if (o->num_columns && !o->columns) return pqf_fail(&d->cur, PQF_ERR_INVALID_ARG, "columns is NULL");
        if (o->num_column_indexes && !o->column_indexes)
            return pqf_fail(&d->cur, PQF_ERR_INVALID_ARG, "column_indexes is NULL");
        for (size_t i = 0; i < o->num_columns; i++) {
            const char *want = o->columns[i];
            if (!want) return pqf_fail(&d->cur, PQF_ERR_INVALID_ARG, "NULL column path");
            int hit = 0;
            for (uint32_t c = 0; c < ncols; c++) {
                if (path_selects(&d->cols[c].path, want)) {
                    d->cols[c].projected = 1;
                    hit = 1;
                }
            }
            if (!hit) return pqf_path_push(d, pqf_fail(&d->cur, PQF_ERR_NO_COLUMN, "projected column not in schema"),
                                           "columns", (int32_t)i, 0);
        }
        for (size_t i = 0; i < o->num_column_indexes; i++) {
            if (o->column_indexes[i] >= ncols)
                return pqf_path_push(d, pqf_fail(&d->cur, PQF_ERR_NO_COLUMN, "projected column index out of range"),
                                     "column_indexes", (int32_t)i, 0);
            d->cols[o->column_indexes[i]].projected = 1;
        }
    }
    uint32_t nslots = 0;
    for (uint32_t c = 0; c < ncols; c++) nslots += d->cols[c].projected;
    d->slot_col = pqf_arena_alloc(&d->work, (size_t)(nslots ? nslots : 1) * sizeof(uint32_t));
    if (!d->slot_col) return pqf_fail_mem(d);
    nslots = 0;
    for (uint32_t c = 0; c < ncols; c++) {
        d->leaves[c].slot = d->cols[c].projected ? nslots : UINT32_MAX;
        if (d->cols[c].projected) d->slot_col[nslots++] = c;
    }
    d->nslots = nslots;
    return 0;
}

int pqf_build_schema_tree(pqf_dec *d) {
    int rc;
    if ((rc = link_tree(d))) return rc;
    uint32_t ncols = d->ncols;
    d->cols = pqf_arena_alloc(&d->work, (size_t)(ncols ? ncols : 1) * sizeof(pqf_column));
    d->leaves = pqf_arena_alloc(&d->work, (size_t)(ncols ? ncols : 1) * sizeof(pqf_leaf_work));
    if (!d->cols || !d->leaves) return pqf_fail_mem(d);
    for (uint32_t i = 0; i < d->nschema; i++) {
        const pqf_schema_element *e = &d->schema[i];
        if (e->column < 0) continue;
        pqf_column *c = &d->cols[e->column];
        memset(c, 0, sizeof *c);
        if (e->depth == 1) c->path = e->name; /* a top-level leaf's path is its name (NUL-terminated too) */
        else if ((rc = make_path(d, i, &c->path))) return rc;
        c->schema_index = i;
        c->max_def = e->max_def;
        c->max_rep = e->max_rep;
        c->type = (e->has & PQF_SE_TYPE) ? e->type : -1;
        pqf_leaf_work *lw = &d->leaves[e->column];
        lw->first_part = i; /* the leaf element; parts follow its parents */
        lw->nparts = e->depth;
        /* For the name check of layouts columns share (template.h). */
        lw->name_len = e->depth == 1 && e->name.len < UINT32_MAX ? (uint32_t)e->name.len : UINT32_MAX;
        lw->name8 = lw->name_mask = 0;
        if (lw->name_len != UINT32_MAX) { /* names are copies padded to 8 bytes (pqf_copy_str()) */
            lw->name_mask = e->name.len >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * e->name.len)) - 1;
            lw->name8 = pqf_load64le((const uint8_t *)e->name.ptr) & lw->name_mask;
        }
    }
    return 0;
}
