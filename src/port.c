/* What this CPU runs, and the one place that decides which AVX-512 paths a
 * decode takes (port.h, internal.h). */
#include "internal.h"

#ifdef PQF_HAVE_WIDE
/* libgcc and compiler-rt fill in the CPU model (xgetbv included) before main. */
int pqf_cpu_wide(void) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
           __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
}
#endif

void pqf_wide_choose(pqf_dec *d) {
    d->wide = 0;
#ifdef PQF_HAVE_WIDE
    if ((d->flags & PQF_PORTABLE) || d->ext || !pqf_cpu_wide()) return;
    d->wide = PQF_WIDE_STAGE | (d->tmpls ? PQF_WIDE_TEMPLATES : 0) | (d->shared ? PQF_WIDE_SHARED : 0);
#endif
}
