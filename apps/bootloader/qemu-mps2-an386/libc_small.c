/* Size over speed for the two C library routines the bootloader only runs on short buffers:
 * newlib-nano's memset and memmove are 162 and 254 bytes of code, these two loops a tenth of
 * it (docs/bootloader.md, "Size"). memcpy stays newlib's: SHA-256 and the P-256 arithmetic copy
 * through it. The loops must not be turned back into calls of themselves, hence the attribute.
 * Linked into the bootloader and into the benchmark that measures its code (bench/qemu). */
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
