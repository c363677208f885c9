/* Fuzz target: the bootloader (src/boot: bo_boot_run, bo_boot_recover, bo_boot_confirm) over
 * arbitrary flash: both slots, the status page and the swap progress page of the resume area
 * (docs/bootloader.md), reached by real boots cut at any flash operation as well as by bytes
 * written straight into flash.
 *
 * Input: a config byte (program unit 4/8/16, page 256/512/1024, 4 or 5 resume pages, allowed
 * methods: the secure default / +SHA-256 / all / no key provisioned, allow_downgrade), the
 * contents of slot 0 and slot 1 (blank, one of ten signed templates: permanent and trial,
 * ECDSA, signed-digest, SHA-256, none, another key, an older version, the largest image; or a
 * template with its head erased, a byte flipped or truncated; or random bytes), then
 * operations: BOOT (with the property checks below), a boot cut at its n-th flash operation
 * left as it is (clean or torn), confirm, recover, a template written into a slot (serial DFU
 * or other means), raw bytes anywhere, a CRC-valid status record (any state, floor, epoch), a
 * swap progress header and progress records (CRC-valid, any fields, the digest of a slot's
 * bytes), unreadable bytes and an I/O error for the next boot.
 * Properties of each BOOT:
 *  - RUN only for an image that authenticates again (bo_boot_authenticate of slot 0, same id),
 *    whose version is at least the floor the boot reports and every floor an earlier boot
 *    reported since the status page or slot 0 was last written by hand (unless
 *    allow_downgrade);
 *  - without injected faults the boot returns BO_OK;
 *  - a second boot does no flash operation and decides the same, unless the first started a
 *    trial image (the second then reverts it, or reports the saved copy lost, and a third does
 *    no flash operation);
 *  - a power cut before the n-th flash operation of that boot (n chosen by the input, clean or
 *    torn) then a boot without faults ends in the same state as the uncut boot: same decision,
 *    image, trial flag, floor and status state, same bytes in slot 0 and in slot 1's download
 *    area. A torn operation may have landed whole, so a torn cut may instead end as a cut after
 *    that operation does (after the last one: as a reset before the jump, which reverts a trial
 *    image that never ran, by design);
 *  - no erase or program outside the two slots (resume area included), none misaligned, no
 *    unit programmed twice between erases (the flash model aborts).
 * ECDSA verification results are memoised (tests/fuzz/fuzz_ecdsa_memo.c) so the many boots per
 * input stay fast. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/boot.h"
#include "bleota/crc32.h"
#include "bleota/endian.h"
#include "fuzz_flash.h"
#include "fuzz_input.h"
#include "timg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE 0x01000000u
#define SLOT_PAGES 8u /* download area of slot 1 (and the image limit) */
#define PAGE_MAX 1024u
#define RP_MAX 5u
#define FLASH_MAX ((2u * (SLOT_PAGES + RP_MAX) + 1u) * PAGE_MAX)
#define NT 10u
#define IMG_MAX (SLOT_PAGES * PAGE_MAX)

/* ---- templates: signed images for each page size ---------------------------------------- */
typedef struct {
    uint8_t data[IMG_MAX];
    uint32_t len;
    uint32_t version;
} tmpl_t;

static tmpl_t tmpl[3][NT];
static bool have_tmpl[3];
static tkey_t key, other_key;
static bool have_keys;

