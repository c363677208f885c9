/* The firmware loaders of the host tools (tools/common bo_memimg, bo_elf) do work linear in their
 * input, counted by bo_memimg_t.work: bytes outside the window are counted, not visited, and
 * their counters do not wrap at 4 GiB; overlapping ELF segments are refused before any byte is
 * placed; repeated HEX records cost their own bytes only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bo_memimg.h"

#define BASE 0x01000200u
#define CAP 0x7FE00u
#define NSEG 20000u
#define SEG 262144u /* each overlapping segment: 256 KiB, 20 000 of them = 5 GiB to place */

static uint8_t window[CAP];

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* An ELF32 LE with NSEG PT_LOAD segments: segment i loads seg_len bytes from file offset
 * data_off + i * off_step at address BASE + i * addr_step. *len gets the file size. */
static uint8_t *make_elf(uint32_t seg_len, uint32_t off_step, uint32_t addr_step, size_t data_len,
                         size_t *len)
{
    size_t data_off = 52u + 32u * NSEG;
    *len = data_off + data_len;
    uint8_t *f = calloc(1, *len);
    assert_non_null(f);
    static const uint8_t ident[7] = {0x7F, 'E', 'L', 'F', 1, 1, 1}; /* ELF32, LE, v1 */
    memcpy(f, ident, sizeof ident);
    le32(&f[28], 52);    /* e_phoff */
    f[42] = 32;          /* e_phentsize */
    f[44] = NSEG & 0xFF; /* e_phnum */
    f[45] = NSEG >> 8;
    for (uint32_t i = 0; i < NSEG; i++) {
        uint8_t *ph = f + 52 + 32 * i;
        le32(&ph[0], 1);
        le32(&ph[4], (uint32_t)data_off + i * off_step);
        le32(&ph[8], BASE + i * addr_step);
        le32(&ph[12], BASE + i * addr_step);
        le32(&ph[16], seg_len);
        le32(&ph[20], seg_len);
    }
    for (size_t i = 0; i < data_len; i++) {
        f[data_off + i] = (uint8_t)(i * 7u + 1u);
    }
    return f;
}

static void init(bo_memimg_t *m)
{
    assert_int_equal(bo_memimg_init(m, window, BASE, CAP), 0);
}

/* 2 x 2 GiB above the window, 300 x 16 MiB below it: counted exactly, one step per put. */
static void memimg_counters_do_not_wrap_at_4_gib(void **state)
{
    static const uint8_t none[1]; /* never read: nothing lands in the window */
    bo_memimg_t m;
    init(&m);
    assert_int_equal(bo_memimg_put(&m, BASE + CAP, none, 1u << 31), 0);
    assert_int_equal(bo_memimg_put(&m, (uint64_t)BASE + CAP + (1u << 31), none, 1u << 31), 0);
    assert_true(m.cropped == 1ull << 32);
    for (int i = 0; i < 300; i++) {
        assert_int_equal(bo_memimg_put(&m, 0, none, BASE), 0);
    }
    assert_true(m.skipped == 300ull * BASE);
    assert_int_equal(m.end, 0);
    assert_true(m.work == 302u);
    bo_memimg_free(&m);
}

static void elf_overlapping_segments_refused_before_any_byte(void **state)
{
    size_t len;
    uint8_t *f = make_elf(SEG, 0, 16, SEG, &len);
    bo_memimg_t m;
    char err[BO_ERRMSG_MAX] = "";
    init(&m);
    assert_int_equal(bo_elf_load(f, len, &m, err), -1);
    assert_non_null(strstr(err, "segments 0 and 1 overlap at 0x01000210"));
    assert_true(m.work == NSEG); /* the headers, nothing placed */
    assert_int_equal(m.end, 0);
    bo_memimg_free(&m);
    free(f);
}

