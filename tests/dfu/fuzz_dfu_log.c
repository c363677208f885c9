/* Fuzz target: the DFU writer with its resume log and resume (src/dfu: dfu.c, dfu_log.c,
 * dfu_resume.c) over any history of downloads, power cuts (clean and torn), reboots, I/O
 * errors and log contents it did not write.
 *
 * Input: a geometry byte (program unit 4/8/16, page 256/512/1024, 4 to 6 resume pages, staging
 * on/off), four image definitions (size, content seed; the image id is a digest of both, so one
 * id is one content), then operations: configure+start (image, with or without id / resume),
 * write n bytes, checkpoint, finish, abort, erase ahead, idle clean-up, resume_clear, read
 * back, staging on/off, a power cut before the n-th flash operation, an I/O error at the n-th,
 * unreadable bytes, and reboot (RAM lost) with tampering of the flash while the device is off:
 *  - a copy of a genuine log entry with an invalid sequence number (0, 0xFFFFFFFF, >=
 *    BO_DFU_LOG_SEQ_MAX) and any kind: the resume-log sequence wrap (issue 12);
 *  - a foreign entry (CRC-valid, an id that is none of ours, any kind and sequence number,
 *    BO_DFU_LOG_SEQ_MAX - 1 included);
 *  - torn entries (random bytes in a blank entry slot);
 *  - stray programmed units in the slot past every offset a genuine record names (units that
 *    were programmed after the last checkpoint, or torn), and in the relocation spare when no
 *    genuine RELOC entry exists.
 * (What is never tampered: bytes a genuine record vouches for, and genuine-looking entries with
 * a valid sequence number for one of our images: a forged record is indistinguishable from a
 * true one.)
 * Properties:
 *  - NOR rules and the layout: no erase/program outside [slot1, slot1 + dl_limit) and the log
 *    and spare pages (never slot 0, never the boot status page), none misaligned, no unit
 *    programmed twice between erases (the flash model aborts);
 *  - a resumed start continues only over correct bytes: slot [16, offset) equals the image,
 *    the cursor is the one checkpointed at that offset, offset < size, on a unit boundary;
 *  - bo_dfu_finish returning OK leaves the slot equal to the image; at any moment a slot whose
 *    header is structurally valid (committed) equals one of the images (except after a torn
 *    erase of its header page, which no erase order can make atomic, until that page is
 *    erased again);
 *  - while receiving, bo_dfu_read_received of [0, offset) gives the image's bytes (held-back
 *    head and staged bytes from RAM);
 *  - every return code is in the documented set. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/crc32.h"
#include "bleota/dfu.h"
#include "bleota/endian.h"
#include "fuzz_flash.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE 0x01000000u
#define SLOT_PAGES 8u
#define PAGE_MAX 1024u
#define IMG_MAX (SLOT_PAGES * PAGE_MAX)
#define NIMG 4u
#define E BO_DFU_LOG_ENTRY_SIZE
/* Log entry layout (docs/dfu.md): what a foreign tool or a corrupt flash would have to mimic. */
#define LOG_MAGIC 0x46444F42u
enum { O_MAGIC = 0, O_SEQ = 4, O_KIND = 8, O_VER = 9, O_SIZE = 12, O_OFFSET = 16, O_ID = 20 };
enum { K_PROGRESS = 1, K_RELOC = 2, K_CLEAR = 3 };

typedef struct {
    uint32_t size;
    uint8_t id[BO_DFU_ID_SIZE];
    uint8_t data[IMG_MAX];
} img_t;

static ff_flash_t ff;
static bo_dfu_t d;
static bo_layout_t lay;
static uint32_t unit, page;
static bool staging;
static uint8_t stage_buf[PAGE_MAX];
static img_t imgs[NIMG];
static int cur;        /* image being received (writer RECEIVING), -1 none */
static uint32_t sent;  /* bytes of it the writer accepted */
static bool suspect0;  /* a torn erase hit the slot's header page, not erased since */
static uint64_t suspect_mark;

/* BO_FUZZ_TRACE=1 in the environment prints each operation and its result (writing seeds). */
static int trace = -1;

