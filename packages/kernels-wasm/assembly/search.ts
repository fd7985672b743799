// The traversal of packages/core/src/searcher.ts, step for step: greedy descent through the upper
// levels and the beam search of one level, with the same visiting order, the same counts
// (nodesVisited per expansion, distanceEvals per distance) and the same tie-breaks on (distance,
// row), so a graph built through it is byte-identical to one built through probes; with
// skipDeleted, the same rows (tombstones, rows the filter leaves out) are walked but not returned.
// Generic over the metric (metric.ts); `q` is the query's byte address.
import { H_ENTRY, H_MAX_LEVEL, listAddress, rowAddress, vectorAt } from './graph-layout';
import { distance } from './metric';
import { heapPop, heapPush, heapSiftDown } from './pair-heap';
import { keyDistance, keyRow, pairKey } from './pair-key';
import { lockWord, unlockWord } from './row-lock';
import { growCandidates } from './scratch';
import { TraversalState } from './traversal-state';
import { nextEpoch } from './visited';

/**
 * Copy the unvisited links of `row` at `level` into s.ids, tagging them visited; returns how many.
 * With locking, only the copy runs under the row's lock.
 */
// @ts-ignore: decorator
@inline
function gatherUnvisited(s: TraversalState, row: i32, level: i32, epoch: u32): i32 {
  const list = listAddress(s, row, level);
  const locking = s.locking != 0;
  const word = s.locks + (<usize>row << 2);
  if (locking) lockWord(s, word);
  const n = load<i32>(list);
  const visited = s.visited,
    ids = s.ids;
  let m = 0;
  for (let j = 1; j <= n; j++) {
    const nb = load<i32>(list + (<usize>j << 2));
    const tag = visited + (<usize>nb << 2);
    if (load<u32>(tag) != epoch) {
      store<u32>(tag, epoch);
      store<i32>(ids + (<usize>m << 2), nb);
      m++;
    }
  }
  if (locking) unlockWord(word);
  return m;
}

/** Greedy descent at one level: move to the nearest neighbour while it is nearer. Returns the row; its distance goes to s.bestDist. */
function greedy<M>(s: TraversalState, q: usize, entry: i32, entryDist: f32, level: i32): i32 {
  const ids = s.ids,
    dim = s.dim,
    base = s.base,
    rowBytes = <usize>dim << 2;
  let cur = entry,
    curDist = entryDist;
  let visits = 0,
    evals = 0;
  for (let moved = true; moved; ) {
    moved = false;
    const epoch = nextEpoch(s);
    const m = gatherUnvisited(s, cur, level, epoch);
    visits++;
    if (m == 0) break;
    evals += m;
    for (let i = 0; i < m; i++) {
      const nb = load<i32>(ids + (<usize>i << 2));
      const d = distance<M>(q, vectorAt(base, rowBytes, nb), dim);
      if (d < curDist || (d == curDist && nb < cur)) {
        curDist = d;
        cur = nb;
        moved = true;
      }
    }
  }
  s.nodesVisited += <f64>visits;
  s.distanceEvals += <f64>evals;
  s.bestDist = curDist;
  return cur;
}

/** Greedy descent from `entry` at levels top, top − 1, …, bottom + 1; the distance of the row reached goes to s.bestDist. */
export function descend<M>(s: TraversalState, q: usize, entry: i32, entryDist: f32, top: i32, bottom: i32): i32 {
  let ep = entry,
    epDist = entryDist;
  for (let l = top; l > bottom; l--) {
    ep = greedy<M>(s, q, ep, epDist, l);
    epDist = s.bestDist;
  }
  s.bestDist = epDist;
  return ep;
}

/**
 * The Searcher's `rejects`: a row a search with skipDeleted must not return, a tombstone or a row the
 * filter (s.allow, s.allowWords words; rows past them left out) does not allow.
 */
// @ts-ignore: decorator
@inline
function rejects(deleted: usize, allow: usize, allowWords: i32, row: i32): bool {
  if (load<u8>(deleted + <usize>row) != 0) return true;
  if (allow == 0) return false;
  const w = <u32>row >>> 5;
  return w >= <u32>allowWords || ((load<u32>(allow + (<usize>w << 2)) >>> (<u32>row & 31)) & 1) == 0;
}

/** A new search: the next epoch, with `exclude` (or −1) tagged visited. */
// @ts-ignore: decorator
@inline
function startSearch(s: TraversalState, exclude: i32): u32 {
  const epoch = nextEpoch(s);
  if (exclude >= 0) store<u32>(s.visited + (<usize>exclude << 2), epoch);
  return epoch;
}

/**
 * The beam search proper, from the candidates and results seeded so far: expand the nearest
 * candidate while it can still improve the ef results. Returns the result count.
 */
