/* Declarations shared by the library's sources; not installed, not part of the API. */
#ifndef CLINIT_INTERNAL_H
#define CLINIT_INTERNAL_H

#include "clinit.h"

#include "args.h" /* the kernels' argument structs (kernels/args.h) */

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>

/* On every function of the library's own that returns a status: a caller that drops one (and then reads what the
 * function did not write) does not compile. */
#define CI_MUST_CHECK __attribute__((warn_unused_result))

/* Element indices stay below 2^56: the counter layout of docs/ALGORITHMS.md keeps the top byte of ctr[1]
 * for the draw number (0 for the block draws, 1.. for an element's own draws). */
#define CLINIT_MAX_ELEMENTS (((uint64_t)1) << 56)

/* Work-items per launch in dimension 0; a larger range is split into several launches (values never depend
 * on the split). */
#define CLINIT_MAX_ITEMS_PER_LAUNCH (((uint64_t)1) << 30)

/* Room for a detail message, a build log's included. */
#define CLINIT_MESSAGE_BYTES 8192

/* Text as the "C" locale reads and writes it, whatever the caller's locale (c_locale.c): every message and
 * every number the library parses go through these. */
int ci_c_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ci_c_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
double ci_c_strtod(const char *s, char **end);
/* ' ', \t, \n, \v, \f, \r: isspace's answer in the "C" locale. */
int ci_ascii_blank(int c);

/* Sets ctx's message to "CALL failed: NAME (CODE)" and returns CLINIT_ERROR_OPENCL. */
#define CLINIT_CLFAIL(ctx, err, call)                                                                                  \
    ci_fail((ctx), CLINIT_ERROR_OPENCL, "%s failed: %s (%d)", (call), clinit_cl_error_name(err), (int)(err))

/* Kernels exist per clinit_dist_kind: constant, uniform, normal, truncated normal. */
#define CLINIT_DIST_COUNT 4
/* ... and the GPU rows kernels (kernels/fill.cl) per distribution and, where they differ, generation: constant,
 * uniform, normal of generation 1 and 2, truncated normal of generation 1 and 2. */
#define CLINIT_ROWS_KERNELS 6
static inline int ci_rows_slot(int dist, int generation) { return dist < 2 ? dist : 2 * dist - 2 + (generation >= 2); }

/* The described elements seen as `rows` runs of `run_len` logically consecutive elements. Run r starts at
 * logical index run_base + Σ_d (ostart[d] + idx_d(r))·ostride[d], idx_d being r's digits in the mixed radix
 * oext[0..7] (outermost first). Unused dims, and dims of extent 1 (folded into run_base), have ext 1, start 0,
 * stride 0. The kernels take exactly this. */
typedef struct ci_geometry {
    uint64_t numel;
    uint64_t run_len;
    uint64_t rows;
    uint64_t run_base;
    uint64_t ostart[CLINIT_MAX_RANK];
    uint64_t oext[CLINIT_MAX_RANK];
    uint64_t ostride[CLINIT_MAX_RANK];
} ci_geometry;

/* Fans of t in its layout: clinit_compute_fans, or clinit_compute_fans_axes for layout AXES. */
CI_MUST_CHECK clinit_status ci_tensor_fans(const clinit_tensor *t, int64_t *fan_in, int64_t *fan_out);

/* Validates rank, shape and box of t (not buffer, offset or dtype) and fills g. `what` receives a
 * message naming the offending field, `what_size` bytes. */
CI_MUST_CHECK clinit_status ci_geometry_from_tensor(const clinit_tensor *t, ci_geometry *g, char *what,
                                                    size_t what_size);
uint64_t ci_geometry_row_start(const ci_geometry *g, uint64_t row);

/* The 32-bit-computed output dtypes (f32, f16, bf16), in the order of clinit_dtype; f64 has kernels of its
 * own (kernels/fill64.cl), created only on devices with cl_khr_fp64. */
#define CLINIT_DTYPE_COUNT 3

