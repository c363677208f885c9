/* boot: trial images (swap, confirm, revert), the version floor, image identity and read errors,
 * over the in-memory NOR model. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include "bleota/boot.h"
#include "bleota/crc32.h"
#include "bleota/endian.h"
#include "bleota/layout_bz2.h"
#include "tboot.h"
#include "tflash.h"
#include "timg.h"

#define V1 0x01000000u
#define V2 0x02000000u
#define V3 0x03000000u
#define V4 0x04000000u
#define FW1 (20u * 1024u)
#define FW2 (28u * 1024u) /* the new image is bigger: the swap moves max(old, new) pages */
#define CAP (BO_MD_SIZE + 64u * 1024u)

typedef struct fx {
    tflash_t t;
    tkey_t key;
    bo_boot_cfg_t cfg;
    uint8_t img[5][CAP]; /* [v] = version v, trial flag set for 2..4 */
    size_t len[5];
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    tboot_init(&f->t, &f->key, 7, &f->cfg);
    f->len[1] = timg_build3(f->img[1], CAP, &f->key, V1, FW1, 1, 2, 2, 0);
    f->len[2] = timg_build3(f->img[2], CAP, &f->key, V2, FW2, 2, 2, 2, BO_MD_FLAG_TRIAL);
    f->len[3] = timg_build3(f->img[3], CAP, &f->key, V3, FW1, 3, 2, 2, BO_MD_FLAG_TRIAL);
    f->len[4] = timg_build3(f->img[4], CAP, &f->key, V4, FW2, 4, 2, 2, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    tboot_free(&f->t, &f->key);
    free(f);
    return 0;
}

static bool holds(fx_t *f, uint32_t addr, const uint8_t *img, size_t len)
{
    uint8_t *buf = malloc(len);
    tflash_peek(&f->t, addr, buf, (uint32_t)len);
    bool ok = memcmp(buf, img, len) == 0;
    free(buf);
    return ok;
}

static void put_slot1(fx_t *f, const uint8_t *img, size_t len)
{
    tflash_load(&f->t, BO_BZ2_SLOT1, img, (uint32_t)len);
}

static bo_boot_result_t boot(fx_t *f, uint32_t version)
{
    bo_boot_result_t res;
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_RUN);
    assert_int_equal(res.image.version, version);
    assert_int_equal(f->t.violations, 0);
    return res;
}

static bo_boot_state_t state_of(fx_t *f, uint32_t *floor)
{
    bo_boot_status_t st;
    assert_int_equal(bo_boot_status(&f->cfg, &st), BO_OK);
    assert_true(st.journal);
    if (floor != NULL) {
        *floor = st.floor;
    }
    return st.state;
}

/* v1 (factory, permanent) running and booted once: the floor is v1. */
static void factory(fx_t *f)
{
    tflash_load(&f->t, BO_BZ2_SLOT0, f->img[1], (uint32_t)f->len[1]);
    boot(f, V1);
}

static void boot_factory_image_first_boot_records_floor_then_writes_nothing(void **state)
{
    fx_t *f = *state;
    uint32_t floor = 0;
    tflash_load(&f->t, BO_BZ2_SLOT0, f->img[1], (uint32_t)f->len[1]);
    uint64_t before = f->t.ops;
    boot(f, V1);
    assert_int_equal(f->t.ops - before, 1); /* one status record: the floor */
    assert_int_equal(state_of(f, &floor), BO_BOOT_ST_IDLE);
    assert_int_equal(floor, V1);
    before = f->t.ops;
    boot(f, V1);
    assert_int_equal(f->t.ops, before);
}

static void boot_trial_image_runs_on_trial_with_old_image_saved(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[2], f->len[2]);
    bo_boot_result_t res = boot(f, V2);
    assert_true(res.installed);
    assert_true(res.trial);
    assert_true(holds(f, BO_BZ2_SLOT0, f->img[2], f->len[2]));
    /* the old image one page up in slot 1; slot 1's header page erased */
    assert_true(holds(f, BO_BZ2_SLOT1 + 4096, f->img[1], f->len[1]));
    uint8_t hdr[16];
    tflash_peek(&f->t, BO_BZ2_SLOT1, hdr, sizeof hdr);
    for (size_t i = 0; i < sizeof hdr; i++) {
        assert_int_equal(hdr[i], 0xFF);
    }
    uint32_t floor = 0;
    assert_int_equal(state_of(f, &floor), BO_BOOT_ST_TRIAL);
    assert_int_equal(floor, V1); /* not raised before the image confirms */
}

