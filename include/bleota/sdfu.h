/* bleota sdfu: the serial programming executive (mchp-ota-reference.md §4.6), transport-agnostic.
 *
 * Wire: a command is a frame; a frame ends after the line was idle for gap_ms or when 4112
 * bytes (16-byte header + 4096 payload) arrived — and a PROG_CLUSTER_VERIFY frame also ends
 * as soon as its 16 + length bytes arrived (length <= 4096), so clusters need no gap.
 * All words are 32-bit little-endian; word0 = (command << 16) | operand; a response is one
 * word (command << 16) | code.
 *   0x07 EXEC_VERSION          -> 0x00070001
 *   0x0A GET_DEVICEID          -> 0x000A0000, then the 4-byte device ID
 *   0x05 PAGE_ERASE  n, addr   -> PASS/FAIL (n pages from a page-aligned addr)
 *   0x06 BLANK_CHECK addr, len -> PASS/FAIL (every byte 0xFF)
 *   0x11 PROG_CLUSTER_VERIFY m, addr, len, sum, data[len <= 4096]
 *        m = 1: u32 byte sum; m = 2: CRC-16/CCITT (poly 0x1021, init 0xFFFF, no reflection,
 *        no xorout) — compared over flash after programming -> PASS/FAIL
 *   0x12 RESET                 -> no response; calls sys->reset
 *   anything else (CHIP_ERASE 0x04 included: the reference's version erases 15 MiB) -> NACK
 * Differences from the reference, on purpose: writes and erases outside the window FAIL (the
 * reference lets the executive write slot 0); PROG addresses must be aligned to the program
 * unit (FAIL otherwise, the reference silently rounds); a short cluster is padded with 0xFF,
 * not with whatever follows in a buffer.
 *
 * RAM: bo_sdfu_t only (about 80 bytes). A cluster is programmed one program unit at a time as
 * it streams in; nothing buffers 4 KiB. Stack: a 64-byte read buffer. */
#ifndef BLEOTA_SDFU_H
#define BLEOTA_SDFU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bleota/err.h"
#include "bleota/port.h"

#ifndef BO_SDFU_UNIT_MAX
#define BO_SDFU_UNIT_MAX 16u /* largest flash program unit supported (bytes of RAM) */
#endif

#define BO_SDFU_FRAME_MAX 4112u /* 16-byte header + 4096-byte cluster */
#define BO_SDFU_CLUSTER_MAX 4096u
#define BO_SDFU_GAP_MS_DEFAULT 10u

/* Command words and response codes */
#define BO_SDFU_CMD_CHIP_ERASE 0x04u
#define BO_SDFU_CMD_PAGE_ERASE 0x05u
#define BO_SDFU_CMD_BLANK_CHECK 0x06u
#define BO_SDFU_CMD_EXEC_VERSION 0x07u
#define BO_SDFU_CMD_GET_DEVICEID 0x0Au
#define BO_SDFU_CMD_PROG_CLUSTER 0x11u
#define BO_SDFU_CMD_RESET 0x12u
#define BO_SDFU_PASS 0x00u
#define BO_SDFU_FAIL 0x02u
#define BO_SDFU_NACK 0x03u
#define BO_SDFU_VERSION 0x0001u
#define BO_SDFU_SUM_BYTES 1u
#define BO_SDFU_SUM_CRC16 2u

/* Sends response bytes to the host (the UART). */
typedef void (*bo_sdfu_tx_fn)(void *ctx, const uint8_t *data, size_t len);

typedef struct bo_sdfu_cfg {
    const bo_flash_t *flash;
    const bo_sys_t *sys; /* reset() on RESET; NULL: RESET only ends the frame */
    bo_sdfu_tx_fn tx;
    void *tx_ctx;
    uint32_t win_lo;    /* writable window [win_lo, win_hi); both 0: the download slot */
    uint32_t win_hi;    /*   (layout.slot1 .. slot1 + dl_limit, or slot_size if 0) */
    uint32_t gap_ms;    /* idle gap that ends a frame; 0: BO_SDFU_GAP_MS_DEFAULT */
    uint32_t device_id; /* GET_DEVICEID answer (the reference answers 0) */
} bo_sdfu_cfg_t;

/* Executive state; the caller owns it. Fields are private. */
typedef struct bo_sdfu {
    bool prog_ok;       /* the cluster header was valid: data is being programmed */
    uint32_t frame_len; /* bytes of the current frame so far (0: no frame open) */
    uint32_t frame_end; /* a cluster frame's length, known from its header (else 0) */
    uint32_t last_ms;   /* when the last byte arrived */
    bo_sdfu_cfg_t cfg;
    uint32_t hdr[4]; /* the first four words of the frame */
    uint8_t unit[BO_SDFU_UNIT_MAX];
} bo_sdfu_t;

/* Binds the executive to a flash and a layout (the default window). BO_ERR_ARG for a NULL
 * flash/tx, a program unit larger than BO_SDFU_UNIT_MAX or not dividing 16 clusters' bytes,
 * or a window outside the flash. */
int bo_sdfu_init(bo_sdfu_t *s, const bo_sdfu_cfg_t *cfg, const bo_layout_t *layout);

/* Bytes from the UART that arrived at now_ms. A pending frame older than gap_ms is ended and
 * executed first. Returns the number of commands executed (>= 0), or BO_ERR_ARG. */
int bo_sdfu_rx(bo_sdfu_t *s, const uint8_t *data, size_t len, uint32_t now_ms);

/* Ends and executes the pending frame if the line has been idle for gap_ms. Returns the
 * number of commands executed (0 or 1). */
int bo_sdfu_poll(bo_sdfu_t *s, uint32_t now_ms);

/* True while a frame is open: the caller should call bo_sdfu_poll() again by last_ms+gap_ms. */
bool bo_sdfu_pending(const bo_sdfu_t *s);

/* The checksums of PROG_CLUSTER_VERIFY, chainable (start with 0 / 0xFFFF). */
uint32_t bo_sdfu_sum32(uint32_t sum, const uint8_t *data, size_t len);
uint16_t bo_sdfu_crc16(uint16_t crc, const uint8_t *data, size_t len);

#endif
