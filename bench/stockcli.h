/* bleota bench: a client behaving like Microchip's OTA client (mchp-ota-reference.md §2.5-§2.8,
 * §2.11-§2.12), as a timing model on the central. It is not Microchip's code; it does what
 * matters for flow control the way their client does:
 * - MTU exchange, pairing, both CCCDs (Control Point first), Feature read; the handles are
 *   those of Microchip's stack (§1.2), where bleota puts the service too: discovery happens
 *   before the measured time and changes nothing in it;
 * - never writes bleota's opt-in (Control Point 0x20): it is a stock client;
 * - sends the 19-byte Update Request, then Update Start;
 * - after the Start answer and after every window acknowledgement, pushes ALL writes of the
 *   next window (MTU - 3 bytes each, split at window boundaries) into its BLE stack's TX queue
 *   at once; the queue holds `txq` ATT packets (12 by default). A write the stack refuses
 *   because the queue is full is counted as sent anyway (lost), as Microchip's client does:
 *   the device never gets those bytes and the transfer breaks;
 * - waits at most `wait_ms` (5 s, like Microchip's application) for each acknowledgement and
 *   for each Control Point answer; then it gives up (a failed run, never a hang);
 * - after the last window's acknowledgement, Update Complete; the measured time ends at its
 *   answer. A run is a success only when no write was lost, every window was acknowledged
 *   and the answer was 00 (a server answers 00 to a premature Complete too, §2.8). */
#ifndef BENCH_STOCKCLI_H
#define BENCH_STOCKCLI_H

#include <stdbool.h>
#include <stdint.h>

#include "link.h"
#include "scenario.h"

#define BENCH_STOCK_TXQ_DEFAULT 12u
#define BENCH_STOCK_WAIT_MS_DEFAULT 5000u

/* Microchip's fixed handles (§1.2). */
#define BENCH_STOCK_H_FEATURE 0x0102u
#define BENCH_STOCK_H_CTRL 0x0104u
#define BENCH_STOCK_H_CTRL_CCCD 0x0105u
#define BENCH_STOCK_H_DATA 0x0107u
#define BENCH_STOCK_H_DATA_CCCD 0x0108u

typedef struct bench_stock {
    bench_link_t *link;
    const bench_image_t *img;
    uint16_t txq;     /* the central stack's TX queue, ATT packets */
    uint32_t wait_ms; /* per acknowledgement / Control Point answer */
    uint64_t now;
    int state;
    bool rsp_seen, notif_seen; /* Control Point step: Write Response and notification */
    uint8_t notif[16];
    uint8_t notif_len;
    uint16_t mtu;
    uint32_t window, sent, win_left;
    uint64_t deadline; /* 0: none armed */
    uint32_t lost;     /* writes refused by the full TX queue, counted as sent */
    uint32_t lost_first;
    /* measurements */
    uint64_t t_req, t_data, t_last_ack, t_done;
    bool data_seen;
    uint32_t windows;
    int complete; /* Complete answer code, -1 before */
    int fail;     /* 0 running/ok, else a BENCH_STOCK_FAIL_* */
    uint8_t fail_code;
} bench_stock_t;

enum {
    BENCH_STOCK_FAIL_TIMEOUT = 1, /* no acknowledgement / answer within wait_ms */
    BENCH_STOCK_FAIL_REFUSED,     /* a non-zero result (Control Point or OTA Data) */
    BENCH_STOCK_FAIL_PROTOCOL,    /* an unexpected PDU */
};

/* One update with the stock client as the central: like bench_central_run (central.h).
 * 0 when it succeeded, -1 otherwise (out->why says why: lost writes, timeout, refusal). */
int bench_stock_run(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t device,
                    const bench_image_t *img, uint16_t txq, uint32_t wait_ms, bench_run_t *out);

#endif
