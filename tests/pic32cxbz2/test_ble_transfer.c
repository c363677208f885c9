/* Acceptance 3 (issue 14): the Harmony binding, compiled with Microchip's headers, on a fake of
 * the stack calls it makes, over the posix NOR model of BZ2's program flash:
 * - Microchip's own ble_Sensor_OTA.bin (encrypted, signed with Microchip's development key)
 *   goes through the binding into slot 1, is validated, reset is requested, and bleota's
 *   bootloader core installs it: 1.1.0.0 runs, and the rebooted binding serves it in DIS;
 * - the same with MBA_RES_NO_RESOURCE on every Nth send (notifications and responses);
 * - ATT_EVT_UPDATE_MTU sets the window; unencrypted access is refused; a disconnect in the
 *   middle of a transfer aborts it cleanly and the next link can update;
 * - the reset waits while PDS has writes pending and is retried until it has none;
 * - the service is registered exactly as Microchip's ble_otas.c declares it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../otas/harness.h"
#include "ble_fixture.h"
#include "bleota/endian.h"
#include "bleota/img.h"

static const uint8_t mchp_aes_key[16] = {0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11,
                                         0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
static const uint8_t mchp_aes_iv[16] = {0};
static const uint8_t mchp_pub[64] = {
    0xc2, 0x81, 0x8f, 0xbb, 0x28, 0x61, 0x47, 0x8b, 0xa2, 0x53, 0x37, 0x79, 0xd4, 0x63, 0x18, 0x7c,
    0x8b, 0x41, 0x59, 0xa9, 0x5f, 0x0b, 0x6b, 0x94, 0x4e, 0xb9, 0x57, 0xa1, 0x03, 0xfe, 0x20, 0xbf,
    0x2b, 0xb8, 0x14, 0x2a, 0x64, 0xb5, 0xae, 0x4a, 0x83, 0x80, 0xdd, 0xe6, 0xee, 0x29, 0x89, 0xdd,
    0xa0, 0x9a, 0xc7, 0xda, 0x82, 0xeb, 0x56, 0x62, 0x90, 0x5d, 0x66, 0xc5, 0xbc, 0x30, 0x3c, 0x84};
static const bo_keys_t mchp_keys = {mchp_aes_key, mchp_aes_iv, mchp_pub};

#define MTU 247u
#define CHUNK (MTU - 3u)
#define V110 0x01010000u

typedef struct {
    uint8_t *file;
    size_t len;
    bo_ota_hdr_t hdr;
} ota_file_t;

static void load_mchp(ota_file_t *o)
{
    o->file = h_load(BO_FIXTURES "/ble_Sensor_OTA.bin", &o->len);
    assert_non_null(o->file);
    assert_int_equal(bo_ota_hdr_parse(o->file, &o->hdr), BO_OK);
}

/* The stock client's update: request (19-byte form), start, windows, complete, reset. Returns
 * the Update Complete result; *window gets the window the server chose. */
static uint8_t update(bfx_t *f, uint16_t conn, const ota_file_t *o, uint16_t *window_out)
{
    uint8_t req[19];
    uint16_t window;
    size_t plen = o->len - BO_OTA_HDR_SIZE;
    size_t n = h_req(req, (uint32_t)plen, o->hdr.image_id, o->hdr.version, o->hdr.enc,
                     o->hdr.checksum, true);
    assert_int_equal(bfx_request(f, conn, req, n, &window), 0);
    if (window_out != NULL)
        *window_out = window;
    assert_int_equal(bfx_start(f, conn), 0);
    const uint8_t *payload = o->file + BO_OTA_HDR_SIZE;
    size_t sent = 0;
    while (sent < plen) { /* windows, with idle time in between (the header check runs there) */
        size_t part = plen - sent < window ? plen - sent : window;
        assert_int_equal(bfx_send(f, conn, payload + sent, part, window, CHUNK, 0), part);
        sent += part;
        while (bo_bz2_ble_idle(&f->ble) == 1) {
        }
    }
    return bfx_complete(f, conn);
}

