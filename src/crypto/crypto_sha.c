/* bleota crypto: SHA-256 over BearSSL 0.6 (br_sha256: 39.7 instructions per byte on Cortex-M4,
 * docs/crypto.md), in caller-owned opaque storage. */
#include "bearssl.h"
#include "bleota/crypto.h"

/* The public context is opaque storage: prove at compile time that BearSSL's fits. */
_Static_assert(sizeof(br_sha256_context) <= sizeof(((bo_sha256_t *)0)->opaque),
               "bo_sha256_t too small for br_sha256_context");
_Static_assert(_Alignof(br_sha256_context) <= _Alignof(bo_sha256_t),
               "bo_sha256_t under-aligned for br_sha256_context");

static br_sha256_context *sha(bo_sha256_t *ctx)
{
    return (br_sha256_context *)(void *)ctx->opaque;
}

/* SHA-256's initial state (FIPS 180-4 5.3.3), big-endian. br_sha256_init would install the
 * generic hash vtable, which drags SHA-224's state functions into the bootloader for nothing:
 * bleota only ever calls update and out, which do not use it. */
static const uint8_t sha256_iv[32] = {
    0x6a, 0x09, 0xe6, 0x67, 0xbb, 0x67, 0xae, 0x85, 0x3c, 0x6e, 0xf3, 0x72, 0xa5, 0x4f, 0xf5, 0x3a,
    0x51, 0x0e, 0x52, 0x7f, 0x9b, 0x05, 0x68, 0x8c, 0x1f, 0x83, 0xd9, 0xab, 0x5b, 0xe0, 0xcd, 0x19};

/* SHA-256 cannot fail, so the void contract holds; a NULL context is a caller bug and is
 * ignored, not dereferenced. */
void bo_sha256_init(bo_sha256_t *ctx)
{
    if (ctx != NULL) {
        sha(ctx)->vtable = NULL;
        br_sha256_set_state(sha(ctx), sha256_iv, 0);
    }
}

void bo_sha256_update(bo_sha256_t *ctx, const void *data, size_t len)
{
    if (ctx != NULL && (data != NULL || len == 0))
        br_sha256_update(sha(ctx), data, len);
}

void bo_sha256_final(bo_sha256_t *ctx, uint8_t out[BO_SHA256_SIZE])
{
    if (ctx != NULL && out != NULL)
        br_sha256_out(sha(ctx), out);
}

void bo_sha256(const void *data, size_t len, uint8_t out[BO_SHA256_SIZE])
{
    bo_sha256_t ctx;
    bo_sha256_init(&ctx);
    bo_sha256_update(&ctx, data, len);
    bo_sha256_final(&ctx, out);
}
