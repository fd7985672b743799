import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BruteForceIndex, HnswIndex, closeWorkers, registerStrategy, type DistanceKernel, type InsertStrategy } from '@hnswlab/core';
import { graphFingerprint } from '@hnswlab/core/testing';
import { loadKernel, meanRecall, modelSuite, type KernelLoad } from '@hnswlab/conformance';
import { faultKernel, type FaultPlan } from '@hnswlab/conformance/fault-kernel';
import { clusteredSet } from '@hnswlab/datasets';
import { createKernel } from '@hnswlab/kernels-js';
import { registerAll } from '@hnswlab/strategies';
import { afterAll, describe, expect, it } from 'vitest';

registerAll();
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
afterAll(() => closeWorkers());

// The accelerated kernels are loaded from their built packages when present: a kernel that cannot
// load is skipped with its reason printed.
function siblingKernel(dir: string): () => Promise<DistanceKernel> {
  return async () => {
    const mod = (await import(new URL(`../../${dir}/dist/index.js`, import.meta.url).href)) as { createKernel(): Promise<DistanceKernel> };
    return mod.createKernel();
  };
}

const KERNELS: Array<[string, Promise<KernelLoad>]> = [
  ['js', loadKernel('js', createKernel)],
  ['wasm', loadKernel('wasm', siblingKernel('kernels-wasm'))],
  ['native', loadKernel('native', siblingKernel('kernels-native'))],
];

const STRATEGIES = ['parallel', 'segmented', 'rounds'] as const;
const THREADS = 2;

const fingerprint = graphFingerprint;

/** What search can see, for before/after comparisons. */
function observe(index: HnswIndex, queries: Float32Array, dim: number) {
  const results = [];
  for (let q = 0; q < 10; q++) {
    const r = index.search(queries.subarray(q * dim, (q + 1) * dim), 10, { ef: 32 });
    results.push([Array.from(r.ids), Array.from(r.distances)]);
  }
  return { size: index.size, problems: index.check().problems, results };
}

for (const [label, load] of KERNELS) {
  describe(`strategies with kernel: ${label}`, async () => {
    const { kernel, reason } = await load;
    if (!kernel) {
      it.skip(`skipped: ${reason}`, () => {});
      return;
    }
    const k: DistanceKernel = kernel;
    const n = 8000,
      dim = 64;
    const data = clusteredSet({ n, dim, queries: 200, seed: 7 });
    const oracle = new BruteForceIndex({ dim, kernel: k });
    oracle.addBatch(data.base);
    const build = async (strategy: string, threads?: number) => {
      const index = new HnswIndex({ dim, M: 16, efConstruction: 200, kernel: k, seed: 42 });
      await index.addBatch(data.base, { strategy, threads });
      return index;
    };
    const baseline = (async () => meanRecall(await build('sequential'), oracle, data.queries, dim, 64))();

    it('rounds on 2 threads builds the same graph through every boundary the kernel supports', { timeout: 120_000 }, async () => {
      const seen = new Map<string, unknown>();
      for (const boundary of k.boundaries) {
        const index = new HnswIndex({ dim, M: 8, efConstruction: 48, kernel: k, seed: 4, boundary, capacity: 16 });
        await index.addBatch(data.base.subarray(0, 300 * dim), { strategy: 'batched' });
        await index.addBatch(data.base.subarray(300 * dim, 2000 * dim), { strategy: 'rounds', threads: THREADS, roundFraction: 0.1 });
        expect(index.check().problems, boundary).toEqual([]);
        seen.set(boundary, fingerprint(index));
        index.dispose();
      }
      for (const b of k.boundaries) expect(seen.get(b), `${b} against ${k.boundaries[0]}`).toEqual(seen.get(k.boundaries[0]));
    });

    for (const strategy of STRATEGIES) {
      it(`${strategy}: recall@10 at ef=64 within 0.01 of sequential on ${n} × ${dim} clustered; check() clean`, async () => {
        const index = await build(strategy, THREADS);
        expect(index.check().problems).toEqual([]);
        expect(index.size).toBe(n);
        const recall = meanRecall(index, oracle, data.queries, dim, 64);
        const sequential = await baseline;
        console.info(`[${k.name}] ${strategy} recall@10 at ef=64: ${recall.toFixed(4)} (sequential ${sequential.toFixed(4)})`);
        expect(recall).toBeGreaterThanOrEqual(sequential - 0.01);
      });
    }
  });
}

