import { metricSpec, type Metric, type Quantiser, type VectorStore } from '@hnswlab/core';

// The reference of the quantised stores (contracts.ts, VectorStore), written apart from the js
// kernel's code on purpose: f16 encodes by searching the sorted list of every finite half, i8 rounds
// half to even by floor, b1 counts bits one at a time. Kernels must match the codes and the i8/b1
// distances exactly, and the f16 distances within the metric's float32 tolerance.

let halves: Float64Array | undefined;

/** A binary16 code's value (exact). */
export function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1,
    e = (h >> 10) & 31,
    m = h & 1023;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (e === 0 ? m / 1024 : 1 + m / 1024) * Math.pow(2, e === 0 ? -14 : e - 15);
}

/** x (a float32 value) as binary16, nearest, ties to even; |x| > 65504 is clamped to ±65504. */
export function referenceHalf(x: number): number {
  halves ??= Float64Array.from({ length: 0x7c00 }, (_, h) => halfValue(h));
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.min(Math.abs(x), 65504);
  // Positive halves increase with their code: the last code whose value is ≤ a, then the nearer of it and the next.
  let lo = 0,
    hi = 0x7bff;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (halves[mid] <= a) lo = mid;
    else hi = mid - 1;
  }
  if (lo < 0x7bff) {
    const below = a - halves[lo],
      above = halves[lo + 1] - a;
    if (above < below || (above === below && lo % 2 === 1)) lo++;
  }
  return sign | lo;
}

/** A row normalised as a space stores it under cosine (float64 sum of squares, times 1/√sum, to float32). */
export function storedRow(metric: Metric, v: Float32Array): Float32Array {
  if (!metricSpec(metric).normalise) return Float32Array.from(v);
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  return v.map((x) => x * inv);
}

/** roundHalfEven(t) by floor. */
function roundHalfEven(t: number): number {
  const f = Math.floor(t),
    frac = t - f;
  if (frac > 0.5) return f + 1;
  if (frac < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** The codes of one stored row (float32, already normalised), as bytes; and whether it was clamped. */
export function referenceCodes(
  store: Exclude<VectorStore, 'f32'>,
  row: Float32Array,
  q: Quantiser | null,
): { bytes: Uint8Array; clamped: boolean } {
  const dim = row.length;
  let clamped = false;
  if (store === 'f16') {
    const out = new Uint16Array(dim);
    row.forEach((x, j) => {
      if (Math.abs(x) > 65504) clamped = true;
      out[j] = referenceHalf(x);
    });
    return { bytes: new Uint8Array(out.buffer), clamped };
  }
  const { centre, scale } = q!;
  if (store === 'i8') {
    const out = new Int8Array(dim);
    row.forEach((x, j) => {
      const r = roundHalfEven((x - centre[j]) / scale);
      if (r > 127 || r < -127) clamped = true;
      out[j] = Math.max(-127, Math.min(127, r));
    });
    return { bytes: new Uint8Array(out.buffer), clamped };
  }
  const words = new Uint32Array(Math.ceil(dim / 32));
  row.forEach((x, j) => {
    if (x > centre[j]) words[Math.floor(j / 32)] += 2 ** (j % 32);
  });
  return { bytes: new Uint8Array(words.buffer), clamped };
}

/** The decoded row of `bytes` (one row's codes). */
export function referenceDecode(store: Exclude<VectorStore, 'f32'>, bytes: Uint8Array, dim: number, q: Quantiser | null): Float32Array {
  const out = new Float32Array(dim);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let j = 0; j < dim; j++) {
    if (store === 'f16') out[j] = halfValue(view.getUint16(2 * j, true));
    else if (store === 'i8') out[j] = q!.centre[j] + q!.scale * view.getInt8(j);
    else out[j] = q!.centre[j] + (bit(bytes, j) ? q!.scale : -q!.scale);
  }
  return out;
}

function bit(bytes: Uint8Array, j: number): number {
  return (bytes[j >> 3] >> (j & 7)) & 1;
}

/**
 * The store's distance between two rows' codes, by the contract's formulas: i8 and b1 exactly (the
 * float32 value a kernel must return); f16 the metric's float64 reference over `qa` (the float32
 * query) and the decoded row (compare within the metric's tolerance).
 */
export function referenceCodeDistance(
  store: Exclude<VectorStore, 'f32'>,
  metric: Metric,
  a: Uint8Array,
  b: Uint8Array,
  dim: number,
  q: Quantiser | null,
  qa?: Float32Array,
): number {
  if (store === 'f16')
    return metricSpec(metric).reference(qa ?? referenceDecode('f16', a, dim, null), referenceDecode('f16', b, dim, null));
  if (store === 'b1') {
    let d = 0;
    for (let j = 0; j < dim; j++) d += bit(a, j) ^ bit(b, j);
    return Math.fround(d);
  }
  const ia = new Int8Array(a.buffer, a.byteOffset, dim),
    ib = new Int8Array(b.buffer, b.byteOffset, dim);
  const { centre, scale } = q!;
  if (metric === 'l2') {
    let S = 0;
    for (let j = 0; j < dim; j++) S += (ia[j] - ib[j]) ** 2;
    return Math.fround(S * (scale * scale));
  }
  let I = 0,
    Pa = 0,
    Pb = 0,
    C = 0;
  for (let j = 0; j < dim; j++) {
    I += ia[j] * ib[j];
    Pa += centre[j] * ia[j];
    Pb += centre[j] * ib[j];
    C += centre[j] * centre[j];
  }
  return Math.fround(1 - (C + scale * (Pa + Pb) + scale * scale * I));
}
