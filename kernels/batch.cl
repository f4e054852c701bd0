/* Batched fills (host/batch.c): many tensors of one dtype in one buffer, one launch. Work-item `item` belongs
 * to the entry whose range of items holds it and runs that entry's run exactly as the run kernels do
 * (CLINIT_FILL_ITEM, kernels/fill.cl), so every value is the one clinit_fill gives.
 *
 * The table has CLINIT_BATCH_WORDS ulongs per entry, entries in increasing item order, then a sentinel whose
 * word 0 is the total number of items:
 *   0 the entry's first item        1 out offset of the run's first element (elements)
 *   2 first logical index           3 run length (elements)
 *   4 dist | method << 32           5, 6 ks (seed lo | hi << 32, stream lo | hi << 32)
 *   7 … 10 p (the float8's bits)    11 … 15 unused */
#define CLINIT_BATCH_WORDS 16

#define CLINIT_BATCH_KERNEL(DTYPE, T)                                                                        \
    __kernel void clinit_fill_batch_##DTYPE(__global T *out, __global const ulong *table, uint entries,      \
                                            ulong item0)                                                     \
    {                                                                                                        \
        ulong item = item0 + get_global_id(0);                                                               \
        /* entry lo with start(lo) ≤ item < start(lo + 1), by bisection over the starts */                    \
        uint lo = 0, hi = entries;                                                                           \
        while (hi - lo > 1) {                                                                                \
            uint mid = lo + (hi - lo) / 2;                                                                   \
            if (table[(ulong)mid * CLINIT_BATCH_WORDS] <= item) lo = mid;                                    \
            else hi = mid;                                                                                   \
        }                                                                                                    \
        __global const ulong *t = table + (ulong)lo * CLINIT_BATCH_WORDS;                                    \
        if (item >= t[CLINIT_BATCH_WORDS]) return; /* past the sentinel's start: the launch's padding */      \
        ulong first = t[2];                                                                                  \
        uint4 ks = (uint4)((uint)t[5], (uint)(t[5] >> 32), (uint)t[6], (uint)(t[6] >> 32));                  \
        float8 p = as_float8((ulong4)(t[7], t[8], t[9], t[10]));                                             \
        int method = (int)(t[4] >> 32);                                                                      \
        ulong8 q = (ulong8)(0);                                                                              \
        switch ((int)(uint)t[4]) {                                                                           \
        case 0: CLINIT_FILL_ITEM(constant, DTYPE, T, out, first, first + t[3], t[1], item - t[0], 0) break; \
        case 1: CLINIT_FILL_ITEM(uniform, DTYPE, T, out, first, first + t[3], t[1], item - t[0], 0) break; \
        case 2: CLINIT_FILL_ITEM(normal, DTYPE, T, out, first, first + t[3], t[1], item - t[0], 0) break; \
        default: CLINIT_FILL_ITEM(truncnorm, DTYPE, T, out, first, first + t[3], t[1], item - t[0], 0) break; \
        }                                                                                                    \
    }

CLINIT_BATCH_KERNEL(f32, float)
CLINIT_BATCH_KERNEL(f16, half)
CLINIT_BATCH_KERNEL(bf16, ushort)