static void reset_request(bfx_t *f, uint16_t conn)
{
    static const uint8_t op[1] = {BO_OTAS_OP_RESET};
    assert_int_equal(bfx_cp(f, conn, op, 1), 0);
}

static void installed(bfx_t *f)
{
    bo_boot_result_t res;
    assert_int_equal(bo_boot_run(&f->boot, &res), BO_OK);
    assert_true(res.installed);
    assert_int_equal(res.action, BO_BOOT_RUN);
    assert_int_equal(res.image.version, V110);
}

static void link_up(bfx_t *f, uint16_t conn)
{
    bfx_connect(f, conn);
    fs_mtu(&f->fs, conn, MTU);
}

/* ---- Tests ---------------------------------------------------------------------------------- */
static void pic32cxbz2_ble_installs_mchp_ble_sensor_ota(void **state)
{
    ota_file_t o;
    load_mchp(&o);
    bfx_t *f = bfx_new_real(&mchp_keys, NULL);
    link_up(f, BFX_CONN);
    assert_int_equal(update(f, BFX_CONN, &o, NULL), 0x00);
    const bo_ota_evt_t *c = bfx_last(f, BO_OTA_EVT_COMPLETE);
    assert_non_null(c);
    assert_int_equal(c->status, BO_OK);
    assert_int_equal(c->version, V110);
    reset_request(f, BFX_CONN);
    bfx_advance(f, 600); /* reset_delay_ms, then the reset */
    assert_int_equal(f->resets, 1);
    installed(f);
    /* the application restarts on 1.1.0.0: DIS says so, and it is the running version */
    bfx_reboot(f, &mchp_keys);
    fs_connect(&f->fs, BFX_CONN);
    uint8_t rev[32];
    uint16_t len = 0;
    assert_int_equal(fs_read(&f->fs, BFX_CONN, 0x0082, rev, &len), 0);
    assert_int_equal(len, 7);
    assert_memory_equal(rev, "1.1.0.0", 7);
    assert_int_equal(bo_bz2_ble_ota(&f->ble)->cfg.current_version, V110);
    free(o.file);
    bfx_free(f);
}

static void no_resource_every(unsigned every)
{
    ota_file_t o;
    load_mchp(&o);
    bfx_t *f = bfx_new_real(&mchp_keys, NULL);
    f->fs.no_resource_every = every;
    link_up(f, BFX_CONN);
    assert_int_equal(update(f, BFX_CONN, &o, NULL), 0x00);
    reset_request(f, BFX_CONN);
    bfx_advance(f, 600);
    assert_int_equal(f->resets, 1);
    assert_true(f->fs.refusals > 0u);
    assert_int_equal(bo_bz2_ble_ota(&f->ble)->otas.notif_dropped, 0); /* all kept and resent */
    assert_int_equal(f->ble.dropped, 0);
    installed(f);
    free(o.file);
    bfx_free(f);
}

static void pic32cxbz2_ble_no_resource_every_2nd_send(void **state)
{
    no_resource_every(2);
}

static void pic32cxbz2_ble_no_resource_every_3rd_send(void **state)
{
    no_resource_every(3);
}

static void pic32cxbz2_ble_no_resource_every_7th_send(void **state)
{
    no_resource_every(7);
}

/* Without TX_BUF_AVAILABLE nothing more goes out: a Write Response the stack refused is held,
 * and the Control Point's result waits behind it (Microchip's order), until the event comes. */
static void pic32cxbz2_ble_response_waits_for_tx_buf_available(void **state)
{
    bfx_t *f = bfx_new();
    bfx_connect(f, BFX_CONN);
    uint8_t req[19];
    size_t n = h_req(req, 64, 0x9B000000u, 0x01000001u, 0, 0x1234, true);
    f->fs.auto_tx_available = false;
    f->fs.no_resource_every = 1; /* no buffer for a response; notifications would find one */
    f->fs.responses_only = true;
    assert_int_equal(bfx_cp(f, BFX_CONN, req, n), 0xFF); /* no answer yet */
    bfx_advance(f, 50);
    assert_null(fs_next_ntf(&f->fs, BFX_CONN));
    f->fs.no_resource_every = 0;
    fs_tx_available(&f->fs, BFX_CONN);
    const fs_sent_t *last = NULL;
    for (size_t i = 0; i < f->fs.nlog; i++)
        if (f->fs.log[i].kind == FS_WRITE_RSP)
            last = &f->fs.log[i];
    assert_non_null(last);                       /* the response went out first... */
    const fs_sent_t *nt = bfx_ctrl(f, BFX_CONN); /* ...then the result */
    assert_true(nt > last);
    assert_int_equal(nt->data[2], 0x00);
    bfx_free(f);
}

