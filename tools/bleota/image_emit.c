/* Text/JSON printer for `image inspect` (see image_emit.h). */
#include "image_emit.h"

#include <stdio.h>

static void key_prefix(bo_emit_t *e, const char *key)
{
    if (e->json) {
        printf("%s\n%*s\"%s\": ", e->first ? "" : ",", 2 * e->depth, "", key);
    } else {
        printf("%*s%s: ", 2 * (e->depth - 1), "", key);
    }
    e->first = 0;
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20 || c >= 0x7F) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

void bo_emit_begin(bo_emit_t *e, const char *key)
{
    if (key == NULL) {
        if (e->json) {
            putchar('{');
        }
    } else if (e->json) {
        key_prefix(e, key);
        putchar('{');
    } else {
        printf("%*s%s:\n", 2 * (e->depth - 1), "", key);
    }
    e->depth++;
    e->first = 1;
}

void bo_emit_end(bo_emit_t *e)
{
    e->depth--;
    if (e->json) {
        printf("\n%*s}", 2 * e->depth, "");
        if (e->depth == 0) {
            putchar('\n');
        }
    }
    e->first = 0;
}

void bo_emit_str(bo_emit_t *e, const char *key, const char *val)
{
    key_prefix(e, key);
    if (e->json) {
        json_string(val);
    } else {
        printf("%s\n", val);
    }
}

void bo_emit_uint(bo_emit_t *e, const char *key, uint32_t val)
{
    key_prefix(e, key);
    printf(e->json ? "%u" : "%u\n", val);
}

void bo_emit_hex32(bo_emit_t *e, const char *key, uint32_t val, int digits)
{
    key_prefix(e, key);
    printf(e->json ? "\"0x%0*X\"" : "0x%0*X\n", digits, val);
}

void bo_emit_bool(bo_emit_t *e, const char *key, int val)
{
    key_prefix(e, key);
    printf(e->json ? "%s" : "%s\n", val ? (e->json ? "true" : "yes") : (e->json ? "false" : "no"));
}

void bo_emit_bytes(bo_emit_t *e, const char *key, const uint8_t *p, size_t n)
{
    key_prefix(e, key);
    if (e->json) {
        putchar('"');
    }
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
    fputs(e->json ? "\"" : "\n", stdout);
}
