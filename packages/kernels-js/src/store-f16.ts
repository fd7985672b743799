import type { Metric } from '@hnswlab/core/contracts';
import { CodeSpace, type CodeProbe, type CodeSpaceHandle } from './code-space.js';
import { normaliseInPlace } from './shared-f32-space.js';

// The 'f16' store (contracts.ts, VectorStore): IEEE binary16 codes rounded to nearest, ties to even,
// from float32; |x| > 65504 stored as ±65504 (clamped). Distances: the metric's formula between the
// float32 query and the decoded row, summed as the f32 store's probes sum (float64, four accumulators).

const F16_MAX = 65504;
const bits32 = new Uint32Array(1);
const float32 = new Float32Array(bits32.buffer);

/** The binary16 nearest to float32 x (ties to even); |x| must be ≤ 65504. */
export function toHalf(x: number): number {
  float32[0] = x;
  const u = bits32[0];
  const sign = (u >>> 16) & 0x8000,
    a = u & 0x7fffffff;
  if (a < 0x38800000) {
    // Below 2^−14: a subnormal half, a multiple of 2^−24 (1024 rounds up into the smallest normal).
    const t = float32[0] < 0 ? -float32[0] * 16777216 : float32[0] * 16777216;
    let r = Math.round(t);
    if (r - t === 0.5 && (r & 1) !== 0) r -= 1;
    return sign | r;
  }
  let half = (((a >>> 23) - 112) << 10) | ((a >>> 13) & 0x3ff);
  const rest = a & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) !== 0)) half++;
  return sign | half;
}

/** The dim floats of src at off as halves into halves[at..]; true when a component was clamped to ±65504. */
export function encodeF16(src: Float32Array, off: number, dim: number, halves: Uint16Array, at: number): boolean {
  let clamped = false;
  for (let j = 0; j < dim; j++) {
    const x = src[off + j];
    if (x > F16_MAX || x < -F16_MAX) {
      halves[at + j] = x > 0 ? 0x7bff : 0xfbff;
      clamped = true;
    } else halves[at + j] = toHalf(x);
  }
  return clamped;
}

let table: Float32Array | undefined;

/** Every binary16 value as float32, by code (decoding is exact). */
export function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const e = (h >>> 10) & 0x1f,
      m = h & 0x3ff;
    const v = e === 0 ? m * 2 ** -24 : e === 31 ? (m ? NaN : Infinity) : (1 + m / 1024) * 2 ** (e - 15);
    table[h] = h & 0x8000 ? -v : v;
  }
  return table;
}

export class F16Space extends CodeSpace {
  /** The codes as uint16. */
  halves: Uint16Array = new Uint16Array(0);
  readonly table = halfTable();

  constructor(kernelName: string, dim: number, metric: Metric, capacity: number, keep: boolean, from?: CodeSpaceHandle) {
    super(kernelName, dim, metric, capacity, keep, { store: 'f16', codeBytes: dim * 2, termsPerRow: 0 }, from);
    this.init(null);
  }

  protected override view(): void {
    this.halves = new Uint16Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength >>> 1);
  }

  protected override encode(src: Float32Array, off: number, row: number): boolean {
    return encodeF16(src, off, this.dim, this.halves, row * this.dim);
  }

  protected override decode(row: number, out: Float32Array): void {
    const halves = this.halves,
      t = this.table;
    for (let j = 0, at = row * this.dim; j < this.dim; j++, at++) out[j] = t[halves[at]];
  }

  /** Row `row`, decoded, into out (for probes). */
  decodeRow(row: number, out: Float32Array): void {
    this.decode(row, out);
  }

  protected override makeProbe(maxBatch: number): CodeProbe {
    return this.metric === 'l2' ? new F16L2Probe(this, maxBatch) : new F16DotProbe(this, maxBatch);
  }
}

abstract class F16Probe implements CodeProbe {
  ids: Int32Array;
  out: Float32Array;
  protected halves: Uint16Array = new Uint16Array(0);
  protected readonly table: Float32Array;
  /** The query in float32 (an outside query as given, normalised under cosine; a stored row decoded). */
  private readonly query: Float32Array;
  /** A stored row, decoded, for rowToRows and firstNearer (the query stays as it is). */
  private readonly other: Float32Array;

  constructor(
    private readonly space: F16Space,
    readonly maxBatch: number,
    protected readonly dim = space.dim,
  ) {
    this.ids = new Int32Array(maxBatch);
    this.out = new Float32Array(maxBatch);
    this.query = new Float32Array(dim);
    this.other = new Float32Array(dim);
    this.table = space.table;
    this.bind();
  }

  get scratchBytes(): number {
    return this.ids.byteLength + this.out.byteLength + this.query.byteLength + this.other.byteLength;
  }

  bind(): void {
    this.halves = this.space.halves;
  }

  setQuery(vector: Float32Array, offset = 0): void {
    this.query.set(vector.subarray(offset, offset + this.dim));
    if (this.space.metric === 'cosine') normaliseInPlace(this.query, 0, this.dim);
  }

  setQueryRow(row: number): void {
    this.space.decodeRow(row, this.query);
  }

  /** The formula between float32 q and the decoded stored row `row`. */
  protected abstract distance(q: Float32Array, row: number): number;

  toRows(count: number): void {
    const ids = this.ids,
      out = this.out,
      q = this.query;
    for (let i = 0; i < count; i++) out[i] = this.distance(q, ids[i]);
  }

  toRow(row: number): number {
    return Math.fround(this.distance(this.query, row));
  }

  rowToRows(row: number, count: number): void {
    const ids = this.ids,
      out = this.out,
      q = this.other;
    this.space.decodeRow(row, q);
    for (let i = 0; i < count; i++) out[i] = this.distance(q, ids[i]);
  }

  firstNearer(row: number, count: number, bound: number): number {
    const ids = this.ids,
      q = this.other;
    this.space.decodeRow(row, q);
    for (let i = 0; i < count; i++) if (Math.fround(this.distance(q, ids[i])) < bound) return i;
    return count;
  }
}

class F16L2Probe extends F16Probe {
  protected distance(q: Float32Array, row: number): number {
    const h = this.halves,
      t = this.table,
      dim = this.dim;
    let b = row * dim,
      a = 0;
    const end4 = dim & ~3;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (; a < end4; a += 4, b += 4) {
      const d0 = q[a] - t[h[b]],
        d1 = q[a + 1] - t[h[b + 1]],
        d2 = q[a + 2] - t[h[b + 2]],
        d3 = q[a + 3] - t[h[b + 3]];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; a < dim; a++, b++) {
      const d = q[a] - t[h[b]];
      s0 += d * d;
    }
    return s0 + s1 + s2 + s3;
  }
}

/** ip and cosine: 1 − dot. */
class F16DotProbe extends F16Probe {
  protected distance(q: Float32Array, row: number): number {
    const h = this.halves,
      t = this.table,
      dim = this.dim;
    let b = row * dim,
      a = 0;
    const end4 = dim & ~3;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (; a < end4; a += 4, b += 4) {
      s0 += q[a] * t[h[b]];
      s1 += q[a + 1] * t[h[b + 1]];
      s2 += q[a + 2] * t[h[b + 2]];
      s3 += q[a + 3] * t[h[b + 3]];
    }
    for (; a < dim; a++, b++) s0 += q[a] * t[h[b]];
    return 1 - (s0 + s1 + s2 + s3);
  }
}
