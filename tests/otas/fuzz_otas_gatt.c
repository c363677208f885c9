/* Fuzz target: random sequences of GATT events (connect, security, CCCD, Control Point, OTA
 * Data, reads, time passing, application answers, idle work) into the whole ota + otas + dfu
 * stack with the real bootloader policy, on the posix port's NOR model (strict NOR rules, power
 * cuts clean and torn, unreadable bytes), with reboots through the bootloader.
 *
 * Besides raw events the input can send a genuine update: the Update Request of a signed v2
 * image (plain, or AES-CBC encrypted as Microchip's OTA files are, or an encrypted delta patch
 * from the factory v1 to v2, docs/delta.md) and its bytes from where the server said to start,
 * so whole transfers, patch rebuilds (and their refusal once v1 no longer runs), resume checkpoints (BO_OTAS_CHECKPOINT), resumes
 * after a disconnect or a reboot (bo_dfu_resume_continue), the header check in the background
 * (bo_ota_idle) and Complete's verdict are all reached; a damaged copy of the image reaches the
 * refusals. Must never crash, break a NOR rule, or emit a malformed notification; and
 *  - a Complete verdict of success means slot 1 authenticates from flash as the bootloader
 *    reads it (bo_boot_authenticate), with the version the verdict named;
 *  - after a reboot through the bootloader, RUN only for an image that authenticates. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/crypto.h"
#include "bleota/endian.h"
#include "bleota/ota.h"
#include "bleota/posix/nor.h"
#include "delta_enc.h"
#include "fuzz_input.h"
#include "timg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A small BZ2-like map: 1 KiB pages, 24 KiB slots, 20 KiB downloads, 4 resume pages. */
#define BASE 0x01000000u
#define PAGE 1024u
#define SLOT 0x6000u
#define DL 0x5000u
#define FW_LEN (9u * 1024u - 512u) /* two resume checkpoints */
#define V1 0x01000000u
#define V2 0x02000000u

static bo_nor_t nor;
static bo_layout_t lay;
static bo_ota_t ota;
static bo_sys_t sys;
static bo_keys_t keys;
static bo_boot_cfg_t boot;
static uint8_t mode;
static uint32_t current;  /* the running version (from the last boot) */
static int resets;        /* sys->reset calls */
static uint32_t start_idx; /* where the last accepted Update Request said to start */
static uint32_t gofs;      /* the genuine client's position */
static int genuine_enc;    /* the genuine request in progress: 0 plain, 1 encrypted, -1 none */
static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t iv[16] = {0};

/* the genuine images: factory v1 (slot 0), v2 as sent (plain, encrypted), and damaged */
static tkey_t tkey;
static uint8_t v1[BO_MD_SIZE + 2048u], v2[BO_MD_SIZE + FW_LEN + 16u], v2enc[sizeof v2];
static uint8_t v2bad[sizeof v2];
static uint8_t *vpatch; /* the encrypted delta patch v1 -> v2 */
static uint32_t v1_len, v2_len, v2enc_len, vpatch_len;

static void make_images(void)
{
    static int done;
    if (done++) {
        return;
    }
    tkey_gen(&tkey, 1);
    v1_len = (uint32_t)timg_build3(v1, sizeof v1, &tkey, V1, 2048u, 11u, BO_AUTH_ECDSA,
                                   BO_AUTH_ECDSA, 0);
    v2_len = (uint32_t)timg_build3(v2, sizeof v2, &tkey, V2, FW_LEN, 12u, BO_AUTH_ECDSA,
                                   BO_AUTH_SHA256, BO_MD_FLAG_TRIAL);
    memcpy(v2enc, v2, v2_len); /* + one block of PKCS#7 padding, then CBC */
    memset(v2enc + v2_len, 16, 16);
    v2enc_len = v2_len + 16u;
    bo_aes_cbc_t aes;
    if (bo_aes_cbc_init(&aes, key, iv, 0) != BO_OK ||
        bo_aes_cbc_update(&aes, v2enc, v2enc, v2enc_len) != BO_OK) {
        abort();
    }
    bo_aes_cbc_free(&aes);
    memcpy(v2bad, v2, v2_len);
    v2bad[0x30] ^= 0x01u; /* inside the signed header: refused by the header check */
    v2bad[v2_len - 1u] ^= 0x80u; /* and the firmware */
    /* the delta patch, encrypted with its PKCS#7 padding as `bleota image delta` writes it */
    bo_delta_hdr_t h = {.target_rev = V2};
    uint8_t *patch = NULL;
    size_t plen = 0;
    char err[128];
    bo_delta_image_id(v1, v1_len - BO_MD_SIZE, h.base_id);
    if (bo_delta_make(v1, v1_len, v2, v2_len, &h, &patch, &plen, NULL, err, sizeof err) != 0) {
        abort();
    }
    vpatch_len = (uint32_t)(plen / 16u + 1u) * 16u;
    vpatch = malloc(vpatch_len);
    if (vpatch == NULL || bo_aes_cbc_init(&aes, key, iv, 0) != BO_OK) {
        abort();
    }
    memcpy(vpatch, patch, plen);
    memset(vpatch + plen, (int)(vpatch_len - plen), vpatch_len - plen);
    if (bo_aes_cbc_update(&aes, vpatch, vpatch, vpatch_len) != BO_OK) {
        abort();
    }
    bo_aes_cbc_free(&aes);
    free(patch);
}

