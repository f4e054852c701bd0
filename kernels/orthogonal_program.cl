/*
 * Orthogonal and delta_orthogonal: orthogonal.h (the arithmetic, shared with the host reference) and orthogonal.cl
 * (the kernels) once per precision, each between its prelude (orthogonal_f32.h: clinit_orth_*; orthogonal_f64.h:
 * clinit_orth64_*, only where the device has cl_khr_fp64) and orthogonal_end.h.
 */
#include "elementwise.h"
#include "fill64.cl"
#include "geometry.h"
#include "stores.h"

#include "orthogonal_f32.h"
#include "orthogonal.h"
#include "orthogonal.cl"
#include "orthogonal_end.h"

#include "orthogonal_f64.h"
#include "orthogonal.h"
#include "orthogonal.cl"
#include "orthogonal_end.h"
