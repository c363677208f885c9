/* img: the 512-byte metadata header: parse, build, digest and signature checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/endian.h"
#include "bleota/img.h"
#include "fixture.h"

/* Microchip's published default public key (fixtures README): X||Y. */
static const uint8_t mchp_pub[64] = {
    0xc2, 0x81, 0x8f, 0xbb, 0x28, 0x61, 0x47, 0x8b, 0xa2, 0x53, 0x37, 0x79, 0xd4, 0x63, 0x18, 0x7c,
    0x8b, 0x41, 0x59, 0xa9, 0x5f, 0x0b, 0x6b, 0x94, 0x4e, 0xb9, 0x57, 0xa1, 0x03, 0xfe, 0x20, 0xbf,
    0x2b, 0xb8, 0x14, 0x2a, 0x64, 0xb5, 0xae, 0x4a, 0x83, 0x80, 0xdd, 0xe6, 0xee, 0x29, 0x89, 0xdd,
    0xa0, 0x9a, 0xc7, 0xda, 0x82, 0xeb, 0x56, 0x62, 0x90, 0x5d, 0x66, 0xc5, 0xbc, 0x30, 0x3c, 0x84};
static const uint8_t mchp_aes_key[16] = {0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11,
                                         0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
#define ALL_METHODS                                                                                \
    (BO_AUTH_MASK(BO_AUTH_NONE) | BO_AUTH_MASK(BO_AUTH_SHA256) | BO_AUTH_MASK(BO_AUTH_ECDSA))

/* Both signatures of a plain signed image (metadata + firmware), checked as a bootloader would. */
static void check_both_sigs(const uint8_t *img, size_t len, const bo_md_t *md)
{
    uint8_t d[BO_SHA256_SIZE];
    assert_true(len >= BO_MD_SIZE + md->fw_len);
    bo_sha256(img + BO_MD_SIZE, md->fw_len, d);
    assert_int_equal(
        bo_img_check_sig(md->fw_auth, md->fw_sig, md->fw_sig_len, d, mchp_pub, ALL_METHODS), BO_OK);
    d[0] ^= 1;
    assert_int_equal(
        bo_img_check_sig(md->fw_auth, md->fw_sig, md->fw_sig_len, d, mchp_pub, ALL_METHODS),
        BO_ERR_AUTH);
    bo_md_digest(img, d);
    assert_int_equal(
        bo_img_check_sig(md->md_auth, md->md_sig, md->md_sig_len, d, mchp_pub, ALL_METHODS), BO_OK);
}

static void img_md_of_uart_fixture_parses_to_readme_facts(void **state)
{
    size_t len = 0;
    uint8_t *f = fixture_load(FIX_UART, &len);
    if (f == NULL) {
        fail_msg("fixture missing");
        return;
    }
    assert_int_equal(len, 306688);
    bo_md_t md;
    assert_int_equal(bo_md_parse(f, &md), BO_OK);
    assert_memory_equal(md.manu_id, "MCHP", 4);
    assert_int_equal(md.seq_num, 1);
    assert_int_equal(md.md_auth, BO_AUTH_ECDSA);
    assert_int_equal(md.fw_auth, BO_AUTH_ECDSA);
    assert_int_equal(md.fw_rev, 0x01000000u);
    assert_int_equal(md.fw_len, 306176);
    assert_int_equal(md.fw_sig_len, 71);
    assert_int_equal(md.md_sig_len, 71);
    assert_int_equal(len, BO_MD_SIZE + md.fw_len);
    check_both_sigs(f, len, &md);
    free(f);
}

static void img_md_of_decrypted_ota_fixture_verifies(void **state)
{
    size_t len = 0;
    uint8_t *f = fixture_load(FIX_OTA, &len);
    if (f == NULL) {
        fail_msg("fixture missing");
        return;
    }
    uint8_t *p = f + BO_OTA_HDR_SIZE;
    size_t plen = len - BO_OTA_HDR_SIZE;
    assert_int_equal(plen, 172080);
    bo_aes_cbc_t aes;
    const uint8_t iv[16] = {0};
    assert_int_equal(bo_aes_cbc_init(&aes, mchp_aes_key, iv, 1), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&aes, p, p, plen), BO_OK);
    bo_aes_cbc_free(&aes);
    bo_md_t md;
    assert_int_equal(bo_md_parse(p, &md), BO_OK);
    assert_int_equal(md.seq_num, 1);
    assert_int_equal(md.fw_len, 171552);
    assert_int_equal(md.fw_sig_len, 71);
    assert_int_equal(md.md_sig_len, 70);
    for (size_t i = plen - 16; i < plen; i++) {
        assert_int_equal(p[i], 0x10); /* the PKCS#7 block */
    }
    check_both_sigs(p, plen - 16, &md);
    free(f);
}

