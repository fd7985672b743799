import { SCHEMA_VERSION, type CellResult } from './cell-result.js';
import { dimCurves, scaleCurves } from './analyze.js';
import { commandLine, gitCommit, machineInfo, type BenchReport, type PeerStatus } from './bench-report.js';
import { loadKernel } from './load-kernel.js';
import { Journal, jobKey } from './journal.js';
import { expandMatrix, shardJobs, type Job, type MatrixBlock } from './matrix.js';
import { loadPeer } from './peers/load-peer.js';
import { PEER_NAMES, type PeerName } from './peers/peer.js';
import { Progress } from './progress.js';
import { runCell } from './run-cell.js';
import { runPeerCell } from './run-peer-cell.js';
import { clearPreparedData } from './prepare-data.js';
import { runTrack } from './tracks/run-track.js';
import type { TrackResult } from './tracks/track-result.js';
import type { TrackSpec } from './tracks/track-spec.js';

export interface RunMatrixOptions {
  preset?: string | null;
  /** 1-based shard of the job list. */
  shard?: { index: number; count: number } | null;
  /** Where progress goes; null for none. Default process.stderr. */
  progress?: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown } | null;
  command?: string;
  /**
   * Append each finished job here; with `resume`, jobs already in it are not run again. The journal is
   * kept when the run ends: remove it with `new Journal(file).settle(results)` once the reports are
   * written, so a failed report write can be recovered with `resume`.
   */
  journal?: string;
  resume?: boolean;
  /**
   * Reuse built indexes from the index cache and keep new ones there (runCell's `indexCache`): true for
   * the cache under cacheDir(), a folder for that one. Default off (the CLI turns it on).
   */
  indexCache?: boolean | string;
  /** What the reader must know about the matrix (an offline fallback, files left out); into `report.notes`. */
  notes?: readonly string[];
  /** Serving tracks to run after the matrix ('best' kernels resolved here); a shard other than the first runs none. */
  tracks?: readonly TrackSpec[];
}

/** The kernel 'best' stands for: the first of native, wasm, js that loads here. */
export async function bestKernel(): Promise<string> {
  for (const name of ['native', 'wasm']) {
    try {
      await loadKernel(name);
      return name;
    } catch {
      // try the next
    }
  }
  return 'js';
}

/** The jobs a matrix runs here (after resolving 'best' and taking the shard), in order. */
export async function planMatrix(blocks: readonly MatrixBlock[], shard?: { index: number; count: number } | null): Promise<Job[]> {
  const needsBest = blocks.some((b) => b.kernels.includes('best'));
  const best = needsBest ? await bestKernel() : 'js';
  const resolved = blocks.map((b) => ({ ...b, kernels: [...new Set(b.kernels.map((k) => (k === 'best' ? best : k)))] }));
  const jobs = expandMatrix(resolved);
  return shard ? shardJobs(jobs, shard.index, shard.count) : jobs;
}

/** Whether each peer loads, and its version or the reason. */
export async function peerStatus(names: readonly PeerName[] = PEER_NAMES): Promise<PeerStatus[]> {
  const out: PeerStatus[] = [];
  for (const name of names) {
    try {
      const p = await loadPeer(name);
      out.push({ name, available: true, version: p.version });
    } catch (err) {
      out.push({ name, available: false, reason: (err as Error).message });
    }
  }
  return out;
}

/** Assemble a report from results (also used by merge, which recomputes the analysis). */
export function assembleReport(
  parts: Omit<BenchReport, 'schemaVersion' | 'kind' | 'analysis' | 'cells' | 'peers'> & { results: CellResult[] },
): BenchReport {
  const { results, ...rest } = parts;
  const cells = results.filter((r) => r.library === 'hnswlab');
  const peers = results.filter((r) => r.library !== 'hnswlab');
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'hnswlab-bench',
    ...rest,
    cells,
    peers,
    analysis: { scale: scaleCurves([...cells, ...peers]), dims: dimCurves([...cells, ...peers]) },
  };
}

/**
 * Run a matrix (or one shard of it) in this process, job after job, and return the report. Cells of a
 * data set run back to back so data and ground truth load once.
 */
export async function runMatrix(blocks: readonly MatrixBlock[], options: RunMatrixOptions = {}): Promise<BenchReport> {
  const t0 = performance.now();
  const createdAt = new Date().toISOString();
  const jobs = await planMatrix(blocks, options.shard);
  const progress = options.progress === null || !jobs.length ? undefined : new Progress(jobs, options.progress ?? process.stderr);
  const results: CellResult[] = [];
  const blockOf: Record<string, string> = {};
  const journal = options.journal ? new Journal(options.journal) : undefined;
  const earlier = journal && options.resume ? journal.load() : new Map<string, CellResult>();
  if (journal && !options.resume) journal.remove();
  const machine = machineInfo();
  for (const job of jobs) {
    progress?.start(job);
    const onProgress = (p: Parameters<Progress['update']>[0]) => progress?.update(p);
    // only finished measurements are reused: an unavailable or failed job gets another try
    let result = earlier.get(jobKey(job));
    if (result && result.status !== 'ok') result = undefined;
    if (!result) {
      // Cells of the boundary axis also profile one build for the JS-side share (JsShare.byProfile).
      result =
        job.kind === 'cell'
          ? await runCell(job.spec, { onProgress, indexCache: options.indexCache, profileJsShare: job.spec.boundary !== undefined })
          : await runPeerCell(job.peer, job.spec, { onProgress });
      result = { ...result, machine: machine.label };
      journal?.record(job, result);
    }
    blockOf[result.id] ??= job.block;
    results.push(result);
    progress?.finish(job, result);
  }
  progress?.end();
  const tracks: TrackResult[] = [];
  if (options.tracks?.length && (options.shard?.index ?? 1) === 1) {
    const best = options.tracks.some((t) => t.kernel === 'best') ? await bestKernel() : 'js';
    const write = options.progress === null ? undefined : (options.progress ?? process.stderr);
    for (const spec of options.tracks) {
      const resolved = { ...spec, kernel: spec.kernel === 'best' ? best : spec.kernel };
      write?.write(`track ${resolved.track}: ${resolved.kernel}/${resolved.strategy} ${resolved.dataset} n=${resolved.n}\n`);
      const t = await runTrack(resolved, { log: (line) => write?.write(`  ${line}\n`) });
      write?.write(`  ${t.status}${t.reason ? `: ${t.reason}` : ''} (${t.wallSeconds.toFixed(0)} s)\n`);
      tracks.push({ ...t, machine: machine.label });
    }
  }
  clearPreparedData();
  const asked = [...new Set(blocks.flatMap((b) => b.peers))];
  return assembleReport({
    createdAt,
    command: options.command ?? commandLine(),
    gitCommit: gitCommit(),
    machine,
    node: { version: process.version, v8: process.versions.v8 },
    preset: options.preset ?? null,
    shard: options.shard ?? null,
    wallSeconds: (performance.now() - t0) / 1000,
    peerStatus: await peerStatus(asked),
    blocks: blockOf,
    notes: [...(options.notes ?? [])],
    ...(tracks.length && { tracks }),
    results,
  });
}
