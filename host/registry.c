/* The initializer registry: one row per clinit_init_kind, the one place each fact about an initializer lives
 * (host/registry.h says what a row holds). Adding an initializer is adding its enumerator (include/clinit.h), its
 * row here and, where no rule fits, its rule (host/rules.c). Defaults are PyTorch's (Keras's for its names);
 * ranges are what a fill accepts. */
#include "registry.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The names of enum values, in enum order: one list each, the names a NAME parameter takes. The nonlinearities
 * are also an array for clinit_nonlinearity_name; each list below starts with ", " so that it can be written
 * as one literal, and is used from its third character. */
#define NONLINEARITIES(X)                                                                                              \
    X(CLINIT_NL_LINEAR, "linear")                                                                                      \
    X(CLINIT_NL_CONV1D, "conv1d")                                                                                      \
    X(CLINIT_NL_CONV2D, "conv2d")                                                                                      \
    X(CLINIT_NL_CONV3D, "conv3d")                                                                                      \
    X(CLINIT_NL_CONV_TRANSPOSE1D, "conv_transpose1d")                                                                  \
    X(CLINIT_NL_CONV_TRANSPOSE2D, "conv_transpose2d")                                                                  \
    X(CLINIT_NL_CONV_TRANSPOSE3D, "conv_transpose3d")                                                                  \
    X(CLINIT_NL_SIGMOID, "sigmoid")                                                                                    \
    X(CLINIT_NL_TANH, "tanh")                                                                                          \
    X(CLINIT_NL_RELU, "relu")                                                                                          \
    X(CLINIT_NL_LEAKY_RELU, "leaky_relu")                                                                              \
    X(CLINIT_NL_SELU, "selu")
#define NAME_AT(value, name) [value] = name,
#define LISTED(value, name) ", " name
#define COUNTED(value, name) +1

static const char *const nl_names[] = {NONLINEARITIES(NAME_AT)};
static const char nl_list[] = NONLINEARITIES(LISTED);
enum { NL_COUNT = 0 NONLINEARITIES(COUNTED) };
_Static_assert(sizeof nl_names / sizeof nl_names[0] == CLINIT_NL_SELU + 1 && NL_COUNT == CLINIT_NL_SELU + 1,
               "one name per clinit_nonlinearity");

/* clinit_fan_mode and clinit_vs_distribution (Keras's names; kaiming_* take the first two modes only). */
#define KAIMING_MODES(X) X(CLINIT_FAN_IN, "fan_in") X(CLINIT_FAN_OUT, "fan_out")
#define MODES(X) KAIMING_MODES(X) X(CLINIT_FAN_AVG, "fan_avg") X(CLINIT_FAN_GEO_AVG, "fan_geo_avg")
#define DISTRIBUTIONS(X)                                                                                               \
    X(CLINIT_VS_TRUNCATED_NORMAL, "truncated_normal")                                                                  \
    X(CLINIT_VS_UNTRUNCATED_NORMAL, "untruncated_normal") X(CLINIT_VS_UNIFORM, "uniform")
static const char kaiming_mode_list[] = KAIMING_MODES(LISTED);
static const char mode_list[] = MODES(LISTED);
static const char distribution_list[] = DISTRIBUTIONS(LISTED);
enum {
    KAIMING_MODE_COUNT = 0 KAIMING_MODES(COUNTED),
    MODE_COUNT = 0 MODES(COUNTED),
    DISTRIBUTION_COUNT = 0 DISTRIBUTIONS(COUNTED)
};
_Static_assert(MODE_COUNT == CLINIT_FAN_GEO_AVG + 1, "one name per clinit_fan_mode");
_Static_assert(DISTRIBUTION_COUNT == CLINIT_VS_UNIFORM + 1, "one name per clinit_vs_distribution");

/* ---- parameters ------------------------------------------------------------------------------------------ */

#define FIELD(f) offsetof(clinit_init_spec, f)
/* The members of a parameter row (brace them; add .required = 1 for one PyTorch has no default for). A real in
 * [lo, hi], an end excluded where lo_open / hi_open: */
