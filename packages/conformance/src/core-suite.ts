import { BruteForceIndex, HnswIndex, learnQuantiser, type DistanceKernel, type Metric } from '@hnswlab/core';
import { graphFingerprint } from '@hnswlab/core/testing';
import { clusteredSet } from '@hnswlab/datasets';
import { describe, expect, it } from 'vitest';
import type { KernelLoad } from './load-kernel.js';
import { recallByDistance } from './recall.js';

const METRICS: Metric[] = ['l2', 'cosine', 'ip'];

/** Mean recall@10 of an index against brute force over the query set. */
export function meanRecall(index: HnswIndex, oracle: BruteForceIndex, queries: Float32Array, dim: number, ef: number, k = 10): number {
  let sum = 0;
  const nq = queries.length / dim;
  for (let q = 0; q < nq; q++) {
    const v = queries.subarray(q * dim, (q + 1) * dim);
    sum += recallByDistance(index.search(v, k, { ef }), oracle.search(v, k), k);
  }
  return sum / nq;
}

/** A fingerprint of everything search can see: stats counts and results for a few queries. */
function observe(index: HnswIndex, queries: Float32Array, dim: number) {
  const results = [];
  for (let q = 0; q < 5; q++) {
    const r = index.search(queries.subarray(q * dim, (q + 1) * dim), 5, { ef: 32 });
    results.push([Array.from(r.ids), Array.from(r.distances)]);
  }
  const { distanceEvals, inserts } = index.stats();
  return { size: index.size, inserts, distanceEvals, check: index.check().problems, results };
}

/**
 * The core's behaviour driven through one kernel: recall on the clustered set for every metric,
 * determinism, remove semantics, and every bad input leaving the index unchanged.
 */
