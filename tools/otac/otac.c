/* otac: session control, Control Point steps and the windowed data transfer. */
#include <string.h>
#include "bleota/endian.h"
#include "bleota/otas.h"
#include "otac_priv.h"

static void emit(bo_otac_t *c, bo_otac_evt_t *e)
{
    if (c->cfg.event != NULL)
        c->cfg.event(c->cfg.ctx, e);
}

void otac_enter(bo_otac_t *c, int state, const char *stage)
{
    bo_otac_evt_t e;
    memset(&e, 0, sizeof e);
    c->state = state;
    c->stage = stage;
    e.type = BO_OTAC_EVT_STAGE;
    e.stage = stage;
    emit(c, &e);
}

static void note(bo_otac_t *c, const char *text)
{
    bo_otac_evt_t e;
    memset(&e, 0, sizeof e);
    e.type = BO_OTAC_EVT_NOTE;
    e.stage = text;
    emit(c, &e);
}

void otac_end(bo_otac_t *c, bo_otac_result_t r, int detail)
{
    bo_otac_evt_t e;
    if (c->result != BO_OTAC_RUNNING)
        return;
    c->result = r;
    c->detail = detail;
    c->waiting = false;
    c->state = S_END;
    memset(&e, 0, sizeof e);
    e.type = BO_OTAC_EVT_END;
    e.stage = c->stage;
    e.sent = c->sent;
    e.total = c->cfg.image.len;
    emit(c, &e);
}

void otac_arm(bo_otac_t *c, uint32_t now, uint32_t ms)
{
    c->deadline = now + ms;
    c->waiting = true;
}

static bool send_pdu(bo_otac_t *c, const uint8_t *pdu, int len)
{
    if (len <= 0 || c->cfg.send(c->cfg.ctx, pdu, (uint16_t)len) != BO_OK) {
        otac_end(c, len <= 0 ? BO_OTAC_ERR_PROTOCOL : BO_OTAC_ERR_LINK, 0);
        return false;
    }
    return true;
}

bool otac_request(bo_otac_t *c, uint32_t now, const uint8_t *pdu, int len, uint8_t rsp_op)
{
    c->pending_rsp = rsp_op;
    otac_arm(c, now, c->cfg.timeout_ms);
    return send_pdu(c, pdu, len);
}

int bo_otac_init(bo_otac_t *c, const bo_otac_cfg_t *cfg)
{
    if (c == NULL || cfg == NULL || cfg->send == NULL)
        return BO_ERR_ARG;
    if (cfg->mode == BO_OTAC_MODE_UPDATE && (cfg->image.payload == NULL || cfg->image.len == 0))
        return BO_ERR_ARG;
    if (cfg->mtu != 0 && (cfg->mtu < BO_ATT_MTU_MIN || cfg->mtu > BO_ATT_MTU_MAX))
        return BO_ERR_ARG;
    memset(c, 0, sizeof *c);
    c->cfg = *cfg;
    if (c->cfg.mtu == 0)
        c->cfg.mtu = BO_ATT_MTU_DEFAULT;
    if (c->cfg.timeout_ms == 0)
        c->cfg.timeout_ms = BO_OTAC_TIMEOUT_DEFAULT_MS;
    if (c->cfg.complete_timeout_ms == 0)
        c->cfg.complete_timeout_ms = BO_OTAC_COMPLETE_TIMEOUT_DEFAULT_MS;
    c->mtu = BO_ATT_MTU_MIN;
    c->result = BO_OTAC_RUNNING;
    c->stage = "connect";
    return BO_OK;
}

void bo_otac_start(bo_otac_t *c, uint32_t now_ms)
{
    uint8_t p[3];
    otac_enter(c, S_MTU, "exchange MTU");
    otac_request(c, now_ms, p, bo_att_req_mtu(p, sizeof p, c->cfg.mtu), BO_ATT_OP_MTU_RSP);
}

