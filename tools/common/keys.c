/* bleota host private keys: generation, PEM/DER load (PKCS#8, SEC1), PKCS#8 save, signing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_fileio.h"
#include "bo_keys.h"
#include "keys_util.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/entropy.h"
#include "mbedtls/pem.h"
#include "mbedtls/pk.h"
#include "mbedtls/platform_util.h"

typedef struct {
    mbedtls_entropy_context ent;
    mbedtls_ctr_drbg_context drbg;
} rng_t;

static int rng_open(rng_t *r, char *msg, size_t msg_size)
{
    static const char pers[] = "bleota keys";
    mbedtls_entropy_init(&r->ent);
    mbedtls_ctr_drbg_init(&r->drbg);
    if (mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->ent, (const unsigned char *)pers,
                              sizeof(pers) - 1) != 0)
        return bo_keys_fail(msg, msg_size, BO_ERR_CRYPTO, "cannot seed the random generator");
    return BO_OK;
}

static void rng_close(rng_t *r)
{
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->ent);
}

/* Fills key from a keypair on P-256 and checks that Q = d*G. */
static int key_from_keypair(bo_key_t *key, const mbedtls_ecp_keypair *kp, char *msg,
                            size_t msg_size)
{
    int err = bo_keys_export_pub(kp, key->pub, msg, msg_size);
    if (err != BO_OK)
        return err;
    if (mbedtls_ecp_check_privkey(&kp->grp, &kp->d) != 0 || mbedtls_ecp_check_pub_priv(kp, kp) != 0)
        return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT,
                            "private key is invalid or does not match its public key");
    if (mbedtls_mpi_write_binary(&kp->d, key->d, sizeof(key->d)) != 0)
        return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT, "private scalar is too large");
    return BO_OK;
}

int bo_key_generate(bo_key_t *key, char *msg, size_t msg_size)
{
    if (key == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_ARG, "no key to fill");
    rng_t rng;
    mbedtls_ecp_keypair kp;
    mbedtls_ecp_keypair_init(&kp);
    int err = rng_open(&rng, msg, msg_size);
    if (err == BO_OK) {
        if (mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, &kp, mbedtls_ctr_drbg_random, &rng.drbg))
            err = bo_keys_fail(msg, msg_size, BO_ERR_CRYPTO, "key generation failed");
        else
            err = key_from_keypair(key, &kp, msg, msg_size);
    }
    rng_close(&rng);
    mbedtls_ecp_keypair_free(&kp);
    return err;
}

static int parse_error(int ret, char *msg, size_t msg_size)
{
    switch (ret) {
    case MBEDTLS_ERR_PK_PASSWORD_REQUIRED:
    case MBEDTLS_ERR_PK_PASSWORD_MISMATCH:
        return bo_keys_fail(msg, msg_size, BO_ERR_UNSUPPORTED,
                            "private key is password-protected; export it without a password");
    case MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE:
    case MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE:
        return bo_keys_fail(msg, msg_size, BO_ERR_UNSUPPORTED,
                            "key uses an unsupported curve, bleota needs P-256 (prime256v1)");
    case MBEDTLS_ERR_PK_UNKNOWN_PK_ALG:
        return bo_keys_fail(msg, msg_size, BO_ERR_UNSUPPORTED,
                            "not an EC key, bleota needs an ECDSA P-256 key");
    default:
        return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT,
                            "not a PEM/DER private key (PKCS#8 or SEC1 EC PRIVATE KEY)");
    }
}

int bo_key_parse(bo_key_t *key, const uint8_t *buf, size_t len, char *msg, size_t msg_size)
{
    if (key == NULL || buf == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_ARG, "no key data");
    /* mbedTLS wants PEM NUL-terminated with the NUL counted; DER as is. */
    uint8_t *copy = malloc(len + 1);
    if (copy == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_NOSPACE, "out of memory");
    memcpy(copy, buf, len);
    copy[len] = 0;
    size_t plen = strstr((const char *)copy, "-----BEGIN") != NULL ? len + 1 : len;

    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int ret = mbedtls_pk_parse_key(&pk, copy, plen, NULL, 0);
    int err;
    if (ret != 0)
        err = parse_error(ret, msg, msg_size);
    else if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY)
        err = bo_keys_fail(msg, msg_size, BO_ERR_UNSUPPORTED,
                           "%s key, bleota needs an ECDSA P-256 key", mbedtls_pk_get_name(&pk));
    else
        err = key_from_keypair(key, mbedtls_pk_ec(pk), msg, msg_size);
    mbedtls_pk_free(&pk);
    mbedtls_platform_zeroize(copy, len + 1);
    free(copy);
    return err;
}

int bo_key_load(bo_key_t *key, const char *path, char *msg, size_t msg_size)
{
    if (key == NULL || path == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_ARG, "no key file given");
    uint8_t *buf;
    size_t len;
    int err = bo_keys_read_file(path, &buf, &len, msg, msg_size);
    if (err != BO_OK)
        return err;
    err = bo_key_parse(key, buf, len, msg, msg_size);
    mbedtls_platform_zeroize(buf, len);
    free(buf);
    return err;
}

/* PKCS#8 PrivateKeyInfo{0, {id-ecPublicKey, prime256v1}, OCTET STRING ECPrivateKey{1, d, [1] Q}},
 * laid out as OpenSSL writes it: 138 bytes for every P-256 key. */
