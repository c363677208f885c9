/* The board's key store: keys compiled in from bo_qemu_keys.h, which CMake generates at
 * configure time (see keys.cmake). A real board would read them from OTP or protected flash. */
#include "bleota/qemu/board.h"
#include "bo_qemu_keys.h"

const bo_keys_t *bo_qemu_keys(void)
{
    static const bo_keys_t keys = {bo_qemu_aes_key, bo_qemu_aes_iv, bo_qemu_ecdsa_pub};
    return &keys;
}