void otac_after_mtu(bo_otac_t *c, uint32_t now)
{
    uint8_t p[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIR_REQ};
    if (c->cfg.mode == BO_OTAC_MODE_INFO) {
        otac_disc_start(c, now);
        return;
    }
    otac_enter(c, S_PAIR, "pair");
    otac_arm(c, now, c->cfg.timeout_ms);
    send_pdu(c, p, 2);
}

static void on_mtu(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now)
{
    uint16_t server = BO_ATT_MTU_MIN;
    /* A server without MTU exchange answers Request Not Supported: stay at 23. */
    if (pdu[0] == BO_ATT_OP_MTU_RSP && bo_att_parse_mtu_rsp(pdu, len, &server) != BO_OK) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    c->mtu = server < c->cfg.mtu ? server : c->cfg.mtu;
    if (c->mtu < BO_ATT_MTU_MIN)
        c->mtu = BO_ATT_MTU_MIN;
    otac_after_mtu(c, now);
}

/* Writes a Control Point opcode (Write Request); the step completes when both the Write
 * Response and the `01 <op> <result>` notification arrived (in either order). */
static void cp_write(bo_otac_t *c, uint32_t now, int state, const char *stage, const uint8_t *v,
                     uint16_t n, uint32_t timeout)
{
    uint8_t p[32];
    otac_enter(c, state, stage);
    c->rsp_seen = false;
    c->notif_seen = false;
    if (otac_request(c, now, p, bo_att_req_write(p, sizeof p, c->h_ctrl, v, n, false),
                     BO_ATT_OP_WRITE_RSP))
        otac_arm(c, now, timeout);
}

static void send_request(bo_otac_t *c, uint32_t now)
{
    const bo_otac_image_t *im = &c->cfg.image;
    uint8_t v[19];
    v[0] = BO_OTAS_OP_UPDATE_REQ;
    bo_put_le32(&v[1], im->size);
    bo_put_le32(&v[5], im->image_id);
    bo_put_le32(&v[9], im->version);
    v[13] = im->enc;
    bo_put_le16(&v[14], im->checksum);
    v[16] = 0x01; /* file type: internal flash */
    bo_put_le16(&v[17], im->crc16);
    cp_write(c, now, S_REQUEST, "update request", v, c->extended ? 19 : 14, c->cfg.timeout_ms);
}

static void cccd_write(bo_otac_t *c, uint32_t now, int state, const char *stage, uint16_t h)
{
    uint8_t p[8], on[2] = {0x01, 0x00};
    otac_enter(c, state, stage);
    otac_request(c, now, p, bo_att_req_write(p, sizeof p, h, on, 2, false), BO_ATT_OP_WRITE_RSP);
}

void otac_after_discovery(bo_otac_t *c, uint32_t now)
{
    cccd_write(c, now, S_EN_CTRL, "enable Control Point notifications", c->h_ctrl_cccd);
}

static void on_feature(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now)
{
    /* bleota's client never loses a refused write, so it always asks for the large window;
     * resume only when the user asked for it */
    uint8_t optin[2] = {BO_OTAS_OP_RESUME_OPT_IN, BO_OTAS_OPT_IN_BIG_WINDOW};
    if (len < 2) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    c->feature[0] = pdu[1];
    c->feature[1] = len >= 3 ? pdu[2] : 0; /* a 1-byte Feature means no extended request */
    c->extended = (c->feature[1] & 0x01u) != 0;
    c->resume_ok = (c->feature[1] & BO_OTAS_FEATURE_RESUME) != 0;
    if (!(c->feature[0] & 0x01u)) {
        otac_end(c, BO_OTAC_ERR_REJECTED, BO_OTAS_RES_NOT_SUPPORTED); /* no firmware images */
        return;
    }
    if (c->resume_ok) {
        if (c->cfg.resume)
            optin[1] |= BO_OTAS_OPT_IN_RESUME;
        cp_write(c, now, S_OPTIN, "extension opt-in", optin, 2, c->cfg.timeout_ms);
        return;
    }
    if (c->cfg.resume)
        note(c, "the device does not offer resume: sending the whole image");
    send_request(c, now);
}

