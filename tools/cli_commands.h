/* cli_commands.h -- entry points of the pqfoot commands. Each takes the
 * arguments after the command name (argv[0] is the command itself) and
 * returns the process exit status. */
#ifndef PQF_CLI_COMMANDS_H
#define PQF_CLI_COMMANDS_H

int pqf_cli_cmd_dump(int argc, char **argv);
int pqf_cli_cmd_schema(int argc, char **argv);
int pqf_cli_cmd_stat(int argc, char **argv);
int pqf_cli_cmd_check(int argc, char **argv);
int pqf_cli_cmd_slice(int argc, char **argv);
int pqf_cli_cmd_slim(int argc, char **argv);

#endif
