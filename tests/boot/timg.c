#include "timg.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <mbedtls/ecdsa.h>
#include "bleota/crypto.h"
#include "bleota/img.h"

const uint8_t timg_mchp_pub[64] = {
    0xc2, 0x81, 0x8f, 0xbb, 0x28, 0x61, 0x47, 0x8b, 0xa2, 0x53, 0x37, 0x79, 0xd4, 0x63, 0x18, 0x7c,
    0x8b, 0x41, 0x59, 0xa9, 0x5f, 0x0b, 0x6b, 0x94, 0x4e, 0xb9, 0x57, 0xa1, 0x03, 0xfe, 0x20, 0xbf,
    0x2b, 0xb8, 0x14, 0x2a, 0x64, 0xb5, 0xae, 0x4a, 0x83, 0x80, 0xdd, 0xe6, 0xee, 0x29, 0x89, 0xdd,
    0xa0, 0x9a, 0xc7, 0xda, 0x82, 0xeb, 0x56, 0x62, 0x90, 0x5d, 0x66, 0xc5, 0xbc, 0x30, 0x3c, 0x84};

/* Test-only RNG: deterministic so every run builds the same images. */
static int test_rng(void *ctx, unsigned char *out, size_t len)
{
    uint32_t *s = ctx;
    for (size_t i = 0; i < len; i++) {
        *s ^= *s << 13;
        *s ^= *s >> 17;
        *s ^= *s << 5;
        out[i] = (unsigned char)*s;
    }
    return 0;
}

void tkey_gen(tkey_t *k, uint32_t seed)
{
    uint32_t s = seed | 1u;
    mbedtls_ecdsa_context *c = malloc(sizeof *c);
    uint8_t pt[65];
    size_t olen = 0;
    mbedtls_ecdsa_init(c);
    assert_int_equal(mbedtls_ecdsa_genkey(c, MBEDTLS_ECP_DP_SECP256R1, test_rng, &s), 0);
    assert_int_equal(mbedtls_ecp_point_write_binary(&c->grp, &c->Q, MBEDTLS_ECP_PF_UNCOMPRESSED,
                                                    &olen, pt, sizeof pt),
                     0);
    assert_int_equal(olen, 65);
    memcpy(k->pub, pt + 1, 64);
    k->ecdsa = c;
}

void tkey_free(tkey_t *k)
{
    mbedtls_ecdsa_free(k->ecdsa);
    free(k->ecdsa);
}

static void sign(const tkey_t *k, uint8_t method, const uint8_t digest[32], uint8_t *sig,
                 uint8_t *sig_len, uint32_t seed)
{
    memset(sig, 0, BO_MD_SIG_MAX);
    if (method == BO_AUTH_NONE) {
        *sig_len = 0;
    } else if (method == BO_AUTH_SHA256) {
        memcpy(sig, digest, 32);
        *sig_len = 32;
    } else {
        size_t n = 0;
        uint32_t s = seed | 1u;
        assert_int_equal(mbedtls_ecdsa_write_signature(k->ecdsa, MBEDTLS_MD_SHA256, digest, 32, sig,
                                                       &n, test_rng, &s),
                         0);
        *sig_len = (uint8_t)n;
    }
}

size_t timg_build(uint8_t *out, size_t cap, const tkey_t *k, uint32_t version, uint32_t fw_len,
                  uint32_t seed, uint8_t method)
{
    return timg_build2(out, cap, k, version, fw_len, seed, method, method);
}

size_t timg_build2(uint8_t *out, size_t cap, const tkey_t *k, uint32_t version, uint32_t fw_len,
                   uint32_t seed, uint8_t md_method, uint8_t fw_method)
{
    return timg_build3(out, cap, k, version, fw_len, seed, md_method, fw_method, 0);
}

size_t timg_build3(uint8_t *out, size_t cap, const tkey_t *k, uint32_t version, uint32_t fw_len,
                   uint32_t seed, uint8_t md_method, uint8_t fw_method, uint8_t flags)
{
    uint8_t digest[32];
    uint32_t s = seed | 1u;
    bo_md_t md;
    assert_true(cap >= BO_MD_SIZE + fw_len && fw_len % 16 == 0);
    test_rng(&s, out + BO_MD_SIZE, fw_len);
    memset(&md, 0, sizeof md);
    memcpy(md.manu_id, "MCHP", 4);
    md.seq_num = 1;
    md.md_auth = md_method;
    md.fw_auth = fw_method;
    md.fw_rev = version;
    md.fw_len = fw_len;
    md.flags = flags;
    bo_sha256(out + BO_MD_SIZE, fw_len, digest);
    sign(k, fw_method, digest, md.fw_sig, &md.fw_sig_len, seed + 1);
    bo_md_build(&md, out);
    bo_md_digest(out, digest);
    sign(k, md_method, digest, md.md_sig, &md.md_sig_len, seed + 2);
    bo_md_build(&md, out);
    return BO_MD_SIZE + fw_len;
}

uint8_t *timg_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}
