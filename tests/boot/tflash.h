/* Test flash: an in-memory NOR model for boot/sdfu tests (the only thing they mock).
 * Enforces NOR rules (page-aligned erase, aligned programs of whole units onto erased units,
 * once per erase), counts operations and can cut power before operation N, clean or torn. */
#ifndef BO_TEST_TFLASH_H
#define BO_TEST_TFLASH_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/port.h"

typedef struct tflash {
    bo_flash_t flash;
    uint8_t *mem;
    uint8_t *used;   /* one byte per program unit: programmed since the last erase */
    uint64_t ops;    /* erase + program calls so far */
    uint64_t cut_at; /* 0: none; else the op number that fails (and all after it) */
    bool torn;       /* the cut op lands partly */
    bool off;        /* power is off */
    uint32_t seed;
    uint64_t violations;
    uint32_t weak_addr; /* non-zero: programs covering this address leave its byte 0xFF
                           (a failing cell: the write "succeeds" but does not stick) */
    uint32_t bad_read;  /* non-zero: reads covering this address fail with BO_ERR_IO (ECC) */
} tflash_t;

/* BZ2 geometry (1 MiB at 0x01000000, 4 KiB pages, 16-byte units), all erased. */
void tflash_init(tflash_t *t);
void tflash_free(tflash_t *t);
/* Power cut before op n (counted from 1 since init/reboot); torn: a part of it lands. */
void tflash_cut(tflash_t *t, uint64_t n, bool torn, uint32_t seed);
/* Power back on: cut cancelled, op counter reset. */
void tflash_reboot(tflash_t *t);
/* Raw access for tests (no rules, no counting). */
void tflash_poke(tflash_t *t, uint32_t addr, const void *data, uint32_t len);
void tflash_peek(tflash_t *t, uint32_t addr, void *data, uint32_t len);
/* Factory programming: erase the pages and write data at addr. */
void tflash_load(tflash_t *t, uint32_t addr, const void *data, uint32_t len);

#endif
