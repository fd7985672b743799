// Memory the traversal takes while it runs: only the candidate heap grows (how many candidates a
// search keeps is not known up front). Blocks come from the space's allocator in JavaScript (the
// imports below), which every thread shares under its lock, so the module itself allocates nothing.
import { TraversalState } from './traversal-state';

/** A zeroed block of `bytes` bytes of this memory (WasmSpace.allocate); returns its address. */
// @ts-ignore: decorator
@external("env", "carve")
declare function carve(bytes: usize): usize;

/** Give a block from carve back. */
// @ts-ignore: decorator
@external("env", "release")
declare function release(at: usize, bytes: usize): void;

/** Double the candidate heap, keeping its keys; returns its new address (s.cand, s.candCap updated). */
export function growCandidates(s: TraversalState): usize {
  const cap = <usize>s.candCap;
  const next = carve(cap << 4);
  memory.copy(next, s.cand, cap << 3);
  release(s.cand, cap << 3);
  s.cand = next;
  s.candCap = <i32>(cap << 1);
  return next;
}
