/* bleota port for the PIC32CX-BZ2 / WBZ451 (PIC32CX1012BZ25048): memory map and board
 * services (mchp-bz2-platform-reference.md). Nothing here has run on silicon yet: the NVM
 * driver is proven against a register-level model of the controller (tests/pic32cxbz2), the
 * rest is compiled against Microchip's device pack.
 *
 *   0x00000000  boot flash: vectors, bootloader code, `authenticate_fw_image` at 0x5000,
 *               up to 0x5DFF (24 064 bytes)
 *   0x01000000  slot 0: 512-byte metadata header, application vectors at 0x01000200
 *   0x0107C000  PDS (Microchip's persistent data: bonds), 16 KiB, never touched by bleota
 *   0x01080000  slot 1: download slot; 0x010FC000..0x010FFFFF (above the 507 904-byte
 *               download limit) keeps the DFU resume record and the boot status page
 *   0x20000000  SRAM, 128 KiB; the top 1 KiB (0x2001FC00) belongs to the bootloader's API
 *               after the jump, as in Microchip's layout */
#ifndef BLEOTA_PIC32CXBZ2_BOARD_H
#define BLEOTA_PIC32CXBZ2_BOARD_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/layout_bz2.h"
#include "bleota/port.h"

#define BO_BZ2_BOOT_BASE 0x00000000u
#define BO_BZ2_BOOT_SIZE 0x00005E00u /* 24 064 bytes */
#define BO_BZ2_API_ADDR 0x00005000u  /* authenticate_fw_image, Thumb: call 0x5001 */
#define BO_BZ2_APP_VECTORS (BO_BZ2_SLOT0 + 0x200u)
#define BO_BZ2_PDS_ADDR 0x0107C000u
#define BO_BZ2_PDS_SIZE 0x00004000u
#define BO_BZ2_RAM_BASE 0x20000000u
#define BO_BZ2_RAM_SIZE 0x00020000u
#define BO_BZ2_API_RAM 0x2001FC00u /* the bootloader API's RAM after the jump */
#define BO_BZ2_API_RAM_SIZE 0x00000400u
#define BO_BZ2_API_SCRATCH 3244u /* scratch Microchip's applications pass to the API */
/* bo_layout_bz2() as an initialiser, for configurations built at compile time */
#define BO_BZ2_LAYOUT_INIT                                                                         \
    {BO_BZ2_SLOT0,    BO_BZ2_SLOT1,       BO_BZ2_SLOT_SIZE,                                        \
     BO_BZ2_DL_LIMIT, BO_BZ2_RESUME_ADDR, BO_BZ2_RESUME_PAGES}

/* ---- Flash (nvm.c): the NVM controller behind the flash port contract ------------------------
 * The window is the whole program flash, 0x01000000..0x010FFFFF (4 KiB pages, 16-byte program
 * unit); the boot flash is out of reach. Programming uses row operations (1 KiB from SRAM) where
 * a row-aligned, word-aligned source in SRAM allows, quad-words otherwise; an all-0xFF
 * quad-word is left erased. A range that is not blank is refused with BO_ERR_IO before anything
 * is written; a controller error (WRERR/LVDERR, e.g. a write-protected page) is BO_ERR_IO. */
const bo_flash_t *bo_bz2_flash(void);
/* The same window, read only, without any code in RAM: for the bootloader's exported API, which
 * runs after the application took the RAM over (prog and erase return BO_ERR_STATE). */
const bo_flash_t *bo_bz2_flash_reader(void);
/* The two drivers as objects, for configurations built at compile time. */
extern const bo_flash_t bo_bz2_flash_dev, bo_bz2_flash_reader_dev;
/* Clears stale controller errors (a NOP operation, as the plib's NVM_Initialize). */
void bo_bz2_nvm_init(void);
/* Program-flash write protection (NVMPWPLT/NVMPWPGTE): pages below `below` and at or above
 * `from` refuse writes and erases; lock freezes the setting until the next reset.
 * BO_ERR_ARG for addresses outside the program flash or not page aligned; BO_ERR_STATE when
 * the registers are already frozen. */
int bo_bz2_nvm_protect(uint32_t below, uint32_t from, bool lock);
/* Every boot-flash page write-protected and frozen until reset (NVMLBWP/NVMUBWP). */
void bo_bz2_nvm_lock_boot_flash(void);

