/* SchemaElement list and the LogicalType union, decoded in full. */
#include "wire.h"

static const char *const schema_field_names[] = {
    NULL, "type", "type_length", "repetition_type", "name", "num_children",
    "converted_type", "scale", "precision", "field_id", "logicalType",
};

static int field_fail(pqf_dec *d, int rc, const char *const *names, size_t nnames, int16_t fid) {
    const char *name = (fid > 0 && (size_t)fid < nnames) ? names[fid] : NULL;
    return pqf_path_push(d, rc, name, -1, fid);
}

/* A struct with no fields we keep (e.g. StringType): skip its contents. */
static int skip_struct(pqf_dec *d) { return pqf_skip(&d->cur, CT_STRUCT); }

/* End of a member struct with two required fields (ids 1 and 2): leave it,
 * or name the first one missing. wrong: fields that were there with another
 * wire type (as Thrift, they count as absent, but the message says so). */
static int require_both(pqf_dec *d, unsigned seen, unsigned wrong, const uint8_t *start, const char *msg,
                        const char *name1, const char *name2) {
    if (seen == 3) {
        wire_leave(&d->cur);
        return 0;
    }
    unsigned bit = (seen & 1) ? 2 : 1;
    if (wrong & bit) msg = "required field present with the wrong wire type";
    int rc = pqf_fail_at(&d->cur, start, PQF_ERR_MISSING_REQUIRED, msg);
    return bit == 2 ? pqf_path_push(d, rc, name2, -1, 2) : pqf_path_push(d, rc, name1, -1, 1);
}

/* Field fid (1 or 2) of a two-field member came with an unexpected wire type. */
static unsigned wrong_bit(int16_t fid) { return (fid == 1 || fid == 2) ? (unsigned)fid : 0; }

/* TimeUnit union: the member with the lowest field id wins. */
static int decode_time_unit(pqf_dec *d, uint8_t *unit) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        if ((rc = pqf_skip(&d->cur, t))) return rc;
        if (t == CT_STRUCT && fid >= PQF_UNIT_MILLIS && fid <= PQF_UNIT_NANOS &&
            (*unit == 0 || fid < *unit))
            *unit = (uint8_t)fid;
    }
    wire_leave(&d->cur);
    return 0;
}

/* Members of TIME and TIMESTAMP: required isAdjustedToUTC and unit. */
static int decode_time_like(pqf_dec *d, pqf_logical_type *lt) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    const uint8_t *start = d->cur.p;
    int16_t last = 0, fid = 0;
    unsigned seen = 0, wrong = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        if (fid == 1 && (t == CT_TRUE || t == CT_FALSE)) {
            lt->is_adjusted_to_utc = (t == CT_TRUE);
            seen |= 1;
        } else if (fid == 2 && t == CT_STRUCT) {
            lt->unit = 0;
            if ((rc = decode_time_unit(d, &lt->unit))) return pqf_path_push(d, rc, "unit", -1, 2);
            seen |= 2;
        } else {
            if ((rc = pqf_skip(&d->cur, t))) return pqf_path_push(d, rc, NULL, -1, fid);
            wrong |= wrong_bit(fid);
        }
    }
    return require_both(d, seen, wrong, start, "time type lacks isAdjustedToUTC or unit", "isAdjustedToUTC", "unit");
}

static int decode_decimal(pqf_dec *d, pqf_logical_type *lt) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    const uint8_t *start = d->cur.p;
    int16_t last = 0, fid = 0;
    unsigned seen = 0, wrong = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        if (fid == 1 && t == CT_I32) {
            if ((rc = wire_i32(&d->cur, &lt->scale))) return pqf_path_push(d, rc, "scale", -1, 1);
            seen |= 1;
        } else if (fid == 2 && t == CT_I32) {
            if ((rc = wire_i32(&d->cur, &lt->precision))) return pqf_path_push(d, rc, "precision", -1, 2);
            seen |= 2;
        } else {
            if ((rc = pqf_skip(&d->cur, t))) return pqf_path_push(d, rc, NULL, -1, fid);
            wrong |= wrong_bit(fid);
        }
    }
    return require_both(d, seen, wrong, start, "DecimalType lacks scale or precision", "scale", "precision");
}

