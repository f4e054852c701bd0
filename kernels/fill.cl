/*
 * Constant, uniform, normal and truncated-normal fills of a tensor, or of a box of it, in f32, f16 or bf16
 * (docs/ALGORITHMS.md §4–5). Per distribution and dtype DT:
 *   clinit_fill_constant_DT, clinit_fill_uniform_DT, clinit_fill_normal_g1_DT, clinit_fill_normal_g2_DT,
 *   clinit_fill_truncnorm_g1_DT, clinit_fill_truncnorm_g2_DT
 *       GPU devices only: rows of whole, aligned blocks (kernels/fill_rows.h; for the truncated normal
 *       kernels/fill_rows_tn.h), one kernel per generation where the generations differ, which host/dispatch.c
 *       launches where a fill's geometry allows it (whole tensors, most boxes)
 *   clinit_fill_runs_constant_DT, clinit_fill_runs_uniform_DT, clinit_fill_runs_normal_DT, clinit_fill_runs_truncnorm_DT
 *       any box and alignment, either generation (kernels/fill_runs.h): the CPU shape, and the GPUs' other cases
 * Each is a template included below with its names spelled out.
 */
#ifndef CLINIT_FILL_CL
#define CLINIT_FILL_CL

#include "elementwise.h"
#include "geometry.h"
#include "stores.h"

/* ---- f32 ---- */
#define T float
#define STORE1 ci_store1_f32
#define STORE4 ci_store4_f32
#define STORE4A ci_store4a_f32
#define STORE16 ci_store16_f32
#if CLINIT_GPU_SHAPES
#define GEN4 ci_gen4_constant
#define BLOCKS ci_blocks_constant_f32
#define TAIL ci_tail_constant_f32
#define KERNEL clinit_fill_constant_f32
#include "fill_rows.h"
#define GEN4 ci_gen4_uniform_f32
#define BLOCKS ci_blocks_uniform_f32
#define TAIL ci_tail_uniform_f32
#define KERNEL clinit_fill_uniform_f32
#include "fill_rows.h"
#define GEN4 ci_gen4_normal_g1
#define BLOCKS ci_blocks_normal_g1_f32
#define TAIL ci_tail_normal_g1_f32
#define KERNEL clinit_fill_normal_g1_f32
#include "fill_rows.h"
#define GEN4 ci_gen4_normal_g2
#define BLOCKS ci_blocks_normal_g2_f32
#define TAIL ci_tail_normal_g2_f32
#define KERNEL clinit_fill_normal_g2_f32
#include "fill_rows.h"
#define GEN4 ci_gen4_truncnorm
#define TAIL ci_tail_truncnorm_f32
#include "fill_tail.h"
#undef GEN4
#define GENERATION 1
#define TAIL ci_tail_truncnorm_f32
#define BLOCKS ci_blocks_truncnorm_g1_f32
#define REDRAW ci_redraw_truncnorm_g1_f32
#define KERNEL clinit_fill_truncnorm_g1_f32
#include "fill_rows_tn.h"
#define GENERATION 2
#define TAIL ci_tail_truncnorm_f32
#define BLOCKS ci_blocks_truncnorm_g2_f32
#define REDRAW ci_redraw_truncnorm_g2_f32
#define KERNEL clinit_fill_truncnorm_g2_f32
#include "fill_rows_tn.h"
/* for the batch kernels, which take both generations in one launch (a barrier in each of two branches broke PoCL) */
#define GENERATION (v->generation)
#define TAIL ci_tail_truncnorm_f32
#define BLOCKS ci_blocks_truncnorm_f32
#define REDRAW ci_redraw_truncnorm_f32
#include "fill_rows_tn.h"
#endif
#define GEN4 ci_gen4_constant
#define GEN16 ci_gen16_constant
#define ITEM ci_item_constant_f32
#define KERNEL clinit_fill_runs_constant_f32
#include "fill_runs.h"
#define GEN4 ci_gen4_uniform
#define GEN16 ci_gen16_uniform
#define ITEM ci_item_uniform_f32
#define KERNEL clinit_fill_runs_uniform_f32
#include "fill_runs.h"
#define GEN4 ci_gen4_normal
#define GEN16 ci_gen16_normal
#define ITEM ci_item_normal_f32
#define KERNEL clinit_fill_runs_normal_f32
#include "fill_runs.h"
#define GEN4 ci_gen4_truncnorm
#define GROUPS (CLINIT_ITEM_BLOCKS == 16 ? CLINIT_TN_ITEM_GROUPS : 1)
#define GEN16N ci_gen16n_truncnorm
#define ITEM ci_item_truncnorm_f32
#define KERNEL clinit_fill_runs_truncnorm_f32
#include "fill_runs.h"
#undef T
#undef STORE1
#undef STORE4
#undef STORE4A
#undef STORE16

