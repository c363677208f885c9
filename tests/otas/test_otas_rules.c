/* ATT-level rules of the OTA service (reference §1, §2.4 owner rules, §2.7 window, §2.10 CCCD,
 * DESIGN §4 deviations), one test per rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/endian.h"
#include "bleota/img.h"
#include "otas_fixture.h"

static const uint8_t ON[2] = {1, 0}, OFF[2] = {0, 0}, INDICATE[2] = {2, 0};

static uint8_t img[8192];

static void fill_img(void)
{
    for (size_t i = 0; i < sizeof(img); i++) {
        img[i] = (uint8_t)(i * 7u + 3u);
    }
}

/* Connection a owns an accepted, started update of size bytes (plain). */
static fx_t *started(uint32_t size, uint16_t window)
{
    fx_t *f = fx_new(window, false);
    uint8_t req[19];
    h_client_connect(&f->a);
    size_t n = h_req(req, size, 0x9B000000u, 0x01000001u, 0, 0, true);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0);
    assert_int_equal(h_start(&f->a), 0);
    return f;
}

static const h_notif_t *expect_data(fx_t *f, uint16_t conn, uint8_t res)
{
    const h_notif_t *n = h_next(&f->rec);
    assert_non_null(n);
    assert_int_equal(n->attr, BO_OTAS_ATTR_DATA);
    assert_int_equal(n->conn, conn);
    assert_int_equal(n->len, 1);
    assert_int_equal(n->data[0], res);
    return n;
}

static void attribute_table_has_mchp_uuids_properties_and_encryption(void **s)
{
    static const uint8_t ctrl[16] = {0x76, 0x8A, 0x02, 0x39, 0x7F, 0xC9, 0x82, 0x88,
                                     0xDE, 0x45, 0x27, 0x93, 0x50, 0x48, 0x43, 0x4D};
    const bo_otas_attr_desc_t *t = bo_otas_attr_table;
    assert_int_equal(t[BO_OTAS_ATTR_SERVICE].kind, BO_OTAS_KIND_SERVICE);
    assert_int_equal(t[BO_OTAS_ATTR_SERVICE].uuid128[0], 0xD7);
    assert_memory_equal(t[BO_OTAS_ATTR_CTRL].uuid128, ctrl, 16);
    assert_int_equal(t[BO_OTAS_ATTR_FEATURE].props, 0x02);
    assert_int_equal(t[BO_OTAS_ATTR_CTRL].props, 0x18);
    assert_int_equal(t[BO_OTAS_ATTR_DATA].props, 0x14);
    assert_int_equal(t[BO_OTAS_ATTR_DATA].uuid128[0], 0x78);
    assert_int_equal(t[BO_OTAS_ATTR_FEATURE].uuid128[0], 0x58);
    for (int i = BO_OTAS_ATTR_FEATURE; i < BO_OTAS_ATTR_COUNT; i++) {
        assert_true(t[i].perm & BO_OTAS_PERM_ENC);
        assert_int_equal(t[i].attr, i);
    }
    assert_int_equal(t[BO_OTAS_ATTR_CTRL_CCCD].uuid16, 0x2902);
    assert_int_equal(t[BO_OTAS_ATTR_DATA_CCCD].kind, BO_OTAS_KIND_CCCD);
}

static void feature_read_refused_before_cccd_then_01_01(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t out[4];
    size_t len = 99;
    assert_int_equal(bo_otas_connected(&f->otas, 1), BO_OK);
    bo_otas_link_encrypted(&f->otas, 1, true);
    assert_int_equal(bo_otas_read(&f->otas, 1, BO_OTAS_ATTR_FEATURE, out, sizeof(out), &len), 0x02);
    assert_int_equal(len, 0);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_CTRL_CCCD, false, ON, 2), 0);
    assert_int_equal(bo_otas_read(&f->otas, 1, BO_OTAS_ATTR_FEATURE, out, sizeof(out), &len), 0);
    assert_int_equal(len, 2);
    assert_int_equal(out[0], 0x01);
    assert_int_equal(out[1], 0x01);
    assert_int_equal(bo_otas_read(&f->otas, 1, BO_OTAS_ATTR_CTRL_CCCD, out, sizeof(out), &len), 0);
    assert_int_equal(bo_get_le16(out), 1);
    fx_free(f);
}

