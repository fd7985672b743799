// The build worker's entry point: attach an index per job, run tasks, answer every request exactly
// once (with an error rather than dying, so the main thread always hears back).
import { parentPort } from 'node:worker_threads';
import { now } from '../counters.js';
import type { Reply, Request, TaskCall } from './messages.js';
import { isWorkerTask } from './task.js';
import { AttachedBuild } from './worker-build.js';

if (!parentPort) throw new Error('worker-main.js runs as a worker thread of @hnswlab/core');
const port = parentPort;
let build: AttachedBuild | undefined;

async function runTask(current: AttachedBuild, call: TaskCall): Promise<unknown> {
  const mod = (await import(call.module)) as Record<string, unknown>;
  const task = mod[call.name];
  if (!isWorkerTask(task)) throw new Error(`${call.module} exports no worker task named '${call.name}' (declare it with workerTask())`);
  return task.run(current, call.args);
}

async function handle(msg: Request): Promise<void> {
  const t0 = now();
  try {
    if (msg.op === 'open') {
      build?.close();
      build = undefined;
      build = await AttachedBuild.open(msg.setup);
      port.postMessage({ ok: true } satisfies Reply);
    } else if (msg.op === 'close') {
      build?.close();
      build = undefined;
      port.postMessage({ ok: true } satisfies Reply);
    } else {
      if (!build) throw new Error('no index attached: open a job first');
      const result = await runTask(build, msg.task);
      port.postMessage({ ok: true, result, counters: build.takeCounters(), busySeconds: now() - t0 } satisfies Reply);
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ ok: false, message: e.message, stack: e.stack } satisfies Reply);
  }
}

port.on('message', (msg: Request) => void handle(msg));
