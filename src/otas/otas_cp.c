/* otas: the Control Point opcodes and the state machine (reference §2.4-§2.9). Runs from
 * bo_otas_process, after the transport has already sent the ATT Write Response. */
#include <string.h>

#include "bleota/endian.h"
#include "otas_priv.h"

#define REQ_LEN_SHORT 14u /* opcode + 13 */
#define REQ_LEN_LONG 19u  /* opcode + 18 */
#define FILE_TYPE_RAW 0x02u
#define FILE_TYPE_MAX 0x03u
#define IMAGE_TYPE_FW 0x01u

bool bo_otas_p_in_progress(const bo_otas_t *otas)
{
    return otas->state != BO_OTAS_IDLE && otas->state != BO_OTAS_COMPLETE;
}

bool bo_otas_p_is_owner(const bo_otas_t *otas, uint16_t conn)
{
    if (otas->state == BO_OTAS_WAIT_REQ_RSP) {
        return otas->requester == conn;
    }
    return otas->has_owner && otas->owner == conn;
}

bool bo_otas_waiting_for_client(const bo_otas_t *otas)
{
    return otas->state == BO_OTAS_UPDATE_REQ || otas->state == BO_OTAS_UPDATE_START ||
           otas->state == BO_OTAS_UPDATE_ERROR || otas->state == BO_OTAS_COMPLETE;
}

bo_otas_state_t bo_otas_state(const bo_otas_t *otas)
{
    return otas->state;
}

void bo_otas_p_emit(bo_otas_t *otas, const bo_otas_evt_t *evt)
{
    otas->cfg.on_event(otas->cfg.event_ctx, evt);
}

void bo_otas_p_end_transfer(bo_otas_t *otas)
{
    if (otas->aes_on) {
        bo_aes_cbc_free(&otas->aes);
        otas->aes_on = false;
    }
    if (otas->cfg.dfu->state == BO_DFU_CONFIGURED || otas->cfg.dfu->state == BO_DFU_RECEIVING) {
        bo_dfu_abort(otas->cfg.dfu);
    }
    otas->part_len = 0;
}

/* `01 02 rr` + window + start index + current version; zeros unless accepted. */
static void respond_req(bo_otas_t *otas, uint16_t conn, uint8_t result, uint32_t cur)
{
    uint8_t rsp[BO_OTAS_UPDATE_RSP_LEN] = {BO_OTAS_OP_RESPONSE, BO_OTAS_OP_UPDATE_REQ, result};
    if (result == BO_OTAS_RES_SUCCESS) {
        bo_put_le16(&rsp[3], otas->window);
        bo_put_le32(&rsp[5], otas->start_index);
        bo_put_le32(&rsp[9], cur);
    }
    bo_otas_p_notify(otas, conn, BO_OTAS_ATTR_CTRL, rsp, sizeof(rsp));
}

static void refused(bo_otas_t *otas, uint16_t conn, bo_otas_refusal_t why,
                    const bo_otas_request_t *req, int status)
{
    bo_otas_evt_t evt = {
        .type = BO_OTAS_EVT_REFUSED, .conn = conn, .refusal = why, .req = req, .status = status};
    bo_otas_p_emit(otas, &evt);
}

const char *bo_otas_refusal_str(bo_otas_refusal_t r)
{
    switch (r) {
    case BO_OTAS_REFUSE_OLDER_VERSION:
        return "announced version is older than the running one";
    case BO_OTAS_REFUSE_APPLICATION:
        return "refused by the application";
    case BO_OTAS_REFUSE_NO_AES_KEY:
        return "encrypted image but no AES key provisioned";
    case BO_OTAS_REFUSE_SIZE:
        return "image size is 0, not a multiple of 16, or larger than the slot";
    case BO_OTAS_REFUSE_FORMAT:
        return "request format, encryption method or file type not supported";
    case BO_OTAS_REFUSE_BUSY:
        return "another update is in progress";
    case BO_OTAS_REFUSE_FLASH:
        return "the download slot could not be prepared";
    case BO_OTAS_REFUSE_PATCH_BASE:
        return "the delta patch was made for another image than the running one";
    case BO_OTAS_REFUSE_PATCH:
        return "the delta patch is damaged or rebuilds an image too large for the slot";
    case BO_OTAS_REFUSE_HEADER:
        return "the image header failed its check";
    case BO_OTAS_REFUSE_TRIAL:
        return "the running image is on trial and has not confirmed yet";
    case BO_OTAS_REFUSE_CURRENT:
        return "the image is the one already running";
    }
    return "unknown refusal";
}

