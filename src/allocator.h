/*
 * The default allocator, shared by the decoder, the predicate code and the
 * dataset layer: a pqf_allocator pointer that is NULL, or misses a hook,
 * stands for malloc/free. The dataset layer includes this header and no
 * other of the decoder's.
 */
#ifndef PQF_ALLOCATOR_H
#define PQF_ALLOCATOR_H

#include "pqfoot.h"

/* The hooks to call for alc: *alc when both hooks are set, else malloc/free
 * (whose alloc never returns NULL for size 0 unless memory is out) (mem.c). */
pqf_allocator pqf_allocator_resolve(const pqf_allocator *alc);

#endif
