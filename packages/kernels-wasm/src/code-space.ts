import type {
  DistanceProbe,
  FusedTraversal,
  GraphLayout,
  TraversalOptions,
  MemoryRegion,
  Metric,
  ProbeOptions,
  Quantiser,
  QuantisedSpace,
  SpaceHandle,
  VectorStore,
} from '@hnswlab/core/contracts';
import { normaliseInPlace } from '@hnswlab/kernels-js';
import { CodeProbe } from './code-probe.js';
import { instantiateKernels, type KernelExports, type TraversalFns } from './kernel-module.js';
import { WasmTraversal, traversalMemory } from './wasm-traversal.js';
import { HEADER_BYTES, Regions, SpaceMemory, align, blockBytes, bufferOf, checkSize, probeBytes } from './space-memory.js';
import { MAX_PAGES, PAGE_BYTES, wasmApi, type WasmMemory } from './wasm-api.js';
import { WasmProbe } from './wasm-probe.js';
import { f32Functions } from './wasm-space.js';

export type CodeStore = Exclude<VectorStore, 'f32'>;

/** What a quantised space posts to workers: the memory, where its regions are, and its quantiser. */
export interface WasmCodeSpaceHandle extends SpaceHandle {
  readonly store: CodeStore;
  readonly memory: WasmMemory;
  readonly keepFullPrecision: boolean;
  readonly quantiser: Quantiser | null;
  readonly codesAt: number;
  readonly termsAt: number;
  /** 0 when no float32 rows are kept. */
  readonly fullAt: number;
}

/** How a store lays out a row: bytes of codes, and float64 terms derived from them. */
export interface CodeLayout {
  readonly store: CodeStore;
  readonly codeBytes: number;
  readonly termsPerRow: number;
}

/** End of the header and scratch arena: the first page, or room for eight probes of 256 ids if larger. */
const arenaEnd = (dim: number) => align(HEADER_BYTES + Math.max(PAGE_BYTES - HEADER_BYTES, 8 * probeBytes(256, 2 * dim)));

/** Bytes of a region holding `rows` rows of `perRow` bytes (64-byte multiples, as carve hands out). */
const regionBytes = (rows: number, perRow: number) => align(Math.max(16, rows * perRow));

/**
 * A quantised space in one shared WebAssembly.Memory (the layout of space-memory.ts): the codes are
 * the memory's "vector" region, the derived terms (i8 under ip/cosine: P per row, float64) and the kept
 * float32 rows are regions of their own, each grown with SpaceMemory.growVectors (in place when last,
 * else moved to the top, the old block freed). Encoding and the per-row terms run in JavaScript once
 * per write (the reference's own encoders, @hnswlab/kernels-js); distances run in the module's SIMD
 * loops (assembly/f16.ts, i8.ts, b1.ts) through CodeProbe. A store (store-f16.ts, store-i8.ts,
 * store-b1.ts) says how a row is encoded, decoded and compared.
 *
 * Fused traversal: b1 only (store-b1.ts, through `fuse`): its distance needs nothing but the two
 * rows, so the module's traversal runs it with the row's word count standing for dim. f16 and i8 have
 * no createTraversal (f16 would need stored-row queries decoded, i8 the per-row terms and the query's
 * P in the traversal state; not done), so an index over them runs the `node` (or `pair`) boundary, its
 * JavaScript traversal calling these probes.
 */
export abstract class WasmCodeSpace implements QuantisedSpace {
  quantiser: Quantiser | null = null;
  clamped = 0;
  readonly store: CodeStore;
  readonly codeBytes: number;
  protected readonly kernels: KernelExports;
  protected readonly memory: WasmMemory;
  private readonly attached: boolean;
  protected codesAt: number;
  protected termsAt: number;
  protected fullAt: number;
  private cap: number;
  private readonly termsPerRow: number;
  private readonly heap: SpaceMemory;
  private readonly regions: Regions;
  private readonly probes: CodeProbe[] = [];
  private readonly exactProbes: WasmProbe[] = [];
  private readonly traversals: WasmTraversal[] = [];
  /** One row's float32 values on their way to codes, when no float32 rows are kept. */
  private readonly scratch: Float32Array;

