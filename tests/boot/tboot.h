/* A device for the boot tests: the BZ2 test flash, a signing key and a boot configuration over
 * both, as every boot test file sets them up. */
#ifndef BO_TEST_TBOOT_H
#define BO_TEST_TBOOT_H

#include "bleota/boot.h"
#include "tflash.h"
#include "timg.h"

/* An erased flash, the key of `seed`, cfg = that flash, the BZ2 layout and the key's public
 * half (everything else zero: the boot defaults). */
void tboot_init(tflash_t *t, tkey_t *key, uint32_t seed, bo_boot_cfg_t *cfg);
void tboot_free(tflash_t *t, tkey_t *key);

#endif