static void optin_refused(bo_otac_t *c, uint32_t now)
{
    if (c->cfg.resume)
        note(c, "the device refused the resume opt-in: sending the whole image");
    send_request(c, now);
}

/* ATT responses to the pending request of a non-discovery step. */
static void on_rsp(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now)
{
    uint8_t op, code, p[4];
    uint16_t h;
    if (pdu[0] == BO_ATT_OP_ERROR_RSP) {
        if (bo_att_parse_error(pdu, len, &op, &h, &code) != BO_OK)
            otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        else if (c->state == S_MTU)
            on_mtu(c, pdu, len, now);
        else if (c->state == S_OPTIN) /* e.g. 0x03 from a server without resume */
            optin_refused(c, now);
        else
            otac_end(c, BO_OTAC_ERR_ATT, code);
        return;
    }
    switch (c->state) {
    case S_MTU:
        on_mtu(c, pdu, len, now);
        break;
    case S_EN_CTRL:
        cccd_write(c, now, S_EN_DATA, "enable Data notifications", c->h_data_cccd);
        break;
    case S_EN_DATA:
        otac_enter(c, S_FEATURE, "read Feature");
        otac_request(c, now, p, bo_att_req_read(p, sizeof p, c->h_feature), BO_ATT_OP_READ_RSP);
        break;
    case S_FEATURE:
        on_feature(c, pdu, len, now);
        break;
    case S_RESET:
        c->reset_sent = true;
        otac_end(c, BO_OTAC_OK, 0);
        break;
    default: /* Control Point step: the Write Response half */
        c->rsp_seen = true;
        break;
    }
}

/* Sends OTA Data until the window is full, the image is sent, or the transport is busy. */
static void complete(bo_otac_t *c, uint32_t now);

/* A window was acknowledged: progress, and the next window may go. */
static void window_acked(bo_otac_t *c)
{
    bo_otac_evt_t e;
    c->win_wait = false;
    c->waiting = false;
    c->win_left = c->window;
    memset(&e, 0, sizeof e);
    e.type = BO_OTAC_EVT_PROGRESS;
    e.sent = c->sent;
    e.total = c->cfg.image.len;
    emit(c, &e);
}

static void pump(bo_otac_t *c, uint32_t now)
{
    const bo_otac_image_t *im = &c->cfg.image;
    uint8_t p[OTAC_PDU_MAX];
    while (c->result == BO_OTAC_RUNNING && !c->win_wait && c->sent < im->len) {
        uint32_t chunk = (uint32_t)c->mtu - 3u;
        int n, rc;
        if (chunk > c->win_left)
            chunk = c->win_left;
        if (chunk > im->len - c->sent)
            chunk = im->len - c->sent;
        n = bo_att_req_write(p, sizeof p, c->h_data, &im->payload[c->sent], (uint16_t)chunk, true);
        rc = n > 0 ? c->cfg.send(c->cfg.ctx, p, (uint16_t)n) : BO_ERR_ARG;
        if (rc == BO_ERR_BUSY) {
            otac_arm(c, now, c->cfg.timeout_ms); /* the device's own timeout should come first */
            return;
        }
        if (rc != BO_OK) {
            otac_end(c, BO_OTAC_ERR_LINK, 0);
            return;
        }
        c->sent += chunk;
        c->data_bytes += chunk;
        c->win_left -= chunk;
        if (c->win_left == 0 || c->sent == im->len) {
            uint32_t in_flight = c->window - c->win_left;
            if (c->early_acks > 0u) { /* acknowledged while it was still being sent */
                c->early_acks--;
                window_acked(c);
                if (c->sent >= im->len) {
                    complete(c, now);
                    return;
                }
                continue;
            }
            c->win_wait = true;
            otac_arm(c, now, c->cfg.timeout_ms + in_flight * 1000u / BO_OTAC_FLOOR_BYTES_PER_S);
        }
    }
}

