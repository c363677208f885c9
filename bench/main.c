/* bleota-bench: OTA time against the physical limit, in virtual time (docs/performance.md).
 * Writes a Markdown report: one row per scenario, bleota's ratio first, the reference's after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/img.h"
#include "image.h"
#include "realdev.h"
#include "scenario.h"

#define KIB 1024u

typedef struct opts {
    uint32_t image_kib;
    const char *out;
    const char *insns;
    int insns_taken; /* values read from the insns file */
    bool only[3];
    bool any_only;
    bench_dev_cfg_t dev;
    bench_stack_cfg_t stack;
    bench_next_cfg_t next;
    /* link overrides, applied to every selected scenario; 0 = the scenario's own */
    uint32_t phy, ll, mtu, interval_us, per_event, rx_bufs, latency_us;
    int per_event_set, plain_link;
    uint8_t fw_auth; /* BO_AUTH_SHA256 (signed-digest mode) or BO_AUTH_ECDSA (2/2) */
} opts_t;

static bench_scenario_t scenarios[3] = {
    {"fast", {.phy = 2, .ll_payload = 251, .mtu = 247, .interval_us = 7500, .max_per_event = 0}},
    {"phone", {.phy = 1, .ll_payload = 251, .mtu = 185, .interval_us = 15000, .max_per_event = 6}},
    {"legacy", {.phy = 1, .ll_payload = 27, .mtu = 23, .interval_us = 30000, .max_per_event = 4}},
};

static void usage(void)
{
    fputs("usage: bleota-bench [options]\n"
          "  --scenario fast|phone|legacy  run only these (repeatable; default all)\n"
          "  --image-kib N      payload size in KiB (default 480)  --quick  = 32 KiB\n"
          "  --fw-auth digest|ecdsa  firmware digest in the ECDSA-signed metadata (default),\n"
          "                     or a firmware ECDSA signature too (2/2, Microchip's tool)\n"
          "  --out FILE         write the report there (default stdout)\n"
          " link (override every selected scenario):\n"
          "  --phy 1|2  --ll N (27..251)  --mtu N  --interval-us N  --per-event N (0 = no limit)\n"
          "  --rx-bufs N (controller receive buffers, default 8)  --latency-us N (central)\n"
          "  --plain-link       no link encryption (no MIC)\n"
          " device:\n"
          "  --cpu-hz N  --aes-ipk N  --sha-ipk N  --ecdsa-insns N  --pdu-insns N  --copy-ipk N\n"
          "  --prog-ipk N       DFU writer + flash driver, instructions per KiB programmed\n"
          "  --insns FILE       instruction counts from the QEMU benchmark (name value lines)\n"
          "  --erase-us N  --prog-us N  --page N  --unit N  --flash-blocking\n"
          " bleota server knobs:\n"
          "  --window N         Max_Fragmented_Image_Size offered (default: the server's)\n"
          " design model (what-if table):\n"
          "  --next-window N    its window (default 256 x (MTU-3), <= 65520, as otas)\n"
          "  --next-staging N   its staging RAM (default 4096)\n",
          stderr);
}

