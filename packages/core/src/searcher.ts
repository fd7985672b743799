import type { DistanceProbe, FusedTraversal } from './contracts.js';
import type { Counters } from './counters.js';
import type { Graph } from './graph.js';
import { PairHeap } from './heap.js';
import { lockWord, unlockWord } from './locks.js';

/**
 * What the inserter and the index need of a traversal: the JavaScript {@link Searcher} (boundaries
 * `pair` and `node`) and a kernel's FusedTraversal (`layer`, `insert`) both provide it, with the
 * same results for the same graph.
 */
export type LayerSearch = Pick<
  FusedTraversal,
  | 'rows'
  | 'dists'
  | 'entries'
  | 'maxEntries'
  | 'bestDist'
  | 'setQuery'
  | 'setQueryRow'
  | 'distance'
  | 'descend'
  | 'searchLayer'
  | 'searchLayerFrom'
  | 'search'
  | 'setFilter'
>;

/**
 * The reference traversal: one thread's view of the graph for searching, with its own probe, visited
 * tags and heaps, one batched kernel call per expanded node. The visited set is reset in O(1) by
 * bumping an epoch, never by clearing an array of size n. With `locking` on (parallel builds), each
 * link list is copied under its node's lock. Ties break on the row everywhere: (distance, row) is a
 * total order, so any implementation that follows it visits and returns the same rows.
 */
export class Searcher implements LayerSearch {
  readonly candidates = PairHeap.nearestFirst(256);
  readonly results = PairHeap.farthestFirst(256);
  rows = new Int32Array(256);
  dists = new Float32Array(256);
  entries: Int32Array;
  readonly maxEntries: number;
  bestDist = 0;
  private visited: Uint32Array;
  /** Rows a query may return (bit r of word r >> 5), or null for all; see setFilter. */
  private allow: Uint32Array | null = null;
  private epoch = 0;

  constructor(
    readonly graph: Graph,
    readonly probe: DistanceProbe,
    readonly counters: Counters,
    readonly locking: boolean,
  ) {
    this.visited = new Uint32Array(graph.capacity);
    // Room for a seeded merge with `expand`: every hint and its level-0 neighbours.
    this.maxEntries = graph.M0 * (graph.M0 + 2);
    this.entries = new Int32Array(this.maxEntries);
  }

  /** Bytes of this thread's scratch (visited tags, heaps, results). */
  scratchBytes(): number {
    const h = (x: PairHeap) => x.keys.byteLength + x.rows.byteLength;
    return this.visited.byteLength + h(this.candidates) + h(this.results) + this.rows.byteLength + this.dists.byteLength;
  }

  /** Follow graph growth (call after the graph's capacity changed). */
  fit(): void {
    if (this.visited.length < this.graph.capacity) {
      const v = new Uint32Array(this.graph.capacity);
      v.set(this.visited);
      this.visited = v;
    }
  }

  /** Rows a query may return, as a bitset over rows: with skipDeleted, others are walked through but never returned. */
  setFilter(rows: Uint32Array | null): void {
    this.allow = rows;
  }

  /** A row a query must not return: a tombstone, or a row the filter leaves out. */
  private rejects(row: number): boolean {
    if (this.graph.deleted[row]) return true;
    const a = this.allow;
    return a !== null && ((a[row >>> 5] >>> (row & 31)) & 1) === 0;
  }

  setQuery(vector: Float32Array): void {
    this.probe.setQuery(vector);
  }

  setQueryRow(row: number): void {
    this.probe.setQueryRow(row);
  }

  distance(row: number): number {
    this.counters.distanceEvals++;
    this.counters.kernelCalls++;
    return this.probe.toRow(row);
  }

  private nextEpoch(): number {
    if (++this.epoch === 0xffffffff) {
      this.visited.fill(0);
      this.epoch = 1;
    }
    return this.epoch;
  }

  /**
   * Copy the unvisited links of `row` at `level` into probe.ids, tagging them visited; returns how many.
   * The copy is what the batched distance call reads, so a lock is held only for the copy.
   */
  private gatherUnvisited(row: number, level: number, epoch: number): number {
    const g = this.graph;
    const list = g.listArray(level);
    const off = g.listOffset(row, level);
    const ids = this.probe.ids;
    const visited = this.visited;
    if (this.locking) lockWord(g.locks, row, this.counters);
    const n = list[off];
    let m = 0;
    for (let j = 1; j <= n; j++) {
      const nb = list[off + j];
      if (visited[nb] !== epoch) {
        visited[nb] = epoch;
        ids[m++] = nb;
      }
    }
    if (this.locking) unlockWord(g.locks, row);
    return m;
  }

