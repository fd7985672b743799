import { median } from '@hnswlab/lab-kit';

/** How a cell's samples become one number. */
export type Statistic = 'min' | 'median';

export function summarise(values: readonly number[], statistic: Statistic): number {
  return statistic === 'min' ? Math.min(...values) : median(values);
}
