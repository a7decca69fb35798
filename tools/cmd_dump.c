/* cmd_dump.c -- `pqfoot dump`: a footer for humans, or one JSON line per file. */
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "cli_names.h"
#include "cli_schema.h"
#include "cli_table.h"

static const char dump_help[] =
    "usage: pqfoot dump [OPTIONS] FILE...\n"
    "\n"
    "Print each file's footer: a summary, the schema tree, the row groups and a\n"
    "table of column chunks per row group. Footers with more than 6 row groups\n"
    "show the first 3 and the last 3 unless --all or --row-group is given.\n"
    "\n"
    "options:\n"
    "  --json               one line of canonical JSON per file instead\n"
    "  --all                every row group\n"
    "  --row-group N[-M]    only row group N (or N through M)\n"
    "  --column PATH        only chunks of this column or group (repeatable)\n"
    "  --columns A,B.C      decode only these columns' chunks (library projection)\n"
    "  --page-index         keep and show offset/column index locations\n"
    "  --bloom              keep and show bloom filter locations\n"
    "  --kv                 keep and show the key-value metadata\n"
    "  -h, --help           show this help\n";

/* Row groups shown at each end of a long footer without --all. */
#define DUMP_EDGE_ROW_GROUPS 3
/* Key-value values longer than this are cut in the human output. */
#define DUMP_KV_VALUE_MAX 100

typedef struct dump_args {
    pqf_cli_decode_opts dec;
    int json, all;
    int have_range;
    uint64_t rg_lo, rg_hi;
    const char **filters; /* --column paths */
    size_t nfilters;
    pqf_cli_style style;
} dump_args;

/* Parses "N" or "N-M" into an inclusive range. */
static int parse_range(const char *s, uint64_t *lo, uint64_t *hi) {
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n + 1);
    char *dash = strchr(buf, '-');
    if (dash) *dash = '\0';
    if (pqf_cli_parse_u64(buf, lo) != 0) return -1;
    if (!dash) {
        *hi = *lo;
        return 0;
    }
    if (pqf_cli_parse_u64(dash + 1, hi) != 0 || *hi < *lo) return -1;
    return 0;
}

/* Does leaf path `path` fall under the --column filter `want` (the leaf
 * itself, or a group above it)? */
static int path_matches(const char *path, const char *want) {
    size_t n = strlen(want);
    return strncmp(path, want, n) == 0 && (path[n] == '\0' || path[n] == '.');
}

