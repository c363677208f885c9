/* The status page: the image state and the version floor, as append-only records.
 *
 * Each record is one program unit of at least 16 bytes and a whole snapshot (state, floor,
 * swap epoch), so the newest valid record is the truth and a torn one (bad CRC) is skipped.
 * The state byte's top bit (BO_BOOT_ST_CHECKED) says slot 0 is proven since it was last
 * written; records without it (older bootloaders) only cost one authentication.
 * Records are never rewritten; a full page is compacted (erased, current state written first)
 * only by the bootloader. A cut in that window leaves the page blank or with older records:
 * the floor is then taken again from slot 0, which a compaction never follows a change of
 * (see docs/bootloader.md, "Version floor"). */
#include <string.h>

#include "bleota/crc32.h"
#include "bleota/endian.h"
#include "boot_priv.h"

#define REC_MAGIC 0xB5u
/* Valid sequence numbers are 1 .. BO_BOOT_SEQ_MAX - 1, so that no record (foreign, corrupt or
 * ours) can sit where the next one would wrap: the newest always wins. */
#define BO_BOOT_SEQ_MAX 0x10000000u

enum { O_MAGIC = 0, O_STATE = 1, O_EPOCH = 2, O_SEQ = 4, O_FLOOR = 8, O_CRC = 12 };

bool bo_boot_journal(const bo_boot_cfg_t *cfg)
{
    const bo_flash_t *f = cfg->flash;
    /* a program unit that divides 64 (a power of two, as docs/porting.md requires): records and
     * the 64-byte swap header are whole units that fit their 64-byte buffers */
    return cfg->layout.resume_addr != 0 && cfg->layout.resume_pages >= 4 && f->prog_unit != 0 &&
           BO_BOOT_REC_MAX % f->prog_unit == 0 && f->page_size % bo_boot_rec_size(f) == 0;
}

uint32_t bo_boot_rec_size(const bo_flash_t *f)
{
    return f->prog_unit > 16u ? f->prog_unit : 16u;
}

void bo_boot_seal(uint8_t *r, uint32_t n)
{
    bo_put_le32(r + n, bo_crc32(r, n));
}

bool bo_boot_sealed(const uint8_t *r, uint8_t magic, uint32_t n)
{
    return r[0] == magic && bo_get_le32(r + n) == bo_crc32(r, n);
}

static uint32_t status_addr(const bo_boot_cfg_t *cfg)
{
    return bo_layout_status_addr(&cfg->layout, cfg->flash->page_size);
}

static bool decode(const uint8_t *r, bo_boot_st_t *out)
{
    uint32_t state = r[O_STATE] & ~BO_BOOT_ST_CHECKED;
    if (!bo_boot_sealed(r, REC_MAGIC, O_CRC) || state < BO_BOOT_ST_IDLE ||
        state > BO_BOOT_ST_REVERTING) {
        return false;
    }
    uint32_t seq = bo_get_le32(r + O_SEQ);
    if (seq == 0u || seq >= BO_BOOT_SEQ_MAX) { /* foreign or corrupt: could never be overtaken */
        return false;
    }
    out->state = (bo_boot_state_t)state;
    out->checked = (r[O_STATE] & BO_BOOT_ST_CHECKED) != 0u;
    out->epoch = bo_get_le16(r + O_EPOCH);
    out->seq = seq;
    out->floor = bo_get_le32(r + O_FLOOR);
    return true;
}

/* Keeps the newest valid record (highest sequence number). */
static void take_newest(void *ctx, const uint8_t *rec)
{
    bo_boot_st_t *st = ctx, cand;
    if (decode(rec, &cand) && (!st->have || cand.seq > st->seq)) {
        cand.have = true;
        *st = cand;
    }
}

int bo_boot_st_read(const bo_boot_cfg_t *cfg, bo_boot_st_t *st)
{
    const bo_flash_t *f = cfg->flash;
    uint32_t base = status_addr(cfg), next;
    memset(st, 0, sizeof *st);
    int rc =
        bo_boot_scan(f, base, base + f->page_size, bo_boot_rec_size(f), take_newest, st, &next);
    st->next = next;
    return rc;
}

uint32_t bo_boot_st_free(const bo_boot_cfg_t *cfg, const bo_boot_st_t *st)
{
    uint32_t end = status_addr(cfg) + cfg->flash->page_size;
    return (end - st->next) / bo_boot_rec_size(cfg->flash);
}

