import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/** What a measurement ran on: kept in every baseline file and printed with every verdict table. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  arch: string;
  node: string;
  v8: string;
  /** The git commit of the tree measured, when git can tell. */
  commit: string | null;
  /** Whether that tree had uncommitted changes. */
  dirty: boolean | null;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    v8: process.versions.v8,
    commit: git(['rev-parse', 'HEAD']),
    dirty: gitDirty(),
  };
}

/** A one-line description, e.g. `AMD EPYC ×2, 23.4 GiB, linux-x64, node v20.20.0`. */
export function describeMachine(m: MachineInfo): string {
  return `${m.cpu} ×${m.cores}, ${m.memoryGiB} GiB, ${m.platform}-${m.arch}, node ${m.node}`;
}

/** Whether timing baselines taken on `a` can be compared with measurements on `b` (same CPU model, core count and Node major). */
export function sameMachineKind(a: MachineInfo, b: MachineInfo): boolean {
  return a.cpu === b.cpu && a.cores === b.cores && a.arch === b.arch && a.node.split('.')[0] === b.node.split('.')[0];
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

function gitDirty(): boolean | null {
  const out = git(['status', '--porcelain', '--untracked-files=no']);
  return out === null ? (git(['rev-parse', 'HEAD']) === null ? null : false) : out.length > 0;
}
