/* bleota otas: Microchip's OTA Profile/Service server (mchp-ota-reference.md §1-§2), as a
 * transport-neutral set of GATT callbacks. A vendor BLE stack or bleota's own `att` module builds
 * its attribute database from bo_otas_attr_table and forwards reads, writes, connection and
 * security events here; otas answers with the ATT error code to send (0 = success) and emits
 * notifications through the notify callback of its config.
 *
 * Events in, work in a task:
 * - bo_otas_read/write/connected/disconnected/link_encrypted never call notify and never block
 *   on anything but (for OTA Data) decrypting and programming the bytes just received.
 * - A Control Point write is checked (security, CCCD, owner, length > 0) and queued; the
 *   transport sends the ATT Write Response when bo_otas_write returns. bo_otas_process() then
 *   executes the queued opcodes in order and sends their `01 <op> <result> ...` notifications.
 * - An OTA Data write is decrypted (AES-128-CBC, streamed 16 bytes at a time) and programmed
 *   into the download slot through bo_dfu_write() before bo_otas_write returns: the transport's
 *   buffer is only valid during the call and otas keeps no window-sized buffer. The 1-byte
 *   result notification on OTA Data (00 when a window is acknowledged — see the window policy
 *   below — or an error) is queued and sent by the next bo_otas_process().
 * - So every notification goes out from bo_otas_process() (or bo_otas_writable()), in the
 *   order it was produced (a Control Point result is produced when bo_otas_process executes the
 *   opcode), and only to a connection whose matching CCCD holds 0x0001 at that moment
 *   (otherwise it is dropped).
 *
 * Deliberate differences from Microchip's server (DESIGN.md §4), each documented in
 * docs/ota-service.md: unknown opcodes (from the owner) get `01 <op> 02`; a Write Request on
 * OTA Data is processed like a Write Command and answered 0; rewriting a CCCD to 0x0001 never
 * resets an update, 0x0000 from the owner aborts it cleanly; a write that would overrun the
 * window is refused with 03 and the transfer continues; file type 0x02 (raw data for the
 * application) is refused with 02; Update Request with encryption but no AES key provisioned is
 * refused with 02; the window is the server's choice, sized for the client and acknowledged at
 * its first write (window policy below); after an inactivity timeout the former owner's Control
 * Point writes are answered `01 <op> 01`; a notification the transport cannot queue is held.
 *
 * bleota's extension (docs/ota-resume-extension.md): when cfg.resume is set, Feature byte 1 bit 1
 * is 1 and Control Point opcode 0x20 ("Opt-In", `20 [flags]`, 1-byte form = all flags) is
 * answered `01 20 00`; for that connection only, flag 0x01 makes the Update Request response
 * carry the persisted Image_Start_Index and flag 0x02 selects the large window.
 *
 * The caller owns bo_otas_t; no heap, no globals, no stdio. */
#ifndef BLEOTA_OTAS_H
#define BLEOTA_OTAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bleota/crypto.h"
#include "bleota/delta.h"
#include "bleota/dfu.h"
#include "bleota/err.h"

/* ---- Build-time sizes ----------------------------------------------------------------- */
#ifndef BO_OTAS_CONN_MAX
#define BO_OTAS_CONN_MAX 4u /* connections tracked at once (CCCDs, security, opt-in) */
#endif
#ifndef BO_OTAS_CP_QUEUE
#define BO_OTAS_CP_QUEUE 2u /* Control Point writes waiting for bo_otas_process */
#endif
#ifndef BO_OTAS_NOTIF_QUEUE
#define BO_OTAS_NOTIF_QUEUE 4u /* notifications waiting for bo_otas_process */
#endif
#ifndef BO_OTAS_BATCH
#define BO_OTAS_BATCH 64u /* bytes decrypted per AES call (multiple of 16) */
#endif
/* Window (Max_Fragmented_Image_Size) policy with cfg.window 0, the default (docs/ota-service.md
 * "Window"). The window costs no RAM here (data is processed as it streams in).
 * - Stock clients (Microchip's): their OTA client counts a write as sent even when its BLE stack
 *   refused it for lack of TX buffers, so every write it may have queued at once must fit its
 *   stack's TX queue. The window is BO_OTAS_STOCK_WRITES(q) writes of MTU - 3 bytes (rounded down
 *   to 16) and is acknowledged as soon as its first write arrives ("early acknowledgement"): the
 *   client then holds at most the rest of this window plus the next one, 2w - 1 <= q writes,
 *   whatever the device's speed, and the link never idles waiting for an acknowledgement.
 *   The last window is acknowledged when its last byte is stored, as Microchip's server does.
 * - Clients that opted in to bleota's extension with flag 0x02 (Control Point `20 02`, bleota's
 *   own) handle a refused write themselves: BO_OTAS_WINDOW_WRITES writes of MTU - 3 bytes (at most
 *   65520), BO_OTAS_WINDOW_DEFAULT while the MTU is unknown, also acknowledged early (the link
 *   never idles for the acknowledgement's round trip).
 * A fixed cfg.window applies to every client, acknowledged when stored. */
