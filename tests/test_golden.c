/* Golden vectors of generation contract version 1 (tests/data/golden_v1.txt, written once by make_golden.c
 * from the host reference). Each frozen value is checked four ways:
 *   1. the host reference today, bit for bit (one-element box at its index, and the whole tensor when small);
 *   2. an oracle written here from docs/ALGORITHMS.md alone (Random123's philox4x32_R, u01, the uniform
 *      and Box–Muller formulas) — so the file does not merely freeze the reference's bugs: bit for bit for
 *      constant/uniform; for normals the oracle is Box–Muller in double with the C library's log, sqrt, sin,
 *      cos, and the frozen value must lie within the accuracy bound of docs/ALGORITHMS.md §4;
 *   3. the device, bit for bit;
 *   4. stream names: clinit_stream_from_name against the frozen XXH64 values. */
#include "support.h"

#include <Random123/philox.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CASES 64
#define MAX_VALUES 32

typedef struct gcase {
    char init[64], shape[64], layout[8], params[256];
    uint64_t seed, stream;
    clinit_tensor t;
    clinit_init_spec spec;
    int nv;
    uint64_t idx[MAX_VALUES];
    uint32_t bits[MAX_VALUES];
} gcase;

static gcase cases[MAX_CASES];
static int ncases, nstreams, nvalues;
static char stream_names[16][128];
static uint64_t stream_values[16];

static int setup_case(gcase *c)
{
    memset(&c->t, 0, sizeof c->t);
    c->t.dtype = CLINIT_F32;
    if (strcmp(c->shape, "scalar") != 0) {
        const char *p = c->shape;
        while (*p) {
            char *end;
            if (c->t.rank == CLINIT_MAX_RANK) return -1;
            c->t.shape[c->t.rank++] = strtoll(p, &end, 10);
            if (end == p) return -1;
            p = *end == 'x' ? end + 1 : end;
        }
    }
    if (strcmp(c->layout, "io") == 0) c->t.layout = CLINIT_LAYOUT_IO;
    else if (strcmp(c->layout, "oi") == 0) c->t.layout = CLINIT_LAYOUT_OI;
    else return -1;
    clinit_init_kind kind;
    if (clinit_init_from_name(c->init, &kind) != CLINIT_SUCCESS) return -1;
    c->spec = clinit_init_spec_default(kind);
    char params[256];
    snprintf(params, sizeof params, "%s", c->params);
    for (char *tok = strtok(params, " \n"); tok; tok = strtok(NULL, " \n")) {
        char *eq = strchr(tok, '=');
        if (!eq) return -1;
        *eq = '\0';
        if (clinit_init_spec_set(&c->spec, tok, eq + 1) != CLINIT_SUCCESS) return -1;
    }
    return 0;
}

static int load(void **state)
{
    (void)state;
    FILE *f = fopen(CLINIT_GOLDEN_PATH, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", CLINIT_GOLDEN_PATH);
        return -1;
    }
    char line[512];
    gcase *cur = NULL;
    int bad = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        if (strncmp(line, "stream \"", 8) == 0) {
            char *q = strchr(line + 8, '"');
            if (!q || nstreams == 16) { bad = 1; break; }
            *q = '\0';
            snprintf(stream_names[nstreams], sizeof stream_names[0], "%.127s", line + 8);
            if (sscanf(q + 1, " %" SCNx64, &stream_values[nstreams]) != 1) { bad = 1; break; }
            nstreams++;
        } else if (strncmp(line, "case ", 5) == 0) {
            if (ncases == MAX_CASES) { bad = 1; break; }
            cur = &cases[ncases++];
            int used = 0;
            if (sscanf(line, "case %63s %63s %7s %" SCNx64 " %" SCNx64 " %n", cur->init, cur->shape, cur->layout,
                       &cur->seed, &cur->stream, &used) != 5) { bad = 1; break; }
            snprintf(cur->params, sizeof cur->params, "%s", line + used);
            if (setup_case(cur) != 0) { bad = 1; break; }
        } else if (line[0] == 'v' && cur) {
            if (cur->nv == MAX_VALUES ||
                sscanf(line, "v %" SCNu64 " %" SCNx32, &cur->idx[cur->nv], &cur->bits[cur->nv]) != 2) { bad = 1; break; }
            cur->nv++;
            nvalues++;
        } else {
            bad = 1;
            break;
        }
    }
    fclose(f);
    if (bad) fprintf(stderr, "%s: cannot parse: %s", CLINIT_GOLDEN_PATH, line);
    return bad ? -1 : 0;
}

