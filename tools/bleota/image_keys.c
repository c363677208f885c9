/* Key options shared by image inspect/verify, and Microchip's public development keys. */
#include <string.h>

#include "bo_keys.h"
#include "cli.h"
#include "image_file.h"

/* Published by Microchip (fixtures/mchp/README.md): public, so only behind --mchp-dev-keys. */
const uint8_t bo_mchp_dev_aes_key[16] = {0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11,
                                         0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
const uint8_t bo_mchp_dev_aes_iv[16] = {0};
const uint8_t bo_mchp_dev_pub[64] = {
    0xc2, 0x81, 0x8f, 0xbb, 0x28, 0x61, 0x47, 0x8b, 0xa2, 0x53, 0x37, 0x79, 0xd4, 0x63, 0x18, 0x7c,
    0x8b, 0x41, 0x59, 0xa9, 0x5f, 0x0b, 0x6b, 0x94, 0x4e, 0xb9, 0x57, 0xa1, 0x03, 0xfe, 0x20, 0xbf,
    0x2b, 0xb8, 0x14, 0x2a, 0x64, 0xb5, 0xae, 0x4a, 0x83, 0x80, 0xdd, 0xe6, 0xee, 0x29, 0x89, 0xdd,
    0xa0, 0x9a, 0xc7, 0xda, 0x82, 0xeb, 0x56, 0x62, 0x90, 0x5d, 0x66, 0xc5, 0xbc, 0x30, 0x3c, 0x84};

int bo_keyset_from_opts(bo_keyset_t *k, const char *what, const char *aes_key, const char *aes_iv,
                        const char *pubkey, int dev_keys)
{
    memset(k, 0, sizeof *k);
    if ((aes_key == NULL) != (aes_iv == NULL)) {
        return bo_cli_err(what, "%s needs %s too", aes_key ? "--aes-key" : "--aes-iv",
                          aes_key ? "--aes-iv" : "--aes-key");
    }
    if (aes_key != NULL) {
        if (bo_cli_hex16(what, "--aes-key", aes_key, k->aes_key) != 0 ||
            bo_cli_hex16(what, "--aes-iv", aes_iv, k->aes_iv) != 0) {
            return BO_EXIT_USAGE;
        }
        k->have_aes = 1;
    }
    if (pubkey != NULL) {
        char msg[BO_KEYS_MSG_MAX];
        if (bo_pubkey_load(k->pub, pubkey, msg, sizeof msg) != BO_OK) {
            return bo_cli_err(what, "--pubkey: %s", msg);
        }
        k->have_pub = 1;
    }
    if (dev_keys && (!k->have_aes || !k->have_pub)) {
        bo_cli_warn("--mchp-dev-keys: using Microchip's PUBLIC development keys; anyone can sign "
                    "and decrypt with them, never ship them");
        if (!k->have_aes) {
            memcpy(k->aes_key, bo_mchp_dev_aes_key, 16);
            memcpy(k->aes_iv, bo_mchp_dev_aes_iv, 16);
            k->have_aes = 1;
        }
        if (!k->have_pub) {
            memcpy(k->pub, bo_mchp_dev_pub, 64);
            k->have_pub = 1;
        }
    }
    return 0;
}
