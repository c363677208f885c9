/* bleota delta patches: rebuild a signed image from the running one and a patch, streaming, in
 * bounded RAM (docs/delta.md).
 *
 * A patch is bsdiff's idea (copy the base with a byte-wise difference, mostly zeros; insert
 * extra bytes; seek in the base) coded with an adaptive binary range coder instead of bzip2, in
 * blocks of BO_DELTA_BLOCK bytes of patch so that a download can resume at any block boundary:
 *
 *   patch  = header (BO_DELTA_HDR_SIZE) | block 0 | block 1 | ...   (the last block may be short)
 *   block  = payload length u16 LE | base position u32 LE | range-coded payload | zero padding
 *            (block 0 starts after the header; every block ends at a multiple of BO_DELTA_BLOCK
 *            of the patch and, but the last, at a multiple of BO_DELTA_ALIGN of the image)
 *   payload: { more=1, triple }* more=0, where triple = x, y, z (adaptive Elias-gamma codes; z
 *            zig-zag signed) then x difference bytes (out = base[pos++] + d) and y extra bytes
 *            (out = e); then pos += z.
 * Every block starts at a triple boundary with fresh models, so the decoder's whole state at a
 * block boundary is (patch offset, output offset, base position from the block header). The
 * image is whole when a block ends with target_len bytes out: what follows is not read (the
 * OTA file's padding).
 *
 * The decoder never reads the base outside [0, base_len) nor writes past target_len; bytes of a
 * damaged patch give a wrong image (the bootloader refuses it) or an error, nothing else. */
#ifndef BLEOTA_DELTA_H
#define BLEOTA_DELTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bleota/err.h"
#include "bleota/port.h"

#define BO_DELTA_MAGIC "BDLT"
#define BO_DELTA_VERSION 1u
#define BO_DELTA_HDR_SIZE 42u
#define BO_DELTA_ID_SIZE 16u /* the base's identity, its first 16 bytes (128 bits) */
#define BO_DELTA_BLOCK 4096u
#define BO_DELTA_BLOCK_HDR 6u /* payload length u16, base position u32 */
#define BO_DELTA_ALIGN 16u    /* every block but the last ends at an image offset multiple of
                                 this (the largest program unit): a resume point */

/* Header fields (little-endian). */
enum {
    BO_DELTA_OFF_MAGIC = 0,       /* "BDLT" */
    BO_DELTA_OFF_VERSION = 4,     /* BO_DELTA_VERSION */
    BO_DELTA_OFF_FLAGS = 5,       /* 0 */
    BO_DELTA_OFF_TARGET_LEN = 6,
    BO_DELTA_OFF_BASE_LEN = 10,
    BO_DELTA_OFF_BASE_ID = 14,    /* BO_DELTA_ID_SIZE bytes of the base's identity */
    BO_DELTA_OFF_TARGET_REV = 30, /* the target's FW_IMG_REV (for tools; the image decides) */
    BO_DELTA_OFF_PATCH_LEN = 34,  /* bytes of the whole patch: what follows (padding) is not it */
    BO_DELTA_OFF_CRC = 38         /* CRC-32 of bytes 0..37 */
};

typedef struct {
    uint32_t target_len; /* bytes of the rebuilt image (header + firmware) */
    uint32_t base_len;   /* bytes of the base the patch reads (header + firmware) */
    uint8_t base_id[BO_DELTA_ID_SIZE]; /* the base's identity: SHA-256(metadata digest ||
                                          firmware digest), its first 16 bytes */
    uint32_t target_rev;
    uint32_t patch_len; /* header included (for tools: the decoder stops at target_len) */
} bo_delta_hdr_t;

/* True when the bytes start like a patch (magic only: cheap, for routing). */
bool bo_delta_is_patch(const uint8_t *data, size_t len);
/* Parses and checks a header: BO_ERR_FORMAT unless magic, version, flags, CRC and lengths hold. */
int bo_delta_hdr_parse(const uint8_t in[BO_DELTA_HDR_SIZE], bo_delta_hdr_t *out);
void bo_delta_hdr_build(const bo_delta_hdr_t *h, uint8_t out[BO_DELTA_HDR_SIZE]);

