/*
 * The fill kernels' arguments by name: what each element is (ci_values) and where the described elements lie
 * (ci_runs for any box, ci_rows for the GPU kernels' rows of whole blocks). Compiled as OpenCL C in the
 * kernels and as C11 in host/dispatch.c, which passes each struct by value with clSetKernelArg: every field is a
 * 4- or 8-byte scalar or an array of them, 8-byte fields first and the size a multiple of 8, so that both compilers
 * lay them out alike (host/dispatch.c checks sizes and offsets at compile time).
 */
#ifndef CLINIT_ARGS_H
#define CLINIT_ARGS_H

#ifdef __OPENCL_VERSION__
#define CLINIT_ARG_U64 ulong
#define CLINIT_ARG_U32 uint
#define CLINIT_ARG_I32 int
#define CLINIT_ARG_F32 float
#define CLINIT_ARG_F64 double
#else
#define CLINIT_ARG_U64 cl_ulong
#define CLINIT_ARG_U32 cl_uint
#define CLINIT_ARG_I32 cl_int
#define CLINIT_ARG_F32 cl_float
#define CLINIT_ARG_F64 cl_double
#endif

/* What every element is, for f32, f16 and bf16 outputs (values computed in f32; docs/ALGORITHMS.md §4). Each
 * kernel reads the fields of its distribution only. */
typedef struct ci_values {
    CLINIT_ARG_U64 seed;       /* the Philox key: words (seed bits 0–31, 32–63) */
    CLINIT_ARG_U64 stream;     /* Philox counter words 2 and 3 */
    CLINIT_ARG_U64 pattern[5]; /* eye, dirac: n0, n1, per, centre, io; sparse: rows, cols, count, h */
    CLINIT_ARG_U64 reserved;
    CLINIT_ARG_U32 round_keys[20]; /* Philox's round keys of the seed (ci_philox_round_keys, kernels/generate.h) */
    CLINIT_ARG_F32 value;          /* constant; eye, dirac: the value on the pattern */
    CLINIT_ARG_F32 lo, hi;         /* uniform: [lo, hi) */
    CLINIT_ARG_F32 mean, std;      /* normal; truncated normal: of the normal before truncation; sparse: std */
    CLINIT_ARG_F32 clamp_lo;       /* uniform, truncated normal: the smallest value of the output dtype inside */
    CLINIT_ARG_F32 clamp_hi;       /* ... and the largest (uniform: below hi) */
    CLINIT_ARG_F32 tn[4];          /* truncated normal: the plan's constants c0 … c3 (host/truncnorm.c) */
    CLINIT_ARG_F32 accept_lo;      /* truncated normal from generation 2: the normal plan accepts a value in */
    CLINIT_ARG_F32 accept_hi;      /* [accept_lo, accept_hi], the floats that round to the dtype inside [a, b] */
    CLINIT_ARG_I32 tn_plan;        /* truncated normal: CLINIT_TN_* (kernels/generate.h) */
    CLINIT_ARG_I32 generation;     /* the generation contract the values follow: 1 or 2 */
    CLINIT_ARG_I32 pattern_kind;   /* structured: CLINIT_STRUCT_* (kernels/structured.h) */
    CLINIT_ARG_I32 reserved2;
} ci_values;

/* The same for f64 outputs, computed in double (kernels/fill64.cl, only on devices with cl_khr_fp64). */
#if !defined(__OPENCL_VERSION__) || defined(cl_khr_fp64)
typedef struct ci_values64 {
    CLINIT_ARG_U64 seed, stream;
    CLINIT_ARG_U64 pattern[5];
    CLINIT_ARG_U64 reserved;
    CLINIT_ARG_F64 value, lo, hi, mean, std, clamp_lo, clamp_hi;
    CLINIT_ARG_F64 tn[4];
    CLINIT_ARG_I32 tn_plan, generation, pattern_kind, reserved2;
} ci_values64;
#endif

