import type { MetricSpec } from '../contracts.js';

/** The unit roundoff of float32 (2⁻²⁴). */
const U32 = 2 ** -24;

/** Inner product as a distance: 1 − a·b. */
export const ip: MetricSpec = {
  name: 'ip',
  normalise: false,
  reference: oneMinusDot,
  tolerance: dotTolerance,
};

export function oneMinusDot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return 1 - s;
}

/**
 * The error a float32 evaluation of 1 − a·b may make: the standard bound of a float32 dot product
 * in any summation order, γ_n·Σ|aᵢbᵢ| with γ_n = n·u/(1 − n·u) (Higham, Accuracy and Stability of
 * Numerical Algorithms, §3.1), plus the rounding of 1 − dot. It scales with the terms, not with the
 * result: 1 − dot of unnormalised rows cancels near 0, where a bound relative to the result would
 * demand float64 sums. Never tighter than 1e-6 absolute or 1e-5 relative.
 */
export function dotTolerance(a: Float32Array, b: Float32Array, reference: number): number {
  let terms = 0;
  for (let j = 0; j < a.length; j++) terms += Math.abs(a[j] * b[j]);
  const nu = a.length * U32;
  return Math.max(1e-6, 1e-5 * Math.abs(reference), (nu / (1 - nu)) * terms + U32 * Math.abs(reference));
}
