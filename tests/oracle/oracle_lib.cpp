// oracle_lib.cpp -- decode footers with Apache Thrift C++ and print the canonical JSON line;
// the skip-walk floor; the self-consistency check of generated files.
#include "oracle_lib.h"

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <map>

#include <zstd.h>

#include "oracle_internal.h"

namespace pqo {

using namespace pqforacle;

// =============================================================================== file input

bool read_file(const std::string &path, std::vector<uint8_t> *out, std::string *err) {
    out->clear();
    FILE *fp = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!fp) {
        *err = "cannot open: " + std::string(std::strerror(errno));
        return false;
    }
    uint8_t buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, fp)) > 0) out->insert(out->end(), buf, buf + n);
    bool bad = std::ferror(fp) != 0;
    if (fp != stdin) std::fclose(fp);
    if (bad) {
        *err = "read error";
        return false;
    }
    return true;
}

bool locate_footer(const uint8_t *file, size_t size, size_t *footer_off, size_t *footer_len,
                   std::string *err) {
    if (size < 8) {
        *err = "file too small for a Parquet trailer (" + std::to_string(size) + " bytes)";
        return false;
    }
    const uint8_t *tail = file + size - 4;
    if (std::memcmp(tail, "PARE", 4) == 0) {
        *err = "encrypted footer (PARE magic)";
        return false;
    }
    if (std::memcmp(tail, "PAR1", 4) != 0) {
        *err = "no PAR1 magic at end of file";
        return false;
    }
    uint32_t len = get_u32le(file + size - 8);
    if (len > size - 8) {
        *err = "footer length " + std::to_string(len) + " exceeds file size " + std::to_string(size);
        return false;
    }
    *footer_off = size - 8 - len;
    *footer_len = len;
    return true;
}

bool decode_footer(const uint8_t *data, size_t len, FileMetaData *out, std::string *err,
                   size_t *consumed) {
    return thrift_read(data, len, out, err, consumed);
}

// ===================================================================================== JSON

// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629), 0 if none starts there.
static size_t utf8_seq(const unsigned char *s, size_t n, size_t i) {
    unsigned c = s[i];
    if (c < 0x80) return 1;
    auto cont = [&](size_t k, unsigned lo, unsigned hi) {
        return i + k < n && s[i + k] >= lo && s[i + k] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1, 0x80, 0xBF) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    return 0;
}

void json_escape(std::string *out, const char *str, size_t len) {
    const unsigned char *s = reinterpret_cast<const unsigned char *>(str);
    static const char hex[] = "0123456789abcdef";
    out->push_back('"');
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            switch (c) {
            case '"': out->append("\\\""); break;
            case '\\': out->append("\\\\"); break;
            case 0x08: out->append("\\b"); break;
            case 0x0C: out->append("\\f"); break;
            case 0x0A: out->append("\\n"); break;
            case 0x0D: out->append("\\r"); break;
            case 0x09: out->append("\\t"); break;
            default:
                if (c < 0x20) {
                    out->append("\\u00");
                    out->push_back(hex[c >> 4]);
                    out->push_back(hex[c & 15]);
                } else {
                    out->push_back(static_cast<char>(c));
                }
            }
            i++;
            continue;
        }
        size_t k = utf8_seq(s, len, i);
        if (k == 0) {
            out->append("\xEF\xBF\xBD"); // U+FFFD for one byte, resume at the next
            i++;
        } else {
            out->append(str + i, k);
            i += k;
        }
    }
    out->push_back('"');
}

static void put_i64(std::string *o, int64_t v) {
    char buf[24];
    int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    o->append(buf, static_cast<size_t>(n));
}

// Thrift reads an enum as an i32 and casts it to the generated C++ enum, whose underlying type
// GCC makes unsigned when every declared value is non-negative: go back through int32_t so a
// negative wire value (e.g. -7) prints as itself.
template <class E> int64_t enum_value(E e) {
    return static_cast<int64_t>(static_cast<int32_t>(e));
}

// "key": for every key but the first of an object.
static void key(std::string *o, const char *k) {
    o->push_back(',');
    o->push_back('"');
    o->append(k);
    o->append("\":");
}
static void opt_i64(std::string *o, const char *k, bool set, int64_t v) {
    key(o, k);
    if (set) put_i64(o, v);
    else o->append("null");
}
static void opt_str(std::string *o, const char *k, bool set, const std::string &v) {
    key(o, k);
    if (set) json_escape(o, v.data(), v.size());
    else o->append("null");
}