/* Identity of an image for the resume record: the request's fields that pin the file. */
static void request_id(const bo_otas_request_t *r, uint8_t id[BO_DFU_ID_SIZE])
{
    uint8_t in[17];
    uint8_t digest[BO_SHA256_SIZE];
    bo_put_le32(&in[0], r->size);
    bo_put_le32(&in[4], r->image_id);
    bo_put_le32(&in[8], r->version);
    in[12] = r->enc;
    bo_put_le16(&in[13], r->checksum);
    bo_put_le16(&in[15], r->crc16);
    bo_sha256(in, sizeof(in), digest);
    memcpy(id, digest, BO_DFU_ID_SIZE);
}

static uint8_t parse_request(const bo_otas_t *otas, const bo_otas_cp_t *cp, bo_otas_request_t *r,
                             bo_otas_refusal_t *why)
{
    *why = BO_OTAS_REFUSE_FORMAT;
    if (cp->full_len != REQ_LEN_SHORT && cp->full_len != REQ_LEN_LONG) {
        return BO_OTAS_RES_NOT_SUPPORTED;
    }
    const uint8_t *p = &cp->buf[1];
    memset(r, 0, sizeof(*r));
    r->size = bo_get_le32(&p[0]);
    r->image_id = bo_get_le32(&p[4]);
    r->version = bo_get_le32(&p[8]);
    r->enc = p[12];
    r->extended = cp->full_len == REQ_LEN_LONG;
    r->file_type = 0xFFu; /* the short form does not say: internal flash assumed */
    if (r->extended) {
        r->checksum = bo_get_le16(&p[13]);
        r->file_type = p[15];
        r->crc16 = bo_get_le16(&p[16]);
    }
    /* File type 0x02 (raw data handed to the application) is refused by design: bleota stores
     * firmware images only (docs/ota-service.md, deliberate difference 6). */
    if (r->enc > 0x01u || (r->extended && r->file_type > FILE_TYPE_MAX) ||
        (r->extended && r->file_type == FILE_TYPE_RAW)) {
        return BO_OTAS_RES_NOT_SUPPORTED;
    }
    if (r->enc != 0u && otas->aes_key == NULL) { /* no AES key means no encrypted images */
        *why = BO_OTAS_REFUSE_NO_AES_KEY;
        return BO_OTAS_RES_NOT_SUPPORTED;
    }
    return BO_OTAS_RES_SUCCESS;
}

static void op_request(bo_otas_t *otas, const bo_otas_conn_t *c, const bo_otas_cp_t *cp)
{
    if (bo_otas_p_in_progress(otas)) {
        respond_req(otas, c->handle, BO_OTAS_RES_INVALID_STATE, 0);
        refused(otas, c->handle, BO_OTAS_REFUSE_BUSY, NULL, BO_ERR_BUSY);
        return;
    }
    bo_otas_request_t req;
    bo_otas_refusal_t why;
    uint8_t res = parse_request(otas, cp, &req, &why);
    int err = BO_OK;
    if (res == BO_OTAS_RES_SUCCESS) {
        err = bo_dfu_configure(otas->cfg.dfu, req.size);
        if (err == BO_ERR_RANGE || err == BO_ERR_ALIGN) {
            res = BO_OTAS_RES_INVALID_PARAM;
            why = BO_OTAS_REFUSE_SIZE;
        } else if (err != BO_OK) {
            res = BO_OTAS_RES_FAILED;
            why = BO_OTAS_REFUSE_FLASH;
        }
    }
    if (res != BO_OTAS_RES_SUCCESS) {
        respond_req(otas, c->handle, res, 0);
        refused(otas, c->handle, why,
                cp->full_len == REQ_LEN_SHORT || cp->full_len == REQ_LEN_LONG ? &req : NULL, err);
        return;
    }
    /* A new cycle: the previous completion's owner lets go. */
    otas->has_owner = false;
    otas->req = req;
    otas->requester = c->handle;
    otas->resumed_req = c->resume_opt_in && req.extended;
    otas->hashing = otas->md_hashed = otas->fw_hashed = false; /* digests of the last cycle */
    request_id(&req, otas->req_id);
    otas->state = BO_OTAS_WAIT_REQ_RSP;
    bo_otas_evt_t evt = {.type = BO_OTAS_EVT_UPDATE_REQ, .conn = c->handle, .req = &otas->req};
    bo_otas_p_emit(otas, &evt);
}

