/* bleota otac: the OTA *client* protocol core (mchp-ota-reference.md §2.11 from the client's
 * side), event-driven and transport-agnostic. It never reads a socket or a clock: feed it the
 * PDUs that arrive (bo_otac_on_pdu) and the time (bo_otac_tick), and it emits the PDUs to send
 * through cfg.send. `bleota update` / `bleota info` run it over a socket; bench/ runs the same
 * logic inside a virtual-time link model.
 *
 * PDUs are ATT PDUs, or link control messages (first byte BO_LINK_CTRL, see att.h and
 * docs/link.md); the transport frames both the same way.
 *
 * Update sequence: MTU exchange -> pair -> discover the OTA service, its three characteristics
 * and two CCCDs by UUID -> enable CCCDs (Control Point first, then Data) -> read Feature ->
 * [resume opt-in, opcode 0x20, if asked and Feature byte 1 bit 1 says supported] -> Update
 * Request (19-byte form when Feature byte 1 bit 0 is set, else 14) -> Start -> data as Write
 * Commands of at most MTU-3 bytes that never straddle a window boundary (windows counted from
 * the server's Image_Start_Index), waiting for each window's notification -> Complete -> Reset.
 * Info sequence: MTU exchange -> find DIS (0x180A) -> read Firmware Revision String (0x2A26).
 *
 * Single-threaded; cfg.send and cfg.event are called from inside the bo_otac_* calls. */
#ifndef BLEOTA_OTAC_H
#define BLEOTA_OTAC_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/att.h"

#define BO_OTAC_TIMEOUT_DEFAULT_MS 5000u           /* per request/notification */
#define BO_OTAC_COMPLETE_TIMEOUT_DEFAULT_MS 30000u /* Update Complete: the device validates */
/* Slowest link the client allows for: a window's acknowledgement may take timeout_ms plus the
 * window's bytes at this rate, because send() only queues data and a large window can still be
 * in flight long after it was handed over (BLE at 1M PHY, MTU 23, one packet per event: ~670 B/s). */
#define BO_OTAC_FLOOR_BYTES_PER_S 500u

typedef enum {
    BO_OTAC_MODE_UPDATE = 0, /* send an image */
    BO_OTAC_MODE_INFO,       /* read the running version from DIS */
} bo_otac_mode_t;

/* How a session ended. Each maps to one CLI exit code (docs/ota-client.md). */
typedef enum {
    BO_OTAC_RUNNING = 0,
    BO_OTAC_OK,            /* update: Complete answered 00 and Reset sent; info: version read */
    BO_OTAC_ERR_LINK,      /* the link closed or a send failed */
    BO_OTAC_ERR_TIMEOUT,   /* no answer within the timeout (detail: the stage) */
    BO_OTAC_ERR_PROTOCOL,  /* a malformed or unexpected PDU */
    BO_OTAC_ERR_NOT_FOUND, /* no OTA service / characteristic / CCCD (or no DIS) */
    BO_OTAC_ERR_ATT,       /* an ATT Error Response (detail: ATT error code) */
    BO_OTAC_ERR_REJECTED,  /* Update Request answered non-zero (detail: result code) */
    BO_OTAC_ERR_START,     /* Update Start answered non-zero (detail) */
    BO_OTAC_ERR_TRANSFER,  /* OTA Data notification non-zero (detail: result code) */
    BO_OTAC_ERR_INVALID,   /* Update Complete answered non-zero (detail: 03 = invalid image) */
} bo_otac_result_t;

typedef enum {
    BO_OTAC_EVT_STAGE = 0, /* a new step began: stage (a short name) */
    BO_OTAC_EVT_ACCEPTED,  /* Update Request accepted: window, start_index, current_version */
    BO_OTAC_EVT_PROGRESS,  /* a window was acknowledged: sent / total (bytes of payload) */
    BO_OTAC_EVT_NOTE,      /* something worth telling the user: stage = the text */
    BO_OTAC_EVT_END,       /* finished: see bo_otac_result() */
} bo_otac_evt_type_t;

typedef struct bo_otac_evt {
    bo_otac_evt_type_t type;
    const char *stage;
    uint32_t sent, total;
    uint32_t window, start_index, current_version;
} bo_otac_evt_t;

/* The image as announced: the payload is the OTA file without its 16-byte header. */
typedef struct bo_otac_image {
    const uint8_t *payload;
    uint32_t len;      /* payload bytes that will be sent */
    uint32_t size;     /* New_Firmware_Image_Size announced (normally len; tests may forge it) */
    uint32_t image_id; /* header FLASH_IMG_ID */
    uint32_t version;  /* header FLASH_IMG_REV */
    uint8_t enc;       /* header FLASH_IMG_ENC */
    uint16_t checksum; /* header CHECKSUM */
    uint16_t crc16;    /* CRC-16/CCITT-FALSE of the plaintext if known, else 0 */
} bo_otac_image_t;

