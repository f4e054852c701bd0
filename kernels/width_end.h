/* Ends one width of kernels/arith.h and truncnorm.h, included by kernels/generate.h: the names that chose it are
 * undefined, so that the next width can define them anew. */
#undef F
#undef U
#undef I
#undef NAME
#undef PHILOX
#undef TF
#undef TI
#undef AS_I
#undef AU
#undef AF
#undef SEL
#undef FMA
#undef FLOOR
#undef ANY