static void make_templates(uint32_t pi, uint32_t ps)
{
    if (!have_keys) {
        tkey_gen(&key, 1);
        tkey_gen(&other_key, 2);
        have_keys = true;
    }
    struct {
        uint32_t version, fw;
        uint8_t md, fwm, flags;
        bool other;
    } d[NT] = {
        {0x01000000u, ps, BO_AUTH_ECDSA, BO_AUTH_ECDSA, 0, false},           /* v1 permanent */
        {0x02000000u, 3u * ps - 448u, BO_AUTH_ECDSA, BO_AUTH_ECDSA, BO_MD_FLAG_TRIAL, false},
        {0x03000000u, ps / 2u, BO_AUTH_ECDSA, BO_AUTH_SHA256, BO_MD_FLAG_TRIAL, false},
        {0x00090000u, ps, BO_AUTH_ECDSA, BO_AUTH_ECDSA, 0, false},           /* older */
        {0x04000000u, 2u * ps, BO_AUTH_SHA256, BO_AUTH_SHA256, 0, false},    /* digest only */
        {0x05000000u, ps, BO_AUTH_NONE, BO_AUTH_NONE, BO_MD_FLAG_TRIAL, false},
        {0x06000000u, ps, BO_AUTH_ECDSA, BO_AUTH_ECDSA, BO_MD_FLAG_TRIAL, true}, /* wrong key */
        {0x07000000u, IMG_MAX / PAGE_MAX * ps - 512u, BO_AUTH_ECDSA, BO_AUTH_ECDSA,
         BO_MD_FLAG_TRIAL, false},                                           /* largest */
        {0x02000000u, 2u * ps, BO_AUTH_ECDSA, BO_AUTH_ECDSA, 0, false},      /* v2 permanent */
        {0x02010000u, ps, BO_AUTH_ECDSA, BO_AUTH_SHA256, BO_MD_FLAG_TRIAL, false},
    };
    for (uint32_t i = 0; i < NT; i++) {
        tmpl_t *t = &tmpl[pi][i];
        t->version = d[i].version;
        t->len = (uint32_t)timg_build3(t->data, sizeof t->data, d[i].other ? &other_key : &key,
                                       d[i].version, d[i].fw, 100u + i, d[i].md, d[i].fwm,
                                       d[i].flags);
    }
    have_tmpl[pi] = true;
}

/* ---- the device --------------------------------------------------------------------------- */
static ff_flash_t ff;
static bo_boot_cfg_t cfg;
static uint32_t unit, page, pidx, fsize;
static const tmpl_t *tm; /* this page size's templates */

typedef struct {
    uint8_t mem[FLASH_MAX];
    uint8_t used[FLASH_MAX / 4u];
} snap_t;

static snap_t s_before, s_after;
static bool faults;       /* injected for the next boot */
/* Slot 0 or the status page written by hand (other means than a boot), or allow_downgrade: slot 0
 * may then hold an image below the recorded floor, and a cut in the status page's compaction
 * (the floor record is rewritten first after an erase) makes a boot take the floor from slot 0,
 * as designed (docs/bootloader.md, "Version floor"): the floor after a cut may then differ. */
static bool hand_written;
static uint32_t floor_min; /* highest floor a boot reported since the status page was forged */

static void snap_save(snap_t *s)
{
    memcpy(s->mem, ff.mem, fsize);
    memcpy(s->used, ff.used, fsize / unit);
}

static void snap_load(const snap_t *s)
{
    memcpy(ff.mem, s->mem, fsize);
    memcpy(ff.used, s->used, fsize / unit);
}

static uint32_t slot_addr(int slot)
{
    return slot == 0 ? cfg.layout.slot0 : cfg.layout.slot1;
}

static uint32_t status_addr(void)
{
    return bo_layout_status_addr(&cfg.layout, page);
}

/* The swap's two progress pages: log page 1 and the relocation spare. */
static uint32_t progress_addr(uint32_t which)
{
    return which == 0u ? cfg.layout.resume_addr + page
                       : bo_layout_spare_addr(&cfg.layout, page);
}

/* Slot contents from one selector byte (and more input for the variants). */
static void fill_slot(int slot, uint8_t v, fz_in_t *c)
{
    static uint8_t buf[(SLOT_PAGES + RP_MAX) * PAGE_MAX];
    uint32_t cap = slot == 0 ? cfg.layout.slot_size : cfg.layout.dl_limit;
    uint32_t kind = v % 16u, len = 0;
    const tmpl_t *t = &tm[kind >= 1u && kind <= NT ? kind - 1u : (v >> 4) % NT];
    if (kind == 0u) {
        return; /* blank */
    }
    if (kind <= NT + 3u) {
        memcpy(buf, t->data, t->len);
        len = t->len;
        if (kind == NT + 1u) { /* an interrupted download: the commit unit never arrived */
            memset(buf, 0xFF, 16);
        } else if (kind == NT + 2u) { /* one byte changed */
            uint32_t at = fz_u16(c) % len;
            buf[at] ^= (uint8_t)(1u << (fz_u8(c) & 7u));
        } else if (kind == NT + 3u) { /* cut short */
            len = fz_u16(c) % len;
        }
    } else { /* random bytes */
        len = fz_u16(c) % cap;
        fz_fill(fz_u32(c), buf, len);
    }
    len = len < cap ? len : cap;
    ff_load(&ff, slot_addr(slot), buf, len);
}

