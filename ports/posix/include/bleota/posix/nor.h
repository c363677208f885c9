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
 * Reads are never counted as operations and succeed until power is cut. */
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
} bo_nor_t;

/* Creates the model (all 0xFF, or the file's contents if it exists and has the right size).
 * path may be NULL for a memory-only flash. BO_ERR_ARG for bad geometry, BO_ERR_IO for file
 * errors, BO_ERR_NOSPACE when memory cannot be had. */
int bo_nor_open(bo_nor_t *nor, const char *path, uint32_t base, uint32_t size,
                uint32_t page_size, uint32_t prog_unit);
void bo_nor_close(bo_nor_t *nor);
/* Schedules a power cut before operation number op (1-based, counted from now on: the next
 * operation is ops+1). op = 0 cancels. */
void bo_nor_cut_before(bo_nor_t *nor, uint64_t op, bo_nor_cut_kind_t kind, uint32_t seed);
/* Power back on: contents as persisted (file) or as left in memory; cut cancelled. */
int bo_nor_reboot(bo_nor_t *nor);

#endif
