/* Trial install by swap, and revert.
 *
 * Slot 1 holds the new image N in pages 0..k-1, slot 0 the old image O. The swap runs from the
 * top page down and leaves N in slot 0 and O one page up in slot 1 (pages 1..k; page k is the
 * first page past the larger image: a free slot-1 page or the first resume-log page), so the
 * old image stays whole for a revert without a scratch page taking one erase per page:
 *   step i = k-1 .. 0:  (a) erase slot1[i+1]   (it held N[i+1], already in slot 0)
 *                       (b) copy slot0[i] -> slot1[i+1], verified; record SAVED(i)
 *                       (c) erase slot0[i]
 *                       (d) copy slot1[i] -> slot0[i], verified;   record PLACED(i)
 * then slot1[0] (N's header) is erased and the status page says TRIAL_READY. Every page of
 * either slot is erased once per swap. The progress records go to a log page of the resume
 * area (the download they described is complete), after a header that records k, the epoch
 * and the SHA-256 of O: a revert is proven by that hash, without a second signature check.
 * Resuming from the newest record: none -> step k-1 (a); SAVED(i) -> (c); PLACED(i) -> step
 * i-1 (a). Each resumed step only rewrites pages whose source is still intact.
 * A record slot that is not blank is never reused (a torn record, foreign bytes). When none is
 * left, the progress moves to the other progress page (log page 1 <-> the relocation spare,
 * both spent during a swap): erase it, write the new record, then the header with the next
 * generation. Until that header is whole the full page still holds the truth. */
#include <string.h>

#include "bleota/crc32.h"
#include "bleota/endian.h"
#include "boot_priv.h"

#define HDR_MAGIC 0x57534F42u /* "BOSW" */
#define HDR_SIZE 64u
#define PROG_MAGIC 0xB6u
#define SAVED 1u
#define PLACED 2u

enum { H_MAGIC = 0, H_VER = 4, H_GEN = 5, H_K = 6, H_EPOCH = 8, H_OLEN = 12, H_DIGEST = 16,
       H_CRC = 60 };

/* A progress header, kept as its bytes on flash (read and written without a decoded copy). */
typedef struct {
    uint32_t at;         /* the progress page this header heads */
    uint8_t b[HDR_SIZE]; /* H_GEN is bumped each time the progress moves to the other page */
} swap_hdr_t;

static uint32_t hdr_k(const swap_hdr_t *h)
{
    return bo_get_le16(h->b + H_K);
}

static uint16_t hdr_epoch(const swap_hdr_t *h)
{
    return bo_get_le16(h->b + H_EPOCH);
}

static uint32_t hdr_o_len(const swap_hdr_t *h)
{
    return bo_get_le32(h->b + H_OLEN);
}

static uint32_t ps(const bo_boot_cfg_t *cfg)
{
    return cfg->flash->page_size;
}

/* The two progress pages: log page 1, then the relocation spare (both spent during a swap). */
static uint32_t progress_addr(const bo_boot_cfg_t *cfg, uint32_t which)
{
    return which == 0u ? cfg->layout.resume_addr + ps(cfg)
                       : bo_layout_spare_addr(&cfg->layout, ps(cfg));
}

/* The header is whole program units: 64 bytes, as every unit divides 64 (bo_boot_journal). */
_Static_assert(HDR_SIZE == BO_BOOT_REC_MAX, "the swap header is one largest program unit");

uint32_t bo_boot_swap_max_pages(const bo_boot_cfg_t *cfg)
{
    const bo_flash_t *f = cfg->flash;
    if (!bo_boot_journal(cfg) || cfg->layout.resume_addr <= cfg->layout.slot1) {
        return 0;
    }
    /* page k (the hole) must be at most the first log page; two records per step */
    uint32_t by_map = (cfg->layout.resume_addr - cfg->layout.slot1) / f->page_size;
    /* two records per step, and room for torn ones: a torn record is never reused, and a
     * swap that runs out of records could not go on */
    uint32_t slots = (f->page_size - HDR_SIZE) / bo_boot_rec_size(f);
    uint32_t by_log = slots > BO_BOOT_TORN_SPARE ? (slots - BO_BOOT_TORN_SPARE) / 2u : 0u;
    return by_map < by_log ? by_map : by_log;
}

