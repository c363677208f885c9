/* bleota-bench: OTA time against the link limit, in virtual time (docs/performance.md).
 * Per scenario: bleota's client with the shipped device (bo_ota_att, its defaults, single-bank
 * BZ2 flash), the same with a 2/2 image, a Microchip-like stock client on the same device, and
 * Microchip's server behaviour; then labelled variants. Writes Markdown (--out) and JSON
 * (--json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/img.h"
#include "image.h"
#include "realdev.h"
#include "report.h"
#include "scenario.h"
#include "stockcli.h"

#define KIB 1024u
#define RX_BUFS_DEFAULT 8u

typedef struct opts {
    uint32_t image_kib;
    const char *out, *json;
    const char *insns;
    int insns_taken;
    bool only[3];
    bool any_only;
    bool print_config;
    bench_dev_cfg_t dev;
    bench_stack_cfg_t stack;
    bench_client_t client;
    /* link overrides, applied to every selected scenario; 0 = the scenario's own */
    uint32_t phy, ll, mtu, interval_us, per_event, rx_bufs, latency_us, txq, wait_ms;
    int per_event_set, plain_link, flash_set;
    uint8_t fw_auth; /* BO_AUTH_SHA256 (signed-digest mode) or BO_AUTH_ECDSA (2/2) */
    /* a given OTA file instead of the generated image (bench/delta): --ota, --base, keys */
    const char *ota, *base, *aes_key, *aes_iv, *pubkey;
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
          "  --fw-auth digest|ecdsa  image: firmware digest in the ECDSA-signed metadata\n"
          "                     (default, as `bleota image sign`), or 2/2 (Microchip's tool)\n"
          "  --out FILE         Markdown report (default stdout)  --json FILE  JSON report\n"
          "  --print-device-config  print the bench device's OTA configuration\n"
          "                     (bo_ota_cfg_describe) and exit\n"
          " link (override every selected scenario):\n"
          "  --phy 1|2  --ll N (27..251)  --mtu N  --interval-us N  --per-event N (0 = no limit)\n"
          "  --rx-bufs N (controller receive buffers, default 8)  --latency-us N (central)\n"
          "  --plain-link       no link encryption (no MIC)\n"
          " central:\n"
          "  --txq N            the central stack's TX queue, ATT packets (default 12)\n"
          "  --stock-wait-ms N  stock client's wait per acknowledgement (default 5000)\n"
          " device:\n"
          "  --cpu-hz N  --aes-ipk N  --sha-ipk N  --ecdsa-insns N  --pdu-insns N  --copy-ipk N\n"
          "  --prog-ipk N       DFU writer + flash driver, instructions per KiB programmed\n"
          "  --insns FILE       instruction counts from the QEMU benchmark (name value lines)\n"
          "  --erase-us N  --prog-us N  --page N  --unit N\n"
          "  --dual-panel       flash beside the CPU (not the BZ2); default: single bank, every\n"
          "                     flash operation stalls the CPU  (--single-bank: the default)\n"
          "  --window N         fixed Max_Fragmented_Image_Size (not the shipped default)\n"
          " a given update instead of the generated image (bench/delta/run.sh):\n"
          "  --ota FILE         the OTA file bleota's client sends to the shipped device\n"
          "  --base FILE        a signed image the device runs (slot 0): a delta patch's base\n"
          "  --aes-key HEX --aes-iv HEX --pubkey HEX  the device's keys (128 hex digits: X||Y)\n"
          "                     prints `ota SCENARIO SECONDS` per scenario\n",
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
        {"--txq", &o->txq},
        {"--stock-wait-ms", &o->wait_ms},
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
        } else if (!strcmp(a, "--dual-panel")) {
            o->dev.single_bank = false;
            o->flash_set = 1;
        } else if (!strcmp(a, "--single-bank")) {
            o->dev.single_bank = true;
        } else if (!strcmp(a, "--print-device-config")) {
            o->print_config = true;
        } else if (!strcmp(a, "--out") && i + 1 < argc) {
            o->out = argv[++i];
        } else if (!strcmp(a, "--json") && i + 1 < argc) {
            o->json = argv[++i];
        } else if (!strcmp(a, "--fw-auth") && i + 1 < argc) {
            const char *m = argv[++i];
            if (strcmp(m, "digest") && strcmp(m, "ecdsa"))
                return -1;
            o->fw_auth = !strcmp(m, "digest") ? BO_AUTH_SHA256 : BO_AUTH_ECDSA;
        } else if (!strcmp(a, "--ota") && i + 1 < argc) {
            o->ota = argv[++i];
        } else if (!strcmp(a, "--base") && i + 1 < argc) {
            o->base = argv[++i];
        } else if (!strcmp(a, "--aes-key") && i + 1 < argc) {
            o->aes_key = argv[++i];
        } else if (!strcmp(a, "--aes-iv") && i + 1 < argc) {
            o->aes_iv = argv[++i];
        } else if (!strcmp(a, "--pubkey") && i + 1 < argc) {
            o->pubkey = argv[++i];
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
    l->rx_bufs = o->rx_bufs ? (uint16_t)o->rx_bufs : RX_BUFS_DEFAULT;
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

/* A scenario with another receive buffer count. */
static bench_scenario_t with_rx(const bench_scenario_t *s, uint16_t rx)
{
    bench_scenario_t v = *s;
    v.link.rx_bufs = rx;
    return v;
}

/* Runs everything one scenario reports. 0 when the four main runs succeeded. */
static int measure(const opts_t *o, const bench_scenario_t *s, const bench_image_t *img,
                   const bench_image_t *img22, const bench_keys_t *keys, bench_row_t *r)
{
    bench_client_t otac = o->client, stock = o->client;
    otac.kind = BENCH_CLIENT_OTAC;
    stock.kind = BENCH_CLIENT_STOCK;
    memset(r, 0, sizeof *r);
    r->s = s;
    r->ceiling = bench_link_ceiling(&s->link);
    r->link_ns = r->ceiling ? (uint64_t)img->size * BENCH_NS_PER_S / r->ceiling : 0;
    r->floor_ns = bench_flash_floor_ns(&o->dev, img->size);
    r->rc_bleota = bench_run_bleota(s, &o->dev, &o->stack, img, keys, &otac, &r->bleota);
    r->rc_22 = bench_run_bleota(s, &o->dev, &o->stack, img22, keys, &otac, &r->bleota22);
    r->rc_stock = bench_run_bleota(s, &o->dev, &o->stack, img, keys, &stock, &r->stock);
    r->rc_ref = bench_run_reference(s, &o->dev, img, &otac, &r->ref);
    /* labelled variants: one change each */
    bench_dev_cfg_t other = o->dev;
    other.single_bank = !o->dev.single_bank;
    r->rc_var[BENCH_VAR_FLASH] =
        bench_run_bleota(s, &other, &o->stack, img, keys, &otac, &r->var[BENCH_VAR_FLASH]);
    uint16_t rx = s->link.rx_bufs;
    r->var_rx[BENCH_VAR_RX_LO] = rx > 1 ? (uint16_t)(rx / 2u) : 1u;
    r->var_rx[BENCH_VAR_RX_HI] = rx * 2u <= BENCH_RXQ ? (uint16_t)(rx * 2u) : BENCH_RXQ;
    for (int v = BENCH_VAR_RX_LO; v <= BENCH_VAR_RX_HI; v++) {
        bench_scenario_t sv = with_rx(s, r->var_rx[v]);
        r->rc_var[v] = bench_run_bleota(&sv, &o->dev, &o->stack, img, keys, &otac, &r->var[v]);
    }
    r->rc_var[BENCH_VAR_STOCK_REF] =
        bench_run_reference(s, &o->dev, img, &stock, &r->var[BENCH_VAR_STOCK_REF]);
    return r->rc_bleota || r->rc_22 || r->rc_stock || r->rc_ref ? -1 : 0;
}

static int hex(const char *t, uint8_t *out, size_t n)
{
    if (t == NULL || strlen(t) != 2u * n)
        return -1;
    for (size_t i = 0; i < 2u * n; i++) {
        char c = t[i];
        int v = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0)
            return -1;
        out[i / 2u] = (uint8_t)((i % 2u) ? (out[i / 2u] | v) : (v << 4));
    }
    return 0;
}

