import { H_ENTRY } from '@hnswlab/core/internals';
import type { WorkerJob } from './worker-job.js';

/**
 * The `faultAtRow` test hook: fail the way a worker dying mid-link would, still holding the entry
 * point's lock, so every other worker of a locking job would wait for it forever.
 */
export function injectFault(job: WorkerJob, row: number): never {
  const entry = Atomics.load(job.graph.header, H_ENTRY);
  if (job.setup.locking && entry >= 0) job.inserter.lock(entry);
  throw new Error(`injected fault at row ${row} (test hook faultAtRow)`);
}