static int program_record(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, uint32_t state,
                          uint16_t epoch, uint32_t floor)
{
    const bo_flash_t *f = cfg->flash;
    uint32_t rs = bo_boot_rec_size(f);
    uint8_t r[BO_BOOT_REC_MAX];
    if (bo_boot_st_free(cfg, st) == 0u) {
        return BO_ERR_NOSPACE;
    }
    memset(r, 0, rs);
    r[O_MAGIC] = REC_MAGIC;
    r[O_STATE] = (uint8_t)state;
    bo_put_le16(r + O_EPOCH, epoch);
    bo_put_le32(r + O_SEQ, st->seq + 1u);
    bo_put_le32(r + O_FLOOR, floor);
    bo_boot_seal(r, O_CRC);
    uint32_t at = st->next;
    st->next += rs; /* even if programming fails half-way: that unit is never reused */
    int rc = bo_boot_write(f, at, r, rs);
    if (rc == BO_OK) {
        st->state = (bo_boot_state_t)(state & ~BO_BOOT_ST_CHECKED);
        st->checked = (state & BO_BOOT_ST_CHECKED) != 0u;
        st->epoch = epoch;
        st->seq++;
        st->floor = floor;
        st->have = true;
    }
    return rc;
}

/* Erases the page and writes the current state as its first record. */
static int compact(const bo_boot_cfg_t *cfg, bo_boot_st_t *st)
{
    uint32_t base = status_addr(cfg);
    int rc = bo_boot_erase_pages(cfg->flash, base, 1);
    if (rc != BO_OK) {
        return rc;
    }
    st->next = base;
    if (!st->have) {
        return BO_OK;
    }
    return program_record(cfg, st, st->state | (st->checked ? BO_BOOT_ST_CHECKED : 0u), st->epoch,
                          st->floor);
}

BO_BOOT_NOINLINE int bo_boot_st_reserve(const bo_boot_cfg_t *cfg, bo_boot_st_t *st,
                                        uint32_t records)
{
    return bo_boot_st_free(cfg, st) >= records ? BO_OK : compact(cfg, st);
}

int bo_boot_st_write(const bo_boot_cfg_t *cfg, bo_boot_st_t *st, uint32_t state, uint16_t epoch,
                     uint32_t floor)
{
    int rc = BO_OK;
    if (st->seq + 1u >= BO_BOOT_SEQ_MAX) {
        st->seq = 0; /* sequence space used up: compact, the snapshot restarts at 1 */
        rc = compact(cfg, st);
    }
    if (rc == BO_OK && bo_boot_st_free(cfg, st) == 0u) {
        rc = compact(cfg, st); /* only after an attacker's run of torn writes: see top */
    }
    return rc == BO_OK ? program_record(cfg, st, state, epoch, floor) : rc;
}

int bo_boot_status(const bo_boot_cfg_t *cfg, bo_boot_status_t *out)
{
    if (cfg == NULL || cfg->flash == NULL || cfg->flash->read == NULL || out == NULL) {
        return BO_ERR_ARG;
    }
    memset(out, 0, sizeof *out);
    if (!bo_boot_journal(cfg)) {
        return BO_OK;
    }
    bo_boot_st_t st;
    int rc = bo_boot_st_read(cfg, &st);
    if (rc == BO_OK) {
        out->journal = true;
        out->state = st.have ? st.state : BO_BOOT_ST_NONE;
        out->floor = st.floor;
    }
    return rc;
}

/* The version in slot 0's header, unauthenticated: the application confirming is running it. */
static int slot0_version(const bo_boot_cfg_t *cfg, uint32_t *version)
{
    uint8_t hdr[BO_MD_SIZE];
    bo_md_t md;
    int rc = bo_boot_read(cfg->flash, cfg->layout.slot0, hdr, sizeof hdr);
    if (rc == BO_OK && bo_md_parse(hdr, &md) != BO_OK) {
        rc = BO_ERR_NOTFOUND;
    }
    if (rc == BO_OK) {
        *version = md.fw_rev;
    }
    return rc;
}

int bo_boot_confirm(const bo_boot_cfg_t *cfg)
{
    if (cfg == NULL || cfg->flash == NULL || cfg->flash->read == NULL ||
        cfg->flash->prog == NULL) {
        return BO_ERR_ARG;
    }
    if (!bo_boot_journal(cfg)) {
        return BO_OK; /* no status page: every image is permanent */
    }
    bo_boot_st_t st;
    uint32_t version = 0;
    int rc = bo_boot_st_read(cfg, &st);
    if (rc != BO_OK || !st.have ||
        (st.state != BO_BOOT_ST_TRIAL && st.state != BO_BOOT_ST_TRIAL_READY)) {
        return rc;
    }
    rc = slot0_version(cfg, &version);
    if (rc != BO_OK) {
        return rc;
    }
    /* the trial image was proven when it was swapped in (or authenticated at its boot) */
    return bo_boot_st_write(cfg, &st, BO_BOOT_ST_IDLE | BO_BOOT_ST_CHECKED, st.epoch,
                            version > st.floor ? version : st.floor);
}
