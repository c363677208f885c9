/* The NVM controller model (see nvm_model.h) and the hw.h hooks the port's driver calls. */
#include "nvm_model.h"

#include <stddef.h>
#include <string.h>

#include "../../ports/pic32cxbz2/src/hw.h"
#include "../../ports/pic32cxbz2/src/nvm_regs.h"

static nvmm_t *cur;

static const char *const rule_names[NVMM_RULES] = {"wrong unlock",
                                                   "wrong opcode",
                                                   "misaligned address",
                                                   "programming a non-erased unit",
                                                   "protected page",
                                                   "busy controller",
                                                   "stale cache",
                                                   "row source not in SRAM",
                                                   "frozen protection register"};

const char *nvmm_rule_name(nvmm_rule_t r)
{
    return (unsigned)r < NVMM_RULES ? rule_names[r] : "?";
}

static void flag(nvmm_t *m, nvmm_rule_t r)
{
    m->rule[r]++;
    m->last = r;
}

unsigned nvmm_violations(const nvmm_t *m)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NVMM_RULES; i++)
        n += m->rule[i];
    return n;
}

void nvmm_reset(nvmm_t *m)
{
    memset(m, 0, sizeof *m);
    memset(m->pfm, 0xFF, sizeof m->pfm);
    memset(m->bfm, 0xFF, sizeof m->bfm);
    m->pwplt = 0x80000000u; /* reset values: [DS] 24.22.2.10-12 */
    m->pwpgte = 0x80FFFFFFu;
    m->lbwp = 0x80FFFFFFu;
    m->ubwp = 0x80FFFFFFu;
    m->busy_polls = 3;
    m->sram_rows = true;
    m->last = NVMM_RULES;
    cur = m;
}

/* ---- The arrays ------------------------------------------------------------------------ */
static uint8_t *array(nvmm_t *m, uint32_t addr, uint32_t len, uint8_t **prog, uint32_t *qw)
{
    if (addr >= NVMM_PFM_BASE && len <= NVMM_PFM_SIZE &&
        addr - NVMM_PFM_BASE <= NVMM_PFM_SIZE - len) {
        *prog = m->pfm_prog;
        *qw = (addr - NVMM_PFM_BASE) / 16u;
        return m->pfm + (addr - NVMM_PFM_BASE);
    }
    if (len <= NVMM_BFM_SIZE && addr <= NVMM_BFM_SIZE - len) {
        *prog = m->bfm_prog;
        *qw = addr / 16u;
        return m->bfm + addr;
    }
    return NULL;
}

static bool bit(const uint8_t *map, uint32_t i)
{
    return (map[i / 8u] >> (i % 8u)) & 1u;
}

static bool is_protected(const nvmm_t *m, uint32_t addr)
{
    if (addr >= NVMM_PFM_BASE) {
        uint32_t low = addr & BZ2_NVM_WP_FIELD;
        return low < (m->pwplt & BZ2_NVM_WP_FIELD) || low >= (m->pwpgte & BZ2_NVM_WP_FIELD);
    }
    uint32_t page = addr / BZ2_NVM_PAGE; /* one bit per boot page [INF] */
    return ((m->lbwp | m->ubwp) >> page) & 1u;
}

static const void *sram_lookup(nvmm_t *m, uint32_t bus, uint32_t len)
{
    for (unsigned i = 0; i < 16u; i++) {
        if (m->sram[i].host != NULL && bus >= m->sram[i].bus && len <= m->sram[i].len &&
            bus - m->sram[i].bus <= m->sram[i].len - len)
            return (const uint8_t *)m->sram[i].host + (bus - m->sram[i].bus);
    }
    return NULL;
}

/* ---- Operations -------------------------------------------------------------------------- */
static const uint32_t op_len[8] = {0, 4, 16, 1024, 4096, 0, 0, 0};

static bool refuse(nvmm_t *m, nvmm_rule_t r)
{
    flag(m, r);
    m->con |= BZ2_NVMCON_WRERR;
    return false;
}

/* Checks at WR: false = refused (WRERR set, nothing will happen). */
static bool start_ok(nvmm_t *m, uint32_t op)
{
    uint8_t *prog = NULL;
    uint32_t qw = 0;
    if (op != BZ2_NVMOP_NOP && (op > BZ2_NVMOP_PAGE_ERASE))
        return refuse(m, NVMM_OPCODE);
    if (op == BZ2_NVMOP_NOP)
        return true;
    uint32_t len = op_len[op];
    if (m->addr % len != 0u || array(m, m->addr, len, &prog, &qw) == NULL)
        return refuse(m, NVMM_ALIGN);
    if (is_protected(m, m->addr)) {
        flag(m, NVMM_PROTECTED);
        m->con |= BZ2_NVMCON_WRERR;
        return false;
    }
    if (op == BZ2_NVMOP_ROW && ((m->srcaddr & 3u) != 0u || sram_lookup(m, m->srcaddr, len) == NULL))
        return refuse(m, NVMM_SOURCE);
    if (op != BZ2_NVMOP_PAGE_ERASE) {
        for (uint32_t i = 0; i < (len + 15u) / 16u; i++)
            if (bit(prog, qw + i))
                return refuse(m, NVMM_NOT_ERASED);
    }
    return true;
}

