import type { Metric, Quantiser } from '@hnswlab/core/contracts';
import { CodeSpace, type CodeProbe, type CodeSpaceHandle } from './code-space.js';
import { normaliseInPlace } from './shared-f32-space.js';

// The 'b1' store (contracts.ts, VectorStore): bit j of a row is x_j > c_j, ⌈dim/32⌉ uint32 words per
// row, padding bits zero; the distance for every metric is the Hamming distance popcount(a ⊕ b).

/** The bits of the dim floats of src at off, against the centres, into words[at..]. */
export function encodeB1(src: Float32Array, off: number, dim: number, centre: Float32Array, words: Uint32Array, at: number): void {
  const n = (dim + 31) >>> 5;
  words.fill(0, at, at + n);
  for (let j = 0; j < dim; j++) if (src[off + j] > centre[j]) words[at + (j >>> 5)] |= 1 << (j & 31);
}

/** Set bits of a 32-bit word (SWAR). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export class B1Space extends CodeSpace {
  /** The codes as uint32 words. */
  words: Uint32Array = new Uint32Array(0);
  readonly wordsPerRow: number;

  constructor(
    kernelName: string,
    dim: number,
    metric: Metric,
    capacity: number,
    keep: boolean,
    quantiser?: Quantiser | null,
    from?: CodeSpaceHandle,
  ) {
    const wordsPerRow = (dim + 31) >>> 5;
    super(kernelName, dim, metric, capacity, keep, { store: 'b1', codeBytes: wordsPerRow * 4, termsPerRow: 0 }, from);
    this.wordsPerRow = wordsPerRow;
    this.init(quantiser);
  }

  protected override view(): void {
    this.words = new Uint32Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength >>> 2);
  }

  protected override encode(src: Float32Array, off: number, row: number): boolean {
    encodeB1(src, off, this.dim, this.quantiser!.centre, this.words, row * this.wordsPerRow);
    return false;
  }

  protected override decode(row: number, out: Float32Array): void {
    const { centre, scale } = this.quantiser!;
    const at = row * this.wordsPerRow;
    for (let j = 0; j < this.dim; j++) out[j] = (this.words[at + (j >>> 5)] >>> (j & 31)) & 1 ? centre[j] + scale : centre[j] - scale;
  }

  protected override makeProbe(maxBatch: number): CodeProbe {
    return new HammingProbe(this, maxBatch);
  }

  /** An outside query's bits (normalised first under cosine). */
  encodeQuery(vector: Float32Array, offset: number, floats: Float32Array, words: Uint32Array): void {
    // No quantiser yet means no rows yet: nothing to compare the query with (a search of an empty index).
    if (!this.quantiser) return;
    floats.set(vector.subarray(offset, offset + this.dim));
    if (this.metric === 'cosine') normaliseInPlace(floats, 0, this.dim);
    encodeB1(floats, 0, this.dim, this.quantiser!.centre, words, 0);
  }
}

/** Hamming distances between bit rows: one probe for every metric. */
class HammingProbe implements CodeProbe {
  ids: Int32Array;
  out: Float32Array;
  private words: Uint32Array = new Uint32Array(0);
  /** The query's words: `own` (an outside query) or the space's (a stored row), from qOff. */
  private q: Uint32Array;
  private qOff = 0;
  private queryRow = -1;
  private readonly own: Uint32Array;
  private readonly floats: Float32Array;
  private readonly n: number;

  constructor(
    private readonly space: B1Space,
    readonly maxBatch: number,
  ) {
    this.ids = new Int32Array(maxBatch);
    this.out = new Float32Array(maxBatch);
    this.n = space.wordsPerRow;
    this.own = new Uint32Array(this.n);
    this.floats = new Float32Array(space.dim);
    this.q = this.own;
    this.bind();
  }

  get scratchBytes(): number {
    return this.ids.byteLength + this.out.byteLength + this.own.byteLength + this.floats.byteLength;
  }

  bind(): void {
    this.words = this.space.words;
    if (this.queryRow >= 0) this.setQueryRow(this.queryRow);
  }

  setQuery(vector: Float32Array, offset = 0): void {
    this.queryRow = -1;
    this.space.encodeQuery(vector, offset, this.floats, this.own);
    this.q = this.own;
    this.qOff = 0;
  }

  setQueryRow(row: number): void {
    this.queryRow = row;
    this.q = this.words;
    this.qOff = row * this.n;
  }

  private distance(q: Uint32Array, a: number, row: number): number {
    const words = this.words,
      end = a + this.n;
    let b = row * this.n,
      d = 0;
    for (; a < end; a++, b++) d += popcount32(q[a] ^ words[b]);
    return d;
  }

  toRows(count: number): void {
    const ids = this.ids,
      out = this.out,
      q = this.q,
      a = this.qOff;
    for (let i = 0; i < count; i++) out[i] = this.distance(q, a, ids[i]);
  }

  toRow(row: number): number {
    return this.distance(this.q, this.qOff, row);
  }

  rowToRows(row: number, count: number): void {
    const ids = this.ids,
      out = this.out,
      a = row * this.n;
    for (let i = 0; i < count; i++) out[i] = this.distance(this.words, a, ids[i]);
  }

  firstNearer(row: number, count: number, bound: number): number {
    const ids = this.ids,
      a = row * this.n;
    for (let i = 0; i < count; i++) if (this.distance(this.words, a, ids[i]) < bound) return i;
    return count;
  }
}
