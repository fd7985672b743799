// Issue 10, item 9: a damaged ground-truth cache is never used. Each case below writes a crafted cache
// file and expects a warning naming the file and what is wrong, then exactly the recomputed answer.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom, datasetHash, loadDataset, sealCacheFile, type LoadedDataset } from '@hnswlab/datasets';
import { CASE_BYTES, CASE_MS, bounded } from './bounded.js';
import { cacheDir, groundTruth, type GroundTruth } from '../src/index.js';

const SEED = Number(process.env.HNSWLAB_CORPUS_SEED ?? 20_250_610);
const FLIPS = Number(process.env.HNSWLAB_CORPUS_FLIPS ?? 40);
const K = 5;

let data: LoadedDataset;
let hash: string;
let file: string;
let fresh: GroundTruth;

beforeAll(async () => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-gt-cache-'));
  data = await loadDataset('clustered', { n: 60, dim: 4, queries: 8, seed: 3 });
  hash = datasetHash(data.dim, data.base, data.queries);
  file = join(cacheDir(), `gt-${hash}-l2-q${data.queryCount}-k${K}.bin`);
  fresh = await groundTruth(data, hash, 'l2', K, { cache: false });
});

/** Write `bytes` as the cache, read the ground truth back, and return it with the warnings it gave and its cost. */
async function withCache(bytes: Uint8Array): Promise<{ gt: GroundTruth; warnings: string[]; ms: number; bytes: number }> {
  writeFileSync(file, bytes);
  const warnings: string[] = [];
  const r = await bounded(() => groundTruth(data, hash, 'l2', K, { warn: (m) => warnings.push(m) }));
  if (r.error !== undefined) throw r.error;
  return { gt: r.value!, warnings, ms: r.ms, bytes: r.bytes };
}

function sealed(ids: Int32Array, distances: Float32Array, fields = [data.queryCount, K, data.n]): Uint8Array {
  return sealCacheFile('HGT2', fields, [new Uint8Array(ids.buffer), new Uint8Array(distances.buffer)]);
}

describe('the ground-truth cache', () => {
  it('is written with its shape and checksum, and read back without a warning', async () => {
    const warnings: string[] = [];
    const first = await groundTruth(data, hash, 'l2', K, { warn: (m) => warnings.push(m) });
    expect(first.source).toBe('computed');
    expect(readFileSync(file).toString('latin1', 0, 4)).toBe('HGT2');
    const again = await groundTruth(data, hash, 'l2', K, { warn: (m) => warnings.push(m) });
    expect(again.source).toBe('cache');
    expect(again.ids).toEqual(fresh.ids);
    expect(again.distances).toEqual(fresh.distances);
    expect(warnings).toEqual([]);
  });

  it('recomputes a bit-flipped cache with a warning instead of scoring NaN distances', async () => {
    const good = sealed(fresh.ids, fresh.distances);
    const flipped = Buffer.from(good);
    flipped[good.length - 2] ^= 0x7f; // the last distance's exponent: NaN or a wrong number
    const r = await withCache(flipped);
    expect(r.gt.source).toBe('computed');
    expect(r.gt.distances).toEqual(fresh.distances);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(
      new RegExp(
        `^${file}: checksum is [0-9a-f]{8}; expected [0-9a-f]{8} as stored \\(the file is damaged\\); recomputing the ground truth$`,
      ),
    );
    // rewritten: read back quietly
    const warnings: string[] = [];
    expect((await groundTruth(data, hash, 'l2', K, { warn: (m) => warnings.push(m) })).source).toBe('cache');
    expect(warnings).toEqual([]);
  });

  it('replaces a cache in the earlier unchecked format quietly', async () => {
    const old = Buffer.alloc(12 + data.queryCount * K * 8);
    old.writeUInt32LE(0x48475431, 0); // "HGT1"
    old.writeUInt32LE(data.queryCount, 4);
    old.writeUInt32LE(K, 8);
    const r = await withCache(old);
    expect(r.gt.source).toBe('computed');
    expect(r.warnings).toEqual([]);
    expect(readFileSync(file).toString('latin1', 0, 4)).toBe('HGT2');
  });

  it('checks ids and distances even when the checksum matches (a writer bug)', async () => {
    const ids = Int32Array.from(fresh.ids);
    ids[7] = data.n;
    expect((await withCache(sealed(ids, fresh.distances))).warnings).toEqual([
      `${file}: id 7 is ${data.n}; expected a base row in 0..${data.n - 1}; recomputing the ground truth`,
    ]);
    const distances = Float32Array.from(fresh.distances);
    distances[3] = NaN;
    expect((await withCache(sealed(fresh.ids, distances))).warnings).toEqual([
      `${file}: distance 3 is NaN; expected a finite number; recomputing the ground truth`,
    ]);
  });

  it('survives a corpus of damaged caches: each warned about and recomputed exactly, none used, within 2 s and 64 MiB', async () => {
    const rng = new SeededRandom(SEED);
    const good = sealed(fresh.ids, fresh.distances);
    const cases: Array<[string, Uint8Array]> = [];
    for (let cut = 0; cut < good.length; cut += 1 + rng.int(24)) cases.push([`cut at ${cut}`, good.subarray(0, cut)]);
    cases.push(['one byte more', Buffer.concat([good, Buffer.from([0])])]);
    for (const [name, fields] of [
      ['queries 2^31', [2 ** 31, K, data.n]],
      ['k 0', [data.queryCount, 0, data.n]],
      ['base rows 0xFFFFFFFF', [data.queryCount, K, 0xffffffff]],
      ['queries + 1', [data.queryCount + 1, K, data.n]],
    ] as const)
      cases.push([`header says ${name}`, sealed(fresh.ids, fresh.distances, [...fields])]);
    for (let i = 0; i < FLIPS * 4; i++) {
      const b = Buffer.from(good);
      const bits = 1 + rng.int(3);
      for (let j = 0; j < bits; j++) b[rng.int(b.length)] ^= 1 << rng.int(8);
      cases.push([`${bits} bit flips #${i}`, b]);
    }
    const failures: string[] = [];
    for (const [name, bytes] of cases) {
      const r = await withCache(bytes);
      const wrong =
        r.ms > CASE_MS
          ? `took ${Math.round(r.ms)} ms`
          : r.bytes > CASE_BYTES
            ? `grew memory by ${(r.bytes / 2 ** 20).toFixed(1)} MiB`
            : r.gt.source !== 'computed'
              ? `used the damaged cache (${r.gt.source})`
              : r.warnings.length !== 1 || !r.warnings[0].startsWith(`${file}: `)
                ? `warned ${JSON.stringify(r.warnings)}`
                : !(r.gt.ids.every((v, i) => v === fresh.ids[i]) && r.gt.distances.every((v, i) => v === fresh.distances[i]))
                  ? 'recomputed something else'
                  : undefined;
      if (wrong) failures.push(`${name}: ${wrong}`);
    }
    console.info(`[ground-truth cache] seed ${SEED}: ${cases.length} damaged caches, each warned about and recomputed`);
    expect(failures).toEqual([]);
    expect(existsSync(file)).toBe(true);
  });
});
