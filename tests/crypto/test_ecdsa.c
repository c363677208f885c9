/* ECDSA P-256 verify: a known-good vector (made with OpenSSL when this test was written), every
 * rejection the contract names, and Microchip's own signed image as an end-to-end check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bleota/crypto.h"
#include "test_util.h"

/* openssl ecparam -genkey -name prime256v1; openssl dgst -sha256 -sign, message below. */
static const char MSG[] = "bleota ecdsa known-answer";
static const char PUB_HEX[] = "a81e79f7533430b94beb3f7c91284d1f19324e67901563ea82eebe83f4a9ed7d"
                              "5d13b99596af27e268a0c76f0a2ee995d7915f4f964e24bf366bbe844b574f40";
static const char R_HEX[] = "bee6a60a6bdf471040df302dee6123445e638865fed4344f18a5d8d36239af08";
static const char S_HEX[] = "7fd78cc6f28ea065e1cf79ec9ddf45f4ef7e3927d73844a1eebd4c1c2be00e7f";
static const char SIG_HEX[] =
    "3045022100bee6a60a6bdf471040df302dee6123445e638865fed4344f18a5d8d36239af08"
    "02207fd78cc6f28ea065e1cf79ec9ddf45f4ef7e3927d73844a1eebd4c1c2be00e7f";
static const char N_HEX[] = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
/* s + n: the same value mod n, 33 bytes wide */
static const char S_PLUS_N_HEX[] =
    "017fd78cc5f28ea066e1cf79ec9ddf45f4ac6533d57e4fe326e27716df284333d0";
/* Microchip's published default key (fixtures README) */
static const char MCHP_PUB_HEX[] =
    "c2818fbb2861478ba2533779d463187c8b4159a95f0b6b944eb957a103fe20bf"
    "2bb8142a64b5ae4a8380dde6ee2989dda09ac7da82eb5662905d66c5bc303c84";

typedef struct {
    uint8_t pub[64], hash[32], sig[80];
    size_t sig_len;
} vec_t;

static void load(vec_t *v)
{
    assert_int_equal(tu_hex(PUB_HEX, v->pub, 64), 64);
    bo_sha256(MSG, strlen(MSG), v->hash);
    int n = tu_hex(SIG_HEX, v->sig, sizeof(v->sig));
    assert_int_equal(n, 71);
    v->sig_len = (size_t)n;
}

/* Minimal DER of SEQUENCE{INTEGER r, INTEGER s} from unsigned big-endian magnitudes. */
static size_t put_uint(uint8_t *o, const uint8_t *m, size_t len)
{
    while (len > 1 && m[0] == 0) {
        m++;
        len--;
    }
    size_t pad = (m[0] & 0x80) ? 1 : 0;
    o[0] = 0x02;
    o[1] = (uint8_t)(len + pad);
    o[2] = 0;
    memcpy(o + 2 + pad, m, len);
    return 2 + pad + len;
}

static size_t make_der(uint8_t *out, const char *r_hex, const char *s_hex)
{
    uint8_t r[40], s[40], body[90];
    int rl = tu_hex(r_hex, r, sizeof(r)), sl = tu_hex(s_hex, s, sizeof(s));
    assert_true(rl > 0 && sl > 0);
    size_t n = put_uint(body, r, (size_t)rl);
    n += put_uint(body + n, s, (size_t)sl);
    out[0] = 0x30;
    out[1] = (uint8_t)n;
    memcpy(out + 2, body, n);
    return n + 2;
}

static void ecdsa_openssl_vector_verifies(void **state)
{
    vec_t v;
    load(&v);
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, v.sig_len), BO_OK);
    /* the DER builder reproduces OpenSSL's encoding, so the rejection cases below differ from
     * a valid signature only in what each one names */
    uint8_t der[80];
    size_t n = make_der(der, R_HEX, S_HEX);
    assert_int_equal(n, v.sig_len);
    assert_memory_equal(der, v.sig, n);
}

static void ecdsa_high_s_twin_also_verifies(void **state)
{
    /* (r, n - s) is the other valid signature; the bootloader has no low-s rule to enforce. */
    vec_t v;
    load(&v);
    uint8_t der[80];
    size_t n =
        make_der(der, R_HEX, "802873380d715f9b1e3086136220ba0acd68c185cfdf59e304fc7ea6d08316d2");
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, der, n), BO_OK);
}

