// The build worker's entry point: attach an index per job, run tasks, answer every request exactly
// once (with an error rather than dying, so the main thread always hears back).
import { parentPort } from 'node:worker_threads';
import { now } from '@hnswlab/core/internals';
import { buildSegment } from './build-segment.js';
import { insertRows } from './insert-rows.js';
import type { Reply, Request, Task } from './messages.js';
import { roundApply } from './round-apply.js';
import { roundSearch } from './round-search.js';
import { seededMerge } from './seeded-merge.js';
import { WorkerJob } from './worker-job.js';

if (!parentPort) throw new Error('build-worker.js runs as a worker thread of @hnswlab/strategies');
const port = parentPort;
let job: WorkerJob | undefined;

function run(current: WorkerJob, task: Task): { result?: unknown; transfer?: ArrayBuffer[] } {
  switch (task.kind) {
    case 'insert':
      insertRows(current, task);
      return {};
    case 'segment': {
      const result = buildSegment(current, task);
      return { result, transfer: [result.offsets.buffer, result.neighbors.buffer, result.join.buffer] as ArrayBuffer[] };
    }
    case 'seeded':
      return { result: seededMerge(current, task) };
    case 'round-search':
      roundSearch(current, task);
      return {};
    case 'round-apply':
      roundApply(current, task);
      return {};
  }
}

port.on('message', (msg: Request) => void handle(msg));

async function handle(msg: Request): Promise<void> {
  const t0 = now();
  try {
    if (msg.op === 'open') {
      job?.close();
      job = undefined;
      job = await WorkerJob.open(msg.setup);
      port.postMessage({ ok: true } satisfies Reply);
    } else if (msg.op === 'close') {
      job?.close();
      job = undefined;
      port.postMessage({ ok: true } satisfies Reply);
    } else {
      if (!job) throw new Error('no job attached: open one first');
      const { result, transfer } = run(job, msg.task);
      port.postMessage({ ok: true, result, counters: job.takeCounters(), busySeconds: now() - t0 } satisfies Reply, transfer ?? []);
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ ok: false, message: e.message, stack: e.stack } satisfies Reply);
  }
}
