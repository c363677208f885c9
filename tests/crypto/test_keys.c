/* Host key handling (tools/common): generation, PKCS#8/SEC1 load, PKCS#8 save, signing, public
 * key formats. OpenSSL makes the foreign keys at test time and checks our outputs. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, access */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bo_keys.h"
#include "test_util.h"

#define FIXTURE_KEY BO_FIXTURES "/mchp_default_dev_key.pem"
static const char MCHP_PUB_HEX[] =
    "c2818fbb2861478ba2533779d463187c8b4159a95f0b6b944eb957a103fe20bf"
    "2bb8142a64b5ae4a8380dde6ee2989dda09ac7da82eb5662905d66c5bc303c84";

static char tmpdir[64];

static int setup(void **state)
{
    strcpy(tmpdir, "/tmp/bo_keys_XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp(const char *name)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 256, "%s/%s", tmpdir, name);
    return p;
}

/* Runs a shell command (OpenSSL), output silenced; asserts it succeeded. */
static void sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
    assert_int_equal(system(cmd), 0);
}

static void expect_mchp_pub(const uint8_t pub[64])
{
    uint8_t want[64];
    assert_int_equal(tu_hex(MCHP_PUB_HEX, want, 64), 64);
    assert_memory_equal(pub, want, 64);
}

static void keys_generate_save_load_round_trip(void **state)
{
    bo_key_t a, b;
    char msg[BO_KEYS_MSG_MAX];
    assert_int_equal(bo_key_generate(&a, msg, sizeof(msg)), BO_OK);
    const char *path = tmp("gen.pem");
    assert_int_equal(bo_key_save(&a, path, 0, msg, sizeof(msg)), BO_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(bo_key_load(&b, path, msg, sizeof(msg)), BO_OK);
    assert_memory_equal(a.d, b.d, 32);
    assert_memory_equal(a.pub, b.pub, 64);
    /* OpenSSL reads what we wrote as the same key */
    sh("openssl pkey -in '%s' -pubout -out '%s'", path, tmp("gen.pub"));
    uint8_t pub[64];
    assert_int_equal(bo_pubkey_load(pub, tmp("gen.pub"), msg, sizeof(msg)), BO_OK);
    assert_memory_equal(pub, a.pub, 64);
    /* two keys in a row differ */
    assert_int_equal(bo_key_generate(&b, msg, sizeof(msg)), BO_OK);
    assert_memory_not_equal(a.d, b.d, 32);
}

static void keys_mchp_fixture_derives_readme_public_key(void **state)
{
    bo_key_t k;
    char msg[BO_KEYS_MSG_MAX];
    assert_int_equal(bo_key_load(&k, FIXTURE_KEY, msg, sizeof(msg)), BO_OK);
    expect_mchp_pub(k.pub);
    /* and our PKCS#8 writer reproduces Microchip's file byte for byte */
    char pem[BO_KEY_PEM_MAX];
    size_t len = 0;
    assert_int_equal(bo_key_to_pem(&k, pem, sizeof(pem), &len, msg, sizeof(msg)), BO_OK);
    size_t flen = 0;
    uint8_t *file = tu_read_file(FIXTURE_KEY, &flen);
    assert_non_null(file);
    assert_int_equal(len, flen);
    assert_memory_equal(pem, file, flen);
    free(file);
}

static void keys_sec1_pem_loads(void **state)
{
    bo_key_t k;
    char msg[BO_KEYS_MSG_MAX];
    sh("openssl ec -in '%s' -out '%s'", FIXTURE_KEY, tmp("sec1.pem"));
    size_t len = 0;
    uint8_t *txt = tu_read_file(tmp("sec1.pem"), &len);
    assert_non_null(txt);
    txt[len] = 0;
    assert_non_null(strstr((char *)txt, "BEGIN EC PRIVATE KEY"));
    free(txt);
    assert_int_equal(bo_key_load(&k, tmp("sec1.pem"), msg, sizeof(msg)), BO_OK);
    expect_mchp_pub(k.pub);
    /* SEC1 without the public key ("-noout" style, no [1] field) still yields d*G */
    sh("openssl ec -in '%s' -no_public -out '%s'", FIXTURE_KEY, tmp("sec1np.pem"));
    assert_int_equal(bo_key_load(&k, tmp("sec1np.pem"), msg, sizeof(msg)), BO_OK);
    expect_mchp_pub(k.pub);
}

static void keys_openssl_generated_key_loads_and_signs(void **state)
{
    bo_key_t k;
    char msg[BO_KEYS_MSG_MAX];
    sh("openssl ecparam -genkey -name prime256v1 -noout -out '%s'", tmp("oss.pem"));
    assert_int_equal(bo_key_load(&k, tmp("oss.pem"), msg, sizeof(msg)), BO_OK);
    uint8_t hash[32], der[BO_P256_DER_MAX];
    size_t der_len = 0;
    bo_sha256("x", 1, hash);
    assert_int_equal(bo_key_sign(&k, hash, der, &der_len, msg, sizeof(msg)), BO_OK);
    assert_int_equal(bo_ecdsa_p256_verify(k.pub, hash, der, der_len), BO_OK);
}

static void keys_non_p256_key_is_refused_with_message(void **state)
{
    bo_key_t k;
    char msg[BO_KEYS_MSG_MAX] = "";
    sh("openssl ecparam -genkey -name secp384r1 -noout -out '%s'", tmp("p384.pem"));
    assert_int_equal(bo_key_load(&k, tmp("p384.pem"), msg, sizeof(msg)), BO_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "secp384r1"));
    assert_non_null(strstr(msg, "P-256"));
    /* the same key as PKCS#8 */
    sh("openssl pkey -in '%s' -out '%s'", tmp("p384.pem"), tmp("p384p8.pem"));
    msg[0] = 0;
    assert_int_equal(bo_key_load(&k, tmp("p384p8.pem"), msg, sizeof(msg)), BO_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "secp384r1"));
    /* not an EC key at all */
    sh("openssl genpkey -algorithm ed25519 -out '%s'", tmp("ed.pem"));
    msg[0] = 0;
    assert_int_equal(bo_key_load(&k, tmp("ed.pem"), msg, sizeof(msg)), BO_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "P-256"));
    /* a public key on another curve */
    sh("openssl pkey -in '%s' -pubout -out '%s'", tmp("p384.pem"), tmp("p384.pub"));
    uint8_t pub[64];
    msg[0] = 0;
    assert_int_equal(bo_pubkey_load(pub, tmp("p384.pub"), msg, sizeof(msg)), BO_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "P-256"));
}

