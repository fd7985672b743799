// One thread's fused traversal: @hnswlab/core's Searcher (searcher.ts) and Inserter.insert
// (inserter.ts) in C++, step for step, over the graph's shared regions and the vector store, so a
// graph built through it is byte-identical to one built through probes. It must match:
// - the visiting order: links in list order, unvisited ones tagged before their distances are taken;
// - the tie-breaks: (distance, row) everywhere, heaps as in heap.ts (pair-heap.h);
// - the distances: the probe's kernels (Kernels.batch / .one of the same path and formula), float32;
// - the counts: distanceEvals and nodesVisited exactly as the JavaScript counts them.
// Searching is in traversal-search.cc, inserting in traversal-insert.cc, the N-API surface in
// traversal-binding.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "distance.h"
#include "graph-layout.h"
#include "pair-heap.h"

namespace hnswlab {

/** Work counted since the last drain, in the order of the JavaScript side's shared Float64Array. */
enum CounterSlot { kDistanceEvals, kNodesVisited, kNavigation, kNeighborSearch, kConnectionManagement, kLockSpins, kLockWait, kBestDist, kStateSlots };

/** `n` values of T on a 64-byte boundary (a query read once per distance). */
template <typename T>
struct AlignedArray {
  struct Free {
    void operator()(T* p) const { ::operator delete[](p, std::align_val_t(64)); }
  };
  std::unique_ptr<T[], Free> data;
  explicit AlignedArray(size_t n) : data(static_cast<T*>(::operator new[](n * sizeof(T), std::align_val_t(64)))) {}
  T* get() const { return data.get(); }
};

struct TraversalConfig {
  Kernels kernels{};
  Formula formula = Formula::L2;
  int32_t dim = 0;
  int32_t M = 0;
  int32_t efConstruction = 0;
  bool locking = false;
  bool timing = false;
  bool prefetch = true;
  int64_t rowOffset = 0;
};

class Traversal {
 public:
  explicit Traversal(const TraversalConfig& config);

  // ---- Bound by the JavaScript side (traversal-binding.cc) ----
  /** The graph's regions; scratch follows its capacity. */
  void bindGraph(const GraphView& view);
  /** The whole store (space row 0 on); graph row r reads space row r + rowOffset. */
  void bindStore(const float* data, int64_t rows);
  /** The shared buffers: the query (both precisions), results, entries, counters. */
  void bindQuery(float* q32, double* q64) { query_ = Query{q32, q64}; }
  void bindResults(int32_t* rows, float* dists, int32_t room) {
    resultRows_ = rows;
    resultDists_ = dists;
    resultRoom_ = room;
  }
  void bindEntries(const int32_t* entries, int32_t maxEntries);
  void bindState(double* state) { state_ = state; }
  /**
   * Rows searches may return with skipDeleted: bit r of words[r >> 5]; rows past `count` words are
   * not allowed. Null for all. The words are the caller's (not copied); see traversal-binding.cc.
   */
  void setFilter(const uint32_t* words, int64_t count) {
    allow_ = words;
    allowWords_ = words == nullptr ? 0 : static_cast<uint64_t>(count);
  }

  // ---- FusedTraversal: each returns false (with error()) on a row outside the graph or store ----
  bool setQueryRow(int32_t row);
  bool distance(int32_t row, float* out);
  bool descend(int32_t entry, float entryDist, int32_t top, int32_t bottom, int32_t* reached);
  bool searchLayer(int32_t entry, float entryDist, int32_t ef, int32_t level, bool skipDeleted, int32_t exclude, int32_t* count);
  bool searchLayerFrom(int32_t count, int32_t ef, int32_t level, bool skipDeleted, int32_t exclude, int32_t* found);
  bool search(int32_t ef, bool skipDeleted, int32_t* count);
  bool insert(int32_t row);

