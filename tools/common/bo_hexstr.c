/* Host-only hex text parsing (see bo_hexstr.h). */
#include "bo_hexstr.h"

#include <string.h>

int bo_hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static const char *skip_0x(const char *t)
{
    return (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) ? t + 2 : t;
}

int bo_hex_decode(const char *text, uint8_t *out, size_t n)
{
    if (text == NULL) {
        return -1;
    }
    text = skip_0x(text);
    if (strlen(text) != 2u * n) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        int hi = bo_hex_digit(text[2 * i]), lo = bo_hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int bo_parse_u32(const char *text, int hex_only, uint32_t *out)
{
    if (text == NULL || *text == '\0') {
        return -1;
    }
    const char *p = skip_0x(text);
    unsigned base = (hex_only || p != text) ? 16u : 10u;
    if (*p == '\0') {
        return -1;
    }
    uint64_t v = 0;
    for (; *p != '\0'; p++) {
        int d = bo_hex_digit(*p);
        if (d < 0 || (unsigned)d >= base) {
            return -1;
        }
        v = v * base + (unsigned)d;
        if (v > 0xFFFFFFFFu) {
            return -1;
        }
    }
    *out = (uint32_t)v;
    return 0;
}
