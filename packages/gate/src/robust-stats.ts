/** Median of a sample (mean of the two middle values for an even count); NaN for an empty one. */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** The q-quantile by linear interpolation between order statistics (type 7, as R and NumPy default). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
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
 * Used to size the noise band; an estimate, not a guarantee.
 */
export function medianStandardError(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return (1.2533 * robustSigma(xs)) / Math.sqrt(xs.length);
}
