import type { DistanceProbe } from './contracts.js';
import type { Counters } from './counters.js';

/** Rows nearest first with their distances (the shape searches return). */
export interface Ranked {
  readonly rows: Int32Array;
  readonly dists: Float32Array;
  readonly count: number;
}

/**
 * Exact rerank: the first `take` rows of `found` (nearest first by the store's distance) re-scored
 * by `probe`, an exact probe over the float32 rows, in batched calls; returns the nearest `k` of them
 * by that distance (ties broken on the row, as everywhere), nearest first.
 */
export function rerank(probe: DistanceProbe, query: Float32Array, found: Ranked, take: number, k: number, counters: Counters): Ranked {
  const n = Math.min(take, found.count);
  const rows = found.rows.slice(0, n),
    dists = new Float32Array(n);
  probe.setQuery(query);
  for (let at = 0; at < n;) {
    const m = Math.min(probe.maxBatch, n - at);
    probe.ids.set(rows.subarray(at, at + m));
    probe.toRows(m);
    dists.set(probe.out.subarray(0, m), at);
    counters.distanceEvals += m;
    counters.kernelCalls++;
    at += m;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => dists[a] - dists[b] || rows[a] - rows[b]);
  const count = Math.min(k, n);
  const outRows = new Int32Array(count),
    outDists = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    outRows[i] = rows[order[i]];
    outDists[i] = dists[order[i]];
  }
  return { rows: outRows, dists: outDists, count };
}
