import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom, encodeNpy, encodeVecs } from '../../src/index.js';
import { resealObjectHeader } from './hdf5-reseal.js';

/**
 * The crafted-file corpus: every reader's file damaged on purpose (truncations, header lies, wrong
 * dtypes, dimensions of 0 and 2^31, NaN, seeded random bit flips), generated from one seed. Each case
 * says what must happen: a FileFormatError whose field matches, a valid read of so many rows, or,
 * for random damage that may leave a valid file, either of the two.
 */
export type Reader = 'fvecs' | 'bvecs' | 'ivecs' | 'npy' | 'hdf5' | 'glove';

export interface CraftedCase {
  readonly name: string;
  readonly reader: Reader;
  readonly bytes: Uint8Array;
  readonly expect: { readonly field: RegExp } | { readonly rows: number } | 'either';
}

const ANY = { field: /./ };

/** `count` random bits of a copy of `bytes` flipped. */
function flipped(rng: SeededRandom, bytes: Uint8Array, count: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < count; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
  return out;
}

function randomFlips(rng: SeededRandom, reader: Reader, bytes: Uint8Array, cases: number): CraftedCase[] {
  return Array.from({ length: cases }, (_, i) => {
    const bits = 1 + rng.int(4);
    return { name: `${reader}/bit-flips-${i}-x${bits}`, reader, bytes: flipped(rng, bytes, bits), expect: 'either' as const };
  });
}

function patched(bytes: Uint8Array, at: number, write: (b: Buffer, at: number) => void): Uint8Array {
  const b = Buffer.from(bytes);
  write(b, at);
  return b;
}

function vecsCases(rng: SeededRandom, kind: 'fvecs' | 'bvecs' | 'ivecs', flips: number): CraftedCase[] {
  const rows = 5,
    dim = 4;
  const elem = kind === 'bvecs' ? 1 : 4;
  const rowBytes = 4 + dim * elem;
  let good: Uint8Array;
  if (kind === 'fvecs')
    good = encodeVecs(
      Float32Array.from({ length: rows * dim }, () => rng.uniform() * 2 - 1),
      dim,
    );
  else if (kind === 'ivecs')
    good = encodeVecs(
      Int32Array.from({ length: rows * dim }, () => rng.int(100)),
      dim,
    );
  else {
    const b = Buffer.alloc(rows * rowBytes);
    for (let r = 0; r < rows; r++) {
      b.writeInt32LE(dim, r * rowBytes);
      for (let j = 0; j < dim; j++) b[r * rowBytes + 4 + j] = rng.int(256);
    }
    good = b;
  }
  const cases: CraftedCase[] = [{ name: `${kind}/valid`, reader: kind, bytes: good, expect: { rows } }];
  for (let cut = 0; cut < good.length; cut++) {
    const whole = cut > 0 && cut % rowBytes === 0;
    cases.push({
      name: `${kind}/truncated-at-${cut}`,
      reader: kind,
      bytes: good.subarray(0, cut),
      expect: whole ? { rows: cut / rowBytes } : { field: /^size$/ },
    });
  }
  for (const d of [0, -1, -(2 ** 31), 2 ** 31 - 1, (1 << 20) + 1]) {
    cases.push({
      name: `${kind}/dim-${d}`,
      reader: kind,
      bytes: patched(good, 0, (b) => b.writeInt32LE(d, 0)),
      expect: { field: /^row 0 dimension$/ },
    });
  }
  cases.push({
    name: `${kind}/dim-1000-past-the-file`,
    reader: kind,
    bytes: patched(good, 0, (b) => b.writeInt32LE(1000, 0)),
    expect: { field: /^size$/ },
  });
  cases.push({
    name: `${kind}/row-3-dim-5`,
    reader: kind,
    bytes: patched(good, 3 * rowBytes, (b, at) => b.writeInt32LE(5, at)),
    expect: { field: /^row 3 dimension$/ },
  });
  if (kind === 'fvecs') {
    for (const [label, v] of [
      ['nan', NaN],
      ['inf', Infinity],
      ['-inf', -Infinity],
    ] as const) {
      cases.push({
        name: `fvecs/${label}-at-row-2-component-1`,
        reader: kind,
        bytes: patched(good, 2 * rowBytes + 4 + 4, (b, at) => b.writeFloatLE(v, at)),
        expect: { field: /row 2, component 1$/ },
      });
    }
  }
  return [...cases, ...randomFlips(rng, kind, good, flips)];
}

