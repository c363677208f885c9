/* The NVM register map the driver and the host model share (nvm_regs.h), checked against
 * Microchip's device pack at compile time: both come from the reference, this proves they agree. */
#include <stddef.h>
#include "chip.h"
#include "nvm_regs.h"

#define OFF(field) (BZ2_NVM_BASE + offsetof(nvm_registers_t, field))
_Static_assert(NVM_BASE_ADDRESS == BZ2_NVM_BASE, "NVM base");
_Static_assert(OFF(NVM_NVMCON) == BZ2_NVMCON && OFF(NVM_NVMCONCLR) == BZ2_NVMCONCLR &&
                   OFF(NVM_NVMCONSET) == BZ2_NVMCONSET && OFF(NVM_NVMCON2) == BZ2_NVMCON2,
               "NVMCON");
_Static_assert(OFF(NVM_NVMKEY) == BZ2_NVMKEY && OFF(NVM_NVMADDR) == BZ2_NVMADDR &&
                   OFF(NVM_NVMSRCADDR) == BZ2_NVMSRCADDR,
               "NVMKEY/ADDR/SRCADDR");
_Static_assert(OFF(NVM_NVMDATA0) == BZ2_NVMDATA(0) && OFF(NVM_NVMDATA1) == BZ2_NVMDATA(1) &&
                   OFF(NVM_NVMDATA2) == BZ2_NVMDATA(2) && OFF(NVM_NVMDATA3) == BZ2_NVMDATA(3),
               "NVMDATA");
_Static_assert(OFF(NVM_NVMPWPLT) == BZ2_NVMPWPLT && OFF(NVM_NVMPWPGTE) == BZ2_NVMPWPGTE &&
                   OFF(NVM_NVMLBWP) == BZ2_NVMLBWP && OFF(NVM_NVMUBWP) == BZ2_NVMUBWP &&
                   OFF(NVM_NVMPWPLTCLR) == BZ2_NVMPWPLT + BZ2_CLR &&
                   OFF(NVM_NVMLBWPSET) == BZ2_NVMLBWP + BZ2_SET,
               "protection registers");
_Static_assert(NVM_NVMCON_WR_Msk == BZ2_NVMCON_WR && NVM_NVMCON_WREN_Msk == BZ2_NVMCON_WREN &&
                   NVM_NVMCON_WRERR_Msk == BZ2_NVMCON_WRERR &&
                   NVM_NVMCON_LVDERR_Msk == BZ2_NVMCON_LVDERR &&
                   NVM_NVMCON_NVMOP_Msk == BZ2_NVMCON_NVMOP_MSK,
               "NVMCON bits");
_Static_assert(NVM_PAGE_SIZE == BZ2_NVM_PAGE && NVM_ROW_SIZE == BZ2_NVM_ROW, "page and row");
_Static_assert(FLASH_ADDR == BZ2_PFM_BASE && FLASH_SIZE == BZ2_PFM_SIZE, "program flash");
_Static_assert(PCHE_BASE_ADDRESS == BZ2_PCHE_CHECON &&
                   PCHE_CHECON_ICHEINV_Msk == BZ2_PCHE_ICHEINV &&
                   PCHE_CHECON_DCHEINV_Msk == BZ2_PCHE_DCHEINV,
               "prefetch cache");
_Static_assert(CMCC_BASE_ADDRESS + offsetof(cmcc_registers_t, CMCC_MAINT0) == BZ2_CMCC_MAINT0 &&
                   CMCC_BASE_ADDRESS + offsetof(cmcc_registers_t, CMCC_SR) == BZ2_CMCC_SR,
               "CMCC");
_Static_assert(FLASH_CONTROL_IRQn == BZ2_FLASH_CONTROL_IRQN, "flash interrupt");
_Static_assert(HSRAM_ADDR == 0x20000000u && HSRAM_SIZE == 0x00020000u, "SRAM");

typedef int bo_bz2_regs_checked; /* a translation unit must declare something */
