/* Public accessors over the compact model. */
#include <string.h>

#include "model.h"
#include "stats.h"
#include "model_encodings.h"

/* Residual of field f for row group rg, and the reference it is added to. */
static uint64_t residual(const pqf_footer *F, const pqf_packed_col *pc, unsigned f, uint64_t rg,
                         unsigned *ref) {
    if (!(pc->mask & (1u << f))) return 0;
    uint32_t e = pc->entry;
    uint64_t pos = pc->bitpos;
    for (uint32_t m = pc->mask & ((1u << f) - 1); m; m &= m - 1, e++) pos += EMETA_WIDTH(F->emeta[e]) * F->nrg;
    unsigned w = EMETA_WIDTH(F->emeta[e]);
    *ref = EMETA_REF(F->emeta[e]);
    return F->ebase[e] + pqf_get_bits(F->bits, pos + rg * w, w);
}

static uint64_t rg_value(const pqf_footer *F, uint64_t rg, unsigned f) {
    unsigned ref = pqf_rg_default_ref(f);
    uint64_t r = residual(F, &F->rg, f, rg, &ref);
    switch (ref) {
    case REF_RGBASE: return r + rg_value(F, rg, RF_BASE);
    case REF_INDEX: return r + rg;
    default: return r;
    }
}

/* Start and total_compressed_size of slot s: walks back along the chain of
 * columns predicted from their neighbour, at most PQF_CHAIN steps. */
static void start_and_tcs(const pqf_footer *F, uint64_t rg, uint32_t s, uint64_t *start, uint64_t *tcs) {
    uint32_t head = s;
    while (head > 0) {
        unsigned ref = pqf_chunk_default_ref(CF_START, head);
        pqf_packed_col pc = pqf_slot_col(F, head);
        (void)residual(F, &pc, CF_START, rg, &ref);
        if (ref != REF_PREV_END) break;
        head--;
    }
    uint64_t st = 0, len = 0;
    for (uint32_t k = head; k <= s; k++) {
        unsigned ref = pqf_chunk_default_ref(CF_START, k);
        pqf_packed_col pc = pqf_slot_col(F, k);
        uint64_t r = residual(F, &pc, CF_START, rg, &ref);
        uint64_t base = (ref == REF_PREV_END) ? st + len : (ref == REF_RGBASE ? rg_value(F, rg, RF_BASE) : 0);
        st = base + r;
        unsigned tref = pqf_chunk_default_ref(CF_TCS, k);
        len = residual(F, &pc, CF_TCS, rg, &tref);
    }
    *start = st;
    *tcs = len;
}

