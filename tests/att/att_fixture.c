/* The shared GATT table of the att tests (see att_fixture.h). */
#include "att_fixture.h"

const uint8_t fx_uuid_svc[16] = {0xD7, 0x15, 0x82, 0x8E, 0x1B, 0xE6, 0x23, 0x99,
                                 0xB3, 0x46, 0x3D, 0x25, 0x50, 0x48, 0x43, 0x4D};
const uint8_t fx_uuid_feat[16] = {0x58, 0x63, 0x90, 0x2F, 0x4A, 0x0C, 0x03, 0xAF,
                                  0x46, 0x42, 0xE4, 0x22, 0x50, 0x48, 0x43, 0x4D};
const uint8_t fx_uuid_ctrl[16] = {0x76, 0x8A, 0x02, 0x39, 0x7F, 0xC9, 0x82, 0x88,
                                  0xDE, 0x45, 0x27, 0x93, 0x50, 0x48, 0x43, 0x4D};
const uint8_t fx_uuid_data[16] = {0x78, 0xD4, 0x8C, 0x7C, 0xF5, 0x56, 0x7E, 0xBA,
                                  0xA6, 0x40, 0xD9, 0x34, 0x50, 0x48, 0x43, 0x4D};
const char fx_fw_rev[] = "1.0.0.0";

static uint8_t fx_read(void *ctx, uint16_t handle, uint8_t *out, uint16_t cap, uint16_t *len)
{
    fx_t *f = ctx;
    uint16_t n = f->value_len < cap ? f->value_len : cap;
    f->reads++;
    memcpy(out, f->value, n);
    *len = n;
    return 0;
}

static uint8_t fx_write(void *ctx, uint16_t handle, const uint8_t *data, uint16_t len, bool cmd)
{
    fx_t *f = ctx;
    f->writes++;
    f->last_write_handle = handle;
    f->last_write_len = len;
    f->last_write_cmd = cmd;
    memcpy(f->last_write, data, len);
    return f->write_status;
}

/* Builds the table and a server with the given max MTU; returns 0 on success. */
int fx_setup(fx_t *f, uint16_t mtu_max)
{
    bo_att_uuid_t u;
    bo_att_server_cfg_t cfg;
    uint8_t enc = BO_ATT_PERM_ENC;
    memset(f, 0, sizeof *f);
    if (bo_att_db_init(&f->db, f->attrs, 16, 1) != 0)
        return -1;
    u = bo_att_uuid16(BO_GATT_DIS);
    f->h_dis = (uint16_t)bo_att_db_add_service(&f->db, &u);
    u = bo_att_uuid16(BO_GATT_FW_REVISION);
    f->h_fwrev = (uint16_t)bo_att_db_add_char(&f->db, &u, BO_GATT_PROP_READ, BO_ATT_PERM_READ,
                                              (const uint8_t *)fx_fw_rev, 7);
    if (bo_att_db_skip_to(&f->db, 0x0100) != 0)
        return -1;
    u = bo_att_uuid128(fx_uuid_svc);
    f->h_svc = (uint16_t)bo_att_db_add_service(&f->db, &u);
    u = bo_att_uuid128(fx_uuid_feat);
    f->h_feat = (uint16_t)bo_att_db_add_char(&f->db, &u, BO_GATT_PROP_READ, BO_ATT_PERM_READ | enc,
                                             NULL, 0);
    u = bo_att_uuid128(fx_uuid_ctrl);
    f->h_ctrl = (uint16_t)bo_att_db_add_char(&f->db, &u, BO_GATT_PROP_WRITE | BO_GATT_PROP_NOTIFY,
                                             BO_ATT_PERM_WRITE | enc, NULL, 0);
    f->h_ctrl_cccd =
        (uint16_t)bo_att_db_add_cccd(&f->db, BO_ATT_PERM_READ | BO_ATT_PERM_WRITE | enc);
    u = bo_att_uuid128(fx_uuid_data);
    f->h_data =
        (uint16_t)bo_att_db_add_char(&f->db, &u, BO_GATT_PROP_WRITE_CMD | BO_GATT_PROP_NOTIFY,
                                     BO_ATT_PERM_WRITE | BO_ATT_PERM_WRITE_CMD | enc, NULL, 0);
    f->h_data_cccd =
        (uint16_t)bo_att_db_add_cccd(&f->db, BO_ATT_PERM_READ | BO_ATT_PERM_WRITE | enc);
    cfg.db = &f->db;
    cfg.mtu_max = mtu_max;
    cfg.ctx = f;
    cfg.read = fx_read;
    cfg.write = fx_write;
    return bo_att_server_init(&f->srv, &cfg);
}
