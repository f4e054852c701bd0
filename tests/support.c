/* Helpers shared by the cmocka suites; see support.h. */
#define _POSIX_C_SOURCE 200809L /* nanosleep, strtok_r */
#include "support.h"

#include <errno.h>
#include <math.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sup_apply_filter(void)
{
    const char *f = getenv("CLINIT_TEST_FILTER");
    if (f && *f) cmocka_set_test_filter(f);
}

int sup_group_setup(void **state)
{
    sup_env *e = calloc(1, sizeof *e);
    if (!e) return -1;
    clinit_status st = clinit_ctx_create_default(&e->ctx);
    if (st != CLINIT_SUCCESS) {
        fprintf(stderr, "clinit_ctx_create_default: %s: %s\n", clinit_status_string(st), clinit_ctx_message(e->ctx));
        clinit_ctx_destroy(e->ctx);
        free(e);
        return -1;
    }
    e->context = clinit_ctx_cl_context(e->ctx);
    e->device = clinit_ctx_device(e->ctx);
    e->queue = clinit_ctx_queue(e->ctx);
    *state = e;
    return 0;
}

int sup_group_teardown(void **state)
{
    sup_env *e = *state;
    if (e) {
        if (e->queue) clFinish(e->queue);
        clinit_ctx_destroy(e->ctx);
        free(e);
    }
    return 0;
}

cl_mem sup_buffer(const sup_env *e, size_t bytes)
{
    cl_int err;
    cl_mem b = clCreateBuffer(e->context, CL_MEM_READ_WRITE, bytes, NULL, &err);
    if (err != CL_SUCCESS) fail_msg("clCreateBuffer(%zu bytes) failed: %d", bytes, (int)err);
    return b;
}

void sup_fill_pattern(const sup_env *e, cl_mem buf, size_t bytes, unsigned char pattern)
{
    unsigned char *p = malloc(bytes ? bytes : 1);
    assert_non_null(p);
    memset(p, pattern, bytes);
    cl_int err = clEnqueueWriteBuffer(e->queue, buf, CL_TRUE, 0, bytes, p, 0, NULL, NULL);
    free(p);
    if (err != CL_SUCCESS) fail_msg("clEnqueueWriteBuffer failed: %d", (int)err);
}

void sup_read(const sup_env *e, cl_mem buf, size_t offset, size_t bytes, void *dst)
{
    if (bytes == 0) return;
    cl_int err = clEnqueueReadBuffer(e->queue, buf, CL_TRUE, offset, bytes, dst, 0, NULL, NULL);
    if (err != CL_SUCCESS) fail_msg("clEnqueueReadBuffer failed: %d", (int)err);
}

void sup_assert_pattern_at(const void *p, size_t from, size_t to, unsigned char pattern, const char *file, int line)
{
    const unsigned char *b = p;
    for (size_t i = from; i < to; i++)
        if (b[i] != pattern)
            fail_msg("%s:%d: byte %zu is 0x%02x, expected the untouched sentinel 0x%02x (range [%zu, %zu))", file, line,
                     i, b[i], pattern, from, to);
}

cl_uint sup_mem_refcount(cl_mem buf)
{
    cl_uint n = 0;
    cl_int err = clGetMemObjectInfo(buf, CL_MEM_REFERENCE_COUNT, sizeof n, &n, NULL);
    if (err != CL_SUCCESS) fail_msg("clGetMemObjectInfo(CL_MEM_REFERENCE_COUNT) failed: %d", (int)err);
    return n;
}

clinit_tensor sup_tensor(cl_mem buf, size_t offset_bytes, int rank, const int64_t *shape)
{
    clinit_tensor t;
    memset(&t, 0, sizeof t);
    t.buffer = buf;
    t.offset_bytes = offset_bytes;
    t.dtype = CLINIT_F32;
    t.rank = rank;
    for (int d = 0; d < rank && d < CLINIT_MAX_RANK; d++) t.shape[d] = shape[d];
    t.layout = CLINIT_LAYOUT_OI;
    return t;
}

