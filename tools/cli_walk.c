/* cli_walk.c -- expand a command-line path into files: a directory is listed
 * by the library's dataset walk, so the CLI and pqf_dataset_open_dir() agree
 * on which files make up a directory. */
#include "cli_walk.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_common.h"
#include "pqfoot.h"
#include "pqfoot_dataset.h"

int pqf_cli_walk(const char *path, pqf_cli_visit_fn visit, void *ctx) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        visit(ctx, path); /* the command reports a missing file itself */
        return 0;
    }
    char **files = NULL;
    size_t n = 0;
    pqf_error err;
    pqf_code rc = pqf_dataset_list_dir(path, NULL, &files, &n, &err);
    if (rc != PQF_OK) {
        /* err.path names the directory given; errno the reason */
        pqf_cli_errorf("%s: %s", path, rc == PQF_ERR_IO ? strerror(errno) : err.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++) visit(ctx, files[i]);
    pqf_dataset_list_free(NULL, files, n);
    return 0;
}
