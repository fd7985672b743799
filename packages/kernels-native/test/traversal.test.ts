import { BOUNDARIES, HnswIndex, closeWorkers, type Boundary, type DistanceKernel, type InsertStrategy } from '@hnswlab/core';
import { graphFingerprint, graphOf, spaceOf } from '@hnswlab/core/testing';
import { boundarySuite, loadKernel } from '@hnswlab/conformance';
import { faultKernel } from '@hnswlab/conformance/fault-kernel';
import { clusteredSet } from '@hnswlab/datasets';
import { createKernel, supportedSimdPaths, type NativeTraversal } from '@hnswlab/kernels-native';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript fixture (build workers import it untransformed), no declarations.
import { privateGraphTask } from './fixtures/private-graph-task.mjs';

const { kernel, reason } = await loadKernel('native', () => createKernel());
const paths = kernel ? await supportedSimdPaths() : [];
afterAll(() => closeWorkers());

// Each forced SIMD path, and the auto path without prefetching, fuse too: every boundary of each
// builds the graph its own node boundary builds.
for (const simd of paths.slice(1))
  boundarySuite(
    `native-${simd} (forced)`,
    loadKernel(`native-${simd}`, () => createKernel({ simd })),
  );
boundarySuite(
  'native, prefetch off',
  loadKernel('native', () => createKernel({ prefetch: false })),
);

const FUSED: Boundary[] = ['layer', 'insert'];
const dim = 37;
const data = clusteredSet({ n: 1200, dim, queries: 10, seed: 21 });
const rows = (from: number, to: number) => data.base.subarray(from * dim, to * dim);

function answers(index: HnswIndex, ef: number) {
  const out: unknown[] = [];
  for (let q = 0; q < 10; q++) {
    const r = index.search(data.queries.subarray(q * dim, (q + 1) * dim), 10, { ef });
    out.push([Array.from(r.ids), Array.from(r.distances)]);
  }
  return out;
}

/** Runs `build` once per boundary and expects the same outcome from each as from `node`. */
async function sameThroughEveryBoundary(k: DistanceKernel, build: (boundary: Boundary) => Promise<unknown>): Promise<void> {
  const seen = new Map<Boundary, unknown>();
  for (const boundary of BOUNDARIES.filter((b) => k.boundaries.includes(b))) seen.set(boundary, await build(boundary));
  for (const [b, outcome] of seen) expect(outcome, `${b} against node`).toEqual(seen.get('node'));
}