/** A .npy file from its parts; `headerLen` overrides the stored header length (a lie). */
function npy(header: string, data: Uint8Array, options: { version?: number; minor?: number; headerLen?: number } = {}): Uint8Array {
  const version = options.version ?? 1;
  const pre = Buffer.alloc(version >= 2 ? 12 : 10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = version;
  pre[7] = options.minor ?? 0;
  const h = Buffer.from(`${header}\n`, 'latin1');
  if (version >= 2) pre.writeUInt32LE(options.headerLen ?? h.length, 8);
  else pre.writeUInt16LE(options.headerLen ?? h.length, 8);
  return Buffer.concat([pre, h, data]);
}

const dict = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

function npyCases(rng: SeededRandom, flips: number): CraftedCase[] {
  const rows = 5,
    dim = 4;
  const values = Float32Array.from({ length: rows * dim }, () => rng.uniform() * 2 - 1);
  const good = encodeNpy(values, dim);
  const f4 = new Uint8Array(values.buffer);
  const c = (name: string, bytes: Uint8Array, expect: CraftedCase['expect']): CraftedCase => ({
    name: `npy/${name}`,
    reader: 'npy',
    bytes,
    expect,
  });
  const typed = (T: { from(a: ArrayLike<number>): ArrayBufferView }, src: ArrayLike<number>) => {
    const v = T.from(src);
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  };
  const ints = Array.from({ length: rows * dim }, (_, i) => i - 7);
  const cases: CraftedCase[] = [
    c('valid', good, { rows }),
    c('valid-f8', npy(dict('<f8', '(5, 4)'), typed(Float64Array, values)), { rows }),
    c('valid-f2', npy(dict('<f2', '(5, 4)'), new Uint8Array(rows * dim * 2)), { rows }),
    c(
      'valid-u1',
      npy(
        dict('|u1', '(5, 4)'),
        Uint8Array.from(ints, (v) => v & 255),
      ),
      { rows },
    ),
    c('valid-i1', npy(dict('|i1', '(5, 4)'), typed(Int8Array, ints)), { rows }),
    c('valid-i4', npy(dict('<i4', '(5, 4)'), typed(Int32Array, ints)), { rows }),
    c('valid-i8', npy(dict('<i8', '(5, 4)'), new Uint8Array(BigInt64Array.from(ints, BigInt).buffer)), { rows }),
    c('valid-1d', npy(dict('<f4', '(20,)'), f4), { rows: 1 }),
    c('valid-python2-longs', npy(dict('<f4', '(5L, 4L)'), f4), { rows }),
    c('valid-version-2', npy(dict('<f4', '(5, 4)'), f4, { version: 2 }), { rows }),
    c('valid-version-3', npy(dict('<f4', '(5, 4)'), f4, { version: 3 }), { rows }),
  ];
  for (let cut = 0; cut < good.length; cut++)
    cases.push(c(`truncated-at-${cut}`, good.subarray(0, cut), cut < 10 ? { field: /^size$/ } : ANY));
  // the two: a 64-byte file claiming a 1 GiB header, and one claiming 0xFFFFFFF0
  const tiny = (headerLen: number) =>
    Buffer.concat([npy(dict('<f4', '(1, 4)'), new Uint8Array(0), { version: 2, headerLen })]).subarray(0, 64);
  cases.push(c('64-bytes-header-1GiB', tiny(2 ** 30), { field: /^header length$/ }));
  cases.push(c('64-bytes-header-0xFFFFFFF0', tiny(0xfffffff0), { field: /^header length$/ }));
  cases.push(c('v1-header-0xFFFF', npy(dict('<f4', '(5, 4)'), f4, { headerLen: 0xffff }), { field: /^header length$/ }));
  cases.push(c('header-length-0', npy(dict('<f4', '(5, 4)'), f4, { headerLen: 0 }), { field: /^header length$/ }));
  cases.push(c('header-length-short', npy(dict('<f4', '(5, 4)'), f4, { headerLen: 20 }), { field: /^header/ }));
  for (const [v, m] of [
    [0, 0],
    [4, 0],
    [1, 1],
    [255, 0],
  ])
    cases.push(c(`version-${v}.${m}`, npy(dict('<f4', '(5, 4)'), f4, { version: v, minor: m }), { field: /^format version$/ }));
  cases.push(
    c(
      'bad-magic',
      patched(good, 1, (b) => b.write('NUMPX', 1, 'latin1')),
      { field: /^magic$/ },
    ),
  );
  const shapes: Array<[string, RegExp]> = [
    ['(nan, 4)', /^header 'shape'$/],
    ['(NaN, 4)', /^header 'shape'$/],
    ['(-3, 4)', /^header 'shape'$/],
    ['(2.5, 4)', /^header 'shape'$/],
    ['(1e9, 4)', /^header 'shape'$/],
    ['(inf, 4)', /^header 'shape'$/],
    ['(0x10, 4)', /^header 'shape'$/],
    ['()', /^header 'shape'$/],
    ['(5, 4, 1)', /^header 'shape'$/],
    ['(5, 0)', /^header 'shape' columns$/],
    ['(0, 4)', /^header 'shape' rows$/],
    ['(0,)', /^header 'shape' columns$/],
    ['(2147483648, 4)', /^data size$/],
    ['(5, 2147483648)', /^data size$/],
    ['(4294967296, 4294967296)', /^data size$/],
    ['(99999999999999999999, 4)', /^header 'shape' rows$/],
    ['(6, 4)', /^data size$/],
    ['(4, 4)', /^data size$/],
  ];
  for (const [shape, field] of shapes) cases.push(c(`shape-${shape}`, npy(dict('<f4', shape), f4), { field }));
  for (const descr of ['>f4', '<U10', '<c8', '|b1', '<u4', 'O'])
    cases.push(c(`descr-${descr}`, npy(dict(descr, '(5, 4)'), f4), { field: /^header 'descr'$/ }));
  cases.push(c('descr-f8-for-f4-data', npy(dict('<f8', '(5, 4)'), f4), { field: /^data size$/ }));
  cases.push(
    c('descr-structured', npy(`{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (5, 4), }`, f4), { field: /^header 'descr'$/ }),
  );
  cases.push(c('descr-missing', npy(`{'fortran_order': False, 'shape': (5, 4), }`, f4), { field: /^header 'descr'$/ }));
  cases.push(c('fortran-order', npy(dict('<f4', '(5, 4)', 'True'), f4), { field: /^header 'fortran_order'$/ }));
  cases.push(c('fortran-missing', npy(`{'descr': '<f4', 'shape': (5, 4), }`, f4), { field: /^header 'fortran_order'$/ }));
  cases.push(c('shape-missing', npy(`{'descr': '<f4', 'fortran_order': False, }`, f4), { field: /^header 'shape'$/ }));
  cases.push(c('header-not-a-dict', npy('hello', f4), { field: /^header$/ }));
  cases.push(c('header-binary', npy(String.fromCharCode(...Array.from({ length: 60 }, () => rng.int(256))), f4), ANY));
  const nan = Float32Array.from(values);
  nan[2 * dim + 3] = NaN;
  cases.push(c('nan-at-row-2-component-3', npy(dict('<f4', '(5, 4)'), new Uint8Array(nan.buffer)), { field: /row 2, component 3$/ }));
  const half = new Uint16Array(rows * dim);
  half[7] = 0x7c00; // +Infinity in float16
  cases.push(c('f2-infinity', npy(dict('<f2', '(5, 4)'), new Uint8Array(half.buffer)), { field: /row 1, component 3$/ }));
  return [...cases, ...randomFlips(rng, 'npy', good, flips)];
}

interface H5Writer {
  ready: Promise<unknown>;
  File: new (
    f: string,
    m: 'w',
  ) => {
    create_dataset(o: object): void;
    create_group(name: string): void;
    create_attribute(n: string, v: string): void;
    close(): void;
  };
}

/** Files written by h5wasm itself (so HDF5 accepts their structure), then damaged byte by byte. */
async function hdf5Cases(rng: SeededRandom, dir: string, flips: number): Promise<CraftedCase[]> {
  const h5 = ((await import('h5wasm/node')) as unknown as { default: H5Writer }).default;
  await h5.ready;
  const rows = 40,
    dim = 6,
    tests = 3;
  const train = Float32Array.from({ length: rows * dim }, () => rng.uniform());
  const test = Float32Array.from({ length: tests * dim }, () => rng.uniform());
  const ids = Int32Array.from({ length: tests * 2 }, () => rng.int(rows));
  type Spec = Record<string, object | 'group' | undefined>;
  const dataset = (data: unknown, shape: number[], dtype?: string) => ({ data, shape, ...(dtype ? { dtype } : {}) });
  const base: Spec = {
    train: dataset(train, [rows, dim], '<f'),
    test: dataset(test, [tests, dim], '<f'),
    neighbors: dataset(ids, [tests, 2], '<i'),
  };
  let n = 0;
  const write = (spec: Spec): Uint8Array => {
    const file = join(dir, `make-${n++}.hdf5`);
    const f = new h5.File(file, 'w');
    for (const [name, d] of Object.entries(spec)) {
      if (d === 'group') f.create_group(name);
      else if (d) f.create_dataset({ name, ...d });
    }
    f.create_attribute('distance', 'euclidean');
    f.close();
    return readFileSync(file);
  };
  const c = (name: string, bytes: Uint8Array, expect: CraftedCase['expect']): CraftedCase => ({
    name: `hdf5/${name}`,
    reader: 'hdf5',
    bytes,
    expect,
  });
  const good = write(base);
  const nanTrain = Float32Array.from(train);
  nanTrain[5 * dim + 2] = NaN;
  const withIds = (v: number) => {
    const bad = Int32Array.from(ids);
    bad[tests * 2 - 1] = v;
    return { ...base, neighbors: dataset(bad, [tests, 2], '<i') };
  };
  const cases: CraftedCase[] = [
    c('valid', good, { rows }),
    c('valid-gzip', write({ ...base, train: { ...dataset(train, [rows, dim], '<f'), chunks: [10, dim], compression: 'gzip' } }), { rows }),
    c('valid-no-neighbors', write({ ...base, neighbors: undefined }), { rows }),
    c('empty', new Uint8Array(0), { field: /^signature$/ }),
    c('signature-only', good.subarray(0, 8), ANY),
    c('text', Buffer.from('this is not an HDF5 file at all, just text\n'.repeat(20)), { field: /^signature$/ }),
    c('missing-train', write({ ...base, train: undefined }), { field: /^dataset 'train'$/ }),
    c('missing-test', write({ ...base, test: undefined }), { field: /^dataset 'test'$/ }),
    c('train-is-a-group', write({ ...base, train: 'group' }), { field: /^'train'$/ }),
    c('train-1d', write({ ...base, train: dataset(train, [rows * dim], '<f') }), { field: /^dataset 'train' shape$/ }),
    c('train-3d', write({ ...base, train: dataset(train, [rows, 2, 3], '<f') }), { field: /^dataset 'train' shape$/ }),
    c('train-strings', write({ ...base, train: dataset(['a', 'b'], [2, 1]) }), { field: /^dataset 'train' type$/ }),
    c('train-int64', write({ ...base, train: dataset(new BigInt64Array(rows * dim), [rows, dim]) }), { field: /^dataset 'train' type$/ }),
    c('train-0-rows', write({ ...base, train: dataset(new Float32Array(0), [0, dim], '<f') }), { field: /^dataset 'train' rows$/ }),
    c('train-nan', write({ ...base, train: dataset(nanTrain, [rows, dim], '<f') }), { field: /^dataset 'train' row 5, component 2$/ }),
    c('test-other-dim', write({ ...base, test: dataset(test.slice(0, tests * 5), [tests, 5], '<f') }), {
      field: /^dataset 'test' columns$/,
    }),
    c('neighbors-float', write({ ...base, neighbors: dataset(Float32Array.from(ids), [tests, 2], '<f') }), {
      field: /^dataset 'neighbors' type$/,
    }),
    c('neighbors-1d', write({ ...base, neighbors: dataset(ids, [tests * 2], '<i') }), { field: /^dataset 'neighbors' shape$/ }),
    c('neighbors-too-few-rows', write({ ...base, neighbors: dataset(ids.slice(0, 4), [2, 2], '<i') }), {
      field: /^dataset 'neighbors' rows$/,
    }),
    c('neighbors-too-many-rows', write({ ...base, neighbors: dataset(Int32Array.from([...ids, 0, 0]), [4, 2], '<i') }), {
      field: /^dataset 'neighbors' rows$/,
    }),
    c('neighbors-id-past-train', write(withIds(rows)), { field: /^dataset 'neighbors' row 2, column 1$/ }),
    c('neighbors-id-negative', write(withIds(-1)), { field: /^dataset 'neighbors' row 2, column 1$/ }),
    c('neighbors-id-2^31-1', write(withIds(2 ** 31 - 1)), { field: /^dataset 'neighbors' row 2, column 1$/ }),
  ];
  // Found by this corpus: one bit in the global heap (where the 'distance' string lives) sends HDF5 into
  // an endless loop. The reader's worker is stopped at its time limit.
  const gcol = Buffer.from(good).indexOf('GCOL', 0, 'latin1');
  if (gcol < 0) throw new Error('corpus: no global heap in the HDF5 file');
  cases.push(
    c(
      'global-heap-loop',
      patched(good, gcol + 25, (b, at) => (b[at] ^= 2)),
      { field: /^the file$|^attribute 'distance'$/ },
    ),
  );
  // and one that makes HDF5 call abort(), after which an h5wasm instance is dead: the worker is replaced
  const abort = patched(good, gcol + 57, (b, at) => (b[at] ^= 32));
  abort[gcol + 2149] ^= 128;
  cases.push(c('global-heap-abort', abort, { field: /^the file$|^attribute 'distance'$/ }));
  cases.push(c('valid-after-abort', good, { rows }));
  // each HDF5 error costs a fresh worker (about half a second): a few cuts, spread over the file
  for (const cut of [7, 8, 100, 512, 1024, good.length - 1, ...Array.from({ length: 4 }, () => 9 + rng.int(good.length - 10))])
    cases.push(c(`truncated-at-${cut}`, good.subarray(0, cut), ANY));
  // Header lies: the dataspace stores dims then max dims as uint64; rewrite both. Left unsealed, HDF5's
  // header checksum catches the lie; re-sealed (as in a file written without checksums), the reader must.
  const lie = (name: string, find: [number, number], to: [bigint, bigint], resealed: CraftedCase['expect']) => {
    const pat = Buffer.alloc(16);
    pat.writeBigUInt64LE(BigInt(find[0]), 0);
    pat.writeBigUInt64LE(BigInt(find[1]), 8);
    const b = Buffer.from(good);
    const first = b.indexOf(pat);
    if (first < 0) throw new Error(`corpus: dataspace ${find.join('×')} not found in the HDF5 file`);
    for (let at = first, k = 0; k < 2 && at >= 0; k++, at = b.indexOf(pat, at + 16)) {
      b.writeBigUInt64LE(to[0], at);
      b.writeBigUInt64LE(to[1], at + 8);
    }
    cases.push(c(`dataspace-${name}`, Buffer.from(b), { field: /^dataset '\w+'$/ }));
    resealObjectHeader(b, first, good);
    cases.push(c(`dataspace-${name}-resealed`, b, resealed));
  };
  // Re-sealed, HDF5 still refuses some (its contiguous-storage check) before the reader's own checks run.
  lie('train-rows-2^31', [rows, dim], [2n ** 31n, BigInt(dim)], { field: /^dataset 'train'( size)?$/ });
  lie('train-rows-2^40', [rows, dim], [2n ** 40n, BigInt(dim)], { field: /^dataset 'train'( size)?$/ });
  lie('train-rows-0', [rows, dim], [0n, BigInt(dim)], { field: /^dataset 'train'( rows)?$/ });
  lie('train-dim-2^31', [rows, dim], [BigInt(rows), 2n ** 31n], { field: /^dataset 'train'( size)?$/ });
  lie('train-dim-0', [rows, dim], [BigInt(rows), 0n], { field: /^dataset 'train'( columns)?$/ });
  lie('neighbors-rows-2^32', [tests, 2], [2n ** 32n, 2n], { field: /^dataset 'neighbors'( rows)?$/ });
  // NB: one row more than the contiguous storage holds is not caught by HDF5 (the read stays inside the
  // file) nor by the reader (h5wasm does not expose the storage size): the extra row is the next bytes.
  lie('train-rows-41', [rows, dim], [BigInt(rows + 1), BigInt(dim)], 'either');
  return [...cases, ...randomFlips(rng, 'hdf5', good, flips)];
}

function gloveCases(rng: SeededRandom, flips: number): CraftedCase[] {
  const words = ['the', 'of', 'and'];
  const vec = () => [...Array.from({ length: 100 }, () => Math.round((rng.uniform() * 2 - 1) * 1e4) / 1e4), 1, 0];
  const vectors: Record<string, unknown> = Object.fromEntries(words.map((w) => [w, vec()]));
  const json = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o));
  const good = json({ words, vectors, dimensions: 100 });
  const c = (name: string, bytes: Uint8Array, expect: CraftedCase['expect']): CraftedCase => ({
    name: `glove/${name}`,
    reader: 'glove',
    bytes,
    expect,
  });
  const short = (vectors.of as number[]).slice(0, 99);
  const withComponent = (v: unknown) => {
    const and: unknown[] = [...(vectors.and as number[])];
    and[42] = v;
    return json({ words, vectors: { ...vectors, and }, dimensions: 100 });
  };
  return [
    c('valid', good, { rows: 3 }),
    c('not-json', json('hello'), { field: /^content$/ }),
    c('truncated', good.subarray(0, good.length >> 1), { field: /^content$/ }),
    c('empty', new Uint8Array(0), { field: /^content$/ }),
    c('null', json('null'), { field: /^content$/ }),
    c('dimensions-50', json({ words, vectors, dimensions: 50 }), { field: /^'dimensions'$/ }),
    c('words-missing', json({ vectors, dimensions: 100 }), { field: /^'words'$/ }),
    c('words-empty', json({ words: [], vectors, dimensions: 100 }), { field: /^'words'$/ }),
    c('vectors-missing', json({ words, dimensions: 100 }), { field: /^'vectors'$/ }),
    c('word-without-vector', json({ words: [...words, 'gone'], vectors, dimensions: 100 }), { field: /^'vectors'\["gone"\] \(word 3\)$/ }),
    c('word-not-a-string', json({ words: [...words, 7], vectors, dimensions: 100 }), { field: /^'vectors'\[7\]/ }),
    c('word-__proto__', json({ words: ['__proto__'], vectors: {}, dimensions: 100 }), { field: /^'vectors'\["__proto__"\]/ }),
    c('vector-99', json({ words, vectors: { ...vectors, of: short }, dimensions: 100 }), { field: /^'vectors'\["of"\] \(word 1\)$/ }),
    c('component-string', withComponent('x'), { field: /component 42$/ }),
    c('component-null', withComponent(null), { field: /component 42$/ }),
    c('component-1e400', json(withComponent(123456789).toString().replace('123456789', '1e400')), { field: /component 42$/ }),
    ...randomFlips(rng, 'glove', good, flips),
  ];
}

