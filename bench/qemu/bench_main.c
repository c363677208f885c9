/* Instruction counts on the emulated Cortex-M4 (bench/qemu/run.sh). Each measured region sits
 * between bo_bench_start() and bo_bench_stop(); the TCG plugin (insncount.c) counts the guest
 * instructions between the two marker addresses, exactly and the same on every run (no
 * interrupt is enabled, nothing depends on host time). Before each region the guest prints
 * "bench: NAME BYTES" on the semihosting console; run.sh pairs the lines with the counts.
 *
 * The OTA file (loaded by QEMU at BENCH_OTA_ADDR) goes through the real receive path: otas
 * OTA Data writes (AES-128-CBC decryption, DFU programming with read-back, the NOR driver, and
 * the SHA-256 of the plaintext when otas streams it); then slot 1 is hashed the way the
 * bootloader reads it and authenticated by bo_boot. Then whole boots (bo_boot_run) over 480 KiB
 * images loaded at BENCH_IMG_ADDR (bench_480k): a normal boot under both slot-0 policies, and
 * an install over an authentic old image, with the flash operations it made.
 * Keys are the benchmark's own (bench_keys.h), so the counts are the same on every machine. */
#include <stdint.h>
#include <string.h>
#include "bleota/boot.h"
#include "bleota/crypto.h"
#include "bleota/dfu.h"
#include "bleota/endian.h"
#include "bleota/img.h"
#include "bleota/otas.h"
#include "bleota/qemu/board.h"
#include "bearssl.h"
#include "mbedtls/aes.h"
#include "bench_keys.h"

#define BENCH_OTA_ADDR 0x21000000u /* mps.ram: the OTA file, put there by -device loader */
#define RAW_LEN 16384u
#define CHUNK 244u      /* OTA Data write size at ATT MTU 247 */
#define HASH_CHUNK 256u /* the bootloader's flash read size (BO_BOOT_CHUNK) */

__attribute__((noinline, noipa, used)) void bo_bench_start(void);
__attribute__((noinline, noipa, used)) void bo_bench_stop(void);
void bo_bench_start(void)
{
    __asm volatile("nop" ::: "memory");
}
void bo_bench_stop(void)
{
    __asm volatile("nop\n nop" ::: "memory");
}

static void begin(const char *name, uint32_t bytes)
{
    bo_qemu_puts("bench: ");
    bo_qemu_puts(name);
    bo_qemu_log_num(" ", (int32_t)bytes);
}

static void must(int ok, const char *what)
{
    if (!ok) {
        bo_qemu_log("bench: FAILED ", what);
        bo_qemu_exit(1);
    }
}

#ifndef BENCH_BOOTLOADER
static uint8_t raw_in[RAW_LEN], raw_out[RAW_LEN];
static bo_dfu_t dfu;
static bo_otas_t otas;
static uint32_t notifications, failures;

static void bench_raw(void)
{
    mbedtls_aes_context aes;
    br_sha256_context sha;
    uint8_t iv[16] = {0}, digest[32];
    for (uint32_t i = 0; i < RAW_LEN; i++)
        raw_in[i] = (uint8_t)(i * 7u + 3u);

    mbedtls_aes_init(&aes);
    mbedtls_aes_setkey_dec(&aes, bo_bench_aes_key, 128);
    begin("raw_aes128_cbc_decrypt", RAW_LEN);
    bo_bench_start();
    mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_DECRYPT, RAW_LEN, iv, raw_in, raw_out);
    bo_bench_stop();

    br_sha256_init(&sha); /* the device's SHA-256 (BearSSL), as bo_sha256 runs it */
    begin("raw_sha256", RAW_LEN);
    bo_bench_start();
    br_sha256_update(&sha, raw_in, RAW_LEN);
    bo_bench_stop();
    br_sha256_out(&sha, digest);

    /* the parts of the OTA path on their own: bleota's AES adapter, the DFU writer + NOR driver */
    static bo_aes_cbc_t bo_aes;
    must(bo_aes_cbc_init(&bo_aes, bo_bench_aes_key, bo_bench_aes_iv, 1) == BO_OK, "aes init");
    begin("bo_aes_cbc_decrypt", RAW_LEN);
    bo_bench_start();
    bo_aes_cbc_update(&bo_aes, raw_in, raw_out, RAW_LEN);
    bo_bench_stop();

    /* the NOR driver alone: 16-byte program + read-back, the DFU writer's per-unit flash work */
    const bo_flash_t *f = bo_qemu_flash();
    for (uint32_t a = 0; a < RAW_LEN; a += BO_QEMU_PAGE_SIZE)
        must(f->erase(f->ctx, BO_QEMU_SLOT1 + a) == BO_OK, "erase");
    uint8_t back[16];
    begin("nor_prog_read_16", RAW_LEN);
    bo_bench_start();
    for (uint32_t off = 0; off < RAW_LEN; off += 16u) {
        f->prog(f->ctx, BO_QEMU_SLOT1 + off, raw_in + off, 16u);
        f->read(f->ctx, BO_QEMU_SLOT1 + off, back, 16u);
    }
    bo_bench_stop();

    bo_layout_t layout = bo_qemu_layout();
    must(bo_dfu_init(&dfu, bo_qemu_flash(), &layout) == BO_OK, "dfu init");
    must(bo_dfu_configure(&dfu, RAW_LEN) == BO_OK && bo_dfu_start(&dfu, 0, 0) == BO_OK, "dfu");
    begin("dfu_write", RAW_LEN);
    bo_bench_start();
    for (uint32_t off = 0; off < RAW_LEN; off += 64u)
        bo_dfu_write(&dfu, raw_in + off, 64u);
    bo_bench_stop();
    bo_dfu_abort(&dfu);
}

