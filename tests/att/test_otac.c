/* The OTA client core (tools/otac) against a scripted OTA server built on the att server:
 * sequence, CCCD order, window and MTU rules, resume, and every failure mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "att_fixture.h"
#include "bleota/endian.h"
#include "otac.h"

#define Q_MAX 64
#define IMG_MAX 20000

typedef struct pdu {
    uint16_t len;
    uint8_t b[BO_ATT_MTU_MAX];
} pdu_t;

typedef struct fifo {
    pdu_t q[Q_MAX];
    int head, count;
} fifo_t;

/* The scripted server and the wire between it and the client. */
static struct {
    fx_t f;
    fifo_t to_srv, to_cli;
    uint8_t feature[2];
    uint8_t req_result, start_result, complete_result, data_result;
    uint16_t window;
    uint32_t start_index, cur_version;
    bool silent_pair; /* never answer the pairing request */
    uint8_t optin_att_err; /* ATT error for the opt-in write (0: accept it) */
    int busy_every;   /* send returns BUSY on every n-th data write (0: never) */
    bool early_ack;   /* acknowledge a window at its first write (bleota's server) */
    uint32_t ack_delay_ms; /* hold each window acknowledgement this long (a slow link) */
    uint32_t ack_due;      /* when the held acknowledgement goes out (0: none held) */
    int data_writes;
    /* what the server saw */
    uint8_t img[IMG_MAX];
    uint32_t got, win_fill, size;
    uint16_t max_chunk;
    int cccd_order[2], ncccd;
    uint8_t ops[16];
    int nops;
    uint8_t req[32];
    uint16_t req_len;
    bool straddled;
} S;

static uint8_t payload[IMG_MAX];
static bo_otac_t C;
static uint32_t now;
static int notes;

static void push(fifo_t *f, const uint8_t *b, uint16_t len)
{
    pdu_t *p;
    assert_true(f->count < Q_MAX);
    p = &f->q[(f->head + f->count++) % Q_MAX];
    p->len = len;
    memcpy(p->b, b, len);
}

static bool pop(fifo_t *f, pdu_t *out)
{
    if (f->count == 0)
        return false;
    *out = f->q[f->head];
    f->head = (f->head + 1) % Q_MAX;
    f->count--;
    return true;
}

static void notify(uint16_t h, const uint8_t *v, uint16_t n)
{
    uint8_t out[BO_ATT_MTU_MAX];
    int len = bo_att_server_notify(&S.f.srv, h, v, n, out, sizeof out);
    assert_true(len > 0);
    push(&S.to_cli, out, (uint16_t)len);
}

/* Control Point opcodes, answered after the Write Response like otas does. */
static void control_point(const uint8_t *v, uint16_t n)
{
    uint8_t r[13] = {0x01, v[0], 0};
    S.ops[S.nops++] = v[0];
    switch (v[0]) {
    case 0x20:
        notify(S.f.h_ctrl, r, 3);
        break;
    case 0x02:
        memcpy(S.req, v, n);
        S.req_len = n;
        S.size = bo_get_le32(&v[1]);
        r[2] = S.req_result;
        if (r[2] == 0) {
            bo_put_le16(&r[3], S.window);
            bo_put_le32(&r[5], S.start_index);
            bo_put_le32(&r[9], S.cur_version);
        }
        notify(S.f.h_ctrl, r, 13);
        break;
    case 0x03:
        S.got = S.start_index;
        S.win_fill = 0;
        r[2] = S.start_result;
        notify(S.f.h_ctrl, r, 3);
        break;
    case 0x04:
        r[2] = S.got == S.size ? S.complete_result : 0x00;
        notify(S.f.h_ctrl, r, 3);
        break;
    default:
        break;
    }
}

