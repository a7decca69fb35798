/* cli_walk.h -- expand command-line paths into files: a directory stands for
 * every *.parquet file below it, visited in sorted order. */
#ifndef PQF_CLI_WALK_H
#define PQF_CLI_WALK_H

/* Called once per file. */
typedef void (*pqf_cli_visit_fn)(void *ctx, const char *file);

/*
 * Visits `path` itself when it is not a directory (whatever its name), else
 * every regular file named *.parquet below it, recursively, with entries of
 * each directory sorted by byte value. Symbolic links to directories are not
 * followed. Returns 0, or 1 when some directory or entry could not be read
 * (each printed on stderr; the walk goes on with the rest).
 */
int pqf_cli_walk(const char *path, pqf_cli_visit_fn visit, void *ctx);

#endif
