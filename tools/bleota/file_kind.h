/* What a file handed to a command really is (told apart by content, never by name), so that a
 * wrong input gets an error naming the command that makes the right one. */
#ifndef BO_FILE_KIND_H
#define BO_FILE_KIND_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    BO_KIND_SIGNED, /* metadata header + firmware (`image sign`) */
    BO_KIND_OTA,    /* 16-byte OTA header + payload (`image ota`) */
    BO_KIND_ELF,
    BO_KIND_IHEX,
    BO_KIND_RAW /* anything else: raw firmware, garbage, a truncated file */
} bo_kind_t;

bo_kind_t bo_kind_of(const uint8_t *data, size_t len);
/* "a signed image", "an OTA file", "an ELF file", "an Intel HEX file", "raw data". */
const char *bo_kind_desc(bo_kind_t kind);
/* path with its last extension replaced by ext ("app.signed.bin", ".ota" -> "app.signed.ota"),
 * for the commands an error suggests. Truncated to fit out. */
void bo_kind_sibling(const char *path, const char *ext, char *out, size_t out_size);

#endif