static void keys_encrypted_or_corrupt_key_is_refused(void **state)
{
    bo_key_t k;
    char msg[BO_KEYS_MSG_MAX] = "";
    sh("openssl pkey -in '%s' -aes128 -passout pass:secret -out '%s'", FIXTURE_KEY, tmp("enc.pem"));
    assert_int_equal(bo_key_load(&k, tmp("enc.pem"), msg, sizeof(msg)), BO_ERR_UNSUPPORTED);
    assert_non_null(strstr(msg, "password"));

    static const char junk[] =
        "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n";
    msg[0] = 0;
    assert_int_equal(bo_key_parse(&k, (const uint8_t *)junk, strlen(junk), msg, sizeof(msg)),
                     BO_ERR_FORMAT);
    assert_true(strlen(msg) > 0);

    msg[0] = 0;
    assert_int_equal(bo_key_load(&k, tmp("missing.pem"), msg, sizeof(msg)), BO_ERR_IO);
    assert_non_null(strstr(msg, "cannot open"));
}

static void keys_save_failure_leaves_no_file(void **state)
{
    bo_key_t k;
    char msg[BO_KEYS_MSG_MAX] = "";
    assert_int_equal(bo_key_load(&k, FIXTURE_KEY, msg, sizeof(msg)), BO_OK);
    assert_int_equal(bo_key_save(&k, tmp("nodir/key.pem"), 0, msg, sizeof(msg)), BO_ERR_IO);
    assert_non_null(strstr(msg, "cannot create"));
    assert_int_not_equal(access(tmp("nodir"), F_OK), 0);
}

