/* otas: the GATT face. Attribute table, connection table, ATT-level checks of reads and writes
 * (reference §1, §2.4 owner rules, §2.10), and the queues that bo_otas_process drains. */
#include <string.h>

#include "bleota/endian.h"
#include "otas_priv.h"

/* UUIDs as stored in a GATT table: little-endian, "MCHP" in the last four bytes. */
const uint8_t bo_otas_uuid_service[16] = {0xD7, 0x15, 0x82, 0x8E, 0x1B, 0xE6, 0x23, 0x99,
                                          0xB3, 0x46, 0x3D, 0x25, 0x50, 0x48, 0x43, 0x4D};
const uint8_t bo_otas_uuid_feature[16] = {0x58, 0x63, 0x90, 0x2F, 0x4A, 0x0C, 0x03, 0xAF,
                                          0x46, 0x42, 0xE4, 0x22, 0x50, 0x48, 0x43, 0x4D};
const uint8_t bo_otas_uuid_ctrl[16] = {0x76, 0x8A, 0x02, 0x39, 0x7F, 0xC9, 0x82, 0x88,
                                       0xDE, 0x45, 0x27, 0x93, 0x50, 0x48, 0x43, 0x4D};
const uint8_t bo_otas_uuid_data[16] = {0x78, 0xD4, 0x8C, 0x7C, 0xF5, 0x56, 0x7E, 0xBA,
                                       0xA6, 0x40, 0xD9, 0x34, 0x50, 0x48, 0x43, 0x4D};

#define RW_ENC (BO_OTAS_PERM_READ | BO_OTAS_PERM_WRITE | BO_OTAS_PERM_ENC)

const bo_otas_attr_desc_t bo_otas_attr_table[BO_OTAS_ATTR_COUNT] = {
    {BO_OTAS_ATTR_SERVICE, BO_OTAS_KIND_SERVICE, bo_otas_uuid_service, 0, 0, BO_OTAS_PERM_READ},
    {BO_OTAS_ATTR_FEATURE, BO_OTAS_KIND_VALUE, bo_otas_uuid_feature, 0, BO_OTAS_PROP_READ,
     BO_OTAS_PERM_READ | BO_OTAS_PERM_ENC},
    {BO_OTAS_ATTR_CTRL, BO_OTAS_KIND_VALUE, bo_otas_uuid_ctrl, 0,
     BO_OTAS_PROP_WRITE | BO_OTAS_PROP_NOTIFY, BO_OTAS_PERM_WRITE | BO_OTAS_PERM_ENC},
    {BO_OTAS_ATTR_CTRL_CCCD, BO_OTAS_KIND_CCCD, NULL, BO_OTAS_UUID_CCCD, 0, RW_ENC},
    {BO_OTAS_ATTR_DATA, BO_OTAS_KIND_VALUE, bo_otas_uuid_data, 0,
     BO_OTAS_PROP_WRITE_NO_RSP | BO_OTAS_PROP_NOTIFY, BO_OTAS_PERM_WRITE | BO_OTAS_PERM_ENC},
    {BO_OTAS_ATTR_DATA_CCCD, BO_OTAS_KIND_CCCD, NULL, BO_OTAS_UUID_CCCD, 0, RW_ENC},
};

int bo_otas_init(bo_otas_t *otas, const bo_otas_cfg_t *cfg)
{
    if (otas == NULL || cfg == NULL || cfg->notify == NULL || cfg->on_event == NULL ||
        cfg->dfu == NULL || (cfg->window % BO_AES_BLOCK) != 0u) {
        return BO_ERR_ARG;
    }
    memset(otas, 0, sizeof(*otas));
    otas->cfg = *cfg;
    otas->auto_window = otas->cfg.window == 0u;
    if (otas->cfg.window == 0u) {
        otas->cfg.window = BO_OTAS_WINDOW_DEFAULT;
    }
    if (otas->cfg.stock_tx_queue == 0u) {
        otas->cfg.stock_tx_queue = BO_OTAS_STOCK_TX_QUEUE;
    }
    otas->window = otas->cfg.window;
    otas->state = BO_OTAS_IDLE;
    return BO_OK;
}

int bo_otas_set_mtu(bo_otas_t *otas, uint16_t conn, uint16_t mtu)
{
    if (otas == NULL || mtu < 23u) {
        return BO_ERR_ARG;
    }
    bo_otas_conn_t *c = bo_otas_p_conn(otas, conn, true);
    if (c == NULL) {
        return BO_ERR_NOSPACE;
    }
    c->mtu = mtu;
    return BO_OK;
}