static void feature_announces_resume_bit_when_offered(void **s)
{
    fx_t *f = fx_new(0, true);
    uint8_t out[2];
    size_t len;
    h_client_connect(&f->a);
    assert_int_equal(bo_otas_read(&f->otas, f->a.conn, BO_OTAS_ATTR_FEATURE, out, 2, &len), 0);
    assert_int_equal(out[0], 0x01);
    assert_int_equal(out[1], 0x03);
    fx_free(f);
}

static void unencrypted_link_refused_with_insufficient_authentication(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t out[2];
    size_t len;
    assert_int_equal(bo_otas_connected(&f->otas, 1), BO_OK);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_CTRL_CCCD, false, ON, 2), 0x05);
    assert_int_equal(bo_otas_read(&f->otas, 1, BO_OTAS_ATTR_FEATURE, out, 2, &len), 0x05);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_DATA, true, ON, 2), 0x05);
    bo_otas_link_encrypted(&f->otas, 1, true);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_CTRL_CCCD, false, ON, 2), 0);
    bo_otas_link_encrypted(&f->otas, 1, false);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_CTRL, false, ON, 1), 0x05);
    fx_free(f);
}

static void cccd_values_0_1_accepted_2_refused_0x80_bad_length_0x0d(void **s)
{
    fx_t *f = fx_new(0, false);
    bo_otas_link_encrypted(&f->otas, 1, true);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_DATA_CCCD, false, INDICATE, 2), 0x80);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_DATA_CCCD, false, ON, 1), 0x0D);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_DATA_CCCD, false, ON, 2), 0);
    assert_int_equal(bo_otas_write(&f->otas, 1, BO_OTAS_ATTR_DATA_CCCD, false, OFF, 2), 0);
    fx_free(f);
}

static void write_command_on_cccd_or_control_point_is_0x06(void **s)
{
    fx_t *f = fx_new(0, false);
    const uint8_t req = 0x02;
    h_client_connect(&f->a);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL_CCCD, true, ON, 2), 0x06);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL, true, &req, 1), 0x06);
    fx_process(f);
    assert_null(h_next(&f->rec));
    assert_int_equal(fx_count(f, BO_OTAS_EVT_UPDATE_REQ), 0);
    fx_free(f);
}

static void feature_and_service_are_not_writable_values_not_readable(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t out[16];
    size_t len;
    h_client_connect(&f->a);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_FEATURE, false, ON, 2), 0x03);
    assert_int_equal(bo_otas_read(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL, out, 16, &len), 0x02);
    assert_int_equal(bo_otas_read(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, out, 16, &len), 0x02);
    assert_int_equal(bo_otas_read(&f->otas, f->a.conn, BO_OTAS_ATTR_SERVICE, out, 16, &len), 0);
    assert_memory_equal(out, bo_otas_uuid_service, 16);
    fx_free(f);
}

static void empty_control_point_write_is_invalid_length(void **s)
{
    fx_t *f = fx_new(0, false);
    h_client_connect(&f->a);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL, false, NULL, 0), 0x0D);
    fx_free(f);
}

static void update_request_wrong_length_or_fields_not_supported(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t req[20];
    h_client_connect(&f->a);
    size_t n = h_req(req, 64, 1, 0x01000001u, 0, 0, true);
    req[19] = 0;
    assert_int_equal(h_request(&f->a, req, 15, NULL, NULL), 0x02); /* neither 14 nor 19 */
    assert_int_equal(h_request(&f->a, req, 20, NULL, NULL), 0x02);
    req[13] = 0x02; /* encryption method */
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x02);
    req[13] = 0x01; /* AES but no key provisioned */
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x02);
    req[13] = 0x00;
    req[16] = 0x04; /* file type */
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x02);
    req[16] = 0x02; /* raw data to the application: not supported (documented) */
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x02);
    assert_int_equal(fx_count(f, BO_OTAS_EVT_UPDATE_REQ), 0);
    req[16] = 0x03; /* external flash: stored in slot 1 like the reference */
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x00);
    fx_free(f);
}

static void update_request_checks_in_reference_order(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t req[19];
    h_client_connect(&f->a);
    /* bad length beats bad encryption and size; bad encryption beats size 0 */
    size_t n = h_req(req, 0, 1, 0x01000001u, 7, 0, true);
    assert_int_equal(h_request(&f->a, req, 15, NULL, NULL), 0x02);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x02);
    req[13] = 0;
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x04);
    /* busy beats everything */
    n = h_req(req, 64, 1, 0x01000001u, 0, 0, true);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x00);
    req[13] = 7;
    assert_int_equal(h_request(&f->a, req, 15, NULL, NULL), 0x01);
    fx_free(f);
}