#define REAL(n, def_, lo, lo_open, hi, hi_open, role_, doc_)                                                           \
    .name = #n, .type = CLINIT_PARAM_REAL, .offset = FIELD(n), .def = (def_), .min = (lo), .max = (hi),                \
    .min_open = (lo_open), .max_open = (hi_open), .role = (role_), .bad = CLINIT_ERROR_INVALID_PARAMETER,              \
    .doc = (doc_)
#define FINITE(n, def_, role_, doc_) REAL(n, def_, -INFINITY, 1, INFINITY, 1, role_, doc_)
#define NON_NEGATIVE(n, def_, role_, doc_) REAL(n, def_, 0, 0, INFINITY, 1, role_, doc_)
#define POSITIVE(n, def_, role_, doc_) REAL(n, def_, 0, 1, INFINITY, 1, role_, doc_)
#define INTEGER(n, def_, lo, doc_)                                                                                     \
    .name = #n, .type = CLINIT_PARAM_INTEGER, .offset = FIELD(n), .def = (def_), .min = (lo),                          \
    .max = (double)INT64_MAX, .bad = CLINIT_ERROR_INVALID_PARAMETER, .doc = (doc_)
/* An axis of the tensor, or of the matrix an initializer makes (lo .. hi the widest; the rule checks the rank's). */
#define AXIS(n, lo, hi, doc_)                                                                                          \
    .name = #n, .type = CLINIT_PARAM_AXIS, .offset = FIELD(n), .has_offset = FIELD(has_##n), .def = NAN, .min = (lo),  \
    .max = (hi), .bad = CLINIT_ERROR_INVALID_PARAMETER, .doc = (doc_)
/* One of the first `count` names of list (a ", "-led list, above). */
#define NAME(n, def_, list, count, bad_, doc_)                                                                         \
    .name = #n, .type = CLINIT_PARAM_NAME, .offset = FIELD(n), .def = (def_), .min = 0, .max = (count)-1,              \
    .value_count = (count), .values = (list) + 2, .bad = (bad_), .doc = (doc_)

#define GAIN_SCALES                                                                                                    \
    {                                                                                                                  \
        NON_NEGATIVE(gain, 1, CLINIT_ROLE_SCALES, "scaling factor of the std and bound")                               \
    }
#define KAIMING_PARAMS                                                                                                 \
    {FINITE(a, 0, CLINIT_ROLE_NONE, "negative slope of leaky_relu (the nonlinearity's param)")},                       \
        {NAME(mode, CLINIT_FAN_IN, kaiming_mode_list, KAIMING_MODE_COUNT, CLINIT_ERROR_INVALID_MODE,                   \
              "fan_in keeps the forward pass's variance, fan_out the backward pass's")},                               \
    {                                                                                                                  \
        NAME(nonlinearity, CLINIT_NL_LEAKY_RELU, nl_list, NL_COUNT, CLINIT_ERROR_INVALID_NONLINEARITY,                 \
             "the nonlinearity after the layer (clinit_calculate_gain)")                                               \
    }

/* A row's parameters and fixed fields: a static array and its length. */
#define PARAMS(...)                                                                                                    \
    .params = (const ci_param_row[]){__VA_ARGS__},                                                                     \
    .param_count = (int)(sizeof((const ci_param_row[]){__VA_ARGS__}) / sizeof(ci_param_row))
#define FIXED(...)                                                                                                     \
    .fixed = (const ci_fixed[]){__VA_ARGS__},                                                                          \
    .fixed_count = (int)(sizeof((const ci_fixed[]){__VA_ARGS__}) / sizeof(ci_fixed))
#define SET_REAL(f, v)                                                                                                 \
    {                                                                                                                  \
        FIELD(f), CLINIT_PARAM_REAL, (v)                                                                               \
    }
#define SET_NAME(f, v)                                                                                                 \
    {                                                                                                                  \
        FIELD(f), CLINIT_PARAM_NAME, (v)                                                                               \
    }
#define SPREAD(dist) SET_NAME(distribution, dist)
#define VS(scale_, mode_, dist_) FIXED(SET_REAL(scale, scale_), SET_NAME(mode, mode_), SPREAD(dist_))