/* A status record as boot_status.c writes it (16 bytes: every unit here is at most 16). */
static void status_record(uint32_t at, uint8_t state, uint16_t epoch, uint32_t seq, uint32_t floor)
{
    uint8_t r[16] = {0xB5u, state};
    bo_put_le16(r + 2, epoch);
    bo_put_le32(r + 4, seq);
    bo_put_le32(r + 8, floor);
    bo_put_le32(r + 12, bo_crc32(r, 12));
    ff_load(&ff, at, r, sizeof r);
}

/* The first status slot nobody wrote, and the highest sequence number seen. */
static uint32_t status_next(uint32_t *seq, uint16_t *epoch)
{
    uint32_t at = status_addr(), next = 0;
    *seq = 0;
    *epoch = 0;
    for (uint32_t off = 0; off < page; off += 16u) {
        const uint8_t *r = ff_at(&ff, at + off, 16);
        bool blank = true;
        for (int i = 0; i < 16; i++) {
            blank = blank && r[i] == 0xFFu;
        }
        if (!blank) {
            next = off + 16u;
            if (r[0] == 0xB5u && bo_get_le32(r + 12) == bo_crc32(r, 12) &&
                bo_get_le32(r + 4) >= *seq) {
                *seq = bo_get_le32(r + 4);
                *epoch = bo_get_le16(r + 2);
            }
        }
    }
    return next < page ? at + next : 0u;
}

static void forge_status(fz_in_t *c)
{
    uint32_t seq;
    uint16_t epoch;
    uint8_t st = fz_u8(c), f = fz_u8(c);
    uint32_t at = status_next(&seq, &epoch);
    if (at == 0u) {
        return;
    }
    uint32_t floor = (f & 0x80u) ? fz_u32(c) : tm[f % NT].version;
    if (st & 0x80u) {
        epoch = fz_u16(c);
    } else if (st & 0x40u) {
        epoch = (uint16_t)(seq + 1u); /* what a swap_begin would use */
    }
    status_record(at, (uint8_t)(st % 8u), epoch, (st & 0x20u) ? fz_u32(c) : seq + 1u, floor);
    floor_min = 0; /* the floor is whatever was forged now */
    hand_written = true;
}

/* A swap progress header as boot_swap.c writes it, with a digest of real bytes, on either
 * progress page with any generation. */
static void forge_progress_header(fz_in_t *c)
{
    uint8_t b[64] = {0}, sel = fz_u8(c);
    uint32_t pa = progress_addr((sel >> 4) & 1u);
    uint32_t seq;
    uint16_t epoch;
    (void)status_next(&seq, &epoch);
    uint32_t k = 1u + fz_u8(c) % SLOT_PAGES;
    uint32_t o_len = 16u * (1u + fz_u16(c) % (k * page / 16u));
    uint8_t digest[BO_SHA256_SIZE];
    /* the old image where a revert would look for it (slot 1, one page up) or slot 0 */
    uint32_t from = (sel & 1u) ? cfg.layout.slot1 + page : cfg.layout.slot0;
    if (sel & 2u) { /* the length of the image there, when it parses */
        bo_md_t md;
        if (bo_md_parse(ff_at(&ff, from, BO_MD_SIZE), &md) == BO_OK &&
            md.fw_len + BO_MD_SIZE <= k * page) {
            o_len = md.fw_len + BO_MD_SIZE;
        }
    }
    bo_sha256(ff_at(&ff, from, o_len), o_len, digest);
    bo_put_le32(b, 0x57534F42u);
    b[4] = 1u;
    b[5] = (sel & 0x20u) ? fz_u8(c) : 0u; /* generation */
    bo_put_le16(b + 6, (uint16_t)k);
    bo_put_le16(b + 8, (sel & 4u) ? fz_u16(c) : epoch);
    bo_put_le32(b + 12, o_len);
    memcpy(b + 16, digest, sizeof digest);
    bo_put_le32(b + 60, bo_crc32(b, 60));
    if (sel & 8u) { /* the page erased first, as swap_begin does */
        memset(ff_at(&ff, pa, page), 0xFF, page);
        memset(ff.used + (pa - BASE) / unit, 0, page / unit);
    }
    ff_load(&ff, pa, b, sizeof b);
}