/* The resolved distribution in the float parameters the kernels and the reference use (the kernels' float8):
 *   constant          p[0] = value
 *   uniform           [p[0], p[1]), clamped to [p[6], p[7]]: the smallest and largest dtype values inside
 *   normal            mean p[0], std p[1]
 *   truncated normal  mean p[0], std p[1], plan `method` with p[2..5] = ci_truncnorm_plan's c[0..3],
 *                     value clamped to [p[6], p[7]]: the smallest and largest dtype values inside [a, b] */
typedef struct ci_resolved {
    int dist;
    int method;
    int generation;  /* the generation contract the values follow, 1 … CLINIT_GENERATION_VERSION */
    float accept[2]; /* truncated normal from generation 2: the normal plan's candidates v = mean + std·z accepted in
                        [accept[0], accept[1]], the floats that round to the dtype's values inside [a, b] */
    float p[8];
    int64_t count;  /* sparse: zeros per column; dirac: groups */
    double p64[8];  /* f64 outputs: p in double (uniform: p64[7] is the double below p64[1]) */
    int64_t ivalue; /* i32, i64 outputs: the constant */
} ci_resolved;

/* The generation contract a spec's values follow: spec->generation, or the newest for 0 (validated by resolve). */
static inline int ci_spec_generation(const clinit_init_spec *spec)
{
    return spec->generation ? spec->generation : CLINIT_GENERATION_VERSION;
}

/* clinit_init_resolve into *d, then its conversion for t's dtype, with the dtype's checks, into *r (host/resolve.c);
 * `what` as above. */
CI_MUST_CHECK clinit_status ci_resolve_for_dtype(const clinit_init_spec *spec, const clinit_tensor *t,
                                                 clinit_distribution *d, ci_resolved *r, char *what, size_t what_size);

/* Integer dtypes (host/integer.c): i32 and i64 hold constants only. ci_resolve_integer is
 * ci_resolve_for_dtype's counterpart for them: constant, zeros and ones, the value an integer of the dtype
 * (UNSUPPORTED_DTYPE for another initializer, INVALID_PARAMETER for another value); the fill is one
 * clEnqueueFillBuffer over the described elements (contiguous from offset_bytes, box or not), the reference
 * the same value in every element. */
int ci_dtype_is_integer(clinit_dtype dtype);
CI_MUST_CHECK clinit_status ci_resolve_integer(const clinit_init_spec *spec, const clinit_tensor *t,
                                               clinit_distribution *d, ci_resolved *out, char *what, size_t what_size);
CI_MUST_CHECK clinit_status ci_fill_integer(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                            const ci_geometry *g, const ci_resolved *r, cl_uint nwait,
                                            const cl_event *wait, cl_event *event);
void ci_reference_integer(clinit_dtype dtype, const ci_geometry *g, const ci_resolved *r, void *dst);

/* 16-bit dtypes on the host (host/dtype.c): round to nearest even, exact widening, the largest finite
 * value, and the dtype values nearest to an interval's ends (smallest ≥ x, largest < x). */
uint16_t ci_f16_bits(float f);
float ci_f16_value(uint16_t h);
float ci_dtype_round(clinit_dtype dtype, float f);
float ci_dtype_max(clinit_dtype dtype);
float ci_dtype_ceil(clinit_dtype dtype, float x);
float ci_dtype_below(clinit_dtype dtype, float x);
float ci_dtype_floor(clinit_dtype dtype, float x);
/* The floats that round to v, v a value of the dtype: the smallest one that rounds to v or above, the largest one that
 * rounds to v or below (v itself in f32). */
float ci_dtype_bucket_low(clinit_dtype dtype, float v);
float ci_dtype_bucket_high(clinit_dtype dtype, float v);
/* Element k of a host buffer of dtype f32, f16 or bf16 set to the float v, rounded to nearest even: what the
 * kernels' stores write (the host references). */
void ci_store_float(void *dst, size_t k, clinit_dtype dtype, float v);

/* Truncated normal (host/truncnorm.c). The plan for the standardized window [alpha, beta] (either may be
 * infinite): *method one of CLINIT_TN_*, c the constants the kernels take (docs/ALGORITHMS.md §4), already
 * rounded to float unless f64,
 * *zmax the largest |z| the plan can return. CLINIT_ERROR_INVALID_PARAMETER when the window holds no
 * usable probability. Moments of N(0,1) restricted to [a, b]. */
