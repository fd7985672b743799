// AVX-512F path. l2: four 16-lane float accumulators over 64 floats per step; dot: four 8-lane
// double accumulators over 32 floats per step (each float widened on load). Whole vectors left over
// are spread over the accumulators, the tail is one masked load (no scalar loop). The file is
// compiled for the baseline ISA; only these functions carry target("avx512f"), and they run only
// where the CPU reports it (simd-dispatch.cc).
#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include "batch-loop.h"
#include "distance.h"

#define HNSWLAB_AVX512 __attribute__((target("avx512f")))

// GCC 12's intrinsics initialise their "undefined" operands from themselves, which -Wuninitialized
// reports inside every target("avx512f") function that shuffles: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace hnswlab {
namespace {

// 512 -> 256 -> 128 bits, then the lanes: a fixed order, so every call rounds the same way.
HNSWLAB_AVX512 inline float horizontalSum(__m512 v) {
  v = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = _mm512_add_ps(v, _mm512_shuffle_f32x4(v, v, _MM_SHUFFLE(2, 3, 0, 1)));
  __m128 s = _mm512_castps512_ps128(v);
  __m128 shuffled = _mm_movehdup_ps(s);
  s = _mm_add_ps(s, shuffled);
  shuffled = _mm_movehl_ps(shuffled, s);
  return _mm_cvtss_f32(_mm_add_ss(s, shuffled));
}

HNSWLAB_AVX512 inline double horizontalSum(__m512d v) {
  v = _mm512_add_pd(v, _mm512_shuffle_f64x2(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  v = _mm512_add_pd(v, _mm512_shuffle_f64x2(v, v, _MM_SHUFFLE(2, 3, 0, 1)));
  const __m128d s = _mm512_castpd512_pd128(v);
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

HNSWLAB_AVX512 inline __m512 l2Step(const float* a, const float* b, __m512 acc) {
  const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a), _mm512_loadu_ps(b));
  return _mm512_fmadd_ps(d, d, acc);
}

HNSWLAB_AVX512 inline __m512d dotStep(const double* a, const float* b, __m512d acc) {
  return _mm512_fmadd_pd(_mm512_loadu_pd(a), _mm512_cvtps_pd(_mm256_loadu_ps(b)), acc);
}

HNSWLAB_AVX512 inline float l2One(const Query& q, const float* b, int32_t dim) {
  const float* a = q.f32;
  __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  int32_t j = 0;
  for (; j + 64 <= dim; j += 64) {
    s0 = l2Step(a + j, b + j, s0);
    s1 = l2Step(a + j + 16, b + j + 16, s1);
    s2 = l2Step(a + j + 32, b + j + 32, s2);
    s3 = l2Step(a + j + 48, b + j + 48, s3);
  }
  if (j + 16 <= dim) s0 = l2Step(a + j, b + j, s0), j += 16;
  if (j + 16 <= dim) s1 = l2Step(a + j, b + j, s1), j += 16;
  if (j + 16 <= dim) s2 = l2Step(a + j, b + j, s2), j += 16;
  if (j < dim) {
    const __mmask16 m = static_cast<__mmask16>((1u << (dim - j)) - 1u);
    const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + j), _mm512_maskz_loadu_ps(m, b + j));
    s3 = _mm512_fmadd_ps(d, d, s3);
  }
  return horizontalSum(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

HNSWLAB_AVX512 inline float dotOne(const Query& q, const float* b, int32_t dim) {
  const double* a = q.f64;
  __m512d s0 = _mm512_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  int32_t j = 0;
  for (; j + 32 <= dim; j += 32) {
    s0 = dotStep(a + j, b + j, s0);
    s1 = dotStep(a + j + 8, b + j + 8, s1);
    s2 = dotStep(a + j + 16, b + j + 16, s2);
    s3 = dotStep(a + j + 24, b + j + 24, s3);
  }
  if (j + 8 <= dim) s0 = dotStep(a + j, b + j, s0), j += 8;
  if (j + 8 <= dim) s1 = dotStep(a + j, b + j, s1), j += 8;
  if (j + 8 <= dim) s2 = dotStep(a + j, b + j, s2), j += 8;
  if (j < dim) {
    const __mmask8 m = static_cast<__mmask8>((1u << (dim - j)) - 1u);
    // A 16-lane masked load (AVX-512F has no 8-lane float one without VL), widened from its low half.
    const __m512d x = _mm512_cvtps_pd(_mm512_castps512_ps256(_mm512_maskz_loadu_ps(m, b + j)));
    s3 = _mm512_fmadd_pd(_mm512_maskz_loadu_pd(m, a + j), x, s3);
  }
  return static_cast<float>(1.0 - horizontalSum(_mm512_add_pd(_mm512_add_pd(s0, s1), _mm512_add_pd(s2, s3))));
}

HNSWLAB_DEFINE_BATCH(HNSWLAB_AVX512, l2Batch, l2One)
HNSWLAB_DEFINE_BATCH(HNSWLAB_AVX512, dotBatch, dotOne)

}  // namespace

Kernels avx512Kernels(Formula formula) {
  if (formula == Formula::L2) return {l2Batch, l2BatchSingle, l2BatchPlain};
  return {dotBatch, dotBatchSingle, dotBatchPlain};
}

}  // namespace hnswlab

#endif
