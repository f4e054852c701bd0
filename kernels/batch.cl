/*
 * Batched fills (host/batch.c): clinit_fill_batch_{f32,f16,bf16}, kernels/batch_kernel.h for each dtype, over the
 * functions of kernels/fill.cl.
 */
#ifndef CLINIT_BATCH_CL
#define CLINIT_BATCH_CL

#include "fill.cl"

/* An entry's values in private memory, field by field: a plain struct copy from global memory became a byte-wise
 * copy to the stack on NVIDIA's back end, read back from there in every round of Philox. */
inline ci_values ci_values_load(__global const ci_values *g)
{
    ci_values v;
    v.seed = g->seed;
    v.stream = g->stream;
    for (int k = 0; k < 5; k++) v.pattern[k] = g->pattern[k];
    v.reserved = 0;
    for (int k = 0; k < 20; k++) v.round_keys[k] = g->round_keys[k];
    v.value = g->value;
    v.lo = g->lo;
    v.hi = g->hi;
    v.mean = g->mean;
    v.std = g->std;
    v.clamp_lo = g->clamp_lo;
    v.clamp_hi = g->clamp_hi;
    for (int k = 0; k < 4; k++) v.tn[k] = g->tn[k];
    v.accept_lo = g->accept_lo;
    v.accept_hi = g->accept_hi;
    v.tn_plan = g->tn_plan;
    v.generation = g->generation;
    v.pattern_kind = g->pattern_kind;
    v.reserved2 = 0;
    return v;
}

#define T float
#define BLOCKS_C ci_blocks_constant_f32
#define BLOCKS_U ci_blocks_uniform_f32
#define BLOCKS_N1 ci_blocks_normal_g1_f32
#define BLOCKS_N2 ci_blocks_normal_g2_f32
#define TAIL_C ci_tail_constant_f32
#define TAIL_U ci_tail_uniform_f32
#define TAIL_N1 ci_tail_normal_g1_f32
#define TAIL_N2 ci_tail_normal_g2_f32
#define BLOCKS_TN ci_blocks_truncnorm_f32
#define TAIL_TN ci_tail_truncnorm_f32
#define ITEM_C ci_item_constant_f32
#define ITEM_U ci_item_uniform_f32
#define ITEM_N ci_item_normal_f32
#define ITEM_TN ci_item_truncnorm_f32
#define TAIL ci_batch_tail_f32
#define KERNEL clinit_fill_batch_f32
#include "batch_kernel.h"

#define T half
#define BLOCKS_C ci_blocks_constant_f16
#define BLOCKS_U ci_blocks_uniform_f16
#define BLOCKS_N1 ci_blocks_normal_g1_f16
#define BLOCKS_N2 ci_blocks_normal_g2_f16
#define TAIL_C ci_tail_constant_f16
#define TAIL_U ci_tail_uniform_f16
#define TAIL_N1 ci_tail_normal_g1_f16
#define TAIL_N2 ci_tail_normal_g2_f16
#define BLOCKS_TN ci_blocks_truncnorm_f16
#define TAIL_TN ci_tail_truncnorm_f16
#define ITEM_C ci_item_constant_f16
#define ITEM_U ci_item_uniform_f16
#define ITEM_N ci_item_normal_f16
#define ITEM_TN ci_item_truncnorm_f16
#define TAIL ci_batch_tail_f16
#define KERNEL clinit_fill_batch_f16
#include "batch_kernel.h"

#define T ushort
#define BLOCKS_C ci_blocks_constant_bf16
#define BLOCKS_U ci_blocks_uniform_bf16
#define BLOCKS_N1 ci_blocks_normal_g1_bf16
#define BLOCKS_N2 ci_blocks_normal_g2_bf16
#define TAIL_C ci_tail_constant_bf16
#define TAIL_U ci_tail_uniform_bf16
#define TAIL_N1 ci_tail_normal_g1_bf16
#define TAIL_N2 ci_tail_normal_g2_bf16
#define BLOCKS_TN ci_blocks_truncnorm_bf16
#define TAIL_TN ci_tail_truncnorm_bf16
#define ITEM_C ci_item_constant_bf16
#define ITEM_U ci_item_uniform_bf16
#define ITEM_N ci_item_normal_bf16
#define ITEM_TN ci_item_truncnorm_bf16
#define TAIL ci_batch_tail_bf16
#define KERNEL clinit_fill_batch_bf16
#include "batch_kernel.h"

#endif