pqf_code pqf_chunk_get(const pqf_footer *F, size_t rg, size_t col, pqf_chunk *out) {
    if (!F || !out || rg >= F->nrg || col >= F->ncols) return PQF_ERR_INVALID_ARG;
    uint32_t s = pqf_col_slot(F->col_slot, F->slot_w, (uint32_t)col);
    if (s == UINT32_MAX) return PQF_ERR_NO_COLUMN;
    const pqf_packed_col col_pc = pqf_slot_col(F, s), *pc = &col_pc;

    uint64_t v[CF_COUNT];
    unsigned ref[CF_COUNT];
    for (unsigned f = 0; f < CF_COUNT; f++) {
        ref[f] = pqf_chunk_default_ref(f, s);
        v[f] = residual(F, pc, f, rg, &ref[f]);
    }
    uint64_t start, tcs;
    start_and_tcs(F, rg, s, &start, &tcs);
    v[CF_START] = start;
    v[CF_TCS] = tcs;
    for (unsigned f = 0; f < CF_COUNT; f++) {
        if (f == CF_START || f == CF_TCS) continue;
        uint64_t add;
        switch (ref[f]) {
        case REF_START: add = start; break;
        case REF_END: add = start + tcs; break;
        case REF_TCS: add = tcs; break;
        case REF_RGROWS: add = rg_value(F, rg, RF_NROWS); break;
        case REF_LEAF_TYPE: add = (uint64_t)(int64_t)pqf_leaf_type(F->sb, (uint32_t)col); break;
        case REF_META: add = PQF_CH_META; break;
        default: add = 0; break;
        }
        v[f] += add;
    }
    memset(out, 0, sizeof *out);
    uint32_t has = (uint32_t)v[CF_HAS];
    out->has = has;
    out->file_offset = (int64_t)v[CF_FO];
    if (has & PQF_CH_FILE_PATH) {
        uint64_t id = v[CF_FPATH];
        if (id >= 1 && id <= F->nfpaths) out->file_path = F->fpaths[id - 1];
    }
    if (has & PQF_CH_META) {
        out->start = (int64_t)start;
        out->length = (int64_t)tcs;
        out->total_compressed_size = (int64_t)tcs;
        out->total_uncompressed_size = (int64_t)v[CF_TUS];
        out->data_page_offset = (int64_t)v[CF_DPO];
        out->num_values = (int64_t)v[CF_NV];
        out->type = (int32_t)(int64_t)v[CF_TYPE];
        out->codec = (int32_t)(int64_t)v[CF_CODEC];
        if (has & PQF_CH_DICT) out->dictionary_page_offset = (int64_t)v[CF_DICT];
        out->encodings = pqf_enc_get(F->enc, rg, s, &out->num_encodings);
    }
    if (has & PQF_CH_OI_OFFSET) out->offset_index_offset = (int64_t)v[CF_OI_OFF];
    if (has & PQF_CH_OI_LENGTH) out->offset_index_length = (int32_t)(int64_t)v[CF_OI_LEN];
    if (has & PQF_CH_CI_OFFSET) out->column_index_offset = (int64_t)v[CF_CI_OFF];
    if (has & PQF_CH_CI_LENGTH) out->column_index_length = (int32_t)(int64_t)v[CF_CI_LEN];
    if (has & PQF_CH_BLOOM_OFFSET) out->bloom_filter_offset = (int64_t)v[CF_BF_OFF];
    if (has & PQF_CH_BLOOM_LENGTH) out->bloom_filter_length = (int32_t)(int64_t)v[CF_BF_LEN];
    return PQF_OK;
}

pqf_code pqf_row_group_get(const pqf_footer *F, size_t rg, pqf_row_group *out) {
    if (!F || !out || rg >= F->nrg) return PQF_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->num_rows = (int64_t)rg_value(F, rg, RF_NROWS);
    out->total_byte_size = (int64_t)rg_value(F, rg, RF_TBS);
    out->has = (uint32_t)rg_value(F, rg, RF_HAS);
    if (out->has & PQF_RG_FILE_OFFSET) out->file_offset = (int64_t)rg_value(F, rg, RF_FO);
    if (out->has & PQF_RG_TOTAL_COMPRESSED_SIZE) out->total_compressed_size = (int64_t)rg_value(F, rg, RF_TCS);
    if (out->has & PQF_RG_ORDINAL) out->ordinal = (int32_t)(int64_t)rg_value(F, rg, RF_ORD);
    return PQF_OK;
}

size_t pqf_row_group_count(const pqf_footer *F) { return F ? (size_t)F->nrg : 0; }
int32_t pqf_footer_version(const pqf_footer *F) { return F ? F->version : 0; }
int64_t pqf_footer_num_rows(const pqf_footer *F) { return F ? F->num_rows : 0; }
uint64_t pqf_footer_serialized_size(const pqf_footer *F) { return F ? F->serialized_size : 0; }
uint64_t pqf_footer_file_size(const pqf_footer *F) { return F ? F->file_size : 0; }
uint32_t pqf_footer_flags(const pqf_footer *F) { return F ? F->fflags : 0; }
uint32_t pqf_footer_options(const pqf_footer *F) { return F ? F->options : 0; }
size_t pqf_footer_bytes(const pqf_footer *F) {
    return F ? F->bytes + F->sb->bytes + (F->enc ? F->enc->bytes : 0) + pqf_stats_bytes(F) : 0;
}

pqf_str pqf_footer_created_by(const pqf_footer *F) {
    pqf_str none = {NULL, 0};
    return F ? F->created_by : none;
}

size_t pqf_column_order_count(const pqf_footer *F) { return (F && F->enc) ? F->enc->norders : 0; }

