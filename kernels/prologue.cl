/* clinit kernels, generated from kernels/ and Random123 (docs/ALGORITHMS.md). Every a*b+c below is two
 * correctly rounded operations, never a fused multiply-add: the host reference rounds the same way. */
#pragma OPENCL FP_CONTRACT OFF
