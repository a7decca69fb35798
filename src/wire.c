/* The cursor's out-of-line parts: its set-up and the careful varint path. */
#include "wire.h"

void pqf_cur_init(pqf_cur *c, const uint8_t *buf, size_t len, uint32_t max_depth, pqf_error *err) {
    static const uint8_t empty[1] = {0};
    c->base = c->p = buf ? buf : empty;
    c->end = c->base + len;
    c->depth = 0;
    c->max_depth = max_depth;
    c->err = err;
}

/* Varint near the end of the buffer, or longer than two bytes. */
int pqf_varint_slow(pqf_cur *c, uint64_t *out, unsigned maxlen) {
    const uint8_t *p = c->p;
    size_t left = wire_left(c);
    uint64_t v = 0;
    for (unsigned i = 0; i < maxlen; i++) {
        if (i >= left) return pqf_fail_at(c, p, PQF_ERR_TRUNCATED, "footer ends inside a varint");
        uint64_t b = p[i];
        if (i == 9 && b > 1) return pqf_fail_at(c, p, PQF_ERR_MALFORMED, "varint exceeds 64 bits");
        v |= (b & 0x7f) << (7 * i);
        if (b < 0x80) {
            c->p = p + i + 1;
            *out = v;
            return 0;
        }
    }
    return pqf_fail_at(c, p, PQF_ERR_MALFORMED, "varint longer than its type allows");
}
