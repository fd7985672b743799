import type { MemoryRegion } from '@hnswlab/core/contracts';
import { MAX_PAGES, PAGE_BYTES, type WasmMemory } from './wasm-api.js';

// One space = one shared WebAssembly.Memory, laid out as
//
//   [0, 64)                header: Uint32 words below
//   [64, vecBase)          scratch arena: probes' ids/out/query
//   [vecBase, vecBase + capacity·dim·4)   the vectors, row-major float32
//   [.., top)              more scratch, carved past the vectors once the arena is used up
//
// Scratch is carved from a free list (first fit, split from the tail; kept in address order, free
// neighbours merged) and else from `top`, under a spin lock in the header, so probes, traversals
// and graph regions made in any thread never overlap. A carved block never moves,
// so a probe's addresses stay valid in every thread; an attached space's dispose() returns its
// probes' blocks to the free list. The vectors grow in place with memory.grow while they are the
// last region (the usual case); otherwise they are copied to the top and their old region joins the
// free list: reused, never leaked. The module keeps nothing in the memory (no data segment, stack
// or heap), so all of it is the layout above.

const MAGIC = 0;
/** End of the last carved region, in bytes. */
const TOP = 1;
/** 0 = free, 1 = held. */
const LOCK = 2;
/** Byte address of the first free block, 0 for none. A free block's words: [size, next]. */
const FREE = 3;
/** Bytes of the regions handed out by VectorSpace.allocate (their owners count them, the space does not). */
const REGIONS = 4;

export const HEADER_BYTES = 64;
const MAGIC_VALUE = 0x68_6e_73_77; // 'hnsw'

export const align = (bytes: number, to = 64): number => Math.ceil(bytes / to) * to;

/** Bytes of one probe's scratch: ids (Int32 × maxBatch), out (Float32 × maxBatch), query (Float32 × dim). */
export function probeBytes(maxBatch: number, dim: number): number {
  return 2 * align(maxBatch * 4, 16) + align(dim * 4, 16);
}

/** Grow `memory` until it holds `bytes`. Any thread may; growth is atomic and seen by all. */
export function ensureBytes(memory: WasmMemory, bytes: number): void {
  const have = memory.grow(0) * PAGE_BYTES;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
}

/** The allocator state of a space's memory, shared by every thread that attached it. */
export class SpaceMemory {
  private words: Uint32Array;
  private readonly lockWord: Int32Array;

  constructor(readonly memory: WasmMemory) {
    this.words = new Uint32Array(memory.buffer);
    this.lockWord = new Int32Array(memory.buffer, 0, HEADER_BYTES / 4);
  }

  /** Lay out a fresh memory: header, an arena of `arenaBytes`, then the vectors; returns vecBase. */
  init(arenaBytes: number, vectorBytes: number): number {
    const vecBase = align(HEADER_BYTES + arenaBytes);
    const w = this.words;
    w[TOP] = vecBase + vectorBytes;
    w[FREE] = 0;
    this.push(HEADER_BYTES, vecBase - HEADER_BYTES);
    Atomics.store(w, MAGIC, MAGIC_VALUE);
    return vecBase;
  }

  /** Bytes of the regions handed out, over every thread. */
  get regionBytes(): number {
    return Atomics.load(this.words, REGIONS);
  }

  /** Count `bytes` more (or, negative, fewer) bytes of regions handed out. */
  countRegions(bytes: number): void {
    if (bytes >= 0) Atomics.add(this.words, REGIONS, bytes);
    else Atomics.sub(this.words, REGIONS, -bytes);
  }

  get valid(): boolean {
    return Atomics.load(this.words, MAGIC) === MAGIC_VALUE;
  }

  /**
   * A block of `bytes` (a multiple of 16) starting on a multiple of `alignment` (16 or 64): the first
   * free block that fits, split from its tail, else past the top.
   */
  carve(bytes: number, alignment = 16): number {
    this.lock();
    try {
      const w = this.view(0);
      for (let prev = 0, at = w[FREE]; at !== 0; prev = at, at = w[(at >> 2) + 1]) {
        const size = w[at >> 2];
        // The block's tail, moved down to the alignment: what is left above it stays free.
        const start = Math.floor((at + size - bytes) / alignment) * alignment;
        if (start < at) continue;
        const tail = at + size - (start + bytes);
        if (start === at) {
          if (prev === 0) w[FREE] = w[(at >> 2) + 1];
          else w[(prev >> 2) + 1] = w[(at >> 2) + 1];
        } else {
          w[at >> 2] = start - at;
        }
        if (tail >= 16) this.push(start + bytes, tail);
        return start;
      }
      const at = align(w[TOP], alignment);
      ensureBytes(this.memory, at + bytes);
      w[TOP] = at + bytes;
      return at;
    } finally {
      this.unlock();
    }
  }

  /** Give a carved block back (an attached space's dispose). */
  release(at: number, bytes: number): void {
    this.lock();
    try {
      this.push(at, bytes);
    } finally {
      this.unlock();
    }
  }

