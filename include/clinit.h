/*
 * clinit.h — neural-network weight initialization in OpenCL device memory.
 *
 * The one public header of libclinit. Everything a caller needs is declared here: the status codes, the
 * context handle, the tensor description, the initializer specification, the fills, and the pure
 * functions that compute fans and gains.
 *
 * Conventions used throughout:
 *  - Shapes are int64 element counts, row-major (the last dimension is contiguous), rank 0..CLINIT_MAX_RANK.
 *  - "Elements" counts values of the tensor's dtype; "bytes" counts bytes. Each parameter says which.
 *  - Every value written is a pure function of (seed, stream, logical element index, initializer
 *    parameters); the generation rules are frozen in docs/ALGORITHMS.md (generation contract version
 *    CLINIT_GENERATION_VERSION).
 *  - Every fill is asynchronous on the caller's command queue (CLBlast style): it takes a wait list and
 *    can return an event. All validation happens before anything is enqueued: a fill refused by a check, or
 *    whose OpenCL query or host allocation fails before its first enqueue, has enqueued nothing and written
 *    nothing. A fill of several launches (a split one, orthogonal, a batch) whose enqueue or allocation fails
 *    after the first (CLINIT_ERROR_OPENCL, CLINIT_ERROR_OUT_OF_HOST_MEMORY) leaves the launches before it
 *    enqueued: they write only the described elements and the fill's own scratch. A failed fill keeps nothing
 *    (no OpenCL reference, no event).
 *  - The library never prints, never exits and reads no file.
 *  - Sources: PyTorch torch.nn.init (formulas, parameter names, defaults); Glorot & Bengio 2010 (Xavier);
 *    He et al. 2015 (Kaiming); Salmon et al. SC'11 (Philox4x32-10, via Random123).
 */
#ifndef CLINIT_H
#define CLINIT_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Symbols of the shared library: the only ones it exports. */
#if defined(CLINIT_BUILDING) && defined(__GNUC__)
#define CLINIT_API __attribute__((visibility("default")))
#else
#define CLINIT_API
#endif

/* ---------------------------------------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------------------------------------ */

#define CLINIT_VERSION_MAJOR 0
#define CLINIT_VERSION_MINOR 2
#define CLINIT_VERSION_PATCH 0
/** MAJOR*10000 + MINOR*100 + PATCH, as zstd's ZSTD_VERSION_NUMBER. */
#define CLINIT_VERSION_NUMBER (CLINIT_VERSION_MAJOR * 10000 + CLINIT_VERSION_MINOR * 100 + CLINIT_VERSION_PATCH)
#define CLINIT_VERSION_STRING "0.2.0"
/** Version of the generation contract of docs/ALGORITHMS.md: bumped whenever any generated bit changes. It is
 * the newest generation this library writes by default; every earlier one, 1 … CLINIT_GENERATION_VERSION − 1,
 * stays selectable (clinit_init_spec.generation) so that a checkpoint made with it can be regenerated bit for bit. */
#define CLINIT_GENERATION_VERSION 2

/** Run-time library version; equals CLINIT_VERSION_NUMBER of the header the library was built with. */
CLINIT_API unsigned clinit_version_number(void);
/** Run-time library version as "MAJOR.MINOR.PATCH"; a static string, never NULL. */
CLINIT_API const char *clinit_version_string(void);

/* ---------------------------------------------------------------------------------------------------------
 * Status codes
 * ------------------------------------------------------------------------------------------------------ */

typedef enum clinit_status {
    CLINIT_SUCCESS = 0,
    CLINIT_ERROR_NULL_ARGUMENT = 1,        /**< a required pointer argument is NULL */
    CLINIT_ERROR_INVALID_RANK = 2,         /**< rank outside 0..8, or < 2 where fans are needed under layout OI or AXES
                                                (PyTorch's and JAX's refusal; IO takes Keras's fans), or outside an
                                                initializer's ranks (orthogonal ≥ 2, delta_orthogonal and dirac 3–5,
                                                eye and sparse 2) */
    CLINIT_ERROR_INVALID_SHAPE = 3,        /**< a negative dimension, the element count ≥ 2^56, or a shape the
                                                initializer cannot take (delta_orthogonal with in > out) */
    CLINIT_ERROR_INVALID_BOX = 4,          /**< a box start/extent is negative or leaves the logical shape */
    CLINIT_ERROR_INVALID_PARAMETER = 5,    /**< NaN/inf/out-of-range parameter, a > b, a value the dtype cannot hold */
    CLINIT_ERROR_INVALID_NONLINEARITY = 6, /**< nonlinearity is not one of clinit_nonlinearity */
    CLINIT_ERROR_INVALID_MODE = 7,         /**< fan mode is not fan_in or fan_out */
    CLINIT_ERROR_INVALID_LAYOUT = 8,       /**< layout is not one of clinit_layout (whatever the initializer) */
    CLINIT_ERROR_INVALID_INIT = 9,         /**< initializer kind is not one of clinit_init_kind */
    CLINIT_ERROR_UNSUPPORTED_DTYPE = 10,   /**< dtype unknown, not generated on this device (f64 without
                                                cl_khr_fp64), or an integer dtype with an initializer other than
                                                constant, zeros and ones */
    CLINIT_ERROR_MISALIGNED_OFFSET = 11,   /**< byte offset is not a multiple of the dtype size */
    CLINIT_ERROR_BUFFER_TOO_SMALL = 12,    /**< offset + tensor bytes exceed the cl_mem size */
    CLINIT_ERROR_INVALID_QUEUE = 13,       /**< the queue, buffer or a wait-list event belongs to another context
                                                (or the queue to another device) */
    CLINIT_ERROR_DEVICE_NOT_FOUND = 14,    /**< no OpenCL device, or CLINIT_DEVICE names none */
    CLINIT_ERROR_BUILD_FAILED = 15,        /**< the kernel program did not build; the message has the log */
    CLINIT_ERROR_OPENCL = 16,              /**< an OpenCL call failed; the message names it and its error code */
    CLINIT_ERROR_OUT_OF_HOST_MEMORY = 17,  /**< a host allocation failed */
    CLINIT_ERROR_UNKNOWN_PARAMETER = 18,   /**< a parameter name the initializer does not take (clinit_init_spec_set,
                                                also on an unknown kind), or a parameter index outside its
                                                (clinit_init_get_param_info) */
    CLINIT_ERROR_READ_ONLY_BUFFER = 19,    /**< the buffer was created with CL_MEM_READ_ONLY: no kernel may write it */
    CLINIT_ERROR_DEVICE_MEMORY = 20        /**< a fill's scratch (orthogonal, delta_orthogonal) does not fit the device:
                                                a buffer above CL_DEVICE_MAX_MEM_ALLOC_SIZE, or all of it (beside the
                                                caller's reserved bytes, clinit_scratch_fits) above
                                                CL_DEVICE_GLOBAL_MEM_SIZE */
} clinit_status;

/** A static English description of a status ("invalid rank", …); "unknown status" for other values. */
CLINIT_API const char *clinit_status_string(clinit_status status);

/** The name of an OpenCL 1.2 error code as CL/cl.h spells it ("CL_OUT_OF_RESOURCES" for −5, "CL_SUCCESS" for
 *  0); "unknown OpenCL error" for any other value (extension codes included). Static storage. The messages
 *  of CLINIT_ERROR_OPENCL and CLINIT_ERROR_BUILD_FAILED use it as "CALL failed: NAME (CODE)". */
CLINIT_API const char *clinit_cl_error_name(cl_int err);

/* ---------------------------------------------------------------------------------------------------------
 * Context
 * ------------------------------------------------------------------------------------------------------ */

/**
 * Opaque handle: one OpenCL context + device and the program built for it.
 * Thread safety: fills on one handle may be called from several threads at once (kernel arguments and
 * enqueues are serialized by a lock inside the handle; the OpenCL objects themselves are thread-safe), and
 * each thread reads its own calls' messages (clinit_ctx_message). clinit_ctx_set_local_size and
 * clinit_ctx_destroy must not race with fills.
 */
typedef struct clinit_ctx clinit_ctx;

