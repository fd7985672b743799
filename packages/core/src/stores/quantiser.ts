import type { Metric, Quantiser, VectorStore } from '../contracts.js';
import { metricSpec } from '../metrics/registry.js';
import { checkPositiveInt, checkVectors, describeValue } from '../validate.js';

// The quantiser of the 'i8' and 'b1' stores (see VectorStore in contracts.ts): learned here, by the
// core, from an index's first batch, so every kernel encodes with the same parameters and a worker
// or a strategy that stores rows one at a time never learns from a single row.

const F32_MAX = 3.4028234663852886e38;

/**
 * A quantiser for `store` learned from `vectors` (row-major, n·dim floats, normalised first under a
 * normalising metric, as the index stores them):
 * - i8: each dimension's centre is the mid-range of the rows, and the scale the smallest float32 with
 *   which every row codes without clamping (the widest dimension spans [−127, 127]). Rows that agree
 *   in every component (one row, say) leave no range: the scale then covers ±2‖centre‖.
 * - b1: each dimension's centre is its mean (the threshold of its bit), and the scale the
 *   root-mean-square deviation from the centres (what a bit decodes to, beside the centre).
 * Give a representative sample: vectors outside the learned i8 range are clamped (and counted).
 */
export function learnQuantiser(vectors: Float32Array, options: { dim: number; store: VectorStore; metric?: Metric }): Quantiser {
  const dim = checkPositiveInt('dim', options?.dim);
  const store = options.store;
  if (store !== 'i8' && store !== 'b1') throw new RangeError(`store ${describeValue(store)} has no quantiser (i8 and b1 do)`);
  const normalise = metricSpec(options.metric ?? 'l2').normalise;
  checkVectors(vectors, dim, normalise, 'vectors', true);
  return learnFrom(vectors, vectors.length / dim, dim, store, normalise);
}

/** learnQuantiser over validated rows. */
export function learnFrom(vectors: Float32Array, n: number, dim: number, store: 'i8' | 'b1', normalise: boolean): Quantiser {
  const rows = normalise ? normalisedCopy(vectors, n, dim) : vectors;
  return store === 'i8' ? learnI8(rows, n, dim) : learnB1(rows, n, dim);
}

function learnI8(rows: Float32Array, n: number, dim: number): Quantiser {
  const lo = new Float64Array(dim).fill(Infinity),
    hi = new Float64Array(dim).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    for (let j = 0, at = r * dim; j < dim; j++, at++) {
      const x = rows[at];
      if (x < lo[j]) lo[j] = x;
      if (x > hi[j]) hi[j] = x;
    }
  }
  const centre = new Float32Array(dim);
  let reach = 0,
    norm = 0;
  for (let j = 0; j < dim; j++) {
    centre[j] = (lo[j] + hi[j]) / 2;
    const c = centre[j];
    reach = Math.max(reach, hi[j] - c, c - lo[j]);
    norm += c * c;
  }
  const scale = reach > 0 ? reach / 127 : norm > 0 ? (2 * Math.sqrt(norm)) / 127 : 1 / 127;
  return { centre, scale: roundUpToF32(scale) };
}

function learnB1(rows: Float32Array, n: number, dim: number): Quantiser {
  const sum = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let j = 0, at = r * dim; j < dim; j++, at++) sum[j] += rows[at];
  const centre = new Float32Array(dim);
  for (let j = 0; j < dim; j++) centre[j] = sum[j] / n;
  let squares = 0;
  for (let r = 0; r < n; r++) {
    for (let j = 0, at = r * dim; j < dim; j++, at++) {
      const d = rows[at] - centre[j];
      squares += d * d;
    }
  }
  const rms = Math.sqrt(squares / (n * dim));
  return { centre, scale: rms > 0 ? roundUpToF32(rms) : 1 };
}

/**
 * A caller's quantiser, checked against the index it is for and copied: dim finite centres, a finite
 * scale > 0 (rounded to float32), and codes that decode to finite float32 values.
 */
export function checkQuantiser(q: unknown, dim: number, store: VectorStore): Quantiser {
  if (store !== 'i8' && store !== 'b1') throw new RangeError(`store '${store}' takes no quantiser (i8 and b1 do)`);
  const given = q as Partial<Quantiser> | null;
  if (given === null || typeof given !== 'object' || !(given.centre instanceof Float32Array)) {
    throw new TypeError(`quantiser must be { centre: Float32Array(dim), scale: number }, got ${describeValue(q)}`);
  }
  if (given.centre.length !== dim) throw new RangeError(`quantiser.centre has ${given.centre.length} components: expected dim = ${dim}`);
  const scale = Math.fround(Number(given.scale));
  if (typeof given.scale !== 'number' || !(scale > 0) || 127 * scale > F32_MAX) {
    throw new RangeError(`quantiser.scale must be a finite number > 0, got ${describeValue(given.scale)}`);
  }
  const centre = Float32Array.from(given.centre);
  for (let j = 0; j < dim; j++) {
    if (!(Math.abs(centre[j]) + 127 * scale <= F32_MAX)) {
      throw new RangeError(`quantiser.centre[${j}] is ${centre[j]}: centres must be finite, and decode to finite float32 values`);
    }
  }
  return { centre, scale };
}

/** The smallest float32 ≥ x (x > 0, finite). */
function roundUpToF32(x: number): number {
  const f = Math.fround(x);
  if (f >= x) return f;
  const bits = new Uint32Array(new Float32Array([f]).buffer);
  bits[0]++;
  return new Float32Array(bits.buffer)[0];
}

/** The rows normalised as a space stores them (sum of squares in float64; each component times 1/√sum, to float32). */
function normalisedCopy(vectors: Float32Array, n: number, dim: number): Float32Array {
  const out = vectors.slice(0, n * dim);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = r * dim; j < (r + 1) * dim; j++) s += out[j] * out[j];
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let j = r * dim; j < (r + 1) * dim; j++) out[j] *= inv;
  }
  return out;
}
