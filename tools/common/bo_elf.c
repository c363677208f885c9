/* Host-only ELF32 loader: PT_LOAD segments at their load addresses (see bo_memimg.h). */
#include <stdio.h>
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
    unsigned loads = 0;
    for (uint16_t i = 0; i < phnum; i++) {
        const uint8_t *ph = data + phoff + (size_t)i * phentsize;
        uint32_t type = bo_get_le32(&ph[0]), off = bo_get_le32(&ph[4]);
        uint32_t paddr = bo_get_le32(&ph[12]), filesz = bo_get_le32(&ph[16]);
        if (type != PT_LOAD || filesz == 0) {
            continue;
        }
        if ((uint64_t)off + filesz > len) {
            snprintf(err, BO_ERRMSG_MAX, "segment %u lies outside the file (truncated?)", i);
            return -1;
        }
        bo_memimg_put(m, paddr, data + off, filesz);
        loads++;
    }
    if (loads == 0) {
        snprintf(err, BO_ERRMSG_MAX, "no loadable segment");
        return -1;
    }
    return 0;
}
