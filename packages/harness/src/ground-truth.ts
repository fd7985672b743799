import { join } from 'node:path';
import { BruteForceIndex, type Metric } from '@hnswlab/core';
import type { CacheWarn, LoadedDataset } from '@hnswlab/datasets';
import { cacheDir, checkNeighborIds, emitCacheWarning, openCacheFile, sealCacheFile, writeCacheFile } from '@hnswlab/datasets';
import { fastestKernel } from './load-kernel.js';

/** Exact k nearest neighbours of every query: row-major ids and distances (queries × k), nearest first. */
export interface GroundTruth {
  readonly k: number;
  readonly ids: Int32Array;
  readonly distances: Float32Array;
  /** 'computed' now, read from the on-disk 'cache', or taken from the dataset's 'file'. */
  readonly source: 'computed' | 'cache' | 'file';
  /** The kernel that computed it (for 'computed' and 'cache'). */
  readonly kernel?: string;
}

const CACHE_TAG = 'HGT2';
// The format before (no checksum, no base size): uint32 0x48475431 little-endian. Such files are
// recomputed and replaced quietly; they are not damaged, only old.
const LEGACY_TAG = '1TGH';

/**
 * Exact neighbours for `data` under `metric`, cached on disk by dataset hash (cacheDir()/gt-*.bin) so
 * a second run reads them back. Computed by brute force with the fastest kernel that loads. When the
 * file ships its own neighbours for the whole base (ann-benchmarks `neighbors`, a .ivecs), their
 * distances are recomputed here and used instead.
 *
 * The cache holds the shape (queries, k, base rows) and a CRC-32: a cache that fails a check (another
 * shape, a flipped bit, an id outside the base, a non-finite distance) is reported through `warn`
 * (default: a process warning) and recomputed, never used.
 */
export async function groundTruth(
  data: LoadedDataset,
  hash: string,
  metric: Metric,
  k: number,
  options: { cache?: boolean; warn?: CacheWarn } = {},
): Promise<GroundTruth> {
  const nq = data.queryCount;
  if (data.neighbors && data.neighborsK && data.neighborsK >= k && (!data.fileMetric || sameMetric(data.fileMetric, metric))) {
    return fromFileNeighbors(data, metric, k);
  }
  const file = join(cacheDir(), `gt-${hash}-${metric}-q${nq}-k${k}.bin`);
  if (options.cache !== false) {
    const cached = readCache(file, nq, k, data.n, options.warn ?? emitCacheWarning);
    if (cached) return cached;
  }
  const kernel = await fastestKernel();
  const oracle = new BruteForceIndex({ dim: data.dim, metric, kernel, capacity: data.n });
  oracle.addBatch(data.base);
  const ids = new Int32Array(nq * k);
  const distances = new Float32Array(nq * k);
  for (let q = 0; q < nq; q++) {
    const r = oracle.search(data.queries.subarray(q * data.dim, (q + 1) * data.dim), k);
    ids.set(r.ids, q * k);
    distances.set(r.distances, q * k);
  }
  const gt: GroundTruth = { k, ids, distances, source: 'computed', kernel: kernel.name };
  if (options.cache !== false) writeCache(file, gt, nq, data.n);
  return gt;
}

function sameMetric(fileMetric: string, metric: Metric): boolean {
  const f = fileMetric.toLowerCase();
  if (metric === 'l2') return f === 'euclidean' || f === 'l2';
  return f === 'angular' || f === 'cosine' || f === 'ip' || f === 'dot';
}

function fromFileNeighbors(data: LoadedDataset, metric: Metric, k: number): GroundTruth {
  const dim = data.dim,
    nq = data.queryCount,
    fk = data.neighborsK!;
  // loadDataset checked these already; a dataset built by hand may not have been
  checkNeighborIds(data.id, 'neighbors', data.neighbors!, nq, fk, data.n);
  const ids = new Int32Array(nq * k);
  const distances = new Float32Array(nq * k);
  const norm = (v: Float32Array, off: number) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[off + j] * v[off + j];
    return Math.sqrt(s) || 1;
  };
  for (let q = 0; q < nq; q++) {
    const qo = q * dim;
    const qn = metric === 'cosine' ? norm(data.queries, qo) : 1;
    for (let i = 0; i < k; i++) {
      const id = data.neighbors![q * fk + i];
      const bo = id * dim;
      let d = 0;
      if (metric === 'l2') {
        for (let j = 0; j < dim; j++) {
          const t = data.queries[qo + j] - data.base[bo + j];
          d += t * t;
        }
      } else {
        for (let j = 0; j < dim; j++) d += data.queries[qo + j] * data.base[bo + j];
        d = 1 - (metric === 'cosine' ? d / (qn * norm(data.base, bo)) : d);
      }
      ids[q * k + i] = id;
      distances[q * k + i] = d;
    }
  }
  return { k, ids, distances, source: 'file' };
}

function readCache(file: string, nq: number, k: number, n: number, warn: CacheWarn): GroundTruth | undefined {
  const c = openCacheFile(
    file,
    CACHE_TAG,
    [
      ['queries', nq],
      ['k', k],
      ['base rows', n],
    ],
    () => nq * k * 8,
    [LEGACY_TAG],
  );
  if (!c) return undefined;
  let gt: GroundTruth | undefined;
  let problem: string | undefined;
  if ('problem' in c) problem = c.problem;
  else {
    const ids = new Int32Array(c.body.buffer, c.body.byteOffset, nq * k);
    const distances = new Float32Array(c.body.buffer, c.body.byteOffset + nq * k * 4, nq * k);
    gt = { k, ids, distances, source: 'cache' };
    problem = contentProblem(gt, n);
  }
  if (problem === undefined) return gt;
  warn(`${file}: ${problem}; recomputing the ground truth`);
  return undefined;
}

/** After the checksum, only a writer's bug can fail these; checked anyway because recall silently depends on them. */
function contentProblem(gt: GroundTruth, n: number): string | undefined {
  for (let i = 0; i < gt.ids.length; i++) {
    if (!(gt.ids[i] >= 0 && gt.ids[i] < n)) return `id ${i} is ${gt.ids[i]}; expected a base row in 0..${n - 1}`;
    if (!Number.isFinite(gt.distances[i])) return `distance ${i} is ${gt.distances[i]}; expected a finite number`;
  }
  return undefined;
}

function writeCache(file: string, gt: GroundTruth, nq: number, n: number): void {
  // A read-only cache only costs recomputation next time.
  writeCacheFile(
    file,
    sealCacheFile(
      CACHE_TAG,
      [nq, gt.k, n],
      [
        new Uint8Array(gt.ids.buffer, gt.ids.byteOffset, gt.ids.byteLength),
        new Uint8Array(gt.distances.buffer, gt.distances.byteOffset, gt.distances.byteLength),
      ],
    ),
  );
}