describe('parallel, segmented and rounds with the js kernel', async () => {
  const k = await createKernel();
  const dim = 24;
  const data = clusteredSet({ n: 4000, dim, queries: 20, seed: 3 });
  const rows = (from: number, to: number) => data.base.subarray(from * dim, to * dim);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const small = (seed = 5) => new HnswIndex({ dim, M: 8, efConstruction: 64, kernel: k, seed, capacity: 16 });

  it('rounds builds the same graph with 1, 2 and 3 threads (two batches, empty index first)', async () => {
    const builds = [];
    for (const threads of [1, 2, 3]) {
      const index = small();
      await index.addBatch(rows(0, 1500), { strategy: 'rounds', threads });
      await index.addBatch(rows(1500, 4000), { strategy: 'rounds', threads, roundFraction: 0.05 });
      expect(index.check().problems).toEqual([]);
      builds.push({ graph: fingerprint(index), evals: index.stats().distanceEvals });
    }
    expect(builds[1]).toEqual(builds[0]);
    expect(builds[2]).toEqual(builds[0]);
    expect(small().lastBatchReport()).toBeUndefined();
  });

  it('many small batches queued at once, strategies interleaved: no lost, duplicate or dangling links', async () => {
    const index = small();
    await index.addBatch(rows(0, 300), { strategy: 'parallel', threads: THREADS });
    const pending = [];
    const names = ['parallel', 'segmented', 'rounds', 'batched'];
    for (let b = 0, at = 300; at < 4000; b++) {
      const size = 40 + ((b * 37) % 90);
      const to = Math.min(4000, at + size);
      // Explicit ids: the core assigns automatic ids when a call is made, not when its batch runs.
      pending.push(
        index.addBatch(rows(at, to), { ids: range(at, to), strategy: names[b % names.length], threads: THREADS, minSegmentRows: 30 }),
      );
      at = to;
    }
    const ids = await Promise.all(pending);
    expect(ids.reduce((s, x) => s + x.length, 300)).toBe(4000);
    const report = index.check();
    expect(report.problems).toEqual([]);
    expect(index.size).toBe(4000);
    for (let id = 0; id < 4000; id += 97) expect(index.has(id)).toBe(true);
    // Every stored vector is found as its own nearest neighbour.
    let found = 0;
    for (let id = 0; id < 4000; id += 41) if (index.search(rows(id, id + 1), 1, { ef: 64 }).ids[0] === id) found++;
    expect(found).toBeGreaterThanOrEqual(Math.floor(4000 / 41) - 1);
  });

  describe('a kernel that fails mid-batch: addBatch rejects, the index is exactly as before, the next batch works', () => {
    // [what, strategy, fault]: calls are counted per thread; worker faults hit after the warm-up.
    // The call counts were read off a run of this exact batch (stages named in the failed batch's report).
    const cases: Array<[string, string, FaultPlan, Record<string, number>?, string[]?]> = [
      ['sequential, a throw in the calling thread', 'sequential', { atCall: 40_000, mode: 'throw', where: 'main' }],
      ['batched, a throw in the calling thread', 'batched', { atCall: 40_000, mode: 'throw', where: 'main' }],
      ['parallel, a throw in a worker (often while it holds a row lock)', 'parallel', { atCall: 30_000, mode: 'throw' }],
      [
        'parallel, in the calling thread during the warm-up',
        'parallel',
        { atCall: 30_000, mode: 'throw', where: 'main' },
        { warmupRows: 1000 },
      ],
      ['parallel, a worker thread that exits', 'parallel', { atCall: 30_000, mode: 'exit' }],
      ['segmented, while building segments', 'segmented', { atCall: 30_000, mode: 'throw' }, {}, []],
      ['segmented, while merging', 'segmented', { atCall: 250_000, mode: 'throw' }, {}, ['segments']],
      ['rounds, in a worker', 'rounds', { atCall: 30_000, mode: 'throw' }],
      ['rounds, a worker thread that exits', 'rounds', { atCall: 60_000, mode: 'exit' }],
    ];
    for (const [what, strategy, fault, extra = {}, stagesDone] of cases) {
      it(what, { timeout: 60_000 }, async () => {
        const index = new HnswIndex({ dim, M: 8, efConstruction: 64, kernel: faultKernel(k, fault), seed: 5, capacity: 16 });
        // The calling thread's calls are counted from here: the first batch stays below any fault.
        await index.addBatch(rows(0, 300), { strategy: fault.where === 'main' ? 'parallel' : 'batched', threads: THREADS, warmupRows: 0 });
        const before = observe(index, data.queries, dim);
        const graphBefore = fingerprint(index);
        const statsBefore = index.stats();
        const batch = rows(300, 3500);
        await expect(index.addBatch(batch, { strategy, threads: THREADS, minSegmentRows: 200, ...extra })).rejects.toThrow(
          new RegExp(`${strategy} insert failed and the batch was rolled back .*(injected fault at kernel call|exited|terminated|memory)`),
        );
        if (stagesDone) expect(index.lastBatchReport()!.stages.map((x) => x.name)).toEqual(stagesDone);
        expect(fingerprint(index)).toEqual(graphBefore);
        expect(observe(index, data.queries, dim)).toEqual(before);
        expect(index.stats().inserts).toBe(statsBefore.inserts);
        expect(index.lastBatchReport()?.committed).toBe(false);
        // The same ids go in afterwards, with a kernel that does not fail.
        const again = new HnswIndex({ dim, M: 8, efConstruction: 64, kernel: k, seed: 5, capacity: 16 });
        await again.addBatch(rows(0, 300), { strategy: 'batched' });
        await again.addBatch(batch, { strategy, threads: THREADS, minSegmentRows: 200 });
        expect(again.check().problems).toEqual([]);
        // …and the failed index takes a batch that stays clear of its fault (a fresh worker pool spawned).
        await index.addBatch(rows(300, 320), { strategy: 'batched' });
        expect(index.size).toBe(320);
        expect(index.check().problems).toEqual([]);
      });
    }

    it('a worker that cannot load the kernel', { timeout: 60_000 }, async () => {
      const broken: DistanceKernel = {
        name: k.name,
        metrics: k.metrics,
        boundaries: k.boundaries,
        descriptor: { module: new URL('../package.json', import.meta.url).href.replace(/\.json$/, '-missing.js') },
        createSpace: (o) => k.createSpace(o),
        attachSpace: (h) => k.attachSpace(h),
      };
      const index = new HnswIndex({ dim, M: 8, efConstruction: 64, kernel: broken, seed: 5 });
      await index.addBatch(rows(0, 300), { strategy: 'batched' });
      const before = observe(index, data.queries, dim);
      await expect(index.addBatch(rows(300, 900), { strategy: 'parallel', threads: THREADS, warmupRows: 0 })).rejects.toThrow(
        /parallel insert failed .*build worker \d+ failed: .*package-missing\.js/,
      );
      expect(observe(index, data.queries, dim)).toEqual(before);
    });
  });

  it('segmented merges with less work per seeded row than per full insertion, and reports its stages', async () => {
    const index = small();
    await index.addBatch(rows(0, 4000), { strategy: 'segmented', threads: THREADS, segments: 3, minSegmentRows: 200 });
    expect(index.check().problems).toEqual([]);
    const report = index.lastBatchReport()!;
    expect(report.stages.map((s) => s.name)).toEqual(['segments', 'merge-full', 'merge-seeded']);
    const [, full, seeded] = report.stages;
    expect(full.rows + seeded.rows).toBe(4000 - Math.round(4000 / 3));
    expect(report.extra.seededInserts).toBeGreaterThan(full.rows);
    expect(seeded.distanceEvals / seeded.rows).toBeLessThan(full.distanceEvals / full.rows);
    expect(report.distanceEvals).toBe(report.stages.reduce((s, x) => s + x.distanceEvals, 0));
  });

  it('parallel reports phases summed over threads and the share of time waiting on locks', async () => {
    const index = small();
    await index.addBatch(rows(0, 2000), { strategy: 'parallel', threads: THREADS });
    const report = index.lastBatchReport()!;
    expect(report.stages.map((s) => [s.name, s.rows])).toEqual([
      ['warm-up', 256],
      ['parallel', 1744],
    ]);
    expect(report.phases.neighborSearch).toBeGreaterThan(0);
    expect(report.lockWaitShare).toBeGreaterThanOrEqual(0);
    expect(report.lockWaitShare).toBeLessThan(1);
    expect(report.distanceEvals).toBe(index.stats().distanceEvals);
  });

  it('small batches, tiny indexes and every metric build sound graphs', async () => {
    for (const metric of ['l2', 'cosine', 'ip'] as const) {
      for (const strategy of STRATEGIES) {
        const index = new HnswIndex({ dim, metric, M: 8, efConstruction: 32, kernel: k, seed: 1, capacity: 1 });
        await index.addBatch(rows(0, 1), { strategy, threads: 3 });
        await index.addBatch(rows(1, 3), { strategy, threads: 3, warmupRows: 0 });
        await index.addBatch(rows(3, 700), { strategy, threads: 3, warmupRows: 0, minSegmentRows: 100 });
        expect(index.check().problems, `${metric} ${strategy}`).toEqual([]);
        expect(index.size).toBe(700);
        const oracle = new BruteForceIndex({ dim, metric, kernel: k });
        oracle.addBatch(rows(0, 700));
        for (const q of [0, 2, 650])
          expect(index.search(rows(q, q + 1), 1).ids[0], `${metric} ${strategy} query ${q}`).toBe(oracle.search(rows(q, q + 1), 1).ids[0]);
      }
    }
  });

  it('bad strategy options are rejected before anything is written', async () => {
    const index = small();
    await index.addBatch(rows(0, 100), { strategy: 'batched' });
    const before = observe(index, data.queries, dim);
    await expect(index.addBatch(rows(100, 200), { strategy: 'rounds', roundFraction: 0 })).rejects.toThrow(
      /roundFraction must be in \(0, 1\]/,
    );
    await expect(index.addBatch(rows(100, 200), { strategy: 'segmented', segments: 0 })).rejects.toThrow(/segments must be an integer ≥ 1/);
    await expect(index.addBatch(rows(100, 200), { strategy: 'parallel', threads: 0 })).rejects.toThrow(/threads must be an integer ≥ 1/);
    expect(observe(index, data.queries, dim)).toEqual(before);
  });

  const script = fileURLToPath(new URL('./fixtures/parallel-script.mjs', import.meta.url));
  const node = (flags: string[], args: string[]) =>
    run(process.execPath, [...flags, script, ...args], { cwd: packageDir, timeout: 50_000 });

  it('a script that inserts in parallel exits by itself (idle workers do not hold the process)', { timeout: 60_000 }, async () => {
    const { stdout } = await node([], []);
    expect(stdout.trim()).toBe('inserted 600');
  });

  it(
    'parallel works under node flags a worker refuses (heap size, expose-gc, V8 tuning) and never wedges after a failure',
    { timeout: 60_000 },
    async () => {
      const flags = ['--max-old-space-size=4096', '--expose-gc', '--no-turbo-inlining', '--stack-size=2000'];
      expect((await node(flags, [])).stdout.trim()).toBe('inserted 600');
      // A batch that fails in a worker, then another batch in the same process: it must run, not hang.
      const { stdout } = await node(flags, ['2000', 'throw', 'again']);
      expect(stdout.trim().split('\n')).toEqual(['rejected 0 true', 'then inserted 100 0']);
    },
  );

  it(
    'a worker that runs out of memory fails the batch, not the process (the heap flag becomes the worker limit)',
    { timeout: 60_000 },
    async () => {
      const { stdout } = await node(['--max-old-space-size=192'], ['2000', 'oom', 'again']);
      expect(stdout.trim().split('\n')).toEqual(['rejected 0 true', 'then inserted 100 0']);
    },
  );

  it(
    'a failing parallel batch always settles before the process may exit (5 runs, fault in the last rows)',
    { timeout: 120_000 },
    async () => {
      for (let i = 0; i < 5; i++) {
        // A worker fails near the end of its share, racing the pool's termination of the others.
        const { stdout } = await node([], [String(18_000 + 800 * i), i % 2 ? 'exit' : 'throw']);
        expect(stdout.trim(), `run ${i}`).toMatch(/^(rejected 0 true|inserted 600)$/);
      }
    },
  );

  it('a worker strategy is one file and one registration line (the example in test/fixtures)', { timeout: 60_000 }, async () => {
    const { everyOther } = (await import(new URL('./fixtures/every-other.mjs', import.meta.url).href)) as { everyOther: InsertStrategy };
    registerStrategy(everyOther);
    const index = small();
    await index.addBatch(rows(0, 1500), { strategy: 'every-other', threads: THREADS });
    expect(index.check().problems).toEqual([]);
    expect(index.size).toBe(1500);
    expect(index.lastBatchReport()!.stages.map((x) => x.name)).toEqual(['even', 'odd']);
    const oracle = new BruteForceIndex({ dim, kernel: k });
    oracle.addBatch(rows(0, 1500));
    expect(meanRecall(index, oracle, data.queries, dim, 64)).toBeGreaterThan(0.95);
  });
});

