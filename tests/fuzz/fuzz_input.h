/* Fuzz targets: reading a structured input (a cursor that yields zeros past the end, so every
 * input is a complete program) and a small deterministic RNG for choices derived from it.
 * Read at most once per full expression (a statement, a declarator): C leaves the order of
 * function arguments and initialisers open, and gcc and clang differ, so `f(fz_u8(c),
 * fz_u8(c))` would read the same input differently in the replay and libFuzzer builds. */
#ifndef BO_FUZZ_INPUT_H
#define BO_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A broken property: say which, then abort() (the drivers save the input). */
#define FZ_CHECK(cond, ...)                                                                     \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: property broken: %s: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

typedef struct {
    const uint8_t *p;
    size_t n;
} fz_in_t;

static inline uint8_t fz_u8(fz_in_t *c)
{
    if (c->n == 0u) {
        return 0;
    }
    c->n--;
    return *c->p++;
}

static inline uint16_t fz_u16(fz_in_t *c)
{
    uint16_t lo = fz_u8(c);
    return (uint16_t)(lo | (uint16_t)fz_u8(c) << 8);
}

static inline uint32_t fz_u32(fz_in_t *c)
{
    uint32_t lo = fz_u16(c);
    return lo | (uint32_t)fz_u16(c) << 16;
}

/* Up to n bytes of the input itself (fewer at its end): *got says how many. */
static inline const uint8_t *fz_bytes(fz_in_t *c, size_t n, size_t *got)
{
    const uint8_t *p = c->p;
    *got = n < c->n ? n : c->n;
    c->p += *got;
    c->n -= *got;
    return p;
}

/* splitmix64: the same numbers on every platform. */
static inline uint64_t fz_rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void fz_fill(uint64_t seed, uint8_t *out, size_t n)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        out[i] = (uint8_t)fz_rng(&s);
    }
}

#endif
