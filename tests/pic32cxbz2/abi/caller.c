/* Guest of the ABI test (qemu-system-arm -M mps3-an547, whose memory sits at BZ2's addresses:
 * code at 0x0, SRAM at 0x01000000.., data RAM at 0x20000000..): the PIC32CX-BZ2 bootloader's
 * own bytes (bootloader.bin, loaded from 0xE0 on) are called the way Microchip's application
 * calls them (reference §1.3):
 *     ((bool (*)(uint8_t, uint8_t *))0x5001)(1, scratch_of_3244_bytes)
 * for slot 1, slot 0 and the invalid slot 2. Everything the caller owns outside its stack is
 * painted first: the call may use only the caller's stack and the bootloader's top 1 KiB of
 * RAM (0x2001FC00). Prints one line and exits 0 (semihosting):
 *     abi: slot1=<0|1> slot0=<0|1> slot2=<0|1> stack=<bytes> ram=<intact|touched> */
#include <stdbool.h>
#include <stdint.h>

#define ENTRY 0x00005001u
#define SCRATCH 3244u
#define PAINT 0xA5u
#define GUARD_LO 0x20002000u /* RAM of the caller that the call must not touch */
#define GUARD_HI 0x2001A000u
#define STACK_LO 0x2001A000u /* painted to measure the call's stack */

extern uint32_t _estack;
void caller_reset(void);
void caller_fault(void);

__attribute__((section(".vectors"), used)) void (*const caller_vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&_estack,
    caller_reset,
    caller_fault,
    caller_fault,
    caller_fault,
    caller_fault,
    caller_fault};

static uint8_t scratch[SCRATCH];

static int semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

static void put(const char *s)
{
    semihost(0x04u, s);
}

static void put_num(uint32_t n)
{
    char b[12];
    char *p = b + sizeof b - 1;
    *p = '\0';
    do {
        *--p = (char)('0' + n % 10u);
        n /= 10u;
    } while (n != 0u);
    put(p);
}

__attribute__((noreturn)) static void leave(uint32_t status)
{
    uint32_t blk[2] = {0x20026u, status};
    semihost(0x20u, blk);
    for (;;) {
    }
}

void caller_fault(void)
{
    put("abi: fault\n");
    leave(2u);
}

static void paint(uint32_t lo, uint32_t hi)
{
    for (volatile uint8_t *p = (volatile uint8_t *)lo; p < (volatile uint8_t *)hi; p++)
        *p = PAINT;
}

static bool painted(uint32_t lo, uint32_t hi)
{
    for (const volatile uint8_t *p = (const volatile uint8_t *)lo; p < (const volatile uint8_t *)hi;
         p++)
        if (*p != PAINT)
            return false;
    return true;
}

/* The call, as a Microchip application makes it: a pointer built from the fixed address. */
__attribute__((noinline)) static bool call(uint8_t slot)
{
    bool (*authenticate)(uint8_t, uint8_t *) = (bool (*)(uint8_t, uint8_t *))(uintptr_t)ENTRY;
    return authenticate(slot, scratch);
}

static void run(void)
{
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    paint(GUARD_LO, GUARD_HI);
    paint(STACK_LO, sp - 64u);
    bool s1 = call(1u), s0 = call(0u), s2 = call(2u);
    uint32_t low = STACK_LO;
    while (low < sp && *(const volatile uint8_t *)low == PAINT)
        low++;
    put("abi: slot1=");
    put_num(s1);
    put(" slot0=");
    put_num(s0);
    put(" slot2=");
    put_num(s2);
    put(" stack=");
    put_num(sp - low);
    put(painted(GUARD_LO, GUARD_HI) ? " ram=intact\n" : " ram=touched\n");
    leave(0u);
}

void caller_reset(void)
{
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* FPU on: the bootloader is hard-float code */
    __asm volatile("dsb\n isb" ::: "memory");
    for (uint8_t *p = scratch; p < scratch + SCRATCH; p++)
        *p = 0u;
    run();
}
