import type { Metric } from '@hnswlab/core/contracts';
import { normaliseInPlace, type StoreProbe } from '@hnswlab/kernels-js';
import { alignedShared } from './aligned-shared.js';
import type { NativeAddon, NativeProbeHandle } from './native-addon.js';
import type { SimdPath } from './simd-path.js';

/**
 * A probe whose distances run in the addon, straight over the space's SharedArrayBuffer. ids, out
 * and the query live in buffers allocated here once; the addon caches their addresses, and the
 * `data` setter (which the space calls when it grows) re-binds the store address. No call copies a
 * stored vector or allocates.
 */
export class NativeProbe implements StoreProbe {
  ids: Int32Array;
  out: Float32Array;
  private readonly query32: Float32Array;
  private readonly query64: Float64Array;
  private readonly native: NativeProbeHandle;
  private readonly dim: number;
  private readonly normalise: boolean;
  private store: Float32Array;

  constructor(
    space: { readonly dim: number; readonly metric: Metric; readonly data: Float32Array },
    readonly maxBatch: number,
    addon: NativeAddon,
    path: SimdPath,
  ) {
    this.dim = space.dim;
    this.normalise = space.metric === 'cosine';
    // SharedArrayBuffers: off the JS heap (the cached addresses never move) and impossible to
    // detach by a transfer, so the addon never reads memory that was handed away. The query starts
    // on a cache line: it is read once per distance.
    this.ids = alignedShared(Int32Array, maxBatch, addon);
    this.out = alignedShared(Float32Array, maxBatch, addon);
    this.query32 = alignedShared(Float32Array, this.dim, addon);
    this.query64 = alignedShared(Float64Array, this.dim, addon);
    const formula = space.metric === 'l2' ? 'l2' : 'dot';
    this.native = addon.createProbe(path, formula, this.dim, this.ids, this.out, this.query32, this.query64);
    this.store = space.data;
    this.native.bind(this.store);
  }

  get scratchBytes(): number {
    // ids, out, the query in float32 and float64, and the addon's pair query in both precisions.
    return this.ids.byteLength + this.out.byteLength + this.dim * 24;
  }

  get data(): Float32Array {
    return this.store;
  }

  set data(data: Float32Array) {
    this.store = data;
    this.native.bind(data);
  }

  setQuery(vector: Float32Array, offset = 0): void {
    const q = this.query32,
      q64 = this.query64,
      dim = this.dim;
    for (let j = 0; j < dim; j++) q[j] = vector[offset + j];
    if (this.normalise) normaliseInPlace(q, 0, dim);
    for (let j = 0; j < dim; j++) q64[j] = q[j];
  }

  setQueryRow(row: number): void {
    this.native.setQueryRow(row);
  }

  toRows(count: number): void {
    this.native.toRows(count);
  }

  toRow(row: number): number {
    return this.native.toRow(row);
  }

  rowToRows(row: number, count: number): void {
    this.native.rowToRows(row, count);
  }

  firstNearer(row: number, count: number, bound: number): number {
    return this.native.firstNearer(row, count, bound);
  }
}
