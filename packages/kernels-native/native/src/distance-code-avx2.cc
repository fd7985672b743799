// AVX2 quantised-store distances (see code-distance.h), used by the avx2 and avx512 paths (every
// AVX-512F CPU has AVX2, F16C and POPCNT; the codes are narrow enough that 256-bit lanes are not
// the limit). Like distance-avx2.cc, the file is compiled for the baseline ISA and only these
// functions carry target attributes; avx2Code returns null for a store whose extension the CPU lacks.
#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <cstring>

#include "code-distance.h"
#include "half.h"
#include "hamming.h"

#define HNSWLAB_F16C __attribute__((target("avx2,fma,f16c")))
#define HNSWLAB_AVX2_INT __attribute__((target("avx2")))
#define HNSWLAB_POPCNT __attribute__((target("popcnt")))

namespace hnswlab {
namespace {

HNSWLAB_F16C inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

HNSWLAB_F16C inline double hsum(__m256d v) {
  const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

// f16: 8 halves widened by F16C per step, then the f32 store's arithmetic (float32 l2, float64 dot).
HNSWLAB_F16C float f16L2(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) {
  const uint8_t* h = rows.codes + row * rows.codeBytes;
  const float* a = q.f32;
  __m256 s0 = _mm256_setzero_ps(), s1 = s0;
  int32_t j = 0;
  for (; j + 16 <= dim; j += 16) {
    const __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + j), _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + 2 * j))));
    const __m256 d1 =
        _mm256_sub_ps(_mm256_loadu_ps(a + j + 8), _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + 2 * j + 16))));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
  }
  if (j + 8 <= dim) {
    const __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + j), _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + 2 * j))));
    s0 = _mm256_fmadd_ps(d, d, s0);
    j += 8;
  }
  float tail = 0;
  for (; j < dim; j++) {
    uint16_t v;
    std::memcpy(&v, h + 2 * j, 2);
    const float d = a[j] - halfToFloat(v);
    tail += d * d;
  }
  return hsum(_mm256_add_ps(s0, s1)) + tail;
}

HNSWLAB_F16C float f16Dot(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) {
  const uint8_t* h = rows.codes + row * rows.codeBytes;
  const double* a = q.f64;
  __m256d s0 = _mm256_setzero_pd(), s1 = s0;
  int32_t j = 0;
  for (; j + 8 <= dim; j += 8) {
    const __m256 x = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + 2 * j)));
    s0 = _mm256_fmadd_pd(_mm256_loadu_pd(a + j), _mm256_cvtps_pd(_mm256_castps256_ps128(x)), s0);
    s1 = _mm256_fmadd_pd(_mm256_loadu_pd(a + j + 4), _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)), s1);
  }
  double tail = 0;
  for (; j < dim; j++) {
    uint16_t v;
    std::memcpy(&v, h + 2 * j, 2);
    tail += a[j] * static_cast<double>(halfToFloat(v));
  }
  return static_cast<float>(1.0 - (hsum(_mm256_add_pd(s0, s1)) + tail));
}

// i8: 16 codes sign-extended to int16 per step, then _mm256_madd_epi16 (pairs of products summed
// into int32 lanes). A lane gains at most 2·254² = 129032 per step (l2; 2·127² for dot), so blocks
// of 4096 steps (65536 dims) stay below 2^31; each block's lanes are summed in int64. Exact.
constexpr int32_t kBlock = 65536;

HNSWLAB_AVX2_INT inline int64_t lanes64(__m256i v) {
  alignas(32) int32_t x[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(x), v);
  int64_t s = 0;
  for (int k = 0; k < 8; k++) s += x[k];
  return s;
}

HNSWLAB_AVX2_INT inline __m256i widen(const int8_t* p) { return _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }

template <bool L2>
HNSWLAB_AVX2_INT inline int64_t i8Sum(const int8_t* a, const int8_t* b, int32_t dim) {
  int64_t total = 0;
  int32_t j = 0;
  const int32_t whole = dim & ~15;
  while (j < whole) {
    const int32_t end = whole - j > kBlock ? j + kBlock : whole;
    __m256i acc = _mm256_setzero_si256();
    for (; j < end; j += 16) {
      const __m256i x = widen(a + j), y = widen(b + j);
      if (L2) {
        const __m256i d = _mm256_sub_epi16(x, y);
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(d, d));
      } else {
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(x, y));
      }
    }
    total += lanes64(acc);
  }
  for (; j < dim; j++) {
    const int32_t x = a[j], y = b[j];
    total += L2 ? (x - y) * (x - y) : x * y;
  }
  return total;
}

HNSWLAB_AVX2_INT float i8L2(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) {
  const auto* b = reinterpret_cast<const int8_t*>(rows.codes + row * rows.codeBytes);
  return i8FinishL2(i8Sum<true>(reinterpret_cast<const int8_t*>(q.codes), b, dim), rows);
}

HNSWLAB_AVX2_INT float i8Dot(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) {
  const auto* b = reinterpret_cast<const int8_t*>(rows.codes + row * rows.codeBytes);
  return i8FinishDot(i8Sum<false>(reinterpret_cast<const int8_t*>(q.codes), b, dim), q.p, rows.terms[row], rows);
}

// b1: the POPCNT instruction on 64-bit words (hamming.h).
HNSWLAB_DEFINE_HAMMING(HNSWLAB_POPCNT, b1Hamming)

}  // namespace

CodeOneFn avx2Code(Store store, bool l2) {
  __builtin_cpu_init();
  switch (store) {
    case Store::F16:
      if (!__builtin_cpu_supports("f16c")) return nullptr;
      return l2 ? f16L2 : f16Dot;
    case Store::I8:
      return l2 ? i8L2 : i8Dot;
    default:
      if (!__builtin_cpu_supports("popcnt")) return nullptr;
      return b1Hamming;
  }
}

}  // namespace hnswlab

#endif
