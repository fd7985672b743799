import type { CellResult } from './cell-result.js';
import { peerKey } from './matrix.js';

/** The best QPS among sweep points reaching `recall`, or null when none does (ann-benchmarks' reading of a curve). */
export function qpsAtRecall(cell: CellResult, recall: number): number | null {
  let best: number | null = null;
  for (const p of cell.search ?? []) if (p.recall >= recall && (best === null || p.qps > best)) best = p.qps;
  return best;
}

/** The highest recall of the sweep. */
export function bestRecall(cell: CellResult): number | null {
  const s = cell.search ?? [];
  return s.length ? Math.max(...s.map((p) => p.recall)) : null;
}

/**
 * The peer row built on the same data and parameters as `cell`, measured on the same machine when one
 * was (a merged report holds a peer row per runner); for usearch, the same thread count when there is one.
 */
export function matchingPeer(cell: CellResult, peers: readonly CellResult[], name: string): CellResult | undefined {
  const key = peerKey(cell.spec);
  const same = peers.filter((p) => p.library === name && p.status === 'ok' && peerKey(p.spec) === key);
  const here = same.filter((p) => p.machine === cell.machine);
  const pool = here.length ? here : same;
  const t = threadsUsed(cell);
  return pool.find((p) => threadsUsed(p) === t) ?? pool.find((p) => threadsUsed(p) === 1) ?? pool[0];
}

/** The threads a cell's build ran on: `build.threads`, or the threads asked for in reports that predate it. */
export function threadsUsed(cell: CellResult): number {
  return cell.build?.threads ?? cell.spec.threads;
}

/** a / b, or null when either is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a == null || b == null || b === 0 ? null : a / b;
}

/** The ef the serving figures (event loop, crossings per query) are read at: the middle of the sweep (the upper middle for an even count). */
export function referenceEf(efs: readonly number[]): number {
  return efs[Math.floor(efs.length / 2)];
}
