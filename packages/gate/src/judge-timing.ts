import type { TimingEntry } from './baseline-file.js';
import { mannWhitneyU } from './mann-whitney.js';
import { median, medianStandardError } from './robust-stats.js';
import type { Verdict } from './verdict.js';

/** Significance level of the rank test (Pinpoint's). */
export const ALPHA = 0.01;
/** Width of the noise band in combined standard errors. */
export const NOISE_Z = 3;

/** How a timing ratio compares with its baseline, before it becomes a table row. */
export interface TimingJudgement {
  verdict: Exclude<Verdict, 'skipped' | 'new'>;
  baselineMedian: number;
  nowMedian: number;
  /** now ÷ baseline − 1, in percent. */
  changePercent: number;
  /** The allowed change, in percent: max(tolerance, noise band). */
  bandPercent: number;
  /** The noise band alone, in percent. */
  noisePercent: number;
  p: number;
  note: string;
}

/**
 * The drift of a ratio between runs minutes apart (machine load comes and goes), in log units: the
 * variance of the runs' medians less what their own sampling error explains. Zero with one run.
 */
export function betweenRunSigma(runs: readonly (readonly number[])[]): number {
  const logs = runs.filter((r) => r.length > 0).map((r) => r.map(Math.log));
  if (logs.length < 2) return 0;
  const medians = logs.map(median);
  const mean = medians.reduce((a, b) => a + b, 0) / medians.length;
  const variance = medians.reduce((a, m) => a + (m - mean) ** 2, 0) / (medians.length - 1);
  const sampling = logs.reduce((a, r) => a + medianStandardError(r) ** 2, 0) / logs.length;
  return Math.sqrt(Math.max(0, variance - sampling));
}

/**
 * Decide a ratio, in log space (a ratio's noise is multiplicative):
 * - |change| ≤ tolerance: pass (too small to matter, whatever the test says);
 * - |change| beyond the band (tolerance widened to 3 combined standard errors of both medians and the
 *   run-to-run spread of the baseline's runs, as rustc-perf widens by history) and Mann–Whitney
 *   p < 0.01: regression (slower) or improvement;
 * - otherwise unknown: the caller runs more repeats, and reports unknown if it stays so (Pinpoint).
 */
export function judgeTiming(entry: Pick<TimingEntry, 'runs' | 'tolerance'>, now: readonly number[]): TimingJudgement {
  const base = entry.runs.flat();
  const x = base.map(Math.log);
  const y = now.map(Math.log);
  const mx = median(x);
  const my = median(y);
  const delta = my - mx;
  const between = betweenRunSigma(entry.runs);
  const se = Math.sqrt(medianStandardError(x) ** 2 + medianStandardError(y) ** 2 + between ** 2);
  const noise = NOISE_Z * se;
  const tol = Math.log1p(entry.tolerance.relative);
  const band = Math.max(tol, noise);
  const { p } = mannWhitneyU(y, x);
  const pct = (v: number) => (Math.exp(v) - 1) * 100;
  const out = {
    baselineMedian: Math.exp(mx),
    nowMedian: Math.exp(my),
    changePercent: pct(delta),
    bandPercent: pct(band),
    noisePercent: pct(noise),
    p,
  };
  const fmt = (v: number) => `${v.toFixed(1)}%`;
  if (Math.abs(delta) <= tol) return { ...out, verdict: 'pass', note: `within tolerance ±${fmt(pct(tol))} (p=${p.toPrecision(2)})` };
  if (Math.abs(delta) > band && p < ALPHA) {
    return {
      ...out,
      verdict: delta > 0 ? 'regression' : 'improvement',
      note: `beyond ±${fmt(pct(band))}, Mann–Whitney p=${p.toPrecision(2)} < ${ALPHA}`,
    };
  }
  const why = Math.abs(delta) <= band ? `inside the noise band ±${fmt(pct(noise))}` : `p=${p.toPrecision(2)} ≥ ${ALPHA}`;
  return { ...out, verdict: 'unknown', note: `change beyond tolerance ±${fmt(pct(tol))} but ${why}: more repeats needed` };
}
