/* The bench's BLE link model: air times from the Core specification, fragmentation, the
 * per-event limit, flow control by controller buffers, notifications at the next slot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "link.h"

typedef struct probe {
    bench_link_t *l;
    uint32_t pdus;
    uint16_t last_len;
    uint8_t last[BENCH_ATT_MAX];
    uint64_t busy_ns;  /* device: processing time per PDU */
    bool echo;         /* device: notify once per PDU */
    uint64_t first_rx; /* central: first PDU arrival */
} probe_t;

static uint64_t dev_handle(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    probe_t *p = ctx;
    p->pdus++;
    p->last_len = len;
    memcpy(p->last, pdu, len);
    if (p->echo) {
        const uint8_t n[4] = {0x1B, 0x07, 0x01, 0x00};
        bench_link_send_p2c(p->l, now, n, sizeof n);
    }
    return now + p->busy_ns;
}

static uint64_t cen_handle(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    probe_t *p = ctx;
    if (p->pdus++ == 0)
        p->first_rx = now;
    return now;
}

static bench_link_cfg_t cfg(uint8_t phy, uint16_t ll, uint16_t mtu)
{
    bench_link_cfg_t c = {.phy = phy,
                          .ll_payload = ll,
                          .mtu = mtu,
                          .interval_us = 7500,
                          .encrypted = true,
                          .rx_bufs = 8};
    return c;
}

static bench_link_t *mk(const bench_link_cfg_t *c, probe_t *cen, probe_t *dev)
{
    bench_link_t *l = calloc(1, sizeof *l);
    assert_non_null(l);
    cen->l = dev->l = l;
    bench_link_init(l, c, (bench_host_t){cen, cen_handle, NULL, NULL},
                    (bench_host_t){dev, dev_handle, NULL, NULL});
    return l;
}

static void bench_air_times_match_the_core_spec(void **state)
{
    bench_link_cfg_t c1 = cfg(1, 251, 247), c2 = cfg(2, 251, 247);
    /* empty PDU: 80 us on LE 1M, 44 us on LE 2M; largest encrypted PDU: 2120 us / 1064 us */
    assert_int_equal(bench_air_ns(&c1, 0), 80000);
    assert_int_equal(bench_air_ns(&c2, 0), 44000);
    assert_int_equal(bench_air_ns(&c1, 251), 2120000);
    assert_int_equal(bench_air_ns(&c2, 251), 1064000);
    c1.encrypted = false;
    assert_int_equal(bench_air_ns(&c1, 27), 296000); /* no MIC */
}

static void bench_att_pdu_is_fragmented_to_the_ll_payload(void **state)
{
    bench_link_cfg_t c = cfg(1, 27, 247);
    probe_t cen = {0}, dev = {0};
    bench_link_t *l = mk(&c, &cen, &dev);
    uint8_t pdu[247];
    for (size_t i = 0; i < sizeof pdu; i++)
        pdu[i] = (uint8_t)(i * 7u + 1u);
    assert_int_equal(bench_link_send_c2p(l, 0, pdu, sizeof pdu), 0);
    assert_int_equal(bench_link_run(l, 100u * 7500000u), -1);
    /* 4-byte L2CAP header + 247 = 251 bytes = 9 fragments of 27 + one of 8 */
    assert_int_equal(l->st.c2p_frags, 10);
    assert_int_equal(dev.pdus, 1);
    assert_int_equal(dev.last_len, sizeof pdu);
    assert_memory_equal(dev.last, pdu, sizeof pdu);
    free(l);
}

static void bench_per_event_limit_caps_central_packets(void **state)
{
    bench_link_cfg_t c = cfg(2, 251, 247);
    c.max_per_event = 3;
    probe_t cen = {0}, dev = {0};
    bench_link_t *l = mk(&c, &cen, &dev);
    uint8_t pdu[20] = {0x52, 0x07, 0x01};
    for (int i = 0; i < 10; i++)
        assert_int_equal(bench_link_send_c2p(l, 0, pdu, sizeof pdu), 0);
    assert_int_equal(bench_link_run(l, 1), -1); /* one connection event */
    assert_int_equal(l->st.events, 1);
    assert_int_equal(l->st.exchanges, 3);
    assert_int_equal(dev.pdus, 3);
    free(l);
}

static void bench_busy_device_stalls_the_link_without_losing_data(void **state)
{
    bench_link_cfg_t c = cfg(2, 251, 247);
    c.rx_bufs = 2;
    probe_t cen = {0}, dev = {.busy_ns = 30000000u}; /* 30 ms per PDU */
    bench_link_t *l = mk(&c, &cen, &dev);
    uint8_t pdu[40] = {0x52, 0x07, 0x01};
    for (int i = 0; i < 6; i++) {
        pdu[3] = (uint8_t)i;
        assert_int_equal(bench_link_send_c2p(l, 0, pdu, sizeof pdu), 0);
    }
    assert_int_equal(bench_link_run(l, 200u * 7500000u), -1);
    assert_true(l->st.nacks > 0);
    assert_int_equal(dev.pdus, 6);
    assert_int_equal(dev.last[3], 5); /* in order, none lost */
    assert_int_equal(l->st.c2p_frags, 6);
    free(l);
}

static void bench_notification_leaves_in_the_next_peripheral_slot(void **state)
{
    bench_link_cfg_t c = cfg(1, 251, 247);
    probe_t cen = {0}, dev = {.echo = true};
    bench_link_t *l = mk(&c, &cen, &dev);
    uint8_t pdu[10] = {0x52, 0x07, 0x01};
    assert_int_equal(bench_link_send_c2p(l, 0, pdu, sizeof pdu), 0);
    assert_int_equal(bench_link_run(l, 1), -1);
    /* the device answers at once: its notification is the response to that same packet */
    uint64_t expect = bench_air_ns(&c, 4 + sizeof pdu) + BENCH_T_IFS_NS + bench_air_ns(&c, 8);
    assert_int_equal(cen.pdus, 1);
    assert_int_equal(cen.first_rx, expect);
    free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bench_air_times_match_the_core_spec),
        cmocka_unit_test(bench_att_pdu_is_fragmented_to_the_ll_payload),
        cmocka_unit_test(bench_per_event_limit_caps_central_packets),
        cmocka_unit_test(bench_busy_device_stalls_the_link_without_losing_data),
        cmocka_unit_test(bench_notification_leaves_in_the_next_peripheral_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
