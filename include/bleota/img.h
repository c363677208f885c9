/* bleota img: Microchip's BZ2 image formats (mchp-ota-reference.md §3-§4), pure functions over
 * byte buffers. No flash access here: callers stream bytes in and get verdicts out. */
#ifndef BLEOTA_IMG_H
#define BLEOTA_IMG_H

#include <stddef.h>
#include <stdint.h>
#include "bleota/crypto.h"
#include "bleota/err.h"

#define BO_OTA_HDR_SIZE 16u
#define BO_MD_SIZE 512u
#define BO_IMG_MAX_PAYLOAD 507904u /* bytes written to slot 1 over BLE (0x7C000) */
#define BO_IMG_UNIT 16u            /* payload and firmware are multiples of this */
#define BO_IMG_DEFAULT_ID 0x9B000000u
#define BO_IMG_FW_MAX 0x7FE00u     /* FW_IMG_LEN bound: a 512 KiB slot minus the 512-byte header */

/* OTA file header HEADER_VER / FLASH_IMG_ENC / FILE_TYPE values */
#define BO_OTA_HDR_VER_BZ2 0x01u
#define BO_OTA_ENC_NONE 0x00u
#define BO_OTA_ENC_AES_CBC 0x01u
#define BO_OTA_FILE_BLE 0x01u

/* Metadata authentication methods (MD_AUTH_MTHD / FW_IMG_AUTH_MTHD) */
#define BO_AUTH_NONE 0u
#define BO_AUTH_SHA256 1u
#define BO_AUTH_ECDSA 2u
/* Bit masks of allowed methods, for configs */
#define BO_AUTH_MASK(m) (1u << (m))

/* Metadata header field offsets (little-endian) */
#define BO_MD_OFF_MANU 0x008u
#define BO_MD_OFF_SEQ 0x010u
#define BO_MD_OFF_MD_REV 0x014u
#define BO_MD_OFF_MD_AUTH 0x016u
#define BO_MD_OFF_FW_REV 0x01Cu
#define BO_MD_OFF_FW_LEN 0x020u
#define BO_MD_OFF_FW_AUTH 0x024u
#define BO_MD_OFF_FW_SIG_SZ 0x028u
#define BO_MD_OFF_FW_SIG 0x029u
#define BO_MD_OFF_MD_SIG_SZ 0x1B7u
#define BO_MD_OFF_MD_SIG 0x1B8u
#define BO_MD_SIG_MAX 72u
#define BO_MD_SIGNED_OFF 0x014u /* metadata signature covers 0x014..0x1FF, MD_SIG zeroed */
/* bleota's extension in the reserved bytes (0x071..0x1B6, zero in Microchip's images and never
 * checked by its bootloader): the magic "BOTA" at 0x071, a flags byte at 0x075. Covered by the
 * metadata signature. Without the magic every flag reads 0 (a Microchip image is permanent). */
#define BO_MD_OFF_EXT_MAGIC 0x071u
#define BO_MD_OFF_EXT_FLAGS 0x075u
#define BO_MD_EXT_MAGIC "BOTA"
#define BO_MD_FLAG_TRIAL 0x01u /* install on trial: reverted unless the application confirms */

/* ---- OTA file header (16 bytes) --------------------------------------------------------- */
typedef struct {
    uint8_t header_ver; /* 0x01 = BZ2 */
    uint8_t enc;        /* BO_OTA_ENC_* */
    uint16_t checksum;  /* byte sum of the rest of the file + this value = 0 (mod 2^16) */
    uint32_t image_id;  /* FLASH_IMG_ID */
    uint32_t version;   /* FLASH_IMG_REV, (a<<24)|(b<<16)|(c<<8)|d */
    uint8_t file_type;  /* BO_OTA_FILE_BLE */
} bo_ota_hdr_t;

/* Parses the 16 bytes. BO_ERR_FORMAT for an unknown header version, encryption, file type or
 * non-zero reserved bytes. Does not check the checksum (needs the whole file). */
int bo_ota_hdr_parse(const uint8_t in[BO_OTA_HDR_SIZE], bo_ota_hdr_t *out);
void bo_ota_hdr_build(const bo_ota_hdr_t *hdr, uint8_t out[BO_OTA_HDR_SIZE]);
/* 16-bit byte sum, chainable: sum = bo_sum16(sum, part, len). */
uint16_t bo_sum16(uint16_t sum, const uint8_t *data, size_t len);
/* The checksum to store for a file whose header (checksum field zero) + payload sum to `sum`. */
uint16_t bo_ota_checksum_for(uint16_t sum);

