// The build API insert strategies use (parallel workers attach the same graph and space). Not for
// index users: shapes here change with the core.
export { Counters, now, type CounterValues } from './counters.js';
export {
  Graph,
  H_COUNT,
  H_DELETED,
  H_ENTRY,
  H_GLOBAL_LOCK,
  H_MAX_LEVEL,
  H_UPPER_USED,
  type GraphBuffers,
  type GraphSnapshot,
} from './graph.js';
export { PairHeap } from './heap.js';
export { Inserter } from './inserter.js';
export { Rng, drawLevel } from './rng.js';
export { Searcher } from './searcher.js';
export type { BatchPlan } from './hnsw-index.js';
