import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BruteForceIndex, HnswIndex, STORES, type DistanceKernel, type VectorStore } from '@hnswlab/core';
import { graphOf } from '@hnswlab/core/testing';
import { clusteredSet, SeededRandom } from '@hnswlab/datasets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KernelLoad } from './load-kernel.js';

// Model-based tests: random sequences of calls against an index and against a plain model (a map of
// live ids to vectors), checked after every step. They test calls in combination, which is where
// the defects that single-call tests miss live (reused buffers, ids near 2^32, a remove between
// queued batches, a merge into a half-used id space). fast-check shrinks a failure to a minimal
// sequence and prints its seed; HNSWLAB_MODEL_RUNS raises the number of sequences.

const DIM = 6;
const MAX_ID = 0xffffffff;

interface Model {
  vectors: Map<number, Float32Array>;
  /** One above the largest id ever taken (the index's next automatic id). */
  nextId: number;
}

interface Real {
  index: HnswIndex;
  kernel: DistanceKernel;
  strategies: readonly string[];
  /** The store under test; quantised ones keep float32 rows, and searches rerank (exact answers). */
  store: VectorStore;
}

/** What a quantised index needs to answer exactly: float32 rows kept, a rerank covering every candidate. */
function storeOptions(real: Real) {
  return { store: real.store, keepFullPrecision: true };
}

function rerankFor(real: Real, ef: number, k: number): number | undefined {
  return real.store === 'f32' ? undefined : Math.ceil(ef / k);
}

type Command = fc.AsyncCommand<Model, Real>;

function vectors(seed: number, n: number): Float32Array {
  const rng = new SeededRandom(seed);
  const v = new Float32Array(n * DIM);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  return v;
}

function l2(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return s;
}

/** What the model expects of a batch of ids: the error it must raise, or none. */
function idProblem(model: Model, ids: readonly number[] | undefined, n: number): RegExp | undefined {
  if (ids === undefined) return model.nextId + n - 1 > MAX_ID ? /no free ids/ : undefined;
  const seen = new Set<number>();
  for (const id of ids) {
    if (model.vectors.has(id)) return /already in the index/;
    if (seen.has(id)) return /appears twice/;
    seen.add(id);
  }
  return undefined;
}

function commit(model: Model, ids: ArrayLike<number>, data: Float32Array): void {
  for (let i = 0; i < ids.length; i++) {
    model.vectors.set(ids[i], data.slice(i * DIM, (i + 1) * DIM));
    model.nextId = Math.max(model.nextId, ids[i] + 1);
  }
}

/** Ids an explicit batch uses: small ones (clashes likely) or ones near 2^32 − 1. */
const idPlan = fc.oneof(fc.constant<'auto'>('auto'), fc.constant<'small'>('small'), fc.constant<'top'>('top'));

function planIds(plan: 'auto' | 'small' | 'top', seed: number, n: number): number[] | undefined {
  if (plan === 'auto') return undefined;
  const base = plan === 'small' ? seed % 40 : MAX_ID - (seed % 6) - n + 1;
  return Array.from({ length: n }, (_, i) => (plan === 'small' ? (base + i * 7) % 60 : base + i));
}

class Add implements Command {
  constructor(
    readonly seed: number,
    readonly id: number | undefined,
  ) {}
  check = () => true as const;
  async run(model: Model, real: Real): Promise<void> {
    const v = vectors(this.seed, 1);
    const problem = idProblem(model, this.id === undefined ? undefined : [this.id], 1);
    if (problem) {
      expect(() => real.index.add(v, this.id)).toThrow(problem);
      return;
    }
    const id = real.index.add(v, this.id);
    expect(id).toBe(this.id ?? model.nextId);
    commit(model, [id], v);
  }
  toString = () => `add(seed ${this.seed}, id ${this.id})`;
}

class AddBatch implements Command {
  constructor(
    readonly seed: number,
    readonly n: number,
    readonly strategyPick: number,
    readonly plan: 'auto' | 'small' | 'top',
    readonly scribble: boolean,
  ) {}
  check = () => true as const;
  async run(model: Model, real: Real): Promise<void> {
    const strategy = real.strategies[this.strategyPick % real.strategies.length];
    const data = vectors(this.seed, this.n);
    const ids = planIds(this.plan, this.seed, this.n);
    const problem = idProblem(model, ids, this.n);
    // The caller's buffer: reused and overwritten right after the call, before the batch runs.
    const buffer = data.slice();
    const pending = real.index.addBatch(buffer, { strategy, ids, threads: 2, warmupRows: 2, minSegmentRows: 4 });
    if (this.scribble) buffer.fill(Number.NaN);
    if (problem) {
      await expect(pending).rejects.toThrow(problem);
      return;
    }
    const got = await pending;
    expect(Array.from(got)).toEqual(ids ?? Array.from({ length: this.n }, (_, i) => model.nextId + i));
    commit(model, got, data);
  }
  toString = () =>
    `addBatch(seed ${this.seed}, n ${this.n}, strategy #${this.strategyPick}, ids ${this.plan}${this.scribble ? ', buffer overwritten' : ''})`;
}

