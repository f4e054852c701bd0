/* tests/embed_kernels.cmake's program: one.cl and two.cl each include a guarded header and a template */
#include "one.cl"
#include "two.cl"
