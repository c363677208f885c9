/* Fuzz target: the host's reading of OTA files and signed images, as `bleota image inspect`
 * and `bleota image verify` do it (tools/bleota/image_file.c: classification, OTA header and
 * checksum, AES-128-CBC decryption and PKCS#7 padding, metadata), and the two commands
 * themselves.
 *
 * Input: one option byte (--json, an AES key/IV, --pubkey, --allow-unsigned, --mchp-dev-keys,
 * which command), then the file's bytes. The file is written to a private temporary directory
 * and handed to the loader and to the commands as a path, exactly as from the shell.
 * Properties:
 *  - the loader classifies as documented: a signed image is read in place, an OTA file keeps
 *    its raw header fields and the checksum its contents call for (recomputed here), a plain
 *    payload is the image, an encrypted one is nothing until decrypted;
 *  - decryption: encrypting the plaintext again gives the payload back (AES-CBC round trip),
 *    the padding verdict is PKCS#7's (checked here independently), and the image handed on is
 *    the plaintext without its last block (or without the padding when it is valid);
 *  - the commands exit 0, 1 or 2 (2 exactly when loading or the key options fail, and inspect
 *    exits 0 otherwise); `inspect --json` prints one valid JSON object;
 *  - verify and the bootloader agree: an image `verify --pubkey` (no --allow-unsigned) passes
 *    authenticates on the device under the secure default (bo_boot_authenticate_digests), when
 *    it fits the BZ2 download slot. */
#define _GNU_SOURCE /* mkdtemp, dup, dup2 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bleota/boot.h"
#include "bleota/crypto.h"
#include "bleota/endian.h"
#include "bleota/img.h"
#include "bleota/layout_bz2.h"
#include "cli.h"
#include "fuzz_input.h"
#include "image_cmds.h"
#include "image_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

/* Test-only material (the seeds in tests/fuzz/corpus/image_file/ were made with them; the
 * signing key is tests/fuzz/corpus/pubkey_text/sec1.pem). */
static const char AES_KEY[] = "000102030405060708090a0b0c0d0e0f";
static const char AES_IV[] = "f0e0d0c0b0a090807060504030201000";
static char pub_hex[129];
static uint8_t pub[64], aes_key[16], aes_iv[16];

static char dir[64], in_path[96], out_path[96];
static int devnull = -1;

static void setup(void)
{
    static const char *hex =
        "a3b9b9d2ec432ac1dbbbe60fe7ada1cf22b407078edcacbaef8adb0b22c03e3f"
        "63945cfe32f629cba7848c8fcab049bf8f96b08ca544b6ff0e4a33098a6ac325";
    if (dir[0] != '\0') {
        return;
    }
    /* a file system in RAM when there is one: thousands of small files per second */
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || strlen(tmp) >= 40) {
        tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    }
    snprintf(dir, sizeof dir, "%s/bo-fuzz-XXXXXX", tmp);
    if (mkdtemp(dir) == NULL) {
        abort();
    }
    snprintf(in_path, sizeof in_path, "%s/in.bin", dir);
    snprintf(out_path, sizeof out_path, "%s/out.txt", dir);
    devnull = open("/dev/null", O_WRONLY);
    if (__sanitizer_set_report_fd != NULL) { /* reports still reach the real stderr */
        __sanitizer_set_report_fd((void *)(intptr_t)dup(2));
    }
    snprintf(pub_hex, sizeof pub_hex, "%s", hex);
    for (int i = 0; i < 64; i++) {
        unsigned v;
        sscanf(pub_hex + 2 * i, "%2x", &v);
        pub[i] = (uint8_t)v;
    }
    for (int i = 0; i < 16; i++) {
        unsigned k, v;
        sscanf(AES_KEY + 2 * i, "%2x", &k);
        sscanf(AES_IV + 2 * i, "%2x", &v);
        aes_key[i] = (uint8_t)k;
        aes_iv[i] = (uint8_t)v;
    }
}