static void elf_disjoint_segments_cost_their_bytes(void **state)
{
    size_t len;
    uint8_t *f = make_elf(16, 16, 16, 16u * NSEG, &len);
    bo_memimg_t m;
    char err[BO_ERRMSG_MAX] = "";
    init(&m);
    assert_int_equal(bo_elf_load(f, len, &m, err), 0);
    assert_int_equal(m.end, 16u * NSEG);
    assert_memory_equal(window, f + 52 + 32 * NSEG, 16u * NSEG);
    assert_true(m.work == NSEG + NSEG + 16u * NSEG); /* headers + puts + bytes */
    assert_true(m.work <= len);
    bo_memimg_free(&m);
    free(f);
}

/* Segments that do not overlap but reach past 4 GiB would wrap the address space. */
static void elf_segment_past_4_gib_refused(void **state)
{
    size_t len;
    uint8_t *f = make_elf(16, 0, 0, 16, &len);
    f[44] = 1;
    f[45] = 0;
    le32(&f[52 + 12], 0xFFFFFFF8u);
    bo_memimg_t m;
    char err[BO_ERRMSG_MAX] = "";
    init(&m);
    assert_int_equal(bo_elf_load(f, len, &m, err), -1);
    assert_non_null(strstr(err, "runs past the 32-bit address space"));
    bo_memimg_free(&m);
    free(f);
}

/* "<count><addr>00<data><sum>" for 16 bytes at a 16-bit offset. */
static size_t hex_record(char *out, uint16_t off, const uint8_t *d)
{
    uint8_t sum = (uint8_t)(16u + (off >> 8) + (off & 0xFF));
    size_t n = (size_t)sprintf(out, ":10%04X00", off);
    for (int i = 0; i < 16; i++) {
        n += (size_t)sprintf(out + n, "%02X", d[i]);
        sum = (uint8_t)(sum + d[i]);
    }
    return n + (size_t)sprintf(out + n, "%02X\n", (uint8_t)(0x100u - sum) & 0xFF);
}

/* 20 000 records over the same 64 bytes: the image is right and the work stays below the text
 * size; one record changing a byte is refused with its line. */
static void ihex_repeated_records_cost_their_bytes(void **state)
{
    size_t cap = 64 + 46u * (NSEG + 8), n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    uint8_t d[64];
    for (int i = 0; i < 64; i++) {
        d[i] = (uint8_t)(i * 5 + 3);
    }
    n += (size_t)sprintf(t + n, ":020000040100F9\n");
    for (uint32_t i = 0; i < NSEG; i++) {
        n += hex_record(t + n, (uint16_t)(0x200u + 16u * (i % 4)), d + 16 * (i % 4));
    }
    size_t good = n;
    n += (size_t)sprintf(t + n, ":00000001FF\n");
    bo_memimg_t m;
    char err[BO_ERRMSG_MAX] = "";
    init(&m);
    assert_int_equal(bo_ihex_load((const uint8_t *)t, n, &m, err), 0);
    assert_int_equal(m.end, 64);
    assert_memory_equal(window, d, 64);
    assert_true(m.work <= n);
    bo_memimg_free(&m);

    d[20] ^= 0xFF; /* the record at 0x210 now changes byte 0x214 */
    n = good + hex_record(t + good, 0x210, d + 16);
    n += (size_t)sprintf(t + n, ":00000001FF\n");
    init(&m);
    assert_int_equal(bo_ihex_load((const uint8_t *)t, n, &m, err), -1);
    assert_non_null(strstr(err, "line 20002: changes the byte at 0x01000214"));
    bo_memimg_free(&m);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(memimg_counters_do_not_wrap_at_4_gib),
        cmocka_unit_test(elf_overlapping_segments_refused_before_any_byte),
        cmocka_unit_test(elf_disjoint_segments_cost_their_bytes),
        cmocka_unit_test(elf_segment_past_4_gib_refused),
        cmocka_unit_test(ihex_repeated_records_cost_their_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