CI_MUST_CHECK clinit_status ci_truncnorm_plan(double alpha, double beta, int f64, int *method, double c[4],
                                              double *zmax);
void ci_truncnorm_moments(double a, double b, double *mean, double *std);

/* The first generation in which orthogonal flattens a layout-IO tensor as Keras does (rows ∏ shape[0..rank−2],
 * columns shape[rank−1]); before it, as PyTorch does (docs/ALGORITHMS.md §4). */
#define CLINIT_GENERATION_KERAS_IO 2

/* The matrix an orthogonal or delta_orthogonal fill makes orthogonal and how the tensor sits on it
 * (host/orth_rule.c, each framework's rule): the R × C matrix (m × n, m = max, n = min) is orthogonalized; the
 * store kernel sees a tensor (K, R, C) (kernel_outer) or (C, R, K), where elements off the kernel position
 * `centre` are +0. With `permuted` that view is not the tensor's own order: the tensor's element at multi-index
 * x is the view's element Σ x_d·vstride[d] (ci_orth_geometry). */
typedef struct ci_orth_plan {
    uint64_t R, C, K, centre, m, n;
    int kernel_outer;
    int permuted;
    uint64_t vstride[CLINIT_MAX_RANK];
} ci_orth_plan;
/* The plan of t and spec, resolved as an orthogonal or delta_orthogonal fill (ci_plan_make, or the rule's
 * expected std): the rule follows spec->column_axis, t->layout and the generation ci_spec_generation(spec). */
void ci_orth_plan_of(const clinit_tensor *t, const clinit_init_spec *spec, ci_orth_plan *p);
/* The geometry the store kernel and the reference walk for t's elements (g, its own): g itself, or for a
 * permuted plan one element per run at the view's index. */
void ci_orth_geometry(const clinit_tensor *t, const ci_orth_plan *p, const ci_geometry *g, ci_geometry *out);

/* What validation derives from a (tensor, spec) pair, once: the fills, the batch, the reference and the scratch
 * queries take it and derive none of it again. */
typedef struct ci_plan {
    ci_geometry g;         /* the described elements as runs */
    clinit_distribution d; /* what the initializer samples on the logical tensor, in double */
    ci_resolved r;         /* d in the kernels' parameters for the dtype */
    size_t esize;          /* bytes per element of the dtype */
    /* orthogonal, delta_orthogonal with elements (ci_plan_orthogonal; else all 0): the matrix made orthonormal
     * and where the tensor sits on it, and the bytes of the three scratch buffers its fill allocates */
    ci_orth_plan orth;
    uint64_t scratch[3];
} ci_plan;

/* Everything a fill checks that needs no OpenCL — geometry, dtype, offset alignment, initializer — into *p
 * (host/tensor.c). t and spec are not NULL. */
CI_MUST_CHECK clinit_status ci_plan_make(const clinit_tensor *t, const clinit_init_spec *spec, ci_plan *p, char *what,
                                         size_t what_size);

/* Philox4x32-10 counter and key of docs/ALGORITHMS.md for a block of four elements. */
void ci_philox_block(uint64_t block, uint64_t seed, uint64_t stream, uint32_t out[4]);
/* The int → float map of docs/ALGORITHMS.md: (k + 1/2)·2^-23 for k = x >> 9, in [2^-24, 1 − 2^-24]. */
float ci_u01(uint32_t x);
/* The standard normal of element e under generation `generation` (1 or 2) from its block words x (lane e & 3). */
float ci_block_normal(int generation, const uint32_t x[4], uint64_t e);

/* Fills that are not one formula per element, called by clinit_fill after every check has passed (the queue
 * and buffer too), with the same event contract: host/orthogonal.c (orthogonal, delta_orthogonal) and
 * host/structured.c (eye, dirac, sparse). Their host references write the described elements (box) to dst. */
#define CLINIT_SPECIAL_FILL_ARGS                                                                                       \
    clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, const clinit_init_spec *spec,                     \
        const ci_plan *plan, uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event
#define CLINIT_SPECIAL_REFERENCE_ARGS                                                                                  \
    const clinit_tensor *t, const clinit_init_spec *spec, const ci_plan *plan, uint64_t seed, uint64_t stream, void *dst
