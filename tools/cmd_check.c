/* cmd_check.c -- `pqfoot check`: look for footer contents a reader would trip
 * on, beyond what decoding itself already rejects. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "cli_names.h"

static const char check_help[] =
    "usage: pqfoot check [OPTIONS] FILE...\n"
    "\n"
    "Decode each footer and look for what would trip a reader:\n"
    "  - column chunk byte ranges outside the file, in the header magic or in the footer\n"
    "  - column chunks whose byte ranges overlap\n"
    "  - a dictionary page that is not before the data page\n"
    "  - negative sizes, counts or offsets\n"
    "  - row group row counts that do not add up to num_rows\n"
    "  - num_values different from the row count in a flat required column\n"
    "  - a chunk whose physical type differs from its schema column\n"
    "  - a writer known to leave the dictionary page header out of a chunk's\n"
    "    total_compressed_size (parquet-mr before 1.2.9, PARQUET-816), with the\n"
    "    unaccounted bytes after each chunk\n"
    "Decoding already rejects a row group whose column count differs from the\n"
    "schema's leaf count and a path_in_schema that differs from the schema path.\n"
    "Every problem is listed with its row group and column; a clean file prints\n"
    "\"FILE: OK\". FILE '-' reads a whole file from standard input (at most 1 GiB).\n"
    "\n"
    "options:\n"
    "  --no-path-check   do not check path_in_schema against the schema\n"
    "  --unknown-size    do not tell the library the file's size; ranges are then\n"
    "                    not checked against the end of the data\n"
    "  -h, --help        show this help\n";

/* Bytes Arrow C++ adds past a chunk of an affected writer (PARQUET-816): a
 * dictionary page header is at most this long. */
#define CHECK_DICT_HEADER_MAX 100

/* Size of the leading "PAR1" magic, where no chunk can start. */
#define CHECK_MAGIC_SIZE 4

/* One chunk's byte range, for the overlap test. */
typedef struct chunk_range {
    int64_t start, end;
    size_t rg, col;
} chunk_range;

typedef struct checker {
    const char *file;
    const pqf_footer *f;
    uint64_t problems;
    int64_t data_end; /* first byte of the footer: chunks must end at or before it */
} checker;

/* Prints "FILE: [row group R[, column P]: ]message". rg or col may be SIZE_MAX
 * for file-level or row-group-level problems. */