static void forge_progress_record(fz_in_t *c)
{
    uint8_t r[16] = {0xB6u}, sel = fz_u8(c);
    uint32_t hdr = (64u + unit - 1u) / unit * unit, at = 0, pa = progress_addr((sel >> 4) & 1u);
    for (uint32_t off = hdr; off + 16u <= page; off += 16u) { /* after the last written one */
        const uint8_t *x = ff_at(&ff, pa + off, 16);
        bool blank = true;
        for (int i = 0; i < 16; i++) {
            blank = blank && x[i] == 0xFFu;
        }
        if (!blank) {
            at = 0;
        } else if (at == 0u) {
            at = pa + off;
        }
    }
    if (at == 0u) {
        return;
    }
    const uint8_t *h = ff_at(&ff, pa, 64);
    r[1] = (uint8_t)(1u + (sel & 1u)); /* SAVED / PLACED */
    bo_put_le16(r + 2, fz_u8(c) % SLOT_PAGES);
    bo_put_le16(r + 4, (sel & 2u) ? fz_u16(c) : bo_get_le16(h + 8));
    bo_put_le32(r + 12, bo_crc32(r, 12));
    ff_load(&ff, at, r, sizeof r);
}

/* ---- properties --------------------------------------------------------------------------- */
static void check_result(int rc, const bo_boot_result_t *res)
{
    if (rc != BO_OK) {
        FZ_CHECK(faults || rc == BO_ERR_POWER, "boot failed without a fault: %d",
                 rc);
        FZ_CHECK(res->action == BO_BOOT_NO_IMAGE, "RUN from a failed boot (%d)", rc);
        return;
    }
    if (res->action != BO_BOOT_RUN) {
        return;
    }
    bool off = ff.off;
    uint32_t lo = ff.bad_lo, hi = ff.bad_hi;
    ff.off = false;
    ff.bad_lo = ff.bad_hi = 0;
    bo_boot_image_t info;
    int arc = bo_boot_authenticate(&cfg, 0, &info);
    FZ_CHECK(arc == BO_OK && memcmp(info.id, res->image.id, sizeof info.id) == 0,
             "RUN for an image that does not authenticate again (%d)", arc);
    FZ_CHECK(res->slot0_status == BO_OK, "RUN with slot 0 status %d", res->slot0_status);
    /* (floors seen earlier bind only while slot 0 and the status page were written by boots
     * alone: see hand_written) */
    FZ_CHECK(cfg.allow_downgrade ||
                 (info.version >= res->floor && (hand_written || info.version >= floor_min)),
             "RUN of version %08X below the floor %08X (seen %08X)", info.version, res->floor,
             floor_min);
    bo_boot_status_t st;
    FZ_CHECK(bo_boot_status(&cfg, &st) == BO_OK &&
                 (!st.journal || st.floor == res->floor),
             "status floor %08X, boot said %08X", st.floor, res->floor);
    ff.off = off;
    ff.bad_lo = lo;
    ff.bad_hi = hi;
}

static void after_ok_boot(const bo_boot_result_t *res)
{
    if (!cfg.allow_downgrade && res->floor > floor_min) {
        floor_min = res->floor;
    }
}

/* The uncut boot's outcome (a, its flash sa) and the cut-then-rebooted one's (b, live flash):
 * same decision and the same slot 0; slot 1's download area the same too, except that a torn
 * operation may leave bytes there the bootloader ignores as the uncut boot's (a torn erase of a
 * retired header page: docs/bootloader.md, "Power-fail safety"), so after a torn cut slot 1
 * need only authenticate as the uncut boot's does (same verdict, same image). */