static void cleanup(void)
{
    unlink(in_path);
    unlink(out_path);
    rmdir(dir);
}

static void put_file(const char *path, const uint8_t *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(d, 1, n, f) != n || fclose(f) != 0) {
        abort();
    }
}

/* stdout into out_path (or /dev/null), stderr into /dev/null: the CLI's messages are noise. */
static int saved_out = -1, saved_err = -1;

static void quiet_begin(bool capture)
{
    fflush(stdout);
    fflush(stderr);
    int out = capture ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : devnull;
    saved_out = dup(1);
    saved_err = dup(2);
    dup2(out, 1);
    dup2(devnull, 2);
    if (capture) {
        close(out);
    }
}

static void quiet_end(void)
{
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
}

/* Runs a command with stdout into out_path; returns its exit code. */
static int run_cmd(const bo_image_sub_t *cmd, int argc, char **argv)
{
    quiet_begin(true);
    int rc = cmd->run(argc, argv);
    quiet_end();
    return rc;
}

/* ---- a strict little JSON checker (objects, strings, numbers, true/false/null) ----------- */
typedef struct {
    const char *p, *end;
} js_t;

static void ws(js_t *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')) {
        j->p++;
    }
}

static bool lit(js_t *j, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n) != 0) {
        return false;
    }
    j->p += n;
    return true;
}

static bool str(js_t *j)
{
    if (!lit(j, "\"")) {
        return false;
    }
    while (j->p < j->end && *j->p != '"') {
        unsigned char ch = (unsigned char)*j->p++;
        if (ch < 0x20u) {
            return false;
        }
        if (ch == '\\') {
            if (j->p >= j->end) {
                return false;
            }
            char e = *j->p++;
            if (e == 'u') {
                for (int i = 0; i < 4; i++, j->p++) {
                    if (j->p >= j->end || strchr("0123456789abcdefABCDEF", *j->p) == NULL) {
                        return false;
                    }
                }
            } else if (strchr("\"\\/bfnrt", e) == NULL) {
                return false;
            }
        }
    }
    return lit(j, "\"");
}

static bool value(js_t *j, int depth);

static bool object(js_t *j, int depth)
{
    if (depth > 8 || !lit(j, "{")) {
        return false;
    }
    ws(j);
    if (lit(j, "}")) {
        return true;
    }
    do {
        ws(j);
        if (!str(j)) {
            return false;
        }
        ws(j);
        if (!lit(j, ":") || !value(j, depth + 1)) {
            return false;
        }
        ws(j);
    } while (lit(j, ","));
    return lit(j, "}");
}

static bool value(js_t *j, int depth)
{
    ws(j);
    if (j->p < j->end && *j->p == '{') {
        return object(j, depth);
    }
    if (j->p < j->end && *j->p == '"') {
        return str(j);
    }
    if (lit(j, "true") || lit(j, "false") || lit(j, "null")) {
        return true;
    }
    const char *s = j->p;
    lit(j, "-");
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
        j->p++;
    }
    return j->p > s && (s[0] != '0' || j->p - s == 1) && (s[0] != '-' || j->p - s > 1);
}

static void check_json(void)
{
    static char buf[1 << 16];
    FILE *f = fopen(out_path, "rb");
    size_t n = f != NULL ? fread(buf, 1, sizeof buf, f) : 0;
    if (f != NULL) {
        fclose(f);
    }
    js_t j = {buf, buf + n};
    bool ok = n < sizeof buf && value(&j, 0);
    ws(&j);
    FZ_CHECK(ok && j.p == j.end, "inspect --json printed no valid JSON object (%zu bytes)", n);
}

