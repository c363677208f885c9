/* bo_boot_recover and bo_boot_run: finish what a reset interrupted, then decide what runs.
 * There is no unchecked path (the reference jumps unchecked on wake from deep sleep): slot 0
 * runs only authenticated in this boot, installed in this boot and proven by hash against slot
 * 1's authentication, or (BO_BOOT_CHECK_AFTER_INSTALL) vouched for by the status page; and
 * always at or above the version floor.
 *
 * One authentication per boot at most on the paths that matter: an install authenticates slot 1
 * only. The outgoing slot 0 is known from its header when the status page vouches for it (IDLE,
 * checked); it is authenticated only when the page cannot (factory state, after a recovery). */
#include <string.h>
#include "boot_priv.h"

#define RESERVE_RECORDS 16 /* status records an install cycle may need, torn ones included */

/* What this boot knows of slot 0 (run_t.know), in increasing order. */
enum { K_NONE, K_HEADER, K_ID, K_AUTH };

typedef struct {
    const bo_boot_cfg_t *cfg;
    bo_boot_result_t *res;
    bo_boot_st_t st;
    bool journal;
    uint8_t know; /* K_HEADER: header read, trusted; K_ID: its id hashed too; K_AUTH: proven */
    int st0;      /* the verdict at that level */
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

static int set_state(run_t *r, uint32_t state, uint32_t floor)
{
    return bo_boot_st_write(r->cfg, &r->st, state, r->st.epoch, floor);
}

/* The status page vouches for slot 0: settled, and proven since it was last written. */
static bool vouched(const run_t *r)
{
    return r->journal && r->st.have && r->st.state == BO_BOOT_ST_IDLE && r->st.checked;
}

/* Slot 0, known at least at level `need` (K_HEADER or K_AUTH). A header is enough only when
 * the status page vouches for the slot; otherwise it is authenticated. A header that does not
 * parse is final at any level. */
static int slot0(run_t *r, uint8_t need)
{
    if (r->know < need) {
        if (need == K_HEADER && vouched(r)) {
            r->st0 = bo_boot_header(r->cfg, 0, &r->img0);
        } else {
            r->st0 = bo_boot_authenticate(r->cfg, 0, &r->img0);
            need = K_AUTH;
        }
        r->know = r->st0 == BO_OK ? need : K_AUTH;
    }
    return r->st0;
}

/* Slot 0 now holds img, proven by hash: nothing to authenticate again. */
BO_BOOT_NOINLINE static void slot0_is(run_t *r, const bo_boot_image_t *img)
{
    r->img0 = *img;
    r->st0 = BO_OK;
    r->know = K_AUTH;
    r->res->installed = true;
}

/* The floor an install must respect: the recorded one, and while slot 0 holds a confirmed or
 * permanent image, that image's version (this is how a factory image, and a blank or torn
 * status page, get their floor back). */
static uint32_t floor_now(run_t *r)
{
    uint32_t floor = r->st.floor;
    bool settled = r->st.state == BO_BOOT_ST_IDLE || !r->st.have;
    if (settled && r->st0 == BO_OK) {
        floor = max_u32(floor, r->img0.version);
    }
    return floor;
}

/* Slot 0 holds the same signed image as slot 1 (ids equal). Hashed only when the signed fields
 * the id covers could be equal. */
static bool same_image(run_t *r, const bo_boot_image_t *img1)
{
    if (r->img0.version != img1->version || r->img0.fw_len != img1->fw_len) {
        return false;
    }
    if (r->know == K_HEADER) {
        if (bo_boot_image_id(r->cfg, 0, r->img0.fw_len, r->img0.id) != BO_OK) {
            return false; /* unreadable: installing over it is the safe side */
        }
        r->know = K_ID;
    }
    return memcmp(img1->id, r->img0.id, sizeof img1->id) == 0;
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
        rc = bo_boot_install(r->cfg, img1);
    }
    if (rc == BO_ERR_VERIFY) {
        r->res->slot1_status = rc; /* slot 1 kept: the copy is retried at the next boot */
        r->st0 = rc;               /* and the bad copy never runs */
        r->know = K_AUTH;
        return BO_OK;
    }
    if (rc == BO_OK && r->journal) {
        rc = set_state(r, BO_BOOT_ST_IDLE | BO_BOOT_ST_CHECKED, floor);
    }
    if (rc == BO_OK) {
        rc = bo_boot_retire(r->cfg);
    }
    if (rc == BO_OK) {
        slot0_is(r, img1);
    }
    return rc;
}

