/* Philox4x32 known answers of Random123 (tests/data/random123_kat_4x32.txt, from Random123's kat_vectors):
 * Random123's own philox4x32_R on the host, the library's ci_philox_block (counter/key layout of
 * docs/ALGORITHMS.md §2), and the device kernel (ci_internal_philox_device) must all give the listed
 * words. A further 4096 pseudo-random (counter, key) inputs check device against host word for word. */
#include "support.h"
#include "internal.h"

#include <Random123/philox.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct kat {
    unsigned rounds;
    uint32_t ctr[4], key[2], out[4];
} kat;

#define MAX_KAT 64
static kat kats[MAX_KAT];
static int nkat;

static int load_kats(void **state)
{
    (void)state;
    FILE *f = fopen(CLINIT_KAT_PATH, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", CLINIT_KAT_PATH);
        return -1;
    }
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char name[32];
        kat k;
        int n = sscanf(line, "%31s %u %x %x %x %x %x %x %x %x %x %x", name, &k.rounds, &k.ctr[0], &k.ctr[1], &k.ctr[2],
                       &k.ctr[3], &k.key[0], &k.key[1], &k.out[0], &k.out[1], &k.out[2], &k.out[3]);
        if (n != 12 || strcmp(name, "philox4x32") != 0) continue;
        if (nkat < MAX_KAT) kats[nkat++] = k;
    }
    fclose(f);
    return 0;
}

static int count_rounds(unsigned rounds)
{
    int c = 0;
    for (int i = 0; i < nkat; i++) c += kats[i].rounds == rounds;
    return c;
}

static void test_file_parsed(void **state)
{
    (void)state;
    /* The file holds three philox4x32 vectors for each of 7 and 10 rounds (zeros, all ones, pi digits). */
    assert_int_equal(count_rounds(10), 3);
    assert_int_equal(count_rounds(7), 3);
}

static void test_random123_host(void **state)
{
    (void)state;
    for (int i = 0; i < nkat; i++) {
        philox4x32_ctr_t c = {{kats[i].ctr[0], kats[i].ctr[1], kats[i].ctr[2], kats[i].ctr[3]}};
        philox4x32_key_t k = {{kats[i].key[0], kats[i].key[1]}};
        philox4x32_ctr_t r = philox4x32_R(kats[i].rounds, c, k);
        for (int w = 0; w < 4; w++) assert_int_equal(r.v[w], kats[i].out[w]);
    }
}

static void test_clinit_philox_block(void **state)
{
    (void)state;
    for (int i = 0; i < nkat; i++) {
        if (kats[i].rounds != 10) continue;
        /* Layout: ctr = (block lo, block hi, stream lo, stream hi), key = (seed lo, seed hi). Every 64-bit
         * block value is accepted by ci_philox_block, so all three vectors map onto it. */
        uint64_t block = kats[i].ctr[0] | (uint64_t)kats[i].ctr[1] << 32;
        uint64_t stream = kats[i].ctr[2] | (uint64_t)kats[i].ctr[3] << 32;
        uint64_t seed = kats[i].key[0] | (uint64_t)kats[i].key[1] << 32;
        uint32_t out[4];
        ci_philox_block(block, seed, stream, out);
        for (int w = 0; w < 4; w++) assert_int_equal(out[w], kats[i].out[w]);
    }
}

static void test_device_kat(void **state)
{
    sup_env *e = SUP_ENV(state);
    uint32_t in[MAX_KAT * 6], out[MAX_KAT * 4], want[MAX_KAT * 4];
    size_t n = 0;
    for (int i = 0; i < nkat; i++) {
        if (kats[i].rounds != 10) continue;
        memcpy(in + 6 * n, kats[i].ctr, sizeof kats[i].ctr);
        memcpy(in + 6 * n + 4, kats[i].key, sizeof kats[i].key);
        memcpy(want + 4 * n, kats[i].out, sizeof kats[i].out);
        n++;
    }
    assert_int_equal(n, 3);
    memset(out, 0, sizeof out);
    SUP_OK(e->ctx, ci_internal_philox_device(e->ctx, e->queue, in, out, n));
    for (size_t i = 0; i < 4 * n; i++) assert_int_equal(out[i], want[i]);
}

/* splitmix64: a fixed, self-contained source of test inputs. */
static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void test_device_matches_host_random_inputs(void **state)
{
    sup_env *e = SUP_ENV(state);
    enum { N = 4096 };
    uint32_t *in = malloc(N * 6 * sizeof *in), *out = malloc(N * 4 * sizeof *out);
    assert_non_null(in);
    assert_non_null(out);
    uint64_t s = 42;
    for (size_t i = 0; i < N * 6; i++) in[i] = (uint32_t)splitmix64(&s);
    SUP_OK(e->ctx, ci_internal_philox_device(e->ctx, e->queue, in, out, N));
    for (size_t i = 0; i < N; i++) {
        philox4x32_ctr_t c = {{in[6 * i], in[6 * i + 1], in[6 * i + 2], in[6 * i + 3]}};
        philox4x32_key_t k = {{in[6 * i + 4], in[6 * i + 5]}};
        philox4x32_ctr_t r = philox4x32_R(10, c, k);
        for (int w = 0; w < 4; w++) assert_int_equal(out[4 * i + w], r.v[w]);
    }
    free(in);
    free(out);
}

int main(void)
{
    sup_apply_filter();
    if (load_kats(NULL) != 0) return 1;
    const struct CMUnitTest host_tests[] = {
        cmocka_unit_test(test_file_parsed),
        cmocka_unit_test(test_random123_host),
        cmocka_unit_test(test_clinit_philox_block),
    };
    const struct CMUnitTest device_tests[] = {
        cmocka_unit_test(test_device_kat),
        cmocka_unit_test(test_device_matches_host_random_inputs),
    };
    int failed = cmocka_run_group_tests_name("philox_kat_host", host_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("philox_kat_device", device_tests, sup_group_setup, sup_group_teardown);
    return failed ? 1 : 0;
}