function expand<M>(s: TraversalState, q: usize, ef: i32, level: i32, skipDeleted: bool, epoch: u32, candSize: i32, resSize: i32): i32 {
  const res = s.res,
    ids = s.ids,
    deleted = s.deleted,
    allow = s.allow,
    allowWords = s.allowWords,
    dim = s.dim,
    base = s.base,
    rowBytes = <usize>dim << 2;
  let cand = s.cand,
    candCap = s.candCap;
  // The farthest result's distance, valid while resSize > 0.
  let worst: f32 = resSize > 0 ? keyDistance(~load<u64>(res)) : 0;
  let visits = 0,
    evals = 0;
  while (candSize > 0) {
    const top = load<u64>(cand);
    if (resSize >= ef && keyDistance(top) > worst) break;
    heapPop(cand, candSize);
    candSize--;
    const m = gatherUnvisited(s, keyRow(top), level, epoch);
    visits++;
    if (m == 0) continue;
    evals += m;
    for (let i = 0; i < m; i++) {
      const nb = load<i32>(ids + (<usize>i << 2));
      const d = distance<M>(q, vectorAt(base, rowBytes, nb), dim);
      if (resSize < ef || d < worst) {
        if (candSize == candCap) {
          cand = growCandidates(s);
          candCap = s.candCap;
        }
        heapPush(cand, candSize, pairKey(d, nb));
        candSize++;
        if (skipDeleted && rejects(deleted, allow, allowWords, nb)) continue;
        if (resSize < ef) {
          heapPush(res, resSize, ~pairKey(d, nb));
          resSize++;
        } else {
          heapSiftDown(res, resSize, ~pairKey(d, nb));
        }
        worst = keyDistance(~load<u64>(res));
      }
    }
  }
  s.nodesVisited += <f64>visits;
  s.distanceEvals += <f64>evals;
  return resSize;
}

/** The results, nearest first (by distance, then row), into s.outRows/s.outDists; returns the count. */
function drain(s: TraversalState, resSize: i32): i32 {
  const res = s.res,
    rows = s.outRows,
    dists = s.outDists;
  for (let i = resSize - 1; i >= 0; i--) {
    const key = ~load<u64>(res);
    store<i32>(rows + (<usize>i << 2), keyRow(key));
    store<f32>(dists + (<usize>i << 2), keyDistance(key));
    heapPop(res, i + 1);
  }
  return resSize;
}

/**
 * Beam search at `level` from one entry: the nearest `ef` rows, nearest first, in s.outRows/outDists.
 * `skipDeleted` keeps tombstones out of the results while still walking through them; `exclude` is a
 * row never returned (the row being inserted), or −1. Needs room for ef + 1 results.
 */
export function searchLayer<M>(s: TraversalState, q: usize, entry: i32, entryDist: f32, ef: i32, level: i32, skipDeleted: bool, exclude: i32): i32 {
  const epoch = startSearch(s, exclude);
  store<u32>(s.visited + (<usize>entry << 2), epoch);
  store<u64>(s.cand, pairKey(entryDist, entry));
  let resSize = 0;
  if (!(skipDeleted && rejects(s.deleted, s.allow, s.allowWords, entry))) {
    store<u64>(s.res, ~pairKey(entryDist, entry));
    resSize = 1;
  }
  return drain(s, expand<M>(s, q, ef, level, skipDeleted, epoch, 1, resSize));
}

/**
 * The same search started from s.entries[0..count) at once (duplicates and `exclude` skipped, their
 * distances computed here). The core computes them in batches before seeding; seeding each as its
 * distance is known pushes and pops the heaps in the same order.
 */
export function searchLayerFrom<M>(s: TraversalState, q: usize, count: i32, ef: i32, level: i32, skipDeleted: bool, exclude: i32): i32 {
  const epoch = startSearch(s, exclude);
  const visited = s.visited,
    entries = s.entries,
    deleted = s.deleted,
    res = s.res,
    dim = s.dim,
    base = s.base,
    rowBytes = <usize>dim << 2;
  let cand = s.cand,
    candCap = s.candCap;
  let candSize = 0,
    resSize = 0,
    evals = 0;
  for (let i = 0; i < count; i++) {
    const r = load<i32>(entries + (<usize>i << 2));
    const tag = visited + (<usize>r << 2);
    if (load<u32>(tag) == epoch) continue;
    store<u32>(tag, epoch);
    const d = distance<M>(q, vectorAt(base, rowBytes, r), dim);
    evals++;
    if (candSize == candCap) {
      cand = growCandidates(s);
      candCap = s.candCap;
    }
    heapPush(cand, candSize, pairKey(d, r));
    candSize++;
    if (!(skipDeleted && rejects(deleted, s.allow, s.allowWords, r))) {
      heapPush(res, resSize, ~pairKey(d, r));
      resSize++;
    }
    if (resSize > ef) {
      heapPop(res, resSize);
      resSize--;
    }
  }
  s.distanceEvals += <f64>evals;
  return drain(s, expand<M>(s, q, ef, level, skipDeleted, epoch, candSize, resSize));
}

/** distance(query, row), counted. */
// @ts-ignore: decorator
@inline
export function queryDistance<M>(s: TraversalState, q: usize, row: i32): f32 {
  s.distanceEvals += 1;
  return distance<M>(q, rowAddress(s, row), s.dim);
}

/** A whole query: descent from the entry point, then the beam search at level 0. */
export function search<M>(s: TraversalState, q: usize, ef: i32, skipDeleted: bool): i32 {
  const entry = load<i32>(s.header + H_ENTRY);
  if (entry < 0) return 0;
  const ep = descend<M>(s, q, entry, queryDistance<M>(s, q, entry), load<i32>(s.header + H_MAX_LEVEL), 0);
  return searchLayer<M>(s, q, ep, s.bestDist, ef, 0, skipDeleted, -1);
}
