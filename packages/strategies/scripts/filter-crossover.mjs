// Where a filtered search should stop walking the graph and scan the allowed rows instead: QPS and
// recall@10 of filterMode 'graph' and 'exact' per selectivity, one process, one build. Calibrates
// EXACT_FACTOR in packages/core/src/hnsw-index.ts (what 'auto' picks is printed beside).
//
//   node packages/strategies/scripts/filter-crossover.mjs [--n 100000] [--dim 128] [--kernel native] [--ef 64]
//        [--selectivity 0.002,0.005,0.01,0.02,0.05,0.1,0.2] [--queries 200]
//
// Data: clusteredSet (seed 7), allowed ids drawn uniformly (seed 11). Recall is against brute force
// over the allowed ids. Build packages first (pnpm turbo run build). Time it on a quiet machine.
import { closeWorkers, HnswIndex } from '@hnswlab/core';
import { clusteredSet, SeededRandom } from '@hnswlab/datasets';
import { registerAll } from '@hnswlab/strategies';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const n = Number(args.n ?? 100000),
  dim = Number(args.dim ?? 128),
  nq = Number(args.queries ?? 200),
  ef = Number(args.ef ?? 64),
  k = 10;
const fractions = (args.selectivity ?? '0.002,0.005,0.01,0.02,0.05,0.1,0.2').split(',').map(Number);
const { createKernel } = await import(new URL(`../../kernels-${args.kernel ?? 'native'}/dist/index.js`, import.meta.url).href);
const kernel = await createKernel();
registerAll();

const data = clusteredSet({ n, dim, queries: nq, seed: 7 });
const index = new HnswIndex({ dim, metric: 'l2', M: 16, efConstruction: 200, kernel, seed: 42 });
let t = performance.now();
await index.addBatch(data.base, { strategy: 'parallel', threads: 2 });
console.log(`${kernel.name}: built ${n} × ${dim} in ${((performance.now() - t) / 1000).toFixed(1)} s (parallel, 2 threads)`);
const query = (q) => data.queries.subarray(q * dim, (q + 1) * dim);

function timed(options) {
  for (let q = 0; q < Math.min(20, nq); q++) index.search(query(q), k, options); // warm
  const answers = [];
  t = performance.now();
  for (let q = 0; q < nq; q++) answers.push(index.search(query(q), k, options));
  return { qps: nq / ((performance.now() - t) / 1000), answers };
}

const unfiltered = timed({ ef });
console.log(`unfiltered ef=${ef}: ${unfiltered.qps.toFixed(0)} QPS`);
console.log('selectivity  allowed  graph QPS  graph recall  exact QPS  exact/graph  auto picks');
const rng = new SeededRandom(11);
for (const f of fractions) {
  const ids = [];
  for (let i = 0; i < n; i++) if (rng.uniform() < f) ids.push(i);
  const filter = index.createFilter(ids);
  const graph = timed({ ef, filter, filterMode: 'graph' });
  const exact = timed({ ef, filter, filterMode: 'exact' });
  let hit = 0;
  for (let q = 0; q < nq; q++) {
    const truth = new Set(exact.answers[q].ids);
    for (const id of graph.answers[q].ids) if (truth.has(id)) hit++;
  }
  const auto = index.search(query(0), k, { ef, filter }).exact ? 'exact' : 'graph';
  console.log(
    [
      f.toString().padEnd(11),
      String(ids.length).padStart(7),
      graph.qps.toFixed(0).padStart(10),
      (hit / (nq * k)).toFixed(4).padStart(13),
      exact.qps.toFixed(0).padStart(10),
      (exact.qps / graph.qps).toFixed(2).padStart(12),
      auto.padStart(11),
    ].join('  '),
  );
}
index.dispose();
await closeWorkers();
