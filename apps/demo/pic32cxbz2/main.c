/* A WBZ451 application that updates over BLE with bleota, wired as a Harmony project wires it
 * (docs/harmony.md): the stack's callback copies each event to the application's queue (here a
 * small ring; FreeRTOS's queue in a Harmony project) and the application task hands it to the
 * binding, runs its timer and idle work, confirms a trial image and feeds the watchdog.
 * In a Harmony project it links with Microchip's BLE stack and PDS libraries; this tree has only
 * their headers, so it is compiled and linked with those calls left open, and a test checks that
 * exactly tests/pic32cxbz2/harmony_stack_calls.txt is left (CMakeLists.txt here). */
#include <stdint.h>
#include <string.h>

#include "bleota/pic32cxbz2/api.h"
#include "bleota/pic32cxbz2/ble.h"
#include "bleota/pic32cxbz2/board.h"

#define APP_CPU_HZ 64000000u /* as the bootloader left it (reference §7) */
#define EVT_QUEUE 8u
#define EVT_MAX 264u /* the largest event copied: a GATT write (GATT_Event_T) */
#define TICK_MS 20u

typedef struct {
    STACK_Event_T evt;
    uint8_t body[EVT_MAX];
} app_msg_t;

static app_msg_t queue[EVT_QUEUE];
static volatile uint32_t q_head, q_tail;
static bo_bz2_ble_t ble;
static bo_boot_cfg_t boot_cfg;

/* In the BLE task: copy and return at once (the stack's timing must not wait for flash). */
static void stack_cb(STACK_Event_T *p)
{
    uint32_t next = (q_tail + 1u) % EVT_QUEUE;
    if (next == q_head || p->evtLen > EVT_MAX)
        return; /* full: the event is lost, as with a full FreeRTOS queue */
    app_msg_t *m = &queue[q_tail];
    m->evt = *p;
    memcpy(m->body, p->p_event, p->evtLen);
    m->evt.p_event = m->body;
    q_tail = next;
}

static int on_event(void *ctx, const bo_ota_evt_t *evt)
{
    (void)ctx;
    return evt->type == BO_OTA_EVT_UPDATE_REQUEST ? BO_OK : 0; /* accept; versions are checked */
}

static void app_init(void)
{
    bo_bz2_ble_cfg_t cfg;
    bo_bz2_ble_defaults(&cfg);
    boot_cfg.flash = bo_bz2_flash();
    boot_cfg.layout = bo_layout_bz2();
    boot_cfg.pubkey = bo_bz2_keys()->ecdsa_pub;
    cfg.ota.flash = boot_cfg.flash;
    cfg.ota.layout = boot_cfg.layout;
    cfg.ota.keys = bo_bz2_keys();
    cfg.ota.sys = bo_bz2_sys();
    cfg.ota.authenticate =
        bo_bz2_authenticate;      /* the bootloader's verdict, for resumed downloads */
    cfg.ota.auth_cfg = &boot_cfg; /* streamed downloads: decided from the digests */
    cfg.ota.on_event = on_event;
    (void)bo_bz2_ble_init(&ble, &cfg);
    STACK_EventRegister(stack_cb);
}

int main(void)
{
    bo_bz2_tick_start(APP_CPU_HZ);
    bo_bz2_nvm_init();
    __asm volatile("cpsie i" ::: "memory");
    app_init();
    /* the self-test of a real product goes here; then the image keeps itself */
    (void)bo_boot_confirm(&boot_cfg);
    for (uint32_t last_tick = bo_bz2_now_ms();;) {
        bo_bz2_wdt_feed();
        if (q_head != q_tail) {
            bo_bz2_ble_event(&ble, &queue[q_head].evt);
            q_head = (q_head + 1u) % EVT_QUEUE;
            continue;
        }
        if (bo_bz2_now_ms() - last_tick >= TICK_MS) {
            last_tick = bo_bz2_now_ms();
            bo_bz2_ble_tick(&ble);
        } else if (bo_bz2_ble_idle(&ble) <= 0) {
            __asm volatile("wfi");
        }
    }
}
