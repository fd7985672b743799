import type { BenchReport } from './bench-report.js';
import type { CellResult } from './cell-result.js';
import { buildTitle } from './cell-spec.js';
import { datasetLabel } from './dataset-ids.js';
import { bestRecall, matchingPeer, qpsAtRecall, ratio, threadsUsed } from './figures.js';
import { fmt, fmtRatio } from './format.js';
import { peerKey } from './matrix.js';

/** The recall the headline's QPS is read at (ann-benchmarks' usual reading point). */
export const HEADLINE_RECALL = 0.95;

/** One data set's answer at a glance: the fastest build and the fastest search at the headline recall. */
export interface Headline {
  /** The data set, e.g. 'GloVe-100 20,000 × 100, ip, M=16, efc=200'. */
  title: string;
  /** The matrix block its cells came from (main, dims, scale, ...). */
  block: string;
  bestBuild: { cell: CellResult; vectorsPerSecond: number; threads: number; vsHnswlib: number | null } | null;
  /** The fastest build on one thread (against hnswlib-node's single thread), when it is not bestBuild. */
  bestSingleThreadBuild: { cell: CellResult; vectorsPerSecond: number; vsHnswlib: number | null } | null;
  /** The highest QPS among sweep points reaching HEADLINE_RECALL; null when no cell reaches it. */
  bestQps: { cell: CellResult; qps: number; ef: number; vsHnswlib: number | null } | null;
  /** The highest recall any hnswlab cell reached, and hnswlib-node's. */
  bestRecall: number | null;
  hnswlibRecall: number | null;
  hnswlib: CellResult | undefined;
}

/** The name of a cell in prose: `native/parallel` (`native/parallel@layer` on the boundary axis) or the peer with its version. */
export function cellTitle(c: CellResult): string {
  return c.library === 'hnswlab' ? buildTitle(c.spec) : (c.kernelName ?? c.library);
}

/** A data set in prose: label, n × dim, metric, and the build parameters. */
export function dataTitle(c: CellResult): string {
  return `${datasetLabel(c.spec.dataset)} ${fmt(c.dataset?.n ?? c.spec.n)} × ${c.dataset?.dim ?? c.spec.dim}, ${c.spec.metric}, M=${c.spec.M}, efc=${c.spec.efConstruction}`;
}

/** The ok hnswlab cells of a report grouped by data set and build parameters, in matrix order. */
export function dataGroups(report: BenchReport): CellResult[][] {
  const groups = new Map<string, CellResult[]>();
  for (const c of report.cells) {
    if (c.status !== 'ok') continue;
    const k = peerKey(c.spec);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(c);
  }
  return [...groups.values()];
}

/** The headline of every data set of the report, in matrix order. */
export function headlines(report: BenchReport): Headline[] {
  return dataGroups(report).map((cells) => {
    const peer = (c: CellResult) => matchingPeer(c, report.peers, 'hnswlib-node');
    const byBuild = [...cells].sort((a, b) => b.build!.vectorsPerSecond - a.build!.vectorsPerSecond);
    const top = byBuild[0];
    const single = byBuild.find((c) => threadsUsed(c) === 1);
    let bestQps: Headline['bestQps'] = null;
    for (const c of cells)
      for (const p of c.search ?? [])
        if (p.recall >= HEADLINE_RECALL && (!bestQps || p.qps > bestQps.qps)) bestQps = { cell: c, qps: p.qps, ef: p.ef, vsHnswlib: null };
    if (bestQps) {
      const ref = peer(bestQps.cell);
      bestQps.vsHnswlib = ref ? ratio(bestQps.qps, qpsAtRecall(ref, HEADLINE_RECALL)) : null;
    }
    const recalls = cells.map(bestRecall).filter((r): r is number => r !== null);
    const hnswlib = peer(top);
    return {
      title: dataTitle(top),
      block: report.blocks[top.id] ?? 'main',
      bestBuild: {
        cell: top,
        vectorsPerSecond: top.build!.vectorsPerSecond,
        threads: threadsUsed(top),
        vsHnswlib: ratio(top.build!.vectorsPerSecond, peer(top)?.build?.vectorsPerSecond),
      },
      bestSingleThreadBuild:
        single && single !== top
          ? {
              cell: single,
              vectorsPerSecond: single.build!.vectorsPerSecond,
              vsHnswlib: ratio(single.build!.vectorsPerSecond, peer(single)?.build?.vectorsPerSecond),
            }
          : null,
      bestQps,
      bestRecall: recalls.length ? Math.max(...recalls) : null,
      hnswlibRecall: hnswlib ? bestRecall(hnswlib) : null,
      hnswlib,
    };
  });
}

const vs = (r: number | null) => (r === null ? '' : ` = **${fmtRatio(r)} hnswlib-node**`);
const threads = (t: number) => `${t} thread${t === 1 ? '' : 's'}`;

/** One headline as a markdown line (the HTML report renders the same words). */
export function headlineLine(h: Headline): string {
  const parts: string[] = [];
  if (h.bestBuild)
    parts.push(
      `best build **${fmt(h.bestBuild.vectorsPerSecond)} vectors/s** (${cellTitle(h.bestBuild.cell)}, ${threads(h.bestBuild.threads)})${vs(h.bestBuild.vsHnswlib)}`,
    );
  if (h.bestSingleThreadBuild)
    parts.push(
      `on 1 thread ${fmt(h.bestSingleThreadBuild.vectorsPerSecond)} vectors/s (${cellTitle(h.bestSingleThreadBuild.cell)})${vs(h.bestSingleThreadBuild.vsHnswlib)}`,
    );
  parts.push(
    h.bestQps
      ? `best QPS at recall@${h.bestQps.cell.spec.k} ≥ ${HEADLINE_RECALL}: **${fmt(h.bestQps.qps)} queries/s** on 1 thread (${cellTitle(h.bestQps.cell)}, ef=${h.bestQps.ef})${vs(h.bestQps.vsHnswlib)}`
      : `no cell reaches recall ${HEADLINE_RECALL}`,
  );
  parts.push(
    `best recall ${fmt(h.bestRecall, 3)}${h.hnswlibRecall !== null ? ` (hnswlib-node ${fmt(h.hnswlibRecall, 3)})` : ''}${h.hnswlib ? '' : '; no hnswlib-node row to compare with'}`,
  );
  return `**${h.title}** (${h.block}): ${parts.join('; ')}.`;
}

/** Every data set's headline as markdown, with the run's notes: what `hnswlab headline` prints. */
export function headlineMarkdown(report: BenchReport): string {
  const lines = [`### hnswlab bench${report.preset ? ` (preset ${report.preset})` : ''}: headlines`, ''];
  for (const h of headlines(report)) lines.push(`- ${headlineLine(h)}`);
  for (const n of report.notes ?? []) lines.push('', `> ${n}`);
  const machines = [...new Set([...report.cells, ...report.peers].map((c) => c.machine).filter(Boolean))];
  lines.push(
    '',
    `Measured on ${machines.length > 1 ? `${machines.length} machines: ${machines.join(', ')}` : (machines[0] ?? report.machine.label)}.`,
  );
  return lines.join('\n') + '\n';
}