/**
 * Creates a context on the caller's OpenCL context and device; the caller keeps ownership of both
 * (clinit retains them and releases them in clinit_ctx_destroy). The kernel program is built here, once,
 * with the kernel shape chosen for the device type (CPU or GPU/accelerator), which the environment may
 * override — values never depend on it: CLINIT_ITEM_BLOCKS "1" (one Philox block per work-item, the GPU
 * shape) or "16" (16 blocks in vector registers, the CPU shape); CLINIT_ITEM_STRIDE "N", 0 ≤ N ≤ 2^30 decimal
 * (N > 0, with one block per work-item: at most N work-items per run looping with the grid's stride, an
 * experiment for GPUs); CLINIT_PTX "0" (portable kernels only; unset, empty or "1": on NVIDIA GPUs of compute
 * capability 8.0 and up the bf16 stores use inline PTX, cvt.rn.bf16x2.f32, with the same values, and a compiler
 * that refuses it gets the portable program). Unset or empty: the device type's choice.
 *
 * @param out      receives the handle. On any failure except CLINIT_ERROR_NULL_ARGUMENT and
 *                 CLINIT_ERROR_OUT_OF_HOST_MEMORY, *out is still a handle whose clinit_ctx_message() says
 *                 why (SQLite's sqlite3_open convention); destroy it in every case.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (out, context or device NULL);
 *         CLINIT_ERROR_OPENCL (the context or the device cannot be queried, the device is not in the context, or
 *         creating the program or a kernel failed other than by a build error; the message names the call and
 *         its error code);
 *         CLINIT_ERROR_INVALID_PARAMETER (CLINIT_ITEM_BLOCKS, CLINIT_ITEM_STRIDE or CLINIT_PTX malformed, or a stride
 *         with 16 blocks per work-item; the message names the variable);
 *         CLINIT_ERROR_BUILD_FAILED (message holds the build log); CLINIT_ERROR_OUT_OF_HOST_MEMORY.
 */
CLINIT_API clinit_status clinit_ctx_create(clinit_ctx **out, cl_context context, cl_device_id device);

/**
 * Creates a context on a device clinit chooses, with its own cl_context and an in-order queue with
 * profiling enabled (clinit_ctx_queue). The environment variable CLINIT_DEVICE selects:
 *   "gpu" the first GPU, "cpu" the first CPU device, "P:D" device D of platform P (0-based indices, as
 *   printed by `clinit devices`). Unset or empty: the first GPU of any platform, else the first device.
 * @param out  as for clinit_ctx_create.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_DEVICE_NOT_FOUND (no platform — none listed,
 *         or the ICD loader's CL_PLATFORM_NOT_FOUND_KHR —, no device, or CLINIT_DEVICE malformed or naming no
 *         device); CLINIT_ERROR_OPENCL (clGetPlatformIDs failing otherwise, or the context, queue, program or a
 *         kernel not made); CLINIT_ERROR_INVALID_PARAMETER (as for clinit_ctx_create); CLINIT_ERROR_BUILD_FAILED;
 *         CLINIT_ERROR_OUT_OF_HOST_MEMORY.
 */
CLINIT_API clinit_status clinit_ctx_create_default(clinit_ctx **out);

/** Releases everything the handle holds. Accepts NULL. Does not wait for enqueued fills: finish the queue first. */
CLINIT_API void clinit_ctx_destroy(clinit_ctx *ctx);

/**
 * The detail message of the calling thread's last call on this handle when it failed (which argument, which
 * dimension, the OpenCL call and error code, or the build log; at most 8191 bytes); "" after a success.
 * When the thread's latest clinit call was on another handle (or it has made none), the message of the last
 * call on this handle by any thread. The string belongs to the calling thread: valid until its next clinit
 * call; other threads' calls never change it. Never NULL; "(null context)" for ctx == NULL.
 */
CLINIT_API const char *clinit_ctx_message(const clinit_ctx *ctx);

/** The handle's cl_context and cl_device_id (not retained for the caller). NULL for ctx == NULL. */
CLINIT_API cl_context clinit_ctx_cl_context(const clinit_ctx *ctx);
CLINIT_API cl_device_id clinit_ctx_device(const clinit_ctx *ctx);
/** The in-order profiling queue of a clinit_ctx_create_default handle; NULL for caller-provided contexts. */
CLINIT_API cl_command_queue clinit_ctx_queue(const clinit_ctx *ctx);

/**
 * Sets the work-group size (dimension 0, in work-items) of subsequent fills: 0 (default) is clinit's choice
 * for the device type (64 on CPUs, 256 otherwise, at most what the kernels allow). Generated values never
 * depend on it (tests use it to prove that). A size above the device's CL_DEVICE_MAX_WORK_GROUP_SIZE is
 * refused here (the previous size stays); one the device rejects for a kernel (above that kernel's
 * CL_KERNEL_WORK_GROUP_SIZE) makes the fill return CLINIT_ERROR_OPENCL.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_INVALID_PARAMETER (local_size above the
 *         device's limit; the message names it); CLINIT_ERROR_OPENCL (the limit could not be read).
 */
CLINIT_API clinit_status clinit_ctx_set_local_size(clinit_ctx *ctx, size_t local_size);

/**
 * The number of kernel launches (clEnqueueNDRangeKernel calls) fills on this handle have enqueued since it
 * was created: one per fill for most tensors, more for fills split across launches (over 2^30 work-items or
 * 65535 runs) and for orthogonal and delta_orthogonal of an m × n matrix (m ≥ n: 2n + 2⌈n/16⌉ + 2, the QR in
 * panels of 16 columns), one per group for clinit_fill_batch. Markers are not counted.
 * For benchmarks and tests; 0 for ctx == NULL.
 */
CLINIT_API uint64_t clinit_ctx_launch_count(clinit_ctx *ctx);

/* ---------------------------------------------------------------------------------------------------------
 * Tensor description
 * ------------------------------------------------------------------------------------------------------ */

#define CLINIT_MAX_RANK 8

/**
 * Element types. f16 and bf16 values are the round-to-nearest-even of the f32 value of the same element;
 * for the uniform family that value is first clamped to the dtype values inside [a, b), so rounding never
 * yields b, a value outside the interval, or an infinity (docs/ALGORITHMS.md §4). Bounds outside the dtype's
 * finite values (|a| or |b| above 65504 for f16) are refused, as PyTorch's uniform_ refuses them. f16 needs
 * no cl_khr_fp16.
 */
typedef enum clinit_dtype {
    CLINIT_F32 = 0,  /**< IEEE binary32, 4 bytes */
    CLINIT_F16 = 1,  /**< IEEE binary16, 2 bytes, little-endian like the device */
    CLINIT_BF16 = 2, /**< bfloat16 (the top half of a binary32), 2 bytes */
    CLINIT_F64 = 3,  /**< IEEE binary64, 8 bytes, generated in double (not rounded from f32) for every
                          initializer on devices with cl_khr_fp64, else CLINIT_ERROR_UNSUPPORTED_DTYPE */
    CLINIT_I32 = 4,  /**< two's-complement int32, 4 bytes: constant, zeros and ones only (below) */
    CLINIT_I64 = 5   /**< two's-complement int64, 8 bytes: constant, zeros and ones only (below) */
} clinit_dtype;
/* The integer dtypes hold a model's integer buffers (PyTorch's BatchNorm num_batches_tracked, an int64 0 of
 * shape []; position ids), which are constants: constant, zeros and ones fill them on every device (with
 * clEnqueueFillBuffer: no kernel, no cl_khr_int64 needed), every other initializer is
 * CLINIT_ERROR_UNSUPPORTED_DTYPE. The constant must be an integer the dtype holds exactly: val integral and in
 * [−2^31, 2^31 − 1] (i32) or [−2^63, 2^63) (i64; every integral double there is exact), else
 * CLINIT_ERROR_INVALID_PARAMETER. Values are written in the device's byte order (little-endian on every
 * device clinit has run on), as the floating dtypes are. */

/** Bytes per element of a dtype (4, 2, 2, 8, 4, 8); 0 for an unknown value. */
CLINIT_API size_t clinit_dtype_size(clinit_dtype dtype);

/** How fans are read from a weight shape (docs/ALGORITHMS.md §6; PyTorch, Keras and JAX conventions). */
typedef enum clinit_layout {
    CLINIT_LAYOUT_OI = 0,  /**< PyTorch: (out, in, k1, k2, …); fan_in = in·∏k, fan_out = out·∏k */
    CLINIT_LAYOUT_IO = 1,  /**< Keras/TF: (k1, k2, …, in, out); fan_in = in·∏k, fan_out = out·∏k */
    CLINIT_LAYOUT_AXES = 2 /**< JAX: the tensor's in_axes / out_axes / batch_axes say (clinit_compute_fans_axes) */
} clinit_layout;

