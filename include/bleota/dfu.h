/* bleota dfu: writes an incoming image into the download slot, for BLE OTA and serial DFU.
 *
 * Contract (power-fail safe by construction):
 * - Pages are erased just before their first write (progressive erase), never the whole slot;
 *   a page that already reads blank (all 0xFF) is not erased again. dfu never programs a unit
 *   that is all 0xFF, so on slot 1 "reads blank" means "erased" (ECC flashes included), and the
 *   read-back of every programmed unit catches a page that only looked blank.
 * - Idle clean-up (bo_dfu_idle_erase): between downloads the application erases what is left
 *   of the slot, so the next download finds it blank and waits for no erase.
 * - Bytes are buffered to the flash program unit; every programmed unit is read back.
 * - The first program unit of the slot (the commit marker: fillers + identifier of the metadata
 *   header) is held back and programmed last, by bo_dfu_finish(). Until then the slot is
 *   structurally invalid for the bootloader, so a cut at any moment leaves either an ignored
 *   slot or a complete one.
 * - Resume: bo_dfu_checkpoint() persists {image identity, bytes programmed, a 16-byte cursor the
 *   caller needs to continue (e.g. the last ciphertext block)} in the resume pages of the layout.
 *   bo_dfu_start() with the same identity and size continues from there.
 * The caller owns bo_dfu_t; no heap, no globals. */
#ifndef BLEOTA_DFU_H
#define BLEOTA_DFU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bleota/err.h"
#include "bleota/port.h"

#ifndef BO_DFU_UNIT_MAX
#define BO_DFU_UNIT_MAX 16u /* largest program unit supported (bytes of RAM buffer) */
#endif

#define BO_DFU_ID_SIZE 16u
#define BO_DFU_CURSOR_SIZE 16u
/* Bytes held back at the start of the slot and programmed last by bo_dfu_finish(): the
 * fillers + identifier of the metadata header. */
#define BO_DFU_HEAD_SIZE 16u
/* One resume-log entry in flash (docs/dfu.md): a multiple of every supported program unit. */
#define BO_DFU_LOG_ENTRY_SIZE 80u
/* Valid sequence numbers are 1 .. BO_DFU_LOG_SEQ_MAX - 1. An entry outside (foreign or corrupt
 * flash that happens to pass the CRC) is ignored, so the plain "highest wins" comparison can
 * never be defeated by a wrap. Flash endurance keeps a real log far below it (each page erase
 * carries at most 51 entries); should it ever be reached, the log restarts at 1 after erasing
 * every log page. */
#define BO_DFU_LOG_SEQ_MAX 0x10000000u

typedef struct bo_dfu_resume {
    uint32_t offset;                        /* bytes already stored; continue sending from here */
    uint8_t cursor[BO_DFU_CURSOR_SIZE];     /* what the caller checkpointed with that offset */
    uint32_t aux;                           /* the caller's word checkpointed with it (dfu.aux) */
} bo_dfu_resume_t;

typedef enum {
    BO_DFU_IDLE = 0,    /* nothing configured */
    BO_DFU_CONFIGURED,  /* size known, not started */
    BO_DFU_RECEIVING,   /* started, bytes flowing */
    BO_DFU_DONE,        /* finished: committed */
} bo_dfu_state_t;

typedef struct bo_dfu {
    /* set by bo_dfu_init */
    const bo_flash_t *flash;
    bo_layout_t layout;
    /* session */
    bo_dfu_state_t state;
    uint32_t size;          /* configured image size (with the id, what a record resumes) */
    uint32_t length;        /* bytes this download writes: size, unless bo_dfu_set_length */
    uint32_t aux;           /* the caller's word, stored with each checkpoint (a patch's
                               input offset: the output offset is `offset`) */
    uint32_t offset;        /* bytes accepted so far */
    uint32_t erased_end;    /* slot offset up to which pages are erased for this download */
    uint8_t id[BO_DFU_ID_SIZE];
    bool have_id;           /* resume enabled for this download */
    uint8_t head[BO_DFU_UNIT_MAX]; /* the held-back first program unit (commit marker) */
    uint8_t unit[BO_DFU_UNIT_MAX]; /* partial program unit being assembled */
    uint32_t unit_fill;
    /* resume record log position (private to dfu) */
    uint32_t rec_seq;
    uint32_t rec_addr;
    /* added (private to dfu) */
    bool rec_live;          /* the log's newest entry is a record of some download (not cleared) */
    /* idle clean-up (bo_dfu_idle_erase) */
    uint8_t clean;       /* 0 not looked at, 1 cleaning from clean_next, 2 clean */
    uint32_t clean_next; /* slot offset of the next page to look at */
    /* staging (bo_dfu_set_stage): received bytes [stage_base, offset) not yet programmed */
    uint8_t *stage;
    uint32_t stage_size;
    uint32_t stage_base;
} bo_dfu_t;

