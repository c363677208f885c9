/* Delta patch helpers for the image commands (see delta_file.h). */
#include "image_delta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int bo_delta_load_signed(const char *what, const char *opt, const char *path,
                         const bo_keyset_t *k, uint8_t **img, size_t *len, bo_md_t *md)
{
    bo_image_file_t f;
    *img = NULL;
    if (bo_image_file_load(&f, path) != 0) {
        return BO_EXIT_USAGE;
    }
    if (f.kind == BO_FILE_OTA && f.encrypted) {
        if (!k->have_aes) {
            bo_image_file_free(&f);
            return bo_cli_err(what, "%s %s is an encrypted OTA file: give its --aes-key and "
                              "--aes-iv (or --mchp-dev-keys), or the signed image", opt, path);
        }
        bo_image_file_decrypt(&f, k->aes_key, k->aes_iv);
        if (!f.pad_ok) {
            bo_image_file_free(&f);
            return bo_cli_err(what, "%s %s does not decrypt with the given AES key and IV", opt,
                              path);
        }
    }
    int rc = 0;
    if (f.is_patch) {
        rc = bo_cli_err(what, "%s %s is a delta patch, not an image: give the signed image (or "
                        "its OTA file)", opt, path);
    } else if (f.img == NULL || !f.md_ok || f.img_len < BO_MD_SIZE + (size_t)f.md.fw_len) {
        rc = bo_cli_err(what, "%s %s has no valid signed image (metadata header or firmware "
                        "missing): make it with `bleota image sign`", opt, path);
    } else {
        if (f.md.md_auth != BO_AUTH_ECDSA) {
            bo_cli_warn("%s: %s %s is not ECDSA-signed (MD_AUTH %u): only a bootloader that "
                        "allows unsigned images installs it (sign releases with `bleota image "
                        "sign --key KEY.pem`)", what, opt, path, f.md.md_auth);
        }
        *len = BO_MD_SIZE + (size_t)f.md.fw_len;
        *img = malloc(*len);
        if (*img == NULL) {
            rc = bo_cli_err(what, "out of memory");
        } else {
            memcpy(*img, f.img, *len);
            *md = f.md;
        }
    }
    bo_image_file_free(&f);
    return rc;
}

typedef struct {
    const uint8_t *base;
    size_t base_len;
    uint8_t *out;
    size_t n, cap;
} mem_io_t;

static int mem_read(void *ctx, uint32_t off, uint8_t *buf, uint32_t len)
{
    mem_io_t *m = ctx;
    if (off > m->base_len || len > m->base_len - off) {
        return BO_ERR_RANGE;
    }
    memcpy(buf, m->base + off, len);
    return BO_OK;
}

static int mem_write(void *ctx, const uint8_t *data, uint32_t len)
{
    mem_io_t *m = ctx;
    if (len > m->cap - m->n) {
        return BO_ERR_RANGE;
    }
    memcpy(m->out + m->n, data, len);
    m->n += len;
    return BO_OK;
}

int bo_delta_apply_mem(const uint8_t *patch, size_t patch_len, const uint8_t *base,
                       size_t base_len, uint8_t **out, size_t *out_len, char *err, size_t errsz)
{
    bo_delta_hdr_t h;
    uint8_t d[BO_SHA256_SIZE];
    *out = NULL;
    if (patch_len < BO_DELTA_HDR_SIZE || bo_delta_hdr_parse(patch, &h) != BO_OK ||
        h.patch_len > patch_len) {
        snprintf(err, errsz, "not a valid delta patch (header)");
        return -1;
    }
    if (base_len < BO_MD_SIZE || base_len != h.base_len ||
        (bo_delta_image_id(base, (uint32_t)(base_len - BO_MD_SIZE), d),
         memcmp(d, h.base_id, BO_DELTA_ID_SIZE) != 0)) {
        snprintf(err, errsz, "the patch was made for another base image");
        return -1;
    }
    mem_io_t m = {base, base_len, malloc(h.target_len), 0, h.target_len};
    bo_delta_t *dec = malloc(sizeof *dec);
    bo_delta_io_t io = {mem_read, mem_write, &m};
    int rc = m.out == NULL || dec == NULL ? BO_ERR_NOSPACE
                                          : bo_delta_begin(dec, &h, &io, BO_DELTA_HDR_SIZE, 0);
    if (rc == BO_OK) {
        rc = bo_delta_feed(dec, patch + BO_DELTA_HDR_SIZE, h.patch_len - BO_DELTA_HDR_SIZE);
    }
    if (rc == BO_OK) {
        rc = bo_delta_finish(dec);
    }
    free(dec);
    if (rc != BO_OK) {
        free(m.out);
        snprintf(err, errsz, "the patch does not decode (%s): damaged", bo_err_str(rc));
        return -1;
    }
    *out = m.out;
    *out_len = m.n;
    return 0;
}
