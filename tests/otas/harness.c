/* Test harness for otas and ota (see harness.h). */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/endian.h"

static void touch(h_flash_t *f, uint32_t addr, uint32_t len)
{
    if (f->hi == 0u || addr < f->lo) {
        f->lo = addr;
    }
    if (addr + len > f->hi) {
        f->hi = addr + len;
    }
}

static int f_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    h_flash_t *f = ctx;
    if (addr < f->flash.base || len > f->flash.size || addr - f->flash.base > f->flash.size - len) {
        return BO_ERR_RANGE;
    }
    memcpy(buf, &f->mem[addr - f->flash.base], len);
    return BO_OK;
}

static int f_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    h_flash_t *f = ctx;
    if (addr < f->flash.base || len > f->flash.size || addr - f->flash.base > f->flash.size - len) {
        return BO_ERR_RANGE;
    }
    if (addr % f->flash.prog_unit != 0u || len % f->flash.prog_unit != 0u) {
        f->violations++;
        return BO_ERR_ALIGN;
    }
    if (f->fail_prog) {
        return BO_ERR_IO;
    }
    uint8_t *m = &f->mem[addr - f->flash.base];
    for (uint32_t i = 0; i < len; i++) {
        if (m[i] != 0xFFu) { /* each unit programmed once per erase */
            f->violations++;
            return BO_ERR_STATE;
        }
    }
    memcpy(m, buf, len);
    f->progs++;
    touch(f, addr, len);
    return BO_OK;
}

static int f_erase(void *ctx, uint32_t addr)
{
    h_flash_t *f = ctx;
    if (addr < f->flash.base || addr - f->flash.base >= f->flash.size ||
        (addr - f->flash.base) % f->flash.page_size != 0u) {
        f->violations++;
        return BO_ERR_ALIGN;
    }
    if (f->fail_erase) {
        return BO_ERR_IO;
    }
    memset(&f->mem[addr - f->flash.base], 0xFF, f->flash.page_size);
    f->erases++;
    touch(f, addr, f->flash.page_size);
    return BO_OK;
}

void h_flash_open(h_flash_t *f)
{
    memset(f, 0, sizeof(*f));
    f->mem = malloc(BO_BZ2_FLASH_SIZE);
    assert_non_null(f->mem);
    memset(f->mem, 0xFF, BO_BZ2_FLASH_SIZE);
    f->flash.ctx = f;
    f->flash.base = BO_BZ2_FLASH_BASE;
    f->flash.size = BO_BZ2_FLASH_SIZE;
    f->flash.page_size = BO_BZ2_PAGE_SIZE;
    f->flash.prog_unit = BO_BZ2_PROG_UNIT;
    f->flash.read = f_read;
    f->flash.prog = f_prog;
    f->flash.erase = f_erase;
}

void h_flash_close(h_flash_t *f)
{
    assert_int_equal(f->violations, 0);
    /* only slot 1 and the resume pages above it are ever written: slot 0 (v1) keeps running */
    assert_true(f->hi == 0u || f->lo >= BO_BZ2_SLOT1);
    assert_true(f->hi <= BO_BZ2_SLOT1 + BO_BZ2_SLOT_SIZE);
    free(f->mem);
    f->mem = NULL;
}

int h_notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data, size_t len)
{
    h_rec_t *r = ctx;
    assert_true(len <= sizeof(r->n[0].data));
    assert_true(attr == BO_OTAS_ATTR_CTRL || attr == BO_OTAS_ATTR_DATA);
    if (r->busy > 0u) {
        r->busy--;
        return BO_ERR_BUSY;
    }
    if (r->count >= H_NOTIF_MAX) { /* keep the newest: old ones were checked already */
        memmove(&r->n[0], &r->n[H_NOTIF_MAX / 2], sizeof(r->n[0]) * (H_NOTIF_MAX / 2));
        r->count -= H_NOTIF_MAX / 2;
        r->seen = r->seen > H_NOTIF_MAX / 2 ? r->seen - H_NOTIF_MAX / 2 : 0;
    }
    h_notif_t *n = &r->n[r->count++];
    n->conn = conn;
    n->attr = attr;
    n->len = (uint8_t)len;
    memcpy(n->data, data, len);
    return 0;
}

void h_rec_clear(h_rec_t *r)
{
    r->count = 0;
    r->seen = 0;
}

const h_notif_t *h_next(h_rec_t *r)
{
    return r->seen < r->count ? &r->n[r->seen++] : NULL;
}

