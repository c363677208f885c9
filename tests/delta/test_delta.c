/* delta: the host encoder and the device decoder agree on real and made-up image pairs, fed in
 * any split, resumed at any block boundary; the decoder keeps its bounds on damaged patches. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bleota/crypto.h"
#include "bleota/delta.h"
#include "bleota/endian.h"
#include "bleota/img.h"
#include "delta_enc.h"

typedef struct {
    const uint8_t *base;
    uint32_t base_len;
    uint8_t *out;
    uint32_t out_len, out_cap;
    uint32_t base_reads_outside;
} sink_t;

static int read_base(void *ctx, uint32_t off, uint8_t *buf, uint32_t len)
{
    sink_t *s = ctx;
    if (off > s->base_len || len > s->base_len - off) {
        s->base_reads_outside++;
        return BO_ERR_RANGE;
    }
    memcpy(buf, s->base + off, len);
    return BO_OK;
}

static int write_out(void *ctx, const uint8_t *data, uint32_t len)
{
    sink_t *s = ctx;
    assert_true(s->out_len + len <= s->out_cap);
    memcpy(s->out + s->out_len, data, len);
    s->out_len += len;
    return BO_OK;
}

static uint8_t *make(const uint8_t *base, uint32_t blen, const uint8_t *target, uint32_t tlen,
                     size_t *plen)
{
    bo_delta_hdr_t h = {0};
    uint8_t *patch = NULL;
    char err[200] = "";
    bo_delta_stats_t st;
    assert_int_equal(bo_delta_make(base, blen, target, tlen, &h, &patch, plen, &st, err,
                                   sizeof err), 0);
    return patch;
}

/* Applies patch[from..] in pieces of `step` bytes (0: random 1..7) from a block boundary. */
static int apply_from(const uint8_t *patch, size_t plen, sink_t *s, uint32_t in_off,
                      uint32_t out_off, unsigned step)
{
    bo_delta_hdr_t h;
    bo_delta_t d;
    bo_delta_io_t io = {read_base, write_out, s};
    int rc = bo_delta_hdr_parse(patch, &h);
    if (rc != BO_OK) {
        return rc;
    }
    rc = bo_delta_begin(&d, &h, &io, in_off, out_off);
    if (rc != BO_OK) {
        return rc;
    }
    for (size_t i = in_off; i < plen && rc == BO_OK;) {
        size_t n = step ? step : 1u + (size_t)rand() % 7u;
        n = n < plen - i ? n : plen - i;
        rc = bo_delta_feed(&d, patch + i, n);
        i += n;
    }
    return rc == BO_OK ? bo_delta_finish(&d) : rc;
}

static void roundtrip(const uint8_t *base, uint32_t blen, const uint8_t *target, uint32_t tlen,
                      size_t *plen_out)
{
    size_t plen;
    uint8_t *patch = make(base, blen, target, tlen, &plen);
    sink_t s = {base, blen, malloc(tlen), 0, tlen, 0};
    static const unsigned steps[] = {1, 0, 244, 4096, 100000};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        s.out_len = 0;
        assert_int_equal(apply_from(patch, plen, &s, BO_DELTA_HDR_SIZE, 0, steps[k]), BO_OK);
        assert_int_equal(s.out_len, tlen);
        assert_memory_equal(s.out, target, tlen);
    }
    free(s.out);
    free(patch);
    if (plen_out != NULL) {
        *plen_out = plen;
    }
}

static uint8_t *load_ota_image(const char *name, uint32_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/delta/%s", BO_FIXTURES, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t buf[1u << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 16u + 512u && (n - 16u) % 16u == 0u);
    static const uint8_t key[16] = {0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11,
                                    0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
    static const uint8_t iv[16] = {0};
    bo_aes_cbc_t aes;
    uint8_t *img = malloc(n - 16u);
    assert_int_equal(bo_aes_cbc_init(&aes, key, iv, 1), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&aes, buf + 16, img, n - 16u), BO_OK);
    bo_aes_cbc_free(&aes);
    /* the signed image: its header and FW_IMG_LEN bytes of firmware (then the padding block) */
    uint32_t fw_len = bo_get_le32(img + BO_MD_OFF_FW_LEN);
    assert_true(fw_len > 0u && BO_MD_SIZE + fw_len <= n - 16u);
    *len = BO_MD_SIZE + fw_len;
    return img;
}

static void delta_rebuilds_the_real_microchip_pair_in_any_split(void **state)
{
    uint32_t blen, tlen;
    uint8_t *base = load_ota_image("sensor_2023-09.ota.bin", &blen);
    uint8_t *target = load_ota_image("sensor_2023-12.ota.bin", &tlen);
    size_t plen;
    roundtrip(base, blen, target, tlen, &plen);
    printf("real pair: %u -> %u bytes, patch %zu bytes\n", blen, tlen, plen);
    free(base);
    free(target);
}

static void fill_code_like(uint8_t *p, uint32_t n, uint32_t seed)
{
    srand(seed);
    for (uint32_t i = 0; i < n; i++) {
        p[i] = (uint8_t)((i % 4u == 3u) ? 0x20 + rand() % 8 : rand());
    }
}

