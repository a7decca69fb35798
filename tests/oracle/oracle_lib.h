// oracle_lib.h -- Apache Thrift C++ as an independent oracle and encoder for pqfoot's tests.
//
// Never linked into libpqfoot.a. Built from the project's own IDL
// (tests/oracle/parquet_footer.thrift, compiled with `thrift --gen cpp` into build/oracle/gen).
// Link $(ORACLE_LIB_OBJS) with $(ORACLE_LIBS) (see tests/oracle/oracle.mk); a C++ fuzz harness
// can use decode_footer() / footer_json() to compare pqfoot against Thrift on any input.
//
// Nothing here keeps global state: every function may be called from any thread.
#ifndef PQF_ORACLE_LIB_H
#define PQF_ORACLE_LIB_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pqforacle {
class FileMetaData;
}

namespace pqo {

// ---------------------------------------------------------------------------------------------
// Reading footers
// ---------------------------------------------------------------------------------------------

/** Which optional groups of keys the canonical JSON line carries (docs/dump-json.md). */
struct JsonFlags {
    bool page_index = false; ///< offset/column index offset+length per chunk
    bool bloom = false;      ///< bloom filter offset+length per chunk
    bool kv = false;         ///< the file's key_value_metadata
};

/**
 * Decode a FileMetaData blob (the footer bytes only) with Thrift's TCompactProtocol over a
 * TMemoryBuffer, with message/string/container limits raised as Arrow does and Thrift's default
 * recursion limit (64). Returns false and sets *err (e.g. "TProtocolException: ...") on failure.
 * Bytes after the FileMetaData's stop field are ignored, as Thrift and Arrow do.
 */
bool decode_footer(const uint8_t *data, size_t len, pqforacle::FileMetaData *out,
                   std::string *err, size_t *consumed = nullptr);

/** Locate the footer in a whole file image: checks the trailing "PAR1" and the length. */
bool locate_footer(const uint8_t *file, size_t size, size_t *footer_off, size_t *footer_len,
                   std::string *err);

/** Read a whole file ("-" = stdin). */
bool read_file(const std::string &path, std::vector<uint8_t> *out, std::string *err);

/** Append s as a JSON string (quotes included), escaped as docs/dump-json.md says. */
void json_escape(std::string *out, const char *s, size_t len);

/** The canonical JSON object of a decoded footer; label NULL omits the "file" key. */
std::string footer_json(const pqforacle::FileMetaData &md, const std::string *label,
                        const JsonFlags &flags);

/** The oracle's error line: {"file":label,"error":"thrift: <msg>"}. */
std::string error_json(const std::string &label, const std::string &msg);

/**
 * Decode a footer blob (footer_only) or a whole file image and produce the JSON line (no
 * newline). Returns false when decoding failed; *line then holds the error line.
 */
bool json_line(const uint8_t *data, size_t len, bool footer_only, const std::string &label,
               const JsonFlags &flags, std::string *line);

/**
 * A naive compact-protocol walk over a struct that skips every field and stores nothing:
 * recursive, every read bounds-checked, depth bounded by 64. Returns false on malformed input;
 * *consumed receives the bytes walked. It is the floor for any compact decoder.
 */
bool skip_walk(const uint8_t *data, size_t len, size_t *consumed);

/**
 * Self-consistency of a whole Parquet file image: magic at both ends, row counts sum, every
 * column chunk's byte range inside the data area, chunks of a file contiguous/non-overlapping,
 * dictionary page before data page, row-group offsets/sizes matching their chunks. With pages,
 * also walks every page header (Thrift) of every chunk, decompresses zstd pages, checks sizes,
 * value counts and RLE level streams. Returns false with a reason in *err.
 * *summary receives a one-line description.
 */
bool check_file(const uint8_t *file, size_t size, bool pages, std::string *summary,
                std::string *err);

// ---------------------------------------------------------------------------------------------
// Generating files (Thrift's C++ encoder for FileMetaData and page headers)
// ---------------------------------------------------------------------------------------------

struct GenOptions {
    uint64_t seed = 1;
    bool stats = true;      ///< false: no statistics and no encoding_stats (--no-stats)
    long columns = -1;      ///< override the shape's column count (flat shapes), -1 = default
    long rows = -1;         ///< override the shape's total rows, -1 = default
    long rg_rows = -1;      ///< override rows per row group, -1 = default
};

/** Shape names gen accepts, with a one-line description each. */
std::vector<std::pair<std::string, std::string>> shapes();

/**
 * Build a complete Parquet file of the given shape into *out. Deterministic for a given shape
 * and options. Returns false with *err on an unknown shape or bad options.
 */
bool generate(const std::string &shape, const GenOptions &opt, std::vector<uint8_t> *out,
              std::string *err);

} // namespace pqo

#endif // PQF_ORACLE_LIB_H
