/* Fuzz target: the host's Intel HEX and ELF loaders (tools/common/bo_memimg.c, bo_elf.c),
 * which place firmware into a flash window for `bleota image sign`.
 *
 * Input: one byte choosing the window (the signing default 0x01000200 + 0x7FE00, a 4 KiB window
 * at 0, 64 KiB at 0x01000000, the last 4 KiB of the address space) and the loader (by content
 * as the CLI does, or forced), then the file.
 * Properties:
 *  - the result is what an independent, naive reading of the same documented rules gives
 *    (reference loaders below: byte by byte, overlaps checked pair by pair): the same verdict
 *    and, when loaded, the same window bytes, end, and counts of bytes below and above it;
 *  - a failure names its reason (err is a non-empty C string);
 *  - the work is linear: m.work <= 2 * size + window (no per-byte loop outside the window, no
 *    quadratic overlap check);
 *  - round trip: the loaded window written out as Intel HEX and as ELF (one record/segment per
 *    run of written bytes) loads back to the same bytes. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/endian.h"
#include "bo_hexstr.h"
#include "bo_memimg.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WIN_MAX 0x7FE00u

typedef struct {
    uint32_t base, cap;
} win_t;

static const win_t wins[4] = {
    {0x01000200u, 0x7FE00u}, {0x00000000u, 0x1000u}, {0x01000000u, 0x10000u},
    {0xFFFFF000u, 0x1000u}};

/* ---- the reference: the documented rules, the slow and obvious way -------------------------- */
typedef struct {
    uint8_t buf[WIN_MAX];
    uint8_t written[WIN_MAX / 8u + 1u]; /* one bit per window byte, as bo_memimg_t's */
    uint64_t skipped, cropped;
    uint32_t end;
    uint32_t base, cap;
} ref_t;

static ref_t ref;

/* Only [0, end) of the last run was written: clearing that is enough (the window can be big). */
static void ref_init(uint32_t base, uint32_t cap)
{
    static bool first = true;
    if (first) {
        ref.end = WIN_MAX;
        first = false;
    }
    memset(ref.buf, 0xFF, ref.end);
    memset(ref.written, 0, ref.end / 8u + 1u);
    ref.skipped = ref.cropped = 0;
    ref.end = 0;
    ref.base = base;
    ref.cap = cap;
}

/* One byte at a 64-bit address; false on a conflicting rewrite. */
static bool ref_put(uint64_t a, uint8_t v)
{
    if (a < ref.base) {
        ref.skipped++;
    } else if (a >= (uint64_t)ref.base + ref.cap) {
        ref.cropped++;
    } else {
        uint32_t o = (uint32_t)(a - ref.base);
        uint8_t bit = (uint8_t)(1u << (o & 7u));
        if ((ref.written[o >> 3] & bit) && ref.buf[o] != v) {
            return false;
        }
        ref.written[o >> 3] |= bit;
        ref.buf[o] = v;
        ref.end = o + 1u > ref.end ? o + 1u : ref.end;
    }
    return true;
}

static int ref_ihex(const uint8_t *t, size_t len)
{
    uint64_t upper = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t eol = pos;
        while (eol < len && t[eol] != '\n') {
            eol++;
        }
        size_t n = eol - pos;
        if (n > 0 && t[pos + n - 1] == '\r') {
            n--;
        }
        const uint8_t *p = t + pos;
        pos = eol + 1;
        if (n == 0) {
            continue;
        }
        if (p[0] != ':' || (n - 1) % 2 != 0 || n - 1 < 10 || (n - 1) / 2 > 260) {
            return -1;
        }
        uint8_t rec[260];
        uint8_t sum = 0;
        for (size_t i = 0; i < (n - 1) / 2; i++) {
            int hi = bo_hex_digit((char)p[1 + 2 * i]), lo = bo_hex_digit((char)p[2 + 2 * i]);
            if (hi < 0 || lo < 0) {
                return -1;
            }
            rec[i] = (uint8_t)(hi * 16 + lo);
            sum = (uint8_t)(sum + rec[i]);
        }
        if (rec[0] + 5u != (n - 1) / 2 || sum != 0) {
            return -1;
        }
        uint8_t count = rec[0], type = rec[3];
        uint64_t off = (uint64_t)rec[1] * 256u + rec[2];
        if (type == 0) {
            for (uint32_t i = 0; i < count; i++) {
                if (!ref_put(upper + off + i, rec[4 + i])) {
                    return -1;
                }
            }
        } else if (type == 1) {
            return 0;
        } else if ((type == 2 || type == 4) && count == 2) {
            uint64_t v = (uint64_t)rec[4] * 256u + rec[5];
            upper = type == 2 ? v * 16u : v * 65536u;
        } else if (!((type == 3 || type == 5) && count == 4)) {
            return -1;
        }
    }
    return -1; /* no end-of-file record */
}

