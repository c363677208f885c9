/* bleota port for QEMU's mps2-an386 (Cortex-M4F): the memory map and the board services.
 *
 * Code memory is SSRAM1 (0x00000000, 4 MiB, mirrored at 0x00400000, so everything stays below
 * 4 MiB). It is RAM, so the flash driver (flash.c) enforces NOR rules itself. The map mirrors
 * BZ2's slots, shifted into SSRAM1:
 *
 *   0x00000000  bootloader (vectors, API table at 0x100), at most 24 064 bytes (BZ2 boot flash)
 *   0x00010000  slot 0: 512-byte metadata header, application vector table at 0x00010200
 *   0x00090000  slot 1: download slot; 0x0010C000..0x0010FFFF (above the 507 904-byte download
 *               limit) keeps the DFU resume record, as on BZ2
 *   0x20000000  application RAM (2 MiB)
 *   0x20300000  bootloader RAM (256 KiB): the application never touches it, so the bootloader
 *               API keeps working after the jump (BZ2 reserves the top 1 KiB of SRAM the same way)
 *   0x203F0000  NOR state shared by bootloader and application (which units are programmed);
 *               survives the guest-level reset, rebuilt from content on a cold start */
#ifndef BLEOTA_QEMU_BOARD_H
#define BLEOTA_QEMU_BOARD_H

#include <stdint.h>
#include "bleota/port.h"

#define BO_QEMU_BOOT_BASE 0x00000000u
#define BO_QEMU_BOOT_SIZE 24064u /* 0x5E00, BZ2's boot flash */
#define BO_QEMU_API_ADDR 0x00000100u
#define BO_QEMU_FLASH_BASE 0x00010000u
#define BO_QEMU_FLASH_SIZE 0x00100000u
#define BO_QEMU_PAGE_SIZE 4096u
#define BO_QEMU_PROG_UNIT 16u
#define BO_QEMU_SLOT0 0x00010000u
#define BO_QEMU_SLOT1 0x00090000u
#define BO_QEMU_SLOT_SIZE 0x00080000u
#define BO_QEMU_DL_LIMIT 507904u
#define BO_QEMU_RESUME_ADDR (BO_QEMU_SLOT1 + BO_QEMU_DL_LIMIT)
#define BO_QEMU_RESUME_PAGES 4u
#define BO_QEMU_APP_VECTORS (BO_QEMU_SLOT0 + 512u)
#define BO_QEMU_NOR_STATE_ADDR 0x203F0000u
#define BO_QEMU_CPU_HZ 25000000u

/* The slot layout above as a bo_layout_t, and as its initialiser. */
bo_layout_t bo_qemu_layout(void);
#define BO_QEMU_LAYOUT_INIT                                                                        \
    {BO_QEMU_SLOT0,    BO_QEMU_SLOT1,       BO_QEMU_SLOT_SIZE,                                     \
     BO_QEMU_DL_LIMIT, BO_QEMU_RESUME_ADDR, BO_QEMU_RESUME_PAGES}

/* Board bring-up: UART0 (TX+RX), SysTick at 1 kHz, flash driver. Call once from main. */
void bo_qemu_board_init(void);

/* ---- Flash (flash.c) ---------------------------------------------------------------------
 * The code-memory flash, NOR rules enforced: program needs erased, never-programmed units
 * (BO_ERR_IO otherwise, as a real NOR would fail verification); erase/prog outside the window
 * [BO_QEMU_FLASH_BASE, +SIZE) give BO_ERR_RANGE, misalignment BO_ERR_ALIGN. The bootloader
 * region is outside the window, so nothing can overwrite it. */
const bo_flash_t *bo_qemu_flash(void);
/* The same driver as an object, for a configuration built at compile time (the bootloader's):
 * usable once bo_qemu_flash() ran (bo_qemu_board_init calls it). */
extern const bo_flash_t bo_qemu_flash_dev;
/* The same flash seen at BZ2's addresses (0x01000000 = slot 0, 0x01080000 = slot 1), for the
 * serial executive: host tools written for BZ2 work unchanged. Same rules and errors. */
const bo_flash_t *bo_qemu_flash_bz2(void);
extern const bo_flash_t bo_qemu_flash_bz2_dev; /* as bo_qemu_flash_dev */

/* ---- UART (uart.c): CMSDK APB UART, polled ----------------------------------------------- */
#define BO_QEMU_UART0 0x40004000u
void bo_qemu_uart_init(uint32_t base);
void bo_qemu_uart_putc(uint32_t base, uint8_t c);
void bo_qemu_uart_write(uint32_t base, const void *buf, uint32_t len);
/* Bytes bo_qemu_uart_putc dropped because the transmitter stayed full (nobody listening). */
uint32_t bo_qemu_uart_tx_dropped(void);
/* Returns the next received byte (0..255), or -1 when none is waiting. */
int bo_qemu_uart_getc(uint32_t base);

