import type { DistanceProbe, VectorSpace } from './contracts.js';
import { Counters, now } from './counters.js';
import { H_ENTRY, H_GLOBAL_LOCK, H_MAX_LEVEL, type Graph } from './graph.js';
import { Searcher, unlockWord } from './searcher.js';

/**
 * Links rows into the graph (Malkov & Yashunin, Algorithms 1 and 4): greedy descent through the upper
 * levels (navigation), beam search with efConstruction at each of the row's levels (neighbor search),
 * then the neighbour-selection heuristic and back-links with re-pruning (connection management).
 * The same code runs in the main thread and, with `locking`, in every parallel worker.
 */
export class Inserter extends Searcher {
  /** A second probe for distances between stored rows, so the search probe keeps its query. */
  private readonly pairProbe: DistanceProbe;
  private sortedRows: Int32Array;
  private sortedDists: Float32Array;
  private readonly chosen: Int32Array;
  private readonly chosenDists: Float32Array;
  private readonly pruneRows: Int32Array;
  private readonly pruneDists: Float32Array;
  private readonly prunedRows: Int32Array;
  private readonly prunedDists: Float32Array;

  constructor(
    graph: Graph,
    space: VectorSpace,
    counters: Counters,
    readonly efConstruction: number,
    locking = false,
  ) {
    super(graph, space, counters, locking);
    this.pairProbe = space.createProbe(graph.M0 + 1);
    this.sortedRows = new Int32Array(efConstruction + 1);
    this.sortedDists = new Float32Array(efConstruction + 1);
    this.chosen = new Int32Array(graph.M0 + 1);
    this.chosenDists = new Float32Array(graph.M0 + 1);
    this.pruneRows = new Int32Array(graph.M0 + 1);
    this.pruneDists = new Float32Array(graph.M0 + 1);
    this.prunedRows = new Int32Array(graph.M0 + 1);
    this.prunedDists = new Float32Array(graph.M0 + 1);
  }

  /** Link an allocated row (its vector already stored) into the graph. */
  insert(row: number): void {
    const g = this.graph,
      c = this.counters,
      header = g.header;
    const level = g.levels[row];
    const timing = c.timing;
    let t = timing ? now() : 0;
    this.probe.setQueryRow(row);

    // A row that may become the new top holds the global lock for its whole insertion (as hnswlib does),
    // so the entry point never points at a half-linked row.
    let holdsGlobal = false;
    if (this.locking && level > Atomics.load(header, H_MAX_LEVEL)) {
      this.lockWord(header, H_GLOBAL_LOCK);
      holdsGlobal = true;
    }
    try {
      const entry = this.locking ? Atomics.load(header, H_ENTRY) : header[H_ENTRY];
      const maxLevel = this.locking ? Atomics.load(header, H_MAX_LEVEL) : header[H_MAX_LEVEL];
      if (entry < 0) {
        this.setEntry(row, level);
        c.inserts++;
        return;
      }

      let ep = entry;
      let epDist = this.probe.toRow(ep);
      c.distanceEvals++;
      for (let l = maxLevel; l > level; l--) {
        ep = this.greedy(ep, epDist, l);
        epDist = this.bestDist;
      }
      if (timing) t = this.lap(t, 'navigation');

      for (let l = Math.min(level, maxLevel); l >= 0; l--) {
        this.probe.setQueryRow(row);
        this.searchLayer(ep, epDist, this.efConstruction, l, false, row);
        const n = this.sortedCandidates();
        if (timing) t = this.lap(t, 'neighborSearch');
        if (n > 0) {
          ep = this.sortedRows[0];
          epDist = this.sortedDists[0];
          const kept = this.selectNeighbors(this.sortedRows, this.sortedDists, n, g.M, this.chosen, this.chosenDists);
          this.connect(row, l, kept);
        }
        if (timing) t = this.lap(t, 'connectionManagement');
      }
      if (level > maxLevel) this.setEntry(row, level);
      c.inserts++;
    } finally {
      if (holdsGlobal) unlockWord(header, H_GLOBAL_LOCK);
    }
  }

  /**
   * Link a level-0 row by one beam search at level 0 started from `entries` (rows already linked),
   * skipping the descent from the entry point: the seeded insertion of a graph merge, where the row's
   * neighbours in its source graph say where it belongs. `ef` may be below efConstruction. With no
   * entries it falls back to {@link insert}.
   */
  insertFrom(row: number, entries: Int32Array, count: number, ef = this.efConstruction): void {
    const g = this.graph,
      c = this.counters;
    if (g.levels[row] !== 0) throw new RangeError(`insertFrom links level-0 rows only; row ${row} has level ${g.levels[row]}`);
    if (count === 0) {
      this.insert(row);
      return;
    }
    const timing = c.timing;
    let t = timing ? now() : 0;
    this.probe.setQueryRow(row);
    this.searchLayerFrom(entries, count, ef, 0, false, row);
    const n = this.sortedCandidates();
    if (timing) t = this.lap(t, 'neighborSearch');
    if (n > 0) {
      const kept = this.selectNeighbors(this.sortedRows, this.sortedDists, n, g.M, this.chosen, this.chosenDists);
      this.connect(row, 0, kept);
    }
    if (timing) this.lap(t, 'connectionManagement');
    c.inserts++;
  }