static void tr(const char *what, int a, int b)
{
    if (trace < 0) {
        trace = getenv("BO_FUZZ_TRACE") != NULL;
    }
    if (trace) {
        fprintf(stderr, "%-12s %6d %6d  seq %u live %d at %08X ops %llu%s\n", what, a, b,
                d.rec_seq, d.rec_live, d.rec_addr, (unsigned long long)ff.ops,
                ff.off ? " (off)" : "");
    }
}

static void make_image(img_t *im, uint32_t size, uint8_t seed)
{
    static const uint8_t hdr[28] = {0, 0, 0, 0, 0, 0, 0, 0, 'M', 'C', 'H', 'P', 0,    0,
                                    0, 0, 1, 0, 0, 0, 2, 1, 2,   0,   0,   0,   0x55, 0};
    im->size = size;
    fz_fill(((uint64_t)size << 8) | seed, im->data, size);
    memcpy(im->data, hdr, sizeof hdr);
    for (uint32_t u = 64; u + 16 <= size; u += 16 * 13) { /* scattered erased units */
        memset(im->data + u, 0xFF, 16);
    }
    if ((seed & 1u) && size > 2u * page) { /* a whole erased page, as padding makes */
        memset(im->data + page, 0xFF, page);
    }
    fz_fill(0x1d0000000ull ^ ((uint64_t)size << 8) ^ seed, im->id, sizeof im->id);
}

static void cursor_at(const img_t *im, uint32_t off, uint8_t c[BO_DFU_CURSOR_SIZE])
{
    if (off < BO_DFU_CURSOR_SIZE) {
        memset(c, 0, BO_DFU_CURSOR_SIZE);
    } else {
        memcpy(c, im->data + off - BO_DFU_CURSOR_SIZE, BO_DFU_CURSOR_SIZE);
    }
}

static bool struct_valid(const uint8_t *h)
{
    static const uint8_t want[28] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,    0,
                                     0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0x55, 0};
    uint8_t m[28];
    memcpy(m, h, sizeof m);
    memset(m + 0x08, 0, 4);
    memset(m + 0x10, 0, 4);
    m[0x16] = 0;
    return memcmp(m, want, sizeof m) == 0;
}

static uint8_t *slot(uint32_t off, uint32_t len)
{
    return ff_at(&ff, lay.slot1 + off, len);
}

static uint32_t log_pages(void)
{
    return lay.resume_pages - 2u;
}

static uint32_t per_page(void)
{
    return (page - 1u) / E;
}

static uint32_t entry_addr(uint32_t pg, uint32_t i)
{
    return lay.resume_addr + pg * page + i * E;
}

static uint32_t spare_addr(void)
{
    return bo_layout_spare_addr(&lay, page);
}

/* An entry as dfu would accept it (format, CRC, kind); *ours: one of our image ids. */
static bool entry_valid(const uint8_t *e, bool *ours)
{
    *ours = false;
    if (bo_get_le32(e + O_MAGIC) != LOG_MAGIC || e[O_VER] != 1u || e[O_KIND] < K_PROGRESS ||
        e[O_KIND] > K_CLEAR || bo_get_le32(e + E - 4u) != bo_crc32(e, E - 4u)) {
        return false;
    }
    for (uint32_t i = 0; i < NIMG; i++) {
        *ours = *ours || memcmp(e + O_ID, imgs[i].id, BO_DFU_ID_SIZE) == 0;
    }
    return true;
}

static bool seq_valid(uint32_t seq)
{
    return seq != 0u && seq < BO_DFU_LOG_SEQ_MAX;
}

/* What genuine entries vouch for: the highest offset a PROGRESS/RELOC entry of ours names, and
 * whether a RELOC entry of ours exists (the spare page then holds data). */
static void genuine(uint32_t *high, bool *reloc)
{
    *high = 0;
    *reloc = false;
    for (uint32_t pg = 0; pg < log_pages(); pg++) {
        for (uint32_t i = 0; i < per_page(); i++) {
            const uint8_t *e = ff_at(&ff, entry_addr(pg, i), E);
            bool ours;
            if (!entry_valid(e, &ours) || !ours || !seq_valid(bo_get_le32(e + O_SEQ)) ||
                e[O_KIND] == K_CLEAR) {
                continue;
            }
            uint32_t off = bo_get_le32(e + O_OFFSET);
            *high = off > *high ? off : *high;
            *reloc = *reloc || e[O_KIND] == K_RELOC;
        }
    }
}