static int decode_int_type(pqf_dec *d, pqf_logical_type *lt) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    const uint8_t *start = d->cur.p;
    int16_t last = 0, fid = 0;
    unsigned seen = 0, wrong = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        if (fid == 1 && t == CT_BYTE) {
            uint8_t b;
            if ((rc = wire_byte(&d->cur, &b))) return pqf_path_push(d, rc, "bitWidth", -1, 1);
            lt->bit_width = (int8_t)b;
            seen |= 1;
        } else if (fid == 2 && (t == CT_TRUE || t == CT_FALSE)) {
            lt->is_signed = (t == CT_TRUE);
            seen |= 2;
        } else {
            if ((rc = pqf_skip(&d->cur, t))) return pqf_path_push(d, rc, NULL, -1, fid);
            wrong |= wrong_bit(fid);
        }
    }
    return require_both(d, seen, wrong, start, "IntType lacks bitWidth or isSigned", "bitWidth", "isSigned");
}

/* VARIANT, GEOMETRY and GEOGRAPHY: all fields optional. */
static int decode_optional_params(pqf_dec *d, unsigned kind, pqf_logical_type *lt) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        if (kind == PQF_LT_VARIANT && fid == 1 && t == CT_BYTE) {
            uint8_t b;
            if ((rc = wire_byte(&d->cur, &b))) return pqf_path_push(d, rc, "specification_version", -1, 1);
            lt->variant_version = (int8_t)b;
            lt->has_variant_version = 1;
        } else if (kind != PQF_LT_VARIANT && fid == 1 && t == CT_BINARY) {
            const uint8_t *s;
            size_t n;
            if ((rc = wire_binary(&d->cur, &s, &n))) return pqf_path_push(d, rc, "crs", -1, 1);
            if ((rc = pqf_copy_str(&d->work, &d->cur, s, n, &lt->crs))) return rc;
        } else if (kind == PQF_LT_GEOGRAPHY && fid == 2 && t == CT_I32) {
            if ((rc = wire_i32(&d->cur, &lt->algorithm))) return pqf_path_push(d, rc, "algorithm", -1, 2);
            lt->has_algorithm = 1;
        } else if ((rc = pqf_skip(&d->cur, t))) {
            return pqf_path_push(d, rc, NULL, -1, fid);
        }
    }
    wire_leave(&d->cur);
    return 0;
}

static const char *const lt_member_names[] = {
    NULL, "STRING", "MAP", "LIST", "ENUM", "DECIMAL", "DATE", "TIME", "TIMESTAMP", NULL,
    "INTEGER", "UNKNOWN", "JSON", "BSON", "UUID", "FLOAT16", "VARIANT", "GEOMETRY",
    "GEOGRAPHY", "FILE",
};

/* LogicalType union. Several members on the wire: the lowest known id wins;
 * only unknown members: PQF_LT_UNRECOGNIZED. */
static int decode_logical_type(pqf_dec *d, pqf_logical_type *out) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    memset(out, 0, sizeof *out);
    out->kind = PQF_LT_UNRECOGNIZED;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        int known = t == CT_STRUCT && fid >= 1 && fid <= 19 && fid != 9;
        if (!known) {
            if ((rc = pqf_skip(&d->cur, t))) return pqf_path_push(d, rc, NULL, -1, fid);
            continue;
        }
        pqf_logical_type lt;
        memset(&lt, 0, sizeof lt);
        lt.kind = (uint8_t)fid;
        switch (fid) {
        case PQF_LT_DECIMAL: rc = decode_decimal(d, &lt); break;
        case PQF_LT_TIME:
        case PQF_LT_TIMESTAMP: rc = decode_time_like(d, &lt); break;
        case PQF_LT_INTEGER: rc = decode_int_type(d, &lt); break;
        case PQF_LT_VARIANT:
        case PQF_LT_GEOMETRY:
        case PQF_LT_GEOGRAPHY: rc = decode_optional_params(d, (unsigned)fid, &lt); break;
        default: rc = skip_struct(d); break;
        }
        if (rc) return pqf_path_push(d, rc, lt_member_names[fid], -1, fid);
        if (lt.kind < out->kind) *out = lt;
    }
    wire_leave(&d->cur);
    return 0;
}