int bo_otas_set_keys(bo_otas_t *otas, const uint8_t *key, const uint8_t *iv)
{
    if (otas == NULL) {
        return BO_ERR_ARG;
    }
    if (bo_otas_p_in_progress(otas)) {
        return BO_ERR_BUSY;
    }
    /* A key without an IV is not a usable provisioning: treat both as absent. */
    otas->aes_key = (iv != NULL) ? key : NULL;
    otas->aes_iv = (key != NULL) ? iv : NULL;
    return BO_OK;
}

bo_otas_conn_t *bo_otas_p_conn(bo_otas_t *otas, uint16_t conn, bool create)
{
    bo_otas_conn_t *free_slot = NULL;
    for (size_t i = 0; i < BO_OTAS_CONN_MAX; i++) {
        bo_otas_conn_t *c = &otas->conns[i];
        if (c->in_use && c->handle == conn) {
            return c;
        }
        if (!c->in_use && free_slot == NULL) {
            free_slot = c;
        }
    }
    if (!create || free_slot == NULL) {
        return NULL;
    }
    memset(free_slot, 0, sizeof(*free_slot));
    free_slot->in_use = true;
    free_slot->handle = conn;
    return free_slot;
}

int bo_otas_connected(bo_otas_t *otas, uint16_t conn)
{
    if (otas == NULL) {
        return BO_ERR_ARG;
    }
    bo_otas_conn_t *c = bo_otas_p_conn(otas, conn, true);
    if (c == NULL) {
        return BO_ERR_NOSPACE;
    }
    /* A fresh link starts unencrypted with notifications off, whatever the handle saw before. */
    memset(c, 0, sizeof(*c));
    c->in_use = true;
    c->handle = conn;
    return BO_OK;
}

void bo_otas_disconnected(bo_otas_t *otas, uint16_t conn)
{
    if (otas == NULL) {
        return;
    }
    /* Its queued Control Point writes die with it (len 0 marks a dead entry). */
    for (size_t i = 0; i < otas->cpq_count; i++) {
        bo_otas_cp_t *cp = &otas->cpq[(otas->cpq_head + i) % BO_OTAS_CP_QUEUE];
        if (cp->conn == conn) {
            cp->len = 0;
        }
    }
    if (bo_otas_p_is_owner(otas, conn)) {
        bo_otas_abort(otas, BO_OTAS_ABORT_DISCONNECT);
    }
    if (otas->stale_owner_set && otas->stale_owner == conn) {
        otas->stale_owner_set = false;
    }
    bo_otas_conn_t *c = bo_otas_p_conn(otas, conn, false);
    if (c != NULL) {
        c->in_use = false;
    }
}

void bo_otas_link_encrypted(bo_otas_t *otas, uint16_t conn, bool encrypted)
{
    if (otas == NULL) {
        return;
    }
    bo_otas_conn_t *c = bo_otas_p_conn(otas, conn, true);
    if (c != NULL) {
        c->encrypted = encrypted;
    }
}

uint8_t bo_otas_read(bo_otas_t *otas, uint16_t conn, bo_otas_attr_t attr, uint8_t *out, size_t cap,
                     size_t *len)
{
    if (len != NULL) {
        *len = 0;
    }
    if (otas == NULL || out == NULL || len == NULL) {
        return BO_OTAS_ATT_APP_ERROR;
    }
    if (attr == BO_OTAS_ATTR_SERVICE) { /* declaration: readable without security */
        if (cap < 16u) {
            return BO_OTAS_ATT_APP_ERROR;
        }
        memcpy(out, bo_otas_uuid_service, 16u);
        *len = 16u;
        return BO_OTAS_ATT_OK;
    }
    bo_otas_conn_t *c = bo_otas_p_conn(otas, conn, true);
    if (c == NULL) {
        return BO_OTAS_ATT_INSUFFICIENT_RESOURCES;
    }
    if (!c->encrypted) {
        return BO_OTAS_ATT_INSUFFICIENT_AUTHEN;
    }
    uint16_t v;
    switch (attr) {
    case BO_OTAS_ATTR_FEATURE:
        if (!c->cccd_ctrl) {
            return BO_OTAS_ATT_READ_NOT_PERMITTED; /* reference: CCCD first */
        }
        v = (uint16_t)(0x0101u | (otas->cfg.resume ? (BO_OTAS_FEATURE_RESUME << 8) : 0u));
        break;
    case BO_OTAS_ATTR_CTRL_CCCD:
        v = c->cccd_ctrl ? 1u : 0u;
        break;
    case BO_OTAS_ATTR_DATA_CCCD:
        v = c->cccd_data ? 1u : 0u;
        break;
    default:
        return BO_OTAS_ATT_READ_NOT_PERMITTED;
    }
    if (cap < 2u) {
        return BO_OTAS_ATT_APP_ERROR;
    }
    bo_put_le16(out, v);
    *len = 2u;
    return BO_OTAS_ATT_OK;
}

