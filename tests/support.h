/* Helpers shared by the cmocka suites: one clinit context per test process, buffers with guard bands,
 * blocking read-back, and the comparison rules of docs/ALGORITHMS.md (exact for constant/uniform, the
 * normal-family tolerance otherwise). Every helper fails the running cmocka test on an error. */
#ifndef CLINIT_TEST_SUPPORT_H
#define CLINIT_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clinit.h"

/* Byte every guard band and sentinel is filled with before a fill. */
#define SUP_SENTINEL 0xAB
/* Bytes of guard band after a tensor in sup_device_fill. */
#define SUP_GUARD 256

typedef struct sup_env {
    clinit_ctx *ctx;        /* from clinit_ctx_create_default: CLINIT_DEVICE is honoured */
    cl_context context;     /* the handle's, not retained */
    cl_device_id device;    /* the handle's, not retained */
    cl_command_queue queue; /* the handle's in-order queue */
} sup_env;

/* Runs only the tests whose names match the environment variable CLINIT_TEST_FILTER (cmocka's pattern with
 * * and ?), when set: for running one case by hand. Call first in main(). */
void sup_apply_filter(void);

/* cmocka group setup/teardown: *state becomes a sup_env (one kernel build per test process). */
int sup_group_setup(void **state);
int sup_group_teardown(void **state);
#define SUP_ENV(state) ((sup_env *)*(state))

/* A device buffer of `bytes` bytes (CL_MEM_READ_WRITE); fails the test if it cannot be created. */
cl_mem sup_buffer(const sup_env *e, size_t bytes);
/* Blocking write of `pattern` into every byte of [0, bytes). */
void sup_fill_pattern(const sup_env *e, cl_mem buf, size_t bytes, unsigned char pattern);
/* Blocking read of [offset, offset + bytes) into dst. */
void sup_read(const sup_env *e, cl_mem buf, size_t offset, size_t bytes, void *dst);
/* Fails the test if a byte of p[from, to) differs from pattern (names the first one). */
void sup_assert_pattern_at(const void *p, size_t from, size_t to, unsigned char pattern, const char *file, int line);
#define sup_assert_pattern(p, from, to, pattern) sup_assert_pattern_at((p), (from), (to), (pattern), __FILE__, __LINE__)
/* CL_MEM_REFERENCE_COUNT of a buffer. */
cl_uint sup_mem_refcount(cl_mem buf);

/* An f32 tensor description (layout OI, no box). */
clinit_tensor sup_tensor(cl_mem buf, size_t offset_bytes, int rank, const int64_t *shape);
/* Sets a box on t (rank entries each). */
void sup_set_box(clinit_tensor *t, const int64_t *start, const int64_t *extent);
/* Elements t describes (the box's when has_box); fails the test on an invalid tensor. */
size_t sup_numel(const clinit_tensor *t);

/* Fills `t` (its buffer and offset are replaced) on the device into a fresh buffer holding
 * `offset_bytes` + the tensor + SUP_GUARD bytes, all first set to SUP_SENTINEL; asserts CLINIT_SUCCESS and
 * that every byte outside the tensor is still SUP_SENTINEL. Returns the values (malloc'd; free them). */
void *sup_device_fill(const sup_env *e, const clinit_tensor *t, const clinit_init_spec *spec, uint64_t seed,
                      uint64_t stream, size_t offset_bytes);
/* clinit_reference_fill into a malloc'd array; asserts CLINIT_SUCCESS. */
void *sup_reference_fill(const clinit_tensor *t, const clinit_init_spec *spec, uint64_t seed, uint64_t stream);

/* The distribution `spec` resolves to on t's logical shape, with its float parameters. */
typedef struct sup_dist {
    int dist;     /* 0 constant, 1 uniform, 2 normal (clinit_init_resolve) */
    float p0, p1; /* (float) of clinit_init_resolve's p0, p1 */
} sup_dist;
sup_dist sup_resolve(const clinit_tensor *t, const clinit_init_spec *spec);