static void problem(checker *ck, size_t rg, size_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void problem(checker *ck, size_t rg, size_t col, const char *fmt, ...) {
    va_list ap;
    pqf_cli_put_text(stdout, ck->file, strlen(ck->file));
    fputs(": ", stdout);
    if (rg != SIZE_MAX) printf("row group %zu", rg);
    if (col != SIZE_MAX) {
        pqf_column c_v;
        const pqf_column *c = pqf_column_get(ck->f, col, &c_v) == PQF_OK ? &c_v : NULL;
        fputs(rg != SIZE_MAX ? ", column " : "column ", stdout);
        if (c && c->path.ptr) pqf_cli_put_text(stdout, c->path.ptr, c->path.len);
    }
    if (rg != SIZE_MAX || col != SIZE_MAX) fputs(": ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    ck->problems++;
}

static void check_sizes(checker *ck, size_t rg, size_t col, const pqf_chunk *ch) {
    struct {
        const char *name;
        int64_t v;
        int present;
    } fields[] = {
        {"num_values", ch->num_values, 1},
        {"total_compressed_size", ch->total_compressed_size, 1},
        {"total_uncompressed_size", ch->total_uncompressed_size, 1},
        {"data_page_offset", ch->data_page_offset, 1},
        {"dictionary_page_offset", ch->dictionary_page_offset, (ch->has & PQF_CH_DICT) != 0},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].present && fields[i].v < 0)
            problem(ck, rg, col, "%s is negative (%lld)", fields[i].name,
                    (long long)fields[i].v);
}

/* Checks one chunk; adds its range to `ranges` when it lies in this file. */
static void check_chunk(checker *ck, size_t rg, const pqf_row_group *g, size_t col,
                        chunk_range *ranges, size_t *nranges) {
    pqf_chunk ch;
    if (pqf_chunk_get(ck->f, rg, col, &ch) != PQF_OK || !(ch.has & PQF_CH_META)) return;
    pqf_column c_v;
    const pqf_column *c = pqf_column_get(ck->f, col, &c_v) == PQF_OK ? &c_v : NULL;
    pqf_cli_name_buf a, b;

    check_sizes(ck, rg, col, &ch);
    if (c && c->type >= 0 && ch.type != c->type)
        problem(ck, rg, col, "chunk type %s differs from the schema's %s",
                pqf_cli_type_name(ch.type, &a), pqf_cli_type_name(c->type, &b));
    if ((ch.has & PQF_CH_DICT) && ch.dictionary_page_offset >= 0 &&
        ch.dictionary_page_offset < CHECK_MAGIC_SIZE)
        problem(ck, rg, col, "dictionary_page_offset %lld points into the file header",
                (long long)ch.dictionary_page_offset);
    else if ((ch.has & PQF_CH_DICT) && ch.dictionary_page_offset >= ch.data_page_offset)
        problem(ck, rg, col, "dictionary page at %lld is not before the data page at %lld",
                (long long)ch.dictionary_page_offset, (long long)ch.data_page_offset);
    if (c && c->max_rep == 0 && c->max_def == 0 && ch.num_values != g->num_rows)
        problem(ck, rg, col, "num_values %lld but the row group has %lld rows (flat required)",
                (long long)ch.num_values, (long long)g->num_rows);

    if (ch.has & PQF_CH_FILE_PATH) return; /* the bytes live in another file */
    if (ch.start < 0 || ch.length < 0) return; /* reported as negative above */
    if (ch.length > INT64_MAX - ch.start) {
        problem(ck, rg, col, "byte range %lld+%lld overflows", (long long)ch.start,
                (long long)ch.length);
        return;
    }
    int64_t end = ch.start + ch.length;
    if (ch.start < CHECK_MAGIC_SIZE) {
        problem(ck, rg, col, "bytes %lld-%lld start inside the file header", (long long)ch.start,
                (long long)end);
        return;
    }
    if (ck->data_end > 0 && end > ck->data_end) {
        problem(ck, rg, col, "bytes %lld-%lld run past the data (the footer starts at %lld)",
                (long long)ch.start, (long long)end, (long long)ck->data_end);
        return;
    }
    if (ch.data_page_offset < ch.start || ch.data_page_offset >= end)
        problem(ck, rg, col, "data page at %lld is outside the chunk's bytes %lld-%lld",
                (long long)ch.data_page_offset, (long long)ch.start, (long long)end);
    if (ch.length == 0) return;
    chunk_range r = {ch.start, end, rg, col};
    ranges[(*nranges)++] = r;
}

static int by_start(const void *pa, const void *pb) {
    const chunk_range *a = pa, *b = pb;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    if (a->rg != b->rg) return a->rg < b->rg ? -1 : 1;
    return a->col < b->col ? -1 : a->col > b->col;
}

/* Sorted by start, a range overlaps an earlier one exactly when it starts
 * before the furthest end seen so far. */
static void check_overlaps(checker *ck, chunk_range *r, size_t n) {
    if (n < 2) return;
    qsort(r, n, sizeof *r, by_start);
    /* (check_short_chunks() relies on this order.) */
    size_t reach = 0; /* the range with the furthest end so far */
    for (size_t i = 1; i < n; i++) {
        if (r[i].start < r[reach].end) {
            pqf_column c_v;
            const pqf_column *c = pqf_column_get(ck->f, r[reach].col, &c_v) == PQF_OK ? &c_v : NULL;
            problem(ck, r[i].rg, r[i].col, "bytes %lld-%lld overlap row group %zu, column %s "
                    "(bytes %lld-%lld)", (long long)r[i].start, (long long)r[i].end,
                    r[reach].rg, c && c->path.ptr ? c->path.ptr : "?",
                    (long long)r[reach].start, (long long)r[reach].end);
        }
        if (r[i].end > r[reach].end) reach = i;
    }
}

/*
 * 1 when created_by names a writer that left the dictionary page header out
 * of total_compressed_size: parquet-mr before 1.2.9 (PARQUET-816). As in
 * Arrow C++, created_by is "APP version X.Y.Z ..."; "parquet-mr" with no
 * version, or one that does not parse, counts as old (version 0).
 */
static int short_dictionary_writer(pqf_str cb) {
    static const char app[] = "parquet-mr";
    size_t n = sizeof app - 1;
    if (!cb.ptr || cb.len < n || memcmp(cb.ptr, app, n) != 0) return 0;
    if (cb.len > n && cb.ptr[n] != ' ') return 0; /* another application */
    static const char ver[] = " version ";
    unsigned v[3] = {0, 0, 0};
    size_t i = n;
    if (cb.len >= n + sizeof ver - 1 && memcmp(cb.ptr + n, ver, sizeof ver - 1) == 0) {
        i = n + sizeof ver - 1;
        for (int k = 0; k < 3 && i < cb.len; k++) {
            while (i < cb.len && cb.ptr[i] >= '0' && cb.ptr[i] <= '9' && v[k] < 100000)
                v[k] = v[k] * 10 + (unsigned)(cb.ptr[i++] - '0');
            if (i < cb.len && cb.ptr[i] == '.') i++;
            else break;
        }
    }
    if (v[0] != 1) return v[0] < 1;
    if (v[1] != 2) return v[1] < 2;
    return v[2] < 9;
}

/* For an affected writer: the bytes between each chunk's end and whatever
 * follows it (the next chunk, or the footer), where the header left out of
 * total_compressed_size most likely sits. r is sorted by start. */
static void check_short_chunks(checker *ck, const chunk_range *r, size_t n) {
    problem(ck, SIZE_MAX, SIZE_MAX,
            "written by parquet-mr before 1.2.9 (PARQUET-816): total_compressed_size may leave "
            "out the dictionary page header; readers such as Arrow C++ read up to %d bytes "
            "past each chunk", CHECK_DICT_HEADER_MAX);
    for (size_t i = 0; i < n; i++) {
        int64_t next = i + 1 < n ? r[i + 1].start : ck->data_end;
        if (next <= 0 || next <= r[i].end) continue;
        int64_t gap = next - r[i].end;
        if (gap > CHECK_DICT_HEADER_MAX) continue;
        problem(ck, r[i].rg, r[i].col, "%lld unaccounted bytes after the chunk's bytes %lld-%lld "
                "(a dictionary page header left out of total_compressed_size?)",
                (long long)gap, (long long)r[i].start, (long long)r[i].end);
    }
}

/* All checks of one decoded footer; returns 1 when it had problems, -1 when
 * memory ran out. */
static int check_footer(const char *file, const pqf_footer *f) {
    checker ck = {file, f, 0, 0};
    uint64_t size = pqf_footer_file_size(f), ser = pqf_footer_serialized_size(f);
    ck.data_end = size >= ser + 8 ? (int64_t)(size - ser - 8) : 0;

    size_t nrg = pqf_row_group_count(f), ncol = pqf_column_count(f);
    chunk_range *ranges = NULL;
    if (nrg && ncol) {
        if (ncol > SIZE_MAX / nrg / sizeof *ranges) return -1;
        ranges = malloc(nrg * ncol * sizeof *ranges);
        if (!ranges) return -1;
    }
    size_t nranges = 0;
    int64_t rows = 0;
    int rows_overflow = 0;
    for (size_t rg = 0; rg < nrg; rg++) {
        pqf_row_group g;
        if (pqf_row_group_get(f, rg, &g) != PQF_OK) continue;
        if (g.num_rows < 0)
            problem(&ck, rg, SIZE_MAX, "num_rows is negative (%lld)", (long long)g.num_rows);
        else if (rows > INT64_MAX - g.num_rows)
            rows_overflow = 1;
        else
            rows += g.num_rows;
        if (g.total_byte_size < 0)
            problem(&ck, rg, SIZE_MAX, "total_byte_size is negative (%lld)",
                    (long long)g.total_byte_size);
        if ((g.has & PQF_RG_TOTAL_COMPRESSED_SIZE) && g.total_compressed_size < 0)
            problem(&ck, rg, SIZE_MAX, "total_compressed_size is negative (%lld)",
                    (long long)g.total_compressed_size);
        for (size_t col = 0; col < ncol; col++) check_chunk(&ck, rg, &g, col, ranges, &nranges);
        pqf_cli_check_output();
    }
    if (pqf_footer_num_rows(f) < 0)
        problem(&ck, SIZE_MAX, SIZE_MAX, "num_rows is negative (%lld)",
                (long long)pqf_footer_num_rows(f));
    else if (rows_overflow)
        problem(&ck, SIZE_MAX, SIZE_MAX, "row group row counts overflow a 64-bit sum");
    else if (rows != pqf_footer_num_rows(f))
        problem(&ck, SIZE_MAX, SIZE_MAX, "row groups hold %lld rows but num_rows is %lld",
                (long long)rows, (long long)pqf_footer_num_rows(f));
    check_overlaps(&ck, ranges, nranges); /* sorts the ranges by start */
    if (short_dictionary_writer(pqf_footer_created_by(f))) check_short_chunks(&ck, ranges, nranges);
    free(ranges);

    pqf_cli_put_text(stdout, file, strlen(file));
    if (ck.problems)
        printf(": %llu problem%s\n", (unsigned long long)ck.problems,
               ck.problems == 1 ? "" : "s");
    else
        fputs(": OK\n", stdout);
    return ck.problems ? 1 : 0;
}

typedef struct check_args {
    pqf_options opt;
    int unknown_size;
} check_args;

static int check_option(void *ctx, const char *cmd, int argc, char **argv, int *i) {
    check_args *a = ctx;
    (void)cmd;
    (void)argc;
    if (strcmp(argv[*i], "--no-path-check") == 0) {
        a->opt.flags |= PQF_NO_PATH_CHECK;
        return 1;
    }
    if (strcmp(argv[*i], "--unknown-size") == 0) {
        a->unknown_size = 1;
        return 1;
    }
    return 0;
}

int pqf_cli_cmd_check(int argc, char **argv) {
    char **files = NULL;
    int nfiles = 0;
    check_args a;
    memset(&a, 0, sizeof a);
    int r = pqf_cli_parse_args("check", argc, argv, check_help, check_option, &a, "FILE", &files,
                               &nfiles);
    if (r != PQF_CLI_ARGS_RUN) return r == PQF_CLI_ARGS_HELP ? PQF_CLI_OK : PQF_CLI_USAGE;

    int status = PQF_CLI_OK;
    pqf_dctx *dctx = pqf_dctx_new(NULL); /* NULL: decode without one */
    for (int i = 0; i < nfiles; i++) {
        const char *file = files[i];
        pqf_error err;
        pqf_footer *f = pqf_cli_decode(dctx, file, &a.opt, a.unknown_size, &err);
        if (!f) {
            pqf_cli_decode_error(file, &err);
            status = PQF_CLI_FAIL;
            continue;
        }
        int rc = check_footer(file, f);
        if (rc < 0) pqf_cli_errorf("%s: out of memory", file);
        if (rc != 0) status = PQF_CLI_FAIL;
        pqf_footer_free(f);
        pqf_cli_check_output();
    }
    pqf_dctx_free(dctx);
    free(files);
    return status;
}
