/* bleota image verify: one verdict line per check, exit 0 only when every check passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/img.h"
#include "cli.h"
#include "image_cmds.h"
#include "image_delta.h"
#include "image_file.h"

static const char verify_usage[] =
    "usage: bleota image verify FILE [--pubkey PEM|HEX] [--aes-key HEX --aes-iv HEX]\n"
    "                           [--mchp-dev-keys] [--allow-unsigned] [--base OLD [--target NEW]]\n"
    "Checks an OTA file or a signed image and prints one verdict per check: checksum,\n"
    "decryption, structure, firmware signature, metadata signature, and with --pubkey\n"
    "authenticity: the image must rest on that key (ECDSA-signed metadata, MD_AUTH 2, covering\n"
    "the firmware by an ECDSA signature or its SHA-256); digest-only or unauthenticated images,\n"
    "which anyone can make, fail it.\n"
    "  --pubkey PEM|HEX  ECDSA public key: a PEM file, or X||Y as 128 hex digits (or a file of "
    "them)\n"
    "  --aes-key HEX     AES-128 key of an encrypted OTA file (32 hex digits)\n"
    "  --aes-iv HEX      its IV (32 hex digits)\n"
    "  --mchp-dev-keys   use Microchip's PUBLIC development keys for what is not given\n"
    "  --allow-unsigned  accept an image no key signed: auth method 0 (none) passes its checks\n"
    "                    and, with --pubkey, a digest-only or unauthenticated image passes\n"
    "                    authenticity\n"
    "  --base OLD        FILE is a delta patch (`image delta`): rebuild its image from OLD (a\n"
    "                    signed image or OTA file) and check that image\n"
    "  --target NEW      and the rebuilt image must be NEW byte for byte\n"
    "Exit: 0 all checks pass, 1 a check failed, 2 usage or unreadable input.\n";

typedef struct {
    int failed;
    char names[160];
} tally_t;

static void verdict(tally_t *t, const char *check, int ok, const char *detail)
{
    printf("%s: %s (%s)\n", check, ok ? "ok" : "FAIL", detail);
    if (!ok) {
        size_t n = strlen(t->names);
        snprintf(t->names + n, sizeof t->names - n, "%s%s", t->failed ? ", " : "", check);
        t->failed++;
    }
}

static void check_checksum(tally_t *t, const bo_image_file_t *f)
{
    char d[96];
    if (f->kind != BO_FILE_OTA) {
        verdict(t, "checksum", 1, "signed image: no OTA header, nothing to check");
        return;
    }
    int ok = f->hdr.checksum == f->expect_cks;
    if (ok) {
        snprintf(d, sizeof d, "0x%04X", f->hdr.checksum);
    } else {
        snprintf(d, sizeof d, "stored 0x%04X, contents need 0x%04X", f->hdr.checksum,
                 f->expect_cks);
    }
    verdict(t, "checksum", ok, d);
}

static void check_decryption(tally_t *t, const bo_image_file_t *f)
{
    size_t plen = f->len - BO_OTA_HDR_SIZE;
    if (f->kind != BO_FILE_OTA || !f->encrypted) {
        verdict(t, "decryption", 1, "not encrypted");
    } else if (plen % BO_AES_BLOCK != 0) {
        verdict(t, "decryption", 0, "encrypted payload is not a whole number of AES blocks");
    } else if (!f->decrypted) {
        verdict(t, "decryption", 0,
                "payload is encrypted: --aes-key and --aes-iv missing (or --mchp-dev-keys)");
    } else {
        verdict(t, "decryption", f->pad_ok,
                f->pad_ok ? "AES-128-CBC, PKCS#7 block valid"
                          : "PKCS#7 block invalid: wrong key or IV, or damaged payload");
    }
}

static void check_structure(tally_t *t, const bo_image_file_t *f)
{
    char d[160] = "";
    char v1[16], v2[16];
    if (f->kind == BO_FILE_OTA && !f->hdr_ok) {
        snprintf(d, sizeof d,
                 "OTA header invalid (HEADER_VER, FLASH_IMG_ENC, FILE_TYPE or reserved bytes)");
    } else if (f->kind == BO_FILE_OTA &&
               bo_img_check_payload_size((uint32_t)(f->len - BO_OTA_HDR_SIZE)) != BO_OK) {
        snprintf(d, sizeof d, "payload of %zu bytes: must be a non-zero multiple of 16, at most %u",
                 f->len - BO_OTA_HDR_SIZE, BO_IMG_MAX_PAYLOAD);
    } else if (f->img == NULL) {
        snprintf(d, sizeof d, "not checked: payload could not be decrypted");
    } else if (!f->md_ok) {
        snprintf(d, sizeof d,
                 "metadata header invalid (fixed fields, SEQ_NUM, methods, sizes or FW_IMG_LEN)");
    } else if (f->img_len != BO_MD_SIZE + (size_t)f->md.fw_len) {
        snprintf(d, sizeof d, "image is %zu bytes, metadata says 512 + FW_IMG_LEN %u", f->img_len,
                 f->md.fw_len);
    } else if (!f->sig_pad_ok) {
        snprintf(d, sizeof d, "bytes after a signature in its 72-byte field are not zero");
    } else if (f->kind == BO_FILE_OTA && f->hdr.version != f->md.fw_rev) {
        snprintf(d, sizeof d, "OTA header version %s differs from FW_IMG_REV %s",
                 bo_version_format(f->hdr.version, v1), bo_version_format(f->md.fw_rev, v2));
    }
    if (d[0] != '\0') {
        verdict(t, "structure", 0, d);
        return;
    }
    snprintf(d, sizeof d, "SEQ_NUM %u, FW_IMG_REV %s, FW_IMG_LEN %u", f->md.seq_num,
             bo_version_format(f->md.fw_rev, v1), f->md.fw_len);
    verdict(t, "structure", 1, d);
}

static const char *method_name(uint8_t m)
{
    return m == BO_AUTH_ECDSA ? "ECDSA P-256" : m == BO_AUTH_SHA256 ? "SHA-256 digest" : "none";
}

static void check_sig(tally_t *t, const char *check, const bo_image_file_t *f, int fw,
                      const bo_keyset_t *k, int allow_unsigned)
{
    char d[128];
    if (f->img == NULL || !f->md_ok || f->img_len < BO_MD_SIZE + (size_t)f->md.fw_len) {
        verdict(t, check, 0, "not checked: no readable metadata header and firmware");
        return;
    }
    uint8_t method = fw ? f->md.fw_auth : f->md.md_auth;
    uint8_t digest[BO_SHA256_SIZE];
    if (fw) {
        bo_sha256(f->img + BO_MD_SIZE, f->md.fw_len, digest);
    } else {
        bo_md_digest(f->img, digest);
    }
    if (method == BO_AUTH_NONE) {
        verdict(t, check, allow_unsigned,
                allow_unsigned ? "method none: not authenticated (--allow-unsigned)"
                               : "method none: not authenticated (--allow-unsigned to accept)");
        return;
    }
    if (method == BO_AUTH_ECDSA && !k->have_pub) {
        verdict(t, check, 0, "ECDSA signature: --pubkey missing (or --mchp-dev-keys)");
        return;
    }
    int rc = bo_img_check_sig(method, fw ? f->md.fw_sig : f->md.md_sig,
                              fw ? f->md.fw_sig_len : f->md.md_sig_len, digest, k->pub, 0x7u);
    if (rc == BO_OK) {
        snprintf(d, sizeof d, "%s, valid", method_name(method));
    } else if (rc == BO_ERR_AUTH) {
        snprintf(d, sizeof d, "%s does not match the %s", method_name(method),
                 fw ? "firmware" : "metadata");
    } else {
        snprintf(d, sizeof d, "%s: %s", method_name(method),
                 rc == BO_ERR_FORMAT ? "malformed signature or public key" : bo_err_str(rc));
    }
    verdict(t, check, rc == BO_OK, d);
}

/* With --pubkey the question is "did this key's holder make it": only ECDSA metadata (which
 * covers the firmware's digest or sits beside its ECDSA signature) answers it. */
