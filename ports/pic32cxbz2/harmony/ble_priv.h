/* Private to the Harmony binding: the GATT database (ble_gatt.c) for the event side (ble.c). */
#ifndef BO_BZ2_BLE_PRIV_H
#define BO_BZ2_BLE_PRIV_H

#include "att_uuid.h"
#include "mba_error_defs.h"

#include "bleota/pic32cxbz2/ble.h"

/* Registers DIS (dis_start != 0, with b->fw_rev) and the OTA service. BO_OK or BO_ERR_IO. */
int bo_bz2_p_add_services(bo_bz2_ble_t *b, uint16_t dis_start);
/* The OTA service attribute (bo_otas_attr_t) at handle, or -1 (declarations, other services). */
int bo_bz2_p_attr_of(uint16_t handle);

#endif
