/* Signature fields of the metadata header: size rules per method and the check itself. */
#include "bleota/img.h"

#define DER_SEQUENCE 0x30u
#define DER_MIN 8u /* SEQUENCE{INTEGER 1 byte, INTEGER 1 byte} */

int bo_img_sig_size_ok(uint8_t method, const uint8_t *sig, uint8_t sig_len)
{
    switch (method) {
    case BO_AUTH_NONE:
        /* Nothing reads the field; only keep it inside its 72-byte slot. */
        return sig_len <= BO_MD_SIG_MAX ? BO_OK : BO_ERR_FORMAT;
    case BO_AUTH_SHA256:
        return sig_len == BO_SHA256_SIZE ? BO_OK : BO_ERR_FORMAT;
    case BO_AUTH_ECDSA:
        if (sig == NULL || sig_len < DER_MIN || sig_len > BO_MD_SIG_MAX) {
            return BO_ERR_FORMAT;
        }
        /* Content is at most 70 bytes, so the DER length is always the one-byte short form. */
        return (sig[0] == DER_SEQUENCE && sig[1] == (uint8_t)(sig_len - 2u)) ? BO_OK
                                                                             : BO_ERR_FORMAT;
    default:
        return BO_ERR_FORMAT;
    }
}

/* Constant time: the digest compared is secret-free, but a timing oracle costs nothing to avoid. */
static int digest_equal(const uint8_t *a, const uint8_t *b)
{
    uint8_t diff = 0u;
    for (size_t i = 0; i < BO_SHA256_SIZE; i++) {
        diff |= (uint8_t)(a[i] ^ b[i]);
    }
    return diff == 0u;
}

int bo_img_check_sig(uint8_t method, const uint8_t *sig, uint8_t sig_len,
                     const uint8_t digest[BO_SHA256_SIZE], const uint8_t *pub,
                     uint32_t allowed_mask)
{
    if (method > BO_AUTH_ECDSA) {
        return BO_ERR_FORMAT;
    }
    if ((allowed_mask & BO_AUTH_MASK(method)) == 0u) {
        return BO_ERR_UNSUPPORTED;
    }
    if (method == BO_AUTH_NONE) {
        return BO_OK;
    }
    if (digest == NULL || bo_img_sig_size_ok(method, sig, sig_len) != BO_OK) {
        return digest == NULL ? BO_ERR_ARG : BO_ERR_FORMAT;
    }
    if (method == BO_AUTH_SHA256) {
        return digest_equal(sig, digest) ? BO_OK : BO_ERR_AUTH;
    }
    if (pub == NULL) {
        return BO_ERR_ARG;
    }
    return bo_ecdsa_p256_verify(pub, digest, sig, sig_len);
}