// The LogicalType union's member name. Several members set is invalid (a conforming writer
// sets one); then the lowest id wins, as in pqfoot's schema decoder.
static const char *logical_name(const LogicalType &lt) {
    const auto &s = lt.__isset;
    if (s.STRING) return "STRING";
    if (s.MAP) return "MAP";
    if (s.LIST) return "LIST";
    if (s.ENUM) return "ENUM";
    if (s.DECIMAL) return "DECIMAL";
    if (s.DATE) return "DATE";
    if (s.TIME) return "TIME";
    if (s.TIMESTAMP) return "TIMESTAMP";
    if (s.INTEGER) return "INTEGER";
    if (s.UNKNOWN) return "UNKNOWN";
    if (s.JSON) return "JSON";
    if (s.BSON) return "BSON";
    if (s.UUID) return "UUID";
    if (s.FLOAT16) return "FLOAT16";
    if (s.VARIANT) return "VARIANT";
    if (s.GEOMETRY) return "GEOMETRY";
    if (s.GEOGRAPHY) return "GEOGRAPHY";
    if (s.FILE) return "FILE";
    return "UNRECOGNIZED"; /* the field is there, with no member this IDL knows */
}

static void kv_list(std::string *o, const std::vector<KeyValue> &kvs) {
    o->push_back('[');
    for (size_t i = 0; i < kvs.size(); i++) {
        if (i) o->push_back(',');
        o->append("{\"key\":");
        json_escape(o, kvs[i].key.data(), kvs[i].key.size());
        opt_str(o, "value", kvs[i].__isset.value, kvs[i].value);
        o->push_back('}');
    }
    o->push_back(']');
}

static void schema_json(std::string *o, const SchemaElement &e) {
    o->append("{\"name\":");
    json_escape(o, e.name.data(), e.name.size());
    opt_i64(o, "type", e.__isset.type, enum_value(e.type));
    opt_i64(o, "type_length", e.__isset.type_length, e.type_length);
    opt_i64(o, "repetition_type", e.__isset.repetition_type, enum_value(e.repetition_type));
    opt_i64(o, "num_children", e.__isset.num_children, e.num_children);
    opt_i64(o, "converted_type", e.__isset.converted_type, enum_value(e.converted_type));
    opt_i64(o, "scale", e.__isset.scale, e.scale);
    opt_i64(o, "precision", e.__isset.precision, e.precision);
    opt_i64(o, "field_id", e.__isset.field_id, e.field_id);
    key(o, "logical_type");
    const char *lt = e.__isset.logicalType ? logical_name(e.logicalType) : nullptr;
    if (lt) {
        o->push_back('"');
        o->append(lt);
        o->push_back('"');
    } else {
        o->append("null");
    }
    o->push_back('}');
}

static void chunk_json(std::string *o, const ColumnChunk &c, const JsonFlags &fl) {
    o->append("{\"file_path\":");
    if (c.__isset.file_path) json_escape(o, c.file_path.data(), c.file_path.size());
    else o->append("null");
    opt_i64(o, "file_offset", true, c.file_offset);
    const bool m = c.__isset.meta_data;
    const ColumnMetaData &md = c.meta_data;
    opt_i64(o, "type", m, enum_value(md.type));
    opt_i64(o, "codec", m, enum_value(md.codec));
    opt_i64(o, "num_values", m, md.num_values);
    opt_i64(o, "total_uncompressed_size", m, md.total_uncompressed_size);
    opt_i64(o, "total_compressed_size", m, md.total_compressed_size);
    opt_i64(o, "data_page_offset", m, md.data_page_offset);
    opt_i64(o, "dictionary_page_offset", m && md.__isset.dictionary_page_offset,
            md.dictionary_page_offset);
    key(o, "path_in_schema");
    if (m) {
        o->push_back('[');
        for (size_t i = 0; i < md.path_in_schema.size(); i++) {
            if (i) o->push_back(',');
            json_escape(o, md.path_in_schema[i].data(), md.path_in_schema[i].size());
        }
        o->push_back(']');
    } else {
        o->append("null");
    }
    key(o, "encodings");
    if (m) {
        o->push_back('[');
        for (size_t i = 0; i < md.encodings.size(); i++) {
            if (i) o->push_back(',');
            o->append(std::to_string(enum_value(md.encodings[i])));
        }
        o->push_back(']');
    } else {
        o->append("null");
    }
    if (fl.page_index) {
        opt_i64(o, "offset_index_offset", c.__isset.offset_index_offset, c.offset_index_offset);
        opt_i64(o, "offset_index_length", c.__isset.offset_index_length, c.offset_index_length);
        opt_i64(o, "column_index_offset", c.__isset.column_index_offset, c.column_index_offset);
        opt_i64(o, "column_index_length", c.__isset.column_index_length, c.column_index_length);
    }
    if (fl.bloom) {
        opt_i64(o, "bloom_filter_offset", m && md.__isset.bloom_filter_offset,
                md.bloom_filter_offset);
        opt_i64(o, "bloom_filter_length", m && md.__isset.bloom_filter_length,
                md.bloom_filter_length);
    }
    o->push_back('}');
}