static int num(const char *s, uint32_t *v)
{
    char *end;
    unsigned long x = strtoul(s, &end, 0);
    if (!*s || *end || x > 0xFFFFFFFFul)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

/* Options with a numeric argument: name -> field. */
static uint32_t *num_opt(opts_t *o, const char *name)
{
    struct {
        const char *n;
        uint32_t *v;
    } t[] = {
        {"--image-kib", &o->image_kib},
        {"--phy", &o->phy},
        {"--ll", &o->ll},
        {"--mtu", &o->mtu},
        {"--interval-us", &o->interval_us},
        {"--per-event", &o->per_event},
        {"--rx-bufs", &o->rx_bufs},
        {"--latency-us", &o->latency_us},
        {"--cpu-hz", &o->dev.cpu_hz},
        {"--aes-ipk", &o->dev.aes_ipk},
        {"--sha-ipk", &o->dev.sha_ipk},
        {"--ecdsa-insns", &o->dev.ecdsa_insns},
        {"--pdu-insns", &o->dev.pdu_insns},
        {"--copy-ipk", &o->dev.copy_ipk},
        {"--prog-ipk", &o->dev.prog_ipk},
        {"--erase-us", &o->dev.erase_us},
        {"--prog-us", &o->dev.prog_us},
        {"--page", &o->dev.page_size},
        {"--unit", &o->dev.prog_unit},
        {"--window", &o->stack.window},
        {"--next-window", &o->next.window},
        {"--next-staging", &o->next.staging},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(name, t[i].n))
            return t[i].v;
    return NULL;
}

static int parse(int argc, char **argv, opts_t *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        uint32_t *v = num_opt(o, a);
        if (v) {
            if (i + 1 >= argc || num(argv[++i], v))
                return -1;
            if (v == &o->per_event)
                o->per_event_set = 1;
        } else if (!strcmp(a, "--quick")) {
            o->image_kib = 32;
        } else if (!strcmp(a, "--plain-link")) {
            o->plain_link = 1;
        } else if (!strcmp(a, "--flash-blocking")) {
            o->dev.flash_blocking = true;
        } else if (!strcmp(a, "--out") && i + 1 < argc) {
            o->out = argv[++i];
        } else if (!strcmp(a, "--fw-auth") && i + 1 < argc) {
            const char *m = argv[++i];
            if (strcmp(m, "digest") && strcmp(m, "ecdsa"))
                return -1;
            o->fw_auth = !strcmp(m, "digest") ? BO_AUTH_SHA256 : BO_AUTH_ECDSA;
        } else if (!strcmp(a, "--insns") && i + 1 < argc) {
            o->insns = argv[++i];
        } else if (!strcmp(a, "--scenario") && i + 1 < argc) {
            const char *n = argv[++i];
            int k = !strcmp(n, "fast")     ? 0
                    : !strcmp(n, "phone")  ? 1
                    : !strcmp(n, "legacy") ? 2
                                           : -1;
            if (k < 0)
                return -1;
            o->only[k] = o->any_only = true;
        } else {
            return -1;
        }
    }
    return 0;
}

static void apply(const opts_t *o, bench_link_cfg_t *l)
{
    l->encrypted = !o->plain_link;
    l->rx_bufs = o->rx_bufs ? (uint16_t)o->rx_bufs : 8u;
    l->central_latency_us = o->latency_us;
    if (o->phy)
        l->phy = (uint8_t)o->phy;
    if (o->ll)
        l->ll_payload = (uint16_t)o->ll;
    if (o->mtu)
        l->mtu = (uint16_t)o->mtu;
    if (o->interval_us)
        l->interval_us = o->interval_us;
    if (o->per_event_set)
        l->max_per_event = (uint16_t)o->per_event;
}

static double sec(uint64_t ns)
{
    return (double)ns / 1e9;
}

/* What a scenario's row measured, kept for the tables after it. */
typedef struct result {
    const bench_scenario_t *s;
    const char *name;
    uint64_t limit;
    uint64_t ceiling; /* bytes per second */
    int rc_ours, rc_ref;
    bench_run_t ours, ref;
} result_t;

/* One table row: ceiling, floor, limit, bleota's run, the reference's run. 0 when both
 * runs completed. */
