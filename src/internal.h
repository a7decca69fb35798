/* Internal declarations shared by the decoder's source files. Never installed. */
#ifndef PQF_INTERNAL_H
#define PQF_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "pqfoot.h"
#include "port.h"

/* ---------------------------------------------------------------- memory --- */

/* Every byte a decode takes goes through here, so the cap covers it all. */
typedef struct pqf_mem {
    pqf_allocator alc; /* copied: the caller's struct need not outlive the call */
    uint64_t used;     /* bytes currently held */
    uint64_t cap;      /* most bytes that may be held at once */
    int failed_code;   /* PQF_ERR_NOMEM or PQF_ERR_LIMIT after a refusal, else 0 */
    pqf_dctx *dctx;    /* where work blocks come from and go back to; NULL: the allocator */
    size_t huge_after; /* work blocks come from the context's huge-page range once this
                        * much memory is in use (SIZE_MAX: never; mem.c) */
    int own_ok;        /* without a context, one may be made then (malloc is the allocator) */
    int own_dctx;      /* dctx was made so: the decode frees it */
} pqf_mem;

/* When a decode's work moves to huge pages (with a context and malloc as the
 * allocator): a 2 MiB page costs about as much to fault in and zero as 60
 * 4 KiB pages (100-150 us on a VM), so small work stays in 4 KiB pages and
 * only work beyond PQF_HUGE_AFTER goes to huge ones; footers from
 * PQF_HUGE_MIN_FOOTER on need that much work anyway and start there. */
#define PQF_HUGE_MIN_FOOTER ((size_t)1 << 20)
#define PQF_HUGE_AFTER ((size_t)512 << 10)

void pqf_mem_init(pqf_mem *m, const pqf_allocator *alc, uint64_t cap);
/* NULL on failure, with m->failed_code saying why. */
void *pqf_mem_alloc(pqf_mem *m, size_t size);
void pqf_mem_free(pqf_mem *m, void *ptr, size_t size);

/* Work memory, freed before the decode returns: kept by m->dctx between
 * decodes when there is one. Charged against the cap exactly as
 * pqf_mem_alloc() would charge it, cached or not. */
void *pqf_work_alloc(pqf_mem *m, size_t size);
void pqf_work_free(pqf_mem *m, void *ptr, size_t size);

/* Bump arena for work data that lives only during one decode. */
typedef struct pqf_arena_block pqf_arena_block;
typedef struct pqf_arena {
    pqf_mem *mem;
    pqf_arena_block *head;
    uint8_t *ptr, *end;
    size_t next_size;
} pqf_arena;

void pqf_arena_init(pqf_arena *a, pqf_mem *mem);
void *pqf_arena_alloc(pqf_arena *a, size_t size); /* 16-byte aligned; NULL on failure */
/* The arena's next block is to hold about bytes (at most 64 KiB): a decode
 * that knows what it will take then takes one block, not several, each of
 * whose ends is one more page for a fresh process to fault in. */
void pqf_arena_plan(pqf_arena *a, uint64_t bytes);
/* align-byte aligned (a power of two up to 4096), padding only when needed. */
void *pqf_arena_alloc_aligned(pqf_arena *a, size_t size, size_t align);
void pqf_arena_release(pqf_arena *a);

/* ----------------------------------------------------------------- errors --- */

#define PQF_PATH_SEGMENTS 12

typedef struct pqf_path_seg {
    const char *name; /* NULL: use fid */
    int32_t index;    /* list index, or -1 */
    int16_t fid;
} pqf_path_seg;

/* ------------------------------------------------------------- the cursor --- */

/* A bounds-checked position in an untrusted byte buffer: what the readers in
 * wire.h and the skippers work on. Errors name an offset from base and go to
 * err (first error only); depth counts the structs and containers entered. */
typedef struct pqf_cur {
    const uint8_t *p, *end;
    const uint8_t *base;
    uint32_t depth, max_depth;
    pqf_error *err;
} pqf_cur;

/* A cursor over buf[0..len) (buf may be NULL when len is 0). */
void pqf_cur_init(pqf_cur *c, const uint8_t *buf, size_t len, uint32_t max_depth, pqf_error *err);

/* Record the first error only; returns code. pos is a pointer into the input. */
int pqf_fail_at(pqf_cur *c, const uint8_t *pos, int code, const char *msg);
#define pqf_fail(c, code, msg) pqf_fail_at((c), (c)->p, (code), (msg))
/* Out-of-memory / cap failures from m, as an error at the cursor. */
int pqf_fail_mem_at(pqf_cur *c, const pqf_mem *m);

