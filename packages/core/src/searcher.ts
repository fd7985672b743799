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
    let cur = entry, curDist = entryDist;
    for (let moved = true; moved; ) {
      moved = false;
      const epoch = this.nextEpoch();
      const m = this.gatherUnvisited(cur, level, epoch);
      c.nodesVisited++;
      if (m === 0) break;
      this.probe.toRows(m);
      c.distanceEvals += m;
      const ids = this.probe.ids, out = this.probe.out;
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
    const cand = this.candidates, res = this.results, c = this.counters;
    const deleted = this.graph.deleted;
    const epoch = this.nextEpoch();
    cand.clear();
    res.clear();
    this.visited[entry] = epoch;
    if (exclude >= 0) this.visited[exclude] = epoch;
    cand.push(entryDist, entry);
    if (!(skipDeleted && deleted[entry])) res.push(entryDist, entry);
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
      const ids = this.probe.ids, out = this.probe.out;
      for (let i = 0; i < m; i++) {
        const d = out[i];
        if (res.size < ef || d < res.topKey()) {
          const nb = ids[i];
          cand.push(d, nb);
          if (skipDeleted && deleted[nb]) continue;
          res.push(d, nb);
          if (res.size > ef) res.pop();
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
    const locks = this.graph.locks;
    if (Atomics.compareExchange(locks, row, 0, 1) === 0) return;
    const t0 = now();
    let spins = 0;
    while (Atomics.compareExchange(locks, row, 0, 1) !== 0) spins++;
    this.counters.lockSpins += spins + 1;
    this.counters.lockWait += now() - t0;
  }

  unlock(row: number): void {
    Atomics.store(this.graph.locks, row, 0);
  }
}
