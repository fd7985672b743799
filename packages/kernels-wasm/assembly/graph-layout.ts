// The graph layout's numbers, repeated from packages/core/src/layout.ts (GraphLayout in contracts.ts):
// the boundary-equivalence tests fail if one drifts. Lists are [count, link, …] of Int32: level 0
// holds 2·M links per row at row·(2M + 1); level l ≥ 1 holds M at upperOffset[row] + (l − 1)·(M + 1).
import { TraversalState } from './traversal-state';

/** Header slots, as byte offsets (Int32 slots × 4). */
export const H_ENTRY: usize = 1 << 2;
export const H_MAX_LEVEL: usize = 2 << 2;
export const H_GLOBAL_LOCK: usize = 4 << 2;
export const H_UNDO_EPOCH: usize = 6 << 2;
export const H_UNDO_FIRST_ROW: usize = 7 << 2;
export const H_UNDO_USED: usize = 8 << 2;
export const H_UNDO_CAPACITY: usize = 9 << 2;

/** Byte address of a row's list (its count slot) at `level`. */
// @ts-ignore: decorator
@inline
export function listAddress(s: TraversalState, row: i32, level: i32): usize {
  const M = s.M;
  if (level == 0) return s.links0 + ((<usize>row * <usize>(2 * M + 1)) << 2);
  const offset = load<i32>(s.upperOffset + (<usize>row << 2)) + (level - 1) * (M + 1);
  return s.upper + (<usize>offset << 2);
}

/** Most links a list at `level` holds. */
// @ts-ignore: decorator
@inline
export function maxLinks(s: TraversalState, level: i32): i32 {
  return level == 0 ? 2 * s.M : s.M;
}

/** Byte address of graph row `row`'s vector. */
// @ts-ignore: decorator
@inline
export function rowAddress(s: TraversalState, row: i32): usize {
  return vectorAt(s.base, <usize>s.dim << 2, row);
}

/**
 * The same from `base` and `rowBytes` held in locals: loops use this, since every store to the
 * memory (a heap push, a visited tag) would otherwise make the compiler reload s.base and s.dim.
 */
// @ts-ignore: decorator
@inline
export function vectorAt(base: usize, rowBytes: usize, row: i32): usize {
  return base + <usize>row * rowBytes;
}
