/* bleota ota: the application face of BLE OTA (reference §2.12, §5.3). It owns the profile
 * server (otas) and the download writer (dfu), takes the keys from the port's key store, asks
 * the application for permission, authenticates slot 1 through the bootloader API on Update
 * Complete, applies anti-rollback, runs the inactivity timeout and the delayed reset.
 *
 * Wiring (host and target alike; bleota's own ATT transport does all of it in ota_att.h):
 *   bo_ota_cfg_defaults(&cfg); ... set flash, keys, callbacks ...; bo_ota_init(&ota, &cfg);
 *   transport -> bo_otas_*(bo_ota_otas(&ota), ...)   // GATT callbacks, see otas.h
 *   MTU exchanged       -> bo_ota_set_mtu(&ota, conn, mtu)
 *   transport has room  -> bo_ota_writable(&ota, now_ms)   // pending notifications go out
 *   after GATT events   -> bo_ota_process(&ota, now_ms)    // work, notifications, timers
 *   idle / low priority -> bo_ota_idle(&ota, now_ms)       // header check, idle flash work
 *
 * Policy:
 * - Update Request: announced version < cfg.current_version -> 02 (anti-rollback, before the
 *   application is asked); then BO_OTA_EVT_UPDATE_REQUEST, whose handler returns BO_OK (accept),
 *   BO_OTA_DEFER (answer later with bo_ota_update_response) or anything else (reject -> 02).
 *   Every refusal raises BO_OTA_EVT_REFUSED with its reason.
 * - Encrypted images need keys->aes_key and keys->aes_iv; without them -> 02. Never a default.
 * - The header check (structure, methods, metadata signature, signed version >= current) runs
 *   as background work once the 512-byte header of a download that started at 0 is stored
 *   (bo_ota_idle / bo_ota_background); a failure stops the transfer at once: 03 on OTA Data,
 *   BO_OTA_EVT_REFUSED (BO_OTAS_REFUSE_HEADER, status = the check's error).
 * - Update Complete with all bytes: authenticate slot 1; BO_OK and info.version >=
 *   current_version -> 00, otherwise 03. The verdict is BO_OTA_EVT_COMPLETE. A download that
 *   started at offset 0 was hashed while it streamed (otas): with cfg.auth_cfg set, ota then
 *   decides with bo_boot_check_metadata + bo_boot_check_firmware over those digests (the
 *   bootloader's own policy, docs/bootloader.md) and reads only the 512-byte header, never
 *   the slot. A resumed download (hash state lost) uses cfg.authenticate(cfg.auth_cfg, 1, &info).
 * - Inactivity: in every state in which a link owns the service and the next move is the
 *   client's (after acceptance, through the transfer, and in COMPLETE after the verdict), no
 *   write from the owner for timeout_ms ends its ownership: BO_OTA_EVT_ABORTED with
 *   BO_OTAS_ABORT_TIMEOUT; a running transfer is aborted (DFU stopped, resume record kept, 05
 *   on OTA Data if data was flowing). In COMPLETE the verdict stands: a validated image stays
 *   in slot 1 (bo_ota_validated() stays true, idle erase leaves it) and the bootloader installs
 *   it at the next reset, which the application may trigger itself; the link that went quiet
 *   can no longer ask for it. Not while the application owes the answer (WAIT_REQ_RSP).
 * - Reset Request: BO_OTA_EVT_RESET_REQUEST; sys->reset runs reset_delay_ms later from
 *   bo_ota_process only when it comes from the link that validated the update, while that link
 *   still owns the service (COMPLETE, same cycle). Anything else resets nothing and never moves
 *   a pending reset: the owner of another cycle is ignored silently (the reference's answer),
 *   a link whose ownership timed out gets `01 05 01` (otas), other links ATT 0x03.
 * - Idle flash work (cfg.idle_erase): when no update runs, bo_ota_idle erases what is left of
 *   the download slot (the bootloader retires only its header page after an install), one
 *   page per call, so the next update programs a blank slot without waiting for erases.
 * No heap, no globals. */
#ifndef BLEOTA_OTA_H
#define BLEOTA_OTA_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/boot.h"
#include "bleota/dfu.h"
#include "bleota/err.h"
#include "bleota/otas.h"
#include "bleota/port.h"

#ifndef BO_OTA_STAGE
/* RAM that holds one flash page of received data before it is programmed (bo_dfu_set_stage),
 * so a page erase (erased ahead, beside the CPU on dual-panel flash) never stalls the link:
 * docs/performance.md. 0 disables it (every write is programmed at once, as before); a value
 * below the flash page size is ignored. */
