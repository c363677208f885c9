/* The OTA service conformance table (reference §2.4-§2.10 with DESIGN §4's deviations): every
 * Control Point opcode in every server state, the ATT answer, the notification and the state it
 * leads to. Shared by every path that serves the OTA service: otas itself
 * (test_otas_conformance.c) and the PIC32CX-BZ2 Harmony binding
 * (tests/pic32cxbz2/test_ble_conformance.c). */
#ifndef BO_TEST_OTAS_CONFORMANCE_ROWS_H
#define BO_TEST_OTAS_CONFORMANCE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "bleota/otas.h"

size_t h_req(uint8_t out[19], uint32_t size, uint32_t id, uint32_t version, uint8_t enc,
             uint16_t checksum, bool extended);

typedef enum {
    S_CCCD_OFF = 0, /* reference state 0: this link has not enabled the Control Point CCCD */
    S_IDLE,
    S_WAIT_REQ,
    S_UPDATE_REQ,
    S_UPDATE_START,
    S_UPDATE_ERROR,
    S_WAIT_COMP,
    S_COMPLETE,
    S_COUNT
} st_t;

static const char *const st_name[S_COUNT] = {"cccd_disabled", "idle",         "wait_req_rsp",
                                             "update_req",    "update_start", "update_error",
                                             "wait_comp_rsp", "complete"};
static const bo_otas_state_t st_server[S_COUNT] = {
    BO_OTAS_IDLE,         BO_OTAS_IDLE,         BO_OTAS_WAIT_REQ_RSP,  BO_OTAS_UPDATE_REQ,
    BO_OTAS_UPDATE_START, BO_OTAS_UPDATE_ERROR, BO_OTAS_WAIT_COMP_RSP, BO_OTAS_COMPLETE};

#define IMG_SIZE 64u
typedef struct {
    uint8_t len;
    uint8_t b[13];
} nt_t;

typedef struct row {
    st_t st;
    uint8_t op;
    uint8_t att;
    nt_t notif; /* len 0: no notification */
    st_t next;
    const char *proves;
} row_t;

#define NONE                                                                                       \
    {                                                                                              \
        0,                                                                                         \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }
#define N3(op, r)                                                                                  \
    {                                                                                              \
        3,                                                                                         \
        {                                                                                          \
            0x01, (op), (r)                                                                        \
        }                                                                                          \
    }
#define R_BUSY                                                                                     \
    {                                                                                              \
        13,                                                                                        \
        {                                                                                          \
            0x01, 0x02, 0x01                                                                       \
        }                                                                                          \
    }
#define R_OK                                                                                       \
    {                                                                                              \
        13,                                                                                        \
        {                                                                                          \
            0x01, 0x02, 0x00, 0x70, 0x00, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x01                       \
        }                                                                                          \
    }

/* Opcodes probed in every state: RFU 00, Response 01, the five defined, an RFU 06, the resume
 * extension 20 (server offers it here) and an unknown 7F. */
#define NOT_PERMITTED_ROWS(S, why)                                                                 \
    {S, 0x00, 0x03, NONE, S, why}, {S, 0x01, 0x03, NONE, S, why}, {S, 0x03, 0x03, NONE, S, why},   \
        {S, 0x04, 0x03, NONE, S, why}, {S, 0x05, 0x03, NONE, S, why},                              \
        {S, 0x06, 0x03, NONE, S, why},                                                             \
    {                                                                                              \
        S, 0x7F, 0x03, NONE, S, why                                                                \
    }
#define UNKNOWN_ROWS(S)                                                                            \
    {S, 0x00, 0, N3(0x00, 0x02), S, "rfu_opcode_answered_not_supported"},                          \
        {S, 0x01, 0, N3(0x01, 0x02), S, "response_opcode_from_client_answered_not_supported"},     \
        {S, 0x06, 0, N3(0x06, 0x02), S, "rfu_opcode_answered_not_supported"},                      \
        {S, 0x7F, 0, N3(0x7F, 0x02), S, "unknown_opcode_answered_not_supported"},                  \
        {S, 0x05, 0, NONE, S, "reset_request_has_no_notification"},                                \
    {                                                                                              \
        S, 0x20, 0, N3(0x20, 0x01), S, "resume_opt_in_mid_update_is_invalid_state"                 \
    }