/* Trial install: swap, so that the old image can come back (proven by its hash). */
static int swap_install(run_t *r, const bo_boot_image_t *img1, uint32_t k, uint32_t floor)
{
    int rc = bo_boot_st_reserve(r->cfg, &r->st, RESERVE_RECORDS);
    if (rc == BO_OK) {
        r->st.floor = floor; /* recorded with SWAPPING: slot 0 stops being its source */
        rc = bo_boot_swap_begin(r->cfg, &r->st, k, BO_MD_SIZE + r->img0.fw_len);
    }
    if (rc == BO_OK) {
        rc = bo_boot_swap_continue(r->cfg, &r->st, img1);
    }
    if (rc == BO_OK) {
        slot0_is(r, img1);
    }
    return rc;
}

/* Slot 1 is authentic: refuse it (floor), recognise it (already running), or install it. */
static int take_slot1(run_t *r, const bo_boot_image_t *img1)
{
    const bo_boot_cfg_t *cfg = r->cfg;
    int rc = BO_OK;
    if (r->st.state == BO_BOOT_ST_TRIAL_READY) {
        /* slot 1 was rewritten (serial DFU) after a swap: its saved copy is gone */
        r->res->revert_lost = true;
        rc = set_state(r, BO_BOOT_ST_IDLE, r->st.floor);
    }
    int st0 = slot0(r, K_HEADER);
    if (rc == BO_OK && fatal(st0)) {
        rc = st0;
    }
    if (rc != BO_OK) {
        return rc;
    }
    uint32_t floor = floor_now(r);
    if (!cfg->allow_downgrade && img1->version < floor) {
        r->res->slot1_status = BO_ERR_ROLLBACK;
        return bo_boot_retire(cfg); /* refused once, not re-verified at every boot */
    }
    if (st0 == BO_OK && same_image(r, img1)) {
        r->res->current = true; /* the same signed image: nothing to copy */
        return bo_boot_retire(cfg);
    }
    uint32_t k = bo_boot_pages(cfg->flash, BO_MD_SIZE + max_u32(r->img0.fw_len, img1->fw_len));
    bool trial = r->journal && (img1->flags & BO_MD_FLAG_TRIAL) != 0u && st0 == BO_OK &&
                 k <= bo_boot_swap_max_pages(cfg);
    return trial ? swap_install(r, img1, k, floor) : copy_install(r, img1, floor);
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
        return set_state(r, BO_BOOT_ST_IDLE, r->st.floor); /* slot 0 decides alone, unproven */
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
        rc = bo_boot_swap_continue(r->cfg, &r->st, NULL);
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

/* Sets up r and recovers: the start of both entry points (one copy when both are linked). */
BO_BOOT_NOINLINE static int init_recover(run_t *r, const bo_boot_cfg_t *cfg, bo_boot_result_t *res)
{
    if (res == NULL || cfg == NULL || cfg->flash == NULL || cfg->flash->read == NULL) {
        return BO_ERR_ARG;
    }
    memset(res, 0, sizeof *res);
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->res = res;
    r->journal = bo_boot_journal(cfg);
    res->action = BO_BOOT_NO_IMAGE;
    res->slot0_status = BO_ERR_NOTFOUND;
    return recover(r);
}

int bo_boot_recover(const bo_boot_cfg_t *cfg, bo_boot_result_t *res)
{
    run_t r;
    return init_recover(&r, cfg, res);
}

/* Slot 0 runs: on trial if it was just swapped in; otherwise a first good boot, or the first
 * one that proved it, records it (the floor raised to its version, the slot vouched for). */
static int start_slot0(run_t *r)
{
    bo_boot_result_t *res = r->res;
    int rc = BO_OK;
    if (r->journal && r->st.state == BO_BOOT_ST_TRIAL_READY) {
        rc = set_state(r, BO_BOOT_ST_TRIAL, r->st.floor);
        res->trial = rc == BO_OK;
    } else if (r->journal && (!vouched(r) || r->img0.version > r->st.floor)) {
        rc = set_state(r, BO_BOOT_ST_IDLE | BO_BOOT_ST_CHECKED,
                       max_u32(r->img0.version, r->st.floor));
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
    bo_boot_image_t img1; /* filled when slot 1 authenticates, only read then */
    int rc = init_recover(&r, cfg, res);
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
    int st0 = slot0(&r, cfg->slot0_check == BO_BOOT_CHECK_AFTER_INSTALL ? K_HEADER : K_AUTH);
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
