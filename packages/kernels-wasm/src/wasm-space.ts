import type {
  DistanceProbe,
  FusedTraversal,
  GraphLayout,
  MemoryRegion,
  Metric,
  SpaceHandle,
  SpaceOptions,
  TraversalOptions,
  VectorSpace,
} from '@hnswlab/core/contracts';
import { instantiateKernels, traversalFns, type FirstNearerFn, type KernelExports, type RowFn, type RowsFn } from './kernel-module.js';
import { HEADER_BYTES, Regions, SpaceMemory, align, blockBytes, bufferOf, checkSize, probeBytes } from './space-memory.js';
import { normaliseInPlace } from '@hnswlab/kernels-js';
import { MAX_PAGES, PAGE_BYTES, wasmApi, type WasmMemory } from './wasm-api.js';
import { WasmProbe } from './wasm-probe.js';
import { WasmTraversal, traversalMemory } from './wasm-traversal.js';

/** The metric's f32 kernels, chosen once per probe: no branch on the metric per call. */
export function f32Functions(k: KernelExports, metric: Metric): [RowsFn, RowFn, FirstNearerFn] {
  if (metric === 'l2') return [k.l2Rows, k.l2Row, k.l2FirstNearer];
  // cosine and ip share the float32 1 − dot loop (assembly/dot.ts); ip keeps its own export names.
  return metric === 'cosine' ? [k.dotRows, k.dotRow, k.dotFirstNearer] : [k.ipRows, k.ipRow, k.ipFirstNearer];
}

/** What {@link WasmSpace.handle} posts to workers: the shared memory itself plus where the rows are. */
export interface WasmSpaceHandle extends SpaceHandle {
  readonly memory: WasmMemory;
  readonly vecBase: number;
}

/**
 * Rows of float32 in a shared WebAssembly.Memory that the kernels address directly (layout in
 * space-memory.ts). Growth uses memory.grow; after it every JS view this space handed out (the
 * store view, each probe's ids, out and query) is re-made over the new buffer, and probes learn
 * where the rows are if they moved. A worker attaches the same memory with its own instance.
 */
export class WasmSpace implements VectorSpace {
  private data: Float32Array;
  private cap: number;
  private readonly rowBytes: number;
  private readonly probes: WasmProbe[] = [];
  private readonly traversals: WasmTraversal[] = [];
  private readonly heap: SpaceMemory;
  private readonly regions: Regions;
  private readonly kernels: KernelExports;

  private constructor(
    readonly kernelName: string,
    module: object,
    readonly dim: number,
    readonly metric: Metric,
    private readonly memory: WasmMemory,
    private vecBase: number,
    capacity: number,
    private readonly attached: boolean,
  ) {
    this.cap = capacity;
    this.rowBytes = dim * 4;
    this.heap = new SpaceMemory(memory);
    this.regions = new Regions(this.heap, memory);
    this.kernels = instantiateKernels(module, memory, {
      now: () => performance.now() / 1000,
      // The candidate heap of a fused traversal grows from inside the module, in whichever thread runs it.
      carve: (bytes) => this.heap.carve(blockBytes(bytes), 64),
      release: (at, bytes) => this.heap.release(at, blockBytes(bytes)),
    });
    this.data = new Float32Array(memory.buffer);
  }

  /** A new space with its own memory. */
  static create(kernelName: string, module: object, { dim, metric, capacity }: SpaceOptions): WasmSpace {
    if (!wasmApi) throw new Error('this runtime has no WebAssembly');
    const cap = Math.max(1, capacity);
    const rowBytes = dim * 4;
    // The first page (or room for eight probes of 256 ids, if larger) is header and scratch arena.
    const arena = Math.max(PAGE_BYTES - HEADER_BYTES, 8 * probeBytes(256, dim));
    const vectorBytes = cap * rowBytes;
    checkSize(align(HEADER_BYTES + arena) + vectorBytes, cap);
    const memory = new wasmApi.Memory({
      initial: Math.ceil((align(HEADER_BYTES + arena) + vectorBytes) / PAGE_BYTES),
      maximum: MAX_PAGES,
      shared: true,
    });
    const vecBase = new SpaceMemory(memory).init(arena, vectorBytes);
    return new WasmSpace(kernelName, module, dim, metric, memory, vecBase, cap, false);
  }

  /** Another thread's view of a space, from its handle. It never grows. */
  static attach(kernelName: string, module: object, handle: WasmSpaceHandle): WasmSpace {
    const space = new WasmSpace(kernelName, module, handle.dim, handle.metric, handle.memory, handle.vecBase, handle.capacity, true);
    if (!space.heap.valid) throw new Error('the handle does not describe a wasm space (bad header)');
    return space;
  }

  get capacity(): number {
    return this.cap;
  }

  /**
   * The whole memory, to its last page, less the regions handed out by allocate (the graph's arrays:
   * their owner counts them): header, probes' and traversals' scratch, vectors, and free space growth
   * left behind (an old vector region goes on the free list and is reused). An attached space reports
   * the same memory as its owner.
   */
  get byteLength(): number {
    return this.memory.buffer.byteLength - this.heap.regionBytes;
  }

