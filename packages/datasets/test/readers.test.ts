import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  datasetHash,
  encodeNpy,
  encodeVecs,
  gloveSplit,
  loadDataset,
  readBvecs,
  readFvecs,
  readIvecs,
  readNpy,
  recallByDistance,
  DatasetUnavailableError,
} from '../src/index.js';

let dir: string;
const dim = 6;
const rows = 40;
const values = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i) * 10);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hnswlab-datasets-'));
  writeFileSync(join(dir, 'base.fvecs'), encodeVecs(values, dim));
  writeFileSync(join(dir, 'query.fvecs'), encodeVecs(values.slice(0, 5 * dim), dim));
  writeFileSync(
    join(dir, 'gt.ivecs'),
    encodeVecs(
      Int32Array.from({ length: 5 * 3 }, (_, i) => i),
      3,
    ),
  );
  writeFileSync(join(dir, 'base.npy'), encodeNpy(values, dim));
  const b = Buffer.alloc(rows * (4 + dim));
  for (let i = 0; i < rows; i++) {
    b.writeInt32LE(dim, i * (4 + dim));
    for (let j = 0; j < dim; j++) b[i * (4 + dim) + 4 + j] = (i * 7 + j) & 255;
  }
  writeFileSync(join(dir, 'base.bvecs'), b);
});

describe('TEXMEX and NumPy readers', () => {
  it('reads .fvecs rows exactly, the first maxRows only, with the total count', () => {
    const all = readFvecs(join(dir, 'base.fvecs'));
    expect(all).toMatchObject({ rows, dim, totalRows: rows });
    expect(all.data).toEqual(values);
    const head = readFvecs(join(dir, 'base.fvecs'), 7);
    expect(head.rows).toBe(7);
    expect(head.data).toEqual(values.slice(0, 7 * dim));
  });

  it('reads .bvecs as widened bytes and .ivecs as ints', () => {
    const b = readBvecs(join(dir, 'base.bvecs'), 3);
    expect(Array.from(b.data.slice(dim, 2 * dim))).toEqual([7, 8, 9, 10, 11, 12]);
    const gt = readIvecs(join(dir, 'gt.ivecs'));
    expect(gt).toMatchObject({ rows: 5, dim: 3 });
    expect(Array.from(gt.data.slice(3, 6))).toEqual([3, 4, 5]);
  });

  it('reads .npy float32', () => {
    const m = readNpy(join(dir, 'base.npy'), 10);
    expect(m).toMatchObject({ rows: 10, dim, totalRows: rows });
    expect(m.data).toEqual(values.slice(0, 10 * dim));
  });

  it('rejects a file of the wrong shape with a readable reason', () => {
    writeFileSync(join(dir, 'bad.fvecs'), Buffer.alloc(10));
    expect(() => readFvecs(join(dir, 'bad.fvecs'))).toThrow(/bad\.fvecs: row 0 dimension is 0; expected an integer in 1\.\.1048576/);
    writeFileSync(join(dir, 'bad.npy'), Buffer.from('not numpy at all'));
    expect(() => readNpy(join(dir, 'bad.npy'))).toThrow(/bad\.npy: magic is "not nu"; expected "\\x93NUMPY"/);
  });
});

