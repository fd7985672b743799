import type { DistanceProbe } from '@hnswlab/core/contracts';
import type { WasmCodeSpace } from './code-space.js';
import { align } from './space-memory.js';

/**
 * A quantised space's batched distance calls: ids, out, its own query (encoded codes, or float32 for
 * f16) and, for f16, a decoded stored row, all in the space's memory at fixed addresses, so toRows(n)
 * is one call into the module (WasmProbe's shape). The space computes: this class keeps the query.
 * A stored row as the query is re-resolved per call (growth moves the codes) unless the store decodes
 * it (f16: decoded once into the own query, as the reference does).
 */
export class CodeProbe implements DistanceProbe {
  ids!: Int32Array;
  out!: Float32Array;
  private readonly idsAt: number;
  private readonly outAt: number;
  private readonly queryAt: number;
  /** f16: where rowToRows/firstNearer decode their row (the query stays as it is). */
  private readonly otherAt: number;
  /** The stored row used as the query (codes read in place), or −1 for the own query. */
  private qRow = -1;
  /** The own query's P (i8 under ip/cosine). */
  private qP = 0;
  private space: WasmCodeSpace | null;

  /** Bytes of a probe's scratch: ids, out, the own query, a decoded row (f16). */
  static bytes(maxBatch: number, queryBytes: number, otherBytes: number): number {
    return 2 * align(maxBatch * 4, 16) + align(queryBytes, 16) + align(otherBytes, 16);
  }

  constructor(
    space: WasmCodeSpace,
    readonly maxBatch: number,
    readonly scratchAt: number,
    readonly scratchBytes: number,
    buffer: ArrayBuffer | SharedArrayBuffer,
  ) {
    this.space = space;
    this.idsAt = scratchAt;
    this.outAt = this.idsAt + align(maxBatch * 4, 16);
    this.queryAt = this.outAt + align(maxBatch * 4, 16);
    this.otherAt = this.queryAt + align(space.queryBytes, 16);
    // A shared memory's buffers are never detached, so these views stay valid as it grows.
    this.ids = new Int32Array(buffer, this.idsAt, maxBatch);
    this.out = new Float32Array(buffer, this.outAt, maxBatch);
  }

  /** After the space's dispose: the scratch may belong to another probe next. */
  retire(): void {
    this.ids = new Int32Array(0);
    this.out = new Float32Array(0);
    this.space = null;
  }

  setQuery(vector: Float32Array, offset = 0): void {
    this.qP = this.live().encodeQuery(vector, offset, this.queryAt);
    this.qRow = -1;
  }

  setQueryRow(row: number): void {
    const s = this.live();
    if (s.decodesRows) {
      s.rowQuery(row, this.queryAt);
      this.qP = 0;
      this.qRow = -1;
    } else this.qRow = row;
  }

  toRows(count: number): void {
    this.check(count, 'toRows');
    const s = this.live();
    s.distRows(this.q(s), this.p(s), this.idsAt, this.outAt, count);
  }

  toRow(row: number): number {
    const s = this.live();
    return s.distRow(this.q(s), this.p(s), row);
  }

  rowToRows(row: number, count: number): void {
    this.check(count, 'rowToRows');
    const s = this.live();
    s.distRows(s.rowQuery(row, this.otherAt), s.termOf(row), this.idsAt, this.outAt, count);
  }

  firstNearer(row: number, count: number, bound: number): number {
    this.check(count, 'firstNearer');
    const s = this.live();
    return s.distNearer(s.rowQuery(row, this.otherAt), s.termOf(row), this.idsAt, count, bound);
  }

  private q(s: WasmCodeSpace): number {
    return this.qRow >= 0 ? s.rowQuery(this.qRow, this.otherAt) : this.queryAt;
  }

  private p(s: WasmCodeSpace): number {
    return this.qRow >= 0 ? s.termOf(this.qRow) : this.qP;
  }

  private live(): WasmCodeSpace {
    if (!this.space) throw new Error('this probe belongs to a disposed space');
    return this.space;
  }

  // The guard keeps a too-large count from writing over another probe's scratch.
  private check(count: number, what: string): void {
    if (count > this.maxBatch) throw new RangeError(`${what}(${count}) exceeds the probe's maxBatch ${this.maxBatch}`);
  }
}
