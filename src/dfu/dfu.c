/* bleota dfu: the writer of the download slot (progressive erase, program-unit buffering,
 * read-back, held-back commit marker). Resume log: dfu_log.c; resume: dfu_resume.c. */
#include <string.h>

#include "dfu_priv.h"

/* ---- flash helpers ----------------------------------------------------------------------- */

int bo_dfu_port_rc(int rc)
{
    return rc > 0 ? BO_ERR_IO : rc;
}

static bool all_ff(const uint8_t *p, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        if (p[i] != 0xFF)
            return false;
    return true;
}

int bo_dfu_prog_verify(const bo_dfu_t *dfu, uint32_t addr, const uint8_t *data, uint32_t len)
{
    const bo_flash_t *f = dfu->flash;
    uint8_t back[BO_DFU_UNIT_MAX];
    for (uint32_t o = 0; o < len; o += f->prog_unit) {
        if (!all_ff(data + o, f->prog_unit)) {
            int rc = bo_dfu_port_rc(f->prog(f->ctx, addr + o, data + o, f->prog_unit));
            if (rc != BO_OK)
                return rc;
        }
        int rc = bo_dfu_port_rc(f->read(f->ctx, addr + o, back, f->prog_unit));
        if (rc != BO_OK)
            return rc;
        if (memcmp(back, data + o, f->prog_unit) != 0)
            return BO_ERR_VERIFY;
    }
    return BO_OK;
}

int bo_dfu_blank(const bo_dfu_t *dfu, uint32_t addr, uint32_t len, bool *blank)
{
    uint8_t buf[BO_DFU_UNIT_MAX];
    *blank = false;
    while (len > 0) {
        uint32_t n = len < sizeof buf ? len : (uint32_t)sizeof buf;
        int rc = bo_dfu_port_rc(dfu->flash->read(dfu->flash->ctx, addr, buf, n));
        if (rc != BO_OK)
            return rc;
        if (!all_ff(buf, n))
            return BO_OK;
        addr += n;
        len -= n;
    }
    *blank = true;
    return BO_OK;
}

/* Erases the page holding slot offset off if this download has not erased it yet. Writes are
 * sequential, so one frontier (erased_end) is enough. */
static int ensure_erased(bo_dfu_t *dfu, uint32_t off)
{
    uint32_t ps = dfu->flash->page_size;
    if (off < dfu->erased_end)
        return BO_OK;
    uint32_t page = off - off % ps;
    bool blank = false;
    /* Already blank (the idle clean-up erased it): programming needs no erase, and on a
     * single-bank flash an erase stalls the CPU for tens of ms. */
    int rc = bo_dfu_blank(dfu, dfu->layout.slot1 + page, ps, &blank);
    if (rc == BO_OK && !blank)
        rc = bo_dfu_port_rc(dfu->flash->erase(dfu->flash->ctx, dfu->layout.slot1 + page));
    if (rc != BO_OK)
        return rc;
    dfu->erased_end = page + ps;
    return BO_OK;
}

static int fail(bo_dfu_t *dfu, int rc)
{
    if (rc != BO_OK)
        dfu->state = BO_DFU_IDLE;
    return rc;
}

/* ---- API ----------------------------------------------------------------------------------- */

