import { PairHeap } from './heap.js';

/** How many of a row's neighbours must be in the join set for it to count as covered (Lucene's rule). */
function need(degree: number): number {
  return degree < 9 ? 2 : Math.ceil(degree / 4);
}

/**
 * The join set of a graph's level-0 lists (CSR: row v's neighbours are neighbors[offsets[v]..offsets[v+1])):
 * a greedy cover that picks rows by gain until about every row has a quarter of its neighbours (at
 * least 2) picked, after Lucene's UpdateGraphsUtils.computeJoinSet. A merge inserts the picked rows
 * with a full search and starts every other row's search from its picked (or already merged) neighbours.
 * Gains are recomputed lazily: a row whose neighbourhood changed is marked stale and re-queued when popped.
 */
export function computeJoinSet(offsets: Int32Array, neighbors: Int32Array): Uint8Array {
  const n = offsets.length - 1;
  const join = new Uint8Array(n);
  const counts = new Int32Array(n);
  const stale = new Uint8Array(n);
  const heap = PairHeap.farthestFirst(Math.max(4, n));
  let goal = 0;
  for (let v = 0; v < n; v++) {
    const degree = offsets[v + 1] - offsets[v];
    goal += need(degree);
    heap.push(need(degree) + degree, v);
  }
  let got = 0;
  while (got < goal && heap.size > 0) {
    const gain = heap.topKey(),
      v = heap.topRow();
    heap.pop();
    const from = offsets[v],
      to = offsets[v + 1];
    const kv = need(to - from);
    if (stale[v]) {
      let fresh = Math.max(0, kv - counts[v]);
      for (let j = from; j < to; j++) {
        const u = neighbors[j];
        if (!join[u] && counts[u] < need(offsets[u + 1] - offsets[u])) fresh++;
      }
      if (fresh > 0) {
        heap.push(fresh, v);
        stale[v] = 0;
      }
      continue;
    }
    join[v] = 1;
    got += gain;
    const staleAround = counts[v] < kv;
    for (let j = from; j < to; j++) {
      const u = neighbors[j];
      if (staleAround) stale[u] = 1;
      if (counts[u] < need(offsets[u + 1] - offsets[u]) - 1) {
        for (let k = offsets[u]; k < offsets[u + 1]; k++) stale[neighbors[k]] = 1;
      }
      counts[u]++;
    }
  }
  return join;
}
