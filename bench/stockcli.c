/* bleota bench: the stock (Microchip-like) OTA client model (see stockcli.h). */
#include "stockcli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/att.h"
#include "bleota/endian.h"
#include "bleota/otas.h"

enum {
    S_MTU = 1,
    S_PAIR,
    S_CCCD_CTRL,
    S_CCCD_DATA,
    S_FEATURE,
    S_REQ,
    S_START,
    S_DATA,
    S_COMPLETE,
    S_END
};

#define NS_PER_MS 1000000ull

static void fail(bench_stock_t *s, int why, uint8_t code)
{
    if (s->state == S_END)
        return;
    s->fail = why;
    s->fail_code = code;
    s->state = S_END;
    bench_link_stop(s->link, s->now);
}

static void arm(bench_stock_t *s)
{
    s->deadline = s->now + (uint64_t)s->wait_ms * NS_PER_MS;
}

static void send(bench_stock_t *s, const uint8_t *pdu, int n)
{
    if (n <= 0 || bench_link_send_c2p(s->link, s->now, pdu, (uint16_t)n) != 0)
        fail(s, BENCH_STOCK_FAIL_PROTOCOL, 0); /* a request never fits: a bench bug */
}

static void write_req(bench_stock_t *s, int state, uint16_t h, const uint8_t *v, uint16_t len)
{
    uint8_t p[32];
    s->state = state;
    s->rsp_seen = s->notif_seen = false;
    arm(s);
    send(s, p, bo_att_req_write(p, sizeof p, h, v, len, false));
}

/* Pushes every write of the current window into the TX queue at once. */
static void push_window(bench_stock_t *s)
{
    uint8_t p[BENCH_ATT_MAX];
    const uint32_t size = s->img->size;
    if (!s->data_seen) {
        s->data_seen = true;
        s->t_data = s->now;
    }
    while (s->win_left > 0 && s->sent < size) {
        uint32_t chunk = s->mtu - 3u;
        if (chunk > s->win_left)
            chunk = s->win_left;
        if (chunk > size - s->sent)
            chunk = size - s->sent;
        int n = bo_att_req_write(p, sizeof p, BENCH_STOCK_H_DATA, s->img->payload + s->sent,
                                 (uint16_t)chunk, true);
        if (n <= 0) {
            fail(s, BENCH_STOCK_FAIL_PROTOCOL, 0);
            return;
        }
        if (bench_link_c2p_pending(s->link) >= s->txq ||
            bench_link_send_c2p(s->link, s->now, p, (uint16_t)n) != 0) {
            if (s->lost++ == 0)
                s->lost_first = s->sent; /* refused by the stack: counted as sent all the same */
        }
        s->sent += chunk;
        s->win_left -= chunk;
    }
    arm(s);
}

static void cp_done(bench_stock_t *s)
{
    uint8_t res = s->notif_len >= 3 ? s->notif[2] : 0xFF;
    if (s->state == S_COMPLETE) {
        s->complete = res;
        s->t_done = s->now;
        s->state = S_END;
        bench_link_stop(s->link, s->now);
        return;
    }
    if (res != BO_OTAS_RES_SUCCESS) {
        fail(s, BENCH_STOCK_FAIL_REFUSED, res);
        return;
    }
    if (s->state == S_REQ) {
        if (s->notif_len < BO_OTAS_UPDATE_RSP_LEN) {
            fail(s, BENCH_STOCK_FAIL_PROTOCOL, 0);
            return;
        }
        s->window = bo_get_le16(s->notif + 3);
        if (s->window == 0) {
            fail(s, BENCH_STOCK_FAIL_PROTOCOL, 0);
            return;
        }
        const uint8_t start[2] = {BO_OTAS_OP_UPDATE_START, 0x01};
        write_req(s, S_START, BENCH_STOCK_H_CTRL, start, 2);
    } else if (s->state == S_START) {
        s->state = S_DATA;
        s->sent = 0;
        s->win_left = s->window;
        push_window(s);
    }
}

