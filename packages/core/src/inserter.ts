import type { Boundary, DistanceProbe, FusedTraversal, Linker, VectorSpace } from './contracts.js';
import { now, type Counters } from './counters.js';
import type { Graph } from './graph.js';
import { H_ENTRY, H_GLOBAL_LOCK, H_MAX_LEVEL } from './layout.js';
import { lockWord, unlockWord } from './locks.js';
import { OffsetSpace } from './offset-space.js';
import { PairProbe } from './pair-probe.js';
import { Searcher, type LayerSearch } from './searcher.js';

export interface InserterOptions {
  readonly efConstruction: number;
  /** Row locks and atomic entry updates: several threads write the graph. */
  readonly locking: boolean;
  readonly boundary: Boundary;
  /** Graph row r is space row r + rowOffset (a segment's private graph). Default 0. */
  readonly rowOffset?: number;
}

type TimedPhase = 'navigation' | 'neighborSearch' | 'connectionManagement';

/**
 * One thread's linker (Malkov & Yashunin, Algorithms 1 and 4): greedy descent through the upper
 * levels (navigation), beam search with efConstruction at each of the row's levels (neighbor search),
 * then the neighbour-selection heuristic and back-links with re-pruning (connection management).
 * The search runs where the boundary says: in JavaScript over batched probe calls (`node`), one call
 * per distance (`pair`), or in the kernel (`layer`; `insert` hands the kernel the whole insert).
 * Every write to a row that existed before the running batch is logged first (Graph.noteWrite).
 */
export class Inserter implements Linker {
  readonly search: LayerSearch;
  /** The JavaScript traversal, when the search runs in JavaScript. */
  readonly searcher: Searcher | undefined;
  private readonly fused: FusedTraversal | undefined;
  private readonly fusedInsert: boolean;
  /** Distances between stored rows (heuristic, re-pruning), so the search probe keeps its query. */
  private readonly pairProbe: DistanceProbe;
  private readonly efConstruction: number;
  private readonly locking: boolean;
  private readonly probeSpace: VectorSpace;
  private readonly chosen: Int32Array;
  private readonly chosenDists: Float32Array;
  private pruneRows: Int32Array;
  private pruneDists: Float32Array;
  private prunedRows: Int32Array;
  private prunedDists: Float32Array;

  constructor(
    readonly graph: Graph,
    vectors: VectorSpace,
    readonly counters: Counters,
    options: InserterOptions,
  ) {
    const rowOffset = options.rowOffset ?? 0;
    // Probes see graph rows; a fused traversal takes the offset itself.
    const space = rowOffset === 0 ? vectors : new OffsetSpace(vectors, rowOffset);
    this.probeSpace = space;
    this.efConstruction = options.efConstruction;
    this.locking = options.locking;
    const maxBatch = graph.M0 + 1;
    const fuse = options.boundary === 'layer' || options.boundary === 'insert';
    if (fuse) {
      if (!vectors.createTraversal)
        throw new RangeError(
          `boundary '${options.boundary}' needs a space that fuses traversal (createTraversal); this one computes through probes: use 'node'`,
        );
      this.fused = vectors.createTraversal(graph.layout, {
        efConstruction: options.efConstruction,
        locking: options.locking,
        timing: counters.timing,
        rowOffset,
      });
      this.search = this.fused;
      this.pairProbe = space.createProbe(maxBatch);
    } else if (options.boundary === 'pair') {
      const probe = new PairProbe(space.createProbe(1), space.createProbe(1), maxBatch, counters);
      this.searcher = new Searcher(graph, probe, counters, options.locking);
      this.search = this.searcher;
      this.pairProbe = new PairProbe(space.createProbe(1), space.createProbe(1), maxBatch, counters);
    } else {
      this.searcher = new Searcher(graph, space.createProbe(maxBatch), counters, options.locking);
      this.search = this.searcher;
      this.pairProbe = space.createProbe(maxBatch);
    }
    this.fusedInsert = options.boundary === 'insert';
    this.chosen = new Int32Array(graph.M0 + 1);
    this.chosenDists = new Float32Array(graph.M0 + 1);
    this.pruneRows = new Int32Array(graph.M0 + 1);
    this.pruneDists = new Float32Array(graph.M0 + 1);
    this.prunedRows = new Int32Array(graph.M0 + 1);
    this.prunedDists = new Float32Array(graph.M0 + 1);
  }

  /** Bytes of this thread's scratch. */
  scratchBytes(): number {
    return this.searcher?.scratchBytes() ?? 0;
  }

  /** Follow graph growth (after the graph's capacity or regions changed). */
  fit(): void {
    this.searcher?.fit();
    this.fused?.bind(this.graph.layout);
  }

  /** Fused work since the last call, into the counters. */
  private drain(): void {
    this.fused?.drainCounters(this.counters);
  }

