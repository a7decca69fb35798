/* cli_walk.h -- expand command-line paths into files: a directory stands for
 * its dataset files (the rules of pqf_dataset_open_dir()), in path order. */
#ifndef PQF_CLI_WALK_H
#define PQF_CLI_WALK_H

/* Called once per file. */
typedef void (*pqf_cli_visit_fn)(void *ctx, const char *file);

/*
 * Visits `path` itself when it is not a directory (whatever its name), else
 * the files pqf_dataset_list_dir() lists under it: names ending in ".parquet"
 * in any case, regular files or symbolic links to them, skipping names that
 * start with '.' or '_', not following symbolic links to directories, sorted
 * by full path byte by byte. Returns 0, or 1 (with a message on stderr, and
 * nothing visited) when the directory or one below it cannot be read.
 */
int pqf_cli_walk(const char *path, pqf_cli_visit_fn visit, void *ctx);

#endif
