/* The NVM (flash) controller of the PIC32CX-BZ2 as the driver and the host model see it
 * (mchp-bz2-platform-reference.md §2; DS70005504 ch. 24). Target builds check every offset and
 * bit against the device pack (regs_check.c). */
#ifndef BO_BZ2_NVM_REGS_H
#define BO_BZ2_NVM_REGS_H

#define BZ2_NVM_BASE 0x44000600u
#define BZ2_NVMCON (BZ2_NVM_BASE + 0x00u)
#define BZ2_NVMCONCLR (BZ2_NVM_BASE + 0x04u)
#define BZ2_NVMCONSET (BZ2_NVM_BASE + 0x08u)
#define BZ2_NVMCON2 (BZ2_NVM_BASE + 0x10u)
#define BZ2_NVMKEY (BZ2_NVM_BASE + 0x20u)
#define BZ2_NVMADDR (BZ2_NVM_BASE + 0x30u)
#define BZ2_NVMDATA(i) (BZ2_NVM_BASE + 0x40u + 0x10u * (uint32_t)(i)) /* i = 0..3 */
#define BZ2_NVMSRCADDR (BZ2_NVM_BASE + 0xC0u)
#define BZ2_NVMPWPLT (BZ2_NVM_BASE + 0xD0u)
#define BZ2_NVMPWPGTE (BZ2_NVM_BASE + 0xE0u)
#define BZ2_NVMLBWP (BZ2_NVM_BASE + 0xF0u)
#define BZ2_NVMUBWP (BZ2_NVM_BASE + 0x100u)
#define BZ2_CLR 0x4u /* the CLR / SET aliases of a register */
#define BZ2_SET 0x8u

#define BZ2_NVMCON_NVMOP_MSK 0x0000000Fu
#define BZ2_NVMCON_LVDERR (1u << 12)
#define BZ2_NVMCON_WRERR (1u << 13)
#define BZ2_NVMCON_WREN (1u << 14)
#define BZ2_NVMCON_WR (1u << 15)
#define BZ2_NVMCON_ERR (BZ2_NVMCON_WRERR | BZ2_NVMCON_LVDERR)

#define BZ2_NVMOP_NOP 0x0u
#define BZ2_NVMOP_WORD 0x1u
#define BZ2_NVMOP_QUAD 0x2u
#define BZ2_NVMOP_ROW 0x3u
#define BZ2_NVMOP_PAGE_ERASE 0x4u
#define BZ2_NVMOP_PFM_ERASE 0x7u

#define BZ2_NVMKEY1 0xAA996655u /* after a write of 0 */
#define BZ2_NVMKEY2 0x556699AAu
#define BZ2_NVM_ULOCK (1u << 31) /* protection registers: 0 freezes them until reset */
#define BZ2_NVM_WP_FIELD 0x00FFFFFFu

#define BZ2_NVM_PAGE 4096u
#define BZ2_NVM_ROW 1024u
#define BZ2_NVM_QUAD 16u

#define BZ2_PFM_BASE 0x01000000u
#define BZ2_PFM_SIZE 0x00100000u
#define BZ2_BFM_BASE 0x00000000u
#define BZ2_BFM_SIZE 0x00007000u /* boot pages incl. config and OTP pages */

/* Caches that may hold flash contents (reference §2.6) */
#define BZ2_PCHE_CHECON 0x44012400u
#define BZ2_PCHE_ICHEINV (1u << 20)
#define BZ2_PCHE_DCHEINV (1u << 21)
#define BZ2_CMCC_SR 0x4100200Cu
#define BZ2_CMCC_MAINT0 0x41002020u
#define BZ2_CMCC_SR_CSTS 1u
#define BZ2_CMCC_INVALL 1u

/* NVIC: the controller's completion interrupt, which Microchip's plib (PDS) owns */
#define BZ2_FLASH_CONTROL_IRQN 3u
#define BZ2_NVIC_ISER0 0xE000E100u
#define BZ2_NVIC_ICER0 0xE000E180u
#define BZ2_NVIC_ICPR0 0xE000E280u

#endif
