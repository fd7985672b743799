// Indicative A/B of the native kernel's boundaries (node, layer, insert) and of prefetching in the
// fused search, in one process, rounds interleaved so that machine noise hits every cell alike.
// Not a benchmark of record (that is `pnpm bench`); a quick check that a change moved the seam.
//
//   node packages/kernels-native/scripts/boundary-ab.mjs [--n 10000] [--dim 128] [--rounds 3] [--data clustered|uniform]
//        [--metric l2] [--queries 1000] [--cells node/on,layer/on,insert/on,layer/off,insert/off]
//
// Prints, per cell, the median over rounds of build vectors/s (one thread, `batched`), search QPS
// (k=10, ef=64), and the distance evaluations per insert (identical across cells by design).
import { parseArgs } from 'node:util';
import { HnswIndex } from '@hnswlab/core';
import { clusteredSet, uniformSet } from '@hnswlab/datasets';
import { createKernel } from '@hnswlab/kernels-native';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    dim: { type: 'string', default: '128' },
    rounds: { type: 'string', default: '3' },
    data: { type: 'string', default: 'clustered' },
    metric: { type: 'string', default: 'l2' },
    queries: { type: 'string', default: '1000' },
    cells: { type: 'string', default: 'node/on,layer/on,insert/on,layer/off,insert/off' },
  },
});
const n = Number(values.n),
  dim = Number(values.dim),
  rounds = Number(values.rounds),
  nq = Number(values.queries);
const data = (values.data === 'uniform' ? uniformSet : clusteredSet)({ n, dim, queries: nq, seed: 7 });
const kernels = { on: await createKernel({ prefetch: true }), off: await createKernel({ prefetch: false }) };
// boundary/prefetch; prefetch does not apply to `node` (the JavaScript traversal).
const cells = values.cells.split(',').map((c) => c.trim().split('/'));
const results = new Map(cells.map((c) => [c.join('/'), { build: [], qps: [], evals: 0 }]));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let r = 0; r < rounds; r++) {
  for (const [boundary, prefetch] of r % 2 ? [...cells].reverse() : cells) {
    const index = new HnswIndex({
      dim,
      metric: values.metric,
      M: 16,
      efConstruction: 200,
      kernel: kernels[prefetch],
      seed: 42,
      boundary,
      timing: false,
    });
    let t = process.hrtime.bigint();
    await index.addBatch(data.base, { strategy: 'batched' });
    const buildS = Number(process.hrtime.bigint() - t) / 1e9;
    const evals = index.stats().distanceEvals / n;
    t = process.hrtime.bigint();
    for (let q = 0; q < nq; q++) index.search(data.queries.subarray(q * dim, (q + 1) * dim), 10, { ef: 64 });
    const searchS = Number(process.hrtime.bigint() - t) / 1e9;
    const cell = results.get(`${boundary}/${prefetch}`);
    cell.build.push(n / buildS);
    cell.qps.push(nq / searchS);
    cell.evals = evals;
    index.dispose();
  }
}

console.log(
  `native ${kernels.on.name}, ${values.data} ${n} × ${dim}, ${values.metric}, M=16, efConstruction=200, ${rounds} rounds (medians)`,
);
console.log(`ratios against ${cells[0].join('/')}`);
console.log('boundary/prefetch  build vec/s    ratio   search QPS    ratio   evals/insert');
const base = results.values().next().value;
for (const [key, c] of results) {
  const b = median(c.build),
    q = median(c.qps);
  console.log(
    `${key.padEnd(17)}  ${b.toFixed(0).padStart(11)}   ${(b / median(base.build)).toFixed(2).padStart(6)}   ${q.toFixed(0).padStart(10)}   ${(q / median(base.qps)).toFixed(2).padStart(6)}   ${c.evals.toFixed(1).padStart(12)}`,
  );
}