/* The window policy of otas.h for an automatic window: stock clients get what their TX queue
 * survives with early acknowledgement, opted-in clients a large one. */
static uint16_t auto_window(const bo_otas_t *otas, const bo_otas_conn_t *c, bool *early)
{
    bool known = c != NULL && c->mtu >= 23u;
    uint32_t payload = known ? (uint32_t)c->mtu - 3u : 20u;
    uint32_t w;
    /* Early acknowledgement for both: a stock client for its TX queue, an opted-in one (which
     * never loses a refused write) so that the link does not idle for the round trip. */
    *early = true;
    if (c != NULL && c->big_window) {
        w = known ? payload * BO_OTAS_WINDOW_WRITES : BO_OTAS_WINDOW_DEFAULT;
    } else {
        w = payload * BO_OTAS_STOCK_WRITES((uint32_t)otas->cfg.stock_tx_queue);
    }
    w = w < 65520u ? w - w % BO_AES_BLOCK : 65520u;
    return (uint16_t)(w < BO_AES_BLOCK ? BO_AES_BLOCK : w);
}

int bo_otas_update_response(bo_otas_t *otas, bool accept, uint32_t current_version)
{
    if (otas == NULL || otas->state != BO_OTAS_WAIT_REQ_RSP) {
        return BO_ERR_STATE;
    }
    uint16_t conn = otas->requester;
    otas->start_index = 0;
    if (!accept) { /* the caller (ota) reports why */
        bo_otas_p_end_transfer(otas);
        otas->state = BO_OTAS_IDLE;
        respond_req(otas, conn, BO_OTAS_RES_NOT_SUPPORTED, 0);
        return BO_OK;
    }
    bo_dfu_resume_t resume;
    memset(&resume, 0, sizeof(resume));
    /* Checkpoints need an identity; only an opted-in client is told where to continue. */
    int err = bo_dfu_start(otas->cfg.dfu, otas->cfg.resume ? otas->req_id : NULL,
                           otas->resumed_req ? &resume : NULL);
    /* A patch's record holds the patch bytes taken (aux) next to the image bytes stored. */
    uint32_t out_off = resume.offset;
    uint32_t in_off = resume.aux != 0u ? resume.aux : resume.offset;
    otas->route = BO_OTAS_ROUTE_UNKNOWN;
    otas->patch_in = 0;
    if (err == BO_OK && resume.aux != 0u) {
        err = bo_otas_p_patch_resume(otas, in_off, out_off);
    }
    if (err != BO_OK || in_off >= otas->req.size || (in_off % BO_AES_BLOCK) != 0u) {
        bo_otas_p_end_transfer(otas);
        otas->state = BO_OTAS_IDLE;
        respond_req(otas, conn, BO_OTAS_RES_FAILED, 0);
        refused(otas, conn, BO_OTAS_REFUSE_FLASH, &otas->req, err != BO_OK ? err : BO_ERR_RANGE);
        return BO_OK;
    }
    const bo_otas_conn_t *c = bo_otas_p_conn(otas, conn, false);
    otas->window = otas->cfg.window;
    otas->early_ack = false;
    if (otas->auto_window) {
        otas->window = auto_window(otas, c, &otas->early_ack);
    }
    otas->credit = in_off + otas->window;
    otas->next_ack = in_off;
    otas->stale_owner_set = false;
    otas->start_index = in_off;
    memcpy(otas->resume_iv, resume.cursor, BO_AES_BLOCK);
    otas->received = in_off;
    bo_otas_p_hash_start(otas, out_off);
    otas->next_ckpt = (in_off / BO_OTAS_CHECKPOINT + 1u) * BO_OTAS_CHECKPOINT;
    if (in_off > 0u && otas->route == BO_OTAS_ROUTE_UNKNOWN) {
        otas->route = BO_OTAS_ROUTE_IMAGE; /* a resumed image: its first block is long gone */
    }
    otas->part_len = 0;
    otas->owner = conn;
    otas->has_owner = true;
    otas->activity = true;
    otas->state = BO_OTAS_UPDATE_REQ;
    respond_req(otas, conn, BO_OTAS_RES_SUCCESS, current_version);
    return BO_OK;
}

