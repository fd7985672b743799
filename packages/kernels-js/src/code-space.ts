import type {
  DistanceProbe,
  MemoryRegion,
  Metric,
  ProbeOptions,
  Quantiser,
  QuantisedSpace,
  SpaceHandle,
  VectorStore,
} from '@hnswlab/core/contracts';
import { DotProbe, L2Probe, type F32Rows } from './scalar-probes.js';
import { normaliseInPlace, type StoreProbe } from './shared-f32-space.js';

/** A probe over a code space's codes: re-reads the space's views (and quantiser) when told. */
export interface CodeProbe extends DistanceProbe {
  /** The space grew or got its quantiser: read its views again. */
  bind(): void;
  /** Bytes of scratch the probe holds. */
  readonly scratchBytes: number;
}

/**
 * Another kernel's probes over a code space (set as {@link CodeSpace.probes} before any probe is
 * made): the space keeps its memory, encoding and bookkeeping, the kernel computes the distances.
 */
export interface CodeProbeFactories {
  /** A probe over the codes, the store's distances; re-bound by the space when it grows. */
  code(space: CodeSpace, maxBatch: number): CodeProbe;
  /** An exact probe over the kept float32 rows: the kernel's f32 store's probe, so rerank gives its f32 distances. */
  exact(rows: F32Rows, maxBatch: number): StoreProbe;
}

/** What a code space posts to workers: its buffers and quantiser. */
export interface CodeSpaceHandle extends SpaceHandle {
  readonly store: Exclude<VectorStore, 'f32'>;
  readonly keepFullPrecision: boolean;
  readonly quantiser: Quantiser | null;
  readonly codes: SharedArrayBuffer;
  readonly terms: SharedArrayBuffer;
  readonly full: SharedArrayBuffer | null;
}

/** How a store lays out a row: bytes of codes, and float64 terms derived from them. */
export interface CodeLayout {
  readonly store: Exclude<VectorStore, 'f32'>;
  readonly codeBytes: number;
  readonly termsPerRow: number;
}

/**
 * The reference quantised space: codes (and derived float64 terms, and kept float32 rows when asked)
 * in SharedArrayBuffers, grown by copy, with every probe re-pointed on growth, as SharedF32Space
 * does for float32 rows. A store (store-f16.ts, store-i8.ts, store-b1.ts) says how a row is encoded,
 * decoded and compared; this class holds the memory and the contract's bookkeeping.
 */
export abstract class CodeSpace implements QuantisedSpace {
  /** The codes, `codeBytes` per row. */
  bytes: Uint8Array;
  /** `termsPerRow` float64 per row, derived from the codes (i8 under a dot metric: P). */
  terms: Float64Array;
  /** The kept float32 rows (normalised under cosine), or null. */
  full: Float32Array | null;
  quantiser: Quantiser | null = null;
  clamped = 0;
  /** Another kernel's probes (see CodeProbeFactories); null: this kernel's scalar ones. */
  probes: CodeProbeFactories | null = null;
  readonly store: Exclude<VectorStore, 'f32'>;
  readonly codeBytes: number;
  private readonly termsPerRow: number;
  private readonly codeProbes: CodeProbe[] = [];
  private readonly exactProbes: StoreProbe[] = [];
  private readonly attached: boolean;
  /** One row's float32 values on their way to codes, when no float32 rows are kept. */
  private readonly scratch: Float32Array;

  protected constructor(
    readonly kernelName: string,
    readonly dim: number,
    readonly metric: Metric,
    capacity: number,
    keep: boolean,
    layout: CodeLayout,
    from?: CodeSpaceHandle,
  ) {
    this.store = layout.store;
    this.codeBytes = layout.codeBytes;
    this.termsPerRow = layout.termsPerRow;
    this.attached = from !== undefined;
    const cap = from ? from.capacity : Math.max(1, capacity);
    this.bytes = new Uint8Array(from ? from.codes : new SharedArrayBuffer(cap * this.codeBytes));
    this.terms = new Float64Array(from ? from.terms : new SharedArrayBuffer(cap * this.termsPerRow * 8));
    this.full = from ? from.full && new Float32Array(from.full) : keep ? new Float32Array(new SharedArrayBuffer(cap * dim * 4)) : null;
    this.scratch = new Float32Array(dim);
  }

  /** Encode the dim floats of src at off as row `row`'s codes; true when a component was clamped. */
  protected abstract encode(src: Float32Array, off: number, row: number): boolean;
  /** Row `row`'s decoded float32 values into out. */
  protected abstract decode(row: number, out: Float32Array): void;
  /** A probe over the codes. */
  protected abstract makeProbe(maxBatch: number): CodeProbe;
  /** Re-make the store's typed views of `bytes` (after growth). */
  protected abstract view(): void;
  /** Row `row`'s derived terms from its codes (stores with termsPerRow > 0). */
  protected derive(_row: number): void {}
  /** The quantiser was set: precompute what encoding and probes need. */
  protected quantiserSet(): void {}

  /** Call at the end of a subclass constructor: views, and the handle's quantiser. */
  protected init(quantiser: Quantiser | null | undefined): void {
    this.view();
    if (quantiser) this.setQuantiser(quantiser);
  }

  get capacity(): number {
    return this.bytes.byteLength / this.codeBytes;
  }

  get byteLength(): number {
    let scratch = this.scratch.byteLength;
    for (const p of this.codeProbes) scratch += p.scratchBytes;
    for (const p of this.exactProbes) scratch += p.scratchBytes;
    return this.bytes.buffer.byteLength + this.terms.buffer.byteLength + (this.full?.buffer.byteLength ?? 0) + scratch;
  }