static void complete(bo_otac_t *c, uint32_t now)
{
    uint8_t op = BO_OTAS_OP_UPDATE_COMPLETE;
    cp_write(c, now, S_COMPLETE, "update complete (device validates)", &op, 1,
             c->cfg.complete_timeout_ms);
}

static void start_data(bo_otac_t *c, uint32_t now)
{
    otac_enter(c, S_DATA, "transfer");
    c->sent = c->start_index;
    c->win_left = c->window;
    c->win_wait = false;
    c->early_acks = 0;
    c->waiting = false;
    if (c->sent >= c->cfg.image.len) {
        complete(c, now); /* everything was stored before the link dropped */
        return;
    }
    pump(c, now);
}

static void on_accepted(bo_otac_t *c, uint32_t now)
{
    const uint8_t *n = c->cp_notif;
    bo_otac_evt_t e;
    uint8_t v[2] = {BO_OTAS_OP_UPDATE_START, 0x01}; /* image type: firmware */
    if (c->cp_notif_len < BO_OTAS_UPDATE_RSP_LEN) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    c->window = bo_get_le16(&n[3]);
    c->start_index = bo_get_le32(&n[5]);
    c->current_version = bo_get_le32(&n[9]);
    if (c->window == 0 || c->window % 16u != 0 || c->start_index % 16u != 0 ||
        c->start_index > c->cfg.image.len) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    memset(&e, 0, sizeof e);
    e.type = BO_OTAC_EVT_ACCEPTED;
    e.window = c->window;
    e.start_index = c->start_index;
    e.current_version = c->current_version;
    e.total = c->cfg.image.len;
    emit(c, &e);
    cp_write(c, now, S_START, "update start", v, 2, c->cfg.timeout_ms);
}

/* Both halves of a Control Point step are in: act on the result. */
static void cp_done(bo_otac_t *c, uint32_t now)
{
    uint8_t r = c->cp_notif[2], op = BO_OTAS_OP_RESET, p[8];
    switch (c->state) {
    case S_OPTIN:
        if (r != BO_OTAS_RES_SUCCESS)
            optin_refused(c, now);
        else
            send_request(c, now);
        break;
    case S_REQUEST:
        if (r != BO_OTAS_RES_SUCCESS)
            otac_end(c, BO_OTAC_ERR_REJECTED, r);
        else
            on_accepted(c, now);
        break;
    case S_START:
        if (r != BO_OTAS_RES_SUCCESS)
            otac_end(c, BO_OTAC_ERR_START, r);
        else
            start_data(c, now);
        break;
    case S_COMPLETE:
        if (r != BO_OTAS_RES_SUCCESS) {
            otac_end(c, BO_OTAC_ERR_INVALID, r);
            break;
        }
        otac_enter(c, S_RESET, "reset request");
        otac_request(c, now, p, bo_att_req_write(p, sizeof p, c->h_ctrl, &op, 1, false),
                     BO_ATT_OP_WRITE_RSP);
        break;
    default:
        break;
    }
}

static bool cp_state(int s)
{
    return s == S_OPTIN || s == S_REQUEST || s == S_START || s == S_COMPLETE;
}

static void on_ctrl_notif(bo_otac_t *c, const uint8_t *v, uint16_t n, uint32_t now)
{
    static const uint8_t op_of[S_END] = {[S_OPTIN] = BO_OTAS_OP_RESUME_OPT_IN,
                                         [S_REQUEST] = BO_OTAS_OP_UPDATE_REQ,
                                         [S_START] = BO_OTAS_OP_UPDATE_START,
                                         [S_COMPLETE] = BO_OTAS_OP_UPDATE_COMPLETE};
    if (n < 3 || v[0] != BO_OTAS_OP_RESPONSE || !cp_state(c->state) || v[1] != op_of[c->state]) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    if (n > sizeof c->cp_notif)
        n = sizeof c->cp_notif;
    memcpy(c->cp_notif, v, n);
    c->cp_notif_len = (uint8_t)n;
    c->notif_seen = true;
}

