import type { GraphLayout, MemoryRegion, Metric, TraversalOptions, WorkCounters } from '@hnswlab/core/contracts';
import { normaliseInPlace, type StoreTraversal } from '@hnswlab/kernels-js';
import { alignedShared } from './aligned-shared.js';
import type { NativeAddon, NativeTraversalHandle } from './native-addon.js';
import type { SimdPath } from './simd-path.js';

/** The counters in the shared state array, in its slot order (native/src/traversal.h, CounterSlot); bestDist follows. */
const COUNTERS = [
  'distanceEvals',
  'nodesVisited',
  'navigation',
  'neighborSearch',
  'connectionManagement',
  'lockSpins',
  'lockWait',
] as const;
const BEST_DIST = COUNTERS.length;

const int32s = (r: MemoryRegion) => new Int32Array(r.buffer, r.byteOffset, r.byteLength >> 2);
const bytes = (r: MemoryRegion) => new Uint8Array(r.buffer, r.byteOffset, r.byteLength);

/**
 * One thread's fused traversal in the addon: the core's Searcher and Inserter.insert in C++ over the
 * graph's regions and the space's rows (native/src/traversal-*.cc), so a graph built through it is
 * byte-identical to one built through probes. The query, entries, results and counters live in
 * SharedArrayBuffers whose addresses the addon caches; `bind` re-passes the graph's regions after it
 * grows, the `data` setter (called by the space when it grows) the store, and a search with a larger
 * ef than the results have room for re-allocates them first. Work is counted in C++ into a shared
 * Float64Array and added into the caller's counters by {@link drainCounters}, with no crossing.
 */
export class NativeTraversal implements StoreTraversal {
  rows: Int32Array;
  dists: Float32Array;
  readonly entries: Int32Array;
  readonly maxEntries: number;
  private readonly native: NativeTraversalHandle;
  private readonly query32: Float32Array;
  private readonly query64: Float64Array;
  private readonly state: Float64Array;
  private readonly dim: number;
  private readonly normalise: boolean;
  private store: Float32Array;
  #disposed = false;

  constructor(
    space: { readonly dim: number; readonly metric: Metric; readonly data: Float32Array },
    graph: GraphLayout,
    options: TraversalOptions,
    private readonly addon: NativeAddon,
    path: SimdPath,
    prefetch: boolean,
  ) {
    this.dim = space.dim;
    this.normalise = space.metric === 'cosine';
    // The JavaScript Searcher's room (a seeded merge with `expand`: every hint and its level-0
    // neighbours): Inserter.insertFrom uses no more entries than this, so both boundaries see the same.
    const M0 = 2 * graph.M;
    this.maxEntries = M0 * (M0 + 2);
    this.entries = alignedShared(Int32Array, this.maxEntries, addon);
    this.query32 = alignedShared(Float32Array, this.dim, addon);
    this.query64 = alignedShared(Float64Array, this.dim, addon);
    this.state = new Float64Array(new SharedArrayBuffer((BEST_DIST + 1) * 8));
    this.native = addon.createTraversal(
      {
        path,
        formula: space.metric === 'l2' ? 'l2' : 'dot',
        dim: this.dim,
        M: graph.M,
        efConstruction: options.efConstruction,
        locking: options.locking,
        timing: options.timing,
        prefetch,
        rowOffset: options.rowOffset ?? 0,
      },
      this.query32,
      this.query64,
      this.entries,
      this.state,
    );
    this.rows = alignedShared(Int32Array, Math.max(64, options.efConstruction), addon);
    this.dists = alignedShared(Float32Array, this.rows.length, addon);
    this.native.bindResults(this.rows, this.dists);
    this.store = space.data;
    this.native.bindStore(this.store);
    this.bind(graph);
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  get scratchBytes(): number {
    if (this.#disposed) return 0;
    const own = this.entries.byteLength + this.query32.byteLength + this.query64.byteLength + this.rows.byteLength + this.dists.byteLength;
    return own + this.state.byteLength + this.native.scratchBytes();
  }

  get data(): Float32Array {
    return this.store;
  }

  set data(data: Float32Array) {
    this.store = data;
    this.native.bindStore(data);
  }

  get bestDist(): number {
    return this.state[BEST_DIST];
  }

  bind(graph: GraphLayout): void {
    this.native.bindGraph(
      graph.capacity,
      int32s(graph.header),
      bytes(graph.levels),
      int32s(graph.links0),
      int32s(graph.upperOffset),
      int32s(graph.upper),
      bytes(graph.deleted),
      int32s(graph.locks),
      new Uint32Array(graph.touched.buffer, graph.touched.byteOffset, graph.touched.byteLength >> 2),
      int32s(graph.undo),
    );
  }

  /** As NativeProbe.setQuery: normalised in float32 under cosine, then widened for the dot formula. */
  setQuery(vector: Float32Array): void {
    const q = this.query32,
      q64 = this.query64,
      dim = this.dim;
    for (let j = 0; j < dim; j++) q[j] = vector[j];
    if (this.normalise) normaliseInPlace(q, 0, dim);
    for (let j = 0; j < dim; j++) q64[j] = q[j];
  }

  setQueryRow(row: number): void {
    this.native.setQueryRow(row);
  }

  distance(row: number): number {
    return this.native.distance(row);
  }

  descend(entry: number, entryDist: number, top: number, bottom: number): number {
    return this.native.descend(entry, entryDist, top, bottom);
  }

  searchLayer(entry: number, entryDist: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number {
    if (ef > this.rows.length) this.growResults(ef);
    return this.native.searchLayer(entry, entryDist, ef, level, skipDeleted, exclude);
  }

  searchLayerFrom(count: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number {
    if (ef > this.rows.length) this.growResults(ef);
    return this.native.searchLayerFrom(count, ef, level, skipDeleted, exclude);
  }

  search(ef: number, skipDeleted: boolean): number {
    if (ef > this.rows.length) this.growResults(ef);
    return this.native.search(ef, skipDeleted);
  }

  /**
   * Rows the following searches may return (bit r of word r >> 5; rows past the array are left out),
   * or null for all; applied only with skipDeleted, as the core's Searcher does. The addon reads the
   * array in place (no copy) and holds it until the next setFilter: do not change it meanwhile.
   */
  setFilter(rows: Uint32Array | null): void {
    this.native.setFilter(rows);
  }

  insert(row: number): void {
    this.native.insert(row);
  }

  drainCounters(into: WorkCounters): void {
    const s = this.state;
    for (let i = 0; i < COUNTERS.length; i++) {
      into[COUNTERS[i]] += s[i];
      s[i] = 0;
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.native.release();
  }

  /** Results with room for `ef` rows (at least doubling), re-passed to the addon. */
  private growResults(ef: number): void {
    const room = Math.max(ef, this.rows.length * 2);
    this.rows = alignedShared(Int32Array, room, this.addon);
    this.dists = alignedShared(Float32Array, room, this.addon);
    this.native.bindResults(this.rows, this.dists);
  }
}
