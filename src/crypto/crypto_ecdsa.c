/* bleota crypto: ECDSA P-256 verification of a strict ASN.1 DER signature over BearSSL 0.6
 * (br_ecdsa_i31_vrfy_raw with br_ec_p256_m31: constant time, no heap, ~11.5 M instructions on
 * Cortex-M4, docs/crypto.md). BearSSL's own DER decoder is lenient and its verify answers only
 * yes or no, so the DER is parsed here, strictly: every malformed encoding is BO_ERR_FORMAT and
 * every out-of-range r or s BO_ERR_AUTH (zero and wider than 32 bytes refused here, >= n by
 * BearSSL's decoder), as crypto.h promises. */
#include <stdbool.h>
#include <string.h>

#include "bearssl.h"
#include "bleota/crypto.h"

#define P256_COORD 32u

typedef struct {
    const uint8_t *p;
    size_t left;
} der_t;

/* Takes one DER element with the given tag: minimal definite length, content inside `d`. */
static int der_take(der_t *d, uint8_t tag, der_t *content)
{
    if (d->left < 2 || d->p[0] != tag)
        return BO_ERR_FORMAT;
    size_t len = d->p[1];
    size_t hdr = 2;
    if (len >= 0x80) {
        /* long form: one or two length bytes (indefinite 0x80 and longer lengths are never a
         * P-256 signature), minimal: 1 byte for 0x80..0xFF, 2 bytes from 0x100 */
        size_t n = len - 0x80;
        if (n == 0 || n > 2 || d->left < 2 + n)
            return BO_ERR_FORMAT;
        len = n == 1 ? d->p[2] : ((size_t)d->p[2] << 8) | d->p[3];
        if (len < (size_t)0x80 << (n - 1))
            return BO_ERR_FORMAT;
        hdr += n;
    }
    if (len > d->left - hdr)
        return BO_ERR_FORMAT;
    content->p = d->p + hdr;
    content->left = len;
    d->p += hdr + len;
    d->left -= hdr + len;
    return BO_OK;
}

/* Takes a non-negative, minimally encoded INTEGER into a 32-byte big-endian field. A value of
 * zero or wider than 32 bytes (>= 2^256 > n) clears *in_range instead (the DER is read on: a
 * malformed encoding after it is still FORMAT). The rest of the range, v >= n, is BearSSL's to
 * refuse: its decoder (br_i31_decode_mod) fails the verify for r or s not below n, so only
 * zero, which it would accept for r, is checked here. Not secret: a signature is public. */
static int der_take_scalar(der_t *d, uint8_t out[P256_COORD], bool *in_range)
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
    if (c.left > P256_COORD || (c.left == 1 && c.p[0] == 0)) {
        *in_range = false;
    } else {
        memset(out, 0, P256_COORD - c.left);
        memcpy(out + P256_COORD - c.left, c.p, c.left);
    }
    return BO_OK;
}

/* SEQUENCE { INTEGER r, INTEGER s } and nothing else, exactly len bytes, into rs = r || s. */
static int der_parse_sig(const uint8_t *der, size_t len, uint8_t rs[2 * P256_COORD],
                         bool *in_range)
{
    der_t all = {der, len};
    der_t seq;
    int err = der_take(&all, 0x30, &seq);
    if (err == BO_OK)
        err = der_take_scalar(&seq, rs, in_range);
    if (err == BO_OK)
        err = der_take_scalar(&seq, rs + P256_COORD, in_range);
    if (err == BO_OK && (seq.left != 0 || all.left != 0))
        err = BO_ERR_FORMAT;
    return err;
}

int bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE], const uint8_t hash[BO_SHA256_SIZE],
                         const uint8_t *der, size_t der_len)
{
    if (pub == NULL || hash == NULL || (der == NULL && der_len != 0))
        return BO_ERR_ARG;
    uint8_t rs[2 * P256_COORD], point[1 + BO_P256_PUB_SIZE];
    bool in_range = true;
    int err = der_parse_sig(der, der_len, rs, &in_range);
    if (err != BO_OK)
        return err;
    point[0] = 0x04; /* uncompressed SEC1 point */
    memcpy(point + 1, pub, BO_P256_PUB_SIZE);
    /* No low-s rule: (r, n-s) verifies like (r, s), as in Microchip's bootloader and OpenSSL. */
    if (in_range) {
        br_ec_public_key pk = {BR_EC_secp256r1, point, sizeof point};
        if (br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, hash, BO_SHA256_SIZE, &pk, rs, sizeof rs))
            return BO_OK; /* (it cannot pass with a key off the curve) */
    }
    /* A bad key is FORMAT whatever the signature. BearSSL decodes the point and checks the curve
     * equation (and coordinates < p) before any multiplication; with a zero-length scalar the
     * call costs a few percent of a verify. Asked only after a failure: a valid signature pays
     * nothing for it. */
    return br_ec_p256_m31.mul(point, sizeof point, rs, 0, BR_EC_secp256r1) ? BO_ERR_AUTH
                                                                           : BO_ERR_FORMAT;
}
