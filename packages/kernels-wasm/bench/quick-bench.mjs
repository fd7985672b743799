// Quick, short measurements of the wasm kernel against the JS kernel in one process (read ratios,
// not absolutes, on a shared machine). Run after `pnpm --filter @hnswlab/kernels-wasm... build`:
//   node bench/quick-bench.mjs [kernels] [build]
// kernels: ns per distance of toRows with a batch of 32, dims 128 and 768, each metric; "hot" is the
//          same 32 rows every call (in cache), "spread" draws them from 20,000 stored rows. Samples
//          alternate between kernels so load from other processes hits both alike.
// build:   vectors/s of addBatch and recall@10 at ef=64 on 10,000 × 128 clustered (M=16,
//          efConstruction=200), recall computed as the core suite does (meanRecall vs BruteForceIndex).
// boundaries: the wasm kernel only, per boundary (node, layer, insert; pair with BOUNDARIES=pair,...):
//          build vectors/s of addBatch (batched, one thread) and single-thread search QPS at ef=64 on
//          10,000 clustered rows at dims 32 and 128 (DIMS=...), builds alternating between boundaries.
import { meanRecall } from '@hnswlab/conformance';
import { BruteForceIndex, HnswIndex } from '@hnswlab/core';
import { SeededRandom, clusteredSet } from '@hnswlab/datasets';
import { createKernel as createJs } from '@hnswlab/kernels-js';
import { createKernel as createWasm } from '@hnswlab/kernels-wasm';

const parts = process.argv.slice(2);
const run = (p) => parts.length === 0 || parts.includes(p);
const kernels = [await createJs(), await createWasm()];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** A sampler of ns per distance for one kernel, metric, dim and layout. */
function distanceSampler(kernel, metric, dim, spread) {
  const rows = 20_000,
    batch = 32,
    sets = 256;
  const rng = new SeededRandom(dim);
  const space = kernel.createSpace({ dim, metric, capacity: rows });
  const v = new Float32Array(rows * dim);
  for (let i = 0; i < v.length; i++) v[i] = rng.uniform() * 2 - 1;
  space.write(0, v, rows);
  const probe = space.createProbe(batch);
  probe.setQuery(v.subarray(5 * dim, 6 * dim));
  const ids = new Int32Array(sets * batch);
  for (let i = 0; i < ids.length; i++) ids[i] = spread ? rng.int(rows) : i % batch;
  let sink = 0;
  const once = (iters) => {
    const t0 = process.hrtime.bigint();
    for (let it = 0; it < iters; it++) {
      const s = (it & (sets - 1)) * batch;
      probe.ids.set(ids.subarray(s, s + batch));
      probe.toRows(batch);
      sink += probe.out[it & 31];
    }
    return Number(process.hrtime.bigint() - t0) / (iters * batch);
  };
  // Calibrate (and warm up to the optimising tier) to ~100 ms per sample.
  let iters = 1000;
  while (once(iters) * iters * batch < 100e6) iters *= 2;
  return {
    sample: () => once(iters),
    done: () => {
      space.dispose();
      return sink;
    },
  };
}

if (run('kernels')) {
  const samples = 9;
  console.log(`toRows, batch 32: ns per distance, min and median of ${samples} samples taken alternately per kernel`);
  console.log('metric  dim   layout ' + kernels.map((k) => `${k.name} min/median`.padStart(26)).join('') + '   wasm speed-up (min)');
  for (const metric of ['l2', 'ip', 'cosine']) {
    for (const dim of [128, 768]) {
      for (const spread of [false, true]) {
        const samplers = kernels.map((k) => distanceSampler(k, metric, dim, spread));
        const got = kernels.map(() => []);
        for (let i = 0; i < samples; i++) samplers.forEach((s, k) => got[k].push(s.sample()));
        samplers.forEach((s) => s.done());
        const mins = got.map((g) => Math.min(...g));
        console.log(
          `${metric.padEnd(8)}${String(dim).padEnd(6)}${(spread ? 'spread' : 'hot').padEnd(7)}` +
            got.map((g) => `${Math.min(...g).toFixed(2)} / ${median(g).toFixed(2)}`.padStart(26)).join('') +
            `   ${(mins[0] / mins[1]).toFixed(2)}×`,
        );
      }
    }
  }
}

