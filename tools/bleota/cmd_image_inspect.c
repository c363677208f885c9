/* bleota image inspect: every field of an OTA file or a signed image, as text or JSON. */
#include <stdio.h>
#include <string.h>

#include "bleota/endian.h"
#include "bleota/img.h"
#include "cli.h"
#include "image_cmds.h"
#include "image_emit.h"
#include "image_file.h"

static const char inspect_usage[] =
    "usage: bleota image inspect FILE [--json] [--aes-key HEX --aes-iv HEX] [--mchp-dev-keys]\n"
    "Prints every field of an OTA file or a signed image (detected by content). An encrypted\n"
    "OTA payload is decrypted when a key is given; otherwise the header is shown and the\n"
    "payload reported as encrypted. Nothing is verified here: see `bleota image verify`.\n"
    "install: trial (bleota's default: the application confirms with bo_boot_confirm(), else\n"
    "the bootloader reverts it) or permanent (`image sign --permanent`, Microchip's images).\n"
    "  --json  machine-readable output\n";

static const char *auth_name(uint8_t m)
{
    return m == BO_AUTH_NONE     ? "none"
           : m == BO_AUTH_SHA256 ? "sha256"
           : m == BO_AUTH_ECDSA  ? "ecdsa"
                                 : "unknown";
}

static void emit_version(bo_emit_t *e, const char *key, uint32_t v)
{
    char buf[16], k[40];
    bo_emit_str(e, key, bo_version_format(v, buf));
    snprintf(k, sizeof k, "%s_raw", key);
    bo_emit_hex32(e, k, v, 8);
}

static void emit_ota_header(bo_emit_t *e, const bo_image_file_t *f)
{
    bo_emit_begin(e, "ota_header");
    bo_emit_bool(e, "valid", f->hdr_ok);
    bo_emit_uint(e, "header_ver", f->hdr.header_ver);
    bo_emit_str(e, "encryption",
                f->hdr.enc == 0   ? "none"
                : f->hdr.enc == 1 ? "aes-128-cbc"
                                  : "unknown");
    bo_emit_hex32(e, "checksum", f->hdr.checksum, 4);
    bo_emit_bool(e, "checksum_ok", f->hdr.checksum == f->expect_cks);
    bo_emit_hex32(e, "image_id", f->hdr.image_id, 8);
    emit_version(e, "version", f->hdr.version);
    bo_emit_uint(e, "file_type", f->hdr.file_type);
    bo_emit_end(e);
    bo_emit_begin(e, "payload");
    bo_emit_uint(e, "size", (uint32_t)(f->len - BO_OTA_HDR_SIZE));
    bo_emit_bool(e, "encrypted", f->encrypted);
    if (f->encrypted) {
        bo_emit_bool(e, "decrypted", f->decrypted);
        if (f->decrypted) {
            bo_emit_bool(e, "padding_ok", f->pad_ok);
        } else {
            bo_emit_str(e, "note",
                        "payload is encrypted: give --aes-key/--aes-iv to see the metadata");
        }
    }
    bo_emit_end(e);
}

/* A delta patch instead of an image (docs/delta.md): what it needs and what it makes. */
static void emit_patch(bo_emit_t *e, const bo_image_file_t *f)
{
    bo_emit_begin(e, "delta_patch");
    bo_emit_bool(e, "valid", f->patch_ok);
    if (f->patch_ok) {
        bo_emit_bytes(e, "base_id", f->patch.base_id, sizeof f->patch.base_id);
        bo_emit_uint(e, "base_len", f->patch.base_len);
        emit_version(e, "target_version", f->patch.target_rev);
        bo_emit_uint(e, "target_len", f->patch.target_len);
        bo_emit_uint(e, "patch_len", f->patch.patch_len);
        bo_emit_uint(e, "blocks",
                     (f->patch.patch_len + BO_DELTA_BLOCK - 1u) / BO_DELTA_BLOCK);
        bo_emit_str(e, "note",
                    "rebuilds the target from the base on the device; `image verify --base "
                    "OLD` checks it");
    }
    bo_emit_end(e);
}

static void emit_sig(bo_emit_t *e, const char *key, const uint8_t *p)
{
    uint8_t n = p[0];
    char k[40];
    snprintf(k, sizeof k, "%s_size", key);
    bo_emit_uint(e, k, n);
    bo_emit_bytes(e, key, p + 1, n <= BO_MD_SIG_MAX ? n : BO_MD_SIG_MAX);
}

/* How the bootloader installs it, from bleota's extension (Microchip's images have none). */
static void emit_install(bo_emit_t *e, const uint8_t *m)
{
    int ext = memcmp(&m[BO_MD_OFF_EXT_MAGIC], BO_MD_EXT_MAGIC, 4) == 0;
    uint8_t flags = ext ? m[BO_MD_OFF_EXT_FLAGS] : 0u;
    bo_emit_hex32(e, "flags", flags, 2);
    if ((flags & BO_MD_FLAG_TRIAL) == 0u) {
        bo_emit_str(e, "install", "permanent");
    } else {
        bo_emit_str(e, "install",
                    e->json ? "trial" : "trial (application confirms with bo_boot_confirm())");
    }
}

