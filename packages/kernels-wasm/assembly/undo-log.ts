// The undo log, as packages/core/src/graph.ts's noteWrite writes it: before a batch first writes any
// list of a row that existed before it, the row's lists go to the log at a position taken with an
// atomic add, once per undo epoch (marked in `touched`, under the row's lock).
import { H_UNDO_CAPACITY, H_UNDO_EPOCH, H_UNDO_FIRST_ROW, H_UNDO_USED } from './graph-layout';
import { TraversalState } from './traversal-state';

/** Call before writing any list of `row` (holding its lock, or as its only writer). */
export function noteWrite(s: TraversalState, row: i32): void {
  const h = s.header;
  const epoch = load<u32>(h + H_UNDO_EPOCH);
  const tag = s.touched + (<usize>row << 2);
  if (epoch == 0 || row >= load<i32>(h + H_UNDO_FIRST_ROW) || load<u32>(tag) == epoch) return;
  store<u32>(tag, epoch);
  const M = s.M;
  const level = <i32>load<u8>(s.levels + <usize>row);
  const stride0 = 2 * M + 1,
    strideUp = M + 1;
  const n = stride0 + level * strideUp;
  const at = atomic.add<i32>(h + H_UNDO_USED, n + 2);
  if (at + n + 2 > load<i32>(h + H_UNDO_CAPACITY)) {
    // A bug, not bad input (the log is sized so that it cannot overflow): JavaScript reports the row.
    s.errorRow = row;
    unreachable();
  }
  const entry = s.undo + (<usize>at << 2);
  store<i32>(entry, row);
  store<i32>(entry, n, 4);
  memory.copy(entry + 8, s.links0 + ((<usize>row * <usize>stride0) << 2), <usize>stride0 << 2);
  if (level > 0) {
    const upper = s.upper + (<usize>load<i32>(s.upperOffset + (<usize>row << 2)) << 2);
    memory.copy(entry + 8 + (<usize>stride0 << 2), upper, <usize>(level * strideUp) << 2);
  }
}
