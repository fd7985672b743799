import { STORES } from '@hnswlab/core';
import type { BenchReport } from './bench-report.js';
import type { CellResult, SearchPoint } from './cell-result.js';
import { buildTitle } from './cell-spec.js';
import { ratio, referenceEf } from './figures.js';
import { fmt, fmtRatio } from './format.js';
import { dataTitle } from './headline.js';
import { peerKey } from './matrix.js';
import { paretoFrontier } from './pareto.js';
import { storeStyle } from './palette.js';
import { curveFigure } from './html-figure.js';
import type { Series } from './svg-charts.js';

/** The recall at which the precision table reads QPS (the b1 + rerank target is read here). */
export const STORE_RECALL = 0.9;

/** The precision axis of one data set: its cells (kernel × store × strategy), f32 ones included. */
export interface StoreGroup {
  title: string;
  /** The ef the per-ef figures are read at (the sweep's middle). */
  ef: number;
  /** The rerank factors swept in the group, ascending. */
  rerank: number[];
  cells: CellResult[];
}

/** The store of a cell: spec.store, f32 when absent. */
export function storeOf(c: CellResult): string {
  return c.spec.store ?? 'f32';
}

/**
 * The cells of the precision axis, by data set and build parameters: every group that holds a cell
 * with a store (spec.store), together with the f32 cells beside it, which the ratios compare against.
 */
export function storeGroups(report: BenchReport): StoreGroup[] {
  const groups = new Map<string, CellResult[]>();
  for (const c of report.cells) {
    const k = peerKey(c.spec);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(c);
  }
  const out: StoreGroup[] = [];
  for (const cells of groups.values()) {
    if (!cells.some((c) => c.spec.store !== undefined)) continue;
    const order = (c: CellResult) => STORES.indexOf(c.spec.store ?? 'f32');
    const sorted = [...cells].sort(
      (a, b) =>
        a.spec.kernel.localeCompare(b.spec.kernel) ||
        a.spec.strategy.localeCompare(b.spec.strategy) ||
        (a.spec.boundary ?? '').localeCompare(b.spec.boundary ?? '') ||
        a.spec.threads - b.spec.threads ||
        order(a) - order(b),
    );
    const first = sorted.find((c) => c.status === 'ok') ?? sorted[0];
    out.push({
      title: dataTitle(first),
      ef: referenceEf(first.spec.ef),
      rerank: [...new Set(sorted.flatMap((c) => c.spec.rerank ?? []))].sort((a, b) => a - b),
      cells: sorted,
    });
  }
  return out;
}

/** The f32 cell a store cell compares against: same kernel, strategy, boundary and threads. */
export function f32Twin(c: CellResult, cells: readonly CellResult[]): CellResult | undefined {
  return cells.find(
    (o) =>
      o.status === 'ok' &&
      o.spec.store === undefined &&
      o.spec.kernel === c.spec.kernel &&
      o.spec.strategy === c.spec.strategy &&
      o.spec.boundary === c.spec.boundary &&
      o.spec.threads === c.spec.threads,
  );
}

/** Best QPS among the points reaching `recall`, or null. */
function qpsAt(points: readonly SearchPoint[] | undefined, recall: number): number | null {
  let best: number | null = null;
  for (const p of points ?? []) if (p.recall >= recall && (best === null || p.qps > best)) best = p.qps;
  return best;
}

/** The point at `ef` of the plain sweep, or of the rerank sweep with factor `rerank`. */
export function storePoint(c: CellResult, ef: number, rerank?: number): SearchPoint | undefined {
  const points = rerank === undefined ? c.search : c.rerankSearch?.find((s) => s.rerank === rerank)?.points;
  return points?.find((p) => p.ef === ef);
}

/** Recall lost against the f32 twin at `ef`: f32's recall − this cell's (positive: lost), or null. */
export function recallLost(c: CellResult, twin: CellResult | undefined, ef: number, rerank?: number): number | null {
  const mine = storePoint(c, ef, rerank)?.recall;
  const theirs = twin && storePoint(twin, ef)?.recall;
  return mine == null || theirs == null ? null : theirs - mine;
}

/** A signed recall difference: `0.012`, `−0.003`, `0.000`. */
function fmtLoss(v: number | null): string {
  return v === null ? '–' : v < 0 ? `−${fmt(-v, 3)}` : fmt(v, 3);
}

/**
 * The precision table of one group: a row per cell (a store the kernel does not implement says why):
 * what was kept, vector bytes per vector and the ratio to the f32 cell of the same build, build vec/s
 * and its ratio, recall and QPS at the group's ef without rerank and with each rerank factor, the
 * recall lost against f32 at that ef, and QPS at recall ≥ STORE_RECALL without and with rerank.
 */
