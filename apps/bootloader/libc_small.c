/* Size over speed for the C library routines of the bootloader (docs/bootloader.md, "Size"):
 * newlib-nano's memset, memmove and memcmp are 162, 254 and 96 bytes of code and only run on
 * short buffers here, these loops a fraction of it. memcpy is hot (SHA-256 copies every byte into
 * its block buffer, P-256 copies points): newlib's is 308 bytes; this one moves 16 bytes per
 * iteration with word accesses (Cortex-M4 allows them unaligned) in a fifth of that, for a few
 * tenths of an instruction per byte more (bench/qemu-report.md). The loops must not be turned back
 * into calls of themselves, hence the attribute. Linked into the bootloaders and into the benchmark
 * that measures their code (bench/qemu). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BO_LIBC_LOOP __attribute__((used, optimize("no-tree-loop-distribute-patterns")))

BO_LIBC_LOOP void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    while (n-- > 0)
        *d++ = (uint8_t)c;
    return dst;
}

typedef uint32_t __attribute__((may_alias, aligned(1))) bo_word_t;

BO_LIBC_LOOP void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    for (; n >= 16u; n -= 16u, d += 16, s += 16) {
        bo_word_t *dw = (bo_word_t *)d;
        const bo_word_t *sw = (const bo_word_t *)s;
        uint32_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
        dw[0] = a;
        dw[1] = b;
        dw[2] = c;
        dw[3] = e;
    }
    while (n-- > 0)
        *d++ = *s++;
    return dst;
}

/* Byte by byte, 26 bytes of code: the install's read-back compares (every unit it writes) take
 * 2.7 M instructions more than with a word loop (boot_install_480k_2x2: 72.8 M, target 120 M;
 * bench/qemu-report.md). */
BO_LIBC_LOOP int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *p = a, *q = b;
    for (size_t i = 0; i < n; i++) {
        int d = p[i] - q[i];
        if (d != 0)
            return d;
    }
    return 0;
}

BO_LIBC_LOOP void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n-- > 0)
            *d++ = *s++;
    } else {
        while (n-- > 0)
            d[n] = s[n];
    }
    return dst;
}