static void img_md_build_reproduces_fixture_header(void **state)
{
    size_t len = 0;
    uint8_t *f = fixture_load(FIX_UART, &len);
    if (f == NULL) {
        fail_msg("fixture missing");
        return;
    }
    bo_md_t md;
    assert_int_equal(bo_md_parse(f, &md), BO_OK);
    uint8_t out[BO_MD_SIZE];
    bo_md_build(&md, out);
    assert_memory_equal(out, f, BO_MD_SIZE);
    free(f);
}

static void img_md_unsigned_fields_do_not_matter(void **state)
{
    size_t len = 0;
    uint8_t *f = fixture_load(FIX_UART, &len);
    if (f == NULL) {
        fail_msg("fixture missing");
        return;
    }
    bo_md_t md;
    uint8_t d0[BO_SHA256_SIZE], d1[BO_SHA256_SIZE];
    bo_md_digest(f, d0);
    memcpy(&f[BO_MD_OFF_MANU], "ABCD", 4);
    bo_put_le32(&f[BO_MD_OFF_SEQ], 0xFFFFFFFEu);
    assert_int_equal(bo_md_parse(f, &md), BO_OK);
    assert_int_equal(md.seq_num, 0xFFFFFFFEu);
    /* MD_SIG_SZ and MD_SIG are zeroed for the digest, bytes before 0x14 are not covered. */
    f[BO_MD_OFF_MD_SIG + 71] = 0x5A;
    bo_md_digest(f, d1);
    assert_memory_equal(d0, d1, sizeof d0);
    f[0x1B6] ^= 1; /* last reserved byte is covered */
    bo_md_digest(f, d1);
    assert_memory_not_equal(d0, d1, sizeof d0);
    free(f);
}

static void img_md_each_structural_violation_is_refused(void **state)
{
    static const struct {
        unsigned off;
        uint8_t val;
    } bad[] = {
        {0x00, 1},     {0x03, 0x80},  {0x04, 1},    {0x07, 0xFF},
        {0x0C, 1},     {0x0F, 0x10},                           /* fillers */
        {0x14, 0x01},  {0x14, 0x03},                           /* MD_REV */
        {0x15, 0x00},  {0x15, 0x02},                           /* CONT_IDX */
        {0x16, 0x03},  {0x16, 0xFF},                           /* MD_AUTH_MTHD */
        {0x17, 0x01},  {0x18, 0x01},  {0x19, 0x02},            /* keys, decryption */
        {0x1A, 0x54},  {0x1A, 0x56},  {0x1B, 0x01},            /* PL_LEN */
        {0x24, 0x03},                                          /* FW_IMG_AUTH_MTHD */
        {0x28, 70},    {0x28, 73},    {0x28, 7},    {0x28, 0}, /* FW sig size vs DER length */
        {0x29, 0x31},                                          /* FW sig not a SEQUENCE */
        {0x2A, 0x46},                                          /* FW DER length byte */
        {0x1B7, 72},   {0x1B7, 0xFF},                          /* MD sig size */
        {0x1B8, 0x02}, {0x1B9, 0x44},                          /* MD DER */
        {0x20, 0x08},                                          /* FW_IMG_LEN not a multiple of 16 */
    };
    size_t len = 0;
    uint8_t *f = fixture_load(FIX_UART, &len);
    if (f == NULL) {
        fail_msg("fixture missing");
        return;
    }
    bo_md_t md;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t raw[BO_MD_SIZE];
        memcpy(raw, f, sizeof raw);
        raw[bad[i].off] = bad[i].val;
        md.seq_num = 0xA5A5A5A5u;
        int rc = bo_md_parse(raw, &md);
        if (rc != BO_ERR_FORMAT) {
            fail_msg("offset 0x%03x = 0x%02x accepted (%d)", bad[i].off, bad[i].val, rc);
        }
        assert_int_equal(md.seq_num, 0xA5A5A5A5u);
    }
    static const struct {
        unsigned off;
        uint32_t val;
    } bad32[] = {
        {BO_MD_OFF_SEQ, 0u},
        {BO_MD_OFF_SEQ, 0xFFFFFFFFu},
        {BO_MD_OFF_FW_LEN, 0u},
        {BO_MD_OFF_FW_LEN, 17u},
        {BO_MD_OFF_FW_LEN, BO_IMG_FW_MAX + 16u},
        {BO_MD_OFF_FW_LEN, 0xFFFFFFF0u},
    };
    for (size_t i = 0; i < sizeof bad32 / sizeof bad32[0]; i++) {
        uint8_t raw[BO_MD_SIZE];
        memcpy(raw, f, sizeof raw);
        bo_put_le32(&raw[bad32[i].off], bad32[i].val);
        assert_int_equal(bo_md_parse(raw, &md), BO_ERR_FORMAT);
    }
    uint8_t raw[BO_MD_SIZE];
    memcpy(raw, f, sizeof raw);
    bo_put_le32(&raw[BO_MD_OFF_FW_LEN], BO_IMG_FW_MAX);
    assert_int_equal(bo_md_parse(raw, &md), BO_OK);
    assert_int_equal(bo_md_parse(NULL, &md), BO_ERR_ARG);
    assert_int_equal(bo_md_parse(raw, NULL), BO_ERR_ARG);
    free(f);
}

