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
#include "bleota/ota_att.h"
#include "bleota/qemu/board.h"
#include "demo.h"

#define CONN 1u
/* A frame left incomplete this long belongs to a client that went away mid-frame (QEMU drops
 * what it had not delivered when a socket client closes): forget it, so that the next client
 * starts on a frame boundary. Far above any gap inside a frame, far below a reconnect. */
#define FRAME_STALE_MS 500u

typedef struct demo {
    bo_ota_att_t att; /* the OTA stack and its ATT server: the integration every device uses */
    bo_boot_cfg_t boot_cfg;
    bo_link_rx_t rx;
    char fw_rev[16];
} demo_t;

static demo_t demo;

static void link_write(const uint8_t *pdu, uint16_t len)
{
    uint8_t hdr[BO_LINK_HDR_SIZE];
    if (bo_link_hdr(hdr, len) != BO_OK)
        return;
    bo_qemu_uart_write(BO_QEMU_UART0, hdr, sizeof hdr);
    bo_qemu_uart_write(BO_QEMU_UART0, pdu, len);
}

/* The UART never refuses a PDU (the write waits for the FIFO). */
static int link_send(void *ctx, const uint8_t *pdu, uint16_t len)
{
    (void)ctx;
    link_write(pdu, len);
    return BO_OK;
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
    case BO_OTA_EVT_REFUSED:
        bo_qemu_log("app: update refused: ", bo_otas_refusal_str(e->refusal));
        break;
    default:
        break;
    }
    return BO_OK;
}

static void new_session(void)
{
    bo_ota_att_connected(&demo.att, CONN); /* closes the previous session first */
}

static void link_ctrl(const uint8_t *frame, int len)
{
    if (len >= 2 && frame[1] == BO_LINK_CTRL_PAIR_REQ) {
        static const uint8_t paired[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIRED};
        bo_ota_att_encrypted(&demo.att, true);
        link_write(paired, sizeof paired);
    }
}

static void link_frame(const uint8_t *frame, int len, uint32_t now)
{
    if (frame[0] == BO_LINK_CTRL) {
        link_ctrl(frame, len);
        return;
    }
    if (frame[0] == BO_ATT_OP_MTU_REQ)
        new_session();
    (void)bo_ota_att_pdu(&demo.att, frame, (uint16_t)len, now);
}

static int setup(uint32_t version)
{
    bo_ota_att_cfg_t cfg;
    bo_ota_att_defaults(&cfg); /* the shipped defaults, as bleota-device and the bench */
    cfg.fw_rev = demo.fw_rev;
    cfg.mtu_max = BO_ATT_MTU_MAX;
    cfg.send = link_send;
    cfg.ota.flash = bo_qemu_flash();
    cfg.ota.layout = bo_qemu_layout();
    cfg.ota.keys = bo_qemu_keys();
    cfg.ota.sys = bo_qemu_sys();
    cfg.ota.authenticate = boot_authenticate;
    /* ota reads the boot status through it: while this image is on trial, slot 1 holds the
     * previous image for the revert, so no update may start over it and the idle clean-up
     * leaves it alone. The verdict on an update stays the bootloader's (API table). */
    demo.boot_cfg.flash = bo_qemu_flash();
    demo.boot_cfg.layout = bo_qemu_layout();
    demo.boot_cfg.pubkey = bo_qemu_keys()->ecdsa_pub;
    cfg.ota.auth_cfg = &demo.boot_cfg;
    cfg.ota.auth_from_flash = true;
    cfg.ota.on_event = on_ota_event;
    cfg.ota.current_version = version;
    return bo_ota_att_init(&demo.att, &cfg);
}

int bo_demo_run(uint32_t version, const bo_demo_opts_t *opts)
{
    const bo_sys_t *sys = bo_qemu_sys();
    bo_version_format(version, demo.fw_rev);
    int rc = setup(version);
    if (rc != BO_OK) {
        bo_qemu_log("app: OTA setup failed: ", bo_err_str(rc));
        return 4;
    }
    bo_link_rx_init(&demo.rx);
    new_session();
    bo_qemu_log("app: OTA service on UART0", NULL);
    uint32_t tx_dropped = 0, t0 = bo_qemu_now_ms(), fed = t0 - 1u;
    for (uint32_t last = 0;;) {
        int c = bo_qemu_uart_getc(BO_QEMU_UART0);
        uint32_t now = bo_qemu_now_ms();
        if (opts->feed_wdt && now != fed) { /* once a ms: plenty, and cheap per byte */
            sys->wdt_feed(sys->ctx);
            fed = now;
        }
        if (opts->reset_after_ms && now - t0 >= opts->reset_after_ms) {
            bo_qemu_log("app: reset into the bootloader", NULL);
            sys->reset(sys->ctx);
        }
        if (c >= 0) {
            uint8_t b = (uint8_t)c;
            uint32_t used = 0;
            int n = bo_link_rx_push(&demo.rx, &b, 1, &used);
            if (n > 0)
                link_frame(demo.rx.buf, n, now);
            else if (n < 0)
                bo_link_rx_init(&demo.rx); /* a corrupt length: resynchronise */
            last = now;
            continue;
        }
        if ((demo.rx.hdr_have || demo.rx.have) && now - last > FRAME_STALE_MS) {
            bo_link_rx_init(&demo.rx);
        }
        if (bo_qemu_uart_tx_dropped() != tx_dropped) { /* visible in the test logs */
            tx_dropped = bo_qemu_uart_tx_dropped();
            bo_qemu_log_num("app: link: bytes dropped, nobody listening: ", (int32_t)tx_dropped);
        }
        /* no byte waits: timers, then idle work (header check, slot clean-up) */
        (void)bo_ota_att_tick(&demo.att, now);
        if (!demo.rx.hdr_have && !demo.rx.have)
            (void)bo_ota_att_idle(&demo.att, now);
    }
}
