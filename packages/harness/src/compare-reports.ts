import type { BenchReport } from './bench-report.js';
import type { CellResult } from './cell-result.js';
import { bestRecall, qpsAtRecall, ratio } from './figures.js';
import { fmt, fmtRatio } from './format.js';

/** One figure of one cell in two runs. */
export interface FigureChange {
  cell: string;
  figure: string;
  a: number | null;
  b: number | null;
  /** b / a for rates and sizes; null for recall (compared as a difference). */
  ratio: number | null;
  /** b − a, for recall. */
  delta: number | null;
  /** Whether the change is beyond the notice threshold (±5% rates and counts, ±0.005 recall). */
  notable: boolean;
  /** 'better', 'worse' or 'same', knowing which direction is good for the figure. */
  direction: 'better' | 'worse' | 'same';
}

export interface Comparison {
  changes: FigureChange[];
  onlyInA: string[];
  onlyInB: string[];
}

const FIGURES: Array<{ name: string; get: (c: CellResult) => number | null | undefined; higherIsBetter: boolean; recall?: boolean }> = [
  { name: 'build vec/s', get: (c) => c.build?.vectorsPerSecond, higherIsBetter: true },
  { name: 'dist/insert', get: (c) => c.build?.distanceEvalsPerInsert, higherIsBetter: false },
  { name: 'nodes/insert', get: (c) => c.build?.nodesVisitedPerInsert, higherIsBetter: false },
  { name: 'nbr-search share', get: (c) => c.build?.phaseShares?.neighborSearch, higherIsBetter: false },
  { name: 'best recall', get: bestRecall, higherIsBetter: true, recall: true },
  { name: 'QPS@0.90', get: (c) => qpsAtRecall(c, 0.9), higherIsBetter: true },
  { name: 'QPS@0.95', get: (c) => qpsAtRecall(c, 0.95), higherIsBetter: true },
  { name: 'B/vec', get: (c) => c.memory?.bytesPerVector.total, higherIsBetter: false },
  { name: 'index bytes', get: (c) => c.memory?.indexBytes.total, higherIsBetter: false },
  { name: 'peak RSS', get: (c) => c.memory?.peakRssBytes, higherIsBetter: false },
];

const key = (c: CellResult) => `${c.library === 'hnswlab' ? '' : `${c.library} `}${c.id}`;

/** Every figure of every cell present in both reports, with ratios and which way each moved. */
export function compareReports(a: BenchReport, b: BenchReport): Comparison {
  const mapA = new Map([...a.cells, ...a.peers].filter((c) => c.status === 'ok').map((c) => [key(c), c]));
  const mapB = new Map([...b.cells, ...b.peers].filter((c) => c.status === 'ok').map((c) => [key(c), c]));
  const changes: FigureChange[] = [];
  for (const [id, ca] of mapA) {
    const cb = mapB.get(id);
    if (!cb) continue;
    for (const f of FIGURES) {
      const va = f.get(ca) ?? null,
        vb = f.get(cb) ?? null;
      if (va === null && vb === null) continue;
      const r = f.recall ? null : ratio(vb, va);
      const delta = f.recall && va !== null && vb !== null ? vb - va : null;
      const notable = f.recall ? delta !== null && Math.abs(delta) >= 0.005 : r !== null && Math.abs(r - 1) >= 0.05;
      const up = f.recall ? (delta ?? 0) > 0 : (r ?? 1) > 1;
      changes.push({
        cell: id,
        figure: f.name,
        a: va,
        b: vb,
        ratio: r,
        delta,
        notable,
        direction: !notable ? 'same' : up === f.higherIsBetter ? 'better' : 'worse',
      });
    }
  }
  return { changes, onlyInA: [...mapA.keys()].filter((k) => !mapB.has(k)), onlyInB: [...mapB.keys()].filter((k) => !mapA.has(k)) };
}

/** The comparison as markdown: one row per cell and figure, notable changes marked. */
export function comparisonMarkdown(cmp: Comparison, aName: string, bName: string): string {
  const out = [
    `## hnswlab compare`,
    '',
    `A = \`${aName}\`, B = \`${bName}\`; ratio = B / A; ▲ better, ▼ worse (beyond ±5%, recall ±0.005)`,
    '',
  ];
  out.push('| cell | figure | A | B | B/A | |', '|---|---|---|---|---|---|');
  for (const c of cmp.changes) {
    const digits = c.figure.includes('recall') || c.figure.includes('share') ? 3 : c.figure.includes('/insert') ? 1 : 0;
    const change = c.delta !== null ? `${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(3)}` : fmtRatio(c.ratio);
    out.push(
      `| ${c.cell} | ${c.figure} | ${fmt(c.a, digits)} | ${fmt(c.b, digits)} | ${change} | ${c.direction === 'better' ? '▲' : c.direction === 'worse' ? '▼' : ''} |`,
    );
  }
  if (cmp.onlyInA.length) out.push('', `Only in A: ${cmp.onlyInA.join('; ')}`);
  if (cmp.onlyInB.length) out.push('', `Only in B: ${cmp.onlyInB.join('; ')}`);
  const worse = cmp.changes.filter((c) => c.direction === 'worse').length,
    better = cmp.changes.filter((c) => c.direction === 'better').length;
  out.push('', `${better} figures better, ${worse} worse, ${cmp.changes.length - better - worse} within noise thresholds.`);
  return out.join('\n') + '\n';
}
