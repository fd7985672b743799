import { BruteForceIndex, HnswIndex, type SearchFilter } from '@hnswlab/core';
import { indexOptions } from '../index-options.js';
import { recallByDistance, SeededRandom, type LoadedDataset } from '@hnswlab/datasets';
import { SEARCH_PASSES } from '../measure-search.js';
import type { TrackContext } from './run-track.js';
import type { FilteredPoint, FilteredTrackResult, FilterFigures } from './track-result.js';

/** The recall the track compares filtered and unfiltered QPS at (issue 15's target). */
const RECALL = 0.95;

/**
 * Build the index once, then sweep ef without a filter and with each filter: every selectivity as a
 * random subset and as a subset correlated with the data (whole clusters of a clustered set; else a
 * seed row's nearest rows). Recall is against the exact k nearest allowed rows; the same query set
 * serves every filter.
 */
export async function measureFilteredTrack(ctx: TrackContext): Promise<Pick<FilteredTrackResult, 'build' | 'unfiltered' | 'filters'>> {
  const { spec, kernel, prepared } = ctx;
  const { data, gt } = prepared;
  const index = new HnswIndex(indexOptions(spec, data.dim, kernel, ctx.boundary));
  try {
    const b0 = performance.now();
    await index.addBatch(data.base, { strategy: spec.strategy, threads: ctx.buildThreads });
    const seconds = (performance.now() - b0) / 1000;
    const build = { seconds, vectorsPerSecond: data.n / seconds, threads: index.lastBatchReport()?.threads ?? 1 };
    ctx.log(`filtered: built ${data.n} vectors in ${seconds.toFixed(1)} s`);
    const unfiltered = sweep(index, data, spec.ef, spec.k, gt.distances, gt.k, undefined);
    const base95 = qpsAt(unfiltered, RECALL);
    const rng = new SeededRandom(spec.seed ^ 0x5eed);
    const oracle = new BruteForceIndex({ dim: data.dim, metric: spec.metric, kernel, capacity: data.n });
    oracle.addBatch(data.base);
    const filters: FilterFigures[] = [];
    for (const selectivity of spec.selectivities) {
      for (const kind of ['random', 'correlated'] as const) {
        const count = Math.max(1, Math.round(selectivity * data.n));
        const { ids, how } = kind === 'random' ? randomSubset(data.n, count, rng) : correlatedSubset(data, count, rng, oracle);
        const exact = exactAllowed(ctx, ids, spec.k);
        const points = sweep(index, data, spec.ef, spec.k, exact, spec.k, index.createFilter(bitset(ids, data.n)), ids.length);
        const at95 = qpsAt(points, RECALL);
        filters.push({
          kind,
          selectivity,
          allowed: ids.length,
          how,
          points,
          qpsAt95: at95,
          unfilteredQpsAt95: base95,
          ratioAt95: at95 !== null && base95 !== null ? at95 / base95 : null,
        });
        ctx.log(`filtered: ${kind} ${(selectivity * 100).toFixed(0)}% done`);
      }
    }
    return { build, unfiltered, filters };
  } finally {
    index.dispose();
  }
}

/** Per ef: one pass for recall, exact fallbacks and distance counts, then the timed passes (best kept). */
function sweep(
  index: HnswIndex,
  data: LoadedDataset,
  efs: readonly number[],
  k: number,
  truth: Float32Array,
  truthK: number,
  filter: SearchFilter | undefined,
  allowed = Infinity,
): FilteredPoint[] {
  const m = Math.min(k, allowed);
  const dim = data.dim,
    nq = data.queryCount;
  const queries = Array.from({ length: nq }, (_, q) => data.queries.subarray(q * dim, (q + 1) * dim));
  return efs.map((ef) => {
    const options = filter ? { ef, filter } : { ef };
    const evals0 = index.stats().distanceEvals;
    let recall = 0,
      exact = 0;
    for (let q = 0; q < nq; q++) {
      const r = index.search(queries[q], k, options);
      if (r.exact) exact++;
      recall += recallByDistance(r, { distances: truth.subarray(q * truthK, q * truthK + m) }, k);
    }
    const evals = (index.stats().distanceEvals - evals0) / nq;
    let best = Infinity;
    for (let p = 0; p < SEARCH_PASSES; p++) {
      const t0 = performance.now();
      for (let q = 0; q < nq; q++) index.search(queries[q], k, options);
      best = Math.min(best, performance.now() - t0);
    }
    return { ef, recall: recall / nq, qps: nq / (best / 1000), distanceEvalsPerQuery: evals, exactShare: exact / nq };
  });
}

