import { Graph, Inserter } from '@hnswlab/core/internals';
import { computeJoinSet } from './join-set.js';
import type { SegmentResult, SegmentTask } from './messages.js';
import { OffsetSpace } from './offset-space.js';
import type { WorkerJob } from './worker-job.js';

/**
 * Build a private graph over rows [base, base + count) of the job's space, with the levels the batch
 * drew for them, in this thread alone (no locks). Returns its level-0 lists and join set, in
 * segment-local rows: what the merge into the index's graph starts from.
 */
export function buildSegment(job: WorkerJob, task: SegmentTask): SegmentResult {
  const { base, count } = task;
  const graph = new Graph(job.graph.M, count);
  graph.allocate(job.graph.levels.subarray(base, base + count), new Uint32Array(count));
  const inserter = new Inserter(graph, new OffsetSpace(job.space, base), job.counters, job.setup.efConstruction);
  for (let row = 0; row < count; row++) {
    if (base + row === task.faultRow) throw new Error(`injected fault at row ${base + row} (test hook faultAtRow)`);
    inserter.insert(row);
  }
  const offsets = new Int32Array(count + 1);
  const links0 = graph.links0,
    stride = graph.stride0;
  for (let row = 0; row < count; row++) offsets[row + 1] = offsets[row] + links0[row * stride];
  const neighbors = new Int32Array(offsets[count]);
  for (let row = 0; row < count; row++)
    neighbors.set(links0.subarray(row * stride + 1, row * stride + 1 + links0[row * stride]), offsets[row]);
  return { offsets, neighbors, join: computeJoinSet(offsets, neighbors) };
}
