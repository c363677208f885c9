/* A register-level model of the PIC32CX-BZ2 NVM controller (mchp-bz2-platform-reference.md §2)
 * for the host: the port's NVM driver, built with BO_BZ2_MODEL, runs against it through the
 * hooks of ports/pic32cxbz2/src/hw.h.
 *
 * What it models: NVMCON (with its CLR/SET aliases, NVMOP writable only while WREN = 0,
 * WR cleared by the hardware after `busy_polls` reads of NVMCON, WRERR/LVDERR cleared by a NOP
 * operation), the NVMKEY unlock sequence (0, 0xAA996655, 0x556699AA) that the next NVM register
 * write consumes, NVMADDR, NVMDATA0..3, NVMSRCADDR (row source in SRAM), the program-flash
 * write protection (NVMPWPLT/NVMPWPGTE on the low 24 address bits, ULOCK) and the boot-flash
 * protection (NVMLBWP/NVMUBWP, one bit per 4 KiB boot page [INF]), the program flash
 * (1 MiB at 0x01000000) and boot flash (28 KiB at 0), one "programmed" bit per quad-word, the
 * prefetch cache (stale after an operation until CHECON.DCHEINV is written).
 *
 * Every rule below is enforced: the offending operation does not happen (WRERR is set where
 * the controller would report), the rule's counter goes up, and `last` names it. A driver
 * that follows the reference leaves every counter at zero. */
#ifndef BO_TEST_BZ2_NVM_MODEL_H
#define BO_TEST_BZ2_NVM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    NVMM_UNLOCK = 0, /* WR set (or a protection register written) without WREN / the key
                        sequence immediately before; keys out of order */
    NVMM_OPCODE,     /* NVMOP other than NOP, word, quad-word, row, page erase (the
                        whole-flash erase 7 is refused too), or NVMOP changed while WREN = 1 */
    NVMM_ALIGN,      /* NVMADDR not aligned to the operation or outside both flashes */
    NVMM_NOT_ERASED, /* programming a quad-word programmed since its last erase */
    NVMM_PROTECTED,  /* the target page is write-protected (the controller sets WRERR) */
    NVMM_BUSY,       /* an NVM register written, or the array read, while an operation runs */
    NVMM_STALE,      /* the array read after an operation before the cache was invalidated */
    NVMM_SOURCE,     /* a row source that is not word-aligned SRAM */
    NVMM_LOCKED,     /* a frozen (ULOCK = 0) protection register written */
    NVMM_RULES
} nvmm_rule_t;

#define NVMM_PFM_BASE 0x01000000u
#define NVMM_PFM_SIZE 0x00100000u
#define NVMM_BFM_SIZE 0x00007000u

typedef struct nvmm {
    uint8_t pfm[NVMM_PFM_SIZE];
    uint8_t bfm[NVMM_BFM_SIZE];
    uint8_t pfm_prog[NVMM_PFM_SIZE / 16u / 8u]; /* programmed quad-words */
    uint8_t bfm_prog[NVMM_BFM_SIZE / 16u / 8u];
    /* registers */
    uint32_t con, addr, data[4], srcaddr;
    uint32_t pwplt, pwpgte, lbwp, ubwp;
    uint32_t checon;
    uint32_t nvic_iser;
    uint8_t key_state;  /* 0..3: 3 = unlocked for the next NVM register write */
    uint32_t busy_left; /* NVMCON reads until WR clears */
    bool stale;         /* prefetch cache holds contents older than the last operation */
    uint32_t primask;
    /* row sources the driver asked about (bo_bz2_hw_sram) */
    struct {
        const void *host;
        uint32_t bus, len;
    } sram[16];
    unsigned sram_next;
    /* knobs */
    uint32_t busy_polls; /* default 3 */
    bool sram_rows;      /* host buffers count as SRAM (row programming allowed); default true */
    bool fail_next;      /* the next operation ends with WRERR (a flash failure) */
    /* what happened */
    unsigned rule[NVMM_RULES];
    nvmm_rule_t last;
    unsigned ops[8]; /* completed operations by NVMOP */
    unsigned irq_masked_starts, starts;
    unsigned flash_irq_on_starts; /* operations started with FLASH_CONTROL_IRQn enabled */
} nvmm_t;

/* A factory-fresh controller (both flashes erased, registers at reset values) that the hooks
 * use from now on. */
void nvmm_reset(nvmm_t *m);
unsigned nvmm_violations(const nvmm_t *m); /* sum of all rule counters */
const char *nvmm_rule_name(nvmm_rule_t r);

/* Register access as the CPU sees it (what the driver's hooks call). */
uint32_t nvmm_rd(nvmm_t *m, uint32_t addr);
void nvmm_wr(nvmm_t *m, uint32_t addr, uint32_t val);

#endif