static int row(FILE *f, const bench_scenario_t *s, const opts_t *o, const bench_image_t *img,
               const bench_keys_t *keys, result_t *r)
{
    const bench_link_cfg_t *l = &s->link;
    uint64_t bps = bench_link_ceiling(l);
    uint64_t link_ns = bps ? (uint64_t)img->size * BENCH_NS_PER_S / bps : 0;
    uint64_t floor_ns = bench_flash_floor_ns(&o->dev, img->size);
    uint64_t limit = link_ns > floor_ns ? link_ns : floor_ns;
    bench_run_t *ours = &r->ours, *ref = &r->ref;
    int rc_ours = r->rc_ours = bench_run_bleota(s, &o->dev, &o->stack, img, keys, ours);
    int rc_ref = r->rc_ref = bench_run_reference(s, &o->dev, img, ref);
    r->name = s->name;
    r->s = s;
    r->limit = limit;
    r->ceiling = bps;
    char per[16];
    if (l->max_per_event)
        snprintf(per, sizeof per, "%u", l->max_per_event);
    else
        snprintf(per, sizeof per, "-");
    fprintf(f, "%s | %uM | %u | %u | %.1f | %s | %.1f | %.3f | %.3f | %.3f | ", s->name, l->phy,
            l->ll_payload, l->mtu, l->interval_us / 1000.0, per, bps / 1000.0, sec(link_ns),
            sec(floor_ns), sec(limit));
    if (rc_ours == 0)
        fprintf(f, "%.3f | %.2fx | ", sec(ours->total_ns), (double)ours->total_ns / (double)limit);
    else
        fprintf(f, "failed (%d) | - | ", ours->result);
    if (rc_ref == 0)
        fprintf(f, "%.3f | %.2fx | %u / %u\n", sec(ref->total_ns),
                (double)ref->total_ns / (double)limit, ours->window, ref->window);
    else
        fprintf(f, "failed (%d) | - | %u / -\n", ref->result, ours->window);
    return rc_ours == 0 && rc_ref == 0 ? 0 : -1;
}

static void header(FILE *f, const opts_t *o, const bench_image_t *img)
{
    const bench_dev_cfg_t *d = &o->dev;
    char src[160];
    if (o->insns)
        snprintf(src, sizeof src, "%d value(s) from %s, the rest from the QEMU notes",
                 o->insns_taken, o->insns);
    else
        snprintf(src, sizeof src, "QEMU notes, docs/qemu-cortex-m4-notes.md");
    fprintf(f, "# bleota OTA timing (virtual time)\n\n"
               "Generated by `make bench` (bench/run.sh -> build/bin/bleota-bench); identical on "
               "every run. Model and sources: docs/performance.md.\n\n");
    fprintf(f,
            "Image: %u bytes over the air (%s, AES-128-CBC), "
            "FW_IMG_LEN %u. Device: %.0f MHz, AES %.1f insn/B, SHA-256 %.1f insn/B, DFU + "
            "driver %.1f insn/B, ECDSA "
            "verify %.2f M insn (%s), page erase %u us / %u B, program %u us / %u B, flash %s. "
            "Link encrypted: %s, controller receive buffers: %u.\n\n",
            img->size,
            img->ecdsa == 2 ? "metadata and firmware signed with ECDSA P-256, 2/2"
                            : "metadata signed with ECDSA P-256, firmware SHA-256 digest inside "
                              "it (signed-digest mode, 2/1: bleota image sign --auth ecdsa "
                              "--fw-auth sha256)",
            img->fw_len, d->cpu_hz / 1e6, d->aes_ipk / 1024.0, d->sha_ipk / 1024.0,
            d->prog_ipk / 1024.0, d->ecdsa_insns / 1e6, src, d->erase_us, d->page_size, d->prog_us,
            d->prog_unit, d->flash_blocking ? "stalls the CPU" : "runs beside the CPU (dual panel)",
            o->plain_link ? "no" : "yes", o->rx_bufs ? o->rx_bufs : 8u);
    fprintf(f, "scenario | PHY | LL payload | ATT MTU | interval ms | packets/event | "
               "link ceiling kB/s | image / ceiling s | flash floor s | physical limit s | "
               "bleota s | bleota / limit | reference s | reference / limit | window bleota / ref\n"
               "--- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
               "| ---\n");
}

