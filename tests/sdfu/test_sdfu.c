/* sdfu: conformance of the serial executive, command word by command word (reference §4.6),
 * over the in-memory NOR model. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bleota/endian.h"
#include "bleota/layout_bz2.h"
#include "bleota/sdfu.h"
#include "tflash.h"

#define GAP 10u

typedef struct fx {
    tflash_t t;
    bo_sdfu_t s;
    bo_sys_t sys;
    uint8_t out[64];
    size_t out_len;
    int resets;
    uint32_t now;
} fx_t;

static void tx(void *ctx, const uint8_t *data, size_t len)
{
    fx_t *f = ctx;
    assert_true(f->out_len + len <= sizeof f->out);
    memcpy(f->out + f->out_len, data, len);
    f->out_len += len;
}

static void reset_cb(void *ctx)
{
    ((fx_t *)ctx)->resets++;
}

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    tflash_init(&f->t);
    f->sys.ctx = f;
    f->sys.reset = reset_cb;
    bo_sdfu_cfg_t cfg = {&f->t.flash, &f->sys, tx, f, 0, 0, GAP, 0x12345678u};
    bo_layout_t l = bo_layout_bz2();
    assert_int_equal(bo_sdfu_init(&f->s, &cfg, &l), BO_OK);
    f->now = 1000;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    tflash_free(&f->t);
    free(f);
    return 0;
}

/* One frame: the bytes, then silence for the gap. Returns commands executed. */
static int frame(fx_t *f, const uint8_t *data, size_t len)
{
    f->out_len = 0;
    int n = bo_sdfu_rx(&f->s, data, len, f->now);
    f->now += 1;
    n += bo_sdfu_poll(&f->s, f->now + GAP);
    f->now += GAP + 5;
    return n;
}

static size_t words(uint8_t *buf, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3)
{
    bo_put_le32(buf, w0);
    bo_put_le32(buf + 4, w1);
    bo_put_le32(buf + 8, w2);
    bo_put_le32(buf + 12, w3);
    return 16;
}

static uint32_t answer(const fx_t *f)
{
    assert_true(f->out_len >= 4);
    return bo_get_le32(f->out);
}

static int cmd(fx_t *f, uint32_t c, uint32_t operand, uint32_t w1, uint32_t w2, size_t nwords)
{
    uint8_t b[16];
    words(b, (c << 16) | operand, w1, w2, 0);
    return frame(f, b, 4 * nwords);
}

/* PROG_CLUSTER_VERIFY frame for data at addr with the checksum of the given method. */
static size_t cluster(uint8_t *b, uint32_t method, uint32_t addr, const uint8_t *data, uint32_t len)
{
    uint32_t sum = method == 2 ? bo_sdfu_crc16(0xFFFF, data, len) : bo_sdfu_sum32(0, data, len);
    words(b, (0x11u << 16) | method, addr, len, sum);
    memcpy(b + 16, data, len);
    return 16 + len;
}

static void fill(uint8_t *d, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        d[i] = (uint8_t)(seed >> 16);
    }
}

static void sdfu_crc16_is_ccitt_false(void **state)
{
    (void)state;
    assert_int_equal(bo_sdfu_crc16(0xFFFF, (const uint8_t *)"123456789", 9), 0x29B1);
    assert_int_equal(bo_sdfu_sum32(0, (const uint8_t *)"\xff\xff\x01", 3), 0x1FF);
}

static void sdfu_exec_version_answers_version_1(void **state)
{
    fx_t *f = *state;
    assert_int_equal(cmd(f, 0x07, 1, 0, 0, 1), 1);
    assert_int_equal(f->out_len, 4);
    assert_int_equal(answer(f), 0x00070001u);
}

static void sdfu_get_deviceid_answers_configured_id(void **state)
{
    fx_t *f = *state;
    cmd(f, 0x0A, 0, 0, 0, 1);
    assert_int_equal(f->out_len, 8);
    assert_int_equal(answer(f), 0x000A0000u);
    assert_int_equal(bo_get_le32(f->out + 4), 0x12345678u);
}