#ifndef BO_OTAS_STOCK_TX_QUEUE
/* TX queue (ATT packets) of the smallest central a stock client must survive on: 12, what
 * Microchip's client meets on common phones/stacks (issue 10). Integrators may change it
 * (bo_otas_cfg_t.stock_tx_queue). */
#define BO_OTAS_STOCK_TX_QUEUE 12u
#endif
/* Writes per stock window for a TX queue of q packets: 2w - 1 <= q. */
#define BO_OTAS_STOCK_WRITES(q) (((q) + 1u) / 2u)
#ifndef BO_OTAS_WINDOW_DEFAULT
/* Opted-in clients while the MTU is unknown (a multiple of 16). */
#define BO_OTAS_WINDOW_DEFAULT 10240u
#endif
#ifndef BO_OTAS_WINDOW_WRITES
/* Opted-in clients with a known ATT MTU: this many writes of MTU - 3 bytes (multiple of 16, at
 * most 65520): few acknowledgement round trips on fast links (62464 B at MTU 247), short waits
 * on slow ones (5120 B, ~2 s, at MTU 23). */
#define BO_OTAS_WINDOW_WRITES 256u
#endif
#ifndef BO_OTAS_CHECKPOINT
/* Resume checkpoints are taken every this many bytes (one BZ2 flash page), independent of the
 * window, so a resume re-sends less than one page whatever the window. Multiple of 16. */
#define BO_OTAS_CHECKPOINT 4096u
#endif
#define BO_OTAS_CP_MAX 20u /* longest Control Point write kept (19-byte Update Request + 1) */

/* ---- Attributes ------------------------------------------------------------------------ */
typedef enum {
    BO_OTAS_ATTR_SERVICE = 0, /* primary service declaration */
    BO_OTAS_ATTR_FEATURE,     /* OTA Feature value (read) */
    BO_OTAS_ATTR_CTRL,        /* OTA Control Point value (write, notify) */
    BO_OTAS_ATTR_CTRL_CCCD,   /* its Client Characteristic Configuration descriptor */
    BO_OTAS_ATTR_DATA,        /* OTA Data value (write without response, notify) */
    BO_OTAS_ATTR_DATA_CCCD,   /* its CCCD */
    BO_OTAS_ATTR_COUNT
} bo_otas_attr_t;

typedef enum {
    BO_OTAS_KIND_SERVICE = 0, /* primary service, uuid = service UUID */
    BO_OTAS_KIND_VALUE,       /* characteristic value; declaration built by the transport */
    BO_OTAS_KIND_CCCD,        /* descriptor 0x2902 of the preceding characteristic */
} bo_otas_kind_t;

/* GATT characteristic properties (Core Spec Vol 3 Part G 3.3.1.1) */
#define BO_OTAS_PROP_READ 0x02u
#define BO_OTAS_PROP_WRITE_NO_RSP 0x04u
#define BO_OTAS_PROP_WRITE 0x08u
#define BO_OTAS_PROP_NOTIFY 0x10u
/* Attribute permissions */
#define BO_OTAS_PERM_READ 0x01u
#define BO_OTAS_PERM_WRITE 0x02u
#define BO_OTAS_PERM_ENC 0x04u /* encrypted link required (Just Works is enough) */

#define BO_OTAS_UUID_CCCD 0x2902u
#define BO_OTAS_UUID_PRIMARY_SERVICE 0x2800u
#define BO_OTAS_UUID_CHARACTERISTIC 0x2803u

