/* Ends an instance of kernels/orthogonal.h and kernels/orthogonal.cl begun by orthogonal_f32.h or
 * orthogonal_f64.h, so that the next prelude can define the macros anew. */
#undef CLINIT_ORTH_T
#undef CLINIT_ORTH_T8
#undef CLINIT_ORTH_T8U
#undef CLINIT_ORTH_T16U
#undef CLINIT_ORTH_LOAD8
#undef CLINIT_ORTH_STORE8
#undef CLINIT_ORTH_LOAD16
#undef CLINIT_ORTH_STORE16
#undef CLINIT_ORTH_T16
#undef CLINIT_ORTH
#undef CLINIT_ORTH_KERNEL
#undef CLINIT_ORTH_LIT
#undef CLINIT_ORTH_RSQRT_SEED
#undef CLINIT_ORTH_RSQRT_STEPS
#undef CLINIT_ORTH_PER_BLOCK
#undef CLINIT_ORTH_BLOCK_NORMALS
#undef CLINIT_ORTH_STORE1_f64
#undef CLINIT_ORTH_STORE_KERNELS
#undef CLINIT_ORTH_WORD_NORMALS
