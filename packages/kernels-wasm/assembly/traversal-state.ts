// One fused traversal's state: a block of the shared memory that the JavaScript side carves and
// fills (src/wasm-traversal.ts), read here through an unmanaged class laid over it. The module keeps
// no globals, so this block is all a traversal is: any number of instances, one per thread, run over
// the same memory, each on its own block.
//
// Field order and types are mirrored by src/traversal-layout.ts; `traversalLayout` (exports.ts)
// writes the offsets the compiler chose, and the package's tests compare the two.

// @ts-ignore: decorator
@unmanaged
export class TraversalState {
  // The graph (GraphLayout): byte addresses of its regions in this memory.
  header: usize;
  levels: usize;
  links0: usize;
  upperOffset: usize;
  upper: usize;
  deleted: usize;
  locks: usize;
  touched: usize;
  undo: usize;
  /** Links per upper list; level 0 keeps 2·M. */
  M: i32;
  /** Rows the graph's per-row arrays (and `visited`) hold. */
  capacity: i32;

  // The vectors.
  /** Byte address of graph row 0's vector (the space's rows, shifted by TraversalOptions.rowOffset). */
  base: usize;
  dim: i32;
  /** Byte address of the traversal's own query (setQuery writes it there). */
  ownQuery: usize;
  /** The graph row used as the query, or −1 for the own query: resolved per call, so growth that moves the vectors needs only `base`. */
  queryRow: i32;

  // Options.
  efConstruction: i32;
  locking: i32;
  timing: i32;

  // Visited tags: visited[row] == epoch means seen in the running search.
  visited: usize;
  epoch: u32;

  // Heaps of packed (distance, row) keys (pair-key.ts): candidates nearest on top, results farthest on top.
  cand: usize;
  candCap: i32;
  res: usize;
  resCap: i32;

  // Results of the last search (nearest first) and scratch, all carved by JavaScript.
  outRows: usize;
  outDists: usize;
  /** Entries of searchLayerFrom, written by the caller. */
  entries: usize;
  /** One expansion's unvisited neighbours (2·M ints). */
  ids: usize;
  /** The inserted row's chosen neighbours (M + 1), and the re-pruning buffers (2·M + 1 each). */
  chosen: usize;
  chosenDists: usize;
  pruneRows: usize;
  pruneDists: usize;
  prunedRows: usize;
  prunedDists: usize;
  /** Distance of the row the last descend returned. */
  bestDist: f32;
  /** The row whose undo entry did not fit (then the call traps), else −1. */
  errorRow: i32;
  /**
   * Rows a search with skipDeleted may return: the byte address of a bitset (bit r of word r >> 5)
   * of `allowWords` words (rows past them are left out), or 0 for all. A copy carved by JavaScript.
   */
  allow: usize;
  allowWords: i32;

  // Work since the last drain, in WorkCounters units (f64: counts stay exact far past 2^32).
  distanceEvals: f64;
  nodesVisited: f64;
  navigation: f64;
  neighborSearch: f64;
  connectionManagement: f64;
  lockSpins: f64;
  lockWait: f64;
}

/** The state at byte address `t`. */
// @ts-ignore: decorator
@inline
export function stateAt(t: usize): TraversalState {
  return changetype<TraversalState>(t);
}

/** Byte address of the current query: a stored row's vector, or the own query. */
// @ts-ignore: decorator
@inline
export function queryAddress(s: TraversalState): usize {
  const row = s.queryRow;
  return row >= 0 ? s.base + <usize>row * (<usize>s.dim << 2) : s.ownQuery;
}

/**
 * Writes the byte offset of every field, in declaration order, at `out` (Int32 each); returns the
 * state's size. For the tests that hold src/traversal-layout.ts to this class.
 */
export function traversalLayout(out: usize): i32 {
  store<i32>(out, <i32>offsetof<TraversalState>('header'), 0);
  store<i32>(out, <i32>offsetof<TraversalState>('levels'), 4);
  store<i32>(out, <i32>offsetof<TraversalState>('links0'), 8);
  store<i32>(out, <i32>offsetof<TraversalState>('upperOffset'), 12);
  store<i32>(out, <i32>offsetof<TraversalState>('upper'), 16);
  store<i32>(out, <i32>offsetof<TraversalState>('deleted'), 20);
  store<i32>(out, <i32>offsetof<TraversalState>('locks'), 24);
  store<i32>(out, <i32>offsetof<TraversalState>('touched'), 28);
  store<i32>(out, <i32>offsetof<TraversalState>('undo'), 32);
  store<i32>(out, <i32>offsetof<TraversalState>('M'), 36);
  store<i32>(out, <i32>offsetof<TraversalState>('capacity'), 40);
  store<i32>(out, <i32>offsetof<TraversalState>('base'), 44);
  store<i32>(out, <i32>offsetof<TraversalState>('dim'), 48);
  store<i32>(out, <i32>offsetof<TraversalState>('ownQuery'), 52);
  store<i32>(out, <i32>offsetof<TraversalState>('queryRow'), 56);
  store<i32>(out, <i32>offsetof<TraversalState>('efConstruction'), 60);
  store<i32>(out, <i32>offsetof<TraversalState>('locking'), 64);
  store<i32>(out, <i32>offsetof<TraversalState>('timing'), 68);
  store<i32>(out, <i32>offsetof<TraversalState>('visited'), 72);
  store<i32>(out, <i32>offsetof<TraversalState>('epoch'), 76);
  store<i32>(out, <i32>offsetof<TraversalState>('cand'), 80);
  store<i32>(out, <i32>offsetof<TraversalState>('candCap'), 84);
  store<i32>(out, <i32>offsetof<TraversalState>('res'), 88);
  store<i32>(out, <i32>offsetof<TraversalState>('resCap'), 92);
  store<i32>(out, <i32>offsetof<TraversalState>('outRows'), 96);
  store<i32>(out, <i32>offsetof<TraversalState>('outDists'), 100);
  store<i32>(out, <i32>offsetof<TraversalState>('entries'), 104);
  store<i32>(out, <i32>offsetof<TraversalState>('ids'), 108);
  store<i32>(out, <i32>offsetof<TraversalState>('chosen'), 112);
  store<i32>(out, <i32>offsetof<TraversalState>('chosenDists'), 116);
  store<i32>(out, <i32>offsetof<TraversalState>('pruneRows'), 120);
  store<i32>(out, <i32>offsetof<TraversalState>('pruneDists'), 124);
  store<i32>(out, <i32>offsetof<TraversalState>('prunedRows'), 128);
  store<i32>(out, <i32>offsetof<TraversalState>('prunedDists'), 132);
  store<i32>(out, <i32>offsetof<TraversalState>('bestDist'), 136);
  store<i32>(out, <i32>offsetof<TraversalState>('errorRow'), 140);
  store<i32>(out, <i32>offsetof<TraversalState>('allow'), 144);
  store<i32>(out, <i32>offsetof<TraversalState>('allowWords'), 148);
  store<i32>(out, <i32>offsetof<TraversalState>('distanceEvals'), 152);
  store<i32>(out, <i32>offsetof<TraversalState>('nodesVisited'), 156);
  store<i32>(out, <i32>offsetof<TraversalState>('navigation'), 160);
  store<i32>(out, <i32>offsetof<TraversalState>('neighborSearch'), 164);
  store<i32>(out, <i32>offsetof<TraversalState>('connectionManagement'), 168);
  store<i32>(out, <i32>offsetof<TraversalState>('lockSpins'), 172);
  store<i32>(out, <i32>offsetof<TraversalState>('lockWait'), 176);
  return <i32>offsetof<TraversalState>();
}