describe('index.merge', async () => {
  const k = await createKernel();
  const dim = 32;
  const data = clusteredSet({ n: 6000, dim, queries: 100, seed: 11 });
  const make = (seed: number) => new HnswIndex({ dim, M: 12, efConstruction: 100, kernel: k, seed });
  const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('merges two indexes: ids kept, removed ids left out, recall within 0.01 of one sequential build', async () => {
    const a = make(1),
      b = make(2);
    await a.addBatch(data.base.subarray(0, 3500 * dim), { strategy: 'parallel', threads: THREADS });
    await b.addBatch(data.base.subarray(3500 * dim), { strategy: 'parallel', threads: THREADS, ids: ids(3500, 6000) });
    b.remove(4000);
    const report = await a.merge(b, { threads: THREADS });
    expect(report.ids.length).toBe(2499);
    expect(report.fullInserts + report.seededInserts).toBe(2499);
    expect(report.seededInserts).toBeGreaterThan(report.fullInserts);
    expect(a.size).toBe(5999);
    expect(a.has(4000)).toBe(false);
    expect(a.has(5999)).toBe(true);
    expect(b.size).toBe(2499);
    expect(a.check().problems).toEqual([]);

    const oracle = new BruteForceIndex({ dim, kernel: k });
    oracle.addBatch(data.base);
    oracle.remove(4000);
    const whole = make(1);
    await whole.addBatch(data.base, { strategy: 'sequential' });
    whole.remove(4000);
    const merged = meanRecall(a, oracle, data.queries, dim, 64);
    const sequential = meanRecall(whole, oracle, data.queries, dim, 64);
    console.info(`[js] merge recall@10 at ef=64: ${merged.toFixed(4)} (sequential ${sequential.toFixed(4)})`);
    expect(merged).toBeGreaterThanOrEqual(sequential - 0.01);
  });

  it('into an empty index; an id in both, a mismatch or a failure leaves the target unchanged', { timeout: 60_000 }, async () => {
    const b = make(2);
    await b.addBatch(data.base.subarray(0, 1000 * dim), { strategy: 'batched' });
    const empty = make(3);
    await empty.merge(b);
    expect(empty.size).toBe(1000);
    expect(empty.check().problems).toEqual([]);

    const a = make(1);
    await a.addBatch(data.base.subarray(1000 * dim, 2000 * dim), { strategy: 'batched', ids: ids(999, 1999) });
    const before = observe(a, data.queries, dim);
    await expect(a.merge(b)).rejects.toThrow(/id 999 is in both indexes/);
    await expect(a.merge(new HnswIndex({ dim: 16, kernel: k }))).rejects.toThrow(/dim differs/);
    await expect(a.merge(a)).rejects.toThrow(/into itself/);
    const c = make(4);
    await c.addBatch(data.base.subarray(2000 * dim, 3000 * dim), { strategy: 'batched', ids: ids(5000, 6000) });
    // A target whose kernel fails in a merge worker: the merge is rolled back whole.
    const f = new HnswIndex({ dim, M: 12, efConstruction: 100, kernel: faultKernel(k, { atCall: 20_000, mode: 'throw' }), seed: 1 });
    await f.addBatch(data.base.subarray(1000 * dim, 2000 * dim), { strategy: 'batched', ids: ids(999, 1999) });
    const fBefore = observe(f, data.queries, dim);
    await expect(f.merge(c, { threads: THREADS })).rejects.toThrow(/merge insert failed and the batch was rolled back/);
    expect(observe(f, data.queries, dim)).toEqual(fBefore);
    expect(observe(a, data.queries, dim)).toEqual(before);
    await a.merge(c, { threads: THREADS });
    expect(a.size).toBe(2000);
    expect(a.check().problems).toEqual([]);
  });
});

for (const [label, load] of KERNELS) modelSuite(label, load, ['sequential', 'batched', 'parallel', 'segmented', 'rounds']);
