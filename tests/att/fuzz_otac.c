/* Fuzz target: the OTA client core fed arbitrary PDUs by a hostile device. Input = records
 * [len][PDU]; between records time advances by the record's first byte (ms). Properties: the
 * client never sends an ATT PDU above its MTU, never an OTA Data write above MTU-3 or past the
 * image, and its result stays in the documented set. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bleota/endian.h"
#include "otac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bo_otac_t C;
static uint8_t img[8192];

static int on_send(void *ctx, const uint8_t *pdu, uint16_t len)
{
    (void)ctx;
    if (len == 0 || len > BO_ATT_MTU_MAX || (pdu[0] != BO_LINK_CTRL && len > C.mtu))
        abort();
    if (pdu[0] == BO_ATT_OP_WRITE_CMD && bo_get_le16(&pdu[1]) == C.h_data &&
        (len - 3u > C.mtu - 3u || C.sent + (len - 3u) > sizeof img))
        abort();
    return BO_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bo_otac_cfg_t cfg;
    uint32_t now = 0;
    size_t i = 1;
    if (size < 1)
        return 0;
    memset(&cfg, 0, sizeof cfg);
    cfg.mode = (data[0] & 1u) ? BO_OTAC_MODE_INFO : BO_OTAC_MODE_UPDATE;
    cfg.image.payload = img;
    cfg.image.len = sizeof img;
    cfg.image.size = sizeof img;
    cfg.mtu = (data[0] & 2u) ? 23 : 517;
    cfg.resume = (data[0] & 4u) != 0;
    cfg.send = on_send;
    if (bo_otac_init(&C, &cfg) != BO_OK)
        abort();
    bo_otac_start(&C, now);
    while (i < size && bo_otac_result(&C) == BO_OTAC_RUNNING) {
        uint16_t len = data[i++];
        if (len > size - i)
            len = (uint16_t)(size - i);
        if (len > 0) {
            now += data[i];
            bo_otac_on_pdu(&C, &data[i], len, now);
            bo_otac_on_writable(&C, now);
            bo_otac_tick(&C, now);
        }
        i += len;
    }
    if (bo_otac_result(&C) > BO_OTAC_ERR_INVALID || C.sent > sizeof img)
        abort();
    return 0;
}