static uint8_t *slurp(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static const uint32_t max = 1u << 20;
    uint8_t *buf = malloc(max);
    size_t n = buf ? fread(buf, 1, max, f) : 0;
    fclose(f);
    *len = (uint32_t)n;
    return buf;
}

/* --ota: bleota's client sends the given OTA file to the shipped device (slot 0 holding
 * --base), once per selected scenario; `ota SCENARIO SECONDS` lines. */
static int run_file(const opts_t *o)
{
    bench_image_t img = {0};
    bench_keys_t keys;
    bo_ota_hdr_t h;
    uint32_t flen = 0, blen = 0;
    uint8_t *file = slurp(o->ota, &flen), *base = o->base ? slurp(o->base, &blen) : NULL;
    if (!file || flen <= BO_OTA_HDR_SIZE || bo_ota_hdr_parse(file, &h) != BO_OK ||
        (o->base && !base) || hex(o->aes_key, keys.aes_key, 16) || hex(o->aes_iv, keys.aes_iv, 16) ||
        hex(o->pubkey, keys.pub, 64)) {
        fprintf(stderr, "bleota-bench: --ota needs an OTA file, --aes-key, --aes-iv, --pubkey "
                        "(hex) and a readable --base\n");
        free(file), free(base);
        return 2;
    }
    img.payload = file + BO_OTA_HDR_SIZE;
    img.size = flen - BO_OTA_HDR_SIZE;
    img.image_id = h.image_id;
    img.version = h.version;
    img.enc = h.enc;
    img.base = base;
    img.base_len = blen;
    bench_client_t otac = o->client;
    otac.kind = BENCH_CLIENT_OTAC;
    int rc = 0;
    for (int i = 0; i < 3; i++) {
        if (o->any_only && !o->only[i])
            continue;
        bench_run_t r;
        if (bench_run_bleota(&scenarios[i], &o->dev, &o->stack, &img, &keys, &otac, &r) != 0) {
            fprintf(stderr, "bleota-bench: %s: %s\n", scenarios[i].name, r.why);
            rc = 1;
            continue;
        }
        printf("ota %s %.3f\n", scenarios[i].name, (double)r.total_ns / 1e9);
    }
    free(file), free(base);
    return rc;
}