static void img_md_sha256_and_none_methods(void **state)
{
    uint8_t fw[64];
    memset(fw, 0x42, sizeof fw);
    bo_md_t md;
    memset(&md, 0, sizeof md);
    memcpy(md.manu_id, "MCHP", 4);
    md.seq_num = 7;
    md.fw_rev = 0x02000001u;
    md.fw_len = sizeof fw;
    md.fw_auth = BO_AUTH_SHA256;
    md.md_auth = BO_AUTH_SHA256;
    md.fw_sig_len = BO_SHA256_SIZE;
    bo_sha256(fw, sizeof fw, md.fw_sig);
    md.md_sig_len = BO_SHA256_SIZE;
    uint8_t hdr[BO_MD_SIZE], d[BO_SHA256_SIZE];
    bo_md_build(&md, hdr);
    bo_md_digest(hdr, d);
    memcpy(md.md_sig, d, sizeof d);
    bo_md_build(&md, hdr);
    bo_md_t back;
    assert_int_equal(bo_md_parse(hdr, &back), BO_OK);
    assert_int_equal(back.seq_num, 7);
    assert_int_equal(back.fw_rev, 0x02000001u);
    assert_int_equal(back.fw_len, sizeof fw);
    assert_int_equal(back.md_auth, BO_AUTH_SHA256);
    assert_int_equal(back.fw_sig_len, BO_SHA256_SIZE);
    assert_memory_equal(back.fw_sig, md.fw_sig, BO_MD_SIG_MAX);
    assert_memory_equal(back.md_sig, md.md_sig, BO_MD_SIG_MAX);
    bo_md_digest(hdr, d);
    assert_int_equal(
        bo_img_check_sig(back.md_auth, back.md_sig, back.md_sig_len, d, NULL, ALL_METHODS), BO_OK);
    bo_sha256(fw, sizeof fw, d);
    assert_int_equal(
        bo_img_check_sig(back.fw_auth, back.fw_sig, back.fw_sig_len, d, NULL, ALL_METHODS), BO_OK);
    d[31] ^= 0x80;
    assert_int_equal(
        bo_img_check_sig(back.fw_auth, back.fw_sig, back.fw_sig_len, d, NULL, ALL_METHODS),
        BO_ERR_AUTH);
    /* A method the configuration does not allow is unsupported, whatever the signature. */
    assert_int_equal(
        bo_img_check_sig(BO_AUTH_SHA256, back.fw_sig, 32, d, NULL, BO_AUTH_MASK(BO_AUTH_ECDSA)),
        BO_ERR_UNSUPPORTED);
    assert_int_equal(bo_img_check_sig(BO_AUTH_NONE, NULL, 0, d, NULL, ALL_METHODS), BO_OK);
    assert_int_equal(bo_img_check_sig(BO_AUTH_NONE, NULL, 0, d, NULL, BO_AUTH_MASK(BO_AUTH_ECDSA)),
                     BO_ERR_UNSUPPORTED);
    assert_int_equal(bo_img_check_sig(3, back.fw_sig, 32, d, NULL, 0xFFFFFFFFu), BO_ERR_FORMAT);
    assert_int_equal(bo_img_check_sig(BO_AUTH_SHA256, back.fw_sig, 31, d, NULL, ALL_METHODS),
                     BO_ERR_FORMAT);
}

