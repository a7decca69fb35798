/*
 * pqfoot.h -- read Apache Parquet footers in a small fraction of their size.
 *
 * A Parquet file ends with its footer: a Thrift-compact-encoded FileMetaData,
 * its length as a little-endian u32, and the magic "PAR1". pqfoot decodes that
 * footer by hand and keeps only what a loader needs -- the schema, the row
 * groups and the byte ranges of every column chunk -- in one compact block of
 * memory. Statistics, encodings lists and key-value metadata are skipped
 * unless an option asks for them.
 *
 * Ownership: a pqf_footer owns everything it returns. Strings (pqf_str) point
 * into the footer's own memory, never into the caller's input, so the input
 * buffer may be freed as soon as a decode call returns. One pqf_footer_free()
 * releases it all.
 *
 * Threads: there is no global state. A pqf_footer is immutable after decode
 * and may be read from any number of threads at once; distinct decodes may run
 * concurrently. A pqf_dataset likewise (pqfoot_dataset.h).
 *
 * API conventions (this header and pqfoot_dataset.h):
 * - Constructors (decode, load, open, parse, new, the predicate builders)
 *   return the new object, or NULL on failure. Those that can fail for more
 *   than a NULL argument or lack of memory take a last pqf_error *err
 *   (NULL allowed) saying why. Each object has one *_free() that accepts NULL.
 * - Everything else that can fail -- a lookup by index or by name, an
 *   action (write, save, slice, evaluate) -- returns a pqf_code (PQF_OK is
 *   0) and hands its result back through out parameters, to be read only
 *   after PQF_OK: pqf_column_get(f, col, &column),
 *   pqf_column_find(f, "a.b", &col). An index out of range or a NULL pointer
 *   gives PQF_ERR_INVALID_ARG; a name that is not there PQF_ERR_NO_COLUMN.
 *   Those that read or check untrusted input also take a last
 *   pqf_error *err for the message, byte offset and field path.
 * - Counts, sizes, hashes, flags and other properties that every object has
 *   return their value directly, 0 for a NULL object: pqf_column_count(f),
 *   pqf_footer_bytes(f). Yes/no answers of that kind return int 1 or 0
 *   (pqf_footer_schema_equal()). A list that cannot fail fills up to max
 *   entries and returns how many there are (pqf_pred_columns()).
 * - Optional members of a returned struct: its `has` field tells which were
 *   present, one bit per member; pqf_str members use ptr NULL for absent.
 * - Names: functions are pqf_<object>_<verb or property>. Constants are
 *   PQF_<GROUP>_<NAME>, one group per enum: PQF_TYPE_* (physical type),
 *   PQF_REP_* (repetition), PQF_CT_* (converted type), PQF_LT_* (logical
 *   type), PQF_UNIT_*, PQF_ORDER_*, PQF_SORT_*, PQF_OP_*, PQF_VAL_*,
 *   PQF_ERR_* (pqf_code), PQF_SLICE_*, PQF_SLIM_*, PQF_DS_*, PQF_FILE_*
 *   (verify results). The `has` bits of a struct carry its short name:
 *   PQF_SE_* (pqf_schema_element), PQF_RG_* (pqf_row_group), PQF_CH_*
 *   (pqf_chunk), PQF_ST_* (pqf_stats); the footer's flags are
 *   PQF_FOOTER_HAS_*. The decode option flags (pqf_options.flags) are
 *   PQF_KEEP_* plus PQF_NO_PATH_CHECK and PQF_PORTABLE.
 *
 * Quick start:
 *
 *     #include <pqfoot.h>
 *     #include <stdio.h>
 *
 *     int main(int argc, char **argv) {
 *         if (argc != 2) return fprintf(stderr, "usage: app FILE.parquet\n"), 2;
 *         pqf_error err;
 *         pqf_footer *f = pqf_footer_decode_file(argv[1], NULL, &err);
 *         if (!f) {
 *             fprintf(stderr, "%s: %s (byte %llu of footer) %s\n", argv[1], err.msg,
 *                     (unsigned long long)err.offset, err.path);
 *             return 1;
 *         }
 *         for (size_t rg = 0; rg < pqf_row_group_count(f); rg++) {
 *             for (size_t col = 0; col < pqf_column_count(f); col++) {
 *                 pqf_chunk c;
 *                 pqf_column lc;
 *                 if (pqf_chunk_get(f, rg, col, &c) == PQF_OK && (c.has & PQF_CH_META) &&
 *                     pqf_column_get(f, col, &lc) == PQF_OK)
 *                     printf("rg %zu %s: bytes %lld+%lld\n", rg, lc.path.ptr,
 *                            (long long)c.start, (long long)c.length);
 *             }
 *         }
 *         printf("retained %zu of %llu footer bytes\n", pqf_footer_bytes(f),
 *                (unsigned long long)pqf_footer_serialized_size(f));
 *         pqf_footer_free(f);
 *         return 0;
 *     }
 *
 * Build: cc app.c $(pkg-config --cflags --libs --static pqfoot)
 * (only the static library is installed; --static adds zstd, xxhash and -pthread)
 */
#ifndef PQF_H
#define PQF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * Version
 * ====================================================================== */

#define PQF_VERSION_MAJOR 0
#define PQF_VERSION_MINOR 1
#define PQF_VERSION_PATCH 0
#define PQF_VERSION_STRING "0.1.0"

/** The library's version string, e.g. "0.1.0". */
const char *pqf_version(void);

/**
 * The decoding path this process takes by default: "avx512" on x86-64 CPUs
 * (and OSes) with AVX-512 F, BW, VL and VBMI (and BMI1/2), chosen at run time, else
 * "portable". Both give the same results and errors; PQF_PORTABLE forces the
 * portable one. For logs and benchmark reports.
 */
const char *pqf_decode_path(void);

/* ======================================================================
 * Limits and defaults
 * ====================================================================== */

/** Default bound on nesting. Every struct, decoded or skipped, counts one level,
 *  and so does every list, set or map skipped by its wire type (a field this
 *  version does not know). Lists do not count when pqfoot reads them by their
 *  declared type, as Thrift's generated readers do: those it decodes itself
 *  (schema, row_groups, columns, ...) and known ones it skips by their
 *  declared shape (encoding_stats, column_orders, statistics lists, ...),
 *  whose struct elements still count. */
