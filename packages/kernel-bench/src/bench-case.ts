import type { Metric } from '@hnswlab/core/contracts';
import { Mulberry32 } from './mulberry32.js';

/** One cell of the matrix: a query against `n` stored rows of `dim` floats, in one batched call. */
export interface BenchCase {
  readonly metric: Metric;
  readonly dim: number;
  readonly n: number;
}

/** The inputs of a case, identical to what native/reference.cc generates from the same seed. */
export interface CaseData {
  /** n rows, row-major, uniform in [-1, 1). */
  readonly rows: Float32Array;
  readonly query: Float32Array;
  /** A random permutation of 0..n-1: every stored row once, in scattered order, as a graph's link list visits them. */
  readonly ids: Int32Array;
}

export function caseData({ dim, n }: BenchCase, seed: number): CaseData {
  const rng = new Mulberry32(seed);
  const rows = new Float32Array(n * dim);
  for (let i = 0; i < rows.length; i++) rows[i] = rng.uniform() * 2 - 1;
  const query = new Float32Array(dim);
  for (let j = 0; j < dim; j++) query[j] = rng.uniform() * 2 - 1;
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const k = Math.floor(rng.uniform() * (i + 1));
    const t = ids[i];
    ids[i] = ids[k];
    ids[k] = t;
  }
  return { rows, query, ids };
}

/** Floating-point operations per distance: l2 is sub, mul, add per component; dot (ip, cosine) mul, add. */
export function flopsPerDistance(metric: Metric, dim: number): number {
  return (metric === 'l2' ? 3 : 2) * dim;
}

/**
 * FNV-1a over the ids, the bits of the first stored row and of the query: native/reference.cc
 * prints the same number, which proves both sides timed the same inputs.
 */
export function inputChecksum(data: CaseData, dim: number): number {
  let h = 0x811c9dc5;
  const mix = (word: number) => {
    for (let b = 0; b < 4; b++) {
      h ^= (word >>> (8 * b)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  };
  for (const id of data.ids) mix(id);
  const bits = new Uint32Array(data.rows.buffer, data.rows.byteOffset, dim);
  for (const w of bits) mix(w);
  for (const w of new Uint32Array(data.query.buffer, data.query.byteOffset, dim)) mix(w);
  return h >>> 0;
}
