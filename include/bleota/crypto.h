/* bleota crypto: a thin adapter over BearSSL 0.6 (SHA-256, ECDSA P-256 verify) and mbedTLS 2.28
 * (AES-128-CBC). The contexts are opaque storage sized here so that callers own them; src/crypto
 * asserts at compile time that the backends' contexts fit. No heap, no static RAM: the verify
 * works on the caller's stack (docs/crypto.md). */
#ifndef BLEOTA_CRYPTO_H
#define BLEOTA_CRYPTO_H

#include <stddef.h>
#include <stdint.h>
#include "bleota/err.h"

#define BO_SHA256_SIZE 32u
#define BO_AES_BLOCK 16u
#define BO_AES_KEY_SIZE 16u
#define BO_P256_PUB_SIZE 64u /* X||Y, big-endian */
#define BO_P256_DER_MAX 72u  /* longest DER (SEQUENCE{r,s}) signature */

/* ---- SHA-256, streaming ---------------------------------------------------------------- */
typedef struct {
    uint64_t opaque[16];
} bo_sha256_t;

void bo_sha256_init(bo_sha256_t *ctx);
void bo_sha256_update(bo_sha256_t *ctx, const void *data, size_t len);
void bo_sha256_final(bo_sha256_t *ctx, uint8_t out[BO_SHA256_SIZE]);
void bo_sha256(const void *data, size_t len, uint8_t out[BO_SHA256_SIZE]);

/* ---- AES-128-CBC, streaming -------------------------------------------------------------
 * Data is processed in whole blocks; the chaining value lives in the context so a stream can
 * be fed in pieces of any multiple of 16. bo_aes_cbc_iv() exposes the chaining value (after
 * decrypting, it is the last ciphertext block) so a download can be resumed. */
typedef struct {
    uint64_t opaque[40];
    uint8_t iv[BO_AES_BLOCK];
    uint8_t decrypt;
} bo_aes_cbc_t;

/* Returns BO_OK, or BO_ERR_ARG for a NULL key/iv. */
int bo_aes_cbc_init(bo_aes_cbc_t *ctx, const uint8_t key[BO_AES_KEY_SIZE],
                    const uint8_t iv[BO_AES_BLOCK], int decrypt);
/* len must be a multiple of 16 (else BO_ERR_ALIGN); in and out may be the same buffer. */
int bo_aes_cbc_update(bo_aes_cbc_t *ctx, const uint8_t *in, uint8_t *out, size_t len);
const uint8_t *bo_aes_cbc_iv(const bo_aes_cbc_t *ctx);
void bo_aes_cbc_free(bo_aes_cbc_t *ctx);

/* ---- ECDSA P-256 verify -------------------------------------------------------------------
 * pub: X||Y big-endian; hash: SHA-256 digest; der: ASN.1 DER SEQUENCE{INTEGER r, INTEGER s}
 * exactly der_len bytes long (trailing bytes are an error).
 * Returns BO_OK for a valid signature, BO_ERR_AUTH for a well-formed signature that does not
 * verify (including r or s zero or >= n), BO_ERR_FORMAT for malformed DER or a public key not on
 * the curve. BO_ERR_CRYPTO stays reserved for a backend failure; BearSSL's verify has none. */
int bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE], const uint8_t hash[BO_SHA256_SIZE],
                         const uint8_t *der, size_t der_len);

#endif