if (run('build')) {
  const n = 10_000,
    dim = 128,
    reps = Number(process.env.REPS ?? 3);
  const data = clusteredSet({ n, dim, queries: 200, seed: 7 });
  console.log(
    `\nbuild ${n} × ${dim} clustered, M=16, efConstruction=200, batched strategy, best and median of ${reps} builds per kernel (alternating); recall@10 at ef=64 over 200 queries`,
  );
  for (const metric of (process.env.METRICS ?? 'l2,cosine,ip').split(',')) {
    const rates = kernels.map(() => []);
    const recall = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const [k, kernel] of kernels.entries()) {
        const index = new HnswIndex({ dim, metric, M: 16, efConstruction: 200, kernel, seed: 42 });
        const t0 = performance.now();
        await index.addBatch(data.base);
        rates[k].push(n / ((performance.now() - t0) / 1000));
        if (rep === 0) {
          const oracle = new BruteForceIndex({ dim, metric, kernel });
          oracle.addBatch(data.base);
          recall[k] = meanRecall(index, oracle, data.queries, dim, 64);
        }
      }
    }
    kernels.forEach((kernel, k) => {
      console.log(
        `${metric.padEnd(7)} ${kernel.name.padEnd(14)} best ${Math.max(...rates[k])
          .toFixed(0)
          .padStart(6)} / median ${median(rates[k]).toFixed(0).padStart(6)} vectors/s   recall@10 ${recall[k].toFixed(4)}`,
      );
    });
    console.log(`${metric.padEnd(7)} wasm / js build rate (best): ${(Math.max(...rates[1]) / Math.max(...rates[0])).toFixed(2)}×`);
  }
}

if (run('boundaries')) {
  const wasm = kernels[1];
  const n = Number(process.env.N ?? 10_000),
    reps = Number(process.env.REPS ?? 3);
  const boundaries = (process.env.BOUNDARIES ?? 'node,layer,insert').split(',');
  const metric = process.env.METRIC ?? 'l2';
  // CPU seconds of this process beside wall time: on a shared machine the CPU figure is the steadier.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  console.log(
    `\nwasm kernel by boundary: build ${n} clustered (${metric}, M=16, efConstruction=200, batched, 1 thread), search ef=64 k=10 over 1,000 queries; median of ${reps} (alternating), per wall second and per CPU second`,
  );
  for (const dim of (process.env.DIMS ?? '32,128').split(',').map(Number)) {
    const data = clusteredSet({ n, dim, queries: 1000, seed: 7 });
    const got = boundaries.map(() => ({ build: [], buildCpu: [], search: [], searchCpu: [] }));
    const evals = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const [b, boundary] of boundaries.entries()) {
        const index = new HnswIndex({ dim, metric, M: 16, efConstruction: 200, kernel: wasm, seed: 42, boundary });
        let t0 = performance.now(),
          c0 = cpu();
        await index.addBatch(data.base);
        got[b].build.push(n / ((performance.now() - t0) / 1000));
        got[b].buildCpu.push(n / (cpu() - c0));
        evals[b] = index.stats().distanceEvals;
        t0 = performance.now();
        c0 = cpu();
        for (let q = 0; q < 1000; q++) index.search(data.queries.subarray(q * dim, (q + 1) * dim), 10, { ef: 64 });
        got[b].search.push(1000 / ((performance.now() - t0) / 1000));
        got[b].searchCpu.push(1000 / (cpu() - c0));
        index.dispose();
      }
    }
    const fmt = (xs) => median(xs).toFixed(0).padStart(6);
    boundaries.forEach((boundary, b) => {
      const g = got[b];
      console.log(
        `d=${String(dim).padEnd(4)} ${boundary.padEnd(7)} build ${fmt(g.build)} vec/s ${fmt(g.buildCpu)} vec/CPU-s   search ${fmt(g.search)} QPS ${fmt(g.searchCpu)} q/CPU-s   distance evals ${evals[b]}`,
      );
    });
  }
}
