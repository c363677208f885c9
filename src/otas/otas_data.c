/* otas: OTA Data. Window flow control (reference §2.7) and streaming AES-128-CBC decryption
 * straight into the DFU writer: bytes are decrypted and programmed as they arrive, so no
 * window-sized buffer exists; only a partial 16-byte block is carried between writes. */
#include <string.h>

#include "bleota/endian.h"
#include "bleota/img.h"
#include "otas_priv.h"

#if (BO_OTAS_BATCH % 16u) != 0u || BO_OTAS_BATCH == 0u
#error "BO_OTAS_BATCH must be a non-zero multiple of 16"
#endif
#if (BO_OTAS_CHECKPOINT % 16u) != 0u || BO_OTAS_CHECKPOINT == 0u
#error "BO_OTAS_CHECKPOINT must be a non-zero multiple of 16"
#endif

int bo_otas_p_aes_start(bo_otas_t *otas, const uint8_t iv[BO_AES_BLOCK])
{
    int err = bo_aes_cbc_init(&otas->aes, otas->aes_key, iv, 1);
    otas->aes_on = err == BO_OK;
    return err;
}

void bo_otas_p_hash_start(bo_otas_t *otas, uint32_t start)
{
    otas->plain = start;
    otas->hashing = start == 0u; /* a resumed download lost the state: authenticate from flash */
    otas->md_hashed = otas->fw_hashed = false;
    otas->fw_len = 0;
    if (otas->hashing) {
        bo_sha256_init(&otas->sha);
    }
}

const uint8_t *bo_otas_md_digest(const bo_otas_t *otas)
{
    return otas != NULL && otas->md_hashed ? otas->md_digest : NULL;
}

/* The header part [off, off + n) of the plaintext: the signed range goes into the hash with
 * MD_SIG_SZ/MD_SIG as zeros (no 512-byte buffer), FW_IMG_LEN is picked up on the way. */
static void hash_header(bo_otas_t *otas, uint32_t off, const uint8_t *p, uint32_t n)
{
    static const uint8_t zeros[BO_MD_SIZE - BO_MD_OFF_MD_SIG_SZ] = {0};
    for (uint32_t i = 0; i < n; i++) {
        if (off + i >= BO_MD_OFF_FW_LEN && off + i < BO_MD_OFF_FW_LEN + 4u) {
            otas->fw_len_le[off + i - BO_MD_OFF_FW_LEN] = p[i];
        }
    }
    uint32_t a = off > BO_MD_SIGNED_OFF ? off : BO_MD_SIGNED_OFF;
    uint32_t b = off + n < BO_MD_OFF_MD_SIG_SZ ? off + n : BO_MD_OFF_MD_SIG_SZ;
    if (a < b) {
        bo_sha256_update(&otas->sha, p + (a - off), b - a);
    }
    a = off > BO_MD_OFF_MD_SIG_SZ ? off : BO_MD_OFF_MD_SIG_SZ;
    if (a < off + n) {
        bo_sha256_update(&otas->sha, zeros, off + n - a);
    }
    if (off + n == BO_MD_SIZE) {
        bo_sha256_final(&otas->sha, otas->md_digest);
        otas->md_hashed = true;
        otas->fw_len = bo_get_le32(otas->fw_len_le);
        otas->hashing = otas->fw_len > 0u && otas->fw_len <= BO_IMG_FW_MAX;
        bo_sha256_init(&otas->sha);
    }
}

/* Feeds plaintext that was just stored at offset otas->plain. */
static void hash(bo_otas_t *otas, const uint8_t *p, uint32_t n)
{
    uint32_t off = otas->plain;
    otas->plain += n;
    if (!otas->hashing || otas->fw_hashed) {
        return;
    }
    if (off < BO_MD_SIZE) {
        uint32_t h = BO_MD_SIZE - off < n ? BO_MD_SIZE - off : n;
        hash_header(otas, off, p, h);
        off += h, p += h, n -= h;
    }
    if (n == 0u || !otas->hashing) {
        return;
    }
    uint32_t end = BO_MD_SIZE + otas->fw_len; /* the PKCS#7 tail block is not hashed */
    uint32_t h = off < end ? (end - off < n ? end - off : n) : 0u;
    bo_sha256_update(&otas->sha, p, h);
    if (off + h == end) {
        bo_sha256_final(&otas->sha, otas->fw_digest);
        otas->fw_hashed = true;
    }
}

