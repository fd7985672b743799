import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/** How busy the rest of the machine was while a process measured. */
export interface Contention {
  wallSeconds: number;
  /**
   * CPU the machine spent on everything but this process, in cores (from /proc/stat's busy time less
   * this process's own CPU time, over the wall time). Null where /proc/stat cannot be read.
   */
  othersCores: number | null;
  /** Share of CPU time the hypervisor gave to other guests (/proc/stat steal). Null where unknown. */
  stealShare: number | null;
  /** The 1-minute load average at the end. */
  loadAverage: number | null;
  /** Whether the machine counts as quiet (see {@link QUIET}); false whenever it cannot tell. */
  quiet: boolean;
}

/**
 * Quiet: other processes used at most a quarter of a core on average, and the hypervisor stole at most
 * 2% of the time. Above that, other work shares caches, memory bandwidth and (for threaded builds) the
 * cores themselves; the loaded runs moved CPU-clock ratios by 13% and 2-thread wall-clock
 * ratios by up to 56%.
 */
export const QUIET = { othersCores: 0.25, stealShare: 0.02 } as const;

interface CpuTimes {
  busy: number;
  steal: number;
  total: number;
}

// USER_HZ: the unit of /proc/stat on every Linux this runs on.
const TICKS_PER_SECOND = 100;

function readCpuTimes(): CpuTimes | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    if (!line.startsWith('cpu ')) return null;
    // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
    const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softirq;
    return { busy, steal, total: busy + idle + iowait + steal };
  } catch {
    return null;
  }
}

function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Start measuring; `stop()` returns what the rest of the machine did meanwhile. */
export function watchContention(): { stop(): Contention } {
  const t0 = performance.now();
  const cpu0 = readCpuTimes();
  const own0 = ownCpuSeconds();
  return {
    stop(): Contention {
      const wallSeconds = (performance.now() - t0) / 1000;
      const cpu1 = readCpuTimes();
      const own = ownCpuSeconds() - own0;
      const load = process.platform === 'win32' ? null : loadavg()[0];
      if (!cpu0 || !cpu1 || wallSeconds <= 0) return { wallSeconds, othersCores: null, stealShare: null, loadAverage: load, quiet: false };
      const busySeconds = (cpu1.busy - cpu0.busy) / TICKS_PER_SECOND;
      const total = cpu1.total - cpu0.total;
      const othersCores = Math.max(0, busySeconds - own) / wallSeconds;
      const stealShare = total > 0 ? (cpu1.steal - cpu0.steal) / total : 0;
      return {
        wallSeconds: round(wallSeconds),
        othersCores: round(othersCores),
        stealShare: round(stealShare),
        loadAverage: load === null ? null : round(load),
        quiet: othersCores <= QUIET.othersCores && stealShare <= QUIET.stealShare,
      };
    },
  };
}

/** A one-line account, e.g. `others 1.62 of 2 cores, steal 0.0%, load 3.1`. */
export function describeContention(c: Contention): string {
  if (c.othersCores === null) return 'load unknown (no /proc/stat)';
  return `others ${c.othersCores.toFixed(2)} of ${availableParallelism()} cores, steal ${((c.stealShare ?? 0) * 100).toFixed(1)}%, load ${c.loadAverage?.toFixed(1) ?? '?'}`;
}

const round = (v: number) => Math.round(v * 1000) / 1000;