/* ---- the OTA receive path, driven as a transport would drive it ---------------------------- */
static int on_notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *d, size_t n)
{
    (void)ctx;
    (void)conn;
    notifications++;
    if (attr == BO_OTAS_ATTR_DATA && n == 1 && d[0] != BO_OTAS_RES_SUCCESS)
        failures++;
    return BO_OK;
}

static void on_event(void *ctx, const bo_otas_evt_t *e)
{
    (void)ctx;
    if (e->type == BO_OTAS_EVT_UPDATE_REQ)
        bo_otas_update_response(&otas, true, 0x01000000u);
    else if (e->type == BO_OTAS_EVT_COMPLETE)
        bo_otas_complete_response(&otas, true);
    else if (e->type == BO_OTAS_EVT_ERROR || e->type == BO_OTAS_EVT_ABORTED)
        failures++;
}

static void cp(const uint8_t *v, size_t n)
{
    must(bo_otas_write(&otas, 1, BO_OTAS_ATTR_CTRL, false, v, n) == 0, "control point write");
    bo_otas_process(&otas, 0);
}

static uint32_t arg_size(void)
{
    char cmd[96];
    uint32_t v = 0;
    if (bo_qemu_cmdline(cmd, sizeof cmd) < 0)
        return 0;
    const char *p = strstr(cmd, "size=");
    for (p = p ? p + 5 : ""; *p >= '0' && *p <= '9'; p++)
        v = v * 10u + (uint32_t)(*p - '0');
    return v;
}

static uint32_t bench_ota(void)
{
    const uint8_t *file = (const uint8_t *)(uintptr_t)BENCH_OTA_ADDR;
    bo_ota_hdr_t hdr;
    must(bo_ota_hdr_parse(file, &hdr) == BO_OK, "OTA file header");
    /* the payload size (file length - 16) comes from run.sh as the argument "size=N" */
    uint32_t size = arg_size();
    must(size > 0 && size <= BO_QEMU_DL_LIMIT && size % 16u == 0, "payload size");
    bo_layout_t layout = bo_qemu_layout();
    /* a fixed window, acknowledged when its last byte is stored: the loop below sends exactly
     * one window per acknowledgement (the automatic window depends on the client's MTU) */
    bo_otas_cfg_t cfg = {
        .notify = on_notify, .on_event = on_event, .dfu = &dfu, .window = BO_OTAS_WINDOW_DEFAULT};
    must(bo_dfu_init(&dfu, bo_qemu_flash(), &layout) == BO_OK, "dfu init");
    must(bo_otas_init(&otas, &cfg) == BO_OK, "otas init");
    must(bo_otas_set_keys(&otas, bo_bench_aes_key, bo_bench_aes_iv) == BO_OK, "keys");
    must(bo_otas_connected(&otas, 1) == BO_OK, "connect");
    bo_otas_link_encrypted(&otas, 1, true);
    static const uint8_t on[2] = {1, 0};
    must(bo_otas_write(&otas, 1, BO_OTAS_ATTR_CTRL_CCCD, false, on, 2) == 0, "cccd");
    must(bo_otas_write(&otas, 1, BO_OTAS_ATTR_DATA_CCCD, false, on, 2) == 0, "cccd");
    uint8_t req[14] = {BO_OTAS_OP_UPDATE_REQ};
    bo_put_le32(req + 1, size);
    bo_put_le32(req + 5, hdr.image_id);
    bo_put_le32(req + 9, hdr.version);
    req[13] = hdr.enc;
    cp(req, sizeof req);
    static const uint8_t start[2] = {BO_OTAS_OP_UPDATE_START, 1};
    cp(start, sizeof start);
    must(bo_otas_state(&otas) == BO_OTAS_UPDATE_START, "update started");

    const uint8_t *p = file + BO_OTA_HDR_SIZE;
    begin("ota_data_path", size);
    bo_bench_start();
    for (uint32_t off = 0, win = 0; off < size;) {
        uint32_t n = size - off < CHUNK ? size - off : CHUNK;
        if (n > BO_OTAS_WINDOW_DEFAULT - win)
            n = BO_OTAS_WINDOW_DEFAULT - win; /* writes land exactly on window ends */
        bo_otas_write(&otas, 1, BO_OTAS_ATTR_DATA, true, p + off, n);
        off += n;
        win += n;
        if (win == BO_OTAS_WINDOW_DEFAULT || off == size) {
            bo_otas_process(&otas, 0); /* the window's notification, as the link loop would */
            win = 0;
        }
    }
    bo_bench_stop();
    static const uint8_t complete[1] = {BO_OTAS_OP_UPDATE_COMPLETE};
    /* otas may hash the plaintext while it streams (then the data path already includes the
     * hash); run.sh needs to know which. */
    bo_qemu_log("bench-info: streamed_hash ", bo_otas_md_digest(&otas) ? "1" : "0");
    cp(complete, sizeof complete);
    must(failures == 0, "OTA data path reported a failure");
    return size;
}

