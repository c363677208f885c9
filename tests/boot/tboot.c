/* The boot tests' device (see tboot.h). */
#include "tboot.h"

#include <string.h>

#include "bleota/layout_bz2.h"

void tboot_init(tflash_t *t, tkey_t *key, uint32_t seed, bo_boot_cfg_t *cfg)
{
    tflash_init(t);
    tkey_gen(key, seed);
    memset(cfg, 0, sizeof *cfg);
    cfg->flash = &t->flash;
    cfg->layout = bo_layout_bz2();
    cfg->pubkey = key->pub;
}

void tboot_free(tflash_t *t, tkey_t *key)
{
    tflash_free(t);
    tkey_free(key);
}