/* Binds the writer to a flash and layout. Checks the geometry (slot and resume pages aligned to
 * pages, prog_unit <= BO_DFU_UNIT_MAX and a power of two). BO_ERR_ARG otherwise.
 * Also BO_ERR_ARG: page_size not a multiple of prog_unit or < 16; [slot1, slot1 + dl_limit)
 * not inside the flash or dl_limit > slot_size; when resume_addr != 0: fewer than 4 resume
 * pages (at least 2 for the log, 1 spare for relocations, 1 boot status page), page_size <=
 * BO_DFU_LOG_ENTRY_SIZE, resume pages outside the flash or overlapping the download area.
 * Touches no flash. Afterwards the state is BO_DFU_IDLE. */
int bo_dfu_init(bo_dfu_t *dfu, const bo_flash_t *flash, const bo_layout_t *layout);

/* Sets the image size. Reference limits: BO_ERR_RANGE for 0 or > layout.dl_limit, BO_ERR_ALIGN
 * if not a multiple of 16 (and of prog_unit). BO_ERR_BUSY while receiving.
 * Allowed from IDLE, CONFIGURED and DONE; returns BO_OK and the state becomes CONFIGURED. */
int bo_dfu_configure(bo_dfu_t *dfu, uint32_t size);

/* Starts writing at slot offset 0, or resumes.
 * id: identity of the image (e.g. a digest of the Update Request), or NULL to disable resume.
 * resume: if non-NULL and a valid record for (id, size) exists, the download continues: *resume
 *         gets the offset and cursor and the writer expects bytes from that offset. Otherwise
 *         resume->offset = 0 and any old record is discarded.
 * BO_ERR_STATE if not configured. A resume may first repair the page holding the resume
 * point (flash work, power-cut safe); flash errors are returned as from bo_dfu_write. Before a
 * fresh start overwrites the slot, any old record is invalidated in the log.
 * BO_OK: state RECEIVING. */
int bo_dfu_start(bo_dfu_t *dfu, const uint8_t id[BO_DFU_ID_SIZE], bo_dfu_resume_t *resume);

/* Appends len bytes (any length). BO_ERR_RANGE past the configured size, BO_ERR_STATE when not
 * receiving, BO_ERR_IO / BO_ERR_VERIFY from flash (the download must then be aborted).
 * BO_ERR_RANGE consumes nothing. After any flash error (IO, VERIFY, POWER...) the writer is
 * IDLE: every later call but abort/configure/read/resume_clear gets BO_ERR_STATE. */
int bo_dfu_write(bo_dfu_t *dfu, const void *data, size_t len);

/* A download that writes another number of bytes than the configured size (a delta patch of
 * `size` bytes rebuilding an image of `length`): from now on writes stop at `length` and
 * bo_dfu_finish wants exactly it; records keep `size` (the identity) and `length`. While
 * receiving, length >= the bytes written; the same limits as bo_dfu_configure. */
int bo_dfu_set_length(bo_dfu_t *dfu, uint32_t length);

/* Staging: with a caller-owned buffer of at least one flash page (size a multiple of
 * prog_unit; NULL or 0 turns it off), bo_dfu_write keeps the bytes of the current page in RAM
 * and programs them when the write position reaches the page end, or on bo_dfu_checkpoint /
 * bo_dfu_finish. Meanwhile the page can be erased ahead (bo_dfu_erase_ahead) on a flash that
 * works beside the CPU, so reception never waits for an erase. Staged bytes are not in flash:
 * a power cut loses them like bytes never received (checkpoints flush first), bo_dfu_read
 * reads them as flash holds them, bo_dfu_read_received as received. Flash errors of the
 * programming come from the call that flushes. BO_ERR_ARG for a buffer smaller than a page or
 * a size not a multiple of prog_unit, BO_ERR_BUSY while receiving. */
