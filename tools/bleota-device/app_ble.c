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

static uint32_t now_ms(const app_ble_t *b)
{
    return b->dev->sys.now_ms(b->dev->sys.ctx);
}

/* A send failed: the peer is gone or stuck. Nothing more is sent, but what it sent before
 * closing is still processed (a BLE controller delivers what it acknowledged); the link is
 * dropped at the end of the stream, or once nothing arrived for BROKEN_GRACE_MS if the peer
 * never closes. */
#define BROKEN_GRACE_MS 1000u
static void mark_broken(app_ble_t *b)
{
    if (!b->broken) {
        b->broken = true;
        b->broken_at = now_ms(b);
    }
}

static void send_pdu(app_ble_t *b, const uint8_t *pdu, int len)
{
    if (b->conn_fd >= 0 && !b->broken && len > 0 &&
        bo_link_send(b->conn_fd, pdu, (uint16_t)len) != BO_OK)
        mark_broken(b);
}

/* The integration's transport. BO_DEVICE_NOTIFY_BUSY makes it refuse a notification now and
 * then, as a vendor stack does when its TX buffers are full. */
static int link_send(void *ctx, const uint8_t *pdu, uint16_t len)
{
    app_ble_t *b = ctx;
    if (b->conn_fd < 0 || b->broken)
        return b->conn_fd < 0 ? BO_ERR_STATE : BO_ERR_IO;
    if (pdu[0] == BO_ATT_OP_NOTIFY && b->cfg.notify_busy_every != 0 &&
        ++b->notifies % b->cfg.notify_busy_every == 0) {
        b->held = true;
        logf_(b, "transport full: notification held until there is room");
        return BO_ERR_BUSY;
    }
    if (bo_link_send(b->conn_fd, pdu, len) != BO_OK) {
        mark_broken(b);
        return BO_ERR_IO;
    }
    return BO_OK;
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

/* What a failed header check means, for the log. */
static const char *header_why(const bo_ota_evt_t *e, char *v, const char *cur)
{
    static char text[160];
    switch (e->status) {
    case BO_ERR_ROLLBACK:
        snprintf(text, sizeof text, "signed version %s is older than the running %s",
                 bo_version_format(e->version, v), cur);
        return text;
    case BO_ERR_AUTH:
    case BO_ERR_CRYPTO:
        snprintf(text, sizeof text, "%s: wrong signing key or tampered image",
                 bo_err_str(e->status));
        return text;
    case BO_ERR_UNSUPPORTED:
        return "its authentication method is not accepted by this device";
    default:
        snprintf(text, sizeof text, "%s: not an image header; encrypted with another AES key?",
                 bo_err_str(e->status));
        return text;
    }
}

/* One log line per refusal, with what the device knows. */
static void log_refusal(const app_ble_t *b, const bo_ota_evt_t *e)
{
    char v[16], cur[16];
    bo_version_format(b->dev->running.version, cur);
    switch (e->refusal) {
    case BO_OTAS_REFUSE_OLDER_VERSION:
        logf_(b, "update refused: %s (announced %s, running %s)", bo_otas_refusal_str(e->refusal),
              bo_version_format(e->req->version, v), cur);
        break;
    case BO_OTAS_REFUSE_SIZE:
        logf_(b, "update refused: %s (%u bytes)", bo_otas_refusal_str(e->refusal),
              (unsigned)(e->req != NULL ? e->req->size : 0u));
        break;
    case BO_OTAS_REFUSE_HEADER:
        logf_(b, "update refused: %s (%s)", bo_otas_refusal_str(e->refusal), header_why(e, v, cur));
        break;
    case BO_OTAS_REFUSE_FLASH:
        logf_(b, "update refused: %s (%s)", bo_otas_refusal_str(e->refusal), bo_err_str(e->status));
        break;
    default:
        logf_(b, "update refused: %s", bo_otas_refusal_str(e->refusal));
        break;
    }
}

static int ota_event(void *ctx, const bo_ota_evt_t *e)
{
    app_ble_t *b = ctx;
    char v[16];
    switch (e->type) {
    case BO_OTA_EVT_REFUSED:
        log_refusal(b, e);
        break;
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
    b->held = false;
    bo_ota_att_disconnected(&b->att);
    logf_(b, "disconnected (%s)", why);
}

static void on_listen_event(bo_device_t *dev, int fd, short revents, void *ctx)
{
    app_ble_t *b = ctx;
    int c = bo_link_accept(fd);
    if (c < 0)
        return;
    /* The current central may have hung up already, its close not read yet (the listening
     * socket comes first in the poll set): take what it left first, so a client that follows
     * another one at once is not refused. */
    for (int k = 0; k < 8 && b->conn_fd >= 0; k++) {
        struct pollfd p = {.fd = b->conn_fd, .events = POLLIN, .revents = 0};
        if (poll(&p, 1, 0) <= 0)
            break;
        on_conn_event(dev, b->conn_fd, p.revents, b);
    }
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
    bo_ota_att_connected(&b->att, b->conn);
    logf_(b, "connected");
}

static void on_ctrl(app_ble_t *b, const uint8_t *f, int n)
{
    uint8_t rsp[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIRED};
    if (n >= 2 && f[1] == BO_LINK_CTRL_PAIR_REQ) {
        /* Just Works: the simulated link is "encrypted" from now on */
        bo_ota_att_encrypted(&b->att, true);
        send_pdu(b, rsp, 2);
    }
}

static void on_frame(app_ble_t *b, const uint8_t *f, int n)
{
    if (f[0] == BO_LINK_CTRL) {
        on_ctrl(b, f, n);
        return;
    }
    (void)bo_ota_att_pdu(&b->att, f, (uint16_t)n, now_ms(b)); /* a send error sets broken */
}

static void on_conn_event(bo_device_t *dev, int fd, short revents, void *ctx)
{
    app_ble_t *b = ctx;
    uint8_t buf[4096];
    uint32_t off = 0, used;
    int n = bo_link_recv(fd, buf, sizeof buf, 0);
    (void)dev;
    b->last_rx = now_ms(b);
    if (n < 0 || (n == 0 && (revents & (POLLHUP | POLLERR)))) {
        drop_conn(b, "link closed");
        (void)bo_ota_att_tick(&b->att, now_ms(b));
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
}

static void drop_if_stuck(app_ble_t *b)
{
    /* the later of the failure and the last read (wrap-safe) */
    uint32_t since =
        (uint32_t)(b->last_rx - b->broken_at) < 0x80000000u ? b->last_rx : b->broken_at;
    if (b->broken && (uint32_t)(now_ms(b) - since) >= BROKEN_GRACE_MS)
        drop_conn(b, "send failed");
}

static void on_tick(bo_device_t *dev, void *ctx)
{
    app_ble_t *b = ctx;
    b->timer = -1;
    if (!b->started)
        return;
    if (b->held) { /* the simulated transport has room again */
        b->held = false;
        (void)bo_ota_att_writable(&b->att, now_ms(b));
    }
    (void)bo_ota_att_tick(&b->att, now_ms(b));
    drop_if_stuck(b);
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
    c->notify_busy_every = env_u32("BO_DEVICE_NOTIFY_BUSY", 0);
}

/* The shipped defaults, then the test knobs. */
static void fill_config(bo_ota_att_cfg_t *c, const app_ble_cfg_t *knobs)
{
    bo_ota_att_defaults(c);
    if (knobs->ota_timeout_ms != 0)
        c->ota.timeout_ms = knobs->ota_timeout_ms;
    c->ota.window = knobs->window;
    if (knobs->no_resume)
        c->ota.resume = false;
    c->mtu_max = knobs->mtu_max;
}

void app_ble_config(bo_ota_att_cfg_t *cfg)
{
    app_ble_cfg_t knobs;
    read_env(&knobs);
    fill_config(cfg, &knobs);
}

static int idle_work(bo_device_t *dev, void *ctx)
{
    app_ble_t *b = ctx;
    (void)dev;
    int rc = bo_ota_att_idle(&b->att, now_ms(b));
    if (rc < 0)
        logf_(b, "idle flash work failed (%s), retried later", bo_err_str(rc));
    drop_if_stuck(b);
    return rc == 1;
}

static int init_stack(app_ble_t *b)
{
    bo_device_t *dev = b->dev;
    bo_ota_att_cfg_t c;
    fill_config(&c, &b->cfg);
    bo_version_format(dev->running.version, b->fw_rev);
    c.fw_rev = b->fw_rev;
    c.send = link_send;
    c.send_ctx = b;
    c.ota.flash = &dev->nor.flash;
    c.ota.layout = dev->layout;
    c.ota.keys = &dev->keys;
    c.ota.sys = &dev->sys;
    c.ota.authenticate = bo_boot_authenticate;
    c.ota.auth_cfg = &dev->boot_cfg;
    c.ota.on_event = ota_event;
    c.ota.event_ctx = b;
    c.ota.current_version = dev->running.version;
    c.ota.resume = c.ota.resume && dev->layout.resume_addr != 0;
    return bo_ota_att_init(&b->att, &c);
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
    dev_set_idle(dev, idle_work, b);
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
    dev_set_idle(dev, NULL, NULL);
    unlink(dev->opt.ble);
    b->started = false;
    if (dev->app == b)
        dev->app = NULL;
}
