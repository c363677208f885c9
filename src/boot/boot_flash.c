/* Flash access for the bootloader: small chunks, port results normalised, streaming hash,
 * copies read back. */
#include <string.h>
#include "boot_priv.h"

/* The port contract says callbacks return 0 or a bo_err_t; anything else is a port bug. */
static int port_rc(int rc)
{
    if (rc == BO_OK) {
        return BO_OK;
    }
    if (rc < 0 && rc >= BO_ERR_REFUSED) {
        return rc;
    }
    return BO_ERR_IO;
}

int bo_boot_read(const bo_flash_t *f, uint32_t addr, void *buf, uint32_t len)
{
    return port_rc(f->read(f->ctx, addr, buf, len));
}

int bo_boot_prog(const bo_flash_t *f, uint32_t addr, const void *buf, uint32_t len)
{
    return port_rc(f->prog(f->ctx, addr, buf, len));
}

int bo_boot_erase_pages(const bo_flash_t *f, uint32_t addr, uint32_t pages)
{
    int rc = BO_OK;
    for (uint32_t i = 0; rc == BO_OK && i < pages; i++) {
        rc = port_rc(f->erase(f->ctx, addr + i * f->page_size));
    }
    return rc;
}

int bo_boot_digest(const bo_flash_t *f, uint32_t addr, uint32_t len, uint8_t out[BO_SHA256_SIZE])
{
    uint8_t buf[BO_BOOT_CHUNK];
    bo_sha256_t sha;
    bo_sha256_init(&sha);
    while (len > 0) {
        uint32_t n = len < sizeof buf ? len : (uint32_t)sizeof buf;
        int rc = bo_boot_read(f, addr, buf, n);
        if (rc != BO_OK) {
            return rc;
        }
        bo_sha256_update(&sha, buf, n);
        addr += n;
        len -= n;
    }
    bo_sha256_final(&sha, out);
    return BO_OK;
}

bool bo_boot_blank(const uint8_t *p, uint32_t n)
{
    while (n > 0 && p[n - 1u] == 0xFFu) {
        n--;
    }
    return n == 0;
}

int bo_boot_write(const bo_flash_t *f, uint32_t to, const uint8_t *buf, uint32_t n)
{
    uint8_t back[BO_BOOT_CHUNK];
    int rc = BO_OK;
    for (uint32_t u = 0; rc == BO_OK && u < n; u += f->prog_unit) {
        uint32_t end = u;
        while (end < n && !bo_boot_blank(buf + end, f->prog_unit)) {
            end += f->prog_unit;
        }
        if (end > u) {
            rc = bo_boot_prog(f, to + u, buf + u, end - u);
        }
        u = end; /* then past the blank unit that ended the run */
    }
    if (rc == BO_OK) {
        rc = bo_boot_read(f, to, back, n);
    }
    return rc == BO_OK && memcmp(buf, back, n) != 0 ? BO_ERR_VERIFY : rc;
}

int bo_boot_copy(const bo_flash_t *f, uint32_t to, uint32_t from, uint32_t len)
{
    uint8_t buf[BO_BOOT_CHUNK];
    int rc = BO_OK;
    for (uint32_t off = 0; rc == BO_OK && off < len; off += sizeof buf) {
        uint32_t n = len - off < sizeof buf ? len - off : (uint32_t)sizeof buf;
        rc = bo_boot_read(f, from + off, buf, n);
        if (rc == BO_OK) {
            rc = bo_boot_write(f, to + off, buf, n);
        }
    }
    return rc;
}

int bo_boot_scan(const bo_flash_t *f, uint32_t base, uint32_t end, uint32_t rs,
                 void (*take)(void *ctx, const uint8_t *rec), void *ctx, uint32_t *next)
{
    uint8_t r[BO_BOOT_REC_MAX];
    *next = base;
    for (uint32_t at = base; at + rs <= end; at += rs) {
        int rc = bo_boot_read(f, at, r, rs);
        if (rc != BO_OK) {
            return rc;
        }
        if (!bo_boot_blank(r, rs)) {
            *next = at + rs; /* never reuse a unit: torn ones stay behind */
            take(ctx, r);
        }
    }
    return BO_OK;
}
