/* bleota host public keys: load from SPKI PEM, private key PEM or hex; export as hex/PEM/C. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_keys.h"
#include "keys_util.h"
#include "mbedtls/pem.h"
#include "mbedtls/pk.h"

/* Refuses an X||Y that is not a point of P-256, naming the problem. */
static int check_point(const uint8_t pub[BO_P256_PUB_SIZE], char *msg, size_t msg_size)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    uint8_t pt[1 + BO_P256_PUB_SIZE] = {0x04};
    memcpy(pt + 1, pub, BO_P256_PUB_SIZE);
    int ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
    if (ret == 0)
        ret = mbedtls_ecp_point_read_binary(&grp, &q, pt, sizeof(pt));
    if (ret == 0)
        ret = mbedtls_ecp_check_pubkey(&grp, &q);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    if (ret != 0)
        return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT, "public key is not a point on P-256");
    return BO_OK;
}

static int hex_nibble(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 128 hex digits (or 130 starting "04"), whitespace anywhere, nothing else. */
static int parse_hex(uint8_t pub[BO_P256_PUB_SIZE], const uint8_t *buf, size_t len, char *msg,
                     size_t msg_size)
{
    uint8_t raw[1 + BO_P256_PUB_SIZE];
    size_t digits = 0;
    for (size_t i = 0; i < len; i++) {
        if (isspace(buf[i]))
            continue;
        int v = hex_nibble(buf[i]);
        if (v < 0)
            return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT,
                                "public key: '%c' is not a hex digit (want 128 hex digits X||Y "
                                "or a PEM file)",
                                isprint(buf[i]) ? buf[i] : '?');
        if (digits >= 2 * sizeof(raw))
            return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT,
                                "public key: too many hex digits (want 128, X||Y)");
        if (digits % 2 == 0)
            raw[digits / 2] = (uint8_t)(v << 4);
        else
            raw[digits / 2] |= (uint8_t)v;
        digits++;
    }
    if (digits == 2 * BO_P256_PUB_SIZE) {
        memcpy(pub, raw, BO_P256_PUB_SIZE);
    } else if (digits == 2 * sizeof(raw) && raw[0] == 0x04) {
        memcpy(pub, raw + 1, BO_P256_PUB_SIZE);
    } else {
        return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT,
                            "public key: %zu hex digits, want 128 (X||Y)", digits);
    }
    return check_point(pub, msg, msg_size);
}

static int parse_spki(uint8_t pub[BO_P256_PUB_SIZE], const uint8_t *buf, size_t len, char *msg,
                      size_t msg_size)
{
    uint8_t *copy = malloc(len + 1); /* mbedTLS wants PEM NUL-terminated, NUL counted */
    if (copy == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_NOSPACE, "out of memory");
    memcpy(copy, buf, len);
    copy[len] = 0;
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int ret = mbedtls_pk_parse_public_key(&pk, copy, len + 1);
    int err;
    if (ret == MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE || ret == MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE)
        err = bo_keys_fail(msg, msg_size, BO_ERR_UNSUPPORTED,
                           "public key uses an unsupported curve, bleota needs P-256");
    else if (ret != 0)
        err = bo_keys_fail(msg, msg_size, BO_ERR_FORMAT, "corrupt PUBLIC KEY PEM");
    else if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY)
        err = bo_keys_fail(msg, msg_size, BO_ERR_UNSUPPORTED,
                           "%s public key, bleota needs an ECDSA P-256 key",
                           mbedtls_pk_get_name(&pk));
    else
        err = bo_keys_export_pub(mbedtls_pk_ec(pk), pub, msg, msg_size);
    mbedtls_pk_free(&pk);
    free(copy);
    return err;
}

int bo_pubkey_parse(uint8_t pub[BO_P256_PUB_SIZE], const uint8_t *buf, size_t len, char *msg,
                    size_t msg_size)
{
    if (pub == NULL || buf == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_ARG, "no public key data");
    /* bounded search: buf need not be NUL-terminated */
    int pem_pub = 0, pem_priv = 0;
    for (size_t i = 0; i + 11 <= len; i++) {
        if (memcmp(buf + i, "-----BEGIN ", 11) != 0)
            continue;
        size_t rest = len - i - 11;
        pem_pub = rest >= 16 && memcmp(buf + i + 11, "PUBLIC KEY-----", 15) == 0;
        pem_priv = !pem_pub;
        break;
    }
    if (pem_pub)
        return parse_spki(pub, buf, len, msg, msg_size);
    if (pem_priv) {
        bo_key_t key;
        int err = bo_key_parse(&key, buf, len, msg, msg_size);
        if (err == BO_OK)
            memcpy(pub, key.pub, BO_P256_PUB_SIZE);
        bo_key_wipe(&key);
        return err;
    }
    return parse_hex(pub, buf, len, msg, msg_size);
}

