/* The OTA service's attribute set placed on bleota's ATT server (see otas_att.h). */
#include "bleota/otas_att.h"

static uint8_t att_perm(const bo_otas_attr_desc_t *d)
{
    uint8_t p = 0;
    if (d->perm & BO_OTAS_PERM_READ)
        p |= BO_ATT_PERM_READ;
    if (d->perm & BO_OTAS_PERM_WRITE)
        p |= BO_ATT_PERM_WRITE;
    if (d->props & BO_OTAS_PROP_WRITE_NO_RSP)
        p |= BO_ATT_PERM_WRITE_CMD;
    if (d->perm & BO_OTAS_PERM_ENC)
        p |= BO_ATT_PERM_ENC; /* refused with ATT 0x0F until the link is paired */
    return p;
}

int bo_otas_att_add(bo_att_db_t *db, uint16_t handle_of[BO_OTAS_ATTR_COUNT])
{
    for (unsigned i = 0; i < BO_OTAS_ATTR_COUNT; i++) {
        const bo_otas_attr_desc_t *d = &bo_otas_attr_table[i];
        int h;
        if (d->kind == BO_OTAS_KIND_CCCD) {
            h = bo_att_db_add_cccd(db, att_perm(d));
        } else {
            bo_att_uuid_t u = bo_att_uuid128(d->uuid128);
            h = d->kind == BO_OTAS_KIND_SERVICE
                    ? bo_att_db_add_service(db, &u)
                    : bo_att_db_add_char(db, &u, d->props, att_perm(d), NULL, 0);
        }
        if (h < 0)
            return h;
        handle_of[d->attr] = (uint16_t)h;
    }
    return BO_OK;
}

int bo_otas_att_attr(const uint16_t handle_of[BO_OTAS_ATTR_COUNT], uint16_t handle)
{
    for (unsigned i = 0; i < BO_OTAS_ATTR_COUNT; i++) {
        if (handle_of[i] == handle)
            return (int)i;
    }
    return -1;
}
