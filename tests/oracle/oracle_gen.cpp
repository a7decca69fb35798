// oracle_gen.cpp -- write complete Parquet files with Apache Thrift's C++ encoder.
//
// Two families of shapes:
//  * "real" shapes (S1..S6, tiny, nested, dict, pageindex, kv, logical): a schema tree whose
//    records are generated, shredded into definition/repetition levels (Dremel) and written as
//    real v1 data pages (PLAIN or RLE_DICTIONARY, optional dictionary page), zstd level 9 or
//    uncompressed, shaped like parquet-cpp/PyArrow output; with real page indexes and split-block
//    bloom filters where the shape asks for them.
//  * "random" shapes: random schemas and random presence of every optional footer field, with
//    synthetic (filler) chunk bytes whose offsets and sizes are self-consistent.
// Everything is driven by a private PRNG so the output is identical for a given shape and seed.
#include "oracle_lib.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include <xxhash.h>
#include <zstd.h>

#include "oracle_internal.h"

namespace pqo {

using namespace pqforacle;

namespace {

// ===================================================================================== PRNG

struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) {}
    uint64_t next() { // splitmix64
        uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }
    int64_t range(int64_t lo, int64_t hi) { // inclusive
        return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
    }
    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    template <class T> const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }
};

// ============================================================================ byte helpers

template <class T> std::string raw(T v) {
    std::string s(sizeof v, '\0');
    std::memcpy(&s[0], &v, sizeof v);
    return s;
}
template <class T> T unraw(const std::string &s) {
    T v;
    std::memcpy(&v, s.data(), sizeof v);
    return v;
}

std::string base64(const std::vector<uint8_t> &in) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string o;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        uint32_t v = static_cast<uint32_t>(in[i]) << 16 | static_cast<uint32_t>(in[i + 1]) << 8 |
                     in[i + 2];
        for (int k = 3; k >= 0; k--) o.push_back(tab[(v >> (6 * k)) & 63]);
    }
    if (i < in.size()) {
        uint32_t v = static_cast<uint32_t>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<uint32_t>(in[i + 1]) << 8;
        o.push_back(tab[(v >> 18) & 63]);
        o.push_back(tab[(v >> 12) & 63]);
        o.push_back(i + 1 < in.size() ? tab[(v >> 6) & 63] : '=');
        o.push_back('=');
    }
    return o;
}

// A plausible "ARROW:schema" value: base64 of an IPC message (continuation marker, length,
// then bytes standing in for the flatbuffer), sized like Arrow's for this many fields.
std::string arrow_schema_blob(size_t fields, uint64_t seed) {
    Rng r(seed ^ 0xA770);
    size_t n = 120 + 72 * fields;
    std::vector<uint8_t> b = {0xFF, 0xFF, 0xFF, 0xFF};
    uint32_t len = static_cast<uint32_t>(n);
    for (int i = 0; i < 4; i++) b.push_back(static_cast<uint8_t>(len >> (8 * i)));
    for (size_t i = 0; i < n; i++) b.push_back(static_cast<uint8_t>(r.chance(0.6) ? 0 : r.next()));
    return base64(b);
}

// ================================================================= schema element builders

SchemaElement group_el(const std::string &name, int rep, int converted = -1) {
    SchemaElement e;
    e.__set_name(name);
    if (rep >= 0) e.__set_repetition_type(static_cast<FieldRepetitionType::type>(rep));
    if (converted >= 0) e.__set_converted_type(static_cast<ConvertedType::type>(converted));
    return e;
}

SchemaElement leaf_el(const std::string &name, int type, int rep, int type_length = -1) {
    SchemaElement e;
    e.__set_name(name);
    e.__set_type(static_cast<Type::type>(type));
    if (type_length >= 0) e.__set_type_length(type_length);
    e.__set_repetition_type(static_cast<FieldRepetitionType::type>(rep));
    return e;
}

TimeUnit time_unit(int u) {
    TimeUnit t;
    if (u == 1) t.__set_MILLIS(MilliSeconds());
    if (u == 2) t.__set_MICROS(MicroSeconds());
    if (u == 3) t.__set_NANOS(NanoSeconds());
    return t;
}

LogicalType lt_string() { LogicalType l; l.__set_STRING(StringType()); return l; }
LogicalType lt_list() { LogicalType l; l.__set_LIST(ListType()); return l; }
LogicalType lt_map() { LogicalType l; l.__set_MAP(MapType()); return l; }
LogicalType lt_decimal(int scale, int precision) {
    DecimalType d;
    d.__set_scale(scale);
    d.__set_precision(precision);
    LogicalType l;
    l.__set_DECIMAL(d);
    return l;
}
LogicalType lt_timestamp(int unit, bool utc) {
    TimestampType t;
    t.__set_isAdjustedToUTC(utc);
    t.__set_unit(time_unit(unit));
    LogicalType l;
    l.__set_TIMESTAMP(t);
    return l;
}
LogicalType lt_time(int unit, bool utc) {
    TimeType t;
    t.__set_isAdjustedToUTC(utc);
    t.__set_unit(time_unit(unit));
    LogicalType l;
    l.__set_TIME(t);
    return l;
}
LogicalType lt_int(int bits, bool sign) {
    IntType t;
    t.__set_bitWidth(static_cast<int8_t>(bits));
    t.__set_isSigned(sign);
    LogicalType l;
    l.__set_INTEGER(t);
    return l;
}

// ============================================================================= real shapes

enum class Sort { NONE, SIGNED, UNSIGNED, FLOAT, BYTES };

// A node of the schema tree. Leaves carry a value generator and a write plan.
struct Node {
    SchemaElement el;
    std::vector<Node> kids;
    // leaves
    std::function<std::string(Rng &)> gen;
    Sort sort = Sort::NONE;
    bool dict = false;
    int codec = CompressionCodec::ZSTD;
    bool bloom = false;
    std::vector<KeyValue> col_kv;
    // every node
    double p_null = 0.1;   // optional: chance of null
    int max_repeat = 3;    // repeated: 0..max_repeat instances
    // computed by annotate()
    int def = 0, rep = 0, leaf = -1;

    bool is_leaf() const { return kids.empty() && el.__isset.type; }
};

Node leaf(const std::string &name, int type, int rep, std::function<std::string(Rng &)> gen,
          Sort sort, int type_length = -1) {
    Node n;
    n.el = leaf_el(name, type, rep, type_length);
    n.gen = std::move(gen);
    n.sort = sort;
    return n;
}

Node group(const std::string &name, int rep, std::vector<Node> kids, int converted = -1) {
    Node n;
    n.el = group_el(name, rep, converted);
    n.kids = std::move(kids);
    return n;
}

void annotate(Node *n, int def, int rep, int *leaves) {
    int r = n->el.__isset.repetition_type ? n->el.repetition_type : 0;
    if (r == FieldRepetitionType::OPTIONAL) def++;
    if (r == FieldRepetitionType::REPEATED) def++, rep++;
    n->def = def;
    n->rep = rep;
    if (n->is_leaf()) n->leaf = (*leaves)++;
    for (Node &k : n->kids) annotate(&k, def, rep, leaves);
}

// The root adds no level, whatever repetition it claims.
void annotate_root(Node *root, int *leaves) {
    root->def = root->rep = 0;
    for (Node &k : root->kids) annotate(&k, 0, 0, leaves);
}

void flatten(const Node &n, std::vector<SchemaElement> *out) {
    out->push_back(n.el);
    if (!n.is_leaf()) out->back().__set_num_children(static_cast<int32_t>(n.kids.size()));
    for (const Node &k : n.kids) flatten(k, out);
}

void collect_leaves(const Node &n, std::vector<const Node *> *out) {
    if (n.is_leaf()) out->push_back(&n);
    for (const Node &k : n.kids) collect_leaves(k, out);
}

// Levels and values of one leaf within one row group.
struct ColData {
    std::vector<uint32_t> def, rep;
    std::vector<std::string> vals;
    size_t entries = 0;
};

// Shredding: emit one record's instances of node n into the leaf columns.
void emit_null(const Node &n, int def, int rep, std::vector<ColData> *cols) {
    if (n.is_leaf()) {
        ColData &c = (*cols)[static_cast<size_t>(n.leaf)];
        if (n.def > 0) c.def.push_back(static_cast<uint32_t>(def));
        if (n.rep > 0) c.rep.push_back(static_cast<uint32_t>(rep));
        c.entries++;
        return;
    }
    for (const Node &k : n.kids) emit_null(k, def, rep, cols);
}

void emit(const Node &n, int parent_def, int first_rep, Rng &rng, std::vector<ColData> *cols) {
    int r = n.el.__isset.repetition_type ? n.el.repetition_type : 0;
    int count = 1;
    if (r == FieldRepetitionType::OPTIONAL) count = rng.chance(n.p_null) ? 0 : 1;
    if (r == FieldRepetitionType::REPEATED) count = static_cast<int>(rng.range(0, n.max_repeat));
    if (count == 0) {
        emit_null(n, parent_def, first_rep, cols);
        return;
    }
    for (int i = 0; i < count; i++) {
        int rl = i == 0 ? first_rep : n.rep;
        if (n.is_leaf()) {
            ColData &c = (*cols)[static_cast<size_t>(n.leaf)];
            if (n.def > 0) c.def.push_back(static_cast<uint32_t>(n.def));
            if (n.rep > 0) c.rep.push_back(static_cast<uint32_t>(rl));
            c.vals.push_back(n.gen(rng));
            c.entries++;
        } else {
            for (const Node &k : n.kids) emit(k, n.def, rl, rng, cols);
        }
    }
}

