/*
 * Batched fills (host/batch.c): clinit_fill_batch_{f32,f16,bf16}, kernels/batch_kernel.h for each dtype, over the
 * functions of kernels/fill.cl.
 */
#ifndef CLINIT_BATCH_CL
#define CLINIT_BATCH_CL

#include "fill.cl"

#define T float
#define BLOCKS_C clinit_blocks_constant_f32
#define BLOCKS_U clinit_blocks_uniform_f32
#define BLOCKS_N1 clinit_blocks_normal_g1_f32
#define BLOCKS_N2 clinit_blocks_normal_g2_f32
#define TAIL_C clinit_tail_constant_f32
#define TAIL_U clinit_tail_uniform_f32
#define TAIL_N1 clinit_tail_normal_g1_f32
#define TAIL_N2 clinit_tail_normal_g2_f32
#define BLOCKS_TN clinit_blocks_truncnorm_f32
#define TAIL_TN clinit_tail_truncnorm_f32
#define ITEM_C clinit_item_constant_f32
#define ITEM_U clinit_item_uniform_f32
#define ITEM_N clinit_item_normal_f32
#define ITEM_TN clinit_item_truncnorm_f32
#define KERNEL clinit_fill_batch_f32
#include "batch_kernel.h"
#undef T
#undef BLOCKS_C
#undef BLOCKS_U
#undef BLOCKS_N1
#undef BLOCKS_N2
#undef TAIL_C
#undef TAIL_U
#undef TAIL_N1
#undef TAIL_N2
#undef BLOCKS_TN
#undef TAIL_TN
#undef ITEM_C
#undef ITEM_U
#undef ITEM_N
#undef ITEM_TN

#define T half
#define BLOCKS_C clinit_blocks_constant_f16
#define BLOCKS_U clinit_blocks_uniform_f16
#define BLOCKS_N1 clinit_blocks_normal_g1_f16
#define BLOCKS_N2 clinit_blocks_normal_g2_f16
#define TAIL_C clinit_tail_constant_f16
#define TAIL_U clinit_tail_uniform_f16
#define TAIL_N1 clinit_tail_normal_g1_f16
#define TAIL_N2 clinit_tail_normal_g2_f16
#define BLOCKS_TN clinit_blocks_truncnorm_f16
#define TAIL_TN clinit_tail_truncnorm_f16
#define ITEM_C clinit_item_constant_f16
#define ITEM_U clinit_item_uniform_f16
#define ITEM_N clinit_item_normal_f16
#define ITEM_TN clinit_item_truncnorm_f16
#define KERNEL clinit_fill_batch_f16
#include "batch_kernel.h"
#undef T
#undef BLOCKS_C
#undef BLOCKS_U
#undef BLOCKS_N1
#undef BLOCKS_N2
#undef TAIL_C
#undef TAIL_U
#undef TAIL_N1
#undef TAIL_N2
#undef BLOCKS_TN
#undef TAIL_TN
#undef ITEM_C
#undef ITEM_U
#undef ITEM_N
#undef ITEM_TN

#define T ushort
#define BLOCKS_C clinit_blocks_constant_bf16
#define BLOCKS_U clinit_blocks_uniform_bf16
#define BLOCKS_N1 clinit_blocks_normal_g1_bf16
#define BLOCKS_N2 clinit_blocks_normal_g2_bf16
#define TAIL_C clinit_tail_constant_bf16
#define TAIL_U clinit_tail_uniform_bf16
#define TAIL_N1 clinit_tail_normal_g1_bf16
#define TAIL_N2 clinit_tail_normal_g2_bf16
#define BLOCKS_TN clinit_blocks_truncnorm_bf16
#define TAIL_TN clinit_tail_truncnorm_bf16
#define ITEM_C clinit_item_constant_bf16
#define ITEM_U clinit_item_uniform_bf16
#define ITEM_N clinit_item_normal_bf16
#define ITEM_TN clinit_item_truncnorm_bf16
#define KERNEL clinit_fill_batch_bf16
#include "batch_kernel.h"
#undef T
#undef BLOCKS_C
#undef BLOCKS_U
#undef BLOCKS_N1
#undef BLOCKS_N2
#undef TAIL_C
#undef TAIL_U
#undef TAIL_N1
#undef TAIL_N2
#undef BLOCKS_TN
#undef TAIL_TN
#undef ITEM_C
#undef ITEM_U
#undef ITEM_N
#undef ITEM_TN

#endif
