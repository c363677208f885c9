/* Guest self-test of the mps2-an386 port: NOR rules of the flash driver, the NOR state across
 * the guest-level reset, SysTick, UART RX/TX and the semihosting command line.
 * Exit status 0 = all passed, otherwise the number of the first failed check (the log names it).
 * Expects (see tests/qemu/port_selftest.sh): a loader blob of non-0xFF bytes at BLOB_ADDR, the
 * UART0 input "ping", the command line argument "selftest". */
#include <stdint.h>
#include <string.h>
#include "bleota/qemu/board.h"

#define PAGE (BO_QEMU_SLOT1 + 0x10000u) /* a scratch page in slot 1 */
#define BLOB_ADDR (BO_QEMU_SLOT1 + 0x20000u)
static const uint8_t marker[16] = "bleota-selftest";

static int check(int ok, int n, const char *what)
{
    bo_qemu_log(ok ? "selftest: ok   " : "selftest: FAIL ", what);
    if (!ok)
        bo_qemu_exit(n);
    return 0;
}

static int erased(const bo_flash_t *f, uint32_t addr, uint32_t len)
{
    uint8_t b[64];
    for (uint32_t off = 0; off < len; off += sizeof b) {
        if (f->read(f->ctx, addr + off, b, sizeof b) != BO_OK)
            return 0;
        for (uint32_t i = 0; i < sizeof b; i++)
            if (b[i] != 0xFF)
                return 0;
    }
    return 1;
}

/* After the guest-level reset: the marker is still programmed and the driver remembers it. */
static void after_reset(const bo_flash_t *f)
{
    uint8_t b[16];
    check(f->read(f->ctx, PAGE, b, 16) == BO_OK && !memcmp(b, marker, 16), 20,
          "flash content survives the guest-level reset");
    uint8_t ff[16];
    memset(ff, 0xFF, sizeof ff);
    check(f->prog(f->ctx, PAGE, ff, 16) == BO_ERR_IO, 21, "programmed state survives the reset");
    check(f->erase(f->ctx, PAGE) == BO_OK && erased(f, PAGE, BO_QEMU_PAGE_SIZE), 22,
          "erase after reset");
    bo_qemu_log("selftest: passed", 0);
    bo_qemu_exit(0);
}

static void flash_rules(const bo_flash_t *f)
{
    uint8_t ff[32], b[32];
    memset(ff, 0xFF, sizeof ff);
    check(f->base == BO_QEMU_FLASH_BASE && f->page_size == 4096u && f->prog_unit == 16u, 1,
          "geometry");
    check(f->erase(f->ctx, PAGE) == BO_OK && erased(f, PAGE, BO_QEMU_PAGE_SIZE), 2,
          "erase reads 0xFF");
    check(f->prog(f->ctx, PAGE + 8u, marker, 16) == BO_ERR_ALIGN, 3, "misaligned address");
    check(f->prog(f->ctx, PAGE, marker, 8) == BO_ERR_ALIGN, 4, "partial unit");
    check(f->erase(f->ctx, PAGE + 16u) == BO_ERR_ALIGN, 5, "misaligned erase");
    check(f->prog(f->ctx, BO_QEMU_API_ADDR, marker, 16) == BO_ERR_RANGE, 6,
          "bootloader region is out of reach");
    check(f->erase(f->ctx, BO_QEMU_FLASH_BASE + BO_QEMU_FLASH_SIZE) == BO_ERR_RANGE, 7,
          "erase past the end");
    check(f->prog(f->ctx, PAGE + 16u, ff, 16) == BO_OK, 8, "program a unit with 0xFF");
    check(f->prog(f->ctx, PAGE + 16u, marker, 16) == BO_ERR_IO, 9,
          "second program of a unit is refused");
    check(f->prog(f->ctx, PAGE, ff, 32) == BO_ERR_IO, 10,
          "a range overlapping a programmed unit is refused");
    check(erased(f, PAGE, 16), 11, "a refused program writes nothing");
    check(f->prog(f->ctx, BLOB_ADDR, ff, 16) == BO_ERR_IO, 12,
          "content present at power-on counts as programmed");
    check(f->prog(f->ctx, BLOB_ADDR + BO_QEMU_PAGE_SIZE, ff, 16) == BO_OK, 13,
          "blank content at power-on is programmable");
    check(f->erase(f->ctx, PAGE) == BO_OK && f->prog(f->ctx, PAGE, marker, 16) == BO_OK &&
              f->read(f->ctx, PAGE, b, 16) == BO_OK && !memcmp(b, marker, 16),
          14, "erase makes units programmable again");
}

/* The BZ2 view maps 0x01000000.. onto the same memory, with the same rules. */
static void bz2_view(const bo_flash_t *f)
{
    const bo_flash_t *z = bo_qemu_flash_bz2();
    uint8_t a[16], b[16];
    uint32_t bz2_page = 0x01080000u + (PAGE - BO_QEMU_SLOT1);
    check(z->base == 0x01000000u && z->size == f->size && z->prog_unit == f->prog_unit, 18,
          "BZ2 view geometry");
    check(z->read(z->ctx, bz2_page, a, 16) == BO_OK && f->read(f->ctx, PAGE, b, 16) == BO_OK &&
              !memcmp(a, b, 16) && !memcmp(a, marker, 16),
          19, "BZ2 view reads slot 1 at 0x01080000");
    check(z->prog(z->ctx, bz2_page, marker, 16) == BO_ERR_IO, 23, "BZ2 view keeps the NOR rules");
    check(z->prog(z->ctx, 0x00FFFFF0u, marker, 16) == BO_ERR_RANGE &&
              z->erase(z->ctx, 0x01100000u) == BO_ERR_RANGE,
          24, "BZ2 view refuses addresses outside it");
}

static void devices(void)
{
    uint32_t t0 = bo_qemu_now_ms();
    for (volatile uint32_t i = 0; i < 50000000u && bo_qemu_now_ms() - t0 < 3u; i++) {
    }
    check(bo_qemu_now_ms() - t0 >= 3u, 15, "SysTick counts milliseconds");
    char cmd[64];
    check(bo_qemu_cmdline(cmd, sizeof cmd) > 0 && strstr(cmd, "selftest") != 0, 16,
          "semihosting command line");
    char rx[4];
    uint32_t n = 0;
    for (uint32_t start = bo_qemu_now_ms(); n < 4u && bo_qemu_now_ms() - start < 5000u;) {
        int c = bo_qemu_uart_getc(BO_QEMU_UART0);
        if (c >= 0)
            rx[n++] = (char)c;
    }
    check(n == 4u && !memcmp(rx, "ping", 4), 17, "UART0 receives");
    bo_qemu_uart_write(BO_QEMU_UART0, "pong\n", 5);
}

int main(void)
{
    bo_qemu_board_init();
    const bo_flash_t *f = bo_qemu_flash();
    uint8_t b[16];
    if (f->read(f->ctx, PAGE, b, 16) == BO_OK && !memcmp(b, marker, 16))
        after_reset(f);
    flash_rules(f);
    bz2_view(f);
    devices();
    bo_qemu_log("selftest: guest-level reset", 0);
    bo_qemu_reset_to_bootloader();
}
