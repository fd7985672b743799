import type { CellResult } from './cell-result.js';
import { threadsUsed } from './figures.js';
import { fmt } from './format.js';
import { cellTitle } from './headline.js';
import { htmlTable } from './html-table.js';
import { boundaryStyle, kernelStyle, PEER_COLOR, strategyStyle } from './palette.js';
import { paretoFrontier } from './pareto.js';
import { domainOf, esc, legendSwatch, lineChart, type Series } from './svg-charts.js';

/** "1 thread" / "2 threads". */
export function threadWords(t: number): string {
  return `${t} thread${t === 1 ? '' : 's'}`;
}

const PEER_DASHES = ['6 4', '2 3', '10 3 2 3'];

/** A peer's line: black for the first (hnswlib-node), grey for the rest, each with its own dash pattern. */
export function peerSeries(c: CellResult, i: number): Omit<Series, 'points'> {
  return {
    name: `${cellTitle(c)}, built on ${threadWords(threadsUsed(c))}`,
    color: i === 0 ? '#000000' : PEER_COLOR,
    dashed: true,
    dash: PEER_DASHES[i % PEER_DASHES.length],
  };
}

function sweep(c: CellResult): { points: Array<[number, number]>; faint: Array<[number, number]> } {
  const { frontier, dominated } = paretoFrontier((c.search ?? []).map((p) => [p.recall, p.qps] as [number, number]));
  return { points: frontier, faint: dominated };
}

/**
 * The recall–QPS view of one data set as small multiples: one panel per kernel with the strategies
 * as colours (when there are several strategies), else one panel with the kernels as colours. Every
 * panel shares its axes and shows the peers dashed; each line is a build's Pareto frontier over the
 * ef sweep, dominated settings faint. Returns the panels and one legend for all of them.
 */
export function recallPanels(
  cells: readonly CellResult[],
  peers: readonly CellResult[],
): { legend: string; panels: Array<{ title: string; svg: string }> } {
  const k = cells[0]?.spec.k ?? 10;
  const strategies = [...new Set(cells.map((c) => c.spec.strategy))];
  const kernels = [...new Set(cells.map((c) => c.spec.kernel))];
  // The boundary axis: a panel per kernel, a colour per boundary, a marker per strategy.
  const byBoundary = new Set(cells.map((c) => c.spec.boundary)).size > 1;
  const byKernel = strategies.length > 1 || byBoundary;
  const byStore = new Set(cells.map((c) => c.spec.store)).size > 1;
  const seriesOf = (c: CellResult): Series => {
    const style = byBoundary
      ? { ...boundaryStyle(c.spec.boundary ?? ''), marker: strategyStyle(c.spec.strategy).marker }
      : byKernel
        ? strategyStyle(c.spec.strategy)
        : kernelStyle(c.spec.kernel);
    const bare = byBoundary ? `${c.spec.strategy}@${c.spec.boundary ?? 'default'}` : byKernel ? c.spec.strategy : cellTitle(c);
    // the precision axis: a store's line is named by its store (cellTitle carries it already)
    const what = byStore && (byBoundary || byKernel) ? `${bare}:${c.spec.store ?? 'f32'}` : bare;
    return { name: `${what}, built on ${threadWords(threadsUsed(c))}`, ...style, ...sweep(c) };
  };
  const peerLines = peers.map((p, i) => ({ ...peerSeries(p, i), ...sweep(p) }));
  const groups = byKernel
    ? kernels.map((kn) => ({ title: `${kn} kernel`, cells: cells.filter((c) => c.spec.kernel === kn) }))
    : [{ title: '', cells: [...cells] }];
  const all = [...cells.map(seriesOf), ...peerLines];
  const xDomain = domainOf(all, 0, 'logit');
  const yDomain = domainOf(all, 1, 'log');
  const panels = groups.map((g) => {
    const title = `${g.title ? `${g.title}: ` : ''}queries/s against recall@${k}`;
    return {
      title,
      svg: lineChart([...g.cells.map(seriesOf), ...peerLines], {
        title,
        xLabel: `recall@${k} (logit scale)`,
        yLabel: 'queries/s on 1 thread (log)',
        x: 'logit',
        y: 'log',
        xDomain,
        yDomain,
        legend: 'none',
      }),
    };
  });
  // one legend for the row: every series name once (a strategy's thread count is the same in every panel)
  const seen = new Map<string, Series>();
  for (const s of all) if (!seen.has(s.name)) seen.set(s.name, s);
  const legend = `<ul class="legend">${[...seen.values()].map((s, i) => `<li>${legendSwatch(s, i)} ${esc(s.name)}</li>`).join('')}</ul>`;
  return { legend, panels };
}

/** Every sweep point of a data set, frontier or not: the table behind the panels. */
export function sweepTable(rows: readonly CellResult[]): string {
  const body: string[][] = [];
  for (const c of rows) {
    const sweep = (c.search ?? []).map((p) => [p.recall, p.qps] as [number, number]);
    const front = new Set(paretoFrontier(sweep).frontier.map((p) => `${p[0]}|${p[1]}`));
    for (const p of c.search ?? [])
      body.push([
        cellTitle(c),
        String(threadsUsed(c)),
        String(p.ef),
        fmt(p.recall, 3),
        fmt(p.qps),
        fmt(p.p50Ms, 3),
        fmt(p.p99Ms, 3),
        front.has(`${p.recall}|${p.qps}`) ? 'yes' : '–',
      ]);
  }
  const k = rows[0]?.spec.k ?? 10;
  return htmlTable(['build', 'build threads', 'ef', `recall@${k}`, 'queries/s (1 thread)', 'p50 ms', 'p99 ms', 'on frontier'], body);
}