static void sdfu_page_erase_erases_pages_in_window(void **state)
{
    fx_t *f = *state;
    uint8_t junk[64];
    memset(junk, 0, sizeof junk);
    tflash_load(&f->t, BO_BZ2_SLOT1 + 4096, junk, sizeof junk);
    tflash_load(&f->t, BO_BZ2_SLOT1 + 3 * 4096, junk, sizeof junk);
    cmd(f, 0x05, 2, BO_BZ2_SLOT1 + 4096, 0, 2);
    assert_int_equal(answer(f), 0x00050000u);
    cmd(f, 0x06, 0, BO_BZ2_SLOT1 + 4096, 2 * 4096, 3);
    assert_int_equal(answer(f), 0x00060000u); /* blank now */
    cmd(f, 0x06, 0, BO_BZ2_SLOT1 + 3 * 4096, 64, 3);
    assert_int_equal(answer(f), 0x00060002u); /* the third page was not touched */
}

static void sdfu_page_erase_outside_window_fails(void **state)
{
    fx_t *f = *state;
    uint8_t junk[16] = {0};
    tflash_load(&f->t, BO_BZ2_SLOT0, junk, sizeof junk);
    cmd(f, 0x05, 1, BO_BZ2_SLOT0, 0, 2); /* the running image: refused */
    assert_int_equal(answer(f), 0x00050002u);
    cmd(f, 0x05, 2, BO_BZ2_SLOT1 + BO_BZ2_DL_LIMIT - 4096, 0, 2); /* straddles the end */
    assert_int_equal(answer(f), 0x00050002u);
    cmd(f, 0x05, 1, BO_BZ2_SLOT1 + 16, 0, 2); /* not page aligned */
    assert_int_equal(answer(f), 0x00050002u);
    cmd(f, 0x05, 1, 0, 0, 1); /* address word missing */
    assert_int_equal(answer(f), 0x00050002u);
    assert_int_equal(f->t.ops, 0);
}

static void sdfu_blank_check_reports_programmed_bytes(void **state)
{
    fx_t *f = *state;
    uint8_t one[16];
    memset(one, 0xFF, sizeof one);
    one[15] = 0xFE;
    cmd(f, 0x06, 0, BO_BZ2_SLOT1, 8192, 3);
    assert_int_equal(answer(f), 0x00060000u);
    tflash_load(&f->t, BO_BZ2_SLOT1 + 4096, one, sizeof one);
    cmd(f, 0x06, 0, BO_BZ2_SLOT1, 8192, 3);
    assert_int_equal(answer(f), 0x00060002u);
    cmd(f, 0x06, 0, BO_BZ2_FLASH_BASE + BO_BZ2_FLASH_SIZE - 16, 32, 3); /* past the flash */
    assert_int_equal(answer(f), 0x00060002u);
}

static void prog_and_check(fx_t *f, uint32_t method)
{
    uint8_t data[4096], b[4112], back[4096];
    fill(data, sizeof data, method);
    size_t n = cluster(b, method, BO_BZ2_SLOT1 + 8192, data, sizeof data);
    assert_int_equal(frame(f, b, n), 1);
    assert_int_equal(answer(f), 0x00110000u);
    tflash_peek(&f->t, BO_BZ2_SLOT1 + 8192, back, sizeof back);
    assert_memory_equal(back, data, sizeof data);
}

static void sdfu_prog_cluster_with_byte_sum_programs_and_passes(void **state)
{
    prog_and_check(*state, 1);
}

static void sdfu_prog_cluster_with_crc16_programs_and_passes(void **state)
{
    prog_and_check(*state, 2);
}

static void sdfu_prog_cluster_bad_checksum_fails(void **state)
{
    fx_t *f = *state;
    uint8_t data[256], b[4112];
    fill(data, sizeof data, 3);
    size_t n = cluster(b, 2, BO_BZ2_SLOT1, data, sizeof data);
    b[12] ^= 1; /* checksum word */
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110002u);
    n = cluster(b, 1, BO_BZ2_SLOT1 + 256, data, sizeof data);
    b[16 + 100] ^= 0x40; /* a payload byte changed on the wire */
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110002u);
}

