/* Fuzz target: the ATT server's PDU parser over the OTA + DIS table. Input = one config byte
 * (bit0 encrypted, bits 1-2 MTU exchange) then records [len][PDU]. Properties: never a
 * negative return, a response fits the MTU and is either an Error Response for the request's
 * opcode or that request's response opcode, commands are never answered. */
#include <stdint.h>
#include <stdlib.h>
#include "att_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fx_t F;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint16_t mtus[4] = {0, 23, 185, 517};
    uint8_t rsp[BO_ATT_MTU_MAX];
    size_t i = 1;
    if (size < 1 || fx_setup(&F, 517) != 0)
        return 0;
    memset(F.value, 0x42, sizeof F.value);
    F.value_len = (uint16_t)(data[0] * 3u); /* dynamic values of many lengths */
    bo_att_server_set_encrypted(&F.srv, (data[0] & 1u) != 0);
    if (mtus[(data[0] >> 1) & 3u] != 0) {
        uint8_t m[3] = {BO_ATT_OP_MTU_REQ, (uint8_t)mtus[(data[0] >> 1) & 3u],
                        (uint8_t)(mtus[(data[0] >> 1) & 3u] >> 8)};
        if (bo_att_server_handle(&F.srv, m, 3, rsp, sizeof rsp) != 3)
            abort();
    }
    while (i < size) {
        uint16_t len = data[i++];
        int n;
        if (len > size - i)
            len = (uint16_t)(size - i);
        n = bo_att_server_handle(&F.srv, &data[i], len, rsp, sizeof rsp);
        if (n < 0 || n > F.srv.mtu)
            abort();
        if (len > 0 && n > 0) {
            uint8_t op = data[i];
            if ((op & BO_ATT_OP_CMD_FLAG) || (op & 1u))
                abort(); /* commands and responses are never answered */
            if (!(rsp[0] == op + 1u || (rsp[0] == BO_ATT_OP_ERROR_RSP && n == 5 && rsp[1] == op)))
                abort();
        }
        i += len;
    }
    return 0;
}
