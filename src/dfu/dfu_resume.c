/* Resuming a download at the last checkpoint N.
 *
 * Everything below N is programmed and verified. Units of N's page past N may have been
 * programmed (or torn) after that checkpoint, and NOR forbids programming them again. If any
 * is not blank, the page is relocated through the spare page of the resume area:
 *   1. erase spare; copy [page start, N) of the slot into it (verified);
 *   2. log RELOC(N): from now on the spare holds the truth for [page start, N);
 *   3. erase the slot page; copy [page start, N) back from the spare (verified);
 *   4. log PROGRESS(N).
 * A cut before 2 leaves PROGRESS(N) newest: the next start relocates again from step 1.
 * A cut after 2 leaves RELOC(N) newest: the next start redoes 3 and 4 (the spare is only
 * erased in step 1, which needs a PROGRESS entry newest). Every step is restartable. */
#include <string.h>

#include "dfu_priv.h"

/* Copies [from, from + len) to [to, to + len), unit by unit. Blank units are not programmed
 * (bo_dfu_prog_verify skips them), so the copy never programs a unit that must stay free. */
static int copy_units(const bo_dfu_t *dfu, uint32_t to, uint32_t from, uint32_t len)
{
    uint32_t pu = dfu->flash->prog_unit;
    uint8_t buf[BO_DFU_UNIT_MAX];
    for (uint32_t o = 0; o < len; o += pu) {
        int rc = bo_dfu_port_rc(dfu->flash->read(dfu->flash->ctx, from + o, buf, pu));
        if (rc == BO_OK)
            rc = bo_dfu_prog_verify(dfu, to + o, buf, pu);
        if (rc != BO_OK)
            return rc;
    }
    return BO_OK;
}

static uint32_t spare_addr(const bo_dfu_t *dfu)
{
    return bo_layout_spare_addr(&dfu->layout, dfu->flash->page_size);
}

/* The part of the page [page, n) worth keeping: never the held-back head, which must stay
 * blank (it is programmed by finish only). */
static uint32_t keep_start(uint32_t page)
{
    return page < BO_DFU_HEAD_SIZE ? BO_DFU_HEAD_SIZE : page;
}

/* Steps 3 and 4. */
static int copy_back(bo_dfu_t *dfu, uint32_t page, const uint8_t *cursor)
{
    uint32_t slot1 = dfu->layout.slot1;
    uint32_t ks = keep_start(page);
    int rc = bo_dfu_port_rc(dfu->flash->erase(dfu->flash->ctx, slot1 + page));
    if (rc == BO_OK && dfu->offset > ks)
        rc = copy_units(dfu, slot1 + ks, spare_addr(dfu) + (ks - page), dfu->offset - ks);
    if (rc == BO_OK)
        rc = bo_dfu_log_append(dfu, BO_DFU_REC_PROGRESS, cursor);
    return rc;
}

/* Steps 1 to 4. */
static int relocate(bo_dfu_t *dfu, uint32_t page, const uint8_t *cursor)
{
    uint32_t slot1 = dfu->layout.slot1;
    uint32_t ks = keep_start(page);
    int rc = bo_dfu_port_rc(dfu->flash->erase(dfu->flash->ctx, spare_addr(dfu)));
    if (rc == BO_OK && dfu->offset > ks)
        rc = copy_units(dfu, spare_addr(dfu) + (ks - page), slot1 + ks, dfu->offset - ks);
    if (rc == BO_OK)
        rc = bo_dfu_log_append(dfu, BO_DFU_REC_RELOC, cursor);
    if (rc == BO_OK)
        rc = copy_back(dfu, page, cursor);
    return rc;
}

int bo_dfu_resume_continue(bo_dfu_t *dfu, const bo_dfu_rec_t *rec)
{
    uint32_t ps = dfu->flash->page_size;
    uint32_t n = rec->offset;
    uint32_t page = n - n % ps;
    memcpy(dfu->head, rec->head, BO_DFU_HEAD_SIZE);
    dfu->offset = n;
    dfu->unit_fill = 0;
    if (rec->kind == BO_DFU_REC_RELOC) {
        dfu->erased_end = page + ps;
        return copy_back(dfu, page, rec->cursor);
    }
    if (n == page) {
        dfu->erased_end = page; /* the page is erased again before its first write */
        return BO_OK;
    }
    bool clean = false;
    int rc = bo_dfu_blank(dfu, dfu->layout.slot1 + n, page + ps - n, &clean);
    if (rc != BO_OK)
        return rc;
    dfu->erased_end = page + ps;
    return clean ? BO_OK : relocate(dfu, page, rec->cursor);
}
