/* Microchip's fixed-address bootloader API, exported by bleota's bootloader (reference §1.3):
 *   bool authenticate_fw_image(uint8_t slot, uint8_t *ram)   Thumb entry 0x5000, call 0x5001
 * An application built with Microchip's Harmony OTA middleware calls it after a download and
 * gets bleota's verdict. It runs after the application took the RAM over, so it uses only the
 * caller's stack (bo_boot_authenticate: about 2 KiB) and the top 1 KiB of SRAM, re-initialised
 * here at every call; the caller's scratch buffer is not needed. Flash is only read, through the
 * driver's read-only view (the NVM driver's SRAM code belongs to the bootloader's RAM, gone). */
#include <stdint.h>
#include <string.h>
#include "bleota/pic32cxbz2/api.h"
#include "boot_cfg.h"

extern uint8_t __api_data_load[], __api_data_start[], __api_data_end[], __api_bss_start[],
    __api_bss_end[];

/* A linker symbol's address, hidden from the optimiser (an asm output may point to any global):
 * the calls below write the memory of the API's static objects, which a points-to analysis
 * (-fipa-pta, cmake/lto.cmake) must not take for the symbol's own array. */
static uint8_t *section_addr(uint8_t *sym)
{
    __asm("" : "+r"(sym));
    return sym;
}

/* Byte counts straight from the linker's symbols (the compiler would turn word loops into the
 * same calls, with rounding around them). */
void bo_bz2_api_ram_init(void)
{
    uint8_t *data = section_addr(__api_data_start), *bss = section_addr(__api_bss_start);
    memcpy(data, __api_data_load, (size_t)(__api_data_end - data));
    memset(bss, 0, (size_t)(__api_bss_end - bss));
}

__attribute__((section(".bo_api_entry"), used, noinline)) bool authenticate_fw_image(uint8_t slot,
                                                                                     uint8_t *ram)
{
    static const bo_boot_cfg_t cfg = BO_BZ2_BOOT_CFG(bo_bz2_flash_reader_dev);
    (void)ram;
    if (slot > 1u)
        return false;
    bo_bz2_api_ram_init();
    return bo_boot_authenticate(&cfg, slot, NULL) == BO_OK;
}
