/* The application face: real images through the whole server into flash, rejections
 * (acceptance 3), anti-rollback, key handling, events, delayed reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/endian.h"
#include "bleota/img.h"
#include "ota_fixture.h"
#include "timg.h"

typedef struct mchp_file {
    uint8_t *file;
    size_t len;
    bo_ota_hdr_t hdr;
} mchp_file_t;

static void load_mchp(mchp_file_t *m)
{
    m->file = h_load(BO_FIXTURES "/ble_Sensor_OTA.bin", &m->len);
    assert_non_null(m->file);
    assert_int_equal(m->len, 172096);
    assert_int_equal(bo_ota_hdr_parse(m->file, &m->hdr), BO_OK);
}

static uint8_t update_mchp(ofx_t *f, const mchp_file_t *m)
{
    int step;
    return run_update(f, &f->a, m->file + BO_OTA_HDR_SIZE, m->len - BO_OTA_HDR_SIZE, m->hdr.version,
                      m->hdr.enc, m->hdr.checksum, &step);
}

/* A small SHA-256-authenticated image, encrypted with the fixture's key store. */
static uint8_t update_small(ofx_t *f, h_client_t *c, uint32_t signed_version,
                            uint32_t announced_version)
{
    size_t len;
    uint8_t *p = make_image(3000 * 16, signed_version, f->aes_key, f->aes_iv, &len);
    int step;
    uint8_t r = run_update(f, c, p, len, announced_version, 1, 0x1234, &step);
    free(p);
    return r;
}

/* Client a connects, asks for an update of len bytes and starts it; returns the window. */
static uint16_t start_update(ofx_t *f, size_t len, uint32_t version, uint8_t enc)
{
    uint8_t req[19];
    uint16_t window = 0;
    h_client_connect(&f->a);
    size_t n = h_req(req, (uint32_t)len, BO_IMG_DEFAULT_ID, version, enc, 0, true);
    assert_int_equal(h_request(&f->a, req, n, &window, NULL), 0);
    assert_int_equal(h_start(&f->a), 0);
    return window;
}

static void mchp_file_validates_through_server_with_real_authenticate(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    mchp_file_t m;
    load_mchp(&m);
    h_client_connect(&f->a);
    assert_int_equal(update_mchp(f, &m), 0x00);
    const bo_ota_evt_t *e = ofx_last(f, BO_OTA_EVT_COMPLETE);
    assert_non_null(e);
    assert_int_equal(e->status, BO_OK);
    assert_int_equal(e->version, 0x01010000u);
    /* decided from the digests hashed while streaming: slot 1 was not read back */
    assert_int_equal(f->auth_calls, 0);
    /* slot 1 now authenticates on its own, as the bootloader will see it */
    bo_boot_image_t info;
    assert_int_equal(bo_boot_authenticate(&f->boot, 1, &info), BO_OK);
    assert_int_equal(info.fw_len, 171552);
    /* progress was reported window by window up to the whole payload */
    const bo_ota_evt_t *p = ofx_last(f, BO_OTA_EVT_PROGRESS);
    assert_int_equal(p->done, 172080);
    assert_int_equal(p->total, 172080);
    assert_int_equal(ofx_count(f, BO_OTA_EVT_PROGRESS),
                     (172080 + BO_OTAS_WINDOW_DEFAULT - 1) / BO_OTAS_WINDOW_DEFAULT);
    free(m.file);
    ofx_free(f);
}

static void mchp_file_with_reference_window_and_mtu23_chunks_validates(void **s)
{
    ofx_opts_t o = {.window = 1024, .resume = true};
    ofx_t *f = ofx_new(&o);
    mchp_file_t m;
    load_mchp(&m);
    f->a.chunk = 20; /* ATT_MTU 23: chunks never align with AES blocks */
    h_client_connect(&f->a);
    assert_int_equal(update_mchp(f, &m), 0x00);
    assert_int_equal(ofx_count(f, BO_OTA_EVT_PROGRESS), (172080 + 1023) / 1024);
    free(m.file);
    ofx_free(f);
}

