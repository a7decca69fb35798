/* cli_outfile.h -- write an output file atomically: a temporary file in the
 * target's directory, renamed over it once complete. */
#ifndef PQF_CLI_OUTFILE_H
#define PQF_CLI_OUTFILE_H

#include <stdio.h>

typedef struct pqf_cli_outfile {
    FILE *fp;
    char *tmp;         /* the temporary path (malloc'd) */
    const char *path;  /* the final path */
} pqf_cli_outfile;

/* Opens a fresh temporary file beside path; 0, or -1 after an error message. */
int pqf_cli_outfile_open(pqf_cli_outfile *o, const char *path);
/* pqf_write_fn over the open file. */
int pqf_cli_outfile_write(void *ctx, const void *data, size_t len);
/* Flushes, syncs and renames (ok != 0), or removes the temporary file (ok == 0).
 * Returns 0 when the file is in place, -1 after an error message. */
int pqf_cli_outfile_close(pqf_cli_outfile *o, int ok);

#endif
