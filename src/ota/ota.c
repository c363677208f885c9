/* ota: the application face. Turns profile events into application events and policy:
 * permission, anti-rollback, authentication through the bootloader API, inactivity timeout,
 * delayed reset (reference §2.12, §5.3; DESIGN §4: the timeout really aborts). */
#include <string.h>

#include "bleota/ota.h"

static int app_event(bo_ota_t *ota, const bo_ota_evt_t *evt)
{
    return ota->cfg.on_event(ota->cfg.event_ctx, evt);
}

static void refused(bo_ota_t *ota, uint16_t conn, bo_ota_refusal_t why, const bo_otas_request_t *req,
                    int status, uint32_t version)
{
    bo_ota_evt_t evt = {.type = BO_OTA_EVT_REFUSED,
                        .conn = conn,
                        .refusal = why,
                        .req = req,
                        .status = status,
                        .version = version};
    (void)app_event(ota, &evt);
}

/* The answer to a pending request, with its reason when it is a refusal. */
static void answer_request(bo_ota_t *ota, bool accept, bo_ota_refusal_t why)
{
    uint16_t conn = ota->otas.requester;
    (void)bo_otas_update_response(&ota->otas, accept, ota->cfg.current_version);
    if (!accept) {
        refused(ota, conn, why, &ota->otas.req, BO_ERR_REFUSED, ota->cfg.current_version);
    }
}

/* A trial image that has not confirmed keeps the previous image in slot 1 for its revert:
 * no download may start over it, and no clean-up may erase it. The status page is read again
 * at most once a second (the application confirms through bo_boot_confirm, not through us). */
#define TRIAL_RECHECK_MS 1000u

static bool on_trial(bo_ota_t *ota, uint32_t now_ms)
{
    bo_boot_status_t st;
    if (ota->cfg.auth_cfg == NULL) {
        return false;
    }
    if (!ota->trial_known || (uint32_t)(now_ms - ota->trial_checked_ms) >= TRIAL_RECHECK_MS) {
        ota->trial = bo_boot_status(ota->cfg.auth_cfg, &st) == BO_OK &&
                     (st.state == BO_BOOT_ST_TRIAL || st.state == BO_BOOT_ST_TRIAL_READY);
        ota->trial_known = true;
        ota->trial_checked_ms = now_ms;
    }
    return ota->trial;
}

/* The received header is the running image's: the same signed content (the metadata digest
 * covers everything signed, never SEQ_NUM or the signature's encoding). */
static bool running_header(const bo_ota_t *ota, const uint8_t digest[BO_SHA256_SIZE])
{
    const bo_boot_cfg_t *c = ota->cfg.auth_cfg;
    uint8_t hdr[BO_MD_SIZE], d[BO_SHA256_SIZE];
    bo_md_t md;
    if (c->flash->read(c->flash->ctx, c->layout.slot0, hdr, sizeof hdr) != BO_OK ||
        bo_md_parse(hdr, &md) != BO_OK) {
        return false;
    }
    bo_md_digest(hdr, d);
    return memcmp(d, digest, sizeof d) == 0;
}

static void on_request(bo_ota_t *ota, const bo_otas_evt_t *e)
{
    if (ota->reset_pending) { /* the validated image is about to be installed: keep slot 1 */
        answer_request(ota, false, BO_OTAS_REFUSE_BUSY);
        return;
    }
    ota->trial_known = false; /* a request is rare: read the status page now */
    if (on_trial(ota, ota->now)) {
        answer_request(ota, false, BO_OTAS_REFUSE_TRIAL);
        return;
    }
    /* Anti-rollback first: an older announced image is refused before anyone is asked. */
    if (e->req->version < ota->cfg.current_version) {
        answer_request(ota, false, BO_OTAS_REFUSE_OLDER_VERSION);
        return;
    }
    bo_ota_evt_t evt = {
        .type = BO_OTA_EVT_UPDATE_REQUEST, .conn = e->conn, .req = e->req, .total = e->req->size};
    int r = app_event(ota, &evt);
    if (r == BO_OTA_DEFER) {
        return;
    }
    answer_request(ota, r == BO_OK, BO_OTAS_REFUSE_APPLICATION);
}

/* The header check over the stored header and its streamed digest (the signed range). The
 * 512-byte copy lives in this frame only. */