/**
 * One tensor in device memory. Zero-initialize it, then set the fields (C99 designated initializers).
 *
 * The *logical* tensor has `rank` dimensions `shape[0..rank-1]` (row-major). Without a box the whole
 * logical tensor is written, contiguously from `offset_bytes` in `buffer`. With `has_box` set, only the
 * box [box_start[d], box_start[d] + box_extent[d]) in every dimension d is written, itself row-major and
 * contiguous from `offset_bytes` (the layout a tensor-parallel shard has in its own memory); fans and the
 * element indices that seed the generator still come from the logical shape, so shards of one tensor
 * concatenate to exactly the bytes of the whole.
 */
typedef struct clinit_tensor {
    cl_mem buffer;                  /**< destination buffer; the fill writes only the bytes of the described tensor.
                                A buffer or sub-buffer (an image is CLINIT_ERROR_INVALID_PARAMETER), not
                                CL_MEM_READ_ONLY. With CL_MEM_USE_HOST_PTR the host pointer must be aligned
                                to CL_DEVICE_MEM_BASE_ADDR_ALIGN, as OpenCL requires for kernel arguments
                                (PoCL faults on a misaligned one) */
    size_t offset_bytes;            /**< byte offset of element 0 in buffer; a multiple of clinit_dtype_size(dtype) */
    clinit_dtype dtype;             /**< element type */
    int rank;                       /**< number of dimensions, 0..CLINIT_MAX_RANK (0 = scalar, one element) */
    int64_t shape[CLINIT_MAX_RANK]; /**< logical dimensions in elements, each ≥ 0 */
    clinit_layout layout;           /**< how fan-based initializers read fans from shape */
    int has_box;                    /**< 0: the whole tensor; non-zero: only the box below */
    int64_t box_start[CLINIT_MAX_RANK];  /**< first index of the box per dimension, 0 ≤ start ≤ shape[d] */
    int64_t box_extent[CLINIT_MAX_RANK]; /**< box length per dimension, 0 ≤ extent ≤ shape[d] − start */
    uint32_t in_axes;    /**< layout AXES: bit d set = dimension d is contracted with the input (fan_in) */
    uint32_t out_axes;   /**< layout AXES: bit d set = dimension d indexes outputs (fan_out) */
    uint32_t batch_axes; /**< layout AXES: bit d set = dimension d is a batch of independent kernels */
} clinit_tensor;

/**
 * Number of elements the fill of `t` writes (the box's, when has_box) into *count. A shape with an extent 0
 * has 0 elements whatever its other extents are; otherwise the product must be below 2^56.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_INVALID_RANK; CLINIT_ERROR_INVALID_SHAPE;
 *         CLINIT_ERROR_INVALID_BOX.
 */
CLINIT_API clinit_status clinit_tensor_numel(const clinit_tensor *t, int64_t *count);

/* ---------------------------------------------------------------------------------------------------------
 * Fans and gains (pure functions, no OpenCL)
 * ------------------------------------------------------------------------------------------------------ */

/**
 * fan_in and fan_out of a weight of the given shape, as PyTorch's _calculate_fan_in_and_fan_out (layout OI)
 * or Keras 3's compute_fans (layout IO, keras/src/initializers/random_initializers.py):
 *   OI (out, in, k…):  receptive field = ∏ shape[2..];        fan_in = shape[1]·rf, fan_out = shape[0]·rf
 *   IO (k…, in, out):  receptive field = ∏ shape[0..rank-3];  fan_in = shape[rank-2]·rf, fan_out = shape[rank-1]·rf
 *   IO, rank 1 (n):    fan_in = fan_out = n;   IO, rank 0: fan_in = fan_out = 1   (Keras's rule for biases and
 *                      scalars; shape may be NULL for rank 0)
 * Grouped convolutions need no option: their weight already holds in/groups on its in axis. Transposed
 * convolutions follow both frameworks' convention (fans computed as if it were the forward convolution).
 * Rank < 2 under OI is an error, as in PyTorch (and JAX).
 * @param fan_in, fan_out  each may be NULL; receive element counts ≥ 0.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (shape NULL with rank > 0); CLINIT_ERROR_INVALID_RANK
 *         (rank < 0 or > 8, or rank < 2 with a layout other than IO); CLINIT_ERROR_INVALID_SHAPE (a negative
 *         extent, 2^56 or more elements, or —
 *         for a shape with an extent 0, whose fans its element count does not bound — a fan beyond int64_t);
 *         CLINIT_ERROR_INVALID_LAYOUT (rank ≥ 2 with layout AXES, whose fans clinit_compute_fans_axes computes, or
 *         with a value not of clinit_layout; below rank 2 the rank's rule comes first).
 */
CLINIT_API clinit_status clinit_compute_fans(int rank, const int64_t *shape, clinit_layout layout, int64_t *fan_in,
                                             int64_t *fan_out);

/**
 * fan_in and fan_out from explicit axes, as JAX's _compute_fans(shape, in_axis, out_axis, batch_axis):
 *   receptive field = ∏ of the dimensions in no mask; fan_in = ∏ in dims · rf, fan_out = ∏ out dims · rf.
 * For kernels that are neither dense nor conv: an attention projection (768, 12, 64) contracting axis 0 has
 * in_axes = 1 << 0, out_axes = (1 << 1) | (1 << 2): fan_in 768, fan_out 768. For a transposed convolution
 * stored by PyTorch as (in, out/groups, k…), layout OI gives the frameworks' convention (fans as if it were
 * the forward convolution); in_axes = 1 << 0, out_axes = 1 << 1 gives the fans of the layer's own data flow.
 * @param in_axes, out_axes, batch_axes  bit masks over dimensions 0..rank-1; disjoint; in and out non-empty.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (shape NULL); CLINIT_ERROR_INVALID_RANK (rank < 2 or
 *         > 8); CLINIT_ERROR_INVALID_SHAPE (as for clinit_compute_fans); CLINIT_ERROR_INVALID_LAYOUT (a mask
 *         empty, overlapping another, or naming a dimension ≥ rank).
 */
CLINIT_API clinit_status clinit_compute_fans_axes(int rank, const int64_t *shape, uint32_t in_axes, uint32_t out_axes,
                                                  uint32_t batch_axes, int64_t *fan_in, int64_t *fan_out);

/** Nonlinearities of PyTorch's calculate_gain. */
typedef enum clinit_nonlinearity {
    CLINIT_NL_LINEAR = 0,
    CLINIT_NL_CONV1D,
    CLINIT_NL_CONV2D,
    CLINIT_NL_CONV3D,
    CLINIT_NL_CONV_TRANSPOSE1D,
    CLINIT_NL_CONV_TRANSPOSE2D,
    CLINIT_NL_CONV_TRANSPOSE3D,
    CLINIT_NL_SIGMOID,
    CLINIT_NL_TANH,
    CLINIT_NL_RELU,
    CLINIT_NL_LEAKY_RELU,
    CLINIT_NL_SELU
} clinit_nonlinearity;

/** PyTorch's default negative slope of leaky_relu in calculate_gain(param=None): 0.01. (kaiming_*'s own
 *  default is a = 0, which makes leaky_relu's gain √2.) */
#define CLINIT_DEFAULT_NEGATIVE_SLOPE 0.01

/**
 * PyTorch's torch.nn.init.calculate_gain: linear, conv*, conv_transpose*, sigmoid → 1; tanh → 5/3;
 * relu → √2; leaky_relu → √(2 / (1 + param²)) (computed as PyTorch does, bit for bit, except where
 * 1 + param² overflows a double, |param| > ~1.3e154: there √2 / hypot(1, param), where PyTorch gives 0); selu → 3/4.
 * @param param  negative slope for leaky_relu (finite; CLINIT_DEFAULT_NEGATIVE_SLOPE is PyTorch's default);
 *               ignored for the others.
 * @param gain   receives the gain (> 0).
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_INVALID_NONLINEARITY;
 *         CLINIT_ERROR_INVALID_PARAMETER (leaky_relu with a NaN or infinite param).
 */
CLINIT_API clinit_status clinit_calculate_gain(clinit_nonlinearity nonlinearity, double param, double *gain);