/* Raw fields straight from the bytes, so a damaged header still shows what it holds. */
static void emit_metadata(bo_emit_t *e, const bo_image_file_t *f)
{
    const uint8_t *m = f->img;
    uint8_t d[BO_SHA256_SIZE];
    char manu[5] = {0};
    int printable = 1;
    bo_emit_begin(e, "metadata");
    bo_emit_bool(e, "valid", f->md_ok);
    bo_emit_bytes(e, "fillers", m, 8);
    for (int i = 0; i < 4; i++) {
        manu[i] = (char)m[BO_MD_OFF_MANU + i];
        printable &= m[BO_MD_OFF_MANU + i] >= 0x20 && m[BO_MD_OFF_MANU + i] < 0x7F;
    }
    if (printable) {
        bo_emit_str(e, "manu_id", manu);
    } else {
        bo_emit_bytes(e, "manu_id", &m[BO_MD_OFF_MANU], 4);
    }
    bo_emit_bytes(e, "filler3", &m[0x0C], 4);
    bo_emit_uint(e, "seq_num", bo_get_le32(&m[BO_MD_OFF_SEQ]));
    bo_emit_uint(e, "md_rev", m[0x14]);
    bo_emit_uint(e, "cont_idx", m[0x15]);
    bo_emit_str(e, "md_auth", auth_name(m[BO_MD_OFF_MD_AUTH]));
    bo_emit_uint(e, "md_auth_mthd", m[BO_MD_OFF_MD_AUTH]);
    bo_emit_uint(e, "md_auth_key", m[0x17]);
    bo_emit_uint(e, "pl_dec_mthd", m[0x18]);
    bo_emit_uint(e, "pl_dec_key", m[0x19]);
    bo_emit_hex32(e, "pl_len", bo_get_le16(&m[0x1A]), 4);
    emit_version(e, "fw_rev", bo_get_le32(&m[BO_MD_OFF_FW_REV]));
    bo_emit_uint(e, "fw_len", bo_get_le32(&m[BO_MD_OFF_FW_LEN]));
    bo_emit_str(e, "fw_auth", auth_name(m[BO_MD_OFF_FW_AUTH]));
    bo_emit_uint(e, "fw_auth_mthd", m[BO_MD_OFF_FW_AUTH]);
    bo_emit_uint(e, "fw_auth_key", m[0x25]);
    bo_emit_uint(e, "fw_dec_mthd", m[0x26]);
    bo_emit_uint(e, "fw_dec_key", m[0x27]);
    emit_sig(e, "fw_sig", &m[BO_MD_OFF_FW_SIG_SZ]);
    emit_sig(e, "md_sig", &m[BO_MD_OFF_MD_SIG_SZ]);
    emit_install(e, m);
    bo_md_digest(m, d);
    bo_emit_bytes(e, "md_digest", d, sizeof d);
    uint32_t fw_len = bo_get_le32(&m[BO_MD_OFF_FW_LEN]);
    if (fw_len <= f->img_len - BO_MD_SIZE) {
        bo_sha256(m + BO_MD_SIZE, fw_len, d);
        bo_emit_bytes(e, "fw_digest", d, sizeof d);
    }
    bo_emit_uint(e, "image_size", (uint32_t)f->img_len);
    bo_emit_end(e);
}

static int run_inspect(int argc, char **argv)
{
    const char *pos[1], *aes_key = NULL, *aes_iv = NULL;
    int json = 0, dev = 0, npos = 0;
    const bo_cli_opt_t opts[] = {{"--json", NULL, NULL, &json},
                                 {"--aes-key", NULL, &aes_key, NULL},
                                 {"--aes-iv", NULL, &aes_iv, NULL},
                                 {"--mchp-dev-keys", NULL, NULL, &dev},
                                 {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {"image inspect", inspect_usage, opts, pos, 1, 1};
    int rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO) {
        return rc;
    }
    bo_keyset_t k;
    bo_image_file_t f;
    if (bo_keyset_from_opts(&k, "image inspect", aes_key, aes_iv, NULL, dev) != 0 ||
        bo_image_file_load(&f, pos[0]) != 0) {
        return BO_EXIT_USAGE;
    }
    if (f.kind == BO_FILE_OTA && f.encrypted && k.have_aes) {
        bo_image_file_decrypt(&f, k.aes_key, k.aes_iv);
    }
    bo_emit_t e = {json, 0, 1};
    bo_emit_begin(&e, NULL);
    bo_emit_str(&e, "file", f.path);
    bo_emit_str(&e, "kind", f.kind == BO_FILE_OTA ? "ota" : "signed");
    bo_emit_uint(&e, "size", (uint32_t)f.len);
    if (f.kind == BO_FILE_OTA) {
        emit_ota_header(&e, &f);
    }
    if (f.img != NULL && f.is_patch) {
        emit_patch(&e, &f);
    } else if (f.img != NULL && f.img_len >= BO_MD_SIZE) {
        emit_metadata(&e, &f);
    }
    bo_emit_end(&e);
    bo_image_file_free(&f);
    return BO_EXIT_OK;
}

const bo_image_sub_t bo_image_inspect = {
    "inspect", "print every field of an OTA file or signed image", run_inspect};
