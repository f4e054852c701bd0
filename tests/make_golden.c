/* Writes the golden vectors of generation contract version 1 to stdout, from the host reference:
 *     build/tests/make_golden > tests/data/golden_v1.txt
 * Run it only when CLINIT_GENERATION_VERSION changes (then as golden_v2.txt); ctest never runs it.
 * Format (parsed by test_golden.c):
 *     stream "<name>" <XXH64 hex>
 *     case <init> <shape: scalar | d0xd1x…> <oi|io> <seed hex> <stream hex> [name=value …]
 *     v <logical index> <float bits hex> <value, informational> */
#include "clinit.h"
#include "golden_cases.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_shape(const char *s, int *rank, int64_t *shape)
{
    *rank = 0;
    if (strcmp(s, "scalar") == 0) return 0;
    const char *p = s;
    while (*p) {
        char *end;
        shape[(*rank)++] = strtoll(p, &end, 10);
        if (end == p) return -1;
        p = *end == 'x' ? end + 1 : end;
    }
    return 0;
}

int main(void)
{
    printf("# clinit golden vectors, generation contract version %d (docs/ALGORITHMS.md).\n",
           CLINIT_GENERATION_VERSION);
    printf("# Written once by tests/make_golden.c from the host reference; checked by tests/test_golden.c on the\n"
           "# host reference and on the device, bit for bit.\n"
           "# stream \"<name>\" <clinit_stream_from_name(name)>\n"
           "# case <init> <shape> <layout> <seed> <stream> [param=value ...]\n"
           "# v <logical row-major index> <f32 bits> <value (informational)>\n");
    for (size_t i = 0; i < GOLDEN_NSTREAMS; i++)
        printf("stream \"%s\" 0x%016" PRIx64 "\n", golden_stream_names[i], clinit_stream_from_name(golden_stream_names[i]));
    for (size_t c = 0; c < GOLDEN_NCASES; c++) {
        const golden_case *g = &golden_cases[c];
        clinit_tensor t;
        memset(&t, 0, sizeof t);
        t.dtype = CLINIT_F32;
        if (parse_shape(g->shape, &t.rank, t.shape) != 0) return 1;
        t.layout = strcmp(g->layout, "io") == 0 ? CLINIT_LAYOUT_IO : CLINIT_LAYOUT_OI;
        clinit_init_kind kind;
        if (clinit_init_from_name(g->init, &kind) != CLINIT_SUCCESS) return 1;
        clinit_init_spec spec = clinit_init_spec_default(kind);
        char params[256];
        snprintf(params, sizeof params, "%s", g->params);
        for (char *tok = strtok(params, " "); tok; tok = strtok(NULL, " ")) {
            char *eq = strchr(tok, '=');
            if (!eq) return 1;
            *eq = '\0';
            if (clinit_init_spec_set(&spec, tok, eq + 1) != CLINIT_SUCCESS) {
                fprintf(stderr, "bad parameter %s\n", tok);
                return 1;
            }
        }
        printf("case %s %s %s 0x%016" PRIx64 " 0x%016" PRIx64 "%s%s\n", g->init, g->shape, g->layout, g->seed,
               g->stream, g->params[0] ? " " : "", g->params);
        int64_t numel;
        if (clinit_tensor_numel(&t, &numel) != CLINIT_SUCCESS) return 1;
        uint64_t idx[16];
        int n = 0;
        for (int64_t k = 0; k < 8 && k < numel; k++) idx[n++] = (uint64_t)k;
        for (int k = 0; k < 6 && g->extra[k] != GOLDEN_END; k++) idx[n++] = g->extra[k];
        for (int k = 0; k < n; k++) {
            /* The element as a one-element box at its multi-index. */
            t.has_box = 1;
            uint64_t rem = idx[k];
            for (int d = t.rank - 1; d >= 0; d--) {
                t.box_start[d] = (int64_t)(rem % (uint64_t)t.shape[d]);
                t.box_extent[d] = 1;
                rem /= (uint64_t)t.shape[d];
            }
            float v;
            clinit_status st = clinit_reference_fill(&t, &spec, g->seed, g->stream, &v, sizeof v);
            if (st != CLINIT_SUCCESS) {
                fprintf(stderr, "case %zu: %s\n", c, clinit_status_string(st));
                return 1;
            }
            uint32_t bits;
            memcpy(&bits, &v, sizeof bits);
            printf("v %" PRIu64 " 0x%08" PRIx32 " %.9g\n", idx[k], bits, (double)v);
        }
    }
    return 0;
}