/** PyTorch's name of a nonlinearity ("leaky_relu", …); NULL for an unknown value. */
CLINIT_API const char *clinit_nonlinearity_name(clinit_nonlinearity nonlinearity);
/** Parses PyTorch's name. @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_INVALID_NONLINEARITY. */
CLINIT_API clinit_status clinit_nonlinearity_from_name(const char *name, clinit_nonlinearity *out);

/* ---------------------------------------------------------------------------------------------------------
 * Initializer specification
 * ------------------------------------------------------------------------------------------------------ */

/** Initializers, named as PyTorch's torch.nn.init functions without the trailing underscore. */
/* One documented value per line, its comment beside it: */
/* clang-format off */
typedef enum clinit_init_kind {
    CLINIT_INIT_UNIFORM = 0,          /**< "uniform": U[a, b), a and b first rounded to float (to double for f64; docs/ALGORITHMS.md §4) */
    CLINIT_INIT_NORMAL,               /**< "normal": N(mean, std²) */
    CLINIT_INIT_CONSTANT,             /**< "constant": val */
    CLINIT_INIT_ZEROS,                /**< "zeros": 0 */
    CLINIT_INIT_ONES,                 /**< "ones": 1 */
    CLINIT_INIT_XAVIER_UNIFORM,       /**< "xavier_uniform": U[−B, B), B = gain·√(6/(fan_in+fan_out)) (Glorot & Bengio 2010) */
    CLINIT_INIT_XAVIER_NORMAL,        /**< "xavier_normal": N(0, σ²), σ = gain·√(2/(fan_in+fan_out)), untruncated */
    CLINIT_INIT_KAIMING_UNIFORM,      /**< "kaiming_uniform": U[−B, B), B = √3·gain(nonlinearity, a)/√fan_mode (He et al. 2015) */
    CLINIT_INIT_KAIMING_NORMAL,       /**< "kaiming_normal": N(0, σ²), σ = gain(nonlinearity, a)/√fan_mode, untruncated */
    CLINIT_INIT_LINEAR_DEFAULT_WEIGHT,/**< "linear_default_weight": PyTorch Linear/Conv weight = kaiming_uniform(a=√5) = U[−1/√fan_in, 1/√fan_in) */
    CLINIT_INIT_LINEAR_DEFAULT_BIAS,  /**< "linear_default_bias": PyTorch Linear/Conv bias U[−1/√fan_in, 1/√fan_in) with the *weight's* fan_in (param fan_in); 0 when fan_in = 0 */
    /** "trunc_normal": PyTorch trunc_normal_(mean, std, a, b): N(mean, std²) restricted to [a, b], a and b absolute;
     *  a == b gives a, as PyTorch's clamp does */
    CLINIT_INIT_TRUNC_NORMAL,
    CLINIT_INIT_VARIANCE_SCALING,     /**< "variance_scaling": Keras/JAX VarianceScaling(scale, mode, distribution), var = scale / n */
    CLINIT_INIT_GLOROT_UNIFORM,       /**< "glorot_uniform": Keras/JAX, variance_scaling(1, fan_avg, uniform) = xavier_uniform */
    CLINIT_INIT_GLOROT_NORMAL,        /**< "glorot_normal": Keras/JAX, variance_scaling(1, fan_avg, truncated_normal) — truncated, unlike xavier_normal */
    CLINIT_INIT_HE_UNIFORM,           /**< "he_uniform": Keras/JAX, variance_scaling(2, fan_in, uniform) */
    CLINIT_INIT_HE_NORMAL,            /**< "he_normal": Keras/JAX, variance_scaling(2, fan_in, truncated_normal) — truncated, unlike kaiming_normal */
    CLINIT_INIT_LECUN_UNIFORM,        /**< "lecun_uniform": Keras/JAX, variance_scaling(1, fan_in, uniform) (LeCun et al. 1998) */
    CLINIT_INIT_LECUN_NORMAL,         /**< "lecun_normal": Keras/JAX, variance_scaling(1, fan_in, truncated_normal) */
    /** "orthogonal": orthogonal(gain) (Saxe et al. 2014) of a rank ≥ 2 tensor flattened to an R × C matrix by
     *  each framework's rule (docs/ALGORITHMS.md §4): layout OI (and AXES): PyTorch's orthogonal_, R = shape[0],
     *  C = the rest; layout IO: Keras's Orthogonal, R = ∏ shape[0..rank−2], C = shape[rank−1], from generation 2
     *  on (generation 1 flattens IO tensors as PyTorch does); has_column_axis: JAX's orthogonal(column_axis),
     *  C = shape[column_axis], R = the other axes row-major, whatever the layout. Rank 2 is the same matrix under
     *  all three but a column_axis of 0. */
    CLINIT_INIT_ORTHOGONAL,
    /** "delta_orthogonal": JAX delta_orthogonal(scale, column_axis): OI (out, in, k…) — the default layout — or
     *  IO (k…, in, out) as in JAX; in ≤ out; JAX's orthogonal(scale, column_axis) of the (in, out) matrix at the
     *  centre tap (k−1)//2 */
    CLINIT_INIT_DELTA_ORTHOGONAL,
    CLINIT_INIT_EYE,                  /**< "eye": PyTorch eye_ / Keras Identity(gain): 2-D, gain on the diagonal (rectangular allowed) */
    CLINIT_INIT_DIRAC,                /**< "dirac": PyTorch dirac_(groups): 3–5-D (out, in, k…) under OI, (k…, in, out) under IO, 1 at [g·out/groups + d, d, k//2, …] */
    CLINIT_INIT_SPARSE,               /**< "sparse": PyTorch sparse_(sparsity, std): 2-D, N(0, std²) with ⌈sparsity·rows⌉ zeros per column */
    CLINIT_INIT_SCALED_UNIFORM,       /**< "scaled_uniform": tinygrad Tensor.scaled_uniform: U(−1, 1)·prod(shape)^−½ = U[−B, B), B = 1/√numel of the logical shape (never the box; 1 for a scalar), computed 1 / sqrt(numel) in double; any rank; no parameters */
    CLINIT_INIT_KIND_COUNT            /**< not an initializer: the number of kinds this header declares (kinds are
                                           0 .. CLINIT_INIT_KIND_COUNT − 1; clinit_init_count() is the library's) */
} clinit_init_kind;
/* clang-format on */

/** The fan n of kaiming_* (fan_in, fan_out) and variance_scaling (all four). */
typedef enum clinit_fan_mode {
    CLINIT_FAN_IN = 0,     /**< "fan_in": n = fan_in; preserves the variance of activations in the forward pass */
    CLINIT_FAN_OUT = 1,    /**< "fan_out": n = fan_out; preserves the variance of gradients in the backward pass */
    CLINIT_FAN_AVG = 2,    /**< "fan_avg": n = (fan_in + fan_out) / 2 (variance_scaling only) */
    CLINIT_FAN_GEO_AVG = 3 /**< "fan_geo_avg": n = √(fan_in · fan_out) (variance_scaling only; Keras 3) */
} clinit_fan_mode;

/** The distribution of variance_scaling, Keras's names. */
typedef enum clinit_vs_distribution {
    /** "truncated_normal": N(0, σ²) cut at ±2σ, σ = √var / 0.87962566103423978, so that the std after
     *  truncation is √var (0.8796… is the std of N(0, 1) restricted to (−2, 2)). Keras maps "normal" here. */
    CLINIT_VS_TRUNCATED_NORMAL = 0,
    CLINIT_VS_UNTRUNCATED_NORMAL = 1, /**< "untruncated_normal": N(0, var) (JAX's "normal") */
    CLINIT_VS_UNIFORM = 2             /**< "uniform": U[−√(3·var), √(3·var)) */
} clinit_vs_distribution;

/**
 * An initializer and its parameters, PyTorch's names. Get one from clinit_init_spec_default() (PyTorch's
 * defaults), then change fields directly or by name with clinit_init_spec_set(). Fields an initializer
 * does not use are ignored.
 */
