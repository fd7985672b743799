import type { TimingEntry, TimingProcess } from './baseline-file.js';
import { describeContention } from './contention.js';
import { mannWhitneyU } from './mann-whitney.js';
import { mean, median, medianStandardError, sampleSigma } from '@hnswlab/lab-kit';
import type { Verdict } from './verdict.js';

/** Significance level of the rank test over process medians (Pinpoint's). */
export const ALPHA = 0.01;

/**
 * A pair whose process-to-process spread (σ of the log median ratio) exceeds this on the baseline is
 * reported, not gated: with 5 + 5 processes its band would pass 10% anyway, and a wider spread on a
 * machine that was quiet means the figure depends on the process, not the code.
 */
export const MAX_GATED_PROCESS_SIGMA = 0.04;

/** How a timing ratio compares with its baseline, before it becomes a table row. */
export interface TimingJudgement {
  verdict: Exclude<Verdict, 'skipped' | 'new' | 'stale'>;
  baselineMedian: number;
  nowMedian: number;
  /** now ÷ baseline − 1, in percent. */
  changePercent: number;
  /** The allowed change, in percent: max(tolerance, noise band). */
  bandPercent: number;
  /** The noise band alone, in percent. */
  noisePercent: number;
  p: number;
  /** Whether every process on both sides ran on a quiet machine. */
  quiet: boolean;
  /** Whether more processes could turn an unknown into a verdict (not when the entry is ungated or the machine busy). */
  morePossible: boolean;
  note: string;
}

/** Each process's median ratio, in log units. */
export function processLogMedians(processes: readonly TimingProcess[]): number[] {
  return processes.filter((p) => p.ratios.length > 0).map((p) => median(p.ratios.map(Math.log)));
}

// Two-sided 99% quantiles of Student's t, by degrees of freedom (1–30; beyond, the normal's 2.576).
const T995 = [
  63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861,
  2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.75,
];

export function tQuantile995(df: number): number {
  return df < 1 ? Infinity : (T995[df - 1] ?? 2.576);
}

/**
 * Decide a ratio from fresh processes on both sides, in log space (a ratio's noise is multiplicative).
 * The unit is the process: each contributes its median ratio, so the noise model is the spread from
 * one process to the next (memory layout, JIT decisions, CPU placement), which the repeats inside one
 * process understate.
 * - |change| ≤ tolerance: pass;
 * - the baseline entry is not gated (unstable across processes, or measured on a busy machine), or
 *   any process on either side ran on a busy machine: unknown, with the numbers reported;
 * - |change| beyond the band (tolerance widened to t₀.₉₉₅ · σ · √(1/m + 1/n), σ the pooled spread of
 *   process medians, never below their own sampling error) and Mann–Whitney p < 0.01 over the process
 *   medians: regression (slower) or improvement;
 * - otherwise unknown: the caller measures more processes, and reports unknown if it stays so.
 */
export function judgeTiming(
  entry: Pick<TimingEntry, 'processes' | 'tolerance' | 'gated' | 'note'>,
  now: readonly TimingProcess[],
): TimingJudgement {
  const x = processLogMedians(entry.processes);
  const y = processLogMedians(now);
  const mx = mean(x);
  const my = mean(y);
  const delta = my - mx;
  const df = x.length + y.length - 2;
  const pooled = df > 0 ? Math.sqrt(((x.length - 1) * sampleSigma(x) ** 2 + (y.length - 1) * sampleSigma(y) ** 2) / df) : Infinity;
  // Process medians cannot agree better than their own sampling error; a lucky few must not narrow the band.
  const within = Math.sqrt(
    mean([...entry.processes, ...now].map((p) => medianStandardError(p.ratios.map(Math.log)) ** 2).filter(Number.isFinite)),
  );
  const sigma = Math.max(pooled, within || 0);
  const noise = tQuantile995(Math.max(1, df)) * sigma * Math.sqrt(1 / x.length + 1 / y.length);
  const tol = Math.log1p(entry.tolerance.relative);
  const band = Math.max(tol, noise);
  const { p } = mannWhitneyU(y, x);
  const pct = (v: number) => (Math.exp(v) - 1) * 100;
  const busy = [...entry.processes.map((q) => ({ side: 'baseline', q })), ...now.map((q) => ({ side: 'now', q }))].filter(
    ({ q }) => !q.contention.quiet,
  );
  const out = {
    baselineMedian: Math.exp(mx),
    nowMedian: Math.exp(my),
    changePercent: pct(delta),
    bandPercent: pct(band),
    noisePercent: pct(noise),
    p,
    quiet: busy.length === 0,
    morePossible: false,
  };
  const fmt = (v: number) => `${v.toFixed(1)}%`;
  const counts = `${x.length}+${y.length} processes`;
  if (Math.abs(delta) <= tol) return { ...out, verdict: 'pass', note: `within tolerance ±${fmt(pct(tol))} (${counts})` };
  const direction = delta > 0 ? 'slower' : 'faster';
  if (!entry.gated) {
    return {
      ...out,
      verdict: 'unknown',
      note: `${direction} by the numbers; reported, not gated: ${entry.note ?? 'the baseline entry is not gated'}`,
    };
  }
  if (busy.length) {
    const worst = busy.reduce((a, b) => ((b.q.contention.othersCores ?? Infinity) > (a.q.contention.othersCores ?? Infinity) ? b : a));
    return {
      ...out,
      verdict: 'unknown',
      note: `${direction} by the numbers, but the machine was busy in ${busy.length} of ${x.length + y.length} processes (worst, ${worst.side}: ${describeContention(worst.q.contention)}): reported, not gated`,
    };
  }
  if (Math.abs(delta) > band && p < ALPHA) {
    return {
      ...out,
      verdict: delta > 0 ? 'regression' : 'improvement',
      note: `beyond ±${fmt(pct(band))}, Mann–Whitney p=${p.toPrecision(2)} < ${ALPHA} over ${counts}`,
    };
  }
  const why = Math.abs(delta) <= band ? `inside the process noise band ±${fmt(pct(noise))}` : `p=${p.toPrecision(2)} ≥ ${ALPHA}`;
  return {
    ...out,
    morePossible: true,
    verdict: 'unknown',
    note: `change beyond tolerance ±${fmt(pct(tol))} but ${why} (${counts}): more processes needed`,
  };
}

/**
 * Whether a freshly measured pair can be gated on: every process quiet, and the process medians within
 * {@link MAX_GATED_PROCESS_SIGMA}. Returns the σ and, when not gated, why.
 */
export function gateability(processes: readonly TimingProcess[]): { processSigma: number; gated: boolean; note?: string } {
  const processSigma = sampleSigma(processLogMedians(processes));
  const busy = processes.filter((p) => !p.contention.quiet);
  if (processes.length < 2) return { processSigma, gated: false, note: 'fewer than two processes: no process-to-process spread' };
  if (busy.length) {
    return {
      processSigma,
      gated: false,
      note: `the baseline was measured on a busy machine (${busy.length} of ${processes.length} processes; e.g. ${describeContention(busy[0].contention)})`,
    };
  }
  if (processSigma > MAX_GATED_PROCESS_SIGMA) {
    return {
      processSigma,
      gated: false,
      note: `unstable across processes on a quiet machine (σ ${(processSigma * 100).toFixed(1)}% > ${(MAX_GATED_PROCESS_SIGMA * 100).toFixed(0)}%)`,
    };
  }
  return { processSigma, gated: true };
}
