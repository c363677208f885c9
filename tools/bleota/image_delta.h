/* What `image delta`, `image inspect` and `image verify` share about delta patches: reading a
 * signed image out of a signed-image or OTA file, and applying a patch in memory. */
#ifndef BO_IMAGE_DELTA_H
#define BO_IMAGE_DELTA_H

#include <stddef.h>
#include <stdint.h>

#include "image_file.h"

/* The signed image in path (a signed image, or an OTA file decrypted with k when it is
 * encrypted): a copy in *img (caller frees) with its parsed header. 0, or BO_EXIT_USAGE after a
 * one-line error that names the fix (a patch, a bad structure, no key). */
int bo_delta_load_signed(const char *what, const char *opt, const char *path,
                         const bo_keyset_t *k, uint8_t **img, size_t *len, bo_md_t *md);

/* Rebuilds the image a patch makes from base: *out (caller frees), exactly h->target_len bytes.
 * 0, or -1 with the reason in err (base is not the patch's, the patch does not decode). */
int bo_delta_apply_mem(const uint8_t *patch, size_t patch_len, const uint8_t *base,
                       size_t base_len, uint8_t **out, size_t *out_len, char *err, size_t errsz);

#endif
