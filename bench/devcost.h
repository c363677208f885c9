/* bleota bench: what work costs on the device, in virtual time (nanoseconds).
 *
 * CPU work is counted in instructions and turned into time at cpu_hz (one instruction per
 * cycle: QEMU counts instructions, not cycles, so real flash wait states make a chip slower;
 * docs/performance.md). Flash work runs on the NVM controller: an erase or a program occupies
 * it for erase_us / prog_us. single_bank (the default, the PIC32CX-BZ2: one flash bank, code and
 * download slot in it) stalls the CPU for every flash operation: it cannot fetch code meanwhile;
 * the BLE controller keeps receiving into its own buffers (link.h). Without it (dual panel: the
 * download slot in a panel the code does not run from) the CPU only waits when it issues the
 * next flash operation, or reads the flash, while the previous one is still running. */
#ifndef BENCH_DEVCOST_H
#define BENCH_DEVCOST_H

#include <stdbool.h>
#include <stdint.h>

typedef struct bench_dev_cfg {
    uint32_t cpu_hz;      /* 64 000 000 on the PIC32CX-BZ2 */
    uint32_t aes_ipk;     /* AES-128-CBC decrypt, instructions per KiB */
    uint32_t sha_ipk;     /* SHA-256, instructions per KiB */
    uint32_t copy_ipk;    /* memcpy / read-back compare, instructions per KiB */
    uint32_t prog_ipk;    /* DFU writer + flash driver per KiB programmed (incl. read-back) */
    uint32_t ecdsa_insns; /* one ECDSA P-256 verification */
    uint32_t delta_ipk;   /* delta patch decoder per KiB of image rebuilt (bench/delta) */
    uint32_t pdu_insns;   /* receiving one ATT PDU: controller handoff, GATT dispatch */
    uint32_t erase_us;    /* one page erase */
    uint32_t prog_us;     /* one program unit */
    uint32_t page_size;   /* erase unit, bytes */
    uint32_t prog_unit;   /* program unit, bytes */
    bool single_bank;     /* the CPU stalls during every flash operation (BZ2: true) */
} bench_dev_cfg_t;

/* The default figures; where each comes from is documented in docs/performance.md. */
void bench_dev_defaults(bench_dev_cfg_t *cfg);
/* Reads "name value" lines (aes128_cbc_ipb, sha256_ipb, ecdsa_p256_verify, dfu_ipb or
 * ota_path_ipb, ...) from a file written by the QEMU benchmark (bench/qemu-insns.txt);
 * ota_path_ipb - aes128_cbc_ipb - sha256_ipb becomes the DFU + driver cost. Returns the number
 * of values taken, -1 if unreadable. */
int bench_dev_load_insns(bench_dev_cfg_t *cfg, const char *path);

/* The device's two timelines while it works. */
typedef struct bench_clock {
    const bench_dev_cfg_t *cfg;
    uint64_t cpu; /* the CPU is here */
    uint64_t nvm; /* the NVM controller is busy until */
    /* totals, for the report */
    uint64_t insns, aes_bytes, sha_bytes, ecdsa, erases, progs, read_bytes;
} bench_clock_t;

void bench_clock_init(bench_clock_t *c, const bench_dev_cfg_t *cfg);
/* Moves the CPU forward to at least t (the device was idle until then). */
void bench_clock_at(bench_clock_t *c, uint64_t t);
void bench_clock_insns(bench_clock_t *c, uint64_t insns);
void bench_clock_aes(bench_clock_t *c, uint64_t bytes);
void bench_clock_sha(bench_clock_t *c, uint64_t bytes);
void bench_clock_ecdsa(bench_clock_t *c);
void bench_clock_erase(bench_clock_t *c);
/* Programs units: prog_ipk of CPU work per byte, then the NVM operation. */
void bench_clock_prog(bench_clock_t *c, uint32_t units);
/* A read of the flash: waits for the NVM, then copies/compares. */
void bench_clock_read(bench_clock_t *c, uint64_t bytes);
/* Waits until the NVM controller is idle. */
void bench_clock_flash_sync(bench_clock_t *c);

#endif
