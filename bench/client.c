/* bleota bench: OTA client at ATT level (see client.h). */
#include "client.h"

#include <string.h>

#include "bleota/endian.h"

#define ATT_ERROR_RSP 0x01u
#define ATT_WRITE_REQ 0x12u
#define ATT_WRITE_RSP 0x13u
#define ATT_NOTIFY 0x1Bu
#define ATT_WRITE_CMD 0x52u

static void finish(bench_client_t *c, uint64_t now, int result)
{
    c->done = true;
    c->result = result;
    c->t_done = now;
    bench_link_stop(c->link, now);
}

static void att_send(bench_client_t *c, uint64_t now, uint8_t op, uint16_t h, const uint8_t *v,
                  uint16_t len)
{
    uint8_t pdu[BENCH_ATT_MAX];
    pdu[0] = op;
    bo_put_le16(pdu + 1, h);
    memcpy(pdu + 3, v, len);
    if (bench_link_send_c2p(c->link, now, pdu, (uint16_t)(len + 3u)) != 0)
        finish(c, now, 0x100); /* queue overflow: a bench bug, reported as a failure */
}

/* Queues the next window, each write cut so that it never crosses the window end. */
static void send_window(bench_client_t *c, uint64_t now)
{
    uint32_t chunk = c->link->cfg.mtu - 3u;
    uint32_t end = c->sent + c->window;
    if (end > c->size)
        end = c->size;
    if (c->sent == 0)
        c->t_data = now;
    while (c->sent < end && !c->done) {
        uint32_t n = end - c->sent < chunk ? end - c->sent : chunk;
        att_send(c, now, ATT_WRITE_CMD, c->h_data, c->payload + c->sent, (uint16_t)n);
        c->sent += n;
    }
}

void bench_client_start(bench_client_t *c)
{
    uint8_t req[14];
    req[0] = 0x02;
    bo_put_le32(req + 1, c->size);
    bo_put_le32(req + 5, c->image_id);
    bo_put_le32(req + 9, c->version);
    req[13] = c->enc;
    att_send(c, 0, ATT_WRITE_REQ, c->h_ctrl, req, sizeof req);
}

static void on_ctrl(bench_client_t *c, uint64_t now, const uint8_t *v, uint16_t len)
{
    if (len < 3 || v[0] != 0x01) {
        finish(c, now, 0x101);
        return;
    }
    if (v[2] != 0x00) {
        finish(c, now, v[2]);
        return;
    }
    if (v[1] == 0x02 && len >= 13) {
        c->window = bo_get_le16(v + 3);
        if (c->window == 0 || c->window % 16u) {
            finish(c, now, 0x102);
            return;
        }
        const uint8_t op[2] = {0x03, 0x01}; /* Update Start, image type firmware */
        att_send(c, now, ATT_WRITE_REQ, c->h_ctrl, op, 2);
    } else if (v[1] == 0x03) {
        send_window(c, now);
    } else if (v[1] == 0x04) {
        finish(c, now, c->acked == c->size ? 0 : 0x103);
    }
}

static void on_data(bench_client_t *c, uint64_t now, const uint8_t *v, uint16_t len)
{
    if (len != 1 || v[0] != 0x00) {
        finish(c, now, len ? v[0] : 0x104);
        return;
    }
    c->windows++;
    c->acked = c->sent;
    c->t_last_ack = now;
    if (c->sent < c->size) {
        send_window(c, now);
    } else if (!c->complete_sent) {
        const uint8_t op = 0x04;
        c->complete_sent = true;
        att_send(c, now, ATT_WRITE_REQ, c->h_ctrl, &op, 1);
    }
}

uint64_t bench_client_rx(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    bench_client_t *c = ctx;
    if (c->done || len == 0)
        return now;
    if (pdu[0] == ATT_ERROR_RSP) {
        finish(c, now, len >= 5 ? 0x200 | pdu[4] : 0x200);
    } else if (pdu[0] == ATT_NOTIFY && len >= 3) {
        uint16_t h = bo_get_le16(pdu + 1);
        if (h == c->h_ctrl)
            on_ctrl(c, now, pdu + 3, (uint16_t)(len - 3u));
        else if (h == c->h_data)
            on_data(c, now, pdu + 3, (uint16_t)(len - 3u));
    }
    /* Write Responses need no action: the answer that matters is the notification. */
    return now;
}
