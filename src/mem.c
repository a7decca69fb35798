/* Memory accounting against the decode's cap, the work arena and strings copied into it. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include <stdlib.h>

#include "internal.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

static void *default_alloc(void *ctx, size_t size) {
    (void)ctx;
    return malloc(size ? size : 1);
}

static void default_free(void *ctx, void *ptr, size_t size) {
    (void)ctx;
    (void)size;
    free(ptr);
}

pqf_allocator pqf_allocator_resolve(const pqf_allocator *alc) {
    if (alc && alc->alloc && alc->free) return *alc;
    pqf_allocator a = {default_alloc, default_free, NULL};
    return a;
}

void pqf_mem_init(pqf_mem *m, const pqf_allocator *alc, uint64_t cap) {
    m->alc = pqf_allocator_resolve(alc);
    m->used = 0;
    m->cap = cap;
    m->failed_code = 0;
    m->dctx = NULL;
    m->huge_after = SIZE_MAX;
    m->own_ok = m->own_dctx = 0;
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

/* ------------------------------------------------------------ work memory --- */

/* Every work block starts with a header holding its real size, so a block
 * kept by a decoder context can serve a later, smaller request. */
#define WORK_HEADER 64 /* keeps the caller's memory 64-byte aligned when the block is */
#define DCTX_BLOCKS 32

struct pqf_dctx {
    pqf_allocator alc;
    size_t nblocks;
    size_t held; /* bytes of the blocks kept */
    struct { uint8_t *p; size_t size; } blocks[DCTX_BLOCKS];
    /* With the default allocator: work blocks cut one after the other from one
     * reserved range of huge pages (see region_take()). */
    uint8_t *rbase;
    size_t rsize, rtop, rlive, rhigh; /* reserved, in use, blocks live, most ever used */
};

static const pqf_allocator *work_alc(const pqf_mem *m) { return m->dctx ? &m->dctx->alc : &m->alc; }

/* Sanitizers watch malloc's blocks, not mapped ones: they keep malloc. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PQF_NO_HUGE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define PQF_NO_HUGE 1
#endif
#endif

/* The work memory of a context with the default allocator: one reserved
 * range of address space with huge pages advised, cut block after block.
 * Only what a decode touches becomes memory, in 2 MiB pages, so a decode
 * that needs 4 MiB of work takes two page faults instead of a thousand; a
 * context keeps those pages for the next decode. The range starts over once
 * every block is back. 64-bit only (address space). */
#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS) && defined(MAP_NORESERVE) && \
    !defined(PQF_NO_HUGE) && UINTPTR_MAX > 0xFFFFFFFFu
#define HUGE_PAGE ((size_t)2 << 20)
#define REGION_RESERVE ((size_t)1 << 30)
static uint8_t *region_take(pqf_dctx *c, size_t size) {
    if (c->alc.alloc != default_alloc) return NULL;
    if (!c->rbase) {
        uint8_t *m = mmap(NULL, REGION_RESERVE + HUGE_PAGE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) return NULL;
        size_t head = (size_t)(-(uintptr_t)m & (HUGE_PAGE - 1));
        if (head) munmap(m, head);
        munmap(m + head + REGION_RESERVE, HUGE_PAGE - head);
        madvise(m + head, REGION_RESERVE, MADV_HUGEPAGE);
        c->rbase = m + head;
        c->rsize = REGION_RESERVE;
    }
    size_t len = (size + 63) & ~(size_t)63;
    if (len < size || len > c->rsize - c->rtop) return NULL;
    uint8_t *p = c->rbase + c->rtop;
    c->rtop += len;
    c->rlive++;
    if (c->rtop > c->rhigh) c->rhigh = c->rtop;
    return p;
}

static int region_give(pqf_dctx *c, uint8_t *p, size_t size) {
    if (!c->rbase || p < c->rbase || p >= c->rbase + c->rsize) return 0;
    size_t len = (size + 63) & ~(size_t)63;
    if (p + len == c->rbase + c->rtop) c->rtop -= len; /* the last block: its room is free again */
    if (--c->rlive == 0) c->rtop = 0;
    return 1;
}

