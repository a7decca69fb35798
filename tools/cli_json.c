/* cli_json.c -- the JSON string escaper used by the CLI's own JSON lines. */
#include "cli_json.h"

size_t pqf_cli_utf8_len(const unsigned char *p, size_t avail) {
    unsigned char b = p[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3;
        if (b == 0xE0) lo = 0xA0;
        if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4;
        if (b == 0xF0) lo = 0x90;
        if (b == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (avail < need || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < need; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return need;
}

void pqf_cli_json_string(FILE *fp, const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    fputc('"', fp);
    while (i < len) {
        unsigned char b = p[i];
        if (b >= 0x80) {
            size_t n = pqf_cli_utf8_len(p + i, len - i);
            if (n) {
                fwrite(p + i, 1, n, fp);
                i += n;
            } else {
                fputs("\xEF\xBF\xBD", fp);
                i++;
            }
            continue;
        }
        switch (b) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case 0x08: fputs("\\b", fp); break;
        case 0x0C: fputs("\\f", fp); break;
        case 0x0A: fputs("\\n", fp); break;
        case 0x0D: fputs("\\r", fp); break;
        case 0x09: fputs("\\t", fp); break;
        default:
            if (b < 0x20)
                fprintf(fp, "\\u%04x", b);
            else
                fputc(b, fp);
            break;
        }
        i++;
    }
    fputc('"', fp);
}