static int ref_elf(const uint8_t *d, size_t len)
{
    if (len < 52 || d[4] != 1 || d[5] != 1) {
        return -1;
    }
    uint64_t phoff = bo_get_le32(d + 28), phentsize = bo_get_le16(d + 42);
    uint64_t phnum = bo_get_le16(d + 44);
    if (phnum == 0 || phentsize < 32 || phoff + phnum * phentsize > len) {
        return -1;
    }
    static uint64_t lo[65536], hi[65536], off[65536];
    size_t n = 0;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = d + phoff + i * phentsize;
        uint64_t type = bo_get_le32(ph), o = bo_get_le32(ph + 4), pa = bo_get_le32(ph + 12);
        uint64_t fs = bo_get_le32(ph + 16);
        if (type != 1 || fs == 0) {
            continue;
        }
        if (o + fs > len || pa + fs > (1ull << 32)) {
            return -1;
        }
        lo[n] = pa;
        hi[n] = pa + fs;
        off[n] = o;
        n++;
    }
    if (n == 0) {
        return -1;
    }
    if (n <= 512) { /* every pair; beyond that, sorted neighbours (the same answer) */
        for (size_t i = 0; i < n; i++) {
            for (size_t j = i + 1; j < n; j++) {
                if (lo[i] < hi[j] && lo[j] < hi[i]) {
                    return -1;
                }
            }
        }
    } else {
        return -2; /* not compared */
    }
    for (size_t i = 0; i < n; i++) {
        for (uint64_t a = lo[i]; a < hi[i]; a++) {
            if (a >= ref.base && a < (uint64_t)ref.base + ref.cap) {
                (void)ref_put(a, d[off[i] + (a - lo[i])]);
            } else if (a < ref.base) {
                ref.skipped += (hi[i] < ref.base ? hi[i] : ref.base) - a;
                a = (hi[i] < ref.base ? hi[i] : ref.base) - 1u;
            } else {
                ref.cropped += hi[i] - a;
                break;
            }
        }
    }
    return 0;
}

/* ---- round trips -------------------------------------------------------------------------- */
static uint8_t out[4u * 1024u * 1024u];

static void hex_line(size_t *n, uint8_t type, uint16_t addr, const uint8_t *p, uint8_t count)
{
    uint8_t rec[4 + 255 + 1] = {count, (uint8_t)(addr >> 8), (uint8_t)addr, type};
    if (count > 0u) {
        memcpy(rec + 4, p, count);
    }
    uint8_t sum = 0;
    for (int i = 0; i < 4 + count; i++) {
        sum = (uint8_t)(sum + rec[i]);
    }
    rec[4 + count] = (uint8_t)(0u - sum);
    *n += (size_t)sprintf((char *)out + *n, ":");
    for (int i = 0; i < 5 + count; i++) {
        *n += (size_t)sprintf((char *)out + *n, "%02X", rec[i]);
    }
    *n += (size_t)sprintf((char *)out + *n, "\r\n");
}

static bool is_written(const bo_memimg_t *m, uint32_t o)
{
    return (m->written[o >> 3] >> (o & 7u)) & 1u;
}

static size_t write_hex(const bo_memimg_t *m)
{
    size_t n = 0;
    uint32_t upper = 0xFFFFFFFFu;
    for (uint32_t o = 0; o < m->end;) {
        if (!is_written(m, o)) {
            o = (o & 7u) == 0u && m->written[o >> 3] == 0u ? o + 8u : o + 1u;
            continue;
        }
        uint64_t a = (uint64_t)m->base + o;
        uint8_t cnt = 0;
        while (cnt < 32u && o + cnt < m->end && is_written(m, o + cnt) &&
               ((a + cnt) >> 16) == (a >> 16)) {
            cnt++;
        }
        if ((uint32_t)(a >> 16) != upper) {
            upper = (uint32_t)(a >> 16);
            uint8_t u[2] = {(uint8_t)(upper >> 8), (uint8_t)upper};
            hex_line(&n, 4, 0, u, 2);
        }
        hex_line(&n, 0, (uint16_t)a, m->buf + o, cnt);
        o += cnt;
    }
    hex_line(&n, 1, 0, NULL, 0);
    return n;
}

