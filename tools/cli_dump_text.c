/* cli_dump_text.c -- the human-readable form of `pqfoot dump`: summary,
 * schema tree, row-group table and one chunk table per row group. */
#include "cli_dump_text.h"

#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_names.h"
#include "cli_schema.h"
#include "cli_table.h"

/* Row groups shown at each end of a long footer without --all. */
#define DUMP_EDGE_ROW_GROUPS 3
/* Key-value values longer than this are cut in the human output. */
#define DUMP_KV_VALUE_MAX 100

/* Does leaf path `path` fall under the --column filter `want` (the leaf
 * itself, or a group above it)? */
static int path_matches(const char *path, const char *want) {
    size_t n = strlen(want);
    return strncmp(path, want, n) == 0 && (path[n] == '\0' || path[n] == '.');
}

static int column_shown(const pqf_cli_dump_view *a, const pqf_column *c) {
    if (!c || !c->projected) return 0;
    if (a->nfilters == 0) return 1;
    for (size_t i = 0; i < a->nfilters; i++)
        if (path_matches(c->path.ptr ? c->path.ptr : "", a->filters[i])) return 1;
    return 0;
}

static void print_kv(const pqf_footer *f) {
    size_t n = pqf_kv_count(f);
    for (size_t i = 0; i < n; i++) {
        pqf_str k, v;
        if (pqf_kv_get(f, i, &k, &v) != PQF_OK) continue;
        fputs("    ", stdout);
        pqf_cli_put_text(stdout, k.ptr ? k.ptr : "", k.ptr ? k.len : 0);
        if (!v.ptr) {
            fputs(" (no value)\n", stdout);
            continue;
        }
        fputs(" = ", stdout);
        size_t shown = v.len > DUMP_KV_VALUE_MAX ? DUMP_KV_VALUE_MAX : v.len;
        pqf_cli_put_text(stdout, v.ptr, shown);
        if (shown < v.len) printf("... (%zu bytes)", v.len);
        fputc('\n', stdout);
    }
}

static void print_summary(const char *file, const pqf_footer *f, const pqf_cli_dump_view *a) {
    const pqf_cli_style *st = &a->style;
    uint64_t ser = pqf_footer_serialized_size(f);
    size_t kept = pqf_footer_bytes(f);
    uint32_t flags = pqf_footer_flags(f);
    pqf_str created = pqf_footer_created_by(f);

    fputs(st->bold, stdout);
    pqf_cli_put_text(stdout, file, strlen(file));
    fputs(st->plain, stdout);
    fputc('\n', stdout);
    if (pqf_footer_file_size(f))
        printf("  file size     %llu bytes\n", (unsigned long long)pqf_footer_file_size(f));
    else
        fputs("  file size     unknown\n", stdout);
    printf("  footer        %llu bytes serialized, %zu bytes retained (%.1f%%)\n",
           (unsigned long long)ser, kept, ser ? 100.0 * (double)kept / (double)ser : 0.0);
    fputs("  created_by    ", stdout);
    if (created.ptr)
        pqf_cli_put_text(stdout, created.ptr, created.len);
    else
        fputs("-", stdout);
    printf("\n  version       %ld\n", (long)pqf_footer_version(f));
    printf("  num_rows      %lld\n", (long long)pqf_footer_num_rows(f));
    printf("  row groups    %zu\n", pqf_row_group_count(f));
    printf("  leaf columns  %zu", pqf_column_count(f));
    if (pqf_projected_count(f) != pqf_column_count(f))
        printf(" (%zu projected)", pqf_projected_count(f));
    fputs("\n  encryption    ", stdout);
    if (!(flags & (PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM | PQF_FOOTER_HAS_SIGNING_KEY |
                   PQF_FOOTER_HAS_COLUMN_CRYPTO))) {
        fputs("none", stdout);
    } else {
        const char *sep = "";
        if (flags & PQF_FOOTER_HAS_ENCRYPTION_ALGORITHM) {
            fputs("encryption_algorithm", stdout);
            sep = ", ";
        }
        if (flags & PQF_FOOTER_HAS_SIGNING_KEY) {
            printf("%sfooter_signing_key_metadata", sep);
            sep = ", ";
        }
        if (flags & PQF_FOOTER_HAS_COLUMN_CRYPTO) printf("%scolumn crypto_metadata", sep);
    }
    fputc('\n', stdout);
    if (pqf_footer_options(f) & PQF_KEEP_KV) {
        size_t nkv = pqf_kv_count(f);
        printf("  key/value     %zu %s\n", nkv, nkv == 1 ? "entry" : "entries");
        print_kv(f);
    } else if (flags & PQF_FOOTER_HAS_KV) {
        fputs("  key/value     present (--kv to show)\n", stdout);
    }
}

