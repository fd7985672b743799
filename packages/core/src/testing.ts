// Test-only hooks (`@hnswlab/core/testing`): reach an index's graph to corrupt or fingerprint it,
// and plant deliberate slowdowns in the core's real code path for the gate's self-test. Not for
// production code; shapes here change with the core.
import type { VectorSpace } from './contracts.js';
import type { HnswIndex } from './hnsw-index.js';
import type { Graph } from './graph.js';
import { STATES, type IndexState } from './index-state.js';
import { Inserter } from './inserter.js';
import { Searcher } from './searcher.js';

export type { Graph } from './graph.js';
export { H_COUNT, H_DELETED, H_ENTRY, H_MAX_LEVEL, H_UPPER_USED } from './layout.js';

function stateOf(index: HnswIndex): IndexState {
  const s = STATES.get(index);
  if (!s) throw new TypeError('not an HnswIndex');
  return s;
}

/** The index's graph, live: tests corrupt it to show the checker each fault it claims to catch. */
export function graphOf(index: HnswIndex): Graph {
  return stateOf(index).graph;
}

/** The kernel's vector space of an index, live. */
export function spaceOf(index: HnswIndex): VectorSpace {
  return stateOf(index).space;
}

/** The id → row map, live. */
export function idMapOf(index: HnswIndex): Map<number, number> {
  return stateOf(index).rowOf;
}

/** Everything a build decides (levels, links, entry point), for comparing two builds byte for byte. */
export function graphFingerprint(index: HnswIndex): { header: number[]; levels: number[]; links0: number[]; upper: number[] } {
  const g = graphOf(index);
  const header = Array.from(g.header.subarray(0, 6));
  return {
    header,
    levels: Array.from(g.levels.subarray(0, g.count)),
    links0: Array.from(g.links0.subarray(0, g.count * g.stride0)),
    upper: Array.from(g.upper.subarray(0, header[3])),
  };
}

/** Deliberate slowdowns, all off by default. */
export interface Slowdowns {
  /** Extra distance evaluations (computed and counted) per expanded node of the JavaScript traversal. */
  evalsPerExpansion: number;
  /** Clears of the whole visited array per search step: O(n) work, the super-linear kind of bug. */
  visitedClears: number;
  /** Called after every insert of the JavaScript linker (e.g. a busy wait). */
  afterInsert: (() => void) | null;
}

const planted: Slowdowns = { evalsPerExpansion: 0, visitedClears: 0, afterInsert: null };
const patched = new Set<keyof Slowdowns>();
let sink = 0;

type Inner = { probe: { toRow(r: number): number }; counters: { distanceEvals: number }; visited: Uint32Array };

/**
 * Plant slowdowns in the core's own classes, in this process. Each method is patched the first time
 * its slowdown is asked for, and only then: an unplanted patch would still add a call layer to the hot
 * path and move instruction counts by itself. Later calls switch the amounts.
 */
export function plantSlowdowns(settings: Partial<Slowdowns>): void {
  Object.assign(planted, settings);
  const sp = Searcher.prototype as unknown as Record<string, (...a: number[]) => number>;
  if (planted.evalsPerExpansion > 0 && !patched.has('evalsPerExpansion')) {
    patched.add('evalsPerExpansion');
    const gather = sp.gatherUnvisited;
    sp.gatherUnvisited = function (this: Inner, row: number, level: number, epoch: number): number {
      const m = gather.call(this, row, level, epoch);
      for (let i = 0; i < planted.evalsPerExpansion; i++) sink += this.probe.toRow(row);
      this.counters.distanceEvals += planted.evalsPerExpansion;
      return m;
    };
  }
  if (planted.visitedClears > 0 && !patched.has('visitedClears')) {
    patched.add('visitedClears');
    const next = sp.nextEpoch;
    sp.nextEpoch = function (this: Inner): number {
      // A plain loop, as such a bug would be written: a fill() is a memset that hides it from an instruction count.
      const visited = this.visited;
      for (let pass = 0; pass < planted.visitedClears; pass++) for (let i = 0; i < visited.length; i++) visited[i] = 0;
      return next.call(this);
    };
  }
  if (planted.afterInsert && !patched.has('afterInsert')) {
    patched.add('afterInsert');
    const ip = Inserter.prototype as unknown as Record<string, (row: number) => void>;
    const insert = ip.insert;
    ip.insert = function (this: unknown, row: number): void {
      insert.call(this, row);
      planted.afterInsert?.();
    };
  }
}

/** Keeps the planted evaluations' results observable, so the work is not optimised away. */
export function slowdownSink(): number {
  return sink;
}
