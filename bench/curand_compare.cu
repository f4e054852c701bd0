// cuRAND's Philox4x32-10 on the same sizes as `clinit bench`, for comparison on NVIDIA GPUs. Device time from
// cudaEvents, median of several runs after a warm-up, GB/s of f32 output.
//  - host API: curandGenerateUniform / curandGenerateNormal with CURAND_RNG_PSEUDO_PHILOX4_32_10 (what a
//    CUDA user calls); needs libcurand.
//  - device API: one curandStatePhilox4_32_10_t per thread, curand_uniform4 / curand_normal4 and a float4
//    store, in a grid-stride loop (the shape of clinit's GPU kernel); header-only, so a binary built with
//    -DCURAND_COMPARE_DEVICE_API_ONLY needs no libcurand on the machine it runs on, only the driver.
// cuRAND's uniform is (0, 1] and its normal N(0, 1): clinit's uniform and normal families do the same work plus
// an affine map, so the two are compared at equal bytes of output.
//
// build: nvcc -O2 -arch=sm_90 bench/curand_compare.cu -lcurand -o curand_compare
//        nvcc -O2 -arch=sm_90 -DCURAND_COMPARE_DEVICE_API_ONLY bench/curand_compare.cu -o curand_compare_devapi
// usage: curand_compare [SIZE ...]   sizes in bytes of f32 output, K/M/G binary suffixes [256M 1G]
#include <cuda_runtime.h>
#include <curand_kernel.h>
#ifndef CURAND_COMPARE_DEVICE_API_ONLY
#include <curand.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define CUDA_CHECK(call)                                                                                     \
    do {                                                                                                     \
        cudaError_t e_ = (call);                                                                             \
        if (e_ != cudaSuccess) {                                                                             \
            std::fprintf(stderr, "curand_compare: %s failed: %s\n", #call, cudaGetErrorString(e_));          \
            std::exit(1);                                                                                    \
        }                                                                                                    \
    } while (0)
#define CURAND_CHECK(call)                                                                                   \
    do {                                                                                                     \
        curandStatus_t s_ = (call);                                                                          \
        if (s_ != CURAND_STATUS_SUCCESS) {                                                                   \
            std::fprintf(stderr, "curand_compare: %s failed: cuRAND status %d\n", #call, (int)s_);           \
            std::exit(1);                                                                                    \
        }                                                                                                    \
    } while (0)

static const int kRepeat = 5;
static const unsigned long long kSeed = 1;

enum Dist { UNIFORM, NORMAL };

// "256M" -> 268435456; 0 for text that is not a size.
static size_t parse_size(const char *text)
{
    char *end;
    unsigned long long v = std::strtoull(text, &end, 10);
    int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : *end == '\0' ? 0 : -1;
    if (shift < 0 || end == text || (*end && end[1] != '\0')) return 0;
    return (size_t)(v << shift);
}

// One Philox state per thread (subsequence = thread index: independent streams, no skip-ahead cost), four
// values per call, one float4 store each.
template <Dist D>
__global__ void device_api_fill(float4 *out, size_t n4)
{
    size_t tid = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    size_t stride = (size_t)gridDim.x * blockDim.x;
    curandStatePhilox4_32_10_t state;
    curand_init(kSeed, tid, 0, &state);
    for (size_t i = tid; i < n4; i += stride) out[i] = D == UNIFORM ? curand_uniform4(&state) : curand_normal4(&state);
}

struct Runner {
    float *buf;
    size_t n;  // floats
    int grid;  // device API: enough blocks to fill the GPU several times over
#ifndef CURAND_COMPARE_DEVICE_API_ONLY
    curandGenerator_t gen;
#endif
    void run(bool host_api, Dist dist) const
    {
#ifndef CURAND_COMPARE_DEVICE_API_ONLY
        if (host_api) {
            if (dist == UNIFORM) CURAND_CHECK(curandGenerateUniform(gen, buf, n));
            else CURAND_CHECK(curandGenerateNormal(gen, buf, n, 0.0f, 1.0f)); // n even: sizes are multiples of 8 bytes
            return;
        }
#endif
        if (dist == UNIFORM) device_api_fill<UNIFORM><<<grid, 256>>>((float4 *)buf, n / 4);
        else device_api_fill<NORMAL><<<grid, 256>>>((float4 *)buf, n / 4);
        CUDA_CHECK(cudaGetLastError());
    }
};

// Median milliseconds of one fill of r.n floats.
static float time_fill(const Runner &r, bool host_api, Dist dist)
{
    cudaEvent_t start, stop;
    CUDA_CHECK(cudaEventCreate(&start));
    CUDA_CHECK(cudaEventCreate(&stop));
    std::vector<float> ms;
    for (int i = 0; i <= kRepeat; i++) { // i == 0: warm-up (lazy initialization, first touch)
        CUDA_CHECK(cudaEventRecord(start));
        r.run(host_api, dist);
        CUDA_CHECK(cudaEventRecord(stop));
        CUDA_CHECK(cudaEventSynchronize(stop));
        float t;
        CUDA_CHECK(cudaEventElapsedTime(&t, start, stop));
        if (i > 0) ms.push_back(t);
    }
    CUDA_CHECK(cudaEventDestroy(start));
    CUDA_CHECK(cudaEventDestroy(stop));
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

static void size_name(size_t bytes, char *out, size_t out_size)
{
    if (bytes % ((size_t)1 << 30) == 0) std::snprintf(out, out_size, "%zuG", bytes >> 30);
    else if (bytes % ((size_t)1 << 20) == 0) std::snprintf(out, out_size, "%zuM", bytes >> 20);
    else std::snprintf(out, out_size, "%zu", bytes);
}

int main(int argc, char **argv)
{
    std::vector<size_t> sizes;
    for (int i = 1; i < argc; i++) {
        size_t b = parse_size(argv[i]);
        if (b == 0 || b % 16 != 0) {
            std::fprintf(stderr, "curand_compare: \"%s\" is not a size in bytes (multiple of 16; K, M, G)\n", argv[i]);
            return 2;
        }
        sizes.push_back(b);
    }
    if (sizes.empty()) sizes = {(size_t)256 << 20, (size_t)1 << 30};

    cudaDeviceProp prop;
    CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
    Runner r;
    r.grid = prop.multiProcessorCount * 8;
    CUDA_CHECK(cudaMalloc(&r.buf, *std::max_element(sizes.begin(), sizes.end())));
#ifndef CURAND_COMPARE_DEVICE_API_ONLY
    CURAND_CHECK(curandCreateGenerator(&r.gen, CURAND_RNG_PSEUDO_PHILOX4_32_10));
    CURAND_CHECK(curandSetPseudoRandomGeneratorSeed(r.gen, kSeed));
    const bool apis[] = {true, false};
#else
    const bool apis[] = {false};
#endif

    std::printf("cuRAND Philox4x32-10 on %s: device ms from cudaEvents, median of %d runs after a warm-up\n", prop.name,
                kRepeat);
    std::printf("%-8s %-10s %6s %10s %9s %10s\n", "dist", "api", "size", "device ms", "GB/s", "Gsample/s");
    for (size_t bytes : sizes) {
        r.n = bytes / sizeof(float);
        char size[32];
        size_name(bytes, size, sizeof size);
        for (bool host_api : apis)
            for (Dist dist : {UNIFORM, NORMAL}) {
                float ms = time_fill(r, host_api, dist);
                std::printf("%-8s %-10s %6s %10.3f %9.1f %10.2f\n", dist == UNIFORM ? "uniform" : "normal",
                            host_api ? "host" : "device", size, ms, (double)bytes / ms / 1e6, (double)r.n / ms / 1e6);
                std::fflush(stdout);
            }
    }
#ifndef CURAND_COMPARE_DEVICE_API_ONLY
    CURAND_CHECK(curandDestroyGenerator(r.gen));
#endif
    CUDA_CHECK(cudaFree(r.buf));
    return 0;
}
