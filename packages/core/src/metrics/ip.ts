import type { MetricSpec } from '../contracts.js';

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
 * A float32 dot product of n terms is within about n·2⁻²⁴·Σ|aᵢbᵢ| of the exact one (the classic
 * bound; kernels sum in several lanes, which only shortens the chains). 1 − dot cancels near 0, so
 * the bound is relative to Σ|aᵢbᵢ|, not to the result.
 */
export function dotTolerance(a: Float32Array, b: Float32Array): number {
  let abs = 0;
  for (let j = 0; j < a.length; j++) abs += Math.abs(a[j] * b[j]);
  return 1e-6 + a.length * 2 ** -24 * abs;
}