typedef struct bo_otac_cfg {
    bo_otac_mode_t mode;
    bo_otac_image_t image; /* UPDATE only */
    uint16_t mtu;          /* our largest Rx MTU; 0 = BO_ATT_MTU_DEFAULT, max BO_ATT_MTU_MAX */
    bool resume;           /* ask the server to continue an interrupted transfer */
    uint32_t timeout_ms;   /* 0 = BO_OTAC_TIMEOUT_DEFAULT_MS */
    uint32_t complete_timeout_ms; /* 0 = BO_OTAC_COMPLETE_TIMEOUT_DEFAULT_MS */
    /* Sends one PDU. Returns BO_OK; BO_ERR_BUSY for an OTA Data write the transport cannot take
     * now (the client stops and continues on bo_otac_on_writable); anything else ends the
     * session with BO_OTAC_ERR_LINK. */
    int (*send)(void *ctx, const uint8_t *pdu, uint16_t len);
    void (*event)(void *ctx, const bo_otac_evt_t *evt); /* may be NULL */
    void *ctx;
} bo_otac_cfg_t;

#define BO_OTAC_CHARS_MAX 8u

typedef struct bo_otac {
    bo_otac_cfg_t cfg;
    int state; /* private step */
    bo_otac_result_t result;
    int detail;                /* ATT error / result code of the failure, else 0 */
    const char *stage;         /* the step that was running when it ended */
    uint32_t deadline;         /* now_ms by which the awaited PDU must arrive */
    bool waiting;              /* a deadline is armed */
    uint8_t pending_rsp;       /* ATT response opcode awaited, 0 = none */
    bool rsp_seen, notif_seen; /* Control Point step: Write Response and result notification */
    uint8_t cp_notif[16];      /* the step's `01 <op> <result> ...` notification */
    uint8_t cp_notif_len;
    uint16_t mtu; /* negotiated ATT_MTU */
    /* discovery */
    uint16_t svc_start, svc_end, next;
    uint16_t decl[BO_OTAC_CHARS_MAX], val[BO_OTAC_CHARS_MAX];
    uint8_t uuid[BO_OTAC_CHARS_MAX][16];
    uint8_t nchars;
    uint16_t h_feature, h_ctrl, h_data, h_ctrl_cccd, h_data_cccd;
    uint8_t feature[2];
    bool extended, resume_ok;
    /* transfer */
    uint32_t window, start_index, current_version;
    uint32_t sent;       /* payload offset of the next byte to send */
    uint32_t win_left;   /* bytes left in the current window */
    uint8_t early_acks;  /* acknowledgements that came before their window was handed over */
    uint32_t data_bytes; /* OTA Data bytes written in this session (re-sends included) */
    bool win_wait;       /* waiting for the window's notification */
    bool reset_sent;
    char fw_rev[32]; /* INFO: the Firmware Revision String, NUL-terminated */
} bo_otac_t;

/* Checks and copies the config: send set; in UPDATE mode a payload of len > 0 bytes (size may
 * differ: it is only announced); mtu 0 or 23..BO_ATT_MTU_MAX. BO_OK or BO_ERR_ARG. */
int bo_otac_init(bo_otac_t *c, const bo_otac_cfg_t *cfg);
/* The link is up: sends the MTU request. */
void bo_otac_start(bo_otac_t *c, uint32_t now_ms);
/* A PDU arrived (ATT or link control). */
void bo_otac_on_pdu(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now_ms);
/* The transport can take OTA Data again after a BO_ERR_BUSY. */
void bo_otac_on_writable(bo_otac_t *c, uint32_t now_ms);
/* Time passes: ends the session with BO_OTAC_ERR_TIMEOUT once a deadline is missed. */
void bo_otac_tick(bo_otac_t *c, uint32_t now_ms);
/* The link closed. After the Reset Request this is the expected end (BO_OTAC_OK). */
void bo_otac_on_link_lost(bo_otac_t *c);

/* BO_OTAC_RUNNING until the session ended. */
bo_otac_result_t bo_otac_result(const bo_otac_t *c);
/* Milliseconds until the next deadline from now_ms (0 if already due), or -1 if none. */
int32_t bo_otac_ms_to_deadline(const bo_otac_t *c, uint32_t now_ms);
/* One line describing the result, e.g. "update rejected by the device (02 not supported or
 * refused by the application)"; never NULL. */
const char *bo_otac_result_str(bo_otac_result_t r);
/* Name of a Control Point / Data result code ("success", "invalid state", ...). */
const char *bo_otac_code_str(int code);

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), for the Update Request. */
uint16_t bo_otac_crc16(const uint8_t *data, uint32_t len);

#endif
