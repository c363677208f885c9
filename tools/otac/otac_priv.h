/* otac internals shared by otac.c (session, Control Point, data) and otac_disc.c (discovery). */
#ifndef BLEOTA_OTAC_PRIV_H
#define BLEOTA_OTAC_PRIV_H

#include "otac.h"

enum {
    S_IDLE = 0,
    S_MTU,
    S_PAIR,
    S_FIND_SVC,
    S_CHARS,
    S_CCCD_CTRL,
    S_CCCD_DATA,
    S_EN_CTRL,
    S_EN_DATA,
    S_FEATURE,
    S_OPTIN,
    S_REQUEST,
    S_START,
    S_DATA,
    S_COMPLETE,
    S_RESET,
    S_FIND_DIS,
    S_READ_REV,
    S_END,
};

#define OTAC_PDU_MAX BO_ATT_MTU_MAX

/* Moves to a step and tells the user. */
void otac_enter(bo_otac_t *c, int state, const char *stage);
/* Ends the session (result != RUNNING) and reports it. */
void otac_end(bo_otac_t *c, bo_otac_result_t r, int detail);
/* Sends a request and waits for rsp_op (or an Error Response) until now + timeout. False if
 * the session ended (send failed). */
bool otac_request(bo_otac_t *c, uint32_t now, const uint8_t *pdu, int len, uint8_t rsp_op);
/* Arms the deadline. */
void otac_arm(bo_otac_t *c, uint32_t now, uint32_t ms);

/* Discovery (otac_disc.c): handle the response to the pending request of a discovery step. */
void otac_disc_start(bo_otac_t *c, uint32_t now);
void otac_disc_on_rsp(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now);
/* Called by discovery when every handle is known: goes on to enabling the CCCDs. */
void otac_after_discovery(bo_otac_t *c, uint32_t now);
/* Handles the MTU response (both modes) and moves on. */
void otac_after_mtu(bo_otac_t *c, uint32_t now);

#endif
