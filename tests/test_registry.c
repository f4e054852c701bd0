/* The initializer registry's public queries (clinit_init_count, clinit_init_get_info, clinit_init_get_param_info)
 * and the contract they state: each stated default is clinit_init_spec_default's, each stated range is the one
 * clinit_validate enforces (with the message it gives), each NAME parameter takes exactly its stated names. The
 * expected facts are PyTorch's, Keras's and JAX's (their signatures and checks), written out here. */
#include "support.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static clinit_tensor matrix(int64_t rows, int64_t cols)
{
    return (clinit_tensor){.dtype = CLINIT_F32, .rank = 2, .shape = {rows, cols}, .layout = CLINIT_LAYOUT_OI};
}

static clinit_param_info param(clinit_init_kind kind, const char *name)
{
    clinit_init_info info;
    assert_int_equal(clinit_init_get_info(kind, &info), CLINIT_SUCCESS);
    for (int i = 0; i < info.param_count; i++) {
        clinit_param_info p;
        assert_int_equal(clinit_init_get_param_info(kind, i, &p), CLINIT_SUCCESS);
        if (strcmp(p.name, name) == 0) return p;
    }
    fail_msg("%s takes no %s", info.name, name);
    return (clinit_param_info){0};
}

static void test_count_and_statuses(void **state)
{
    (void)state;
    assert_int_equal(clinit_init_count(), CLINIT_INIT_KIND_COUNT);
    clinit_init_info info, before;
    memset(&info, 0x5a, sizeof info);
    before = info;
    assert_int_equal(clinit_init_get_info(CLINIT_INIT_NORMAL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_init_get_info((clinit_init_kind)-1, &info), CLINIT_ERROR_INVALID_INIT);
    assert_int_equal(clinit_init_get_info(CLINIT_INIT_KIND_COUNT, &info), CLINIT_ERROR_INVALID_INIT);
    assert_memory_equal(&info, &before, sizeof info);
    clinit_param_info p, p_before;
    memset(&p, 0x5a, sizeof p);
    p_before = p;
    assert_int_equal(clinit_init_get_param_info(CLINIT_INIT_NORMAL, 0, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_init_get_param_info((clinit_init_kind)99, 0, &p), CLINIT_ERROR_INVALID_INIT);
    assert_int_equal(clinit_init_get_param_info(CLINIT_INIT_NORMAL, -1, &p), CLINIT_ERROR_UNKNOWN_PARAMETER);
    assert_int_equal(clinit_init_get_param_info(CLINIT_INIT_NORMAL, 2, &p), CLINIT_ERROR_UNKNOWN_PARAMETER);
    assert_int_equal(clinit_init_get_param_info(CLINIT_INIT_ZEROS, 0, &p), CLINIT_ERROR_UNKNOWN_PARAMETER);
    assert_memory_equal(&p, &p_before, sizeof p);
}

/* Every row: its name parses back to its kind, its parameter list is clinit_init_param_names', each parameter's
 * default is clinit_init_spec_default's and is accepted by clinit_init_spec_set as the text the CLI would give. */
static void test_rows_agree_with_the_library(void **state)
{
    (void)state;
    for (int k = 0; k < clinit_init_count(); k++) {
        clinit_init_info info;
        assert_int_equal(clinit_init_get_info((clinit_init_kind)k, &info), CLINIT_SUCCESS);
        clinit_init_kind back;
        assert_int_equal(clinit_init_from_name(info.name, &back), CLINIT_SUCCESS);
        assert_int_equal(back, k);
        assert_string_equal(info.name, clinit_init_name((clinit_init_kind)k));
        assert_true(info.source[0] && info.doc[0]);
        assert_true(0 <= info.min_rank && info.min_rank <= info.max_rank && info.max_rank <= CLINIT_MAX_RANK);
        assert_true(info.layouts != 0 && (info.layouts >> 3) == 0);
        char names[256] = "";
        size_t used = 0;
        clinit_init_spec def = clinit_init_spec_default((clinit_init_kind)k);
        for (int i = 0; i < info.param_count; i++) {
            clinit_param_info p;
            assert_int_equal(clinit_init_get_param_info((clinit_init_kind)k, i, &p), CLINIT_SUCCESS);
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", p.name);
            char text[64];
            if (p.type == CLINIT_PARAM_AXIS) { /* unset by default: the layout's rule */
                assert_true(isnan(p.default_value) && !def.has_column_axis);
                continue;
            }
            if (p.type == CLINIT_PARAM_NAME) {
                /* the default's name: the default_value-th of values */
                const char *v = p.values;
                for (int j = 0; j < (int)p.default_value; j++) v = strchr(v, ',') + 2;
                snprintf(text, sizeof text, "%.*s", (int)strcspn(v, ","), v);
                int listed = 1;
                for (const char *c = p.values; (c = strstr(c, ", ")) != NULL; c += 2) listed++;
                assert_int_equal(p.value_count, listed);
                assert_true(p.min == 0 && p.max == listed - 1);
            } else
                snprintf(text, sizeof text, p.type == CLINIT_PARAM_INTEGER ? "%.0f" : "%.17g", p.default_value);
            clinit_init_spec set = clinit_init_spec_default((clinit_init_kind)k);
            memset((char *)&set + sizeof set.kind, 0x33, sizeof set - sizeof set.kind); /* every field changed */
            set.kind = (clinit_init_kind)k;
            if (p.type != CLINIT_PARAM_NAME && p.default_value < 0) continue; /* "-2": also accepted, tested below */
            assert_int_equal(clinit_init_spec_set(&set, p.name, text), CLINIT_SUCCESS);
            clinit_init_spec only = def;
            assert_int_equal(clinit_init_spec_set(&only, p.name, text), CLINIT_SUCCESS);
            assert_memory_equal(&only, &def, sizeof def); /* setting the default changes nothing */
        }
        assert_string_equal(names, clinit_init_param_names((clinit_init_kind)k));
    }
}

/* The facts the frameworks state, as the registry reports them. */
static void test_stated_facts(void **state)
{
    (void)state;
    clinit_param_info p = param(CLINIT_INIT_NORMAL, "std");
    assert_int_equal(p.type, CLINIT_PARAM_REAL);
    assert_true(p.default_value == 1 && p.min == 0 && !p.min_open && isinf(p.max) && p.max_open && !p.required);
    p = param(CLINIT_INIT_TRUNC_NORMAL, "std"); /* PyTorch's trunc_normal_ divides by std */
    assert_true(p.min == 0 && p.min_open);
    p = param(CLINIT_INIT_TRUNC_NORMAL, "a");
    assert_true(p.default_value == -2 && isinf(p.min) && p.min < 0 && !p.min_open && isinf(p.max) && !p.max_open);
    p = param(CLINIT_INIT_SPARSE, "sparsity");
    assert_true(p.required && p.min == 0 && p.max == 1 && !p.min_open && !p.max_open);
    assert_true(param(CLINIT_INIT_SPARSE, "std").default_value == 0.01); /* PyTorch's sparse_ */
    assert_true(param(CLINIT_INIT_CONSTANT, "val").required);
    p = param(CLINIT_INIT_LINEAR_DEFAULT_BIAS, "fan_in");
    assert_true(p.required && p.type == CLINIT_PARAM_INTEGER && p.min == 0 && p.max == 0x1p63);
    p = param(CLINIT_INIT_DIRAC, "groups");
    assert_true(!p.required && p.default_value == 1 && p.min == 1);
    p = param(CLINIT_INIT_KAIMING_NORMAL, "mode");
    assert_true(p.type == CLINIT_PARAM_NAME && p.value_count == 2 && p.default_value == CLINIT_FAN_IN);
    assert_string_equal(p.values, "fan_in, fan_out");
    p = param(CLINIT_INIT_VARIANCE_SCALING, "mode");
    assert_int_equal(p.value_count, 4);
    assert_string_equal(p.values, "fan_in, fan_out, fan_avg, fan_geo_avg");
    p = param(CLINIT_INIT_VARIANCE_SCALING, "distribution");
    assert_string_equal(p.values, "truncated_normal, untruncated_normal, uniform");
    assert_true(p.default_value == CLINIT_VS_TRUNCATED_NORMAL); /* Keras's default */
    p = param(CLINIT_INIT_KAIMING_UNIFORM, "nonlinearity");
    assert_true(p.default_value == CLINIT_NL_LEAKY_RELU);
    char all[512] = "";
    size_t used = 0;
    for (int i = 0; clinit_nonlinearity_name((clinit_nonlinearity)i); i++)
        used += (size_t)snprintf(all + used, sizeof all - used, "%s%s", i ? ", " : "",
                                 clinit_nonlinearity_name((clinit_nonlinearity)i));
    assert_string_equal(p.values, all);
    assert_int_equal(p.value_count, CLINIT_NL_SELU + 1);
    /* required parameters: exactly PyTorch's three without defaults */
    int required = 0;
    for (int k = 0; k < clinit_init_count(); k++) {
        clinit_init_info info;
        clinit_init_get_info((clinit_init_kind)k, &info);
        for (int i = 0; i < info.param_count; i++) {
            clinit_init_get_param_info((clinit_init_kind)k, i, &p);
            required += p.required;
        }
    }
    assert_int_equal(required, 3);

    clinit_init_info info;
    assert_int_equal(clinit_init_get_info(CLINIT_INIT_XAVIER_UNIFORM, &info), CLINIT_SUCCESS);
    /* ranks 0 and 1 under io: Keras's fans */
    assert_true(info.needs_fans && info.dist == CLINIT_DIST_UNIFORM && info.min_rank == 0 && info.param_count == 1);
    assert_int_equal(clinit_init_get_info(CLINIT_INIT_XAVIER_NORMAL, &info), CLINIT_SUCCESS);
    assert_true(info.dist == CLINIT_DIST_NORMAL); /* untruncated, unlike glorot_normal */
    assert_int_equal(clinit_init_get_info(CLINIT_INIT_GLOROT_NORMAL, &info), CLINIT_SUCCESS);
    assert_true(info.dist == CLINIT_DIST_TRUNCATED_NORMAL && info.param_count == 0);
    assert_int_equal(clinit_init_get_info(CLINIT_INIT_DIRAC, &info), CLINIT_SUCCESS);
    assert_true(!info.needs_fans && info.min_rank == 3 && info.max_rank == 5 &&
                info.layouts == ((1u << CLINIT_LAYOUT_OI) | (1u << CLINIT_LAYOUT_IO)));
    assert_int_equal(clinit_init_get_info(CLINIT_INIT_EYE, &info), CLINIT_SUCCESS);
    assert_true(info.min_rank == 2 && info.max_rank == 2 && info.dist == CLINIT_DIST_STRUCTURED);
    assert_int_equal(clinit_init_get_info(CLINIT_INIT_LINEAR_DEFAULT_BIAS, &info), CLINIT_SUCCESS);
    assert_true(!info.needs_fans && info.min_rank == 0);
}

/* The clinit_init_spec field of a parameter name. */
static size_t field_of(const char *name)
{
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        {"a", offsetof(clinit_init_spec, a)},
        {"b", offsetof(clinit_init_spec, b)},
        {"mean", offsetof(clinit_init_spec, mean)},
        {"std", offsetof(clinit_init_spec, std)},
        {"val", offsetof(clinit_init_spec, val)},
        {"gain", offsetof(clinit_init_spec, gain)},
        {"mode", offsetof(clinit_init_spec, mode)},
        {"nonlinearity", offsetof(clinit_init_spec, nonlinearity)},
        {"fan_in", offsetof(clinit_init_spec, fan_in)},
        {"scale", offsetof(clinit_init_spec, scale)},
        {"distribution", offsetof(clinit_init_spec, distribution)},
        {"groups", offsetof(clinit_init_spec, groups)},
        {"sparsity", offsetof(clinit_init_spec, sparsity)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].name, name) == 0) return fields[i].offset;
    fail_msg("no field %s", name);
    return 0;
}

