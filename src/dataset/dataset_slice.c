/* pqf_dataset_slice(): a one-row-group slice of a dataset's file, through the
 * public pqf_footer_slice(). */

#include <stdint.h>

#include "dataset.h"

pqf_code pqf_dataset_slice(const pqf_dataset *ds, uint64_t global_rg, const uint32_t *columns, size_t num_columns,
                           uint32_t flags, pqf_write_fn write, void *ctx, pqf_error *err) {
    size_t file, rg;
    if (!ds) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "NULL dataset", 0, NULL);
        return PQF_ERR_INVALID_ARG;
    }
    pqf_code rc = pqf_dataset_locate_row_group(ds, global_rg, &file, &rg);
    if (rc) {
        pqf_ds_error(err, rc, "global row group out of range", 0, NULL);
        return rc;
    }
    pqf_dataset_file df;
    const pqf_footer *f = pqf_dataset_file_get(ds, file, &df) == PQF_OK ? df.footer : NULL;
    if (!f || rg > UINT32_MAX) {
        pqf_ds_error(err, PQF_ERR_INVALID_ARG, "no footer for that row group", 0, NULL);
        return PQF_ERR_INVALID_ARG;
    }
    uint32_t one = (uint32_t)rg;
    pqf_slice_options o = {&one, 1, columns, num_columns, flags};
    return pqf_footer_slice(f, &o, write, ctx, err);
}
