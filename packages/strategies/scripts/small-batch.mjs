// A small batch into a large index: milliseconds per addBatch of --rows rows, per strategy, median of
// --repeat batches (issue 10: the rollback snapshot once copied the whole graph; an undo log of the
// touched lists now keeps a small batch's cost independent of the index's size).
//
//   node packages/strategies/scripts/small-batch.mjs [--n 300000] [--dim 16] [--rows 10] [--repeat 9]
//        [--kernel native] [--strategies batched,parallel,rounds,segmented]
//
// Build packages first (pnpm turbo run build). Time it on a quiet machine.
import { closeWorkers, HnswIndex } from '@hnswlab/core';
import { uniformSet } from '@hnswlab/datasets';
import { registerAll } from '@hnswlab/strategies';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const n = Number(args.n ?? 300000),
  dim = Number(args.dim ?? 16),
  rows = Number(args.rows ?? 10),
  repeat = Number(args.repeat ?? 9);
const strategies = (args.strategies ?? 'batched,parallel,rounds,segmented').split(',');
const { createKernel } = await import(new URL(`../../kernels-${args.kernel ?? 'native'}/dist/index.js`, import.meta.url).href);
const kernel = await createKernel();
registerAll();

const extra = strategies.length * (repeat + 1) * rows;
const data = uniformSet({ n: n + extra, dim, queries: 1, seed: 7 });
const index = new HnswIndex({ dim, metric: 'l2', M: 16, efConstruction: 100, kernel, seed: 42 });
let t = performance.now();
await index.addBatch(data.base.subarray(0, n * dim), { strategy: 'parallel', threads: 2 });
console.log(`${kernel.name}: built ${n} × ${dim} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
let next = n;
for (const strategy of strategies) {
  const ms = [];
  for (let r = 0; r <= repeat; r++) {
    const batch = data.base.subarray(next * dim, (next + rows) * dim);
    next += rows;
    t = performance.now();
    await index.addBatch(batch, { strategy, threads: 2 });
    if (r > 0) ms.push(performance.now() - t); // the first warms the strategy's workers
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${strategy.padEnd(10)} ${rows} rows into ${n}: median ${ms[ms.length >> 1].toFixed(2)} ms (min ${ms[0].toFixed(2)}, max ${ms[ms.length - 1].toFixed(2)})`,
  );
}
console.log(`check: ${index.check().problems.length} problems`);
index.dispose();
await closeWorkers();
