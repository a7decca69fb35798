/* The decode entry point: options, limits, memory, and cleanup. */
#include <stdlib.h>

#include "model.h"
#include "stats.h"
#include "model_encodings.h"
#include "template.h"

static void free_work(pqf_dec *d) {
    size_t cells = (size_t)(d->nrg_alloc * d->nslots);
    if (d->rgs) pqf_work_free(&d->mem, d->rgs, (size_t)(d->nrg_alloc ? d->nrg_alloc : 1) * sizeof(pqf_rg_rec));
    if (d->res) pqf_work_free(&d->mem, d->res, (cells ? cells : 1) * sizeof(pqf_res_rec));
    if (d->ext) pqf_work_free(&d->mem, d->ext, (cells ? cells : 1) * sizeof(pqf_chunk_ext_rec));
    d->rgs = NULL;
    d->res = NULL;
    d->res16 = NULL;
    d->res8 = NULL;
    d->ext = NULL;
    pqf_arena_release(&d->loop_work);
    pqf_arena_release(&d->work);
}

static uint64_t default_cap(size_t len) {
    uint64_t per = PQF_DEFAULT_MEM_PER_FOOTER_BYTE;
    if ((uint64_t)len > (UINT64_MAX - PQF_DEFAULT_MEM_BASE) / per) return UINT64_MAX;
    return (uint64_t)len * per + PQF_DEFAULT_MEM_BASE;
}

void pqf_dec_init(pqf_dec *d, const uint8_t *buf, size_t len, pqf_error *err, const pqf_allocator *alc,
                  uint64_t cap) {
    memset(d, 0, sizeof *d);
    pqf_cur_init(&d->cur, buf, len, PQF_DEFAULT_MAX_DEPTH, err);
    pqf_mem_init(&d->mem, alc, cap);
    pqf_arena_init(&d->work, &d->mem);
    pqf_arena_init(&d->loop_work, &d->mem);
}

pqf_footer *pqf_decode_impl(pqf_dctx *ctx, const uint8_t *footer, size_t len, uint64_t file_size,
                            const pqf_options *opt, pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    pqf_error_set(err, PQF_OK, "ok", 0);
    if (!footer && len) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "footer is NULL", 0);
        return NULL;
    }
    if (opt && opt->max_depth > PQF_MAX_DEPTH_LIMIT) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "max_depth above PQF_MAX_DEPTH_LIMIT", 0);
        return NULL;
    }
    pqf_dec d;
    pqf_dec_init(&d, footer, len, err, opt ? opt->allocator : NULL,
                 (opt && opt->max_memory) ? opt->max_memory : default_cap(len));
    d.mem.dctx = ctx;
    d.mem.huge_after = len >= PQF_HUGE_MIN_FOOTER ? 0 : PQF_HUGE_AFTER;
    /* Without a context, one for this decode once its work grows large, when
     * the memory is malloc's: the rest of its work then comes in huge pages
     * (mem.c), the page faults of a first decode being most of its cost. A
     * caller's allocator sees every block come and go as before. */
    d.mem.own_ok = !ctx && !(opt && opt->allocator && opt->allocator->alloc && opt->allocator->free);
    d.opt = opt;
    d.flags = opt ? opt->flags : 0;
    d.cur.max_depth = (opt && opt->max_depth) ? opt->max_depth : PQF_DEFAULT_MAX_DEPTH;
    d.file_size = file_size;
    /* Chunks live between the leading magic and the footer. */
    if (file_size && file_size >= (uint64_t)len + 8) d.data_end = file_size - len - 8;

    pqf_footer *f = NULL;
    if (pqf_decode_file_metadata(&d) == 0) f = pqf_model_build(&d);
    /* Statistics for pruning: a second walk, only when columns are named (stats_extract.c). */
    if (f && (pqf_enc_attach(&d, f) || (pqf_stats_wanted(opt) && pqf_stats_extract(&d, f) != 0))) {
        pqf_footer_free(f);
        f = NULL;
    }
    if (f) {
        f->serialized_size = len;
        f->file_size = file_size;
    } else {
        pqf_path_format(&d);
    }
    free_work(&d);
    if (d.mem.own_dctx) pqf_dctx_free(d.mem.dctx);
    return f;
}

const char *pqf_decode_path(void) {
#ifdef PQF_HAVE_WIDE
    if (pqf_cpu_wide()) return "avx512";
#endif
    return "portable";
}

pqf_footer *pqf_footer_decode(const void *footer, size_t len, const pqf_options *opt, pqf_error *err) {
    return pqf_dctx_decode(NULL, footer, len, opt, err);
}

pqf_footer *pqf_dctx_decode(pqf_dctx *ctx, const void *footer, size_t len, const pqf_options *opt,
                            pqf_error *err) {
    /* A file's footer length is a u32: a longer blob is no Parquet footer.
     * (Through a variable: on 32-bit targets the test is always false.) */
    uint64_t n = len;
    if (n > PQF_MAX_FOOTER_SIZE) {
        pqf_error_set(err, PQF_ERR_LIMIT, "footer longer than PQF_MAX_FOOTER_SIZE", 0);
        return NULL;
    }
    return pqf_decode_impl(ctx, footer, len, 0, opt, err);
}
