/* bleota bench: bo_otac driven in virtual time (see central.h). */
#include "central.h"

#include <string.h>

#include "bleota/att.h"
#include "bleota/endian.h"
#include "bleota/otas.h"

static uint32_t ms(uint64_t ns)
{
    return (uint32_t)(ns / 1000000u);
}

/* Every PDU the client sends is queued in the central's controller at the current time. */
static int send(void *ctx, const uint8_t *pdu, uint16_t len)
{
    bench_central_t *c = ctx;
    if (len >= 4 && pdu[0] == BO_ATT_OP_WRITE_REQ && pdu[3] == BO_OTAS_OP_UPDATE_REQ &&
        bo_get_le16(pdu + 1) == c->otac.h_ctrl && !c->req_seen) {
        c->req_seen = true;
        c->t_req = c->now;
    }
    if (len >= 3 && pdu[0] == BO_ATT_OP_WRITE_CMD && !c->data_seen) {
        c->data_seen = true;
        c->t_data = c->now;
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

int bench_central_start(bench_central_t *c, bench_link_t *link, const bo_otac_image_t *image)
{
    memset(c, 0, sizeof *c);
    c->link = link;
    c->complete = -1;
    bo_otac_cfg_t cfg = {.mode = BO_OTAC_MODE_UPDATE, .image = *image, .mtu = link->cfg.mtu,
                         .send = send, .event = event, .ctx = c};
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
        pdu[3] == BO_OTAS_OP_RESPONSE && pdu[4] == BO_OTAS_OP_UPDATE_COMPLETE &&
        c->complete < 0) {
        c->complete = pdu[5];
        c->t_done = now;
        bench_link_stop(c->link, now);
    }
    bo_otac_tick(&c->otac, ms(now));
    bo_otac_on_pdu(&c->otac, pdu, len, ms(now));
    return now;
}
