// Portable quantised-store distances (see code-distance.h), and i8's float64 combination, which
// every path calls: this file is compiled for the baseline ISA, so the compiler cannot contract
// C + s·P + s²·I into an FMA and the result is the contract's, bit for bit.
#include <cstring>

#include "code-distance.h"
#include "half.h"
#include "hamming.h"

namespace hnswlab {

float i8FinishL2(int64_t S, const CodeRows& rows) { return static_cast<float>(static_cast<double>(S) * rows.s2); }

float i8FinishDot(int64_t I, double p, double prow, const CodeRows& rows) {
  return static_cast<float>(1.0 - ((rows.C + rows.s * (p + prow)) + rows.s2 * static_cast<double>(I)));
}

namespace {

float f16L2(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) {
  const auto* h = reinterpret_cast<const uint16_t*>(rows.codes + row * rows.codeBytes);
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int32_t j = 0; j < dim; j++) {
    uint16_t v;
    std::memcpy(&v, h + j, 2);
    const float d = q.f32[j] - halfToFloat(v);
    s[j & 7] += d * d;
  }
  return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

float f16Dot(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) {
  const auto* h = reinterpret_cast<const uint16_t*>(rows.codes + row * rows.codeBytes);
  double s[4] = {0, 0, 0, 0};
  for (int32_t j = 0; j < dim; j++) {
    uint16_t v;
    std::memcpy(&v, h + j, 2);
    s[j & 3] += q.f64[j] * static_cast<double>(halfToFloat(v));
  }
  return static_cast<float>(1.0 - ((s[0] + s[2]) + (s[1] + s[3])));
}

// int64 sums: exact whatever the order.
float i8L2(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) {
  const auto* a = reinterpret_cast<const int8_t*>(q.codes);
  const auto* b = reinterpret_cast<const int8_t*>(rows.codes + row * rows.codeBytes);
  int64_t S = 0;
  for (int32_t j = 0; j < dim; j++) {
    const int32_t d = a[j] - b[j];
    S += d * d;
  }
  return i8FinishL2(S, rows);
}

float i8Dot(const CodeQuery& q, const CodeRows& rows, int32_t row, int32_t dim) {
  const auto* a = reinterpret_cast<const int8_t*>(q.codes);
  const auto* b = reinterpret_cast<const int8_t*>(rows.codes + row * rows.codeBytes);
  int64_t I = 0;
  for (int32_t j = 0; j < dim; j++) I += static_cast<int32_t>(a[j]) * b[j];
  return i8FinishDot(I, q.p, rows.terms[row], rows);
}

HNSWLAB_DEFINE_HAMMING(, b1Hamming)

}  // namespace

CodeOneFn scalarCode(Store store, bool l2) {
  switch (store) {
    case Store::F16:
      return l2 ? f16L2 : f16Dot;
    case Store::I8:
      return l2 ? i8L2 : i8Dot;
    default:
      return b1Hamming;
  }
}

}  // namespace hnswlab
