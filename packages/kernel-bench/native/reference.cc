// The reference row of the kernel micro-benchmarks: the batched distance loop as plain C++ (no
// intrinsics) over 64-byte aligned buffers, compiled by the bench at run time with
// -O3 -march=native -fopenmp-simd, as the practical limit of this CPU. The arithmetic is the
// kernels' contract: l2 sums (q - x)^2 in float32; ip and cosine sum q * x in float64 over float32
// inputs and return 1 - dot. `#pragma omp simd` lets the compiler reorder the simple loop's
// reduction into vector lanes, as every SIMD kernel does (-O3 alone may not reorder floating-point
// sums, and leaves them scalar).
//
// usage: reference <sample-ms> <samples> <seed> <metric>:<dim>:<n> ...
// Prints a JSON array, one object per case: {"metric","dim","n","checksum","simple":[ns per call...],
// "lanes":[ns per call...]}. checksum is FNV-1a over the ids, the first row's and the query's bits
// (src/bench-case.ts computes the same), so the report can show that both sides timed the same inputs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace {

// mulberry32: the same generator as src/ids.ts, so both sides visit rows in the same order.
struct Mulberry32 {
  uint32_t state;
  uint32_t next() {
    uint32_t t = (state += 0x6D2B79F5u);
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + ((t ^ (t >> 7)) * (t | 61u));
    return t ^ (t >> 14);
  }
  double uniform() { return next() / 4294967296.0; }
};

// Two plain loops per formula; the bench takes the faster as the reference, case by case.
// "simple": the textbook loop, one reduction that `omp simd` may split into vector lanes.
__attribute__((noinline)) void l2Simple(const float* q, const float* store, const int32_t* ids, float* out, int n, int dim) {
  for (int i = 0; i < n; i++) {
    const float* x = store + static_cast<size_t>(ids[i]) * dim;
    float s = 0;
#pragma omp simd reduction(+ : s)
    for (int j = 0; j < dim; j++) {
      const float d = q[j] - x[j];
      s += d * d;
    }
    out[i] = s;
  }
}

__attribute__((noinline)) void dotSimple(const double* q, const float* store, const int32_t* ids, float* out, int n, int dim) {
  for (int i = 0; i < n; i++) {
    const float* x = store + static_cast<size_t>(ids[i]) * dim;
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (int j = 0; j < dim; j++) s += q[j] * static_cast<double>(x[j]);
    out[i] = static_cast<float>(1.0 - s);
  }
}

// "lanes": W independent partial sums, the portable way to give the vectoriser several
// accumulator chains without reordering any single sum.
constexpr int kLanesF32 = 32;
constexpr int kLanesF64 = 16;

__attribute__((noinline)) void l2Lanes(const float* q, const float* store, const int32_t* ids, float* out, int n, int dim) {
  for (int i = 0; i < n; i++) {
    const float* x = store + static_cast<size_t>(ids[i]) * dim;
    float acc[kLanesF32] = {};
    int j = 0;
    for (; j + kLanesF32 <= dim; j += kLanesF32) {
      for (int k = 0; k < kLanesF32; k++) {
        const float d = q[j + k] - x[j + k];
        acc[k] += d * d;
      }
    }
    float tail = 0;
    for (; j < dim; j++) {
      const float d = q[j] - x[j];
      tail += d * d;
    }
    for (int w = kLanesF32 / 2; w > 0; w /= 2) {
      for (int k = 0; k < w; k++) acc[k] += acc[k + w];
    }
    out[i] = acc[0] + tail;
  }
}

__attribute__((noinline)) void dotLanes(const double* q, const float* store, const int32_t* ids, float* out, int n, int dim) {
  for (int i = 0; i < n; i++) {
    const float* x = store + static_cast<size_t>(ids[i]) * dim;
    double acc[kLanesF64] = {};
    int j = 0;
    for (; j + kLanesF64 <= dim; j += kLanesF64) {
      for (int k = 0; k < kLanesF64; k++) acc[k] += q[j + k] * static_cast<double>(x[j + k]);
    }
    double tail = 0;
    for (; j < dim; j++) tail += q[j] * static_cast<double>(x[j]);
    for (int w = kLanesF64 / 2; w > 0; w /= 2) {
      for (int k = 0; k < w; k++) acc[k] += acc[k + w];
    }
    out[i] = static_cast<float>(1.0 - (acc[0] + tail));
  }
}