  setQuantiser(quantiser: Quantiser): void {
    if (this.store === 'f16') throw new Error('the f16 store has no quantiser');
    if (this.quantiser) throw new Error(`this ${this.store} space has its quantiser already: it is set once, before the first write`);
    this.quantiser = { centre: Float32Array.from(quantiser.centre), scale: quantiser.scale };
    this.quantiserSet();
    for (const p of this.codeProbes) p.bind();
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    if (this.attached) throw new Error('an attached space cannot grow: reserve capacity in the owning thread first');
    const next = Math.max(rows, Math.ceil(this.capacity * 1.5));
    const bytes = new Uint8Array(new SharedArrayBuffer(next * this.codeBytes));
    bytes.set(this.bytes);
    this.bytes = bytes;
    const terms = new Float64Array(new SharedArrayBuffer(next * this.termsPerRow * 8));
    terms.set(this.terms);
    this.terms = terms;
    if (this.full) {
      const full = new Float32Array(new SharedArrayBuffer(next * this.dim * 4));
      full.set(this.full);
      this.full = full;
      for (const p of this.exactProbes) p.data = full;
    }
    this.view();
    for (const p of this.codeProbes) p.bind();
  }

  write(firstRow: number, src: Float32Array, count = 1, srcOffset = 0): void {
    this.checkRows(firstRow, count);
    if (this.store !== 'f16' && !this.quantiser)
      throw new Error(`an ${this.store} space needs its quantiser before the first write (setQuantiser)`);
    const dim = this.dim,
      normalise = this.metric === 'cosine';
    for (let r = 0; r < count; r++) {
      const row = firstRow + r,
        from = srcOffset + r * dim;
      const buf = this.full ?? this.scratch,
        off = this.full ? row * dim : 0;
      buf.set(src.subarray(from, from + dim), off);
      if (normalise) normaliseInPlace(buf, off, dim);
      if (this.encode(buf, off, row)) this.clamped++;
      this.derive(row);
    }
  }

  read(row: number): Float32Array {
    this.checkRows(row, 1);
    if (this.full) return this.full.slice(row * this.dim, (row + 1) * this.dim);
    const out = new Float32Array(this.dim);
    this.decode(row, out);
    return out;
  }

  rows(firstRow: number, count: number): Float32Array {
    this.checkRows(firstRow, count);
    if (!this.full) throw new Error(`this ${this.store} space keeps no float32 rows (keepFullPrecision is false)`);
    return this.full.subarray(firstRow * this.dim, (firstRow + count) * this.dim);
  }

  codes(firstRow: number, count: number): Uint8Array {
    this.checkRows(firstRow, count);
    return this.bytes.subarray(firstRow * this.codeBytes, (firstRow + count) * this.codeBytes);
  }

  writeCodes(firstRow: number, src: Uint8Array, count: number): void {
    this.checkRows(firstRow, count);
    this.bytes.set(src.subarray(0, count * this.codeBytes), firstRow * this.codeBytes);
    for (let r = 0; r < count; r++) this.derive(firstRow + r);
  }

  copyRow(from: number, to: number): void {
    const cb = this.codeBytes,
      tp = this.termsPerRow,
      dim = this.dim;
    this.bytes.copyWithin(to * cb, from * cb, (from + 1) * cb);
    this.terms.copyWithin(to * tp, from * tp, (from + 1) * tp);
    this.full?.copyWithin(to * dim, from * dim, (from + 1) * dim);
  }

  createProbe(maxBatch: number, options?: ProbeOptions): DistanceProbe {
    if (options?.exact) {
      if (!this.full)
        throw new Error(`exact distances need float32 rows: this ${this.store} space keeps none (keepFullPrecision is false)`);
      const rows = { data: this.full, dim: this.dim, metric: this.metric };
      const probe =
        this.probes?.exact(rows, maxBatch) ?? (this.metric === 'l2' ? new L2Probe(rows, maxBatch) : new DotProbe(rows, maxBatch));
      this.exactProbes.push(probe);
      return probe;
    }
    const probe = this.probes?.code(this, maxBatch) ?? this.makeProbe(maxBatch);
    this.codeProbes.push(probe);
    return probe;
  }

  // Regions are SharedArrayBuffers of their own, as in SharedF32Space.
  allocate(byteLength: number): MemoryRegion {
    return { buffer: new SharedArrayBuffer(byteLength), byteOffset: 0, byteLength };
  }

  resize(region: MemoryRegion, byteLength: number): MemoryRegion {
    const next = this.allocate(byteLength);
    const n = Math.min(region.byteLength, byteLength);
    new Uint8Array(next.buffer).set(new Uint8Array(region.buffer, region.byteOffset, n));
    return next;
  }

  release(_region: MemoryRegion): void {}

  handle(): CodeSpaceHandle {
    return {
      kernel: this.kernelName,
      dim: this.dim,
      metric: this.metric,
      capacity: this.capacity,
      store: this.store,
      keepFullPrecision: this.full !== null,
      quantiser: this.quantiser,
      codes: this.bytes.buffer as SharedArrayBuffer,
      terms: this.terms.buffer as SharedArrayBuffer,
      full: (this.full?.buffer as SharedArrayBuffer | undefined) ?? null,
    };
  }

  dispose(): void {
    this.codeProbes.length = 0;
    this.exactProbes.length = 0;
    this.bytes = new Uint8Array(0);
    this.terms = new Float64Array(0);
    this.full = null;
  }

  private checkRows(firstRow: number, count: number): void {
    if (firstRow < 0 || count < 0 || firstRow + count > this.capacity)
      throw new RangeError(`rows ${firstRow}..${firstRow + count} outside capacity ${this.capacity}`);
  }
}
