/* Memory accounting against the decode's cap, and the work arena. */
#include <stdlib.h>

#include "internal.h"

static void *default_alloc(void *ctx, size_t size) {
    (void)ctx;
    return malloc(size);
}

static void default_free(void *ctx, void *ptr, size_t size) {
    (void)ctx;
    (void)size;
    free(ptr);
}

void pqf_mem_init(pqf_mem *m, const pqf_allocator *alc, uint64_t cap) {
    if (alc && alc->alloc && alc->free) {
        m->alc = *alc;
    } else {
        m->alc.alloc = default_alloc;
        m->alc.free = default_free;
        m->alc.ctx = NULL;
    }
    m->used = 0;
    m->cap = cap;
    m->failed_code = 0;
}

void *pqf_mem_alloc(pqf_mem *m, size_t size) {
    if (size == 0) size = 1;
    if (size > m->cap - m->used || m->used > m->cap) {
        m->failed_code = PQF_ERR_LIMIT;
        return NULL;
    }
    void *p = m->alc.alloc(m->alc.ctx, size);
    if (!p) {
        m->failed_code = PQF_ERR_NOMEM;
        return NULL;
    }
    m->used += size;
    return p;
}

void pqf_mem_free(pqf_mem *m, void *ptr, size_t size) {
    if (!ptr) return;
    if (size == 0) size = 1;
    m->alc.free(m->alc.ctx, ptr, size);
    m->used -= size;
}

/* ------------------------------------------------------------------ arena --- */

struct pqf_arena_block {
    pqf_arena_block *next;
    size_t size; /* whole block, header included */
};

#define ARENA_ALIGN 16
#define ARENA_HEADER ((sizeof(pqf_arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))
#define ARENA_FIRST 4096

void pqf_arena_init(pqf_arena *a, pqf_mem *mem) {
    a->mem = mem;
    a->head = NULL;
    a->ptr = a->end = NULL;
    a->next_size = ARENA_FIRST;
}

void *pqf_arena_alloc(pqf_arena *a, size_t size) {
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size > (size_t)(a->end - a->ptr) || !a->ptr) {
        if (size > SIZE_MAX / 2 - ARENA_HEADER) {
            a->mem->failed_code = PQF_ERR_LIMIT;
            return NULL;
        }
        size_t want = a->next_size;
        if (want < size + ARENA_HEADER) want = size + ARENA_HEADER;
        pqf_arena_block *b = pqf_mem_alloc(a->mem, want);
        if (!b) return NULL;
        b->next = a->head;
        b->size = want;
        a->head = b;
        a->ptr = (uint8_t *)b + ARENA_HEADER;
        a->end = (uint8_t *)b + want;
        if (a->next_size < (1u << 24)) a->next_size *= 2;
    }
    void *p = a->ptr;
    a->ptr += size;
    return p;
}

void pqf_arena_release(pqf_arena *a) {
    pqf_arena_block *b = a->head;
    while (b) {
        pqf_arena_block *next = b->next;
        pqf_mem_free(a->mem, b, b->size);
        b = next;
    }
    a->head = NULL;
    a->ptr = a->end = NULL;
}
