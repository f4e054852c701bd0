/* The cases frozen in tests/data/golden_v1.txt (written by make_golden.c, checked by test_golden.c).
 * Seeds and streams with both 32-bit halves non-zero exercise every key and counter word; the shapes of
 * 2^36 elements put logical indices above 2^34, i.e. Philox blocks above 2^32 (counter word 1). */
#ifndef CLINIT_GOLDEN_CASES_H
#define CLINIT_GOLDEN_CASES_H

#include <stdint.h>

typedef struct golden_case {
    const char *init;     /* clinit_init_name */
    const char *shape;    /* "scalar" or d0xd1x… */
    const char *layout;   /* "oi" or "io" */
    uint64_t seed, stream;
    const char *params;   /* space-separated name=value for clinit_init_spec_set, or "" */
    uint64_t extra[6];    /* logical indices checked besides the first 8; UINT64_MAX ends the list */
} golden_case;

#define GOLDEN_END UINT64_MAX

static const golden_case golden_cases[] = {
    {"uniform", "1000x37", "oi", 0, 0, "a=-2 b=3", {36999, 18500, 4096 + 3, GOLDEN_END}},
    {"normal", "4096x4096", "oi", UINT64_C(0xDEADBEEFCAFEF00D), UINT64_C(0x8000000000000001), "mean=0.5 std=2",
     {(UINT64_C(1) << 24) - 1, (UINT64_C(1) << 23) + 1, (UINT64_C(1) << 24) - 6, GOLDEN_END}},
    {"constant", "3x3", "oi", 1, 2, "val=0.1", {8, GOLDEN_END}},
    {"zeros", "5", "oi", 1, 2, "", {GOLDEN_END}},
    {"ones", "scalar", "oi", 1, 2, "", {GOLDEN_END}},
    {"xavier_uniform", "64x3x7x7", "oi", UINT64_C(0xFFFFFFFF00000001), UINT64_C(0x00000001FFFFFFFF), "gain=1",
     {9407, 4704, 1000, GOLDEN_END}},
    {"xavier_normal", "1048576x65536", "oi", UINT64_C(0x0123456789ABCDEF), UINT64_C(0xFEDCBA9876543210),
     "gain=1.5",
     {(UINT64_C(1) << 36) - 1, (UINT64_C(1) << 34) + 5, (UINT64_C(1) << 32) + 2, (UINT64_C(1) << 35) + 7,
      GOLDEN_END}},
    {"kaiming_uniform", "16384x4194304", "io", UINT64_C(0x00000000FFFFFFFF), UINT64_C(0xFFFFFFFF00000000),
     "a=0.1 mode=fan_out nonlinearity=leaky_relu",
     {(UINT64_C(1) << 36) - 1, (UINT64_C(1) << 34) + 1, (UINT64_C(1) << 32) + 3, GOLDEN_END}},
    {"kaiming_normal", "3x3x16x32", "io", UINT64_MAX, UINT64_MAX, "mode=fan_out nonlinearity=relu",
     {4607, 2303, GOLDEN_END}},
    {"linear_default_weight", "10x20", "oi", 42, UINT64_C(0x9E3779B97F4A7C15), "", {199, 101, GOLDEN_END}},
    {"linear_default_bias", "10", "oi", 42, UINT64_C(0x7F4A7C159E3779B9), "fan_in=20", {9, GOLDEN_END}},
    {"normal", "scalar", "oi", UINT64_C(0x8000000000000000), 7, "mean=-1 std=0.01", {GOLDEN_END}},
    {"kaiming_normal", "7x3", "oi", 3, 4, "", {20, 19, GOLDEN_END}},
};
#define GOLDEN_NCASES (sizeof golden_cases / sizeof golden_cases[0])

/* Names whose stream (clinit_stream_from_name, XXH64 seed 0) the file freezes too. */
static const char *const golden_stream_names[] = {"", "conv1.weight", "fc.bias", "transformer.h.0.attn.c_attn.weight"};
#define GOLDEN_NSTREAMS (sizeof golden_stream_names / sizeof golden_stream_names[0])

#endif