/* ---- Metadata header (512 bytes) -------------------------------------------------------- */
typedef struct {
    uint8_t manu_id[4];
    uint32_t seq_num;
    uint8_t md_auth;     /* BO_AUTH_* */
    uint32_t fw_rev;     /* FW_IMG_REV */
    uint32_t fw_len;     /* firmware bytes after the header, multiple of 16 */
    uint8_t fw_auth;     /* BO_AUTH_* */
    uint8_t fw_sig_len;
    uint8_t fw_sig[BO_MD_SIG_MAX];
    uint8_t md_sig_len;
    uint8_t md_sig[BO_MD_SIG_MAX];
    uint8_t flags;       /* BO_MD_FLAG_* from bleota's extension; 0 without it */
} bo_md_t;

/* The reference bootloader's structural check (fillers, MD_REV, CONT_IDX, keys, PL_LEN) plus
 * bleota's own bounds: SEQ_NUM not 0/0xFFFFFFFF, auth methods 0..2, signature sizes valid for
 * their method (32 for SHA-256, 8..72 DER for ECDSA), fw_len a non-zero multiple of 16 and
 * <= BO_IMG_FW_MAX. Not checked (the reference ignores them and they are unsigned or opaque):
 * MANU_IDENTIFIER, FW_IMG_AUTH_KEY/DEC_*, reserved bytes, signature padding. Flags are read
 * from bleota's extension (0 without its magic; unknown flag bits are kept as they are).
 * Returns BO_OK, BO_ERR_ARG for NULL, or BO_ERR_FORMAT (names nothing more);
 * bo_md_parse fills *out only on success. */
int bo_md_parse(const uint8_t in[BO_MD_SIZE], bo_md_t *out);
/* Builds a header from the fields (reserved bytes zero, MD_REV 2, CONT_IDX 1, PL_LEN 0x55);
 * bleota's extension (magic + flags) only when flags != 0, so a flag-less header is byte for
 * byte what Microchip's tools make. */
void bo_md_build(const bo_md_t *md, uint8_t out[BO_MD_SIZE]);
/* SHA-256 of the metadata signed range (0x014..0x1FF, MD_SIG_SZ and MD_SIG zeroed). */
void bo_md_digest(const uint8_t md[BO_MD_SIZE], uint8_t out[BO_SHA256_SIZE]);
/* The size rule of a signature field for its method: NONE 0..72 (unread), SHA-256 exactly 32,
 * ECDSA a DER SEQUENCE of 8..72 bytes whose (short-form) length byte is sig_len - 2.
 * Returns BO_OK or BO_ERR_FORMAT (also for a method other than 0..2). */
int bo_img_sig_size_ok(uint8_t method, const uint8_t *sig, uint8_t sig_len);
/* Checks a signature field against a digest for its method: SHA-256 compares the digest,
 * ECDSA verifies the DER signature with pub (BO_ERR_ARG if pub is NULL), NONE passes.
 * Methods not in allowed_mask give BO_ERR_UNSUPPORTED. Returns BO_OK, BO_ERR_AUTH (digest or
 * signature does not match), BO_ERR_FORMAT (method > 2, size rule broken, malformed DER),
 * BO_ERR_ARG, or what bo_ecdsa_p256_verify returns. */
int bo_img_check_sig(uint8_t method, const uint8_t *sig, uint8_t sig_len,
                     const uint8_t digest[BO_SHA256_SIZE], const uint8_t *pub,
                     uint32_t allowed_mask);

/* ---- Versions and limits ---------------------------------------------------------------- */
/* "a.b.c.d" (each 0..255) <-> (a<<24)|(b<<16)|(c<<8)|d. parse: BO_ERR_FORMAT on bad text:
 * exactly four decimal fields, no sign, space, empty field or leading zero ("01.2.3.4" is
 * refused, "0.0.0.0" is fine), so format(parse(t)) == t. BO_ERR_ARG for NULL. */
int bo_version_parse(const char *text, uint32_t *out);
/* Writes "a.b.c.d" (at most 15 chars + NUL) into buf[16]; returns buf. */
char *bo_version_format(uint32_t version, char buf[16]);
/* A payload size the BZ2 writer accepts: non-zero, multiple of 16, <= 507 904.
 * BO_ERR_RANGE (0 or too big) or BO_ERR_ALIGN. */
int bo_img_check_payload_size(uint32_t size);

#endif
