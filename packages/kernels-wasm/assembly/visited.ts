// Visited tags, reset in O(1): visited[row] == epoch means "seen in the running search", and every
// search (and every greedy step, as in the core's Searcher) takes the next epoch.
import { TraversalState } from './traversal-state';

/** The next epoch; clears the tags once every 2^32 − 2 searches. */
// @ts-ignore: decorator
@inline
export function nextEpoch(s: TraversalState): u32 {
  let e = s.epoch + 1;
  if (e == 0xffffffff) {
    memory.fill(s.visited, 0, <usize>s.capacity << 2);
    e = 1;
  }
  s.epoch = e;
  return e;
}