void sup_set_box(clinit_tensor *t, const int64_t *start, const int64_t *extent)
{
    t->has_box = 1;
    for (int d = 0; d < t->rank; d++) {
        t->box_start[d] = start[d];
        t->box_extent[d] = extent[d];
    }
}

size_t sup_numel(const clinit_tensor *t)
{
    int64_t n = -1;
    clinit_status st = clinit_tensor_numel(t, &n);
    if (st != CLINIT_SUCCESS) fail_msg("clinit_tensor_numel: %s", clinit_status_string(st));
    return (size_t)n;
}

void *sup_device_fill(const sup_env *e, const clinit_tensor *t, const clinit_init_spec *spec, uint64_t seed,
                      uint64_t stream, size_t offset_bytes)
{
    size_t bytes = sup_numel(t) * clinit_dtype_size(t->dtype);
    size_t total = offset_bytes + bytes + SUP_GUARD;
    cl_mem buf = sup_buffer(e, total);
    sup_fill_pattern(e, buf, total, SUP_SENTINEL);
    clinit_tensor tt = *t;
    tt.buffer = buf;
    tt.offset_bytes = offset_bytes;
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &tt, spec, seed, stream, 0, NULL, NULL));
    unsigned char *all = malloc(total);
    assert_non_null(all);
    sup_read(e, buf, 0, total, all);
    clReleaseMemObject(buf);
    sup_assert_pattern(all, 0, offset_bytes, SUP_SENTINEL);
    sup_assert_pattern(all, offset_bytes + bytes, total, SUP_SENTINEL);
    void *v = malloc(bytes ? bytes : 1);
    assert_non_null(v);
    memcpy(v, all + offset_bytes, bytes);
    free(all);
    return v;
}

void *sup_reference_fill(const clinit_tensor *t, const clinit_init_spec *spec, uint64_t seed, uint64_t stream)
{
    size_t bytes = sup_numel(t) * clinit_dtype_size(t->dtype);
    void *v = malloc(bytes ? bytes : 1);
    assert_non_null(v);
    clinit_status st = clinit_reference_fill(t, spec, seed, stream, v, bytes);
    if (st != CLINIT_SUCCESS) fail_msg("clinit_reference_fill: %s", clinit_status_string(st));
    return v;
}

sup_dist sup_resolve(const clinit_tensor *t, const clinit_init_spec *spec)
{
    clinit_distribution dd;
    clinit_status st = clinit_init_resolve(spec, t, &dd);
    if (st != CLINIT_SUCCESS) fail_msg("clinit_init_resolve: %s", clinit_status_string(st));
    sup_dist d = {(int)dd.kind, 0, 0};
    d.p0 = (float)(dd.kind == CLINIT_DIST_CONSTANT ? dd.value : dd.kind == CLINIT_DIST_UNIFORM ? dd.low : dd.mean);
    d.p1 = (float)(dd.kind == CLINIT_DIST_CONSTANT ? 0 : dd.kind == CLINIT_DIST_UNIFORM ? dd.high : dd.std);
    return d;
}

float sup_ulpf(float v)
{
    float a = fabsf(v);
    return nextafterf(a, INFINITY) - a;
}

double sup_normal_tol(float v_ref, float mean, float std)
{
    return 0x1p-20 * ((double)std + fabs((double)v_ref - (double)mean)) + (double)sup_ulpf(v_ref);
}

uint32_t sup_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

float sup_from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

void sup_compare_at(const float *dev, const float *ref, size_t n, const char *what, const char *file, int line)
{
    for (size_t i = 0; i < n; i++)
        if (sup_bits(dev[i]) != sup_bits(ref[i]))
            fail_msg("%s:%d: %s: element %zu: device %a (0x%08x) != reference %a (0x%08x)", file, line, what, i,
                     (double)dev[i], sup_bits(dev[i]), (double)ref[i], sup_bits(ref[i]));
}