/* Erases a page unless it already reads blank (an erase stalls a single-bank CPU). */
static int erase_page(const bo_boot_cfg_t *cfg, uint32_t addr)
{
    uint8_t buf[BO_BOOT_CHUNK];
    for (uint32_t off = 0; off < ps(cfg); off += sizeof buf) {
        int rc = bo_boot_read(cfg->flash, addr + off, buf, sizeof buf);
        if (rc != BO_OK) {
            return rc;
        }
        if (!bo_boot_blank(buf, sizeof buf)) {
            return bo_boot_erase_pages(cfg->flash, addr, 1);
        }
    }
    return BO_OK;
}

static int copy_page(const bo_boot_cfg_t *cfg, uint32_t to, uint32_t from)
{
    return bo_boot_copy(cfg->flash, to, from, ps(cfg));
}

/* Page `to` erased (unless blank already), then a copy of page `from`. */
static int refill_page(const bo_boot_cfg_t *cfg, uint32_t to, uint32_t from)
{
    int rc = erase_page(cfg, to);
    return rc == BO_OK ? copy_page(cfg, to, from) : rc;
}

/* Marks and seals the header h and writes it at h->at (64 bytes: whole program units). */
static int write_hdr(const bo_boot_cfg_t *cfg, swap_hdr_t *h)
{
    bo_put_le32(h->b + H_MAGIC, HDR_MAGIC);
    h->b[H_VER] = 1u;
    bo_boot_seal(h->b, H_CRC);
    return bo_boot_write(cfg->flash, h->at, h->b, HDR_SIZE);
}

static int read_hdr_at(const bo_boot_cfg_t *cfg, uint32_t at, swap_hdr_t *h)
{
    const uint8_t *b = h->b;
    int rc = bo_boot_read(cfg->flash, at, h->b, HDR_SIZE);
    if (rc != BO_OK) {
        return rc;
    }
    h->at = at;
    uint32_t k = hdr_k(h), o_len = hdr_o_len(h);
    if (!bo_boot_sealed(b, (uint8_t)HDR_MAGIC, H_CRC) || bo_get_le32(b + H_MAGIC) != HDR_MAGIC ||
        b[H_VER] != 1u || k == 0u || k > bo_boot_swap_max_pages(cfg) || o_len == 0u ||
        o_len > k * ps(cfg)) {
        return BO_ERR_NOTFOUND;
    }
    return BO_OK;
}

/* The header of this epoch's swap with the newest generation, on either progress page (so the
 * callers' records keep st->epoch: it is the header's). */
static int read_hdr(const bo_boot_cfg_t *cfg, uint16_t epoch, swap_hdr_t *h)
{
    swap_hdr_t other;
    int rc = read_hdr_at(cfg, progress_addr(cfg, 0), h);
    int rc1 = read_hdr_at(cfg, progress_addr(cfg, 1), &other);
    if (rc == BO_ERR_IO || rc1 == BO_ERR_IO) {
        return BO_ERR_IO;
    }
    bool ok0 = rc == BO_OK && hdr_epoch(h) == epoch;
    bool ok1 = rc1 == BO_OK && hdr_epoch(&other) == epoch;
    if (ok1 && (!ok0 || (int8_t)(uint8_t)(other.b[H_GEN] - h->b[H_GEN]) > 0)) {
        *h = other;
        return BO_OK;
    }
    return ok0 ? BO_OK : BO_ERR_NOTFOUND;
}

/* Where a swap stands: the half steps left, two per page from the top (see
 * bo_boot_swap_continue). */
typedef struct {
    const swap_hdr_t *h;
    uint32_t left;
} progress_t;

