/* bleota image ota: signed image -> BLE OTA file (16-byte header + payload, maybe encrypted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/img.h"
#include "bo_fileio.h"
#include "bo_hexstr.h"
#include "cli.h"
#include "file_kind.h"
#include "image_cmds.h"
#include "image_ota_write.h"

#define OTA_WHAT "image ota"

static const char ota_usage[] =
    "usage: bleota image ota [--aes-key HEX --aes-iv HEX] [--id HEX] SIGNED -o OUT\n"
    "Wraps a signed image (from `bleota image sign`) into a BLE OTA file as Microchip's tool "
    "does:\n"
    "16-byte header (version and file type from the image) + payload. With a key the payload is\n"
    "AES-128-CBC encrypted with PKCS#7 padding (always one extra block of sixteen 0x10).\n"
    "  --aes-key HEX  AES-128 key, 32 hex digits (with --aes-iv)\n"
    "  --aes-iv HEX   IV, 32 hex digits\n"
    "  --id HEX       FLASH_IMG_ID (default 0x9B000000)\n"
    "An ELF, Intel HEX or raw firmware is refused with the `bleota image sign` command that\n"
    "makes the signed image; an OTA file is refused as one already.\n";

#define OTA_INPUT_MAX (64u * 1024u * 1024u) /* read ELF/HEX files too, to say what they are */

/* INPUT is not a signed image: say what it is and how to make one. */
static int not_signed(const char *path, const uint8_t *data, size_t len)
{
    char signed_name[1024];
    bo_kind_t kind = bo_kind_of(data, len);
    bo_kind_sibling(path, ".signed.bin", signed_name, sizeof signed_name);
    if (kind == BO_KIND_OTA) {
        return bo_cli_err(OTA_WHAT,
                          "%s is already an OTA file: send it with `bleota update --to LINK %s` "
                          "(image ota wraps a signed image from `bleota image sign`)",
                          path, path);
    }
    if (kind == BO_KIND_ELF || kind == BO_KIND_IHEX) {
        return bo_cli_err(OTA_WHAT,
                          "%s is %s, not a signed image: sign it first with `bleota image sign "
                          "--key KEY.pem --version A.B.C.D %s -o %s`",
                          path, bo_kind_desc(kind), path, signed_name);
    }
    if (len < BO_MD_SIZE) {
        return bo_cli_err(path,
                          "truncated: %zu bytes, a signed image is at least 528 (make one with "
                          "`bleota image sign`)",
                          len);
    }
    if (len > BO_MD_SIZE + BO_IMG_FW_MAX) {
        return bo_cli_err(path, "too large: %zu bytes, a signed image has at most %u", len,
                          BO_MD_SIZE + BO_IMG_FW_MAX);
    }
    return bo_cli_err(OTA_WHAT,
                      "%s is not a signed image (no valid metadata header): if it is raw "
                      "firmware, sign it first with `bleota image sign --key KEY.pem --version "
                      "A.B.C.D %s -o %s`",
                      path, path, signed_name);
}

/* Checks the signed image: its header parses and it is exactly 512 + FW_IMG_LEN bytes. */
static int check_signed(const char *path, const uint8_t *img, size_t len, bo_md_t *md)
{
    if (len < BO_MD_SIZE || bo_md_parse(img, md) != BO_OK) {
        return not_signed(path, img, len);
    }
    if (len != BO_MD_SIZE + (size_t)md->fw_len) {
        return bo_cli_err(path, "%s: %zu bytes, metadata says 512 + FW_IMG_LEN %u",
                          len < BO_MD_SIZE + (size_t)md->fw_len ? "truncated" : "trailing bytes",
                          len, md->fw_len);
    }
    return 0;
}

static int build_and_write(const uint8_t *img, size_t len, const bo_md_t *md, uint32_t id,
                           const uint8_t *key, const uint8_t *iv, const char *out)
{
    size_t flen;
    uint16_t cks;
    int rc = bo_ota_file_write(OTA_WHAT, img, len, md->fw_rev, id, key, iv, out, &flen, &cks);
    if (rc != 0) {
        return rc;
    }
    char v[16];
    printf("wrote %s: %zu bytes, %s, image ID 0x%08X, version %s, checksum 0x%04X\n", out, flen,
           key != NULL ? "AES-128-CBC" : "not encrypted", id, bo_version_format(md->fw_rev, v),
           cks);
    return BO_EXIT_OK;
}

static int run_ota(int argc, char **argv)
{
    const char *aes_key = NULL, *aes_iv = NULL, *id_text = NULL, *out = NULL, *pos[1];
    int npos = 0;
    const bo_cli_opt_t opts[] = {{"--aes-key", NULL, &aes_key, NULL},
                                 {"--aes-iv", NULL, &aes_iv, NULL},
                                 {"--id", NULL, &id_text, NULL},
                                 {"--output", "-o", &out, NULL},
                                 {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {OTA_WHAT, ota_usage, opts, pos, 1, 1};
    int rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO) {
        return rc;
    }
    uint8_t key[16], iv[16];
    uint32_t id = BO_IMG_DEFAULT_ID;
    if (out == NULL) {
        return bo_cli_err(OTA_WHAT, "missing -o OUT");
    }
    if ((aes_key == NULL) != (aes_iv == NULL)) {
        return bo_cli_err(OTA_WHAT, "%s needs %s too", aes_key ? "--aes-key" : "--aes-iv",
                          aes_key ? "--aes-iv" : "--aes-key");
    }
    if (aes_key != NULL && (bo_cli_hex16(OTA_WHAT, "--aes-key", aes_key, key) != 0 ||
                            bo_cli_hex16(OTA_WHAT, "--aes-iv", aes_iv, iv) != 0)) {
        return BO_EXIT_USAGE;
    }
    if (id_text != NULL && bo_parse_u32(id_text, 1, &id) != 0) {
        return bo_cli_err(OTA_WHAT, "--id: bad hex '%s' (up to 8 hex digits)", id_text);
    }
    uint8_t *img = NULL;
    size_t len = 0;
    char err[BO_ERRMSG_MAX];
    bo_md_t md;
    if (bo_file_read(pos[0], OTA_INPUT_MAX, &img, &len, err) != 0) {
        return bo_cli_err(pos[0], "%s", err);
    }
    rc = check_signed(pos[0], img, len, &md);
    if (rc == 0) {
        rc = build_and_write(img, len, &md, id, aes_key != NULL ? key : NULL, iv, out);
    }
    free(img);
    return rc;
}

const bo_image_sub_t bo_image_ota = {"ota", "signed image -> BLE OTA file (optionally encrypted)",
                                     run_ota};
