/*
 * standalone_main.c -- run inputs through a fuzz harness without libFuzzer.
 *
 *     build-asan/fuzz/fuzz_footer FILE_OR_DIR...   every regular file, directories
 *                                                 recursively in name order
 *     build-asan/fuzz/fuzz_footer < input          one input from stdin
 *
 * Links with any harness (it calls LLVMFuzzerTestOneInput, and LLVMFuzzerInitialize
 * when the harness defines it), so the harnesses build with gcc as well as clang.
 * Arguments starting with '-' are ignored, so libFuzzer-style flags do no harm.
 * A failed property aborts, exactly as under libFuzzer; the exit status is 0 when
 * every input ran.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t g_ran;
static int g_verbose;

static int run_file(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "standalone: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(fp);
        return 1;
    }
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(fp);
                return 1;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        fprintf(stderr, "standalone: cannot read %s\n", path);
        free(buf);
        return 1;
    }
    if (g_verbose) fprintf(stderr, "standalone: %s (%zu bytes)\n", path, n);
    /* An exact-size copy, so reads past the end are caught by ASan. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return 1;
    }
    if (n) memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    g_ran++;
    return 0;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int run_path(const char *path, int depth) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "standalone: cannot stat %s\n", path);
        return 1;
    }
    if (S_ISREG(st.st_mode)) return run_file(path);
    if (!S_ISDIR(st.st_mode) || depth > 16) return 0;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "standalone: cannot open directory %s\n", path);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* ., .., hidden files */
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = 1;
                break;
            }
            names = nn;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            rc = 1;
            break;
        }
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (!rc) rc |= run_path(names[i], depth + 1);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    const char *v = getenv("FUZZ_VERBOSE");
    g_verbose = v && *v && *v != '0';
    int rc = 0, any = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        any = 1;
        rc |= run_path(argv[i], 0);
    }
    if (!any) {
        /* One input from stdin. */
        rc = run_file("/dev/stdin");
    }
    fprintf(stderr, "standalone: %s: ran %zu inputs\n", argv[0], g_ran);
    return rc;
}
