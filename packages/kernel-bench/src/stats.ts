/** How a cell's samples become one number. */
export type Statistic = 'min' | 'median';

export function summarise(values: readonly number[], statistic: Statistic): number {
  return statistic === 'min' ? Math.min(...values) : median(values);
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Relative spread of samples, (max − min) / median, in percent: how noisy a cell was. */
export function spreadPercent(values: readonly number[]): number {
  return ((Math.max(...values) - Math.min(...values)) / median(values)) * 100;
}
