/* bleota-device: a simulated BZ2 device on the posix port. Its flash is a NOR model file (the
 * BZ2 map: slot 0 at 0x01000000, slot 1 at 0x01080000); its "boot ROM" (bootrom.c) runs the
 * real bootloader core (src/boot) and serial executive (src/sdfu) at every reset; after a
 * jump, the demo application (app_demo.c) runs — and, when built with app_ble.c, serves BLE
 * OTA on --ble. Everything shares one poll() loop (loop.h). */
#ifndef BO_DEVICE_H
#define BO_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/boot.h"
#include "bleota/port.h"
#include "bleota/posix/nor.h"
#include "bleota/posix/pty.h"
#include "bleota/sdfu.h"
#include "loop.h"

#define DEV_WATCHDOG_DEFAULT_MS 4000u

/* Command-line options, as parsed by main.c. */
typedef struct dev_opts {
    const char *flash_path;  /* --flash FILE (required) */
    const char *provision;   /* --provision SIGNED.bin: factory-program slot 0 */
    const char *pubkey;      /* --pubkey PEM|HEX */
    const char *serial;      /* --serial PATH: the UART, as a pty linked at PATH */
    const char *ble;         /* --ble PATH: the BLE link (app_ble.c) */
    bool mchp_dev_keys;      /* --mchp-dev-keys: Microchip's public development key (+AES) */
    bool sdfu_trigger;       /* --sdfu: stay in serial DFU at the next boot (one-shot) */
    uint32_t sdfu_window_ms; /* --sdfu-window MS: listen this long after each reset (0: off) */
    bool have_aes;           /* --aes-key/--aes-iv given (or the dev keys) */
    uint8_t aes_key[16], aes_iv[16];
    uint32_t allowed_auth; /* --allow-auth: BO_AUTH_MASK bits; 0 = secure default (ECDSA) */
    bool allow_downgrade;  /* --allow-downgrade */
    bool exit_after_boot;  /* --exit-after-boot: exit once the first boot decision is made */
    uint32_t watchdog_ms;  /* --watchdog-ms: the period the boot ROM arms for a trial image */
} dev_opts_t;

typedef enum {
    DEV_MODE_OFF = 0,
    DEV_MODE_WINDOW, /* boot ROM: listening for serial DFU before deciding */
    DEV_MODE_SDFU,   /* boot ROM: serial DFU, no jump */
    DEV_MODE_APP,    /* the application runs */
} dev_mode_t;

struct bo_device {
    dev_opts_t opt;
    bo_nor_t nor;
    bo_layout_t layout;
    uint8_t pubkey[64];
    bool have_pubkey;
    bo_keys_t keys; /* pointers into pubkey/opt.aes_*, NULL when not provisioned */
    bo_sys_t sys;   /* now_ms + reset (reset only sets reset_pending) */
    bo_boot_cfg_t boot_cfg;
    /* the UART */
    bo_pty_t pty;
    bool have_pty;
    bo_sdfu_t sdfu;
    int sdfu_timer;   /* frame-gap poll timer, -1 when idle */
    int window_timer; /* --sdfu-window expiry, -1 when idle */
    int wdt_timer;    /* watchdog expiry, -1 when not armed (a reset disarms it) */
    uint32_t wdt_ms;
    /* state */
    dev_mode_t mode;
    bo_boot_image_t running; /* what the app runs (mode == DEV_MODE_APP) */
    unsigned boots;
    bool reset_pending;
    bool stop;
    int exit_code;
    dev_loop_t loop;
    void *app; /* the application's private state (app_demo.c / app_ble.c) */
};

/* Opens the flash, provisions slot 0, loads the keys and the serial port. Prints one error line
 * to stderr and returns non-zero on failure. */
int dev_init(bo_device_t *dev, const dev_opts_t *opt);
void dev_close(bo_device_t *dev);
/* Asks for a reset: the loop reboots through the boot ROM once the current callback returns
 * (the reference's software reset; also what the app's Reset Request calls). */
void dev_request_reset(bo_device_t *dev);
/* Bytes out of the UART (no-op without --serial). */
void dev_uart_send(bo_device_t *dev, const uint8_t *data, size_t len);
/* A line on stdout, flushed (the device's console: boot and app lines only). */
void dev_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True once SIGINT/SIGTERM arrived. */
bool dev_signalled(void);
void dev_install_signals(void);

/* bootrom.c: what runs at every reset (the first power-on included), and the UART's input
 * (serial DFU while the boot ROM listens; dropped while the application runs). */
void bootrom_reset(bo_device_t *dev);
/* The watchdog (bo_sys_t.wdt_*): expiry resets the device. dev_wdt_stop: what a reset does. */
int dev_wdt_start(void *ctx, uint32_t period_ms);
void dev_wdt_feed(void *ctx);
void dev_wdt_stop(bo_device_t *dev);
void bootrom_uart_event(bo_device_t *dev, int fd, short revents, void *ctx);

#endif
