/* Power cut mid-OTA at a spread of flash operations (clean and torn), on the posix NOR model:
 * the half-written slot 1 is never authentic, and after a reboot an opted-in client resumes from
 * the reported start index (checkpoints every 4 KiB: at most one page re-sent) and ends with a valid image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/img.h"
#include "bleota/ota.h"
#include "ota_nor_dev.h"

#define WINDOW 1024u
#define V2 0x01000001u
#define FW_LEN (24u * 1024u)

/* Cut before flash operation `op` (counted from the Update Start). Returns false once the cut
 * falls after the whole transfer (nothing left to test). */
static bool cut_and_resume(const uint8_t *p, size_t len, uint64_t op, bo_nor_cut_kind_t kind)
{
    nor_dev_t *d = nor_dev_new();
    nor_dev_boot(d, WINDOW);
    h_client_t c = nor_dev_client(d);
    assert_int_equal(nor_dev_request(&c, len, V2), 0);
    bo_nor_cut_before(&d->nor, op, kind, (uint32_t)op);
    size_t acked = h_send(&c, p, 0, len, WINDOW, 0);
    bool cut = !d->nor.powered;
    if (cut) {
        /* power is gone: the device reboots; nothing of the download may be authentic */
        assert_int_equal(bo_nor_reboot(&d->nor), BO_OK);
        bo_boot_image_t info;
        assert_int_not_equal(bo_boot_authenticate(&d->boot, 1, &info), BO_OK);
        nor_dev_boot(d, WINDOW);
        c = nor_dev_client(d);
        uint32_t start = nor_dev_request(&c, len, V2);
        assert_true(start % BO_OTAS_CHECKPOINT == 0u);
        assert_true(start <= acked); /* never claims more than was acknowledged */
        assert_true(acked - start <= BO_OTAS_CHECKPOINT); /* at most one page again */
        assert_int_equal(h_send(&c, p, start, len, WINDOW, 0), len);
    } else {
        assert_int_equal(acked, len);
    }
    assert_int_equal(h_complete(&c), 0x00);
    nor_dev_free(d);
    return cut;
}

static void power_cut_mid_transfer_resumes_to_a_valid_image(void **s)
{
    size_t len;
    static const uint8_t iv[16] = {0};
    uint8_t *p = make_image(FW_LEN, V2, mchp_aes_key, iv, &len);
    unsigned cuts = 0;
    for (uint64_t op = 1; op < 100000u; op += 23u) {
        bo_nor_cut_kind_t kind = (op / 23u) % 2u ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN;
        if (!cut_and_resume(p, len, op, kind)) {
            break;
        }
        cuts++;
    }
    assert_true(cuts > 20u); /* the spread really covered the transfer */
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(power_cut_mid_transfer_resumes_to_a_valid_image),
    };
    return cmocka_run_group_tests_name("ota_powerloss", tests, NULL, NULL);
}
