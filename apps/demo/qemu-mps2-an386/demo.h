/* The demo application's parts on this port. */
#ifndef BO_DEMO_H
#define BO_DEMO_H
#include <stdint.h>

/* FW_IMG_REV of the image in slot 0 (the one running). */
uint32_t bo_demo_running_version(void);

/* The application's main loop: the OTA service on UART0 (demo_ota.c). Returns only if it
 * cannot start (the exit status for QEMU). */
int bo_demo_run(uint32_t version);

#endif