static size_t write_elf(const bo_memimg_t *m)
{
    uint32_t runs = 0;
    for (uint32_t o = 0; o < m->end; o++) {
        if ((o & 7u) == 0u && m->written[o >> 3] == 0u) {
            o += 7u; /* eight unwritten bytes */
            continue;
        }
        runs += is_written(m, o) && (o == 0 || !is_written(m, o - 1));
    }
    if (runs == 0u || runs > 0xFFFFu || 52u + 32u * runs + m->end > sizeof out) {
        return 0;
    }
    memset(out, 0, 52);
    memcpy(out, "\x7f" "ELF", 4);
    out[4] = 1;
    out[5] = 1;
    bo_put_le32(out + 28, 52);
    bo_put_le16(out + 42, 32);
    bo_put_le16(out + 44, (uint16_t)runs);
    size_t data = 52u + 32u * runs, k = 0;
    for (uint32_t o = 0; o < m->end;) {
        if (!is_written(m, o)) {
            o = (o & 7u) == 0u && m->written[o >> 3] == 0u ? o + 8u : o + 1u;
            continue;
        }
        uint32_t e = o;
        while (e < m->end && is_written(m, e)) {
            e++;
        }
        uint8_t *ph = out + 52 + 32 * k++;
        memset(ph, 0, 32);
        bo_put_le32(ph, 1);
        bo_put_le32(ph + 4, (uint32_t)data);
        bo_put_le32(ph + 8, m->base + o);  /* vaddr */
        bo_put_le32(ph + 12, m->base + o); /* paddr */
        bo_put_le32(ph + 16, e - o);
        bo_put_le32(ph + 20, e - o);
        memcpy(out + data, m->buf + o, e - o);
        data += e - o;
        o = e;
    }
    return data;
}

static uint8_t win_a[WIN_MAX], win_b[WIN_MAX];

static void round_trip(const bo_memimg_t *m, bool elf)
{
    size_t n = elf ? write_elf(m) : write_hex(m);
    if (n == 0) {
        return;
    }
    bo_memimg_t r;
    char err[BO_ERRMSG_MAX];
    /* a window of just the written span: everything written fits, nothing else is there */
    FZ_CHECK(bo_memimg_init(&r, win_b, m->base, m->end) == 0, "init");
    int rc = elf ? bo_elf_load(out, n, &r, err) : bo_ihex_load(out, n, &r, err);
    FZ_CHECK(rc == 0, "%s round trip refused: %s", elf ? "ELF" : "HEX", err);
    bool same = r.end == m->end && memcmp(r.buf, m->buf, m->end) == 0 && r.skipped == 0 &&
                r.cropped == 0 && memcmp(r.written, m->written, (m->end + 7u) / 8u) == 0;
    FZ_CHECK(same, "%s round trip differs", elf ? "ELF" : "HEX");
    bo_memimg_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0u) {
        return 0;
    }
    const win_t *w = &wins[data[0] & 3u];
    uint32_t how = (data[0] >> 2) & 3u;
    const uint8_t *file = data + 1;
    size_t len = size - 1u;
    bo_input_kind_t kind = bo_input_detect(file, len);
    bool elf = how == 2u || (how != 1u && kind == BO_INPUT_ELF);
    bool hex = how == 1u || (how != 2u && kind == BO_INPUT_IHEX);
    if (!elf && !hex) {
        return 0; /* raw binaries are copied as they are */
    }
    bo_memimg_t m;
    char err[BO_ERRMSG_MAX];
    memset(err, 0x55, sizeof err);
    FZ_CHECK(bo_memimg_init(&m, win_a, w->base, w->cap) == 0, "init");
    int rc = elf ? bo_elf_load(file, len, &m, err) : bo_ihex_load(file, len, &m, err);
    FZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
    FZ_CHECK(rc == 0 || (memchr(err, 0, sizeof err) != NULL && err[0] != '\0'),
             "a refusal without a reason");
    FZ_CHECK(m.work <= 2u * (uint64_t)len + w->cap + 16u, "work %llu for %zu bytes",
             (unsigned long long)m.work, len);

    ref_init(w->base, w->cap);
    int want = elf ? ref_elf(file, len) : ref_ihex(file, len);
    if (want != -2) {
        FZ_CHECK(rc == want, "%s loader says %d (%s), the reference %d", elf ? "ELF" : "HEX", rc,
                 rc ? err : "", want);
    }
    if (rc == 0 && want == 0) {
        /* [0, end) compared byte by byte; past end both must be untouched (0xFF, unwritten) */
        uint32_t end = m.end > ref.end ? m.end : ref.end;
        FZ_CHECK(m.end == ref.end && m.skipped == ref.skipped && m.cropped == ref.cropped &&
                     memcmp(m.buf, ref.buf, end) == 0,
                 "%s image differs from the reference (end %u/%u, skipped %llu/%llu, cropped "
                 "%llu/%llu)",
                 elf ? "ELF" : "HEX", m.end, ref.end, (unsigned long long)m.skipped,
                 (unsigned long long)ref.skipped, (unsigned long long)m.cropped,
                 (unsigned long long)ref.cropped);
        FZ_CHECK(memcmp(m.written, ref.written, (end + 7u) / 8u) == 0, "written map");
        uint32_t tail = w->cap - end < 4096u ? w->cap - end : 4096u;
        for (uint32_t o = end; o < end + tail; o++) {
            FZ_CHECK(m.buf[o] == 0xFFu && !is_written(&m, o), "written past end at %u", o);
        }
    }
    if (rc == 0) {
        round_trip(&m, false);
        round_trip(&m, true);
    }
    bo_memimg_free(&m);
    return 0;
}