static int check_header(bo_ota_t *ota, bo_md_t *md)
{
    uint8_t hdr[BO_MD_SIZE];
    const uint8_t *digest = bo_otas_md_digest(&ota->otas);
    if (digest == NULL) {
        return BO_ERR_STATE;
    }
    int rc = bo_dfu_read_received(&ota->dfu, 0, hdr, sizeof(hdr));
    if (rc == BO_OK && running_header(ota, digest)) {
        return BO_ERR_REFUSED; /* already current: stopped before it costs an install */
    }
    if (rc == BO_OK) {
        rc = bo_boot_check_metadata(ota->cfg.auth_cfg, 1, hdr, digest, md);
    }
    if (rc == BO_OK && md->fw_rev < ota->cfg.current_version) {
        rc = BO_ERR_ROLLBACK; /* signed, but older than what runs: refused now, not at Complete */
    }
    return rc;
}

/* A refused header ends the transfer now (03 on OTA Data), not after the whole image. The
 * image will not be accepted, so its resume record goes too (the slot can be cleaned). */
static void refuse_header(bo_ota_t *ota)
{
    if (ota->md_state != 2u || ota->md_status == BO_OK || ota->md_status == BO_ERR_IO ||
        bo_otas_fail(&ota->otas) != BO_OK) {
        return;
    }
    (void)bo_dfu_resume_clear(&ota->dfu);
    refused(ota, ota->otas.owner,
            ota->md_status == BO_ERR_REFUSED ? BO_OTAS_REFUSE_CURRENT : BO_OTAS_REFUSE_HEADER,
            &ota->otas.req, ota->md_status,
            ota->md_status == BO_ERR_ROLLBACK ? ota->md.fw_rev : 0u);
}

int bo_ota_background(bo_ota_t *ota)
{
    if (ota == NULL || ota->cfg.auth_cfg == NULL || ota->cfg.auth_from_flash || ota->md_state != 0u ||
        bo_otas_state(&ota->otas) != BO_OTAS_UPDATE_START ||
        bo_otas_md_digest(&ota->otas) == NULL) {
        return 0;
    }
    uint32_t gen = ota->gen;
    ota->md_state = 1u;
    bo_md_t md;
    int rc = check_header(ota, &md);
    if (gen == ota->gen && ota->md_state == 1u) { /* publish last, unless overtaken */
        ota->md = md;
        ota->md_status = rc;
        ota->md_state = 2u; /* bo_ota_process acts on it, in the OTA task */
    }
    return 1;
}

/* Slot 1's verdict: from the streamed digests when the whole download was hashed (the
 * header check is usually done already, in the background), else from flash. */
static int authenticate(bo_ota_t *ota, const bo_otas_evt_t *e, bo_boot_image_t *info)
{
    if (!ota->cfg.auth_from_flash && ota->cfg.auth_cfg != NULL && e->md_digest != NULL &&
        e->fw_digest != NULL) {
        if (ota->md_state != 2u) {
            ota->md_status = check_header(ota, &ota->md);
            ota->md_state = 2u;
        }
        if (ota->md_status == BO_OK && ota->md.fw_len == ota->otas.fw_len) {
            return bo_boot_check_firmware(ota->cfg.auth_cfg, &ota->md, e->fw_digest, info);
        }
        if (ota->md_status != BO_OK && ota->md_status != BO_ERR_IO) {
            return ota->md_status; /* the header itself is refused: same verdict as boot's */
        }
    }
    return ota->cfg.authenticate(ota->cfg.auth_cfg, 1, info);
}

static void on_complete(bo_ota_t *ota, const bo_otas_evt_t *e)
{
    bo_boot_image_t info;
    memset(&info, 0, sizeof(info));
    int status = authenticate(ota, e, &info);
    if (status == BO_OK && info.version < ota->cfg.current_version) {
        status = BO_ERR_ROLLBACK; /* signed FW_IMG_REV older than what runs */
    }
    ota->validated = status == BO_OK;
    ota->validated_version = ota->validated ? info.version : 0u;
    ota->may_reset = ota->validated;
    ota->validated_conn = e->conn;
    (void)bo_otas_complete_response(&ota->otas, ota->validated);
    bo_ota_evt_t evt = {.type = BO_OTA_EVT_COMPLETE,
                        .conn = e->conn,
                        .status = status,
                        .version = ota->validated_version,
                        .done = e->done,
                        .total = e->total};
    (void)app_event(ota, &evt);
}

