// Distances of the quantised stores (contracts.ts, VectorStore), one function per store, formula and
// SIMD path, matching @hnswlab/kernels-js (store-f16.ts, store-i8.ts, store-b1.ts):
//   f16 l2  = sum (q - h)^2   float32, as the f32 store's l2 (within the metric's tolerance)
//   f16 dot = 1 - sum q * h   float64 products and sums, as the f32 store's dot (1 - dot cancels)
//   i8      = integer S or I summed exactly in int32 lanes, then int64; the float64 combination
//             is done by i8Finish in distance-code-scalar.cc (baseline ISA, so never fused into an FMA)
//   b1      = popcount(a xor b) over 64-bit words, then one 32-bit word
#pragma once

#include <cstdint>

namespace hnswlab {

enum class Store { F16, I8, B1 };

/** A query against codes: f16 reads f32 (l2) or f64 (dot); i8 reads codes (int8) and p, its P; b1 reads codes (uint32 words). */
struct CodeQuery {
  const float* f32;
  const double* f64;
  const uint8_t* codes;
  double p;
};

/** The bound store: codes (codeBytes per row), i8's P per row (dot only) and the quantiser's C, s, s². */
struct CodeRows {
  const uint8_t* codes;
  const double* terms;
  int64_t codeBytes;
  double C, s, s2;
};

/** distance(q, row `row`), a float32 value; `row` was checked by the caller. */
using CodeOneFn = float (*)(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim);

/** i8's float64 combination of the contract, then one rounding to float32. */
float i8FinishL2(int64_t S, const CodeRows& rows);
float i8FinishDot(int64_t I, double p, double prow, const CodeRows& rows);

CodeOneFn scalarCode(Store store, bool l2);
#if defined(__x86_64__) || defined(__i386__)
/** AVX2 (+FMA, F16C, POPCNT): the avx2 and avx512 paths; null when the CPU lacks F16C or POPCNT for this store. */
CodeOneFn avx2Code(Store store, bool l2);
#endif

}  // namespace hnswlab
