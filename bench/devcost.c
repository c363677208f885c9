/* bleota bench: device cost model (see devcost.h). */
#include "devcost.h"

#include "bleota/posix/nor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_S 1000000000ull

void bench_dev_defaults(bench_dev_cfg_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->cpu_hz = 64000000u;
    /* Measured under QEMU (mbedTLS 2.28.3, -Os, Cortex-M4): AES-128-CTR 1 KiB = 61 786
     * instructions (CBC decryption does the same block work), SHA-256 64 KiB = 2 723 874, one
     * cold P-256 verification = 25 539 065 (docs/qemu-cortex-m4-notes.md). */
    cfg->aes_ipk = 61786u;
    cfg->sha_ipk = 42561u;
    cfg->ecdsa_insns = 25539065u;
    /* Estimates: a word copy/compare loop is ~2 instructions per 4 bytes; a BLE stack hands one
     * ATT PDU to the GATT callback in ~2000 instructions (ISR, queue, dispatch). */
    cfg->copy_ipk = 512u;
    cfg->pdu_insns = 2000u;
    /* bo_dfu_write + the flash driver's program and read-back loops: 18.05 instructions per
     * byte measured by the QEMU benchmark (bench/qemu-report.md). */
    cfg->prog_ipk = 18483u;
    /* The posix NOR model's own defaults (PIC32CX-BZ2 class figures). */
    cfg->erase_us = BO_NOR_ERASE_US_DEFAULT;
    cfg->prog_us = BO_NOR_PROG_US_DEFAULT;
    cfg->page_size = 4096u;
    cfg->prog_unit = 16u;
    /* PIC32CX-BZ2: one flash bank (mchp-bz2-platform-reference.md §2.5): every erase and
     * program stalls the CPU. */
    cfg->single_bank = true;
}

static int take(bench_dev_cfg_t *cfg, const char *key, double v, double *ota_path)
{
    if (v <= 0 || v > 4e9)
        return 0;
    if (!strcmp(key, "ota_path_ipb")) {
        *ota_path = v;
        return 1;
    }
    if (!strcmp(key, "dfu_ipb"))
        cfg->prog_ipk = (uint32_t)(v * 1024.0 + 0.5);
    else if (!strcmp(key, "aes128_cbc_ipb") || !strcmp(key, "aes_ipb"))
        cfg->aes_ipk = (uint32_t)(v * 1024.0 + 0.5);
    else if (!strcmp(key, "sha256_ipb") || !strcmp(key, "sha_ipb"))
        cfg->sha_ipk = (uint32_t)(v * 1024.0 + 0.5);
    else if (!strcmp(key, "aes128_cbc_ipk") || !strcmp(key, "aes_ipk"))
        cfg->aes_ipk = (uint32_t)v;
    else if (!strcmp(key, "sha256_ipk") || !strcmp(key, "sha_ipk"))
        cfg->sha_ipk = (uint32_t)v;
    else if (!strcmp(key, "delta_decode_ipb"))
        cfg->delta_ipk = (uint32_t)(v * 1024.0 + 0.5);
    else if (!strcmp(key, "ecdsa_p256_verify") || !strcmp(key, "ecdsa_insns"))
        cfg->ecdsa_insns = (uint32_t)v;
    else
        return 0;
    return 1;
}

int bench_dev_load_insns(bench_dev_cfg_t *cfg, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    int n = 0;
    double ota_path = 0;
    while (fgets(line, sizeof line, f)) {
        char key[64];
        double v;
        for (char *p = line; *p; p++)
            if (*p == '=' || *p == ':')
                *p = ' ';
        if (line[0] != '#' && sscanf(line, "%63s %lf", key, &v) == 2)
            n += take(cfg, key, v, &ota_path);
    }
    fclose(f);
    /* The measured OTA path per byte (decryption + SHA-256 + otas + DFU writer + driver, wherever
     * the hash runs) minus the two ciphers the bench counts itself = the DFU + driver cost. */
    double crypto = (cfg->aes_ipk + cfg->sha_ipk) / 1024.0;
    if (ota_path > crypto)
        cfg->prog_ipk = (uint32_t)((ota_path - crypto) * 1024.0 + 0.5);
    return n;
}

void bench_clock_init(bench_clock_t *c, const bench_dev_cfg_t *cfg)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
}

void bench_clock_at(bench_clock_t *c, uint64_t t)
{
    if (c->cpu < t)
        c->cpu = t;
}

void bench_clock_insns(bench_clock_t *c, uint64_t insns)
{
    c->insns += insns;
    c->cpu += (insns * NS_PER_S + c->cfg->cpu_hz - 1) / c->cfg->cpu_hz;
}

static uint64_t per_kib(uint64_t bytes, uint32_t ipk)
{
    return (bytes * ipk + 1023u) / 1024u;
}

void bench_clock_aes(bench_clock_t *c, uint64_t bytes)
{
    c->aes_bytes += bytes;
    bench_clock_insns(c, per_kib(bytes, c->cfg->aes_ipk));
}

void bench_clock_sha(bench_clock_t *c, uint64_t bytes)
{
    c->sha_bytes += bytes;
    bench_clock_insns(c, per_kib(bytes, c->cfg->sha_ipk));
}

void bench_clock_ecdsa(bench_clock_t *c)
{
    c->ecdsa++;
    bench_clock_insns(c, c->cfg->ecdsa_insns);
}

static void nvm_op(bench_clock_t *c, uint64_t ns)
{
    uint64_t start = c->cpu > c->nvm ? c->cpu : c->nvm;
    c->nvm = start + ns;
    c->cpu = c->cfg->single_bank ? c->nvm : start;
}

void bench_clock_erase(bench_clock_t *c)
{
    c->erases++;
    nvm_op(c, (uint64_t)c->cfg->erase_us * 1000u);
}

void bench_clock_prog(bench_clock_t *c, uint32_t units)
{
    /* the driver feeds the data and reads it back on the CPU; the NVM then programs */
    bench_clock_insns(c, per_kib((uint64_t)units * c->cfg->prog_unit, c->cfg->prog_ipk));
    c->progs += units;
    nvm_op(c, (uint64_t)c->cfg->prog_us * 1000u * units);
}

void bench_clock_flash_sync(bench_clock_t *c)
{
    if (c->cpu < c->nvm)
        c->cpu = c->nvm;
}

void bench_clock_read(bench_clock_t *c, uint64_t bytes)
{
    bench_clock_flash_sync(c);
    c->read_bytes += bytes;
    bench_clock_insns(c, per_kib(bytes, c->cfg->copy_ipk));
}