/* An image's plaintext: straight to dfu. */
static int image_take(bo_otas_t *otas, const uint8_t *p, size_t n)
{
    int err = bo_dfu_write(otas->cfg.dfu, p, n);
    if (err == BO_OK) {
        hash(otas, p, (uint32_t)n);
    }
    return err;
}

/* ---- delta patches (docs/delta.md) ------------------------------------------------------- */
static int port_rc(int rc)
{
    return rc == BO_OK ? BO_OK : (rc < 0 && rc >= BO_ERR_REFUSED ? rc : BO_ERR_IO);
}

static int patch_read_base(void *ctx, uint32_t off, uint8_t *buf, uint32_t len)
{
    const bo_otas_t *otas = ctx;
    const bo_flash_t *f = otas->cfg.dfu->flash;
    return port_rc(f->read(f->ctx, otas->cfg.dfu->layout.slot0 + off, buf, len));
}

/* The decoder's output: the image, as an image download would have stored it. */
static int patch_write(void *ctx, const uint8_t *data, uint32_t len)
{
    return image_take(ctx, data, len);
}

static int patch_begin(bo_otas_t *otas, uint32_t in_off, uint32_t out_off, uint32_t target_len,
                       uint32_t base_len)
{
    bo_delta_hdr_t h = {.target_len = target_len, .base_len = base_len};
    bo_delta_io_t io = {patch_read_base, patch_write, otas};
    return bo_delta_begin(&otas->delta, &h, &io, in_off, out_off);
}

/* The patch header is whole: is the running image its base, does the image fit? Nothing has
 * been written to the slot yet. BO_OK, or the refusal in *why. */
static int patch_header(bo_otas_t *otas, bo_otas_refusal_t *why)
{
    bo_delta_hdr_t h;
    bo_dfu_t *dfu = otas->cfg.dfu;
    *why = BO_OTAS_REFUSE_PATCH;
    int err = bo_delta_hdr_parse(otas->phdr, &h);
    if (err == BO_OK) {
        err = bo_dfu_set_length(dfu, h.target_len);
    }
    if (err == BO_OK) {
        err = bo_delta_base_check(dfu->flash, dfu->layout.slot0, &h);
        *why = err == BO_ERR_NOTFOUND ? BO_OTAS_REFUSE_PATCH_BASE : *why;
    }
    if (err == BO_OK) {
        err = patch_begin(otas, BO_DELTA_HDR_SIZE, 0, h.target_len, h.base_len);
    }
    return err;
}

/* Patch bytes [patch_in, patch_in + n), n not crossing a block boundary. */
static int patch_take(bo_otas_t *otas, const uint8_t *p, size_t n, bo_otas_refusal_t *why)
{
    *why = BO_OTAS_REFUSE_PATCH;
    if (otas->patch_in < BO_DELTA_HDR_SIZE) {
        size_t h = BO_DELTA_HDR_SIZE - otas->patch_in < n ? BO_DELTA_HDR_SIZE - otas->patch_in : n;
        memcpy(otas->phdr + otas->patch_in, p, h);
        otas->patch_in += (uint32_t)h;
        p += h;
        n -= h;
        if (otas->patch_in == BO_DELTA_HDR_SIZE) {
            int err = patch_header(otas, why);
            if (err != BO_OK) {
                return err;
            }
        }
    }
    if (n == 0u) {
        return BO_OK;
    }
    int err = bo_delta_feed(&otas->delta, p, n);
    otas->patch_in += (uint32_t)n;
    if (err == BO_OK && otas->cfg.resume && otas->patch_in % BO_DELTA_BLOCK == 0u &&
        bo_delta_at_boundary(&otas->delta) && otas->cfg.dfu->offset < otas->cfg.dfu->length) {
        /* a resume point: the image up to here is out, the cursor is this block's last
         * ciphertext block */
        static const uint8_t zero[BO_DFU_CURSOR_SIZE] = {0};
        otas->cfg.dfu->aux = otas->patch_in;
        err = bo_dfu_checkpoint(otas->cfg.dfu, otas->aes_on ? bo_aes_cbc_iv(&otas->aes) : zero);
    }
    return err;
}

