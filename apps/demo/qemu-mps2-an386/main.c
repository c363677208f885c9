/* The bleota demo application on QEMU mps2-an386. It reads its own version from the metadata
 * header in front of it (slot 0), prints `app: running A.B.C.D`, and serves BLE OTA over UART0
 * (demo_ota.c).
 *
 * Semihosting arguments (-semihosting-config arg=...) make it usable in tests:
 *   halt             exit 0 right after printing the version
 *   halt-at=A.B.C.D  exit 0 right after printing the version, if it is this version
 *   reset-at=A.B.C.D:N  when running this version, serve for RESET_AFTER_MS, then reset into
 *                    the bootloader; N times in all (counted in .noinit RAM), then serve on
 *
 * BO_DEMO_BEHAVIOUR builds the bad images of the trial tests (tests/qemu/trial_*.sh): each fails
 * its self-test in a way a real image can, before it would confirm. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "bleota/boot.h"
#include "bleota/endian.h"
#include "bleota/img.h"
#include "bleota/qemu/board.h"
#include "demo.h"

#ifndef BO_DEMO_BUILD
#define BO_DEMO_BUILD "a"
#endif

#define BO_DEMO_GOOD 0
#define BO_DEMO_CRASH 1     /* HardFault in the self-test */
#define BO_DEMO_HANG 2      /* the self-test never returns */
#define BO_DEMO_NOCONFIRM 3 /* serves OTA, but never confirms nor feeds the watchdog */
#ifndef BO_DEMO_BEHAVIOUR
#define BO_DEMO_BEHAVIOUR BO_DEMO_GOOD
#endif

/* Long enough to serve a trial period or two with the watchdog armed (tests set trial-wdt). */
#define RESET_AFTER_MS 1000u
#define NOINIT_MAGIC 0x54534552u /* "REST" */

/* Survives the guest-level reset; QEMU's power-on zeroes it. */
static struct {
    uint32_t magic;
    uint32_t resets;
} persist __attribute__((section(".noinit")));

/* The value of "key=..." (or "" for a bare "key") in the command line, or NULL. */
static const char *arg_value(const char *cmdline, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    for (const char *p = cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        if ((size_t)(end - p) >= klen && !strncmp(p, key, klen) &&
            (p + klen == end || p[klen] == '=')) {
            const char *v = p + klen + (p + klen < end);
            size_t n = (size_t)(end - v) < cap - 1u ? (size_t)(end - v) : cap - 1u;
            memcpy(out, v, n);
            out[n] = '\0';
            return out;
        }
        p = end;
    }
    return NULL;
}

uint32_t bo_demo_running_version(void)
{
    uint8_t b[4];
    const bo_flash_t *f = bo_qemu_flash();
    if (f->read(f->ctx, BO_QEMU_SLOT0 + BO_MD_OFF_FW_REV, b, sizeof b) != BO_OK)
        return 0;
    return bo_get_le32(b);
}

/* The demo's self-test is that it got this far: it keeps a trial image (docs/bootloader.md). */
static void confirm_image(void)
{
#if BO_DEMO_BEHAVIOUR == BO_DEMO_CRASH
    /* A NULL callback called: a branch to 0 without the Thumb bit, an INVSTATE UsageFault,
     * escalated to HardFault. volatile: the compiler keeps the rest of the image. */
    static void (*volatile callback)(void);
    bo_qemu_log("app: self-test crashes", NULL);
    callback();
#elif BO_DEMO_BEHAVIOUR == BO_DEMO_HANG
    static volatile bool stuck = true; /* volatile: the rest of the image stays */
    bo_qemu_log("app: self-test hangs", NULL);
    while (stuck) {
    }
#elif BO_DEMO_BEHAVIOUR == BO_DEMO_NOCONFIRM
    bo_qemu_log("app: never confirms", NULL);
    return;
#endif
    bo_boot_cfg_t cfg = {0};
    bo_boot_status_t st;
    cfg.flash = bo_qemu_flash();
    cfg.layout = bo_qemu_layout();
    if (bo_boot_status(&cfg, &st) != BO_OK ||
        (st.state != BO_BOOT_ST_TRIAL && st.state != BO_BOOT_ST_TRIAL_READY))
        return;
    int rc = bo_boot_confirm(&cfg);
    bo_qemu_log("app: image confirmed: ", bo_err_str(rc));
}

/* reset-at=A.B.C.D:N: RESET_AFTER_MS when running that version and fewer than N resets were
 * done, else 0 (no reset). */
static uint32_t reset_after_ms(const char *cmdline, const char *ver)
{
    char val[24];
    if (!arg_value(cmdline, "reset-at", val, sizeof val))
        return 0;
    char *p = val; /* newlib's strchr would cost 200 bytes */
    while (*p && *p != ':')
        p++;
    if (*p != ':')
        return 0;
    uint32_t n = 0;
    for (*p++ = '\0'; *p >= '0' && *p <= '9'; p++)
        n = n * 10u + (uint32_t)(*p - '0');
    if (persist.magic != NOINIT_MAGIC) {
        persist.magic = NOINIT_MAGIC;
        persist.resets = 0;
    }
    if (strcmp(val, ver) != 0 || persist.resets >= n)
        return 0;
    persist.resets++;
    return RESET_AFTER_MS;
}

int main(void)
{
    char cmdline[128] = "", val[24], ver[16];
    bo_qemu_board_init();
    (void)bo_qemu_cmdline(cmdline, sizeof cmdline);
    uint32_t version = bo_demo_running_version();
    bo_qemu_log("app: running ", bo_version_format(version, ver));
    bo_qemu_log("app: build ", BO_DEMO_BUILD);
    confirm_image();

    if (arg_value(cmdline, "halt", val, sizeof val))
        return 0;
    if (arg_value(cmdline, "halt-at", val, sizeof val) && !strcmp(val, ver))
        return 0;
    bo_demo_opts_t opts = {.feed_wdt = BO_DEMO_BEHAVIOUR != BO_DEMO_NOCONFIRM,
                           .reset_after_ms = reset_after_ms(cmdline, ver)};
    return bo_demo_run(version, &opts);
}
