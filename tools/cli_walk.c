/* cli_walk.c -- deterministic recursive search for *.parquet files. */
#include "cli_walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_common.h"

static int has_parquet_suffix(const char *name) {
    static const char suffix[] = ".parquet";
    size_t n = strlen(name), k = sizeof suffix - 1;
    return n > k && strcmp(name + n - k, suffix) == 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "dir/name" in a new allocation, without doubling a trailing slash. */
static char *join(const char *dir, const char *name) {
    size_t d = strlen(dir), n = strlen(name);
    int slash = d > 0 && dir[d - 1] != '/';
    char *p = malloc(d + (size_t)slash + n + 1);
    if (!p) return NULL;
    memcpy(p, dir, d);
    if (slash) p[d] = '/';
    memcpy(p + d + (size_t)slash, name, n + 1);
    return p;
}

/* The names in dir, sorted, or NULL (errno set) on failure. */
static char **list_dir(const char *dir, size_t *count) {
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int err = 0;
    /* errno tells a failed readdir() from the end of the directory */
    while ((errno = 0, e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                err = ENOMEM;
                break;
            }
            names = grown;
        }
        names[n] = malloc(strlen(e->d_name) + 1);
        if (!names[n]) {
            err = ENOMEM;
            break;
        }
        strcpy(names[n++], e->d_name);
    }
    if (!e && errno != 0) err = errno;
    closedir(d);
    if (err) {
        while (n > 0) free(names[--n]);
        free(names);
        errno = err;
        return NULL;
    }
    if (n) qsort(names, n, sizeof *names, by_name);
    *count = n;
    return names ? names : calloc(1, sizeof *names);
}

static int walk_dir(const char *dir, pqf_cli_visit_fn visit, void *ctx) {
    size_t n = 0;
    char **names = list_dir(dir, &n);
    if (!names) {
        pqf_cli_errorf("%s: %s", dir, strerror(errno));
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = join(dir, names[i]);
        struct stat st;
        if (!path) {
            pqf_cli_errorf("%s: out of memory", dir);
            rc = 1;
        } else if (lstat(path, &st) != 0) {
            pqf_cli_errorf("%s: %s", path, strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (walk_dir(path, visit, ctx) != 0) rc = 1;
        } else if (has_parquet_suffix(names[i]) && stat(path, &st) == 0 &&
                   S_ISREG(st.st_mode)) {
            visit(ctx, path);
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int pqf_cli_walk(const char *path, pqf_cli_visit_fn visit, void *ctx) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return walk_dir(path, visit, ctx);
    visit(ctx, path);
    return 0;
}