/* Row groups to show: [lo, hi] plus, when eliding, the tail [tail_lo, n). */
typedef struct rg_plan {
    size_t lo, hi;    /* inclusive; hi < lo means none */
    size_t tail_lo;   /* first row group of the tail part; n when none */
    size_t n;
} rg_plan;

static rg_plan plan_row_groups(const pqf_cli_dump_view *a, size_t n) {
    rg_plan p = {0, n ? n - 1 : 0, n, n};
    if (n == 0) {
        p.hi = 0;
        p.lo = 1;
    } else if (a->have_range) {
        p.lo = (size_t)a->rg_lo;
        p.hi = (size_t)a->rg_hi < n ? (size_t)a->rg_hi : n - 1;
    } else if (!a->all && n > 2 * DUMP_EDGE_ROW_GROUPS) {
        p.hi = DUMP_EDGE_ROW_GROUPS - 1;
        p.tail_lo = n - DUMP_EDGE_ROW_GROUPS;
    }
    return p;
}

static void fmt_i64(char *buf, size_t n, int64_t v) {
    snprintf(buf, n, "%lld", (long long)v);
}

static int add_row_group_row(pqf_cli_table *t, const pqf_footer *f, size_t rg) {
    pqf_row_group g;
    char c[6][24];
    const char *cells[6];
    if (pqf_row_group_get(f, rg, &g) != PQF_OK) return 0;
    snprintf(c[0], sizeof c[0], "%zu", rg);
    fmt_i64(c[1], sizeof c[1], g.num_rows);
    fmt_i64(c[2], sizeof c[2], g.total_byte_size);
    fmt_i64(c[3], sizeof c[3], g.total_compressed_size);
    fmt_i64(c[4], sizeof c[4], g.file_offset);
    snprintf(c[5], sizeof c[5], "%ld", (long)g.ordinal);
    cells[0] = c[0];
    cells[1] = c[1];
    cells[2] = c[2];
    cells[3] = (g.has & PQF_RG_TOTAL_COMPRESSED_SIZE) ? c[3] : NULL;
    cells[4] = (g.has & PQF_RG_FILE_OFFSET) ? c[4] : NULL;
    cells[5] = (g.has & PQF_RG_ORDINAL) ? c[5] : NULL;
    return pqf_cli_table_add(t, cells);
}

static int print_row_group_table(const pqf_footer *f, const rg_plan *p, const pqf_cli_dump_view *a) {
    static const char *const head[] = {"rg", "num_rows", "total_byte_size",
                                       "total_compressed_size", "file_offset", "ordinal"};
    pqf_cli_table t;
    if (pqf_cli_table_init(&t, 6, head, "rrrrrr") != 0) return -1;
    int rc = 0;
    for (size_t rg = p->lo; rg <= p->hi && rg < p->n && rc == 0; rg++)
        rc = add_row_group_row(&t, f, rg);
    if (p->tail_lo < p->n) {
        static const char *const dots[] = {"...", "", "", "", "", ""};
        if (rc == 0) rc = pqf_cli_table_add(&t, dots);
        for (size_t rg = p->tail_lo; rg < p->n && rc == 0; rg++)
            rc = add_row_group_row(&t, f, rg);
    }
    if (rc == 0) {
        printf("%srow groups:%s\n", a->style.bold, a->style.plain);
        pqf_cli_table_print(&t, stdout, 2, "", "");
        if (p->tail_lo < p->n)
            printf("  (row groups %zu to %zu not shown; use --all or --row-group N-M)\n",
                   p->hi + 1, p->tail_lo - 1);
    }
    pqf_cli_table_free(&t);
    return rc;
}

/* Columns of the chunk table; the optional ones are added by options. */
enum { CH_PATH, CH_CODEC, CH_START, CH_END, CH_COMP, CH_UNCOMP, CH_VALUES, CH_DICT, CH_DATA,
       CH_OI, CH_CI, CH_BLOOM, CH_FILE_PATH, CH__COUNT };