typedef struct clinit_init_spec {
    clinit_init_kind kind;
    double a;             /**< uniform: lower bound (default 0); kaiming_*: negative slope of leaky_relu (default 0);
                          trunc_normal: lower bound (default −2), may be −inf */
    double b;             /**< uniform: upper bound (default 1), a ≤ b, both finite, b − a finite;
                          trunc_normal: upper bound (default 2), may be +inf, a ≤ b (a == b: finite, and every
                          value is a rounded to the dtype, as PyTorch's trunc_normal_ gives; mean and std are
                          still checked) */
    double mean;          /**< normal, trunc_normal: mean (default 0), finite */
    double std;           /**< normal: standard deviation (default 1), finite, ≥ 0; trunc_normal: > 0; sparse: of
                          the non-zero values (default 0.01), finite, ≥ 0 */
    double val;           /**< constant: the value (default 0), finite */
    double gain;          /**< xavier_*: scaling factor (default 1), finite, ≥ 0; orthogonal: the factor of the
                          orthonormal matrix, eye: the diagonal's value (default 1), finite, any sign */
    clinit_fan_mode mode; /**< kaiming_* (fan_in/fan_out), variance_scaling: default CLINIT_FAN_IN */
    clinit_nonlinearity nonlinearity; /**< kaiming_*: default CLINIT_NL_LEAKY_RELU */
    int64_t fan_in; /**< linear_default_bias: fan_in of the weight the bias belongs to, ≥ 0 (default 0) */
    double scale;   /**< variance_scaling: scale (default 1), finite, > 0; delta_orthogonal: the factor of the
                         orthonormal matrix (default 1), finite, any sign */
    clinit_vs_distribution distribution; /**< variance_scaling: default CLINIT_VS_TRUNCATED_NORMAL */
    int64_t groups;      /**< dirac: number of groups (default 1), ≥ 1, divides out (shape[0] under OI,
                          shape[rank − 1] under IO) */
    double sparsity;     /**< sparse: fraction of each column set to zero, in [0, 1] (required; default 0) */
    int generation;      /**< the generation contract of docs/ALGORITHMS.md the values follow: 0 (the default) for
                          the newest, CLINIT_GENERATION_VERSION, or 1 … CLINIT_GENERATION_VERSION to regenerate
                          values made under an earlier one; anything else is CLINIT_ERROR_INVALID_PARAMETER.
                          Every initializer takes it. */
    int has_column_axis; /**< orthogonal, delta_orthogonal: 0 (the default) = the layout's rule (see
                              CLINIT_INIT_ORTHOGONAL); non-zero = JAX's rule with column_axis, whatever the layout */
    int column_axis;     /**< with has_column_axis, JAX's column_axis: the axis whose entries are the columns of the
                          matrix made orthogonal, the other axes flattened row-major into its rows; negative counts
                          from the end, as in JAX. orthogonal: an axis of the tensor, in [−rank, rank) (JAX's default
                          −1 is Keras's flattening); delta_orthogonal: an axis of its (in, out) matrix, in [−2, 2)
                          (−1 or 1, JAX's default: out; −2 or 0: in). Outside: CLINIT_ERROR_INVALID_PARAMETER */
} clinit_init_spec;

/** PyTorch's defaults for `kind` (see the field comments). An unknown kind is kept and rejected by fills. */
CLINIT_API clinit_init_spec clinit_init_spec_default(clinit_init_kind kind);

/** The name of an initializer ("kaiming_normal", …); NULL for an unknown value. */
CLINIT_API const char *clinit_init_name(clinit_init_kind kind);
/** Parses an initializer name. @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_INVALID_INIT. */
CLINIT_API clinit_status clinit_init_from_name(const char *name, clinit_init_kind *out);
/**
 * clinit_init_from_name, with the reason for a refusal in words, as the CLI says it: for an unknown name, the
 * same name in other capitals, else the names (at most 3 and not all, in clinit_init_kind's order) that start
 * with it when it has 2 or more bytes (`unknown initializer "xavier": did you mean xavier_uniform or
 * xavier_normal?`), else the nearest name at edit distance at most 2
 * (`unknown initializer "kaiming_unifrom": did you mean kaiming_uniform?`), else the list of every name
 * (`unknown initializer "x": not one of uniform, normal, …`). Parameter, mode, nonlinearity and distribution
 * names are suggested alike (clinit_init_spec_set_message). The name is quoted with '"' and '\' escaped and
 * control characters written as \n, \t, \r or \xNN, cut after 64 bytes (then "...").
 * @param message       receives the reason, NUL-terminated ("" on success), cut to fit on a whole UTF-8
 *                      character; may be NULL.
 * @param message_size  bytes at message (0: nothing is written).
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (name or out NULL); CLINIT_ERROR_INVALID_INIT.
 */
CLINIT_API clinit_status clinit_init_from_name_message(const char *name, clinit_init_kind *out, char *message,
                                                       size_t message_size);

/**
 * Sets one parameter by PyTorch's name from text, as the CLI's `--param NAME=VALUE` and manifests do: numbers "a",
 * "b", "mean", "std", "val", "gain", "scale", "sparsity" (decimal, as "0.02", ".5", "-1e-3", the whole string; or
 * "inf", "infinity" in any case, with an optional '-'; no hexadecimal floats, no "nan"; a decimal beyond double's
 * range, such as "1e999" or "1e-400", is refused, and so is an integer written without a point or exponent that a
 * double does not hold exactly, such as "9007199254740993" (2^53 + 1), rather than rounded: an i32/i64 constant is
 * written exactly; "9007199254740993.0" is the nearest double), the integers "fan_in" and "groups" (decimal digits
 * only, at most INT64_MAX), "mode" ("fan_in", "fan_out"; variance_scaling also "fan_avg", "fan_geo_avg"),
 * "nonlinearity" (a calculate_gain name), "distribution" ("truncated_normal", "untruncated_normal", "uniform") and
 * orthogonal's and delta_orthogonal's "column_axis" (decimal digits with an optional '-', within [−INT_MAX, INT_MAX];
 * it sets has_column_axis too, and its range, [−rank, rank) or [−2, 2), is checked later). Text is strict: no blanks
 * around any value, no '+' on a number ("+1", " 1", "1 " are refused; "-1" is a real number, whose range is checked
 * later; fan_in and groups take no sign at all). Only names the spec's kind uses are accepted
 * (clinit_init_param_names). Range checks happen at fill time (or clinit_validate). On failure `spec` is unchanged;
 * clinit_init_spec_set_message also says why.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_UNKNOWN_PARAMETER (a name the kind does not take,
 *         or an unknown kind); CLINIT_ERROR_INVALID_PARAMETER (value not a number, a blank or a '+' around it, a real
 *         out of double's range, an integer a double does not hold exactly, fan_in/groups not decimal digits or above
 *         INT64_MAX, column_axis not an int, an unknown distribution or the ambiguous "normal");
 *         CLINIT_ERROR_INVALID_MODE (an unknown mode, or blanks around one); CLINIT_ERROR_INVALID_NONLINEARITY
 *         (likewise).
 */
CLINIT_API clinit_status clinit_init_spec_set(clinit_init_spec *spec, const char *name, const char *value);

/**
 * clinit_init_spec_set, saying why a value is refused: what the CLI's `--param`, manifests and the Python
 * binding report. Same parsing, same statuses, and `spec` is unchanged on failure.
 * @param message       NULL, or receives a NUL-terminated message naming the parameter, quoting the value (up
 *                      to 64 bytes, control characters escaped) and saying what would be accepted ("" on
 *                      success), e.g. `std = "+1": numbers take no '+' sign (write "1")`,
 *                      `unknown nonlinearity "rleu": did you mean relu?`,
 *                      `fan_in = "-1" is not a non-negative integer (decimal digits)`. Cut to fit.
 * @param message_size  bytes at message (0: nothing is written).
 * @return as clinit_init_spec_set: CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_UNKNOWN_PARAMETER;
 *         CLINIT_ERROR_INVALID_PARAMETER; CLINIT_ERROR_INVALID_MODE; CLINIT_ERROR_INVALID_NONLINEARITY.
 */
CLINIT_API clinit_status clinit_init_spec_set_message(clinit_init_spec *spec, const char *name, const char *value,
                                                      char *message, size_t message_size);

/** The parameter names `kind` takes, comma-separated ("a, mode, nonlinearity"; "" for none); NULL for an
 * unknown kind. A static string. */
CLINIT_API const char *clinit_init_param_names(clinit_init_kind kind);

