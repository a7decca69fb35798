/* cli_outfile.c -- atomic output files (cli_outfile.h). */
#include "cli_outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"

int pqf_cli_outfile_open(pqf_cli_outfile *o, const char *path) {
    size_t n = strlen(path);
    o->path = path;
    o->fp = NULL;
    o->tmp = malloc(n + 16);
    if (!o->tmp) {
        pqf_cli_errorf("%s: out of memory", path);
        return -1;
    }
    memcpy(o->tmp, path, n);
    memcpy(o->tmp + n, ".tmp.XXXXXX", 12);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->fp = fdopen(fd, "wb"))) {
        pqf_cli_errorf("%s: cannot create a temporary file: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

int pqf_cli_outfile_write(void *ctx, const void *data, size_t len) {
    pqf_cli_outfile *o = ctx;
    return fwrite(data, 1, len, o->fp) == len ? 0 : -1;
}

int pqf_cli_outfile_close(pqf_cli_outfile *o, int ok) {
    int rc = 0;
    if (ok && (fflush(o->fp) != 0 || fsync(fileno(o->fp)) != 0)) {
        pqf_cli_errorf("%s: %s", o->path, strerror(errno));
        ok = 0;
    }
    if (fclose(o->fp) != 0 && ok) {
        pqf_cli_errorf("%s: %s", o->path, strerror(errno));
        ok = 0;
    }
    if (ok && rename(o->tmp, o->path) != 0) {
        pqf_cli_errorf("%s: cannot rename the temporary file: %s", o->path, strerror(errno));
        ok = 0;
    }
    if (!ok) {
        unlink(o->tmp);
        rc = -1;
    }
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}