typedef struct bo_otas_attr_desc {
    bo_otas_attr_t attr;
    bo_otas_kind_t kind;
    const uint8_t *uuid128; /* 16 bytes little-endian (as on air); NULL for a CCCD */
    uint16_t uuid16;        /* 0x2902 for a CCCD, else 0 */
    uint8_t props;          /* BO_OTAS_PROP_* of the characteristic (0 for service/CCCD) */
    uint8_t perm;           /* BO_OTAS_PERM_* */
} bo_otas_attr_desc_t;

/* The service in declaration order (service, Feature, Control Point + CCCD, Data + CCCD);
 * entry i describes attribute i. */
extern const bo_otas_attr_desc_t bo_otas_attr_table[BO_OTAS_ATTR_COUNT];
/* UUIDs, 16 bytes little-endian (byte 15 = 0x4D, 'M' of "MCHP"). */
extern const uint8_t bo_otas_uuid_service[16];
extern const uint8_t bo_otas_uuid_feature[16];
extern const uint8_t bo_otas_uuid_ctrl[16];
extern const uint8_t bo_otas_uuid_data[16];

/* ---- Protocol constants (reference §2.2-§2.3) -------------------------------------------- */
#define BO_OTAS_OP_RESPONSE 0x01u
#define BO_OTAS_OP_UPDATE_REQ 0x02u
#define BO_OTAS_OP_UPDATE_START 0x03u
#define BO_OTAS_OP_UPDATE_COMPLETE 0x04u
#define BO_OTAS_OP_RESET 0x05u
#define BO_OTAS_OP_RESUME_OPT_IN 0x20u  /* bleota extension: `20 [flags]` */
#define BO_OTAS_OPT_IN_RESUME 0x01u     /* flags: resume from the persisted index */
#define BO_OTAS_OPT_IN_BIG_WINDOW 0x02u /* flags: large window (no lost writes) */
#define BO_OTAS_OPT_IN_ALL 0x03u        /* what the 1-byte form means */

#define BO_OTAS_RES_SUCCESS 0x00u
#define BO_OTAS_RES_INVALID_STATE 0x01u
#define BO_OTAS_RES_NOT_SUPPORTED 0x02u
#define BO_OTAS_RES_FAILED 0x03u
#define BO_OTAS_RES_INVALID_PARAM 0x04u
#define BO_OTAS_RES_UNSPECIFIED 0x05u

#define BO_OTAS_FEATURE_RESUME 0x02u /* Feature byte 1 bit 1: resume extension supported */
#define BO_OTAS_UPDATE_RSP_LEN 13u

/* ATT error codes otas returns (Core Spec Vol 3 Part F 3.4.1.1) */
#define BO_OTAS_ATT_OK 0x00u
#define BO_OTAS_ATT_READ_NOT_PERMITTED 0x02u
#define BO_OTAS_ATT_WRITE_NOT_PERMITTED 0x03u
#define BO_OTAS_ATT_INSUFFICIENT_AUTHEN 0x05u
#define BO_OTAS_ATT_REQ_NOT_SUPPORTED 0x06u
#define BO_OTAS_ATT_INVALID_LENGTH 0x0Du
#define BO_OTAS_ATT_INSUFFICIENT_RESOURCES 0x11u
#define BO_OTAS_ATT_APP_ERROR 0x80u

/* ---- State (reference §2.4; state 0 "CCCD disabled" is per connection here) ------------- */
typedef enum {
    BO_OTAS_IDLE = 0,      /* no update: Update Request accepted from any enabled conn */
    BO_OTAS_WAIT_REQ_RSP,  /* request handed to the application, answer pending */
    BO_OTAS_UPDATE_REQ,    /* accepted, owner fixed, waiting for Update Start */
    BO_OTAS_UPDATE_START,  /* receiving OTA Data */
    BO_OTAS_UPDATE_ERROR,  /* a window failed (flash/decrypt); only Complete helps */
    BO_OTAS_WAIT_COMP_RSP, /* all bytes in, application validating */
    BO_OTAS_COMPLETE,      /* completion answered; owner kept for Reset Request */
} bo_otas_state_t;

