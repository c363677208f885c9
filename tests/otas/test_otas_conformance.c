/* Acceptance 4: every Control Point opcode in every server state (reference §2.4-§2.10 with
 * DESIGN §4's deviations), as a table. Each row is one cmocka case named after what it proves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "otas_fixture.h"

#include "conformance_rows.h"

/* Plays the client (connection a) until the server is in state st. */
static void drive(fx_t *f, st_t st, const uint8_t *img)
{
    uint8_t buf[19];
    if (st == S_CCCD_OFF) {
        assert_int_equal(bo_otas_connected(&f->otas, f->a.conn), BO_OK);
        bo_otas_link_encrypted(&f->otas, f->a.conn, true);
        return;
    }
    h_client_connect(&f->a);
    if (st == S_IDLE) {
        return;
    }
    f->req_mode = st == S_WAIT_REQ ? APP_DEFER : APP_ACCEPT;
    size_t n = opcode_write(BO_OTAS_OP_UPDATE_REQ, buf);
    if (st == S_WAIT_REQ) {
        assert_int_equal(h_cp(&f->a, buf, n), 0);
        assert_null(h_next(&f->rec));
        return;
    }
    assert_int_equal(h_request(&f->a, buf, n, NULL, NULL), 0);
    if (st == S_UPDATE_REQ) {
        return;
    }
    assert_int_equal(h_start(&f->a), 0);
    if (st == S_UPDATE_START) {
        return;
    }
    if (st == S_UPDATE_ERROR) {
        f->fl.fail_erase = f->fl.fail_prog = true;
        assert_int_equal(bo_otas_write(&f->otas, f->a.conn, BO_OTAS_ATTR_DATA, true, img, 32), 0);
        fx_process(f);
        const h_notif_t *nt = h_next(&f->rec);
        assert_non_null(nt);
        assert_int_equal(nt->attr, BO_OTAS_ATTR_DATA);
        assert_int_equal(nt->data[0], 0x03);
        f->fl.fail_erase = f->fl.fail_prog = false;
        return;
    }
    assert_int_equal(h_send(&f->a, img, 0, IMG_SIZE, 4096, 0), IMG_SIZE);
    f->comp_mode = st == S_WAIT_COMP ? APP_DEFER : APP_ACCEPT;
    if (st == S_WAIT_COMP) {
        buf[0] = BO_OTAS_OP_UPDATE_COMPLETE;
        assert_int_equal(h_cp(&f->a, buf, 1), 0);
        assert_null(h_next(&f->rec));
        return;
    }
    assert_int_equal(h_complete(&f->a), 0);
}

static void run_row(void **state)
{
    const row_t *r = *state;
    uint8_t img[IMG_SIZE];
    memset(img, 0x5A, sizeof(img));
    fx_t *f = fx_new(0, true);
    drive(f, r->st, img);
    assert_int_equal(bo_otas_state(&f->otas), st_server[r->st]);
    f->rec.seen = f->rec.count;

    uint8_t buf[19];
    size_t n = opcode_write(r->op, buf);
    assert_int_equal(h_cp(&f->a, buf, n), r->att);
    const h_notif_t *nt = h_next(&f->rec);
    if (r->notif.len == 0) {
        assert_null(nt);
    } else {
        assert_non_null(nt);
        assert_int_equal(nt->attr, BO_OTAS_ATTR_CTRL);
        assert_int_equal(nt->conn, f->a.conn);
        assert_int_equal(nt->len, r->notif.len);
        assert_memory_equal(nt->data, r->notif.b, r->notif.len);
        assert_null(h_next(&f->rec));
    }
    assert_int_equal(bo_otas_state(&f->otas), st_server[r->next]);
    if (r->op == BO_OTAS_OP_RESET && r->att == 0) {
        assert_non_null(fx_last(f, BO_OTAS_EVT_RESET));
    }
    fx_free(f);
}

int main(void)
{
    static struct CMUnitTest tests[NROWS];
    static char names[NROWS][128];
    for (size_t i = 0; i < NROWS; i++) {
        const row_t *r = &conformance_rows[i];
        snprintf(names[i], sizeof(names[i]), "%s_op%02X_%s", st_name[r->st], r->op, r->proves);
        tests[i].name = names[i];
        tests[i].test_func = run_row;
        tests[i].setup_func = NULL;
        tests[i].teardown_func = NULL;
        tests[i].initial_state = (void *)&conformance_rows[i];
    }
    return _cmocka_run_group_tests("otas_conformance", tests, NROWS, NULL, NULL);
}
