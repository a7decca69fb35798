/*
 * The dataset layer: many Parquet files behind one compact index. It sits on
 * the public footer API (decode, schema sharing, model serialization) and
 * adds file bookkeeping, global addressing and the .pqfi sidecar format
 * (docs/index-format.md). Internal to the library; never installed.
 */
#ifndef PQF_DATASET_INTERNAL_H
#define PQF_DATASET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "pqfoot_dataset.h"

/* One source file of a dataset. 72 bytes plus its path and, only when its
 * row groups are not all the same size, a prefix table of row counts. */
typedef struct pqf_ds_file {
    pqf_footer *footer;
    uint64_t *row_prefix;  /* see pqf_ds_prefix_size(), or NULL (uniform) */
    uint64_t rows_per_rg;  /* uniform row groups: rows of each but the last */
    uint64_t rows;         /* rows in all its row groups */
    uint64_t size;         /* file size when decoded */
    int64_t mtime_ns;      /* modification time when decoded */
    uint64_t footer_hash;  /* XXH64 of the footer bytes plus the 8-byte trailer */
    uint32_t footer_len;   /* FileMetaData length */
    uint32_t schema;       /* interned schema id */
    size_t path_off;       /* into pqf_dataset.paths */
} pqf_ds_file;

/* One interned schema: its hash, the first file that has it (the footer whose
 * schema block the others share) and how many files use it. */
typedef struct pqf_ds_schema {
    uint64_t hash;
    uint32_t rep;
    uint32_t nfiles;
} pqf_ds_schema;

/* A file skipped by the error callback, or loaded from an index as known-bad.
 * size and mtime_ns are what the file had when it failed (both 0 when it
 * could not be stat'ed), so verify/update notice when it changes. */
typedef struct pqf_ds_failure {
    char *path; /* owned, NUL-terminated */
    size_t path_size;
    char *msg;  /* owned copy of err.msg when loaded from an index, else NULL */
    size_t msg_size;
    uint64_t size;
    int64_t mtime_ns;
    pqf_error err;
} pqf_ds_failure;

/* Decode options as recorded in the dataset (a deep copy). ds_flags holds
 * the dataset-level PQF_DS_* flags that change how files are decoded. */
typedef struct pqf_ds_opts {
    uint32_t flags, max_depth, tail_size, ds_flags;
    uint64_t max_memory;
    char **columns;        /* ncolumns strings in one block with the array */
    size_t ncolumns;
    uint32_t *column_indexes;
    size_t ncolumn_indexes;
    size_t block_size;     /* the one allocation holding all of the above */
    void *block;
    /* statistics columns (pruning): a second block laid out the same way */
    char **stats_columns;
    size_t nstats_columns;
    uint32_t *stats_column_indexes;
    size_t nstats_column_indexes;
    size_t stats_block_size;
    void *stats_block;
} pqf_ds_opts;

struct pqf_dataset {
    pqf_allocator alc;     /* resolved: never NULL hooks */
    size_t own_bytes;      /* live bytes of the dataset's own allocations */
    size_t footer_bytes;   /* footers without their schemas, plus each schema once */

    size_t nfiles, files_cap;
    pqf_ds_file *files;
    uint64_t *rg_start;    /* nfiles + 1 cumulative row-group counts */
    uint64_t *row_start;   /* nfiles + 1 cumulative row counts */
    size_t tab_size;       /* bytes of the block holding both (set by pqf_ds_finish) */

    char *paths;           /* NUL-terminated paths back to back */
    size_t paths_len, paths_cap;

    pqf_ds_schema *schemas;
    size_t nschemas, schemas_cap;

    pqf_ds_failure *failures;
    size_t nfailures, failures_cap;

    pqf_ds_opts opts;
    char *root;            /* directory scanned for new files, or NULL */
    size_t root_size;
};

/* ------------------------------------------------------------- memory --- */