static void update_request(bench_stock_t *s)
{
    uint8_t v[19];
    v[0] = BO_OTAS_OP_UPDATE_REQ;
    bo_put_le32(v + 1, s->img->size);
    bo_put_le32(v + 5, s->img->image_id);
    bo_put_le32(v + 9, s->img->version);
    v[13] = s->img->enc;
    bo_put_le16(v + 14, 0); /* checksum: ignored by BZ2 servers */
    v[16] = 0x01;           /* file type: internal flash */
    bo_put_le16(v + 17, 0); /* CRC-16 of the plaintext: unknown for an encrypted file */
    s->t_req = s->now;
    write_req(s, S_REQ, BENCH_STOCK_H_CTRL, v, sizeof v);
}

/* An ATT response to the pending request (MTU, CCCD, Feature, Control Point). */
static void on_rsp(bench_stock_t *s, const uint8_t *pdu, uint16_t len)
{
    static const uint8_t on[2] = {0x01, 0x00};
    uint8_t p[8];
    if (pdu[0] == BO_ATT_OP_ERROR_RSP) {
        fail(s, BENCH_STOCK_FAIL_REFUSED, len >= 5 ? pdu[4] : 0);
        return;
    }
    switch (s->state) {
    case S_MTU: {
        uint16_t srv = 0;
        if (bo_att_parse_mtu_rsp(pdu, len, &srv) != BO_OK) {
            fail(s, BENCH_STOCK_FAIL_PROTOCOL, 0);
            return;
        }
        if (srv < s->mtu)
            s->mtu = srv < 23u ? 23u : srv;
        const uint8_t pair[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIR_REQ};
        s->state = S_PAIR;
        arm(s);
        send(s, pair, 2);
        break;
    }
    case S_CCCD_CTRL:
        s->state = S_CCCD_DATA;
        arm(s);
        send(s, p, bo_att_req_write(p, sizeof p, BENCH_STOCK_H_DATA_CCCD, on, 2, false));
        break;
    case S_CCCD_DATA:
        s->state = S_FEATURE;
        arm(s);
        send(s, p, bo_att_req_read(p, sizeof p, BENCH_STOCK_H_FEATURE));
        break;
    case S_FEATURE:
        /* a stock client reads Feature and ignores the bits it does not know (resume): it
         * always sends the 19-byte request, as Microchip's BZ2 client does */
        update_request(s);
        break;
    case S_REQ:
    case S_START:
    case S_COMPLETE:
        s->rsp_seen = true;
        break;
    default:
        fail(s, BENCH_STOCK_FAIL_PROTOCOL, 0);
    }
}

static void on_notif(bench_stock_t *s, uint16_t h, const uint8_t *v, uint16_t n)
{
    if (h == BENCH_STOCK_H_DATA) {
        if (n < 1 || v[0] != BO_OTAS_RES_SUCCESS) {
            fail(s, BENCH_STOCK_FAIL_REFUSED, n ? v[0] : 0xFF);
            return;
        }
        if (s->state != S_DATA)
            return;
        s->windows++;
        s->t_last_ack = s->now;
        if (s->sent >= s->img->size) {
            const uint8_t op = BO_OTAS_OP_UPDATE_COMPLETE;
            write_req(s, S_COMPLETE, BENCH_STOCK_H_CTRL, &op, 1);
        } else {
            s->win_left = s->window;
            push_window(s);
        }
    } else if (h == BENCH_STOCK_H_CTRL && n >= 2 && v[0] == BO_OTAS_OP_RESPONSE) {
        s->notif_len = (uint8_t)(n < sizeof s->notif ? n : sizeof s->notif);
        memcpy(s->notif, v, s->notif_len);
        s->notif_seen = true;
    }
}

