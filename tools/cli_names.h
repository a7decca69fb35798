/* cli_names.h -- human names for the Parquet enums the CLI prints. */
#ifndef PQF_CLI_NAMES_H
#define PQF_CLI_NAMES_H

#include <stdint.h>
#include <stdio.h>

#include "pqfoot.h"

/* Scratch space for a name built from an unknown value, e.g. "codec(9)". */
typedef struct pqf_cli_name_buf {
    char s[32];
} pqf_cli_name_buf;

/* Physical type ("INT32", "FIXED_LEN_BYTE_ARRAY", else "type(N)"). */
const char *pqf_cli_type_name(int32_t type, pqf_cli_name_buf *buf);
/* Compression codec ("SNAPPY", ..., else "codec(N)"). */
const char *pqf_cli_codec_name(int32_t codec, pqf_cli_name_buf *buf);
/* ConvertedType ("UTF8", "TIMESTAMP_MICROS", ..., else "converted(N)"). */
const char *pqf_cli_converted_name(int32_t converted, pqf_cli_name_buf *buf);
/* Repetition in lower case ("required", ..., else "repetition(N)"). */
const char *pqf_cli_repetition_name(int32_t rep, pqf_cli_name_buf *buf);

/* A logical type with its parameters, e.g. "TIMESTAMP(unit=MICROS, utc=true)"
 * or "DECIMAL(precision=10, scale=2)"; strings are shown with control bytes
 * escaped. */
void pqf_cli_print_logical(FILE *fp, const pqf_logical_type *lt);

#endif