static void boot_unconfirmed_trial_is_reverted_at_next_reset(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[2], f->len[2]);
    boot(f, V2);
    bo_boot_result_t res = boot(f, V1); /* reset without bo_boot_confirm */
    assert_true(res.reverted);
    assert_false(res.trial);
    assert_true(holds(f, BO_BZ2_SLOT0, f->img[1], f->len[1]));
    uint32_t floor = 0;
    assert_int_equal(state_of(f, &floor), BO_BOOT_ST_IDLE);
    assert_int_equal(floor, V1);
    uint64_t before = f->t.ops;
    boot(f, V1);
    assert_int_equal(f->t.ops, before); /* settled */
}

static void boot_confirmed_trial_stays_and_raises_floor(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[2], f->len[2]);
    boot(f, V2);
    uint64_t before = f->t.ops;
    assert_int_equal(bo_boot_confirm(&f->cfg), BO_OK);
    assert_int_equal(f->t.ops - before, 1); /* one program, never an erase */
    uint32_t floor = 0;
    assert_int_equal(state_of(f, &floor), BO_BOOT_ST_IDLE);
    assert_int_equal(floor, V2);
    for (int i = 0; i < 3; i++) {
        bo_boot_result_t res = boot(f, V2);
        assert_false(res.reverted);
        assert_false(res.trial);
    }
    assert_int_equal(bo_boot_confirm(&f->cfg), BO_OK); /* nothing to confirm: no write */
}

static void boot_permanent_image_is_never_reverted_for_not_confirming(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[4], f->len[4]);
    bo_boot_result_t res = boot(f, V4);
    assert_true(res.installed);
    assert_false(res.trial);
    res = boot(f, V4);
    assert_false(res.reverted);
    uint32_t floor = 0;
    assert_int_equal(state_of(f, &floor), BO_BOOT_ST_IDLE);
    assert_int_equal(floor, V4); /* raised at its first good boot */
}

static void boot_floor_refuses_older_slot1_even_with_slot0_gone(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[4], f->len[4]);
    boot(f, V4); /* floor v4 */
    /* slot 0's header erased (as an interrupted install leaves it) and an old v3 in slot 1 */
    uint8_t blank[4096];
    memset(blank, 0xFF, sizeof blank);
    tflash_poke(&f->t, BO_BZ2_SLOT0, blank, sizeof blank);
    put_slot1(f, f->img[3], f->len[3]);
    bo_boot_result_t res;
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.slot1_status, BO_ERR_ROLLBACK);
    assert_false(res.installed);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
}

static void boot_floor_refuses_older_image_in_slot0(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[4], f->len[4]);
    boot(f, V4);
    tflash_load(&f->t, BO_BZ2_SLOT0, f->img[1], (uint32_t)f->len[1]); /* by other means */
    bo_boot_result_t res;
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
    assert_int_equal(res.slot0_status, BO_ERR_ROLLBACK);
}

/* s -> n - s in a DER ECDSA signature field (the other valid encoding of the same signature). */
static void flip_s(uint8_t *sig, uint8_t *sig_len)
{
    mbedtls_ecp_group grp;
    mbedtls_mpi s, ns;
    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&s);
    mbedtls_mpi_init(&ns);
    assert_int_equal(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1), 0);
    uint8_t rlen = sig[3];
    uint8_t *sp = sig + 4 + rlen;
    assert_int_equal(sp[0], 0x02);
    assert_int_equal(mbedtls_mpi_read_binary(&s, sp + 2, sp[1]), 0);
    assert_int_equal(mbedtls_mpi_sub_mpi(&ns, &grp.N, &s), 0);
    uint8_t be[33] = {0};
    size_t n = mbedtls_mpi_size(&ns);
    assert_int_equal(mbedtls_mpi_write_binary(&ns, be + 1, 32), 0);
    const uint8_t *val = be + 1 + (32 - n);
    size_t vlen = n;
    if (val[0] & 0x80) { /* DER: a leading zero keeps it positive */
        val--;
        vlen++;
    }
    sp[1] = (uint8_t)vlen;
    memcpy(sp + 2, val, vlen);
    *sig_len = (uint8_t)(4 + rlen + 2 + vlen);
    sig[1] = (uint8_t)(*sig_len - 2);
    mbedtls_ecp_group_free(&grp);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&ns);
}

