/* Issue 11: the device resets only on the Reset Request of the link that validated the update
 * (while it still owns the service), and the inactivity timeout covers every state in which a
 * link owns the service and the next move is the client's, COMPLETE included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/img.h"
#include "ota_fixture.h"

#define FW_LEN (8u * 1024u)
#define VERSION 0x01000001u

static const uint8_t RESET = BO_OTAS_OP_RESET;

/* The last event of that type; fails the test when there is none. */
static const bo_ota_evt_t *last(const ofx_t *f, bo_ota_evt_type_t type)
{
    const bo_ota_evt_t *e = ofx_last(f, type);
    assert_non_null(e);
    return e;
}

/* A whole update of a valid image (SHA-256, encrypted) on client c: 01 04 00. */
static void validated_update(ofx_t *f, h_client_t *c)
{
    size_t len;
    uint8_t *p = make_image(FW_LEN, VERSION, f->aes_key, f->aes_iv, &len);
    int step;
    assert_int_equal(run_update(f, c, p, len, VERSION, 1, 0x1234, &step), 0x00);
    assert_int_equal(last(f, BO_OTA_EVT_COMPLETE)->status, BO_OK);
    assert_true(bo_ota_validated(&f->ota));
    free(p);
}

/* Update Request from c, accepted (01 02 00). */
static void accepted_request(h_client_t *c)
{
    uint8_t req[19];
    size_t n = h_req(req, FW_LEN + BO_MD_SIZE + 16u, BO_IMG_DEFAULT_ID, VERSION, 1, 0x1234, true);
    assert_int_equal(h_request(c, req, n, NULL, NULL), 0x00);
}

/* Advances the clock in steps (as a main loop would) and returns the resets seen. */
static unsigned run_for(ofx_t *f, uint32_t ms)
{
    for (uint32_t t = 0; t < ms; t += 100u) {
        f->now += 100u;
        ofx_process(f);
    }
    return f->resets;
}

static void reset_from_a_later_owner_does_not_use_an_earlier_validation(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    validated_update(f, &f->a);
    bo_otas_disconnected(bo_ota_otas(&f->ota), f->a.conn); /* a leaves without a Reset */

    /* b owns a new cycle (accepted, nothing sent yet: slot 1 still holds a's image) */
    h_client_connect(&f->b);
    accepted_request(&f->b);
    assert_int_equal(h_cp(&f->b, &RESET, 1), 0);
    assert_null(h_next(&f->rec)); /* a refused Reset from the owner: silence, as the reference */
    assert_false(last(f, BO_OTA_EVT_RESET_REQUEST)->will_reset);
    assert_int_equal(run_for(f, 1000), 0);

    /* nor after b abandons its own cycle with an early Complete (COMPLETE, owner b) */
    assert_int_equal(h_complete(&f->b), 0x00);
    assert_int_equal(h_cp(&f->b, &RESET, 1), 0);
    assert_false(last(f, BO_OTA_EVT_RESET_REQUEST)->will_reset);
    assert_int_equal(run_for(f, 1000), 0);
    ofx_free(f);
}

static void reset_from_a_timed_out_owner_is_answered_invalid_state(void **s)
{
    ofx_opts_t o = {.timeout_ms = 2000};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    validated_update(f, &f->a);
    bo_otas_disconnected(bo_ota_otas(&f->ota), f->a.conn);

    h_client_connect(&f->b);
    accepted_request(&f->b);
    f->now += 2000; /* b goes quiet: it loses the service */
    ofx_process(f);
    assert_int_equal(last(f, BO_OTA_EVT_ABORTED)->reason, BO_OTAS_ABORT_TIMEOUT);
    size_t resets_seen = ofx_count(f, BO_OTA_EVT_RESET_REQUEST);
    assert_int_equal(h_cp(&f->b, &RESET, 1), 0);
    const h_notif_t *n = h_next(&f->rec);
    assert_non_null(n); /* like its other late Control Point writes: 01 05 01 */
    assert_int_equal(n->conn, f->b.conn);
    assert_int_equal(n->attr, BO_OTAS_ATTR_CTRL);
    assert_int_equal(n->data[0], BO_OTAS_OP_RESPONSE);
    assert_int_equal(n->data[1], BO_OTAS_OP_RESET);
    assert_int_equal(n->data[2], BO_OTAS_RES_INVALID_STATE);
    assert_int_equal(ofx_count(f, BO_OTA_EVT_RESET_REQUEST), resets_seen);
    assert_int_equal(run_for(f, 1000), 0);
    ofx_free(f);
}

