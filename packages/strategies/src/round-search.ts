import { now } from '@hnswlab/core/internals';
import { take } from './control.js';
import type { RoundSearchTask } from './messages.js';
import type { WorkerJob } from './worker-job.js';

/**
 * Rounds, step 1, for the rows taken: descend and beam-search the graph as frozen at the round's
 * start, select each level's neighbours by the heuristic, and write them to the round's out-link
 * buffer (row r's list at level l: out[outOffsets[r − first] + l·(M + 1)], a count then links).
 * Nothing in the graph is written, so no locks; the result of a row depends only on the frozen graph.
 */
export function roundSearch(job: WorkerJob, task: RoundSearchTask): void {
  const ctl = new Int32Array(task.ctl);
  const outOffsets = new Int32Array(task.outOffsets);
  const out = new Int32Array(task.out);
  const inserter = job.inserter,
    graph = job.graph,
    c = job.counters,
    probe = inserter.probe;
  const M = graph.M,
    stride = M + 1,
    timing = c.timing;
  const ef = job.setup.efConstruction;
  const rows = new Int32Array(ef + 1),
    dists = new Float32Array(ef + 1);
  const chosen = new Int32Array(graph.M0 + 1),
    chosenDists = new Float32Array(graph.M0 + 1);
  const { entry, maxLevel, first } = task;
  for (let u = take(ctl, task.end); u >= 0; u = take(ctl, task.end)) {
    if (u === task.faultRow) throw new Error(`injected fault at row ${u} (test hook faultAtRow)`);
    let t = timing ? now() : 0;
    const level = graph.levels[u];
    const base = outOffsets[u - first];
    for (let l = 0; l <= level; l++) out[base + l * stride] = 0;
    probe.setQueryRow(u);
    let ep = entry;
    let epDist = probe.toRow(ep);
    c.distanceEvals++;
    for (let l = maxLevel; l > level; l--) {
      ep = inserter.greedy(ep, epDist, l);
      epDist = inserter.bestDist;
    }
    if (timing) t = lap(c, 'navigation', t);
    for (let l = Math.min(level, maxLevel); l >= 0; l--) {
      inserter.searchLayer(ep, epDist, ef, l, false, u);
      const n = inserter.results.drainReversed(rows, dists);
      if (timing) t = lap(c, 'neighborSearch', t);
      if (n > 0) {
        ep = rows[0];
        epDist = dists[0];
        const kept = inserter.selectNeighbors(rows, dists, n, M, chosen, chosenDists);
        const at = base + l * stride;
        out[at] = kept;
        out.set(chosen.subarray(0, kept), at + 1);
      }
      if (timing) t = lap(c, 'connectionManagement', t);
    }
    c.inserts++;
  }
}

function lap(c: WorkerJob['counters'], phase: 'navigation' | 'neighborSearch' | 'connectionManagement', t: number): number {
  const t1 = now();
  c[phase] += t1 - t;
  return t1;
}
