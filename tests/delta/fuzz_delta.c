/* Fuzz target: the delta patch decoder (src/delta/delta_dec.c), the parser of patch bytes that
 * come over the air. Input: a mode byte, then
 *   mode even (raw):    u16 target_len - 1, u8 split seed, then the patch bytes after the header;
 *   mode odd (recipe):  u8 split seed, u8 edits, edits x (u16 at, u8 len, u8 byte) applied to the
 *                       base to make a target, then the patch the host encoder makes for it
 *                       gets u8 flips x (u16 at, u8 xor), the rest of the input.
 * Properties: the base is never read outside [0, base_len) and no byte is written past
 * target_len; the only errors are FORMAT (and ARG never); the same bytes fed whole and in 1-7
 * byte pieces give the same result and output; an unchanged encoder patch rebuilds its target
 * exactly, and a finished decode always produced exactly target_len bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/delta.h"
#include "delta_enc.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE_LEN 3000u
#define TARGET_MAX 8192u

typedef struct {
    const uint8_t *base;
    uint8_t out[TARGET_MAX];
    uint32_t n, cap;
} sink_t;

static int rd(void *ctx, uint32_t off, uint8_t *buf, uint32_t len)
{
    sink_t *s = ctx;
    FZ_CHECK(off <= BASE_LEN && len <= BASE_LEN - off, "base read [%u, +%u)", off, len);
    memcpy(buf, s->base + off, len);
    return BO_OK;
}

static int wr(void *ctx, const uint8_t *d, uint32_t len)
{
    sink_t *s = ctx;
    FZ_CHECK(len <= s->cap - s->n, "write past target_len (%u + %u > %u)", s->n, len, s->cap);
    memcpy(s->out + s->n, d, len);
    s->n += len;
    return BO_OK;
}

static const uint8_t *base(void)
{
    static uint8_t b[BASE_LEN];
    static int done;
    if (!done) {
        uint32_t x = 0x9E3779B9u;
        for (uint32_t i = 0; i < BASE_LEN; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            b[i] = (i % 4u == 3u) ? (uint8_t)(0x20u + (x & 7u)) : (uint8_t)x; /* code-like */
        }
        done = 1;
    }
    return b;
}

/* Decodes body (the patch after its header) for target_len: whole when seed == 0, else in
 * pieces of 1-7 bytes. Returns the finish result; *s holds the output. */
static int decode(const uint8_t *body, size_t len, uint32_t target_len, uint8_t seed, sink_t *s)
{
    bo_delta_t d;
    bo_delta_hdr_t h = {.target_len = target_len, .base_len = BASE_LEN};
    bo_delta_io_t io = {rd, wr, s};
    s->base = base();
    s->n = 0;
    s->cap = target_len;
    int rc = bo_delta_begin(&d, &h, &io, BO_DELTA_HDR_SIZE, 0);
    FZ_CHECK(rc == BO_OK, "begin %d", rc);
    uint32_t r = seed;
    for (size_t i = 0; i < len && rc == BO_OK;) {
        size_t n = len - i;
        if (seed != 0u) {
            r = r * 1103515245u + 12345u;
            n = 1u + (r >> 16) % 7u;
            n = n < len - i ? n : len - i;
        }
        rc = bo_delta_feed(&d, body + i, n);
        i += n;
    }
    if (rc == BO_OK) {
        rc = bo_delta_finish(&d);
    }
    FZ_CHECK(rc == BO_OK || rc == BO_ERR_FORMAT, "result %d", rc);
    FZ_CHECK(rc != BO_OK || s->n == target_len, "finished with %u of %u bytes", s->n, target_len);
    return rc;
}

static void both_ways(const uint8_t *body, size_t len, uint32_t target_len, uint8_t seed,
                      const uint8_t *expect)
{
    static sink_t a, b;
    int ra = decode(body, len, target_len, 0, &a);
    int rb = decode(body, len, target_len, (uint8_t)(seed | 1u), &b);
    FZ_CHECK(ra == rb, "whole %d, in pieces %d", ra, rb);
    FZ_CHECK(ra != BO_OK || memcmp(a.out, b.out, target_len) == 0, "outputs differ");
    if (expect != NULL) {
        FZ_CHECK(ra == BO_OK && memcmp(a.out, expect, target_len) == 0,
                 "an encoder patch did not rebuild its target (%d)", ra);
    }
}

static void raw(fz_in_t *c)
{
    uint32_t target_len = 1u + fz_u16(c) % TARGET_MAX;
    uint8_t seed = fz_u8(c);
    both_ways(c->p, c->n, target_len, seed, NULL);
}

static void recipe(fz_in_t *c)
{
    static uint8_t target[TARGET_MAX];
    uint8_t seed = fz_u8(c), edits = fz_u8(c) % 16u;
    uint32_t len = BASE_LEN;
    memcpy(target, base(), BASE_LEN);
    for (uint8_t k = 0; k < edits; k++) { /* overwrite or insert runs of a byte */
        uint32_t at = fz_u16(c) % len;
        uint8_t n = fz_u8(c), v = fz_u8(c);
        if ((n & 0x80u) && len + (n & 0x7Fu) <= TARGET_MAX) {
            memmove(target + at + (n & 0x7Fu), target + at, len - at);
            len += n & 0x7Fu;
        }
        for (uint32_t i = 0; i < (n & 0x7Fu) && at + i < len; i++) {
            target[at + i] = (uint8_t)(v + i * (v & 3u));
        }
    }
    bo_delta_hdr_t h = {0};
    uint8_t *patch = NULL;
    size_t plen = 0;
    char err[128];
    FZ_CHECK(bo_delta_make(base(), BASE_LEN, target, len, &h, &patch, &plen, NULL, err,
                           sizeof err) == 0,
             "encoder: %s", err);
    uint8_t flips = fz_u8(c) % 8u;
    for (uint8_t k = 0; k < flips && plen > BO_DELTA_HDR_SIZE; k++) {
        uint32_t at = BO_DELTA_HDR_SIZE + fz_u16(c) % (uint32_t)(plen - BO_DELTA_HDR_SIZE);
        patch[at] ^= fz_u8(c);
    }
    both_ways(patch + BO_DELTA_HDR_SIZE, plen - BO_DELTA_HDR_SIZE, len, seed,
              flips == 0u ? target : NULL);
    free(patch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t c = {data, size};
    if (fz_u8(&c) & 1u) {
        recipe(&c);
    } else {
        raw(&c);
    }
    return 0;
}
