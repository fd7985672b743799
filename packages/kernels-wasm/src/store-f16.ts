import type { Metric } from '@hnswlab/core/contracts';
import { encodeF16, halfTable, normaliseInPlace } from '@hnswlab/kernels-js';
import { WasmCodeSpace, type WasmCodeSpaceHandle } from './code-space.js';
import type { FirstNearerFn, RowFn, RowsFn } from './kernel-module.js';

/**
 * The 'f16' store: binary16 codes (encoded by the reference's encodeF16, round to nearest, ties to
 * even, clamped to ±65504), compared with the float32 query by assembly/f16.ts, which decodes in the
 * SIMD loop and sums in float32 lanes as the f32 kernel does (within the metric's tolerance).
 */
export class WasmF16Space extends WasmCodeSpace {
  readonly decodesRows = true;
  readonly queryBytes: number;
  private readonly rowsFn: RowsFn;
  private readonly rowFn: RowFn;
  private readonly nearerFn: FirstNearerFn;

  constructor(
    kernelName: string,
    module: object,
    dim: number,
    metric: Metric,
    capacity: number,
    keep: boolean,
    from?: WasmCodeSpaceHandle,
  ) {
    super(kernelName, module, dim, metric, capacity, keep, { store: 'f16', codeBytes: dim * 2, termsPerRow: 0 }, from);
    this.queryBytes = dim * 4;
    const k = this.kernels;
    [this.rowsFn, this.rowFn, this.nearerFn] =
      metric === 'l2' ? [k.f16L2Rows, k.f16L2Row, k.f16L2FirstNearer] : [k.f16DotRows, k.f16DotRow, k.f16DotFirstNearer];
    this.init(null);
  }

  private halves(): Uint16Array {
    return new Uint16Array(this.buffer(), this.codesAt, this.capacity * this.dim);
  }

  protected encode(src: Float32Array, off: number, row: number): boolean {
    return encodeF16(src, off, this.dim, this.halves(), row * this.dim);
  }

  protected decode(row: number, out: Float32Array): void {
    const h = this.halves(),
      t = halfTable();
    for (let j = 0, at = row * this.dim; j < this.dim; j++, at++) out[j] = t[h[at]];
  }

  encodeQuery(vector: Float32Array, offset: number, at: number): number {
    // An outside query stays float32 (normalised under cosine), as the contract says.
    const q = new Float32Array(this.buffer(), at, this.dim);
    q.set(vector.subarray(offset, offset + this.dim));
    if (this.metric === 'cosine') normaliseInPlace(q, 0, this.dim);
    return 0;
  }

  rowQuery(row: number, scratch: number): number {
    this.kernels.f16Decode(this.codesAt + row * this.codeBytes, scratch, this.dim);
    return scratch;
  }

  distRows(q: number, _p: number, ids: number, out: number, count: number): void {
    this.rowsFn(q, this.codesAt, this.dim, ids, out, count);
  }

  distRow(q: number, _p: number, row: number): number {
    return this.rowFn(q, this.codesAt + row * this.codeBytes, this.dim);
  }

  distNearer(q: number, _p: number, ids: number, count: number, bound: number): number {
    return this.nearerFn(q, this.codesAt, this.dim, ids, count, bound);
  }
}
