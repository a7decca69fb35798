/* cmd_schema.c -- `pqfoot schema`: the schema tree alone. */
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "cli_schema.h"

static const char schema_help[] =
    "usage: pqfoot schema FILE...\n"
    "\n"
    "Print the schema tree: one line per element with its repetition, physical\n"
    "type (or group), logical type with parameters, converted type, definition\n"
    "and repetition levels, field id and leaf column number. With several\n"
    "files, each tree is preceded by the file name. FILE '-' is standard input.\n"
    "\n"
    "options:\n"
    "  -h, --help   show this help\n";

int pqf_cli_cmd_schema(int argc, char **argv) {
    char **files = NULL;
    int nfiles = 0;
    int r = pqf_cli_parse_args("schema", argc, argv, schema_help, NULL, NULL, "FILE", &files,
                               &nfiles);
    if (r != PQF_CLI_ARGS_RUN) return r == PQF_CLI_ARGS_HELP ? PQF_CLI_OK : PQF_CLI_USAGE;

    int several = nfiles > 1, status = PQF_CLI_OK;
    pqf_cli_style st;
    pqf_cli_style_init(&st);
    pqf_dctx *dctx = pqf_dctx_new(NULL); /* NULL: decode without one */
    for (int i = 0; i < nfiles; i++) {
        const char *file = files[i];
        pqf_error err;
        pqf_footer *f = pqf_cli_decode(dctx, file, NULL, 0, &err); /* "-": stdin */
        if (!f) {
            pqf_cli_decode_error(file, &err);
            status = PQF_CLI_FAIL;
            continue;
        }
        if (several) {
            if (i > 0) fputc('\n', stdout);
            fputs(st.bold, stdout);
            pqf_cli_put_text(stdout, file, strlen(file));
            printf(":%s\n", st.plain);
        }
        pqf_cli_print_schema(stdout, f, several ? 2 : 0);
        pqf_footer_free(f);
        pqf_cli_check_output();
    }
    pqf_dctx_free(dctx);
    free(files);
    return status;
}