/**
 * Checks everything a fill of `t` with `spec` checks that needs no device: rank, shape, box, dtype, byte
 * offset alignment and the initializer's parameters against the shape (t->buffer is ignored and may be
 * NULL). Lets a program validate a whole model before it creates a context or an output file.
 * @param message       NULL, or receives a NUL-terminated message naming the field at fault ("" on success).
 * @param message_size  bytes at message.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (t or spec NULL); or the status the fill would return for
 *         these arguments (see clinit_fill), except those that need the buffer, the queue or the device
 *         (CLINIT_ERROR_BUFFER_TOO_SMALL, CLINIT_ERROR_INVALID_QUEUE, CLINIT_ERROR_READ_ONLY_BUFFER,
 *         CLINIT_ERROR_UNSUPPORTED_DTYPE for f64 on a device without cl_khr_fp64, CLINIT_ERROR_DEVICE_MEMORY,
 *         CLINIT_ERROR_OPENCL, CLINIT_ERROR_OUT_OF_HOST_MEMORY).
 */
CLINIT_API clinit_status clinit_validate(const clinit_tensor *t, const clinit_init_spec *spec, char *message,
                                         size_t message_size);

/**
 * The device memory a fill of `t` with `spec` allocates besides the tensor (scratch, released when the fill's
 * commands complete), in bytes: for orthogonal and delta_orthogonal the three buffers of their m × n matrix
 * (m ≥ n; see "Fills" below), of (mn + n)·s, n²·s and mn·s bytes (s = 8 for f64 tensors, 4 otherwise); 0 for
 * every other initializer and for a fill of no elements. A fill whose largest scratch buffer is above the
 * device's CL_DEVICE_MAX_MEM_ALLOC_SIZE, or whose total is above its CL_DEVICE_GLOBAL_MEM_SIZE, fails
 * (CLINIT_ERROR_DEVICE_MEMORY) before it enqueues anything; clinit_scratch_fits checks that against a
 * context's device, beside the caller's own buffers, before a program allocates anything. Source: clinit's own accounting of its Householder QR (docs/ALGORITHMS.md §4,
 * "orthogonal and delta_orthogonal"); no framework exposes one (PyTorch's orthogonal_ runs its QR in torch.linalg).
 * @param largest  NULL, or receives the largest of the buffers (to compare with CL_DEVICE_MAX_MEM_ALLOC_SIZE).
 * @param total    NULL, or receives their sum.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (t or spec); otherwise the status clinit_validate returns
 *         for these arguments (then *largest and *total are 0).
 */
CLINIT_API clinit_status clinit_scratch_bytes(const clinit_tensor *t, const clinit_init_spec *spec, uint64_t *largest,
                                              uint64_t *total);

/**
 * Whether the scratch of a fill of `t` with `spec` (clinit_scratch_bytes) fits ctx's device beside
 * `reserved_bytes` bytes of the caller's own buffers there (the tensor's buffer and whatever else will exist
 * while the fill runs): each scratch buffer within CL_DEVICE_MAX_MEM_ALLOC_SIZE, and all of it plus
 * reserved_bytes within CL_DEVICE_GLOBAL_MEM_SIZE. clinit_fill checks the same with reserved_bytes = 0 before it
 * enqueues anything; a program checks a model with it before it allocates its buffers (`clinit sample`,
 * `init`, `bench` and the Python package's sample do). Thread-safe as the fills; the message is
 * clinit_ctx_message's. Source: clinit's own accounting, as clinit_scratch_bytes.
 * @param reserved_bytes  bytes, 0 or more.
 * @return CLINIT_SUCCESS (a fill without scratch, or of no elements, always fits); CLINIT_ERROR_NULL_ARGUMENT
 *         (ctx, t or spec); the status clinit_validate returns for t and spec; CLINIT_ERROR_DEVICE_MEMORY (the
 *         message names the initializer, its m × n matrix, the bytes and the limit: "orthogonal of a 40000 x
 *         40000 matrix needs 19200160000 bytes of scratch besides 6400000000 bytes of other buffers, above the
 *         device's memory (CL_DEVICE_GLOBAL_MEM_SIZE = 23129018368 bytes)"); CLINIT_ERROR_OPENCL (the
 *         device's limits could not be read).
 */
CLINIT_API clinit_status clinit_scratch_fits(clinit_ctx *ctx, const clinit_tensor *t, const clinit_init_spec *spec,
                                             uint64_t reserved_bytes);

/** The distribution an initializer samples on a given tensor (clinit_init_resolve). */
typedef enum clinit_dist_kind {
    CLINIT_DIST_CONSTANT = 0,         /**< every value = value */
    CLINIT_DIST_UNIFORM = 1,          /**< U[low, high) (exactly low when low = high) */
    CLINIT_DIST_NORMAL = 2,           /**< N(mean, std²) */
    CLINIT_DIST_TRUNCATED_NORMAL = 3, /**< N(mean, std²) restricted to [low, high] (low may be −inf, high +inf) */
    CLINIT_DIST_ORTHOGONAL = 4,       /**< value × an orthonormal matrix (orthogonal, delta_orthogonal) */
    CLINIT_DIST_STRUCTURED = 5,       /**< a fixed pattern: eye, dirac (value on the pattern, 0 elsewhere) */
    CLINIT_DIST_SPARSE = 6            /**< N(0, std²) with `count` zeros in every column */
} clinit_dist_kind;

typedef struct clinit_distribution {
    clinit_dist_kind kind;
    double value;                       /**< constant */
    double low, high;                   /**< uniform [low, high); truncated normal [low, high] */
    double mean, std;                   /**< normal, truncated normal: of the normal before truncation */
    int64_t count;                      /**< sparse: zeros per column, ⌈sparsity·rows⌉; dirac: groups */
    double expected_mean, expected_std; /**< mean and std of the values (after truncation), every kind */
} clinit_distribution;

/**
 * Resolves a spec against a tensor's logical shape and layout to the distribution actually sampled, in
 * double precision: what `clinit sample` prints as the expected bound and std. Fans come from the logical
 * shape (never the box); t->buffer, offset and dtype are not looked at (clinit_validate checks those too).
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT; CLINIT_ERROR_INVALID_INIT; CLINIT_ERROR_INVALID_RANK
 *         (rank < 0 or > 8, < 2 for a fan-based initializer under layout OI or AXES, or outside the initializer's
 *         ranks); CLINIT_ERROR_INVALID_SHAPE (a negative extent, 2^56 or more elements, delta_orthogonal with
 *         in > out);
 *         CLINIT_ERROR_INVALID_LAYOUT (t->layout not one of clinit_layout, whatever the initializer; a layout the
 *         initializer does not take, clinit_init_info.layouts: delta_orthogonal and dirac take OI and IO; layout
 *         AXES with in_axes or out_axes empty, overlapping another mask, or naming a dimension ≥ rank);
 *         CLINIT_ERROR_INVALID_MODE; CLINIT_ERROR_INVALID_NONLINEARITY;
 *         CLINIT_ERROR_INVALID_PARAMETER (NaN/inf, a value outside its parameter's range of
 *         clinit_init_get_param_info: normal's and sparse's std < 0, trunc_normal's std ≤ 0, xavier's gain < 0 —
 *         orthogonal's and eye's gain and delta_orthogonal's scale take any finite value —, fan_in < 0, scale ≤ 0,
 *         sparsity outside [0, 1], groups < 1 or not dividing out; a > b; b − a overflowing a double, the spec's
 *         bounds or those a gain or scale makes; an unknown distribution, a column_axis outside the tensor's (or
 *         the matrix's) axes, a generation this library does not know). trunc_normal with a == b resolves to
 *         constant a. A tensor with zero elements resolves to constant 0 without the rank, shape or fan checks
 *         (PyTorch returns it untouched), but its initializer, layout, mode, nonlinearity and parameters are
 *         refused as for a non-empty tensor (PyTorch's normal_(std=-1) raises on an empty tensor too).
 */
CLINIT_API clinit_status clinit_init_resolve(const clinit_init_spec *spec, const clinit_tensor *t,
                                             clinit_distribution *out);

/* ---------------------------------------------------------------------------------------------------------
 * Initializer registry: what each initializer is and takes, for tools, help texts and bindings
 * ------------------------------------------------------------------------------------------------------ */

/** The number of initializers the library knows: kinds 0 .. clinit_init_count() − 1, in clinit_init_kind order.
 *  CLINIT_INIT_KIND_COUNT of the header the library was built with (a newer library than the caller's header
 *  may know more). Never fails. */
CLINIT_API int clinit_init_count(void);