/* The k-th blank entry slot of the log (any page), or 0 when there is none. */
static uint32_t blank_entry(uint32_t k)
{
    uint32_t n = 0;
    for (uint32_t pg = 0; pg < log_pages(); pg++) {
        for (uint32_t i = 0; i < per_page(); i++) {
            n += ff_blank(&ff, entry_addr(pg, i), E);
        }
    }
    if (n == 0u) {
        return 0;
    }
    k %= n;
    for (uint32_t pg = 0; pg < log_pages(); pg++) {
        for (uint32_t i = 0; i < per_page(); i++) {
            if (ff_blank(&ff, entry_addr(pg, i), E) && k-- == 0u) {
                return entry_addr(pg, i);
            }
        }
    }
    return 0;
}

static void seal(uint8_t *e)
{
    bo_put_le32(e + E - 4u, bo_crc32(e, E - 4u));
}

/* One change made to the flash while the device is off (see the top of the file). */
static void tamper(fz_in_t *c)
{
    uint8_t t = fz_u8(c), e[E];
    uint32_t at = blank_entry(fz_u8(c));
    uint64_t seed = fz_u32(c);
    tr("tamper", t, (int)(at ? at - lay.resume_addr : 0));
    switch (t & 7u) { /* the case; bits 3..7 are its flags */
    case 0: { /* a genuine entry copied with a sequence number dfu must ignore */
        static const uint32_t bad_seq[4] = {0u, 0xFFFFFFFFu, BO_DFU_LOG_SEQ_MAX, 0x80000000u};
        uint32_t n = 0, want;
        const uint8_t *src = NULL;
        bool ours;
        for (uint32_t pg = 0; pg < log_pages(); pg++) {
            for (uint32_t i = 0; i < per_page(); i++) {
                n += entry_valid(ff_at(&ff, entry_addr(pg, i), E), &ours);
            }
        }
        want = n ? (uint32_t)seed % n : 0u;
        for (uint32_t pg = 0, k = 0; pg < log_pages() && n && src == NULL; pg++) {
            for (uint32_t i = 0; i < per_page() && src == NULL; i++) {
                const uint8_t *x = ff_at(&ff, entry_addr(pg, i), E);
                if (entry_valid(x, &ours) && k++ == want) {
                    src = x;
                }
            }
        }
        if (src == NULL || at == 0u) {
            break;
        }
        memcpy(e, src, E);
        uint32_t seq = bad_seq[(t >> 3) & 3u];
        bo_put_le32(e + O_SEQ, seq == BO_DFU_LOG_SEQ_MAX ? seq + (uint32_t)(seed >> 8) % 0x1000u
                                                         : seq);
        if (t & 0x20u) {
            e[O_KIND] = (uint8_t)(K_PROGRESS + (t >> 6) % 3u);
        }
        seal(e);
        ff_stray(&ff, at, e, E);
        break;
    }
    case 1: { /* a foreign entry: CRC-valid, not one of our ids */
        if (at == 0u) {
            break;
        }
        fz_fill(seed, e, E);
        bo_put_le32(e + O_MAGIC, LOG_MAGIC);
        e[O_VER] = 1u;
        e[O_KIND] = (uint8_t)(K_PROGRESS + (t >> 3) % 3u);
        uint32_t seq = (t & 0x20u) ? BO_DFU_LOG_SEQ_MAX - 1u - (uint32_t)(seed >> 40) % 4u
                                   : fz_u32(c);
        bo_put_le32(e + O_SEQ, seq);
        if (t & 0x40u) { /* the size of one of ours, offsets inside it */
            const img_t *im = &imgs[(seed >> 12) % NIMG];
            bo_put_le32(e + O_SIZE, im->size);
            bo_put_le32(e + O_OFFSET, (uint32_t)(seed >> 16) % im->size / 16u * 16u);
        }
        seal(e);
        bool ours;
        if (entry_valid(e, &ours) && ours) {
            break; /* by chance one of our ids: that would be a forgery */
        }
        ff_stray(&ff, at, e, E);
        break;
    }
    case 2: { /* a torn entry: random bits cleared in a blank slot */
        if (at == 0u) {
            break;
        }
        fz_fill(seed, e, E);
        for (uint32_t i = 0; i < E; i++) {
            e[i] |= (uint8_t)fz_rng(&seed); /* mostly ones: a partial program */
        }
        bool ours;
        if (entry_valid(e, &ours)) {
            e[E - 1u] ^= 0x01u; /* valid by chance: break the CRC */
        }
        ff_stray(&ff, at, e, E);
        break;
    }
    case 3: { /* stray units in the slot where no genuine record vouches for the bytes */
        uint32_t high;
        bool reloc;
        genuine(&high, &reloc);
        if (!ff_blank(&ff, lay.slot1, BO_DFU_HEAD_SIZE)) {
            break; /* committed or being committed: its bytes are vouched for */
        }
        uint32_t lo = high > BO_DFU_HEAD_SIZE ? high : BO_DFU_HEAD_SIZE;
        lo = (lo + unit - 1u) / unit * unit;
        if (lo >= lay.dl_limit) {
            break;
        }
        uint32_t n = 1u + (t >> 3) % 4u;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t off = lo + (uint32_t)(fz_rng(&seed) % ((lay.dl_limit - lo) / unit)) * unit;
            uint8_t u[16];
            fz_fill(fz_rng(&seed), u, unit);
            ff_stray(&ff, lay.slot1 + off, u, unit);
        }
        break;
    }
    case 4: { /* stray units in the relocation spare, unless a RELOC entry may need it */
        uint32_t high;
        bool reloc;
        genuine(&high, &reloc);
        if (reloc) {
            break;
        }
        uint8_t u[16];
        fz_fill(seed, u, unit);
        ff_stray(&ff, spare_addr() + (uint32_t)(seed >> 32) % (page / unit) * unit, u, unit);
        break;
    }
    default:
        break;
    }
}

