// The graph's layout as the core defines it (@hnswlab/core/src/layout.ts and GraphLayout in
// contracts.ts), repeated here for the fused traversal. These numbers must match the core's: the
// boundary-equivalence tests (a byte-identical graph through every boundary) fail if one drifts.
#pragma once

#include <cstdint>

namespace hnswlab {

// Slots of the graph header (Int32, shared by every thread).
constexpr int H_COUNT = 0;
constexpr int H_ENTRY = 1;
constexpr int H_MAX_LEVEL = 2;
constexpr int H_UPPER_USED = 3;
constexpr int H_GLOBAL_LOCK = 4;
constexpr int H_DELETED = 5;
constexpr int H_UNDO_EPOCH = 6;
constexpr int H_UNDO_FIRST_ROW = 7;
constexpr int H_UNDO_USED = 8;
constexpr int H_UNDO_CAPACITY = 9;
constexpr int HEADER_SLOTS = 16;

/**
 * Raw pointers to one graph's regions (typed-array views the JavaScript side passed in), valid until
 * the graph grows; then bind() hands new ones. A list is [count, link, link, ...]: level 0 has
 * stride0 = 2M + 1 ints per row, an upper level M + 1 ints at upperOffset[row] + (level - 1)·(M + 1).
 */
struct GraphView {
  int32_t M = 0;
  int32_t stride0 = 0;
  int32_t strideUp = 0;
  int64_t capacity = 0;
  int32_t* header = nullptr;
  uint8_t* levels = nullptr;
  int32_t* links0 = nullptr;
  int32_t* upperOffset = nullptr;
  int32_t* upper = nullptr;
  int64_t upperLength = 0;
  uint8_t* deleted = nullptr;
  int32_t* locks = nullptr;
  uint32_t* touched = nullptr;
  int32_t* undo = nullptr;
  int64_t undoLength = 0;

  /** Where a row's list at `level` starts: its count, then its links. */
  int32_t* list(int32_t row, int32_t level) const {
    return level == 0 ? links0 + static_cast<int64_t>(row) * stride0 : upper + upperOffset[row] + static_cast<int64_t>(level - 1) * strideUp;
  }

  /** Whether `row` (below capacity) has a list at `level` inside the upper pool: false only in a corrupt graph. */
  bool hasList(int32_t row, int32_t level) const {
    if (level == 0) return true;
    if (level > levels[row]) return false;
    const int64_t at = upperOffset[row];
    return at >= 0 && at + static_cast<int64_t>(level) * strideUp <= upperLength;
  }

  /** Most links a list at `level` may hold. */
  int32_t maxLinks(int32_t level) const { return level == 0 ? 2 * M : M; }
};

}  // namespace hnswlab