int bo_otas_p_patch_resume(bo_otas_t *otas, uint32_t in_off, uint32_t out_off)
{
    uint8_t hdr[BO_MD_OFF_FW_LEN + 4u];
    bo_dfu_t *dfu = otas->cfg.dfu;
    const bo_flash_t *f = dfu->flash;
    /* the base is the running image (no install since the record was written: it would have
     * retired it); its length from its header */
    int err = port_rc(f->read(f->ctx, dfu->layout.slot0, hdr, sizeof hdr));
    uint32_t fw_len = bo_get_le32(hdr + BO_MD_OFF_FW_LEN);
    if (err == BO_OK && fw_len > BO_IMG_FW_MAX) {
        err = BO_ERR_FORMAT;
    }
    otas->route = BO_OTAS_ROUTE_PATCH;
    otas->patch_in = in_off;
    return err == BO_OK ? patch_begin(otas, in_off, out_off, dfu->length, BO_MD_SIZE + fw_len)
                        : err;
}

/* Decrypts (in place) and stores n bytes, n a multiple of 16: the first block decides between
 * image and patch; a patch is cut at its block boundaries (resume points). */
static int store(bo_otas_t *otas, uint8_t *buf, size_t n, bo_otas_refusal_t *why)
{
    while (n > 0u) {
        size_t k = n;
        if (otas->route == BO_OTAS_ROUTE_UNKNOWN) {
            k = BO_AES_BLOCK;
        } else if (otas->route == BO_OTAS_ROUTE_PATCH) {
            size_t to = BO_DELTA_BLOCK - otas->patch_in % BO_DELTA_BLOCK;
            k = to < n ? to : n;
        }
        if (otas->aes_on) {
            int err = bo_aes_cbc_update(&otas->aes, buf, buf, k);
            if (err != BO_OK) {
                return err;
            }
        }
        if (otas->route == BO_OTAS_ROUTE_UNKNOWN) {
            otas->route = bo_delta_is_patch(buf, k) ? BO_OTAS_ROUTE_PATCH : BO_OTAS_ROUTE_IMAGE;
        }
        int err = otas->route == BO_OTAS_ROUTE_PATCH ? patch_take(otas, buf, k, why)
                                                     : image_take(otas, buf, k);
        if (err != BO_OK) {
            return err;
        }
        buf += k;
        n -= k;
    }
    return BO_OK;
}

static int stream(bo_otas_t *otas, const uint8_t *data, size_t len, bo_otas_refusal_t *why)
{
    while (len > 0u) {
        size_t take;
        int err = BO_OK;
        if (otas->part_len > 0u || len < BO_AES_BLOCK) {
            take = BO_AES_BLOCK - otas->part_len;
            take = take < len ? take : len;
            memcpy(&otas->part[otas->part_len], data, take);
            otas->part_len = (uint8_t)(otas->part_len + take);
            if (otas->part_len == BO_AES_BLOCK) {
                otas->part_len = 0;
                err = store(otas, otas->part, BO_AES_BLOCK, why);
            }
        } else {
            take = len & ~(size_t)(BO_AES_BLOCK - 1u);
            take = take < BO_OTAS_BATCH ? take : BO_OTAS_BATCH;
            memcpy(otas->batch, data, take);
            err = store(otas, otas->batch, take, why);
        }
        if (err != BO_OK) {
            return err;
        }
        data += take;
        len -= take;
    }
    return BO_OK;
}

static void data_result(bo_otas_t *otas, uint16_t conn, uint8_t res)
{
    bo_otas_p_notify(otas, conn, BO_OTAS_ATTR_DATA, &res, 1u);
}

static void fail(bo_otas_t *otas, uint16_t conn, int err)
{
    /* Flash or crypto failed: the reference state UPDATE_ERROR, only Complete gets out. */
    bo_otas_p_end_transfer(otas);
    otas->state = BO_OTAS_UPDATE_ERROR;
    data_result(otas, conn, BO_OTAS_RES_FAILED);
    bo_otas_evt_t evt = {.type = BO_OTAS_EVT_ERROR, .conn = conn, .status = err};
    bo_otas_p_emit(otas, &evt);
}

/* A patch that cannot rebuild an image here: 03 on OTA Data, the refusal with its reason, and
 * (a header refusal: nothing was written) no resume record left behind. */
static void refuse_patch(bo_otas_t *otas, uint16_t conn, bo_otas_refusal_t why, int err,
                         uint32_t patch_before)
{
    bo_otas_p_end_transfer(otas);
    otas->state = BO_OTAS_UPDATE_ERROR;
    data_result(otas, conn, BO_OTAS_RES_FAILED);
    if (patch_before < BO_DELTA_HDR_SIZE) {
        (void)bo_dfu_resume_clear(otas->cfg.dfu);
    }
    bo_otas_evt_t evt = {.type = BO_OTAS_EVT_REFUSED,
                         .conn = conn,
                         .refusal = why,
                         .req = &otas->req,
                         .status = err};
    bo_otas_p_emit(otas, &evt);
}

