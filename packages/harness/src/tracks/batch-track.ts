import { HnswIndex } from '@hnswlab/core';
import { indexOptions } from '../index-options.js';
import { recallByDistance, type LoadedDataset } from '@hnswlab/datasets';
import type { GroundTruth } from '../ground-truth.js';
import { SEARCH_PASSES } from '../measure-search.js';
import { loadPeer } from '../peers/load-peer.js';
import type { PeerIndex } from '../peers/peer.js';
import type { TrackContext } from './run-track.js';
import type { BatchSeries, BatchTrackResult } from './track-result.js';

/**
 * QPS of the whole query set answered at once, against threads: ours with searchBatch (workers over
 * the shared graph; 1 thread answers in the calling thread), beside a plain search() loop, usearch's
 * multi-threaded search and hnswlib-node's one-query search (it has no batch call). Each figure is the
 * best of the timed passes, after one untimed call that starts the workers; recall is checked on
 * every series, so a faster batch that answers worse shows.
 */
export async function measureBatchTrack(ctx: TrackContext): Promise<Pick<BatchTrackResult, 'build' | 'series' | 'peerNotes'>> {
  const { spec, kernel, prepared } = ctx;
  const { data, gt } = prepared;
  const nq = data.queryCount;
  const threads = [...new Set(spec.threads)].sort((a, b) => a - b);
  const series: BatchSeries[] = [];
  const peerNotes: string[] = [];
  const index = new HnswIndex(indexOptions(spec, data.dim, kernel, ctx.boundary));
  let build: BatchTrackResult['build'];
  try {
    const b0 = performance.now();
    await index.addBatch(data.base, { strategy: spec.strategy, threads: ctx.buildThreads });
    const seconds = (performance.now() - b0) / 1000;
    build = { seconds, vectorsPerSecond: data.n / seconds, threads: index.lastBatchReport()?.threads ?? 1 };
    ctx.log(`batch: built ${data.n} vectors in ${seconds.toFixed(1)} s`);
    for (const ef of spec.ef) {
      const loop = await timed(nq, () => {
        const distances = new Float32Array(nq * spec.k).fill(Infinity);
        for (let q = 0; q < nq; q++) distances.set(index.search(row(data, q), spec.k, { ef }).distances, q * spec.k);
        return distances;
      });
      series.push(line('search() loop', 'hnswlab', ef, [{ threads: 1, ...loop, recall: recall(loop.distances, gt, spec.k, nq) }]));
      await index.searchBatch(data.queries, spec.k, { ef, threads: threads[threads.length - 1] });
      const points = [];
      for (const t of threads) {
        const r = await timedAsync(nq, async () => (await index.searchBatch(data.queries, spec.k, { ef, threads: t })).distances);
        points.push({ threads: t, qps: r.qps, recall: recall(r.distances, gt, spec.k, nq) });
      }
      series.push(line('searchBatch', 'hnswlab', ef, points));
    }
  } finally {
    index.dispose();
  }
  for (const name of spec.peers) {
    let peer;
    try {
      peer = await loadPeer(name);
    } catch (err) {
      peerNotes.push((err as Error).message);
      continue;
    }
    const built: PeerIndex = peer.build(data.base, data.n, {
      dim: data.dim,
      metric: spec.metric,
      M: spec.M,
      efConstruction: spec.efConstruction,
      threads: Math.min(ctx.buildThreads, peer.maxThreads),
      seed: spec.seed,
    });
    try {
      for (const ef of spec.ef) {
        built.setEf(ef);
        if (built.searchBatch) {
          const points = [];
          for (const t of threads) {
            const r = await timed(nq, () => built.searchBatch!(data.queries, spec.k, t).distances);
            points.push({ threads: t, qps: r.qps, recall: recall(r.distances, gt, spec.k, nq) });
          }
          series.push(line(`${name} ${peer.version} batch search`, name, ef, points));
        } else {
          const r = await timed(nq, () => {
            const distances = new Float32Array(nq * spec.k).fill(Infinity);
            for (let q = 0; q < nq; q++) {
              const d = built.search(row(data, q), spec.k).distances;
              for (let i = 0; i < Math.min(spec.k, d.length); i++) distances[q * spec.k + i] = d[i];
            }
            return distances;
          });
          series.push(
            line(`${name} ${peer.version} one-query loop`, name, ef, [
              { threads: 1, qps: r.qps, recall: recall(r.distances, gt, spec.k, nq) },
            ]),
          );
          peerNotes.push(`${name} has no multi-threaded search: its one-query loop on 1 thread is shown`);
        }
      }
      ctx.log(`batch: ${name} done`);
    } finally {
      built.dispose();
    }
  }
  return { build, series, peerNotes: [...new Set(peerNotes)] };
}

function row(data: LoadedDataset, q: number): Float32Array {
  return data.queries.subarray(q * data.dim, (q + 1) * data.dim);
}

function line(
  name: string,
  library: BatchSeries['library'],
  ef: number,
  points: Array<{ threads: number; qps: number; recall: number }>,
): BatchSeries {
  const one = points.find((p) => p.threads === 1)?.qps ?? points[0].qps;
  return { name, library, ef, points: points.map((p) => ({ ...p, speedup: p.qps / one })) };
}

/** Mean recall@k of flat results (k per query) by distance. */
function recall(distances: Float32Array, gt: GroundTruth, k: number, nq: number): number {
  let sum = 0;
  for (let q = 0; q < nq; q++)
    sum += recallByDistance(
      { distances: distances.subarray(q * k, q * k + k) },
      { distances: gt.distances.subarray(q * gt.k, q * gt.k + k) },
      k,
    );
  return sum / nq;
}

/** Best QPS of the timed passes of a synchronous answer to the whole set, and the first pass's distances. */
async function timed(nq: number, run: () => Float32Array): Promise<{ qps: number; distances: Float32Array }> {
  return timedAsync(nq, async () => run());
}

async function timedAsync(nq: number, run: () => Promise<Float32Array>): Promise<{ qps: number; distances: Float32Array }> {
  let best = Infinity;
  let distances: Float32Array | undefined;
  for (let p = 0; p < SEARCH_PASSES; p++) {
    const t0 = performance.now();
    const d = await run();
    best = Math.min(best, performance.now() - t0);
    distances ??= d;
  }
  return { qps: nq / (best / 1000), distances: distances! };
}
