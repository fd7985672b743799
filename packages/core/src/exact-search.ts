import type { DistanceProbe } from './contracts.js';
import type { Graph } from './graph.js';
import { PairHeap } from './heap.js';

/**
 * The k nearest of the rows a filter allows, by brute force: batched distance calls over the allowed
 * rows only. What a very selective filter falls back to, where a graph search would walk through
 * many rows it may not return to find a few it may.
 */
export function exactSearch(
  graph: Graph,
  probe: DistanceProbe,
  query: Float32Array,
  k: number,
  allow: Uint32Array,
): { rows: Int32Array; dists: Float32Array; count: number } {
  probe.setQuery(query);
  const heap = PairHeap.farthestFirst(k + 1);
  const count = graph.count,
    deleted = graph.deleted;
  let m = 0;
  const flush = () => {
    probe.toRows(m);
    const ids = probe.ids,
      out = probe.out;
    for (let i = 0; i < m; i++) {
      if (heap.size < k) heap.push(out[i], ids[i]);
      else if (out[i] < heap.topKey() || (out[i] === heap.topKey() && ids[i] < heap.topRow())) heap.replaceTop(out[i], ids[i]);
    }
    m = 0;
  };
  for (let w = 0; w < allow.length; w++) {
    let bits = allow[w];
    while (bits !== 0) {
      const row = (w << 5) + (31 - Math.clz32(bits & -bits));
      bits &= bits - 1;
      if (row >= count || deleted[row]) continue;
      probe.ids[m++] = row;
      if (m === probe.maxBatch) flush();
    }
  }
  if (m > 0) flush();
  const rows = new Int32Array(heap.size),
    dists = new Float32Array(heap.size);
  return { rows, dists, count: heap.drainReversed(rows, dists) };
}