int sup_has_fp64(const sup_env *e)
{
    cl_device_fp_config c = 0;
    clGetDeviceInfo(e->device, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof c, &c, NULL);
    return c != 0;
}

double sup_value(const void *values, clinit_dtype dtype, size_t i)
{
    if (dtype == CLINIT_F64) return ((const double *)values)[i];
    if (dtype == CLINIT_F32) return ((const float *)values)[i];
    uint16_t h = ((const uint16_t *)values)[i];
    if (dtype == CLINIT_BF16) return sup_from_bits((uint32_t)h << 16);
    int ex = (h >> 10) & 31, m = h & 1023;
    double v = ex == 0 ? ldexp(m, -24) : ldexp(1024 + m, ex - 25);
    return (h & 0x8000) ? -v : v;
}

void sup_check_box(sup_env *e, const clinit_tensor *full, const clinit_init_spec *s, uint64_t seed, uint64_t stream,
                   const int64_t *start, const int64_t *extent)
{
    size_t es = clinit_dtype_size(full->dtype);
    unsigned char *all = sup_device_fill(e, full, s, seed, stream, 0);
    clinit_tensor b = *full;
    sup_set_box(&b, start, extent);
    unsigned char *box = sup_device_fill(e, &b, s, seed, stream, 2 * es);
    unsigned char *ref = sup_reference_fill(&b, s, seed, stream);
    size_t nb = sup_numel(&b);
    assert_memory_equal(box, ref, nb * es);
    int rank = full->rank;
    int64_t idx[CLINIT_MAX_RANK] = {0};
    for (size_t k = 0; k < nb; k++) {
        size_t flat = 0;
        for (int d = 0; d < rank; d++) flat = flat * (size_t)full->shape[d] + (size_t)(start[d] + idx[d]);
        if (memcmp(box + k * es, all + flat * es, es) != 0) fail_msg("box element %zu differs from the full fill", k);
        for (int d = rank - 1; d >= 0; d--) {
            if (++idx[d] < extent[d]) break;
            idx[d] = 0;
        }
    }
    free(all);
    free(box);
    free(ref);
}

void sup_gram_error(const void *v, clinit_dtype dtype, size_t rows, size_t cols, double scale, double *max_abs,
                    double *row_sum)
{
    int tall = rows >= cols;
    size_t m = tall ? rows : cols, n = tall ? cols : rows;
    double *q = malloc(m * n * sizeof *q);
    assert_non_null(q);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            double x = sup_value(v, dtype, r * cols + c) / scale;
            if (tall)
                q[c * m + r] = x;
            else
                q[r * m + c] = x;
        }
    double *rs = calloc(n, sizeof *rs);
    assert_non_null(rs);
    *max_abs = 0;
    *row_sum = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = a; b < n; b++) {
            double s = 0;
            for (size_t i = 0; i < m; i++) s += q[a * m + i] * q[b * m + i];
            s = fabs(s - (a == b));
            if (s > *max_abs) *max_abs = s;
            rs[a] += s;
            if (b != a) rs[b] += s;
        }
    for (size_t a = 0; a < n; a++)
        if (rs[a] > *row_sum) *row_sum = rs[a];
    free(rs);
    free(q);
}

cl_int sup_event_status(cl_event ev)
{
    cl_int st = -1;
    assert_int_equal(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof st, &st, NULL), CL_SUCCESS);
    return st;
}