static void data(const uint8_t *v, uint16_t n)
{
    uint8_t r = S.data_result;
    if (n > S.max_chunk)
        S.max_chunk = n;
    if (S.win_fill + n > S.window)
        S.straddled = true;
    assert_true(S.got + n <= IMG_MAX);
    memcpy(&S.img[S.got], v, n);
    S.got += n;
    if (S.early_ack && S.win_fill == 0 && S.got < S.size && S.size - (S.got - n) > S.window)
        notify(S.f.h_data, &r, 1); /* not the last window: acknowledged at its first write */
    else if (S.early_ack && S.got == S.size)
        notify(S.f.h_data, &r, 1);
    S.win_fill += n;
    if (S.early_ack) {
        if (S.win_fill == S.window)
            S.win_fill = 0;
        return;
    }
    if (S.win_fill == S.window || S.got == S.size) {
        S.win_fill = 0;
        if (S.ack_delay_ms != 0)
            S.ack_due = now + S.ack_delay_ms;
        else
            notify(S.f.h_data, &r, 1);
    }
}

/* The att server's write callback of the fixture stores the write; act on it here. */
static void serve(const pdu_t *p)
{
    uint8_t rsp[BO_ATT_MTU_MAX];
    int writes = S.f.writes, n;
    if (p->b[0] == BO_LINK_CTRL) {
        uint8_t paired[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIRED};
        if (!S.silent_pair) {
            bo_att_server_set_encrypted(&S.f.srv, true);
            push(&S.to_cli, paired, 2);
        }
        return;
    }
    S.f.write_status = (p->b[0] == BO_ATT_OP_WRITE_REQ && p->len >= 4 &&
                        bo_get_le16(&p->b[1]) == S.f.h_ctrl && p->b[3] == 0x20)
                           ? S.optin_att_err
                           : 0;
    n = bo_att_server_handle(&S.f.srv, p->b, p->len, rsp, sizeof rsp);
    assert_true(n >= 0);
    if (n > 0)
        push(&S.to_cli, rsp, (uint16_t)n);
    if (S.f.writes == writes || S.f.write_status != 0)
        return; /* refused at ATT level: the service never saw it */
    if (S.f.last_write_handle == S.f.h_ctrl_cccd || S.f.last_write_handle == S.f.h_data_cccd)
        S.cccd_order[S.ncccd++ % 2] = S.f.last_write_handle;
    else if (S.f.last_write_handle == S.f.h_ctrl)
        control_point(S.f.last_write, S.f.last_write_len);
    else if (S.f.last_write_handle == S.f.h_data)
        data(S.f.last_write, S.f.last_write_len);
}

static int cli_send(void *ctx, const uint8_t *pdu, uint16_t len)
{
    if (pdu[0] == BO_ATT_OP_WRITE_CMD && S.busy_every && ++S.data_writes % S.busy_every == 0)
        return BO_ERR_BUSY;
    push(&S.to_srv, pdu, len);
    return BO_OK;
}

static void cli_event(void *ctx, const bo_otac_evt_t *e)
{
    if (e->type == BO_OTAC_EVT_NOTE)
        notes++;
}

/* Runs both ends until the session ends or nothing moves; returns the result. */
static bo_otac_result_t run(void)
{
    pdu_t p;
    int guard = 0;
    bo_otac_start(&C, now);
    while (bo_otac_result(&C) == BO_OTAC_RUNNING && guard++ < 100000) {
        bool moved = false;
        while (pop(&S.to_srv, &p)) {
            serve(&p);
            moved = true;
        }
        while (pop(&S.to_cli, &p)) {
            bo_otac_on_pdu(&C, p.b, p.len, now);
            moved = true;
        }
        if (!moved && S.ack_due != 0 && now >= S.ack_due) {
            uint8_t r = S.data_result;
            S.ack_due = 0;
            notify(S.f.h_data, &r, 1);
            continue;
        }
        if (!moved) {
            now += 100;
            bo_otac_on_writable(&C, now);
            bo_otac_tick(&C, now);
        }
    }
    return bo_otac_result(&C);
}

