// oracle_main.cpp -- build/pqf-oracle: Apache Thrift C++ as pqfoot's independent oracle.
//
//   pqf-oracle json [--page-index] [--bloom] [--kv] [--footer-only] FILE...   canonical JSON lines
//   pqf-oracle footer FILE                          raw footer bytes to stdout
//   pqf-oracle presence FILE...                     chunks with statistics/encoding_stats/size_statistics
//   pqf-oracle gen SHAPE OUT.parquet [--seed N] [--no-stats] [--columns N] [--rows N] [--rg-rows N]
//   pqf-oracle bench [--reps N] [--skip-walk] FILE  Thrift decode time and retained heap bytes
//   pqf-oracle check [--pages] FILE...              self-consistency of (generated) files
//   pqf-oracle shapes                               list the shapes gen knows
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "oracle_alloc.h"
#include "oracle_internal.h"
#include "oracle_lib.h"

namespace {

int usage() {
    std::fputs(
        "usage: pqf-oracle json [--page-index] [--bloom] [--kv] [--footer-only] FILE...\n"
        "       pqf-oracle footer FILE > footer.bin\n"
        "       pqf-oracle presence FILE...\n"
        "       pqf-oracle gen SHAPE OUT.parquet [--seed N] [--no-stats] [--columns N] [--rows N]\n"
        "                                        [--rg-rows N]\n"
        "       pqf-oracle bench [--reps N] [--skip-walk] FILE\n"
        "       pqf-oracle check [--pages] FILE...\n"
        "       pqf-oracle shapes\n"
        "FILE may be '-' for stdin. See docs/dump-json.md for the JSON format.\n",
        stderr);
    return 2;
}

bool parse_long(const char *s, long *out) {
    char *end;
    errno = 0;
    long v = std::strtol(s, &end, 0);
    if (errno || end == s || *end) return false;
    *out = v;
    return true;
}

void write_all(const std::string &s) { std::fwrite(s.data(), 1, s.size(), stdout); }

int cmd_json(int argc, char **argv) {
    pqo::JsonFlags fl;
    bool footer_only = false;
    std::vector<std::string> files;
    for (int i = 0; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--page-index") fl.page_index = true;
        else if (a == "--bloom") fl.bloom = true;
        else if (a == "--kv") fl.kv = true;
        else if (a == "--footer-only") footer_only = true;
        else if (a.size() > 1 && a[0] == '-' && a != "-") return usage();
        else files.push_back(a);
    }
    if (files.empty()) return usage();
    int rc = 0;
    std::vector<uint8_t> buf;
    for (const std::string &f : files) {
        std::string err, line;
        if (!pqo::read_file(f, &buf, &err)) {
            line = pqo::error_json(f, err);
            rc = 1;
        } else if (!pqo::json_line(buf.data(), buf.size(), footer_only, f, fl, &line)) {
            rc = 1;
        }
        line.push_back('\n');
        write_all(line);
    }
    return rc;
}

// How many chunks carry the fields `pqfoot slim` drops, and the file-level
// lists a slice trims: for the slim and slice differential checks.
int cmd_presence(int argc, char **argv) {
    if (argc < 1) return usage();
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        std::vector<uint8_t> buf;
        std::string err;
        size_t off, len;
        pqforacle::FileMetaData md;
        if (!pqo::read_file(argv[i], &buf, &err) || !pqo::locate_footer(buf.data(), buf.size(), &off, &len, &err) ||
            !pqo::decode_footer(buf.data() + off, len, &md, &err)) {
            std::printf("%s\n", pqo::error_json(argv[i], err).c_str());
            rc = 1;
            continue;
        }
        long stats = 0, enc_stats = 0, size_stats = 0;
        for (const auto &rg : md.row_groups)
            for (const auto &c : rg.columns) {
                stats += c.meta_data.__isset.statistics;
                enc_stats += c.meta_data.__isset.encoding_stats;
                size_stats += c.meta_data.__isset.size_statistics;
            }
        std::printf("{\"statistics\":%ld,\"encoding_stats\":%ld,\"size_statistics\":%ld,\"kv\":%d,"
                    "\"column_orders\":%ld}\n",
                    stats, enc_stats, size_stats, md.__isset.key_value_metadata ? (int)md.key_value_metadata.size() : -1,
                    md.__isset.column_orders ? (long)md.column_orders.size() : -1L);
    }
    return rc;
}