/* Why an update ended without a validation verdict. */
typedef enum {
    BO_OTAS_ABORT_CLIENT = 1, /* Update Complete before the last byte (answered 00, see above) */
    BO_OTAS_ABORT_DISCONNECT, /* the owner's link dropped */
    BO_OTAS_ABORT_CCCD,       /* the owner wrote 0x0000 to a CCCD */
    BO_OTAS_ABORT_TIMEOUT,    /* inactivity timeout (bo_otas_abort from the ota layer); also
                                 after a verdict, when the owner stays silent in COMPLETE */
    BO_OTAS_ABORT_APP,        /* the application stopped it */
} bo_otas_abort_t;

/* Why an update was refused (BO_OTAS_EVT_REFUSED from otas, BO_OTA_EVT_REFUSED from ota).
 * The result code the client sees is in brackets. */
typedef enum {
    BO_OTAS_REFUSE_OLDER_VERSION = 1, /* announced version < running version (02) [ota] */
    BO_OTAS_REFUSE_APPLICATION,       /* the application said no (02) [ota] */
    BO_OTAS_REFUSE_NO_AES_KEY,        /* encrypted image, no AES key/IV provisioned (02) */
    BO_OTAS_REFUSE_SIZE,              /* size 0, not a multiple of 16, or > the slot (04) */
    BO_OTAS_REFUSE_FORMAT,            /* request length, encryption or file type unsupported (02) */
    BO_OTAS_REFUSE_BUSY,              /* another update is in progress (01) */
    BO_OTAS_REFUSE_FLASH,             /* the download could not start: status (03) */
    BO_OTAS_REFUSE_HEADER,            /* the received header failed its check: status; 03 on
                                         OTA Data [ota] */
    BO_OTAS_REFUSE_TRIAL,             /* the running image is on trial: it confirms first (02)
                                         [ota] */
    BO_OTAS_REFUSE_CURRENT,           /* the header is the running image's (same signed
                                         content): nothing to do; 03 on OTA Data [ota] */
    BO_OTAS_REFUSE_PATCH_BASE,        /* a delta patch made for another base than the running
                                         image: before any slot write; 03 on OTA Data */
    BO_OTAS_REFUSE_PATCH,             /* a delta patch whose header or image size is invalid:
                                         status; 03 on OTA Data */
} bo_otas_refusal_t;

/* A short English name of a refusal reason ("announced version is older than the running
 * one", ...); "unknown refusal" for other values. */
const char *bo_otas_refusal_str(bo_otas_refusal_t r);

/* A parsed Update Request (§2.5). */
typedef struct bo_otas_request {
    uint32_t size; /* New_Firmware_Image_Size: bytes that will arrive on OTA Data */
    uint32_t image_id;
    uint32_t version; /* announced FLASH_IMG_REV */
    uint8_t enc;      /* 0 plain, 1 AES-CBC */
    bool extended;    /* 19-byte form (checksum, file type, crc16 valid) */
    uint16_t checksum;
    uint8_t file_type; /* 0xFF for the 14-byte form */
    uint16_t crc16;
} bo_otas_request_t;

typedef enum {
    BO_OTAS_EVT_UPDATE_REQ = 0, /* req valid: answer with bo_otas_update_response (now or later) */
    BO_OTAS_EVT_START,          /* Update Start accepted; data may flow */
    BO_OTAS_EVT_WINDOW,         /* a window is programmed: done/total bytes */
    BO_OTAS_EVT_COMPLETE,       /* all bytes programmed and committed: validate slot 1, then
                                   call bo_otas_complete_response (now or later) */
    BO_OTAS_EVT_ABORTED,        /* update ended without verdict: reason */
    BO_OTAS_EVT_ERROR,          /* flash/decrypt failure on OTA Data: status (bo_err_t) */
    BO_OTAS_EVT_RESET,          /* Device Reset Request from the owner conn (from a link that
                                   lost the service: `01 05 01`, no event) */
    BO_OTAS_EVT_REFUSED,        /* an Update Request was refused by otas: refusal, req (may be
                                   NULL when it could not be parsed), status for FLASH */
} bo_otas_evt_type_t;