// 64-byte aligned storage, as a tuned C++ implementation would allocate (and as the native kernel's
// store is): a vector straddling cache lines costs a third more here.
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(size_t n) {
    void* p = std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64);
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }
  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const CacheLineAllocator<U>&) const { return false; }
};
template <typename T>
using AlignedVector = std::vector<T, CacheLineAllocator<T>>;

struct Fnv1a {
  uint32_t h = 0x811c9dc5u;
  void mix(uint32_t word) {
    for (int b = 0; b < 4; b++) {
      h ^= (word >> (8 * b)) & 0xffu;
      h *= 0x01000193u;
    }
  }
  void mixFloats(const float* v, int count) {
    for (int i = 0; i < count; i++) {
      uint32_t bits;
      std::memcpy(&bits, v + i, 4);
      mix(bits);
    }
  }
};

double nowNs() {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: reference <sample-ms> <samples> <seed> <metric>:<dim>:<n> ...\n");
    return 2;
  }
  const double sampleNs = std::atof(argv[1]) * 1e6;
  const int samples = std::atoi(argv[2]);
  const uint32_t seed = static_cast<uint32_t>(std::strtoul(argv[3], nullptr, 10));
  std::printf("[");
  for (int c = 4; c < argc; c++) {
    char metric[16] = {0};
    int dim = 0, n = 0;
    if (std::sscanf(argv[c], "%15[a-z0-9]:%d:%d", metric, &dim, &n) != 3 || dim < 1 || n < 1) {
      std::fprintf(stderr, "bad case '%s'\n", argv[c]);
      return 2;
    }
    const bool l2 = std::strcmp(metric, "l2") == 0;
    Mulberry32 rng{seed};
    AlignedVector<float> store(static_cast<size_t>(n) * dim), q32(dim), out(n);
    AlignedVector<double> q64(dim);
    for (auto& v : store) v = static_cast<float>(rng.uniform() * 2 - 1);
    for (int j = 0; j < dim; j++) q64[j] = q32[j] = static_cast<float>(rng.uniform() * 2 - 1);
    std::vector<int32_t> ids(n);
    for (int i = 0; i < n; i++) ids[i] = i;
    for (int i = n - 1; i > 0; i--) std::swap(ids[i], ids[static_cast<int>(rng.uniform() * (i + 1))]);

    Fnv1a checksum;
    for (int32_t id : ids) checksum.mix(static_cast<uint32_t>(id));
    checksum.mixFloats(store.data(), dim);
    checksum.mixFloats(q32.data(), dim);

    // Calibrate each loop to sampleNs per sample, then alternate the two loops sample by sample so
    // that a noisy neighbour hurts both alike.
    auto call = [&](int variant) {
      if (l2) (variant == 0 ? l2Simple : l2Lanes)(q32.data(), store.data(), ids.data(), out.data(), n, dim);
      else (variant == 0 ? dotSimple : dotLanes)(q64.data(), store.data(), ids.data(), out.data(), n, dim);
      asm volatile("" : : "r"(out.data()) : "memory");  // keeps repeated calls from being merged
    };
    long reps[2];
    for (int v = 0; v < 2; v++) {
      long r = 1;
      for (;;) {
        const double t0 = nowNs();
        for (long k = 0; k < r; k++) call(v);
        const double t = nowNs() - t0;
        if (t >= sampleNs / 4 || r > (1L << 30)) {
          reps[v] = std::max(1L, static_cast<long>(r * sampleNs / std::max(t, 1.0)));
          break;
        }
        r *= 4;
      }
    }
    std::vector<double> times[2];
    for (int s = 0; s < samples; s++) {
      for (int v = 0; v < 2; v++) {
        const double t0 = nowNs();
        for (long k = 0; k < reps[v]; k++) call(v);
        times[v].push_back((nowNs() - t0) / reps[v]);
      }
    }
    std::printf("%s{\"metric\":\"%s\",\"dim\":%d,\"n\":%d,\"checksum\":%u", c > 4 ? "," : "", metric, dim, n, checksum.h);
    const char* names[2] = {"simple", "lanes"};
    for (int v = 0; v < 2; v++) {
      std::printf(",\"%s\":[", names[v]);
      for (int s = 0; s < samples; s++) std::printf("%s%.3f", s ? "," : "", times[v][s]);
      std::printf("]");
    }
    std::printf("}");
    std::fflush(stdout);
  }
  std::printf("]\n");
  return 0;
}
