/* The board's key store: keys compiled in from bo_qemu_keys.h, which CMake generates at
 * configure time (see keys.cmake). A real board would read them from OTP or protected flash. */
#include "bleota/qemu/board.h"
#include "bo_qemu_keys.h"

const bo_keys_t *bo_qemu_keys(void)
{
    static const bo_keys_t keys = {bo_qemu_aes_key, bo_qemu_aes_iv, bo_qemu_ecdsa_pub};
    return &keys;
}

/* The public key as an object of its own, for configurations built at compile time. */
extern const uint8_t bo_qemu_pubkey[64] __attribute__((alias("bo_qemu_ecdsa_pub")));
