/* bleota image sign: firmware (raw, Intel HEX or ELF) -> metadata header + firmware. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/img.h"
#include "bleota/layout_bz2.h"
#include "bo_fileio.h"
#include "bo_hexstr.h"
#include "bo_keys.h"
#include "bo_memimg.h"
#include "cli.h"
#include "image_cmds.h"
#include "image_file.h"
#include "image_vectors.h"

#define SIGN_WHAT "image sign"
#define INPUT_FILE_MAX (64u * 1024u * 1024u) /* HEX/ELF files are larger than their bytes */
/* The largest image any update path takes: BLE OTA and serial DFU both write only the download
 * slot, up to its limit (the rest of slot 1 is never written by a download). */
#define IMAGE_MAX BO_BZ2_DL_LIMIT
#define FW_MAX (IMAGE_MAX - BO_MD_SIZE)
_Static_assert(IMAGE_MAX == BO_IMG_MAX_PAYLOAD, "BLE and serial DFU share one size limit");

static const char sign_usage[] =
    "usage: bleota image sign --key KEY.pem --version A.B.C.D [--seq N] [--auth "
    "ecdsa|sha256|none]\n"
    "                         [--fw-auth ecdsa|sha256] [--base ADDR] [--manu ABCD]\n"
    "                         [--permanent] [--no-vector-check] INPUT -o OUT\n"
    "INPUT is a raw binary (firmware bytes), an Intel HEX or an ELF file (told apart by content).\n"
    "For HEX/ELF the bytes from --base (default 0x01000200, slot 0 firmware) up to the slot end\n"
    "(--base + 0x7FE00) are taken, gaps read 0xFF; the firmware is padded with 0xFF to 16.\n"
    "ELF segments whose load ranges overlap are refused; HEX records may repeat a byte only\n"
    "with the same value.\n"
    "OUT = 512-byte metadata header (FW_IMG_REV, SEQ_NUM, both signatures) + firmware, at most\n"
    "507904 bytes (the download slot: BLE OTA and serial DFU alike).\n"
    "  --key KEY.pem  ECDSA P-256 private key, PKCS#8 or SEC1 PEM (needed for --auth ecdsa)\n"
    "  --version V    firmware version A.B.C.D, each 0..255, no leading zeros\n"
    "  --seq N        SEQ_NUM, 1..0xFFFFFFFE (default 1)\n"
    "  --auth M       metadata: ecdsa (default), sha256 (digest only) or none\n"
    "  --fw-auth M    firmware field: sha256 (default with --auth ecdsa: signed-digest mode, the\n"
    "                 firmware's SHA-256 inside the ECDSA-signed header, one ECDSA verification\n"
    "                 per update; Microchip's bootloader accepts it) or ecdsa (a second ECDSA\n"
    "                 signature over the firmware: Microchip-style 2/2 images). Without\n"
    "                 --auth ecdsa the firmware field follows --auth.\n"
    "  --base ADDR    where INPUT's vector table is linked (default 0x01000200, BZ2 slot 0)\n"
    "  --manu ABCD    MANU_IDENTIFIER, 4 characters (default MCHP)\n"
    "  --permanent    install without trial, never reverted: no bleota flags in the header,\n"
    "                 byte for byte what Microchip's tools make. Default: a trial image (flag\n"
    "                 in bleota's signed header extension): the application must call\n"
    "                 bo_boot_confirm() after its self-test, or the bootloader reverts it at\n"
    "                 the next reset\n"
    "  --no-vector-check  sign firmware whose vector table cannot boot (initial SP outside RAM,\n"
    "                 reset vector outside the image or without the Thumb bit), otherwise\n"
    "                 refused\n";

typedef struct {
    const char *key, *version, *seq, *auth, *base, *manu, *out, *input, *fw_auth;
    int no_vector_check, permanent;
} sign_opts_t;

typedef struct {
    bo_md_t md;
    uint32_t base;
    int have_key;
    bo_key_t key;
} sign_job_t;