/* "offset+length", or NULL when neither is present. */
static const char *fmt_location(char *buf, size_t n, int has_off, int64_t off, int has_len,
                                int32_t len) {
    if (!has_off && !has_len) return NULL;
    char o[24] = "-", l[16] = "-";
    if (has_off) fmt_i64(o, sizeof o, off);
    if (has_len) snprintf(l, sizeof l, "%ld", (long)len);
    snprintf(buf, n, "%s+%s", o, l);
    return buf;
}

/* Fills the cells of one chunk row; text lives in `c`. */
static void chunk_cells(const pqf_column *col, const pqf_chunk *ch, char c[CH__COUNT][48],
                        const char *cells[CH__COUNT], pqf_cli_name_buf *nb) {
    uint32_t h = ch->has;
    for (int i = 0; i < CH__COUNT; i++) cells[i] = NULL;
    cells[CH_PATH] = col->path.ptr ? col->path.ptr : "";
    if (h & PQF_CH_META) {
        cells[CH_CODEC] = pqf_cli_codec_name(ch->codec, nb);
        fmt_i64(c[CH_START], sizeof c[0], ch->start);
        cells[CH_START] = c[CH_START];
        /* Unsigned sum: no overflow even for values a checker would reject. */
        snprintf(c[CH_END], sizeof c[0], "%llu",
                 (unsigned long long)ch->start + (unsigned long long)ch->length);
        cells[CH_END] = c[CH_END];
        fmt_i64(c[CH_COMP], sizeof c[0], ch->total_compressed_size);
        cells[CH_COMP] = c[CH_COMP];
        fmt_i64(c[CH_UNCOMP], sizeof c[0], ch->total_uncompressed_size);
        cells[CH_UNCOMP] = c[CH_UNCOMP];
        fmt_i64(c[CH_VALUES], sizeof c[0], ch->num_values);
        cells[CH_VALUES] = c[CH_VALUES];
        if (h & PQF_CH_DICT) {
            fmt_i64(c[CH_DICT], sizeof c[0], ch->dictionary_page_offset);
            cells[CH_DICT] = c[CH_DICT];
        }
        fmt_i64(c[CH_DATA], sizeof c[0], ch->data_page_offset);
        cells[CH_DATA] = c[CH_DATA];
    } else {
        cells[CH_CODEC] = "(encrypted)";
    }
    cells[CH_OI] = fmt_location(c[CH_OI], sizeof c[0], (h & PQF_CH_OI_OFFSET) != 0,
                                ch->offset_index_offset, (h & PQF_CH_OI_LENGTH) != 0,
                                ch->offset_index_length);
    cells[CH_CI] = fmt_location(c[CH_CI], sizeof c[0], (h & PQF_CH_CI_OFFSET) != 0,
                                ch->column_index_offset, (h & PQF_CH_CI_LENGTH) != 0,
                                ch->column_index_length);
    cells[CH_BLOOM] = fmt_location(c[CH_BLOOM], sizeof c[0], (h & PQF_CH_BLOOM_OFFSET) != 0,
                                   ch->bloom_filter_offset, (h & PQF_CH_BLOOM_LENGTH) != 0,
                                   ch->bloom_filter_length);
    cells[CH_FILE_PATH] = (h & PQF_CH_FILE_PATH) && ch->file_path.ptr ? ch->file_path.ptr : NULL;
}

/* Which chunk-table columns to print for this row group. */
static size_t chunk_columns(const pqf_footer *f, size_t rg, const pqf_cli_dump_view *a, int *use) {
    uint32_t opts = pqf_footer_options(f);
    size_t n = 0;
    for (int i = 0; i < CH__COUNT; i++) use[i] = i <= CH_DATA;
    use[CH_OI] = use[CH_CI] = (opts & PQF_KEEP_PAGE_INDEX) != 0;
    use[CH_BLOOM] = (opts & PQF_KEEP_BLOOM) != 0;
    for (size_t col = 0; col < pqf_column_count(f) && !use[CH_FILE_PATH]; col++) {
        pqf_chunk ch;
        pqf_column lc;
        if (pqf_column_get(f, col, &lc) == PQF_OK && column_shown(a, &lc) && pqf_chunk_get(f, rg, col, &ch) == PQF_OK &&
            (ch.has & PQF_CH_FILE_PATH))
            use[CH_FILE_PATH] = 1;
    }
    for (int i = 0; i < CH__COUNT; i++) n += use[i] != 0;
    return n;
}