/* ------------------------------------------------------------ the decoder --- */

/* Row-group-level values kept per row group (before packing). */
typedef struct pqf_rg_rec {
    int64_t num_rows, total_byte_size, file_offset, total_compressed_size;
    int64_t ordinal;
    uint64_t base; /* start of its first stored chunk: the reference of chunk starts */
    uint32_t has;
} pqf_rg_rec;

/* Chunk values kept per stored chunk (before packing). */
typedef struct pqf_chunk_rec {
    int64_t fo, nv, tus, tcs, dpo, dict; /* in pairs as templates read them (template.h) */
    int64_t start;
    int32_t type, codec;
    uint32_t fpath; /* 0 = none, else 1 + index into the file-path table */
    uint32_t has;   /* PQF_CH_* */
    uint32_t enc;   /* encodings list: 0 = none, else 1 + pool index (model_encodings.h) */
} pqf_chunk_rec;

/* One stored chunk's residuals, kept compact between the row group that
 * decoded it and the final packing (model_stage.h, model_pack.c). */
typedef struct pqf_res_rec {
    int32_t v[8];
} pqf_res_rec;
/* The same in half the bytes, while every lane staged so far fits 16 bits
 * (small chunks: footers of one-row groups, S1-like files): a first decode
 * touches half the pages of the block. */
typedef struct pqf_res16_rec {
    int16_t v[8];
} pqf_res16_rec;
/* A quarter of the bytes, while every chunk staged so far is a plain one of
 * a flat column: its DICT, NV and FO_START residuals 0 (dictionary page
 * first, values as rows, file_offset at the chunk's start), so FO_END is
 * -TCS, and the other four fit 16 bits. The lanes kept, in this order: TUS,
 * TCS, DPO, START (model_stage.h). */
typedef struct pqf_res8_rec {
    int16_t v[4];
} pqf_res8_rec;

typedef struct pqf_chunk_ext_rec { /* page index and bloom locations, when kept */
    int64_t oi_off, ci_off, bf_off;
    int64_t oi_len, ci_len, bf_len; /* i32 on the wire; 64 bits so templates store every value alike */
} pqf_chunk_ext_rec;

/* A leaf while decoding: where its path parts are, for the path_in_schema check. */
typedef struct pqf_leaf_work {
    uint32_t first_part; /* the leaf's SchemaElement index */
    uint32_t nparts;     /* its depth: names in path_in_schema */
    uint32_t slot;       /* projected slot or UINT32_MAX */
    uint32_t name_len;   /* a top-level leaf: its name's length; else UINT32_MAX */
    uint64_t name8;      /* and its first 8 bytes, little-endian, zero past the name */
    uint64_t name_mask;  /* the bytes of name8 the name fills */
} pqf_leaf_work;

#define PQF_RECENT 8 /* layouts kept for other columns to borrow (decode_row_groups.c) */

