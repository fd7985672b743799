// Build speed and recall of the insert strategies, side by side in one process on one data set.
//
//   node packages/strategies/scripts/bench.mjs [--n 20000] [--dim 128] [--queries 200] [--kernel js]
//        [--strategies sequential,batched,parallel:1,parallel:2,segmented:2,rounds:2] [--ef 64] [--json out.json]
//
// Each strategy builds a fresh index (M=16, efConstruction=200, seed 42) from clusteredSet (seed 7),
// then recall@10 at --ef is measured against brute force over the same kernel. Worker start-up is
// paid before the clock starts (one tiny warm batch), as a long-lived process would.
// Prints a table; --json writes the full reports. Build packages first (pnpm turbo run build).
import { writeFileSync } from 'node:fs';
import { BruteForceIndex, HnswIndex } from '@hnswlab/core';
import { clusteredSet } from '@hnswlab/datasets';
import { closeWorkers, lastBatchReport, registerAll } from '@hnswlab/strategies';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const n = Number(args.n ?? 20000),
  dim = Number(args.dim ?? 128),
  nq = Number(args.queries ?? 200),
  ef = Number(args.ef ?? 64);
const M = Number(args.M ?? 16),
  efConstruction = Number(args.efConstruction ?? 200);
const kernelName = args.kernel ?? 'js';
const specs = (args.strategies ?? 'sequential,batched,parallel:1,parallel:2,segmented:2,rounds:2').split(',');
const extra = args.options ? JSON.parse(args.options) : {};

const { createKernel } = await import(new URL(`../../kernels-${kernelName}/dist/index.js`, import.meta.url).href);
const kernel = await createKernel();
registerAll();

const data = clusteredSet({ n, dim, queries: nq, seed: 7 });
const oracle = new BruteForceIndex({ dim, kernel });
oracle.addBatch(data.base);
const truth = [];
for (let q = 0; q < nq; q++) truth.push(oracle.search(data.queries.subarray(q * dim, (q + 1) * dim), 10));

function recall(index) {
  let sum = 0;
  for (let q = 0; q < nq; q++) {
    const found = index.search(data.queries.subarray(q * dim, (q + 1) * dim), 10, { ef });
    const threshold = truth[q].distances[9];
    let hits = 0;
    for (const d of found.distances) if (d <= threshold + 1e-3 * Math.max(1, Math.abs(threshold))) hits++;
    sum += hits / 10;
  }
  return sum / nq;
}

const rows = [];
for (const spec of specs) {
  const [strategy, t] = spec.split(':');
  const threads = t === undefined ? undefined : Number(t);
  if (threads !== undefined) {
    // Spawn (or reuse) the workers before the clock starts.
    const warm = new HnswIndex({ dim, M, efConstruction, kernel, seed: 1 });
    await warm.addBatch(data.base.subarray(0, 600 * dim), { strategy: 'parallel', threads, warmupRows: 8 });
  }
  const index = new HnswIndex({ dim, M, efConstruction, kernel, seed: 42, capacity: n });
  const t0 = performance.now(),
    cpu0 = process.cpuUsage();
  await index.addBatch(data.base, { strategy, threads, ...extra });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6; // every thread of the process
  const report = ['sequential', 'batched'].includes(strategy) ? undefined : lastBatchReport(index);
  const problems = index.check().problems.length;
  const s = index.stats();
  const row = {
    strategy: spec,
    seconds,
    cpuSeconds,
    vecPerSec: n / seconds,
    recall: recall(index),
    distanceEvals: s.distanceEvals,
    phases: s.phases,
    lockWaitShare: report?.lockWaitShare,
    lockSpins: report?.lockSpins,
    stages: report?.stages,
    extra: report?.extra,
    problems,
  };
  rows.push(row);
  const stages = (report?.stages ?? [])
    .map((x) => `${x.name} ${x.rows}r ${x.seconds.toFixed(2)}s ${(x.distanceEvals / Math.max(1, x.rows)).toFixed(0)}ev/r`)
    .join('; ');
  console.log(
    `${spec.padEnd(12)} ${row.vecPerSec.toFixed(0).padStart(7)} vec/s  ${seconds.toFixed(2).padStart(6)} s  cpu ${cpuSeconds.toFixed(2).padStart(6)} s  recall@10(ef=${ef}) ${row.recall.toFixed(4)}  ` +
      `evals/row ${(s.distanceEvals / n).toFixed(0)}  lockWait ${report ? (100 * report.lockWaitShare).toFixed(2) + '%' : '-'}  check ${problems === 0 ? 'ok' : problems + ' problems'}  ${stages}`,
  );
}
console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; kernel ${kernel.name}, n ${n}, dim ${dim}, M ${M}, efConstruction ${efConstruction}, queries ${nq}`,
);
if (args.json) writeFileSync(args.json, JSON.stringify({ n, dim, M, efConstruction, kernel: kernel.name, rows }, null, 2));
await closeWorkers();