describe('native fused traversal', () => {
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }
  const k: DistanceKernel = kernel;

  it('fuses: boundaries pair, node, layer, insert, and an index uses insert by default', () => {
    expect(k.boundaries).toEqual(['pair', 'node', 'layer', 'insert']);
    const index = new HnswIndex({ dim, kernel: k });
    expect(index.boundary).toBe('insert');
    index.dispose();
  });

  it('a graph and store grown from one row, one add() at a time then uneven batches: the same graph, counts and answers (ef above efConstruction too)', async () => {
    await sameThroughEveryBoundary(k, async (boundary) => {
      const index = new HnswIndex({ dim, metric: 'l2', M: 6, efConstruction: 24, kernel: k, seed: 9, boundary, capacity: 1 });
      for (let i = 0; i < 150; i++) index.add(rows(i, i + 1));
      for (const [from, to] of [
        [150, 151],
        [151, 400],
        [400, 407],
        [407, 1200],
      ])
        await index.addBatch(rows(from, to), { strategy: 'sequential' });
      expect(index.check().problems, boundary).toEqual([]);
      const { distanceEvals, nodesVisited } = index.stats();
      const outcome = { graph: graphFingerprint(index), distanceEvals, nodesVisited, answers: answers(index, 300) };
      index.dispose();
      return outcome;
    });
  });

  it('a private graph with a row offset, built in a worker over the attached space: the same lists through every boundary', async () => {
    await sameThroughEveryBoundary(k, async (boundary) => {
      const index = new HnswIndex({ dim, metric: 'ip', M: 8, efConstruction: 40, kernel: k, seed: 3, boundary, capacity: 64 });
      await index.addBatch(rows(0, 300), { strategy: 'batched' });
      let segment: unknown;
      const strategy: InsertStrategy = {
        name: 'private-graph-probe',
        async link(build) {
          await build.withWorkers({ threads: 1, locking: false }, async (workers) => {
            [segment] = await workers.each(privateGraphTask, (w: number) =>
              w === 0 ? { base: build.firstRow + 100, count: 500 } : undefined,
            );
          });
          for (let row = build.firstRow; row < build.firstRow + build.count; row++) build.linker.insert(row);
        },
      };
      await index.addBatch(rows(300, 1200), { strategy });
      const outcome = { segment, graph: graphFingerprint(index) };
      index.dispose();
      return outcome;
    });
  });

  it('a failed batch is rolled back exactly: the fused insert logs rows before it writes them', async () => {
    for (const boundary of FUSED) {
      const make = (kern: DistanceKernel) =>
        new HnswIndex({ dim, metric: 'cosine', M: 8, efConstruction: 32, kernel: kern, seed: 5, boundary, capacity: 16 });
      // A dry run says how many kernel calls each batch makes; the faulty run then fails halfway
      // through the second batch, in the calling thread, after many back-links to rows of the first.
      const dry = make(k);
      await dry.addBatch(rows(0, 500), { strategy: 'sequential' });
      const first = dry.stats().kernelCalls;
      await dry.addBatch(rows(500, 1200), { strategy: 'sequential' });
      const atCall = first + Math.floor((dry.stats().kernelCalls - first) / 2);
      dry.dispose();
      const index = make(faultKernel(k, { atCall, mode: 'throw', where: 'main' }));
      await index.addBatch(rows(0, 500), { strategy: 'sequential' });
      const before = { graph: graphFingerprint(index), answers: answers(index, 40) };
      await expect(index.addBatch(rows(500, 1200), { strategy: 'sequential' })).rejects.toThrow(/injected fault/);
      expect({ graph: graphFingerprint(index), answers: answers(index, 40) }, boundary).toEqual(before);
      expect(index.check().problems).toEqual([]);
      index.dispose();
    }
  });

  it('insert times its phases; stats count what the JavaScript counts', async () => {
    const index = new HnswIndex({ dim, M: 8, efConstruction: 40, kernel: k, seed: 2, boundary: 'insert' });
    await index.addBatch(rows(0, 600), { strategy: 'sequential' });
    const { phases, kernelCalls, inserts, distanceEvals, nodesVisited } = index.stats();
    expect(phases.navigation).toBeGreaterThan(0);
    expect(phases.neighborSearch).toBeGreaterThan(0);
    expect(phases.connectionManagement).toBeGreaterThan(0);
    expect(inserts).toBe(600);
    expect(kernelCalls).toBe(600);
    expect(distanceEvals).toBeGreaterThan(nodesVisited);
    index.dispose();
  });

  it('a bad row or ef is a RangeError, a corrupt link an Error, a disposed traversal refuses: never a read outside the memory', async () => {
    const index = new HnswIndex({ dim, M: 8, efConstruction: 40, kernel: k, seed: 2 });
    await index.addBatch(rows(0, 200), { strategy: 'batched' });
    const graph = graphOf(index);
    const t = spaceOf(index).createTraversal!(graph.layout, { efConstruction: 40, locking: false, timing: false }) as NativeTraversal;
    expect(() => t.setQueryRow(graph.capacity)).toThrow(RangeError);
    expect(() => t.distance(-1)).toThrow(RangeError);
    t.setQueryRow(3);
    expect(t.distance(3)).toBe(0);
    expect(() => t.searchLayer(0, 0, 0, 0, false, -1)).toThrow(RangeError);
    expect(() => t.searchLayer(0, 0, 10, 40, false, -1)).toThrow(RangeError);
    expect(() => t.searchLayerFrom(t.maxEntries + 1, 10, 0, false, -1)).toThrow(RangeError);
    // An ef beyond the result buffers' room re-allocates them.
    const n = t.search(150, false);
    expect(n).toBe(150);
    expect(t.rows.length).toBeGreaterThanOrEqual(150);
    expect(t.rows[0]).toBe(3);
    const counters = {
      distanceEvals: 0,
      nodesVisited: 0,
      navigation: 0,
      neighborSearch: 0,
      connectionManagement: 0,
      lockSpins: 0,
      lockWait: 0,
    };
    t.drainCounters(counters);
    expect(counters.distanceEvals).toBeGreaterThan(150);
    t.drainCounters(counters);
    expect(counters.distanceEvals).toBeLessThan(10_000);
    const once = counters.distanceEvals;
    t.drainCounters(counters);
    expect(counters.distanceEvals).toBe(once);
    // Links to a row beyond the graph: every level-0 list's first.
    const saved = graph.links0.slice();
    for (let row = 0; row < graph.count; row++) graph.links0[row * graph.stride0 + 1] = 1 << 30;
    expect(() => t.search(10, false)).toThrow(/the graph is corrupt/);
    graph.links0.set(saved);
    expect(t.search(10, false)).toBe(10);
    t.dispose();
    expect(t.disposed).toBe(true);
    expect(() => t.search(10, false)).toThrow(/disposed/);
    index.dispose();
  });

  it("the space counts a traversal's scratch until it is disposed", () => {
    const space = k.createSpace({ dim, metric: 'l2', capacity: 100 });
    const index = new HnswIndex({ dim, kernel: k, boundary: 'node' });
    const graph = graphOf(index);
    const before = space.byteLength;
    const t = space.createTraversal!(graph.layout, { efConstruction: 40, locking: false, timing: false }) as NativeTraversal;
    expect(space.byteLength).toBeGreaterThan(before + graph.capacity * 4);
    t.dispose();
    expect(space.byteLength).toBe(before);
    index.dispose();
  });
});
