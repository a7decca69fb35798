/* The field tables (src/chunk_fields.h) against everything that must follow
 * them: every kept field reaches a model slot, a public member, the JSON
 * dump, and comes back right from the normal decoder and from templates
 * (row groups after the first take the template path). A field declared
 * kept but forgotten anywhere fails here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_support.h"
#include "chunk_fields.h"
#include "footer_builder.h"
#include "model.h"
#include "wire.h"

enum { NCOLS = 5 };

static const pqf_field_table *const tables[] = {&pqf_chunk_table, &pqf_meta_table};

/* What every kept field is written as, in row group rg and column c: values
 * distinct per field, row group and column, with the same varint length;
 * layout fields alike in every other column, so that templates and layouts
 * borrowed between columns serve these chunks too. */
static int64_t value_of(const pqf_field_table *tab, int16_t id, size_t rg, size_t c) {
    if (tab->field[id].kind == PQF_FK_LAYOUT) return id + (int64_t)(c % 2);
    return 3000 + (tab == &pqf_meta_table ? 400 : 0) + 20 * id + 200 * (int64_t)rg + (int64_t)c;
}
static const int32_t encodings[] = {0, 8, 3};

/* Write the fields of tab that the decoder keeps, from the table itself. */
static void write_fields(fb *w, const pqf_field_table *tab, size_t rg, size_t c) {
    for (int16_t id = 1; id < tab->n; id++) {
        const pqf_field *f = &tab->field[id];
        switch (f->kind) {
        case PQF_FK_VALUE:
        case PQF_FK_LAYOUT:
            if (f->ct == CT_I64) fb_i64f(w, id, value_of(tab, id, rg, c));
            else fb_i32f(w, id, (int32_t)value_of(tab, id, rg, c));
            break;
        case PQF_FK_FILE_PATH: fb_strf(w, id, "other.parquet"); break;
        case PQF_FK_META:
            fb_structf(w, id);
            write_fields(w, &pqf_meta_table, rg, c);
            fb_end(w);
            break;
        case PQF_FK_ENCODINGS:
            fb_listf(w, id, FB_I32, 3);
            for (size_t k = 0; k < 3; k++) fb_i32(w, encodings[k]);
            break;
        case PQF_FK_PATH: {
            char name[8];
            snprintf(name, sizeof name, "c%zu", c);
            fb_listf(w, id, FB_BINARY, 1);
            fb_str(w, name);
            break;
        }
        case PQF_FK_CRYPTO: /* only its presence is kept */
            fb_structf(w, id);
            fb_end(w);
            break;
        default: break; /* skipped fields: not written */
        }
    }
}

/* Every chunk is written whole by the table (the builder's own fields are left out). */
static int table_hook(void *ctx, fb *w, int level, size_t i, size_t j, int fid) {
    (void)ctx;
    if (level != FB_L_CC) return 1;
    if (fid == FB_AT_BEGIN) write_fields(w, &pqf_chunk_table, i, j);
    return 0;
}

