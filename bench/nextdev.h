/* bleota bench: a design model of the device behaviour this bench recommends (not bleota's
 * code; bleota's real stack is measured by realdev.c). It answers the same protocol as
 * refdev and shows what the recommendations buy, on the same link and cost model:
 * - the window otas now chooses: 256 writes of the negotiated MTU, at most 65520 B (62464 B at
 *   MTU 247, 5120 B at MTU 23);
 * - streaming: each write is decrypted and hashed (SHA-256 of the firmware) as it arrives and
 *   staged in a RAM buffer of `staging` bytes; the window is acknowledged once staged;
 * - the flash controller works beside the CPU: it programs staged units as soon as their page
 *   is erased and erases up to one page ahead whenever it has nothing to program (the first
 *   page right at Update Start);
 * - the metadata signature is verified in the CPU's idle time once the 512-byte header is in;
 * - at Update Complete: flush, commit marker, finish the digest, then the firmware check:
 *   BENCH_FW_DIGEST (the firmware's SHA-256 stored in the ECDSA-signed metadata: compare only)
 *   or BENCH_FW_ECDSA (one full ECDSA verification of the firmware signature). */
#ifndef BENCH_NEXTDEV_H
#define BENCH_NEXTDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "devcost.h"
#include "gattdev.h"
#include "link.h"

typedef enum { BENCH_FW_DIGEST = 0, BENCH_FW_ECDSA } bench_fw_check_t;

typedef struct bench_next_cfg {
    uint32_t window;  /* offered window, bytes; 0 = 256 x (MTU - 3), at most 65520 B */
    uint32_t staging; /* RAM for decrypted bytes waiting for the flash */
    bench_fw_check_t fw_check;
    bool inline_flash; /* no staging, no erase-ahead: erase on entering a page, CPU waits */
} bench_next_cfg_t;

typedef struct bench_nextdev {
    bench_gattdev_t gatt; /* bench_host_t ctx: &gatt, bench_gattdev_handle/_idle */
    bench_model_svc_t svc;
    bench_clock_t clk;
    bench_next_cfg_t cfg;
    uint32_t size, received, win_fill;
    uint32_t window; /* the window offered in this update */
    uint32_t programmed, erased_end;
    /* the flash controller's one operation in flight */
    bool nvm_busy;
    bool nvm_erase;
    uint32_t nvm_amount;
    uint64_t nvm_end, nvm_free;
    /* background metadata signature check, instructions left (0 = done or not started) */
    uint64_t md_left;
    bool md_started;
    bool started;
} bench_nextdev_t;

/* 0 or -1 (GATT set-up). mtu: the largest ATT MTU the server accepts. */
int bench_nextdev_init(bench_nextdev_t *d, bench_link_t *link, const bench_dev_cfg_t *dev,
                       uint16_t mtu, const bench_next_cfg_t *cfg);

#endif
