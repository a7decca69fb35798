/* cli_select.h -- the LIST arguments of `slice` and `slim`: comma-separated
 * indexes and ranges A-B; columns also by dotted path (a group path names
 * every leaf below it). Public API only. */
#ifndef PQF_CLI_SELECT_H
#define PQF_CLI_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "pqfoot.h"

/* Most items a LIST may expand to. */
#define PQF_CLI_MAX_LIST (1u << 24)

/* Parses "0,3,5-9" into a malloc'd array (order kept) of values below limit.
 * Returns 0, or -1 after a usage message naming opt. */
int pqf_cli_parse_index_list(const char *cmd, const char *opt, const char *s, uint64_t limit,
                             uint32_t **out, size_t *n);

/* Resolves a column LIST against f's leaves (indexes, ranges, dotted paths).
 * Returns 0, or -1 after a usage message. */
int pqf_cli_parse_column_list(const char *cmd, const char *opt, const char *s, const pqf_footer *f,
                              uint32_t **out, size_t *n);

#endif
