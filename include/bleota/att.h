/* bleota att: a minimal ATT server and client for links that bleota simulates (Unix socket,
 * TCP, a UART), standing in for a vendor BLE stack. On a real chip the vendor stack delivers
 * the same GATT callbacks to `otas`.
 *
 * Three parts, all pure functions over caller-owned memory (no heap, no globals):
 * - an attribute database built from data (services, characteristics, CCCDs),
 * - a server that answers one request PDU at a time and calls the service's read/write
 *   callbacks, enforcing "encryption required" until the link is paired,
 * - client helpers that build requests and parse responses,
 * plus the link framing: every PDU travels as a 2-byte little-endian length + PDU, and a PDU
 * whose first byte is BO_LINK_CTRL is a link control message (pairing, link parameters)
 * instead of ATT. docs/link.md describes the wire format. */
#ifndef BLEOTA_ATT_H
#define BLEOTA_ATT_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/err.h"

#ifndef BO_ATT_MTU_MAX
#define BO_ATT_MTU_MAX 517u /* largest ATT_MTU this build supports (bytes of every PDU buffer) */
#endif
#define BO_ATT_MTU_MIN 23u      /* LE default before an MTU exchange */
#define BO_ATT_MTU_DEFAULT 247u /* max MTU offered when a config leaves it 0 */
#if BO_ATT_MTU_MAX < 23 || BO_ATT_MTU_MAX > 517
#error "BO_ATT_MTU_MAX must be within 23..517"
#endif

/* ---- ATT opcodes and error codes (Core spec Vol 3 Part F) -------------------------------- */
#define BO_ATT_OP_ERROR_RSP 0x01u
#define BO_ATT_OP_MTU_REQ 0x02u
#define BO_ATT_OP_MTU_RSP 0x03u
#define BO_ATT_OP_FIND_INFO_REQ 0x04u
#define BO_ATT_OP_FIND_INFO_RSP 0x05u
#define BO_ATT_OP_FIND_BY_TYPE_REQ 0x06u
#define BO_ATT_OP_FIND_BY_TYPE_RSP 0x07u
#define BO_ATT_OP_READ_BY_TYPE_REQ 0x08u
#define BO_ATT_OP_READ_BY_TYPE_RSP 0x09u
#define BO_ATT_OP_READ_REQ 0x0Au
#define BO_ATT_OP_READ_RSP 0x0Bu
#define BO_ATT_OP_READ_BY_GROUP_REQ 0x10u
#define BO_ATT_OP_READ_BY_GROUP_RSP 0x11u
#define BO_ATT_OP_WRITE_REQ 0x12u
#define BO_ATT_OP_WRITE_RSP 0x13u
#define BO_ATT_OP_NOTIFY 0x1Bu
#define BO_ATT_OP_WRITE_CMD 0x52u
#define BO_ATT_OP_CMD_FLAG 0x40u /* commands never get a response, not even an error */

#define BO_ATT_ERR_INVALID_HANDLE 0x01u
#define BO_ATT_ERR_READ_NOT_PERMITTED 0x02u
#define BO_ATT_ERR_WRITE_NOT_PERMITTED 0x03u
#define BO_ATT_ERR_INVALID_PDU 0x04u
#define BO_ATT_ERR_INSUFFICIENT_AUTHEN 0x05u
#define BO_ATT_ERR_REQ_NOT_SUPPORTED 0x06u
#define BO_ATT_ERR_INVALID_OFFSET 0x07u
#define BO_ATT_ERR_ATTR_NOT_FOUND 0x0Au
#define BO_ATT_ERR_ATTR_NOT_LONG 0x0Bu
#define BO_ATT_ERR_INVALID_VALUE_LEN 0x0Du
#define BO_ATT_ERR_UNLIKELY 0x0Eu
#define BO_ATT_ERR_INSUFFICIENT_ENC 0x0Fu
#define BO_ATT_ERR_UNSUPPORTED_GROUP 0x10u
#define BO_ATT_ERR_APP 0x80u

/* GATT attribute types and the characteristic properties used here */
#define BO_GATT_PRIMARY_SERVICE 0x2800u
#define BO_GATT_CHARACTERISTIC 0x2803u
#define BO_GATT_CCCD 0x2902u
#define BO_GATT_DIS 0x180Au
#define BO_GATT_FW_REVISION 0x2A26u
#define BO_GATT_PROP_READ 0x02u
#define BO_GATT_PROP_WRITE_CMD 0x04u
#define BO_GATT_PROP_WRITE 0x08u
#define BO_GATT_PROP_NOTIFY 0x10u

/* ---- UUIDs: 2 or 16 bytes, little-endian as on the wire ---------------------------------- */
typedef struct bo_att_uuid {
    uint8_t len; /* 2 or 16 */
    uint8_t b[16];
} bo_att_uuid_t;