static void boot(void)
{
    ff_reboot(&ff);
    ff.bad_lo = ff.bad_hi = 0;
    FZ_CHECK(bo_dfu_init(&d, &ff.flash, &lay) == BO_OK, "init");
    if (staging) {
        FZ_CHECK(bo_dfu_set_stage(&d, stage_buf, page) == BO_OK, "stage");
    }
    cur = -1;
}

static bool flash_err(int rc)
{
    return rc == BO_ERR_IO || rc == BO_ERR_VERIFY || rc == BO_ERR_POWER;
}

/* After every operation: committed means equal to an image; the session is what it says. */
static void invariants(void)
{
    if (ff.torn_op == 'E' && ff.torn_addr == lay.slot1) {
        suspect0 = true;
        suspect_mark = ff.watch_erases;
        ff.torn_op = 0;
    }
    if (suspect0 && ff.watch_erases != suspect_mark) {
        suspect0 = false;
    }
    if (!suspect0 && struct_valid(slot(0, 28))) {
        bool same = false;
        for (uint32_t i = 0; i < NIMG && !same; i++) {
            same = memcmp(slot(0, imgs[i].size), imgs[i].data, imgs[i].size) == 0;
        }
        FZ_CHECK(same, "a committed slot equals none of the images");
    }
    if (cur >= 0) {
        FZ_CHECK(d.state == BO_DFU_RECEIVING && d.offset == sent, "state %d offset %u/%u",
                 (int)d.state, d.offset, sent);
    } else {
        FZ_CHECK(d.state != BO_DFU_RECEIVING, "receiving outside a session the harness knows");
    }
}

static void op_start(uint8_t op, fz_in_t *c)
{
    uint32_t i = (op >> 4) & 3u;
    const img_t *im = &imgs[i];
    bool no_id = (op & 0x40u) != 0u, no_resume = (op & 0x80u) != 0u;
    (void)c;
    int rc = bo_dfu_configure(&d, im->size);
    FZ_CHECK(rc == BO_OK || (rc == BO_ERR_BUSY && d.state == BO_DFU_RECEIVING), "configure %d",
             rc);
    if (rc != BO_OK) {
        return;
    }
    cur = -1;
    bo_dfu_resume_t res;
    memset(&res, 0xA5, sizeof res);
    rc = bo_dfu_start(&d, no_id ? NULL : im->id, no_resume ? NULL : &res);
    tr("start", (int)i, rc == BO_OK && !no_resume ? (int)res.offset : rc);
    FZ_CHECK(rc == BO_OK || flash_err(rc), "start %d", rc);
    if (rc != BO_OK) {
        return;
    }
    cur = (int)i;
    sent = 0;
    if (no_resume) {
        FZ_CHECK(d.offset == 0u, "started at %u without a resume", d.offset);
        return;
    }
    sent = res.offset;
    if (res.offset == 0u) {
        return;
    }
    uint8_t want[BO_DFU_CURSOR_SIZE];
    cursor_at(im, res.offset, want);
    FZ_CHECK(!no_id && res.offset < im->size && res.offset % unit == 0u,
             "resumed at %u of %u", res.offset, im->size);
    FZ_CHECK(memcmp(res.cursor, want, sizeof want) == 0, "resume cursor at %u", res.offset);
    uint32_t body = res.offset > BO_DFU_HEAD_SIZE ? res.offset - BO_DFU_HEAD_SIZE : 0u;
    FZ_CHECK(memcmp(slot(BO_DFU_HEAD_SIZE, body), im->data + BO_DFU_HEAD_SIZE, body) == 0,
             "resumed at %u over bytes that are not the image's", res.offset);
    FZ_CHECK(d.offset == res.offset, "writer at %u, resume said %u", d.offset, res.offset);
}

