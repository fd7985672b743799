import type { BenchReport } from './bench-report.js';
import type { CellResult } from './cell-result.js';
import { BOUNDARY_NOTE, boundaryGroups, boundaryTable } from './boundary-table.js';
import { buildTitle } from './cell-spec.js';
import { STORE_NOTE, storeGroups, storeTable } from './store-table.js';
import { datasetLabel } from './dataset-ids.js';
import { bestRecall, matchingPeer, qpsAtRecall, ratio, threadsUsed } from './figures.js';
import { headlineLine, headlines } from './headline.js';
import { fmt, fmtMB, fmtPct, fmtRatio } from './format.js';
import { peerKey } from './matrix.js';
import { cachedNote, EVENT_LOOP_NOTE, eventLoopTable, PERSISTENCE_NOTE, persistenceTable } from './serving-tables.js';
import { tracksMarkdown } from './tracks/track-report.js';

/** Column heads of the summary tables. */
export const SUMMARY_HEAD = [
  'cell',
  'data',
  't',
  'build s',
  'vec/s',
  '× hnswlib',
  'dist/insert',
  'nbr search',
  'best recall',
  'QPS@0.90',
  'QPS@0.95',
  'QPS@0.95 × hnswlib',
  'B/vec',
  '× raw',
  'index MB',
  'peak RSS MB',
];

/** One summary table row for a cell or peer row. `t` is the threads the build ran on (1 for sequential and batched). */
export function summaryRow(c: CellResult, peers: readonly CellResult[]): string[] {
  const s = c.spec;
  const label = c.library === 'hnswlab' ? `${buildTitle(s)}${c.build?.source === 'cache' ? ' †' : ''}` : `**${c.kernelName ?? c.library}**`;
  const data = `${datasetLabel(s.dataset)} ${fmt(c.dataset?.n ?? s.n)}×${c.dataset?.dim ?? s.dim}`;
  if (c.status !== 'ok') return [label, data, '', c.reason ?? c.status, ...Array(SUMMARY_HEAD.length - 4).fill('')];
  const b = c.build!,
    m = c.memory;
  const ref = c.library === 'hnswlab' ? matchingPeer(c, peers, 'hnswlib-node') : undefined;
  return [
    label,
    data,
    String(threadsUsed(c)),
    fmt(b.seconds, 2),
    fmt(b.vectorsPerSecond),
    fmtRatio(ratio(b.vectorsPerSecond, ref?.build?.vectorsPerSecond)),
    fmt(b.distanceEvalsPerInsert),
    fmtPct(b.phaseShares?.neighborSearch),
    fmt(bestRecall(c), 3),
    fmt(qpsAtRecall(c, 0.9)),
    fmt(qpsAtRecall(c, 0.95)),
    fmtRatio(ref ? ratio(qpsAtRecall(c, 0.95), qpsAtRecall(ref, 0.95)) : null),
    fmt(m?.bytesPerVector.total),
    fmtRatio(m?.indexToRawRatio),
    fmtMB(m?.indexBytes.total),
    peakRssText(m),
  ];
}

/** Peak RSS in MB with the build's rise above its starting RSS, e.g. `199.1 (+3.1)`; '(process)' marks a lifetime peak. */
export function peakRssText(m: CellResult['memory']): string {
  if (m?.peakRssBytes === undefined) return '–';
  if (m.peakRssScope === 'process') return `${fmtMB(m.peakRssBytes)} (process)`;
  const rise = m.rssBeforeBytes !== undefined ? ` (+${fmtMB(Math.max(0, m.peakRssBytes - m.rssBeforeBytes))})` : '';
  return `${fmtMB(m.peakRssBytes)}${rise}`;
}

/** The machine labels of a report's results (more than one in a merge of shards run on several runners). */
export function machinesOf(report: BenchReport): string[] {
  return [...new Set([...report.cells, ...report.peers].map((c) => c.machine).filter((m): m is string => !!m))];
}

