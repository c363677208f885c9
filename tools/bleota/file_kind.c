/* Input classification for error messages (see file_kind.h). */
#include "file_kind.h"

#include <stdio.h>
#include <string.h>

#include "bleota/img.h"
#include "bo_memimg.h"

bo_kind_t bo_kind_of(const uint8_t *data, size_t len)
{
    bo_md_t md;
    bo_ota_hdr_t hdr;
    if (len >= BO_MD_SIZE && bo_md_parse(data, &md) == BO_OK) {
        return BO_KIND_SIGNED;
    }
    if (len > BO_OTA_HDR_SIZE && bo_ota_hdr_parse(data, &hdr) == BO_OK) {
        return BO_KIND_OTA;
    }
    switch (bo_input_detect(data, len)) {
    case BO_INPUT_ELF:
        return BO_KIND_ELF;
    case BO_INPUT_IHEX:
        return BO_KIND_IHEX;
    default:
        return BO_KIND_RAW;
    }
}

const char *bo_kind_desc(bo_kind_t kind)
{
    static const char *const desc[] = {"a signed image", "an OTA file", "an ELF file",
                                       "an Intel HEX file", "raw data"};
    return desc[kind];
}

void bo_kind_sibling(const char *path, const char *ext, char *out, size_t out_size)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash != NULL ? slash : path, '.');
    int stem =
        (int)(dot != NULL && dot != path && dot[-1] != '/' ? (size_t)(dot - path) : strlen(path));
    snprintf(out, out_size, "%.*s%s", stem, path, ext);
}
