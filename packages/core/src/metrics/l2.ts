import type { MetricSpec } from '../contracts.js';

/** Squared Euclidean distance. Every term is ≥ 0, so float32 sums stay within a few ulps of the float64 sum. */
export const l2: MetricSpec = {
  name: 'l2',
  normalise: false,
  reference(a, b) {
    let s = 0;
    for (let j = 0; j < a.length; j++) {
      const d = a[j] - b[j];
      s += d * d;
    }
    return s;
  },
  tolerance: (_a, _b, reference) => Math.max(1e-6, 1e-5 * Math.abs(reference)),
};
