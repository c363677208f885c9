/* bleota bench: a BLE connection in virtual time (nanoseconds).
 *
 * One central (the OTA client, an infinitely fast phone/PC host) and one peripheral (the
 * device). Time advances by connection events; inside an event the central sends one LL PDU,
 * the peripheral answers T_IFS later (data or an empty acknowledgement), and so on while
 * either side has more data, the per-event packet limit allows and the exchange fits before
 * the next anchor. ATT PDUs travel as L2CAP PDUs (4-byte header) cut into LL fragments of at
 * most ll_payload bytes.
 *
 * The peripheral's controller has rx_bufs receive buffers (one LL fragment each). A buffer is
 * held until the device host has finished processing the ATT PDU it belongs to; when all are
 * held, the controller does not acknowledge (NESN unchanged) and the central resends later:
 * a busy device (flash erase, decryption) stalls the link exactly like a real controller.
 *
 * The device host is one sequential timeline: handle() processes one ATT PDU starting at a
 * given time and returns when it is done; what it sends meanwhile carries the time at which
 * it was produced and leaves at the next peripheral transmit opportunity after that. */
#ifndef BENCH_LINK_H
#define BENCH_LINK_H

#include <stdbool.h>
#include <stdint.h>

#define BENCH_ATT_MAX 520u /* largest ATT PDU carried (MTU <= 517 + slack) */
#define BENCH_TXQ 2048u    /* queued ATT PDUs per direction (a whole window at MTU 23) */
#define BENCH_RXQ 64u      /* peripheral ATT PDUs held in controller buffers */
#define BENCH_T_IFS_NS 150000u
#define BENCH_NS_PER_US 1000u
#define BENCH_NS_PER_S 1000000000ull

typedef struct bench_link_cfg {
    uint8_t phy;                 /* 1 (LE 1M) or 2 (LE 2M) */
    uint16_t ll_payload;         /* LL data payload, 27..251 bytes */
    uint16_t mtu;                /* ATT MTU, 23..517 */
    uint32_t interval_us;        /* connection interval, 7500..4000000 */
    uint16_t max_per_event;      /* exchanges (central packets) per event; 0 = only time limits */
    bool encrypted;              /* 4-byte MIC on every non-empty data PDU */
    uint16_t rx_bufs;            /* peripheral controller receive buffers, 1..BENCH_RXQ */
    uint32_t central_latency_us; /* central host: notification in -> next write ready */
} bench_link_cfg_t;

/* A host on either end. handle() gets a complete ATT PDU at `now` and returns the time it is
 * done (>= now); the central's return value is ignored (the phone is infinitely fast).
 * idle() (may be NULL): on the device, background work starting at `now` when nothing is
 * waiting; it returns its end time, or `now` when it has nothing to do. On the central, a tick
 * at every connection event's anchor (its timers); the return value is ignored.
 * writable() (central only, may be NULL): one of its PDUs has been acknowledged completely, so
 * its stack's TX queue has room for one more. */
typedef struct bench_host {
    void *ctx;
    uint64_t (*handle)(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len);
    uint64_t (*idle)(void *ctx, uint64_t now);
    void (*writable)(void *ctx, uint64_t now);
} bench_host_t;

typedef struct bench_pdu {
    uint64_t ready; /* when the host handed it to its controller */
    uint16_t len;   /* ATT bytes */
    uint8_t data[BENCH_ATT_MAX];
} bench_pdu_t;

typedef struct bench_txq {
    bench_pdu_t q[BENCH_TXQ];
    uint32_t head, count;
    uint32_t sent; /* L2CAP bytes of the head PDU already acknowledged */
} bench_txq_t;

typedef struct bench_rx {
    uint64_t arrival; /* last fragment received */
    uint64_t release; /* buffers free again (UINT64_MAX: not processed yet) */
    uint16_t frags;   /* controller buffers held */
    uint16_t len;     /* ATT bytes received so far */
    bool complete;
    uint8_t data[BENCH_ATT_MAX];
} bench_rx_t;

typedef struct bench_stats {
    uint64_t events;        /* connection events */
    uint64_t exchanges;     /* central packets sent */
    uint64_t c2p_frags;     /* non-empty central fragments acknowledged */
    uint64_t nacks;         /* central fragments refused for lack of buffers */
    uint64_t p2c_frags;     /* non-empty peripheral fragments */
    uint64_t c2p_att_bytes; /* ATT bytes delivered to the device */
} bench_stats_t;

typedef struct bench_link {
    bench_link_cfg_t cfg;
    bench_host_t central, device;
    bench_txq_t c2p, p2c;
    /* peripheral receive side */
    bench_rx_t rx[BENCH_RXQ];
    uint32_t rx_head, rx_count; /* ring of PDUs holding buffers */
    uint32_t rx_next;           /* index (from rx_head) of the next PDU to process */
    uint64_t dev_free;          /* device host busy until */
    bool dev_idle_done;         /* idle() had nothing to do since the last PDU */
    /* central receive side (reassembly of the head p2c PDU happens at send time) */
    uint64_t now;     /* time of the current exchange */
    bool stop;        /* set by a host: the scenario is over */
    uint64_t stop_at; /* when stop was set */
    bench_stats_t st;
} bench_link_t;

/* Air time of one LL data PDU with `payload` bytes (0 = empty PDU), in ns. */
uint64_t bench_air_ns(const bench_link_cfg_t *cfg, uint32_t payload);
/* Checks the configuration ranges; 0 or -1 with a message in *why. */
int bench_link_check(const bench_link_cfg_t *cfg, const char **why);
/* Initialises (cfg must be valid). Anchor of the first connection event at t = 0. */
void bench_link_init(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t central,
                     bench_host_t device);
/* A host queues an ATT PDU for the other side, produced at time `at`. 0, or -1 when the
 * queue is full or the PDU longer than the MTU. */
int bench_link_send_c2p(bench_link_t *l, uint64_t at, const uint8_t *pdu, uint16_t len);
int bench_link_send_p2c(bench_link_t *l, uint64_t at, const uint8_t *pdu, uint16_t len);
/* A host ends the run at `at`. */
void bench_link_stop(bench_link_t *l, uint64_t at);
/* Runs connection events until stop or `limit_ns`. 0 when stopped, -1 at the limit. */
int bench_link_run(bench_link_t *l, uint64_t limit_ns);
/* Pending C2P PDUs (for clients that keep a pipe full). */
uint32_t bench_link_c2p_pending(const bench_link_t *l);

#endif
