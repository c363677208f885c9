/* The demo's main loop with the OTA stack: the ATT link runs over UART0 with the framing of
 * att.h / docs/link.md ([len u16 LE][PDU], 0xF0 = link control), the same as the simulated
 * device, so `bleota update --to tcp:HOST:PORT` drives QEMU's `-serial tcp:...,server`.
 *
 * A UART has no connection events, so the link is one connection (handle 1) that is open from
 * start-up. An Exchange MTU Request starts a new session (a BLE client sends it once, first
 * thing on a connection, and bleota's client always does): the old connection is closed (an
 * update it owned is aborted, its resume record kept) and a fresh one opened, unencrypted with
 * ATT_MTU 23, before the request is answered. The attribute database and its permissions are
 * the simulated device's (docs/link.md). On Update Complete `ota` authenticates slot 1 through the
 * bootloader's API table; a Reset Request after a validated update resets into the bootloader,
 * which installs it. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "bleota/att.h"
#include "bleota/endian.h"
#include "bleota/img.h"
#include "bleota/ota.h"
#include "bleota/otas.h"
#include "bleota/otas_att.h"
#include "bleota/qemu/board.h"
#include "demo.h"

#define CONN 1u
#define OTA_FIRST_HANDLE 0x0100u /* where Microchip's stack puts the service */
#define ATTR_CAP 16u
/* A frame left incomplete this long belongs to a client that went away mid-frame (QEMU drops
 * what it had not delivered when a socket client closes): forget it, so that the next client
 * starts on a frame boundary. Far above any gap inside a frame, far below a reconnect. */
#define FRAME_STALE_MS 500u

typedef struct demo {
    bo_ota_t ota;
    bo_att_db_t db;
    bo_att_attr_t attrs[ATTR_CAP];
    bo_att_server_t srv;
    bo_link_rx_t rx;
    uint16_t handle_of[BO_OTAS_ATTR_COUNT];
    uint8_t pdu[BO_LINK_HDR_SIZE + BO_ATT_MTU_MAX];
    char fw_rev[16];
} demo_t;

static demo_t demo;

static void link_send(const uint8_t *pdu, uint16_t len)
{
    uint8_t hdr[BO_LINK_HDR_SIZE];
    if (bo_link_hdr(hdr, len) != BO_OK)
        return;
    bo_qemu_uart_write(BO_QEMU_UART0, hdr, sizeof hdr);
    bo_qemu_uart_write(BO_QEMU_UART0, pdu, len);
}

/* ---- GATT callbacks: otas decides everything, security included --------------------------- */
static uint8_t gatt_read(void *ctx, uint16_t handle, uint8_t *out, uint16_t cap, uint16_t *len)
{
    (void)ctx;
    int a = bo_otas_att_attr(demo.handle_of, handle);
    size_t n = 0;
    if (a < 0)
        return BO_ATT_ERR_READ_NOT_PERMITTED;
    uint8_t rc = bo_otas_read(bo_ota_otas(&demo.ota), CONN, (bo_otas_attr_t)a, out, cap, &n);
    *len = (uint16_t)n;
    return rc;
}

static uint8_t gatt_write(void *ctx, uint16_t handle, const uint8_t *data, uint16_t len, bool cmd)
{
    (void)ctx;
    int a = bo_otas_att_attr(demo.handle_of, handle);
    if (a < 0)
        return BO_ATT_ERR_WRITE_NOT_PERMITTED;
    return bo_otas_write(bo_ota_otas(&demo.ota), CONN, (bo_otas_attr_t)a, cmd, data, len);
}

static int gatt_notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data,
                       size_t len)
{
    (void)ctx;
    (void)conn;
    uint8_t out[BO_OTAS_UPDATE_RSP_LEN + 3u];
    int n =
        bo_att_server_notify(&demo.srv, demo.handle_of[attr], data, (uint16_t)len, out, sizeof out);
    if (n < 0)
        return n;
    link_send(out, (uint16_t)n);
    return BO_OK;
}

/* ---- The attribute database: Device Information (firmware revision) + the OTA service ---- */
static int build_db(void)
{
    bo_att_uuid_t u = bo_att_uuid16(BO_GATT_DIS);
    int h = bo_att_db_init(&demo.db, demo.attrs, ATTR_CAP, 1);
    if (h == BO_OK)
        h = bo_att_db_add_service(&demo.db, &u);
    u = bo_att_uuid16(BO_GATT_FW_REVISION);
    if (h >= 0)
        h = bo_att_db_add_char(&demo.db, &u, BO_GATT_PROP_READ, BO_ATT_PERM_READ,
                               (const uint8_t *)demo.fw_rev, (uint16_t)strlen(demo.fw_rev));
    if (h >= 0)
        h = bo_att_db_skip_to(&demo.db, OTA_FIRST_HANDLE);
    return h < 0 ? h : bo_otas_att_add(&demo.db, demo.handle_of);
}

