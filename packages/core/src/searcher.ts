import type { DistanceProbe, VectorSpace } from './contracts.js';
import { Counters, now } from './counters.js';
import type { Graph } from './graph.js';
import { PairHeap } from './heap.js';

/**
 * One thread's view of the graph for searching: its own probe, visited tags and heaps. The visited set
 * is reset in O(1) by bumping an epoch, never by clearing an array of size n.
 * With `locking` on (parallel builds), each link list is copied under its node's lock.
 */
export class Searcher {
  readonly probe: DistanceProbe;
  readonly candidates = PairHeap.nearestFirst(256);
  readonly results = PairHeap.farthestFirst(256);
  protected visited: Uint32Array;
  protected epoch = 0;
  /** Distance of the node greedy() returned. */
  bestDist = 0;

  constructor(
    readonly graph: Graph,
    readonly space: VectorSpace,
    readonly counters: Counters,
    readonly locking = false,
  ) {
    this.probe = space.createProbe(graph.M0 + 1);
    this.visited = new Uint32Array(graph.capacity);
  }

  /** Bytes of this thread's scratch (visited tags, heaps). */
  scratchBytes(): number {
    const h = (x: PairHeap) => x.keys.byteLength + x.rows.byteLength;
    return this.visited.byteLength + h(this.candidates) + h(this.results);
  }

  /** Follow graph growth (call after the graph's capacity changed). */
  fitCapacity(): void {
    if (this.visited.length < this.graph.capacity) {
      const v = new Uint32Array(this.graph.capacity);
      v.set(this.visited);
      this.visited = v;
    }
  }

  protected nextEpoch(): number {
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
  protected gatherUnvisited(row: number, level: number, epoch: number): number {
    const g = this.graph;
    const list = g.listArray(level);
    const off = g.listOffset(row, level);
    const ids = this.probe.ids;
    const visited = this.visited;
    if (this.locking) this.lock(row);
    const n = list[off];
    let m = 0;
    for (let j = 1; j <= n; j++) {
      const nb = list[off + j];
      if (visited[nb] !== epoch) {
        visited[nb] = epoch;
        ids[m++] = nb;
      }
    }
    if (this.locking) this.unlock(row);
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

  /**
   * Beam search at one level from one entry: leaves the nearest `ef` rows in `results` (farthest on top).
   * `skipDeleted` keeps tombstoned rows out of the results while still walking through them.
   * `exclude` is a row never to return (the row being inserted), or −1.
   */
  searchLayer(entry: number, entryDist: number, ef: number, level: number, skipDeleted: boolean, exclude = -1): void {
    const epoch = this.startSearch(exclude);
    this.visited[entry] = epoch;
    this.seed(entry, entryDist, skipDeleted);
    this.expand(ef, level, skipDeleted, epoch);
  }

  /**
   * Beam search at one level started from several entries at once (duplicates and `exclude` skipped,
   * their distances computed here in batched calls): a merge knows where a row belongs from the graph
   * it came from, so it starts there instead of descending from the entry point. Leaves the nearest
   * `ef` rows in `results` like {@link searchLayer}.
   */
  searchLayerFrom(entries: Int32Array, count: number, ef: number, level: number, skipDeleted: boolean, exclude = -1): void {
    const epoch = this.startSearch(exclude);
    const visited = this.visited,
      probe = this.probe,
      res = this.results;
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
      const out = probe.out;
      for (let j = 0; j < m; j++) {
        this.seed(ids[j], out[j], skipDeleted);
        if (res.size > ef) res.pop();
      }
    }
    this.expand(ef, level, skipDeleted, epoch);
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
    if (!(skipDeleted && this.graph.deleted[row])) this.results.push(dist, row);
  }

  /** The beam search proper: expand the nearest candidate while it can still improve the ef results. */
  private expand(ef: number, level: number, skipDeleted: boolean, epoch: number): void {
    const cand = this.candidates,
      res = this.results,
      c = this.counters;
    const deleted = this.graph.deleted;
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
      const ids = this.probe.ids,
        out = this.probe.out;
      for (let i = 0; i < m; i++) {
        const d = out[i];
        if (res.size < ef || d < res.topKey()) {
          const nb = ids[i];
          cand.push(d, nb);
          if (skipDeleted && deleted[nb]) continue;
          if (res.size < ef) res.push(d, nb);
          else res.replaceTop(d, nb);
        }
      }
    }
  }

  /** Descend from the entry point to level 0 and beam-search there; results hold the nearest ef. */
  searchFromTop(ef: number): void {
    const g = this.graph;
    const entry = g.entry;
    if (entry < 0) {
      this.results.clear();
      return;
    }
    const c = this.counters;
    let ep = entry;
    let epDist = this.probe.toRow(ep);
    c.distanceEvals++;
    for (let l = g.maxLevel; l > 0; l--) {
      ep = this.greedy(ep, epDist, l);
      epDist = this.bestDist;
    }
    this.searchLayer(ep, epDist, ef, 0, g.deletedCount > 0);
  }

  lock(row: number): void {
    this.lockWord(this.graph.locks, row);
  }

  unlock(row: number): void {
    unlockWord(this.graph.locks, row);
  }

  /**
   * Take a lock word (0 free, 1 held, 2 held with waiters). Spin briefly, then sleep in Atomics.wait:
   * on an oversubscribed machine a descheduled holder would otherwise cost the spinner whole time slices.
   */
  protected lockWord(words: Int32Array, at: number): void {
    let c = Atomics.compareExchange(words, at, 0, 1);
    if (c === 0) return;
    const t0 = now();
    let spins = 0;
    for (; spins < SPINS_BEFORE_WAIT && c !== 0; spins++) c = Atomics.compareExchange(words, at, 0, 1);
    if (c !== 0) {
      if (c !== 2) c = Atomics.exchange(words, at, 2);
      while (c !== 0) {
        Atomics.wait(words, at, 2);
        c = Atomics.exchange(words, at, 2);
      }
    }
    this.counters.lockSpins += spins + 1;
    this.counters.lockWait += now() - t0;
  }
}

const SPINS_BEFORE_WAIT = 64;

/** Release a lock word taken by {@link Searcher.lockWord}, waking one sleeper if there are any. */
export function unlockWord(words: Int32Array, at: number): void {
  if (Atomics.exchange(words, at, 0) === 2) Atomics.notify(words, at, 1);
}