/** Summary head and rows of a block, with a machine column when several machines measured the report. */
export function summaryTable(report: BenchReport, rows: readonly CellResult[]): { head: string[]; rows: string[][] } {
  const multi = machinesOf(report).length > 1;
  return {
    head: multi ? [...SUMMARY_HEAD, 'machine'] : SUMMARY_HEAD,
    rows: rows.map((c) => (multi ? [...summaryRow(c, report.peers), c.machine ?? ''] : summaryRow(c, report.peers))),
  };
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** What the run could not measure: peers that did not load, and cells grouped by the reason they were skipped. */
export function missingLines(report: BenchReport): string[] {
  const lines = report.peerStatus.filter((p) => !p.available).map((p) => `peer ${p.name}: ${p.reason ?? 'unavailable'}`);
  const byReason = new Map<string, Set<string>>();
  const missingPeers = new Set(report.peerStatus.filter((p) => !p.available).map((p) => p.name));
  for (const c of [...report.cells, ...report.peers].filter((x) => x.status !== 'ok' && !missingPeers.has(x.library))) {
    const why = c.reason ?? c.status;
    if (!byReason.has(why)) byReason.set(why, new Set());
    byReason.get(why)!.add(c.library === 'hnswlab' ? buildTitle(c.spec) : c.library);
  }
  for (const [why, cells] of byReason) lines.push(`${[...cells].join(', ')}: ${why}`);
  return lines;
}

/** The report's cells by matrix block, each followed by the peer rows on its data. */
export function reportBlocks(report: BenchReport): Array<{ name: string; rows: CellResult[] }> {
  const names = [...new Set(report.cells.map((c) => report.blocks[c.id] ?? 'main'))];
  return names.map((name) => {
    const cells = report.cells.filter((c) => (report.blocks[c.id] ?? 'main') === name);
    const keys = new Set(cells.map((c) => peerKey(c.spec)));
    return { name, rows: [...cells, ...report.peers.filter((p) => keys.has(peerKey(p.spec)))] };
  });
}

/**
 * The markdown summary printed on stdout and written as bench.md: one table per matrix block (cells,
 * then the peer rows on the same data), the scale curves with their exponent and flag, the
 * dimension curves, and what was missing.
 */
export function summaryMarkdown(report: BenchReport): string {
  const out: string[] = [];
  out.push(`## hnswlab bench${report.preset ? ` (preset ${report.preset})` : ''}`);
  out.push('');
  out.push(
    `${report.machine.cpuModel} × ${report.machine.cpus}, ${fmt(report.machine.totalMemoryBytes / 2 ** 30, 0)} GiB, Node ${report.node.version}, commit ${report.gitCommit ?? 'unknown'}, ${new Date(report.createdAt).toISOString()}, ${fmt(report.wallSeconds, 0)} s`,
  );
  out.push('');
  out.push(`\`${report.command}\``);
  for (const n of report.notes ?? []) out.push('', `> ${n}`);
  const cached = cachedNote(report);
  if (cached) out.push('', `> ${cached}`);
  const heads = headlines(report);
  if (heads.length) out.push('', '### headlines', '', ...heads.map((h) => `- ${headlineLine(h)}`));
  if (report.shards && report.shards.length > 1) {
    out.push('', '### machines', '');
    out.push(
      table(
        ['shard', 'machine', 'CPU', 'memory', 'cells', 'wall'],
        report.shards.map((sh) => [
          `${sh.index}/${sh.count}`,
          sh.machine?.label ?? '?',
          sh.machine ? `${sh.machine.cpuModel} × ${sh.machine.cpus}` : '?',
          sh.machine ? `${fmt(sh.machine.totalMemoryBytes / 2 ** 30)} GiB` : '?',
          String(report.cells.filter((c) => c.machine === sh.machine?.label).length),
          sh.wallSeconds !== undefined ? `${fmt(sh.wallSeconds)} s` : '?',
        ]),
      ),
    );
  }
  for (const { name, rows } of reportBlocks(report)) {
    const t = summaryTable(report, rows);
    out.push('', `### ${name}`, '', table(t.head, t.rows));
  }
  const orphans = report.peers.filter((p) => !report.cells.some((c) => peerKey(c.spec) === peerKey(p.spec)));
  if (orphans.length) {
    const t = summaryTable(report, orphans);
    out.push('', '### peers', '', table(t.head, t.rows));
  }
  const bgroups = boundaryGroups(report);
  for (const g of bgroups) {
    const t = boundaryTable(g, report.peers);
    out.push('', `### boundaries: ${g.title}`, '', table(t.head, t.rows));
  }
  if (bgroups.length) out.push('', BOUNDARY_NOTE);
  const sgroups = storeGroups(report);
  for (const g of sgroups) {
    const t = storeTable(g);
    out.push('', `### stores: ${g.title}`, '', table(t.head, t.rows));
  }
  if (sgroups.length) out.push('', STORE_NOTE);
  const loop = eventLoopTable(report);
  if (loop.rows.length) out.push('', '### event loop', '', table(loop.head, loop.rows), '', EVENT_LOOP_NOTE);
  const files = persistenceTable(report);
  if (files.rows.length) out.push('', '### saving and loading', '', table(files.head, files.rows), '', PERSISTENCE_NOTE);
  if (report.analysis.scale.length) {
    out.push('', '### scale curve (per-insert cost vs n)', '');
    out.push(
      table(
        ['series', 'n', 'µs/insert', 'dist/insert', 'time exponent', 'dist exponent', 'growth ÷ ln n growth', 'flag'],
        report.analysis.scale.map((s) => [
          s.series,
          s.points.map((p) => fmt(p.n)).join(' / '),
          s.points.map((p) => fmt(p.microsecondsPerInsert, 0)).join(' / '),
          s.points.map((p) => fmt(p.distanceEvalsPerInsert)).join(' / '),
          fmt(s.timeExponent, 2),
          fmt(s.distanceExponent, 2),
          fmt(s.growthVsLogN, 2),
          s.superlinear ? `**SUPER-LINEAR**: ${s.reason}` : (s.reason ?? 'ok (≈ n log n)'),
        ]),
      ),
    );
  }
  if (report.analysis.dims.length) {
    out.push('', '### dimension curve', '');
    out.push(
      table(
        ['series', 'dim', 'vec/s', 'nbr search', 'ns/distance', 'cost exponent'],
        report.analysis.dims.map((d) => [
          d.series,
          d.points.map((p) => String(p.dim)).join(' / '),
          d.points.map((p) => fmt(p.vectorsPerSecond)).join(' / '),
          d.points.map((p) => fmtPct(p.neighborSearchShare)).join(' / '),
          d.points.map((p) => fmt(p.nanosecondsPerDistance, 0)).join(' / '),
          fmt(d.exponent, 2),
        ]),
      ),
    );
  }
  if (report.tracks?.length) out.push(...tracksMarkdown(report.tracks));
  const missing = missingLines(report);
  if (missing.length) out.push('', '### missing', '', ...missing.map((m) => `- ${m}`));
  out.push(
    '',
    [
      't: threads the build ran on (sequential and batched run on 1 whatever --threads says);',
      'QPS: single thread, best of 3 passes; recall@10 counted by distance;',
      '× hnswlib: ratio to hnswlib-node on the same data, same machine, same run;',
      "B/vec and index MB: the index's own bytes;",
      "peak RSS: the process's peak resident set during the build (Node, data, ground truth and earlier cells' leftovers included),",
      'with (+) its rise above the resident set the build started from; "(process)": lifetime peak where the per-build reset is unavailable.',
      cached ? '†: build figures from the index cache (see the note at the top).' : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  return out.join('\n') + '\n';
}