std::string footer_json(const FileMetaData &md, const std::string *label, const JsonFlags &fl) {
    std::string o;
    o.reserve(256 + md.schema.size() * 160 + md.row_groups.size() * 120);
    o.push_back('{');
    if (label) {
        o.append("\"file\":");
        json_escape(&o, label->data(), label->size());
        o.push_back(',');
    }
    o.append("\"version\":");
    put_i64(&o, md.version);
    opt_i64(&o, "num_rows", true, md.num_rows);
    opt_str(&o, "created_by", md.__isset.created_by, md.created_by);
    if (fl.kv) {
        key(&o, "key_value_metadata");
        if (md.__isset.key_value_metadata) kv_list(&o, md.key_value_metadata);
        else o.append("null");
    }
    key(&o, "schema");
    o.push_back('[');
    for (size_t i = 0; i < md.schema.size(); i++) {
        if (i) o.push_back(',');
        schema_json(&o, md.schema[i]);
    }
    o.push_back(']');
    key(&o, "row_groups");
    o.push_back('[');
    for (size_t r = 0; r < md.row_groups.size(); r++) {
        const RowGroup &rg = md.row_groups[r];
        if (r) o.push_back(',');
        o.append("{\"num_rows\":");
        put_i64(&o, rg.num_rows);
        opt_i64(&o, "total_byte_size", true, rg.total_byte_size);
        opt_i64(&o, "file_offset", rg.__isset.file_offset, rg.file_offset);
        opt_i64(&o, "total_compressed_size", rg.__isset.total_compressed_size,
                rg.total_compressed_size);
        opt_i64(&o, "ordinal", rg.__isset.ordinal, rg.ordinal);
        key(&o, "columns");
        o.push_back('[');
        for (size_t c = 0; c < rg.columns.size(); c++) {
            if (c) o.push_back(',');
            chunk_json(&o, rg.columns[c], fl);
        }
        o.append("]}");
    }
    o.append("]}");
    return o;
}

std::string error_json(const std::string &label, const std::string &msg) {
    std::string o = "{\"file\":";
    json_escape(&o, label.data(), label.size());
    o.append(",\"error\":");
    std::string m = "thrift: " + msg;
    json_escape(&o, m.data(), m.size());
    o.push_back('}');
    return o;
}

bool json_line(const uint8_t *data, size_t len, bool footer_only, const std::string &label,
               const JsonFlags &flags, std::string *line) {
    std::string err;
    size_t off = 0, flen = len;
    if (!footer_only && !locate_footer(data, len, &off, &flen, &err)) {
        *line = error_json(label, err);
        return false;
    }
    FileMetaData md;
    if (!decode_footer(data + off, flen, &md, &err)) {
        *line = error_json(label, err);
        return false;
    }
    *line = footer_json(md, &label, flags);
    return true;
}

// ================================================================================ skip walk

namespace {
struct Walker {
    const uint8_t *p, *end;