static bool same_state(const bo_boot_result_t *a, const bo_boot_result_t *b, const snap_t *sa,
                       bool torn)
{
    uint32_t s0 = cfg.layout.slot0 - BASE, s1 = cfg.layout.slot1 - BASE;
    bool ok = a->action == b->action && a->trial == b->trial && a->floor == b->floor &&
              (a->action != BO_BOOT_RUN || memcmp(a->image.id, b->image.id, 32) == 0) &&
              memcmp(ff.mem + s0, sa->mem + s0, cfg.layout.slot_size) == 0;
    if (!ok || memcmp(ff.mem + s1, sa->mem + s1, cfg.layout.dl_limit) == 0) {
        return ok;
    }
    if (!torn) {
        return false;
    }
    static snap_t cut;
    bo_boot_image_t ia, ib;
    snap_save(&cut);
    int rb = bo_boot_authenticate(&cfg, 1, &ib);
    snap_load(sa);
    int ra = bo_boot_authenticate(&cfg, 1, &ia);
    snap_load(&cut);
    return (ra == BO_OK) == (rb == BO_OK) && (ra != BO_OK || memcmp(ia.id, ib.id, 32) == 0);
}

/* BO_FUZZ_TRACE=1 in the environment prints every boot's outcome (for reading findings). */
static void trace_boot(const char *what, int rc, const bo_boot_result_t *r)
{
    static int on = -1;
    if (on < 0) {
        on = getenv("BO_FUZZ_TRACE") != NULL;
    }
    if (on) {
        bo_boot_status_t st = {0};
        bool off = ff.off;
        uint32_t lo = ff.bad_lo, hi = ff.bad_hi;
        ff.off = false;
        ff.bad_lo = ff.bad_hi = 0;
        (void)bo_boot_status(&cfg, &st);
        bo_boot_image_t i0 = {0}, i1 = {0};
        int a0 = bo_boot_authenticate(&cfg, 0, &i0), a1 = bo_boot_authenticate(&cfg, 1, &i1);
        fprintf(stderr,
                "%-8s rc %4d action %d v %08X floor %08X trial %d inst %d rev %d lost %d s1 %d "
                "s0 %d | state %d floor %08X | slot0 %d %08X slot1 %d %08X | ops %llu\n",
                what, rc, r->action, r->image.version, r->floor, r->trial, r->installed,
                r->reverted, r->revert_lost, r->slot1_status, r->slot0_status, st.state, st.floor,
                a0, i0.version, a1, i1.version, (unsigned long long)ff.ops);
        ff.off = off;
        ff.bad_lo = lo;
        ff.bad_hi = hi;
    }
}

static int boot(bo_boot_result_t *res)
{
    memset(res, 0, sizeof *res);
    int rc = bo_boot_run(&cfg, res);
    trace_boot("boot", rc, res);
    check_result(rc, res);
    return rc;
}

static void clear_faults(void)
{
    ff_reboot(&ff);
    ff.bad_lo = ff.bad_hi = 0;
    faults = false;
}

/* From the state before the boot: a boot cut before its n-th operation, then one without. */
static void cut_then_boot(uint64_t n, bool torn, uint64_t seed, bo_boot_result_t *res,
                          bo_boot_status_t *st, uint32_t floor_known)
{
    bo_boot_result_t rx;
    snap_load(&s_before);
    floor_min = floor_known;
    ff_cut(&ff, n, torn, seed);
    FZ_CHECK(boot(&rx) == BO_ERR_POWER, "a boot cut at operation %llu did not fail",
             (unsigned long long)n);
    ff_reboot(&ff);
    int rc = boot(res);
    FZ_CHECK(rc == BO_OK, "the boot after a cut failed: %d", rc);
    FZ_CHECK(bo_boot_status(&cfg, st) == BO_OK, "status");
}

