/* bleota att: link framing, [len u16 LE][PDU], reassembled from any split of the stream. */
#include <string.h>
#include "bleota/att.h"
#include "bleota/endian.h"

int bo_link_hdr(uint8_t out[BO_LINK_HDR_SIZE], uint16_t len)
{
    if (len == 0 || len > BO_LINK_FRAME_MAX)
        return BO_ERR_RANGE;
    bo_put_le16(out, len);
    return BO_OK;
}

void bo_link_rx_init(bo_link_rx_t *rx)
{
    rx->need = 0;
    rx->have = 0;
    rx->hdr_have = 0;
}

int bo_link_rx_push(bo_link_rx_t *rx, const uint8_t *data, uint32_t len, uint32_t *used)
{
    uint32_t i = 0;
    *used = 0;
    if (data == NULL && len > 0)
        return BO_ERR_ARG;
    while (rx->hdr_have < 2 && i < len)
        rx->hdr[rx->hdr_have++] = data[i++];
    if (rx->hdr_have < 2) {
        *used = i;
        return 0;
    }
    if (rx->need == 0) {
        uint16_t n = bo_get_le16(rx->hdr);
        if (n == 0 || n > BO_LINK_FRAME_MAX) {
            *used = i;
            bo_link_rx_init(rx);
            return BO_ERR_FORMAT;
        }
        rx->need = n;
        rx->have = 0;
    }
    {
        uint32_t take = len - i;
        if (take > (uint32_t)(rx->need - rx->have))
            take = (uint32_t)(rx->need - rx->have);
        if (take > 0)
            memcpy(&rx->buf[rx->have], &data[i], take);
        rx->have = (uint16_t)(rx->have + take);
        i += take;
    }
    *used = i;
    if (rx->have < rx->need)
        return 0;
    {
        int n = rx->need;
        rx->need = 0;
        rx->hdr_have = 0; /* the frame stays in buf until the next push */
        return n;
    }
}
