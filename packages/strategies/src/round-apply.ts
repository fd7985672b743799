import { now } from '@hnswlab/core/internals';
import type { RoundApplyTask } from './messages.js';
import type { WorkerJob } from './worker-job.js';

/**
 * Rounds, step 2, for the rows and targets this worker owns (row % workers === worker): copy the owned
 * new rows' out-links into their lists, then add the round's reverse edges into each owned target's
 * list, grouped by target in row order: appended while they fit, else the target's links and all its
 * new sources are re-pruned together by the heuristic. Each list has exactly one writer, so no locks,
 * and a target's result depends only on its list and its sources: the same whatever the thread count.
 */
export function roundApply(job: WorkerJob, task: RoundApplyTask): void {
  const { start, end, first, maxLevel, worker, workers } = task;
  const outOffsets = new Int32Array(task.outOffsets);
  const out = new Int32Array(task.out);
  const graph = job.graph,
    levels = graph.levels,
    c = job.counters;
  const stride = graph.M + 1;
  const t0 = c.timing ? now() : 0;

  for (let u = start + ((((worker - start) % workers) + workers) % workers); u < end; u += workers) {
    const base = outOffsets[u - first];
    for (let l = Math.min(levels[u], maxLevel); l >= 0; l--) {
      const list = graph.listArray(l),
        off = graph.listOffset(u, l),
        at = base + l * stride;
      const n = out[at];
      list.set(out.subarray(at + 1, at + 1 + n), off + 1);
      list[off] = n;
    }
  }

  // Sources per (target, level), in row order.
  const sources = new Map<number, number[]>();
  for (let u = start; u < end; u++) {
    const base = outOffsets[u - first];
    for (let l = Math.min(levels[u], maxLevel); l >= 0; l--) {
      const at = base + l * stride;
      for (let k = 1, n = out[at]; k <= n; k++) {
        const v = out[at + k];
        if (v % workers !== worker) continue;
        const key = v * 32 + l;
        const list = sources.get(key);
        if (list) list.push(u);
        else sources.set(key, [u]);
      }
    }
  }
  const pruner = new Pruner(job);
  for (const [key, us] of sources) pruner.addSources(Math.floor(key / 32), key % 32, us);
  if (c.timing) c.connectionManagement += now() - t0;
}

/** Adds reverse edges to one target list, re-pruning by the heuristic when they do not all fit. */
class Pruner {
  private rows = new Int32Array(64);
  private dists = new Float32Array(64);
  private order = new Int32Array(64);
  private readonly kept: Int32Array;
  private readonly keptDists: Float32Array;

  constructor(private readonly job: WorkerJob) {
    this.kept = new Int32Array(job.graph.M0 + 1);
    this.keptDists = new Float32Array(job.graph.M0 + 1);
  }

  addSources(v: number, level: number, us: readonly number[]): void {
    const graph = this.job.graph;
    const list = graph.listArray(level),
      off = graph.listOffset(v, level),
      max = graph.maxLinks(level);
    const n = list[off];
    this.fit(n + us.length);
    const rows = this.rows;
    for (let j = 0; j < n; j++) rows[j] = list[off + 1 + j];
    let m = n;
    for (const u of us) {
      let present = false;
      for (let j = 0; j < n; j++) if (rows[j] === u) present = true;
      if (!present) rows[m++] = u;
    }
    if (m <= max) {
      list.set(rows.subarray(n, m), off + 1 + n);
      list[off] = m;
      return;
    }
    this.distancesFrom(v, m);
    const sortedRows = new Int32Array(m),
      sortedDists = new Float32Array(m);
    const order = this.order,
      dists = this.dists;
    for (let j = 0; j < m; j++) order[j] = j;
    order.subarray(0, m).sort((a, b) => dists[a] - dists[b] || rows[a] - rows[b]);
    for (let j = 0; j < m; j++) {
      sortedRows[j] = rows[order[j]];
      sortedDists[j] = dists[order[j]];
    }
    const kept = this.job.inserter.selectNeighbors(sortedRows, sortedDists, m, max, this.kept, this.keptDists);
    list.set(this.kept.subarray(0, kept), off + 1);
    list[off] = kept;
  }

  /** dists[j] = distance(v, rows[j]) for j < m, in batched probe calls. */
  private distancesFrom(v: number, m: number): void {
    const probe = this.job.inserter.probe,
      c = this.job.counters;
    probe.setQueryRow(v);
    for (let from = 0; from < m; from += probe.maxBatch) {
      const k = Math.min(probe.maxBatch, m - from);
      probe.ids.set(this.rows.subarray(from, from + k));
      probe.toRows(k);
      this.dists.set(probe.out.subarray(0, k), from);
      c.distanceEvals += k;
    }
  }

  private fit(m: number): void {
    if (this.rows.length >= m) return;
    const size = Math.max(m, this.rows.length * 2);
    this.rows = new Int32Array(size);
    this.dists = new Float32Array(size);
    this.order = new Int32Array(size);
  }
}
