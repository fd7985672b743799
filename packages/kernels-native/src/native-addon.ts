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
}