#define PQF_DEFAULT_MAX_DEPTH 64
/** Hard ceiling for pqf_options.max_depth. */
#define PQF_MAX_DEPTH_LIMIT 1024
/** Default speculative tail read by the file and reader entry points. */
#define PQF_DEFAULT_TAIL_SIZE (64u * 1024u)
/**
 * Default memory cap of one decode (transient work memory plus the retained
 * model): PQF_DEFAULT_MEM_PER_FOOTER_BYTE bytes per footer byte plus
 * PQF_DEFAULT_MEM_BASE. A decode that would need more fails with PQF_ERR_LIMIT.
 * The file and reader entry points also hold the bytes they read (the footer
 * and up to tail_size more) while decoding; the cap does not count those.
 */
#define PQF_DEFAULT_MEM_PER_FOOTER_BYTE 32u
#define PQF_DEFAULT_MEM_BASE (1u << 20)
/** The longest footer a Parquet file can have (its length field is a u32):
 *  pqf_footer_decode() refuses a longer blob with PQF_ERR_LIMIT; the tail,
 *  file and reader entry points cannot meet one. */
#define PQF_MAX_FOOTER_SIZE 0xFFFFFFFFu

/* ======================================================================
 * Errors
 * ====================================================================== */

/** Stable error codes. Values never change; new codes are only appended. */
typedef enum pqf_code {
    PQF_OK = 0,
    PQF_ERR_IO = 1,               /**< reading the file or the callback failed (see pqf_error) */
    PQF_ERR_NOT_PARQUET = 2,      /**< no "PAR1" magic, or a footer length that cannot be */
    PQF_ERR_TRUNCATED = 3,        /**< the bytes end before the footer does */
    PQF_ERR_MALFORMED = 4,        /**< bytes that are not a valid footer */
    PQF_ERR_DEPTH = 5,            /**< nesting deeper than max_depth */
    PQF_ERR_LIMIT = 6,            /**< a count, length or the memory cap is exceeded */
    PQF_ERR_MISSING_REQUIRED = 7, /**< a required Thrift field is absent */
    PQF_ERR_ENCRYPTED = 8,        /**< encrypted footer ("PARE" magic) */
    PQF_ERR_NOMEM = 9,            /**< the allocator returned NULL */
    PQF_ERR_INVALID_ARG = 10,     /**< bad argument from the caller */
    PQF_ERR_NO_COLUMN = 11,       /**< a projected column is not in the schema */
    PQF_ERR__COUNT                /**< number of codes; not a code */
} pqf_code;

/**
 * What went wrong, filled by every decode entry point (pass NULL if you do
 * not care). On success code is PQF_OK, msg is "ok" and the rest is zero.
 */
typedef struct pqf_error {
    pqf_code code;
    /** Static English message; never NULL after a call, never to be freed. */
    const char *msg;
    /** Byte offset from the start of the footer where decoding stopped. */
    uint64_t offset;
    /**
     * PQF_ERR_TRUNCATED from pqf_footer_decode_tail(): how many bytes of the
     * file's tail are needed (footer + 8). Zero otherwise.
     */
    uint64_t needed;
    /**
     * Field path of the failure where known, e.g.
     * "row_groups[12].columns[3].meta_data.total_compressed_size"; "" if not.
     */
    char path[192];
} pqf_error;

/*
 * errno after PQF_ERR_IO: pqf_footer_decode_file() and the dataset functions
 * that touch files leave the reason in errno -- what the failing system call
 * set (open, fstat, pread, readdir, rename, ...), EIO for a file shorter than
 * its size, EISDIR or EINVAL for a directory or another non-regular file --
 * so strerror(errno) may be shown right after the call (later calls may
 * change it). After a failing pqf_read_fn or pqf_write_fn, errno is what the
 * callback left. errno means nothing after other codes.
 */

/** Short identifier of a code, e.g. "PQF_ERR_TRUNCATED"; never NULL. */
const char *pqf_code_name(pqf_code code);
/** One-line description of a code; never NULL. */
const char *pqf_strerror(pqf_code code);

/* ======================================================================
 * Allocator
 * ====================================================================== */

/**
 * Optional allocator hooks. alloc returns NULL on failure (the decode then
 * fails with PQF_ERR_NOMEM and frees what it took); free receives the size
 * that was requested. Both are called from the decoding thread only.
 */
typedef struct pqf_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void (*free)(void *ctx, void *ptr, size_t size);
    void *ctx;
} pqf_allocator;

/** The hooks pqfoot calls for alc: *alc when both hooks are set, else
 *  malloc/free (whose alloc returns a valid pointer for size 0). For code that
 *  allocates on behalf of a caller who passed an optional allocator. */
pqf_allocator pqf_allocator_resolve(const pqf_allocator *alc);

/* ======================================================================
 * Options
 * ====================================================================== */

/** pqf_options.flags */
enum {
    PQF_KEEP_PAGE_INDEX = 1u << 0, /**< keep offset/column index offset+length */
    PQF_KEEP_BLOOM = 1u << 1,      /**< keep bloom filter offset+length */
    PQF_KEEP_KV = 1u << 2,         /**< keep the file's key_value_metadata */
    PQF_NO_PATH_CHECK = 1u << 3,   /**< do not check path_in_schema against the schema */
    /** Use only the portable decoder, not the AVX-512 path that x86-64 CPUs
     *  with AVX-512 VBMI take by default. Results and errors are the same
     *  either way; this is for comparing the two and for measuring. */
    PQF_PORTABLE = 1u << 4,
};

/**
 * Decode options. A NULL pointer or a zeroed struct means the defaults. Zero
 * in a numeric field means "default", never "unlimited".
 */
