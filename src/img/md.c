/* The 512-byte metadata header at the start of a slot (reference §4.2-§4.3). */
#include <string.h>

#include "bleota/endian.h"
#include "bleota/img.h"

#define MD_OFF_MD_AUTH_KEY 0x017u
#define MD_OFF_PL_DEC_MTHD 0x018u
#define MD_OFF_PL_DEC_KEY 0x019u
#define MD_OFF_PL_LEN 0x01Au
#define MD_OFF_CONT_IDX 0x015u
#define MD_REV_BZ2 0x02u
#define MD_CONT_IDX_PLAIN 0x01u
#define MD_PL_LEN 0x0055u
#if defined(__GNUC__)
#define MD_NOINLINE __attribute__((noinline))
#else
#define MD_NOINLINE
#endif
#define MD_EXT_MAGIC_LE 0x41544F42u /* BO_MD_EXT_MAGIC "BOTA" read little-endian */

/* What Microchip's bootloader checks before anything else: the fixed bytes 0x00..0x1B with
 * MANU_IDENTIFIER, SEQ_NUM and MD_AUTH_MTHD masked out. */
static int reference_structure_ok(const uint8_t *in)
{
    return (bo_get_le32(&in[0x000]) | bo_get_le32(&in[0x004]) | bo_get_le32(&in[0x00C])) == 0u &&
           in[BO_MD_OFF_MD_REV] == MD_REV_BZ2 && in[MD_OFF_CONT_IDX] == MD_CONT_IDX_PLAIN &&
           in[MD_OFF_MD_AUTH_KEY] == 0u && in[MD_OFF_PL_DEC_MTHD] == 0u &&
           in[MD_OFF_PL_DEC_KEY] == 0u && bo_get_le16(&in[MD_OFF_PL_LEN]) == MD_PL_LEN;
}

/* A signature field into its 72-byte copy, zero past its length (all 72 bytes lie inside the
 * header: the field is 72 bytes wide). Not inlined: one copy of the loop for both fields. */
MD_NOINLINE static void copy_sig(uint8_t dst[BO_MD_SIG_MAX], const uint8_t *src, uint8_t len)
{
    for (uint32_t i = 0; i < BO_MD_SIG_MAX; i++) {
        dst[i] = i < len ? src[i] : 0u;
    }
}

int bo_md_parse(const uint8_t in[BO_MD_SIZE], bo_md_t *out)
{
    if (in == NULL || out == NULL) {
        return BO_ERR_ARG;
    }
    if (!reference_structure_ok(in)) {
        return BO_ERR_FORMAT;
    }
    uint32_t seq = bo_get_le32(&in[BO_MD_OFF_SEQ]);
    uint32_t fw_len = bo_get_le32(&in[BO_MD_OFF_FW_LEN]);
    uint8_t md_auth = in[BO_MD_OFF_MD_AUTH];
    uint8_t fw_auth = in[BO_MD_OFF_FW_AUTH];
    uint8_t fw_sig_len = in[BO_MD_OFF_FW_SIG_SZ];
    uint8_t md_sig_len = in[BO_MD_OFF_MD_SIG_SZ];
    if (seq == 0u || seq == 0xFFFFFFFFu) {
        return BO_ERR_FORMAT; /* the bootloader treats these as an empty slot */
    }
    if (fw_len == 0u || fw_len % BO_IMG_UNIT != 0u || fw_len > BO_IMG_FW_MAX) {
        return BO_ERR_FORMAT;
    }
    if (bo_img_sig_size_ok(fw_auth, &in[BO_MD_OFF_FW_SIG], fw_sig_len) != BO_OK ||
        bo_img_sig_size_ok(md_auth, &in[BO_MD_OFF_MD_SIG], md_sig_len) != BO_OK) {
        return BO_ERR_FORMAT;
    }
    memcpy(out->manu_id, &in[BO_MD_OFF_MANU], sizeof out->manu_id);
    out->seq_num = seq;
    out->md_auth = md_auth;
    out->fw_rev = bo_get_le32(&in[BO_MD_OFF_FW_REV]);
    out->fw_len = fw_len;
    out->fw_auth = fw_auth;
    out->fw_sig_len = fw_sig_len;
    copy_sig(out->fw_sig, &in[BO_MD_OFF_FW_SIG], fw_sig_len);
    out->md_sig_len = md_sig_len;
    copy_sig(out->md_sig, &in[BO_MD_OFF_MD_SIG], md_sig_len);
    out->flags =
        bo_get_le32(&in[BO_MD_OFF_EXT_MAGIC]) == MD_EXT_MAGIC_LE ? in[BO_MD_OFF_EXT_FLAGS] : 0u;
    return BO_OK;
}

void bo_md_build(const bo_md_t *md, uint8_t out[BO_MD_SIZE])
{
    uint8_t fw_len = md->fw_sig_len <= BO_MD_SIG_MAX ? md->fw_sig_len : (uint8_t)BO_MD_SIG_MAX;
    uint8_t md_len = md->md_sig_len <= BO_MD_SIG_MAX ? md->md_sig_len : (uint8_t)BO_MD_SIG_MAX;

    memset(out, 0, BO_MD_SIZE);
    memcpy(&out[BO_MD_OFF_MANU], md->manu_id, sizeof md->manu_id);
    bo_put_le32(&out[BO_MD_OFF_SEQ], md->seq_num);
    out[BO_MD_OFF_MD_REV] = MD_REV_BZ2;
    out[MD_OFF_CONT_IDX] = MD_CONT_IDX_PLAIN;
    out[BO_MD_OFF_MD_AUTH] = md->md_auth;
    bo_put_le16(&out[MD_OFF_PL_LEN], MD_PL_LEN);
    bo_put_le32(&out[BO_MD_OFF_FW_REV], md->fw_rev);
    bo_put_le32(&out[BO_MD_OFF_FW_LEN], md->fw_len);
    out[BO_MD_OFF_FW_AUTH] = md->fw_auth;
    out[BO_MD_OFF_FW_SIG_SZ] = fw_len;
    memcpy(&out[BO_MD_OFF_FW_SIG], md->fw_sig, fw_len);
    out[BO_MD_OFF_MD_SIG_SZ] = md_len;
    memcpy(&out[BO_MD_OFF_MD_SIG], md->md_sig, md_len);
    if (md->flags != 0u) {
        memcpy(&out[BO_MD_OFF_EXT_MAGIC], BO_MD_EXT_MAGIC, 4u);
        out[BO_MD_OFF_EXT_FLAGS] = md->flags;
    }
}

void bo_md_digest(const uint8_t md[BO_MD_SIZE], uint8_t out[BO_SHA256_SIZE])
{
    /* MD_SIG_SZ and MD_SIG run to the end of the header: hash the rest, then zeros for them
     * (from the stack: no 73-byte table in the bootloader's flash). */
    uint8_t zeros[BO_MD_SIZE - BO_MD_OFF_MD_SIG_SZ];
    bo_sha256_t ctx;
    memset(zeros, 0, sizeof zeros);
    bo_sha256_init(&ctx);
    bo_sha256_update(&ctx, &md[BO_MD_SIGNED_OFF], BO_MD_OFF_MD_SIG_SZ - BO_MD_SIGNED_OFF);
    bo_sha256_update(&ctx, zeros, sizeof zeros);
    bo_sha256_final(&ctx, out);
}
