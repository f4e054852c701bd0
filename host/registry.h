/* The initializer registry (host/registry.c): one row per clinit_init_kind with every fact the library, the CLI,
 * the Python binding and the tools take about an initializer — its name, parameters (type, field, default,
 * range, whether required), the parameters it fixes, the ranks and layouts it takes, whether it reads fans, its
 * rule (host/rules.c), its source and a one-line doc. The public queries (clinit_init_get_info,
 * clinit_init_get_param_info) read it; nothing else keeps a list of initializers. */
#ifndef CLINIT_REGISTRY_H
#define CLINIT_REGISTRY_H

#include "internal.h"

#include <stddef.h>

/* What a parameter is to the distribution an initializer resolves to, for the messages that refuse a derived
 * value: the low or high bound, mean, std or value it is directly ("b = 1e+39 is outside …"), or the factor the
 * derived ones scale with ("the upper bound 5.5e+05 (from gain = 1e+06)"). */
typedef enum ci_param_role {
    CLINIT_ROLE_NONE = 0,
    CLINIT_ROLE_LOW,
    CLINIT_ROLE_HIGH,
    CLINIT_ROLE_MEAN,
    CLINIT_ROLE_STD,
    CLINIT_ROLE_VALUE,
    CLINIT_ROLE_SCALES
} ci_param_role;

/* One parameter an initializer takes. min/max and their open ends are the range a fill accepts (checked by
 * ci_registry_check_params); a NAME's range is its first value_count names; an AXIS's range depends on the
 * rank, which its rule checks. `bad` is the status of a value
 * outside it (INVALID_MODE, INVALID_NONLINEARITY, else INVALID_PARAMETER). */
typedef struct ci_param_row {
    const char *name;
    clinit_param_type type;
    size_t offset;     /* of its field in clinit_init_spec: a double (REAL), an int64_t (INTEGER), an enum (NAME) or
                    * an int (AXIS) */
    size_t has_offset; /* AXIS: of the int that says it was given (has_column_axis) */
    double def;
    double min, max;
    unsigned char min_open, max_open, required;
    ci_param_role role;
    int value_count;
    const char *values;
    clinit_status bad;
    const char *doc;
} ci_param_row;

/* A field an initializer sets whatever the spec holds: glorot_uniform is variance_scaling with scale 1, mode
 * fan_avg and distribution uniform; zeros is constant with val 0. */
typedef struct ci_fixed {
    size_t offset;
    clinit_param_type type;
    double value;
} ci_fixed;

/* What a rule gets: the spec with the kind's fixed fields set, the tensor, its element count (> 0) and fans
 * (needs_fans), and whether t is an empty tensor's stand-in (rules that relate parameters to extents skip those
 * checks then). Parameters, rank and layout have passed the row's checks. */
typedef struct ci_rule_input {
    const clinit_init_spec *spec;
    const clinit_tensor *t;
    uint64_t numel;
    int64_t fan_in, fan_out;
    int stand_in;
    const char *name;
} ci_rule_input;

/* The distribution an initializer samples on a tensor (host/rules.c); `what` names the fault on failure. */
typedef clinit_status (*ci_rule)(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size);

typedef struct ci_init_row {
    const char *name;
    clinit_dist_kind dist;
    int needs_fans;
    int min_rank, max_rank;
    unsigned layouts;
    const ci_param_row *params;
    int param_count;
    const ci_fixed *fixed;
    int fixed_count;
    ci_rule rule;
    const char *source, *doc;
} ci_init_row;

/* The row of kind, or NULL for a value outside the enum. */
const ci_init_row *ci_registry_row(clinit_init_kind kind);

/* The parameter `name` of row, or NULL. */
const ci_param_row *ci_registry_param(const ci_init_row *row, const char *name);

/* The parameter of row whose role is `role`, or NULL. */
const ci_param_row *ci_registry_role(const ci_init_row *row, ci_param_role role);

/* A parameter's value in spec, as a double (INTEGER and NAME converted). */
double ci_registry_value(const clinit_init_spec *spec, const ci_param_row *p);

/* *out = spec with row's fixed fields set: what the rule reads. */
void ci_registry_apply_fixed(const ci_init_row *row, const clinit_init_spec *spec, clinit_init_spec *out);

/* Checks every parameter of row in spec against its range, in the row's order; the first one outside gets its
 * `bad` status and "NAME: PARAM = VALUE must be …" in what. */
CI_MUST_CHECK clinit_status ci_registry_check_params(const ci_init_row *row, const clinit_init_spec *spec, char *what,
                                                     size_t what_size);

/* The rules the rows name (host/rules.c). */
CI_MUST_CHECK clinit_status ci_rule_constant(const ci_rule_input *in, clinit_distribution *d, char *what,
                                             size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_uniform(const ci_rule_input *in, clinit_distribution *d, char *what,
                                            size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_normal(const ci_rule_input *in, clinit_distribution *d, char *what,
                                           size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_xavier(const ci_rule_input *in, clinit_distribution *d, char *what,
                                           size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_kaiming(const ci_rule_input *in, clinit_distribution *d, char *what,
                                            size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_linear_bias(const ci_rule_input *in, clinit_distribution *d, char *what,
                                                size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_trunc_normal(const ci_rule_input *in, clinit_distribution *d, char *what,
                                                 size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_variance_scaling(const ci_rule_input *in, clinit_distribution *d, char *what,
                                                     size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_orthogonal(const ci_rule_input *in, clinit_distribution *d, char *what,
                                               size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_delta_orthogonal(const ci_rule_input *in, clinit_distribution *d, char *what,
                                                     size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_eye(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_dirac(const ci_rule_input *in, clinit_distribution *d, char *what,
                                          size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_sparse(const ci_rule_input *in, clinit_distribution *d, char *what,
                                           size_t what_size);
CI_MUST_CHECK clinit_status ci_rule_scaled_uniform(const ci_rule_input *in, clinit_distribution *d, char *what,
                                                   size_t what_size);

/* The distributions rules resolve to (host/rules.c): a constant (what an empty tensor resolves to), U[lo, hi),
 * N(mean, std²) restricted to [lo, hi], with their expected mean and std. */
CI_MUST_CHECK clinit_status ci_dist_constant(clinit_distribution *d, double v);
CI_MUST_CHECK clinit_status ci_dist_uniform(clinit_distribution *d, double lo, double hi);
CI_MUST_CHECK clinit_status ci_dist_normal(clinit_distribution *d, double mean, double std);
CI_MUST_CHECK clinit_status ci_dist_truncated(clinit_distribution *d, double mean, double std, double lo, double hi);

#endif
