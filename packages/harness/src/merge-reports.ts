import type { BenchReport } from './bench-report.js';
import { commandLine } from './bench-report.js';
import type { CellResult } from './cell-result.js';
import { assembleReport } from './run-matrix.js';

/** A result's identity in a merge: a cell runs once (a rerun replaces it); a peer row once per machine (each shard measures its own). */
function mergeKey(c: CellResult): string {
  return c.library === 'hnswlab' ? `${c.library}|${c.id}` : `${c.library}|${c.id}|${c.machine ?? ''}`;
}

/**
 * Join shard reports (or any reports) into one: results in shard order; a cell present twice (a shard
 * run twice) keeps the later one, a peer row is kept once per machine; analysis recomputed over
 * everything. `shards` lists every input with the machine that ran it, and every result keeps its
 * `machine`, so the merged report says which runner measured what. `machine`, Node and commit at the
 * top are the first report's.
 */
export function mergeReports(reports: readonly BenchReport[], command = commandLine()): BenchReport {
  if (reports.length === 0) throw new RangeError('merge needs at least one report');
  const ordered = [...reports].sort((a, b) => (a.shard?.index ?? 0) - (b.shard?.index ?? 0));
  const byKey = new Map<string, CellResult>();
  const blocks: Record<string, string> = {};
  const notes: string[] = [];
  for (const r of ordered) {
    for (const c of [...r.cells, ...r.peers]) {
      const result = { ...c, machine: c.machine ?? r.machine.label };
      byKey.delete(mergeKey(result));
      byKey.set(mergeKey(result), result);
    }
    Object.assign(blocks, r.blocks);
    for (const n of r.notes ?? []) if (!notes.includes(n)) notes.push(n);
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
      machine: r.machine,
      wallSeconds: r.wallSeconds,
    })),
    wallSeconds: ordered.reduce((a, r) => a + r.wallSeconds, 0),
    peerStatus: [...peerStatus.values()],
    blocks,
    notes,
    ...(ordered.some((r) => r.tracks?.length) && { tracks: ordered.flatMap((r) => r.tracks ?? []) }),
    results: [...byKey.values()],
  });
}