class Remove implements Command {
  constructor(readonly pick: number) {}
  check = () => true as const;
  async run(model: Model, real: Real): Promise<void> {
    const live = [...model.vectors.keys()];
    if (live.length === 0 || this.pick % 5 === 0) {
      const absent = 1_000_000 + this.pick;
      expect(() => real.index.remove(absent)).toThrow(/not in the index/);
      return;
    }
    const id = live[this.pick % live.length];
    real.index.remove(id);
    model.vectors.delete(id);
  }
  toString = () => `remove(#${this.pick})`;
}

class Merge implements Command {
  constructor(
    readonly seed: number,
    readonly n: number,
    readonly clash: boolean,
  ) {}
  check = () => true as const;
  async run(model: Model, real: Real): Promise<void> {
    const source = new HnswIndex({ dim: DIM, M: 8, efConstruction: 32, kernel: real.kernel, seed: this.seed, ...storeOptions(real) });
    const live = [...model.vectors.keys()];
    const clashing = this.clash && live.length > 0;
    const first = clashing ? live[this.seed % live.length] : 5_000_000 + (this.seed % 1000) * 100;
    const ids = Array.from({ length: this.n }, (_, i) => (i === 0 ? first : 5_000_000 + (this.seed % 1000) * 100 + i));
    const data = vectors(this.seed + 7, this.n);
    await source.addBatch(data, { ids, strategy: 'batched' });
    const problem = idProblem(model, ids, this.n);
    if (problem) await expect(real.index.merge(source, { threads: 2 })).rejects.toThrow(/in both indexes/);
    else {
      await real.index.merge(source, { threads: 2 });
      commit(model, ids, data);
    }
    source.dispose();
  }
  toString = () => `merge(seed ${this.seed}, n ${this.n}${this.clash ? ', an id in both' : ''})`;
}

class Reload implements Command {
  constructor(readonly viaFile: boolean) {}
  check = () => true as const;
  async run(_model: Model, real: Real): Promise<void> {
    // Serialize and read back (a file, or bytes): the model must not notice.
    const old = real.index;
    if (this.viaFile) {
      const file = join(tmpdir(), `hnswlab-model-${process.pid}.hnsw`);
      await old.save(file);
      real.index = await HnswIndex.load(file, { kernel: real.kernel });
      rmSync(file, { force: true });
    } else real.index = HnswIndex.deserialize(old.serialize(), { kernel: real.kernel });
    old.dispose();
  }
  toString = () => `reload(${this.viaFile ? 'file' : 'bytes'})`;
}

class Upsert implements Command {
  constructor(
    readonly seed: number,
    readonly pick: number,
  ) {}
  check = () => true as const;
  async run(model: Model, real: Real): Promise<void> {
    const live = [...model.vectors.keys()];
    const id = live.length > 0 && this.pick % 3 !== 0 ? live[this.pick % live.length] : 7_000_000 + (this.pick % 1000);
    const v = vectors(this.seed, 1);
    expect(real.index.upsert(v, id)).toBe(id);
    commit(model, [id], v);
  }
  toString = () => `upsert(seed ${this.seed}, #${this.pick})`;
}

class Compact implements Command {
  check = () => true as const;
  async run(_model: Model, real: Real): Promise<void> {
    const before = real.index.stats().tombstones;
    const report = await real.index.compact();
    expect(report.removed).toBe(before);
    expect(real.index.stats().tombstones).toBe(0);
  }
  toString = () => 'compact()';
}