typedef struct bo_otas_evt {
    bo_otas_evt_type_t type;
    uint16_t conn;
    const bo_otas_request_t *req; /* UPDATE_REQ */
    uint32_t done;                /* WINDOW: bytes programmed (counted from 0, incl. resumed) */
    uint32_t total;               /* WINDOW: image size */
    uint32_t start_index;         /* START: offset the transfer continues from (0 unless resumed) */
    int status;                   /* ERROR: bo_err_t */
    bo_otas_abort_t reason;       /* ABORTED */
    bo_otas_refusal_t refusal;    /* REFUSED */
    /* COMPLETE of a download that was not resumed (else NULL): SHA-256 of the metadata signed
     * range and of the FW_IMG_LEN firmware bytes, computed as the plaintext streamed into dfu
     * (whose read-back check makes them the digests of slot 1). fw_digest is NULL when the
     * payload did not hold FW_IMG_LEN bytes after the header. */
    const uint8_t *md_digest;
    const uint8_t *fw_digest;
} bo_otas_evt_t;

typedef struct bo_otas_cfg {
    /* Sends a notification; returns 0, BO_ERR_BUSY when the transport has no room now (the
     * notification stays queued, in order, until bo_otas_writable or the next
     * bo_otas_process), or another negative bo_err_t (counted, then dropped). */
    int (*notify)(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data, size_t len);
    void *notify_ctx;
    /* Profile events (the `ota` module installs its own). Called from bo_otas_process; also
     * WINDOW/ERROR from bo_otas_write of OTA Data, and ABORTED from a CCCD write of 0x0000,
     * bo_otas_disconnected and bo_otas_abort. May call bo_otas_update_response /
     * bo_otas_complete_response synchronously. */
    void (*on_event)(void *ctx, const bo_otas_evt_t *evt);
    void *event_ctx;
    bo_dfu_t *dfu;          /* initialised writer for the download slot */
    uint16_t window;        /* Max_Fragmented_Image_Size; multiple of 16; 0 = automatic (see the
                               window policy above) */
    uint8_t stock_tx_queue; /* TX queue of the smallest central stock clients must survive
                               (ATT packets, >= 1); 0 = BO_OTAS_STOCK_TX_QUEUE */
    bool resume;            /* offer the resume extension */
} bo_otas_cfg_t;

typedef struct bo_otas_conn {
    uint16_t handle;
    bool in_use;
    bool encrypted;
    bool cccd_ctrl;     /* Control Point CCCD = 0x0001 */
    bool cccd_data;     /* OTA Data CCCD = 0x0001 */
    bool resume_opt_in; /* opt-in flag 0x01: answer Update Requests with the resume index */
    bool big_window;    /* opt-in flag 0x02: the client never loses a write it was refused */
    uint16_t mtu;       /* negotiated ATT MTU (bo_otas_set_mtu), 0 = unknown */
} bo_otas_conn_t;

typedef struct bo_otas_cp {
    uint16_t conn;
    uint8_t len;       /* bytes kept (<= BO_OTAS_CP_MAX) */
    uint16_t full_len; /* bytes written */
    uint8_t buf[BO_OTAS_CP_MAX];
} bo_otas_cp_t;

typedef struct bo_otas_notif {
    uint16_t conn;
    uint8_t attr; /* bo_otas_attr_t */
    uint8_t len;
    uint8_t buf[BO_OTAS_UPDATE_RSP_LEN];
} bo_otas_notif_t;

