/* SERCOM0 as Microchip's serial-DFU bootloader configures it (reference §4.1): 115 200 Bd 8N1,
 * LSB first, TX PAD0 (PA5), RX PAD1 (PA6), RTS PAD2 (PA3) / CTS PAD3 (PA4) hardware flow control,
 * direct high-speed pins. Polled: while the CPU is busy (a flash page erase runs with interrupts
 * masked) the receiver's RTS holds the host off, so no byte is lost. */
#include "bleota/pic32cxbz2/board.h"
#include "chip.h"

#define USART (&SERCOM0_REGS->USART_INT)
#define BAUD_RATE 115200u
#define STATUS_ERRORS                                                                              \
    (SERCOM_USART_INT_STATUS_PERR_Msk | SERCOM_USART_INT_STATUS_FERR_Msk |                         \
     SERCOM_USART_INT_STATUS_BUFOVF_Msk)

static void sync(void)
{
    while (USART->SERCOM_SYNCBUSY != 0u) {
    }
}

void bo_bz2_uart_init(uint32_t cpu_hz)
{
    CFG_REGS->CFG_CFGCON1SET = CFG_CFGCON1_SCOM0_HSEN_Msk;
    USART->SERCOM_CTRLA = SERCOM_USART_INT_CTRLA_MODE_USART_INT_CLK |
                          SERCOM_USART_INT_CTRLA_RXPO(1u) | SERCOM_USART_INT_CTRLA_TXPO(2u) |
                          SERCOM_USART_INT_CTRLA_DORD_Msk | SERCOM_USART_INT_CTRLA_IBON_Msk |
                          SERCOM_USART_INT_CTRLA_FORM(0u) | SERCOM_USART_INT_CTRLA_SAMPR(0u);
    /* 16x arithmetic: BAUD = 65536 - 65536 * 16 * baud / f, rounded down as the plib's float
     * (63648 at 64 MHz, 63019 at 48 MHz) */
    uint64_t x = ((uint64_t)65536u * 16u * BAUD_RATE + cpu_hz - 1u) / cpu_hz;
    USART->SERCOM_BAUD = (uint16_t)(65536u - (uint32_t)x);
    USART->SERCOM_CTRLB = SERCOM_USART_INT_CTRLB_CHSIZE_8_BIT |
                          SERCOM_USART_INT_CTRLB_SBMODE_1_BIT | SERCOM_USART_INT_CTRLB_RXEN_Msk |
                          SERCOM_USART_INT_CTRLB_TXEN_Msk;
    sync();
    USART->SERCOM_CTRLA |= SERCOM_USART_INT_CTRLA_ENABLE_Msk;
    sync();
}

void bo_bz2_uart_write(const void *buf, uint32_t len)
{
    const uint8_t *p = buf;
    for (uint32_t i = 0; i < len; i++) {
        while ((USART->SERCOM_INTFLAG & SERCOM_USART_INT_INTFLAG_DRE_Msk) == 0u) {
        }
        USART->SERCOM_DATA = p[i];
    }
}

int bo_bz2_uart_getc(void)
{
    if ((USART->SERCOM_INTFLAG & SERCOM_USART_INT_INTFLAG_RXC_Msk) == 0u)
        return -1;
    uint16_t st = USART->SERCOM_STATUS;
    int c = (int)(USART->SERCOM_DATA & 0xFFu);
    if ((st & STATUS_ERRORS) != 0u)
        USART->SERCOM_STATUS = st & STATUS_ERRORS; /* write 1 to clear; the frame check
                                                      (sum or CRC) refuses the damaged data */
    return c;
}

/* Before the jump: the plib's SERCOM0_USART_deInit. (The serial executive has answered long
 * before: a window closes after it was quiet; RESET has no answer.) */
void bo_bz2_uart_deinit(void)
{
    USART->SERCOM_CTRLA = 0u;
    USART->SERCOM_BAUD = 0u;
    USART->SERCOM_CTRLB = 0u;
    sync();
    USART->SERCOM_INTENCLR = 0xBFu;
    USART->SERCOM_INTFLAG = 0u;
}
