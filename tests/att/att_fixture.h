/* A GATT table like the simulated device's: DIS (Firmware Revision) at 0x0001, the OTA service
 * at 0x0100 with Microchip's UUIDs, and a fake service behind the callbacks. */
#ifndef TESTS_ATT_FIXTURE_H
#define TESTS_ATT_FIXTURE_H

#include <stdint.h>
#include <string.h>
#include "bleota/att.h"

extern const uint8_t fx_uuid_svc[16], fx_uuid_feat[16], fx_uuid_ctrl[16], fx_uuid_data[16];
extern const char fx_fw_rev[];

typedef struct fx {
    bo_att_attr_t attrs[16];
    bo_att_db_t db;
    bo_att_server_t srv;
    uint16_t h_dis, h_fwrev, h_svc, h_feat, h_ctrl, h_ctrl_cccd, h_data, h_data_cccd;
    /* fake service */
    uint8_t last_write[BO_ATT_MTU_MAX];
    uint16_t last_write_len, last_write_handle;
    int writes, reads;
    bool last_write_cmd;
    uint8_t write_status; /* what the fake returns for writes */
    uint8_t value[600];   /* what reads of callback attributes return */
    uint16_t value_len;
} fx_t;

/* Builds the table and a server with the given max MTU; returns 0 on success. */
int fx_setup(fx_t *f, uint16_t mtu_max);

#endif
