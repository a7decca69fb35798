/* cmd_index.h -- `pqfoot index build|info|verify|update`: the sidecar
 * dataset index (.pqfi). Takes the arguments after the top-level command
 * (argv[0] is "index") and returns the process exit status. */
#ifndef PQF_CMD_INDEX_H
#define PQF_CMD_INDEX_H

int pqf_cli_index(int argc, char **argv);

#endif