/* ---- the loader's contract ------------------------------------------------------------------ */
static void check_loaded(const bo_image_file_t *f, const uint8_t *file, size_t len,
                         const uint8_t *key, const uint8_t *iv)
{
    FZ_CHECK(f->len == len && memcmp(f->file, file, len) == 0, "file bytes");
    if (f->kind == BO_FILE_SIGNED) {
        FZ_CHECK(len >= BO_MD_SIZE && file[0] != BO_OTA_HDR_VER_BZ2 && f->img == f->file &&
                     f->img_len == len,
                 "signed image read elsewhere");
    } else {
        /* shorter than a header and a metadata header only with a whole AES payload (a delta
         * patch can be that small) */
        FZ_CHECK(f->kind == BO_FILE_OTA && file[0] == BO_OTA_HDR_VER_BZ2 &&
                     (len >= BO_OTA_HDR_SIZE + BO_MD_SIZE ||
                      (len >= BO_OTA_HDR_SIZE + BO_AES_BLOCK &&
                       (len - BO_OTA_HDR_SIZE) % BO_AES_BLOCK == 0u)),
                 "classification");
        uint16_t sum = 0;
        for (size_t i = 0; i < len; i++) {
            sum = (uint16_t)(sum + (i == 2 || i == 3 ? 0u : file[i]));
        }
        FZ_CHECK(f->expect_cks == (uint16_t)(0u - sum) && f->hdr.checksum == bo_get_le16(file + 2) &&
                     f->hdr.image_id == bo_get_le32(file + 4) &&
                     f->hdr.version == bo_get_le32(file + 8) && f->hdr.enc == file[1],
                 "OTA header fields or checksum");
        FZ_CHECK(f->encrypted == (file[1] != BO_OTA_ENC_NONE), "encrypted flag");
        if (!f->encrypted) {
            FZ_CHECK(f->img == f->file + BO_OTA_HDR_SIZE && f->img_len == len - BO_OTA_HDR_SIZE,
                     "plain payload");
        } else if (key == NULL || !f->decrypted) {
            size_t plen = len - BO_OTA_HDR_SIZE;
            FZ_CHECK(f->img == NULL && !f->decrypted &&
                         (key == NULL || plen % BO_AES_BLOCK != 0u || plen < BO_AES_BLOCK),
                     "encrypted payload read without decryption");
        } else { /* decrypted: round trip and padding */
            size_t plen = len - BO_OTA_HDR_SIZE;
            uint8_t *re = malloc(plen);
            bo_aes_cbc_t aes;
            FZ_CHECK(re != NULL && bo_aes_cbc_init(&aes, key, iv, 0) == BO_OK, "aes");
            bo_aes_cbc_update(&aes, f->plain, re, plen);
            bo_aes_cbc_free(&aes);
            FZ_CHECK(memcmp(re, file + BO_OTA_HDR_SIZE, plen) == 0, "AES-CBC round trip");
            free(re);
            uint8_t pad = f->plain[plen - 1u];
            bool ok = pad >= 1u && pad <= 16u;
            for (size_t i = 1; ok && i <= pad; i++) {
                ok = f->plain[plen - i] == pad;
            }
            FZ_CHECK(f->pad_ok == ok, "padding verdict %d, PKCS#7 says %d", f->pad_ok, ok);
            FZ_CHECK(f->img == f->plain && f->img_len == plen - (ok ? pad : 16u),
                     "image after decryption");
        }
    }
    if (f->img != NULL) {
        bo_md_t md;
        bool md_ok = f->img_len >= BO_MD_SIZE && bo_md_parse(f->img, &md) == BO_OK;
        FZ_CHECK(f->md_ok == md_ok, "metadata verdict");
    }
}

static int no_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    (void)ctx, (void)addr, (void)buf, (void)len;
    abort(); /* the digests are given: the bootloader reads nothing */
}