typedef struct bo_otas {
    bo_otas_cfg_t cfg;
    const uint8_t *aes_key; /* NULL: encrypted images refused */
    const uint8_t *aes_iv;
    bo_otas_state_t state;
    bool has_owner;
    uint16_t owner;     /* owner connection once accepted */
    uint16_t requester; /* connection whose request waits for the application */
    bool resumed_req;   /* the pending request came from an opted-in connection */
    bo_otas_request_t req;
    uint8_t req_id[BO_DFU_ID_SIZE];
    uint32_t start_index;            /* offset the transfer (re)starts from */
    uint8_t resume_iv[BO_AES_BLOCK]; /* CBC chaining value at start_index (resume cursor) */
    uint32_t received;               /* bytes of OTA Data accepted, counted from 0 */
    uint16_t window;                 /* the window announced for this transfer */
    bool auto_window;                /* cfg.window was 0: the automatic policy applies */
    bool early_ack;                  /* stock window: acknowledged at its first write */
    uint32_t credit;                 /* the client may send up to this received offset */
    uint32_t next_ack;               /* early_ack: a write starting here is acknowledged */
    bool stale_owner_set;            /* the owner of an update that timed out: its next Control */
    uint16_t stale_owner;            /* Point writes are answered 01 (Invalid State) */
    uint32_t next_ckpt;              /* received offset of the next resume checkpoint */
    uint8_t part[BO_AES_BLOCK];      /* ciphertext block being assembled */
    uint8_t part_len;
    uint8_t batch[BO_OTAS_BATCH];
    bo_aes_cbc_t aes;
    bool aes_on;
    /* SHA-256 while streaming (downloads that start at 0 only): first the metadata signed
     * range 0x014..0x1FF (MD_SIG_SZ/MD_SIG as zeros), then the FW_IMG_LEN firmware bytes */
    bo_sha256_t sha;
    bool hashing;   /* every plaintext byte from offset 0 went through sha */
    bool md_hashed; /* md_digest is final */
    bool fw_hashed; /* fw_digest is final */
    uint32_t plain; /* plaintext bytes handed to dfu, counted from 0 */
    uint32_t fw_len;
    uint8_t fw_len_le[4];
    uint8_t md_digest[BO_SHA256_SIZE];
    uint8_t fw_digest[BO_SHA256_SIZE];
    /* Delta patches (docs/delta.md): the first plaintext block says whether this download is
     * an image or a patch; a patch goes through the decoder, which writes the image to dfu
     * (`plain` then counts image bytes) and checkpoints at its block boundaries. */
    uint8_t route;     /* BO_OTAS_ROUTE_* */
    uint32_t patch_in; /* patch bytes taken */
    uint8_t phdr[BO_DELTA_HDR_SIZE];
    bo_delta_t delta;
    bool activity; /* a write from the owner since bo_otas_take_activity */
    bo_otas_conn_t conns[BO_OTAS_CONN_MAX];
    bo_otas_cp_t cpq[BO_OTAS_CP_QUEUE];
    uint8_t cpq_head, cpq_count;
    bo_otas_notif_t nq[BO_OTAS_NOTIF_QUEUE];
    uint8_t nq_head, nq_count;
    uint32_t notif_dropped; /* notifications lost (queue full or notify failed) */
    bool notif_blocked;     /* the transport refused the head with BO_ERR_BUSY */
} bo_otas_t;

enum { BO_OTAS_ROUTE_UNKNOWN = 0, BO_OTAS_ROUTE_IMAGE, BO_OTAS_ROUTE_PATCH };

/* ---- API ------------------------------------------------------------------------------- */

/* The transport has room again: queued notifications go out (in order) until it refuses one
 * with BO_ERR_BUSY again. Queued Control Point operations wait while a notification is held,
 * so none of their answers can be lost. */
void bo_otas_writable(bo_otas_t *otas);

/* Stops the running transfer at once because the data is refused (e.g. its header failed its
 * check): DFU aborted (resume record kept), state UPDATE_ERROR (only Update Complete gets out:
 * `01 04 03`), 03 notified on OTA Data to the owner. No event (the caller reports its own).
 * BO_ERR_STATE unless data is flowing (UPDATE_START). */
int bo_otas_fail(bo_otas_t *otas);

/* Initialises the server in IDLE with no connection. BO_ERR_ARG if cfg, cfg->notify,
 * cfg->on_event or cfg->dfu is NULL, or the window is not a multiple of 16. */
int bo_otas_init(bo_otas_t *otas, const bo_otas_cfg_t *cfg);

/* Sets the AES-128 key and IV (16 bytes each, kept by pointer, e.g. the port's key store).
 * NULL key: encrypted images are refused. BO_ERR_BUSY while an update is in progress. */
int bo_otas_set_keys(bo_otas_t *otas, const uint8_t *key, const uint8_t *iv);

/* The transport reports the ATT MTU negotiated on conn (after an Exchange MTU). With the
 * default window (cfg.window 0) the next Update Request from conn is answered with
 * BO_OTAS_WINDOW_WRITES x (mtu - 3) bytes (multiple of 16, at most 65520) instead of
 * BO_OTAS_WINDOW_DEFAULT. BO_ERR_ARG for mtu < 23, BO_ERR_NOSPACE when the table is full. */
int bo_otas_set_mtu(bo_otas_t *otas, uint16_t conn, uint16_t mtu);

