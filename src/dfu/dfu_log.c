/* The resume log: fixed-size, CRC-protected entries appended into the log pages of the resume
 * area (all resume pages but the last two: the relocation spare and the boot status page). The valid entry with the
 * highest sequence number wins (valid: CRC, and 0 < seq < BO_DFU_LOG_SEQ_MAX, so no wrap can
 * reorder them); a torn entry fails its CRC and is skipped. Format in docs/dfu.md.
 */
#include <string.h>

#include "bleota/crc32.h"
#include "bleota/endian.h"
#include "dfu_priv.h"

#define LOG_MAGIC 0x46444F42u /* "BODF" little-endian */
#define LOG_VERSION 1u
#define E BO_DFU_LOG_ENTRY_SIZE
#define CRC_AT (E - 4u)

/* Byte offsets inside an entry. */
enum {
    O_MAGIC = 0,
    O_SEQ = 4,
    O_KIND = 8,
    O_VER = 9,
    O_SIZE = 12,
    O_OFFSET = 16,
    O_ID = 20,
    O_CURSOR = 36,
    O_HEAD = 52,
    O_LENGTH = 68, /* zero in entries of earlier versions of this code: then size */
    O_AUX = 72,
    O_END = 76
};

_Static_assert(O_END <= CRC_AT, "log entry fields overlap the CRC");
_Static_assert(E % BO_DFU_UNIT_MAX == 0, "a log entry is a whole number of program units");

bool bo_dfu_log_enabled(const bo_dfu_t *dfu)
{
    return dfu->layout.resume_addr != 0;
}

static uint32_t log_pages(const bo_dfu_t *dfu)
{
    return dfu->layout.resume_pages - 2u; /* then the relocation spare, the boot status page */
}

/* Entries per log page. (ps - 1) / E keeps "page full" (slot == per_page) inside the page,
 * so a log position never aliases the start of the next page. */
static uint32_t per_page(const bo_dfu_t *dfu)
{
    return (dfu->flash->page_size - 1u) / E;
}

static uint32_t page_addr(const bo_dfu_t *dfu, uint32_t i)
{
    return dfu->layout.resume_addr + i * dfu->flash->page_size;
}

static void encode(const bo_dfu_t *dfu, uint8_t *e, uint32_t seq, uint8_t kind,
                   const uint8_t *cursor)
{
    memset(e, 0, E);
    bo_put_le32(e + O_MAGIC, LOG_MAGIC);
    bo_put_le32(e + O_SEQ, seq);
    e[O_KIND] = kind;
    e[O_VER] = LOG_VERSION;
    bo_put_le32(e + O_SIZE, dfu->size);
    bo_put_le32(e + O_OFFSET, dfu->offset);
    memcpy(e + O_ID, dfu->id, BO_DFU_ID_SIZE);
    if (cursor != NULL)
        memcpy(e + O_CURSOR, cursor, BO_DFU_CURSOR_SIZE);
    memcpy(e + O_HEAD, dfu->head, BO_DFU_HEAD_SIZE);
    bo_put_le32(e + O_LENGTH, dfu->length);
    bo_put_le32(e + O_AUX, dfu->aux);
    bo_put_le32(e + CRC_AT, bo_crc32(e, CRC_AT));
}

static bool decode(const uint8_t *e, bo_dfu_rec_t *r)
{
    if (bo_get_le32(e + O_MAGIC) != LOG_MAGIC || e[O_VER] != LOG_VERSION ||
        e[O_KIND] < BO_DFU_REC_PROGRESS || e[O_KIND] > BO_DFU_REC_CLEAR ||
        bo_get_le32(e + CRC_AT) != bo_crc32(e, CRC_AT))
        return false;
    r->seq = bo_get_le32(e + O_SEQ);
    if (r->seq == 0u || r->seq >= BO_DFU_LOG_SEQ_MAX)
        return false; /* not ours: see BO_DFU_LOG_SEQ_MAX */
    r->kind = e[O_KIND];
    r->size = bo_get_le32(e + O_SIZE);
    r->offset = bo_get_le32(e + O_OFFSET);
    memcpy(r->id, e + O_ID, BO_DFU_ID_SIZE);
    memcpy(r->cursor, e + O_CURSOR, BO_DFU_CURSOR_SIZE);
    memcpy(r->head, e + O_HEAD, BO_DFU_HEAD_SIZE);
    r->length = bo_get_le32(e + O_LENGTH);
    r->length = r->length != 0u ? r->length : r->size;
    r->aux = bo_get_le32(e + O_AUX);
    return true;
}

static bool blank(const uint8_t *e)
{
    for (uint32_t i = 0; i < E; i++)
        if (e[i] != 0xFF)
            return false;
    return true;
}

