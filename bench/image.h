/* bleota bench: builds a signed, encrypted OTA payload in memory, deterministically (same
 * bytes every run): firmware of pseudo-random bytes, metadata header signed with ECDSA P-256
 * by a key generated from a fixed seed (firmware: ECDSA too, or its digest), AES-128-CBC with a key
 * and IV from the same seed, PKCS#7 block appended (mchp-ota-reference.md §3.4, §4.2). */
#ifndef BENCH_IMAGE_H
#define BENCH_IMAGE_H

#include <stdint.h>

#include "scenario.h"

typedef struct bench_keys {
    uint8_t aes_key[16];
    uint8_t aes_iv[16];
    uint8_t pub[64]; /* X||Y big-endian */
} bench_keys_t;

/* Builds an image whose payload (what goes over the air) is `size` bytes: a multiple of 16,
 * at least 1024. fw_auth: BO_AUTH_ECDSA (firmware signed too, 2/2 like Microchip's tool) or
 * BO_AUTH_SHA256 (signed-digest mode: the firmware's SHA-256 in FW_IMG_SIG, covered by the
 * metadata's ECDSA signature). The payload buffer is malloc'd (free with bench_image_free).
 * 0 or -1. */
int bench_image_build(uint32_t size, uint8_t fw_auth, bench_image_t *img, bench_keys_t *keys);
void bench_image_free(bench_image_t *img);

#endif
