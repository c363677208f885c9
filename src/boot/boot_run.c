/* bo_boot_recover and bo_boot_run: finish what a reset interrupted, then decide what runs.
 * There is no shortcut path (the reference jumps unchecked on wake from deep sleep): every
 * call authenticates slot 0 before it may say RUN, and checks it against the version floor. */
#include <string.h>
#include "boot_priv.h"

#define ST_UNKNOWN 1       /* slot 0 not looked at yet (private, never returned) */
#define RESERVE_RECORDS 16 /* status records an install cycle may need, torn ones included */

typedef struct {
    const bo_boot_cfg_t *cfg;
    bo_boot_result_t *res;
    bo_boot_st_t st;
    bool journal;
    int st0;
    bo_boot_image_t img0;
} run_t;

static bool fatal(int rc)
{
    return rc == BO_ERR_IO || rc == BO_ERR_POWER || rc == BO_ERR_ARG;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

static uint32_t image_pages(const bo_boot_cfg_t *cfg, uint32_t fw_len)
{
    return bo_boot_pages(cfg->flash, BO_MD_SIZE + fw_len);
}

static int set_state(run_t *r, bo_boot_state_t state, uint32_t floor)
{
    return bo_boot_st_write(r->cfg, &r->st, state, r->st.epoch, floor);
}

static int slot0(run_t *r)
{
    if (r->st0 == ST_UNKNOWN) {
        r->st0 = bo_boot_authenticate(r->cfg, 0, &r->img0);
    }
    return r->st0;
}

/* The floor an install must respect: the recorded one, and while slot 0 holds a confirmed or
 * permanent image, that image's version (this is how a factory image, and a blank or torn
 * status page, get their floor back). */
static uint32_t floor_now(run_t *r)
{
    uint32_t floor = r->st.floor;
    bool settled = r->st.state == BO_BOOT_ST_IDLE || r->st.state == BO_BOOT_ST_NONE;
    if (settled && slot0(r) == BO_OK) {
        floor = max_u32(floor, r->img0.version);
    }
    return floor;
}

/* Copy install of an authentic slot 1 (a permanent image, or no room for a trial). */
static int copy_install(run_t *r, const bo_boot_image_t *img1, uint32_t floor)
{
    int rc = BO_OK;
    if (r->journal) {
        rc = bo_boot_st_reserve(r->cfg, &r->st, RESERVE_RECORDS);
        if (rc == BO_OK) { /* from here every boot finishes the copy before anything else */
            rc = set_state(r, BO_BOOT_ST_INSTALLING, floor);
        }
    }
    if (rc == BO_OK) {
        rc = bo_boot_install(r->cfg, BO_MD_SIZE + img1->fw_len);
        r->st0 = ST_UNKNOWN;
    }
    if (rc == BO_ERR_VERIFY) {
        r->res->slot1_status = rc; /* slot 1 kept: the copy is retried at the next boot */
        return BO_OK;
    }
    if (rc == BO_OK && r->journal) {
        rc = set_state(r, BO_BOOT_ST_IDLE, floor);
    }
    if (rc == BO_OK) {
        rc = bo_boot_retire(r->cfg);
    }
    r->res->installed = rc == BO_OK;
    return rc;
}

/* Trial install: swap, so that the old image can come back. */
static int swap_install(run_t *r, uint32_t k, uint32_t floor)
{
    int rc = bo_boot_st_reserve(r->cfg, &r->st, RESERVE_RECORDS);
    if (rc == BO_OK) {
        r->st.floor = floor; /* recorded with SWAPPING: slot 0 stops being its source */
        rc = bo_boot_swap_begin(r->cfg, &r->st, k, BO_MD_SIZE + r->img0.fw_len);
    }
    if (rc == BO_OK) {
        rc = bo_boot_swap_continue(r->cfg, &r->st);
        r->st0 = ST_UNKNOWN;
    }
    r->res->installed = rc == BO_OK;
    return rc;
}

/* Slot 1 is authentic: refuse it (floor), recognise it (already running), or install it. */
static int take_slot1(run_t *r, const bo_boot_image_t *img1)
{
    const bo_boot_cfg_t *cfg = r->cfg;
    int st0 = slot0(r);
    if (fatal(st0)) {
        return st0;
    }
    int rc = BO_OK;
    if (r->st.state == BO_BOOT_ST_TRIAL_READY) {
        /* slot 1 was rewritten (serial DFU) after a swap: its saved copy is gone */
        r->res->revert_lost = true;
        rc = set_state(r, BO_BOOT_ST_IDLE, r->st.floor);
    }
    uint32_t floor = floor_now(r);
    if (rc != BO_OK) {
        return rc;
    }
    if (!cfg->allow_downgrade && img1->version < floor) {
        r->res->slot1_status = BO_ERR_ROLLBACK;
        return bo_boot_retire(cfg); /* refused once, not re-verified at every boot */
    }
    if (st0 == BO_OK && memcmp(img1->id, r->img0.id, sizeof img1->id) == 0) {
        r->res->current = true; /* the same signed image: nothing to copy */
        return bo_boot_retire(cfg);
    }
    uint32_t k = 0;
    if (st0 == BO_OK) {
        k = max_u32(image_pages(cfg, r->img0.fw_len), image_pages(cfg, img1->fw_len));
    }
    bool trial = r->journal && (img1->flags & BO_MD_FLAG_TRIAL) != 0u && st0 == BO_OK &&
                 k <= bo_boot_swap_max_pages(cfg);
    return trial ? swap_install(r, k, floor) : copy_install(r, img1, floor);
}

/* An interrupted copy install: slot 1 is still the authentic source. */
static int finish_copy(run_t *r)
{
    bo_boot_image_t img1;
    int rc = bo_boot_authenticate(r->cfg, 1, &img1);
    if (fatal(rc) || rc == BO_ERR_CRYPTO) {
        return rc; /* slot 0 is half copied: slot 1 is the only source, retry next boot */
    }
    if (rc != BO_OK || (!r->cfg->allow_downgrade && img1.version < r->st.floor)) {
        return set_state(r, BO_BOOT_ST_IDLE, r->st.floor); /* slot 0 decides alone */
    }
    return copy_install(r, &img1, r->st.floor);
}

static int recover(run_t *r)
{
    if (!r->journal) {
        return BO_OK;
    }
    int rc = bo_boot_st_read(r->cfg, &r->st);
    if (rc != BO_OK) {
        return rc;
    }
    bool lost = false;
    switch (r->st.have ? r->st.state : BO_BOOT_ST_NONE) {
    case BO_BOOT_ST_INSTALLING:
        rc = finish_copy(r);
        break;
    case BO_BOOT_ST_SWAPPING:
        rc = bo_boot_swap_continue(r->cfg, &r->st);
        if (rc == BO_ERR_NOTFOUND) { /* a stale record without its progress page */
            rc = set_state(r, BO_BOOT_ST_IDLE, r->st.floor);
        }
        break;
    case BO_BOOT_ST_TRIAL:
    case BO_BOOT_ST_REVERTING:
        /* the trial image reset before confirming: crash, watchdog, cut or its own reset */
        rc = bo_boot_revert(r->cfg, &r->st, &lost);
        r->res->reverted = rc == BO_OK && !lost;
        r->res->revert_lost = lost;
        break;
    default:
        break;
    }
    r->res->floor = r->st.floor;
    return rc;
}

static int init(run_t *r, const bo_boot_cfg_t *cfg, bo_boot_result_t *res)
{
    if (res == NULL || cfg == NULL || cfg->flash == NULL || cfg->flash->read == NULL) {
        return BO_ERR_ARG;
    }
    memset(res, 0, sizeof *res);
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->res = res;
    r->journal = bo_boot_journal(cfg);
    r->st0 = ST_UNKNOWN;
    res->action = BO_BOOT_NO_IMAGE;
    res->slot0_status = BO_ERR_NOTFOUND;
    return BO_OK;
}

int bo_boot_recover(const bo_boot_cfg_t *cfg, bo_boot_result_t *res)
{
    run_t r;
    int rc = init(&r, cfg, res);
    return rc == BO_OK ? recover(&r) : rc;
}

/* Slot 0 runs: on trial if it was just swapped in; otherwise its first good boot raises the
 * floor to its version (factory and permanent images). */
static int start_slot0(run_t *r)
{
    bo_boot_result_t *res = r->res;
    int rc = BO_OK;
    if (r->journal && r->st.state == BO_BOOT_ST_TRIAL_READY) {
        rc = set_state(r, BO_BOOT_ST_TRIAL, r->st.floor);
        res->trial = rc == BO_OK;
    } else if (r->journal && (r->img0.version > r->st.floor || !r->st.have)) {
        rc = set_state(r, BO_BOOT_ST_IDLE, max_u32(r->img0.version, r->st.floor));
    }
    if (rc == BO_OK) {
        res->action = BO_BOOT_RUN;
        res->image = r->img0;
    }
    res->floor = r->st.floor;
    return rc;
}

int bo_boot_run(const bo_boot_cfg_t *cfg, bo_boot_result_t *res)
{
    run_t r;
    bo_boot_image_t img1 = {0};
    int rc = init(&r, cfg, res);
    if (rc == BO_OK) {
        rc = recover(&r);
    }
    if (rc != BO_OK) {
        return rc;
    }
    rc = bo_boot_authenticate(cfg, 1, &img1);
    res->slot1_status = rc;
    if (rc == BO_ERR_POWER || rc == BO_ERR_ARG) {
        return rc;
    }
    if (rc == BO_ERR_AUTH) {
        rc = bo_boot_retire(cfg); /* as the reference: a forged slot 1 is not retried */
    } else if (rc == BO_OK) {
        rc = take_slot1(&r, &img1);
    } else {
        rc = BO_OK; /* empty, unreadable, or a method this build refuses: slot 1 is invalid */
    }
    if (rc != BO_OK) {
        return rc;
    }
    int st0 = slot0(&r);
    if (fatal(st0)) {
        return st0;
    }
    if (st0 == BO_OK && !cfg->allow_downgrade && r.img0.version < r.st.floor) {
        st0 = BO_ERR_ROLLBACK; /* e.g. an old image written into slot 0 by other means */
    }
    res->slot0_status = st0;
    res->floor = r.st.floor;
    return st0 == BO_OK ? start_slot0(&r) : BO_OK;
}
