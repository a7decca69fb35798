/* The field tables of ColumnChunk and ColumnMetaData (chunk_fields.h), as the
 * IDL declares them (../shared/reference: parquet-footer.thrift). */
#include "chunk_fields.h"
#include "model.h"
#include "wire.h"

#define PUB(m) .pub = (uint16_t)offsetof(pqf_chunk, m), .pub_size = (uint8_t)sizeof(((pqf_chunk *)0)->m)
/* A non-negative integer kept in slot s. */
#define VALUE(t, s) .kind = PQF_FK_VALUE, .ct = (t), .slot = (s), .maxlen = (t) == CT_I64 ? 10 : 5
/* Skipped by its declared shape. */
#define SKIP(sh) .kind = PQF_FK_SKIP, .shape = (sh), .model = CF_COUNT

static const pqf_field chunk_fields[] = {
    [1] = {.name = "file_path", .kind = PQF_FK_FILE_PATH, .ct = CT_BINARY, .needs = PQF_FN_PROJECTED,
           .model = CF_FPATH, .has = PQF_CH_FILE_PATH, .json = "file_path"},
    [2] = {.name = "file_offset", VALUE(CT_I64, PQF_SLOT_REC(fo)), .required = 1, .model = CF_FO,
           .json = "file_offset", PUB(file_offset)},
    [3] = {.name = "meta_data", .kind = PQF_FK_META, .ct = CT_STRUCT, .needs = PQF_FN_PROJECTED,
           .shape = PQF_SHAPE_COLUMN_META, .model = CF_COUNT, .has = PQF_CH_META},
    [4] = {.name = "offset_index_offset", VALUE(CT_I64, PQF_SLOT_EXT(oi_off)), .needs = PQF_FN_PAGE_INDEX,
           .model = CF_OI_OFF, .has = PQF_CH_OI_OFFSET, .json = "offset_index_offset", PUB(offset_index_offset)},
    [5] = {.name = "offset_index_length", VALUE(CT_I32, PQF_SLOT_EXT(oi_len)), .needs = PQF_FN_PAGE_INDEX,
           .model = CF_OI_LEN, .has = PQF_CH_OI_LENGTH, .json = "offset_index_length", PUB(offset_index_length)},
    [6] = {.name = "column_index_offset", VALUE(CT_I64, PQF_SLOT_EXT(ci_off)), .needs = PQF_FN_PAGE_INDEX,
           .model = CF_CI_OFF, .has = PQF_CH_CI_OFFSET, .json = "column_index_offset", PUB(column_index_offset)},
    [7] = {.name = "column_index_length", VALUE(CT_I32, PQF_SLOT_EXT(ci_len)), .needs = PQF_FN_PAGE_INDEX,
           .model = CF_CI_LEN, .has = PQF_CH_CI_LENGTH, .json = "column_index_length", PUB(column_index_length)},
    [8] = {.name = "crypto_metadata", .kind = PQF_FK_CRYPTO, .ct = CT_STRUCT, .shape = PQF_SHAPE_CRYPTO,
           .model = CF_COUNT, .has = PQF_CH_CRYPTO},
    [9] = {.name = "encrypted_column_metadata", SKIP(PQF_SHAPE_ANY)},
};

static const pqf_field meta_fields[] = {
    [1] = {.name = "type", .kind = PQF_FK_LAYOUT, .ct = CT_I32, .slot = offsetof(pqf_chunk_rec, type), .maxlen = 5,
           .required = 1, .model = CF_TYPE, .json = "type", PUB(type)},
    [2] = {.name = "encodings", .kind = PQF_FK_ENCODINGS, .ct = CT_LIST, .required = 1,
           .shape = PQF_SHAPE_LIST_I32, .model = CF_COUNT, .json = "encodings"},
    [3] = {.name = "path_in_schema", .kind = PQF_FK_PATH, .ct = CT_LIST, .required = 1,
           .shape = PQF_SHAPE_LIST_BINARY, .model = CF_COUNT, .json = "path_in_schema"},
    [4] = {.name = "codec", .kind = PQF_FK_LAYOUT, .ct = CT_I32, .slot = offsetof(pqf_chunk_rec, codec), .maxlen = 5,
           .required = 1, .model = CF_CODEC, .json = "codec", PUB(codec)},
    [5] = {.name = "num_values", VALUE(CT_I64, PQF_SLOT_REC(nv)), .required = 1, .model = CF_NV,
           .json = "num_values", PUB(num_values)},
    [6] = {.name = "total_uncompressed_size", VALUE(CT_I64, PQF_SLOT_REC(tus)), .required = 1, .model = CF_TUS,
           .json = "total_uncompressed_size", PUB(total_uncompressed_size)},
    [7] = {.name = "total_compressed_size", VALUE(CT_I64, PQF_SLOT_REC(tcs)), .required = 1, .model = CF_TCS,
           .json = "total_compressed_size", PUB(total_compressed_size)},
    [8] = {.name = "key_value_metadata", SKIP(PQF_SHAPE_LIST_STRUCT)},
    [9] = {.name = "data_page_offset", VALUE(CT_I64, PQF_SLOT_REC(dpo)), .required = 1, .model = CF_DPO,
           .json = "data_page_offset", PUB(data_page_offset)},
    [10] = {.name = "index_page_offset", SKIP(PQF_SHAPE_ANY)},
    [11] = {.name = "dictionary_page_offset", VALUE(CT_I64, PQF_SLOT_REC(dict)), .model = CF_DICT,
            .has = PQF_CH_DICT, .json = "dictionary_page_offset", PUB(dictionary_page_offset)},
    [12] = {.name = "statistics", SKIP(PQF_SHAPE_ANY)},
    [13] = {.name = "encoding_stats", SKIP(PQF_SHAPE_LIST_STRUCT)},
    [14] = {.name = "bloom_filter_offset", VALUE(CT_I64, PQF_SLOT_EXT(bf_off)), .needs = PQF_FN_BLOOM,
            .model = CF_BF_OFF, .has = PQF_CH_BLOOM_OFFSET, .json = "bloom_filter_offset", PUB(bloom_filter_offset)},
    [15] = {.name = "bloom_filter_length", VALUE(CT_I32, PQF_SLOT_EXT(bf_len)), .needs = PQF_FN_BLOOM,
            .model = CF_BF_LEN, .has = PQF_CH_BLOOM_LENGTH, .json = "bloom_filter_length", PUB(bloom_filter_length)},
    [16] = {.name = "size_statistics", SKIP(PQF_SHAPE_SIZE_STATS)},
    [17] = {.name = "geospatial_statistics", SKIP(PQF_SHAPE_GEO_STATS)},
};

const pqf_field_table pqf_chunk_table = {"ColumnChunk", "ColumnChunk lacks a required field", chunk_fields,
                                         sizeof chunk_fields / sizeof *chunk_fields};
const pqf_field_table pqf_meta_table = {"ColumnMetaData", "ColumnMetaData lacks a required field", meta_fields,
                                        sizeof meta_fields / sizeof *meta_fields};
