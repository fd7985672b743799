import { HnswIndex, BruteForceIndex, closeWorkers } from '@hnswlab/core';
import { SeededRandom } from '@hnswlab/datasets';
import { registerAll } from '@hnswlab/strategies';
registerAll();
const kname = process.argv[2] ?? 'native';
const { createKernel } = await import(`../kernels-${kname}/dist/index.js`);
const k = await createKernel();
const DIM = 6,
  MAX = 0xffffffff;
const vec = (seed, n) => {
  const r = new SeededRandom(seed);
  const v = new Float32Array(n * DIM);
  for (let i = 0; i < v.length; i++) v[i] = r.normal();
  return v;
};
const strategy = process.argv[3] ?? 'parallel';
const index = new HnswIndex({ dim: DIM, M: 4, efConstruction: 16, kernel: k, seed: 3, capacity: 2 });
const model = new Map();
index.add(vec(102325, 1), MAX);
model.set(MAX, vec(102325, 1));
index.add(vec(622937, 1), 42);
model.set(42, vec(622937, 1));
const data = vec(482008, 35);
const base = MAX - (482008 % 6) - 35 + 1;
const ids = Array.from({ length: 35 }, (_, i) => base + i);
await index.addBatch(data.slice(), { strategy, ids, threads: 2, warmupRows: 2, minSegmentRows: 4 });
ids.forEach((id, i) => model.set(id, data.slice(i * DIM, (i + 1) * DIM)));
const live = [...model.keys()];
const rm = live[558878 % live.length];
index.remove(rm);
model.delete(rm);
console.log('check', index.check().problems);
const q = vec(608354 + 99, 1);
const got = index.search(q, 8, { ef: model.size + 1 });
const l2 = (a, b) => a.reduce((s, x, j) => s + (x - b[j]) ** 2, 0);
const want = [...model.entries()]
  .map(([id, v]) => [id, l2(q, v)])
  .sort((a, b) => a[1] - b[1])
  .slice(0, 8);
console.log(
  'got ',
  Array.from(got.ids).map((x) => x - base),
  Array.from(got.distances)
    .map((d) => d.toFixed(3))
    .join(' '),
);
console.log(
  'want',
  want.map((w) => w[0] - base),
  want.map((w) => w[1].toFixed(3)).join(' '),
);
await closeWorkers();