/* Stack high-water mark of one call: paint the free stack below us, count what got touched. */
#define PAINT 0x5AA5C33Cu
#define PAINT_WORDS 2048u /* 8 KiB below the caller's frame */
static uint32_t *paint_base;

__attribute__((noinline)) static void paint_stack(void)
{
    uintptr_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    paint_base = (uint32_t *)(sp - 256u); /* leave this function's own frame alone */
    for (uint32_t i = 0; i < PAINT_WORDS; i++)
        *(volatile uint32_t *)(paint_base - i) = PAINT;
}

static uint32_t stack_used(void)
{
    uint32_t i = PAINT_WORDS;
    while (i > 0 && *(volatile uint32_t *)(paint_base - (i - 1u)) == PAINT)
        i--;
    return i * 4u + 256u; /* + the 64 words left unpainted */
}

static void bench_boot(void)
{
    const bo_flash_t *f = bo_qemu_flash();
    uint8_t md[BO_MD_SIZE], buf[HASH_CHUNK], digest[32];
    bo_md_t m;
    must(f->read(f->ctx, BO_QEMU_SLOT1, md, sizeof md) == BO_OK, "read header");
    must(bo_md_parse(md, &m) == BO_OK, "slot 1 header");

    /* the firmware hash as the bootloader computes it: 256-byte flash reads + SHA-256 */
    bo_sha256_t sha;
    begin("slot_hash", m.fw_len);
    bo_bench_start();
    bo_sha256_init(&sha);
    for (uint32_t off = 0; off < m.fw_len; off += HASH_CHUNK) {
        uint32_t n = m.fw_len - off < HASH_CHUNK ? m.fw_len - off : HASH_CHUNK;
        f->read(f->ctx, BO_QEMU_SLOT1 + BO_MD_SIZE + off, buf, n);
        bo_sha256_update(&sha, buf, n);
    }
    bo_sha256_final(&sha, digest);
    bo_bench_stop();

    begin("ecdsa_p256_verify", 0);
    bo_bench_start();
    int v = bo_ecdsa_p256_verify(bo_bench_pub, digest, m.fw_sig, m.fw_sig_len);
    bo_bench_stop();
    must(v == BO_OK, "firmware signature");

    bo_boot_cfg_t cfg = {.flash = f, .layout = bo_qemu_layout(), .pubkey = bo_bench_pub};
    bo_boot_image_t info;
    paint_stack();
    begin("authenticate", BO_MD_SIZE + m.fw_len);
    bo_bench_start();
    int rc = bo_boot_authenticate(&cfg, 1, &info);
    bo_bench_stop();
    must(rc == BO_OK, "authenticate slot 1");
    bo_qemu_log_num("stack: authenticate ", (int32_t)stack_used());

    /* the first boot after the update: authenticate slot 1, install it, validate slot 0 */
    bo_boot_result_t res;
    begin("boot_install", BO_MD_SIZE + m.fw_len);
    bo_bench_start();
    rc = bo_boot_run(&cfg, &res);
    bo_bench_stop();
    must(rc == BO_OK && res.installed && res.action == BO_BOOT_RUN, "install");
}

