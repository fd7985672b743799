// Runs in a worker_thread: re-creates the kernel from its descriptor, attaches the space from its
// handle (the same shared WebAssembly.Memory), and computes distances with probes of its own.
import { parentPort, workerData } from 'node:worker_threads';

const { module, handle, queries, rounds } = workerData;
const { createKernel } = await import(module);
const kernel = await createKernel();
const space = kernel.attachSpace(handle);
const n = space.capacity;
const probes = Array.from({ length: 4 }, () => space.createProbe(n));
const out = new Float32Array(queries.length * n);
// Several rounds, so two workers' probes run at the same time: shared scratch would garble results.
for (let round = 0; round < rounds; round++) {
  queries.forEach((q, i) => {
    const probe = probes[(i + round) % probes.length];
    probe.setQueryRow(q);
    for (let r = 0; r < n; r++) probe.ids[r] = r;
    probe.toRows(n);
    out.set(probe.out.subarray(0, n), i * n);
  });
}
parentPort.postMessage({ name: kernel.name, out });
