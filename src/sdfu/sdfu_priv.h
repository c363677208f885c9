/* Internal to src/sdfu: the command handlers called when a frame ends. */
#ifndef BO_SDFU_PRIV_H
#define BO_SDFU_PRIV_H

#include "bleota/sdfu.h"

#define BO_SDFU_HDR 16u

bool bo_sdfu_in_window(const bo_sdfu_t *s, uint32_t addr, uint32_t len);
/* PROG_CLUSTER_VERIFY: header complete (16 bytes in), one data byte. */
void bo_sdfu_cluster_begin(bo_sdfu_t *s);
void bo_sdfu_cluster_byte(bo_sdfu_t *s, uint8_t b);
/* Every command (cmd: word 0 >> 16), at frame end. */
void bo_sdfu_command(bo_sdfu_t *s, uint32_t cmd);

#endif
