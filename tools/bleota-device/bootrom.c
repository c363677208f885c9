/* The boot ROM of the simulated device: what runs at every reset.
 *   1. the port trigger (--sdfu, one-shot) -> serial DFU, no boot decision;
 *   2. the listening window (--sdfu-window MS, restarted by every command) -> then 3;
 *   3. the boot decision (bo_boot_run): install slot 1, then RUN slot 0 or stay in serial DFU.
 * One line on stdout per boot: "boot: running A.B.C.D from slot 0" or
 * "boot: no valid image, serial DFU (<why>)" (or "boot: serial DFU (trigger)"), preceded by
 * "boot: installed A.B.C.D from slot 1" or a refusal line when slot 1 held something. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>
#include "app_demo.h"
#include "bleota/img.h"
#include "device.h"

#define DEV_SDFU_GAP_MS 100u

static void uart_tx(void *ctx, const uint8_t *data, size_t len)
{
    dev_uart_send(ctx, data, len);
}

static const char *slot0_why(const bo_device_t *dev, int st)
{
    switch (st) {
    case BO_ERR_NOTFOUND:
        return "slot 0 is empty or not a valid image";
    case BO_ERR_AUTH:
        return "slot 0 failed authentication";
    case BO_ERR_ROLLBACK:
        return "slot 0 is older than the version floor";
    case BO_ERR_UNSUPPORTED:
        return dev->have_pubkey ? "slot 0 uses an authentication method this device refuses"
                                : "no public key provisioned: nothing authenticates";
    default:
        return bo_err_str(st);
    }
}

static void print_slot1(const bo_device_t *dev, const bo_boot_result_t *res, uint32_t version)
{
    char v[16];
    if (res->current) {
        dev_print("boot: slot 1 holds the running image: retired, nothing installed");
        return;
    }
    if (res->installed) {
        dev_print("boot: installed %s from slot 1", bo_version_format(version, v));
        return;
    }
    switch (res->slot1_status) {
    case BO_OK:
    case BO_ERR_NOTFOUND:
        break;
    case BO_ERR_ROLLBACK:
        dev_print("boot: slot 1 refused: older than the version floor (downgrade not allowed)");
        break;
    case BO_ERR_IO:
        dev_print("boot: slot 1 not installed: flash read error (slot 1 treated as invalid)");
        break;
    case BO_ERR_AUTH:
        dev_print("boot: slot 1 refused: authentication failed (slot retired)");
        break;
    case BO_ERR_UNSUPPORTED:
        dev_print("boot: slot 1 not installed: %s", dev->have_pubkey
                                                        ? "authentication method not allowed"
                                                        : "no public key provisioned");
        break;
    default:
        dev_print("boot: slot 1 not installed: %s", bo_err_str(res->slot1_status));
        break;
    }
}

static void enter_sdfu(bo_device_t *dev)
{
    dev->mode = DEV_MODE_SDFU;
}

static void decide(bo_device_t *dev)
{
    bo_boot_result_t res = {0};
    char v[16];
    int rc = bo_boot_run(&dev->boot_cfg, &res);
    if (rc != BO_OK) {
        dev_print("boot: no valid image, serial DFU (flash error: %s)", bo_err_str(rc));
        enter_sdfu(dev);
    } else {
        print_slot1(dev, &res, res.image.version);
        if (res.action == BO_BOOT_RUN && res.trial) {
            /* the trial's deadline: the application feeds the watchdog once it confirmed */
            dev->sys.wdt_start(dev, dev->opt.watchdog_ms);
            dev_print("boot: running %s from slot 0", bo_version_format(res.image.version, v));
            dev_print("boot: on trial (watchdog %u ms; reverted at the next reset unless the "
                      "application confirms)",
                      (unsigned)dev->opt.watchdog_ms);
        } else if (res.action == BO_BOOT_RUN) {
            dev_print("boot: running %s from slot 0", bo_version_format(res.image.version, v));
        }
        if (res.action == BO_BOOT_RUN) {
            dev->running = res.image;
            dev->mode = DEV_MODE_APP;
            app_demo_start(dev);
        } else {
            dev_print("boot: no valid image, serial DFU (%s)", slot0_why(dev, res.slot0_status));
            enter_sdfu(dev);
        }
    }
    if (dev->opt.exit_after_boot) {
        dev->stop = true;
        dev->exit_code = rc == BO_OK && res.action == BO_BOOT_RUN ? 0 : 3;
    }
}

static void window_end(bo_device_t *dev, void *ctx)
{
    (void)ctx;
    dev->window_timer = -1;
    if (dev->mode == DEV_MODE_WINDOW && !bo_sdfu_pending(&dev->sdfu)) {
        decide(dev);
    } else if (dev->mode == DEV_MODE_WINDOW) { /* a frame is arriving: wait for it */
        dev->window_timer = dev_add_timer(dev, dev->opt.sdfu_window_ms, window_end, NULL);
    }
}

