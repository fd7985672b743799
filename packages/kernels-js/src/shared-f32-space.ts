import type {
  DistanceProbe,
  FusedTraversal,
  GraphLayout,
  MemoryRegion,
  Metric,
  SpaceHandle,
  TraversalOptions,
  VectorSpace,
} from '@hnswlab/core/contracts';

/** A probe over a flat Float32Array store; the space swaps `data` when it grows. */
export interface StoreProbe extends DistanceProbe {
  data: Float32Array;
  /** Bytes of scratch the probe holds (ids, out, query buffers). */
  readonly scratchBytes: number;
}

/** A fused traversal over a flat Float32Array store; the space swaps `data` when it grows, as it does a probe's. */
export interface StoreTraversal extends FusedTraversal {
  data: Float32Array;
  /** Bytes of scratch the traversal holds. */
  readonly scratchBytes: number;
  /** True once disposed: the space stops re-pointing it. */
  readonly disposed: boolean;
}

/** Makes a kernel's fused traversal over this space's rows (kernels that fuse pass one to the space). */
export type TraversalFactory = (space: SharedF32Space, graph: GraphLayout, options: TraversalOptions) => StoreTraversal;

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
  /** The kernel fuses traversal: the space then has createTraversal, and re-points its traversals on growth. */
  readonly makeTraversal?: TraversalFactory;
}

const plainShared = (floats: number) => new Float32Array(new SharedArrayBuffer(floats * 4));
const plainRegion = (bytes: number): MemoryRegion => ({ buffer: new SharedArrayBuffer(bytes), byteOffset: 0, byteLength: bytes });

export type ProbeFactory = (space: SharedF32Space, maxBatch: number) => StoreProbe;

/**
 * Rows of float32 in a SharedArrayBuffer, so worker threads read the same memory. Growth allocates a
 * larger buffer, copies, and hands the new view to every probe and traversal of this space: none
 * keeps a stale view.
 */
export class SharedF32Space implements VectorSpace {
  data: Float32Array;
  /** Present when the kernel fuses traversal (it passed `makeTraversal`). */
  readonly createTraversal: ((graph: GraphLayout, options: TraversalOptions) => FusedTraversal) | undefined;
  private readonly probes: StoreProbe[] = [];
  // Pruned in place, never reassigned: a space seen through Object.create (a test wrapper) shares it.
  private readonly traversals: StoreTraversal[] = [];
  private readonly allocateRows: (floats: number) => Float32Array;
  private readonly allocateRegion: (bytes: number) => MemoryRegion;
  private readonly attached: boolean;

  constructor(
    readonly kernelName: string,
    readonly dim: number,
    readonly metric: Metric,
    capacity: number,
    private readonly makeProbe: ProbeFactory,
    { allocate = plainShared, allocateRegion = plainRegion, attached, makeTraversal }: SharedF32SpaceOptions = {},
  ) {
    this.allocateRows = allocate;
    this.allocateRegion = allocateRegion;
    this.attached = attached !== undefined;
    this.data = attached
      ? new Float32Array(attached.buffer, attached.byteOffset, attached.capacity * dim)
      : allocate(Math.max(1, capacity) * dim);
    this.createTraversal = makeTraversal && ((graph, options) => this.track(makeTraversal(this, graph, options)));
  }

  private track(traversal: StoreTraversal): StoreTraversal {
    this.liveTraversals().push(traversal);
    return traversal;
  }

  /** The traversals not yet disposed (the disposed ones are dropped). */
  private liveTraversals(): StoreTraversal[] {
    const all = this.traversals;
    let n = 0;
    for (const t of all) if (!t.disposed) all[n++] = t;
    all.length = n;
    return all;
  }

  get capacity(): number {
    return this.data.length / this.dim;
  }

  get byteLength(): number {
    let scratch = 0;
    for (const p of this.probes) scratch += p.scratchBytes;
    for (const t of this.traversals) if (!t.disposed) scratch += t.scratchBytes;
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
    for (const t of this.liveTraversals()) t.data = data;
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
    this.traversals.length = 0;
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
