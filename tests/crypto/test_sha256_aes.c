/* Known-answer tests: SHA-256 (FIPS 180-2 / NIST CAVP examples) and AES-128-CBC (SP 800-38A F.2).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bleota/crypto.h"
#include "test_util.h"

static void expect_digest(const uint8_t got[BO_SHA256_SIZE], const char *hex)
{
    uint8_t want[BO_SHA256_SIZE];
    assert_int_equal(tu_hex(hex, want, sizeof(want)), BO_SHA256_SIZE);
    assert_memory_equal(got, want, BO_SHA256_SIZE);
}

static const char ABC_HASH[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char MSG448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char MSG448_HASH[] =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

static void sha256_nist_one_shot_vectors_match(void **state)
{
    uint8_t d[BO_SHA256_SIZE];
    bo_sha256("", 0, d);
    expect_digest(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    bo_sha256("abc", 3, d);
    expect_digest(d, ABC_HASH);
    bo_sha256(MSG448, strlen(MSG448), d);
    expect_digest(d, MSG448_HASH);
}

static void sha256_streaming_in_odd_pieces_matches_one_shot(void **state)
{
    /* Pieces of 1, 2, 3... bytes cross every 64-byte block boundary at a different offset. */
    const size_t len = strlen(MSG448);
    for (size_t step = 1; step <= len; step++) {
        bo_sha256_t ctx;
        uint8_t d[BO_SHA256_SIZE];
        bo_sha256_init(&ctx);
        for (size_t off = 0; off < len; off += step)
            bo_sha256_update(&ctx, MSG448 + off, off + step > len ? len - off : step);
        bo_sha256_final(&ctx, d);
        expect_digest(d, MSG448_HASH);
    }
}

static void sha256_million_a_in_uneven_chunks_matches(void **state)
{
    static uint8_t a[1000];
    memset(a, 'a', sizeof(a));
    bo_sha256_t ctx;
    uint8_t d[BO_SHA256_SIZE];
    bo_sha256_init(&ctx);
    size_t done = 0, chunk = 1;
    while (done < 1000000u) {
        size_t n = 1000000u - done < chunk ? 1000000u - done : chunk;
        bo_sha256_update(&ctx, a, n);
        done += n;
        chunk = chunk % 983u + 13u; /* varying sizes, never above sizeof(a) */
    }
    bo_sha256_final(&ctx, d);
    expect_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void sha256_empty_updates_change_nothing(void **state)
{
    bo_sha256_t ctx;
    uint8_t d[BO_SHA256_SIZE];
    bo_sha256_init(&ctx);
    bo_sha256_update(&ctx, NULL, 0);
    bo_sha256_update(&ctx, "a", 1);
    bo_sha256_update(&ctx, "", 0);
    bo_sha256_update(&ctx, "bc", 2);
    bo_sha256_final(&ctx, d);
    expect_digest(d, ABC_HASH);
}

/* SP 800-38A F.2.1/F.2.2 CBC-AES128. */
static const char AES_KEY[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char AES_IV[] = "000102030405060708090a0b0c0d0e0f";
static const char AES_PT[] = "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
                             "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710";
static const char AES_CT[] = "7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2"
                             "73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7";

typedef struct {
    uint8_t key[16], iv[16], pt[64], ct[64];
} aes_vec_t;

static void load_aes(aes_vec_t *v)
{
    assert_int_equal(tu_hex(AES_KEY, v->key, 16), 16);
    assert_int_equal(tu_hex(AES_IV, v->iv, 16), 16);
    assert_int_equal(tu_hex(AES_PT, v->pt, 64), 64);
    assert_int_equal(tu_hex(AES_CT, v->ct, 64), 64);
}

static void aes_cbc_sp800_38a_encrypt_and_decrypt_match(void **state)
{
    aes_vec_t v;
    load_aes(&v);
    uint8_t out[64];
    bo_aes_cbc_t ctx;
    assert_int_equal(bo_aes_cbc_init(&ctx, v.key, v.iv, 0), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&ctx, v.pt, out, 64), BO_OK);
    assert_memory_equal(out, v.ct, 64);
    bo_aes_cbc_free(&ctx);

    assert_int_equal(bo_aes_cbc_init(&ctx, v.key, v.iv, 1), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&ctx, v.ct, out, 64), BO_OK);
    assert_memory_equal(out, v.pt, 64);
    bo_aes_cbc_free(&ctx);
}

