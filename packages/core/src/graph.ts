import type { GraphLayout, MemoryRegion } from './contracts.js';
import {
  H_COUNT,
  H_ENTRY,
  H_MAX_LEVEL,
  H_UNDO_CAPACITY,
  H_UNDO_EPOCH,
  H_UNDO_FIRST_ROW,
  H_UNDO_USED,
  H_UPPER_USED,
  HEADER_SLOTS,
  strides,
} from './layout.js';

// The HNSW graph as flat typed arrays over regions of kernel memory (see GraphLayout), so fused
// kernels walk the same bytes and worker threads build into them. Level 0 keeps up to M0 = 2·M links
// per node; levels above keep up to M, in a pool addressed by a per-node offset. A list is
// [count, link, link, ...].

/** Where the graph's memory comes from: the index's vector space (any kernel's). */
export interface RegionAllocator {
  allocate(byteLength: number): MemoryRegion;
  resize(region: MemoryRegion, byteLength: number): MemoryRegion;
  release(region: MemoryRegion): void;
}

type View = Uint8Array | Int32Array | Uint32Array;
type ViewCtor<T extends View> = { new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

function view<T extends View>(Ctor: ViewCtor<T>, r: MemoryRegion): T {
  return new Ctor(r.buffer, r.byteOffset, Math.floor(r.byteLength / Ctor.BYTES_PER_ELEMENT));
}

/** The per-row arrays and their element sizes, in layout order. */
const PER_ROW = [
  ['levels', 1],
  ['upperOffset', 4],
  ['labels', 4],
  ['deleted', 1],
  ['locks', 4],
  ['touched', 4],
] as const;

export class Graph {
  readonly M: number;
  readonly M0: number;
  /** Int32 slots per level-0 list (count + M0 links) and per upper list (count + M links). */
  readonly stride0: number;
  readonly strideUp: number;
  header!: Int32Array;
  levels!: Uint8Array;
  links0!: Int32Array;
  upperOffset!: Int32Array;
  upper!: Int32Array;
  labels!: Uint32Array;
  deleted!: Uint8Array;
  locks!: Int32Array;
  touched!: Uint32Array;
  undo!: Int32Array;
  private regions: { -readonly [K in keyof GraphLayout]: GraphLayout[K] };
  /** The last undo epoch used (owner only); epochs never repeat, so `touched` needs no clearing. */
  private epoch = 0;

  private constructor(
    layout: GraphLayout,
    private readonly memory: RegionAllocator | undefined,
  ) {
    this.M = layout.M;
    this.M0 = 2 * layout.M;
    ({ stride0: this.stride0, strideUp: this.strideUp } = strides(layout.M));
    this.regions = { ...layout };
    this.remakeViews();
  }

  /** A new, empty graph of `capacity` rows in regions of `memory`. */
  static create(memory: RegionAllocator, M: number, capacity: number): Graph {
    const cap = Math.max(1, capacity);
    const { stride0, strideUp } = strides(M);
    const layout: GraphLayout = {
      M,
      capacity: cap,
      header: memory.allocate(HEADER_SLOTS * 4),
      links0: memory.allocate(cap * stride0 * 4),
      upper: memory.allocate(Math.max(64, (cap >> 3) * strideUp) * 4),
      undo: memory.allocate(64 * 4),
      levels: memory.allocate(cap),
      upperOffset: memory.allocate(cap * 4),
      labels: memory.allocate(cap * 4),
      deleted: memory.allocate(cap),
      locks: memory.allocate(cap * 4),
      touched: memory.allocate(cap * 4),
    };
    const g = new Graph(layout, memory);
    g.header[H_ENTRY] = -1;
    g.header[H_MAX_LEVEL] = -1;
    return g;
  }

  /** Another thread's view of a graph, from its layout. It never grows. */
  static attach(layout: GraphLayout): Graph {
    return new Graph(layout, undefined);
  }

  /** The regions, to post to a worker or hand to a fused kernel. Re-read after growth. */
  get layout(): GraphLayout {
    return { ...this.regions };
  }

  get capacity(): number {
    return this.regions.capacity;
  }

  get count(): number {
    return this.header[H_COUNT];
  }

  get entry(): number {
    return this.header[H_ENTRY];
  }

  get maxLevel(): number {
    return this.header[H_MAX_LEVEL];
  }

  /** Grow the per-row arrays (×1.5 or more) until `rows` rows fit. Owner thread only, never while workers run. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const memory = this.owner('grow');
    const cap = Math.max(rows, Math.ceil(this.capacity * 1.5));
    const r = this.regions;
    r.links0 = memory.resize(r.links0, cap * this.stride0 * 4);
    for (const [name, bytes] of PER_ROW) r[name] = memory.resize(r[name], cap * bytes);
    r.capacity = cap;
    this.remakeViews();
  }

  /** Grow the upper pool until `slots` Int32 fit. Owner thread only. */
  reserveUpper(slots: number): void {
    if (slots <= this.upper.length) return;
    const r = this.regions;
    r.upper = this.owner('grow').resize(r.upper, Math.max(slots, Math.ceil(this.upper.length * 1.5)) * 4);
    this.remakeViews();
  }

  /**
   * Take rows [count, count + levels.length) with the given levels and labels, and their upper-level
   * lists. Lists start empty. Returns the first row.
   */
  allocate(levels: ArrayLike<number>, labels: ArrayLike<number>): number {
    const first = this.header[H_COUNT];
    const n = levels.length;
    this.reserve(first + n);
    let upperNeeded = 0;
    for (let i = 0; i < n; i++) upperNeeded += levels[i] * this.strideUp;
    const used = this.header[H_UPPER_USED];
    this.reserveUpper(used + upperNeeded);
    let offset = used;
    for (let i = 0; i < n; i++) {
      const row = first + i;
      this.levels[row] = levels[i];
      this.labels[row] = labels[i];
      this.deleted[row] = 0;
      this.locks[row] = 0;
      this.links0[row * this.stride0] = 0;
      if (levels[i] > 0) {
        this.upperOffset[row] = offset;
        for (let l = 0; l < levels[i]; l++) this.upper[offset + l * this.strideUp] = 0;
        offset += levels[i] * this.strideUp;
      } else {
        this.upperOffset[row] = -1;
      }
    }
    this.header[H_UPPER_USED] = offset;
    this.header[H_COUNT] = first + n;
    return first;
  }

  /** The array holding a row's list at `level`; pair it with {@link listOffset}. */
  listArray(level: number): Int32Array {
    return level === 0 ? this.links0 : this.upper;
  }

  /** Where a row's list at `level` starts: the count slot, links follow. */
  listOffset(row: number, level: number): number {
    return level === 0 ? row * this.stride0 : this.upperOffset[row] + (level - 1) * this.strideUp;
  }

  /** Most links a list at `level` may hold. */
  maxLinks(level: number): number {
    return level === 0 ? this.M0 : this.M;
  }

  /** Bytes of link lists, levels, offsets, locks and the undo log (labels and tombstones count as other). */
  graphBytes(): number {
    const r = this.regions;
    return (
      r.header.byteLength +
      r.levels.byteLength +
      r.links0.byteLength +
      r.upperOffset.byteLength +
      r.upper.byteLength +
      r.locks.byteLength +
      r.touched.byteLength +
      r.undo.byteLength
    );
  }

  /** Bytes of labels and tombstones. */
  labelBytes(): number {
    return this.regions.labels.byteLength + this.regions.deleted.byteLength;
  }

  // ---- The undo log: how a failed batch is rolled back without copying the graph first ----

  /**
   * Log writes to rows below `firstRow` until {@link endUndo}. `touchBound` is the most rows below
   * it the batch can write (its rows' back-links); the log is sized from it, so it cannot overflow.
   */
  beginUndo(firstRow: number, touchBound: number): void {
    const h = this.header;
    const rows = Math.min(firstRow, touchBound);
    // A row's entry holds all its lists; the pool's size bounds the upper lists of any rows logged.
    const ints = rows * (2 + this.stride0) + Math.min(h[H_UPPER_USED], rows * Math.max(0, h[H_MAX_LEVEL]) * this.strideUp);
    if (ints > this.undo.length) {
      // The old log's contents are not needed: a fresh region rather than a copying resize.
      const r = this.regions,
        memory = this.owner('log');
      memory.release(r.undo);
      r.undo = memory.allocate(Math.max(ints, Math.ceil(this.undo.length * 1.5)) * 4);
      this.remakeViews();
    }
    if (++this.epoch === 0xffffffff) {
      this.touched.fill(0);
      this.epoch = 1;
    }
    h[H_UNDO_USED] = 0;
    h[H_UNDO_CAPACITY] = this.undo.length;
    h[H_UNDO_FIRST_ROW] = firstRow;
    h[H_UNDO_EPOCH] = this.epoch;
  }

  /** Stop logging: the batch is committed. */
  endUndo(): void {
    this.header[H_UNDO_EPOCH] = 0;
    this.header[H_UNDO_USED] = 0;
  }

  /**
   * Call before writing any list of `row` (holding its lock, or as its only writer): the first time
   * in a batch, its lists are logged.
   */
  noteWrite(row: number): void {
    const h = this.header;
    const epoch = h[H_UNDO_EPOCH];
    if (epoch === 0 || row >= h[H_UNDO_FIRST_ROW] || this.touched[row] === epoch) return;
    this.touched[row] = epoch;
    const level = this.levels[row];
    const n = this.stride0 + level * this.strideUp;
    const at = Atomics.add(h, H_UNDO_USED, n + 2);
    if (at + n + 2 > h[H_UNDO_CAPACITY]) throw new Error(`undo log overflow at row ${row}: sized ${h[H_UNDO_CAPACITY]} ints (a bug)`);
    const undo = this.undo;
    undo[at] = row;
    undo[at + 1] = n;
    undo.set(this.links0.subarray(row * this.stride0, (row + 1) * this.stride0), at + 2);
    if (level > 0) {
      const off = this.upperOffset[row];
      undo.set(this.upper.subarray(off, off + level * this.strideUp), at + 2 + this.stride0);
    }
  }

  /**
   * Undo the running batch: every logged list back as it was, rows from `header` on forgotten, the
   * header as saved, every lock free. The log is replayed in any order (one entry per row).
   */
  rollback(savedHeader: Int32Array): void {
    const h = this.header,
      undo = this.undo;
    const used = Math.min(h[H_UNDO_USED], h[H_UNDO_CAPACITY]);
    for (let at = 0; at < used;) {
      const row = undo[at],
        n = undo[at + 1];
      this.links0.set(undo.subarray(at + 2, at + 2 + this.stride0), row * this.stride0);
      if (n > this.stride0) this.upper.set(undo.subarray(at + 2 + this.stride0, at + 2 + n), this.upperOffset[row]);
      at += n + 2;
    }
    h.set(savedHeader);
    this.locks.fill(0);
    this.endUndo();
  }

  private owner(what: string): RegionAllocator {
    if (!this.memory) throw new Error(`an attached graph cannot ${what}`);
    return this.memory;
  }

  private remakeViews(): void {
    const r = this.regions;
    this.header = view(Int32Array, r.header).subarray(0, HEADER_SLOTS);
    this.levels = view(Uint8Array, r.levels).subarray(0, r.capacity);
    this.links0 = view(Int32Array, r.links0).subarray(0, r.capacity * this.stride0);
    this.upperOffset = view(Int32Array, r.upperOffset).subarray(0, r.capacity);
    this.upper = view(Int32Array, r.upper);
    this.labels = view(Uint32Array, r.labels).subarray(0, r.capacity);
    this.deleted = view(Uint8Array, r.deleted).subarray(0, r.capacity);
    this.locks = view(Int32Array, r.locks).subarray(0, r.capacity);
    this.touched = view(Uint32Array, r.touched).subarray(0, r.capacity);
    this.undo = view(Int32Array, r.undo);
  }

  /** Free every region (the index is disposed). */
  dispose(): void {
    const memory = this.owner('be disposed');
    const r = this.regions;
    for (const key of ['header', 'links0', 'upper', 'undo', ...PER_ROW.map(([k]) => k)] as const) memory.release(r[key]);
  }
}
