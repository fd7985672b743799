import type { Metric, Quantiser } from '@hnswlab/core/contracts';
import { CodeSpace, type CodeProbe, type CodeSpaceHandle } from './code-space.js';
import { normaliseInPlace } from './shared-f32-space.js';

// The 'i8' store (contracts.ts, VectorStore): q_j = clamp(roundHalfEven((x_j − c_j) / s), −127, 127).
// l2 = fround(S·s²) with S = Σ(qa − qb)²; ip and cosine = fround(1 − ((C + s·(Pa + Pb)) + s²·I)) with
// I = Σ qa·qb, P the row's Σ c_j·q_j and C = Σ c_j². S and I are integer sums (exact here in doubles);
// the float terms are scalar sums made once per row, query and quantiser. Bit-exact to the contract.

/** roundHalfEven(t) clamped to [−127, 127] into codes[at]; true when clamped. */
export function encodeI8(src: Float32Array, off: number, dim: number, q: Quantiser, codes: Int8Array, at: number): boolean {
  const c = q.centre,
    s = q.scale;
  let clamped = false;
  for (let j = 0; j < dim; j++) {
    const t = (src[off + j] - c[j]) / s;
    let r: number;
    if (t >= 127.5) {
      r = 127;
      clamped = true;
    } else if (t <= -127.5) {
      r = -127;
      clamped = true;
    } else {
      r = Math.round(t);
      // Math.round takes halves up; ties go to the even neighbour instead.
      if (r - t === 0.5 && (r & 1) !== 0) r -= 1;
    }
    codes[at + j] = r;
  }
  return clamped;
}

/** P = Σ c_j·q_j, float64, j ascending (each product is exact). */
export function centreDot(c: Float32Array, codes: Int8Array, at: number, dim: number): number {
  let p = 0;
  for (let j = 0; j < dim; j++) p += c[j] * codes[at + j];
  return p;
}

export class I8Space extends CodeSpace {
  /** The codes as int8. */
  q8: Int8Array = new Int8Array(0);
  /** s, s² and C = Σ c_j², set with the quantiser. */
  s = 0;
  s2 = 0;
  C = 0;
  private readonly dot: boolean;

  constructor(
    kernelName: string,
    dim: number,
    metric: Metric,
    capacity: number,
    keep: boolean,
    quantiser?: Quantiser | null,
    from?: CodeSpaceHandle,
  ) {
    super(kernelName, dim, metric, capacity, keep, { store: 'i8', codeBytes: dim, termsPerRow: metric === 'l2' ? 0 : 1 }, from);
    this.dot = metric !== 'l2';
    this.init(quantiser);
  }

  protected override view(): void {
    this.q8 = new Int8Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  protected override quantiserSet(): void {
    const q = this.quantiser!;
    this.s = q.scale;
    this.s2 = q.scale * q.scale;
    let C = 0;
    for (let j = 0; j < this.dim; j++) C += q.centre[j] * q.centre[j];
    this.C = C;
  }

  protected override encode(src: Float32Array, off: number, row: number): boolean {
    return encodeI8(src, off, this.dim, this.quantiser!, this.q8, row * this.dim);
  }

  protected override derive(row: number): void {
    if (this.dot) this.terms[row] = centreDot(this.quantiser!.centre, this.q8, row * this.dim, this.dim);
  }

  protected override decode(row: number, out: Float32Array): void {
    const { centre, scale } = this.quantiser!;
    for (let j = 0, at = row * this.dim; j < this.dim; j++, at++) out[j] = centre[j] + scale * this.q8[at];
  }

  protected override makeProbe(maxBatch: number): CodeProbe {
    return this.dot ? new I8DotProbe(this, maxBatch) : new I8L2Probe(this, maxBatch);
  }

  /** Encode an outside query (normalised first under cosine) into codes; returns its P. Not counted as clamped. */
  encodeQuery(vector: Float32Array, offset: number, floats: Float32Array, codes: Int8Array): number {
    // No quantiser yet means no rows yet: nothing to compare the query with (a search of an empty index).
    if (!this.quantiser) return 0;
    floats.set(vector.subarray(offset, offset + this.dim));
    if (this.metric === 'cosine') normaliseInPlace(floats, 0, this.dim);
    encodeI8(floats, 0, this.dim, this.quantiser!, codes, 0);
    return this.dot ? centreDot(this.quantiser!.centre, codes, 0, this.dim) : 0;
  }
}

abstract class I8Probe implements CodeProbe {
  ids: Int32Array;
  out: Float32Array;
  protected codes: Int8Array = new Int8Array(0);
  protected terms: Float64Array = new Float64Array(0);
  protected s = 0;
  protected s2 = 0;
  protected C = 0;
  /** The query's codes: `own` (an outside query) or the space's (a stored row), from qOff; qP its P. */
  protected q: Int8Array;
  protected qOff = 0;
  protected qP = 0;
  private queryRow = -1;
  private readonly own: Int8Array;
  private readonly floats: Float32Array;

