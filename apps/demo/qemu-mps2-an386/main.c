/* The bleota demo application on QEMU mps2-an386. It reads its own version from the metadata
 * header in front of it (slot 0), prints `app: running A.B.C.D`, and serves BLE OTA over UART0
 * (demo_ota.c).
 *
 * Semihosting arguments (-semihosting-config arg=...) make it usable in tests:
 *   halt             exit 0 right after printing the version
 *   halt-at=A.B.C.D  exit 0 right after printing the version, if it is this version */
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
    return bo_demo_run(version);
}
