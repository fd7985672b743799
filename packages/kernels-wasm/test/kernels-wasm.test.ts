import { Worker } from 'node:worker_threads';
import { boundarySuite, coreSuite, kernelConformance, loadKernel, persistenceSuite } from '@hnswlab/conformance';
import { createKernel as createJsKernel } from '@hnswlab/kernels-js';
import { HnswIndex, type Metric } from '@hnswlab/core';
import { spaceOf } from '@hnswlab/core/testing';
import { SeededRandom } from '@hnswlab/datasets';
import { createKernel } from '@hnswlab/kernels-wasm';
import { describe, expect, it } from 'vitest';

const load = loadKernel('wasm', createKernel);
kernelConformance('wasm', load);
coreSuite('wasm', load);
persistenceSuite('wasm', load, loadKernel('js', createJsKernel));
boundarySuite('wasm', load);

/**
 * n rows near a random 8-d subspace of R^dim (latent N(0,1) through a fixed projection, plus 0.01
 * noise): distinct rows on which even a cheap graph finds every stored vector, so a miss means a
 * broken store or stale view, not a weak graph.
 */
function subspaceRows(seed: number, n: number, dim: number, latent = 8): Float32Array {
  const rng = new SeededRandom(seed);
  const normal = () => rng.normal();
  const proj = Float64Array.from({ length: dim * latent }, normal);
  const z = new Float64Array(latent);
  const v = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < latent; l++) z[l] = normal();
    for (let j = 0; j < dim; j++) {
      let s = 0.01 * normal();
      for (let l = 0; l < latent; l++) s += proj[j * latent + l] * z[l];
      v[i * dim + j] = s;
    }
  }
  return v;
}

function randomRows(seed: number, n: number, dim: number): Float32Array {
  const rng = new SeededRandom(seed);
  const v = new Float32Array(n * dim);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  return v;
}

