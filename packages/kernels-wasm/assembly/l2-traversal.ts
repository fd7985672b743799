// The fused traversal's entry points for squared Euclidean distance (metric l2): FusedTraversal's calls, one wasm call each, on
// the traversal state at byte address `t` (traversal-state.ts). The metric is fixed at compile
// time, so nothing on the hot path branches on it.
import { insert } from './insert';
import { L2 } from './metric';
import { descend, queryDistance, search, searchLayer, searchLayerFrom } from './search';
import { queryAddress, stateAt } from './traversal-state';

/** distance(query, row), float32, counted. */
export function l2Distance(t: usize, row: i32): f32 {
  const s = stateAt(t);
  return queryDistance<L2>(s, queryAddress(s), row);
}

/** Greedy descent from `entry` at levels top … bottom + 1; returns the row reached (its distance in the state's bestDist). */
export function l2Descend(t: usize, entry: i32, entryDist: f32, top: i32, bottom: i32): i32 {
  const s = stateAt(t);
  return descend<L2>(s, queryAddress(s), entry, entryDist, top, bottom);
}

/** Beam search at `level` from `entry`; returns the result count (results nearest first in outRows/outDists). */
export function l2SearchLayer(t: usize, entry: i32, entryDist: f32, ef: i32, level: i32, skipDeleted: bool, exclude: i32): i32 {
  const s = stateAt(t);
  return searchLayer<L2>(s, queryAddress(s), entry, entryDist, ef, level, skipDeleted, exclude);
}

/** Beam search at `level` from entries[0..count); returns the result count. */
export function l2SearchLayerFrom(t: usize, count: i32, ef: i32, level: i32, skipDeleted: bool, exclude: i32): i32 {
  const s = stateAt(t);
  return searchLayerFrom<L2>(s, queryAddress(s), count, ef, level, skipDeleted, exclude);
}

/** A whole query: descent from the entry point, then level 0; returns the result count. */
export function l2Search(t: usize, ef: i32, skipDeleted: bool): i32 {
  const s = stateAt(t);
  return search<L2>(s, queryAddress(s), ef, skipDeleted);
}

/** Link an allocated, stored row: the whole of the core's Inserter.insert. */
export function l2Insert(t: usize, row: i32): void {
  insert<L2>(stateAt(t), row);
}
