/* cli_schema.h -- the indented schema tree shared by `dump` and `schema`. */
#ifndef PQF_CLI_SCHEMA_H
#define PQF_CLI_SCHEMA_H

#include <stdio.h>

#include "pqfoot.h"

/* One line per SchemaElement, indented two spaces per tree level beyond
 * `indent`: name, repetition, physical type (or group and its child count),
 * logical type with parameters, converted type, scale/precision, levels and
 * field id. */
void pqf_cli_print_schema(FILE *fp, const pqf_footer *f, int indent);

#endif