/* The scratch of the orthogonal fills of one clinit_fill_batch, shared: one buffer of each kind, as large as
 * the batch's largest item needs, made at its first item, rather than every item's at once (enqueued fills
 * keep their scratch until they finish, and the tools check a model one tensor's scratch at a time). Items
 * that share run one after another: each waits for the previous one's last launch. Zeroed, then bytes[] set
 * to the per-buffer maxima (of the items' ci_plan.scratch) before the first fill, ci_orth_shared_release
 * after the last. When the maxima do not fit the device where each item's do, every item allocates its own. */
typedef struct ci_orth_shared {
    uint64_t bytes[3];
    cl_mem buf[3];
    cl_event last;
    int unshared;
} ci_orth_shared;
/* The matrix and scratch of an orthogonal or delta_orthogonal fill of t with spec, both already resolved as such
 * a fill with elements, into p->orth and p->scratch: ci_plan_make's last step. */
void ci_plan_orthogonal(const clinit_tensor *t, const clinit_init_spec *spec, ci_plan *p);
void ci_orth_shared_release(ci_orth_shared *s);
/* shared: NULL, or the batch's (ci_orth_shared). */
CI_MUST_CHECK clinit_status ci_fill_orthogonal(CLINIT_SPECIAL_FILL_ARGS, ci_orth_shared *shared);
CI_MUST_CHECK clinit_status ci_fill_structured(CLINIT_SPECIAL_FILL_ARGS);
CI_MUST_CHECK clinit_status ci_reference_orthogonal(CLINIT_SPECIAL_REFERENCE_ARGS);
CI_MUST_CHECK clinit_status ci_reference_structured(CLINIT_SPECIAL_REFERENCE_ARGS);

/* The wait list of a fill, checked before anything is enqueued: NULL with a count, a NULL event, or an event
 * of another context than ctx's (which would fail the first launch, or wait forever on some drivers) gets its
 * status here. A list with count 0 is ignored, as its events are never waited for. */
CI_MUST_CHECK clinit_status ci_check_wait_list(clinit_ctx *ctx, cl_uint nwait, const cl_event *wait);

/* The start of clinit_fill and clinit_fill_batch, the checks of the call's own arguments: *event = NULL, ctx,
 * its message cleared, the queue (set, of ctx's context and device), the wait list; an event that is an element
 * of the wait list is refused (INVALID_PARAMETER) without writing it, so the caller keeps its handle. */
CI_MUST_CHECK clinit_status ci_call_begin(clinit_ctx *ctx, cl_command_queue queue, cl_uint nwait, const cl_event *wait,
                                          cl_event *event);

/* clinit_fill in two halves, after ci_call_begin. ci_check_fill: everything that needs no enqueue — the
 * tensor (buffer set, geometry, dtype, offset), the initializer, the buffer of ctx's context, large enough, and
 * the kernel for the dtype present — filling *plan; a failure sets ctx's message. ci_enqueue_fill: the
 * enqueues of a checked fill (a marker for zero elements when a wait list or event asks for one), an
 * orthogonal one in the batch's shared scratch when `shared` is not NULL; takes ctx->lock itself. */
CI_MUST_CHECK clinit_status ci_check_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                          const clinit_init_spec *spec, ci_plan *plan);
CI_MUST_CHECK clinit_status ci_enqueue_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                            const clinit_init_spec *spec, const ci_plan *plan, uint64_t seed,
                                            uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event,
                                            ci_orth_shared *shared);

/* The kernels' values of a resolved distribution (kernels/args.h says which fields each kernel reads). */
void ci_values_of(const ci_resolved *r, uint64_t seed, uint64_t stream, ci_values *v);
void ci_values64_of(const ci_resolved *r, uint64_t seed, uint64_t stream, ci_values64 *v);

/* The blocks of one launch of a GPU rows kernel (kernels/fill_rows.h): at most this many per row, so that a row's
 * element offsets fit 32 bits (ci_rows.row_blocks). */
#define CLINIT_ROW_BLOCKS_MAX (((uint64_t)1) << 29)

