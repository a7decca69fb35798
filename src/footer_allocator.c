/* footer_allocator.c -- which allocator a footer's memory comes from, so
 * that code on the public API (slices) allocates where the footer does. */
#include "model.h"

const pqf_allocator *pqf_footer_allocator(const pqf_footer *f) { return f ? &f->alc : NULL; }
