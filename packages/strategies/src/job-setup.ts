import type { HnswIndex } from '@hnswlab/core';
import type { JobSetup } from './messages.js';

/** What workers attach to build into `index`. Taken after beginBatch, which is the last growth. */
export function jobSetup(index: HnswIndex, locking: boolean): JobSetup {
  return {
    kernel: index.kernel.descriptor,
    space: index.space.handle(),
    graph: index.graph.buffers(),
    efConstruction: index.efConstruction,
    timing: index.counters.timing,
    locking,
  };
}

/** A failed batch's error: says the batch was rolled back, keeps the cause. */
export function rolledBack(strategy: string, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`${strategy} insert failed and the batch was rolled back (the index is as it was before the call): ${message}`, {
    cause: err,
  });
}
