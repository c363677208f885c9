/* ota: the shipped defaults of the OTA stack's policy and a one-line description of it, so
 * every integration starts from the same configuration and a test can compare two. */
#include <string.h>

#include "bleota/ota.h"

void bo_ota_cfg_defaults(bo_ota_cfg_t *cfg)
{
    if (cfg == NULL) {
        return;
    }
    memset(cfg, 0, sizeof(*cfg));
    cfg->timeout_ms = BO_OTA_TIMEOUT_DEFAULT_MS;
    cfg->reset_delay_ms = BO_OTA_RESET_DELAY_DEFAULT_MS;
    cfg->window = 0u; /* automatic: stock clients safe, opted-in clients fast */
    cfg->stock_tx_queue = BO_OTAS_STOCK_TX_QUEUE;
    cfg->resume = true;
    cfg->idle_erase = true;
    cfg->auth_from_flash = false; /* decide from the digests streamed while receiving */
}

/* ---- bo_ota_cfg_describe: a tiny formatter (no stdio in the core) ---------------------- */
typedef struct {
    char *out;
    size_t cap, len;
} text_t;

static void put_str(text_t *t, const char *s)
{
    for (; *s != '\0'; s++) {
        if (t->len + 1u < t->cap) {
            t->out[t->len] = *s;
        }
        t->len++;
    }
}

static void put_pair(text_t *t, const char *name, uint32_t v)
{
    char digits[11];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    if (t->len > 0u) {
        put_str(t, " ");
    }
    put_str(t, name);
    put_str(t, "=");
    while (n > 0u) {
        char c[2] = {digits[--n], '\0'};
        put_str(t, c);
    }
}

size_t bo_ota_cfg_describe(const bo_ota_cfg_t *cfg, char *out, size_t cap)
{
    text_t t = {out, cap, 0};
    if (cfg == NULL || out == NULL || cap == 0u) {
        return 0;
    }
    put_pair(&t, "timeout_ms", cfg->timeout_ms != 0u ? cfg->timeout_ms : BO_OTA_TIMEOUT_DEFAULT_MS);
    put_pair(&t, "reset_delay_ms",
             cfg->reset_delay_ms != 0u ? cfg->reset_delay_ms : BO_OTA_RESET_DELAY_DEFAULT_MS);
    put_pair(&t, "window", cfg->window);
    put_pair(&t, "stock_tx_queue",
             cfg->stock_tx_queue != 0u ? cfg->stock_tx_queue : BO_OTAS_STOCK_TX_QUEUE);
    put_pair(&t, "resume", cfg->resume ? 1u : 0u);
    put_pair(&t, "idle_erase", cfg->idle_erase ? 1u : 0u);
    put_pair(&t, "auth_from_flash", cfg->auth_from_flash ? 1u : 0u);
    put_pair(&t, "stage", BO_OTA_STAGE);
    put_pair(&t, "checkpoint", BO_OTAS_CHECKPOINT);
    put_pair(&t, "window_writes", BO_OTAS_WINDOW_WRITES);
    put_pair(&t, "window_default", BO_OTAS_WINDOW_DEFAULT);
    out[t.len < cap ? t.len : cap - 1u] = '\0';
    return t.len < cap ? t.len : cap - 1u;
}