/* Where, for any box: the described elements as `rows` runs of `run_len` logically consecutive elements, run r
 * starting at logical index run_base + Σ_d (ostart[d] + digit_d(r))·ostride[d] (digits of r in the mixed radix
 * oext[0..7], outermost first) and written from out[out_offset + r·run_len] (host/internal.h's ci_geometry). */
typedef struct ci_runs {
    CLINIT_ARG_U64 out_offset, run_len, rows, run_base;
    CLINIT_ARG_U64 ostart[8], oext[8], ostride[8];
} ci_runs;

/* Where, for the GPU kernels' common case (host/dispatch.c chooses it): `rows` rows of row_blocks whole Philox
 * blocks each, row r made of the blocks first_block + r·row_step + j for j < row_blocks and written to
 * out[4·(out_block + r·row_blocks + j) …] (four elements per block, 16-byte aligned for f32). No row crosses a
 * multiple of 2^32 blocks, so a block's counter words are (first word + j, the row's second word). A single row
 * may end with a partial block of `tail` (1–3) elements. */
typedef struct ci_rows {
    CLINIT_ARG_U64 first_block, row_step, out_block;
    CLINIT_ARG_U32 row_blocks; /* at most 2^29 */
    CLINIT_ARG_U32 tail;       /* 0 … 3, and 0 unless there is one row */
    CLINIT_ARG_U32 rows;       /* the launch's rows: dimension 1 may be rounded up to whole work-groups */
    CLINIT_ARG_U32 reserved;
} ci_rows;

/* The distributions of the element-wise kernels: clinit_dist_kind's values (include/clinit.h), which the host checks
 * agree with these at compile time. */
#ifdef __OPENCL_VERSION__
#define CLINIT_DIST_CONSTANT 0
#define CLINIT_DIST_UNIFORM 1
#define CLINIT_DIST_NORMAL 2
#define CLINIT_DIST_TRUNCATED_NORMAL 3
#endif

/* The truncated normal's redraw queue in local memory (kernels/fill_rows_tn.h): a work-item marks the elements to draw
 * again over CLINIT_TN_GATHER rounds of blocks, then queues them; CLINIT_TN_QUEUE entries hold all of a group of up to
 * 256 work-items (host/dispatch.c launches those kernels with no larger groups). */
#define CLINIT_TN_GATHER 8
#define CLINIT_TN_QUEUE 8192

/* Groups of 16 blocks per work-item of the CPU devices' truncated-normal kernels (fill_runs.h): about 12 of an item's
 * 256 elements fall outside a ±2σ window, and one 16-lane redraw serves them all, where items of 64 elements paid a
 * whole redraw for about 3 (host/dispatch.c sizes the launches alike). */
#define CLINIT_TN_ITEM_GROUPS 4

/* Blocks per work-item of a batch entry's work-group on GPUs (kernels/batch_kernel.h): a group writes
 * CLINIT_BATCH_ROUNDS · L blocks, so that its search for its entry is paid once per 64 · L elements. */
#define CLINIT_BATCH_ROUNDS 16

/* Work-items' shares per unit of a batch launch on CPU devices (kernels/batch_kernel.h): a unit finds its entry and
 * copies the entry's values once for CLINIT_BATCH_ITEMS items (1024 elements of uniform or normal), where once per
 * item made a batch slower than a fill per tensor. */
#define CLINIT_BATCH_ITEMS 16

/* One tensor of a batched fill (host/batch.c, kernels/batch.cl): one run of `len` logically consecutive elements
 * from logical index `first`, written from out[out_offset]. Its work starts at unit `start` of the launch (a
 * work-item on CPU devices, a work-group on GPUs); the table's entries are in increasing start order and end with
 * a sentinel whose start is the total. */
typedef struct ci_batch_entry {
    CLINIT_ARG_U64 start;
    CLINIT_ARG_U64 out_offset, first, len;
    CLINIT_ARG_I32 dist; /* CLINIT_DIST_CONSTANT … CLINIT_DIST_TRUNCATED_NORMAL */
    CLINIT_ARG_I32 rows; /* GPUs: 1 where the run is whole aligned blocks (fill_rows.h's loop), 0 elsewhere */
    ci_values v;
} ci_batch_entry;

#endif