static void ecdsa_r_or_s_zero_is_auth_failure(void **state)
{
    vec_t v;
    load(&v);
    uint8_t der[80];
    size_t n = make_der(der, "00", S_HEX);
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, der, n), BO_ERR_AUTH);
    n = make_der(der, R_HEX, "00");
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, der, n), BO_ERR_AUTH);
}

static void ecdsa_r_or_s_at_or_above_n_is_auth_failure(void **state)
{
    vec_t v;
    load(&v);
    uint8_t der[80];
    const char *big[] = {N_HEX, S_PLUS_N_HEX,
                         "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = make_der(der, big[i], S_HEX);
        assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, der, n), BO_ERR_AUTH);
        n = make_der(der, R_HEX, big[i]);
        assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, der, n), BO_ERR_AUTH);
    }
}

static void expect_format(const vec_t *v, const uint8_t *der, size_t len)
{
    assert_int_equal(bo_ecdsa_p256_verify(v->pub, v->hash, der, len), BO_ERR_FORMAT);
}

static void ecdsa_malformed_der_is_format_error(void **state)
{
    vec_t v;
    load(&v);
    uint8_t d[80];

    memcpy(d, v.sig, v.sig_len);
    d[0] = 0x31; /* SET, not SEQUENCE */
    expect_format(&v, d, v.sig_len);
    memcpy(d, v.sig, v.sig_len);
    d[2] = 0x03; /* BIT STRING instead of INTEGER r */
    expect_format(&v, d, v.sig_len);
    memcpy(d, v.sig, v.sig_len);
    d[1] = 0x46; /* sequence length beyond the buffer */
    expect_format(&v, d, v.sig_len);
    memcpy(d, v.sig, v.sig_len);
    d[1] = 0x44; /* sequence shorter than its integers */
    expect_format(&v, d, v.sig_len);
    memcpy(d, v.sig, v.sig_len);
    d[3] = 0x22; /* r's length runs into s */
    expect_format(&v, d, v.sig_len);
    memcpy(d, v.sig, v.sig_len);
    d[1] = 0x80; /* indefinite length */
    expect_format(&v, d, v.sig_len);

    /* long-form length for a short sequence is BER, not DER */
    d[0] = 0x30;
    d[1] = 0x81;
    d[2] = 0x45;
    memcpy(d + 3, v.sig + 2, v.sig_len - 2);
    expect_format(&v, d, v.sig_len + 1);

    expect_format(&v, v.sig, 0);
    expect_format(&v, v.sig, 1);
}

static void ecdsa_truncated_der_is_format_error(void **state)
{
    vec_t v;
    load(&v);
    for (size_t len = 0; len < v.sig_len; len++) {
        uint8_t *d = malloc(len + 1); /* exact size, so ASan sees any over-read */
        assert_non_null(d);
        memcpy(d, v.sig, len);
        expect_format(&v, d, len);
        free(d);
    }
}

static void ecdsa_trailing_byte_is_format_error(void **state)
{
    vec_t v;
    load(&v);
    uint8_t d[80];
    memcpy(d, v.sig, v.sig_len);
    d[v.sig_len] = 0x00;
    expect_format(&v, d, v.sig_len + 1);
}

static void ecdsa_negative_or_padded_integer_is_format_error(void **state)
{
    vec_t v;
    load(&v);
    uint8_t d[80];
    /* r without its 0x00 sign byte reads as negative */
    d[0] = 0x30;
    d[1] = 0x44;
    d[2] = 0x02;
    d[3] = 0x20;
    memcpy(d + 4, v.sig + 5, 66);
    expect_format(&v, d, 70);
    /* s with a superfluous leading zero is not minimal */
    memcpy(d, v.sig, v.sig_len);
    d[1] = 0x46;
    d[37] = 0x02;
    d[38] = 0x21;
    d[39] = 0x00;
    memcpy(d + 40, v.sig + 39, 32);
    expect_format(&v, d, 72);
    /* a zero-length INTEGER */
    static const uint8_t empty_r[] = {0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x01};
    expect_format(&v, empty_r, sizeof(empty_r));
}

static void ecdsa_wrong_key_is_auth_failure(void **state)
{
    vec_t v;
    load(&v);
    assert_int_equal(tu_hex(MCHP_PUB_HEX, v.pub, 64), 64);
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, v.sig_len), BO_ERR_AUTH);
}

static void ecdsa_wrong_hash_is_auth_failure(void **state)
{
    vec_t v;
    load(&v);
    for (size_t i = 0; i < BO_SHA256_SIZE; i += 7) {
        v.hash[i] ^= 0x01;
        assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, v.sig_len), BO_ERR_AUTH);
        v.hash[i] ^= 0x01;
    }
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, v.sig_len), BO_OK);
}

