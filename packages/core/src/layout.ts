// The graph layout's constants (see GraphLayout in contracts.ts). Fused kernels written in other
// languages repeat these numbers; the boundary-equivalence tests fail if one drifts.

/** Slots of the graph header (Int32, shared by every thread). */
export const H_COUNT = 0; // rows allocated
export const H_ENTRY = 1; // entry point row, −1 when empty
export const H_MAX_LEVEL = 2; // level of the entry point, −1 when empty
export const H_UPPER_USED = 3; // Int32 slots of the upper pool in use
export const H_GLOBAL_LOCK = 4; // held by an insert that may raise the top level
export const H_DELETED = 5; // tombstoned rows
export const H_UNDO_EPOCH = 6; // the running batch's undo epoch, 0 when nothing is logged
export const H_UNDO_FIRST_ROW = 7; // rows below it are logged before their first write
export const H_UNDO_USED = 8; // Int32 slots of the undo log in use
export const H_UNDO_CAPACITY = 9; // Int32 slots of the undo log
export const HEADER_SLOTS = 16;

/** The most levels a row can have: levels fit a byte, and packed keys (row·64 + level) rely on it. */
export const MAX_LEVEL = 31;

/** Int32 slots of a level-0 list (a count and 2M links) and of an upper list (a count and M links). */
export function strides(M: number): { stride0: number; strideUp: number } {
  return { stride0: 2 * M + 1, strideUp: M + 1 };
}

/** Ints an undo entry of a row at `level` takes: row, length, its level-0 list and its upper lists. */
export function undoEntryInts(M: number, level: number): number {
  const { stride0, strideUp } = strides(M);
  return 2 + stride0 + level * strideUp;
}
