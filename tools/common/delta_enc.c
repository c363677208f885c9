/* Patch encoder (docs/delta.md): bsdiff's matching, then the range coder of the device's
 * decoder (src/delta/delta_dec.c mirrors every bit coded here), block by block. */
#include "delta_enc.h"

#include <divsufsort.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/delta/delta_model.h"
#include "bleota/endian.h"

/* ---- matching: bsdiff's control triples -------------------------------------------------- */
typedef struct {
    uint32_t x, y; /* difference bytes, extra bytes */
    int64_t z;     /* base seek after them */
} triple_t;

typedef struct {
    triple_t *t;
    size_t n, cap;
} triples_t;

static int push(triples_t *ts, uint32_t x, uint32_t y, int64_t z)
{
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2u : 256u;
        triple_t *t = realloc(ts->t, cap * sizeof *t);
        if (t == NULL) {
            return -1;
        }
        ts->t = t;
        ts->cap = cap;
    }
    ts->t[ts->n++] = (triple_t){x, y, z};
    return 0;
}

static uint32_t match_len(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen)
{
    uint32_t i = 0;
    while (i < alen && i < blen && a[i] == b[i]) {
        i++;
    }
    return i;
}

/* Longest match of nw[0..nlen) among the base's suffixes (sa sorted): binary search. */
static uint32_t search(const int32_t *sa, const uint8_t *old, uint32_t olen, const uint8_t *nw,
                       uint32_t nlen, uint32_t st, uint32_t en, uint32_t *pos)
{
    while (en - st >= 2u) {
        uint32_t mid = st + (en - st) / 2u;
        uint32_t o = (uint32_t)sa[mid];
        uint32_t n = olen - o < nlen ? olen - o : nlen;
        if (memcmp(old + o, nw, n) < 0) {
            st = mid;
        } else {
            en = mid;
        }
    }
    uint32_t a = match_len(old + sa[st], olen - (uint32_t)sa[st], nw, nlen);
    uint32_t b = match_len(old + sa[en], olen - (uint32_t)sa[en], nw, nlen);
    *pos = (uint32_t)(a > b ? sa[st] : sa[en]);
    return a > b ? a : b;
}

/* bsdiff 4.3's scan: exact matches found through the suffix array, extended forwards and
 * backwards while at least half the bytes agree; what lies between is extra bytes. */
static int diff_triples(const uint8_t *old, uint32_t olen, const uint8_t *nw, uint32_t nlen,
                        triples_t *ts)
{
    if (olen == 0u) {
        return nlen ? push(ts, 0, nlen, 0) : 0;
    }
    int32_t *sa = malloc((size_t)olen * sizeof *sa);
    if (sa == NULL || divsufsort(old, sa, (saidx_t)olen) != 0) {
        free(sa);
        return -1;
    }
    uint32_t scan = 0, len = 0, pos = 0, lastscan = 0, lastpos = 0;
    int64_t lastoffset = 0;
    int rc = 0;
    while (rc == 0 && scan < nlen) {
        uint32_t oldscore = 0, scsc;
        for (scsc = scan += len; scan < nlen; scan++) {
            len = search(sa, old, olen, nw + scan, nlen - scan, 0, olen - 1u, &pos);
            for (; scsc < scan + len; scsc++) {
                int64_t o = (int64_t)scsc + lastoffset;
                if (o >= 0 && o < olen && old[o] == nw[scsc]) {
                    oldscore++;
                }
            }
            if ((len == oldscore && len != 0u) || len > oldscore + 8u) {
                break;
            }
            int64_t o = (int64_t)scan + lastoffset;
            if (o >= 0 && o < olen && old[o] == nw[scan]) {
                oldscore--;
            }
        }
        if (len == oldscore && scan != nlen) {
            continue;
        }
        /* forward extension from the last match, backward from this one */
        int64_t s = 0, best = 0;
        uint32_t lenf = 0, lenb = 0;
        for (uint32_t i = 0; lastscan + i < scan && lastpos + i < olen;) {
            if (old[lastpos + i] == nw[lastscan + i]) {
                s++;
            }
            i++;
            if (s * 2 - i > best * 2 - lenf) {
                best = s;
                lenf = i;
            }
        }
        if (scan < nlen) {
            s = 0;
            best = 0;
            for (uint32_t i = 1; scan >= lastscan + i && pos >= i; i++) {
                if (old[pos - i] == nw[scan - i]) {
                    s++;
                }
                if (s * 2 - i > best * 2 - lenb) {
                    best = s;
                    lenb = i;
                }
            }
        }
        if (lastscan + lenf > scan - lenb) { /* overlap: split where it scores best */
            uint32_t overlap = (lastscan + lenf) - (scan - lenb), lens = 0;
            s = 0;
            best = 0;
            for (uint32_t i = 0; i < overlap; i++) {
                if (nw[lastscan + lenf - overlap + i] == old[lastpos + lenf - overlap + i]) {
                    s++;
                }
                if (nw[scan - lenb + i] == old[pos - lenb + i]) {
                    s--;
                }
                if (s > best) {
                    best = s;
                    lens = i + 1u;
                }
            }
            lenf += lens - overlap;
            lenb -= lens;
        }
        uint32_t extra = (scan - lenb) - (lastscan + lenf);
        int64_t seek = ((int64_t)pos - lenb) - ((int64_t)lastpos + lenf);
        rc = push(ts, lenf, extra, seek);
        lastscan = scan - lenb;
        lastpos = pos - lenb;
        lastoffset = (int64_t)pos - scan;
    }
    free(sa);
    return rc;
}