static void update_request_bad_sizes_invalid_parameter(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t req[19];
    h_client_connect(&f->a);
    const uint32_t bad[] = {0, 17, 507904u + 16u};
    for (size_t i = 0; i < 3; i++) {
        size_t n = h_req(req, bad[i], 1, 0x01000001u, 0, 0, true);
        assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x04);
    }
    size_t n = h_req(req, 507904u, 1, 0x01000001u, 0, 0, false); /* short form, largest size */
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x00);
    assert_int_equal(fx_last(f, BO_OTAS_EVT_UPDATE_REQ)->req->file_type, 0xFF);
    fx_free(f);
}

static void application_reject_answers_02_with_zero_fields(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t req[19];
    h_client_connect(&f->a);
    f->req_mode = APP_REJECT;
    size_t n = h_req(req, 64, 1, 0x01000001u, 0, 0, true);
    assert_int_equal(h_cp(&f->a, req, n), 0);
    const h_notif_t *nt = h_next(&f->rec);
    static const uint8_t want[13] = {1, 2, 2};
    assert_int_equal(nt->len, 13);
    assert_memory_equal(nt->data, want, 13);
    assert_int_equal(bo_otas_state(&f->otas), BO_OTAS_IDLE);
    f->req_mode = APP_ACCEPT;
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x00);
    fx_free(f);
}

static void second_connection_is_not_owner(void **s)
{
    fx_t *f = started(64, 0);
    uint8_t req[19];
    h_client_connect(&f->b);
    size_t n = h_req(req, 64, 1, 0x01000001u, 0, 0, true);
    assert_int_equal(h_cp(&f->b, req, n), 0x03);
    const uint8_t complete = 0x04;
    assert_int_equal(h_cp(&f->b, &complete, 1), 0x03);
    /* its data is dropped silently and does not count */
    assert_int_equal(bo_otas_write(&f->otas, f->b.conn, BO_OTAS_ATTR_DATA, true, img, 64), 0);
    fx_process(f);
    assert_null(h_next(&f->rec));
    /* its CCCD: 0x0001 fine, 0x0000 would leave the owner's update: refused */
    assert_int_equal(bo_otas_write(&f->otas, f->b.conn, BO_OTAS_ATTR_DATA_CCCD, false, OFF, 2),
                     0x03);
    assert_int_equal(h_send(&f->a, img, 0, 64, 4096, 0), 64);
    assert_int_equal(h_complete(&f->a), 0x00);
    assert_non_null(fx_last(f, BO_OTAS_EVT_COMPLETE));
    fx_free(f);
}

static void update_request_while_owned_from_waiting_second_link_busy(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t req[19];
    h_client_connect(&f->a);
    h_client_connect(&f->b);
    f->req_mode = APP_DEFER;
    size_t n = h_req(req, 64, 1, 0x01000001u, 0, 0, true);
    assert_int_equal(h_cp(&f->a, req, n), 0);
    assert_int_equal(h_request(&f->b, req, n, NULL, NULL), 0x01);
    assert_int_equal(bo_otas_update_response(&f->otas, true, 7), BO_OK);
    fx_process(f);
    const h_notif_t *nt = h_next(&f->rec);
    assert_int_equal(nt->conn, f->a.conn);
    assert_int_equal(nt->data[2], 0);
    assert_int_equal(bo_get_le32(&nt->data[9]), 7);
    assert_int_equal(bo_otas_update_response(&f->otas, true, 7), BO_ERR_STATE);
    fx_free(f);
}

static void window_overrun_refused_with_03_and_transfer_continues(void **s)
{
    fx_t *f = started(96, 32);
    /* 48 bytes would cross the 32-byte window: refused, nothing stored */
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, img, 48), 0);
    fx_process(f);
    expect_data(f, f->a.conn, 0x03);
    assert_int_equal(bo_otas_state(&f->otas), BO_OTAS_UPDATE_START);
    /* correctly split, the same bytes go through */
    f->a.chunk = 20;
    assert_int_equal(h_send(&f->a, img, 0, 96, 32, 0), 96);
    assert_int_equal(h_complete(&f->a), 0);
    uint8_t back[96];
    assert_int_equal(bo_dfu_read(&f->dfu, 0, back, 96), BO_OK);
    assert_memory_equal(back, img, 96);
    fx_free(f);
}