static void op_write(uint8_t op, fz_in_t *c)
{
    uint32_t n = fz_u16(c) % 1600u;
    const img_t *im = cur >= 0 ? &imgs[cur] : &imgs[0];
    uint32_t off = cur >= 0 ? sent : 0u;
    bool over = (op & 0x10u) != 0u;
    if (!over && n > im->size - off) {
        n = im->size - off;
    }
    static uint8_t junk[1600 + IMG_MAX];
    const uint8_t *p = im->data + off;
    if (n > im->size - off) { /* past the configured size: refused whole */
        memset(junk, 0x5A, n);
        p = junk;
    }
    int rc = bo_dfu_write(&d, p, n);
    tr("write", (int)n, rc);
    if (cur < 0) {
        FZ_CHECK(rc == BO_ERR_STATE, "write without a session %d", rc);
        return;
    }
    if (n > im->size - off) {
        FZ_CHECK(rc == BO_ERR_RANGE && d.offset == sent, "overrun %d", rc);
        return;
    }
    FZ_CHECK(rc == BO_OK || flash_err(rc), "write %d", rc);
    if (rc == BO_OK) {
        sent += n;
    } else {
        FZ_CHECK(d.state == BO_DFU_IDLE, "writer not idle after flash error %d", rc);
        cur = -1;
    }
}

static void op_checkpoint(void)
{
    uint8_t cv[BO_DFU_CURSOR_SIZE];
    cursor_at(cur >= 0 ? &imgs[cur] : &imgs[0], cur >= 0 ? sent : 0u, cv);
    int rc = bo_dfu_checkpoint(&d, cv);
    tr("checkpoint", (int)sent, rc);
    if (cur < 0 || !d.have_id) {
        FZ_CHECK(rc == BO_ERR_STATE, "checkpoint without a session/id %d", rc);
        return;
    }
    if (sent % unit != 0u) {
        FZ_CHECK(rc == BO_ERR_ALIGN, "unaligned checkpoint %d", rc);
        return;
    }
    FZ_CHECK(rc == BO_OK || flash_err(rc), "checkpoint %d", rc);
    if (rc != BO_OK) {
        cur = -1;
    }
}

static void op_finish(void)
{
    int rc = bo_dfu_finish(&d);
    tr("finish", (int)sent, rc);
    if (cur < 0 || sent != imgs[cur].size) {
        FZ_CHECK(rc == BO_ERR_STATE, "finish of an incomplete download %d", rc);
        return;
    }
    FZ_CHECK(rc == BO_OK || flash_err(rc), "finish %d", rc);
    if (rc == BO_OK) {
        const img_t *im = &imgs[cur];
        FZ_CHECK(d.state == BO_DFU_DONE && memcmp(slot(0, im->size), im->data, im->size) == 0,
                 "finished slot is not the image (%u bytes)", im->size);
    }
    cur = -1;
}