/* A 16-bit UUID. */
bo_att_uuid_t bo_att_uuid16(uint16_t v);
/* A 128-bit UUID from its 16 wire (little-endian) bytes. */
bo_att_uuid_t bo_att_uuid128(const uint8_t le[16]);
/* True when a and b name the same UUID (a 16-bit UUID equals its Bluetooth-base 128-bit form). */
bool bo_att_uuid_eq(const bo_att_uuid_t *a, const bo_att_uuid_t *b);

/* ---- Attribute database ------------------------------------------------------------------ */
#define BO_ATT_PERM_READ 0x01u      /* readable */
#define BO_ATT_PERM_WRITE 0x02u     /* writable with Write Request */
#define BO_ATT_PERM_WRITE_CMD 0x04u /* writable with Write Command */
#define BO_ATT_PERM_ENC 0x08u       /* read/write need a paired (encrypted) link: else ATT 0x0F */

typedef struct bo_att_attr {
    uint16_t handle;
    bo_att_uuid_t type;
    uint8_t perm;         /* BO_ATT_PERM_* */
    uint8_t decl_len;     /* > 0: a declaration whose value is decl[0..decl_len) */
    uint8_t decl[19];     /* service UUID, or props + value handle + characteristic UUID */
    const uint8_t *value; /* static value (e.g. DIS strings), or NULL: ask the callbacks */
    uint16_t value_len;
} bo_att_attr_t;

typedef struct bo_att_db {
    bo_att_attr_t *attrs; /* caller's array, sorted by handle as they are added */
    uint16_t count;
    uint16_t cap;
    uint16_t next_handle;
} bo_att_db_t;

/* Empty database over attrs[cap]; the first attribute added gets first_handle (>= 1).
 * BO_ERR_ARG for NULL/zero cap/handle 0. */
int bo_att_db_init(bo_att_db_t *db, bo_att_attr_t *attrs, uint16_t cap, uint16_t first_handle);
/* Moves the next handle forward (e.g. to place the OTA service at 0x0100 like Microchip's
 * stack). BO_ERR_ARG if it would go backwards. */
int bo_att_db_skip_to(bo_att_db_t *db, uint16_t handle);
/* Adds a primary service declaration. Returns its handle, or BO_ERR_NOSPACE / BO_ERR_ARG. */
int bo_att_db_add_service(bo_att_db_t *db, const bo_att_uuid_t *uuid);
/* Adds a characteristic declaration and its value attribute. value NULL means the value lives
 * in the server callbacks. Returns the value handle, or BO_ERR_NOSPACE / BO_ERR_ARG. */
int bo_att_db_add_char(bo_att_db_t *db, const bo_att_uuid_t *uuid, uint8_t props, uint8_t perm,
                       const uint8_t *value, uint16_t value_len);
/* Adds a Client Characteristic Configuration descriptor served by the callbacks.
 * Returns its handle, or BO_ERR_NOSPACE. */
int bo_att_db_add_cccd(bo_att_db_t *db, uint8_t perm);
/* The attribute with this handle, or NULL. */
const bo_att_attr_t *bo_att_db_find(const bo_att_db_t *db, uint16_t handle);

/* ---- Server --------------------------------------------------------------------------- */
/* Service callbacks for attributes without a static value. Both return an ATT status:
 * 0 for success, else the ATT error code to send (e.g. 0x03, 0x80).
 * read: fill out[0..cap) and set *len (the server truncates to the MTU).
 * write: cmd is true for a Write Command (its status is never sent). */
typedef struct bo_att_server_cfg {
    const bo_att_db_t *db;
    uint16_t mtu_max; /* largest ATT_MTU this server accepts; 0 = BO_ATT_MTU_DEFAULT */
    void *ctx;
    uint8_t (*read)(void *ctx, uint16_t handle, uint8_t *out, uint16_t cap, uint16_t *len);
    uint8_t (*write)(void *ctx, uint16_t handle, const uint8_t *data, uint16_t len, bool cmd);
} bo_att_server_cfg_t;

typedef struct bo_att_server {
    bo_att_server_cfg_t cfg;
    uint16_t mtu;   /* negotiated ATT_MTU of the current connection */
    bool encrypted; /* the link is paired: BO_ATT_PERM_ENC attributes are open */
} bo_att_server_t;

/* Sets up the server. BO_ERR_ARG when db/callbacks are missing or mtu_max is outside
 * 23..BO_ATT_MTU_MAX. */
int bo_att_server_init(bo_att_server_t *srv, const bo_att_server_cfg_t *cfg);
/* A new connection: MTU back to 23, link unencrypted. */
void bo_att_server_connected(bo_att_server_t *srv);
/* The link became encrypted (paired) or not. */
void bo_att_server_set_encrypted(bo_att_server_t *srv, bool encrypted);
/* Handles one received ATT PDU and writes the response PDU into rsp[cap] (cap >= the MTU).
 * Returns the response length, 0 when nothing must be sent (commands, notifications,
 * ignored PDUs), or BO_ERR_ARG for bad arguments. Unknown requests get Request Not Supported,
 * malformed ones Invalid PDU. */