typedef struct pqf_dec {
    pqf_cur cur;       /* the bytes being decoded; first, as the hot loops read it most */
    uint32_t flags;
    unsigned wide;     /* PQF_WIDE_* paths this decode takes, set once by pqf_wide_choose() */
    pqf_mem mem;
    pqf_arena work;
    pqf_arena loop_work; /* the row-group loop's own: the row's records, templates and their
                          * tables; released once the row groups are read, so that the
                          * model's work and result reuse the memory */
    uint64_t file_size; /* 0 = unknown */
    uint64_t data_end;  /* chunks must end at or before this (0 = unknown) */

    /* error path, innermost first, filled while unwinding */
    pqf_path_seg path[PQF_PATH_SEGMENTS];
    uint32_t npath;

    /* file */
    int32_t version;
    int64_t num_rows;
    pqf_str created_by;
    uint32_t fflags;
    uint32_t seen; /* top-level fields seen, bit = field id */

    /* key-value metadata (kept with PQF_KEEP_KV) */
    pqf_str *kv; /* 2 per entry */
    uint32_t nkv;

    /* schema */
    pqf_schema_element *schema;
    uint32_t nschema;
    pqf_column *cols;
    pqf_leaf_work *leaves;
    uint32_t ncols;
    uint32_t nslots;
    uint32_t *slot_col; /* slot -> leaf column */

    /* row groups and chunks */
    uint64_t nrg;      /* row groups decoded */
    uint64_t nrg_alloc; /* row groups the work arrays hold */
    pqf_rg_rec *rgs;
    pqf_chunk_rec *row;        /* nslots: the row group being decoded */
    pqf_res_rec *res;          /* nrg * nslots residuals, row-major */
    pqf_res16_rec *res16;      /* res's block holding them narrow until a lane does not fit
                                * (model_stage.c); then NULL */
    pqf_res8_rec *res8;        /* the same block holding them compact (res16 is set too) until
                                * a chunk is not plain; then NULL */
    pqf_chunk_ext_rec *ext;    /* nrg * nslots when page index / bloom kept, else NULL */
    pqf_str *fpaths;           /* distinct file paths */
    uint32_t nfpaths, fpaths_cap;

    const pqf_options *opt;
    const uint8_t *proj_flags; /* projection per leaf (when loading a saved model), else NULL */
    struct pqf_tmpl **tmpls;   /* two layout templates per leaf column, or NULL when not used */
    uint8_t *tmpl_misses;      /* consecutive template misses per leaf column */
    uint64_t ntmpls;           /* templates made by this decode (decode_row_groups.c: record_target()) */
    struct pqf_tmpl *recent[PQF_RECENT]; /* layouts recorded lately, most recent first */
    uint32_t nrecent;
    int shared;                /* no tmpls: recent[] (owned by the decoder) serve every column */
    uint32_t shared_misses;    /* consecutive chunks recent[] did not fit */
    struct pqf_model_stats *stats; /* residual statistics, gathered row group by row group */
    struct pqf_enc_work *encw; /* distinct encodings lists (model_encodings.c) */
} pqf_dec;

/* Where a kept chunk points, checked when the file size is known: ranges must
 * end before the footer, offsets must lie in the file. Returns NULL, or a
 * message with *field naming the ColumnChunk field at fault. Chunks whose data
 * live in another file (file_path) are not checked. */
static inline const char *pqf_chunk_place_error(const pqf_dec *d, const pqf_chunk_rec *r,
                                                const pqf_chunk_ext_rec *x, const char **field) {
    if (!d->data_end || (r->has & PQF_CH_FILE_PATH)) return NULL;
    const uint64_t end = d->data_end;
    *field = "file_offset";
    if ((uint64_t)r->fo > d->file_size) return "file_offset past the end of the file";
    *field = "meta_data";
    if (r->has & PQF_CH_META) {
        uint64_t s = (uint64_t)r->start, len = (uint64_t)r->tcs;
        if (s > end || len > end - s) return "column chunk extends past the data before the footer";
        if ((uint64_t)r->dpo > end) return "data_page_offset past the data before the footer";
        if ((r->has & PQF_CH_DICT) && (uint64_t)r->dict > end)
            return "dictionary_page_offset past the data before the footer";
        if ((r->has & PQF_CH_BLOOM_OFFSET) && x) {
            uint64_t o = (uint64_t)x->bf_off, l = (r->has & PQF_CH_BLOOM_LENGTH) ? (uint64_t)x->bf_len : 0;
            if (o > end || l > end - o) return "bloom filter past the data before the footer";
        }
    }
    if (x && (r->has & PQF_CH_OI_OFFSET)) {
        *field = "offset_index_offset";
        uint64_t o = (uint64_t)x->oi_off, l = (r->has & PQF_CH_OI_LENGTH) ? (uint64_t)x->oi_len : 0;
        if (o > end || l > end - o) return "offset index past the data before the footer";
    }
    if (x && (r->has & PQF_CH_CI_OFFSET)) {
        *field = "column_index_offset";
        uint64_t o = (uint64_t)x->ci_off, l = (r->has & PQF_CH_CI_LENGTH) ? (uint64_t)x->ci_len : 0;
        if (o > end || l > end - o) return "column index past the data before the footer";
    }
    return NULL;
}

/* Add a path segment while an error unwinds; returns rc unchanged. */
int pqf_path_push(pqf_dec *d, int rc, const char *name, int32_t index, int16_t fid);
/* Turn the collected segments into err->path. */
void pqf_path_format(pqf_dec *d);
/* Out-of-memory / cap failures from the decoder's pqf_mem, at its cursor. */
int pqf_fail_mem(pqf_dec *d);

