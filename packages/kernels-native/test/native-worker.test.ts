import { loadKernel } from '@hnswlab/conformance';
import { SeededRandom } from '@hnswlab/datasets';
import { createKernel } from '@hnswlab/kernels-native';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

// What a parallel strategy does: the worker imports the kernel from its descriptor, attaches the
// space from its handle, and computes over the same SharedArrayBuffer (plain JS, not transformed by vitest).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { descriptor, handle, rows, query } = workerData;
  const mod = await import(descriptor.module);
  const kernel = await mod.createKernel(descriptor.options);
  const space = kernel.attachSpace(handle);
  const probe = space.createProbe(rows - 1);
  for (let i = 0; i < rows - 1; i++) probe.ids[i] = i + 1;
  probe.setQueryRow(0);
  probe.toRows(rows - 1);
  const fromRow = Array.from(probe.out.subarray(0, rows - 1));
  probe.setQuery(query);
  probe.toRows(rows - 1);
  parentPort.postMessage({ name: kernel.name, fromRow, fromQuery: Array.from(probe.out.subarray(0, rows - 1)) });
})().catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

interface WorkerAnswer {
  name: string;
  fromRow: number[];
  fromQuery: number[];
  error?: string;
}

function runWorker(workerData: unknown): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData });
    worker.once('message', (m: WorkerAnswer) => {
      void worker.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

const { kernel, reason } = await loadKernel('native', () => createKernel());

describe('native kernel in worker threads', () => {
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }

  for (const metric of ['l2', 'ip', 'cosine'] as const) {
    it(`${metric}: two workers load the addon and get the main thread's distances over the shared space`, async () => {
      const dim = 130,
        rows = 300;
      const rng = new SeededRandom(23);
      const space = kernel.createSpace({ dim, metric, capacity: 10 });
      space.reserve(rows);
      space.write(
        0,
        Float32Array.from({ length: rows * dim }, () => rng.normal()),
        rows,
      );
      const query = Float32Array.from({ length: dim }, () => rng.normal());

      const probe = space.createProbe(rows - 1);
      for (let i = 0; i < rows - 1; i++) probe.ids[i] = i + 1;
      probe.setQueryRow(0);
      probe.toRows(rows - 1);
      const fromRow = Array.from(probe.out.subarray(0, rows - 1));
      probe.setQuery(query);
      probe.toRows(rows - 1);
      const fromQuery = Array.from(probe.out.subarray(0, rows - 1));

      const data = { descriptor: kernel.descriptor, handle: space.handle(), rows, query };
      const answers = await Promise.all([runWorker(data), runWorker(data)]);
      for (const a of answers) {
        expect(a.name).toBe(kernel.name);
        expect(a.fromRow).toEqual(fromRow);
        expect(a.fromQuery).toEqual(fromQuery);
      }
      space.dispose();
    });
  }
});
