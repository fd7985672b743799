import { HnswIndex, closeWorkers } from '@hnswlab/core';
import { graphOf } from '@hnswlab/core/testing';
import { SeededRandom } from '@hnswlab/datasets';
import { registerAll } from '@hnswlab/strategies';
registerAll();
const { createKernel } = await import(`../kernels-js/dist/index.js`);
const k = await createKernel();
const DIM = 6,
  MAX = 0xffffffff;
const vec = (seed, n) => {
  const r = new SeededRandom(seed);
  const v = new Float32Array(n * DIM);
  for (let i = 0; i < v.length; i++) v[i] = r.normal();
  return v;
};
const S = ['sequential', 'batched', 'parallel', 'segmented', 'rounds'];
const index = new HnswIndex({ dim: DIM, M: 8, efConstruction: 32, kernel: k, seed: 3, capacity: 2 });
const model = new Map();
let nextId = 0;
const commit = (ids, data) =>
  ids.forEach((id, i) => {
    model.set(id, data.slice(i * DIM, (i + 1) * DIM));
    nextId = Math.max(nextId, id + 1);
  });
const planIds = (plan, seed, n) =>
  plan === 'auto'
    ? undefined
    : Array.from({ length: n }, (_, i) => (plan === 'small' ? ((seed % 40) + i * 7) % 60 : MAX - (seed % 6) - n + 1 + i));
async function batch(seed, n, pick, plan, scribble) {
  const data = vec(seed, n),
    ids = planIds(plan, seed, n),
    buf = data.slice();
  const p = index.addBatch(buf, { strategy: S[pick % 5], ids, threads: 2, warmupRows: 2, minSegmentRows: 4 });
  if (scribble) buf.fill(NaN);
  try {
    const got = await p;
    commit(Array.from(got), data);
    console.log('batch', S[pick % 5], 'ok', got.length);
  } catch (e) {
    console.log('batch', S[pick % 5], 'err', e.message.slice(0, 60));
  }
}
const remove = (pick) => {
  const live = [...model.keys()];
  if (!live.length || pick % 5 === 0) return;
  const id = live[pick % live.length];
  index.remove(id);
  model.delete(id);
};
const add = (seed, id) => {
  try {
    const v = vec(seed, 1);
    const got = index.add(v, id);
    commit([got], v);
  } catch (e) {
    console.log('add err', e.message.slice(0, 50));
  }
};
await batch(676618, 14, 10, 'small', true);
await batch(470508, 20, 9, 'auto', false);
remove(663381);
remove(194074);
add(102325, MAX);
add(622937, 42);
await batch(482008, 35, 2, 'top', true);
remove(558878);
console.log('size', index.size, model.size, 'check', index.check().problems);
const q = vec(608354 + 99, 1);
const got = index.search(q, 8, { ef: model.size + 1 });
const l2 = (a, b) => a.reduce((s, x, j) => s + (x - b[j]) ** 2, 0);
const want = [...model.entries()]
  .map(([id, v]) => [id, l2(q, v)])
  .sort((a, b) => a[1] - b[1])
  .slice(0, 8);
console.log(
  'got ',
  Array.from(got.ids),
  Array.from(got.distances)
    .map((d) => d.toFixed(3))
    .join(' '),
);
console.log(
  'want',
  want.map((w) => w[0]),
  want.map((w) => w[1].toFixed(3)).join(' '),
);
for (const [id] of want)
  console.log(
    id,
    index.has(id),
    Array.from(index.get(id))
      .map((x) => x.toFixed(2))
      .join(','),
    '|',
    Array.from(model.get(id))
      .map((x) => x.toFixed(2))
      .join(','),
  );
await closeWorkers();