/* ---- coding: LZMA-style range encoder ----------------------------------------------------- */
typedef struct {
    uint64_t low;
    uint32_t range;
    uint8_t cache;
    uint64_t csize;
    uint8_t *out;
    size_t n, cap;
    uint16_t probs[BO_DELTA_PROBS];
    uint8_t hist;
    bool oom;
} enc_t;

static void put(enc_t *e, uint8_t b)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2u : 8192u;
        uint8_t *o = realloc(e->out, cap);
        if (o == NULL) {
            e->oom = true;
            return;
        }
        e->out = o;
        e->cap = cap;
    }
    e->out[e->n++] = b;
}

static void shift_low(enc_t *e)
{
    if (e->low < 0xFF000000u || e->low >= (1ull << 32)) {
        uint8_t carry = (uint8_t)(e->low >> 32);
        uint8_t temp = e->cache;
        do {
            put(e, (uint8_t)(temp + carry));
            temp = 0xFF;
        } while (--e->csize != 0u);
        e->cache = (uint8_t)(e->low >> 24);
    }
    e->csize++;
    e->low = (e->low & 0x00FFFFFFu) << 8;
}

static void enc_bit(enc_t *e, uint32_t slot, uint32_t b)
{
    uint16_t *p = &e->probs[slot];
    uint32_t bound = (e->range >> BO_DELTA_P_BITS) * *p;
    if (b == 0u) {
        e->range = bound;
        *p = (uint16_t)(*p + ((BO_DELTA_P_ONE - *p) >> BO_DELTA_P_MOVE));
    } else {
        e->low += bound;
        e->range -= bound;
        *p = (uint16_t)(*p - (*p >> BO_DELTA_P_MOVE));
    }
    while (e->range < BO_DELTA_RANGE_TOP) {
        e->range <<= 8;
        shift_low(e);
    }
}

static void enc_start(enc_t *e)
{
    e->low = 0;
    e->range = 0xFFFFFFFFu;
    e->cache = 0;
    e->csize = 1;
    e->n = 0;
    e->hist = 0;
    for (uint32_t i = 0; i < BO_DELTA_PROBS; i++) {
        e->probs[i] = BO_DELTA_P_HALF;
    }
}

/* Ends the payload. Any code value in [low, low + range) decodes the same symbols: the one
 * with the most trailing zero bits is taken, and trailing zero bytes are not stored (the
 * decoder reads zeros past a block's payload, up to BO_DELTA_VIRT_MAX of them). */
static void enc_flush(enc_t *e)
{
    uint64_t v = (e->low + 0xFFFFFFu) & ~(uint64_t)0xFFFFFFu; /* < low + 2^24 <= low + range */
    e->low = v;
    for (int i = 0; i < 5; i++) {
        shift_low(e);
    }
    for (int k = 0; k < 6 && e->n > 0u && e->out[e->n - 1u] == 0u; k++) {
        e->n--;
    }
}

