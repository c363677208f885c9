/* The patch coder's model, shared by the device decoder and the host encoder: an LZMA-style
 * adaptive binary range coder (16-bit probabilities, adaptation shift 5: a long run of zero
 * difference bytes costs 0.0007 bit a byte, 12-bit ones would cost 0.011) and where each
 * probability lives in bo_delta_t.probs (docs/delta.md). */
#ifndef BO_DELTA_MODEL_H
#define BO_DELTA_MODEL_H

#include "bleota/delta.h"

#define BO_DELTA_P_BITS 16u
#define BO_DELTA_P_ONE (1u << BO_DELTA_P_BITS)
#define BO_DELTA_P_HALF (BO_DELTA_P_ONE / 2u)
#define BO_DELTA_P_MOVE 5u
#define BO_DELTA_RANGE_TOP (1u << 24)

/* Slots: byte tree (index 1..255), difference flags, numbers (x; then y and z), "more". */
#define BO_DELTA_P_TREE 0u
#define BO_DELTA_P_FLAGS (BO_DELTA_P_TREE + BO_DELTA_TREE)
#define BO_DELTA_P_NUM (BO_DELTA_P_FLAGS + BO_DELTA_FLAGS)
#define BO_DELTA_P_MORE (BO_DELTA_P_NUM + 4u * BO_DELTA_NUM)

_Static_assert(BO_DELTA_P_MORE + 1u == BO_DELTA_PROBS, "probability slots");

#endif
