import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BruteForceIndex, type Metric } from '@hnswlab/core';
import type { LoadedDataset } from '@hnswlab/datasets';
import { cacheDir } from '@hnswlab/datasets';
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

const MAGIC = 0x48475431; // "HGT1"

/**
 * Exact neighbours for `data` under `metric`, cached on disk by dataset hash (cacheDir()/gt-*.bin) so
 * a second run reads them back. Computed by brute force with the fastest kernel that loads. When the
 * file ships its own neighbours for the whole base (ann-benchmarks `neighbors`, a .ivecs), their
 * distances are recomputed here and used instead.
 */
export async function groundTruth(
  data: LoadedDataset,
  hash: string,
  metric: Metric,
  k: number,
  options: { cache?: boolean } = {},
): Promise<GroundTruth> {
  const nq = data.queryCount;
  if (data.neighbors && data.neighborsK && data.neighborsK >= k && (!data.fileMetric || sameMetric(data.fileMetric, metric))) {
    return fromFileNeighbors(data, metric, k);
  }
  const file = join(cacheDir(), `gt-${hash}-${metric}-q${nq}-k${k}.bin`);
  if (options.cache !== false) {
    const cached = readCache(file, nq, k);
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
  if (options.cache !== false) writeCache(file, gt, nq);
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

function readCache(file: string, nq: number, k: number): GroundTruth | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  if (buf.byteLength !== 12 + nq * k * 8 || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== nq || buf.readUInt32LE(8) !== k)
    return undefined;
  const body = new Uint8Array(buf.byteLength - 12);
  body.set(buf.subarray(12));
  return { k, ids: new Int32Array(body.buffer, 0, nq * k), distances: new Float32Array(body.buffer, nq * k * 4, nq * k), source: 'cache' };
}

function writeCache(file: string, gt: GroundTruth, nq: number): void {
  try {
    mkdirSync(cacheDir(), { recursive: true });
    const head = Buffer.alloc(12);
    head.writeUInt32LE(MAGIC, 0);
    head.writeUInt32LE(nq, 4);
    head.writeUInt32LE(gt.k, 8);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(
      tmp,
      Buffer.concat([
        head,
        Buffer.from(gt.ids.buffer, gt.ids.byteOffset, gt.ids.byteLength),
        Buffer.from(gt.distances.buffer, gt.distances.byteOffset, gt.distances.byteLength),
      ]),
    );
    renameSync(tmp, file);
  } catch {
    // A read-only cache only costs recomputation next time.
  }
}