  protected constructor(
    readonly kernelName: string,
    module: object,
    readonly dim: number,
    readonly metric: Metric,
    capacity: number,
    private readonly keep: boolean,
    layout: CodeLayout,
    from?: WasmCodeSpaceHandle,
  ) {
    this.store = layout.store;
    this.codeBytes = layout.codeBytes;
    this.termsPerRow = layout.termsPerRow;
    this.attached = from !== undefined;
    const cap = from ? from.capacity : Math.max(1, capacity);
    this.cap = cap;
    let memory: WasmMemory;
    if (from) {
      memory = from.memory;
      this.heap = new SpaceMemory(memory);
      if (!this.heap.valid) throw new Error('the handle does not describe a wasm space (bad header)');
      ({ codesAt: this.codesAt, termsAt: this.termsAt, fullAt: this.fullAt } = from);
    } else {
      if (!wasmApi) throw new Error('this runtime has no WebAssembly');
      const codes = regionBytes(cap, this.codeBytes);
      checkSize(arenaEnd(dim) + codes, cap);
      memory = new wasmApi.Memory({ initial: Math.ceil((arenaEnd(dim) + codes) / PAGE_BYTES), maximum: MAX_PAGES, shared: true });
      this.heap = new SpaceMemory(memory);
      this.codesAt = this.heap.init(arenaEnd(dim) - HEADER_BYTES, codes);
      this.termsAt = this.termsPerRow > 0 ? this.heap.carve(regionBytes(cap, this.termsPerRow * 8), 64) : 0;
      this.fullAt = keep ? this.heap.carve(regionBytes(cap, dim * 4), 64) : 0;
    }
    this.memory = memory;
    this.regions = new Regions(this.heap, memory);
    this.kernels = instantiateKernels(module, memory, {
      now: () => performance.now() / 1000,
      // The candidate heap of a fused traversal (b1) grows from inside the module, in whichever thread runs it.
      carve: (bytes) => this.heap.carve(blockBytes(bytes), 64),
      release: (at, bytes) => this.heap.release(at, blockBytes(bytes)),
    });
    this.scratch = new Float32Array(dim);
  }

  /** Encode the dim floats of src at off as row `row`'s codes; true when a component was clamped. */
  protected abstract encode(src: Float32Array, off: number, row: number): boolean;
  /** Row `row`'s decoded float32 values into out. */
  protected abstract decode(row: number, out: Float32Array): void;
  /** Row `row`'s derived terms from its codes (stores with termsPerRow > 0). */
  protected derive(_row: number): void {}
  /** The quantiser was set: precompute what encoding and probes need. */
  protected quantiserSet(): void {}

  // What CodeProbe calls: the store's distances on the codes (addresses in the memory).
  /** Bytes of a probe's own query: the encoded codes, or float32 (f16). */
  abstract readonly queryBytes: number;
  /** Encode an outside query (normalised first under cosine) at address `at`; returns its P (i8), else 0. */
  abstract encodeQuery(vector: Float32Array, offset: number, at: number): number;
  /**
   * Where stored row `row` is, as a query: f16 decodes it into `scratch` (float32) and returns that;
   * the others return the row's codes. Re-asked per call: growth moves the codes.
   */
  abstract rowQuery(row: number, scratch: number): number;
  /** True when rowQuery copies (f16): a probe decodes its query row once, at setQueryRow. */
  abstract readonly decodesRows: boolean;
  /** The P term of stored row `row` (i8 under ip/cosine), else 0. */
  termOf(_row: number): number {
    return 0;
  }
  abstract distRows(q: number, p: number, ids: number, out: number, count: number): void;
  abstract distRow(q: number, p: number, row: number): number;
  abstract distNearer(q: number, p: number, ids: number, count: number, bound: number): number;

  /** Call at the end of a subclass constructor: the handle's or the caller's quantiser. */
  protected init(quantiser: Quantiser | null | undefined): void {
    if (quantiser) this.setQuantiser(quantiser);
  }

  get capacity(): number {
    return this.cap;
  }

