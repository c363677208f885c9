/* The bleota bootloader for the PIC32CX-BZ2 / WBZ451, in the boot flash (0x0-0x5DFF). Microchip's
 * boot sequence (reference §7) with bleota's core deciding:
 *   deep-sleep wake -> straight to the application, as Microchip's (startup hook below);
 *   clocks (64 MHz), SysTick, NVM, SERCOM0;
 *   bo_boot_recover: an interrupted install/swap finished, an unconfirmed trial reverted, before
 *   serial DFU may touch anything;
 *   trigger PB4 held low -> serial DFU until its RESET command; otherwise, if built with
 *   BO_BZ2_DFU_WINDOW_MS (Microchip's timer variant, 600 ms), serial DFU for that window, which
 *   every received byte restarts;
 *   bo_boot_run: slot 1 authenticated and installed (or swapped in on trial), slot 0
 *   authenticated, version floor;
 *   run: the watchdog armed for a trial image, slot 0's code below PDS and the boot flash
 *   write-protected until the next reset, Microchip's hand-over;
 *   nothing to run: serial DFU (the watchdog fed if its fuse runs it).
 * Exports authenticate_fw_image at 0x5000 (api.c). No console: SERCOM0 is the DFU line. */
#include <stddef.h>
#include <stdint.h>
#include "bleota/boot.h"
#include "bleota/pic32cxbz2/board.h"
#include "bleota/sdfu.h"
#include "boot_cfg.h"

#ifndef BO_BZ2_DFU_WINDOW_MS
#define BO_BZ2_DFU_WINDOW_MS 0u /* Microchip's timer variant: 600 */
#endif
#ifndef BO_BZ2_TRIAL_WDT_MS
#define BO_BZ2_TRIAL_WDT_MS 8000u /* a trial image's deadline to confirm, then to feed */
#endif
#define SDFU_GAP_MS 20u /* a frame ends after this much silence (at 115 200 Bd a byte is 87 us) */

/* Deep-sleep wake: the application resumes at once, before RAM is touched (Microchip's
 * _on_reset). The application clears DPSLP. */
void bo_bz2_early(void)
{
    if ((bo_bz2_reset_cause() & BO_BZ2_RST_DPSLP) != 0u) {
        void (*app)(void) = (void (*)(void))(*(const volatile uint32_t *)(BO_BZ2_APP_VECTORS + 4u));
        app();
    }
}

static void uart_tx(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    bo_bz2_uart_write(data, (uint32_t)len);
}

/* The serial executive on SERCOM0. window_ms 0: until its RESET command; otherwise return once
 * the line has been quiet that long (every byte restarts the window). */
static void serial_dfu(uint32_t window_ms)
{
    static bo_sdfu_t sdfu;
    /* constants, which the link-time optimiser folds into bo_sdfu_init's checks */
    static const bo_sdfu_cfg_t cfg = {
        .flash = &bo_bz2_flash_dev, .sys = &bo_bz2_sys_dev, .tx = uart_tx, .gap_ms = SDFU_GAP_MS};
    static const bo_layout_t layout = BO_BZ2_LAYOUT_INIT;
    bool feed = bo_bz2_wdt_fuse_enabled();
    if (bo_sdfu_init(&sdfu, &cfg, &layout) != BO_OK)
        return;
    for (uint32_t last = bo_bz2_now_ms();;) {
        if (feed)
            bo_bz2_wdt_feed();
        int c = bo_bz2_uart_getc();
        uint32_t now = bo_bz2_now_ms();
        if (c >= 0) {
            uint8_t b = (uint8_t)c;
            (void)bo_sdfu_rx(&sdfu, &b, 1, now);
            last = now;
        } else {
            (void)bo_sdfu_poll(&sdfu, now);
            if (window_ms != 0u && !bo_sdfu_pending(&sdfu) && now - last >= window_ms)
                return;
        }
    }
}

int main(void)
{
    static const bo_boot_cfg_t cfg = BO_BZ2_BOOT_CFG(bo_bz2_flash_dev);
    bo_boot_result_t res;

    bo_bz2_api_ram_init();
    bo_bz2_clock_init();
    bo_bz2_tick_start(BO_BZ2_BOOT_CPU_HZ);
    bo_bz2_nvm_init();
    __asm volatile("cpsie i" ::: "memory");
    bo_bz2_uart_init(BO_BZ2_BOOT_CPU_HZ);
    (void)bo_boot_recover(&cfg, &res); /* a flash error: the next boot continues */
    if (bo_bz2_trigger_held())
        serial_dfu(0u);
    if (BO_BZ2_DFU_WINDOW_MS != 0u)
        serial_dfu(BO_BZ2_DFU_WINDOW_MS);
    if (bo_boot_run(&cfg, &res) == BO_OK && res.action == BO_BOOT_RUN) {
        if (res.trial)
            (void)bo_bz2_wdt_start(BO_BZ2_TRIAL_WDT_MS); /* refused: the fuse's period is
                                                             shorter; the image runs unwatched */
        (void)bo_bz2_nvm_protect(BO_BZ2_PDS_ADDR, BO_BZ2_FLASH_BASE + BO_BZ2_FLASH_SIZE, true);
        bo_bz2_nvm_lock_boot_flash();
        bo_bz2_jump(BO_BZ2_APP_VECTORS);
    }
    serial_dfu(0u);
    return 0;
}
