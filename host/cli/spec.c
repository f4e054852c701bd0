/* Initializer specifications from names, with messages that say what is wrong and what would be right. */
#include "spec.h"

#include "../suggest.h"

#include <stdio.h>
#include <string.h>

const char *cli_init_names(void)
{
    static char names[1024];
    if (!names[0]) {
        size_t used = 0;
        const char *name;
        for (int i = 0; (name = clinit_init_name((clinit_init_kind)i)) != NULL && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", name);
    }
    return names;
}

const char *cli_required_names(void)
{
    static char list[512];
    if (!list[0]) {
        size_t used = 0;
        for (int k = 0; k < clinit_init_count() && used < sizeof list; k++) {
            const char *required = cli_spec_required((clinit_init_kind)k);
            if (required)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s (%s)", used ? ", " : "", required,
                                         clinit_init_name((clinit_init_kind)k));
        }
    }
    return list;
}

int cli_spec_param(clinit_init_kind kind, const char *name, clinit_param_info *info)
{
    clinit_init_info init;
    if (clinit_init_get_info(kind, &init) != CLINIT_SUCCESS) return -1;
    for (int i = 0; i < init.param_count; i++)
        if (clinit_init_get_param_info(kind, i, info) == CLINIT_SUCCESS && strcmp(info->name, name) == 0) return 0;
    return -1;
}

const char *cli_spec_required(clinit_init_kind kind)
{
    clinit_init_info init;
    clinit_param_info p;
    if (clinit_init_get_info(kind, &init) != CLINIT_SUCCESS) return NULL;
    for (int i = 0; i < init.param_count; i++)
        if (clinit_init_get_param_info(kind, i, &p) == CLINIT_SUCCESS && p.required) return p.name;
    return NULL;
}

/* Layout "axes" without the lists a fan-based initializer needs: the list that is missing. */
static int missing_axes(const clinit_init_spec *spec, const cli_tensor_desc *d, const char **field, char *why,
                        size_t why_size)
{
    if (d->layout != CLINIT_LAYOUT_AXES || (d->in_axes && d->out_axes)) return 0;
    *field = d->in_axes ? "out_axes" : "in_axes";
    snprintf(why, why_size, "missing: %s reads its fans from the in and out axes (layout axes)",
             clinit_init_name(spec->kind));
    return 1;
}

/* "params.NAME" for the parameter a range check names ("normal: std = -1 must be finite and >= 0": std), so
 * that the message points at the --param or manifest key to fix; "params" when it names none of kind's. */
static const char *param_field(const clinit_init_spec *spec, const char *why)
{
    static char field[64];
    const char *p = strstr(why, ": "), *takes = clinit_init_param_names(spec->kind);
    size_t len = p ? strspn(p + 2, "abcdefghijklmnopqrstuvwxyz_") : 0;
    if (!len || len > 32 || strncmp(p + 2 + len, " = ", 3) != 0 || !takes) return "params";
    snprintf(field, sizeof field, "%.*s", (int)len, p + 2);
    if (!ci_in_list(field, takes)) return "params";
    snprintf(field, sizeof field, "params.%.*s", (int)len, p + 2);
    return field;
}

int cli_spec_check(const clinit_init_spec *spec, const cli_tensor_desc *d, uint64_t *numel, const char **field,
                   char *why, size_t why_size)
{
    clinit_tensor t = cli_desc_tensor(d, NULL);
    clinit_status st = clinit_validate(&t, spec, why, why_size);
    if (st == CLINIT_SUCCESS) {
        int64_t n = 0;
        clinit_tensor_numel(&t, &n);
        *numel = (uint64_t)n;
        return 0;
    }
    switch (st) {
    case CLINIT_ERROR_INVALID_RANK:
    case CLINIT_ERROR_INVALID_SHAPE: *field = "shape"; break;
    case CLINIT_ERROR_INVALID_LAYOUT:
        if (!missing_axes(spec, d, field, why, why_size)) *field = "layout";
        break;
    case CLINIT_ERROR_UNSUPPORTED_DTYPE:
        *field = "dtype";
        /* the C API's reason names its struct field; --dtype and a manifest's dtype set it under their own name */
        if (strncmp(why, "tensor.dtype ", 13) == 0) memmove(why, why + 13, strlen(why + 13) + 1);
        break;
    case CLINIT_ERROR_INVALID_PARAMETER:
    case CLINIT_ERROR_INVALID_MODE:
    case CLINIT_ERROR_INVALID_NONLINEARITY: *field = param_field(spec, why); break;
    default: *field = "init"; break;
    }
    return -1;
}
