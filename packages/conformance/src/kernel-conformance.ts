import { listMetrics, metricSpec, type DistanceKernel, type Metric, type VectorSpace } from '@hnswlab/core';
import { SeededRandom } from '@hnswlab/datasets';
import { describe, expect, it } from 'vitest';
import type { KernelLoad } from './load-kernel.js';
import { closeToReference, referenceDistance, referenceTolerance } from './reference.js';
import { storeConformance } from './store-conformance.js';

export const CONFORMANCE_DIMS = [1, 3, 7, 8, 15, 16, 17, 100, 128, 384, 768, 1536];

/** Every registered metric the kernel computes: a new metric is picked up here without an edit. */
function METRICS(kernel: DistanceKernel): Metric[] {
  return listMetrics().filter((m) => kernel.metrics.includes(m));
}

function randomRows(rng: SeededRandom, n: number, dim: number, scale = 1): Float32Array {
  const v = new Float32Array(n * dim);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal() * scale;
  return v;
}

/** Every distance in out[0..count) against the float64 reference over the stored rows; returns the failures. */
function mismatches(space: VectorSpace, metric: Metric, query: Float32Array, rows: number[], out: ArrayLike<number>): string[] {
  const bad: string[] = [];
  rows.forEach((row, i) => {
    const stored = space.read(row);
    const expected = referenceDistance(metric, query, stored);
    if (!closeToReference(out[i], expected, referenceTolerance(metric, query, stored)))
      bad.push(`row ${row}: got ${out[i]}, reference ${expected}`);
  });
  return bad;
}

/**
 * The distance conformance suite: any kernel package runs it on itself. Distances within 1e-5
 * relative (or 1e-6 absolute) of a float64 reference for every metric and the listed dims, or for ip
 * and cosine within the error bound of a float32 dot product (`referenceTolerance`), edge
 * values, growth across many steps, and the same answers through a space attached from a handle.
 * Then every quantised store the kernel lists, with its tolerance stated (storeConformance), and a
 * refusal of those it does not.
 */