/* c->t turned into the one-element box at logical index i. */
static clinit_tensor element_box(const gcase *c, uint64_t i)
{
    clinit_tensor t = c->t;
    t.has_box = 1;
    for (int d = t.rank - 1; d >= 0; d--) {
        t.box_start[d] = (int64_t)(i % (uint64_t)t.shape[d]);
        t.box_extent[d] = 1;
        i /= (uint64_t)t.shape[d];
    }
    return t;
}

static void test_file_complete(void **state)
{
    (void)state;
    assert_true(ncases >= 10);
    assert_true(nvalues >= 100);
    assert_true(nstreams >= 3);
    int high_seed = 0, high_stream = 0, high_block = 0;
    for (int c = 0; c < ncases; c++) {
        int64_t n;
        assert_int_equal(clinit_tensor_numel(&cases[c].t, &n), CLINIT_SUCCESS);
        int first = n < 8 ? (int)n : 8;
        assert_true(cases[c].nv >= first);
        for (int k = 0; k < first; k++) assert_true(cases[c].idx[k] == (uint64_t)k);
        for (int k = 0; k < cases[c].nv; k++) {
            assert_true(cases[c].idx[k] < (uint64_t)n);
            high_block |= (cases[c].idx[k] >> 2) >= (UINT64_C(1) << 32);
        }
        high_seed |= (cases[c].seed >> 32) != 0 && (uint32_t)cases[c].seed != 0;
        high_stream |= (cases[c].stream >> 32) != 0 && (uint32_t)cases[c].stream != 0;
    }
    /* Every Philox key and counter word is exercised with non-zero values. */
    assert_true(high_seed && high_stream && high_block);
}

static void test_stream_names(void **state)
{
    (void)state;
    for (int i = 0; i < nstreams; i++)
        if (clinit_stream_from_name(stream_names[i]) != stream_values[i])
            fail_msg("stream \"%s\": 0x%016" PRIx64 ", frozen 0x%016" PRIx64, stream_names[i],
                     clinit_stream_from_name(stream_names[i]), stream_values[i]);
}

static void test_reference_matches_golden(void **state)
{
    (void)state;
    for (int c = 0; c < ncases; c++) {
        const gcase *g = &cases[c];
        for (int k = 0; k < g->nv; k++) {
            clinit_tensor t = element_box(g, g->idx[k]);
            float v;
            assert_int_equal(clinit_reference_fill(&t, &g->spec, g->seed, g->stream, &v, sizeof v), CLINIT_SUCCESS);
            if (sup_bits(v) != g->bits[k])
                fail_msg("case %d (%s %s) index %" PRIu64 ": reference 0x%08x, golden 0x%08x", c, g->init, g->shape,
                         g->idx[k], sup_bits(v), g->bits[k]);
        }
        int64_t n;
        assert_int_equal(clinit_tensor_numel(&g->t, &n), CLINIT_SUCCESS);
        if (n > (1 << 20)) continue;
        /* Whole tensor (no box) as well. */
        float *all = sup_reference_fill(&g->t, &g->spec, g->seed, g->stream);
        for (int k = 0; k < g->nv; k++) assert_int_equal(sup_bits(all[g->idx[k]]), g->bits[k]);
        free(all);
    }
}

