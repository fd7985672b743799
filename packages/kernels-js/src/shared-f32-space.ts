import type { DistanceProbe, MemoryRegion, Metric, SpaceHandle, VectorSpace } from '@hnswlab/core/contracts';

/** A probe over a flat Float32Array store; the space swaps `data` when it grows. */
export interface StoreProbe extends DistanceProbe {
  data: Float32Array;
  /** Bytes of scratch the probe holds (ids, out, query buffers). */
  readonly scratchBytes: number;
}

/** Where an attached space finds its rows: the owner's buffer and the view's place in it. */
export interface SharedRegion {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly capacity: number;
}

export interface SharedF32SpaceOptions {
  /** Allocates `floats` float32 over a SharedArrayBuffer (e.g. cache-line aligned). Default: a plain one. */
  readonly allocate?: (floats: number) => Float32Array;
  /** Allocates a zeroed region of shared memory (e.g. cache-line aligned). Default: a plain SharedArrayBuffer. */
  readonly allocateRegion?: (bytes: number) => MemoryRegion;
  /** Attach to rows another thread owns, instead of allocating; such a space never grows. */
  readonly attached?: SharedRegion;
}

const plainShared = (floats: number) => new Float32Array(new SharedArrayBuffer(floats * 4));
const plainRegion = (bytes: number): MemoryRegion => ({ buffer: new SharedArrayBuffer(bytes), byteOffset: 0, byteLength: bytes });

export type ProbeFactory = (space: SharedF32Space, maxBatch: number) => StoreProbe;

/**
 * Rows of float32 in a SharedArrayBuffer, so worker threads read the same memory. Growth allocates a
 * larger buffer, copies, and hands the new view to every probe of this space: no probe keeps a stale view.
 */
export class SharedF32Space implements VectorSpace {
  data: Float32Array;
  private readonly probes: StoreProbe[] = [];
  private readonly allocateRows: (floats: number) => Float32Array;
  private readonly allocateRegion: (bytes: number) => MemoryRegion;
  private readonly attached: boolean;

  constructor(
    readonly kernelName: string,
    readonly dim: number,
    readonly metric: Metric,
    capacity: number,
    private readonly makeProbe: ProbeFactory,
    { allocate = plainShared, allocateRegion = plainRegion, attached }: SharedF32SpaceOptions = {},
  ) {
    this.allocateRows = allocate;
    this.allocateRegion = allocateRegion;
    this.attached = attached !== undefined;
    this.data = attached
      ? new Float32Array(attached.buffer, attached.byteOffset, attached.capacity * dim)
      : allocate(Math.max(1, capacity) * dim);
  }

  get capacity(): number {
    return this.data.length / this.dim;
  }

  get byteLength(): number {
    let scratch = 0;
    for (const p of this.probes) scratch += p.scratchBytes;
    return this.data.buffer.byteLength + scratch;
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    if (this.attached) throw new Error('an attached space cannot grow: reserve capacity in the owning thread first');
    const next = Math.max(rows, Math.ceil(this.capacity * 1.5));
    const data = this.allocateRows(next * this.dim);
    data.set(this.data);
    this.data = data;
    for (const p of this.probes) p.data = data;
  }

  write(firstRow: number, src: Float32Array, count = 1, srcOffset = 0): void {
    const dim = this.dim;
    if (firstRow < 0 || firstRow + count > this.capacity)
      throw new RangeError(`rows ${firstRow}..${firstRow + count} outside capacity ${this.capacity}`);
    const data = this.data;
    data.set(src.subarray(srcOffset, srcOffset + count * dim), firstRow * dim);
    if (this.metric === 'cosine') {
      for (let r = 0; r < count; r++) normaliseInPlace(data, (firstRow + r) * dim, dim);
    }
  }

  read(row: number): Float32Array {
    if (row < 0 || row >= this.capacity) throw new RangeError(`row ${row} outside capacity ${this.capacity}`);
    return this.data.slice(row * this.dim, (row + 1) * this.dim);
  }

  rows(firstRow: number, count: number): Float32Array {
    if (firstRow < 0 || count < 0 || firstRow + count > this.capacity)
      throw new RangeError(`rows ${firstRow}..${firstRow + count} outside capacity ${this.capacity}`);
    return this.data.subarray(firstRow * this.dim, (firstRow + count) * this.dim);
  }

  createProbe(maxBatch: number): DistanceProbe {
    const probe = this.makeProbe(this, maxBatch);
    this.probes.push(probe);
    return probe;
  }

  // Regions are SharedArrayBuffers of their own: any thread may allocate one, the GC frees them.
  allocate(byteLength: number): MemoryRegion {
    return this.allocateRegion(byteLength);
  }

  resize(region: MemoryRegion, byteLength: number): MemoryRegion {
    const next = this.allocateRegion(byteLength);
    const n = Math.min(region.byteLength, byteLength);
    new Uint8Array(next.buffer, next.byteOffset, n).set(new Uint8Array(region.buffer, region.byteOffset, n));
    return next;
  }

  release(_region: MemoryRegion): void {}

  handle(): SpaceHandle {
    return {
      kernel: this.kernelName,
      dim: this.dim,
      metric: this.metric,
      capacity: this.capacity,
      buffer: this.data.buffer,
      byteOffset: this.data.byteOffset,
    };
  }

  dispose(): void {
    this.probes.length = 0;
    this.data = new Float32Array(0);
  }
}

/** Scale dim floats at offset to unit length (in float64, then stored as float32). Zero vectors are rejected before this. */
export function normaliseInPlace(v: Float32Array, offset: number, dim: number): void {
  let s = 0;
  for (let j = 0; j < dim; j++) s += v[offset + j] * v[offset + j];
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let j = 0; j < dim; j++) v[offset + j] *= inv;
}