  /** Greedy descent at one level: move to the nearest neighbour while it is nearer. Returns the row; its distance is in bestDist. */
  greedy(entry: number, entryDist: number, level: number): number {
    const c = this.counters;
    let cur = entry,
      curDist = entryDist;
    for (let moved = true; moved;) {
      moved = false;
      const epoch = this.nextEpoch();
      const m = this.gatherUnvisited(cur, level, epoch);
      c.nodesVisited++;
      if (m === 0) break;
      this.probe.toRows(m);
      c.distanceEvals += m;
      c.kernelCalls++;
      const ids = this.probe.ids,
        out = this.probe.out;
      for (let i = 0; i < m; i++) {
        const d = out[i];
        if (d < curDist || (d === curDist && ids[i] < cur)) {
          curDist = d;
          cur = ids[i];
          moved = true;
        }
      }
    }
    this.bestDist = curDist;
    return cur;
  }

  descend(entry: number, entryDist: number, top: number, bottom: number): number {
    let ep = entry,
      epDist = entryDist;
    for (let l = top; l > bottom; l--) {
      ep = this.greedy(ep, epDist, l);
      epDist = this.bestDist;
    }
    this.bestDist = epDist;
    return ep;
  }

  search(ef: number, skipDeleted: boolean): number {
    const g = this.graph,
      entry = g.entry;
    if (entry < 0) return 0;
    const ep = this.descend(entry, this.distance(entry), g.maxLevel, 0);
    return this.searchLayer(ep, this.bestDist, ef, 0, skipDeleted, -1);
  }

  /**
   * Beam search at one level from one entry: the nearest `ef` rows, nearest first, in rows/dists.
   * `skipDeleted` keeps tombstoned rows (and rows the filter leaves out) out of the results while
   * still walking through them.
   * `exclude` is a row never to return (the row being inserted), or −1.
   */
  searchLayer(entry: number, entryDist: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number {
    const epoch = this.startSearch(exclude);
    this.visited[entry] = epoch;
    this.seed(entry, entryDist, skipDeleted);
    this.expand(ef, level, skipDeleted, epoch);
    return this.drain();
  }

  /**
   * Beam search at one level started from entries[0..count) at once (duplicates and `exclude` skipped,
   * their distances computed here in batched calls): a merge knows where a row belongs from the graph
   * it came from, so it starts there instead of descending from the entry point.
   */
  searchLayerFrom(count: number, ef: number, level: number, skipDeleted: boolean, exclude: number): number {
    const epoch = this.startSearch(exclude);
    const visited = this.visited,
      probe = this.probe,
      res = this.results,
      entries = this.entries;
    for (let i = 0; i < count;) {
      const ids = probe.ids;
      let m = 0;
      for (; i < count && m < probe.maxBatch; i++) {
        const r = entries[i];
        if (visited[r] !== epoch) {
          visited[r] = epoch;
          ids[m++] = r;
        }
      }
      if (m === 0) continue;
      probe.toRows(m);
      this.counters.distanceEvals += m;
      this.counters.kernelCalls++;
      const out = probe.out;
      for (let j = 0; j < m; j++) {
        this.seed(ids[j], out[j], skipDeleted);
        if (res.size > ef) res.pop();
      }
    }
    this.expand(ef, level, skipDeleted, epoch);
    return this.drain();
  }

  private startSearch(exclude: number): number {
    const epoch = this.nextEpoch();
    this.candidates.clear();
    this.results.clear();
    if (exclude >= 0) this.visited[exclude] = epoch;
    return epoch;
  }

  /** A starting point: a candidate to expand, and a result unless it is a tombstone being skipped. */
  private seed(row: number, dist: number, skipDeleted: boolean): void {
    this.candidates.push(dist, row);
    if (!(skipDeleted && this.rejects(row))) this.results.push(dist, row);
  }

  /** The beam search proper: expand the nearest candidate while it can still improve the ef results. */
  private expand(ef: number, level: number, skipDeleted: boolean, epoch: number): void {
    const cand = this.candidates,
      res = this.results,
      c = this.counters;
    while (cand.size > 0) {
      const d0 = cand.topKey();
      if (res.size >= ef && d0 > res.topKey()) break;
      const row = cand.topRow();
      cand.pop();
      const m = this.gatherUnvisited(row, level, epoch);
      c.nodesVisited++;
      if (m === 0) continue;
      this.probe.toRows(m);
      c.distanceEvals += m;
      c.kernelCalls++;
      const ids = this.probe.ids,
        out = this.probe.out;
      for (let i = 0; i < m; i++) {
        const d = out[i];
        if (res.size < ef || d < res.topKey()) {
          const nb = ids[i];
          cand.push(d, nb);
          if (skipDeleted && this.rejects(nb)) continue;
          if (res.size < ef) res.push(d, nb);
          else res.replaceTop(d, nb);
        }
      }
    }
  }

  /** The results, nearest first (by distance, then row), into rows/dists; returns the count. */
  private drain(): number {
    const n = this.results.size;
    if (n > this.rows.length) {
      this.rows = new Int32Array(Math.max(n, this.rows.length * 2));
      this.dists = new Float32Array(this.rows.length);
    }
    return this.results.drainReversed(this.rows, this.dists);
  }
}
