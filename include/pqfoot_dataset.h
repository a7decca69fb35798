/*
 * pqfoot_dataset.h -- many Parquet files behind one compact index.
 *
 * The dataset layer of pqfoot: it decodes the footers of many files (in
 * parallel), interns equal schemas, addresses row groups and rows globally
 * across files, saves and loads a checked sidecar index (.pqfi,
 * docs/index-format.md), and verifies or updates that index against the
 * disk. It is built on the public footer API of pqfoot.h alone, which this
 * header includes; it lives in the same library (libpqfoot.a) and brings the
 * dependencies zstd (the index), pthread (parallel opens) and POSIX
 * directory listing.
 *
 * Conventions are pqfoot.h's (see "API conventions" there).
 *
 * Build: cc app.c $(pkg-config --cflags --libs --static pqfoot)
 */
#ifndef PQF_DATASET_H
#define PQF_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "pqfoot.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * Datasets: many files, one compact index
 * ====================================================================== */

typedef struct pqf_dataset pqf_dataset;

/**
 * Called from the opening thread when a file cannot be decoded. Return 0 to
 * skip the file (it is listed by pqf_dataset_failure_get() and saved in the
 * index as known-bad), nonzero to abort the open. With no callback the open
 * aborts at the first bad file.
 */
typedef int (*pqf_file_error_fn)(void *ctx, const char *path, const pqf_error *err);

/** pqf_dataset_options.flags */
enum {
    /**
     * "Project what exists": a projected column path (pqf_options.columns)
     * that a file lacks is left out of that file's projection instead of
     * failing the file with PQF_ERR_NO_COLUMN, for datasets whose schema grew
     * over time. pqf_dataset_file_missing() reports, per file, what it lacked.
     * A file holding none of the paths still fails (an empty projection would
     * mean "every column"); out-of-range column_indexes still fail. The flag
     * is saved in the index, so pqf_dataset_update() decodes alike.
     */
    PQF_DS_PROJECT_EXISTING = 1u << 0,
};

/**
 * Dataset options. A NULL pointer or a zeroed struct means the defaults.
 */
typedef struct pqf_dataset_options {
    pqf_options footer;       /**< decode options for every file */
    /** Decoding threads; 0 = 1. With more than one, the allocator (if any) is
     *  also called from the decoding threads and must be thread-safe. */
    uint32_t threads;
    pqf_file_error_fn on_error;
    void *on_error_ctx;
    /** Progress, called from the opening thread (may be NULL). */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    uint32_t flags;           /**< PQF_DS_* bits */
    /**
     * Optional buffer of error_path_size bytes for the path of the file that
     * made pqf_dataset_open(), _open_dir() or _update() fail (pqf_error names
     * no file). Filled with a NUL-terminated path, cut to fit, on failure: the
     * failing file, the directory that could not be listed, or "" when the
     * failure concerns no one file (out of memory, bad arguments).
     */
    char *error_path;
    size_t error_path_size;
} pqf_dataset_options;

/**
 * Decode every file's footer. Paths are kept as given, in the given order;
 * a path given more than once (the same string, byte for byte) is decoded
 * and counted once, at its first position. "a.parquet" and "./a.parquet" are
 * different strings and both kept: normalise paths first if that matters.
 * On abort returns NULL; err holds the failing file's error and
 * opt->error_path (if set) its path.
 */
pqf_dataset *pqf_dataset_open(const char *const *paths, size_t npaths,
                              const pqf_dataset_options *opt, pqf_error *err);
/**
 * The dataset files under dir, recursively, sorted by path (byte order),
 * following the rules of Spark and Arrow dataset discovery:
 * - a file counts when its name ends in ".parquet", in any letter case
 *   (".PARQUET" too), and it is a regular file or a symbolic link to one;
 * - names starting with '.' or '_' are skipped, files and directories alike:
 *   hidden files, "_SUCCESS", "_metadata", "_common_metadata", and work
 *   directories such as "_temporary/" or ".spark-staging/";
 * - subdirectories are searched (Hive-style "key=value/" ones included);
 *   symbolic links to directories are not followed (no cycles), and
 *   entries that vanish during the walk are ignored.
 * The same rules decide what pqf_dataset_verify() reports as new.
 */
