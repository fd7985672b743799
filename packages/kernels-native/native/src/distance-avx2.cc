// AVX2 + FMA path. l2: four 8-lane float accumulators over 32 floats per step; dot: four 4-lane
// double accumulators over 16 floats per step (each float widened on load). Whole vectors left over
// are spread over the accumulators, the tail is one masked load (no scalar loop). The file is
// compiled for the baseline ISA; only these functions carry target("avx2,fma"), and they run only
// where the CPU reports both (simd-dispatch.cc).
#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include "batch-loop.h"
#include "distance.h"

#define HNSWLAB_AVX2 __attribute__((target("avx2,fma")))

namespace hnswlab {
namespace {

// kMask32 + 8 - r (kMask64 + 4 - r) selects the first r lanes of a masked load.
alignas(64) const int32_t kMask32[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
alignas(64) const int64_t kMask64[8] = {-1, -1, -1, -1, 0, 0, 0, 0};

HNSWLAB_AVX2 inline float horizontalSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  __m128 shuffled = _mm_movehdup_ps(s);
  s = _mm_add_ps(s, shuffled);
  shuffled = _mm_movehl_ps(shuffled, s);
  return _mm_cvtss_f32(_mm_add_ss(s, shuffled));
}

HNSWLAB_AVX2 inline double horizontalSum(__m256d v) {
  const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

HNSWLAB_AVX2 inline __m256 l2Step(const float* a, const float* b, __m256 acc) {
  const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a), _mm256_loadu_ps(b));
  return _mm256_fmadd_ps(d, d, acc);
}

HNSWLAB_AVX2 inline __m256d dotStep(const double* a, const float* b, __m256d acc) {
  return _mm256_fmadd_pd(_mm256_loadu_pd(a), _mm256_cvtps_pd(_mm_loadu_ps(b)), acc);
}

HNSWLAB_AVX2 inline float l2One(const Query& q, const float* b, int32_t dim) {
  const float* a = q.f32;
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  int32_t j = 0;
  for (; j + 32 <= dim; j += 32) {
    s0 = l2Step(a + j, b + j, s0);
    s1 = l2Step(a + j + 8, b + j + 8, s1);
    s2 = l2Step(a + j + 16, b + j + 16, s2);
    s3 = l2Step(a + j + 24, b + j + 24, s3);
  }
  if (j + 8 <= dim) s0 = l2Step(a + j, b + j, s0), j += 8;
  if (j + 8 <= dim) s1 = l2Step(a + j, b + j, s1), j += 8;
  if (j + 8 <= dim) s2 = l2Step(a + j, b + j, s2), j += 8;
  if (j < dim) {
    const __m256i m = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask32 + 8 - (dim - j)));
    const __m256 d = _mm256_sub_ps(_mm256_maskload_ps(a + j, m), _mm256_maskload_ps(b + j, m));
    s3 = _mm256_fmadd_ps(d, d, s3);
  }
  return horizontalSum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}

HNSWLAB_AVX2 inline float dotOne(const Query& q, const float* b, int32_t dim) {
  const double* a = q.f64;
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  int32_t j = 0;
  for (; j + 16 <= dim; j += 16) {
    s0 = dotStep(a + j, b + j, s0);
    s1 = dotStep(a + j + 4, b + j + 4, s1);
    s2 = dotStep(a + j + 8, b + j + 8, s2);
    s3 = dotStep(a + j + 12, b + j + 12, s3);
  }
  if (j + 4 <= dim) s0 = dotStep(a + j, b + j, s0), j += 4;
  if (j + 4 <= dim) s1 = dotStep(a + j, b + j, s1), j += 4;
  if (j + 4 <= dim) s2 = dotStep(a + j, b + j, s2), j += 4;
  if (j < dim) {
    const int32_t r = dim - j;
    const __m128i m32 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kMask32 + 8 - r));
    const __m256i m64 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask64 + 4 - r));
    s3 = _mm256_fmadd_pd(_mm256_maskload_pd(a + j, m64), _mm256_cvtps_pd(_mm_maskload_ps(b + j, m32)), s3);
  }
  return static_cast<float>(1.0 - horizontalSum(_mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3))));
}

HNSWLAB_DEFINE_BATCH(HNSWLAB_AVX2, l2Batch, l2One)
HNSWLAB_DEFINE_BATCH(HNSWLAB_AVX2, dotBatch, dotOne)

}  // namespace

Kernels avx2Kernels(Formula formula) {
  if (formula == Formula::L2) return {l2Batch, l2BatchSingle, l2BatchPlain};
  return {dotBatch, dotBatchSingle, dotBatchPlain};
}

}  // namespace hnswlab

#endif