static int parse_auth(const char *s, uint8_t *m)
{
    if (strcmp(s, "ecdsa") == 0) {
        *m = BO_AUTH_ECDSA;
    } else if (strcmp(s, "sha256") == 0) {
        *m = BO_AUTH_SHA256;
    } else if (strcmp(s, "none") == 0) {
        *m = BO_AUTH_NONE;
    } else {
        return -1;
    }
    return 0;
}

/* Options -> job (everything checked before any input is read). */
static int prepare(const sign_opts_t *o, sign_job_t *j)
{
    memset(j, 0, sizeof *j);
    memcpy(j->md.manu_id, "MCHP", 4);
    j->md.seq_num = 1;
    j->md.flags = o->permanent ? 0u : BO_MD_FLAG_TRIAL;
    j->base = BO_BZ2_FW_ADDR;
    if (o->out == NULL) {
        return bo_cli_err(SIGN_WHAT, "missing -o OUT");
    }
    if (o->version == NULL) {
        return bo_cli_err(SIGN_WHAT, "missing --version A.B.C.D");
    }
    if (bo_version_parse(o->version, &j->md.fw_rev) != BO_OK) {
        return bo_cli_err(SIGN_WHAT, "--version: bad version '%s' (want A.B.C.D, each 0..255)",
                          o->version);
    }
    if (o->seq != NULL && (bo_parse_u32(o->seq, 0, &j->md.seq_num) != 0 || j->md.seq_num == 0u ||
                           j->md.seq_num == 0xFFFFFFFFu)) {
        return bo_cli_err(SIGN_WHAT, "--seq: bad sequence number '%s' (1..0xFFFFFFFE)", o->seq);
    }
    if (parse_auth(o->auth, &j->md.md_auth) != 0) {
        return bo_cli_err(SIGN_WHAT, "--auth: unknown method '%s' (ecdsa, sha256 or none)",
                          o->auth);
    }
    /* Signed-digest by default: the firmware's SHA-256 is covered by the metadata signature. */
    j->md.fw_auth = j->md.md_auth == BO_AUTH_ECDSA ? BO_AUTH_SHA256 : j->md.md_auth;
    if (o->fw_auth != NULL) {
        if ((strcmp(o->fw_auth, "ecdsa") != 0 && strcmp(o->fw_auth, "sha256") != 0) ||
            parse_auth(o->fw_auth, &j->md.fw_auth) != 0) {
            return bo_cli_err(SIGN_WHAT, "--fw-auth: unknown method '%s' (ecdsa or sha256)",
                              o->fw_auth);
        }
        if (j->md.fw_auth == BO_AUTH_ECDSA && j->md.md_auth != BO_AUTH_ECDSA) {
            return bo_cli_err(SIGN_WHAT, "--fw-auth ecdsa needs --auth ecdsa");
        }
    }
    if (o->base != NULL && bo_parse_u32(o->base, 0, &j->base) != 0) {
        return bo_cli_err(SIGN_WHAT, "--base: bad address '%s'", o->base);
    }
    if (o->manu != NULL) {
        if (strlen(o->manu) != 4) {
            return bo_cli_err(SIGN_WHAT, "--manu: '%s' is not 4 characters", o->manu);
        }
        memcpy(j->md.manu_id, o->manu, 4);
    }
    if (j->md.md_auth == BO_AUTH_ECDSA) {
        char msg[BO_KEYS_MSG_MAX];
        if (o->key == NULL) {
            return bo_cli_err(SIGN_WHAT, "missing --key KEY.pem (needed for --auth ecdsa)");
        }
        if (bo_key_load(&j->key, o->key, msg, sizeof msg) != BO_OK) {
            return bo_cli_err(o->key, "%s", msg);
        }
        j->have_key = 1;
        if (memcmp(j->key.pub, bo_mchp_dev_pub, sizeof j->key.pub) == 0) {
            bo_cli_warn("%s is Microchip's PUBLIC development key: anyone can sign for it", o->key);
        }
    }
    return 0;
}

/* Firmware that no update path takes. */
static int too_large(const char *path, size_t fw_bytes)
{
    return bo_cli_err(path,
                      "too large for every update path: %zu bytes of firmware, at most %u fit "
                      "(%u-byte image limit of the download slot, BLE OTA and serial DFU alike)",
                      fw_bytes, FW_MAX, IMAGE_MAX);
}

