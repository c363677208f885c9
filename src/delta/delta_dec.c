/* The patch decoder: a state machine fed any split of the patch, one byte at a time through
 * the range decoder, so that neither the patch nor a window of the image is held in RAM
 * (docs/delta.md). Work per patch byte is bounded: a probability never leaves [31, 65505] of
 * 65536, so a bit shrinks the range by at most 2^11 (two bytes in) and by at least 2^-0.0007,
 * so a byte is taken every ~11 000 bits at most; past a block's payload only
 * BO_DELTA_VIRT_MAX zero bytes may be read. */
#include <string.h>

#include "bleota/delta.h"
#include "delta_model.h"

enum {
    S_BHDR,  /* block header bytes */
    S_INIT,  /* the range decoder's five start bytes */
    S_MORE,  /* another triple in this block? */
    S_NUM,   /* x, y or z */
    S_FLAG,  /* is this difference byte zero? */
    S_TREE,  /* a byte's eight bits: difference (x > 0) or extra */
    S_SKIP,  /* after the block's last triple: to the block boundary */
    S_DONE   /* after the patch: bytes ignored (padding) */
};

enum { K_X, K_Y, K_Z };

#define BO_DELTA_VIRT_MAX 8u

static int fail(bo_delta_t *d, int err)
{
    if (d->err == BO_OK) {
        d->err = err;
    }
    return d->err;
}

static void reset_models(bo_delta_t *d)
{
    for (uint32_t i = 0; i < BO_DELTA_PROBS; i++) {
        d->probs[i] = BO_DELTA_P_HALF;
    }
    d->hist = 0;
}

/* The byte the range decoder shifts in next: a payload byte, or a zero past the payload. */
static bool next_byte(bo_delta_t *d, uint8_t *b)
{
    if (d->have) {
        d->have = false;
        *b = d->pend;
        return true;
    }
    if (d->left == 0u && d->virt < BO_DELTA_VIRT_MAX) {
        d->virt++;
        *b = 0;
        return true;
    }
    if (d->left == 0u) {
        fail(d, BO_ERR_FORMAT); /* the payload ended long before its last triple */
    }
    return false;
}

/* One bit with probability slot p; false when a byte is needed first (the range stays
 * normalised as far as the bytes went). */
static bool bit(bo_delta_t *d, uint32_t p, uint32_t *out)
{
    while (d->range < BO_DELTA_RANGE_TOP) { /* a byte at a time: resumable in between */
        uint8_t b;
        if (!next_byte(d, &b)) {
            return false;
        }
        d->range <<= 8;
        d->code = (d->code << 8) | b;
    }
    uint16_t *prob = &d->probs[p];
    uint32_t bound = (d->range >> BO_DELTA_P_BITS) * *prob;
    if (d->code < bound) {
        d->range = bound;
        *prob = (uint16_t)(*prob + ((BO_DELTA_P_ONE - *prob) >> BO_DELTA_P_MOVE));
        *out = 0;
    } else {
        d->range -= bound;
        d->code -= bound;
        *prob = (uint16_t)(*prob - (*prob >> BO_DELTA_P_MOVE));
        *out = 1;
    }
    return true;
}

static int flush_out(bo_delta_t *d)
{
    if (d->out_n > 0u) {
        int rc = d->io.write(d->io.ctx, d->out, d->out_n);
        d->out_n = 0;
        if (rc != BO_OK) {
            return fail(d, rc);
        }
    }
    return BO_OK;
}

static int emit(bo_delta_t *d, uint8_t v)
{
    if (d->out_off >= d->target_len) {
        return fail(d, BO_ERR_FORMAT);
    }
    d->out[d->out_n++] = v;
    d->out_off++;
    return d->out_n == BO_DELTA_OUT_BUF ? flush_out(d) : BO_OK;
}

static int base_byte(bo_delta_t *d, uint8_t *v)
{
    if (d->pos >= d->base_len) {
        return fail(d, BO_ERR_FORMAT);
    }
    if (d->base_at == UINT32_MAX || d->pos < d->base_at ||
        d->pos - d->base_at >= BO_DELTA_BASE_BUF) {
        uint32_t n = d->base_len - d->pos < BO_DELTA_BASE_BUF ? d->base_len - d->pos
                                                              : BO_DELTA_BASE_BUF;
        int rc = d->io.read_base(d->io.ctx, d->pos, d->base, n);
        if (rc != BO_OK) {
            return fail(d, rc);
        }
        d->base_at = d->pos;
    }
    *v = d->base[d->pos - d->base_at];
    d->pos++;
    return BO_OK;
}

