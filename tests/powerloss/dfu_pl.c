#include "dfu_pl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rec_read(void *ctx, uint32_t a, void *b, uint32_t n)
{
    pl_t *p = ctx;
    return p->nor.flash.read(p->nor.flash.ctx, a, b, n);
}

static void record(pl_t *p, char kind, uint32_t a)
{
    if (!p->recording)
        return;
    if (p->nops == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4096;
        p->ops = realloc(p->ops, p->cap * sizeof *p->ops);
        if (p->ops == NULL)
            abort();
    }
    p->ops[p->nops++] = (pl_op_t){kind, a};
}

static int rec_prog(void *ctx, uint32_t a, const void *b, uint32_t n)
{
    pl_t *p = ctx;
    record(p, 'P', a);
    return p->nor.flash.prog(p->nor.flash.ctx, a, b, n);
}

static int rec_erase(void *ctx, uint32_t a)
{
    pl_t *p = ctx;
    record(p, 'E', a);
    return p->nor.flash.erase(p->nor.flash.ctx, a);
}

int pl_init(pl_t *p)
{
    memset(p, 0, sizeof *p);
    int rc = tu_nor_bz2(&p->nor);
    if (rc != BO_OK)
        return rc;
    p->flash = p->nor.flash;
    p->flash.ctx = p;
    p->flash.read = rec_read;
    p->flash.prog = rec_prog;
    p->flash.erase = rec_erase;
    p->lay = bo_layout_bz2();
    tu_image(p->img, PL_IMG_SIZE, 11);
    tu_image(p->other, PL_IMG_SIZE, 12);
    tu_id(p->id, 11);
    tu_id(p->id2, 12);
    return BO_OK;
}

void pl_free(pl_t *p)
{
    free(p->ops);
    p->ops = NULL;
    bo_nor_close(&p->nor);
}

int pl_session(pl_t *p, const uint8_t *im, const uint8_t *ident, uint64_t cut,
               bo_nor_cut_kind_t kind, uint32_t seed, tu_run_t *r)
{
    memset(r, 0, sizeof *r);
    r->window = PL_WINDOW;
    r->chunk = PL_CHUNK;
    r->erase_ahead = p->erase_ahead;
    r->stage = p->stage ? p->stage_buf : NULL;
    bo_nor_cut_before(&p->nor, cut, kind, seed);
    return tu_download(&p->flash, &p->lay, im, PL_IMG_SIZE, ident, r);
}

int pl_prepare(pl_t *p, int mode)
{
    int rc = bo_nor_wipe(&p->nor);
    if (rc != BO_OK || mode == PL_BLANK)
        return rc;
    /* an interrupted download of another image: dirty slot pages, a live record for id2 */
    tu_run_t r;
    rc = pl_session(p, p->other, p->id2, 1500, BO_NOR_CUT_TORN, 77, &r);
    if (rc != BO_ERR_POWER)
        return BO_ERR_STATE;
    return bo_nor_reboot(&p->nor);
}

uint32_t pl_dry_run(pl_t *p, int mode)
{
    tu_run_t r;
    p->nops = 0;
    if (pl_prepare(p, mode) != BO_OK)
        return 0;
    uint64_t before = p->nor.ops;
    p->recording = true;
    int rc = pl_session(p, p->img, p->id, 0, BO_NOR_CUT_CLEAN, 0, &r);
    p->recording = false;
    uint32_t n = p->nops;
    if (rc != BO_OK || tu_slot_state(&p->nor.flash, &p->lay, p->img, PL_IMG_SIZE) != 1 ||
        p->nor.violations != 0 || n != p->nor.ops - before)
        return 0;
    return n;
}

void pl_expect(pl_t *p, bool cond, const char *what, const char *where)
{
    if (cond)
        return;
    p->failures++;
    if (p->failures <= 20)
        printf("FAIL %s [%s]\n", what, where);
}

int pl_reboot_and_check(pl_t *p, const uint8_t *im, const char *where)
{
    int rc = bo_nor_reboot(&p->nor);
    int st = tu_slot_state(&p->nor.flash, &p->lay, im, PL_IMG_SIZE);
    pl_expect(p, rc == BO_OK && st >= 0, "slot structurally valid with wrong content", where);
    pl_expect(p, p->nor.violations == 0, "NOR rule broken", where);
    return st;
}

int pl_start_only(pl_t *p, const uint8_t *ident, bo_dfu_resume_t *res, uint64_t *ops_used)
{
    bo_dfu_t d;
    uint64_t before = p->nor.ops;
    int rc = bo_dfu_init(&d, &p->flash, &p->lay);
    if (rc == BO_OK)
        rc = bo_dfu_configure(&d, PL_IMG_SIZE);
    if (rc == BO_OK)
        rc = bo_dfu_start(&d, ident, res);
    *ops_used = p->nor.ops - before;
    return rc;
}

int pl_prefill_log(pl_t *p, uint32_t k)
{
    bo_dfu_t d;
    uint8_t cur[BO_DFU_CURSOR_SIZE] = {0};
    int rc = bo_dfu_init(&d, &p->flash, &p->lay);
    if (rc == BO_OK)
        rc = bo_dfu_configure(&d, PL_IMG_SIZE);
    if (rc == BO_OK)
        rc = bo_dfu_start(&d, p->id2, NULL);
    if (rc == BO_OK)
        rc = bo_dfu_write(&d, p->other, 32);
    for (uint32_t i = 1; rc == BO_OK && i < k; i++)
        rc = bo_dfu_checkpoint(&d, cur);
    bo_dfu_abort(&d);
    if (rc == BO_OK && k > 0)
        rc = bo_dfu_resume_clear(&d);
    return rc;
}