    bool varint(uint64_t *v) {
        uint64_t r = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (p == end) return false;
            uint8_t b = *p++;
            r |= static_cast<uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) {
                *v = r;
                return true;
            }
        }
        return false; // more than 10 bytes
    }
    bool skip_bytes(uint64_t n) {
        if (n > static_cast<uint64_t>(end - p)) return false;
        p += n;
        return true;
    }
    // One value of compact type t (inside a list/map, booleans take one byte).
    bool value(int t, int depth) {
        uint64_t v;
        switch (t) {
        case 1:
        case 2:
        case 3: return skip_bytes(1);
        case 4:
        case 5:
        case 6: return varint(&v);
        case 7: return skip_bytes(8);
        case 8: return varint(&v) && skip_bytes(v);
        case 9:
        case 10: return list(depth + 1);
        case 11: return map(depth + 1);
        case 12: return strukt(depth + 1);
        default: return false;
        }
    }
    bool list(int depth) {
        if (depth > 64 || p == end) return false;
        uint8_t h = *p++;
        uint64_t n = h >> 4;
        int et = h & 15;
        if (n == 15 && !varint(&n)) return false;
        for (uint64_t i = 0; i < n; i++)
            if (!value(et, depth)) return false;
        return true;
    }
    bool map(int depth) {
        uint64_t n;
        if (depth > 64 || !varint(&n)) return false;
        if (n == 0) return true;
        if (p == end) return false;
        uint8_t kv = *p++;
        for (uint64_t i = 0; i < n; i++)
            if (!value(kv >> 4, depth) || !value(kv & 15, depth)) return false;
        return true;
    }
    bool strukt(int depth) {
        if (depth > 64) return false;
        for (;;) {
            if (p == end) return false;
            uint8_t h = *p++;
            if (h == 0) return true;
            int t = h & 15;
            if ((h >> 4) == 0) { // long form: zigzag i16 field id follows
                uint64_t id;
                if (!varint(&id)) return false;
            }
            if (t == 1 || t == 2) continue; // boolean carried in the header
            if (!value(t, depth)) return false;
        }
    }
};
} // namespace

bool skip_walk(const uint8_t *data, size_t len, size_t *consumed) {
    Walker w{data, data + len};
    bool ok = w.strukt(1);
    if (consumed) *consumed = static_cast<size_t>(w.p - data);
    return ok;
}

// =================================================================================== schema

bool schema_leaves(const std::vector<SchemaElement> &schema, std::vector<LeafInfo> *leaves,
                   std::string *err) {
    leaves->clear();
    if (schema.empty()) {
        *err = "empty schema";
        return false;
    }
    struct Frame {
        int remaining;
        int def, rep;
        size_t path_len;
    };
    std::vector<Frame> stack;
    std::vector<std::string> path;
    stack.push_back({schema[0].__isset.num_children ? schema[0].num_children : 0, 0, 0, 0});
    for (size_t i = 1; i < schema.size(); i++) {
        while (!stack.empty() && stack.back().remaining == 0) stack.pop_back();
        if (stack.empty()) {
            *err = "schema element " + std::to_string(i) + " outside the tree";
            return false;
        }
        Frame &parent = stack.back();
        parent.remaining--;
        const SchemaElement &e = schema[i];
        path.resize(parent.path_len);
        path.push_back(e.name);
        int def = parent.def, rep = parent.rep;
        int r = e.__isset.repetition_type ? e.repetition_type : 0;
        if (r == FieldRepetitionType::OPTIONAL) def++;
        if (r == FieldRepetitionType::REPEATED) def++, rep++;
        if (e.__isset.num_children && e.num_children > 0) {
            stack.push_back({e.num_children, def, rep, path.size()});
        } else {
            LeafInfo l;
            l.path = path;
            l.max_def = def;
            l.max_rep = rep;
            l.type = e.__isset.type ? e.type : -1;
            l.type_length = e.__isset.type_length ? e.type_length : 0;
            leaves->push_back(l);
        }
    }
    for (const Frame &f : stack)
        if (f.remaining) {
            *err = "schema ends inside a group";
            return false;
        }
    return true;
}

// ==================================================================================== check

