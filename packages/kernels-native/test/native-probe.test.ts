import { loadKernel } from '@hnswlab/conformance';
import { SeededRandom } from '@hnswlab/datasets';
import type { SharedF32Space } from '@hnswlab/kernels-js';
import { createKernel, SIMD_PATHS, supportedSimdPaths } from '@hnswlab/kernels-native';
import { loadAddon } from '../dist/load-addon.js';
import { describe, expect, it } from 'vitest';

const { kernel, reason } = await loadKernel('native', () => createKernel());

describe('native probe behaviour', () => {
  if (!kernel) {
    it.skip(`skipped: ${reason}`, () => {});
    return;
  }

  const filled = (metric: 'l2' | 'ip' | 'cosine', rows: number, dim: number) => {
    const space = kernel.createSpace({ dim, metric, capacity: rows });
    const rng = new SeededRandom(17);
    space.write(
      0,
      Float32Array.from({ length: rows * dim }, () => rng.normal()),
      rows,
    );
    return space;
  };

  it('names the path it runs and picks the fastest one the CPU reports', async () => {
    const paths = await supportedSimdPaths();
    expect(paths.at(-1)).toBe('scalar');
    expect(kernel.name).toBe(`native-${paths[0]}`);
    expect(kernel.descriptor.options).toEqual({ simd: paths[0], prefetch: process.env.HNSWLAB_NATIVE_PREFETCH !== '0' });
  });

  it('every supported path gives the same distances within float32 rounding', async () => {
    const paths = await supportedSimdPaths();
    for (const metric of ['l2', 'ip'] as const) {
      const results: number[][] = [];
      for (const simd of paths) {
        const k = await createKernel({ simd });
        const space = k.createSpace({ dim: 771, metric, capacity: 50 });
        const rng = new SeededRandom(5);
        space.write(
          0,
          Float32Array.from({ length: 50 * 771 }, () => rng.normal()),
          50,
        );
        const probe = space.createProbe(49);
        probe.setQueryRow(0);
        for (let i = 0; i < 49; i++) probe.ids[i] = i + 1;
        probe.toRows(49);
        results.push(Array.from(probe.out));
      }
      for (const r of results.slice(1)) {
        r.forEach((d, i) => expect(Math.abs(d - results[0][i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(results[0][i]))));
      }
    }
  });

  it('toRow leaves out untouched', () => {
    const space = filled('l2', 20, 40);
    const probe = space.createProbe(8);
    probe.setQueryRow(3);
    for (let i = 0; i < 8; i++) probe.ids[i] = i;
    probe.toRows(8);
    const before = Array.from(probe.out);
    const d = probe.toRow(11);
    expect(d).toBeGreaterThan(0);
    expect(Array.from(probe.out)).toEqual(before);
    expect(probe.out[3]).toBe(0);
  });

  it('a bad count, id or row is a RangeError, never a read outside the store', () => {
    const space = filled('ip', 10, 16);
    const probe = space.createProbe(4);
    probe.setQueryRow(0);
    expect(() => probe.toRows(5)).toThrow(RangeError);
    expect(() => probe.toRows(-1)).toThrow(RangeError);
    probe.ids.set([1, 2, 10, 3]);
    expect(() => probe.toRows(4)).toThrow(/ids\[2\] = 10 is outside the store's 10 rows/);
    probe.ids.set([1, -1, 2, 3]);
    expect(() => probe.toRows(4)).toThrow(/ids\[1\] = -1/);
    expect(() => probe.toRow(10)).toThrow(RangeError);
    expect(() => probe.setQueryRow(10)).toThrow(RangeError);
    // An id beyond the batch that is not asked for is not looked at.
    probe.ids.set([1, 2, 3, 99]);
    probe.toRows(3);
    expect(Number.isFinite(probe.out[2])).toBe(true);
  });

  it('a forced path the CPU lacks, or an unknown one, is refused with the list of what it runs', async () => {
    const paths = await supportedSimdPaths();
    await expect(createKernel({ simd: 'sse9' as never })).rejects.toThrow(/unknown simd path 'sse9'/);
    const missing = SIMD_PATHS.filter((p) => !paths.includes(p));
    for (const simd of missing) await expect(createKernel({ simd })).rejects.toThrow(/cannot run the native/);
  });

  it('rows start on a cache line, before and after growth, and so do attached views', () => {
    const addon = loadAddon();
    const space = kernel.createSpace({ dim: 32, metric: 'l2', capacity: 3 }) as SharedF32Space;
    expect(addon.addressMod64(space.data)).toBe(0);
    space.reserve(1000);
    expect(addon.addressMod64(space.data)).toBe(0);
    const attached = kernel.attachSpace(structuredClone(space.handle())) as SharedF32Space;
    expect(attached.capacity).toBe(space.capacity);
    expect(addon.addressMod64(attached.data)).toBe(0);
  });

  it('a query row stays valid after the store grows under it', () => {
    const space = filled('l2', 4, 8);
    const probe = space.createProbe(4);
    probe.setQueryRow(2);
    space.reserve(1000);
    space.write(999, new Float32Array(8).fill(3));
    probe.ids.set([2, 999]);
    probe.toRows(2);
    expect(probe.out[0]).toBe(0);
    expect(probe.out[1]).toBeGreaterThan(0);
  });
});
