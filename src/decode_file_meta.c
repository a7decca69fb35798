/* FileMetaData, the top of the footer: its own fields and key-value metadata,
 * handing the schema and the row groups to their decoders. The entry points
 * are in decode.c. */
#include "model_encodings.h"
#include "wire.h"

static const char *const fmd_names[] = {
    NULL, "version", "schema", "num_rows", "row_groups", "key_value_metadata", "created_by",
    "column_orders", "encryption_algorithm", "footer_signing_key_metadata",
};

static int decode_key_value(pqf_dec *d, pqf_str *kv) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    const uint8_t *start = d->cur.p;
    int have_key = 0;
    int16_t last = 0, fid = 0;
    kv[0].ptr = kv[1].ptr = NULL;
    kv[0].len = kv[1].len = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        if ((fid == 1 || fid == 2) && t == CT_BINARY) {
            const uint8_t *s;
            size_t n;
            if ((rc = wire_binary(&d->cur, &s, &n))) return pqf_path_push(d, rc, fid == 1 ? "key" : "value", -1, fid);
            if ((rc = pqf_copy_str(&d->work, &d->cur, s, n, &kv[fid - 1]))) return rc;
            have_key |= fid == 1;
        } else if ((rc = pqf_skip(&d->cur, t))) {
            return pqf_path_push(d, rc, NULL, -1, fid);
        }
    }
    if (!have_key)
        return pqf_path_push(d, pqf_fail_at(&d->cur, start, PQF_ERR_MISSING_REQUIRED, "KeyValue lacks key"), "key", -1, 1);
    wire_leave(&d->cur);
    return 0;
}

static int decode_kv_list(pqf_dec *d) {
    uint32_t n;
    unsigned et;
    int rc;
    if ((rc = wire_list(&d->cur, &n, &et, 3))) return rc;
    d->nkv = 0;
    d->kv = pqf_arena_alloc(&d->work, (size_t)(n ? n : 1) * 2 * sizeof(pqf_str));
    if (!d->kv) return pqf_fail_mem(d);
    for (uint32_t i = 0; i < n; i++) {
        if ((rc = decode_key_value(d, &d->kv[2 * i]))) return pqf_path_push(d, rc, NULL, (int32_t)i, 0);
        d->nkv = i + 1;
    }
    return 0;
}

/* Top-level fields whose second appearance is refused: what was decoded from
 * the first would no longer describe the footer. */
#define ONCE_FIELDS ((1u << 2) | (1u << 4))

int pqf_decode_file_metadata(pqf_dec *d) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    const uint8_t *row_groups_at = NULL; /* list of row_groups met before the schema */
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        const uint8_t *hdr = d->cur.p;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        const uint8_t *at = d->cur.p;
        uint32_t bit = (fid > 0 && fid < 32) ? 1u << fid : 0;
        int expected = 0;
        switch (fid) {
        case 1: expected = CT_I32; break;
        case 2: case 4: case 5: case 7: expected = CT_LIST; break;
        case 3: expected = CT_I64; break;
        case 6: case 9: expected = CT_BINARY; break;
        case 8: expected = CT_STRUCT; break;
        default: break;
        }
        if (!expected || (unsigned)expected != t) {
            if ((rc = pqf_skip_shaped(&d->cur, t, fid == 7 ? PQF_SHAPE_LIST_STRUCT : PQF_SHAPE_ANY))) goto fail;
            continue;
        }
        if ((bit & ONCE_FIELDS) && (d->seen & bit)) {
            rc = pqf_fail_at(&d->cur, hdr, PQF_ERR_MALFORMED, "schema or row_groups appears twice");
            goto fail;
        }
        switch (fid) {
        case 1:
            rc = wire_i32(&d->cur, &d->version);
            break;
        case 2:
            if (!(rc = pqf_decode_schema_list(d))) rc = pqf_build_schema_tree(d);
            if (rc) goto fail;
            if ((rc = pqf_resolve_projection(d))) return rc;
            break;
        case 3:
            if (!(rc = wire_i64(&d->cur, &d->num_rows)) && d->num_rows < 0)
                rc = pqf_fail_at(&d->cur, at, PQF_ERR_MALFORMED, "negative num_rows");
            break;
        case 4:
            if (d->seen & (1u << 2)) {
                rc = pqf_decode_row_groups(d);
            } else {
                row_groups_at = at;
                rc = pqf_skip_shaped(&d->cur, CT_LIST, PQF_SHAPE_LIST_ROW_GROUP);
            }
            break;
        case 5:
            d->fflags |= PQF_FOOTER_HAS_KV;
            rc = (d->flags & PQF_KEEP_KV) ? decode_kv_list(d) : pqf_skip_shaped(&d->cur, CT_LIST, PQF_SHAPE_LIST_STRUCT);
            break;
        case 6: {
            const uint8_t *s;
            size_t n;
            if (!(rc = wire_binary(&d->cur, &s, &n))) rc = pqf_copy_str(&d->work, &d->cur, s, n, &d->created_by);
            d->fflags |= PQF_FOOTER_HAS_CREATED_BY;
            break;
        }
        case 7:
            rc = pqf_orders_decode(d);
            break;
        case 8:
            d->fflags |= PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM;
            rc = pqf_skip(&d->cur, CT_STRUCT);
            break;
        case 9:
            d->fflags |= PQF_FOOTER_HAS_SIGNING_KEY;
            rc = pqf_skip(&d->cur, CT_BINARY);
            break;
        default: break;
        }
        if (rc) goto fail;
        d->seen |= bit;
        continue;
    fail:
        return pqf_path_push(d, rc, (fid > 0 && fid < 10) ? fmd_names[fid] : NULL, -1, fid);
    }
    const uint8_t *end = d->cur.p;
    static const char *const req_msg[] = {
        NULL, "FileMetaData lacks version", "FileMetaData lacks schema", "FileMetaData lacks num_rows",
        "FileMetaData lacks row_groups",
    };
    for (int16_t f = 1; f <= 4; f++) {
        if (!(d->seen & (1u << f)) && !(f == 4 && row_groups_at))
            return pqf_path_push(d, pqf_fail_at(&d->cur, end - 1, PQF_ERR_MISSING_REQUIRED, req_msg[f]),
                                 fmd_names[f], -1, f);
    }
    if (row_groups_at) {
        d->cur.p = row_groups_at;
        if ((rc = pqf_decode_row_groups(d))) return pqf_path_push(d, rc, "row_groups", -1, 4);
        d->cur.p = end;
    }
    wire_leave(&d->cur);
    return 0;
}