/* Whether an f32/f16/bf16 fill of g can run as the GPU kernels' rows (one outer dimension at most, every row starting
 * on a block boundary, the output 4-element aligned, whole blocks per row unless there is one row, no row crossing a
 * multiple of 2^32 blocks): 1 with *w and *rows set (row_blocks and tail as the launches will cut them), else 0. */
int ci_rows_of(const clinit_tensor *t, const ci_geometry *g, ci_rows *w, uint64_t *rows);
/* The NDRange of a rows launch of `rows` rows of `blocks` blocks each (kernels/fill_rows.h): about
 * CLINIT_ROW_ITEM_BLOCKS blocks per work-item, so that its set-up is paid once per 64 elements, more work-items
 * where that would leave the device (ctx->row_items resident) less than a quarter busy, at most CLINIT_ITEM_STRIDE
 * per row when set; work-groups of at most `local` work-items that span several short rows, unless one_row (the
 * kernels with a barrier, whose work-group must stay in one row). */
#define CLINIT_ROW_ITEM_BLOCKS 16
void ci_rows_range(const clinit_ctx *ctx, uint64_t blocks, uint64_t rows, size_t local, int one_row, size_t gsize[2],
                   size_t lsize[2]);
/* The work-group size of a launch: the caller's (clinit_ctx_set_local_size) or the default, at most
 * CLINIT_TN_QUEUE / (4 · CLINIT_TN_GATHER) for the kernels with a redraw queue in local memory (queue_kernel). */
size_t ci_launch_local(const clinit_ctx *ctx, int queue_kernel);

/* The launches of one fill: their events kept when the caller wants one event for them all (want); oom when
 * keeping one failed for want of host memory. */
typedef struct ci_launches {
    int want, oom;
    cl_event *ev;
    size_t n, cap;
} ci_launches;
/* clEnqueueNDRangeKernel after the wait list, counted in ctx->launches, its event kept in l when l->want. Returns
 * the OpenCL error, or CL_OUT_OF_HOST_MEMORY with l->oom set when the event list could not grow. */
cl_int ci_launch(clinit_ctx *ctx, cl_command_queue queue, cl_kernel k, cl_uint dims, const size_t *gsize,
                 const size_t *lsize, cl_uint nwait, const cl_event *wait, ci_launches *l);
/* The status of a fill whose launches went into l, err and failed (the call that failed) from the last of them:
 * on success *event (when not NULL) completes with every launch, the one launch's event or a marker after them
 * all. l's own events are released either way. */
CI_MUST_CHECK clinit_status ci_launches_end(clinit_ctx *ctx, cl_command_queue queue, ci_launches *l, cl_int err,
                                            const char *failed, cl_event *event);

/* Work-items of dimension 0 that a run kernel of distribution `dist` (clinit_dist_kind; −1 for the structured
 * kernels) needs for one run of g (CLINIT_ITEM_BLOCKS blocks each, times CLINIT_TN_ITEM_GROUPS for the CPU devices'
 * f32/f16/bf16 truncated normal, and the blocks of a run that does not start on a block boundary); with `strided`
 * (the grid-stride shape of the run kernels, not the batch kernels) at most ctx->stride_items, each looping over the
 * rest. */
uint64_t ci_launch_items(const clinit_ctx *ctx, const clinit_tensor *t, const ci_geometry *g, int dist, int strided);

/* The runs argument of the general kernels for tensor t's geometry g: its element offset and g's run geometry. */
void ci_runs_of(const clinit_tensor *t, const ci_geometry *g, ci_runs *runs);

/* Launches a general kernel of kernels/fill_runs.h or fill64_runs.h — arguments (out, ci_runs, values, row0,
 * item0), `values` a ci_values or ci_values64 of values_size bytes — over the runs of g, split into several
 * launches when large, each after the wait list; *event (when event is not NULL) completes when every launch has.
 * The caller holds ctx->lock. */
CI_MUST_CHECK clinit_status ci_enqueue_runs(clinit_ctx *ctx, cl_command_queue queue, cl_kernel k,
                                            const clinit_tensor *t, const ci_geometry *g, const void *values,
                                            size_t values_size, cl_uint nwait, const cl_event *wait, cl_event *event);

