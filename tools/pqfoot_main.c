/* pqfoot_main.c -- the pqfoot command line: dispatch, --help, --version. */
#include <stdio.h>
#include <string.h>

#include "cli_commands.h"
#include "cli_common.h"
#include "cmd_index.h"
#include "pqfoot.h"

static const char usage_text[] =
    "usage: pqfoot COMMAND [OPTIONS] FILE...\n"
    "\n"
    "Read Apache Parquet footers (the FileMetaData at the end of a file).\n"
    "\n"
    "commands:\n"
    "  dump FILE...         file summary, schema tree, row groups and column chunks\n"
    "  dump --json FILE...  one line of canonical JSON per file (docs/dump-json.md)\n"
    "  schema FILE...       the schema tree alone\n"
    "  stat FILE|DIR...     footer size, retained size, decode time, per file and in total\n"
    "  check FILE...        look for problems a reader would trip on\n"
    "  prune --where EXPR FILE|DIR...  row groups that may match a predicate\n"
    "  index build|info|verify|update  dataset index (.pqfi); 'pqfoot index --help'\n"
    "  slice FILE --row-groups LIST -o OUT  metadata-only Parquet file for some row groups/columns\n"
    "  slim IN -o OUT       IN with a footer without statistics\n"
    "\n"
    "options:\n"
    "  -h, --help           show this help ('pqfoot COMMAND --help' for a command)\n"
    "  -V, --version        print the library version\n"
    "\n"
    "exit status: 0 success, 1 a file failed or had problems, 2 usage error,\n"
    "  3 index written, but files were skipped (index build/update --keep-going)\n";

int main(int argc, char **argv) {
    pqf_cli_init_output();
    if (argc < 2) {
        fputs(usage_text, stderr);
        return PQF_CLI_USAGE;
    }
    const char *cmd = argv[1];
    int status;
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        status = PQF_CLI_OK;
    } else if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("pqfoot %s\n", pqf_version());
        status = PQF_CLI_OK;
    } else if (strcmp(cmd, "dump") == 0) {
        status = pqf_cli_cmd_dump(argc - 1, argv + 1);
    } else if (strcmp(cmd, "schema") == 0) {
        status = pqf_cli_cmd_schema(argc - 1, argv + 1);
    } else if (strcmp(cmd, "stat") == 0) {
        status = pqf_cli_cmd_stat(argc - 1, argv + 1);
    } else if (strcmp(cmd, "index") == 0) {
        status = pqf_cli_index(argc - 1, argv + 1);
    } else if (strcmp(cmd, "check") == 0) {
        status = pqf_cli_cmd_check(argc - 1, argv + 1);
    } else if (strcmp(cmd, "prune") == 0) {
        status = pqf_cli_cmd_prune(argc - 1, argv + 1);
    } else if (strcmp(cmd, "slice") == 0) {
        status = pqf_cli_cmd_slice(argc - 1, argv + 1);
    } else if (strcmp(cmd, "slim") == 0) {
        status = pqf_cli_cmd_slim(argc - 1, argv + 1);
    } else if (cmd[0] == '-') {
        return pqf_cli_usage(NULL, "unknown option '%s'", cmd);
    } else {
        return pqf_cli_usage(NULL, "unknown command '%s'", cmd);
    }
    if (fflush(stdout) != 0) pqf_cli_check_output();
    pqf_cli_check_output();
    return status;
}