typedef struct pqf_options {
    uint32_t flags;           /**< PQF_KEEP_* / PQF_NO_* bits */
    uint32_t max_depth;       /**< nesting bound; 0 = PQF_DEFAULT_MAX_DEPTH */
    uint64_t max_memory;      /**< memory cap in bytes; 0 = the default cap */
    uint32_t tail_size;       /**< speculative tail read; 0 = PQF_DEFAULT_TAIL_SIZE */
    /**
     * Projection. When both lists are empty every column is kept. A path names
     * a leaf ("a.b.c") or a group, which selects every leaf below it. Indexes
     * are leaf column indexes. Only the chunks of projected columns are
     * stored; the schema is always kept whole.
     */
    const char *const *columns;
    size_t num_columns;
    const uint32_t *column_indexes;
    size_t num_column_indexes;
    const pqf_allocator *allocator; /**< NULL = malloc/free */
    /**
     * Statistics columns, for pruning (docs/prune.md): paths (a group selects
     * every leaf below it) and leaf indexes whose chunks' Statistics, num_values
     * and bloom filter location are kept, independent of the projection above.
     * When any is named, the decode walks the footer a second time to collect
     * them; the kept values count in pqf_footer_bytes() and max_memory.
     */
    const char *const *stats_columns;
    size_t num_stats_columns;
    const uint32_t *stats_column_indexes;
    size_t num_stats_column_indexes;
} pqf_options;

/* ======================================================================
 * Decoding
 * ====================================================================== */

typedef struct pqf_footer pqf_footer;

/**
 * Decode a FileMetaData blob: exactly the footer bytes, without the trailing
 * length and magic. No file size is known, so chunk offsets are only checked
 * for sign. Returns NULL and fills err on failure.
 */
pqf_footer *pqf_footer_decode(const void *footer, size_t len, const pqf_options *opt,
                              pqf_error *err);

/**
 * Decode from the last tail_len bytes of a file whose total size is file_size.
 * With file_size known, every kept offset and byte range is checked against
 * the file (ranges must end before the footer); with file_size 0 (unknown)
 * only their signs are. Checks the "PAR1" magic and the length. When the tail
 * is too short, fails with PQF_ERR_TRUNCATED and sets err->needed to the tail
 * length required; read that many bytes and retry. "PARE" gives
 * PQF_ERR_ENCRYPTED.
 */
pqf_footer *pqf_footer_decode_tail(const void *tail, size_t tail_len, uint64_t file_size,
                                   const pqf_options *opt, pqf_error *err);

/**
 * Decode the footer of the file at path: one pread of a speculative tail
 * (opt->tail_size), a second only when the footer is longer.
 */
pqf_footer *pqf_footer_decode_file(const char *path, const pqf_options *opt, pqf_error *err);

/**
 * pread-style callback for object stores and custom I/O: read exactly len
 * bytes at offset into buf; return 0 on success, nonzero on failure.
 */
typedef int (*pqf_read_fn)(void *ctx, uint64_t offset, void *buf, size_t len);

/** Decode the footer of a file of file_size bytes read through fn. */
pqf_footer *pqf_footer_decode_reader(pqf_read_fn fn, void *ctx, uint64_t file_size,
                                     const pqf_options *opt, pqf_error *err);

/** Release a footer and everything it owns. NULL is allowed. */
void pqf_footer_free(pqf_footer *f);

/* ----------------------------------------------------------------------
 * Reusable decoder contexts
 * ---------------------------------------------------------------------- */

/**
 * A decoder context keeps a decode's work memory (read buffers, layout
 * templates, staged values) for the next decode, as zstd's ZSTD_DCtx does.
 * A process that decodes many footers, or a thread of a dataset open, should
 * make one context and pass it to every decode: wide footers then no longer
 * fault fresh pages in on each decode. Decoding with a context gives exactly
 * the results and errors of the plain entry points; max_memory still counts
 * every work byte a decode uses, cached or not. A context is used by one
 * thread at a time; distinct contexts are independent. It holds no footer:
 * footers outlive it and are freed with pqf_footer_free() as always.
 */
typedef struct pqf_dctx pqf_dctx;

/**
 * New context; alloc (NULL = malloc/free) provides its work memory, which it
 * keeps until pqf_dctx_free(). Footers decoded with it come from the
 * options' allocator as usual. NULL when out of memory.
 *
 * With alloc NULL on Linux (64-bit), the work memory of footers of 1 MiB and
 * more, and of any decode past its first 512 KiB of work, comes from one
 * range of address space the context reserves (1 GiB, not committed) with
 * transparent huge pages advised: only what decodes touch becomes memory,
 * 2 MiB at a time, so a first decode takes a few page faults instead of
 * thousands (smaller work stays in 4 KiB pages: a 2 MiB page costs as much
 * as about 60 of them). The plain entry points make a context of their own
 * when a decode's work grows that large. Sanitizer builds keep malloc.
 */
pqf_dctx *pqf_dctx_new(const pqf_allocator *alloc);
/** Release the context and the work memory it keeps. NULL is allowed. */
void pqf_dctx_free(pqf_dctx *ctx);
/** Bytes of work memory the context keeps between decodes (of the reserved
 *  range: the most a decode used). */
size_t pqf_dctx_bytes(const pqf_dctx *ctx);

/** pqf_footer_decode() with ctx's work memory (ctx NULL: the same as it). */
pqf_footer *pqf_dctx_decode(pqf_dctx *ctx, const void *footer, size_t len, const pqf_options *opt,
                            pqf_error *err);
/** pqf_footer_decode_tail() with ctx's work memory. */
pqf_footer *pqf_dctx_decode_tail(pqf_dctx *ctx, const void *tail, size_t tail_len, uint64_t file_size,
                                 const pqf_options *opt, pqf_error *err);
/** pqf_footer_decode_file() with ctx's work memory (the read buffers too). */
pqf_footer *pqf_dctx_decode_file(pqf_dctx *ctx, const char *path, const pqf_options *opt, pqf_error *err);
/** pqf_footer_decode_reader() with dctx's work memory. */
pqf_footer *pqf_dctx_decode_reader(pqf_dctx *dctx, pqf_read_fn fn, void *ctx, uint64_t file_size,
                                   const pqf_options *opt, pqf_error *err);

/* ======================================================================
 * File-level fields
 * ====================================================================== */

/** A length-delimited string owned by the footer. ptr is NUL-terminated
 *  (the byte at ptr[len] is 0), may contain NULs, and is NULL if absent. */
typedef struct pqf_str {
    const char *ptr;
    size_t len;
} pqf_str;

/** pqf_footer_flags() */
enum {
    PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM = 1u << 0, /**< field 8 present */
    PQF_FOOTER_HAS_SIGNING_KEY = 1u << 1,          /**< field 9 present */
    PQF_FOOTER_HAS_COLUMN_CRYPTO = 1u << 2,        /**< some chunk has crypto_metadata */
    PQF_FOOTER_HAS_CREATED_BY = 1u << 3,
    PQF_FOOTER_HAS_KV = 1u << 4,                   /**< key_value_metadata present (kept or not) */
};