// ------------------------------------------------------------------------- value encoding

// RLE runs only (valid RLE/bit-packed hybrid).
void rle_runs(const std::vector<uint32_t> &v, size_t from, size_t to, int width,
              std::vector<uint8_t> *out) {
    const int vbytes = (width + 7) / 8;
    size_t i = from;
    while (i < to) {
        size_t j = i;
        while (j < to && v[j] == v[i]) j++;
        put_uvarint(out, static_cast<uint64_t>(j - i) << 1);
        for (int b = 0; b < vbytes; b++) out->push_back(static_cast<uint8_t>(v[i] >> (8 * b)));
        i = j;
    }
}

// Dictionary indices: one RLE run when they are all equal, else bit-packed groups of 8.
void encode_indices(const std::vector<uint32_t> &idx, int width, std::vector<uint8_t> *out) {
    out->push_back(static_cast<uint8_t>(width));
    if (idx.empty()) return;
    if (std::all_of(idx.begin(), idx.end(), [&](uint32_t x) { return x == idx[0]; })) {
        rle_runs(idx, 0, idx.size(), width, out);
        return;
    }
    size_t groups = (idx.size() + 7) / 8;
    put_uvarint(out, static_cast<uint64_t>(groups) << 1 | 1);
    size_t base = out->size();
    out->resize(base + groups * static_cast<size_t>(width), 0);
    for (size_t k = 0; k < idx.size(); k++)
        for (int b = 0; b < width; b++)
            if (idx[k] >> b & 1) {
                size_t bit = k * static_cast<size_t>(width) + static_cast<size_t>(b);
                (*out)[base + bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
            }
}

void plain_values(int type, const std::vector<std::string> &vals, size_t from, size_t to,
                  std::vector<uint8_t> *out) {
    if (type == Type::BOOLEAN) {
        size_t base = out->size();
        out->resize(base + (to - from + 7) / 8, 0);
        for (size_t k = from; k < to; k++)
            if (vals[k][0]) (*out)[base + (k - from) / 8] |= static_cast<uint8_t>(1u << ((k - from) % 8));
        return;
    }
    for (size_t k = from; k < to; k++) {
        if (type == Type::BYTE_ARRAY) put_u32le(out, static_cast<uint32_t>(vals[k].size()));
        out->insert(out->end(), vals[k].begin(), vals[k].end());
    }
}

bool less_than(Sort s, const std::string &a, const std::string &b) {
    switch (s) {
    case Sort::SIGNED:
        if (a.size() == 4) return unraw<int32_t>(a) < unraw<int32_t>(b);
        return unraw<int64_t>(a) < unraw<int64_t>(b);
    case Sort::UNSIGNED:
        if (a.size() == 4) return unraw<uint32_t>(a) < unraw<uint32_t>(b);
        return unraw<uint64_t>(a) < unraw<uint64_t>(b);
    case Sort::FLOAT:
        if (a.size() == 4) return unraw<float>(a) < unraw<float>(b);
        return unraw<double>(a) < unraw<double>(b);
    case Sort::BYTES: return a < b; // char_traits<char>::compare orders bytes as unsigned
    default: return false;
    }
}

struct MinMax {
    bool any = false;
    std::string min, max;
    void add(Sort s, const std::string &v) {
        if (!any) {
            min = max = v;
            any = true;
            return;
        }
        if (less_than(s, v, min)) min = v;
        if (less_than(s, max, v)) max = v;
    }
};

// Split-block bloom filter (Parquet's SBBF with XXH64).
std::vector<uint8_t> bloom_bitset(const std::vector<std::string> &distinct) {
    static const uint32_t salt[8] = {0x47b6137bu, 0x44974d91u, 0x8824ad5bu, 0xa2b7289du,
                                     0x705495c7u, 0x2df1424bu, 0x9efc4947u, 0x5c6bfb31u};
    size_t bytes = 32;
    while (bytes < distinct.size() * 2 && bytes < (1u << 20)) bytes *= 2; // ~16 bits per value
    std::vector<uint32_t> words(bytes / 4, 0);
    uint64_t blocks = bytes / 32;
    for (const std::string &v : distinct) {
        uint64_t h = XXH64(v.data(), v.size(), 0);
        uint64_t blk = ((h >> 32) * blocks) >> 32;
        uint32_t key = static_cast<uint32_t>(h);
        for (int i = 0; i < 8; i++) words[blk * 8 + static_cast<uint64_t>(i)] |= 1u << ((key * salt[i]) >> 27);
    }
    std::vector<uint8_t> out;
    for (uint32_t w : words) put_u32le(&out, w);
    return out;
}

struct RealShape {
    Node root;
    int64_t rows = 0, rg_rows = 1;
    int page_rows = 0;        // >0: flat chunks get a data page per page_rows rows
    bool page_index = false;  // offset + column index for every chunk
    bool arrow_kv = true;
    std::vector<KeyValue> kv; // more file key-value entries
    std::string created_by = "parquet-cpp-arrow version 15.0.0";
};

// What the page index / bloom filter of one chunk need, kept until they are written.
struct SideInfo {
    std::vector<PageLocation> locs;
    std::vector<MinMax> page_mm;
    std::vector<int64_t> page_nulls;
    std::vector<std::string> distinct; // bloom filter values
    bool bloom = false;
    Sort sort = Sort::NONE;
};

class RealWriter {
  public:
    RealWriter(std::vector<uint8_t> *f, bool stats) : f_(f), stats_(stats) {
        cctx_ = ZSTD_createCCtx();
    }
    ~RealWriter() { ZSTD_freeCCtx(cctx_); }
    RealWriter(const RealWriter &) = delete;
    RealWriter &operator=(const RealWriter &) = delete;

    ThriftWriter tw;

    // Write one column chunk; returns its ColumnChunk.
    ColumnChunk chunk(const Node &n, const LeafInfo &li, const ColData &cd, int page_rows,
                      SideInfo *side) {
        const int type = n.el.type;
        const int64_t start = pos();
        ColumnMetaData md;
        md.__set_type(static_cast<Type::type>(type));
        md.__set_path_in_schema(li.path);
        md.__set_codec(static_cast<CompressionCodec::type>(n.codec));
        md.__set_num_values(static_cast<int64_t>(cd.entries));
        int64_t usize = 0, csize = 0;
        int npages = 0;

        // Dictionary (values in order of first appearance).
        std::vector<uint32_t> idx;
        std::vector<std::string> dict;
        if (n.dict || n.bloom) {
            std::unordered_map<std::string, uint32_t> seen;
            for (const std::string &v : cd.vals) {
                auto it = seen.find(v);
                if (it == seen.end()) {
                    it = seen.emplace(v, static_cast<uint32_t>(dict.size())).first;
                    dict.push_back(v);
                }
                idx.push_back(it->second);
            }
        }
        if (n.dict) {
            std::vector<uint8_t> body;
            plain_values(type, dict, 0, dict.size(), &body);
            PageHeader ph;
            ph.__set_type(PageType::DICTIONARY_PAGE);
            DictionaryPageHeader dh;
            dh.__set_num_values(static_cast<int32_t>(dict.size()));
            dh.__set_encoding(Encoding::PLAIN);
            ph.__set_dictionary_page_header(dh);
            md.__set_dictionary_page_offset(pos());
            page(&ph, body, n.codec, &usize, &csize);
        }
        const int width = std::max(1, bit_width(dict.empty() ? 0 : dict.size() - 1));

        // Data pages: split by rows for flat columns, one page otherwise.
        std::vector<std::pair<size_t, size_t>> ranges; // entry ranges
        if (page_rows > 0 && n.rep == 0 && cd.entries > 0) {
            for (size_t s = 0; s < cd.entries; s += static_cast<size_t>(page_rows))
                ranges.push_back({s, std::min(cd.entries, s + static_cast<size_t>(page_rows))});
        } else {
            ranges.push_back({0, cd.entries});
        }
        MinMax all;
        int64_t nulls = 0;
        size_t vpos = 0; // index of the first value of the page
        bool first_data = true;
        for (auto [from, to] : ranges) {
            std::vector<uint8_t> body;
            size_t nonnull = to - from;
            if (n.rep > 0) levels(cd.rep, from, to, n.rep, &body);
            if (n.def > 0) {
                levels(cd.def, from, to, n.def, &body);
                nonnull = static_cast<size_t>(std::count(cd.def.begin() + static_cast<long>(from),
                                                         cd.def.begin() + static_cast<long>(to),
                                                         static_cast<uint32_t>(n.def)));
            }
            MinMax mm;
            for (size_t k = vpos; k < vpos + nonnull; k++) mm.add(n.sort, cd.vals[k]);
            if (mm.any) {
                all.add(n.sort, mm.min);
                all.add(n.sort, mm.max);
            }
            nulls += static_cast<int64_t>((to - from) - nonnull);
            if (n.dict) {
                std::vector<uint32_t> pidx(idx.begin() + static_cast<long>(vpos),
                                           idx.begin() + static_cast<long>(vpos + nonnull));
                encode_indices(pidx, width, &body);
            } else {
                plain_values(type, cd.vals, vpos, vpos + nonnull, &body);
            }
            PageHeader ph;
            ph.__set_type(PageType::DATA_PAGE);
            DataPageHeader dh;
            dh.__set_num_values(static_cast<int32_t>(to - from));
            dh.__set_encoding(n.dict ? Encoding::RLE_DICTIONARY : Encoding::PLAIN);
            dh.__set_definition_level_encoding(Encoding::RLE);
            dh.__set_repetition_level_encoding(Encoding::RLE);
            ph.__set_data_page_header(dh);
            if (first_data) md.__set_data_page_offset(pos());
            first_data = false;
            PageLocation loc;
            loc.__set_offset(pos());
            loc.__set_first_row_index(static_cast<int64_t>(from)); // flat: entry == row
            int64_t before = pos();
            page(&ph, body, n.codec, &usize, &csize);
            loc.__set_compressed_page_size(static_cast<int32_t>(pos() - before));
            if (side) {
                side->locs.push_back(loc);
                side->page_mm.push_back(mm);
                side->page_nulls.push_back(static_cast<int64_t>((to - from) - nonnull));
            }
            npages++;
            vpos += nonnull;
        }
        if (side && n.rep > 0 && !side->locs.empty()) side->locs[0].__set_first_row_index(0);
        md.__set_total_uncompressed_size(usize);
        md.__set_total_compressed_size(csize);

        std::vector<Encoding::type> enc = {Encoding::PLAIN, Encoding::RLE};
        if (n.dict) enc.push_back(Encoding::RLE_DICTIONARY);
        md.__set_encodings(enc);
        if (stats_) {
            Statistics st;
            if (all.any && n.sort != Sort::NONE) {
                if (n.sort == Sort::SIGNED || n.sort == Sort::FLOAT) {
                    st.__set_max(all.max);
                    st.__set_min(all.min);
                }
                st.__set_max_value(all.max);
                st.__set_min_value(all.min);
                st.__set_is_max_value_exact(true);
                st.__set_is_min_value_exact(true);
            }
            st.__set_null_count(nulls);
            md.__set_statistics(st);
            std::vector<PageEncodingStats> es;
            if (n.dict) es.push_back(enc_stats(PageType::DICTIONARY_PAGE, Encoding::PLAIN, 1));
            es.push_back(enc_stats(PageType::DATA_PAGE, n.dict ? Encoding::RLE_DICTIONARY
                                                             : Encoding::PLAIN, npages));
            md.__set_encoding_stats(es);
        }
        if (!n.col_kv.empty()) md.__set_key_value_metadata(n.col_kv);
        if (side) {
            side->bloom = n.bloom;
            side->sort = n.sort;
            if (n.bloom) side->distinct = dict;
        }
        ColumnChunk cc;
        cc.__set_file_offset(start);
        cc.__set_meta_data(md);
        return cc;
    }

    // Page index and bloom filters of every chunk, after the row groups (bloom filters first,
    // then all column indexes, then all offset indexes, as parquet-cpp lays them out).
    void side_structs(FileMetaData *md, std::vector<std::vector<SideInfo>> *side, bool page_index) {
        for (size_t r = 0; r < md->row_groups.size(); r++)
            for (size_t c = 0; c < md->row_groups[r].columns.size(); c++) {
                SideInfo &s = (*side)[r][c];
                if (!s.bloom) continue;
                std::vector<uint8_t> bits = bloom_bitset(s.distinct);
                BloomFilterHeader bh;
                bh.__set_numBytes(static_cast<int32_t>(bits.size()));
                BloomFilterAlgorithm a;
                a.__set_BLOCK(SplitBlockAlgorithm());
                bh.__set_algorithm(a);
                BloomFilterHash h;
                h.__set_XXHASH(XxHash());
                bh.__set_hash(h);
                BloomFilterCompression z;
                z.__set_UNCOMPRESSED(BloomUncompressed());
                bh.__set_compression(z);
                int64_t at = pos();
                tw.append(bh, f_);
                f_->insert(f_->end(), bits.begin(), bits.end());
                ColumnMetaData &cm = md->row_groups[r].columns[c].meta_data;
                cm.__set_bloom_filter_offset(at);
                cm.__set_bloom_filter_length(static_cast<int32_t>(pos() - at));
            }
        if (!page_index) return;
        for (size_t r = 0; r < md->row_groups.size(); r++)
            for (size_t c = 0; c < md->row_groups[r].columns.size(); c++) {
                SideInfo &s = (*side)[r][c];
                ColumnIndex ci;
                std::vector<bool> null_pages;
                std::vector<std::string> mins, maxs;
                for (const MinMax &mm : s.page_mm) {
                    null_pages.push_back(!mm.any);
                    mins.push_back(mm.any && s.sort != Sort::NONE ? mm.min : std::string());
                    maxs.push_back(mm.any && s.sort != Sort::NONE ? mm.max : std::string());
                }
                ci.__set_null_pages(null_pages);
                ci.__set_min_values(mins);
                ci.__set_max_values(maxs);
                ci.__set_boundary_order(BoundaryOrder::UNORDERED);
                ci.__set_null_counts(s.page_nulls);
                int64_t at = pos();
                size_t n = tw.append(ci, f_);
                ColumnChunk &cc = md->row_groups[r].columns[c];
                cc.__set_column_index_offset(at);
                cc.__set_column_index_length(static_cast<int32_t>(n));
            }
        for (size_t r = 0; r < md->row_groups.size(); r++)
            for (size_t c = 0; c < md->row_groups[r].columns.size(); c++) {
                OffsetIndex oi;
                oi.__set_page_locations((*side)[r][c].locs);
                int64_t at = pos();
                size_t n = tw.append(oi, f_);
                ColumnChunk &cc = md->row_groups[r].columns[c];
                cc.__set_offset_index_offset(at);
                cc.__set_offset_index_length(static_cast<int32_t>(n));
            }
    }

    int64_t pos() const { return static_cast<int64_t>(f_->size()); }

  private:
    std::vector<uint8_t> *f_;
    bool stats_;
    ZSTD_CCtx *cctx_;
    std::vector<uint8_t> zbuf_;

    static PageEncodingStats enc_stats(PageType::type t, Encoding::type e, int count) {
        PageEncodingStats s;
        s.__set_page_type(t);
        s.__set_encoding(e);
        s.__set_count(count);
        return s;
    }

    // 4-byte length + RLE runs of one level stream.
    static void levels(const std::vector<uint32_t> &lv, size_t from, size_t to, int max,
                       std::vector<uint8_t> *out) {
        size_t at = out->size();
        put_u32le(out, 0);
        rle_runs(lv, from, to, bit_width(static_cast<uint64_t>(max)), out);
        uint32_t len = static_cast<uint32_t>(out->size() - at - 4);
        for (int i = 0; i < 4; i++) (*out)[at + static_cast<size_t>(i)] = static_cast<uint8_t>(len >> (8 * i));
    }

    void page(PageHeader *ph, const std::vector<uint8_t> &body, int codec, int64_t *usize,
              int64_t *csize) {
        const std::vector<uint8_t> *payload = &body;
        if (codec == CompressionCodec::ZSTD) {
            zbuf_.resize(ZSTD_compressBound(body.size()));
            size_t n = ZSTD_compressCCtx(cctx_, zbuf_.data(), zbuf_.size(), body.data(),
                                         body.size(), 9);
            if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
            zbuf_.resize(n);
            payload = &zbuf_;
        }
        ph->__set_uncompressed_page_size(static_cast<int32_t>(body.size()));
        ph->__set_compressed_page_size(static_cast<int32_t>(payload->size()));
        size_t h = tw.append(*ph, f_);
        f_->insert(f_->end(), payload->begin(), payload->end());
        *usize += static_cast<int64_t>(h + body.size());
        *csize += static_cast<int64_t>(h + payload->size());
    }
};

void finish_file(const FileMetaData &md, ThriftWriter *tw, std::vector<uint8_t> *f) {
    size_t n = tw->append(md, f);
    put_u32le(f, static_cast<uint32_t>(n));
    f->insert(f->end(), {'P', 'A', 'R', '1'});
}

void write_real(RealShape &sh, const GenOptions &opt, std::vector<uint8_t> *out) {
    int nleaves = 0;
    annotate_root(&sh.root, &nleaves);
    std::vector<SchemaElement> schema;
    flatten(sh.root, &schema);
    std::vector<LeafInfo> infos;
    std::string err;
    if (!schema_leaves(schema, &infos, &err)) throw std::runtime_error(err);
    std::vector<const Node *> leaves;
    collect_leaves(sh.root, &leaves);

    FileMetaData md;
    md.__set_version(2);
    md.__set_schema(schema);
    md.__set_num_rows(sh.rows);
    md.__set_created_by(sh.created_by);
    std::vector<KeyValue> kv;
    if (sh.arrow_kv) {
        KeyValue a;
        a.__set_key("ARROW:schema");
        a.__set_value(arrow_schema_blob(leaves.size(), static_cast<uint64_t>(leaves.size())));
        kv.push_back(a);
    }
    kv.insert(kv.end(), sh.kv.begin(), sh.kv.end());
    if (!kv.empty()) md.__set_key_value_metadata(kv);
    std::vector<ColumnOrder> orders(leaves.size());
    for (ColumnOrder &o : orders) o.__set_TYPE_ORDER(TypeDefinedOrder());
    md.__set_column_orders(orders);

    out->clear();
    out->insert(out->end(), {'P', 'A', 'R', '1'});
    RealWriter w(out, opt.stats);
    Rng rng(opt.seed);
    bool want_side = sh.page_index;
    for (const Node *n : leaves) want_side = want_side || n->bloom;
    std::vector<std::vector<SideInfo>> side;
    int64_t done = 0;
    std::vector<ColData> cols;
    while (done < sh.rows) {
        int64_t nrows = std::min(sh.rg_rows, sh.rows - done);
        cols.assign(leaves.size(), ColData());
        for (int64_t r = 0; r < nrows; r++) emit(sh.root, 0, 0, rng, &cols);
        RowGroup rg;
        rg.__set_num_rows(nrows);
        std::vector<ColumnChunk> chunks;
        std::vector<SideInfo> rside(want_side ? leaves.size() : 0);
        int64_t first = w.pos(), tbs = 0, tcs = 0;
        for (size_t c = 0; c < leaves.size(); c++) {
            chunks.push_back(w.chunk(*leaves[c], infos[c], cols[c], sh.page_rows,
                                     want_side ? &rside[c] : nullptr));
            tbs += chunks.back().meta_data.total_uncompressed_size;
            tcs += chunks.back().meta_data.total_compressed_size;
        }
        rg.__set_columns(chunks);
        rg.__set_total_byte_size(tbs);
        rg.__set_file_offset(first);
        rg.__set_total_compressed_size(tcs);
        if (md.row_groups.size() <= 32767)
            rg.__set_ordinal(static_cast<int16_t>(md.row_groups.size()));
        md.row_groups.push_back(std::move(rg));
        if (want_side) side.push_back(std::move(rside));
        done += nrows;
    }
    if (want_side) w.side_structs(&md, &side, sh.page_index);
    finish_file(md, &w.tw, out);
}

// ------------------------------------------------------------------------ value generators

std::function<std::string(Rng &)> gen_double() {
    return [](Rng &r) { return raw(std::round(r.unit() * 200000.0) / 100.0 - 1000.0); };
}
std::function<std::string(Rng &)> gen_double_few(int k) {
    return [k](Rng &r) { return raw(static_cast<double>(r.range(0, k - 1)) * 1.25); };
}
std::function<std::string(Rng &)> gen_i32(int64_t lo, int64_t hi) {
    return [lo, hi](Rng &r) { return raw(static_cast<int32_t>(r.range(lo, hi))); };
}
std::function<std::string(Rng &)> gen_u32(uint32_t hi) {
    return [hi](Rng &r) { return raw(static_cast<uint32_t>(r.below(static_cast<uint64_t>(hi) + 1))); };
}
std::function<std::string(Rng &)> gen_i64(int64_t lo, int64_t hi) {
    return [lo, hi](Rng &r) { return raw(static_cast<int64_t>(r.range(lo, hi))); };
}
std::function<std::string(Rng &)> gen_u64() {
    return [](Rng &r) { return raw(r.next()); };
}
std::function<std::string(Rng &)> gen_pick(std::vector<std::string> v) {
    return [v](Rng &r) { return r.pick(v); };
}
std::function<std::string(Rng &)> gen_bytes(size_t n) {
    return [n](Rng &r) {
        std::string s(n, '\0');
        for (char &c : s) c = static_cast<char>(r.next());
        return s;
    };
}
std::function<std::string(Rng &)> gen_counter() {
    auto k = std::make_shared<int64_t>(0);
    return [k](Rng &) { return raw((*k)++); };
}
// Big-endian two's complement, minimal length: DECIMAL on BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY.
std::string be_decimal(int64_t v, size_t fixed) {
    std::string s;
    for (int i = 7; i >= 0; i--) s.push_back(static_cast<char>(static_cast<uint64_t>(v) >> (8 * i)));
    if (fixed) {
        char pad = v < 0 ? '\xFF' : '\0';
        while (s.size() < fixed) s.insert(s.begin(), pad);
        return s.substr(s.size() - fixed);
    }
    while (s.size() > 1 && ((s[0] == 0 && !(s[1] & 0x80)) || (s[0] == '\xFF' && (s[1] & 0x80))))
        s.erase(s.begin());
    return s;
}

const std::vector<std::string> kWords = {"alpha", "beta", "gamma", "delta", "épsilon",
                                         "ζeta", "eta", "θήτα", "日本", "iota"};

// ------------------------------------------------------------------------------ the shapes

// S1..S5 and the demo example: flat optional DOUBLE columns, PyArrow-like.
void flat_doubles(RealShape *sh, long ncols, bool long_names) {
    sh->root = group("schema", -1, {});
    for (long j = 0; j < ncols; j++) {
        char name[64];
        if (long_names)
            std::snprintf(name, sizeof name, "sensor_measurement_reading_value_channel_c_%05ld", j);
        else
            std::snprintf(name, sizeof name, "c%ld", j);
        Node n = leaf(name, Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double(), Sort::FLOAT);
        n.p_null = 0.01;
        n.dict = j % 7 != 6;                                               // PyArrow's default,
        n.codec = j % 5 == 4 ? CompressionCodec::UNCOMPRESSED : CompressionCodec::ZSTD; // mostly
        sh->root.kids.push_back(n);
    }
}

Node list_of(const std::string &name, Node element) {
    element.el.__set_name("element");
    Node l = group(name, FieldRepetitionType::OPTIONAL,
                   {group("list", FieldRepetitionType::REPEATED, {element})}, ConvertedType::LIST);
    l.el.__set_logicalType(lt_list());
    return l;
}

Node map_of(const std::string &name, Node key, Node value) {
    key.el.__set_name("key");
    value.el.__set_name("value");
    Node m = group(name, FieldRepetitionType::OPTIONAL,
                   {group("key_value", FieldRepetitionType::REPEATED, {key, value})},
                   ConvertedType::MAP);
    m.el.__set_logicalType(lt_map());
    return m;
}

Node string_leaf(const std::string &name, int rep, std::function<std::string(Rng &)> g) {
    Node n = leaf(name, Type::BYTE_ARRAY, rep, std::move(g), Sort::BYTES);
    n.el.__set_converted_type(ConvertedType::UTF8);
    n.el.__set_logicalType(lt_string());
    return n;
}

// S6 / nested: a list<double>, a map<string,double>, a struct of two doubles, two flat columns.
void nested_shape(RealShape *sh) {
    Node id = leaf("id", Type::INT64, FieldRepetitionType::REQUIRED, gen_counter(), Sort::SIGNED);
    Node x = leaf("x", Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double(), Sort::FLOAT);
    Node el = leaf("element", Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double(), Sort::FLOAT);
    Node key = string_leaf("key", FieldRepetitionType::REQUIRED,
                           gen_pick({"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"}));
    key.dict = true;
    Node val = leaf("value", Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double(), Sort::FLOAT);
    Node a = leaf("a", Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double(), Sort::FLOAT);
    Node b = leaf("b", Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double(), Sort::FLOAT);
    b.codec = CompressionCodec::UNCOMPRESSED;
    id.codec = CompressionCodec::UNCOMPRESSED;
    x.dict = true;
    sh->root = group("schema", -1,
                     {id, x, list_of("l", el), map_of("m", key, val),
                      group("s", FieldRepetitionType::OPTIONAL, {a, b})});
}

void tiny_shape(RealShape *sh) {
    Node id = leaf("id", Type::INT64, FieldRepetitionType::REQUIRED, gen_counter(), Sort::SIGNED);
    id.codec = CompressionCodec::UNCOMPRESSED;
    Node v = leaf("value", Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double(), Sort::FLOAT);
    Node name = string_leaf("name", FieldRepetitionType::OPTIONAL, gen_pick(kWords));
    name.dict = true;
    sh->root = group("schema", -1, {id, v, name});
    sh->rows = 10;
    sh->rg_rows = 5;
}

void dict_shape(RealShape *sh) {
    Node cat = string_leaf("category", FieldRepetitionType::OPTIONAL,
                           gen_pick({"red", "green", "blue", "cyan", "magenta"}));
    Node code = leaf("code", Type::INT32, FieldRepetitionType::REQUIRED, gen_i32(0, 9), Sort::SIGNED);
    Node price = leaf("price", Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double_few(8),
                      Sort::FLOAT);
    Node ts = leaf("ts", Type::INT64, FieldRepetitionType::OPTIONAL,
                   gen_pick({raw<int64_t>(1700000000000000), raw<int64_t>(1700000001000000),
                             raw<int64_t>(1700000002000000)}),
                   Sort::SIGNED);
    ts.el.__set_converted_type(ConvertedType::TIMESTAMP_MICROS);
    ts.el.__set_logicalType(lt_timestamp(2, true));
    for (Node *n : {&cat, &code, &price, &ts}) n->dict = true;
    sh->root = group("schema", -1, {cat, code, price, ts});
    sh->rows = 120;
    sh->rg_rows = 40;
}

void pageindex_shape(RealShape *sh) {
    Node id = leaf("id", Type::INT64, FieldRepetitionType::REQUIRED, gen_counter(), Sort::SIGNED);
    id.bloom = true;
    Node v = leaf("value", Type::DOUBLE, FieldRepetitionType::OPTIONAL, gen_double_few(12),
                  Sort::FLOAT);
    v.dict = true;
    Node tag = string_leaf("tag", FieldRepetitionType::OPTIONAL, gen_pick(kWords));
    tag.dict = true;
    tag.bloom = true;
    sh->root = group("schema", -1, {id, v, tag});
    sh->rows = 150;
    sh->rg_rows = 50;
    sh->page_rows = 20;
    sh->page_index = true;
}

KeyValue kv(const std::string &k, const std::string *v) {
    KeyValue e;
    e.__set_key(k);
    if (v) e.__set_value(*v);
    return e;
}

const char kCtl[] = "ctrl \x01\x1F\x7F and NUL \0 inside";

void kv_shape(RealShape *sh) {
    tiny_shape(sh);
    const std::string v1 = "1.0", v2 = "pandas \"quoted\" \\ back\tslash\nnewline",
                      v3 = std::string("bad utf-8: \xC3\x28 \xED\xA0\x80 \xF4\x90\x80\x80 \xFF end"),
                      v4 = std::string(kCtl, sizeof kCtl - 1),
                      v5 = "ünïcødé ✓ 𝄞", v6 = "";
    sh->kv = {kv("writer.version", &v1), kv("no value", nullptr),  kv("escapes", &v2),
              kv("invalid", &v3),        kv("control", &v4),       kv("unicode 𝄞 key", &v5),
              kv("", &v6)};
    sh->root.kids[1].col_kv = {kv("unit", &v1), kv("flag", nullptr)};
    sh->rows = 6;
    sh->rg_rows = 6;
}

// One column per logical type (and parameter flavour), plus converted-only annotations.
void logical_shape(RealShape *sh) {
    const int OPT = FieldRepetitionType::OPTIONAL, REQ = FieldRepetitionType::REQUIRED;
    std::vector<Node> k;
    auto annotate_leaf = [](Node n, int converted, const LogicalType *lt) {
        if (converted >= 0) n.el.__set_converted_type(static_cast<ConvertedType::type>(converted));
        if (lt) n.el.__set_logicalType(*lt);
        return n;
    };
    LogicalType l;
    k.push_back(string_leaf("str", OPT, gen_pick(kWords)));
    l = LogicalType();
    l.__set_ENUM(EnumType());
    k.push_back(annotate_leaf(leaf("enm", Type::BYTE_ARRAY, OPT, gen_pick({"A", "B", "C"}), Sort::BYTES),
                              ConvertedType::ENUM, &l));
    struct Dec { const char *name; int type, len, scale, prec; };
    for (Dec d : {Dec{"dec_i32", Type::INT32, -1, 2, 9}, Dec{"dec_i64", Type::INT64, -1, 4, 18},
                  Dec{"dec_flba", Type::FIXED_LEN_BYTE_ARRAY, 16, 10, 38},
                  Dec{"dec_ba", Type::BYTE_ARRAY, -1, 5, 20}}) {
        std::function<std::string(Rng &)> g;
        if (d.type == Type::INT32) g = gen_i32(-99999, 99999);
        else if (d.type == Type::INT64) g = gen_i64(-9999999999, 9999999999);
        else {
            size_t fixed = d.len > 0 ? static_cast<size_t>(d.len) : 0;
            g = [fixed](Rng &r) { return be_decimal(r.range(-1000000000, 1000000000), fixed); };
        }
        l = lt_decimal(d.scale, d.prec);
        Node n = annotate_leaf(leaf(d.name, d.type, OPT, g, d.type <= Type::INT64 ? Sort::SIGNED : Sort::NONE, d.len),
                               ConvertedType::DECIMAL, &l);
        n.el.__set_scale(d.scale);
        n.el.__set_precision(d.prec);
        k.push_back(n);
    }
    l = LogicalType();
    l.__set_DATE(DateType());
    k.push_back(annotate_leaf(leaf("date", Type::INT32, OPT, gen_i32(0, 20000), Sort::SIGNED),
                              ConvertedType::DATE, &l));
    l = lt_time(1, true);
    k.push_back(annotate_leaf(leaf("time_ms", Type::INT32, OPT, gen_i32(0, 86399999), Sort::SIGNED),
                              ConvertedType::TIME_MILLIS, &l));
    l = lt_time(2, false);
    k.push_back(annotate_leaf(leaf("time_us", Type::INT64, OPT, gen_i64(0, 86399999999), Sort::SIGNED),
                              ConvertedType::TIME_MICROS, &l));
    l = lt_time(3, false);
    k.push_back(annotate_leaf(leaf("time_ns", Type::INT64, OPT, gen_i64(0, 86399999999999), Sort::SIGNED),
                              -1, &l));
    l = lt_timestamp(1, true);
    k.push_back(annotate_leaf(leaf("ts_ms", Type::INT64, OPT, gen_i64(0, 1800000000000), Sort::SIGNED),
                              ConvertedType::TIMESTAMP_MILLIS, &l));
    l = lt_timestamp(2, false);
    k.push_back(annotate_leaf(leaf("ts_us", Type::INT64, OPT, gen_i64(0, 1800000000000000), Sort::SIGNED),
                              ConvertedType::TIMESTAMP_MICROS, &l));
    l = lt_timestamp(3, true);
    k.push_back(annotate_leaf(leaf("ts_ns", Type::INT64, OPT, gen_i64(0, INT64_MAX / 2), Sort::SIGNED),
                              -1, &l));
    struct IntCol { const char *name; int bits; bool sign; int conv; };
    for (IntCol c : {IntCol{"i8", 8, true, ConvertedType::INT_8}, IntCol{"u8", 8, false, ConvertedType::UINT_8},
                     IntCol{"i16", 16, true, ConvertedType::INT_16}, IntCol{"u16", 16, false, ConvertedType::UINT_16},
                     IntCol{"i32", 32, true, ConvertedType::INT_32}, IntCol{"u32", 32, false, ConvertedType::UINT_32},
                     IntCol{"i64", 64, true, ConvertedType::INT_64}, IntCol{"u64", 64, false, ConvertedType::UINT_64}}) {
        std::function<std::string(Rng &)> g;
        int type = c.bits == 64 ? Type::INT64 : Type::INT32;
        if (c.bits == 64) g = c.sign ? gen_i64(INT64_MIN / 2, INT64_MAX / 2) : gen_u64();
        else if (c.sign) g = gen_i32(-(int64_t(1) << (c.bits - 1)), (int64_t(1) << (c.bits - 1)) - 1);
        else g = gen_u32(c.bits == 32 ? UINT32_MAX : static_cast<uint32_t>((1u << c.bits) - 1));
        l = lt_int(c.bits, c.sign);
        k.push_back(annotate_leaf(leaf(c.name, type, OPT, g, c.sign ? Sort::SIGNED : Sort::UNSIGNED),
                                  c.conv, &l));
    }
    l = LogicalType();
    l.__set_UNKNOWN(NullType());
    Node unk = annotate_leaf(leaf("unknown", Type::INT32, OPT, gen_i32(0, 0), Sort::SIGNED), -1, &l);
    unk.p_null = 1.0;
    k.push_back(unk);
    l = LogicalType();
    l.__set_JSON(JsonType());
    k.push_back(annotate_leaf(leaf("json", Type::BYTE_ARRAY, OPT,
                                   gen_pick({"{\"a\":1}", "[1,2,3]", "null", "\"s\""}), Sort::BYTES),
                              ConvertedType::JSON, &l));
    l = LogicalType();
    l.__set_BSON(BsonType());
    k.push_back(annotate_leaf(leaf("bson", Type::BYTE_ARRAY, OPT,
                                   gen_pick({std::string("\x05\x00\x00\x00\x00", 5)}), Sort::BYTES),
                              ConvertedType::BSON, &l));
    l = LogicalType();
    l.__set_UUID(UUIDType());
    k.push_back(annotate_leaf(leaf("uuid", Type::FIXED_LEN_BYTE_ARRAY, OPT, gen_bytes(16), Sort::BYTES, 16),
                              -1, &l));
    l = LogicalType();
    l.__set_FLOAT16(Float16Type());
    k.push_back(annotate_leaf(leaf("f16", Type::FIXED_LEN_BYTE_ARRAY, OPT,
                                   gen_pick({std::string("\x00\x3C", 2), std::string("\x00\xC0", 2),
                                             std::string("\x55\x35", 2)}),
                                   Sort::NONE, 2),
                              -1, &l));
    {
        VariantType vt;
        vt.__set_specification_version(1);
        l = LogicalType();
        l.__set_VARIANT(vt);
        Node meta = leaf("metadata", Type::BYTE_ARRAY, REQ,
                         gen_pick({std::string("\x01\x00\x00", 3)}), Sort::NONE);
        Node value = leaf("value", Type::BYTE_ARRAY, REQ,
                          gen_pick({std::string("\x0C\x2A", 2), std::string("\x00", 1)}), Sort::NONE);
        Node var = group("variant", OPT, {meta, value});
        var.el.__set_logicalType(l);
        k.push_back(var);
    }
    const std::string wkb_point = std::string("\x01\x01\x00\x00\x00", 5) + raw(1.5) + raw(-2.25);
    {
        GeometryType g;
        g.__set_crs("OGC:CRS84");
        l = LogicalType();
        l.__set_GEOMETRY(g);
        k.push_back(annotate_leaf(leaf("geometry", Type::BYTE_ARRAY, OPT, gen_pick({wkb_point}), Sort::NONE),
                                  -1, &l));
        GeographyType gg;
        gg.__set_crs("srid:4326");
        gg.__set_algorithm(EdgeInterpolationAlgorithm::VINCENTY);
        l = LogicalType();
        l.__set_GEOGRAPHY(gg);
        k.push_back(annotate_leaf(leaf("geography", Type::BYTE_ARRAY, OPT, gen_pick({wkb_point}), Sort::NONE),
                                  -1, &l));
        l = LogicalType();
        l.__set_GEOMETRY(GeometryType()); // crs absent
        k.push_back(annotate_leaf(leaf("geometry_nocrs", Type::BYTE_ARRAY, OPT, gen_pick({wkb_point}),
                                       Sort::NONE),
                                  -1, &l));
    }
    l = LogicalType();
    l.__set_FILE(FileType());
    k.push_back(annotate_leaf(leaf("file", Type::BYTE_ARRAY, OPT, gen_bytes(6), Sort::NONE), -1, &l));
    k.push_back(list_of("list", leaf("element", Type::INT32, OPT, gen_i32(-5, 5), Sort::SIGNED)));
    k.push_back(map_of("map", string_leaf("key", REQ, gen_pick(kWords)),
                       leaf("value", Type::INT32, OPT, gen_i32(0, 100), Sort::SIGNED)));
    // Annotations without a logical type, and unannotated physical types.
    k.push_back(annotate_leaf(leaf("interval", Type::FIXED_LEN_BYTE_ARRAY, OPT, gen_bytes(12), Sort::NONE, 12),
                              ConvertedType::INTERVAL, nullptr));
    k.push_back(annotate_leaf(leaf("utf8_only", Type::BYTE_ARRAY, OPT, gen_pick(kWords), Sort::BYTES),
                              ConvertedType::UTF8, nullptr));
    k.push_back(leaf("int96", Type::INT96, OPT, gen_bytes(12), Sort::NONE));
    k.push_back(leaf("flag", Type::BOOLEAN, OPT, gen_pick({std::string(1, '\0'), std::string(1, '\1')}),
                     Sort::NONE));
    k.push_back(leaf("float", Type::FLOAT, OPT, [](Rng &r) { return raw(static_cast<float>(r.unit())); },
                     Sort::FLOAT));
    {
        Node legacy = group("legacy_list", OPT,
                            {leaf("item", Type::INT32, FieldRepetitionType::REPEATED, gen_i32(0, 9),
                                  Sort::SIGNED)},
                            ConvertedType::LIST);
        k.push_back(legacy); // converted LIST without a logical type, 2-level layout
    }
    int fid = 1;
    for (Node &n : k) n.el.__set_field_id(fid++);
    sh->root = group("schema", -1, k);
    sh->rows = 12;
    sh->rg_rows = 6;
}

// ============================================================================ random shapes

struct RandomGen {
    Rng r;
    bool small;
    bool field_ids = false;
    int next_fid = 1;

    std::string name(const std::string &base) {
        if (!r.chance(0.12)) return base;
        static const std::vector<std::string> odd = {
            "é",          "日本語",       "\"q\"",          "back\\slash", "tab\there",
            "nl\nx",      "\x01" "ctl",      "\x7f",           "\xff",        "\xC0\xAF",
            "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82",  "𝄞",           "sp ace",
            "dot.ted",    "",             "\xF0\x9F\x98\x80"};
        return base + r.pick(odd);
    }
    std::string bytes(size_t n) {
        std::string s(n, '\0');
        for (char &c : s) c = static_cast<char>(r.next());
        return s;
    }

    int64_t fid() {
        return r.chance(0.1) ? r.range(-5, 1 << 20) : next_fid++;
    }

    void maybe_fid(SchemaElement *e) {
        if (field_ids && r.chance(0.85)) e->__set_field_id(static_cast<int32_t>(fid()));
    }

    // A primitive leaf with a random (consistent) annotation.
    Node prim(const std::string &nm, int rep) {
        Node n;
        SchemaElement &e = n.el;
        e.__set_name(nm);
        e.__set_repetition_type(static_cast<FieldRepetitionType::type>(rep));
        int kind = static_cast<int>(r.below(24));
        int type = Type::INT32, len = -1, conv = -1, scale = -1, prec = -1;
        LogicalType lt;
        bool has_lt = false;
        auto set_lt = [&](const LogicalType &x) { lt = x; has_lt = true; };
        LogicalType t;
        switch (kind) {
        case 0: type = Type::BOOLEAN; break;
        case 1: type = Type::INT32; break;
        case 2: type = Type::INT64; break;
        case 3: type = Type::INT96; break;
        case 4: type = Type::FLOAT; break;
        case 5: type = Type::DOUBLE; break;
        case 6: type = Type::BYTE_ARRAY; break;
        case 7: type = Type::FIXED_LEN_BYTE_ARRAY; len = static_cast<int>(r.range(1, 64)); break;
        case 8: type = Type::BYTE_ARRAY; conv = ConvertedType::UTF8; set_lt(lt_string()); break;
        case 9: {
            static const int types[] = {Type::INT32, Type::INT64, Type::FIXED_LEN_BYTE_ARRAY, Type::BYTE_ARRAY};
            type = types[r.below(4)];
            int maxp = type == Type::INT32 ? 9 : type == Type::INT64 ? 18 : 38;
            if (type == Type::FIXED_LEN_BYTE_ARRAY) len = 16;
            prec = static_cast<int>(r.range(1, maxp));
            scale = static_cast<int>(r.range(0, prec));
            conv = ConvertedType::DECIMAL;
            set_lt(lt_decimal(scale, prec));
            break;
        }
        case 10: type = Type::INT32; conv = ConvertedType::DATE; t.__set_DATE(DateType()); set_lt(t); break;
        case 11: {
            int unit = static_cast<int>(r.range(1, 3));
            type = unit == 1 ? Type::INT32 : Type::INT64;
            if (unit == 1) conv = ConvertedType::TIME_MILLIS;
            if (unit == 2) conv = ConvertedType::TIME_MICROS;
            set_lt(lt_time(unit, r.chance(0.5)));
            break;
        }
        case 12: {
            int unit = static_cast<int>(r.range(1, 3));
            type = Type::INT64;
            if (unit == 1) conv = ConvertedType::TIMESTAMP_MILLIS;
            if (unit == 2) conv = ConvertedType::TIMESTAMP_MICROS;
            set_lt(lt_timestamp(unit, r.chance(0.5)));
            break;
        }
        case 13: {
            static const int bits[] = {8, 16, 32, 64};
            int b = bits[r.below(4)];
            bool s = r.chance(0.5);
            type = b == 64 ? Type::INT64 : Type::INT32;
            static const int sconv[] = {ConvertedType::INT_8, ConvertedType::INT_16, ConvertedType::INT_32,
                                        ConvertedType::INT_64};
            static const int uconv[] = {ConvertedType::UINT_8, ConvertedType::UINT_16, ConvertedType::UINT_32,
                                        ConvertedType::UINT_64};
            int i = b == 8 ? 0 : b == 16 ? 1 : b == 32 ? 2 : 3;
            conv = s ? sconv[i] : uconv[i];
            set_lt(lt_int(b, s));
            break;
        }
        case 14: type = Type::BYTE_ARRAY; conv = ConvertedType::ENUM; t.__set_ENUM(EnumType()); set_lt(t); break;
        case 15: type = Type::BYTE_ARRAY; conv = ConvertedType::JSON; t.__set_JSON(JsonType()); set_lt(t); break;
        case 16: type = Type::BYTE_ARRAY; conv = ConvertedType::BSON; t.__set_BSON(BsonType()); set_lt(t); break;
        case 17: type = Type::FIXED_LEN_BYTE_ARRAY; len = 16; t.__set_UUID(UUIDType()); set_lt(t); break;
        case 18: type = Type::FIXED_LEN_BYTE_ARRAY; len = 2; t.__set_FLOAT16(Float16Type()); set_lt(t); break;
        case 19: type = static_cast<int>(r.below(8)); t.__set_UNKNOWN(NullType()); set_lt(t); break;
        case 20: {
            type = Type::BYTE_ARRAY;
            if (r.chance(0.5)) {
                GeometryType g;
                if (r.chance(0.6)) g.__set_crs(r.chance(0.5) ? "OGC:CRS84" : name("projjson:x"));
                t.__set_GEOMETRY(g);
            } else {
                GeographyType g;
                if (r.chance(0.6)) g.__set_crs("OGC:CRS84");
                if (r.chance(0.6))
                    g.__set_algorithm(static_cast<EdgeInterpolationAlgorithm::type>(r.below(5)));
                t.__set_GEOGRAPHY(g);
            }
            set_lt(t);
            break;
        }
        case 21: type = Type::FIXED_LEN_BYTE_ARRAY; len = 12; conv = ConvertedType::INTERVAL; break;
        case 22: type = Type::BYTE_ARRAY; t.__set_FILE(FileType()); set_lt(t); break;
        default: type = Type::BYTE_ARRAY; conv = ConvertedType::UTF8; break; // converted only
        }
        if (r.chance(0.005)) { // a physical type this format version does not know
            static const int odd[] = {-7, 8, 100, INT32_MIN, INT32_MAX};
            type = odd[r.below(5)];
        }
        e.__set_type(static_cast<Type::type>(type));
        if (len >= 0) e.__set_type_length(len);
        else if (r.chance(0.03)) e.__set_type_length(static_cast<int32_t>(r.range(0, 8)));
        if (conv >= 0 && !r.chance(0.15)) e.__set_converted_type(static_cast<ConvertedType::type>(conv));
        if (r.chance(0.01)) e.__set_converted_type(static_cast<ConvertedType::type>(r.range(22, 40)));
        if (r.chance(0.005)) e.__set_converted_type(static_cast<ConvertedType::type>(r.range(-100, -1)));
        if (scale >= 0 && e.__isset.converted_type) {
            e.__set_scale(scale);
            e.__set_precision(prec);
        }
        if (has_lt && !r.chance(0.15)) e.__set_logicalType(lt);
        if (r.chance(0.01)) e.__set_logicalType(LogicalType()); // union with no member set
        maybe_fid(&e);
        return n;
    }

    int rand_rep() {
        double x = r.unit();
        return x < 0.3 ? FieldRepetitionType::REQUIRED
                       : x < 0.85 ? FieldRepetitionType::OPTIONAL : FieldRepetitionType::REPEATED;
    }

    Node group_node(const std::string &nm, int rep) {
        Node n;
        n.el.__set_name(nm);
        n.el.__set_repetition_type(static_cast<FieldRepetitionType::type>(rep));
        maybe_fid(&n.el);
        return n;
    }

    // Fill group g (at depth d: its children sit at d+1) with `budget` leaves.
    void fill(Node *g, int d, int budget) {
        int i = 0;
        while (budget > 0) {
            std::string nm = name("f" + std::to_string(i++));
            double x = r.unit();
            int used = 1;
            if (x < 0.15 && d + 2 <= 4 && budget >= 1) { // struct
                Node s = group_node(nm, rand_rep());
                used = static_cast<int>(r.range(1, std::min(budget, 4)));
                fill(&s, d + 1, used);
                g->kids.push_back(s);
            } else if (x < 0.27 && d + 3 <= 4) { // 3-level list
                Node l = group_node(nm, r.chance(0.8) ? FieldRepetitionType::OPTIONAL
                                                      : FieldRepetitionType::REQUIRED);
                if (r.chance(0.85)) l.el.__set_converted_type(ConvertedType::LIST);
                if (r.chance(0.85)) l.el.__set_logicalType(lt_list());
                Node rep = group_node("list", FieldRepetitionType::REPEATED);
                if (d + 4 <= 4 && budget >= 2 && r.chance(0.3)) {
                    Node el = group_node("element", rand_rep() == FieldRepetitionType::REQUIRED
                                                        ? FieldRepetitionType::REQUIRED
                                                        : FieldRepetitionType::OPTIONAL);
                    used = static_cast<int>(r.range(1, std::min(budget, 3)));
                    fill(&el, d + 3, used);
                    rep.kids.push_back(el);
                } else {
                    rep.kids.push_back(prim("element", r.chance(0.7) ? FieldRepetitionType::OPTIONAL
                                                                      : FieldRepetitionType::REQUIRED));
                }
                l.kids.push_back(rep);
                g->kids.push_back(l);
            } else if (x < 0.37 && d + 3 <= 4 && budget >= 2) { // map
                Node m = group_node(nm, r.chance(0.8) ? FieldRepetitionType::OPTIONAL
                                                      : FieldRepetitionType::REQUIRED);
                if (r.chance(0.85)) m.el.__set_converted_type(ConvertedType::MAP);
                if (r.chance(0.85)) m.el.__set_logicalType(lt_map());
                Node kvn = group_node("key_value", FieldRepetitionType::REPEATED);
                if (r.chance(0.2)) kvn.el.__set_converted_type(ConvertedType::MAP_KEY_VALUE);
                kvn.kids.push_back(prim("key", FieldRepetitionType::REQUIRED));
                kvn.kids.push_back(prim("value", FieldRepetitionType::OPTIONAL));
                used = 2;
                m.kids.push_back(kvn);
                g->kids.push_back(m);
            } else if (x < 0.42 && d + 2 <= 4 && budget >= 1) { // legacy repeated group
                Node s = group_node(nm, FieldRepetitionType::REPEATED);
                used = static_cast<int>(r.range(1, std::min(budget, 3)));
                fill(&s, d + 1, used);
                g->kids.push_back(s);
            } else {
                g->kids.push_back(prim(nm, rand_rep()));
            }
            budget -= used;
        }
    }

    Statistics stats() {
        Statistics s;
        auto bin = [&]() { return bytes(static_cast<size_t>(r.chance(0.1) ? r.range(0, 300) : r.range(0, 40))); };
        if (r.chance(0.5)) s.__set_max(bin());
        if (r.chance(0.5)) s.__set_min(bin());
        if (r.chance(0.8)) s.__set_null_count(r.range(0, 1000));
        if (r.chance(0.2)) s.__set_distinct_count(r.range(0, 1000));
        if (r.chance(0.7)) s.__set_max_value(bin());
        if (r.chance(0.7)) s.__set_min_value(bin());
        if (r.chance(0.5)) s.__set_is_max_value_exact(r.chance(0.8));
        if (r.chance(0.5)) s.__set_is_min_value_exact(r.chance(0.8));
        if (r.chance(0.1)) s.__set_nan_count(r.range(0, 10));
        return s;
    }

    std::vector<int64_t> hist(int n) {
        std::vector<int64_t> h;
        for (int i = 0; i < n; i++) h.push_back(r.range(0, 5000));
        return h;
    }

    std::vector<KeyValue> kvs(int max) {
        std::vector<KeyValue> v;
        int n = static_cast<int>(r.range(0, max));
        for (int i = 0; i < n; i++) {
            KeyValue e;
            e.__set_key(name("key" + std::to_string(i)));
            if (r.chance(0.8)) e.__set_value(r.chance(0.2) ? bytes(static_cast<size_t>(r.range(0, 30)))
                                                           : name("value" + std::to_string(i)));
            v.push_back(e);
        }
        return v;
    }

    void filler(std::vector<uint8_t> *f, int64_t n) {
        uint8_t b = static_cast<uint8_t>(r.next());
        f->insert(f->end(), static_cast<size_t>(n), b);
    }

    void build(std::vector<uint8_t> *out, const GenOptions &opt) {
        const int max_cols = small ? 12 : 40, max_rgs = small ? 6 : 50;
        const int64_t max_rows = small ? 200 : 1000;
        field_ids = r.chance(0.4);
        int want = static_cast<int>(r.range(1, opt.columns > 0 ? opt.columns : max_cols));
        Node root = group_node(r.chance(0.9) ? "schema" : name("root"), FieldRepetitionType::REQUIRED);
        if (r.chance(0.8)) root.el.__isset.repetition_type = false;
        root.el.__isset.field_id = false;
        fill(&root, 0, want);
        int nleaves = 0;
        annotate_root(&root, &nleaves);
        std::vector<SchemaElement> schema;
        flatten(root, &schema);
        std::vector<LeafInfo> leaves;
        std::string err;
        if (!schema_leaves(schema, &leaves, &err)) throw std::runtime_error(err);

        FileMetaData md;
        md.__set_version(r.chance(0.7) ? 2 : 1);
        md.__set_schema(schema);
        if (r.chance(0.85))
            md.__set_created_by(r.chance(0.6) ? std::string("parquet-cpp-arrow version 15.0.0")
                                              : name("parquet-mr version 1.13.1 (build x)"));
        if (r.chance(0.5)) md.__set_key_value_metadata(kvs(5));
        if (r.chance(0.5)) {
            std::vector<ColumnOrder> co(leaves.size());
            for (size_t i = 0; i < leaves.size(); i++) {
                int t = leaves[i].type;
                if ((t == Type::FLOAT || t == Type::DOUBLE) && r.chance(0.3))
                    co[i].__set_IEEE_754_TOTAL_ORDER(IEEE754TotalOrder());
                else if (t == Type::INT96 && r.chance(0.3))
                    co[i].__set_INT96_TIMESTAMP_ORDER(Int96TimestampOrder());
                else
                    co[i].__set_TYPE_ORDER(TypeDefinedOrder());
            }
            md.__set_column_orders(co);
        }
        const bool encrypted = r.chance(0.04);
        if (encrypted) {
            EncryptionAlgorithm ea;
            if (r.chance(0.5)) {
                AesGcmV1 a;
                if (r.chance(0.5)) a.__set_aad_prefix(bytes(8));
                a.__set_aad_file_unique(bytes(8));
                a.__set_supply_aad_prefix(r.chance(0.5));
                ea.__set_AES_GCM_V1(a);
            } else {
                AesGcmCtrV1 a;
                a.__set_aad_file_unique(bytes(8));
                ea.__set_AES_GCM_CTR_V1(a);
            }
            md.__set_encryption_algorithm(ea);
            if (r.chance(0.5)) md.__set_footer_signing_key_metadata(bytes(16));
        }

        // File-wide habits, like a particular writer's.
        const int file_offset_style = static_cast<int>(r.below(3)); // start, end, 0
        const bool with_path = r.chance(0.05);
        const bool page_index = r.chance(0.4), bloom = r.chance(0.3);
        const double p_stats = r.chance(0.8) ? 0.9 : 0.0;
        const double p_dict = r.unit();

        out->clear();
        out->insert(out->end(), {'P', 'A', 'R', '1'});
        int nrg = static_cast<int>(r.chance(0.25) ? r.range(0, 3) : r.range(0, max_rgs));
        int64_t total_rows = 0;
        struct Side { int64_t len; int kind; size_t rg, col; bool has_len; };
        std::vector<Side> sides;
        for (int g = 0; g < nrg; g++) {
            RowGroup rg;
            int64_t rows = r.chance(0.05) ? 0 : r.range(1, max_rows);
            rg.__set_num_rows(rows);
            total_rows += rows;
            int64_t first = static_cast<int64_t>(out->size()), tbs = 0, tcs = 0;
            for (size_t c = 0; c < leaves.size(); c++) {
                const LeafInfo &li = leaves[c];
                ColumnChunk cc;
                bool col_key = encrypted && r.chance(0.3);
                bool has_meta = !(col_key && r.chance(0.6));
                int64_t start = static_cast<int64_t>(out->size());
                if (with_path && r.chance(0.7)) cc.__set_file_path(name("part-0000" + std::to_string(g) + ".parquet"));
                if (has_meta) {
                    ColumnMetaData m;
                    m.__set_type(static_cast<Type::type>(li.type));
                    m.__set_path_in_schema(li.path);
                    int codec = static_cast<int>(r.below(8));
                    if (r.chance(0.01)) codec = static_cast<int>(r.range(8, 100));
                    if (r.chance(0.005)) codec = static_cast<int>(r.range(INT32_MIN, -1));
                    m.__set_codec(static_cast<CompressionCodec::type>(codec));
                    int64_t nv = rows;
                    if (li.max_rep > 0) nv += r.range(0, rows * 2);
                    m.__set_num_values(nv);
                    bool dict = r.chance(p_dict);
                    int64_t dsize = dict ? r.range(8, 200) : 0;
                    int64_t psize = r.range(8, 400);
                    if (dict) m.__set_dictionary_page_offset(start);
                    else if (r.chance(0.05)) m.__set_dictionary_page_offset(0);
                    m.__set_data_page_offset(start + dsize);
                    if (r.chance(0.02)) m.__set_index_page_offset(start + dsize);
                    int64_t csize = dsize + psize;
                    m.__set_total_compressed_size(csize);
                    m.__set_total_uncompressed_size(codec == 0 ? csize : csize + r.range(0, csize * 3));
                    std::vector<Encoding::type> enc;
                    static const int encs[] = {0, 2, 3, 4, 5, 6, 7, 8, 9};
                    int ne = static_cast<int>(r.range(1, 4));
                    for (int k = 0; k < ne; k++) enc.push_back(static_cast<Encoding::type>(encs[r.below(9)]));
                    if (r.chance(0.01)) enc.push_back(static_cast<Encoding::type>(r.range(11, 60)));
                    m.__set_encodings(enc);
                    if (r.chance(0.1)) m.__set_key_value_metadata(kvs(3));
                    if (r.chance(p_stats)) m.__set_statistics(stats());
                    if (r.chance(p_stats)) {
                        std::vector<PageEncodingStats> es;
                        int n = static_cast<int>(r.range(0, 3));
                        for (int k = 0; k < n; k++) {
                            PageEncodingStats s;
                            s.__set_page_type(static_cast<PageType::type>(r.below(4)));
                            s.__set_encoding(static_cast<Encoding::type>(encs[r.below(9)]));
                            s.__set_count(static_cast<int32_t>(r.range(0, 100)));
                            es.push_back(s);
                        }
                        m.__set_encoding_stats(es);
                    }
                    if (r.chance(0.2)) {
                        SizeStatistics ss;
                        if (li.type == Type::BYTE_ARRAY && r.chance(0.8))
                            ss.__set_unencoded_byte_array_data_bytes(r.range(0, 100000));
                        if (r.chance(0.7)) ss.__set_repetition_level_histogram(hist(li.max_rep + 1));
                        if (r.chance(0.7)) ss.__set_definition_level_histogram(hist(li.max_def + 1));
                        m.__set_size_statistics(ss);
                    }
                    if (r.chance(0.03)) {
                        GeospatialStatistics gs;
                        if (r.chance(0.7)) {
                            BoundingBox bb;
                            bb.__set_xmin(-1.5);
                            bb.__set_xmax(2.5);
                            bb.__set_ymin(-3.0);
                            bb.__set_ymax(4.0);
                            if (r.chance(0.3)) {
                                bb.__set_zmin(0.0);
                                bb.__set_zmax(1.0);
                            }
                            gs.__set_bbox(bb);
                        }
                        if (r.chance(0.7)) gs.__set_geospatial_types({1, 2, 1003});
                        m.__set_geospatial_statistics(gs);
                    }
                    if (bloom && r.chance(0.6)) {
                        int64_t len = r.range(16, 200);
                        bool has_len = r.chance(0.8);
                        sides.push_back({len, 2, md.row_groups.size(), c, has_len});
                    }
                    filler(out, csize);
                    tbs += m.total_uncompressed_size;
                    tcs += csize;
                    cc.__set_meta_data(m);
                }
                switch (file_offset_style) {
                case 0: cc.__set_file_offset(start); break;
                case 1: cc.__set_file_offset(static_cast<int64_t>(out->size())); break;
                default: cc.__set_file_offset(0); break;
                }
                if (encrypted) {
                    ColumnCryptoMetaData cm;
                    if (col_key) {
                        EncryptionWithColumnKey k;
                        k.__set_path_in_schema(li.path);
                        if (r.chance(0.7)) k.__set_key_metadata(bytes(12));
                        cm.__set_ENCRYPTION_WITH_COLUMN_KEY(k);
                        cc.__set_encrypted_column_metadata(bytes(static_cast<size_t>(r.range(16, 120))));
                    } else {
                        cm.__set_ENCRYPTION_WITH_FOOTER_KEY(EncryptionWithFooterKey());
                    }
                    cc.__set_crypto_metadata(cm);
                }
                if (page_index && r.chance(0.9))
                    sides.push_back({r.range(10, 300), 0, md.row_groups.size(), c, r.chance(0.95)});
                if (page_index && r.chance(0.7))
                    sides.push_back({r.range(10, 300), 1, md.row_groups.size(), c, r.chance(0.95)});
                rg.columns.push_back(cc);
            }
            rg.__set_total_byte_size(tbs);
            if (r.chance(0.7)) rg.__set_file_offset(first);
            if (r.chance(0.6)) rg.__set_total_compressed_size(tcs);
            if (r.chance(0.5)) rg.__set_ordinal(static_cast<int16_t>(g));
            if (r.chance(0.15)) {
                std::vector<SortingColumn> sc;
                int n = static_cast<int>(r.range(0, 3));
                for (int k = 0; k < n; k++) {
                    SortingColumn s;
                    s.__set_column_idx(static_cast<int32_t>(r.below(leaves.size())));
                    s.__set_descending(r.chance(0.5));
                    s.__set_nulls_first(r.chance(0.5));
                    sc.push_back(s);
                }
                rg.__set_sorting_columns(sc);
            }
            md.row_groups.push_back(rg);
        }
        md.__set_num_rows(total_rows);
        // Bloom filters, then column indexes, then offset indexes; filler contents.
        for (int kind : {2, 1, 0})
            for (const Side &s : sides) {
                if (s.kind != kind) continue;
                int64_t at = static_cast<int64_t>(out->size());
                filler(out, s.len);
                ColumnChunk &cc = md.row_groups[s.rg].columns[s.col];
                if (kind == 0) {
                    cc.__set_offset_index_offset(at);
                    if (s.has_len) cc.__set_offset_index_length(static_cast<int32_t>(s.len));
                } else if (kind == 1) {
                    cc.__set_column_index_offset(at);
                    if (s.has_len) cc.__set_column_index_length(static_cast<int32_t>(s.len));
                } else {
                    cc.meta_data.__set_bloom_filter_offset(at);
                    if (s.has_len) cc.meta_data.__set_bloom_filter_length(static_cast<int32_t>(s.len));
                }
            }
        ThriftWriter tw;
        finish_file(md, &tw, out);
    }
};

} // namespace

