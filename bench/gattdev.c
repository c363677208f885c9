/* bleota bench: device GATT front (see gattdev.h). */
#include "gattdev.h"

#include <string.h>

#include "bleota/otas_att.h"

static uint8_t gatt_read(void *ctx, uint16_t handle, uint8_t *out, uint16_t cap, uint16_t *len)
{
    bench_gattdev_t *g = ctx;
    int a = bo_otas_att_attr(g->handle_of, handle);
    if (a < 0)
        return BO_ATT_ERR_ATTR_NOT_FOUND;
    return g->svc.read(g->svc.ctx, (bo_otas_attr_t)a, out, cap, len);
}

static uint8_t gatt_write(void *ctx, uint16_t handle, const uint8_t *data, uint16_t len, bool cmd)
{
    bench_gattdev_t *g = ctx;
    int a = bo_otas_att_attr(g->handle_of, handle);
    if (a < 0)
        return BO_ATT_ERR_ATTR_NOT_FOUND;
    return g->svc.write(g->svc.ctx, (bo_otas_attr_t)a, cmd, data, len);
}

int bench_gattdev_init(bench_gattdev_t *g, bench_link_t *link, bench_clock_t *clk, uint16_t mtu,
                       const bench_service_t *svc)
{
    memset(g, 0, sizeof *g);
    g->link = link;
    g->clk = clk;
    g->svc = *svc;
    if (bo_att_db_init(&g->db, g->attrs, 16, 1) || bo_att_db_skip_to(&g->db, 0x0100))
        return -1;
    if (bo_otas_att_add(&g->db, g->handle_of) != BO_OK)
        return -1;
    bo_att_server_cfg_t cfg = {
        .db = &g->db, .mtu_max = mtu, .ctx = g, .read = gatt_read, .write = gatt_write};
    if (bo_att_server_init(&g->srv, &cfg))
        return -1;
    bo_att_server_connected(&g->srv);
    return 0;
}

int bench_gattdev_notify(bench_gattdev_t *g, bo_otas_attr_t attr, const uint8_t *v, uint16_t len)
{
    uint8_t pdu[BENCH_ATT_MAX];
    int n = bo_att_server_notify(&g->srv, g->handle_of[attr], v, len, pdu, sizeof pdu);
    if (n <= 0)
        return n < 0 ? n : BO_ERR_ARG;
    return bench_link_send_p2c(g->link, g->clk->cpu, pdu, (uint16_t)n) ? BO_ERR_NOSPACE : BO_OK;
}

uint64_t bench_gattdev_handle(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    bench_gattdev_t *g = ctx;
    uint8_t rsp[BENCH_ATT_MAX];
    bench_clock_at(g->clk, now);
    bench_clock_insns(g->clk, g->clk->cfg->pdu_insns);
    if (pdu[0] == BO_LINK_CTRL) {
        /* pairing stands for the LL encryption procedure: the link is encrypted from then on */
        if (len >= 2 && pdu[1] == BO_LINK_CTRL_PAIR_REQ) {
            const uint8_t paired[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIRED};
            bo_att_server_set_encrypted(&g->srv, true);
            if (g->svc.paired)
                g->svc.paired(g->svc.ctx);
            (void)bench_link_send_p2c(g->link, g->clk->cpu, paired, 2);
        }
    } else {
        int n = bo_att_server_handle(&g->srv, pdu, len, rsp, sizeof rsp);
        if (n > 0)
            (void)bench_link_send_p2c(g->link, g->clk->cpu, rsp, (uint16_t)n);
    }
    g->svc.process(g->svc.ctx);
    return g->clk->cpu;
}

uint64_t bench_gattdev_idle(void *ctx, uint64_t now)
{
    bench_gattdev_t *g = ctx;
    bench_clock_at(g->clk, now);
    if (g->svc.idle)
        g->svc.idle(g->svc.ctx);
    return g->clk->cpu;
}

/* ---- behaviour models' service shell ------------------------------------------------------ */
static uint8_t model_read(void *ctx, bo_otas_attr_t attr, uint8_t *out, uint16_t cap, uint16_t *len)
{
    if (cap < 2)
        return BO_ATT_ERR_UNLIKELY;
    if (attr == BO_OTAS_ATTR_FEATURE) {
        out[0] = 0x01; /* firmware image */
        out[1] = 0x01; /* extended Update Request */
    } else if (attr == BO_OTAS_ATTR_CTRL_CCCD || attr == BO_OTAS_ATTR_DATA_CCCD) {
        out[0] = 0x01;
        out[1] = 0x00;
    } else {
        return BO_ATT_ERR_READ_NOT_PERMITTED;
    }
    *len = 2;
    return 0;
}

static uint8_t model_write(void *ctx, bo_otas_attr_t attr, bool cmd, const uint8_t *v, uint16_t len)
{
    bench_model_svc_t *m = ctx;
    if (attr == BO_OTAS_ATTR_CTRL_CCCD || attr == BO_OTAS_ATTR_DATA_CCCD)
        return len == 2 ? 0 : BO_ATT_ERR_INVALID_VALUE_LEN;
    if (attr == BO_OTAS_ATTR_DATA) {
        m->data(m->ctx, v, len);
        return 0;
    }
    if (attr != BO_OTAS_ATTR_CTRL || cmd)
        return BO_ATT_ERR_WRITE_NOT_PERMITTED;
    if (m->cp_pending || len == 0 || len > sizeof m->cp)
        return BO_ATT_ERR_INVALID_VALUE_LEN;
    memcpy(m->cp, v, len);
    m->cp_len = len;
    m->cp_pending = true;
    return 0;
}

static void model_process(void *ctx)
{
    bench_model_svc_t *m = ctx;
    if (m->cp_pending) {
        m->cp_pending = false;
        m->ctrl(m->ctx, m->cp, m->cp_len);
    }
}

static void model_idle(void *ctx)
{
    bench_model_svc_t *m = ctx;
    if (m->idle)
        m->idle(m->ctx);
}

bench_service_t bench_model_service(bench_model_svc_t *m)
{
    bench_service_t s = {m, model_read, model_write, NULL, model_process, model_idle};
    return s;
}