/* Only a validated image is worth a reboot (reference: only while still in OTA mode), and only
 * its own link may ask, while it still owns this cycle: a later owner, or a link that timed out
 * or reconnected under the same handle, must not reboot the device under somebody else's
 * validation. */
static bool reset_allowed(const bo_ota_t *ota, uint16_t conn)
{
    const bo_otas_t *s = &ota->otas;
    return ota->validated && ota->may_reset && conn == ota->validated_conn &&
           bo_otas_state(s) == BO_OTAS_COMPLETE && s->has_owner && s->owner == conn;
}

static void on_reset(bo_ota_t *ota, const bo_otas_evt_t *e)
{
    if (reset_allowed(ota, e->conn) && !ota->reset_pending) { /* a repeat keeps the time */
        ota->reset_pending = true;
        ota->reset_at = ota->now + ota->cfg.reset_delay_ms;
    }
    bo_ota_evt_t evt = {
        .type = BO_OTA_EVT_RESET_REQUEST, .conn = e->conn, .will_reset = ota->reset_pending};
    (void)app_event(ota, &evt);
}

static void on_otas_event(void *ctx, const bo_otas_evt_t *e)
{
    bo_ota_t *ota = ctx;
    bo_ota_evt_t evt = {.conn = e->conn};
    switch (e->type) {
    case BO_OTAS_EVT_UPDATE_REQ:
        ota->may_reset = false; /* a new cycle: the last validation's owner lets go */
        on_request(ota, e);
        return;
    case BO_OTAS_EVT_START:
        ota->validated = false; /* slot 1 is being overwritten */
        ota->gen++;             /* a new header to check */
        ota->md_state = 0u;
        evt.type = BO_OTA_EVT_START;
        evt.done = e->start_index;
        evt.total = e->total;
        break;
    case BO_OTAS_EVT_WINDOW:
        evt.type = BO_OTA_EVT_PROGRESS;
        evt.done = e->done;
        evt.total = e->total;
        break;
    case BO_OTAS_EVT_COMPLETE:
        on_complete(ota, e);
        return;
    case BO_OTAS_EVT_ABORTED:
        evt.type = BO_OTA_EVT_ABORTED;
        evt.reason = e->reason;
        break;
    case BO_OTAS_EVT_ERROR:
        evt.type = BO_OTA_EVT_ERROR;
        evt.status = e->status;
        break;
    case BO_OTAS_EVT_RESET:
        on_reset(ota, e);
        return;
    case BO_OTAS_EVT_REFUSED:
        refused(ota, e->conn, e->refusal, e->req, e->status, ota->cfg.current_version);
        return;
    default:
        return;
    }
    (void)app_event(ota, &evt);
}

int bo_ota_init(bo_ota_t *ota, const bo_ota_cfg_t *cfg)
{
    if (ota == NULL || cfg == NULL || cfg->flash == NULL || cfg->sys == NULL ||
        cfg->authenticate == NULL || cfg->notify == NULL || cfg->on_event == NULL) {
        return BO_ERR_ARG;
    }
    memset(ota, 0, sizeof(*ota));
    ota->cfg = *cfg;
    if (ota->cfg.timeout_ms == 0u) {
        ota->cfg.timeout_ms = BO_OTA_TIMEOUT_DEFAULT_MS;
    }
    if (ota->cfg.reset_delay_ms == 0u) {
        ota->cfg.reset_delay_ms = BO_OTA_RESET_DELAY_DEFAULT_MS;
    }
    int err = bo_dfu_init(&ota->dfu, cfg->flash, &cfg->layout);
    if (err != BO_OK) {
        return err;
    }
#if BO_OTA_STAGE > 0
    if (cfg->flash->page_size <= BO_OTA_STAGE) { /* else: no staging, programmed at once */
        (void)bo_dfu_set_stage(&ota->dfu, ota->stage, BO_OTA_STAGE);
    }
#endif
    bo_otas_cfg_t oc = {
        .notify = cfg->notify,
        .notify_ctx = cfg->notify_ctx,
        .on_event = on_otas_event,
        .event_ctx = ota,
        .dfu = &ota->dfu,
        .window = cfg->window,
        .stock_tx_queue = cfg->stock_tx_queue,
        .resume = cfg->resume && cfg->layout.resume_addr != 0u,
    };
    err = bo_otas_init(&ota->otas, &oc);
    if (err != BO_OK) {
        return err;
    }
    /* Keys come from the port's store only; absent means refused, never a default. */
    const bo_keys_t *k = cfg->keys;
    return bo_otas_set_keys(&ota->otas, k != NULL ? k->aes_key : NULL,
                            k != NULL ? k->aes_iv : NULL);
}

