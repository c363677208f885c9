/* bleota bench: deterministic signed + encrypted image (see image.h). The host's mbedTLS signs;
 * bleota's img/crypto modules build the header and encrypt, so the device checks real bytes. */
#include "image.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/sha256.h>

#include "bleota/crypto.h"
#include "bleota/img.h"

/* A fixed-seed byte stream: SHA-256(seed || counter). Deterministic by design (a benchmark
 * key, never a product key). */
typedef struct seeded {
    uint32_t counter;
} seeded_t;

static int seeded_rng(void *ctx, unsigned char *out, size_t len)
{
    seeded_t *s = ctx;
    while (len > 0) {
        uint8_t in[16] = "bleota-bench";
        uint8_t h[32];
        in[12] = (uint8_t)(s->counter >> 24);
        in[13] = (uint8_t)(s->counter >> 16);
        in[14] = (uint8_t)(s->counter >> 8);
        in[15] = (uint8_t)s->counter;
        s->counter++;
        if (mbedtls_sha256_ret(in, sizeof in, h, 0) != 0)
            return -1;
        size_t n = len < sizeof h ? len : sizeof h;
        memcpy(out, h, n);
        out += n;
        len -= n;
    }
    return 0;
}

static int sign(mbedtls_ecdsa_context *k, seeded_t *rng, const uint8_t hash[32], uint8_t *sig,
                uint8_t *sig_len)
{
    size_t n = 0;
    uint8_t der[MBEDTLS_ECDSA_MAX_LEN];
    if (mbedtls_ecdsa_write_signature(k, MBEDTLS_MD_SHA256, hash, 32, der, &n, seeded_rng, rng))
        return -1;
    if (n > BO_MD_SIG_MAX)
        return -1;
    memcpy(sig, der, n);
    *sig_len = (uint8_t)n;
    return 0;
}

/* Metadata for firmware fw[fw_len]: ECDSA-signed; the firmware by ECDSA or by its digest. */
static int build_md(mbedtls_ecdsa_context *k, seeded_t *rng, const uint8_t *fw, uint32_t fw_len,
                    uint8_t fw_auth, uint8_t out[BO_MD_SIZE])
{
    bo_md_t md;
    uint8_t h[BO_SHA256_SIZE];
    memset(&md, 0, sizeof md);
    memcpy(md.manu_id, "MCHP", 4);
    md.seq_num = 1;
    md.md_auth = BO_AUTH_ECDSA;
    md.fw_auth = fw_auth;
    md.fw_rev = 0x02000000u; /* 2.0.0.0 */
    md.fw_len = fw_len;
    bo_sha256(fw, fw_len, h);
    if (fw_auth == BO_AUTH_SHA256) {
        memcpy(md.fw_sig, h, sizeof h);
        md.fw_sig_len = sizeof h;
    } else if (sign(k, rng, h, md.fw_sig, &md.fw_sig_len)) {
        return -1;
    }
    bo_md_build(&md, out);
    bo_md_digest(out, h);
    if (sign(k, rng, h, md.md_sig, &md.md_sig_len))
        return -1;
    bo_md_build(&md, out);
    return 0;
}

static int gen_key(mbedtls_ecdsa_context *k, seeded_t *rng, bench_keys_t *keys)
{
    if (mbedtls_ecdsa_genkey(k, MBEDTLS_ECP_DP_SECP256R1, seeded_rng, rng) ||
        mbedtls_mpi_write_binary(&k->Q.X, keys->pub, 32) ||
        mbedtls_mpi_write_binary(&k->Q.Y, keys->pub + 32, 32))
        return -1;
    return seeded_rng(rng, keys->aes_key, 16) || seeded_rng(rng, keys->aes_iv, 16) ? -1 : 0;
}

int bench_image_build(uint32_t size, uint8_t fw_auth, bench_image_t *img, bench_keys_t *keys)
{
    memset(img, 0, sizeof *img);
    if (size % BO_IMG_UNIT || size < 1024u || size > BO_IMG_MAX_PAYLOAD ||
        (fw_auth != BO_AUTH_ECDSA && fw_auth != BO_AUTH_SHA256))
        return -1;
    uint8_t *p = malloc(size);
    if (!p)
        return -1;
    uint32_t fw_len = size - BO_MD_SIZE - BO_AES_BLOCK;
    seeded_t rng = {0};
    mbedtls_ecdsa_context k;
    mbedtls_ecdsa_init(&k);
    int rc = gen_key(&k, &rng, keys);
    if (rc == 0)
        rc = seeded_rng(&rng, p + BO_MD_SIZE, fw_len);
    if (rc == 0)
        rc = build_md(&k, &rng, p + BO_MD_SIZE, fw_len, fw_auth, p);
    mbedtls_ecdsa_free(&k);
    memset(p + size - BO_AES_BLOCK, BO_AES_BLOCK, BO_AES_BLOCK); /* PKCS#7: a whole block */
    bo_aes_cbc_t aes;
    if (rc == 0 && (bo_aes_cbc_init(&aes, keys->aes_key, keys->aes_iv, 0) != BO_OK ||
                    bo_aes_cbc_update(&aes, p, p, size) != BO_OK))
        rc = -1;
    if (rc != 0) {
        free(p);
        return -1;
    }
    bo_aes_cbc_free(&aes);
    *img = (bench_image_t){.payload = p,
                           .size = size,
                           .fw_len = fw_len,
                           .image_id = BO_IMG_DEFAULT_ID,
                           .version = 0x02000000u,
                           .enc = BO_OTA_ENC_AES_CBC,
                           .ecdsa = fw_auth == BO_AUTH_ECDSA ? 2 : 1};
    return 0;
}

void bench_image_free(bench_image_t *img)
{
    free((void *)img->payload);
    memset(img, 0, sizeof *img);
}
