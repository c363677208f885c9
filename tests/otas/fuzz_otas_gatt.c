/* Fuzz target: random sequences of GATT events (connect, security, CCCD, Control Point, OTA
 * Data, reads, time passing, application answers) into the whole ota + otas + dfu stack on a
 * strict RAM NOR flash. Must never crash, break a NOR rule, or emit a malformed notification. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/endian.h"
#include "bleota/layout_bz2.h"
#include "bleota/ota.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t mem[BO_BZ2_FLASH_SIZE];
static bo_flash_t flash;
static bo_ota_t ota;
static bo_sys_t sys;
static bo_keys_t keys;
static bo_boot_cfg_t boot;
static int auth_result;
static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t iv[16] = {0};

static int f_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    if (addr < BO_BZ2_FLASH_BASE || len > BO_BZ2_FLASH_SIZE ||
        addr - BO_BZ2_FLASH_BASE > BO_BZ2_FLASH_SIZE - len) {
        return BO_ERR_RANGE;
    }
    memcpy(buf, &mem[addr - BO_BZ2_FLASH_BASE], len);
    return BO_OK;
}

static int f_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    if (addr < BO_BZ2_FLASH_BASE || len > BO_BZ2_FLASH_SIZE ||
        addr - BO_BZ2_FLASH_BASE > BO_BZ2_FLASH_SIZE - len || addr % 16u != 0u || len % 16u != 0u) {
        abort(); /* the core broke the port contract */
    }
    uint8_t *m = &mem[addr - BO_BZ2_FLASH_BASE];
    for (uint32_t i = 0; i < len; i++) {
        if (m[i] != 0xFFu) {
            abort(); /* programmed twice without erase */
        }
    }
    memcpy(m, buf, len);
    return BO_OK;
}

static int f_erase(void *ctx, uint32_t addr)
{
    if (addr < BO_BZ2_FLASH_BASE || addr - BO_BZ2_FLASH_BASE >= BO_BZ2_FLASH_SIZE ||
        (addr - BO_BZ2_FLASH_BASE) % BO_BZ2_PAGE_SIZE != 0u) {
        abort();
    }
    memset(&mem[addr - BO_BZ2_FLASH_BASE], 0xFF, BO_BZ2_PAGE_SIZE);
    return BO_OK;
}

static int notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *d, size_t len)
{
    /* Control Point: 01 op result [+10]; Data: one result byte. */
    if (attr == BO_OTAS_ATTR_CTRL) {
        if ((len != 3u && len != 13u) || d[0] != 0x01u || d[2] > 0x05u) {
            abort();
        }
    } else if (attr != BO_OTAS_ATTR_DATA || len != 1u || d[0] > 0x05u) {
        abort();
    }
    return 0;
}

static int authenticate(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    info->version = 0x01000000u;
    return auth_result;
}

static int on_event(void *ctx, const bo_ota_evt_t *evt)
{
    if (evt->type == BO_OTA_EVT_UPDATE_REQUEST) {
        return (int)(evt->req->size % 3u) - 1; /* -1 reject, 0 accept, 1 defer */
    }
    return 0;
}

static void sys_reset(void *ctx) {}

typedef struct cursor {
    const uint8_t *p;
    size_t n;
} cursor_t;

static uint8_t next(cursor_t *c)
{
    if (c->n == 0u) {
        return 0;
    }
    c->n--;
    return *c->p++;
}

static void setup(uint8_t mode)
{
    memset(mem, 0xFF, sizeof(mem));
    flash = (bo_flash_t){.base = BO_BZ2_FLASH_BASE,
                         .size = BO_BZ2_FLASH_SIZE,
                         .page_size = BO_BZ2_PAGE_SIZE,
                         .prog_unit = 16,
                         .read = f_read,
                         .prog = f_prog,
                         .erase = f_erase};
    sys = (bo_sys_t){.reset = sys_reset};
    keys = (bo_keys_t){.aes_key = (mode & 2u) ? NULL : key, .aes_iv = iv};
    bo_ota_cfg_t cfg = {.flash = &flash,
                        .layout = bo_layout_bz2(),
                        .keys = &keys,
                        .sys = &sys,
                        .authenticate = authenticate,
                        .auth_cfg = &boot,
                        .notify = notify,
                        .on_event = on_event,
                        .current_version = 0x01000000u,
                        .timeout_ms = 1000,
                        .window = (uint16_t)(16u * (1u + (mode >> 3))),
                        .resume = (mode & 1u) != 0u};
    if (bo_ota_init(&ota, &cfg) != BO_OK) {
        abort();
    }
}

