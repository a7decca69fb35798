/* Literals in a column's order: exact decimal scaling into integer keys, dates and timestamps. */
#include <stdio.h>

#include "predicate.h"

#define KB PQF_KEY_BYTES

int pqf_num_valid(const char *s, size_t n) {
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
    }
    if (!digits) return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) i++;
        size_t e = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, e++;
        if (!e) return 0;
    }
    return i == n;
}

/* mag = mag * 10 + digit over KB big-endian bytes; returns 1 on overflow. */
static int mul10_add(uint8_t *mag, unsigned digit) {
    unsigned carry = digit;
    for (size_t i = KB; i-- > 0;) {
        unsigned v = mag[i] * 10u + carry;
        mag[i] = (uint8_t)v;
        carry = v >> 8;
    }
    return carry != 0 || (mag[0] & 0x80);
}

static void add_one(uint8_t *mag) {
    for (size_t i = KB; i-- > 0;) {
        if (++mag[i]) break;
    }
}

/* Key of a magnitude with a sign: two's complement, then the sign bit flipped. */
static void signed_key(const uint8_t *mag, int neg, uint8_t *key) {
    memcpy(key, mag, KB);
    if (neg) {
        for (size_t i = 0; i < KB; i++) key[i] = (uint8_t)~key[i];
        add_one(key);
    }
    key[0] ^= 0x80;
}

static void extreme_key(uint8_t *key, int high) { memset(key, high ? 0xFF : 0x00, KB); }

void pqf_num_to_keys(const char *s, size_t n, int32_t scale, uint8_t *floor_key, uint8_t *ceil_key, int *exact) {
    size_t i = 0;
    int neg = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    size_t d0 = i, nfrac = 0;
    int seen_point = 0;
    size_t mant_end = i;
    while (mant_end < n && ((s[mant_end] >= '0' && s[mant_end] <= '9') || s[mant_end] == '.')) mant_end++;
    int64_t exp10 = 0;
    if (mant_end < n) { /* exponent, clamped: anything past 10^6 saturates anyway */
        size_t j = mant_end + 1;
        int eneg = 0;
        if (j < n && (s[j] == '-' || s[j] == '+')) eneg = s[j++] == '-';
        for (; j < n; j++) exp10 = exp10 < 1000000 ? exp10 * 10 + (s[j] - '0') : exp10;
        if (eneg) exp10 = -exp10;
    }
    for (size_t j = d0; j < mant_end; j++) {
        if (s[j] == '.') seen_point = 1;
        else if (seen_point) nfrac++;
    }
    /* value = digits * 10^shift */
    int64_t shift = exp10 - (int64_t)nfrac + scale;
    int64_t ndig = (int64_t)(mant_end - d0 - (size_t)seen_point);
    int64_t keep = shift >= 0 ? ndig : ndig + shift; /* digits that stay left of the point */
    uint8_t mag[KB];
    memset(mag, 0, KB);
    int over = 0, inexact = 0;
    int64_t k = 0;
    for (size_t j = d0; j < mant_end; j++) {
        if (s[j] == '.') continue;
        unsigned dg = (unsigned)(s[j] - '0');
        if (k < keep) {
            if (!over) over = mul10_add(mag, dg);
        } else if (dg) {
            inexact = 1;
        }
        k++;
    }
    for (int64_t z = 0; shift > 0 && z < shift && !over; z++) {
        int nonzero = 0;
        for (size_t b = 0; b < KB; b++) nonzero |= mag[b];
        if (!nonzero) break; /* zero stays zero */
        over = mul10_add(mag, 0);
    }
    over |= (mag[0] & 0xC0) != 0; /* keep headroom for the +1 below; no column value comes near */
    *exact = !inexact && !over;
    if (over) {
        extreme_key(floor_key, !neg);
        extreme_key(ceil_key, !neg);
        return;
    }
    /* positive: floor = mag, ceil = mag + inexact; negative: floor = -(mag + inexact), ceil = -mag */
    uint8_t up[KB];
    memcpy(up, mag, KB);
    if (inexact) add_one(up);
    signed_key(neg ? up : mag, neg, floor_key);
    signed_key(neg ? mag : up, neg, ceil_key);
}

void pqf_int_key(const uint8_t *p, size_t n, int le, int is_signed, uint8_t *key) {
    uint8_t top = n ? p[le ? n - 1 : 0] : 0;
    uint8_t fill = (is_signed && (top & 0x80)) ? 0xFF : 0x00;
    memset(key, fill, KB);
    for (size_t i = 0; i < n; i++) key[KB - 1 - i] = le ? p[i] : p[n - 1 - i];
    key[0] ^= 0x80;
}

