/* bleota image delta: a delta patch from the running release to the next one, as an ordinary
 * BLE OTA file (docs/delta.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/img.h"
#include "bo_hexstr.h"
#include "cli.h"
#include "delta_enc.h"
#include "image_cmds.h"
#include "image_delta.h"
#include "image_ota_write.h"

#define DELTA_WHAT "image delta"

static const char delta_usage[] =
    "usage: bleota image delta --from OLD --to NEW [--aes-key HEX --aes-iv HEX]\n"
    "                          [--mchp-dev-keys] [--id HEX] -o PATCH.ota\n"
    "Makes a delta patch that rebuilds NEW from OLD on the device, wrapped in a BLE OTA file\n"
    "like `image ota` makes (NEW's version, same image ID, encrypted with the key): any client\n"
    "sends it as it is. OLD must be the image the device runs (the device refuses a patch made\n"
    "for another one before writing anything); it then rebuilds NEW byte for byte into slot 1,\n"
    "where the bootloader authenticates it as if it had arrived whole.\n"
    "OLD and NEW: signed images from `bleota image sign`, or their OTA files (decrypted with the\n"
    "key); not ECDSA-signed ones are taken with a warning.\n"
    "  --from OLD       the image the device runs\n"
    "  --to NEW         the image to install\n"
    "  --aes-key HEX    AES-128 key (32 hex digits, with --aes-iv): decrypts OTA inputs and\n"
    "                   encrypts the patch; without it the patch is not encrypted\n"
    "  --aes-iv HEX     IV (32 hex digits)\n"
    "  --mchp-dev-keys  Microchip's PUBLIC development AES key and IV\n"
    "  --id HEX         FLASH_IMG_ID (default: NEW's OTA file's, else 0x9B000000)\n";

static int run_delta(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *aes_key = NULL, *aes_iv = NULL, *id_text = NULL,
               *out = NULL;
    int dev = 0, npos = 0;
    const bo_cli_opt_t opts[] = {{"--from", NULL, &from, NULL},
                                 {"--to", NULL, &to, NULL},
                                 {"--aes-key", NULL, &aes_key, NULL},
                                 {"--aes-iv", NULL, &aes_iv, NULL},
                                 {"--mchp-dev-keys", NULL, NULL, &dev},
                                 {"--id", NULL, &id_text, NULL},
                                 {"--output", "-o", &out, NULL},
                                 {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {DELTA_WHAT, delta_usage, opts, NULL, 0, 0};
    int rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO) {
        return rc;
    }
    if (from == NULL || to == NULL || out == NULL) {
        return bo_cli_err(DELTA_WHAT, "missing %s (see --help)",
                          from == NULL ? "--from OLD" : to == NULL ? "--to NEW" : "-o PATCH.ota");
    }
    bo_keyset_t k;
    if (bo_keyset_from_opts(&k, DELTA_WHAT, aes_key, aes_iv, NULL, dev) != 0) {
        return BO_EXIT_USAGE;
    }
    uint32_t id = BO_IMG_DEFAULT_ID;
    if (id_text != NULL && bo_parse_u32(id_text, 1, &id) != 0) {
        return bo_cli_err(DELTA_WHAT, "--id: bad hex '%s' (up to 8 hex digits)", id_text);
    }
    if (id_text == NULL) { /* NEW's OTA file names the image */
        bo_image_file_t f;
        if (bo_image_file_load(&f, to) == 0) {
            if (f.kind == BO_FILE_OTA && f.hdr_ok) {
                id = f.hdr.image_id;
            }
            bo_image_file_free(&f);
        }
    }
    uint8_t *old = NULL, *nw = NULL, *patch = NULL, *back = NULL;
    size_t old_len = 0, new_len = 0, patch_len = 0, back_len = 0;
    bo_md_t old_md, new_md;
    rc = bo_delta_load_signed(DELTA_WHAT, "--from", from, &k, &old, &old_len, &old_md);
    if (rc == 0) {
        rc = bo_delta_load_signed(DELTA_WHAT, "--to", to, &k, &nw, &new_len, &new_md);
    }
    char err[256], v1[16], v2[16];
    bo_delta_hdr_t h = {.target_rev = new_md.fw_rev};
    bo_delta_stats_t st = {0};
    if (rc == 0) {
        bo_delta_image_id(old, old_md.fw_len, h.base_id);
        if (bo_delta_make(old, (uint32_t)old_len, nw, (uint32_t)new_len, &h, &patch, &patch_len,
                          &st, err, sizeof err) != 0) {
            rc = bo_cli_err(DELTA_WHAT, "%s", err);
        }
    }
    /* the patch is proven before it is written: it rebuilds NEW exactly */
    if (rc == 0 && (bo_delta_apply_mem(patch, patch_len, old, old_len, &back, &back_len, err,
                                       sizeof err) != 0 ||
                    back_len != new_len || memcmp(back, nw, new_len) != 0)) {
        rc = bo_cli_err(DELTA_WHAT, "internal: the patch does not rebuild --to (%s)", err);
    }
    size_t flen = 0;
    if (rc == 0) {
        rc = bo_ota_file_write(DELTA_WHAT, patch, patch_len, new_md.fw_rev, id,
                               k.have_aes ? k.aes_key : NULL, k.aes_iv, out, &flen, NULL);
    }
    if (rc == 0) {
        printf("wrote %s: %zu bytes, %s, image ID 0x%08X, version %s\n", out, flen,
               k.have_aes ? "AES-128-CBC" : "not encrypted", id,
               bo_version_format(new_md.fw_rev, v2));
        printf("patch: %zu bytes for a %zu-byte image (%.1f %%): %s -> %s, %u blocks, %llu bytes "
               "from the base, %llu new\n",
               patch_len, new_len, 100.0 * (double)patch_len / (double)new_len,
               bo_version_format(old_md.fw_rev, v1), bo_version_format(new_md.fw_rev, v2),
               st.blocks, (unsigned long long)st.diff_bytes, (unsigned long long)st.extra_bytes);
        if (new_md.fw_rev <= old_md.fw_rev) {
            printf("note: NEW's version is not above OLD's: a device that keeps a version floor "
                   "refuses it\n");
        }
    }
    free(old);
    free(nw);
    free(patch);
    free(back);
    return rc;
}

const bo_image_sub_t bo_image_delta = {
    "delta", "OLD + NEW signed images -> delta patch as a BLE OTA file", run_delta};