static void boot_running_image_resent_with_other_bytes_is_current(void **state)
{
    fx_t *f = *state;
    factory(f);
    uint8_t copy[CAP];
    memcpy(copy, f->img[1], f->len[1]);
    bo_put_le32(copy + BO_MD_OFF_SEQ, 0x1234u); /* not covered by the signature */
    uint8_t sig[80] = {0};
    uint8_t len = copy[BO_MD_OFF_MD_SIG_SZ];
    memcpy(sig, copy + BO_MD_OFF_MD_SIG, len);
    flip_s(sig, &len);
    memset(copy + BO_MD_OFF_MD_SIG, 0, BO_MD_SIG_MAX);
    memcpy(copy + BO_MD_OFF_MD_SIG, sig, len);
    copy[BO_MD_OFF_MD_SIG_SZ] = len;
    assert_memory_not_equal(copy, f->img[1], BO_MD_SIZE);
    put_slot1(f, copy, f->len[1]);
    uint64_t before = f->t.ops;
    bo_boot_result_t res = boot(f, V1);
    assert_true(res.current);
    assert_false(res.installed);
    assert_true(holds(f, BO_BZ2_SLOT0, f->img[1], f->len[1])); /* slot 0 never erased */
    /* only slot 1 is retired: the resume pages and its header page, nothing in slot 0 */
    assert_int_equal(f->t.ops - before, BO_BZ2_RESUME_PAGES - 1u + 1u);
}

static void boot_unreadable_slot1_never_stops_slot0(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[2], f->len[2]);
    f->t.bad_read = BO_BZ2_SLOT1 + 8192u;
    bo_boot_result_t res = boot(f, V1);
    assert_int_equal(res.slot1_status, BO_ERR_IO);
    assert_false(res.installed);
}

static void boot_trial_whose_saved_copy_is_gone_keeps_running(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[2], f->len[2]);
    boot(f, V2);
    uint8_t junk[4096];
    memset(junk, 0x00, sizeof junk);
    tflash_poke(&f->t, BO_BZ2_SLOT1 + 2 * 4096, junk, sizeof junk); /* e.g. rewritten */
    bo_boot_result_t res = boot(f, V2);
    assert_true(res.revert_lost);
    assert_false(res.reverted);
}

static void boot_second_trial_reverts_to_the_confirmed_one(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[2], f->len[2]);
    boot(f, V2);
    assert_int_equal(bo_boot_confirm(&f->cfg), BO_OK);
    put_slot1(f, f->img[3], f->len[3]); /* the application's next download */
    bo_boot_result_t res = boot(f, V3);
    assert_true(res.trial);
    res = boot(f, V2);
    assert_true(res.reverted);
    assert_true(holds(f, BO_BZ2_SLOT0, f->img[2], f->len[2]));
    uint32_t floor = 0;
    state_of(f, &floor);
    assert_int_equal(floor, V2);
}

static void boot_recover_finishes_revert_before_anything_else(void **state)
{
    fx_t *f = *state;
    factory(f);
    put_slot1(f, f->img[2], f->len[2]);
    boot(f, V2);
    bo_boot_result_t res;
    assert_int_equal(bo_boot_recover(&f->cfg, &res), BO_OK);
    assert_true(res.reverted);
    assert_true(holds(f, BO_BZ2_SLOT0, f->img[1], f->len[1]));
    assert_int_equal(state_of(f, NULL), BO_BOOT_ST_IDLE);
}

/* A record that would sit at the end of the sequence space (foreign or corrupt contents)
 * never wins over the records written after it: the state machine keeps working. */
