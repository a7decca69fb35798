/* What this CPU runs: the check behind the AVX-512 paths (port.h). */
#include "port.h"

#ifdef PQF_HAVE_WIDE
/* libgcc and compiler-rt fill in the CPU model (xgetbv included) before main. */
int pqf_cpu_wide(void) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
           __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
}
#else
typedef int pqf_port_unused; /* ISO C wants something in a translation unit */
#endif