#define ALL_LAYOUTS ((1u << CLINIT_LAYOUT_OI) | (1u << CLINIT_LAYOUT_IO) | (1u << CLINIT_LAYOUT_AXES))
#define OI_IO ((1u << CLINIT_LAYOUT_OI) | (1u << CLINIT_LAYOUT_IO))
/* Any rank; fan-based ones take the ranks clinit_compute_fans takes, which checks them: 2..8 under oi and axes,
 * 0..8 under io (Keras's fans below rank 2). */
#define ANY_RANK .min_rank = 0, .max_rank = CLINIT_MAX_RANK, .layouts = ALL_LAYOUTS
#define FANS .needs_fans = 1, .min_rank = 0, .max_rank = CLINIT_MAX_RANK, .layouts = ALL_LAYOUTS

/* √5 (correctly rounded): PyTorch's Linear/Conv reset_parameters passes a = math.sqrt(5) to kaiming_uniform_. */
#define SQRT5 0x1.1e3779b97f4a8p+1

static const ci_init_row rows[] = {
    [CLINIT_INIT_UNIFORM] = {"uniform", CLINIT_DIST_UNIFORM, ANY_RANK,
                             PARAMS({FINITE(a, 0, CLINIT_ROLE_LOW, "lower bound, included")},
                                    {FINITE(b, 1, CLINIT_ROLE_HIGH, "upper bound, excluded; a <= b")}),
                             .rule = ci_rule_uniform, .source = "PyTorch torch.nn.init.uniform_",
                             .doc = "U[a, b) (exactly a when a = b)"},
    [CLINIT_INIT_NORMAL] = {"normal", CLINIT_DIST_NORMAL, ANY_RANK,
                            PARAMS({FINITE(mean, 0, CLINIT_ROLE_MEAN, "mean")},
                                   {NON_NEGATIVE(std, 1, CLINIT_ROLE_STD, "standard deviation")}),
                            .rule = ci_rule_normal, .source = "PyTorch torch.nn.init.normal_", .doc = "N(mean, std^2)"},
    [CLINIT_INIT_CONSTANT] = {"constant", CLINIT_DIST_CONSTANT, ANY_RANK,
                              PARAMS({FINITE(val, 0, CLINIT_ROLE_VALUE, "the value of every element"), .required = 1}),
                              .rule = ci_rule_constant, .source = "PyTorch torch.nn.init.constant_",
                              .doc = "every element = val"},
    [CLINIT_INIT_ZEROS] = {"zeros", CLINIT_DIST_CONSTANT, ANY_RANK, FIXED(SET_REAL(val, 0)), .rule = ci_rule_constant,
                           .source = "PyTorch torch.nn.init.zeros_", .doc = "every element = 0"},
    [CLINIT_INIT_ONES] = {"ones", CLINIT_DIST_CONSTANT, ANY_RANK, FIXED(SET_REAL(val, 1)), .rule = ci_rule_constant,
                          .source = "PyTorch torch.nn.init.ones_", .doc = "every element = 1"},
    [CLINIT_INIT_XAVIER_UNIFORM] = {"xavier_uniform", CLINIT_DIST_UNIFORM, FANS, PARAMS(GAIN_SCALES),
                                    FIXED(SPREAD(CLINIT_VS_UNIFORM)), .rule = ci_rule_xavier,
                                    .source = "PyTorch torch.nn.init.xavier_uniform_ (Glorot & Bengio 2010)",
                                    .doc = "U[-B, B), B = gain * sqrt(6 / (fan_in + fan_out))"},
    [CLINIT_INIT_XAVIER_NORMAL] = {"xavier_normal", CLINIT_DIST_NORMAL, FANS, PARAMS(GAIN_SCALES),
                                   FIXED(SPREAD(CLINIT_VS_UNTRUNCATED_NORMAL)), .rule = ci_rule_xavier,
                                   .source = "PyTorch torch.nn.init.xavier_normal_ (Glorot & Bengio 2010)",
                                   .doc = "N(0, s^2), s = gain * sqrt(2 / (fan_in + fan_out)), untruncated"},
    [CLINIT_INIT_KAIMING_UNIFORM] = {"kaiming_uniform", CLINIT_DIST_UNIFORM, FANS, PARAMS(KAIMING_PARAMS),
                                     FIXED(SPREAD(CLINIT_VS_UNIFORM)), .rule = ci_rule_kaiming,
                                     .source = "PyTorch torch.nn.init.kaiming_uniform_ (He et al. 2015)",
                                     .doc = "U[-B, B), B = sqrt(3) * gain(nonlinearity, a) / sqrt(fan_mode)"},
    [CLINIT_INIT_KAIMING_NORMAL] = {"kaiming_normal", CLINIT_DIST_NORMAL, FANS, PARAMS(KAIMING_PARAMS),
                                    FIXED(SPREAD(CLINIT_VS_UNTRUNCATED_NORMAL)), .rule = ci_rule_kaiming,
                                    .source = "PyTorch torch.nn.init.kaiming_normal_ (He et al. 2015)",
                                    .doc = "N(0, s^2), s = gain(nonlinearity, a) / sqrt(fan_mode), untruncated"},
    [CLINIT_INIT_LINEAR_DEFAULT_WEIGHT] = {"linear_default_weight", CLINIT_DIST_UNIFORM, FANS,
                                           FIXED(SET_REAL(a, SQRT5), SET_NAME(mode, CLINIT_FAN_IN),
                                                 SET_NAME(nonlinearity, CLINIT_NL_LEAKY_RELU),
                                                 SPREAD(CLINIT_VS_UNIFORM)),
                                           .rule = ci_rule_kaiming,
                                           .source = "PyTorch nn.Linear/nn.ConvNd reset_parameters: "
                                                     "kaiming_uniform_(a=sqrt(5))",
                                           .doc = "U[-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's layer weight"},
    [CLINIT_INIT_LINEAR_DEFAULT_BIAS] = {"linear_default_bias", CLINIT_DIST_UNIFORM, ANY_RANK,
                                         PARAMS({INTEGER(fan_in, 0, 0, "fan_in of the layer's weight"), .required = 1}),
                                         .rule = ci_rule_linear_bias,
                                         .source = "PyTorch nn.Linear/nn.ConvNd reset_parameters (the bias)",
                                         .doc = "U[-1/sqrt(fan_in), 1/sqrt(fan_in)) with the weight's fan_in; "
                                                "0 when fan_in = 0"},
    [CLINIT_INIT_TRUNC_NORMAL] = {"trunc_normal", CLINIT_DIST_TRUNCATED_NORMAL, ANY_RANK,
                                  PARAMS({FINITE(mean, 0, CLINIT_ROLE_MEAN, "mean of the normal before truncation")},
                                         {POSITIVE(std, 1, CLINIT_ROLE_STD, "std of the normal before truncation")},
                                         {REAL(a, -2, -INFINITY, 0, INFINITY, 0, CLINIT_ROLE_LOW,
                                               "lower bound (absolute, not in stds); -inf allowed")},
                                         {REAL(b, 2, -INFINITY, 0, INFINITY, 0, CLINIT_ROLE_HIGH,
                                               "upper bound (absolute); +inf allowed; a <= b (a = b gives a)")}),
                                  .rule = ci_rule_trunc_normal, .source = "PyTorch torch.nn.init.trunc_normal_",
                                  .doc = "N(mean, std^2) restricted to [a, b]"},
    [CLINIT_INIT_VARIANCE_SCALING] =
        {"variance_scaling", CLINIT_DIST_TRUNCATED_NORMAL, FANS,
         PARAMS({POSITIVE(scale, 1, CLINIT_ROLE_SCALES, "the variance times n")},
                {NAME(mode, CLINIT_FAN_IN, mode_list, MODE_COUNT, CLINIT_ERROR_INVALID_MODE,
                      "n: fan_in, fan_out, their mean or their geometric mean")},
                {NAME(distribution, CLINIT_VS_TRUNCATED_NORMAL, distribution_list, DISTRIBUTION_COUNT,
                      CLINIT_ERROR_INVALID_PARAMETER, "truncated at 2 std (std corrected), untruncated, or uniform")}),
         .rule = ci_rule_variance_scaling,
         .source = "Keras keras.initializers.VarianceScaling, JAX "
                   "jax.nn.initializers.variance_scaling",
         .doc = "variance scale / n in the chosen distribution"},
    [CLINIT_INIT_GLOROT_UNIFORM] = {"glorot_uniform", CLINIT_DIST_UNIFORM, FANS,
                                    VS(1, CLINIT_FAN_AVG, CLINIT_VS_UNIFORM), .rule = ci_rule_variance_scaling,
                                    .source = "Keras/JAX glorot_uniform (Glorot & Bengio 2010)",
                                    .doc = "variance_scaling(1, fan_avg, uniform) = xavier_uniform"},
    [CLINIT_INIT_GLOROT_NORMAL] = {"glorot_normal", CLINIT_DIST_TRUNCATED_NORMAL, FANS,
                                   VS(1, CLINIT_FAN_AVG, CLINIT_VS_TRUNCATED_NORMAL), .rule = ci_rule_variance_scaling,
                                   .source = "Keras/JAX glorot_normal (Glorot & Bengio 2010)",
                                   .doc = "variance_scaling(1, fan_avg, truncated_normal): truncated, unlike "
                                          "xavier_normal"},
    [CLINIT_INIT_HE_UNIFORM] = {"he_uniform", CLINIT_DIST_UNIFORM, FANS, VS(2, CLINIT_FAN_IN, CLINIT_VS_UNIFORM),
                                .rule = ci_rule_variance_scaling, .source = "Keras/JAX he_uniform (He et al. 2015)",
                                .doc = "variance_scaling(2, fan_in, uniform)"},
    [CLINIT_INIT_HE_NORMAL] = {"he_normal", CLINIT_DIST_TRUNCATED_NORMAL, FANS,
                               VS(2, CLINIT_FAN_IN, CLINIT_VS_TRUNCATED_NORMAL), .rule = ci_rule_variance_scaling,
                               .source = "Keras/JAX he_normal (He et al. 2015)",
                               .doc = "variance_scaling(2, fan_in, truncated_normal): truncated, unlike "
                                      "kaiming_normal"},
    [CLINIT_INIT_LECUN_UNIFORM] = {"lecun_uniform", CLINIT_DIST_UNIFORM, FANS, VS(1, CLINIT_FAN_IN, CLINIT_VS_UNIFORM),
                                   .rule = ci_rule_variance_scaling,
                                   .source = "Keras/JAX lecun_uniform (LeCun et al. 1998)",
                                   .doc = "variance_scaling(1, fan_in, uniform)"},
    [CLINIT_INIT_LECUN_NORMAL] = {"lecun_normal", CLINIT_DIST_TRUNCATED_NORMAL, FANS,
                                  VS(1, CLINIT_FAN_IN, CLINIT_VS_TRUNCATED_NORMAL), .rule = ci_rule_variance_scaling,
                                  .source = "Keras/JAX lecun_normal (LeCun et al. 1998)",
                                  .doc = "variance_scaling(1, fan_in, truncated_normal)"},
    [CLINIT_INIT_ORTHOGONAL] = {"orthogonal", CLINIT_DIST_ORTHOGONAL, .min_rank = 2, .max_rank = CLINIT_MAX_RANK,
                                .layouts = ALL_LAYOUTS,
                                PARAMS({FINITE(gain, 1, CLINIT_ROLE_VALUE, "multiplies the orthonormal matrix")},
                                       {AXIS(column_axis, -CLINIT_MAX_RANK, CLINIT_MAX_RANK - 1,
                                             "JAX's: the axis of the matrix's columns, the others its rows; "
                                             "unset: the layout's rule")}),
                                .rule = ci_rule_orthogonal,
                                .source = "PyTorch torch.nn.init.orthogonal_ (layout oi), Keras Orthogonal (io, "
                                          "generation 2 on), JAX orthogonal (column_axis) (Saxe et al. 2014)",
                                .doc = "gain * an orthonormal matrix: (shape[0], rest) under oi, (rest, shape[-1]) "
                                       "under io, column_axis's columns"},
    [CLINIT_INIT_DELTA_ORTHOGONAL] =
        {"delta_orthogonal", CLINIT_DIST_ORTHOGONAL, .min_rank = 3, .max_rank = 5, .layouts = OI_IO,
         PARAMS({FINITE(scale, 1, CLINIT_ROLE_VALUE, "multiplies the orthonormal matrix")},
                {AXIS(column_axis, -2, 1, "JAX's: the axis of the (in, out) matrix that is its columns")}),
         .rule = ci_rule_delta_orthogonal, .source = "JAX jax.nn.initializers.delta_orthogonal (Xiao et al. 2018)",
         .doc = "scale * an orthonormal (in, out) matrix at the centre tap, 0 elsewhere; "
                "in <= out"},
    [CLINIT_INIT_EYE] = {"eye", CLINIT_DIST_STRUCTURED, .min_rank = 2, .max_rank = 2, .layouts = ALL_LAYOUTS,
                         PARAMS({FINITE(gain, 1, CLINIT_ROLE_VALUE, "the value on the diagonal")}), .rule = ci_rule_eye,
                         .source = "PyTorch torch.nn.init.eye_, Keras Identity(gain)",
                         .doc = "gain on the diagonal of a 2-D tensor (rectangular allowed), 0 elsewhere"},
    [CLINIT_INIT_DIRAC] = {"dirac", CLINIT_DIST_STRUCTURED, .min_rank = 3, .max_rank = 5, .layouts = OI_IO,
                           PARAMS({INTEGER(groups, 1, 1, "groups of output channels; divides out")}),
                           .rule = ci_rule_dirac, .source = "PyTorch torch.nn.init.dirac_",
                           .doc = "1 at the centre tap of each group's first min(out/groups, in) channel pairs"},
    [CLINIT_INIT_SPARSE] =
        {"sparse", CLINIT_DIST_SPARSE, .min_rank = 2, .max_rank = 2, .layouts = ALL_LAYOUTS,
         PARAMS({REAL(sparsity, 0, 0, 0, 1, 0, CLINIT_ROLE_NONE, "fraction of each column set to zero"), .required = 1},
                {NON_NEGATIVE(std, 0.01, CLINIT_ROLE_STD, "std of the non-zero values")}),
         .rule = ci_rule_sparse, .source = "PyTorch torch.nn.init.sparse_ (Martens 2010)",
         .doc = "N(0, std^2) with ceil(sparsity * rows) zeros in every column of a 2-D tensor"},
    [CLINIT_INIT_SCALED_UNIFORM] = {"scaled_uniform", CLINIT_DIST_UNIFORM, ANY_RANK, .rule = ci_rule_scaled_uniform,
                                    .source = "tinygrad Tensor.scaled_uniform",
                                    .doc = "U[-B, B), B = prod(shape)^-1/2 = 1 / sqrt(numel), of the whole tensor"},
};
_Static_assert(sizeof rows / sizeof rows[0] == CLINIT_INIT_KIND_COUNT, "one registry row per clinit_init_kind");