/* A value just outside a stated end is refused by clinit_validate with the parameter's status and a message
 * naming it; the end itself (when closed) and a value just inside are accepted. */
static void expect(clinit_init_kind kind, const clinit_tensor *t, const char *name, double v, clinit_status want,
                   const char *message)
{
    clinit_init_spec s = clinit_init_spec_default(kind);
    if (kind == CLINIT_INIT_SPARSE && strcmp(name, "sparsity") != 0) s.sparsity = 0.5;
    clinit_param_info p = param(kind, name);
    char *field = (char *)&s + field_of(name);
    if (p.type == CLINIT_PARAM_REAL)
        *(double *)field = v;
    else if (p.type == CLINIT_PARAM_INTEGER)
        *(int64_t *)field = (int64_t)v;
    else
        *(int *)field = (int)v;
    char msg[512];
    assert_int_equal(clinit_validate(t, &s, msg, sizeof msg), want);
    if (message) assert_string_equal(msg, message);
}

static void test_ranges_are_enforced(void **state)
{
    (void)state;
    clinit_tensor m = matrix(8, 6);
    clinit_tensor conv = {.dtype = CLINIT_F32, .rank = 4, .shape = {8, 4, 3, 3}, .layout = CLINIT_LAYOUT_OI};
    clinit_tensor conv1d = {.dtype = CLINIT_F32, .rank = 3, .shape = {8, 4, 3}, .layout = CLINIT_LAYOUT_OI};
    /* every real parameter of every initializer: its closed ends accepted, the next double outside refused */
    for (int k = 0; k < clinit_init_count(); k++) {
        clinit_init_info info;
        clinit_init_get_info((clinit_init_kind)k, &info);
        const clinit_tensor *t = info.min_rank >= 3 ? &conv : &m;
        if (k == CLINIT_INIT_DELTA_ORTHOGONAL) t = &conv1d;
        for (int i = 0; i < info.param_count; i++) {
            clinit_param_info p;
            clinit_init_get_param_info((clinit_init_kind)k, i, &p);
            clinit_init_kind kind = (clinit_init_kind)k;
            if (p.type == CLINIT_PARAM_AXIS) continue; /* against the rank: test_orth_rules */
            if (p.type == CLINIT_PARAM_NAME) {
                clinit_status bad = strcmp(p.name, "mode") == 0           ? CLINIT_ERROR_INVALID_MODE
                                    : strcmp(p.name, "nonlinearity") == 0 ? CLINIT_ERROR_INVALID_NONLINEARITY
                                                                          : CLINIT_ERROR_INVALID_PARAMETER;
                expect(kind, t, p.name, p.value_count - 1, CLINIT_SUCCESS, "");
                expect(kind, t, p.name, p.value_count, bad, NULL);
                expect(kind, t, p.name, -1, bad, NULL);
                continue;
            }
            if (p.type == CLINIT_PARAM_INTEGER) {
                expect(kind, t, p.name, p.min, CLINIT_SUCCESS, "");
                expect(kind, t, p.name, p.min - 1, CLINIT_ERROR_INVALID_PARAMETER, NULL);
                continue;
            }
            expect(kind, t, p.name, NAN, CLINIT_ERROR_INVALID_PARAMETER, NULL);
            double below = p.min_open ? p.min : nextafter(p.min, -INFINITY);
            double above = p.max_open ? p.max : nextafter(p.max, INFINITY);
            if (!isinf(below) || p.min_open) expect(kind, t, p.name, below, CLINIT_ERROR_INVALID_PARAMETER, NULL);
            if (!isinf(above) || p.max_open) expect(kind, t, p.name, above, CLINIT_ERROR_INVALID_PARAMETER, NULL);
        }
    }
    /* the messages, each naming the initializer, the parameter, its value and its range */
    expect(CLINIT_INIT_NORMAL, &m, "std", -0.5, CLINIT_ERROR_INVALID_PARAMETER,
           "normal: std = -0.5 must be finite and >= 0");
    expect(CLINIT_INIT_TRUNC_NORMAL, &m, "std", 0, CLINIT_ERROR_INVALID_PARAMETER,
           "trunc_normal: std = 0 must be finite and > 0");
    expect(CLINIT_INIT_TRUNC_NORMAL, &m, "a", -INFINITY, CLINIT_SUCCESS, "");
    expect(CLINIT_INIT_TRUNC_NORMAL, &m, "a", NAN, CLINIT_ERROR_INVALID_PARAMETER,
           "trunc_normal: a = nan must be a number (not NaN)");
    expect(CLINIT_INIT_TRUNC_NORMAL, &m, "a", 3, CLINIT_ERROR_INVALID_PARAMETER,
           "trunc_normal: need a <= b, got a = 3, b = 2");
    expect(CLINIT_INIT_UNIFORM, &m, "b", INFINITY, CLINIT_ERROR_INVALID_PARAMETER, "uniform: b = inf must be finite");
    expect(CLINIT_INIT_UNIFORM, &m, "a", 2, CLINIT_ERROR_INVALID_PARAMETER, "uniform: a = 2 is greater than b = 1");
    expect(CLINIT_INIT_SPARSE, &m, "sparsity", 1.5, CLINIT_ERROR_INVALID_PARAMETER,
           "sparse: sparsity = 1.5 must be in [0, 1]");
    expect(CLINIT_INIT_SPARSE, &m, "sparsity", 1, CLINIT_SUCCESS, "");
    expect(CLINIT_INIT_DIRAC, &conv, "groups", 0, CLINIT_ERROR_INVALID_PARAMETER, "dirac: groups = 0 must be >= 1");
    expect(CLINIT_INIT_DIRAC, &conv, "groups", 3, CLINIT_ERROR_INVALID_PARAMETER,
           "dirac: groups = 3 must divide out = 8");
    expect(CLINIT_INIT_KAIMING_NORMAL, &m, "mode", CLINIT_FAN_AVG, CLINIT_ERROR_INVALID_MODE,
           "kaiming_normal: mode 2 is not one of fan_in, fan_out");
    expect(CLINIT_INIT_KAIMING_NORMAL, &m, "nonlinearity", 12, CLINIT_ERROR_INVALID_NONLINEARITY, NULL);
    expect(CLINIT_INIT_KAIMING_UNIFORM, &m, "a", INFINITY, CLINIT_ERROR_INVALID_PARAMETER,
           "kaiming_uniform: a = inf must be finite");
    expect(CLINIT_INIT_VARIANCE_SCALING, &m, "distribution", 3, CLINIT_ERROR_INVALID_PARAMETER,
           "variance_scaling: distribution 3 is not one of truncated_normal, untruncated_normal, uniform");
    expect(CLINIT_INIT_VARIANCE_SCALING, &m, "scale", 0, CLINIT_ERROR_INVALID_PARAMETER,
           "variance_scaling: scale = 0 must be finite and > 0");
    expect(CLINIT_INIT_ORTHOGONAL, &m, "gain", -2, CLINIT_SUCCESS, ""); /* PyTorch takes any gain */
    expect(CLINIT_INIT_XAVIER_UNIFORM, &m, "gain", -2, CLINIT_ERROR_INVALID_PARAMETER,
           "xavier_uniform: gain = -2 must be finite and >= 0");
    expect(CLINIT_INIT_LINEAR_DEFAULT_BIAS, &m, "fan_in", -1, CLINIT_ERROR_INVALID_PARAMETER,
           "linear_default_bias: fan_in = -1 must be >= 0");
}