export function kernelConformance(label: string, load: Promise<KernelLoad>): void {
  describe(`kernel conformance: ${label}`, async () => {
    const { kernel, reason } = await load;
    if (!kernel) {
      it.skip(`skipped: ${reason}`, () => {});
      return;
    }

    for (const metric of METRICS(kernel)) {
      it(`${metric}: batched and single distances match the float64 reference for dims ${CONFORMANCE_DIMS.join(', ')}`, () => {
        for (const dim of CONFORMANCE_DIMS) {
          const rng = new SeededRandom(dim * 7 + metric.length);
          const n = 40;
          const space = kernel.createSpace({ dim, metric, capacity: 4 });
          space.reserve(n);
          space.write(0, randomRows(rng, n, dim), n);
          const probe = space.createProbe(n);
          const rows = Array.from({ length: n - 1 }, (_, i) => i + 1);
          // A stored row as the query.
          probe.setQueryRow(0);
          probe.ids.set(rows);
          probe.toRows(rows.length);
          const query = space.read(0);
          expect(mismatches(space, metric, query, rows, probe.out), `${kernel.name} ${metric} dim ${dim}`).toEqual([]);
          for (const r of [1, 17, n - 1])
            expect(closeToReference(probe.toRow(r), probe.out[r - 1]), `toRow(${r}) = out[${r - 1}]`).toBe(true);
          // An outside query (normalised by the probe under cosine).
          const outside = randomRows(rng, 1, dim);
          probe.setQuery(outside);
          probe.ids.set(rows);
          probe.toRows(rows.length);
          const stored = metricSpec(metric).normalise ? normalised(outside) : outside;
          expect(mismatches(space, metric, stored, rows, probe.out), `${kernel.name} ${metric} dim ${dim} outside query`).toEqual([]);
          space.dispose();
        }
      });
    }

    for (const metric of METRICS(kernel)) {
      it(`${metric}: rowToRows and firstNearer match the reference and leave the query as it was`, () => {
        for (const dim of [3, 16, 100, 128, 768]) {
          const rng = new SeededRandom(dim + 101);
          const n = 33;
          const space = kernel.createSpace({ dim, metric, capacity: n });
          space.write(0, randomRows(rng, n, dim), n);
          const probe = space.createProbe(n);
          const rows = Array.from({ length: n - 1 }, (_, i) => i + 1);
          probe.setQuery(randomRows(rng, 1, dim));
          probe.ids.set(rows);
          probe.toRows(rows.length);
          const before = Array.from(probe.out.subarray(0, rows.length));
          probe.rowToRows(0, rows.length);
          expect(mismatches(space, metric, space.read(0), rows, probe.out), `${kernel.name} ${metric} dim ${dim} rowToRows`).toEqual([]);
          const fromRow = Array.from(probe.out.subarray(0, rows.length));
          // Bounds at, between and beyond the distances: firstNearer is the first strictly nearer one.
          const sorted = [...fromRow].sort((a, b) => a - b);
          for (const bound of [sorted[0], sorted[5], sorted[5] + 1e-3, sorted[rows.length - 1] + 1, -Infinity]) {
            const expected = fromRow.findIndex((d) => d < bound);
            expect(probe.firstNearer(0, rows.length, bound), `${metric} dim ${dim} bound ${bound}`).toBe(
              expected < 0 ? rows.length : expected,
            );
          }
          expect(probe.firstNearer(0, 0, 1e9)).toBe(0);
          probe.ids.set(rows);
          probe.toRows(rows.length);
          expect(Array.from(probe.out.subarray(0, rows.length)), 'the query is unchanged').toEqual(before);
          space.dispose();
        }
      });
    }

    it('cosine spaces store unit vectors', () => {
      const space = kernel.createSpace({ dim: 17, metric: 'cosine', capacity: 8 });
      space.write(0, randomRows(new SeededRandom(3), 8, 17, 50), 8);
      for (let r = 0; r < 8; r++) {
        const v = space.read(r);
        let s = 0;
        for (const x of v) s += x * x;
        expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-6);
      }
      space.dispose();
    });

    it('edge values: identical, zero, large, tiny and mixed-sign components', () => {
      const dim = 19;
      const cases: Array<[string, (j: number) => number]> = [
        ['zeros', () => 0],
        ['large', (j) => (j % 2 ? 1e15 : -1e15)],
        ['tiny', (j) => (j + 1) * 1e-20],
        ['mixed', (j) => (j % 3 === 0 ? 1e6 : j % 3 === 1 ? -1e-6 : 0.5)],
        ['ones', () => 1],
      ];
      for (const metric of ['l2', 'ip'] as Metric[]) {
        const space = kernel.createSpace({ dim, metric, capacity: cases.length * 2 });
        cases.forEach(([, f], i) => {
          const v = Float32Array.from({ length: dim }, (_, j) => f(j));
          space.write(2 * i, v);
          space.write(2 * i + 1, v);
        });
        const probe = space.createProbe(cases.length * 2);
        for (let i = 0; i < cases.length; i++) {
          probe.setQueryRow(2 * i);
          const rows = Array.from({ length: cases.length * 2 }, (_, r) => r);
          probe.ids.set(rows);
          probe.toRows(rows.length);
          expect(mismatches(space, metric, space.read(2 * i), rows, probe.out), `${metric} ${cases[i][0]}`).toEqual([]);
          if (metric === 'l2') expect(probe.out[2 * i + 1], `identical ${cases[i][0]} vectors are at distance 0`).toBe(0);
        }
        space.dispose();
      }
    });

    it('a space grown across many steps keeps every row, and probes follow the growth', () => {
      const dim = 24;
      const total = 3000;
      const rng = new SeededRandom(11);
      const data = randomRows(rng, total, dim);
      const space = kernel.createSpace({ dim, metric: 'l2', capacity: 1 });
      const probe = space.createProbe(64);
      let growths = 0;
      for (let r = 0; r < total; r++) {
        const before = space.capacity;
        space.reserve(r + 1);
        if (space.capacity !== before) growths++;
        space.write(r, data, 1, r * dim);
        if (r % 97 === 0) {
          probe.setQueryRow(r);
          const ids = Array.from({ length: Math.min(64, r + 1) }, (_, i) => r - i);
          probe.ids.set(ids);
          probe.toRows(ids.length);
          expect(probe.out[0]).toBe(0);
          expect(mismatches(space, 'l2', space.read(r), ids, probe.out)).toEqual([]);
        }
      }
      expect(growths).toBeGreaterThan(10);
      for (let r = 0; r < total; r++) expect(Array.from(space.read(r))).toEqual(Array.from(data.subarray(r * dim, (r + 1) * dim)));
      space.dispose();
    });

    it('a space attached from its handle gives the same distances (what workers see)', () => {
      for (const metric of METRICS(kernel)) {
        const dim = 33;
        const space = kernel.createSpace({ dim, metric, capacity: 16 });
        space.reserve(100);
        space.write(0, randomRows(new SeededRandom(5), 100, dim), 100);
        const attached = kernel.attachSpace(structuredClone(space.handle()));
        const a = space.createProbe(99),
          b = attached.createProbe(99);
        a.setQueryRow(0);
        b.setQueryRow(0);
        for (let i = 0; i < 99; i++) a.ids[i] = b.ids[i] = i + 1;
        a.toRows(99);
        b.toRows(99);
        expect(Array.from(b.out.subarray(0, 99))).toEqual(Array.from(a.out.subarray(0, 99)));
        expect(() => attached.reserve(space.capacity + 1)).toThrow();
        space.dispose();
      }
    });

    storeConformance(kernel);

    it(`names its code path (${kernel.name}) and can be re-created from its descriptor`, async () => {
      expect(kernel.name).toMatch(/\S/);
      const mod = (await import(kernel.descriptor.module)) as { createKernel(o?: unknown): Promise<DistanceKernel> };
      const again = await mod.createKernel(kernel.descriptor.options);
      expect(again.name).toBe(kernel.name);
    });
  });
}

function normalised(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  return v.map((x) => x * inv);
}
