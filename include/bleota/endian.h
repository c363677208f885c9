/* Explicit little/big-endian load and store. Wire and flash formats use these, never
 * casts of packed structs over buffers. */
#ifndef BLEOTA_ENDIAN_H
#define BLEOTA_ENDIAN_H

#include <stdint.h>
#include <string.h>

/* On a little-endian CPU a 16- or 32-bit field is one (possibly unaligned) load or store: memcpy of 4
 * bytes compiles to exactly that where the CPU allows it (Cortex-M4), and stays inline. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BO_LE_CPU 1
#else
#define BO_LE_CPU 0
#endif

static inline uint16_t bo_get_le16(const uint8_t *p)
{
#if BO_LE_CPU
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
#else
    return (uint16_t)(p[0] | (p[1] << 8));
#endif
}
static inline uint32_t bo_get_le32(const uint8_t *p)
{
#if BO_LE_CPU
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
#else
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
#endif
}
static inline uint32_t bo_get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
static inline void bo_put_le16(uint8_t *p, uint16_t v)
{
#if BO_LE_CPU
    memcpy(p, &v, sizeof v);
#else
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
#endif
}
static inline void bo_put_le32(uint8_t *p, uint32_t v)
{
#if BO_LE_CPU
    memcpy(p, &v, sizeof v);
#else
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
#endif
}
static inline void bo_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