static int read_entry(const bo_dfu_t *dfu, uint32_t addr, uint8_t *e)
{
    return bo_dfu_port_rc(dfu->flash->read(dfu->flash->ctx, addr, e, E));
}

/* Next free entry of page pg: just past its last non-blank entry (blank entries before that
 * are never reused, so the log stays in write order). May equal per_page (page full). */
static int next_free(const bo_dfu_t *dfu, uint32_t pg, uint32_t *slot)
{
    uint8_t e[E];
    *slot = 0;
    for (uint32_t i = 0; i < per_page(dfu); i++) {
        int rc = read_entry(dfu, page_addr(dfu, pg) + i * E, e);
        if (rc != BO_OK)
            return rc;
        if (!blank(e))
            *slot = i + 1;
    }
    return BO_OK;
}

int bo_dfu_log_scan(bo_dfu_t *dfu, bo_dfu_rec_t *best, bool *found)
{
    uint8_t e[E];
    bo_dfu_rec_t r;
    uint32_t best_pg = 0;
    *found = false;
    for (uint32_t pg = 0; pg < log_pages(dfu); pg++) {
        for (uint32_t i = 0; i < per_page(dfu); i++) {
            int rc = read_entry(dfu, page_addr(dfu, pg) + i * E, e);
            if (rc != BO_OK)
                return rc;
            if (decode(e, &r) && (!*found || r.seq > best->seq)) {
                *best = r;
                *found = true;
                best_pg = pg;
            }
        }
    }
    uint32_t slot;
    int rc = next_free(dfu, best_pg, &slot);
    if (rc != BO_OK)
        return rc;
    dfu->rec_seq = *found ? best->seq : 0;
    dfu->rec_addr = page_addr(dfu, best_pg) + slot * E;
    dfu->rec_live = *found && best->kind != BO_DFU_REC_CLEAR;
    return BO_OK;
}

/* The sequence space is used up: erase every log page, then continue at 1. The page of the
 * newest entry (where rec_addr points) is erased last: until then that entry stays the newest,
 * so a cut leaves the state as it was (the next append restarts again) and never brings back
 * an older entry that an entry in another page had superseded (fuzz target dfu_log). */
static int restart_log(bo_dfu_t *dfu)
{
    uint32_t last = (dfu->rec_addr - dfu->layout.resume_addr) / dfu->flash->page_size;
    for (uint32_t k = 1; k <= log_pages(dfu); k++) {
        uint32_t pg = (last + k) % log_pages(dfu);
        bool blank_page = false;
        int rc = bo_dfu_blank(dfu, page_addr(dfu, pg), dfu->flash->page_size, &blank_page);
        if (rc == BO_OK && !blank_page)
            rc = bo_dfu_port_rc(dfu->flash->erase(dfu->flash->ctx, page_addr(dfu, pg)));
        if (rc != BO_OK)
            return rc;
    }
    dfu->rec_seq = 0;
    dfu->rec_addr = page_addr(dfu, 0);
    dfu->rec_live = false;
    return BO_OK;
}

int bo_dfu_log_append(bo_dfu_t *dfu, uint8_t kind, const uint8_t *cursor)
{
    if (dfu->rec_seq + 1u >= BO_DFU_LOG_SEQ_MAX) {
        int rc = restart_log(dfu);
        if (rc != BO_OK)
            return rc;
    }
    uint32_t ps = dfu->flash->page_size;
    uint32_t pg = (dfu->rec_addr - dfu->layout.resume_addr) / ps;
    uint32_t slot = (dfu->rec_addr - page_addr(dfu, pg)) / E;
    if (slot >= per_page(dfu)) {
        /* Page full: erase the next one (unless it already reads blank: an erase stalls a
         * single-bank CPU). It holds only older entries; the newest stays readable in this page
         * until the new entry lands. */
        pg = (pg + 1) % log_pages(dfu);
        bool blank = false;
        int rc = bo_dfu_blank(dfu, page_addr(dfu, pg), ps, &blank);
        if (rc == BO_OK && !blank)
            rc = bo_dfu_port_rc(dfu->flash->erase(dfu->flash->ctx, page_addr(dfu, pg)));
        if (rc != BO_OK)
            return rc;
        dfu->rec_addr = page_addr(dfu, pg);
    }
    uint8_t e[E];
    encode(dfu, e, dfu->rec_seq + 1u, kind, cursor);
    uint32_t at = dfu->rec_addr;
    dfu->rec_addr += E; /* even if the program fails half-way: that entry is never reused */
    int rc = bo_dfu_prog_verify(dfu, at, e, E);
    if (rc != BO_OK)
        return rc;
    dfu->rec_seq++;
    dfu->rec_live = kind != BO_DFU_REC_CLEAR;
    return BO_OK;
}