static void img_sig_der_size_rules(void **state)
{
    uint8_t der[BO_MD_SIG_MAX];
    memset(der, 0, sizeof der);
    der[0] = 0x30;
    for (unsigned n = 0; n <= 255; n++) {
        der[1] = (uint8_t)(n >= 2 ? n - 2 : 0);
        int expect = (n >= 8 && n <= 72) ? BO_OK : BO_ERR_FORMAT;
        assert_int_equal(bo_img_sig_size_ok(BO_AUTH_ECDSA, n <= 72 ? der : der, (uint8_t)n),
                         expect);
        assert_int_equal(bo_img_sig_size_ok(BO_AUTH_SHA256, der, (uint8_t)n),
                         n == 32 ? BO_OK : BO_ERR_FORMAT);
        assert_int_equal(bo_img_sig_size_ok(BO_AUTH_NONE, der, (uint8_t)n),
                         n <= 72 ? BO_OK : BO_ERR_FORMAT);
    }
    der[1] = 0x45;
    assert_int_equal(bo_img_sig_size_ok(BO_AUTH_ECDSA, der, 71), BO_OK);
    assert_int_equal(bo_img_sig_size_ok(BO_AUTH_ECDSA, der, 70), BO_ERR_FORMAT);
    der[0] = 0x31;
    assert_int_equal(bo_img_sig_size_ok(BO_AUTH_ECDSA, der, 71), BO_ERR_FORMAT);
    assert_int_equal(bo_img_sig_size_ok(BO_AUTH_ECDSA, NULL, 71), BO_ERR_FORMAT);
    assert_int_equal(bo_img_sig_size_ok(3, der, 32), BO_ERR_FORMAT);
}

static void img_ecdsa_check_needs_a_key_and_rejects_others(void **state)
{
    size_t len = 0;
    uint8_t *f = fixture_load(FIX_UART, &len);
    if (f == NULL) {
        fail_msg("fixture missing");
        return;
    }
    bo_md_t md;
    assert_int_equal(bo_md_parse(f, &md), BO_OK);
    uint8_t d[BO_SHA256_SIZE];
    bo_md_digest(f, d);
    assert_int_equal(bo_img_check_sig(md.md_auth, md.md_sig, md.md_sig_len, d, NULL, ALL_METHODS),
                     BO_ERR_ARG);
    uint8_t other[64];
    memcpy(other, mchp_pub, sizeof other);
    other[63] ^= 1; /* no longer on the curve */
    assert_int_not_equal(
        bo_img_check_sig(md.md_auth, md.md_sig, md.md_sig_len, d, other, ALL_METHODS), BO_OK);
    /* The firmware signature over the metadata digest must fail. */
    assert_int_equal(
        bo_img_check_sig(md.fw_auth, md.fw_sig, md.fw_sig_len, d, mchp_pub, ALL_METHODS),
        BO_ERR_AUTH);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(img_md_of_uart_fixture_parses_to_readme_facts),
        cmocka_unit_test(img_md_of_decrypted_ota_fixture_verifies),
        cmocka_unit_test(img_md_build_reproduces_fixture_header),
        cmocka_unit_test(img_md_unsigned_fields_do_not_matter),
        cmocka_unit_test(img_md_each_structural_violation_is_refused),
        cmocka_unit_test(img_md_sha256_and_none_methods),
        cmocka_unit_test(img_sig_der_size_rules),
        cmocka_unit_test(img_ecdsa_check_needs_a_key_and_rejects_others),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
