import type { Suite } from './suite.js';

/**
 * What the gate concluded about one figure. `regression` fails the gate; `stale` fails it too: the
 * baseline no longer describes the tree (the cell's data or definition changed), so nothing is
 * guarded until it is re-baselined; `missing` fails it as well: a kernel the run was told to require
 * (HNSWLAB_REQUIRE_KERNELS) is unavailable. `unknown` means the data could not decide (too noisy, a
 * busy machine, another code path or environment, no valgrind) and is reported, not failed; `skipped`
 * says why a figure was not measured (a kernel that did not load); `new` is a figure with no baseline
 * entry yet.
 */
export type Verdict = 'pass' | 'regression' | 'improvement' | 'unknown' | 'stale' | 'missing' | 'skipped' | 'new';

/** One row of the verdict table. */
export interface VerdictRow {
  suite: Suite;
  /** Stable id of the figure, the key of its baseline entry. */
  id: string;
  /** What the figure is, e.g. `distanceEvalsPerInsert` or `build time per insert, batched ÷ sequential`. */
  figure: string;
  /** What it was measured on: kernel (and code path), cell or pair. */
  subject: string;
  baseline: number | null;
  now: number | null;
  /** (now − baseline) / baseline, in percent. */
  changePercent: number | null;
  /** The change allowed before a verdict other than pass, as printed (e.g. `±0.5%`, `±6.2% (noise)`). */
  allowed: string;
  verdict: Verdict;
  /** Why: the tolerance, the p-value, the reason a figure was skipped. */
  note: string;
}

/** Whether a set of rows fails the gate (any regression, stale baseline or missing required kernel; with failOnUnknown also any unknown). */
export function gateFails(rows: readonly VerdictRow[], failOnUnknown = false): boolean {
  return rows.some(
    (r) => r.verdict === 'regression' || r.verdict === 'stale' || r.verdict === 'missing' || (failOnUnknown && r.verdict === 'unknown'),
  );
}