class SearchBatch implements Command {
  constructor(
    readonly seed: number,
    readonly n: number,
    readonly k: number,
  ) {}
  check = () => true as const;
  async run(model: Model, real: Real): Promise<void> {
    // Many queries on 2 workers: the same answers as one at a time.
    const qs = vectors(this.seed + 5, this.n);
    const ef = Math.max(this.k, 16);
    const rerank = rerankFor(real, 2 * this.k, this.k);
    const batch = await real.index.searchBatch(qs, this.k, { ef, threads: 2, rerank });
    for (let q = 0; q < this.n; q++) {
      const one = real.index.search(qs.subarray(q * DIM, (q + 1) * DIM), this.k, { ef, rerank });
      expect(Array.from(batch.ids.subarray(q * this.k, q * this.k + batch.counts[q])), `query ${q}`).toEqual(Array.from(one.ids));
      expect(batch.counts[q]).toBe(Math.min(this.k, model.vectors.size));
    }
  }
  toString = () => `searchBatch(seed ${this.seed}, n ${this.n}, k ${this.k})`;
}

class Search implements Command {
  constructor(
    readonly seed: number,
    readonly k: number,
    /** Keep one id in `filterEvery` (0: no filter); odd: as a Set, even: as a bitset over ids. */
    readonly filterEvery = 0,
  ) {}
  check = () => true as const;
  async run(model: Model, real: Real): Promise<void> {
    const q = vectors(this.seed + 99, 1);
    // ef ≥ size: the beam search visits every row reachable from the entry point, so the answer is exact.
    const ef = Math.max(this.k, model.vectors.size + 1);
    const allowed = this.filterEvery ? [...model.vectors.keys()].filter((id) => id % this.filterEvery === 0) : undefined;
    // A quantised store reranks every candidate with its float32 rows: the answer is exact too.
    const rerank = rerankFor(real, ef, this.k);
    const got = real.index.search(q, this.k, { ef, rerank, filter: allowed && asFilter(allowed, this.filterEvery % 2 === 1) });
    const want = [...model.vectors.entries()]
      .filter(([id]) => !allowed || allowed.includes(id))
      .map(([id, v]) => [id, Math.fround(l2(q, v))] as const)
      .sort((a, b) => a[1] - b[1])
      .slice(0, this.k);
    // ef ≥ size reaches every row only if the level-0 graph is strongly connected: HNSW's pruning
    // (and a parallel build's races) may leave a row no path leads to. Then the answer is checked
    // row by row (live, true distance, sorted) and the case is counted, not failed.
    if (!stronglyConnected(real.index)) {
      disconnectedSeen.count++;
      for (let i = 0; i < got.ids.length; i++) {
        const v = model.vectors.get(got.ids[i]);
        expect(v, `result ${got.ids[i]} is live`).toBeDefined();
        if (allowed) expect(allowed.includes(got.ids[i]), `result ${got.ids[i]} is allowed`).toBe(true);
        expect(Math.abs(got.distances[i] - l2(q, v!))).toBeLessThanOrEqual(1e-6 + 1e-5 * got.distances[i]);
        if (i > 0) expect(got.distances[i]).toBeGreaterThanOrEqual(got.distances[i - 1]);
      }
      return;
    }
    const seen = `got ${Array.from(got.ids).join(',')} want ${want.map((w) => w[0]).join(',')}`;
    expect(got.ids.length, seen).toBe(want.length);
    want.forEach(([, d], i) =>
      expect(Math.abs(got.distances[i] - d), `distance at rank ${i}: ${seen}`).toBeLessThanOrEqual(1e-6 + 1e-5 * d),
    );
    // Ids: equal wherever the distance is not tied with a neighbour's.
    for (let i = 0; i < want.length; i++) {
      const tied = (i > 0 && want[i - 1][1] === want[i][1]) || (i + 1 < want.length && want[i + 1][1] === want[i][1]);
      if (!tied) expect(got.ids[i], `rank ${i}`).toBe(want[i][0]);
    }
  }
  toString = () => `search(seed ${this.seed}, k ${this.k}${this.filterEvery ? `, ids divisible by ${this.filterEvery}` : ''})`;
}

/** Ids as a Set, or as a bitset over ids when they are small enough for one. */
function asFilter(ids: number[], asSet: boolean): ReadonlySet<number> | Uint32Array {
  const max = Math.max(-1, ...ids);
  if (asSet || max > 1 << 24) return new Set(ids);
  const bits = new Uint32Array((max >>> 5) + 1);
  for (const id of ids) bits[id >>> 5] |= 1 << (id & 31);
  return bits;
}

/** Searches over a level-0 graph that was not strongly connected (reported by the suite). */
const disconnectedSeen = { count: 0 };