pqf_dataset *pqf_dataset_open_dir(const char *dir, const pqf_dataset_options *opt, pqf_error *err);
/**
 * The files pqf_dataset_open_dir() would open under dir, by the same rules,
 * sorted by path (byte order), without decoding anything: for tools that
 * visit a dataset's files themselves. On PQF_OK *paths is an array of *count
 * NUL-terminated "dir/..." paths (NULL when *count is 0), every string and
 * the array allocated through alloc (NULL = malloc/free); release them with
 * pqf_dataset_list_free() and the same allocator. On failure *paths is NULL,
 * nothing is left allocated and err->path names dir: PQF_ERR_IO when dir or
 * a directory below it cannot be opened or read (errno tells why),
 * PQF_ERR_NOMEM, or PQF_ERR_INVALID_ARG for a NULL argument.
 */
pqf_code pqf_dataset_list_dir(const char *dir, const pqf_allocator *alloc, char ***paths,
                              size_t *count, pqf_error *err);
/** Free what pqf_dataset_list_dir() returned (paths may be NULL). */
void pqf_dataset_list_free(const pqf_allocator *alloc, char **paths, size_t count);
/** Release a dataset: its footers, paths and tables. NULL is allowed. */
void pqf_dataset_free(pqf_dataset *ds);

/** Files that were skipped, with their errors (also those loaded from an
 *  index, where they were saved as known-bad). */
size_t pqf_dataset_failure_count(const pqf_dataset *ds);

/** A skipped file: pqf_dataset_failure_get(). */
typedef struct pqf_dataset_failure {
    const char *path;  /**< NUL-terminated, owned by the dataset */
    /** The error that made it skipped. For an index-loaded dataset error.msg
     *  points into the dataset and lives as long as it does. */
    pqf_error error;
} pqf_dataset_failure;

/** Fill *out with skipped file i. Returns PQF_OK, or PQF_ERR_INVALID_ARG
 *  when i is out of range or a pointer is NULL. */
pqf_code pqf_dataset_failure_get(const pqf_dataset *ds, size_t i, pqf_dataset_failure *out);

/** Number of files held (decoded, not skipped). */
size_t pqf_dataset_file_count(const pqf_dataset *ds);

/** One file of a dataset: pqf_dataset_file_get(). Pointers are owned by the
 *  dataset and live as long as it does. */
typedef struct pqf_dataset_file {
    const char *path;          /**< as given, or joined to an index's directory */
    const pqf_footer *footer;  /**< its decoded (or loaded) footer */
    uint64_t first_row_group;  /**< global index of its first row group */
    uint64_t first_row;        /**< global index of its first row */
} pqf_dataset_file;

/** Fill *out with file `file` (0 .. pqf_dataset_file_count() - 1, in the
 *  order given or listed). Returns PQF_OK, or PQF_ERR_INVALID_ARG when file
 *  is out of range or a pointer is NULL. */
pqf_code pqf_dataset_file_get(const pqf_dataset *ds, size_t file, pqf_dataset_file *out);
/**
 * Projected column paths (the dataset's recorded pqf_options.columns) that
 * file lacks: with PQF_DS_PROJECT_EXISTING the columns left out of its
 * projection. Stores up to max of them in names (pointers into ds; names may
 * be NULL with max 0) and sets *count to how many there are (0 for a file
 * that has them all). Returns PQF_OK, or PQF_ERR_INVALID_ARG when file is
 * out of range or a needed pointer is NULL.
 */
pqf_code pqf_dataset_file_missing(const pqf_dataset *ds, size_t file, const char **names,
                                  size_t max, size_t *count);
/** Distinct schemas held. */
size_t pqf_dataset_schema_count(const pqf_dataset *ds);
/** Row groups of all files: the range of global row group indexes. */
uint64_t pqf_dataset_row_group_count(const pqf_dataset *ds);
/** Rows of all files' row groups: the range of global row indexes. */
uint64_t pqf_dataset_row_count(const pqf_dataset *ds);
/** Global row group -> (file, row group). O(log files). */
pqf_code pqf_dataset_locate_row_group(const pqf_dataset *ds, uint64_t global_rg, size_t *file,
                                      size_t *rg);
