import { availableParallelism } from 'node:os';
import type { InsertOptions } from '@hnswlab/core';

/** Options the strategies of this package read from addBatch's options. */
export interface StrategyOptions extends InsertOptions {
  /** Worker threads. Default: os.availableParallelism(). */
  readonly threads?: number;
  /** parallel, segmented: rows linked in the calling thread before workers start, while the graph is tiny. Default 256. */
  readonly warmupRows?: number;
  /** segmented: segments to build apart and merge. Default max(2, threads). */
  readonly segments?: number;
  /** segmented: smallest segment worth a graph of its own; smaller batches are inserted as `parallel`. Default 500. */
  readonly minSegmentRows?: number;
  /** segmented: beam width of the seeded level-0 searches. Default min(3·M, efConstruction), Lucene's choice. */
  readonly mergeEf?: number;
  /** segmented: also start seeded searches from the linked neighbours' neighbours (Lucene's entry set). Default false: on the clustered set it cost more evaluations for the same recall. */
  readonly mergeExpand?: boolean;
  /** rounds: the largest round, as a fraction of the rows in the index after the batch. Default 0.02. */
  readonly roundFraction?: number;
}

/** The options with defaults applied, validated before anything is written. */
export interface ResolvedOptions {
  readonly threads: number;
  readonly warmupRows: number;
  readonly segments: number;
  readonly minSegmentRows: number;
  readonly mergeEf: number | undefined;
  readonly mergeExpand: boolean;
  readonly roundFraction: number;
}

export function resolveOptions(options: StrategyOptions): ResolvedOptions {
  const threads = int('threads', options.threads, availableParallelism(), 1);
  const fraction = options.roundFraction ?? 0.02;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1))
    throw new RangeError(`roundFraction must be in (0, 1], got ${String(fraction)}`);
  if (options.mergeExpand !== undefined && typeof options.mergeExpand !== 'boolean') throw new TypeError('mergeExpand must be a boolean');
  return {
    threads,
    warmupRows: int('warmupRows', options.warmupRows, 256, 0),
    segments: int('segments', options.segments, Math.max(2, threads), 1),
    minSegmentRows: int('minSegmentRows', options.minSegmentRows, 500, 1),
    mergeEf: options.mergeEf === undefined ? undefined : int('mergeEf', options.mergeEf, 0, 1),
    mergeExpand: options.mergeExpand ?? false,
    roundFraction: fraction,
  };
}

function int(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}