static void control_point(bo_otas_t *o, uint16_t conn, cursor_t *c, uint8_t kind)
{
    uint8_t buf[24];
    size_t len;
    switch (kind % 4u) {
    case 0: /* a plausible Update Request: small sizes so whole transfers happen */
        buf[0] = BO_OTAS_OP_UPDATE_REQ;
        bo_put_le32(&buf[1], 16u * next(c));
        bo_put_le32(&buf[5], 0x9B000000u);
        bo_put_le32(&buf[9], 0x01000000u + next(c) - 8u);
        buf[13] = next(c) & 1u;
        bo_put_le16(&buf[14], next(c));
        buf[16] = next(c) & 3u;
        bo_put_le16(&buf[17], 0);
        len = (next(c) & 1u) ? 19u : 14u;
        break;
    case 1: /* a defined or extension opcode without parameters */
        buf[0] = (uint8_t[]){0x03, 0x04, 0x05, 0x20}[next(c) & 3u];
        buf[1] = next(c) & 1u ? 0x01 : next(c);
        len = buf[0] == 0x03 ? 2u : 1u;
        break;
    default: /* raw bytes */
        len = next(c) % sizeof(buf);
        for (size_t i = 0; i < len; i++) {
            buf[i] = next(c);
        }
        break;
    }
    (void)bo_otas_write(o, conn, BO_OTAS_ATTR_CTRL, (kind & 8u) != 0u, buf, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cursor_t c = {data, size};
    setup(next(&c));
    bo_otas_t *o = bo_ota_otas(&ota);
    uint32_t now = 0;
    uint8_t out[32];
    size_t len;
    while (c.n > 0u) {
        uint8_t op = next(&c);
        uint16_t conn = (uint16_t)(op >> 6);
        switch (op & 0x0Fu) { /* bits 4-5: flags, 6-7: connection */
        case 0:
            (void)bo_otas_connected(o, conn);
            break;
        case 1:
            bo_otas_disconnected(o, conn);
            break;
        case 2:
            bo_otas_link_encrypted(o, conn, (next(&c) & 7u) != 0u);
            break;
        case 3: {
            uint8_t v[2] = {next(&c) & 3u, next(&c) & 1u};
            bo_otas_attr_t a = (op & 0x20u) ? BO_OTAS_ATTR_DATA_CCCD : BO_OTAS_ATTR_CTRL_CCCD;
            (void)bo_otas_write(o, conn, a, (op & 0x10u) != 0u, v, (op & 8u) ? 1u : 2u);
            break;
        }
        case 4:
            control_point(o, conn, &c, next(&c));
            break;
        case 5: { /* OTA Data: the next bytes of the input, up to 300 */
            size_t n = (size_t)next(&c) + (size_t)(op & 0x20u ? 44u : 0u);
            n = n < c.n ? n : c.n;
            (void)bo_otas_write(o, conn, BO_OTAS_ATTR_DATA, (op & 0x10u) != 0u, c.p, n);
            c.p += n;
            c.n -= n;
            break;
        }
        case 6:
            (void)bo_otas_read(o, conn, (bo_otas_attr_t)(next(&c) % 7u), out,
                               next(&c) % sizeof(out), &len);
            break;
        case 7:
            now += 40u * next(&c); /* fall through: time passes, then work */
        /* fallthrough */
        case 8:
            bo_ota_process(&ota, now);
            break;
        case 9:
            (void)bo_ota_update_response(&ota, (next(&c) & 1u) != 0u, 0x01000000u);
            break;
        case 10:
            if ((next(&c) & 7u) == 0u) {
                bo_ota_stop(&ota);
            }
            auth_result = (op & 0x10u) ? BO_ERR_AUTH : BO_OK;
            break;
        default:
            break;
        }
    }
    bo_ota_process(&ota, now + 100000u);
    if (bo_otas_state(o) > BO_OTAS_COMPLETE) {
        abort();
    }
    return 0;
}
