/* Acceptance 6 (a client that stops sending is timed out, reported, and a new update works)
 * and the server half of acceptance 5 (link loss mid-transfer, resume for opted-in clients). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/endian.h"
#include "bleota/img.h"
#include "ota_fixture.h"

#define FW_LEN (40u * 1024u)

static const uint8_t OPT_IN = BO_OTAS_OP_RESUME_OPT_IN;

/* Request + start for payload p on client c; returns the start index. */
static uint32_t begin(ofx_t *f, h_client_t *c, const uint8_t *p, size_t len, uint16_t *window)
{
    (void)p;
    uint8_t req[19];
    uint32_t start = 0xFFFFFFFFu;
    size_t n = h_req(req, (uint32_t)len, BO_IMG_DEFAULT_ID, 0x01000001u, 1, 0xBEEF, true);
    assert_int_equal(h_request(c, req, n, window, &start), 0x00);
    assert_int_equal(h_start(c), 0x00);
    return start;
}

static void silent_client_times_out_is_reported_and_new_update_works(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    size_t len;
    uint8_t *p = make_image(FW_LEN, 0x01000001u, f->aes_key, f->aes_iv, &len);
    h_client_connect(&f->a);
    uint16_t window;
    begin(f, &f->a, p, len, &window);
    assert_int_equal(h_send(&f->a, p, 0, len, window, window + 100), window);
    f->now += BO_OTA_TIMEOUT_DEFAULT_MS - 1;
    ofx_process(f);
    assert_null(ofx_last(f, BO_OTA_EVT_ABORTED));
    f->now += 1;
    ofx_process(f);
    const bo_ota_evt_t *e = ofx_last(f, BO_OTA_EVT_ABORTED);
    assert_non_null(e);
    assert_int_equal(e->reason, BO_OTAS_ABORT_TIMEOUT);
    const h_notif_t *nt = h_next(&f->rec);
    assert_non_null(nt);
    assert_int_equal(nt->attr, BO_OTAS_ATTR_DATA);
    assert_int_equal(nt->data[0], 0x05); /* the waiting client hears that it is over */
    assert_int_equal(bo_otas_state(bo_ota_otas(&f->ota)), BO_OTAS_IDLE);
    assert_int_not_equal(f->ota.dfu.state, BO_DFU_RECEIVING);
    /* the late rest of the old transfer is refused, not stored */
    bo_otas_write(bo_ota_otas(&f->ota), f->a.conn, BO_OTAS_ATTR_DATA, true, &p[window], 16);
    ofx_process(f);
    assert_int_equal(h_next(&f->rec)->data[0], 0x01);
    /* the former owner's late Control Point write is answered by notification (a stock client
     * ignores ATT errors and would hang): 01 Invalid State; another link still gets ATT 0x03 */
    uint8_t start[2] = {BO_OTAS_OP_UPDATE_START, 0x01};
    assert_int_equal(h_cp(&f->a, start, 2), 0);
    nt = h_next(&f->rec);
    assert_non_null(nt);
    assert_int_equal(nt->attr, BO_OTAS_ATTR_CTRL);
    assert_int_equal(nt->data[1], BO_OTAS_OP_UPDATE_START);
    assert_int_equal(nt->data[2], BO_OTAS_RES_INVALID_STATE);
    h_client_connect(&f->b);
    assert_int_equal(h_cp(&f->b, start, 2), BO_OTAS_ATT_WRITE_NOT_PERMITTED);

    int step;
    assert_int_equal(run_update(f, &f->a, p, len, 0x01000001u, 1, 0xBEEF, &step), 0x00);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_COMPLETE)->status, BO_OK);
    free(p);
    ofx_free(f);
}

static void steady_client_never_times_out(void **s)
{
    ofx_opts_t o = {.timeout_ms = 1000, .window = 1024};
    ofx_t *f = ofx_new(&o);
    size_t len;
    uint8_t *p = make_image(FW_LEN, 0x01000001u, f->aes_key, f->aes_iv, &len);
    h_client_connect(&f->a);
    uint16_t window;
    begin(f, &f->a, p, len, &window);
    assert_int_equal(window, 1024);
    for (size_t off = 0; off < len; off += window) {
        f->now += 900; /* each window a little under the timeout */
        assert_int_equal(h_send(&f->a, p, off, len, window, window),
                         off + window < len ? off + window : len);
    }
    f->now += 900;
    assert_int_equal(h_complete(&f->a), 0x00);
    assert_null(ofx_last(f, BO_OTA_EVT_ABORTED));
    free(p);
    ofx_free(f);
}

static void timeout_waiting_for_start_aborts_too(void **s)
{
    ofx_opts_t o = {.timeout_ms = 2000};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    uint8_t req[19];
    size_t n = h_req(req, 1024, 1, 0x01000001u, 0, 0, true);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0);
    f->now += 2000;
    ofx_process(f);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_ABORTED)->reason, BO_OTAS_ABORT_TIMEOUT);
    assert_null(h_next(&f->rec)); /* no data was flowing: nothing to tell on OTA Data */
    ofx_free(f);
}

