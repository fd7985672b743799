// The b1 store's Hamming distance, defined once and instantiated per path, because only the target
// attribute differs: with POPCNT (avx2 path) __builtin_popcountll is one instruction, without it
// (scalar path) a libgcc routine. A macro, as in batch-loop.h, so the body carries the attribute.
#pragma once

#include <cstdint>
#include <cstring>

#include "code-distance.h"

// popcount(a xor b) over 64-bit words, then the odd 32-bit word; padding bits are 0 on both sides.
#define HNSWLAB_DEFINE_HAMMING(ATTR, NAME)                                        \
  ATTR float NAME(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) { \
    const int32_t words = (dim + 31) >> 5;                                        \
    const uint8_t* a = q.codes;                                                   \
    const uint8_t* b = rows.codes + row * rows.codeBytes;                         \
    int64_t d = 0;                                                                \
    int32_t w = 0;                                                                \
    for (; w + 2 <= words; w += 2) {                                              \
      uint64_t x, y;                                                              \
      std::memcpy(&x, a + w * 4, 8);                                              \
      std::memcpy(&y, b + w * 4, 8);                                              \
      d += __builtin_popcountll(x ^ y);                                           \
    }                                                                             \
    if (w < words) {                                                              \
      uint32_t x, y;                                                              \
      std::memcpy(&x, a + w * 4, 4);                                              \
      std::memcpy(&y, b + w * 4, 4);                                              \
      d += __builtin_popcount(x ^ y);                                             \
    }                                                                             \
    return static_cast<float>(d);                                                 \
  }
