/* SysTick millisecond clock, board bring-up, starting an image and the guest-level reset. */
#include <stdint.h>
#include "bleota/qemu/board.h"
#include "sys_priv.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)
#define FPU_FPCCR (*(volatile uint32_t *)0xE000EF34u)
#define NVIC_ICER0 (*(volatile uint32_t *)0xE000E180u) /* the board's 32 interrupts */
#define NVIC_ICPR0 (*(volatile uint32_t *)0xE000E280u)
#define CSR_ENABLE_TICKINT_CPUCLK 0x7u
#define ICSR_PENDSTCLR (1u << 25)
#define ICSR_PENDSVCLR (1u << 27)
#define FPCCR_LSPACT 1u

static volatile uint32_t ms_ticks;

void bo_qemu_systick_isr(void)
{
    ms_ticks++;
}

uint32_t bo_qemu_now_ms(void)
{
    return ms_ticks;
}

bo_layout_t bo_qemu_layout(void)
{
    bo_layout_t l = BO_QEMU_LAYOUT_INIT;
    return l;
}

void bo_qemu_board_init(void)
{
    bo_qemu_uart_init(BO_QEMU_UART0);
    SYST_RVR = BO_QEMU_CPU_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = CSR_ENABLE_TICKINT_CPUCLK;
    (void)bo_qemu_flash();
    __asm volatile("cpsie i" ::: "memory");
}

void bo_qemu_jump(uint32_t vtor)
{
    const volatile uint32_t *vt = bo_qemu_p_fixed_addr(vtor);
    uint32_t sp = vt[0], pc = vt[1];
    __asm volatile("cpsid i" ::: "memory");
    SYST_CSR = 0;
    SCB_ICSR = ICSR_PENDSTCLR; /* no stale tick may reach the next image before it is ready */
    SCB_VTOR = vtor;
    __asm volatile("dsb\n isb" ::: "memory");
    /* Thread mode on MSP, FPU context flag cleared, then the new stack and entry point. */
    __asm volatile("movs r2, #0\n"
                   "msr control, r2\n"
                   "isb\n"
                   "msr msp, %0\n"
                   "bx %1\n"
                   :
                   : "r"(sp), "r"(pc)
                   : "r2", "memory");
    __builtin_unreachable();
}

void bo_qemu_p_core_reset(void)
{
    __asm volatile("cpsid i" ::: "memory");
    bo_qemu_p_wdt_disarm(); /* a reset stops the watchdog; the bootloader may arm it again */
    SYST_CSR = 0;
    NVIC_ICER0 = 0xFFFFFFFFu;
    NVIC_ICPR0 = 0xFFFFFFFFu;
    SCB_ICSR = ICSR_PENDSTCLR | ICSR_PENDSVCLR;
    /* From a handler (the watchdog's NMI): whatever it preempted is no longer active, so the
     * exception return can go to thread mode. Also clears the fault enables, as a reset does. */
    SCB_SHCSR = 0;
#if defined(__ARM_FP)
    FPU_FPCCR &= ~FPCCR_LSPACT; /* no lazy FP save into the old image's stack */
#endif
    __asm volatile("dsb\n isb" ::: "memory");
}

void bo_qemu_reset_to_bootloader(void)
{
    bo_qemu_p_core_reset();
    bo_qemu_jump(BO_QEMU_BOOT_BASE);
}

static uint32_t sys_now(void *ctx)
{
    (void)ctx;
    return bo_qemu_now_ms();
}

static void sys_reset(void *ctx)
{
    (void)ctx;
    bo_qemu_reset_to_bootloader();
}

const bo_sys_t bo_qemu_sys_dev = {.now_ms = sys_now,
                                  .reset = sys_reset,
                                  .wdt_start = bo_qemu_p_wdt_start,
                                  .wdt_feed = bo_qemu_p_wdt_feed};

const bo_sys_t *bo_qemu_sys(void)
{
    return &bo_qemu_sys_dev;
}

const bo_qemu_boot_api_t *bo_qemu_boot_api(void)
{
    const volatile bo_qemu_boot_api_t *api = bo_qemu_p_fixed_addr(BO_QEMU_API_ADDR);
    if (api->magic != BO_QEMU_API_MAGIC || api->version != BO_QEMU_API_VERSION)
        return 0;
    return (const bo_qemu_boot_api_t *)api;
}
