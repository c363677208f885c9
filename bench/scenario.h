/* bleota bench: one scenario = a link + a device + an image; the runs that measure it. */
#ifndef BENCH_SCENARIO_H
#define BENCH_SCENARIO_H

#include <stdint.h>

#include "devcost.h"
#include "link.h"

typedef struct bench_image {
    const uint8_t *payload; /* bytes sent over OTA Data (encrypted flash image) */
    uint32_t size;
    uint32_t fw_len; /* FW_IMG_LEN in its metadata */
    uint32_t image_id, version;
    uint8_t enc;
    uint8_t ecdsa; /* ECDSA signatures in the metadata (0..2) */
    const uint8_t *base; /* a delta patch: the running image it applies to (slot 0), or NULL */
    uint32_t base_len;
} bench_image_t;

typedef struct bench_scenario {
    const char *name;
    bench_link_cfg_t link;
} bench_scenario_t;

/* Which client plays the central. Both see the same link and the same central TX queue. */
typedef enum {
    BENCH_CLIENT_OTAC = 0, /* bleota's client core (tools/otac), as `bleota update` sets it up */
    BENCH_CLIENT_STOCK,    /* a client behaving like Microchip's (stockcli.h) */
} bench_client_kind_t;

typedef struct bench_client {
    bench_client_kind_t kind;
    uint16_t txq;     /* the central stack's TX queue, ATT packets (BENCH_STOCK_TXQ_DEFAULT) */
    uint32_t wait_ms; /* stock client: wait per acknowledgement (BENCH_STOCK_WAIT_MS_DEFAULT) */
    bool resume;      /* bleota's client: as `bleota update --resume` (opts in to the extension) */
} bench_client_t;

/* What one OTA run measured. ok is 1 when the update really succeeded (Complete answered 00
 * for the whole image, nothing lost, and for bleota's device the application's verdict OK). */
typedef struct bench_run {
    int ok;
    int result;        /* client result (0 or the failing code) */
    char why[128];     /* a failure in words ("" when ok) */
    uint64_t total_ns; /* Update Request -> Complete answer received */
    uint64_t data_ns;  /* first data byte queued -> last window acknowledged */
    uint64_t tail_ns;  /* last window acknowledged -> Complete answer */
    uint32_t window;   /* server's window */
    uint32_t windows;  /* acknowledgements */
    uint32_t lost;     /* stock client: writes its full TX queue refused (counted as sent) */
    bench_stats_t link;
    uint64_t erases, progs, ecdsa, aes_bytes, sha_bytes;
    uint64_t flash_ns;      /* flash busy time during the update */
    uint64_t idle_flash_ns; /* bleota's device: idle work after the previous update (slot 1
                               erase), before this one; not part of total_ns */
    uint64_t idle_erases;
} bench_run_t;

/* Payload bytes per second of back-to-back Write Commands of MTU-3 bytes on an infinitely fast
 * device (steady state over 400 connection events), in bytes per second (integer). */
uint64_t bench_link_ceiling(const bench_link_cfg_t *link);
/* The flash floor: programming `size` bytes into a pre-erased slot (program units x program
 * time), what the update cannot avoid on the shipped device (slot 1 is erased in idle time). */
uint64_t bench_flash_floor_ns(const bench_dev_cfg_t *dev, uint32_t size);
/* The reference server's behaviour (refdev.h) with the given client. */
int bench_run_reference(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                        const bench_image_t *img, const bench_client_t *client, bench_run_t *out);

/* Runs one update on link l (set up with cfg) with the client as the central and `device` as
 * the peripheral: bo_otac (central.h) or the stock client (stockcli.h). 0 or -1 (out->why). */
int bench_client_run(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t device,
                     const bench_image_t *img, const bench_client_t *client, bench_run_t *out);

#endif