bo_otas_t *bo_ota_otas(bo_ota_t *ota)
{
    return ota != NULL ? &ota->otas : NULL;
}

/* While the client owes us bytes or opcodes (COMPLETE included: it owes the Reset Request or
 * the next cycle), silence for timeout_ms ends its ownership. */
static void check_timeout(bo_ota_t *ota, uint32_t now_ms)
{
    bool active = bo_otas_take_activity(&ota->otas);
    if (!bo_otas_waiting_for_client(&ota->otas)) {
        ota->timing = false;
        return;
    }
    if (!ota->timing || active) {
        ota->timing = true;
        ota->last_activity = now_ms;
        return;
    }
    if ((uint32_t)(now_ms - ota->last_activity) >= ota->cfg.timeout_ms) {
        ota->timing = false;
        bo_otas_abort(&ota->otas, BO_OTAS_ABORT_TIMEOUT);
        bo_otas_process(&ota->otas, now_ms); /* send what the abort queued */
    }
}

void bo_ota_process(bo_ota_t *ota, uint32_t now_ms)
{
    if (ota == NULL) {
        return;
    }
    ota->now = now_ms;
    refuse_header(ota); /* a verdict bo_ota_background published */
    bo_otas_process(&ota->otas, now_ms);
    check_timeout(ota, now_ms);
    if (ota->reset_pending && (int32_t)(now_ms - ota->reset_at) >= 0) {
        ota->reset_pending = false;
        if (ota->cfg.sys->reset != NULL) {
            ota->cfg.sys->reset(ota->cfg.sys->ctx);
        }
    }
}

int bo_ota_update_response(bo_ota_t *ota, bool accept, uint32_t current_version)
{
    if (ota == NULL) {
        return BO_ERR_ARG;
    }
    if (bo_otas_state(&ota->otas) != BO_OTAS_WAIT_REQ_RSP) {
        return BO_ERR_STATE;
    }
    ota->cfg.current_version = current_version;
    bo_ota_refusal_t why = BO_OTAS_REFUSE_APPLICATION;
    if (accept && ota->otas.req.version < current_version) {
        accept = false; /* anti-rollback holds for a late answer too */
        why = BO_OTAS_REFUSE_OLDER_VERSION;
    }
    answer_request(ota, accept, why);
    return BO_OK;
}

int bo_ota_set_mtu(bo_ota_t *ota, uint16_t conn, uint16_t mtu)
{
    return ota != NULL ? bo_otas_set_mtu(&ota->otas, conn, mtu) : BO_ERR_ARG;
}

void bo_ota_writable(bo_ota_t *ota, uint32_t now_ms)
{
    if (ota != NULL) {
        bo_otas_writable(&ota->otas);
        bo_ota_process(ota, now_ms);
    }
}

int bo_ota_idle(bo_ota_t *ota, uint32_t now_ms)
{
    if (ota == NULL) {
        return 0;
    }
    if (bo_ota_background(ota) == 1) {
        return 1;
    }
    /* Not while an update runs, nor over a validated image waiting for its reset. */
    bo_otas_state_t st = bo_otas_state(&ota->otas);
    if (!ota->cfg.idle_erase || ota->validated || (st != BO_OTAS_IDLE && st != BO_OTAS_COMPLETE) ||
        on_trial(ota, now_ms)) {
        return 0;
    }
    return bo_dfu_idle_erase(&ota->dfu);
}

void bo_ota_stop(bo_ota_t *ota)
{
    if (ota != NULL) {
        bo_otas_abort(&ota->otas, BO_OTAS_ABORT_APP);
    }
}

bool bo_ota_validated(const bo_ota_t *ota)
{
    return ota != NULL && ota->validated;
}