/* Resume: persist progress each time the programmed offset crosses a BO_OTAS_CHECKPOINT
 * boundary (one flash page), whatever the window, so a resume re-sends less than a page. The
 * offset excludes a partial AES block, so the cursor (last ciphertext block) matches it. */
static int checkpoint(bo_otas_t *otas)
{
    uint32_t stored = otas->received - otas->part_len;
    if (!otas->cfg.resume || otas->route == BO_OTAS_ROUTE_PATCH || stored < otas->next_ckpt ||
        otas->received >= otas->req.size) {
        return BO_OK; /* a patch checkpoints at its block boundaries (patch_take) */
    }
    otas->next_ckpt = (stored / BO_OTAS_CHECKPOINT + 1u) * BO_OTAS_CHECKPOINT;
    static const uint8_t zero[BO_DFU_CURSOR_SIZE] = {0};
    const uint8_t *cursor = otas->aes_on ? bo_aes_cbc_iv(&otas->aes) : zero;
    return bo_dfu_checkpoint(otas->cfg.dfu, cursor);
}

/* Acknowledges a window: 00 on OTA Data, and the progress event. */
static void window_done(bo_otas_t *otas, uint16_t conn)
{
    data_result(otas, conn, BO_OTAS_RES_SUCCESS);
    bo_otas_evt_t evt = {
        .type = BO_OTAS_EVT_WINDOW, .conn = conn, .done = otas->received, .total = otas->req.size};
    bo_otas_p_emit(otas, &evt);
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* Flow control after a write that started at offset `before` (otas.h, window policy): the last
 * byte is always acknowledged; otherwise a stock window at its first write (early), any other
 * window when its last byte is stored. Each acknowledgement lets the client send one more
 * window (credit). */
static void ack_if_due(bo_otas_t *otas, uint16_t conn, uint32_t before)
{
    uint32_t size = otas->req.size;
    uint32_t w = otas->window;
    if (otas->received == size) {
        window_done(otas, conn);
        return;
    }
    if (otas->early_ack) {
        if (before >= otas->next_ack && size - otas->next_ack > w) { /* not the last window */
            otas->next_ack += w;
            otas->credit = min_u32(size, otas->next_ack + w);
            window_done(otas, conn);
        }
        return;
    }
    if (otas->received >= otas->credit) {
        otas->credit = min_u32(size, otas->credit + w);
        window_done(otas, conn);
    }
}

void bo_otas_p_data(bo_otas_t *otas, uint16_t conn, const uint8_t *data, size_t len)
{
    if (otas->has_owner && conn != otas->owner) {
        return; /* reference: data from other links is dropped silently */
    }
    if (otas->state != BO_OTAS_UPDATE_START) {
        data_result(otas, conn, BO_OTAS_RES_INVALID_STATE);
        return;
    }
    otas->activity = true;
    if (len == 0u) {
        return;
    }
    /* Past the image or beyond what the client was allowed to send: refuse this write only;
     * the client can send it again split correctly (the reference wedges here, §7.2-e). */
    uint32_t before = otas->received;
    if (len > otas->req.size - before || len > otas->credit - before) {
        data_result(otas, conn, BO_OTAS_RES_FAILED);
        return;
    }
    bo_otas_refusal_t why = BO_OTAS_REFUSE_PATCH;
    uint32_t patch_before = otas->patch_in;
    int err = stream(otas, data, len, &why);
    if (err != BO_OK && otas->route == BO_OTAS_ROUTE_PATCH &&
        (why == BO_OTAS_REFUSE_PATCH_BASE || err == BO_ERR_FORMAT || err == BO_ERR_RANGE ||
         err == BO_ERR_ALIGN)) {
        refuse_patch(otas, conn, why, err, patch_before);
        return;
    }
    if (err != BO_OK) {
        fail(otas, conn, err);
        return;
    }
    otas->received += (uint32_t)len;
    err = checkpoint(otas);
    if (err != BO_OK) {
        fail(otas, conn, err);
        return;
    }
    ack_if_due(otas, conn, before);
}

void bo_otas_p_erase_ahead(bo_otas_t *otas)
{
    if (otas->state != BO_OTAS_UPDATE_START || otas->cpq_count > 0u) {
        return;
    }
    int rc = bo_dfu_erase_ahead(otas->cfg.dfu, otas->cfg.dfu->flash->page_size);
    if (rc < 0) {
        fail(otas, otas->owner, rc);
    }
}
