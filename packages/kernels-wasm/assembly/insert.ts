// A whole insertion, as packages/core/src/inserter.ts's Inserter.insert does it, step for step:
// the global lock for a row that may become the new top, greedy descent (navigation), a beam search
// with efConstruction at each of the row's levels (neighbour search), then the heuristic, the row's
// own lists and back-links with re-pruning (connection management), logging every write to an older
// row first. Same counts and tie-breaks as the core, so the graph is byte-identical.
import { now } from './clock';
import { H_ENTRY, H_GLOBAL_LOCK, H_MAX_LEVEL, listAddress, maxLinks, rowAddress, vectorAt } from './graph-layout';
import { distance } from './metric';
import { lockWord, unlockWord } from './row-lock';
import { descend, queryDistance, searchLayer } from './search';
import { TraversalState } from './traversal-state';
import { noteWrite } from './undo-log';

/**
 * The neighbour-selection heuristic: walk candidates nearest first and keep one only if it is nearer
 * to the query than to every neighbour already kept, up to `max`. Each candidate's scan stops at the
 * first kept neighbour nearer than the query and counts the distances it took (the core's firstNearer).
 */
function selectNeighbors<M>(s: TraversalState, rows: usize, dists: usize, n: i32, max: i32, outRows: usize, outDists: usize): i32 {
  if (n <= max) {
    memory.copy(outRows, rows, <usize>n << 2);
    memory.copy(outDists, dists, <usize>n << 2);
    return n;
  }
  const dim = s.dim,
    base = s.base,
    rowBytes = <usize>dim << 2;
  let kept = 0,
    evals = 0;
  for (let i = 0; i < n && kept < max; i++) {
    const cand = load<i32>(rows + (<usize>i << 2)),
      dc = load<f32>(dists + (<usize>i << 2));
    if (kept > 0) {
      const a = vectorAt(base, rowBytes, cand);
      let at = 0;
      while (at < kept && !(distance<M>(a, vectorAt(base, rowBytes, load<i32>(outRows + (<usize>at << 2))), dim) < dc)) at++;
      evals += at < kept ? at + 1 : kept;
      if (at < kept) continue;
    }
    store<i32>(outRows + (<usize>kept << 2), cand);
    store<f32>(outDists + (<usize>kept << 2), dc);
    kept++;
  }
  s.distanceEvals += <f64>evals;
  return kept;
}

/**
 * Add a back-link from `source` to target's list at `level`: appended while it fits, else the
 * target's links and the source are ranked by distance from the target (ties by row) and re-pruned
 * together by the heuristic. A source already linked is skipped. The caller holds target's lock.
 */
function backLink<M>(s: TraversalState, target: i32, level: i32, source: i32): void {
  const list = listAddress(s, target, level),
    max = maxLinks(s, level);
  const have = load<i32>(list);
  const rows = s.pruneRows;
  for (let j = 0; j < have; j++) {
    if (load<i32>(list + (<usize>(j + 1) << 2)) == source) return;
  }
  noteWrite(s, target);
  if (have < max) {
    store<i32>(list + (<usize>(have + 1) << 2), source);
    store<i32>(list, have + 1);
    return;
  }
  const m = have + 1;
  memory.copy(rows, list + 4, <usize>have << 2);
  store<i32>(rows + (<usize>have << 2), source);
  const dists = s.pruneDists,
    dim = s.dim,
    base = s.base,
    rowBytes = <usize>dim << 2;
  const a = vectorAt(base, rowBytes, target);
  for (let j = 0; j < m; j++) store<f32>(dists + (<usize>j << 2), distance<M>(a, vectorAt(base, rowBytes, load<i32>(rows + (<usize>j << 2))), dim));
  s.distanceEvals += <f64>m;
  // Insertion sort by (distance, row): at most 2·M + 1 entries.
  for (let j = 1; j < m; j++) {
    const r = load<i32>(rows + (<usize>j << 2)),
      d = load<f32>(dists + (<usize>j << 2));
    let k = j;
    while (k > 0) {
      const dk = load<f32>(dists + (<usize>(k - 1) << 2)),
        rk = load<i32>(rows + (<usize>(k - 1) << 2));
      if (!(dk > d || (dk == d && rk > r))) break;
      store<i32>(rows + (<usize>k << 2), rk);
      store<f32>(dists + (<usize>k << 2), dk);
      k--;
    }
    store<i32>(rows + (<usize>k << 2), r);
    store<f32>(dists + (<usize>k << 2), d);
  }
  const kept = selectNeighbors<M>(s, rows, dists, m, max, s.prunedRows, s.prunedDists);
  memory.copy(list + 4, s.prunedRows, <usize>kept << 2);
  store<i32>(list, kept);
}