export function storeTable(g: StoreGroup): { head: string[]; rows: string[][] } {
  const e = g.ef;
  const head = [
    'build',
    'store',
    'f32 kept',
    'clamped',
    'vector B/vec',
    '× raw',
    '× f32',
    'vec/s',
    '× f32',
    `recall (ef=${e})`,
    `lost vs f32 (ef=${e})`,
    `QPS (ef=${e})`,
    `QPS@${STORE_RECALL}`,
    ...g.rerank.flatMap((r) => [`recall r=${r} (ef=${e})`, `lost r=${r}`, `QPS r=${r} (ef=${e})`, `QPS@${STORE_RECALL} r=${r}`]),
  ];
  const rows = g.cells.map((c) => {
    const name = `${buildTitle({ ...c.spec, store: undefined })}${c.build?.source === 'cache' ? ' †' : ''}`;
    if (c.status !== 'ok') return [name, storeOf(c), '', '', c.reason ?? c.status, ...Array<string>(head.length - 5).fill('')];
    const twin = f32Twin(c, g.cells);
    const bytes = c.memory?.bytesPerVector.vectors;
    const kept = c.store?.keepFullPrecision ?? c.spec.store === undefined;
    const rerankCells = g.rerank.flatMap((r) => {
      const sweep = c.rerankSearch?.find((s) => s.rerank === r);
      if (!sweep) return ['–', '–', '–', '–'];
      return [
        fmt(storePoint(c, e, r)?.recall, 3),
        fmtLoss(recallLost(c, twin, e, r)),
        fmt(storePoint(c, e, r)?.qps),
        fmt(qpsAt(sweep.points, STORE_RECALL)),
      ];
    });
    return [
      name,
      storeOf(c),
      c.spec.store === undefined ? '–' : kept ? 'yes' : 'no',
      c.store ? String(c.store.clamped) : '–',
      fmt(bytes, 1),
      fmtRatio(ratio(bytes, c.dataset && c.dataset.dim * 4)),
      fmtRatio(ratio(bytes, twin?.memory?.bytesPerVector.vectors)),
      fmt(c.build?.vectorsPerSecond),
      fmtRatio(ratio(c.build?.vectorsPerSecond, twin?.build?.vectorsPerSecond)),
      fmt(storePoint(c, e)?.recall, 3),
      c.spec.store === undefined ? '–' : fmtLoss(recallLost(c, twin, e)),
      fmt(storePoint(c, e)?.qps),
      fmt(qpsAt(c.search, STORE_RECALL)),
      ...rerankCells,
    ];
  });
  return { head, rows };
}

/**
 * The recall–QPS figure of one group (HTML): a line per kernel × store (the Pareto frontier of its plain
 * sweep, solid) and per rerank factor (dashed, longer dashes for larger factors), a colour per store.
 */
export function storeChart(g: StoreGroup): string {
  const k = g.cells[0]?.spec.k ?? 10;
  const series: Series[] = [];
  const line = (name: string, points: readonly SearchPoint[], style: Partial<Series>) => {
    const { frontier, dominated } = paretoFrontier(points.map((p) => [p.recall, p.qps] as [number, number]));
    series.push({ name, points: frontier, faint: dominated, ...style });
  };
  for (const c of g.cells) {
    if (c.status !== 'ok' || !c.search) continue;
    const style = storeStyle(storeOf(c));
    const title = `${buildTitle(c.spec)}`;
    line(title, c.search, style);
    for (const s of c.rerankSearch ?? [])
      line(`${title} rerank ${s.rerank}`, s.points, { ...style, dashed: true, dash: `${2 + 2 * s.rerank} 3` });
  }
  if (!series.length) return '';
  return curveFigure('stores', `${g.title}: recall–QPS per store; plain sweeps solid, rerank sweeps dashed`, series, {
    title: `Queries/s against recall@${k}, by store`,
    xLabel: `recall@${k} (logit scale)`,
    yLabel: 'queries/s on 1 thread (log)',
    x: 'logit',
    y: 'log',
  });
}

/** What the precision table's columns mean (the markdown and HTML reports print it under the tables). */
export const STORE_NOTE =
  'The precision axis (--stores, --rerank). vector B/vec: the index\u2019s vector bytes per vector (IndexStats.bytes.vectors: codes, ' +
  'derived terms and any float32 rows kept); × raw: against dim × 4 bytes, the float32 vector alone; × f32: against the f32 cell of the same kernel, strategy and threads. f32 kept: float32 ' +
  'rows held beside the codes (b1 keeps them by default; f16 and i8 keep them when a rerank factor above 1 is asked, which ' +
  'makes their bytes larger than the codes alone: run without --rerank to measure codes only). Recall is counted on the float32 ' +
  'distances of the ids returned. lost vs f32: f32\u2019s recall − this store\u2019s at the same ef (positive: recall lost). r=N: ' +
  'search(q, k, { ef, rerank: N }), the best N·k candidates re-scored in float32. QPS on 1 thread.';