static int all_hex(const char *arg)
{
    for (; *arg; arg++)
        if (hex_nibble((unsigned char)*arg) < 0)
            return 0;
    return 1;
}

int bo_pubkey_load(uint8_t pub[BO_P256_PUB_SIZE], const char *arg, char *msg, size_t msg_size)
{
    if (pub == NULL || arg == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_ARG, "no public key given");
    size_t n = strlen(arg);
    if ((n == 128 || n == 130) && all_hex(arg))
        return bo_pubkey_parse(pub, (const uint8_t *)arg, n, msg, msg_size);
    uint8_t *buf;
    size_t len;
    int err = bo_keys_read_file(arg, &buf, &len, msg, msg_size);
    if (err == BO_ERR_IO && n > 0 && all_hex(arg)) /* meant as hex, most likely */
        return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT,
                            "%zu hex digits, want 128 (X||Y); no such key file either", n);
    if (err != BO_OK)
        return err;
    err = bo_pubkey_parse(pub, buf, len, msg, msg_size);
    free(buf);
    return err;
}

int bo_pubkey_to_hex(const uint8_t pub[BO_P256_PUB_SIZE], char *out, size_t out_size)
{
    static const char digits[] = "0123456789abcdef";
    if (pub == NULL || out == NULL)
        return BO_ERR_ARG;
    if (out_size < BO_PUB_HEX_SIZE)
        return BO_ERR_NOSPACE;
    for (size_t i = 0; i < BO_P256_PUB_SIZE; i++) {
        out[2 * i] = digits[pub[i] >> 4];
        out[2 * i + 1] = digits[pub[i] & 15];
    }
    out[2 * BO_P256_PUB_SIZE] = 0;
    return BO_OK;
}

/* SubjectPublicKeyInfo{ {id-ecPublicKey, prime256v1}, BIT STRING 04||X||Y }: 91 bytes. */
static const uint8_t SPKI_HEAD[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                    0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                    0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};

int bo_pubkey_to_pem(const uint8_t pub[BO_P256_PUB_SIZE], char *out, size_t out_size,
                     size_t *out_len)
{
    if (pub == NULL || out == NULL)
        return BO_ERR_ARG;
    uint8_t der[sizeof(SPKI_HEAD) + BO_P256_PUB_SIZE];
    memcpy(der, SPKI_HEAD, sizeof(SPKI_HEAD));
    memcpy(der + sizeof(SPKI_HEAD), pub, BO_P256_PUB_SIZE);
    size_t olen = 0;
    if (mbedtls_pem_write_buffer("-----BEGIN PUBLIC KEY-----\n", "-----END PUBLIC KEY-----\n", der,
                                 sizeof(der), (unsigned char *)out, out_size, &olen) != 0)
        return BO_ERR_NOSPACE;
    if (out_len != NULL)
        *out_len = olen - 1; /* mbedTLS counts the NUL */
    return BO_OK;
}

static int is_c_identifier(const char *s)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

int bo_pubkey_to_c(const uint8_t pub[BO_P256_PUB_SIZE], const char *name, char *out,
                   size_t out_size, size_t *out_len)
{
    if (pub == NULL || name == NULL || out == NULL || !is_c_identifier(name))
        return BO_ERR_ARG;
    size_t n = 0;
    int w = snprintf(out, out_size,
                     "/* ECDSA P-256 public key, X||Y big-endian (bleota pubkey --format c) */\n"
                     "const uint8_t %s[64] = {\n",
                     name);
    for (size_t i = 0; w >= 0 && i < BO_P256_PUB_SIZE; i++) {
        n += (size_t)w;
        if (n >= out_size)
            return BO_ERR_NOSPACE;
        w = snprintf(out + n, out_size - n, "%s0x%02x,%s", i % 8 == 0 ? "    " : " ", pub[i],
                     i % 8 == 7 ? "\n" : "");
    }
    if (w < 0)
        return BO_ERR_NOSPACE;
    n += (size_t)w;
    if (n >= out_size)
        return BO_ERR_NOSPACE;
    w = snprintf(out + n, out_size - n, "};\n");
    if (w < 0 || n + (size_t)w >= out_size)
        return BO_ERR_NOSPACE;
    if (out_len != NULL)
        *out_len = n + (size_t)w;
    return BO_OK;
}