static uint8_t write_cccd(bo_otas_t *otas, bo_otas_conn_t *c, bool *flag, const uint8_t *data,
                          size_t len)
{
    if (len != 2u) {
        return BO_OTAS_ATT_INVALID_LENGTH;
    }
    uint16_t v = bo_get_le16(data);
    if (v == 1u) {
        *flag = true; /* never resets a running update (reference §7.2-m) */
        return BO_OTAS_ATT_OK;
    }
    if (v != 0u) {
        return BO_OTAS_ATT_APP_ERROR; /* indications are not offered */
    }
    bool owner = bo_otas_p_is_owner(otas, c->handle);
    if (!owner && bo_otas_p_in_progress(otas)) {
        return BO_OTAS_ATT_WRITE_NOT_PERMITTED;
    }
    *flag = false;
    if (owner) {
        /* The owner can no longer hear results: end the update cleanly. */
        bo_otas_abort(otas, BO_OTAS_ABORT_CCCD);
    }
    return BO_OTAS_ATT_OK;
}

static uint8_t write_ctrl(bo_otas_t *otas, bo_otas_conn_t *c, const uint8_t *data, size_t len)
{
    if (len == 0u) {
        return BO_OTAS_ATT_INVALID_LENGTH;
    }
    if (!c->cccd_ctrl) {
        return BO_OTAS_ATT_WRITE_NOT_PERMITTED;
    }
    uint8_t op = data[0];
    if (otas->has_owner) {
        if (c->handle != otas->owner) {
            return BO_OTAS_ATT_WRITE_NOT_PERMITTED;
        }
        otas->activity = true;
    } else if (op != BO_OTAS_OP_UPDATE_REQ &&
               !(op == BO_OTAS_OP_RESUME_OPT_IN && otas->cfg.resume) &&
               !(otas->stale_owner_set && otas->stale_owner == c->handle)) {
        /* No owner: the reference's ATT 0x03. The owner of an update that timed out is answered
         * by notification instead (01 Invalid State): a stock client ignores ATT errors and
         * would wait forever. */
        return BO_OTAS_ATT_WRITE_NOT_PERMITTED;
    }
    if (otas->cpq_count >= BO_OTAS_CP_QUEUE) {
        return BO_OTAS_ATT_INSUFFICIENT_RESOURCES;
    }
    bo_otas_cp_t *cp = &otas->cpq[(otas->cpq_head + otas->cpq_count) % BO_OTAS_CP_QUEUE];
    otas->cpq_count++;
    cp->conn = c->handle;
    cp->full_len = (uint16_t)(len > 0xFFFFu ? 0xFFFFu : len);
    cp->len = (uint8_t)(len > BO_OTAS_CP_MAX ? BO_OTAS_CP_MAX : len);
    memcpy(cp->buf, data, cp->len);
    return BO_OTAS_ATT_OK;
}

uint8_t bo_otas_write(bo_otas_t *otas, uint16_t conn, bo_otas_attr_t attr, bool is_command,
                      const uint8_t *data, size_t len)
{
    if (otas == NULL || (data == NULL && len > 0u)) {
        return BO_OTAS_ATT_APP_ERROR;
    }
    if (attr != BO_OTAS_ATTR_CTRL && attr != BO_OTAS_ATTR_CTRL_CCCD && attr != BO_OTAS_ATTR_DATA &&
        attr != BO_OTAS_ATTR_DATA_CCCD) {
        return BO_OTAS_ATT_WRITE_NOT_PERMITTED;
    }
    bo_otas_conn_t *c = bo_otas_p_conn(otas, conn, true);
    if (c == NULL) {
        return BO_OTAS_ATT_INSUFFICIENT_RESOURCES;
    }
    if (!c->encrypted) {
        return BO_OTAS_ATT_INSUFFICIENT_AUTHEN;
    }
    if (attr == BO_OTAS_ATTR_DATA) {
        /* Write Request or Command alike (DESIGN §4): the transport answers a request with 0. */
        bo_otas_p_data(otas, conn, data, len);
        return BO_OTAS_ATT_OK;
    }
    if (is_command) {
        return BO_OTAS_ATT_REQ_NOT_SUPPORTED;
    }
    if (attr == BO_OTAS_ATTR_CTRL) {
        return write_ctrl(otas, c, data, len);
    }
    return write_cccd(otas, c, attr == BO_OTAS_ATTR_CTRL_CCCD ? &c->cccd_ctrl : &c->cccd_data, data,
                      len);
}