/** FileMetaData.version. */
int32_t pqf_footer_version(const pqf_footer *f);
/** FileMetaData.num_rows, as written. */
int64_t pqf_footer_num_rows(const pqf_footer *f);
/** created_by; ptr NULL if absent. */
pqf_str pqf_footer_created_by(const pqf_footer *f);
/** Length of the serialized FileMetaData that was decoded. */
uint64_t pqf_footer_serialized_size(const pqf_footer *f);
/** File size if known (file, reader, tail with a size), else 0. */
uint64_t pqf_footer_file_size(const pqf_footer *f);
/** PQF_FOOTER_HAS_* bits. */
uint32_t pqf_footer_flags(const pqf_footer *f);
/** Exact bytes this footer holds (its whole retained memory). */
size_t pqf_footer_bytes(const pqf_footer *f);
/** The options' flags the footer was decoded with. */
uint32_t pqf_footer_options(const pqf_footer *f);

/** pqf_column_order() */
enum {
    PQF_ORDER_ABSENT = 0,       /**< the footer has no column_orders */
    PQF_ORDER_TYPE_DEFINED = 1, /**< TypeDefinedOrder */
    PQF_ORDER_UNKNOWN = 2       /**< an order this version does not know, or none for the column */
};
/** Number of FileMetaData.column_orders entries (one per leaf column in a
 *  well-formed file); 0 when absent. Always kept (slices write them back). */
size_t pqf_column_order_count(const pqf_footer *f);
/** Set *order to the ColumnOrder of leaf col (PQF_ORDER_*): PQF_ORDER_ABSENT
 *  when the footer has no column_orders, PQF_ORDER_UNKNOWN for an entry
 *  without a member this version knows or a leaf past the list's end.
 *  Returns PQF_OK, or PQF_ERR_INVALID_ARG when col is not a leaf column
 *  (col >= pqf_column_count(f)) or a pointer is NULL. */
pqf_code pqf_column_order(const pqf_footer *f, size_t col, int *order);

/** Key-value metadata, kept only with PQF_KEEP_KV; 0 otherwise. */
size_t pqf_kv_count(const pqf_footer *f);
/** Entry i; value.ptr is NULL when the value is absent. Returns PQF_OK or
 *  PQF_ERR_INVALID_ARG when i is out of range. */
pqf_code pqf_kv_get(const pqf_footer *f, size_t i, pqf_str *key, pqf_str *value);

/* ======================================================================
 * Schema
 * ====================================================================== */

/** Physical types (Parquet Type). */
enum {
    PQF_TYPE_BOOLEAN = 0, PQF_TYPE_INT32 = 1, PQF_TYPE_INT64 = 2, PQF_TYPE_INT96 = 3, PQF_TYPE_FLOAT = 4,
    PQF_TYPE_DOUBLE = 5, PQF_TYPE_BYTE_ARRAY = 6, PQF_TYPE_FIXED_LEN_BYTE_ARRAY = 7
};
/** Repetition (FieldRepetitionType). */
enum { PQF_REP_REQUIRED = 0, PQF_REP_OPTIONAL = 1, PQF_REP_REPEATED = 2 };
/** Converted types (ConvertedType), the annotation older writers use in place of
 *  a LogicalType. Values this version does not know come through as written. */
enum {
    PQF_CT_UTF8 = 0, PQF_CT_MAP = 1, PQF_CT_MAP_KEY_VALUE = 2, PQF_CT_LIST = 3, PQF_CT_ENUM = 4,
    PQF_CT_DECIMAL = 5, PQF_CT_DATE = 6, PQF_CT_TIME_MILLIS = 7, PQF_CT_TIME_MICROS = 8,
    PQF_CT_TIMESTAMP_MILLIS = 9, PQF_CT_TIMESTAMP_MICROS = 10, PQF_CT_UINT_8 = 11, PQF_CT_UINT_16 = 12,
    PQF_CT_UINT_32 = 13, PQF_CT_UINT_64 = 14, PQF_CT_INT_8 = 15, PQF_CT_INT_16 = 16, PQF_CT_INT_32 = 17,
    PQF_CT_INT_64 = 18, PQF_CT_JSON = 19, PQF_CT_BSON = 20, PQF_CT_INTERVAL = 21
};

/** Logical type kinds: the LogicalType union's field ids. */
enum {
    PQF_LT_NONE = 0, PQF_LT_STRING = 1, PQF_LT_MAP = 2, PQF_LT_LIST = 3, PQF_LT_ENUM = 4,
    PQF_LT_DECIMAL = 5, PQF_LT_DATE = 6, PQF_LT_TIME = 7, PQF_LT_TIMESTAMP = 8,
    PQF_LT_INTEGER = 10, PQF_LT_UNKNOWN = 11, PQF_LT_JSON = 12, PQF_LT_BSON = 13,
    PQF_LT_UUID = 14, PQF_LT_FLOAT16 = 15, PQF_LT_VARIANT = 16, PQF_LT_GEOMETRY = 17,
    PQF_LT_GEOGRAPHY = 18, PQF_LT_FILE = 19,
    /** logicalType present but no member this version knows (kind unknown). */
    PQF_LT_UNRECOGNIZED = 255
};
/** Time units of TIME / TIMESTAMP (TimeUnit union field ids); 0 = none given. */
enum { PQF_UNIT_MILLIS = 1, PQF_UNIT_MICROS = 2, PQF_UNIT_NANOS = 3 };

/** A LogicalType with its parameters; only the members of `kind` are meaningful. */
typedef struct pqf_logical_type {
    uint8_t kind;             /**< PQF_LT_* */
    uint8_t unit;             /**< TIME/TIMESTAMP: PQF_UNIT_*, 0 if the union was empty */
    uint8_t is_adjusted_to_utc; /**< TIME/TIMESTAMP */
    uint8_t is_signed;        /**< INTEGER */
    int8_t bit_width;         /**< INTEGER */
    uint8_t has_variant_version; /**< VARIANT: specification_version present */
    int8_t variant_version;   /**< VARIANT */
    uint8_t has_algorithm;    /**< GEOGRAPHY: algorithm present */
    int32_t scale, precision; /**< DECIMAL */
    int32_t algorithm;        /**< GEOGRAPHY: EdgeInterpolationAlgorithm */
    pqf_str crs;              /**< GEOMETRY/GEOGRAPHY; ptr NULL if absent */
} pqf_logical_type;

