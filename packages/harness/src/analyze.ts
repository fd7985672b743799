import { buildTitle } from './cell-spec.js';
import type { CellResult } from './cell-result.js';

/** Per-insert cost against n for one kernel × strategy (or peer) on one kind of data. */
export interface ScaleCurve {
  /** The cell label without n. */
  series: string;
  library: string;
  points: Array<{ n: number; seconds: number; microsecondsPerInsert: number; distanceEvalsPerInsert: number | null }>;
  /** b in build seconds ∝ n^b, least squares on log–log. n log n over 10k–1M gives about 1.1. */
  timeExponent: number;
  /** The same fit on distance evaluations (deterministic, noise-free); null for peers. */
  distanceExponent: number | null;
  /** Per-insert cost growth from the smallest to the largest n, divided by the growth of ln n (≈ 1 when cost ∝ log n). */
  growthVsLogN: number;
  /**
   * True when the cost grows faster than n log n allows: distance evaluations as n^b with b > 1.25, or
   * build time with b > 1.5 over at least three sizes, unless hnswlib-node's time on the same data
   * grows alike (the data, not us). A super-linear term to investigate. Always false for peers.
   */
  superlinear: boolean;
  /** Why the flag was raised. */
  reason?: string;
}

/** Build speed against dimension for one kernel × strategy (or peer). */
export interface DimCurve {
  series: string;
  library: string;
  points: Array<{
    dim: number;
    vectorsPerSecond: number;
    neighborSearchShare: number | null;
    distanceEvalsPerInsert: number | null;
    nanosecondsPerDistance: number | null;
  }>;
  /** b in build seconds ∝ dim^b over the measured range (distance work alone gives 1; fixed costs make it smaller). */
  exponent: number;
}

/**
 * Thresholds for the super-linear flag. Distance evaluations are deterministic, so their exponent is
 * trusted from two sizes; build time is noisy on a shared machine, so a time-only flag needs a larger
 * exponent and at least three sizes. n log n gives about 1.1 on either over 10k–1M.
 */
export const SUPERLINEAR_TIME_EXPONENT = 1.5;
export const SUPERLINEAR_DISTANCE_EXPONENT = 1.25;
export const SUPERLINEAR_TIME_MIN_SIZES = 3;
/** A flag is withdrawn when hnswlib-node's time exponent on the same data is at most this much lower than ours. */
export const SUPERLINEAR_PEER_MARGIN = 0.2;

/** Least-squares slope of log y on log x. */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log),
    ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length,
    my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0,
    den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return den > 0 ? num / den : NaN;
}

/** The key cells share a curve by: everything but n (scale curve) or dim (dimension curve). */
export function seriesKey(c: CellResult, without: 'n' | 'dim'): string {
  const s = c.spec;
  const parts = [
    buildTitle(s),
    s.dataset,
    without === 'n' ? `d=${s.dim}` : `n=${s.n}`,
    s.metric,
    `M=${s.M}`,
    `efc=${s.efConstruction}`,
    `t=${s.threads}`,
  ];
  return parts.join(' ');
}

function groups(cells: readonly CellResult[], without: 'n' | 'dim'): Map<string, CellResult[]> {
  const out = new Map<string, CellResult[]>();
  for (const c of cells) {
    if (c.status !== 'ok' || !c.build) continue;
    const k = seriesKey(c, without);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(c);
  }
  return out;
}