namespace {

// Decode an RLE/bit-packed hybrid stream of exactly n values of bit width w.
bool rle_decode(const uint8_t *p, size_t len, int w, size_t n, std::vector<uint32_t> *out,
                std::string *err) {
    out->clear();
    size_t i = 0;
    const size_t vbytes = static_cast<size_t>((w + 7) / 8);
    while (out->size() < n) {
        uint64_t h = 0;
        int shift = 0;
        for (;;) {
            if (i >= len || shift > 63) {
                *err = "RLE stream ends in a run header";
                return false;
            }
            uint8_t b = p[i++];
            h |= static_cast<uint64_t>(b & 0x7F) << shift;
            shift += 7;
            if (!(b & 0x80)) break;
        }
        if (h & 1) { // bit-packed: (h>>1) groups of 8 values
            uint64_t groups = h >> 1;
            uint64_t nbytes = groups * static_cast<uint64_t>(w);
            if (groups == 0 || nbytes > len - i) {
                *err = "bad bit-packed run";
                return false;
            }
            for (uint64_t v = 0; v < groups * 8 && out->size() < n; v++) {
                uint32_t x = 0;
                for (int b = 0; b < w; b++) {
                    uint64_t bit = v * static_cast<uint64_t>(w) + static_cast<uint64_t>(b);
                    if (p[i + bit / 8] >> (bit % 8) & 1) x |= 1u << b;
                }
                out->push_back(x);
            }
            i += nbytes;
        } else {
            uint64_t count = h >> 1;
            if (count == 0 || vbytes > len - i) {
                *err = "bad RLE run";
                return false;
            }
            uint32_t x = 0;
            for (size_t b = 0; b < vbytes; b++) x |= static_cast<uint32_t>(p[i + b]) << (8 * b);
            i += vbytes;
            if (count > n - out->size()) {
                *err = "RLE run longer than the page";
                return false;
            }
            out->insert(out->end(), count, x);
        }
    }
    return true;
}

int plain_width(int type, int type_length) {
    switch (type) {
    case Type::INT32:
    case Type::FLOAT: return 4;
    case Type::INT64:
    case Type::DOUBLE: return 8;
    case Type::INT96: return 12;
    case Type::FIXED_LEN_BYTE_ARRAY: return type_length;
    default: return -1;
    }
}

// Bytes of n PLAIN values at p (at most len); -1 if they do not fit.
long plain_size(const uint8_t *p, size_t len, int type, int type_length, size_t n) {
    if (type == Type::BOOLEAN) return static_cast<long>((n + 7) / 8);
    if (type == Type::BYTE_ARRAY) {
        size_t i = 0;
        for (size_t k = 0; k < n; k++) {
            if (len - i < 4) return -1;
            uint32_t l = get_u32le(p + i);
            if (l > len - i - 4) return -1;
            i += 4 + l;
        }
        return static_cast<long>(i);
    }
    int w = plain_width(type, type_length);
    return w < 0 ? -1 : static_cast<long>(n) * w;
}

struct Checker {
    const uint8_t *file;
    size_t size, data_end;
    std::string *err;
    ZSTD_DCtx *dctx = nullptr;
    long pages = 0, values = 0;
    ~Checker() { ZSTD_freeDCtx(dctx); }

    bool fail(const std::string &where, const std::string &what) {
        *err = where + ": " + what;
        return false;
    }

    bool payload(const PageHeader &ph, int codec, const uint8_t *p, std::vector<uint8_t> *out,
                 const std::string &where) {
        size_t cs = static_cast<size_t>(ph.compressed_page_size);
        size_t us = static_cast<size_t>(ph.uncompressed_page_size);
        if (codec == CompressionCodec::UNCOMPRESSED) {
            if (cs != us) return fail(where, "uncompressed page with different sizes");
            out->assign(p, p + cs);
            return true;
        }
        if (codec != CompressionCodec::ZSTD) {
            out->clear();
            return true; // not checked
        }
        if (!dctx) dctx = ZSTD_createDCtx();
        out->resize(us);
        size_t r = ZSTD_decompressDCtx(dctx, out->data(), us, p, cs);
        if (ZSTD_isError(r)) return fail(where, std::string("zstd: ") + ZSTD_getErrorName(r));
        if (r != us) return fail(where, "decompressed size differs from uncompressed_page_size");
        return true;
    }