static void setup_client(uint32_t len, uint16_t mtu, bool resume)
{
    bo_otac_cfg_t cfg;
    uint32_t i;
    for (i = 0; i < len; i++)
        payload[i] = (uint8_t)(i * 13 + (i >> 8));
    memset(&cfg, 0, sizeof cfg);
    cfg.mode = BO_OTAC_MODE_UPDATE;
    cfg.image.payload = payload;
    cfg.image.len = len;
    cfg.image.size = len;
    cfg.image.image_id = 0x9B000000u;
    cfg.image.version = 0x01020304u;
    cfg.image.enc = 1;
    cfg.image.checksum = 0xCBAB;
    cfg.image.crc16 = 0x1234;
    cfg.mtu = mtu;
    cfg.resume = resume;
    cfg.send = cli_send;
    cfg.event = cli_event;
    assert_int_equal(bo_otac_init(&C, &cfg), BO_OK);
}

static int setup(void **state)
{
    memset(&S, 0, sizeof S);
    assert_int_equal(fx_setup(&S.f, 517), 0);
    S.f.value[0] = 0x01;
    S.f.value[1] = 0x01;
    S.f.value_len = 2; /* the Feature */
    S.window = 1024;
    S.cur_version = 0x01000000u;
    now = 1000;
    notes = 0;
    setup_client(4992, 247, false);
    return 0;
}

static void otac_update_sends_the_image_in_windows_never_straddling_one(void **state)
{
    assert_int_equal(run(), BO_OTAC_OK);
    assert_int_equal(S.got, 4992);
    assert_memory_equal(S.img, payload, 4992);
    assert_false(S.straddled);
    assert_int_equal(S.max_chunk, 244);
    assert_int_equal(S.ncccd, 2);
    assert_int_equal(S.cccd_order[0], S.f.h_ctrl_cccd); /* Control Point first */
    assert_int_equal(S.cccd_order[1], S.f.h_data_cccd);
    assert_int_equal(S.nops, 4);
    assert_memory_equal(S.ops, "\x02\x03\x04\x05", 4);
    assert_int_equal(C.mtu, 247);
    assert_int_equal(C.data_bytes, 4992);
    assert_true(C.reset_sent);
}

static void otac_update_request_carries_the_header_fields(void **state)
{
    assert_int_equal(run(), BO_OTAC_OK);
    assert_int_equal(S.req_len, 19);
    assert_int_equal(bo_get_le32(&S.req[1]), 4992);
    assert_int_equal(bo_get_le32(&S.req[5]), 0x9B000000u);
    assert_int_equal(bo_get_le32(&S.req[9]), 0x01020304u);
    assert_int_equal(S.req[13], 1);
    assert_int_equal(bo_get_le16(&S.req[14]), 0xCBAB);
    assert_int_equal(S.req[16], 0x01);
    assert_int_equal(bo_get_le16(&S.req[17]), 0x1234);
}

static void otac_short_request_when_the_feature_lacks_the_extension(void **state)
{
    S.f.value[1] = 0x00;
    assert_int_equal(run(), BO_OTAC_OK);
    assert_int_equal(S.req_len, 14);
}

static void otac_mtu_23_sends_20_byte_chunks(void **state)
{
    setup_client(2048 + 160, 23, false);
    assert_int_equal(run(), BO_OTAC_OK);
    assert_int_equal(S.max_chunk, 20);
    assert_false(S.straddled);
    assert_memory_equal(S.img, payload, 2048 + 160);
}

static void otac_odd_window_and_mtu_never_straddle(void **state)
{
    S.window = 4096;
    setup_client(9600, 185, false);
    assert_int_equal(run(), BO_OTAC_OK);
    assert_false(S.straddled);
    assert_int_equal(S.max_chunk, 182);
    assert_memory_equal(S.img, payload, 9600);
}

static void otac_resume_opts_in_and_continues_from_the_start_index(void **state)
{
    S.f.value[1] = 0x03;
    S.start_index = 2048;
    setup_client(4992, 247, true);
    assert_int_equal(run(), BO_OTAC_OK);
    assert_int_equal(S.ops[0], 0x20);
    assert_int_equal(S.ops[1], 0x02);
    assert_int_equal(C.start_index, 2048);
    assert_int_equal(C.data_bytes, 4992 - 2048);
    assert_memory_equal(&S.img[2048], &payload[2048], 4992 - 2048);
    assert_false(S.straddled);
}

