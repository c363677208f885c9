/* The flash port contract, rule by rule (see flash_contract.h). */
#include "flash_contract.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define BASE 0x01000000u
#define SIZE 0x00100000u
#define PAGE 4096u
#define UNIT 16u
#define SCRATCH (BASE + 0x90000u) /* a page in slot 1 */

int fc_setup(void **state)
{
    fc_target_t *t = *state;
    t->flash = t->open();
    return t->flash != NULL ? 0 : -1;
}

int fc_teardown(void **state)
{
    fc_target_t *t = *state;
    t->close();
    return 0;
}

static const bo_flash_t *F(void **state)
{
    return ((fc_target_t *)*state)->flash;
}

static int rd(void **s, uint32_t a, void *b, uint32_t n)
{
    return F(s)->read(F(s)->ctx, a, b, n);
}
static int pg(void **s, uint32_t a, const void *b, uint32_t n)
{
    return F(s)->prog(F(s)->ctx, a, b, n);
}
static int er(void **s, uint32_t a)
{
    return F(s)->erase(F(s)->ctx, a);
}

static void fill(uint8_t *b, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (uint8_t)(seed >> 16);
    }
}

static bool blank(void **s, uint32_t a, uint32_t n)
{
    uint8_t b[256];
    for (uint32_t off = 0; off < n; off += sizeof b) {
        uint32_t k = n - off < sizeof b ? n - off : (uint32_t)sizeof b;
        assert_int_equal(rd(s, a + off, b, k), BO_OK);
        for (uint32_t i = 0; i < k; i++)
            if (b[i] != 0xFFu)
                return false;
    }
    return true;
}

static void geometry_is_bz2_program_flash(void **s)
{
    assert_int_equal(F(s)->base, BASE);
    assert_int_equal(F(s)->size, SIZE);
    assert_int_equal(F(s)->page_size, PAGE);
    assert_int_equal(F(s)->prog_unit, UNIT);
}

static void erase_reads_ff(void **s)
{
    uint8_t d[64];
    fill(d, sizeof d, 1);
    assert_int_equal(pg(s, SCRATCH, d, sizeof d), BO_OK);
    assert_int_equal(er(s, SCRATCH), BO_OK);
    assert_true(blank(s, SCRATCH, PAGE));
}

static void program_reads_back_every_length(void **s)
{
    /* one unit, a few units, one row, a whole page, from aligned and unaligned sources */
    static const uint32_t lens[] = {16, 48, 1024, 4096};
    static uint8_t buf[4096 + 4] __attribute__((aligned(8)));
    uint8_t back[4096];
    uint32_t a = SCRATCH;
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        for (uint32_t shift = 0; shift <= 1; shift++) {
            uint8_t *src = buf + shift;
            fill(src, lens[i], (uint32_t)(i * 7 + shift));
            a = (a + 1023u) & ~1023u; /* row aligned: the driver may use a row operation */
            assert_int_equal(pg(s, a, src, lens[i]), BO_OK);
            assert_int_equal(rd(s, a, back, lens[i]), BO_OK);
            assert_memory_equal(back, src, lens[i]);
            a += lens[i];
        }
    }
}

static void program_into_erased_clears_only_what_data_clears(void **s)
{
    uint8_t d[32], b[32];
    memset(d, 0xFF, sizeof d);
    d[3] = 0x7E;
    d[17] = 0x00;
    assert_int_equal(pg(s, SCRATCH, d, sizeof d), BO_OK);
    assert_int_equal(rd(s, SCRATCH, b, sizeof b), BO_OK);
    assert_memory_equal(b, d, sizeof d);
}

static void misaligned_requests_are_align_errors(void **s)
{
    uint8_t d[32] = {0};
    assert_int_equal(pg(s, SCRATCH + 8, d, 16), BO_ERR_ALIGN);
    assert_int_equal(pg(s, SCRATCH, d, 24), BO_ERR_ALIGN);
    assert_int_equal(pg(s, SCRATCH, d, 0), BO_ERR_ALIGN);
    assert_int_equal(er(s, SCRATCH + UNIT), BO_ERR_ALIGN);
    assert_true(blank(s, SCRATCH, PAGE));
}

static void outside_the_window_is_range_error(void **s)
{
    uint8_t d[32] = {0};
    assert_int_equal(pg(s, BASE - UNIT, d, UNIT), BO_ERR_RANGE);
    assert_int_equal(pg(s, BASE + SIZE - UNIT, d, 32), BO_ERR_RANGE);
    assert_int_equal(er(s, BASE + SIZE), BO_ERR_RANGE);
    assert_int_equal(er(s, 0x00000000u), BO_ERR_RANGE); /* the boot flash is out of reach */
    assert_int_equal(rd(s, BASE + SIZE - 1, d, 2), BO_ERR_RANGE);
}

