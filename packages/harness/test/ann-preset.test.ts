import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SeededRandom } from '@hnswlab/datasets';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, runMatrix } from '../src/index.js';

// h5wasm is a dependency of @hnswlab/datasets, not of the harness: the test writes its file with that copy.
const H5WASM = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'datasets',
  'node_modules',
  'h5wasm',
  'dist',
  'node',
  'hdf5_hl.js',
);

interface H5 {
  ready: Promise<unknown>;
  File: new (f: string, m: string) => { create_dataset(o: object): void; create_attribute(n: string, v: string): void; close(): void };
}

/** A small file laid out as ann-benchmarks ships them: train, test, exact neighbors (ids), distance. */
async function annFile(file: string, rows: number, queries: number, dim: number, k: number): Promise<void> {
  const h5 = ((await import(pathToFileURL(H5WASM).href)) as { default: H5 }).default;
  await h5.ready;
  const rng = new SeededRandom(7);
  const train = Float32Array.from({ length: rows * dim }, () => rng.normal());
  const test = Float32Array.from({ length: queries * dim }, () => rng.normal());
  const neighbors = new Int32Array(queries * k);
  for (let q = 0; q < queries; q++) {
    const d = Array.from({ length: rows }, (_, r) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (test[q * dim + j] - train[r * dim + j]) ** 2;
      return [s, r] as const;
    }).sort((a, b) => a[0] - b[0]);
    for (let i = 0; i < k; i++) neighbors[q * k + i] = d[i][1];
  }
  const f = new h5.File(file, 'w');
  f.create_dataset({ name: 'train', data: train, shape: [rows, dim], dtype: '<f' });
  f.create_dataset({ name: 'test', data: test, shape: [queries, dim], dtype: '<f' });
  f.create_dataset({ name: 'neighbors', data: neighbors, shape: [queries, k], dtype: '<i' });
  f.create_attribute('distance', 'euclidean');
  f.close();
}

describe('the ann preset', () => {
  it('runs a whole ann-benchmarks file with its shipped neighbours, under the metric its name says', async () => {
    process.env.HNSWLAB_CACHE ??= mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
    const file = join(mkdtempSync(join(tmpdir(), 'hnswlab-ann-')), 'tiny-16-euclidean.hdf5');
    await annFile(file, 500, 20, 16, 100);
    const args = parseBenchArgs([
      '--preset',
      'ann',
      '--datasets',
      file,
      '--kernels',
      'js',
      '--strategies',
      'batched',
      '--peers',
      'none',
      '--queries',
      '20',
    ]);
    expect(args.blocks).toHaveLength(1);
    expect(args.blocks[0].metric).toBe('l2');
    const report = await runMatrix(args.blocks, { progress: null, command: 'test', preset: args.preset });
    const [cell] = report.cells;
    expect(cell.status, cell.reason).toBe('ok');
    expect(cell.id).toContain('n=all d=file');
    expect(cell.dataset).toMatchObject({ n: 500, dim: 16, queries: 20, groundTruth: 'file' });
    expect(cell.search!.at(-1)!.recall).toBeGreaterThan(0.9);
  });
});