/* docs/ALGORITHMS.md, written out independently of host/reference.c and kernels/generate.h. */
static double oracle(const gcase *g, uint64_t i)
{
    sup_dist d = sup_resolve(&g->t, &g->spec);
    if (d.dist == 0) return d.p0;
    uint64_t block = i >> 2;
    philox4x32_ctr_t ctr = {{(uint32_t)block, (uint32_t)(block >> 32), (uint32_t)g->stream,
                             (uint32_t)(g->stream >> 32)}};
    philox4x32_key_t key = {{(uint32_t)g->seed, (uint32_t)(g->seed >> 32)}};
    philox4x32_ctr_t x = philox4x32_R(10, ctr, key);
    float u[4];
    for (int w = 0; w < 4; w++) u[w] = (float)(x.v[w] >> 9) * 0x1p-23f + 0x1p-24f;
    unsigned lane = (unsigned)(i & 3);
    if (d.dist == 1) {
        float lo = d.p0, hi = d.p1;
        float span = hi - lo;
        float prod = span * u[lane];
        float v = lo + prod;
        if (lo < hi && v >= hi) v = nextafterf(hi, lo);
        return v;
    }
    unsigned p = lane >> 1;
    double r = sqrt(-2.0 * log((double)u[2 * p]));
    double theta = 6.283185307179586476925 * (double)u[2 * p + 1]; /* 2π */
    double z = (lane & 1) ? r * sin(theta) : r * cos(theta);
    return (double)d.p0 + (double)d.p1 * z;
}

static void test_oracle_matches_golden(void **state)
{
    (void)state;
    for (int c = 0; c < ncases; c++)
        for (int k = 0; k < cases[c].nv; k++) {
            sup_dist d = sup_resolve(&cases[c].t, &cases[c].spec);
            double v = oracle(&cases[c], cases[c].idx[k]);
            float golden = sup_from_bits(cases[c].bits[k]);
            if (d.dist != 2 && sup_bits((float)v) != cases[c].bits[k])
                fail_msg("case %d (%s) index %" PRIu64 ": oracle 0x%08x, golden 0x%08x", c, cases[c].init,
                         cases[c].idx[k], sup_bits((float)v), cases[c].bits[k]);
            if (d.dist == 2 && fabs(v - (double)golden) > sup_normal_tol(golden, d.p0, d.p1))
                fail_msg("case %d (%s) index %" PRIu64 ": exact Box-Muller %.9g, golden %.9g: beyond %.3g", c,
                         cases[c].init, cases[c].idx[k], v, (double)golden, sup_normal_tol(golden, d.p0, d.p1));
        }
}

static void test_device_matches_golden(void **state)
{
    sup_env *e = SUP_ENV(state);
    for (int c = 0; c < ncases; c++) {
        const gcase *g = &cases[c];
        float want[MAX_VALUES];
        for (int k = 0; k < g->nv; k++) want[k] = sup_from_bits(g->bits[k]);
        for (int k = 0; k < g->nv; k++) {
            clinit_tensor t = element_box(g, g->idx[k]);
            float *v = sup_device_fill(e, &t, &g->spec, g->seed, g->stream, 4 * (size_t)k);
            char what[160];
            snprintf(what, sizeof what, "case %d (%.40s %.40s) index %" PRIu64, c, g->init, g->shape, g->idx[k]);
            sup_compare(v, &want[k], 1, what);
            free(v);
        }
        int64_t n;
        assert_int_equal(clinit_tensor_numel(&g->t, &n), CLINIT_SUCCESS);
        if (n > (1 << 16)) continue;
        float *all = sup_device_fill(e, &g->t, &g->spec, g->seed, g->stream, 0);
        for (int k = 0; k < g->nv; k++) sup_compare(&all[g->idx[k]], &want[k], 1, g->init);
        free(all);
    }
}

int main(void)
{
    sup_apply_filter();
    if (load(NULL) != 0) return 1;
    const struct CMUnitTest host_tests[] = {
        cmocka_unit_test(test_file_complete),
        cmocka_unit_test(test_stream_names),
        cmocka_unit_test(test_reference_matches_golden),
        cmocka_unit_test(test_oracle_matches_golden),
    };
    const struct CMUnitTest device_tests[] = {
        cmocka_unit_test(test_device_matches_golden),
    };
    int failed = cmocka_run_group_tests_name("golden_host", host_tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("golden_device", device_tests, sup_group_setup, sup_group_teardown);
    return failed ? 1 : 0;
}