#define BO_OTA_STAGE 4096u
#endif
#define BO_OTA_TIMEOUT_DEFAULT_MS 5000u /* Microchip's application: 5 s between windows */
#define BO_OTA_RESET_DELAY_DEFAULT_MS 500u
/* Positive return of the UPDATE_REQUEST handler: the answer comes later. */
#define BO_OTA_DEFER 1

typedef enum {
    BO_OTA_EVT_UPDATE_REQUEST = 0, /* req: may the update happen? (return value decides) */
    BO_OTA_EVT_START,              /* data transfer begins (start_index > 0 when resumed) */
    BO_OTA_EVT_PROGRESS,           /* a window is stored: done / total bytes */
    BO_OTA_EVT_COMPLETE,           /* verdict: status BO_OK (version = signed FW_IMG_REV) or
                                      BO_ERR_ROLLBACK / the authenticate error (a failure to
                                      commit slot 1 is reported as ERROR instead) */
    BO_OTA_EVT_ABORTED,            /* ended without verdict: reason (client Complete before the
                                      last byte, disconnect, CCCD off, timeout, application);
                                      reason timeout also when the owner went quiet in COMPLETE
                                      after its verdict (see bo_ota_validated) */
    BO_OTA_EVT_RESET_REQUEST,      /* client asked for a reset: will_reset says if it happens */
    BO_OTA_EVT_ERROR,              /* flash/decrypt failure during transfer: status */
    BO_OTA_EVT_REFUSED,            /* an update was refused: refusal (+ status, req) */
} bo_ota_evt_type_t;

/* Why an update was refused: bo_otas_refusal_t (otas.h), BO_OTAS_REFUSE_*. */
typedef bo_otas_refusal_t bo_ota_refusal_t;

typedef struct bo_ota_evt {
    bo_ota_evt_type_t type;
    uint16_t conn;
    const bo_otas_request_t *req; /* UPDATE_REQUEST */
    uint32_t done, total;         /* PROGRESS; START: done = start index, total = size */
    int status;                   /* COMPLETE, ERROR, REFUSED */
    uint32_t version;             /* COMPLETE with BO_OK; REFUSED/HEADER: signed version */
    bo_otas_abort_t reason;       /* ABORTED */
    bool will_reset;              /* RESET_REQUEST */
    bo_ota_refusal_t refusal;     /* REFUSED (status: the error for FLASH / HEADER; version:
                                     the signed version for HEADER when it was readable) */
} bo_ota_evt_t;

/* The bootloader's authenticate entry: bo_boot_authenticate on the host, a shim over the
 * fixed-address API on targets. Must return BO_OK only for an authentic image in `slot`. */
typedef int (*bo_ota_auth_fn)(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info);

typedef struct bo_ota_cfg {
    const bo_flash_t *flash; /* flash holding slot 1 and the resume pages */
    bo_layout_t layout;
    const bo_keys_t *keys; /* port key store; NULL = nothing provisioned */
    const bo_sys_t *sys;   /* reset (now_ms is passed to bo_ota_process instead) */
    bo_ota_auth_fn authenticate;
    const bo_boot_cfg_t *auth_cfg; /* passed through to authenticate */
    /* transport: see bo_otas_cfg_t.notify */
    int (*notify)(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data, size_t len);
    void *notify_ctx;
    /* application events; the return value matters only for UPDATE_REQUEST */
    int (*on_event)(void *ctx, const bo_ota_evt_t *evt);
    void *event_ctx;
    uint32_t current_version; /* running FW_IMG_REV, (a<<24)|(b<<16)|(c<<8)|d */
    uint32_t timeout_ms;      /* 0 = BO_OTA_TIMEOUT_DEFAULT_MS */
    uint32_t reset_delay_ms;  /* 0 = BO_OTA_RESET_DELAY_DEFAULT_MS */
    uint16_t window;          /* 0 = automatic (see bo_otas_cfg_t.window): stock clients get a
                                 window their TX queue survives, opted-in clients a large one */
    uint8_t stock_tx_queue;   /* see bo_otas_cfg_t.stock_tx_queue; 0 = BO_OTAS_STOCK_TX_QUEUE */
    bool resume;              /* offer the resume extension (needs layout.resume_addr) */
    bool idle_erase;          /* bo_ota_idle erases the rest of the download slot */
    bool auth_from_flash;     /* always decide with cfg.authenticate (re-reads slot 1), e.g.
                                 when only the bootloader's API may judge; default: digests */
} bo_ota_cfg_t;

