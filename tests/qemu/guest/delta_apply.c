/* Applies a delta patch on the emulated Cortex-M4 with the target's build of the decoder
 * (src/delta): the base image and the patch are loaded into memory by the test (QEMU's
 * -device loader at BASE_ADDR and PATCH_ADDR), the patch is fed in 244-byte pieces (an OTA Data
 * write at MTU 247), the image is rebuilt into RAM and its SHA-256 printed, for the test to
 * compare with the target's. Exit status 0 = rebuilt. */
#include <stdint.h>
#include <string.h>

#include "bleota/crypto.h"
#include "bleota/delta.h"
#include "bleota/img.h"
#include "bleota/qemu/board.h"

#define BASE_ADDR 0x00200000u
#define PATCH_ADDR 0x00300000u
#define OUT_MAX (BO_MD_SIZE + BO_IMG_FW_MAX)

static uint8_t out[OUT_MAX];
static uint32_t out_n;
static uint32_t base_len;

static int read_base(void *ctx, uint32_t off, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    if (off > base_len || len > base_len - off) {
        return BO_ERR_RANGE;
    }
    memcpy(buf, (const uint8_t *)(uintptr_t)(BASE_ADDR + off), len);
    return BO_OK;
}

static int write_out(void *ctx, const uint8_t *data, uint32_t len)
{
    (void)ctx;
    if (len > OUT_MAX - out_n) {
        return BO_ERR_RANGE;
    }
    memcpy(out + out_n, data, len);
    out_n += len;
    return BO_OK;
}

/* Markers for the instruction counter of bench/delta/run.sh (bench/qemu/insncount.c): it counts
 * the instructions between a call of the first and a call of the second. */
void bo_bench_start(void);
void bo_bench_stop(void);

__attribute__((noinline, used)) void bo_bench_start(void)
{
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline, used)) void bo_bench_stop(void)
{
    __asm__ volatile("" ::: "memory");
}

static void hex(const uint8_t *p, size_t n, char *s)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15u];
    }
    s[2 * n] = '\0';
}

int main(void)
{
    const uint8_t *patch = (const uint8_t *)(uintptr_t)PATCH_ADDR;
    static bo_delta_t d;
    bo_delta_hdr_t h;
    uint8_t id[BO_SHA256_SIZE];
    char text[2 * BO_SHA256_SIZE + 1];
    _Static_assert(BO_DELTA_ID_SIZE <= BO_SHA256_SIZE, "id fits");
    int rc = bo_delta_hdr_parse(patch, &h);
    if (rc == BO_OK) {
        base_len = h.base_len;
        bo_delta_image_id((const uint8_t *)(uintptr_t)BASE_ADDR, base_len - BO_MD_SIZE, id);
        rc = memcmp(id, h.base_id, BO_DELTA_ID_SIZE) == 0 ? BO_OK : BO_ERR_NOTFOUND;
    }
    bo_delta_io_t io = {read_base, write_out, NULL};
    if (rc == BO_OK) {
        rc = bo_delta_begin(&d, &h, &io, BO_DELTA_HDR_SIZE, 0);
    }
    bo_bench_start(); /* the decoder alone: what it costs per image byte rebuilt */
    for (uint32_t i = BO_DELTA_HDR_SIZE; rc == BO_OK && i < h.patch_len; i += 244u) {
        uint32_t n = h.patch_len - i < 244u ? h.patch_len - i : 244u;
        rc = bo_delta_feed(&d, patch + i, n);
    }
    if (rc == BO_OK) {
        rc = bo_delta_finish(&d);
    }
    bo_bench_stop();
    if (rc != BO_OK) {
        bo_qemu_log("delta-apply: failed: ", bo_err_str(rc));
        bo_qemu_exit(1);
    }
    bo_sha256(out, out_n, id);
    hex(id, sizeof id, text);
    bo_qemu_log_num("delta-apply: bytes ", (int32_t)out_n);
    bo_qemu_log_num("bench: delta_decode ", (int32_t)out_n);
    bo_qemu_log("delta-apply: sha256 ", text);
    bo_qemu_exit(0);
    return 0;
}
