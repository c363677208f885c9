/* Microchip's fixed-address bootloader API on the PIC32CX-BZ2 (reference §1.3), both sides:
 *   bool authenticate_fw_image(uint8_t slot, uint8_t *ram)
 * Thumb code at 0x5000, called through 0x5001 with plain AAPCS: r0 = slot (0: header at
 * 0x01000000, 1: 0x01080000, anything else false), r1 = scratch of at least 3244 bytes, the
 * verdict in r0. Microchip's applications call it in their OTA task as
 *   ((bool (*)(uint8_t, uint8_t *))0x5001)(1, OSAL_Malloc(3244));
 * bleota's bootloader exports it (apps/bootloader/pic32cxbz2/api.c) with bleota's policy: true
 * only for an image whose metadata and firmware signatures verify with the bootloader's key.
 * bleota's applications reach it through bo_bz2_authenticate, which works with Microchip's
 * bootloader as well. */
#ifndef BLEOTA_PIC32CXBZ2_API_H
#define BLEOTA_PIC32CXBZ2_API_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/boot.h"
#include "bleota/pic32cxbz2/board.h"

#define BO_BZ2_API_ENTRY (BO_BZ2_API_ADDR | 1u) /* the Thumb address to call */

typedef bool (*bo_bz2_auth_fw_fn)(uint8_t slot, uint8_t *ram);

/* The bootloader's export (defined only in the bootloader image). */
bool authenticate_fw_image(uint8_t slot, uint8_t *ram_ptr);

/* bo_ota_auth_fn over the fixed-address entry: BO_OK when the bootloader says true (info, if
 * not NULL, gets version, length, sequence number and flags from the slot's header; its id is
 * zero: the entry only says yes or no), BO_ERR_AUTH when it says false, BO_ERR_ARG for a slot
 * other than 0 or 1. The 3244-byte scratch is a static buffer of this module; the call needs
 * about 3.5 KiB of the caller's stack with Microchip's bootloader (reference §1.3). */
int bo_bz2_authenticate(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info);

#endif