/* The JSON dump into a memory stream. */
static int stream_write(void *ctx, const void *data, size_t len) {
    return fwrite(data, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

START_TEST(t_tables_well_formed) {
    int seen_model[CF_COUNT] = {0};
    for (size_t k = 0; k < sizeof tables / sizeof *tables; k++) {
        const pqf_field_table *tab = tables[k];
        ck_assert_ptr_null(tab->field[0].name);
        ck_assert_uint_le(tab->n, 32); /* ids are bits of a 32-bit seen mask */
        for (int16_t id = 1; id < tab->n; id++) {
            const pqf_field *f = &tab->field[id];
            ck_assert_msg(f->name != NULL, "%s field %d has no name", tab->name, id);
            if (f->kind == PQF_FK_SKIP) {
                ck_assert_int_eq(f->model, CF_COUNT);
                ck_assert_ptr_null(f->json);
                continue;
            }
            ck_assert_msg(f->ct != CT_STOP, "%s.%s: no wire type", tab->name, f->name);
            if (f->kind == PQF_FK_VALUE || f->kind == PQF_FK_LAYOUT) {
                ck_assert_msg(f->model < CF_COUNT, "%s.%s: kept but no model slot", tab->name, f->name);
                ck_assert_msg(!seen_model[f->model]++, "%s.%s: model slot taken twice", tab->name, f->name);
                ck_assert_msg(f->json != NULL, "%s.%s: kept but no JSON key", tab->name, f->name);
                ck_assert_msg(f->pub_size == 4 || f->pub_size == 8, "%s.%s: no public member", tab->name, f->name);
                ck_assert_uint_le(f->pub + f->pub_size, sizeof(pqf_chunk));
                ck_assert_uint_eq(f->maxlen, f->ct == CT_I64 ? 10 : 5);
            }
            if (f->kind == PQF_FK_VALUE) /* stored where templates store it */
                ck_assert_uint_lt(f->slot & (PQF_SLOT_EXT_BIT - 1),
                                  (f->slot & PQF_SLOT_EXT_BIT ? sizeof(pqf_chunk_ext_rec) : sizeof(pqf_chunk_rec)) / 8);
            if (!f->required) /* an optional kept field must say whether it was there */
                ck_assert_msg(f->has != 0, "%s.%s: optional but no has bit", tab->name, f->name);
        }
    }
}
END_TEST

/* Every kept field written with its own value, decoded with every option
 * that keeps it, on the portable and the wide path. */
START_TEST(t_every_kept_field_comes_back) {
    const size_t NRG = _i ? 12 : 1; /* templates per column, or layouts shared by columns */
    fb_footer F = {.version = 1, .num_rows = 1000 * (int64_t)NRG, .ncols = NCOLS, .nrg = NRG, .hook = table_hook};
    size_t len;
    uint8_t *b = fb_footer_encode(&F, &len);
    for (int portable = 0; portable < 2; portable++) {
        pqf_options o = {.flags = PQF_KEEP_PAGE_INDEX | PQF_KEEP_BLOOM | (portable ? PQF_PORTABLE : 0)};
        pqf_error err;
        pqf_footer *f = pqf_footer_decode(b, len, &o, &err);
        ck_assert_msg(f != NULL, "%s at %llu [%s]", err.msg, (unsigned long long)err.offset, err.path);
        struct { char *p; size_t n; } js = {0};
        FILE *ms = open_memstream(&js.p, &js.n);
        ck_assert_ptr_nonnull(ms);
        ck_assert_int_eq(pqf_footer_write_json(f, NULL, stream_write, ms), PQF_OK);
        ck_assert_int_eq(fclose(ms), 0);
        for (size_t rg = 0; rg < NRG; rg++)
            for (size_t c = 0; c < NCOLS; c++) {
                pqf_chunk ch;
                ck_assert_int_eq(pqf_chunk_get(f, rg, c, &ch), PQF_OK);
                for (size_t k = 0; k < sizeof tables / sizeof *tables; k++) {
                    const pqf_field_table *tab = tables[k];
                    for (int16_t id = 1; id < tab->n; id++) {
                        const pqf_field *fl = &tab->field[id];
                        if (fl->has) ck_assert_msg(ch.has & fl->has, "rg %zu col %zu: %s not flagged", rg, c, fl->name);
                        if (fl->kind != PQF_FK_VALUE && fl->kind != PQF_FK_LAYOUT) continue;
                        int64_t want = value_of(tab, id, rg, c), got;
                        if (fl->pub_size == 8) {
                            memcpy(&got, (const char *)&ch + fl->pub, 8);
                        } else {
                            int32_t g32;
                            memcpy(&g32, (const char *)&ch + fl->pub, 4);
                            got = g32;
                        }
                        ck_assert_msg(got == want, "rg %zu col %zu (%s): %s is %lld, wrote %lld", rg, c,
                                      portable ? "portable" : "default", fl->name, (long long)got, (long long)want);
                        char key[96];
                        snprintf(key, sizeof key, "\"%s\":%lld", fl->json, (long long)want);
                        ck_assert_msg(strstr(js.p, key) != NULL, "JSON lacks %s", key);
                    }
                }
                ck_assert_uint_eq(ch.num_encodings, 3);
                ck_assert_mem_eq(ch.encodings, encodings, sizeof encodings);
                ck_assert_uint_eq(ch.file_path.len, strlen("other.parquet"));
            }
        for (size_t k = 0; k < sizeof tables / sizeof *tables; k++) /* every key the tables name */
            for (int16_t id = 1; id < tables[k]->n; id++) {
                const char *key = tables[k]->field[id].json;
                char q[64];
                snprintf(q, sizeof q, "\"%s\":", key ? key : "");
                if (key) ck_assert_msg(strstr(js.p, q) != NULL, "JSON lacks %s", q);
            }
        free(js.p);
        pqf_footer_free(f);
    }
    free(b);
}
END_TEST

static Suite *make_suite(void) {
    Suite *s = suite_create("fields");
    TCase *tc = tcase_create("tables");
    tcase_add_test(tc, t_tables_well_formed);
    tcase_add_loop_test(tc, t_every_kept_field_comes_back, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

PQF_CHECK_MAIN()