static void enc_tree(enc_t *e, uint8_t v)
{
    uint32_t i = 1;
    for (int k = 7; k >= 0; k--) {
        uint32_t b = (v >> k) & 1u;
        enc_bit(e, BO_DELTA_P_TREE + i, b);
        i = (i << 1) | b;
    }
}

static void enc_num(enc_t *e, bool first_kind, uint32_t v)
{
    uint32_t base = BO_DELTA_P_NUM + (first_kind ? 0u : 2u * BO_DELTA_NUM);
    uint64_t n = (uint64_t)v + 1u;
    uint32_t bits = 0;
    while ((n >> bits) > 1u) {
        bits++;
    }
    bits++; /* n has `bits` bits */
    for (uint32_t k = 1; k < bits; k++) {
        enc_bit(e, base + (k < BO_DELTA_NUM ? k : BO_DELTA_NUM - 1u), 1);
    }
    enc_bit(e, base + (bits < BO_DELTA_NUM ? bits : BO_DELTA_NUM - 1u), 0);
    for (int pos = (int)bits - 2; pos >= 0; pos--) {
        uint32_t c = (uint32_t)pos < BO_DELTA_NUM ? (uint32_t)pos : BO_DELTA_NUM - 1u;
        enc_bit(e, base + BO_DELTA_NUM + c, (uint32_t)(n >> pos) & 1u);
    }
}

/* One triple: x bytes new[np..] against old[op..], y extra bytes after them, then seek z. */
static void enc_triple(enc_t *e, const uint8_t *old, const uint8_t *nw, uint32_t op,
                       uint32_t np, uint32_t x, uint32_t y, int64_t z)
{
    enc_bit(e, BO_DELTA_P_MORE, 1);
    enc_num(e, true, x);
    enc_num(e, false, y);
    uint64_t mag = (uint64_t)(z < 0 ? -z : z);
    enc_num(e, false, (uint32_t)(z < 0 ? mag * 2u - 1u : mag * 2u));
    for (uint32_t i = 0; i < x; i++) {
        uint8_t d = (uint8_t)(nw[np + i] - old[op + i]);
        uint32_t f = d != 0u;
        enc_bit(e, BO_DELTA_P_FLAGS + (e->hist & (BO_DELTA_FLAGS - 1u)), f);
        e->hist = (uint8_t)((e->hist << 1) | f);
        if (f) {
            enc_tree(e, d);
        }
    }
    for (uint32_t i = 0; i < y; i++) {
        enc_tree(e, nw[np + x + i]);
    }
}

/* ---- blocks ------------------------------------------------------------------------------- */
/* Where the coding stands: triple index, image bytes of it already coded, base and image
 * positions. */
typedef struct {
    size_t ti;
    uint32_t done, op, np;
} cur_t;

/* Codes image bytes [cur.np, c) as one block payload into e (fresh models), end flag and
 * flush included; *next is the position after them. Returns the payload size. */
static size_t code_block(enc_t *e, const triples_t *ts, const uint8_t *old, const uint8_t *nw,
                         cur_t cur, uint32_t c, cur_t *next)
{
    enc_start(e);
    while (cur.ti < ts->n) {
        const triple_t *t = &ts->t[cur.ti];
        uint32_t x = cur.done < t->x ? t->x - cur.done : 0u;
        uint32_t y = t->y - (cur.done > t->x ? cur.done - t->x : 0u);
        if (cur.np + x + y <= c) { /* the rest of the triple, its seek included */
            enc_triple(e, old, nw, cur.op, cur.np, x, y, t->z);
            cur.op = (uint32_t)((int64_t)cur.op + x + t->z);
            cur.np += x + y;
            cur.ti++;
            cur.done = 0;
            continue;
        }
        uint32_t m = c - cur.np; /* split: the next block goes on from here, no seek yet */
        if (m > 0u) {
            uint32_t x1 = m < x ? m : x;
            enc_triple(e, old, nw, cur.op, cur.np, x1, m - x1, 0);
            cur.op += x1;
            cur.np += m;
            cur.done += m;
        }
        break;
    }
    enc_bit(e, BO_DELTA_P_MORE, 0);
    enc_flush(e);
    *next = cur;
    return e->n;
}

