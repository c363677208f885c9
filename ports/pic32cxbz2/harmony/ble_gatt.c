/* The GATT database the binding hands to Microchip's stack: a Device Information Service with
 * the Firmware Revision String, and the OTA service exactly where and how Microchip's ble_otas.c
 * declares it (handles 0x0100..0x0108, 128-bit UUIDs stored little-endian, manual read of
 * Feature, manual write of the Control Point, Data and both CCCDs, encryption required).
 * UUIDs, properties and permissions come from otas's own table, the single source of truth. */
#include <string.h>

#include "ble_priv.h"

/* attribute -> offset of its handle from BO_BZ2_BLE_OTA_START (declarations sit before values) */
static const uint8_t attr_off[BO_OTAS_ATTR_COUNT] = {0u, 2u, 4u, 5u, 7u, 8u};
static const uint8_t uuid_dis[2] = {0x0Au, 0x18u};    /* 0x180A */
static const uint8_t uuid_fw_rev[2] = {0x26u, 0x2Au}; /* 0x2A26 */

uint16_t bo_bz2_ble_handle(bo_otas_attr_t attr)
{
    return (unsigned)attr < BO_OTAS_ATTR_COUNT ? (uint16_t)(BO_BZ2_BLE_OTA_START + attr_off[attr])
                                               : 0u;
}

int bo_bz2_p_attr_of(uint16_t handle)
{
    for (int a = 0; a < (int)BO_OTAS_ATTR_COUNT; a++)
        if (bo_bz2_ble_handle((bo_otas_attr_t)a) == handle)
            return a;
    return -1;
}

static uint8_t permissions(uint8_t perm)
{
    uint8_t p = 0;
    if (perm & BO_OTAS_PERM_READ)
        p |= PERMISSION_READ | ((perm & BO_OTAS_PERM_ENC) ? PERMISSION_READ_ENC : 0u);
    if (perm & BO_OTAS_PERM_WRITE)
        p |= PERMISSION_WRITE | ((perm & BO_OTAS_PERM_ENC) ? PERMISSION_WRITE_ENC : 0u);
    return p;
}

static void put_attr(GATTS_Attribute_T *a, const uint8_t *uuid, uint8_t *value, uint16_t *len,
                     uint16_t max, uint8_t settings, uint8_t perm)
{
    a->p_uuid = (uint8_t *)(uintptr_t)uuid; /* the stack only reads them */
    a->p_value = value;
    a->p_len = len;
    a->maxLen = max;
    a->settings = settings;
    a->permissions = perm;
}

static void ota_service(bo_bz2_ble_t *b)
{
    unsigned n = 0, chr = 0, cccd = 0;
    for (unsigned i = 0; i < BO_OTAS_ATTR_COUNT; i++) {
        const bo_otas_attr_desc_t *d = &bo_otas_attr_table[i];
        uint16_t h = bo_bz2_ble_handle(d->attr);
        if (d->kind == BO_OTAS_KIND_SERVICE) {
            b->len[n] = 16u;
            put_attr(&b->ota_attrs[n], g_gattUuidPrimSvc, (uint8_t *)(uintptr_t)d->uuid128,
                     &b->len[n], 16u, 0u, PERMISSION_READ);
            n++;
        } else if (d->kind == BO_OTAS_KIND_VALUE) {
            uint8_t *decl = b->decl[chr++];
            decl[0] = d->props;
            decl[1] = (uint8_t)h;
            decl[2] = (uint8_t)(h >> 8);
            memcpy(decl + 3, d->uuid128, 16);
            b->len[n] = 19u;
            put_attr(&b->ota_attrs[n], g_gattUuidChar, decl, &b->len[n], 19u, 0u, PERMISSION_READ);
            n++;
            bool readable = (d->props & BO_OTAS_PROP_READ) != 0u;
            uint8_t settings =
                SETTING_UUID_16 | (readable ? SETTING_MANUAL_READ_RSP
                                            : SETTING_MANUAL_WRITE_RSP | SETTING_VARIABLE_LEN);
            b->len[n] = readable ? 2u : 0u;
            put_attr(&b->ota_attrs[n], d->uuid128, readable ? b->feature_val : b->write_val,
                     &b->len[n], readable ? 2u : BLE_ATT_MAX_MTU_LEN, settings,
                     permissions(d->perm));
            n++;
        } else {
            b->len[n] = 2u;
            b->cccd[cccd].attrHandle = h;
            b->cccd[cccd].acceptableValue = NOTIFICATION;
            put_attr(&b->ota_attrs[n], g_descUuidCcc, b->cccd_val[cccd], &b->len[n], 2u,
                     SETTING_MANUAL_WRITE_RSP | SETTING_CCCD, permissions(d->perm));
            n++;
            cccd++;
        }
    }
    b->ota_svc.p_attrList = b->ota_attrs;
    b->ota_svc.p_cccdSetting = b->cccd;
    b->ota_svc.startHandle = BO_BZ2_BLE_OTA_START;
    b->ota_svc.endHandle = (uint16_t)(BO_BZ2_BLE_OTA_START + BO_BZ2_BLE_OTA_ATTRS - 1u);
    b->ota_svc.cccdNumber = 2u;
}

static void dis_service(bo_bz2_ble_t *b, uint16_t start)
{
    uint16_t *len = &b->len[BO_BZ2_BLE_OTA_ATTRS];
    uint16_t value = (uint16_t)(start + 2u);
    memcpy(b->dis_uuid, uuid_dis, 2);
    b->dis_decl[0] = ATT_PROP_READ;
    b->dis_decl[1] = (uint8_t)value;
    b->dis_decl[2] = (uint8_t)(value >> 8);
    memcpy(b->dis_decl + 3, uuid_fw_rev, 2);
    len[0] = 2u;
    len[1] = 5u;
    len[2] = (uint16_t)strlen((const char *)b->fw_rev);
    put_attr(&b->dis_attrs[0], g_gattUuidPrimSvc, b->dis_uuid, &len[0], 2u, 0u, PERMISSION_READ);
    put_attr(&b->dis_attrs[1], g_gattUuidChar, b->dis_decl, &len[1], 5u, 0u, PERMISSION_READ);
    put_attr(&b->dis_attrs[2], uuid_fw_rev, b->fw_rev, &len[2], BO_BZ2_BLE_FW_REV_MAX, 0u,
             PERMISSION_READ);
    b->dis_svc.p_attrList = b->dis_attrs;
    b->dis_svc.p_cccdSetting = NULL;
    b->dis_svc.startHandle = start;
    b->dis_svc.endHandle = (uint16_t)(start + BO_BZ2_BLE_DIS_ATTRS - 1u);
    b->dis_svc.cccdNumber = 0u;
}

int bo_bz2_p_add_services(bo_bz2_ble_t *b, uint16_t dis_start)
{
    if (dis_start != 0u) {
        dis_service(b, dis_start);
        if (GATTS_AddService(&b->dis_svc, BO_BZ2_BLE_DIS_ATTRS) != MBA_RES_SUCCESS)
            return BO_ERR_IO;
    }
    ota_service(b);
    return GATTS_AddService(&b->ota_svc, BO_BZ2_BLE_OTA_ATTRS) == MBA_RES_SUCCESS ? BO_OK
                                                                                  : BO_ERR_IO;
}
