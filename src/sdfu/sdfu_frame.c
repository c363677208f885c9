/* Idle-gap framing: bytes in with a timestamp, a frame ends after gap_ms of silence or at
 * 4112 bytes, then its command runs. Cluster data is handed on byte by byte so it can be
 * programmed as it streams (no 4 KiB buffer). */
#include "bleota/endian.h"
#include "sdfu_priv.h"

int bo_sdfu_init(bo_sdfu_t *s, const bo_sdfu_cfg_t *cfg, const bo_layout_t *layout)
{
    if (s == NULL || cfg == NULL || cfg->flash == NULL || cfg->tx == NULL || layout == NULL) {
        return BO_ERR_ARG;
    }
    const bo_flash_t *f = cfg->flash;
    if (f->prog_unit == 0 || f->prog_unit > BO_SDFU_UNIT_MAX || f->page_size == 0 ||
        BO_SDFU_CLUSTER_MAX % f->prog_unit != 0) {
        return BO_ERR_ARG;
    }
    s->cfg = *cfg;
    /* No frame open. The other fields are written before they are read (a header word by its
     * 4 bytes), so no memset of the whole state. */
    s->frame_len = 0;
    s->frame_end = 0;
    s->prog_ok = false;
    if (s->cfg.win_lo == 0 && s->cfg.win_hi == 0) {
        uint32_t span = layout->dl_limit ? layout->dl_limit : layout->slot_size;
        s->cfg.win_lo = layout->slot1;
        s->cfg.win_hi = layout->slot1 + span;
    }
    if (s->cfg.gap_ms == 0) {
        s->cfg.gap_ms = BO_SDFU_GAP_MS_DEFAULT;
    }
    uint64_t end = (uint64_t)f->base + f->size;
    if (s->cfg.win_lo < f->base || s->cfg.win_hi > end || s->cfg.win_lo >= s->cfg.win_hi) {
        return BO_ERR_ARG;
    }
    return BO_OK;
}

bool bo_sdfu_in_window(const bo_sdfu_t *s, uint32_t addr, uint32_t len)
{
    return addr >= s->cfg.win_lo && addr <= s->cfg.win_hi && len <= s->cfg.win_hi - addr;
}

static int end_frame(bo_sdfu_t *s)
{
    int ran = 0;
    if (s->frame_len >= 4) {
        bo_sdfu_command(s, s->hdr[0] >> 16);
        ran = 1;
    } /* shorter than a command word: line noise, no answer */
    s->frame_len = 0;
    s->frame_end = 0;
    s->prog_ok = false;
    return ran;
}

static void feed(bo_sdfu_t *s, uint8_t b)
{
    if (s->frame_len < BO_SDFU_HDR) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        ((uint8_t *)s->hdr)[s->frame_len] = b; /* the wire's byte order is the CPU's */
#else
        /* shifted in from the top: after its 4th byte a word holds that little-endian value */
        uint32_t *w = &s->hdr[s->frame_len / 4u];
        *w = (*w >> 8) | ((uint32_t)b << 24);
#endif
        s->frame_len++;
        if (s->frame_len == BO_SDFU_HDR && (s->hdr[0] >> 16) == BO_SDFU_CMD_PROG_CLUSTER) {
            bo_sdfu_cluster_begin(s);
        }
        return;
    }
    s->frame_len++;
    if (s->prog_ok) {
        bo_sdfu_cluster_byte(s, b);
    }
}

int bo_sdfu_poll(bo_sdfu_t *s, uint32_t now_ms)
{
    if (s == NULL || s->frame_len == 0 || now_ms - s->last_ms < s->cfg.gap_ms) {
        return 0;
    }
    return end_frame(s);
}

int bo_sdfu_rx(bo_sdfu_t *s, const uint8_t *data, size_t len, uint32_t now_ms)
{
    if (s == NULL || (data == NULL && len > 0)) {
        return BO_ERR_ARG;
    }
    int ran = bo_sdfu_poll(s, now_ms);
    for (size_t i = 0; i < len; i++) {
        feed(s, data[i]);
        if (s->frame_len == BO_SDFU_FRAME_MAX || s->frame_len == s->frame_end) {
            ran += end_frame(s);
        }
    }
    if (len > 0) {
        s->last_ms = now_ms;
    }
    return ran;
}

bool bo_sdfu_pending(const bo_sdfu_t *s)
{
    return s != NULL && s->frame_len > 0;
}
