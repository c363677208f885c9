/* Host-only firmware loaders: flash window, input detection, Intel HEX (see bo_memimg.h). */
#include "bo_memimg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_hexstr.h"

int bo_memimg_init(bo_memimg_t *m, uint8_t *buf, uint32_t base, uint32_t cap)
{
    memset(m, 0, sizeof *m);
    memset(buf, 0xFF, cap);
    m->buf = buf;
    m->base = base;
    m->cap = cap;
    m->written = calloc((size_t)cap / 8u + 1u, 1);
    return m->written != NULL ? 0 : -1;
}

void bo_memimg_free(bo_memimg_t *m)
{
    free(m->written);
    m->written = NULL;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

int bo_memimg_put(bo_memimg_t *m, uint64_t addr, const uint8_t *data, size_t len)
{
    uint64_t lo = m->base, hi = lo + m->cap;
    uint64_t end = len > UINT64_MAX - addr ? UINT64_MAX : addr + len;
    m->work++;
    /* Outside the window only the count matters: no per-byte loop, whatever the size. */
    if (addr < lo) {
        m->skipped += min64(end, lo) - addr;
    }
    if (end > hi) {
        m->cropped += end - max64(addr, hi);
    }
    uint64_t first = max64(addr, lo), last = min64(end, hi);
    for (uint64_t a = first; a < last; a++) {
        uint32_t off = (uint32_t)(a - lo);
        uint8_t v = data[a - addr], bit = (uint8_t)(1u << (off & 7u));
        if ((m->written[off >> 3] & bit) != 0 && m->buf[off] != v) {
            m->conflict = a;
            return -1;
        }
        m->written[off >> 3] |= bit;
        m->buf[off] = v;
    }
    if (last > first) {
        m->work += last - first;
        m->end = (uint32_t)max64(m->end, last - lo);
    }
    return 0;
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
            if (bo_memimg_put(m, (uint64_t)upper + off, &rec[4], count) != 0) {
                snprintf(err, BO_ERRMSG_MAX,
                         "line %u: changes the byte at 0x%08" PRIX64 " an earlier record wrote: "
                         "which value to flash is ambiguous (remove the conflicting record)",
                         line, m->conflict);
                return -1;
            }
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
