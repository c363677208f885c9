#include "dfu_test_util.h"

#include <stdlib.h>
#include <string.h>

uint32_t tu_rand(uint32_t *s)
{
    uint32_t x = *s ? *s : 0x12345678u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

void tu_image(uint8_t *img, uint32_t size, uint32_t seed)
{
    uint32_t s = seed * 2654435761u + 1u;
    for (uint32_t i = 0; i < size; i++)
        img[i] = (uint8_t)tu_rand(&s);
    static const uint8_t hdr[28] = {0, 0, 0, 0, 0, 0, 0, 0, 'M', 'C', 'H', 'P', 0,    0,
                                    0, 0, 1, 0, 0, 0, 2, 1, 2,   0,   0,   0,   0x55, 0};
    memcpy(img, hdr, size < sizeof hdr ? size : sizeof hdr);
    for (uint32_t u = 64; u + 16 <= size; u += 16 * 37) /* scattered 0xFF units */
        memset(img + u, 0xFF, 16);
    if (size > 16384)
        memset(img + 3 * 4096, 0xFF, 4096);
}

void tu_id(uint8_t id[BO_DFU_ID_SIZE], uint32_t seed)
{
    uint32_t s = seed ^ 0xA5A5A5A5u;
    for (uint32_t i = 0; i < BO_DFU_ID_SIZE; i++)
        id[i] = (uint8_t)tu_rand(&s);
}

void tu_cursor(const uint8_t *img, uint32_t off, uint8_t cur[BO_DFU_CURSOR_SIZE])
{
    if (off < BO_DFU_CURSOR_SIZE)
        memset(cur, 0, BO_DFU_CURSOR_SIZE);
    else
        memcpy(cur, img + off - BO_DFU_CURSOR_SIZE, BO_DFU_CURSOR_SIZE);
}

int tu_nor_bz2(bo_nor_t *nor)
{
    return bo_nor_open(nor, NULL, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE, BO_BZ2_PAGE_SIZE,
                       BO_BZ2_PROG_UNIT);
}

bool tu_struct_valid(const uint8_t hdr[28])
{
    static const uint8_t want[28] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,    0,
                                     0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0x55, 0};
    uint8_t h[28];
    memcpy(h, hdr, sizeof h);
    memset(h + 0x08, 0, 4);
    memset(h + 0x10, 0, 4);
    h[0x16] = 0;
    return memcmp(h, want, sizeof h) == 0;
}

static uint32_t next_len(tu_run_t *r, uint32_t off, uint32_t size)
{
    uint32_t n = r->chunk ? r->chunk : 1u + tu_rand(&r->seed) % 300u;
    uint32_t lim = size - off;
    if (r->window) {
        uint32_t to_win = r->window - off % r->window;
        lim = lim < to_win ? lim : to_win;
    }
    return n < lim ? n : lim;
}

int tu_download(const bo_flash_t *f, const bo_layout_t *l, const uint8_t *img, uint32_t size,
                const uint8_t *id, tu_run_t *r)
{
    bo_dfu_t dfu;
    uint8_t cur[BO_DFU_CURSOR_SIZE];
    r->where = 0;
    r->sent_end = r->ckpt_ok = r->ckpt_try = 0;
    int rc = bo_dfu_init(&dfu, f, l);
    if (rc == BO_OK && r->stage != NULL)
        rc = bo_dfu_set_stage(&dfu, r->stage, f->page_size);
    if (rc == BO_OK)
        rc = bo_dfu_configure(&dfu, size);
    if (rc == BO_OK)
        rc = bo_dfu_start(&dfu, id, &r->res);
    if (rc != BO_OK)
        return rc;
    uint32_t off = r->res.offset;
    tu_cursor(img, off, cur);
    if (off > size || (off > 0 && memcmp(cur, r->res.cursor, sizeof cur) != 0))
        return BO_ERR_VERIFY; /* resumed with a cursor that does not belong to the offset */
    r->sent_end = r->ckpt_ok = r->ckpt_try = off;
    while (off < size) {
        uint32_t n = next_len(r, off, size);
        r->where = 1;
        r->sent_end = off + n;
        rc = bo_dfu_write(&dfu, img + off, n);
        if (rc != BO_OK)
            return rc;
        off += n;
        if (r->erase_ahead && (rc = bo_dfu_erase_ahead(&dfu, f->page_size)) < 0)
            return rc;
        if (id != NULL && r->window && off % r->window == 0 && off < size) {
            r->where = 2;
            r->ckpt_try = off;
            tu_cursor(img, off, cur);
            rc = bo_dfu_checkpoint(&dfu, cur);
            if (rc != BO_OK)
                return rc;
            r->ckpt_ok = off;
        }
    }
    r->where = 3;
    rc = bo_dfu_finish(&dfu);
    if (rc == BO_OK)
        r->where = 4;
    return rc;
}

int tu_slot_state(const bo_flash_t *f, const bo_layout_t *l, const uint8_t *img, uint32_t size)
{
    uint8_t hdr[28];
    if (f->read(f->ctx, l->slot1, hdr, sizeof hdr) != BO_OK)
        return -1;
    if (!tu_struct_valid(hdr))
        return 0;
    uint8_t *buf = malloc(size);
    if (buf == NULL)
        return -1;
    int ok = f->read(f->ctx, l->slot1, buf, size) == BO_OK && memcmp(buf, img, size) == 0;
    free(buf);
    return ok ? 1 : -1;
}

int tu_interrupted(bo_dfu_t *d, const bo_flash_t *f, const bo_layout_t *l, const uint8_t *img,
                   uint32_t size, const uint8_t *id, uint32_t stored)
{
    static const uint8_t cursor[BO_DFU_CURSOR_SIZE] = {0};
    int rc = bo_dfu_init(d, f, l);
    if (rc == BO_OK)
        rc = bo_dfu_configure(d, size);
    if (rc == BO_OK)
        rc = bo_dfu_start(d, id, NULL);
    if (rc == BO_OK)
        rc = bo_dfu_write(d, img, stored);
    if (rc == BO_OK)
        rc = bo_dfu_checkpoint(d, cursor);
    bo_dfu_abort(d);
    return rc;
}