static void complete(nvmm_t *m)
{
    uint32_t op = m->con & BZ2_NVMCON_NVMOP_MSK;
    uint8_t *prog = NULL;
    uint32_t qw = 0;
    m->con &= ~BZ2_NVMCON_WR;
    m->ops[op]++;
    if (op == BZ2_NVMOP_NOP) {
        m->con &= ~BZ2_NVMCON_ERR;
        return;
    }
    if (m->fail_next) {
        m->fail_next = false;
        m->con |= BZ2_NVMCON_WRERR;
        return;
    }
    uint32_t len = op_len[op];
    uint8_t *dst = array(m, m->addr, len, &prog, &qw);
    const uint8_t *src = (const uint8_t *)m->data;
    if (op == BZ2_NVMOP_ROW)
        src = sram_lookup(m, m->srcaddr, len);
    if (op == BZ2_NVMOP_PAGE_ERASE) {
        memset(dst, 0xFF, len);
        for (uint32_t i = 0; i < len / 16u; i++)
            prog[(qw + i) / 8u] &= (uint8_t) ~(1u << ((qw + i) % 8u));
    } else {
        for (uint32_t i = 0; i < len; i++)
            dst[i] &= src[i]; /* programming only clears bits */
        for (uint32_t i = 0; i < (len + 15u) / 16u; i++)
            prog[(qw + i) / 8u] |= (uint8_t)(1u << ((qw + i) % 8u));
    }
    m->stale = true;
}

/* ---- Register file ----------------------------------------------------------------------- */
static bool nvm_reg(uint32_t addr)
{
    return addr >= BZ2_NVM_BASE && addr < BZ2_NVM_BASE + 0x110u;
}

uint32_t nvmm_rd(nvmm_t *m, uint32_t addr)
{
    switch (addr) {
    case BZ2_NVMCON:
        if ((m->con & BZ2_NVMCON_WR) != 0u && m->busy_left > 0u && --m->busy_left == 0u)
            complete(m);
        return m->con;
    case BZ2_NVMKEY:
        return 0u; /* write-only */
    case BZ2_NVMADDR:
        return m->addr;
    case BZ2_NVMSRCADDR:
        return m->srcaddr;
    case BZ2_NVMPWPLT:
        return m->pwplt;
    case BZ2_NVMPWPGTE:
        return m->pwpgte;
    case BZ2_NVMLBWP:
        return m->lbwp;
    case BZ2_NVMUBWP:
        return m->ubwp;
    case BZ2_PCHE_CHECON:
        return m->checon;
    case BZ2_NVIC_ISER0:
        return m->nvic_iser;
    default:
        for (unsigned i = 0; i < 4u; i++)
            if (addr == BZ2_NVMDATA(i))
                return m->data[i];
        return 0u;
    }
}

/* base register + alias offset -> the new value */
static uint32_t alias(uint32_t old, uint32_t which, uint32_t val)
{
    switch (which) {
    case BZ2_CLR:
        return old & ~val;
    case BZ2_SET:
        return old | val;
    case 0xCu:
        return old ^ val;
    default:
        return val;
    }
}

static void write_con(nvmm_t *m, uint32_t which, uint32_t val, bool unlocked)
{
    uint32_t next = alias(m->con, which, val);
    /* status bits are the hardware's; WR can only be set (the hardware clears it) */
    next = (next & ~BZ2_NVMCON_ERR) | (m->con & BZ2_NVMCON_ERR);
    if ((next ^ m->con) & BZ2_NVMCON_NVMOP_MSK) {
        if ((m->con & BZ2_NVMCON_WREN) != 0u) {
            flag(m, NVMM_OPCODE);
            next = (next & ~BZ2_NVMCON_NVMOP_MSK) | (m->con & BZ2_NVMCON_NVMOP_MSK);
        }
    }
    bool start = (next & BZ2_NVMCON_WR) != 0u && (m->con & BZ2_NVMCON_WR) == 0u;
    next = (next & ~BZ2_NVMCON_WR) | (m->con & BZ2_NVMCON_WR);
    m->con = next;
    if (!start)
        return;
    m->starts++;
    m->irq_masked_starts += m->primask != 0u;
    m->flash_irq_on_starts += (m->nvic_iser >> BZ2_FLASH_CONTROL_IRQN) & 1u;
    if (!unlocked || (m->con & BZ2_NVMCON_WREN) == 0u) {
        (void)refuse(m, NVMM_UNLOCK);
        return;
    }
    if (start_ok(m, m->con & BZ2_NVMCON_NVMOP_MSK)) {
        m->con |= BZ2_NVMCON_WR;
        m->busy_left = m->busy_polls > 0u ? m->busy_polls : 1u;
    }
}

