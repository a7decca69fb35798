/*
 * fuzz_diff -- pqfoot against Apache Thrift C++ (the test oracle, tests/oracle/).
 *
 * Input: one option byte (bit 0 page index, bit 1 bloom, bit 2 key-value metadata: both
 * pqfoot's PQF_KEEP_* flags and the oracle's JsonFlags), then the footer bytes.
 *
 * Property: whenever Thrift decodes the footer, pqfoot decodes it too and
 * pqf_footer_write_json() prints exactly the oracle's footer_json(). Where pqfoot is
 * deliberately stricter, or Thrift's reading differs on purpose, the difference must be
 * one listed in fuzz/README.md ("Differences from Thrift"), and each is *checked* here
 * from the bytes or from Thrift's decoded struct, not merely assumed from the message.
 * Anything else aborts with both sides printed.
 *
 * Thrift is driven exactly as pqo::decode_footer() does (TMemoryBuffer, TCompactProtocol,
 * recursion limit 64) except that the container and string limits are the input length
 * instead of INT32_MAX: generated code resize()s a vector to the declared count before
 * reading any element, so a 5-byte list header could otherwise ask for hundreds of GB.
 * A list cannot have more elements than the input has bytes, so this changes no verdict
 * on a valid footer; when the decode succeeds, pqo::decode_footer() is run as well and
 * must agree.
 */
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <thrift/TConfiguration.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "oracle_lib.h"
#include "parquet_footer_types.h"

#include "fuzz_common.h"

using pqforacle::FileMetaData;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

namespace th = apache::thrift;

// What Thrift's own typed read saw repeat: FileMetaData schema (2) or row_groups (4) as a
// list more than once, a RowGroup's columns (1) more than once, or a struct-valued field
// twice in one struct. Recorded by a TCompactProtocol whose struct and field hooks note the
// ids: generated read() code calls them through TProtocol's virtual interface, while
// skip() (unknown fields) calls the base class directly, so only the fields Thrift reads by
// IDL type are seen -- exactly the reading pqfoot mirrors.
struct ThriftFacts {
    bool dup_top = false;
    bool dup_columns = false;
    bool dup_struct = false;
};

using MemBuf = th::transport::TMemoryBuffer;
using CompactBase = th::protocol::TCompactProtocolT<MemBuf>;

class RecordingCompact : public CompactBase {
  public:
    RecordingCompact(std::shared_ptr<MemBuf> t, int32_t string_limit, int32_t container_limit)
        : CompactBase(t, string_limit, container_limit) {}
    ThriftFacts facts;

    uint32_t readStructBegin_virt(std::string &name) override {
        Frame f;
        f.row_group = stack_.size() == 1 && stack_.back().cur == 4; // FileMetaData.row_groups[i]
        stack_.push_back(std::move(f));
        return CompactBase::readStructBegin(name);
    }
    uint32_t readStructEnd_virt() override {
        if (!stack_.empty()) stack_.pop_back();
        return CompactBase::readStructEnd();
    }
    uint32_t readFieldBegin_virt(std::string &name, th::protocol::TType &t, int16_t &id) override {
        uint32_t r = CompactBase::readFieldBegin(name, t, id);
        if (t == th::protocol::T_STOP || stack_.empty()) return r;
        Frame &f = stack_.back();
        for (const auto &seen : f.seen) {
            if (seen.first != id) continue;
            if (seen.second == th::protocol::T_STRUCT || t == th::protocol::T_STRUCT) facts.dup_struct = true;
            if (seen.second == th::protocol::T_LIST && t == th::protocol::T_LIST) {
                if (stack_.size() == 1 && (id == 2 || id == 4)) facts.dup_top = true;
                if (f.row_group && id == 1) facts.dup_columns = true;
            }
        }
        f.seen.emplace_back(id, t);
        f.cur = id;
        return r;
    }

  private:
    struct Frame {
        bool row_group = false;
        int16_t cur = 0;
        std::vector<std::pair<int16_t, int>> seen;
    };
    std::vector<Frame> stack_;
};