/** pqf_schema_element.has: which optional fields were present. */
enum {
    PQF_SE_TYPE = 1u << 0, PQF_SE_TYPE_LENGTH = 1u << 1, PQF_SE_REPETITION = 1u << 2,
    PQF_SE_NUM_CHILDREN = 1u << 3, PQF_SE_CONVERTED_TYPE = 1u << 4, PQF_SE_SCALE = 1u << 5,
    PQF_SE_PRECISION = 1u << 6, PQF_SE_FIELD_ID = 1u << 7, PQF_SE_LOGICAL_TYPE = 1u << 8
};

/** One SchemaElement, as written, plus its place in the tree. */
typedef struct pqf_schema_element {
    pqf_str name;
    uint32_t has;             /**< PQF_SE_* bits */
    int32_t type;             /**< PQF_TYPE_BOOLEAN..., if PQF_SE_TYPE */
    int32_t type_length;
    int32_t repetition;       /**< PQF_REP_REQUIRED..., if PQF_SE_REPETITION */
    int32_t num_children;
    int32_t converted_type;   /**< PQF_CT_*, if PQF_SE_CONVERTED_TYPE */
    int32_t scale, precision, field_id;
    pqf_logical_type logical; /**< kind PQF_LT_NONE if absent */
    int32_t parent;           /**< index of the parent element; -1 for the root */
    int32_t column;           /**< leaf column index, -1 for groups */
    uint16_t depth;           /**< 0 for the root */
    int16_t max_def, max_rep; /**< definition/repetition levels at this node */
} pqf_schema_element;

/** Number of SchemaElements (root included). */
size_t pqf_schema_count(const pqf_footer *f);
/**
 * Fill *out with element i in file order. The footer keeps its schema in a
 * compact form and derives this view on request (depth and levels walk up
 * the tree, the column index is a binary search): copy what you use in a
 * loop. out->name and out->logical.crs point into the footer's memory.
 * Returns PQF_OK, or PQF_ERR_INVALID_ARG when i is out of range or a
 * pointer is NULL.
 */
pqf_code pqf_schema_get(const pqf_footer *f, size_t i, pqf_schema_element *out);

/** A leaf column. */
typedef struct pqf_column {
    pqf_str path;             /**< dotted path from below the root, "a.b.c" */
    uint32_t schema_index;    /**< its SchemaElement */
    int16_t max_def, max_rep;
    int32_t type;             /**< physical type (-1 if the leaf has none) */
    uint8_t projected;        /**< 1 when its chunks are stored */
} pqf_column;

/** Number of leaf columns. */
size_t pqf_column_count(const pqf_footer *f);
/**
 * Fill *out with leaf column col (derived on request, O(depth)); out->path
 * points into the footer's memory. Returns PQF_OK, or PQF_ERR_INVALID_ARG
 * when col is out of range or a pointer is NULL.
 */
pqf_code pqf_column_get(const pqf_footer *f, size_t col, pqf_column *out);
/**
 * Set *col to the leaf index of a dotted path ("a.b.c", exactly a leaf's).
 * Returns PQF_OK, PQF_ERR_NO_COLUMN when no leaf has that path, or
 * PQF_ERR_INVALID_ARG when a pointer is NULL.
 */
pqf_code pqf_column_find(const pqf_footer *f, const char *dotted_path, size_t *col);
/**
 * The path of leaf col as its names (path_in_schema): writes up to max parts
 * (parts may be NULL when max is 0) and sets *depth to the path's depth, which
 * may exceed max. Returns PQF_OK, or PQF_ERR_INVALID_ARG when col is out of
 * range or a needed pointer is NULL.
 */
pqf_code pqf_column_path_parts(const pqf_footer *f, size_t col, pqf_str *parts, size_t max,
                               size_t *depth);
/** Number of projected leaf columns (= pqf_column_count without projection). */
size_t pqf_projected_count(const pqf_footer *f);

/* ======================================================================
 * Row groups and column chunks
 * ====================================================================== */

/** pqf_row_group.has: which optional RowGroup fields were present. */
enum { PQF_RG_FILE_OFFSET = 1u << 0, PQF_RG_TOTAL_COMPRESSED_SIZE = 1u << 1,
       PQF_RG_ORDINAL = 1u << 2 };

/** One RowGroup's own fields. */
typedef struct pqf_row_group {
    int64_t num_rows;
    int64_t total_byte_size;
    int64_t file_offset;           /**< if PQF_RG_FILE_OFFSET */
    int64_t total_compressed_size; /**< if PQF_RG_TOTAL_COMPRESSED_SIZE */
    int32_t ordinal;               /**< if PQF_RG_ORDINAL */
    uint32_t has;                  /**< PQF_RG_* */
} pqf_row_group;

/** Number of row groups. */
size_t pqf_row_group_count(const pqf_footer *f);
/** Fills *out; PQF_ERR_INVALID_ARG when rg is out of range. */
pqf_code pqf_row_group_get(const pqf_footer *f, size_t rg, pqf_row_group *out);

/** pqf_chunk.has */
enum {
    PQF_CH_META = 1u << 0,        /**< ColumnMetaData present (absent: encrypted column) */
    PQF_CH_DICT = 1u << 1,        /**< dictionary_page_offset present */
    PQF_CH_FILE_PATH = 1u << 2,
    PQF_CH_CRYPTO = 1u << 3,      /**< crypto_metadata present */
    PQF_CH_OI_OFFSET = 1u << 4, PQF_CH_OI_LENGTH = 1u << 5,
    PQF_CH_CI_OFFSET = 1u << 6, PQF_CH_CI_LENGTH = 1u << 7,
    PQF_CH_BLOOM_OFFSET = 1u << 8, PQF_CH_BLOOM_LENGTH = 1u << 9,
};

