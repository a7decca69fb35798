/* cli_json.h -- JSON output pieces the CLI writes itself (error lines, stat
 * lines); the footer JSON comes from pqf_footer_write_json(). */
#ifndef PQF_CLI_JSON_H
#define PQF_CLI_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Writes bytes as a JSON string with the escaping rules of docs/dump-json.md
 * (control bytes escaped, U+FFFD for each byte that does not start valid
 * UTF-8), so error lines match the library's output byte for byte. */
void pqf_cli_json_string(FILE *fp, const char *s, size_t len);

/* Length of the well-formed UTF-8 sequence (RFC 3629) at p, or 0 when p[0]
 * does not start one. p[0] must be >= 0x80 and avail >= 1. */
size_t pqf_cli_utf8_len(const unsigned char *p, size_t avail);

#endif