/* BO_OK when the image at slot0 is the patch's base: its length is base_len and its identity
 * SHA-256(metadata digest || firmware digest) (bo_boot_image_t.id: what its signatures cover)
 * is base_id. Hashes the running image once. BO_ERR_NOTFOUND when not, or a flash error. */
int bo_delta_base_check(const bo_flash_t *f, uint32_t slot0, const bo_delta_hdr_t *h);
/* The identity of a signed image in memory (512-byte header, then fw_len bytes of firmware), as a
 * patch names its base: the first BO_DELTA_ID_SIZE bytes of SHA-256(md digest || fw digest). */
void bo_delta_image_id(const uint8_t *img, uint32_t fw_len, uint8_t out[BO_DELTA_ID_SIZE]);

/* ---- the decoder --------------------------------------------------------------------------- */
/* Probability slots: the byte tree (shared by difference and extra bytes), the difference
 * flags (context: the last four flags), the numbers (unary part, then bits, per number kind),
 * the "more triples" flag. */
#define BO_DELTA_TREE 256u
#define BO_DELTA_FLAGS 16u
#define BO_DELTA_NUM 20u /* unary contexts per kind; as many for the bits */
#define BO_DELTA_PROBS (BO_DELTA_TREE + BO_DELTA_FLAGS + 2u * 2u * BO_DELTA_NUM + 1u)
#define BO_DELTA_OUT_BUF 32u
#define BO_DELTA_BASE_BUF 16u

typedef struct {
    /* base bytes [off, off + len), off + len <= base_len: 0 or a bo_err_t */
    int (*read_base)(void *ctx, uint32_t off, uint8_t *buf, uint32_t len);
    /* output bytes, in order: 0 or a bo_err_t */
    int (*write)(void *ctx, const uint8_t *data, uint32_t len);
    void *ctx;
} bo_delta_io_t;

typedef struct {
    bo_delta_io_t io;
    uint32_t target_len, base_len;
    uint32_t in_off;  /* patch bytes taken */
    uint32_t out_off; /* image bytes produced (written or buffered) */
    uint32_t pos;     /* base position */
    uint32_t range, code;
    uint32_t x, y;  /* difference and extra bytes left in the triple */
    uint32_t num;   /* number being decoded */
    uint32_t left;  /* block payload bytes not yet taken */
    uint16_t field; /* header/number/tree progress within the state */
    uint8_t state;
    uint8_t hist; /* last four difference flags */
    uint8_t kind; /* which number: x, y or z */
    uint8_t hdr[BO_DELTA_BLOCK_HDR];
    uint16_t probs[BO_DELTA_PROBS];
    uint8_t out[BO_DELTA_OUT_BUF];
    uint8_t out_n;
    uint8_t base[BO_DELTA_BASE_BUF];
    uint32_t base_at; /* base offset of base[0]; UINT32_MAX: empty */
    uint8_t pend;     /* a payload byte not yet taken by the range decoder */
    bool have;
    uint8_t virt; /* zero bytes read past a block's payload (the coder's flush covers 5) */
    int err;      /* sticky */
} bo_delta_t;

/* Starts a decode at a block boundary of the patch: in_off == BO_DELTA_HDR_SIZE with out_off 0
 * (a fresh patch, header already checked by the caller), or in_off a multiple of BO_DELTA_BLOCK
 * with the out_off (a multiple of BO_DELTA_ALIGN) the decode had reached there (resume). Only
 * h's target_len and base_len are used. */
int bo_delta_begin(bo_delta_t *d, const bo_delta_hdr_t *h, const bo_delta_io_t *io,
                   uint32_t in_off, uint32_t out_off);
/* Takes patch bytes (any split). An error is sticky: BO_ERR_FORMAT for a patch that does not
 * decode within its bounds, or the io callbacks' error. */
int bo_delta_feed(bo_delta_t *d, const uint8_t *data, size_t len);
/* True at a block boundary with every image byte of the blocks before it written (a resume
 * point: bo_delta_begin(in_off, out_off) continues from here). */
bool bo_delta_at_boundary(const bo_delta_t *d);
/* After the last patch byte: BO_OK when exactly target_len bytes were produced and written
 * (the decoder stops by itself there; bytes fed after it are ignored). */
int bo_delta_finish(bo_delta_t *d);

#endif
