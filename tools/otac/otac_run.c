/* bleota otac_run: an otac session over a posix link (see otac_run.h). */
#define _POSIX_C_SOURCE 200809L
#include "otac_run.h"

#include <string.h>

#include "bleota/endian.h"
#include "bleota/posix/link.h"

typedef struct run {
    bo_otac_t *c;
    const bo_otac_run_opts_t *o;
    int fd;
    uint32_t data_sent; /* OTA Data payload bytes handed to the link */
    bool dropped;
    void (*event)(void *ctx, const bo_otac_evt_t *evt); /* the caller's */
    void *ctx;
} run_t;

static void run_event(void *ctx, const bo_otac_evt_t *evt)
{
    run_t *r = ctx;
    if (r->event != NULL)
        r->event(r->ctx, evt);
}

static int run_send(void *ctx, const uint8_t *pdu, uint16_t len)
{
    run_t *r = ctx;
    bool data = len >= 3 && pdu[0] == BO_ATT_OP_WRITE_CMD && bo_get_le16(&pdu[1]) == r->c->h_data;
    if (r->fd < 0)
        return BO_ERR_IO;
    if (data && r->o->drop && r->data_sent >= r->o->drop_after) {
        bo_link_close(r->fd); /* simulated link loss */
        r->fd = -1;
        r->dropped = true;
        return BO_ERR_IO;
    }
    if (data && r->o->stall && r->data_sent >= r->o->stall_after)
        return BO_ERR_BUSY; /* and never writable again: the device must time out */
    if (bo_link_send(r->fd, pdu, len) != BO_OK)
        return BO_ERR_IO;
    if (data)
        r->data_sent += (uint32_t)(len - 3u);
    return BO_OK;
}

/* Feeds received bytes to the client frame by frame. False when the stream is broken. */
static bool feed(run_t *r, bo_link_rx_t *rx, const uint8_t *buf, int n)
{
    uint32_t off = 0, used;
    while (off < (uint32_t)n && bo_otac_result(r->c) == BO_OTAC_RUNNING) {
        int f = bo_link_rx_push(rx, &buf[off], (uint32_t)n - off, &used);
        off += used;
        if (f < 0)
            return false;
        if (f > 0)
            bo_otac_on_pdu(r->c, rx->buf, (uint16_t)f, bo_link_now_ms());
    }
    return true;
}

bo_otac_run_status_t bo_otac_run(bo_otac_t *c, const bo_otac_cfg_t *cfg,
                                 const bo_otac_run_opts_t *opts)
{
    static bo_link_rx_t rx;
    static uint8_t buf[4096];
    bo_otac_cfg_t cc = *cfg;
    run_t r;
    memset(&r, 0, sizeof r);
    r.c = c;
    r.o = opts;
    r.event = cfg->event;
    r.ctx = cfg->ctx;
    cc.send = run_send;
    cc.event = run_event;
    cc.ctx = &r;
    if (bo_otac_init(c, &cc) != BO_OK)
        return BO_OTAC_RUN_BAD_ARG;
    r.fd = bo_link_connect(opts->to, opts->connect_timeout_ms ? opts->connect_timeout_ms : 3000u);
    if (r.fd == BO_ERR_ARG)
        return BO_OTAC_RUN_BAD_ARG;
    if (r.fd < 0)
        return BO_OTAC_RUN_NO_LINK;
    bo_link_rx_init(&rx);
    bo_otac_start(c, bo_link_now_ms());
    while (bo_otac_result(c) == BO_OTAC_RUNNING) {
        int32_t wait = bo_otac_ms_to_deadline(c, bo_link_now_ms());
        int n;
        if (r.fd < 0) {
            bo_otac_on_link_lost(c);
            break;
        }
        n = bo_link_recv(r.fd, buf, sizeof buf, (wait < 0 || wait > 100) ? 100 : (int)wait);
        if (n < 0 || (n > 0 && !feed(&r, &rx, buf, n)))
            bo_otac_on_link_lost(c);
        bo_otac_tick(c, bo_link_now_ms());
    }
    bo_link_close(r.fd);
    return BO_OTAC_RUN_ENDED;
}