/* The fields no parameter of a kind sets (PyTorch's most common defaults); each row's parameters then set
 * their own. */
static const clinit_init_spec base_defaults = {
    .a = 0,
    .b = 1,
    .mean = 0,
    .std = 1,
    .val = 0,
    .gain = 1,
    .mode = CLINIT_FAN_IN,
    .nonlinearity = CLINIT_NL_LEAKY_RELU,
    .fan_in = 0,
    .scale = 1,
    .distribution = CLINIT_VS_TRUNCATED_NORMAL,
    .groups = 1,
    .sparsity = 0,
};

const ci_init_row *ci_registry_row(clinit_init_kind kind)
{
    return (unsigned)kind < (unsigned)CLINIT_INIT_KIND_COUNT ? &rows[kind] : NULL;
}

const ci_param_row *ci_registry_param(const ci_init_row *row, const char *name)
{
    for (int i = 0; i < row->param_count; i++)
        if (strcmp(row->params[i].name, name) == 0) return &row->params[i];
    return NULL;
}

const ci_param_row *ci_registry_role(const ci_init_row *row, ci_param_role role)
{
    for (int i = 0; i < row->param_count; i++)
        if (row->params[i].role == role) return &row->params[i];
    return NULL;
}

/* Sets a REAL, INTEGER or NAME field (an AXIS default is "unset": nothing to set). */
static void set_field(clinit_init_spec *spec, size_t offset, clinit_param_type type, double v)
{
    char *field = (char *)spec + offset;
    if (type == CLINIT_PARAM_AXIS) return;
    if (type == CLINIT_PARAM_REAL)
        *(double *)field = v;
    else if (type == CLINIT_PARAM_INTEGER)
        *(int64_t *)field = (int64_t)v;
    else
        *(int *)field = (int)v; /* the enums of clinit.h are int-sized */
}