int bo_att_server_handle(bo_att_server_t *srv, const uint8_t *pdu, uint16_t len, uint8_t *rsp,
                         uint16_t cap);
/* Builds a Handle Value Notification into out[cap]. Returns its length, or BO_ERR_RANGE when
 * the value does not fit the negotiated MTU (len > mtu - 3) or cap. */
int bo_att_server_notify(const bo_att_server_t *srv, uint16_t handle, const uint8_t *value,
                         uint16_t len, uint8_t *out, uint16_t cap);

/* ---- Client helpers: requests are built into out[cap]; each returns the PDU length or
 * BO_ERR_NOSPACE when cap is too small. ---------------------------------------------------- */
int bo_att_req_mtu(uint8_t *out, uint16_t cap, uint16_t client_rx_mtu);
int bo_att_req_find_info(uint8_t *out, uint16_t cap, uint16_t start, uint16_t end);
/* Find By Type Value for a primary service with this UUID. */
int bo_att_req_find_service(uint8_t *out, uint16_t cap, uint16_t start, uint16_t end,
                            const bo_att_uuid_t *service);
int bo_att_req_read_by_type(uint8_t *out, uint16_t cap, uint16_t start, uint16_t end,
                            const bo_att_uuid_t *type);
int bo_att_req_read_by_group(uint8_t *out, uint16_t cap, uint16_t start, uint16_t end,
                             const bo_att_uuid_t *type);
int bo_att_req_read(uint8_t *out, uint16_t cap, uint16_t handle);
/* Write Request (cmd false) or Write Command (cmd true). */
int bo_att_req_write(uint8_t *out, uint16_t cap, uint16_t handle, const uint8_t *value,
                     uint16_t len, bool cmd);

/* Parses an Error Response: BO_OK and the fields, or BO_ERR_FORMAT. */
int bo_att_parse_error(const uint8_t *pdu, uint16_t len, uint8_t *req_op, uint16_t *handle,
                       uint8_t *code);
/* Parses an Exchange MTU Response: BO_OK and the server's Rx MTU, or BO_ERR_FORMAT. */
int bo_att_parse_mtu_rsp(const uint8_t *pdu, uint16_t len, uint16_t *server_rx_mtu);

/* Walks the records of a list response (Find Information, Find By Type Value, Read By Type,
 * Read By Group Type). Each record is handle + data (for Find By Type Value the data is the
 * group end handle; for Find Information the UUID; for Read By Group Type end handle + value). */
typedef struct bo_att_iter {
    const uint8_t *p;
    uint16_t left;
    uint8_t rec_len; /* bytes per record */
} bo_att_iter_t;
/* Starts walking a response PDU of the given response opcode. BO_ERR_FORMAT if malformed. */
int bo_att_iter_init(bo_att_iter_t *it, const uint8_t *pdu, uint16_t len);
/* Next record: BO_OK with *handle, data pointer and length; BO_ERR_NOTFOUND at the end. */
int bo_att_iter_next(bo_att_iter_t *it, uint16_t *handle, const uint8_t **data, uint16_t *len);

/* ---- Link framing ------------------------------------------------------------------------
 * Byte stream = frames of [len u16 LE][len bytes]; 1 <= len <= BO_LINK_FRAME_MAX.
 * A frame starting with BO_LINK_CTRL is a control message, never ATT (0xF0 is no ATT opcode). */
#define BO_LINK_CTRL 0xF0u
#define BO_LINK_CTRL_PAIR_REQ 0x01u /* client -> server: please pair/encrypt the link */
#define BO_LINK_CTRL_PAIRED 0x02u   /* server -> client: the link is encrypted now */
#define BO_LINK_CTRL_PARAMS                                                                        \
    0x03u /* server -> client: interval_ms u16, latency u16, timeout_ms u16 */
#define BO_LINK_HDR_SIZE 2u
#define BO_LINK_FRAME_MAX BO_ATT_MTU_MAX

/* Writes the 2-byte header for a frame of len bytes. BO_ERR_RANGE if len is 0 or too big. */
int bo_link_hdr(uint8_t out[BO_LINK_HDR_SIZE], uint16_t len);

/* Reassembles frames from any split of the byte stream. */
typedef struct bo_link_rx {
    uint8_t buf[BO_LINK_FRAME_MAX];
    uint16_t need; /* frame length, once the header is in */
    uint16_t have; /* bytes of the frame (or header) received */
    uint8_t hdr[2];
    uint8_t hdr_have;
} bo_link_rx_t;

void bo_link_rx_init(bo_link_rx_t *rx);
/* Consumes bytes from data[len] up to the end of at most one frame; *used says how many.
 * Returns the frame length (> 0, the frame is in rx->buf until the next push), 0 when all of
 * data was consumed without completing a frame, or BO_ERR_FORMAT for a length of 0 or more
 * than BO_LINK_FRAME_MAX (the stream is unusable; drop the connection). */
int bo_link_rx_push(bo_link_rx_t *rx, const uint8_t *data, uint32_t len, uint32_t *used);

#endif
