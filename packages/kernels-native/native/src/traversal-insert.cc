// The fused traversal's insert: @hnswlab/core's Inserter.insert (inserter.ts), step for step. A row
// that may become the new top holds the header's global lock for its whole insertion; greedy descent
// through the upper levels (navigation); a beam search with efConstruction at each of the row's levels
// (neighbour search); the heuristic, the row's own lists and back-links with re-pruning (connection
// management). Every write to a row that existed before the running batch is logged first, as
// Graph.noteWrite does. Phase seconds are taken only when timing is on.
#include <algorithm>
#include <string>

#include "lock-word.h"
#include "traversal.h"

namespace hnswlab {

void Traversal::lock(int32_t* word) { lockWord(word, &lockSpins_, &lockWait_); }

void Traversal::lap(double* t, CounterSlot phase) {
  const double t1 = nowSeconds();
  phases_[phase - kNavigation] += t1 - *t;
  *t = t1;
}

// A stored row as the query of the heuristic and re-pruning. l2 reads the float32 row in place;
// dot reads float64, so the row is widened once (the probe's rowToRows/firstNearer copy it the same way).
void Traversal::pairQuery(int32_t r) {
  const float* src = row(r);
  if (formula_ == Formula::Dot) {
    double* q64 = pair64_.get();
    for (int32_t j = 0; j < dim_; j++) q64[j] = src[j];
  }
  pair_ = Query{src, pair64_.get()};
}

void Traversal::setEntry(int32_t r, int32_t level) {
  int32_t* h = g_.header;
  if (locking_) {
    __atomic_store_n(h + H_ENTRY, r, __ATOMIC_SEQ_CST);
    __atomic_store_n(h + H_MAX_LEVEL, level, __ATOMIC_SEQ_CST);
  } else {
    h[H_ENTRY] = r;
    h[H_MAX_LEVEL] = level;
  }
}

// Graph.noteWrite: the first write of a batch to a row below H_UNDO_FIRST_ROW logs its lists. The
// caller holds the row's lock (or is its only writer).
bool Traversal::noteWrite(int32_t r) {
  int32_t* h = g_.header;
  const int32_t epoch = h[H_UNDO_EPOCH];
  // As the JavaScript compares them: the Uint32 tag against the Int32 header slot.
  if (epoch == 0 || r >= h[H_UNDO_FIRST_ROW] || static_cast<int64_t>(g_.touched[r]) == static_cast<int64_t>(epoch)) return true;
  g_.touched[r] = static_cast<uint32_t>(epoch);
  const int32_t level = g_.levels[r];
  const int32_t n = g_.stride0 + level * g_.strideUp;
  const int32_t at = __atomic_fetch_add(h + H_UNDO_USED, n + 2, __ATOMIC_SEQ_CST);
  const int64_t end = static_cast<int64_t>(at) + n + 2;
  if (end > h[H_UNDO_CAPACITY] || end > g_.undoLength) {
    error_ = "undo log overflow at row " + std::to_string(r) + ": sized " + std::to_string(h[H_UNDO_CAPACITY]) + " ints (a bug)";
    rangeError_ = false;
    return false;
  }
  int32_t* undo = g_.undo + at;
  undo[0] = r;
  undo[1] = n;
  std::copy_n(g_.links0 + static_cast<int64_t>(r) * g_.stride0, g_.stride0, undo + 2);
  if (level > 0) std::copy_n(g_.upper + g_.upperOffset[r], static_cast<int64_t>(level) * g_.strideUp, undo + 2 + g_.stride0);
  return true;
}

// Inserter.selectNeighbors: walk candidates nearest first and keep one only if it is nearer to the
// query than to every neighbour already kept (float32 `<`), up to `max`. Each candidate's scan stops
// at the first kept neighbour nearer than the query, and counts the distances it took as firstNearer's
// caller counts them.
int32_t Traversal::selectNeighbors(const int32_t* rows, const float* dists, int32_t n, int32_t max, int32_t* outRows, float* outDists) {
  if (n <= max) {
    std::copy_n(rows, n, outRows);
    std::copy_n(dists, n, outDists);
    return n;
  }
  int32_t kept = 0;
  for (int32_t i = 0; i < n && kept < max; i++) {
    const int32_t cand = rows[i];
    const float dc = dists[i];
    if (kept > 0) {
      pairQuery(cand);
      int32_t at = 0;
      for (; at < kept; at++) {
        if (kernels_.one(pair_, row(outRows[at]), dim_) < dc) break;
      }
      distanceEvals_ += at < kept ? at + 1 : kept;
      if (at < kept) continue;
    }
    outRows[kept] = cand;
    outDists[kept] = dc;
    kept++;
  }
  return kept;
}

// Inserter.backLinks with one source: skipped when already linked; appended while it fits; else the
// target's links and the source are ranked by distance from the target (ties by row) and re-pruned
// by the heuristic. The caller holds the target's lock (or is its only writer).
bool Traversal::backLink(int32_t target, int32_t level, int32_t source) {
  if (!g_.hasList(target, level)) return fail("the graph is corrupt: row " + std::to_string(target) + " has no list at level " + std::to_string(level), false);
  int32_t* list = g_.list(target, level);
  const int32_t max = g_.maxLinks(level);
  const int32_t have = list[0];
  if (have < 0 || have > max) return fail("the graph is corrupt: row " + std::to_string(target) + " has " + std::to_string(have) + " links at level " + std::to_string(level), false);
  int32_t* rows = pruneRows_.data();
  for (int32_t j = 0; j < have; j++) {
    rows[j] = list[1 + j];
    if (rows[j] == source) return true;
  }
  rows[have] = source;
  const int32_t m = have + 1;
  if (!noteWrite(target)) return false;
  if (m <= max) {
    list[1 + have] = source;
    list[0] = m;
    return true;
  }
  float* dists = pruneDists_.data();
  pairQuery(target);
  distances(pair_, rows, dists, m);
  distanceEvals_ += m;
  // Insertion sort by (distance, row): at most a few dozen entries.
  for (int32_t j = 1; j < m; j++) {
    const int32_t r = rows[j];
    const float d = dists[j];
    int32_t k = j;
    while (k > 0 && (dists[k - 1] > d || (dists[k - 1] == d && rows[k - 1] > r))) {
      rows[k] = rows[k - 1];
      dists[k] = dists[k - 1];
      k--;
    }
    rows[k] = r;
    dists[k] = d;
  }
  const int32_t kept = selectNeighbors(rows, dists, m, max, prunedRows_.data(), prunedDists_.data());
  std::copy_n(prunedRows_.data(), kept, list + 1);
  list[0] = kept;
  return true;
}

// Inserter.connect: the row's own list at `level` from chosen_, then the row added to each chosen
// neighbour's list, each under that neighbour's lock.
bool Traversal::connect(int32_t r, int32_t level, int32_t count) {
  int32_t* own = g_.list(r, level);
  if (locking_) lock(g_.locks + r);
  std::copy_n(chosen_.data(), count, own + 1);
  own[0] = count;
  if (locking_) unlockWord(g_.locks + r);
  for (int32_t i = 0; i < count; i++) {
    const int32_t nb = chosen_[i];
    if (locking_) lock(g_.locks + nb);
    const bool ok = backLink(nb, level, r);
    if (locking_) unlockWord(g_.locks + nb);
    if (!ok) return false;
  }
  return true;
}

bool Traversal::insert(int32_t r) {
  if (!validRow(r)) return fail("insert: row " + std::to_string(r) + " is outside the graph's " + std::to_string(rowLimit_) + " stored rows");
  if (resultRoom_ < efConstruction_) return fail("insert: the result buffers hold " + std::to_string(resultRoom_) + " rows, fewer than efConstruction");
  int32_t* h = g_.header;
  const int32_t level = g_.levels[r];
  double t = timing_ ? nowSeconds() : 0;
  setQueryRow(r);

  // A row that may become the new top holds the global lock for its whole insertion, so the entry
  // point never points at a half-linked row.
  bool holdsGlobal = false;
  if (locking_ && level > __atomic_load_n(h + H_MAX_LEVEL, __ATOMIC_SEQ_CST)) {
    lock(h + H_GLOBAL_LOCK);
    holdsGlobal = true;
  }
  const int32_t entry = locking_ ? __atomic_load_n(h + H_ENTRY, __ATOMIC_SEQ_CST) : h[H_ENTRY];
  const int32_t maxLevel = locking_ ? __atomic_load_n(h + H_MAX_LEVEL, __ATOMIC_SEQ_CST) : h[H_MAX_LEVEL];
  bool ok = true;
  if (entry < 0) {
    setEntry(r, level);
  } else {
    float entryDist;
    int32_t ep;
    ok = distance(entry, &entryDist) && descend(entry, entryDist, maxLevel, level, &ep);
    float epDist = bestDist_;
    if (ok && timing_) lap(&t, kNavigation);
    for (int32_t l = std::min(level, maxLevel); ok && l >= 0; l--) {
      int32_t n = 0;
      ok = searchLayer(ep, epDist, efConstruction_, l, false, r, &n);
      if (!ok) break;
      if (timing_) lap(&t, kNeighborSearch);
      if (n > 0) {
        ep = resultRows_[0];
        epDist = resultDists_[0];
        const int32_t kept = selectNeighbors(resultRows_, resultDists_, n, M_, chosen_.data(), chosenDists_.data());
        ok = connect(r, l, kept);
      }
      if (ok && timing_) lap(&t, kConnectionManagement);
    }
    if (ok && level > maxLevel) setEntry(r, level);
  }
  if (holdsGlobal) unlockWord(h + H_GLOBAL_LOCK);
  return ok;
}

}  // namespace hnswlab