static void write_past_image_size_refused_with_03(void **s)
{
    fx_t *f = started(32, 64);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, img, 48), 0);
    fx_process(f);
    expect_data(f, f->a.conn, 0x03);
    assert_int_equal(h_send(&f->a, img, 0, 32, 64, 0), 32);
    fx_free(f);
}

static void write_request_on_data_gets_att_response_and_is_stored(void **s)
{
    fx_t *f = started(32, 0);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, false, img, 32), 0);
    fx_process(f);
    expect_data(f, f->a.conn, 0x00);
    assert_int_equal(h_complete(&f->a), 0x00);
    assert_int_equal(fx_last(f, BO_OTAS_EVT_COMPLETE)->done, 32);
    fx_free(f);
}

static void data_before_start_answered_invalid_state(void **s)
{
    fx_t *f = fx_new(0, false);
    h_client_connect(&f->a);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, img, 16), 0);
    fx_process(f);
    expect_data(f, f->a.conn, 0x01);
    fx_free(f);
}

/* With the automatic window: a stock client gets 6 writes of MTU - 3 (what a 12-packet TX
 * queue survives with early acknowledgement: 2 x 6 - 1 <= 12), a client that opted in gets 256
 * writes of MTU - 3 (capped at 65520); both are acknowledged at their first write. An explicit
 * cfg.window is kept whatever the MTU. */
static void default_window_follows_reported_mtu_and_opt_in(void **s)
{
    const uint16_t mtus[] = {23, 185, 247, 517};
    const uint16_t stock[] = {112, 1088, 1456, 3072};
    const uint16_t opted[] = {5120, 46592, 62464, 65520};
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < 4; i++) {
            fx_t *f = fx_new(0, true);
            uint8_t req[19], opt = BO_OTAS_OP_RESUME_OPT_IN;
            uint16_t window = 0;
            h_client_connect(&f->a);
            assert_int_equal(bo_otas_set_mtu(&f->otas, f->a.conn, mtus[i]), BO_OK);
            if (k == 1) {
                assert_int_equal(h_cp(&f->a, &opt, 1), 0);
                (void)h_next(&f->rec); /* 01 20 00 */
            }
            size_t n = h_req(req, 70000, 1, 0x01000001u, 0, 0, true);
            assert_int_equal(h_request(&f->a, req, n, &window, NULL), 0);
            assert_int_equal(window, k == 0 ? stock[i] : opted[i]);
            assert_int_equal(h_start(&f->a), 0);
            /* 8192 bytes: an automatic window is acknowledged at its first write, so every
             * window begun is acknowledged */
            assert_int_equal(h_send(&f->a, img, 0, sizeof(img), window, 0), sizeof(img));
            fx_free(f);
        }
    }
    fx_t *f = fx_new(1024, false);
    uint8_t req[19];
    uint16_t window = 0;
    h_client_connect(&f->a);
    assert_int_equal(bo_otas_set_mtu(&f->otas, f->a.conn, 247), BO_OK);
    assert_int_equal(bo_otas_set_mtu(&f->otas, f->a.conn, 22), BO_ERR_ARG);
    size_t n = h_req(req, 8192, 1, 0x01000001u, 0, 0, true);
    assert_int_equal(h_request(&f->a, req, n, &window, NULL), 0);
    assert_int_equal(window, 1024);
    fx_free(f);
}

static void data_write(fx_t *f, uint32_t off, uint32_t len)
{
    bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, &img[off], len);
    fx_process(f);
}

/* A stock window is acknowledged at its first write, so a client that pushes a whole window
 * into its TX queue on each acknowledgement never holds more than 2w - 1 writes; the last
 * window is acknowledged only when complete. */