/* Ranks and layouts a row states, refused with the row's words. */
static void expect_shape(clinit_init_kind kind, int rank, const int64_t *shape, clinit_layout layout,
                         clinit_status want, const char *message)
{
    clinit_tensor t = {.dtype = CLINIT_F32, .rank = rank, .layout = layout};
    memcpy(t.shape, shape, (size_t)rank * sizeof *shape);
    if (layout == CLINIT_LAYOUT_AXES) t.in_axes = 1u << 1, t.out_axes = 1u << 0;
    clinit_init_spec s = clinit_init_spec_default(kind);
    char msg[512];
    assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), want);
    assert_string_equal(msg, message);
}

static void test_ranks_and_layouts(void **state)
{
    (void)state;
    const int64_t sh[] = {4, 4, 3, 3, 3, 3};
    expect_shape(CLINIT_INIT_EYE, 3, sh, CLINIT_LAYOUT_OI, CLINIT_ERROR_INVALID_RANK, "eye needs rank 2, got rank 3");
    expect_shape(CLINIT_INIT_ORTHOGONAL, 1, sh, CLINIT_LAYOUT_OI, CLINIT_ERROR_INVALID_RANK,
                 "orthogonal needs rank >= 2, got rank 1");
    expect_shape(CLINIT_INIT_DELTA_ORTHOGONAL, 6, sh, CLINIT_LAYOUT_OI, CLINIT_ERROR_INVALID_RANK,
                 "delta_orthogonal needs rank 3, 4 or 5, got rank 6");
    expect_shape(CLINIT_INIT_DIRAC, 2, sh, CLINIT_LAYOUT_OI, CLINIT_ERROR_INVALID_RANK,
                 "dirac needs rank 3, 4 or 5, got rank 2");
    expect_shape(CLINIT_INIT_DIRAC, 4, sh, CLINIT_LAYOUT_AXES, CLINIT_ERROR_INVALID_LAYOUT,
                 "dirac takes layout oi or io, not axes");
    expect_shape(CLINIT_INIT_DELTA_ORTHOGONAL, 4, sh, CLINIT_LAYOUT_AXES, CLINIT_ERROR_INVALID_LAYOUT,
                 "delta_orthogonal takes layout oi or io, not axes");
    expect_shape(CLINIT_INIT_XAVIER_NORMAL, 1, sh, CLINIT_LAYOUT_OI, CLINIT_ERROR_INVALID_RANK,
                 "xavier_normal needs a tensor of rank >= 2 to compute fan_in and fan_out under layout oi, as PyTorch "
                 "and JAX do, got rank 1; layout io takes Keras's fans for rank 0 and 1");
    expect_shape(CLINIT_INIT_XAVIER_NORMAL, 1, sh, CLINIT_LAYOUT_IO, CLINIT_SUCCESS, "");
    expect_shape(CLINIT_INIT_UNIFORM, 0, sh, CLINIT_LAYOUT_AXES, CLINIT_SUCCESS, "");
    /* an empty tensor's layout is refused as a non-empty one's, its rank is not */
    const int64_t empty[] = {0, 4};
    expect_shape(CLINIT_INIT_DIRAC, 2, empty, CLINIT_LAYOUT_AXES, CLINIT_ERROR_INVALID_LAYOUT,
                 "dirac takes layout oi or io, not axes");
    expect_shape(CLINIT_INIT_DIRAC, 2, empty, CLINIT_LAYOUT_OI, CLINIT_SUCCESS, "");
}

