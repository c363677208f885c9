/* Can firmware boot from its vector table? The bootloader reads only words 0 and 1 of the
 * image (initial SP, reset vector) and jumps; an image linked at the wrong address or for the
 * wrong RAM is authentic and installed, and then never runs. `image sign` checks first. */
#ifndef BO_IMAGE_VECTORS_H
#define BO_IMAGE_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#define BO_BZ2_FW_ADDR 0x01000200u /* slot 0 firmware: the vector table the bootloader reads */

/* fw holds len firmware bytes that run at addr (the vector table's address). Returns 0 when
 * the initial SP lies in RAM and the reset vector is a Thumb address inside the image;
 * otherwise -1 with why = "<what is wrong>: <the fix>". RAM is the BZ2's 128 KiB SRAM when addr
 * is BO_BZ2_FW_ADDR, else the Cortex-M SRAM region (another board, chosen with --base). */
int bo_vectors_check(const uint8_t *fw, uint32_t len, uint32_t addr, char *why, size_t why_size);

#endif
