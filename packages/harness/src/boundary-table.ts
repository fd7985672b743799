import { BOUNDARIES } from '@hnswlab/core';
import type { BenchReport } from './bench-report.js';
import type { CellResult } from './cell-result.js';
import { bestRecall, matchingPeer, qpsAtRecall, ratio, referenceEf, threadsUsed } from './figures.js';
import { fmt, fmtPct, fmtRatio } from './format.js';
import { cellTitle, dataTitle } from './headline.js';
import { peerKey } from './matrix.js';

/** The boundary axis of one data set: its cells (kernel × boundary × strategy) and the peers on the same data. */
export interface BoundaryGroup {
  title: string;
  /** The ef the per-query figures are read at (the sweep's middle). */
  ef: number;
  cells: CellResult[];
  peers: CellResult[];
}

/** The cells of the boundary axis (spec.boundary set), by data set and build parameters, with their peers. */
export function boundaryGroups(report: BenchReport): BoundaryGroup[] {
  const groups = new Map<string, CellResult[]>();
  for (const c of report.cells) {
    if (c.spec.boundary === undefined) continue;
    const k = peerKey(c.spec);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(c);
  }
  return [...groups.entries()].map(([key, cells]) => {
    const order = (c: CellResult) => BOUNDARIES.indexOf(c.spec.boundary!);
    const sorted = [...cells].sort(
      (a, b) => a.spec.kernel.localeCompare(b.spec.kernel) || a.spec.strategy.localeCompare(b.spec.strategy) || order(a) - order(b),
    );
    const first = sorted.find((c) => c.status === 'ok') ?? sorted[0];
    return {
      title: dataTitle(first),
      ef: referenceEf(first.spec.ef),
      cells: sorted,
      peers: report.peers.filter((p) => p.status === 'ok' && peerKey(p.spec) === key),
    };
  });
}

/** A JS-side share with how it was measured: `45% (profile)`, `1% (timers)`. */
export function jsShareText(c: CellResult): string {
  const j = c.build?.jsShare;
  if (!j) return '–';
  return `${fmtPct(j.share)} (${j.method === 'cpu-profile' ? 'profile' : 'timers'})`;
}

/** The boundary table of one group: a row per cell (unavailable ones say why), then the peers. */
export function boundaryTable(g: BoundaryGroup, peers: readonly CellResult[]): { head: string[]; rows: string[][] } {
  const head = [
    'build',
    'boundary',
    't',
    'crossings/insert',
    `crossings/query (ef=${g.ef})`,
    'dist/insert',
    'ns/dist (CPU)',
    'vec/s',
    '× hnswlib',
    'QPS@0.95',
    `QPS (ef=${g.ef})`,
    `recall (ef=${g.ef})`,
    'JS share',
  ];
  const at = (c: CellResult) => c.search?.find((p) => p.ef === g.ef);
  const rows = g.cells.map((c) => {
    const name = `${c.spec.kernel}/${c.spec.strategy}${c.build?.source === 'cache' ? ' †' : ''}`;
    if (c.status !== 'ok') return [name, c.spec.boundary!, '', c.reason ?? c.status, ...Array<string>(head.length - 4).fill('')];
    const b = c.build!;
    const ref = matchingPeer(c, peers, 'hnswlib-node');
    return [
      name,
      c.boundary ?? c.spec.boundary!,
      String(threadsUsed(c)),
      fmt(b.kernelCallsPerInsert, 1),
      fmt(at(c)?.kernelCallsPerQuery, 1),
      fmt(b.distanceEvalsPerInsert),
      fmt(b.cpuNanosecondsPerDistance, 1),
      fmt(b.vectorsPerSecond),
      fmtRatio(ratio(b.vectorsPerSecond, ref?.build?.vectorsPerSecond)),
      fmt(qpsAtRecall(c, 0.95)),
      fmt(at(c)?.qps),
      fmt(at(c)?.recall ?? bestRecall(c), 3),
      jsShareText(c),
    ];
  });
  for (const p of g.peers)
    rows.push([
      `**${cellTitle(p)}**`,
      '–',
      String(threadsUsed(p)),
      '–',
      '–',
      '–',
      '–',
      fmt(p.build?.vectorsPerSecond),
      '',
      fmt(qpsAtRecall(p, 0.95)),
      fmt(at(p)?.qps),
      fmt(at(p)?.recall, 3),
      '–',
    ]);
  return { head, rows };
}

/** What the boundary table's columns mean (the markdown and HTML reports print it under the tables). */
export const BOUNDARY_NOTE =
  'crossings: calls across the kernel boundary (IndexStats.kernelCalls) per inserted vector and per query; ' +
  'ns/dist (CPU): CPU seconds of the build (every thread of the process) ÷ distance evaluations, the all-in cost of a distance at that boundary; ' +
  'JS share: the share of build time outside the kernel, from a CPU profile of one more build of the cell (profile: main thread, ' +
  'single-thread strategies; probe, wasm and fused-call frames are kernel time, crossings included) or from the kernel\u2019s own timers of ' +
  'a fused insert (timers: 1 − kernel phase seconds ÷ build seconds × threads); QPS on 1 thread; × hnswlib: build vec/s ratio, same data and machine.';
