/* bleota bench: BLE connection model (see link.h). */
#include "link.h"

#include <stddef.h>
#include <string.h>

#define L2CAP_HDR 4u

uint64_t bench_air_ns(const bench_link_cfg_t *cfg, uint32_t payload)
{
    /* preamble (1 byte on 1M, 2 on 2M) + access address 4 + header 2 + payload + MIC + CRC 3 */
    uint32_t bytes = (cfg->phy == 2 ? 2u : 1u) + 4u + 2u + payload + 3u;
    if (cfg->encrypted && payload > 0)
        bytes += 4u;
    return (uint64_t)bytes * 8u * BENCH_NS_PER_US / cfg->phy;
}

int bench_link_check(const bench_link_cfg_t *c, const char **why)
{
    if (c->phy != 1 && c->phy != 2)
        *why = "phy must be 1 or 2";
    else if (c->ll_payload < 27 || c->ll_payload > 251)
        *why = "LL payload must be 27..251";
    else if (c->mtu < 23 || c->mtu > 517)
        *why = "ATT MTU must be 23..517";
    else if (c->interval_us < 7500 || c->interval_us > 4000000)
        *why = "connection interval must be 7500..4000000 us";
    else if (c->rx_bufs < 1 || c->rx_bufs > BENCH_RXQ)
        *why = "rx buffers must be 1..64";
    else
        return 0;
    return -1;
}

void bench_link_init(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t central,
                     bench_host_t device)
{
    memset(l, 0, sizeof *l);
    l->cfg = *cfg;
    l->central = central;
    l->device = device;
}

static int txq_push(bench_txq_t *q, uint64_t at, const uint8_t *pdu, uint16_t len)
{
    if (q->count == BENCH_TXQ || len == 0 || len > BENCH_ATT_MAX)
        return -1;
    bench_pdu_t *p = &q->q[(q->head + q->count) % BENCH_TXQ];
    p->ready = at;
    p->len = len;
    memcpy(p->data, pdu, len);
    q->count++;
    return 0;
}

int bench_link_send_c2p(bench_link_t *l, uint64_t at, const uint8_t *pdu, uint16_t len)
{
    if (len > l->cfg.mtu)
        return -1;
    return txq_push(&l->c2p, at + (uint64_t)l->cfg.central_latency_us * BENCH_NS_PER_US, pdu, len);
}

int bench_link_send_p2c(bench_link_t *l, uint64_t at, const uint8_t *pdu, uint16_t len)
{
    if (len > l->cfg.mtu)
        return -1;
    return txq_push(&l->p2c, at, pdu, len);
}

void bench_link_stop(bench_link_t *l, uint64_t at)
{
    if (!l->stop) {
        l->stop = true;
        l->stop_at = at;
    }
}

uint32_t bench_link_c2p_pending(const bench_link_t *l)
{
    return l->c2p.count;
}

/* Size of the next LL fragment of the head PDU if it is ready at t, else 0. */
static uint32_t txq_frag(const bench_link_t *l, const bench_txq_t *q, uint64_t t)
{
    if (q->count == 0)
        return 0;
    const bench_pdu_t *p = &q->q[q->head];
    if (p->ready > t)
        return 0;
    uint32_t left = L2CAP_HDR + p->len - q->sent;
    return left < l->cfg.ll_payload ? left : l->cfg.ll_payload;
}

/* Acknowledged fragment: returns the PDU when it was its last fragment (valid until the next
 * push), else NULL. */
static const bench_pdu_t *txq_advance(bench_txq_t *q, uint32_t frag)
{
    bench_pdu_t *p = &q->q[q->head];
    q->sent += frag;
    if (q->sent < L2CAP_HDR + p->len)
        return NULL;
    q->sent = 0;
    q->head = (q->head + 1) % BENCH_TXQ;
    q->count--;
    return p;
}

static bench_rx_t *rx_at(bench_link_t *l, uint32_t i)
{
    return &l->rx[(l->rx_head + i) % BENCH_RXQ];
}

/* Frees buffers of PDUs the device finished with by t; returns the buffers still held. */
static uint32_t rx_held(bench_link_t *l, uint64_t t)
{
    while (l->rx_count > 0 && l->rx_next > 0 && rx_at(l, 0)->release <= t) {
        l->rx_head = (l->rx_head + 1) % BENCH_RXQ;
        l->rx_count--;
        l->rx_next--;
    }
    uint32_t held = 0;
    for (uint32_t i = 0; i < l->rx_count; i++)
        if (rx_at(l, i)->release > t)
            held += rx_at(l, i)->frags;
    return held;
}

