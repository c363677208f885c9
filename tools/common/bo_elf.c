/* Host-only ELF32 loader: PT_LOAD segments at their load addresses (see bo_memimg.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/endian.h"
#include "bo_memimg.h"

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define EHDR32_SIZE 52u
#define PHDR32_SIZE 32u
#define PT_LOAD 1u
#define ADDR_SPACE (1ull << 32)

typedef struct {
    uint64_t start, end; /* load range [start, end) */
    uint32_t off;
    unsigned idx; /* program header index, for messages and a deterministic order */
} seg_t;

static int by_start(const void *a, const void *b)
{
    const seg_t *x = a, *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The file-backed PT_LOAD segments into s (phnum entries); their count, or -1 with err set. */
static int collect(const uint8_t *data, size_t len, uint32_t phoff, uint16_t phentsize,
                   uint16_t phnum, seg_t *s, bo_memimg_t *m, char err[BO_ERRMSG_MAX])
{
    int n = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = data + phoff + (size_t)i * phentsize;
        uint32_t type = bo_get_le32(&ph[0]), off = bo_get_le32(&ph[4]);
        uint32_t paddr = bo_get_le32(&ph[12]), filesz = bo_get_le32(&ph[16]);
        m->work++;
        if (type != PT_LOAD || filesz == 0) {
            continue;
        }
        if ((uint64_t)off + filesz > len) {
            snprintf(err, BO_ERRMSG_MAX, "segment %u lies outside the file (truncated?)", i);
            return -1;
        }
        if ((uint64_t)paddr + filesz > ADDR_SPACE) {
            snprintf(err, BO_ERRMSG_MAX,
                     "segment %u (0x%08X, %u bytes) runs past the 32-bit address space", i, paddr,
                     filesz);
            return -1;
        }
        s[n++] = (seg_t){paddr, (uint64_t)paddr + filesz, off, i};
    }
    return n;
}

int bo_elf_load(const uint8_t *data, size_t len, bo_memimg_t *m, char err[BO_ERRMSG_MAX])
{
    if (len < EHDR32_SIZE) {
        snprintf(err, BO_ERRMSG_MAX, "truncated ELF header");
        return -1;
    }
    if (data[EI_CLASS] != ELFCLASS32 || data[EI_DATA] != ELFDATA2LSB) {
        snprintf(err, BO_ERRMSG_MAX, "only 32-bit little-endian ELF files are supported");
        return -1;
    }
    uint32_t phoff = bo_get_le32(&data[28]);
    uint16_t phentsize = bo_get_le16(&data[42]);
    uint16_t phnum = bo_get_le16(&data[44]);
    if (phnum == 0 || phentsize < PHDR32_SIZE ||
        (uint64_t)phoff + (uint64_t)phnum * phentsize > len) {
        snprintf(err, BO_ERRMSG_MAX, "program headers missing or outside the file");
        return -1;
    }
    seg_t *s = malloc(phnum * sizeof *s);
    if (s == NULL) {
        snprintf(err, BO_ERRMSG_MAX, "out of memory");
        return -1;
    }
    int n = collect(data, len, phoff, phentsize, phnum, s, m, err);
    if (n == 0) {
        snprintf(err, BO_ERRMSG_MAX, "no loadable segment");
        n = -1;
    }
    /* Refused rather than resolved: checking overlaps byte by byte costs segments x size (a
     * crafted file: minutes). Sorted by load address, any overlap shows between neighbours. */
    if (n > 0) {
        qsort(s, (size_t)n, sizeof *s, by_start);
    }
    for (int i = 1; i < n; i++) {
        if (s[i].start < s[i - 1].end) {
            snprintf(err, BO_ERRMSG_MAX,
                     "segments %u and %u overlap at 0x%08X: which bytes to flash is ambiguous "
                     "(fix the linker script: one load address per byte)",
                     s[i - 1].idx, s[i].idx, (unsigned)s[i].start);
            n = -1;
        }
    }
    for (int i = 0; i < n; i++) { /* disjoint: no put can conflict */
        (void)bo_memimg_put(m, s[i].start, data + s[i].off, (size_t)(s[i].end - s[i].start));
    }
    free(s);
    return n > 0 ? 0 : -1;
}
