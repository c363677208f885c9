/* The posix NOR model: rules, counters, virtual time, power cuts, torn operations, files. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bleota/posix/nor.h"

#define BASE 0x01000000u
#define SIZE (64u * 1024u)
#define PAGE 4096u
#define UNIT 16u

static bo_nor_t nor;

static int setup(void **state)
{
    return bo_nor_open(&nor, NULL, BASE, SIZE, PAGE, UNIT) == BO_OK ? 0 : -1;
}

static int teardown(void **state)
{
    bo_nor_close(&nor);
    return 0;
}

static int rd(uint32_t addr, void *buf, uint32_t len)
{
    return nor.flash.read(nor.flash.ctx, addr, buf, len);
}
static int pg(uint32_t addr, const void *buf, uint32_t len)
{
    return nor.flash.prog(nor.flash.ctx, addr, buf, len);
}
static int er(uint32_t addr)
{
    return nor.flash.erase(nor.flash.ctx, addr);
}

static void posix_nor_open_rejects_bad_geometry(void **state)
{
    bo_nor_t n;
    assert_int_equal(bo_nor_open(&n, NULL, BASE, SIZE, PAGE, 3), BO_ERR_ARG);
    assert_int_equal(bo_nor_open(&n, NULL, BASE, SIZE, PAGE, 0), BO_ERR_ARG);
    assert_int_equal(bo_nor_open(&n, NULL, BASE, SIZE, 24, 16), BO_ERR_ARG);
    assert_int_equal(bo_nor_open(&n, NULL, BASE, SIZE + 16, PAGE, UNIT), BO_ERR_ARG);
    assert_int_equal(bo_nor_open(&n, NULL, 0xFFFF0000u, SIZE * 2, PAGE, UNIT), BO_ERR_ARG);
    assert_int_equal(bo_nor_open(NULL, NULL, BASE, SIZE, PAGE, UNIT), BO_ERR_ARG);
}

static void posix_nor_is_blank_and_programming_only_clears_bits(void **state)
{
    uint8_t b[32], d[16];
    assert_int_equal(rd(BASE, b, sizeof b), BO_OK);
    for (size_t i = 0; i < sizeof b; i++)
        assert_int_equal(b[i], 0xFF);
    memset(d, 0x5A, sizeof d);
    assert_int_equal(pg(BASE + 16, d, 16), BO_OK);
    assert_int_equal(rd(BASE + 16, b, 16), BO_OK);
    assert_memory_equal(b, d, 16);
    /* a second program of the same unit breaks the rule, even to clear more bits */
    memset(d, 0x00, sizeof d);
    assert_int_equal(pg(BASE + 16, d, 16), BO_ERR_STATE);
    assert_int_equal(rd(BASE + 16, b, 1), BO_OK);
    assert_int_equal(b[0], 0x5A);
    assert_int_equal(nor.violations, 1);
    /* erase makes it programmable again */
    assert_int_equal(er(BASE), BO_OK);
    assert_int_equal(pg(BASE + 16, d, 16), BO_OK);
    assert_int_equal(nor.violations, 1);
}

static void posix_nor_programming_all_ff_still_uses_the_unit(void **state)
{
    uint8_t ff[16], z[16] = {0};
    memset(ff, 0xFF, sizeof ff);
    assert_int_equal(pg(BASE, ff, 16), BO_OK);
    assert_int_equal(pg(BASE, z, 16), BO_ERR_STATE);
    assert_int_equal(nor.violations, 1);
}

static void posix_nor_misuse_is_reported_and_counted(void **state)
{
    uint8_t d[32] = {0};
    assert_int_equal(pg(BASE + 8, d, 16), BO_ERR_ALIGN);
    assert_int_equal(pg(BASE, d, 24), BO_ERR_ALIGN);
    assert_int_equal(pg(BASE, d, 0), BO_ERR_ALIGN);
    assert_int_equal(er(BASE + 16), BO_ERR_ALIGN);
    assert_int_equal(pg(BASE + SIZE - 16, d, 32), BO_ERR_RANGE);
    assert_int_equal(pg(BASE - 16, d, 16), BO_ERR_RANGE);
    assert_int_equal(er(BASE + SIZE), BO_ERR_RANGE);
    assert_int_equal(rd(BASE + SIZE - 1, d, 2), BO_ERR_RANGE);
    assert_int_equal(nor.violations, 8);
    assert_int_equal(nor.ops, 0); /* refused calls are not operations */
}