/* Connection events. connected: BO_ERR_NOSPACE when BO_OTAS_CONN_MAX are tracked.
 * disconnected of the owner aborts the update (ABORTED/DISCONNECT; the DFU resume record is
 * kept). A write/read from an unknown connection registers it implicitly (link unencrypted). */
int bo_otas_connected(bo_otas_t *otas, uint16_t conn);
void bo_otas_disconnected(bo_otas_t *otas, uint16_t conn);
void bo_otas_link_encrypted(bo_otas_t *otas, uint16_t conn, bool encrypted);

/* A plain ATT Read Request. Returns the ATT error code (0: *len bytes in out):
 * unencrypted link 0x05; Feature before this connection enabled the Control Point CCCD 0x02;
 * Control Point / Data values 0x02; cap too small 0x80; connection table full 0x11. CCCDs read
 * back their 2-byte value; the service declaration (16-byte UUID) needs no encryption.
 * Read Blob on these attributes should be answered 0x06 by the transport (all values <= 2 B). */
uint8_t bo_otas_read(bo_otas_t *otas, uint16_t conn, bo_otas_attr_t attr, uint8_t *out, size_t cap,
                     size_t *len);

/* An ATT Write Request (is_command = false) or Write Command (true). Returns the ATT error
 * code for the transport to answer a Write Request with (ignored for commands):
 * unencrypted 0x05; Write Command on a CCCD or the Control Point 0x06; Feature/service 0x03;
 * CCCD: length != 2 0x0D, 0x0001 ok, 0x0000 ok (owner: aborts the update; another conn while
 * an update runs: 0x03), other values 0x80; Control Point: empty 0x0D, this conn's Control Point
 * CCCD not enabled 0x03, a non-owner while an update is owned 0x03, no owner and an opcode other
 * than 0x02 (or 0x20 when resume is on) 0x03, queue full 0x11, else queued and 0; OTA Data: always
 * 0 (errors are reported by notification), data from a non-owner dropped silently. */
uint8_t bo_otas_write(bo_otas_t *otas, uint16_t conn, bo_otas_attr_t attr, bool is_command,
                      const uint8_t *data, size_t len);

/* Runs queued Control Point operations and sends queued notifications (see top); while data
 * flows it then erases the next slot page ahead of the data (bo_dfu_erase_ahead, one page at
 * most per call), so call it when the device is idle too. now_ms is unused by otas itself
 * (timeouts live in `ota`) and kept for symmetry. */
void bo_otas_process(bo_otas_t *otas, uint32_t now_ms);

/* The application's answer to BO_OTAS_EVT_UPDATE_REQ: accept -> `01 02 00 W start cur`,
 * reject -> `01 02 02` + zeros. BO_ERR_STATE if no request waits. */
int bo_otas_update_response(bo_otas_t *otas, bool accept, uint32_t current_version);

/* The application's validation verdict after BO_OTAS_EVT_COMPLETE: `01 04 00` or `01 04 03`.
 * BO_ERR_STATE if no completion waits. */
int bo_otas_complete_response(bo_otas_t *otas, bool valid);

/* Ends the running update (ABORTED with reason, DFU aborted, resume record kept) and returns to
 * IDLE; with reason TIMEOUT a notification 0x05 (Unspecified Error) is queued on OTA Data for
 * the owner if it was sending data, and the owner's later Control Point writes are answered
 * `01 <op> 01`. In COMPLETE only the owner is let go (ABORTED only for TIMEOUT: the owner
 * went quiet after the verdict). No-op when idle. */
void bo_otas_abort(bo_otas_t *otas, bo_otas_abort_t reason);

/* The streamed digest of the metadata signed range (0x014..0x1FF, signature zeroed) once the
 * 512-byte header of a download that started at offset 0 is stored; NULL otherwise (also for a
 * resumed download). Valid until the next Update Request. */
const uint8_t *bo_otas_md_digest(const bo_otas_t *otas);

/* True when a link owns the service and the next move is the client's (UPDATE_REQ,
 * UPDATE_START, UPDATE_ERROR, COMPLETE): the states an inactivity timeout covers. */
bool bo_otas_waiting_for_client(const bo_otas_t *otas);
/* True once if the owner wrote anything since the last call (for inactivity timers). */
bool bo_otas_take_activity(bo_otas_t *otas);
bo_otas_state_t bo_otas_state(const bo_otas_t *otas);

#endif
