/* Crypto known answers shared by host and QEMU (crypto_kat.h). */
#include "crypto_kat.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bleota/crypto.h"

static crypto_kat_report_fn rep;
static unsigned failed, cases;

static void expect(const char *what, int got, int want)
{
    cases++;
    if (got != want) {
        failed++;
        rep(what, got, want);
    }
}

static int nib(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Hex (spaces ignored) into out; the byte count, or 0 on bad input. */
static size_t hex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *h; h++) {
        int v = nib(*h);
        if (*h == ' ')
            continue;
        if (v < 0 || (hi >= 0 && n == cap))
            return 0;
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? n : 0;
}

/* ---- SHA-256: FIPS 180-2 examples ------------------------------------------------------- */
static const char MSG448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char MSG896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                             "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void digest_is(const char *what, const uint8_t got[BO_SHA256_SIZE], const char *want_hex)
{
    uint8_t want[BO_SHA256_SIZE];
    expect(what,
           hex(want_hex, want, sizeof want) == BO_SHA256_SIZE &&
               memcmp(got, want, BO_SHA256_SIZE) == 0,
           1);
}

static void sha256_cases(void)
{
    static const char H0[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static const char HABC[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static const char H448[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    static const char H896[] = "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
    static const char HMIL[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    uint8_t d[BO_SHA256_SIZE];
    bo_sha256("", 0, d);
    digest_is("sha256 empty", d, H0);
    bo_sha256("abc", 3, d);
    digest_is("sha256 abc", d, HABC);
    bo_sha256(MSG448, sizeof MSG448 - 1u, d);
    digest_is("sha256 448-bit message", d, H448);
    bo_sha256(MSG896, sizeof MSG896 - 1u, d);
    digest_is("sha256 896-bit message", d, H896);

    /* pieces of 1..len bytes cross every 64-byte block boundary at another offset */
    for (size_t step = 1; step < sizeof MSG896; step += 3u) {
        bo_sha256_t ctx;
        bo_sha256_init(&ctx);
        for (size_t off = 0; off < sizeof MSG896 - 1u; off += step) {
            size_t left = sizeof MSG896 - 1u - off;
            bo_sha256_update(&ctx, MSG896 + off, left < step ? left : step);
        }
        bo_sha256_final(&ctx, d);
        digest_is("sha256 streamed in pieces", d, H896);
    }

    static uint8_t a[1000];
    memset(a, 'a', sizeof a);
    bo_sha256_t ctx;
    bo_sha256_init(&ctx);
    bo_sha256_update(&ctx, NULL, 0);
    for (size_t done = 0, chunk = 1; done < 1000000u; chunk = chunk % 983u + 13u) {
        size_t n = 1000000u - done < chunk ? 1000000u - done : chunk;
        bo_sha256_update(&ctx, a, n);
        done += n;
    }
    bo_sha256_final(&ctx, d);
    digest_is("sha256 one million 'a' in uneven chunks", d, HMIL);
}

/* ---- AES-128-CBC: SP 800-38A F.2.1 / F.2.2 ------------------------------------------------ */
static void aes_cases(void)
{
    uint8_t key[16], iv[16], pt[64], ct[64], out[64];
    hex("2b7e151628aed2a6abf7158809cf4f3c", key, sizeof key);
    hex("000102030405060708090a0b0c0d0e0f", iv, sizeof iv);
    hex("6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
        "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710",
        pt, sizeof pt);
    hex("7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2"
        "73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7",
        ct, sizeof ct);
    bo_aes_cbc_t c;
    expect("aes init", bo_aes_cbc_init(&c, key, iv, 0), BO_OK);
    expect("aes encrypt", bo_aes_cbc_update(&c, pt, out, sizeof out), BO_OK);
    expect("aes encrypt matches", memcmp(out, ct, sizeof ct) == 0, 1);
    bo_aes_cbc_free(&c);
    /* decrypt in place, block by block: the chaining value carries across calls */
    memcpy(out, ct, sizeof out);
    expect("aes init", bo_aes_cbc_init(&c, key, iv, 1), BO_OK);
    for (size_t off = 0; off < sizeof out; off += BO_AES_BLOCK)
        expect("aes decrypt", bo_aes_cbc_update(&c, out + off, out + off, BO_AES_BLOCK), BO_OK);
    expect("aes decrypt matches", memcmp(out, pt, sizeof pt) == 0, 1);
    expect("aes chaining value", memcmp(bo_aes_cbc_iv(&c), ct + 48, 16) == 0, 1);
    expect("aes partial block", bo_aes_cbc_update(&c, out, out, 15), BO_ERR_ALIGN);
    bo_aes_cbc_free(&c);
}

/* ---- ECDSA P-256 ---------------------------------------------------------------------------- */
typedef struct {
    const char *name;
    const char *pub; /* X||Y */
    const char *msg; /* signed as SHA-256(msg) */
    const char *r, *s;
} ecdsa_vec_t;

/* Both RFC vectors and RFC 4754's have s > n/2: high-S, as Microchip's signer makes them. */
static const ecdsa_vec_t VEC[] = {
    {"RFC 6979 A.2.5 P-256 SHA-256 \"sample\"",
     "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
     "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
     "sample", "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
     "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
    {"RFC 6979 A.2.5 P-256 SHA-256 \"test\"",
     "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
     "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
     "test", "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
     "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
    {"RFC 4754 8.1 P-256 \"abc\"",
     "2442A5CC0ECD015FA3CA31DC8E2BBC70BF42D60CBCA20085E0822CB04235E970"
     "6FC98BD7E50211A4A27102FA3549DF79EBCB4BF246B80945CDDFE7D509BBFD7D",
     "abc", "CB28E0999B9C7715FD0A80D8E47A77079716CBBF917DD72E97566EA1C066957C",
     "86FA3BB4E26CAD5BF90B7F81899256CE7594BB1EA0C89212748BFF3B3D5B0315"},
    {"OpenSSL P-256 \"bleota ecdsa known-answer\"",
     "a81e79f7533430b94beb3f7c91284d1f19324e67901563ea82eebe83f4a9ed7d"
     "5d13b99596af27e268a0c76f0a2ee995d7915f4f964e24bf366bbe844b574f40",
     "bleota ecdsa known-answer",
     "bee6a60a6bdf471040df302dee6123445e638865fed4344f18a5d8d36239af08",
     "7fd78cc6f28ea065e1cf79ec9ddf45f4ef7e3927d73844a1eebd4c1c2be00e7f"},
};
#define NVEC (sizeof VEC / sizeof VEC[0])

static const char N_HEX[] = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

typedef struct {
    uint8_t v[33];
    size_t len; /* 32, or 33 for a value >= 2^256 */
} num_t;

static num_t num(const char *h)
{
    num_t n = {{0}, 32};
    hex(h, n.v, 32);
    return n;
}

/* a - b or a + b over 32-byte big-endian values; a sum with a carry is 33 bytes wide. */
static num_t sub(num_t a, num_t b)
{
    num_t r = {{0}, 32};
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = a.v[i] - b.v[i] - borrow;
        borrow = d < 0;
        r.v[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    return r;
}

static num_t add(num_t a, num_t b)
{
    num_t r = {{0}, 33};
    unsigned carry = 0;
    for (int i = 31; i >= 0; i--) {
        unsigned t = (unsigned)a.v[i] + b.v[i] + carry;
        r.v[i + 1] = (uint8_t)t;
        carry = t >> 8;
    }
    r.v[0] = (uint8_t)carry;
    return r;
}

/* Minimal DER INTEGER of a non-negative big-endian value. */
static size_t put_int(uint8_t *o, num_t x)
{
    const uint8_t *m = x.v;
    size_t len = x.len;
    while (len > 1 && m[0] == 0) {
        m++;
        len--;
    }
    size_t pad = (m[0] & 0x80u) ? 1u : 0u;
    o[0] = 0x02;
    o[1] = (uint8_t)(len + pad);
    o[2] = 0;
    memcpy(o + 2 + pad, m, len);
    return 2u + pad + len;
}

static size_t der(uint8_t *out, num_t r, num_t s)
{
    size_t n = put_int(out + 2, r);
    n += put_int(out + 2 + n, s);
    out[0] = 0x30;
    out[1] = (uint8_t)n;
    return n + 2u;
}

typedef struct {
    uint8_t pub[64], hash[32], sig[80];
    size_t len;
    num_t r, s;
} vec_t;

static void load(vec_t *v, const ecdsa_vec_t *e)
{
    hex(e->pub, v->pub, sizeof v->pub);
    bo_sha256(e->msg, strlen(e->msg), v->hash);
    v->r = num(e->r);
    v->s = num(e->s);
    v->len = der(v->sig, v->r, v->s);
}

static void verify_is(const char *what, const vec_t *v, const uint8_t *sig, size_t len, int want)
{
    expect(what, bo_ecdsa_p256_verify(v->pub, v->hash, sig, len), want);
}

/* (r, s) re-encoded with other values: AUTH however well-formed. */
static void out_of_range(const vec_t *v)
{
    uint8_t d[80];
    num_t n = num(N_HEX), zero = {{0}, 32}, one = {{0}, 32}, ff = {{0}, 32};
    one.v[31] = 1;
    memset(ff.v, 0xFF, 32);
    const num_t bad[] = {zero, n, add(v->s, n), ff};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        verify_is("r out of range is AUTH", v, d, der(d, bad[i], v->s), BO_ERR_AUTH);
        verify_is("s out of range is AUTH", v, d, der(d, v->r, bad[i]), BO_ERR_AUTH);
    }
    verify_is("r = 1 is AUTH", v, d, der(d, one, v->s), BO_ERR_AUTH);
    verify_is("s = n - 1 is AUTH", v, d, der(d, v->r, sub(n, one)), BO_ERR_AUTH);
}

/* Every encoding fault is FORMAT, whatever the values. */
static void malformed(const vec_t *v)
{
    uint8_t d[84];
    for (size_t len = 0; len < v->len; len++) { /* every truncation */
        memcpy(d, v->sig, len);
        verify_is("truncated DER is FORMAT", v, d, len, BO_ERR_FORMAT);
    }
    memcpy(d, v->sig, v->len);
    d[v->len] = 0x00;
    verify_is("trailing byte is FORMAT", v, d, v->len + 1u, BO_ERR_FORMAT);

    static const struct {
        uint8_t at, val;
        const char *what;
    } pokes[] = {
        {0, 0x31, "SET instead of SEQUENCE is FORMAT"},
        {2, 0x03, "BIT STRING instead of INTEGER is FORMAT"},
        {1, 0x7F, "sequence longer than the buffer is FORMAT"},
        {1, 0x80, "indefinite length is FORMAT"},
        {1, 0x01, "sequence shorter than its integers is FORMAT"},
        {3, 0x7F, "r longer than the sequence is FORMAT"},
    };
    for (size_t i = 0; i < sizeof pokes / sizeof pokes[0]; i++) {
        memcpy(d, v->sig, v->len);
        d[pokes[i].at] = pokes[i].val;
        verify_is(pokes[i].what, v, d, v->len, BO_ERR_FORMAT);
    }
    /* long-form length for a short sequence is BER, not DER */
    d[0] = 0x30;
    d[1] = 0x81;
    d[2] = v->sig[1];
    memcpy(d + 3, v->sig + 2, v->len - 2u);
    verify_is("long-form short length is FORMAT", v, d, v->len + 1u, BO_ERR_FORMAT);
    /* s with a superfluous leading zero is not minimal */
    size_t rl = 2u + v->sig[3];
    memcpy(d, v->sig, 2u + rl);
    size_t sl = v->sig[2 + rl + 1];
    d[1] = (uint8_t)(v->sig[1] + 1u);
    d[2 + rl] = 0x02;
    d[2 + rl + 1] = (uint8_t)(sl + 1u);
    d[2 + rl + 2] = 0x00;
    memcpy(d + 2 + rl + 3, v->sig + 2 + rl + 2, sl);
    verify_is("padded INTEGER is FORMAT", v, d, v->len + 1u, BO_ERR_FORMAT);
    /* an r whose top bit is set, without its sign byte, reads as negative */
    num_t neg = v->r;
    neg.v[0] |= 0x80u;
    size_t n = der(d, neg, v->s);
    memmove(d + 4, d + 5, n - 5u); /* drop the 0x00 sign byte */
    d[1]--;
    d[3]--;
    verify_is("negative INTEGER is FORMAT", v, d, n - 1u, BO_ERR_FORMAT);
    static const uint8_t empty_r[] = {0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x01};
    verify_is("empty INTEGER is FORMAT", v, empty_r, sizeof empty_r, BO_ERR_FORMAT);
}

/* A key that is not a point of P-256 is FORMAT, checked before the signature values. */
static void bad_keys(vec_t *v)
{
    uint8_t keep[64], d[80];
    memcpy(keep, v->pub, sizeof keep);
    v->pub[63] ^= 0x01;
    verify_is("off-curve key is FORMAT", v, v->sig, v->len, BO_ERR_FORMAT);
    num_t zero = {{0}, 32};
    verify_is("off-curve key before r = 0 is FORMAT", v, d, der(d, zero, v->s), BO_ERR_FORMAT);
    memset(v->pub, 0xFF, 32);
    verify_is("key coordinate >= p is FORMAT", v, v->sig, v->len, BO_ERR_FORMAT);
    memset(v->pub, 0x00, sizeof v->pub);
    verify_is("all-zero key is FORMAT", v, v->sig, v->len, BO_ERR_FORMAT);
    memcpy(v->pub, keep, sizeof keep);
}

static void ecdsa_cases(void)
{
    for (size_t i = 0; i < NVEC; i++) {
        vec_t v;
        uint8_t d[80];
        load(&v, &VEC[i]);
        verify_is(VEC[i].name, &v, v.sig, v.len, BO_OK);
        /* (r, n - s) is the other valid signature: no low-S rule */
        verify_is("high-S twin verifies", &v, d, der(d, v.r, sub(num(N_HEX), v.s)), BO_OK);
        v.hash[31] ^= 0x01;
        verify_is("wrong hash is AUTH", &v, v.sig, v.len, BO_ERR_AUTH);
        v.hash[31] ^= 0x01;
        vec_t other = v;
        hex(VEC[(i + 2u) % NVEC].pub, other.pub, sizeof other.pub); /* 0 and 1 share a key */
        verify_is("wrong key is AUTH", &other, v.sig, v.len, BO_ERR_AUTH);
        out_of_range(&v);
        malformed(&v);
        bad_keys(&v);
    }
    uint8_t pub[64] = {0}, h[32] = {0};
    expect("NULL key is ARG", bo_ecdsa_p256_verify(NULL, h, pub, 8), BO_ERR_ARG);
    expect("NULL hash is ARG", bo_ecdsa_p256_verify(pub, NULL, pub, 8), BO_ERR_ARG);
    expect("NULL signature is ARG", bo_ecdsa_p256_verify(pub, h, NULL, 8), BO_ERR_ARG);
}

unsigned crypto_kat_run(crypto_kat_report_fn report)
{
    rep = report;
    failed = cases = 0;
    sha256_cases();
    aes_cases();
    ecdsa_cases();
    return failed;
}

unsigned crypto_kat_cases(void)
{
    return cases;
}