pqf_code pqf_column_order(const pqf_footer *F, size_t col, int *order) {
    if (!F || !order || col >= F->ncols) return PQF_ERR_INVALID_ARG;
    size_t n = pqf_column_order_count(F);
    /* The table stores 1 for TYPE_ORDER and 0 for a member this version does not know. */
    *order = !n ? PQF_ORDER_ABSENT
             : col < n && F->enc->orders[col] == 1 ? PQF_ORDER_TYPE_DEFINED : PQF_ORDER_UNKNOWN;
    return PQF_OK;
}

size_t pqf_kv_count(const pqf_footer *F) { return F ? F->nkv : 0; }

pqf_code pqf_kv_get(const pqf_footer *F, size_t i, pqf_str *key, pqf_str *value) {
    if (!F || i >= F->nkv) return PQF_ERR_INVALID_ARG;
    if (key) *key = F->kv[2 * i];
    if (value) *value = F->kv[2 * i + 1];
    return PQF_OK;
}

size_t pqf_schema_count(const pqf_footer *F) { return F ? F->nschema : 0; }

pqf_code pqf_schema_get(const pqf_footer *F, size_t i, pqf_schema_element *out) {
    if (!F || !out || i >= F->nschema) return PQF_ERR_INVALID_ARG;
    pqf_schema_fill(F->sb, (uint32_t)i, out);
    return PQF_OK;
}

size_t pqf_column_count(const pqf_footer *F) { return F ? F->ncols : 0; }
size_t pqf_projected_count(const pqf_footer *F) { return F ? F->nslots : 0; }

pqf_code pqf_column_get(const pqf_footer *F, size_t col, pqf_column *out) {
    if (!F || !out || col >= F->ncols) return PQF_ERR_INVALID_ARG;
    pqf_column_fill(F->sb, (uint32_t)col, out);
    return PQF_OK;
}

/* Whether leaf col's path is exactly the n bytes at path: its names, from the
 * leaf up, against the string's tail. */
static int path_is(const pqf_schema_block *sb, uint32_t col, const char *path, size_t n) {
    size_t end = n;
    for (uint32_t k = pqf_col_elem(sb, col); k > 0; k = pqf_se_parent(sb, k)) {
        pqf_str name = pqf_se_name(sb, k);
        if (name.len > end || memcmp(path + end - name.len, name.ptr, name.len) != 0) return 0;
        end -= name.len;
        if (pqf_se_parent(sb, k) == 0) return end == 0;
        if (end == 0 || path[end - 1] != '.') return 0;
        end--;
    }
    return 0;
}

pqf_code pqf_column_find(const pqf_footer *F, const char *path, size_t *col) {
    if (!F || !path || !col) return PQF_ERR_INVALID_ARG;
    size_t n = strlen(path);
    for (uint32_t c = 0; c < F->ncols; c++)
        if (path_is(F->sb, c, path, n)) {
            *col = c;
            return PQF_OK;
        }
    return PQF_ERR_NO_COLUMN;
}

pqf_code pqf_column_path_parts(const pqf_footer *F, size_t col, pqf_str *parts, size_t max,
                               size_t *depth_out) {
    if (!F || !depth_out || col >= F->ncols || (!parts && max)) return PQF_ERR_INVALID_ARG;
    const pqf_schema_block *sb = F->sb;
    size_t depth = 0;
    for (uint32_t k = pqf_col_elem(sb, col); k > 0; k = pqf_se_parent(sb, k)) depth++;
    size_t at = depth;
    for (uint32_t k = pqf_col_elem(sb, col); k > 0; k = pqf_se_parent(sb, k)) {
        at--;
        if (at < max) parts[at] = pqf_se_name(sb, k);
    }
    *depth_out = depth;
    return PQF_OK;
}

void pqf_footer_free(pqf_footer *F) {
    if (!F) return;
    pqf_schema_block_release(F->sb);
    pqf_allocator alc = F->alc;
    if (F->stats) alc.free(alc.ctx, F->stats, F->stats->bytes);
    pqf_enc_free(&alc, F->enc);
    alc.free(alc.ctx, F, F->bytes);
}
