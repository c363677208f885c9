/* Internal to src/boot: shared helpers of the authenticate / install / run files. */
#ifndef BO_BOOT_PRIV_H
#define BO_BOOT_PRIV_H

#include <stdint.h>
#include "bleota/boot.h"
#include "bleota/crypto.h"

#ifndef BO_BOOT_CHUNK
#define BO_BOOT_CHUNK 256u /* bytes per flash read/copy step (stack) */
#endif

/* Keeps a big local buffer in its own frame instead of the caller's (stack peak, not speed), or
 * one copy of code that LTO would otherwise inline into each of its callers (size). */
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

/* True when all n bytes read erased (0xFF). */
bool bo_boot_blank(const uint8_t *p, uint32_t n);

/* Writes n bytes (whole program units, at most BO_BOOT_CHUNK) onto erased flash and reads them
 * back: runs of blank units are left erased (never programmed), each run of data units is one
 * program call. BO_OK, BO_ERR_VERIFY when they read back different, or a flash error. */
int bo_boot_write(const bo_flash_t *f, uint32_t to, const uint8_t *buf, uint32_t n);

/* Hands each non-blank record of rs bytes (at most BO_BOOT_REC_MAX) in [base, end) to take, in
 * order; *next is the address after the last non-blank one (torn records are never reused).
 * BO_OK or a flash error. */
int bo_boot_scan(const bo_flash_t *f, uint32_t base, uint32_t end, uint32_t rs,
                 void (*take)(void *ctx, const uint8_t *rec), void *ctx, uint32_t *next);

/* bo_boot_write of len bytes read from flash at `from`, chunk by chunk. */
int bo_boot_copy(const bo_flash_t *f, uint32_t to, uint32_t from, uint32_t len);

/* Slot 0's header, trusted without a signature check (the status page vouches for the slot):
 * structure and size only; *info gets version, length, flags and a zero id. NOTFOUND, IO. */
int bo_boot_header(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info);

/* The identity (bo_boot_image_t.id) of the image of fw_len bytes in a slot, by hashing it:
 * what bo_boot_authenticate computes, without a signature check. BO_OK or a flash error. */
int bo_boot_image_id(const bo_boot_cfg_t *cfg, int slot, uint32_t fw_len,
                     uint8_t id[BO_SHA256_SIZE]);

/* Proves that slot 0 now holds the authenticated image img: its identity hashed from slot 0
 * equals img->id. BO_OK, BO_ERR_VERIFY, or a flash error. */
int bo_boot_verify_slot0(const bo_boot_cfg_t *cfg, const bo_boot_image_t *img);

/* Installs the authenticated slot 1 image img into slot 0: erase, copy (first program unit
 * last, every chunk read back), then bo_boot_verify_slot0. Slot 1 is not read a second time
 * for an "already equal?" check and slot 0 is not authenticated again: one hash of slot 0
 * proves the copy. BO_OK, BO_ERR_VERIFY when the copy differs, or a flash error. */
int bo_boot_install(const bo_boot_cfg_t *cfg, const bo_boot_image_t *img);

/* Retires slot 1 after an install or a refusal: the resume pages, then its header page (the
 * application erases the rest in idle time). BO_OK or a flash error. */
int bo_boot_retire(const bo_boot_cfg_t *cfg);

/* Records on flash (status, swap progress and its header) end their first n bytes with their
 * CRC-32, little-endian at n. seal stores it; sealed checks it and the magic byte at 0. */
void bo_boot_seal(uint8_t *r, uint32_t n);
bool bo_boot_sealed(const uint8_t *r, uint8_t magic, uint32_t n);

/* ---- Status page (boot_status.c) ----------------------------------------------------------- */
#define BO_BOOT_REC_MAX 64u
/* Progress-record slots a trial swap keeps free for torn records (cuts during a record write);
 * a swap of more pages than this allows installs by copy instead (docs/bootloader.md). */
#define BO_BOOT_TORN_SPARE 16u /* largest program unit with a status page */

/* Flag of a status record's state byte: slot 0 is proven since it was last written
 * (authenticated, installed from an authenticated slot 1 and verified by hash, or restored by a
 * revert proven by its SHA-256). BO_BOOT_CHECK_AFTER_INSTALL trusts an IDLE record with it. */
#define BO_BOOT_ST_CHECKED 0x80u

typedef struct {
    bo_boot_state_t state;
    bool checked;   /* BO_BOOT_ST_CHECKED was set in the newest record */
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
/* state: a bo_boot_state_t, or'ed with BO_BOOT_ST_CHECKED when slot 0 is proven. */
int bo_boot_st_write(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, uint32_t state, uint16_t epoch,
                     uint32_t floor);

/* ---- Trial swap and revert (boot_swap.c) ---------------------------------------------------- */
/* Most pages a swap can move with this layout (0: no trial installs). */
uint32_t bo_boot_swap_max_pages(const bo_boot_cfg_t *cfg);
/* Retires the download log, writes the progress header (k pages, old image of o_len bytes
 * hashed), then the SWAPPING record. */
int bo_boot_swap_begin(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, uint32_t k, uint32_t o_len);
/* Runs (or resumes) the swap to its end: TRIAL_READY. With the authenticated new image (img,
 * NULL when resuming after a reset) slot 0 is verified by hash before slot 1's header page
 * goes. BO_ERR_NOTFOUND: no progress header of this epoch (the state is stale). */
int bo_boot_swap_continue(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, const bo_boot_image_t *img);
/* Copies the saved old image back, proven by its hash: IDLE (checked). *lost when the copy is
 * gone (then IDLE at once). */
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