  /**
   * What the space holds, as the reference counts it: codes, terms and kept rows at capacity, the
   * header and scratch arena, and every probe's scratch. Unlike WasmSpace's (the whole memory less the
   * regions handed out), the unused tail of the last 64 KiB page and blocks freed by growth are not
   * counted: beside codes a quarter of the f32 rows' size, page slack would dominate small spaces.
   */
  get byteLength(): number {
    let bytes = arenaEnd(this.dim) + this.cap * (this.codeBytes + this.termsPerRow * 8 + (this.keep ? this.dim * 4 : 0));
    for (const p of this.probes) bytes += p.scratchBytes;
    for (const p of this.exactProbes) bytes += p.scratchBytes;
    return bytes;
  }

  setQuantiser(quantiser: Quantiser): void {
    if (this.store === 'f16') throw new Error('the f16 store has no quantiser');
    if (this.quantiser) throw new Error(`this ${this.store} space has its quantiser already: it is set once, before the first write`);
    this.quantiser = { centre: Float32Array.from(quantiser.centre), scale: quantiser.scale };
    this.quantiserSet();
  }

  reserve(rows: number): void {
    if (rows <= this.cap) return;
    if (this.attached) throw new Error('an attached space cannot grow: reserve capacity in the owning thread first');
    const next = Math.max(rows, Math.ceil(this.cap * 1.5));
    checkSize(
      this.memory.buffer.byteLength + regionBytes(next, this.codeBytes + this.termsPerRow * 8 + (this.keep ? this.dim * 4 : 0)),
      next,
    );
    const grow = (at: number, perRow: number) => this.heap.growVectors(at, regionBytes(this.cap, perRow), regionBytes(next, perRow));
    this.codesAt = grow(this.codesAt, this.codeBytes);
    if (this.termsAt) this.termsAt = grow(this.termsAt, this.termsPerRow * 8);
    if (this.fullAt) this.fullAt = grow(this.fullAt, this.dim * 4);
    this.cap = next;
    const buffer = this.buffer();
    for (const p of this.exactProbes) p.rebind(buffer, this.fullAt);
    for (const t of this.traversals) t.rebase(this.codesAt);
  }

  write(firstRow: number, src: Float32Array, count = 1, srcOffset = 0): void {
    this.checkRows(firstRow, count);
    if (this.store !== 'f16' && !this.quantiser)
      throw new Error(`an ${this.store} space needs its quantiser before the first write (setQuantiser)`);
    const dim = this.dim,
      full = this.full();
    for (let r = 0; r < count; r++) {
      const row = firstRow + r,
        from = srcOffset + r * dim;
      const buf = full ?? this.scratch,
        off = full ? row * dim : 0;
      buf.set(src.subarray(from, from + dim), off);
      if (this.metric === 'cosine') normaliseInPlace(buf, off, dim);
      if (this.encode(buf, off, row)) this.clamped++;
      this.derive(row);
    }
  }

  read(row: number): Float32Array {
    this.checkRows(row, 1);
    const full = this.full();
    if (full) return full.slice(row * this.dim, (row + 1) * this.dim);
    const out = new Float32Array(this.dim);
    this.decode(row, out);
    return out;
  }

  rows(firstRow: number, count: number): Float32Array {
    this.checkRows(firstRow, count);
    const full = this.full();
    if (!full) throw new Error(`this ${this.store} space keeps no float32 rows (keepFullPrecision is false)`);
    return full.subarray(firstRow * this.dim, (firstRow + count) * this.dim);
  }

  codes(firstRow: number, count: number): Uint8Array {
    this.checkRows(firstRow, count);
    return new Uint8Array(this.buffer(), this.codesAt + firstRow * this.codeBytes, count * this.codeBytes);
  }

  writeCodes(firstRow: number, src: Uint8Array, count: number): void {
    this.checkRows(firstRow, count);
    this.codes(firstRow, count).set(src.subarray(0, count * this.codeBytes));
    for (let r = 0; r < count; r++) this.derive(firstRow + r);
  }

  copyRow(from: number, to: number): void {
    const bytes = new Uint8Array(this.buffer());
    const move = (at: number, perRow: number) => bytes.copyWithin(at + to * perRow, at + from * perRow, at + (from + 1) * perRow);
    move(this.codesAt, this.codeBytes);
    if (this.termsAt) move(this.termsAt, this.termsPerRow * 8);
    if (this.fullAt) move(this.fullAt, this.dim * 4);
  }