/* Keeps the last valid progress record of this swap. */
static void take_progress(void *ctx, const uint8_t *r)
{
    progress_t *p = ctx;
    if (bo_boot_sealed(r, PROG_MAGIC, 12) && (r[1] == SAVED || r[1] == PLACED) &&
        bo_get_le16(r + 4) == hdr_epoch(p->h) && bo_get_le16(r + 2) < hdr_k(p->h)) {
        p->left = 2u * bo_get_le16(r + 2) + (r[1] == SAVED ? 1u : 0u);
    }
}

/* Half steps left after the newest progress record (all of them without one); *next = first
 * never-programmed slot. */
static int read_progress(const bo_boot_cfg_t *cfg, progress_t *p, uint32_t *next)
{
    const bo_flash_t *f = cfg->flash;
    uint32_t base = p->h->at;
    p->left = 2u * hdr_k(p->h);
    return bo_boot_scan(f, base + HDR_SIZE, base + ps(cfg), bo_boot_rec_size(f), take_progress,
                        p, next);
}

static int write_progress(const bo_boot_cfg_t *cfg, swap_hdr_t *h, uint32_t *next, uint32_t kind,
                          uint32_t step)
{
    const bo_flash_t *f = cfg->flash;
    uint32_t rs = bo_boot_rec_size(f);
    uint8_t r[BO_BOOT_REC_MAX];
    memset(r, 0, rs);
    r[0] = PROG_MAGIC;
    r[1] = (uint8_t)kind;
    bo_put_le16(r + 2, (uint16_t)step);
    bo_put_le16(r + 4, hdr_epoch(h));
    bo_boot_seal(r, 12);
    if (*next + rs <= h->at + ps(cfg)) {
        uint32_t at = *next;
        *next += rs;
        return bo_boot_write(f, at, r, rs);
    }
    /* full: record first, header last on the other page */
    uint32_t to = h->at == progress_addr(cfg, 0) ? progress_addr(cfg, 1) : progress_addr(cfg, 0);
    int rc = erase_page(cfg, to);
    if (rc == BO_OK) {
        rc = bo_boot_write(f, to + HDR_SIZE, r, rs);
    }
    if (rc == BO_OK) {
        h->b[H_GEN]++;
        h->at = to;
        *next = to + HDR_SIZE + rs;
        rc = write_hdr(cfg, h);
    }
    return rc;
}

int bo_boot_swap_begin(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, uint32_t k, uint32_t o_len)
{
    const bo_flash_t *f = cfg->flash;
    swap_hdr_t h;
    uint16_t epoch = (uint16_t)(st->seq + 1u);
    memset(h.b, 0, sizeof h.b); /* generation 0; magic and version: write_hdr */
    bo_put_le16(h.b + H_K, (uint16_t)k);
    bo_put_le16(h.b + H_EPOCH, epoch);
    bo_put_le32(h.b + H_OLEN, o_len);
    h.at = progress_addr(cfg, 0);
    int rc = bo_boot_digest(f, cfg->layout.slot0, o_len, h.b + H_DIGEST);
    /* The download log is spent: retire every log page and the spare (no resume over the
     * swap; the spare is the second progress page). */
    for (uint32_t pg = 0; rc == BO_OK && pg + 1u < cfg->layout.resume_pages; pg++) {
        rc = erase_page(cfg, cfg->layout.resume_addr + pg * ps(cfg));
    }
    if (rc == BO_OK) {
        rc = write_hdr(cfg, &h);
    }
    /* From this record on, every boot finishes the swap before anything else. */
    return rc == BO_OK ? bo_boot_st_write(cfg, st, BO_BOOT_ST_SWAPPING, epoch, st->floor) : rc;
}

static uint32_t s0(const bo_boot_cfg_t *cfg, uint32_t i)
{
    return cfg->layout.slot0 + i * ps(cfg);
}

static uint32_t s1(const bo_boot_cfg_t *cfg, uint32_t i)
{
    return cfg->layout.slot1 + i * ps(cfg);
}