/** One column chunk, decompressed from the compact model. */
typedef struct pqf_chunk {
    /** Byte range to read: the dictionary page when there is one (offset > 0
     *  and before the data page), else the first data page; length is
     *  total_compressed_size. Zero when there is no ColumnMetaData.
     *
     *  The range is the metadata as written, never widened. Some old writers
     *  got it wrong: parquet-mr before 1.2.9 (PARQUET-816; created_by
     *  "parquet-mr version X.Y.Z", or "parquet-mr" without a version) could
     *  put the dictionary page at data_page_offset without a
     *  dictionary_page_offset and leave that page's header out of
     *  total_compressed_size, so the range ends a few bytes short (15 in
     *  parquet-testing's nation.dict-malformed.parquet). Arrow C++ reads up
     *  to 100 bytes more after such a chunk, never past the end of the file;
     *  a reader of files from that writer should do likewise. `pqfoot check`
     *  reports such files and the unaccounted bytes after each chunk. */
    int64_t start, length;
    int64_t data_page_offset;
    int64_t dictionary_page_offset;     /**< if PQF_CH_DICT */
    int64_t num_values;
    int64_t total_uncompressed_size;
    int64_t total_compressed_size;
    int64_t file_offset;                /**< ColumnChunk.file_offset */
    int64_t offset_index_offset, column_index_offset, bloom_filter_offset;
    int32_t offset_index_length, column_index_length, bloom_filter_length;
    int32_t type;                       /**< ColumnMetaData.type */
    int32_t codec;                      /**< CompressionCodec */
    uint32_t has;                       /**< PQF_CH_* */
    pqf_str file_path;                  /**< ptr NULL if absent */
    /** ColumnMetaData.encodings (Encoding enum values, in file order), always
     *  kept. Points into the footer's memory (valid until pqf_footer_free());
     *  NULL with num_encodings 0 when the chunk has no ColumnMetaData. */
    const int32_t *encodings;
    uint32_t num_encodings;
} pqf_chunk;

/**
 * Chunk of leaf column col in row group rg. PQF_ERR_INVALID_ARG when out of
 * range, PQF_ERR_NO_COLUMN when col is not projected. O(1) whatever the
 * footer's size: one bit-field read per chunk field, plus the chunk's start
 * rebuilt from at most 16 neighbouring columns (starts are stored relative
 * to the previous column's end, in chains of 16): about 70 reads at most.
 */
pqf_code pqf_chunk_get(const pqf_footer *f, size_t rg, size_t col, pqf_chunk *out);

/* ======================================================================
 * Debug output
 * ====================================================================== */

/** Output sink: write len bytes; return 0 on success. */
typedef int (*pqf_write_fn)(void *ctx, const void *data, size_t len);

/**
 * Write the footer as one line of canonical JSON (docs/dump-json.md), with
 * "file": label (NULL = omit). No trailing newline. Takes no heap memory:
 * output is staged in 4 KiB of stack and handed to write in pieces of up to
 * that size. Returns PQF_OK, PQF_ERR_IO if the sink failed, or
 * PQF_ERR_INVALID_ARG for a NULL f or write.
 */
pqf_code pqf_footer_write_json(const pqf_footer *f, const char *label, pqf_write_fn write,
                               void *ctx);

/* ======================================================================
 * Sharing and persisting footers
 * ====================================================================== */

/**
 * XXH3-64 of the footer's schema (every SchemaElement, the derived columns and
 * which are projected). Equal schemas give equal hashes; compare with
 * pqf_footer_schema_equal() before trusting a match.
 */
uint64_t pqf_footer_schema_hash(const pqf_footer *f);
/** 1 when a and b have identical schemas (elements, names, projection). */
int pqf_footer_schema_equal(const pqf_footer *a, const pqf_footer *b);
/**
 * Make f use donor's schema memory when the two schemas are equal (the
 * schema block is reference-counted; each footer still frees with
 * pqf_footer_free()). Returns PQF_OK when f shares donor's schema (also when
 * it already did), PQF_ERR_INVALID_ARG when the schemas differ or a pointer
 * is NULL (f is then unchanged). Not safe while another thread reads f; safe
 * for donor.
 */
pqf_code pqf_footer_share_schema(pqf_footer *f, const pqf_footer *donor);
/** Bytes of the schema block alone (included in pqf_footer_bytes()). */
size_t pqf_footer_schema_bytes(const pqf_footer *f);

/**
 * Serialize the compact model (not the Thrift footer) so it can be loaded
 * without decoding again. Writes through fn in pieces of up to 8 KiB, staged
 * in one buffer taken from the allocator f was decoded with (no other
 * memory). Returns PQF_OK; PQF_ERR_IO when fn failed (nonzero); PQF_ERR_NOMEM
 * when the allocator returned NULL (nothing was written); PQF_ERR_INVALID_ARG
 * for a NULL f or fn. The format is internal to this library version (its
 * own magic and version; docs/index-format.md, "models").
 */
pqf_code pqf_footer_serialize(const pqf_footer *f, pqf_write_fn fn, void *ctx);
/**
 * Load what pqf_footer_serialize() wrote. The bytes are untrusted: every
 * count, width and offset is checked; a bad input gives PQF_ERR_MALFORMED or
 * PQF_ERR_TRUNCATED. alloc may be NULL.
 */
pqf_footer *pqf_footer_deserialize(const void *buf, size_t len, const pqf_allocator *alloc,
                                   pqf_error *err);

/* ======================================================================
 * Statistics kept for pruning (pqf_options.stats_columns; docs/prune.md)
 * ====================================================================== */

/** pqf_stats.has: which fields the chunk's ColumnMetaData carried. */
enum {
    PQF_ST_META = 1u << 0,          /**< ColumnMetaData present (else nothing below is) */
    PQF_ST_STATISTICS = 1u << 1,    /**< Statistics struct present */
    PQF_ST_MAX = 1u << 2,           /**< deprecated max (signed comparison) */
    PQF_ST_MIN = 1u << 3,           /**< deprecated min (signed comparison) */
    PQF_ST_NULL_COUNT = 1u << 4,
    PQF_ST_DISTINCT_COUNT = 1u << 5,
    PQF_ST_MAX_VALUE = 1u << 6,     /**< max_value (the column order's maximum) */
    PQF_ST_MIN_VALUE = 1u << 7,     /**< min_value */
    PQF_ST_MAX_EXACT_SET = 1u << 8, /**< is_max_value_exact present */
    PQF_ST_MIN_EXACT_SET = 1u << 9, /**< is_min_value_exact present */
    PQF_ST_MAX_EXACT = 1u << 10,    /**< is_max_value_exact is true */
    PQF_ST_MIN_EXACT = 1u << 11,    /**< is_min_value_exact is true */
    PQF_ST_BLOOM_OFFSET = 1u << 12, /**< bloom_filter_offset present */
    PQF_ST_BLOOM_LENGTH = 1u << 13, /**< bloom_filter_length present */
};

