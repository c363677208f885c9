/* Flash access for the bootloader: small chunks, port results normalised, streaming hash. */
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
    for (uint32_t i = 0; i < pages; i++) {
        int rc = port_rc(f->erase(f->ctx, addr + i * f->page_size));
        if (rc != BO_OK) {
            return rc;
        }
    }
    return BO_OK;
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
