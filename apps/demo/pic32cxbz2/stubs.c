/* Link stubs for exactly the Harmony BLE stack and PDS symbols this application uses, and
 * nothing else (ctest pic32cxbz2_app_needs_only_the_stubbed_stack_calls compares the lists).
 * They stand in for Microchip's binary libraries, which are not available here: this image
 * links, it is not meant to run. */
#include <stdint.h>
#include "gatt.h"
#include "pds.h"
#include "stack_mgr.h"

const uint8_t g_gattUuidPrimSvc[ATT_UUID_LENGTH_2] = {0x00u, 0x28u};
const uint8_t g_gattUuidChar[ATT_UUID_LENGTH_2] = {0x03u, 0x28u};
const uint8_t g_descUuidCcc[ATT_UUID_LENGTH_2] = {0x02u, 0x29u};

uint16_t GATTS_AddService(GATTS_Service_T *p_service, uint8_t numAttributes)
{
    (void)p_service;
    (void)numAttributes;
    return 0x0001u;
}

uint16_t GATTS_SendHandleValue(uint16_t connHandle, GATTS_HandleValueParams_T *p_hvParams)
{
    (void)connHandle;
    (void)p_hvParams;
    return 0x0001u;
}

uint16_t GATTS_SendWriteResponse(uint16_t connHandle, GATTS_SendWriteRespParams_T *p_respParams)
{
    (void)connHandle;
    (void)p_respParams;
    return 0x0001u;
}

uint16_t GATTS_SendErrorResponse(uint16_t connHandle, GATTS_SendErrRespParams_T *p_errParams)
{
    (void)connHandle;
    (void)p_errParams;
    return 0x0001u;
}

uint16_t GATTS_SendReadResponse(uint16_t connHandle, GATTS_SendReadRespParams_T *p_respParams)
{
    (void)connHandle;
    (void)p_respParams;
    return 0x0001u;
}

uint8_t PDS_GetPendingItemsCount(void)
{
    return 0u;
}

void STACK_EventRegister(STACK_EventCb_T eventCb)
{
    (void)eventCb;
}
