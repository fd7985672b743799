import { BOUNDARIES, HnswIndex, listMetrics, type Boundary, type DistanceKernel } from '@hnswlab/core';
import { graphFingerprint } from '@hnswlab/core/testing';
import { clusteredSet } from '@hnswlab/datasets';
import { describe, expect, it } from 'vitest';
import type { KernelLoad } from './load-kernel.js';

/** Search results (ids and distances) for a few queries, with and without tombstones. */
function answers(index: HnswIndex, queries: Float32Array, dim: number): unknown[] {
  const out = [];
  for (let q = 0; q < 12; q++) {
    const r = index.search(queries.subarray(q * dim, (q + 1) * dim), 10, { ef: 40 });
    out.push([Array.from(r.ids), Array.from(r.distances)]);
  }
  return out;
}

/**
 * Every boundary a kernel supports builds the byte-identical graph and answers identically: the
 * kernel's fused traversal follows the reference (the `node` boundary) step for step, tie-breaks
 * included. Checked for every metric the kernel computes, for a store that grows during the build,
 * for a seeded merge, and for search with tombstones. (Parallel `rounds` builds across boundaries are
 * compared in @hnswlab/strategies' tests, which register that strategy.) Any kernel package runs it on itself; a kernel with one boundary has nothing to compare.
 */
export function boundarySuite(label: string, load: Promise<KernelLoad>): void {
  describe(`boundary equivalence: ${label}`, async () => {
    const { kernel, reason } = await load;
    if (!kernel) {
      it.skip(`skipped: ${reason}`, () => {});
      return;
    }
    const k: DistanceKernel = kernel;
    const boundaries = BOUNDARIES.filter((b) => k.boundaries.includes(b));
    if (boundaries.length < 2) {
      it.skip(`skipped: ${k.name} supports only ${boundaries.join(', ')}`, () => {});
      return;
    }
    // 50-d: not a multiple of 4, 8 or 16, so every SIMD path's tail runs too.
    const dim = 50;
    const data = clusteredSet({ n: 1500, dim, queries: 12, seed: 13 });
    const make = (boundary: Boundary, metric: string, seed = 4) =>
      new HnswIndex({ dim, metric, M: 8, efConstruction: 48, kernel: k, seed, boundary, capacity: 16 });

    for (const metric of listMetrics().filter((m) => k.metrics.includes(m))) {
      it(`${metric}: ${boundaries.join(', ')} build the same graph (store growing from 16 rows) and answer the same, tombstones too`, async () => {
        const seen = new Map<Boundary, unknown>();
        for (const boundary of boundaries) {
          const index = make(boundary, metric);
          for (let at = 0; at < 1500; at += 500)
            await index.addBatch(data.base.subarray(at * dim, (at + 500) * dim), { strategy: 'sequential' });
          expect(index.check().problems, boundary).toEqual([]);
          const before = answers(index, data.queries, dim);
          for (let id = 0; id < 1500; id += 7) index.remove(id);
          seen.set(boundary, {
            graph: graphFingerprint(index),
            before,
            after: answers(index, data.queries, dim),
            evals: index.stats().distanceEvals,
          });
          index.dispose();
        }
        for (const b of boundaries) expect(seen.get(b), `${b} against ${boundaries[0]}`).toEqual(seen.get(boundaries[0]));
      });
    }

    it('a seeded merge (in the calling thread): the same graph through every boundary', async () => {
      const seen = new Map<Boundary, unknown>();
      for (const boundary of boundaries) {
        const a = make(boundary, 'cosine', 1),
          b = make(boundary, 'cosine', 2);
        await a.addBatch(data.base.subarray(0, 700 * dim), { strategy: 'batched' });
        await b.addBatch(data.base.subarray(700 * dim), { strategy: 'batched', ids: Array.from({ length: 800 }, (_, i) => 700 + i) });
        const report = await a.merge(b, { threads: 1 });
        expect(report.seededInserts, boundary).toBeGreaterThan(0);
        expect(a.check().problems, boundary).toEqual([]);
        seen.set(boundary, { graph: graphFingerprint(a), answers: answers(a, data.queries, dim) });
      }
      for (const b of boundaries) expect(seen.get(b), `${b} against ${boundaries[0]}`).toEqual(seen.get(boundaries[0]));
    });
  });
}