/** Whether every row of the level-0 graph reaches, and is reached from, the entry point. */
function stronglyConnected(index: HnswIndex): boolean {
  const g = graphOf(index);
  if (g.count < 2) return true;
  const forward: number[][] = Array.from({ length: g.count }, () => []);
  const backward: number[][] = Array.from({ length: g.count }, () => []);
  for (let row = 0; row < g.count; row++) {
    const off = row * g.stride0;
    for (let j = 1; j <= g.links0[off]; j++) {
      forward[row].push(g.links0[off + j]);
      backward[g.links0[off + j]].push(row);
    }
  }
  const covers = (edges: number[][]) => {
    const seen = new Uint8Array(g.count);
    const stack = [g.entry];
    seen[g.entry] = 1;
    let n = 1;
    while (stack.length) {
      for (const v of edges[stack.pop()!]) {
        if (seen[v]) continue;
        seen[v] = 1;
        n++;
        stack.push(v);
      }
    }
    return n === g.count;
  };
  return covers(forward) && covers(backward);
}

/** After every step: the index agrees with the model and its graph is sound. */
function invariants(model: Model, real: Real): void {
  const { index } = real;
  expect(index.size).toBe(model.vectors.size);
  expect(index.check().problems).toEqual([]);
  let i = 0;
  for (const [id, v] of model.vectors) {
    if (i++ % 3) continue;
    expect(index.has(id)).toBe(true);
    expect(Array.from(index.get(id))).toEqual(Array.from(v));
  }
}

const commandArbs = [
  fc
    .tuple(fc.nat(1e6), fc.option(fc.oneof(fc.nat(60), fc.integer({ min: MAX_ID - 3, max: MAX_ID })), { nil: undefined }))
    .map(([s, id]) => new Add(s, id)),
  fc
    .tuple(fc.nat(1e6), fc.integer({ min: 1, max: 40 }), fc.nat(10), idPlan, fc.boolean())
    .map(([s, n, p, plan, scr]) => new AddBatch(s, n, p, plan, scr)),
  fc.nat(1e6).map((p) => new Remove(p)),
  fc.tuple(fc.nat(1e6), fc.integer({ min: 1, max: 25 }), fc.boolean()).map(([s, n, c]) => new Merge(s, n, c)),
  fc
    .tuple(fc.nat(1e6), fc.integer({ min: 1, max: 12 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 7 })))
    .map(([s, k, f]) => new Search(s, k, f)),
  fc.tuple(fc.nat(1e6), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 6 })).map(([s, n, k]) => new SearchBatch(s, n, k)),
  fc.tuple(fc.nat(1e6), fc.nat(1e6)).map(([s, p]) => new Upsert(s, p)),
  fc.constant(new Compact()),
  fc.boolean().map((f) => new Reload(f)),
];

/**
 * Random call sequences against a kernel, every listed strategy taking turns, checked against the
 * model after every step: live ids, size, stored vectors, exact answers at ef ≥ size, check() clean.
 * `runs` sequences (default 200, or HNSWLAB_MODEL_RUNS), seeded; HNSWLAB_MODEL_REPLAY replays a failure.
 */
export function modelSuite(label: string, load: Promise<KernelLoad>, strategies: readonly string[], runs?: number): void {
  describe(`model-based: ${label}`, async () => {
    const { kernel, reason } = await load;
    if (!kernel) {
      it.skip(`skipped: ${reason}`, () => {});
      return;
    }
    const k: DistanceKernel = kernel;
    const numRuns = Number(process.env.HNSWLAB_MODEL_RUNS ?? runs ?? 200);
    for (const store of STORES.filter((s) => (k.stores ?? ['f32']).includes(s))) {
      // Quantised stores run a quarter of the sequences: the model checks the same core, through other codes.
      const storeRuns = store === 'f32' ? numRuns : Math.max(1, Math.round(numRuns / 4));
      it(
        `${store === 'f32' ? '' : `store ${store} (float32 rows kept, searches reranked): `}${storeRuns} random sequences of add, addBatch (${strategies.join(', ')}), remove, upsert, compact, merge, save/load, search (filtered too) and searchBatch agree with the model`,
        { timeout: 600_000 },
        async () => {
          await fc.assert(
            fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 14 }), async (cmds) => {
              const real: Real = {
                index: new HnswIndex({
                  dim: DIM,
                  M: 8,
                  efConstruction: 32,
                  kernel: k,
                  seed: 3,
                  capacity: 2,
                  store,
                  keepFullPrecision: true,
                }),
                kernel: k,
                strategies,
                store,
              };
              const model: Model = { vectors: new Map(), nextId: 0 };
              try {
                await fc.asyncModelRun(
                  () => ({ model, real }),
                  [...cmds].map((c) => wrap(c)),
                );
              } finally {
                real.index.dispose();
              }
            }),
            { numRuns: storeRuns, seed: 20261201, ...replay() },
          );
          if (disconnectedSeen.count > 0)
            console.info(
              `[${k.name}] ${disconnectedSeen.count} searches ran on a level-0 graph that was not strongly connected (checked row by row)`,
            );
        },
      );
    }
    storeBuilds(k, strategies);
  });
}

