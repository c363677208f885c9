/* Fuzz targets: a RAM NOR flash with any geometry that holds the core to the port contract
 * (port.h) and injects faults, deterministically.
 *
 * Contract checks, each an abort() (a core bug, never an input's fault):
 *  - a read outside [base, base + size);
 *  - an erase not page aligned, a program not aligned to / a multiple of the program unit;
 *  - an erase or program outside the regions given with ff_allow (none given: anywhere);
 *  - a program of a unit already programmed since its last erase, unless refuse_reprogram is
 *    set (for a core that only relays a host's commands, e.g. the serial executive: the model
 *    then refuses with BO_ERR_STATE and counts it).
 * Programming only clears bits. "Programmed" is tracked per unit; a unit that reads all 0xFF
 * after a torn operation or ff_load/ff_stray counts as erased (as the posix model does after a
 * reload).
 * Faults: a power cut before operation N (that operation and every later one fail with
 * BO_ERR_POWER, reads too, until ff_reboot), clean or torn (a torn program lands whole units
 * then a random subset of the next unit's 1->0 transitions; a torn erase sets a random subset
 * of the page's 0 bits); a one-shot BO_ERR_IO at operation N; reads of a range failing with
 * BO_ERR_IO. Every erase/program is hashed (type, address, data) so two runs can be compared. */
#ifndef BO_FUZZ_FLASH_H
#define BO_FUZZ_FLASH_H

#include <stdbool.h>
#include <stdint.h>

#include "bleota/port.h"

#define FF_REGIONS 4

typedef struct ff_flash {
    bo_flash_t flash; /* what the core uses; ctx points back here */
    uint8_t *mem;
    uint8_t *used;    /* one byte per program unit: programmed since its last erase */
    uint32_t alloc;   /* bytes allocated for mem (kept across ff_init calls) */
    bool refuse_reprogram;
    uint32_t nreg, reg_lo[FF_REGIONS], reg_hi[FF_REGIONS];
    uint64_t ops;     /* erase + program calls so far (including failed ones) */
    uint64_t erases, progs;
    uint64_t cut_at;  /* absolute op number the power cut hits (0: none) */
    bool torn;
    bool off;         /* power is off */
    uint64_t fail_at; /* absolute op number that fails with BO_ERR_IO, power stays (0: none) */
    uint32_t bad_lo, bad_hi; /* reads touching [bad_lo, bad_hi) fail with BO_ERR_IO */
    uint64_t rng;
    uint64_t violations; /* refused reprograms (refuse_reprogram only) */
    uint64_t hash;       /* FNV-1a of every erase/program and its data */
    char torn_op;        /* 'E' or 'P' once a torn operation happened (0: none yet) */
    uint32_t torn_addr;  /* its address */
    uint32_t watch;      /* a page address whose successful erases are counted */
    uint64_t watch_erases;
    const char *name;    /* for abort messages */
} ff_flash_t;

/* (Re)initialises f: all erased, no regions, no faults, counters zero. Memory is kept from an
 * earlier call when large enough (a fuzz target calls this for every input). */
void ff_init(ff_flash_t *f, uint32_t base, uint32_t size, uint32_t page, uint32_t unit);
/* Erase/program allowed in [lo, hi) (up to FF_REGIONS regions; none: everywhere). */
void ff_allow(ff_flash_t *f, uint32_t lo, uint32_t hi);
/* Power cut before the n-th erase/program from now (n >= 1; 0 cancels). */
void ff_cut(ff_flash_t *f, uint64_t n, bool torn, uint64_t seed);
/* The n-th erase/program from now fails with BO_ERR_IO, nothing changes (n >= 1; 0 cancels). */
void ff_fail(ff_flash_t *f, uint64_t n);
/* Power on again: cut and pending failure cancelled; contents as left. */
void ff_reboot(ff_flash_t *f);
/* Factory contents: these exact bytes (no rules, not counted); units reading all 0xFF count as
 * erased, others as programmed. */
void ff_load(ff_flash_t *f, uint32_t addr, const void *data, uint32_t len);
/* Stray programming (corruption, torn writes from elsewhere): bits cleared where data has 0s,
 * no rules, not counted; units that do not read all 0xFF count as programmed. */
void ff_stray(ff_flash_t *f, uint32_t addr, const void *data, uint32_t len);
/* Every unit of [addr, addr + len) erased and never programmed since (len multiple of unit). */
bool ff_blank(const ff_flash_t *f, uint32_t addr, uint32_t len);
/* Pointer to the bytes at addr (no checks beyond the flash bounds: abort outside). */
uint8_t *ff_at(const ff_flash_t *f, uint32_t addr, uint32_t len);

#endif
