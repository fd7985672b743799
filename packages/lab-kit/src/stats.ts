// One statistics module for the lab. Two quantile definitions exist because two purposes need them:
// a reported latency percentile is a value that was observed (nearest rank), while the gate's noise
// estimates want a smooth estimator of small samples (type 7). Each has its own name.

/** Median of a sample (mean of the two middle values for an even count); NaN for an empty one. */
export function median(xs: readonly number[]): number {
  return quantileInterpolated(xs, 0.5);
}

/**
 * The q-quantile by linear interpolation between order statistics: Hyndman–Fan type 7, the default
 * of R and NumPy. NaN for an empty sample. Sorts a copy.
 */
export function quantileInterpolated(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/**
 * The q-quantile of values already sorted ascending, by nearest rank (Hyndman–Fan type 1): always
 * an observed value, so a p99 latency is one some query really had. NaN for an empty list.
 */
export function quantileNearestRank(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Arithmetic mean; NaN for an empty sample. */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** MAD scaled to estimate a normal standard deviation (× 1.4826), robust to the odd disturbed repeat. */
export function robustSigma(xs: readonly number[]): number {
  return 1.4826 * mad(xs);
}

/**
 * Standard error of a sample median, from the robust sigma: √(π/2)·σ/√n for a normal sample.
 * Sizes a noise band; an estimate, not a guarantee.
 */
export function medianStandardError(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return (1.2533 * robustSigma(xs)) / Math.sqrt(xs.length);
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function sampleSigma(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
