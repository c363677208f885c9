/* A host fake of exactly the Harmony BLE stack and PDS calls the PIC32CX-BZ2 binding makes
 * (GATTS_AddService, GATTS_SendHandleValue, GATTS_SendWriteResponse, GATTS_SendErrorResponse,
 * GATTS_SendReadResponse, PDS_GetPendingItemsCount, the UUID constants), behaving as the
 * reference describes them (mchp-bz2-platform-reference.md §5), plus the remote client's side:
 * it turns a client's ATT requests into the STACK_Event_T the binding consumes, and checks what
 * the stack itself checks:
 * - the permissions the binding registered: an unencrypted link gets ATT 0x05 from the stack and
 *   the application sees nothing;
 * - one outstanding request per link: a response without a pending request is MBA_RES_FAIL;
 * - a notification needs the stack's CCCD enabled (MBA_RES_INVALID_PARA otherwise) and a length
 *   within MTU - 3; the stack's CCCD changes when the application answers its write with success;
 * - no_resource_every = N: every Nth send (notification or response) is refused with
 *   MBA_RES_NO_RESOURCE, and a BLE_GAP_EVT_TX_BUF_AVAILABLE follows (auto_tx_available) after the
 *   event that saw the refusal. */
#ifndef BO_TEST_BZ2_FAKE_STACK_H
#define BO_TEST_BZ2_FAKE_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bleota/pic32cxbz2/ble.h"

enum { FS_NTF = 1, FS_WRITE_RSP, FS_ERR_RSP, FS_READ_RSP };

typedef struct fs_sent {
    uint8_t kind; /* FS_* */
    uint16_t conn;
    uint16_t handle;   /* notification: value handle; error: attribute handle */
    uint8_t req, code; /* error response: request opcode, ATT error */
    uint16_t len;
    uint8_t data[BLE_ATT_MAX_MTU_LEN];
} fs_sent_t;

typedef struct fs_link {
    bool used, encrypted;
    uint16_t conn, mtu;
    uint16_t cccd[2]; /* the stack's copy of the OTA CCCDs (0x0105, 0x0108) */
    uint8_t pending;  /* ATT request opcode awaiting the application's answer, 0 none */
    uint16_t pending_handle;
    uint16_t pending_value; /* a CCCD write's value, applied on success */
    bool owed_tx;           /* a send was refused: TX_BUF_AVAILABLE will follow */
} fs_link_t;

typedef struct fake_stack {
    bo_bz2_ble_t *ble;
    GATTS_Service_T *svc[4];
    unsigned nsvc;
    fs_link_t links[4];
    unsigned no_resource_every; /* 0: never */
    bool responses_only;        /* ... and only for responses (notifications find buffers) */
    bool auto_tx_available;     /* deliver TX_BUF_AVAILABLE after a refusal (default true) */
    unsigned sends, refusals;
    uint8_t pds_pending;
    fs_sent_t *log;
    size_t nlog, cap, seen;
    unsigned stack_errors; /* calls the real stack would refuse as misuse (must stay 0) */
    uint8_t stack_answer;  /* the ATT error the stack itself gave the last request, 0 none */
} fake_stack_t;

/* Installs the fake (the stack functions use it) for a binding; auto_tx_available on. */
void fs_init(fake_stack_t *fs, bo_bz2_ble_t *ble);
void fs_free(fake_stack_t *fs);

/* Remote side. Each delivers the events to the binding, then any owed TX_BUF_AVAILABLE. */
void fs_connect(fake_stack_t *fs, uint16_t conn);
void fs_encrypt(fake_stack_t *fs, uint16_t conn);
void fs_mtu(fake_stack_t *fs, uint16_t conn, uint16_t mtu);
void fs_disconnect(fake_stack_t *fs, uint16_t conn);
void fs_tx_available(fake_stack_t *fs, uint16_t conn);
/* A Write Request (cmd false) or Write Command. For a request: the ATT answer (0 = Write
 * Response, else the error code), 0xFF when none came (yet). Commands return 0. */
uint8_t fs_write(fake_stack_t *fs, uint16_t conn, uint16_t handle, const uint8_t *data,
                 uint16_t len, bool cmd);
/* A Read Request: the ATT answer; the value goes to out/len on success. */
uint8_t fs_read(fake_stack_t *fs, uint16_t conn, uint16_t handle, uint8_t *out, uint16_t *len);
/* A GATT write event delivered as is (what a stack without the permission check would pass on). */
void fs_raw_write(fake_stack_t *fs, uint16_t conn, uint16_t handle, const uint8_t *data,
                  uint16_t len, uint8_t type);

/* The next unread notification for conn (any handle), or NULL. */
const fs_sent_t *fs_next_ntf(fake_stack_t *fs, uint16_t conn);
/* The registered attribute at handle, or NULL. */
const GATTS_Attribute_T *fs_attr(const fake_stack_t *fs, uint16_t handle);
const GATTS_Service_T *fs_service_at(const fake_stack_t *fs, uint16_t start);

#endif