/** Write row's list at `level` from s.chosen, then add row to each chosen neighbour's list. */
function connect<M>(s: TraversalState, row: i32, level: i32, count: i32): void {
  const locking = s.locking != 0,
    locks = s.locks,
    chosen = s.chosen;
  const own = listAddress(s, row, level);
  if (locking) lockWord(s, locks + (<usize>row << 2));
  memory.copy(own + 4, chosen, <usize>count << 2);
  store<i32>(own, count);
  if (locking) unlockWord(locks + (<usize>row << 2));
  for (let i = 0; i < count; i++) {
    const nb = load<i32>(chosen + (<usize>i << 2));
    if (locking) lockWord(s, locks + (<usize>nb << 2));
    backLink<M>(s, nb, level, row);
    if (locking) unlockWord(locks + (<usize>nb << 2));
  }
}

function setEntry(s: TraversalState, row: i32, level: i32, locking: bool): void {
  const h = s.header;
  if (locking) {
    atomic.store<i32>(h + H_ENTRY, row);
    atomic.store<i32>(h + H_MAX_LEVEL, level);
  } else {
    store<i32>(h + H_ENTRY, row);
    store<i32>(h + H_MAX_LEVEL, level);
  }
}

/** Link an allocated, stored row into the graph (its query becomes the traversal's). */
export function insert<M>(s: TraversalState, row: i32): void {
  const h = s.header;
  const locking = s.locking != 0,
    timing = s.timing != 0;
  const level = <i32>load<u8>(s.levels + <usize>row);
  let t = timing ? now() : 0;
  s.queryRow = row;
  const q = rowAddress(s, row);

  // A row that may become the new top holds the global lock for its whole insertion, so the entry
  // point never points at a half-linked row.
  const holdsGlobal = locking && level > atomic.load<i32>(h + H_MAX_LEVEL);
  if (holdsGlobal) lockWord(s, h + H_GLOBAL_LOCK);
  const entry = locking ? atomic.load<i32>(h + H_ENTRY) : load<i32>(h + H_ENTRY);
  const maxLevel = locking ? atomic.load<i32>(h + H_MAX_LEVEL) : load<i32>(h + H_MAX_LEVEL);
  if (entry < 0) {
    setEntry(s, row, level, locking);
    if (holdsGlobal) unlockWord(h + H_GLOBAL_LOCK);
    return;
  }
  let ep = descend<M>(s, q, entry, queryDistance<M>(s, q, entry), maxLevel, level);
  let epDist = s.bestDist;
  if (timing) {
    const t1 = now();
    s.navigation += t1 - t;
    t = t1;
  }
  const ef = s.efConstruction,
    M = s.M;
  for (let l = min(level, maxLevel); l >= 0; l--) {
    const n = searchLayer<M>(s, q, ep, epDist, ef, l, false, row);
    if (timing) {
      const t1 = now();
      s.neighborSearch += t1 - t;
      t = t1;
    }
    if (n > 0) {
      ep = load<i32>(s.outRows);
      epDist = load<f32>(s.outDists);
      const kept = selectNeighbors<M>(s, s.outRows, s.outDists, n, M, s.chosen, s.chosenDists);
      connect<M>(s, row, l, kept);
    }
    if (timing) {
      const t1 = now();
      s.connectionManagement += t1 - t;
      t = t1;
    }
  }
  if (level > maxLevel) setEntry(s, row, level, locking);
  if (holdsGlobal) unlockWord(h + H_GLOBAL_LOCK);
}