static int decode_schema_element(pqf_dec *d, pqf_schema_element *e) {
    int rc;
    if ((rc = wire_enter(&d->cur))) return rc;
    const uint8_t *start = d->cur.p;
    static const pqf_schema_element zero; /* a copy is vector stores; memset was rep stos */
    *e = zero;
    int have_name = 0;
    int16_t last = 0, fid = 0;
    for (;;) {
        unsigned t;
        if ((rc = wire_field(&d->cur, &last, &fid, &t))) return rc;
        if (t == CT_STOP) break;
        int32_t *dst = NULL;
        uint32_t bit = 0;
        switch (fid) {
        case 1: dst = &e->type; bit = PQF_SE_TYPE; break;
        case 2: dst = &e->type_length; bit = PQF_SE_TYPE_LENGTH; break;
        case 3: dst = &e->repetition; bit = PQF_SE_REPETITION; break;
        case 5: dst = &e->num_children; bit = PQF_SE_NUM_CHILDREN; break;
        case 6: dst = &e->converted_type; bit = PQF_SE_CONVERTED_TYPE; break;
        case 7: dst = &e->scale; bit = PQF_SE_SCALE; break;
        case 8: dst = &e->precision; bit = PQF_SE_PRECISION; break;
        case 9: dst = &e->field_id; bit = PQF_SE_FIELD_ID; break;
        case 4:
            if (t == CT_BINARY) {
                const uint8_t *s;
                size_t n;
                if ((rc = wire_binary(&d->cur, &s, &n))) return field_fail(d, rc, schema_field_names, 11, fid);
                if ((rc = pqf_copy_str(&d->work, &d->cur, s, n, &e->name))) return rc;
                have_name = 1;
                continue;
            }
            break;
        case 10:
            if (t == CT_STRUCT) {
                if ((rc = decode_logical_type(d, &e->logical)))
                    return field_fail(d, rc, schema_field_names, 11, fid);
                e->has |= PQF_SE_LOGICAL_TYPE;
                continue;
            }
            break;
        default: break;
        }
        if (dst && t == CT_I32) {
            if ((rc = wire_i32(&d->cur, dst))) return field_fail(d, rc, schema_field_names, 11, fid);
            e->has |= bit;
            continue;
        }
        if ((rc = pqf_skip(&d->cur, t))) return field_fail(d, rc, schema_field_names, 11, fid);
    }
    if (!have_name)
        return pqf_path_push(d, pqf_fail_at(&d->cur, start, PQF_ERR_MISSING_REQUIRED, "SchemaElement has no name"),
                             "name", -1, 4);
    wire_leave(&d->cur);
    return 0;
}

int pqf_decode_schema_list(pqf_dec *d) {
    uint32_t n;
    unsigned et;
    int rc;
    /* A SchemaElement takes at least 3 bytes: the name's header and length, and a stop. */
    if ((rc = wire_list(&d->cur, &n, &et, 3))) return rc;
    d->nschema = 0;
    /* What the work arena holds per element, measured on wide and long footers
     * alike: the element, its name, its column's staging statistics and
     * encodings work (n is bounded by the bytes present). */
    pqf_arena_plan(&d->work, 512 + (uint64_t)n * 384);
    d->schema = pqf_arena_alloc(&d->work, (size_t)n * sizeof(pqf_schema_element));
    if (!d->schema) return pqf_fail_mem(d);
    for (uint32_t i = 0; i < n; i++) {
        if ((rc = decode_schema_element(d, &d->schema[i]))) return pqf_path_push(d, rc, NULL, (int32_t)i, 0);
        d->nschema = i + 1;
    }
    return 0;
}
