// oracle_internal.h -- helpers shared by oracle_lib.cpp and oracle_gen.cpp (not a public API).
#ifndef PQF_ORACLE_INTERNAL_H
#define PQF_ORACLE_INTERNAL_H

#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <thrift/TConfiguration.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "parquet_footer_types.h"

namespace pqo {

namespace th = apache::thrift;
using MemBuf = th::transport::TMemoryBuffer;
using Compact = th::protocol::TCompactProtocolT<MemBuf>;

/** Limits raised far above any real footer (Arrow does the same); recursion stays at 64. */
inline std::shared_ptr<th::TConfiguration> reader_config() {
    return std::make_shared<th::TConfiguration>(INT_MAX, INT_MAX,
                                                th::TConfiguration::DEFAULT_RECURSION_DEPTH);
}

/** "Class: message", unless Thrift's message already starts with the class name. */
inline std::string with_class(const char *cls, const char *what) {
    if (std::strncmp(what, cls, std::strlen(cls)) == 0) return what;
    return std::string(cls) + ": " + what;
}

/**
 * Deserialize one Thrift struct from data[0..len). Returns false with *err on failure;
 * *consumed receives the bytes the struct took.
 */
template <class T>
bool thrift_read(const uint8_t *data, size_t len, T *out, std::string *err, size_t *consumed) {
    if (len > UINT32_MAX) {
        *err = "buffer larger than 4 GiB";
        return false;
    }
    static uint8_t empty[1];
    try {
        auto mem = std::make_shared<MemBuf>(len ? const_cast<uint8_t *>(data) : empty,
                                            static_cast<uint32_t>(len), MemBuf::OBSERVE,
                                            reader_config());
        Compact proto(mem, INT32_MAX, INT32_MAX);
        out->read(&proto);
        if (consumed) *consumed = len - mem->available_read();
        return true;
    } catch (const th::protocol::TProtocolException &e) {
        *err = with_class("TProtocolException", e.what());
    } catch (const th::transport::TTransportException &e) {
        *err = with_class("TTransportException", e.what());
    } catch (const th::TException &e) {
        *err = std::string("TException: ") + e.what();
    } catch (const std::exception &e) {
        *err = std::string("std::exception: ") + e.what();
    }
    return false;
}

/** Reusable Thrift compact serializer: append a struct's encoding to a byte vector. */
class ThriftWriter {
  public:
    ThriftWriter() : mem_(std::make_shared<MemBuf>(4096)), proto_(mem_) {}
    template <class T> size_t append(const T &obj, std::vector<uint8_t> *out) {
        mem_->resetBuffer();
        obj.write(&proto_);
        uint8_t *p;
        uint32_t n;
        mem_->getBuffer(&p, &n);
        out->insert(out->end(), p, p + n);
        return n;
    }

  private:
    std::shared_ptr<MemBuf> mem_;
    Compact proto_;
};

/** Smallest bit width that holds v (0 for v == 0). */
inline int bit_width(uint64_t v) {
    int w = 0;
    while (v) {
        w++;
        v >>= 1;
    }
    return w;
}

inline void put_u32le(std::vector<uint8_t> *out, uint32_t v) {
    for (int i = 0; i < 4; i++) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline uint32_t get_u32le(const uint8_t *p) {
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
           static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}
inline void put_uvarint(std::vector<uint8_t> *out, uint64_t v) {
    while (v >= 0x80) {
        out->push_back(static_cast<uint8_t>(v | 0x80));
        v >>= 7;
    }
    out->push_back(static_cast<uint8_t>(v));
}

/** A leaf column derived from the flattened schema. */
struct LeafInfo {
    std::vector<std::string> path;
    int max_def = 0, max_rep = 0;
    int type = -1;        // physical type, -1 if the element has none
    int type_length = 0;
};

/**
 * Leaves of a flattened schema (element 0 is the root). Returns false with *err when the
 * num_children counts do not describe a tree.
 */
bool schema_leaves(const std::vector<pqforacle::SchemaElement> &schema,
                   std::vector<LeafInfo> *leaves, std::string *err);

} // namespace pqo

#endif // PQF_ORACLE_INTERNAL_H
