/* Integer dtypes (i32, i64): a model's integer buffers are constants (BatchNorm's num_batches_tracked is an
 * int64 0), so they need no generator and no kernel: one clEnqueueFillBuffer writes the described elements,
 * which lie contiguously from offset_bytes whether or not the tensor has a box. */
#include "registry.h"

#include <math.h>
#include <stdio.h>

int ci_dtype_is_integer(clinit_dtype dtype) { return dtype == CLINIT_I32 || dtype == CLINIT_I64; }

clinit_status ci_resolve_integer(const clinit_init_spec *spec, const clinit_tensor *t, clinit_distribution *d,
                                 ci_resolved *out, char *what, size_t what_size)
{
    if (!spec) return ci_explain(what, what_size, CLINIT_ERROR_NULL_ARGUMENT, "spec is NULL");
    int i32 = t->dtype == CLINIT_I32;
    const char *dt = i32 ? "i32" : "i64";
    /* the registry's constants: constant, zeros, ones */
    const ci_init_row *row = ci_registry_row(spec->kind);
    if (row && row->dist != CLINIT_DIST_CONSTANT)
        return ci_explain(what, what_size, CLINIT_ERROR_UNSUPPORTED_DTYPE,
                          "tensor.dtype %s with %s: integer tensors take constant, zeros or ones only", dt, row->name);
    /* the checks every dtype gets (shape, layout, a finite val, an unknown kind), on a stand-in of the dtype
     * that holds every double */
    clinit_tensor f64 = *t;
    f64.dtype = CLINIT_F64;
    clinit_status st = ci_resolve_for_dtype(spec, &f64, d, out, what, what_size);
    if (st != CLINIT_SUCCESS) return st;
    /* the spec's value (zeros' and ones' fixed one), not the resolved one: an empty tensor resolves to 0 whatever
     * val is, and its val must be refused all the same (as a float constant the dtype cannot hold is) */
    clinit_init_spec fixed;
    ci_registry_apply_fixed(row, spec, &fixed);
    double v = fixed.val;
    double lo = i32 ? -0x1p31 : -0x1p63, above = i32 ? 0x1p31 : 0x1p63;
    if (floor(v) != v || v < lo || v >= above)
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                          "%s: val = %.17g is not an integer of %s, [%s, %s]", row->name, v, dt,
                          i32 ? "-2^31" : "-2^63", i32 ? "2^31 - 1" : "2^63 - 1");
    out->ivalue = (int64_t)v;
    return CLINIT_SUCCESS;
}

clinit_status ci_fill_integer(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, const ci_geometry *g,
                              const ci_resolved *r, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    int32_t v32 = (int32_t)r->ivalue;
    int64_t v64 = r->ivalue;
    size_t esize = clinit_dtype_size(t->dtype);
    const void *pattern = t->dtype == CLINIT_I32 ? (const void *)&v32 : (const void *)&v64;
    /* ci_check_fill has checked that offset + numel elements fit the buffer */
    cl_int err = clEnqueueFillBuffer(queue, t->buffer, pattern, esize, t->offset_bytes, (size_t)g->numel * esize, nwait,
                                     nwait ? wait : NULL, event);
    return err == CL_SUCCESS ? CLINIT_SUCCESS : CLINIT_CLFAIL(ctx, err, "clEnqueueFillBuffer");
}

void ci_reference_integer(clinit_dtype dtype, const ci_geometry *g, const ci_resolved *r, void *dst)
{
    for (uint64_t i = 0; i < g->numel; i++) {
        if (dtype == CLINIT_I32)
            ((int32_t *)dst)[i] = (int32_t)r->ivalue;
        else
            ((int64_t *)dst)[i] = r->ivalue;
    }
}
