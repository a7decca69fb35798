/*
 * Column-chunk layout templates: the fast path for the bulk of a footer.
 *
 * Chunk j of row group r+1 almost always has the byte layout of chunk j of
 * row group r: the same field headers, list headers, binary lengths and
 * varint lengths; only values differ. After the normal decoder has read a
 * chunk, we record its bytes with a mask per byte:
 *
 *   0xFF  structure (headers, lengths, kept strings): must be equal
 *   0x80  inner byte of a varint: only the continuation bit must be equal
 *   0x80 | forbidden bits   last byte of a varint at its type's maximum
 *         length: the bits the normal decoder would reject must stay zero
 *   0x00  free (bytes of a skipped binary or double)
 *
 * A later chunk whose bytes agree with the template under the mask is exactly
 * what the normal decoder would parse the same way, so its kept values can be
 * read at the recorded offsets. Any disagreement falls back to the normal
 * decoder, which refreshes the template.
 */
#ifndef PQF_TEMPLATE_H
#define PQF_TEMPLATE_H

#include "internal.h"

#define PQF_TMPL_MAX 384 /* longest chunk that gets a template */
#define PQF_TMPL_VALS 16

/* What a recorded varint holds. */
enum {
    TV_FO, TV_OI_OFF, TV_OI_LEN, TV_CI_OFF, TV_CI_LEN, TV_TYPE, TV_CODEC, TV_NV, TV_TUS, TV_TCS,
    TV_DPO, TV_DICT, TV_BF_OFF, TV_BF_LEN
};

typedef struct pqf_tmpl_val {
    uint16_t off;  /* in the chunk */
    uint8_t len;   /* varint bytes */
    uint8_t what;  /* TV_* */
    uint8_t wide;  /* 8-byte destination (else 4) */
    uint8_t ext;   /* destination in the ext record (else the chunk record) */
    uint16_t dst;  /* byte offset of the destination field */
} pqf_tmpl_val;

typedef struct pqf_tmpl {
    uint32_t len;    /* bytes of the chunk; 0 = no template */
    uint32_t has;    /* PQF_CH_* presence bits, fixed by the structure */
    uint32_t fpath;  /* file path id, fixed by the structure */
    int32_t type, codec; /* ColumnMetaData type and codec: recorded as structure */
    uint8_t nvals;
    pqf_tmpl_val vals[PQF_TMPL_VALS];
    uint8_t bytes[PQF_TMPL_MAX + 8];
    uint8_t mask[PQF_TMPL_MAX + 8];
} pqf_tmpl;

/* Record the chunk at [start, end) (already decoded by the normal path, with
 * has/fpath as it found them) as column col's template. */
void pqf_tmpl_build(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end, uint32_t has,
                    uint32_t fpath);

/* The same for a column outside the projection: only file_offset is read. */
void pqf_tmpl_build_skipped(pqf_dec *d, pqf_tmpl *t, const uint8_t *start, const uint8_t *end);

/* Try the template at the cursor. Returns 1 on a hit (values in rec/ext,
 * cursor advanced) or 0 on a miss (nothing changed). Bytes that match but
 * hold a value the normal decoder would refuse also give 0, so the normal
 * decoder reports the error. rec is NULL for a column outside the projection. */
int pqf_tmpl_apply(pqf_dec *d, const pqf_tmpl *t, pqf_chunk_rec *rec, pqf_chunk_ext_rec *ext);

#endif