/* Runs the device host up to time t: whole PDUs in order, background work when idle. */
static void dev_run(bench_link_t *l, uint64_t t)
{
    for (;;) {
        bench_rx_t *e = l->rx_next < l->rx_count ? rx_at(l, l->rx_next) : NULL;
        if (e && !e->complete)
            e = NULL;
        bool can_idle = !l->dev_idle_done && l->device.idle && l->dev_free <= t;
        if (e && (e->arrival <= l->dev_free || !can_idle)) {
            uint64_t start = e->arrival > l->dev_free ? e->arrival : l->dev_free;
            if (start > t)
                return;
            uint64_t done = l->device.handle(l->device.ctx, start, e->data, e->len);
            e->release = done < start ? start : done;
            l->dev_free = e->release;
            l->rx_next++;
            l->dev_idle_done = false;
        } else if (can_idle) {
            uint64_t done = l->device.idle(l->device.ctx, l->dev_free);
            if (done <= l->dev_free)
                l->dev_idle_done = true;
            else
                l->dev_free = done;
        } else {
            return;
        }
    }
}

/* The peripheral controller receives a central fragment at t; false = no buffer (NAK). */
static bool dev_receive(bench_link_t *l, uint64_t t, uint32_t frag)
{
    dev_run(l, t);
    /* A PDU longer than all buffers is still reassembled when nothing else waits: the host
     * moves its fragments into its own MTU-sized buffer as they come. */
    bool alone = l->c2p.sent > 0 && l->rx_count - l->rx_next == 1;
    if ((rx_held(l, t) >= l->cfg.rx_bufs && !alone) || l->rx_count == BENCH_RXQ) {
        l->st.nacks++;
        return false;
    }
    const bench_pdu_t *p = &l->c2p.q[l->c2p.head];
    bench_rx_t *e;
    if (l->c2p.sent == 0) {
        e = rx_at(l, l->rx_count++);
        memset(e, 0, offsetof(bench_rx_t, data));
        e->release = UINT64_MAX;
    } else {
        e = rx_at(l, l->rx_count - 1);
    }
    e->frags++;
    e->arrival = t;
    l->st.c2p_frags++;
    if (txq_advance(&l->c2p, frag)) {
        memcpy(e->data, p->data, p->len);
        e->len = p->len;
        e->complete = true;
        l->st.c2p_att_bytes += p->len;
        if (l->central.writable)
            l->central.writable(l->central.ctx, t);
    }
    return true;
}

static void conn_event(bench_link_t *l, uint64_t anchor)
{
    const uint64_t end = anchor + (uint64_t)l->cfg.interval_us * BENCH_NS_PER_US;
    const uint64_t empty = bench_air_ns(&l->cfg, 0);
    uint64_t t = anchor;
    uint32_t n = 0;
    l->st.events++;
    if (l->central.idle) {
        (void)l->central.idle(l->central.ctx, anchor);
        if (l->stop)
            return;
    }
    for (;;) {
        l->now = t;
        dev_run(l, t);
        uint32_t cf = txq_frag(l, &l->c2p, t);
        uint64_t air_c = bench_air_ns(&l->cfg, cf);
        if (t + air_c + 2u * BENCH_T_IFS_NS + empty > end) {
            if (cf == 0 || t + empty * 2u + 2u * BENCH_T_IFS_NS > end || n > 0)
                return;
            cf = 0; /* a data PDU does not fit the first slot: send an empty one */
            air_c = empty;
        }
        uint64_t t_p = t + air_c + BENCH_T_IFS_NS;
        if (cf > 0)
            (void)dev_receive(l, t + air_c, cf);
        dev_run(l, t_p);
        uint32_t pf = txq_frag(l, &l->p2c, t_p);
        if (pf > 0 && t_p + bench_air_ns(&l->cfg, pf) + BENCH_T_IFS_NS > end)
            pf = 0;
        uint64_t t_c = t_p + bench_air_ns(&l->cfg, pf);
        l->st.exchanges++;
        n++;
        if (pf > 0) {
            l->st.p2c_frags++;
            const bench_pdu_t *p = txq_advance(&l->p2c, pf);
            if (p)
                (void)l->central.handle(l->central.ctx, t_c, p->data, p->len);
        }
        t = t_c + BENCH_T_IFS_NS;
        if (l->stop)
            return;
        bool more = txq_frag(l, &l->c2p, t) > 0 || txq_frag(l, &l->p2c, t_p) > 0;
        if (!more || (l->cfg.max_per_event && n >= l->cfg.max_per_event))
            return;
    }
}

int bench_link_run(bench_link_t *l, uint64_t limit_ns)
{
    const uint64_t iv = (uint64_t)l->cfg.interval_us * BENCH_NS_PER_US;
    for (uint64_t anchor = 0; !l->stop; anchor += iv) {
        if (anchor > limit_ns)
            return -1;
        conn_event(l, anchor);
    }
    return 0;
}
