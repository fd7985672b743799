import { quantileNearestRank } from '@hnswlab/lab-kit';
import { recallByDistance } from '@hnswlab/datasets';
import type { SearchPoint } from './cell-result.js';
import type { GroundTruth } from './ground-truth.js';

/** What measureSearch drives: any index, ours or a peer's. */
export interface SearchTarget {
  /** Called once before each ef's passes (peers set ef as index state). */
  setEf?(ef: number): void;
  /** The k nearest to `query` at beam width `ef`, distances nearest first, in the metric of the ground truth. */
  search(query: Float32Array, k: number, ef: number): { distances: ArrayLike<number>; ids?: ArrayLike<number> };
  /**
   * The distances recall is counted on, for an index whose own distances are not the ground truth's
   * (a quantised store's): called in the untimed recall pass only.
   */
  rescore?(query: Float32Array, found: { distances: ArrayLike<number>; ids?: ArrayLike<number> }): { distances: ArrayLike<number> };
  /** Distance evaluations so far, when the index counts them. */
  distanceEvals?(): number;
  /** Calls across the kernel boundary so far, when the index counts them. */
  kernelCalls?(): number;
}

/** Timed passes over the query set per ef; QPS is the best pass. */
export const SEARCH_PASSES = 3;

/**
 * For every ef: one untimed pass for recall@k (by distance) and distance counts, then `passes` timed
 * passes, each query timed alone. QPS is the best pass (least disturbed by other processes); latency
 * percentiles are over every timed query.
 */
export function measureSearch(
  target: SearchTarget,
  queries: Float32Array,
  dim: number,
  gt: GroundTruth,
  efs: readonly number[],
  k: number,
  passes = SEARCH_PASSES,
  onEf?: (ef: number) => void,
): SearchPoint[] {
  const nq = queries.length / dim;
  const qs: Float32Array[] = [];
  for (let q = 0; q < nq; q++) qs.push(queries.subarray(q * dim, (q + 1) * dim));
  const points: SearchPoint[] = [];
  for (const ef of efs) {
    onEf?.(ef);
    target.setEf?.(ef);
    const evals0 = target.distanceEvals?.();
    const calls0 = target.kernelCalls?.();
    let recall = 0;
    for (let q = 0; q < nq; q++) {
      const answer = target.search(qs[q], k, ef);
      const found = target.rescore ? target.rescore(qs[q], answer) : answer;
      recall += recallByDistance(found, { distances: gt.distances.subarray(q * gt.k, q * gt.k + k) }, k);
    }
    const evals1 = target.distanceEvals?.();
    const calls1 = target.kernelCalls?.();
    const lat = new Float64Array(nq * passes);
    let best = Infinity;
    for (let p = 0; p < passes; p++) {
      const t0 = performance.now();
      for (let q = 0; q < nq; q++) {
        const s = performance.now();
        target.search(qs[q], k, ef);
        lat[p * nq + q] = performance.now() - s;
      }
      best = Math.min(best, performance.now() - t0);
    }
    lat.sort();
    let sum = 0;
    for (const v of lat) sum += v;
    points.push({
      ef,
      recall: recall / nq,
      qps: nq / (best / 1000),
      p50Ms: quantileNearestRank(lat, 0.5),
      p99Ms: quantileNearestRank(lat, 0.99),
      meanMs: sum / lat.length,
      distanceEvalsPerQuery: evals0 === undefined || evals1 === undefined ? null : (evals1 - evals0) / nq,
      kernelCallsPerQuery: calls0 === undefined || calls1 === undefined ? null : (calls1 - calls0) / nq,
      passes,
    });
  }
  return points;
}
