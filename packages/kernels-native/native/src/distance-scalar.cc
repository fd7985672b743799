// Portable fallback: independent accumulators, so the compiler may keep them in baseline vector
// registers (SSE2, NEON) without reordering the sum.
#include "batch-loop.h"
#include "distance.h"

namespace hnswlab {
namespace {

inline float l2One(const Query& q, const float* b, int32_t dim) {
  const float* a = q.f32;
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int32_t j = 0;
  for (; j + 8 <= dim; j += 8) {
    for (int k = 0; k < 8; k++) {
      const float d = a[j + k] - b[j + k];
      s[k] += d * d;
    }
  }
  for (int k = 0; j < dim; j++, k++) {
    const float d = a[j] - b[j];
    s[k] += d * d;
  }
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

inline float dotOne(const Query& q, const float* b, int32_t dim) {
  const double* a = q.f64;
  double s[4] = {0, 0, 0, 0};
  int32_t j = 0;
  for (; j + 4 <= dim; j += 4) {
    for (int k = 0; k < 4; k++) s[k] += a[j + k] * static_cast<double>(b[j + k]);
  }
  for (int k = 0; j < dim; j++, k++) s[k] += a[j] * static_cast<double>(b[j]);
  return static_cast<float>(1.0 - ((s[0] + s[2]) + (s[1] + s[3])));
}

HNSWLAB_DEFINE_BATCH(, l2Batch, l2One)
HNSWLAB_DEFINE_BATCH(, dotBatch, dotOne)

}  // namespace

Kernels scalarKernels(Formula formula) {
  if (formula == Formula::L2) return {l2Batch, l2BatchSingle, l2BatchPlain};
  return {dotBatch, dotBatchSingle, dotBatchPlain};
}

}  // namespace hnswlab
