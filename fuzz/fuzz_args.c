/* libFuzzer target: the strict text syntaxes of the command line and manifests. The input is
 *   byte 0: the initializer kind (modulo the number of kinds), byte 1: the rank for axis lists (modulo 9),
 *   then '\n'-separated fields, each tried as a shape, an integer list, an axis list, a u64, an initializer
 *   and a nonlinearity name, and (split at its first '=') a parameter name = value for
 *   clinit_init_spec_set_message and clinit_init_spec_set, which must agree, and every refusal must say why.
 * The resulting spec is then validated and resolved against the last shape that parsed. */
#include "args.h"
#include "cli.h"
#include "desc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cli_diag_prefix(NULL);
    if (size < 2) return 0;
    clinit_init_kind kind = (clinit_init_kind)(data[0] % clinit_init_count());
    int axes_rank = data[1] % (CLINIT_MAX_RANK + 1);
    clinit_init_spec spec = clinit_init_spec_default(kind), lib_spec = spec;
    clinit_tensor t;
    memset(&t, 0, sizeof t);
    t.rank = 2;
    t.shape[0] = t.shape[1] = 3;

    /* A NUL-terminated copy whose '\n's become field ends. */
    char *text = malloc(size - 2 + 1);
    if (!text) return 0;
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';
    char why[256];
    for (char *field = text, *next; field; field = next) {
        next = strchr(field, '\n');
        if (next) *next++ = '\0';

        int rank;
        int64_t shape[CLINIT_MAX_RANK];
        if (cli_parse_shape(field, &rank, shape, why, sizeof why) == 0) {
            if (rank < 0 || rank > CLINIT_MAX_RANK) __builtin_trap();
            t.rank = rank;
            memcpy(t.shape, shape, sizeof shape);
        }
        int n;
        for (int negative_ok = 0; negative_ok <= 1; negative_ok++)
            if (cli_parse_ints(field, "axis", negative_ok, shape, &n, why, sizeof why) == 0 &&
                (n < 0 || n > CLINIT_MAX_RANK))
                __builtin_trap();
        uint32_t mask;
        if (cli_parse_axes(field, axes_rank, &mask, why, sizeof why) == 0 && (mask >> axes_rank) != 0) __builtin_trap();
        uint64_t u;
        (void)cli_parse_u64(field, &u);
        clinit_init_kind k;
        if (clinit_init_from_name(field, &k) == CLINIT_SUCCESS && strcmp(clinit_init_name(k), field) != 0)
            __builtin_trap();
        clinit_nonlinearity nl;
        (void)clinit_nonlinearity_from_name(field, &nl);

        char *eq = strchr(field, '=');
        if (eq) {
            *eq = '\0';
            why[0] = '\0';
            clinit_status said = clinit_init_spec_set_message(&spec, field, eq + 1, why, sizeof why);
            if (said != clinit_init_spec_set(&lib_spec, field, eq + 1)) __builtin_trap();
            if ((said != CLINIT_SUCCESS) != (why[0] != '\0')) __builtin_trap(); /* a refusal always says why */
        }
    }
    free(text);

    char msg[512];
    clinit_distribution dist;
    const clinit_init_spec *specs[] = {&spec, &lib_spec};
    for (int i = 0; i < 2; i++) {
        (void)clinit_validate(&t, specs[i], msg, sizeof msg);
        (void)clinit_init_resolve(specs[i], &t, &dist);
    }
    return 0;
}