static void posix_nor_counts_operations_and_virtual_time(void **state)
{
    uint8_t d[64] = {0};
    assert_int_equal(er(BASE), BO_OK);
    assert_int_equal(pg(BASE, d, 64), BO_OK);
    assert_int_equal(pg(BASE + 64, d, 16), BO_OK);
    assert_int_equal(rd(BASE, d, 64), BO_OK);
    assert_int_equal(nor.ops, 3);
    assert_int_equal(nor.erases, 1);
    assert_int_equal(nor.progs, 2);
    assert_int_equal(nor.virtual_us, 20000 + 5 * 15);
    nor.timing.erase_us = 1000;
    nor.timing.prog_us = 2;
    assert_int_equal(er(BASE + PAGE), BO_OK);
    assert_int_equal(pg(BASE + PAGE, d, 32), BO_OK);
    assert_int_equal(nor.virtual_us, 20000 + 5 * 15 + 1000 + 2 * 2);
}

static void posix_nor_cut_refuses_everything_until_reboot(void **state)
{
    uint8_t d[16] = {0}, b[16];
    assert_int_equal(pg(BASE, d, 16), BO_OK);
    bo_nor_cut_before(&nor, 2, BO_NOR_CUT_CLEAN, 1);
    assert_int_equal(pg(BASE + 16, d, 16), BO_OK);        /* op 1 from now */
    assert_int_equal(pg(BASE + 32, d, 16), BO_ERR_POWER); /* op 2: cut */
    assert_int_equal(rd(BASE, b, 16), BO_ERR_POWER);
    assert_int_equal(er(BASE), BO_ERR_POWER);
    assert_int_equal(pg(BASE + 48, d, 16), BO_ERR_POWER);
    assert_false(nor.powered);
    assert_int_equal(bo_nor_reboot(&nor), BO_OK);
    assert_int_equal(rd(BASE + 16, b, 16), BO_OK);
    assert_memory_equal(b, d, 16);
    assert_int_equal(rd(BASE + 32, b, 16), BO_OK); /* the cut op did nothing */
    assert_int_equal(b[0], 0xFF);
    assert_int_equal(pg(BASE + 32, d, 16), BO_OK); /* and left the unit programmable */
    /* cancel */
    bo_nor_cut_before(&nor, 1, BO_NOR_CUT_CLEAN, 1);
    bo_nor_cut_before(&nor, 0, BO_NOR_CUT_CLEAN, 1);
    assert_int_equal(pg(BASE + 48, d, 16), BO_OK);
}

/* Torn program of 4 units at a seed; returns the resulting 64 bytes. */
static void torn_prog(uint32_t seed, uint8_t out[64])
{
    uint8_t d[64];
    for (int i = 0; i < 64; i++)
        d[i] = (uint8_t)(0x0F ^ i);
    assert_int_equal(bo_nor_wipe(&nor), BO_OK);
    bo_nor_cut_before(&nor, 1, BO_NOR_CUT_TORN, seed);
    assert_int_equal(pg(BASE, d, 64), BO_ERR_POWER);
    assert_int_equal(bo_nor_reboot(&nor), BO_OK);
    assert_int_equal(rd(BASE, out, 64), BO_OK);
    for (int i = 0; i < 64; i++) /* only bits the program meant to clear may be cleared */
        assert_int_equal(out[i] & d[i], d[i]);
    assert_int_equal(nor.torn_progs, 1);
}

static void posix_nor_torn_program_lands_a_seeded_subset(void **state)
{
    uint8_t a[64], b[64], c[64];
    torn_prog(7, a);
    torn_prog(7, b);
    assert_memory_equal(a, b, 64); /* deterministic */
    bool differs = false;
    for (uint32_t s = 8; s < 40 && !differs; s++) {
        torn_prog(s, c);
        differs = memcmp(a, c, 64) != 0;
    }
    assert_true(differs);
    /* the torn unit can not be programmed again unless nothing landed; later units can */
    uint8_t z[16] = {0};
    for (int u = 0; u < 4; u++) {
        bool blank = true;
        for (int i = 0; i < 16; i++)
            blank &= c[u * 16 + i] == 0xFF;
        assert_int_equal(pg(BASE + (uint32_t)u * 16, z, 16), blank ? BO_OK : BO_ERR_STATE);
    }
}