  private lap(t: number, phase: 'navigation' | 'neighborSearch' | 'connectionManagement'): number {
    const t1 = now();
    this.counters[phase] += t1 - t;
    return t1;
  }

  private setEntry(row: number, level: number): void {
    const header = this.graph.header;
    if (this.locking) {
      Atomics.store(header, H_ENTRY, row);
      Atomics.store(header, H_MAX_LEVEL, level);
    } else {
      header[H_ENTRY] = row;
      header[H_MAX_LEVEL] = level;
    }
  }

  /** Move the search results into sortedRows/sortedDists, nearest first. */
  private sortedCandidates(): number {
    const res = this.results;
    if (res.size > this.sortedRows.length) {
      this.sortedRows = new Int32Array(res.size);
      this.sortedDists = new Float32Array(res.size);
    }
    return res.drainReversed(this.sortedRows, this.sortedDists);
  }

  /**
   * The neighbour-selection heuristic: walk candidates nearest first and keep one only if it is nearer
   * to the query than to every neighbour already kept, up to `max`. The kept list lives in the pair
   * probe's ids, so each candidate costs one kernel call that stops at the first kept neighbour
   * nearer than the query (firstNearer): a per-pair loop's work without a crossing per pair.
   */
  selectNeighbors(rows: Int32Array, dists: Float32Array, n: number, max: number, outRows: Int32Array, outDists: Float32Array): number {
    if (n <= max) {
      for (let i = 0; i < n; i++) {
        outRows[i] = rows[i];
        outDists[i] = dists[i];
      }
      return n;
    }
    const probe = this.pairProbe;
    let kept = 0;
    for (let i = 0; i < n && kept < max; i++) {
      const cand = rows[i],
        dc = dists[i];
      if (kept > 0) {
        const at = probe.firstNearer(cand, kept, dc);
        this.counters.distanceEvals += at < kept ? at + 1 : kept;
        if (at < kept) continue;
      }
      probe.ids[kept] = cand;
      outRows[kept] = cand;
      outDists[kept] = dc;
      kept++;
    }
    return kept;
  }

  /** Write row's list at `level` from `chosen`, then add row to each chosen neighbour's list, re-pruning full ones. */
  private connect(row: number, level: number, count: number): void {
    const g = this.graph;
    const list = g.listArray(level);
    const chosen = this.chosen;
    const own = g.listOffset(row, level);
    if (this.locking) this.lock(row);
    for (let i = 0; i < count; i++) list[own + 1 + i] = chosen[i];
    list[own] = count;
    if (this.locking) this.unlock(row);

    const max = g.maxLinks(level);
    for (let i = 0; i < count; i++) {
      const nb = chosen[i];
      const off = g.listOffset(nb, level);
      if (this.locking) this.lock(nb);
      const n = list[off];
      let present = false;
      for (let j = 1; j <= n; j++) {
        if (list[off + j] === row) {
          present = true;
          break;
        }
      }
      if (!present) {
        if (n < max) {
          list[off + 1 + n] = row;
          list[off] = n + 1;
        } else {
          this.reprune(nb, list, off, n, row, max);
        }
      }
      if (this.locking) this.unlock(nb);
    }
  }

  /** nb's list is full: choose its best `max` among its links and the new row, by the same heuristic. */
  private reprune(nb: number, list: Int32Array, off: number, n: number, row: number, max: number): void {
    const probe = this.pairProbe;
    const rows = this.pruneRows,
      dists = this.pruneDists;
    const ids = probe.ids;
    for (let j = 0; j < n; j++) ids[j] = list[off + 1 + j];
    ids[n] = row;
    probe.rowToRows(nb, n + 1);
    this.counters.distanceEvals += n + 1;
    const out = probe.out;
    // Insertion sort by (distance, row): at most 2·M + 1 entries.
    for (let j = 0; j <= n; j++) {
      const r = ids[j],
        d = out[j];
      let k = j;
      while (k > 0 && (dists[k - 1] > d || (dists[k - 1] === d && rows[k - 1] > r))) {
        rows[k] = rows[k - 1];
        dists[k] = dists[k - 1];
        k--;
      }
      rows[k] = r;
      dists[k] = d;
    }
    const kept = this.selectNeighbors(rows, dists, n + 1, max, this.prunedRows, this.prunedDists);
    for (let j = 0; j < kept; j++) list[off + 1 + j] = this.prunedRows[j];
    list[off] = kept;
  }
}