/* verify passed with --pubkey: the device must authenticate the same image. */
static void check_device_agrees(const bo_image_file_t *f)
{
    FZ_CHECK(f->img != NULL && f->md_ok, "verify passed without a readable image");
    if (f->md.fw_len > BO_BZ2_DL_LIMIT - BO_MD_SIZE) {
        return; /* bigger than the device's download slot: the device refuses it, verify may not */
    }
    bo_flash_t fl = {.base = BO_BZ2_FLASH_BASE, .size = BO_BZ2_FLASH_SIZE,
                     .page_size = BO_BZ2_PAGE_SIZE, .prog_unit = 16, .read = no_read};
    bo_boot_cfg_t cfg = {.flash = &fl, .layout = bo_layout_bz2(), .pubkey = pub};
    uint8_t fw[BO_SHA256_SIZE];
    bo_sha256(f->img + BO_MD_SIZE, f->md.fw_len, fw);
    bo_boot_image_t info;
    int rc = bo_boot_authenticate_digests(&cfg, f->img, NULL, fw, &info);
    FZ_CHECK(rc == BO_OK, "verify --pubkey passed, the bootloader says %d", rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool registered;
    setup();
    if (!registered) {
        atexit(cleanup);
        registered = true;
    }
    if (size == 0u) {
        return 0;
    }
    uint8_t o = data[0];
    const uint8_t *file = data + 1;
    size_t len = size - 1u;
    bool json = o & 1u, aes = o & 2u, pk = o & 4u, unsigned_ok = o & 8u, dev = o & 16u;
    put_file(in_path, file, len);

    /* the loader, as both commands use it, with the key the command will use */
    const uint8_t *key = aes ? aes_key : dev ? bo_mchp_dev_aes_key : NULL;
    const uint8_t *iv = aes ? aes_iv : dev ? bo_mchp_dev_aes_iv : NULL;
    bo_image_file_t f;
    quiet_begin(false);
    int lrc = bo_image_file_load(&f, in_path);
    quiet_end();
    FZ_CHECK(lrc == 0 || lrc == BO_EXIT_USAGE, "load %d", lrc);
    if (lrc == 0) {
        if (f.kind == BO_FILE_OTA && f.encrypted && key != NULL) {
            bo_image_file_decrypt(&f, key, iv);
        }
        check_loaded(&f, file, len, key, iv);
    }

    /* the commands */
    char *argv[12];
    int argc = 0;
    argv[argc++] = (o & 0x40u) ? "verify" : "inspect";
    argv[argc++] = in_path;
    if (json && !(o & 0x40u)) {
        argv[argc++] = "--json";
    }
    if (aes) {
        argv[argc++] = "--aes-key";
        argv[argc++] = (char *)AES_KEY;
        argv[argc++] = "--aes-iv";
        argv[argc++] = (char *)AES_IV;
    }
    if (pk && (o & 0x40u)) {
        argv[argc++] = "--pubkey";
        argv[argc++] = pub_hex;
    }
    if (unsigned_ok && (o & 0x40u)) {
        argv[argc++] = "--allow-unsigned";
    }
    if (dev) {
        argv[argc++] = "--mchp-dev-keys";
    }
    argv[argc] = NULL;
    const bo_image_sub_t *cmd = (o & 0x40u) ? &bo_image_verify : &bo_image_inspect;
    int rc = run_cmd(cmd, argc, argv);
    FZ_CHECK(rc == BO_EXIT_OK || rc == BO_EXIT_FAIL || rc == BO_EXIT_USAGE, "exit %d", rc);
    FZ_CHECK((rc == BO_EXIT_USAGE) == (lrc != 0), "exit %d, loader %d", rc, lrc);
    if (!(o & 0x40u)) {
        FZ_CHECK(rc != BO_EXIT_FAIL, "inspect verifies nothing");
        if (json && rc == BO_EXIT_OK) {
            check_json();
        }
    } else if (rc == BO_EXIT_OK && pk && !unsigned_ok) {
        check_device_agrees(&f);
    }
    if (lrc == 0) {
        bo_image_file_free(&f);
    }
    return 0;
}
