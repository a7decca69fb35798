/* cmd_slim.c -- `pqfoot slim`: rewrite a file's footer without statistics,
 * copying every byte before the footer as it is (pqf_footer_slim()). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "cli_outfile.h"
#include "cli_select.h"
#include "pqfoot.h"

static const char slim_help[] =
    "usage: pqfoot slim IN -o OUT [--keep-stats COLS] [--drop-kv]\n"
    "\n"
    "Writes OUT: IN with a footer without column statistics, encoding_stats and\n"
    "size_statistics. Every byte before the footer is copied as it is (no data is\n"
    "re-encoded) and every other footer field is carried byte for byte, unknown\n"
    "ones included. IN is not modified; OUT is written to a temporary file in its\n"
    "directory and renamed. Encrypted files are refused. Prints the old and new\n"
    "footer sizes.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT    the file to write (required)\n"
    "  --keep-stats COLS   keep the statistics of these columns (indexes, ranges\n"
    "                      A-B or dotted paths, comma-separated)\n"
    "  --drop-kv           drop the file's key-value metadata too\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 written, 1 the file could not be read or rewritten, 2 usage.\n";

typedef struct slim_args {
    const char *out, *keep;
    int drop_kv;
} slim_args;

static int slim_option(void *ctx, const char *cmd, int argc, char **argv, int *i) {
    slim_args *a = ctx;
    int r;
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--output", &a->out))) return r;
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "-o", &a->out))) return r;
    if ((r = pqf_cli_opt_value(cmd, argc, argv, i, "--keep-stats", &a->keep))) return r;
    if (strcmp(argv[*i], "--drop-kv") == 0) {
        a->drop_kv = 1;
        return 1;
    }
    return 0;
}

/* Copy the first n bytes of in to out. */
static int copy_prefix(FILE *in, FILE *out, uint64_t n) {
    enum { CHUNK = 1 << 16 };
    char *buf = malloc(CHUNK);
    int rc = buf ? 0 : -1;
    while (n && !rc) {
        size_t k = n < CHUNK ? (size_t)n : CHUNK;
        if (fread(buf, 1, k, in) != k || fwrite(buf, 1, k, out) != k) rc = -1;
        n -= k;
    }
    free(buf);
    return rc;
}

/* Reads IN's footer: *len bytes (without length and magic) in a malloc'd buffer. */
static unsigned char *read_footer(const char *path, uint64_t *file_size, uint32_t *len) {
    unsigned char *tail = pqf_cli_read_tail(path, 8, file_size);
    if (!tail) {
        pqf_cli_errorf("%s: %s", path, strerror(errno));
        return NULL;
    }
    int enc = memcmp(tail + 4, "PARE", 4) == 0, par = *file_size >= 12 && memcmp(tail + 4, "PAR1", 4) == 0;
    *len = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 | (uint32_t)tail[3] << 24;
    free(tail);
    if (enc || !par || *len > *file_size - 12) {
        pqf_cli_errorf("%s: %s", path, enc ? "encrypted footer (PARE): refused" : "not a Parquet file");
        return NULL;
    }
    unsigned char *buf = pqf_cli_read_tail(path, (uint64_t)*len + 8, file_size);
    if (!buf) pqf_cli_errorf("%s: %s", path, strerror(errno));
    return buf;
}

static int slim_file(const char *path, const slim_args *a) {
    uint64_t size;
    uint32_t len;
    unsigned char *footer = read_footer(path, &size, &len);
    if (!footer) return PQF_CLI_FAIL;
    pqf_error err;
    uint32_t *keep = NULL;
    size_t nkeep = 0;
    if (a->keep) { /* column names need the schema */
        pqf_footer *f = pqf_footer_decode(footer, len, NULL, &err);
        if (!f) {
            pqf_cli_decode_error(path, &err);
            free(footer);
            return PQF_CLI_FAIL;
        }
        int bad = pqf_cli_parse_column_list("slim", "--keep-stats", a->keep, f, &keep, &nkeep);
        pqf_footer_free(f);
        if (bad) {
            free(footer);
            return PQF_CLI_USAGE;
        }
    }
    int status = PQF_CLI_FAIL;
    pqf_cli_outfile o;
    FILE *in = fopen(path, "rb");
    if (!in) pqf_cli_errorf("%s: %s", path, strerror(errno));
    if (in && pqf_cli_outfile_open(&o, a->out) == 0) {
        int ok = copy_prefix(in, o.fp, size - len - 8) == 0;
        if (!ok) pqf_cli_errorf("%s: copying the data failed", path);
        long before = ok ? ftell(o.fp) : 0;
        pqf_slim_options so = {a->drop_kv ? PQF_SLIM_DROP_KV : 0u, keep, nkeep, 0, NULL};
        if (ok && pqf_footer_slim(footer, len, &so, pqf_cli_outfile_write, &o, &err) != PQF_OK) {
            pqf_cli_decode_error(path, &err);
            ok = 0;
        }
        uint64_t nlen = ok ? (uint64_t)(ftell(o.fp) - before) : 0;
        unsigned char trailer[8] = {(unsigned char)nlen, (unsigned char)(nlen >> 8), (unsigned char)(nlen >> 16),
                                    (unsigned char)(nlen >> 24), 'P', 'A', 'R', '1'};
        if (ok && fwrite(trailer, 1, 8, o.fp) != 8) ok = 0;
        if (pqf_cli_outfile_close(&o, ok) == 0) {
            printf("%s: footer %u -> %llu bytes (%.1f%% smaller)\n", a->out, len, (unsigned long long)nlen,
                   len ? 100.0 * (double)(len - nlen) / (double)len : 0.0);
            status = PQF_CLI_OK;
        }
    }
    if (in) fclose(in);
    free(keep);
    free(footer);
    return status;
}

int pqf_cli_cmd_slim(int argc, char **argv) {
    slim_args a = {0};
    char **files = NULL;
    int nfiles = 0;
    int r = pqf_cli_parse_args("slim", argc, argv, slim_help, slim_option, &a, "IN", &files, &nfiles);
    if (r == PQF_CLI_ARGS_HELP) return PQF_CLI_OK;
    if (r != PQF_CLI_ARGS_RUN) return PQF_CLI_USAGE;
    const char *in = files[0];
    free(files);
    if (nfiles != 1 || !a.out) return pqf_cli_usage("slim", nfiles != 1 ? "one IN file expected" : "-o OUT is required");
    if (strcmp(in, a.out) == 0) return pqf_cli_usage("slim", "OUT must differ from IN");
    return slim_file(in, &a);
}