/** What one initializer is (clinit_init_get_info). Every string is static, never NULL. */
typedef struct clinit_init_info {
    const char *name;       /**< "kaiming_normal": clinit_init_name's */
    clinit_dist_kind dist;  /**< the distribution it samples with its default parameters (variance_scaling: its
                                 `distribution` parameter chooses; an empty tensor is always constant 0) */
    int needs_fans;         /**< 1: reads fan_in and fan_out from the shape and layout (clinit_compute_fans: ranks
                                 2..8 under layouts OI and AXES, 0..8 under IO); 0: fans are never computed */
    int min_rank, max_rank; /**< the ranks it takes, both ends included, within 0..CLINIT_MAX_RANK (a fan-based one:
                                 0..8, those of its layout as needs_fans says) */
    unsigned layouts;       /**< the layouts it takes, bit (1u << l) for each clinit_layout l; a layout it does not
                                 take is CLINIT_ERROR_INVALID_LAYOUT */
    int param_count;        /**< the parameters it takes, indices 0 .. param_count − 1 of clinit_init_get_param_info
                                 (0 for zeros, glorot_uniform, …) */
    const char *source; /**< the framework function and paper it follows, e.g. "PyTorch torch.nn.init.kaiming_normal_
                                 (He et al. 2015)" */
    const char *doc;    /**< one line: what it samples, e.g. "N(0, σ²), σ = gain(nonlinearity, a) / √fan_mode" */
} clinit_init_info;

/** How a parameter is given (clinit_init_spec_set) and stored (its clinit_init_spec field). */
typedef enum clinit_param_type {
    CLINIT_PARAM_REAL = 0,    /**< a double: decimal text, "inf" or "-inf" */
    CLINIT_PARAM_INTEGER = 1, /**< an int64_t: decimal digits, no sign */
    CLINIT_PARAM_NAME = 2,    /**< an enum, given by one of the names in `values` (mode, nonlinearity, distribution) */
    CLINIT_PARAM_AXIS = 3     /**< an axis (column_axis), an int: decimal digits with an optional '-' (negative axes
                                   count from the end, as in JAX); giving it sets its has_ field (has_column_axis),
                                   unset the layout's rule applies; the fill checks it against the rank */
} clinit_param_type;

/** One parameter of one initializer (clinit_init_get_param_info). Strings are static; `values` is NULL except
 *  for CLINIT_PARAM_NAME. */
typedef struct clinit_param_info {
    const char *name; /**< the name clinit_init_spec_set takes and the clinit_init_spec field: "gain" */
    clinit_param_type type;
    int required;           /**< 1: PyTorch has no default for it (sparse's sparsity, constant's val,
                                  linear_default_bias's fan_in): the CLI, manifests and the Python binding refuse a
                                  spec without it, since default_value would silently make zeros */
    double default_value;   /**< clinit_init_spec_default's value; for CLINIT_PARAM_NAME the enum value (the name
                                  at that index of `values`); for CLINIT_PARAM_AXIS NaN: unset by default */
    double min, max;        /**< REAL and INTEGER: the values a fill accepts, −INFINITY / +INFINITY where unbounded
                                  (an INTEGER's max is INT64_MAX, as a double 2^63); NAME: 0 and value_count − 1;
                                  AXIS: the widest range (orthogonal: −8 and 7; delta_orthogonal, an axis of its
                                  (in, out) matrix: −2 and 1), which a fill narrows to the tensor's rank */
    int min_open, max_open; /**< 1 where that end is excluded: std > 0 is min = 0, min_open = 1; a finite real is
                                  (−inf, +inf), both open; trunc_normal's a and b take ±inf: [−inf, +inf] */
    int value_count;        /**< NAME: the number of accepted names (the enum values 0 .. value_count − 1); else 0 */
    const char *values;     /**< NAME: the accepted names in enum order, ", "-separated ("fan_in, fan_out") */
    const char *doc;        /**< one line: "negative slope of leaky_relu" */
} clinit_param_info;

/**
 * Describes initializer `kind` (its registry row: the one place each fact about it lives in the library).
 * @param info  receives the description.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (info NULL); CLINIT_ERROR_INVALID_INIT (kind outside
 *         0 .. clinit_init_count() − 1; *info is left as it was).
 */
CLINIT_API clinit_status clinit_init_get_info(clinit_init_kind kind, clinit_init_info *info);

/**
 * Describes parameter `index` of initializer `kind`, in the order of clinit_init_param_names (PyTorch's
 * signature order).
 * @param index  0 .. param_count − 1 of clinit_init_get_info.
 * @param info   receives the description.
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (info NULL); CLINIT_ERROR_INVALID_INIT (kind unknown);
 *         CLINIT_ERROR_UNKNOWN_PARAMETER (index outside 0 .. param_count − 1). On failure *info is left as it was.
 */
CLINIT_API clinit_status clinit_init_get_param_info(clinit_init_kind kind, int index, clinit_param_info *info);

/**
 * The stream of a named tensor: XXH64 (xxHash, seed 0) of the name's bytes without the terminating NUL,
 * e.g. "conv1.weight". Manifests and `clinit init` use it, so that adding, removing or reordering tensors
 * never changes another tensor's values. Returns 0 for name == NULL.
 */
CLINIT_API uint64_t clinit_stream_from_name(const char *name);

/* ---------------------------------------------------------------------------------------------------------
 * Fills (asynchronous, on the caller's queue)
 *
 * Common arguments:
 *   ctx         a handle from clinit_ctx_create*.
 *   queue       a command queue of the same context and device; in-order or out-of-order.
 *   t           the destination tensor.
 *   seed        the Philox4x32-10 key (64 bits): the same seed gives the same values everywhere.
 *   stream      separates tensors initialized with one seed (64 bits; see docs/ALGORITHMS.md).
 *   num_events_in_wait_list, event_wait_list   as clEnqueueNDRangeKernel: the fill starts after them; every
 *               event non-NULL and of ctx's context, checked before anything is enqueued (the list is not
 *               read when the count is 0).
 *   event       NULL, or receives an event that completes when every value is written (the caller releases it);
 *               NULL on failure. It must not point at an element of event_wait_list (OpenCL forbids it too):
 *               that is CLINIT_ERROR_INVALID_PARAMETER, and the element is left as it was.
 * Every fill returns: CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (ctx, queue, t, t->buffer, spec for clinit_fill, a
 * NULL wait list with a count, or a NULL event in it); CLINIT_ERROR_INVALID_PARAMETER (event pointing into the wait
 * list, or t->buffer an image rather than a buffer); the tensor's CLINIT_ERROR_INVALID_RANK / _SHAPE / _BOX /
 * _UNSUPPORTED_DTYPE (also f64 on a device without cl_khr_fp64) / _MISALIGNED_OFFSET / _BUFFER_TOO_SMALL;
 * CLINIT_ERROR_READ_ONLY_BUFFER (t->buffer, or the buffer it is a sub-buffer of, created with CL_MEM_READ_ONLY);
 * CLINIT_ERROR_INVALID_QUEUE (the queue, the buffer or a wait-list event of another context, or the queue of
 * another device); the statuses clinit_validate returns for t and the spec (those of clinit_init_resolve, and
 * CLINIT_ERROR_INVALID_PARAMETER for a value the dtype cannot hold); CLINIT_ERROR_DEVICE_MEMORY (orthogonal
 * scratch, below); CLINIT_ERROR_OPENCL (a query of the queue, the buffer or a wait-list event failed, or an enqueue
 * or a scratch allocation did; the message has the call and the error code); CLINIT_ERROR_OUT_OF_HOST_MEMORY (the
 * host list of a fill's launch events, kept when an event is asked for, could not grow).
 * A tensor with zero elements is a no-op that still honours the wait list and event, once its initializer and
 * parameters have passed the checks of clinit_init_resolve (and a constant the dtype cannot hold is refused).
 * orthogonal and delta_orthogonal compute the whole matrix (m × n, m ≥ n) in scratch device memory of
 * (2mn + n² + n)·s bytes in three buffers (s = 8 for f64 tensors, 4 otherwise; clinit_scratch_bytes),
 * released when their commands complete (before anything is enqueued, CLINIT_ERROR_DEVICE_MEMORY if one is
 * above CL_DEVICE_MAX_MEM_ALLOC_SIZE or the three together above CL_DEVICE_GLOBAL_MEM_SIZE, CLINIT_ERROR_OPENCL
 * if one cannot be allocated), with 2n + 2⌈n/16⌉ + 2 launches: on drivers whose queues have a
 * bounded depth (NVIDIA) the call may return only once most of them have been submitted.
 * ------------------------------------------------------------------------------------------------------ */

