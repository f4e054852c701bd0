/* Writes the golden vectors of generation contract version g (docs/ALGORITHMS.md) to stdout, from the host
 * reference, for the cases of golden_cases.h:
 *     build/tests/make_golden 1 > tests/data/golden_v1.txt
 * Run it once per generation, when CLINIT_GENERATION_VERSION is bumped (then `make_golden 2 > …golden_v2.txt`);
 * ctest never runs it, and a file once written is never rewritten.
 * Format (parsed by test_golden.c; blank lines and lines starting with # are comments):
 *     generation <g>
 *     stream "<name>" <XXH64 hex>
 *     case <init> <shape: scalar | d0xd1x…> <oi|io> <seed hex> <stream hex> [dtype=<f16|bf16|f64>]
 *          [box=<start d0xd1x…>:<extent d0xd1x…>] [name=value …]       (one line; no dtype: f32)
 *     v <logical index> <the dtype's bits, hex, 4, 8 or 16 digits> <value, informational> */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "golden_cases.h"
#include "support.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FROZEN 1024

static int refuse(size_t c, const char *why)
{
    fprintf(stderr, "make_golden: golden_cases[%zu] (%s %s): %s\n", c, golden_cases[c].init, golden_cases[c].shape,
            why);
    return 1;
}

/* Appends i to idx[0..*n) unless it is there already. */
static void add_index(uint64_t *idx, int *n, uint64_t i)
{
    for (int k = 0; k < *n; k++)
        if (idx[k] == i) return;
    if (*n < MAX_FROZEN) idx[(*n)++] = i;
}

/* The logical index of "i" or of the multi-index "i0,i1,…" in shape; -1 when malformed or outside. */
static int parse_index(const char *s, const clinit_tensor *t, uint64_t numel, uint64_t *out)
{
    uint64_t v[CLINIT_MAX_RANK];
    int n = 0;
    for (const char *p = s;;) {
        char *end;
        if (n == CLINIT_MAX_RANK || *p < '0' || *p > '9') return -1;
        v[n++] = strtoull(p, &end, 10);
        if (*end == '\0') break;
        if (*end != ',') return -1;
        p = end + 1;
    }
    if (n == 1) {
        *out = v[0];
        return v[0] < numel ? 0 : -1;
    }
    if (n != t->rank) return -1;
    uint64_t i = 0;
    for (int d = 0; d < n; d++) {
        if (v[d] >= (uint64_t)t->shape[d]) return -1;
        i = i * (uint64_t)t->shape[d] + v[d];
    }
    *out = i;
    return 0;
}