static void region_release(pqf_dctx *c) {
    if (c->rbase) munmap(c->rbase, c->rsize);
}
#else
static uint8_t *region_take(pqf_dctx *c, size_t size) {
    (void)c, (void)size;
    return NULL;
}
static int region_give(pqf_dctx *c, uint8_t *p, size_t size) {
    (void)c, (void)p, (void)size;
    return 0;
}
static void region_release(pqf_dctx *c) { (void)c; }
#endif


/* The smallest kept block of at least size bytes and not much more; NULL if none. */
static uint8_t *dctx_take(pqf_dctx *c, size_t size) {
    size_t best = c->nblocks;
    for (size_t i = 0; i < c->nblocks; i++) {
        size_t b = c->blocks[i].size;
        if (b >= size && b - size <= size + 65536 && (best == c->nblocks || b < c->blocks[best].size)) best = i;
    }
    if (best == c->nblocks) return NULL;
    uint8_t *p = c->blocks[best].p;
    c->held -= c->blocks[best].size;
    c->blocks[best] = c->blocks[--c->nblocks];
    return p;
}

void *pqf_work_alloc(pqf_mem *m, size_t size) {
    if (size == 0) size = 1;
    if (size > SIZE_MAX - WORK_HEADER || size + WORK_HEADER > m->cap - m->used || m->used > m->cap) {
        m->failed_code = PQF_ERR_LIMIT;
        return NULL;
    }
    size_t real = size + WORK_HEADER; /* what is charged, whichever block serves it */
    uint8_t *p = NULL;
    if (PQF_UNLIKELY(!m->dctx && m->own_ok && m->used >= m->huge_after)) {
        /* a decode without a context whose work grew large: one of its own
         * from here on, for the huge-page range */
        m->own_ok = 0;
        m->dctx = pqf_dctx_new(NULL);
        m->own_dctx = m->dctx != NULL;
    }
    if (m->dctx && m->used >= m->huge_after && (p = region_take(m->dctx, real))) {
        memcpy(p, &real, sizeof real);
    } else if (m->dctx && (p = dctx_take(m->dctx, real))) {
        memcpy(&real, p, sizeof real);
    } else {
        const pqf_allocator *a = work_alc(m);
        p = a->alloc(a->ctx, real);
        if (!p) {
            m->failed_code = PQF_ERR_NOMEM;
            return NULL;
        }
        memcpy(p, &real, sizeof real);
    }
    m->used += size + WORK_HEADER;
    return p + WORK_HEADER;
}

void pqf_work_free(pqf_mem *m, void *ptr, size_t size) {
    if (!ptr) return;
    if (size == 0) size = 1;
    m->used -= size + WORK_HEADER;
    uint8_t *p = (uint8_t *)ptr - WORK_HEADER;
    size_t real;
    memcpy(&real, p, sizeof real);
    pqf_dctx *c = m->dctx;
    if (c && region_give(c, p, real)) return;
    if (c && c->nblocks < DCTX_BLOCKS) {
        c->blocks[c->nblocks].p = p;
        c->blocks[c->nblocks].size = real;
        c->nblocks++;
        c->held += real;
        return;
    }
    const pqf_allocator *a = work_alc(m);
    a->free(a->ctx, p, real);
}

pqf_dctx *pqf_dctx_new(const pqf_allocator *alloc) {
    pqf_mem m;
    pqf_mem_init(&m, alloc, UINT64_MAX);
    pqf_dctx *c = m.alc.alloc(m.alc.ctx, sizeof *c);
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    c->alc = m.alc;
    return c;
}

void pqf_dctx_free(pqf_dctx *c) {
    if (!c) return;
    pqf_allocator a = c->alc;
    for (size_t i = 0; i < c->nblocks; i++) a.free(a.ctx, c->blocks[i].p, c->blocks[i].size);
    region_release(c);
    a.free(a.ctx, c, sizeof *c);
}

size_t pqf_dctx_bytes(const pqf_dctx *c) { return c ? c->held + c->rhigh : 0; }

/* ------------------------------------------------------------------ arena --- */

struct pqf_arena_block {
    pqf_arena_block *next;
    size_t size; /* whole block, header included */
};

#define ARENA_ALIGN 16
#define ARENA_HEADER ((sizeof(pqf_arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))
#define ARENA_FIRST 4096
/* A block's room starts on a 64-byte boundary and is its size less these
 * bytes, wherever the allocator put it: padding for aligned allocations,
 * and so what a decode is charged (max_memory), is then the same with or
 * without a context. */
