import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { HnswIndex, IndexFileError, STORES, type DistanceKernel, type VectorStore } from '@hnswlab/core';
import { graphFingerprint } from '@hnswlab/core/testing';
import { clusteredSet, SeededRandom } from '@hnswlab/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelLoad } from './load-kernel.js';

/** What search can see: ids and distances for a few queries, and the index's counts. */
function answers(index: HnswIndex, queries: Float32Array, dim: number): unknown {
  const out = [];
  for (let q = 0; q < 10; q++) {
    const r = index.search(queries.subarray(q * dim, (q + 1) * dim), 10, { ef: 40 });
    out.push([Array.from(r.ids), Array.from(r.distances)]);
  }
  return { size: index.size, out };
}

function sameIds(b: HnswIndex, a: HnswIndex, queries: Float32Array, dim: number, what: string): void {
  for (let q = 0; q < 10; q++) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const x = a.search(query, 10, { ef: 40 }),
      y = b.search(query, 10, { ef: 40 });
    expect(Array.from(y.ids), `${what} query ${q}`).toEqual(Array.from(x.ids));
    y.distances.forEach((d, i) =>
      expect(Math.abs(d - x.distances[i]), `${what} query ${q} rank ${i}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(d))),
    );
  }
}

/**
 * Saving and loading through one kernel, and across kernels (saved with this one, loaded with the
 * reference, and back): the same answers, the same graph, and a loaded index that continues exactly
 * as the saved one would have. Then a seeded fuzz of truncations and bit flips: every damaged file is
 * refused with an IndexFileError naming its section, or (a flip in nothing that matters) loads into
 * exactly the saved index; never a crash, a hang or a wrong index.
 */
export function persistenceSuite(label: string, load: Promise<KernelLoad>, reference: Promise<KernelLoad>): void {
  describe(`persistence: ${label}`, async () => {
    const [{ kernel, reason }, ref] = await Promise.all([load, reference]);
    if (!kernel || !ref.kernel) {
      it.skip(`skipped: ${reason ?? ref.reason}`, () => {});
      return;
    }
    const k: DistanceKernel = kernel,
      r: DistanceKernel = ref.kernel;
    const dim = 24;
    const data = clusteredSet({ n: 2000, dim, queries: 10, seed: 5 });
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-persist-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const build = async (metric: string, kernelOf = k, n = 1200) => {
      const index = new HnswIndex({ dim, metric, M: 8, efConstruction: 48, kernel: kernelOf, seed: 9 });
      await index.addBatch(data.base.subarray(0, n * dim));
      for (let id = 0; id < n; id += 17) index.remove(id);
      return index;
    };

    for (const metric of ['l2', 'ip', 'cosine'].filter((m) => k.metrics.includes(m))) {
      it(`${metric}: save, then load with ${k.name} and with ${r.name}: the same graph and answers`, async () => {
        const a = await build(metric);
        const file = join(dir, `${metric}.hnsw`);
        const { bytes } = await a.save(file);
        expect(readFileSync(file).byteLength).toBe(bytes);
        for (const kernelOf of [k, r]) {
          const b = await HnswIndex.load(file, { kernel: kernelOf });
          expect(graphFingerprint(b), kernelOf.name).toEqual(graphFingerprint(a));
          expect(b.check().problems).toEqual([]);
          // The same kernel answers bit for bit; another rounds distances its own way (float32 sums in
          // another order): the same ids, distances within the metric's float32 tolerance.
          if (kernelOf === k) expect(answers(b, data.queries, dim)).toEqual(answers(a, data.queries, dim));
          else sameIds(b, a, data.queries, dim, kernelOf.name);
          b.dispose();
        }
      });
    }

    it('a loaded index continues as the saved one would have (same ids, levels and graph as one built in one go)', async () => {
      const whole = await build('l2', k, 1200);
      const saved = await build('l2', k, 1200);
      const loaded = HnswIndex.deserialize(saved.serialize(), { kernel: k });
      for (const index of [whole, loaded]) {
        await index.addBatch(data.base.subarray(1200 * dim), { strategy: 'batched' });
        index.add(data.base.subarray(0, dim));
        index.remove(1300);
      }
      expect(graphFingerprint(loaded)).toEqual(graphFingerprint(whole));
      expect(answers(loaded, data.queries, dim)).toEqual(answers(whole, data.queries, dim));
    });

    it('save waits for queued batches; a failed save leaves the old file and no temporary file', async () => {
      const a = await build('l2', k, 600);
      const file = join(dir, 'queued.hnsw');
      await a.save(file);
      const before = readFileSync(file);
      const pending = a.addBatch(data.base.subarray(600 * dim, 900 * dim));
      const saved = a.save(file);
      await pending;
      await saved;
      expect(HnswIndex.deserialize(readFileSync(file), { kernel: k }).size).toBe(a.size);
      expect(readFileSync(file).equals(before)).toBe(false);
      await expect(a.save(join(dir, 'no-such-dir', 'x.hnsw'))).rejects.toThrow(/ENOENT/);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('an empty index and a one-row index round-trip', () => {
      const empty = new HnswIndex({ dim, kernel: k });
      const e = HnswIndex.deserialize(empty.serialize(), { kernel: k });
      expect(e.size).toBe(0);
      expect(e.search(data.queries.subarray(0, dim), 3).ids.length).toBe(0);
      const one = new HnswIndex({ dim, kernel: k });
      one.add(data.base.subarray(0, dim), 77);
      const o = HnswIndex.deserialize(one.serialize(), { kernel: k });
      expect(Array.from(o.search(data.queries.subarray(0, dim), 3).ids)).toEqual([77]);
    });

    it('bad input: not bytes, wrong magic, a future version, a missing kernel', () => {
      const bytes = new HnswIndex({ dim, kernel: k }).serialize();
      expect(() => HnswIndex.deserialize('x' as unknown as Uint8Array, { kernel: k })).toThrow(/needs a Uint8Array/);
      const magic = bytes.slice();
      magic[0] ^= 0xff;
      expect(() => HnswIndex.deserialize(magic, { kernel: k })).toThrow(/header: not an hnswlab index file/);
      const future = bytes.slice();
      future[8] = 9;
      expect(() => HnswIndex.deserialize(future, { kernel: k })).toThrow(/format version 9.*newer/);
      expect(() => HnswIndex.deserialize(bytes, {} as never)).toThrow(/needs \{ kernel \}/);
    });

    it('crafted files with valid checksums: every lie is caught by what it contradicts, naming the section', async () => {
      const small = new HnswIndex({ dim: 8, M: 4, efConstruction: 16, kernel: k, seed: 2 });
      await small.addBatch(data.base.subarray(0, 200 * 8));
      const good = unpack(small.serialize());
      const meta = JSON.parse(new TextDecoder().decode(good.get('meta'))) as Record<string, unknown>;
      const withMeta = (patch: Record<string, unknown>) =>
        new Map([...good, ['meta', new TextEncoder().encode(JSON.stringify({ ...meta, ...patch }))]]);
      const withSection = (name: string, edit: (v: DataView, b: Uint8Array) => void) => {
        const b = good.get(name)!.slice();
        edit(new DataView(b.buffer), b);
        return new Map([...good, [name, b]]);
      };
      const cases: Array<[string, Map<string, Uint8Array>, RegExp]> = [
        [
          'a count of 2^31 − 1 rows',
          withMeta({ count: 2 ** 31 - 1, live: 2 ** 31 - 1, tombstones: 0 }),
          /^levels: has \d+ bytes; 2147483647 rows of this index need/,
        ],
        ['a dimension the vectors do not have', withMeta({ dim: 9 }), /^vectors: has \d+ bytes/],
        ['an unknown metric', withMeta({ metric: 'nosuch' }), /unknown metric "nosuch"/],
        ['a future store', withMeta({ store: 'q4' }), /^meta: store "q4"/],
        ['live and tombstones that do not add up', withMeta({ live: 5 }), /^meta: live \(5\)/],
        ['M out of range', withMeta({ M: 1000 }), /^meta: M is 1000/],
        [
          'a link to a row that does not exist',
          withSection('links0', (v) => v.setInt32(4, 100000, true)),
          /^links0\/upper: .*link to 100000, not a row/,
        ],
        ['a list longer than its bound', withSection('links0', (v) => v.setInt32(0, 99, true)), /^links0\/upper: .*99 links, bound 8/],
        ['a level above 31', withSection('levels', (_, b) => (b[0] = 40)), /^levels: row 0 has level 40/],
        [
          'two live rows with one id',
          withSection('labels', (v) => v.setUint32(4, v.getUint32(0, true), true)),
          /^labels: id \d+ is held by rows 0 and 1/,
        ],
        [
          'a non-finite vector',
          withSection('vectors', (v) => v.setFloat32(0, Number.NaN, true)),
          /^vectors: row 0 has a non-finite component/,
        ],
        ['a tombstone flag of 7', withSection('deleted', (_, b) => (b[3] = 7)), /^deleted: row 3 has tombstone flag 7/],
        [
          'an upper list outside the pool',
          withSection('upoff', (v) => v.setInt32(4 * firstUpper(small), 1e6, true)),
          /^upoff: row \d+: lists at 1000000/,
        ],
        ['an id at or above the next id', withMeta({ nextId: 10 }), /^labels: row 10 holds id 10, not below the next id 10/],
      ];
      for (const [what, sections, message] of cases) {
        const t0 = performance.now();
        expect(() => HnswIndex.deserialize(pack(sections), { kernel: k }), what).toThrow(message);
        expect(performance.now() - t0, what).toBeLessThan(2000);
      }
    });

    it(`fuzz: seeded truncations and bit flips of a saved index are refused, or load exactly`, { timeout: 300_000 }, async () => {
      const small = new HnswIndex({ dim: 8, M: 4, efConstruction: 16, kernel: k, seed: 2 });
      await small.addBatch(data.base.subarray(0, 300 * 8));
      small.remove(3);
      const good = small.serialize();
      writeFileSync(join(dir, 'fuzz.hnsw'), good);
      const truth = JSON.stringify(graphFingerprint(small));
      const rng = new SeededRandom(Number(process.env.HNSWLAB_FUZZ_SEED ?? 11));
      const cases = Number(process.env.HNSWLAB_FUZZ_CASES ?? 2000);
      const outcomes = { refused: 0, exact: 0 };
      for (let c = 0; c < cases; c++) {
        let bytes: Uint8Array;
        if (c % 4 === 0) bytes = good.subarray(0, rng.int(good.byteLength));
        else {
          bytes = good.slice();
          for (let f = 0, flips = 1 + (c % 3); f < flips; f++) bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
        }
        const t0 = performance.now();
        try {
          const loaded = HnswIndex.deserialize(bytes, { kernel: k });
          expect(JSON.stringify(graphFingerprint(loaded)), `case ${c} loaded a different index`).toBe(truth);
          loaded.dispose();
          outcomes.exact++;
        } catch (err) {
          if (!(err instanceof IndexFileError)) throw new Error(`case ${c}: not an IndexFileError: ${String(err)}`, { cause: err });
          outcomes.refused++;
        }
        expect(performance.now() - t0, `case ${c} took too long`).toBeLessThan(2000);
      }
      console.info(
        `[${k.name}] fuzz: ${cases} damaged files, ${outcomes.refused} refused with the section named, ${outcomes.exact} loaded exactly`,
      );
      expect(outcomes.refused).toBeGreaterThan(cases * 0.9);
    });

    describe('quantised stores', () => storeFiles(k, r, dir));
  });
}

/**
 * Quantised stores in files: codes, quantiser and kept rows saved and loaded (by this kernel and the
 * reference: i8 and b1 answer bit for bit across kernels, their arithmetic being exact), a learned
 * quantiser that survives a reload, each store's sections checked as the others are, and a file of a
 * store this kernel does not implement refused with a clear error.
 */
function storeFiles(k: DistanceKernel, r: DistanceKernel, dir: string): void {
  const dim = 24;
  const data = clusteredSet({ n: 1500, dim, queries: 10, seed: 6 });
  const lists = (kernel: DistanceKernel, store: VectorStore) => (kernel.stores ?? ['f32']).includes(store);
  const build = async (kernel: DistanceKernel, store: VectorStore, keep: boolean, metric = 'l2', n = 1000) => {
    const index = new HnswIndex({ dim, metric, M: 8, efConstruction: 48, kernel, seed: 4, store, keepFullPrecision: keep });
    await index.addBatch(data.base.subarray(0, n * dim));
    for (let id = 0; id < n; id += 13) index.remove(id);
    return index;
  };
  const answersOf = (index: HnswIndex, rerank?: number) => {
    const out = [];
    for (let q = 0; q < 10; q++) {
      const res = index.search(data.queries.subarray(q * dim, (q + 1) * dim), 10, { ef: 40, rerank });
      out.push([Array.from(res.ids), Array.from(res.distances)]);
    }
    return out;
  };

  for (const store of STORES.filter((s) => s !== 'f32' && lists(r, s))) {
    if (!lists(k, store)) {
      it(`${store}: a file of a store ${k.name} does not implement is refused with a clear error`, async () => {
        const a = await build(r, store, false);
        expect(() => HnswIndex.deserialize(a.serialize(), { kernel: k })).toThrow(new RegExp(`does not implement store '${store}'`));
      });
      continue;
    }
    for (const keep of [false, true]) {
      for (const metric of ['l2', 'ip', 'cosine'].filter((m) => k.metrics.includes(m))) {
        it(`${store}${keep ? ' with float32 rows kept' : ''}, ${metric}: saved by ${k.name}, loaded by ${k.name} and ${r.name}: the same graph and answers`, async () => {
          const a = await build(k, store, keep, metric);
          const file = join(dir, `${store}-${keep}-${metric}.hnsw`);
          await a.save(file);
          for (const kernelOf of [k, r]) {
            const b = await HnswIndex.load(file, { kernel: kernelOf });
            expect(b.store).toBe(store);
            expect(b.keepFullPrecision).toBe(keep);
            expect(graphFingerprint(b), kernelOf.name).toEqual(graphFingerprint(a));
            expect(b.check().problems).toEqual([]);
            expect(b.stats().clamped).toBe(a.stats().clamped);
            for (let id = 1; id < 1000; id += 100) expect(Array.from(b.get(id)), `get(${id})`).toEqual(Array.from(a.get(id)));
            // f16 distances are float32 sums, rounded by each kernel its own way; i8 and b1 are exact everywhere.
            if (kernelOf === k || store !== 'f16') expect(answersOf(b), kernelOf.name).toEqual(answersOf(a));
            else sameIds(b, a, data.queries, dim, kernelOf.name);
            if (keep) {
              const x = answersOf(a, 3),
                y = answersOf(b, 3);
              expect(
                y.map(([ids]) => ids),
                `${kernelOf.name} reranked`,
              ).toEqual(x.map(([ids]) => ids));
            } else expect(() => b.search(data.queries.subarray(0, dim), 5, { rerank: 2 })).toThrow(/rerank needs float32 rows/);
            b.dispose();
          }
        });
      }
    }

    it(`${store}: a loaded index continues as the saved one would have, with the quantiser it learned`, async () => {
      const whole = await build(k, store, false, 'l2', 800);
      const saved = await build(k, store, false, 'l2', 800);
      const loaded = HnswIndex.deserialize(saved.serialize(), { kernel: k });
      for (const index of [whole, loaded]) {
        await index.addBatch(data.base.subarray(800 * dim), { strategy: 'batched' });
        index.remove(900);
      }
      expect(graphFingerprint(loaded)).toEqual(graphFingerprint(whole));
      expect(answersOf(loaded)).toEqual(answersOf(whole));
      expect(loaded.stats().clamped).toBe(whole.stats().clamped);
      // An index saved before its first row has no quantiser yet: the loaded one learns it from its first batch.
      const empty = HnswIndex.deserialize(new HnswIndex({ dim, M: 8, efConstruction: 48, kernel: k, seed: 4, store }).serialize(), {
        kernel: k,
      });
      await empty.addBatch(data.base.subarray(0, 1000 * dim));
      for (let id = 0; id < 1000; id += 13) empty.remove(id);
      expect(answersOf(empty)).toEqual(answersOf(await build(k, store, false)));
    });
  }

  if (!lists(k, 'i8')) return;
  it('crafted quantised files with valid checksums: codes out of range, a bad quantiser, sections that do not belong', async () => {
    const craft = async (store: VectorStore, keep: boolean) => {
      const index = new HnswIndex({ dim: 40, M: 4, efConstruction: 16, kernel: k, seed: 2, store, keepFullPrecision: keep });
      await index.addBatch(clusteredSet({ n: 100, dim: 40, queries: 1, seed: 3 }).base);
      return unpack(index.serialize());
    };
    const i8 = await craft('i8', false),
      f16 = await craft('f16', false),
      b1 = await craft('b1', true);
    const edit = (file: Map<string, Uint8Array>, name: string, change: (b: Uint8Array, v: DataView) => void) => {
      const b = file.get(name)!.slice();
      change(b, new DataView(b.buffer));
      return new Map([...file, [name, b]]);
    };
    const meta = (file: Map<string, Uint8Array>, patch: Record<string, unknown>) => {
      const m = JSON.parse(new TextDecoder().decode(file.get('meta'))) as Record<string, unknown>;
      return new Map([...file, ['meta', new TextEncoder().encode(JSON.stringify({ ...m, ...patch }))]]);
    };
    const without = (file: Map<string, Uint8Array>, name: string) => new Map([...file].filter(([n]) => n !== name));
    const cases: Array<[string, Uint8Array, RegExp]> = [
      [
        'an i8 code of −128',
        pack(
          edit(i8, 'codes', (b) => (b[45] = 0x80)),
          2,
        ),
        /^codes: row 1 has code −128 \(component 5\)/,
      ],
      [
        'an f16 NaN',
        pack(
          edit(f16, 'codes', (_, v) => v.setUint16(6, 0x7e00, true)),
          2,
        ),
        /^codes: row 0 has a non-finite half \(component 3\)/,
      ],
      [
        'b1 padding bits',
        pack(
          edit(b1, 'codes', (_, v) => v.setUint32(4, 1 << 20, true)),
          2,
        ),
        /^codes: row 0 has padding bits set/,
      ],
      [
        'a NaN centre',
        pack(
          edit(i8, 'quant', (_, v) => v.setFloat32(8, Number.NaN, true)),
          2,
        ),
        /^quant: quantiser\.centre\[1\] is NaN/,
      ],
      [
        'a zero scale',
        pack(
          edit(i8, 'quant', (_, v) => v.setFloat32(0, 0, true)),
          2,
        ),
        /^quant: quantiser\.scale must be a finite number > 0/,
      ],
      ['no quantiser section', pack(without(i8, 'quant'), 2), /section 'quant' is missing/],
      [
        'rows but no quantiser',
        pack(meta(without(i8, 'quant'), { quantiser: false }), 2),
        /^meta: 100 rows of store 'i8' but no quantiser/,
      ],
      ['kept rows the meta does not mention', pack(meta(b1, { keepFullPrecision: false }), 2), /section 'vectors' does not belong/],
      ['no keepFullPrecision', pack(meta(i8, { keepFullPrecision: undefined }), 2), /^meta: keepFullPrecision is undefined/],
      ['a quantised store in a version-1 file', pack(i8, 1), /^meta: store 'i8' in a version 1 file/],
      ['codes of the wrong length', pack(new Map([...i8, ['codes', i8.get('codes')!.subarray(40)]]), 2), /^codes: has 3960 bytes/],
    ];
    for (const [what, file, message] of cases) expect(() => HnswIndex.deserialize(file, { kernel: k }), what).toThrow(message);
    for (const [what, file] of cases) {
      try {
        HnswIndex.deserialize(file, { kernel: k });
      } catch (err) {
        expect(err, what).toBeInstanceOf(IndexFileError);
      }
    }
  });
}

/** The first row with upper lists (level > 0) of an index. */
function firstUpper(index: HnswIndex): number {
  const levels = graphFingerprint(index).levels;
  return levels.findIndex((l) => l > 0);
}

/** An index file's sections by name (an independent reading of FORMAT.md). */
function unpack(file: Uint8Array): Map<string, Uint8Array> {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < v.getUint32(12, true); i++) {
    const e = 64 + 32 * i;
    const name = new TextDecoder().decode(file.subarray(e, e + 8)).replace(/\0+$/, '');
    const offset = Number(v.getBigUint64(e + 8, true)),
      length = Number(v.getBigUint64(e + 16, true));
    out.set(name, file.slice(offset, offset + length));
  }
  return out;
}

/** Sections back into a file with correct checksums: a crafted file a checksum cannot catch. */
function pack(sections: Map<string, Uint8Array>, version = 1): Uint8Array {
  const align = (n: number) => Math.ceil(n / 64) * 64;
  const tableEnd = 64 + 32 * sections.size;
  let at = align(tableEnd);
  const offsets: number[] = [];
  for (const data of sections.values()) {
    offsets.push(at);
    at = align(at + data.byteLength);
  }
  const file = new Uint8Array(at);
  const v = new DataView(file.buffer);
  file.set(new TextEncoder().encode('HNSWLAB\0'), 0);
  v.setUint32(8, version, true);
  v.setUint32(12, sections.size, true);
  v.setBigUint64(16, BigInt(at), true);
  [...sections].forEach(([name, data], i) => {
    const e = 64 + 32 * i;
    file.set(new TextEncoder().encode(name), e);
    v.setBigUint64(e + 8, BigInt(offsets[i]), true);
    v.setBigUint64(e + 16, BigInt(data.byteLength), true);
    v.setUint32(e + 24, crc32(data), true);
    file.set(data, offsets[i]);
  });
  v.setUint32(24, crc32(file.subarray(28, tableEnd), crc32(file.subarray(0, 24))), true);
  return file;
}