/** The ids as a bitset over ids (bit id & 31 of word id >> 5): a Uint32Array given as a filter is read as one. */
function bitset(ids: Uint32Array, n: number): Uint32Array {
  const bits = new Uint32Array((n + 31) >>> 5);
  for (const id of ids) bits[id >>> 5] |= 1 << (id & 31);
  return bits;
}

function qpsAt(points: readonly FilteredPoint[], recall: number): number | null {
  let best: number | null = null;
  for (const p of points) if (p.recall >= recall && (best === null || p.qps > best)) best = p.qps;
  return best;
}

/** `count` distinct ids of 0..n−1, seeded, ascending. */
function randomSubset(n: number, count: number, rng: SeededRandom): { ids: Uint32Array; how: string } {
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return { ids: all.slice(0, count).sort(), how: `${count} rows drawn uniformly at random (seeded)` };
}

/**
 * Rows correlated with the data: for a set that records its clusters (synthetic clustered data), whole
 * clusters in a seeded order, the last one in part (its lowest ids); otherwise the `count` nearest base
 * rows to a seeded base row (for GloVe: the words nearest one word, a topic).
 */
function correlatedSubset(
  data: LoadedDataset,
  count: number,
  rng: SeededRandom,
  oracle: BruteForceIndex,
): { ids: Uint32Array; how: string } {
  const labels = data.labels;
  if (labels && labels.length === data.n) {
    const clusters = Math.max(...labels) + 1;
    const order = Array.from({ length: clusters }, (_, i) => i);
    for (let i = clusters - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const ids: number[] = [];
    const taken: number[] = [];
    for (const c of order) {
      if (ids.length >= count) break;
      taken.push(c);
      for (let r = 0; r < data.n && ids.length < count; r++) if (labels[r] === c) ids.push(r);
    }
    return {
      ids: Uint32Array.from(ids).sort(),
      how: `${count} rows of ${taken.length} of the ${clusters} clusters (seeded order${taken.length > 1 ? '' : ', part of one'}; the last in part)`,
    };
  }
  const seed = rng.int(data.n);
  const near = oracle.search(data.base.subarray(seed * data.dim, (seed + 1) * data.dim), count);
  return {
    ids: Uint32Array.from(near.ids).sort(),
    how: `the ${count} base rows nearest base row ${seed} (a neighbourhood of one seed row)`,
  };
}

/** Exact k nearest allowed rows of every query (distances, row-major, k per query; Infinity past the allowed count). */
function exactAllowed(ctx: TrackContext, ids: Uint32Array, k: number): Float32Array {
  const { data } = ctx.prepared;
  const dim = data.dim;
  const rows = new Float32Array(ids.length * dim);
  for (let i = 0; i < ids.length; i++) rows.set(data.base.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
  const oracle = new BruteForceIndex({ dim, metric: ctx.spec.metric, kernel: ctx.kernel, capacity: ids.length });
  oracle.addBatch(rows, ids);
  const out = new Float32Array(data.queryCount * k).fill(Infinity);
  for (let q = 0; q < data.queryCount; q++) out.set(oracle.search(data.queries.subarray(q * dim, (q + 1) * dim), k).distances, q * k);
  return out;
}
