/* The target configuration on the host: bo_crypto built with BO_CRYPTO_STATIC_HEAP over mbedTLS
 * compiled from source with bleota_mbedtls_config.h (no system allocator reachable at all).
 * Built twice: with a heap large enough (verify works, call after call) and with a heap too
 * small (EXPECT_EXHAUSTED: the failure is BO_ERR_CRYPTO, never a pass, never AUTH). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bleota/crypto.h"
#include "test_util.h"

static const char PUB_HEX[] = "a81e79f7533430b94beb3f7c91284d1f19324e67901563ea82eebe83f4a9ed7d"
                              "5d13b99596af27e268a0c76f0a2ee995d7915f4f964e24bf366bbe844b574f40";
static const char SIG_HEX[] =
    "3045022100bee6a60a6bdf471040df302dee6123445e638865fed4344f18a5d8d36239af08"
    "02207fd78cc6f28ea065e1cf79ec9ddf45f4ef7e3927d73844a1eebd4c1c2be00e7f";

typedef struct {
    uint8_t pub[64], hash[32], sig[72];
} vec_t;

static void load(vec_t *v)
{
    assert_int_equal(tu_hex(PUB_HEX, v->pub, 64), 64);
    assert_int_equal(tu_hex(SIG_HEX, v->sig, 72), 71);
    bo_sha256("bleota ecdsa known-answer", 25, v->hash);
}

#ifndef EXPECT_EXHAUSTED
static void crypto_static_heap_verifies_again_and_again(void **state)
{
    vec_t v;
    load(&v);
    /* each call starts from an empty heap: nothing leaks or fragments across calls */
    for (int i = 0; i < 50; i++) {
        assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, 71), BO_OK);
        v.hash[i % 32] ^= 0x80;
        assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, 71), BO_ERR_AUTH);
        v.hash[i % 32] ^= 0x80;
    }
}

static void crypto_static_heap_verifies_microchip_image(void **state)
{
    size_t len = 0;
    uint8_t *img =
        tu_read_file(BO_FIXTURES "/ext_light.X.production.signed_1.0.0.1_uart.bin", &len);
    assert_non_null(img);
    uint8_t pub[64], hdr[512], hash[32];
    assert_int_equal(tu_hex("c2818fbb2861478ba2533779d463187c8b4159a95f0b6b944eb957a103fe20bf"
                            "2bb8142a64b5ae4a8380dde6ee2989dda09ac7da82eb5662905d66c5bc303c84",
                            pub, 64),
                     64);
    memcpy(hdr, img, sizeof(hdr));
    size_t sig_len = hdr[0x1B7];
    uint8_t sig[72];
    assert_true(sig_len <= sizeof(sig));
    memcpy(sig, hdr + 0x1B8, sig_len);
    memset(hdr + 0x1B7, 0, 0x200 - 0x1B7);
    bo_sha256(hdr + 0x14, 0x200 - 0x14, hash);
    assert_int_equal(bo_ecdsa_p256_verify(pub, hash, sig, sig_len), BO_OK);
    free(img);
}
#else
static void crypto_static_heap_exhausted_is_backend_error(void **state)
{
    vec_t v;
    load(&v);
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, 71), BO_ERR_CRYPTO);
    v.hash[0] ^= 1;
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, 71), BO_ERR_CRYPTO);
    /* DER is checked before any allocation, so format errors still read as such */
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, 70), BO_ERR_FORMAT);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifndef EXPECT_EXHAUSTED
        cmocka_unit_test(crypto_static_heap_verifies_again_and_again),
        cmocka_unit_test(crypto_static_heap_verifies_microchip_image),
#else
        cmocka_unit_test(crypto_static_heap_exhausted_is_backend_error),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