double ci_registry_value(const clinit_init_spec *spec, const ci_param_row *p)
{
    const char *field = (const char *)spec + p->offset;
    if (p->type == CLINIT_PARAM_REAL) return *(const double *)field;
    if (p->type == CLINIT_PARAM_INTEGER) return (double)*(const int64_t *)field;
    if (p->type == CLINIT_PARAM_AXIS && !*(const int *)((const char *)spec + p->has_offset)) return NAN;
    return (double)*(const int *)field;
}

void ci_registry_apply_fixed(const ci_init_row *row, const clinit_init_spec *spec, clinit_init_spec *out)
{
    assert(row && spec && out);
    *out = *spec;
    for (int i = 0; i < row->fixed_count; i++)
        set_field(out, row->fixed[i].offset, row->fixed[i].type, row->fixed[i].value);
}

/* "finite and >= 0", "in [0, 1]", "not NaN": the range of p as the messages say it. */
static void range_text(const ci_param_row *p, char *out, size_t size)
{
    int lo_inf = isinf(p->min), hi_inf = isinf(p->max);
    if (p->type == CLINIT_PARAM_INTEGER)
        ci_c_snprintf(out, size, ">= %.0f", p->min);
    else if (lo_inf && hi_inf)
        ci_c_snprintf(out, size, p->min_open && p->max_open ? "finite" : "a number (not NaN)");
    else if (hi_inf && p->max_open)
        ci_c_snprintf(out, size, "finite and %s %g", p->min_open ? ">" : ">=", p->min);
    else
        ci_c_snprintf(out, size, "in %c%g, %g%c", p->min_open ? '(' : '[', p->min, p->max, p->max_open ? ')' : ']');
}

