import type { Metric } from '@hnswlab/core';

/** The unit roundoff of float32 (2^-24). */
const U32 = 2 ** -24;

/** The float64 reference distance between two stored rows (as the space holds them). */
export function referenceDistance(metric: Metric, a: Float32Array, b: Float32Array): number {
  let s = 0;
  if (metric === 'l2') {
    for (let j = 0; j < a.length; j++) {
      const d = a[j] - b[j];
      s += d * d;
    }
    return s;
  }
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return 1 - s;
}

/**
 * The error a float32 evaluation of the distance may make beyond the fixed tolerance of
 * `closeToReference`. For ip and cosine it is the standard bound of a float32 dot product in any
 * summation order, γ_dim · Σ|aᵢ·bᵢ| with γ_n = n·u / (1 − n·u) (Higham, Accuracy and Stability of
 * Numerical Algorithms, §3.1), plus the rounding of 1 − dot to float32. The error scales with the
 * terms, not with the result: `1 − dot` of unnormalised rows cancels near 0, where a relative bound
 * on the result would demand float64 sums. l2 sums non-negative terms and keeps the relative bound: 0.
 */
export function referenceTolerance(metric: Metric, a: Float32Array, b: Float32Array): number {
  if (metric === 'l2') return 0;
  let terms = 0;
  let dot = 0;
  for (let j = 0; j < a.length; j++) {
    terms += Math.abs(a[j] * b[j]);
    dot += a[j] * b[j];
  }
  const nu = a.length * U32;
  return (nu / (1 - nu)) * terms + U32 * Math.abs(1 - dot);
}

/** Within 1e-5 relative or 1e-6 absolute of the reference, or within `tolerance` (from `referenceTolerance`). */
export function closeToReference(actual: number, expected: number, tolerance = 0): boolean {
  const abs = Math.abs(actual - expected);
  return abs <= 1e-6 || abs <= 1e-5 * Math.abs(expected) || abs <= tolerance;
}