static const uint8_t PKCS8_HEAD[] = {0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06,
                                     0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
                                     0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
                                     0x04, 0x6d, 0x30, 0x6b, 0x02, 0x01, 0x01, 0x04, 0x20};
static const uint8_t PKCS8_MID[] = {0xa1, 0x44, 0x03, 0x42, 0x00, 0x04};
#define PKCS8_LEN (sizeof(PKCS8_HEAD) + 32 + sizeof(PKCS8_MID) + 64)

int bo_key_to_pem(const bo_key_t *key, char *out, size_t out_size, size_t *out_len, char *msg,
                  size_t msg_size)
{
    if (key == NULL || out == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_ARG, "no key or output buffer");
    uint8_t der[PKCS8_LEN];
    memcpy(der, PKCS8_HEAD, sizeof(PKCS8_HEAD));
    memcpy(der + sizeof(PKCS8_HEAD), key->d, 32);
    memcpy(der + sizeof(PKCS8_HEAD) + 32, PKCS8_MID, sizeof(PKCS8_MID));
    memcpy(der + sizeof(PKCS8_HEAD) + 32 + sizeof(PKCS8_MID), key->pub, 64);
    size_t olen = 0;
    int ret =
        mbedtls_pem_write_buffer("-----BEGIN PRIVATE KEY-----\n", "-----END PRIVATE KEY-----\n",
                                 der, sizeof(der), (unsigned char *)out, out_size, &olen);
    mbedtls_platform_zeroize(der, sizeof(der));
    if (ret != 0)
        return bo_keys_fail(msg, msg_size, BO_ERR_NOSPACE, "PEM buffer too small (%zu bytes)",
                            out_size);
    if (out_len != NULL)
        *out_len = olen - 1; /* mbedTLS counts the NUL */
    return BO_OK;
}

int bo_key_save(const bo_key_t *key, const char *path, int replace, char *msg, size_t msg_size)
{
    if (key == NULL || path == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_ARG, "no key or path");
    char pem[BO_KEY_PEM_MAX], why[BO_ERRMSG_MAX];
    size_t len = 0;
    int err = bo_key_to_pem(key, pem, sizeof(pem), &len, msg, msg_size);
    if (err != BO_OK)
        return err;
    unsigned flags = BO_FILE_PRIVATE | (replace ? 0u : BO_FILE_NOREPLACE);
    int rc = bo_file_write_atomic(path, pem, len, flags, why);
    mbedtls_platform_zeroize(pem, sizeof(pem));
    if (rc != 0)
        return bo_keys_fail(msg, msg_size, rc == BO_FILE_EXISTS ? BO_ERR_REFUSED : BO_ERR_IO, "%s",
                            why);
    return BO_OK;
}

static int sign_with(const bo_key_t *key, const uint8_t hash[BO_SHA256_SIZE], rng_t *rng,
                     uint8_t *sig, size_t *slen)
{
    mbedtls_ecdsa_context ec;
    mbedtls_ecdsa_init(&ec);
    int ret = mbedtls_ecp_group_load(&ec.grp, MBEDTLS_ECP_DP_SECP256R1);
    if (ret == 0)
        ret = mbedtls_mpi_read_binary(&ec.d, key->d, sizeof(key->d));
    /* with MBEDTLS_ECDSA_DETERMINISTIC the nonce is RFC 6979; the RNG only blinds */
    if (ret == 0)
        ret = mbedtls_ecdsa_write_signature(&ec, MBEDTLS_MD_SHA256, hash, BO_SHA256_SIZE, sig, slen,
                                            mbedtls_ctr_drbg_random, &rng->drbg);
    mbedtls_ecdsa_free(&ec);
    return ret;
}

int bo_key_sign(const bo_key_t *key, const uint8_t hash[BO_SHA256_SIZE],
                uint8_t der[BO_P256_DER_MAX], size_t *der_len, char *msg, size_t msg_size)
{
    if (key == NULL || hash == NULL || der == NULL || der_len == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_ARG, "missing key, digest or output");
    rng_t rng;
    int err = rng_open(&rng, msg, msg_size);
    uint8_t sig[MBEDTLS_ECDSA_MAX_LEN];
    size_t slen = 0;
    if (err == BO_OK && sign_with(key, hash, &rng, sig, &slen) != 0)
        err = bo_keys_fail(msg, msg_size, BO_ERR_CRYPTO, "ECDSA signing failed");
    rng_close(&rng);
    if (err != BO_OK)
        return err;
    if (slen > BO_P256_DER_MAX)
        return bo_keys_fail(msg, msg_size, BO_ERR_CRYPTO, "signature longer than 72 bytes");
    /* A signature that does not verify must never reach an image (fault or wrong key pair). */
    if (bo_ecdsa_p256_verify(key->pub, hash, sig, slen) != BO_OK)
        return bo_keys_fail(msg, msg_size, BO_ERR_CRYPTO, "fresh signature does not verify");
    memcpy(der, sig, slen);
    *der_len = slen;
    return BO_OK;
}

void bo_key_wipe(bo_key_t *key)
{
    if (key != NULL)
        mbedtls_platform_zeroize(key, sizeof(*key));
}