static void stock_window_is_acknowledged_early_except_the_last(void **s)
{
    const uint32_t w = 1456; /* 6 x 244 rounded down to 16, at MTU 247 */
    fx_t *f = fx_new(0, false);
    uint8_t req[19];
    uint16_t window = 0;
    h_client_connect(&f->a);
    assert_int_equal(bo_otas_set_mtu(&f->otas, f->a.conn, 247), BO_OK);
    size_t n = h_req(req, 4 * w, 1, 0x01000001u, 0, 0, true);
    assert_int_equal(h_request(&f->a, req, n, &window, NULL), 0);
    assert_int_equal(window, w);
    assert_int_equal(h_start(&f->a), 0);
    data_write(f, 0, 244); /* window 1 begins: acknowledged, window 2 may follow */
    expect_data(f, f->a.conn, 0x00);
    data_write(f, 244, w - 244); /* the rest of window 1: nothing */
    assert_null(h_next(&f->rec));
    data_write(f, w, 244); /* window 2 begins */
    expect_data(f, f->a.conn, 0x00);
    data_write(f, w + 244, w - 244);
    assert_null(h_next(&f->rec));
    data_write(f, 2 * w, 244); /* window 3 begins */
    expect_data(f, f->a.conn, 0x00);
    data_write(f, 2 * w + 244, w - 244);
    data_write(f, 3 * w, 244); /* the last window: acknowledged only when complete */
    assert_null(h_next(&f->rec));
    data_write(f, 3 * w + 244, w - 244);
    expect_data(f, f->a.conn, 0x00);
    assert_null(h_next(&f->rec));
    assert_int_equal(h_complete(&f->a), 0x00);
    fx_free(f);
}

/* A notification the transport has no room for stays queued, in order, and goes out when the
 * transport says it has room; the next Control Point operation waits behind it. */
static void refused_notification_is_kept_until_writable(void **s)
{
    fx_t *f = started(8192, 1024);
    f->rec.busy = 8; /* full for as long as this process call retries */
    bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, img, 1024);
    fx_process(f);
    assert_null(h_next(&f->rec)); /* held */
    uint8_t op = BO_OTAS_OP_UPDATE_COMPLETE;
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL, false, &op, 1), 0);
    f->rec.busy = 8;
    fx_process(f); /* still full: neither the ack nor Complete's answer */
    assert_null(h_next(&f->rec));
    assert_int_equal(bo_otas_state(&f->otas), BO_OTAS_UPDATE_START);
    f->rec.busy = 0; /* room again */
    bo_otas_writable(&f->otas);
    expect_data(f, f->a.conn, 0x00); /* the window acknowledgement, not lost */
    fx_process(f);                   /* now Complete runs: premature, answered 00 */
    const h_notif_t *n = h_next(&f->rec);
    assert_non_null(n);
    assert_int_equal(n->attr, BO_OTAS_ATTR_CTRL);
    assert_int_equal(n->data[1], BO_OTAS_OP_UPDATE_COMPLETE);
    assert_int_equal(f->otas.notif_dropped, 0);
    fx_free(f);
}

/* The digests otas hashes while streaming equal the image's, whatever the write sizes (7-byte
 * writes split FW_IMG_LEN and the signature field); the tail block after FW_IMG_LEN is not
 * hashed; a resumed transfer reports none. */
static void streamed_digests_match_image_for_any_chunking(void **s)
{
    static uint8_t im[8192];
    uint8_t md_d[32], fw_d[32];
    memcpy(im, img, sizeof im);
    bo_put_le32(&im[BO_MD_OFF_FW_LEN], sizeof im - BO_MD_SIZE - 16u);
    bo_md_digest(im, md_d);
    bo_sha256(&im[BO_MD_SIZE], sizeof im - BO_MD_SIZE - 16u, fw_d);
    const size_t chunks[] = {7, 64, 244};
    for (size_t i = 0; i < 3; i++) {
        fx_t *f = started(sizeof im, 10240);
        f->a.chunk = chunks[i];
        assert_null(bo_otas_md_digest(&f->otas));
        assert_int_equal(h_send(&f->a, im, 0, 600, 10240, 0), 0); /* header in, no ack yet */
        assert_non_null(bo_otas_md_digest(&f->otas));
        assert_memory_equal(bo_otas_md_digest(&f->otas), md_d, 32);
        assert_int_equal(h_send(&f->a, im, 600, sizeof im, 10240, 0), sizeof im);
        assert_int_equal(h_complete(&f->a), 0x00);
        const bo_otas_evt_t *e = fx_last(f, BO_OTAS_EVT_COMPLETE);
        assert_non_null(e->md_digest);
        assert_non_null(e->fw_digest);
        assert_memory_equal(e->md_digest, md_d, 32);
        assert_memory_equal(e->fw_digest, fw_d, 32);
        fx_free(f);
    }
}