bool thrift_decode(const uint8_t *p, size_t n, FileMetaData *md, size_t *consumed,
                   ThriftFacts *facts, std::string *err) {
    static uint8_t empty[1];
    try {
        const int depth = th::TConfiguration::DEFAULT_RECURSION_DEPTH; // 64, as the oracle
        auto cfg = std::make_shared<th::TConfiguration>(INT_MAX, INT_MAX, depth);
        auto mem = std::make_shared<MemBuf>(n ? const_cast<uint8_t *>(p) : empty,
                                            static_cast<uint32_t>(n), MemBuf::OBSERVE, cfg);
        int32_t lim = n == 0 ? 1 : (n > INT32_MAX ? INT32_MAX : static_cast<int32_t>(n));
        RecordingCompact proto(mem, lim, lim);
        md->read(&proto);
        *consumed = n - mem->available_read();
        *facts = proto.facts;
        return true;
    } catch (const std::exception &e) {
        *err = e.what();
    }
    return false;
}

// ------------------------------------------------------------------------------------------
// The schema as Thrift decoded it.

struct Tree {
    bool ok = false; // num_children describe exactly one tree
    size_t max_depth = 0;
    std::vector<std::vector<std::string>> leaf_paths;
};

Tree schema_tree(const FileMetaData &md) {
    Tree t;
    const auto &s = md.schema;
    if (s.empty()) return t;
    struct Frame {
        int64_t remaining;
        size_t depth;
    };
    std::vector<Frame> stack;
    std::vector<std::string> path;
    auto kids = [&](size_t i) -> int64_t {
        return s[i].__isset.num_children ? s[i].num_children : 0;
    };
    if (kids(0) < 0) return t;
    stack.push_back({kids(0), 0});
    size_t i = 1;
    while (!stack.empty()) {
        if (stack.back().remaining == 0) {
            stack.pop_back();
            continue;
        }
        stack.back().remaining--;
        if (i >= s.size()) return t;
        size_t d = stack.size() - 1;
        if (d + 1 > t.max_depth) t.max_depth = d + 1;
        path.resize(d);
        path.push_back(s[i].name);
        if (kids(i) < 0) return t;
        if (kids(i) > 0) stack.push_back({kids(i), d + 1});
        else t.leaf_paths.push_back(path);
        i++;
    }
    t.ok = i == s.size();
    return t;
}

// ------------------------------------------------------------------------------------------

bool lenient_varint(const uint8_t *p, size_t n, size_t off, uint64_t *v, size_t *len) {
    uint64_t r = 0;
    for (size_t i = 0; i < 10; i++) {
        if (off + i >= n) return false;
        uint8_t b = p[off + i];
        r |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            *v = r;
            *len = i + 1;
            return true;
        }
    }
    *v = r;
    *len = 11;
    return true;
}

// "row_groups[12].columns[3]...": the two indexes, or -1.
void path_indexes(const char *path, long *rg, long *col) {
    *rg = *col = -1;
    const char *a = strstr(path, "row_groups[");
    if (a) *rg = strtol(a + 11, nullptr, 10);
    const char *b = strstr(path, "columns[");
    if (b) *col = strtol(b + 8, nullptr, 10);
}

// The path_in_schema list at off, read as Thrift would: the binaries' texts.
bool read_path_list(const uint8_t *p, size_t n, size_t off, std::vector<std::string> *out) {
    if (off >= n) return false;
    uint64_t cnt = p[off] >> 4;
    size_t at = off + 1, len;
    if (cnt == 15) {
        if (!lenient_varint(p, n, at, &cnt, &len) || len > 10) return false;
        at += len;
    }
    if (cnt > n) return false;
    for (uint64_t i = 0; i < cnt; i++) {
        uint64_t sl;
        if (!lenient_varint(p, n, at, &sl, &len) || len > 10) return false;
        at += len;
        sl &= 0xFFFFFFFFu;
        if (sl > n - at) return false;
        out->emplace_back(reinterpret_cast<const char *>(p + at), sl);
        at += sl;
    }
    return true;
}

bool has_negative_num_children(const FileMetaData &md) {
    for (const auto &e : md.schema)
        if (e.__isset.num_children && e.num_children < 0) return true;
    return false;
}

bool column_count_differs(const FileMetaData &md, const Tree &t) {
    for (const auto &rg : md.row_groups)
        if (rg.columns.size() != t.leaf_paths.size()) return true;
    return false;
}

// FUZZ_DIFF_TRACE=1: one line per input saying which way it went (for corpus statistics).
void verdict(const char *v, const pqf_error *err) {
    static int trace = -1;
    if (trace < 0) {
        const char *e = getenv("FUZZ_DIFF_TRACE");
        trace = e && *e && *e != '0';
    }
    if (trace) fprintf(stderr, "verdict: %s%s%s\n", v, err ? ": " : "", err ? err->msg : "");
}