static void write_wp(nvmm_t *m, uint32_t *reg, uint32_t which, uint32_t val, bool unlocked)
{
    if ((*reg & BZ2_NVM_ULOCK) == 0u) {
        flag(m, NVMM_LOCKED);
        return;
    }
    if (!unlocked) {
        flag(m, NVMM_UNLOCK);
        return;
    }
    *reg = alias(*reg, which, val);
}

void nvmm_wr(nvmm_t *m, uint32_t addr, uint32_t val)
{
    if (!nvm_reg(addr)) { /* the cache and the NVIC */
        if (addr == BZ2_PCHE_CHECON) {
            if ((val & BZ2_PCHE_DCHEINV) != 0u)
                m->stale = false;
            m->checon = val & ~(BZ2_PCHE_ICHEINV | BZ2_PCHE_DCHEINV);
        } else if (addr == BZ2_NVIC_ISER0) {
            m->nvic_iser |= val;
        } else if (addr == BZ2_NVIC_ICER0) {
            m->nvic_iser &= ~val;
        }
        return;
    }
    if ((m->con & BZ2_NVMCON_WR) != 0u) {
        flag(m, NVMM_BUSY); /* the controller is working: the write is lost */
        return;
    }
    if (addr == BZ2_NVMKEY) {
        if (val == 0u)
            m->key_state = 1;
        else if (val == BZ2_NVMKEY1 && m->key_state == 1)
            m->key_state = 2;
        else if (val == BZ2_NVMKEY2 && m->key_state == 2)
            m->key_state = 3;
        else {
            m->key_state = 0;
            flag(m, NVMM_UNLOCK);
        }
        return;
    }
    bool unlocked = m->key_state == 3;
    m->key_state = 0; /* any other NVM register write consumes the unlock */
    uint32_t base = addr & ~0xFu, which = addr & 0xFu;
    if (base == BZ2_NVMCON)
        write_con(m, which, val, unlocked);
    else if (base == BZ2_NVMPWPLT)
        write_wp(m, &m->pwplt, which, val, unlocked);
    else if (base == BZ2_NVMPWPGTE)
        write_wp(m, &m->pwpgte, which, val, unlocked);
    else if (base == BZ2_NVMLBWP)
        write_wp(m, &m->lbwp, which, val, unlocked);
    else if (base == BZ2_NVMUBWP)
        write_wp(m, &m->ubwp, which, val, unlocked);
    else if (addr == BZ2_NVMADDR)
        m->addr = val;
    else if (addr == BZ2_NVMSRCADDR)
        m->srcaddr = val;
    else
        for (unsigned i = 0; i < 4u; i++)
            if (addr == BZ2_NVMDATA(i))
                m->data[i] = val;
}

/* ---- hw.h hooks ------------------------------------------------------------------------- */
uint32_t bo_bz2_hw_rd(uint32_t addr)
{
    return nvmm_rd(cur, addr);
}

void bo_bz2_hw_wr(uint32_t addr, uint32_t val)
{
    nvmm_wr(cur, addr, val);
}

const uint8_t *bo_bz2_hw_mem(uint32_t addr, uint32_t len)
{
    uint8_t *prog = NULL;
    uint32_t qw = 0;
    if ((cur->con & BZ2_NVMCON_WR) != 0u)
        flag(cur, NVMM_BUSY);
    if (cur->stale)
        flag(cur, NVMM_STALE);
    const uint8_t *p = array(cur, addr, len, &prog, &qw);
    return p != NULL ? p : cur->pfm; /* the driver checked the window; never reached */
}

bool bo_bz2_hw_sram(const void *p, uint32_t len, uint32_t *bus)
{
    if (!cur->sram_rows)
        return false;
    unsigned i = cur->sram_next++ % 16u;
    cur->sram[i].host = p;
    cur->sram[i].len = len;
    cur->sram[i].bus = 0x20000000u + i * 0x1000u + (uint32_t)((uintptr_t)p & 3u);
    *bus = cur->sram[i].bus;
    return true;
}

uint32_t bo_bz2_hw_irq_off(void)
{
    uint32_t pm = cur->primask;
    cur->primask = 1;
    return pm;
}

void bo_bz2_hw_irq_restore(uint32_t primask)
{
    cur->primask = primask;
}