  createProbe(maxBatch: number, options?: ProbeOptions): DistanceProbe {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be an integer ≥ 1, got ${maxBatch}`);
    if (options?.exact) {
      if (!this.fullAt)
        throw new Error(`exact distances need float32 rows: this ${this.store} space keeps none (keepFullPrecision is false)`);
      // The f32 store's own probe over the kept rows: the same float32 values as an f32 space's.
      const at = this.heap.carve(probeBytes(maxBatch, this.dim));
      const [rows, row, nearer] = f32Functions(this.kernels, this.metric);
      const probe = new WasmProbe(maxBatch, at, this.dim, this.metric === 'cosine', rows, row, nearer);
      probe.rebind(bufferOf(this.memory, at + probe.scratchBytes), this.fullAt);
      this.exactProbes.push(probe);
      return probe;
    }
    const bytes = CodeProbe.bytes(maxBatch, this.queryBytes, this.decodesRows ? this.dim * 4 : 0);
    const at = this.heap.carve(bytes);
    const probe = new CodeProbe(this, maxBatch, at, bytes, bufferOf(this.memory, at + bytes));
    this.probes.push(probe);
    return probe;
  }

  /**
   * A fused traversal over the codes, for a store whose distance the module's traversal computes
   * (b1: `rowUnits` is its word count, standing for dim, so rows are rowUnits·4 bytes apart). Only
   * such a store's class defines createTraversal; the others have none, and the core runs them
   * through probes.
   */
  protected fuse(
    graph: GraphLayout,
    options: TraversalOptions,
    fns: TraversalFns,
    rowUnits: number,
    encode: (vector: Float32Array, at: number) => void,
  ): FusedTraversal {
    if (this.cap === 0) throw new Error('this space was disposed');
    const memory = traversalMemory(this.regions, this.memory, this.traversals, graph);
    const t = new WasmTraversal(memory, fns, rowUnits, false, graph, options, this.codesAt, encode);
    this.traversals.push(t);
    return t;
  }

  allocate(byteLength: number): MemoryRegion {
    return this.regions.block(byteLength, true);
  }

  resize(region: MemoryRegion, byteLength: number): MemoryRegion {
    return this.regions.resize(region, byteLength);
  }

  release(region: MemoryRegion): void {
    this.regions.release(region, true);
  }

  handle(): WasmCodeSpaceHandle {
    return {
      kernel: this.kernelName,
      dim: this.dim,
      metric: this.metric,
      capacity: this.cap,
      store: this.store,
      memory: this.memory,
      keepFullPrecision: this.keep,
      quantiser: this.quantiser,
      codesAt: this.codesAt,
      termsAt: this.termsAt,
      fullAt: this.fullAt,
    };
  }

  /** As WasmSpace's: an attached space gives its probes' scratch back; probes of a disposed space refuse calls. */
  dispose(): void {
    for (const p of this.probes) {
      p.retire();
      if (this.attached) this.heap.release(p.scratchAt, p.scratchBytes);
    }
    for (const p of this.exactProbes) {
      p.retire();
      if (this.attached) this.heap.release(p.scratchAt, p.scratchBytes);
    }
    this.probes.length = 0;
    this.exactProbes.length = 0;
    // Traversals give their blocks back (the index disposes its linkers first; this catches the rest).
    for (const t of [...this.traversals]) t.dispose();
    this.cap = 0;
  }

  /** The memory's buffer, covering every region (another thread may have grown the memory). */
  protected buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.memory.buffer;
  }

  /** The kept float32 rows, one view over the current buffer, or null. */
  private full(): Float32Array | null {
    return this.fullAt ? new Float32Array(this.buffer(), this.fullAt, this.cap * this.dim) : null;
  }

  private checkRows(firstRow: number, count: number): void {
    if (firstRow < 0 || count < 0 || firstRow + count > this.cap)
      throw new RangeError(`rows ${firstRow}..${firstRow + count} outside capacity ${this.cap}`);
  }
}
