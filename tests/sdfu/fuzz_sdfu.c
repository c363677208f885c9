/* Fuzz target: the serial DFU executive (src/sdfu), bytes from a UART before any authentication.
 *
 * The input is a script: a geometry/window byte, then events (raw bursts of UART bytes at a
 * time, idle gaps, generated commands and clusters, flash faults). The script runs twice on a
 * fresh flash (tests/fuzz/fuzz_flash.h): each burst fed whole in one bo_sdfu_rx call, then in
 * pieces of 1 to 7 bytes at the same time stamp. Properties:
 *  - both runs give identical answers (every byte sent), command counts, resets, flash
 *    contents and flash operation sequences: framing does not depend on how the UART driver
 *    splits its reads;
 *  - no erase or program outside the writable window, none misaligned (the flash model
 *    aborts), no read outside the flash;
 *  - a generated, correct PROG_CLUSTER_VERIFY (aligned, in the window, right checksum) onto
 *    blank flash is answered PASS, alone, and lands byte-exact (a short tail padded with 0xFF);
 *    the same cluster with a wrong checksum or a misaligned address is answered FAIL;
 *  - every answer is a whole number of 4-byte words (GET_DEVICEID's 8 bytes included).
 * A program over a programmed unit is the host's mistake, not the executive's: the model
 * refuses it (BO_ERR_STATE) and the executive must answer FAIL. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/endian.h"
#include "bleota/sdfu.h"
#include "fuzz_flash.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE 0x01000000u
#define FLASH_SIZE 0x10000u /* 64 KiB */
#define MAX_ACTIONS 512u
#define ARENA (96u * 1024u)
#define TX_MAX (64u * 1024u)
#define HDR 16u /* a frame's four header words */

enum { A_BURST, A_POLL, A_FAIL, A_BADREAD };
enum {
    E_NONE = 0,
    E_PASS_IF_BLANK, /* correct: PASS, alone, and these bytes in flash, when the range was blank */
    E_FAIL_IF_BLANK, /* wrong checksum: FAIL (onto blank flash the sum cannot match by chance) */
    E_FAIL,          /* misaligned or outside the window: FAIL, nothing programmed */
};

typedef struct {
    uint8_t kind;
    uint32_t now;
    const uint8_t *p; /* A_BURST: bytes (input or arena) */
    uint32_t len;
    uint32_t arg, arg2;
    /* a generated cluster: what must happen (checked while no fault was injected) */
    uint8_t expect; /* E_* */
    uint32_t addr;
    const uint8_t *data;
    uint32_t dlen;
} action_t;

typedef struct {
    uint8_t tx[TX_MAX];
    uint32_t tx_len;
    bool tx_over;
    int resets;
    int ran;
    ff_flash_t f;
} run_t;

static action_t acts[MAX_ACTIONS];
static uint32_t nacts;
static uint8_t arena[ARENA];
static uint32_t arena_used;
static run_t runs[2];
static uint32_t unit, page, gap;
static bool custom_window;
static bo_sdfu_cfg_t cfg;
static bo_layout_t lay;

static void tx(void *ctx, const uint8_t *d, size_t len)
{
    run_t *r = ctx;
    if (r->tx_len + len > TX_MAX) {
        r->tx_over = true;
        return;
    }
    memcpy(r->tx + r->tx_len, d, len);
    r->tx_len += (uint32_t)len;
}

static void on_reset(void *ctx)
{
    ((run_t *)ctx)->resets++;
}

static uint8_t *arena_take(uint32_t n)
{
    if (ARENA - arena_used < n) {
        return NULL;
    }
    uint8_t *p = arena + arena_used;
    arena_used += n;
    return p;
}

