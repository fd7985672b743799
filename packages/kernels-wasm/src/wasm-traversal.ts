import type { FusedTraversal, GraphLayout, MemoryRegion, TraversalOptions, WorkCounters } from '@hnswlab/core/contracts';
import { normaliseInPlace } from '@hnswlab/kernels-js';
import type { TraversalFns } from './kernel-module.js';
import { align, type Regions } from './space-memory.js';
import type { WasmMemory } from './wasm-api.js';
import { COUNTER_FIELDS, STATE, STATE_BYTES, type StateField } from './traversal-layout.js';

/** What a traversal needs of its space: carving and releasing blocks of the memory, and to be forgotten when disposed. */
export interface TraversalMemory {
  allocate(byteLength: number): MemoryRegion;
  release(region: MemoryRegion): void;
  forget(traversal: WasmTraversal): void;
}

/**
 * A space's TraversalMemory: scratch blocks carved from `regions` (not counted as regions), and
 * `traversals` (the space's list, re-pointed on growth) forgetting a disposed one. Checks first that
 * the graph lives in `memory` (the module reads only its own memory).
 */
export function traversalMemory(regions: Regions, memory: WasmMemory, traversals: WasmTraversal[], graph: GraphLayout): TraversalMemory {
  for (const key of ['header', 'links0', 'upper', 'undo', 'locks'] as const) {
    const r = graph[key];
    if (r.byteOffset + r.byteLength > memory.buffer.byteLength)
      throw new RangeError(`the graph's ${key} region is not in this space's memory`);
  }
  return {
    allocate: (bytes: number) => regions.block(bytes, false),
    release: (region: MemoryRegion) => regions.release(region, false),
    // A disposed traversal is no longer re-pointed.
    forget: (traversal: WasmTraversal) => {
      const i = traversals.indexOf(traversal);
      if (i >= 0) traversals.splice(i, 1);
    },
  };
}

/** Candidates the heap holds before the module first doubles it. */
const INITIAL_CANDIDATES = 512;

/** The counters' names and their Float64 indices in the state: drained after every call, so looked up once. */
const COUNTERS = COUNTER_FIELDS.map((name) => [name, STATE[name] >> 3] as const);

/** The graph regions the state points at, in the state's field names. */
const REGIONS = ['header', 'levels', 'links0', 'upperOffset', 'upper', 'deleted', 'locks', 'touched', 'undo'] as const;

/**
 * One thread's fused traversal over a wasm space: the core's Searcher and Inserter.insert run inside
 * the module (assembly/search.ts, insert.ts), one call each, on a state block in the space's memory.
 * The state points at the graph's regions (bind), the vectors (rebase: the space calls it when they
 * move) and scratch this class carves: visited tags sized to the graph's capacity, heaps, results
 * (re-carved when a search asks for a larger ef), the insert's buffers and a copy of the filter
 * (setFilter). rows/dists/entries are views of that scratch; read them after each call.
 */
export class WasmTraversal implements FusedTraversal {
  rows!: Int32Array;
  dists!: Float32Array;
  entries!: Int32Array;
  readonly maxEntries: number;
  /** Byte address of the state block, the first argument of every module call. */
  private readonly at: number;
  private readonly fixed: MemoryRegion;
  private visited: MemoryRegion | undefined;
  private results: MemoryRegion | undefined;
  private resultCap = 0;
  /** The filter's copy in the memory (room for filterCap words), and the array it was copied from. */
  private filter: MemoryRegion | undefined;
  private filterCap = 0;
  private filterFrom: Uint32Array | null = null;
  private filterLength = 0;
  private readonly i32: Int32Array;
  private readonly u32: Uint32Array;
  private readonly f32: Float32Array;
  private readonly f64: Float64Array;
  private readonly query: Float32Array;
  private readonly rowOffset: number;
  private readonly rowBytes: number;
  private disposed = false;

