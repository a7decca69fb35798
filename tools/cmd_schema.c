/* cmd_schema.c -- `pqfoot schema`: the schema tree alone. */
#include <string.h>

#include "cli_commands.h"
#include "cli_common.h"
#include "cli_schema.h"

static const char schema_help[] =
    "usage: pqfoot schema FILE...\n"
    "\n"
    "Print the schema tree: one line per element with its repetition, physical\n"
    "type (or group), logical type with parameters, converted type, definition\n"
    "and repetition levels, field id and leaf column number. With several\n"
    "files, each tree is preceded by the file name.\n"
    "\n"
    "options:\n"
    "  -h, --help   show this help\n";

int pqf_cli_cmd_schema(int argc, char **argv) {
    int i = 1;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (arg[0] != '-' || arg[1] == '\0') break;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(schema_help, stdout);
            return PQF_CLI_OK;
        }
        return pqf_cli_usage("schema", "unknown option '%s'", arg);
    }
    if (i >= argc) return pqf_cli_usage("schema", "no FILE given");

    int first = i, several = argc - first > 1, status = PQF_CLI_OK;
    pqf_cli_style st;
    pqf_cli_style_init(&st);
    for (; i < argc; i++) {
        const char *file = argv[i];
        pqf_error err;
        pqf_footer *f = pqf_footer_decode_file(file, NULL, &err);
        if (!f) {
            pqf_cli_decode_error(file, &err);
            status = PQF_CLI_FAIL;
            continue;
        }
        if (several) {
            if (i > first) fputc('\n', stdout);
            fputs(st.bold, stdout);
            pqf_cli_put_text(stdout, file, strlen(file));
            printf(":%s\n", st.plain);
        }
        pqf_cli_print_schema(stdout, f, several ? 2 : 0);
        pqf_footer_free(f);
        pqf_cli_check_output();
    }
    return status;
}