static void check_authenticity(tally_t *t, const bo_image_file_t *f, int allow_unsigned)
{
    char d[320], why[128] = "";
    if (f->img == NULL || !f->md_ok) {
        verdict(t, "authenticity", 0, "not checked: no readable metadata header");
        return;
    }
    if (f->md.md_auth != BO_AUTH_ECDSA) {
        snprintf(why, sizeof why, "metadata MD_AUTH %u (%s)", f->md.md_auth,
                 method_name(f->md.md_auth));
    } else if (f->md.fw_auth != BO_AUTH_ECDSA && f->md.fw_auth != BO_AUTH_SHA256) {
        snprintf(why, sizeof why, "firmware FW_IMG_AUTH %u (%s) outside the ECDSA signature",
                 f->md.fw_auth, method_name(f->md.fw_auth));
    }
    if (why[0] == '\0') {
        verdict(t, "authenticity", 1,
                f->md.fw_auth == BO_AUTH_ECDSA
                    ? "rests on --pubkey: metadata and firmware ECDSA-signed"
                    : "rests on --pubkey: ECDSA-signed metadata carries the firmware's SHA-256");
    } else if (allow_unsigned) {
        snprintf(d, sizeof d, "not signed: %s, accepted by --allow-unsigned", why);
        verdict(t, "authenticity", 1, d);
    } else {
        snprintf(d, sizeof d,
                 "not signed: %s: anyone can make it, nothing rests on --pubkey; sign it with "
                 "`bleota image sign --key KEY.pem` (ECDSA), or accept it with --allow-unsigned",
                 why);
        verdict(t, "authenticity", 0, d);
    }
}