    bool chunk_pages(const ColumnMetaData &md, const LeafInfo &leaf, int64_t start,
                     const std::string &where) {
        int64_t pos = start, end = start + md.total_compressed_size;
        int64_t uncompressed = 0, nvalues = 0;
        long dict_count = -1;
        bool first = true, seen_data = false;
        std::vector<uint8_t> buf;
        std::vector<uint32_t> rep, def, idx;
        while (pos < end) {
            PageHeader ph;
            size_t hlen = 0;
            std::string e;
            if (!thrift_read(file + pos, static_cast<size_t>(end - pos), &ph, &e, &hlen))
                return fail(where, "page header at " + std::to_string(pos) + ": " + e);
            if (ph.compressed_page_size < 0 || ph.uncompressed_page_size < 0 ||
                ph.compressed_page_size > end - pos - static_cast<int64_t>(hlen))
                return fail(where, "page at " + std::to_string(pos) + " overruns the chunk");
            const uint8_t *pl = file + pos + hlen;
            if (!payload(ph, md.codec, pl, &buf, where)) return false;
            bool checkable = md.codec == CompressionCodec::UNCOMPRESSED ||
                             md.codec == CompressionCodec::ZSTD;
            pages++;
            if (ph.type == PageType::DICTIONARY_PAGE) {
                if (!first) return fail(where, "dictionary page is not the first page");
                if (!md.__isset.dictionary_page_offset || md.dictionary_page_offset != pos)
                    return fail(where, "dictionary_page_offset does not point at the dict page");
                dict_count = ph.dictionary_page_header.num_values;
                if (checkable) {
                    long sz = plain_size(buf.data(), buf.size(), leaf.type, leaf.type_length,
                                         static_cast<size_t>(dict_count));
                    if (sz != static_cast<long>(buf.size()))
                        return fail(where, "dictionary page size does not match its values");
                }
            } else if (ph.type == PageType::DATA_PAGE) {
                if (!seen_data && md.data_page_offset != pos)
                    return fail(where, "data_page_offset does not point at the first data page");
                seen_data = true;
                const DataPageHeader &dh = ph.data_page_header;
                size_t n = static_cast<size_t>(dh.num_values);
                nvalues += dh.num_values;
                values += dh.num_values;
                if (checkable) {
                    size_t i = 0;
                    size_t nonnull = n;
                    for (int lv = 0; lv < 2; lv++) {
                        int maxl = lv == 0 ? leaf.max_rep : leaf.max_def;
                        if (maxl == 0) continue;
                        if (buf.size() - i < 4) return fail(where, "levels length missing");
                        uint32_t l = get_u32le(buf.data() + i);
                        i += 4;
                        if (l > buf.size() - i) return fail(where, "levels overrun the page");
                        std::string re;
                        std::vector<uint32_t> &v = lv == 0 ? rep : def;
                        if (!rle_decode(buf.data() + i, l, bit_width(static_cast<uint64_t>(maxl)),
                                        n, &v, &re))
                            return fail(where, re);
                        for (uint32_t x : v)
                            if (x > static_cast<uint32_t>(maxl))
                                return fail(where, "level above the maximum");
                        if (lv == 0 && n && v[0] != 0)
                            return fail(where, "page does not start a record");
                        if (lv == 1)
                            nonnull = static_cast<size_t>(
                                std::count(v.begin(), v.end(), static_cast<uint32_t>(maxl)));
                        i += l;
                    }
                    const uint8_t *vp = buf.data() + i;
                    size_t vlen = buf.size() - i;
                    if (dh.encoding == Encoding::RLE_DICTIONARY ||
                        dh.encoding == Encoding::PLAIN_DICTIONARY) {
                        if (dict_count < 0) return fail(where, "dictionary data page without dict");
                        if (vlen < 1) return fail(where, "missing index bit width");
                        std::string re;
                        if (nonnull && !rle_decode(vp + 1, vlen - 1, vp[0], nonnull, &idx, &re))
                            return fail(where, "indices: " + re);
                        for (uint32_t x : idx)
                            if (x >= static_cast<uint32_t>(dict_count))
                                return fail(where, "index beyond the dictionary");
                    } else if (dh.encoding == Encoding::PLAIN) {
                        long sz = plain_size(vp, vlen, leaf.type, leaf.type_length, nonnull);
                        if (sz != static_cast<long>(vlen))
                            return fail(where, "PLAIN values do not fill the page (" +
                                                   std::to_string(sz) + " of " +
                                                   std::to_string(vlen) + ")");
                    }
                }
            } else {
                return fail(where, "unexpected page type " + std::to_string(ph.type));
            }
            first = false;
            uncompressed += static_cast<int64_t>(hlen) + ph.uncompressed_page_size;
            pos += static_cast<int64_t>(hlen) + ph.compressed_page_size;
        }
        if (pos != end) return fail(where, "pages overrun total_compressed_size");
        if (!seen_data) return fail(where, "no data page");
        if (md.__isset.dictionary_page_offset && dict_count < 0)
            return fail(where, "dictionary_page_offset set but no dictionary page");
        if (uncompressed != md.total_uncompressed_size)
            return fail(where, "total_uncompressed_size " + std::to_string(md.total_uncompressed_size) +
                                   " but pages add up to " + std::to_string(uncompressed));
        if (nvalues != md.num_values) return fail(where, "num_values differs from the pages");
        return true;
    }

