// The fused traversal's searches: @hnswlab/core's Searcher (searcher.ts), step for step. Links are
// gathered (tagged visited, under the row's lock when locking) before their distances are taken in
// one batched call, as the JavaScript does with a probe; each result then updates the heaps in list
// order. With prefetching on, the batched call prefetches rows two ahead (batch-loop.h), the gather
// prefetches the visited tags of a list before reading them, and the next candidate's link list is
// prefetched while the current one's distances are taken (as hnswlib's searchBaseLayer does).
#include <algorithm>
#include <string>

#include "lock-word.h"
#include "traversal.h"

namespace hnswlab {

namespace {

/** Prefetch the cache lines of `bytes` bytes from `p` (a link list: 2M + 1 ints at level 0). */
inline void prefetchLines(const void* p, int64_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (int64_t at = 0; at < bytes; at += 64) __builtin_prefetch(c + at);
}

}  // namespace

Traversal::Traversal(const TraversalConfig& c)
    : kernels_(c.kernels),
      batch_(c.prefetch ? c.kernels.batch : c.kernels.plain),
      formula_(c.formula),
      dim_(c.dim),
      M_(c.M),
      M0_(2 * c.M),
      efConstruction_(c.efConstruction),
      locking_(c.locking),
      timing_(c.timing),
      prefetch_(c.prefetch),
      rowOffset_(c.rowOffset),
      pair32_(static_cast<size_t>(c.dim)),
      pair64_(static_cast<size_t>(c.dim)) {
  const size_t list = static_cast<size_t>(M0_ + 1);
  ids_.resize(list);
  out_.resize(list);
  chosen_.resize(list);
  chosenDists_.resize(list);
  pruneRows_.resize(list);
  pruneDists_.resize(list);
  prunedRows_.resize(list);
  prunedDists_.resize(list);
}

void Traversal::bindGraph(const GraphView& view) {
  g_ = view;
  if (visited_.size() < static_cast<size_t>(view.capacity)) visited_.resize(static_cast<size_t>(view.capacity), 0);
  rowLimit_ = static_cast<int32_t>(std::min<int64_t>(g_.capacity, storeRows_));
}

void Traversal::bindStore(const float* data, int64_t rows) {
  store_ = data + rowOffset_ * dim_;
  storeRows_ = std::max<int64_t>(0, rows - rowOffset_);
  rowLimit_ = static_cast<int32_t>(std::min<int64_t>(g_.capacity, storeRows_));
}

void Traversal::bindEntries(const int32_t* entries, int32_t maxEntries) {
  entries_ = entries;
  maxEntries_ = maxEntries;
  if (ids_.size() < static_cast<size_t>(maxEntries)) {
    ids_.resize(static_cast<size_t>(maxEntries));
    out_.resize(static_cast<size_t>(maxEntries));
  }
}

int64_t Traversal::scratchBytes() const {
  const int64_t lists = static_cast<int64_t>(ids_.capacity() + chosen_.capacity() + pruneRows_.capacity() + prunedRows_.capacity()) * 8;
  return static_cast<int64_t>(visited_.capacity() * sizeof(uint32_t)) + candidates_.bytes() + results_.bytes() + lists + dim_ * 12;
}

bool Traversal::fail(const std::string& message, bool range) {
  error_ = message;
  rangeError_ = range;
  return false;
}

bool Traversal::badLink(int32_t row, int32_t level) {
  return fail("the graph is corrupt: a link of row " + std::to_string(row) + " at level " + std::to_string(level) + " names a row outside its " +
              std::to_string(rowLimit_) + " rows (or the row has no list at that level)",
              false);
}

void Traversal::flush() {
  if (state_ == nullptr) return;
  state_[kDistanceEvals] += static_cast<double>(distanceEvals_);
  state_[kNodesVisited] += static_cast<double>(nodesVisited_);
  state_[kNavigation] += phases_[0];
  state_[kNeighborSearch] += phases_[1];
  state_[kConnectionManagement] += phases_[2];
  state_[kLockSpins] += lockSpins_;
  state_[kLockWait] += lockWait_;
  state_[kBestDist] = bestDist_;
  distanceEvals_ = nodesVisited_ = 0;
  phases_[0] = phases_[1] = phases_[2] = lockSpins_ = lockWait_ = 0;
}

bool Traversal::setQueryRow(int32_t r) {
  if (!validRow(r)) return fail("setQueryRow: row " + std::to_string(r) + " is outside the graph's " + std::to_string(rowLimit_) + " stored rows");
  const float* src = row(r);
  float* q32 = const_cast<float*>(query_.f32);
  double* q64 = const_cast<double*>(query_.f64);
  for (int32_t j = 0; j < dim_; j++) {
    q32[j] = src[j];
    q64[j] = src[j];
  }
  return true;
}

bool Traversal::distance(int32_t r, float* out) {
  if (!validRow(r)) return fail("distance: row " + std::to_string(r) + " is outside the graph's " + std::to_string(rowLimit_) + " stored rows");
  distanceEvals_++;
  *out = kernels_.one(query_, row(r), dim_);
  return true;
}

void Traversal::distances(const Query& q, const int32_t* ids, float* out, int32_t count) { batch_(q, store_, ids, out, count, dim_); }

uint32_t Traversal::nextEpoch() {
  if (++epoch_ == 0xffffffffu) {
    std::fill(visited_.begin(), visited_.end(), 0u);
    epoch_ = 1;
  }
  return epoch_;
}

// Searcher.gatherUnvisited: the unvisited links of `row` at `level` into ids_, tagged visited; the
// lock is held for the copy only. Returns how many, or -1 for a link outside the graph.
int32_t Traversal::gather(int32_t r, int32_t level, uint32_t epoch) {
  if (!g_.hasList(r, level)) return -1;
  const int32_t* list = g_.list(r, level);
  uint32_t* visited = visited_.data();
  int32_t* ids = ids_.data();
  const uint32_t limit = static_cast<uint32_t>(rowLimit_);
  if (locking_) lock(g_.locks + r);
  const int32_t n = std::min(list[0], g_.maxLinks(level));
  if (prefetch_) {
    for (int32_t j = 1; j <= n; j++) {
      if (static_cast<uint32_t>(list[j]) < limit) __builtin_prefetch(visited + list[j], 1);
    }
  }
  int32_t m = 0;
  bool bad = false;
  for (int32_t j = 1; j <= n; j++) {
    const int32_t nb = list[j];
    if (static_cast<uint32_t>(nb) >= limit) {
      bad = true;
      break;
    }
    if (visited[nb] != epoch) {
      visited[nb] = epoch;
      ids[m++] = nb;
    }
  }
  if (locking_) unlockWord(g_.locks + r);
  return bad ? -1 : m;
}

// Searcher.greedy: move to the nearest neighbour while it is nearer (ties to the lower row).
bool Traversal::greedy(int32_t entry, float entryDist, int32_t level, int32_t* reached) {
  int32_t cur = entry;
  float curDist = entryDist;
  for (bool moved = true; moved;) {
    moved = false;
    const uint32_t epoch = nextEpoch();
    const int32_t m = gather(cur, level, epoch);
    if (m < 0) return badLink(cur, level);
    nodesVisited_++;
    if (m == 0) break;
    float* out = out_.data();
    const int32_t* ids = ids_.data();
    distances(query_, ids, out, m);
    distanceEvals_ += m;
    for (int32_t i = 0; i < m; i++) {
      const float d = out[i];
      if (d < curDist || (d == curDist && ids[i] < cur)) {
        curDist = d;
        cur = ids[i];
        moved = true;
      }
    }
  }
  bestDist_ = curDist;
  *reached = cur;
  return true;
}

bool Traversal::descend(int32_t entry, float entryDist, int32_t top, int32_t bottom, int32_t* reached) {
  if (!validRow(entry)) return fail("descend: entry " + std::to_string(entry) + " is outside the graph's " + std::to_string(rowLimit_) + " stored rows");
  int32_t ep = entry;
  float epDist = entryDist;
  for (int32_t l = top; l > bottom; l--) {
    if (!greedy(ep, epDist, l, &ep)) return false;
    epDist = bestDist_;
  }
  bestDist_ = epDist;
  *reached = ep;
  return true;
}

uint32_t Traversal::startSearch(int32_t exclude) {
  const uint32_t epoch = nextEpoch();
  candidates_.clear();
  results_.clear();
  if (exclude >= 0 && exclude < static_cast<int32_t>(visited_.size())) visited_[exclude] = epoch;
  return epoch;
}

void Traversal::seed(int32_t r, float dist, bool skipDeleted) {
  candidates_.push(dist, r);
  if (!(skipDeleted && rejects(r))) results_.push(dist, r);
}

// Searcher.expand: expand the nearest candidate while it can still improve the ef results.
bool Traversal::expand(int32_t ef, int32_t level, bool skipDeleted, uint32_t epoch) {
  NearestFirst& cand = candidates_;
  FarthestFirst& res = results_;
  const uint8_t* deleted = g_.deleted;
  // The filter, read only when skipDeleted (never while inserting) and only where a result is pushed.
  const uint32_t* allow = allow_;
  const uint64_t allowWords = allowWords_;
  const int64_t listBytes = static_cast<int64_t>(level == 0 ? g_.stride0 : g_.strideUp) * 4;
  while (cand.size() > 0) {
    const float d0 = cand.topKey();
    if (res.size() >= ef && d0 > res.topKey()) break;
    const int32_t r = cand.topRow();
    cand.pop();
    const int32_t m = gather(r, level, epoch);
    if (m < 0) return badLink(r, level);
    nodesVisited_++;
    if (m == 0) continue;
    const int32_t* ids = ids_.data();
    float* out = out_.data();
    if (prefetch_ && cand.size() > 0) prefetchLines(g_.list(cand.topRow(), level), listBytes);
    distances(query_, ids, out, m);
    distanceEvals_ += m;
    for (int32_t i = 0; i < m; i++) {
      const float d = out[i];
      if (res.size() < ef || d < res.topKey()) {
        const int32_t nb = ids[i];
        cand.push(d, nb);
        if (skipDeleted && (deleted[nb] || (allow != nullptr && !allows(allow, allowWords, nb)))) continue;
        if (res.size() < ef)
          res.push(d, nb);
        else
          res.replaceTop(d, nb);
      }
    }
  }
  return true;
}

int32_t Traversal::drain() { return results_.drainReversed(resultRows_, resultDists_); }

bool Traversal::searchLayer(int32_t entry, float entryDist, int32_t ef, int32_t level, bool skipDeleted, int32_t exclude, int32_t* count) {
  if (!validRow(entry)) return fail("searchLayer: entry " + std::to_string(entry) + " is outside the graph's " + std::to_string(rowLimit_) + " stored rows");
  const uint32_t epoch = startSearch(exclude);
  visited_[entry] = epoch;
  seed(entry, entryDist, skipDeleted);
  if (!expand(ef, level, skipDeleted, epoch)) return false;
  *count = drain();
  return true;
}

// Searcher.searchLayerFrom: the entries' distances in one batched call (the JavaScript batches them
// by its probe's room; the seeding order, and so the result, is the same).
bool Traversal::searchLayerFrom(int32_t count, int32_t ef, int32_t level, bool skipDeleted, int32_t exclude, int32_t* found) {
  const uint32_t epoch = startSearch(exclude);
  uint32_t* visited = visited_.data();
  int32_t* ids = ids_.data();
  int32_t m = 0;
  for (int32_t i = 0; i < count; i++) {
    const int32_t r = entries_[i];
    if (!validRow(r)) return fail("searchLayerFrom: entries[" + std::to_string(i) + "] = " + std::to_string(r) + " is outside the graph's " + std::to_string(rowLimit_) + " stored rows");
    if (visited[r] != epoch) {
      visited[r] = epoch;
      ids[m++] = r;
    }
  }
  float* out = out_.data();
  distances(query_, ids, out, m);
  distanceEvals_ += m;
  for (int32_t j = 0; j < m; j++) {
    seed(ids[j], out[j], skipDeleted);
    if (results_.size() > ef) results_.pop();
  }
  if (!expand(ef, level, skipDeleted, epoch)) return false;
  *found = drain();
  return true;
}

bool Traversal::search(int32_t ef, bool skipDeleted, int32_t* count) {
  const int32_t entry = __atomic_load_n(g_.header + H_ENTRY, __ATOMIC_ACQUIRE);
  const int32_t top = __atomic_load_n(g_.header + H_MAX_LEVEL, __ATOMIC_ACQUIRE);
  if (entry < 0) {
    *count = 0;
    return true;
  }
  float d;
  int32_t ep;
  if (!distance(entry, &d) || !descend(entry, d, top, 0, &ep)) return false;
  return searchLayer(ep, bestDist_, ef, 0, skipDeleted, -1, count);
}

}  // namespace hnswlab
