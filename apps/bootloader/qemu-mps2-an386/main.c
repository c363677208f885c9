/* The bleota bootloader on QEMU mps2-an386: install slot 1 if it is authentic, run slot 0, or
 * stay in the serial DFU executive on UART0 when there is nothing to run. Exports
 * authenticate through the API table at 0x100 for the application. Log lines go to the
 * semihosting console. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "bleota/boot.h"
#include "bleota/img.h"
#include "bleota/layout_bz2.h"
#include "bleota/qemu/board.h"
#include "bleota/sdfu.h"

/* Serial frames end after this much idle time. Longer than the reference's ~ms busy-wait: the
 * emulated UART shares two host cores with everything else, and a frame must not be split. */
#define SDFU_GAP_MS 50u

/* When slot 0 is authenticated (bo_boot_check_t, docs/bootloader.md "Boot policy"). */
#ifndef BO_QEMU_SLOT0_CHECK
#define BO_QEMU_SLOT0_CHECK BO_BOOT_CHECK_EVERY_BOOT
#endif

#ifndef BO_QEMU_TRIAL_WDT_MS
#define BO_QEMU_TRIAL_WDT_MS 5000u /* how long a trial image has to confirm, then feed */
#endif

/* A constant, so that the link-time optimiser folds its fields into the boot code. The flash
 * driver's NOR state is set up by bo_qemu_board_init before main uses it, and by then for the
 * application calling the API. */
static const bo_boot_cfg_t boot_cfg = {
    .flash = &bo_qemu_flash_dev,
    .layout = BO_QEMU_LAYOUT_INIT,
    .pubkey = bo_qemu_pubkey,
    .allowed_auth = 0, /* the secure default: ECDSA only */
    .allow_downgrade = false,
    .slot0_check = BO_QEMU_SLOT0_CHECK,
};

/* The exported authenticate: runs on the caller's stack, with the bootloader's key. */
static int api_authenticate(uint32_t slot, uint32_t *fw_rev)
{
    bo_boot_image_t info;
    int rc = bo_boot_authenticate(&boot_cfg, (int)slot, &info);
    if (rc == BO_OK && fw_rev)
        *fw_rev = info.version;
    return rc;
}

__attribute__((section(".bo_api"), used)) const bo_qemu_boot_api_t bo_qemu_boot_api_table = {
    BO_QEMU_API_MAGIC, BO_QEMU_API_VERSION, api_authenticate};

/* Log strings in the 192 bytes between the vector table and the API table, which would be
 * padding otherwise: these fill them exactly (the link fails if they outgrow them; the other
 * strings stay in .rodata, where the linker merges shared tails such as "flash error: "). */
#define S(name, text) static const char name[] BO_QEMU_BEFORE_API = text
S(s_boot, "boot: ");
S(s_hello, "bleota bootloader");
S(s_reverted, "the trial image was not confirmed: previous image restored");
S(s_dfu_window, "dfu-window=");
S(s_serial_dfu, "serial DFU");
S(s_refused, "slot 1 refused: ");
S(s_installed, "installed slot 1 into slot 0");
S(s_running, "boot: running ");
S(s_from_slot0, " from slot 0");
S(s_trial_wdt, "trial-wdt=");
#undef S

/* "boot: " a, b (may be NULL), "\n": the prefix stored once. */
static void boot_log(const char *a, const char *b)
{
    bo_qemu_puts(s_boot);
    bo_qemu_log(a, b);
}

static void uart_tx(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    bo_qemu_uart_write(BO_QEMU_UART0, data, (uint32_t)len);
}

/* The serial executive. window_ms 0: until a RESET command resets into this bootloader again.
 * Otherwise BZ2's timer trigger: return when the line has been quiet for window_ms (every byte
 * restarts the window) so that the boot continues. It sees the flash at BZ2's addresses, so
 * host tools that write slot 1 at 0x01080000 work unchanged. */
