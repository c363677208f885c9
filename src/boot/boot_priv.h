/* Internal to src/boot: shared helpers of the authenticate / install / run files. */
#ifndef BO_BOOT_PRIV_H
#define BO_BOOT_PRIV_H

#include <stdint.h>
#include "bleota/boot.h"
#include "bleota/crypto.h"

#ifndef BO_BOOT_CHUNK
#define BO_BOOT_CHUNK 256u /* bytes per flash read/copy step (stack) */
#endif

/* Keeps a big local buffer in its own frame instead of the caller's (stack peak, not speed). */
#if defined(__GNUC__)
#define BO_BOOT_NOINLINE __attribute__((noinline))
#else
#define BO_BOOT_NOINLINE
#endif

/* Flash calls, with any port return other than 0 or a bo_err_t folded into BO_ERR_IO. */
int bo_boot_read(const bo_flash_t *f, uint32_t addr, void *buf, uint32_t len);
int bo_boot_prog(const bo_flash_t *f, uint32_t addr, const void *buf, uint32_t len);
int bo_boot_erase_pages(const bo_flash_t *f, uint32_t addr, uint32_t pages);

/* SHA-256 of len flash bytes from addr. BO_OK or a flash error. */
int bo_boot_digest(const bo_flash_t *f, uint32_t addr, uint32_t len, uint8_t out[BO_SHA256_SIZE]);

/* Copies slot 1's first len bytes into slot 0 (erase, copy, commit unit last, hash compare).
 * BO_OK, BO_ERR_VERIFY when the copy differs, or a flash error. */
int bo_boot_install(const bo_boot_cfg_t *cfg, uint32_t len);

/* Retires slot 1 after an install or a refusal: the resume pages, then its header page (the
 * application erases the rest in idle time). BO_OK or a flash error. */
int bo_boot_retire(const bo_boot_cfg_t *cfg);

/* ---- Status page (boot_status.c) ----------------------------------------------------------- */
#define BO_BOOT_REC_MAX 64u /* largest program unit with a status page */

typedef struct {
    bo_boot_state_t state;
    uint16_t epoch; /* which swap the trial states belong to (the progress header says too) */
    uint32_t seq;
    uint32_t floor;
    uint32_t next; /* first never-programmed record */
    bool have;     /* a valid record was found */
} bo_boot_st_t;

bool bo_boot_journal(const bo_boot_cfg_t *cfg);
uint32_t bo_boot_rec_size(const bo_flash_t *f);
int bo_boot_st_read(const bo_boot_cfg_t *cfg, bo_boot_st_t *st);
uint32_t bo_boot_st_free(const bo_boot_cfg_t *cfg, const bo_boot_st_t *st);
/* Compacts the page when fewer than `records` are free (bootloader only). */
int bo_boot_st_reserve(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, uint32_t records);
int bo_boot_st_write(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, bo_boot_state_t state,
                     uint16_t epoch, uint32_t floor);

/* ---- Trial swap and revert (boot_swap.c) ---------------------------------------------------- */
/* Most pages a swap can move with this layout (0: no trial installs). */
uint32_t bo_boot_swap_max_pages(const bo_boot_cfg_t *cfg);
/* Retires the download log, writes the progress header (k pages, old image of o_len bytes
 * hashed), then the SWAPPING record. */
int bo_boot_swap_begin(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, uint32_t k, uint32_t o_len);
/* Runs (or resumes) the swap to its end: TRIAL_READY. BO_ERR_NOTFOUND: no progress header of
 * this epoch (the state is stale). */
int bo_boot_swap_continue(const bo_boot_cfg_t *cfg, bo_boot_st_t *st);
/* Copies the saved old image back, proven by its hash: IDLE. *lost when the copy is gone
 * (then IDLE at once, slot 0 untouched). */
int bo_boot_revert(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, bool *lost);

static inline uint32_t bo_boot_slot_addr(const bo_boot_cfg_t *cfg, int slot)
{
    return slot == 0 ? cfg->layout.slot0 : cfg->layout.slot1;
}

static inline uint32_t bo_boot_pages(const bo_flash_t *f, uint32_t len)
{
    return (len + f->page_size - 1u) / f->page_size;
}

#endif