static void flipped_payload_byte_complete_answers_03_then_new_update_works(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    mchp_file_t m;
    load_mchp(&m);
    h_client_connect(&f->a);
    m.file[BO_OTA_HDR_SIZE + 100000] ^= 0x01;
    assert_int_equal(update_mchp(f, &m), 0x03);
    assert_int_not_equal(ofx_last(f, BO_OTA_EVT_COMPLETE)->status, BO_OK);
    assert_false(bo_ota_validated(&f->ota));
    m.file[BO_OTA_HDR_SIZE + 100000] ^= 0x01;
    assert_int_equal(update_mchp(f, &m), 0x00);
    assert_true(bo_ota_validated(&f->ota));
    free(m.file);
    ofx_free(f);
}

static void wrong_aes_key_complete_answers_03_then_new_update_works(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    mchp_file_t m;
    load_mchp(&m);
    h_client_connect(&f->a);
    f->aes_key[0] ^= 0xFF; /* the key store holds another key */
    assert_int_equal(update_mchp(f, &m), 0x03);
    f->aes_key[0] ^= 0xFF;
    assert_int_equal(update_mchp(f, &m), 0x00);
    free(m.file);
    ofx_free(f);
}

static void wrong_signing_key_complete_answers_03_then_new_update_works(void **s)
{
    /* The P-256 generator: a valid public key that did not sign Microchip's file. */
    static const uint8_t g[64] = {0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6,
                                  0xE5, 0x63, 0xA4, 0x40, 0xF2, 0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB,
                                  0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98, 0xC2, 0x96, 0x4F,
                                  0xE3, 0x42, 0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A,
                                  0x7C, 0x0F, 0x9E, 0x16, 0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31, 0x5E,
                                  0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF, 0x51, 0xF5};
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    mchp_file_t m;
    load_mchp(&m);
    h_client_connect(&f->a);
    memcpy(f->pub, g, 64);
    assert_int_equal(update_mchp(f, &m), 0x03);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_COMPLETE)->status, BO_ERR_AUTH);
    memcpy(f->pub, mchp_pub, 64);
    assert_int_equal(update_mchp(f, &m), 0x00);
    free(m.file);
    ofx_free(f);
}

/* A digest-mode image signed with another key: refused as soon as the background check has
 * looked at its header (03 on OTA Data, REFUSED/HEADER with the reason), not after the whole
 * image; Complete then answers 03, and a good image follows. */
static void wrong_signing_key_is_refused_once_the_header_is_checked(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    tkey_t k, other;
    tkey_gen(&k, 31);
    tkey_gen(&other, 32);
    memcpy(f->pub, other.pub, 64); /* the device trusts another key */
    f->boot.allowed_auth = 0;
    const uint32_t fw_len = 40u * 1024u;
    size_t len = BO_MD_SIZE + fw_len;
    uint8_t *p = malloc(len);
    assert_non_null(p);
    timg_build2(p, len, &k, 0x01000002u, fw_len, 7, BO_AUTH_ECDSA, BO_AUTH_SHA256);
    start_update(f, len, 0x01000002u, 0);
    bo_otas_write(bo_ota_otas(&f->ota), f->a.conn, BO_OTAS_ATTR_DATA, true, p, 244);
    bo_otas_write(bo_ota_otas(&f->ota), f->a.conn, BO_OTAS_ATTR_DATA, true, p + 244, 244);
    bo_otas_write(bo_ota_otas(&f->ota), f->a.conn, BO_OTAS_ATTR_DATA, true, p + 488, 244);
    ofx_process(f);
    assert_null(h_next(&f->rec));                      /* mid-window: nothing yet */
    assert_int_equal(bo_ota_idle(&f->ota, f->now), 1); /* the header check runs */
    ofx_process(f);                                    /* and the OTA task acts on it */
    const h_notif_t *nt = h_next(&f->rec);
    assert_non_null(nt);
    assert_int_equal(nt->attr, BO_OTAS_ATTR_DATA);
    assert_int_equal(nt->data[0], BO_OTAS_RES_FAILED);
    const bo_ota_evt_t *e = ofx_last(f, BO_OTA_EVT_REFUSED);
    assert_non_null(e);
    assert_int_equal(e->refusal, BO_OTAS_REFUSE_HEADER);
    assert_int_equal(e->status, BO_ERR_AUTH);
    assert_int_equal(bo_otas_state(bo_ota_otas(&f->ota)), BO_OTAS_UPDATE_ERROR);
    assert_int_equal(h_complete(&f->a), 0x03);
    memcpy(f->pub, k.pub, 64);
    int step;
    assert_int_equal(run_update(f, &f->a, p, len, 0x01000002u, 0, 0, &step), 0x00);
    free(p);
    tkey_free(&k);
    tkey_free(&other);
    ofx_free(f);
}

