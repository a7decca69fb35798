// oracle_alloc.h -- live heap bytes counted by oracle_alloc.cpp's operator new/delete.
#ifndef PQF_ORACLE_ALLOC_H
#define PQF_ORACLE_ALLOC_H
#include <cstddef>
/** Bytes currently allocated through operator new and not yet deleted. */
size_t pqo_live_heap_bytes();
#endif