/* After a triple's bytes: the seek, then the next "more" flag. */
static void triple_done(bo_delta_t *d, uint32_t z)
{
    /* zig-zag: even = forward, odd = backward */
    uint32_t mag = (z >> 1) + (z & 1u);
    if ((z & 1u) ? mag > d->pos : mag > d->base_len - d->pos) {
        fail(d, BO_ERR_FORMAT);
        return;
    }
    d->pos = (z & 1u) ? d->pos - mag : d->pos + mag;
    d->state = S_MORE;
}

/* After a number: where it leads. */
static void number_done(bo_delta_t *d, uint32_t v)
{
    switch (d->kind) {
    case K_X:
        if (v > d->target_len - d->out_off || v > d->base_len - d->pos) {
            fail(d, BO_ERR_FORMAT);
            return;
        }
        d->x = v;
        d->kind = K_Y;
        break;
    case K_Y:
        if (v > d->target_len - d->out_off - d->x) {
            fail(d, BO_ERR_FORMAT);
            return;
        }
        d->y = v;
        d->kind = K_Z;
        break;
    default:
        d->num = v; /* the seek, applied once the bytes are out */
        d->field = 0;
        d->state = d->x ? S_FLAG : d->y ? S_TREE : S_MORE;
        if (d->state == S_MORE) {
            triple_done(d, v);
        }
        return;
    }
    d->field = 0;
    d->num = 0;
}

/* After a byte of the triple. */
static void byte_done(bo_delta_t *d)
{
    d->field = 0;
    if (d->x > 0u) {
        d->state = S_FLAG;
    } else if (d->y > 0u) {
        d->state = S_TREE;
    } else {
        triple_done(d, d->num);
    }
}

/* Runs the payload states until a byte is needed, the block ends or an error. */
static void run(bo_delta_t *d)
{
    uint32_t b;
    while (d->err == BO_OK) {
        switch (d->state) {
        case S_MORE:
            if (!bit(d, BO_DELTA_P_MORE, &b)) {
                return;
            }
            if (b == 0u) {
                d->state = S_SKIP;
                return;
            }
            d->state = S_NUM;
            d->kind = K_X;
            d->field = 0;
            d->num = 0;
            break;
        case S_NUM: {
            /* field < 64: unary part (field = length so far); then 64 + bits left */
            uint32_t base = BO_DELTA_P_NUM + (d->kind == K_X ? 0u : 2u * BO_DELTA_NUM);
            if (d->field < 64u) {
                uint32_t k = d->field + 1u;
                if (!bit(d, base + (k < BO_DELTA_NUM ? k : BO_DELTA_NUM - 1u), &b)) {
                    return;
                }
                if (b) {
                    if (k >= 32u) {
                        fail(d, BO_ERR_FORMAT); /* no number is 2^32 or more */
                        return;
                    }
                    d->field = (uint16_t)k;
                    break;
                }
                d->num = 1;
                d->field = (uint16_t)(64u + k - 1u); /* k - 1 bits follow */
            }
            if (d->field == 64u) {
                number_done(d, d->num - 1u);
                break;
            }
            uint32_t left = d->field - 64u - 1u;
            if (!bit(d, base + BO_DELTA_NUM + (left < BO_DELTA_NUM ? left : BO_DELTA_NUM - 1u),
                     &b)) {
                return;
            }
            d->num = (d->num << 1) | b;
            d->field--;
            break;
        }
        case S_FLAG:
            if (!bit(d, BO_DELTA_P_FLAGS + (d->hist & (BO_DELTA_FLAGS - 1u)), &b)) {
                return;
            }
            d->hist = (uint8_t)((d->hist << 1) | b);
            if (b) {
                d->state = S_TREE;
                d->field = 1;
            } else {
                uint8_t v;
                if (base_byte(d, &v) != BO_OK || emit(d, v) != BO_OK) {
                    return;
                }
                d->x--;
                byte_done(d);
            }
            break;
        case S_TREE:
            if (d->field == 0u) {
                d->field = 1;
            }
            if (!bit(d, BO_DELTA_P_TREE + d->field, &b)) {
                return;
            }
            d->field = (uint16_t)((d->field << 1) | b);
            if (d->field >= 0x100u) {
                uint8_t v = (uint8_t)d->field;
                if (d->x > 0u) { /* a difference byte */
                    uint8_t o;
                    if (base_byte(d, &o) != BO_OK) {
                        return;
                    }
                    v = (uint8_t)(v + o);
                    d->x--;
                } else {
                    d->y--;
                }
                if (emit(d, v) != BO_OK) {
                    return;
                }
                byte_done(d);
            }
            break;
        default:
            return;
        }
    }
}