int cmd_footer(int argc, char **argv) {
    if (argc != 1) return usage();
    std::vector<uint8_t> buf;
    std::string err;
    size_t off, len;
    if (!pqo::read_file(argv[0], &buf, &err) ||
        !pqo::locate_footer(buf.data(), buf.size(), &off, &len, &err)) {
        std::fprintf(stderr, "pqf-oracle footer: %s: %s\n", argv[0], err.c_str());
        return 1;
    }
    std::fwrite(buf.data() + off, 1, len, stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
}

int cmd_gen(int argc, char **argv) {
    if (argc < 2) return usage();
    std::string shape = argv[0], out = argv[1];
    pqo::GenOptions opt;
    for (int i = 2; i < argc; i++) {
        std::string a = argv[i];
        long v;
        auto num = [&](long *dst) {
            if (i + 1 >= argc || !parse_long(argv[i + 1], &v) || v < 0) return false;
            *dst = v;
            i++;
            return true;
        };
        if (a == "--no-stats") opt.stats = false;
        else if (a == "--seed") {
            long s;
            if (!num(&s)) return usage();
            opt.seed = static_cast<uint64_t>(s);
        } else if (a == "--columns") {
            if (!num(&opt.columns) || opt.columns == 0) return usage();
        } else if (a == "--rows") {
            if (!num(&opt.rows)) return usage();
        } else if (a == "--rg-rows") {
            if (!num(&opt.rg_rows) || opt.rg_rows == 0) return usage();
        } else
            return usage();
    }
    std::vector<uint8_t> file;
    std::string err;
    if (!pqo::generate(shape, opt, &file, &err)) {
        std::fprintf(stderr, "pqf-oracle gen: %s\n", err.c_str());
        return 1;
    }
    std::string tmp = out + ".tmp";
    FILE *fp = std::fopen(tmp.c_str(), "wb");
    if (!fp || std::fwrite(file.data(), 1, file.size(), fp) != file.size() || std::fclose(fp) != 0 ||
        std::rename(tmp.c_str(), out.c_str()) != 0) {
        std::fprintf(stderr, "pqf-oracle gen: cannot write %s: %s\n", out.c_str(), std::strerror(errno));
        return 1;
    }
    return 0;
}

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int64_t median(std::vector<int64_t> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int cmd_bench(int argc, char **argv) {
    long reps = 20;
    bool skipwalk = false;
    std::string file;
    for (int i = 0; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--reps") {
            if (i + 1 >= argc || !parse_long(argv[++i], &reps) || reps < 1) return usage();
        } else if (a == "--skip-walk") {
            skipwalk = true;
        } else if (file.empty() && (a == "-" || a[0] != '-')) {
            file = a;
        } else {
            return usage();
        }
    }
    if (file.empty()) return usage();
    std::vector<uint8_t> buf;
    std::string err;
    size_t off, len;
    if (!pqo::read_file(file, &buf, &err) ||
        !pqo::locate_footer(buf.data(), buf.size(), &off, &len, &err)) {
        std::fprintf(stderr, "pqf-oracle bench: %s: %s\n", file.c_str(), err.c_str());
        return 1;
    }
    std::vector<uint8_t> footer(buf.begin() + static_cast<long>(off),
                                buf.begin() + static_cast<long>(off + len));
    buf.clear();
    buf.shrink_to_fit();

    // Retained bytes: live heap after a decode (transport and protocol gone) minus before.
    size_t before = pqo_live_heap_bytes();
    auto md = std::make_unique<pqforacle::FileMetaData>();
    if (!pqo::decode_footer(footer.data(), footer.size(), md.get(), &err)) {
        std::fprintf(stderr, "pqf-oracle bench: %s: %s\n", file.c_str(), err.c_str());
        return 1;
    }
    size_t retained = pqo_live_heap_bytes() - before;
    int64_t chunks = 0;
    for (const auto &rg : md->row_groups) chunks += static_cast<int64_t>(rg.columns.size());
    md.reset();

    std::vector<int64_t> times;
    for (long r = 0; r < reps + 1; r++) { // the first run only warms up
        pqforacle::FileMetaData m;
        int64_t t0 = now_ns();
        bool ok = pqo::decode_footer(footer.data(), footer.size(), &m, &err);
        int64_t t1 = now_ns();
        if (!ok) return 1;
        if (r) times.push_back(t1 - t0);
    }
    std::vector<int64_t> walk;
    if (skipwalk) {
        for (long r = 0; r < reps + 1; r++) {
            size_t consumed = 0;
            int64_t t0 = now_ns();
            bool ok = pqo::skip_walk(footer.data(), footer.size(), &consumed);
            int64_t t1 = now_ns();
            if (!ok) {
                std::fprintf(stderr, "pqf-oracle bench: skip walk failed at byte %zu\n", consumed);
                return 1;
            }
            if (r) walk.push_back(t1 - t0);
        }
    }
    std::string o = "{\"file\":";
    pqo::json_escape(&o, file.data(), file.size());
    char tmp[512];
    std::snprintf(tmp, sizeof tmp,
                  ",\"footer_bytes\":%zu,\"decode_ns_median\":%lld,\"decode_ns_min\":%lld,"
                  "\"retained_bytes\":%zu,\"column_chunks\":%lld",
                  len, static_cast<long long>(median(times)),
                  static_cast<long long>(*std::min_element(times.begin(), times.end())), retained,
                  static_cast<long long>(chunks));
    o += tmp;
    if (skipwalk) {
        std::snprintf(tmp, sizeof tmp, ",\"skipwalk_ns_median\":%lld,\"skipwalk_ns_min\":%lld",
                      static_cast<long long>(median(walk)),
                      static_cast<long long>(*std::min_element(walk.begin(), walk.end())));
        o += tmp;
    }
    o += "}\n";
    write_all(o);
    return 0;
}

int cmd_check(int argc, char **argv) {
    bool pages = false;
    std::vector<std::string> files;
    for (int i = 0; i < argc; i++) {
        if (std::strcmp(argv[i], "--pages") == 0) pages = true;
        else files.push_back(argv[i]);
    }
    if (files.empty()) return usage();
    int rc = 0;
    std::vector<uint8_t> buf;
    for (const std::string &f : files) {
        std::string err, summary;
        if (!pqo::read_file(f, &buf, &err) ||
            !pqo::check_file(buf.data(), buf.size(), pages, &summary, &err)) {
            std::printf("%s: FAIL %s\n", f.c_str(), err.c_str());
            rc = 1;
        } else {
            std::printf("%s: %s\n", f.c_str(), summary.c_str());
        }
    }
    return rc;
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    std::string cmd = argv[1];
    if (cmd == "json") return cmd_json(argc - 2, argv + 2);
    if (cmd == "presence") return cmd_presence(argc - 2, argv + 2);
    if (cmd == "footer") return cmd_footer(argc - 2, argv + 2);
    if (cmd == "gen") return cmd_gen(argc - 2, argv + 2);
    if (cmd == "bench") return cmd_bench(argc - 2, argv + 2);
    if (cmd == "check") return cmd_check(argc - 2, argv + 2);
    if (cmd == "shapes") {
        for (const auto &s : pqo::shapes()) std::printf("%-13s %s\n", s.first.c_str(), s.second.c_str());
        return 0;
    }
    return usage();
}
