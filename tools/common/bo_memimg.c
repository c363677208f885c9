/* Host-only firmware loaders: flash window, input detection, Intel HEX (see bo_memimg.h). */
#include "bo_memimg.h"

#include <stdio.h>
#include <string.h>

#include "bo_hexstr.h"

void bo_memimg_init(bo_memimg_t *m, uint8_t *buf, uint32_t base, uint32_t cap)
{
    memset(buf, 0xFF, cap);
    m->buf = buf;
    m->base = base;
    m->cap = cap;
    m->end = 0;
    m->skipped = 0;
    m->cropped = 0;
}

void bo_memimg_put(bo_memimg_t *m, uint64_t addr, const uint8_t *data, size_t len)
{
    uint64_t lo = m->base, hi = (uint64_t)m->base + m->cap;
    for (size_t i = 0; i < len; i++) {
        uint64_t a = addr + i;
        if (a < lo) {
            m->skipped++;
        } else if (a >= hi) {
            m->cropped++;
        } else {
            uint32_t off = (uint32_t)(a - lo);
            m->buf[off] = data[i];
            if (off + 1u > m->end) {
                m->end = off + 1u;
            }
        }
    }
}

bo_input_kind_t bo_input_detect(const uint8_t *data, size_t len)
{
    if (len >= 4 && data[0] == 0x7F && data[1] == 'E' && data[2] == 'L' && data[3] == 'F') {
        return BO_INPUT_ELF;
    }
    if (len >= 1 && data[0] == ':') {
        return BO_INPUT_IHEX;
    }
    return BO_INPUT_RAW;
}

const char *bo_input_name(bo_input_kind_t kind)
{
    return kind == BO_INPUT_ELF ? "ELF" : kind == BO_INPUT_IHEX ? "Intel HEX" : "raw binary";
}

/* Decodes one record's hex digits (after ':') into rec; returns the byte count or -1. */
static int ihex_record(const uint8_t *p, size_t n, uint8_t rec[260])
{
    if (n < 10 || n % 2 != 0 || n / 2 > 260) {
        return -1;
    }
    uint8_t sum = 0;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = bo_hex_digit((char)p[2 * i]), lo = bo_hex_digit((char)p[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        rec[i] = (uint8_t)(hi << 4 | lo);
        sum = (uint8_t)(sum + rec[i]);
    }
    if ((size_t)rec[0] + 5u != n / 2 || sum != 0) {
        return -2;
    }
    return (int)(n / 2);
}

int bo_ihex_load(const uint8_t *text, size_t len, bo_memimg_t *m, char err[BO_ERRMSG_MAX])
{
    uint32_t upper = 0; /* from record 02 (segment << 4) or 04 (linear << 16) */
    unsigned line = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t eol = pos;
        while (eol < len && text[eol] != '\n') {
            eol++;
        }
        size_t n = eol - pos;
        if (n > 0 && text[pos + n - 1] == '\r') {
            n--;
        }
        line++;
        const uint8_t *p = text + pos;
        pos = eol + 1;
        if (n == 0) {
            continue;
        }
        uint8_t rec[260];
        int r = (p[0] == ':') ? ihex_record(p + 1, n - 1, rec) : -1;
        if (r < 0) {
            snprintf(err, BO_ERRMSG_MAX, "line %u: %s", line,
                     r == -2 ? "bad record length or checksum" : "not an Intel HEX record");
            return -1;
        }
        uint8_t count = rec[0], type = rec[3];
        uint32_t off = (uint32_t)rec[1] << 8 | rec[2];
        if (type == 0x00) {
            bo_memimg_put(m, (uint64_t)upper + off, &rec[4], count);
        } else if (type == 0x01) {
            return 0;
        } else if ((type == 0x02 || type == 0x04) && count == 2) {
            uint32_t v = (uint32_t)rec[4] << 8 | rec[5];
            upper = type == 0x02 ? v << 4 : v << 16;
        } else if ((type == 0x03 || type == 0x05) && count == 4) {
            /* start address: not part of the flash image */
        } else {
            snprintf(err, BO_ERRMSG_MAX, "line %u: unsupported record type %02X", line, type);
            return -1;
        }
    }
    snprintf(err, BO_ERRMSG_MAX, "no end-of-file record (truncated?)");
    return -1;
}
