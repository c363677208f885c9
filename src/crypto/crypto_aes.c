/* bleota crypto: AES-128-CBC over mbedTLS 2.28, in caller-owned opaque storage. Only the
 * application uses it (OTA data decryption); the bootloader does not decrypt. */
#include <string.h>

#include "bleota/crypto.h"
#include "mbedtls/aes.h"
#include "mbedtls/platform_util.h"

/* The public context is opaque storage: prove at compile time that mbedTLS's fits. */
_Static_assert(sizeof(mbedtls_aes_context) <= sizeof(((bo_aes_cbc_t *)0)->opaque),
               "bo_aes_cbc_t too small for mbedtls_aes_context");
_Static_assert(_Alignof(mbedtls_aes_context) <= _Alignof(bo_aes_cbc_t),
               "bo_aes_cbc_t under-aligned for mbedtls_aes_context");

static mbedtls_aes_context *aes(bo_aes_cbc_t *ctx)
{
    return (mbedtls_aes_context *)(void *)ctx->opaque;
}

int bo_aes_cbc_init(bo_aes_cbc_t *ctx, const uint8_t key[BO_AES_KEY_SIZE],
                    const uint8_t iv[BO_AES_BLOCK], int decrypt)
{
    if (ctx == NULL || key == NULL || iv == NULL)
        return BO_ERR_ARG;
    mbedtls_aes_init(aes(ctx));
    int ret = decrypt ? mbedtls_aes_setkey_dec(aes(ctx), key, 128)
                      : mbedtls_aes_setkey_enc(aes(ctx), key, 128);
    if (ret != 0) {
        mbedtls_aes_free(aes(ctx));
        return BO_ERR_CRYPTO;
    }
    memcpy(ctx->iv, iv, BO_AES_BLOCK);
    ctx->decrypt = decrypt ? 1u : 0u;
    return BO_OK;
}

int bo_aes_cbc_update(bo_aes_cbc_t *ctx, const uint8_t *in, uint8_t *out, size_t len)
{
    if (ctx == NULL || ((in == NULL || out == NULL) && len != 0))
        return BO_ERR_ARG;
    if (len % BO_AES_BLOCK != 0)
        return BO_ERR_ALIGN;
    if (len == 0)
        return BO_OK;
    /* mbedTLS keeps a copy of each ciphertext block before writing, so in == out is safe, and
     * it leaves the chaining value (last ciphertext block) in ctx->iv for the next call. */
    int mode = ctx->decrypt ? MBEDTLS_AES_DECRYPT : MBEDTLS_AES_ENCRYPT;
    if (mbedtls_aes_crypt_cbc(aes(ctx), mode, len, ctx->iv, in, out) != 0)
        return BO_ERR_CRYPTO;
    return BO_OK;
}

const uint8_t *bo_aes_cbc_iv(const bo_aes_cbc_t *ctx)
{
    return ctx == NULL ? NULL : ctx->iv;
}

void bo_aes_cbc_free(bo_aes_cbc_t *ctx)
{
    if (ctx == NULL)
        return;
    mbedtls_aes_free(aes(ctx));
    mbedtls_platform_zeroize(ctx, sizeof(*ctx));
}
