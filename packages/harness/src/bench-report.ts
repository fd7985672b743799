import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, hostname, release, totalmem, type } from 'node:os';
import type { CellResult } from './cell-result.js';
import { SCHEMA_VERSION } from './cell-result.js';
import type { DimCurve, ScaleCurve } from './analyze.js';
import type { TrackResult } from './tracks/track-result.js';

/** Whether a peer library could be loaded in the run. */
export interface PeerStatus {
  name: string;
  available: boolean;
  version?: string;
  reason?: string;
}

/** The machine a report was measured on. */
export interface MachineInfo {
  /**
   * A short name for the machine in reports: $HNSWLAB_MACHINE, else $RUNNER_NAME (GitHub Actions),
   * else the host name. Every cell records it (`CellResult.machine`), so a merged report says which
   * runner measured what.
   */
  label: string;
  cpuModel: string;
  cpus: number;
  totalMemoryBytes: number;
  platform: string;
  arch: string;
  os: string;
  hostname: string;
}

/** A whole bench run (or a merge of shards): the `bench.json` the CLI writes. See SCHEMA.md. */
export interface BenchReport {
  schemaVersion: typeof SCHEMA_VERSION;
  kind: 'hnswlab-bench';
  createdAt: string;
  /** The exact command line. */
  command: string;
  /** HEAD of the working directory's git repository, '-dirty' appended when it has changes; null outside git. */
  gitCommit: string | null;
  machine: MachineInfo;
  node: { version: string; v8: string };
  preset: string | null;
  /** This file's shard of the matrix (1-based); null for a whole run or a merge. */
  shard: { index: number; count: number } | null;
  /** The shards a merged report was joined from, each with the machine that ran it. */
  shards?: Array<{
    index: number;
    count: number;
    createdAt: string;
    gitCommit: string | null;
    machine?: MachineInfo;
    wallSeconds?: number;
  }>;
  /** Seconds the run took. */
  wallSeconds: number;
  /** hnswlab cells, in matrix order. */
  cells: CellResult[];
  /** Peer reference rows. */
  peers: CellResult[];
  peerStatus: PeerStatus[];
  /** Which block of the matrix each cell id came from (main, dims, scale, ...). */
  blocks: Record<string, string>;
  /** What the reader must know about the run: an offline fallback, files a preset could not find. */
  notes?: string[];
  /** Serving tracks (`--track`): filtered search, batch search, streaming updates. */
  tracks?: TrackResult[];
  analysis: { scale: ScaleCurve[]; dims: DimCurve[] };
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    label: process.env.HNSWLAB_MACHINE || process.env.RUNNER_NAME || hostname(),
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cpus: c.length,
    totalMemoryBytes: totalmem(),
    platform: process.platform,
    arch: process.arch,
    os: `${type()} ${release()}`,
    hostname: hostname(),
  };
}

/**
 * HEAD of the repository the measured code lives in (this package's checkout; else `cwd`'s), with
 * -dirty for a changed tree; null when git or a repository is missing.
 */
export function gitCommit(cwd?: string): string | null {
  if (cwd === undefined) return gitCommit(dirname(fileURLToPath(import.meta.url))) ?? gitCommit(process.cwd());
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}

/** The command line as a person would retype it. */
export function commandLine(argv = process.argv): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const npmScript = process.env.npm_lifecycle_event;
  const args = argv.slice(1);
  if (args[0] && /harness[\\/]dist[\\/]cli\.js$|[\\/]\.bin[\\/]hnswlab$/.test(args[0])) args[0] = 'hnswlab';
  const shown = args.map(quote).join(' ');
  return npmScript ? `${shown}  (via ${process.env.npm_config_user_agent?.split(' ')[0] ?? 'npm'} run ${npmScript})` : shown;
}