static void op_boot(uint8_t op, fz_in_t *c)
{
    uint8_t kb = fz_u8(c);
    bool torn = (op & 0x10u) != 0u;
    uint64_t tseed = fz_u8(c);
    bo_boot_result_t ra, rb, rx;
    snap_save(&s_before);
    uint64_t o = ff.ops;
    int rc = boot(&ra);
    uint64_t ops_a = ff.ops - o;
    bool had_faults = faults;
    clear_faults();
    if (had_faults || rc != BO_OK) {
        return; /* the next boot settles it; only safety was checked */
    }
    after_ok_boot(&ra);
    bo_boot_status_t st_a;
    FZ_CHECK(bo_boot_status(&cfg, &st_a) == BO_OK, "status");
    snap_save(&s_after);
    uint32_t floor_kept = floor_min;

    /* a second boot: nothing to do, unless the first started a trial image */
    o = ff.ops;
    FZ_CHECK(boot(&rb) == BO_OK, "second boot");
    if (!ra.trial) {
        FZ_CHECK(ff.ops == o, "a second boot did %llu flash operations",
                 (unsigned long long)(ff.ops - o));
        FZ_CHECK(rb.action == ra.action && (ra.action != BO_BOOT_RUN ||
                                            memcmp(ra.image.id, rb.image.id, 32) == 0),
                 "a second boot decided otherwise");
    } else {
        FZ_CHECK(rb.reverted || rb.revert_lost, "a trial image that never confirmed was kept");
        after_ok_boot(&rb);
        o = ff.ops;
        FZ_CHECK(boot(&rx) == BO_OK && ff.ops == o, "a third boot did %llu flash operations",
                 (unsigned long long)(ff.ops - o));
    }

    /* the same boot cut before its n-th flash operation, then booted again; a torn operation
     * may also have landed whole, and then it is the same as a cut after it */
    if (ops_a > 0u) {
        uint64_t n = 1u + kb % ops_a;
        bo_boot_status_t st, st_b;
        cut_then_boot(n, torn, tseed, &rb, &st, floor_kept);
        bool ok = same_state(&ra, &rb, &s_after, torn) && st.state == st_a.state;
        if (!ok && torn) {
            static snap_t s_torn, s_alt;
            bo_boot_result_t r_alt;
            snap_save(&s_torn);
            if (n < ops_a) {
                cut_then_boot(n + 1u, false, 0, &r_alt, &st_b, floor_kept);
            } else { /* every operation done, then the reset before the jump */
                snap_load(&s_after);
                FZ_CHECK(boot(&r_alt) == BO_OK && bo_boot_status(&cfg, &st_b) == BO_OK, "boot");
            }
            snap_save(&s_alt);
            snap_load(&s_torn);
            ok = same_state(&r_alt, &rb, &s_alt, true) && st.state == st_b.state;
        }
        if (!ok && (hand_written || cfg.allow_downgrade) && rb.floor != ra.floor) {
            ok = true; /* slot 0 may be below the floor: see hand_written */
        }
        FZ_CHECK(ok,
                 "a %s cut before operation %llu of %llu ends elsewhere: action %d/%d trial %d/%d "
                 "floor %08X/%08X state %d/%d",
                 torn ? "torn" : "clean", (unsigned long long)n, (unsigned long long)ops_a,
                 ra.action, rb.action, ra.trial, rb.trial, ra.floor, rb.floor, st_a.state,
                 st.state);
    }
    snap_load(&s_after); /* carry on from the uncut boot */
    floor_min = floor_kept;
}

