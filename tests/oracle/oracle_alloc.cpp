// oracle_alloc.cpp -- replaced global operator new/delete that count live heap bytes, so
// `pqf-oracle bench` can report what a decoded Thrift FileMetaData retains. Linked into
// build/pqf-oracle only (not part of ORACLE_LIB_OBJS: a fuzz harness keeps its own allocator).
//
// Every allocation carries a 16-byte header holding its requested size; the counter adds the
// requested size on new and subtracts it on delete. Single-threaded use only (the oracle CLI).
#include <cstddef>
#include <cstdlib>
#include <new>

#include "oracle_alloc.h"

namespace {
constexpr size_t kHeader = 16; // keeps the alignment malloc gives (alignof(max_align_t))
size_t g_live = 0;

void *counted_alloc(size_t n) {
    void *b = std::malloc(n + kHeader);
    if (!b) return nullptr;
    *static_cast<size_t *>(b) = n;
    g_live += n;
    return static_cast<char *>(b) + kHeader;
}

void counted_free(void *p) {
    if (!p) return;
    char *b = static_cast<char *>(p) - kHeader;
    g_live -= *reinterpret_cast<size_t *>(b);
    std::free(b);
}
} // namespace

size_t pqo_live_heap_bytes() { return g_live; }

void *operator new(size_t n) {
    void *p = counted_alloc(n);
    if (!p) throw std::bad_alloc();
    return p;
}
void *operator new[](size_t n) {
    void *p = counted_alloc(n);
    if (!p) throw std::bad_alloc();
    return p;
}
void *operator new(size_t n, const std::nothrow_t &) noexcept { return counted_alloc(n); }
void *operator new[](size_t n, const std::nothrow_t &) noexcept { return counted_alloc(n); }
void operator delete(void *p) noexcept { counted_free(p); }
void operator delete[](void *p) noexcept { counted_free(p); }
void operator delete(void *p, size_t) noexcept { counted_free(p); }
void operator delete[](void *p, size_t) noexcept { counted_free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { counted_free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { counted_free(p); }
