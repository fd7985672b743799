import { readFile } from 'node:fs/promises';
import { loadKernel, meanRecall } from '@hnswlab/conformance';
import { BruteForceIndex, HnswIndex, closeWorkers, type Boundary, type InsertStrategy } from '@hnswlab/core';
import { graphFingerprint, graphOf, spaceOf } from '@hnswlab/core/testing';
import { clusteredSet } from '@hnswlab/datasets';
import { createKernel, type WasmSpaceHandle } from '@hnswlab/kernels-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { STATE, STATE_BYTES, STATE_FIELDS } from '../src/traversal-layout.js';

afterAll(() => closeWorkers());

const load = loadKernel('wasm', createKernel);
const METRICS = ['l2', 'ip', 'cosine'] as const;

describe('wasm fused traversal', async () => {
  const { kernel, reason } = await load;
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }
  const dim = 24;
  const data = clusteredSet({ n: 3000, dim, queries: 20, seed: 5 });
  const rows = (from: number, to: number) => data.base.subarray(from * dim, to * dim);
  const make = (boundary: Boundary, metric: string = 'l2', capacity = 16) =>
    new HnswIndex({ dim, metric, M: 8, efConstruction: 32, kernel, seed: 9, boundary, capacity });
  const vecBase = (index: HnswIndex) => (spaceOf(index).handle() as WasmSpaceHandle).vecBase;

  it('the state block JS fills is laid out as the module reads it (assembly/traversal-state.ts)', async () => {
    // The WebAssembly JS API, typed here (lib.dom is not in the build).
    const wasm = (
      globalThis as unknown as {
        WebAssembly: {
          Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: SharedArrayBuffer };
          instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
        };
      }
    ).WebAssembly;
    const memory = new wasm.Memory({ initial: 1, maximum: 65536, shared: true });
    const bytes = await readFile(new URL('../dist/kernels.wasm', import.meta.url));
    const noop = () => 0;
    const { instance } = await wasm.instantiate(bytes, { env: { memory, now: noop, carve: noop, release: noop } });
    const size = (instance.exports.traversalLayout as (out: number) => number)(1024);
    const offsets = Array.from(new Int32Array(memory.buffer, 1024, STATE_FIELDS.length));
    expect(offsets).toEqual(STATE_FIELDS.map((f) => STATE[f]));
    expect(STATE_BYTES).toBeGreaterThanOrEqual(size);
    expect(STATE_BYTES - size).toBeLessThan(8);
  });

  it('follows the vectors when growth moves them: a stored-row query, the graph re-bound, the same answers as the node boundary', async () => {
    const fused = make('insert'),
      node = make('node');
    for (const index of [fused, node]) await index.addBatch(rows(0, 200), { strategy: 'sequential' });
    const space = spaceOf(fused);
    const t = space.createTraversal!(graphOf(fused).layout, { efConstruction: 32, locking: false, timing: false });
    const probe = space.createProbe(4);
    t.setQueryRow(5);
    probe.setQueryRow(5);
    const before = t.distance(7);
    expect(before).toBe(probe.toRow(7));
    // Scratch carved past the vectors, so the next growth cannot extend them in place.
    const blocks = Array.from({ length: 4 }, () => space.allocate(64 * 1024));
    const base0 = vecBase(fused);
    for (const index of [fused, node]) await index.addBatch(rows(200, 3000), { strategy: 'sequential' });
    expect(vecBase(fused), 'the vectors moved').not.toBe(base0);
    expect(graphFingerprint(fused)).toEqual(graphFingerprint(node));
    t.bind(graphOf(fused).layout);
    expect(t.distance(7)).toBe(before);
    expect(t.distance(2999)).toBe(probe.toRow(2999));
    for (let q = 0; q < 5; q++) {
      const query = data.queries.subarray(q * dim, (q + 1) * dim);
      t.setQuery(query);
      const n = t.search(40, false);
      const want = node.search(query, 40, { ef: 40 });
      expect(Array.from(t.dists.subarray(0, n))).toEqual(Array.from(want.distances));
      expect(Array.from(t.rows.subarray(0, n), (r) => graphOf(fused).labels[r])).toEqual(Array.from(want.ids));
    }
    t.dispose();
    expect(() => t.search(10, false)).toThrow(/disposed/);
    for (const b of blocks) space.release(b);
    fused.dispose();
    node.dispose();
  });

  for (const metric of METRICS) {
    it(`${metric}: search with ef far above efConstruction (the result block re-carved, the candidate heap grown inside the module) answers as the node boundary, with the same counts`, async () => {
      const fused = make('insert', metric, 4000),
        node = make('node', metric, 4000);
      for (const index of [fused, node]) {
        await index.addBatch(data.base);
        index.resetStats();
      }
      for (let q = 0; q < data.queries.length / dim; q++) {
        const query = data.queries.subarray(q * dim, (q + 1) * dim);
        for (const ef of [10, 1500, 64]) {
          const a = fused.search(query, 10, { ef }),
            b = node.search(query, 10, { ef });
          expect([Array.from(a.ids), Array.from(a.distances)], `query ${q}, ef ${ef}`).toEqual([
            Array.from(b.ids),
            Array.from(b.distances),
          ]);
        }
      }
      const { distanceEvals, nodesVisited } = node.stats();
      expect(fused.stats()).toMatchObject({ distanceEvals, nodesVisited });
      fused.dispose();
      node.dispose();
    });
  }

  it('times its phases only when the index does, and counts them as the core does', async () => {
    for (const timing of [true, false]) {
      const index = new HnswIndex({ dim, M: 8, efConstruction: 32, kernel, seed: 9, timing });
      await index.addBatch(rows(0, 1000));
      const { navigation, neighborSearch, connectionManagement } = index.stats().phases;
      if (timing) {
        expect(navigation).toBeGreaterThan(0);
        expect(neighborSearch).toBeGreaterThan(connectionManagement);
        expect(connectionManagement).toBeGreaterThan(0);
      } else {
        expect([navigation, neighborSearch, connectionManagement]).toEqual([0, 0, 0]);
      }
      index.dispose();
    }
  });

  describe('in worker threads (attached spaces, row locks on)', async () => {
    const { workerLink } = (await import(new URL('./fixtures/worker-link.mjs', import.meta.url).href)) as { workerLink: InsertStrategy };

    it('one worker linking every row through fused inserts builds the graph the calling thread builds', async () => {
      const inWorker = make('insert'),
        reference = make('node');
      await inWorker.addBatch(rows(0, 1500), { strategy: workerLink, workers: 1 });
      await reference.addBatch(rows(0, 1500), { strategy: 'sequential' });
      expect(inWorker.lastBatchReport()!.extra).toEqual({ 'rows:WasmTraversal': 1500 });
      expect(graphFingerprint(inWorker)).toEqual(graphFingerprint(reference));
      inWorker.dispose();
      reference.dispose();
    });

    for (const metric of METRICS) {
      it(`${metric}: two workers linking at once, contending for the same lock words: a clean graph, every row, recall as a single thread's`, async () => {
        const index = make('insert', metric);
        await index.addBatch(rows(0, 100), { strategy: 'sequential' });
        await index.addBatch(rows(100, 3000), { strategy: workerLink, workers: 2 });
        expect(index.lastBatchReport()!.extra).toEqual({ 'rows:WasmTraversal': 2900 });
        expect(index.check().problems).toEqual([]);
        expect(index.size).toBe(3000);
        const oracle = new BruteForceIndex({ dim, metric, kernel });
        oracle.addBatch(data.base);
        expect(meanRecall(index, oracle, data.queries, dim, 64)).toBeGreaterThan(0.95);
        index.dispose();
      });
    }
  });

  it("an attached space's traversals give their blocks back: attaching and disposing many times does not grow the memory", () => {
    const index = make('insert', 'l2', 64);
    const owner = spaceOf(index);
    const cycle = () => {
      const attached = kernel.attachSpace(structuredClone(owner.handle()));
      const t = attached.createTraversal!(graphOf(index).layout, { efConstruction: 32, locking: true, timing: false });
      t.search(200, false);
      t.dispose();
      const u = attached.createTraversal!(graphOf(index).layout, { efConstruction: 32, locking: true, timing: false });
      attached.dispose();
      expect(() => u.search(10, false)).toThrow(/disposed/);
    };
    cycle();
    const bytes = owner.byteLength;
    for (let i = 0; i < 20; i++) cycle();
    expect(owner.byteLength).toBe(bytes);
    index.dispose();
  });
});