std::string pqf_json(const pqf_footer *f) {
    fz_buf b;
    memset(&b, 0, sizeof b);
    FZ_ASSERT(fz_json(f, nullptr, &b) == PQF_OK);
    std::string s(reinterpret_cast<const char *>(b.p), b.n);
    fz_buf_free(&b);
    return s;
}

[[noreturn]] void fail(const char *what, const uint8_t *data, size_t n, const pqf_error *err,
                       const std::string &thrift_json, const std::string &pqf_line) {
    fprintf(stderr, "fuzz_diff: %s\n", what);
    if (err)
        fprintf(stderr, "  pqfoot: %s (%s) at byte %llu, path \"%s\"\n", err->msg,
                pqf_code_name(err->code), static_cast<unsigned long long>(err->offset), err->path);
    fprintf(stderr, "  thrift: %.4000s\n", thrift_json.c_str());
    if (!pqf_line.empty()) fprintf(stderr, "  pqfoot: %.4000s\n", pqf_line.c_str());
    fprintf(stderr, "  input (%zu bytes):", n);
    for (size_t i = 0; i < n && i < 512; i++) fprintf(stderr, "%s%02x", i % 32 ? "" : "\n    ", data[i]);
    fprintf(stderr, "\n");
    abort();
}

// pqfoot, decoded again with a looser limit, must give the oracle's JSON. Returns false,
// with *err, if it still fails.
bool expect_with(const uint8_t *in, size_t n, pqf_options o, const std::string &want,
                 const char *what, pqf_error *err) {
    pqf_footer *f = pqf_footer_decode(in, n, &o, err);
    if (!f) return false;
    std::string got = pqf_json(f);
    pqf_footer_free(f);
    if (got != want) fail(what, in, n, nullptr, want, got);
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const uint8_t opt = data[0];
    const size_t n = size - 1;
    std::vector<uint8_t> buf(data + 1, data + size);
    const uint8_t *in = buf.empty() ? nullptr : buf.data();

    pqo::JsonFlags jf;
    jf.page_index = opt & 1;
    jf.bloom = (opt & 2) != 0;
    jf.kv = (opt & 4) != 0;
    pqf_options o;
    memset(&o, 0, sizeof o);
    if (jf.page_index) o.flags |= PQF_KEEP_PAGE_INDEX;
    if (jf.bloom) o.flags |= PQF_KEEP_BLOOM;
    if (jf.kv) o.flags |= PQF_KEEP_KV;

    // pqfoot, with the common properties.
    fz_alloc a;
    fz_alloc_init(&a, SIZE_MAX);
    pqf_allocator alc = fz_allocator(&a);
    o.allocator = &alc;
    pqf_error err;
    pqf_footer *f = pqf_footer_decode(in, n, &o, &err);
    o.allocator = nullptr;
    fz_buf scratch;
    memset(&scratch, 0, sizeof scratch);
    if (f) fz_check_footer(f, in, n, &a, fz_default_cap(n), &scratch);
    else fz_check_error(&err, n);
    fz_buf_free(&scratch);

    // Thrift.
    FileMetaData md;
    size_t consumed = 0;
    std::string terr;
    ThriftFacts facts;
    const bool t_ok = thrift_decode(in, n, &md, &consumed, &facts, &terr);
    std::string tjson = t_ok ? pqo::footer_json(md, nullptr, jf) : "(rejected: " + terr + ")";
    if (t_ok) {
        // The oracle's own entry point agrees (our limits changed nothing).
        FileMetaData md2;
        std::string e2;
        FZ_ASSERT_MSG(pqo::decode_footer(in ? in : reinterpret_cast<const uint8_t *>(""), n, &md2, &e2),
                      "pqo::decode_footer: %s", e2.c_str());
        FZ_ASSERT(pqo::footer_json(md2, nullptr, jf) == tjson);
    }

    if (t_ok) {
        if (f) {
            std::string pj = pqf_json(f);
            // Explained only by a repeated struct field: Thrift's read() of a struct seen twice
            // adds to what the first read set (e.g. two logicalType members), pqfoot keeps the
            // last occurrence. (Repeated scalars and lists: both keep the last.)
            if (pj != tjson && !facts.dup_struct) fail("both decode, the JSON differs", in, n, nullptr, tjson, pj);
            verdict(pj == tjson ? "both decode, equal" : "both decode, differ: repeated struct field", nullptr);
        } else {
            // pqfoot refused what Thrift read: it must be a listed, checked difference.
            const char *m = err.msg;
            Tree tree = schema_tree(md);
            bool ok = false;
            uint64_t v = 0;
            size_t vlen = 0;
            if (facts.dup_top || facts.dup_columns) {
                // schema / row_groups / a row group's columns twice: pqfoot refuses such a
                // footer in any case, perhaps earlier for a reason found against the first
                // schema, which Thrift replaced by the last.
                ok = true;
            } else if (err.code == PQF_ERR_DEPTH) {
                // Nesting is counted differently (pqfoot counts every list it skips, Thrift's
                // typed reader only structs), or the schema tree is deeper than the bound:
                // a deeper bound must then decode it, unless the tree is deeper still.
                pqf_options deeper = o;
                deeper.max_depth = PQF_MAX_DEPTH_LIMIT;
                pqf_error e2;
                ok = expect_with(in, n, deeper, tjson, "PQF_ERR_DEPTH, and with a deeper bound the JSON differs",
                                 &e2) ||
                     (e2.code == PQF_ERR_DEPTH && tree.ok && tree.max_depth > PQF_MAX_DEPTH_LIMIT);
            } else if (err.code == PQF_ERR_LIMIT) {
                pqf_options roomy = o;
                roomy.max_memory = (uint64_t)1 << 36;
                pqf_error e2;
                ok = expect_with(in, n, roomy, tjson, "PQF_ERR_LIMIT, and with a larger cap the JSON differs", &e2);
            } else if (!strcmp(m, "negative list size")) {
                ok = lenient_varint(in, n, err.offset + 1, &v, &vlen) && (vlen > 3 || v > 0xFFFF);
            } else if (!strcmp(m, "varint longer than its type allows") ||
                       !strcmp(m, "i32 varint out of range") || !strcmp(m, "i16 varint out of range") ||
                       !strcmp(m, "varint exceeds 64 bits") || !strcmp(m, "negative binary length") ||
                       !strcmp(m, "negative map size")) {
                // Thrift reads 10 bytes for any width and truncates.
                ok = lenient_varint(in, n, err.offset, &v, &vlen) && (vlen > 3 || v > 0xFFFF);
            } else if (!strcmp(m, "negative size or offset") || !strcmp(m, "negative num_rows")) {
                ok = lenient_varint(in, n, err.offset, &v, &vlen) && vlen <= 10 && (v & 1);
            } else if (!strcmp(m, "negative num_children")) {
                ok = has_negative_num_children(md);
            } else if (!strcmp(m, "schema is empty") || !strcmp(m, "num_children runs past the schema") ||
                       !strcmp(m, "schema elements outside the tree")) {
                ok = !tree.ok;
            } else if (!strcmp(m, "row group column count differs from the schema's leaves")) {
                uint64_t cnt = err.offset < n ? in[err.offset] >> 4 : 0;
                if (cnt == 15) lenient_varint(in, n, err.offset + 1, &cnt, &vlen);
                ok = tree.ok && cnt != tree.leaf_paths.size();
            } else if (!strcmp(m, "row_groups list longer than the bytes left")) {
                ok = tree.ok && column_count_differs(md, tree);
            } else if (!strcmp(m, "path_in_schema does not match the schema")) {
                long rg, col;
                path_indexes(err.path, &rg, &col);
                std::vector<std::string> got;
                ok = tree.ok && col >= 0 && static_cast<size_t>(col) < tree.leaf_paths.size() &&
                     read_path_list(in, n, err.offset, &got) && got != tree.leaf_paths[col];
            }
            if (!ok) fail("Thrift decodes, pqfoot refuses, and no listed difference explains it", in, n, &err, tjson, "");
            verdict("pqfoot stricter", &err);
        }
    } else {
        verdict(f ? "thrift refuses, pqfoot decodes" : "both refuse", nullptr);
    }

    if (f) {
        // Decoding twice gives the same.
        pqf_options o2 = o;
        pqf_footer *g = pqf_footer_decode(in, n, &o2, nullptr);
        FZ_ASSERT(g != nullptr);
        fz_check_same(f, g);
        pqf_footer_free(g);
    }
    pqf_footer_free(f);
    fz_alloc_fini(&a);
    return 0;
}