clinit_status ci_registry_check_params(const ci_init_row *row, const clinit_init_spec *spec, char *what,
                                       size_t what_size)
{
    for (int i = 0; i < row->param_count; i++) {
        const ci_param_row *p = &row->params[i];
        if (p->type == CLINIT_PARAM_AXIS) continue; /* against the rank: the rule's */
        double v = ci_registry_value(spec, p);
        if ((p->min_open ? v > p->min : v >= p->min) && (p->max_open ? v < p->max : v <= p->max)) continue;
        if (p->type == CLINIT_PARAM_NAME)
            return ci_explain(what, what_size, p->bad, "%s: %s %d is not one of %s", row->name, p->name, (int)v,
                              p->values);
        char range[64];
        range_text(p, range, sizeof range);
        if (p->type == CLINIT_PARAM_INTEGER)
            return ci_explain(what, what_size, p->bad, "%s: %s = %lld must be %s", row->name, p->name,
                              (long long)*(const int64_t *)((const char *)spec + p->offset), range);
        return ci_explain(what, what_size, p->bad, "%s: %s = %g must be %s", row->name, p->name, v, range);
    }
    return CLINIT_SUCCESS;
}

/* ---- the public queries ---------------------------------------------------------------------------------- */

int clinit_init_count(void) { return CLINIT_INIT_KIND_COUNT; }