#else /* BENCH_BOOTLOADER */
/* The same verification by BearSSL directly, with the verifier the firmware uses (i31 mod n,
 * m31 P-256: the adapter's own cost is the difference) and the candidates it was chosen over. */
static void bench_candidates(const uint8_t digest[32], const uint8_t *der, size_t der_len)
{
    static const struct {
        const char *name;
        br_ecdsa_vrfy vrfy;
        const br_ec_impl *ec;
    } cand[] = {
        {"ecdsa_bearssl_i31_m31", br_ecdsa_i31_vrfy_raw, &br_ec_p256_m31},
        {"ecdsa_bearssl_i15_m31", br_ecdsa_i15_vrfy_raw, &br_ec_p256_m31},
        {"ecdsa_bearssl_i31_m15", br_ecdsa_i31_vrfy_raw, &br_ec_p256_m15},
        {"ecdsa_bearssl_i31_prime_i31", br_ecdsa_i31_vrfy_raw, &br_ec_prime_i31},
    };
    uint8_t q[65], raw[80];
    q[0] = 0x04;
    memcpy(q + 1, bo_bench_pub, 64);
    memcpy(raw, der, der_len);
    size_t raw_len = br_ecdsa_asn1_to_raw(raw, der_len);
    br_ec_public_key pk = {BR_EC_secp256r1, q, sizeof q};
    for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++) {
        begin(cand[i].name, 0);
        bo_bench_start();
        uint32_t ok = cand[i].vrfy(cand[i].ec, digest, 32, &pk, raw, raw_len);
        bo_bench_stop();
        must(ok == 1, cand[i].name);
    }
}

/* ---- whole boots over 480 KiB images ------------------------------------------------------ */
#define BENCH_IMG_ADDR 0x21080000u /* four signed images, 512 KiB apart (run.sh) */
#define BENCH_IMG_STRIDE 0x80000u
enum { IMG_OLD_2X2, IMG_OLD_DIGEST, IMG_NEW_TRIAL, IMG_NEW_PERMANENT };

static const uint8_t *bench_img(int i, uint32_t *len)
{
    const uint8_t *p =
        (const uint8_t *)(uintptr_t)(BENCH_IMG_ADDR + (uint32_t)i * BENCH_IMG_STRIDE);
    bo_md_t m;
    must(bo_md_parse(p, &m) == BO_OK, "bench image header");
    *len = BO_MD_SIZE + m.fw_len;
    return p;
}

/* Factory programming, outside any measured region. */
static void put(uint32_t addr, const uint8_t *src, uint32_t len)
{
    const bo_flash_t *f = bo_qemu_flash();
    for (uint32_t a = 0; a < len; a += BO_QEMU_PAGE_SIZE)
        must(f->erase(f->ctx, addr + a) == BO_OK, "erase");
    must(f->prog(f->ctx, addr, src, (len + 15u) & ~15u) == BO_OK, "program");
}

/* Slot 1 (with its resume area and the status page) blank, the image in slot 0, booted once:
 * the status page then vouches for slot 0, as on a device that has been running. */
static uint32_t device_with(int img, const bo_boot_cfg_t *cfg)
{
    uint32_t len;
    const uint8_t *p = bench_img(img, &len);
    const bo_flash_t *f = bo_qemu_flash();
    for (uint32_t a = BO_QEMU_SLOT1; a < BO_QEMU_SLOT1 + BO_QEMU_SLOT_SIZE; a += BO_QEMU_PAGE_SIZE)
        must(f->erase(f->ctx, a) == BO_OK, "erase slot 1");
    put(BO_QEMU_SLOT0, p, len);
    bo_boot_result_t res;
    must(bo_boot_run(cfg, &res) == BO_OK && res.action == BO_BOOT_RUN, "first boot");
    return len;
}

/* The same flash with its erases and programmed units counted (for the flash time). */
static uint32_t n_erase, n_units;
static int count_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    n_units += len / BO_QEMU_PROG_UNIT;
    return bo_qemu_flash()->prog(ctx, addr, buf, len);
}
static int count_erase(void *ctx, uint32_t addr)
{
    n_erase++;
    return bo_qemu_flash()->erase(ctx, addr);
}