static void delta_rebuilds_made_up_pairs(void **state)
{
    enum { N = 60000 };
    uint8_t *a = malloc(N), *b = malloc(N + 5000);
    fill_code_like(a, N, 1);
    /* a changed word, an insertion, a shifted tail, a new tail */
    memcpy(b, a, 20000);
    b[1000] ^= 0x55;
    memset(b + 20000, 0x77, 300);
    memcpy(b + 20300, a + 20000, N - 20000);
    for (uint32_t i = 30000; i < N; i += 64) {
        b[i] = (uint8_t)(b[i] + 4);
    }
    fill_code_like(b + N + 300, 4700, 9);
    roundtrip(a, N, b, N + 5000, NULL);
    roundtrip(a, N, a, N, NULL);                 /* identical */
    roundtrip(a, N, b + 100, 1, NULL);           /* one byte */
    roundtrip(NULL, 0, b, 5000, NULL);           /* no base: extra bytes only */
    fill_code_like(b, N, 2);
    roundtrip(a, N, b, N, NULL);                 /* unrelated */
    free(a);
    free(b);
}

static void delta_resumes_at_every_block_boundary(void **state)
{
    uint32_t blen, tlen;
    uint8_t *base = load_ota_image("sensor_2023-09.ota.bin", &blen);
    uint8_t *target = load_ota_image("sensor_2023-12.ota.bin", &tlen);
    size_t plen;
    uint8_t *patch = make(base, blen, target, tlen, &plen);
    sink_t s = {base, blen, malloc(tlen), 0, tlen, 0};
    /* record the output offset at every boundary during one run */
    bo_delta_hdr_t h;
    bo_delta_t d;
    bo_delta_io_t io = {read_base, write_out, &s};
    assert_int_equal(bo_delta_hdr_parse(patch, &h), BO_OK);
    assert_int_equal(bo_delta_begin(&d, &h, &io, BO_DELTA_HDR_SIZE, 0), BO_OK);
    uint32_t bounds[256], outs[256], nb = 0;
    for (size_t i = BO_DELTA_HDR_SIZE; i < plen; i++) {
        assert_int_equal(bo_delta_feed(&d, patch + i, 1), BO_OK);
        if ((i + 1u) % BO_DELTA_BLOCK == 0u) {
            assert_true(bo_delta_at_boundary(&d));
            assert_true(nb < 256u);
            bounds[nb] = (uint32_t)(i + 1u);
            outs[nb++] = s.out_len;
        }
    }
    assert_int_equal(bo_delta_finish(&d), BO_OK);
    assert_true(nb > 0u);
    for (uint32_t k = 0; k < nb; k++) { /* a fresh decoder from each boundary finishes the image */
        s.out_len = outs[k];
        memset(s.out + outs[k], 0, tlen - outs[k]);
        assert_int_equal(apply_from(patch, plen, &s, bounds[k], outs[k], 0), BO_OK);
        assert_memory_equal(s.out, target, tlen);
    }
    free(s.out);
    free(patch);
    free(base);
    free(target);
}

static void delta_damaged_patch_stays_in_bounds(void **state)
{
    enum { N = 20000 };
    uint8_t *a = malloc(N), *b = malloc(N);
    fill_code_like(a, N, 3);
    memcpy(b, a, N);
    for (uint32_t i = 0; i < N; i += 97) {
        b[i] ^= 1;
    }
    size_t plen;
    uint8_t *patch = make(a, N, b, N, &plen);
    uint8_t *bad = malloc(plen);
    sink_t s = {a, N, malloc(N), 0, N, 0};
    srand(5);
    for (int round = 0; round < 2000; round++) {
        memcpy(bad, patch, plen);
        for (int k = 0; k < 1 + round % 4; k++) {
            size_t at = BO_DELTA_HDR_SIZE + (size_t)rand() % (plen - BO_DELTA_HDR_SIZE);
            bad[at] ^= (uint8_t)(1u << (rand() % 8));
        }
        s.out_len = 0;
        int rc = apply_from(bad, plen, &s, BO_DELTA_HDR_SIZE, 0, 0);
        assert_true(rc == BO_OK || rc == BO_ERR_FORMAT);
        assert_true(s.out_len <= N);
        assert_int_equal(s.base_reads_outside, 0);
    }
    /* a truncated patch never finishes */
    s.out_len = 0;
    bo_delta_hdr_t h;
    bo_delta_t d;
    bo_delta_io_t io = {read_base, write_out, &s};
    assert_int_equal(bo_delta_hdr_parse(patch, &h), BO_OK);
    assert_int_equal(bo_delta_begin(&d, &h, &io, BO_DELTA_HDR_SIZE, 0), BO_OK);
    assert_int_equal(bo_delta_feed(&d, patch + BO_DELTA_HDR_SIZE, plen - BO_DELTA_HDR_SIZE - 1u),
                     BO_OK);
    assert_int_equal(bo_delta_finish(&d), BO_ERR_FORMAT);
    /* a header with one bit changed is refused */
    patch[9] ^= 4;
    assert_int_equal(bo_delta_hdr_parse(patch, &h), BO_ERR_FORMAT);
    free(s.out);
    free(bad);
    free(patch);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(delta_rebuilds_made_up_pairs),
        cmocka_unit_test(delta_rebuilds_the_real_microchip_pair_in_any_split),
        cmocka_unit_test(delta_resumes_at_every_block_boundary),
        cmocka_unit_test(delta_damaged_patch_stays_in_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