static void detail(FILE *f, const char *who, const bench_run_t *r)
{
    fprintf(f,
            "  - %s: data phase %.3f s, after the last window %.3f s; %u windows; %llu "
            "connection events, %llu LL fragments to the device, %llu refused (buffers "
            "full); %llu erases, %llu program units (flash busy %.3f s), %llu B decrypted, "
            "%llu B hashed, %llu ECDSA verifications\n",
            who, sec(r->data_ns), sec(r->tail_ns), r->windows, (unsigned long long)r->link.events,
            (unsigned long long)r->link.c2p_frags, (unsigned long long)r->link.nacks,
            (unsigned long long)r->erases, (unsigned long long)r->progs, sec(r->flash_ns),
            (unsigned long long)r->aes_bytes, (unsigned long long)r->sha_bytes,
            (unsigned long long)r->ecdsa);
}

/* The design model of the recommendations (nextdev.h), each scenario as a column. */
/* bleota's stack with the other image format (2/2 when the report uses 2/1, and back). */
static void whatif_other_image(FILE *f, const opts_t *o, uint32_t size, const result_t *res, int n)
{
    bench_image_t img;
    bench_keys_t keys;
    uint8_t other = o->fw_auth == BO_AUTH_SHA256 ? BO_AUTH_ECDSA : BO_AUTH_SHA256;
    if (bench_image_build(size, other, &img, &keys))
        return;
    fprintf(f, "bleota's stack as it is, image %s",
            other == BO_AUTH_ECDSA ? "signed 2/2 (firmware ECDSA too, like Microchip's tool)"
                                   : "in signed-digest mode (2/1)");
    for (int i = 0; i < n; i++) {
        bench_run_t r;
        if (bench_run_bleota(res[i].s, &o->dev, &o->stack, &img, &keys, &r) == 0)
            fprintf(f, " | %.3f s = %.2fx", sec(r.total_ns),
                    (double)r.total_ns / (double)res[i].limit);
        else
            fprintf(f, " | failed (%d)", r.result);
    }
    fprintf(f, "\n");
    bench_image_free(&img);
}

static void whatif(FILE *f, const opts_t *o, const bench_image_t *img, const bench_keys_t *keys,
                   const result_t *res, int n)
{
    char wbuf[48];
    if (o->next.window)
        snprintf(wbuf, sizeof wbuf, "%u B", o->next.window);
    else
        snprintf(wbuf, sizeof wbuf, "256 x (MTU - 3) up to 65520 B, as otas");
    static const char *const names[] = {
        "firmware digest in the signed metadata (no ECDSA at Complete)",
        "one firmware ECDSA verification at Complete",
        "firmware digest, but flash in line (erase on entering a page, CPU waits)",
    };
    fprintf(f,
            "\nWhat the recommendations buy: a design model of the recommended device "
            "behaviour (bench/nextdev.c, not bleota's code; bleota's stack now does the same): "
            "window %s, %u B staging RAM, flash working beside the CPU with erase-ahead, "
            "AES + SHA-256 while streaming, metadata signature checked in idle time; then "
            "bleota's stack with another image format or window. Ratio to the same physical "
            "limit.\n\n"
            "design variant",
            wbuf, o->next.staging);
    for (int i = 0; i < n; i++)
        fprintf(f, " | %s", res[i].name);
    fprintf(f, "\n---");
    for (int i = 0; i < n; i++)
        fprintf(f, " | ---");
    fprintf(f, "\n");
    for (int v = 0; v < 3; v++) {
        bench_next_cfg_t cfg = o->next;
        cfg.fw_check = v == 1 ? BENCH_FW_ECDSA : BENCH_FW_DIGEST;
        cfg.inline_flash = v == 2;
        fprintf(f, "%s", names[v]);
        for (int i = 0; i < n; i++) {
            bench_run_t r;
            if (bench_run_next(res[i].s, &o->dev, &cfg, img, &r) == 0)
                fprintf(f, " | %.3f s = %.2fx", sec(r.total_ns),
                        (double)r.total_ns / (double)res[i].limit);
            else
                fprintf(f, " | failed (%d)", r.result);
        }
        fprintf(f, "\n");
    }
    whatif_other_image(f, o, img->size, res, n);
    fprintf(f, "bleota's stack as it is, but a fixed 4096-byte window (bo_ota_cfg_t.window)");
    for (int i = 0; i < n; i++) {
        bench_stack_cfg_t st = o->stack;
        bench_run_t r;
        st.window = 4096;
        if (bench_run_bleota(res[i].s, &o->dev, &st, img, keys, &r) == 0)
            fprintf(f, " | %.3f s = %.2fx", sec(r.total_ns),
                    (double)r.total_ns / (double)res[i].limit);
        else
            fprintf(f, " | failed (%d)", r.result);
    }
    fprintf(f, "\n");
}

