/* A tiny printer for `image inspect`: the same calls produce indented text or JSON. */
#ifndef BO_IMAGE_EMIT_H
#define BO_IMAGE_EMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int json;
    int depth;
    int first; /* nothing printed yet at this level (JSON commas) */
} bo_emit_t;

void bo_emit_begin(bo_emit_t *e, const char *key); /* key NULL: the top-level object */
void bo_emit_end(bo_emit_t *e);
void bo_emit_str(bo_emit_t *e, const char *key, const char *val);
void bo_emit_uint(bo_emit_t *e, const char *key, uint32_t val);
void bo_emit_hex32(bo_emit_t *e, const char *key, uint32_t val, int digits); /* "0x9B000000" */
void bo_emit_bool(bo_emit_t *e, const char *key, int val);
void bo_emit_bytes(bo_emit_t *e, const char *key, const uint8_t *p, size_t n); /* hex string */

#endif
