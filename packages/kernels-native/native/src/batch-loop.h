// The batched loop every path shares: one distance per id, with the row two ids ahead prefetched,
// because ids come from a graph's link list and are scattered across the store (two ahead measured
// 5-10% faster than one ahead on stores beyond L1, and no slower within it). NAME##Plain is the same
// loop without the prefetch, so the fused traversal can measure what prefetching buys. A macro rather than a
// template so that the loop carries the same target attribute as the distance function it inlines
// (GCC does not inline a target("avx512f") function into a caller compiled for the baseline ISA).
#pragma once

#include <cstddef>
#include <cstdint>

#define HNSWLAB_DEFINE_BATCH(ATTR, NAME, ONE)                                                                                 \
  ATTR void NAME(const Query& q, const float* store, const int32_t* ids, float* out, int32_t count, int32_t dim) {            \
    if (count > 1) __builtin_prefetch(store + static_cast<size_t>(ids[1]) * dim);                                             \
    for (int32_t i = 0; i < count; i++) {                                                                                     \
      if (i + 2 < count) __builtin_prefetch(store + static_cast<size_t>(ids[i + 2]) * dim);                                   \
      out[i] = ONE(q, store + static_cast<size_t>(ids[i]) * dim, dim);                                                        \
    }                                                                                                                         \
  }                                                                                                                           \
  ATTR void NAME##Plain(const Query& q, const float* store, const int32_t* ids, float* out, int32_t count, int32_t dim) {       \
    for (int32_t i = 0; i < count; i++) out[i] = ONE(q, store + static_cast<size_t>(ids[i]) * dim, dim);                       \
  }                                                                                                                           \
  ATTR float NAME##Single(const Query& q, const float* row, int32_t dim) { return ONE(q, row, dim); }