/* A delta patch: rebuilt from --base (and compared with --target), then checked as an image. */
static void check_patch(tally_t *t, bo_image_file_t *f, const bo_keyset_t *k, const char *base,
                        const char *target)
{
    char d[320], err[160];
    uint8_t *old = NULL, *nw = NULL, *img = NULL;
    size_t old_len = 0, new_len = 0, img_len = 0;
    bo_md_t md;
    if (!f->patch_ok) {
        verdict(t, "patch", 0, "delta patch header invalid (magic, version, CRC or lengths)");
        return;
    }
    if (base == NULL) {
        verdict(t, "patch", 0, "a delta patch: --base OLD (the image it applies to) is needed "
                               "to rebuild and check its image");
        return;
    }
    if (bo_delta_load_signed("image verify", "--base", base, k, &old, &old_len, &md) != 0) {
        verdict(t, "patch", 0, "--base could not be read (see above)");
        return;
    }
    if (bo_delta_apply_mem(f->img, f->img_len, old, old_len, &img, &img_len, err, sizeof err) !=
        0) {
        snprintf(d, sizeof d, "%s (--base %s)", err, base);
        verdict(t, "patch", 0, d);
    } else if (target != NULL &&
               (bo_delta_load_signed("image verify", "--target", target, k, &nw, &new_len, &md) !=
                    0 ||
                new_len != img_len || memcmp(nw, img, img_len) != 0)) {
        snprintf(d, sizeof d, "the rebuilt image differs from --target %s", target);
        verdict(t, "patch", 0, d);
    } else {
        snprintf(d, sizeof d, "applies to --base %s: %zu-byte image rebuilt%s", base, img_len,
                 target != NULL ? ", equal to --target" : "");
        verdict(t, "patch", 1, d);
        bo_image_file_use_rebuilt(f, img, img_len);
        img = NULL;
    }
    free(old);
    free(nw);
    free(img);
}

static int run_verify(int argc, char **argv)
{
    const char *pos[1], *aes_key = NULL, *aes_iv = NULL, *pubkey = NULL, *base = NULL,
                        *target = NULL;
    int dev = 0, allow_unsigned = 0, npos = 0;
    const bo_cli_opt_t opts[] = {{"--pubkey", NULL, &pubkey, NULL},
                                 {"--aes-key", NULL, &aes_key, NULL},
                                 {"--aes-iv", NULL, &aes_iv, NULL},
                                 {"--mchp-dev-keys", NULL, NULL, &dev},
                                 {"--allow-unsigned", NULL, NULL, &allow_unsigned},
                                 {"--base", NULL, &base, NULL},
                                 {"--target", NULL, &target, NULL},
                                 {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {"image verify", verify_usage, opts, pos, 1, 1};
    int rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO) {
        return rc;
    }
    bo_keyset_t k;
    if (bo_keyset_from_opts(&k, "image verify", aes_key, aes_iv, pubkey, dev) != 0) {
        return BO_EXIT_USAGE;
    }
    bo_image_file_t f;
    if (bo_image_file_load(&f, pos[0]) != 0) {
        return BO_EXIT_USAGE;
    }
    if (f.kind == BO_FILE_OTA && f.encrypted && k.have_aes) {
        bo_image_file_decrypt(&f, k.aes_key, k.aes_iv);
    }
    char v[16];
    printf("file: %s (%s, %zu bytes)\n", f.path,
           f.kind == BO_FILE_OTA ? "OTA file" : "signed image", f.len);
    if (f.kind == BO_FILE_OTA) {
        printf("image ID: 0x%08X\n", f.hdr.image_id);
        printf("version: %s\n", bo_version_format(f.hdr.version, v));
    } else if (f.md_ok) {
        printf("version: %s\n", bo_version_format(f.md.fw_rev, v));
    }
    tally_t t = {0, ""};
    check_checksum(&t, &f);
    check_decryption(&t, &f);
    if (f.img != NULL && f.is_patch) {
        check_patch(&t, &f, &k, base, target);
    }
    check_structure(&t, &f);
    check_sig(&t, "firmware signature", &f, 1, &k, allow_unsigned);
    check_sig(&t, "metadata signature", &f, 0, &k, allow_unsigned);
    if (pubkey != NULL) {
        check_authenticity(&t, &f, allow_unsigned);
    }
    if (t.failed) {
        printf("result: FAIL (%s)\n", t.names);
    } else {
        printf("result: PASS\n");
    }
    bo_image_file_free(&f);
    return t.failed ? BO_EXIT_FAIL : BO_EXIT_OK;
}

const bo_image_sub_t bo_image_verify = {
    "verify", "check checksum, decryption, structure and both signatures", run_verify};
