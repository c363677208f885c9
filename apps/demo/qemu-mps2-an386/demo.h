/* The demo application's parts on this port. */
#ifndef BO_DEMO_H
#define BO_DEMO_H
#include <stdbool.h>
#include <stdint.h>

/* FW_IMG_REV of the image in slot 0 (the one running). */
uint32_t bo_demo_running_version(void);

typedef struct bo_demo_opts {
    /* Feed the watchdog every loop turn: a confirmed image keeps the one the bootloader armed
     * for its trial from firing (harmless when it is not armed). */
    bool feed_wdt;
    uint32_t reset_after_ms; /* non-zero: reset into the bootloader after serving this long */
} bo_demo_opts_t;

/* The application's main loop: the OTA service on UART0 (demo_ota.c). Returns only if it
 * cannot start (the exit status for QEMU). */
int bo_demo_run(uint32_t version, const bo_demo_opts_t *opts);

#endif