/** Fills `t` with the initializer `spec` (the generic entry point; the functions below call it). */
CLINIT_API clinit_status clinit_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                     const clinit_init_spec *spec, uint64_t seed, uint64_t stream,
                                     cl_uint num_events_in_wait_list, const cl_event *event_wait_list, cl_event *event);

/** One tensor of clinit_fill_batch. */
typedef struct clinit_batch_item {
    clinit_tensor tensor;  /**< as for clinit_fill: buffer, byte offset, dtype, shape, layout, box */
    clinit_init_spec spec; /**< its initializer */
    uint64_t stream;       /**< its stream (for a named tensor, typically clinit_stream_from_name) */
} clinit_batch_item;

/**
 * Fills `count` tensors with one seed, each with its own initializer and stream, in few kernel launches:
 * every item gets exactly the values of clinit_fill(ctx, queue, &item.tensor, &item.spec, seed, item.stream).
 * Items whose initializer is element-wise (constant, uniform, normal, truncated normal and every name that
 * resolves to one of them) in f32, f16 or bf16, whole or with a box that is one contiguous run, are grouped
 * by (buffer, dtype) and each group is one launch (kernels/batch.cl; a group of more than 2^30 work-items is
 * split): ResNet-50's 161 tensors in one buffer take 1 launch. The other items (f64, orthogonal,
 * delta_orthogonal, eye, dirac, sparse, boxes of several runs) are filled one by one as by clinit_fill, except
 * that the orthogonal and delta_orthogonal items share one scratch, each of its three buffers as large as the
 * largest item needs (clinit_scratch_bytes), and run one after another: a batch of many holds about one item's
 * scratch, not the sum (where the shared buffers together would not fit the device, each item has its own).
 * Tensors must not overlap: two items that share a byte are refused (their launches run in no fixed order).
 * Items in sub-buffers (clCreateSubBuffer) are compared by their bytes in the buffer the sub-buffers were made
 * from, so two aliasing sub-buffers, or a sub-buffer and its buffer, are seen too.
 *
 * Every item is checked before anything is enqueued: on an invalid item nothing is enqueued and the status is
 * that of the first failing item, with a message that starts "items[i]: ". Every launch waits for the wait
 * list; *event (when event is not NULL) completes when all of them have. count = 0 is a no-op that still
 * honours the wait list and event. An OpenCL failure part-way may leave earlier groups enqueued (they write
 * only their own tensors).
 *
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (ctx, queue, items with count > 0, a NULL wait list
 *         with a count or a NULL event in it); any status clinit_fill returns for an item (a wait-list event
 *         of another context: CLINIT_ERROR_INVALID_QUEUE); CLINIT_ERROR_INVALID_PARAMETER (two items overlap:
 *         "items[i] and items[j] overlap: bytes [a, b) and [c, d) of one buffer", followed by " (sub-buffers
 *         counted from the start of the buffer they were made from)" when either is a sub-buffer);
 *         CLINIT_ERROR_OUT_OF_HOST_MEMORY; CLINIT_ERROR_OPENCL (message names the call).
 */
CLINIT_API clinit_status clinit_fill_batch(clinit_ctx *ctx, cl_command_queue queue, const clinit_batch_item *items,
                                           size_t count, uint64_t seed, cl_uint num_events_in_wait_list,
                                           const cl_event *event_wait_list, cl_event *event);

/** torch.nn.init.uniform_(a, b): values in [a, b) (exactly a when a == b); a ≤ b, both finite. */
CLINIT_API clinit_status clinit_uniform(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double a,
                                        double b, uint64_t seed, uint64_t stream, cl_uint num_events_in_wait_list,
                                        const cl_event *event_wait_list, cl_event *event);
/** torch.nn.init.normal_(mean, std): N(mean, std²), every value finite; std ≥ 0. */
CLINIT_API clinit_status clinit_normal(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double mean,
                                       double std, uint64_t seed, uint64_t stream, cl_uint num_events_in_wait_list,
                                       const cl_event *event_wait_list, cl_event *event);
/** torch.nn.init.constant_(val): every element = val rounded to the dtype (to float, then to nearest even for f16
 *  and bf16; val itself for f64; for i32 and i64 an integer val the dtype holds, see clinit_dtype); val finite, and
 *  finite once rounded (|val| < 65520 for f16), else CLINIT_ERROR_INVALID_PARAMETER. seed/stream are not needed. */
CLINIT_API clinit_status clinit_constant(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double val,
                                         cl_uint num_events_in_wait_list, const cl_event *event_wait_list,
                                         cl_event *event);
/** torch.nn.init.zeros_. */
CLINIT_API clinit_status clinit_zeros(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                      cl_uint num_events_in_wait_list, const cl_event *event_wait_list,
                                      cl_event *event);
/** torch.nn.init.ones_. */
CLINIT_API clinit_status clinit_ones(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                     cl_uint num_events_in_wait_list, const cl_event *event_wait_list, cl_event *event);
/** torch.nn.init.xavier_uniform_(gain): U[−B, B), B = gain·√(6/(fan_in+fan_out)); rank ≥ 2; gain ≥ 0. */
CLINIT_API clinit_status clinit_xavier_uniform(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                               double gain, uint64_t seed, uint64_t stream,
                                               cl_uint num_events_in_wait_list, const cl_event *event_wait_list,
                                               cl_event *event);
/** torch.nn.init.xavier_normal_(gain): N(0, σ²), σ = gain·√(2/(fan_in+fan_out)); rank ≥ 2; gain ≥ 0. */
CLINIT_API clinit_status clinit_xavier_normal(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                              double gain, uint64_t seed, uint64_t stream,
                                              cl_uint num_events_in_wait_list, const cl_event *event_wait_list,
                                              cl_event *event);
/**
 * torch.nn.init.kaiming_uniform_(a, mode, nonlinearity): U[−B, B), B = √3·gain/√fan_mode with
 * gain = clinit_calculate_gain(nonlinearity, a); rank ≥ 2. PyTorch's defaults: a = 0, CLINIT_FAN_IN,
 * CLINIT_NL_LEAKY_RELU.
 */
CLINIT_API clinit_status clinit_kaiming_uniform(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                                double a, clinit_fan_mode mode, clinit_nonlinearity nonlinearity,
                                                uint64_t seed, uint64_t stream, cl_uint num_events_in_wait_list,
                                                const cl_event *event_wait_list, cl_event *event);
/** torch.nn.init.kaiming_normal_(a, mode, nonlinearity): N(0, σ²), σ = gain/√fan_mode; rank ≥ 2. */
CLINIT_API clinit_status clinit_kaiming_normal(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                               double a, clinit_fan_mode mode, clinit_nonlinearity nonlinearity,
                                               uint64_t seed, uint64_t stream, cl_uint num_events_in_wait_list,
                                               const cl_event *event_wait_list, cl_event *event);

/* ---------------------------------------------------------------------------------------------------------
 * Host reference generator
 * ------------------------------------------------------------------------------------------------------ */

/**
 * Computes on the host, into `dst`, the values clinit_fill writes for (t, spec, seed, stream): same
 * Philox4x32-10 (Random123), same counter layout, conversions and arithmetic (docs/ALGORITHMS.md), so
 * every value of every initializer and dtype is bit-identical to every device's (the tests compare them
 * bit for bit on each device they run on). t->buffer and t->offset_bytes are ignored.
 * @param dst        host memory for the described elements (the box's, when has_box), row-major.
 * @param dst_bytes  size of dst in bytes; must be ≥ element count · dtype size (equal is enough).
 * @return CLINIT_SUCCESS; CLINIT_ERROR_NULL_ARGUMENT (t, spec or dst NULL); the status clinit_validate returns for
 *         t and spec (never CLINIT_ERROR_MISALIGNED_OFFSET: the offset is ignored); then
 *         CLINIT_ERROR_BUFFER_TOO_SMALL; CLINIT_ERROR_OUT_OF_HOST_MEMORY (orthogonal and delta_orthogonal compute
 *         their whole m × n matrix here, (2mn + n² + n)·s bytes of host memory as clinit_scratch_bytes counts them,
 *         whatever the box). Nothing is written to dst on failure.
 */
CLINIT_API clinit_status clinit_reference_fill(const clinit_tensor *t, const clinit_init_spec *spec, uint64_t seed,
                                               uint64_t stream, void *dst, size_t dst_bytes);

#ifdef __cplusplus
}
#endif
#endif /* CLINIT_H */
