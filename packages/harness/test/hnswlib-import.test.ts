import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HnswIndex, IndexFileError } from '@hnswlab/core';
import { clusteredSet } from '@hnswlab/datasets';
import { createKernel } from '@hnswlab/kernels-js';
import { afterAll, describe, expect, it } from 'vitest';

// HnswIndex.fromHnswlib against the real thing: indexes built and written by hnswlib-node (the
// harness's optional peer), read back, and asked the same queries at the same ef.
type Hnswlib = {
  HierarchicalNSW: new (
    metric: string,
    dim: number,
  ) => {
    initIndex(n: number, M: number, efConstruction: number, seed: number): void;
    addPoint(v: number[], label: number): void;
    markDelete(label: number): void;
    setEf(ef: number): void;
    searchKnn(v: number[], k: number): { neighbors: number[]; distances: number[] };
    writeIndex(path: string): Promise<boolean>;
  };
};

let hnswlib: Hnswlib | undefined;
let why = '';
try {
  hnswlib = createRequire(import.meta.url)('hnswlib-node') as Hnswlib;
} catch (err) {
  why = (err as Error).message.split('\n')[0];
}

describe('HnswIndex.fromHnswlib', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hnswlab-hnswlib-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  if (!hnswlib) {
    it.skip(`skipped: hnswlib-node is not installed here (${why})`, () => {});
    return;
  }
  const lib = hnswlib;
  const dim = 32,
    n = 3000;
  const data = clusteredSet({ n, dim, queries: 200, seed: 7 });
  const row = (i: number, from = data.base) => Array.from(from.subarray(i * dim, (i + 1) * dim));

  for (const metric of ['l2', 'ip', 'cosine']) {
    it(`${metric}: an index written by hnswlib-node answers the same 200 queries with the same ids at the same ef`, async () => {
      const h = new lib.HierarchicalNSW(metric, dim);
      h.initIndex(n, 12, 100, 1);
      for (let i = 0; i < n; i++) h.addPoint(row(i), i * 3 + 1);
      h.markDelete(4);
      h.markDelete(3001);
      const file = join(dir, `${metric}.bin`);
      await h.writeIndex(file);
      const ours = await HnswIndex.fromHnswlib(file, { kernel: await createKernel(), metric });
      expect(ours.size).toBe(n - 2);
      expect(ours.has(4)).toBe(false);
      expect(ours.check().problems).toEqual([]);
      h.setEf(50);
      let same = 0;
      for (let q = 0; q < 200; q++) {
        const theirs = h.searchKnn(row(q, data.queries), 10).neighbors;
        if (theirs.join() === Array.from(ours.search(data.queries.subarray(q * dim, (q + 1) * dim), 10, { ef: 50 }).ids).join()) same++;
      }
      console.info(`[hnswlib import] ${metric}: ${same} of 200 queries answered with the same ids in the same order`);
      expect(same).toBeGreaterThanOrEqual(198);
      // The imported index takes new vectors and saves in hnswlab's own format.
      ours.add(new Float32Array(dim).fill(0.5));
      const again = HnswIndex.deserialize(ours.serialize(), { kernel: await createKernel() });
      expect(again.size).toBe(n - 1);
    });
  }

  it('a truncated or inconsistent hnswlib file is refused with the part named', async () => {
    const h = new lib.HierarchicalNSW('l2', dim);
    h.initIndex(100, 8, 50, 1);
    for (let i = 0; i < 100; i++) h.addPoint(row(i), i);
    const file = join(dir, 'small.bin');
    await h.writeIndex(file);
    const bytes = readFileSync(file);
    const kernel = await createKernel();
    const load = async (b: Uint8Array) => {
      writeFileSync(join(dir, 'bad.bin'), b);
      return HnswIndex.fromHnswlib(join(dir, 'bad.bin'), { kernel, metric: 'l2' });
    };
    await expect(load(bytes.subarray(0, 50))).rejects.toThrow(/hnswlib header: the file has 50 bytes/);
    await expect(load(bytes.subarray(0, bytes.length - 10))).rejects.toThrow(IndexFileError);
    const huge = Buffer.from(bytes);
    huge.writeBigUInt64LE(2n ** 40n, 16);
    await expect(load(huge)).rejects.toThrow(/element count is 1099511627776/);
    const link = Buffer.from(bytes);
    link.writeUInt32LE(5000, 96 + 4);
    await expect(load(link)).rejects.toThrow(/hnswlib links: .*link to 5000, not a row/);
    await expect(HnswIndex.fromHnswlib(file, { kernel, metric: 'hamming' })).rejects.toThrow(/unknown metric "hamming"/);
  });
});