  reserve(rows: number): void {
    if (rows <= this.cap) return;
    if (this.attached) throw new Error('an attached space cannot grow: reserve capacity in the owning thread first');
    const next = Math.max(rows, Math.ceil(this.cap * 1.5));
    const bytes = next * this.rowBytes;
    checkSize(this.vecBase + bytes, next);
    this.vecBase = this.heap.growVectors(this.vecBase, this.cap * this.rowBytes, bytes);
    this.cap = next;
    this.refresh();
  }

  write(firstRow: number, src: Float32Array, count = 1, srcOffset = 0): void {
    const dim = this.dim;
    if (firstRow < 0 || firstRow + count > this.cap)
      throw new RangeError(`rows ${firstRow}..${firstRow + count} outside capacity ${this.cap}`);
    const data = this.store();
    const at = this.vecBase / 4 + firstRow * dim;
    data.set(src.subarray(srcOffset, srcOffset + count * dim), at);
    if (this.metric === 'cosine') {
      for (let r = 0; r < count; r++) normaliseInPlace(data, at + r * dim, dim);
    }
  }

  read(row: number): Float32Array {
    if (row < 0 || row >= this.cap) throw new RangeError(`row ${row} outside capacity ${this.cap}`);
    const at = this.vecBase / 4 + row * this.dim;
    return this.store().slice(at, at + this.dim);
  }

  rows(firstRow: number, count: number): Float32Array {
    if (firstRow < 0 || count < 0 || firstRow + count > this.cap)
      throw new RangeError(`rows ${firstRow}..${firstRow + count} outside capacity ${this.cap}`);
    const at = this.vecBase / 4 + firstRow * this.dim;
    return this.store().subarray(at, at + count * this.dim);
  }

  createProbe(maxBatch: number): DistanceProbe {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be an integer ≥ 1, got ${maxBatch}`);
    const at = this.heap.carve(probeBytes(maxBatch, this.dim));
    const [rows, row, firstNearer] = f32Functions(this.kernels, this.metric);
    const probe = new WasmProbe(maxBatch, at, this.dim, this.metric === 'cosine', rows, row, firstNearer);
    // Carving may have grown the memory (from any thread), so the views are made over a fresh buffer.
    probe.rebind(this.buffer(at + probe.scratchBytes), this.vecBase);
    this.probes.push(probe);
    return probe;
  }

  /**
   * A fused traversal of `graph` (regions of this space) in this thread: the core's search and insert
   * run inside the module, one call each (see WasmTraversal). Attached spaces make them too: workers
   * link through fused inserts.
   */
  createTraversal(graph: GraphLayout, options: TraversalOptions): FusedTraversal {
    if (this.cap === 0) throw new Error('this space was disposed');
    const memory = traversalMemory(this.regions, this.memory, this.traversals, graph);
    const fns = traversalFns(this.kernels, this.metric === 'l2' ? 'l2' : this.metric === 'cosine' ? 'dot' : 'ip');
    const t = new WasmTraversal(memory, fns, this.dim, this.metric === 'cosine', graph, options, this.vecBase);
    this.traversals.push(t);
    return t;
  }

  /** A zeroed block of this memory, counted as a region until released (see Regions). */
  allocate(byteLength: number): MemoryRegion {
    return this.regions.block(byteLength, true);
  }

  resize(region: MemoryRegion, byteLength: number): MemoryRegion {
    return this.regions.resize(region, byteLength);
  }

  release(region: MemoryRegion): void {
    this.regions.release(region, true);
  }

  handle(): WasmSpaceHandle {
    return { kernel: this.kernelName, dim: this.dim, metric: this.metric, capacity: this.cap, memory: this.memory, vecBase: this.vecBase };
  }

  /**
   * An attached space gives its probes' scratch back for later probes (a worker pool re-attaching
   * every batch reuses it); the owner drops its views, and the memory goes when no thread
   * references it any more (a WebAssembly.Memory cannot be freed explicitly). Probes of a disposed
   * space refuse further calls.
   */
  dispose(): void {
    for (const p of this.probes) {
      p.retire();
      if (this.attached) this.heap.release(p.scratchAt, p.scratchBytes);
    }
    this.probes.length = 0;
    // Traversals give their blocks back (the index disposes its linkers first; this catches the rest).
    for (const t of [...this.traversals]) t.dispose();
    this.cap = 0;
    this.data = new Float32Array(0);
  }

  /** Re-make every view over the current buffer: the stale-view bug of the predecessor lives here. */
  private refresh(): void {
    const buffer = this.buffer(this.vecBase + this.cap * this.rowBytes);
    this.data = new Float32Array(buffer);
    for (const p of this.probes) p.rebind(buffer, this.vecBase);
    for (const t of this.traversals) t.rebase(this.vecBase);
  }

  /** The store view, re-made if the memory grew past it (a worker carving scratch grows it too). */
  private store(): Float32Array {
    const end = this.vecBase + this.cap * this.rowBytes;
    if (this.data.byteLength < end) this.data = new Float32Array(this.buffer(end));
    return this.data;
  }

  /** The memory's buffer, covering at least `bytes`. */
  private buffer(bytes: number): ArrayBuffer | SharedArrayBuffer {
    return bufferOf(this.memory, bytes);
  }
}