static void op_read(fz_in_t *c)
{
    static uint8_t buf[IMG_MAX];
    if (cur < 0) {
        return;
    }
    uint32_t end = sent - d.unit_fill; /* a partial unit waits in RAM, unreadable */
    uint32_t from = fz_u16(c) % (end + 1u);
    int rc = bo_dfu_read_received(&d, from, buf, end - from);
    if (rc == BO_ERR_IO || rc == BO_ERR_POWER) {
        return;
    }
    FZ_CHECK(rc == BO_OK && memcmp(buf, imgs[cur].data + from, end - from) == 0,
             "read_received [%u, %u) differs from the image (%d)", from, end, rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t c = {data, size};
    uint8_t g = fz_u8(&c);
    static const uint32_t units[4] = {16, 8, 4, 16}, pages[4] = {512, 256, 1024, 512};
    unit = units[g & 3u];
    page = pages[(g >> 2) & 3u];
    uint32_t rp = 4u + (g >> 4) % 3u;
    staging = (g & 0x80u) != 0u;
    uint32_t slot1 = BASE + SLOT_PAGES * page, dl = SLOT_PAGES * page;
    lay = (bo_layout_t){BASE, slot1, dl + rp * page, dl, slot1 + dl, rp};
    ff.name = "(dfu)";
    ff_init(&ff, BASE, 2u * SLOT_PAGES * page + (rp + 1u) * page, page, unit);
    ff_allow(&ff, slot1, slot1 + dl);                                    /* the download area */
    ff_allow(&ff, lay.resume_addr, bo_layout_status_addr(&lay, page)); /* log pages, spare */
    ff.watch = slot1;
    for (uint32_t i = 0; i < NIMG; i++) {
        uint32_t sz = 16u * (1u + fz_u16(&c) % (dl / 16u));
        make_image(&imgs[i], sz, fz_u8(&c));
    }
    suspect0 = false;
    boot();
    while (c.n > 0u) {
        uint8_t op = fz_u8(&c);
        switch (op & 15u) {
        case 0:
            op_start(op, &c);
            break;
        case 1:
        case 2:
            op_write(op, &c);
            break;
        case 3:
            op_checkpoint();
            break;
        case 4:
            op_finish();
            break;
        case 5:
            bo_dfu_abort(&d);
            cur = -1;
            break;
        case 6: {
            int rc = bo_dfu_erase_ahead(&d, (uint32_t)fz_u8(&c) * 32u);
            FZ_CHECK(rc == 0 || rc == 1 || flash_err(rc), "erase_ahead %d", rc);
            if (rc < 0) {
                cur = -1;
            }
            break;
        }
        case 7: { /* idle clean-up, a few steps */
            bool receiving = d.state == BO_DFU_RECEIVING;
            uint32_t n = 1u + fz_u8(&c) % 32u;
            for (uint32_t k = 0; k < n; k++) {
                int rc = bo_dfu_idle_erase(&d);
                FZ_CHECK(rc == 0 || rc == 1 || flash_err(rc), "idle_erase %d", rc);
                FZ_CHECK(!receiving || rc == 0, "idle clean-up during a download");
                if (rc != 1) {
                    break;
                }
            }
            break;
        }
        case 8: {
            int rc = bo_dfu_resume_clear(&d);
            FZ_CHECK(rc == BO_OK || flash_err(rc) || (rc == BO_ERR_STATE && cur >= 0),
                     "resume_clear %d", rc);
            break;
        }
        case 9: { /* one read per statement: C leaves the order of arguments open */
            uint32_t n = 1u + fz_u8(&c) % 64u;
            ff_cut(&ff, n, (op & 0x10u) != 0u, fz_u32(&c));
            break;
        }
        case 10: { /* reboot; while off, the flash may be tampered with */
            tr("reboot", (op >> 4) % 4, 0);
            ff_reboot(&ff);
            for (uint32_t k = (op >> 4) % 4u; k > 0u; k--) {
                tamper(&c);
            }
            boot();
            break;
        }
        case 11:
            ff_fail(&ff, 1u + fz_u8(&c) % 32u);
            break;
        case 12: {
            uint32_t at = lay.slot1 + fz_u16(&c) % (lay.slot_size + page);
            ff.bad_lo = at;
            ff.bad_hi = at + 1u + fz_u8(&c);
            break;
        }
        case 13: {
            bool on = (op & 0x10u) != 0u;
            int rc = bo_dfu_set_stage(&d, on ? stage_buf : NULL, on ? page : 0u);
            FZ_CHECK(rc == BO_OK || (rc == BO_ERR_BUSY && d.state == BO_DFU_RECEIVING),
                     "set_stage %d", rc);
            if (rc == BO_OK) {
                staging = on;
            }
            break;
        }
        case 14:
            op_read(&c);
            break;
        default:
            break;
        }
        invariants();
    }
    return 0;
}