static const row_t conformance_rows[] = {
    NOT_PERMITTED_ROWS(S_CCCD_OFF, "control_point_refused_before_cccd"),
    {S_CCCD_OFF, 0x02, 0x03, NONE, S_IDLE, "update_request_refused_before_cccd"},
    {S_CCCD_OFF, 0x20, 0x03, NONE, S_IDLE, "opt_in_refused_before_cccd"},

    NOT_PERMITTED_ROWS(S_IDLE, "only_update_request_without_owner"),
    {S_IDLE, 0x02, 0, R_OK, S_UPDATE_REQ, "update_request_accepted_13_byte_response"},
    {S_IDLE, 0x20, 0, N3(0x20, 0x00), S_IDLE, "resume_opt_in_accepted"},

    NOT_PERMITTED_ROWS(S_WAIT_REQ, "no_owner_until_application_answers"),
    {S_WAIT_REQ, 0x02, 0, R_BUSY, S_WAIT_REQ, "update_request_while_busy_invalid_state"},
    {S_WAIT_REQ, 0x20, 0, N3(0x20, 0x01), S_WAIT_REQ, "opt_in_while_busy_invalid_state"},

    UNKNOWN_ROWS(S_UPDATE_REQ),
    {S_UPDATE_REQ, 0x02, 0, R_BUSY, S_UPDATE_REQ, "update_request_while_busy_invalid_state"},
    {S_UPDATE_REQ, 0x03, 0, N3(0x03, 0x00), S_UPDATE_START, "update_start_accepted"},
    {S_UPDATE_REQ, 0x04, 0, N3(0x04, 0x00), S_COMPLETE, "complete_before_data_aborts_with_00"},

    UNKNOWN_ROWS(S_UPDATE_START),
    {S_UPDATE_START, 0x02, 0, R_BUSY, S_UPDATE_START, "update_request_while_busy_invalid_state"},
    {S_UPDATE_START, 0x03, 0, N3(0x03, 0x01), S_UPDATE_START, "second_start_invalid_state"},
    {S_UPDATE_START, 0x04, 0, N3(0x04, 0x00), S_COMPLETE, "complete_before_last_byte_aborts"},

    UNKNOWN_ROWS(S_UPDATE_ERROR),
    {S_UPDATE_ERROR, 0x02, 0, R_BUSY, S_UPDATE_ERROR, "update_request_while_busy_invalid_state"},
    {S_UPDATE_ERROR, 0x03, 0, N3(0x03, 0x01), S_UPDATE_ERROR, "start_after_error_invalid"},
    {S_UPDATE_ERROR, 0x04, 0, N3(0x04, 0x03), S_COMPLETE, "complete_after_error_fails_03"},

    UNKNOWN_ROWS(S_WAIT_COMP),
    {S_WAIT_COMP, 0x02, 0, R_BUSY, S_WAIT_COMP, "update_request_while_validating_busy"},
    {S_WAIT_COMP, 0x03, 0, N3(0x03, 0x01), S_WAIT_COMP, "start_while_validating_invalid"},
    {S_WAIT_COMP, 0x04, 0, N3(0x04, 0x01), S_WAIT_COMP, "complete_while_validating_invalid"},

    {S_COMPLETE, 0x00, 0, N3(0x00, 0x02), S_COMPLETE, "rfu_opcode_answered_not_supported"},
    {S_COMPLETE, 0x01, 0, N3(0x01, 0x02), S_COMPLETE, "response_opcode_answered_not_supported"},
    {S_COMPLETE, 0x06, 0, N3(0x06, 0x02), S_COMPLETE, "rfu_opcode_answered_not_supported"},
    {S_COMPLETE, 0x7F, 0, N3(0x7F, 0x02), S_COMPLETE, "unknown_opcode_answered_not_supported"},
    {S_COMPLETE, 0x05, 0, NONE, S_COMPLETE, "reset_request_has_no_notification"},
    {S_COMPLETE, 0x02, 0, R_OK, S_UPDATE_REQ, "new_update_request_starts_new_cycle"},
    {S_COMPLETE, 0x03, 0, N3(0x03, 0x01), S_COMPLETE, "start_after_complete_invalid"},
    {S_COMPLETE, 0x04, 0, N3(0x04, 0x01), S_COMPLETE, "second_complete_invalid_state"},
    {S_COMPLETE, 0x20, 0, N3(0x20, 0x00), S_COMPLETE, "opt_in_between_updates_accepted"},
};

#define NROWS (sizeof(conformance_rows) / sizeof(conformance_rows[0]))

static size_t opcode_write(uint8_t op, uint8_t buf[19])
{
    if (op == BO_OTAS_OP_UPDATE_REQ) {
        return h_req(buf, IMG_SIZE, 0x9B000000u, 0x01000001u, 0, 0x1234, true);
    }
    buf[0] = op;
    buf[1] = 0x01; /* Update Start: firmware image */
    return op == BO_OTAS_OP_UPDATE_START ? 2u : 1u;
}

#endif