/* Declared shapes of the known footer fields pqfoot skips (skip.c). */
enum {
    PQF_SHAPE_ANY = 0, /* not known: skip by the wire types */
    PQF_SHAPE_I32, PQF_SHAPE_I64, PQF_SHAPE_BINARY, PQF_SHAPE_STRUCT,
    PQF_SHAPE_LIST_I32, PQF_SHAPE_LIST_I64, PQF_SHAPE_LIST_BINARY, PQF_SHAPE_LIST_STRUCT,
    PQF_SHAPE_COLUMN_META, PQF_SHAPE_SIZE_STATS, PQF_SHAPE_GEO_STATS,
    PQF_SHAPE_CRYPTO, PQF_SHAPE_ENC_COLUMN_KEY,
    PQF_SHAPE_CHUNK, PQF_SHAPE_LIST_CHUNK, PQF_SHAPE_ROW_GROUP, PQF_SHAPE_LIST_ROW_GROUP,
    PQF_SHAPE__COUNT
};
/* Skip a field of wire type t whose declared shape is shape, reading it as
 * Thrift's generated code would (known lists by their element type). */
PQF_CHECK_RESULT int pqf_skip_shaped(pqf_cur *c, unsigned t, unsigned shape);
/* Skip a struct's fields (the struct header is already read). */
PQF_CHECK_RESULT int pqf_skip_struct(pqf_cur *c, unsigned shape);
/* Shape of field fid inside a struct shape (PQF_SHAPE_ANY if not special). */
unsigned pqf_shape_field(unsigned shape, int16_t fid);
/* Wire type a shape is declared with; for lists, the element shape. */
unsigned pqf_shape_wire_type(unsigned shape);
unsigned pqf_shape_elem(unsigned shape);

/* Generic skip of one value of compact type ctype at the cursor. */
PQF_CHECK_RESULT int pqf_skip(pqf_cur *c, unsigned ctype);
/* A NUL-terminated copy of s[0..n) in arena a (mem.c), zero-padded to 8
 * bytes so that its first 8 can be read as one word; running out of memory
 * is reported at cursor c. */
PQF_CHECK_RESULT int pqf_copy_str(pqf_arena *a, pqf_cur *c, const uint8_t *s, size_t n, pqf_str *out);

/* Struct decoders. */
PQF_CHECK_RESULT int pqf_decode_schema_list(pqf_dec *d);
PQF_CHECK_RESULT int pqf_build_schema_tree(pqf_dec *d);
/* Which leaves are stored (options or saved flags); errors name the option, not the footer. */
PQF_CHECK_RESULT int pqf_resolve_projection(pqf_dec *d);
PQF_CHECK_RESULT int pqf_decode_row_groups(pqf_dec *d);
PQF_CHECK_RESULT int pqf_decode_file_metadata(pqf_dec *d);

/* The AVX-512 paths a decode may take (port.h), chosen in one place. */
enum {
    PQF_WIDE_STAGE = 1,     /* staging residuals (model_stage.c) */
    PQF_WIDE_TEMPLATES = 2, /* template hits in the row-group loop (template_wide.c) */
    PQF_WIDE_SHARED = 4,    /* hits of layouts shared between columns, in row group 0 (idem) */
};
/* Set d->wide once, when the row groups start and d->ext and d->tmpls are
 * known: none without PQF_HAVE_WIDE, under PQF_PORTABLE, when page index or
 * bloom locations are kept, or when the CPU lacks AVX-512 (port.c). */
void pqf_wide_choose(pqf_dec *d);

/* A decoder over buf with its memory capped at cap bytes (defaults elsewhere). */
void pqf_dec_init(pqf_dec *d, const uint8_t *buf, size_t len, pqf_error *err, const pqf_allocator *alc,
                  uint64_t cap);

/* Entry used by every public decode function once the footer bytes are in
 * memory; ctx may be NULL. */
pqf_footer *pqf_decode_impl(pqf_dctx *ctx, const uint8_t *footer, size_t len, uint64_t file_size,
                            const pqf_options *opt, pqf_error *err);

/* Residual statistics for the model, gathered while row groups are decoded. */
typedef struct pqf_model_stats pqf_model_stats;
PQF_CHECK_RESULT int pqf_model_begin(pqf_dec *d);
PQF_CHECK_RESULT int pqf_model_observe_row(pqf_dec *d, uint64_t rg);

/* Build the compact model from the decoder's work state. */
pqf_footer *pqf_model_build(pqf_dec *d);

void pqf_error_set(pqf_error *err, int code, const char *msg, uint64_t offset);

/* pqf_read_fn over a file descriptor; ctx points to the int fd (io.c). */
int pqf_fd_read(void *ctx, uint64_t offset, void *buf, size_t len);

#endif
