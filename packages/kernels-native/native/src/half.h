// binary16 -> float32, exact (every half is a float32), without F16C: the scalar path's decoder.
#pragma once

#include <cstdint>
#include <cstring>

namespace hnswlab {

inline float halfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
  if (e == 0) {
    // Zero or subnormal: m · 2^-24, exact in float32.
    const float v = static_cast<float>(m) * 0x1p-24f;
    return sign ? -v : v;
  }
  const uint32_t bits = sign | (e == 31 ? 0x7f800000u | (m << 13) : ((e + 112) << 23) | (m << 13));
  float out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

}  // namespace hnswlab