/* Distance from |v| to the next float away from zero. */
float sup_ulpf(float v);
/* docs/ALGORITHMS.md §4, accuracy of the normal family against exact (double-precision) Box–Muller of the
 * same uniforms: |v − v_exact| ≤ 2^-20·(std + |v − mean|) + ulp(v). The polynomial log/sqrt/sincos are
 * within 1 ulp and the measured worst case of z over all 2^23 uniforms is 6.7e-7 at |z| = 5.77, about a
 * sixth of this bound. */
double sup_normal_tol(float v_ref, float mean, float std);
/* Compares n device values with the reference: bit-identical for every distribution (docs/ALGORITHMS.md:
 * the generation uses correctly rounded operations only). Fails the test with the first offending index. */
void sup_compare_at(const float *dev, const float *ref, size_t n, const char *what, const char *file, int line);
#define sup_compare(dev, ref, n, what) sup_compare_at((dev), (ref), (n), (what), __FILE__, __LINE__)

/* CL_EVENT_COMMAND_EXECUTION_STATUS of ev (CL_COMPLETE, CL_RUNNING, …); fails the test if it cannot be read. */
cl_int sup_event_status(cl_event ev);

/* The async contract of one fill: t (its buffer replaced; offset kept, dtype any) is filled behind a user
 * event on the env's queue; until the event is set the fill is not complete and the buffer (read through a
 * second queue) is untouched; then the returned event completes, the tensor equals the host reference bit
 * for bit and the bytes around it are untouched. */
void sup_gated_fill(const sup_env *e, clinit_tensor t, const clinit_init_spec *s, uint64_t seed, uint64_t stream);

/* Element i of host values of dtype (16-bit values widened exactly) as a double. */
double sup_value(const void *values, clinit_dtype dtype, size_t i);
/* A box [start, start + extent) of `full` (its own buffer replaced), filled on the device, is the reference's box
 * and exactly the same region of the device's fill of the whole tensor (seed and stream as given). */
void sup_check_box(sup_env *e, const clinit_tensor *full, const clinit_init_spec *s, uint64_t seed, uint64_t stream,
                   const int64_t *start, const int64_t *extent);
/* max |G − I| and the largest row sum of |G − I| for the Gram matrix of the smaller side of the rows × cols
 * row-major matrix v of dtype (columns when rows ≥ cols, rows otherwise), scaled by 1/scale², in double. */
void sup_gram_error(const void *v, clinit_dtype dtype, size_t rows, size_t cols, double scale, double *max_abs,
                    double *row_sum);
/* Whether the device has double precision (cl_khr_fp64): f64 fills exist only there. */
int sup_has_fp64(const sup_env *e);

/* Text forms the golden files and their cases use. Dimensions "d0xd1x…" (decimal, each ≥ 0) or "scalar"
 * (rank 0) into *rank and dims[0..rank-1]: 0, or -1 when malformed or of more than CLINIT_MAX_RANK. */
int sup_parse_dims(const char *s, int *rank, int64_t *dims);
/* "f32", "f16", "bf16", "f64" and back: 0, or -1 for another name; NULL for an unknown dtype. */
int sup_dtype_from_name(const char *name, clinit_dtype *out);
const char *sup_dtype_name(clinit_dtype dtype);
/* Applies blank-separated "name=value" parameters to *spec with clinit_init_spec_set: 0, or -1 (the offending
 * one and the reason on stderr). */
int sup_spec_set_params(clinit_init_spec *spec, const char *params);
/* The bits of element i of host values of dtype: 16, 32 or 64 of them, by the dtype's size. */
uint64_t sup_bits_at(const void *values, clinit_dtype dtype, size_t i);

/* Bits of a float and back. */
uint32_t sup_bits(float f);
float sup_from_bits(uint32_t u);

/* Calls clinit, and on failure prints the status and the handle's message before failing the test. */
#define SUP_OK(ctx, call)                                                                                              \
    do {                                                                                                               \
        clinit_status sup_st_ = (call);                                                                                \
        if (sup_st_ != CLINIT_SUCCESS)                                                                                 \
            fail_msg("%s -> %d (%s): %s", #call, (int)sup_st_, clinit_status_string(sup_st_),                          \
                     clinit_ctx_message(ctx));                                                                         \
    } while (0)

#endif