/** Scale curves of every series measured at two or more sizes. */
export function scaleCurves(cells: readonly CellResult[]): ScaleCurve[] {
  const curves: ScaleCurve[] = [];
  for (const [series, list] of groups(cells, 'n')) {
    const byN = new Map<number, CellResult>();
    for (const c of list) byN.set(c.dataset?.n ?? c.spec.n, c);
    if (byN.size < 2) continue;
    const sorted = [...byN.entries()].sort((a, b) => a[0] - b[0]);
    const points = sorted.map(([n, c]) => ({
      n,
      seconds: c.build!.seconds,
      microsecondsPerInsert: (c.build!.seconds / n) * 1e6,
      distanceEvalsPerInsert: c.build!.distanceEvalsPerInsert,
    }));
    const ns = points.map((p) => p.n);
    const timeExponent = logLogSlope(
      ns,
      points.map((p) => p.seconds),
    );
    const withEvals = points.every((p) => p.distanceEvalsPerInsert !== null);
    const distanceExponent = withEvals
      ? logLogSlope(
          ns,
          points.map((p) => p.distanceEvalsPerInsert! * p.n),
        )
      : null;
    const first = points[0],
      last = points[points.length - 1];
    const growthVsLogN = last.microsecondsPerInsert / first.microsecondsPerInsert / (Math.log(last.n) / Math.log(first.n));
    const reasons: string[] = [];
    if (timeExponent > SUPERLINEAR_TIME_EXPONENT && points.length >= SUPERLINEAR_TIME_MIN_SIZES)
      reasons.push(`build time grows as n^${timeExponent.toFixed(2)} (> ${SUPERLINEAR_TIME_EXPONENT} over ${points.length} sizes)`);
    if (distanceExponent !== null && distanceExponent > SUPERLINEAR_DISTANCE_EXPONENT)
      reasons.push(`distance evaluations grow as n^${distanceExponent.toFixed(2)} (> ${SUPERLINEAR_DISTANCE_EXPONENT})`);
    curves.push({
      series,
      library: list[0].library,
      points,
      timeExponent,
      distanceExponent,
      growthVsLogN,
      superlinear: reasons.length > 0,
      reason: reasons.length ? reasons.join('; ') : undefined,
    });
  }
  // Is it us or the data? High-intrinsic-dimension data (real embeddings such as GloVe at small n)
  // and outgrown caches make every HNSW do more work per insert as n grows; the reference library's
  // time exponent on the same data tells the two apart. A flag (on time or on distance counts) within
  // SUPERLINEAR_PEER_MARGIN of hnswlib-node's time exponent is withdrawn, with a note: a super-linear
  // term of ours would raise our exponent above the reference's. Peer curves are references and
  // never flagged themselves.
  const dataOf = (series: string) => series.split(' ').slice(1, -1).join(' ');
  for (const c of curves) {
    if (c.library !== 'hnswlab') {
      if (c.superlinear) c.reason = `reference, not flagged: ${c.reason}`;
      c.superlinear = false;
      continue;
    }
    const ref = curves.find((p) => p.library === 'hnswlib-node' && dataOf(p.series) === dataOf(c.series));
    if (!ref || !c.reason) continue;
    if (c.superlinear && c.timeExponent - ref.timeExponent <= SUPERLINEAR_PEER_MARGIN) {
      c.superlinear = false;
      c.reason = `not flagged: ${c.reason}, but hnswlib-node grows alike on the same data (n^${ref.timeExponent.toFixed(2)}): caches or data, not a super-linear term here`;
    } else {
      c.reason += `; hnswlib-node on the same data: time n^${ref.timeExponent.toFixed(2)}`;
    }
  }
  return curves;
}

/** Dimension curves of every series measured at two or more dimensions. */
export function dimCurves(cells: readonly CellResult[]): DimCurve[] {
  const curves: DimCurve[] = [];
  for (const [series, list] of groups(cells, 'dim')) {
    const byDim = new Map<number, CellResult>();
    for (const c of list) byDim.set(c.dataset?.dim ?? c.spec.dim, c);
    if (byDim.size < 2) continue;
    const sorted = [...byDim.entries()].sort((a, b) => a[0] - b[0]);
    const points = sorted.map(([dim, c]) => {
      const b = c.build!;
      const evals = b.distanceEvalsPerInsert;
      return {
        dim,
        vectorsPerSecond: b.vectorsPerSecond,
        neighborSearchShare: b.phaseShares?.neighborSearch ?? null,
        distanceEvalsPerInsert: evals,
        nanosecondsPerDistance: evals ? (b.seconds / ((c.dataset?.n ?? c.spec.n) * evals)) * 1e9 : null,
      };
    });
    curves.push({
      series,
      library: list[0].library,
      points,
      exponent: logLogSlope(
        points.map((p) => p.dim),
        points.map((p) => 1 / p.vectorsPerSecond),
      ),
    });
  }
  return curves;
}