/* ---- f16 ---- */
#define T half
#define STORE1 ci_store1_f16
#define STORE4 ci_store4_f16
#define STORE4A ci_store4a_f16
#define STORE16 ci_store16_f16
#if CLINIT_GPU_SHAPES
#define GEN4 ci_gen4_constant
#define BLOCKS ci_blocks_constant_f16
#define TAIL ci_tail_constant_f16
#define KERNEL clinit_fill_constant_f16
#include "fill_rows.h"
#define GEN4 ci_gen4_uniform_f16
#define BLOCKS ci_blocks_uniform_f16
#define TAIL ci_tail_uniform_f16
#define KERNEL clinit_fill_uniform_f16
#include "fill_rows.h"
#define GEN4 ci_gen4_normal_g1
#define BLOCKS ci_blocks_normal_g1_f16
#define TAIL ci_tail_normal_g1_f16
#define KERNEL clinit_fill_normal_g1_f16
#include "fill_rows.h"
#define GEN4 ci_gen4_normal_g2
#define BLOCKS ci_blocks_normal_g2_f16
#define TAIL ci_tail_normal_g2_f16
#define KERNEL clinit_fill_normal_g2_f16
#include "fill_rows.h"
#define GEN4 ci_gen4_truncnorm
#define TAIL ci_tail_truncnorm_f16
#include "fill_tail.h"
#undef GEN4
#define GENERATION 1
#define TAIL ci_tail_truncnorm_f16
#define BLOCKS ci_blocks_truncnorm_g1_f16
#define REDRAW ci_redraw_truncnorm_g1_f16
#define KERNEL clinit_fill_truncnorm_g1_f16
#include "fill_rows_tn.h"
#define GENERATION 2
#define TAIL ci_tail_truncnorm_f16
#define BLOCKS ci_blocks_truncnorm_g2_f16
#define REDRAW ci_redraw_truncnorm_g2_f16
#define KERNEL clinit_fill_truncnorm_g2_f16
#include "fill_rows_tn.h"
/* for the batch kernels, which take both generations in one launch (a barrier in each of two branches broke PoCL) */
#define GENERATION (v->generation)
#define TAIL ci_tail_truncnorm_f16
#define BLOCKS ci_blocks_truncnorm_f16
#define REDRAW ci_redraw_truncnorm_f16
#include "fill_rows_tn.h"
#endif
#define GEN4 ci_gen4_constant
#define GEN16 ci_gen16_constant
#define ITEM ci_item_constant_f16
#define KERNEL clinit_fill_runs_constant_f16
#include "fill_runs.h"
#define GEN4 ci_gen4_uniform
#define GEN16 ci_gen16_uniform
#define ITEM ci_item_uniform_f16
#define KERNEL clinit_fill_runs_uniform_f16
#include "fill_runs.h"
#define GEN4 ci_gen4_normal
#define GEN16 ci_gen16_normal
#define ITEM ci_item_normal_f16
#define KERNEL clinit_fill_runs_normal_f16
#include "fill_runs.h"
#define GEN4 ci_gen4_truncnorm
#define GROUPS (CLINIT_ITEM_BLOCKS == 16 ? CLINIT_TN_ITEM_GROUPS : 1)
#define GEN16N ci_gen16n_truncnorm
#define ITEM ci_item_truncnorm_f16
#define KERNEL clinit_fill_runs_truncnorm_f16
#include "fill_runs.h"
#undef T
#undef STORE1
#undef STORE4
#undef STORE4A
#undef STORE16

