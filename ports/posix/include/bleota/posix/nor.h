/* bleota posix port: a file-backed NOR flash model with fault injection.
 *
 * Enforces NOR rules: erase is page aligned; program is aligned to and a multiple of the
 * program unit, and every unit programmed must be erased since its last program (else
 * BO_ERR_ALIGN / BO_ERR_STATE reported and counted as a violation). Counts operations,
 * accumulates virtual time, and injects faults:
 *  - power cut before operation N: operation N and everything after fail with BO_ERR_POWER until
 *    bo_nor_reboot() (which reloads the last persisted contents from the file, if any);
 *  - torn program at N: a random subset of the unit's 1->0 transitions lands, then power is cut;
 *  - torn erase at N: part of the page is set to 0xFF, then power is cut.
 * Reads are never counted as operations and succeed until power is cut, except over the
 * unreadable range [bad_lo, bad_hi) a test may set (an uncorrectable ECC error): BO_ERR_IO.
 *
 * Model details (docs/dfu.md has the full story):
 *  - "Erased" is tracked per program unit: erase marks every unit of the page erased, a program
 *    marks its units programmed (even when the data is all 0xFF, as ECC flash does), and a
 *    program of a unit not erased since is refused with BO_ERR_STATE.
 *  - A program of n units is one operation costing n * prog_us. Torn, it lands units
 *    [0, j) fully and a random subset of the 1->0 transitions of unit j (j random); unit j
 *    counts as programmed only if at least one bit landed (otherwise the cut came first).
 *  - Torn erase: every 0 bit of the page turns 1 with a probability drawn per cut (1/256 to
 *    255/256), so anything from "barely started" to "almost done" is seen. A unit that reads
 *    all 0xFF afterwards counts as erased; any other unit of the page stays programmed.
 *  - Everything is deterministic from the seed given to bo_nor_cut_before().
 *  - With a file, every operation writes the touched range through (pwrite), so a killed
 *    process keeps what was programmed. When a file is (re)loaded, a unit counts as erased
 *    iff it reads all 0xFF. */
#ifndef BLEOTA_POSIX_NOR_H
#define BLEOTA_POSIX_NOR_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/port.h"

typedef enum { BO_NOR_CUT_CLEAN = 0, BO_NOR_CUT_TORN } bo_nor_cut_kind_t;

typedef struct bo_nor_timing {
    uint32_t erase_us;   /* per page (default 20000: 20 ms) */
    uint32_t prog_us;    /* per program unit (default 15) */
    uint32_t read_ns_per_byte; /* default 0 */
} bo_nor_timing_t;

typedef struct bo_nor {
    bo_flash_t flash;       /* what modules use; ctx points back here */
    uint8_t *mem;           /* size bytes */
    char path[256];         /* backing file, "" for memory only */
    bo_nor_timing_t timing;
    uint64_t ops;           /* erase + program operations performed */
    uint64_t erases, progs;
    uint64_t virtual_us;    /* accumulated flash time */
    uint64_t violations;    /* NOR rule violations seen */
    uint64_t cut_at;        /* 0: none; else the operation number (1-based) that fails */
    bo_nor_cut_kind_t cut_kind;
    bool powered;
    uint32_t seed;          /* for torn writes */
    /* added by the model (private; read-only for tests) */
    uint8_t *programmed;    /* one byte per program unit: 1 = programmed since its last erase */
    int fd;                 /* backing file descriptor, -1 for memory only */
    uint32_t rng;           /* xorshift32 state for torn operations */
    uint64_t torn_progs, torn_erases; /* torn operations performed */
    uint32_t bad_lo, bad_hi; /* reads touching [bad_lo, bad_hi) fail with BO_ERR_IO (0, 0: none) */
} bo_nor_t;

/* Creates the model (all 0xFF, or the file's contents if it exists and has the right size).
 * path may be NULL for a memory-only flash. BO_ERR_ARG for bad geometry, BO_ERR_IO for file
 * errors, BO_ERR_NOSPACE when memory cannot be had. */
int bo_nor_open(bo_nor_t *nor, const char *path, uint32_t base, uint32_t size,
                uint32_t page_size, uint32_t prog_unit);
void bo_nor_close(bo_nor_t *nor);
/* Schedules a power cut before operation number op (1-based, counted from now on: the next
 * operation is ops+1). op = 0 cancels.
 * op is RELATIVE: op = 1 cuts the very next erase/program, whatever ops already is (the model
 * stores cut_at = ops + op). Do not pass nor->ops + n. A new call replaces any pending cut;
 * the seed also restarts the torn-operation generator. */
void bo_nor_cut_before(bo_nor_t *nor, uint64_t op, bo_nor_cut_kind_t kind, uint32_t seed);
/* Power back on: contents as persisted (file) or as left in memory; cut cancelled. Counters
 * are kept. Returns BO_OK, or BO_ERR_IO when the file cannot be read back. */
int bo_nor_reboot(bo_nor_t *nor);

/* Sets the whole flash to 0xFF (every unit erased), zeroes the counters, powers on and cancels
 * any cut: a factory-fresh device without reallocating (used between power-loss runs).
 * Returns BO_OK, or BO_ERR_IO when the file cannot be written. */
int bo_nor_wipe(bo_nor_t *nor);

/* Default timing (BZ2 datasheet figures): 20 ms per page erase, 15 us per 16-byte program. */
#define BO_NOR_ERASE_US_DEFAULT 20000u
#define BO_NOR_PROG_US_DEFAULT 15u

#endif
