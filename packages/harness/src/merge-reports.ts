import type { BenchReport } from './bench-report.js';
import { commandLine } from './bench-report.js';
import { assembleReport } from './run-matrix.js';

/**
 * Join shard reports (or any reports) into one: cells in shard order, duplicates (same id and library,
 * e.g. a shard run twice) keep the later one; analysis recomputed over everything. Machine, Node and
 * commit are the first report's; a mismatch among shards is listed in `shards` for the reader.
 */
export function mergeReports(reports: readonly BenchReport[], command = commandLine()): BenchReport {
  if (reports.length === 0) throw new RangeError('merge needs at least one report');
  const ordered = [...reports].sort((a, b) => (a.shard?.index ?? 0) - (b.shard?.index ?? 0));
  const byId = new Map<string, BenchReport['cells'][number]>();
  const blocks: Record<string, string> = {};
  for (const r of ordered) {
    for (const c of [...r.cells, ...r.peers]) byId.set(`${c.library}|${c.id}`, c);
    Object.assign(blocks, r.blocks);
  }
  const first = ordered[0];
  const peerStatus = new Map(first.peerStatus.map((p) => [p.name, p]));
  for (const r of ordered) for (const p of r.peerStatus) if (p.available || !peerStatus.has(p.name)) peerStatus.set(p.name, p);
  return assembleReport({
    createdAt: new Date().toISOString(),
    command,
    gitCommit: first.gitCommit,
    machine: first.machine,
    node: first.node,
    preset: ordered.every((r) => r.preset === first.preset) ? first.preset : null,
    shard: null,
    shards: ordered.map((r) => ({
      index: r.shard?.index ?? 1,
      count: r.shard?.count ?? 1,
      createdAt: r.createdAt,
      gitCommit: r.gitCommit,
    })),
    wallSeconds: ordered.reduce((a, r) => a + r.wallSeconds, 0),
    peerStatus: [...peerStatus.values()],
    blocks,
    results: [...byId.values()],
  });
}