/* ---- flash faults are lifted while the harness checks what flash holds ------------------ */
typedef struct {
    uint64_t cut_at;
    bool powered;
    uint32_t lo, hi;
} faults_t;

static faults_t lift(void)
{
    faults_t f = {nor.cut_at, nor.powered, nor.bad_lo, nor.bad_hi};
    nor.cut_at = 0;
    nor.powered = true;
    nor.bad_lo = nor.bad_hi = 0;
    return f;
}

static void restore(faults_t f)
{
    nor.cut_at = f.cut_at;
    nor.powered = f.powered;
    nor.bad_lo = f.lo;
    nor.bad_hi = f.hi;
}

/* BO_FUZZ_TRACE=1 in the environment prints notifications and events (for writing seeds). */
static int trace = -1;

static void tr(const char *what, uint16_t conn, const uint8_t *d, size_t len, int v)
{
    if (trace < 0) {
        trace = getenv("BO_FUZZ_TRACE") != NULL;
    }
    if (trace) {
        fprintf(stderr, "%s conn %u (%d):", what, conn, v);
        for (size_t i = 0; i < len && i < 16u; i++) {
            fprintf(stderr, " %02x", d[i]);
        }
        fputc('\n', stderr);
    }
}

/* ---- the device's callbacks --------------------------------------------------------------- */
static int notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *d, size_t len)
{
    tr(attr == BO_OTAS_ATTR_CTRL ? "notify ctrl" : "notify data", conn, d, len, (int)gofs);
    /* Control Point: 01 op result [+10]; Data: one result byte. */
    if (attr == BO_OTAS_ATTR_CTRL) {
        FZ_CHECK((len == 3u || len == 13u) && d[0] == 0x01u && d[2] <= 0x05u,
                 "Control Point notification");
        if (len == 13u && d[1] == BO_OTAS_OP_UPDATE_REQ && d[2] == BO_OTAS_RES_SUCCESS) {
            start_idx = bo_get_le32(d + 5);
            gofs = start_idx;
        }
    } else {
        FZ_CHECK(attr == BO_OTAS_ATTR_DATA && len == 1u && d[0] <= 0x05u, "Data notification");
    }
    return 0;
}

static int on_event(void *ctx, const bo_ota_evt_t *evt)
{
    tr("event", evt->conn, NULL, 0, (int)evt->type * 1000 + evt->status);
    if (evt->type == BO_OTA_EVT_UPDATE_REQUEST) {
        if (evt->req->size == v2_len || evt->req->size == v2enc_len ||
            evt->req->size == vpatch_len) {
            return 0; /* the genuine update: accepted */
        }
        return (int)(evt->req->size / 16u % 3u) - 1; /* -1 reject, 0 accept, 1 defer */
    }
    if (evt->type == BO_OTA_EVT_COMPLETE && evt->status == BO_OK) {
        faults_t f = lift();
        bo_boot_image_t info;
        int rc = bo_boot_authenticate(&boot, 1, &info);
        FZ_CHECK(rc == BO_OK && info.version == evt->version,
                 "validated, but slot 1 authenticates as %d (version %08X, verdict %08X)", rc,
                 info.version, evt->version);
        restore(f);
    }
    return 0;
}

static void sys_reset(void *ctx)
{
    resets++;
}

static void ota_up(void)
{
    sys = (bo_sys_t){.reset = sys_reset};
    keys = (bo_keys_t){.aes_key = (mode & 2u) ? NULL : key, .aes_iv = iv};
    boot = (bo_boot_cfg_t){.flash = &nor.flash, .layout = lay, .pubkey = tkey.pub};
    bo_ota_cfg_t cfg = {.flash = &nor.flash,
                        .layout = lay,
                        .keys = &keys,
                        .sys = &sys,
                        .authenticate = bo_boot_authenticate,
                        .auth_cfg = &boot,
                        .notify = notify,
                        .on_event = on_event,
                        .current_version = current,
                        .timeout_ms = 1000,
                        .window = (mode & 4u) ? 0u : (uint16_t)(16u * (1u + (mode >> 3))),
                        .resume = (mode & 1u) != 0u,
                        .idle_erase = true};
    FZ_CHECK(bo_ota_init(&ota, &cfg) == BO_OK, "init");
    genuine_enc = -1;
}