static uint64_t stock_rx(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    bench_stock_t *s = ctx;
    s->now = now;
    if (s->state == S_END || len == 0)
        return now;
    if (pdu[0] == BO_LINK_CTRL) {
        static const uint8_t on[2] = {0x01, 0x00};
        uint8_t p[8];
        if (len >= 2 && pdu[1] == BO_LINK_CTRL_PAIRED && s->state == S_PAIR) {
            s->state = S_CCCD_CTRL;
            arm(s);
            send(s, p, bo_att_req_write(p, sizeof p, BENCH_STOCK_H_CTRL_CCCD, on, 2, false));
        }
        return now;
    }
    if (pdu[0] == BO_ATT_OP_NOTIFY && len >= 3)
        on_notif(s, bo_get_le16(pdu + 1), pdu + 3, (uint16_t)(len - 3));
    else if (!(pdu[0] & BO_ATT_OP_CMD_FLAG))
        on_rsp(s, pdu, len);
    if ((s->state == S_REQ || s->state == S_START || s->state == S_COMPLETE) && s->rsp_seen &&
        s->notif_seen) {
        s->rsp_seen = s->notif_seen = false;
        cp_done(s);
    }
    return now;
}

/* Connection event anchor: the client's timer. */
static uint64_t stock_tick(void *ctx, uint64_t now)
{
    bench_stock_t *s = ctx;
    s->now = now;
    if (s->state != S_END && s->deadline && now >= s->deadline)
        fail(s, BENCH_STOCK_FAIL_TIMEOUT, 0);
    return now;
}

static void why(const bench_stock_t *s, char *out, size_t cap)
{
    char lost[96] = "";
    if (s->lost)
        snprintf(lost, sizeof lost, "%u writes lost (TX queue of %u full, first at offset %u)",
                 s->lost, s->txq, s->lost_first);
    if (s->fail == BENCH_STOCK_FAIL_TIMEOUT)
        snprintf(out, cap, "%s%sno answer within %u ms", lost, s->lost ? ", then " : "",
                 s->wait_ms);
    else if (s->fail == BENCH_STOCK_FAIL_REFUSED)
        snprintf(out, cap, "%s%sresult %02X", lost, s->lost ? ", then " : "", s->fail_code);
    else if (s->fail == BENCH_STOCK_FAIL_PROTOCOL)
        snprintf(out, cap, "%s%sprotocol error", lost, s->lost ? ", then " : "");
    else if (s->lost)
        snprintf(out, cap, "%s, Complete answered %02X", lost, s->complete);
    else if (s->complete != 0)
        snprintf(out, cap, "Complete answered %02X", s->complete);
    else
        out[0] = '\0';
}

int bench_stock_run(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t device,
                    const bench_image_t *img, uint16_t txq, uint32_t wait_ms, bench_run_t *out)
{
    bench_stock_t *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->link = l;
    s->img = img;
    s->txq = txq ? txq : BENCH_STOCK_TXQ_DEFAULT;
    s->wait_ms = wait_ms ? wait_ms : BENCH_STOCK_WAIT_MS_DEFAULT;
    s->mtu = cfg->mtu;
    s->complete = -1;
    bench_link_init(l, cfg, (bench_host_t){s, stock_rx, stock_tick, NULL}, device);
    uint8_t p[8];
    s->state = S_MTU;
    arm(s);
    send(s, p, bo_att_req_mtu(p, sizeof p, cfg->mtu));
    if (bench_link_run(l, 4ull * 3600u * BENCH_NS_PER_S) != 0 && s->state != S_END)
        fail(s, BENCH_STOCK_FAIL_TIMEOUT, 0);
    out->ok = s->fail == 0 && s->lost == 0 && s->complete == 0;
    out->result = out->ok ? 0 : s->fail ? s->fail : 100 + (s->complete < 0 ? 0 : s->complete);
    why(s, out->why, sizeof out->why);
    out->total_ns = s->t_done > s->t_req ? s->t_done - s->t_req : 0;
    out->data_ns = s->t_last_ack > s->t_data ? s->t_last_ack - s->t_data : 0;
    out->tail_ns = s->t_done > s->t_last_ack ? s->t_done - s->t_last_ack : 0;
    out->window = s->window;
    out->windows = s->windows;
    out->lost = s->lost;
    out->link = l->st;
    free(s);
    return out->ok ? 0 : -1;
}
