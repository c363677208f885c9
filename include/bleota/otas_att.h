/* bleota otas_att: the OTA service on bleota's own ATT server (src/att), for the links bleota
 * carries itself (the simulated device, the UART demo, the timing model). A product on a vendor
 * BLE stack builds its GATT table from bo_otas_attr_table instead and does not link this. */
#ifndef BLEOTA_OTAS_ATT_H
#define BLEOTA_OTAS_ATT_H

#include <stdint.h>
#include "bleota/att.h"
#include "bleota/otas.h"

/* Appends the OTA service (service, Feature, Control Point + CCCD, Data + CCCD) to db at its
 * next handles — callers skip to 0x0100 first to get the handles of Microchip's stack — and
 * records each attribute's handle in handle_of (indexed by bo_otas_attr_t). Permissions follow
 * the attribute set: OTA Data accepts Write Command and Write Request, everything requires an
 * encrypted link. Returns BO_OK, or the database's error (BO_ERR_NOSPACE when full). */
int bo_otas_att_add(bo_att_db_t *db, uint16_t handle_of[BO_OTAS_ATTR_COUNT]);

/* The otas attribute at an ATT handle, or -1 when the handle is not one of the service's. */
int bo_otas_att_attr(const uint16_t handle_of[BO_OTAS_ATTR_COUNT], uint16_t handle);

#endif