static void posix_nor_torn_erase_leaves_part_of_the_page(void **state)
{
    uint8_t z[PAGE] = {0}, b[PAGE];
    int partial = 0;
    for (uint32_t seed = 1; seed <= 8; seed++) {
        assert_int_equal(bo_nor_wipe(&nor), BO_OK);
        assert_int_equal(pg(BASE, z, PAGE), BO_OK);
        bo_nor_cut_before(&nor, 1, BO_NOR_CUT_TORN, seed);
        assert_int_equal(er(BASE), BO_ERR_POWER);
        assert_int_equal(bo_nor_reboot(&nor), BO_OK);
        assert_int_equal(rd(BASE, b, PAGE), BO_OK);
        size_t ones = 0;
        for (uint32_t i = 0; i < PAGE; i++)
            ones += (size_t)__builtin_popcount(b[i]);
        partial += ones > 0 && ones < PAGE * 8u;
        /* a unit still holding zeros is not erased: programming it is refused */
        for (uint32_t u = 0; u < PAGE / 16; u++) {
            bool blank = true;
            for (int i = 0; i < 16; i++)
                blank &= b[u * 16 + i] == 0xFF;
            assert_int_equal(pg(BASE + u * 16, z, 16), blank ? BO_OK : BO_ERR_STATE);
        }
    }
    assert_int_equal(partial, 8);
    assert_int_equal(nor.torn_erases, 1);
}

static void posix_nor_file_keeps_contents_without_close(void **state)
{
    char path[] = "/tmp/bo_nor_test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    bo_nor_t f;
    uint8_t d[16], b[16];
    memset(d, 0x33, sizeof d);
    assert_int_equal(bo_nor_open(&f, path, BASE, SIZE, PAGE, UNIT), BO_OK);
    assert_int_equal(f.flash.prog(f.flash.ctx, BASE + PAGE, d, 16), BO_OK);
    /* a killed process never closes: the file must already hold the program */
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, PAGE, SEEK_SET), 0);
    assert_int_equal(fread(b, 1, 16, fp), 16);
    fclose(fp);
    assert_memory_equal(b, d, 16);
    /* a torn program persists too, and reboot reloads it from the file */
    bo_nor_cut_before(&f, 1, BO_NOR_CUT_TORN, 99);
    memset(d, 0, sizeof d);
    assert_int_equal(f.flash.prog(f.flash.ctx, BASE, d, 16), BO_ERR_POWER);
    uint8_t torn[16];
    memcpy(torn, f.mem, 16);
    memset(f.mem, 0xA5, 16); /* RAM garbage must not survive a reboot */
    assert_int_equal(bo_nor_reboot(&f), BO_OK);
    assert_int_equal(f.flash.read(f.flash.ctx, BASE, b, 16), BO_OK);
    assert_memory_equal(b, torn, 16);
    bo_nor_close(&f);
    /* reopen: same contents, programmed units still refuse a second program */
    assert_int_equal(bo_nor_open(&f, path, BASE, SIZE, PAGE, UNIT), BO_OK);
    assert_int_equal(f.flash.read(f.flash.ctx, BASE + PAGE, b, 16), BO_OK);
    memset(d, 0x33, sizeof d);
    assert_memory_equal(b, d, 16);
    assert_int_equal(f.flash.prog(f.flash.ctx, BASE + PAGE, d, 16), BO_ERR_STATE);
    assert_int_equal(f.flash.prog(f.flash.ctx, BASE + PAGE + 16, d, 16), BO_OK);
    bo_nor_close(&f);
    /* a file of the wrong size is a blank device */
    assert_int_equal(bo_nor_open(&f, path, BASE, SIZE * 2, PAGE, UNIT), BO_OK);
    assert_int_equal(f.flash.read(f.flash.ctx, BASE + PAGE, b, 16), BO_OK);
    assert_int_equal(b[0], 0xFF);
    bo_nor_close(&f);
    unlink(path);
}

static void posix_nor_wipe_is_factory_fresh(void **state)
{
    uint8_t d[16] = {0}, b[16];
    assert_int_equal(pg(BASE, d, 16), BO_OK);
    bo_nor_cut_before(&nor, 1, BO_NOR_CUT_CLEAN, 1);
    assert_int_equal(pg(BASE + 16, d, 16), BO_ERR_POWER);
    assert_int_equal(bo_nor_wipe(&nor), BO_OK);
    assert_int_equal(nor.ops, 0);
    assert_int_equal(rd(BASE, b, 16), BO_OK);
    assert_int_equal(b[0], 0xFF);
    assert_int_equal(pg(BASE, d, 16), BO_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(posix_nor_open_rejects_bad_geometry),
        cmocka_unit_test_setup_teardown(posix_nor_is_blank_and_programming_only_clears_bits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(posix_nor_programming_all_ff_still_uses_the_unit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(posix_nor_misuse_is_reported_and_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(posix_nor_counts_operations_and_virtual_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(posix_nor_cut_refuses_everything_until_reboot, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(posix_nor_torn_program_lands_a_seeded_subset, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(posix_nor_torn_erase_leaves_part_of_the_page, setup,
                                        teardown),
        cmocka_unit_test(posix_nor_file_keeps_contents_without_close),
        cmocka_unit_test_setup_teardown(posix_nor_wipe_is_factory_fresh, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
