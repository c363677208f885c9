/* bleota bench: bo_otac driven in virtual time (see central.h). */
#include "central.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/att.h"
#include "bleota/endian.h"
#include "bleota/otas.h"
#include "stockcli.h"

static uint32_t ms(uint64_t ns)
{
    return (uint32_t)(ns / 1000000u);
}

/* Every PDU the client sends is queued in the central's controller at the current time; OTA
 * Data beyond the stack's TX queue is refused with BUSY (otac continues on writable). */
static int send(void *ctx, const uint8_t *pdu, uint16_t len)
{
    bench_central_t *c = ctx;
    if (len >= 4 && pdu[0] == BO_ATT_OP_WRITE_REQ && pdu[3] == BO_OTAS_OP_UPDATE_REQ &&
        bo_get_le16(pdu + 1) == c->otac.h_ctrl && !c->req_seen) {
        c->req_seen = true;
        c->t_req = c->now;
    }
    if (len >= 3 && pdu[0] == BO_ATT_OP_WRITE_CMD) {
        if (bench_link_c2p_pending(c->link) >= c->txq) {
            c->busy++;
            return BO_ERR_BUSY;
        }
        if (!c->data_seen) {
            c->data_seen = true;
            c->t_data = c->now;
        }
    }
    return bench_link_send_c2p(c->link, c->now, pdu, len) == 0 ? BO_OK : BO_ERR_BUSY;
}

static void event(void *ctx, const bo_otac_evt_t *e)
{
    bench_central_t *c = ctx;
    if (e->type == BO_OTAC_EVT_ACCEPTED) {
        c->window = e->window;
    } else if (e->type == BO_OTAC_EVT_PROGRESS) {
        c->windows++;
        c->t_last_ack = c->now;
    } else if (e->type == BO_OTAC_EVT_END) {
        bench_link_stop(c->link, c->now);
    }
}

int bench_central_start(bench_central_t *c, bench_link_t *link, const bo_otac_image_t *image,
                        uint16_t txq, bool resume)
{
    memset(c, 0, sizeof *c);
    c->link = link;
    c->complete = -1;
    c->txq = txq ? txq : BENCH_STOCK_TXQ_DEFAULT;
    bo_otac_cfg_t cfg = {.mode = BO_OTAC_MODE_UPDATE,
                         .image = *image,
                         .mtu = link->cfg.mtu,
                         .resume = resume,
                         .send = send,
                         .event = event,
                         .ctx = c};
    int err = bo_otac_init(&c->otac, &cfg);
    if (err == BO_OK)
        bo_otac_start(&c->otac, 0);
    return err;
}

uint64_t bench_central_rx(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    bench_central_t *c = ctx;
    c->now = now;
    /* The Complete answer ends the measured time; the client then sends its Reset Request. */
    if (len >= 6 && pdu[0] == BO_ATT_OP_NOTIFY && bo_get_le16(pdu + 1) == c->otac.h_ctrl &&
        pdu[3] == BO_OTAS_OP_RESPONSE && pdu[4] == BO_OTAS_OP_UPDATE_COMPLETE && c->complete < 0) {
        c->complete = pdu[5];
        c->t_done = now;
        bench_link_stop(c->link, now);
    }
    bo_otac_tick(&c->otac, ms(now));
    bo_otac_on_pdu(&c->otac, pdu, len, ms(now));
    return now;
}

uint64_t bench_central_tick(void *ctx, uint64_t now)
{
    bench_central_t *c = ctx;
    c->now = now;
    bo_otac_tick(&c->otac, ms(now));
    return now;
}

void bench_central_writable(void *ctx, uint64_t now)
{
    bench_central_t *c = ctx;
    c->now = now;
    bo_otac_on_writable(&c->otac, ms(now));
}

int bench_central_run(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t device,
                      const bench_image_t *img, uint16_t txq, bool resume, bench_run_t *out)
{
    bench_central_t *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    bench_link_init(l, cfg,
                    (bench_host_t){c, bench_central_rx, bench_central_tick, bench_central_writable},
                    device);
    bo_otac_image_t im = {.payload = img->payload,
                          .len = img->size,
                          .size = img->size,
                          .image_id = img->image_id,
                          .version = img->version,
                          .enc = img->enc};
    if (bench_central_start(c, l, &im, txq, resume) == BO_OK)
        (void)bench_link_run(l, 4ull * 3600u * BENCH_NS_PER_S);
    out->ok = c->complete == 0;
    out->result = c->complete >= 0 ? 100 + c->complete : (int)bo_otac_result(&c->otac);
    if (c->complete > 0)
        snprintf(out->why, sizeof out->why, "Complete answered %02X", c->complete);
    else if (c->complete < 0)
        snprintf(out->why, sizeof out->why, "client: %s (stage: %s)",
                 bo_otac_result_str(bo_otac_result(&c->otac)), c->otac.stage ? c->otac.stage : "-");
    out->total_ns = c->complete >= 0 ? c->t_done - c->t_req : 0;
    out->data_ns = c->windows ? c->t_last_ack - c->t_data : 0;
    out->tail_ns = c->complete >= 0 && c->windows ? c->t_done - c->t_last_ack : 0;
    out->window = c->window;
    out->windows = c->windows;
    out->link = l->st;
    free(c);
    return out->ok ? 0 : -1;
}