int bo_delta_begin(bo_delta_t *d, const bo_delta_hdr_t *h, const bo_delta_io_t *io,
                   uint32_t in_off, uint32_t out_off)
{
    if (d == NULL || h == NULL || io == NULL || io->write == NULL ||
        (h->base_len > 0u && io->read_base == NULL)) {
        return BO_ERR_ARG;
    }
    bool fresh = in_off == BO_DELTA_HDR_SIZE && out_off == 0u;
    if ((!fresh && (in_off % BO_DELTA_BLOCK != 0u || out_off % BO_DELTA_ALIGN != 0u)) ||
        out_off >= h->target_len) {
        return BO_ERR_RANGE;
    }
    memset(d, 0, sizeof *d);
    d->io = *io;
    d->target_len = h->target_len;
    d->base_len = h->base_len;
    d->in_off = in_off;
    d->out_off = out_off;
    d->base_at = UINT32_MAX;
    d->state = S_BHDR;
    return BO_OK;
}

static void block_header_done(bo_delta_t *d)
{
    uint32_t room = BO_DELTA_BLOCK - d->in_off % BO_DELTA_BLOCK; /* bytes to the boundary */
    uint32_t len = (uint32_t)d->hdr[0] | ((uint32_t)d->hdr[1] << 8);
    uint32_t pos = (uint32_t)d->hdr[2] | ((uint32_t)d->hdr[3] << 8) | ((uint32_t)d->hdr[4] << 16) |
                   ((uint32_t)d->hdr[5] << 24);
    if (len > room || pos > d->base_len) {
        fail(d, BO_ERR_FORMAT);
        return;
    }
    d->left = len;
    d->pos = pos;
    d->base_at = UINT32_MAX;
    d->virt = 0;
    d->have = false;
    d->field = 0;
    d->code = 0;
    d->range = 0xFFFFFFFFu;
    reset_models(d);
    d->state = S_INIT;
}

/* Takes one patch byte. */
static void take(bo_delta_t *d, uint8_t v)
{
    d->in_off++;
    switch (d->state) {
    case S_BHDR:
        d->hdr[d->field++] = v;
        if (d->field == BO_DELTA_BLOCK_HDR) {
            block_header_done(d);
        }
        break;
    case S_SKIP:
        break;
    case S_INIT:
        d->left--;
        d->code = (d->code << 8) | v;
        if (++d->field == 5u) {
            d->field = 0;
            d->state = S_MORE;
            run(d);
        }
        break;
    case S_DONE:
        break;
    default:
        d->left--;
        d->pend = v;
        d->have = true;
        run(d);
        if (d->state == S_SKIP) {
            d->have = false; /* the block's last triple was out before this byte was needed */
        } else if (d->have && d->err == BO_OK) {
            fail(d, BO_ERR_STATE); /* cannot happen: a bit always takes a waiting byte */
        }
        break;
    }
    if (d->err != BO_OK || d->state == S_DONE) {
        return;
    }
    /* the payload is all here: the coder finishes on zeros (its flush covers what it reads) */
    if (d->left == 0u && (d->state == S_INIT || (d->state >= S_MORE && d->state <= S_TREE))) {
        while (d->state == S_INIT && d->err == BO_OK) {
            d->code <<= 8;
            if (++d->field == 5u) {
                d->field = 0;
                d->state = S_MORE;
            }
        }
        run(d);
        if (d->err == BO_OK && d->state != S_SKIP) {
            fail(d, BO_ERR_FORMAT);
        }
    }
    if (d->state == S_SKIP && d->out_off == d->target_len) {
        /* the image is whole: the rest of the input (padding) is not patch */
        if (flush_out(d) == BO_OK) {
            d->state = S_DONE;
        }
    } else if (d->in_off % BO_DELTA_BLOCK == 0u) {
        if (d->state != S_SKIP || d->out_off % BO_DELTA_ALIGN != 0u) {
            fail(d, BO_ERR_FORMAT); /* a block that does not end at a resume point */
        } else if (flush_out(d) == BO_OK) {
            d->state = S_BHDR;
            d->field = 0;
        }
    }
}

int bo_delta_feed(bo_delta_t *d, const uint8_t *data, size_t len)
{
    if (d == NULL || (data == NULL && len > 0u)) {
        return BO_ERR_ARG;
    }
    for (size_t i = 0; i < len && d->err == BO_OK; i++) {
        take(d, data[i]);
    }
    return d->err;
}

bool bo_delta_at_boundary(const bo_delta_t *d)
{
    return d != NULL && d->err == BO_OK && d->out_n == 0u &&
           ((d->state == S_BHDR && d->field == 0u) || d->state == S_DONE);
}

int bo_delta_finish(bo_delta_t *d)
{
    if (d == NULL) {
        return BO_ERR_ARG;
    }
    if (d->err != BO_OK) {
        return d->err;
    }
    if (d->state != S_DONE) {
        return fail(d, BO_ERR_FORMAT); /* the patch ended before the image did */
    }
    return BO_OK;
}