    bool region(int64_t off, int64_t len, int64_t lo, const std::string &where) {
        if (off < lo || len < 0 || off > static_cast<int64_t>(data_end) ||
            len > static_cast<int64_t>(data_end) - off)
            return fail(where, "range " + std::to_string(off) + "+" + std::to_string(len) +
                                   " outside " + std::to_string(lo) + ".." +
                                   std::to_string(data_end));
        return true;
    }

    // Page index and bloom filter contents, where they are real (generated files).
    bool side_structs(const ColumnChunk &c, const std::string &where) {
        std::string e;
        if (c.__isset.offset_index_offset && c.__isset.offset_index_length) {
            OffsetIndex oi;
            size_t n = 0;
            if (!thrift_read(file + c.offset_index_offset,
                             static_cast<size_t>(c.offset_index_length), &oi, &e, &n) ||
                n != static_cast<size_t>(c.offset_index_length))
                return fail(where, "offset index does not decode to its length " + e);
            if (oi.page_locations.empty() ||
                oi.page_locations[0].offset != c.meta_data.data_page_offset)
                return fail(where, "offset index does not start at the first data page");
        }
        if (c.__isset.column_index_offset && c.__isset.column_index_length) {
            ColumnIndex ci;
            size_t n = 0;
            if (!thrift_read(file + c.column_index_offset,
                             static_cast<size_t>(c.column_index_length), &ci, &e, &n) ||
                n != static_cast<size_t>(c.column_index_length))
                return fail(where, "column index does not decode to its length " + e);
        }
        const ColumnMetaData &md = c.meta_data;
        if (md.__isset.bloom_filter_offset && md.__isset.bloom_filter_length) {
            BloomFilterHeader bh;
            size_t n = 0;
            if (!thrift_read(file + md.bloom_filter_offset,
                             static_cast<size_t>(md.bloom_filter_length), &bh, &e, &n) ||
                static_cast<int64_t>(n) + bh.numBytes != md.bloom_filter_length)
                return fail(where, "bloom filter header + bitset differ from its length " + e);
        }
        return true;
    }
};

} // namespace