// ==================================================================================== public

std::vector<std::pair<std::string, std::string>> shapes() {
    return {
        {"S1", "15 DOUBLE columns, 1000 rows, row groups of 10 rows, statistics"},
        {"S2", "150 DOUBLE columns, 1000 rows, row groups of 1 row, statistics (~16 MB footer)"},
        {"S3", "S2 without statistics and encoding stats"},
        {"S4", "S2 with 50-character column names"},
        {"S5", "2000 DOUBLE columns x 10 row groups of 10 rows"},
        {"S6", "nested: list<double>, map<string,double>, struct{a,b}, 2 flat columns x 500 row groups"},
        {"tiny", "3 flat columns (int64, double, string) x 2 row groups"},
        {"nested", "the S6 schema x 3 row groups"},
        {"dict", "4 dictionary-encoded columns x 3 row groups"},
        {"pageindex", "3 columns x 3 row groups, 3 pages each, offset/column indexes, bloom filters"},
        {"kv", "tiny with file and column key-value metadata (escapes, invalid UTF-8)"},
        {"logical", "one column per logical type and parameter flavour, converted types, field ids"},
        {"random", "random schema and footer fields from --seed (synthetic pages)"},
        {"random-small", "random with at most 12 columns and 6 row groups"},
    };
}

bool generate(const std::string &shape, const GenOptions &opt, std::vector<uint8_t> *out,
              std::string *err) {
    try {
        if (shape == "random" || shape == "random-small") {
            RandomGen g{Rng(opt.seed), shape == "random-small"};
            g.build(out, opt);
            return true;
        }
        RealShape sh;
        long cols = -1;
        if (shape == "S1") {
            cols = 15, sh.rows = 1000, sh.rg_rows = 10;
        } else if (shape == "S2" || shape == "S3" || shape == "S4") {
            cols = 150, sh.rows = 1000, sh.rg_rows = 1;
        } else if (shape == "S5") {
            cols = 2000, sh.rows = 100, sh.rg_rows = 10;
        } else if (shape == "S6" || shape == "nested") {
            nested_shape(&sh);
            sh.rg_rows = 4;
            sh.rows = shape == "S6" ? 2000 : 12;
        } else if (shape == "tiny") {
            tiny_shape(&sh);
        } else if (shape == "dict") {
            dict_shape(&sh);
        } else if (shape == "pageindex") {
            pageindex_shape(&sh);
        } else if (shape == "kv") {
            kv_shape(&sh);
        } else if (shape == "logical") {
            logical_shape(&sh);
        } else {
            *err = "unknown shape '" + shape + "'";
            return false;
        }
        if (cols > 0) flat_doubles(&sh, opt.columns > 0 ? opt.columns : cols, shape == "S4");
        else if (opt.columns > 0) {
            *err = "--columns applies to S1..S5 only";
            return false;
        }
        if (opt.rg_rows > 0) sh.rg_rows = opt.rg_rows;
        if (opt.rows >= 0) sh.rows = opt.rows;
        GenOptions o = opt;
        if (shape == "S3") o.stats = false;
        write_real(sh, o, out);
        return true;
    } catch (const std::exception &e) {
        *err = e.what();
        return false;
    }
}

} // namespace pqo