int bo_boot_swap_continue(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, const bo_boot_image_t *img)
{
    swap_hdr_t h;
    progress_t pr = {&h, 0};
    uint32_t next;
    int rc = read_hdr(cfg, st->epoch, &h);
    if (rc == BO_OK) {
        rc = read_progress(cfg, &pr, &next);
    }
    if (rc != BO_OK) {
        return rc;
    }
    /* Half steps left, two per page from the top: odd n saves page n / 2 ((a), (b), SAVED),
     * even n places it ((c), (d), PLACED). */
    uint32_t n = pr.left;
    while (rc == BO_OK && n > 0u) {
        n--;
        uint32_t p = n / 2u;
        if ((n & 1u) != 0u) {
            rc = refill_page(cfg, s1(cfg, p + 1u), s0(cfg, p));
        } else {
            rc = bo_boot_erase_pages(cfg->flash, s0(cfg, p), 1);
            if (rc == BO_OK) {
                rc = copy_page(cfg, s0(cfg, p), s1(cfg, p));
            }
        }
        if (rc == BO_OK) {
            rc = write_progress(cfg, &h, &next, (n & 1u) != 0u ? SAVED : PLACED, p);
        }
    }
    /* Each page was read back; one hash proves slot 0 holds what slot 1's authentication
     * covered (resumed after a reset, the boot authenticates slot 0 instead). Then slot 1 no
     * longer holds an image, and the state moves on. */
    if (rc == BO_OK && img != NULL) {
        rc = bo_boot_verify_slot0(cfg, img);
    }
    if (rc == BO_OK) {
        rc = erase_page(cfg, s1(cfg, 0));
    }
    return rc == BO_OK ? bo_boot_st_write(cfg, st, BO_BOOT_ST_TRIAL_READY, st->epoch, st->floor)
                       : rc;
}

/* BO_OK when the len bytes at addr hash to the saved old image's digest, else `differs` (or a
 * flash error). */
static int check_old(const bo_boot_cfg_t *cfg, const swap_hdr_t *h, uint32_t addr, int differs)
{
    uint8_t d[BO_SHA256_SIZE];
    int rc = bo_boot_digest(cfg->flash, addr, hdr_o_len(h), d);
    return rc == BO_OK && memcmp(d, h->b + H_DIGEST, sizeof d) != 0 ? differs : rc;
}

int bo_boot_revert(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, bool *lost)
{
    swap_hdr_t h;
    /* byte for byte the image a swap only ever saves once it is proven (boot_run.c) */
    uint32_t done = BO_BOOT_ST_IDLE | BO_BOOT_ST_CHECKED;
    int rc = read_hdr(cfg, st->epoch, &h);
    /* the saved copy must be exactly the old image: slot 1 may have been rewritten since */
    if (rc == BO_OK) {
        rc = check_old(cfg, &h, s1(cfg, 1), BO_ERR_NOTFOUND);
    }
    bool started = st->state == BO_BOOT_ST_REVERTING; /* slot 0 may be half rewritten */
    *lost = rc == BO_ERR_NOTFOUND || (rc == BO_ERR_IO && !started);
    if (*lost) { /* nothing to go back to: keep what runs (proven unless half rewritten), forget
                  * the trial */
        rc = BO_OK;
        done = started ? BO_BOOT_ST_IDLE : done;
    } else {
        if (rc == BO_OK && !started) {
            rc = bo_boot_st_write(cfg, st, BO_BOOT_ST_REVERTING, st->epoch, st->floor);
        }
        for (uint32_t i = 0; rc == BO_OK && i * ps(cfg) < hdr_o_len(&h); i++) {
            rc = refill_page(cfg, s0(cfg, i), s1(cfg, i + 1u));
        }
        if (rc == BO_OK) {
            rc = check_old(cfg, &h, cfg->layout.slot0, BO_ERR_VERIFY);
        }
    }
    return rc == BO_OK ? bo_boot_st_write(cfg, st, done, st->epoch, st->floor) : rc;
}
