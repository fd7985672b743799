// Regression tests for issue 10, items 8 and 9 (the dataset side): every size is checked against the
// file before anything is allocated, neighbour ids against the base, and cached files by checksum.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FileFormatError,
  encodeNpy,
  encodeVecs,
  loadDataset,
  openCacheFile,
  readGloveMatrix,
  readNpy,
  registerDatasetLoader,
  sealCacheFile,
  writeCacheFile,
  type LoadedDataset,
} from '../src/index.js';
import { CASE_BYTES, CASE_MS, bounded } from './crafted/bounded.js';

let dir: string;
const dim = 4;
const rows = 12;
const values = Float32Array.from({ length: rows * dim }, (_, i) => Math.cos(i));
const req = { n: 1000, dim: 0, queries: 3, seed: 1 };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hnswlab-hardening-'));
});

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** A .npy v2 preamble claiming `headerLen` header bytes, cut to 64 bytes in all. */
function npyClaiming(headerLen: number): Uint8Array {
  const b = Buffer.alloc(64, 0x20);
  b.write('\x93NUMPY', 0, 'latin1');
  b[6] = 2;
  b[7] = 0;
  b.writeUInt32LE(headerLen >>> 0, 8);
  b.write("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }", 12, 'latin1');
  return b;
}

describe('.npy sizes are checked against the file before allocating (issue 10, item 8)', () => {
  it.each([
    ['1 GiB', 2 ** 30],
    ['0xFFFFFFF0', 0xfffffff0],
  ])('refuses a 64-byte file claiming a %s header, fast and without allocating it', async (_, claim) => {
    const file = write(`claims-${claim}.npy`, npyClaiming(claim));
    const r = await bounded(() => readNpy(file));
    expect(r.ms).toBeLessThan(CASE_MS);
    expect(r.bytes).toBeLessThan(CASE_BYTES);
    expect(r.error).toBeInstanceOf(FileFormatError);
    expect((r.error as FileFormatError).message).toBe(
      `${file}: header length is ${claim}; expected an integer in 1..52 (the 52 bytes after the preamble)`,
    );
  });

  it.each(['nan', '-3', '2.5', 'inf'])('refuses a shape of %s rows, naming the shape', (bad) => {
    const npy = encodeNpy(values, dim)
      .toString('latin1')
      .replace(`(${rows}, ${dim})`, `(${bad}, ${dim})`.padEnd(`(${rows}, ${dim})`.length));
    const file = write(`shape-${bad}.npy`, Buffer.from(npy, 'latin1'));
    expect(() => readNpy(file)).toThrow(`${file}: header 'shape' is (${bad}, ${dim}); expected a tuple of non-negative integers`);
  });

  it('refuses a caller row limit that is not a count', () => {
    const file = write('ok.npy', encodeNpy(values, dim));
    expect(() => readNpy(file, NaN)).toThrow(/maxRows must be a non-negative integer or Infinity, got NaN/);
    expect(readNpy(file, 0).rows).toBe(0);
  });
});

describe('ground truth from a file is checked against the base and the queries (issue 10, item 8)', () => {
  const base = () => write('base.fvecs', encodeVecs(values, dim));
  const queries = () => write('queries.fvecs', encodeVecs(values.slice(0, 3 * dim), dim));

  it('refuses a .ivecs id outside the base, naming the file, row, column and range', async () => {
    const gt = write('gt-out.ivecs', encodeVecs(Int32Array.from([0, 1, 2, 3, 4, rows]), 2));
    await expect(loadDataset(`fvecs:${base()},${queries()},${gt}`, req)).rejects.toThrow(
      `${gt}: neighbour ids row 2, column 1 is ${rows}; expected a base row id in 0..${rows - 1}`,
    );
  });

  it('refuses a .ivecs with another number of queries than the query file', async () => {
    const gt = write('gt-short.ivecs', encodeVecs(Int32Array.from([0, 1, 2, 3]), 2));
    await expect(loadDataset(`fvecs:${base()},${queries()},${gt}`, req)).rejects.toThrow(
      `${gt}: rows is 2; expected 3, one per query in ${queries()}`,
    );
  });

  it('refuses HDF5 neighbours that are too few or out of range instead of scoring recall 0', async () => {
    const h5 = (
      (await import('h5wasm/node')) as unknown as {
        default: {
          ready: Promise<unknown>;
          File: new (f: string, m: string) => { create_dataset(o: object): void; close(): void };
        };
      }
    ).default;
    await h5.ready;
    const make = (name: string, neighbors: Int32Array, nbRows: number) => {
      const file = join(dir, name);
      const f = new h5.File(file, 'w');
      f.create_dataset({ name: 'train', data: values, shape: [rows, dim], dtype: '<f' });
      f.create_dataset({ name: 'test', data: values.slice(0, 3 * dim), shape: [3, dim], dtype: '<f' });
      f.create_dataset({ name: 'neighbors', data: neighbors, shape: [nbRows, 2], dtype: '<i' });
      f.close();
      return file;
    };
    const short = make('short.hdf5', Int32Array.from([0, 1, 2, 3]), 2);
    await expect(loadDataset(`hdf5:${short}`, req)).rejects.toThrow(
      `${short}: dataset 'neighbors' rows is 2; expected 3, one per row of 'test'`,
    );
    const out = make('out.hdf5', Int32Array.from([0, 1, 2, 3, 4, -5]), 3);
    await expect(loadDataset(`hdf5:${out}`, req)).rejects.toThrow(
      `${out}: dataset 'neighbors' row 2, column 1 is -5; expected a base row id in 0..${rows - 1}`,
    );
  });

  it('checks what a registered loader returns, naming the dataset id', async () => {
    const made = (over: Partial<LoadedDataset>): LoadedDataset => ({
      id: 'custom:x',
      name: 'x',
      dim,
      base: values,
      queries: values.slice(0, dim),
      n: rows,
      queryCount: 1,
      ...over,
    });
    let next = made({});
    registerDatasetLoader('custom', async () => next);
    await expect(loadDataset('custom:x', req)).resolves.toMatchObject({ n: rows });
    next = made({ n: rows + 1 });
    await expect(loadDataset('custom:x', req)).rejects.toThrow(`custom:x: base length is ${rows * dim}; expected ${(rows + 1) * dim}`);
    next = made({ neighbors: Int32Array.from([rows]), neighborsK: 1 });
    await expect(loadDataset('custom:x', req)).rejects.toThrow(
      `custom:x: neighbors row 0, column 0 is ${rows}; expected a base row id in 0..${rows - 1}`,
    );
    await expect(loadDataset('custom:x', { ...req, n: NaN })).rejects.toThrow('dataset n must be a positive integer, got NaN');
  });
});

