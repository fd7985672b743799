/** Which clock a timing pair reads. */
export type ClockKind = 'cpu' | 'wall';

/**
 * Seconds of CPU this process has used (user + system, every thread). Time spent preempted by other
 * processes is not in it, which is what makes single-thread ratios usable on a shared 2-core machine
 * (cache and memory contention still are). Microsecond resolution at ~1.5 µs a read; Linux's
 * per-thread /proc/thread-self/schedstat was tried first and moves only in scheduler ticks (~4 ms).
 * V8's own helper threads (GC, compiler) count too: they work for the code being timed.
 */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Seconds on `kind`'s clock now. */
export function clockSeconds(kind: ClockKind): number {
  return kind === 'wall' ? performance.now() / 1000 : cpuSeconds();
}
