/*
 * Portability: compiler hints, byte order, and the AVX-512 ("wide") build
 * switch. Everything that depends on the compiler, the CPU or the byte order
 * is decided here, so the rest of src/ stays plain C11.
 */
#ifndef PQF_PORT_H
#define PQF_PORT_H

#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define PQF_LIKELY(x) __builtin_expect(!!(x), 1)
#define PQF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PQF_CHECK_RESULT __attribute__((warn_unused_result))
#define PQF_INLINE static inline __attribute__((always_inline))
#define PQF_NOINLINE __attribute__((noinline))
#else
#define PQF_LIKELY(x) (x)
#define PQF_UNLIKELY(x) (x)
#define PQF_CHECK_RESULT
#define PQF_INLINE static inline
#define PQF_NOINLINE
#endif

/* Byte order: 1 on big-endian targets (s390x), where the little-endian
 * loads and stores below swap. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PQF_BIG_ENDIAN 1
#else
#define PQF_BIG_ENDIAN 0
#endif

/* 8 little-endian bytes at p, any alignment. */
/* Bits set in x, inline: without -mpopcnt __builtin_popcount is a call into libgcc. */
PQF_INLINE unsigned pqf_popcount32(uint32_t x) {
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    return (((x + (x >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24;
}

PQF_INLINE uint64_t pqf_load64le(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if PQF_BIG_ENDIAN
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* v as 8 little-endian bytes at p, any alignment. */
PQF_INLINE void pqf_store64le(uint8_t *p, uint64_t v) {
#if PQF_BIG_ENDIAN
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}

/* The AVX-512 paths (template_wide.c, model_stage.c): x86-64 with GCC or
 * Clang only; -DPQF_NO_WIDE builds without them (as on other platforms).
 * Whether a decode takes them is decided once, by pqf_wide_choose()
 * (internal.h). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(PQF_NO_WIDE)
#define PQF_HAVE_WIDE 1
/* On the wide path's functions: they may use what pqf_cpu_wide() checks. */
#define PQF_WIDE_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi,bmi,bmi2")))
/* Keep vector v in a register across a loop: an empty asm that may change it
 * stops the compiler from rebuilding the constant inside the loop. */
#define PQF_PIN(v) __asm__("" : "+v"(v))
/* Nonzero if this CPU and OS run the AVX-512 paths (port.c). pqf_decode_path()
 * reports it. */
int pqf_cpu_wide(void);
#endif

#endif