int main(int argc, char **argv)
{
    static opts_t o;
    static bench_report_t rep;
    memset(&o, 0, sizeof o);
    o.image_kib = 480;
    o.fw_auth = BO_AUTH_SHA256;
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
    if (o.stack.window % 16u || o.stack.window > 65520u) {
        fprintf(stderr, "bleota-bench: the window is a multiple of 16 up to 65520\n");
        return 2;
    }
    if (o.print_config) {
        char line[512];
        bench_bleota_describe(&o.stack, line, sizeof line);
        printf("%s\n", line);
        return 0;
    }
    if (o.txq > BENCH_TXQ) {
        fprintf(stderr, "bleota-bench: --txq must be 1..%u\n", BENCH_TXQ);
        return 2;
    }
    o.client.txq = (uint16_t)(o.txq ? o.txq : BENCH_STOCK_TXQ_DEFAULT);
    o.client.wait_ms = o.wait_ms ? o.wait_ms : BENCH_STOCK_WAIT_MS_DEFAULT;
    if (o.ota) {
        for (int i = 0; i < 3; i++)
            apply(&o, &scenarios[i].link);
        return run_file(&o);
    }
    static bench_image_t img, img22;
    bench_keys_t keys, keys22;
    if (o.image_kib == 0 || o.dev.cpu_hz == 0 || o.dev.page_size == 0 || o.dev.prog_unit == 0 ||
        bench_image_build(o.image_kib * KIB, o.fw_auth, &img, &keys) ||
        bench_image_build(o.image_kib * KIB, BO_AUTH_ECDSA, &img22, &keys22)) {
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
    FILE *j = NULL;
    if (o.json && !(j = fopen(o.json, "w"))) {
        perror(o.json);
        return 2;
    }
    rep.dev = &o.dev;
    rep.stack = &o.stack;
    rep.client = &o.client;
    rep.img = &img;
    rep.img22 = &img22;
    rep.insns = o.insns;
    rep.insns_taken = o.insns_taken;
    rep.plain_link = o.plain_link;
    rep.rx_bufs = o.rx_bufs ? (uint16_t)o.rx_bufs : RX_BUFS_DEFAULT;
    rep.latency_us = o.latency_us;
    rep.shipped = o.stack.window == 0 && o.dev.single_bank;
    bench_bleota_describe(&o.stack, rep.describe, sizeof rep.describe);
    int rc = 0;
    for (int i = 0; i < 3; i++)
        if (!o.any_only || o.only[i])
            rc |= measure(&o, &scenarios[i], &img, &img22, &keys, &rep.rows[rep.n++]);
    bench_report_md(f, &rep);
    if (j) {
        bench_report_json(j, &rep);
        fclose(j);
    }
    if (f != stdout)
        fclose(f);
    bench_image_free(&img);
    bench_image_free(&img22);
    return rc ? 1 : 0;
}
