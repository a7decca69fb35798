/*
 * cli_common.h -- helpers shared by the pqfoot commands: exit codes, error
 * lines, decode options from the command line, stdout health, timing and
 * reading a file's tail. Every symbol is pqf_cli_-prefixed so the CLI adds
 * nothing unprefixed to the global namespace.
 */
#ifndef PQF_CLI_COMMON_H
#define PQF_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pqfoot.h"

/* Exit statuses of every command. */
enum {
    PQF_CLI_OK = 0,     /* everything succeeded */
    PQF_CLI_FAIL = 1,   /* a file failed to decode or had problems */
    PQF_CLI_USAGE = 2,  /* bad command line */
    PQF_CLI_PARTIAL = 3 /* index build/update: the index was written, but files were skipped */
};

/* "pqfoot: <message>\n" on stderr. */
void pqf_cli_errorf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* A usage problem of command `cmd` (NULL for the top level): prints the
 * message and a hint to --help on stderr; returns PQF_CLI_USAGE. */
int pqf_cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* "pqfoot: FILE: message[ 'COLUMN'][ (byte N of footer)][ at PATH]" on
 * stderr. The byte offset is given only for errors inside the footer bytes
 * (truncated, malformed, depth, limit, missing field), not for I/O, the
 * file's framing, memory, arguments or projection, where it would say
 * nothing; a projection error names the missing column when
 * opt (the options of the failed decode) is given. */
void pqf_cli_decode_error_in(const char *file, const pqf_error *err, const pqf_options *opt);
/* pqf_cli_decode_error_in() without the options. */
void pqf_cli_decode_error(const char *file, const pqf_error *err);

/* The error line of `dump --json` / `stat --json` on stdout (no newline). */
void pqf_cli_json_error(const char *file, const pqf_error *err);

/* pqf_write_fn that appends to stdout. */
int pqf_cli_write_stdout(void *ctx, const void *data, size_t len);

/* Sets up stdout and SIGPIPE for the process: a closed pipe is not an error
 * worth a message. Called once from main(). */
void pqf_cli_init_output(void);

/* Checks stdout: when a write failed because the reader went away, exits 0
 * without a word; on any other write error prints it and exits 1. Commands
 * call this between files and from long loops. */
void pqf_cli_check_output(void);

/* Most bytes `FILE` "-" (standard input) may hold: it is read whole. */
#define PQF_CLI_STDIN_MAX (1ull << 30)

/* Standard input read whole (the file named "-"), malloc'd, with its
 * length; NULL with err filled when it cannot be read, is over
 * PQF_CLI_STDIN_MAX bytes or is empty. */
unsigned char *pqf_cli_read_stdin(size_t *len, pqf_error *err);

/*
 * Decodes the footer of file: "-" reads standard input whole (up to
 * PQF_CLI_STDIN_MAX bytes, its length then being the file size); with
 * unknown_size the library is given the tail only, without the file's size
 * (pqf_footer_decode_tail() with file_size 0), so byte ranges are not
 * checked against the file: it shows what the library can decode of a file
 * whose offsets are bad.
 */
pqf_footer *pqf_cli_decode(pqf_dctx *dctx, const char *file, const pqf_options *opt, int unknown_size,
                           pqf_error *err);

/* Decode options assembled from --page-index, --bloom, --kv, --portable,
 * --no-path-check, --columns. */
typedef struct pqf_cli_decode_opts {
    pqf_options opt;
    char *columns_buf;     /* the --columns argument, split in place */
    const char **columns;  /* pointers into columns_buf */
} pqf_cli_decode_opts;

void pqf_cli_decode_opts_init(pqf_cli_decode_opts *d);
void pqf_cli_decode_opts_free(pqf_cli_decode_opts *d);

/*
 * Tries to consume one decode option at argv[*i] (advancing *i past a value
 * argument). Returns 1 when consumed, 0 when argv[*i] is not a decode option,
 * and -1 after printing a usage error.
 */
int pqf_cli_decode_opt(const char *cmd, int argc, char **argv, int *i,
                       pqf_cli_decode_opts *d);

/* If argv[*i] is `name VALUE` or `name=VALUE`, stores VALUE in *value,
 * advances *i past it and returns 1; returns -1 (after a usage error) when
 * the value is missing, 0 when argv[*i] is another argument. */
int pqf_cli_opt_value(const char *cmd, int argc, char **argv, int *i, const char *name,
                      const char **value);

/* Parses a whole decimal number into *out (no sign, no junk); 0 on success. */
int pqf_cli_parse_u64(const char *s, uint64_t *out);

/* Monotonic clock in nanoseconds. */
uint64_t pqf_cli_now_ns(void);

/* Reads the last `len` bytes of `path` into a malloc'd buffer, and the file's
 * size into *file_size. Returns the buffer, or NULL with errno set. */
void *pqf_cli_read_tail(const char *path, uint64_t len, uint64_t *file_size);

/* Writes the bytes of s to fp with control characters (C0, DEL, C1) and
 * bytes that are not valid UTF-8 shown as \xNN, so strings from untrusted
 * files cannot drive the terminal. */
void pqf_cli_put_text(FILE *fp, const char *s, size_t len);

/* How pqf_cli_put_text() treats the bytes at p: the length of a run to
 * print as it is, or 0 when the byte at p must be shown as \xNN. */
size_t pqf_cli_text_run(const unsigned char *p, size_t avail);

/* Highlighting for headings: bold when stdout is a terminal and NO_COLOR is
 * unset, empty strings otherwise (pipes and files get plain text). */
typedef struct pqf_cli_style {
    const char *bold;
    const char *plain;
} pqf_cli_style;

void pqf_cli_style_init(pqf_cli_style *st);

#endif
