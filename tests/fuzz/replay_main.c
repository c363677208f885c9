/* Fuzz replay driver: runs a libFuzzer-style target over a seed corpus plus deterministic
 * mutations of each seed, so every fuzz target is exercised in CI under ASan+UBSan without clang.
 *
 *   fuzz_<name> CORPUS_DIR [MUTATIONS_PER_SEED [RNG_SEED [MAX_MUTATIONS]]]
 *
 * MAX_MUTATIONS bounds the mutations of the whole run (spread evenly over the seeds, at least one
 * each), so a seed corpus that grows with every campaign does not make the CI test slower.
 *
 * Every input is passed in a heap buffer of exactly its size, so the sanitizers catch the first
 * byte read past it. When a sanitizer reports an error, the input is written to
 * ./crash-<name>-<seed>-<n> (or $BO_FUZZ_ARTIFACTS/...) to replay with the libFuzzer binary. */
#define _POSIX_C_SOURCE 200809L /* opendir, readdir */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Present only when a sanitizer runtime is linked: called before it aborts the process. */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

#define MAX_SEEDS 4096
#define MAX_INPUT (1024u * 1024u)

typedef struct {
    char *name;
    uint8_t *data;
    size_t len;
} seed_t;

static seed_t seeds[MAX_SEEDS];
static size_t nseeds;
static uint64_t rng_state;

/* The input being run, for the death callback. */
static const uint8_t *cur_data;
static size_t cur_len;
static const char *cur_seed;
static long cur_mutation;

static uint64_t rnd(void)
{
    /* splitmix64: deterministic across platforms, good enough to choose mutations */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return n == 0 ? 0 : (size_t)(rnd() % n);
}

/* Saves the current input; runs from a sanitizer's death callback or a SIGABRT handler, so it
 * sticks to open/write and a preformatted path where it can. */
static void on_death(void)
{
    static int saved;
    if (saved++ || cur_seed == NULL)
        return;
    const char *dir = getenv("BO_FUZZ_ARTIFACTS");
    char path[512];
    snprintf(path, sizeof(path), "%s/crash-%s-%ld", dir != NULL ? dir : ".", cur_seed,
             cur_mutation);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        ssize_t w = write(fd, cur_data, cur_len);
        (void)w;
        close(fd);
    }
    fprintf(stderr, "fuzz replay: failing input (seed %s, mutation %ld, %zu bytes) saved to %s\n",
            cur_seed, cur_mutation, cur_len, path);
}

/* A target reports a broken property with abort(): save the input, then die as asked. */
static void on_abort(int sig)
{
    on_death();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void run_one(const uint8_t *data, size_t len, const char *seed, long mutation)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (copy == NULL) {
        fprintf(stderr, "fuzz replay: out of memory\n");
        exit(2);
    }
    if (len)
        memcpy(copy, data, len);
    cur_data = copy;
    cur_len = len;
    cur_seed = seed;
    cur_mutation = mutation;
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
}

static int cmp_seed(const void *a, const void *b)
{
    return strcmp(((const seed_t *)a)->name, ((const seed_t *)b)->name);
}

