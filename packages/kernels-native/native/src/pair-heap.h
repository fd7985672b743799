// A binary heap of (distance, row) pairs, the C++ twin of @hnswlab/core's PairHeap (heap.ts), operation
// for operation: a farthest-first heap stores negated keys and rows in a min-heap, pushes stop at an
// equal parent, and sift-down prefers the left child on ties, exactly as the TypeScript does. Because
// (distance, row) is a total order over distinct rows, any correct heap would pop the same sequence;
// matching the reference's steps keeps that true even if a caller ever pushed a row twice.
#pragma once

#include <cstdint>
#include <vector>

namespace hnswlab {

template <int Sign>
class PairHeap {
 public:
  int32_t size() const { return size_; }
  void clear() { size_ = 0; }
  float topKey() const { return keys_[0] * Sign; }
  int32_t topRow() const { return rows_[0] * Sign; }

  void push(float key, int32_t row) {
    if (size_ == static_cast<int32_t>(keys_.size())) grow();
    float* keys = keys_.data();
    int32_t* rows = rows_.data();
    const float k = key * Sign;
    const int32_t r = row * Sign;
    int32_t i = size_++;
    while (i > 0) {
      const int32_t parent = (i - 1) >> 1;
      const float kp = keys[parent];
      if (kp < k || (kp == k && rows[parent] <= r)) break;
      keys[i] = kp;
      rows[i] = rows[parent];
      i = parent;
    }
    keys[i] = k;
    rows[i] = r;
  }

  /** Removes the top; read it with topKey()/topRow() first. */
  void pop() {
    const int32_t n = --size_;
    if (n <= 0) return;
    siftDown(keys_[n], rows_[n], n);
  }

  /** pop() then push(key, row) in one sift: a full result set evicting its worst. */
  void replaceTop(float key, int32_t row) { siftDown(key * Sign, row * Sign, size_); }

  /** Empties the heap into rows/keys in reverse pop order (farthest-first: nearest first); returns the count. */
  int32_t drainReversed(int32_t* outRows, float* outKeys) {
    const int32_t n = size_;
    for (int32_t i = n - 1; i >= 0; i--) {
      outRows[i] = topRow();
      outKeys[i] = topKey();
      pop();
    }
    return n;
  }

  /** Bytes held. */
  int64_t bytes() const { return static_cast<int64_t>(keys_.capacity() * sizeof(float) + rows_.capacity() * sizeof(int32_t)); }

 private:
  void siftDown(float k, int32_t r, int32_t n) {
    float* keys = keys_.data();
    int32_t* rows = rows_.data();
    int32_t i = 0;
    for (;;) {
      int32_t child = 2 * i + 1;
      if (child >= n) break;
      float kc = keys[child];
      if (child + 1 < n) {
        const float k2 = keys[child + 1];
        if (k2 < kc || (k2 == kc && rows[child + 1] < rows[child])) {
          child++;
          kc = k2;
        }
      }
      if (k < kc || (k == kc && r <= rows[child])) break;
      keys[i] = kc;
      rows[i] = rows[child];
      i = child;
    }
    keys[i] = k;
    rows[i] = r;
  }

  void grow() {
    const size_t next = keys_.empty() ? 256 : keys_.size() * 2;
    keys_.resize(next);
    rows_.resize(next);
  }

  std::vector<float> keys_ = std::vector<float>(256);
  std::vector<int32_t> rows_ = std::vector<int32_t>(256);
  int32_t size_ = 0;
};

/** Nearest on top: the candidates still to expand. */
using NearestFirst = PairHeap<1>;
/** Farthest on top: the best ef results so far, worst first so it can be evicted. */
using FarthestFirst = PairHeap<-1>;

}  // namespace hnswlab