/** The whole corpus for `seed`; `flips` random-damage cases per reader. HDF5 files are made with h5wasm under `dir`. */
export async function makeCorpus(seed: number, dir: string, flips = 40): Promise<CraftedCase[]> {
  const rng = new SeededRandom(seed);
  return [
    ...vecsCases(rng, 'fvecs', flips),
    ...vecsCases(rng, 'bvecs', flips),
    ...vecsCases(rng, 'ivecs', flips),
    // wrong dtype: one TEXMEX kind read as another
    ...crossKinds(rng),
    ...npyCases(rng, flips),
    ...(await hdf5Cases(rng, dir, Math.ceil(flips / 2))),
    ...gloveCases(rng, flips),
  ];
}

function crossKinds(rng: SeededRandom): CraftedCase[] {
  const dim = 4;
  const b = Buffer.alloc(5 * (4 + dim));
  for (let r = 0; r < 5; r++) {
    b.writeInt32LE(dim, r * (4 + dim));
    for (let j = 0; j < dim; j++) b[r * (4 + dim) + 4 + j] = 1 + rng.int(255);
  }
  const f = encodeVecs(
    Float32Array.from({ length: 5 * dim }, () => rng.uniform()),
    dim,
  );
  return [
    { name: 'bvecs-read-as-fvecs', reader: 'fvecs', bytes: b, expect: { field: /dimension$|^size$/ } },
    { name: 'fvecs-read-as-bvecs', reader: 'bvecs', bytes: f, expect: { field: /dimension$|^size$/ } },
    {
      name: 'npy-read-as-fvecs',
      reader: 'fvecs',
      bytes: encodeNpy(
        Float32Array.from({ length: 5 * dim }, () => rng.uniform()),
        dim,
      ),
      expect: ANY,
    },
  ];
}