static void pic32cxbz2_ble_mtu_event_sets_the_window(void **state)
{
    ota_file_t o;
    uint16_t w23, w247, w100;
    uint8_t req[19];
    load_mchp(&o);
    size_t n = h_req(req, (uint32_t)(o.len - BO_OTA_HDR_SIZE), o.hdr.image_id, o.hdr.version,
                     o.hdr.enc, o.hdr.checksum, true);
    bfx_t *f = bfx_new_real(&mchp_keys, NULL);
    bfx_connect(f, BFX_CONN); /* no MTU exchange: 23 */
    assert_int_equal(bfx_request(f, BFX_CONN, req, n, &w23), 0);
    assert_int_equal(bfx_complete(f, BFX_CONN), 0); /* ends this cycle (no data: 00) */
    fs_mtu(&f->fs, BFX_CONN, 247);
    assert_int_equal(bfx_request(f, BFX_CONN, req, n, &w247), 0);
    assert_int_equal(bfx_complete(f, BFX_CONN), 0);
    fs_mtu(&f->fs, BFX_CONN, 100);
    assert_int_equal(bfx_request(f, BFX_CONN, req, n, &w100), 0);
    /* stock client: BO_OTAS_STOCK_WRITES(12) = 6 writes of MTU - 3, rounded down to 16 */
    assert_int_equal(w23, (6u * 20u) & ~15u);
    assert_int_equal(w247, (6u * 244u) & ~15u);
    assert_int_equal(w100, (6u * 97u) & ~15u);
    free(o.file);
    bfx_free(f);
}

static void pic32cxbz2_ble_unencrypted_access_is_refused(void **state)
{
    static const uint8_t on[2] = {0x01, 0x00};
    uint8_t req[19], out[8];
    uint16_t len;
    size_t n = h_req(req, 64, 0x9B000000u, 0x01000001u, 0, 0x1234, true);
    bfx_t *f = bfx_new();
    fs_connect(&f->fs, BFX_CONN);
    /* the stack itself refuses (the binding registered _ENC permissions); nothing reaches it */
    assert_int_equal(fs_write(&f->fs, BFX_CONN, H_CTRL_CCCD, on, 2, false), ATT_ERR_INSUF_AUTHN);
    assert_int_equal(fs_write(&f->fs, BFX_CONN, H_CTRL, req, (uint16_t)n, false),
                     ATT_ERR_INSUF_AUTHN);
    assert_int_equal(fs_read(&f->fs, BFX_CONN, H_FEATURE, out, &len), ATT_ERR_INSUF_AUTHN);
    assert_int_equal(f->fs.nlog, 0);
    /* a write that reaches the binding on an unencrypted link anyway is refused by it too */
    fs_raw_write(&f->fs, BFX_CONN, H_CTRL_CCCD, on, 2, ATT_WRITE_REQ);
    assert_int_equal(f->fs.nlog, 1);
    assert_int_equal(f->fs.log[0].kind, FS_ERR_RSP);
    assert_int_equal(f->fs.log[0].code, BO_OTAS_ATT_INSUFFICIENT_AUTHEN);
    assert_int_equal(f->fs.log[0].handle, H_CTRL_CCCD);
    /* once encrypted, the same requests work */
    fs_encrypt(&f->fs, BFX_CONN);
    assert_int_equal(fs_write(&f->fs, BFX_CONN, H_CTRL_CCCD, on, 2, false), 0);
    assert_int_equal(fs_read(&f->fs, BFX_CONN, H_FEATURE, out, &len), 0);
    assert_int_equal(len, 2);
    bfx_free(f);
}