static void boot_status_record_at_sequence_end_never_wins(void **state)
{
    fx_t *f = *state;
    factory(f);
    uint8_t r[16] = {0xB5, BO_BOOT_ST_REVERTING, 0, 0};
    bo_put_le32(r + 4, 0xFFFFFFFEu);
    bo_put_le32(r + 8, 0);
    bo_put_le32(r + 12, bo_crc32(r, 12));
    tflash_poke(&f->t, BO_BZ2_RESUME_ADDR + 3u * 4096u + 16u, r, sizeof r);
    put_slot1(f, f->img[2], f->len[2]);
    bo_boot_result_t res = boot(f, V2);
    assert_true(res.trial);
    assert_int_equal(bo_boot_confirm(&f->cfg), BO_OK);
    uint32_t floor = 0;
    assert_int_equal(state_of(f, &floor), BO_BOOT_ST_IDLE);
    assert_int_equal(floor, V2);
    res = boot(f, V2);
    assert_false(res.reverted);
}

/* A swap whose progress page has no free record slot left (foreign or corrupt bytes in every
 * slot after a cut) moves its progress to the other progress page and finishes; the revert
 * then finds the header there. */
static void boot_swap_goes_on_when_its_progress_page_is_full(void **state)
{
    fx_t *f = *state;
    const uint32_t prog = BO_BZ2_RESUME_ADDR + 4096u;
    factory(f);
    put_slot1(f, f->img[2], f->len[2]);
    bo_boot_result_t res;
    uint64_t n = 1;
    do { /* cut a fresh boot ever later, until one stopped just after the swap began */
        tflash_cut(&f->t, n++, false, 0);
        assert_int_equal(bo_boot_run(&f->cfg, &res), BO_ERR_POWER);
        tflash_reboot(&f->t);
    } while (state_of(f, NULL) != BO_BOOT_ST_SWAPPING);
    static const uint8_t junk[16] = {0};
    for (uint32_t at = prog + 64u; at < prog + 4096u; at += 16u) {
        tflash_poke(&f->t, at, junk, sizeof junk);
    }
    res = boot(f, V2);
    assert_true(res.trial);
    assert_true(holds(f, BO_BZ2_SLOT0, f->img[2], f->len[2]));
    assert_true(holds(f, BO_BZ2_SLOT1 + 4096u, f->img[1], f->len[1]));
    res = boot(f, V1); /* never confirmed: reverted with the header from the other page */
    assert_true(res.reverted);
    assert_true(holds(f, BO_BZ2_SLOT0, f->img[1], f->len[1]));
}

/* A program unit that does not divide 64 (48: 16-byte records would straddle units, the 64-byte
 * swap header would need 96) gives the layout no status page (no journal: images install by
 * copy), so no swap header can outgrow its 64-byte buffer; a unit dividing 64 keeps it. */
static void boot_program_unit_not_dividing_64_has_no_journal(void **state)
{
    fx_t *f = *state;
    tflash_load(&f->t, BO_BZ2_SLOT0, f->img[1], (uint32_t)f->len[1]);
    bo_flash_t odd = f->t.flash;
    odd.prog_unit = 48;
    odd.page_size = 4080; /* a multiple of 48 */
    bo_boot_cfg_t cfg = f->cfg;
    cfg.flash = &odd;
    bo_boot_status_t st;
    assert_int_equal(bo_boot_status(&cfg, &st), BO_OK);
    assert_false(st.journal);
    odd.prog_unit = 32;
    odd.page_size = 4096;
    assert_int_equal(bo_boot_status(&cfg, &st), BO_OK);
    assert_true(st.journal);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(boot_factory_image_first_boot_records_floor_then_writes_nothing),
        T(boot_trial_image_runs_on_trial_with_old_image_saved),
        T(boot_unconfirmed_trial_is_reverted_at_next_reset),
        T(boot_confirmed_trial_stays_and_raises_floor),
        T(boot_permanent_image_is_never_reverted_for_not_confirming),
        T(boot_floor_refuses_older_slot1_even_with_slot0_gone),
        T(boot_floor_refuses_older_image_in_slot0),
        T(boot_running_image_resent_with_other_bytes_is_current),
        T(boot_unreadable_slot1_never_stops_slot0),
        T(boot_trial_whose_saved_copy_is_gone_keeps_running),
        T(boot_second_trial_reverts_to_the_confirmed_one),
        T(boot_recover_finishes_revert_before_anything_else),
        T(boot_status_record_at_sequence_end_never_wins),
        T(boot_swap_goes_on_when_its_progress_page_is_full),
        T(boot_program_unit_not_dividing_64_has_no_journal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
