/* Shared by the dfu unit tests and the dfu power-loss tests: realistic images, the BZ2 flash
 * model, a download driver that checkpoints every window, and the bootloader's view of slot 1. */
#ifndef DFU_TEST_UTIL_H
#define DFU_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "bleota/dfu.h"
#include "bleota/layout_bz2.h"
#include "bleota/posix/nor.h"

uint32_t tu_rand(uint32_t *s);

/* A flash image as Microchip's tools make them: a 512-byte metadata header whose first 16 bytes
 * are 00x8 "MCHP" 00x4 and whose structural bytes 0x10..0x1B are valid, then random bytes with
 * some all-0xFF units and (for images > 16 KiB) one whole 0xFF page, as padding produces. */
void tu_image(uint8_t *img, uint32_t size, uint32_t seed);
void tu_id(uint8_t id[BO_DFU_ID_SIZE], uint32_t seed);
/* The cursor a CBC decryptor would checkpoint at off: the 16 bytes before it (zeros at 0). */
void tu_cursor(const uint8_t *img, uint32_t off, uint8_t cur[BO_DFU_CURSOR_SIZE]);

/* Memory-only BZ2 program flash (1 MiB, 4 KiB pages, 16-byte unit). */
int tu_nor_bz2(bo_nor_t *nor);

/* The bootloader's structural check of a slot header (reference section 4.2): bytes 0x00..0x1B
 * with 0x08..0x0B, 0x10..0x13 and 0x16 masked must be 00x20 02 01 00 00 00 00 55 00. */
bool tu_struct_valid(const uint8_t hdr[28]);

typedef struct {
    uint32_t window; /* checkpoint every window bytes (and chunks never straddle one) */
    uint32_t chunk;  /* bytes per write; 0 = random 1..300 */
    uint32_t seed;   /* for random chunks */
    bool erase_ahead; /* after each write, bo_dfu_erase_ahead(one page), as an idle device does */
    uint8_t *stage;   /* non-NULL: bo_dfu_set_stage with this one-page (4096 B) buffer */
    /* results */
    bo_dfu_resume_t res; /* what start returned */
    uint32_t sent_end;   /* bytes handed to bo_dfu_write (attempted) */
    uint32_t ckpt_ok;    /* offset of the last checkpoint that returned BO_OK */
    uint32_t ckpt_try;   /* offset of the last checkpoint attempted */
    int where;           /* 0 start, 1 write, 2 checkpoint, 3 finish, 4 done */
} tu_run_t;

/* Runs one download session: init, configure, start(id, &res), then sends from res.offset,
 * checks the cursor start returned, checkpoints each window (when id != NULL), erases ahead
 * after each write when r->erase_ahead, finishes.
 * Returns the first error (r->where tells where) or BO_OK. */
int tu_download(const bo_flash_t *f, const bo_layout_t *l, const uint8_t *img, uint32_t size,
                const uint8_t *id, tu_run_t *r);

/* An interrupted download: init d, configure size, start with id, write the first `stored`
 * bytes of img, checkpoint them (a zero cursor), abort. The resume record is live afterwards.
 * Returns the first error or BO_OK. */
int tu_interrupted(bo_dfu_t *d, const bo_flash_t *f, const bo_layout_t *l, const uint8_t *img,
                   uint32_t size, const uint8_t *id, uint32_t stored);

/* What the bootloader would see in slot 1: 1 = committed and byte-identical to img,
 * 0 = structurally invalid (ignored), -1 = structurally valid with wrong content (the failure
 * power-loss tests hunt for). */
int tu_slot_state(const bo_flash_t *f, const bo_layout_t *l, const uint8_t *img, uint32_t size);

#endif