/* Every refusal of an Update Request raises REFUSED with its reason. */
static void every_refusal_raises_an_event_with_its_reason(void **s)
{
    ofx_opts_t o = {.current_version = 0x02000000u};
    ofx_t *f = ofx_new(&o);
    uint8_t req[19];
    h_client_connect(&f->a);
    struct {
        uint32_t size, version;
        uint8_t enc;
        int app_mode;
        uint8_t result;
        bo_ota_refusal_t why;
    } cases[] = {
        {4096, 0x01000000u, 1, APP_ACCEPT, 0x02, BO_OTAS_REFUSE_OLDER_VERSION},
        {4096, 0x02000001u, 1, APP_REJECT, 0x02, BO_OTAS_REFUSE_APPLICATION},
        {4095, 0x02000001u, 1, APP_ACCEPT, 0x04, BO_OTAS_REFUSE_SIZE},
        {4096, 0x02000001u, 2, APP_ACCEPT, 0x02, BO_OTAS_REFUSE_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        f->app_mode = cases[i].app_mode;
        size_t n = h_req(req, cases[i].size, 1, cases[i].version, cases[i].enc, 0, true);
        assert_int_equal(h_request(&f->a, req, n, NULL, NULL), cases[i].result);
        const bo_ota_evt_t *e = ofx_last(f, BO_OTA_EVT_REFUSED);
        assert_non_null(e);
        assert_int_equal(e->refusal, cases[i].why);
        assert_string_not_equal(bo_otas_refusal_str(e->refusal), "unknown refusal");
        f->n_evts = 0;
    }
    ofx_free(f);
    ofx_opts_t nk = {.no_keys = true};
    f = ofx_new(&nk);
    h_client_connect(&f->a);
    size_t n = h_req(req, 4096, 1, 0x01000001u, 1, 0, true);
    assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x02);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_REFUSED)->refusal, BO_OTAS_REFUSE_NO_AES_KEY);
    ofx_free(f);
}

static void older_announced_version_answers_02_without_asking_application(void **s)
{
    ofx_opts_t o = {.current_version = 0x02000000u};
    ofx_t *f = ofx_new(&o);
    mchp_file_t m;
    load_mchp(&m);
    h_client_connect(&f->a);
    assert_int_equal(update_mchp(f, &m), 0x02);
    assert_int_equal(ofx_count(f, BO_OTA_EVT_UPDATE_REQUEST), 0);
    assert_int_equal(update_small(f, &f->a, 0x02000001u, 0x02000001u), 0x00);
    free(m.file);
    ofx_free(f);
}

static void signed_version_older_than_running_complete_answers_03(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    /* announces 1.0.0.1 but the signed header says 0.9.0.0 */
    assert_int_equal(update_small(f, &f->a, 0x00090000u, 0x01000001u), 0x03);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_COMPLETE)->status, BO_ERR_ROLLBACK);
    assert_int_equal(update_small(f, &f->a, 0x01000000u, 0x01000000u), 0x00); /* same: fine */
    ofx_free(f);
}

