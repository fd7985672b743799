import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';

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
  /**
   * Which host and boot measured: two CI runners of one CPU model are different machines, and so is
   * one machine after a reboot (another kernel, other daemons). Timing is gated only against a
   * baseline of the same host session. `session` is a hash of the host name, /etc/machine-id and the
   * kernel's boot id (the raw machine id is private to the host, so it is not written into baselines);
   * null where the system does not tell the boot id.
   */
  host: { name: string; session: string | null };
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
    host: hostIdentity(),
  };
}

/** A one-line description, e.g. `AMD EPYC ×2, 23.4 GiB, linux-x64, node v20.20.0`. */
export function describeMachine(m: MachineInfo): string {
  return `${m.cpu} ×${m.cores}, ${m.memoryGiB} GiB, ${m.platform}-${m.arch}, node ${m.node}`;
}

/** Whether `a` and `b` are the same CPU model, core count, architecture and Node major (not necessarily the same host). */
export function sameMachineKind(a: MachineInfo, b: MachineInfo): boolean {
  return a.cpu === b.cpu && a.cores === b.cores && a.arch === b.arch && a.node.split('.')[0] === b.node.split('.')[0];
}

/**
 * Whether timing measured on `b` may be gated against a baseline from `a`: the same host in the same
 * boot (as a CI job that takes its baseline and its check on one runner), and the same machine kind
 * and Node. Unknown boot ids never match.
 */
export function sameHostSession(a: MachineInfo, b: MachineInfo): boolean {
  return sameMachineKind(a, b) && a.node === b.node && a.host?.session != null && a.host.session === b.host?.session;
}

/** Why `b` may not be gated against `a`, in words, or null when it may. */
export function otherHostReason(a: MachineInfo, b: MachineInfo): string | null {
  if (sameHostSession(a, b)) return null;
  if (!sameMachineKind(a, b) || a.node !== b.node) return `another machine kind (${describeMachine(a)})`;
  if (a.host?.session == null || b.host?.session == null) return 'a host session that cannot be told apart (no boot id)';
  if (a.host.name !== b.host.name) return `another host (${a.host.name})`;
  return `another host or boot of ${a.host.name} (session ${a.host.session})`;
}

function hostIdentity(): MachineInfo['host'] {
  const name = hostname();
  const boot = firstLine('/proc/sys/kernel/random/boot_id');
  if (!boot) return { name, session: null };
  const machineId = firstLine('/etc/machine-id') ?? '';
  return { name, session: createHash('sha256').update(`${name}\n${machineId}\n${boot}`).digest('hex').slice(0, 16) };
}

function firstLine(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').split('\n')[0].trim() || null;
  } catch {
    return null;
  }
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
