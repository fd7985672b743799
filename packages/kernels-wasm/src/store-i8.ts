import type { Metric, Quantiser } from '@hnswlab/core/contracts';
import { centreDot, encodeI8, normaliseInPlace } from '@hnswlab/kernels-js';
import { WasmCodeSpace, type WasmCodeSpaceHandle } from './code-space.js';
import type { I8FirstNearerFn, I8RowFn, I8RowsFn } from './kernel-module.js';

/**
 * The 'i8' store: codes by the reference's encodeI8; under ip and cosine each row keeps its
 * P = Σ c_j·q_j (float64, j ascending, the reference's centreDot) in the terms region, computed once
 * per write. Distances by assembly/i8.ts: exact integer sums in i32 lanes, then the contract's float64
 * combination with C, s, s² (set with the quantiser) and one rounding: bit-exact to the reference.
 */
export class WasmI8Space extends WasmCodeSpace {
  readonly decodesRows = false;
  readonly queryBytes: number;
  private s = 0;
  private s2 = 0;
  private C = 0;
  private readonly dot: boolean;
  private readonly floats: Float32Array;
  private termsView: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private readonly rowsFn: I8RowsFn;
  private readonly rowFn: I8RowFn;
  private readonly nearerFn: I8FirstNearerFn;

  constructor(
    kernelName: string,
    module: object,
    dim: number,
    metric: Metric,
    capacity: number,
    keep: boolean,
    quantiser?: Quantiser | null,
    from?: WasmCodeSpaceHandle,
  ) {
    // i32 lanes: each sums dim/4 terms of at most 254² (assembly/i8.ts).
    if (dim >= 133_000) throw new RangeError(`the wasm i8 store sums in int32 lanes: dim must be below 133,000, got ${dim}`);
    super(kernelName, module, dim, metric, capacity, keep, { store: 'i8', codeBytes: dim, termsPerRow: metric === 'l2' ? 0 : 1 }, from);
    this.dot = metric !== 'l2';
    this.queryBytes = dim;
    this.floats = new Float32Array(dim);
    const k = this.kernels;
    [this.rowsFn, this.rowFn, this.nearerFn] = this.dot
      ? [k.i8DotRows, k.i8DotRow, k.i8DotFirstNearer]
      : [k.i8L2Rows, k.i8L2Row, k.i8L2FirstNearer];
    this.init(quantiser);
  }

  protected override quantiserSet(): void {
    const q = this.quantiser!;
    this.s = q.scale;
    this.s2 = q.scale * q.scale;
    let C = 0;
    for (let j = 0; j < this.dim; j++) C += q.centre[j] * q.centre[j];
    this.C = C;
  }

  private rowCodes(row: number): Int8Array {
    return new Int8Array(this.buffer(), this.codesAt + row * this.dim, this.dim);
  }

  protected encode(src: Float32Array, off: number, row: number): boolean {
    return encodeI8(src, off, this.dim, this.quantiser!, this.rowCodes(row), 0);
  }

  protected override derive(row: number): void {
    if (this.dot) this.terms()[row] = centreDot(this.quantiser!.centre, this.rowCodes(row), 0, this.dim);
  }

  /** The rows' P terms, a view re-made only when growth moved or widened them. */
  private terms(): Float64Array {
    const buffer = this.buffer();
    if (this.termsView.buffer !== buffer || this.termsView.byteOffset !== this.termsAt || this.termsView.length !== this.capacity)
      this.termsView = new Float64Array(buffer, this.termsAt, this.capacity);
    return this.termsView;
  }

  protected decode(row: number, out: Float32Array): void {
    const { centre, scale } = this.quantiser!;
    const codes = this.rowCodes(row);
    for (let j = 0; j < this.dim; j++) out[j] = centre[j] + scale * codes[j];
  }

  encodeQuery(vector: Float32Array, offset: number, at: number): number {
    // No quantiser yet means no rows yet: nothing to compare the query with.
    if (!this.quantiser) return 0;
    this.floats.set(vector.subarray(offset, offset + this.dim));
    if (this.metric === 'cosine') normaliseInPlace(this.floats, 0, this.dim);
    const codes = new Int8Array(this.buffer(), at, this.dim);
    encodeI8(this.floats, 0, this.dim, this.quantiser, codes, 0);
    return this.dot ? centreDot(this.quantiser.centre, codes, 0, this.dim) : 0;
  }

  rowQuery(row: number): number {
    return this.codesAt + row * this.dim;
  }

  override termOf(row: number): number {
    return this.dot ? this.terms()[row] : 0;
  }

  distRows(q: number, p: number, ids: number, out: number, count: number): void {
    this.rowsFn(q, p, this.codesAt, this.termsAt, this.dim, ids, out, count, this.C, this.s, this.s2);
  }

  distRow(q: number, p: number, row: number): number {
    return this.rowFn(q, p, this.codesAt, this.termsAt, this.dim, row, this.C, this.s, this.s2);
  }

  distNearer(q: number, p: number, ids: number, count: number, bound: number): number {
    return this.nearerFn(q, p, this.codesAt, this.termsAt, this.dim, ids, count, bound, this.C, this.s, this.s2);
  }
}
