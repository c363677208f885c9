/* Link framing: the reassembler yields the same frames for every split of the stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "bleota/att.h"

/* Three frames: a control message, a short ATT PDU and a full 517-byte one. */
static uint8_t stream[2 + 2 + 2 + 3 + 2 + BO_LINK_FRAME_MAX];
static uint32_t stream_len;
static const uint16_t frame_len[3] = {2, 3, BO_LINK_FRAME_MAX};

static void build_stream(void)
{
    uint32_t n = 0, i;
    int f;
    for (f = 0; f < 3; f++) {
        assert_int_equal(bo_link_hdr(&stream[n], frame_len[f]), BO_OK);
        n += 2;
        for (i = 0; i < frame_len[f]; i++)
            stream[n + i] = (uint8_t)(f * 50 + i * 7);
        n += frame_len[f];
    }
    stream[2] = BO_LINK_CTRL;
    stream_len = n;
}

/* Feeds stream[from..to) and checks every completed frame; returns frames completed. */
static int feed(bo_link_rx_t *rx, uint32_t from, uint32_t to, int *next_frame, uint32_t *offs)
{
    int got = 0;
    while (from < to) {
        uint32_t used;
        int n = bo_link_rx_push(rx, &stream[from], to - from, &used);
        assert_true(used > 0 || from == to);
        assert_true(n >= 0);
        from += used;
        if (n > 0) {
            assert_int_equal(n, frame_len[*next_frame]);
            assert_memory_equal(rx->buf, &stream[*offs + 2], (size_t)n);
            *offs += 2u + (uint32_t)n;
            (*next_frame)++;
            got++;
        }
    }
    return got;
}

static void att_frame_every_two_cut_split_yields_the_same_frames(void **state)
{
    static bo_link_rx_t rx;
    uint32_t a, b;
    build_stream();
    for (a = 0; a <= stream_len; a += 1) {
        for (b = a; b <= stream_len; b += (a < 16 || a > stream_len - 16) ? 1 : 37) {
            int next = 0, got = 0;
            uint32_t offs = 0;
            bo_link_rx_init(&rx);
            got += feed(&rx, 0, a, &next, &offs);
            got += feed(&rx, a, b, &next, &offs);
            got += feed(&rx, b, stream_len, &next, &offs);
            assert_int_equal(got, 3);
        }
    }
}

static void att_frame_byte_by_byte_yields_the_same_frames(void **state)
{
    static bo_link_rx_t rx;
    uint32_t i;
    int next = 0, got = 0;
    uint32_t offs = 0;
    build_stream();
    bo_link_rx_init(&rx);
    for (i = 0; i < stream_len; i++)
        got += feed(&rx, i, i + 1, &next, &offs);
    assert_int_equal(got, 3);
}

static void att_frame_length_zero_or_too_long_breaks_the_stream(void **state)
{
    static bo_link_rx_t rx;
    uint8_t zero[3] = {0, 0, 1};
    uint8_t big[2] = {(uint8_t)(BO_LINK_FRAME_MAX + 1), (uint8_t)((BO_LINK_FRAME_MAX + 1) >> 8)};
    uint32_t used;
    bo_link_rx_init(&rx);
    assert_int_equal(bo_link_rx_push(&rx, zero, 3, &used), BO_ERR_FORMAT);
    assert_int_equal(used, 2);
    bo_link_rx_init(&rx);
    assert_int_equal(bo_link_rx_push(&rx, big, 1, &used), 0);
    assert_int_equal(bo_link_rx_push(&rx, big + 1, 1, &used), BO_ERR_FORMAT);
}

static void att_frame_header_refuses_empty_and_oversized_frames(void **state)
{
    uint8_t h[2];
    assert_int_equal(bo_link_hdr(h, 0), BO_ERR_RANGE);
    assert_int_equal(bo_link_hdr(h, BO_LINK_FRAME_MAX + 1), BO_ERR_RANGE);
    assert_int_equal(bo_link_hdr(h, 0x0123), BO_OK);
    assert_int_equal(h[0], 0x23);
    assert_int_equal(h[1], 0x01);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(att_frame_every_two_cut_split_yields_the_same_frames),
        cmocka_unit_test(att_frame_byte_by_byte_yields_the_same_frames),
        cmocka_unit_test(att_frame_length_zero_or_too_long_breaks_the_stream),
        cmocka_unit_test(att_frame_header_refuses_empty_and_oversized_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
