/* Fuzz target: the link frame reassembler. The input is a byte stream; the first byte seeds
 * how it is cut into pushes. Property: the frames (and the first error) are the same as when
 * the whole stream is pushed at once, and no frame is empty or longer than allowed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bleota/att.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FRAMES_MAX 64

typedef struct result {
    int n;
    uint16_t len[FRAMES_MAX];
    uint32_t sum[FRAMES_MAX]; /* a cheap content digest */
    int err;
} result_t;

static void take(bo_link_rx_t *rx, const uint8_t *p, uint32_t len, result_t *r)
{
    uint32_t used;
    while (len > 0 && r->err == 0 && r->n < FRAMES_MAX) {
        int f = bo_link_rx_push(rx, p, len, &used);
        if (used > len || (used == 0 && f == 0))
            abort();
        p += used;
        len -= used;
        if (f < 0) {
            r->err = f;
        } else if (f > 0) {
            uint32_t s = 0;
            int k;
            if (f > (int)BO_LINK_FRAME_MAX)
                abort();
            for (k = 0; k < f; k++)
                s = s * 31u + rx->buf[k];
            r->len[r->n] = (uint16_t)f;
            r->sum[r->n++] = s;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bo_link_rx_t a, b;
    result_t whole, split;
    uint32_t seed, off = 1;
    if (size < 1)
        return 0;
    memset(&whole, 0, sizeof whole);
    memset(&split, 0, sizeof split);
    bo_link_rx_init(&a);
    bo_link_rx_init(&b);
    take(&a, data + 1, (uint32_t)(size - 1), &whole);
    seed = data[0] * 2654435761u + 1u;
    while (off < size) {
        uint32_t piece;
        seed = seed * 1103515245u + 12345u;
        piece = 1u + (seed >> 16) % 7u;
        if (piece > size - off)
            piece = (uint32_t)(size - off);
        take(&b, data + off, piece, &split);
        off += piece;
    }
    if (whole.n != split.n || whole.err != split.err ||
        memcmp(whole.len, split.len, sizeof whole.len) != 0 ||
        memcmp(whole.sum, split.sum, sizeof whole.sum) != 0)
        abort();
    return 0;
}
