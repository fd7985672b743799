import type { HnswIndex } from './hnsw-index.js';

/** Options of {@link HnswIndex.merge}. */
export interface MergeOptions {
  /** Worker threads to merge with. */
  readonly threads?: number;
  readonly [key: string]: unknown;
}

/** What a merge did. */
export interface MergeReport {
  /** The ids added to the target, in the source's row order. */
  readonly ids: Uint32Array;
  /** Rows inserted with a full search from the entry point (the join set, and rows above level 0). */
  readonly fullInserts: number;
  /** Rows inserted by a level-0 search started from their source neighbours. */
  readonly seededInserts: number;
  /** Distances computed by the merge. */
  readonly distanceEvals: number;
  readonly seconds: number;
}

/**
 * Links a validated source index's live vectors into the target. Called by {@link HnswIndex.merge}
 * with both indexes idle; on failure it must leave the target as it was.
 */
export type IndexMerger = (target: HnswIndex, source: HnswIndex, options: MergeOptions) => Promise<MergeReport>;

// The merge needs worker threads, which the core keeps out of itself: '@hnswlab/strategies' registers it.
let merger: IndexMerger | undefined;

/** Make {@link HnswIndex.merge} available. The last registration wins. */
export function registerMerger(fn: IndexMerger): void {
  if (typeof fn !== 'function') throw new TypeError('registerMerger needs a function (target, source, options) => Promise<MergeReport>');
  merger = fn;
}

export function resolveMerger(): IndexMerger {
  if (!merger) throw new Error("index.merge needs a merger: import { registerAll } from '@hnswlab/strategies' and call registerAll()");
  return merger;
}