static void application_refusal_answers_02_then_acceptance_works(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    f->app_mode = APP_REJECT;
    assert_int_equal(update_small(f, &f->a, 0x01000001u, 0x01000001u), 0x02);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_UPDATE_REQUEST)->req->version, 0x01000001u);
    f->app_mode = APP_ACCEPT;
    assert_int_equal(update_small(f, &f->a, 0x01000001u, 0x01000001u), 0x00);
    ofx_free(f);
}

static void deferred_answer_sends_current_version_later(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    f->app_mode = APP_DEFER;
    uint8_t req[19];
    size_t n = h_req(req, 1024, 1, 0x01000005u, 0, 0, true);
    assert_int_equal(h_cp(&f->a, req, n), 0);
    assert_null(h_next(&f->rec));
    assert_int_equal(bo_ota_update_response(&f->ota, true, 0x01000003u), BO_OK);
    ofx_process(f);
    const h_notif_t *nt = h_next(&f->rec);
    assert_non_null(nt);
    assert_int_equal(nt->data[2], 0x00);
    assert_int_equal(bo_get_le32(&nt->data[9]), 0x01000003u);
    assert_int_equal(bo_ota_update_response(&f->ota, true, 1), BO_ERR_STATE);
    ofx_free(f);
}

static void deferred_answer_cannot_bypass_anti_rollback(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    f->app_mode = APP_DEFER;
    uint8_t req[19];
    size_t n = h_req(req, 1024, 1, 0x01000005u, 0, 0, true);
    assert_int_equal(h_cp(&f->a, req, n), 0);
    assert_int_equal(bo_ota_update_response(&f->ota, true, 0x01000006u), BO_OK);
    ofx_process(f);
    assert_int_equal(h_next(&f->rec)->data[2], 0x02);
    ofx_free(f);
}

static void bad_sizes_answer_04_then_update_works(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    const uint32_t bad[] = {0, 1000, 507904u + 4096u};
    for (size_t i = 0; i < 3; i++) {
        uint8_t req[19];
        size_t n = h_req(req, bad[i], 1, 0x01000001u, 1, 0, true);
        assert_int_equal(h_request(&f->a, req, n, NULL, NULL), 0x04);
    }
    assert_int_equal(ofx_count(f, BO_OTA_EVT_UPDATE_REQUEST), 0);
    assert_int_equal(update_small(f, &f->a, 0x01000001u, 0x01000001u), 0x00);
    ofx_free(f);
}

static void empty_key_store_refuses_encrypted_images_with_02(void **s)
{
    ofx_opts_t o = {.no_keys = true};
    ofx_t *f = ofx_new(&o);
    h_client_connect(&f->a);
    assert_int_equal(update_small(f, &f->a, 0x01000001u, 0x01000001u), 0x02);
    size_t len;
    uint8_t *p = make_image(1024, 0x01000001u, NULL, NULL, &len); /* plain still works */
    int step;
    assert_int_equal(run_update(f, &f->a, p, len, 0x01000001u, 0, 0, &step), 0x00);
    free(p);
    ofx_free(f);
}

/* The same file, but the application insists on the bootloader's own authenticate. */
static void mchp_file_with_auth_from_flash_calls_authenticate(void **s)
{
    ofx_opts_t o = {.auth_from_flash = true};
    ofx_t *f = ofx_new(&o);
    mchp_file_t m;
    load_mchp(&m);
    h_client_connect(&f->a);
    assert_int_equal(update_mchp(f, &m), 0x00);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_COMPLETE)->status, BO_OK);
    assert_int_equal(f->auth_calls, 1);
    free(m.file);
    ofx_free(f);
}

/* Signed-digest mode end to end: ECDSA metadata carrying the firmware SHA-256, encrypted,
 * through the server; the header is verified in the background, Complete only compares. */