#define ARENA_SLACK 64
/* A request this large gets a block of its own, of its size: a doubled block
 * for one large array (a column's records, 10,000 columns of them) would
 * leave most of itself unused, in huge pages that are then faulted in whole. */
#define ARENA_LARGE (64u << 10)

void pqf_arena_init(pqf_arena *a, pqf_mem *mem) {
    a->mem = mem;
    a->head = NULL;
    a->ptr = a->end = NULL;
    a->next_size = ARENA_FIRST;
}

void pqf_arena_plan(pqf_arena *a, uint64_t bytes) {
    if (bytes > ARENA_LARGE) bytes = ARENA_LARGE; /* beyond, blocks double as usual */
    size_t want = (size_t)bytes + ARENA_HEADER + ARENA_SLACK;
    if (want > a->next_size) a->next_size = want;
}

/* A new block of want bytes at the head of the list (newest first: released
 * from the top down); its room, on a 64-byte boundary. NULL when out of memory. */
static uint8_t *arena_block(pqf_arena *a, size_t want) {
    pqf_arena_block *b = pqf_work_alloc(a->mem, want);
    if (!b) return NULL;
    b->size = want;
    b->next = a->head;
    a->head = b;
    uint8_t *room = (uint8_t *)b + ARENA_HEADER;
    return room + ((size_t)-(uintptr_t)room & 63);
}

void *pqf_arena_alloc(pqf_arena *a, size_t size) {
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size > (size_t)(a->end - a->ptr) || !a->ptr) {
        if (size > SIZE_MAX / 2 - ARENA_HEADER) {
            a->mem->failed_code = PQF_ERR_LIMIT;
            return NULL;
        }
        if (size >= ARENA_LARGE && a->ptr) /* its own block; the current one stays current */
            return arena_block(a, size + ARENA_HEADER + ARENA_SLACK);
        size_t want = a->next_size;
        if (want < size + ARENA_HEADER + ARENA_SLACK) want = size + ARENA_HEADER + ARENA_SLACK;
        uint8_t *room = arena_block(a, want);
        if (!room) return NULL;
        a->ptr = room;
        a->end = a->ptr + (want - ARENA_HEADER - ARENA_SLACK);
        if (a->next_size < (1u << 24)) a->next_size *= 2;
    }
    void *p = a->ptr;
    a->ptr += size;
    return p;
}

int pqf_copy_str(pqf_arena *a, pqf_cur *c, const uint8_t *s, size_t n, pqf_str *out) {
    char *copy = pqf_arena_alloc(a, n < 8 ? 8 : n + 1);
    if (!copy) return pqf_fail_mem_at(c, a->mem);
    if (n) memcpy(copy, s, n);
    if (n < 8) memset(copy + n, 0, 8 - n);
    else copy[n] = '\0';
    out->ptr = copy;
    out->len = n;
    return 0;
}

void *pqf_arena_alloc_aligned(pqf_arena *a, size_t size, size_t align) {
    if (align <= ARENA_ALIGN) return pqf_arena_alloc(a, size);
    if (size > SIZE_MAX / 2 || align > 4096 || (align & (align - 1))) {
        a->mem->failed_code = PQF_ERR_LIMIT;
        return NULL;
    }
    /* Padding inside the current block when it fits: records of a multiple
     * of align bytes allocated one after the other then waste nothing. */
    size_t pad = (size_t)(-(uintptr_t)a->ptr & (align - 1));
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1); /* what pqf_arena_alloc() takes */
    if (a->ptr && pad <= (size_t)(a->end - a->ptr) && need <= (size_t)(a->end - a->ptr) - pad) {
        a->ptr += pad;
        return pqf_arena_alloc(a, size);
    }
    uint8_t *p = pqf_arena_alloc(a, size + align - 1);
    if (!p) return NULL;
    return p + (size_t)(-(uintptr_t)p & (align - 1));
}

void pqf_arena_release(pqf_arena *a) {
    pqf_arena_block *b = a->head;
    while (b) {
        pqf_arena_block *next = b->next;
        pqf_work_free(a->mem, b, b->size);
        b = next;
    }
    a->head = NULL;
    a->ptr = a->end = NULL;
}