/* ---- Clock, reset, watchdog (clock.c, rcon.c, wdt.c) ---------------------------------------- */
#define BO_BZ2_BOOT_CPU_HZ 64000000u /* what the bootloader's clock set-up gives (SPLL) */
/* Microchip's bootloader clock set-up: RF PLL, SPLL, 64 MHz SYSCLK, peripheral clocks for
 * SERCOM0 and TC0, prefetch cache with 1 wait state. */
void bo_bz2_clock_init(void);
/* SysTick at 1 kHz from the given CPU clock; bo_bz2_now_ms counts from then. */
void bo_bz2_tick_start(uint32_t cpu_hz);
uint32_t bo_bz2_now_ms(void);

/* RCON reset causes (sticky until cleared) */
#define BO_BZ2_RST_POR (1u << 0)
#define BO_BZ2_RST_BOR (1u << 1)
#define BO_BZ2_RST_WDTO (1u << 4)
#define BO_BZ2_RST_SWR (1u << 6)
#define BO_BZ2_RST_EXTR (1u << 7)
#define BO_BZ2_RST_DPSLP (1u << 10)
uint32_t bo_bz2_reset_cause(void);
void bo_bz2_reset_cause_clear(uint32_t mask);
/* RCON software reset (system unlock, RSWRST, read-back), as Microchip's plib. */
__attribute__((noreturn)) void bo_bz2_reset(void);

/* The watchdog, under software control (fuse WDTEN = 0, Microchip's setting): period from the
 * fuse's postscaler (WDTPSR, read back in WDTCON.RUNDIV) on the 32 kHz LPRC. start refuses
 * (BO_ERR_ARG) a period shorter than the hardware's; the hardware period is what counts then
 * (bo_bz2_wdt_period_ms). Once on it is not stopped (only a reset does). */
int bo_bz2_wdt_start(uint32_t period_ms);
void bo_bz2_wdt_feed(void);
uint32_t bo_bz2_wdt_period_ms(void);
bool bo_bz2_wdt_fuse_enabled(void); /* WDTEN fuse: runs from reset, cannot be stopped */

/* bo_sys_t over the clock, the software reset and the watchdog. */
const bo_sys_t *bo_bz2_sys(void);
extern const bo_sys_t bo_bz2_sys_dev; /* the same object, for compile-time configurations */

/* ---- Serial DFU UART (uart.c): SERCOM0 as Microchip's bootloader sets it up -------------------
 * 115 200 Bd 8N1 at 64 MHz, TX PA5 (PAD0), RX PA6 (PAD1), RTS PA3 (PAD2) / CTS PA4 (PAD3)
 * hardware flow control on, direct (high-speed) pins. Polled. */
void bo_bz2_uart_init(uint32_t cpu_hz);
void bo_bz2_uart_write(const void *buf, uint32_t len);
int bo_bz2_uart_getc(void); /* next byte 0..255, or -1 when none */
void bo_bz2_uart_deinit(void);

/* ---- DFU trigger (trigger.c) ------------------------------------------------------------------
 * PB4 (SW2 on the WBZ451 Curiosity board) held low: stay in serial DFU. Unlike Microchip's
 * bootloader, the pin's pull-up is enabled and the level read after it settles. (The timer
 * window variant counts bo_bz2_now_ms in the bootloader's main.) */
bool bo_bz2_trigger_held(void);

/* ---- Keys (keys.c): compiled into the bootloader from a header generated at configure time */
const bo_keys_t *bo_bz2_keys(void);
extern const uint8_t bo_bz2_pubkey[64]; /* its ECDSA public key, for compile-time configurations */

/* ---- Hand-over (jump.c) ------------------------------------------------------------------------
 * Microchip's hand-over (reference §7 step 6): UART off, peripheral interrupts off and cleared,
 * CONTROL = 0, VTOR, MSP from the image's vector table, branch. An armed watchdog stays armed. */
__attribute__((noreturn)) void bo_bz2_jump(uint32_t vtor);

/* ---- Start-up (startup.c) -----------------------------------------------------------------------
 * The vector table (224 bytes) and Reset_Handler of every image: .data and the SRAM code
 * (.ramfunc) copied, .bss zeroed, FPU on, VTOR = this image's table, main(). bo_bz2_early runs
 * first, before any of that (weak, empty; the bootloader's deep-sleep wake path). */
void bo_bz2_early(void);

#endif