static void sdfu_prog_cluster_outside_window_fails_and_writes_nothing(void **state)
{
    fx_t *f = *state;
    uint8_t data[64], b[4112];
    fill(data, sizeof data, 4);
    size_t n = cluster(b, 1, BO_BZ2_SLOT0 + 4096, data, sizeof data);
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110002u);
    n = cluster(b, 1, BO_BZ2_SLOT1 + BO_BZ2_DL_LIMIT - 32, data, sizeof data); /* straddles */
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110002u);
    n = cluster(b, 1, BO_BZ2_SLOT1 + 8, data, sizeof data); /* misaligned */
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110002u);
    assert_int_equal(f->t.ops, 0);
}

static void sdfu_prog_cluster_unknown_method_or_oversize_fails(void **state)
{
    fx_t *f = *state;
    uint8_t data[64], b[4112];
    fill(data, sizeof data, 5);
    size_t n = cluster(b, 3, BO_BZ2_SLOT1, data, sizeof data);
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110002u);
    words(b, (0x11u << 16) | 1, BO_BZ2_SLOT1, 4097, 0);
    frame(f, b, 16);
    assert_int_equal(answer(f), 0x00110002u);
    assert_int_equal(f->t.ops, 0);
}

static void sdfu_prog_cluster_cut_short_fails(void **state)
{
    fx_t *f = *state;
    uint8_t data[512], b[4112];
    fill(data, sizeof data, 6);
    size_t n = cluster(b, 1, BO_BZ2_SLOT1, data, sizeof data);
    frame(f, b, n - 100); /* the line went idle before the cluster was complete */
    assert_int_equal(answer(f), 0x00110002u);
}

static void sdfu_prog_cluster_short_tail_padded_with_erased_bytes(void **state)
{
    fx_t *f = *state;
    uint8_t data[20], b[64], back[32];
    fill(data, sizeof data, 7);
    size_t n = cluster(b, 1, BO_BZ2_SLOT1, data, sizeof data);
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110000u);
    tflash_peek(&f->t, BO_BZ2_SLOT1, back, sizeof back);
    assert_memory_equal(back, data, sizeof data);
    for (size_t i = sizeof data; i < sizeof back; i++) {
        assert_int_equal(back[i], 0xFF);
    }
}

static void sdfu_prog_cluster_onto_programmed_flash_fails(void **state)
{
    fx_t *f = *state;
    uint8_t data[64], b[128];
    fill(data, sizeof data, 8);
    size_t n = cluster(b, 1, BO_BZ2_SLOT1, data, sizeof data);
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110000u);
    fill(data, sizeof data, 9);
    n = cluster(b, 1, BO_BZ2_SLOT1, data, sizeof data); /* no erase in between */
    frame(f, b, n);
    assert_int_equal(answer(f), 0x00110002u);
}

static void sdfu_unknown_commands_are_nacked(void **state)
{
    fx_t *f = *state;
    const uint32_t unknown[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x09, 0x0B,
                                0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x13, 0x7F, 0xFFFF};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_int_equal(cmd(f, unknown[i], 1, BO_BZ2_FLASH_BASE, 0, 2), 1);
        assert_int_equal(f->out_len, 4);
        assert_int_equal(answer(f), (unknown[i] << 16) | 0x03u);
    }
    assert_int_equal(f->t.ops, 0); /* CHIP_ERASE (0x04) among them: nothing erased */
}

static void sdfu_reset_calls_port_reset_and_answers_nothing(void **state)
{
    fx_t *f = *state;
    assert_int_equal(cmd(f, 0x12, 0, 0, 0, 1), 1);
    assert_int_equal(f->resets, 1);
    assert_int_equal(f->out_len, 0);
}