/* Counted allocations: own_bytes follows them. */
void *pqf_ds_alloc(pqf_dataset *ds, size_t size);
void pqf_ds_free(pqf_dataset *ds, void *p, size_t size);
/* Grow an array of elem-sized items to hold at least need; 0 on success. */
int pqf_ds_grow(pqf_dataset *ds, void **arr, size_t *cap, size_t need, size_t elem);

/* Transient (uncounted) allocations through the same hooks. */
void *pqf_ds_tmp_alloc(const pqf_allocator *a, size_t size);
void pqf_ds_tmp_free(const pqf_allocator *a, void *p, size_t size);

/* Transient strings: exactly strlen + 1 bytes through a, so that
 * pqf_ds_str_free() knows the size. The string must hold no NUL. */
char *pqf_ds_str_dup(const pqf_allocator *a, const char *s, size_t n);
void pqf_ds_str_free(const pqf_allocator *a, char *s);

/* A growable byte buffer (transient memory), also a pqf_write_fn sink. */
typedef struct pqf_ds_buf {
    uint8_t *p;
    size_t len, cap;
    const pqf_allocator *alc;
    int failed; /* an allocation failed; len stops growing */
} pqf_ds_buf;

void pqf_ds_buf_init(pqf_ds_buf *b, const pqf_allocator *alc);
void pqf_ds_buf_free(pqf_ds_buf *b);
/* Make room for n more bytes; 0 on success. */
int pqf_ds_buf_reserve(pqf_ds_buf *b, size_t n);
int pqf_ds_buf_put(pqf_ds_buf *b, const void *data, size_t n);
/* pqf_write_fn: ctx is a pqf_ds_buf. */
int pqf_ds_buf_write(void *ctx, const void *data, size_t len);

/* -------------------------------------------------------------- errors --- */

/* Fill err (NULL allowed) with a static message; where is copied into path. */
void pqf_ds_error(pqf_error *err, pqf_code code, const char *msg, uint64_t offset,
                  const char *where);

/* ------------------------------------------------------------ building --- */

/* An empty dataset with the given allocator (NULL = malloc). */
pqf_dataset *pqf_ds_new(const pqf_allocator *alc);
/* Record the decode options (deep copy). 0 on success. */
int pqf_ds_set_opts(pqf_dataset *ds, const pqf_options *o);
/* Fill a pqf_options view of the recorded options (pointers into ds). */
void pqf_ds_get_opts(const pqf_dataset *ds, pqf_options *o);
/* Keep a copy of dir as the dataset's root. 0 on success. */
int pqf_ds_set_root(pqf_dataset *ds, const char *dir);
/* Room for n more files and extra path bytes. 0 on success. */
int pqf_ds_reserve(pqf_dataset *ds, size_t n, size_t path_bytes);

/* What a decoded (or loaded) file brings along. */
typedef struct pqf_ds_entry {
    pqf_footer *footer;     /* taken over by the dataset on success */
    uint64_t *row_prefix;   /* allocated with pqf_ds_row_layout(), taken over too */
    uint64_t rows_per_rg;
    uint64_t rows;          /* sum of the row groups' rows */
    uint64_t size;
    int64_t mtime_ns;
    uint64_t footer_hash;
    uint32_t footer_len;
} pqf_ds_entry;

/*
 * Work out how rows are spread over f's row groups: a fixed size (no table)
 * or a prefix table allocated through a (size (nrg+1)*8). Fails with
 * PQF_ERR_MALFORMED on a negative row count, PQF_ERR_LIMIT on overflow.
 */
pqf_code pqf_ds_row_layout(const pqf_footer *f, const pqf_allocator *a, pqf_ds_entry *e,
                           pqf_error *err);
/*
 * A prefix table: block[0] = nrg, block[1 + i] = rows before row group i,
 * block[1 + nrg] = all rows. Allocated through the dataset's allocator.
 */