static void op_start(bo_otas_t *otas, const bo_otas_cp_t *cp)
{
    uint8_t res = BO_OTAS_RES_SUCCESS;
    if (otas->state != BO_OTAS_UPDATE_REQ) {
        res = BO_OTAS_RES_INVALID_STATE;
    } else if (cp->full_len != 2u || cp->buf[1] != IMAGE_TYPE_FW) {
        res = BO_OTAS_RES_NOT_SUPPORTED;
    } else if (otas->req.enc != 0u &&
               bo_otas_p_aes_start(otas, otas->start_index > 0u ? otas->resume_iv : otas->aes_iv) !=
                   BO_OK) {
        res = BO_OTAS_RES_FAILED;
    }
    bo_otas_p_respond(otas, cp->conn, BO_OTAS_OP_UPDATE_START, res);
    if (res == BO_OTAS_RES_SUCCESS) {
        otas->state = BO_OTAS_UPDATE_START;
        bo_otas_evt_t evt = {.type = BO_OTAS_EVT_START,
                             .conn = cp->conn,
                             .start_index = otas->start_index,
                             .total = otas->req.size};
        bo_otas_p_emit(otas, &evt);
    }
}

/* The update ends without a verdict but the owner stays (reference: state COMPLETE). */
static void complete_without_verdict(bo_otas_t *otas, uint16_t conn, uint8_t res)
{
    bo_otas_p_end_transfer(otas);
    otas->state = BO_OTAS_COMPLETE;
    bo_otas_p_respond(otas, conn, BO_OTAS_OP_UPDATE_COMPLETE, res);
}

static void op_complete(bo_otas_t *otas, const bo_otas_cp_t *cp)
{
    bo_otas_state_t st = otas->state;
    if (st != BO_OTAS_UPDATE_REQ && st != BO_OTAS_UPDATE_START && st != BO_OTAS_UPDATE_ERROR) {
        bo_otas_p_respond(otas, cp->conn, BO_OTAS_OP_UPDATE_COMPLETE, BO_OTAS_RES_INVALID_STATE);
        return;
    }
    if (st == BO_OTAS_UPDATE_ERROR) {
        complete_without_verdict(otas, cp->conn, BO_OTAS_RES_FAILED); /* error already reported */
        return;
    }
    if (st == BO_OTAS_UPDATE_REQ || otas->received < otas->req.size) {
        /* Premature Complete = abort. 00 like the reference, so stock clients are not confused;
         * the application learns the truth from the event. */
        complete_without_verdict(otas, cp->conn, BO_OTAS_RES_SUCCESS);
        bo_otas_evt_t evt = {
            .type = BO_OTAS_EVT_ABORTED, .conn = cp->conn, .reason = BO_OTAS_ABORT_CLIENT};
        bo_otas_p_emit(otas, &evt);
        return;
    }
    int err = bo_dfu_finish(otas->cfg.dfu);
    if (err != BO_OK) {
        complete_without_verdict(otas, cp->conn, BO_OTAS_RES_FAILED);
        bo_otas_evt_t evt = {.type = BO_OTAS_EVT_ERROR, .conn = cp->conn, .status = err};
        bo_otas_p_emit(otas, &evt);
        return;
    }
    if (otas->aes_on) {
        bo_aes_cbc_free(&otas->aes);
        otas->aes_on = false;
    }
    otas->state = BO_OTAS_WAIT_COMP_RSP;
    bo_otas_evt_t evt = {.type = BO_OTAS_EVT_COMPLETE,
                         .conn = cp->conn,
                         .done = otas->received,
                         .total = otas->req.size,
                         .md_digest = otas->md_hashed ? otas->md_digest : NULL,
                         .fw_digest = otas->md_hashed && otas->fw_hashed ? otas->fw_digest : NULL};
    bo_otas_p_emit(otas, &evt);
}

int bo_otas_complete_response(bo_otas_t *otas, bool valid)
{
    if (otas == NULL || otas->state != BO_OTAS_WAIT_COMP_RSP) {
        return BO_ERR_STATE;
    }
    otas->state = BO_OTAS_COMPLETE;
    bo_otas_p_respond(otas, otas->owner, BO_OTAS_OP_UPDATE_COMPLETE,
                      valid ? BO_OTAS_RES_SUCCESS : BO_OTAS_RES_FAILED);
    return BO_OK;
}