static void digest_mode_image_updates_with_background_header_check(void **s)
{
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    tkey_t k;
    tkey_gen(&k, 31);
    memcpy(f->pub, k.pub, 64);
    f->boot.allowed_auth = 0; /* the secure default */
    const uint32_t fw_len = 40u * 1024u;
    size_t len = BO_MD_SIZE + fw_len + 16u;
    uint8_t *p = malloc(len);
    assert_non_null(p);
    timg_build2(p, len, &k, 0x01000002u, fw_len, 7, BO_AUTH_ECDSA, BO_AUTH_SHA256);
    memset(&p[BO_MD_SIZE + fw_len], 0x10, 16); /* PKCS#7 block */
    bo_aes_cbc_t aes;
    assert_int_equal(bo_aes_cbc_init(&aes, f->aes_key, f->aes_iv, 0), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&aes, p, p, len), BO_OK);
    bo_aes_cbc_free(&aes);

    uint16_t window = start_update(f, len, 0x01000002u, 1);
    assert_int_equal(bo_ota_background(&f->ota), 0); /* no header yet: nothing to do */
    f->a.chunk = 244;
    size_t first = window < len ? window : len;
    assert_int_equal(h_send(&f->a, p, 0, len, window, first), first);
    assert_int_equal(f->ota.md_state, 0); /* bo_ota_process never runs the check */
    assert_int_equal(bo_ota_background(&f->ota), 1);
    assert_int_equal(f->ota.md_status, BO_OK);
    assert_int_equal(bo_ota_background(&f->ota), 0); /* once per download */
    assert_int_equal(h_send(&f->a, p, first, len, window, 0), len);
    assert_int_equal(h_complete(&f->a), 0x00);
    const bo_ota_evt_t *e = ofx_last(f, BO_OTA_EVT_COMPLETE);
    assert_int_equal(e->status, BO_OK);
    assert_int_equal(e->version, 0x01000002u);
    assert_int_equal(f->auth_calls, 0);
    bo_boot_image_t info; /* the bootloader agrees, from flash */
    assert_int_equal(bo_boot_authenticate(&f->boot, 1, &info), BO_OK);

    /* one flipped firmware byte (a whole ciphertext block garbles its plaintext): refused */
    p[BO_MD_SIZE + 5000] ^= 0x01;
    uint8_t req[19];
    size_t n = h_req(req, (uint32_t)len, BO_IMG_DEFAULT_ID, 0x01000002u, 1, 0, true);
    assert_int_equal(h_request(&f->a, req, n, &window, NULL), 0);
    assert_int_equal(h_start(&f->a), 0);
    assert_int_equal(h_send(&f->a, p, 0, len, window, 0), len);
    assert_int_equal(h_complete(&f->a), 0x03);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_COMPLETE)->status, BO_ERR_AUTH);
    assert_int_equal(f->auth_calls, 0);
    free(p);
    tkey_free(&k);
    ofx_free(f);
}

static void premature_complete_answers_00_but_event_says_aborted(void **s)
{
    ofx_opts_t o = {.auth_from_flash = true};
    ofx_t *f = ofx_new(&o);
    f->fake_auth = true;
    h_client_connect(&f->a);
    size_t len;
    uint8_t *p = make_image(1024 * 16, 0x01000001u, f->aes_key, f->aes_iv, &len);
    uint8_t req[19];
    uint16_t window;
    size_t n = h_req(req, (uint32_t)len, 1, 0x01000001u, 1, 0, true);
    assert_int_equal(h_request(&f->a, req, n, &window, NULL), 0);
    assert_int_equal(h_start(&f->a), 0);
    assert_int_equal(h_send(&f->a, p, 0, len, window, window), window);
    assert_int_equal(h_complete(&f->a), 0x00);
    assert_int_equal(ofx_last(f, BO_OTA_EVT_ABORTED)->reason, BO_OTAS_ABORT_CLIENT);
    assert_null(ofx_last(f, BO_OTA_EVT_COMPLETE));
    assert_int_equal(f->auth_calls, 0);
    free(p);
    ofx_free(f);
}