static action_t *add(uint8_t kind, uint32_t now)
{
    if (nacts == MAX_ACTIONS) {
        return NULL;
    }
    action_t *a = &acts[nacts++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->now = now;
    return a;
}

static void put_hdr(uint8_t *b, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3)
{
    bo_put_le32(b, w0);
    bo_put_le32(b + 4, w1);
    bo_put_le32(b + 8, w2);
    bo_put_le32(b + 12, w3);
}

/* A frame the harness builds: the line is idle first (so the frame starts clean). */
static action_t *frame(uint32_t *now, uint32_t n)
{
    *now += gap;
    if (add(A_POLL, *now) == NULL) {
        return NULL;
    }
    uint8_t *b = arena_take(n);
    action_t *a = b != NULL ? add(A_BURST, *now) : NULL;
    if (a != NULL) {
        a->p = b;
        a->len = n;
    }
    return a;
}

static void gen_cluster(fz_in_t *c, uint8_t op, uint32_t *now)
{
    uint32_t len = fz_u16(c) % (BO_SDFU_CLUSTER_MAX + 1u);
    uint32_t method = (op & 0x10u) ? BO_SDFU_SUM_CRC16 : BO_SDFU_SUM_BYTES;
    uint32_t plen = (len + unit - 1u) / unit * unit;
    uint32_t first = (cfg.win_lo - BASE + unit - 1u) / unit * unit + BASE; /* first aligned */
    uint32_t span = cfg.win_hi > first ? cfg.win_hi - first : 0u;
    uint32_t units_in = span / unit;
    uint32_t addr = first + (units_in > 0u ? (fz_u16(c) % units_in) * unit : 0u);
    uint64_t seed = fz_u32(c);
    bool bad_sum = (op & 0x20u) != 0u, misalign = (op & 0x40u) != 0u && unit > 1u;
    action_t *a = frame(now, HDR + len);
    if (a == NULL) {
        return;
    }
    uint8_t *d = (uint8_t *)a->p + HDR;
    fz_fill(seed, d, len);
    if (op & 0x80u) { /* mostly-erased data, as padding produces */
        for (uint32_t i = 0; i < len; i++) {
            d[i] |= (uint8_t)(i % 7u ? 0xFFu : 0x00u);
        }
    }
    uint32_t sum = method == BO_SDFU_SUM_CRC16 ? bo_sdfu_crc16(0xFFFFu, d, len)
                                               : bo_sdfu_sum32(0, d, len);
    if (misalign) {
        addr += 1u + (uint32_t)(seed % (unit - 1u));
    }
    put_hdr((uint8_t *)a->p, (BO_SDFU_CMD_PROG_CLUSTER << 16) | method, addr, len,
            bad_sum ? sum ^ 1u : sum);
    bool fits = addr >= cfg.win_lo && (uint64_t)addr + plen <= cfg.win_hi;
    a->addr = addr;
    a->data = d;
    a->dlen = len;
    a->expect = (misalign || !fits) ? E_FAIL : bad_sum ? E_FAIL_IF_BLANK : E_PASS_IF_BLANK;
}

static void parse(fz_in_t *c)
{
    uint32_t now = 1000;
    while (c->n > 0u && nacts + 2u < MAX_ACTIONS) {
        uint8_t op = fz_u8(c);
        switch (op & 7u) {
        case 0:
        case 1:
        case 2: { /* raw bytes from the UART, dt ms after the last event */
            now += fz_u8(c) % (2u * gap + 1u);
            size_t n = (op & 8u) ? fz_u16(c) % 4400u : fz_u8(c);
            size_t got;
            const uint8_t *p = fz_bytes(c, n, &got);
            action_t *a = add(A_BURST, now);
            if (a != NULL) {
                a->p = p;
                a->len = (uint32_t)got;
            }
            break;
        }
        case 3:
            gen_cluster(c, op, &now);
            break;
        case 4: { /* PAGE_ERASE of n pages at a page of the flash (mostly the window) */
            uint32_t n = fz_u8(c) % 9u;
            uint32_t pg = fz_u8(c);
            uint32_t addr = (op & 0x10u) ? BASE + (pg * page) % FLASH_SIZE
                                         : cfg.win_lo + pg * page % (cfg.win_hi - cfg.win_lo);
            action_t *a = frame(&now, 8);
            if (a != NULL) {
                bo_put_le32((uint8_t *)a->p, (BO_SDFU_CMD_PAGE_ERASE << 16) | n);
                bo_put_le32((uint8_t *)a->p + 4, addr);
            }
            break;
        }
        case 5: { /* BLANK_CHECK */
            uint32_t addr = BASE + fz_u16(c) % FLASH_SIZE, len = fz_u16(c);
            action_t *a = frame(&now, 12);
            if (a != NULL) {
                uint8_t *b = (uint8_t *)a->p;
                bo_put_le32(b, BO_SDFU_CMD_BLANK_CHECK << 16);
                bo_put_le32(b + 4, addr);
                bo_put_le32(b + 8, len);
            }
            break;
        }
        case 6: /* silence: the pending frame ends */
            now += gap + fz_u8(c);
            (void)add(A_POLL, now);
            break;
        default: { /* flash faults */
            action_t *a = add((op & 8u) ? A_BADREAD : A_FAIL, now);
            if (a != NULL) {
                a->arg = fz_u8(c) + 1u;
                a->arg2 = BASE + fz_u16(c) % FLASH_SIZE;
            }
            break;
        }
        }
    }
    now += gap;
    (void)add(A_POLL, now);
}

static void check_expect(run_t *r, const action_t *a, uint32_t tx_before, bool blank)
{
    uint32_t got = r->tx_len - tx_before;
    bool pass = a->expect == E_PASS_IF_BLANK;
    uint32_t want = (BO_SDFU_CMD_PROG_CLUSTER << 16) | (pass ? BO_SDFU_PASS : BO_SDFU_FAIL);
    if (got != 4u || bo_get_le32(r->tx + tx_before) != want) {
        fprintf(stderr, "sdfu: a %s cluster at 0x%08X (%u B) got %u answer bytes\n",
                pass ? "correct" : "wrong", a->addr, a->dlen, got);
        abort();
    }
    if (pass) {
        const uint8_t *m = ff_at(&r->f, a->addr, a->dlen);
        if (memcmp(m, a->data, a->dlen) != 0) {
            fprintf(stderr, "sdfu: cluster at 0x%08X not byte-exact\n", a->addr);
            abort();
        }
        uint32_t plen = (a->dlen + unit - 1u) / unit * unit;
        for (uint32_t i = a->dlen; i < plen; i++) {
            if (m[i] != 0xFFu) {
                abort(); /* the tail is padded with erased bytes */
            }
        }
    }
}

static void run(run_t *r, bool split, uint64_t seed)
{
    bo_sys_t sys = {.ctx = r, .reset = on_reset};
    bo_sdfu_t s;
    r->tx_len = 0;
    r->tx_over = false;
    r->resets = 0;
    r->ran = 0;
    ff_init(&r->f, BASE, FLASH_SIZE, page, unit);
    r->f.refuse_reprogram = true;
    r->f.name = split ? "(pieces)" : "(whole)";
    bo_sdfu_cfg_t c = cfg;
    c.sys = &sys;
    c.tx_ctx = r;
    c.flash = &r->f.flash;
    if (!custom_window) {
        c.win_lo = c.win_hi = 0; /* the default: the download slot */
    }
    /* the harness only builds valid configs; the default window is the download slot */
    int rc = bo_sdfu_init(&s, &c, &lay);
    FZ_CHECK(rc == BO_OK && s.cfg.win_lo == cfg.win_lo && s.cfg.win_hi == cfg.win_hi,
             "init %d, window %08X..%08X, expected %08X..%08X", rc, s.cfg.win_lo, s.cfg.win_hi,
             cfg.win_lo, cfg.win_hi);
    ff_allow(&r->f, cfg.win_lo, cfg.win_hi);
    bool faults = false;
    for (uint32_t i = 0; i < nacts; i++) {
        const action_t *a = &acts[i];
        uint32_t before = r->tx_len;
        bool blank = (a->expect == E_PASS_IF_BLANK || a->expect == E_FAIL_IF_BLANK) && !faults &&
                     ff_blank(&r->f, a->addr, (a->dlen + unit - 1u) / unit * unit);
        switch (a->kind) {
        case A_BURST:
            if (!split) {
                r->ran += bo_sdfu_rx(&s, a->p, a->len, a->now);
            } else {
                uint32_t off = 0;
                do { /* an empty burst is one empty call, as whole */
                    uint32_t k = 1u + (uint32_t)(fz_rng(&seed) % 7u);
                    k = k < a->len - off ? k : a->len - off;
                    r->ran += bo_sdfu_rx(&s, a->p + off, k, a->now);
                    off += k;
                } while (off < a->len);
            }
            if (!faults && (a->expect == E_FAIL || blank)) {
                check_expect(r, a, before, blank);
            }
            break;
        case A_POLL:
            r->ran += bo_sdfu_poll(&s, a->now);
            break;
        case A_FAIL:
            ff_fail(&r->f, a->arg);
            faults = true;
            break;
        default:
            r->f.bad_lo = a->arg2;
            r->f.bad_hi = a->arg2 + a->arg;
            faults = true;
            break;
        }
        if (r->ran < 0) {
            abort(); /* bo_sdfu_rx/poll never fail with valid arguments */
        }
    }
    if (bo_sdfu_pending(&s)) {
        abort(); /* the last poll came after the gap */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t c = {data, size};
    uint8_t g = fz_u8(&c);
    static const uint32_t units[4] = {4, 8, 16, 16}, pages[4] = {256, 1024, 4096, 512};
    unit = units[g & 3u];
    page = pages[(g >> 2) & 3u];
    gap = (g & 0x20u) ? 1u : BO_SDFU_GAP_MS_DEFAULT;
    lay = (bo_layout_t){BASE, BASE + 0x4000u, 0x8000u, (g & 0x40u) ? 0u : 0x6000u, 0, 0};
    cfg = (bo_sdfu_cfg_t){.tx = tx, .gap_ms = (g & 0x20u) ? 1u : 0u, .device_id = 0x29C71053u};
    custom_window = (g & 0x10u) != 0u;
    if (custom_window) { /* a window of the integrator's choice, not page aligned */
        uint32_t lo = fz_u16(&c) % (FLASH_SIZE - 16u);
        uint32_t n = 1u + fz_u16(&c) % (FLASH_SIZE - lo);
        cfg.win_lo = BASE + lo;
        cfg.win_hi = BASE + lo + n;
    } else { /* the default window, as bo_sdfu_init computes it */
        cfg.win_lo = lay.slot1;
        cfg.win_hi = lay.slot1 + (lay.dl_limit ? lay.dl_limit : lay.slot_size);
    }
    nacts = 0;
    arena_used = 0;
    parse(&c);
    uint64_t seed = 0x5eedu ^ (uint64_t)size * 0x9e37u ^ g;
    run(&runs[0], false, seed);
    run(&runs[1], true, seed);
    run_t *a = &runs[0], *b = &runs[1];
    if (a->tx_len != b->tx_len || memcmp(a->tx, b->tx, a->tx_len) != 0 || a->ran != b->ran ||
        a->resets != b->resets || a->tx_over != b->tx_over) {
        fprintf(stderr, "sdfu: answers differ whole/pieces (%u/%u bytes, %d/%d commands)\n",
                a->tx_len, b->tx_len, a->ran, b->ran);
        abort();
    }
    if (memcmp(a->f.mem, b->f.mem, FLASH_SIZE) != 0 ||
        memcmp(a->f.used, b->f.used, FLASH_SIZE / unit) != 0 || a->f.hash != b->f.hash ||
        a->f.violations != b->f.violations) {
        fprintf(stderr, "sdfu: flash differs whole/pieces\n");
        abort();
    }
    if (a->tx_len % 4u != 0u) {
        abort();
    }
    return 0;
}