/* The reference restarts its window at every command. */
static void commands_ran(bo_device_t *dev, int n)
{
    if (n > 0 && dev->mode == DEV_MODE_WINDOW && dev->window_timer >= 0) {
        dev_cancel_timer(dev, dev->window_timer);
        dev->window_timer = dev_add_timer(dev, dev->opt.sdfu_window_ms, window_end, NULL);
    }
}

static void gap_poll(bo_device_t *dev, void *ctx);

/* Wakes up when the open frame has been idle for the gap. */
static void arm_gap(bo_device_t *dev)
{
    if (dev->sdfu_timer >= 0 || !bo_sdfu_pending(&dev->sdfu)) {
        return;
    }
    uint32_t idle = (uint32_t)dev_now_ms() - dev->sdfu.last_ms;
    uint32_t gap = dev->sdfu.cfg.gap_ms;
    dev->sdfu_timer = dev_add_timer(dev, idle < gap ? gap - idle : 0, gap_poll, NULL);
}

static void gap_poll(bo_device_t *dev, void *ctx)
{
    (void)ctx;
    dev->sdfu_timer = -1;
    commands_ran(dev, bo_sdfu_poll(&dev->sdfu, (uint32_t)dev_now_ms()));
    arm_gap(dev);
}

void bootrom_uart_event(bo_device_t *dev, int fd, short revents, void *ctx)
{
    uint8_t buf[4096];
    (void)revents;
    (void)ctx;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
        if (n < 0 && errno != EAGAIN && errno != EINTR && errno != EIO) {
            dev->stop = true; /* the line is gone */
        }
        return;
    }
    if (dev->mode != DEV_MODE_SDFU && dev->mode != DEV_MODE_WINDOW) {
        return; /* the application does not listen on the UART */
    }
    commands_ran(dev, bo_sdfu_rx(&dev->sdfu, buf, (size_t)n, (uint32_t)dev_now_ms()));
    arm_gap(dev);
}

static void sdfu_reset_state(bo_device_t *dev)
{
    /* A generous gap: this "UART" is a pty between two processes that the host OS may
     * deschedule mid-frame; clusters end by their length anyway, so it costs little. */
    bo_sdfu_cfg_t cfg = {&dev->nor.flash, &dev->sys, uart_tx, dev, 0, 0, DEV_SDFU_GAP_MS, 0};
    dev->sdfu_timer = dev_cancel_timer(dev, dev->sdfu_timer);
    dev->window_timer = dev_cancel_timer(dev, dev->window_timer);
    bo_sdfu_init(&dev->sdfu, &cfg, &dev->layout); /* geometry is the BZ2 map: cannot fail */
}

/* Step 0: nothing else touches flash before an interrupted install or a trial is settled. */
static void recover(bo_device_t *dev)
{
    bo_boot_result_t res;
    int rc = bo_boot_recover(&dev->boot_cfg, &res);
    if (rc != BO_OK) {
        dev_print("boot: recovery stopped by a flash error (%s): retried at the next boot",
                  bo_err_str(rc));
    } else if (res.reverted) {
        dev_print("boot: the trial image was not confirmed: previous image restored");
    } else if (res.revert_lost) {
        dev_print("boot: the trial image was not confirmed, but the previous image is gone "
                  "(slot 1 was rewritten): keeping it");
    }
}

/* A real UART is off until the boot ROM listens: bytes sent during the reset and recovery are
 * never received. The pty keeps them, and a host's repeated EXEC_VERSION probes would then
 * arrive back to back, shifting the frames after them (seen: a cluster answered FAIL after a
 * long recovery), so they are dropped here. */
static void uart_flush_input(bo_device_t *dev)
{
    uint8_t buf[256];
    while (dev->have_pty && read(dev->pty.master, buf, sizeof buf) > 0) {
    }
}

void bootrom_reset(bo_device_t *dev)
{
    dev->reset_pending = false;
    if (dev->mode == DEV_MODE_APP) {
        app_demo_stop(dev);
    }
    dev_wdt_stop(dev); /* a reset stops the watchdog; the boot ROM arms it for a trial */
    dev->mode = DEV_MODE_OFF;
    dev->boots++;
    sdfu_reset_state(dev);
    recover(dev);
    uart_flush_input(dev);
    if (dev->opt.sdfu_trigger) {
        dev->opt.sdfu_trigger = false; /* one-shot, like a button held at one reset */
        dev_print("boot: serial DFU (trigger)");
        enter_sdfu(dev);
        return;
    }
    if (dev->opt.sdfu_window_ms > 0 && dev->have_pty && !dev->opt.exit_after_boot) {
        dev->mode = DEV_MODE_WINDOW;
        dev->window_timer = dev_add_timer(dev, dev->opt.sdfu_window_ms, window_end, NULL);
        return;
    }
    decide(dev);
}
