import { SeededRandom } from '@hnswlab/datasets';
import { describe, expect, it } from 'vitest';
import { closeToReference, referenceDistance, referenceTolerance } from '../src/reference.js';

function rows(seed: number, dim: number, scale: number): [Float32Array, Float32Array] {
  const rng = new SeededRandom(seed);
  const a = Float32Array.from({ length: dim }, () => rng.normal() * scale);
  const b = Float32Array.from({ length: dim }, () => rng.normal() * scale);
  return [a, b];
}

/** 1 − dot summed left to right in float32: the worst summation order a kernel may use. */
function float32Sequential(a: Float32Array, b: Float32Array, skip = -1): number {
  let s = Math.fround(0);
  for (let j = 0; j < a.length; j++) if (j !== skip) s = Math.fround(s + Math.fround(a[j] * b[j]));
  return Math.fround(1 - s);
}

describe('the conformance reference', () => {
  it('accepts a float32 dot product summed in any order for ip and cosine, at every dim up to 1,536', () => {
    for (const dim of [3, 100, 768, 1536])
      for (const scale of [0.1, 1, 30]) {
        const [a, b] = rows(dim + scale, dim, scale);
        for (const metric of ['ip', 'cosine'] as const) {
          const expected = referenceDistance(metric, a, b);
          expect(closeToReference(float32Sequential(a, b), expected, referenceTolerance(metric, a, b)), `${metric} d=${dim}`).toBe(true);
        }
      }
  });

  it('where 1 − dot cancels, the old relative bound refused float32 sums and the term bound accepts them', () => {
    // Unnormalised rows whose dot is near 1: the result is tiny against the terms.
    let found = false;
    for (let seed = 0; seed < 200 && !found; seed++) {
      const [a, b] = rows(seed, 1536, 1);
      const dot = a.reduce((s, x, j) => s + x * b[j], 0);
      for (let j = 0; j < a.length; j++) a[j] /= dot;
      const actual = float32Sequential(a, b);
      const expected = referenceDistance('ip', a, b);
      if (!closeToReference(actual, expected)) {
        found = true;
        expect(closeToReference(actual, expected, referenceTolerance('ip', a, b))).toBe(true);
      }
    }
    expect(found, 'some seed cancels enough to fail the result-relative bound').toBe(true);
  });

  it('still refuses a kernel that drops a term', () => {
    for (const dim of [16, 128, 1536]) {
      const [a, b] = rows(dim, dim, 1);
      // drop the largest product: an off-by-one in a tail loop
      let j = 0;
      for (let i = 1; i < dim; i++) if (Math.abs(a[i] * b[i]) > Math.abs(a[j] * b[j])) j = i;
      const wrong = float32Sequential(a, b, j);
      expect(closeToReference(wrong, referenceDistance('ip', a, b), referenceTolerance('ip', a, b)), `d=${dim}`).toBe(false);
    }
  });

  it('keeps l2 at 1e-5 relative', () => {
    const [a, b] = rows(9, 128, 1);
    const d = referenceDistance('l2', a, b);
    expect(referenceTolerance('l2', a, b)).toBe(Math.max(1e-6, 1e-5 * d));
    expect(closeToReference(d * (1 + 2e-5), d, referenceTolerance('l2', a, b))).toBe(false);
    expect(closeToReference(d * (1 + 5e-6), d)).toBe(true);
  });
});