/* The largest image end c for a block starting at cur whose payload fits cap: all of the
 * image, or a multiple of BO_DELTA_ALIGN (a resume point). Binary search, then down to a fit
 * (the size grows with c but for the split triple's header). */
static uint32_t block_end(enc_t *e, const triples_t *ts, const uint8_t *old, const uint8_t *nw,
                          cur_t cur, uint32_t total, size_t cap)
{
    cur_t nx;
    if (code_block(e, ts, old, nw, cur, total, &nx) <= cap) {
        return total;
    }
    uint32_t lo = cur.np, hi = total;
    while (hi - lo > BO_DELTA_ALIGN) {
        uint32_t mid = lo + (((hi - lo) / 2u) & ~(BO_DELTA_ALIGN - 1u));
        mid = mid > lo ? mid : lo + BO_DELTA_ALIGN;
        if (code_block(e, ts, old, nw, cur, mid, &nx) <= cap) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    while (lo > cur.np && code_block(e, ts, old, nw, cur, lo, &nx) > cap) {
        lo -= BO_DELTA_ALIGN;
    }
    return lo;
}

static void fail_msg(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

int bo_delta_make(const uint8_t *base, uint32_t base_len, const uint8_t *target,
                  uint32_t target_len, bo_delta_hdr_t *h, uint8_t **patch, size_t *patch_len,
                  bo_delta_stats_t *stats, char *err, size_t errsz)
{
    triples_t ts = {0};
    enc_t *e = calloc(1, sizeof *e);
    uint8_t *p = NULL;
    size_t plen = BO_DELTA_HDR_SIZE, pcap = 0;
    bo_delta_stats_t st = {0};
    int rc = -1;
    *patch = NULL;
    if (e == NULL || target_len == 0u || diff_triples(base, base_len, target,
                                                                    target_len, &ts) != 0) {
        fail_msg(err, errsz, "out of memory (or an empty target)");
        goto out;
    }
    pcap = (size_t)target_len + target_len / 2u + 2u * BO_DELTA_BLOCK;
    p = calloc(1, pcap);
    if (p == NULL) {
        fail_msg(err, errsz, "out of memory");
        goto out;
    }
    cur_t cur = {0, 0, 0, 0};
    do {
        size_t start = plen, end = (plen / BO_DELTA_BLOCK + 1u) * BO_DELTA_BLOCK;
        size_t cap = end - start - BO_DELTA_BLOCK_HDR;
        uint32_t c = block_end(e, &ts, base, target, cur, target_len, cap);
        cur_t nx;
        size_t n = code_block(e, &ts, base, target, cur, c, &nx);
        if (e->oom || c == cur.np || n > cap || end > pcap) {
            fail_msg(err, errsz, e->oom ? "out of memory" : "internal: no image byte fits a block");
            goto out;
        }
        bo_put_le16(p + start, (uint16_t)n);
        bo_put_le32(p + start + 2u, cur.op);
        memcpy(p + start + BO_DELTA_BLOCK_HDR, e->out, n);
        st.blocks++;
        st.triples += (uint32_t)(nx.ti - cur.ti) + (nx.done > 0u);
        cur = nx;
        /* the last block ends the patch; the others are padded to the boundary */
        plen = cur.np == target_len ? start + BO_DELTA_BLOCK_HDR + n : end;
    } while (cur.np < target_len);
    for (size_t i = 0; i < ts.n; i++) {
        st.diff_bytes += ts.t[i].x;
        st.extra_bytes += ts.t[i].y;
    }
    h->target_len = target_len;
    h->base_len = base_len;
    h->patch_len = (uint32_t)plen;
    bo_delta_hdr_build(h, p);
    *patch = p;
    *patch_len = plen;
    p = NULL;
    if (stats != NULL) {
        *stats = st;
    }
    rc = 0;
out:
    free(p);
    free(ts.t);
    if (e != NULL) {
        free(e->out);
    }
    free(e);
    return rc;
}