static void second_program_of_a_unit_is_refused_and_writes_nothing(void **s)
{
    uint8_t a[16], b[16], back[16];
    fill(a, sizeof a, 3);
    memset(b, 0x00, sizeof b);
    assert_int_equal(pg(s, SCRATCH + 32, a, 16), BO_OK);
    assert_true(pg(s, SCRATCH + 32, b, 16) < 0); /* even to clear more bits */
    assert_int_equal(rd(s, SCRATCH + 32, back, 16), BO_OK);
    assert_memory_equal(back, a, 16);
}

static void range_over_a_programmed_unit_is_refused_whole(void **s)
{
    uint8_t a[16], z[64] = {0};
    fill(a, sizeof a, 4);
    assert_int_equal(pg(s, SCRATCH + 32, a, 16), BO_OK);
    assert_true(pg(s, SCRATCH, z, 64) < 0);
    assert_true(blank(s, SCRATCH, 32));      /* the units before it were not written */
    assert_true(blank(s, SCRATCH + 48, 16)); /* nor after */
}

static void erase_makes_units_programmable_again(void **s)
{
    uint8_t a[16], b[16], back[16];
    fill(a, sizeof a, 5);
    fill(b, sizeof b, 6);
    assert_int_equal(pg(s, SCRATCH, a, 16), BO_OK);
    assert_int_equal(er(s, SCRATCH), BO_OK);
    assert_int_equal(pg(s, SCRATCH, b, 16), BO_OK);
    assert_int_equal(rd(s, SCRATCH, back, 16), BO_OK);
    assert_memory_equal(back, b, 16);
}

static void erase_leaves_neighbour_pages_alone(void **s)
{
    static uint8_t d[3 * PAGE];
    uint8_t back[PAGE];
    fill(d, sizeof d, 7);
    assert_int_equal(pg(s, SCRATCH, d, sizeof d), BO_OK);
    assert_int_equal(er(s, SCRATCH + PAGE), BO_OK);
    assert_int_equal(rd(s, SCRATCH, back, PAGE), BO_OK);
    assert_memory_equal(back, d, PAGE);
    assert_true(blank(s, SCRATCH + PAGE, PAGE));
    assert_int_equal(rd(s, SCRATCH + 2 * PAGE, back, PAGE), BO_OK);
    assert_memory_equal(back, d + 2 * PAGE, PAGE);
}

static void reads_any_address_and_length(void **s)
{
    static uint8_t d[2 * PAGE];
    uint8_t back[300];
    fill(d, sizeof d, 8);
    assert_int_equal(pg(s, SCRATCH, d, sizeof d), BO_OK);
    assert_int_equal(rd(s, SCRATCH + PAGE - 150, back, 300), BO_OK); /* across a page */
    assert_memory_equal(back, d + PAGE - 150, 300);
    assert_int_equal(rd(s, SCRATCH + 3, back, 1), BO_OK);
    assert_int_equal(back[0], d[3]);
    assert_int_equal(rd(s, BASE + SIZE - 1, back, 1), BO_OK); /* the very last byte */
    assert_int_equal(back[0], 0xFF);
}

static void whole_slot_program_and_read(void **s)
{
    /* 64 KiB at the start of slot 1 in one call (the DFU writer and the installer do this) */
    const uint32_t n = 16u * PAGE;
    uint8_t *d = malloc(n), *back = malloc(n);
    assert_non_null(d);
    assert_non_null(back);
    fill(d, n, 9);
    for (uint32_t p = 0; p < n; p += PAGE)
        assert_int_equal(er(s, BASE + 0x80000u + p), BO_OK);
    assert_int_equal(pg(s, BASE + 0x80000u, d, n), BO_OK);
    assert_int_equal(rd(s, BASE + 0x80000u, back, n), BO_OK);
    assert_memory_equal(back, d, n);
    free(d);
    free(back);
}

const struct fc_case fc_cases[] = {
    {"geometry_is_bz2_program_flash", geometry_is_bz2_program_flash},
    {"erase_reads_ff", erase_reads_ff},
    {"program_reads_back_every_length", program_reads_back_every_length},
    {"program_into_erased_clears_only_what_data_clears",
     program_into_erased_clears_only_what_data_clears},
    {"misaligned_requests_are_align_errors", misaligned_requests_are_align_errors},
    {"outside_the_window_is_range_error", outside_the_window_is_range_error},
    {"second_program_of_a_unit_is_refused_and_writes_nothing",
     second_program_of_a_unit_is_refused_and_writes_nothing},
    {"range_over_a_programmed_unit_is_refused_whole",
     range_over_a_programmed_unit_is_refused_whole},
    {"erase_makes_units_programmable_again", erase_makes_units_programmable_again},
    {"erase_leaves_neighbour_pages_alone", erase_leaves_neighbour_pages_alone},
    {"reads_any_address_and_length", reads_any_address_and_length},
    {"whole_slot_program_and_read", whole_slot_program_and_read},
};
const size_t fc_case_count = sizeof fc_cases / sizeof fc_cases[0];
