/* dfu power-loss harness: a BZ2 flash model behind a recording wrapper, a realistic image, and
 * sessions that run a download with a power cut scheduled before a given operation. */
#ifndef DFU_PL_H
#define DFU_PL_H

#include <stdbool.h>
#include <stdint.h>

#include "dfu_test_util.h"

#define PL_IMG_SIZE (66u * 1024u) /* >= 64 KiB, last page partial */
#define PL_WINDOW 1024u
#define PL_CHUNK 244u /* one ATT write with MTU 247 */

typedef struct {
    char kind; /* 'E' erase, 'P' program */
    uint32_t addr;
} pl_op_t;

typedef struct {
    bo_nor_t nor;
    bo_flash_t flash; /* what dfu uses: forwards to nor, records ops when ops != NULL */
    pl_op_t *ops;     /* operations of the last dry run */
    uint32_t nops, cap;
    bool recording;
    bo_layout_t lay;
    uint8_t img[PL_IMG_SIZE], other[PL_IMG_SIZE];
    uint8_t id[BO_DFU_ID_SIZE], id2[BO_DFU_ID_SIZE];
    uint32_t failures;
    bool erase_ahead; /* sessions erase one page ahead after each write (idle-time erase) */
    bool stage;       /* sessions stage one page in RAM (bo_dfu_set_stage) */
    uint8_t stage_buf[4096];
} pl_t;

/* Sets up flash, layout, images (img and another one of the same size) and identities. */
int pl_init(pl_t *p);
void pl_free(pl_t *p);

/* Starting points: a factory-blank flash, or one holding an interrupted download of the other
 * image (dirty slot pages and a live resume record for id2). */
enum { PL_BLANK = 0, PL_DIRTY = 1 };
int pl_prepare(pl_t *p, int mode);

/* pl_prepare(mode), then a download of img without cuts, recording every operation into ops.
 * Returns the number of flash operations T (0 when the download failed). */
uint32_t pl_dry_run(pl_t *p, int mode);

/* One session on the flash as it is: cut (relative operation number, 0 = none) of the given
 * kind, then download (im, ident) with PL_WINDOW/PL_CHUNK. Returns tu_download's result. */
int pl_session(pl_t *p, const uint8_t *im, const uint8_t *ident, uint64_t cut,
               bo_nor_cut_kind_t kind, uint32_t seed, tu_run_t *r);

/* After a cut: reboots and checks the invariant (slot ignored or complete and identical to im,
 * no NOR rule broken). A failure is counted and printed with where (a replayable description
 * of the cut points). Returns the slot state (see tu_slot_state). */
int pl_reboot_and_check(pl_t *p, const uint8_t *im, const char *where);

/* init + configure + start only (what a resume does before data flows); *ops_used = flash
 * operations it took. */
int pl_start_only(pl_t *p, const uint8_t *ident, bo_dfu_resume_t *res, uint64_t *ops_used);

/* Appends k entries to the resume log (a short download of the other image checkpointed k-1
 * times, then cleared), so later entries fall on chosen log positions. */
int pl_prefill_log(pl_t *p, uint32_t k);

/* Counts and prints a failure unless cond holds. */
void pl_expect(pl_t *p, bool cond, const char *what, const char *where);

#endif