/* Link loss after `cut` bytes, reconnect, opt in, continue from the reported start index. */
static void resume_after_link_loss(size_t cut)
{
    ofx_opts_t o = {.resume = true, .window = 1024};
    ofx_t *f = ofx_new(&o);
    size_t len;
    uint8_t *p = make_image(FW_LEN, 0x01000001u, f->aes_key, f->aes_iv, &len);
    h_client_connect(&f->a);
    assert_int_equal(h_cp(&f->a, &OPT_IN, 1), 0);
    assert_int_equal(h_next(&f->rec)->data[2], 0x00);
    uint16_t window;
    assert_int_equal(begin(f, &f->a, p, len, &window), 0);
    size_t acked = h_send(&f->a, p, 0, len, window, cut);
    assert_int_equal(acked, cut / window * window);
    bo_otas_disconnected(bo_ota_otas(&f->ota), f->a.conn);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_ABORTED)->reason, BO_OTAS_ABORT_DISCONNECT);

    h_client_connect(&f->a);
    assert_int_equal(h_cp(&f->a, &OPT_IN, 1), 0);
    (void)h_next(&f->rec);
    uint32_t start = begin(f, &f->a, p, len, &window);
    /* checkpoints every 4 KiB whatever the window: less than a page is sent again */
    assert_int_equal(start, cut / BO_OTAS_CHECKPOINT * BO_OTAS_CHECKPOINT);
    assert_true(start <= acked && cut - start < BO_OTAS_CHECKPOINT);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_START)->done, start);
    assert_int_equal(h_send(&f->a, p, start, len, window, 0), len);
    assert_int_equal(h_complete(&f->a), 0x00);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_COMPLETE)->status, BO_OK);
    /* a resumed download lost its streamed hash: slot 1 is authenticated from flash */
    assert_int_equal(f->auth_calls, start > 0 ? 1u : 0u);
    free(p);
    ofx_free(f);
}

static void resume_continues_decryption_from_persisted_cursor(void **s)
{
    const size_t cuts[] = {100, 1024, 1500, 5 * 1024 + 17, 20000, 40 * 1024};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        resume_after_link_loss(cuts[i]);
    }
}

static void resume_after_timeout_keeps_record(void **s)
{
    ofx_opts_t o = {.resume = true, .window = 2048};
    ofx_t *f = ofx_new(&o);
    size_t len;
    uint8_t *p = make_image(FW_LEN, 0x01000001u, f->aes_key, f->aes_iv, &len);
    h_client_connect(&f->a);
    assert_int_equal(h_cp(&f->a, &OPT_IN, 1), 0);
    (void)h_next(&f->rec);
    uint16_t window;
    begin(f, &f->a, p, len, &window);
    assert_int_equal(h_send(&f->a, p, 0, len, window, 3 * 2048 + 100), 3 * 2048);
    f->now += BO_OTA_TIMEOUT_DEFAULT_MS;
    ofx_process(f);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_ABORTED)->reason, BO_OTAS_ABORT_TIMEOUT);
    (void)h_next(&f->rec);
    uint32_t start = begin(f, &f->a, p, len, &window); /* same link, still opted in */
    assert_int_equal(start, 4096); /* the last 4 KiB checkpoint */
    assert_int_equal(h_send(&f->a, p, start, len, window, 0), len);
    assert_int_equal(h_complete(&f->a), 0x00);
    free(p);
    ofx_free(f);
}

static void stock_client_after_link_loss_starts_at_zero_and_finishes(void **s)
{
    ofx_opts_t o = {.resume = true, .window = 1024};
    ofx_t *f = ofx_new(&o);
    size_t len;
    uint8_t *p = make_image(FW_LEN, 0x01000001u, f->aes_key, f->aes_iv, &len);
    h_client_connect(&f->a);
    uint16_t window;
    begin(f, &f->a, p, len, &window);
    assert_int_equal(h_send(&f->a, p, 0, len, window, 5000), 4096);
    bo_otas_disconnected(bo_ota_otas(&f->ota), f->a.conn);
    h_client_connect(&f->a);
    assert_int_equal(begin(f, &f->a, p, len, &window), 0);
    assert_int_equal(h_send(&f->a, p, 0, len, window, 0), len);
    assert_int_equal(h_complete(&f->a), 0x00);
    free(p);
    ofx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(silent_client_times_out_is_reported_and_new_update_works),
        cmocka_unit_test(steady_client_never_times_out),
        cmocka_unit_test(timeout_waiting_for_start_aborts_too),
        cmocka_unit_test(resume_continues_decryption_from_persisted_cursor),
        cmocka_unit_test(resume_after_timeout_keeps_record),
        cmocka_unit_test(stock_client_after_link_loss_starts_at_zero_and_finishes),
    };
    return cmocka_run_group_tests_name("ota_timeout_resume", tests, NULL, NULL);
}