static void flash_line(const char *name, const char *what, uint32_t n)
{
    bo_qemu_puts("bench-flash: ");
    bo_qemu_puts(name);
    bo_qemu_log_num(what, (int32_t)n);
}

/* A measured boot (BYTES: the image it installs, or slot 0's); "bench-flash: NAME erases|units
 * N" lines follow for a second, counted run from the same state when count is set (that run is
 * not measured). */
static void boot_row(const char *name, int old, int new_img, bo_boot_cfg_t *cfg, bool count)
{
    uint32_t len = 0;
    bo_boot_result_t res;
    for (int pass = 0; pass < (count ? 2 : 1); pass++) {
        bo_flash_t counting = *bo_qemu_flash();
        len = device_with(old, cfg);
        if (new_img >= 0) {
            const uint8_t *p = bench_img(new_img, &len);
            put(BO_QEMU_SLOT1, p, len);
        }
        const bo_flash_t *plain = cfg->flash;
        if (pass == 1) {
            counting.prog = count_prog;
            counting.erase = count_erase;
            cfg->flash = &counting;
            n_erase = n_units = 0;
        } else {
            begin(name, len);
            bo_bench_start();
        }
        int rc = bo_boot_run(cfg, &res);
        if (pass == 0)
            bo_bench_stop();
        cfg->flash = plain;
        must(rc == BO_OK && res.action == BO_BOOT_RUN, name);
        must(res.installed == (new_img >= 0), "install as expected");
    }
    if (count) {
        flash_line(name, " erases ", n_erase);
        flash_line(name, " units ", n_units);
    }
}

static void bench_480k(void)
{
    bo_boot_cfg_t cfg = {
        .flash = bo_qemu_flash(), .layout = bo_qemu_layout(), .pubkey = bo_bench_pub};
    device_with(IMG_OLD_2X2, &cfg); /* warm: nothing measured */
    boot_row("boot_normal_480k_2x2", IMG_OLD_2X2, -1, &cfg, false);
    boot_row("boot_normal_480k_digest", IMG_OLD_DIGEST, -1, &cfg, false);
    cfg.slot0_check = BO_BOOT_CHECK_AFTER_INSTALL;
    boot_row("boot_normal_480k_policy_install_only", IMG_OLD_2X2, -1, &cfg, false);
    cfg.slot0_check = BO_BOOT_CHECK_EVERY_BOOT;
    boot_row("boot_install_480k_2x2", IMG_OLD_2X2, IMG_NEW_TRIAL, &cfg, true);
    boot_row("boot_install_480k_2x2_copy", IMG_OLD_2X2, IMG_NEW_PERMANENT, &cfg, true);
}

/* The bootloader's crypto: SHA-256 per byte, and one verification of the old image's firmware
 * signature (then the same by BearSSL directly, and by the candidates). */
static void bench_boot_crypto(void)
{
    uint32_t len;
    uint8_t digest[32];
    bo_md_t m;
    const uint8_t *p = bench_img(IMG_OLD_2X2, &len);
    must(bo_md_parse(p, &m) == BO_OK, "bench image header");
    br_sha256_context sha;
    br_sha256_init(&sha);
    begin("sha256_per_byte", RAW_LEN);
    bo_bench_start();
    br_sha256_update(&sha, p + BO_MD_SIZE, RAW_LEN);
    bo_bench_stop();
    bo_sha256(p + BO_MD_SIZE, m.fw_len, digest);
    begin("ecdsa_verify", 0);
    bo_bench_start();
    int v = bo_ecdsa_p256_verify(bo_bench_pub, digest, m.fw_sig, m.fw_sig_len);
    bo_bench_stop();
    must(v == BO_OK, "firmware signature");
    bench_candidates(digest, m.fw_sig, m.fw_sig_len);
}

#endif

/* Two programs from this file (bench/qemu/CMakeLists.txt): qemu_bench, linked as the application
 * is (the OTA path), and qemu_bench_boot, linked as the bootloader is (BENCH_BOOTLOADER: link-time
 * optimised, its small memset/memmove) for the boot rows. */
int main(void)
{
    /* No SysTick, no interrupts: the counts must not depend on host time. */
    (void)bo_qemu_flash();
    begin("empty", 0);
    bo_bench_start();
    bo_bench_stop();
#ifdef BENCH_BOOTLOADER
    bench_boot_crypto();
    bench_480k();
#else
    bench_raw();
    bench_ota();
    bench_boot();
#endif
    bo_qemu_log("bench: done", 0);
    return 0;
}
