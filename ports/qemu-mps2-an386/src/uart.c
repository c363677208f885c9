/* CMSDK APB UART, polled. QEMU's model holds one received byte and stops reading its chardev
 * until the guest takes it, so polling loses nothing: the host side simply waits. */
#include <stdint.h>
#include "bleota/qemu/board.h"

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))
#define UART_DATA 0x00u
#define UART_STATE 0x04u
#define UART_CTRL 0x08u
#define UART_BAUDDIV 0x10u
#define STATE_TX_FULL 0x1u
#define STATE_RX_FULL 0x2u
#define CTRL_TX_EN 0x1u
#define CTRL_RX_EN 0x2u

void bo_qemu_uart_init(uint32_t base)
{
    REG(base, UART_BAUDDIV) = 16u; /* the minimum the model accepts; QEMU ignores timing */
    REG(base, UART_CTRL) = CTRL_TX_EN | CTRL_RX_EN;
}

/* A transmitter that stays full this long has nobody to send to: QEMU's model holds the byte
 * until its chardev takes it, and a socket client that hung up mid-frame leaves it waiting
 * until the guest reads the receive side again (which a spinning writer never does). The byte
 * is dropped, as a UART does when no one listens. (Needs the SysTick running; without it the
 * wait is unbounded, as before.) */
#define TX_STALL_MS 100u
static uint32_t tx_dropped;

void bo_qemu_uart_putc(uint32_t base, uint8_t c)
{
    uint32_t t0 = bo_qemu_now_ms();
    while (REG(base, UART_STATE) & STATE_TX_FULL) {
        if ((uint32_t)(bo_qemu_now_ms() - t0) > TX_STALL_MS) {
            tx_dropped++;
            return;
        }
    }
    REG(base, UART_DATA) = c;
}

uint32_t bo_qemu_uart_tx_dropped(void)
{
    return tx_dropped;
}

void bo_qemu_uart_write(uint32_t base, const void *buf, uint32_t len)
{
    const uint8_t *p = buf;
    for (uint32_t i = 0; i < len; i++)
        bo_qemu_uart_putc(base, p[i]);
}

int bo_qemu_uart_getc(uint32_t base)
{
    if (!(REG(base, UART_STATE) & STATE_RX_FULL))
        return -1;
    return (int)(REG(base, UART_DATA) & 0xFFu);
}
