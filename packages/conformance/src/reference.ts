import type { Metric } from '@hnswlab/core';

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

/** Within 1e-5 relative or 1e-6 absolute of the reference. */
export function closeToReference(actual: number, expected: number): boolean {
  const abs = Math.abs(actual - expected);
  return abs <= 1e-6 || abs <= 1e-5 * Math.abs(expected);
}