/* A guard (the current code already keeps it): once the validating owner asked, the reset time
 * is fixed; another link's Reset is refused at the ATT level and changes nothing. */
static void pending_reset_keeps_its_time_whatever_another_link_sends(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    h_client_connect(&f->b);
    validated_update(f, &f->a);
    assert_int_equal(h_cp(&f->b, &RESET, 1), BO_OTAS_ATT_WRITE_NOT_PERMITTED);
    assert_int_equal(run_for(f, 1000), 0);
    uint32_t asked = f->now;
    assert_int_equal(h_cp(&f->a, &RESET, 1), 0);
    assert_true(last(f, BO_OTA_EVT_RESET_REQUEST)->will_reset);
    f->now = asked + 300u;
    assert_int_equal(h_cp(&f->b, &RESET, 1), BO_OTAS_ATT_WRITE_NOT_PERMITTED);
    f->now = asked + BO_OTA_RESET_DELAY_DEFAULT_MS - 1u;
    ofx_process(f);
    assert_int_equal(f->resets, 0);
    f->now += 1u;
    ofx_process(f);
    assert_int_equal(f->resets, 1);
    assert_int_equal(run_for(f, 2000), 1);
    ofx_free(f);
}

static void early_complete_owner_loses_the_service_after_timeout(void **s)
{
    ofx_opts_t o = {.timeout_ms = 2000, .window = 1024};
    ofx_t *f = ofx_new(&o);
    size_t len;
    uint8_t *p = make_image(FW_LEN, VERSION, f->aes_key, f->aes_iv, &len);
    h_client_connect(&f->a);
    h_client_connect(&f->b);
    accepted_request(&f->a);
    assert_int_equal(h_start(&f->a), 0x00);
    assert_int_equal(h_send(&f->a, p, 0, len, 1024, 2048), 2048);
    assert_int_equal(h_complete(&f->a), 0x00); /* abandoned early: COMPLETE, a still owns */
    assert_int_equal(last(f, BO_OTA_EVT_ABORTED)->reason, BO_OTAS_ABORT_CLIENT);

    /* the owner's writes keep it alive in COMPLETE too */
    f->now += 1999;
    ofx_process(f);
    const uint8_t rfu = 0x7F;
    assert_int_equal(h_cp(&f->a, &rfu, 1), 0);
    assert_int_equal(h_next(&f->rec)->data[2], BO_OTAS_RES_NOT_SUPPORTED);
    f->now += 1999;
    ofx_process(f);
    assert_int_equal(ofx_count(f, BO_OTA_EVT_ABORTED), 1);
    uint8_t req[19];
    size_t n = h_req(req, (uint32_t)len, BO_IMG_DEFAULT_ID, VERSION, 1, 0x1234, true);
    assert_int_equal(h_cp(&f->b, req, n), BO_OTAS_ATT_WRITE_NOT_PERMITTED);

    /* then silence: a loses the service, as on the other timeout paths */
    f->now += 1;
    ofx_process(f);
    assert_int_equal(ofx_count(f, BO_OTA_EVT_ABORTED), 2);
    assert_int_equal(last(f, BO_OTA_EVT_ABORTED)->reason, BO_OTAS_ABORT_TIMEOUT);
    assert_int_equal(last(f, BO_OTA_EVT_ABORTED)->conn, f->a.conn);
    assert_int_equal(bo_otas_state(bo_ota_otas(&f->ota)), BO_OTAS_IDLE);
    assert_null(h_next(&f->rec)); /* no data was flowing: nothing to tell on OTA Data */
    const uint8_t start[2] = {BO_OTAS_OP_UPDATE_START, 0x01};
    assert_int_equal(h_cp(&f->a, start, 2), 0); /* its late writes: 01 <op> 01 */
    assert_int_equal(h_next(&f->rec)->data[2], BO_OTAS_RES_INVALID_STATE);

    /* the next link updates */
    int step;
    assert_int_equal(run_update(f, &f->b, p, len, VERSION, 1, 0x1234, &step), 0x00);
    assert_int_equal(last(f, BO_OTA_EVT_COMPLETE)->status, BO_OK);
    assert_int_equal(last(f, BO_OTA_EVT_COMPLETE)->conn, f->b.conn);
    free(p);
    ofx_free(f);
}

