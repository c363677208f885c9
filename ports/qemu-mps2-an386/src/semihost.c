/* ARM semihosting (BKPT 0xAB on M-profile): the console and exit status of the test harness.
 * QEMU runs with -semihosting-config enable=on,target=native; its exit status is ours. */
#include <stdint.h>
#include <stdlib.h>
#include "bleota/qemu/board.h"

#define SYS_WRITE0 0x04u
#define SYS_GET_CMDLINE 0x15u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static int semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

void bo_qemu_puts(const char *s)
{
    semihost(SYS_WRITE0, s);
}

void bo_qemu_log(const char *a, const char *b)
{
    bo_qemu_puts(a);
    if (b)
        bo_qemu_puts(b);
    bo_qemu_puts("\n");
}

void bo_qemu_log_num(const char *a, int32_t n)
{
    char buf[13];
    char *p = buf + sizeof buf - 1;
    uint32_t u = n < 0 ? 0u - (uint32_t)n : (uint32_t)n;
    *p = '\0';
    do {
        *--p = (char)('0' + u % 10u);
        u /= 10u;
    } while (u);
    if (n < 0)
        *--p = '-';
    bo_qemu_log(a, p);
}

void bo_qemu_exit(int status)
{
    /* SYS_EXIT_EXTENDED: the subcode becomes QEMU's exit status. */
    uint32_t blk[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    semihost(SYS_EXIT_EXTENDED, blk);
    for (;;) {
    }
}

int bo_qemu_cmdline(char *buf, uint32_t size)
{
    uint32_t blk[2] = {(uint32_t)(uintptr_t)buf, size};
    if (size == 0u || semihost(SYS_GET_CMDLINE, blk) != 0)
        return -1;
    buf[size - 1u] = '\0';
    return (int)blk[1];
}

/* exit() (mbedTLS calls it when its allocator detects corruption) and newlib's _exit end the
 * QEMU run with that status. Defining exit here also keeps newlib's exit machinery (and its
 * ~100 bytes of reentrancy data) out of the images. */
__attribute__((noreturn)) void _exit(int status);
void _exit(int status)
{
    bo_qemu_exit(status);
}

void exit(int status)
{
    bo_qemu_exit(status);
}
