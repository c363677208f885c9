/* bleota att: UUIDs and the attribute database builder. */
#include <string.h>
#include "bleota/att.h"
#include "bleota/endian.h"

/* Bluetooth base UUID 0000xxxx-0000-1000-8000-00805F9B34FB, little-endian. */
static const uint8_t base_uuid[16] = {0xFB, 0x34, 0x9B, 0x5F, 0x80, 0x00, 0x00, 0x80,
                                      0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

bo_att_uuid_t bo_att_uuid16(uint16_t v)
{
    bo_att_uuid_t u;
    memset(&u, 0, sizeof u);
    u.len = 2;
    bo_put_le16(u.b, v);
    return u;
}

bo_att_uuid_t bo_att_uuid128(const uint8_t le[16])
{
    bo_att_uuid_t u;
    u.len = 16;
    memcpy(u.b, le, 16);
    return u;
}

/* 128-bit form of u into out[16]. */
static void to128(const bo_att_uuid_t *u, uint8_t out[16])
{
    if (u->len == 16) {
        memcpy(out, u->b, 16);
        return;
    }
    memcpy(out, base_uuid, 16);
    out[12] = u->b[0];
    out[13] = u->b[1];
}

bool bo_att_uuid_eq(const bo_att_uuid_t *a, const bo_att_uuid_t *b)
{
    uint8_t x[16], y[16];
    if ((a->len != 2 && a->len != 16) || (b->len != 2 && b->len != 16))
        return false;
    to128(a, x);
    to128(b, y);
    return memcmp(x, y, 16) == 0;
}

int bo_att_db_init(bo_att_db_t *db, bo_att_attr_t *attrs, uint16_t cap, uint16_t first_handle)
{
    if (db == NULL || attrs == NULL || cap == 0 || first_handle == 0)
        return BO_ERR_ARG;
    db->attrs = attrs;
    db->count = 0;
    db->cap = cap;
    db->next_handle = first_handle;
    return BO_OK;
}

int bo_att_db_skip_to(bo_att_db_t *db, uint16_t handle)
{
    if (db == NULL || handle < db->next_handle)
        return BO_ERR_ARG;
    db->next_handle = handle;
    return BO_OK;
}

/* Appends an attribute with the next handle; NULL when full or handles ran out. */
static bo_att_attr_t *add(bo_att_db_t *db, uint16_t type16, uint8_t perm)
{
    bo_att_attr_t *a;
    if (db->count >= db->cap || db->next_handle == 0)
        return NULL;
    a = &db->attrs[db->count++];
    memset(a, 0, sizeof *a);
    a->handle = db->next_handle++; /* wraps to 0 after 0xFFFF: refused next time */
    a->type = bo_att_uuid16(type16);
    a->perm = perm;
    return a;
}

static bool uuid_ok(const bo_att_uuid_t *u)
{
    return u != NULL && (u->len == 2 || u->len == 16);
}

int bo_att_db_add_service(bo_att_db_t *db, const bo_att_uuid_t *uuid)
{
    bo_att_attr_t *a;
    if (db == NULL || !uuid_ok(uuid))
        return BO_ERR_ARG;
    a = add(db, BO_GATT_PRIMARY_SERVICE, BO_ATT_PERM_READ);
    if (a == NULL)
        return BO_ERR_NOSPACE;
    a->decl_len = uuid->len;
    memcpy(a->decl, uuid->b, uuid->len);
    return a->handle;
}

int bo_att_db_add_char(bo_att_db_t *db, const bo_att_uuid_t *uuid, uint8_t props, uint8_t perm,
                       const uint8_t *value, uint16_t value_len)
{
    bo_att_attr_t *d, *v;
    if (db == NULL || !uuid_ok(uuid) || (value == NULL && value_len != 0))
        return BO_ERR_ARG;
    if (db->cap - db->count < 2)
        return BO_ERR_NOSPACE;
    d = add(db, BO_GATT_CHARACTERISTIC, BO_ATT_PERM_READ);
    v = d != NULL ? add(db, 0, perm) : NULL;
    if (v == NULL) {
        if (d != NULL) { /* undo: keep the table consistent */
            db->count--;
            db->next_handle--;
        }
        return BO_ERR_NOSPACE;
    }
    v->type = *uuid;
    v->value = value;
    v->value_len = value_len;
    d->decl[0] = props;
    bo_put_le16(&d->decl[1], v->handle);
    memcpy(&d->decl[3], uuid->b, uuid->len);
    d->decl_len = (uint8_t)(3 + uuid->len);
    return v->handle;
}

int bo_att_db_add_cccd(bo_att_db_t *db, uint8_t perm)
{
    bo_att_attr_t *a;
    if (db == NULL)
        return BO_ERR_ARG;
    a = add(db, BO_GATT_CCCD, perm);
    return a != NULL ? a->handle : BO_ERR_NOSPACE;
}

const bo_att_attr_t *bo_att_db_find(const bo_att_db_t *db, uint16_t handle)
{
    uint16_t i;
    for (i = 0; i < db->count; i++)
        if (db->attrs[i].handle == handle)
            return &db->attrs[i];
    return NULL;
}