void h_client_connect(h_client_t *c)
{
    static const uint8_t on[2] = {1, 0};
    assert_int_equal(bo_otas_connected(c->otas, c->conn), BO_OK);
    bo_otas_link_encrypted(c->otas, c->conn, true);
    assert_int_equal(bo_otas_write(c->otas, c->conn, BO_OTAS_ATTR_CTRL_CCCD, false, on, 2), 0);
    assert_int_equal(bo_otas_write(c->otas, c->conn, BO_OTAS_ATTR_DATA_CCCD, false, on, 2), 0);
}

uint8_t h_cp(h_client_t *c, const uint8_t *data, size_t len)
{
    uint8_t att = bo_otas_write(c->otas, c->conn, BO_OTAS_ATTR_CTRL, false, data, len);
    c->process(c->process_ctx);
    return att;
}

size_t h_req(uint8_t out[19], uint32_t size, uint32_t id, uint32_t version, uint8_t enc,
             uint16_t checksum, bool extended)
{
    out[0] = BO_OTAS_OP_UPDATE_REQ;
    bo_put_le32(&out[1], size);
    bo_put_le32(&out[5], id);
    bo_put_le32(&out[9], version);
    out[13] = enc;
    if (!extended) {
        return 14;
    }
    bo_put_le16(&out[14], checksum);
    out[16] = 0x01; /* internal flash */
    bo_put_le16(&out[17], 0);
    return 19;
}

/* The next Control Point notification for this client, skipping nothing. */
static const h_notif_t *next_ctrl(h_client_t *c)
{
    const h_notif_t *n = h_next(c->rec);
    if (n == NULL) {
        return NULL;
    }
    assert_int_equal(n->attr, BO_OTAS_ATTR_CTRL);
    assert_int_equal(n->conn, c->conn);
    return n;
}

uint8_t h_request(h_client_t *c, const uint8_t *req, size_t len, uint16_t *window, uint32_t *start)
{
    assert_int_equal(h_cp(c, req, len), 0);
    const h_notif_t *n = next_ctrl(c);
    assert_non_null(n);
    assert_int_equal(n->len, BO_OTAS_UPDATE_RSP_LEN);
    assert_int_equal(n->data[0], 0x01);
    assert_int_equal(n->data[1], 0x02);
    if (window != NULL) {
        *window = bo_get_le16(&n->data[3]);
    }
    if (start != NULL) {
        *start = bo_get_le32(&n->data[5]);
    }
    return n->data[2];
}

static uint8_t simple_op(h_client_t *c, const uint8_t *op, size_t len)
{
    assert_int_equal(h_cp(c, op, len), 0);
    const h_notif_t *n = next_ctrl(c);
    if (n == NULL) {
        return 0xFF;
    }
    assert_int_equal(n->len, 3);
    assert_int_equal(n->data[0], 0x01);
    assert_int_equal(n->data[1], op[0]);
    return n->data[2];
}

uint8_t h_start(h_client_t *c)
{
    static const uint8_t op[2] = {BO_OTAS_OP_UPDATE_START, 0x01};
    return simple_op(c, op, sizeof(op));
}

uint8_t h_complete(h_client_t *c)
{
    static const uint8_t op[1] = {BO_OTAS_OP_UPDATE_COMPLETE};
    return simple_op(c, op, sizeof(op));
}

size_t h_send(h_client_t *c, const uint8_t *payload, size_t from, size_t len, uint16_t window,
              size_t stop_after)
{
    size_t off = from;
    size_t end = stop_after != 0u && from + stop_after < len ? from + stop_after : len;
    size_t acked = from;
    while (off < end) {
        size_t win_end = off + window < len ? off + window : len;
        /* chunks never straddle the window */
        while (off < win_end && off < end) {
            size_t n = win_end - off < c->chunk ? win_end - off : c->chunk;
            bo_otas_write(c->otas, c->conn, BO_OTAS_ATTR_DATA, true, &payload[off], n);
            off += n;
        }
        c->process(c->process_ctx);
        if (off < win_end) {
            break; /* stopped mid-window: no acknowledgement expected */
        }
        const h_notif_t *n = h_next(c->rec);
        if (n == NULL || n->attr != BO_OTAS_ATTR_DATA || n->len != 1 || n->data[0] != 0) {
            break;
        }
        acked = off;
    }
    return acked;
}

uint8_t *h_load(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    fseek(fp, 0, SEEK_END);
    long sz = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)sz);
    if (buf != NULL && fread(buf, 1, (size_t)sz, fp) != (size_t)sz) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    *len = (size_t)sz;
    return buf;
}
