/* Test images: signed BZ2 images (metadata header + firmware) built in C with mbedTLS's
 * signing (host only), so boot tests need no files and no CLI. */
#ifndef BO_TEST_TIMG_H
#define BO_TEST_TIMG_H

#include <stddef.h>
#include <stdint.h>

typedef struct tkey {
    void *ecdsa;     /* mbedtls_ecdsa_context */
    uint8_t pub[64]; /* X||Y */
} tkey_t;

/* A deterministic P-256 key pair from seed. */
void tkey_gen(tkey_t *k, uint32_t seed);
void tkey_free(tkey_t *k);

/* Builds a signed image into out (cap bytes): version, fw_len (multiple of 16) random bytes
 * from seed, both signatures by method (0 none, 1 SHA-256, 2 ECDSA with k). Returns the
 * image size (512 + fw_len). Aborts the test on failure. */
size_t timg_build(uint8_t *out, size_t cap, const tkey_t *k, uint32_t version, uint32_t fw_len,
                  uint32_t seed, uint8_t method);

/* The same with separate methods for the metadata (md) and the firmware (fw) fields, e.g.
 * signed-digest mode: md 2 (ECDSA), fw 1 (SHA-256 digest inside the signed header). */
size_t timg_build2(uint8_t *out, size_t cap, const tkey_t *k, uint32_t version, uint32_t fw_len,
                   uint32_t seed, uint8_t md_method, uint8_t fw_method);

/* ... and bleota's metadata flags (BO_MD_FLAG_TRIAL: a trial image). */
size_t timg_build3(uint8_t *out, size_t cap, const tkey_t *k, uint32_t version, uint32_t fw_len,
                   uint32_t seed, uint8_t md_method, uint8_t fw_method, uint8_t flags);

/* Microchip's published development public key (fixtures/mchp/README.md). */
extern const uint8_t timg_mchp_pub[64];

/* Reads a whole file into a malloc'd buffer; *len set. NULL if absent. */
uint8_t *timg_read_file(const char *path, size_t *len);

#endif