static void aes_cbc_decrypt_streams_block_by_block_in_place(void **state)
{
    aes_vec_t v;
    load_aes(&v);
    uint8_t buf[64];
    memcpy(buf, v.ct, 64);
    bo_aes_cbc_t ctx;
    assert_int_equal(bo_aes_cbc_init(&ctx, v.key, v.iv, 1), BO_OK);
    /* pieces of 16, 32, 16 bytes, each decrypted over itself */
    assert_int_equal(bo_aes_cbc_update(&ctx, buf, buf, 16), BO_OK);
    assert_memory_equal(bo_aes_cbc_iv(&ctx), v.ct, 16);
    assert_int_equal(bo_aes_cbc_update(&ctx, buf + 16, buf + 16, 32), BO_OK);
    assert_memory_equal(bo_aes_cbc_iv(&ctx), v.ct + 32, 16);
    assert_int_equal(bo_aes_cbc_update(&ctx, buf + 48, buf + 48, 16), BO_OK);
    assert_memory_equal(buf, v.pt, 64);
    bo_aes_cbc_free(&ctx);
}

static void aes_cbc_encrypt_streams_in_place_and_chains(void **state)
{
    aes_vec_t v;
    load_aes(&v);
    uint8_t buf[64];
    memcpy(buf, v.pt, 64);
    bo_aes_cbc_t ctx;
    assert_int_equal(bo_aes_cbc_init(&ctx, v.key, v.iv, 0), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&ctx, buf, buf, 48), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&ctx, buf + 48, buf + 48, 16), BO_OK);
    assert_memory_equal(buf, v.ct, 64);
    assert_memory_equal(bo_aes_cbc_iv(&ctx), v.ct + 48, 16);
    bo_aes_cbc_free(&ctx);
}

static void aes_cbc_resumes_from_exported_chaining_value(void **state)
{
    /* A resumed download restarts decryption with the last ciphertext block as IV. */
    aes_vec_t v;
    load_aes(&v);
    uint8_t out[32];
    bo_aes_cbc_t ctx;
    assert_int_equal(bo_aes_cbc_init(&ctx, v.key, v.ct + 16, 1), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&ctx, v.ct + 32, out, 32), BO_OK);
    assert_memory_equal(out, v.pt + 32, 32);
    bo_aes_cbc_free(&ctx);
}

static void aes_cbc_refuses_partial_blocks_and_null_keys(void **state)
{
    aes_vec_t v;
    load_aes(&v);
    uint8_t out[64];
    bo_aes_cbc_t ctx;
    assert_int_equal(bo_aes_cbc_init(&ctx, NULL, v.iv, 1), BO_ERR_ARG);
    assert_int_equal(bo_aes_cbc_init(&ctx, v.key, NULL, 1), BO_ERR_ARG);
    assert_int_equal(bo_aes_cbc_init(&ctx, v.key, v.iv, 1), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&ctx, v.ct, out, 15), BO_ERR_ALIGN);
    assert_int_equal(bo_aes_cbc_update(&ctx, v.ct, out, 17), BO_ERR_ALIGN);
    /* a refused call leaves the chain untouched */
    assert_memory_equal(bo_aes_cbc_iv(&ctx), v.iv, 16);
    assert_int_equal(bo_aes_cbc_update(&ctx, v.ct, out, 0), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&ctx, v.ct, out, 64), BO_OK);
    assert_memory_equal(out, v.pt, 64);
    bo_aes_cbc_free(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_nist_one_shot_vectors_match),
        cmocka_unit_test(sha256_streaming_in_odd_pieces_matches_one_shot),
        cmocka_unit_test(sha256_million_a_in_uneven_chunks_matches),
        cmocka_unit_test(sha256_empty_updates_change_nothing),
        cmocka_unit_test(aes_cbc_sp800_38a_encrypt_and_decrypt_match),
        cmocka_unit_test(aes_cbc_decrypt_streams_block_by_block_in_place),
        cmocka_unit_test(aes_cbc_encrypt_streams_in_place_and_chains),
        cmocka_unit_test(aes_cbc_resumes_from_exported_chaining_value),
        cmocka_unit_test(aes_cbc_refuses_partial_blocks_and_null_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
