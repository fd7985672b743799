import type { SimdPath } from './simd-path.js';

/** A probe's native half: the C++ state behind it caches the addresses of ids, out, query and the store. */
export interface NativeProbeHandle {
  readonly path: SimdPath;
  /** Point the probe at a store (called again after every growth); holds a reference to it. */
  bind(data: Float32Array): void;
  /** out[i] = distance(query, ids[i]) for i < count; RangeError on a bad count or id. */
  toRows(count: number): void;
  /** distance(query, row), without touching out. */
  toRow(row: number): number;
  /** Copy a stored row into the query buffers (float32 and float64). */
  setQueryRow(row: number): void;
  /** out[i] = distance(stored row, ids[i]) for i < count, leaving the query as it was. */
  rowToRows(row: number, count: number): void;
  /** The first i < count with distance(stored row, ids[i]) < bound, or count. */
  firstNearer(row: number, count: number, bound: number): number;
}

/** A quantised store's probe, native half (native/src/code-probe.cc): NativeProbeHandle's calls over codes. */
export interface NativeCodeProbeHandle extends Omit<NativeProbeHandle, 'bind'> {
  /** Which code runs the distances: 'avx2' (also on the avx512 path) or 'scalar' (a CPU without F16C or POPCNT). */
  readonly kernel: 'avx2' | 'scalar';
  /** Point the probe at the codes, i8's P per row and the quantiser's C, s, s² (again after every growth). */
  bind(codes: Uint8Array, terms: Float64Array, C: number, s: number, s2: number): void;
  /** The query buffers hold an outside query (f16: float32; i8, b1: its codes); `p` is i8's P of it (else 0). */
  setQuery(p: number): void;
}

/** How a fused traversal is made (native/src/traversal-binding.cc). */
export interface NativeTraversalConfig {
  readonly path: SimdPath;
  readonly formula: 'l2' | 'dot';
  readonly dim: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly locking: boolean;
  readonly timing: boolean;
  /** Software prefetch in the beam search (link lists, visited tags, rows two ahead). */
  readonly prefetch: boolean;
  readonly rowOffset: number;
}

/**
 * A fused traversal's native half: the C++ state caches the addresses of the query, entries, state,
 * results, graph regions and store. The search calls throw a RangeError on a bad argument and an
 * Error on a corrupt graph or an undo-log overflow; each adds its work into `state` first.
 */
export interface NativeTraversalHandle {
  bindGraph(
    capacity: number,
    header: Int32Array,
    levels: Uint8Array,
    links0: Int32Array,
    upperOffset: Int32Array,
    upper: Int32Array,
    deleted: Uint8Array,
    locks: Int32Array,
    touched: Uint32Array,
    undo: Int32Array,
  ): void;
  bindStore(data: Float32Array): void;
  bindResults(rows: Int32Array, dists: Float32Array): void;
  setQueryRow(row: number): void;
  distance(row: number): number;
  descend(entry: number, entryDist: number, top: number, bottom: number): number;
  searchLayer(entry: number, entryDist: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number;
  searchLayerFrom(count: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number;
  search(ef: number, skipDeleted: boolean): number;
  /**
   * Rows searches with skipDeleted may return (a bitset over rows), used in place and held while set;
   * null clears it. TypeError for anything but a Uint32Array or null.
   */
  setFilter(rows: Uint32Array | null): void;
  insert(row: number): void;
  scratchBytes(): number;
  /** Free the scratch and drop every reference; later calls throw. */
  release(): void;
}

/** What build/Release/hnswlab_native.node exports (native/src/addon.cc). */
export interface NativeAddon {
  /** The paths this CPU runs, fastest first; always ends with 'scalar'. */
  supportedPaths(): SimdPath[];
  /** The address of the view's first byte modulo 64, so views can be placed on cache lines. */
  addressMod64(view: ArrayBufferView): number;
  /**
   * A probe over `dim`-float rows: `formula` 'l2' (squared Euclidean, float32 arithmetic) or 'dot'
   * (1 − dot, float64 arithmetic). `ids`, `out` and the query (the same values as float32 and as
   * float64) are allocated once by the caller; their addresses are cached.
   */
  createProbe(
    path: SimdPath,
    formula: 'l2' | 'dot',
    dim: number,
    ids: Int32Array,
    out: Float32Array,
    query32: Float32Array,
    query64: Float64Array,
  ): NativeProbeHandle;
  /**
   * A probe over a quantised store's codes. The query lives in `query32`/`query64` (f16) or
   * `queryCodes` (i8, b1, a row's code bytes), allocated once by the caller like ids and out.
   */
  createCodeProbe(
    path: SimdPath,
    store: 'f16' | 'i8' | 'b1',
    formula: 'l2' | 'dot',
    dim: number,
    ids: Int32Array,
    out: Float32Array,
    query32: Float32Array,
    query64: Float64Array,
    queryCodes: Uint8Array,
  ): NativeCodeProbeHandle;
  /**
   * A fused traversal. The query (float32 and float64), `entries` and `state` (Float64Array: distance
   * evaluations, nodes visited, the three phase timers, lock spins, lock wait, then bestDist) are
   * allocated once by the caller; graph, store and results are bound through the handle.
   */
  createTraversal(
    config: NativeTraversalConfig,
    query32: Float32Array,
    query64: Float64Array,
    entries: Int32Array,
    state: Float64Array,
  ): NativeTraversalHandle;
}
