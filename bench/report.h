/* bleota bench: what one invocation measured, and the two reports written from it (Markdown
 * for people, JSON for tools and tests). Both carry the same figures. */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "image.h"
#include "realdev.h"
#include "scenario.h"

/* The labelled extra rows: not the shipped configuration, each a single change. */
enum {
    BENCH_VAR_FLASH = 0, /* the other flash model (dual panel when the device is single bank) */
    BENCH_VAR_RX_LO,     /* half the controller receive buffers */
    BENCH_VAR_RX_HI,     /* twice the controller receive buffers */
    BENCH_VAR_STOCK_REF, /* the stock client on the reference server (Microchip's pair) */
    BENCH_VAR_COUNT
};

typedef struct bench_row {
    const bench_scenario_t *s;
    uint64_t ceiling; /* link ceiling, payload bytes per second */
    uint64_t link_ns; /* image / ceiling */
    uint64_t floor_ns;
    bench_run_t bleota, bleota22, stock, ref;
    int rc_bleota, rc_22, rc_stock, rc_ref;
    bench_run_t var[BENCH_VAR_COUNT];
    int rc_var[BENCH_VAR_COUNT];
    uint16_t var_rx[BENCH_VAR_COUNT]; /* receive buffers of the RX variants */
} bench_row_t;

typedef struct bench_report {
    const bench_dev_cfg_t *dev;
    const bench_stack_cfg_t *stack;
    const bench_client_t *client; /* txq, wait_ms (kind ignored) */
    const bench_image_t *img;     /* the measured image (bleota_s, stock_s, reference_s) */
    const bench_image_t *img22;   /* the 2/2 image (bleota_2x2_s) */
    const char *insns;            /* the counts file, or NULL */
    int insns_taken;
    bool plain_link;
    uint16_t rx_bufs;
    uint32_t latency_us;
    bool shipped; /* no option changed the device from what bleota ships */
    char describe[512];
    bench_row_t rows[3];
    int n;
} bench_report_t;

/* A scenario's targets: bleota / link limit at most this. */
double bench_target_ratio(const char *scenario);

void bench_report_md(FILE *f, const bench_report_t *r);
void bench_report_json(FILE *f, const bench_report_t *r);

#endif