describe('cache files carry their shape and a checksum (issue 10, item 9)', () => {
  const body = () => [new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, 6]).buffer)];
  const open = (file: string) =>
    openCacheFile(
      file,
      'TEST',
      [
        ['rows', 2],
        ['dim', undefined],
      ],
      ([r, d]) => r * d * 4,
    );

  it('reads back what it sealed, and says nothing of a file that is not there', () => {
    const file = join(dir, 'sealed.bin');
    expect(writeCacheFile(file, sealCacheFile('TEST', [2, 3], body()))).toBe(true);
    const c = open(file);
    expect(c && 'body' in c && Array.from(new Float32Array(c.body.buffer, c.body.byteOffset, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(open(join(dir, 'absent.bin'))).toBeUndefined();
  });

  it('names what is wrong: a flipped bit, another tag, another shape, a cut', () => {
    const good = sealCacheFile('TEST', [2, 3], body());
    const variant = (name: string, edit: (b: Buffer) => Buffer) => {
      const file = join(dir, name);
      writeFileSync(file, edit(Buffer.from(good)));
      return (open(file) as { problem: string }).problem;
    };
    expect(variant('flip.bin', (b) => ((b[b.length - 3] ^= 4), b))).toMatch(
      /^checksum is [0-9a-f]{8}; expected [0-9a-f]{8} as stored \(the file is damaged\)$/,
    );
    expect(variant('flip-crc.bin', (b) => ((b[12] ^= 1), b))).toMatch(/^checksum is /);
    expect(variant('flip-dim.bin', (b) => ((b[8] ^= 1), b))).toBe('size is 40 bytes; expected 32 for the shape in its header');
    expect(variant('tag.bin', (b) => (b.write('TESU', 0, 'latin1'), b))).toBe('tag is "TESU"; expected "TEST" (another format or version)');
    expect(variant('rows.bin', (b) => (b.writeUInt32LE(7, 4), b))).toBe("header field 'rows' is 7; expected 2");
    expect(variant('cut.bin', (b) => b.subarray(0, b.length - 1))).toBe('size is 39 bytes; expected 40 for the shape in its header');
    expect(variant('tiny.bin', (b) => b.subarray(0, 5))).toBe('size is 5 bytes; expected at least 16 (the header)');
    // an earlier version's tag: not damage, so no problem to report; the caller rebuilds it
    const legacy = join(dir, 'legacy.bin');
    writeFileSync(legacy, sealCacheFile('OLD1', [2, 3], body()));
    expect(
      openCacheFile(
        legacy,
        'TEST',
        [
          ['rows', 2],
          ['dim', undefined],
        ],
        ([r, d]) => r * d * 4,
        ['OLD1'],
      ),
    ).toBeUndefined();
  });
});

describe('the GloVe binary cache is checked, and rebuilt with a warning when damaged (issue 10, item 9)', () => {
  const words = ['a', 'b', 'c'];
  const json = JSON.stringify({
    words,
    dimensions: 100,
    vectors: Object.fromEntries(words.map((w, i) => [w, [...Array.from({ length: 100 }, (_, j) => Math.sin(i * 100 + j)), 1, i]])),
  });

  it('uses a good cache, rebuilds a bit-flipped one with a warning naming it, and drops the old unchecked cache', () => {
    const cache = mkdtempSync(join(dir, 'glove-cache-'));
    process.env.HNSWLAB_CACHE = cache;
    const jsonFile = write('glove.json', Buffer.from(json));
    writeFileSync(join(cache, 'glove-100-1.1.0.f32'), Buffer.alloc(400)); // what earlier versions cached
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    const first = readGloveMatrix(jsonFile, { warn });
    expect(first.rows).toBe(3);
    expect(existsSync(join(cache, 'glove-100-1.1.0.f32'))).toBe(false);
    const bin = join(cache, 'glove-100-1.1.0.bin');
    writeFileSync(jsonFile, 'no longer JSON: a second read must come from the cache');
    expect(readGloveMatrix(jsonFile, { warn }).data).toEqual(first.data);
    expect(warnings).toEqual([]);

    writeFileSync(jsonFile, json);
    const flipped = readFileSync(bin);
    flipped[flipped.length - 100] ^= 0x40;
    writeFileSync(bin, flipped);
    expect(readGloveMatrix(jsonFile, { warn }).data).toEqual(first.data);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^${bin}: checksum is [0-9a-f]{8}; expected [0-9a-f]{8} as stored \\(the file is damaged\\)\\. Rebuilding it from ${jsonFile}$`,
      ),
    );
    // rebuilt: the next read is quiet again
    readGloveMatrix(jsonFile, { warn });
    expect(warnings).toHaveLength(1);
  });
});
