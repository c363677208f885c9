/* bleota crypto: ECDSA P-256 verification of a strict ASN.1 DER signature over mbedTLS 2.28.
 * The DER is parsed here, not by mbedTLS, so that every malformed encoding is refused with
 * BO_ERR_FORMAT and every out-of-range value with BO_ERR_AUTH, exactly as crypto.h promises. */
#include <string.h>

#include "bleota/crypto.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"

#if defined(BO_CRYPTO_STATIC_HEAP) && BO_CRYPTO_STATIC_HEAP
#include "mbedtls/memory_buffer_alloc.h"
/* P-256 verify with MBEDTLS_ECP_WINDOW_SIZE 2 needs 3008 bytes of this buffer on Cortex-M4
 * (smallest size that verifies and rejects, measured under QEMU, see docs/crypto.md); the
 * default keeps a third in reserve for allocator fragmentation on other inputs. */
#ifndef BO_CRYPTO_HEAP_SIZE
#define BO_CRYPTO_HEAP_SIZE 6144u
#endif
static unsigned char bo_crypto_heap[BO_CRYPTO_HEAP_SIZE];
#endif

#define P256_COORD 32u

typedef struct {
    const uint8_t *p;
    size_t left;
} der_t;

typedef struct {
    const uint8_t *mag; /* magnitude, big-endian, without the DER sign byte */
    size_t len;
} der_int_t;

/* Takes one DER element with the given tag: minimal definite length, content inside `d`. */
static int der_take(der_t *d, uint8_t tag, der_t *content)
{
    if (d->left < 2 || d->p[0] != tag)
        return BO_ERR_FORMAT;
    size_t len = d->p[1];
    size_t hdr = 2;
    if (len == 0x81) {
        if (d->left < 3 || d->p[2] < 0x80) /* long form for a short length is not DER */
            return BO_ERR_FORMAT;
        len = d->p[2];
        hdr = 3;
    } else if (len == 0x82) {
        if (d->left < 4)
            return BO_ERR_FORMAT;
        len = ((size_t)d->p[2] << 8) | d->p[3];
        if (len < 0x100)
            return BO_ERR_FORMAT;
        hdr = 4;
    } else if (len >= 0x80) { /* indefinite (0x80) or longer lengths: never a P-256 signature */
        return BO_ERR_FORMAT;
    }
    if (len > d->left - hdr)
        return BO_ERR_FORMAT;
    content->p = d->p + hdr;
    content->left = len;
    d->p += hdr + len;
    d->left -= hdr + len;
    return BO_OK;
}

/* Takes a non-negative, minimally encoded INTEGER. */
static int der_take_uint(der_t *d, der_int_t *out)
{
    der_t c;
    int err = der_take(d, 0x02, &c);
    if (err != BO_OK)
        return err;
    if (c.left == 0 || (c.p[0] & 0x80u) != 0) /* empty or negative */
        return BO_ERR_FORMAT;
    if (c.left > 1 && c.p[0] == 0) {
        if ((c.p[1] & 0x80u) == 0) /* a leading zero that is not a sign byte */
            return BO_ERR_FORMAT;
        c.p++;
        c.left--;
    }
    out->mag = c.p;
    out->len = c.left;
    return BO_OK;
}

/* SEQUENCE { INTEGER r, INTEGER s } and nothing else, exactly len bytes. */
static int der_parse_sig(const uint8_t *der, size_t len, der_int_t *r, der_int_t *s)
{
    der_t all = {der, len};
    der_t seq;
    int err = der_take(&all, 0x30, &seq);
    if (err == BO_OK)
        err = der_take_uint(&seq, r);
    if (err == BO_OK)
        err = der_take_uint(&seq, s);
    if (err == BO_OK && (seq.left != 0 || all.left != 0))
        err = BO_ERR_FORMAT;
    return err;
}

/* Loads X||Y as a P-256 point; FORMAT when it is not on the curve (or a coordinate >= p). */
static int load_pub(mbedtls_ecp_group *grp, mbedtls_ecp_point *q,
                    const uint8_t pub[BO_P256_PUB_SIZE])
{
    uint8_t point[1 + BO_P256_PUB_SIZE];
    point[0] = 0x04; /* uncompressed SEC1 point */
    memcpy(point + 1, pub, BO_P256_PUB_SIZE);
    if (mbedtls_ecp_group_load(grp, MBEDTLS_ECP_DP_SECP256R1) != 0)
        return BO_ERR_CRYPTO;
    int ret = mbedtls_ecp_point_read_binary(grp, q, point, sizeof(point));
    if (ret == 0)
        ret = mbedtls_ecp_check_pubkey(grp, q);
    if (ret == MBEDTLS_ERR_ECP_INVALID_KEY || ret == MBEDTLS_ERR_ECP_BAD_INPUT_DATA)
        return BO_ERR_FORMAT;
    return ret == 0 ? BO_OK : BO_ERR_CRYPTO;
}

static int verify_mbedtls(const uint8_t pub[BO_P256_PUB_SIZE], const uint8_t hash[BO_SHA256_SIZE],
                          const der_int_t *r_in, const der_int_t *s_in)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi r, s;
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);

    /* The key is checked first so that a bad key reads as FORMAT whatever the signature. */
    int err = load_pub(&grp, &q, pub);
    if (err != BO_OK)
        goto out;
    /* Wider than 32 bytes is >= 2^256 > n: out of range, and not worth a bignum allocation. */
    err = BO_ERR_AUTH;
    if (r_in->len > P256_COORD || s_in->len > P256_COORD)
        goto out;
    err = BO_ERR_CRYPTO;
    if (mbedtls_mpi_read_binary(&r, r_in->mag, r_in->len) != 0 ||
        mbedtls_mpi_read_binary(&s, s_in->mag, s_in->len) != 0)
        goto out;
    /* mbedTLS refuses r or s outside [1, n-1] with VERIFY_FAILED, like a wrong signature. */
    int ret = mbedtls_ecdsa_verify(&grp, hash, BO_SHA256_SIZE, &q, &r, &s);
    if (ret == 0)
        err = BO_OK;
    else if (ret == MBEDTLS_ERR_ECP_VERIFY_FAILED)
        err = BO_ERR_AUTH;
out:
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    return err;
}

int bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE], const uint8_t hash[BO_SHA256_SIZE],
                         const uint8_t *der, size_t der_len)
{
    if (pub == NULL || hash == NULL || (der == NULL && der_len != 0))
        return BO_ERR_ARG;
    der_int_t r, s;
    int err = der_parse_sig(der, der_len, &r, &s);
    if (err != BO_OK)
        return err;
#if defined(BO_CRYPTO_STATIC_HEAP) && BO_CRYPTO_STATIC_HEAP
    /* Every verify starts from an empty heap: nothing survives between calls. */
    mbedtls_memory_buffer_alloc_init(bo_crypto_heap, sizeof(bo_crypto_heap));
#endif
    return verify_mbedtls(pub, hash, &r, &s);
}
