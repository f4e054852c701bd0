/* Placeholder until the structured fills land: every call reports that the initializer is not available yet. */
#include "internal.h"

const char *const clinit_structured_kernel_names[] = {NULL};

clinit_status clinit_fill_structured(CLINIT_SPECIAL_FILL_ARGS)
{
    (void)queue, (void)t, (void)g, (void)r, (void)seed, (void)stream, (void)nwait, (void)wait, (void)event;
    return clinit_fail(ctx, CLINIT_ERROR_INVALID_INIT, "%s is not implemented yet", clinit_init_name(spec->kind));
}

clinit_status clinit_reference_structured(CLINIT_SPECIAL_REFERENCE_ARGS)
{
    (void)t, (void)spec, (void)g, (void)r, (void)seed, (void)stream, (void)dst;
    return CLINIT_ERROR_INVALID_INIT;
}
