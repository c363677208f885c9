/* bleota bench: the reference server's behaviour as a timing model (mchp-ota-reference.md
 * §2.5-§2.8, §5.1), not its code. It answers the protocol at ATT level and charges the device
 * clock for what Microchip's server does:
 * - Write Response first, then the Control Point operation (notification when done);
 * - OTA Data is copied into a 1024-byte window buffer; only when the window is full (or the
 *   last byte arrived) it is processed: per 512-byte sub-block AES-CBC decryption, then the
 *   writer erases a 4 KiB page when the block starts on or crosses into it and programs 32
 *   quad-words, waiting for each flash operation; then the 1-byte acknowledgement;
 * - Update Complete: the bootloader's authenticate reads slot 1, hashes the firmware and the
 *   metadata and verifies both ECDSA signatures (an image signed 2/2 like Microchip's).
 * Everything runs in the BLE stack's task, so received PDUs wait in the controller buffers
 * while a window is processed. */
#ifndef BENCH_REFDEV_H
#define BENCH_REFDEV_H

#include <stdint.h>

#include "devcost.h"
#include "gattdev.h"
#include "link.h"

#define BENCH_REF_WINDOW 1024u
#define BENCH_REF_BLOCK 512u

typedef struct bench_refdev {
    bench_gattdev_t gatt; /* bench_host_t ctx: &gatt, bench_gattdev_handle/_idle */
    bench_model_svc_t svc;
    bench_clock_t clk;
    uint32_t size;   /* announced payload size (from the Update Request) */
    uint32_t hashed; /* bytes the bootloader hashes at Complete (firmware + metadata) */
    uint32_t ecdsa;  /* signatures verified at Complete */
    bool encrypted;
    uint32_t received, win_fill, written;
    uint32_t erased_end; /* slot offset up to which pages are erased */
} bench_refdev_t;

/* 0 or -1 (GATT set-up). mtu: the largest ATT MTU the server accepts. */
int bench_refdev_init(bench_refdev_t *d, bench_link_t *link, const bench_dev_cfg_t *cfg,
                      uint16_t mtu, uint32_t hashed, uint32_t ecdsa);

#endif