/* A key file is never replaced unless asked: the old key may be the only one devices trust. */
static void keys_save_refuses_an_existing_file_unless_replace(void **state)
{
    bo_key_t a, b, c;
    char msg[BO_KEYS_MSG_MAX] = "";
    assert_int_equal(bo_key_generate(&a, msg, sizeof(msg)), BO_OK);
    assert_int_equal(bo_key_generate(&b, msg, sizeof(msg)), BO_OK);
    assert_int_equal(bo_key_save(&a, tmp("keep.pem"), 0, msg, sizeof(msg)), BO_OK);
    assert_int_equal(bo_key_save(&b, tmp("keep.pem"), 0, msg, sizeof(msg)), BO_ERR_REFUSED);
    assert_string_equal(msg, "already exists");
    assert_int_equal(bo_key_load(&c, tmp("keep.pem"), msg, sizeof(msg)), BO_OK);
    assert_memory_equal(c.d, a.d, 32);
    assert_int_equal(bo_key_save(&b, tmp("keep.pem"), 1, msg, sizeof(msg)), BO_OK);
    assert_int_equal(bo_key_load(&c, tmp("keep.pem"), msg, sizeof(msg)), BO_OK);
    assert_memory_equal(c.d, b.d, 32);
}

static void keys_sign_verifies_with_openssl_and_is_deterministic(void **state)
{
    bo_key_t k;
    char msg[BO_KEYS_MSG_MAX];
    assert_int_equal(bo_key_load(&k, FIXTURE_KEY, msg, sizeof(msg)), BO_OK);
    static const char text[] = "signed by bleota";
    uint8_t hash[32], der[BO_P256_DER_MAX], der2[BO_P256_DER_MAX];
    size_t len = 0, len2 = 0;
    bo_sha256(text, strlen(text), hash);
    assert_int_equal(bo_key_sign(&k, hash, der, &len, msg, sizeof(msg)), BO_OK);
    assert_true(len >= 8 && len <= 72);
    assert_int_equal(bo_ecdsa_p256_verify(k.pub, hash, der, len), BO_OK);
    assert_int_equal(bo_key_sign(&k, hash, der2, &len2, msg, sizeof(msg)), BO_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(der, der2, len); /* RFC 6979 in Debian's mbedTLS */

    FILE *f = fopen(tmp("msg.bin"), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
    f = fopen(tmp("msg.sig"), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(der, 1, len, f), len);
    fclose(f);
    char pem[BO_PUB_PEM_MAX];
    size_t plen = 0;
    assert_int_equal(bo_pubkey_to_pem(k.pub, pem, sizeof(pem), &plen), BO_OK);
    f = fopen(tmp("pub.pem"), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pem, 1, plen, f), plen);
    fclose(f);
    sh("openssl dgst -sha256 -verify '%s' -signature '%s' '%s'", tmp("pub.pem"), tmp("msg.sig"),
       tmp("msg.bin"));
}

static void pubkey_loads_from_spki_private_pem_and_hex(void **state)
{
    uint8_t pub[64];
    char msg[BO_KEYS_MSG_MAX];
    sh("openssl pkey -in '%s' -pubout -out '%s'", FIXTURE_KEY, tmp("mchp.pub"));
    memset(pub, 0, 64);
    assert_int_equal(bo_pubkey_load(pub, tmp("mchp.pub"), msg, sizeof(msg)), BO_OK);
    expect_mchp_pub(pub);
    memset(pub, 0, 64);
    assert_int_equal(bo_pubkey_load(pub, FIXTURE_KEY, msg, sizeof(msg)), BO_OK);
    expect_mchp_pub(pub);
    memset(pub, 0, 64);
    assert_int_equal(bo_pubkey_load(pub, MCHP_PUB_HEX, msg, sizeof(msg)), BO_OK);
    expect_mchp_pub(pub);
    /* a hex file with a newline, and upper case with the 04 prefix */
    char text[200];
    snprintf(text, sizeof(text), "04%s\n", MCHP_PUB_HEX);
    for (char *c = text; *c; c++)
        *c = (char)(*c >= 'a' && *c <= 'f' ? *c - 32 : *c);
    memset(pub, 0, 64);
    assert_int_equal(bo_pubkey_parse(pub, (const uint8_t *)text, strlen(text), msg, sizeof(msg)),
                     BO_OK);
    expect_mchp_pub(pub);
}

static void pubkey_bad_hex_is_refused_with_message(void **state)
{
    uint8_t pub[64];
    char msg[BO_KEYS_MSG_MAX] = "";
    char text[200];
    snprintf(text, sizeof(text), "%.127s", MCHP_PUB_HEX);
    assert_int_equal(bo_pubkey_parse(pub, (const uint8_t *)text, strlen(text), msg, sizeof(msg)),
                     BO_ERR_FORMAT);
    assert_non_null(strstr(msg, "127 hex digits"));
    snprintf(text, sizeof(text), "%s", MCHP_PUB_HEX);
    text[10] = 'g';
    msg[0] = 0;
    assert_int_equal(bo_pubkey_parse(pub, (const uint8_t *)text, strlen(text), msg, sizeof(msg)),
                     BO_ERR_FORMAT);
    assert_non_null(strstr(msg, "'g'"));
    snprintf(text, sizeof(text), "%s", MCHP_PUB_HEX);
    text[127] = text[127] == '0' ? '1' : '0'; /* Y off the curve */
    msg[0] = 0;
    assert_int_equal(bo_pubkey_parse(pub, (const uint8_t *)text, strlen(text), msg, sizeof(msg)),
                     BO_ERR_FORMAT);
    assert_non_null(strstr(msg, "not a point"));
    snprintf(text, sizeof(text), "%s00", MCHP_PUB_HEX);
    assert_int_equal(bo_pubkey_parse(pub, (const uint8_t *)text, strlen(text), msg, sizeof(msg)),
                     BO_ERR_FORMAT);
    /* a short hex argument that is no file either reads as bad hex, not as a missing file */
    msg[0] = 0;
    assert_int_equal(bo_pubkey_load(pub, "c2818fbb", msg, sizeof(msg)), BO_ERR_FORMAT);
    assert_non_null(strstr(msg, "8 hex digits"));
}

static void pubkey_exports_hex_pem_and_c(void **state)
{
    uint8_t pub[64];
    assert_int_equal(tu_hex(MCHP_PUB_HEX, pub, 64), 64);
    char hex[BO_PUB_HEX_SIZE];
    assert_int_equal(bo_pubkey_to_hex(pub, hex, sizeof(hex)), BO_OK);
    assert_string_equal(hex, MCHP_PUB_HEX);
    assert_int_equal(bo_pubkey_to_hex(pub, hex, 128), BO_ERR_NOSPACE);

    /* PEM equals OpenSSL's own -pubout of the same key */
    char pem[BO_PUB_PEM_MAX];
    size_t plen = 0;
    assert_int_equal(bo_pubkey_to_pem(pub, pem, sizeof(pem), &plen), BO_OK);
    assert_int_equal(plen, strlen(pem));
    sh("openssl pkey -in '%s' -pubout -out '%s'", FIXTURE_KEY, tmp("ref.pub"));
    size_t rlen = 0;
    uint8_t *ref = tu_read_file(tmp("ref.pub"), &rlen);
    assert_non_null(ref);
    assert_int_equal(plen, rlen);
    assert_memory_equal(pem, ref, rlen);
    free(ref);
    assert_int_equal(bo_pubkey_to_pem(pub, pem, 100, &plen), BO_ERR_NOSPACE);

    char c[1024];
    size_t clen = 0;
    assert_int_equal(bo_pubkey_to_c(pub, "bo_pubkey", c, sizeof(c), &clen), BO_OK);
    assert_int_equal(clen, strlen(c));
    assert_non_null(strstr(c, "const uint8_t bo_pubkey[64] = {\n    0xc2, 0x81, 0x8f,"));
    assert_non_null(strstr(c, "0x3c, 0x84,\n};\n"));
    assert_int_equal(bo_pubkey_to_c(pub, "9bad", c, sizeof(c), &clen), BO_ERR_ARG);
    assert_int_equal(bo_pubkey_to_c(pub, "bo_pubkey", c, 100, &clen), BO_ERR_NOSPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_generate_save_load_round_trip),
        cmocka_unit_test(keys_mchp_fixture_derives_readme_public_key),
        cmocka_unit_test(keys_sec1_pem_loads),
        cmocka_unit_test(keys_openssl_generated_key_loads_and_signs),
        cmocka_unit_test(keys_non_p256_key_is_refused_with_message),
        cmocka_unit_test(keys_encrypted_or_corrupt_key_is_refused),
        cmocka_unit_test(keys_save_failure_leaves_no_file),
        cmocka_unit_test(keys_save_refuses_an_existing_file_unless_replace),
        cmocka_unit_test(keys_sign_verifies_with_openssl_and_is_deterministic),
        cmocka_unit_test(pubkey_loads_from_spki_private_pem_and_hex),
        cmocka_unit_test(pubkey_bad_hex_is_refused_with_message),
        cmocka_unit_test(pubkey_exports_hex_pem_and_c),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