static void serial_dfu(uint32_t window_ms)
{
    static bo_sdfu_t sdfu;
    /* constants, which the link-time optimiser folds into bo_sdfu_init's checks */
    static const bo_sdfu_cfg_t cfg = {.flash = &bo_qemu_flash_bz2_dev,
                                      .sys = &bo_qemu_sys_dev,
                                      .tx = uart_tx,
                                      .gap_ms = SDFU_GAP_MS};
    static const bo_layout_t layout = {BO_BZ2_SLOT0,    BO_BZ2_SLOT1,       BO_BZ2_SLOT_SIZE,
                                       BO_BZ2_DL_LIMIT, BO_BZ2_RESUME_ADDR, BO_BZ2_RESUME_PAGES};
    if (bo_sdfu_init(&sdfu, &cfg, &layout) != BO_OK)
        return;
    boot_log(s_serial_dfu, window_ms ? " window on UART0" : " on UART0");
    for (uint32_t last = bo_qemu_now_ms();;) {
        int c = bo_qemu_uart_getc(BO_QEMU_UART0);
        uint32_t now = bo_qemu_now_ms();
        if (c >= 0) {
            uint8_t b = (uint8_t)c;
            bo_sdfu_rx(&sdfu, &b, 1, now);
            last = now;
        } else {
            bo_sdfu_poll(&sdfu, now);
            if (window_ms && !bo_sdfu_pending(&sdfu) && now - last >= window_ms)
                return;
        }
    }
}

/* The number after `key` on the semihosting command line, or dflt. Stands in for build options:
 *   dfu-window=MS  BZ2's "serial DFU timer trigger" (default 0: no window)
 *   trial-wdt=MS   the trial image's watchdog period (default BO_QEMU_TRIAL_WDT_MS; tests
 *                  shorten it)
 * A plain scan: no strncmp/strlen linked for it. */
static uint32_t cmd_num(const char *key, uint32_t dflt)
{
    char cmd[96];
    if (bo_qemu_cmdline(cmd, sizeof cmd) < 0)
        return dflt;
    for (const char *p = cmd; *p; p++) {
        const char *k = key, *q = p;
        while (*k && *q == *k)
            k++, q++;
        if (*k == 0) {
            uint32_t v = 0;
            for (uint32_t digit; (digit = (uint32_t)(unsigned char)*q - '0') <= 9u; q++)
                v = v * 10u + digit;
            return v;
        }
    }
    return dflt;
}

int main(void)
{
    bo_boot_result_t res;
    char ver[16];

    bo_qemu_board_init();
    boot_log(s_hello, NULL);
    /* an interrupted install finished, an unconfirmed trial reverted: before serial DFU */
    int rc = bo_boot_recover(&boot_cfg, &res);
    if (rc != BO_OK)
        boot_log("recovery stopped by a flash error: ", bo_err_str(rc));
    else if (res.reverted)
        boot_log(s_reverted, NULL);
    uint32_t window = cmd_num(s_dfu_window, 0u);
    if (window)
        serial_dfu(window);
    rc = bo_boot_run(&boot_cfg, &res);
    if (rc != BO_OK) {
        boot_log("flash error: ", bo_err_str(rc));
    } else {
        if (res.slot1_status != BO_OK && res.slot1_status != BO_ERR_NOTFOUND)
            boot_log(s_refused, bo_err_str(res.slot1_status));
        if (res.installed)
            boot_log(s_installed, NULL);
        if (res.action == BO_BOOT_RUN) {
            bo_qemu_puts(s_running);
            bo_qemu_puts(bo_version_format(res.image.version, ver));
            bo_qemu_log(s_from_slot0, res.trial ? " on trial" : NULL);
            const bo_sys_t *sys = bo_qemu_sys();
            if (res.trial && sys->wdt_start != NULL) /* the trial's deadline */
                sys->wdt_start(sys->ctx, cmd_num(s_trial_wdt, BO_QEMU_TRIAL_WDT_MS));
            bo_qemu_jump(BO_QEMU_APP_VECTORS);
        }
        boot_log("no image in slot 0: ", bo_err_str(res.slot0_status));
    }
    serial_dfu(0);
    return 3; /* the executive could not start: QEMU exits with 3 */
}
