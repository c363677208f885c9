/* A tiny application image (slot 0, started by the bootloader) that exercises the board's
 * watchdog through bo_sys_t. Its boot count and progress live in .noinit RAM, which the
 * guest-level reset keeps. Semihosting argument:
 *   wdt=starve  1st boot: arm PERIOD_MS and never feed; the watchdog must bring the bootloader
 *               back before PERIOD_MS + 1 ms have passed on the clock (last_alive tells).
 *               2nd boot: that happened in time, and the reset disarmed the watchdog (it
 *               survives 3 periods unfed). Exit 0.
 *   wdt=feed    arm PERIOD_MS, feed every PERIOD_MS / 4 for 5 periods; any reset is a failure
 *               (a 2nd boot exits 2). Exit 0.
 * Any other exit status names the failed check (tests/qemu/wdt_resets_into_bootloader.sh). */
#include <stdint.h>
#include <string.h>
#include "bleota/qemu/board.h"

#define PERIOD_MS 200u
#define MAGIC 0x54445757u /* "WWDT" */

static struct {
    uint32_t magic;
    uint32_t boots;
    uint32_t last_alive; /* ms since arming, updated continuously while starving */
} persist __attribute__((section(".noinit")));

static void fail(int code, const char *why)
{
    bo_qemu_log("wdt-app: FAIL ", why);
    bo_qemu_exit(code);
}

static void wait_ms(uint32_t ms)
{
    for (uint32_t t0 = bo_qemu_now_ms(); bo_qemu_now_ms() - t0 < ms;) {
    }
}

static int starve(const bo_sys_t *sys)
{
    if (persist.boots == 1u) {
        if (sys->wdt_start(sys->ctx, 0u) != BO_ERR_ARG)
            fail(3, "a zero period is refused");
        if (sys->wdt_start(sys->ctx, PERIOD_MS) != BO_OK)
            fail(4, "wdt_start");
        bo_qemu_log_num("wdt-app: armed, not feeding, period ms ", (int32_t)PERIOD_MS);
        uint32_t t0 = bo_qemu_now_ms();
        for (;;) {
            persist.last_alive = bo_qemu_now_ms() - t0;
            if (persist.last_alive > 3u * PERIOD_MS)
                fail(5, "no reset within 3 periods");
        }
    }
    bo_qemu_log_num("wdt-app: back after the watchdog reset; alive ms after arming: ",
                    (int32_t)persist.last_alive);
    /* ms granularity on both ends: the reset came at PERIOD_MS, not a period later or early */
    if (persist.last_alive + 2u < PERIOD_MS || persist.last_alive > PERIOD_MS)
        fail(6, "reset not at the end of the period");
    wait_ms(3u * PERIOD_MS);
    bo_qemu_log("wdt-app: the reset disarmed the watchdog", NULL);
    return 0;
}

static int feed(const bo_sys_t *sys)
{
    if (persist.boots != 1u)
        fail(2, "reset although fed");
    if (sys->wdt_start(sys->ctx, PERIOD_MS) != BO_OK)
        fail(4, "wdt_start");
    bo_qemu_log_num("wdt-app: armed, feeding, period ms ", (int32_t)PERIOD_MS);
    for (uint32_t i = 0; i < 20u; i++) {
        wait_ms(PERIOD_MS / 4u);
        sys->wdt_feed(sys->ctx);
    }
    bo_qemu_log_num("wdt-app: fed without a reset for ms ", (int32_t)(5u * PERIOD_MS));
    return 0;
}

int main(void)
{
    char cmd[96];
    bo_qemu_board_init();
    if (persist.magic != MAGIC) { /* power-on: QEMU zeroed RAM */
        memset(&persist, 0, sizeof persist);
        persist.magic = MAGIC;
    }
    persist.boots++;
    bo_qemu_log_num("wdt-app: boot ", (int32_t)persist.boots);
    const bo_sys_t *sys = bo_qemu_sys();
    if (sys->wdt_start == NULL || sys->wdt_feed == NULL)
        fail(7, "the board has a watchdog");
    if (bo_qemu_cmdline(cmd, sizeof cmd) < 0)
        fail(8, "command line");
    if (strstr(cmd, "wdt=starve") != NULL)
        return starve(sys);
    if (strstr(cmd, "wdt=feed") != NULL)
        return feed(sys);
    fail(9, "wdt=starve or wdt=feed expected");
    return 9;
}