  /**
   * Make the vector region `bytes` long; returns its (possibly new) base. Owner thread only, with no
   * worker using the space (the VectorSpace.reserve contract).
   */
  growVectors(vecBase: number, oldBytes: number, bytes: number): number {
    this.lock();
    try {
      const top = this.words[TOP];
      if (vecBase + oldBytes === top) {
        ensureBytes(this.memory, vecBase + bytes);
        this.words[TOP] = vecBase + bytes;
        return vecBase;
      }
      // Scratch lies past the vectors: move them to the top; their old region becomes free scratch.
      const base = align(top);
      ensureBytes(this.memory, base + bytes);
      new Uint8Array(this.memory.buffer).copyWithin(base, vecBase, vecBase + oldBytes);
      this.words[TOP] = base + bytes;
      this.push(vecBase, oldBytes & ~15);
      return base;
    } finally {
      this.unlock();
    }
  }

  /**
   * Put a block on the free list (lock held, or the memory not yet shared). The list is kept in
   * address order and a block merges with free neighbours, so blocks of many sizes released in any
   * order (a traversal's heaps, a graph's resized regions) do not splinter the memory; a free block
   * that ends at the top lowers the top instead.
   */
  private push(at: number, bytes: number): void {
    if (bytes < 16) return;
    const w = this.view(at + bytes);
    // before → prev → next in the list, with prev < at < next.
    let before = 0,
      prev = 0,
      next = w[FREE];
    while (next !== 0 && next < at) {
      before = prev;
      prev = next;
      next = w[(next >> 2) + 1];
    }
    if (next !== 0 && at + bytes === next) {
      bytes += w[next >> 2];
      next = w[(next >> 2) + 1];
    }
    // The free block that will point at this one.
    let link = prev;
    if (prev !== 0 && prev + w[prev >> 2] === at) {
      at = prev;
      bytes += w[prev >> 2];
      link = before;
    }
    if (at + bytes === w[TOP]) {
      w[TOP] = at;
    } else {
      w[at >> 2] = bytes;
      w[(at >> 2) + 1] = next;
      next = at;
    }
    if (link === 0) w[FREE] = next;
    else w[(link >> 2) + 1] = next;
  }

  /** The word view, re-made when the memory grew past it (growth from any thread). */
  private view(bytes: number): Uint32Array {
    if (this.words.byteLength < bytes || this.words.byteLength < this.memory.buffer.byteLength) {
      this.words = new Uint32Array(this.memory.buffer);
    }
    return this.words;
  }

  // Held for a few dozen operations at most; a worker terminated while holding it would block the
  // others, which is why only probe creation, disposal and growth take it, never a distance call.
  private lock(): void {
    const w = this.lockWord;
    while (Atomics.compareExchange(w, LOCK, 0, 1) !== 0) Atomics.wait(w, LOCK, 1, 1);
  }

  private unlock(): void {
    Atomics.store(this.lockWord, LOCK, 0);
    Atomics.notify(this.lockWord, LOCK, 1);
  }
}

/** Bytes a block of `byteLength` takes in the allocator (carve and release agree on it). */
export function blockBytes(byteLength: number): number {
  return align(Math.max(16, byteLength));
}

export function checkSize(bytes: number, rows: number): void {
  if (bytes > MAX_PAGES * PAGE_BYTES) throw new RangeError(`${rows} rows do not fit in a wasm32 memory (4 GiB)`);
}

/** The memory's buffer, covering at least `bytes` (grown here when another thread grew it first). */
export function bufferOf(memory: WasmMemory, bytes: number): ArrayBuffer | SharedArrayBuffer {
  let buffer = memory.buffer;
  if (buffer.byteLength < bytes) {
    ensureBytes(memory, bytes);
    buffer = memory.buffer;
  }
  return buffer;
}

/**
 * VectorSpace.allocate / resize / release over a space's memory, shared by the f32 and quantised
 * spaces: a region's byteOffset is its address for the kernels, its buffer the memory's at the time
 * (a shared memory's buffers are never detached). `counted` regions are handed out to the core (not
 * the space's bytes); uncounted ones are the space's scratch.
 */
export class Regions {
  constructor(
    private readonly heap: SpaceMemory,
    private readonly memory: WasmMemory,
  ) {}

  /** A zeroed block of this memory (any thread: carving takes the allocator's lock). */
  block(byteLength: number, counted: boolean): MemoryRegion {
    const bytes = blockBytes(byteLength);
    checkSize(bytes, 0);
    const at = this.heap.carve(bytes, 64);
    const buffer = bufferOf(this.memory, at + bytes) as SharedArrayBuffer;
    new Uint8Array(buffer, at, bytes).fill(0);
    if (counted) this.heap.countRegions(bytes);
    return { buffer, byteOffset: at, byteLength };
  }

  resize(region: MemoryRegion, byteLength: number): MemoryRegion {
    const next = this.block(byteLength, true);
    const n = Math.min(region.byteLength, byteLength);
    new Uint8Array(next.buffer, next.byteOffset, n).set(new Uint8Array(region.buffer, region.byteOffset, n));
    this.release(region, true);
    return next;
  }

  release(region: MemoryRegion, counted: boolean): void {
    this.heap.release(region.byteOffset, blockBytes(region.byteLength));
    if (counted) this.heap.countRegions(-blockBytes(region.byteLength));
  }
}