/** Recall@10 by ids against brute force over the float32 vectors. */
function idRecall(index: HnswIndex, oracle: BruteForceIndex, queries: Float32Array, dim: number, ef: number, rerank?: number): number {
  let hits = 0;
  const nq = queries.length / dim;
  for (let q = 0; q < nq; q++) {
    const v = queries.subarray(q * dim, (q + 1) * dim);
    const truth = new Set(oracle.search(v, 10).ids);
    for (const id of index.search(v, 10, { ef, rerank }).ids) if (truth.has(id)) hits++;
  }
  return hits / (nq * 10);
}

/**
 * Every store the kernel lists builds with every strategy (threads 2), its graph checks clean, and
 * its recall@10 at equal ef is reported beside f32's (f16 and i8 with codes only, b1 with float32
 * rows kept, also reranked ×4). The floors are loose on purpose: this proves the stores work with
 * every strategy; the lab measures how well.
 */
function storeBuilds(k: DistanceKernel, strategies: readonly string[]): void {
  const stores = STORES.filter((s) => s !== 'f32' && (k.stores ?? ['f32']).includes(s));
  if (stores.length === 0) return;
  const dim = 32,
    ef = 32;
  const data = clusteredSet({ n: 1500, dim, queries: 40, seed: 12 });
  it(
    `stores ${stores.join(', ')} build with every strategy (${strategies.join(', ')}): check() clean, recall at ef ${ef} against f32`,
    { timeout: 600_000 },
    async () => {
      const oracle = new BruteForceIndex({ dim, kernel: k });
      oracle.addBatch(data.base);
      const rows: string[] = [];
      for (const strategy of strategies) {
        const recall: Record<string, number> = {};
        for (const store of ['f32', ...stores] as VectorStore[]) {
          const index = new HnswIndex({ dim, M: 12, efConstruction: 64, kernel: k, seed: 5, store, capacity: 100 });
          await index.addBatch(data.base.subarray(0, 500 * dim), { strategy, threads: 2, warmupRows: 50, minSegmentRows: 100 });
          await index.addBatch(data.base.subarray(500 * dim), { strategy, threads: 2, warmupRows: 50, minSegmentRows: 100 });
          expect(index.check().problems, `${store} ${strategy}`).toEqual([]);
          expect(index.size).toBe(1500);
          recall[store] = idRecall(index, oracle, data.queries, dim, ef);
          if (index.keepFullPrecision && store !== 'f32') recall[`${store}+rerank4`] = idRecall(index, oracle, data.queries, dim, ef, 4);
          index.dispose();
        }
        rows.push(
          `${strategy}: ${Object.entries(recall)
            .map(([s, r]) => `${s} ${r.toFixed(3)}`)
            .join(', ')}`,
        );
        if (recall.f16 !== undefined) expect(recall.f16, `f16 ${strategy}`).toBeGreaterThanOrEqual(recall.f32 - 0.02);
        if (recall.i8 !== undefined) expect(recall.i8, `i8 ${strategy}`).toBeGreaterThanOrEqual(recall.f32 - 0.1);
        if (recall['b1+rerank4'] !== undefined) expect(recall['b1+rerank4'], `b1 ${strategy}`).toBeGreaterThan(recall.b1);
      }
      console.info(`[${k.name}] recall@10 at ef ${ef} (1500 × ${dim} clustered):\n  ${rows.join('\n  ')}`);
    },
  );
}

/** HNSWLAB_MODEL_REPLAY='{"seed":…,"path":"…"}' (as a failure prints it) replays one failing sequence. */
function replay(): { seed?: number; path?: string } {
  const text = process.env.HNSWLAB_MODEL_REPLAY;
  return text ? (JSON.parse(text) as { seed?: number; path?: string }) : {};
}

/** The command, then the invariants. */
function wrap(c: Command): Command {
  return {
    check: (m) => c.check(m),
    run: async (m, r) => {
      await c.run(m, r);
      invariants(m, r);
    },
    toString: () => c.toString(),
  };
}
