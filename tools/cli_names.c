/* cli_names.c -- tables of Parquet enum names for human output. */
#include "cli_names.h"

#include <string.h>

#include "cli_common.h"

/* Name at index v of a table, or "<fallback>(v)" in buf. */
static const char *lookup(const char *const *names, size_t count, int32_t v,
                          const char *fallback, pqf_cli_name_buf *buf) {
    if (v >= 0 && (size_t)v < count && names[v]) return names[v];
    snprintf(buf->s, sizeof buf->s, "%s(%ld)", fallback, (long)v);
    return buf->s;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *pqf_cli_type_name(int32_t type, pqf_cli_name_buf *buf) {
    static const char *const names[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                        "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
    return lookup(names, COUNT(names), type, "type", buf);
}

const char *pqf_cli_codec_name(int32_t codec, pqf_cli_name_buf *buf) {
    static const char *const names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                        "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
    return lookup(names, COUNT(names), codec, "codec", buf);
}

const char *pqf_cli_converted_name(int32_t converted, pqf_cli_name_buf *buf) {
    static const char *const names[] = {
        "UTF8",    "MAP",      "MAP_KEY_VALUE",    "LIST",
        "ENUM",    "DECIMAL",  "DATE",             "TIME_MILLIS",
        "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8",
        "UINT_16", "UINT_32",  "UINT_64",          "INT_8",
        "INT_16",  "INT_32",   "INT_64",           "JSON",
        "BSON",    "INTERVAL"};
    return lookup(names, COUNT(names), converted, "converted", buf);
}

const char *pqf_cli_repetition_name(int32_t rep, pqf_cli_name_buf *buf) {
    static const char *const names[] = {"required", "optional", "repeated"};
    return lookup(names, COUNT(names), rep, "repetition", buf);
}

static const char *unit_name(unsigned unit) {
    switch (unit) {
    case PQF_UNIT_MILLIS: return "MILLIS";
    case PQF_UNIT_MICROS: return "MICROS";
    case PQF_UNIT_NANOS: return "NANOS";
    default: return "none";
    }
}

static const char *algorithm_name(int32_t a) {
    static const char *const names[] = {"SPHERICAL", "VINCENTY", "THOMAS", "ANDOYER", "KARNEY"};
    return a >= 0 && (size_t)a < COUNT(names) ? names[a] : NULL;
}

/* ", crs=..." for GEOMETRY/GEOGRAPHY, when a CRS was given. */
static void print_crs(FILE *fp, const pqf_logical_type *lt, const char *sep) {
    if (!lt->crs.ptr) return;
    fprintf(fp, "%scrs=", sep);
    pqf_cli_put_text(fp, lt->crs.ptr, lt->crs.len);
}

void pqf_cli_print_logical(FILE *fp, const pqf_logical_type *lt) {
    static const char *const simple[] = {
        [PQF_LT_STRING] = "STRING", [PQF_LT_MAP] = "MAP",         [PQF_LT_LIST] = "LIST",
        [PQF_LT_ENUM] = "ENUM",     [PQF_LT_DATE] = "DATE",       [PQF_LT_UNKNOWN] = "UNKNOWN",
        [PQF_LT_JSON] = "JSON",     [PQF_LT_BSON] = "BSON",       [PQF_LT_UUID] = "UUID",
        [PQF_LT_FLOAT16] = "FLOAT16", [PQF_LT_FILE] = "FILE"};
    switch (lt->kind) {
    case PQF_LT_DECIMAL:
        fprintf(fp, "DECIMAL(precision=%ld, scale=%ld)", (long)lt->precision, (long)lt->scale);
        return;
    case PQF_LT_TIME:
    case PQF_LT_TIMESTAMP:
        fprintf(fp, "%s(unit=%s, utc=%s)", lt->kind == PQF_LT_TIME ? "TIME" : "TIMESTAMP",
                unit_name(lt->unit), lt->is_adjusted_to_utc ? "true" : "false");
        return;
    case PQF_LT_INTEGER:
        fprintf(fp, "INTEGER(bits=%d, signed=%s)", (int)lt->bit_width,
                lt->is_signed ? "true" : "false");
        return;
    case PQF_LT_VARIANT:
        if (lt->has_variant_version)
            fprintf(fp, "VARIANT(version=%d)", (int)lt->variant_version);
        else
            fputs("VARIANT", fp);
        return;
    case PQF_LT_GEOMETRY:
        fputs("GEOMETRY", fp);
        if (lt->crs.ptr) {
            fputc('(', fp);
            print_crs(fp, lt, "");
            fputc(')', fp);
        }
        return;
    case PQF_LT_GEOGRAPHY: {
        const char *alg = lt->has_algorithm ? algorithm_name(lt->algorithm) : NULL;
        fputs("GEOGRAPHY", fp);
        if (!lt->crs.ptr && !lt->has_algorithm) return;
        fputc('(', fp);
        if (lt->has_algorithm) {
            if (alg)
                fprintf(fp, "algorithm=%s", alg);
            else
                fprintf(fp, "algorithm=%ld", (long)lt->algorithm);
        }
        print_crs(fp, lt, lt->has_algorithm ? ", " : "");
        fputc(')', fp);
        return;
    }
    case PQF_LT_UNRECOGNIZED: fputs("unrecognized", fp); return;
    default:
        if (lt->kind < COUNT(simple) && simple[lt->kind])
            fputs(simple[lt->kind], fp);
        else
            fprintf(fp, "logical(%u)", (unsigned)lt->kind);
        return;
    }
}
