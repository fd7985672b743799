import { BruteForceIndex, HnswIndex } from '@hnswlab/core';
import { indexOptions } from '../index-options.js';
import { recallByDistance, SeededRandom } from '@hnswlab/datasets';
import type { TrackContext } from './run-track.js';
import type { StreamingRound, StreamingTrackResult } from './track-result.js';

/**
 * A seeded runbook in the manner of big-ann-benchmarks' streaming track: build the first half of the
 * base set, then `rounds` times delete `churn` of the live vectors (seeded, uniformly) and insert as
 * many new ones (the rest of the base in order, then deleted vectors again under new ids once the
 * base is used up), and search: recall@k over the live set at each ef, bytes per live vector, update
 * throughput, index.check(); every `freshEvery` rounds (and at the last) the same live set is built
 * from scratch with the same parameters, the yardstick for recall and memory.
 */
export async function measureStreamingTrack(ctx: TrackContext): Promise<Pick<StreamingTrackResult, 'build' | 'rounds'>> {
  const { spec, kernel, prepared } = ctx;
  const { data } = prepared;
  const dim = data.dim,
    nq = data.queryCount;
  const make = () => new HnswIndex(indexOptions(spec, dim, kernel, ctx.boundary));
  const vectorsOf = (sources: readonly number[]) => {
    const out = new Float32Array(sources.length * dim);
    sources.forEach((r, i) => out.set(data.base.subarray(r * dim, (r + 1) * dim), i * dim));
    return out;
  };
  const rng = new SeededRandom(spec.seed ^ 0x57e4);
  const half = Math.floor(data.n / 2);
  // id → the base row it holds; ids are never reused, so a re-inserted vector is a new id
  const sourceOf = new Map<number, number>();
  const unused: number[] = [];
  for (let r = half; r < data.n; r++) unused.push(r);
  let nextId = 0;
  const take = (count: number) => {
    const ids = new Uint32Array(count),
      sources: number[] = [];
    for (let i = 0; i < count; i++) {
      const r = unused.shift()!;
      sources.push(r);
      ids[i] = nextId++;
      sourceOf.set(ids[i], r);
    }
    return { ids, sources };
  };
  const index = make();
  const oracle = new BruteForceIndex({ dim, metric: spec.metric, kernel, capacity: data.n });
  const rounds: StreamingRound[] = [];
  let liveTruth: Float32Array | undefined;
  try {
    const first = Array.from({ length: half }, (_, r) => r);
    const firstIds = Uint32Array.from(first, (r) => {
      sourceOf.set(nextId, r);
      return nextId++;
    });
    const b0 = performance.now();
    await index.addBatch(vectorsOf(first), { strategy: spec.strategy, threads: ctx.buildThreads, ids: firstIds });
    const seconds = (performance.now() - b0) / 1000;
    const build = { seconds, vectorsPerSecond: half / seconds, threads: index.lastBatchReport()?.threads ?? 1 };
    oracle.addBatch(vectorsOf(first), firstIds);
    rounds.push(observe(0, 0, 0, 0));
    ctx.log(`streaming: first half (${half}) built in ${seconds.toFixed(1)} s`);

    for (let round = 1; round <= spec.rounds; round++) {
      const live = [...sourceOf.keys()];
      const count = Math.max(1, Math.round(spec.churn * live.length));
      // a seeded partial shuffle picks the ids to delete
      for (let i = 0; i < count; i++) {
        const j = i + rng.int(live.length - i);
        [live[i], live[j]] = [live[j], live[i]];
      }
      const doomed = live.slice(0, count);
      const u0 = performance.now();
      for (const id of doomed) index.remove(id);
      for (const id of doomed) unused.push(sourceOf.get(id)!);
      const { ids, sources } = take(count);
      const vectors = vectorsOf(sources);
      await index.addBatch(vectors, { strategy: spec.strategy, threads: ctx.buildThreads, ids });
      const updateSeconds = (performance.now() - u0) / 1000;
      for (const id of doomed) {
        oracle.remove(id);
        sourceOf.delete(id);
      }
      oracle.addBatch(vectors, ids);
      const r = observe(round, count, count, updateSeconds);
      if (round % spec.freshEvery === 0 || round === spec.rounds) r.fresh = await fresh();
      rounds.push(r);
      ctx.log(`streaming: round ${round} of ${spec.rounds}: recall ${r.recall.map((x) => x.recall.toFixed(3)).join('/')}`);
    }
    return { build, rounds };
  } finally {
    index.dispose();
  }

  function exactDistances(): Float32Array {
    const out = new Float32Array(nq * spec.k).fill(Infinity);
    for (let q = 0; q < nq; q++) out.set(oracle.search(data.queries.subarray(q * dim, (q + 1) * dim), spec.k).distances, q * spec.k);
    return out;
  }

  function recallOf(idx: HnswIndex, truth: Float32Array, ef: number): { recall: number; qps: number } {
    const m = Math.min(spec.k, idx.size);
    let sum = 0;
    const t0 = performance.now();
    for (let q = 0; q < nq; q++) {
      const found = idx.search(data.queries.subarray(q * dim, (q + 1) * dim), spec.k, { ef });
      sum += recallByDistance(found, { distances: truth.subarray(q * spec.k, q * spec.k + m) }, spec.k);
    }
    return { recall: sum / nq, qps: nq / ((performance.now() - t0) / 1000) };
  }

  function observe(round: number, deleted: number, inserted: number, updateSeconds: number): StreamingRound {
    const truth = (liveTruth = exactDistances());
    const s = index.stats();
    const bytes = s.bytes.vectors + s.bytes.graph + s.bytes.other;
    return {
      round,
      live: index.size,
      deleted,
      inserted,
      updateSeconds,
      updatesPerSecond: updateSeconds > 0 ? (deleted + inserted) / updateSeconds : 0,
      tombstones: s.tombstones,
      reclaimedBytes: s.reclaimedBytes,
      bytesPerLiveVector: bytes / index.size,
      recall: spec.ef.map((ef) => ({ ef, ...recallOf(index, truth, ef) })),
      checkOk: index.check().problems.length === 0,
    };
  }

  async function fresh(): Promise<NonNullable<StreamingRound['fresh']>> {
    const ids = Uint32Array.from([...sourceOf.keys()].sort((a, b) => a - b));
    const vectors = vectorsOf([...ids].map((id) => sourceOf.get(id)!));
    const again = make();
    try {
      const t0 = performance.now();
      await again.addBatch(vectors, { strategy: spec.strategy, threads: ctx.buildThreads, ids });
      const buildSeconds = (performance.now() - t0) / 1000;
      const s = again.stats();
      const truth = liveTruth!; // observe() of this round, on the same live set
      return {
        buildSeconds,
        vectorsPerSecond: ids.length / buildSeconds,
        bytesPerLiveVector: (s.bytes.vectors + s.bytes.graph + s.bytes.other) / again.size,
        recall: spec.ef.map((ef) => ({ ef, recall: recallOf(again, truth, ef).recall })),
      };
    } finally {
      again.dispose();
    }
  }
}