typedef struct bo_ota {
    bo_ota_cfg_t cfg;
    bo_otas_t otas;
    bo_dfu_t dfu;
    uint32_t now;           /* last now_ms seen */
    uint32_t last_activity; /* now_ms of the last owner write while waiting for the client */
    bool timing;            /* the inactivity timer runs */
    bool validated;         /* the last completed update authenticated */
    bool may_reset;         /* this cycle validated: its owner's Reset Request resets */
    bool reset_pending;
    bool trial;             /* the running image was on trial at trial_checked_ms */
    bool trial_known;
    uint32_t trial_checked_ms;
    uint32_t reset_at;
    uint32_t validated_version;
    /* the header check of the running download (bo_ota_background or Complete) */
    bo_md_t md;
    int md_status;
    uint8_t md_state;        /* 0 not run, 1 background running, 2 verdict in md_status/md */
    uint16_t validated_conn; /* the link that validated (may_reset); in md_state's padding */
    uint32_t gen; /* bumped for every new transfer: a stale background verdict is dropped */
#if BO_OTA_STAGE > 0
    uint8_t stage[BO_OTA_STAGE]; /* dfu's staging buffer */
#endif
} bo_ota_t;

/* The shipped defaults: every policy field as bleota-device, the QEMU demo and the bench use
 * it (timeout, reset delay, automatic window, stock TX queue, resume, idle erase); the
 * platform fields (flash, layout, keys, sys, callbacks, version) are zeroed for the caller. */
void bo_ota_cfg_defaults(bo_ota_cfg_t *cfg);

/* Writes the policy fields of cfg as one line of `name=value` pairs separated by spaces
 * (e.g. "timeout_ms=5000 ..."), with the build-time sizes that shape behaviour (staging,
 * checkpoint, windows), so two integrations can be compared. Returns the length written
 * (NUL-terminated, truncated to cap - 1). */
size_t bo_ota_cfg_describe(const bo_ota_cfg_t *cfg, char *out, size_t cap);

/* Initialises dfu and otas and loads the keys. BO_ERR_ARG if cfg, flash, sys, authenticate,
 * notify or on_event is NULL; errors of bo_dfu_init / bo_otas_init otherwise. */
int bo_ota_init(bo_ota_t *ota, const bo_ota_cfg_t *cfg);

/* The GATT server to hand to the transport. */
bo_otas_t *bo_ota_otas(bo_ota_t *ota);

/* Does the pending work: otas processing and notifications, erase ahead, inactivity timeout,
 * delayed reset. Call it often (every loop iteration or after each batch of GATT events).
 * Never runs the header verification (see bo_ota_background). */
void bo_ota_process(bo_ota_t *ota, uint32_t now_ms);

/* The transport reports the ATT MTU negotiated on conn (see bo_otas_set_mtu). */
int bo_ota_set_mtu(bo_ota_t *ota, uint16_t conn, uint16_t mtu);

/* The transport has room again (e.g. BLE_GAP_EVT_TX_BUF_AVAILABLE): notifications it refused
 * with BO_ERR_BUSY go out now, in order, then pending work runs (as bo_ota_process). */
void bo_ota_writable(bo_ota_t *ota, uint32_t now_ms);

/* Idle work, for the idle loop or a low-priority task: first the pending header check
 * (bo_ota_background), else one step of idle flash work (cfg.idle_erase: one page of the
 * download slot erased while no update runs and no resume record is kept). Returns 1 when it
 * did something (call again when idle), 0 when nothing is left, a negative bo_err_t on a
 * flash error of the idle erase (it is retried at the next call). */
int bo_ota_idle(bo_ota_t *ota, uint32_t now_ms);

/* Background work: runs the pending check of the received image header (structure, methods,
 * metadata signature: one ECDSA P-256 verification with the secure default, ~0.46 s at
 * 64 MHz), once per download, as soon as the 512-byte header of a download that started at 0
 * is stored. Returns 1 when it ran the check, 0 when nothing was pending (needs
 * cfg.auth_cfg). Call it from a low-priority task or the idle loop, so the verification
 * overlaps the transfer; on a single-loop device call it from the main loop too (when no GATT
 * event waits). It reads the header at its start and publishes its verdict at its end, only if
 * no newer transfer began and Complete did not run the check meanwhile, so the OTA task may
 * preempt it; it must not run concurrently with itself. */
int bo_ota_background(bo_ota_t *ota);

/* Deferred answer to BO_OTA_EVT_UPDATE_REQUEST (after the handler returned BO_OTA_DEFER).
 * current_version also updates cfg.current_version. BO_ERR_STATE if nothing waits. */
int bo_ota_update_response(bo_ota_t *ota, bool accept, uint32_t current_version);

/* The application stops a running update (ABORTED/APP). No-op when idle. */
void bo_ota_stop(bo_ota_t *ota);

/* True once an update was validated in this session (a Reset Request would reset). */
bool bo_ota_validated(const bo_ota_t *ota);

#endif
