/* The demo's main loop when the OTA stack is not built in: the application simply ends. */
#include "bleota/qemu/board.h"
#include "demo.h"

int bo_demo_run(uint32_t version)
{
    (void)version;
    bo_qemu_log("app: no OTA stack in this build", 0);
    return 0;
}
