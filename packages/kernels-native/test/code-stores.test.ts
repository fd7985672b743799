import { loadKernel } from '@hnswlab/conformance';
import { HnswIndex, type DistanceKernel, type QuantisedSpace, type VectorStore } from '@hnswlab/core';
import { SeededRandom } from '@hnswlab/datasets';
import { createKernel as createJsKernel } from '@hnswlab/kernels-js';
import { createKernel, supportedSimdPaths, type NativeCodeProbe } from '@hnswlab/kernels-native';
import { describe, expect, it } from 'vitest';

// The quantised stores beyond the conformance suite (which every path runs): the paths against each
// other and against exact integer sums where int32 lanes would overflow, and an index over them.
const { kernel, reason } = await loadKernel('native', () => createKernel());

describe('native quantised stores', () => {
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }

  const space = (k: DistanceKernel, store: Exclude<VectorStore, 'f32'>, dim: number, metric: string, rows: Float32Array) => {
    const n = rows.length / dim;
    const quantiser = store === 'f16' ? undefined : { centre: new Float32Array(dim), scale: 1 };
    const s = k.createSpace({ dim, metric, capacity: n, store, quantiser }) as QuantisedSpace;
    s.write(0, rows, n);
    return s;
  };

  it('i8 sums stay exact past the int32 lanes: ±127 rows of 70000 dimensions, every path', async () => {
    const dim = 70_000;
    const rows = new Float32Array(3 * dim);
    for (let j = 0; j < dim; j++) {
      rows[j] = 500; // clamped to 127
      rows[dim + j] = -500; // clamped to −127
      rows[2 * dim + j] = j % 2 ? 127 : -127;
    }
    for (const simd of await supportedSimdPaths()) {
      const k = await createKernel({ simd });
      const l2 = space(k, 'i8', dim, 'l2', rows);
      expect(l2.clamped).toBe(2);
      const probe = l2.createProbe(2);
      probe.setQueryRow(0);
      // S = dim·254² = 4.5e9 > 2^31; then fround(S·s²) with s = 1.
      expect(probe.toRow(1), simd).toBe(Math.fround(dim * 254 * 254));
      expect(probe.toRow(2), simd).toBe(Math.fround((dim / 2) * 254 * 254));
      const ip = space(k, 'i8', dim, 'ip', rows);
      const dot = ip.createProbe(2);
      dot.setQueryRow(0);
      // C = 0 and P = 0 (centre 0): d = fround(1 − I) with I = −dim·127².
      expect(dot.toRow(1), simd).toBe(Math.fround(1 + dim * 127 * 127));
      expect(dot.toRow(2), simd).toBe(1);
    }
  });

  it('every supported path gives the same i8 and b1 distances bit for bit, and f16 within rounding', async () => {
    const paths = await supportedSimdPaths();
    const rng = new SeededRandom(5);
    for (const dim of [1, 7, 16, 31, 33, 64, 65, 100, 384]) {
      const rows = Float32Array.from({ length: 30 * dim }, () => rng.normal() * 3);
      for (const store of ['f16', 'i8', 'b1'] as const) {
        for (const metric of ['l2', 'ip', 'cosine']) {
          const results: number[][] = [];
          for (const simd of paths) {
            const s = space(await createKernel({ simd }), store, dim, metric, rows);
            const probe = s.createProbe(29);
            probe.setQuery(rows.subarray(0, dim));
            probe.ids.set(Array.from({ length: 29 }, (_, i) => i + 1));
            probe.toRows(29);
            results.push(Array.from(probe.out.subarray(0, 29)));
          }
          for (const r of results.slice(1)) {
            if (store === 'f16') r.forEach((d, i) => expect(Math.abs(d - results[0][i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(d))));
            else expect(r, `${store} ${metric} dim ${dim}`).toEqual(results[0]);
          }
        }
      }
    }
  });

  it('the avx2 path computes codes with AVX2 where the CPU has F16C and POPCNT (always, on AVX2 CPUs)', async () => {
    if (!(await supportedSimdPaths()).includes('avx2')) return;
    const k = await createKernel({ simd: 'avx2' });
    for (const store of ['f16', 'i8', 'b1'] as const) {
      const s = space(k, store, 8, 'l2', new Float32Array(8));
      expect((s.createProbe(1) as NativeCodeProbe).kernel, store).toBe('avx2');
    }
    const scalar = space(await createKernel({ simd: 'scalar' }), 'i8', 8, 'l2', new Float32Array(8));
    expect((scalar.createProbe(1) as NativeCodeProbe).kernel).toBe('scalar');
  });

  it('an i8 index runs at the node boundary (no fused traversal) and builds the js kernel graph, answers and distances', async () => {
    const rng = new SeededRandom(9);
    const dim = 24;
    const data = Float32Array.from({ length: 600 * dim }, () => rng.normal());
    const build = async (k: DistanceKernel) => {
      const index = new HnswIndex({ dim, metric: 'cosine', M: 8, efConstruction: 40, kernel: k, seed: 1, store: 'i8' });
      await index.addBatch(data);
      return index;
    };
    const native = await build(kernel);
    const js = await build(await createJsKernel());
    expect(kernel.boundaries).toContain('insert');
    expect(native.boundary).toBe('node');
    expect(() => new HnswIndex({ dim, kernel, store: 'f32' }).boundary).not.toThrow();
    expect(new HnswIndex({ dim, kernel }).boundary).toBe('insert');
    for (let q = 0; q < 20; q++) {
      const query = data.subarray(q * dim, (q + 1) * dim);
      const a = native.search(query, 10, { ef: 32 }),
        b = js.search(query, 10, { ef: 32 });
      expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
      expect(Array.from(a.distances)).toEqual(Array.from(b.distances));
    }
  });
});