/* Power back on, through the bootloader (it installs a validated slot 1) when asked. */
static void reboot(bool through_boot, bool confirm)
{
    FZ_CHECK(bo_nor_reboot(&nor) == BO_OK, "reboot");
    nor.bad_lo = nor.bad_hi = 0;
    if (through_boot) {
        bo_boot_result_t res;
        int rc = bo_boot_run(&boot, &res);
        FZ_CHECK(rc == BO_OK, "boot %d", rc);
        if (res.action == BO_BOOT_RUN) {
            bo_boot_image_t info;
            FZ_CHECK(bo_boot_authenticate(&boot, 0, &info) == BO_OK &&
                         memcmp(info.id, res.image.id, sizeof info.id) == 0,
                     "RUN for an image that does not authenticate");
            current = res.image.version;
            if (res.trial && confirm) { /* the application's self-test passed */
                (void)bo_boot_confirm(&boot);
            }
        }
    }
    ota_up();
}

static void setup(uint8_t m)
{
    static bool opened;
    make_images();
    if (!opened) {
        FZ_CHECK(bo_nor_open(&nor, NULL, BASE, 2u * SLOT, PAGE, 16u) == BO_OK, "nor");
        opened = true;
    }
    FZ_CHECK(bo_nor_wipe(&nor) == BO_OK, "wipe");
    memcpy(nor.mem, v1, v1_len); /* the factory image, as programmed at the factory */
    lay = (bo_layout_t){BASE, BASE + SLOT, SLOT, DL, BASE + SLOT + DL, 4};
    mode = m;
    current = V1;
    resets = 0;
    start_idx = gofs = 0;
    ota_up();
}

/* ---- the client --------------------------------------------------------------------------- */
static void control_point(bo_otas_t *o, uint16_t conn, fz_in_t *c, uint8_t kind)
{
    uint8_t buf[24];
    size_t len;
    switch (kind % 4u) {
    case 0: /* a plausible Update Request */
        buf[0] = BO_OTAS_OP_UPDATE_REQ;
        bo_put_le32(&buf[1], 16u * fz_u8(c) * ((kind & 0x10u) ? 17u : 1u));
        bo_put_le32(&buf[5], 0x9B000000u);
        bo_put_le32(&buf[9], V1 + fz_u8(c) - 8u);
        buf[13] = fz_u8(c) & 1u;
        bo_put_le16(&buf[14], fz_u8(c));
        buf[16] = fz_u8(c) & 3u;
        bo_put_le16(&buf[17], 0);
        len = (fz_u8(c) & 1u) ? 19u : 14u;
        break;
    case 1: /* a defined or extension opcode without parameters */
        buf[0] = (uint8_t[]){0x03, 0x04, 0x05, 0x20}[fz_u8(c) & 3u];
        buf[1] = fz_u8(c) & 1u ? 0x01 : fz_u8(c);
        len = buf[0] == 0x03 ? 2u : 1u;
        if (buf[0] == 0x20 && (kind & 0x10u)) { /* opt-in with flags */
            buf[1] = fz_u8(c) & 3u;
            len = 2u;
        }
        break;
    default: /* raw bytes */
        len = fz_u8(c) % sizeof(buf);
        for (size_t i = 0; i < len; i++) {
            buf[i] = fz_u8(c);
        }
        break;
    }
    (void)bo_otas_write(o, conn, BO_OTAS_ATTR_CTRL, (kind & 8u) != 0u, buf, len);
}

/* The genuine Update Request (19 bytes: opted-in clients resume with it). */
/* kind: 0 plain image, 1 encrypted image, 2 encrypted delta patch */
static void genuine_request(bo_otas_t *o, uint16_t conn, int kind)
{
    bool enc = kind != 0;
    uint8_t b[19] = {BO_OTAS_OP_UPDATE_REQ};
    bo_put_le32(&b[1], kind == 2 ? vpatch_len : enc ? v2enc_len : v2_len);
    bo_put_le32(&b[5], 0x9B000000u);
    bo_put_le32(&b[9], V2);
    b[13] = enc ? 1u : 0u;
    bo_put_le16(&b[14], 0x1234u);
    b[16] = 0x01u;
    bo_put_le16(&b[17], 0xBEEFu);
    genuine_enc = kind;
    (void)bo_otas_write(o, conn, BO_OTAS_ATTR_CTRL, false, b, sizeof b);
}

