/* "a.b.c.d" version text <-> FLASH_IMG_REV, and the payload size the BZ2 writer accepts. */
#include "bleota/img.h"

/* One decimal field 0..255 at *p; leading zeros are refused so every value has exactly one
 * spelling and format(parse(text)) == text. Returns the number of characters or 0. */
static int parse_field(const char *p, uint32_t *val)
{
    uint32_t v = 0u;
    int n = 0;
    while (p[n] >= '0' && p[n] <= '9') {
        if (n == 3) {
            return 0;
        }
        v = v * 10u + (uint32_t)(p[n] - '0');
        n++;
    }
    if (n == 0 || v > 255u || (n > 1 && p[0] == '0')) {
        return 0;
    }
    *val = v;
    return n;
}

int bo_version_parse(const char *text, uint32_t *out)
{
    if (text == NULL || out == NULL) {
        return BO_ERR_ARG;
    }
    uint32_t v = 0u;
    const char *p = text;
    for (int i = 0; i < 4; i++) {
        uint32_t field;
        int n = parse_field(p, &field);
        if (n == 0) {
            return BO_ERR_FORMAT;
        }
        p += n;
        if (*p != (i < 3 ? '.' : '\0')) {
            return BO_ERR_FORMAT;
        }
        p++;
        v = (v << 8) | field;
    }
    *out = v;
    return BO_OK;
}

char *bo_version_format(uint32_t version, char buf[16])
{
    char *p = buf;
    for (int shift = 24; shift >= 0; shift -= 8) {
        unsigned f = (unsigned)((version >> shift) & 0xFFu);
        /* up to three digits, most significant first, no leading zeros (one loop: the
         * bootloader logs versions, and unrolled divisions cost it flash) */
        for (unsigned d = 100u; d > 0u; d /= 10u) {
            if (f >= d || d == 1u) {
                *p++ = (char)('0' + f / d % 10u);
            }
        }
        *p++ = shift > 0 ? '.' : '\0';
    }
    return buf;
}

int bo_img_check_payload_size(uint32_t size)
{
    if (size == 0u || size > BO_IMG_MAX_PAYLOAD) {
        return BO_ERR_RANGE;
    }
    return size % BO_IMG_UNIT == 0u ? BO_OK : BO_ERR_ALIGN;
}
