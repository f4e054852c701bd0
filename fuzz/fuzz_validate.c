/* libFuzzer target: the device-free checks of the library on arbitrary structs. The input bytes are copied
 * over a clinit_tensor (buffer then set to NULL) and a clinit_init_spec; whatever they hold (negative or huge
 * dimensions, unknown enums, NaN parameters, boxes outside the shape, stray axis bits), clinit_validate,
 * clinit_init_resolve, clinit_tensor_numel and the fan computations must return a status, never crash,
 * overflow or hang. */
#include "clinit.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    clinit_tensor t;
    clinit_init_spec spec;
    memset(&t, 0, sizeof t);
    memset(&spec, 0, sizeof spec);
    size_t n = size < sizeof t ? size : sizeof t;
    memcpy(&t, data, n);
    data += n;
    size -= n;
    memcpy(&spec, data, size < sizeof spec ? size : sizeof spec);
    t.buffer = NULL;

    char msg[512];
    memset(msg, 'x', sizeof msg);
    clinit_status s = clinit_validate(&t, &spec, msg, sizeof msg);
    if (memchr(msg, '\0', sizeof msg) == NULL) __builtin_trap(); /* always a NUL-terminated message */
    if (clinit_validate(&t, &spec, NULL, 0) != s) __builtin_trap();
    msg[0] = 'x';
    if (clinit_validate(&t, &spec, msg, 1) != s || msg[0] != '\0') __builtin_trap();
    clinit_distribution dist;
    clinit_status r = clinit_init_resolve(&spec, &t, &dist);
    (void)s;
    (void)r;

    int64_t count;
    if (clinit_tensor_numel(&t, &count) == CLINIT_SUCCESS && count < 0) __builtin_trap();
    int64_t fan_in, fan_out;
    if (clinit_compute_fans(t.rank, t.shape, t.layout, &fan_in, &fan_out) == CLINIT_SUCCESS &&
        (fan_in < 0 || fan_out < 0))
        __builtin_trap();
    if (clinit_compute_fans_axes(t.rank, t.shape, t.in_axes, t.out_axes, t.batch_axes, &fan_in, &fan_out) ==
            CLINIT_SUCCESS &&
        (fan_in < 0 || fan_out < 0))
        __builtin_trap();
    double gain;
    (void)clinit_calculate_gain(spec.nonlinearity, spec.a, &gain);
    (void)clinit_init_param_names(spec.kind);
    (void)clinit_init_name(spec.kind);
    /* the registry's queries: a known kind's parameters 0 .. param_count − 1 exist, the next does not */
    clinit_init_info info;
    clinit_param_info p;
    if (clinit_init_get_info(spec.kind, &info) == CLINIT_SUCCESS) {
        for (int i = 0; i < info.param_count; i++)
            if (clinit_init_get_param_info(spec.kind, i, &p) != CLINIT_SUCCESS) __builtin_trap();
        if (clinit_init_get_param_info(spec.kind, info.param_count, &p) != CLINIT_ERROR_UNKNOWN_PARAMETER)
            __builtin_trap();
    } else if (clinit_init_get_param_info(spec.kind, 0, &p) != CLINIT_ERROR_INVALID_INIT)
        __builtin_trap();
    (void)clinit_nonlinearity_name(spec.nonlinearity);
    return 0;
}