/* Places INPUT's bytes into m (window from base). 0, or -1 after printing the error. */
static int load_input(const char *path, bo_memimg_t *m, bo_input_kind_t *kind)
{
    uint8_t *data = NULL;
    size_t len = 0;
    char err[BO_ERRMSG_MAX];
    if (bo_file_read(path, INPUT_FILE_MAX, &data, &len, err) != 0) {
        bo_cli_err(path, "%s", err);
        return -1;
    }
    *kind = bo_input_detect(data, len);
    int rc = 0;
    if (len == 0) {
        rc = bo_cli_err(path, "empty input");
    } else if (*kind == BO_INPUT_RAW && len > FW_MAX) {
        rc = too_large(path, len);
    } else if (*kind == BO_INPUT_RAW) {
        (void)bo_memimg_put(m, m->base, data, len); /* into an empty window: no conflict */
    } else if ((*kind == BO_INPUT_IHEX ? bo_ihex_load(data, len, m, err)
                                       : bo_elf_load(data, len, m, err)) != 0) {
        rc = bo_cli_err(path, "%s", err);
    }
    free(data);
    return rc == 0 ? 0 : -1;
}

/* The bootloader jumps through the vector table: one that cannot boot is refused, whatever the
 * input format (a raw binary is taken as linked at --base). */
static int check_vectors(const char *path, const uint8_t *fw, uint32_t len, uint32_t base)
{
    char why[256];
    if (bo_vectors_check(fw, len, base, why, sizeof why) == 0) {
        return 0;
    }
    return bo_cli_err(path, "this firmware cannot boot: %s (or sign anyway: --no-vector-check)",
                      why);
}

/* Reads INPUT into fw (BO_IMG_FW_MAX bytes of 0xFF) and returns the firmware length padded to
 * 16, or 0 after printing the error. */
static uint32_t load_firmware(const char *path, uint32_t base, int vector_check, uint8_t *fw)
{
    bo_memimg_t m;
    bo_input_kind_t kind;
    if (bo_memimg_init(&m, fw, base, BO_IMG_FW_MAX) != 0) {
        bo_cli_err(SIGN_WHAT, "out of memory");
        return 0;
    }
    int rc = load_input(path, &m, &kind);
    bo_memimg_free(&m);
    if (rc != 0) {
        return 0;
    }
    if (m.end == 0) {
        bo_cli_err(path, "%s has no data at or above 0x%08X (see --base)", bo_input_name(kind),
                   base);
        return 0;
    }
    uint32_t fw_len = (m.end + BO_IMG_UNIT - 1u) / BO_IMG_UNIT * BO_IMG_UNIT;
    if (fw_len > FW_MAX) {
        too_large(path, fw_len);
        return 0;
    }
    if (vector_check && check_vectors(path, fw, m.end, base) != 0) {
        return 0;
    }
    if (m.cropped > 0) {
        bo_cli_warn("%s: %" PRIu64 " bytes above 0x%08X (slot end) left out", path, m.cropped,
                    base + BO_IMG_FW_MAX);
    }
    return fw_len;
}

/* Fills one signature field for method over digest. */
static int sign_field(sign_job_t *j, uint8_t method, const uint8_t digest[BO_SHA256_SIZE],
                      uint8_t *sig, uint8_t *sig_len)
{
    if (method == BO_AUTH_SHA256) {
        memcpy(sig, digest, BO_SHA256_SIZE);
        *sig_len = BO_SHA256_SIZE;
    } else if (method == BO_AUTH_ECDSA) {
        size_t n = 0;
        char msg[BO_KEYS_MSG_MAX];
        if (bo_key_sign(&j->key, digest, sig, &n, msg, sizeof msg) != BO_OK) {
            return bo_cli_err(SIGN_WHAT, "signing failed: %s", msg);
        }
        *sig_len = (uint8_t)n;
    } else {
        *sig_len = 0;
    }
    return 0;
}

