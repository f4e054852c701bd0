/*
 * Prints the layout of clinit.h's structures as JSON ({"struct": {"sizeof": n, "field": offset, …}}), which
 * python/tests/test_abi.py compares with the ctypes Structures of the Python package field for field.
 */
#include <clinit.h>

#include <stddef.h>
#include <stdio.h>

#define FIELD(s, f) printf(", \"%s\": %zu", #f, offsetof(s, f))

int main(void)
{
    printf("{\"clinit_tensor\": {\"sizeof\": %zu", sizeof(clinit_tensor));
    FIELD(clinit_tensor, buffer);
    FIELD(clinit_tensor, offset_bytes);
    FIELD(clinit_tensor, dtype);
    FIELD(clinit_tensor, rank);
    FIELD(clinit_tensor, shape);
    FIELD(clinit_tensor, layout);
    FIELD(clinit_tensor, has_box);
    FIELD(clinit_tensor, box_start);
    FIELD(clinit_tensor, box_extent);
    FIELD(clinit_tensor, in_axes);
    FIELD(clinit_tensor, out_axes);
    FIELD(clinit_tensor, batch_axes);
    printf("},\n \"clinit_init_spec\": {\"sizeof\": %zu", sizeof(clinit_init_spec));
    FIELD(clinit_init_spec, kind);
    FIELD(clinit_init_spec, a);
    FIELD(clinit_init_spec, b);
    FIELD(clinit_init_spec, mean);
    FIELD(clinit_init_spec, std);
    FIELD(clinit_init_spec, val);
    FIELD(clinit_init_spec, gain);
    FIELD(clinit_init_spec, mode);
    FIELD(clinit_init_spec, nonlinearity);
    FIELD(clinit_init_spec, fan_in);
    FIELD(clinit_init_spec, scale);
    FIELD(clinit_init_spec, distribution);
    FIELD(clinit_init_spec, groups);
    FIELD(clinit_init_spec, sparsity);
    FIELD(clinit_init_spec, generation);
    FIELD(clinit_init_spec, has_column_axis);
    FIELD(clinit_init_spec, column_axis);
    printf("},\n \"clinit_distribution\": {\"sizeof\": %zu", sizeof(clinit_distribution));
    FIELD(clinit_distribution, kind);
    FIELD(clinit_distribution, value);
    FIELD(clinit_distribution, low);
    FIELD(clinit_distribution, high);
    FIELD(clinit_distribution, mean);
    FIELD(clinit_distribution, std);
    FIELD(clinit_distribution, count);
    FIELD(clinit_distribution, expected_mean);
    FIELD(clinit_distribution, expected_std);
    printf("},\n \"clinit_batch_item\": {\"sizeof\": %zu", sizeof(clinit_batch_item));
    FIELD(clinit_batch_item, tensor);
    FIELD(clinit_batch_item, spec);
    FIELD(clinit_batch_item, stream);
    printf("},\n \"clinit_init_info\": {\"sizeof\": %zu", sizeof(clinit_init_info));
    FIELD(clinit_init_info, name);
    FIELD(clinit_init_info, dist);
    FIELD(clinit_init_info, needs_fans);
    FIELD(clinit_init_info, min_rank);
    FIELD(clinit_init_info, max_rank);
    FIELD(clinit_init_info, layouts);
    FIELD(clinit_init_info, param_count);
    FIELD(clinit_init_info, source);
    FIELD(clinit_init_info, doc);
    printf("},\n \"clinit_param_info\": {\"sizeof\": %zu", sizeof(clinit_param_info));
    FIELD(clinit_param_info, name);
    FIELD(clinit_param_info, type);
    FIELD(clinit_param_info, required);
    FIELD(clinit_param_info, default_value);
    FIELD(clinit_param_info, min);
    FIELD(clinit_param_info, max);
    FIELD(clinit_param_info, min_open);
    FIELD(clinit_param_info, max_open);
    FIELD(clinit_param_info, value_count);
    FIELD(clinit_param_info, values);
    FIELD(clinit_param_info, doc);
    printf("},\n \"enum\": %zu, \"CLINIT_MAX_RANK\": %d}\n", sizeof(clinit_init_kind), CLINIT_MAX_RANK);
    return 0;
}
