/* What `image inspect` and `image verify` know about a file: an OTA file (16-byte header +
 * payload, maybe encrypted) or a signed image (metadata header + firmware), told apart by
 * content. Loading never fails on a bad structure: it records what it found so every check
 * can report its own verdict. */
#ifndef BO_IMAGE_FILE_H
#define BO_IMAGE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "bleota/delta.h"
#include "bleota/img.h"

#define BO_IMAGE_FILE_MAX (4u * 1024u * 1024u) /* reading cap; real files are < 512 KiB */

typedef enum { BO_FILE_OTA, BO_FILE_SIGNED } bo_file_kind_t;

typedef struct {
    const char *path;
    uint8_t *file;
    size_t len;
    bo_file_kind_t kind;
    /* OTA file only */
    int hdr_ok;          /* bo_ota_hdr_parse accepted the 16 bytes */
    bo_ota_hdr_t hdr;    /* raw fields even when !hdr_ok */
    uint16_t expect_cks; /* checksum the contents call for */
    int encrypted;       /* FLASH_IMG_ENC says AES-CBC */
    int decrypted;       /* a key was applied */
    int pad_ok;          /* last plaintext block is valid PKCS#7 */
    uint8_t *plain;      /* decrypted payload (owned) */
    uint8_t *rebuilt;    /* the image a delta patch rebuilt (owned) */
    /* The signed image (metadata + firmware), when readable; NULL while encrypted. */
    const uint8_t *img;
    size_t img_len;
    int md_ok;
    int sig_pad_ok; /* the bytes after each signature in its field are zero */
    bo_md_t md;
    /* A delta patch instead of an image (docs/delta.md): its header, when it parses. */
    int is_patch;
    int patch_ok;
    bo_delta_hdr_t patch;
} bo_image_file_t;

/* Reads and classifies path. Returns 0, or BO_EXIT_USAGE after a one-line error (cannot read,
 * too short, neither kind). */
int bo_image_file_load(bo_image_file_t *f, const char *path);
/* Decrypts an encrypted OTA payload with key/iv and checks the PKCS#7 block. */
void bo_image_file_decrypt(bo_image_file_t *f, const uint8_t key[16], const uint8_t iv[16]);
void bo_image_file_free(bo_image_file_t *f);
/* The image a delta patch rebuilt takes the place of the payload for the checks (f owns img). */
void bo_image_file_use_rebuilt(bo_image_file_t *f, uint8_t *img, size_t len);

/* Key material gathered from --aes-key/--aes-iv/--pubkey/--mchp-dev-keys. */
typedef struct {
    int have_aes;
    uint8_t aes_key[16], aes_iv[16];
    int have_pub;
    uint8_t pub[64];
} bo_keyset_t;

/* Fills k from the options (explicit options win over --mchp-dev-keys, which warns that the keys
 * are public). Returns 0, or BO_EXIT_USAGE after a one-line error. */
int bo_keyset_from_opts(bo_keyset_t *k, const char *what, const char *aes_key, const char *aes_iv,
                        const char *pubkey, int dev_keys);

/* Microchip's published development keys (public: anyone can use them). */
extern const uint8_t bo_mchp_dev_aes_key[16];
extern const uint8_t bo_mchp_dev_aes_iv[16];
extern const uint8_t bo_mchp_dev_pub[64];

#endif