  constructor(
    private readonly memory: TraversalMemory,
    private readonly fns: TraversalFns,
    private readonly dim: number,
    private readonly normalise: boolean,
    graph: GraphLayout,
    options: TraversalOptions,
    vecBase: number,
    /** A store that compares codes (b1) encodes an outside query into the own query's block (at its address). */
    private readonly encodeQuery?: (vector: Float32Array, at: number) => void,
  ) {
    const M = graph.M,
      M0 = 2 * M;
    this.rowOffset = options.rowOffset ?? 0;
    this.rowBytes = dim * 4;
    // Room for a seeded merge with `expand`, as the core's Searcher: every hint and its level-0 neighbours.
    this.maxEntries = M0 * (M0 + 2);
    const parts: Array<[StateField | 'own', number]> = [
      ['own', dim * 4],
      ['entries', this.maxEntries * 4],
      ['ids', M0 * 4],
      ['chosen', (M0 + 1) * 4],
      ['chosenDists', (M0 + 1) * 4],
      ['pruneRows', (M0 + 1) * 4],
      ['pruneDists', (M0 + 1) * 4],
      ['prunedRows', (M0 + 1) * 4],
      ['prunedDists', (M0 + 1) * 4],
    ];
    const bytes = parts.reduce((sum, [, b]) => sum + align(b, 16), align(STATE_BYTES, 16));
    this.fixed = memory.allocate(bytes);
    const buffer = this.fixed.buffer;
    this.at = this.fixed.byteOffset;
    this.i32 = new Int32Array(buffer, this.at, STATE_BYTES / 4);
    this.u32 = new Uint32Array(buffer, this.at, STATE_BYTES / 4);
    this.f32 = new Float32Array(buffer, this.at, STATE_BYTES / 4);
    this.f64 = new Float64Array(buffer, this.at, STATE_BYTES / 8);
    let next = this.at + align(STATE_BYTES, 16);
    let own = 0;
    for (const [name, b] of parts) {
      if (name === 'own') own = next;
      else this.set(name, next);
      next += align(b, 16);
    }
    this.set('ownQuery', own);
    this.query = new Float32Array(buffer, own, dim);
    this.entries = new Int32Array(buffer, this.address('entries'), this.maxEntries);
    this.set('M', M);
    this.set('dim', dim);
    this.set('queryRow', -1);
    this.set('efConstruction', options.efConstruction);
    this.set('locking', options.locking ? 1 : 0);
    this.set('timing', options.timing ? 1 : 0);
    this.set('errorRow', -1);
    const cand = memory.allocate(INITIAL_CANDIDATES * 8);
    this.set('cand', cand.byteOffset);
    this.set('candCap', INITIAL_CANDIDATES);
    this.rebase(vecBase);
    this.bind(graph);
    this.fitResults(options.efConstruction);
  }

  get bestDist(): number {
    return this.f32[STATE.bestDist >> 2];
  }

  /** Point the state at the graph's regions; visited tags follow its capacity (zeroed, epochs restart). */
  bind(graph: GraphLayout): void {
    this.live();
    if (graph.M !== this.i32[STATE.M >> 2])
      throw new RangeError(`bind: the graph has M = ${graph.M}, the traversal was made for M = ${this.i32[STATE.M >> 2]}`);
    for (const name of REGIONS) this.set(name, graph[name].byteOffset);
    if (!this.visited || this.i32[STATE.capacity >> 2] < graph.capacity) {
      if (this.visited) this.memory.release(this.visited);
      this.visited = this.memory.allocate(graph.capacity * 4);
      this.set('visited', this.visited.byteOffset);
      this.set('capacity', graph.capacity);
      this.set('epoch', 0);
    }
  }

  /** The vectors start at `vecBase` now (the space grew and moved them). */
  rebase(vecBase: number): void {
    this.set('base', vecBase + this.rowOffset * this.rowBytes);
  }

  setQuery(vector: Float32Array): void {
    this.live();
    if (this.encodeQuery) this.encodeQuery(vector, this.query.byteOffset);
    else {
      this.query.set(vector.length === this.dim ? vector : vector.subarray(0, this.dim));
      if (this.normalise) normaliseInPlace(this.query, 0, this.dim);
    }
    this.set('queryRow', -1);
  }

  setQueryRow(row: number): void {
    this.live();
    this.set('queryRow', row);
  }

  distance(row: number): number {
    this.live();
    return this.fns.distance(this.at, row);
  }

  descend(entry: number, entryDist: number, top: number, bottom: number): number {
    this.live();
    return this.fns.descend(this.at, entry, entryDist, top, bottom);
  }

