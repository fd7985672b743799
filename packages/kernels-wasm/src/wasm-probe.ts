import type { DistanceProbe } from '@hnswlab/core/contracts';
import type { FirstNearerFn, RowFn, RowsFn } from './kernel-module.js';
import { align } from './space-memory.js';
import { normaliseInPlace } from '@hnswlab/kernels-js';

/**
 * One thread's batched distance calls, with ids, out and its own query in the space's memory at a
 * fixed address, so toRows(n) is a single call into wasm with no copy either way. The metric's
 * functions are chosen once, at construction.
 */
export class WasmProbe implements DistanceProbe {
  ids!: Int32Array;
  out!: Float32Array;
  private query!: Float32Array;
  /** Byte address of this probe's scratch block (ids, then out, then query). */
  readonly scratchAt: number;
  private readonly idsAt: number;
  private readonly outAt: number;
  private readonly queryAt: number;
  private readonly rowBytes: number;
  /** Byte address of row 0, and of the current query (the own query, or a stored row). */
  private base = 0;
  private q: number;
  /** The stored row used as the query, or −1 for the own query: a row's address moves if the vectors do. */
  private qRow = -1;

  constructor(
    readonly maxBatch: number,
    at: number,
    private readonly dim: number,
    private readonly normalise: boolean,
    private rows: RowsFn,
    private row: RowFn,
    private nearer: FirstNearerFn,
  ) {
    this.scratchAt = at;
    this.idsAt = at;
    this.outAt = at + align(maxBatch * 4, 16);
    this.queryAt = this.outAt + align(maxBatch * 4, 16);
    this.rowBytes = dim * 4;
    this.q = this.queryAt;
  }

  /** Point the views at `buffer` (after the memory grew) and rows at `base` (after the vectors moved). */
  rebind(buffer: ArrayBuffer | SharedArrayBuffer, base: number): void {
    this.ids = new Int32Array(buffer, this.idsAt, this.maxBatch);
    this.out = new Float32Array(buffer, this.outAt, this.maxBatch);
    this.query = new Float32Array(buffer, this.queryAt, this.dim);
    this.base = base;
    if (this.qRow >= 0) this.q = base + this.qRow * this.rowBytes;
  }

  /** Bytes of scratch this probe holds in the memory. */
  get scratchBytes(): number {
    return this.queryAt + align(this.dim * 4, 16) - this.idsAt;
  }

  /** After the space's dispose: the scratch may belong to another probe next, so no call may touch it. */
  retire(): void {
    this.ids = new Int32Array(0);
    this.out = new Float32Array(0);
    this.query = new Float32Array(0);
    this.rows =
      this.row =
      this.nearer =
        () => {
          throw new Error('this probe belongs to a disposed space');
        };
  }

  setQuery(vector: Float32Array, offset = 0): void {
    const dim = this.dim;
    this.query.set(offset === 0 && vector.length === dim ? vector : vector.subarray(offset, offset + dim));
    if (this.normalise) normaliseInPlace(this.query, 0, dim);
    this.q = this.queryAt;
    this.qRow = -1;
  }

  setQueryRow(row: number): void {
    this.q = this.base + row * this.rowBytes;
    this.qRow = row;
  }

  toRows(count: number): void {
    // The guard keeps a too-large count from writing over another probe's scratch.
    if (count > this.maxBatch) throw new RangeError(`toRows(${count}) exceeds the probe's maxBatch ${this.maxBatch}`);
    this.rows(this.q, this.base, this.dim, this.idsAt, this.outAt, count);
  }

  toRow(row: number): number {
    return this.row(this.q, this.base + row * this.rowBytes, this.dim);
  }

  rowToRows(row: number, count: number): void {
    if (count > this.maxBatch) throw new RangeError(`rowToRows(${count}) exceeds the probe's maxBatch ${this.maxBatch}`);
    this.rows(this.base + row * this.rowBytes, this.base, this.dim, this.idsAt, this.outAt, count);
  }

  firstNearer(row: number, count: number, bound: number): number {
    if (count > this.maxBatch) throw new RangeError(`firstNearer(${count}) exceeds the probe's maxBatch ${this.maxBatch}`);
    return this.nearer(this.base + row * this.rowBytes, this.base, this.dim, this.idsAt, count, bound);
  }
}