/* ---- System (sys.c) --------------------------------------------------------------------- */
uint32_t bo_qemu_now_ms(void);
/* Guest-level reset into the bootloader: interrupts off, watchdog disarmed, SysTick off,
 * VTOR = 0, MSP and PC from the bootloader's vector table. QEMU's system reset would reload
 * the files it started with and so undo every flash write; this keeps the code memory as the
 * firmware left it. */
__attribute__((noreturn)) void bo_qemu_reset_to_bootloader(void);
/* Starts an image whose vector table is at vtor: VTOR, MSP, branch. Never returns. An armed
 * watchdog stays armed (the bootloader arms it for an image on trial). */
__attribute__((noreturn)) void bo_qemu_jump(uint32_t vtor);
/* bo_sys_t over the functions above (reset never returns) and the watchdog (wdt.c): the CMSDK
 * APB watchdog at 0x40008000, counting SYSCLK (25 MHz, as SysTick, so periods are in now_ms
 * milliseconds; both follow QEMU's virtual clock). wdt_start(period_ms): 1..171798 ms, else
 * BO_ERR_ARG; calling it again re-arms with the new period; there is no stop. Its expiry raises
 * the NMI, whose handler prints "wdt: expired, reset into the bootloader" and performs the
 * guest-level reset above from handler mode (exception return into the bootloader's reset
 * handler). */
const bo_sys_t *bo_qemu_sys(void);
extern const bo_sys_t bo_qemu_sys_dev; /* the same object, for compile-time configurations */

/* ---- Semihosting (semihost.c): the test harness's console and exit status ---------------- */
void bo_qemu_puts(const char *s);               /* no newline added */
void bo_qemu_log(const char *a, const char *b); /* a, b (may be NULL), "\n" */
void bo_qemu_log_num(const char *a, int32_t n); /* a, decimal n, "\n" */
__attribute__((noreturn)) void bo_qemu_exit(int status);
/* The semihosting command line (-semihosting-config arg=...), NUL-terminated in buf.
 * Returns its length, or -1 when there is none. */
int bo_qemu_cmdline(char *buf, uint32_t size);

/* ---- Exception handlers, for the vector tables (src/vectors.c, the bootloader's own) ------ */
void bo_qemu_reset_isr(void);     /* start-up: RAM set up, main(), its status ends the run */
void bo_qemu_fault_isr(void);     /* any unexpected exception: ends the run (status 100) */
void bo_qemu_hardfault_isr(void); /* resets into the bootloader if watched, else status 101 */
void bo_qemu_nmi_isr(void);       /* the watchdog's expiry: resets into the bootloader */
void bo_qemu_systick_isr(void);   /* the millisecond clock */
extern uint32_t _estack;          /* the initial stack pointer (the linker script's) */

/* The 16 system-exception entries of a vector table on this board, NMI and HardFault given:
 * SVC, DebugMon, PendSV and the faults end the run, SysTick is the clock. */
#define BO_QEMU_SYSTEM_VECTORS(nmi, hardfault)                                                    \
    (void (*)(void))(uintptr_t)&_estack, bo_qemu_reset_isr, (nmi), (hardfault),                   \
        bo_qemu_fault_isr /* MemManage */, bo_qemu_fault_isr /* BusFault */,                      \
        bo_qemu_fault_isr /* UsageFault */, 0, 0, 0, 0, bo_qemu_fault_isr /* SVC */,              \
        bo_qemu_fault_isr /* DebugMon */, 0, bo_qemu_fault_isr /* PendSV */, bo_qemu_systick_isr

/* ---- Key store (keys.c): compiled in from a header generated at configure time ---------- */
const bo_keys_t *bo_qemu_keys(void);
/* Its ECDSA public key (64 bytes X||Y), for a configuration built at compile time. */
extern const uint8_t bo_qemu_pubkey[64];

/* ---- Bootloader API: a table at BO_QEMU_API_ADDR in the bootloader image ------------------
 * Before it, after the vector table, the bootloader keeps read-only data of its own marked
 * BO_QEMU_BEFORE_API (192 bytes at most: ld/boot.ld fails the link when it outgrows them). */
#define BO_QEMU_BEFORE_API __attribute__((section(".bo_before_api")))
#define BO_QEMU_API_MAGIC 0x50414F42u /* "BOAP" */
#define BO_QEMU_API_VERSION 1u
typedef struct bo_qemu_boot_api {
    uint32_t magic;
    uint32_t version;
    /* Authenticates slot (0 or 1) with the bootloader's key and policy: bo_boot_authenticate's
     * result (BO_OK only for a fully authentic image; *fw_rev gets its version if non-NULL).
     * Runs on the caller's stack (needs ~2 KiB); uses only bootloader RAM otherwise. */
    int (*authenticate)(uint32_t slot, uint32_t *fw_rev);
} bo_qemu_boot_api_t;

/* The bootloader's table, or NULL if the magic or version does not match. */
const bo_qemu_boot_api_t *bo_qemu_boot_api(void);

#endif