static void otac_resume_not_offered_sends_everything_and_says_so(void **state)
{
    setup_client(4992, 247, true);
    assert_int_equal(run(), BO_OTAC_OK);
    assert_int_equal(S.ops[0], 0x02);
    assert_int_equal(notes, 1);
    assert_int_equal(C.data_bytes, 4992);
}

static void otac_refused_opt_in_falls_back_to_a_full_transfer(void **state)
{
    S.f.value[1] = 0x03;
    S.optin_att_err = BO_ATT_ERR_WRITE_NOT_PERMITTED;
    S.start_index = 0;
    setup_client(4992, 247, true);
    assert_int_equal(run(), BO_OTAC_OK);
    assert_int_equal(S.ops[0], 0x02); /* the refused 0x20 never reached the service */
    assert_int_equal(notes, 1);
    assert_int_equal(C.data_bytes, 4992);
}

static void otac_rejected_request_ends_with_its_result_code(void **state)
{
    S.req_result = 0x02;
    assert_int_equal(run(), BO_OTAC_ERR_REJECTED);
    assert_int_equal(C.detail, 0x02);
    assert_int_equal(S.got, 0);
    S.req_result = 0x04;
    memset(&S.to_cli, 0, sizeof S.to_cli);
    setup_client(4992, 247, false);
    bo_att_server_connected(&S.f.srv);
    assert_int_equal(run(), BO_OTAC_ERR_REJECTED);
    assert_int_equal(C.detail, 0x04);
}

static void otac_refused_start_ends_with_start_error(void **state)
{
    S.start_result = 0x03;
    assert_int_equal(run(), BO_OTAC_ERR_START);
    assert_int_equal(C.detail, 0x03);
}

static void otac_invalid_image_is_reported_and_no_reset_sent(void **state)
{
    S.complete_result = 0x03;
    assert_int_equal(run(), BO_OTAC_ERR_INVALID);
    assert_int_equal(C.detail, 0x03);
    assert_int_equal(S.ops[S.nops - 1], 0x04);
    assert_false(C.reset_sent);
}

static void otac_data_error_notification_ends_the_transfer(void **state)
{
    S.data_result = 0x05;
    assert_int_equal(run(), BO_OTAC_ERR_TRANSFER);
    assert_int_equal(C.detail, 0x05);
    assert_int_equal(C.sent, 1024); /* stopped after the first window */
}

static void otac_silent_device_times_out(void **state)
{
    S.silent_pair = true;
    assert_int_equal(run(), BO_OTAC_ERR_TIMEOUT);
    assert_string_equal(C.stage, "pair");
    assert_true(now - 1000 >= BO_OTAC_TIMEOUT_DEFAULT_MS);
}

/* A window still draining over a slow link: its acknowledgement may come after the plain
 * timeout, within the time the window needs at BO_OTAC_FLOOR_BYTES_PER_S. */
static void otac_large_window_on_a_slow_link_waits_for_its_acknowledgement(void **state)
{
    S.window = 4096;
    S.ack_delay_ms = BO_OTAC_TIMEOUT_DEFAULT_MS + 1500u; /* the last window (896 B) allows 1792 */
    assert_int_equal(run(), BO_OTAC_OK);
    assert_int_equal(S.got, 4992);
}

static void otac_window_acknowledgement_later_than_the_slow_link_allows_times_out(void **state)
{
    S.window = 4096;
    S.ack_delay_ms = BO_OTAC_TIMEOUT_DEFAULT_MS + 4096u * 1000u / BO_OTAC_FLOOR_BYTES_PER_S + 1000u;
    assert_int_equal(run(), BO_OTAC_ERR_TIMEOUT);
    assert_int_equal(C.sent, 4096);
}

static void otac_busy_transport_resumes_when_writable(void **state)
{
    S.busy_every = 3;
    assert_int_equal(run(), BO_OTAC_OK);
    assert_memory_equal(S.img, payload, 4992);
    assert_false(S.straddled);
}