/** One chunk's statistics as written. Byte strings are the PLAIN encoding
 *  (byte arrays without their length prefix), owned by the footer;
 *  ptr is NULL when the field is absent. */
typedef struct pqf_stats {
    uint32_t has;             /**< PQF_ST_* */
    int64_t num_values;       /**< ColumnMetaData.num_values (nulls included) */
    int64_t null_count, distinct_count;
    pqf_str min_value, max_value;
    pqf_str min, max;         /**< deprecated fields */
    int64_t bloom_offset;
    int32_t bloom_length;
} pqf_stats;

/** pqf_column_sort_order(): the order the column's type defines. */
enum { PQF_SORT_SIGNED = 0, PQF_SORT_UNSIGNED = 1, PQF_SORT_UNKNOWN = 2 };

/** Set *has to 1 when the statistics of leaf col were kept, else 0.
 *  Returns PQF_OK, or PQF_ERR_INVALID_ARG when col is out of range or has
 *  is NULL. */
pqf_code pqf_column_has_stats(const pqf_footer *f, size_t col, int *has);
/** Number of leaf columns whose statistics were kept. */
size_t pqf_stats_column_count(const pqf_footer *f);
/**
 * Statistics of leaf col in row group rg. PQF_ERR_INVALID_ARG when out of
 * range, PQF_ERR_NO_COLUMN when col's statistics were not kept.
 */
pqf_code pqf_stats_get(const pqf_footer *f, size_t rg, size_t col, pqf_stats *out);
/** Set *order to the sort order of leaf col from its physical, logical and
 *  converted type (PQF_SORT_*). Returns PQF_OK, or PQF_ERR_INVALID_ARG when
 *  col is out of range or order is NULL. */
pqf_code pqf_column_sort_order(const pqf_footer *f, size_t col, int *order);
/** Bytes the kept statistics take (included in pqf_footer_bytes()). */
size_t pqf_stats_bytes(const pqf_footer *f);

/* ======================================================================
 * Predicates and row-group pruning (docs/prune.md)
 * ====================================================================== */

/** A predicate over columns: a tree of comparisons, IN, IS [NOT] NULL, AND,
 *  OR and NOT. Immutable once built; any number of threads may evaluate it. */
typedef struct pqf_pred pqf_pred;

/** Comparison operators. */
enum { PQF_OP_EQ = 0, PQF_OP_NE = 1, PQF_OP_LT = 2, PQF_OP_LE = 3, PQF_OP_GT = 4, PQF_OP_GE = 5 };
/** pqf_value.kind */
enum {
    PQF_VAL_NUMBER = 0,    /**< decimal text: "-12", "12.5", "1e308", "18446744073709551615" */
    PQF_VAL_STRING = 1,    /**< bytes */
    PQF_VAL_DATE = 2,      /**< "YYYY-MM-DD" */
    PQF_VAL_TIMESTAMP = 3  /**< "YYYY-MM-DD[ HH:MM:SS[.fffffffff]]", UTC */
};
/** A literal; ptr/len are copied by the builders. */
typedef struct pqf_value {
    int kind;
    const char *ptr;
    size_t len;
} pqf_value;

/** Deepest predicate tree accepted (parsed or built). */
#define PQF_PRED_MAX_DEPTH 64
/** Longest predicate text accepted by pqf_pred_parse(). */
#define PQF_PRED_MAX_TEXT (1u << 20)

/**
 * Parse EXPR (docs/prune.md): COL OP LIT, COL IN (LIT, ...), COL IS [NOT]
 * NULL, AND, OR, NOT, parentheses. Returns NULL on a syntax error with
 * err->code PQF_ERR_INVALID_ARG, err->offset the byte position and err->path
 * the text near it. alc may be NULL.
 */
pqf_pred *pqf_pred_parse(const char *text, size_t len, const pqf_allocator *alc, pqf_error *err);
/** COL OP v. NULL on a bad argument or no memory. */
pqf_pred *pqf_pred_compare(const char *column, int op, const pqf_value *v, const pqf_allocator *alc);
/** COL IN (vs[0], ..., vs[n-1]); n >= 1. */
pqf_pred *pqf_pred_in(const char *column, const pqf_value *vs, size_t n, const pqf_allocator *alc);
/** COL IS NULL, or COL IS NOT NULL when negated. */
pqf_pred *pqf_pred_is_null(const char *column, int negated, const pqf_allocator *alc);
/** a AND b / a OR b / NOT a. They take ownership of their operands (freed on
 *  failure too); NULL operands, or a tree deeper than PQF_PRED_MAX_DEPTH, give NULL. */
pqf_pred *pqf_pred_and(pqf_pred *a, pqf_pred *b);
pqf_pred *pqf_pred_or(pqf_pred *a, pqf_pred *b);
pqf_pred *pqf_pred_not(pqf_pred *a);
/** Release a predicate. NULL is allowed. */
void pqf_pred_free(pqf_pred *p);
/** The distinct column names p refers to, in first-use order (pointers owned
 *  by p): writes up to max of them and returns how many there are. Pass
 *  them as pqf_options.stats_columns when decoding footers to prune. */
size_t pqf_pred_columns(const pqf_pred *p, const char **names, size_t max);

/**
 * Decide per row group whether it may hold a row for which p is true, from the
 * kept statistics (three-valued logic). may_match has pqf_row_group_count(f)
 * bytes; each is set to 1 (may match) or 0 (holds no matching row). Columns
 * without kept statistics never prune. Errors: PQF_ERR_NO_COLUMN for a column
 * not in the schema, PQF_ERR_INVALID_ARG for a literal of the wrong kind for
 * its column; err->offset is the position in the parsed text.
 */
