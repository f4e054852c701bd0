/* The cases frozen in tests/data/golden_v<g>.txt, one file per generation contract version g (written by
 * `make_golden g`, checked by test_golden.c). Every row is written once per dtype of its mask, all f32 cases
 * first, then f16, bf16 and f64, each in the order of the table: the first 13 rows are the f32 cases of the
 * first golden file, whose lines stay as they were.
 *
 * Frozen per case: elements 0..7, the `extra` ones, every element when the tensor has at most GOLDEN_WHOLE,
 * and every element of `box`. Seeds and streams with both 32-bit halves non-zero exercise every key and
 * counter word; shapes of 2^36 elements and more put logical indices above 2^34, i.e. Philox blocks above
 * 2^32 (counter word 1), for every initializer that computes elements on their own. Whole tensors of 64 to
 * GOLDEN_WHOLE elements reach the kernels' 16-block path on CPUs; boxes with runs of 130 elements that start
 * off a block boundary reach it inside a box. */
#ifndef CLINIT_GOLDEN_CASES_H
#define CLINIT_GOLDEN_CASES_H

#include "clinit.h"

#include <stdint.h>

typedef struct golden_case {
    const char *init;   /* clinit_init_name */
    unsigned dtypes;    /* mask of 1 << clinit_dtype */
    const char *shape;  /* "scalar" or d0xd1x… */
    const char *layout; /* "oi" or "io" */
    uint64_t seed, stream;
    const char *params; /* blank-separated name=value for clinit_init_spec_set, or "" */
    const char *extra;  /* frozen besides: blank-separated logical indices, or multi-indices "i0,i1,…" */
    const char *box;    /* "" or "start:extent", each d0xd1x… (clinit_tensor's box_start and box_extent) */
} golden_case;

#define GOLDEN_WHOLE 128
#define GOLDEN_F32 (1u << CLINIT_F32)
#define GOLDEN_ALL ((1u << CLINIT_F32) | (1u << CLINIT_F16) | (1u << CLINIT_BF16) | (1u << CLINIT_F64))
#define GOLDEN_F32_F64 ((1u << CLINIT_F32) | (1u << CLINIT_F64))
#define X UINT64_C