/* The next bytes of the genuine image from the client's position. */
static void genuine_data(bo_otas_t *o, uint16_t conn, uint8_t op, fz_in_t *c)
{
    const uint8_t *img = genuine_enc == 2   ? vpatch
                         : genuine_enc == 1 ? v2enc
                         : (op & 0x20u)     ? v2bad
                                            : v2;
    uint32_t len = genuine_enc == 2 ? vpatch_len : genuine_enc == 1 ? v2enc_len : v2_len;
    uint32_t n = 16u * (1u + fz_u8(c) % 16u);
    n += (op & 0x10u) ? fz_u8(c) % 16u : 0u; /* one read per statement: C leaves the order open */
    if (genuine_enc < 0 || gofs >= len) {
        return;
    }
    n = n < len - gofs ? n : len - gofs;
    uint32_t before = o->received;
    (void)bo_otas_write(o, conn, BO_OTAS_ATTR_DATA, false, img + gofs, n);
    if (o->received == before + n) {
        gofs += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t c = {data, size};
    setup(fz_u8(&c));
    uint32_t now = 0;
    uint8_t out[32];
    size_t len;
    while (c.n > 0u) {
        bo_otas_t *o = bo_ota_otas(&ota);
        uint8_t op = fz_u8(&c);
        uint16_t conn = (uint16_t)(op >> 6);
        switch (op & 0x0Fu) { /* bits 4-5: flags, 6-7: connection */
        case 0:
            (void)bo_otas_connected(o, conn);
            break;
        case 1:
            bo_otas_disconnected(o, conn);
            break;
        case 2:
            bo_otas_link_encrypted(o, conn, (fz_u8(&c) & 7u) != 0u);
            break;
        case 3: {
            uint8_t v[2];
            v[0] = fz_u8(&c) & 3u;
            v[1] = fz_u8(&c) & 1u;
            bo_otas_attr_t a = (op & 0x20u) ? BO_OTAS_ATTR_DATA_CCCD : BO_OTAS_ATTR_CTRL_CCCD;
            (void)bo_otas_write(o, conn, a, (op & 0x10u) != 0u, v, (op & 8u) ? 1u : 2u);
            break;
        }
        case 4:
            control_point(o, conn, &c, fz_u8(&c));
            break;
        case 5: { /* OTA Data: the next bytes of the input, up to 300 */
            size_t got, n = (size_t)fz_u8(&c) + (size_t)(op & 0x20u ? 44u : 0u);
            const uint8_t *p = fz_bytes(&c, n, &got);
            (void)bo_otas_write(o, conn, BO_OTAS_ATTR_DATA, (op & 0x10u) != 0u, p, got);
            break;
        }
        case 6: {
            bo_otas_attr_t a = (bo_otas_attr_t)(fz_u8(&c) % 7u);
            (void)bo_otas_read(o, conn, a, out, fz_u8(&c) % sizeof(out), &len);
            break;
        }
        case 7:
            now += 40u * fz_u8(&c); /* fall through: time passes, then work */
        /* fallthrough */
        case 8:
            bo_ota_process(&ota, now);
            break;
        case 9:
            (void)bo_ota_update_response(&ota, (fz_u8(&c) & 1u) != 0u, current);
            break;
        case 10:
            if ((fz_u8(&c) & 7u) == 0u) {
                bo_ota_stop(&ota);
            }
            break;
        case 11:
            genuine_request(o, conn, (op & 0x30u) == 0x30u ? 2 : (op & 0x10u) ? 1 : 0);
            break;
        case 12:
            genuine_data(o, conn, op, &c);
            break;
        case 13: /* flash faults: a power cut (clean / torn) or unreadable bytes */
            if (op & 0x10u) {
                uint32_t at = BASE + SLOT + fz_u16(&c) % SLOT;
                nor.bad_lo = at;
                nor.bad_hi = at + 1u + fz_u8(&c);
            } else {
                uint32_t n = 1u + fz_u8(&c) % 64u;
                bo_nor_cut_before(&nor, n, (op & 0x20u) ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN,
                                  fz_u8(&c));
            }
            break;
        case 14:
            reboot((op & 0x10u) != 0u || resets > 0, (op & 0x20u) == 0u);
            resets = 0;
            break;
        default: { /* idle work: the header check, the clean-up of slot 1 */
            uint32_t n = 1u + fz_u8(&c) % 8u;
            for (uint32_t i = 0; i < n && bo_ota_idle(&ota, now) == 1; i++) {
            }
            break;
        }
        }
        FZ_CHECK(nor.violations == 0u, "NOR rule broken");
    }
    bo_ota_process(&ota, now + 100000u);
    FZ_CHECK(bo_otas_state(bo_ota_otas(&ota)) <= BO_OTAS_COMPLETE, "state");
    return 0;
}