static void pic32cxbz2_ble_disconnect_mid_transfer(void **state)
{
    ota_file_t o;
    uint8_t req[19];
    uint16_t window;
    load_mchp(&o);
    size_t plen = o.len - BO_OTA_HDR_SIZE;
    size_t n =
        h_req(req, (uint32_t)plen, o.hdr.image_id, o.hdr.version, o.hdr.enc, o.hdr.checksum, true);
    bfx_t *f = bfx_new_real(&mchp_keys, NULL);
    link_up(f, BFX_CONN);
    assert_int_equal(bfx_request(f, BFX_CONN, req, n, &window), 0);
    assert_int_equal(bfx_start(f, BFX_CONN), 0);
    size_t part = 20u * window;
    assert_int_equal(bfx_send(f, BFX_CONN, o.file + BO_OTA_HDR_SIZE, part, window, CHUNK, 0), part);
    /* a Write Request whose response the stack could not send yet, then the link drops */
    f->fs.auto_tx_available = false;
    f->fs.no_resource_every = 1;
    static const uint8_t on[2] = {0x01, 0x00};
    assert_int_equal(fs_write(&f->fs, BFX_CONN, H_DATA_CCCD, on, 2, false), 0xFF);
    fs_disconnect(&f->fs, BFX_CONN);
    f->fs.no_resource_every = 0;
    f->fs.auto_tx_available = true;
    const bo_ota_evt_t *a = bfx_last(f, BO_OTA_EVT_ABORTED);
    assert_non_null(a);
    assert_int_equal(a->reason, BO_OTAS_ABORT_DISCONNECT);
    assert_int_equal(bo_otas_state(bo_ota_otas(bo_bz2_ble_ota(&f->ble))), BO_OTAS_IDLE);
    for (unsigned i = 0; i < BO_BZ2_BLE_LINKS; i++)
        assert_false(f->ble.links[i].used); /* its held response went with it */
    bfx_advance(f, 100);
    assert_int_equal(f->fs.stack_errors, 0);
    /* a new link (a stock client starts over at 0) updates to the end */
    link_up(f, BFX_CONN + 1u);
    assert_int_equal(update(f, BFX_CONN + 1u, &o, NULL), 0x00);
    reset_request(f, BFX_CONN + 1u);
    bfx_advance(f, 600);
    assert_int_equal(f->resets, 1);
    installed(f);
    free(o.file);
    bfx_free(f);
}

static void pic32cxbz2_ble_reset_waits_while_pds_writes(void **state)
{
    ota_file_t o;
    load_mchp(&o);
    bfx_t *f = bfx_new_real(&mchp_keys, NULL);
    link_up(f, BFX_CONN);
    assert_int_equal(update(f, BFX_CONN, &o, NULL), 0x00);
    f->fs.pds_pending = 2; /* bonding data not yet in flash */
    reset_request(f, BFX_CONN);
    bfx_advance(f, 2000);
    assert_int_equal(f->resets, 0);             /* never with a write pending */
    assert_true(f->ble.reset_deferrals >= 10u); /* retried every 100 ms meanwhile */
    f->fs.pds_pending = 0;
    bfx_advance(f, 100);
    assert_int_equal(f->resets, 1); /* the reference would have given up: this one resets */
    bfx_advance(f, 1000);
    assert_int_equal(f->resets, 1); /* once */
    free(o.file);
    bfx_free(f);
}

