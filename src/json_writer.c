/*
 * json_writer.c -- pqf_footer_write_json(): the canonical one-line JSON form of
 * a decoded footer (docs/dump-json.md).
 *
 * This file is deliberately a client of the public API only: it reads the
 * footer through the same accessors an application would, so the JSON shows
 * exactly what the public model exposes. Output is staged in a small fixed
 * buffer on the stack and handed to the sink in pieces of that size: no heap
 * memory at all, so the caller's allocator is never bypassed.
 */
#include <stdint.h>
#include <string.h>

#include "pqfoot.h"

#define JW_BUF_SIZE 4096u

/* Output state: the staging buffer and the sink. Once the sink fails, every
 * later write is a no-op and the failure is reported at the end. */
typedef struct jw {
    pqf_write_fn write;
    void *ctx;
    size_t used;
    int failed;
    unsigned char buf[JW_BUF_SIZE];
} jw;

static void jw_flush(jw *w) {
    if (w->used == 0 || w->failed) {
        w->used = 0;
        return;
    }
    if (w->write(w->ctx, w->buf, w->used) != 0) w->failed = 1;
    w->used = 0;
}

static void jw_bytes(jw *w, const void *data, size_t len) {
    const unsigned char *p = data;
    while (len > 0) {
        if (w->used == JW_BUF_SIZE) jw_flush(w);
        size_t room = JW_BUF_SIZE - w->used;
        size_t n = len < room ? len : room;
        memcpy(w->buf + w->used, p, n);
        w->used += n;
        p += n;
        len -= n;
    }
}

static void jw_char(jw *w, char c) {
    if (w->used == JW_BUF_SIZE) jw_flush(w);
    w->buf[w->used++] = (unsigned char)c;
}

/* A literal piece of JSON syntax (keys with their quotes, brackets, null). */
static void jw_lit(jw *w, const char *s) { jw_bytes(w, s, strlen(s)); }

