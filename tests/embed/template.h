/* a template that opens with a default, as kernels/fill_runs.h does: copied at every #include */
#ifndef NAME
#define NAME first
#endif
template_body NAME
#undef NAME