/* Microchip's ble_otas.c table: handles, UUIDs, settings, permissions, CCCD table. */
static void pic32cxbz2_ble_registers_microchips_otas_table(void **state)
{
    bfx_t *f = bfx_new();
    const GATTS_Service_T *s = fs_service_at(&f->fs, 0x0100);
    assert_non_null(s);
    assert_int_equal(s->endHandle, 0x0108);
    assert_int_equal(s->cccdNumber, 2);
    assert_int_equal(s->p_cccdSetting[0].attrHandle, H_CTRL_CCCD);
    assert_int_equal(s->p_cccdSetting[1].attrHandle, H_DATA_CCCD);
    assert_int_equal(s->p_cccdSetting[0].acceptableValue, NOTIFICATION);
    const GATTS_Attribute_T *a = s->p_attrList;
    assert_memory_equal(a[0].p_uuid, g_gattUuidPrimSvc, 2);
    assert_memory_equal(a[0].p_value, bo_otas_uuid_service, 16);
    static const struct {
        uint16_t h;
        const uint8_t *uuid;
        uint8_t settings, perm;
        uint16_t max;
    } v[] = {
        {H_FEATURE, bo_otas_uuid_feature, SETTING_MANUAL_READ_RSP | SETTING_UUID_16,
         PERMISSION_READ | PERMISSION_READ_ENC, 2},
        {H_CTRL, bo_otas_uuid_ctrl,
         SETTING_MANUAL_WRITE_RSP | SETTING_UUID_16 | SETTING_VARIABLE_LEN,
         PERMISSION_WRITE | PERMISSION_WRITE_ENC, BLE_ATT_MAX_MTU_LEN},
        {H_DATA, bo_otas_uuid_data,
         SETTING_MANUAL_WRITE_RSP | SETTING_UUID_16 | SETTING_VARIABLE_LEN,
         PERMISSION_WRITE | PERMISSION_WRITE_ENC, BLE_ATT_MAX_MTU_LEN},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const GATTS_Attribute_T *val = fs_attr(&f->fs, v[i].h);
        const GATTS_Attribute_T *decl = fs_attr(&f->fs, (uint16_t)(v[i].h - 1u));
        assert_memory_equal(val->p_uuid, v[i].uuid, 16);
        assert_int_equal(val->settings, v[i].settings);
        assert_int_equal(val->permissions, v[i].perm);
        assert_int_equal(val->maxLen, v[i].max);
        assert_memory_equal(decl->p_uuid, g_gattUuidChar, 2);
        assert_int_equal(*decl->p_len, 19);
        assert_int_equal(decl->p_value[1] | decl->p_value[2] << 8, v[i].h);
        assert_memory_equal(decl->p_value + 3, v[i].uuid, 16);
    }
    for (uint16_t h = H_CTRL_CCCD; h <= H_DATA_CCCD; h = (uint16_t)(h + 3u)) {
        const GATTS_Attribute_T *c = fs_attr(&f->fs, h);
        assert_memory_equal(c->p_uuid, g_descUuidCcc, 2);
        assert_int_equal(c->settings, SETTING_MANUAL_WRITE_RSP | SETTING_CCCD);
        assert_int_equal(c->permissions, PERMISSION_READ | PERMISSION_READ_ENC | PERMISSION_WRITE |
                                             PERMISSION_WRITE_ENC);
    }
    /* DIS at Microchip's handle: the running version (none yet: the configured one) */
    const GATTS_Service_T *d = fs_service_at(&f->fs, 0x0080);
    assert_non_null(d);
    assert_int_equal(d->endHandle, 0x0082);
    assert_int_equal(*d->p_attrList[2].p_len, 7);
    assert_memory_equal(d->p_attrList[2].p_value, "1.0.0.0", 7);
    bfx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pic32cxbz2_ble_registers_microchips_otas_table),
        cmocka_unit_test(pic32cxbz2_ble_installs_mchp_ble_sensor_ota),
        cmocka_unit_test(pic32cxbz2_ble_no_resource_every_2nd_send),
        cmocka_unit_test(pic32cxbz2_ble_no_resource_every_3rd_send),
        cmocka_unit_test(pic32cxbz2_ble_no_resource_every_7th_send),
        cmocka_unit_test(pic32cxbz2_ble_response_waits_for_tx_buf_available),
        cmocka_unit_test(pic32cxbz2_ble_mtu_event_sets_the_window),
        cmocka_unit_test(pic32cxbz2_ble_unencrypted_access_is_refused),
        cmocka_unit_test(pic32cxbz2_ble_disconnect_mid_transfer),
        cmocka_unit_test(pic32cxbz2_ble_reset_waits_while_pds_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