static int load_seed(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (st.st_size > (off_t)MAX_INPUT || nseeds == MAX_SEEDS) {
        fprintf(stderr, "fuzz replay: %s too large or too many seeds\n", path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    seed_t *s = &seeds[nseeds];
    s->len = (size_t)st.st_size;
    s->data = malloc(s->len ? s->len : 1);
    s->name = strdup(name);
    if (f == NULL || s->data == NULL || s->name == NULL || fread(s->data, 1, s->len, f) != s->len) {
        fprintf(stderr, "fuzz replay: cannot read %s\n", path);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    fclose(f);
    nseeds++;
    return 0;
}

static int load_corpus(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "fuzz replay: cannot open corpus directory %s\n", dir);
        return -1;
    }
    struct dirent *e;
    int err = 0;
    while (err == 0 && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            err = load_seed(dir, e->d_name);
    closedir(d);
    if (err == 0 && nseeds == 0) {
        fprintf(stderr, "fuzz replay: corpus %s is empty; add at least one seed\n", dir);
        err = -1;
    }
    /* readdir order is arbitrary: sort so a run is reproducible from its RNG seed */
    qsort(seeds, nseeds, sizeof(seeds[0]), cmp_seed);
    return err;
}

/* One small edit in place; returns the new length (<= cap). */
static size_t mutate_once(uint8_t *buf, size_t len, size_t cap)
{
    static const uint8_t interesting[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0x81, 0xfe, 0xff};
    size_t pos = below(len);
    switch (rnd() % 10) {
    case 0: /* flip one bit */
        if (len)
            buf[pos] ^= (uint8_t)(1u << below(8));
        break;
    case 1: /* random byte */
        if (len)
            buf[pos] = (uint8_t)rnd();
        break;
    case 2: /* boundary value */
        if (len)
            buf[pos] = interesting[below(sizeof(interesting))];
        break;
    case 3: /* small add/subtract, as lengths and counters */
        if (len)
            buf[pos] = (uint8_t)(buf[pos] + (uint8_t)(below(9)) - 4u);
        break;
    case 4: /* insert a byte */
        if (len < cap) {
            pos = below(len + 1);
            memmove(buf + pos + 1, buf + pos, len - pos);
            buf[pos] = (uint8_t)rnd();
            len++;
        }
        break;
    case 5: /* delete a run */
        if (len) {
            size_t n = 1 + below(len - pos < 8 ? len - pos : 8);
            memmove(buf + pos, buf + pos + n, len - pos - n);
            len -= n;
        }
        break;
    case 6: /* truncate */
        len = below(len + 1);
        break;
    case 7: /* duplicate a chunk */
        if (len && len < cap) {
            size_t n = 1 + below(len - pos);
            if (n > cap - len)
                n = cap - len;
            memmove(buf + pos + n, buf + pos, len - pos);
            len += n;
        }
        break;
    case 8: /* splice: overwrite with bytes from another seed */
    {
        const seed_t *o = &seeds[below(nseeds)];
        if (o->len && len) {
            size_t from = below(o->len);
            size_t n = 1 + below(o->len - from);
            if (n > len - pos)
                n = len - pos;
            memcpy(buf + pos, o->data + from, n);
        }
        break;
    }
    default: /* append random bytes */
    {
        size_t n = 1 + below(8);
        while (n-- && len < cap)
            buf[len++] = (uint8_t)rnd();
        break;
    }
    }
    return len;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 5) {
        fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS_PER_SEED [RNG_SEED [MAX_MUTATIONS]]]\n",
                argv[0]);
        return 2;
    }
    long iterations = argc > 2 ? strtol(argv[2], NULL, 0) : 2000;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 0) : 0x626c656f7461ull; /* "bleota" */
    long budget = argc > 4 ? strtol(argv[4], NULL, 0) : 0;
    if (iterations < 0 || budget < 0 || load_corpus(argv[1]) != 0)
        return 2;
    if (budget > 0 && iterations > 0 && (size_t)iterations * nseeds > (size_t)budget)
        iterations = budget / (long)nseeds > 0 ? budget / (long)nseeds : 1;
    if (__sanitizer_set_death_callback != NULL)
        __sanitizer_set_death_callback(on_death);
    signal(SIGABRT, on_abort);

    size_t cap = 64;
    for (size_t i = 0; i < nseeds; i++)
        cap = seeds[i].len * 2 + 64 > cap ? seeds[i].len * 2 + 64 : cap;
    if (cap > MAX_INPUT)
        cap = MAX_INPUT;
    uint8_t *buf = malloc(cap);
    if (buf == NULL)
        return 2;

    unsigned long runs = 0;
    for (size_t i = 0; i < nseeds; i++) {
        run_one(seeds[i].data, seeds[i].len, seeds[i].name, -1);
        runs++;
        for (long m = 0; m < iterations; m++) {
            size_t len = seeds[i].len < cap ? seeds[i].len : cap;
            memcpy(buf, seeds[i].data, len);
            for (int k = 1 + (int)below(4); k > 0; k--) /* stack 1..4 edits */
                len = mutate_once(buf, len, cap);
            run_one(buf, len, seeds[i].name, m);
            runs++;
        }
    }
    printf("fuzz replay: %zu seeds, %lu inputs, no failure\n", nseeds, runs);
    for (size_t i = 0; i < nseeds; i++) {
        free(seeds[i].data);
        free(seeds[i].name);
    }
    free(buf);
    return 0;
}