/* Is n the same notification as the newest queued one? */
static bool same_as_tail(const bo_otas_t *otas, uint16_t conn, bo_otas_attr_t attr,
                         const uint8_t *data, size_t len)
{
    if (otas->nq_count == 0u) {
        return false;
    }
    const bo_otas_notif_t *t =
        &otas->nq[(otas->nq_head + otas->nq_count - 1u) % BO_OTAS_NOTIF_QUEUE];
    return t->conn == conn && t->attr == (uint8_t)attr && t->len == len &&
           memcmp(t->buf, data, len) == 0;
}

void bo_otas_p_notify(bo_otas_t *otas, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data,
                      size_t len)
{
    /* A repeated error on OTA Data (e.g. 01 for every write that still arrives after a
     * failure) tells the client nothing new while the first one waits: kept once, so it cannot
     * push out a Control Point answer. */
    if (attr == BO_OTAS_ATTR_DATA && len == 1u && data[0] != BO_OTAS_RES_SUCCESS &&
        same_as_tail(otas, conn, attr, data, len)) {
        return;
    }
    if (otas->nq_count >= BO_OTAS_NOTIF_QUEUE || len > BO_OTAS_UPDATE_RSP_LEN) {
        otas->notif_dropped++;
        return;
    }
    bo_otas_notif_t *n = &otas->nq[(otas->nq_head + otas->nq_count) % BO_OTAS_NOTIF_QUEUE];
    otas->nq_count++;
    n->conn = conn;
    n->attr = (uint8_t)attr;
    n->len = (uint8_t)len;
    memcpy(n->buf, data, len);
}

void bo_otas_p_respond(bo_otas_t *otas, uint16_t conn, uint8_t op, uint8_t result)
{
    const uint8_t rsp[3] = {BO_OTAS_OP_RESPONSE, op, result};
    bo_otas_p_notify(otas, conn, BO_OTAS_ATTR_CTRL, rsp, sizeof(rsp));
}

static void pop_notification(bo_otas_t *otas)
{
    otas->nq_head = (uint8_t)((otas->nq_head + 1u) % BO_OTAS_NOTIF_QUEUE);
    otas->nq_count--;
}

/* Sends queued notifications in order. A notification the transport has no room for
 * (BO_ERR_BUSY) stays at the head until bo_otas_writable or the next bo_otas_process. */
static void flush_notifications(bo_otas_t *otas)
{
    otas->notif_blocked = false;
    while (otas->nq_count > 0u) {
        bo_otas_notif_t *n = &otas->nq[otas->nq_head];
        const bo_otas_conn_t *c = bo_otas_p_conn(otas, n->conn, false);
        bool enabled = c != NULL && (n->attr == BO_OTAS_ATTR_CTRL ? c->cccd_ctrl : c->cccd_data);
        if (!enabled) {
            pop_notification(otas);
            otas->notif_dropped++;
            continue;
        }
        int rc = otas->cfg.notify(otas->cfg.notify_ctx, n->conn, (bo_otas_attr_t)n->attr, n->buf,
                                  n->len);
        if (rc == BO_ERR_BUSY) {
            otas->notif_blocked = true;
            return;
        }
        pop_notification(otas);
        if (rc != 0) {
            otas->notif_dropped++;
        }
    }
}

void bo_otas_writable(bo_otas_t *otas)
{
    if (otas != NULL) {
        flush_notifications(otas);
    }
}

void bo_otas_process(bo_otas_t *otas, uint32_t now_ms)
{
    (void)now_ms;
    if (otas == NULL) {
        return;
    }
    flush_notifications(otas); /* what OTA Data produced before these opcodes */
    /* An opcode's answer must not be lost: opcodes wait while the transport is full. */
    while (otas->cpq_count > 0u && !otas->notif_blocked) {
        bo_otas_cp_t cp = otas->cpq[otas->cpq_head];
        otas->cpq_head = (uint8_t)((otas->cpq_head + 1u) % BO_OTAS_CP_QUEUE);
        otas->cpq_count--;
        if (cp.len > 0u && bo_otas_p_conn(otas, cp.conn, false) != NULL) {
            bo_otas_p_run_cp(otas, &cp);
        }
        flush_notifications(otas);
    }
    bo_otas_p_erase_ahead(otas);
    flush_notifications(otas); /* an erase failure's 03 */
}

bool bo_otas_take_activity(bo_otas_t *otas)
{
    bool a = otas->activity;
    otas->activity = false;
    return a;
}