static inline size_t pqf_ds_prefix_size(uint64_t nrg) { return (size_t)(nrg + 2) * sizeof(uint64_t); }

/* Release what an entry holds (footer and prefix table). */
void pqf_ds_entry_clear(const pqf_allocator *a, pqf_ds_entry *e);

/*
 * Append a file. Interns its schema through *table (an open-addressing table
 * of schema ids kept by the caller; may be NULL when schema_id is given, i.e.
 * != UINT32_MAX, as when loading). On success the entry's footer and prefix
 * now belong to the dataset. Returns PQF_OK or an error code (err filled).
 */
typedef struct pqf_ds_intern {
    uint32_t *slots; /* UINT32_MAX = empty */
    size_t cap;
} pqf_ds_intern;
pqf_code pqf_ds_append(pqf_dataset *ds, const char *path, pqf_ds_entry *e, pqf_ds_intern *tab,
                       uint32_t schema_id, pqf_error *err);
void pqf_ds_intern_free(pqf_dataset *ds, pqf_ds_intern *tab);

/* Record a skipped file with its size and mtime then. msg, when not NULL,
 * is copied (for errors loaded from an index); else e->msg is kept as the
 * static string it is. 0 on success. */
int pqf_ds_add_failure(pqf_dataset *ds, const char *path, const pqf_error *e, uint64_t size,
                       int64_t mtime_ns, const char *msg, size_t msg_len);
/* Index of the recorded failure for path, or SIZE_MAX. */
size_t pqf_ds_find_failure(const pqf_dataset *ds, const char *path);
/* 1 when the failed file still has the size and mtime it failed with (or is
 * still impossible to stat, as it was): known-bad, nothing to retry. */
int pqf_ds_failure_unchanged(const pqf_ds_failure *f);

/* Trims the arrays and builds the cumulative tables and byte totals, once
 * every file is in. Called once per dataset. */
pqf_code pqf_ds_finish(pqf_dataset *ds, pqf_error *err);

/* Path of file i. */
static inline const char *pqf_ds_path(const pqf_dataset *ds, size_t i) {
    return ds->paths + ds->files[i].path_off;
}

/* ------------------------------------------------------- file access --- */

/* Decoding a batch of files in parallel (dataset_open.c). */
enum { PQF_DS_JOB_DECODE = 0, PQF_DS_JOB_COPY = 1, PQF_DS_JOB_KNOWN_BAD = 2 };
typedef struct pqf_ds_job {
    const char *path;
    /* PQF_DS_JOB_COPY: copy `from`'s file from_index instead of decoding;
     * PQF_DS_JOB_KNOWN_BAD: carry `from`'s failure from_index over as it is. */
    int reuse;
    const pqf_dataset *from;
    size_t from_index;
} pqf_ds_job;

/* Run jobs in order into ds (whose options are set). Used by open and update. */
pqf_code pqf_ds_run(pqf_dataset *ds, const pqf_ds_job *jobs, size_t njobs,
                    const pqf_dataset_options *opt, pqf_error *err);

/* The dataset files under dir (the rules are in pqfoot.h, at
 * pqf_dataset_open_dir()), sorted by path; an array of strings allocated
 * through a. Returns 0, or -1 with errno set. */
int pqf_ds_list_dir(const pqf_allocator *a, const char *dir, char ***out, size_t *n);
void pqf_ds_list_free(const pqf_allocator *a, char **list, size_t n);

/* Copy path into the caller's error_path buffer of opt, if any. */
void pqf_ds_set_error_path(const pqf_dataset_options *opt, const char *path);

/* Size and mtime of path; 0 or -1 (errno set). */
int pqf_ds_stat(const char *path, uint64_t *size, int64_t *mtime_ns);
/* XXH64 of the last len bytes of path (the footer plus its trailer). 0 or -1. */
int pqf_ds_hash_tail(const char *path, uint64_t size, uint64_t len, uint64_t *hash);

#endif