export function coreSuite(label: string, load: Promise<KernelLoad>, { n = 10_000, dim = 128 } = {}): void {
  describe(`core behaviour with kernel: ${label}`, async () => {
    const { kernel, reason } = await load;
    if (!kernel) {
      it.skip(`skipped: ${reason}`, () => {});
      return;
    }
    const k: DistanceKernel = kernel;
    const data = clusteredSet({ n, dim, queries: 200, seed: 7 });

    for (const metric of METRICS) {
      it(`${metric}: recall@10 ≥ 0.95 at ef=64 on ${n} × ${dim} clustered vectors (M=16, efConstruction=200)`, async () => {
        const index = new HnswIndex({ dim, metric, M: 16, efConstruction: 200, kernel: k, seed: 42 });
        await index.addBatch(data.base);
        const oracle = new BruteForceIndex({ dim, metric, kernel: k });
        oracle.addBatch(data.base);
        const recall = meanRecall(index, oracle, data.queries, dim, 64);
        console.info(`[${k.name}] ${metric} recall@10 at ef=64: ${recall.toFixed(4)}`);
        expect(recall).toBeGreaterThanOrEqual(0.95);
        expect(index.check().problems).toEqual([]);
      });
    }

    const small = clusteredSet({ n: 2000, dim: 32, queries: 20, seed: 9 });
    const build = async (metric: Metric = 'l2', strategy = 'batched') => {
      const index = new HnswIndex({ dim: 32, metric, M: 8, efConstruction: 64, kernel: k, seed: 3, capacity: 100 });
      await index.addBatch(small.base, { strategy });
      return index;
    };

    it('is deterministic: same data, order, seed and kernel give the same graph and results', async () => {
      const a = await build(),
        b = await build();
      expect(graphFingerprint(b)).toEqual(graphFingerprint(a));
      expect(observe(b, small.queries, 32)).toEqual(observe(a, small.queries, 32));
    });

    it('sequential add() and the sequential and batched strategies build the same graph', async () => {
      const a = await build('l2', 'sequential');
      const b = await build('l2', 'batched');
      const c = new HnswIndex({ dim: 32, metric: 'l2', M: 8, efConstruction: 64, kernel: k, seed: 3, capacity: 100 });
      for (let i = 0; i < 2000; i++) c.add(small.base.subarray(i * 32, (i + 1) * 32));
      expect(observe(b, small.queries, 32).results).toEqual(observe(a, small.queries, 32).results);
      expect(observe(c, small.queries, 32).results).toEqual(observe(a, small.queries, 32).results);
    });

    it('a removed id never comes back from search', async () => {
      const index = await build();
      const removed = new Set<number>();
      for (let id = 0; id < 2000; id += 3) {
        index.remove(id);
        removed.add(id);
      }
      expect(index.size).toBe(2000 - removed.size);
      for (let q = 0; q < 2000; q += 7) {
        const r = index.search(small.base.subarray(q * 32, (q + 1) * 32), 10, { ef: 50 });
        expect(r.ids.length).toBe(10);
        for (const id of r.ids) expect(removed.has(id)).toBe(false);
      }
      expect(index.has(0)).toBe(false);
      expect(index.has(1)).toBe(true);
      expect(() => index.remove(0)).toThrow(/not in the index/);
      // A removed id may be added again, as a new vector.
      index.add(small.base.subarray(0, 32), 0);
      expect(index.search(small.base.subarray(0, 32), 1).ids[0]).toBe(0);
      expect(index.check().problems).toEqual([]);
    });

    it("filterMode: 'exact' scans the allowed rows (brute-force answers), 'graph' walks even for a few rows, a bad mode is refused", async () => {
      const index = await build();
      const allowed = Array.from({ length: 2000 }, (_, i) => i).filter((i) => i % 50 === 7);
      const filter = index.createFilter(allowed);
      const q = small.base.subarray(5 * 32, 6 * 32);
      const exact = index.search(q, 5, { filter, filterMode: 'exact' });
      expect(exact.exact).toBe(true);
      const brute = allowed
        .map((id) => ({ id, d: index.search(q, 1, { filter: [id], filterMode: 'exact' }).distances[0] }))
        .sort((a, b) => a.d - b.d || a.id - b.id)
        .slice(0, 5);
      expect(Array.from(exact.ids)).toEqual(brute.map((x) => x.id));
      expect(index.search(q, 5, { filter }).exact, 'auto scans 40 allowed rows of 2000').toBe(true);
      const walked = index.search(q, 5, { filter, filterMode: 'graph', ef: 64 });
      expect(walked.exact).toBe(false);
      for (const id of walked.ids) expect(id % 50).toBe(7);
      const before = index.stats().distanceEvals;
      expect(() => index.search(q, 5, { filter, filterMode: 'fast' as never })).toThrow(/filterMode must be one of auto, graph, exact/);
      expect(index.stats().distanceEvals).toBe(before);
    });

    it('search on an empty index returns empty results; ids are returned nearest first', async () => {
      const empty = new HnswIndex({ dim: 4, kernel: k });
      const r = empty.search(new Float32Array([1, 2, 3, 4]), 3);
      expect(r.ids.length).toBe(0);
      expect(r.distances.length).toBe(0);
      const index = await build();
      const res = index.search(small.queries.subarray(0, 32), 10);
      for (let i = 1; i < res.distances.length; i++) expect(res.distances[i]).toBeGreaterThanOrEqual(res.distances[i - 1]);
    });

    it('explicit ids are kept; auto ids continue after the largest', async () => {
      const index = new HnswIndex({ dim: 2, kernel: k });
      expect(index.add(new Float32Array([1, 0]), 100)).toBe(100);
      expect(index.add(new Float32Array([0, 1]))).toBe(101);
      const ids = await index.addBatch(new Float32Array([1, 1, 2, 2]), { ids: [7, 8] });
      expect(Array.from(ids)).toEqual([7, 8]);
      expect(Array.from(index.search(new Float32Array([2, 2]), 1).ids)).toEqual([8]);
      expect(Array.from(index.get(100))).toEqual([1, 0]);
    });

    it('queued batches get distinct ids, and a queued id clash rejects only the later batch', async () => {
      const index = new HnswIndex({ dim: 32, M: 8, efConstruction: 32, kernel: k, seed: 3 });
      const rows = (from: number, n: number) => small.base.subarray(from * 32, (from + n) * 32);
      const [a, b] = await Promise.all([index.addBatch(rows(0, 10)), index.addBatch(rows(10, 10))]);
      expect(new Set([...a, ...b]).size).toBe(20);
      const first = index.addBatch(rows(20, 2), { ids: [500, 501] });
      const clash = index.addBatch(rows(22, 2), { ids: [600, 500] });
      await first;
      await expect(clash).rejects.toThrow(/id 500 .*already in the index/);
      expect(index.size).toBe(22);
      expect(index.has(600)).toBe(false);
      expect(index.check().problems).toEqual([]);
    });

    it('counts work and times phases; timing can be switched off', async () => {
      const index = await build();
      const s = index.stats();
      expect(s.inserts).toBe(2000);
      expect(s.distanceEvals).toBeGreaterThan(2000 * 10);
      expect(s.nodesVisited).toBeGreaterThan(2000);
      expect(s.phases.neighborSearch).toBeGreaterThan(0);
      expect(s.phases.connectionManagement).toBeGreaterThan(0);
      expect(s.bytes.vectors).toBeGreaterThanOrEqual(2000 * 32 * 4);
      expect(s.bytes.graph).toBeGreaterThan(2000 * 17 * 4);
      const quiet = new HnswIndex({ dim: 32, M: 8, efConstruction: 64, kernel: k, seed: 3, timing: false });
      await quiet.addBatch(small.base);
      const q = quiet.stats();
      expect(q.phases).toEqual({ navigation: 0, neighborSearch: 0, connectionManagement: 0, storage: 0 });
      expect(q.distanceEvals).toBe(s.distanceEvals);
    });

    describe('bad input gets a clear error and leaves the index unchanged', () => {
      const cases: Array<[string, RegExp, (index: HnswIndex) => unknown]> = [
        ['a vector of the wrong length', /components: expected dim = 32/, (i) => i.add(new Float32Array(31))],
        ['a batch whose length is not a multiple of dim', /multiple of dim = 32/, (i) => i.addBatch(new Float32Array(33))],
        ['a NaN component', /non-finite component at 5/, (i) => i.add(withValue(5, NaN))],
        ['an Infinity component', /non-finite/, (i) => i.add(withValue(0, Infinity))],
        ['a −Infinity component in the middle of a batch', /row 3 has a non-finite/, (i) => i.addBatch(batchWithBadRow(3, -Infinity))],
        ['a duplicate id', /already in the index/, (i) => i.add(new Float32Array(32).fill(1), 5)],
        ['a duplicate id within a batch', /appears twice/, (i) => i.addBatch(new Float32Array(64).fill(1), { ids: [5000, 5000] })],
        ['an id already present, in a batch', /already in the index/, (i) => i.addBatch(new Float32Array(64).fill(1), { ids: [5001, 10] })],
        ['a negative id', /integer from 0/, (i) => i.add(new Float32Array(32).fill(1), -1)],
        ['a non-Float32Array vector', /must be a Float32Array/, (i) => i.add([1, 2] as unknown as Float32Array)],
        ['k < 1', /k must be an integer ≥ 1/, (i) => i.search(new Float32Array(32), 0)],
        ['ef < k', /ef \(5\) must be at least k \(10\)/, (i) => i.search(new Float32Array(32), 10, { ef: 5 })],
        ['a query with NaN', /non-finite/, (i) => i.search(withValue(1, NaN), 3)],
        ['an unknown strategy', /unknown strategy 'nope'/, (i) => i.addBatch(new Float32Array(32).fill(1), { strategy: 'nope' })],
        ['removing an unknown id', /not in the index/, (i) => i.remove(123456)],
      ];
      for (const [what, message, act] of cases) {
        it(what, async () => {
          const index = await build();
          const before = observe(index, small.queries, 32);
          await expect(Promise.resolve().then(() => act(index))).rejects.toThrow(message);
          expect(observe(index, small.queries, 32)).toEqual({ ...before, distanceEvals: index.stats().distanceEvals });
        });
      }

      it('a zero vector under cosine', async () => {
        const index = await build('cosine');
        const before = observe(index, small.queries, 32);
        expect(() => index.add(new Float32Array(32))).toThrow(/zero vector/);
        expect(() => index.search(new Float32Array(32), 1)).toThrow(/zero vector/);
        expect(observe(index, small.queries, 32)).toEqual({ ...before, distanceEvals: index.stats().distanceEvals });
      });

      it('an unknown metric, a bad dim or M, a missing kernel', () => {
        expect(() => new HnswIndex({ dim: 4, metric: 'hamming' as Metric, kernel: k })).toThrow(/unknown metric "hamming"/);
        expect(() => new HnswIndex({ dim: 0, kernel: k })).toThrow(/dim must be an integer ≥ 1/);
        expect(() => new HnswIndex({ dim: 4, M: 1, kernel: k })).toThrow(/M must be an integer ≥ 2/);
        expect(() => new HnswIndex({ dim: 4 } as never)).toThrow(/needs a kernel/);
      });
    });

    describe('quantised stores', () => storeBehaviour(k));
  });
}

