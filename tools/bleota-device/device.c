/* The device: flash, keys, UART, reset, console (see device.h). */
#define _POSIX_C_SOURCE 200809L
#include "device.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bleota/layout_bz2.h"
#include "bo_fileio.h"
#include "bo_keys.h"

/* Microchip's published development key pair (fixtures/mchp/README.md): public, insecure. */
static const char mchp_dev_pub_hex[] =
    "c2818fbb2861478ba2533779d463187c8b4159a95f0b6b944eb957a103fe20bf"
    "2bb8142a64b5ae4a8380dde6ee2989dda09ac7da82eb5662905d66c5bc303c84";
static const uint8_t mchp_dev_aes_key[16] = {0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11,
                                             0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};

static volatile sig_atomic_t g_signalled;

static void on_signal(int sig)
{
    (void)sig;
    g_signalled = 1;
}

bool dev_signalled(void)
{
    return g_signalled != 0;
}

void dev_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void dev_print(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    fputs("bleota-device: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static uint32_t sys_now(void *ctx)
{
    (void)ctx;
    return (uint32_t)dev_now_ms();
}

static void sys_reset(void *ctx)
{
    dev_request_reset(ctx);
}

void dev_request_reset(bo_device_t *dev)
{
    dev->reset_pending = true;
}

static void wdt_expired(bo_device_t *dev, void *ctx)
{
    (void)ctx;
    dev->wdt_timer = -1;
    dev_print("watchdog: not fed for %u ms: reset", (unsigned)dev->wdt_ms);
    dev_request_reset(dev);
}

int dev_wdt_start(void *ctx, uint32_t period_ms)
{
    bo_device_t *dev = ctx;
    dev->wdt_ms = period_ms;
    dev->wdt_timer = dev_cancel_timer(dev, dev->wdt_timer);
    dev->wdt_timer = dev_add_timer(dev, period_ms, wdt_expired, NULL);
    return dev->wdt_timer >= 0 ? BO_OK : BO_ERR_NOSPACE;
}

void dev_wdt_feed(void *ctx)
{
    bo_device_t *dev = ctx;
    if (dev->wdt_timer >= 0) {
        dev_cancel_timer(dev, dev->wdt_timer);
        dev->wdt_timer = dev_add_timer(dev, dev->wdt_ms, wdt_expired, NULL);
    }
}

void dev_wdt_stop(bo_device_t *dev)
{
    dev->wdt_timer = dev_cancel_timer(dev, dev->wdt_timer);
}

void dev_uart_send(bo_device_t *dev, const uint8_t *data, size_t len)
{
    while (dev->have_pty && len > 0) {
        ssize_t n = write(dev->pty.master, data, len);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd p = {dev->pty.master, POLLOUT, 0};
            poll(&p, 1, 100); /* the host is slow to read: a UART would simply block */
            continue;
        }
        if (n <= 0) {
            return;
        }
        data += n;
        len -= (size_t)n;
    }
}

/* Factory programming of slot 0: erase what the file needs, program it (padded with 0xFF). */
static int provision(bo_device_t *dev, const char *path)
{
    char err[BO_ERRMSG_MAX];
    uint8_t *data = NULL;
    size_t len = 0;
    const bo_flash_t *f = &dev->nor.flash;
    if (bo_file_read(path, dev->layout.slot_size, &data, &len, err) != 0) {
        return fail("--provision %s: %s", path, err);
    }
    uint32_t plen = (uint32_t)((len + f->prog_unit - 1) / f->prog_unit * f->prog_unit);
    uint8_t *buf = malloc(plen ? plen : 1);
    memset(buf, 0xFF, plen);
    memcpy(buf, data, len);
    int rc = BO_OK;
    for (uint32_t off = 0; rc == BO_OK && off < plen; off += f->page_size) {
        rc = f->erase(f->ctx, dev->layout.slot0 + off);
    }
    if (rc == BO_OK && plen > 0) {
        rc = f->prog(f->ctx, dev->layout.slot0, buf, plen);
    }
    free(buf);
    free(data);
    if (rc != BO_OK) {
        return fail("--provision %s: flash: %s", path, bo_err_str(rc));
    }
    fprintf(stderr, "bleota-device: provisioned %zu bytes into slot 0\n", len);
    return 0;
}

static int load_keys(bo_device_t *dev)
{
    char msg[BO_KEYS_MSG_MAX];
    if (dev->opt.pubkey != NULL) {
        if (bo_pubkey_load(dev->pubkey, dev->opt.pubkey, msg, sizeof msg) != BO_OK) {
            return fail("--pubkey: %s", msg);
        }
        dev->have_pubkey = true;
    } else if (dev->opt.mchp_dev_keys) {
        if (bo_pubkey_load(dev->pubkey, mchp_dev_pub_hex, msg, sizeof msg) != BO_OK) {
            return fail("--mchp-dev-keys: %s", msg);
        }
        dev->have_pubkey = true;
        fprintf(stderr, "bleota-device: warning: using Microchip's published development key "
                        "(its private half is public: anyone can sign for this device)\n");
    } else {
        fprintf(stderr, "bleota-device: no public key (--pubkey): no ECDSA-signed image "
                        "will authenticate\n");
    }
    if (!dev->opt.have_aes && dev->opt.mchp_dev_keys) {
        memcpy(dev->opt.aes_key, mchp_dev_aes_key, 16);
        memset(dev->opt.aes_iv, 0, 16);
        dev->opt.have_aes = true;
    }
    dev->keys.ecdsa_pub = dev->have_pubkey ? dev->pubkey : NULL;
    dev->keys.aes_key = dev->opt.have_aes ? dev->opt.aes_key : NULL;
    dev->keys.aes_iv = dev->opt.have_aes ? dev->opt.aes_iv : NULL;
    return 0;
}

int dev_init(bo_device_t *dev, const dev_opts_t *opt)
{
    memset(dev, 0, sizeof *dev);
    dev->opt = *opt;
    dev->sdfu_timer = dev->window_timer = dev->wdt_timer = -1;
    dev->layout = bo_layout_bz2();
    dev_loop_init(&dev->loop);
    int rc = bo_nor_open(&dev->nor, opt->flash_path, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE,
                         BO_BZ2_PAGE_SIZE, BO_BZ2_PROG_UNIT);
    if (rc != BO_OK) {
        return fail("--flash %s: %s (%s)", opt->flash_path, bo_err_str(rc), strerror(errno));
    }
    if (load_keys(dev) != 0 || (opt->provision && provision(dev, opt->provision) != 0)) {
        return 1;
    }
    dev->sys = (bo_sys_t){dev, sys_now, sys_reset, dev_wdt_start, dev_wdt_feed};
    /* Tests: power fails before the Nth flash operation of this run (torn if asked); the
     * device then stops like a board without power, with the flash file as it was left. */
    const char *cut = getenv("BO_DEVICE_CUT_AT");
    if (cut != NULL) {
        char *end = NULL;
        unsigned long n = strtoul(cut, &end, 10);
        if (end == cut || *end != '\0' || n == 0) {
            return fail("BO_DEVICE_CUT_AT: not a positive operation number: %s", cut);
        }
        bo_nor_cut_before(&dev->nor, n,
                          getenv("BO_DEVICE_CUT_TORN") ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN,
                          (uint32_t)n);
    }
    dev->boot_cfg.flash = &dev->nor.flash;
    dev->boot_cfg.layout = dev->layout;
    dev->boot_cfg.pubkey = dev->keys.ecdsa_pub;
    dev->boot_cfg.allowed_auth = opt->allowed_auth;
    dev->boot_cfg.allow_downgrade = opt->allow_downgrade;
    if (opt->serial != NULL) {
        if (bo_pty_open(&dev->pty, opt->serial) != BO_OK) {
            return fail("--serial %s: %s", opt->serial, strerror(errno));
        }
        dev->have_pty = true;
        dev_watch_fd(dev, dev->pty.master, bootrom_uart_event, NULL);
        fprintf(stderr, "bleota-device: serial port %s -> %s\n", opt->serial, dev->pty.slave_name);
    }
    dev->reset_pending = true; /* power-on: the loop runs the boot ROM first */
    return 0;
}

void dev_close(bo_device_t *dev)
{
    if (dev->have_pty) {
        bo_pty_close(&dev->pty);
        dev->have_pty = false;
    }
    bo_nor_close(&dev->nor);
}