static void sdfu_frames_split_across_reads(void **state)
{
    fx_t *f = *state;
    uint8_t data[4096], b[4112], back[4096];
    fill(data, sizeof data, 10);
    size_t n = cluster(b, 2, BO_BZ2_SLOT1, data, sizeof data);
    f->out_len = 0;
    int ran = 0;
    for (size_t off = 0, step = 1; off < n; off += step, step = step % 13 + 1) {
        size_t k = off + step > n ? n - off : step;
        assert_int_equal(f->out_len, 0);              /* nothing answered before the last byte */
        ran += bo_sdfu_rx(&f->s, b + off, k, f->now); /* pauses shorter than the gap */
        f->now += GAP - 1;
        assert_int_equal(bo_sdfu_poll(&f->s, f->now), 0);
    }
    assert_int_equal(ran, 1);
    assert_int_equal(answer(f), 0x00110000u);
    tflash_peek(&f->t, BO_BZ2_SLOT1, back, sizeof back);
    assert_memory_equal(back, data, sizeof back);
    /* a small command split in two reads waits for the gap */
    uint8_t v[4];
    bo_put_le32(v, 0x00070001u);
    f->out_len = 0;
    assert_int_equal(bo_sdfu_rx(&f->s, v, 3, f->now), 0);
    assert_int_equal(bo_sdfu_rx(&f->s, v + 3, 1, f->now + GAP - 1), 0);
    assert_int_equal(bo_sdfu_poll(&f->s, f->now + 2 * GAP - 1), 1);
    assert_int_equal(answer(f), 0x00070001u);
}

static void sdfu_cluster_is_answered_when_its_length_arrived(void **state)
{
    fx_t *f = *state;
    uint8_t data[64], b[128];
    fill(data, sizeof data, 12);
    size_t n = cluster(b, 1, BO_BZ2_SLOT1, data, sizeof data);
    bo_put_le32(b + n, 0x00070001u); /* the next command right behind it, no gap */
    f->out_len = 0;
    assert_int_equal(bo_sdfu_rx(&f->s, b, n + 4, f->now), 1); /* no gap needed */
    assert_int_equal(answer(f), 0x00110000u);
    assert_true(bo_sdfu_pending(&f->s));
    assert_int_equal(bo_sdfu_poll(&f->s, f->now + GAP), 1);
    assert_int_equal(bo_get_le32(f->out + 4), 0x00070001u);
}

static void sdfu_frame_ends_exactly_at_4112_bytes(void **state)
{
    fx_t *f = *state;
    uint8_t data[4096], b[4112 + 4];
    fill(data, sizeof data, 11);
    size_t n = cluster(b, 1, BO_BZ2_SLOT1, data, sizeof data);
    assert_int_equal(n, 4112);
    bo_put_le32(b + n, 0x00070001u); /* EXEC_VERSION right behind, no gap */
    f->out_len = 0;
    assert_int_equal(bo_sdfu_rx(&f->s, b, n + 4, f->now), 1); /* the cluster, at byte 4112 */
    assert_int_equal(f->out_len, 4);
    assert_int_equal(answer(f), 0x00110000u);
    assert_true(bo_sdfu_pending(&f->s)); /* the next frame has begun */
    assert_int_equal(bo_sdfu_poll(&f->s, f->now + GAP), 1);
    assert_int_equal(f->out_len, 8);
    assert_int_equal(bo_get_le32(f->out + 4), 0x00070001u);
}