static int sign_and_write(sign_job_t *j, uint8_t *img, const char *out)
{
    uint8_t digest[BO_SHA256_SIZE];
    bo_sha256(img + BO_MD_SIZE, j->md.fw_len, digest);
    if (sign_field(j, j->md.fw_auth, digest, j->md.fw_sig, &j->md.fw_sig_len) != 0) {
        return BO_EXIT_USAGE;
    }
    bo_md_build(&j->md, img); /* MD_SIG empty: the digest zeroes it anyway */
    bo_md_digest(img, digest);
    if (sign_field(j, j->md.md_auth, digest, j->md.md_sig, &j->md.md_sig_len) != 0) {
        return BO_EXIT_USAGE;
    }
    bo_md_build(&j->md, img);
    bo_md_t check;
    if (bo_md_parse(img, &check) != BO_OK) { /* never expected: the builder and parser disagree */
        return bo_cli_err(SIGN_WHAT, "internal error: built header does not parse");
    }
    char err[BO_ERRMSG_MAX], v[16];
    size_t total = BO_MD_SIZE + (size_t)j->md.fw_len;
    if (bo_file_write_atomic(out, img, total, 0u, err) != 0) {
        return bo_cli_err(out, "%s", err);
    }
    printf("wrote %s: %zu bytes, version %s, SEQ_NUM %u, FW_IMG_LEN %u, auth %u", out, total,
           bo_version_format(j->md.fw_rev, v), j->md.seq_num, j->md.fw_len, j->md.md_auth);
    if (j->md.fw_auth != j->md.md_auth) {
        printf(", firmware auth %u", j->md.fw_auth);
    }
    printf("\n%s\n", j->md.flags & BO_MD_FLAG_TRIAL
                         ? "trial image: the application must call bo_boot_confirm() after its "
                           "self-test, or the bootloader reverts it at the next reset"
                         : "permanent image: installed without trial, never reverted");
    if (total + BO_AES_BLOCK > BO_IMG_MAX_PAYLOAD) {
        bo_cli_warn("%zu bytes: fits a BLE OTA file only unencrypted (payload limit %u)", total,
                    BO_IMG_MAX_PAYLOAD);
    }
    return BO_EXIT_OK;
}

static int run_sign(int argc, char **argv)
{
    sign_opts_t o = {NULL, NULL, NULL, "ecdsa", NULL, NULL, NULL, NULL, NULL, 0, 0};
    const char *pos[1];
    int npos = 0;
    const bo_cli_opt_t opts[] = {{"--key", NULL, &o.key, NULL},
                                 {"--version", NULL, &o.version, NULL},
                                 {"--seq", NULL, &o.seq, NULL},
                                 {"--auth", NULL, &o.auth, NULL},
                                 {"--base", NULL, &o.base, NULL},
                                 {"--manu", NULL, &o.manu, NULL},
                                 {"--fw-auth", NULL, &o.fw_auth, NULL},
                                 {"--no-vector-check", NULL, NULL, &o.no_vector_check},
                                 {"--permanent", NULL, NULL, &o.permanent},
                                 {"--output", "-o", &o.out, NULL},
                                 {NULL, NULL, NULL, NULL}};
    const bo_cli_spec_t spec = {SIGN_WHAT, sign_usage, opts, pos, 1, 1};
    int rc = bo_cli_parse(&spec, argc, argv, &npos);
    if (rc != BO_CLI_GO) {
        return rc;
    }
    sign_job_t j;
    if (prepare(&o, &j) != 0) {
        return BO_EXIT_USAGE;
    }
    uint8_t *img = malloc(BO_MD_SIZE + BO_IMG_FW_MAX);
    if (img == NULL) {
        bo_key_wipe(&j.key);
        return bo_cli_err(SIGN_WHAT, "out of memory");
    }
    j.md.fw_len = load_firmware(pos[0], j.base, !o.no_vector_check, img + BO_MD_SIZE);
    rc = j.md.fw_len == 0 ? BO_EXIT_USAGE : sign_and_write(&j, img, o.out);
    free(img);
    bo_key_wipe(&j.key);
    return rc;
}

const bo_image_sub_t bo_image_sign = {"sign", "firmware (bin/hex/elf) -> signed image", run_sign};