/* bleota's server acknowledges a window at its first write; with a stack that is full now and
 * then, the acknowledgement can arrive before the client handed over the whole window: it is
 * kept for the window's end, never lost (no wait for a second one). */
static void otac_early_acknowledgement_before_the_window_end_is_kept(void **state)
{
    S.early_ack = true;
    S.window = 1024;
    S.busy_every = 2;
    assert_int_equal(run(), BO_OTAC_OK);
    assert_memory_equal(S.img, payload, 4992);
    assert_false(S.straddled);
}

static void otac_link_loss_is_an_error_except_after_reset(void **state)
{
    bo_otac_start(&C, now);
    bo_otac_on_link_lost(&C);
    assert_int_equal(bo_otac_result(&C), BO_OTAC_ERR_LINK);
    setup_client(4992, 247, false);
    C.state = 15; /* S_RESET: the device reboots before its Write Response */
    bo_otac_on_link_lost(&C);
    assert_int_equal(bo_otac_result(&C), BO_OTAC_OK);
}

static void otac_missing_ota_service_is_not_found(void **state)
{
    S.f.db.count = 3; /* only the DIS remains */
    assert_int_equal(run(), BO_OTAC_ERR_NOT_FOUND);
}

static void otac_info_reads_the_firmware_revision(void **state)
{
    bo_otac_cfg_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.mode = BO_OTAC_MODE_INFO;
    cfg.send = cli_send;
    assert_int_equal(bo_otac_init(&C, &cfg), BO_OK);
    assert_int_equal(run(), BO_OTAC_OK);
    assert_string_equal(C.fw_rev, "1.0.0.0");
    S.f.db.count = 0;
    assert_int_equal(bo_otac_init(&C, &cfg), BO_OK);
    bo_att_server_connected(&S.f.srv);
    assert_int_equal(run(), BO_OTAC_ERR_NOT_FOUND);
}

static void otac_unexpected_response_is_a_protocol_error(void **state)
{
    uint8_t stray[3] = {BO_ATT_OP_READ_RSP, 1, 2};
    bo_otac_start(&C, now);
    bo_otac_on_pdu(&C, stray, 3, now);
    assert_int_equal(bo_otac_result(&C), BO_OTAC_ERR_PROTOCOL);
}

static void otac_crc16_is_ccitt_false(void **state)
{
    assert_int_equal(bo_otac_crc16((const uint8_t *)"123456789", 9), 0x29B1);
    assert_int_equal(bo_otac_crc16(NULL, 0), 0xFFFF);
}

#define T(f) cmocka_unit_test_setup(f, setup)
int main(void)
{
    const struct CMUnitTest tests[] = {
        T(otac_update_sends_the_image_in_windows_never_straddling_one),
        T(otac_update_request_carries_the_header_fields),
        T(otac_short_request_when_the_feature_lacks_the_extension),
        T(otac_mtu_23_sends_20_byte_chunks),
        T(otac_odd_window_and_mtu_never_straddle),
        T(otac_resume_opts_in_and_continues_from_the_start_index),
        T(otac_resume_not_offered_sends_everything_and_says_so),
        T(otac_refused_opt_in_falls_back_to_a_full_transfer),
        T(otac_rejected_request_ends_with_its_result_code),
        T(otac_refused_start_ends_with_start_error),
        T(otac_invalid_image_is_reported_and_no_reset_sent),
        T(otac_data_error_notification_ends_the_transfer),
        T(otac_silent_device_times_out),
        T(otac_large_window_on_a_slow_link_waits_for_its_acknowledgement),
        T(otac_window_acknowledgement_later_than_the_slow_link_allows_times_out),
        T(otac_busy_transport_resumes_when_writable),
        T(otac_early_acknowledgement_before_the_window_end_is_kept),
        T(otac_link_loss_is_an_error_except_after_reset),
        T(otac_missing_ota_service_is_not_found),
        T(otac_info_reads_the_firmware_revision),
        T(otac_unexpected_response_is_a_protocol_error),
        T(otac_crc16_is_ccitt_false),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