/**
 * The core's side of quantised stores through this kernel: options checked up front, a store the
 * kernel lacks refused, rerank (and its error without float32 rows), the clamp count and bytes in
 * stats(), merge only within a store.
 */
function storeBehaviour(k: DistanceKernel): void {
  const lists = k.stores ?? ['f32'];
  const data = clusteredSet({ n: 1200, dim: 32, queries: 10, seed: 21 });
  const q0 = data.queries.subarray(0, 32);

  it('store options: unknown stores, stores the kernel lacks, bad quantisers and flags get clear errors', () => {
    expect(() => new HnswIndex({ dim: 4, kernel: k, store: 'q4' as never })).toThrow(/unknown store .*q4.*use one of f32, f16, i8, b1/);
    const f32Only: DistanceKernel = {
      ...k,
      name: k.name,
      stores: ['f32'],
      createSpace: (o) => k.createSpace(o),
      attachSpace: (h) => k.attachSpace(h),
    };
    expect(() => new HnswIndex({ dim: 4, kernel: f32Only, store: 'i8' })).toThrow(
      new RegExp(`the ${k.name} kernel does not implement store 'i8' \\(it implements f32\\)`),
    );
    if (!lists.includes('i8')) {
      expect(() => new HnswIndex({ dim: 4, kernel: k, store: 'i8' })).toThrow(/does not implement store 'i8'/);
      return;
    }
    expect(() => new HnswIndex({ dim: 4, kernel: k, store: 'f16', quantiser: { centre: new Float32Array(4), scale: 1 } })).toThrow(
      /store 'f16' takes no quantiser/,
    );
    expect(() => new HnswIndex({ dim: 4, kernel: k, store: 'i8', quantiser: { centre: new Float32Array(3), scale: 1 } })).toThrow(
      /quantiser\.centre has 3 components: expected dim = 4/,
    );
    expect(() => new HnswIndex({ dim: 4, kernel: k, store: 'i8', quantiser: { centre: new Float32Array(4), scale: 0 } })).toThrow(
      /quantiser\.scale must be a finite number > 0/,
    );
    expect(() => new HnswIndex({ dim: 4, kernel: k, store: 'i8', quantiser: { centre: new Float32Array(4).fill(NaN), scale: 1 } })).toThrow(
      /quantiser\.centre\[0\] is NaN/,
    );
    expect(() => new HnswIndex({ dim: 4, kernel: k, store: 'i8', quantiser: [1, 2] as never })).toThrow(/quantiser must be \{ centre/);
    expect(() => new HnswIndex({ dim: 4, kernel: k, store: 'i8', keepFullPrecision: 'yes' as never })).toThrow(
      /keepFullPrecision must be a boolean/,
    );
    expect(() => learnQuantiser(data.base, { dim: 32, store: 'f16' })).toThrow(/store .*f16.* has no quantiser/);
  });

  if (!lists.includes('i8')) return;

  it('rerank: exact distances of the best rerank·k; a clear error without float32 rows', async () => {
    const bare = new HnswIndex({ dim: 32, M: 8, efConstruction: 64, kernel: k, seed: 3, store: 'i8' });
    await bare.addBatch(data.base);
    expect(bare.keepFullPrecision).toBe(false);
    expect(() => bare.search(q0, 5, { rerank: 2 })).toThrow(/rerank needs float32 rows, and this 'i8' index keeps only its codes/);
    await expect(bare.searchBatch(data.queries, 5, { rerank: 2, threads: 1 })).rejects.toThrow(/rerank needs float32 rows/);
    const kept = new HnswIndex({ dim: 32, M: 8, efConstruction: 64, kernel: k, seed: 3, store: 'i8', keepFullPrecision: true });
    await kept.addBatch(data.base);
    expect(() => kept.search(q0, 5, { rerank: 0 })).toThrow(/rerank must be an integer ≥ 1/);
    const oracle = new BruteForceIndex({ dim: 32, kernel: k });
    oracle.addBatch(data.base);
    // Reranked distances are the f32 store's, for exactly the ids returned; the graph is the same as without kept rows.
    const r = kept.search(q0, 10, { ef: 40, rerank: 4 });
    const exact = oracle.search(q0, 1200);
    const at = new Map(Array.from(exact.ids, (id, i) => [id, exact.distances[i]]));
    r.ids.forEach((id, i) => expect(r.distances[i]).toBe(at.get(id)));
    expect(Array.from(kept.search(q0, 10, { ef: 40 }).ids)).toEqual(Array.from(bare.search(q0, 10, { ef: 40 }).ids));
    // f32 rows are their own full precision: rerank is allowed there too.
    const f32 = new HnswIndex({ dim: 32, M: 8, efConstruction: 64, kernel: k, seed: 3 });
    await f32.addBatch(data.base);
    expect(Array.from(f32.search(q0, 10, { ef: 40, rerank: 4 }).ids)).toEqual(Array.from(f32.search(q0, 10, { ef: 40 }).ids));
    // searchBatch reranks on workers as search does in this thread.
    const batch = await kept.searchBatch(data.queries, 10, { ef: 40, rerank: 3, threads: 2 });
    for (let q = 0; q < 10; q++) {
      const one = kept.search(data.queries.subarray(q * 32, (q + 1) * 32), 10, { ef: 40, rerank: 3 });
      expect(Array.from(batch.ids.subarray(q * 10, q * 10 + 10)), `query ${q}`).toEqual(Array.from(one.ids));
      expect(Array.from(batch.distances.subarray(q * 10, q * 10 + 10))).toEqual(Array.from(one.distances));
    }
  });

  it('i8: clamped vectors are counted in stats(); codes alone take under 0.40× the f32 bytes; get() decodes within scale/2', async () => {
    // Learned from a first batch of 50 rows: later rows fall outside its range.
    const index = new HnswIndex({ dim: 32, M: 8, efConstruction: 64, kernel: k, seed: 3, store: 'i8' });
    await index.addBatch(data.base.subarray(0, 50 * 32));
    expect(index.stats().clamped).toBe(0);
    await index.addBatch(data.base.subarray(50 * 32));
    const clamped = index.stats().clamped;
    expect(clamped).toBeGreaterThan(0);
    const far = new Float32Array(32).fill(1e4);
    index.add(far);
    expect(index.stats().clamped).toBe(clamped + 1);
    const f32 = new HnswIndex({ dim: 32, M: 8, efConstruction: 64, kernel: k, seed: 3 });
    await f32.addBatch(data.base);
    f32.add(far);
    expect(index.stats().bytes.vectors).toBeLessThan(0.4 * f32.stats().bytes.vectors);
    const q = learnQuantiser(data.base.subarray(0, 50 * 32), { dim: 32, store: 'i8' });
    const v = data.base.subarray(0, 32);
    index.get(0).forEach((x, j) => expect(Math.abs(x - v[j])).toBeLessThanOrEqual((q.scale / 2) * 1.000001 + Math.abs(v[j]) * 2 ** -23));
  });

  it('merge needs the same store; compaction keeps a quantised index answering', async () => {
    const a = new HnswIndex({ dim: 32, M: 8, efConstruction: 32, kernel: k, seed: 3, store: 'i8', keepFullPrecision: true });
    const b = new HnswIndex({ dim: 32, M: 8, efConstruction: 32, kernel: k, seed: 3 });
    await a.addBatch(data.base.subarray(0, 600 * 32));
    await b.addBatch(data.base.subarray(600 * 32), { ids: Array.from({ length: 600 }, (_, i) => 600 + i) });
    await expect(a.merge(b)).rejects.toThrow(/cannot merge: store differs \(f32 into i8\)/);
    for (let id = 0; id < 600; id += 2) a.remove(id);
    const before = a.search(q0, 10, { ef: 64, rerank: 4 });
    await a.compact();
    expect(a.check().problems).toEqual([]);
    const after = a.search(q0, 10, { ef: 64, rerank: 4 });
    expect(Array.from(after.ids)).toEqual(Array.from(before.ids));
    for (let id = 1; id < 600; id += 50) expect(Array.from(a.get(id))).toEqual(Array.from(data.base.subarray(id * 32, (id + 1) * 32)));
  });
}

function withValue(at: number, value: number): Float32Array {
  const v = new Float32Array(32).fill(0.5);
  v[at] = value;
  return v;
}

function batchWithBadRow(row: number, value: number): Float32Array {
  const v = new Float32Array(32 * 6).fill(0.25);
  v[row * 32 + 2] = value;
  return v;
}
