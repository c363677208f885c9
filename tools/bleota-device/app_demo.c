/* The demo application (see app_demo.h). */
#include "app_demo.h"
#include "bleota/img.h"

void app_demo_start(bo_device_t *dev)
{
    char v[16];
    dev_print("app: running %s", bo_version_format(dev->running.version, v));
#ifdef BO_DEVICE_HAVE_BLE
    if (dev->opt.ble != NULL && app_ble_start(dev) != 0) {
        dev->stop = true;
        dev->exit_code = 1;
    }
#endif
}

void app_demo_stop(bo_device_t *dev)
{
#ifdef BO_DEVICE_HAVE_BLE
    if (dev->opt.ble != NULL) {
        app_ble_stop(dev);
    }
#else
    (void)dev;
#endif
}
