import { take } from './control.js';
import { injectFault } from './fault.js';
import type { SeededTask } from './messages.js';
import type { WorkerJob } from './worker-job.js';

/**
 * The seeded half of a merge: each level-0 row taken is linked by one level-0 search that starts from
 * its source neighbours already linked into the graph (and, with `expand`, their neighbours there),
 * instead of a descent from the entry point. A row with no linked source neighbour yet gets a full
 * insertion. Returns how many rows fell back.
 */
export function seededMerge(job: WorkerJob, task: SeededTask): number {
  const ctl = new Int32Array(task.ctl);
  const rows = new Int32Array(task.rows);
  const offsets = new Int32Array(task.offsets);
  const neighbors = new Int32Array(task.neighbors);
  const merged = new Uint8Array(task.merged);
  const { first, ef, expand } = task;
  const inserter = job.inserter,
    graph = job.graph,
    locking = job.setup.locking;
  const links0 = graph.links0,
    stride = graph.stride0;
  const perSource = expand ? stride : 1;
  let entries = new Int32Array(64);
  let fallbacks = 0;
  for (let i = take(ctl, task.end); i >= 0; i = take(ctl, task.end)) {
    const row = rows[i];
    const local = row - first;
    const from = offsets[local],
      to = offsets[local + 1];
    if (entries.length < (to - from) * perSource) entries = new Int32Array((to - from) * perSource);
    let n = 0;
    for (let j = from; j < to; j++) {
      const v = neighbors[j];
      if (Atomics.load(merged, v - first) === 0) continue;
      entries[n++] = v;
      if (!expand) continue;
      const off = v * stride;
      if (locking) inserter.lock(v);
      const m = links0[off];
      for (let k = 1; k <= m; k++) entries[n++] = links0[off + k];
      if (locking) inserter.unlock(v);
    }
    if (row === task.faultRow) injectFault(job, row);
    if (n === 0) fallbacks++;
    inserter.insertFrom(row, entries, n, ef);
    Atomics.store(merged, local, 1);
  }
  return fallbacks;
}
