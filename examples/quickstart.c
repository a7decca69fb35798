/* The README's quick start: list every column chunk's byte range. */
#include <pqfoot.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) return fprintf(stderr, "usage: quickstart FILE.parquet\n"), 2;
    pqf_options opt = {0}; /* defaults: keep schema, row groups, chunk locations */
    pqf_error err;
    pqf_footer *f = pqf_footer_decode_file(argv[1], &opt, &err);
    if (!f) {
        fprintf(stderr, "%s: %s (byte %llu of footer%s%s)\n", argv[1], err.msg,
                (unsigned long long)err.offset, err.path[0] ? ", at " : "", err.path);
        return 1;
    }
    for (size_t rg = 0; rg < pqf_row_group_count(f); rg++) {
        for (size_t col = 0; col < pqf_column_count(f); col++) {
            pqf_chunk c;
            pqf_column lc; /* filled on request: the footer keeps its schema compact */
            if (pqf_chunk_get(f, rg, col, &c) == PQF_OK && (c.has & PQF_CH_META) &&
                pqf_column_get(f, col, &lc) == PQF_OK)
                printf("row group %zu, %s: bytes [%lld, +%lld)\n", rg, lc.path.ptr,
                       (long long)c.start, (long long)c.length);
        }
    }
    printf("footer %llu bytes, kept in %zu bytes\n", (unsigned long long)pqf_footer_serialized_size(f),
           pqf_footer_bytes(f));
    pqf_footer_free(f);
    return 0;
}
