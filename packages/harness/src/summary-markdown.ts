import type { BenchReport } from './bench-report.js';
import type { CellResult } from './cell-result.js';
import { bestRecall, matchingPeer, qpsAtRecall, ratio } from './figures.js';
import { fmt, fmtMB, fmtPct, fmtRatio } from './format.js';
import { dataKey } from './matrix.js';

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
  'RSS MB',
];

/** One summary table row for a cell or peer row. */
export function summaryRow(c: CellResult, peers: readonly CellResult[]): string[] {
  const s = c.spec;
  const label = c.library === 'hnswlab' ? `${s.kernel}/${s.strategy}` : `**${c.kernelName ?? c.library}**`;
  const data = `${s.dataset} ${fmt(c.dataset?.n ?? s.n)}×${c.dataset?.dim ?? s.dim}`;
  if (c.status !== 'ok') return [label, data, String(s.threads), c.reason ?? c.status, ...Array(SUMMARY_HEAD.length - 4).fill('')];
  const b = c.build!,
    m = c.memory;
  const ref = c.library === 'hnswlab' ? matchingPeer(c, peers, 'hnswlib-node') : undefined;
  return [
    label,
    data,
    String(s.threads),
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
    fmtMB(m?.rssGrowthBytes),
  ];
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
    byReason.get(why)!.add(c.library === 'hnswlab' ? `${c.spec.kernel}/${c.spec.strategy}` : c.library);
  }
  for (const [why, cells] of byReason) lines.push(`${[...cells].join(', ')}: ${why}`);
  return lines;
}

/** The report's cells by matrix block, each followed by the peer rows on its data. */
export function reportBlocks(report: BenchReport): Array<{ name: string; rows: CellResult[] }> {
  const names = [...new Set(report.cells.map((c) => report.blocks[c.id] ?? 'main'))];
  return names.map((name) => {
    const cells = report.cells.filter((c) => (report.blocks[c.id] ?? 'main') === name);
    const keys = new Set(cells.map((c) => dataKey(c.spec)));
    return { name, rows: [...cells, ...report.peers.filter((p) => keys.has(dataKey(p.spec)))] };
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
  for (const { name, rows } of reportBlocks(report)) {
    out.push('', `### ${name}`, '');
    out.push(
      table(
        SUMMARY_HEAD,
        rows.map((c) => summaryRow(c, report.peers)),
      ),
    );
  }
  const orphans = report.peers.filter((p) => !report.cells.some((c) => dataKey(c.spec) === dataKey(p.spec)));
  if (orphans.length)
    out.push(
      '',
      '### peers',
      '',
      table(
        SUMMARY_HEAD,
        orphans.map((c) => summaryRow(c, report.peers)),
      ),
    );
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
  const missing = missingLines(report);
  if (missing.length) out.push('', '### missing', '', ...missing.map((m) => `- ${m}`));
  out.push(
    '',
    'QPS: single thread, best of 3 passes; recall@10 counted by distance; × hnswlib: ratio to hnswlib-node on the same data in the same run; B/vec: index bytes per vector; RSS: growth across the build after GC.',
  );
  return out.join('\n') + '\n';
}