/* ---- bf16 ---- */
#define T ushort
#define STORE1 ci_store1_bf16
#define STORE4 ci_store4_bf16
#define STORE4A ci_store4a_bf16
#define STORE16 ci_store16_bf16
#if CLINIT_GPU_SHAPES
#define GEN4 ci_gen4_constant
#define BLOCKS ci_blocks_constant_bf16
#define TAIL ci_tail_constant_bf16
#define KERNEL clinit_fill_constant_bf16
#include "fill_rows.h"
#define GEN4 ci_gen4_uniform_f16
#define BLOCKS ci_blocks_uniform_bf16
#define TAIL ci_tail_uniform_bf16
#define KERNEL clinit_fill_uniform_bf16
#include "fill_rows.h"
#define GEN4 ci_gen4_normal_g1
#define BLOCKS ci_blocks_normal_g1_bf16
#define TAIL ci_tail_normal_g1_bf16
#define KERNEL clinit_fill_normal_g1_bf16
#include "fill_rows.h"
#define GEN4 ci_gen4_normal_g2
#define BLOCKS ci_blocks_normal_g2_bf16
#define TAIL ci_tail_normal_g2_bf16
#define KERNEL clinit_fill_normal_g2_bf16
#include "fill_rows.h"
#define GEN4 ci_gen4_truncnorm
#define TAIL ci_tail_truncnorm_bf16
#include "fill_tail.h"
#undef GEN4
#define GENERATION 1
#define TAIL ci_tail_truncnorm_bf16
#define BLOCKS ci_blocks_truncnorm_g1_bf16
#define REDRAW ci_redraw_truncnorm_g1_bf16
#define KERNEL clinit_fill_truncnorm_g1_bf16
#include "fill_rows_tn.h"
#define GENERATION 2
#define TAIL ci_tail_truncnorm_bf16
#define BLOCKS ci_blocks_truncnorm_g2_bf16
#define REDRAW ci_redraw_truncnorm_g2_bf16
#define KERNEL clinit_fill_truncnorm_g2_bf16
#include "fill_rows_tn.h"
/* for the batch kernels, which take both generations in one launch (a barrier in each of two branches broke PoCL) */
#define GENERATION (v->generation)
#define TAIL ci_tail_truncnorm_bf16
#define BLOCKS ci_blocks_truncnorm_bf16
#define REDRAW ci_redraw_truncnorm_bf16
#include "fill_rows_tn.h"
#endif
#define GEN4 ci_gen4_constant
#define GEN16 ci_gen16_constant
#define ITEM ci_item_constant_bf16
#define KERNEL clinit_fill_runs_constant_bf16
#include "fill_runs.h"
#define GEN4 ci_gen4_uniform
#define GEN16 ci_gen16_uniform
#define ITEM ci_item_uniform_bf16
#define KERNEL clinit_fill_runs_uniform_bf16
#include "fill_runs.h"
#define GEN4 ci_gen4_normal
#define GEN16 ci_gen16_normal
#define ITEM ci_item_normal_bf16
#define KERNEL clinit_fill_runs_normal_bf16
#include "fill_runs.h"
#define GEN4 ci_gen4_truncnorm
#define GROUPS (CLINIT_ITEM_BLOCKS == 16 ? CLINIT_TN_ITEM_GROUPS : 1)
#define GEN16N ci_gen16n_truncnorm
#define ITEM ci_item_truncnorm_bf16
#define KERNEL clinit_fill_runs_truncnorm_bf16
#include "fill_runs.h"
#undef T
#undef STORE1
#undef STORE4
#undef STORE4A
#undef STORE16

#endif
