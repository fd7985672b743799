// The fused traversal's entry points for the b1 store's Hamming distance (every metric; the state's
// `dim` is the row's word count, so rows are ⌈dim/32⌉·4 bytes apart): FusedTraversal's calls, one
// wasm call each, on the traversal state at byte address `t` (traversal-state.ts), as l2-traversal.ts.
import { insert } from './insert';
import { Hamming } from './metric';
import { descend, queryDistance, search, searchLayer, searchLayerFrom } from './search';
import { queryAddress, stateAt } from './traversal-state';

/** distance(query, row), float32, counted. */
export function b1Distance(t: usize, row: i32): f32 {
  const s = stateAt(t);
  return queryDistance<Hamming>(s, queryAddress(s), row);
}

/** Greedy descent from `entry` at levels top … bottom + 1; returns the row reached (its distance in the state's bestDist). */
export function b1Descend(t: usize, entry: i32, entryDist: f32, top: i32, bottom: i32): i32 {
  const s = stateAt(t);
  return descend<Hamming>(s, queryAddress(s), entry, entryDist, top, bottom);
}

/** Beam search at `level` from `entry`; returns the result count (results nearest first in outRows/outDists). */
export function b1SearchLayer(t: usize, entry: i32, entryDist: f32, ef: i32, level: i32, skipDeleted: bool, exclude: i32): i32 {
  const s = stateAt(t);
  return searchLayer<Hamming>(s, queryAddress(s), entry, entryDist, ef, level, skipDeleted, exclude);
}

/** Beam search at `level` from entries[0..count); returns the result count. */
export function b1SearchLayerFrom(t: usize, count: i32, ef: i32, level: i32, skipDeleted: bool, exclude: i32): i32 {
  const s = stateAt(t);
  return searchLayerFrom<Hamming>(s, queryAddress(s), count, ef, level, skipDeleted, exclude);
}

/** A whole query: descent from the entry point, then level 0; returns the result count. */
export function b1Search(t: usize, ef: i32, skipDeleted: bool): i32 {
  const s = stateAt(t);
  return search<Hamming>(s, queryAddress(s), ef, skipDeleted);
}

/** Link an allocated, stored row: the whole of the core's Inserter.insert. */
export function b1Insert(t: usize, row: i32): void {
  insert<Hamming>(stateAt(t), row);
}
