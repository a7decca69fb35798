/* cli_schema.c -- print the schema tree of a footer for humans. */
#include "cli_schema.h"

#include "cli_common.h"
#include "cli_names.h"

static void print_element(FILE *fp, const pqf_schema_element *e, int indent) {
    pqf_cli_name_buf nb;
    uint32_t h = e->has;
    int is_group = e->column < 0;

    fprintf(fp, "%*s", indent + 2 * (int)e->depth, "");
    if (e->name.ptr) pqf_cli_put_text(fp, e->name.ptr, e->name.len);
    fputs(":", fp);
    if (h & PQF_SE_REPETITION) fprintf(fp, " %s", pqf_cli_repetition_name(e->repetition, &nb));
    if (e->parent < 0) fputs(" root", fp);
    if (is_group) {
        long n = (h & PQF_SE_NUM_CHILDREN) ? (long)e->num_children : 0;
        fprintf(fp, " group, %ld %s", n, n == 1 ? "child" : "children");
    } else if (h & PQF_SE_TYPE) {
        fprintf(fp, " %s", pqf_cli_type_name(e->type, &nb));
        if (h & PQF_SE_TYPE_LENGTH) fprintf(fp, "(%ld)", (long)e->type_length);
    } else {
        fputs(" (no type)", fp);
    }
    if ((h & PQF_SE_LOGICAL_TYPE) && e->logical.kind != PQF_LT_NONE) {
        fputs(", logical ", fp);
        pqf_cli_print_logical(fp, &e->logical);
    }
    if (h & PQF_SE_CONVERTED_TYPE)
        fprintf(fp, ", converted %s", pqf_cli_converted_name(e->converted_type, &nb));
    if (h & PQF_SE_PRECISION) fprintf(fp, ", precision %ld", (long)e->precision);
    if (h & PQF_SE_SCALE) fprintf(fp, ", scale %ld", (long)e->scale);
    if (e->parent >= 0) fprintf(fp, ", def %d, rep %d", (int)e->max_def, (int)e->max_rep);
    if (h & PQF_SE_FIELD_ID) fprintf(fp, ", field_id %ld", (long)e->field_id);
    if (!is_group) fprintf(fp, ", column %ld", (long)e->column);
    fputc('\n', fp);
}

void pqf_cli_print_schema(FILE *fp, const pqf_footer *f, int indent) {
    size_t n = pqf_schema_count(f);
    for (size_t i = 0; i < n; i++) {
        pqf_schema_element e_v;
        const pqf_schema_element *e = pqf_schema_get(f, i, &e_v) == PQF_OK ? &e_v : NULL;
        if (e) print_element(fp, e, indent);
    }
}