static void details(FILE *f, const result_t *res, int n)
{
    fprintf(f, "\nWhere the time goes (the data phase runs from the first OTA Data write to the "
               "last window acknowledgement; after it come Update Complete, validation and the "
               "answer):\n\n");
    for (int i = 0; i < n; i++) {
        const bench_link_cfg_t *l = &res[i].s->link;
        /* the ceiling in packets: how many MTU-3 writes one connection event carries */
        double per_event = (double)res[i].ceiling * l->interval_us / 1e6 / (l->mtu - 3u);
        fprintf(f, "- %s (link ceiling: %.2f writes of %u B per %.1f ms event)\n", res[i].name,
                per_event, l->mtu - 3u, l->interval_us / 1000.0);
        detail(f, "bleota", &res[i].ours);
        detail(f, "reference", &res[i].ref);
    }
}

int main(int argc, char **argv)
{
    opts_t o;
    memset(&o, 0, sizeof o);
    o.image_kib = 480;
    o.fw_auth = BO_AUTH_SHA256;
    o.next.staging = 4096;
    bench_dev_defaults(&o.dev);
    /* the counts file first, so that explicit options override what it says */
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--insns"))
            o.insns = argv[i + 1];
    if (o.insns && (o.insns_taken = bench_dev_load_insns(&o.dev, o.insns)) < 0) {
        fprintf(stderr, "bleota-bench: cannot read %s\n", o.insns);
        return 2;
    }
    if (parse(argc, argv, &o)) {
        usage();
        return 2;
    }
    bench_image_t img;
    bench_keys_t keys;
    if (o.stack.window % 16u || o.stack.window > 65520u || o.next.window % 16u ||
        o.next.window > 65520u || o.next.staging < 16u) {
        fprintf(stderr, "bleota-bench: windows are multiples of 16 up to 65520, staging >= 16\n");
        return 2;
    }
    if (o.image_kib == 0 || o.dev.cpu_hz == 0 || o.dev.page_size == 0 || o.dev.prog_unit == 0 ||
        bench_image_build(o.image_kib * KIB, o.fw_auth, &img, &keys)) {
        fprintf(stderr, "bleota-bench: bad image size or device figures\n");
        return 2;
    }
    for (int i = 0; i < 3; i++) {
        const char *why;
        apply(&o, &scenarios[i].link);
        if (bench_link_check(&scenarios[i].link, &why)) {
            fprintf(stderr, "bleota-bench: %s\n", why);
            return 2;
        }
    }
    FILE *f = o.out ? fopen(o.out, "w") : stdout;
    if (!f) {
        perror(o.out);
        return 2;
    }
    header(f, &o, &img);
    int rc = 0, n = 0;
    result_t res[3];
    for (int i = 0; i < 3; i++)
        if (!o.any_only || o.only[i])
            rc |= row(f, &scenarios[i], &o, &img, &keys, &res[n++]);
    whatif(f, &o, &img, &keys, res, n);
    details(f, res, n);
    if (f != stdout)
        fclose(f);
    bench_image_free(&img);
    return rc ? 1 : 0;
}
