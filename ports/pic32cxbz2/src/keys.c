/* The key store: compiled in from bo_bz2_keys.h, generated per build tree by keys.cmake (only the
 * public half of the signing key; AES key and IV for the application's decryption). */
#include "bleota/pic32cxbz2/board.h"
#include "bo_bz2_keys.h"

const bo_keys_t *bo_bz2_keys(void)
{
    static const bo_keys_t keys = {bo_bz2_aes_key, bo_bz2_aes_iv, bo_bz2_ecdsa_pub};
    return &keys;
}

/* The public key as an object of its own, for configurations built at compile time. */
extern const uint8_t bo_bz2_pubkey[64] __attribute__((alias("bo_bz2_ecdsa_pub")));