static void reset_request_resets_after_delay_only_when_validated(void **s)
{
    ofx_opts_t o = {.auth_from_flash = true}; /* the scripted authenticate decides */
    ofx_t *f = ofx_new(&o);
    f->fake_auth = true;
    f->fake_status = BO_ERR_AUTH;
    h_client_connect(&f->a);
    const uint8_t reset = BO_OTAS_OP_RESET;
    assert_int_equal(update_small(f, &f->a, 0x01000001u, 0x01000001u), 0x03);
    assert_int_equal(h_cp(&f->a, &reset, 1), 0);
    assert_null(h_next(&f->rec)); /* never a notification */
    assert_false(ofx_last(f, BO_OTA_EVT_RESET_REQUEST)->will_reset);
    f->now += 10000;
    ofx_process(f);
    assert_int_equal(f->resets, 0);

    f->fake_status = BO_OK;
    f->fake_version = 0x01000001u;
    assert_int_equal(update_small(f, &f->a, 0x01000001u, 0x01000001u), 0x00);
    assert_int_equal(h_cp(&f->a, &reset, 1), 0);
    assert_true(ofx_last(f, BO_OTA_EVT_RESET_REQUEST)->will_reset);
    f->now += 499;
    ofx_process(f);
    assert_int_equal(f->resets, 0);
    f->now += 1;
    ofx_process(f);
    assert_int_equal(f->resets, 1);
    f->now += 5000;
    ofx_process(f);
    assert_int_equal(f->resets, 1);
    ofx_free(f);
}

static void init_refuses_missing_pieces(void **s)
{
    bo_ota_t ota;
    bo_ota_cfg_t cfg = {0};
    assert_int_equal(bo_ota_init(&ota, &cfg), BO_ERR_ARG);
    assert_int_equal(bo_ota_init(NULL, &cfg), BO_ERR_ARG);
    ofx_opts_t o = {0};
    ofx_t *f = ofx_new(&o);
    cfg = f->ota.cfg;
    cfg.authenticate = NULL; /* never accept an image nobody can authenticate */
    assert_int_equal(bo_ota_init(&ota, &cfg), BO_ERR_ARG);
    ofx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mchp_file_validates_through_server_with_real_authenticate),
        cmocka_unit_test(mchp_file_with_reference_window_and_mtu23_chunks_validates),
        cmocka_unit_test(mchp_file_with_auth_from_flash_calls_authenticate),
        cmocka_unit_test(digest_mode_image_updates_with_background_header_check),
        cmocka_unit_test(flipped_payload_byte_complete_answers_03_then_new_update_works),
        cmocka_unit_test(wrong_aes_key_complete_answers_03_then_new_update_works),
        cmocka_unit_test(wrong_signing_key_complete_answers_03_then_new_update_works),
        cmocka_unit_test(wrong_signing_key_is_refused_once_the_header_is_checked),
        cmocka_unit_test(every_refusal_raises_an_event_with_its_reason),
        cmocka_unit_test(older_announced_version_answers_02_without_asking_application),
        cmocka_unit_test(signed_version_older_than_running_complete_answers_03),
        cmocka_unit_test(application_refusal_answers_02_then_acceptance_works),
        cmocka_unit_test(deferred_answer_sends_current_version_later),
        cmocka_unit_test(deferred_answer_cannot_bypass_anti_rollback),
        cmocka_unit_test(bad_sizes_answer_04_then_update_works),
        cmocka_unit_test(empty_key_store_refuses_encrypted_images_with_02),
        cmocka_unit_test(premature_complete_answers_00_but_event_says_aborted),
        cmocka_unit_test(reset_request_resets_after_delay_only_when_validated),
        cmocka_unit_test(init_refuses_missing_pieces),
    };
    return cmocka_run_group_tests_name("ota", tests, NULL, NULL);
}
