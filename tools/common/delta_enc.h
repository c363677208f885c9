/* Host side of bleota delta patches: computes the patch that rebuilds `target` from `base`
 * (docs/delta.md). Matching is bsdiff's (suffix array of the base from libdivsufsort, then
 * approximate matches extended forwards and backwards); the coding is the device decoder's. */
#ifndef BO_DELTA_ENC_H
#define BO_DELTA_ENC_H

#include <stddef.h>
#include <stdint.h>

#include "bleota/delta.h"

typedef struct {
    uint32_t triples;     /* after splitting at block boundaries */
    uint32_t blocks;
    uint64_t diff_bytes;  /* image bytes taken from the base (with a difference) */
    uint64_t extra_bytes; /* image bytes sent as they are */
} bo_delta_stats_t;

/* The whole patch (header included) in *patch (malloc'd, caller frees). h gives base_id and
 * target_rev; the lengths are filled in. 0, or -1 with a reason in err. */
int bo_delta_make(const uint8_t *base, uint32_t base_len, const uint8_t *target,
                  uint32_t target_len, bo_delta_hdr_t *h, uint8_t **patch, size_t *patch_len,
                  bo_delta_stats_t *stats, char *err, size_t errsz);

#endif
