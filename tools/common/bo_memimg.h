/* Host-only firmware loaders: place the bytes of a raw binary, an Intel HEX file or an ELF file
 * into a window [base, base + cap) of flash. Bytes below base are skipped (bootloader, metadata
 * header, config words), bytes at or above base + cap are cropped (counted in `cropped`), gaps
 * read 0xFF as erased flash does. Work is linear in the input: bytes outside the window are
 * counted, never visited, and no window byte is written twice with different values. */
#ifndef BO_MEMIMG_H
#define BO_MEMIMG_H

#include <stddef.h>
#include <stdint.h>

#include "bo_fileio.h"

typedef struct {
    uint8_t *buf;      /* cap bytes, caller-owned, filled with 0xFF by bo_memimg_init */
    uint8_t *written;  /* one bit per window byte (owned): a rewrite must keep the value */
    uint32_t base;     /* flash address of buf[0] */
    uint32_t cap;      /* window size */
    uint32_t end;      /* one past the highest offset written (0: nothing in the window) */
    uint64_t skipped;  /* bytes below base (64-bit: many inputs can sum past 4 GiB) */
    uint64_t cropped;  /* bytes at or above base + cap */
    uint64_t work;     /* window bytes visited + one per put or header: lets tests bound cost */
    uint64_t conflict; /* address of the byte a refused put would have changed */
} bo_memimg_t;

typedef enum { BO_INPUT_RAW, BO_INPUT_IHEX, BO_INPUT_ELF } bo_input_kind_t;

/* 0, or -1 when the bitmap cannot be allocated. Pair with bo_memimg_free. */
int bo_memimg_init(bo_memimg_t *m, uint8_t *buf, uint32_t base, uint32_t cap);
void bo_memimg_free(bo_memimg_t *m);
/* Places len bytes that belong at flash address addr (64-bit so a wrap is not lost). A window
 * byte written before may be written again only with the same value: otherwise -1 and
 * m->conflict is its address (the put is then incomplete). 0 on success. */
int bo_memimg_put(bo_memimg_t *m, uint64_t addr, const uint8_t *data, size_t len);

/* What a file looks like: ELF magic, Intel HEX (starts with ':'), otherwise raw. */
bo_input_kind_t bo_input_detect(const uint8_t *data, size_t len);
const char *bo_input_name(bo_input_kind_t kind);

/* Intel HEX records 00-05; checksums, lengths and digits are checked and an end-of-file record
 * is required (so a truncated file is refused). Records may repeat bytes with the same value
 * (merged files do); a record that changes a byte written earlier is refused. 0, or -1 with err
 * set. */
int bo_ihex_load(const uint8_t *text, size_t len, bo_memimg_t *m, char err[BO_ERRMSG_MAX]);
/* ELF32 little-endian: the file bytes of every PT_LOAD segment at its physical (load) address.
 * Every offset and size is checked against the file; segments whose load ranges overlap, or that
 * run past the 32-bit address space, are refused (which bytes to flash would be ambiguous).
 * 0, or -1 with err set. */
int bo_elf_load(const uint8_t *data, size_t len, bo_memimg_t *m, char err[BO_ERRMSG_MAX]);

#endif