static void on_data_notif(bo_otac_t *c, const uint8_t *v, uint16_t n, uint32_t now)
{
    if (n < 1 || v[0] != BO_OTAS_RES_SUCCESS) {
        otac_end(c, n < 1 ? BO_OTAC_ERR_PROTOCOL : BO_OTAC_ERR_TRANSFER, n < 1 ? 0 : v[0]);
        return;
    }
    if (c->state != S_DATA)
        return; /* a stray success: nothing to do */
    if (!c->win_wait) {
        /* A server that acknowledges a window at its first write (bleota's) may answer before
         * the whole window is handed over (e.g. the stack was full): kept for the window end. */
        if (c->early_acks < 2u)
            c->early_acks++;
        return;
    }
    window_acked(c);
    if (c->sent >= c->cfg.image.len)
        complete(c, now);
    else
        pump(c, now);
}

static void on_ctrl_msg(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now)
{
    if (len >= 2 && pdu[1] == BO_LINK_CTRL_PAIRED && c->state == S_PAIR) {
        c->waiting = false;
        otac_disc_start(c, now);
    }
    /* link parameters and unknown control messages carry nothing the client needs */
}

void bo_otac_on_pdu(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now_ms)
{
    uint8_t op;
    if (c->result != BO_OTAC_RUNNING || len == 0)
        return;
    op = pdu[0];
    if (op == BO_LINK_CTRL) {
        on_ctrl_msg(c, pdu, len, now_ms);
    } else if (op == BO_ATT_OP_NOTIFY && len >= 3) {
        uint16_t h = bo_get_le16(&pdu[1]);
        if (h != 0 && h == c->h_ctrl)
            on_ctrl_notif(c, &pdu[3], (uint16_t)(len - 3), now_ms);
        else if (h != 0 && h == c->h_data)
            on_data_notif(c, &pdu[3], (uint16_t)(len - 3), now_ms);
    } else if (c->pending_rsp != 0 && (op == c->pending_rsp || op == BO_ATT_OP_ERROR_RSP)) {
        c->pending_rsp = 0;
        if (c->state == S_FIND_SVC || c->state == S_CHARS || c->state == S_CCCD_CTRL ||
            c->state == S_CCCD_DATA || c->state == S_FIND_DIS || c->state == S_READ_REV)
            otac_disc_on_rsp(c, pdu, len, now_ms);
        else
            on_rsp(c, pdu, len, now_ms);
    } else if (!(op & BO_ATT_OP_CMD_FLAG) && op != 0x1Du) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0); /* a response nobody asked for */
        return;
    }
    if (c->result == BO_OTAC_RUNNING && cp_state(c->state) && c->rsp_seen && c->notif_seen) {
        c->rsp_seen = c->notif_seen = false;
        cp_done(c, now_ms);
    }
}

void bo_otac_on_writable(bo_otac_t *c, uint32_t now_ms)
{
    if (c->result == BO_OTAC_RUNNING && c->state == S_DATA && !c->win_wait)
        pump(c, now_ms);
}

void bo_otac_tick(bo_otac_t *c, uint32_t now_ms)
{
    if (c->result == BO_OTAC_RUNNING && c->waiting && (int32_t)(now_ms - c->deadline) >= 0)
        otac_end(c, BO_OTAC_ERR_TIMEOUT, 0);
}

void bo_otac_on_link_lost(bo_otac_t *c)
{
    if (c->state == S_RESET) {
        c->reset_sent = true; /* the device may reset before its Write Response gets out */
        otac_end(c, BO_OTAC_OK, 0);
    } else {
        otac_end(c, BO_OTAC_ERR_LINK, 0);
    }
}

bo_otac_result_t bo_otac_result(const bo_otac_t *c)
{
    return c->result;
}

int32_t bo_otac_ms_to_deadline(const bo_otac_t *c, uint32_t now_ms)
{
    int32_t d;
    if (c->result != BO_OTAC_RUNNING || !c->waiting)
        return -1;
    d = (int32_t)(c->deadline - now_ms);
    return d < 0 ? 0 : d;
}
