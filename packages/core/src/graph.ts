// The HNSW graph as flat typed arrays over SharedArrayBuffers, so worker threads build into the
// same memory. Level 0 keeps up to M0 = 2·M links per node; levels above keep up to M, in a pool
// addressed by a per-node offset. A link list is [count, link, link, ...].

/** Slots of the header (an Int32Array shared by every thread). */
export const H_COUNT = 0; // rows allocated
export const H_ENTRY = 1; // entry point row, −1 when empty
export const H_MAX_LEVEL = 2; // level of the entry point, −1 when empty
export const H_UPPER_USED = 3; // slots of the upper pool in use
export const H_GLOBAL_LOCK = 4; // guards entry point and max level during parallel inserts
export const H_DELETED = 5; // tombstoned rows
const HEADER_SLOTS = 8;

export interface GraphBuffers {
  readonly M: number;
  readonly header: SharedArrayBuffer;
  readonly levels: SharedArrayBuffer;
  readonly links0: SharedArrayBuffer;
  readonly upperOffset: SharedArrayBuffer;
  readonly upper: SharedArrayBuffer;
  readonly labels: SharedArrayBuffer;
  readonly deleted: SharedArrayBuffer;
  readonly locks: SharedArrayBuffer;
}

export class Graph {
  readonly M: number;
  readonly M0: number;
  /** Int32 slots per level-0 list (count + M0 links) and per upper list (count + M links). */
  readonly stride0: number;
  readonly strideUp: number;
  header: Int32Array;
  levels: Uint8Array;
  links0: Int32Array;
  upperOffset: Int32Array;
  upper: Int32Array;
  labels: Uint32Array;
  deleted: Uint8Array;
  locks: Int32Array;
  private readonly attached: boolean;

  constructor(M: number, capacity: number, buffers?: GraphBuffers) {
    this.M = M;
    this.M0 = 2 * M;
    this.stride0 = this.M0 + 1;
    this.strideUp = M + 1;
    this.attached = buffers !== undefined;
    if (buffers) {
      this.header = new Int32Array(buffers.header);
      this.levels = new Uint8Array(buffers.levels);
      this.links0 = new Int32Array(buffers.links0);
      this.upperOffset = new Int32Array(buffers.upperOffset);
      this.upper = new Int32Array(buffers.upper);
      this.labels = new Uint32Array(buffers.labels);
      this.deleted = new Uint8Array(buffers.deleted);
      this.locks = new Int32Array(buffers.locks);
    } else {
      const cap = Math.max(1, capacity);
      this.header = new Int32Array(new SharedArrayBuffer(HEADER_SLOTS * 4));
      this.header[H_ENTRY] = -1;
      this.header[H_MAX_LEVEL] = -1;
      this.levels = new Uint8Array(new SharedArrayBuffer(cap));
      this.links0 = new Int32Array(new SharedArrayBuffer(cap * this.stride0 * 4));
      this.upperOffset = new Int32Array(new SharedArrayBuffer(cap * 4));
      this.upper = new Int32Array(new SharedArrayBuffer(Math.max(64, (cap >> 3) * this.strideUp) * 4));
      this.labels = new Uint32Array(new SharedArrayBuffer(cap * 4));
      this.deleted = new Uint8Array(new SharedArrayBuffer(cap));
      this.locks = new Int32Array(new SharedArrayBuffer(cap * 4));
    }
  }

  get capacity(): number {
    return this.levels.length;
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

  get deletedCount(): number {
    return this.header[H_DELETED];
  }

  buffers(): GraphBuffers {
    const b = (a: { buffer: ArrayBufferLike }) => a.buffer as SharedArrayBuffer;
    return {
      M: this.M,
      header: b(this.header),
      levels: b(this.levels),
      links0: b(this.links0),
      upperOffset: b(this.upperOffset),
      upper: b(this.upper),
      labels: b(this.labels),
      deleted: b(this.deleted),
      locks: b(this.locks),
    };
  }

  /** Grow the per-row arrays (×1.5 or more) until `rows` rows fit. Owning thread only, never while workers run. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    if (this.attached) throw new Error('an attached graph cannot grow');
    const cap = Math.max(rows, Math.ceil(this.capacity * 1.5));
    this.levels = grown(this.levels, cap, Uint8Array);
    this.links0 = grown(this.links0, cap * this.stride0, Int32Array);
    this.upperOffset = grown(this.upperOffset, cap, Int32Array);
    this.labels = grown(this.labels, cap, Uint32Array);
    this.deleted = grown(this.deleted, cap, Uint8Array);
    this.locks = grown(this.locks, cap, Int32Array);
  }

  /**
   * Take rows [count, count + levels.length) with the given levels, and their upper-level lists.
   * Lists start empty. Returns the first row.
   */
  allocate(levels: ArrayLike<number>, labels: ArrayLike<number>): number {
    const first = this.header[H_COUNT];
    const n = levels.length;
    this.reserve(first + n);
    let upperNeeded = 0;
    for (let i = 0; i < n; i++) upperNeeded += levels[i] * this.strideUp;
    const used = this.header[H_UPPER_USED];
    if (used + upperNeeded > this.upper.length) {
      this.upper = grown(this.upper, Math.max(used + upperNeeded, Math.ceil(this.upper.length * 1.5)), Int32Array);
    }
    let offset = used;
    for (let i = 0; i < n; i++) {
      const row = first + i;
      this.levels[row] = levels[i];
      this.labels[row] = labels[i];
      this.deleted[row] = 0;
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

  /** Bytes of link lists, levels, offsets and locks actually allocated. */
  graphBytes(): number {
    return (
      this.levels.byteLength +
      this.links0.byteLength +
      this.upperOffset.byteLength +
      this.upper.byteLength +
      this.locks.byteLength +
      this.header.byteLength
    );
  }

  /** A copy of everything a batch may change, for restoring it if the batch fails. */
  snapshot(): GraphSnapshot {
    return {
      header: this.header.slice(),
      links0: this.links0.slice(0, this.count * this.stride0),
      upper: this.upper.slice(0, this.header[H_UPPER_USED]),
      deleted: this.deleted.slice(0, this.count),
    };
  }

  /** Put back a snapshot: rows allocated after it are forgotten, lists are as they were. */
  restore(s: GraphSnapshot): void {
    this.header.set(s.header);
    this.links0.set(s.links0);
    this.upper.set(s.upper);
    this.deleted.set(s.deleted);
    this.locks.fill(0);
  }
}

export interface GraphSnapshot {
  header: Int32Array;
  links0: Int32Array;
  upper: Int32Array;
  deleted: Uint8Array;
}

type TypedCtor<T> = { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

function grown<T extends Uint8Array | Int32Array | Uint32Array>(old: T, length: number, Ctor: TypedCtor<T>): T {
  const next = new Ctor(new SharedArrayBuffer(length * Ctor.BYTES_PER_ELEMENT));
  (next as Uint8Array).set(old);
  return next;
}