static int column_shown(const dump_args *a, const pqf_column *c) {
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

static void print_summary(const char *file, const pqf_footer *f, const dump_args *a) {
    const pqf_cli_style *st = &a->style;
    uint64_t ser = pqf_footer_serialized_size(f);
    size_t kept = pqf_footer_bytes(f);
    uint32_t flags = pqf_footer_flags(f);
    pqf_str created = pqf_footer_created_by(f);

    fputs(st->bold, stdout);
    pqf_cli_put_text(stdout, file, strlen(file));
    fputs(st->plain, stdout);
    fputc('\n', stdout);
    printf("  file size     %llu bytes\n", (unsigned long long)pqf_footer_file_size(f));
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

static rg_plan plan_row_groups(const dump_args *a, size_t n) {
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

static int print_row_group_table(const pqf_footer *f, const rg_plan *p, const dump_args *a) {
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
static size_t chunk_columns(const pqf_footer *f, size_t rg, const dump_args *a, int *use) {
    uint32_t opts = pqf_footer_options(f);
    size_t n = 0;
    for (int i = 0; i < CH__COUNT; i++) use[i] = i <= CH_DATA;
    use[CH_OI] = use[CH_CI] = (opts & PQF_KEEP_PAGE_INDEX) != 0;
    use[CH_BLOOM] = (opts & PQF_KEEP_BLOOM) != 0;
    for (size_t col = 0; col < pqf_column_count(f) && !use[CH_FILE_PATH]; col++) {
        pqf_chunk ch;
        if (column_shown(a, pqf_column_get(f, col)) && pqf_chunk_get(f, rg, col, &ch) == PQF_OK &&
            (ch.has & PQF_CH_FILE_PATH))
            use[CH_FILE_PATH] = 1;
    }
    for (int i = 0; i < CH__COUNT; i++) n += use[i] != 0;
    return n;
}

static int print_chunk_table(const pqf_footer *f, size_t rg, const dump_args *a) {
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
        const pqf_column *c = pqf_column_get(f, col);
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

/* Human output of one decoded file; 0, or -1 after printing an error. */
static int dump_human(const char *file, const pqf_footer *f, const dump_args *a) {
    size_t n = pqf_row_group_count(f);
    if (a->have_range && a->rg_lo >= n) {
        pqf_cli_errorf("%s: row group %llu out of range (the file has %zu)", file,
                       (unsigned long long)a->rg_lo, n);
        return -1;
    }
    for (size_t i = 0; i < a->nfilters; i++) {
        int found = 0;
        for (size_t col = 0; col < pqf_column_count(f) && !found; col++) {
            const pqf_column *c = pqf_column_get(f, col);
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

static int dump_json(const char *file, const pqf_footer *f) {
    pqf_code rc = pqf_footer_write_json(f, file, pqf_cli_write_stdout, NULL);
    if (rc != PQF_OK) pqf_cli_check_output();
    fputc('\n', stdout);
    return rc == PQF_OK ? 0 : -1;
}

static int dump_option(void *ctx, const char *cmd, int argc, char **argv, int *i) {
    dump_args *a = ctx;
    const char *arg = argv[*i], *val;
    int r;
    if (strcmp(arg, "--json") == 0) {
        a->json = 1;
        return 1;
    }
    if (strcmp(arg, "--all") == 0) {
        a->all = 1;
        return 1;
    }
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--row-group", &val)) != 0) {
        if (r < 0) return -1;
        if (parse_range(val, &a->rg_lo, &a->rg_hi) != 0) {
            pqf_cli_usage(cmd, "--row-group wants N or N-M, not '%s'", val);
            return -1;
        }
        a->have_range = 1;
        return 1;
    }
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--column", &val)) != 0) {
        if (r < 0) return -1;
        a->filters[a->nfilters++] = val;
        return 1;
    }
    return pqf_cli_decode_opt(cmd, argc, argv, i, &a->dec);
}

int pqf_cli_cmd_dump(int argc, char **argv) {
    dump_args a;
    memset(&a, 0, sizeof a);
    pqf_cli_decode_opts_init(&a.dec);
    pqf_cli_style_init(&a.style);
    /* --column can repeat at most once per argument. */
    a.filters = malloc((size_t)argc * sizeof *a.filters);
    if (!a.filters) {
        pqf_cli_errorf("out of memory");
        return PQF_CLI_FAIL;
    }
    char **files = NULL;
    int nfiles = 0, status = PQF_CLI_OK;
    int r = pqf_cli_parse_args("dump", argc, argv, dump_help, dump_option, &a, "FILE", &files,
                               &nfiles);
    if (r == PQF_CLI_ARGS_RUN && a.json && (a.have_range || a.nfilters)) {
        pqf_cli_usage("dump", "--row-group and --column shape the human output only; "
                              "use --columns with --json");
        r = PQF_CLI_ARGS_USAGE;
    }
    if (r == PQF_CLI_ARGS_USAGE) status = PQF_CLI_USAGE;
    for (int i = 0; r == PQF_CLI_ARGS_RUN && i < nfiles; i++) {
        const char *file = files[i];
        pqf_error err;
        pqf_footer *f = pqf_footer_decode_file(file, &a.dec.opt, &err);
        if (!f) {
            if (a.json) {
                pqf_cli_json_error(file, &err);
                fputc('\n', stdout);
            }
            pqf_cli_decode_error(file, &err);
            status = PQF_CLI_FAIL;
        } else {
            if (!a.json && i > 0) fputc('\n', stdout);
            int rc = a.json ? dump_json(file, f) : dump_human(file, f, &a);
            if (rc != 0) status = PQF_CLI_FAIL;
            pqf_footer_free(f);
        }
        pqf_cli_check_output();
    }
    free(files);
    free(a.filters);
    pqf_cli_decode_opts_free(&a.dec);
    return status;
}
