/* Error codes, messages and the field path of a failure. */
#include <stdio.h>

#include "internal.h"

static const char *const code_names[PQF_ERR__COUNT] = {
    "PQF_OK", "PQF_ERR_IO", "PQF_ERR_NOT_PARQUET", "PQF_ERR_TRUNCATED", "PQF_ERR_MALFORMED",
    "PQF_ERR_DEPTH", "PQF_ERR_LIMIT", "PQF_ERR_MISSING_REQUIRED", "PQF_ERR_ENCRYPTED",
    "PQF_ERR_NOMEM", "PQF_ERR_INVALID_ARG", "PQF_ERR_NO_COLUMN",
};

static const char *const code_texts[PQF_ERR__COUNT] = {
    "ok",
    "I/O error",
    "not a Parquet file",
    "footer truncated",
    "malformed footer",
    "nesting too deep",
    "limit exceeded",
    "required field missing",
    "encrypted footer",
    "out of memory",
    "invalid argument",
    "projected column not in schema",
};

const char *pqf_version(void) { return PQF_VERSION_STRING; }

const char *pqf_code_name(pqf_code code) {
    if ((unsigned)code >= PQF_ERR__COUNT) return "PQF_ERR_UNKNOWN";
    return code_names[code];
}

const char *pqf_strerror(pqf_code code) {
    if ((unsigned)code >= PQF_ERR__COUNT) return "unknown error";
    return code_texts[code];
}

void pqf_error_set(pqf_error *err, int code, const char *msg, uint64_t offset) {
    if (!err) return;
    err->code = (pqf_code)code;
    err->msg = msg ? msg : pqf_strerror((pqf_code)code);
    err->offset = offset;
    err->needed = 0;
    err->path[0] = '\0';
}

int pqf_fail_at(pqf_cur *c, const uint8_t *pos, int code, const char *msg) {
    if (c->err->code == PQF_OK) pqf_error_set(c->err, code, msg, (uint64_t)(pos - c->base));
    return code;
}

int pqf_fail_mem_at(pqf_cur *c, const pqf_mem *m) {
    int code = m->failed_code ? m->failed_code : PQF_ERR_NOMEM;
    return pqf_fail(c, code, code == PQF_ERR_LIMIT ? "memory cap reached" : "allocation failed");
}

int pqf_fail_mem(pqf_dec *d) { return pqf_fail_mem_at(&d->cur, &d->mem); }

int pqf_path_push(pqf_dec *d, int rc, const char *name, int32_t index, int16_t fid) {
    if (d->npath < PQF_PATH_SEGMENTS) {
        pqf_path_seg *s = &d->path[d->npath++];
        s->name = name;
        s->index = index;
        s->fid = fid;
    }
    return rc;
}

void pqf_path_format(pqf_dec *d) {
    char *out = d->cur.err->path;
    size_t cap = sizeof d->cur.err->path, n = 0;
    out[0] = '\0';
    for (uint32_t i = d->npath; i-- > 0 && n < cap;) {
        const pqf_path_seg *s = &d->path[i];
        const char *dot = n ? "." : "";
        int w = 0;
        if (!s->name && s->fid == 0)
            ; /* a bare list index: "[3]" joins the name before it */
        else if (s->name)
            w = snprintf(out + n, cap - n, "%s%s", dot, s->name);
        else
            w = snprintf(out + n, cap - n, "%sfield_%d", dot, (int)s->fid);
        if (w < 0) break;
        n += (size_t)w;
        if (s->index >= 0 && n < cap) {
            w = snprintf(out + n, cap - n, "[%ld]", (long)s->index);
            if (w < 0) break;
            n += (size_t)w;
        }
    }
    if (n >= cap) out[cap - 1] = '\0';
}
