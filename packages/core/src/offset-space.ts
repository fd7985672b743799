import type { DistanceProbe, MemoryRegion, Metric, ProbeOptions, SpaceHandle, VectorSpace } from './contracts.js';

/**
 * Rows [base, …) of a space seen as rows [0, …): a segment's private graph numbers its rows from 0
 * while the vectors stay where the batch stored them, uncopied. Read-only; regions are the inner
 * space's. (Fused traversals take the offset themselves: TraversalOptions.rowOffset.)
 */
export class OffsetSpace implements VectorSpace {
  constructor(
    private readonly inner: VectorSpace,
    private readonly base: number,
  ) {}

  get dim(): number {
    return this.inner.dim;
  }

  get metric(): Metric {
    return this.inner.metric;
  }

  get capacity(): number {
    return this.inner.capacity - this.base;
  }

  get byteLength(): number {
    return 0;
  }

  reserve(): void {
    throw new Error('an offset view of a space cannot grow');
  }

  write(): void {
    throw new Error('an offset view of a space is read-only');
  }

  read(row: number): Float32Array {
    return this.inner.read(row + this.base);
  }

  rows(firstRow: number, count: number): Float32Array {
    return this.inner.rows(firstRow + this.base, count);
  }

  createProbe(maxBatch: number, options?: ProbeOptions): DistanceProbe {
    return new OffsetProbe(this.inner.createProbe(maxBatch, options), this.base);
  }

  allocate(byteLength: number): MemoryRegion {
    return this.inner.allocate(byteLength);
  }

  resize(region: MemoryRegion, byteLength: number): MemoryRegion {
    return this.inner.resize(region, byteLength);
  }

  release(region: MemoryRegion): void {
    this.inner.release(region);
  }

  handle(): SpaceHandle {
    throw new Error('an offset view of a space cannot be posted to a worker');
  }

  dispose(): void {}
}

/** Shifts ids by `base` on their way into the inner probe: one pass over at most maxBatch ints per call. */
class OffsetProbe implements DistanceProbe {
  ids: Int32Array;

  constructor(
    private readonly inner: DistanceProbe,
    private readonly base: number,
  ) {
    this.ids = new Int32Array(inner.maxBatch);
  }

  get out(): Float32Array {
    return this.inner.out;
  }

  set out(out: Float32Array) {
    this.inner.out = out;
  }

  get maxBatch(): number {
    return this.inner.maxBatch;
  }

  setQuery(vector: Float32Array, offset?: number): void {
    this.inner.setQuery(vector, offset);
  }

  setQueryRow(row: number): void {
    this.inner.setQueryRow(row + this.base);
  }

  toRows(count: number): void {
    this.shiftIds(count);
    this.inner.toRows(count);
  }

  rowToRows(row: number, count: number): void {
    this.shiftIds(count);
    this.inner.rowToRows(row + this.base, count);
  }

  firstNearer(row: number, count: number, bound: number): number {
    this.shiftIds(count);
    return this.inner.firstNearer(row + this.base, count, bound);
  }

  private shiftIds(count: number): void {
    const src = this.ids,
      dst = this.inner.ids,
      base = this.base;
    for (let i = 0; i < count; i++) dst[i] = src[i] + base;
  }

  toRow(row: number): number {
    return this.inner.toRow(row + this.base);
  }
}