  constructor(
    protected readonly space: I8Space,
    readonly maxBatch: number,
    protected readonly dim = space.dim,
  ) {
    this.ids = new Int32Array(maxBatch);
    this.out = new Float32Array(maxBatch);
    this.own = new Int8Array(dim);
    this.floats = new Float32Array(dim);
    this.q = this.own;
    this.bind();
  }

  get scratchBytes(): number {
    return this.ids.byteLength + this.out.byteLength + this.own.byteLength + this.floats.byteLength;
  }

  bind(): void {
    const s = this.space;
    this.codes = s.q8;
    this.terms = s.terms;
    this.s = s.s;
    this.s2 = s.s2;
    this.C = s.C;
    if (this.queryRow >= 0) this.setQueryRow(this.queryRow);
  }

  setQuery(vector: Float32Array, offset = 0): void {
    this.queryRow = -1;
    this.qP = this.space.encodeQuery(vector, offset, this.floats, this.own);
    this.q = this.own;
    this.qOff = 0;
  }

  setQueryRow(row: number): void {
    this.queryRow = row;
    this.q = this.codes;
    this.qOff = row * this.dim;
    this.qP = this.terms.length > 0 ? this.terms[row] : 0;
  }

  /** The distance (before rounding to float32) between codes q[a..] with term p and stored row `row`. */
  protected abstract distance(q: Int8Array, a: number, p: number, row: number): number;

  toRows(count: number): void {
    const ids = this.ids,
      out = this.out,
      q = this.q,
      a = this.qOff,
      p = this.qP;
    for (let i = 0; i < count; i++) out[i] = this.distance(q, a, p, ids[i]);
  }

  toRow(row: number): number {
    return Math.fround(this.distance(this.q, this.qOff, this.qP, row));
  }

  rowToRows(row: number, count: number): void {
    const ids = this.ids,
      out = this.out,
      a = row * this.dim,
      p = this.terms.length > 0 ? this.terms[row] : 0;
    for (let i = 0; i < count; i++) out[i] = this.distance(this.codes, a, p, ids[i]);
  }

  firstNearer(row: number, count: number, bound: number): number {
    const ids = this.ids,
      a = row * this.dim,
      p = this.terms.length > 0 ? this.terms[row] : 0;
    for (let i = 0; i < count; i++) if (Math.fround(this.distance(this.codes, a, p, ids[i])) < bound) return i;
    return count;
  }
}

class I8L2Probe extends I8Probe {
  protected distance(q: Int8Array, a: number, _p: number, row: number): number {
    const codes = this.codes,
      dim = this.dim;
    let b = row * dim;
    const end4 = a + (dim & ~3),
      end = a + dim;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (; a < end4; a += 4, b += 4) {
      const d0 = q[a] - codes[b],
        d1 = q[a + 1] - codes[b + 1],
        d2 = q[a + 2] - codes[b + 2],
        d3 = q[a + 3] - codes[b + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; a < end; a++, b++) {
      const d = q[a] - codes[b];
      s0 += d * d;
    }
    return (s0 + s1 + s2 + s3) * this.s2;
  }
}

/** ip and cosine: 1 − the dot product of the decoded vectors, from integer I and the per-row terms. */
class I8DotProbe extends I8Probe {
  protected distance(q: Int8Array, a: number, p: number, row: number): number {
    const codes = this.codes,
      dim = this.dim;
    let b = row * dim;
    const end4 = a + (dim & ~3),
      end = a + dim;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (; a < end4; a += 4, b += 4) {
      s0 += q[a] * codes[b];
      s1 += q[a + 1] * codes[b + 1];
      s2 += q[a + 2] * codes[b + 2];
      s3 += q[a + 3] * codes[b + 3];
    }
    for (; a < end; a++, b++) s0 += q[a] * codes[b];
    return 1 - (this.C + this.s * (p + this.terms[row]) + this.s2 * (s0 + s1 + s2 + s3));
  }
}