static void window_ack_only_after_whole_window_programmed(void **s)
{
    fx_t *f = started(8192, 4096);
    unsigned progs = f->fl.progs;
    for (size_t off = 0; off < 4096 - 244; off += 244) {
        bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, &img[off], 244);
    }
    fx_process(f);
    assert_null(h_next(&f->rec));
    assert_true(f->fl.progs > progs); /* streamed: programmed before the window is full */
    size_t done = (4096 / 244) * 244;
    bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, &img[done], 4096 - done);
    fx_process(f);
    expect_data(f, f->a.conn, 0x00);
    assert_int_equal(fx_last(f, BO_OTAS_EVT_WINDOW)->done, 4096);
    fx_free(f);
}

static void cccd_rewrite_0001_mid_update_does_not_reset(void **s)
{
    fx_t *f = started(64, 0);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL_CCCD, false, ON, 2), 0);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA_CCCD, false, ON, 2), 0);
    assert_int_equal(bo_otas_state(&f->otas), BO_OTAS_UPDATE_START);
    assert_int_equal(h_send(&f->a, img, 0, 64, 4096, 0), 64);
    assert_int_equal(h_complete(&f->a), 0x00);
    fx_free(f);
}

static void cccd_0000_from_owner_aborts_cleanly(void **s)
{
    fx_t *f = started(8192, 4096);
    assert_int_equal(h_send(&f->a, img, 0, 8192, 4096, 4096), 4096);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA_CCCD, false, OFF, 2), 0);
    assert_int_equal(bo_otas_state(&f->otas), BO_OTAS_IDLE);
    assert_int_equal(fx_last(f, BO_OTAS_EVT_ABORTED)->reason, BO_OTAS_ABORT_CCCD);
    assert_int_not_equal(f->dfu.state, BO_DFU_RECEIVING);
    /* a new update then works on the same link */
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA_CCCD, false, ON, 2), 0);
    uint8_t req[19];
    size_t n = h_req(req, 64, 2, 0x01000001u, 0, 0, true);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0);
    assert_int_equal(h_start(&f->a), 0);
    assert_int_equal(h_send(&f->a, img, 0, 64, 4096, 0), 64);
    assert_int_equal(h_complete(&f->a), 0);
    fx_free(f);
}

static void owner_disconnect_aborts_and_new_link_can_update(void **s)
{
    fx_t *f = started(8192, 4096);
    assert_int_equal(h_send(&f->a, img, 0, 8192, 4096, 4096), 4096);
    bo_otas_disconnected(&f->otas, f->a.conn);
    assert_int_equal(bo_otas_state(&f->otas), BO_OTAS_IDLE);
    assert_int_equal(fx_last(f, BO_OTAS_EVT_ABORTED)->reason, BO_OTAS_ABORT_DISCONNECT);
    h_client_connect(&f->b);
    uint8_t req[19];
    size_t n = h_req(req, 8192, 1, 0x01000001u, 0, 0, true);
    uint32_t start = 99;
    assert_int_equal(h_request(&f->b, req, n, NULL, &start), 0);
    assert_int_equal(start, 0); /* no opt-in: a stock client always starts at 0 */
    assert_int_equal(h_start(&f->b), 0);
    assert_int_equal(h_send(&f->b, img, 0, 8192, 4096, 0), 8192);
    assert_int_equal(h_complete(&f->b), 0);
    fx_free(f);
}

static void notifications_only_to_links_with_cccd_enabled(void **s)
{
    fx_t *f = started(64, 0);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA_CCCD, false, OFF, 2), 0);
    /* the owner switched data notifications off: that aborts; nothing is sent on Data */
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, img, 16), 0);
    fx_process(f);
    assert_null(h_next(&f->rec));
    assert_true(f->otas.notif_dropped > 0);
    fx_free(f);
}

static void queued_control_point_writes_die_with_their_link(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t req[19];
    h_client_connect(&f->a);
    size_t n = h_req(req, 64, 1, 0x01000001u, 0, 0, true);
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL, false, req, n), 0);
    bo_otas_disconnected(&f->otas, f->a.conn);
    fx_process(f);
    assert_int_equal(fx_count(f, BO_OTAS_EVT_UPDATE_REQ), 0);
    assert_int_equal(bo_otas_state(&f->otas), BO_OTAS_IDLE);
    fx_free(f);
}