  searchLayer(entry: number, entryDist: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number {
    this.fitResults(ef);
    return this.fns.searchLayer(this.at, entry, entryDist, ef, level, skipDeleted, exclude);
  }

  searchLayerFrom(count: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number {
    // The guard keeps a too-large count from reading past the entries into other scratch.
    if (count > this.maxEntries) throw new RangeError(`searchLayerFrom(${count}) exceeds the traversal's maxEntries ${this.maxEntries}`);
    this.fitResults(ef);
    return this.fns.searchLayerFrom(this.at, count, ef, level, skipDeleted, exclude);
  }

  search(ef: number, skipDeleted: boolean): number {
    this.fitResults(ef);
    return this.fns.search(this.at, ef, skipDeleted);
  }

  /**
   * Rows the following searches may return (bit r of word r >> 5; rows past the array are left out),
   * or null for all; applied only with skipDeleted, as the core's Searcher does. The module reads the
   * bitset from its own memory, so it is copied into scratch here (re-carved, doubling, when a longer
   * one comes) — unless it is the array copied last time, at the same length: the core's compiled
   * filters never change, and searchBatch sets the same one for every query. Do not change an array
   * between two setFilter calls with it.
   */
  setFilter(rows: Uint32Array | null): void {
    this.live();
    if (rows === null) {
      this.set('allow', 0);
      this.set('allowWords', 0);
      return;
    }
    if (!(rows instanceof Uint32Array)) throw new TypeError('setFilter(rows): rows must be a Uint32Array (a bitset over rows) or null');
    const words = rows.length;
    let region = this.filter;
    if (rows !== this.filterFrom || words !== this.filterLength || !region) {
      if (!region || words > this.filterCap) {
        if (region) this.memory.release(region);
        this.filterCap = Math.max(words, this.filterCap * 2, 4);
        region = this.filter = this.memory.allocate(this.filterCap * 4);
      }
      new Uint32Array(region.buffer, region.byteOffset, words).set(rows);
      this.filterFrom = rows;
      this.filterLength = words;
    }
    this.set('allow', region.byteOffset);
    this.set('allowWords', words);
  }

  insert(row: number): void {
    this.live();
    try {
      this.fns.insert(this.at, row);
    } catch (err) {
      const bad = this.i32[STATE.errorRow >> 2];
      if (bad < 0) throw err;
      this.set('errorRow', -1);
      throw new Error(`undo log overflow at row ${bad} (a bug: the log is sized so that it cannot overflow)`, { cause: err });
    }
  }

  drainCounters(into: WorkCounters): void {
    const f64 = this.f64;
    for (const [name, i] of COUNTERS) {
      into[name] += f64[i];
      f64[i] = 0;
    }
  }

  /** Bytes of memory this traversal holds. */
  get scratchBytes(): number {
    if (this.disposed) return 0;
    const filter = this.filter?.byteLength ?? 0;
    return this.fixed.byteLength + (this.visited?.byteLength ?? 0) + (this.results?.byteLength ?? 0) + filter + this.address('candCap') * 8;
  }

  dispose(): void {
    if (this.disposed) return;
    const m = this.memory;
    m.release(this.fixed);
    if (this.visited) m.release(this.visited);
    if (this.results) m.release(this.results);
    if (this.filter) m.release(this.filter);
    this.filterFrom = null;
    // The module may have replaced the candidate heap: release the one the state names.
    m.release({ buffer: this.fixed.buffer, byteOffset: this.address('cand'), byteLength: this.address('candCap') * 8 });
    this.disposed = true;
    m.forget(this);
    this.rows = new Int32Array(0);
    this.dists = new Float32Array(0);
    this.entries = new Int32Array(0);
  }

  /** Room for ef + 1 results (a search holds one more before it evicts), re-carved when a call needs more. */
  private fitResults(ef: number): void {
    this.live();
    if (ef + 1 <= this.resultCap) return;
    const cap = Math.max(ef + 1, this.resultCap * 2);
    if (this.results) this.memory.release(this.results);
    const r = (this.results = this.memory.allocate(cap * 16));
    this.resultCap = cap;
    this.set('res', r.byteOffset);
    this.set('resCap', cap);
    this.set('outRows', r.byteOffset + cap * 8);
    this.set('outDists', r.byteOffset + cap * 12);
    this.rows = new Int32Array(r.buffer, r.byteOffset + cap * 8, cap);
    this.dists = new Float32Array(r.buffer, r.byteOffset + cap * 12, cap);
  }

  private set(field: StateField, value: number): void {
    this.i32[STATE[field] >> 2] = value;
  }

  private address(field: StateField): number {
    return this.u32[STATE[field] >> 2];
  }

  private live(): void {
    if (this.disposed) throw new Error('this traversal was disposed');
  }
}
