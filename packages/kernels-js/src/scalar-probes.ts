import type { Metric } from '@hnswlab/core/contracts';
import { normaliseInPlace, type StoreProbe } from './shared-f32-space.js';

/** Flat float32 rows a probe reads: an f32 space, or a quantised space's kept rows (exact rerank). */
export interface F32Rows {
  readonly data: Float32Array;
  readonly dim: number;
  readonly metric: Metric;
}

// Two monomorphic probes, one per formula, so the hot loop never branches on the metric.
// Sums run in float64 (JS numbers) with four accumulators, unrolled by four.

/** A metric of the js kernel is a subclass with its formula in distance() (see metric-probes.ts). */
export abstract class ScalarProbe implements StoreProbe {
  data: Float32Array;
  ids: Int32Array;
  out: Float32Array;
  /** The query's floats live either in `data` (a stored row) or in `own`; `q`/`qOff` say where. */
  protected q: Float32Array;
  protected qOff = 0;
  private readonly own: Float32Array;

  constructor(
    space: F32Rows,
    readonly maxBatch: number,
    protected readonly dim = space.dim,
    private readonly normalise = space.metric === 'cosine',
  ) {
    this.data = space.data;
    this.ids = new Int32Array(maxBatch);
    this.out = new Float32Array(maxBatch);
    this.own = new Float32Array(dim);
    this.q = this.own;
  }

  get scratchBytes(): number {
    return this.ids.byteLength + this.out.byteLength + this.own.byteLength;
  }

  setQuery(vector: Float32Array, offset = 0): void {
    this.own.set(vector.subarray(offset, offset + this.dim));
    if (this.normalise) normaliseInPlace(this.own, 0, this.dim);
    this.q = this.own;
    this.qOff = 0;
  }

  setQueryRow(row: number): void {
    this.q = this.data;
    this.qOff = row * this.dim;
  }

  /** The formula: distance between the dim floats of q at a and of the store at b. */
  protected abstract distance(q: Float32Array, a: number, b: number): number;

  toRows(count: number): void {
    const ids = this.ids,
      out = this.out,
      q = this.q,
      qOff = this.qOff,
      dim = this.dim;
    for (let i = 0; i < count; i++) out[i] = this.distance(q, qOff, ids[i] * dim);
  }

  toRow(row: number): number {
    // The float32 value toRows would write: every distance the core compares is a float32.
    return Math.fround(this.distance(this.q, this.qOff, row * this.dim));
  }

  rowToRows(row: number, count: number): void {
    const ids = this.ids,
      out = this.out,
      data = this.data,
      dim = this.dim,
      a = row * dim;
    for (let i = 0; i < count; i++) out[i] = this.distance(data, a, ids[i] * dim);
  }

  firstNearer(row: number, count: number, bound: number): number {
    const ids = this.ids,
      data = this.data,
      dim = this.dim,
      a = row * dim;
    // Compared as float32, the value toRows would write, so both paths agree on every bound.
    for (let i = 0; i < count; i++) if (Math.fround(this.distance(data, a, ids[i] * dim)) < bound) return i;
    return count;
  }
}

export class L2Probe extends ScalarProbe {
  protected distance(q: Float32Array, a: number, b: number): number {
    const data = this.data,
      dim = this.dim;
    const end4 = a + (dim & ~3),
      end = a + dim;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (; a < end4; a += 4, b += 4) {
      const d0 = q[a] - data[b],
        d1 = q[a + 1] - data[b + 1],
        d2 = q[a + 2] - data[b + 2],
        d3 = q[a + 3] - data[b + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; a < end; a++, b++) {
      const d = q[a] - data[b];
      s0 += d * d;
    }
    return s0 + s1 + s2 + s3;
  }
}

/** ip and cosine: 1 − dot (cosine spaces hold unit vectors). */
export class DotProbe extends ScalarProbe {
  protected distance(q: Float32Array, a: number, b: number): number {
    const data = this.data,
      dim = this.dim;
    const end4 = a + (dim & ~3),
      end = a + dim;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (; a < end4; a += 4, b += 4) {
      s0 += q[a] * data[b];
      s1 += q[a + 1] * data[b + 1];
      s2 += q[a + 2] * data[b + 2];
      s3 += q[a + 3] * data[b + 3];
    }
    for (; a < end; a++, b++) s0 += q[a] * data[b];
    return 1 - (s0 + s1 + s2 + s3);
  }
}
