/* bleota host key handling (tools only: uses stdio, the heap and an RNG).
 *
 * Private keys are ECDSA P-256 only. Every function returns BO_OK (0) or a negative bo_err_t and,
 * on failure, writes a one-line message naming the problem into msg (msg_size bytes, always
 * NUL-terminated; msg may be NULL; BO_KEYS_MSG_MAX never truncates). Messages never contain the
 * file name: the caller prints it ("bleota: KEY.pem: key is on curve secp384r1, ..."). Codes:
 * BO_ERR_ARG (NULL or bad argument), BO_ERR_IO (file cannot be read or written), BO_ERR_FORMAT (not
 * PEM/DER/hex, corrupt key, point not on the curve), BO_ERR_UNSUPPORTED (another curve, RSA,
 * password-protected key), BO_ERR_NOSPACE (output buffer too small), BO_ERR_CRYPTO (RNG or backend
 * failure), BO_ERR_REFUSED (bo_key_save: the file exists and replacing was not asked for). */
#ifndef BLEOTA_TOOLS_BO_KEYS_H
#define BLEOTA_TOOLS_BO_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "bleota/crypto.h"
#include "bleota/err.h"

#define BO_KEYS_MSG_MAX 256u
#define BO_P256_PRIV_SIZE 32u
#define BO_KEY_PEM_MAX 256u  /* PKCS#8 PEM of a P-256 key is 241 bytes + NUL */
#define BO_PUB_PEM_MAX 192u  /* SubjectPublicKeyInfo PEM is 178 bytes + NUL */
#define BO_PUB_HEX_SIZE 129u /* 128 hex digits + NUL */

typedef struct {
    uint8_t d[BO_P256_PRIV_SIZE];  /* private scalar, big-endian */
    uint8_t pub[BO_P256_PUB_SIZE]; /* X||Y, big-endian, always d*G */
} bo_key_t;

/* ---- private keys ------------------------------------------------------------------------ */
/* A fresh key from mbedTLS CTR_DRBG seeded by the platform entropy source. */
int bo_key_generate(bo_key_t *key, char *msg, size_t msg_size);
/* Parses a private key: PEM "PRIVATE KEY" (PKCS#8) or "EC PRIVATE KEY" (SEC1), or the same in
 * DER. Refuses keys on other curves or of other types (BO_ERR_UNSUPPORTED, the message names
 * the curve), encrypted keys, and keys whose embedded public point is not d*G (BO_ERR_FORMAT). */
int bo_key_parse(bo_key_t *key, const uint8_t *buf, size_t len, char *msg, size_t msg_size);
/* bo_key_parse on the contents of a file. */
int bo_key_load(bo_key_t *key, const char *path, char *msg, size_t msg_size);
/* PKCS#8 PEM (OpenSSL's layout, with the public key) into out, NUL-terminated; *out_len (may be
 * NULL) gets the length without the NUL. */
int bo_key_to_pem(const bo_key_t *key, char *out, size_t out_size, size_t *out_len, char *msg,
                  size_t msg_size);
/* Writes the PKCS#8 PEM to path, mode 0600, through an exclusive temporary file renamed into
 * place (bo_file_write_atomic), so a failure leaves no file behind and an existing file
 * untouched. Unless replace, an existing path (even a dangling symlink) is not replaced:
 * BO_ERR_REFUSED, message "already exists". */
int bo_key_save(const bo_key_t *key, const char *path, int replace, char *msg, size_t msg_size);
/* ECDSA-SHA256 signature of a digest as ASN.1 DER (70..72 bytes) into der, *der_len its length.
 * Deterministic (RFC 6979) when the host mbedTLS has MBEDTLS_ECDSA_DETERMINISTIC (Debian's
 * does), else randomised by the DRBG. The result is verified before it is returned. */
int bo_key_sign(const bo_key_t *key, const uint8_t hash[BO_SHA256_SIZE],
                uint8_t der[BO_P256_DER_MAX], size_t *der_len, char *msg, size_t msg_size);
/* Overwrites the key material. */
void bo_key_wipe(bo_key_t *key);

/* ---- public keys ------------------------------------------------------------------------- */
/* Parses a public key from text: PEM "PUBLIC KEY" (SubjectPublicKeyInfo), a private key PEM
 * (its public half), or 128 hex digits X||Y (whitespace ignored; an "04" prefix for 130 digits
 * is accepted). The point must be on P-256. */
int bo_pubkey_parse(uint8_t pub[BO_P256_PUB_SIZE], const uint8_t *buf, size_t len, char *msg,
                    size_t msg_size);
/* arg is either 128 hex digits or the path of a file bo_pubkey_parse accepts. */
int bo_pubkey_load(uint8_t pub[BO_P256_PUB_SIZE], const char *arg, char *msg, size_t msg_size);
/* 128 lower-case hex digits + NUL. out_size >= BO_PUB_HEX_SIZE. */
int bo_pubkey_to_hex(const uint8_t pub[BO_P256_PUB_SIZE], char *out, size_t out_size);
/* SubjectPublicKeyInfo PEM, NUL-terminated; *out_len (may be NULL) without the NUL. */
int bo_pubkey_to_pem(const uint8_t pub[BO_P256_PUB_SIZE], char *out, size_t out_size,
                     size_t *out_len);
/* A C definition `const uint8_t <name>[64] = { ... };` with a comment; name must be a C
 * identifier (BO_ERR_ARG otherwise). *out_len (may be NULL) without the NUL. */
int bo_pubkey_to_c(const uint8_t pub[BO_P256_PUB_SIZE], const char *name, char *out,
                   size_t out_size, size_t *out_len);

#endif