static void jw_i64(jw *w, int64_t v) {
    char tmp[24];
    size_t n = sizeof tmp;
    /* Work on the magnitude as unsigned so INT64_MIN needs no special case. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--n] = (char)('0' + (int)(mag % 10u));
        mag /= 10u;
    } while (mag != 0);
    if (v < 0) tmp[--n] = '-';
    jw_bytes(w, tmp + n, sizeof tmp - n);
}

/* An integer when `present`, else null. */
static void jw_opt_i64(jw *w, int present, int64_t v) {
    if (present)
        jw_i64(w, v);
    else
        jw_lit(w, "null");
}

/*
 * Length of the well-formed UTF-8 sequence starting at p (RFC 3629: shortest
 * form only, no surrogates, nothing above U+10FFFF), or 0 when the byte at p
 * does not start one. p[0] is known to be >= 0x80.
 */
static size_t utf8_seq_len(const unsigned char *p, size_t avail) {
    unsigned char b = p[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (b >= 0xC2 && b <= 0xDF) {
        need = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3;
        if (b == 0xE0) lo = 0xA0;      /* no overlong 3-byte forms */
        else if (b == 0xED) hi = 0x9F; /* no surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4;
        if (b == 0xF0) lo = 0x90;      /* no overlong 4-byte forms */
        else if (b == 0xF4) hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (avail < need) return 0;
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < need; i++)
        if (p[i] < 0x80 || p[i] > 0xBF) return 0;
    return need;
}

/* A JSON string from arbitrary bytes: escapes per the spec, U+FFFD for each
 * byte that does not begin a valid UTF-8 sequence. */
static void jw_string(jw *w, const char *s, size_t len) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* run: start of bytes that can be copied verbatim */
    jw_char(w, '"');
    while (i < len) {
        unsigned char b = p[i];
        if (b >= 0x20 && b != '"' && b != '\\' && b < 0x80) {
            i++;
            continue;
        }
        if (b >= 0x80) {
            size_t n = utf8_seq_len(p + i, len - i);
            if (n > 0) {
                i += n;
                continue;
            }
        }
        jw_bytes(w, p + run, i - run);
        switch (b) {
        case '"': jw_lit(w, "\\\""); break;
        case '\\': jw_lit(w, "\\\\"); break;
        case 0x08: jw_lit(w, "\\b"); break;
        case 0x0C: jw_lit(w, "\\f"); break;
        case 0x0A: jw_lit(w, "\\n"); break;
        case 0x0D: jw_lit(w, "\\r"); break;
        case 0x09: jw_lit(w, "\\t"); break;
        default:
            if (b < 0x20) {
                char esc[6] = {'\\', 'u', '0', '0', hex[b >> 4], hex[b & 15]};
                jw_bytes(w, esc, sizeof esc);
            } else {
                jw_lit(w, "\xEF\xBF\xBD"); /* U+FFFD */
            }
            break;
        }
        i++;
        run = i;
    }
    jw_bytes(w, p + run, len - run);
    jw_char(w, '"');
}

static void jw_str(jw *w, pqf_str s) {
    if (s.ptr)
        jw_string(w, s.ptr, s.len);
    else
        jw_lit(w, "null");
}

/* The LogicalType union member's name; "UNRECOGNIZED" when the field is there
 * but no member this version knows is (a newer writer), NULL for none. */
static const char *logical_name(unsigned kind) {
    switch (kind) {
    case PQF_LT_STRING: return "STRING";
    case PQF_LT_MAP: return "MAP";
    case PQF_LT_LIST: return "LIST";
    case PQF_LT_ENUM: return "ENUM";
    case PQF_LT_DECIMAL: return "DECIMAL";
    case PQF_LT_DATE: return "DATE";
    case PQF_LT_TIME: return "TIME";
    case PQF_LT_TIMESTAMP: return "TIMESTAMP";
    case PQF_LT_INTEGER: return "INTEGER";
    case PQF_LT_UNKNOWN: return "UNKNOWN";
    case PQF_LT_JSON: return "JSON";
    case PQF_LT_BSON: return "BSON";
    case PQF_LT_UUID: return "UUID";
    case PQF_LT_FLOAT16: return "FLOAT16";
    case PQF_LT_VARIANT: return "VARIANT";
    case PQF_LT_GEOMETRY: return "GEOMETRY";
    case PQF_LT_GEOGRAPHY: return "GEOGRAPHY";
    case PQF_LT_FILE: return "FILE";
    case PQF_LT_UNRECOGNIZED: return "UNRECOGNIZED";
    default: return NULL;
    }
}

static void write_kv(jw *w, const pqf_footer *f) {
    jw_lit(w, ",\"key_value_metadata\":[");
    size_t n = pqf_kv_count(f);
    for (size_t i = 0; i < n; i++) {
        pqf_str key = {NULL, 0}, value = {NULL, 0};
        if (pqf_kv_get(f, i, &key, &value) != PQF_OK) continue;
        if (i > 0) jw_char(w, ',');
        jw_lit(w, "{\"key\":");
        jw_str(w, key);
        jw_lit(w, ",\"value\":");
        jw_str(w, value);
        jw_char(w, '}');
    }
    jw_char(w, ']');
}

static void write_schema_element(jw *w, const pqf_schema_element *e) {
    uint32_t h = e->has;
    jw_lit(w, "{\"name\":");
    jw_str(w, e->name);
    jw_lit(w, ",\"type\":");
    jw_opt_i64(w, (h & PQF_SE_TYPE) != 0, e->type);
    jw_lit(w, ",\"type_length\":");
    jw_opt_i64(w, (h & PQF_SE_TYPE_LENGTH) != 0, e->type_length);
    jw_lit(w, ",\"repetition_type\":");
    jw_opt_i64(w, (h & PQF_SE_REPETITION) != 0, e->repetition);
    jw_lit(w, ",\"num_children\":");
    jw_opt_i64(w, (h & PQF_SE_NUM_CHILDREN) != 0, e->num_children);
    jw_lit(w, ",\"converted_type\":");
    jw_opt_i64(w, (h & PQF_SE_CONVERTED_TYPE) != 0, e->converted_type);
    jw_lit(w, ",\"scale\":");
    jw_opt_i64(w, (h & PQF_SE_SCALE) != 0, e->scale);
    jw_lit(w, ",\"precision\":");
    jw_opt_i64(w, (h & PQF_SE_PRECISION) != 0, e->precision);
    jw_lit(w, ",\"field_id\":");
    jw_opt_i64(w, (h & PQF_SE_FIELD_ID) != 0, e->field_id);
    jw_lit(w, ",\"logical_type\":");
    const char *lt = (h & PQF_SE_LOGICAL_TYPE) ? logical_name(e->logical.kind) : NULL;
    if (lt) {
        jw_char(w, '"');
        jw_lit(w, lt);
        jw_char(w, '"');
    } else {
        jw_lit(w, "null");
    }
    jw_char(w, '}');
}

static void write_schema(jw *w, const pqf_footer *f) {
    jw_lit(w, ",\"schema\":[");
    size_t n = pqf_schema_count(f);
    for (size_t i = 0; i < n; i++) {
        pqf_schema_element e;
        if (pqf_schema_get(f, i, &e) != PQF_OK) continue;
        if (i > 0) jw_char(w, ',');
        write_schema_element(w, &e);
    }
    jw_char(w, ']');
}

/* Name of the ancestor of schema element `leaf` that sits at tree depth `d`
 * (the leaf itself when d is its own depth). */
static pqf_str ancestor_name(const pqf_footer *f, size_t leaf, unsigned d) {
    pqf_schema_element e;
    int ok = pqf_schema_get(f, leaf, &e) == PQF_OK;
    while (ok && e.depth > d && e.parent >= 0) ok = pqf_schema_get(f, (size_t)e.parent, &e) == PQF_OK;
    if (!ok) {
        pqf_str none = {NULL, 0};
        return none;
    }
    return e.name;
}

/* path_in_schema as a list of names. Paths up to BATCH deep (all real ones)
 * come from pqf_column_path_parts(); deeper ones are rebuilt from the schema
 * parents, quadratic but allocation-free. */
static void write_path(jw *w, const pqf_footer *f, size_t col) {
    enum { BATCH = 64 };
    pqf_str parts[BATCH];
    size_t depth = 0;
    if (pqf_column_path_parts(f, col, parts, BATCH, &depth) != PQF_OK) depth = 0;
    pqf_column lc;
    const pqf_column *c = pqf_column_get(f, col, &lc) == PQF_OK ? &lc : NULL;
    jw_char(w, '[');
    for (size_t i = 0; i < depth; i++) {
        if (i > 0) jw_char(w, ',');
        if (i < BATCH)
            jw_str(w, parts[i]);
        else
            jw_str(w, ancestor_name(f, c ? c->schema_index : 0, (unsigned)(i + 1)));
    }
    jw_char(w, ']');
}

static void write_chunk(jw *w, const pqf_footer *f, size_t col, const pqf_chunk *c,
                        uint32_t opts) {
    uint32_t h = c->has;
    int meta = (h & PQF_CH_META) != 0;
    jw_lit(w, "{\"file_path\":");
    if (h & PQF_CH_FILE_PATH)
        jw_str(w, c->file_path);
    else
        jw_lit(w, "null");
    jw_lit(w, ",\"file_offset\":");
    jw_i64(w, c->file_offset);
    if (meta) {
        jw_lit(w, ",\"type\":");
        jw_i64(w, c->type);
        jw_lit(w, ",\"codec\":");
        jw_i64(w, c->codec);
        jw_lit(w, ",\"num_values\":");
        jw_i64(w, c->num_values);
        jw_lit(w, ",\"total_uncompressed_size\":");
        jw_i64(w, c->total_uncompressed_size);
        jw_lit(w, ",\"total_compressed_size\":");
        jw_i64(w, c->total_compressed_size);
        jw_lit(w, ",\"data_page_offset\":");
        jw_i64(w, c->data_page_offset);
        jw_lit(w, ",\"dictionary_page_offset\":");
        jw_opt_i64(w, (h & PQF_CH_DICT) != 0, c->dictionary_page_offset);
        jw_lit(w, ",\"path_in_schema\":");
        write_path(w, f, col);
        jw_lit(w, ",\"encodings\":[");
        for (uint32_t i = 0; i < c->num_encodings; i++) {
            if (i) jw_lit(w, ",");
            jw_i64(w, c->encodings[i]);
        }
        jw_lit(w, "]");
    } else {
        jw_lit(w, ",\"type\":null,\"codec\":null,\"num_values\":null,"
                  "\"total_uncompressed_size\":null,\"total_compressed_size\":null,"
                  "\"data_page_offset\":null,\"dictionary_page_offset\":null,"
                  "\"path_in_schema\":null,\"encodings\":null");
    }
    if (opts & PQF_KEEP_PAGE_INDEX) {
        jw_lit(w, ",\"offset_index_offset\":");
        jw_opt_i64(w, (h & PQF_CH_OI_OFFSET) != 0, c->offset_index_offset);
        jw_lit(w, ",\"offset_index_length\":");
        jw_opt_i64(w, (h & PQF_CH_OI_LENGTH) != 0, c->offset_index_length);
        jw_lit(w, ",\"column_index_offset\":");
        jw_opt_i64(w, (h & PQF_CH_CI_OFFSET) != 0, c->column_index_offset);
        jw_lit(w, ",\"column_index_length\":");
        jw_opt_i64(w, (h & PQF_CH_CI_LENGTH) != 0, c->column_index_length);
    }
    if (opts & PQF_KEEP_BLOOM) {
        jw_lit(w, ",\"bloom_filter_offset\":");
        jw_opt_i64(w, (h & PQF_CH_BLOOM_OFFSET) != 0, c->bloom_filter_offset);
        jw_lit(w, ",\"bloom_filter_length\":");
        jw_opt_i64(w, (h & PQF_CH_BLOOM_LENGTH) != 0, c->bloom_filter_length);
    }
    jw_char(w, '}');
}

static void write_row_group(jw *w, const pqf_footer *f, size_t rg, uint32_t opts) {
    pqf_row_group g;
    if (pqf_row_group_get(f, rg, &g) != PQF_OK) memset(&g, 0, sizeof g);
    jw_lit(w, "{\"num_rows\":");
    jw_i64(w, g.num_rows);
    jw_lit(w, ",\"total_byte_size\":");
    jw_i64(w, g.total_byte_size);
    jw_lit(w, ",\"file_offset\":");
    jw_opt_i64(w, (g.has & PQF_RG_FILE_OFFSET) != 0, g.file_offset);
    jw_lit(w, ",\"total_compressed_size\":");
    jw_opt_i64(w, (g.has & PQF_RG_TOTAL_COMPRESSED_SIZE) != 0, g.total_compressed_size);
    jw_lit(w, ",\"ordinal\":");
    jw_opt_i64(w, (g.has & PQF_RG_ORDINAL) != 0, g.ordinal);
    jw_lit(w, ",\"columns\":[");
    size_t ncol = pqf_column_count(f);
    int first = 1;
    for (size_t col = 0; col < ncol; col++) {
        pqf_column c;
        if (pqf_column_get(f, col, &c) != PQF_OK || !c.projected) continue;
        pqf_chunk ch;
        if (pqf_chunk_get(f, rg, col, &ch) != PQF_OK) continue;
        if (!first) jw_char(w, ',');
        first = 0;
        write_chunk(w, f, col, &ch, opts);
    }
    jw_lit(w, "]}");
}

pqf_code pqf_footer_write_json(const pqf_footer *f, const char *label, pqf_write_fn write,
                               void *ctx) {
    if (!f || !write) return PQF_ERR_INVALID_ARG;
    jw w;
    w.write = write;
    w.ctx = ctx;
    w.used = 0;
    w.failed = 0;

    uint32_t opts = pqf_footer_options(f);
    jw_char(&w, '{');
    if (label) {
        jw_lit(&w, "\"file\":");
        jw_string(&w, label, strlen(label));
        jw_char(&w, ',');
    }
    jw_lit(&w, "\"version\":");
    jw_i64(&w, pqf_footer_version(f));
    jw_lit(&w, ",\"num_rows\":");
    jw_i64(&w, pqf_footer_num_rows(f));
    jw_lit(&w, ",\"created_by\":");
    jw_str(&w, pqf_footer_created_by(f));
    if (opts & PQF_KEEP_KV) {
        if (pqf_footer_flags(f) & PQF_FOOTER_HAS_KV)
            write_kv(&w, f);
        else
            jw_lit(&w, ",\"key_value_metadata\":null");
    }
    write_schema(&w, f);
    jw_lit(&w, ",\"row_groups\":[");
    size_t nrg = pqf_row_group_count(f);
    for (size_t rg = 0; rg < nrg && !w.failed; rg++) {
        if (rg > 0) jw_char(&w, ',');
        write_row_group(&w, f, rg, opts);
    }
    jw_lit(&w, "]}");
    jw_flush(&w);
    return w.failed ? PQF_ERR_IO : PQF_OK;
}
