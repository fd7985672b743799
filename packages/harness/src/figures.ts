import type { CellResult } from './cell-result.js';
import { dataKey } from './matrix.js';

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

/** The peer row built on the same data and parameters as `cell` (for usearch, the same thread count when there is one). */
export function matchingPeer(cell: CellResult, peers: readonly CellResult[], name: string): CellResult | undefined {
  const same = peers.filter(
    (p) =>
      p.library === name &&
      p.status === 'ok' &&
      dataKey(p.spec) === dataKey(cell.spec) &&
      p.spec.M === cell.spec.M &&
      p.spec.efConstruction === cell.spec.efConstruction,
  );
  return same.find((p) => p.spec.threads === cell.spec.threads) ?? same.find((p) => p.spec.threads === 1) ?? same[0];
}

/** a / b, or null when either is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a == null || b == null || b === 0 ? null : a / b;
}
