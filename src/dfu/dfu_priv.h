/* dfu internals shared by dfu.c (writer), dfu_log.c (resume log) and dfu_resume.c (resume,
 * relocation). Not a public header. */
#ifndef BLEOTA_DFU_PRIV_H
#define BLEOTA_DFU_PRIV_H

#include "bleota/dfu.h"

/* Log entry kinds. PROGRESS: everything below offset is programmed. RELOC: the same, but the
 * page holding offset is being rewritten from the spare page. CLEAR: no record. */
enum { BO_DFU_REC_PROGRESS = 1, BO_DFU_REC_RELOC = 2, BO_DFU_REC_CLEAR = 3 };


typedef struct {
    uint32_t seq;
    uint8_t kind;
    uint32_t size;
    uint32_t length; /* bytes the download writes (0 in older entries: size) */
    uint32_t aux;    /* the caller's word */
    uint32_t offset;
    uint8_t id[BO_DFU_ID_SIZE];
    uint8_t cursor[BO_DFU_CURSOR_SIZE];
    uint8_t head[BO_DFU_HEAD_SIZE];
} bo_dfu_rec_t;

/* Normalises a port return: 0 or a negative bo_err_t; anything positive is a port bug (IO). */
int bo_dfu_port_rc(int rc);

/* Programs len bytes (multiple of prog_unit) at an absolute address, unit by unit, skipping
 * units that are all 0xFF (erased flash already reads so, and a unit never programmed stays
 * programmable), then reads every unit back. BO_ERR_VERIFY on mismatch. */
int bo_dfu_prog_verify(const bo_dfu_t *dfu, uint32_t addr, const uint8_t *data, uint32_t len);

/* *blank = every byte of [addr, addr + len) reads 0xFF. */
int bo_dfu_blank(const bo_dfu_t *dfu, uint32_t addr, uint32_t len, bool *blank);

/* True when the layout reserves resume pages. */
bool bo_dfu_log_enabled(const bo_dfu_t *dfu);

/* Scans the log: *found and *best = the valid entry with the highest sequence number; sets
 * dfu->rec_seq, dfu->rec_addr (next free entry) and dfu->rec_live. */
int bo_dfu_log_scan(bo_dfu_t *dfu, bo_dfu_rec_t *best, bool *found);

/* Appends one entry of the given kind with dfu's id, size, offset, head and the cursor
 * (NULL: zeros), moving to (and erasing) the next log page when the current one is full. */
int bo_dfu_log_append(bo_dfu_t *dfu, uint8_t kind, const uint8_t *cursor);

/* Continues the download described by rec (matching id and size, 0 < offset < size): restores
 * head and offset, finishes or performs the relocation of the page holding offset when units
 * past it may already be programmed, and sets erased_end. */
int bo_dfu_resume_continue(bo_dfu_t *dfu, const bo_dfu_rec_t *rec);

#endif
