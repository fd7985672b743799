import { take } from './control.js';
import { injectFault } from './fault.js';
import type { InsertTask } from './messages.js';
import type { WorkerJob } from './worker-job.js';

/** Full insertions of the rows taken from the shared counter until none are left. */
export function insertRows(job: WorkerJob, task: InsertTask): void {
  const ctl = new Int32Array(task.ctl);
  const list = task.rows ? new Int32Array(task.rows) : undefined;
  const merged = task.merged ? new Uint8Array(task.merged) : undefined;
  const inserter = job.inserter;
  for (let i = take(ctl, task.end); i >= 0; i = take(ctl, task.end)) {
    const row = list ? list[i] : i;
    if (row === task.faultRow) injectFault(job, row);
    inserter.insert(row);
    if (merged) Atomics.store(merged, row - task.first, 1);
  }
}