int bo_dfu_set_stage(bo_dfu_t *dfu, uint8_t *buf, uint32_t size);

/* Erase ahead: erases the next page of the slot not yet erased for this download, if it starts
 * before P + ahead bytes (P: the programmed position; staged bytes do not count) and inside the
 * configured size, so an idle device erases while
 * the link delivers instead of stalling the link at the page boundary. At most one page per
 * call. Returns 1 when a page was erased, 0 when nothing was due (idempotent: also when not
 * receiving), or a flash error (the writer is then IDLE, as after bo_dfu_write).
 * Power-cut safe: pages past the write position are re-erased after a resume (a resume point
 * needs its page blank after it; later pages are always erased again before use). */
int bo_dfu_erase_ahead(bo_dfu_t *dfu, uint32_t ahead);

/* Idle clean-up of the download slot, one step per call, for when no download runs (state IDLE
 * or DONE; a DONE slot is given up: the caller must not need it, e.g. it failed validation).
 * Skipped entirely while the resume log holds a record (a download that may continue). Pages
 * [0, dl_limit) of the slot that do not read blank are erased, page 0 (the header) first, so the
 * slot is structurally empty from the first erase on: a cut at any point leaves a slot the
 * bootloader ignores. Each call erases at most one page and blank-checks at most
 * BO_DFU_IDLE_SCAN_PAGES. Returns 1 when it did something (call again), 0 when the slot is
 * clean or a download runs, or a flash error (the next call tries again). A new bo_dfu_start
 * forgets the clean state. */
#ifndef BO_DFU_IDLE_SCAN_PAGES
#define BO_DFU_IDLE_SCAN_PAGES 8u
#endif
int bo_dfu_idle_erase(bo_dfu_t *dfu);

/* Persists progress: everything up to the last whole program unit is programmed; records
 * (id, that offset, cursor, length, dfu->aux). Needs the offset to be a multiple of the program unit
 * (BO_ERR_ALIGN otherwise) and a download started with an id (BO_ERR_STATE otherwise).
 * BO_ERR_UNSUPPORTED when the layout has no resume pages; BO_ERR_ARG for a NULL cursor;
 * flash errors as bo_dfu_write. One log entry (80 bytes: 5 programs of 16 B on BZ2) per call. */
int bo_dfu_checkpoint(bo_dfu_t *dfu, const uint8_t cursor[BO_DFU_CURSOR_SIZE]);

/* All bytes received: programs the commit marker, verifies it, clears the resume record.
 * BO_ERR_STATE before all bytes arrived. (The record is invalidated just before the marker is
 * programmed, so no cut can leave a committed slot with a live record.) BO_OK: state DONE. */
int bo_dfu_finish(bo_dfu_t *dfu);

/* Stops the download. Flash keeps what was written (commit marker absent, so the slot stays
 * invalid); the resume record is kept so the same image can continue later. */
void bo_dfu_abort(bo_dfu_t *dfu);

/* Reads back from the slot (offset relative to slot 1). The held-back unit reads 0xFF until
 * finished. BO_ERR_RANGE outside the slot. */
int bo_dfu_read(const bo_dfu_t *dfu, uint32_t offset, void *buf, size_t len);

/* Like bo_dfu_read, but while receiving the held-back first unit and staged bytes read as
 * received (from RAM),
 * so a caller can check the image header before the commit marker is programmed. Same
 * returns as bo_dfu_read. */
int bo_dfu_read_received(const bo_dfu_t *dfu, uint32_t offset, void *buf, size_t len);

/* Forgets any resume record (e.g. after the bootloader consumed slot 1). BO_OK (also when
 * there is none or resume is disabled), BO_ERR_STATE while receiving, flash errors. */
int bo_dfu_resume_clear(bo_dfu_t *dfu);

#endif
