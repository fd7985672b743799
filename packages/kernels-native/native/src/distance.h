// The distance functions every SIMD path provides, matching @hnswlab/kernels-js:
//   l2  = sum (q - x)^2            float32 arithmetic. Every term is >= 0, so nothing cancels and
//                                  the relative error stays below (terms per lane + log2 lanes) * 2^-24,
//                                  about 2e-6 at dim 1536: inside the conformance bound (1e-5).
//   dot = 1 - sum q * x            (ip and cosine) float64 products and sums over float32 inputs.
//                                  1 - dot cancels near 0, where float32 sums miss the bound by 5x
//                                  already at dim 128; float32 * float32 is exact in float64.
// No -ffast-math: the reduction order is fixed in the code, so a path gives the same answer on every
// call and every thread.
#pragma once

#include <cstdint>

namespace hnswlab {

enum class Formula { L2, Dot };

/** The query in both precisions, filled once per query: l2 reads f32, dot reads f64. */
struct Query {
  const float* f32;
  const double* f64;
};

/** out[i] = distance(q, store + ids[i] * dim) for i < count; ids were checked by the caller. */
using BatchFn = void (*)(const Query& q, const float* store, const int32_t* ids, float* out, int32_t count, int32_t dim);
/** distance(q, row), rounded to float like the batched results. */
using OneFn = float (*)(const Query& q, const float* row, int32_t dim);

struct Kernels {
  BatchFn batch;
  OneFn one;
  /** batch without its software prefetch (the same arithmetic, bit for bit). */
  BatchFn plain;
};

Kernels scalarKernels(Formula formula);
#if defined(__x86_64__) || defined(__i386__)
Kernels avx2Kernels(Formula formula);
Kernels avx512Kernels(Formula formula);
#endif

}  // namespace hnswlab
