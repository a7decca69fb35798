/*
 * A quicker skip for the statistics walk, which passes over every column
 * chunk of every row group but looks into few of them. pqf_skip() makes a
 * call per value and checks every limit as it goes; this loop keeps its own
 * stack and only takes the plain cases: short field headers, varints shorter
 * than their type's longest form, lists, structs, bounded nesting. Anything
 * else -- maps, long forms, a varint of the longest length, nesting near the
 * limit, bytes running out -- sends the value back through pqf_skip() from
 * its start, which decides and reports exactly as before.
 */
#include "stats.h"
#include "wire.h"

enum { FAST_FRAMES = 24 };

typedef struct frame {
    uint32_t left; /* list elements still to skip */
    uint8_t et;    /* element type, or CT_STOP for a struct's fields */
} frame;

/* Skip a varint of fewer than max bytes; its value (if it fits 32 bits). */
static inline int short_varint(const uint8_t **pp, const uint8_t *end, unsigned max, uint32_t *v) {
    const uint8_t *p = *pp;
    uint32_t x = 0;
    for (unsigned i = 0; i + 1 < max && p < end; i++) {
        uint8_t b = *p++;
        if (i < 4) x |= (uint32_t)(b & 0x7f) << (7 * i);
        if (b < 0x80) {
            *pp = p;
            *v = x;
            return 0;
        }
    }
    return -1;
}

/* One value of type t from *pp; -1 when it is not a plain case. */
static int fast_skip(const uint8_t **pp, const uint8_t *end, unsigned t0, uint32_t room) {
    if (t0 == CT_STOP || t0 > CT_STRUCT) return -1;
    const uint8_t *p = *pp;
    frame st[FAST_FRAMES];
    int top = 0;
    st[0].left = 1; /* the value itself, as a one-element list (not a nesting level) */
    st[0].et = (uint8_t)t0;
    for (;;) {
        frame *f = &st[top];
        unsigned t;
        uint32_t v;
        if (f->et == CT_STOP) { /* in a struct: the next field header */
            if (p >= end) return -1;
            unsigned h = *p++;
            t = h & 0x0f;
            if (t == CT_STOP) {
                top--;
                continue;
            }
            if (t > CT_STRUCT || (h >> 4) == 0) return -1;
        } else {
            if (f->left == 0) {
                if (top == 0) break;
                top--;
                continue;
            }
            f->left--;
            t = f->et;
            if (t == CT_TRUE || t == CT_FALSE) { /* a byte each in lists */
                if (p >= end) return -1;
                p++;
                continue;
            }
        }
        switch (t) {
        case CT_TRUE: case CT_FALSE: break; /* in the field header */
        case CT_BYTE:
            if (p >= end) return -1;
            p++;
            break;
        case CT_I16: if (short_varint(&p, end, 3, &v)) return -1; break;
        case CT_I32: if (short_varint(&p, end, 5, &v)) return -1; break;
        case CT_I64: if (short_varint(&p, end, 10, &v)) return -1; break;
        case CT_DOUBLE:
            if (end - p < 8) return -1;
            p += 8;
            break;
        case CT_BINARY:
            if (short_varint(&p, end, 5, &v) || v > (size_t)(end - p)) return -1;
            p += v;
            break;
        case CT_LIST: case CT_SET: {
            if (p >= end) return -1;
            unsigned h = *p++;
            uint32_t n = h >> 4;
            if (n == 15 && short_varint(&p, end, 5, &n)) return -1;
            unsigned et = h & 0x0f;
            if (et > CT_STRUCT || (n && et == CT_STOP) || n > (size_t)(end - p)) return -1;
            if (n == 0) break;
            if (top + 1 >= FAST_FRAMES || (uint32_t)top + 1 > room) return -1;
            st[++top] = (frame){n, (uint8_t)et};
            break;
        }
        case CT_STRUCT:
            if (top + 1 >= FAST_FRAMES || (uint32_t)top + 1 > room) return -1;
            st[++top] = (frame){0, CT_STOP};
            break;
        default: return -1; /* maps */
        }
    }
    *pp = p;
    return 0;
}

int pqf_stats_skip(pqf_cur *c, unsigned t) {
    const uint8_t *p = c->p;
    uint32_t room = c->max_depth > c->depth ? c->max_depth - c->depth : 0;
    if (fast_skip(&p, c->end, t, room) == 0) {
        c->p = p;
        return 0;
    }
    return pqf_skip(c, t);
}
