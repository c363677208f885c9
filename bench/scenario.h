/* bleota bench: one scenario = a link + a device + an image; the runs that measure it. */
#ifndef BENCH_SCENARIO_H
#define BENCH_SCENARIO_H

#include <stdint.h>

#include "devcost.h"
#include "link.h"
#include "nextdev.h"

typedef struct bench_image {
    const uint8_t *payload; /* bytes sent over OTA Data (encrypted flash image) */
    uint32_t size;
    uint32_t fw_len; /* FW_IMG_LEN in its metadata */
    uint32_t image_id, version;
    uint8_t enc;
    uint8_t ecdsa; /* ECDSA signatures in the metadata (0..2) */
} bench_image_t;

typedef struct bench_scenario {
    const char *name;
    bench_link_cfg_t link;
} bench_scenario_t;

/* What one OTA run measured. ok is 1 when the Complete answer was 00 for a whole image. */
typedef struct bench_run {
    int ok;
    int result;        /* client result (0 or the failing code) */
    uint64_t total_ns; /* Update Request -> Complete answer received */
    uint64_t data_ns;  /* first data byte queued -> last window acknowledged */
    uint64_t tail_ns;  /* last window acknowledged -> Complete answer */
    uint32_t window;   /* server's window */
    uint32_t windows;  /* acknowledgements */
    bench_stats_t link;
    uint64_t erases, progs, ecdsa, aes_bytes, sha_bytes;
    uint64_t flash_ns; /* flash busy time (the NOR model's own account for bleota's stack) */
} bench_run_t;

/* Payload bytes per second of back-to-back Write Commands of MTU-3 bytes on an infinitely fast
 * device (steady state over 400 connection events), in bytes per second (integer). */
uint64_t bench_link_ceiling(const bench_link_cfg_t *link);
/* Erase + program time of `size` bytes with the device's flash figures. */
uint64_t bench_flash_floor_ns(const bench_dev_cfg_t *dev, uint32_t size);
/* The reference server's behaviour (refdev.h) with the bench client. */
int bench_run_reference(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                        const bench_image_t *img, bench_run_t *out);

/* The design model of the recommended behaviour (nextdev.h) with the bench client. */
int bench_run_next(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                   const bench_next_cfg_t *cfg, const bench_image_t *img, bench_run_t *out);

#endif