static void op_opt_in(bo_otas_t *otas, bo_otas_conn_t *c, const bo_otas_cp_t *cp)
{
    if (bo_otas_p_in_progress(otas)) {
        bo_otas_p_respond(otas, c->handle, BO_OTAS_OP_RESUME_OPT_IN, BO_OTAS_RES_INVALID_STATE);
        return;
    }
    if (cp->full_len > 2u) {
        bo_otas_p_respond(otas, c->handle, BO_OTAS_OP_RESUME_OPT_IN, BO_OTAS_RES_NOT_SUPPORTED);
        return;
    }
    uint8_t flags = cp->full_len == 2u ? cp->buf[1] : BO_OTAS_OPT_IN_ALL; /* unknown bits: RFU */
    c->resume_opt_in = (flags & BO_OTAS_OPT_IN_RESUME) != 0u;
    c->big_window = (flags & BO_OTAS_OPT_IN_BIG_WINDOW) != 0u;
    bo_otas_p_respond(otas, c->handle, BO_OTAS_OP_RESUME_OPT_IN, BO_OTAS_RES_SUCCESS);
}

void bo_otas_p_run_cp(bo_otas_t *otas, const bo_otas_cp_t *cp)
{
    bo_otas_conn_t *c = bo_otas_p_conn(otas, cp->conn, false);
    uint8_t op = cp->buf[0];
    switch (op) {
    case BO_OTAS_OP_UPDATE_REQ:
        op_request(otas, c, cp);
        break;
    case BO_OTAS_OP_UPDATE_START:
        op_start(otas, cp);
        break;
    case BO_OTAS_OP_UPDATE_COMPLETE:
        op_complete(otas, cp);
        break;
    case BO_OTAS_OP_RESET: { /* no notification: the device may go down right after */
        if (!otas->has_owner || otas->owner != cp->conn) {
            /* a link that lost the service (timed out) answered like its other late writes;
             * it must not reboot the device */
            bo_otas_p_respond(otas, cp->conn, op, BO_OTAS_RES_INVALID_STATE);
            break;
        }
        bo_otas_evt_t evt = {.type = BO_OTAS_EVT_RESET, .conn = cp->conn};
        bo_otas_p_emit(otas, &evt);
        break;
    }
    default:
        if (op == BO_OTAS_OP_RESUME_OPT_IN && otas->cfg.resume) {
            op_opt_in(otas, c, cp);
        } else {
            bo_otas_p_respond(otas, cp->conn, op, BO_OTAS_RES_NOT_SUPPORTED);
        }
        break;
    }
}

void bo_otas_abort(bo_otas_t *otas, bo_otas_abort_t reason)
{
    if (otas == NULL || otas->state == BO_OTAS_IDLE) {
        return;
    }
    if (otas->state == BO_OTAS_COMPLETE) { /* nothing runs: just let the owner go */
        uint16_t owner = otas->owner;
        otas->has_owner = false;
        otas->state = BO_OTAS_IDLE;
        if (reason == BO_OTAS_ABORT_TIMEOUT) {
            /* silent after the verdict: its late writes are answered (see write_ctrl), and the
             * application learns that nobody will ask for the reset */
            otas->stale_owner_set = true;
            otas->stale_owner = owner;
            bo_otas_evt_t evt = {.type = BO_OTAS_EVT_ABORTED, .conn = owner, .reason = reason};
            bo_otas_p_emit(otas, &evt);
        }
        return;
    }
    bool sending = otas->state == BO_OTAS_UPDATE_START;
    uint16_t conn = otas->state == BO_OTAS_WAIT_REQ_RSP ? otas->requester : otas->owner;
    bo_otas_p_end_transfer(otas);
    otas->state = BO_OTAS_IDLE;
    otas->has_owner = false;
    if (reason == BO_OTAS_ABORT_TIMEOUT) { /* it may come back late: answer it, see write_ctrl */
        otas->stale_owner_set = true;
        otas->stale_owner = conn;
    }
    if (reason == BO_OTAS_ABORT_TIMEOUT && sending) {
        const uint8_t res = BO_OTAS_RES_UNSPECIFIED; /* a client waiting for a window ack stops */
        bo_otas_p_notify(otas, conn, BO_OTAS_ATTR_DATA, &res, 1u);
    }
    bo_otas_evt_t evt = {.type = BO_OTAS_EVT_ABORTED, .conn = conn, .reason = reason};
    bo_otas_p_emit(otas, &evt);
}

int bo_otas_fail(bo_otas_t *otas)
{
    if (otas == NULL || otas->state != BO_OTAS_UPDATE_START) {
        return BO_ERR_STATE;
    }
    bo_otas_p_end_transfer(otas);
    otas->state = BO_OTAS_UPDATE_ERROR;
    const uint8_t res = BO_OTAS_RES_FAILED;
    bo_otas_p_notify(otas, otas->owner, BO_OTAS_ATTR_DATA, &res, 1u);
    return BO_OK;
}
