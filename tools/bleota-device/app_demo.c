/* The demo application (see app_demo.h).
 *
 * Its behaviour comes from the image it runs, so that tests and users can make bad releases
 * with the normal CLI: firmware starting with one of these ASCII texts
 *   BLEOTA-SIM-CRASH      crashes as it starts (a HardFault: the chip resets),
 *   BLEOTA-SIM-HANG       hangs: never feeds the watchdog, never serves BLE,
 *   BLEOTA-SIM-NOCONFIRM  runs normally but never confirms its image;
 * anything else passes its self-test and confirms (bo_boot_confirm), which is what a real
 * application does once it knows it works. The watchdog is the trial's deadline: the
 * application feeds it only after confirming. */
#include <string.h>

#include "app_demo.h"
#include "bleota/img.h"

#define FEED_DIV 4u /* feed four times per watchdog period */

typedef enum { APP_GOOD = 0, APP_CRASH, APP_HANG, APP_NOCONFIRM } app_kind_t;

static int feed_timer = -1;

static app_kind_t kind_of(bo_device_t *dev)
{
    static const struct {
        const char *text;
        app_kind_t kind;
    } kinds[] = {{"BLEOTA-SIM-CRASH", APP_CRASH},
                 {"BLEOTA-SIM-HANG", APP_HANG},
                 {"BLEOTA-SIM-NOCONFIRM", APP_NOCONFIRM}};
    char fw[24] = {0};
    const bo_flash_t *f = &dev->nor.flash;
    if (f->read(f->ctx, dev->layout.slot0 + BO_MD_SIZE, fw, sizeof fw) != BO_OK) {
        return APP_GOOD;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strncmp(fw, kinds[i].text, strlen(kinds[i].text)) == 0) {
            return kinds[i].kind;
        }
    }
    return APP_GOOD;
}

static void feed(bo_device_t *dev, void *ctx)
{
    (void)ctx;
    dev->sys.wdt_feed(dev);
    feed_timer = dev_add_timer(dev, dev->opt.watchdog_ms / FEED_DIV, feed, NULL);
}

static void crash(bo_device_t *dev, void *ctx)
{
    (void)ctx;
    dev_print("app: HardFault: reset");
    dev_request_reset(dev);
}

/* The self-test passed: keep this image. */
static void confirm(bo_device_t *dev)
{
    bo_boot_status_t st;
    char v[16];
    if (bo_boot_status(&dev->boot_cfg, &st) != BO_OK ||
        (st.state != BO_BOOT_ST_TRIAL && st.state != BO_BOOT_ST_TRIAL_READY)) {
        return; /* a permanent or already confirmed image */
    }
    int rc = bo_boot_confirm(&dev->boot_cfg);
    if (rc == BO_OK && bo_boot_status(&dev->boot_cfg, &st) == BO_OK) {
        dev_print("app: self-test passed: image confirmed (version floor %s)",
                  bo_version_format(st.floor, v));
    } else {
        dev_print("app: confirming failed: %s", bo_err_str(rc));
    }
}

void app_demo_start(bo_device_t *dev)
{
    char v[16];
    app_kind_t kind = kind_of(dev);
    dev_print("app: running %s", bo_version_format(dev->running.version, v));
    if (kind == APP_CRASH) {
        dev_add_timer(dev, 0, crash, NULL);
        return;
    }
    if (kind == APP_HANG) {
        dev_print("app: hung (the watchdog is no longer fed)");
        return;
    }
    if (kind == APP_GOOD) {
        confirm(dev);
        feed(dev, NULL);
    } else {
        dev_print("app: never confirms its image");
    }
#ifdef BO_DEVICE_HAVE_BLE
    if (dev->opt.ble != NULL && app_ble_start(dev) != 0) {
        dev->stop = true;
        dev->exit_code = 1;
    }
#endif
}

void app_demo_stop(bo_device_t *dev)
{
    feed_timer = dev_cancel_timer(dev, feed_timer);
#ifdef BO_DEVICE_HAVE_BLE
    if (dev->opt.ble != NULL) {
        app_ble_stop(dev);
    }
#else
    (void)dev;
#endif
}