static int write_case(size_t c, clinit_dtype dtype, int generation, uint64_t *idx)
{
    const golden_case *g = &golden_cases[c];
    clinit_tensor t;
    memset(&t, 0, sizeof t);
    t.dtype = dtype;
    if (sup_parse_dims(g->shape, &t.rank, t.shape) != 0) return refuse(c, "bad shape");
    t.layout = strcmp(g->layout, "io") == 0 ? CLINIT_LAYOUT_IO : CLINIT_LAYOUT_OI;
    clinit_init_kind kind;
    if (clinit_init_from_name(g->init, &kind) != CLINIT_SUCCESS) return refuse(c, "unknown initializer");
    clinit_init_spec spec = clinit_init_spec_default(kind);
    if (sup_spec_set_params(&spec, g->params) != 0) return refuse(c, "bad parameters");
    spec.generation = generation;
    int64_t numel;
    if (clinit_tensor_numel(&t, &numel) != CLINIT_SUCCESS) return refuse(c, "bad shape");

    int n = 0;
    for (int64_t k = 0; k < 8 && k < numel; k++) add_index(idx, &n, (uint64_t)k);
    char extra[512];
    snprintf(extra, sizeof extra, "%s", g->extra);
    char *save = NULL;
    for (char *tok = strtok_r(extra, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        uint64_t i;
        if (parse_index(tok, &t, (uint64_t)numel, &i) != 0) return refuse(c, "bad extra index");
        add_index(idx, &n, i);
    }
    if (numel <= GOLDEN_WHOLE)
        for (int64_t k = 0; k < numel; k++) add_index(idx, &n, (uint64_t)k);
    if (g->box[0]) {
        /* every element of the box, in its row-major order */
        char start[128], extent[128];
        int rs, re;
        clinit_tensor b = t;
        if (sscanf(g->box, "%127[0-9x]:%127[0-9x]", start, extent) != 2 || sup_parse_dims(start, &rs, b.box_start) ||
            sup_parse_dims(extent, &re, b.box_extent) || rs != t.rank || re != t.rank)
            return refuse(c, "bad box");
        b.has_box = 1;
        int64_t bn;
        if (clinit_tensor_numel(&b, &bn) != CLINIT_SUCCESS || bn > MAX_FROZEN / 2) return refuse(c, "bad box");
        for (int64_t e = 0; e < bn; e++) {
            uint64_t rem = (uint64_t)e, i = 0, scale = 1;
            for (int d = t.rank - 1; d >= 0; d--) {
                i += ((uint64_t)b.box_start[d] + rem % (uint64_t)b.box_extent[d]) * scale;
                rem /= (uint64_t)b.box_extent[d];
                scale *= (uint64_t)t.shape[d];
            }
            add_index(idx, &n, i);
        }
    }
    if (n == MAX_FROZEN) return refuse(c, "too many frozen elements");

    printf("case %s %s %s 0x%016" PRIx64 " 0x%016" PRIx64 "%s%s%s%s%s%s\n", g->init, g->shape, g->layout, g->seed,
           g->stream, dtype == CLINIT_F32 ? "" : " dtype=", dtype == CLINIT_F32 ? "" : sup_dtype_name(dtype),
           g->box[0] ? " box=" : "", g->box, g->params[0] ? " " : "", g->params);
    size_t size = clinit_dtype_size(dtype);
    for (int k = 0; k < n; k++) {
        /* The element as a one-element box at its multi-index. */
        t.has_box = 1;
        uint64_t rem = idx[k];
        for (int d = t.rank - 1; d >= 0; d--) {
            t.box_start[d] = (int64_t)(rem % (uint64_t)t.shape[d]);
            t.box_extent[d] = 1;
            rem /= (uint64_t)t.shape[d];
        }
        unsigned char v[8];
        clinit_status st = clinit_reference_fill(&t, &spec, g->seed, g->stream, v, size);
        if (st != CLINIT_SUCCESS) return refuse(c, clinit_status_string(st));
        printf("v %" PRIu64 " 0x%0*" PRIx64 " %.*g\n", idx[k], (int)(2 * size), sup_bits_at(v, dtype, 0),
               dtype == CLINIT_F64 ? 17 : 9, sup_value(v, dtype, 0));
    }
    return 0;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    long generation = argc == 2 ? strtol(argv[1], &end, 10) : 0;
    if (argc != 2 || *end != '\0' || generation < 1 || generation > CLINIT_GENERATION_VERSION) {
        fprintf(stderr, "usage: make_golden GENERATION > tests/data/golden_vGENERATION.txt  (1 to %d)\n",
                CLINIT_GENERATION_VERSION);
        return 2;
    }
    printf("# clinit golden vectors, generation contract version %ld (docs/ALGORITHMS.md).\n", generation);
    printf("# Written once by `make_golden %ld` (tests/make_golden.c) from the host reference; checked by\n"
           "# tests/test_golden.c on the host reference and on the device, bit for bit.\n"
           "# stream \"<name>\" <clinit_stream_from_name(name)>\n"
           "# case <init> <shape> <layout> <seed> <stream> [dtype=<f16|bf16|f64>] [box=<start>:<extent>] "
           "[param=value ...]\n"
           "# v <logical row-major index> <bits of the dtype (f32 without dtype=)> <value (informational)>\n",
           generation);
    printf("generation %ld\n", generation);
    for (size_t i = 0; i < GOLDEN_NSTREAMS; i++)
        printf("stream \"%s\" 0x%016" PRIx64 "\n", golden_stream_names[i],
               clinit_stream_from_name(golden_stream_names[i]));
    static uint64_t idx[MAX_FROZEN];
    const clinit_dtype order[] = {CLINIT_F32, CLINIT_F16, CLINIT_BF16, CLINIT_F64};
    for (int d = 0; d < 4; d++)
        for (size_t c = 0; c < GOLDEN_NCASES; c++)
            if ((golden_cases[c].dtypes & (1u << order[d])) && write_case(c, order[d], (int)generation, idx) != 0)
                return 1;
    return 0;
}