void sup_gated_fill(const sup_env *e, clinit_tensor t, const clinit_init_spec *s, uint64_t seed, uint64_t stream)
{
    cl_int err;
    size_t bytes = sup_numel(&t) * clinit_dtype_size(t.dtype), total = t.offset_bytes + bytes + SUP_GUARD;
    cl_mem buf = sup_buffer(e, total);
    sup_fill_pattern(e, buf, total, SUP_SENTINEL);
    t.buffer = buf;
    cl_command_queue side = clCreateCommandQueue(e->context, e->device, 0, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_event gate = clCreateUserEvent(e->context, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_event done = NULL;
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, s, seed, stream, 1, &gate, &done));
    assert_non_null(done);
    assert_int_equal(clFlush(e->queue), CL_SUCCESS);
    nanosleep(&(struct timespec){0, 50000000L}, NULL); /* time for a fill that ignored the gate to run */
    assert_true(sup_event_status(done) > CL_COMPLETE); /* queued, submitted or running: not complete */
    unsigned char *host = malloc(total);
    assert_non_null(host);
    assert_int_equal(clEnqueueReadBuffer(side, buf, CL_TRUE, 0, total, host, 0, NULL, NULL), CL_SUCCESS);
    sup_assert_pattern(host, 0, total, SUP_SENTINEL);
    assert_int_equal(clSetUserEventStatus(gate, CL_COMPLETE), CL_SUCCESS);
    assert_int_equal(clWaitForEvents(1, &done), CL_SUCCESS);
    assert_int_equal(sup_event_status(done), CL_COMPLETE);
    assert_int_equal(clEnqueueReadBuffer(side, buf, CL_TRUE, 0, total, host, 0, NULL, NULL), CL_SUCCESS);
    sup_assert_pattern(host, 0, t.offset_bytes, SUP_SENTINEL);
    sup_assert_pattern(host, t.offset_bytes + bytes, total, SUP_SENTINEL);
    void *ref = sup_reference_fill(&t, s, seed, stream);
    if (memcmp(host + t.offset_bytes, ref, bytes) != 0) fail_msg("gated fill: device differs from the reference");
    free(ref);
    free(host);
    clReleaseEvent(done);
    clReleaseEvent(gate);
    clFinish(e->queue);
    clReleaseCommandQueue(side);
    clReleaseMemObject(buf);
}

int sup_parse_dims(const char *s, int *rank, int64_t *dims)
{
    *rank = 0;
    if (strcmp(s, "scalar") == 0) return 0;
    const char *p = s;
    for (;;) {
        if (*rank == CLINIT_MAX_RANK || *p < '0' || *p > '9') return -1;
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (errno != 0) return -1;
        dims[(*rank)++] = v;
        if (*end == '\0') return 0;
        if (*end != 'x') return -1;
        p = end + 1;
    }
}

static const char *const sup_dtype_names[] = {
    [CLINIT_F32] = "f32", [CLINIT_F16] = "f16", [CLINIT_BF16] = "bf16", [CLINIT_F64] = "f64"};

int sup_dtype_from_name(const char *name, clinit_dtype *out)
{
    for (int d = 0; d < (int)(sizeof sup_dtype_names / sizeof sup_dtype_names[0]); d++)
        if (strcmp(name, sup_dtype_names[d]) == 0) {
            *out = (clinit_dtype)d;
            return 0;
        }
    return -1;
}

const char *sup_dtype_name(clinit_dtype dtype)
{
    return (unsigned)dtype < sizeof sup_dtype_names / sizeof sup_dtype_names[0] ? sup_dtype_names[dtype] : NULL;
}

int sup_spec_set_params(clinit_init_spec *spec, const char *params)
{
    char buf[512];
    if (snprintf(buf, sizeof buf, "%s", params) >= (int)sizeof buf) return -1;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            fprintf(stderr, "parameter \"%s\" is not name=value\n", tok);
            return -1;
        }
        *eq = '\0';
        char msg[256];
        if (clinit_init_spec_set_message(spec, tok, eq + 1, msg, sizeof msg) != CLINIT_SUCCESS) {
            fprintf(stderr, "%s\n", msg);
            return -1;
        }
    }
    return 0;
}

uint64_t sup_bits_at(const void *values, clinit_dtype dtype, size_t i)
{
    size_t size = clinit_dtype_size(dtype);
    const unsigned char *p = (const unsigned char *)values + i * size;
    if (size == 2) {
        uint16_t h;
        memcpy(&h, p, sizeof h);
        return h;
    }
    if (size == 8) {
        uint64_t u;
        memcpy(&u, p, sizeof u);
        return u;
    }
    uint32_t u;
    memcpy(&u, p, sizeof u);
    return u;
}