void pqf_double_key(double v, uint8_t *key) {
    if (v == 0) v = 0; /* -0.0 and +0.0 are one value numerically */
    uint64_t b;
    memcpy(&b, &v, 8);
    b = (b >> 63) ? ~b : b | (UINT64_C(1) << 63);
    for (int i = 0; i < 8; i++) key[i] = (uint8_t)(b >> (56 - 8 * i));
}

static int digits(const char *s, size_t n, int64_t *out) {
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days from the civil date, proleptic Gregorian (eras of 400 years). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int pqf_parse_date(const char *s, size_t n, int64_t *days) {
    int64_t y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-') return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d)) return -1;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

size_t pqf_timestamp_seconds(const char *s, size_t n, char *out, size_t cap) {
    int64_t days, h = 0, mi = 0, sec = 0;
    if (n < 10 || pqf_parse_date(s, 10, &days)) return 0;
    const char *frac = "";
    size_t nfrac = 0;
    if (n > 10) {
        if (n < 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':') return 0;
        if (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec)) return 0;
        if (h > 23 || mi > 59 || sec > 59) return 0;
        if (n > 19) {
            if (s[19] != '.' || n == 20 || n > 29) return 0;
            int64_t ignored;
            frac = s + 20;
            nfrac = n - 20;
            if (digits(frac, nfrac, &ignored)) return 0;
        }
    }
    int64_t total = days * 86400 + h * 3600 + mi * 60 + sec;
    int w = snprintf(out, cap, "%lld.%.*s", (long long)total, (int)nfrac, frac);
    if (w <= 0 || (size_t)w >= cap) return 0;
    if (nfrac == 0) w--; /* drop the lone point */
    return (size_t)w;
}

/* A number as sign, significant digits (no leading or trailing zeros) and a
 * power of ten; 0 when it has more digits than the buffer holds. */
typedef struct canon_num {
    int neg;
    size_t n;
    int64_t exp10;
    char d[1200];
} canon_num;

static int canonical(const char *s, size_t len, canon_num *c) {
    size_t i = 0, nfrac = 0;
    int point = 0;
    c->neg = 0;
    c->n = 0;
    int64_t e = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) c->neg = s[i++] == '-';
    for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
        if (s[i] == '.') {
            point = 1;
            continue;
        }
        nfrac += point;
        if (c->n == 0 && s[i] == '0') continue; /* leading zero */
        if (c->n == sizeof c->d) return 0;
        c->d[c->n++] = s[i];
    }
    if (i < len) { /* exponent */
        int eneg = 0;
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
        for (; i < len; i++) e = e < 100000000 ? e * 10 + (s[i] - '0') : e;
        if (eneg) e = -e;
    }
    c->exp10 = e - (int64_t)nfrac;
    while (c->n && c->d[c->n - 1] == '0') c->n--, c->exp10++;
    if (c->n == 0) c->neg = 0, c->exp10 = 0;
    return 1;
}

int pqf_double_exact(const char *txt, size_t len, double d) {
    if (d != d || d - d != 0) return 0; /* NaN or infinite */
    double x = d;
    int k = 0;
    while ((x < 0 ? -x : x) < 4503599627370496.0 && x != (double)(int64_t)x) {
        x *= 2;
        k++;
    }
    char buf[1600];
    int w = snprintf(buf, sizeof buf, "%.*f", k, d);
    if (w <= 0 || (size_t)w >= sizeof buf) return 0;
    canon_num ca[2];
    int same = canonical(txt, len, &ca[0]) && canonical(buf, (size_t)w, &ca[1]) && ca[0].neg == ca[1].neg &&
               ca[0].n == ca[1].n && ca[0].exp10 == ca[1].exp10 && memcmp(ca[0].d, ca[1].d, ca[0].n) == 0;
    return same;
}

/* IEEE half precision (FLOAT16, little-endian bits) to double, exactly. */
double pqf_half_to_double(uint16_t h) {
    int exp = (h >> 10) & 0x1f, man = h & 0x3ff;
    double v;
    if (exp == 31) {
        v = man ? 0.0 / 0.0 : 1.0 / 0.0;
    } else {
        v = exp ? 1024 + man : man;
        for (int e = (exp ? exp : 1) - 25; e < 0; e++) v /= 2;
        for (int e = (exp ? exp : 1) - 25; e > 0; e--) v *= 2;
    }
    return (h >> 15) ? -v : v;
}

int pqf_half_exact(double d) {
    double m = d < 0 ? -d : d;
    uint16_t lo = 0, hi = 0x7C00; /* positive finite halves and +inf, in increasing order */
    while (lo < hi) {
        uint16_t mid = (uint16_t)(lo + (hi - lo) / 2);
        if (pqf_half_to_double(mid) < m) lo = (uint16_t)(mid + 1);
        else hi = mid;
    }
    return pqf_half_to_double(lo) == m;
}