const char *clinit_init_name(clinit_init_kind kind)
{
    const ci_init_row *row = ci_registry_row(kind);
    return row ? row->name : NULL;
}

clinit_status clinit_init_from_name(const char *name, clinit_init_kind *out)
{
    if (!name || !out) return CLINIT_ERROR_NULL_ARGUMENT;
    for (int i = 0; i < CLINIT_INIT_KIND_COUNT; i++)
        if (strcmp(name, rows[i].name) == 0) {
            *out = (clinit_init_kind)i;
            return CLINIT_SUCCESS;
        }
    return CLINIT_ERROR_INVALID_INIT;
}

clinit_init_spec clinit_init_spec_default(clinit_init_kind kind)
{
    clinit_init_spec s = base_defaults;
    s.kind = kind;
    const ci_init_row *row = ci_registry_row(kind);
    for (int i = 0; row && i < row->param_count; i++)
        set_field(&s, row->params[i].offset, row->params[i].type, row->params[i].def);
    return s;
}

/* The ", "-joined parameter names of every row, made once (rows are constant, the strings then too). */
static char param_lists[CLINIT_INIT_KIND_COUNT][96];
static pthread_once_t param_lists_once = PTHREAD_ONCE_INIT;

static void make_param_lists(void)
{
    for (int k = 0; k < CLINIT_INIT_KIND_COUNT; k++) {
        size_t used = 0;
        for (int i = 0; i < rows[k].param_count; i++)
            used += (size_t)ci_c_snprintf(param_lists[k] + used, sizeof param_lists[k] - used, "%s%s", i ? ", " : "",
                                          rows[k].params[i].name);
    }
}

