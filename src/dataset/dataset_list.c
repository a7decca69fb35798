/* dataset_list.c -- the public face of the dataset directory walk, so that
 * tools listing dataset files use the very rules pqf_dataset_open_dir() does. */
#include <errno.h>
#include <stddef.h>

#include "dataset.h"

pqf_code pqf_dataset_list_dir(const char *dir, const pqf_allocator *alloc, char ***paths,
                              size_t *count, pqf_error *err) {
    if (!dir || !paths || !count) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "dir, paths or count is NULL", 0, NULL);
        return PQF_ERR_INVALID_ARG;
    }
    *paths = NULL;
    *count = 0;
    pqf_allocator alc;
    alc = pqf_allocator_resolve(alloc);
    if (pqf_ds_list_dir(&alc, dir, paths, count) == 0) {
        if (*count == 0) { /* the walker keeps a one-slot array; callers get NULL */
            pqf_ds_list_free(&alc, *paths, 0);
            *paths = NULL;
        }
        return PQF_OK;
    }
    *paths = NULL;
    *count = 0;
    int e = errno;
    if (e == ENOMEM) {
        pqf_ds_error(err, PQF_ERR_NOMEM, "out of memory", 0, dir);
        errno = e;
        return PQF_ERR_NOMEM;
    }
    pqf_ds_error(err, PQF_ERR_IO, "cannot list directory", 0, dir);
    errno = e; /* documented: the caller may report strerror(errno) */
    return PQF_ERR_IO;
}

void pqf_dataset_list_free(const pqf_allocator *alloc, char **paths, size_t count) {
    if (!paths) return;
    pqf_allocator alc;
    alc = pqf_allocator_resolve(alloc);
    pqf_ds_list_free(&alc, paths, count);
}