static bool pow2(uint32_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

/* Is [addr, addr + len) inside the flash? */
static bool in_flash(const bo_flash_t *f, uint32_t addr, uint32_t len)
{
    return addr >= f->base && addr - f->base <= f->size && len <= f->size - (addr - f->base);
}

static bool resume_area_ok(const bo_flash_t *f, const bo_layout_t *l)
{
    if (l->resume_addr == 0)
        return true;
    if (l->resume_pages < 4 || l->resume_pages > f->size / f->page_size ||
        f->page_size <= BO_DFU_LOG_ENTRY_SIZE || (l->resume_addr - f->base) % f->page_size != 0)
        return false;
    uint32_t len = l->resume_pages * f->page_size;
    if (!in_flash(f, l->resume_addr, len))
        return false;
    /* no overlap with the download area [slot1, slot1 + dl_limit) */
    return l->resume_addr >= l->slot1 + l->dl_limit || l->resume_addr + len <= l->slot1;
}

int bo_dfu_init(bo_dfu_t *dfu, const bo_flash_t *flash, const bo_layout_t *layout)
{
    if (dfu == NULL || flash == NULL || layout == NULL)
        return BO_ERR_ARG;
    memset(dfu, 0, sizeof *dfu);
    const bo_flash_t *f = flash;
    if (f->read == NULL || f->prog == NULL || f->erase == NULL)
        return BO_ERR_ARG;
    if (!pow2(f->prog_unit) || f->prog_unit > BO_DFU_UNIT_MAX || f->page_size < BO_DFU_HEAD_SIZE ||
        f->page_size % f->prog_unit != 0)
        return BO_ERR_ARG;
    if (layout->slot1 < f->base || (layout->slot1 - f->base) % f->page_size != 0 ||
        layout->dl_limit == 0 || layout->dl_limit > layout->slot_size ||
        !in_flash(f, layout->slot1, layout->dl_limit))
        return BO_ERR_ARG;
    if (!resume_area_ok(f, layout))
        return BO_ERR_ARG;
    dfu->flash = flash;
    dfu->layout = *layout;
    dfu->state = BO_DFU_IDLE;
    return BO_OK;
}

int bo_dfu_configure(bo_dfu_t *dfu, uint32_t size)
{
    if (dfu == NULL || dfu->flash == NULL)
        return BO_ERR_ARG;
    if (dfu->state == BO_DFU_RECEIVING)
        return BO_ERR_BUSY;
    if (size == 0 || size > dfu->layout.dl_limit)
        return BO_ERR_RANGE;
    if (size % BO_DFU_HEAD_SIZE != 0 || size % dfu->flash->prog_unit != 0)
        return BO_ERR_ALIGN;
    dfu->size = size;
    dfu->length = size;
    dfu->state = BO_DFU_CONFIGURED;
    return BO_OK;
}

int bo_dfu_set_length(bo_dfu_t *dfu, uint32_t length)
{
    if (dfu == NULL || dfu->flash == NULL)
        return BO_ERR_ARG;
    if (dfu->state != BO_DFU_RECEIVING)
        return BO_ERR_STATE;
    if (length == 0 || length > dfu->layout.dl_limit || length < dfu->offset)
        return BO_ERR_RANGE;
    if (length % BO_DFU_HEAD_SIZE != 0 || length % dfu->flash->prog_unit != 0)
        return BO_ERR_ALIGN;
    dfu->length = length;
    return BO_OK;
}

static void session_reset(bo_dfu_t *dfu, const uint8_t *id)
{
    dfu->clean = 0; /* the slot is written again */
    dfu->offset = 0;
    dfu->erased_end = 0;
    dfu->unit_fill = 0;
    dfu->stage_base = 0;
    dfu->aux = 0;
    memset(dfu->head, 0xFF, sizeof dfu->head);
    dfu->have_id = id != NULL;
    if (id != NULL)
        memcpy(dfu->id, id, BO_DFU_ID_SIZE);
    else
        memset(dfu->id, 0, sizeof dfu->id);
}

/* A record resumes only for the same image (id and size), strictly inside it, on a unit
 * boundary, and while the held-back head is still blank in flash (never committed). */
static int resumable(const bo_dfu_t *dfu, const bo_dfu_rec_t *r, bool *ok)
{
    *ok = false;
    if (r->kind == BO_DFU_REC_CLEAR || r->size != dfu->size ||
        memcmp(r->id, dfu->id, BO_DFU_ID_SIZE) != 0 || r->offset == 0 || r->offset >= r->length ||
        r->length > dfu->layout.dl_limit || r->offset % dfu->flash->prog_unit != 0)
        return BO_OK;
    return bo_dfu_blank(dfu, dfu->layout.slot1, BO_DFU_HEAD_SIZE, ok);
}

int bo_dfu_start(bo_dfu_t *dfu, const uint8_t id[BO_DFU_ID_SIZE], bo_dfu_resume_t *resume)
{
    if (dfu == NULL || dfu->flash == NULL)
        return BO_ERR_ARG;
    if (dfu->state != BO_DFU_CONFIGURED)
        return BO_ERR_STATE;
    if (resume != NULL)
        memset(resume, 0, sizeof *resume);
    session_reset(dfu, id);
    if (bo_dfu_log_enabled(dfu)) {
        bo_dfu_rec_t rec;
        bool found = false, ok = false;
        int rc = bo_dfu_log_scan(dfu, &rec, &found);
        if (rc == BO_OK && found && id != NULL && resume != NULL)
            rc = resumable(dfu, &rec, &ok);
        if (rc != BO_OK)
            return fail(dfu, rc);
        if (ok) {
            dfu->length = rec.length; /* before a relocation appends a record */
            dfu->aux = rec.aux;
            rc = bo_dfu_resume_continue(dfu, &rec);
            if (rc != BO_OK)
                return fail(dfu, rc);
            dfu->stage_base = dfu->offset;
            resume->offset = dfu->offset;
            resume->aux = rec.aux;
            memcpy(resume->cursor, rec.cursor, BO_DFU_CURSOR_SIZE);
            dfu->state = BO_DFU_RECEIVING;
            return BO_OK;
        }
        /* Fresh start: the old record must die before the slot it describes is touched. */
        if (dfu->rec_live) {
            rc = bo_dfu_log_append(dfu, BO_DFU_REC_CLEAR, NULL);
            if (rc != BO_OK)
                return fail(dfu, rc);
        }
    }
    dfu->state = BO_DFU_RECEIVING;
    return BO_OK;
}

/* Programs one whole unit at slot offset off (off >= BO_DFU_HEAD_SIZE). */
static int put_unit(bo_dfu_t *dfu, uint32_t off, const uint8_t *data)
{
    int rc = ensure_erased(dfu, off);
    if (rc == BO_OK)
        rc = bo_dfu_prog_verify(dfu, dfu->layout.slot1 + off, data, dfu->flash->prog_unit);
    return rc;
}

/* Programs the staged bytes [stage_base, offset) (whole units; the held-back head is never
 * staged) and restarts the stage at offset. All units are programmed first, then all read
 * back: the CPU feeds the next unit while the flash programs the previous one, instead of
 * waiting for each read-back (same check, one pass later within this call). */
static int flush(bo_dfu_t *dfu)
{
    const bo_flash_t *f = dfu->flash;
    uint32_t pu = f->prog_unit;
    uint32_t from = dfu->stage_base > BO_DFU_HEAD_SIZE ? dfu->stage_base : BO_DFU_HEAD_SIZE;
    uint32_t end = dfu->offset - dfu->offset % pu;
    uint8_t back[BO_DFU_UNIT_MAX];
    int rc = BO_OK;
    for (uint32_t o = from; rc == BO_OK && o < end; o += pu) {
        const uint8_t *u = dfu->stage + (o - dfu->stage_base);
        rc = ensure_erased(dfu, o);
        if (rc == BO_OK && !all_ff(u, pu))
            rc = bo_dfu_port_rc(f->prog(f->ctx, dfu->layout.slot1 + o, u, pu));
    }
    for (uint32_t o = from; rc == BO_OK && o < end; o += pu) {
        rc = bo_dfu_port_rc(f->read(f->ctx, dfu->layout.slot1 + o, back, pu));
        if (rc == BO_OK && memcmp(back, dfu->stage + (o - dfu->stage_base), pu) != 0)
            rc = BO_ERR_VERIFY;
    }
    if (rc == BO_OK)
        dfu->stage_base = end;
    return rc;
}

/* Staging write: bytes go to RAM up to the page end, which triggers the programming. */
static int stage_write(bo_dfu_t *dfu, const uint8_t *p, size_t len)
{
    uint32_t ps = dfu->flash->page_size;
    while (len > 0) {
        uint32_t page_end = dfu->stage_base - dfu->stage_base % ps + ps;
        uint32_t n = page_end - dfu->offset;
        n = n < len ? n : (uint32_t)len;
        if (dfu->offset < BO_DFU_HEAD_SIZE) /* held back: programmed last, by finish */
            n = n < BO_DFU_HEAD_SIZE - dfu->offset ? n : BO_DFU_HEAD_SIZE - dfu->offset;
        if (dfu->offset < BO_DFU_HEAD_SIZE)
            memcpy(dfu->head + dfu->offset, p, n);
        else
            memcpy(dfu->stage + (dfu->offset - dfu->stage_base), p, n);
        dfu->offset += n;
        p += n;
        len -= n;
        if (dfu->offset == page_end || dfu->offset == dfu->length) {
            int rc = flush(dfu);
            if (rc != BO_OK)
                return fail(dfu, rc);
        }
    }
    return BO_OK;
}

int bo_dfu_set_stage(bo_dfu_t *dfu, uint8_t *buf, uint32_t size)
{
    if (dfu == NULL || dfu->flash == NULL)
        return BO_ERR_ARG;
    if (dfu->state == BO_DFU_RECEIVING)
        return BO_ERR_BUSY;
    if (buf != NULL && size != 0 &&
        (size < dfu->flash->page_size || size % dfu->flash->prog_unit != 0))
        return BO_ERR_ARG;
    dfu->stage = size != 0 ? buf : NULL;
    dfu->stage_size = buf != NULL ? size : 0;
    return BO_OK;
}

int bo_dfu_write(bo_dfu_t *dfu, const void *data, size_t len)
{
    if (dfu == NULL || (data == NULL && len > 0))
        return BO_ERR_ARG;
    if (dfu->state != BO_DFU_RECEIVING)
        return BO_ERR_STATE;
    if (len > dfu->length - dfu->offset)
        return BO_ERR_RANGE;
    const uint8_t *p = data;
    if (dfu->stage != NULL && dfu->unit_fill == 0)
        return stage_write(dfu, p, len);
    uint32_t pu = dfu->flash->prog_unit;
    while (len > 0) {
        uint32_t n;
        int rc = BO_OK;
        if (dfu->offset < BO_DFU_HEAD_SIZE) {
            /* held back: programmed last, by finish */
            n = BO_DFU_HEAD_SIZE - dfu->offset;
            n = n < len ? n : (uint32_t)len;
            memcpy(dfu->head + dfu->offset, p, n);
        } else if (dfu->unit_fill == 0 && len >= pu) {
            n = pu; /* whole unit straight from the caller's buffer */
            rc = put_unit(dfu, dfu->offset, p);
        } else {
            n = pu - dfu->unit_fill;
            n = n < len ? n : (uint32_t)len;
            memcpy(dfu->unit + dfu->unit_fill, p, n);
            dfu->unit_fill += n;
            if (dfu->unit_fill == pu) {
                rc = put_unit(dfu, dfu->offset + n - pu, dfu->unit);
                dfu->unit_fill = 0;
            }
        }
        if (rc != BO_OK)
            return fail(dfu, rc);
        dfu->offset += n;
        p += n;
        len -= n;
    }
    return BO_OK;
}

int bo_dfu_erase_ahead(bo_dfu_t *dfu, uint32_t ahead)
{
    if (dfu == NULL || dfu->flash == NULL || dfu->state != BO_DFU_RECEIVING)
        return 0;
    uint32_t next = dfu->erased_end;
    /* ahead of what is programmed (staged bytes are not): one erase at a time in flight */
    uint32_t done = dfu->stage != NULL ? dfu->stage_base : dfu->offset;
    /* pages are erased in order from the frontier; never past the image or too far ahead */
    if (next >= dfu->length || (next > done && next - done >= ahead))
        return 0;
    int rc = ensure_erased(dfu, next);
    return rc == BO_OK ? 1 : fail(dfu, rc);
}

/* First step of the clean-up: a live resume record keeps the slot as it is. */
static int idle_erase_begin(bo_dfu_t *dfu)
{
    if (bo_dfu_log_enabled(dfu)) {
        bo_dfu_rec_t rec;
        bool found = false;
        int rc = bo_dfu_log_scan(dfu, &rec, &found);
        if (rc != BO_OK)
            return rc;
        if (dfu->rec_live) {
            dfu->clean = 2;
            return BO_OK;
        }
    }
    dfu->clean = 1;
    dfu->clean_next = 0;
    return BO_OK;
}

int bo_dfu_idle_erase(bo_dfu_t *dfu)
{
    if (dfu == NULL || dfu->flash == NULL ||
        (dfu->state != BO_DFU_IDLE && dfu->state != BO_DFU_DONE) || dfu->clean == 2)
        return 0;
    if (dfu->clean == 0) {
        int rc = idle_erase_begin(dfu);
        if (rc != BO_OK || dfu->clean == 2)
            return rc;
    }
    uint32_t ps = dfu->flash->page_size;
    for (uint32_t n = 0; n < BO_DFU_IDLE_SCAN_PAGES && dfu->clean_next < dfu->layout.dl_limit;
         n++) {
        uint32_t addr = dfu->layout.slot1 + dfu->clean_next;
        bool blank = false;
        int rc = bo_dfu_blank(dfu, addr, ps, &blank);
        if (rc == BO_OK && !blank) {
            dfu->state = BO_DFU_IDLE; /* a DONE slot is no longer what was committed */
            rc = bo_dfu_port_rc(dfu->flash->erase(dfu->flash->ctx, addr));
        }
        if (rc != BO_OK)
            return rc;
        dfu->clean_next += ps;
        if (!blank)
            return 1;
    }
    if (dfu->clean_next < dfu->layout.dl_limit)
        return 1;
    dfu->clean = 2;
    return 0;
}

int bo_dfu_checkpoint(bo_dfu_t *dfu, const uint8_t cursor[BO_DFU_CURSOR_SIZE])
{
    if (dfu == NULL || cursor == NULL)
        return BO_ERR_ARG;
    if (dfu->state != BO_DFU_RECEIVING || !dfu->have_id)
        return BO_ERR_STATE;
    if (!bo_dfu_log_enabled(dfu))
        return BO_ERR_UNSUPPORTED;
    if (dfu->offset % dfu->flash->prog_unit != 0)
        return BO_ERR_ALIGN;
    int rc = dfu->stage != NULL ? flush(dfu) : BO_OK; /* a record covers programmed bytes only */
    if (rc == BO_OK)
        rc = bo_dfu_log_append(dfu, BO_DFU_REC_PROGRESS, cursor);
    return fail(dfu, rc);
}

/* Programs the held-back head. Units go in reverse order so the one at offset 0 (zero
 * fillers) lands last: with several units, a cut in between still leaves the slot invalid. */
static int commit_head(bo_dfu_t *dfu)
{
    uint32_t pu = dfu->flash->prog_unit;
    int rc = ensure_erased(dfu, 0);
    for (uint32_t o = BO_DFU_HEAD_SIZE; rc == BO_OK && o > 0; o -= pu)
        rc = bo_dfu_prog_verify(dfu, dfu->layout.slot1 + o - pu, dfu->head + o - pu, pu);
    return rc;
}

int bo_dfu_finish(bo_dfu_t *dfu)
{
    if (dfu == NULL)
        return BO_ERR_ARG;
    if (dfu->state != BO_DFU_RECEIVING || dfu->offset != dfu->length)
        return BO_ERR_STATE;
    int rc = dfu->stage != NULL ? flush(dfu) : BO_OK;
    /* Clear first: a cut after the marker must not leave a record that would resume (and
     * rewrite pages of) a committed slot. A cut in between costs a full re-send, no more. */
    if (rc == BO_OK && dfu->rec_live)
        rc = bo_dfu_log_append(dfu, BO_DFU_REC_CLEAR, NULL);
    if (rc == BO_OK)
        rc = commit_head(dfu);
    if (rc != BO_OK)
        return fail(dfu, rc);
    dfu->state = BO_DFU_DONE;
    return BO_OK;
}

void bo_dfu_abort(bo_dfu_t *dfu)
{
    if (dfu != NULL) {
        dfu->state = BO_DFU_IDLE;
        dfu->unit_fill = 0;
    }
}

int bo_dfu_read(const bo_dfu_t *dfu, uint32_t offset, void *buf, size_t len)
{
    if (dfu == NULL || dfu->flash == NULL || (buf == NULL && len > 0))
        return BO_ERR_ARG;
    if (offset > dfu->layout.slot_size || len > dfu->layout.slot_size - offset)
        return BO_ERR_RANGE;
    if (len == 0)
        return BO_OK;
    return bo_dfu_port_rc(
        dfu->flash->read(dfu->flash->ctx, dfu->layout.slot1 + offset, buf, (uint32_t)len));
}

int bo_dfu_read_received(const bo_dfu_t *dfu, uint32_t offset, void *buf, size_t len)
{
    int rc = bo_dfu_read(dfu, offset, buf, len);
    if (rc != BO_OK || dfu->state != BO_DFU_RECEIVING)
        return rc;
    uint8_t *b = buf;
    for (size_t i = 0; i < len; i++) { /* RAM copies override what flash holds */
        uint32_t o = offset + (uint32_t)i;
        if (o < BO_DFU_HEAD_SIZE)
            b[i] = dfu->head[o];
        else if (dfu->stage != NULL && o >= dfu->stage_base && o < dfu->offset)
            b[i] = dfu->stage[o - dfu->stage_base];
    }
    return BO_OK;
}

int bo_dfu_resume_clear(bo_dfu_t *dfu)
{
    if (dfu == NULL || dfu->flash == NULL)
        return BO_ERR_ARG;
    if (dfu->state == BO_DFU_RECEIVING)
        return BO_ERR_STATE;
    if (!bo_dfu_log_enabled(dfu))
        return BO_OK;
    bo_dfu_rec_t rec;
    bool found = false;
    int rc = bo_dfu_log_scan(dfu, &rec, &found);
    if (rc == BO_OK && dfu->rec_live)
        rc = bo_dfu_log_append(dfu, BO_DFU_REC_CLEAR, NULL);
    return rc;
}