/** Global row -> (file, row group, row within it). O(log files + log row groups). */
pqf_code pqf_dataset_locate_row(const pqf_dataset *ds, uint64_t global_row, size_t *file,
                                size_t *rg, uint64_t *row_in_group);
/** Exact bytes the dataset holds (footers, shared schemas, paths, tables,
 *  and the records of skipped files). */
size_t pqf_dataset_bytes(const pqf_dataset *ds);

/**
 * Write the sidecar index (docs/index-format.md) atomically. Paths below the
 * index's directory are stored relative to it and come back joined to the
 * index path's directory as written. Skipped files are saved too, with their
 * error, size and mtime, as known-bad: verify and update leave them alone
 * until they change.
 */
pqf_code pqf_dataset_save(const pqf_dataset *ds, const char *index_path, pqf_error *err);
/** Load a sidecar index; every checksum and bound is checked. */
pqf_dataset *pqf_dataset_load(const char *index_path, const pqf_allocator *alloc, pqf_error *err);

/** pqf_dataset_verify() results per file. */
enum { PQF_FILE_OK = 0, PQF_FILE_STALE = 1, PQF_FILE_MISSING = 2, PQF_FILE_NEW = 3 };
/**
 * Compare the index with the files on disk: size and mtime (thorough = 0) or
 * also each footer's XXH64 (thorough = 1). fn is called once per file that is
 * not PQF_FILE_OK (new files: those under the dataset's directory, by the
 * pqf_dataset_open_dir() rules, not in it). A known-bad (skipped) file is
 * not reported while its size and mtime stay as recorded; once they change
 * it is PQF_FILE_STALE, once it is gone PQF_FILE_MISSING.
 * Returns PQF_OK when the check ran (whatever it found).
 */
pqf_code pqf_dataset_verify(const pqf_dataset *ds, int thorough,
                            void (*fn)(void *ctx, const char *path, int status), void *ctx,
                            pqf_error *err);
/**
 * Re-decode stale and new files, drop missing ones; returns a new dataset.
 * Files are decoded with the options recorded in ds (projection, statistics
 * columns, keep flags, PQF_DS_PROJECT_EXISTING; all saved in an index); opt supplies only threads, callbacks,
 * error_path and the allocator. Unchanged known-bad files stay known-bad
 * without being decoded again (and without an on_error call); changed ones
 * are decoded again like any stale file.
 */
pqf_dataset *pqf_dataset_update(const pqf_dataset *ds, const pqf_dataset_options *opt,
                                pqf_error *err);

/*
 * Threads: a pqf_dataset is immutable once open, load or update returns it;
 * any number of threads may call the const functions above on it at once.
 * pqf_dataset_free() must not race with them. Open/update run their
 * callbacks on the calling thread.
 */

/* ======================================================================
 * Pruning and slicing across a dataset
 * ====================================================================== */

/**
 * Prune across a dataset: may_match has pqf_dataset_row_group_count(ds) bytes,
 * in global row group order, answered from the footers' kept statistics (no
 * file is read; bloom filters are not probed). The predicate is bound once for
 * consecutive footers that share a schema, writer and statistics columns.
 */
pqf_code pqf_dataset_prune(const pqf_dataset *ds, const pqf_pred *p, uint8_t *may_match, pqf_error *err);

/**
 * pqf_footer_slice() of global row group global_rg of a dataset (also one
 * loaded from a .pqfi, without the source footer): one row group, the given
 * leaf columns of its file (none = every projected column). With
 * PQF_SLICE_STATS the statistics the dataset's footer options kept
 * (stats_columns; a .pqfi carries them) are written for those columns.
 * The data lives in the row group's file (pqf_dataset_file_get()'s path).
 * Memory comes from that file's footer's allocator: the dataset's
 * (pqf_dataset_options.footer.allocator, or pqf_dataset_load()'s alloc).
 */
pqf_code pqf_dataset_slice(const pqf_dataset *ds, uint64_t global_rg,
                           const uint32_t *columns, size_t num_columns, uint32_t flags,
                           pqf_write_fn write, void *ctx, pqf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* PQF_DATASET_H */