  /** Release kernel-side scratch. */
  dispose(): void {
    this.fused?.dispose();
  }

  /**
   * The nearest `ef` rows to `query` (descent, then level 0), nearest first (views valid until the
   * next call). Tombstones, and rows a `filter` (bitset over rows) leaves out, are walked through but
   * not returned when `skipDeleted`.
   */
  nearest(
    query: Float32Array,
    ef: number,
    skipDeleted: boolean,
    filter: Uint32Array | null = null,
  ): { rows: Int32Array; dists: Float32Array; count: number } {
    const search = filter && !this.search.setFilter ? this.filterSearcher() : this.search;
    search.setQuery(query);
    if (filter) search.setFilter!(filter);
    try {
      const count = search.search(ef, skipDeleted || filter !== null);
      if (search === this.fused) this.afterCall(1);
      return { rows: search.rows, dists: search.dists, count };
    } finally {
      if (filter) search.setFilter!(null);
    }
  }

  /** A JavaScript traversal for filtered queries, when the fused one has no filter. */
  private filterSearcher(): Searcher {
    this.jsSearcher ??= new Searcher(this.graph, this.probeSpace.createProbe(this.graph.M0 + 1), this.counters, false);
    this.jsSearcher.fit();
    return this.jsSearcher;
  }

  private jsSearcher: Searcher | undefined;