static const golden_case golden_cases[] = {
    /* The cases of the first golden file (f32 only then). */
    {"uniform", GOLDEN_ALL, "1000x37", "oi", 0, 0, "a=-2 b=3", "36999 18500 4099", ""},
    {"normal", GOLDEN_ALL, "4096x4096", "oi", X(0xDEADBEEFCAFEF00D), X(0x8000000000000001), "mean=0.5 std=2",
     "16777215 8388609 16777210", ""},
    {"constant", GOLDEN_ALL, "3x3", "oi", 1, 2, "val=0.1", "8", ""},
    {"zeros", GOLDEN_ALL, "5", "oi", 1, 2, "", "", ""},
    {"ones", GOLDEN_ALL, "scalar", "oi", 1, 2, "", "", ""},
    {"xavier_uniform", GOLDEN_ALL, "64x3x7x7", "oi", X(0xFFFFFFFF00000001), X(0x00000001FFFFFFFF), "gain=1",
     "9407 4704 1000", ""},
    {"xavier_normal", GOLDEN_ALL, "1048576x65536", "oi", X(0x0123456789ABCDEF), X(0xFEDCBA9876543210), "gain=1.5",
     "68719476735 17179869189 4294967298 34359738375", ""},
    {"kaiming_uniform", GOLDEN_ALL, "16384x4194304", "io", X(0x00000000FFFFFFFF), X(0xFFFFFFFF00000000),
     "a=0.1 mode=fan_out nonlinearity=leaky_relu", "68719476735 17179869185 4294967299", ""},
    {"kaiming_normal", GOLDEN_ALL, "3x3x16x32", "io", UINT64_MAX, UINT64_MAX, "mode=fan_out nonlinearity=relu",
     "4607 2303", ""},
    {"linear_default_weight", GOLDEN_ALL, "10x20", "oi", 42, X(0x9E3779B97F4A7C15), "", "199 101", ""},
    {"linear_default_bias", GOLDEN_ALL, "10", "oi", 42, X(0x7F4A7C159E3779B9), "fan_in=20", "9", ""},
    {"normal", GOLDEN_ALL, "scalar", "oi", X(0x8000000000000000), 7, "mean=-1 std=0.01", "", ""},
    {"kaiming_normal", GOLDEN_ALL, "7x3", "oi", 3, 4, "", "20 19", ""},

    /* Element-wise: whole small tensors (odd counts), and boxes of several runs off block boundaries at
     * logical indices above 2^36 − 2^21. A box of one run is batched by clinit_fill_batch; one of several is not. */
    {"uniform", GOLDEN_ALL, "9x11", "oi", X(0x00000001FFFFFFFF), X(0xFFFFFFFE00000003), "a=-0.75 b=1.5", "", ""},
    {"uniform", GOLDEN_ALL, "1048576x65536", "io", X(0x13198A2E03707344), X(0xA4093822299F31D0), "a=-3 b=-1",
     "68719476735 34359738368 4294967297 17179869186", "1048574x65381:2x130"},
    {"normal", GOLDEN_ALL, "7x13", "oi", X(0x243F6A8885A308D3), X(0x13198A2E03707344), "mean=0.5 std=2", "", ""},
    {"normal", GOLDEN_ALL, "65536x1048576", "oi", X(0xA4093822299F31D0), X(0x082EFA98EC4E6C89), "mean=-1 std=0.25",
     "68719476735 68719476734 51539607553 17179869187", "65535x1048381:1x130"},
    {"constant", GOLDEN_ALL, "5x19", "oi", 5, 6, "val=-0.1", "", "1x3:3x13"},
    {"zeros", GOLDEN_ALL, "3x7", "oi", X(0x452821E638D01377), X(0xBE5466CF34E90C6C), "", "", ""},
    {"ones", GOLDEN_ALL, "2x3x5", "io", X(0xC0AC29B7C97C50DD), X(0x3F84D5B5B5470917), "", "", ""},
    {"xavier_uniform", GOLDEN_ALL, "4x3x2", "oi", X(0x9216D5D98979FB1B), X(0xD1310BA698DFB5AC), "gain=0.7", "", ""},
    {"xavier_normal", GOLDEN_ALL, "5x7", "io", X(0x2FFD72DBD01ADFB7), X(0xB8E1AFED6A267E96), "gain=1.5", "", ""},
    {"kaiming_uniform", GOLDEN_ALL, "3x4x2", "oi", X(0xBA7C9045F12C7F99), X(0x24A19947B3916CF7),
     "a=0.2 mode=fan_in nonlinearity=leaky_relu", "", ""},
    {"kaiming_uniform", GOLDEN_ALL, "1x3x4x3", "io", X(0x0801F2E2858EFC16), X(0x636920D871574E69),
     "mode=fan_out nonlinearity=tanh", "", ""},
    {"kaiming_normal", GOLDEN_ALL, "3x1x2x5", "io", X(0xA458FEA3F4933D7E), X(0x0D95748F728EB658), "nonlinearity=selu",
     "", ""},
    {"linear_default_weight", GOLDEN_ALL, "5x3x2", "oi", X(0x718BCD5882154AEE), X(0x7B54A41DC25A59B5), "", "", ""},
    {"linear_default_bias", GOLDEN_ALL, "17", "oi", X(0x9C30D5392AF26013), X(0xC5D1B023286085F0), "fan_in=300", "", ""},

    /* trunc_normal's four plans (host/truncnorm.c), each on a small whole tensor and at large indices with a
     * box: standardized windows [-2, 2] and [-1.5, 1.5] (normal), [-0.35, 0.4] (uniform), [2, 4] and [3, inf)
     * (exponential, upper side), (-inf, -2.5] and [-6, -3] (exponential, lower side). */
    {"trunc_normal", GOLDEN_ALL, "10x10", "oi", X(0xCA417918B8DB38EF), X(0x8E79DCB0603A180E), "mean=1 std=0.5 a=0 b=2",
     "", ""},
    {"trunc_normal", GOLDEN_ALL, "1048576x65536", "oi", X(0x6C9E0E8BB01E8A3E), X(0xD71577C1BD314B27),
     "mean=0 std=1 a=-1.5 b=1.5", "68719476735 51539607555 4294967296 17179869190", "1048575x65381:1x130"},
    {"trunc_normal", GOLDEN_ALL, "9x9", "oi", X(0x78AF2FDA55605C60), X(0xE65525F3AA55AB94), "mean=0.2 std=2 a=-0.5 b=1",
     "", ""},
    {"trunc_normal", GOLDEN_ALL, "4194304x16384", "io", X(0x5748986263E81440), X(0x55CA396A2AAB10B6),
     "mean=0.2 std=2 a=-0.5 b=1", "68719476735 30064771077 4294967298", "4194301x16001:3x6"},
    {"trunc_normal", GOLDEN_ALL, "8x12", "oi", X(0xB4CC5C341141E8CE), X(0xA15486AF7C72E993), "mean=0 std=1 a=2 b=4", "",
     ""},
    {"trunc_normal", GOLDEN_ALL, "65536x1048576", "io", X(0xB3EE1411636FBC2A), X(0x2BA9C55D741831F6),
     "mean=-1 std=0.5 a=0.5 b=inf", "68719476735 42949672963 4294967299", "65533x1000001:3x6"},
    {"trunc_normal", GOLDEN_ALL, "11x7", "oi", X(0xCE5C3E169B87931E), X(0xAFD6BA336C24CF5C),
     "mean=0 std=1 a=-inf b=-2.5", "", ""},
    {"trunc_normal", GOLDEN_ALL, "16384x4194304", "oi", X(0x7A32538128958677), X(0x3B8F48986B4BB9AF),
     "mean=3 std=2 a=-9 b=-3", "68719476735 25769803777 4294967300", "16383x4194001:1x20"},

    /* variance_scaling: every distribution in every dtype, every mode in f32 and f64; fan_in 6, fan_out 9. */
    {"variance_scaling", GOLDEN_ALL, "3x2x3", "oi", X(0xC4BFE81B66282193), X(0x61D809CCFB21A991),
     "scale=2 mode=fan_in distribution=truncated_normal", "", ""},
    {"variance_scaling", GOLDEN_ALL, "3x2x3", "oi", X(0x487CAC605DEC8032), X(0xEF845D5DE98575B1),
     "scale=0.5 mode=fan_out distribution=untruncated_normal", "", ""},
    {"variance_scaling", GOLDEN_ALL, "3x2x3", "oi", X(0xDC262302EB651B88), X(0x23893E81D396ACC5),
     "scale=1.5 mode=fan_avg distribution=uniform", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0x0F6D6FF383F44239), X(0x2E0B4482A4842004),
     "scale=1 mode=fan_out distribution=truncated_normal", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0x69C8F04A9E1F9B5E), X(0x21C66842F6E96C9A),
     "scale=1 mode=fan_avg distribution=truncated_normal", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0x670C9C61ABD388F0), X(0x6A51A0D2D8542F68),
     "scale=1 mode=fan_geo_avg distribution=truncated_normal", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0x960FA728AB5133A3), X(0x6EEF0B6C137A3BE4),
     "scale=3 mode=fan_in distribution=untruncated_normal", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0xBA3BF0507EFB2A98), X(0xA1F1651D39AF0176),
     "scale=3 mode=fan_avg distribution=untruncated_normal", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0x66CA593E82430E88), X(0x8CEE8619456F9FB4),
     "scale=3 mode=fan_geo_avg distribution=untruncated_normal", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0x7D84A5C33B8B5EBE), X(0xE06F75D885C12073),
     "scale=0.25 mode=fan_in distribution=uniform", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0x401A449F56C16AA6), X(0x4ED3AA62363F7706),
     "scale=0.25 mode=fan_out distribution=uniform", "", ""},
    {"variance_scaling", GOLDEN_F32_F64, "3x2x3", "io", X(0x1BFEDF72429B023D), X(0x37D0D724D00A1248),
     "scale=0.25 mode=fan_geo_avg distribution=uniform", "", ""},

    /* Keras/JAX names (the normal ones are truncated at ±2σ). */
    {"glorot_uniform", GOLDEN_ALL, "5x2x3", "oi", X(0xDB0FEAD349F1C09B), X(0x075372C980991B7B), "", "", ""},
    {"glorot_normal", GOLDEN_ALL, "1x3x4x2", "io", X(0x25D479D8F6E8DEF7), X(0xE3FE501AB6794C3B), "", "", ""},
    {"he_uniform", GOLDEN_ALL, "7x3", "oi", X(0x976CE0BD04C006BA), X(0xC1A94FB6409F60C4), "", "", ""},
    {"he_normal", GOLDEN_ALL, "4x5", "oi", X(0x5E5C9EC2196A2463), X(0x68FB6FAF3E6C53B5), "", "", ""},
    {"he_normal", GOLDEN_ALL, "1048576x65536", "io", X(0x1339B2EB3B52EC6F), X(0x6DFC511F9B30952C), "",
     "68719476735 47244640257 4294967301", ""},
    {"lecun_uniform", GOLDEN_ALL, "1x2x3x4", "io", X(0xCC814544AF5EBD09), X(0xBEE3D004DE334AFD), "", "", ""},
    {"lecun_normal", GOLDEN_ALL, "3x7", "oi", X(0x660F2807192E4BB3), X(0xC0CBA85745C8740F), "", "", ""},

    /* orthogonal: tall, wide, square, rank 3 and 4 in both layouts (flattened to (shape[0], rest) in either),
     * negative gain; 33 × 20 and 17 × 30 are not multiples of the kernels' 8-lane sums and 16 × 4 tiles. */
    {"orthogonal", GOLDEN_ALL, "7x4", "oi", X(0xD2A98AA1D31A7A2F), X(0x0B9C9E0F5A3B4E1D), "", "", "1x1:5x2"},
    {"orthogonal", GOLDEN_ALL, "3x8", "oi", X(0x8A4C5E9F1B2D3C4E), X(0x5F6E7D8C9BAA0B1C), "gain=2", "", ""},
    {"orthogonal", GOLDEN_ALL, "6x6", "io", X(0x1F2E3D4C5B6A7988), X(0x99AABBCCDDEEFF01), "gain=0.5", "", ""},
    {"orthogonal", GOLDEN_ALL, "4x2x3", "oi", X(0x3141592653589793), X(0x2384626433832795), "", "", ""},
    {"orthogonal", GOLDEN_ALL, "3x2x5", "io", X(0x0288419716939937), X(0x5105820974944592), "gain=-1.5", "", ""},
    {"orthogonal", GOLDEN_ALL, "2x3x2x3", "io", X(0x3078164062862089), X(0x9862803482534211), "", "", ""},
    {"orthogonal", GOLDEN_ALL, "33x20", "oi", X(0x7067982148086513), X(0x2823066470938446), "", "659 329 330 640 19 20",
     "5x3:3x9"},
    {"orthogonal", GOLDEN_ALL, "17x30", "oi", X(0x0955058223172535), X(0x9408128481117450), "gain=1.25",
     "509 480 29 30 255", ""},

    /* delta_orthogonal: OI (out, in, k…) and IO (k…, in, out), odd and even taps, rank 3 to 5; taps of 65537
     * put the centre at logical indices near 2^36. */
    {"delta_orthogonal", GOLDEN_ALL, "5x3x3", "oi", X(0x2847564823378678), X(0x3165271201909145), "", "", ""},
    {"delta_orthogonal", GOLDEN_ALL, "3x2x3x4", "io", X(0x6485669234603486), X(0x1045432664821339), "scale=2", "", ""},
    {"delta_orthogonal", GOLDEN_ALL, "4x3x2x3", "oi", X(0x3607260249141273), X(0x7245870066063155), "", "", ""},
    {"delta_orthogonal", GOLDEN_ALL, "3x1x2x2x4", "io", X(0x8817488152092096), X(0x2829254091715364), "scale=0.5", "",
     ""},
    {"delta_orthogonal", GOLDEN_ALL, "8x4x65537x65537", "oi", X(0x3678925903600113), X(0x3053054882046652), "",
     "7,3,32768,32768 0,0,32768,32768 5,2,32768,32768 5,2,32768,32769 7,3,65536,65536", "0x0x32768x32767:8x4x1x3"},
    {"delta_orthogonal", GOLDEN_ALL, "65537x65537x4x8", "io", X(0x1384146951941511), X(0x6094330572703657), "",
     "32768,32768,3,7 32768,32768,0,0 32768,32768,2,5 32768,32769,2,5 65536,65536,3,7", "32768x32768x1x2:1x1x3x5"},

    /* eye: rectangular either way, gain; 2^38 elements with the diagonal at large indices. */
    {"eye", GOLDEN_ALL, "5x8", "oi", 1, 2, "", "", ""},
    {"eye", GOLDEN_ALL, "8x5", "io", 3, 4, "gain=2.5", "", "2x1:4x3"},
    {"eye", GOLDEN_ALL, "262144x1048576", "oi", X(0x5959092186117381), X(0x9326117931051185), "gain=0.75",
     "262143,262143 12345,12345 12345,12346 262143,1048575 1,0", "999x997:3x7"},

    /* dirac: groups in OI and IO, rank 3 to 5, even and odd taps; 2^37 elements with the pattern at large
     * indices (per = out / groups: a 1 at output g·per + d, input d). */
    {"dirac", GOLDEN_ALL, "6x4x3", "oi", 0, 0, "groups=2", "", ""},
    {"dirac", GOLDEN_ALL, "4x2x3x3", "oi", 0, 0, "groups=2", "", "1x0x0x1:2x2x3x2"},
    {"dirac", GOLDEN_ALL, "2x2x3x1x3", "oi", 0, 0, "", "", ""},
    {"dirac", GOLDEN_ALL, "1x3x2x6", "io", 0, 0, "groups=3", "", ""},
    {"dirac", GOLDEN_ALL, "3x1x3x2x2", "io", 0, 0, "groups=2", "", ""},
    {"dirac", GOLDEN_ALL, "65536x65536x5x5", "oi", 0, 0, "groups=4",
     "49153,1,2,2 65535,16383,2,2 65535,16383,2,3 16384,0,2,2 16385,0,2,2", "49152x0x2x1:2x2x1x3"},
    {"dirac", GOLDEN_ALL, "5x5x65536x65536", "io", 0, 0, "groups=2", "2,2,1,32769 2,2,32767,65535 2,2,1,32770 1,2,1,1",
     "2x2x32767x65533:1x1x2x3"},

    /* sparse: selection sampling (rows ≤ 16) and the Feistel permutation (rows > 16, 4^h ≥ rows), count 0 and
     * count = rows; 2^36 elements with 2^30 rows, and 2^43 with columns above 2^32 (column draws' counter
     * word 1). */
    {"sparse", GOLDEN_ALL, "10x7", "oi", X(0x4201995611212902), X(0x1960864034418159), "sparsity=0.3 std=0.5", "", ""},
    {"sparse", GOLDEN_ALL, "16x5", "oi", X(0x8136297747713099), X(0x6051870721134999), "sparsity=0.5", "", ""},
    {"sparse", GOLDEN_ALL, "17x4", "io", X(0x9999837297804995), X(0x1059731732816096), "sparsity=0.25", "", ""},
    {"sparse", GOLDEN_ALL, "40x3", "oi", X(0x3185950244594553), X(0x4690830264252230), "sparsity=0.9 std=2", "",
     "3x1:20x2"},
    {"sparse", GOLDEN_F32_F64, "20x4", "oi", X(0x8253344685035261), X(0x9311881710100031), "sparsity=0", "", ""},
    {"sparse", GOLDEN_F32_F64, "6x9", "oi", X(0x3783875288658753), X(0x3208381420617177), "sparsity=1", "", ""},
    {"sparse", GOLDEN_ALL, "1073741824x64", "oi", X(0x6697385598467897), X(0x5235429811171189), "sparsity=0.1 std=0.01",
     "68719476735 34359738368 1073741823,0 536870913,17", "1073741820x61:3x3"},
    {"sparse", GOLDEN_ALL, "8x1099511627776", "oi", X(0x1000000000000001), X(0x0000000100000001), "sparsity=0.5",
     "7,1099511627775 3,4294967301 0,4294967296 5,4294967296", "2x4294967294:3x5"},

    /* scaled_uniform (tinygrad): a uniform whose bound comes from the whole tensor's element count — a small
     * whole tensor, and a box at logical indices above 2^36 whose bound is still the whole tensor's. */
    {"scaled_uniform", GOLDEN_ALL, "3x5x7", "io", X(0x6A09E667F3BCC908), X(0xBB67AE8584CAA73B), "", "", ""},
    {"scaled_uniform", GOLDEN_ALL, "65536x1048576", "oi", X(0x3C6EF372FE94F82B), X(0xA54FF53A5F1D36F1), "",
     "68719476735 34359738369 17179869186", "65534x1048381:2x130"},
};
#undef X
#define GOLDEN_NCASES (sizeof golden_cases / sizeof golden_cases[0])

/* Names whose stream (clinit_stream_from_name, XXH64 seed 0) the file freezes too. */
static const char *const golden_stream_names[] = {"", "conv1.weight", "fc.bias", "transformer.h.0.attn.c_attn.weight"};
#define GOLDEN_NSTREAMS (sizeof golden_stream_names / sizeof golden_stream_names[0])

#endif
