/* Preprocessed at build time with -undef -nostdinc -D__OPENCL_VERSION__=120 (see CMakeLists.txt): the output
 * is Random123's Philox for OpenCL C, with no host compiler's macros and no #if left in it. */
#include <Random123/philox.h>