static void sdfu_idle_gap_ends_frame(void **state)
{
    fx_t *f = *state;
    uint8_t b[16];
    words(b, 0x00070001u, 0, 0, 0);
    f->out_len = 0;
    assert_int_equal(bo_sdfu_rx(&f->s, b, 2, 100), 0);
    assert_int_equal(bo_sdfu_poll(&f->s, 100 + GAP - 1), 0); /* not idle long enough */
    assert_int_equal(bo_sdfu_rx(&f->s, b + 2, 2, 100 + GAP - 1), 0);
    assert_int_equal(bo_sdfu_poll(&f->s, 100 + 2 * GAP - 2), 0);
    assert_int_equal(bo_sdfu_poll(&f->s, 100 + 2 * GAP - 1), 1);
    assert_int_equal(answer(f), 0x00070001u);
    assert_false(bo_sdfu_pending(&f->s));
    /* two commands separated by a gap inside one delivery of bytes: the second rx ends the
     * first frame before taking its bytes */
    f->out_len = 0;
    assert_int_equal(bo_sdfu_rx(&f->s, b, 4, 500), 0);
    words(b, 0x000A0000u, 0, 0, 0);
    assert_int_equal(bo_sdfu_rx(&f->s, b, 4, 500 + GAP), 1);
    assert_int_equal(bo_sdfu_poll(&f->s, 500 + 2 * GAP), 1);
    assert_int_equal(f->out_len, 12);
    assert_int_equal(bo_get_le32(f->out + 4), 0x000A0000u);
}

static void sdfu_short_frame_is_ignored(void **state)
{
    fx_t *f = *state;
    uint8_t b[3] = {0x01, 0x00, 0x07};
    assert_int_equal(frame(f, b, sizeof b), 0);
    assert_int_equal(f->out_len, 0);
}

static void sdfu_init_rejects_bad_config(void **state)
{
    fx_t *f = *state;
    bo_sdfu_t s;
    bo_layout_t l = bo_layout_bz2();
    bo_sdfu_cfg_t cfg = {&f->t.flash, NULL, NULL, NULL, 0, 0, 0, 0};
    assert_int_equal(bo_sdfu_init(&s, &cfg, &l), BO_ERR_ARG); /* no tx */
    cfg.tx = tx;
    cfg.win_lo = BO_BZ2_FLASH_BASE - 4096;
    cfg.win_hi = BO_BZ2_FLASH_BASE + 4096;
    assert_int_equal(bo_sdfu_init(&s, &cfg, &l), BO_ERR_ARG); /* window outside flash */
}

static void sdfu_configured_window_allows_slot0(void **state)
{
    fx_t *f = *state;
    bo_layout_t l = bo_layout_bz2();
    bo_sdfu_cfg_t cfg = {
        &f->t.flash, &f->sys, tx, f, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_BASE + BO_BZ2_FLASH_SIZE,
        GAP,         0};
    assert_int_equal(bo_sdfu_init(&f->s, &cfg, &l), BO_OK);
    cmd(f, 0x05, 1, BO_BZ2_SLOT0, 0, 2);
    assert_int_equal(answer(f), 0x00050000u);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(sdfu_crc16_is_ccitt_false),
        T(sdfu_exec_version_answers_version_1),
        T(sdfu_get_deviceid_answers_configured_id),
        T(sdfu_page_erase_erases_pages_in_window),
        T(sdfu_page_erase_outside_window_fails),
        T(sdfu_blank_check_reports_programmed_bytes),
        T(sdfu_prog_cluster_with_byte_sum_programs_and_passes),
        T(sdfu_prog_cluster_with_crc16_programs_and_passes),
        T(sdfu_prog_cluster_bad_checksum_fails),
        T(sdfu_prog_cluster_outside_window_fails_and_writes_nothing),
        T(sdfu_prog_cluster_unknown_method_or_oversize_fails),
        T(sdfu_prog_cluster_cut_short_fails),
        T(sdfu_prog_cluster_short_tail_padded_with_erased_bytes),
        T(sdfu_prog_cluster_onto_programmed_flash_fails),
        T(sdfu_unknown_commands_are_nacked),
        T(sdfu_reset_calls_port_reset_and_answers_nothing),
        T(sdfu_frames_split_across_reads),
        T(sdfu_cluster_is_answered_when_its_length_arrived),
        T(sdfu_frame_ends_exactly_at_4112_bytes),
        T(sdfu_idle_gap_ends_frame),
        T(sdfu_short_frame_is_ignored),
        T(sdfu_init_rejects_bad_config),
        T(sdfu_configured_window_allows_slot0),
    };
    return cmocka_run_group_tests_name("sdfu", tests, NULL, NULL);
}