/* The kernels of those two files (in kernels/orthogonal.cl, kernels/structured.cl): NULL-terminated name
 * lists, at most CLINIT_SPECIAL_KERNELS each, created with the program into ctx->orthogonal[] and
 * ctx->structured[] in the same order; the *64 lists (f64 outputs) into ctx->orthogonal64[] and
 * ctx->structured64[], only on devices with cl_khr_fp64. */
#define CLINIT_SPECIAL_KERNELS 8
extern const char *const ci_orthogonal_kernel_names[];
extern const char *const ci_structured_kernel_names[];
extern const char *const ci_orthogonal64_kernel_names[];
extern const char *const ci_structured64_kernel_names[];

struct clinit_ctx {
    cl_context context;
    cl_device_id device;
    cl_command_queue own_queue; /* only for clinit_ctx_create_default */
    cl_program program;
    cl_kernel fill[CLINIT_DTYPE_COUNT][CLINIT_DIST_COUNT];        /* clinit_fill_runs_*: any box */
    cl_kernel fill_rows[CLINIT_DTYPE_COUNT][CLINIT_ROWS_KERNELS]; /* clinit_fill_*: GPU shapes only, else NULL */
    cl_kernel fill64[CLINIT_DIST_COUNT];                          /* NULL where the device has no cl_khr_fp64 */
    cl_kernel kat;
    cl_kernel orthogonal[CLINIT_SPECIAL_KERNELS];
    cl_kernel structured[CLINIT_SPECIAL_KERNELS];
    cl_kernel orthogonal64[CLINIT_SPECIAL_KERNELS]; /* all NULL where the device has no cl_khr_fp64 */
    cl_kernel structured64[CLINIT_SPECIAL_KERNELS];
    cl_device_type device_type;
    cl_uint item_blocks; /* Philox blocks per work-item, the kernel shape chosen per device type */
    /* CLINIT_ITEM_STRIDE: at most this many work-items per run, looping with the grid's stride; 0: one work-item
     * per CLINIT_ITEM_BLOCKS blocks */
    uint64_t stride_items;
    uint64_t row_items;                  /* work-items the device keeps resident (ci_rows_range) */
    size_t local_size;                   /* the caller's choice; 0 = default_local_size */
    size_t default_local_size;           /* per device type, within the kernels' limit */
    pthread_mutex_t lock;                /* clSetKernelArg + enqueue must not interleave between threads */
    uint64_t launches;                   /* kernel launches enqueued so far (under lock): clinit_ctx_launch_count */
    cl_kernel batch[CLINIT_DTYPE_COUNT]; /* kernels/batch.cl, per dtype */
    uint64_t id;                         /* unique per handle ever created: whose message a thread holds (status.c) */
    pthread_mutex_t message_lock;        /* guards message */
    char message[CLINIT_MESSAGE_BYTES];
};

/* The element count of a logical shape into *numel: 0 when an extent is 0 (whatever the others are), else
 * the product, below 2^56. INVALID_RANK, INVALID_SHAPE with a message in what. */
CI_MUST_CHECK clinit_status ci_shape_numel(int rank, const int64_t *shape, uint64_t *numel, char *what,
                                           size_t what_size);

/* Sets the calling thread's message for ctx and ctx->message (printf format) and returns status; accepts
 * ctx == NULL. */
CI_MUST_CHECK clinit_status ci_fail(clinit_ctx *ctx, clinit_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes a message (printf format) into what[0..what_size) and returns status: how the checks that run without a
 * handle (validation, resolution) say why they refuse. */
CI_MUST_CHECK clinit_status ci_explain(char *what, size_t what_size, clinit_status status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Empties the calling thread's message for ctx: the first step of every public call that takes a handle. */
void ci_message_clear(clinit_ctx *ctx);

/* The embedded kernel source (generated at build time from kernels/ and the flattened Random123). */
extern const char ci_kernel_source[];
extern const size_t ci_kernel_source_len;

/* Runs Philox4x32-10 on the device for n (counter, key) inputs: in holds 6 words each (ctr0..3, key0..1),
 * out receives 4 words each. Blocking. For the known-answer tests. */
CI_MUST_CHECK clinit_status ci_internal_philox_device(clinit_ctx *ctx, cl_command_queue queue, const uint32_t *in,
                                                      uint32_t *out, size_t n);

#endif