static int print_chunk_table(const pqf_footer *f, size_t rg, const pqf_cli_dump_view *a) {
    static const char *const head[CH__COUNT] = {
        "column", "codec", "start", "end", "compressed", "uncompressed", "num_values",
        "dict_page", "data_page", "offset_index", "column_index", "bloom_filter", "file_path"};
    static const char align_all[CH__COUNT + 1] = "llrrrrrrrrrrl";
    int use[CH__COUNT];
    const char *hsel[CH__COUNT];
    char align[CH__COUNT + 1];
    size_t ncols = chunk_columns(f, rg, a, use), k = 0;
    for (int i = 0; i < CH__COUNT; i++) {
        if (!use[i]) continue;
        hsel[k] = head[i];
        align[k++] = align_all[i];
    }
    align[k] = '\0';

    pqf_cli_table t;
    if (pqf_cli_table_init(&t, ncols, hsel, align) != 0) return -1;
    int rc = 0;
    for (size_t col = 0; col < pqf_column_count(f) && rc == 0; col++) {
        pqf_column c_v;
        const pqf_column *c = pqf_column_get(f, col, &c_v) == PQF_OK ? &c_v : NULL;
        pqf_chunk ch;
        if (!column_shown(a, c) || pqf_chunk_get(f, rg, col, &ch) != PQF_OK) continue;
        char text[CH__COUNT][48];
        const char *cells[CH__COUNT], *sel[CH__COUNT];
        pqf_cli_name_buf nb;
        chunk_cells(c, &ch, text, cells, &nb);
        k = 0;
        for (int i = 0; i < CH__COUNT; i++)
            if (use[i]) sel[k++] = cells[i];
        rc = pqf_cli_table_add(&t, sel);
    }
    if (rc == 0) {
        pqf_row_group g;
        if (pqf_row_group_get(f, rg, &g) != PQF_OK) memset(&g, 0, sizeof g);
        printf("%srow group %zu:%s %lld rows, %lld bytes", a->style.bold, rg, a->style.plain,
               (long long)g.num_rows, (long long)g.total_byte_size);
        if (g.has & PQF_RG_FILE_OFFSET) printf(", file_offset %lld", (long long)g.file_offset);
        fputc('\n', stdout);
        pqf_cli_table_print(&t, stdout, 2, "", "");
    }
    pqf_cli_table_free(&t);
    pqf_cli_check_output();
    return rc;
}

int pqf_cli_dump_text(const char *file, const pqf_footer *f, const pqf_cli_dump_view *a) {
    size_t n = pqf_row_group_count(f);
    if (a->have_range && a->rg_lo >= n) {
        pqf_cli_errorf("%s: row group %llu out of range (the file has %zu)", file,
                       (unsigned long long)a->rg_lo, n);
        return -1;
    }
    for (size_t i = 0; i < a->nfilters; i++) {
        int found = 0;
        for (size_t col = 0; col < pqf_column_count(f) && !found; col++) {
            pqf_column c_v;
            const pqf_column *c = pqf_column_get(f, col, &c_v) == PQF_OK ? &c_v : NULL;
            found = c && c->path.ptr && path_matches(c->path.ptr, a->filters[i]);
        }
        if (!found) {
            pqf_cli_errorf("%s: no column matches '%s'", file, a->filters[i]);
            return -1;
        }
    }
    print_summary(file, f, a);
    printf("%sschema:%s\n", a->style.bold, a->style.plain);
    pqf_cli_print_schema(stdout, f, 2);
    rg_plan p = plan_row_groups(a, n);
    if (print_row_group_table(f, &p, a) != 0) goto nomem;
    for (size_t rg = p.lo; rg <= p.hi && rg < n; rg++)
        if (print_chunk_table(f, rg, a) != 0) goto nomem;
    for (size_t rg = p.tail_lo; rg < n; rg++)
        if (print_chunk_table(f, rg, a) != 0) goto nomem;
    return 0;
nomem:
    pqf_cli_errorf("%s: out of memory", file);
    return -1;
}