  /** Link an allocated row (its vector already stored) into the graph. */
  insert(row: number): void {
    const c = this.counters;
    if (this.fusedInsert) {
      this.fused!.insert(row);
      c.kernelCalls++;
      this.drain();
      c.inserts++;
      return;
    }
    const g = this.graph,
      header = g.header;
    const level = g.levels[row];
    const timing = c.timing;
    let t = timing ? now() : 0;
    const search = this.search;
    search.setQueryRow(row);

    // A row that may become the new top holds the global lock for its whole insertion (as hnswlib does),
    // so the entry point never points at a half-linked row.
    let holdsGlobal = false;
    if (this.locking && level > Atomics.load(header, H_MAX_LEVEL)) {
      lockWord(header, H_GLOBAL_LOCK, c);
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
      let ep = search.descend(entry, search.distance(entry), maxLevel, level);
      let epDist = search.bestDist;
      this.afterCall(2);
      if (timing) t = this.lap(t, 'navigation');

      for (let l = Math.min(level, maxLevel); l >= 0; l--) {
        const n = search.searchLayer(ep, epDist, this.efConstruction, l, false, row);
        this.afterCall(1);
        if (timing) t = this.lap(t, 'neighborSearch');
        if (n > 0) {
          ep = search.rows[0];
          epDist = search.dists[0];
          const kept = this.selectNeighbors(search.rows, search.dists, n, g.M, this.chosen, this.chosenDists);
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
   * entries it falls back to {@link insert}. Entries beyond the traversal's room are not used.
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
    const search = this.search;
    search.setQueryRow(row);
    const m = Math.min(count, search.maxEntries);
    search.entries.set(entries.subarray(0, m));
    const n = search.searchLayerFrom(m, ef, 0, false, row);
    this.afterCall(1);
    if (timing) t = this.lap(t, 'neighborSearch');
    if (n > 0) {
      const kept = this.selectNeighbors(search.rows, search.dists, n, g.M, this.chosen, this.chosenDists);
      this.connect(row, 0, kept);
    }
    if (timing) this.lap(t, 'connectionManagement');
    c.inserts++;
  }

  plan(row: number, entry: number, top: number, out: Int32Array, at: number): void {
    const g = this.graph,
      c = this.counters,
      stride = g.strideUp;
    const timing = c.timing;
    let t = timing ? now() : 0;
    const level = g.levels[row];
    for (let l = 0; l <= level; l++) out[at + l * stride] = 0;
    const search = this.search;
    search.setQueryRow(row);
    let ep = search.descend(entry, search.distance(entry), top, level);
    let epDist = search.bestDist;
    this.afterCall(2);
    if (timing) t = this.lap(t, 'navigation');
    for (let l = Math.min(level, top); l >= 0; l--) {
      const n = search.searchLayer(ep, epDist, this.efConstruction, l, false, row);
      this.afterCall(1);
      if (timing) t = this.lap(t, 'neighborSearch');
      if (n > 0) {
        ep = search.rows[0];
        epDist = search.dists[0];
        const kept = this.selectNeighbors(search.rows, search.dists, n, g.M, this.chosen, this.chosenDists);
        out[at + l * stride] = kept;
        out.set(this.chosen.subarray(0, kept), at + l * stride + 1);
      }
      if (timing) t = this.lap(t, 'connectionManagement');
    }
    c.inserts++;
  }

  writeLinks(row: number, level: number, links: Int32Array, from: number, n: number): void {
    const t = this.counters.timing ? now() : 0;
    const g = this.graph;
    const list = g.listArray(level),
      off = g.listOffset(row, level);
    g.noteWrite(row);
    list.set(links.subarray(from, from + n), off + 1);
    list[off] = n;
    if (this.counters.timing) this.lap(t, 'connectionManagement');
  }

  addBackLinks(target: number, level: number, sources: Int32Array, from: number, n: number): void {
    const t = this.counters.timing ? now() : 0;
    this.backLinks(target, level, sources, from, n);
    if (this.counters.timing) this.lap(t, 'connectionManagement');
  }

  /**
   * Add back-links from sources to target's list at `level`: appended while they fit, else the
   * target's links and the new sources are ranked by distance from the target (ties by row) and
   * re-pruned together by the heuristic. Sources already linked are skipped. The caller holds the
   * target's lock (or is its only writer). Untimed: callers time it.
   */
  private backLinks(target: number, level: number, sources: Int32Array, from: number, n: number): void {
    const g = this.graph;
    const list = g.listArray(level),
      off = g.listOffset(target, level),
      max = g.maxLinks(level);
    const have = list[off];
    this.fitPrune(have + n);
    const rows = this.pruneRows;
    for (let j = 0; j < have; j++) rows[j] = list[off + 1 + j];
    let m = have;
    for (let s = from; s < from + n; s++) {
      const u = sources[s];
      let present = false;
      for (let j = 0; j < have; j++) {
        if (rows[j] === u) {
          present = true;
          break;
        }
      }
      if (!present) rows[m++] = u;
    }
    if (m === have) return;
    g.noteWrite(target);
    if (m <= max) {
      for (let j = have; j < m; j++) list[off + 1 + j] = rows[j];
      list[off] = m;
      return;
    }
    this.distancesFrom(target, m);
    const dists = this.pruneDists;
    // Insertion sort by (distance, row): at most a few dozen entries.
    for (let j = 1; j < m; j++) {
      const r = rows[j],
        d = dists[j];
      let k = j;
      while (k > 0 && (dists[k - 1] > d || (dists[k - 1] === d && rows[k - 1] > r))) {
        rows[k] = rows[k - 1];
        dists[k] = dists[k - 1];
        k--;
      }
      rows[k] = r;
      dists[k] = d;
    }
    const kept = this.selectNeighbors(rows, dists, m, max, this.prunedRows, this.prunedDists);
    for (let j = 0; j < kept; j++) list[off + 1 + j] = this.prunedRows[j];
    list[off] = kept;
  }

  /** pruneDists[j] = distance(target, pruneRows[j]) for j < m, in batched calls. */
  private distancesFrom(target: number, m: number): void {
    const probe = this.pairProbe,
      c = this.counters;
    for (let from = 0; from < m; from += probe.maxBatch) {
      const k = Math.min(probe.maxBatch, m - from);
      probe.ids.set(this.pruneRows.subarray(from, from + k));
      probe.rowToRows(target, k);
      this.pruneDists.set(probe.out.subarray(0, k), from);
      c.distanceEvals += k;
      c.kernelCalls++;
    }
  }

  private fitPrune(m: number): void {
    if (this.pruneRows.length >= m) return;
    const size = Math.max(m, this.pruneRows.length * 2);
    this.pruneRows = new Int32Array(size);
    this.pruneDists = new Float32Array(size);
    this.prunedRows = new Int32Array(size);
    this.prunedDists = new Float32Array(size);
  }

  private afterCall(calls: number): void {
    if (this.fused) {
      this.counters.kernelCalls += calls;
      this.drain();
    }
  }

  private lap(t: number, phase: TimedPhase): number {
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
    const probe = this.pairProbe,
      c = this.counters;
    let kept = 0;
    for (let i = 0; i < n && kept < max; i++) {
      const cand = rows[i],
        dc = dists[i];
      if (kept > 0) {
        const at = probe.firstNearer(cand, kept, dc);
        c.kernelCalls++;
        c.distanceEvals += at < kept ? at + 1 : kept;
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
    const g = this.graph,
      c = this.counters;
    const list = g.listArray(level);
    const chosen = this.chosen;
    const own = g.listOffset(row, level);
    if (this.locking) lockWord(g.locks, row, c);
    for (let i = 0; i < count; i++) list[own + 1 + i] = chosen[i];
    list[own] = count;
    if (this.locking) unlockWord(g.locks, row);
    const one = this.one;
    one[0] = row;
    for (let i = 0; i < count; i++) {
      const nb = chosen[i];
      if (this.locking) lockWord(g.locks, nb, c);
      try {
        this.backLinks(nb, level, one, 0, 1);
      } finally {
        if (this.locking) unlockWord(g.locks, nb);
      }
    }
  }

  private readonly one = new Int32Array(1);
}