  /** Adds the work counted since the last flush into the shared counters, and bestDist. */
  void flush();
  const std::string& error() const { return error_; }
  bool rangeError() const { return rangeError_; }
  /** Whether `row` names a row both the graph and the store hold. */
  bool validRow(int32_t row) const { return row >= 0 && row < rowLimit_; }
  int32_t resultRoom() const { return resultRoom_; }
  int32_t maxEntries() const { return maxEntries_; }
  /** Bytes of scratch held here (visited tags, heaps, lists). */
  int64_t scratchBytes() const;

 private:
  // traversal-search.cc
  uint32_t nextEpoch();
  int32_t gather(int32_t row, int32_t level, uint32_t epoch);
  void distances(const Query& q, const int32_t* ids, float* out, int32_t count);
  bool greedy(int32_t entry, float entryDist, int32_t level, int32_t* reached);
  uint32_t startSearch(int32_t exclude);
  void seed(int32_t row, float dist, bool skipDeleted);
  /** Searcher.rejects: a row a search with skipDeleted must not return (a tombstone, or a row the filter leaves out). */
  bool rejects(int32_t row) const { return g_.deleted[row] != 0 || (allow_ != nullptr && !allows(allow_, allowWords_, row)); }
  static bool allows(const uint32_t* words, uint64_t count, int32_t row) {
    const uint64_t w = static_cast<uint32_t>(row) >> 5;
    return w < count && ((words[w] >> (row & 31)) & 1u) != 0;
  }
  bool expand(int32_t ef, int32_t level, bool skipDeleted, uint32_t epoch);
  int32_t drain();
  /** Records why a call failed: a RangeError (a bad argument) or an Error (a corrupt graph, an overflow). */
  bool fail(const std::string& message, bool range = true);
  bool badLink(int32_t row, int32_t level);

  // traversal-insert.cc
  void pairQuery(int32_t row);
  int32_t selectNeighbors(const int32_t* rows, const float* dists, int32_t n, int32_t max, int32_t* outRows, float* outDists);
  bool connect(int32_t row, int32_t level, int32_t count);
  bool backLink(int32_t target, int32_t level, int32_t source);
  bool noteWrite(int32_t row);
  void setEntry(int32_t row, int32_t level);
  void lap(double* t, CounterSlot phase);
  void lock(int32_t* word);

  const float* row(int32_t r) const { return store_ + static_cast<int64_t>(r) * dim_; }

  const Kernels kernels_;
  const BatchFn batch_;
  const Formula formula_;
  const int32_t dim_, M_, M0_, efConstruction_;
  const bool locking_, timing_, prefetch_;
  const int64_t rowOffset_;

  GraphView g_;
  const float* store_ = nullptr;  // space row rowOffset
  int64_t storeRows_ = 0;         // rows from there on
  int32_t rowLimit_ = 0;          // rows that are in the graph and in the store

  Query query_{nullptr, nullptr};
  int32_t* resultRows_ = nullptr;
  float* resultDists_ = nullptr;
  int32_t resultRoom_ = 0;
  const int32_t* entries_ = nullptr;
  int32_t maxEntries_ = 0;
  double* state_ = nullptr;
  const uint32_t* allow_ = nullptr;
  uint64_t allowWords_ = 0;

  std::vector<uint32_t> visited_;
  uint32_t epoch_ = 0;
  NearestFirst candidates_;
  FarthestFirst results_;
  float bestDist_ = 0;
  // Links gathered for one batched distance call (a list, or the entries of searchLayerFrom).
  std::vector<int32_t> ids_;
  std::vector<float> out_;
  // A stored row as the query of the heuristic and of re-pruning (the search query stays as it was).
  AlignedArray<float> pair32_;
  AlignedArray<double> pair64_;
  Query pair_{nullptr, nullptr};
  std::vector<int32_t> chosen_, pruneRows_, prunedRows_;
  std::vector<float> chosenDists_, pruneDists_, prunedDists_;

  // Counted here, added into state_ by flush().
  int64_t distanceEvals_ = 0, nodesVisited_ = 0;
  double lockSpins_ = 0, lockWait_ = 0, phases_[3] = {0, 0, 0};
  std::string error_;
  bool rangeError_ = true;
};

}  // namespace hnswlab
