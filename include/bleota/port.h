/* bleota: what a board provides. Everything the portable core needs from hardware is here.
 *
 * A port fills these structs once at start-up and passes pointers to the modules; the core
 * keeps no global pointer to them (several simulated devices can live in one process).
 * Every callback returns 0 (BO_OK) or a negative bo_err_t; the core treats anything else as a
 * port bug and fails with BO_ERR_IO. */
#ifndef BLEOTA_PORT_H
#define BLEOTA_PORT_H

#include <stdint.h>
#include "bleota/err.h"

/* ---- Flash: NOR rules are the contract ------------------------------------------------
 * - erase(addr): addr is page aligned; afterwards the page reads 0xFF.
 * - prog(addr, buf, len): addr and len are multiples of prog_unit, the range was erased and
 *   not programmed since; programming only clears bits. One program per unit per erase.
 * - read(addr, buf, len): any address and length inside [base, base+size).
 * Allowed errors: BO_ERR_IO (operation failed), BO_ERR_ALIGN/BO_ERR_RANGE (caller bug),
 * BO_ERR_POWER (simulation only: the device is off). */
typedef struct bo_flash {
    void *ctx;
    uint32_t base;      /* first address of the flash this struct covers */
    uint32_t size;      /* bytes */
    uint32_t page_size; /* erase unit, bytes (4096 on BZ2) */
    uint32_t prog_unit; /* program unit, bytes (16 on BZ2: one quad-word) */
    int (*read)(void *ctx, uint32_t addr, void *buf, uint32_t len);
    int (*prog)(void *ctx, uint32_t addr, const void *buf, uint32_t len);
    int (*erase)(void *ctx, uint32_t addr);
} bo_flash_t;

/* ---- Memory map ------------------------------------------------------------------------ */
typedef struct bo_layout {
    uint32_t slot0;        /* running image: 512-byte metadata header, firmware after it */
    uint32_t slot1;        /* download (staging) slot */
    uint32_t slot_size;    /* bytes reserved for each slot */
    uint32_t dl_limit;     /* most bytes a download may write into slot 1 */
    uint32_t resume_addr;  /* first page of the resume area (0: no resume, no boot journal) */
    uint32_t resume_pages; /* pages in it, at least 4 (see below) */
} bo_layout_t;

/* The resume area, outside the download area: the DFU resume log (pages 0 .. n-3), the DFU
 * relocation spare (page n-2), the bootloader's status page (page n-1: image state and version
 * floor, never erased by a download or a clean-up). During an install the bootloader reuses
 * the log pages for its swap progress (docs/bootloader.md). */
static inline uint32_t bo_layout_spare_addr(const bo_layout_t *l, uint32_t page_size)
{
    return l->resume_addr + (l->resume_pages - 2u) * page_size;
}

static inline uint32_t bo_layout_status_addr(const bo_layout_t *l, uint32_t page_size)
{
    return l->resume_addr + (l->resume_pages - 1u) * page_size;
}

/* ---- Keys ------------------------------------------------------------------------------
 * Where the board keeps its secrets. A NULL pointer means "not provisioned": the feature that
 * needs it is refused; bleota never falls back to a default key. */
typedef struct bo_keys {
    const uint8_t *aes_key;   /* 16 bytes, OTA image decryption */
    const uint8_t *aes_iv;    /* 16 bytes */
    const uint8_t *ecdsa_pub; /* 64 bytes X||Y big-endian, P-256 */
} bo_keys_t;

/* ---- System: clock, reset, watchdog ---------------------------------------------------- */
typedef struct bo_sys {
    void *ctx;
    uint32_t (*now_ms)(void *ctx); /* monotonic milliseconds, wraps at 2^32 */
    void (*reset)(void *ctx);      /* reset into the bootloader; may return on simulators */
    /* Watchdog; both NULL when the board has none. wdt_start arms it with a period in ms (as
     * on real parts it cannot be stopped again before the next reset); wdt_feed restarts the
     * period. Expiry resets the chip into the bootloader, like reset(). The bootloader arms it
     * before jumping to an image on trial; the application feeds it. */
    int (*wdt_start)(void *ctx, uint32_t period_ms);
    void (*wdt_feed)(void *ctx);
} bo_sys_t;

#endif