/* ---- The bootloader's authenticate, through its API table ------------------------------- */
static int boot_authenticate(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    (void)cfg;
    const bo_qemu_boot_api_t *api = bo_qemu_boot_api();
    uint32_t rev = 0;
    if (!api)
        return BO_ERR_UNSUPPORTED;
    int rc = api->authenticate((uint32_t)slot, &rev);
    if (info) {
        memset(info, 0, sizeof *info);
        info->version = rev;
    }
    return rc;
}

static int on_ota_event(void *ctx, const bo_ota_evt_t *e)
{
    char v[16];
    (void)ctx;
    switch (e->type) {
    case BO_OTA_EVT_UPDATE_REQUEST:
        bo_qemu_log("app: update request for ", bo_version_format(e->req->version, v));
        return BO_OK;
    case BO_OTA_EVT_START:
        bo_qemu_log_num("app: update started at offset ", (int32_t)e->done);
        break;
    case BO_OTA_EVT_COMPLETE:
        if (e->status == BO_OK)
            bo_qemu_log("app: update validated ", bo_version_format(e->version, v));
        else
            bo_qemu_log("app: update refused: ", bo_err_str(e->status));
        break;
    case BO_OTA_EVT_ABORTED:
        bo_qemu_log_num("app: update aborted, reason ", (int32_t)e->reason);
        break;
    case BO_OTA_EVT_RESET_REQUEST:
        bo_qemu_log("app: reset request", e->will_reset ? ", resetting" : ", ignored");
        break;
    case BO_OTA_EVT_ERROR:
        bo_qemu_log("app: update error: ", bo_err_str(e->status));
        break;
    default:
        break;
    }
    return BO_OK;
}

static void new_session(void)
{
    bo_otas_t *otas = bo_ota_otas(&demo.ota);
    bo_otas_disconnected(otas, CONN);
    bo_att_server_connected(&demo.srv);
    (void)bo_otas_connected(otas, CONN);
}

static void link_ctrl(const uint8_t *frame, int len)
{
    if (len >= 2 && frame[1] == BO_LINK_CTRL_PAIR_REQ) {
        static const uint8_t paired[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIRED};
        bo_att_server_set_encrypted(&demo.srv, true);
        bo_otas_link_encrypted(bo_ota_otas(&demo.ota), CONN, true);
        link_send(paired, sizeof paired);
    }
}

static void link_frame(const uint8_t *frame, int len)
{
    if (frame[0] == BO_LINK_CTRL) {
        link_ctrl(frame, len);
        return;
    }
    if (frame[0] == BO_ATT_OP_MTU_REQ)
        new_session();
    int n = bo_att_server_handle(&demo.srv, frame, (uint16_t)len, demo.pdu, BO_ATT_MTU_MAX);
    if (n > 0)
        link_send(demo.pdu, (uint16_t)n);
}

static int setup(uint32_t version)
{
    bo_ota_cfg_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.flash = bo_qemu_flash();
    cfg.layout = bo_qemu_layout();
    cfg.keys = bo_qemu_keys();
    cfg.sys = bo_qemu_sys();
    cfg.authenticate = boot_authenticate;
    cfg.notify = gatt_notify;
    cfg.on_event = on_ota_event;
    cfg.current_version = version;
    cfg.resume = true;
    int rc = bo_ota_init(&demo.ota, &cfg);
    if (rc == BO_OK)
        rc = build_db();
    bo_att_server_cfg_t scfg = {
        .db = &demo.db, .mtu_max = BO_ATT_MTU_MAX, .read = gatt_read, .write = gatt_write};
    if (rc == BO_OK)
        rc = bo_att_server_init(&demo.srv, &scfg);
    return rc;
}

int bo_demo_run(uint32_t version)
{
    bo_version_format(version, demo.fw_rev);
    int rc = setup(version);
    if (rc != BO_OK) {
        bo_qemu_log("app: OTA setup failed: ", bo_err_str(rc));
        return 4;
    }
    bo_link_rx_init(&demo.rx);
    new_session();
    bo_qemu_log("app: OTA service on UART0", NULL);
    for (uint32_t last = 0;;) {
        int c = bo_qemu_uart_getc(BO_QEMU_UART0);
        uint32_t now = bo_qemu_now_ms();
        if (c >= 0) {
            uint8_t b = (uint8_t)c;
            uint32_t used = 0;
            int n = bo_link_rx_push(&demo.rx, &b, 1, &used);
            if (n > 0)
                link_frame(demo.rx.buf, n);
            else if (n < 0)
                bo_link_rx_init(&demo.rx); /* a corrupt length: resynchronise */
            last = now;
        } else if ((demo.rx.hdr_have || demo.rx.have) && now - last > FRAME_STALE_MS) {
            bo_link_rx_init(&demo.rx);
        }
        bo_ota_process(&demo.ota, now);
    }
}