bool check_file(const uint8_t *file, size_t size, bool pages, std::string *summary,
                std::string *err) {
    size_t foff = 0, flen = 0;
    if (!locate_footer(file, size, &foff, &flen, err)) return false;
    if (size < 12 || std::memcmp(file, "PAR1", 4) != 0) {
        *err = "no PAR1 magic at the start";
        return false;
    }
    FileMetaData md;
    size_t consumed = 0;
    if (!decode_footer(file + foff, flen, &md, err, &consumed)) return false;
    if (consumed != flen) {
        *err = "footer decodes to " + std::to_string(consumed) + " of " + std::to_string(flen) +
               " bytes";
        return false;
    }
    std::vector<LeafInfo> leaves;
    if (!schema_leaves(md.schema, &leaves, err)) return false;

    Checker ck{file, size, foff, err};
    int64_t rows = 0, chunks = 0;
    int64_t expect = 4; // chunks are written back to back from the first byte after "PAR1"
    for (size_t r = 0; r < md.row_groups.size(); r++) {
        const RowGroup &rg = md.row_groups[r];
        std::string rw = "row_groups[" + std::to_string(r) + "]";
        rows += rg.num_rows;
        if (rg.columns.size() != leaves.size())
            return ck.fail(rw, std::to_string(rg.columns.size()) + " chunks for " +
                                   std::to_string(leaves.size()) + " leaves");
        if (rg.__isset.ordinal && rg.ordinal != static_cast<int64_t>(r))
            return ck.fail(rw, "ordinal differs from position");
        int64_t first = -1, csum = 0, usum = 0;
        for (size_t c = 0; c < rg.columns.size(); c++) {
            const ColumnChunk &cc = rg.columns[c];
            std::string w = rw + ".columns[" + std::to_string(c) + "]";
            chunks++;
            const ColumnMetaData &cm = cc.meta_data;
            int64_t start = expect, len = 0;
            if (cc.__isset.meta_data) {
                if (cm.path_in_schema != leaves[c].path)
                    return ck.fail(w, "path_in_schema differs from the schema");
                if (cm.type != leaves[c].type) return ck.fail(w, "type differs from the schema");
                start = cm.data_page_offset;
                if (cm.__isset.dictionary_page_offset && cm.dictionary_page_offset > 0) {
                    if (cm.dictionary_page_offset >= cm.data_page_offset)
                        return ck.fail(w, "dictionary page not before the data page");
                    start = cm.dictionary_page_offset;
                }
                len = cm.total_compressed_size;
                if (start != expect)
                    return ck.fail(w, "chunk starts at " + std::to_string(start) +
                                          ", previous chunk ended at " + std::to_string(expect));
                if (!ck.region(start, len, 4, w)) return false;
                if (cm.data_page_offset >= start + len)
                    return ck.fail(w, "data page outside the chunk");
                if (cm.total_uncompressed_size < 0) return ck.fail(w, "negative size");
                if (pages && !ck.chunk_pages(cm, leaves[c], start, w)) return false;
                csum += len;
                usum += cm.total_uncompressed_size;
                expect = start + len;
            }
            if (first < 0) first = start;
            if (cc.__isset.offset_index_offset &&
                !ck.region(cc.offset_index_offset,
                           cc.__isset.offset_index_length ? cc.offset_index_length : 0, 4, w))
                return false;
            if (cc.__isset.column_index_offset &&
                !ck.region(cc.column_index_offset,
                           cc.__isset.column_index_length ? cc.column_index_length : 0, 4, w))
                return false;
            if (cm.__isset.bloom_filter_offset &&
                !ck.region(cm.bloom_filter_offset,
                           cm.__isset.bloom_filter_length ? cm.bloom_filter_length : 0, 4, w))
                return false;
            if (pages && !ck.side_structs(cc, w)) return false;
        }
        if (rg.__isset.file_offset && !rg.columns.empty() && rg.file_offset != first)
            return ck.fail(rw, "file_offset is not the first chunk's start");
        if (rg.__isset.total_compressed_size && rg.total_compressed_size != csum)
            return ck.fail(rw, "total_compressed_size differs from the chunks' sum");
        if (rg.total_byte_size != usum)
            return ck.fail(rw, "total_byte_size differs from the chunks' uncompressed sum");
    }
    if (rows != md.num_rows)
        return ck.fail("num_rows", std::to_string(md.num_rows) + " but row groups sum to " +
                                       std::to_string(rows));
    // Page index / bloom filters follow the chunks; they must not overlap them.
    for (const RowGroup &rg : md.row_groups)
        for (const ColumnChunk &cc : rg.columns) {
            if (cc.__isset.offset_index_offset && cc.offset_index_offset < expect)
                return ck.fail("offset index", "overlaps the column chunks");
            if (cc.__isset.column_index_offset && cc.column_index_offset < expect)
                return ck.fail("column index", "overlaps the column chunks");
            if (cc.meta_data.__isset.bloom_filter_offset &&
                cc.meta_data.bloom_filter_offset < expect)
                return ck.fail("bloom filter", "overlaps the column chunks");
        }
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "ok: %zu bytes, footer %zu, %zu leaves, %zu row groups, %lld chunks, %lld rows%s",
                  size, flen, leaves.size(), md.row_groups.size(), static_cast<long long>(chunks),
                  static_cast<long long>(rows), pages ? "" : "");
    *summary = buf;
    if (pages) {
        std::snprintf(buf, sizeof buf, ", %ld pages, %ld level entries", ck.pages, ck.values);
        *summary += buf;
    }
    return true;
}

} // namespace pqo