static void validated_owner_silent_until_timeout_leaves_image_for_next_reset(void **s)
{
    ofx_opts_t o = {.timeout_ms = 2000};
    ofx_t *f = ofx_new(&o);
    f->ota.cfg.idle_erase = true;
    h_client_connect(&f->a);
    validated_update(f, &f->a);
    f->now += 2000; /* no Reset Request comes */
    ofx_process(f);
    assert_int_equal(last(f, BO_OTA_EVT_ABORTED)->reason, BO_OTAS_ABORT_TIMEOUT);
    assert_int_equal(bo_otas_state(bo_ota_otas(&f->ota)), BO_OTAS_IDLE);

    /* the validated image stays in slot 1 for the bootloader: not erased in idle time, still
     * authentic, and bo_ota_validated tells the application it may reset itself */
    assert_true(bo_ota_validated(&f->ota));
    for (int i = 0; i < 200; i++) {
        assert_int_equal(bo_ota_idle(&f->ota, f->now), 0);
    }
    bo_boot_image_t info;
    assert_int_equal(bo_boot_authenticate(&f->boot, 1, &info), BO_OK);
    assert_int_equal(info.version, VERSION);

    /* the link lost the service with it: its late Reset is answered 01 and resets nothing */
    assert_int_equal(h_cp(&f->a, &RESET, 1), 0);
    const h_notif_t *n = h_next(&f->rec);
    assert_non_null(n);
    assert_int_equal(n->data[1], BO_OTAS_OP_RESET);
    assert_int_equal(n->data[2], BO_OTAS_RES_INVALID_STATE);
    assert_int_equal(run_for(f, 1000), 0);

    /* another link may start the next update */
    h_client_connect(&f->b);
    accepted_request(&f->b);
    ofx_free(f);
}

/* Once the validated image's reset is scheduled, no new download may start writing slot 1
 * under it: another link's Update Request is refused and the reset keeps its time. */
static void update_request_while_reset_pending_is_refused(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    validated_update(f, &f->a);
    assert_int_equal(h_cp(&f->a, &RESET, 1), 0);
    assert_true(last(f, BO_OTA_EVT_RESET_REQUEST)->will_reset);
    bo_otas_disconnected(bo_ota_otas(&f->ota), f->a.conn); /* a leaves before the reset */
    h_client_connect(&f->b);
    uint8_t req[19];
    size_t n = h_req(req, FW_LEN + BO_MD_SIZE + 16u, BO_IMG_DEFAULT_ID, VERSION, 1, 0x1234, true);
    assert_int_not_equal(h_request(&f->b, req, n, NULL, NULL), 0x00);
    assert_int_equal(last(f, BO_OTA_EVT_REFUSED)->refusal, BO_OTAS_REFUSE_BUSY);
    assert_true(bo_ota_validated(&f->ota));
    assert_int_equal(run_for(f, BO_OTA_RESET_DELAY_DEFAULT_MS + 200u), 1);
    ofx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reset_from_a_later_owner_does_not_use_an_earlier_validation),
        cmocka_unit_test(reset_from_a_timed_out_owner_is_answered_invalid_state),
        cmocka_unit_test(pending_reset_keeps_its_time_whatever_another_link_sends),
        cmocka_unit_test(early_complete_owner_loses_the_service_after_timeout),
        cmocka_unit_test(validated_owner_silent_until_timeout_leaves_image_for_next_reset),
        cmocka_unit_test(update_request_while_reset_pending_is_refused),
    };
    return cmocka_run_group_tests_name("ota_ownership", tests, NULL, NULL);
}