static void ecdsa_point_not_on_curve_is_format_error(void **state)
{
    vec_t v;
    load(&v);
    v.pub[63] ^= 0x01;
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, v.sig_len), BO_ERR_FORMAT);
    /* a coordinate >= p is refused too, and an all-zero key (no such affine point) */
    memset(v.pub, 0xff, 32);
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, v.sig_len), BO_ERR_FORMAT);
    memset(v.pub, 0x00, 64);
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, v.sig, v.sig_len), BO_ERR_FORMAT);
}

static void ecdsa_null_arguments_are_refused(void **state)
{
    vec_t v;
    load(&v);
    assert_int_equal(bo_ecdsa_p256_verify(NULL, v.hash, v.sig, v.sig_len), BO_ERR_ARG);
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, NULL, v.sig, v.sig_len), BO_ERR_ARG);
    assert_int_equal(bo_ecdsa_p256_verify(v.pub, v.hash, NULL, v.sig_len), BO_ERR_ARG);
}

/* Metadata signature of Microchip's UART image: header bytes 0x14..0x1FF hashed with MD_SIG_SZ
 * (0x1B7) and MD_SIG (0x1B8..0x1FF) zeroed; the DER signature sits at 0x1B8. */
static void ecdsa_verifies_microchip_metadata_signature(void **state)
{
    size_t len = 0;
    uint8_t *img =
        tu_read_file(BO_FIXTURES "/ext_light.X.production.signed_1.0.0.1_uart.bin", &len);
    assert_non_null(img);
    assert_int_equal(len, 306688);
    uint8_t pub[64], hdr[512], hash[32];
    assert_int_equal(tu_hex(MCHP_PUB_HEX, pub, 64), 64);
    memcpy(hdr, img, sizeof(hdr));
    size_t sig_len = hdr[0x1B7];
    assert_int_equal(sig_len, 71);
    uint8_t sig[72];
    memcpy(sig, hdr + 0x1B8, sig_len);
    memset(hdr + 0x1B7, 0, 0x200 - 0x1B7);
    bo_sha256(hdr + 0x14, 0x200 - 0x14, hash);
    assert_int_equal(bo_ecdsa_p256_verify(pub, hash, sig, sig_len), BO_OK);

    /* and the firmware signature over FW_IMG_LEN bytes after the header, streamed */
    size_t fw_len = (size_t)img[0x20] | (size_t)img[0x21] << 8 | (size_t)img[0x22] << 16 |
                    (size_t)img[0x23] << 24;
    assert_int_equal(fw_len, 306176);
    bo_sha256_t ctx;
    bo_sha256_init(&ctx);
    for (size_t off = 0; off < fw_len; off += 4096)
        bo_sha256_update(&ctx, img + 512 + off, fw_len - off < 4096 ? fw_len - off : 4096);
    bo_sha256_final(&ctx, hash);
    assert_int_equal(bo_ecdsa_p256_verify(pub, hash, img + 0x29, img[0x28]), BO_OK);

    /* one flipped header bit breaks the metadata signature */
    hdr[0x20] ^= 0x01;
    bo_sha256(hdr + 0x14, 0x200 - 0x14, hash);
    assert_int_equal(bo_ecdsa_p256_verify(pub, hash, sig, sig_len), BO_ERR_AUTH);
    free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ecdsa_openssl_vector_verifies),
        cmocka_unit_test(ecdsa_high_s_twin_also_verifies),
        cmocka_unit_test(ecdsa_r_or_s_zero_is_auth_failure),
        cmocka_unit_test(ecdsa_r_or_s_at_or_above_n_is_auth_failure),
        cmocka_unit_test(ecdsa_malformed_der_is_format_error),
        cmocka_unit_test(ecdsa_truncated_der_is_format_error),
        cmocka_unit_test(ecdsa_trailing_byte_is_format_error),
        cmocka_unit_test(ecdsa_negative_or_padded_integer_is_format_error),
        cmocka_unit_test(ecdsa_wrong_key_is_auth_failure),
        cmocka_unit_test(ecdsa_wrong_hash_is_auth_failure),
        cmocka_unit_test(ecdsa_point_not_on_curve_is_format_error),
        cmocka_unit_test(ecdsa_null_arguments_are_refused),
        cmocka_unit_test(ecdsa_verifies_microchip_metadata_signature),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