pqf_code pqf_pred_eval(const pqf_pred *p, const pqf_footer *f, uint8_t *may_match, pqf_error *err);
/**
 * As pqf_pred_eval(), then for row groups still marked, probe the split-block
 * bloom filters of = and IN columns (one bounded read per filter and row group)
 * through fn. file_size bounds the reads (0: the footer's pqf_footer_file_size()).
 */
pqf_code pqf_pred_eval_bloom_reader(const pqf_pred *p, const pqf_footer *f, pqf_read_fn fn, void *ctx,
                                    uint64_t file_size, uint8_t *may_match, pqf_error *err);
/** The same, reading the filters from the file at path. */
pqf_code pqf_pred_eval_bloom_file(const pqf_pred *p, const pqf_footer *f, const char *path,
                                  uint8_t *may_match, pqf_error *err);

/** Largest bloom filter (header and bitset) pqfoot reads. */
#define PQF_BLOOM_MAX_BYTES (128u << 20)
/**
 * Probe one split-block bloom filter at offset (length bytes, header
 * included; length <= 0 when unknown) for n values given by their PLAIN
 * encoding (byte arrays without length prefix). found[i] is 1 when value i may
 * be in the set, 0 when it is surely absent. One read of the filter when its
 * length is known (else the header, then the bitset). alc may be NULL.
 */
pqf_code pqf_bloom_probe(pqf_read_fn fn, void *ctx, uint64_t file_size, int64_t offset, int32_t length,
                         const void *const *values, const size_t *lens, size_t n, uint8_t *found,
                         const pqf_allocator *alc, pqf_error *err);

/* ======================================================================
 * Slices: metadata-only Parquet files for chosen row groups and columns
 * ====================================================================== */

/** pqf_slice_options.flags */
enum {
    PQF_SLICE_KV = 1u << 0,    /**< copy key_value_metadata (footer decoded with PQF_KEEP_KV) */
    PQF_SLICE_STATS = 1u << 1  /**< ColumnMetaData.statistics of the chosen columns whose
                                    statistics the footer kept (pqf_options.stats_columns),
                                    and their bloom filter locations */
};

/**
 * The allocator f was decoded with (pqf_options.allocator, or malloc/free
 * hooks when it was NULL); it lives as long as f. Slices take their
 * transient memory from it. NULL for a NULL f.
 */
const pqf_allocator *pqf_footer_allocator(const pqf_footer *f);

/** What a slice holds. */
typedef struct pqf_slice_options {
    const uint32_t *row_groups; size_t num_row_groups; /**< in output order (repeats allowed) */
    const uint32_t *columns;    size_t num_columns;    /**< leaf indexes; none = every projected column */
    uint32_t flags;                                    /**< PQF_SLICE_* */
} pqf_slice_options;

/**
 * Write a metadata-only Parquet file: "PAR1" + FileMetaData + u32 LE length +
 * "PAR1", as a `_metadata` file is, so any Parquet reader that accepts an
 * outside footer reads the chosen row groups and columns of the original file
 * through it (docs/slice.md). It holds the version, created_by, num_rows of
 * the chosen row groups, the schema cut to the chosen leaves (file order) and
 * their ancestors, and per row group and chosen chunk every field pqfoot
 * keeps (page-index and bloom locations when the footer kept them);
 * key-value metadata with PQF_SLICE_KV; with PQF_SLICE_STATS, the statistics
 * (exactly the fields the file had, byte strings as written) and bloom filter
 * location of every chosen column whose statistics the footer kept -- other
 * columns get none, and a footer that kept none is not an error. column_orders
 * is trimmed to the chosen leaves; encoding_stats and sorting_columns are not
 * written.
 * Errors: PQF_ERR_INVALID_ARG (NULL arguments, a row group or column out of
 * range, PQF_SLICE_KV on a footer decoded without
 * PQF_KEEP_KV that had key-value metadata), PQF_ERR_NO_COLUMN (a column
 * outside the footer's projection), PQF_ERR_ENCRYPTED (encryption metadata
 * or encrypted columns), PQF_ERR_LIMIT (more than 2^24 row groups or a
 * footer past 2^31 bytes), PQF_ERR_NOMEM, PQF_ERR_IO (write failed).
 * Memory (transient, at most about twice the slice's size) comes from the
 * footer's allocator, pqf_footer_allocator(f); nothing is written unless the
 * whole footer was built.
 */
pqf_code pqf_footer_slice(const pqf_footer *f, const pqf_slice_options *opt,
                          pqf_write_fn write, void *ctx, pqf_error *err);

/* ======================================================================
 * Slim: the same footer without statistics
 * ====================================================================== */

/** pqf_slim_options.flags */
enum { PQF_SLIM_DROP_KV = 1u << 0 /**< drop FileMetaData.key_value_metadata too */ };

/** What pqf_footer_slim() keeps and drops, and where its memory comes from. */
typedef struct pqf_slim_options {
    uint32_t flags;               /**< PQF_SLIM_* */
    const uint32_t *keep_stats;   /**< leaf column indexes whose statistics stay */
    size_t num_keep_stats;
    uint32_t max_depth;           /**< nesting bound; 0 = PQF_DEFAULT_MAX_DEPTH */
    const pqf_allocator *allocator; /**< transient memory; NULL = malloc/free */
} pqf_slim_options;

/**
 * Rewrite a FileMetaData blob (the footer bytes, without length and magic)
 * without ColumnMetaData.statistics, encoding_stats and size_statistics
 * (except for keep_stats columns), and without key_value_metadata with
 * PQF_SLIM_DROP_KV. Every other field, unknown ones included, is carried byte
 * for byte; only the field header after a dropped field changes (its id
 * delta). Writes the new FileMetaData through write (one call). A footer
 * with encryption_algorithm (signed, plaintext-footer mode) gives
 * PQF_ERR_ENCRYPTED. Other errors are
 * the decoder's (PQF_ERR_MALFORMED, PQF_ERR_TRUNCATED, PQF_ERR_DEPTH, ...)
 * with err->offset, PQF_ERR_INVALID_ARG or PQF_ERR_IO. Memory: transient,
 * from opt->allocator (malloc/free when opt or it is NULL), about the
 * footer's size; none is left when the call returns.
 */
pqf_code pqf_footer_slim(const void *footer, size_t len, const pqf_slim_options *opt,
                         pqf_write_fn write, void *ctx, pqf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* PQF_H */