static void control_point_queue_full_is_insufficient_resources(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t req[19];
    h_client_connect(&f->a);
    size_t n = h_req(req, 64, 1, 0x01000001u, 0, 0, true);
    for (unsigned i = 0; i < BO_OTAS_CP_QUEUE; i++) {
        assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL, false, req, n), 0);
    }
    assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_CTRL, false, req, n), 0x11);
    fx_process(f);
    const h_notif_t *first = h_next(&f->rec), *second = h_next(&f->rec);
    assert_int_equal(first->data[2], 0x00);
    assert_int_equal(second->data[2], 0x01); /* the second request found the first in progress */
    fx_free(f);
}

static void too_many_connections_is_insufficient_resources(void **s)
{
    fx_t *f = fx_new(0, false);
    for (uint16_t c = 0; c < BO_OTAS_CONN_MAX; c++) {
        assert_int_equal(bo_otas_connected(&f->otas, c), BO_OK);
    }
    assert_int_equal(bo_otas_connected(&f->otas, 100), BO_ERR_NOSPACE);
    assert_int_equal(bo_otas_write(&f->otas, 100, BO_OTAS_ATTR_CTRL_CCCD, false, ON, 2), 0x11);
    bo_otas_disconnected(&f->otas, 0);
    assert_int_equal(bo_otas_connected(&f->otas, 100), BO_OK);
    fx_free(f);
}

static void flash_failure_reports_error_and_complete_answers_03(void **s)
{
    /* page 1 holds old data; page 0 is blank; the erase of page 1 (ahead, idle) fails */
    static const uint8_t z[16] = {0};
    fx_t *f = fx_new(4096, false);
    assert_int_equal(f->fl.flash.prog(f->fl.flash.ctx, f->layout.slot1 + 4096 + 2048, z, 16),
                     BO_OK);
    uint8_t req[19];
    h_client_connect(&f->a);
    size_t n = h_req(req, 8192, 0x9B000000u, 0x01000001u, 0, 0, true);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0);
    assert_int_equal(h_start(&f->a), 0);
    f->fl.fail_erase = true;
    bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, img, 64);
    fx_process(f);
    expect_data(f, f->a.conn, 0x03);
    assert_int_equal(fx_last(f, BO_OTAS_EVT_ERROR)->status, BO_ERR_IO);
    f->fl.fail_erase = false;
    assert_int_equal(h_complete(&f->a), 0x03);
    fx_free(f);
}

static void resume_opt_in_gets_persisted_start_index_and_finishes(void **s)
{
    fx_t *f = fx_new(1024, true);
    uint8_t req[19], opt = BO_OTAS_OP_RESUME_OPT_IN;
    h_client_connect(&f->a);
    size_t n = h_req(req, 8192, 1, 0x01000001u, 0, 0x5555, true);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0);
    assert_int_equal(h_start(&f->a), 0);
    /* checkpoints every 4096 bytes whatever the window: cut in the 5th 1024-byte window */
    assert_int_equal(h_send(&f->a, img, 0, 8192, 1024, 5000), 4096);
    bo_otas_disconnected(&f->otas, f->a.conn);

    h_client_connect(&f->a);
    assert_int_equal(h_cp(&f->a, &opt, 1), 0);
    const h_notif_t *nt = h_next(&f->rec);
    assert_int_equal(nt->data[1], 0x20);
    assert_int_equal(nt->data[2], 0x00);
    uint32_t start = 0;
    assert_int_equal(h_request(&f->a, req, n, NULL, &start), 0);
    assert_int_equal(start, 4096);
    assert_int_equal(h_start(&f->a), 0);
    assert_int_equal(fx_last(f, BO_OTAS_EVT_START)->start_index, 4096);
    assert_int_equal(h_send(&f->a, img, start, 8192, 1024, 0), 8192);
    assert_int_equal(h_complete(&f->a), 0x00);
    uint8_t back[8192];
    assert_int_equal(bo_dfu_read(&f->dfu, 0, back, sizeof(back)), BO_OK);
    assert_memory_equal(back, img, sizeof(back));
    fx_free(f);
}

static void opt_in_for_another_image_starts_at_zero(void **s)
{
    fx_t *f = fx_new(1024, true);
    uint8_t req[19], opt = BO_OTAS_OP_RESUME_OPT_IN;
    h_client_connect(&f->a);
    size_t n = h_req(req, 8192, 1, 0x01000001u, 0, 0x5555, true);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0);
    assert_int_equal(h_start(&f->a), 0);
    assert_int_equal(h_send(&f->a, img, 0, 8192, 1024, 2048), 2048);
    bo_otas_disconnected(&f->otas, f->a.conn);
    h_client_connect(&f->a);
    assert_int_equal(h_cp(&f->a, &opt, 1), 0);
    (void)h_next(&f->rec);
    n = h_req(req, 8192, 1, 0x01000001u, 0, 0x5556, true); /* other checksum: other file */
    uint32_t start = 99;
    assert_int_equal(h_request(&f->a, req, n, NULL, &start), 0);
    assert_int_equal(start, 0);
    fx_free(f);
}