static void op_cut_keep(uint8_t op, fz_in_t *c)
{
    uint64_t n = 1u + fz_u8(c);
    bo_boot_result_t r;
    ff_cut(&ff, n, (op & 0x10u) != 0u, fz_u8(c));
    int rc = bo_boot_run(&cfg, &r);
    trace_boot("cut", rc, &r);
    FZ_CHECK(rc == BO_OK || rc == BO_ERR_POWER || faults, "boot %d", rc);
    if (rc == BO_OK) {
        check_result(rc, &r);
        after_ok_boot(&r);
    } else {
        FZ_CHECK(r.action == BO_BOOT_NO_IMAGE, "RUN from a failed boot");
    }
    clear_faults();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t c = {data, size};
    uint8_t g = fz_u8(&c);
    static const uint32_t units[4] = {16, 8, 4, 16}, pages[4] = {512, 256, 1024, 512};
    static const uint32_t pidx_of[4] = {1, 0, 2, 1};
    unit = units[g & 3u];
    page = pages[(g >> 2) & 3u];
    pidx = pidx_of[(g >> 2) & 3u];
    uint32_t rp = 4u + ((g >> 4) & 1u);
    if (!have_tmpl[pidx]) {
        make_templates(pidx, page);
    }
    tm = tmpl[pidx];
    uint32_t slot = (SLOT_PAGES + rp) * page, dl = SLOT_PAGES * page;
    fsize = 2u * slot + page;
    ff.name = "(boot)";
    ff_init(&ff, BASE, fsize, page, unit);
    ff_allow(&ff, BASE, BASE + 2u * slot); /* both slots, the resume area in slot 1's */
    static const uint32_t masks[4] = {0u, BO_AUTH_MASK(BO_AUTH_ECDSA) | BO_AUTH_MASK(BO_AUTH_SHA256),
                                      BO_AUTH_MASK(BO_AUTH_NONE) | BO_AUTH_MASK(BO_AUTH_SHA256) |
                                          BO_AUTH_MASK(BO_AUTH_ECDSA),
                                      0u};
    cfg = (bo_boot_cfg_t){.flash = &ff.flash,
                          .layout = {BASE, BASE + slot, slot, dl, BASE + slot + dl, rp},
                          .pubkey = ((g >> 5) & 3u) == 3u ? NULL : key.pub,
                          .allowed_auth = masks[(g >> 5) & 3u],
                          .allow_downgrade = (g & 0x80u) != 0u};
    faults = false;
    floor_min = 0;
    hand_written = false;
    fill_slot(0, fz_u8(&c), &c);
    fill_slot(1, fz_u8(&c), &c);
    int boots = 0;
    while (c.n > 0u) {
        uint8_t op = fz_u8(&c);
        switch (op & 15u) {
        case 0:
            if (++boots <= 4) { /* each costs up to six boots */
                op_boot(op, &c);
            }
            break;
        case 1:
            op_cut_keep(op, &c);
            break;
        case 2: {
            int rc = bo_boot_confirm(&cfg);
            bo_boot_result_t none = {0};
            trace_boot("confirm", rc, &none);
            /* NOTFOUND: on trial by the status page, but slot 0's header does not parse */
            FZ_CHECK(rc == BO_OK || rc == BO_ERR_NOTFOUND || faults, "confirm %d", rc);
            clear_faults();
            break;
        }
        case 3: {
            bo_boot_result_t r;
            int rc = bo_boot_recover(&cfg, &r);
            trace_boot("recover", rc, &r);
            FZ_CHECK(rc == BO_OK || faults, "recover %d", rc);
            clear_faults();
            break;
        }
        case 4: /* slot 1 rewritten (serial DFU, a download): erased first */
        case 5: { /* slot 0 rewritten by other means */
            int s = (op & 15u) == 4u ? 1 : 0;
            uint32_t a = slot_addr(s), n = s ? dl : slot;
            memset(ff_at(&ff, a, n), 0xFF, n);
            memset(ff.used + (a - BASE) / unit, 0, n / unit);
            fill_slot(s, fz_u8(&c), &c);
            if (s == 0) {
                /* slot 0 written by other means (a debugger): the floor a boot takes from slot
                 * 0 while the status page is blank (a cut in its compaction) is that image's */
                floor_min = 0;
                hand_written = true;
            }
            break;
        }
        case 6: { /* raw bytes anywhere in the two slots */
            uint32_t at = BASE + (uint32_t)fz_u16(&c) * 4u % (2u * slot);
            size_t got;
            const uint8_t *p = fz_bytes(&c, fz_u8(&c) % 64u, &got);
            got = at + got <= BASE + 2u * slot ? got : BASE + 2u * slot - at;
            ff_load(&ff, at, p, (uint32_t)got);
            if (at + got > status_addr() && at < status_addr() + page) {
                floor_min = 0;
            }
            hand_written = hand_written || at < cfg.layout.slot0 + slot ||
                           (at + got > status_addr() && at < status_addr() + page);
            break;
        }
        case 7:
            forge_status(&c);
            break;
        case 8:
            forge_progress_header(&c);
            break;
        case 9:
            forge_progress_record(&c);
            break;
        case 10: {
            uint32_t at = BASE + fz_u16(&c) * 4u % (2u * slot);
            ff.bad_lo = at;
            ff.bad_hi = at + 1u + fz_u8(&c);
            faults = true;
            break;
        }
        case 11:
            ff_fail(&ff, 1u + fz_u8(&c));
            faults = true;
            break;
        default:
            break;
        }
    }
    return 0;
}