describe('wasm kernel: memory growth and threads', async () => {
  const { kernel, reason } = await load;
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }

  it('100,000 × 128 vectors from a store sized for 1,000, in batches across many growth steps: every vector and sampled searches intact', async () => {
    const n = 100_000,
      dim = 128,
      chunk = 2_500;
    const data = { base: subspaceRows(21, n, dim) };
    const index = new HnswIndex({ dim, metric: 'l2', M: 8, efConstruction: 24, kernel, seed: 5, capacity: 1000 });
    let growths = 0;
    for (let first = 0; first < n; first += chunk) {
      const before = spaceOf(index).capacity;
      await index.addBatch(data.base.subarray(first * dim, (first + chunk) * dim));
      if (spaceOf(index).capacity !== before) growths++;
      // Search right after each growth, through the probe views reserve() re-made.
      const probe = data.base.subarray(first * dim, (first + 1) * dim);
      expect(index.search(probe, 1, { ef: 64 }).ids[0], `after the batch at ${first}`).toBe(first);
    }
    expect(index.size).toBe(n);
    expect(growths).toBeGreaterThan(5);
    for (let id = 0; id < n; id++) {
      const got = index.get(id),
        want = data.base.subarray(id * dim, (id + 1) * dim);
      for (let j = 0; j < dim; j++)
        if (got[j] !== want[j]) expect.fail(`vector ${id} component ${j}: stored ${got[j]}, inserted ${want[j]}`);
    }
    const rng = new SeededRandom(8);
    let misses = 0;
    for (let s = 0; s < 300; s++) {
      const id = rng.int(n);
      const r = index.search(data.base.subarray(id * dim, (id + 1) * dim), 10, { ef: 64 });
      expect(r.ids.length).toBe(10);
      if (r.ids[0] !== id || r.distances[0] !== 0) misses++;
    }
    expect(misses, 'stored vectors not returned first at distance 0').toBe(0);
    expect(index.check().problems).toEqual([]);
    expect(index.stats().bytes.vectors).toBeGreaterThanOrEqual(n * dim * 4);
  });

  it('when scratch lies past the vectors, growth moves them, probes follow, and the old region is reused', () => {
    const dim = 128,
      rows = 100;
    const data = randomRows(4, 2 * rows, dim);
    const space = kernel.createSpace({ dim, metric: 'l2', capacity: rows });
    space.write(0, data, rows);
    // Enough large probes that the front arena overflows and scratch is carved after the vectors.
    const probes = Array.from({ length: 10 }, () => space.createProbe(1024));
    probes[0].setQueryRow(7);
    const bytesBefore = space.byteLength;
    space.reserve(2 * rows);
    expect(space.byteLength).toBeGreaterThan(bytesBefore);
    space.write(rows, data, rows, rows * dim);
    for (let r = 0; r < 2 * rows; r++)
      expect(Array.from(space.read(r)), `row ${r}`).toEqual(Array.from(data.subarray(r * dim, (r + 1) * dim)));
    // The stored-row query follows the move; all probes still work.
    const p = probes[0];
    for (let r = 0; r < 2 * rows; r++) p.ids[r] = r;
    p.toRows(2 * rows);
    expect(p.out[7]).toBe(0);
    const other = probes[9];
    other.setQuery(data.subarray(7 * dim, 8 * dim));
    other.ids.set(p.ids.subarray(0, 2 * rows));
    other.toRows(2 * rows);
    expect(Array.from(other.out.subarray(0, 2 * rows))).toEqual(Array.from(p.out.subarray(0, 2 * rows)));
    // The vectors' old region (100 × 512 bytes) now holds new probes' scratch: the memory does not grow.
    const bytesAfter = space.byteLength;
    for (let i = 0; i < 5; i++) space.createProbe(1024);
    expect(space.byteLength).toBe(bytesAfter);
    space.dispose();
  });

  it("an attached space's dispose gives its probes' scratch back: re-attaching every batch does not grow the memory", () => {
    const dim = 256;
    const space = kernel.createSpace({ dim, metric: 'l2', capacity: 64 });
    space.write(0, randomRows(9, 64, dim), 64);
    const cycle = () => {
      const attached = kernel.attachSpace(structuredClone(space.handle()));
      const probes = Array.from({ length: 12 }, () => attached.createProbe(512));
      probes[11].setQueryRow(3);
      for (let i = 0; i < 64; i++) probes[11].ids[i] = i;
      probes[11].toRows(64);
      expect(probes[11].out[3]).toBe(0);
      attached.dispose();
      expect(() => probes[0].toRows(1)).toThrow(/disposed/);
    };
    cycle();
    const bytes = space.byteLength;
    for (let i = 0; i < 20; i++) cycle();
    expect(space.byteLength).toBe(bytes);
    space.dispose();
  });

  it('released blocks of mixed sizes merge back, in any order: their total can be carved again without growing the memory', () => {
    const space = kernel.createSpace({ dim: 16, metric: 'l2', capacity: 8 });
    const rng = new SeededRandom(3);
    const first = space.allocate(1 << 20);
    space.release(first);
    const bytes = space.byteLength;
    for (let round = 0; round < 5; round++) {
      const blocks = Array.from({ length: 40 }, () => space.allocate(64 * (1 + rng.int(300))));
      for (let i = blocks.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [blocks[i], blocks[j]] = [blocks[j], blocks[i]];
      }
      for (const b of blocks) space.release(b);
      space.release(space.allocate(1 << 20));
    }
    expect(space.byteLength).toBe(bytes);
    space.dispose();
  });

  it('byteLength leaves out the regions it hands out (their owner counts them), in every thread, and counts them again once released', () => {
    const space = kernel.createSpace({ dim: 16, metric: 'l2', capacity: 8 });
    const before = space.byteLength;
    const region = space.allocate(1 << 20);
    const attached = kernel.attachSpace(structuredClone(space.handle()));
    const other = attached.allocate(1 << 19);
    // Only page rounding shows: the memory grew by whole 64 KiB pages.
    expect(space.byteLength - before).toBeLessThan(2 * 65536);
    expect(attached.byteLength).toBe(space.byteLength);
    attached.release(other);
    space.release(region);
    expect(space.byteLength).toBeGreaterThanOrEqual(before + (1 << 20) + (1 << 19));
    attached.dispose();
    space.dispose();
  });

  it('toRow leaves out untouched; toRows beyond maxBatch is refused', () => {
    const dim = 20;
    const space = kernel.createSpace({ dim, metric: 'ip', capacity: 8 });
    space.write(0, randomRows(6, 8, dim), 8);
    const probe = space.createProbe(8);
    probe.setQueryRow(0);
    for (let i = 0; i < 8; i++) probe.ids[i] = i;
    probe.toRows(8);
    const before = Array.from(probe.out);
    const d = probe.toRow(3);
    expect(Array.from(probe.out)).toEqual(before);
    expect(d).toBe(probe.out[3]);
    expect(() => probe.toRows(9)).toThrow(/maxBatch/);
    space.dispose();
  });

  it('a space attached in worker threads computes the same distances as the main thread, probes of two workers never collide', async () => {
    const dim = 96,
      n = 300;
    const queries = [0, 5, 17, 123, 299];
    for (const metric of ['l2', 'cosine'] as Metric[]) {
      const space = kernel.createSpace({ dim, metric, capacity: 10 });
      space.reserve(n);
      space.write(0, randomRows(12, n, dim), n);
      const probe = space.createProbe(n);
      const expected = new Float32Array(queries.length * n);
      queries.forEach((q, i) => {
        probe.setQueryRow(q);
        for (let r = 0; r < n; r++) probe.ids[r] = r;
        probe.toRows(n);
        expected.set(probe.out.subarray(0, n), i * n);
      });
      const runWorker = () =>
        new Promise<{ name: string; out: Float32Array }>((resolve, reject) => {
          const w = new Worker(new URL('./attach-worker.mjs', import.meta.url), {
            workerData: { module: kernel.descriptor.module, handle: space.handle(), queries, rounds: 50 },
          });
          w.once('message', (m: { name: string; out: Float32Array }) => {
            resolve(m);
            void w.terminate();
          });
          w.once('error', reject);
        });
      const results = await Promise.all([runWorker(), runWorker()]);
      for (const r of results) {
        expect(r.name).toBe(kernel.name);
        expect(Array.from(r.out), metric).toEqual(Array.from(expected));
      }
      // The main thread's probe still answers the same after the workers carved their scratch.
      probe.setQueryRow(queries[0]);
      for (let r = 0; r < n; r++) probe.ids[r] = r;
      probe.toRows(n);
      expect(Array.from(probe.out.subarray(0, n))).toEqual(Array.from(expected.subarray(0, n)));
      space.dispose();
    }
  });
});
