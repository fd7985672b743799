import { describe, expect, it } from 'vitest';
import { mad, mean, median, medianStandardError, quantileInterpolated, quantileNearestRank, sampleSigma } from '@hnswlab/lab-kit';

describe('statistics', () => {
  it('median of odd and even samples, NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('type-7 quantile interpolates between order statistics (as R and NumPy)', () => {
    expect(quantileInterpolated([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileInterpolated([10, 0], 1)).toBe(10);
  });

  it('nearest-rank quantile returns an observed value', () => {
    const sorted = [1, 2, 3, 4];
    expect(quantileNearestRank(sorted, 0.25)).toBe(1);
    expect(quantileNearestRank(sorted, 0.5)).toBe(2);
    expect(quantileNearestRank(sorted, 0.99)).toBe(4);
    expect(quantileNearestRank(Float64Array.of(), 0.5)).toBeNaN();
  });

  it('MAD, mean, sample sigma and the median standard error', () => {
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(mean([1, 2, 6])).toBe(3);
    expect(sampleSigma([2])).toBe(0);
    expect(sampleSigma([1, 3])).toBeCloseTo(Math.SQRT2, 12);
    expect(medianStandardError([1, 2, 3, 4, 100])).toBeCloseTo((1.2533 * 1.4826) / Math.sqrt(5), 12);
  });
});
