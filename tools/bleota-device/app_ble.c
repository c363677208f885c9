/* bleota-device: the demo application's BLE side (see app_ble.h). */
#define _POSIX_C_SOURCE 200809L
#include "app_ble.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_demo.h"
#include "bleota/img.h"
#include "bleota/otas_att.h"
#include "bleota/posix/link.h"

#define TICK_MS 20u /* resolution of the OTA timeout and the reset delay */

static app_ble_t the_ble; /* one device per process */

static void logf_(const app_ble_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(const app_ble_t *b, const char *fmt, ...)
{
    va_list ap;
    (void)b;
    va_start(ap, fmt);
    fputs("ble: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void send_pdu(app_ble_t *b, const uint8_t *pdu, int len)
{
    if (b->conn_fd >= 0 && len > 0 && bo_link_send(b->conn_fd, pdu, (uint16_t)len) != BO_OK)
        b->broken = true; /* dropped once the current event is handled, never re-entrantly */
}

/* ---- GATT glue: ATT handles <-> otas attributes ------------------------------------------ */
static uint8_t gatt_read(void *ctx, uint16_t handle, uint8_t *out, uint16_t cap, uint16_t *len)
{
    app_ble_t *b = ctx;
    int a = bo_otas_att_attr(b->handle_of, handle);
    size_t n = 0;
    uint8_t st;
    if (a < 0)
        return BO_ATT_ERR_READ_NOT_PERMITTED;
    st = bo_otas_read(bo_ota_otas(&b->ota), b->conn, (bo_otas_attr_t)a, out, cap, &n);
    *len = (uint16_t)n;
    return st;
}

static uint8_t gatt_write(void *ctx, uint16_t handle, const uint8_t *data, uint16_t len, bool cmd)
{
    app_ble_t *b = ctx;
    int a = bo_otas_att_attr(b->handle_of, handle);
    if (a < 0)
        return BO_ATT_ERR_WRITE_NOT_PERMITTED;
    return bo_otas_write(bo_ota_otas(&b->ota), b->conn, (bo_otas_attr_t)a, cmd, data, len);
}

static int ota_notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data,
                      size_t len)
{
    app_ble_t *b = ctx;
    uint8_t pdu[BO_ATT_MTU_MAX];
    int n;
    if (b->conn_fd < 0 || conn != b->conn || (unsigned)attr >= BO_OTAS_ATTR_COUNT)
        return BO_ERR_STATE;
    n = bo_att_server_notify(&b->srv, b->handle_of[attr], data, (uint16_t)len, pdu, sizeof pdu);
    if (n < 0)
        return n;
    n = bo_link_send(b->conn_fd, pdu, (uint16_t)n);
    if (n != BO_OK)
        b->broken = true;
    return n;
}

/* DIS at 0x0001, the OTA service at 0x0100 (where Microchip's stack puts it). */
static int build_db(app_ble_t *b)
{
    bo_att_uuid_t u = bo_att_uuid16(BO_GATT_DIS);
    bo_version_format(b->dev->running.version, b->fw_rev);
    if (bo_att_db_init(&b->db, b->attrs, APP_BLE_ATTRS, 1) != BO_OK ||
        bo_att_db_add_service(&b->db, &u) < 0)
        return BO_ERR_NOSPACE;
    u = bo_att_uuid16(BO_GATT_FW_REVISION);
    if (bo_att_db_add_char(&b->db, &u, BO_GATT_PROP_READ, BO_ATT_PERM_READ,
                           (const uint8_t *)b->fw_rev, (uint16_t)strlen(b->fw_rev)) < 0 ||
        bo_att_db_skip_to(&b->db, 0x0100) != BO_OK)
        return BO_ERR_NOSPACE;
    return bo_otas_att_add(&b->db, b->handle_of);
}

/* ---- The application's OTA policy and log ------------------------------------------------ */
static const char *abort_str(bo_otas_abort_t r)
{
    switch (r) {
    case BO_OTAS_ABORT_CLIENT:
        return "client completed early";
    case BO_OTAS_ABORT_DISCONNECT:
        return "disconnect";
    case BO_OTAS_ABORT_CCCD:
        return "notifications disabled";
    case BO_OTAS_ABORT_TIMEOUT:
        return "timeout";
    case BO_OTAS_ABORT_APP:
        return "application";
    }
    return "unknown";
}

static int ota_event(void *ctx, const bo_ota_evt_t *e)
{
    app_ble_t *b = ctx;
    char v[16];
    switch (e->type) {
    case BO_OTA_EVT_UPDATE_REQUEST:
        logf_(b, "update request: version %s, %u bytes, %s: %s",
              bo_version_format(e->req->version, v), (unsigned)e->req->size,
              e->req->enc ? "encrypted" : "plain",
              b->cfg.refuse_updates ? "refused by the application" : "accepted");
        return b->cfg.refuse_updates ? BO_ERR_REFUSED : BO_OK;
    case BO_OTA_EVT_START:
        logf_(b, "update start at %u of %u", (unsigned)e->done, (unsigned)e->total);
        break;
    case BO_OTA_EVT_PROGRESS:
        break; /* one line per window would drown the log */
    case BO_OTA_EVT_COMPLETE:
        if (e->status == BO_OK)
            logf_(b, "update complete: image valid, version %s", bo_version_format(e->version, v));
        else
            logf_(b, "update complete: image invalid (%s)", bo_err_str(e->status));
        break;
    case BO_OTA_EVT_ABORTED:
        logf_(b, "update aborted (%s)", abort_str(e->reason));
        break;
    case BO_OTA_EVT_RESET_REQUEST:
        logf_(b, "reset request: %s", e->will_reset ? "rebooting" : "ignored (no valid update)");
        break;
    case BO_OTA_EVT_ERROR:
        logf_(b, "transfer error (%s)", bo_err_str(e->status));
        break;
    }
    return BO_OK;
}

/* ---- Connections ---------------------------------------------------------------------------- */
static void on_conn_event(bo_device_t *dev, int fd, short revents, void *ctx);

static void drop_conn(app_ble_t *b, const char *why)
{
    if (b->conn_fd < 0)
        return;
    dev_unwatch_fd(b->dev, b->conn_fd);
    bo_link_close(b->conn_fd);
    b->conn_fd = -1;
    b->broken = false;
    bo_otas_disconnected(bo_ota_otas(&b->ota), b->conn);
    logf_(b, "disconnected (%s)", why);
}

static void on_listen_event(bo_device_t *dev, int fd, short revents, void *ctx)
{
    app_ble_t *b = ctx;
    int c = bo_link_accept(fd);
    if (c < 0)
        return;
    if (b->conn_fd >= 0) { /* one central at a time, like the reference application */
        bo_link_close(c);
        logf_(b, "second connection refused");
        return;
    }
    if (dev_watch_fd(dev, c, on_conn_event, b) != 0) {
        bo_link_close(c);
        logf_(b, "no watch slot for the connection");
        return;
    }
    b->conn_fd = c;
    b->conn = (uint16_t)(b->conn % 0xFFFEu + 1u); /* a fresh id: otas forgets the old link */
    bo_link_rx_init(&b->rx);
    bo_att_server_connected(&b->srv);
    if (bo_otas_connected(bo_ota_otas(&b->ota), b->conn) != BO_OK)
        logf_(b, "otas: too many connections");
    logf_(b, "connected");
}

static void on_ctrl(app_ble_t *b, const uint8_t *f, int n)
{
    uint8_t rsp[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIRED};
    if (n >= 2 && f[1] == BO_LINK_CTRL_PAIR_REQ) {
        /* Just Works: the simulated link is "encrypted" from now on */
        bo_att_server_set_encrypted(&b->srv, true);
        bo_otas_link_encrypted(bo_ota_otas(&b->ota), b->conn, true);
        send_pdu(b, rsp, 2);
    }
}

static uint32_t now_ms(const app_ble_t *b)
{
    return b->dev->sys.now_ms(b->dev->sys.ctx);
}

static void on_frame(app_ble_t *b, const uint8_t *f, int n)
{
    uint8_t rsp[BO_ATT_MTU_MAX];
    int r;
    if (f[0] == BO_LINK_CTRL) {
        on_ctrl(b, f, n);
        return;
    }
    r = bo_att_server_handle(&b->srv, f, (uint16_t)n, rsp, sizeof rsp);
    if (r > 0)
        send_pdu(b, rsp, r);
    /* the Write Response is out: now the Control Point result may be notified */
    bo_ota_process(&b->ota, now_ms(b));
}

static void on_conn_event(bo_device_t *dev, int fd, short revents, void *ctx)
{
    app_ble_t *b = ctx;
    uint8_t buf[4096];
    uint32_t off = 0, used;
    int n = bo_link_recv(fd, buf, sizeof buf, 0);
    (void)dev;
    if (n < 0 || (n == 0 && (revents & (POLLHUP | POLLERR)))) {
        drop_conn(b, "link closed");
        bo_ota_process(&b->ota, now_ms(b));
        return;
    }
    while (off < (uint32_t)n && b->conn_fd >= 0) {
        int f = bo_link_rx_push(&b->rx, &buf[off], (uint32_t)n - off, &used);
        off += used;
        if (f < 0) {
            drop_conn(b, "bad frame");
            return;
        }
        if (f > 0)
            on_frame(b, b->rx.buf, f);
    }
    if (b->broken)
        drop_conn(b, "send failed");
}

static void on_tick(bo_device_t *dev, void *ctx)
{
    app_ble_t *b = ctx;
    b->timer = -1;
    if (!b->started)
        return;
    bo_ota_process(&b->ota, now_ms(b));
    if (b->broken)
        drop_conn(b, "send failed");
    b->timer = dev_add_timer(dev, TICK_MS, on_tick, b);
}

/* ---- Start / stop ---------------------------------------------------------------------------- */
static uint32_t env_u32(const char *name, uint32_t dflt)
{
    const char *v = getenv(name);
    char *end;
    unsigned long x;
    if (v == NULL || *v == '\0')
        return dflt;
    x = strtoul(v, &end, 0);
    return *end == '\0' ? (uint32_t)x : dflt;
}

static void read_env(app_ble_cfg_t *c)
{
    memset(c, 0, sizeof *c);
    c->refuse_updates = env_u32("BO_DEVICE_REFUSE_UPDATES", 0) != 0;
    c->ota_timeout_ms = env_u32("BO_DEVICE_OTA_TIMEOUT_MS", 0);
    c->window = (uint16_t)env_u32("BO_DEVICE_OTA_WINDOW", 0);
    c->mtu_max = (uint16_t)env_u32("BO_DEVICE_BLE_MTU", 0);
    c->no_resume = env_u32("BO_DEVICE_NO_RESUME", 0) != 0;
}

static int init_stack(app_ble_t *b)
{
    bo_device_t *dev = b->dev;
    bo_att_server_cfg_t sc;
    bo_ota_cfg_t oc;
    int rc = build_db(b);
    if (rc != BO_OK)
        return rc;
    memset(&sc, 0, sizeof sc);
    sc.db = &b->db;
    sc.mtu_max = b->cfg.mtu_max;
    sc.ctx = b;
    sc.read = gatt_read;
    sc.write = gatt_write;
    rc = bo_att_server_init(&b->srv, &sc);
    if (rc != BO_OK)
        return rc;
    memset(&oc, 0, sizeof oc);
    oc.flash = &dev->nor.flash;
    oc.layout = dev->layout;
    oc.keys = &dev->keys;
    oc.sys = &dev->sys;
    oc.authenticate = bo_boot_authenticate;
    oc.auth_cfg = &dev->boot_cfg;
    oc.notify = ota_notify;
    oc.notify_ctx = b;
    oc.on_event = ota_event;
    oc.event_ctx = b;
    oc.current_version = dev->running.version;
    oc.timeout_ms = b->cfg.ota_timeout_ms;
    oc.window = b->cfg.window;
    oc.resume = !b->cfg.no_resume && dev->layout.resume_addr != 0;
    return bo_ota_init(&b->ota, &oc);
}

int app_ble_start(bo_device_t *dev)
{
    app_ble_t *b = &the_ble;
    int rc;
    memset(b, 0, sizeof *b);
    b->dev = dev;
    b->listen_fd = b->conn_fd = b->timer = -1;
    read_env(&b->cfg);
    rc = init_stack(b);
    if (rc != BO_OK) {
        fprintf(stderr, "bleota-device: BLE: cannot start the OTA stack (%s)\n", bo_err_str(rc));
        return 1;
    }
    b->listen_fd = bo_link_listen_unix(dev->opt.ble);
    if (b->listen_fd < 0 || dev_watch_fd(dev, b->listen_fd, on_listen_event, b) != 0) {
        fprintf(stderr, "bleota-device: --ble %s: cannot listen there\n", dev->opt.ble);
        bo_link_close(b->listen_fd);
        b->listen_fd = -1;
        return 1;
    }
    b->timer = dev_add_timer(dev, TICK_MS, on_tick, b);
    b->started = true;
    dev->app = b;
    logf_(b, "listening on %s, running %s%s", dev->opt.ble, b->fw_rev,
          b->cfg.refuse_updates ? " (refusing updates)" : "");
    return 0;
}

void app_ble_stop(bo_device_t *dev)
{
    app_ble_t *b = &the_ble;
    if (!b->started)
        return;
    drop_conn(b, "application stops");
    dev_unwatch_fd(dev, b->listen_fd);
    bo_link_close(b->listen_fd);
    b->listen_fd = -1;
    b->timer = dev_cancel_timer(dev, b->timer);
    unlink(dev->opt.ble);
    b->started = false;
    if (dev->app == b)
        dev->app = NULL;
}