static void opt_in_unknown_when_resume_not_offered(void **s)
{
    fx_t *f = fx_new(0, false);
    uint8_t opt = BO_OTAS_OP_RESUME_OPT_IN;
    h_client_connect(&f->a);
    assert_int_equal(h_cp(&f->a, &opt, 1), 0x03); /* like a stock server without owner */
    fx_free(f);
}

static void no_event(void *ctx, const bo_otas_evt_t *evt) {}

static void init_refuses_bad_config(void **s)
{
    bo_otas_t o;
    bo_dfu_t d;
    bo_otas_cfg_t cfg = {.notify = h_notify, .on_event = NULL, .dfu = &d};
    assert_int_equal(bo_otas_init(&o, &cfg), BO_ERR_ARG);
    cfg.on_event = no_event;
    cfg.window = 100;
    assert_int_equal(bo_otas_init(&o, &cfg), BO_ERR_ARG);
    cfg.window = 0;
    assert_int_equal(bo_otas_init(&o, &cfg), BO_OK);
    assert_int_equal(o.cfg.window, BO_OTAS_WINDOW_DEFAULT);
}

int main(void)
{
    fill_img();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attribute_table_has_mchp_uuids_properties_and_encryption),
        cmocka_unit_test(feature_read_refused_before_cccd_then_01_01),
        cmocka_unit_test(feature_announces_resume_bit_when_offered),
        cmocka_unit_test(unencrypted_link_refused_with_insufficient_authentication),
        cmocka_unit_test(cccd_values_0_1_accepted_2_refused_0x80_bad_length_0x0d),
        cmocka_unit_test(write_command_on_cccd_or_control_point_is_0x06),
        cmocka_unit_test(feature_and_service_are_not_writable_values_not_readable),
        cmocka_unit_test(empty_control_point_write_is_invalid_length),
        cmocka_unit_test(update_request_wrong_length_or_fields_not_supported),
        cmocka_unit_test(update_request_checks_in_reference_order),
        cmocka_unit_test(update_request_bad_sizes_invalid_parameter),
        cmocka_unit_test(application_reject_answers_02_with_zero_fields),
        cmocka_unit_test(second_connection_is_not_owner),
        cmocka_unit_test(update_request_while_owned_from_waiting_second_link_busy),
        cmocka_unit_test(window_overrun_refused_with_03_and_transfer_continues),
        cmocka_unit_test(write_past_image_size_refused_with_03),
        cmocka_unit_test(write_request_on_data_gets_att_response_and_is_stored),
        cmocka_unit_test(data_before_start_answered_invalid_state),
        cmocka_unit_test(window_ack_only_after_whole_window_programmed),
        cmocka_unit_test(default_window_follows_reported_mtu_and_opt_in),
        cmocka_unit_test(stock_window_is_acknowledged_early_except_the_last),
        cmocka_unit_test(refused_notification_is_kept_until_writable),
        cmocka_unit_test(streamed_digests_match_image_for_any_chunking),
        cmocka_unit_test(cccd_rewrite_0001_mid_update_does_not_reset),
        cmocka_unit_test(cccd_0000_from_owner_aborts_cleanly),
        cmocka_unit_test(owner_disconnect_aborts_and_new_link_can_update),
        cmocka_unit_test(notifications_only_to_links_with_cccd_enabled),
        cmocka_unit_test(queued_control_point_writes_die_with_their_link),
        cmocka_unit_test(control_point_queue_full_is_insufficient_resources),
        cmocka_unit_test(too_many_connections_is_insufficient_resources),
        cmocka_unit_test(flash_failure_reports_error_and_complete_answers_03),
        cmocka_unit_test(resume_opt_in_gets_persisted_start_index_and_finishes),
        cmocka_unit_test(opt_in_for_another_image_starts_at_zero),
        cmocka_unit_test(opt_in_unknown_when_resume_not_offered),
        cmocka_unit_test(init_refuses_bad_config),
    };
    return cmocka_run_group_tests_name("otas_rules", tests, NULL, NULL);
}
