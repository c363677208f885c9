/* Helpers shared by the host key files: messages, file reads, public point export. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/err.h"
#include "keys_util.h"

int bo_keys_fail(char *msg, size_t msg_size, int err, const char *fmt, ...)
{
    if (msg != NULL && msg_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msg_size, fmt, ap);
        va_end(ap);
    }
    return err;
}

#define KEYS_FILE_MAX (1024u * 1024u) /* a key file is a few hundred bytes */

int bo_keys_read_file(const char *path, uint8_t **buf, size_t *len, char *msg, size_t msg_size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return bo_keys_fail(msg, msg_size, BO_ERR_IO, "cannot open: %s", strerror(errno));
    uint8_t *b = malloc(KEYS_FILE_MAX + 1);
    if (b == NULL) {
        fclose(f);
        return bo_keys_fail(msg, msg_size, BO_ERR_NOSPACE, "out of memory");
    }
    size_t n = fread(b, 1, KEYS_FILE_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n > KEYS_FILE_MAX) {
        free(b);
        return bo_keys_fail(msg, msg_size, bad ? BO_ERR_IO : BO_ERR_FORMAT, "%s",
                            bad ? "read error" : "too large for a key file");
    }
    b[n] = 0;
    *buf = b;
    *len = n;
    return BO_OK;
}

int bo_keys_export_pub(const mbedtls_ecp_keypair *kp, uint8_t pub[64], char *msg, size_t msg_size)
{
    if (kp->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
        const mbedtls_ecp_curve_info *ci = mbedtls_ecp_curve_info_from_grp_id(kp->grp.id);
        return bo_keys_fail(msg, msg_size, BO_ERR_UNSUPPORTED,
                            "key is on curve %s, bleota needs P-256 (prime256v1/secp256r1)",
                            ci != NULL ? ci->name : "(unknown)");
    }
    uint8_t pt[65];
    size_t olen = 0;
    if (mbedtls_ecp_point_write_binary(&kp->grp, &kp->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pt,
                                       sizeof(pt)) != 0 ||
        olen != sizeof(pt))
        return bo_keys_fail(msg, msg_size, BO_ERR_FORMAT, "key has no valid public point");
    memcpy(pub, pt + 1, 64);
    return BO_OK;
}