describe('loadDataset', () => {
  it('holds out the rows after the base as queries when no query file is given', async () => {
    const d = await loadDataset(`fvecs:${join(dir, 'base.fvecs')}`, { n: 30, dim: 0, queries: 4, seed: 1 });
    expect(d).toMatchObject({ n: 30, queryCount: 4, dim });
    expect(d.queries).toEqual(values.slice(30 * dim, 34 * dim));
    const npy = await loadDataset(join(dir, 'base.npy'), { n: 30, dim: 0, queries: 4, seed: 1 });
    expect(npy.base).toEqual(d.base);
  });

  it('uses a ground-truth .ivecs only when the base is the whole file', async () => {
    const id = `fvecs:${join(dir, 'base.fvecs')},${join(dir, 'query.fvecs')},${join(dir, 'gt.ivecs')}`;
    const whole = await loadDataset(id, { n: 1000, dim: 0, queries: 5, seed: 1 });
    expect(whole.neighborsK).toBe(3);
    const part = await loadDataset(id, { n: 10, dim: 0, queries: 5, seed: 1 });
    expect(part.neighbors).toBeUndefined();
  });

  it('reads an ann-benchmarks HDF5 file (train, test, neighbors, distance)', async () => {
    const h5mod = (await import('h5wasm/node')) as unknown as {
      default: {
        ready: Promise<unknown>;
        File: new (
          f: string,
          m: string,
        ) => { create_dataset(o: object): void; create_attribute(n: string, v: string): void; close(): void };
      };
    };
    const h5 = h5mod.default;
    await h5.ready;
    const file = join(dir, 'tiny-euclidean.hdf5');
    const f = new h5.File(file, 'w');
    f.create_dataset({ name: 'train', data: values, shape: [rows, dim], dtype: '<f' });
    f.create_dataset({ name: 'test', data: values.slice(0, 3 * dim), shape: [3, dim], dtype: '<f' });
    f.create_dataset({ name: 'neighbors', data: Int32Array.from([0, 1, 1, 2, 2, 3]), shape: [3, 2], dtype: '<i' });
    f.create_attribute('distance', 'euclidean');
    f.close();
    const d = await loadDataset(`hdf5:${file}`, { n: 1000, dim: 0, queries: 2, seed: 1 });
    expect(d).toMatchObject({ n: rows, dim, queryCount: 2, neighborsK: 2, fileMetric: 'euclidean' });
    expect(d.base).toEqual(values);
    expect(Array.from(d.neighbors!)).toEqual([0, 1, 1, 2]);
    const part = await loadDataset(`${file}`, { n: 10, dim: 0, queries: 2, seed: 1 });
    expect(part.n).toBe(10);
    expect(part.neighbors).toBeUndefined();
  });

  it('makes seeded synthetic sets at any n and dim, the same for the same seed', async () => {
    const a = await loadDataset('clustered', { n: 50, dim: 7, queries: 3, seed: 9 });
    const b = await loadDataset('clustered', { n: 50, dim: 7, queries: 3, seed: 9 });
    expect(a.base).toEqual(b.base);
    expect(datasetHash(7, a.base, a.queries)).toBe(datasetHash(7, b.base, b.queries));
    expect(datasetHash(7, a.base, a.queries)).not.toBe(datasetHash(7, a.base, a.queries.slice(7)));
    const u = await loadDataset('uniform', { n: 20, dim: 3, queries: 2, seed: 1 });
    expect(u.base.length).toBe(60);
  });

  it('names the ids it knows when given an unknown one', async () => {
    await expect(loadDataset('sift-1m', { n: 1, dim: 1, queries: 1, seed: 1 })).rejects.toThrow(DatasetUnavailableError);
    await expect(loadDataset('sift-1m', { n: 1, dim: 1, queries: 1, seed: 1 })).rejects.toThrow(/clustered, uniform, glove/);
  });
});

describe('GloVe split', () => {
  it('takes the first n rows as base and draws distinct queries from the rest', () => {
    const rowsG = 50;
    const data = Float32Array.from({ length: rowsG * 100 }, (_, i) => Math.floor(i / 100));
    const { base, queries } = gloveSplit({ data, rows: rowsG }, 20, 10, 3);
    expect(base.length).toBe(20 * 100);
    expect(base[19 * 100]).toBe(19);
    const picked = Array.from({ length: 10 }, (_, i) => queries[i * 100]);
    expect(new Set(picked).size).toBe(10);
    for (const r of picked) expect(r).toBeGreaterThanOrEqual(20);
    expect(() => gloveSplit({ data, rows: rowsG }, 45, 10, 3)).toThrow(/too many/);
  });
});

describe('recallByDistance', () => {
  it('counts ties and duplicates at the k-th distance as hits', () => {
    const exact = { distances: [0, 1, 2, 2, 5] };
    expect(recallByDistance({ distances: [0, 1, 2, 2] }, exact, 4)).toBe(1);
    expect(recallByDistance({ distances: [0, 2, 2, 2] }, exact, 4)).toBe(1);
    expect(recallByDistance({ distances: [0, 1, 2, 3] }, exact, 4)).toBe(0.75);
    expect(recallByDistance({ distances: [] }, { distances: [] }, 4)).toBe(1);
  });
});