const char *clinit_init_param_names(clinit_init_kind kind)
{
    if (!ci_registry_row(kind)) return NULL;
    pthread_once(&param_lists_once, make_param_lists);
    return param_lists[kind];
}

clinit_status clinit_init_get_info(clinit_init_kind kind, clinit_init_info *info)
{
    if (!info) return CLINIT_ERROR_NULL_ARGUMENT;
    const ci_init_row *row = ci_registry_row(kind);
    if (!row) return CLINIT_ERROR_INVALID_INIT;
    *info = (clinit_init_info){.name = row->name,
                               .dist = row->dist,
                               .needs_fans = row->needs_fans,
                               .min_rank = row->min_rank,
                               .max_rank = row->max_rank,
                               .layouts = row->layouts,
                               .param_count = row->param_count,
                               .source = row->source,
                               .doc = row->doc};
    return CLINIT_SUCCESS;
}

clinit_status clinit_init_get_param_info(clinit_init_kind kind, int index, clinit_param_info *info)
{
    if (!info) return CLINIT_ERROR_NULL_ARGUMENT;
    const ci_init_row *row = ci_registry_row(kind);
    if (!row) return CLINIT_ERROR_INVALID_INIT;
    if (index < 0 || index >= row->param_count) return CLINIT_ERROR_UNKNOWN_PARAMETER;
    const ci_param_row *p = &row->params[index];
    *info = (clinit_param_info){.name = p->name,
                                .type = p->type,
                                .required = p->required,
                                .default_value = p->def,
                                .min = p->min,
                                .max = p->max,
                                .min_open = p->min_open,
                                .max_open = p->max_open,
                                .value_count = p->value_count,
                                .values = p->values,
                                .doc = p->doc};
    return CLINIT_SUCCESS;
}

const char *clinit_nonlinearity_name(clinit_nonlinearity nl)
{
    return (unsigned)nl < (unsigned)NL_COUNT ? nl_names[nl] : NULL;
}

clinit_status clinit_nonlinearity_from_name(const char *name, clinit_nonlinearity *out)
{
    if (!name || !out) return CLINIT_ERROR_NULL_ARGUMENT;
    for (int i = 0; i < NL_COUNT; i++)
        if (strcmp(name, nl_names[i]) == 0) {
            *out = (clinit_nonlinearity)i;
            return CLINIT_SUCCESS;
        }
    return CLINIT_ERROR_INVALID_NONLINEARITY;
}