static int same_distribution(const clinit_distribution *x, const clinit_distribution *y)
{
    return x->kind == y->kind && x->low == y->low && x->high == y->high && x->mean == y->mean && x->std == y->std &&
           x->value == y->value;
}

/* The parameters a row fixes: Keras's named variance scalings are variance_scaling with theirs, PyTorch's layer
 * weight is kaiming_uniform with a = √5, zeros and ones are constants; a spec's other fields never leak in. */
static void test_fixed_parameters(void **state)
{
    (void)state;
    clinit_tensor t = matrix(30, 20);
    static const struct {
        clinit_init_kind named;
        double scale;
        clinit_fan_mode mode;
        clinit_vs_distribution dist;
    } keras[] = {
        {CLINIT_INIT_GLOROT_UNIFORM, 1, CLINIT_FAN_AVG, CLINIT_VS_UNIFORM},
        {CLINIT_INIT_GLOROT_NORMAL, 1, CLINIT_FAN_AVG, CLINIT_VS_TRUNCATED_NORMAL},
        {CLINIT_INIT_HE_UNIFORM, 2, CLINIT_FAN_IN, CLINIT_VS_UNIFORM},
        {CLINIT_INIT_HE_NORMAL, 2, CLINIT_FAN_IN, CLINIT_VS_TRUNCATED_NORMAL},
        {CLINIT_INIT_LECUN_UNIFORM, 1, CLINIT_FAN_IN, CLINIT_VS_UNIFORM},
        {CLINIT_INIT_LECUN_NORMAL, 1, CLINIT_FAN_IN, CLINIT_VS_TRUNCATED_NORMAL},
    };
    for (size_t i = 0; i < sizeof keras / sizeof keras[0]; i++) {
        clinit_init_spec named = clinit_init_spec_default(keras[i].named);
        named.scale = 7, named.mode = CLINIT_FAN_OUT, named.distribution = CLINIT_VS_UNTRUNCATED_NORMAL;
        clinit_init_spec vs = clinit_init_spec_default(CLINIT_INIT_VARIANCE_SCALING);
        vs.scale = keras[i].scale, vs.mode = keras[i].mode, vs.distribution = keras[i].dist;
        clinit_distribution a, b;
        assert_int_equal(clinit_init_resolve(&named, &t, &a), CLINIT_SUCCESS);
        assert_int_equal(clinit_init_resolve(&vs, &t, &b), CLINIT_SUCCESS);
        assert_true(same_distribution(&a, &b));
    }
    clinit_init_spec w = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_WEIGHT);
    w.a = 0, w.mode = CLINIT_FAN_OUT, w.nonlinearity = CLINIT_NL_RELU;
    clinit_distribution d;
    assert_int_equal(clinit_init_resolve(&w, &t, &d), CLINIT_SUCCESS);
    /* PyTorch: gain √(2 / (1 + 5)), bound √3 · gain / √fan_in = 1/√20 up to rounding; these are its doubles */
    double gain = sqrt(2.0 / (1 + sqrt(5.0) * sqrt(5.0)));
    assert_true(d.kind == CLINIT_DIST_UNIFORM && d.high == sqrt(3.0) * (gain / sqrt(20.0)) && d.low == -d.high);
    assert_true(fabs(d.high - 1 / sqrt(20.0)) < 1e-15);
    clinit_init_spec z = clinit_init_spec_default(CLINIT_INIT_ZEROS), o = clinit_init_spec_default(CLINIT_INIT_ONES);
    z.val = o.val = 5;
    assert_int_equal(clinit_init_resolve(&z, &t, &d), CLINIT_SUCCESS);
    assert_true(d.kind == CLINIT_DIST_CONSTANT && d.value == 0);
    assert_int_equal(clinit_init_resolve(&o, &t, &d), CLINIT_SUCCESS);
    assert_true(d.kind == CLINIT_DIST_CONSTANT && d.value == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_and_statuses), cmocka_unit_test(test_rows_agree_with_the_library),
        cmocka_unit_test(test_stated_facts),       cmocka_unit_test(test_ranges_are_enforced),
        cmocka_unit_test(test_ranks_and_layouts),  cmocka_unit_test(test_fixed_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
